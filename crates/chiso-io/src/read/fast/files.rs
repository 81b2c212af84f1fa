//! Arrow IPC and Parquet files read by the fast path: batches fed to workers, their tallies finished together.

use super::*;
use crate::error::{IoError, Result};
use crate::read::columns::{ColumnMap, RecordKind};
use arrow::datatypes::DataType;
use arrow::record_batch::RecordBatch;
use chiso::tally::{Accounting, Tally, TallyContext};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// Two sorted lists as one sorted list.
pub(super) fn merge_sorted(a: &[u64], b: &[u64]) -> Vec<u64> {
    if a.is_empty() {
        return b.to_vec();
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] <= b[j] {
            out.push(a[i]);
            i += 1;
        } else {
            out.push(b[j]);
            j += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// A fast read of a whole file by one or more workers, each with its own codes and tally,
/// finished together.
pub struct FastRead {
    pub(super) workers: Vec<FastTally>,
}

impl FastRead {
    /// The reads of several workers, finished together by [`FastRead::finish`].
    pub fn of(workers: Vec<FastTally>) -> Self {
        Self { workers }
    }

    pub(super) fn one(worker: FastTally) -> Self {
        Self::of(vec![worker])
    }

    /// The tally of every worker added up, the accounting of every row and the number of rows
    /// read; or why the file needs the ordinary reader after all (duplicate ids, across workers
    /// too: "latest sync wins").
    pub fn finish(
        self,
        period: &chiso::Period,
    ) -> std::result::Result<(Tally, Accounting, usize), NotFast> {
        let mut workers = self.workers;
        // Each worker's ids are sorted already (in its own thread, see `feed_all`; sorting
        // sorted ids is a single pass); the sorted runs are merged to find a repeat.
        let mut ids: Vec<u64> = Vec::new();
        for w in &mut workers {
            w.ids.sort_unstable();
            ids = merge_sorted(&ids, &std::mem::take(&mut w.ids));
        }
        if ids.windows(2).any(|w| w[0] == w[1]) {
            return not_fast("duplicate dossier ids (latest sync wins needs the ordinary reader)");
        }
        drop(ids);
        let (mut tally, mut acc, mut rows) = (Tally::new(), Accounting::default(), 0);
        for w in workers {
            let (t, a) = w
                .tally
                .finish(&w.units.refs(), &w.procedures.refs(), period)
                .map_err(|e| NotFast(e.0))?;
            if tally.is_empty() {
                tally = t;
            } else {
                tally.merge(&t);
            }
            acc.merge(&a);
            rows += w.rows;
        }
        Ok((tally, acc, rows))
    }
}

/// Reads an Arrow IPC or Parquet dossier file batch by batch through the fast path. `Ok(Err)`
/// when the file is of another format or needs the ordinary reader (the reason is returned).
/// A Parquet file with several row groups is decoded by `threads` workers side by side, each
/// reading its share of the row groups into its own tally.
pub fn tally_file(
    path: &Path,
    map: &ColumnMap,
    ctx: &TallyContext<'_>,
    threads: usize,
) -> Result<std::result::Result<FastRead, NotFast>> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "parquet" => tally_parquet(path, map, ctx, threads),
        "arrow" | "feather" | "ipc" => tally_ipc(path, map, ctx, threads),
        _ => Ok(Err(NotFast("not an Arrow IPC or Parquet file".into()))),
    }
}

/// What a reader returns: an I/O or format error, or a result or a reason to step aside.
pub(crate) type Step<T> = Result<std::result::Result<T, NotFast>>;

/// What a worker says when it stopped because another one stepped aside.
pub(crate) const STOPPED: &str = "stopped: another reader stepped aside";

/// Feeds batches to `add` until they end, an error, or a reason to step aside: the worker's own
/// (which tells the other workers to `stop`) or another worker's.
pub(crate) fn feed<E: std::fmt::Display>(
    path: &Path,
    mut batches: impl Iterator<Item = std::result::Result<RecordBatch, E>>,
    stop: &AtomicBool,
    mut add: impl FnMut(&RecordBatch) -> std::result::Result<(), NotFast>,
) -> Result<std::result::Result<(), NotFast>> {
    // Each batch is decoded through `decoder::call`: a decoder panic is a format error.
    while let Some(b) =
        crate::read::decoder::call(|| batches.next()).map_err(|m| IoError::format(path, m))?
    {
        if stop.load(Ordering::Relaxed) {
            return Ok(Err(NotFast(STOPPED.into())));
        }
        let b = b.map_err(|e| IoError::format(path, e.to_string()))?;
        if let Err(why) = add(&b) {
            stop.store(true, Ordering::Relaxed);
            return Ok(Err(why));
        }
    }
    Ok(Ok(()))
}

/// One worker's fast tally of its batches (its id hashes sorted in its own thread).
pub(super) fn feed_all(
    path: &Path,
    batches: impl Iterator<Item = std::result::Result<RecordBatch, arrow::error::ArrowError>>,
    map: &ColumnMap,
    ctx: &TallyContext<'_>,
    threads: usize,
    stop: &AtomicBool,
) -> Step<FastTally> {
    let mut fast = FastTally::default();
    Ok(
        feed(path, batches, stop, |b| fast.add(b, map, ctx, threads))?.map(|()| {
            fast.ids.sort_unstable();
            fast
        }),
    )
}

pub(super) fn tally_ipc(
    path: &Path,
    map: &ColumnMap,
    ctx: &TallyContext<'_>,
    threads: usize,
) -> Result<std::result::Result<FastRead, NotFast>> {
    use arrow::ipc::reader::FileReader;
    // Every length in the file checked once, before any reader trusts one.
    crate::read::decoder::check_ipc_file(path).map_err(|m| IoError::format(path, m))?;
    let open =
        |columns: Option<Vec<usize>>| -> Result<FileReader<std::io::BufReader<std::fs::File>>> {
            let file = std::fs::File::open(path).map_err(|e| IoError::file(path, e))?;
            crate::read::decoder::open(|| {
                FileReader::try_new(std::io::BufReader::new(file), columns)
            })
            .map_err(|m| IoError::format(path, format!("not a readable Arrow IPC file: {m}")))
        };
    let first = open(None)?;
    // The columns are checked as the row reader checks them: a file of no batches has no batch
    // whose columns `FastTally::add` would check (found by the fuzz target: 0 rows read here,
    // "no dossier column" from the row reader).
    check_columns(path, &first.schema(), map)?;
    // Decode only what scoring reads, as for Parquet.
    let keep = projection(&first.schema(), map);
    let batches = first.num_batches();
    drop(first);
    let workers = threads.clamp(1, batches.max(1));
    if workers <= 1 {
        let reader = open(Some(keep))?;
        let stop = AtomicBool::new(false);
        return Ok(feed_all(path, reader, map, ctx, threads, &stop)?.map(FastRead::one));
    }
    // Each worker reads every `workers`-th batch of the file through its own reader.
    let read = in_parallel(path, workers, |k, stop| {
        let mut reader = open(Some(keep.clone()))?;
        let mine = (k..batches).step_by(workers).map(|i| {
            reader.set_index(i)?;
            reader.next().unwrap_or_else(|| {
                Err(arrow::error::ArrowError::IpcError(format!(
                    "batch {i} is missing"
                )))
            })
        });
        feed_all(path, mine, map, ctx, 1, stop)
    })?;
    Ok(read.map(FastRead::of))
}

/// The file's columns checked for what a dossier file needs, with the row reader's error.
fn check_columns(path: &Path, schema: &arrow::datatypes::Schema, map: &ColumnMap) -> Result<()> {
    crate::read::arrow_batches::check_schema(schema, map, RecordKind::Dossier)
        .map_err(|m| IoError::format(path, m))
}

/// The file's schema with the unit and procedure code columns as dictionaries of their text,
/// when they are text.
pub(super) fn dictionary_hint(
    schema: &arrow::datatypes::SchemaRef,
    map: &ColumnMap,
) -> Option<arrow::datatypes::SchemaRef> {
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    let res = map.resolve(RecordKind::Dossier, &names);
    let mut changed = false;
    let fields: Vec<arrow::datatypes::FieldRef> = schema
        .fields()
        .iter()
        .zip(&res.columns)
        .map(|(f, spec)| {
            let code = spec.is_some_and(|s| matches!(s.name, "unit_code" | "procedure_code"));
            match f.data_type() {
                DataType::Utf8 | DataType::LargeUtf8 if code => {
                    changed = true;
                    let dict = DataType::Dictionary(
                        Box::new(DataType::Int32),
                        Box::new(f.data_type().clone()),
                    );
                    std::sync::Arc::new(f.as_ref().clone().with_data_type(dict))
                }
                _ => f.clone(),
            }
        })
        .collect();
    changed.then(|| {
        std::sync::Arc::new(arrow::datatypes::Schema::new_with_metadata(
            fields,
            schema.metadata().clone(),
        ))
    })
}

pub(super) fn tally_parquet(
    path: &Path,
    map: &ColumnMap,
    ctx: &TallyContext<'_>,
    threads: usize,
) -> Result<std::result::Result<FastRead, NotFast>> {
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let bad = |e: parquet::errors::ParquetError| {
        IoError::format(path, format!("not a readable Parquet file: {e}"))
    };
    let file = || std::fs::File::open(path).map_err(|e| IoError::file(path, e));
    let unreadable = |m: String| IoError::format(path, format!("not a readable Parquet file: {m}"));
    let f = file()?;
    let plain = crate::read::decoder::open(|| ParquetRecordBatchReaderBuilder::try_new(f))
        .map_err(unreadable)?;
    // Unit and procedure codes are read as dictionaries where the file stores them so (as
    // writers do for repetitive text): each distinct code is then interned once per batch.
    let open_with = |hint: &Option<arrow::datatypes::SchemaRef>| {
        let options = parquet::arrow::arrow_reader::ArrowReaderOptions::new();
        let options = match hint {
            Some(schema) => options.with_schema(schema.clone()),
            None => options,
        };
        let f = file()?;
        crate::read::decoder::open(|| {
            ParquetRecordBatchReaderBuilder::try_new_with_options(f, options)
        })
        .map_err(unreadable)
    };
    check_columns(path, plain.schema(), map)?;
    let mut hint = dictionary_hint(plain.schema(), map);
    let builder = match hint.as_ref().map(|_| open_with(&hint)) {
        Some(Ok(b)) => b,
        _ => {
            hint = None;
            plain
        }
    };
    let open = || open_with(&hint);
    // Decode only what scoring reads (and any column that would send the file down the
    // ordinary path): typed submission and sync times stay on disk.
    let keep = projection(builder.schema(), map);
    let mask = parquet::arrow::ProjectionMask::roots(builder.parquet_schema(), keep);
    let groups = builder.metadata().num_row_groups();
    let workers = threads.clamp(1, groups.max(1));
    if workers <= 1 {
        let reader = builder
            .with_projection(mask)
            .with_batch_size(65_536)
            .build()
            .map_err(bad)?;
        let stop = AtomicBool::new(false);
        return Ok(feed_all(path, reader, map, ctx, threads, &stop)?.map(FastRead::one));
    }
    drop(builder);
    let read = in_parallel(path, workers, |k, stop| {
        let share: Vec<usize> = (k..groups).step_by(workers).collect();
        let reader = open()?
            .with_row_groups(share)
            .with_projection(mask.clone())
            .with_batch_size(65_536)
            .build()
            .map_err(bad)?;
        feed_all(path, reader, map, ctx, 1, stop)
    })?;
    Ok(read.map(FastRead::of))
}
