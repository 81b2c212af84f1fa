//! Statutory public holidays of Vietnam, by the law in force each year.
//!
//! ALL law-by-year rules live in this file.
//!
//! | years | law | holidays (paid days off) |
//! |---|---|---|
//! | ..=2006 | Labour Code 1994 (Bộ luật Lao động 1994, art. 73), in force 1 Jan 1995 | 1/1; Tết 4 days; 30/4; 1/5; 2/9 |
//! | 2007..=2013 | Law 84/2007/QH11 amending art. 73 (2 Apr 2007) | + Hùng Kings' day, lunar 10/3 (first observed 26 Apr 2007) |
//! | 2014..=2020 | Labour Code 2012 (Law 10/2012/QH13, art. 115), in force 1 May 2013 | Tết 5 days (first applied to Tết 2014: Tết 2013, 10 Feb, was before the code took effect) |
//! | 2021.. | Labour Code 2019 (Law 45/2019/QH14, art. 112), in force 1 Jan 2021 | National Day 2 days: 2/9 plus 1 adjacent day |
//!
//! Substitute days (nghỉ bù): all three codes give the next day(s) off when a
//! holiday falls on the weekly rest day (1994 art. 73, 2012 art. 115(3),
//! 2019 art. 111(3)). With the Saturday+Sunday rest of state agencies, a
//! holiday on Saturday or Sunday moves to the next working day (Mon–Fri not
//! itself a holiday or an earlier substitute), processed in date order.
//!
//! Years before 1995 are computed with the 1994 rules as an approximation;
//! earlier decrees (and the six-day week of state agencies before 1999) are not
//! modelled.
//!
//! Days chosen where the law leaves it to the Prime Minister (his notice can
//! be encoded in the swap table, which overrides these defaults):
//!
//! * **Tết, 4 days** (until 2013): the last day of the lunar year (New Year's
//!   Eve) and lunar 1/1, 1/2, 1/3.
//! * **Tết, 5 days** (from 2014): either the last 2 days of the lunar year +
//!   1/1..1/3 ("2+3"), or the last day + 1/1..1/4 ("1+4"). Default: "2+3",
//!   unless "1+4" has strictly fewer days on a Saturday/Sunday. This reproduces
//!   the days off of every civil-service notice 2017–2026 (e.g. 2024:
//!   8–14 Feb = 5 days "2+3" + 2 substitutes; 2026: 16–20 Feb = "1+4").
//! * **National Day adjacent day** (from 2021): the day after 2/9 when 2/9 is
//!   a Monday or Thursday (joins the weekend), otherwise the day before. This
//!   reproduces 2021 (3/9), 2022 (1/9), 2023 (1/9), 2024 (3/9), 2025 (1/9);
//!   for 2026 (Wednesday) it gives 1/9.

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::lunar::{hung_kings_date, tet_date, MAX_LUNAR_YEAR, MIN_LUNAR_YEAR};

/// What a day off is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HolidayKind {
    /// Tết Dương lịch, 1/1.
    NewYear,
    /// Tết Nguyên đán (lunar new year), 4 or 5 days.
    Tet,
    /// Giỗ Tổ Hùng Vương, lunar 10/3 (from 2007).
    HungKings,
    /// Ngày Chiến thắng (Reunification day), 30/4.
    Reunification,
    /// Ngày Quốc tế Lao động, 1/5.
    Labour,
    /// Quốc khánh, 2/9 (and one adjacent day from 2021).
    NationalDay,
    /// Nghỉ bù: substitute for a holiday on a Saturday/Sunday (by law).
    Substitute,
    /// A day off announced by government notice (swap table `day_off`):
    /// hoán đổi / extra day off.
    ExtraDayOff,
}

/// One day off.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Holiday {
    /// The civil date.
    pub date: NaiveDate,
    /// Vietnamese name.
    pub name_vi: String,
    /// English name.
    pub name_en: String,
    /// Kind.
    pub kind: HolidayKind,
}

fn holiday(date: NaiveDate, kind: HolidayKind, vi: &str, en: &str) -> Holiday {
    Holiday {
        date,
        name_vi: vi.to_string(),
        name_en: en.to_string(),
        kind,
    }
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Hùng Kings' day is a holiday from 2007 (Law 84/2007/QH11).
const HUNG_KINGS_FROM: i32 = 2007;
/// Tết has 5 days from Tết 2014 (Labour Code 2012, in force 1 May 2013).
const TET_FIVE_DAYS_FROM: i32 = 2014;
/// National Day has 2 days from 2021 (Labour Code 2019, in force 1 Jan 2021).
const NATIONAL_DAY_TWO_DAYS_FROM: i32 = 2021;

fn ymd(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

/// The statutory holidays of a Gregorian year, including the substitute days
/// the law gives for holidays on a Saturday or Sunday, sorted by date.
///
/// Does not include government swaps (see [`crate::Calendar::holidays`]).
/// Returns an empty list for years outside 1900..=2199.
pub fn statutory_holidays(year: i32) -> Vec<Holiday> {
    if !(MIN_LUNAR_YEAR..=MAX_LUNAR_YEAR).contains(&year) {
        return Vec::new();
    }
    let mut days: Vec<Holiday> = Vec::new();

    if let Some(d) = ymd(year, 1, 1) {
        days.push(holiday(
            d,
            HolidayKind::NewYear,
            "Tết Dương lịch",
            "New Year's Day",
        ));
    }

    if let Ok(tet) = tet_date(year) {
        let tet_days: Vec<NaiveDate> = if year >= TET_FIVE_DAYS_FROM {
            let two_three: Vec<NaiveDate> = (-2..=2).map(|i| tet + Duration::days(i)).collect();
            let one_four: Vec<NaiveDate> = (-1..=3).map(|i| tet + Duration::days(i)).collect();
            let weekend = |v: &[NaiveDate]| v.iter().filter(|d| is_weekend(**d)).count();
            if weekend(&one_four) < weekend(&two_three) {
                one_four
            } else {
                two_three
            }
        } else {
            (-1..=2).map(|i| tet + Duration::days(i)).collect()
        };
        for d in tet_days {
            let offset = (d - tet).num_days();
            let (vi, en) = match offset {
                o if o < 0 => (
                    "Tết Nguyên đán (cuối năm Âm lịch)".to_string(),
                    "Lunar New Year (end of the lunar year)".to_string(),
                ),
                o => (
                    format!("Tết Nguyên đán (mùng {})", o + 1),
                    format!("Lunar New Year (day {})", o + 1),
                ),
            };
            days.push(holiday(d, HolidayKind::Tet, &vi, &en));
        }
    }

    if year >= HUNG_KINGS_FROM {
        if let Ok(d) = hung_kings_date(year) {
            days.push(holiday(
                d,
                HolidayKind::HungKings,
                "Giỗ Tổ Hùng Vương (10/3 Âm lịch)",
                "Hùng Kings' Commemoration Day (lunar 10/3)",
            ));
        }
    }

    if let Some(d) = ymd(year, 4, 30) {
        days.push(holiday(
            d,
            HolidayKind::Reunification,
            "Ngày Chiến thắng (Giải phóng miền Nam, thống nhất đất nước)",
            "Reunification Day",
        ));
    }
    if let Some(d) = ymd(year, 5, 1) {
        days.push(holiday(
            d,
            HolidayKind::Labour,
            "Ngày Quốc tế Lao động",
            "International Labour Day",
        ));
    }
    if let Some(d) = ymd(year, 9, 2) {
        days.push(holiday(
            d,
            HolidayKind::NationalDay,
            "Quốc khánh",
            "National Day",
        ));
        if year >= NATIONAL_DAY_TWO_DAYS_FROM {
            let adjacent = if matches!(d.weekday(), Weekday::Mon | Weekday::Thu) {
                d + Duration::days(1)
            } else {
                d - Duration::days(1)
            };
            days.push(holiday(
                adjacent,
                HolidayKind::NationalDay,
                "Quốc khánh (ngày liền kề)",
                "National Day (adjacent day)",
            ));
        }
    }

    days.sort();
    add_substitutes(days)
}

/// Adds the substitute days for holidays on Saturday/Sunday (in date order).
fn add_substitutes(mut days: Vec<Holiday>) -> Vec<Holiday> {
    let mut taken: BTreeSet<NaiveDate> = days.iter().map(|h| h.date).collect();
    let mut subs = Vec::new();
    for h in &days {
        if !is_weekend(h.date) {
            continue;
        }
        let mut d = h.date + Duration::days(1);
        while is_weekend(d) || taken.contains(&d) {
            d += Duration::days(1);
        }
        taken.insert(d);
        subs.push(holiday(
            d,
            HolidayKind::Substitute,
            &format!("Nghỉ bù {} ({})", h.name_vi, h.date.format("%d/%m")),
            &format!(
                "Substitute day for {} ({})",
                h.name_en,
                h.date.format("%d %b")
            ),
        ));
    }
    days.extend(subs);
    days.sort();
    days
}
