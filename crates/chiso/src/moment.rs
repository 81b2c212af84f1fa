//! Moments as the rules compare them: whole milliseconds since 1970-01-01 00:00 in Vietnam local
//! time. Plain integers make classification a few comparisons instead of calendar arithmetic;
//! both the record path and the columnar path judge on them, so they agree to the millisecond
//! (the portal's own times have one-second resolution).

use chrono::{DateTime, NaiveDateTime};

/// A missing moment.
pub const NO_TIME: i64 = i64::MIN;

/// Milliseconds in a calendar day (local time has no daylight saving in Vietnam).
pub const DAY_MS: i64 = 86_400_000;

/// Milliseconds in a minute.
pub const MINUTE_MS: i64 = 60_000;

/// Milliseconds since the epoch (local) to a time; `None` for [`NO_TIME`] or out of range.
pub fn time_of(ms: i64) -> Option<NaiveDateTime> {
    if ms == NO_TIME {
        return None;
    }
    DateTime::from_timestamp_millis(ms).map(|t| t.naive_utc())
}

/// A time to milliseconds since the epoch (local), [`NO_TIME`] for `None`. Sub-millisecond
/// parts are dropped (rounded towards the past).
pub fn millis_of(t: Option<NaiveDateTime>) -> i64 {
    t.map_or(NO_TIME, |t| t.and_utc().timestamp_millis())
}

/// The local calendar day of a moment, as days since 1970-01-01.
pub fn day_of(ms: i64) -> i64 {
    ms.div_euclid(DAY_MS)
}

/// Smallest and largest moments a [`NaiveDateTime`] can hold, in milliseconds.
fn bounds() -> (i64, i64) {
    (
        NaiveDateTime::MIN.and_utc().timestamp_millis(),
        NaiveDateTime::MAX.and_utc().timestamp_millis(),
    )
}

/// A moment read from a column: values no calendar time can have count as missing, exactly as
/// converting them to a time would.
#[derive(Clone, Copy, Debug)]
pub struct Range {
    lo: i64,
    hi: i64,
}

impl Default for Range {
    fn default() -> Self {
        let (lo, hi) = bounds();
        Self { lo, hi }
    }
}

impl Range {
    /// The value itself when it is a calendar time, else [`NO_TIME`].
    #[inline]
    pub fn check(self, ms: i64) -> i64 {
        if ms >= self.lo && ms <= self.hi {
            ms
        } else {
            NO_TIME
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn round_trip_and_days() {
        let t = NaiveDateTime::parse_from_str("2026-09-07 08:30:15", "%Y-%m-%d %H:%M:%S").unwrap();
        let ms = millis_of(Some(t));
        assert_eq!(time_of(ms), Some(t));
        assert_eq!(day_of(ms), day_of(ms - (8 * 3600 + 30 * 60 + 15) * 1000));
        assert_eq!(day_of(-1), -1);
        assert_eq!(time_of(NO_TIME), None);
        let r = Range::default();
        assert_eq!(r.check(ms), ms);
        assert_eq!(r.check(i64::MAX), NO_TIME);
        assert_eq!(time_of(i64::MAX), None);
    }
}
