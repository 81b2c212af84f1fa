//! Which columns the fast path reads (the projection), and the check of the other columns that could reject a row.

use super::*;
use crate::read::columns::{ColumnMap, RecordKind};
use arrow::array::Array;
use arrow::datatypes::DataType;
use arrow::record_batch::RecordBatch;

/// Fields the fast path reads; any other resolved column with a value sends the file down the
/// ordinary path.
pub(super) const FAST_FIELDS: &[&str] = &[
    "dossier_id",
    "unit_code",
    "procedure_code",
    "channel",
    "submitted_at",
    "received_at",
    "due_at",
    "rescheduled_due_at",
    "finished_at",
    "returned_at",
    "status",
    "supplements",
    "fee_waits",
    "fee_total",
    "paid_online",
    "e_result",
    "digitised",
    "reused_data",
    "personal_store",
    "population_data",
    "unsatisfied",
    "has_petition",
    "not_synced",
    "steps",
    "synced_at",
];

/// The dossier fields scoring reads: a caller that ships rows elsewhere to be scored (Spark's
/// executors) drops every other column first, so the process log and toolkit-only columns never
/// travel. The process log is the one fast field scoring never reads.
pub fn scoring_fields() -> impl Iterator<Item = &'static str> {
    FAST_FIELDS.iter().copied().filter(|f| *f != "steps")
}

/// Fast fields scoring does not read. The process log is never decoded: no reader rejects a row
/// for it (DATA-MODEL.md §1). The row path still converts the other two and rejects a row with
/// a bad cell, so where such a cell can be bad (times held as text) the fast path reads them the
/// row path's way to make sure none is ([`check_unread`]).
pub(super) const UNREAD: &[&str] = &["steps", "submitted_at", "synced_at"];

/// Whether a column the fast path does not read can hold a cell the row path would reject:
/// typed times cannot, nor an all-empty column, nor the process log, which the row path keeps
/// as text.
pub(super) fn needs_check(name: &str, data_type: &DataType) -> bool {
    match name {
        "submitted_at" | "synced_at" => !matches!(
            data_type,
            DataType::Timestamp(..) | DataType::Date32 | DataType::Date64 | DataType::Null
        ),
        _ => false,
    }
}

/// Columns of a dossier file the fast path decodes: every resolved column except unread ones
/// that cannot hold a rejectable cell.
pub fn projection(schema: &arrow::datatypes::Schema, map: &ColumnMap) -> Vec<usize> {
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    let res = map.resolve(RecordKind::Dossier, &names);
    res.columns
        .iter()
        .enumerate()
        .filter(|(i, spec)| {
            spec.is_some_and(|s| {
                !UNREAD.contains(&s.name) || needs_check(s.name, schema.field(*i).data_type())
            })
        })
        .map(|(i, _)| i)
        .collect()
}

/// Reads the unread columns that can hold a bad cell (with the required ones, so that only a
/// bad cell can reject a row) the row path's way; a reject sends the batch down that path.
pub(super) fn check_unread(
    batch: &RecordBatch,
    res: &crate::read::columns::Resolution,
    map: &ColumnMap,
) -> std::result::Result<(), NotFast> {
    let mut keep = Vec::new();
    let mut checked = false;
    for (i, spec) in res.columns.iter().enumerate() {
        let Some(spec) = spec else { continue };
        let a = batch.column(i);
        if spec.required {
            keep.push(i);
        } else if spec.name == "steps"
            && a.null_count() < a.len()
            && needs_check(spec.name, a.data_type())
        {
            // (Times held as text are checked by `FastTally::add` itself, the fast way.)
            keep.push(i);
            checked = true;
        }
    }
    if !checked {
        return Ok(());
    }
    let sub = batch
        .project(&keep)
        .map_err(|e| NotFast(format!("unread columns: {e}")))?;
    let r = crate::read::arrow_batches::dossiers_from_batches(&[sub], map, "");
    match r.rejects.first() {
        None => Ok(()),
        Some(bad) => not_fast(format!(
            "a cell the row path rejects ({}: {})",
            bad.column.as_deref().unwrap_or("?"),
            bad.message
        )),
    }
}
