//! A JSON array or JSON Lines file of dossiers as Arrow columns: one column per key that feeds a
//! field (keys met later start with empty rows), each value typed as the row reader reads it
//! (`rows::json`, where every value is a JSON cell).

use super::{reads_number, reads_text, Columns, Fast, NumericCodes, Typed};
use crate::read::columns::{ColumnMap, FieldSpec, FieldType, RecordKind};
use crate::read::fast::NotFast;
use arrow::record_batch::RecordBatch;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;

/// The text the row reader gives a number cell (`Cell::Float`), to compare with a JSON number's.
fn float_text(x: f64) -> String {
    crate::read::cell::Cell::Float(x).text().unwrap_or_default()
}

/// A JSON value as a column feeding `spec` holds it, or why no column can (then the row reader
/// reads the file).
fn typed<'v>(v: &'v Value, spec: &FieldSpec) -> Result<Typed<'v>, String> {
    let ty = spec.ty;
    Ok(match v {
        Value::Null => Typed::Null,
        Value::String(s) if s.is_empty() => Typed::Null,
        Value::String(s) => {
            let t = s.trim_start();
            if ty == FieldType::Nested && (t.starts_with('[') || t.starts_with('{')) {
                return Err("text holding JSON, which the row reader leaves unparsed".into());
            }
            Typed::Text(Cow::Borrowed(s))
        }
        Value::Bool(b) if reads_number(spec) => return Err(format!("{b} in a {ty:?} column")),
        Value::Bool(b) => Typed::Bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Typed::Int(i),
            None => {
                let x = n.as_f64().unwrap_or(f64::NAN);
                if reads_text(spec) && n.to_string() != float_text(x) {
                    return Err(format!(
                        "the number {n} reads as the text {n:?}, not {:?}",
                        float_text(x)
                    ));
                }
                Typed::Float(x)
            }
        },
        // Lists and objects: their JSON text, which the list fields parse back to the same value.
        Value::Array(_) | Value::Object(_) if ty == FieldType::Nested => {
            Typed::Text(Cow::Owned(v.to_string()))
        }
        _ => return Err(format!("a list or object in a {ty:?} column")),
    })
}

/// Gathers records into columns.
struct Gather<'m, 'w> {
    map: &'m ColumnMap,
    keys: HashMap<String, Option<usize>>,
    columns: Columns<'w>,
}

impl Gather<'_, '_> {
    fn record(&mut self, row: usize, v: &Value) -> Fast<()> {
        let Value::Object(obj) = v else {
            return Err(NotFast(format!("row {row}: not a JSON object")));
        };
        for (k, val) in obj {
            let col = match self.keys.get(k) {
                Some(c) => *c,
                None => {
                    let c = match self.map.field(RecordKind::Dossier, k) {
                        Some(spec) => Some(self.columns.add(k, spec)?),
                        None => None,
                    };
                    self.keys.insert(k.clone(), c);
                    c
                }
            };
            if let Some(c) = col {
                let t = typed(val, self.columns.spec(c))
                    .map_err(|m| NotFast(format!("row {row}, column {k:?}: {m}")))?;
                self.columns.put(c, row, t)?;
            }
        }
        self.columns.end_row()
    }
}

/// Streams the elements of a top-level array into the columns; the first reason to step aside
/// stops the read.
struct Seq<'a, 'm, 'w> {
    gather: &'a mut Gather<'m, 'w>,
    why: &'a mut Option<NotFast>,
}

impl<'de> serde::de::Visitor<'de> for Seq<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of records")
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0usize;
        while let Some(v) = seq.next_element::<Value>()? {
            i += 1;
            if let Err(e) = self.gather.record(i, &v) {
                *self.why = Some(e);
                return Err(serde::de::Error::custom("stepped aside"));
            }
        }
        Ok(())
    }
}

/// The file's columns, handed to `sink` a batch at a time as the file is read (never whole);
/// `Err` when the row reader must read it (also for a file it cannot read: the row reader then
/// gives the error).
pub(super) fn gather_json(
    path: &Path,
    map: &ColumnMap,
    sink: &mut dyn FnMut(RecordBatch) -> Fast<()>,
    numeric: &mut NumericCodes,
) -> Fast<()> {
    let cannot = |e: std::io::Error| NotFast(format!("cannot read: {e}"));
    let file = std::fs::File::open(path).map_err(cannot)?;
    // Past the cell limit the read fails and the file steps aside to the row reader, which
    // refuses it with the limit's own message (as the CSV fast path does).
    let guarded = crate::read::limits::CellGuard::new(file, crate::read::limits::Syntax::Json);
    let mut reader = BufReader::with_capacity(1 << 16, guarded);
    // Skip a BOM and white space to see whether this is an array or JSON Lines (as the row
    // reader does).
    let first = loop {
        let buf = reader.fill_buf().map_err(cannot)?;
        if buf.is_empty() {
            break None;
        }
        if buf.starts_with(&[0xEF, 0xBB, 0xBF]) {
            reader.consume(3);
            continue;
        }
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => {
                let c = buf[i];
                reader.consume(i);
                break Some(c);
            }
            None => {
                let n = buf.len();
                reader.consume(n);
            }
        }
    };
    let mut g = Gather {
        map,
        keys: HashMap::new(),
        columns: Columns::new(RecordKind::Dossier, map, sink, numeric),
    };
    match first {
        None => {}
        Some(b'[') => {
            use serde::de::Deserializer as _;
            let mut why = None;
            let mut de = serde_json::Deserializer::from_reader(reader);
            let read = de.deserialize_seq(Seq {
                gather: &mut g,
                why: &mut why,
            });
            if let Some(w) = why {
                return Err(w);
            }
            // Like the row reader, nothing after the array is read.
            read.map_err(|e| NotFast(format!("not a JSON array of records: {e}")))?;
        }
        Some(_) => {
            let mut line = String::new();
            let mut number = 0usize;
            loop {
                line.clear();
                if reader.read_line(&mut line).map_err(cannot)? == 0 {
                    break;
                }
                number += 1;
                let t = line.trim();
                if t.is_empty() {
                    continue;
                }
                let v: Value = serde_json::from_str(t)
                    .map_err(|e| NotFast(format!("row {number}: not valid JSON: {e}")))?;
                g.record(number, &v)?;
            }
        }
    }
    g.columns.finish()
}
