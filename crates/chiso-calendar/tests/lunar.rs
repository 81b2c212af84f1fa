#![allow(clippy::unwrap_used)]
//! Lunar calendar: known dates, Tết table, leap months, round trips.

use chiso_calendar::{
    hung_kings_date, leap_month, lunar_to_solar, solar_to_lunar, tet_date, CalendarError,
    LunarDate, MAX_DATE, MIN_DATE,
};
use chrono::NaiveDate;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Years where the Vietnamese calendar (UTC+7) differs from the Chinese one
/// (UTC+8): Tết 1985 is 21 Jan (China: 20 Feb, a different month 11/leap
/// placement), 2007 is 17 Feb (China 18 Feb), 2030 is 2 Feb (China 3 Feb).
#[test]
fn tet_dates_that_differ_from_china() {
    assert_eq!(tet_date(1985).unwrap(), d(1985, 1, 21));
    assert_eq!(tet_date(2007).unwrap(), d(2007, 2, 17));
    assert_eq!(tet_date(2030).unwrap(), d(2030, 2, 2));
    // Tết Mậu Thân 1968 (the Tết offensive): 29 Jan in the North's new
    // calendar (UTC+7), 30 Jan in China.
    assert_eq!(tet_date(1968).unwrap(), d(1968, 1, 29));
}

#[test]
fn hung_kings_known_dates() {
    assert_eq!(hung_kings_date(2009).unwrap(), d(2009, 4, 4));
    // From the published holiday schedules of each year.
    assert_eq!(hung_kings_date(2019).unwrap(), d(2019, 4, 14));
    assert_eq!(hung_kings_date(2020).unwrap(), d(2020, 4, 2));
    assert_eq!(hung_kings_date(2022).unwrap(), d(2022, 4, 10));
    assert_eq!(hung_kings_date(2023).unwrap(), d(2023, 4, 29));
    assert_eq!(hung_kings_date(2024).unwrap(), d(2024, 4, 18));
    assert_eq!(hung_kings_date(2025).unwrap(), d(2025, 4, 7));
    assert_eq!(hung_kings_date(2026).unwrap(), d(2026, 4, 26));
}

/// Tết Nguyên đán (lunar 1/1), 1990–2030.
///
/// Source: the table of Tết dates in the Wikipedia articles "Tết" and
/// "Vietnamese calendar" (which follow the calendar published in Vietnam,
/// UTC+7), cross-checked for 2019–2026 with the government's holiday notices
/// (e.g. Thông báo 5015/TB-LĐTBXH for 2024: 29 tháng Chạp = 8 Feb 2024).
const TET_1990_2030: [(i32, u32, u32); 41] = [
    (1990, 1, 27),
    (1991, 2, 15),
    (1992, 2, 4),
    (1993, 1, 23),
    (1994, 2, 10),
    (1995, 1, 31),
    (1996, 2, 19),
    (1997, 2, 7),
    (1998, 1, 28),
    (1999, 2, 16),
    (2000, 2, 5),
    (2001, 1, 24),
    (2002, 2, 12),
    (2003, 2, 1),
    (2004, 1, 22),
    (2005, 2, 9),
    (2006, 1, 29),
    (2007, 2, 17),
    (2008, 2, 7),
    (2009, 1, 26),
    (2010, 2, 14),
    (2011, 2, 3),
    (2012, 1, 23),
    (2013, 2, 10),
    (2014, 1, 31),
    (2015, 2, 19),
    (2016, 2, 8),
    (2017, 1, 28),
    (2018, 2, 16),
    (2019, 2, 5),
    (2020, 1, 25),
    (2021, 2, 12),
    (2022, 2, 1),
    (2023, 1, 22),
    (2024, 2, 10),
    (2025, 1, 29),
    (2026, 2, 17),
    (2027, 2, 6),
    (2028, 1, 26),
    (2029, 2, 13),
    (2030, 2, 2),
];

#[test]
fn tet_table_1990_2030() {
    let mut wrong = Vec::new();
    for (y, m, day) in TET_1990_2030 {
        let got = tet_date(y).unwrap();
        if got != d(y, m, day) {
            wrong.push(format!("{y}: expected {}, got {got}", d(y, m, day)));
        }
        // And back: that day is lunar 1/1 of year y, the day before is the
        // last day of month 12 of year y - 1.
        assert_eq!(solar_to_lunar(got).unwrap(), LunarDate::new(y, 1, 1));
        let eve = solar_to_lunar(got.pred_opt().unwrap()).unwrap();
        assert_eq!((eve.year, eve.month, eve.leap), (y - 1, 12, false), "{y}");
        assert!(eve.day == 29 || eve.day == 30);
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn last_day_of_lunar_year_in_notices() {
    // 2019: "tháng Chạp năm Mậu Tuất có ngày 30"; 2025: 28 Jan 2025 was
    // 29 tháng Chạp (no 30th); 2024: 8 Feb 2024 = 29 tháng Chạp Quý Mão;
    // 2026: 16 Feb 2026 = 29 tháng Chạp Ất Tỵ (notices).
    assert_eq!(
        solar_to_lunar(d(2019, 2, 4)).unwrap(),
        LunarDate::new(2018, 12, 30)
    );
    assert_eq!(
        solar_to_lunar(d(2025, 1, 28)).unwrap(),
        LunarDate::new(2024, 12, 29)
    );
    assert_eq!(
        solar_to_lunar(d(2024, 2, 8)).unwrap(),
        LunarDate::new(2023, 12, 29)
    );
    assert_eq!(
        solar_to_lunar(d(2026, 2, 16)).unwrap(),
        LunarDate::new(2025, 12, 29)
    );
    assert_eq!(
        solar_to_lunar(d(2026, 2, 14)).unwrap(),
        LunarDate::new(2025, 12, 27)
    );
    assert_eq!(
        solar_to_lunar(d(2026, 2, 22)).unwrap(),
        LunarDate::new(2026, 1, 6)
    );
}

#[test]
fn leap_months() {
    // Vietnamese almanacs: 2012 nhuận tháng 4, 2014 nhuận 9, 2017 nhuận 6,
    // 2020 nhuận 4, 2023 nhuận 2, 2025 nhuận 6; no leap month in 2024, 2026.
    assert_eq!(leap_month(2012).unwrap(), Some(4));
    assert_eq!(leap_month(2014).unwrap(), Some(9));
    assert_eq!(leap_month(2017).unwrap(), Some(6));
    assert_eq!(leap_month(2020).unwrap(), Some(4));
    assert_eq!(leap_month(2023).unwrap(), Some(2));
    assert_eq!(leap_month(2025).unwrap(), Some(6));
    assert_eq!(leap_month(2024).unwrap(), None);
    assert_eq!(leap_month(2026).unwrap(), None);
    // A leap date round-trips; the same day in a non-leap month is different.
    let leap = LunarDate {
        year: 2025,
        month: 6,
        day: 1,
        leap: true,
    };
    let s = lunar_to_solar(leap).unwrap();
    assert_eq!(solar_to_lunar(s).unwrap(), leap);
    assert_eq!(s, d(2025, 7, 25));
    assert_eq!(
        lunar_to_solar(LunarDate::new(2025, 6, 1)).unwrap(),
        d(2025, 6, 25)
    );
}

#[test]
fn every_lunar_year_has_12_or_13_months_and_sane_tet() {
    for y in 1900..=2199 {
        let t = tet_date(y).unwrap();
        assert!(t >= d(y, 1, 21) && t <= d(y, 2, 20), "{y}: {t}");
        if y < 2199 {
            let next = tet_date(y + 1).unwrap();
            let len = (next - t).num_days();
            let leap = leap_month(y).unwrap();
            if leap.is_some() {
                assert!((383..=385).contains(&len), "{y}: {len}");
            } else {
                assert!((353..=355).contains(&len), "{y}: {len}");
            }
        }
    }
}

#[test]
fn errors_are_typed() {
    assert!(matches!(
        solar_to_lunar(d(1900, 1, 30)),
        Err(CalendarError::OutOfRange { .. })
    ));
    assert!(matches!(
        solar_to_lunar(d(2200, 1, 1)),
        Err(CalendarError::OutOfRange { .. })
    ));
    assert!(matches!(
        solar_to_lunar(NaiveDate::MIN),
        Err(CalendarError::OutOfRange { .. })
    ));
    assert!(solar_to_lunar(MIN_DATE).is_ok());
    assert!(solar_to_lunar(MAX_DATE).is_ok());
    assert!(matches!(
        lunar_to_solar(LunarDate::new(2024, 13, 1)),
        Err(CalendarError::InvalidLunarDate { .. })
    ));
    assert!(matches!(
        lunar_to_solar(LunarDate::new(2024, 0, 1)),
        Err(CalendarError::InvalidLunarDate { .. })
    ));
    assert!(matches!(
        lunar_to_solar(LunarDate::new(2024, 1, 31)),
        Err(CalendarError::InvalidLunarDate { .. })
    ));
    // Month 12 of 2024 (Giáp Thìn) has 29 days.
    assert!(matches!(
        lunar_to_solar(LunarDate::new(2024, 12, 30)),
        Err(CalendarError::InvalidLunarDate { .. })
    ));
    // 2024 has no leap month.
    assert!(matches!(
        lunar_to_solar(LunarDate {
            year: 2024,
            month: 3,
            day: 1,
            leap: true
        }),
        Err(CalendarError::InvalidLunarDate { .. })
    ));
    assert!(matches!(
        tet_date(1899),
        Err(CalendarError::OutOfRange { .. })
    ));
    assert!(matches!(
        tet_date(2200),
        Err(CalendarError::OutOfRange { .. })
    ));
    assert!(matches!(
        tet_date(i32::MAX),
        Err(CalendarError::OutOfRange { .. })
    ));
    assert!(matches!(
        tet_date(i32::MIN),
        Err(CalendarError::OutOfRange { .. })
    ));
    // Lunar 1899/12 is before 1900-01-31.
    assert!(matches!(
        lunar_to_solar(LunarDate::new(1899, 12, 1)),
        Err(CalendarError::OutOfRange { .. })
    ));
    // Lunar 2199/12/29 is after 2199-12-31.
    assert!(lunar_to_solar(LunarDate::new(2199, 12, 29)).is_err());
}

/// Every day 1900-01-31..=2199-12-31: solar → lunar → solar, and consecutive
/// days advance the lunar date by one (or start a new month on day 1).
#[test]
fn every_day_round_trips() {
    let mut day = MIN_DATE;
    let mut prev: Option<LunarDate> = None;
    let mut count = 0u32;
    while day <= MAX_DATE {
        let l = solar_to_lunar(day).unwrap();
        assert_eq!(lunar_to_solar(l).unwrap(), day, "{day} -> {l}");
        if let Some(p) = prev {
            if l.day == 1 {
                assert!(p.day == 29 || p.day == 30, "{day}: {p} -> {l}");
            } else {
                assert_eq!(
                    (l.year, l.month, l.leap, l.day),
                    (p.year, p.month, p.leap, p.day + 1)
                );
            }
        }
        prev = Some(l);
        count += 1;
        day = day.succ_opt().unwrap();
    }
    assert_eq!(count, 109_543);
}

#[test]
fn serde_shape() {
    let l = LunarDate::new(2026, 1, 1);
    let json = serde_json::to_string(&l).unwrap();
    assert_eq!(json, r#"{"year":2026,"month":1,"day":1,"leap":false}"#);
    let back: LunarDate = serde_json::from_str(&json).unwrap();
    assert_eq!(back, l);
}
