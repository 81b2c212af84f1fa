//! Records from Python: any Arrow PyCapsule object (pandas ≥ 2.2, polars, pyarrow, duckdb, …)
//! imported without copying and converted by the readers of chiso-io (`arrow_input`), a
//! `chiso.Records` read from a file, or a plain list of dicts — whose keys go through the same
//! column names and aliases, and whose values through the same cell conversion. Dossiers given
//! as Arrow are kept as Arrow (`crate::dossiers`): scored by the columnar fast path.

use crate::dossiers::Dossiers;
use crate::errors::{Error, Result};
use crate::pyjson;
use arrow::record_batch::RecordBatch;
use chiso::{Dossier, Petition, Procedure, Unit};
use chiso_io::read::arrow_batches;
use chiso_io::read::cell::{Build, Cell, Collector, RowBuilder};
use chiso_io::read::records::Records;
use chrono::{NaiveDate, NaiveDateTime};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDate, PyDateTime, PyDict, PyFloat, PyInt, PyString};
use pyo3_arrow::input::AnyRecordBatch;
use serde_json::Value;
use std::sync::Arc;

pub use crate::column_map::column_map;

/// A kind of record that can come from dicts.
pub trait Kind: Build + Clone + Send + 'static {
    const NAME: &'static str;
}

/// A kind of small record table (catalogue, units, petitions): converted to records whole.
/// Dossiers are held as they come instead (`crate::dossiers`, see [`gather_dossiers`]).
pub trait Gathered: Kind {
    fn from_batches(batches: &[RecordBatch], source: &str) -> Records<Self>;
    /// The records of a `chiso.Records` object of this kind, if it is one.
    fn from_read(r: &crate::records::PyRecords) -> Option<Records<Self>>;
}

impl Kind for Dossier {
    const NAME: &'static str = "dossiers";
}
impl Kind for Procedure {
    const NAME: &'static str = "procedures";
}
impl Gathered for Procedure {
    fn from_batches(b: &[RecordBatch], source: &str) -> Records<Self> {
        arrow_batches::procedures_from_batches(b, column_map(), source)
    }
    fn from_read(r: &crate::records::PyRecords) -> Option<Records<Self>> {
        match &r.inner {
            crate::records::AnyRecords::Procedures(x) => Some(x.clone()),
            _ => None,
        }
    }
}
impl Kind for Unit {
    const NAME: &'static str = "units";
}
impl Gathered for Unit {
    fn from_batches(b: &[RecordBatch], source: &str) -> Records<Self> {
        arrow_batches::units_from_batches(b, column_map(), source)
    }
    fn from_read(r: &crate::records::PyRecords) -> Option<Records<Self>> {
        match &r.inner {
            crate::records::AnyRecords::Units(x) => Some(x.clone()),
            _ => None,
        }
    }
}
impl Kind for Petition {
    const NAME: &'static str = "petitions";
}
impl Gathered for Petition {
    fn from_batches(b: &[RecordBatch], source: &str) -> Records<Self> {
        arrow_batches::petitions_from_batches(b, column_map(), source)
    }
    fn from_read(r: &crate::records::PyRecords) -> Option<Records<Self>> {
        match &r.inner {
            crate::records::AnyRecords::Petitions(x) => Some(x.clone()),
            _ => None,
        }
    }
}

/// Input gathered under the GIL, converted without it.
pub enum Pending<T: Gathered> {
    Ready(Records<T>),
    /// Arrow batches imported without copying; converted with the GIL released.
    Batches(Vec<RecordBatch>),
}

impl<T: Gathered> Pending<T> {
    pub fn resolve(self) -> Records<T> {
        match self {
            Pending::Ready(r) => r,
            Pending::Batches(b) => T::from_batches(&b, &format!("<{}>", T::NAME)),
        }
    }
}

/// Whether an object speaks the Arrow PyCapsule interface.
pub fn is_arrow(obj: &Bound<'_, PyAny>) -> bool {
    obj.hasattr("__arrow_c_stream__").unwrap_or(false)
        || obj.hasattr("__arrow_c_array__").unwrap_or(false)
}

/// Imports every batch of an Arrow object (no copy: the buffers stay the producer's).
pub fn arrow_batches(obj: &Bound<'_, PyAny>) -> Result<Vec<RecordBatch>> {
    let any: AnyRecordBatch = obj.extract().map_err(Error::Py)?;
    let reader = any.into_reader().map_err(Error::Py)?;
    let mut out = Vec::new();
    for b in reader {
        out.push(b?);
    }
    Ok(out)
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_default()
}

/// The record batches of an Arrow object (or of what its `to_arrow()` gives), `None` for
/// anything else.
fn arrow_of(obj: &Bound<'_, PyAny>) -> Result<Option<Vec<RecordBatch>>> {
    if is_arrow(obj) {
        return Ok(Some(arrow_batches(obj)?));
    }
    if obj.hasattr("to_arrow").unwrap_or(false) && obj.hasattr("columns").unwrap_or(false) {
        // e.g. a polars LazyFrame's collected frame or a duckdb relation (`.arrow()`) — ask for Arrow.
        if let Ok(t) = obj.call_method0("to_arrow") {
            if is_arrow(&t) {
                return Ok(Some(arrow_batches(&t)?));
            }
        }
    }
    Ok(None)
}

/// Gathers one argument: Arrow object, `chiso.Records`, or an iterable of dicts.
pub fn gather<T: Gathered>(obj: &Bound<'_, PyAny>) -> Result<Pending<T>> {
    if let Ok(r) = obj.cast::<crate::records::PyRecords>() {
        let r = r.get();
        return T::from_read(r).map(Pending::Ready).ok_or_else(|| {
            Error::input(format!(
                "{}: got records of kind {}, not {}",
                T::NAME,
                r.inner.name(),
                T::NAME
            ))
        });
    }
    match arrow_of(obj)? {
        Some(b) => Ok(Pending::Batches(b)),
        None => Ok(Pending::Ready(dict_rows::<T>(obj)?)),
    }
}

/// Gathers dossiers: Arrow data is kept as it is (scored by the columnar fast path, converted to
/// records only when needed); `chiso.Records` are shared, not copied.
pub fn gather_dossiers(obj: &Bound<'_, PyAny>) -> Result<Arc<Dossiers>> {
    if let Ok(r) = obj.cast::<crate::records::PyRecords>() {
        let r = r.get();
        return match &r.inner {
            crate::records::AnyRecords::Dossiers(d) => Ok(d.clone()),
            other => Err(Error::input(format!(
                "dossiers: got records of kind {}, not dossiers",
                other.name()
            ))),
        };
    }
    Ok(Arc::new(match arrow_of(obj)? {
        Some(b) => Dossiers::from_batches(b),
        None => Dossiers::from_records(dict_rows::<Dossier>(obj)?),
    }))
}

pub fn gather_opt<T: Gathered>(obj: Option<&Bound<'_, PyAny>>) -> Result<Option<Pending<T>>> {
    match obj {
        None => Ok(None),
        Some(o) if o.is_none() => Ok(None),
        Some(o) => gather::<T>(o).map(Some),
    }
}

/// One Python value as an owned cell.
enum Owned {
    Empty,
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    DateTime(NaiveDateTime),
    Date(NaiveDate),
    Json(Value),
    Bad(String),
}

impl Owned {
    fn cell(&self) -> Cell<'_> {
        match self {
            Owned::Empty | Owned::Bad(_) => Cell::Empty,
            Owned::Str(s) => Cell::Str(s),
            Owned::Int(i) => Cell::Int(*i),
            Owned::Float(f) => Cell::Float(*f),
            Owned::Bool(b) => Cell::Bool(*b),
            Owned::DateTime(t) => Cell::DateTime(*t),
            Owned::Date(d) => Cell::Date(*d),
            Owned::Json(v) => Cell::Json(v),
        }
    }
}

fn owned(v: &Bound<'_, PyAny>) -> Owned {
    if v.is_none() {
        return Owned::Empty;
    }
    if v.is_instance_of::<PyBool>() {
        return v.extract().map_or(Owned::Empty, Owned::Bool);
    }
    if v.is_instance_of::<PyInt>() {
        return match v.extract::<i64>() {
            Ok(i) => Owned::Int(i),
            Err(_) => Owned::Bad(format!("integer {v} is too large")),
        };
    }
    if v.is_instance_of::<PyFloat>() {
        return match v.extract::<f64>() {
            Ok(f) if f.is_nan() => Owned::Empty,
            Ok(f) => Owned::Float(f),
            Err(e) => Owned::Bad(e.to_string()),
        };
    }
    if v.is_instance_of::<PyString>() {
        return v.extract().map_or(Owned::Empty, Owned::Str);
    }
    if v.is_instance_of::<PyDateTime>()
        || (v.hasattr("tzinfo").unwrap_or(false) && v.hasattr("hour").unwrap_or(false))
    {
        return match pyjson::to_json(v) {
            Ok(Value::String(s)) => {
                match NaiveDateTime::parse_from_str(&s, "%Y-%m-%dT%H:%M:%S%.f") {
                    Ok(t) => Owned::DateTime(t),
                    Err(_) => Owned::Str(s),
                }
            }
            Ok(Value::Null) => Owned::Empty,
            Ok(_) => Owned::Bad(format!("cannot read a {}", type_name(v))),
            Err(m) => Owned::Bad(m),
        };
    }
    if v.is_instance_of::<PyDate>() {
        return match v.extract::<NaiveDate>() {
            Ok(d) => Owned::Date(d),
            Err(e) => Owned::Bad(e.to_string()),
        };
    }
    match pyjson::to_json(v) {
        Ok(Value::Null) => Owned::Empty,
        Ok(Value::Bool(b)) => Owned::Bool(b),
        Ok(Value::String(s)) => Owned::Str(s),
        Ok(Value::Number(n)) => match n.as_i64() {
            Some(i) => Owned::Int(i),
            None => Owned::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Ok(other) => Owned::Json(other),
        Err(m) => Owned::Bad(m),
    }
}

/// A plain iterable of dicts, through the readers' column names and cell conversion.
pub fn dict_rows<T: Kind>(obj: &Bound<'_, PyAny>) -> Result<Records<T>> {
    let what = T::NAME;
    if obj.is_instance_of::<PyDict>() || obj.is_instance_of::<PyString>() {
        return Err(Error::input(format!(
            "{what}: expected a table (pandas, polars, pyarrow, … with __arrow_c_stream__) or a list of dicts, got a {}",
            type_name(obj)
        )));
    }
    let iter = obj.try_iter().map_err(|_| {
        Error::input(format!(
            "{what}: expected a table (pandas, polars, pyarrow, … with __arrow_c_stream__) or a list of dicts, got {}",
            type_name(obj)
        ))
    })?;
    // Rows as (key, value) lists; the header is every key seen, in order of first appearance.
    let mut headers: Vec<String> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = Default::default();
    let mut rows: Vec<Vec<(usize, Owned)>> = Vec::new();
    for (i, item) in iter.enumerate() {
        let item = item?;
        let d = item.cast::<PyDict>().map_err(|_| {
            Error::at(
                format!(
                    "{what} row {}: expected a dict, got {}",
                    i + 1,
                    type_name(&item)
                ),
                Some(i + 1),
                None,
            )
        })?;
        let mut row = Vec::with_capacity(d.len());
        for (k, v) in d.iter() {
            let key: String = k.str()?.extract()?;
            let col = match index.get(&key) {
                Some(c) => *c,
                None => {
                    headers.push(key.clone());
                    index.insert(key, headers.len() - 1);
                    headers.len() - 1
                }
            };
            row.push((col, owned(&v)));
        }
        rows.push(row);
    }
    let resolution = column_map().resolve(T::KIND, &headers);
    let source = format!("<{what}>");
    let mut collector = Collector::<T>::new(&source);
    if let Err(m) = resolution.check() {
        if !rows.is_empty() {
            return Err(Error::at(format!("{what}: {m}"), None, None));
        }
    }
    for (i, row) in rows.iter().enumerate() {
        let mut b = RowBuilder::<T>::new(&headers, &resolution);
        for (col, v) in row {
            match v {
                Owned::Bad(m) => b.cell_error(*col, m.clone()),
                v => b.cell(*col, &v.cell()),
            }
        }
        collector.push(i + 1, b);
    }
    Ok(collector.finish())
}
