//! Records as Arrow record batches (canonical column names), written as Arrow IPC, Parquet or
//! CSV; the readers read all three back to the same records.
//!
//! Times are `Timestamp(Second)` without a zone (Vietnam wall-clock time) and `YYYY-MM-DDTHH:MM:SS`
//! in CSV; lists (supplements, fee waits, steps) are JSON text; procedure units are joined by `;`.

use crate::error::{IoError, Result};
use arrow::array::{
    ArrayRef, BooleanArray, Date32Array, Float64Array, Int64Array, StringArray,
    TimestampSecondArray, UInt32Array,
};
use arrow::datatypes::{Field, Schema};
use arrow::record_batch::RecordBatch;
use chiso::model::ProcessLog;
use chiso::{Dossier, Petition, Procedure, Unit};
use chrono::{NaiveDate, NaiveDateTime};
use std::path::Path;
use std::sync::Arc;

/// Output formats of `chiso generate` and the writers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// One JSON object per line.
    JsonLines,
    /// Comma-separated values with a header row.
    Csv,
    /// Arrow IPC file.
    Arrow,
    /// Parquet (snappy).
    Parquet,
}

impl OutputFormat {
    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::JsonLines => "jsonl",
            OutputFormat::Csv => "csv",
            OutputFormat::Arrow => "arrow",
            OutputFormat::Parquet => "parquet",
        }
    }
}

fn ts(v: impl Iterator<Item = Option<NaiveDateTime>>) -> ArrayRef {
    Arc::new(TimestampSecondArray::from(
        v.map(|t| t.map(|t| t.and_utc().timestamp()))
            .collect::<Vec<_>>(),
    ))
}

fn date(v: impl Iterator<Item = Option<NaiveDate>>) -> ArrayRef {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    Arc::new(Date32Array::from(
        v.map(|d| d.map(|d| (d - epoch).num_days() as i32))
            .collect::<Vec<_>>(),
    ))
}

fn text<'a>(v: impl Iterator<Item = Option<&'a str>>) -> ArrayRef {
    Arc::new(StringArray::from(v.collect::<Vec<_>>()))
}

fn owned(v: impl Iterator<Item = Option<String>>) -> ArrayRef {
    Arc::new(StringArray::from(v.collect::<Vec<_>>()))
}

fn boolean(v: impl Iterator<Item = Option<bool>>) -> ArrayRef {
    Arc::new(BooleanArray::from(v.collect::<Vec<_>>()))
}

fn int(v: impl Iterator<Item = Option<i64>>) -> ArrayRef {
    Arc::new(Int64Array::from(v.collect::<Vec<_>>()))
}

fn json_list<T: serde::Serialize>(v: &[T]) -> Option<String> {
    if v.is_empty() {
        None
    } else {
        serde_json::to_string(v).ok()
    }
}

/// A process log as written: its steps as a JSON list, or the text it was read as.
fn log_text(log: &ProcessLog) -> Option<String> {
    match log {
        ProcessLog::Steps(s) => json_list(s),
        ProcessLog::Text(t) => Some(t.clone()).filter(|t| !t.trim().is_empty()),
    }
}

fn batch(cols: Vec<(&str, ArrayRef)>) -> Result<RecordBatch> {
    let fields: Vec<Field> = cols
        .iter()
        .map(|(n, a)| Field::new(*n, a.data_type().clone(), true))
        .collect();
    RecordBatch::try_new(
        Arc::new(Schema::new(fields)),
        cols.into_iter().map(|(_, a)| a).collect(),
    )
    .map_err(|e| IoError::format(Path::new("<batch>"), e.to_string()))
}

/// Dossiers as one record batch with canonical column names.
pub fn dossiers_batch(rows: &[Dossier]) -> Result<RecordBatch> {
    let r = rows;
    batch(vec![
        (
            "dossier_id",
            text(r.iter().map(|d| Some(d.dossier_id.as_str()))),
        ),
        (
            "unit_code",
            text(r.iter().map(|d| Some(d.unit_code.as_str()))),
        ),
        (
            "procedure_code",
            text(r.iter().map(|d| Some(d.procedure_code.as_str()))),
        ),
        ("channel", int(r.iter().map(|d| Some(d.channel as i64)))),
        ("submitted_at", ts(r.iter().map(|d| d.submitted_at))),
        ("received_at", ts(r.iter().map(|d| d.received_at))),
        ("due_at", ts(r.iter().map(|d| d.due_at))),
        (
            "rescheduled_due_at",
            ts(r.iter().map(|d| d.rescheduled_due_at)),
        ),
        ("finished_at", ts(r.iter().map(|d| d.finished_at))),
        ("returned_at", ts(r.iter().map(|d| d.returned_at))),
        ("status", int(r.iter().map(|d| d.status.map(|s| s as i64)))),
        (
            "supplements",
            owned(r.iter().map(|d| json_list(&d.supplements))),
        ),
        (
            "fee_waits",
            owned(r.iter().map(|d| json_list(&d.fee_waits))),
        ),
        (
            "fee_total",
            Arc::new(Float64Array::from(
                r.iter().map(|d| d.fee_total).collect::<Vec<_>>(),
            )),
        ),
        (
            "paid_online",
            int(r.iter().map(|d| Some(d.paid_online as i64))),
        ),
        ("e_result", boolean(r.iter().map(|d| Some(d.e_result)))),
        ("digitised", boolean(r.iter().map(|d| Some(d.digitised)))),
        (
            "reused_data",
            boolean(r.iter().map(|d| Some(d.reused_data))),
        ),
        (
            "personal_store",
            boolean(r.iter().map(|d| Some(d.personal_store))),
        ),
        (
            "population_data",
            boolean(r.iter().map(|d| Some(d.population_data))),
        ),
        (
            "unsatisfied",
            boolean(r.iter().map(|d| Some(d.unsatisfied))),
        ),
        (
            "has_petition",
            boolean(r.iter().map(|d| Some(d.has_petition))),
        ),
        ("steps", owned(r.iter().map(|d| log_text(&d.steps)))),
        ("not_synced", boolean(r.iter().map(|d| Some(d.not_synced)))),
    ])
}

/// Sync records (`chiso generate --events`) as one record batch: the dossier columns and
/// `synced_at`.
pub fn events_batch(rows: &[chiso::live::SyncRecord]) -> Result<RecordBatch> {
    let dossiers: Vec<Dossier> = rows.iter().map(|r| r.dossier.clone()).collect();
    let b = dossiers_batch(&dossiers)?;
    let mut cols: Vec<(&str, ArrayRef)> = b
        .schema_ref()
        .fields()
        .iter()
        .map(|f| f.name().as_str())
        .zip(b.columns().iter().cloned())
        .collect();
    cols.push(("synced_at", ts(rows.iter().map(|r| r.synced_at))));
    batch(cols)
}

fn snake<T: serde::Serialize>(v: &T) -> Option<String> {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => Some(s),
        _ => None,
    }
}

/// Procedures as one record batch.
pub fn procedures_batch(rows: &[Procedure]) -> Result<RecordBatch> {
    let r = rows;
    batch(vec![
        (
            "procedure_code",
            text(r.iter().map(|p| Some(p.procedure_code.as_str()))),
        ),
        ("name", text(r.iter().map(|p| Some(p.name.as_str())))),
        ("field", text(r.iter().map(|p| Some(p.field.as_str())))),
        (
            "level",
            owned(r.iter().map(|p| p.level.as_ref().and_then(snake))),
        ),
        (
            "online_level",
            owned(r.iter().map(|p| snake(&p.online_level))),
        ),
        (
            "full_process_eligible",
            boolean(r.iter().map(|p| Some(p.full_process_eligible))),
        ),
        (
            "paper_result",
            boolean(r.iter().map(|p| Some(p.paper_result))),
        ),
        (
            "fee_bearing",
            boolean(r.iter().map(|p| Some(p.fee_bearing))),
        ),
        (
            "for_citizens",
            boolean(r.iter().map(|p| Some(p.for_citizens))),
        ),
        (
            "statutory_time",
            Arc::new(Float64Array::from(
                r.iter()
                    .map(|p| p.statutory_time.map(|t| t.amount))
                    .collect::<Vec<_>>(),
            )),
        ),
        (
            "statutory_time_unit",
            owned(
                r.iter()
                    .map(|p| p.statutory_time.and_then(|t| snake(&t.unit))),
            ),
        ),
        ("published_at", date(r.iter().map(|p| p.published_at))),
        (
            "legal_basis_effective_at",
            date(r.iter().map(|p| p.legal_basis_effective_at)),
        ),
        ("made_public_at", date(r.iter().map(|p| p.made_public_at))),
        ("has_all_parts", boolean(r.iter().map(|p| p.has_all_parts))),
        ("public", boolean(r.iter().map(|p| Some(p.public)))),
        (
            "units",
            owned(
                r.iter()
                    .map(|p| (!p.units.is_empty()).then(|| p.units.join(";"))),
            ),
        ),
    ])
}

/// Units as one record batch.
pub fn units_batch(rows: &[Unit]) -> Result<RecordBatch> {
    let r = rows;
    batch(vec![
        ("code", text(r.iter().map(|u| Some(u.code.as_str())))),
        ("name", text(r.iter().map(|u| Some(u.name.as_str())))),
        ("kind", text(r.iter().map(|u| Some(u.kind.as_str())))),
        ("parent", text(r.iter().map(|u| u.parent.as_deref()))),
        (
            "e_certified_copy",
            boolean(r.iter().map(|u| u.e_certified_copy)),
        ),
    ])
}

/// Petitions as one record batch.
pub fn petitions_batch(rows: &[Petition]) -> Result<RecordBatch> {
    let r = rows;
    batch(vec![
        (
            "petition_id",
            text(r.iter().map(|p| Some(p.petition_id.as_str()))),
        ),
        (
            "unit_code",
            text(r.iter().map(|p| Some(p.unit_code.as_str()))),
        ),
        ("received_at", ts(r.iter().map(|p| p.received_at))),
        ("forwarded_at", ts(r.iter().map(|p| p.forwarded_at))),
        ("handled_at", ts(r.iter().map(|p| p.handled_at))),
        ("rejected_at", ts(r.iter().map(|p| p.rejected_at))),
        (
            "supplement_requested_at",
            ts(r.iter().map(|p| p.supplement_requested_at)),
        ),
        (
            "likes",
            Arc::new(UInt32Array::from(
                r.iter().map(|p| p.likes).collect::<Vec<_>>(),
            )),
        ),
        (
            "dislikes",
            Arc::new(UInt32Array::from(
                r.iter().map(|p| p.dislikes).collect::<Vec<_>>(),
            )),
        ),
        (
            "repeat_complaint",
            boolean(r.iter().map(|p| Some(p.repeat_complaint))),
        ),
        (
            "classification",
            text(r.iter().map(|p| p.classification.as_deref())),
        ),
    ])
}

/// Writes a batch in a format, atomically (not JSON Lines: use
/// [`crate::read::records::write_json_lines`]).
pub fn write_batch(path: &Path, batch: &RecordBatch, format: OutputFormat) -> Result<()> {
    let bad = |e: String| IoError::format(path, e);
    super::output::write_atomic(path, |file| match format {
        OutputFormat::Arrow => {
            let mut w = arrow::ipc::writer::FileWriter::try_new(file, &batch.schema())
                .map_err(|e| bad(e.to_string()))?;
            w.write(batch).map_err(|e| bad(e.to_string()))?;
            w.finish().map_err(|e| bad(e.to_string()))
        }
        OutputFormat::Parquet => {
            let props = parquet::file::properties::WriterProperties::builder()
                .set_compression(parquet::basic::Compression::SNAPPY)
                .build();
            let mut w = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), Some(props))
                .map_err(|e| bad(e.to_string()))?;
            w.write(batch).map_err(|e| bad(e.to_string()))?;
            w.close().map(|_| ()).map_err(|e| bad(e.to_string()))
        }
        OutputFormat::Csv => write_csv(path, file, batch),
        OutputFormat::JsonLines => Err(bad("JSON Lines are written from records".into())),
    })
}

fn write_csv(path: &Path, file: &mut super::output::Sink, batch: &RecordBatch) -> Result<()> {
    use arrow::util::display::{ArrayFormatter, FormatOptions};
    let opts = FormatOptions::default()
        .with_null("")
        .with_timestamp_format(Some("%Y-%m-%dT%H:%M:%S"));
    let mut w = csv::Writer::from_writer(file);
    let err = |e: csv::Error| IoError::format(path, e.to_string());
    w.write_record(batch.schema().fields().iter().map(|f| f.name().as_str()))
        .map_err(err)?;
    let fmts = batch
        .columns()
        .iter()
        .map(|c| ArrayFormatter::try_new(c.as_ref(), &opts))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| IoError::format(path, e.to_string()))?;
    let mut row = Vec::with_capacity(fmts.len());
    for i in 0..batch.num_rows() {
        row.clear();
        row.extend(fmts.iter().map(|f| f.value(i).to_string()));
        w.write_record(&row).map_err(err)?;
    }
    w.flush().map_err(|e| IoError::file(path, e))
}
