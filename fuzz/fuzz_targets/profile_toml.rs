//! Rule profile TOML: a profile is refused with an error naming the source, or it validates and
//! scores the golden dossiers without a panic and with every dossier accounted for.
#![no_main]
use chiso::pipeline::{run, Records};
use chiso::{Dossier, Profile, Unit, WeekdaysOnly};
use chiso_fuzz::{golden, scorer};
use chiso_io::read::columns::ColumnMap;
use chiso_io::read::rows::{read_dossiers, read_units};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn inputs() -> &'static (Vec<Dossier>, Vec<Unit>) {
    static I: OnceLock<(Vec<Dossier>, Vec<Unit>)> = OnceLock::new();
    I.get_or_init(|| {
        let map = ColumnMap::new();
        let d = read_dossiers(&golden("dossiers.csv"), &map).expect("golden dossiers");
        let u = read_units(&golden("units.csv"), &map).expect("golden units");
        (d.rows, u.rows)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let profile = match Profile::from_toml_str(text, "fuzz.toml") {
        Ok(p) => p,
        Err(e) => {
            let e = e.to_string();
            assert!(
                e.contains("fuzz.toml"),
                "error does not name the file: {e:?}"
            );
            return;
        }
    };
    let s = scorer();
    let (dossiers, units) = inputs();
    let records = Records {
        dossiers,
        procedures: &s.procedures,
        units: Some(units),
        petitions: &[],
    };
    if let Ok(r) = run(
        &records,
        s.period.clone(),
        s.as_of,
        &profile,
        profile.options,
        &WeekdaysOnly,
    ) {
        let total = r.accounting.scored + r.accounting.excluded_total();
        assert_eq!(
            total,
            dossiers.len() as u64,
            "profile run: accounting does not add up"
        );
    }
});
