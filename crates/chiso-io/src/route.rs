//! The one route from dossiers to a tally: which reader takes a dossier file (or Arrow data held
//! in memory), decided in one place for the CLI, the toolkit and Python.
//!
//! The columnar fast paths ([`crate::read::fast`]) go first; each steps aside when the file needs
//! the row reader (text it does not read the way the row reader does, bad cells, duplicate ids),
//! and then the rows are streamed through the core one chunk at a time, memory independent of the
//! file's size. Only a file whose ids repeat is read whole, since "latest sync wins" needs every
//! sync of an id. Whatever the path, the results are the row reader's.

use crate::error::Result;
use crate::read::columns::ColumnMap;
use crate::read::fast::{self, cells, csv_blocks, NotFast};
use crate::read::memory::{BatchTally, DossierFile};
use crate::read::records::{Records, Reject, Superseded};
use crate::read::rows;
use arrow::record_batch::RecordBatch;
use chiso::tally::{Accounting, Tally, TallyContext};
use chiso::Dossier;
use std::cell::RefCell;
use std::path::Path;

/// Where the dossiers are.
pub enum Source<'a> {
    /// A file on disk; the format is chosen by its extension.
    File(&'a Path),
    /// Arrow record batches held in memory (a pyarrow, polars or pandas table).
    Batches(&'a [RecordBatch]),
    /// An Arrow IPC or Parquet file held in memory (`chiso.read`).
    Memory(&'a DossierFile),
}

/// Which reader tallied the dossiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadPath {
    /// The columnar fast path: no record object per dossier.
    Columnar,
    /// Rows streamed through the core a chunk at a time.
    Rows,
    /// Every row read first (duplicate ids: the latest sync wins), then tallied.
    RowsWhole,
}

impl ReadPath {
    /// The name shown in accounting (`columnar` or `rows`).
    pub fn name(self) -> &'static str {
        match self {
            ReadPath::Columnar => "columnar",
            ReadPath::Rows | ReadPath::RowsWhole => "rows",
        }
    }
}

/// How the route may read.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    /// Worker threads for the fast paths.
    pub threads: usize,
    /// Skip the fast paths (to compare them with the row reader).
    pub rows_only: bool,
}

impl Settings {
    /// Every core; the row reader only when `CHISO_ROW_PATH=1` is set.
    pub fn from_env() -> Self {
        Self {
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            rows_only: std::env::var_os("CHISO_ROW_PATH").is_some_and(|v| v == "1"),
        }
    }
}

/// Dossiers tallied: the counters and the accounting of every row, the rejected and superseded
/// rows, the path taken and why a fast path stepped aside.
pub struct Tallied {
    /// The counters.
    pub tally: Tally,
    /// What happened to every row.
    pub accounting: Accounting,
    /// Rows that could not be read.
    pub rejects: Vec<Reject>,
    /// Duplicates replaced by a later sync.
    pub superseded: Vec<Superseded>,
    /// Which path read the file.
    pub path: ReadPath,
    /// Why the fast path was not taken, when it was tried.
    pub why_not_fast: Option<String>,
    /// Unit codes of the dossiers in order of first appearance, where the reader keeps it (the
    /// row reader's unit tree lists units in that order).
    pub unit_codes: Option<Vec<String>>,
    /// The records, when the path had to read them all (duplicate ids) or Arrow data in memory
    /// was converted; callers that drill down to dossiers keep them.
    pub records: Option<Records<Dossier>>,
    /// Things the caller should tell the user (e.g. a code column stored as numbers).
    pub warnings: Vec<String>,
}

impl Tallied {
    fn columnar(tally: Tally, accounting: Accounting) -> Self {
        Self {
            tally,
            accounting,
            rejects: Vec::new(),
            superseded: Vec::new(),
            path: ReadPath::Columnar,
            why_not_fast: None,
            unit_codes: None,
            records: None,
            warnings: Vec::new(),
        }
    }

    fn from_records(
        ctx: &TallyContext<'_>,
        records: Records<Dossier>,
        why: Option<String>,
    ) -> Self {
        restart_verdicts(ctx);
        let (tally, accounting) = Tally::build(ctx, &records.rows, &[]);
        unjudged_verdicts(ctx, &records.rejects, &records.superseded);
        let mut units = FirstUnits::default();
        for d in &records.rows {
            units.note(&d.unit_code);
        }
        Self {
            tally,
            accounting,
            rejects: records.rejects.clone(),
            superseded: records.superseded.clone(),
            path: ReadPath::RowsWhole,
            why_not_fast: why,
            unit_codes: Some(units.codes),
            records: Some(records),
            warnings: Vec::new(),
        }
    }
}

/// A fast reader stepped aside: the verdicts it sent are judged again by the next reader.
fn restart_verdicts(ctx: &TallyContext<'_>) {
    if let Some(sink) = ctx.verdicts {
        sink.restart();
    }
}

/// Rows counted nowhere, for the verdict export: rejected and superseded ones.
fn unjudged_verdicts(ctx: &TallyContext<'_>, rejects: &[Reject], superseded: &[Superseded]) {
    let Some(sink) = ctx.verdicts else { return };
    for r in rejects {
        let why = match &r.column {
            Some(c) => format!("row {}, column {c}: {}", r.row, r.message),
            None => format!("row {}: {}", r.row, r.message),
        };
        sink.unjudged("", "", "", "rejected", &why);
    }
    for s in superseded {
        let why = format!(
            "row {}: superseded by row {} (latest sync)",
            s.row, s.by_row
        );
        sink.unjudged(&s.id, "", "", "superseded", &why);
    }
}

/// Tallies the dossiers of `source` for the context's period and moment. `progress` is told the
/// rows read so far by the file readers.
///
/// # Examples
///
/// ```
/// use chiso::{Profile, TallyContext, WeekdaysOnly};
/// use chiso_io::read::columns::ColumnMap;
/// use chiso_io::route::{tally_dossiers, Settings, Source};
/// use chiso_io::sample::{generate, SampleSpec};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("dossiers.jsonl");
/// let sample = generate(&SampleSpec { dossiers: 300, ..SampleSpec::district(1) });
/// chiso_io::read::records::write_json_lines(&path, &sample.dossiers)?;
///
/// let profile = Profile::builtin("portal-2026")?;
/// let as_of = chiso::period::parse_moment("2026-11-20T16:00")?;
/// let ctx = TallyContext::new("2026".parse()?, as_of, profile.options, profile.limits,
///     &WeekdaysOnly, &sample.procedures);
/// let settings = Settings { threads: 1, rows_only: false };
/// let t = tally_dossiers(Source::File(&path), &ColumnMap::new(), &ctx, settings, &mut |_| {})?;
/// let read = t.accounting.scored + t.accounting.excluded_total() + t.rejects.len() as u64;
/// assert_eq!(read, 300);
/// // Then score: chiso::pipeline::run_tally(t.tally, t.accounting, …).
/// # Ok(()) }
/// ```
pub fn tally_dossiers(
    source: Source<'_>,
    map: &ColumnMap,
    ctx: &TallyContext<'_>,
    settings: Settings,
    progress: &mut dyn FnMut(usize),
) -> Result<Tallied> {
    let schema = match &source {
        Source::File(path) => file_schema(path),
        Source::Batches(batches) => batches.first().map(|b| b.schema()),
        Source::Memory(_) => None,
    };
    let mut t = tally_source(source, map, ctx, settings, progress)?;
    if let Some(schema) = schema {
        t.warnings.extend(numeric_code_columns(&schema, map));
    }
    Ok(t)
}

/// The schema of an Arrow IPC or Parquet file (other formats: none).
fn file_schema(path: &Path) -> Option<arrow::datatypes::SchemaRef> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    let file = std::fs::File::open(path).ok()?;
    match ext.as_str() {
        "parquet" => crate::read::decoder::open(|| {
            parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
        })
        .ok()
        .map(|b| b.schema().clone()),
        "arrow" | "feather" | "ipc" => {
            crate::read::decoder::check_ipc_file(path).ok()?;
            crate::read::decoder::open(|| {
                arrow::ipc::reader::FileReader::try_new(std::io::BufReader::new(file), None)
            })
            .ok()
            .map(|r| r.schema())
        }
        _ => None,
    }
}

/// Warnings for unit or procedure code columns stored as numbers: `1.010` read as the number
/// 1.01 is another code (pandas infers floats, Excel stores number cells), so the codes no
/// longer match the catalogue or the unit list.
pub fn numeric_code_columns(schema: &arrow::datatypes::Schema, map: &ColumnMap) -> Vec<String> {
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    let res = map.resolve(crate::read::columns::RecordKind::Dossier, &names);
    schema
        .fields()
        .iter()
        .zip(&res.columns)
        .filter_map(|(f, spec)| {
            let spec = spec.filter(|s| matches!(s.name, "unit_code" | "procedure_code"))?;
            f.data_type()
                .is_numeric()
                .then(|| numeric_code_warning(f.name(), spec.name))
        })
        .collect()
}

/// The warning for a code column (`field`: unit_code or procedure_code) holding numbers.
pub fn numeric_code_warning(column: &str, field: &str) -> String {
    format!(
        "column {column:?} ({field}) holds numbers, so codes like 1.010 lose their digits and no \
         longer match: read it as text (pandas: dtype={{{column:?}: str}}; Excel: format the \
         column as Text)"
    )
}

/// [`tally_dossiers`] without the warnings.
fn tally_source(
    source: Source<'_>,
    map: &ColumnMap,
    ctx: &TallyContext<'_>,
    settings: Settings,
    progress: &mut dyn FnMut(usize),
) -> Result<Tallied> {
    match source {
        Source::File(path) => tally_file(path, map, ctx, settings, progress),
        Source::Batches(batches) => {
            let fast = if settings.rows_only {
                Err(NotFast("CHISO_ROW_PATH=1".into()))
            } else {
                BatchTally::tally_all(batches, map, ctx, settings.threads)
            };
            Ok(match fast {
                Ok(run) => Tallied {
                    unit_codes: Some(run.unit_codes),
                    ..Tallied::columnar(run.tally, run.accounting)
                },
                Err(why) => {
                    let records = crate::read::arrow_batches::dossiers_from_batches(
                        batches,
                        map,
                        "<dossiers>",
                    );
                    Tallied::from_records(ctx, records, Some(why.0))
                }
            })
        }
        Source::Memory(file) => {
            let fast = if settings.rows_only {
                Err(NotFast("CHISO_ROW_PATH=1".into()))
            } else {
                file.tally(map, ctx, settings.threads)?
            };
            Ok(match fast {
                Ok(run) => Tallied {
                    unit_codes: Some(run.unit_codes),
                    ..Tallied::columnar(run.tally, run.accounting)
                },
                Err(why) => Tallied::from_records(ctx, file.records::<Dossier>(map)?, Some(why.0)),
            })
        }
    }
}

/// A file: the CSV fast path, the Parquet / Arrow IPC one, or Excel / JSON cells as columns; then
/// streamed rows, then (ids repeat) the whole file.
fn tally_file(
    path: &Path,
    map: &ColumnMap,
    ctx: &TallyContext<'_>,
    settings: Settings,
    progress: &mut dyn FnMut(usize),
) -> Result<Tallied> {
    let mut warnings = Vec::new();
    let sheet_or_json = matches!(
        rows::InputFormat::from_path(path),
        Ok(rows::InputFormat::Excel | rows::InputFormat::Json)
    );
    let why = if settings.rows_only {
        NotFast("CHISO_ROW_PATH=1".into())
    } else if sheet_or_json {
        let read = cells::tally_file(path, map, ctx, settings.threads, progress);
        warnings.extend(
            read.numeric_codes
                .iter()
                .map(|(column, field)| numeric_code_warning(column, field)),
        );
        match read.run {
            Ok(run) => {
                return Ok(Tallied {
                    unit_codes: Some(run.unit_codes),
                    warnings,
                    ..Tallied::columnar(run.tally, run.accounting)
                })
            }
            Err(why) => why,
        }
    } else {
        match csv_blocks::tally_file(path, map, ctx, settings.threads, progress)? {
            Ok((tally, acc, _)) => return Ok(Tallied::columnar(tally, acc)),
            Err(csv_why) => {
                restart_verdicts(ctx);
                let other = fast::tally_file(path, map, ctx, settings.threads)?
                    .and_then(|f| f.finish(&ctx.period));
                match other {
                    Ok((tally, acc, _)) => return Ok(Tallied::columnar(tally, acc)),
                    // The CSV reason says more for a CSV file, the other one for the rest.
                    Err(other) => {
                        let csv = rows::InputFormat::from_path(path)
                            .is_ok_and(|f| f == rows::InputFormat::Csv);
                        if csv {
                            csv_why
                        } else {
                            other
                        }
                    }
                }
            }
        }
    };
    restart_verdicts(ctx);
    let state = RefCell::new(StreamTally::default());
    let sink = Box::new(|d: Dossier| {
        let mut s = state.borrow_mut();
        s.buffer.push(d);
        if s.buffer.len() >= StreamTally::CHUNK {
            s.flush(ctx);
        }
    });
    let streamed = rows::stream_records::<Dossier>(path, map, progress, sink)?;
    if streamed.duplicate_ids {
        let records = rows::read_records::<Dossier>(path, map, progress)?;
        return Ok(Tallied {
            warnings,
            ..Tallied::from_records(ctx, records, Some(why.0))
        });
    }
    let mut s = state.into_inner();
    s.flush(ctx);
    unjudged_verdicts(ctx, &streamed.rejects, &streamed.superseded);
    Ok(Tallied {
        tally: s.tally,
        accounting: s.accounting,
        rejects: streamed.rejects,
        superseded: streamed.superseded,
        path: ReadPath::Rows,
        why_not_fast: Some(why.0),
        // Excel and JSON cells are read in order by the columnar path too, which keeps the
        // unit order (so the scorecard lists units the same way whichever path read the file);
        // the CSV, Parquet and IPC fast paths read blocks in any order and keep none, and nor
        // does the row path for those formats.
        unit_codes: sheet_or_json.then_some(s.units.codes),
        records: None,
        warnings,
    })
}

/// Dossiers buffered by the streaming reader, tallied a chunk at a time.
#[derive(Default)]
struct StreamTally {
    buffer: Vec<Dossier>,
    tally: Tally,
    accounting: Accounting,
    /// The dossiers' unit codes in order of first appearance (excluded dossiers too).
    units: FirstUnits,
}

/// Unit codes (trimmed) in order of first appearance, as [`Tallied::from_records`] lists them.
#[derive(Default)]
struct FirstUnits {
    seen: std::collections::HashSet<String>,
    codes: Vec<String>,
}

impl FirstUnits {
    fn note(&mut self, code: &str) {
        let c = code.trim();
        if !self.seen.contains(c) {
            self.seen.insert(c.to_string());
            self.codes.push(c.to_string());
        }
    }
}

impl StreamTally {
    const CHUNK: usize = 65_536;

    fn flush(&mut self, ctx: &TallyContext<'_>) {
        for d in self.buffer.drain(..) {
            self.units.note(&d.unit_code);
            match self.tally.add_dossier(ctx, &d) {
                Ok(progress) => self.accounting.score(progress),
                Err(e) => self.accounting.exclude_n(e, 1),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::datatypes::{DataType, Field, Schema};

    #[test]
    fn a_numeric_code_column_is_named_with_the_fix() {
        let schema = Schema::new(vec![
            Field::new("MaHoSo", DataType::Utf8, true),
            Field::new("MaTTHC", DataType::Float64, true),
            Field::new("unit_code", DataType::Utf8, true),
        ]);
        let w = numeric_code_columns(&schema, &ColumnMap::new());
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("\"MaTTHC\"") && w[0].contains("procedure_code"));
        assert!(w[0].contains("as text"));
        let text = Schema::new(vec![Field::new("MaTTHC", DataType::Utf8, true)]);
        assert!(numeric_code_columns(&text, &ColumnMap::new()).is_empty());
    }
}
