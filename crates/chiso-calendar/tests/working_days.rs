#![allow(clippy::unwrap_used)]
//! Working-day arithmetic: examples and properties.

use chiso_calendar::{lunar_to_solar, solar_to_lunar, Calendar, MAX_DATE, MIN_DATE, WORKDAY_START};
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use proptest::prelude::*;
use std::sync::OnceLock;

/// Built once per test binary (construction precomputes 300 years).
fn vn() -> &'static Calendar {
    static CAL: OnceLock<Calendar> = OnceLock::new();
    CAL.get_or_init(Calendar::vietnam)
}

fn wk() -> &'static Calendar {
    static CAL: OnceLock<Calendar> = OnceLock::new();
    CAL.get_or_init(Calendar::weekdays_only)
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn at(date: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
    date.and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap())
}

#[test]
fn examples_around_tet_2026() {
    let cal = Calendar::vietnam();
    let fri = d(2026, 2, 13);
    assert_eq!(cal.add_working_days(fri, 0), fri);
    assert_eq!(cal.add_working_days(fri, 1), d(2026, 2, 23));
    assert_eq!(cal.add_working_days(fri, 3), d(2026, 2, 25));
    assert_eq!(cal.working_days_between(fri, d(2026, 2, 23)), 1);
    assert_eq!(cal.working_days_between(d(2026, 2, 23), fri), -1);
    assert_eq!(cal.working_days_between(fri, fri), 0);
    // n = 0 on a non-working day: the next working day.
    assert_eq!(cal.add_working_days(d(2026, 2, 14), 0), d(2026, 2, 23));
    // New Year 2026: 1/1 and 2/1 off, Sat 10/1 worked.
    assert_eq!(cal.working_days_between(d(2025, 12, 31), d(2026, 1, 5)), 1);
    assert_eq!(cal.add_working_days(d(2026, 1, 9), 1), d(2026, 1, 10));
    // Baseline: weekdays only.
    let wk = Calendar::weekdays_only();
    assert_eq!(wk.add_working_days(fri, 1), d(2026, 2, 16));
    assert!(wk.holidays(2026).is_empty());
    assert!(wk.is_working_day(d(2026, 1, 1)));
    assert!(!wk.is_working_day(d(2026, 1, 10)));
    assert_eq!(wk.working_days_between(d(2026, 1, 4), d(2026, 1, 11)), 5);
}

#[test]
fn timestamps() {
    let cal = Calendar::vietnam();
    // Working day: time of day kept.
    let t = at(d(2026, 2, 13), 15, 30);
    assert_eq!(cal.add_working_days_at(t, 1), at(d(2026, 2, 23), 15, 30));
    assert_eq!(cal.add_working_days_at(t, 0), t);
    // Non-working day: roll to the next working day at 08:00, then count.
    let sat = at(d(2026, 2, 14), 10, 0);
    assert_eq!(cal.add_working_days_at(sat, 0), at(d(2026, 2, 23), 8, 0));
    assert_eq!(cal.add_working_days_at(sat, 1), at(d(2026, 2, 24), 8, 0));
    assert_eq!(WORKDAY_START, NaiveTime::from_hms_opt(8, 0, 0).unwrap());
    // Whole working days elapsed.
    assert_eq!(
        cal.working_days_between_at(t, at(d(2026, 2, 23), 15, 29)),
        0
    );
    assert_eq!(
        cal.working_days_between_at(t, at(d(2026, 2, 23), 15, 30)),
        1
    );
    assert_eq!(
        cal.working_days_between_at(at(d(2026, 2, 23), 15, 30), t),
        -1
    );
    assert_eq!(
        cal.working_days_between_at(sat, at(d(2026, 2, 15), 23, 0)),
        0
    );
    assert_eq!(
        cal.working_days_between_at(sat, at(d(2026, 2, 24), 8, 0)),
        1
    );
}

#[test]
fn out_of_range_and_extremes_do_not_panic() {
    let cal = Calendar::vietnam();
    // Outside 1900..=2199: Monday–Friday.
    assert!(cal.is_working_day(d(2300, 1, 1))); // a Monday
    assert!(!cal.is_working_day(d(1800, 1, 4))); // a Saturday
    assert_eq!(cal.add_working_days(d(2199, 12, 30), 3), d(2200, 1, 2));
    // (Fri 29 Dec 1899, Wed 3 Jan 1900]: Mon 1 Jan 1900 is New Year's Day.
    assert_eq!(cal.working_days_between(d(1899, 12, 29), d(1900, 1, 3)), 2);
    assert_eq!(
        cal.working_days_between(d(1899, 12, 22), d(1899, 12, 29)),
        5
    );
    // Saturation at chrono's maximum.
    assert_eq!(cal.add_working_days(NaiveDate::MAX, 1), NaiveDate::MAX);
    assert_eq!(
        cal.add_working_days(d(2026, 1, 1), u32::MAX),
        NaiveDate::MAX
    );
    let _ = cal.add_working_days(NaiveDate::MIN, 5);
    let _ = cal.working_days_between(NaiveDate::MIN, NaiveDate::MAX);
    let _ = cal.add_working_days_at(NaiveDateTime::MAX, 3);
    let _ = cal.working_days_between_at(NaiveDateTime::MIN, NaiveDateTime::MAX);
    // A large n inside chrono's range still satisfies the identity.
    let far = cal.add_working_days(d(2026, 1, 1), 1_000_000);
    assert_eq!(cal.working_days_between(d(2026, 1, 1), far), 1_000_000);
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    // 1899-01-01 ..= 2200-12-31: crosses both ends of the cached range.
    let lo = d(1899, 1, 1);
    (0i64..110_300).prop_map(move |i| lo + Duration::days(i))
}

fn in_range_date() -> impl Strategy<Value = NaiveDate> {
    let span = (MAX_DATE - MIN_DATE).num_days();
    (0i64..=span).prop_map(|i| MIN_DATE + Duration::days(i))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn solar_lunar_round_trip(date in in_range_date()) {
        let l = solar_to_lunar(date).unwrap();
        prop_assert!((1..=12).contains(&l.month));
        prop_assert!((1..=30).contains(&l.day));
        prop_assert_eq!(lunar_to_solar(l).unwrap(), date);
    }

    #[test]
    fn add_then_between_is_identity(date in any_date(), n in 1u32..3000) {
        let cal = vn();
        let e = cal.add_working_days(date, n);
        prop_assert!(cal.is_working_day(e));
        prop_assert!(e > date);
        prop_assert_eq!(cal.working_days_between(date, e), i64::from(n));
        // Minimal: the day before is one working day short.
        prop_assert_eq!(cal.working_days_between(date, e - Duration::days(1)), i64::from(n) - 1);
    }

    #[test]
    fn zero_days(date in any_date()) {
        let cal = vn();
        let e = cal.add_working_days(date, 0);
        prop_assert!(cal.is_working_day(e));
        prop_assert!(e >= date);
        let expected = if cal.is_working_day(date) { 0 } else { 1 };
        prop_assert_eq!(cal.working_days_between(date, e), expected);
    }

    #[test]
    fn between_is_antisymmetric_and_additive(a in any_date(), b in any_date(), c in any_date()) {
        let cal = vn();
        prop_assert_eq!(cal.working_days_between(a, b), -cal.working_days_between(b, a));
        prop_assert_eq!(
            cal.working_days_between(a, b) + cal.working_days_between(b, c),
            cal.working_days_between(a, c)
        );
        // Counting by brute force over (a, b] for short spans.
        if a <= b && (b - a).num_days() <= 60 {
            let mut n = 0;
            let mut x = a;
            while x < b {
                x += Duration::days(1);
                if cal.is_working_day(x) { n += 1; }
            }
            prop_assert_eq!(cal.working_days_between(a, b), n);
        }
    }

    #[test]
    fn timestamp_identity(date in any_date(), mins in 0u32..1440, n in 0u32..500) {
        let cal = vn();
        let t = date.and_time(NaiveTime::from_hms_opt(mins / 60, mins % 60, 0).unwrap());
        let e = cal.add_working_days_at(t, n);
        prop_assert!(e >= t);
        prop_assert!(cal.is_working_day(e.date()));
        prop_assert_eq!(cal.working_days_between_at(t, e), i64::from(n));
        prop_assert_eq!(cal.working_days_between_at(e, t), -i64::from(n));
    }

    #[test]
    fn weekdays_only_baseline(date in any_date(), n in 1u32..3000) {
        let cal = wk();
        let e = cal.add_working_days(date, n);
        prop_assert_eq!(cal.working_days_between(date, e), i64::from(n));
        // Vietnam has fewer working days than weekdays-only, except for the
        // make-up Saturdays (at most a few a year).
        prop_assert!(vn().working_days_between(date, e) <= i64::from(n) + 2 * (i64::from(n) / 200 + 1));
    }
}
