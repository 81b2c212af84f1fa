//! Python arguments turned into chiso values: calendars, moments, profiles, targets, options.

use crate::errors::{Error, Result};
use crate::profile::PyProfile;
use crate::{pyjson, toolkit};
use chiso::{Options, Profile};
use chrono::NaiveDateTime;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use std::sync::OnceLock;

/// The working-day calendars, built once.
pub(crate) fn calendar(name: &str) -> Result<&'static chiso_calendar::Calendar> {
    Ok(calendar_named(name)?.1)
}

/// A working-day calendar with its canonical name (`vietnam` or `weekdays`).
pub(crate) fn calendar_named(
    name: &str,
) -> Result<(&'static str, &'static chiso_calendar::Calendar)> {
    static VN: OnceLock<chiso_calendar::Calendar> = OnceLock::new();
    static WEEKDAYS: OnceLock<chiso_calendar::Calendar> = OnceLock::new();
    match name.trim().to_lowercase().as_str() {
        "vietnam" | "vn" => Ok(("vietnam", VN.get_or_init(chiso_calendar::Calendar::vietnam))),
        "weekdays" | "weekdays-only" | "weekdays_only" => Ok((
            "weekdays",
            WEEKDAYS.get_or_init(chiso_calendar::Calendar::weekdays_only),
        )),
        other => Err(Error::at(
            format!("unknown calendar {other:?} (vietnam, weekdays)"),
            None,
            Some("calendar"),
        )),
    }
}

/// A moment from Python: datetime (zone → Vietnam time), date (end of day), or ISO text.
pub(crate) fn moment(obj: &Bound<'_, PyAny>, what: &str) -> Result<NaiveDateTime> {
    let bad = |m: String| Error::at(m, None, Some(what));
    let text = match obj.cast::<PyString>() {
        Ok(s) => s.to_string(),
        Err(_) => match pyjson::to_json(obj) {
            Ok(serde_json::Value::String(s)) => {
                if obj.is_instance_of::<pyo3::types::PyDateTime>() || obj.hasattr("tzinfo")? {
                    s
                } else {
                    // A plain date: the end of that day.
                    s.replace("T00:00:00", "T23:59:59")
                }
            }
            _ => {
                return Err(bad(format!(
                    "{what}: expected a datetime, a date or ISO text, got {}",
                    obj.get_type().name()?
                )))
            }
        },
    };
    chiso::period::parse_moment(&text).map_err(|e| bad(format!("{what}: {e}")))
}

pub(crate) fn profile_arg(obj: Option<&Bound<'_, PyAny>>) -> Result<Profile> {
    match obj {
        None => Ok(Profile::builtin("portal-2026")?),
        Some(o) if o.is_none() => Ok(Profile::builtin("portal-2026")?),
        Some(o) => {
            if let Ok(p) = o.cast::<PyProfile>() {
                return Ok(p.get().inner.clone());
            }
            if let Ok(s) = o.extract::<String>() {
                return Ok(chiso_io::profiles::load_profile(&s)?);
            }
            if let Ok(p) = o.call_method0("__fspath__") {
                let s: String = p.extract()?;
                return Ok(chiso_io::profiles::load_profile(&s)?);
            }
            Err(Error::at(
                "profile: expected a built-in name, a path or a chiso.Profile",
                None,
                Some("profile"),
            ))
        }
    }
}

/// Targets of `Scorecard.plan`: a built-in set name, a dict, or a TOML file.
pub(crate) fn targets_arg(obj: Option<&Bound<'_, PyAny>>) -> Result<toolkit::Targets> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(toolkit::Targets::Directive);
    };
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut text = String::from("[targets]\n");
        for (k, v) in d.iter() {
            let id: String = k.extract()?;
            let ratio: f64 = v.extract()?;
            text.push_str(&format!("{:?} = {ratio}\n", id));
        }
        return Ok(toolkit::Targets::Toml(text, "targets dict".into()));
    }
    let s: String = match obj.extract::<String>() {
        Ok(s) => s,
        Err(_) => obj.str()?.to_string(),
    };
    match s.as_str() {
        "directive" => Ok(toolkit::Targets::Directive),
        "rules" => Ok(toolkit::Targets::Rules),
        path => {
            let text = chiso_io::error::read_text(std::path::Path::new(path))?;
            Ok(toolkit::Targets::Toml(text, path.to_string()))
        }
    }
}

pub(crate) fn options_arg(base: Options, obj: Option<&Bound<'_, PyAny>>) -> Result<Options> {
    let Some(o) = obj.filter(|o| !o.is_none()) else {
        return Ok(base);
    };
    let d = o.cast::<PyDict>().map_err(|_| {
        Error::at(
            "options: expected a dict such as {\"due_comparison\": \"date\"}",
            None,
            Some("options"),
        )
    })?;
    let mut opts = base;
    for (k, v) in d.iter() {
        let name: String = k.str()?.extract()?;
        let value = match pyjson::to_json(&v) {
            Ok(serde_json::Value::String(s)) => s,
            Ok(serde_json::Value::Bool(b)) => b.to_string(),
            Ok(other) => other.to_string(),
            Err(m) => return Err(Error::at(m, None, Some(&name))),
        };
        opts = opts.with(&name, &value)?;
    }
    Ok(opts)
}

/// `errors=`: `"reject"` sets unreadable rows aside (false), `"raise"` raises on the first (true).
pub fn errors_arg(errors: &str) -> Result<bool> {
    match errors {
        "reject" => Ok(false),
        "raise" => Ok(true),
        other => Err(Error::at(
            format!("errors must be \"reject\" or \"raise\", not {other:?}"),
            None,
            Some("errors"),
        )),
    }
}
