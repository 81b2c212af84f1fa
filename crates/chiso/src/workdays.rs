//! The one seam between rules and the working-day calendar. Everything that counts working days
//! goes through [`WorkCalendar`], so the calendar used is a value (no global state) and is
//! recorded in scorecards.

use crate::model::{StatutoryTime, TimeUnit};
use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime, Weekday};

/// Working-day arithmetic as the rules need it.
pub trait WorkCalendar: Sync {
    /// Identifies the calendar and its data version in scorecard metadata.
    fn name(&self) -> &str;
    /// `t` plus `n` working days, keeping the time of day.
    fn add_working_days_at(&self, t: NaiveDateTime, n: u32) -> NaiveDateTime;
    fn is_working_day(&self, d: NaiveDate) -> bool;

    /// Working days in (a, b]; negative when b is before a.
    fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> i64 {
        let (lo, hi, sign) = if a <= b { (a, b, 1) } else { (b, a, -1) };
        let mut n = 0;
        let mut d = lo;
        while d < hi {
            d = d.succ_opt().unwrap_or(hi);
            n += i64::from(self.is_working_day(d));
        }
        sign * n
    }
}

/// Monday–Friday without holidays: a baseline, and what tests use when holidays don't matter.
#[derive(Clone, Copy, Debug, Default)]
pub struct WeekdaysOnly;

impl WorkCalendar for WeekdaysOnly {
    fn name(&self) -> &str {
        "weekdays-only"
    }
    fn is_working_day(&self, d: NaiveDate) -> bool {
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
    }
    /// Same convention as the Vietnamese calendar: the time of day is kept; a start on a
    /// weekend rolls to 08:00 of the next working day.
    fn add_working_days_at(&self, t: NaiveDateTime, n: u32) -> NaiveDateTime {
        let mut d = t;
        if !self.is_working_day(d.date()) {
            while !self.is_working_day(d.date()) {
                d += Duration::days(1);
            }
            d = d.date().and_time(chiso_calendar::WORKDAY_START);
        }
        let mut left = n;
        while left > 0 {
            d += Duration::days(1);
            if self.is_working_day(d.date()) {
                left -= 1;
            }
        }
        d
    }
}

/// The Vietnamese working-day calendar: holidays by law and announced swaps.
impl WorkCalendar for chiso_calendar::Calendar {
    fn name(&self) -> &str {
        chiso_calendar::Calendar::name(self)
    }
    fn is_working_day(&self, d: NaiveDate) -> bool {
        chiso_calendar::Calendar::is_working_day(self, d)
    }
    fn add_working_days_at(&self, t: NaiveDateTime, n: u32) -> NaiveDateTime {
        chiso_calendar::Calendar::add_working_days_at(self, t, n)
    }
    fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> i64 {
        chiso_calendar::Calendar::working_days_between(self, a, b)
    }
}

/// The deadline implied by a statutory processing time counted from receipt (the fallback of
/// 2.1 when a dossier has no due date). Fractions of a day round up to whole days.
pub fn statutory_deadline(
    received: NaiveDateTime,
    time: &StatutoryTime,
    cal: &dyn WorkCalendar,
) -> NaiveDateTime {
    let amount = if time.amount.is_finite() {
        time.amount.max(0.0)
    } else {
        0.0
    };
    let whole = amount.ceil().min(100_000.0) as u32;
    match time.unit {
        TimeUnit::WorkingDays => cal.add_working_days_at(received, whole),
        TimeUnit::Days => received + Duration::days(i64::from(whole)),
        TimeUnit::Hours => received + Duration::seconds((amount * 3600.0).round() as i64),
        TimeUnit::Months => received
            .checked_add_months(Months::new(whole))
            .unwrap_or(NaiveDateTime::MAX),
    }
}
