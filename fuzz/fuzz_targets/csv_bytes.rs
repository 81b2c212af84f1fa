//! CSV bytes: the route (CSV fast path, then the row reader) and the record reader agree and
//! account for every row; the fast path at a tiny block size on two threads, whenever it accepts
//! the file, gives exactly the row reader's tally and accounting.
#![no_main]
use chiso_fuzz::{check_dossier_bytes, csv_fast_small_blocks};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let rows = check_dossier_bytes(data, "csv", "csv_bytes");
    if let Some((tally, accounting, n)) = csv_fast_small_blocks(data) {
        let rows = rows.expect("the CSV fast path read a file the row reader refused");
        assert!(
            rows.rejects.is_empty() && rows.superseded.is_empty(),
            "fast path kept a rejected row"
        );
        assert_eq!(
            n as u64,
            rows.accounting.scored + rows.accounting.excluded_total(),
            "rows"
        );
        assert_eq!(
            accounting, rows.accounting,
            "small blocks: accounting differs"
        );
        assert!(tally == rows.tally, "small blocks: tally differs");
    }
});
