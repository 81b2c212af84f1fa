//! Column-mapping TOML: refused with a message naming the table or key, or accepted; an accepted
//! mapping reads the golden CSV with every row accounted for (a clear error otherwise).
#![no_main]
use chiso::Dossier;
use chiso_fuzz::{assert_clear, golden};
use chiso_io::read::columns::{ColumnMap, RecordKind};
use chiso_io::read::rows::read_records;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut map = ColumnMap::new();
    if map.extend_from_toml_str(text).is_err() {
        return;
    }
    let res = map.resolve(RecordKind::Dossier, &["MaHoSo", "MaTTHC", "unit_code", "x"]);
    let _ = res.matched();
    let _ = res.check();
    let path = golden("dossiers.csv");
    match read_records::<Dossier>(&path, &map, &mut |_| {}) {
        Ok(r) => assert!(r.read_count() >= r.rows.len(), "rows read below rows kept"),
        Err(e) => assert_clear(&e.to_string(), &path),
    }
});
