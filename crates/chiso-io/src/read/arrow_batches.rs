//! Records from Arrow record batches: the path for Arrow IPC and Parquet files, and for data handed
//! over from Python (pyarrow, polars, pandas through the Arrow PyCapsule interface).
//!
//! Columns are matched by name through a [`ColumnMap`] exactly as CSV and Excel headers are, and
//! every cell goes through the same conversion as theirs (`crate::read::cell`), so a table gives the
//! same records whichever format carried it.
//!
//! Accepted column types: `Utf8`, `LargeUtf8`, `Utf8View`; every integer and float type and
//! decimals; `Boolean`; `Timestamp` of any unit, without a zone (read as Vietnam wall-clock time)
//! or with one (the instant, converted to UTC+7); `Date32` / `Date64`; `Null`; `Dictionary` of
//! any of these; `List` / `LargeList` / `Struct` (read as nested JSON-like values, e.g.
//! `supplements` as a list of structs {requested_at, completed_at}); anything else that Arrow can
//! cast to text. A bad cell rejects its row with the row number (1-based, counted across the
//! batches) and the column name.

use crate::read::cell::{utc_to_vietnam, Build, Cell, Collector, RowBuilder};
use crate::read::columns::{ColumnMap, RecordKind};
use crate::read::records::Records;
use arrow::array::{Array, ArrayRef, AsArray};
use arrow::compute::cast;
use arrow::datatypes::{
    DataType, Date32Type, Float64Type, Int64Type, TimeUnit as ArrowTimeUnit,
    TimestampMicrosecondType,
};
use arrow::record_batch::RecordBatch;
use chiso::{Dossier, Petition, Procedure, Unit};
use chrono::{DateTime, NaiveDate, NaiveDateTime};
use serde_json::{Map, Number, Value};

/// Dossiers from record batches. `source` names the data in rejects (a file name, or e.g.
/// `"<arrow>"`). Duplicated dossier ids: the latest sync wins (column `synced_at`, else the later
/// row) and the others are listed in [`Records::superseded`].
pub fn dossiers_from_batches(
    batches: &[RecordBatch],
    map: &ColumnMap,
    source: &str,
) -> Records<Dossier> {
    from_batches(batches, map, RecordKind::Dossier, source)
}

/// Procedures (the catalogue) from record batches.
pub fn procedures_from_batches(
    batches: &[RecordBatch],
    map: &ColumnMap,
    source: &str,
) -> Records<Procedure> {
    from_batches(batches, map, RecordKind::Procedure, source)
}

/// Units from record batches.
pub fn units_from_batches(batches: &[RecordBatch], map: &ColumnMap, source: &str) -> Records<Unit> {
    from_batches(batches, map, RecordKind::Unit, source)
}

/// Petitions from record batches.
pub fn petitions_from_batches(
    batches: &[RecordBatch],
    map: &ColumnMap,
    source: &str,
) -> Records<Petition> {
    from_batches(batches, map, RecordKind::Petition, source)
}

/// Checks that a schema has a column for every required field of `kind`; the error says which
/// field is missing and which headers would do.
pub fn check_schema(
    schema: &arrow::datatypes::Schema,
    map: &ColumnMap,
    kind: RecordKind,
) -> Result<(), String> {
    let headers: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    map.resolve(kind, &headers).check()
}

/// Batches fed one at a time (for streaming readers); rows are numbered across batches.
pub(crate) struct BatchSink<'s, B: Build> {
    kind: RecordKind,
    collector: Collector<'s, B>,
    next_row: usize,
}

impl<'s, B: Build> BatchSink<'s, B> {
    pub(crate) fn new(kind: RecordKind, source: &str) -> Self {
        Self::with_collector(kind, Collector::new(source))
    }

    pub(crate) fn with_collector(kind: RecordKind, collector: Collector<'s, B>) -> Self {
        Self {
            kind,
            collector,
            next_row: 1,
        }
    }

    pub(crate) fn rows_seen(&self) -> usize {
        self.next_row - 1
    }

    pub(crate) fn push(&mut self, batch: &RecordBatch, map: &ColumnMap) {
        let n = batch.num_rows();
        let headers: Vec<String> = batch
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        let res = map.resolve(self.kind, &headers);
        if let Err(m) = res.check() {
            for r in 0..n {
                self.collector.reject(self.next_row + r, None, m.clone());
            }
            self.next_row += n;
            return;
        }
        let cols: Vec<Option<Column>> = res
            .columns
            .iter()
            .enumerate()
            .map(|(i, spec)| spec.map(|_| Column::new(batch.column(i))))
            .collect();
        let mut scratch = Value::Null;
        for r in 0..n {
            let mut b = RowBuilder::<B>::new(&headers, &res);
            for (i, c) in cols.iter().enumerate() {
                if let Some(c) = c {
                    match c.cell(r, &mut scratch) {
                        Ok(cell) => b.cell(i, &cell),
                        Err(m) => b.cell_error(i, m),
                    }
                }
            }
            self.collector.push(self.next_row + r, b);
        }
        self.next_row += n;
    }

    pub(crate) fn finish(self) -> Records<B> {
        self.collector.finish()
    }
}

fn from_batches<B: Build>(
    batches: &[RecordBatch],
    map: &ColumnMap,
    kind: RecordKind,
    source: &str,
) -> Records<B> {
    let mut sink = BatchSink::<B>::new(kind, source);
    for b in batches {
        sink.push(b, map);
    }
    sink.finish()
}

/// A column prepared for reading cells: numbers widened; a dictionary keeps its keys and reads
/// the value a row's key names (decoding it would cost rows × value length: a 4 MB value behind
/// a million keys of a small file would ask for terabytes).
enum Column {
    Dictionary {
        /// The keys as Int64 (one cast per batch: rows × 8 bytes); their nulls are the row's.
        keys: ArrayRef,
        /// How many values the dictionary has (a key past them is an error, not a value).
        size: usize,
        values: Box<Column>,
    },
    Utf8(ArrayRef),
    LargeUtf8(ArrayRef),
    Utf8View(ArrayRef),
    Int(ArrayRef),
    Float(ArrayRef),
    Bool(ArrayRef),
    /// Microseconds; `true` when the column has a zone (then the values are UTC instants).
    Timestamp(ArrayRef, bool),
    Date(ArrayRef),
    Null,
    Nested(ArrayRef),
    Unsupported(String),
}

impl Column {
    fn new(array: &ArrayRef) -> Self {
        let dt = array.data_type().clone();
        let widen = |to: DataType, f: fn(ArrayRef) -> Column| match cast(array, &to) {
            Ok(a) => f(a),
            Err(e) => Column::Unsupported(format!("cannot read a {dt} column: {e}")),
        };
        match &dt {
            DataType::Utf8 => Column::Utf8(array.clone()),
            DataType::LargeUtf8 => Column::LargeUtf8(array.clone()),
            DataType::Utf8View => Column::Utf8View(array.clone()),
            DataType::Dictionary(_, _) => match array.as_any_dictionary_opt() {
                Some(d) => match cast(d.keys(), &DataType::Int64) {
                    Ok(keys) => Column::Dictionary {
                        keys,
                        size: d.values().len(),
                        values: Box::new(Column::new(d.values())),
                    },
                    Err(e) => Column::Unsupported(format!("cannot read a {dt} column: {e}")),
                },
                None => Column::Unsupported(format!("cannot read a {dt} column")),
            },
            DataType::Int8
            | DataType::Int16
            | DataType::Int32
            | DataType::Int64
            | DataType::UInt8
            | DataType::UInt16
            | DataType::UInt32 => widen(DataType::Int64, Column::Int),
            DataType::UInt64
            | DataType::Float16
            | DataType::Float32
            | DataType::Float64
            | DataType::Decimal32(_, _)
            | DataType::Decimal64(_, _)
            | DataType::Decimal128(_, _)
            | DataType::Decimal256(_, _) => widen(DataType::Float64, Column::Float),
            DataType::Boolean => Column::Bool(array.clone()),
            DataType::Timestamp(_, tz) => {
                let zoned = tz.is_some();
                // Same instant in microseconds; the zone itself does not matter, the instant does.
                match cast(
                    array,
                    &DataType::Timestamp(ArrowTimeUnit::Microsecond, tz.clone()),
                ) {
                    Ok(a) => Column::Timestamp(a, zoned),
                    Err(e) => Column::Unsupported(format!("cannot read a {dt} column: {e}")),
                }
            }
            DataType::Date32 | DataType::Date64 => widen(DataType::Date32, Column::Date),
            DataType::Null => Column::Null,
            DataType::List(_)
            | DataType::LargeList(_)
            | DataType::FixedSizeList(_, _)
            | DataType::Struct(_) => Column::Nested(array.clone()),
            _ => widen(DataType::Utf8, Column::Utf8),
        }
    }

    fn cell<'s>(&'s self, r: usize, scratch: &'s mut Value) -> Result<Cell<'s>, String> {
        let array: &ArrayRef = match self {
            Column::Dictionary { keys, size, values } => {
                if keys.is_null(r) {
                    return Ok(Cell::Empty);
                }
                let k = keys.as_primitive::<Int64Type>().value(r);
                return match usize::try_from(k) {
                    Ok(k) if k < *size => values.cell(k, scratch),
                    _ => Err("a dictionary key outside its dictionary".to_string()),
                };
            }
            Column::Null => return Ok(Cell::Empty),
            Column::Unsupported(m) => return Err(m.clone()),
            Column::Utf8(a)
            | Column::LargeUtf8(a)
            | Column::Utf8View(a)
            | Column::Int(a)
            | Column::Float(a)
            | Column::Bool(a)
            | Column::Timestamp(a, _)
            | Column::Date(a)
            | Column::Nested(a) => a,
        };
        if array.is_null(r) {
            return Ok(Cell::Empty);
        }
        Ok(match self {
            Column::Utf8(a) => Cell::Str(a.as_string::<i32>().value(r)),
            Column::LargeUtf8(a) => Cell::Str(a.as_string::<i64>().value(r)),
            Column::Utf8View(a) => Cell::Str(a.as_string_view().value(r)),
            Column::Int(a) => Cell::Int(a.as_primitive::<Int64Type>().value(r)),
            Column::Float(a) => Cell::Float(a.as_primitive::<Float64Type>().value(r)),
            Column::Bool(a) => Cell::Bool(a.as_boolean().value(r)),
            Column::Timestamp(a, zoned) => {
                let us = a.as_primitive::<TimestampMicrosecondType>().value(r);
                Cell::DateTime(micros(us, *zoned)?)
            }
            Column::Date(a) => Cell::Date(date32(a.as_primitive::<Date32Type>().value(r))?),
            Column::Nested(a) => {
                *scratch = json_at(a.as_ref(), r);
                Cell::Json(scratch)
            }
            Column::Dictionary { .. } | Column::Null | Column::Unsupported(_) => Cell::Empty,
        })
    }
}

fn micros(us: i64, zoned: bool) -> Result<NaiveDateTime, String> {
    let t = DateTime::from_timestamp_micros(us)
        .ok_or_else(|| format!("timestamp {us} µs is out of range"))?
        .naive_utc();
    // Without a zone the value is a wall-clock time, taken as Vietnam time; with one it is an
    // instant, shown in Vietnam time (UTC+7 all year).
    Ok(if zoned { utc_to_vietnam(t) } else { t })
}

fn date32(days: i32) -> Result<NaiveDate, String> {
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|e| e.checked_add_signed(chrono::Duration::days(days.into())))
        .ok_or_else(|| format!("date {days} days after 1970-01-01 is out of range"))
}

/// One slot of any array as a JSON value (nested columns); times as Vietnam-time text.
fn json_at(a: &dyn Array, r: usize) -> Value {
    if a.is_null(r) {
        return Value::Null;
    }
    match a.data_type() {
        DataType::Utf8 => Value::String(a.as_string::<i32>().value(r).to_string()),
        DataType::LargeUtf8 => Value::String(a.as_string::<i64>().value(r).to_string()),
        DataType::Utf8View => Value::String(a.as_string_view().value(r).to_string()),
        DataType::Boolean => Value::Bool(a.as_boolean().value(r)),
        DataType::List(_) => {
            let l = a.as_list::<i32>();
            let v = l.value(r);
            Value::Array((0..v.len()).map(|i| json_at(v.as_ref(), i)).collect())
        }
        DataType::LargeList(_) => {
            let l = a.as_list::<i64>();
            let v = l.value(r);
            Value::Array((0..v.len()).map(|i| json_at(v.as_ref(), i)).collect())
        }
        DataType::FixedSizeList(_, _) => {
            let v = a.as_fixed_size_list().value(r);
            Value::Array((0..v.len()).map(|i| json_at(v.as_ref(), i)).collect())
        }
        DataType::Struct(fields) => {
            let s = a.as_struct();
            let mut m = Map::new();
            for (f, col) in fields.iter().zip(s.columns()) {
                m.insert(f.name().clone(), json_at(col.as_ref(), r));
            }
            Value::Object(m)
        }
        dt => {
            // Scalars: through the same preparation as top-level columns.
            let slot = a.slice(r, 1);
            let col = Column::new(&arrow::array::make_array(slot.to_data()));
            let mut scratch = Value::Null;
            match col.cell(0, &mut scratch) {
                Ok(Cell::Int(i)) => Value::Number(i.into()),
                Ok(Cell::Float(x)) => Number::from_f64(x).map_or(Value::Null, Value::Number),
                Ok(Cell::Bool(b)) => Value::Bool(b),
                Ok(Cell::Str(s)) => Value::String(s.to_string()),
                Ok(Cell::DateTime(t)) => {
                    Value::String(t.format("%Y-%m-%dT%H:%M:%S%.f").to_string())
                }
                Ok(Cell::Date(d)) => Value::String(d.format("%Y-%m-%d").to_string()),
                Ok(Cell::Json(v)) => v.clone(),
                Ok(Cell::Empty) => Value::Null,
                Err(m) => Value::String(format!("<{dt}: {m}>")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::{
        BooleanArray, Date32Array, DictionaryArray, Float64Array, Int32Array, LargeStringArray,
        StringArray, StringViewArray, TimestampMillisecondArray, TimestampSecondArray,
    };
    use arrow::datatypes::{Field, Int8Type, Schema};
    use std::sync::Arc;

    fn batch(cols: Vec<(&str, ArrayRef)>) -> RecordBatch {
        let fields: Vec<Field> = cols
            .iter()
            .map(|(n, a)| Field::new(*n, a.data_type().clone(), true))
            .collect();
        RecordBatch::try_new(
            Arc::new(Schema::new(fields)),
            cols.into_iter().map(|(_, a)| a).collect(),
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn every_column_type() {
        let ids: ArrayRef = Arc::new(StringArray::from(vec!["A1", "A2", "A3", "A1"]));
        let units: ArrayRef = Arc::new(
            vec![Some("H44.07"), Some("H44.07"), None, Some("H44.100")]
                .into_iter()
                .collect::<DictionaryArray<Int8Type>>(),
        );
        let procs: ArrayRef = Arc::new(LargeStringArray::from(vec!["1.1", "1.1", "1.2", "1.1"]));
        let status: ArrayRef = Arc::new(Int32Array::from(vec![Some(9), Some(4), Some(99), None]));
        // 2026-09-01T01:00:00Z = 08:00 in Vietnam.
        let received: ArrayRef = Arc::new(
            TimestampSecondArray::from(vec![
                1_788_224_400,
                1_788_224_400,
                1_788_224_400,
                1_788_224_400,
            ])
            .with_timezone("UTC"),
        );
        let finished: ArrayRef = Arc::new(TimestampMillisecondArray::from(vec![
            Some(1_788_224_400_000),
            None,
            None,
            None,
        ]));
        let due: ArrayRef = Arc::new(Date32Array::from(vec![Some(20_700), None, None, None]));
        let fee: ArrayRef = Arc::new(Float64Array::from(vec![50_000.0, 0.0, 0.0, 0.0]));
        let online: ArrayRef = Arc::new(BooleanArray::from(vec![true, false, false, false]));
        let ch: ArrayRef = Arc::new(StringViewArray::from(vec!["2", "1", "", "trực tuyến"]));
        let b = batch(vec![
            ("MaHoSo", ids),
            ("Mã đơn vị", units),
            ("MaTTHC", procs),
            ("TrangThaiHoSo", status),
            ("Ngày tiếp nhận", received),
            ("finished_at", finished),
            ("NgayHenTra", due),
            ("Lệ phí", fee),
            ("digitised", online),
            ("KenhThucHien", ch),
        ]);
        let r = dossiers_from_batches(&[b], &ColumnMap::new(), "t.arrow");
        assert_eq!(r.read_count(), 4);
        assert_eq!(r.rejects.len(), 1, "{:?}", r.rejects);
        assert_eq!(r.rejects[0].row, 3);
        assert_eq!(r.rejects[0].column.as_deref(), Some("TrangThaiHoSo"));
        assert_eq!(r.superseded.len(), 1);
        assert_eq!(r.superseded[0].row, 1);
        assert_eq!(r.rows.len(), 2);
        let a1 = r.rows.iter().find(|d| d.dossier_id == "A1");
        let a1 = a1.unwrap_or_else(|| panic!("A1"));
        assert_eq!(a1.unit_code, "H44.100");
        assert_eq!(a1.channel, chiso::Channel::Online);
        let a2 = r.rows.iter().find(|d| d.dossier_id == "A2");
        let a2 = a2.unwrap_or_else(|| panic!("A2"));
        assert_eq!(
            a2.received_at.map(|t| t.to_string()),
            Some("2026-09-01 08:00:00".to_string())
        );
        assert_eq!(a2.status, Some(chiso::Status::InProgress));
    }

    /// A dictionary column is read through its keys, without decoding: every key type, a null
    /// key (empty cell), a null value (empty cell), and one long value behind many rows read
    /// as that value in each.
    #[test]
    fn dictionary_columns_are_read_through_their_keys() {
        use arrow::datatypes::{UInt16Type, UInt64Type};
        let long = "H".repeat(10_000);
        let n = 1_000;
        let ids: ArrayRef = Arc::new(StringArray::from(
            (0..n).map(|i| format!("D{i}")).collect::<Vec<_>>(),
        ));
        let values = StringArray::from(vec![Some(long.as_str()), None, Some("1.1")]);
        let unit_keys = arrow::array::PrimitiveArray::<UInt16Type>::from(
            (0..n)
                .map(|i| if i == 7 { None } else { Some(0u16) })
                .collect::<Vec<_>>(),
        );
        let units: ArrayRef = Arc::new(
            DictionaryArray::<UInt16Type>::try_new(unit_keys, Arc::new(values.clone()))
                .unwrap_or_else(|e| panic!("{e}")),
        );
        let proc_keys = arrow::array::PrimitiveArray::<UInt64Type>::from(
            (0..n)
                .map(|i| Some(if i == 9 { 1u64 } else { 2 }))
                .collect::<Vec<_>>(),
        );
        let procs: ArrayRef = Arc::new(
            DictionaryArray::<UInt64Type>::try_new(proc_keys, Arc::new(values))
                .unwrap_or_else(|e| panic!("{e}")),
        );
        let b = batch(vec![
            ("dossier_id", ids),
            ("unit_code", units),
            ("procedure_code", procs),
        ]);
        let r = dossiers_from_batches(&[b], &ColumnMap::new(), "t.arrow");
        assert_eq!(r.read_count(), n);
        let by_id = |id: &str| {
            r.rows
                .iter()
                .find(|d| d.dossier_id == id)
                .unwrap_or_else(|| panic!("{id}: {:?}", r.rejects))
        };
        assert_eq!(by_id("D0").unit_code, long);
        assert_eq!(by_id("D0").procedure_code, "1.1");
        assert_eq!(by_id("D999").unit_code, long);
        // Row 7 has no unit (a null key), row 9 no procedure (a null value): each is whatever
        // an empty cell of that column gives, the same as a plain string column's null.
        let plain_keeps_d1 = |col: &str| {
            let keys: ArrayRef = Arc::new(StringArray::from(vec![Some("D0"), Some("D1")]));
            let cell: ArrayRef = Arc::new(StringArray::from(vec![Some("x"), None]));
            let other: ArrayRef = Arc::new(StringArray::from(vec![Some("H1"), Some("1.1")]));
            let (u, p) = if col == "unit_code" {
                (cell, other)
            } else {
                (other, cell)
            };
            let b = batch(vec![
                ("dossier_id", keys),
                ("unit_code", u),
                ("procedure_code", p),
            ]);
            let r = dossiers_from_batches(&[b], &ColumnMap::new(), "t.arrow");
            r.rows.iter().any(|d| d.dossier_id == "D1")
        };
        for (col, row) in [("unit_code", 7), ("procedure_code", 9)] {
            let kept = r.rows.iter().any(|d| d.dossier_id == format!("D{row}"));
            assert_eq!(kept, plain_keeps_d1(col), "{col}: {:?}", r.rejects);
        }
    }
}
