//! Plain Python values ↔ JSON values, so that lists of dicts go through the same serde models as
//! JSON files. Datetimes become Vietnam local time (UTC+7) when they carry a zone.

use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyDate, PyDateTime, PyDict, PyFloat, PyInt, PyList, PyMapping, PySequence, PyString,
    PyTuple,
};
use serde_json::{Map, Number, Value};

/// Converts a Python value to JSON. `Err` carries a short description of what was not understood.
pub fn to_json(obj: &Bound<'_, PyAny>) -> Result<Value, String> {
    let py = obj.py();
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if obj.is_instance_of::<PyBool>() {
        return Ok(Value::Bool(
            obj.extract::<bool>().map_err(|e: PyErr| e.to_string())?,
        ));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::Number(i.into()));
        }
        if let Ok(u) = obj.extract::<u64>() {
            return Ok(Value::Number(u.into()));
        }
        return Err(format!("integer {obj} is too large"));
    }
    if obj.is_instance_of::<PyFloat>() {
        let f: f64 = obj.extract().map_err(|e: PyErr| e.to_string())?;
        // NaN (pandas' missing value) is null.
        return Ok(Number::from_f64(f).map_or(Value::Null, Value::Number));
    }
    if obj.is_instance_of::<PyString>() {
        return Ok(Value::String(
            obj.extract::<String>().map_err(|e: PyErr| e.to_string())?,
        ));
    }
    if obj.is_instance_of::<PyDateTime>() {
        return datetime(obj).map_err(|e| e.to_string());
    }
    if obj.is_instance_of::<PyDate>() {
        let iso: String = obj
            .call_method0("isoformat")
            .and_then(|s| s.extract())
            .map_err(|e| e.to_string())?;
        return Ok(Value::String(format!("{iso}T00:00:00")));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut m = Map::new();
        for (k, v) in d.iter() {
            let key: String = k
                .str()
                .and_then(|s| s.extract())
                .map_err(|e| e.to_string())?;
            m.insert(key, to_json(&v)?);
        }
        return Ok(Value::Object(m));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let seq = obj.cast::<PySequence>().map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        for item in seq.try_iter().map_err(|e| e.to_string())? {
            out.push(to_json(&item.map_err(|e| e.to_string())?)?);
        }
        return Ok(Value::Array(out));
    }
    // numpy scalars, pandas NaT/NA, Decimal, …: by duck typing.
    let type_name = obj
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_default();
    if matches!(type_name.as_str(), "NaTType" | "NAType") {
        return Ok(Value::Null);
    }
    if obj.hasattr("isoformat").unwrap_or(false) && obj.hasattr("tzinfo").unwrap_or(false) {
        return datetime(obj).map_err(|e| e.to_string());
    }
    if let Ok(item) = obj.call_method0("item") {
        if !item.is(obj) {
            return to_json(&item);
        }
    }
    if let Ok(m) = obj.cast::<PyMapping>() {
        let d = PyDict::new(py);
        for k in m.keys().map_err(|e| e.to_string())?.iter() {
            let v = m.get_item(&k).map_err(|e| e.to_string())?;
            d.set_item(k, v).map_err(|e| e.to_string())?;
        }
        return to_json(d.as_any());
    }
    if let Ok(f) = obj.extract::<f64>() {
        return Ok(Number::from_f64(f).map_or(Value::Null, Value::Number));
    }
    Err(format!("cannot read a value of type {type_name}"))
}

/// A datetime as naive Vietnam local time, ISO text.
fn datetime(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    let py = obj.py();
    let local = if obj.getattr("tzinfo")?.is_none() {
        obj.clone()
    } else {
        let dt = py.import("datetime")?;
        let tz = dt
            .getattr("timezone")?
            .call1((dt.getattr("timedelta")?.call1((0, 7 * 3600))?,))?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("tzinfo", py.None())?;
        obj.call_method1("astimezone", (tz,))?
            .call_method("replace", (), Some(&kwargs))?
    };
    let iso: String = local.call_method0("isoformat")?.extract()?;
    Ok(Value::String(iso.replace(' ', "T")))
}

/// Converts JSON to Python; strings of fields named `*_at` become `datetime`.
pub fn to_py<'py>(py: Python<'py>, v: &Value, key: Option<&str>) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_pyobject(py)?.into_any(),
            (None, Some(u)) => u.into_pyobject(py)?.into_any(),
            _ => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
        },
        Value::String(s) => {
            if key.is_some_and(|k| k.ends_with("_at")) {
                if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f") {
                    return naive_to_py(py, t);
                }
            }
            PyString::new(py, s).into_any()
        }
        Value::Array(a) => {
            let items = a
                .iter()
                .map(|x| to_py(py, x, None))
                .collect::<PyResult<Vec<_>>>()?;
            PyList::new(py, items)?.into_any()
        }
        Value::Object(m) => {
            let d = PyDict::new(py);
            for (k, x) in m {
                d.set_item(k, to_py(py, x, Some(k))?)?;
            }
            d.into_any()
        }
    })
}

pub fn naive_to_py(py: Python<'_>, t: chrono::NaiveDateTime) -> PyResult<Bound<'_, PyAny>> {
    use chrono::{Datelike, Timelike};
    Ok(PyDateTime::new(
        py,
        t.year(),
        t.month() as u8,
        t.day() as u8,
        t.hour() as u8,
        t.minute() as u8,
        t.second() as u8,
        t.nanosecond() / 1000 % 1_000_000,
        None,
    )?
    .into_any())
}
