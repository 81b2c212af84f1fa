#![allow(clippy::unwrap_used)]
//! The swap table: built-in data, user TOML, errors, merging.

use chiso_calendar::{Calendar, CalendarError, SwapKind, SwapTable, BUILTIN_SOURCE};
use chrono::{Datelike, NaiveDate, Weekday};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn builtin_parses_and_is_complete() {
    let t = SwapTable::builtin().unwrap();
    assert_eq!(t.version(), Some("2026.11"));
    assert_eq!(t.source_name(), BUILTIN_SOURCE);
    assert_eq!(t.len(), 10);
    for e in t.entries() {
        assert!(!e.note_vi.is_empty(), "{e:?}");
        assert!(!e.note_en.is_empty(), "{e:?}");
        assert!(!e.source.is_empty(), "{e:?}");
        assert!((2018..=2026).contains(&e.date.year()), "{e:?}");
        match e.kind {
            // Make-up days are Saturdays, swapped days off are weekdays.
            SwapKind::WorkDay => assert_eq!(e.date.weekday(), Weekday::Sat, "{e:?}"),
            SwapKind::DayOff => assert!(e.date.weekday().number_from_monday() <= 5, "{e:?}"),
        }
    }
    // Each year's swaps balance: as many make-up Saturdays as swapped days off
    // (2018-12-31 belongs to the 2019 New Year swap).
    let days_off = t.entries().filter(|e| e.kind == SwapKind::DayOff).count();
    let work_days = t.entries().filter(|e| e.kind == SwapKind::WorkDay).count();
    assert_eq!(days_off, work_days);
    assert_eq!(Calendar::vietnam().name(), "vn-2026.11");
    assert_eq!(Calendar::weekdays_only().name(), "weekdays");
}

const USER: &str = r#"
version = "hanoi-2026"

[[swap]]
date = 2026-09-01
kind = "work_day"
note_vi = "Ngày liền kề Quốc khánh chuyển sang 3/9"
note_en = "National Day adjacent day moved to 3 Sep"
source = "test"

[[swap]]
date = "2026-09-03"
kind = "day_off"
"#;

#[test]
fn user_table_overrides_builtin_and_defaults() {
    let user = SwapTable::from_toml_str(USER, "hanoi.toml").unwrap();
    assert_eq!(user.len(), 2);
    assert_eq!(user.get(d(2026, 9, 3)).unwrap().note_vi, "");
    let cal = Calendar::vietnam_with(user);
    assert_eq!(cal.name(), "vn-2026.11+hanoi.toml");
    assert!(cal.is_working_day(d(2026, 9, 1)));
    assert!(!cal.is_working_day(d(2026, 9, 3)));
    let sep: Vec<_> = cal
        .holidays(2026)
        .into_iter()
        .filter(|h| h.date.month() == 9)
        .map(|h| h.date)
        .collect();
    assert_eq!(sep, vec![d(2026, 9, 2), d(2026, 9, 3)]);
    // Built-in entries are still there.
    assert!(!cal.is_working_day(d(2026, 1, 2)));

    // Same date as a built-in entry: the user's wins.
    let over = SwapTable::from_toml_str(
        "[[swap]]\ndate = 2026-01-10\nkind = \"day_off\"\n",
        "override.toml",
    )
    .unwrap();
    let merged = SwapTable::builtin().unwrap().merged(over.clone());
    assert_eq!(merged.get(d(2026, 1, 10)).unwrap().kind, SwapKind::DayOff);
    assert_eq!(merged.len(), 10);
    assert!(!Calendar::vietnam_with(over).is_working_day(d(2026, 1, 10)));
}

fn error_of(text: &str) -> (String, String, String) {
    match SwapTable::from_toml_str(text, "my-notices.toml") {
        Err(CalendarError::SwapTable {
            source_name,
            entry,
            message,
        }) => (source_name, entry, message),
        other => panic!("expected a swap-table error, got {other:?}"),
    }
}

#[test]
fn broken_tables_name_source_entry_and_problem() {
    // Unknown kind in the second entry.
    let (src, entry, msg) = error_of(
        "[[swap]]\ndate = 2026-01-02\nkind = \"day_off\"\n\n[[swap]]\ndate = 2026-01-10\nkind = \"dayoff\"\n",
    );
    assert_eq!(src, "my-notices.toml");
    assert_eq!(entry, "entry #2 (2026-01-10)");
    assert!(msg.contains("dayoff"), "{msg}");
    let full = SwapTable::from_toml_str(
        "[[swap]]\ndate = 2026-01-10\nkind = \"x\"\n",
        "my-notices.toml",
    )
    .unwrap_err()
    .to_string();
    assert!(
        full.contains("my-notices.toml") && full.contains("entry #1 (2026-01-10)"),
        "{full}"
    );

    // Missing date.
    let (_, entry, msg) = error_of("[[swap]]\nkind = \"day_off\"\n");
    assert_eq!(entry, "entry #1");
    assert!(msg.contains("date"), "{msg}");
    // Bad date string.
    let (_, entry, msg) = error_of("[[swap]]\ndate = \"31/12/2025\"\nkind = \"day_off\"\n");
    assert_eq!(entry, "entry #1");
    assert!(msg.contains("31/12/2025"), "{msg}");
    // Date with a time.
    let (_, _, msg) = error_of("[[swap]]\ndate = 2026-01-02T08:00:00\nkind = \"day_off\"\n");
    assert!(msg.contains("without time"), "{msg}");
    // Missing kind.
    let (_, entry, msg) = error_of("[[swap]]\ndate = 2026-01-02\n");
    assert_eq!(entry, "entry #1 (2026-01-02)");
    assert!(msg.contains("kind"), "{msg}");
    // Duplicate date.
    let (_, entry, msg) = error_of(
        "[[swap]]\ndate = 2026-01-02\nkind = \"day_off\"\n[[swap]]\ndate = 2026-01-02\nkind = \"work_day\"\n",
    );
    assert_eq!(entry, "entry #2 (2026-01-02)");
    assert!(msg.contains("same date"), "{msg}");
    // Unknown key (typo).
    let (_, _, msg) = error_of("[[swap]]\ndate = 2026-01-02\nkind = \"day_off\"\nnote = \"x\"\n");
    assert!(msg.contains("note"), "{msg}");
    // Wrong type.
    let (_, _, msg) = error_of("[[swap]]\ndate = 2026-01-02\nkind = \"day_off\"\nsource = 5\n");
    assert!(msg.contains("source"), "{msg}");
    // Out of range.
    let (_, _, msg) = error_of("[[swap]]\ndate = 2300-01-02\nkind = \"day_off\"\n");
    assert!(msg.contains("range"), "{msg}");
    // Not TOML at all.
    let (_, entry, _) = error_of("[[swap]\ndate = ");
    assert_eq!(entry, "document");
    // Unknown top-level key / wrong shape.
    let (_, entry, msg) = error_of("swaps = []\n");
    assert_eq!(entry, "document");
    assert!(msg.contains("swaps"), "{msg}");
    let (_, _, msg) = error_of("swap = 3\n");
    assert!(msg.contains("array"), "{msg}");
    let (_, entry, _) = error_of("swap = [1]\n");
    assert_eq!(entry, "entry #1");
}

#[test]
fn empty_table_is_fine() {
    let t = SwapTable::from_toml_str("", "empty.toml").unwrap();
    assert!(t.is_empty());
    assert_eq!(t.version(), None);
}
