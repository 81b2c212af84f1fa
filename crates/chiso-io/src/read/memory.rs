//! The columnar fast path ([`crate::read::fast::FastTally`]) for dossiers held in memory, as the Python
//! API holds them: Arrow record batches handed over by pyarrow, polars or pandas, and Arrow IPC /
//! Parquet files read by `chiso.read` ([`DossierFile`], the file's bytes, decoded on demand).
//!
//! [`BatchTally`] feeds the batches to `FastTally` in slices and keeps every dossier's unit code
//! in order of first appearance (the row path's unit tree includes units whose dossiers are all
//! excluded), so that its results are always those of the row path, which the caller takes
//! whenever it steps aside.

use crate::error::{IoError, Result};
use crate::read::arrow_batches::{check_schema, BatchSink};
use crate::read::cell::Build;
use crate::read::columns::{ColumnMap, RecordKind};
use crate::read::decoder::{guard, Guarded};
use crate::read::fast::{in_parallel, FastRead, FastTally, NotFast, STOPPED};
use crate::read::records::Records;
use crate::read::rows::InputFormat;
use arrow::array::{Array, ArrayRef, AsArray};
use arrow::datatypes::{DataType, SchemaRef};
use arrow::record_batch::RecordBatch;
use chiso::tally::{Accounting, Tally, TallyContext};
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

/// Rows handed to `FastTally::add` at a time (a slice of a batch: no copy).
const SLICE: usize = 65_536;

/// A fast tally of every batch: the tally, the accounting of every row, the number of rows, and
/// the dossiers' unit codes in order of first appearance.
pub struct FastRun {
    /// The counters.
    pub tally: Tally,
    /// What happened to every row.
    pub accounting: Accounting,
    /// Rows read.
    pub rows: usize,
    /// Unit codes of the dossiers, in order of first appearance.
    pub unit_codes: Vec<String>,
}

/// Batches tallied by the fast path, one at a time.
pub struct BatchTally<'a> {
    fast: FastTally,
    map: &'a ColumnMap,
    ctx: &'a TallyContext<'a>,
    threads: usize,
    seen: HashSet<String>,
    unit_codes: Vec<String>,
}

impl<'a> BatchTally<'a> {
    /// A tally of no batches yet, on `threads` threads.
    pub fn new(map: &'a ColumnMap, ctx: &'a TallyContext<'a>, threads: usize) -> Self {
        Self {
            fast: FastTally::default(),
            map,
            ctx,
            threads: threads.max(1),
            seen: HashSet::new(),
            unit_codes: Vec::new(),
        }
    }

    /// [`BatchTally::new`] for a worker whose first row is row `first_row` of the input.
    fn from_row(
        map: &'a ColumnMap,
        ctx: &'a TallyContext<'a>,
        threads: usize,
        first_row: usize,
    ) -> Self {
        Self {
            fast: FastTally::from_row(first_row),
            ..Self::new(map, ctx, threads)
        }
    }

    /// Tallies a whole table held in memory (its batches), or says why the row path is needed.
    /// Like the CSV fast path splitting a file into blocks, `threads` workers read consecutive
    /// shares of the rows side by side, each into its own tally (parsing text cells is most of
    /// the work, and one worker would leave the other core idle), finished in row order: the
    /// unit order, the rows named in reasons and the result are those of a single reader. With
    /// a verdict sink (verdicts come in row order) or a small table, one worker reads it all.
    pub fn tally_all(
        batches: &[RecordBatch],
        map: &'a ColumnMap,
        ctx: &'a TallyContext<'a>,
        threads: usize,
    ) -> std::result::Result<FastRun, NotFast> {
        let total: usize = batches.iter().map(RecordBatch::num_rows).sum();
        let workers = threads.clamp(1, (total / SLICE).max(1));
        if workers == 1 || ctx.verdicts.is_some() {
            let mut t = Self::new(map, ctx, threads);
            batches.iter().try_for_each(|b| t.add(b))?;
            return t.finish(&ctx.period);
        }
        let read = in_parallel(Path::new("<dossiers>"), workers, |k, stop| {
            let (from, to) = (k * total / workers, (k + 1) * total / workers);
            let mut t = Self::from_row(map, ctx, 1, from);
            let mut at = 0;
            for b in batches {
                let (lo, hi) = (at, at + b.num_rows());
                at = hi;
                let (start, end) = (from.max(lo), to.min(hi));
                if start >= end {
                    continue;
                }
                if stop.load(Ordering::Relaxed) {
                    return Ok(Err(NotFast(STOPPED.into())));
                }
                if let Err(why) = t.add(&b.slice(start - lo, end - start)) {
                    stop.store(true, Ordering::Relaxed);
                    return Ok(Err(why));
                }
            }
            Ok(Ok(t))
        });
        match read {
            Ok(Ok(parts)) => Self::finish_all(parts, &ctx.period),
            Ok(Err(why)) => Err(why),
            Err(e) => Err(NotFast(e.to_string())),
        }
    }

    /// Tallies one batch, or says why the row path is needed.
    pub fn add(&mut self, batch: &RecordBatch) -> std::result::Result<(), NotFast> {
        let headers: Vec<&str> = batch
            .schema_ref()
            .fields()
            .iter()
            .map(|f| f.name().as_str())
            .collect();
        let res = self.map.resolve(RecordKind::Dossier, &headers);
        let field = |i: usize| res.columns.get(i).copied().flatten();
        let unit = (0..headers.len()).find(|&i| field(i).is_some_and(|s| s.name == "unit_code"));
        let mut at = 0;
        while at < batch.num_rows() {
            let slice = batch.slice(at, SLICE.min(batch.num_rows() - at));
            self.fast.add(&slice, self.map, self.ctx, self.threads)?;
            match unit {
                Some(i) => self.collect_units(slice.column(i))?,
                None => self.note_unit(""),
            }
            at += SLICE;
        }
        Ok(())
    }

    /// Unit codes as the row path reads them (whitespace removed), in order of first appearance.
    fn collect_units(&mut self, a: &ArrayRef) -> std::result::Result<(), NotFast> {
        let text = match a.data_type() {
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => a.clone(),
            _ => arrow::compute::cast(a, &DataType::Utf8)
                .map_err(|e| NotFast(format!("unit codes: {e}")))?,
        };
        match text.data_type() {
            DataType::Utf8 => self.note_units(text.as_string::<i32>().iter()),
            DataType::LargeUtf8 => self.note_units(text.as_string::<i64>().iter()),
            DataType::Utf8View => self.note_units(text.as_string_view().iter()),
            other => return Err(NotFast(format!("unit codes of type {other}"))),
        }
        Ok(())
    }

    fn note_units<'s>(&mut self, codes: impl Iterator<Item = Option<&'s str>>) {
        // Runs of one code are common (exports sorted by unit): look each run up once.
        let mut last: Option<&str> = None;
        for s in codes {
            let s = s.unwrap_or("");
            if last != Some(s) {
                last = Some(s);
                self.note_unit(s);
            }
        }
    }

    fn note_unit(&mut self, raw: &str) {
        if self.seen.contains(raw) {
            return;
        }
        self.seen.insert(raw.to_string());
        let code: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if !self.unit_codes.contains(&code) {
            self.unit_codes.push(code);
        }
    }

    /// The tally, or why the row path is needed after all (duplicate ids).
    pub fn finish(self, period: &chiso::Period) -> std::result::Result<FastRun, NotFast> {
        Self::finish_all(vec![self], period)
    }

    /// The tallies of workers that read consecutive parts of one file, in file order, finished
    /// together (unit codes in order of first appearance across the parts; duplicate ids found
    /// across them too).
    pub fn finish_all(
        parts: Vec<Self>,
        period: &chiso::Period,
    ) -> std::result::Result<FastRun, NotFast> {
        let mut unit_codes: Vec<String> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        let mut fast = Vec::with_capacity(parts.len());
        for p in parts {
            for code in p.unit_codes {
                if seen.insert(code.clone()) {
                    unit_codes.push(code);
                }
            }
            fast.push(p.fast);
        }
        let (tally, accounting, rows) = FastRead::of(fast).finish(period)?;
        Ok(FastRun {
            tally,
            accounting,
            rows,
            unit_codes,
        })
    }
}

/// The stored bytes of a Parquet file: a reader of the chosen columns and row groups (all when
/// `None`).
type ParquetOpen = dyn Fn(
        Option<Vec<usize>>,
        Option<Vec<usize>>,
    ) -> std::result::Result<ParquetRecordBatchReader, parquet::errors::ParquetError>
    + Send
    + Sync;

enum Data {
    /// The opener and the number of row groups.
    Parquet(Box<ParquetOpen>, usize),
    Ipc {
        bytes: Vec<u8>,
        file: bool,
    },
}

/// An Arrow IPC or Parquet dossier file held in memory as it is on disk (a snapshot taken by
/// [`DossierFile::read`]): decoded batch by batch when tallied, or into records on demand.
pub struct DossierFile {
    path: PathBuf,
    schema: SchemaRef,
    rows: Option<usize>,
    size: usize,
    data: Data,
}

/// Checks the header of a Parquet or Arrow IPC dossier file without reading its data (the
/// Parquet footer's or the IPC schema message): what `chiso.read` does before it keeps only the
/// path, so a file without the required columns fails at once. Other formats pass.
pub fn check_file_header(path: &Path, map: &ColumnMap) -> Result<()> {
    let open = || std::fs::File::open(path).map_err(|e| IoError::file(path, e));
    let schema = match InputFormat::from_path(path)? {
        InputFormat::Parquet => {
            let file = open()?;
            crate::read::decoder::call(|| {
                ParquetRecordBatchReaderBuilder::try_new(file)
                    .map(|b| b.schema().clone())
                    .map_err(|e| format!("not readable Parquet: {e}"))
            })
            .and_then(|r| r)
        }
        InputFormat::Arrow => {
            crate::read::decoder::check_ipc_file(path).map_err(|m| IoError::format(path, m))?;
            let mut magic = [0u8; 6];
            let is_file =
                std::io::Read::read_exact(&mut open()?, &mut magic).is_ok() && &magic == b"ARROW1";
            let file = open()?;
            crate::read::decoder::call(|| {
                let bad = |e: arrow::error::ArrowError| format!("not readable Arrow IPC: {e}");
                if is_file {
                    arrow::ipc::reader::FileReader::try_new(file, None)
                        .map(|r| r.schema())
                        .map_err(bad)
                } else {
                    arrow::ipc::reader::StreamReader::try_new(std::io::BufReader::new(file), None)
                        .map(|r| r.schema())
                        .map_err(bad)
                }
            })
            .and_then(|r| r)
        }
        _ => return Ok(()),
    }
    .map_err(|m| IoError::format(path, m))?;
    check_schema(&schema, map, RecordKind::Dossier).map_err(|m| IoError::format(path, m))
}

impl DossierFile {
    /// Reads an Arrow IPC or Parquet dossier file into memory and checks its columns (the errors
    /// of `rows::read_records`); `Ok(None)` for other formats.
    pub fn read(path: &Path, map: &ColumnMap) -> Result<Option<Self>> {
        let format = InputFormat::from_path(path)?;
        if !matches!(format, InputFormat::Parquet | InputFormat::Arrow) {
            return Ok(None);
        }
        let file = std::fs::File::open(path).map_err(|e| IoError::file(path, e))?;
        let meta = file.metadata().map_err(|e| IoError::file(path, e))?;
        if meta.is_dir() {
            return Err(IoError::file(
                path,
                std::io::Error::other("is a directory, not a file"),
            ));
        }
        let schema_error = |m: String| IoError::format(path, m);
        let (schema, rows, size, data) = if format == InputFormat::Parquet {
            use parquet::file::reader::ChunkReader;
            let bad = |e: parquet::errors::ParquetError| {
                IoError::format(path, format!("not readable Parquet: {e}"))
            };
            let len = usize::try_from(meta.len())
                .map_err(|_| IoError::format(path, "too large to hold in memory"))?;
            // Parquet hands the file back as its own byte buffer; it is kept inside the closure.
            let bytes = file.get_bytes(0, len).map_err(bad)?;
            let first = bytes.clone();
            let builder =
                crate::read::decoder::open(|| ParquetRecordBatchReaderBuilder::try_new(first))
                    .map_err(|m| IoError::format(path, format!("not readable Parquet: {m}")))?;
            check_schema(builder.schema(), map, RecordKind::Dossier).map_err(schema_error)?;
            let schema = builder.schema().clone();
            let rows = usize::try_from(builder.metadata().file_metadata().num_rows()).ok();
            let groups = builder.metadata().num_row_groups();
            let open: Box<ParquetOpen> = Box::new(
                move |columns: Option<Vec<usize>>, row_groups: Option<Vec<usize>>| {
                    let builder = guard(
                        || ParquetRecordBatchReaderBuilder::try_new(bytes.clone()),
                        parquet::errors::ParquetError::General,
                    )?;
                    let builder = match columns {
                        Some(keep) => {
                            let mask = parquet::arrow::ProjectionMask::roots(
                                builder.parquet_schema(),
                                keep,
                            );
                            builder.with_projection(mask)
                        }
                        None => builder,
                    };
                    let builder = match row_groups {
                        Some(groups) => builder.with_row_groups(groups),
                        None => builder,
                    };
                    builder.with_batch_size(SLICE).build()
                },
            );
            (schema, rows, len, Data::Parquet(open, groups))
        } else {
            drop(file);
            let bytes = std::fs::read(path).map_err(|e| IoError::file(path, e))?;
            let is_file = bytes.starts_with(b"ARROW1");
            let len = bytes.len();
            let data = Data::Ipc {
                bytes,
                file: is_file,
            };
            let schema = ipc_batches(&data, path, None)?.0;
            check_schema(&schema, map, RecordKind::Dossier).map_err(schema_error)?;
            (schema, None, len, data)
        };
        Ok(Some(Self {
            path: path.to_path_buf(),
            schema,
            rows,
            size,
            data,
        }))
    }

    /// The file's path as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Rows in the file, when its metadata says (Parquet).
    pub fn num_rows(&self) -> Option<usize> {
        self.rows
    }

    /// Bytes held.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Decodes the batches of the chosen columns (all when `None`), calling `f` on each until it
    /// returns `false`.
    fn each_batch(
        &self,
        columns: Option<Vec<usize>>,
        f: &mut dyn FnMut(RecordBatch) -> bool,
    ) -> Result<()> {
        let path = self.path.as_path();
        match &self.data {
            Data::Parquet(open, _) => {
                let bad = |e: String| IoError::format(path, format!("not readable Parquet: {e}"));
                let reader = crate::read::decoder::open(|| open(columns, None)).map_err(bad)?;
                for b in Guarded::new(reader) {
                    if !f(b.map_err(|e| bad(e.to_string()))?) {
                        break;
                    }
                }
            }
            Data::Ipc { .. } => {
                let (_, batches) = ipc_batches(&self.data, path, columns)?;
                for b in batches {
                    if !f(b?) {
                        break;
                    }
                }
            }
        }
        Ok(())
    }

    /// The fast tally of the file (only the columns it needs are decoded).
    pub fn tally(
        &self,
        map: &ColumnMap,
        ctx: &TallyContext<'_>,
        threads: usize,
    ) -> Result<std::result::Result<FastRun, NotFast>> {
        let keep = crate::read::fast::projection(&self.schema, map);
        if let Data::Parquet(open, groups) = &self.data {
            if threads > 1 && *groups > 1 {
                return self.tally_parquet_parts(open, *groups, keep, map, ctx, threads);
            }
        }
        let mut tally = BatchTally::new(map, ctx, threads);
        let mut why = None;
        self.each_batch(Some(keep), &mut |b| match tally.add(&b) {
            Ok(()) => true,
            Err(e) => {
                why = Some(e);
                false
            }
        })?;
        Ok(match why {
            Some(e) => Err(e),
            None => tally.finish(&ctx.period),
        })
    }

    /// The fast tally of a Parquet file read by several workers side by side, each decoding a
    /// consecutive run of row groups into its own tally.
    fn tally_parquet_parts(
        &self,
        open: &ParquetOpen,
        groups: usize,
        keep: Vec<usize>,
        map: &ColumnMap,
        ctx: &TallyContext<'_>,
        threads: usize,
    ) -> Result<std::result::Result<FastRun, NotFast>> {
        let path = self.path.as_path();
        let workers = threads.min(groups);
        let parts = crate::read::fast::in_parallel(path, workers, |k, stop| {
            let share: Vec<usize> = (k * groups / workers..(k + 1) * groups / workers).collect();
            let reader = crate::read::decoder::open(|| open(Some(keep.clone()), Some(share)))
                .map_err(|e| IoError::format(path, format!("not readable Parquet: {e}")))?;
            let batches = reader.map(|b| b.map_err(|e| format!("not readable Parquet: {e}")));
            let mut tally = BatchTally::new(map, ctx, 1);
            Ok(crate::read::fast::feed(path, batches, stop, |b| tally.add(b))?.map(|()| tally))
        })?;
        Ok(parts.and_then(|parts| BatchTally::finish_all(parts, &ctx.period)))
    }

    /// The records of the file, exactly as `rows::read_records` reads it.
    pub fn records<B: Build>(&self, map: &ColumnMap) -> Result<Records<B>> {
        let mut sink = BatchSink::<B>::new(B::KIND, &self.path.display().to_string());
        self.each_batch(None, &mut |b| {
            sink.push(&b, map);
            true
        })?;
        Ok(sink.finish())
    }
}

type IpcBatches<'a> = Box<dyn Iterator<Item = Result<RecordBatch>> + 'a>;

/// The schema and the batches of an Arrow IPC file or stream held in memory.
fn ipc_batches<'a>(
    data: &'a Data,
    path: &'a Path,
    columns: Option<Vec<usize>>,
) -> Result<(SchemaRef, IpcBatches<'a>)> {
    let Data::Ipc { bytes, file } = data else {
        return Err(IoError::format(path, "not an Arrow IPC file"));
    };
    let bad = move |e: arrow::error::ArrowError| {
        IoError::format(path, format!("not readable Arrow IPC: {e}"))
    };
    crate::read::decoder::check_ipc_bytes(bytes).map_err(|m| IoError::format(path, m))?;
    let cursor = std::io::Cursor::new(bytes.as_slice());
    Ok(if *file {
        let reader =
            crate::read::decoder::open(|| arrow::ipc::reader::FileReader::try_new(cursor, columns))
                .map_err(|m| IoError::format(path, format!("not readable Arrow IPC: {m}")))?;
        (
            reader.schema(),
            Box::new(Guarded::new(reader).map(move |b| b.map_err(bad))),
        )
    } else {
        let reader = crate::read::decoder::open(|| {
            arrow::ipc::reader::StreamReader::try_new(cursor, columns)
        })
        .map_err(|m| IoError::format(path, format!("not readable Arrow IPC: {m}")))?;
        (
            reader.schema(),
            Box::new(Guarded::new(reader).map(move |b| b.map_err(bad))),
        )
    })
}
