//! Evaluation periods: month, quarter, half-year, year or an arbitrary inclusive date range.

use crate::error::{ChisoError, Result};
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// An inclusive range of calendar days (Vietnam local dates) with the label it was parsed from.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    start: NaiveDate,
    end: NaiveDate,
}

impl Period {
    /// A range of days; `end` is inclusive.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<Self> {
        if end < start {
            return Err(ChisoError::Period {
                input: format!("{start}..{end}"),
                reason: "the range ends before it starts".into(),
            });
        }
        Ok(Self { start, end })
    }

    /// First day of the period.
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// Last day of the period (inclusive).
    pub fn end(&self) -> NaiveDate {
        self.end
    }

    /// First instant of the period.
    pub fn start_time(&self) -> NaiveDateTime {
        self.start.and_time(NaiveTime::MIN)
    }

    /// Last instant of the period (23:59:59.999999999 of the last day).
    pub fn end_time(&self) -> NaiveDateTime {
        let next = self.end.succ_opt().unwrap_or(self.end);
        if next == self.end {
            return self.end.and_time(NaiveTime::MIN);
        }
        next.and_time(NaiveTime::MIN) - chrono::Duration::nanoseconds(1)
    }

    /// Whether an instant falls on a day of the period.
    pub fn contains(&self, t: NaiveDateTime) -> bool {
        let d = t.date();
        self.start <= d && d <= self.end
    }

    /// The canonical label: `2026`, `2026-Q3`, `2026-H1`, `2026-09` or `start..end`; the year
    /// has four digits (`0722`), so the label always parses back (found by fuzzing).
    pub fn label(&self) -> String {
        let (s, e) = (self.start, self.end);
        let y = s.year();
        let month_end = |m: u32| last_day_of_month(y, m);
        if s.day() == 1 && e.year() == y {
            if s.month() == 1 && e == NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or(e) {
                return format!("{y:04}");
            }
            if (s.month() == 1 || s.month() == 7) && Some(e) == month_end(s.month() + 5) {
                return format!("{y:04}-H{}", if s.month() == 1 { 1 } else { 2 });
            }
            if (s.month() - 1) % 3 == 0 && Some(e) == month_end(s.month() + 2) {
                return format!("{y:04}-Q{}", (s.month() - 1) / 3 + 1);
            }
            if Some(e) == month_end(s.month()) {
                return format!("{y:04}-{:02}", s.month());
            }
        }
        format!("{s}..{e}")
    }

    /// The period of the same length kind one year earlier is not needed; the year before this
    /// period's start, used by the 1.4 fallback.
    pub fn previous_year(&self) -> i32 {
        self.start.year() - 1
    }

    /// How many of this period fit in a year, for pro-rating a yearly figure (12 for a month,
    /// 4 for a quarter, 2 for a half, 1 for a year; by days otherwise).
    pub fn per_year_divisor(&self) -> f64 {
        let label = self.label();
        if label.contains("-Q") {
            4.0
        } else if label.contains("-H") {
            2.0
        } else if label.len() == 4 {
            1.0
        } else if label.len() == 7 {
            12.0
        } else {
            let days = (self.end - self.start).num_days() as f64 + 1.0;
            365.0 / days
        }
    }
}

fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    if !(1..=12).contains(&month) {
        return None;
    }
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()
}

fn bad(input: &str, reason: impl Into<String>) -> ChisoError {
    ChisoError::Period {
        input: input.to_string(),
        reason: reason.into(),
    }
}

fn parse_year(input: &str, s: &str) -> Result<i32> {
    if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad(input, format!("{s:?} is not a four-digit year")));
    }
    s.parse::<i32>()
        .map_err(|_| bad(input, format!("{s:?} is not a year")))
}

impl FromStr for Period {
    type Err = ChisoError;

    fn from_str(raw: &str) -> Result<Self> {
        let input = raw.trim();
        if let Some((a, b)) = input.split_once("..") {
            let start = NaiveDate::parse_from_str(a.trim(), "%Y-%m-%d")
                .map_err(|_| bad(raw, format!("{a:?} is not a date (YYYY-MM-DD)")))?;
            let end = NaiveDate::parse_from_str(b.trim(), "%Y-%m-%d")
                .map_err(|_| bad(raw, format!("{b:?} is not a date (YYYY-MM-DD)")))?;
            return Period::new(start, end)
                .map_err(|_| bad(raw, "the range ends before it starts"));
        }
        let (year_part, rest) = match input.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (input, None),
        };
        let year = parse_year(raw, year_part)?;
        let ymd = |m: u32, d: u32| {
            NaiveDate::from_ymd_opt(year, m, d).ok_or_else(|| bad(raw, "date out of range"))
        };
        let month_end =
            |m: u32| last_day_of_month(year, m).ok_or_else(|| bad(raw, "date out of range"));
        let (start, end) = match rest {
            None => (ymd(1, 1)?, ymd(12, 31)?),
            Some(r) if r.len() == 2 && (r.starts_with('Q') || r.starts_with('q')) => {
                let q: u32 = r[1..]
                    .parse()
                    .ok()
                    .filter(|q| (1..=4).contains(q))
                    .ok_or_else(|| bad(raw, "quarter must be Q1..Q4"))?;
                (ymd(3 * q - 2, 1)?, month_end(3 * q)?)
            }
            Some(r) if r.len() == 2 && (r.starts_with('H') || r.starts_with('h')) => {
                let h: u32 = r[1..]
                    .parse()
                    .ok()
                    .filter(|h| (1..=2).contains(h))
                    .ok_or_else(|| bad(raw, "half-year must be H1 or H2"))?;
                (ymd(6 * h - 5, 1)?, month_end(6 * h)?)
            }
            Some(r) if r.len() == 2 && r.bytes().all(|b| b.is_ascii_digit()) => {
                let m: u32 = r
                    .parse()
                    .ok()
                    .filter(|m| (1..=12).contains(m))
                    .ok_or_else(|| bad(raw, "month must be 01..12"))?;
                (ymd(m, 1)?, month_end(m)?)
            }
            Some(r) => return Err(bad(raw, format!("unrecognised suffix {r:?}"))),
        };
        Period::new(start, end)
    }
}

/// An evaluation moment written as text (Vietnam time): `2026-09-26T11:00[:00[.fff]]`, the
/// same with a space, or a date alone, meaning the end of that day.
pub fn parse_moment(text: &str) -> Result<NaiveDateTime> {
    let s = text.trim();
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Ok(t);
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(23, 59, 59))
        .ok_or_else(|| ChisoError::Value {
            field: "as_of".into(),
            message: format!("{s:?} is not a date or time (2026-09-26 or 2026-09-26T11:00)"),
        })
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.label())
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
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
    fn parses_every_shape() {
        let cases = [
            ("2026", "2026-01-01", "2026-12-31"),
            ("2026-Q3", "2026-07-01", "2026-09-30"),
            ("2026-H1", "2026-01-01", "2026-06-30"),
            ("2026-H2", "2026-07-01", "2026-12-31"),
            ("2026-09", "2026-09-01", "2026-09-30"),
            ("2024-02", "2024-02-01", "2024-02-29"),
            ("2026-01-01..2026-03-31", "2026-01-01", "2026-03-31"),
        ];
        for (input, s, e) in cases {
            let p: Period = input.parse().unwrap();
            assert_eq!((p.start(), p.end()), (d(s), d(e)), "{input}");
        }
    }

    #[test]
    fn labels_round_trip() {
        for input in [
            "2026",
            "2026-Q3",
            "2026-H1",
            "2026-09",
            "2026-01-05..2026-02-10",
            // Years below 1000 keep four digits (fuzz target period_and_dates: "0722").
            "0722",
            "0722-Q1",
        ] {
            let p: Period = input.parse().unwrap();
            assert_eq!(p.label(), input);
            assert_eq!(p.label().parse::<Period>().unwrap(), p);
        }
        // A date range that happens to be a quarter gets the quarter's label.
        let p: Period = "2026-01-01..2026-03-31".parse().unwrap();
        assert_eq!(p.label(), "2026-Q1");
    }

    #[test]
    fn rejects_garbage_with_a_clear_error() {
        for input in [
            "",
            "26",
            "2026-Q5",
            "2026-13",
            "2026-H3",
            "2026-3",
            "Q3-2026",
            "2026-03-31..2026-01-01",
            "2026-02-30..2026-03-01",
        ] {
            let err = input.parse::<Period>().unwrap_err();
            assert!(matches!(err, ChisoError::Period { .. }), "{input}");
            assert!(err.to_string().contains("Expected 2026"), "{err}");
        }
    }

    #[test]
    fn moments_parse_from_text() {
        assert_eq!(
            parse_moment("2026-09-26T11:00").unwrap(),
            d("2026-09-26").and_hms_opt(11, 0, 0).unwrap()
        );
        assert_eq!(
            parse_moment(" 2026-09-26 11:00:05.5 ")
                .unwrap()
                .and_utc()
                .timestamp_millis()
                % 1000,
            500
        );
        assert_eq!(
            parse_moment("2026-09-26").unwrap(),
            d("2026-09-26").and_hms_opt(23, 59, 59).unwrap()
        );
        assert!(parse_moment("yesterday").is_err());
    }

    #[test]
    fn contains_whole_last_day() {
        let p: Period = "2026-09".parse().unwrap();
        assert!(p.contains(d("2026-09-30").and_hms_opt(23, 59, 59).unwrap()));
        assert!(!p.contains(d("2026-10-01").and_hms_opt(0, 0, 0).unwrap()));
        assert!(p.end_time() < d("2026-10-01").and_hms_opt(0, 0, 0).unwrap());
        assert_eq!(p.per_year_divisor(), 12.0);
    }
}
