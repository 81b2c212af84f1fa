//! `chiso._chiso`: the native module behind the `chiso` Python package. Thin glue over the pure
//! core (`chiso`), the readers (`chiso-io`) and the calendar (`chiso-calendar`): converts Python
//! input, releases the GIL while scoring, and maps every Rust error to a `chiso.errors` class.

mod card;
mod dossiers;
mod errors;
mod input;
mod pyjson;
mod table;
mod toolkit;

use card::{Filter, Request, State};
use chiso::{Options, Period, Profile};
use chiso_io::records::Records;
use chrono::{NaiveDate, NaiveDateTime};
use errors::{Error, Result};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use std::sync::{Arc, OnceLock};
use table::Table;

/// The working-day calendars, built once.
fn calendar(name: &str) -> Result<&'static chiso_calendar::Calendar> {
    static VN: OnceLock<chiso_calendar::Calendar> = OnceLock::new();
    static WEEKDAYS: OnceLock<chiso_calendar::Calendar> = OnceLock::new();
    match name.trim().to_lowercase().as_str() {
        "vietnam" | "vn" => Ok(VN.get_or_init(chiso_calendar::Calendar::vietnam)),
        "weekdays" | "weekdays-only" | "weekdays_only" => {
            Ok(WEEKDAYS.get_or_init(chiso_calendar::Calendar::weekdays_only))
        }
        other => Err(Error::at(
            format!("unknown calendar {other:?} (vietnam, weekdays)"),
            None,
            Some("calendar"),
        )),
    }
}

/// A moment from Python: datetime (zone → Vietnam time), date (end of day), or ISO text.
fn moment(obj: &Bound<'_, PyAny>, what: &str) -> Result<NaiveDateTime> {
    let bad = |m: String| Error::at(m, None, Some(what));
    let text = match obj.cast::<PyString>() {
        Ok(s) => s.to_string(),
        Err(_) => match pyjson::to_json(obj) {
            Ok(serde_json::Value::String(s)) => {
                if obj.is_instance_of::<pyo3::types::PyDateTime>() || obj.hasattr("tzinfo")? {
                    s
                } else {
                    // A plain date: the end of that day.
                    s.replace("T00:00:00", "T23:59:59")
                }
            }
            _ => {
                return Err(bad(format!(
                    "{what}: expected a datetime, a date or ISO text, got {}",
                    obj.get_type().name()?
                )))
            }
        },
    };
    chiso::period::parse_moment(&text).map_err(|e| bad(format!("{what}: {e}")))
}

fn profile_arg(obj: Option<&Bound<'_, PyAny>>) -> Result<Profile> {
    match obj {
        None => Ok(Profile::builtin("portal-2026")?),
        Some(o) if o.is_none() => Ok(Profile::builtin("portal-2026")?),
        Some(o) => {
            if let Ok(p) = o.cast::<PyProfile>() {
                return Ok(p.get().inner.clone());
            }
            if let Ok(s) = o.extract::<String>() {
                return Ok(chiso_io::profiles::load_profile(&s)?);
            }
            if let Ok(p) = o.call_method0("__fspath__") {
                let s: String = p.extract()?;
                return Ok(chiso_io::profiles::load_profile(&s)?);
            }
            Err(Error::at(
                "profile: expected a built-in name, a path or a chiso.Profile",
                None,
                Some("profile"),
            ))
        }
    }
}

/// Targets of `Scorecard.plan`: a built-in set name, a dict, or a TOML file.
fn targets_arg(obj: Option<&Bound<'_, PyAny>>) -> Result<toolkit::Targets> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(toolkit::Targets::Directive);
    };
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut text = String::from("[targets]\n");
        for (k, v) in d.iter() {
            let id: String = k.extract()?;
            let ratio: f64 = v.extract()?;
            text.push_str(&format!("{:?} = {ratio}\n", id));
        }
        return Ok(toolkit::Targets::Toml(text, "targets dict".into()));
    }
    let s: String = match obj.extract::<String>() {
        Ok(s) => s,
        Err(_) => obj.str()?.to_string(),
    };
    match s.as_str() {
        "directive" => Ok(toolkit::Targets::Directive),
        "rules" => Ok(toolkit::Targets::Rules),
        path => {
            let text = chiso_io::error::read_text(std::path::Path::new(path))?;
            Ok(toolkit::Targets::Toml(text, path.to_string()))
        }
    }
}

fn options_arg(base: Options, obj: Option<&Bound<'_, PyAny>>) -> Result<Options> {
    let Some(o) = obj.filter(|o| !o.is_none()) else {
        return Ok(base);
    };
    let d = o.cast::<PyDict>().map_err(|_| {
        Error::at(
            "options: expected a dict such as {\"due_comparison\": \"date\"}",
            None,
            Some("options"),
        )
    })?;
    let mut opts = base;
    for (k, v) in d.iter() {
        let name: String = k.str()?.extract()?;
        let value = match pyjson::to_json(&v) {
            Ok(serde_json::Value::String(s)) => s,
            Ok(serde_json::Value::Bool(b)) => b.to_string(),
            Ok(other) => other.to_string(),
            Err(m) => return Err(Error::at(m, None, Some(&name))),
        };
        opts = opts.with(&name, &value)?;
    }
    Ok(opts)
}

/// A rule profile (the built-in `portal-2026` or one loaded from TOML).
#[pyclass(frozen, module = "chiso._chiso", name = "Profile")]
pub struct PyProfile {
    inner: Profile,
}

#[pymethods]
impl PyProfile {
    #[getter]
    fn name(&self) -> String {
        self.inner.profile.name.clone()
    }
    #[getter]
    fn version(&self) -> String {
        self.inner.profile.version.clone()
    }
    /// The whole profile as plain Python data (groups, indicators, options, limits, …).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let v = serde_json::to_value(&self.inner)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
        pyjson::to_py(py, &v, None)
    }
    /// The default options of the profile.
    fn options<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let v = serde_json::to_value(self.inner.options)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
        pyjson::to_py(py, &v, None)
    }
    fn __repr__(&self) -> String {
        format!(
            "chiso.Profile({}@{}, {} indicators)",
            self.inner.profile.name,
            self.inner.profile.version,
            self.inner.indicators.len()
        )
    }
}

/// Records of one kind read from a file, ready to score.
pub enum AnyRecords {
    /// Dossiers: an Arrow IPC or Parquet file is kept as read (scored by the columnar fast path,
    /// converted to records on demand); other formats are converted at once.
    Dossiers(Arc<dossiers::Dossiers>),
    Procedures(Records<chiso::Procedure>),
    Units(Records<chiso::Unit>),
    Petitions(Records<chiso::Petition>),
}

impl AnyRecords {
    pub fn name(&self) -> &'static str {
        match self {
            AnyRecords::Dossiers(_) => "dossiers",
            AnyRecords::Procedures(_) => "procedures",
            AnyRecords::Units(_) => "units",
            AnyRecords::Petitions(_) => "petitions",
        }
    }
    /// Calls `f` with the rejects and the number of records (converting dossiers if need be).
    fn with_counts<R>(
        &self,
        f: impl FnOnce(&[chiso_io::records::Reject], usize) -> R,
    ) -> Result<R> {
        Ok(match self {
            AnyRecords::Dossiers(d) => {
                let r = d.records()?;
                f(&r.rejects, r.rows.len())
            }
            AnyRecords::Procedures(r) => f(&r.rejects, r.rows.len()),
            AnyRecords::Units(r) => f(&r.rejects, r.rows.len()),
            AnyRecords::Petitions(r) => f(&r.rejects, r.rows.len()),
        })
    }
    fn rows_json(&self) -> Result<serde_json::Value> {
        let v = match self {
            AnyRecords::Dossiers(d) => serde_json::to_value(&d.records()?.rows),
            AnyRecords::Procedures(r) => serde_json::to_value(&r.rows),
            AnyRecords::Units(r) => serde_json::to_value(&r.rows),
            AnyRecords::Petitions(r) => serde_json::to_value(&r.rows),
        };
        v.map_err(|e| Error::input(e.to_string()))
    }
}

/// Records read from a file by `chiso.read`: pass them to `chiso.score` as they are.
#[pyclass(frozen, module = "chiso._chiso", name = "Records")]
pub struct PyRecords {
    pub inner: AnyRecords,
}

#[pymethods]
impl PyRecords {
    /// `"dossiers"`, `"procedures"`, `"units"` or `"petitions"`.
    #[getter]
    fn kind(&self) -> &'static str {
        self.inner.name()
    }
    fn __len__(&self, py: Python<'_>) -> Result<usize> {
        py.detach(|| self.inner.with_counts(|_, n| n))
    }
    /// Rows that could not be read: source, row, column, message.
    fn rejects(&self, py: Python<'_>) -> Result<Table> {
        Ok(table(py.detach(|| {
            self.inner.with_counts(|r, _| card::rejects_table(r))
        })?))
    }
    /// The records as a list of dicts (canonical field names).
    fn to_pylist<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>> {
        let v = py.detach(|| self.inner.rows_json())?;
        Ok(pyjson::to_py(py, &v, None)?)
    }
    fn __repr__(&self) -> String {
        if let AnyRecords::Dossiers(d) = &self.inner {
            if let (false, Some(f)) = (d.is_converted(), d.file()) {
                let rows = f
                    .num_rows()
                    .map(|n| format!("{n} rows, "))
                    .unwrap_or_default();
                return format!(
                    "chiso.Records(dossiers: {}{} bytes of {}, converted to records on demand)",
                    rows,
                    f.size(),
                    f.path().display()
                );
            }
        }
        let (read, rejected) = self
            .inner
            .with_counts(|r, n| (n, r.len()))
            .unwrap_or_default();
        format!(
            "chiso.Records({}: {} read, {} rejected)",
            self.inner.name(),
            read,
            rejected
        )
    }
}

/// A scored period: every unit's total, groups and indicators, explained, with the dossiers
/// behind them.
#[pyclass(frozen, module = "chiso._chiso", name = "Scorecard")]
pub struct PyScorecard {
    state: Arc<State>,
}

fn table(batch: arrow::record_batch::RecordBatch) -> Table {
    Table::new(batch)
}

#[pymethods]
impl PyScorecard {
    /// Total points of a unit (the root unit when `unit` is None).
    #[pyo3(signature = (unit=None))]
    fn total(&self, unit: Option<&str>) -> Result<f64> {
        Ok(self.state.unit(unit)?.total)
    }

    /// One row per unit: rank, total and the points of every group.
    fn table(&self) -> Table {
        table(self.state.table())
    }

    /// Group points per unit (all units when `unit` is None).
    #[pyo3(signature = (unit=None))]
    fn groups(&self, unit: Option<&str>) -> Result<Table> {
        Ok(table(self.state.groups(unit)?))
    }

    /// Every indicator with numerator, denominator, ratio, points, maximum, points lost, rule
    /// status and notes (all units when `unit` is None).
    #[pyo3(signature = (unit=None))]
    fn indicators(&self, unit: Option<&str>) -> Result<Table> {
        Ok(table(self.state.indicators(unit)?))
    }

    /// Units ranked by total: the portal's list, or one kind (`"commune"`, `"department"`, …).
    #[pyo3(signature = (kind=None, policy="portal"))]
    fn ranking(&self, kind: Option<&str>, policy: &str) -> Result<Table> {
        Ok(table(self.state.ranking(kind, policy)?))
    }

    /// The dossiers behind a number, classified as when scoring.
    #[pyo3(signature = (status="overdue", unit=None, risk_days=2))]
    fn dossiers(
        &self,
        py: Python<'_>,
        status: &str,
        unit: Option<&str>,
        risk_days: u32,
    ) -> Result<Table> {
        let filter = Filter::parse(status, risk_days)?;
        let state = self.state.clone();
        let unit = unit.map(str::to_string);
        let batch = py.detach(move || state.dossiers(filter, unit.as_deref()))?;
        Ok(table(batch))
    }

    /// Rows that could not be read: source, row, column, message.
    fn rejects(&self) -> Table {
        table(self.state.rejects_table())
    }

    /// The planner for a unit (the root by default): points lost per indicator; for each target
    /// (`"directive"`, `"rules"`, a dict of indicator id → ratio, or a TOML file with a
    /// `[targets]` table) the changes needed and the points they gain, measured by re-scoring;
    /// and a what-if (`["pay_online=500", "clear_overdue"]`) compared group by group.
    #[pyo3(signature = (unit=None, targets=None, what_if=None))]
    fn plan<'py>(
        &self,
        py: Python<'py>,
        unit: Option<&str>,
        targets: Option<&Bound<'py, PyAny>>,
        what_if: Option<Vec<String>>,
    ) -> Result<Bound<'py, PyDict>> {
        let targets = targets_arg(targets)?;
        let state = self.state.clone();
        let unit_owned = unit.map(str::to_string);
        let what_if = what_if.unwrap_or_default();
        let p = py.detach(move || state.plan(unit_owned.as_deref(), &targets, &what_if))?;
        let d = PyDict::new(py);
        d.set_item("total", p.total)?;
        d.set_item("losses", table(p.losses))?;
        d.set_item("steps", table(p.steps))?;
        d.set_item("what_if", p.what_if.map(table))?;
        Ok(d)
    }

    /// Open dossiers overdue at the evaluation time and those due within `within` working days,
    /// oldest first, with the official holding them (from the process log).
    #[pyo3(signature = (within=3))]
    fn overdue(&self, py: Python<'_>, within: u32) -> Result<Table> {
        let state = self.state.clone();
        Ok(table(py.detach(move || state.overdue(within))?))
    }

    /// Per-official figures from the process log: (officials, unit totals they add up to).
    fn officials(&self, py: Python<'_>) -> Result<(Table, Table)> {
        let state = self.state.clone();
        let (o, u) = py.detach(move || state.officials())?;
        Ok((table(o), table(u)))
    }

    /// The data-quality report: counts per unit and rule with sample dossier ids.
    fn check(&self, py: Python<'_>) -> Result<Table> {
        let state = self.state.clone();
        Ok(table(py.detach(move || state.check())?))
    }

    /// Reconciles this run's dossiers with another source: other dossiers (any table, or
    /// `chiso.read` records), or reported counts (a list of dicts with unit_code, received,
    /// resolved).
    fn reconcile(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> Result<Table> {
        let counts: Option<Vec<chiso::toolkit::reconcile::ReportedCount>> =
            match other.cast::<PyList>() {
                Ok(list) if list.len() > 0 => {
                    let first = list.get_item(0)?;
                    let is_counts = first.cast::<PyDict>().is_ok_and(|d| {
                        d.contains("received").unwrap_or(false)
                            && !d.contains("dossier_id").unwrap_or(false)
                    });
                    if is_counts {
                        let v = pyjson::to_json(list.as_any())
                            .map_err(|e| Error::input(format!("reported counts: {e}")))?;
                        Some(
                            serde_json::from_value(v)
                                .map_err(|e| Error::input(format!("reported counts: {e}")))?,
                        )
                    } else {
                        None
                    }
                }
                _ => None,
            };
        let state = self.state.clone();
        match counts {
            Some(c) => {
                Ok(table(py.detach(move || {
                    state.reconcile(toolkit::Other::Counts(&c))
                })?))
            }
            None => {
                let other = input::gather_dossiers(other)?;
                Ok(table(py.detach(move || {
                    let d = other.records()?;
                    state.reconcile(toolkit::Other::Dossiers(&d.rows))
                })?))
            }
        }
    }

    /// Unit codes, in tree order.
    #[getter]
    fn units(&self) -> Vec<String> {
        self.state
            .card
            .units
            .iter()
            .map(|u| u.unit.clone())
            .collect()
    }

    /// Code of the root unit (the first unit without a parent).
    #[getter]
    fn root(&self) -> Option<String> {
        self.state.root().map(|u| u.unit.clone())
    }

    /// What the scorecard was computed with: profile, period, evaluation time, options, calendar.
    #[getter]
    fn meta<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let v = serde_json::to_value(&self.state.card.meta)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
        pyjson::to_py(py, &v, None)
    }

    /// `read = scored + excluded + rejected`, with the reasons of exclusion; `reader`: how the
    /// dossiers were tallied (`"columnar"`: the fast path over Arrow data, `"rows"`: records),
    /// `reader_note`: why Arrow data needed the row path.
    #[getter]
    fn accounting<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let s = &self.state;
        let v = serde_json::json!({
            "read": s.read,
            "scored": s.accounting.scored,
            "excluded": s.accounting.excluded_total(),
            "rejected": s.rejects.len(),
            "excluded_by_reason": s.accounting.excluded,
            "reader": s.reader.name(),
            "reader_note": s.reader.note(),
        });
        pyjson::to_py(py, &v, None)
    }

    /// A unit's full scorecard as plain Python data.
    #[pyo3(signature = (unit=None))]
    fn unit<'py>(&self, py: Python<'py>, unit: Option<&str>) -> Result<Bound<'py, PyAny>> {
        let u = self.state.unit(unit)?;
        let v = serde_json::to_value(u).map_err(|e| Error::input(e.to_string()))?;
        Ok(pyjson::to_py(py, &v, None)?)
    }

    /// The whole scorecard, accounting and rejects as JSON text.
    fn to_json(&self) -> String {
        self.state.to_json()
    }

    fn __repr__(&self) -> String {
        let s = &self.state;
        let m = &s.card.meta;
        let root = s
            .root()
            .map(|u| format!("{} {:.2}/{:.0}", u.unit, chiso::round2(u.total), u.max))
            .unwrap_or_else(|| "no units".into());
        format!(
            "chiso.Scorecard(period {}, {} units, {} dossiers scored; {})",
            m.period,
            s.card.units.len(),
            s.accounting.scored,
            root
        )
    }
}

#[pymodule]
mod _chiso {
    use super::*;

    #[pymodule_export]
    use super::table::Table;
    #[pymodule_export]
    use super::PyProfile;
    #[pymodule_export]
    use super::PyRecords;
    #[pymodule_export]
    use super::PyScorecard;

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
        let strict = match errors {
            "reject" => false,
            "raise" => true,
            other => {
                return Err(Error::at(
                    format!("errors must be \"reject\" or \"raise\", not {other:?}"),
                    None,
                    Some("errors"),
                ))
            }
        };
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
            if let Some(r) = state.rejects.first() {
                return Err(Error::Input {
                    message: format!(
                        "{} row {}: {} ({} rows rejected in all)",
                        r.file,
                        r.row,
                        r.message,
                        state.rejects.len()
                    ),
                    row: Some(r.row),
                    column: r.column.clone(),
                    path: None,
                });
            }
        }
        Ok(PyScorecard {
            state: Arc::new(state),
        })
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
            let captures = chiso_io::portal::read_captures(&path)?;
            let report = chiso_io::conformance::check(&captures, &profile, &profile.options);
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
        let kind = chiso_io::columns::RecordKind::from_name(kind).ok_or_else(|| {
            Error::at(
                format!("unknown record kind {kind:?} (dossier, procedure, unit, petition)"),
                None,
                Some("kind"),
            )
        })?;
        py.detach(move || {
            let map = match &columns {
                Some(p) => chiso_io::columns::ColumnMap::from_toml(p)?,
                None => input::column_map().clone(),
            };
            let mut progress = |_: usize| {};
            use chiso_io::columns::RecordKind as K;
            use chiso_io::readers::read_records as rr;
            let inner = match kind {
                K::Dossier => AnyRecords::Dossiers(Arc::new(
                    match chiso_io::py_fast::DossierFile::read(&path, &map)? {
                        Some(file) => dossiers::Dossiers::from_file(file, map),
                        None => dossiers::Dossiers::from_records(rr(&path, &map, &mut progress)?),
                    },
                )),
                K::Procedure => AnyRecords::Procedures(rr(&path, &map, &mut progress)?),
                K::Unit => AnyRecords::Units(rr(&path, &map, &mut progress)?),
                K::Petition => AnyRecords::Petitions(rr(&path, &map, &mut progress)?),
            };
            Ok(PyRecords { inner })
        })
    }

    /// A seeded synthetic district: units, procedures, dossiers and petitions as lists of dicts.
    #[pyfunction]
    #[pyo3(signature = (n=40_000, seed=7))]
    fn generate<'py>(py: Python<'py>, n: usize, seed: u64) -> Result<Bound<'py, PyDict>> {
        let mut spec = chiso_io::sample::SampleSpec::district(seed);
        spec.dossiers = n;
        let (sample, spec) = py.detach(move || (chiso_io::sample::generate(&spec), spec));
        let out = PyDict::new(py);
        let put = |key: &str, v: serde_json::Result<serde_json::Value>| -> Result<()> {
            let v = v.map_err(|e| Error::input(e.to_string()))?;
            out.set_item(key, pyjson::to_py(py, &v, None)?)?;
            Ok(())
        };
        put("units", serde_json::to_value(&sample.units))?;
        put("procedures", serde_json::to_value(&sample.procedures))?;
        put("dossiers", serde_json::to_value(&sample.dossiers))?;
        put("petitions", serde_json::to_value(&sample.petitions))?;
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
