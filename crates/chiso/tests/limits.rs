//! The stated sizes score: a unit tree of 100,000 units (a province of 1,000 districts of 99
//! communes) and a catalogue of 1,000,000 procedures, with one dossier per unit. The test runs
//! at that size by default (about 11 s and 1 GB in a loaded debug build, since pooling no longer
//! costs units × procedures); `benches/limits.py` runs it in a release build and records its
//! time and peak memory (`CHISO_LIMIT_UNITS`, `CHISO_LIMIT_PROCEDURES` change the size).

use chiso::model::Level;
use chiso::pipeline::{run, Records};
use chiso::{Channel, Dossier, Procedure, Profile, Status, Unit, UnitKind, WeekdaysOnly};
use chrono::{NaiveDate, NaiveDateTime};

fn at(d: u32, h: u32) -> Option<NaiveDateTime> {
    NaiveDate::from_ymd_opt(2026, 9, d).and_then(|d| d.and_hms_opt(h, 0, 0))
}

fn size(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn unit(code: String, kind: UnitKind, parent: Option<String>) -> Unit {
    Unit {
        name: code.clone(),
        code,
        kind,
        parent,
        e_certified_copy: None,
    }
}

#[test]
fn a_large_unit_tree_and_catalogue_score() {
    let n_units = size("CHISO_LIMIT_UNITS", 100_000).max(100);
    let n_procedures = size("CHISO_LIMIT_PROCEDURES", 1_000_000).max(3);
    // A province, districts of 99 communes each.
    let districts = n_units.div_ceil(100);
    let mut units = vec![unit("P".into(), UnitKind::province(), None)];
    'tree: for d in 0..districts {
        units.push(unit(
            format!("P.{d}"),
            UnitKind::district(),
            Some("P".into()),
        ));
        for c in 0..99 {
            if units.len() >= n_units {
                break 'tree;
            }
            units.push(unit(
                format!("P.{d}.{c}"),
                UnitKind::commune(),
                Some(format!("P.{d}")),
            ));
        }
    }
    let levels = [Level::Province, Level::District, Level::Commune];
    let procedures: Vec<Procedure> = (0..n_procedures)
        .map(|i| Procedure {
            procedure_code: format!("1.{i:07}"),
            level: Some(levels[i % 3]),
            ..Procedure::default()
        })
        .collect();
    // One dossier per unit, half of them late, each on a commune-level procedure.
    let dossiers: Vec<Dossier> = units
        .iter()
        .enumerate()
        .map(|(i, u)| Dossier {
            dossier_id: format!("D{i}"),
            unit_code: u.code.clone(),
            procedure_code: procedures[(3 * i + 2) % n_procedures]
                .procedure_code
                .clone(),
            channel: Channel::Online,
            received_at: at(1, 8),
            due_at: at(10, 17),
            finished_at: at(if i % 2 == 0 { 9 } else { 11 }, 10),
            status: Some(Status::Finished),
            ..Dossier::default()
        })
        .collect();
    let profile = Profile::builtin("portal-2026").unwrap_or_else(|e| panic!("{e}"));
    let r = run(
        &Records {
            dossiers: &dossiers,
            procedures: &procedures,
            units: Some(&units),
            petitions: &[],
        },
        "2026-09".parse().unwrap_or_else(|e| panic!("{e}")),
        at(30, 17).unwrap_or_default(),
        &profile,
        profile.options,
        &WeekdaysOnly,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.scorecard.units.len(), units.len());
    assert_eq!(r.accounting.scored, dossiers.len() as u64);
    // The root pools every dossier: 2.1 on time is the half finished early.
    let root = r.scorecard.unit("P").unwrap_or_else(|| panic!("no root"));
    let on_time = root
        .indicators
        .iter()
        .find(|i| i.id.as_ref() == "2.1")
        .unwrap_or_else(|| panic!("no 2.1"));
    assert_eq!(on_time.denominator, dossiers.len() as f64);
    assert_eq!(on_time.numerator, dossiers.len().div_ceil(2) as f64);
    // The catalogue side at full size (§6.4): the root's subtree implements every procedure
    // (its kinds cover the three levels), a commune the commune-level third.
    let procedures_of = |code: &str| {
        let u = r
            .scorecard
            .unit(code)
            .unwrap_or_else(|| panic!("no {code}"));
        u.indicator("3.1")
            .unwrap_or_else(|| panic!("no 3.1"))
            .denominator
    };
    assert_eq!(procedures_of("P"), n_procedures as f64);
    assert_eq!(procedures_of("P.0.0"), (n_procedures / 3) as f64);
}
