//! `chiso._chiso`: the native module behind the `chiso` Python package. Thin glue over the pure
//! core (`chiso`), the readers (`chiso-io`) and the calendar (`chiso-calendar`): converts Python
//! input, releases the GIL while scoring, and maps every Rust error to a `chiso.errors` class.

mod args;
mod card;
mod column_map;
mod dossiers;
mod errors;
mod input;
mod live;
mod profile;
mod pyjson;
mod records;
mod report;
mod scorecard;
mod table;
mod tally;
mod toolkit;

use args::{calendar, moment, options_arg, profile_arg};
use card::Request;
use chiso::{Period, Profile};
use chrono::NaiveDate;
use errors::{Error, Result};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use records::AnyRecords;
use std::sync::Arc;

/// The module's own allocations (Rust's, not Python's) go through mimalloc: in a notebook's
/// process, after pandas and Arrow have allocated and freed, glibc's malloc made the live
/// scorecard up to twice as slow (see the workspace's Cargo.toml and BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Whether a dossier file is one the CLI's file route reads fast (CSV, Arrow IPC, Parquet): then
/// `chiso.read` keeps its path. Its header is checked now, so a wrong file fails at `read`.
fn is_fast_file(path: &std::path::Path, map: &chiso_io::read::columns::ColumnMap) -> Result<bool> {
    use chiso_io::read::rows::InputFormat;
    let format = InputFormat::from_path(path)?;
    if !matches!(
        format,
        InputFormat::Csv | InputFormat::Parquet | InputFormat::Arrow
    ) {
        return Ok(false);
    }
    let file = std::fs::File::open(path).map_err(|e| chiso_io::error::IoError::file(path, e))?;
    let meta = file
        .metadata()
        .map_err(|e| chiso_io::error::IoError::file(path, e))?;
    if meta.is_dir() {
        return Ok(false);
    }
    chiso_io::read::memory::check_file_header(path, map)?;
    Ok(true)
}

/// Dossiers of an Excel or JSON file: its cells gathered into columns (the columnar path), or,
/// where a cell cannot be a column, its records by the row reader, with the reason kept for
/// `accounting["reader_note"]`. `Ok(None)` for other formats.
fn sheet_or_json(
    path: &std::path::Path,
    map: &chiso_io::read::columns::ColumnMap,
) -> Result<Option<dossiers::Dossiers>> {
    use chiso_io::read::rows::InputFormat;
    if !matches!(
        InputFormat::from_path(path)?,
        InputFormat::Excel | InputFormat::Json
    ) {
        return Ok(None);
    }
    let mut numeric = Vec::new();
    let mut batches = Vec::new();
    let gathered = chiso_io::read::fast::cells::gather_file(
        path,
        map,
        &mut |b| {
            batches.push(b);
            Ok(())
        },
        &mut numeric,
    );
    let warnings: Vec<String> = numeric
        .iter()
        .map(|(c, f)| chiso_io::route::numeric_code_warning(c, f))
        .collect();
    Ok(Some(match gathered {
        Ok(()) => {
            dossiers::Dossiers::from_cells(path.to_path_buf(), batches, warnings, map.clone())
        }
        Err(why) => {
            let records = chiso_io::read::rows::read_records(path, map, &mut |_| {})?;
            for w in &warnings {
                dossiers::warn(w);
            }
            dossiers::Dossiers::from_file_rows(records, why.0, map.clone())
        }
    }))
}

#[pymodule]
mod _chiso {
    use super::*;

    #[pymodule_export]
    use super::live::PyScoreboard;
    #[pymodule_export]
    use super::profile::PyProfile;
    #[pymodule_export]
    use super::records::PyRecords;
    #[pymodule_export]
    use super::scorecard::PyScorecard;
    #[pymodule_export]
    use super::table::Table;
    #[pymodule_export]
    use super::tally::PyTally;

    #[pymodule_export]
    #[allow(non_upper_case_globals)]
    const __version__: &str = env!("CARGO_PKG_VERSION");

    /// Scores dossiers (and optionally the catalogue, the unit tree and petitions) for a period.
    #[pyfunction]
    #[pyo3(signature = (dossiers, *, procedures=None, units=None, petitions=None, period=None, as_of=None, profile=None, options=None, calendar="vietnam", errors="reject"))]
    #[allow(clippy::too_many_arguments)]
    fn score(
        py: Python<'_>,
        dossiers: &Bound<'_, PyAny>,
        procedures: Option<&Bound<'_, PyAny>>,
        units: Option<&Bound<'_, PyAny>>,
        petitions: Option<&Bound<'_, PyAny>>,
        period: Option<&str>,
        as_of: Option<&Bound<'_, PyAny>>,
        profile: Option<&Bound<'_, PyAny>>,
        options: Option<&Bound<'_, PyAny>>,
        calendar: &str,
        errors: &str,
    ) -> Result<PyScorecard> {
        let strict = args::errors_arg(errors)?;
        let profile = profile_arg(profile)?;
        let options = options_arg(profile.options, options)?;
        let period: Option<Period> = period.map(str::parse).transpose()?;
        let as_of = as_of
            .filter(|o| !o.is_none())
            .map(|o| moment(o, "as_of"))
            .transpose()?;
        let cal = super::calendar(calendar)?;
        let req = Request {
            dossiers: input::gather_dossiers(dossiers)?,
            procedures: input::gather_opt(procedures)?,
            units: input::gather_opt(units)?,
            petitions: input::gather_opt(petitions)?,
            period,
            as_of,
            profile,
            options,
            calendar: cal,
        };
        let state = py.detach(move || card::run(req))?;
        if strict {
            if let Some(e) = Error::first_reject(&state.rejects, "") {
                return Err(e);
            }
        }
        Ok(PyScorecard {
            state: Arc::new(state),
        })
    }

    /// Tallies dossiers without scoring them: a `Tally` to merge with others, carry as bytes
    /// and score with `score_tally`.
    #[pyfunction]
    #[pyo3(signature = (dossiers, *, procedures=None, period=None, as_of=None, profile=None, options=None, calendar="vietnam"))]
    #[allow(clippy::too_many_arguments)]
    fn tally(
        py: Python<'_>,
        dossiers: &Bound<'_, PyAny>,
        procedures: Option<&Bound<'_, PyAny>>,
        period: Option<&str>,
        as_of: Option<&Bound<'_, PyAny>>,
        profile: Option<&Bound<'_, PyAny>>,
        options: Option<&Bound<'_, PyAny>>,
        calendar: &str,
    ) -> Result<PyTally> {
        let profile = profile_arg(profile)?;
        let options = options_arg(profile.options, options)?;
        let period: Option<Period> = period.map(str::parse).transpose()?;
        let as_of = as_of
            .filter(|o| !o.is_none())
            .map(|o| moment(o, "as_of"))
            .transpose()?;
        let (calendar_name, cal) = args::calendar_named(calendar)?;
        let req = crate::tally::TallyRequest {
            dossiers: input::gather_dossiers(dossiers)?,
            procedures: input::gather_opt(procedures)?,
            period,
            as_of,
            profile,
            options,
            calendar: cal,
            calendar_name,
        };
        let inner = py.detach(move || crate::tally::build(req))?;
        Ok(PyTally { inner })
    }

    /// Scores a tally (from `tally`, merged or not) with the unit tree, the catalogue and the
    /// petitions: the scorecard `score` gives on the same dossiers.
    #[pyfunction]
    #[pyo3(signature = (tally, *, units=None, procedures=None, petitions=None, profile=None))]
    fn score_tally(
        py: Python<'_>,
        tally: &Bound<'_, PyTally>,
        units: Option<&Bound<'_, PyAny>>,
        procedures: Option<&Bound<'_, PyAny>>,
        petitions: Option<&Bound<'_, PyAny>>,
        profile: Option<&Bound<'_, PyAny>>,
    ) -> Result<PyScorecard> {
        let req = crate::tally::ScoreRequest {
            units: input::gather_opt(units)?,
            procedures: input::gather_opt(procedures)?,
            petitions: input::gather_opt(petitions)?,
            profile: profile_arg(profile)?,
        };
        let t = tally.get();
        let state = py.detach(|| t.score(req))?;
        Ok(PyScorecard {
            state: Arc::new(state),
        })
    }

    /// The chiso field each column name is read as (None for a column chiso does not read).
    #[pyfunction]
    #[pyo3(signature = (headers, kind="dossier"))]
    fn resolve_columns(headers: Vec<String>, kind: &str) -> Result<Vec<Option<String>>> {
        let kind = chiso_io::read::columns::RecordKind::from_name(kind).ok_or_else(|| {
            Error::at(format!("unknown record kind {kind:?}"), None, Some("kind"))
        })?;
        let map = input::column_map();
        Ok(headers
            .iter()
            .map(|h| map.field(kind, h).map(|f| f.name.to_string()))
            .collect())
    }

    /// The columns of a dossier table that scoring reads, in their order: those chiso resolves
    /// to a field scoring uses (not the process log, not columns only the toolkit reads).
    #[pyfunction]
    fn scoring_columns(headers: Vec<String>) -> Vec<String> {
        let map = input::column_map();
        let used: Vec<&str> = chiso_io::read::fast::scoring_fields().collect();
        headers
            .into_iter()
            .filter(|h| {
                map.field(chiso_io::read::columns::RecordKind::Dossier, h)
                    .is_some_and(|f| used.contains(&f.name))
            })
            .collect()
    }

    /// Test hook of the panic guard (`chiso/_guard.py`): panics, in this thread or in a worker
    /// thread like rayon's, only when the environment variable `CHISO_TEST_PANIC` is `1` (set by
    /// tests/python/test_hardening.py); otherwise returns False.
    #[pyfunction]
    #[pyo3(signature = (message, in_worker=false))]
    fn _panic_for_tests(message: &str, in_worker: bool) -> bool {
        if std::env::var("CHISO_TEST_PANIC").as_deref() != Ok("1") {
            return false;
        }
        if in_worker {
            let m = message.to_string();
            let joined = std::thread::spawn(move || -> bool { panic!("{m}") }).join();
            if let Err(p) = joined {
                std::panic::resume_unwind(p);
            }
            return false;
        }
        panic!("{message}")
    }

    /// Names of the built-in rule profiles.
    #[pyfunction]
    fn profiles() -> Vec<String> {
        chiso::profile::builtin_names()
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    /// Loads a rule profile: a built-in name or a TOML file.
    #[pyfunction]
    fn load_profile(path: &Bound<'_, PyAny>) -> Result<PyProfile> {
        Ok(PyProfile {
            inner: profile_arg(Some(path))?,
        })
    }

    /// The TOML text of a built-in profile, to start one's own from.
    #[pyfunction]
    fn profile_text(name: &str) -> Result<String> {
        Profile::builtin(name)?;
        Ok(Profile::builtin_text(name).unwrap_or_default().to_string())
    }

    /// Checks a profile against a folder of portal API captures; the report as JSON text.
    #[pyfunction]
    #[pyo3(signature = (path, profile=None))]
    fn conformance_json(
        py: Python<'_>,
        path: std::path::PathBuf,
        profile: Option<&Bound<'_, PyAny>>,
    ) -> Result<String> {
        let profile = profile_arg(profile)?;
        py.detach(move || {
            let captures = chiso_io::portal::capture::read_captures(&path)?;
            let report =
                chiso_io::portal::conformance::check(&captures, &profile, &profile.options);
            let v = serde_json::json!({
                "captures": captures.len(),
                "report": report,
                "summary": report.summary(),
            });
            Ok(serde_json::to_string(&v).unwrap_or_default())
        })
    }

    /// Reads records of one kind from CSV, Excel, JSON / JSON Lines, Arrow IPC or Parquet.
    #[pyfunction]
    #[pyo3(signature = (path, kind="dossier", columns=None))]
    fn read(
        py: Python<'_>,
        path: std::path::PathBuf,
        kind: &str,
        columns: Option<std::path::PathBuf>,
    ) -> Result<PyRecords> {
        let kind = chiso_io::read::columns::RecordKind::from_name(kind).ok_or_else(|| {
            Error::at(
                format!("unknown record kind {kind:?} (dossier, procedure, unit, petition)"),
                None,
                Some("kind"),
            )
        })?;
        py.detach(move || {
            let map = match &columns {
                Some(p) => chiso_io::read::columns::ColumnMap::from_toml(p)?,
                None => input::column_map().clone(),
            };
            let mut progress = |_: usize| {};
            use chiso_io::read::columns::RecordKind as K;
            use chiso_io::read::rows::read_records as rr;
            let inner = match kind {
                K::Dossier => AnyRecords::Dossiers(Arc::new(if is_fast_file(&path, &map)? {
                    dossiers::Dossiers::from_path(path, map)
                } else {
                    match sheet_or_json(&path, &map)? {
                        Some(d) => d,
                        None => dossiers::Dossiers::from_records(rr(&path, &map, &mut progress)?),
                    }
                })),
                K::Procedure => AnyRecords::Procedures(rr(&path, &map, &mut progress)?),
                K::Unit => AnyRecords::Units(rr(&path, &map, &mut progress)?),
                K::Petition => AnyRecords::Petitions(rr(&path, &map, &mut progress)?),
            };
            Ok(PyRecords { inner })
        })
    }

    /// A seeded synthetic district: units, procedures, dossiers and petitions as Arrow tables
    /// (the columns `chiso generate` writes), or as lists of dicts with `as_dicts=True`.
    #[pyfunction]
    #[pyo3(signature = (n=40_000, seed=7, as_dicts=false))]
    fn generate<'py>(
        py: Python<'py>,
        n: usize,
        seed: u64,
        as_dicts: bool,
    ) -> Result<Bound<'py, PyDict>> {
        let mut spec = chiso_io::sample::SampleSpec::district(seed);
        spec.dossiers = n;
        let (sample, spec) = py.detach(move || (chiso_io::sample::generate(&spec), spec));
        let out = PyDict::new(py);
        if as_dicts {
            let put = |key: &str, v: serde_json::Result<serde_json::Value>| -> Result<()> {
                let v = v.map_err(|e| Error::input(e.to_string()))?;
                out.set_item(key, pyjson::to_py(py, &v, None)?)?;
                Ok(())
            };
            put("units", serde_json::to_value(&sample.units))?;
            put("procedures", serde_json::to_value(&sample.procedures))?;
            put("dossiers", serde_json::to_value(&sample.dossiers))?;
            put("petitions", serde_json::to_value(&sample.petitions))?;
        } else {
            use chiso_io::write::tables as t;
            let batches = py.detach(|| -> Result<_> {
                Ok([
                    ("units", t::units_batch(&sample.units)?),
                    ("procedures", t::procedures_batch(&sample.procedures)?),
                    ("dossiers", t::dossiers_batch(&sample.dossiers)?),
                    ("petitions", t::petitions_batch(&sample.petitions)?),
                ])
            })?;
            for (key, batch) in batches {
                out.set_item(key, table::Table::new(batch))?;
            }
        }
        out.set_item("as_of", pyjson::naive_to_py(py, spec.as_of)?)?;
        out.set_item("period", spec.year.to_string())?;
        Ok(out)
    }

    /// Whether a day is a working day in Vietnam (holidays by law and announced swaps).
    #[pyfunction]
    #[pyo3(signature = (day, calendar="vietnam"))]
    fn is_working_day(day: NaiveDate, calendar: &str) -> Result<bool> {
        Ok(super::calendar(calendar)?.is_working_day(day))
    }

    /// The `n`-th working day after `day`.
    #[pyfunction]
    #[pyo3(signature = (day, n, calendar="vietnam"))]
    fn add_working_days(day: NaiveDate, n: u32, calendar: &str) -> Result<NaiveDate> {
        Ok(super::calendar(calendar)?.add_working_days(day, n))
    }

    /// Working days in (a, b]; negative when b is before a.
    #[pyfunction]
    #[pyo3(signature = (a, b, calendar="vietnam"))]
    fn working_days_between(a: NaiveDate, b: NaiveDate, calendar: &str) -> Result<i64> {
        Ok(super::calendar(calendar)?.working_days_between(a, b))
    }

    /// The Vietnamese lunar date of a solar date: (year, month, day, leap).
    #[pyfunction]
    fn to_lunar(day: NaiveDate) -> Result<(i32, u8, u8, bool)> {
        let l = chiso_calendar::solar_to_lunar(day)?;
        Ok((l.year, l.month, l.day, l.leap))
    }

    /// The solar date of a lunar date.
    #[pyfunction]
    #[pyo3(signature = (year, month, day, leap=false))]
    fn from_lunar(year: i32, month: u8, day: u8, leap: bool) -> Result<NaiveDate> {
        Ok(chiso_calendar::lunar_to_solar(chiso_calendar::LunarDate {
            year,
            month,
            day,
            leap,
        })?)
    }

    /// Days off of a year: statutory holidays, substitutes and announced swaps.
    #[pyfunction]
    #[pyo3(signature = (year, calendar="vietnam"))]
    fn holidays<'py>(py: Python<'py>, year: i32, calendar: &str) -> Result<Bound<'py, PyList>> {
        if !(chiso_calendar::MIN_LUNAR_YEAR..=chiso_calendar::MAX_LUNAR_YEAR).contains(&year) {
            return Err(Error::Calendar(chiso_calendar::CalendarError::OutOfRange {
                value: year.to_string(),
                min: chiso_calendar::MIN_LUNAR_YEAR.to_string(),
                max: chiso_calendar::MAX_LUNAR_YEAR.to_string(),
            }));
        }
        let list = PyList::empty(py);
        for h in super::calendar(calendar)?.holidays(year) {
            let d = PyDict::new(py);
            d.set_item("date", h.date)?;
            d.set_item("name_vi", h.name_vi)?;
            d.set_item("name_en", h.name_en)?;
            let kind = serde_json::to_value(h.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            d.set_item("kind", kind)?;
            list.append(d)?;
        }
        Ok(list)
    }
}
