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
    /// Whether `d` is a working day.
    fn is_working_day(&self, d: NaiveDate) -> bool;

    /// The `n`-th working day strictly after `d` (INDICATORS.md §6.1): `d` itself is never
    /// counted, whether or not it is a working day; `n = 0` gives `d`. The limits of 1.2 and of
    /// petitions end on this day, compared as calendar days.
    fn nth_working_day_after(&self, d: NaiveDate, n: u32) -> NaiveDate {
        walk_working_days(self, d, n, Direction::Forward)
    }

    /// The `n`-th working day strictly before `d` (§6.1), the latest allowed day of 1.1's
    /// publication decision; `n = 0` gives `d`.
    fn nth_working_day_before(&self, d: NaiveDate, n: u32) -> NaiveDate {
        walk_working_days(self, d, n, Direction::Backward)
    }

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

#[derive(Clone, Copy)]
enum Direction {
    Forward,
    Backward,
}

/// No calendar goes this long without a working day; past it the walk gives up (at the far
/// end of the date range) instead of looping on a calendar with no working days.
const MAX_GAP_DAYS: i64 = 3660;

/// Steps day by day from `d` (not counted) until the `n`-th working day in the direction.
fn walk_working_days<C: WorkCalendar + ?Sized>(
    cal: &C,
    d: NaiveDate,
    n: u32,
    dir: Direction,
) -> NaiveDate {
    let (step, limit) = match dir {
        Direction::Forward => (Duration::days(1), NaiveDate::MAX),
        Direction::Backward => (Duration::days(-1), NaiveDate::MIN),
    };
    let mut at = d;
    let mut left = n;
    let mut gap = 0;
    while left > 0 {
        at = match at.checked_add_signed(step) {
            Some(next) => next,
            None => return limit,
        };
        if cal.is_working_day(at) {
            left -= 1;
            gap = 0;
        } else {
            gap += 1;
            if gap > MAX_GAP_DAYS {
                return limit;
            }
        }
    }
    at
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
    /// The calendar's own search (its `add_working_days` counts from the next day for n ≥ 1).
    fn nth_working_day_after(&self, d: NaiveDate, n: u32) -> NaiveDate {
        if n == 0 {
            return d;
        }
        chiso_calendar::Calendar::add_working_days(self, d, n)
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn windows_never_count_the_start_day() {
        let vn = chiso_calendar::Calendar::vietnam();
        for cal in [&WeekdaysOnly as &dyn WorkCalendar, &vn] {
            // Saturday 21 March 2026: the 1st working day after is Monday 23, the 5th Friday 27,
            // exactly as from Friday 20.
            assert_eq!(
                cal.nth_working_day_after(d("2026-03-21"), 1),
                d("2026-03-23")
            );
            assert_eq!(
                cal.nth_working_day_after(d("2026-03-21"), 5),
                d("2026-03-27")
            );
            assert_eq!(
                cal.nth_working_day_after(d("2026-03-20"), 5),
                d("2026-03-27")
            );
            // 5 working days before Monday 30 March is Monday 23; before Saturday 28 it is
            // Monday 23 too (the Saturday is not counted).
            assert_eq!(
                cal.nth_working_day_before(d("2026-03-30"), 5),
                d("2026-03-23")
            );
            assert_eq!(
                cal.nth_working_day_before(d("2026-03-28"), 5),
                d("2026-03-23")
            );
            assert_eq!(
                cal.nth_working_day_before(d("2026-03-30"), 0),
                d("2026-03-30")
            );
        }
        // Holidays are skipped: Reunification Day and Labour Day 2026 (Thu 30 April, Fri 1 May).
        assert_eq!(
            vn.nth_working_day_after(d("2026-04-29"), 1),
            d("2026-05-04")
        );
        assert_eq!(
            vn.nth_working_day_before(d("2026-05-04"), 1),
            d("2026-04-29")
        );
    }
}
