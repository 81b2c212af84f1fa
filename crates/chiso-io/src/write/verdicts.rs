//! Every dossier's verdict written while it is judged (`chiso score --verdicts FILE`): one row
//! per input record with [`chiso::verdicts::VERDICT_COLUMNS`], as CSV, JSON Lines or Parquet by
//! the file's extension. Rows are written batch by batch as readers judge them, so no dossier is
//! kept for the export; the readers call it through [`chiso::verdicts::VerdictSink`].

use crate::error::{IoError, Result};
use crate::write::output::Pending;
use arrow::array::{ArrayRef, BooleanBuilder, Float64Builder, Int64Builder, StringBuilder};
use arrow::array::{TimestampMillisecondBuilder, UInt8Builder};
use arrow::datatypes::{DataType, Field, Schema, TimeUnit};
use arrow::record_batch::RecordBatch;
use chiso::moment::millis_of;
use chiso::verdicts::{RowVerdict, VerdictFields, VerdictSink, VERDICT_COLUMNS};
use chiso::workdays::WorkCalendar;
use chrono::NaiveDateTime;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Rows buffered before a Parquet row group is written.
const PARQUET_ROWS: usize = 65_536;

/// The file format of a verdict export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VerdictFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON object per line.
    JsonLines,
    /// Parquet, written in row groups.
    Parquet,
}

impl VerdictFormat {
    /// By extension: `.csv`, `.jsonl` / `.ndjson`, `.parquet`.
    pub fn from_path(path: &Path) -> Result<Self> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        match ext.as_str() {
            "csv" => Ok(Self::Csv),
            "jsonl" | "ndjson" => Ok(Self::JsonLines),
            "parquet" => Ok(Self::Parquet),
            _ => Err(IoError::format(
                path,
                "a verdict file is .csv, .jsonl or .parquet",
            )),
        }
    }
}

/// One row, owned, as written.
struct Row<'a> {
    id: &'a str,
    unit: &'a str,
    procedure: &'a str,
    f: VerdictFields,
    why: &'a str,
}

/// Column values of buffered Parquet rows.
struct ParquetRows {
    writer: parquet::arrow::ArrowWriter<File>,
    schema: Arc<Schema>,
    text: Vec<StringBuilder>,
    times: Vec<TimestampMillisecondBuilder>,
    waited: Float64Builder,
    late: Int64Builder,
    channel: UInt8Builder,
    flags: Vec<BooleanBuilder>,
    rows: usize,
}

/// Text columns (identity, scope, reason, class, deadline source), time columns (deadline,
/// end_at) and yes/no columns, in [`VERDICT_COLUMNS`] order.
const TEXT: [usize; 7] = [0, 1, 2, 3, 4, 5, 7];
const TIMES: [usize; 2] = [6, 8];
const FLAGS_FROM: usize = 12;

fn schema() -> Arc<Schema> {
    let fields: Vec<Field> = VERDICT_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let ty = if TEXT.contains(&i) {
                DataType::Utf8
            } else if TIMES.contains(&i) {
                DataType::Timestamp(TimeUnit::Millisecond, None)
            } else if i == 9 {
                DataType::Float64
            } else if i == 10 {
                DataType::Int64
            } else if i == 11 {
                DataType::UInt8
            } else {
                DataType::Boolean
            };
            Field::new(*name, ty, true)
        })
        .collect();
    Arc::new(Schema::new(fields))
}

impl ParquetRows {
    fn new(file: File) -> std::result::Result<Self, String> {
        let schema = schema();
        let writer = parquet::arrow::ArrowWriter::try_new(file, schema.clone(), None)
            .map_err(|e| e.to_string())?;
        Ok(Self {
            writer,
            schema,
            text: (0..TEXT.len()).map(|_| StringBuilder::new()).collect(),
            times: (0..TIMES.len())
                .map(|_| TimestampMillisecondBuilder::new())
                .collect(),
            waited: Float64Builder::new(),
            late: Int64Builder::new(),
            channel: UInt8Builder::new(),
            flags: (FLAGS_FROM..VERDICT_COLUMNS.len())
                .map(|_| BooleanBuilder::new())
                .collect(),
            rows: 0,
        })
    }

    fn push(&mut self, r: &Row<'_>) -> std::result::Result<(), String> {
        let f = &r.f;
        let reason = if r.why.is_empty() { f.reason } else { r.why };
        for (b, v) in self.text.iter_mut().zip([
            r.id,
            r.unit,
            r.procedure,
            f.period_scope,
            reason,
            f.class,
            f.deadline_source,
        ]) {
            b.append_value(v);
        }
        for (b, t) in self.times.iter_mut().zip([f.deadline, f.end_at]) {
            b.append_option(t.map(|t| millis_of(Some(t))));
        }
        self.waited.append_option(f.waited_hours);
        self.late.append_option(f.working_days_late);
        self.channel.append_option(f.channel);
        for (b, v) in self.flags.iter_mut().zip(flags(f)) {
            b.append_value(v);
        }
        self.rows += 1;
        if self.rows >= PARQUET_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> std::result::Result<(), String> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut cols: Vec<Option<ArrayRef>> = vec![None; VERDICT_COLUMNS.len()];
        for (&i, b) in TEXT.iter().zip(&mut self.text) {
            cols[i] = Some(Arc::new(b.finish()));
        }
        for (&i, b) in TIMES.iter().zip(&mut self.times) {
            cols[i] = Some(Arc::new(b.finish()));
        }
        cols[9] = Some(Arc::new(self.waited.finish()));
        cols[10] = Some(Arc::new(self.late.finish()));
        cols[11] = Some(Arc::new(self.channel.finish()));
        for (k, b) in self.flags.iter_mut().enumerate() {
            cols[FLAGS_FROM + k] = Some(Arc::new(b.finish()));
        }
        let cols: Vec<ArrayRef> = cols.into_iter().flatten().collect();
        let batch = RecordBatch::try_new(self.schema.clone(), cols).map_err(|e| e.to_string())?;
        self.writer.write(&batch).map_err(|e| e.to_string())?;
        self.rows = 0;
        Ok(())
    }
}

/// The yes/no columns, in [`VERDICT_COLUMNS`] order.
fn flags(f: &VerdictFields) -> [bool; 12] {
    let r = &f.reads;
    [
        r.synced,
        r.online,
        r.fee,
        r.paid_online,
        r.e_result,
        r.digitised,
        r.reused_data,
        r.personal_store,
        r.population_data,
        r.unsatisfied,
        r.has_petition,
        r.satisfied,
    ]
}

enum Out {
    Text(BufWriter<File>, VerdictFormat),
    Parquet(Box<ParquetRows>),
}

struct State {
    out: Option<Out>,
    /// The temporary file `out` writes, renamed over the target by [`VerdictWriter::finish`].
    pending: Option<Pending>,
    /// The first write error, reported by [`VerdictWriter::finish`].
    error: Option<String>,
    rows: u64,
    line: String,
}

/// A verdict export being written; shared by reader threads (it locks per row).
pub struct VerdictWriter<'c> {
    path: PathBuf,
    format: VerdictFormat,
    /// Evaluation time (ms) and calendar, for open dossiers' working days late.
    t: i64,
    calendar: &'c dyn WorkCalendar,
    state: Mutex<State>,
}

fn time_text(t: Option<NaiveDateTime>) -> String {
    t.map(|t| t.format("%Y-%m-%dT%H:%M:%S").to_string())
        .unwrap_or_default()
}

fn csv_field(s: &str, out: &mut String) {
    if s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

impl<'c> VerdictWriter<'c> {
    /// Creates the file (format by extension) and writes its header.
    pub fn create(path: &Path, t: NaiveDateTime, calendar: &'c dyn WorkCalendar) -> Result<Self> {
        let format = VerdictFormat::from_path(path)?;
        let w = Self {
            path: path.to_path_buf(),
            format,
            t: millis_of(Some(t)),
            calendar,
            state: Mutex::new(State {
                out: None,
                pending: None,
                error: None,
                rows: 0,
                line: String::new(),
            }),
        };
        let (out, pending) = w.open()?;
        if let Ok(mut s) = w.state.lock() {
            s.out = Some(out);
            s.pending = Some(pending);
        }
        Ok(w)
    }

    /// The writer over a temporary file beside the target (see [`Pending`]).
    fn open(&self) -> Result<(Out, Pending)> {
        let (file, pending) = Pending::create(&self.path)?;
        let out = match self.format {
            VerdictFormat::Parquet => Out::Parquet(Box::new(
                ParquetRows::new(file).map_err(|e| IoError::format(&self.path, e))?,
            )),
            f => {
                let mut b = BufWriter::with_capacity(1 << 20, file);
                if f == VerdictFormat::Csv {
                    writeln!(b, "{}", VERDICT_COLUMNS.join(","))
                        .map_err(|e| IoError::file(&self.path, e))?;
                }
                Out::Text(b, f)
            }
        };
        Ok((out, pending))
    }

    fn write(&self, r: Row<'_>) {
        let Ok(mut guard) = self.state.lock() else {
            return;
        };
        let s = &mut *guard;
        if s.error.is_some() {
            return;
        }
        s.rows += 1;
        let result = match s.out.as_mut() {
            Some(Out::Parquet(p)) => p.push(&r),
            Some(Out::Text(b, f)) => {
                let line = &mut s.line;
                line.clear();
                text_row(&r, *f, line);
                b.write_all(line.as_bytes()).map_err(|e| e.to_string())
            }
            None => Ok(()),
        };
        if let Err(e) = result {
            s.error = Some(e);
        }
    }

    /// Flushes and closes the file; the number of rows written, or the first error.
    pub fn finish(self) -> Result<u64> {
        let path = self.path;
        let s = self
            .state
            .into_inner()
            .map_err(|_| IoError::format(&path, "a writer thread failed"))?;
        if let Some(e) = s.error {
            return Err(IoError::format(&path, e));
        }
        let err = |e: String| IoError::format(&path, e);
        match s.out {
            Some(Out::Parquet(mut p)) => {
                p.flush().map_err(err)?;
                p.writer.close().map_err(|e| err(e.to_string()))?;
            }
            Some(Out::Text(mut b, _)) => b.flush().map_err(|e| IoError::file(&path, e))?,
            None => {}
        }
        if let Some(pending) = s.pending {
            pending.commit()?;
        }
        Ok(s.rows)
    }
}

/// One CSV or JSON Lines line.
fn text_row(r: &Row<'_>, format: VerdictFormat, line: &mut String) {
    let f = &r.f;
    let reason = if r.why.is_empty() { f.reason } else { r.why };
    let flags = flags(f);
    if format == VerdictFormat::JsonLines {
        let mut m = serde_json::Map::new();
        let mut put = |k: &str, v: serde_json::Value| {
            m.insert(k.to_string(), v);
        };
        use serde_json::Value as V;
        let text = |s: &str| V::String(s.to_string());
        let time = |t: Option<NaiveDateTime>| t.map_or(V::Null, |t| V::String(time_text(Some(t))));
        put("dossier_id", text(r.id));
        put("unit_code", text(r.unit));
        put("procedure_code", text(r.procedure));
        put("period_scope", text(f.period_scope));
        put("reason", text(reason));
        put("class", text(f.class));
        put("deadline", time(f.deadline));
        put("deadline_source", text(f.deadline_source));
        put("end_at", time(f.end_at));
        put("waited_hours", f.waited_hours.map_or(V::Null, V::from));
        put(
            "working_days_late",
            f.working_days_late.map_or(V::Null, V::from),
        );
        put("channel", f.channel.map_or(V::Null, V::from));
        for (name, v) in VERDICT_COLUMNS[FLAGS_FROM..].iter().zip(flags) {
            put(name, V::Bool(v));
        }
        line.push_str(&V::Object(m).to_string());
        line.push('\n');
        return;
    }
    for (k, v) in [r.id, r.unit, r.procedure, f.period_scope, reason, f.class]
        .into_iter()
        .enumerate()
    {
        if k > 0 {
            line.push(',');
        }
        csv_field(v, line);
    }
    for v in [
        time_text(f.deadline),
        f.deadline_source.to_string(),
        time_text(f.end_at),
        opt(f.waited_hours),
        opt(f.working_days_late),
        opt(f.channel),
    ] {
        line.push(',');
        line.push_str(&v);
    }
    for v in flags {
        line.push(',');
        line.push_str(if v { "true" } else { "false" });
    }
    line.push('\n');
}

impl VerdictSink for VerdictWriter<'_> {
    fn judged(&self, id: &str, unit: &str, procedure: &str, v: &RowVerdict) {
        self.write(Row {
            id: id.trim(),
            unit: unit.trim(),
            procedure: procedure.trim(),
            f: v.fields(self.t, self.calendar),
            why: "",
        });
    }

    fn unjudged(&self, id: &str, unit: &str, procedure: &str, scope: &'static str, why: &str) {
        self.write(Row {
            id: id.trim(),
            unit: unit.trim(),
            procedure: procedure.trim(),
            f: VerdictFields {
                period_scope: scope,
                ..VerdictFields::rejected()
            },
            why,
        });
    }

    fn restart(&self) {
        let fresh = self.open();
        if let Ok(mut s) = self.state.lock() {
            s.rows = 0;
            match fresh {
                Ok((out, pending)) => {
                    s.out = Some(out);
                    s.pending = Some(pending);
                }
                Err(e) => s.error = Some(e.to_string()),
            }
        }
    }
}
