//! The fast path for Arrow IPC and Parquet dossier files: record batches are read one at a time,
//! turned into columns with interned codes and tallied by the core's columnar path — no record
//! object per row, memory bounded by one batch plus the tally. It covers the plain typed shape
//! (strings, integers, booleans, timestamps, supplements as JSON text) that chiso writes and that
//! dataframes export; anything else (nested portal lists, text dates, bad cells, duplicate ids
//! that need "latest sync wins") makes it step aside, and the caller reads the file the ordinary
//! way, so results are always those of the row path.

use crate::columns::{ColumnMap, RecordKind};
use crate::convert::{waits, Cell};
use crate::error::{IoError, Result};
use crate::intern::{hash_bytes, Codes};
use arrow::array::{Array, ArrayRef, AsArray};
use arrow::datatypes::{
    DataType, Int16Type, Int32Type, Int64Type, Int8Type, TimeUnit, UInt16Type, UInt32Type,
    UInt64Type, UInt8Type,
};
use arrow::record_batch::RecordBatch;
use chiso::columnar::{flag, ColumnarTally, DossierColumns, NO_TIME};
use chiso::tally::{Accounting, Tally, TallyContext};
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// Why the fast path stepped aside (the caller then reads the file the ordinary way).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotFast(pub String);

fn not_fast<T>(why: impl Into<String>) -> std::result::Result<T, NotFast> {
    Err(NotFast(why.into()))
}

/// Strings of a column (Utf8, LargeUtf8, Utf8View or a dictionary of them), `None` for nulls.
fn strings(a: &ArrayRef) -> std::result::Result<Vec<Option<&str>>, NotFast> {
    let n = a.len();
    Ok(match a.data_type() {
        DataType::Utf8 => {
            let s = a.as_string::<i32>();
            (0..n).map(|i| s.is_valid(i).then(|| s.value(i))).collect()
        }
        DataType::LargeUtf8 => {
            let s = a.as_string::<i64>();
            (0..n).map(|i| s.is_valid(i).then(|| s.value(i))).collect()
        }
        DataType::Utf8View => {
            let s = a.as_string_view();
            (0..n).map(|i| s.is_valid(i).then(|| s.value(i))).collect()
        }
        DataType::Null => vec![None; n],
        DataType::Dictionary(k, v) if matches!(**v, DataType::Utf8 | DataType::LargeUtf8) => {
            let values = strings(a.as_any_dictionary().values())?;
            macro_rules! dict {
                ($t:ty) => {{
                    let d = a.as_dictionary::<$t>();
                    d.keys()
                        .iter()
                        .map(|k| k.and_then(|k| values.get(k as usize).copied().flatten()))
                        .collect()
                }};
            }
            match **k {
                DataType::Int8 => dict!(Int8Type),
                DataType::Int16 => dict!(Int16Type),
                DataType::Int32 => dict!(Int32Type),
                DataType::Int64 => dict!(Int64Type),
                _ => return not_fast("dictionary key type"),
            }
        }
        other => return not_fast(format!("text column of type {other}")),
    })
}

/// Interned codes of a text column (nulls are the empty code). A dictionary column is
/// interned once per dictionary value, not once per row.
fn code_ids(c: &mut Codes, a: &ArrayRef) -> std::result::Result<Vec<u32>, NotFast> {
    if let DataType::Dictionary(k, _) = a.data_type() {
        if matches!(**k, DataType::Int32) {
            let d = a.as_dictionary::<Int32Type>();
            let values: Vec<u32> = strings(d.values())?
                .into_iter()
                .map(|s| c.id_raw(s.unwrap_or("")))
                .collect();
            let empty = c.id_raw("");
            return d
                .keys()
                .iter()
                .map(|k| match k {
                    None => Ok(empty),
                    Some(k) => usize::try_from(k)
                        .ok()
                        .and_then(|k| values.get(k).copied())
                        .ok_or_else(|| NotFast("a dictionary key out of range".into())),
                })
                .collect();
        }
    }
    Ok(strings(a)?
        .into_iter()
        .map(|s| c.id_raw(s.unwrap_or("")))
        .collect())
}

/// Small non-negative integers (codes), `None` for nulls.
fn small_ints(a: &ArrayRef) -> std::result::Result<Vec<Option<i64>>, NotFast> {
    macro_rules! prim {
        ($t:ty) => {
            a.as_primitive::<$t>()
                .iter()
                .map(|v| v.map(|x| x as i64))
                .collect()
        };
    }
    Ok(match a.data_type() {
        DataType::Int8 => prim!(Int8Type),
        DataType::Int16 => prim!(Int16Type),
        DataType::Int32 => prim!(Int32Type),
        DataType::Int64 => prim!(Int64Type),
        DataType::UInt8 => prim!(UInt8Type),
        DataType::UInt16 => prim!(UInt16Type),
        DataType::UInt32 => prim!(UInt32Type),
        DataType::UInt64 => prim!(UInt64Type),
        DataType::Null => vec![None; a.len()],
        other => return not_fast(format!("code column of type {other}")),
    })
}

fn numbers(a: &ArrayRef) -> std::result::Result<Vec<Option<f64>>, NotFast> {
    Ok(match a.data_type() {
        DataType::Float64 => a
            .as_primitive::<arrow::datatypes::Float64Type>()
            .iter()
            .collect(),
        DataType::Float32 => a
            .as_primitive::<arrow::datatypes::Float32Type>()
            .iter()
            .map(|v| v.map(f64::from))
            .collect(),
        _ => small_ints(a)?
            .into_iter()
            .map(|v| v.map(|x| x as f64))
            .collect(),
    })
}

fn booleans(a: &ArrayRef) -> std::result::Result<Vec<bool>, NotFast> {
    Ok(match a.data_type() {
        DataType::Boolean => a.as_boolean().iter().map(|v| v.unwrap_or(false)).collect(),
        DataType::Null => vec![false; a.len()],
        other => return not_fast(format!("flag column of type {other}")),
    })
}

/// Milliseconds since the epoch in Vietnam local time; zoned timestamps are instants (+7 h).
fn times(a: &ArrayRef) -> std::result::Result<Vec<i64>, NotFast> {
    let DataType::Timestamp(unit, tz) = a.data_type() else {
        return match a.data_type() {
            DataType::Null => Ok(vec![NO_TIME; a.len()]),
            other => not_fast(format!("time column of type {other}")),
        };
    };
    let shift = if tz.is_some() { 7 * 3_600_000 } else { 0 };
    let (mul, div) = match unit {
        TimeUnit::Second => (1000, 1),
        TimeUnit::Millisecond => (1, 1),
        TimeUnit::Microsecond => (1, 1000),
        TimeUnit::Nanosecond => (1, 1_000_000),
    };
    macro_rules! ts {
        ($t:ty) => {
            a.as_primitive::<$t>()
                .iter()
                .map(|v| v.map_or(NO_TIME, |x| x.div_euclid(div) * mul + shift))
                .collect()
        };
    }
    Ok(match unit {
        TimeUnit::Second => ts!(arrow::datatypes::TimestampSecondType),
        TimeUnit::Millisecond => ts!(arrow::datatypes::TimestampMillisecondType),
        TimeUnit::Microsecond => ts!(arrow::datatypes::TimestampMicrosecondType),
        TimeUnit::Nanosecond => ts!(arrow::datatypes::TimestampNanosecondType),
    })
}

/// Fields the fast path reads; any other resolved column with a value sends the file down the
/// ordinary path.
const FAST_FIELDS: &[&str] = &[
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

/// Fast fields scoring does not read. The row path still converts them and rejects a row with
/// a bad cell, so where such a cell can be bad (a process log; times held as text) the fast path
/// reads them the row path's way to make sure none is ([`check_unread`]).
const UNREAD: &[&str] = &["steps", "submitted_at", "synced_at"];

/// Whether a column the fast path does not read can hold a cell the row path would reject:
/// typed times cannot, nor an all-empty column.
fn needs_check(name: &str, data_type: &DataType) -> bool {
    match name {
        "steps" => !matches!(data_type, DataType::Null),
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
fn check_unread(
    batch: &RecordBatch,
    res: &crate::columns::Resolution,
    map: &ColumnMap,
) -> std::result::Result<(), NotFast> {
    let mut keep = Vec::new();
    let mut checked = false;
    for (i, spec) in res.columns.iter().enumerate() {
        let Some(spec) = spec else { continue };
        let a = batch.column(i);
        if spec.required {
            keep.push(i);
        } else if UNREAD.contains(&spec.name)
            && a.null_count() < a.len()
            && needs_check(spec.name, a.data_type())
        {
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
    let r = crate::arrow_input::dossiers_from_batches(&[sub], map, "");
    match r.rejects.first() {
        None => Ok(()),
        Some(bad) => not_fast(format!(
            "a cell the row path rejects ({}: {})",
            bad.column.as_deref().unwrap_or("?"),
            bad.message
        )),
    }
}

/// The running state of a fast read.
pub struct FastTally {
    units: Codes,
    procedures: Codes,
    /// 64-bit hashes of the dossier ids seen, sorted at the end to spot duplicates (append-only
    /// while reading: cheaper than a hash set; a collision only sends the file down the ordinary
    /// path).
    ids: Vec<u64>,
    tally: ColumnarTally,
    rows: usize,
}

impl Default for FastTally {
    fn default() -> Self {
        Self {
            units: Codes::default(),
            procedures: Codes::default(),
            ids: Vec::new(),
            tally: ColumnarTally::new(),
            rows: 0,
        }
    }
}

impl FastTally {
    /// Tallies one batch, or says why it cannot.
    pub fn add(
        &mut self,
        batch: &RecordBatch,
        map: &ColumnMap,
        ctx: &TallyContext<'_>,
        threads: usize,
    ) -> std::result::Result<(), NotFast> {
        let headers: Vec<&str> = batch
            .schema_ref()
            .fields()
            .iter()
            .map(|f| f.name().as_str())
            .collect();
        let res = map.resolve(RecordKind::Dossier, &headers);
        if res.check().is_err() || !res.duplicates.is_empty() {
            return not_fast("columns");
        }
        let mut col: HashMap<&'static str, &ArrayRef> = HashMap::new();
        for (i, spec) in res.columns.iter().enumerate() {
            let Some(spec) = spec else { continue };
            let a = batch.column(i);
            if !FAST_FIELDS.contains(&spec.name) {
                if a.null_count() < a.len() {
                    return not_fast(format!("column {} needs the ordinary reader", spec.name));
                }
                continue;
            }
            col.insert(spec.name, a);
        }
        check_unread(batch, &res, map)?;
        let n = batch.num_rows();
        let get = |name: &str| col.get(name).copied();
        let ids = strings(get("dossier_id").ok_or_else(|| NotFast("no dossier_id".into()))?)?;
        for id in &ids {
            let id = id
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .ok_or_else(|| NotFast("a row without a dossier id".into()))?;
            self.ids.push(hash_bytes(id.as_bytes()));
        }
        let codes =
            |c: &mut Codes, a: Option<&ArrayRef>| -> std::result::Result<Vec<u32>, NotFast> {
                Ok(match a {
                    Some(a) => code_ids(c, a)?,
                    None => vec![c.id_raw(""); n],
                })
            };
        let unit = codes(&mut self.units, get("unit_code"))?;
        let procedure = codes(&mut self.procedures, get("procedure_code"))?;
        let code_col = |name: &str,
                        lo: i64,
                        hi: i64,
                        null_ok: bool|
         -> std::result::Result<Vec<u8>, NotFast> {
            match get(name) {
                None => Ok(Vec::new()),
                Some(a) => small_ints(a)?
                    .into_iter()
                    .map(|v| match v {
                        None if null_ok => Ok(0),
                        Some(x) if (lo..=hi).contains(&x) => Ok(x as u8),
                        _ => not_fast(format!("{name} value outside {lo}..{hi}")),
                    })
                    .collect(),
            }
        };
        let status = code_col("status", 1, 10, true)?;
        let channel = code_col("channel", 0, 3, true)?;
        let paid_online = code_col("paid_online", 0, 2, true)?;
        let time_col = |name: &str| -> std::result::Result<Vec<i64>, NotFast> {
            get(name).map_or(Ok(Vec::new()), times)
        };
        let received = get("received_at").map_or(Ok(vec![NO_TIME; n]), times)?;
        let (due, rescheduled_due, finished, returned) = (
            time_col("due_at")?,
            time_col("rescheduled_due_at")?,
            time_col("finished_at")?,
            time_col("returned_at")?,
        );
        let fee_total: Vec<f64> = match get("fee_total") {
            None => Vec::new(),
            Some(a) => numbers(a)?
                .into_iter()
                .map(|v| match v.unwrap_or(0.0) {
                    x if x >= 0.0 && x.is_finite() => Ok(x),
                    _ => not_fast("a negative or invalid fee"),
                })
                .collect::<std::result::Result<_, _>>()?,
        };
        let mut flags = vec![0u8; n];
        for (name, bit) in [
            ("e_result", flag::E_RESULT),
            ("digitised", flag::DIGITISED),
            ("reused_data", flag::REUSED_DATA),
            ("personal_store", flag::PERSONAL_STORE),
            ("population_data", flag::POPULATION_DATA),
            ("unsatisfied", flag::UNSATISFIED),
            ("has_petition", flag::HAS_PETITION),
            ("not_synced", flag::NOT_SYNCED),
        ] {
            if let Some(a) = get(name) {
                for (f, b) in flags.iter_mut().zip(booleans(a)?) {
                    if b {
                        *f |= bit;
                    }
                }
            }
        }
        if ctx.options.fee_wait_stops_clock
            && get("fee_waits").is_some_and(|a| a.null_count() < a.len())
        {
            return not_fast("fee waits with fee_wait_stops_clock");
        }
        let (mut offsets, mut requested, mut completed) = (Vec::new(), Vec::new(), Vec::new());
        if let Some(a) = get("supplements").filter(|a| a.null_count() < a.len()) {
            offsets.push(0u32);
            for s in strings(a)? {
                if let Some(s) = s.filter(|s| !s.trim().is_empty()) {
                    // The shape chiso writes is read directly; anything else the ordinary way.
                    if crate::plain::plain_waits(s.as_bytes(), &mut requested, &mut completed) {
                        offsets.push(requested.len() as u32);
                        continue;
                    }
                    let ws =
                        waits(&Cell::Str(s)).map_err(|e| NotFast(format!("supplements: {e}")))?;
                    for w in ws {
                        requested.push(chiso::columnar::millis_of(Some(w.requested_at)));
                        completed.push(chiso::columnar::millis_of(w.completed_at));
                    }
                }
                offsets.push(requested.len() as u32);
            }
        }
        let cols = DossierColumns {
            unit: &unit,
            procedure: &procedure,
            status: &status,
            channel: &channel,
            received: &received,
            due: &due,
            rescheduled_due: &rescheduled_due,
            finished: &finished,
            returned: &returned,
            fee_total: &fee_total,
            paid_online: &paid_online,
            flags: &flags,
            supplement_offsets: &offsets,
            supplement_requested: &requested,
            supplement_completed: &completed,
        };
        self.tally
            .add(&cols, &self.procedures.refs(), ctx, threads)
            .map_err(|e| NotFast(e.0))?;
        self.rows += n;
        Ok(())
    }

    /// The tally, the accounting of every row, and the number of rows read; or why the file
    /// needs the ordinary reader after all (duplicate ids: "latest sync wins").
    pub fn finish(
        self,
        period: &chiso::Period,
    ) -> std::result::Result<(Tally, Accounting, usize), NotFast> {
        FastRead {
            workers: vec![self],
        }
        .finish(period)
    }
}

/// Two sorted lists as one sorted list.
fn merge_sorted(a: &[u64], b: &[u64]) -> Vec<u64> {
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
    workers: Vec<FastTally>,
}

impl FastRead {
    /// The reads of several workers, finished together by [`FastRead::finish`].
    pub fn of(workers: Vec<FastTally>) -> Self {
        Self { workers }
    }

    fn one(worker: FastTally) -> Self {
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
const STOPPED: &str = "stopped: another reader stepped aside";

/// Feeds batches to `add` until they end, an error, or a reason to step aside: the worker's own
/// (which tells the other workers to `stop`) or another worker's.
pub(crate) fn feed<E: std::fmt::Display>(
    path: &Path,
    batches: impl Iterator<Item = std::result::Result<RecordBatch, E>>,
    stop: &AtomicBool,
    mut add: impl FnMut(&RecordBatch) -> std::result::Result<(), NotFast>,
) -> Result<std::result::Result<(), NotFast>> {
    for b in batches {
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
fn feed_all(
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

fn tally_ipc(
    path: &Path,
    map: &ColumnMap,
    ctx: &TallyContext<'_>,
    threads: usize,
) -> Result<std::result::Result<FastRead, NotFast>> {
    use arrow::ipc::reader::FileReader;
    let bad = |e: arrow::error::ArrowError| {
        IoError::format(path, format!("not a readable Arrow IPC file: {e}"))
    };
    let open =
        |columns: Option<Vec<usize>>| -> Result<FileReader<std::io::BufReader<std::fs::File>>> {
            let file = std::fs::File::open(path).map_err(|e| IoError::file(path, e))?;
            FileReader::try_new(std::io::BufReader::new(file), columns).map_err(bad)
        };
    let first = open(None)?;
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

/// The file's schema with the unit and procedure code columns as dictionaries of their text,
/// when they are text.
fn dictionary_hint(
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

fn tally_parquet(
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
    let plain = ParquetRecordBatchReaderBuilder::try_new(file()?).map_err(bad)?;
    // Unit and procedure codes are read as dictionaries where the file stores them so (as
    // writers do for repetitive text): each distinct code is then interned once per batch.
    let open_with = |hint: &Option<arrow::datatypes::SchemaRef>| {
        let options = parquet::arrow::arrow_reader::ArrowReaderOptions::new();
        let options = match hint {
            Some(schema) => options.with_schema(schema.clone()),
            None => options,
        };
        ParquetRecordBatchReaderBuilder::try_new_with_options(file()?, options).map_err(bad)
    };
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

/// Runs `work(k, stop)` for workers 0..`workers` on their own threads and gathers what they
/// read, in worker order; a worker that steps aside sets `stop` for the others, and its reason
/// (not their "stopped") is the one returned.
pub(crate) fn in_parallel<T: Send>(
    path: &Path,
    workers: usize,
    work: impl Fn(usize, &AtomicBool) -> Step<T> + Sync,
) -> Step<Vec<T>> {
    let stop = AtomicBool::new(false);
    let results: Vec<Step<T>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|k| {
                let (work, stop) = (&work, &stop);
                s.spawn(move || work(k, stop))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(IoError::format(path, "a reading thread failed".to_string()))
                })
            })
            .collect()
    });
    let (mut done, mut reasons) = (Vec::with_capacity(workers), Vec::new());
    for r in results {
        match r? {
            Ok(w) => done.push(w),
            Err(why) => reasons.push(why),
        }
    }
    Ok(match reasons.iter().position(|w| w.0 != STOPPED) {
        Some(i) => Err(reasons.swap_remove(i)),
        None => reasons.pop().map_or(Ok(done), Err),
    })
}
