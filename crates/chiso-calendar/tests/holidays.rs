#![allow(clippy::unwrap_used)]
//! Statutory holidays by year (law changes) and the Vietnam calendar with swaps.

use chiso_calendar::{statutory_holidays, Calendar, Holiday, HolidayKind};
use chrono::NaiveDate;
use HolidayKind::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn summary(list: &[Holiday]) -> Vec<(NaiveDate, HolidayKind)> {
    list.iter().map(|h| (h.date, h.kind)).collect()
}

#[test]
fn year_2026_in_full() {
    // 1/1 (Thu); Tết 16–20 Feb (29 tháng Chạp Ất Tỵ .. mùng 4 Bính Ngọ, per the
    // 2026 notice); Hùng Kings 26/4 (Sun) → substitute Mon 27/4; 30/4; 1/5;
    // National Day 1–2/9 (default adjacent day: the day before a Wednesday).
    let expected = vec![
        (d(2026, 1, 1), NewYear),
        (d(2026, 2, 16), Tet),
        (d(2026, 2, 17), Tet),
        (d(2026, 2, 18), Tet),
        (d(2026, 2, 19), Tet),
        (d(2026, 2, 20), Tet),
        (d(2026, 4, 26), HungKings),
        (d(2026, 4, 27), Substitute),
        (d(2026, 4, 30), Reunification),
        (d(2026, 5, 1), Labour),
        (d(2026, 9, 1), NationalDay),
        (d(2026, 9, 2), NationalDay),
    ];
    assert_eq!(summary(&statutory_holidays(2026)), expected);

    // With the built-in swaps: + Friday 2 Jan 2026 off (made up Sat 10 Jan).
    let cal = Calendar::vietnam();
    let mut with_swaps = expected.clone();
    with_swaps.insert(1, (d(2026, 1, 2), ExtraDayOff));
    assert_eq!(summary(&cal.holidays(2026)), with_swaps);
    assert!(!cal.is_working_day(d(2026, 1, 2)));
    assert!(cal.is_working_day(d(2026, 1, 10)), "Saturday make-up day");
    // Days off around Tết: 14–22 Feb 2026.
    for day in 14..=22 {
        assert!(!cal.is_working_day(d(2026, 2, day)), "{day} Feb");
    }
    assert!(cal.is_working_day(d(2026, 2, 13)));
    assert!(cal.is_working_day(d(2026, 2, 23)));
    // 2026 has 261 weekdays; 12 of them are days off; 1 Saturday is worked.
    let working = (0..365)
        .map(|i| d(2026, 1, 1) + chrono::Duration::days(i))
        .filter(|x| cal.is_working_day(*x))
        .count();
    assert_eq!(working, 250);
    assert_eq!(
        cal.working_days_between(d(2025, 12, 31), d(2026, 12, 31)),
        250
    );
}

#[test]
fn year_2019_with_swaps() {
    let expected = vec![
        (d(2019, 1, 1), NewYear),
        (d(2019, 2, 4), Tet),
        (d(2019, 2, 5), Tet),
        (d(2019, 2, 6), Tet),
        (d(2019, 2, 7), Tet),
        (d(2019, 2, 8), Tet),
        (d(2019, 4, 14), HungKings),
        (d(2019, 4, 15), Substitute),
        (d(2019, 4, 30), Reunification),
        (d(2019, 5, 1), Labour),
        (d(2019, 9, 2), NationalDay),
    ];
    assert_eq!(summary(&statutory_holidays(2019)), expected);
    let cal = Calendar::vietnam();
    // New Year: off Mon 31/12/2018 – Tue 1/1/2019, work Sat 5/1/2019.
    assert!(!cal.is_working_day(d(2018, 12, 31)));
    assert!(cal.is_working_day(d(2019, 1, 5)));
    // 30/4: off 27/4–1/5, work Sat 4/5.
    for day in 27..=30 {
        assert!(!cal.is_working_day(d(2019, 4, day)));
    }
    assert!(!cal.is_working_day(d(2019, 5, 1)));
    assert!(cal.is_working_day(d(2019, 5, 4)));
    assert!(cal
        .holidays(2018)
        .iter()
        .any(|h| h.date == d(2018, 12, 31) && h.kind == ExtraDayOff));
}

#[test]
fn year_2020_single_national_day_and_tet_2_plus_3() {
    // Labour Code 2012: National Day is one day. Tết 2020 (Sat 25 Jan):
    // 23–27 Jan + substitutes 28, 29 Jan (notice: off 23–29 Jan).
    let expected = vec![
        (d(2020, 1, 1), NewYear),
        (d(2020, 1, 23), Tet),
        (d(2020, 1, 24), Tet),
        (d(2020, 1, 25), Tet),
        (d(2020, 1, 26), Tet),
        (d(2020, 1, 27), Tet),
        (d(2020, 1, 28), Substitute),
        (d(2020, 1, 29), Substitute),
        (d(2020, 4, 2), HungKings),
        (d(2020, 4, 30), Reunification),
        (d(2020, 5, 1), Labour),
        (d(2020, 9, 2), NationalDay),
    ];
    assert_eq!(summary(&statutory_holidays(2020)), expected);
    assert_eq!(summary(&Calendar::vietnam().holidays(2020)), expected);
}

#[test]
fn year_2023_weekend_cluster() {
    // Hùng Kings Sat 29/4, 30/4 Sun, 1/5 Mon → substitutes Tue 2/5, Wed 3/5.
    let h = summary(&statutory_holidays(2023));
    assert!(h.contains(&(d(2023, 4, 29), HungKings)));
    assert!(h.contains(&(d(2023, 5, 2), Substitute)));
    assert!(h.contains(&(d(2023, 5, 3), Substitute)));
    assert!(h.contains(&(d(2023, 1, 2), Substitute)), "1/1 was a Sunday");
    // National Day: Fri 1/9 + Sat 2/9 → substitute Mon 4/9.
    assert!(h.contains(&(d(2023, 9, 1), NationalDay)));
    assert!(h.contains(&(d(2023, 9, 4), Substitute)));
    // Tết 2023 (Sun 22 Jan): off 20–26 Jan.
    let cal = Calendar::vietnam();
    for day in 20..=26 {
        assert!(!cal.is_working_day(d(2023, 1, day)), "{day}");
    }
    assert!(cal.is_working_day(d(2023, 1, 27)));
}

#[test]
fn national_day_adjacent_defaults_2021_2025() {
    let nd = |y| -> Vec<NaiveDate> {
        statutory_holidays(y)
            .into_iter()
            .filter(|h| h.kind == NationalDay)
            .map(|h| h.date)
            .collect()
    };
    assert_eq!(nd(2021), vec![d(2021, 9, 2), d(2021, 9, 3)]);
    assert_eq!(nd(2022), vec![d(2022, 9, 1), d(2022, 9, 2)]);
    assert_eq!(nd(2023), vec![d(2023, 9, 1), d(2023, 9, 2)]);
    assert_eq!(nd(2024), vec![d(2024, 9, 2), d(2024, 9, 3)]);
    assert_eq!(nd(2025), vec![d(2025, 9, 1), d(2025, 9, 2)]);
}

#[test]
fn tet_2024_and_2025_match_notices() {
    let cal = Calendar::vietnam();
    // 2024 (Thông báo 5015/TB-LĐTBXH): off Thu 8/2 – Wed 14/2.
    let tet24: Vec<_> = cal
        .holidays(2024)
        .into_iter()
        .filter(|h| h.date.month0() == 1)
        .map(|h| (h.date, h.kind))
        .collect();
    assert_eq!(
        tet24,
        vec![
            (d(2024, 2, 8), Tet),
            (d(2024, 2, 9), Tet),
            (d(2024, 2, 10), Tet),
            (d(2024, 2, 11), Tet),
            (d(2024, 2, 12), Tet),
            (d(2024, 2, 13), Substitute),
            (d(2024, 2, 14), Substitute),
        ]
    );
    assert!(cal.is_working_day(d(2024, 2, 15)));
    // 2024 30/4: off 27/4 – 1/5, work Sat 4/5 (Công văn 2450/VPCP-KGVX).
    assert!(!cal.is_working_day(d(2024, 4, 29)));
    assert!(cal.is_working_day(d(2024, 5, 4)));
    // 2025: Tết off 25/1 – 2/2 (statutory 27–31/1); 30/4 – 4/5 off, work Sat 26/4.
    for day in 25..=31 {
        assert!(!cal.is_working_day(d(2025, 1, day)));
    }
    assert!(cal.is_working_day(d(2025, 2, 3)));
    assert!(cal.is_working_day(d(2025, 4, 26)));
    assert!(!cal.is_working_day(d(2025, 5, 2)));
}

use chrono::Datelike;

#[test]
fn law_changes() {
    let kinds = |y| summary(&statutory_holidays(y));
    let count = |y, k| kinds(y).iter().filter(|(_, kk)| *kk == k).count();

    // Before 2007: no Hùng Kings' day; Tết 4 days; National Day 1 day.
    assert_eq!(count(2006, HungKings), 0);
    assert_eq!(count(2006, Tet), 4);
    assert_eq!(count(2006, NationalDay), 1);
    // 2006 in full: 1/1 Sun → Mon 2/1; Tết Sun 29 Jan: 28 Jan – 31 Jan, with
    // substitutes Wed 1/2 and Thu 2/2; 30/4 Sun → Tue 2/5 (1/5 is a holiday);
    // 2/9 Sat → Mon 4/9.
    assert_eq!(
        kinds(2006),
        vec![
            (d(2006, 1, 1), NewYear),
            (d(2006, 1, 2), Substitute),
            (d(2006, 1, 28), Tet),
            (d(2006, 1, 29), Tet),
            (d(2006, 1, 30), Tet),
            (d(2006, 1, 31), Tet),
            (d(2006, 2, 1), Substitute),
            (d(2006, 2, 2), Substitute),
            (d(2006, 4, 30), Reunification),
            (d(2006, 5, 1), Labour),
            (d(2006, 5, 2), Substitute),
            (d(2006, 9, 2), NationalDay),
            (d(2006, 9, 4), Substitute),
        ]
    );

    // From 2007: Hùng Kings' day (26 Apr 2007, the first one).
    assert_eq!(count(2007, HungKings), 1);
    assert!(kinds(2007).contains(&(d(2007, 4, 26), HungKings)));
    // Tết 2013 (10 Feb) was before the Labour Code 2012 took effect: 4 days.
    assert_eq!(count(2013, Tet), 4);
    assert_eq!(count(2014, Tet), 5);
    // National Day 2 days from 2021.
    assert_eq!(count(2020, NationalDay), 1);
    assert_eq!(count(2021, NationalDay), 2);
    // Outside the supported range: nothing.
    assert!(statutory_holidays(1899).is_empty());
    assert!(statutory_holidays(2200).is_empty());
}

#[test]
fn every_year_is_sane() {
    for y in 1900..=2199 {
        let list = statutory_holidays(y);
        // Sorted, unique dates, all within the year.
        for w in list.windows(2) {
            assert!(w[0].date < w[1].date, "{y}: {:?}", w);
        }
        assert!(list.iter().all(|h| h.date.year() == y), "{y}");
        // No substitute on a weekend.
        for h in &list {
            if h.kind == Substitute {
                assert!(h.date.weekday().number_from_monday() <= 5, "{y}: {h:?}");
            }
        }
    }
}

#[test]
fn names_are_filled() {
    for h in Calendar::vietnam().holidays(2026) {
        assert!(!h.name_vi.is_empty() && !h.name_en.is_empty(), "{h:?}");
    }
    let json = serde_json_kind(HolidayKind::HungKings);
    assert_eq!(json, "\"hung_kings\"");
}

fn serde_json_kind(k: HolidayKind) -> String {
    serde_json::to_string(&k).unwrap()
}
