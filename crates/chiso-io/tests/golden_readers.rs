//! The golden inputs of `tests/golden/input` (one table of dossiers in every format, with
//! Vietnamese headers, diacritics, a BOM, UTF-16, Excel serial dates, typed Arrow columns and dirty
//! rows) must give the same records and the same scorecard through every reader.
//!
//! Regenerate the inputs with `cargo run -p chiso-io --example golden -- tests/golden`, and the
//! expected files with `UPDATE_GOLDEN=1 cargo test -p chiso-io --test golden_readers`.

use chiso::pipeline::{run, Records as Input};
use chiso::{Dossier, Period, Profile, WeekdaysOnly};
use chiso_io::read::columns::{ColumnMap, RecordKind};
use chiso_io::read::records::Records;
use chiso_io::read::rows::{read_dossiers, read_petitions, read_procedures, read_units};
use chrono::NaiveDateTime;
use std::path::{Path, PathBuf};

const DOSSIER_FILES: &[&str] = &[
    "dossiers.csv",
    "dossiers-unicode.txt",
    "dossiers.xlsx",
    "dossiers-sync.json",
    "dossiers-sync.jsonl",
    "dossiers.arrow",
    "dossiers.parquet",
];

fn golden() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden")
}

fn input(name: &str) -> PathBuf {
    golden().join("input").join(name)
}

fn updating() -> bool {
    std::env::var_os("UPDATE_GOLDEN").is_some()
}

/// Compares with an expected file, or writes it when UPDATE_GOLDEN is set.
fn expect(name: &str, actual: &str) {
    let path = golden().join("expected").join(name);
    if updating() {
        std::fs::create_dir_all(path.parent().unwrap_or(Path::new(".")))
            .unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&path, actual).unwrap_or_else(|e| panic!("{e}"));
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1)", path.display()));
    assert_eq!(actual, want, "differs from {}", path.display());
}

fn canonical(rows: &[Dossier]) -> String {
    let mut rows = rows.to_vec();
    rows.sort_by(|a, b| a.dossier_id.cmp(&b.dossier_id));
    rows.iter()
        .map(|d| serde_json::to_string(d).unwrap_or_default() + "\n")
        .collect()
}

fn read(name: &str) -> Records<Dossier> {
    read_dossiers(&input(name), &ColumnMap::new()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The fields of the rejected cells, by canonical name, sorted.
fn rejected_fields(r: &Records<Dossier>) -> Vec<String> {
    let map = ColumnMap::new();
    let mut v: Vec<String> = r
        .rejects
        .iter()
        .map(|j| {
            let col = j.column.clone().unwrap_or_default();
            map.field(RecordKind::Dossier, &col)
                .map_or(col, |f| f.name.to_string())
        })
        .collect();
    v.sort();
    v
}

#[test]
fn every_reader_reads_the_same_dossiers() {
    for name in DOSSIER_FILES {
        let r = read(name);
        assert_eq!(r.read_count(), 14, "{name}: rows read");
        assert_eq!(r.rows.len(), 9, "{name}: kept {:?}", r.rejects);
        assert_eq!(
            rejected_fields(&r),
            vec!["dossier_id", "received_at", "status"],
            "{name}: {:?}",
            r.rejects
        );
        let sup: Vec<&str> = r.superseded.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(sup, vec!["HS-0001", "HS-0002"], "{name}");
        for j in &r.rejects {
            assert!(j.row >= 1 && j.file.ends_with(name), "{name}: {j:?}");
            assert!(!j.message.is_empty());
        }
        if *name == "dossiers.csv" {
            expect("dossiers.jsonl", &canonical(&r.rows));
        } else {
            assert_eq!(
                canonical(&r.rows),
                canonical(&read("dossiers.csv").rows),
                "{name} reads other records than dossiers.csv"
            );
        }
    }
}

#[test]
fn rejects_name_the_row_and_column_as_the_user_sees_them() {
    let r = read("dossiers.csv");
    let bad_date = r
        .rejects
        .iter()
        .find(|j| j.column.as_deref() == Some("Ngày tiếp nhận"));
    let bad_date = bad_date.unwrap_or_else(|| panic!("{:?}", r.rejects));
    // Header on line 1: the 7th data row is line 8.
    assert_eq!(bad_date.row, 8);
    assert!(
        bad_date.message.contains("31/09/2026"),
        "{}",
        bad_date.message
    );
    let x = read("dossiers.xlsx");
    let bad_status = x
        .rejects
        .iter()
        .find(|j| j.column.as_deref() == Some("Trạng thái"));
    // A title row, then the header on row 2: the 8th data row is Excel row 10.
    assert_eq!(bad_status.map(|j| j.row), Some(10), "{:?}", x.rejects);
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap_or_default()
}

#[test]
fn every_reader_gives_the_same_scorecard() {
    let map = ColumnMap::new();
    let units = read_units(&input("units.csv"), &map).unwrap_or_else(|e| panic!("{e}"));
    let procs = read_procedures(&input("procedures.csv"), &map).unwrap_or_else(|e| panic!("{e}"));
    let pets = read_petitions(&input("petitions.csv"), &map).unwrap_or_else(|e| panic!("{e}"));
    assert!(units.rejects.is_empty() && procs.rejects.is_empty());
    assert_eq!((pets.rows.len(), pets.rejects.len()), (2, 1));
    let profile = Profile::builtin("portal-2026").unwrap_or_else(|e| panic!("{e}"));
    let period: Period = "2026-Q3".parse().unwrap_or_else(|e| panic!("{e}"));
    let mut first: Option<String> = None;
    for name in DOSSIER_FILES {
        let d = read(name);
        let input = Input {
            dossiers: &d.rows,
            procedures: &procs.rows,
            units: Some(&units.rows),
            petitions: &pets.rows,
        };
        let r = run(
            &input,
            period.clone(),
            at("2026-09-30T17:00"),
            &profile,
            profile.options,
            &WeekdaysOnly,
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        // Nothing lost: every dossier and petition row is scored, excluded or rejected.
        let rows = d.read_count() + pets.read_count();
        let accounted = r.accounting.scored as usize
            + r.accounting.excluded_total() as usize
            + d.superseded.len()
            + d.rejects.len()
            + pets.rejects.len();
        assert_eq!(accounted, rows, "{name}: {:?}", r.accounting);
        let card = serde_json::to_string_pretty(&serde_json::json!({
            "accounting": {
                "scored": r.accounting.scored,
                "excluded": r.accounting.excluded,
                "superseded": d.superseded.len(),
                "rejected": d.rejects.len() + pets.rejects.len(),
            },
            "scorecard": r.scorecard,
        }))
        .unwrap_or_default()
            + "\n";
        match &first {
            None => {
                expect("scorecard.json", &card);
                first = Some(card);
            }
            Some(f) => assert!(f == &card, "{name} scores differently from dossiers.csv"),
        }
    }
}

#[test]
fn catalogue_and_units_read_the_same_from_csv_and_json() {
    let map = ColumnMap::new();
    let a = read_procedures(&input("procedures.csv"), &map).unwrap_or_else(|e| panic!("{e}"));
    let b = read_procedures(&input("procedures.jsonl"), &map).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        a.rejects.is_empty() && b.rejects.is_empty(),
        "{:?} {:?}",
        a.rejects,
        b.rejects
    );
    let strip = |mut v: Vec<chiso::Procedure>| {
        for p in &mut v {
            p.name.clear();
        }
        v
    };
    assert_eq!(strip(a.rows.clone()), strip(b.rows.clone()));
    assert_eq!(
        a.rows[0].statutory_time.map(|t| t.amount),
        Some(15.0),
        "{:?}",
        a.rows[0]
    );
    let u1 = read_units(&input("units.csv"), &map).unwrap_or_else(|e| panic!("{e}"));
    let u2 = read_units(&input("units.json"), &map).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(u1.rows, u2.rows);
}
