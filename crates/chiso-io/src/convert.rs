//! The one conversion path from cells to records, shared by every reader.
//!
//! A reader turns each value it holds (a CSV string, an XLSX cell, a JSON value, an Arrow array
//! slot) into a [`Cell`]; the field's setter converts the cell, and a whole row becomes a record or
//! one [`Reject`] naming the row, the first bad column and every problem found in the row.
//!
//! Dates and times: ISO 8601 (`2026-09-01`, `2026-09-01T08:30[:00[.fff]]`, with or without a
//! zone), `dd/MM/yyyy[ HH:mm[:ss]]` (also with `-` or `.`), `HH:mm[:ss] dd/MM/yyyy`, compact
//! `yyyyMMdd[HHmm[ss]]`, Excel serial numbers (days since 1899-12-30, fraction = time of day), or
//! empty. Times without a zone are Vietnam time (UTC+7); zoned times are converted to UTC+7. A due
//! date given without a time (`due_at`, `rescheduled_due_at`) means the end of that day
//! (23:59:59); other dates alone mean midnight.

use crate::columns::{FieldSpec, RecordKind, Resolution};
use crate::records::{Records, Reject, Superseded};
use chiso::model::{Level, OnlineLevel, PaymentGateway, StatutoryTime, Step, TimeUnit, Wait};
use chiso::{Channel, Dossier, Petition, Procedure, Status, Unit, UnitKind};
use chrono::{
    DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone,
};
use serde_json::Value;
use std::collections::HashMap;

/// One input value, whatever the format it came from.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell<'a> {
    Empty,
    Str(&'a str),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A moment already in Vietnam local time.
    DateTime(NaiveDateTime),
    /// A calendar date without a time.
    Date(NaiveDate),
    /// A nested or typed JSON value (lists, objects, numbers from JSON files).
    Json(&'a Value),
}

/// Vietnam's offset from UTC.
pub fn vietnam() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).unwrap_or_else(|| chrono::Utc.fix())
}

/// A UTC instant in Vietnam local time.
pub fn utc_to_vietnam(t: NaiveDateTime) -> NaiveDateTime {
    t + Duration::hours(7)
}

fn end_of_day(d: NaiveDate) -> NaiveDateTime {
    d.and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN))
}

/// A parsed moment: with a time, or a bare date.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum When {
    At(NaiveDateTime),
    Day(NaiveDate),
}

impl When {
    fn at(self, end: bool) -> NaiveDateTime {
        match self {
            When::At(t) => t,
            When::Day(d) if end => end_of_day(d),
            When::Day(d) => d.and_time(NaiveTime::MIN),
        }
    }
    fn day(self) -> NaiveDate {
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

fn compact(s: &str) -> Option<When> {
    let fmt = match s.len() {
        8 => return NaiveDate::parse_from_str(s, "%Y%m%d").ok().map(When::Day),
        12 => "%Y%m%d%H%M",
        14 => "%Y%m%d%H%M%S",
        _ => return None,
    };
    NaiveDateTime::parse_from_str(s, fmt).ok().map(When::At)
}

fn number_as_when(x: f64) -> Option<When> {
    if x.fract() == 0.0 && x >= 1.0e7 {
        return compact(&format!("{}", x as i64));
    }
    excel_serial(x)
}

const NAIVE_FORMATS: &[&str] = &[
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

const DATE_FORMATS: &[&str] = &["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d"];

const ZONED_FORMATS: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f%:z",
    "%Y-%m-%d %H:%M:%S%.f%:z",
    "%Y-%m-%dT%H:%M:%S%.f%z",
    "%Y-%m-%d %H:%M:%S%.f%z",
    "%Y-%m-%dT%H:%M%:z",
];

fn to_vietnam<Tz: TimeZone>(t: DateTime<Tz>) -> NaiveDateTime {
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
        "{s:?} is not a date or time (2026-09-01T08:30, 01/09/2026 08:30 or an Excel serial)"
    ))
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

    pub fn date(&self) -> Result<Option<NaiveDate>, String> {
        Ok(self.when()?.map(When::day))
    }

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
                    .ok_or_else(|| format!("{s:?} is not a number")),
            },
        }
    }

    pub fn integer(&self) -> Result<Option<i64>, String> {
        match self.number()? {
            None => Ok(None),
            Some(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => Ok(Some(x as i64)),
            Some(x) => Err(format!("{x} is not a whole number")),
        }
    }

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
                Some(s) => parse_bool(&s)
                    .map(Some)
                    .ok_or_else(|| format!("{s:?} is not yes/no (1/0, true/false, có/không, x)")),
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

/// Numbers as people write them: `1234.5`, `1,5`, `50.000`, `1.234.567`, `50,000 đ`.
pub fn parse_number(s: &str) -> Option<f64> {
    let t: String = s
        .trim()
        .trim_end_matches(|c: char| c.is_alphabetic() || c.is_whitespace())
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if t.is_empty() {
        return None;
    }
    let grouped = |sep: char| {
        let parts: Vec<&str> = t.split(sep).collect();
        parts.len() > 1
            && (1..=3).contains(&parts[0].trim_start_matches('-').len())
            && parts[1..].iter().all(|p| p.len() == 3)
            && parts.iter().all(|p| {
                p.trim_start_matches('-')
                    .bytes()
                    .all(|b| b.is_ascii_digit())
            })
    };
    // Vietnamese amounts group thousands with dots: 50.000 is fifty thousand.
    if grouped('.') {
        return t.replace('.', "").parse().ok();
    }
    if grouped(',') {
        return t.replace(',', "").parse().ok();
    }
    if let Ok(x) = t.parse::<f64>() {
        return x.is_finite().then_some(x);
    }
    if t.contains(',') && !t.contains('.') {
        return t.replace(',', ".").parse().ok();
    }
    // 1.234,5 (European) or 1,234.5
    if let (Some(d), Some(c)) = (t.rfind('.'), t.rfind(',')) {
        let cleaned = if c > d {
            t.replace('.', "").replace(',', ".")
        } else {
            t.replace(',', "")
        };
        return cleaned.parse().ok();
    }
    None
}

fn norm(s: &str) -> String {
    crate::columns::normalize_header(s)
}

/// Yes/no in English and Vietnamese.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s.trim() {
        "1" | "true" | "TRUE" | "True" | "x" | "X" => return Some(true),
        "0" | "false" | "FALSE" | "False" => return Some(false),
        _ => {}
    }
    match norm(s).as_str() {
        "1" | "true" | "t" | "yes" | "y" | "x" | "co" | "dung" | "da" | "roi" => Some(true),
        "0" | "false" | "f" | "no" | "n" | "khong" | "sai" | "chua" => Some(false),
        n => n.parse::<f64>().ok().map(|x| x != 0.0),
    }
}

fn enum_code(cell: &Cell<'_>) -> Result<Option<(Option<i64>, String)>, String> {
    let Some(t) = cell.text() else {
        return Ok(None);
    };
    let code = parse_number(&t)
        .filter(|x| x.fract() == 0.0)
        .map(|x| x as i64);
    // The normalised name is only needed when the value is not a number.
    let name = if code.is_some() {
        String::new()
    } else {
        norm(&t)
    };
    Ok(Some((code, name)))
}

pub(crate) fn status(cell: &Cell<'_>) -> Result<Option<Status>, String> {
    let Some((code, n)) = enum_code(cell)? else {
        return Ok(None);
    };
    if let Some(c) = code {
        let c = u8::try_from(c).map_err(|_| format!("{c} is not a status code (1–10)"))?;
        return Status::try_from(c).map(Some).map_err(|e| e.to_string());
    }
    let s = match n.as_str() {
        "new" | "moi" | "moinop" | "chotiepnhan" => Status::New,
        "received" | "tiepnhan" | "datiepnhan" => Status::Received,
        "refusedatcounter" | "refused" | "tuchoi" | "tuchoitiepnhan" | "khongtiepnhan" => {
            Status::RefusedAtCounter
        }
        "inprogress" | "dangxuly" | "danggiaiquyet" => Status::InProgress,
        "supplementrequested" | "yeucaubosung" | "chobosung" | "bosung" => {
            Status::SupplementRequested
        }
        "waitingforfees" | "chonopphi" | "chothanhtoan" => Status::WaitingForFees,
        "withdrawn" | "rut" | "darut" | "ruthoso" | "congdanruthoso" => Status::Withdrawn,
        "stopped" | "dungxuly" | "ngungxuly" => Status::Stopped,
        "finished" | "daxuly" | "hoanthanh" | "daxulyxong" | "cokequa" | "coketqua" => {
            Status::Finished
        }
        "returned" | "datra" | "datraketqua" | "traketqua" => Status::Returned,
        _ => {
            return Err(format!(
                "{n:?} is not a dossier status (1–10 or a status name)"
            ))
        }
    };
    Ok(Some(s))
}

pub(crate) fn channel(cell: &Cell<'_>) -> Result<Option<Channel>, String> {
    let Some((code, n)) = enum_code(cell)? else {
        return Ok(None);
    };
    if let Some(c) = code {
        let c = u8::try_from(c).map_err(|_| format!("{c} is not a channel code"))?;
        return Channel::try_from(c).map(Some).map_err(|e| e.to_string());
    }
    Ok(Some(match n.as_str() {
        "direct" | "tructiep" | "taiquay" | "motcua" => Channel::Direct,
        "online" | "tructuyen" | "dichvucongtructuyen" | "dvctt" | "qua mang" | "quamang" => {
            Channel::Online
        }
        "postal" | "buuchinh" | "buudien" | "buuchinhcongich" | "dichvubuuchinhcongich" => {
            Channel::Postal
        }
        _ => {
            return Err(format!(
                "{n:?} is not a channel (1 direct, 2 online, 3 postal)"
            ))
        }
    }))
}

pub(crate) fn gateway(cell: &Cell<'_>) -> Result<Option<PaymentGateway>, String> {
    if let Cell::Bool(b) | Cell::Json(Value::Bool(b)) = cell {
        return Ok(Some(if *b {
            PaymentGateway::National
        } else {
            PaymentGateway::None
        }));
    }
    let Some((code, n)) = enum_code(cell)? else {
        return Ok(None);
    };
    if let Some(c) = code {
        let c = u8::try_from(c).map_err(|_| format!("{c} is not a payment code"))?;
        return PaymentGateway::try_from(c)
            .map(Some)
            .map_err(|e| e.to_string());
    }
    Ok(Some(match n.as_str() {
        "none" | "no" | "khong" | "chua" | "false" => PaymentGateway::None,
        "national" | "yes" | "co" | "quocgia" | "true" | "x" => PaymentGateway::National,
        "local" | "provincial" | "tinh" | "bo" | "captinh" => PaymentGateway::Local,
        _ => {
            return Err(format!(
                "{n:?} is not a payment code (0 no, 1 national, 2 provincial)"
            ))
        }
    }))
}

fn level(cell: &Cell<'_>) -> Result<Option<Level>, String> {
    let Some(n) = cell.text().map(|t| norm(&t)) else {
        return Ok(None);
    };
    Ok(Some(match n.as_str() {
        "ministry" | "bo" | "capbo" | "trunguong" | "captrunguong" => Level::Ministry,
        "province" | "tinh" | "captinh" => Level::Province,
        "district" | "huyen" | "caphuyen" | "quan" => Level::District,
        "commune" | "xa" | "capxa" | "phuong" => Level::Commune,
        _ => {
            return Err(format!(
                "{n:?} is not a level (ministry, province, district, commune)"
            ))
        }
    }))
}

fn online_level(cell: &Cell<'_>) -> Result<Option<OnlineLevel>, String> {
    let Some((code, n)) = enum_code(cell)? else {
        return Ok(None);
    };
    if let Some(c) = code {
        return Ok(Some(match c {
            0..=2 => OnlineLevel::None,
            3 => OnlineLevel::Partial,
            4 => OnlineLevel::Full,
            _ => return Err(format!("{c} is not an online level (2, 3 or 4)")),
        }));
    }
    let n = n
        .trim_start_matches("dvctt")
        .trim_start_matches("dichvucongtructuyen");
    Ok(Some(match n {
        "none" | "khong" | "" | "cungcapthongtin" | "thongtin" => OnlineLevel::None,
        "partial" | "motphan" | "muc3" => OnlineLevel::Partial,
        "full" | "toantrinh" | "muc4" => OnlineLevel::Full,
        _ => {
            return Err(format!(
                "{n:?} is not an online level (none, partial, full)"
            ))
        }
    }))
}

fn time_unit(s: &str) -> Option<TimeUnit> {
    Some(match norm(s).as_str() {
        "workingdays" | "workingday" | "ngaylamviec" | "ngaylv" | "" => TimeUnit::WorkingDays,
        "days" | "day" | "ngay" | "ngaylich" => TimeUnit::Days,
        "hours" | "hour" | "gio" | "h" => TimeUnit::Hours,
        "months" | "month" | "thang" => TimeUnit::Months,
        _ => return None,
    })
}

fn unit_kind(cell: &Cell<'_>) -> Option<UnitKind> {
    let t = cell.text()?;
    let k = match norm(&t).as_str() {
        "bo" | "bonganh" => UnitKind::ministry(),
        "tinh" | "thanhpho" | "ubndtinh" => UnitKind::province(),
        "huyen" | "quan" | "thixa" | "ubndhuyen" => UnitKind::district(),
        "so" | "songanh" | "phong" | "phongban" => UnitKind::department(),
        "xa" | "phuong" | "thitran" | "ubndxa" => UnitKind::commune(),
        "coquan" | "chinhanh" => UnitKind::agency(),
        _ => UnitKind::new(&t),
    };
    Some(k)
}

fn key_is(key: &str, names: &[&str]) -> bool {
    let k = norm(key);
    names.iter().any(|n| k == *n)
}

const REQUESTED: &[&str] = &[
    "requestedat",
    "ngayyeucaubosung",
    "ngayyeucau",
    "thoigianyeucau",
    "ngaybatdau",
    "tungay",
    "start",
    "from",
];
const COMPLETED: &[&str] = &[
    "completedat",
    "ngayhoanthanhbosung",
    "ngaybosung",
    "ngaynopbosung",
    "ngayhoanthanh",
    "ngayketthuc",
    "denngay",
    "end",
    "to",
];

pub(crate) fn waits(cell: &Cell<'_>) -> Result<Vec<Wait>, String> {
    if let Some(v) = cell.json()? {
        let items = match v {
            Value::Array(a) => a,
            Value::Null => return Ok(Vec::new()),
            other => vec![other],
        };
        let mut out = Vec::new();
        for item in &items {
            let (req, done) = match item {
                Value::Object(o) => {
                    let mut req = None;
                    let mut done = None;
                    for (k, v) in o {
                        if key_is(k, REQUESTED) {
                            req = Cell::Json(v).datetime(false)?;
                        } else if key_is(k, COMPLETED) {
                            done = Cell::Json(v).datetime(false)?;
                        }
                    }
                    (req, done)
                }
                Value::Array(pair) => (
                    pair.first()
                        .map(|v| Cell::Json(v).datetime(false))
                        .transpose()?
                        .flatten(),
                    pair.get(1)
                        .map(|v| Cell::Json(v).datetime(false))
                        .transpose()?
                        .flatten(),
                ),
                Value::String(s) => wait_text(s)?,
                Value::Null => continue,
                other => {
                    return Err(format!(
                        "{other} is not a supplement (requested_at, completed_at)"
                    ))
                }
            };
            let requested_at =
                req.ok_or_else(|| "a supplement without its request time".to_string())?;
            out.push(Wait {
                requested_at,
                completed_at: done,
            });
        }
        return Ok(out);
    }
    let Some(t) = cell.text() else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for item in t.split([';', '|', '\n']) {
        if item.trim().is_empty() {
            continue;
        }
        let (req, done) = wait_text(item)?;
        let requested_at = req.ok_or_else(|| format!("{item:?}: no request time"))?;
        out.push(Wait {
            requested_at,
            completed_at: done,
        });
    }
    Ok(out)
}

fn wait_text(item: &str) -> Result<(Option<NaiveDateTime>, Option<NaiveDateTime>), String> {
    let (a, b) = ["..", "→", " – ", " - "]
        .iter()
        .find_map(|sep| item.split_once(sep))
        .unwrap_or((item, ""));
    Ok((Cell::Str(a).datetime(false)?, Cell::Str(b).datetime(false)?))
}

const AMOUNT: &[&str] = &[
    "amount", "sotien", "mucphi", "tongtien", "phi", "lephi", "giatri", "fee", "total",
];

pub(crate) fn fee_total(cell: &Cell<'_>) -> Result<Option<f64>, String> {
    if let Some(v) = cell.json()? {
        let items = match v {
            Value::Array(a) => a,
            other => vec![other],
        };
        let mut sum = 0.0;
        for item in &items {
            match item {
                Value::Object(o) => {
                    for (k, v) in o {
                        if key_is(k, AMOUNT) {
                            sum += Cell::Json(v).number()?.unwrap_or(0.0);
                        }
                    }
                }
                other => sum += Cell::Json(other).number()?.unwrap_or(0.0),
            }
        }
        return Ok(Some(sum));
    }
    cell.number()
}

const LINK: &[&str] = &[
    "duongdantepinketqua",
    "duongdantepketqua",
    "duongdantepintin",
    "duongdantepdinhkem",
    "duongdan",
    "url",
    "link",
    "tep",
    "file",
    "fileurl",
    "tepdinhkem",
];

fn has_value(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::String(s) => !s.trim().is_empty(),
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().unwrap_or(0.0) != 0.0,
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

fn any_key(item: &Value, names: &[&str]) -> bool {
    match item {
        Value::Object(o) => o
            .iter()
            .any(|(k, v)| (key_is(k, names) || norm(k).contains("duongdan")) && has_value(v)),
        _ => false,
    }
}

fn flag(item: &Value, names: &[&str]) -> bool {
    match item {
        Value::Object(o) => o.iter().any(|(k, v)| {
            key_is(k, names)
                && match v {
                    Value::String(s) => parse_bool(s).unwrap_or(false),
                    other => has_value(other),
                }
        }),
        _ => false,
    }
}

pub(crate) fn e_result(cell: &Cell<'_>) -> Result<Option<bool>, String> {
    if let Some(v) = cell.json()? {
        let items = match v {
            Value::Array(a) => a,
            other => vec![other],
        };
        return Ok(Some(items.iter().any(|i| match i {
            Value::Object(_) => any_key(i, LINK),
            other => has_value(other),
        })));
    }
    cell.boolean()
}

/// (digitised, reused_data, personal_store) from the submitted components (TaiLieuNop).
pub(crate) fn components(cell: &Cell<'_>) -> Result<(bool, bool, bool), String> {
    let Some(v) = cell.json()? else {
        return match cell.boolean()? {
            Some(b) => Ok((b, false, false)),
            None => Ok((false, false, false)),
        };
    };
    let items = match v {
        Value::Array(a) => a,
        other => vec![other],
    };
    let mut out = (false, false, false);
    for i in &items {
        let reused = flag(i, &["duocsohoa", "reused", "reuseddata"]);
        out.0 |= reused || any_key(i, LINK);
        out.1 |= reused;
        out.2 |= flag(i, &["duoclaytukhodmqg", "personalstore"]);
    }
    Ok(out)
}

pub(crate) fn steps(cell: &Cell<'_>) -> Result<Vec<Step>, String> {
    let Some(v) = cell.json()? else {
        return match cell.text() {
            None => Ok(Vec::new()),
            Some(_) => Err("the process log must be a JSON list".into()),
        };
    };
    let Value::Array(items) = v else {
        return Err("the process log must be a JSON list".into());
    };
    let mut out = Vec::with_capacity(items.len());
    for item in &items {
        let Value::Object(o) = item else {
            return Err(format!("{item} is not a process step"));
        };
        let mut s = Step::default();
        for (k, v) in o {
            let c = Cell::Json(v);
            match norm(k).as_str() {
                "step" | "buoc" | "tenbuoc" | "buocxuly" | "congviec" => {
                    s.step = c.text().unwrap_or_default()
                }
                "handler" | "nguoixuly" | "canboxuly" | "canbo" => {
                    s.handler = c.text().unwrap_or_default()
                }
                "unitcode" | "madonvi" | "donvixuly" | "madonvixuly" => {
                    s.unit_code = c.code().unwrap_or_default()
                }
                "startedat" | "ngaybatdau" | "thoidiembatdau" | "batdau" => {
                    s.started_at = c.datetime(false)?
                }
                "dueat" | "hanxuly" | "ngayhethan" | "hanketthuc" => s.due_at = c.datetime(true)?,
                "endedat" | "ngayketthuc" | "thoidiemketthuc" | "ketthuc" => {
                    s.ended_at = c.datetime(false)?
                }
                _ => {}
            }
        }
        out.push(s);
    }
    Ok(out)
}

fn statutory(cell: &Cell<'_>) -> Result<Option<StatutoryTime>, String> {
    if let Some(v) = cell.json()? {
        return serde_json::from_value::<StatutoryTime>(v)
            .map(Some)
            .map_err(|e| format!("not a statutory time {{amount, unit}}: {e}"));
    }
    let Some(t) = cell.text() else {
        return Ok(None);
    };
    let has_unit = t.chars().any(char::is_alphabetic);
    if let Some(x) = parse_number(&t).filter(|_| !has_unit) {
        return Ok(Some(StatutoryTime {
            amount: x,
            unit: TimeUnit::WorkingDays,
        }));
    }
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let amount = parse_number(num).ok_or_else(|| format!("{t:?} is not a statutory time"))?;
    let unit = time_unit(unit).ok_or_else(|| format!("{t:?}: unknown time unit"))?;
    Ok(Some(StatutoryTime { amount, unit }))
}

fn unit_list(cell: &Cell<'_>) -> Result<Vec<String>, String> {
    if let Some(v) = cell.json()? {
        let Value::Array(items) = v else {
            return Err("the unit list must be a list of codes".into());
        };
        return Ok(items.iter().filter_map(|i| Cell::Json(i).code()).collect());
    }
    Ok(cell
        .text()
        .map(|t| {
            t.split([';', ',', '|', '\n'])
                .filter_map(|c| Cell::Str(c).code())
                .collect()
        })
        .unwrap_or_default())
}

/// How a kind of record is built from its fields.
pub trait Build: Sized {
    /// The kind of record (which column names apply).
    const KIND: RecordKind;
    /// What a row accumulates before it becomes a record.
    type Acc: Default;
    /// Feeds one field.
    fn set(acc: &mut Self::Acc, field: &FieldSpec, cell: &Cell<'_>) -> Result<(), String>;
    /// The record, and its sync time if it has one; `Err((column, message))` rejects the row.
    fn finish(acc: Self::Acc) -> Result<(Self, Option<NaiveDateTime>), (String, String)>;
    /// The id duplicates are detected by (dossiers only).
    fn dedup_id(&self) -> Option<&str> {
        None
    }
}

#[derive(Default)]
pub struct DossierAcc {
    d: Dossier,
    synced_at: Option<NaiveDateTime>,
    e_code: bool,
    e_link: bool,
    channel_set: bool,
}

impl Build for Dossier {
    const KIND: RecordKind = RecordKind::Dossier;
    type Acc = DossierAcc;
    fn set(a: &mut DossierAcc, field: &FieldSpec, c: &Cell<'_>) -> Result<(), String> {
        let d = &mut a.d;
        match field.name {
            "dossier_id" => d.dossier_id = c.code().unwrap_or_default(),
            "unit_code" => d.unit_code = c.code().unwrap_or_default(),
            "procedure_code" => d.procedure_code = c.code().unwrap_or_default(),
            "channel" => {
                if let Some(ch) = channel(c)? {
                    d.channel = ch;
                    a.channel_set = true;
                }
            }
            "submitted_at" => d.submitted_at = c.datetime(false)?,
            "received_at" => d.received_at = c.datetime(false)?,
            "due_at" => d.due_at = c.datetime(true)?,
            "rescheduled_due_at" => d.rescheduled_due_at = c.datetime(true)?,
            "finished_at" => d.finished_at = c.datetime(false)?,
            "returned_at" => d.returned_at = c.datetime(false)?,
            "status" => d.status = status(c)?,
            "supplements" => d.supplements = waits(c)?,
            "fee_waits" => d.fee_waits = waits(c)?,
            "fee_total" => {
                let x = fee_total(c)?.unwrap_or(0.0);
                if x < 0.0 {
                    return Err(format!("a negative fee ({x})"));
                }
                d.fee_total = x;
            }
            "paid_online" => d.paid_online = gateway(c)?.unwrap_or_default(),
            "e_result" => d.e_result |= e_result(c)?.unwrap_or(false),
            "e_result_code" => a.e_code = c.text().is_some(),
            "e_result_link" => a.e_link = c.text().is_some(),
            "digitised" => d.digitised |= c.boolean()?.unwrap_or(false),
            "reused_data" => d.reused_data |= c.boolean()?.unwrap_or(false),
            "personal_store" => d.personal_store |= c.boolean()?.unwrap_or(false),
            "population_data" => d.population_data |= c.boolean()?.unwrap_or(false),
            "population_db_code" => d.population_data |= c.text().is_some(),
            "components" => {
                let (dig, reuse, store) = components(c)?;
                d.digitised |= dig;
                d.reused_data |= reuse;
                d.personal_store |= store;
            }
            "unsatisfied" => d.unsatisfied = c.boolean()?.unwrap_or(false),
            "has_petition" => d.has_petition = c.boolean()?.unwrap_or(false),
            "steps" => d.steps = steps(c)?,
            "not_synced" => d.not_synced = c.boolean()?.unwrap_or(false),
            "synced_at" => a.synced_at = c.datetime(false)?,
            _ => {}
        }
        Ok(())
    }

    fn finish(a: DossierAcc) -> Result<(Self, Option<NaiveDateTime>), (String, String)> {
        let mut d = a.d;
        if d.dossier_id.is_empty() {
            return Err(("dossier_id".into(), "no dossier id".into()));
        }
        if a.e_code && a.e_link {
            d.e_result = true;
        }
        Ok((d, a.synced_at))
    }

    fn dedup_id(&self) -> Option<&str> {
        Some(&self.dossier_id)
    }
}

#[derive(Default)]
pub struct ProcedureAcc {
    p: Procedure,
    unit: Option<TimeUnit>,
}

impl Build for Procedure {
    const KIND: RecordKind = RecordKind::Procedure;
    type Acc = ProcedureAcc;
    fn set(a: &mut ProcedureAcc, field: &FieldSpec, c: &Cell<'_>) -> Result<(), String> {
        let p = &mut a.p;
        match field.name {
            "procedure_code" => p.procedure_code = c.code().unwrap_or_default(),
            "name" => p.name = c.text().unwrap_or_default(),
            "field" => p.field = c.text().unwrap_or_default(),
            "level" => p.level = level(c)?,
            "online_level" => p.online_level = online_level(c)?.unwrap_or_default(),
            "full_process_eligible" => p.full_process_eligible = c.boolean()?.unwrap_or(false),
            "paper_result" => p.paper_result = c.boolean()?.unwrap_or(false),
            "fee_bearing" => p.fee_bearing = c.boolean()?.unwrap_or(false),
            "for_citizens" => p.for_citizens = c.boolean()?.unwrap_or(false),
            "statutory_time" => p.statutory_time = statutory(c)?,
            "statutory_time_unit" => {
                a.unit = match c.text() {
                    None => None,
                    Some(t) => Some(time_unit(&t).ok_or_else(|| {
                        format!("{t:?} is not a time unit (working_days, days, hours, months)")
                    })?),
                }
            }
            "published_at" => p.published_at = c.date()?,
            "legal_basis_effective_at" => p.legal_basis_effective_at = c.date()?,
            "made_public_at" => p.made_public_at = c.date()?,
            "has_all_parts" => p.has_all_parts = c.boolean()?,
            "public" => p.public = c.boolean()?.unwrap_or(false),
            "units" => p.units = unit_list(c)?,
            _ => {}
        }
        Ok(())
    }

    fn finish(a: ProcedureAcc) -> Result<(Self, Option<NaiveDateTime>), (String, String)> {
        let mut p = a.p;
        if p.procedure_code.is_empty() {
            return Err(("procedure_code".into(), "no procedure code".into()));
        }
        if let (Some(u), Some(t)) = (a.unit, p.statutory_time.as_mut()) {
            t.unit = u;
        }
        Ok((p, None))
    }
}

#[derive(Default)]
pub struct UnitAcc {
    code: String,
    name: String,
    kind: Option<UnitKind>,
    parent: Option<String>,
    e_certified_copy: Option<bool>,
}

impl Build for Unit {
    const KIND: RecordKind = RecordKind::Unit;
    type Acc = UnitAcc;
    fn set(a: &mut UnitAcc, field: &FieldSpec, c: &Cell<'_>) -> Result<(), String> {
        match field.name {
            "code" => a.code = c.code().unwrap_or_default(),
            "name" => a.name = c.text().unwrap_or_default(),
            "kind" => a.kind = unit_kind(c),
            "parent" => a.parent = c.code(),
            "e_certified_copy" => a.e_certified_copy = c.boolean()?,
            _ => {}
        }
        Ok(())
    }

    fn finish(a: UnitAcc) -> Result<(Self, Option<NaiveDateTime>), (String, String)> {
        if a.code.is_empty() {
            return Err(("code".into(), "no unit code".into()));
        }
        let mut u = Unit::new(
            &a.code,
            &a.name,
            a.kind.unwrap_or_default(),
            a.parent.as_deref(),
        );
        u.e_certified_copy = a.e_certified_copy;
        Ok((u, None))
    }
}

impl Build for Petition {
    const KIND: RecordKind = RecordKind::Petition;
    type Acc = Petition;
    fn set(p: &mut Petition, field: &FieldSpec, c: &Cell<'_>) -> Result<(), String> {
        let count = |c: &Cell<'_>| -> Result<u32, String> {
            match c.integer()? {
                None => Ok(0),
                Some(n) => u32::try_from(n).map_err(|_| format!("{n} is not a count")),
            }
        };
        match field.name {
            "petition_id" => p.petition_id = c.code().unwrap_or_default(),
            "unit_code" => p.unit_code = c.code().unwrap_or_default(),
            "received_at" => p.received_at = c.datetime(false)?,
            "forwarded_at" => p.forwarded_at = c.datetime(false)?,
            "handled_at" => p.handled_at = c.datetime(false)?,
            "rejected_at" => p.rejected_at = c.datetime(false)?,
            "supplement_requested_at" => p.supplement_requested_at = c.datetime(false)?,
            "likes" => p.likes = count(c)?,
            "dislikes" => p.dislikes = count(c)?,
            "repeat_complaint" => p.repeat_complaint = c.boolean()?.unwrap_or(false),
            "classification" => p.classification = c.text(),
            _ => {}
        }
        Ok(())
    }

    fn finish(p: Petition) -> Result<(Self, Option<NaiveDateTime>), (String, String)> {
        if p.petition_id.is_empty() {
            return Err(("petition_id".into(), "no petition id".into()));
        }
        Ok((p, None))
    }
}

/// Collects rows of one file into [`Records`]: records, rejects, and (for dossiers) the
/// records superseded by a later sync of the same id.
pub struct Collector<B: Build> {
    file: String,
    rows: Vec<B>,
    row_numbers: Vec<usize>,
    synced: Vec<Option<NaiveDateTime>>,
    index: HashMap<String, usize>,
    rejects: Vec<Reject>,
    superseded: Vec<Superseded>,
    stream: Option<Stream<B>>,
}

/// Records handed on one at a time instead of kept; ids are remembered only as 64-bit hashes,
/// sorted at the end to tell whether any id came twice.
struct Stream<B> {
    sink: Box<dyn FnMut(B)>,
    hashes: Vec<u64>,
    hasher: std::collections::hash_map::RandomState,
    kept: usize,
}

/// Starts a row; feed its cells with [`RowBuilder::cell`], end it with [`Collector::push`].
pub struct RowBuilder<'r, B: Build> {
    acc: B::Acc,
    headers: &'r [String],
    resolution: &'r Resolution,
    errors: Vec<(String, String)>,
}

impl<'r, B: Build> RowBuilder<'r, B> {
    pub fn new(headers: &'r [String], resolution: &'r Resolution) -> Self {
        Self {
            acc: B::Acc::default(),
            headers,
            resolution,
            errors: Vec::new(),
        }
    }

    /// Feeds the cell of column `i` (ignored when the column feeds no field).
    pub fn cell(&mut self, i: usize, cell: &Cell<'_>) {
        let Some(Some(spec)) = self.resolution.columns.get(i) else {
            return;
        };
        if let Err(m) = B::set(&mut self.acc, spec, cell) {
            let col = self.headers.get(i).cloned().unwrap_or_default();
            self.errors.push((col, m));
        }
    }

    /// Records a cell of column `i` that could not even be read.
    pub fn cell_error(&mut self, i: usize, message: String) {
        if let Some(Some(_)) = self.resolution.columns.get(i) {
            let col = self.headers.get(i).cloned().unwrap_or_default();
            self.errors.push((col, message));
        }
    }

    /// Feeds a field by its canonical name (for readers whose keys are resolved one by one).
    pub fn field(&mut self, spec: &FieldSpec, column: &str, cell: &Cell<'_>) {
        if let Err(m) = B::set(&mut self.acc, spec, cell) {
            self.errors.push((column.to_string(), m));
        }
    }
}

impl<B: Build> Collector<B> {
    pub fn new(file: &str) -> Self {
        Self {
            file: file.to_string(),
            rows: Vec::new(),
            row_numbers: Vec::new(),
            synced: Vec::new(),
            index: HashMap::new(),
            rejects: Vec::new(),
            superseded: Vec::new(),
            stream: None,
        }
    }

    /// A collector that hands each kept record to `sink` instead of keeping it.
    pub fn streaming(file: &str, sink: Box<dyn FnMut(B)>) -> Self {
        let mut c = Self::new(file);
        c.stream = Some(Stream {
            sink,
            hashes: Vec::new(),
            hasher: Default::default(),
            kept: 0,
        });
        c
    }

    pub fn file(&self) -> &str {
        &self.file
    }

    /// Rows seen so far (each ends in exactly one place).
    pub fn count(&self) -> usize {
        self.rows.len()
            + self.stream.as_ref().map_or(0, |s| s.kept)
            + self.rejects.len()
            + self.superseded.len()
    }

    /// Rejects a whole row.
    pub fn reject(&mut self, row: usize, column: Option<String>, message: impl Into<String>) {
        self.rejects.push(Reject {
            file: self.file.clone(),
            row,
            column,
            message: message.into(),
        });
    }

    /// Ends a row (1-based row number as the user sees it).
    pub fn push(&mut self, row: usize, b: RowBuilder<'_, B>) {
        if !b.errors.is_empty() {
            let column = b.errors.first().map(|e| e.0.clone());
            let message = b
                .errors
                .iter()
                .map(|(c, m)| format!("{c}: {m}"))
                .collect::<Vec<_>>()
                .join("; ");
            self.reject(row, column, message);
            return;
        }
        match B::finish(b.acc) {
            Err((col, m)) => self.reject(row, Some(col), m),
            Ok((rec, synced)) => self.keep(row, rec, synced),
        }
    }

    fn keep(&mut self, row: usize, rec: B, synced: Option<NaiveDateTime>) {
        if let Some(st) = &mut self.stream {
            if let Some(id) = rec.dedup_id() {
                st.hashes
                    .push(std::hash::BuildHasher::hash_one(&st.hasher, id));
            }
            st.kept += 1;
            (st.sink)(rec);
            return;
        }
        let Some(id) = rec.dedup_id().map(str::to_string) else {
            self.rows.push(rec);
            self.row_numbers.push(row);
            self.synced.push(synced);
            return;
        };
        match self.index.get(&id).copied() {
            None => {
                self.index.insert(id, self.rows.len());
                self.rows.push(rec);
                self.row_numbers.push(row);
                self.synced.push(synced);
            }
            Some(i) => {
                // The later sync wins; without sync times, the later row.
                let new_wins = synced >= self.synced[i];
                let (lost_row, won_row) = if new_wins {
                    (self.row_numbers[i], row)
                } else {
                    (row, self.row_numbers[i])
                };
                self.superseded.push(Superseded {
                    file: self.file.clone(),
                    row: lost_row,
                    id,
                    by_row: won_row,
                });
                if new_wins {
                    self.rows[i] = rec;
                    self.row_numbers[i] = row;
                    self.synced[i] = synced;
                }
            }
        }
    }

    pub fn finish(self) -> Records<B> {
        let mut superseded = self.superseded;
        superseded.sort_by_key(|s| s.row);
        let (streamed, duplicate_ids) = match self.stream {
            None => (0, false),
            Some(mut st) => {
                st.hashes.sort_unstable();
                (st.kept, st.hashes.windows(2).any(|w| w[0] == w[1]))
            }
        };
        Records {
            rows: self.rows,
            rejects: self.rejects,
            superseded,
            streamed,
            duplicate_ids,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
