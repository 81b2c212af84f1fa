//! Dates and times in every shape real exports use (ISO, dd/MM/yyyy, compact, Excel serials), in Vietnam time.

use chrono::{
    DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone,
};

/// Vietnam's offset from UTC.
pub fn vietnam() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).unwrap_or_else(|| chrono::Utc.fix())
}

/// A UTC instant in Vietnam local time.
pub fn utc_to_vietnam(t: NaiveDateTime) -> NaiveDateTime {
    t + Duration::hours(7)
}

pub(super) fn end_of_day(d: NaiveDate) -> NaiveDateTime {
    d.and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN))
}

/// A parsed moment: with a time, or a bare date.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum When {
    /// A moment with its time of day.
    At(NaiveDateTime),
    /// A date without a time.
    Day(NaiveDate),
}

impl When {
    pub(super) fn at(self, end: bool) -> NaiveDateTime {
        match self {
            When::At(t) => t,
            When::Day(d) if end => end_of_day(d),
            When::Day(d) => d.and_time(NaiveTime::MIN),
        }
    }
    pub(super) fn day(self) -> NaiveDate {
        match self {
            When::At(t) => t.date(),
            When::Day(d) => d,
        }
    }
}

/// An Excel serial day number (1900 date system) as a moment; integral serials are dates.
pub fn excel_serial(x: f64) -> Option<When> {
    if !(1.0..2_958_466.0).contains(&x) {
        return None;
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let days = x.floor();
    let date = base.checked_add_signed(Duration::days(days as i64))?;
    let secs = ((x - days) * 86_400.0).round() as i64;
    if secs == 0 {
        return Some(When::Day(date));
    }
    Some(When::At(
        date.and_time(NaiveTime::MIN) + Duration::seconds(secs),
    ))
}

pub(super) fn compact(s: &str) -> Option<When> {
    let fmt = match s.len() {
        8 => return NaiveDate::parse_from_str(s, "%Y%m%d").ok().map(When::Day),
        12 => "%Y%m%d%H%M",
        14 => "%Y%m%d%H%M%S",
        _ => return None,
    };
    NaiveDateTime::parse_from_str(s, fmt).ok().map(When::At)
}

pub(super) fn number_as_when(x: f64) -> Option<When> {
    if x.fract() == 0.0 && x >= 1.0e7 {
        return compact(&format!("{}", x as i64));
    }
    excel_serial(x)
}

pub(super) const NAIVE_FORMATS: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%H:%M:%S %d/%m/%Y",
    "%H:%M %d/%m/%Y",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
];

pub(super) const DATE_FORMATS: &[&str] =
    &["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d"];

pub(super) const ZONED_FORMATS: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f%:z",
    "%Y-%m-%d %H:%M:%S%.f%:z",
    "%Y-%m-%dT%H:%M:%S%.f%z",
    "%Y-%m-%d %H:%M:%S%.f%z",
    "%Y-%m-%dT%H:%M%:z",
];

pub(super) fn to_vietnam<Tz: TimeZone>(t: DateTime<Tz>) -> NaiveDateTime {
    t.with_timezone(&vietnam()).naive_local()
}

/// Parses a date or time written as text (see the module docs); `Ok(None)` for empty.
pub fn parse_when(s: &str) -> Result<Option<When>, String> {
    let s = s.trim();
    if s.is_empty() || s.eq_ignore_ascii_case("null") || s == "-" {
        return Ok(None);
    }
    // Fast paths for the two commonest shapes: 2026-09-01T08:30:00 and 01/09/2026 08:30[:00].
    let b = s.as_bytes();
    if b.len() == 19 && b[4] == b'-' && (b[10] == b'T' || b[10] == b' ') {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
            .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S"))
        {
            return Ok(Some(When::At(t)));
        }
    }
    if s.contains('/') {
        for f in ["%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M"] {
            if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
                return Ok(Some(When::At(t)));
            }
        }
        if let Ok(d) = NaiveDate::parse_from_str(s, "%d/%m/%Y") {
            return Ok(Some(When::Day(d)));
        }
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(Some(When::At(to_vietnam(t))));
    }
    if let Some(body) = s.strip_suffix('Z').or_else(|| s.strip_suffix(" UTC")) {
        for f in NAIVE_FORMATS.iter().take(6) {
            if let Ok(t) = NaiveDateTime::parse_from_str(body, f) {
                return Ok(Some(When::At(utc_to_vietnam(t))));
            }
        }
    }
    for f in ZONED_FORMATS {
        if let Ok(t) = DateTime::parse_from_str(s, f) {
            return Ok(Some(When::At(to_vietnam(t))));
        }
    }
    for f in NAIVE_FORMATS {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Ok(Some(When::At(t)));
        }
    }
    for f in DATE_FORMATS {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return Ok(Some(When::Day(d)));
        }
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        if let Some(w) = compact(s) {
            return Ok(Some(w));
        }
    }
    if let Ok(x) = s.parse::<f64>() {
        if let Some(w) = number_as_when(x) {
            return Ok(Some(w));
        }
    }
    Err(format!(
        "{} is not a date or time (2026-09-01T08:30, 01/09/2026 08:30 or an Excel serial)",
        super::shown(s)
    ))
}
