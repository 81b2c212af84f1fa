//! Working-day calendars.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

use crate::law::{statutory_holidays, Holiday, HolidayKind};
use crate::lunar::{MAX_LUNAR_YEAR, MIN_LUNAR_YEAR};
use crate::swaps::{SwapKind, SwapTable};

/// Time of day at which a timestamp that falls on a non-working day is placed
/// on the next working day (08:00, the start of office hours).
pub const WORKDAY_START: NaiveTime = match NaiveTime::from_hms_opt(8, 0, 0) {
    Some(t) => t,
    None => NaiveTime::MIN,
};

/// First day of the per-calendar cache (1900-01-01).
const CACHE_START: NaiveDate = match NaiveDate::from_ymd_opt(MIN_LUNAR_YEAR, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};
/// Last day of the per-calendar cache (2199-12-31).
const CACHE_END: NaiveDate = match NaiveDate::from_ymd_opt(MAX_LUNAR_YEAR, 12, 31) {
    Some(d) => d,
    None => NaiveDate::MAX,
};

fn day_index(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce())
}

fn date_at(index: i64) -> Option<NaiveDate> {
    i32::try_from(index)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
}

/// Number of Monday–Friday days in `[0001-01-01, day)`, for any day index
/// (negative counts for days before the anchor). 0001-01-01 (index 1) is a Monday.
fn weekdays_before(index: i64) -> i64 {
    let d = index - 1;
    5 * d.div_euclid(7) + d.rem_euclid(7).min(5)
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// A working-day calendar: which days are working days, and arithmetic on them.
///
/// A value, no global state. Construction precomputes a bitset of working
/// days for 1900-01-01..=2199-12-31 (about 14 KB) with running counts, so
/// every query is O(1) or O(log n).
///
/// Outside 1900..=2199 every Monday–Friday is a working day (no holidays are
/// known there).
///
/// # Conventions
///
/// * `working_days_between(a, b)` counts the working days in `(a, b]`
///   (negative, `-(working days in (b, a])`, if `b < a`).
/// * `add_working_days(d, n)`: counting starts the day after `d`; the result
///   is the `n`-th working day after `d`. For `n = 0` the result is `d` if `d`
///   is a working day, else the next working day. Hence
///   `working_days_between(d, add_working_days(d, n)) == n` for every `n ≥ 1`
///   (and for `n = 0` when `d` is a working day).
/// * `add_working_days_at(t, n)`: if `t` is on a working day, the date moves
///   by `add_working_days` and the time of day is kept; if `t` is on a
///   non-working day it first rolls to the next working day at 08:00
///   ([`WORKDAY_START`]) and then moves `n` working days (time 08:00). So a
///   dossier received Saturday 10:00 with 1 working day is due Tuesday 08:00
///   (if Monday and Tuesday are working days).
/// * `working_days_between_at(a, b)`: whole working days elapsed from `a` to
///   `b`, with the same rolling of non-working-day timestamps to the next
///   working day 08:00; a day counts only when `b`'s time of day has reached
///   `a`'s; never negative when `b ≥ a`, and `-(between_at(b, a))` when
///   `b < a`. `working_days_between_at(t, add_working_days_at(t, n)) == n`
///   for every `t` and `n`.
/// * Results past chrono's last representable date saturate at
///   `NaiveDate::MAX`.
#[derive(Debug, Clone)]
pub struct Calendar {
    name: String,
    swaps: SwapTable,
    with_holidays: bool,
    /// Bit i set = CACHE_START + i is a working day.
    bits: Vec<u64>,
    /// Working days before word w.
    word_prefix: Vec<u32>,
}

impl Calendar {
    /// Vietnam: statutory holidays (by the law in force each year) plus the
    /// built-in table of announced swaps. Name: `vn-<data version>`.
    pub fn vietnam() -> Self {
        match SwapTable::builtin() {
            Ok(t) => {
                let name = format!("vn-{}", t.version().unwrap_or("unversioned"));
                Self::build(name, t, true)
            }
            // Unreachable in practice: the built-in table is parsed by the
            // tests. The name makes the degradation visible in metadata.
            Err(_) => Self::build(
                "vn-builtin-swaps-unavailable".to_string(),
                SwapTable::empty("none"),
                true,
            ),
        }
    }

    /// Vietnam with extra swaps (e.g. a province's or next year's notice not
    /// yet in the built-in table). `extra` overrides built-in entries on the
    /// same date. Name: `vn-<data version>+<extra source name>`.
    pub fn vietnam_with(extra: SwapTable) -> Self {
        let base = Self::vietnam();
        let name = if extra.source_name().is_empty() {
            format!("{}+extra", base.name)
        } else {
            format!("{}+{}", base.name, extra.source_name())
        };
        let swaps = base.swaps.merged(extra);
        Self::build(name, swaps, true)
    }

    /// Monday–Friday, no holidays at all (a baseline). Name: `weekdays`.
    pub fn weekdays_only() -> Self {
        Self::build("weekdays".to_string(), SwapTable::empty("none"), false)
    }

    fn build(name: String, swaps: SwapTable, with_holidays: bool) -> Self {
        let start = day_index(CACHE_START);
        let len = (day_index(CACHE_END) - start + 1) as usize;
        let mut working = vec![false; len];
        let mut d = CACHE_START;
        for w in working.iter_mut() {
            *w = !is_weekend(d);
            d = d.succ_opt().unwrap_or(d);
        }
        let mut set = |date: NaiveDate, value: bool| {
            let i = day_index(date) - start;
            if let Ok(i) = usize::try_from(i) {
                if let Some(w) = working.get_mut(i) {
                    *w = value;
                }
            }
        };
        if with_holidays {
            for year in MIN_LUNAR_YEAR..=MAX_LUNAR_YEAR {
                for h in statutory_holidays(year) {
                    set(h.date, false);
                }
            }
            for e in swaps.entries() {
                set(e.date, e.kind == SwapKind::WorkDay);
            }
        }
        let words = len.div_ceil(64);
        let mut bits = vec![0u64; words];
        for (i, w) in working.iter().enumerate() {
            if *w {
                bits[i / 64] |= 1u64 << (i % 64);
            }
        }
        let mut word_prefix = Vec::with_capacity(words);
        let mut acc = 0u32;
        for b in &bits {
            word_prefix.push(acc);
            acc += b.count_ones();
        }
        Self {
            name,
            swaps,
            with_holidays,
            bits,
            word_prefix,
        }
    }

    /// Name of the calendar and its data version (e.g. `vn-2026.11`), for
    /// callers to record in their metadata.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The swap table in use (empty for [`Calendar::weekdays_only`]).
    pub fn swap_table(&self) -> &SwapTable {
        &self.swaps
    }

    fn cache_offset(&self, d: NaiveDate) -> Option<usize> {
        if d < CACHE_START || d > CACHE_END {
            None
        } else {
            usize::try_from(day_index(d) - day_index(CACHE_START)).ok()
        }
    }

    /// Whether `date` is a working day.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.cache_offset(date) {
            Some(i) => self
                .bits
                .get(i / 64)
                .is_some_and(|w| w & (1u64 << (i % 64)) != 0),
            None => !is_weekend(date),
        }
    }

    /// Working days in `[CACHE_START, CACHE_START + i]`.
    fn prefix_in_cache(&self, i: usize) -> i64 {
        let word = i / 64;
        let bit = i % 64;
        let mask = if bit == 63 {
            u64::MAX
        } else {
            (1u64 << (bit + 1)) - 1
        };
        let before = self.word_prefix.get(word).copied().unwrap_or(0);
        let within = self.bits.get(word).map_or(0, |w| (w & mask).count_ones());
        i64::from(before) + i64::from(within)
    }

    /// A running count of working days up to and including day `index`, so
    /// that working days in `(a, b]` = `cum(b) - cum(a)`.
    fn cum(&self, index: i64) -> i64 {
        let start = day_index(CACHE_START);
        let end = day_index(CACHE_END);
        if index < start {
            weekdays_before(index + 1)
        } else if index <= end {
            weekdays_before(start) + self.prefix_in_cache((index - start) as usize)
        } else {
            weekdays_before(start)
                + self.prefix_in_cache((end - start) as usize)
                + weekdays_before(index + 1)
                - weekdays_before(end + 1)
        }
    }

    /// Holidays of a Gregorian year: statutory days, substitute days and the
    /// swap table's days off, minus any day the swap table makes a working
    /// day; sorted by date. Empty for [`Calendar::weekdays_only`].
    pub fn holidays(&self, year: i32) -> Vec<Holiday> {
        if !self.with_holidays {
            return Vec::new();
        }
        let mut list: Vec<Holiday> = statutory_holidays(year)
            .into_iter()
            .filter(|h| !matches!(self.swaps.get(h.date), Some(e) if e.kind == SwapKind::WorkDay))
            .collect();
        for e in self.swaps.entries() {
            if e.date.year() == year
                && e.kind == SwapKind::DayOff
                && !list.iter().any(|h| h.date == e.date)
            {
                list.push(Holiday {
                    date: e.date,
                    name_vi: e.note_vi.clone(),
                    name_en: e.note_en.clone(),
                    kind: HolidayKind::ExtraDayOff,
                });
            }
        }
        list.sort();
        list
    }

    /// The `n`-th working day after `date` (counting starts the next day);
    /// for `n = 0`, `date` itself if it is a working day, else the next
    /// working day. See the type's documentation for the conventions.
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> NaiveDate {
        if n == 0 {
            if self.is_working_day(date) {
                return date;
            }
            return self.add_working_days(date, 1);
        }
        let n = i64::from(n);
        let from = day_index(date);
        let target = self.cum(from) + n;
        let max = day_index(NaiveDate::MAX);
        // Find the smallest index e > from with cum(e) >= target.
        let mut lo = from; // cum(lo) < target
        let mut span = 2 * n + 30;
        let mut hi = from.saturating_add(span).min(max);
        while self.cum(hi) < target {
            if hi >= max {
                return NaiveDate::MAX;
            }
            lo = hi;
            span = span.saturating_mul(2);
            hi = hi.saturating_add(span).min(max);
        }
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if self.cum(mid) >= target {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        date_at(hi).unwrap_or(NaiveDate::MAX)
    }

    /// Working days in `(a, b]`; negative if `b < a`. See the type's
    /// documentation.
    pub fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> i64 {
        self.cum(day_index(b)) - self.cum(day_index(a))
    }

    /// Timestamp version of [`Calendar::add_working_days`]; see the type's
    /// documentation for the convention (time kept; a start on a non-working
    /// day rolls to the next working day at 08:00).
    pub fn add_working_days_at(&self, t: NaiveDateTime, n: u32) -> NaiveDateTime {
        let d = t.date();
        if self.is_working_day(d) {
            NaiveDateTime::new(self.add_working_days(d, n), t.time())
        } else {
            let start = self.add_working_days(d, 0);
            NaiveDateTime::new(self.add_working_days(start, n), WORKDAY_START)
        }
    }

    /// (working-day count, time of day) of a timestamp, rolling non-working
    /// days to the next working day at 08:00.
    fn position(&self, t: NaiveDateTime) -> (i64, NaiveTime) {
        let d = t.date();
        let c = self.cum(day_index(d));
        if self.is_working_day(d) {
            (c, t.time())
        } else {
            (c + 1, WORKDAY_START)
        }
    }

    /// Whole working days from `a` to `b` (negative if `b < a`); see the
    /// type's documentation.
    pub fn working_days_between_at(&self, a: NaiveDateTime, b: NaiveDateTime) -> i64 {
        let whole = |x: NaiveDateTime, y: NaiveDateTime| {
            let (cx, tx) = self.position(x);
            let (cy, ty) = self.position(y);
            let days = cy - cx - i64::from(ty < tx);
            days.max(0)
        };
        if b >= a {
            whole(a, b)
        } else {
            -whole(b, a)
        }
    }
}
