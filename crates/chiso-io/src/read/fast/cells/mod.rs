//! The columnar path for Excel workbooks and JSON files: their cells are gathered into Arrow
//! columns in one pass and tallied by [`BatchTally`], like a table handed over from Python.
//!
//! A column takes the Arrow type of its cells (text, whole numbers, numbers, yes/no, dates,
//! moments), so that the Arrow row reader would read each slot into the very cell the sheet or
//! the JSON value gives the row reader ([`crate::read::arrow_batches`]); the fast path reads Arrow
//! the way that reader does. Where no column type can say the same thing — a column mixing text
//! and numbers (the row reader reads each cell by its own type), a JSON number whose text is not
//! the one a number cell gives, text that would be parsed as JSON — the file steps aside to the
//! row reader, and the reason names the row and column.

mod excel;
mod json;

use super::NotFast;
use crate::read::columns::{ColumnMap, FieldSpec, FieldType, RecordKind};
use crate::read::memory::{BatchTally, FastRun};
use crate::read::rows::InputFormat;
use arrow::array::{
    ArrayRef, BooleanBuilder, Date32Builder, Float64Builder, Int64Builder, StringBuilder,
    TimestampMicrosecondBuilder,
};
use arrow::datatypes::{Field, Schema};
use arrow::record_batch::RecordBatch;
use chiso::tally::TallyContext;
use chrono::{NaiveDate, NaiveDateTime, Timelike};
use std::path::Path;
use std::sync::Arc;

type Fast<T> = std::result::Result<T, NotFast>;

/// A whole number above this is not turned into a float (its text would change).
const EXACT: i64 = 1_000_000_000_000_000;

/// Rows per batch handed on while gathering (memory stays bounded by one batch).
const CHUNK: usize = 65_536;

/// Code columns (header, field) holding number cells, met before a read ended.
pub type NumericCodes = Vec<(String, &'static str)>;

/// Gathers the dossier cells of an Excel workbook or a JSON / JSON Lines file into columns,
/// handing each batch of rows to `sink`; `Err(why)` when the row reader must read the file
/// (other formats, a cell no column type can carry, a reason of `sink`, a file the row reader
/// would refuse: it then says why in its own words). Code columns holding numbers are added to
/// `numeric`, also when the read stops.
pub fn gather_file(
    path: &Path,
    map: &ColumnMap,
    sink: &mut dyn FnMut(RecordBatch) -> Fast<()>,
    numeric: &mut NumericCodes,
) -> Fast<()> {
    match InputFormat::from_path(path) {
        Ok(InputFormat::Excel) => excel::gather_sheet(path, map, sink, numeric),
        Ok(InputFormat::Json) => json::gather_json(path, map, sink, numeric),
        _ => Err(NotFast("not an Excel or JSON file".into())),
    }
}

/// A read of an Excel or JSON file by the columnar path.
pub struct CellsRead {
    /// The tally, or why the row reader must read the file (see [`gather_file`]; also
    /// duplicate ids, or a value the fast path leaves to the row reader).
    pub run: Fast<FastRun>,
    /// Code columns holding number cells.
    pub numeric_codes: NumericCodes,
}

/// Tallies an Excel workbook or a JSON / JSON Lines file by the columnar path, a batch of rows
/// at a time.
pub fn tally_file(
    path: &Path,
    map: &ColumnMap,
    ctx: &TallyContext<'_>,
    threads: usize,
    progress: &mut dyn FnMut(usize),
) -> CellsRead {
    let mut numeric_codes = Vec::new();
    let mut tally = BatchTally::new(map, ctx, threads);
    let mut rows = 0;
    let gathered = gather_file(
        path,
        map,
        &mut |b| {
            rows += b.num_rows();
            progress(rows);
            tally.add(&b).map_err(counted_from_data)
        },
        &mut numeric_codes,
    );
    let run = match gathered {
        Ok(()) if rows == 0 => Err(NotFast("no rows".into())),
        Ok(()) => tally.finish(&ctx.period),
        Err(why) => Err(why),
    };
    CellsRead { run, numeric_codes }
}

/// Tallies gathered batches (e.g. kept by `chiso.read`).
pub fn tally_batches(
    batches: &[RecordBatch],
    map: &ColumnMap,
    ctx: &TallyContext<'_>,
    threads: usize,
) -> Fast<FastRun> {
    if batches.iter().all(|b| b.num_rows() == 0) {
        return Err(NotFast("no rows".into()));
    }
    BatchTally::tally_all(batches, map, ctx, threads).map_err(counted_from_data)
}

/// The fast path counts rows from the first data row, not as the sheet or the file does.
fn counted_from_data(e: NotFast) -> NotFast {
    if e.0.contains("row ") {
        NotFast(format!("{} (rows counted from the first data row)", e.0))
    } else {
        e
    }
}

/// One value as a column can hold it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Typed<'a> {
    Null,
    Text(std::borrow::Cow<'a, str>),
    Int(i64),
    Float(f64),
    Bool(bool),
    Date(NaiveDate),
    Time(NaiveDateTime),
}

impl Typed<'_> {
    /// The cell the row reader reads for this value.
    fn cell(&self) -> crate::read::cell::Cell<'_> {
        use crate::read::cell::Cell;
        match self {
            Typed::Null => Cell::Empty,
            Typed::Text(s) => Cell::Str(s),
            Typed::Int(i) => Cell::Int(*i),
            Typed::Float(x) => Cell::Float(*x),
            Typed::Bool(b) => Cell::Bool(*b),
            Typed::Date(d) => Cell::Date(*d),
            Typed::Time(t) => Cell::DateTime(*t),
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Typed::Null => "empty",
            Typed::Text(_) => "text",
            Typed::Int(_) | Typed::Float(_) => "number",
            Typed::Bool(_) => "yes/no",
            Typed::Date(_) => "date",
            Typed::Time(_) => "date-time",
        }
    }
}

/// Values of one column so far, in the Arrow builder of their type.
enum Data {
    /// Only empty cells so far (how many).
    Unknown(usize),
    Text(StringBuilder),
    Int(Int64Builder, i64),
    Float(Float64Builder),
    Bool(BooleanBuilder),
    Date(Date32Builder),
    Time(TimestampMicrosecondBuilder),
}

impl Data {
    fn name(&self) -> &'static str {
        match self {
            Data::Unknown(_) => "empty",
            Data::Text(_) => "text",
            Data::Int(..) | Data::Float(_) => "number",
            Data::Bool(_) => "yes/no",
            Data::Date(_) => "date",
            Data::Time(_) => "date-time",
        }
    }

    fn push_null(&mut self) {
        match self {
            Data::Unknown(n) => *n += 1,
            Data::Text(b) => b.append_null(),
            Data::Int(b, _) => b.append_null(),
            Data::Float(b) => b.append_null(),
            Data::Bool(b) => b.append_null(),
            Data::Date(b) => b.append_null(),
            Data::Time(b) => b.append_null(),
        }
    }

    /// A builder for the first value of a column, after `nulls` empty cells.
    fn start(v: &Typed<'_>, nulls: usize) -> Option<Self> {
        let mut d = match v {
            Typed::Null => return None,
            Typed::Text(_) => Data::Text(StringBuilder::new()),
            Typed::Int(_) => Data::Int(Int64Builder::new(), 0),
            Typed::Float(_) => Data::Float(Float64Builder::new()),
            Typed::Bool(_) => Data::Bool(BooleanBuilder::new()),
            Typed::Date(_) => Data::Date(Date32Builder::new()),
            Typed::Time(_) => Data::Time(TimestampMicrosecondBuilder::new()),
        };
        for _ in 0..nulls {
            d.push_null();
        }
        Some(d)
    }

    /// Appends `v`; `false` when this column's type cannot carry it as the row reader reads it.
    fn push(&mut self, v: &Typed<'_>) -> bool {
        if let (Data::Int(b, max), Typed::Float(_)) = (&mut *self, v) {
            // Whole numbers and numbers read alike while their text is the same.
            if *max >= EXACT {
                return false;
            }
            let ints = b.finish();
            let mut f = Float64Builder::with_capacity(ints.len());
            f.extend(ints.iter().map(|i| i.map(|i| i as f64)));
            *self = Data::Float(f);
        }
        match (self, v) {
            (d, Typed::Null) => d.push_null(),
            (Data::Text(b), Typed::Text(s)) => b.append_value(s),
            (Data::Int(b, max), Typed::Int(i)) => {
                *max = (*max).max(i.saturating_abs());
                b.append_value(*i);
            }
            (Data::Float(b), Typed::Float(x)) => b.append_value(*x),
            (Data::Float(b), Typed::Int(i)) if i.saturating_abs() < EXACT => {
                b.append_value(*i as f64)
            }
            (Data::Bool(b), Typed::Bool(x)) => b.append_value(*x),
            (Data::Date(b), Typed::Date(d)) => b.append_value(days(*d)),
            (Data::Time(b), Typed::Time(t)) if t.nanosecond() % 1_000 == 0 => {
                b.append_value(t.and_utc().timestamp_micros())
            }
            _ => return false,
        }
        true
    }

    fn finish(self) -> ArrayRef {
        match self {
            Data::Unknown(n) => {
                let mut b = StringBuilder::new();
                for _ in 0..n {
                    b.append_null();
                }
                Arc::new(b.finish())
            }
            Data::Text(mut b) => Arc::new(b.finish()),
            Data::Int(mut b, _) => Arc::new(b.finish()),
            Data::Float(mut b) => Arc::new(b.finish()),
            Data::Bool(mut b) => Arc::new(b.finish()),
            Data::Date(mut b) => Arc::new(b.finish()),
            Data::Time(mut b) => Arc::new(b.finish()),
        }
    }
}

/// For a date field, whether a bare date means the end of its day; `None` for other fields.
fn day_end(spec: &FieldSpec) -> Option<bool> {
    match spec.ty {
        FieldType::Date | FieldType::DateTime => {
            Some(matches!(spec.name, "due_at" | "rescheduled_due_at"))
        }
        _ => None,
    }
}

fn days(d: NaiveDate) -> i32 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    (d - epoch).num_days() as i32
}

/// One column being gathered: its header (or JSON key), its field and its values.
struct Column {
    name: String,
    spec: &'static FieldSpec,
    data: Data,
    /// Rows given a value so far.
    len: usize,
}

/// The columns of a sheet or a JSON file, gathered row by row.
pub(crate) struct Columns<'w> {
    kind: RecordKind,
    columns: Vec<Column>,
    /// Rows gathered since the last batch was handed on.
    rows: usize,
    /// Rows handed on in earlier batches.
    done: usize,
    map: &'w ColumnMap,
    sink: &'w mut dyn FnMut(RecordBatch) -> Fast<()>,
    /// Unit or procedure code columns holding numbers (header, field), for a warning: `1.010`
    /// stored as a number is another code.
    numeric: &'w mut NumericCodes,
}

impl<'w> Columns<'w> {
    pub(crate) fn new(
        kind: RecordKind,
        map: &'w ColumnMap,
        sink: &'w mut dyn FnMut(RecordBatch) -> Fast<()>,
        numeric: &'w mut NumericCodes,
    ) -> Self {
        Self {
            kind,
            columns: Vec::new(),
            rows: 0,
            done: 0,
            map,
            sink,
            numeric,
        }
    }

    /// Adds a column for a header or key that feeds `spec`; its earlier rows are empty. Two
    /// columns feeding one field step aside (the row reader's order of reading decides).
    pub(crate) fn add(&mut self, name: &str, spec: &'static FieldSpec) -> Fast<usize> {
        if let Some(c) = self.columns.iter().find(|c| c.spec.name == spec.name) {
            return Err(NotFast(format!(
                "columns {:?} and {name:?} both feed {}",
                c.name, spec.name
            )));
        }
        self.columns.push(Column {
            name: name.to_string(),
            spec,
            data: Data::Unknown(self.rows),
            len: self.rows,
        });
        Ok(self.columns.len() - 1)
    }

    /// The field column `i` feeds.
    pub(crate) fn spec(&self, i: usize) -> &'static FieldSpec {
        self.columns[i].spec
    }

    /// Sets column `i` of the current row (`row` is the row number the row reader would name).
    pub(crate) fn put(&mut self, i: usize, row: usize, v: Typed<'_>) -> Fast<()> {
        let c = &mut self.columns[i];
        if c.len > self.rows {
            return Err(NotFast(format!(
                "row {row}, column {:?}: given twice",
                c.name
            )));
        }
        c.len += 1;
        let code = matches!(c.spec.name, "unit_code" | "procedure_code");
        if code
            && matches!(v, Typed::Int(_) | Typed::Float(_))
            && !self.numeric.iter().any(|(n, _)| *n == c.name)
        {
            self.numeric.push((c.name.clone(), c.spec.name));
        }
        // A date field reads every cell (text, number, date or moment) as a moment: each is
        // converted here exactly as the row reader converts it, so the column holds moments.
        let v = match (day_end(c.spec), v) {
            (_, Typed::Null) => Typed::Null,
            (Some(end), v) => match v.cell().datetime(end) {
                Ok(Some(t)) => Typed::Time(t),
                Ok(None) => Typed::Null,
                Err(m) => {
                    return Err(NotFast(format!(
                        "row {row}, column {:?}: {m} (the row reader rejects the row)",
                        c.name
                    )))
                }
            },
            (None, v) => v,
        };
        if v == Typed::Null {
            c.data.push_null();
            return Ok(());
        }
        if let Data::Unknown(n) = c.data {
            if let Some(d) = Data::start(&v, n) {
                c.data = d;
            }
        }
        let was = c.data.name();
        if c.data.push(&v) {
            Ok(())
        } else {
            Err(NotFast(format!(
                "row {row}, column {:?}: a {} cell among {was} cells (the row reader reads each \
                 cell by its own type)",
                c.name,
                v.kind()
            )))
        }
    }

    /// Ends the current row: columns it gave no value are empty. Every [`CHUNK`] rows the
    /// columns are handed on as a batch, so memory stays bounded by one chunk.
    pub(crate) fn end_row(&mut self) -> Fast<()> {
        self.rows += 1;
        for c in &mut self.columns {
            while c.len < self.rows {
                c.data.push_null();
                c.len += 1;
            }
        }
        if self.rows >= CHUNK {
            self.hand_on()?;
        }
        Ok(())
    }

    /// Hands the last rows on (a file without rows hands on one empty batch).
    pub(crate) fn finish(mut self) -> Fast<()> {
        if self.rows > 0 || self.done == 0 {
            self.hand_on()?;
        }
        Ok(())
    }

    /// The rows gathered so far as a batch, checked to map its columns to the same fields as
    /// the reader did; the columns start again empty.
    fn hand_on(&mut self) -> Fast<()> {
        let names: Vec<&str> = self.columns.iter().map(|c| c.name.as_str()).collect();
        let res = self.map.resolve(self.kind, &names);
        for (c, spec) in self.columns.iter().zip(&res.columns) {
            if spec.map(|s| s.name) != Some(c.spec.name) {
                return Err(NotFast(format!(
                    "column {:?} maps differently as a table",
                    c.name
                )));
            }
        }
        let mut fields = Vec::with_capacity(self.columns.len());
        let mut arrays = Vec::with_capacity(self.columns.len());
        for c in &mut self.columns {
            let a = std::mem::replace(&mut c.data, Data::Unknown(0)).finish();
            c.len = 0;
            fields.push(Field::new(c.name.clone(), a.data_type().clone(), true));
            arrays.push(a);
        }
        let options =
            arrow::record_batch::RecordBatchOptions::new().with_row_count(Some(self.rows));
        let batch =
            RecordBatch::try_new_with_options(Arc::new(Schema::new(fields)), arrays, &options)
                .map_err(|e| NotFast(format!("cells as columns: {e}")))?;
        self.done += self.rows;
        self.rows = 0;
        (self.sink)(batch)
    }
}

/// Whether a field reads a value's text (codes, names, enumerations, lists of waits, the log):
/// there a JSON number must have the text a number cell gives. The others read numbers, dates
/// or yes/no, which a number cell gives alike.
fn reads_text(spec: &FieldSpec) -> bool {
    !(matches!(
        spec.ty,
        FieldType::Number
            | FieldType::Integer
            | FieldType::Date
            | FieldType::DateTime
            | FieldType::Bool
    ) || matches!(spec.name, "fee_total" | "e_result" | "components"))
}

/// Whether a field reads a value as a number or a date, where a JSON `true` is text (refused)
/// but a yes/no cell is 1 or 0.
fn reads_number(spec: &FieldSpec) -> bool {
    matches!(
        spec.ty,
        FieldType::Number | FieldType::Integer | FieldType::Date | FieldType::DateTime
    ) || spec.name == "fee_total"
}

#[cfg(test)]
mod tests;
