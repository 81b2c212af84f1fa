//! The Vietnamese lunisolar calendar (âm lịch).
//!
//! Rules (the traditional East-Asian rules, evaluated for Vietnam's time zone):
//!
//! 1. A month starts on the civil day (UTC+7) of a new moon.
//! 2. The month containing the December solstice (sun's apparent longitude
//!    270°) is month 11.
//! 3. If 13 new moons start months between one month 11 (inclusive) and the
//!    next (exclusive), the first of those months, after the first month 11,
//!    that contains no major solar term (zhongqi, *trung khí*: a multiple of
//!    30° of solar longitude) is the leap month and repeats the number of the
//!    month before it.
//! 4. "Contains" is by civil days: a term belongs to the month whose first day
//!    is on or before the term's civil day (UTC+7) and whose next month starts
//!    after it. This is evaluated by comparing the sun's longitude at local
//!    midnight at the start of each month.
//!
//! Because new moons and solar terms are dated at UTC+7 rather than UTC+8, the
//! Vietnamese calendar differs from the Chinese one in some years (Tết 1985,
//! 2007, 2030 ...).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::astro::{lunation_containing, new_moon_day, sun_longitude_at_day_start};
use crate::error::CalendarError;

/// First supported solar date: Tết (lunar 1/1) of lunar year 1900.
pub const MIN_DATE: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 31) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// Last supported solar date.
pub const MAX_DATE: NaiveDate = match NaiveDate::from_ymd_opt(2199, 12, 31) {
    Some(d) => d,
    None => NaiveDate::MAX,
};

/// First supported lunar year.
pub const MIN_LUNAR_YEAR: i32 = 1900;
/// Last supported lunar year (only its part up to 2199-12-31 solar).
pub const MAX_LUNAR_YEAR: i32 = 2199;

/// `NaiveDate::num_days_from_ce()` + this = Julian Day Number.
const CE_TO_JDN: i64 = 1_721_425;

pub(crate) fn jdn_of(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) + CE_TO_JDN
}

pub(crate) fn date_of_jdn(jdn: i64) -> Option<NaiveDate> {
    let days = i32::try_from(jdn - CE_TO_JDN).ok()?;
    NaiveDate::from_num_days_from_ce_opt(days)
}

/// A date of the Vietnamese lunar calendar.
///
/// `year` is the Gregorian year in which that lunar year's Tết falls (so lunar
/// 12/30 of year 2025 is in February 2026). `leap` marks the repeated (leap)
/// month, *tháng nhuận*.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct LunarDate {
    /// Lunar year, numbered by the Gregorian year of its Tết.
    pub year: i32,
    /// Month 1..=12.
    pub month: u8,
    /// Day 1..=30.
    pub day: u8,
    /// The leap (repeated) month.
    pub leap: bool,
}

impl LunarDate {
    /// A regular (non-leap) lunar date.
    pub fn new(year: i32, month: u8, day: u8) -> Self {
        Self {
            year,
            month,
            day,
            leap: false,
        }
    }
}

impl std::fmt::Display for LunarDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)?;
        if self.leap {
            write!(f, "+leap")?;
        }
        Ok(())
    }
}

/// One cycle of months from a month 11 (inclusive) to the next month 11
/// (exclusive).
#[derive(Debug, Clone, Copy)]
struct Cycle {
    /// Gregorian year of the December solstice in the first month 11; months
    /// 11 and 12 of the cycle belong to lunar year `year`, months 1..=10 to
    /// `year + 1`.
    year: i32,
    /// Lunation number of the first month 11.
    start_k: i64,
    /// 12 or 13.
    len: i64,
    /// Index (1..=12) of the leap month within the cycle, if `len == 13`.
    leap_index: Option<i64>,
}

/// Lunation number of the month 11 that contains the December solstice of
/// Gregorian year `year`.
fn month11_lunation(year: i32) -> Result<i64, CalendarError> {
    let dec31 = NaiveDate::from_ymd_opt(year, 12, 31)
        .ok_or_else(|| CalendarError::Internal(format!("no 31 December in year {year}")))?;
    let k = lunation_containing(jdn_of(dec31));
    // If the sun had already reached 270° at the start of that month, the
    // solstice is in the previous month.
    if sun_longitude_at_day_start(new_moon_day(k)) >= 270.0 {
        Ok(k - 1)
    } else {
        Ok(k)
    }
}

/// Index of the major solar term interval at the start of a day (0..=11).
fn term_index(jdn: i64) -> i64 {
    (sun_longitude_at_day_start(jdn) / 30.0).floor() as i64
}

fn cycle_from(year: i32, start_k: i64, end_k: i64) -> Result<Cycle, CalendarError> {
    let len = end_k - start_k;
    let leap_index = match len {
        12 => None,
        13 => {
            let mut found = None;
            let mut this_term = term_index(new_moon_day(start_k + 1));
            for i in 1..=12 {
                let next_term = term_index(new_moon_day(start_k + i + 1));
                if next_term == this_term {
                    found = Some(i);
                    break;
                }
                this_term = next_term;
            }
            match found {
                Some(i) => Some(i),
                None => {
                    return Err(CalendarError::Internal(format!(
                        "13-month cycle from {year} without a month lacking a major term"
                    )))
                }
            }
        }
        other => {
            return Err(CalendarError::Internal(format!(
                "cycle from month 11 of {year} has {other} months"
            )))
        }
    };
    Ok(Cycle {
        year,
        start_k,
        len,
        leap_index,
    })
}

fn cycle(year: i32) -> Result<Cycle, CalendarError> {
    cycle_from(year, month11_lunation(year)?, month11_lunation(year + 1)?)
}

fn out_of_range_solar(date: NaiveDate) -> CalendarError {
    CalendarError::OutOfRange {
        value: format!("solar date {date}"),
        min: MIN_DATE.to_string(),
        max: MAX_DATE.to_string(),
    }
}

/// Converts a Gregorian date to the Vietnamese lunar calendar.
///
/// Supported range: [`MIN_DATE`]..=[`MAX_DATE`] (1900-01-31..=2199-12-31);
/// anything else is [`CalendarError::OutOfRange`].
pub fn solar_to_lunar(date: NaiveDate) -> Result<LunarDate, CalendarError> {
    if date < MIN_DATE || date > MAX_DATE {
        return Err(out_of_range_solar(date));
    }
    let jdn = jdn_of(date);
    let k = lunation_containing(jdn);
    let y = date.year();
    let m11 = month11_lunation(y)?;
    let c = if k >= m11 {
        cycle_from(y, m11, month11_lunation(y + 1)?)?
    } else {
        cycle_from(y - 1, month11_lunation(y - 1)?, m11)?
    };
    let i = k - c.start_k;
    if !(0..c.len).contains(&i) {
        return Err(CalendarError::Internal(format!(
            "{date}: month index {i} outside its cycle"
        )));
    }
    let (ordinal, leap) = match c.leap_index {
        Some(l) if i == l => (i - 1, true),
        Some(l) if i > l => (i - 1, false),
        _ => (i, false),
    };
    // ordinal 0 → month 11, 1 → 12, 2 → 1, ..., 11 → 10.
    let month = ((ordinal + 10) % 12 + 1) as u8;
    let year = if ordinal <= 1 { c.year } else { c.year + 1 };
    let day = (jdn - new_moon_day(k) + 1) as u8;
    Ok(LunarDate {
        year,
        month,
        day,
        leap,
    })
}

/// Converts a Vietnamese lunar date to the Gregorian calendar.
///
/// Errors: [`CalendarError::InvalidLunarDate`] if the date does not exist
/// (month outside 1..=12, day outside the month's 29 or 30 days, `leap` on a
/// month that is not repeated that year); [`CalendarError::OutOfRange`] if the
/// result would fall outside 1900-01-31..=2199-12-31.
pub fn lunar_to_solar(date: LunarDate) -> Result<NaiveDate, CalendarError> {
    let invalid = |reason: &str| CalendarError::InvalidLunarDate {
        date: date.to_string(),
        reason: reason.to_string(),
    };
    if !(1..=12).contains(&date.month) {
        return Err(invalid("month must be 1..=12"));
    }
    if !(1..=30).contains(&date.day) {
        return Err(invalid("day must be 1..=30"));
    }
    if !(MIN_LUNAR_YEAR..=MAX_LUNAR_YEAR).contains(&date.year) {
        return Err(CalendarError::OutOfRange {
            value: format!("lunar date {date}"),
            min: format!("lunar year {MIN_LUNAR_YEAR}"),
            max: format!("lunar year {MAX_LUNAR_YEAR} (solar {MAX_DATE})"),
        });
    }
    let ordinal = i64::from((date.month + 1) % 12);
    let cycle_year = if date.month >= 11 {
        date.year
    } else {
        date.year - 1
    };
    let c = cycle(cycle_year)?;
    let i = match (c.leap_index, date.leap) {
        (Some(l), true) if l - 1 == ordinal => l,
        (_, true) => return Err(invalid("that month is not a leap month in that year")),
        (Some(l), false) if ordinal >= l => ordinal + 1,
        _ => ordinal,
    };
    let start = new_moon_day(c.start_k + i);
    let next = new_moon_day(c.start_k + i + 1);
    let length = next - start;
    if i64::from(date.day) > length {
        return Err(invalid(&format!("that month has {length} days")));
    }
    let jdn = start + i64::from(date.day) - 1;
    let solar = date_of_jdn(jdn).ok_or_else(|| CalendarError::Internal(format!("JDN {jdn}")))?;
    if solar < MIN_DATE || solar > MAX_DATE {
        return Err(CalendarError::OutOfRange {
            value: format!("lunar date {date} (solar {solar})"),
            min: MIN_DATE.to_string(),
            max: MAX_DATE.to_string(),
        });
    }
    Ok(solar)
}

/// The leap month of a lunar year, if it has one (e.g. `Some(2)` for 2023,
/// `Some(6)` for 2025). A leap month 11 or 12 counts for the lunar year it
/// belongs to.
pub fn leap_month(lunar_year: i32) -> Result<Option<u8>, CalendarError> {
    if !(MIN_LUNAR_YEAR..=MAX_LUNAR_YEAR).contains(&lunar_year) {
        return Err(CalendarError::OutOfRange {
            value: format!("lunar year {lunar_year}"),
            min: MIN_LUNAR_YEAR.to_string(),
            max: MAX_LUNAR_YEAR.to_string(),
        });
    }
    // Months 1..=10 are in the cycle starting the year before, 11..=12 in the
    // cycle starting this year.
    let before = cycle(lunar_year - 1)?;
    if let Some(l) = before.leap_index {
        let month = ((l - 1 + 10) % 12 + 1) as u8;
        if (1..=10).contains(&month) {
            return Ok(Some(month));
        }
    }
    let this = cycle(lunar_year)?;
    if let Some(l) = this.leap_index {
        let month = ((l - 1 + 10) % 12 + 1) as u8;
        if month >= 11 {
            return Ok(Some(month));
        }
    }
    Ok(None)
}

/// Tết Nguyên đán: the solar date of lunar 1/1 of `year`.
pub fn tet_date(year: i32) -> Result<NaiveDate, CalendarError> {
    lunar_to_solar(LunarDate::new(year, 1, 1))
}

/// Giỗ Tổ Hùng Vương: the solar date of lunar 10/3 (regular third month) of `year`.
pub fn hung_kings_date(year: i32) -> Result<NaiveDate, CalendarError> {
    lunar_to_solar(LunarDate::new(year, 3, 10))
}
