//! The one conversion path from cells to records, shared by every reader.
//!
//! A reader turns each value it holds (a CSV string, an XLSX cell, a JSON value, an Arrow array
//! slot) into a [`Cell`]; the field's setter converts the cell, and a whole row becomes a record or
//! one [`Reject`](crate::read::records::Reject) naming the row, the first bad column and every
//! problem found in the row.
//!
//! Dates and times: ISO 8601 (`2026-09-01`, `2026-09-01T08:30[:00[.fff]]`, with or without a
//! zone), `dd/MM/yyyy[ HH:mm[:ss]]` (also with `-` or `.`), `HH:mm[:ss] dd/MM/yyyy`, compact
//! `yyyyMMdd[HHmm[ss]]`, Excel serial numbers (days since 1899-12-30, fraction = time of day), or
//! empty. Times without a zone are Vietnam time (UTC+7); zoned times are converted to UTC+7. A due
//! date given without a time (`due_at`, `rescheduled_due_at`) means the end of that day
//! (23:59:59); other dates alone mean midnight.

mod build;
mod collect;
mod lists;
mod value;
mod when;
pub use build::*;
pub use collect::*;
pub use lists::read_log;
pub(crate) use lists::*;
pub use value::*;
pub use when::*;

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::Value;

/// One input value, whatever the format it came from.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell<'a> {
    /// No value.
    Empty,
    /// Text.
    Str(&'a str),
    /// A whole number.
    Int(i64),
    /// A decimal number.
    Float(f64),
    /// A yes/no value.
    Bool(bool),
    /// A moment already in Vietnam local time.
    DateTime(NaiveDateTime),
    /// A calendar date without a time.
    Date(NaiveDate),
    /// A nested or typed JSON value (lists, objects, numbers from JSON files).
    Json(&'a Value),
}

/// A value quoted for a message: whole when short, else its start and its length, so a runaway
/// cell never makes a runaway message (or a slow one: escaping megabytes is not free).
pub(crate) fn shown(s: &str) -> String {
    const SHOWN: usize = 60;
    match s.char_indices().nth(SHOWN) {
        None => format!("{s:?}"),
        Some((cut, _)) => format!("{:?}… ({} bytes)", &s[..cut], s.len()),
    }
}

fn json_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        other => Some(other.to_string()),
    }
}

fn float_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

impl Cell<'_> {
    /// The value as trimmed text; `None` when empty.
    pub fn text(&self) -> Option<String> {
        let s = match self {
            Cell::Empty => return None,
            Cell::Str(s) => s.trim().to_string(),
            Cell::Int(i) => i.to_string(),
            Cell::Float(x) => float_text(*x),
            Cell::Bool(b) => b.to_string(),
            Cell::DateTime(t) => t.format("%Y-%m-%dT%H:%M:%S").to_string(),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
            Cell::Json(v) => json_text(v)?.trim().to_string(),
        };
        (!s.is_empty()).then_some(s)
    }

    /// A code: text with every whitespace removed.
    pub fn code(&self) -> Option<String> {
        let s: String = self
            .text()?
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        (!s.is_empty()).then_some(s)
    }

    /// A moment or a bare date, from any of the accepted forms.
    pub fn when(&self) -> Result<Option<When>, String> {
        match self {
            Cell::Empty => Ok(None),
            Cell::DateTime(t) => Ok(Some(When::At(*t))),
            Cell::Date(d) => Ok(Some(When::Day(*d))),
            Cell::Int(i) => number_as_when(*i as f64)
                .map(Some)
                .ok_or_else(|| format!("{i} is not a date (Excel serial or yyyyMMdd)")),
            Cell::Float(x) => number_as_when(*x)
                .map(Some)
                .ok_or_else(|| format!("{x} is not a date (Excel serial)")),
            Cell::Bool(b) => Err(format!("{b} is not a date")),
            Cell::Str(s) => parse_when(s),
            Cell::Json(v) => match v {
                Value::Null => Ok(None),
                Value::String(s) => parse_when(s),
                Value::Number(n) => Cell::Float(n.as_f64().unwrap_or(f64::NAN)).when(),
                other => Err(format!("{other} is not a date")),
            },
        }
    }

    /// A moment; a bare date is midnight, or the end of the day when `end_of_day`.
    pub fn datetime(&self, end_of_day: bool) -> Result<Option<NaiveDateTime>, String> {
        Ok(self.when()?.map(|w| w.at(end_of_day)))
    }

    /// A calendar date (a moment's day).
    pub fn date(&self) -> Result<Option<NaiveDate>, String> {
        Ok(self.when()?.map(When::day))
    }

    /// A number, from a number or from text.
    pub fn number(&self) -> Result<Option<f64>, String> {
        match self {
            Cell::Empty => Ok(None),
            Cell::Int(i) => Ok(Some(*i as f64)),
            Cell::Float(x) if x.is_finite() => Ok(Some(*x)),
            Cell::Bool(b) => Ok(Some(if *b { 1.0 } else { 0.0 })),
            Cell::Json(Value::Number(n)) => Ok(n.as_f64()),
            Cell::Json(Value::Null) => Ok(None),
            _ => match self.text() {
                None => Ok(None),
                Some(s) => parse_number(&s)
                    .map(Some)
                    .ok_or_else(|| format!("{} is not a number", shown(&s))),
            },
        }
    }

    /// A whole number.
    pub fn integer(&self) -> Result<Option<i64>, String> {
        match self.number()? {
            None => Ok(None),
            Some(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => Ok(Some(x as i64)),
            Some(x) => Err(format!("{x} is not a whole number")),
        }
    }

    /// A yes/no value, from a flag, a number or text.
    pub fn boolean(&self) -> Result<Option<bool>, String> {
        match self {
            Cell::Empty => Ok(None),
            Cell::Bool(b) => Ok(Some(*b)),
            Cell::Int(i) => Ok(Some(*i != 0)),
            Cell::Float(x) => Ok(Some(*x != 0.0)),
            Cell::Json(Value::Bool(b)) => Ok(Some(*b)),
            Cell::Json(Value::Null) => Ok(None),
            Cell::Json(Value::Number(n)) => Ok(Some(n.as_f64().unwrap_or(0.0) != 0.0)),
            Cell::Json(Value::Array(a)) => Ok(Some(!a.is_empty())),
            _ => match self.text() {
                None => Ok(None),
                Some(s) => parse_bool(&s).map(Some).ok_or_else(|| {
                    format!("{} is not yes/no (1/0, true/false, có/không, x)", shown(&s))
                }),
            },
        }
    }

    /// A list or object: nested JSON values as they are, text that looks like JSON parsed;
    /// `None` for scalars.
    fn json(&self) -> Result<Option<Value>, String> {
        match self {
            Cell::Json(v @ (Value::Array(_) | Value::Object(_))) => Ok(Some((*v).clone())),
            Cell::Str(s) => {
                let t = s.trim();
                if t.starts_with('[') || t.starts_with('{') {
                    serde_json::from_str(t)
                        .map(Some)
                        .map_err(|e| format!("not valid JSON: {e}"))
                } else {
                    Ok(None)
                }
            }
            _ => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chiso::model::TimeUnit;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap_or_default()
    }

    #[test]
    fn dates_in_every_shape() {
        let w = |s: &str| {
            Cell::Str(s)
                .datetime(false)
                .unwrap_or_else(|e| panic!("{e}"))
        };
        assert_eq!(w("2026-09-01T08:30:00"), Some(at("2026-09-01 08:30:00")));
        assert_eq!(w("2026-09-01 08:30"), Some(at("2026-09-01 08:30:00")));
        assert_eq!(w("01/09/2026 08:30:15"), Some(at("2026-09-01 08:30:15")));
        assert_eq!(w("1/9/2026"), Some(at("2026-09-01 00:00:00")));
        assert_eq!(w("2026-09-01T01:30:00Z"), Some(at("2026-09-01 08:30:00")));
        assert_eq!(
            w("2026-09-01T08:30:00+07:00"),
            Some(at("2026-09-01 08:30:00"))
        );
        assert_eq!(
            w("2026-09-01T10:30:00+09:00"),
            Some(at("2026-09-01 08:30:00"))
        );
        assert_eq!(w("46266"), Some(at("2026-09-01 00:00:00")));
        assert_eq!(w("46266.5"), Some(at("2026-09-01 12:00:00")));
        assert_eq!(w("20260901083000"), Some(at("2026-09-01 08:30:00")));
        assert_eq!(w(""), None);
        assert_eq!(
            Cell::Str("01/09/2026").datetime(true).ok().flatten(),
            Some(at("2026-09-01 23:59:59"))
        );
        assert_eq!(
            Cell::Float(46266.0).datetime(false).ok().flatten(),
            Some(at("2026-09-01 00:00:00"))
        );
        assert!(Cell::Str("31/02/2026").datetime(false).is_err());
        assert!(Cell::Str("soon").datetime(false).is_err());
    }

    #[test]
    fn numbers_and_flags() {
        assert_eq!(parse_number("50.000"), Some(50000.0));
        assert_eq!(parse_number("1.234.567 đ"), Some(1234567.0));
        assert_eq!(parse_number("12,5"), Some(12.5));
        assert_eq!(parse_number("50,000"), Some(50000.0));
        assert_eq!(parse_bool("Có"), Some(true));
        assert_eq!(parse_bool("không"), Some(false));
        assert_eq!(parse_bool("x"), Some(true));
    }

    #[test]
    fn sync_shapes() {
        let v: Value = serde_json::json!([
            {"NgayYeuCauBoSung": "02/09/2026 08:00", "NgayHoanThanhBoSung": "2026-09-03T09:00:00"},
            {"NgayYeuCauBoSung": "2026-09-05T08:00:00"}
        ]);
        let w = waits(&Cell::Json(&v)).unwrap_or_default();
        assert_eq!(w.len(), 2);
        assert_eq!(w[1].completed_at, None);
        let w = waits(&Cell::Str(
            "02/09/2026 08:00..03/09/2026 09:00; 05/09/2026 08:00",
        ))
        .unwrap_or_default();
        assert_eq!(w.len(), 2);
        let fees = serde_json::json!([{"SoTien": 50000}, {"SoTien": "20.000"}]);
        assert_eq!(fee_total(&Cell::Json(&fees)).ok().flatten(), Some(70000.0));
        let st = statutory(&Cell::Str("15 ngày làm việc")).ok().flatten();
        assert_eq!(
            st.map(|s| (s.amount, s.unit)),
            Some((15.0, TimeUnit::WorkingDays))
        );
    }
}
