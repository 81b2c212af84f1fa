//! Result tables: built as Arrow record batches, handed to Python through the Arrow PyCapsule
//! interface (`pa.table(t)`, `pl.from_arrow(t)`, `pl.DataFrame(t)` read them without copying),
//! and readable without any Arrow library (`to_pylist`, `to_pydict`).

use arrow::array::{
    Array, ArrayRef, BooleanArray, BooleanBuilder, Float64Array, Float64Builder, Int64Array,
    Int64Builder, StringArray, StringBuilder, TimestampMicrosecondArray,
    TimestampMicrosecondBuilder, UInt64Array, UInt64Builder,
};
use arrow::datatypes::{DataType, Field, Schema, TimeUnit};
use arrow::record_batch::RecordBatch;
use chrono::NaiveDateTime;
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyDict, PyList};
use pyo3_arrow::ffi::{to_schema_pycapsule, to_stream_pycapsule, ArrayIterator};
use std::sync::Arc;

/// A column being built.
pub enum Col {
    Str(StringBuilder),
    F64(Float64Builder),
    U64(UInt64Builder),
    I64(Int64Builder),
    Bool(BooleanBuilder),
    Time(TimestampMicrosecondBuilder),
}

/// A table being built, column by column, row by row.
pub struct Builder {
    names: Vec<&'static str>,
    cols: Vec<Col>,
}

impl Builder {
    pub fn new(spec: &[(&'static str, &'static str)]) -> Self {
        let mut names = Vec::new();
        let mut cols = Vec::new();
        for (name, ty) in spec {
            names.push(*name);
            cols.push(match *ty {
                "f64" => Col::F64(Float64Builder::new()),
                "u64" => Col::U64(UInt64Builder::new()),
                "i64" => Col::I64(Int64Builder::new()),
                "bool" => Col::Bool(BooleanBuilder::new()),
                "time" => Col::Time(TimestampMicrosecondBuilder::new()),
                _ => Col::Str(StringBuilder::new()),
            });
        }
        Self { names, cols }
    }

    pub fn col(&mut self, i: usize) -> &mut Col {
        &mut self.cols[i]
    }

    pub fn finish(mut self) -> RecordBatch {
        let mut fields = Vec::new();
        let mut arrays: Vec<ArrayRef> = Vec::new();
        for (name, col) in self.names.iter().zip(self.cols.iter_mut()) {
            let a: ArrayRef = match col {
                Col::Str(b) => Arc::new(b.finish()),
                Col::F64(b) => Arc::new(b.finish()),
                Col::U64(b) => Arc::new(b.finish()),
                Col::I64(b) => Arc::new(b.finish()),
                Col::Bool(b) => Arc::new(b.finish()),
                Col::Time(b) => Arc::new(b.finish()),
            };
            fields.push(Field::new(*name, a.data_type().clone(), true));
            arrays.push(a);
        }
        let schema = Arc::new(Schema::new(fields));
        // Same lengths and matching types by construction.
        RecordBatch::try_new(schema.clone(), arrays)
            .unwrap_or_else(|_| RecordBatch::new_empty(schema))
    }
}

/// Appends to a column; a value of the wrong kind appends null.
pub trait Push<T> {
    fn push(&mut self, v: T);
}

impl Push<&str> for Col {
    fn push(&mut self, v: &str) {
        match self {
            Col::Str(b) => b.append_value(v),
            other => other.null(),
        }
    }
}
impl Push<Option<&str>> for Col {
    fn push(&mut self, v: Option<&str>) {
        match (self, v) {
            (Col::Str(b), Some(s)) => b.append_value(s),
            (c, _) => c.null(),
        }
    }
}
impl Push<f64> for Col {
    fn push(&mut self, v: f64) {
        match self {
            Col::F64(b) => b.append_value(v),
            other => other.null(),
        }
    }
}
impl Push<Option<f64>> for Col {
    fn push(&mut self, v: Option<f64>) {
        match (self, v) {
            (Col::F64(b), Some(x)) => b.append_value(x),
            (c, _) => c.null(),
        }
    }
}
impl Push<u64> for Col {
    fn push(&mut self, v: u64) {
        match self {
            Col::U64(b) => b.append_value(v),
            other => other.null(),
        }
    }
}
impl Push<Option<i64>> for Col {
    fn push(&mut self, v: Option<i64>) {
        match (self, v) {
            (Col::I64(b), Some(x)) => b.append_value(x),
            (c, _) => c.null(),
        }
    }
}
impl Push<bool> for Col {
    fn push(&mut self, v: bool) {
        match self {
            Col::Bool(b) => b.append_value(v),
            other => other.null(),
        }
    }
}
impl Push<Option<NaiveDateTime>> for Col {
    fn push(&mut self, v: Option<NaiveDateTime>) {
        match (self, v) {
            (Col::Time(b), Some(t)) => b.append_value(t.and_utc().timestamp_micros()),
            (c, _) => c.null(),
        }
    }
}

impl Col {
    fn null(&mut self) {
        match self {
            Col::Str(b) => b.append_null(),
            Col::F64(b) => b.append_null(),
            Col::U64(b) => b.append_null(),
            Col::I64(b) => b.append_null(),
            Col::Bool(b) => b.append_null(),
            Col::Time(b) => b.append_null(),
        }
    }
}

/// A table of results. Speaks the Arrow PyCapsule interface.
#[pyclass(frozen, module = "chiso._chiso", name = "Table")]
pub struct Table {
    pub batch: RecordBatch,
}

impl Table {
    pub fn new(batch: RecordBatch) -> Self {
        Self { batch }
    }
}

fn cell<'py>(py: Python<'py>, a: &dyn Array, i: usize) -> PyResult<Bound<'py, PyAny>> {
    if a.is_null(i) {
        return Ok(py.None().into_bound(py));
    }
    let any = a.as_any();
    if let Some(x) = any.downcast_ref::<StringArray>() {
        return Ok(x.value(i).into_pyobject(py)?.into_any());
    }
    if let Some(x) = any.downcast_ref::<Float64Array>() {
        return Ok(x.value(i).into_pyobject(py)?.into_any());
    }
    if let Some(x) = any.downcast_ref::<UInt64Array>() {
        return Ok(x.value(i).into_pyobject(py)?.into_any());
    }
    if let Some(x) = any.downcast_ref::<Int64Array>() {
        return Ok(x.value(i).into_pyobject(py)?.into_any());
    }
    if let Some(x) = any.downcast_ref::<BooleanArray>() {
        return Ok(pyo3::types::PyBool::new(py, x.value(i))
            .to_owned()
            .into_any());
    }
    if let Some(x) = any.downcast_ref::<TimestampMicrosecondArray>() {
        if let Some(t) = chrono::DateTime::from_timestamp_micros(x.value(i)) {
            return crate::pyjson::naive_to_py(py, t.naive_utc());
        }
    }
    // The generator's tables (`chiso.generate`): times in seconds, dates.
    if let Some(x) = any.downcast_ref::<arrow::array::TimestampSecondArray>() {
        if let Some(t) = chrono::DateTime::from_timestamp(x.value(i), 0) {
            return crate::pyjson::naive_to_py(py, t.naive_utc());
        }
    }
    if let Some(x) = any.downcast_ref::<arrow::array::Date32Array>() {
        if let Some(d) = x.value_as_date(i) {
            return Ok(d.into_pyobject(py)?.into_any());
        }
    }
    Ok(py.None().into_bound(py))
}

#[pymethods]
impl Table {
    /// Column names, in order.
    #[getter]
    fn column_names(&self) -> Vec<String> {
        self.batch
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect()
    }

    #[getter]
    fn num_rows(&self) -> usize {
        self.batch.num_rows()
    }

    fn __len__(&self) -> usize {
        self.batch.num_rows()
    }

    /// Rows as a list of dicts (no Arrow library needed).
    fn to_pylist<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let names = self.column_names();
        let out = PyList::empty(py);
        for i in 0..self.batch.num_rows() {
            let d = PyDict::new(py);
            for (c, name) in names.iter().enumerate() {
                d.set_item(name, cell(py, self.batch.column(c).as_ref(), i)?)?;
            }
            out.append(d)?;
        }
        Ok(out)
    }

    /// Columns as a dict of lists (no Arrow library needed).
    fn to_pydict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (c, name) in self.column_names().iter().enumerate() {
            let col = self.batch.column(c);
            let values = (0..self.batch.num_rows())
                .map(|i| cell(py, col.as_ref(), i))
                .collect::<PyResult<Vec<_>>>()?;
            d.set_item(name, PyList::new(py, values)?)?;
        }
        Ok(d)
    }

    fn __arrow_c_schema__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyCapsule>> {
        Ok(to_schema_pycapsule(py, self.batch.schema().as_ref())?)
    }

    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyCapsule>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let schema = self.batch.schema();
        let field = Field::new_struct("", schema.fields().clone(), false)
            .with_metadata(schema.metadata.clone());
        let batch = self.batch.clone();
        let arrays = std::iter::once(Ok(
            Arc::new(arrow::array::StructArray::from(batch)) as ArrayRef
        ));
        let reader = Box::new(ArrayIterator::new(arrays, field.into()));
        Ok(to_stream_pycapsule(py, reader, requested_schema)?)
    }

    fn __repr__(&self) -> String {
        let cols: Vec<String> = self
            .batch
            .schema()
            .fields()
            .iter()
            .map(|f| format!("{}: {}", f.name(), type_name(f.data_type())))
            .collect();
        format!(
            "chiso.Table({} rows; {})",
            self.batch.num_rows(),
            cols.join(", ")
        )
    }
}

fn type_name(t: &DataType) -> &'static str {
    match t {
        DataType::Utf8 => "str",
        DataType::Float64 => "float",
        DataType::UInt64 | DataType::Int64 => "int",
        DataType::Boolean => "bool",
        DataType::Timestamp(TimeUnit::Microsecond, _) => "datetime",
        _ => "other",
    }
}

/// Rejected rows as a table.
pub fn rejects_table(
    rejects: &[chiso_io::read::records::Reject],
) -> arrow::record_batch::RecordBatch {
    let mut b = Builder::new(&[
        ("source", "str"),
        ("row", "i64"),
        ("column", "str"),
        ("message", "str"),
    ]);
    for r in rejects {
        b.col(0).push(r.file.as_str());
        b.col(1).push(Some(r.row as i64));
        b.col(2).push(r.column.as_deref());
        b.col(3).push(r.message.as_str());
    }
    b.finish()
}
