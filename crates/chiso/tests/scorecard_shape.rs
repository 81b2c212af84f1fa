//! The scorecard's shape: an indicator's (and a group's) label is one value shared by all its
//! scores, its fields read and serialize as if they were the score's own, and a scorecard comes
//! back from its JSON unchanged.
#![allow(clippy::unwrap_used)]

use chiso::model::Dossier;
use chiso::pipeline::{run, Records};
use chiso::profile::Text;
use chiso::*;
use chrono::{NaiveDate, NaiveDateTime};
use std::sync::Arc;

fn at(d: u32, h: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 3, d)
        .unwrap()
        .and_hms_opt(h, 0, 0)
        .unwrap()
}

/// Two units, no catalogue (so every unit with dossiers carries the no-catalogue note).
fn card() -> Scorecard {
    let dossiers: Vec<Dossier> = (0..6u32)
        .map(|i| Dossier {
            dossier_id: format!("HS-{i}"),
            unit_code: format!("H44.{}", i % 2),
            procedure_code: format!("1.00{}", i % 3),
            received_at: Some(at(2 + i, 8)),
            due_at: Some(at(10 + i, 17)),
            finished_at: (i % 2 == 0).then(|| at(5 + i, 9)),
            ..Dossier::default()
        })
        .collect();
    let profile = Profile::builtin("portal-2026").unwrap();
    run(
        &Records {
            dossiers: &dossiers,
            ..Records::default()
        },
        "2026-03".parse().unwrap(),
        at(31, 12),
        &profile,
        profile.options,
        &chiso::workdays::WeekdaysOnly,
    )
    .unwrap()
    .scorecard
}

#[test]
fn labels_and_notes_are_shared_not_copied() {
    let card = card();
    let units: Vec<_> = card.units.iter().map(|u| (&u.unit, &u.kind)).collect();
    let a = card.unit("H44.0").unwrap_or_else(|| panic!("{units:?}"));
    let b = card.unit("H44.1").unwrap_or_else(|| panic!("{units:?}"));
    assert_eq!(a.kind, b.kind);
    assert!(!a.indicators.is_empty());
    for (x, y) in a.indicators.iter().zip(&b.indicators) {
        assert!(Arc::ptr_eq(&x.label, &y.label), "{} has two labels", x.id);
    }
    for (x, y) in a.groups.iter().zip(&b.groups) {
        assert!(Arc::ptr_eq(&x.label, &y.label), "{} has two labels", x.code);
    }
    // The unit's note under each distinct-procedure indicator is one text.
    let noted: Vec<&Text> = a
        .indicators
        .iter()
        .flat_map(|i| &i.notes)
        .filter(|n| n.starts_with("no procedure catalogue"))
        .collect();
    assert!(noted.len() >= 2, "{noted:?}");
    assert!(noted.iter().all(|n| Arc::ptr_eq(n, noted[0])));
}

#[test]
fn fields_read_through_the_label_and_serialize_in_line() {
    let card = card();
    let u = &card.units[0];
    let i = u.indicator("2.1").unwrap();
    assert_eq!(&*i.id, "2.1");
    assert_eq!(i.id, i.label.id);
    assert!(!i.name_en.is_empty() && !i.name_vi.is_empty());
    let json = serde_json::to_string(i).unwrap();
    let prefix = format!(
        "{{\"id\":\"2.1\",\"group\":{},\"name_vi\":{},\"name_en\":{},\"numerator\":",
        serde_json::to_string(&*i.group).unwrap(),
        serde_json::to_string(&*i.name_vi).unwrap(),
        serde_json::to_string(&*i.name_en).unwrap(),
    );
    assert!(json.starts_with(&prefix), "{json}");
    let g = &u.groups[0];
    let json = serde_json::to_string(g).unwrap();
    assert!(
        json.starts_with(&format!(
            "{{\"code\":{},",
            serde_json::to_string(&*g.code).unwrap()
        )),
        "{json}"
    );
}

#[test]
fn a_scorecard_comes_back_from_its_json() {
    let card = card();
    let json = serde_json::to_string(&card).unwrap();
    let back: Scorecard = serde_json::from_str(&json).unwrap();
    assert_eq!(back, card);
    assert_eq!(serde_json::to_string(&back).unwrap(), json);
}
