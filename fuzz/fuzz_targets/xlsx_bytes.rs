//! Spreadsheet bytes through calamine, as `.xlsx` and as `.ods`: a clear error or an accounting
//! that adds up.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    chiso_fuzz::check_dossier_bytes(data, "xlsx", "xlsx_bytes");
    chiso_fuzz::check_dossier_bytes(data, "ods", "xlsx_bytes");
});
