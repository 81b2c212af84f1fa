//! Dossiers as the Python API holds them. A CSV, Arrow IPC or Parquet file from `chiso.read` is
//! kept as its path and tallied by the CLI's own file route (the CSV fast path, Parquet row groups
//! and IPC batches decoded by every core, only the columns scoring reads); an Excel or JSON file
//! as its cells gathered into columns (`chiso_io::read::fast::cells`). Arrow input — a
//! pyarrow / polars / pandas table handed over through the PyCapsule interface (kept as its record
//! batches, no copy) — is scored by the CLI's columnar fast path (`chiso_io::read::fast::FastTally`), with no record object per dossier. The records are
//! converted from the kept Arrow data only when a feature needs them (drill-down to dossiers,
//! overdue lists, officials, the quality check, the planner, reconciliation, `len`, `rejects`),
//! then kept; whenever the fast path steps aside (duplicate ids, text dates, bad cells, …) the
//! records are converted at once and scored by the row path, so the results are always the row
//! path's.

use crate::column_map::column_map;
use crate::errors::{Error, Result};
use arrow::record_batch::RecordBatch;
use chiso::{Dossier, TallyContext};
use chiso_io::read::columns::ColumnMap;
use chiso_io::read::memory::DossierFile;
use chiso_io::read::records::Records;
use chiso_io::route::{tally_dossiers, ReadPath, Settings, Source};
use std::borrow::Cow;
use std::sync::{Arc, Mutex};

/// Where the dossiers came from.
enum Origin {
    /// Records already converted (a list of dicts; an Excel / JSON file whose cells could not
    /// be columns: then why).
    Rows(Option<String>),
    /// An Excel or JSON file's cells gathered into columns by `chiso.read` (the file is read
    /// again by the row reader only if the columnar path steps aside), and the warnings its
    /// columns gave.
    Cells {
        path: std::path::PathBuf,
        batches: Vec<RecordBatch>,
        warnings: Vec<String>,
    },
    /// Record batches of an Arrow object (the producer's buffers).
    Batches(Vec<RecordBatch>),
    /// An Arrow IPC or Parquet file held in memory.
    File(DossierFile),
    /// A CSV, Arrow IPC or Parquet file, read when scored by the CLI's file route, or into
    /// records when a feature needs them. Holding the path, not the bytes, is what lets a 7 GB
    /// IPC file score at the CLI's speed without 7 GB of memory.
    Path(std::path::PathBuf),
    /// A live scoreboard's state: its latest records rebuilt on first need (drill-downs of a
    /// live scorecard). The scoreboard copies its state on its next change while this is held.
    Live(Arc<chiso::live::Scoreboard>),
}

/// Dossiers, converted to records on first need.
pub struct Dossiers {
    origin: Origin,
    map: Cow<'static, ColumnMap>,
    records: Mutex<Option<Arc<Records<Dossier>>>>,
}

/// How a scorecard's dossiers were tallied (`Scorecard.accounting["reader"]`).
#[derive(Clone, Debug)]
pub enum Reader {
    /// The columnar fast path over Arrow data.
    Columnar,
    /// The row path; with the reason when Arrow data was given but the fast path stepped aside.
    Rows(Option<String>),
    /// A tally built elsewhere (`chiso.score_tally`): no dossiers behind the scorecard.
    Tally,
}

impl Reader {
    pub fn name(&self) -> &'static str {
        match self {
            Reader::Columnar => "columnar",
            Reader::Rows(_) => "rows",
            Reader::Tally => "tally",
        }
    }
    pub fn note(&self) -> Option<&str> {
        match self {
            Reader::Rows(why) => why.as_deref(),
            Reader::Columnar | Reader::Tally => None,
        }
    }
}

impl Dossiers {
    fn new(origin: Origin, map: Cow<'static, ColumnMap>, rows: Option<Records<Dossier>>) -> Self {
        Self {
            origin,
            map,
            records: Mutex::new(rows.map(Arc::new)),
        }
    }

    pub fn from_records(r: Records<Dossier>) -> Self {
        Self::new(Origin::Rows(None), Cow::Borrowed(column_map()), Some(r))
    }

    /// Records of a file read by the row reader because its cells could not be columns.
    pub fn from_file_rows(r: Records<Dossier>, why: String, map: ColumnMap) -> Self {
        Self::new(Origin::Rows(Some(why)), Cow::Owned(map), Some(r))
    }

    /// An Excel or JSON file's cells as columns, with the warnings the columns gave.
    pub fn from_cells(
        path: std::path::PathBuf,
        batches: Vec<RecordBatch>,
        warnings: Vec<String>,
        map: ColumnMap,
    ) -> Self {
        let origin = Origin::Cells {
            path,
            batches,
            warnings,
        };
        Self::new(origin, Cow::Owned(map), None)
    }

    pub fn from_batches(b: Vec<RecordBatch>) -> Self {
        Self::new(Origin::Batches(b), Cow::Borrowed(column_map()), None)
    }

    pub fn from_file(f: DossierFile, map: ColumnMap) -> Self {
        Self::new(Origin::File(f), Cow::Owned(map), None)
    }

    pub fn from_path(path: std::path::PathBuf, map: ColumnMap) -> Self {
        Self::new(Origin::Path(path), Cow::Owned(map), None)
    }

    pub fn from_live(board: Arc<chiso::live::Scoreboard>) -> Self {
        Self::new(Origin::Live(board), Cow::Borrowed(column_map()), None)
    }

    fn cached(&self) -> std::sync::MutexGuard<'_, Option<Arc<Records<Dossier>>>> {
        match self.records.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }

    /// Whether the records have been converted (or were given as records).
    pub fn is_converted(&self) -> bool {
        self.cached().is_some()
    }

    /// Whether the dossiers came as Arrow data or a file a fast path reads (a table, an Arrow
    /// IPC / Parquet or CSV file): then a row-path score says why.
    pub fn is_arrow(&self) -> bool {
        !matches!(self.origin, Origin::Rows(None) | Origin::Live(_))
    }

    /// The record batches and their column map, when the dossiers came as an Arrow object
    /// (what the live scoreboard upserts from columns).
    pub fn batches(&self) -> Option<(&[RecordBatch], &ColumnMap)> {
        match &self.origin {
            Origin::Batches(b) => Some((b, &self.map)),
            _ => None,
        }
    }

    /// The file these dossiers are read from when used, if they are held by path.
    pub fn path(&self) -> Option<&std::path::Path> {
        match &self.origin {
            Origin::Path(p) => Some(p),
            _ => None,
        }
    }

    /// The file these dossiers were read from, if any.
    pub fn file(&self) -> Option<&DossierFile> {
        match &self.origin {
            Origin::File(f) => Some(f),
            _ => None,
        }
    }

    /// The records: converted from the Arrow data on first use (with the GIL released by the
    /// caller), then kept.
    pub fn records(&self) -> Result<Arc<Records<Dossier>>> {
        let mut slot = self.cached();
        if let Some(r) = slot.as_ref() {
            return Ok(r.clone());
        }
        let r = match &self.origin {
            Origin::Rows(_) => Records::default(),
            Origin::Cells { path, .. } => {
                chiso_io::read::rows::read_records::<Dossier>(path, &self.map, &mut |_| {})?
            }
            Origin::Batches(b) => {
                chiso_io::read::arrow_batches::dossiers_from_batches(b, &self.map, "<dossiers>")
            }
            Origin::File(f) => f.records::<Dossier>(&self.map)?,
            Origin::Path(path) => {
                chiso_io::read::rows::read_records::<Dossier>(path, &self.map, &mut |_| {})?
            }
            Origin::Live(board) => {
                let (rows, synced) = board
                    .latest_records()
                    .map(|r| (r.dossier, r.synced_at))
                    .unzip();
                Records {
                    rows,
                    synced,
                    ..Records::default()
                }
            }
        };
        let r = Arc::new(r);
        *slot = Some(r.clone());
        Ok(r)
    }

    /// The dossiers tallied once, through the one route the CLI takes too (the columnar fast
    /// path when it accepts the data, else the row reader); records given as such are tallied
    /// here. Whatever the path, this tally is the one scored: the row path is not run again.
    pub fn tally(&self, ctx: &TallyContext<'_>) -> Result<Routed> {
        // A file held by path whose records were already converted (len, rejects, drill-downs)
        // is scored from those records: every later use sees the file as it was then.
        if let (Origin::Path(_), true) = (&self.origin, self.is_converted()) {
            let kept = "the file's records, converted earlier, are kept";
            return self.tally_records(ctx, Some(kept.into()));
        }
        let source = match &self.origin {
            Origin::Rows(note) => return self.tally_records(ctx, note.clone()),
            Origin::Live(_) => return self.tally_records(ctx, None),
            Origin::Cells {
                batches, warnings, ..
            } => {
                for w in warnings {
                    warn(w);
                }
                return self.tally_cells(batches, ctx);
            }
            Origin::Batches(batches) => Source::Batches(batches),
            Origin::File(f) => Source::Memory(f),
            Origin::Path(path) => Source::File(path),
        };
        let read = tally_dossiers(source, &self.map, ctx, Settings::from_env(), &mut |_| {})
            .map_err(Error::from)?;
        for w in &read.warnings {
            warn(w);
        }
        if let Some(records) = read.records {
            *self.cached() = Some(Arc::new(records));
        }
        let reader = match read.path {
            ReadPath::Columnar => Reader::Columnar,
            ReadPath::Rows | ReadPath::RowsWhole => {
                Reader::Rows(Some(read.why_not_fast.unwrap_or_default()))
            }
        };
        let unit_codes = match (read.unit_codes, read.path) {
            (Some(codes), _) => Some(codes),
            // Rows streamed from a file keep no unit order: the records (kept for drill-down
            // anyway) give it.
            (None, ReadPath::Rows) => Some(first_units(&self.records()?.rows)),
            (None, _) => None,
        };
        Ok(Routed {
            tally: read.tally,
            accounting: read.accounting,
            unit_codes,
            reader,
        })
    }
}

impl Dossiers {
    /// The records tallied by the row path (records given as such, a live board's, or a file's
    /// converted earlier), with the note the reader shows.
    fn tally_records(&self, ctx: &TallyContext<'_>, note: Option<String>) -> Result<Routed> {
        let r = self.records()?;
        let (tally, accounting) = chiso::Tally::build(ctx, &r.rows, &[]);
        Ok(Routed {
            tally,
            accounting,
            unit_codes: Some(first_units(&r.rows)),
            reader: Reader::Rows(note),
        })
    }

    /// An Excel or JSON file's columns by the columnar path; where it steps aside, the file's
    /// records by the row reader (rejects name the file's own rows), tallied once.
    fn tally_cells(&self, batches: &[RecordBatch], ctx: &TallyContext<'_>) -> Result<Routed> {
        let settings = Settings::from_env();
        let fast = if settings.rows_only {
            Err(chiso_io::read::fast::NotFast("CHISO_ROW_PATH=1".into()))
        } else {
            chiso_io::read::fast::cells::tally_batches(batches, &self.map, ctx, settings.threads)
        };
        match fast {
            Ok(run) => Ok(Routed {
                tally: run.tally,
                accounting: run.accounting,
                unit_codes: Some(run.unit_codes),
                reader: Reader::Columnar,
            }),
            Err(why) => self.tally_records(ctx, Some(why.0)),
        }
    }
}

/// Dossiers tallied by [`Dossiers::tally`].
pub struct Routed {
    pub tally: chiso::Tally,
    pub accounting: chiso::tally::Accounting,
    /// Unit codes of the dossiers in order of first appearance (the row path's unit tree), when
    /// the reader keeps it.
    pub unit_codes: Option<Vec<String>>,
    pub reader: Reader,
}

/// Unit codes of the records in order of first appearance.
fn first_units(rows: &[Dossier]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    rows.iter()
        .map(|d| d.unit_code.trim())
        .filter(|c| seen.insert(*c))
        .map(str::to_string)
        .collect()
}

/// A Python `UserWarning` (e.g. a code column read as numbers); a warning that cannot be raised
/// (a filter turned it into an error) is left to the caller's filters.
pub fn warn(message: &str) {
    pyo3::Python::attach(|py| {
        let text = std::ffi::CString::new(message.replace('\0', " ")).unwrap_or_default();
        let category = py.get_type::<pyo3::exceptions::PyUserWarning>();
        if let Err(e) = pyo3::PyErr::warn(py, &category, &text, 1) {
            e.restore(py);
        }
    });
}
