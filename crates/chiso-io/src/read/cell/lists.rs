//! Structured cells: supplement waits, fee lines, result and component lists, the process log, statutory times, unit lists.

use super::*;
use chiso::model::{ProcessLog, StatutoryTime, Step, TimeUnit, Wait};
use chrono::NaiveDateTime;
use serde_json::Value;

pub(super) const REQUESTED: &[&str] = &[
    "requestedat",
    "ngayyeucaubosung",
    "ngayyeucau",
    "thoigianyeucau",
    "ngaybatdau",
    "tungay",
    "start",
    "from",
];
pub(super) const COMPLETED: &[&str] = &[
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
        let requested_at = req.ok_or_else(|| format!("{}: no request time", super::shown(item)))?;
        out.push(Wait {
            requested_at,
            completed_at: done,
        });
    }
    Ok(out)
}

pub(super) fn wait_text(
    item: &str,
) -> Result<(Option<NaiveDateTime>, Option<NaiveDateTime>), String> {
    let (a, b) = ["..", "→", " – ", " - "]
        .iter()
        .find_map(|sep| item.split_once(sep))
        .unwrap_or((item, ""));
    Ok((Cell::Str(a).datetime(false)?, Cell::Str(b).datetime(false)?))
}

pub(super) const AMOUNT: &[&str] = &[
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

pub(super) const LINK: &[&str] = &[
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

pub(super) fn has_value(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::String(s) => !s.trim().is_empty(),
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().unwrap_or(0.0) != 0.0,
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

pub(super) fn any_key(item: &Value, names: &[&str]) -> bool {
    match item {
        Value::Object(o) => o
            .iter()
            .any(|(k, v)| (key_is(k, names) || norm(k).contains("duongdan")) && has_value(v)),
        _ => false,
    }
}

pub(super) fn flag(item: &Value, names: &[&str]) -> bool {
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

/// Reads a process log held as text (a JSON list of steps with canonical, sync or Vietnamese
/// keys and any date format the readers accept): the [`chiso::model::LogReader`] the toolkit
/// commands pass to the core.
pub fn read_log(text: &str) -> Result<Vec<Step>, String> {
    steps(&Cell::Str(text))
}

/// The process log as the row readers keep it: its text, unread (scoring never reads it).
pub(crate) fn log_text(cell: &Cell<'_>) -> ProcessLog {
    match cell {
        Cell::Str(s) if !s.trim().is_empty() => ProcessLog::Text((*s).to_string()),
        Cell::Json(Value::String(s)) if !s.trim().is_empty() => ProcessLog::Text(s.clone()),
        Cell::Json(Value::Null) => ProcessLog::default(),
        Cell::Json(v) => ProcessLog::Text(v.to_string()),
        other => other.text().map(ProcessLog::Text).unwrap_or_default(),
    }
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

pub(super) fn statutory(cell: &Cell<'_>) -> Result<Option<StatutoryTime>, String> {
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
    let amount =
        parse_number(num).ok_or_else(|| format!("{} is not a statutory time", super::shown(&t)))?;
    let unit = time_unit(unit).ok_or_else(|| format!("{}: unknown time unit", super::shown(&t)))?;
    Ok(Some(StatutoryTime { amount, unit }))
}

pub(super) fn unit_list(cell: &Cell<'_>) -> Result<Vec<String>, String> {
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
