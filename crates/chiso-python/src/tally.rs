//! `chiso.Tally`: a tally as a Python value — built from dossiers (`chiso.tally`), added to
//! another (`merge`), carried as bytes or a pickle, and scored (`chiso.score_tally`). What lets
//! Spark executors (or any processes) each tally a share of the dossiers and send only that.

use crate::card::{self, State};
use crate::dossiers::{Dossiers, Reader};
use crate::errors::{Error, Result};
use crate::input::Pending;
use chiso::tally_bytes::RejectedRow;
use chiso::{Options, Period, PortableTally, Procedure, Profile, TallyContext};
use chiso_io::read::records::{Reject, SUPERSEDED_REASON};
use chrono::NaiveDateTime;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyTuple};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Context keys: what a tally was built with. Tallies merge only when all are equal.
const PERIOD: &str = "period";
const AS_OF: &str = "as_of";
const OPTIONS: &str = "options";
const CALENDAR: &str = "calendar";
const PROFILE: &str = "profile";
const MOMENT: &str = "%Y-%m-%dT%H:%M:%S%.f";

/// Additive counters of some dossiers with their accounting and the settings they were
/// classified with. `a.merge(b)` adds two; `bytes(t)` / `Tally.from_bytes(b)` and pickling carry
/// one between processes; `chiso.score_tally(t, …)` scores it.
///
/// >>> import chiso
/// >>> chiso.tally(chiso.generate(300, seed=1).dossiers, period="2026", as_of="2026-11-20T16:00")
/// chiso.Tally(period 2026, 265 cells, 298 scored, 2 excluded, 0 rejected)
#[pyclass(frozen, module = "chiso._chiso", name = "Tally")]
pub struct PyTally {
    pub inner: PortableTally,
}

/// Everything `chiso.tally` needs, gathered while holding the GIL.
pub struct TallyRequest {
    pub dossiers: Arc<Dossiers>,
    pub procedures: Option<Pending<Procedure>>,
    pub period: Option<Period>,
    pub as_of: Option<NaiveDateTime>,
    pub profile: Profile,
    pub options: Options,
    pub calendar: &'static chiso_calendar::Calendar,
    pub calendar_name: &'static str,
}

/// Tallies dossiers as `chiso.score` would (columnar path for Arrow data it can take, else the
/// row path with rejects and superseded duplicates), without scoring.
pub fn build(req: TallyRequest) -> Result<PortableTally> {
    let procedures = req.procedures.map(Pending::resolve).unwrap_or_default();
    let (period, as_of) = card::settle(req.period, req.as_of)?;
    let ctx = TallyContext::new(
        period.clone(),
        as_of,
        req.options,
        req.profile.limits,
        req.calendar,
        &procedures.rows,
    );
    let routed = req.dossiers.tally(&ctx)?;
    let mut tally = routed.tally;
    if let Some(codes) = &routed.unit_codes {
        tally.keep_units(codes.iter().map(String::as_str), &period);
    }
    let mut accounting = routed.accounting;
    let mut rejects = Vec::new();
    if matches!(routed.reader, crate::dossiers::Reader::Rows(_)) {
        // The tally is the route's; rejects and superseded rows come from the records it read.
        let r = req.dossiers.records()?;
        if !r.superseded.is_empty() {
            accounting
                .excluded
                .insert(SUPERSEDED_REASON.to_string(), r.superseded.len() as u64);
        }
        rejects = r.rejects.iter().map(rejected_row).collect();
    }
    let mut out = PortableTally::new(tally, accounting);
    out.rejects = rejects;
    out.context = BTreeMap::from([
        (PERIOD.to_string(), period.to_string()),
        (AS_OF.to_string(), as_of.format(MOMENT).to_string()),
        (
            OPTIONS.to_string(),
            serde_json::to_string(&req.options).map_err(|e| Error::input(e.to_string()))?,
        ),
        (CALENDAR.to_string(), req.calendar_name.to_string()),
        (
            PROFILE.to_string(),
            format!(
                "{}@{}",
                req.profile.profile.name, req.profile.profile.version
            ),
        ),
    ]);
    Ok(out)
}

fn rejected_row(r: &Reject) -> RejectedRow {
    RejectedRow {
        file: r.file.clone(),
        row: r.row as u64,
        column: r.column.clone(),
        message: r.message.clone(),
    }
}

fn reject(r: &RejectedRow) -> Reject {
    Reject {
        file: r.file.clone(),
        row: usize::try_from(r.row).unwrap_or(usize::MAX),
        column: r.column.clone(),
        message: r.message.clone(),
    }
}

/// Everything `chiso.score_tally` needs besides the tally.
pub struct ScoreRequest {
    pub units: Option<Pending<chiso::Unit>>,
    pub procedures: Option<Pending<Procedure>>,
    pub petitions: Option<Pending<chiso::Petition>>,
    pub profile: Profile,
}

impl PyTally {
    fn setting(&self, key: &str) -> Result<&str> {
        self.inner
            .context
            .get(key)
            .map(String::as_str)
            .ok_or_else(|| Error::input(format!("the tally does not say its {key}")))
    }

    /// Scores the tally (petitions tallied here) into the state behind a `Scorecard`.
    pub fn score(&self, req: ScoreRequest) -> Result<State> {
        let period: Period = self.setting(PERIOD)?.parse()?;
        let as_of = chiso::period::parse_moment(self.setting(AS_OF)?)?;
        let options: Options = serde_json::from_str(self.setting(OPTIONS)?)
            .map_err(|e| Error::input(format!("the tally's options: {e}")))?;
        let calendar = crate::args::calendar(self.setting(CALENDAR)?)?;
        let procedures = req.procedures.map(Pending::resolve).unwrap_or_default();
        let units = req.units.map(Pending::resolve);
        let petitions = req.petitions.map(Pending::resolve).unwrap_or_default();
        let run = chiso::pipeline::run_tally(
            self.inner.tally.clone(),
            self.inner.accounting.clone(),
            &procedures.rows,
            units.as_ref().map(|u| u.rows.as_slice()),
            &petitions.rows,
            period.clone(),
            as_of,
            &req.profile,
            options,
            calendar,
        )?;
        let mut rejects: Vec<Reject> = self.inner.rejects.iter().map(reject).collect();
        rejects.extend(procedures.rejects);
        if let Some(u) = &units {
            rejects.extend(u.rejects.iter().cloned());
        }
        rejects.extend(petitions.rejects);
        Ok(State::from_run(
            run,
            rejects,
            Arc::new(Dossiers::from_records(Default::default())),
            Reader::Tally,
            card::Settings {
                procedures: procedures.rows,
                petitions: petitions.rows,
                profile: req.profile,
                period,
                as_of,
                options,
                calendar,
            },
        ))
    }
}

#[pymethods]
impl PyTally {
    /// A tally from `bytes(tally)`; refuses other formats, versions and corrupt bytes.
    ///
    /// >>> import chiso
    /// >>> d = chiso.generate(300, seed=1).dossiers
    /// >>> t = chiso.tally(d, period="2026", as_of="2026-11-20T16:00")
    /// >>> chiso.Tally.from_bytes(bytes(t)).accounting == t.accounting
    /// True
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> Result<PyTally> {
        Ok(PyTally {
            inner: PortableTally::from_bytes(data).map_err(chiso::ChisoError::from)?,
        })
    }

    fn __bytes__<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.to_bytes())
    }

    /// The sum of this tally and another built with the same settings (neither is changed).
    ///
    /// >>> import chiso
    /// >>> d = chiso.generate(300, seed=1).dossiers
    /// >>> t = chiso.tally(d, period="2026", as_of="2026-11-20T16:00")
    /// >>> t.merge(t).accounting["scored"], t.accounting["scored"]
    /// (596, 298)
    fn merge(&self, py: Python<'_>, other: &PyTally) -> Result<PyTally> {
        let mut inner = self.inner.clone();
        py.detach(|| inner.merge(&other.inner))
            .map_err(chiso::ChisoError::from)?;
        Ok(PyTally { inner })
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let from_bytes = py.get_type::<PyTally>().getattr("from_bytes")?;
        let args = PyTuple::new(py, [slf.get().__bytes__(py)])?;
        PyTuple::new(py, [from_bytes.into_any(), args.into_any()])
    }

    /// The row number of each rejected row, in the order the rejects are kept (1-based, within
    /// the input the tally was built from).
    ///
    /// >>> import chiso
    /// >>> rows = [{"dossier_id": "A", "unit_code": "U", "received_at": "31/02/2026"},
    /// ...         {"dossier_id": "B", "unit_code": "U", "received_at": "02/03/2026"},
    /// ...         {"dossier_id": "C", "unit_code": "U", "received_at": "soon"}]
    /// >>> t = chiso.tally(rows, period="2026", as_of="2026-11-20T16:00")
    /// >>> t.reject_rows
    /// [1, 3]
    #[getter]
    fn reject_rows(&self) -> Vec<u64> {
        self.inner.rejects.iter().map(|r| r.row).collect()
    }

    /// This tally with its rejects' row numbers replaced, one new number per reject in the order
    /// of `reject_rows`, and the rejects then kept in row order: how a tally built from one part
    /// of a table (a Spark partition) names rows by their place in the whole table.
    ///
    /// >>> import chiso
    /// >>> rows = [{"dossier_id": "A", "unit_code": "U", "received_at": "31/02/2026"},
    /// ...         {"dossier_id": "B", "unit_code": "U", "received_at": "02/03/2026"},
    /// ...         {"dossier_id": "C", "unit_code": "U", "received_at": "soon"}]
    /// >>> t = chiso.tally(rows, period="2026", as_of="2026-11-20T16:00")
    /// >>> t.with_reject_rows([103, 101]).reject_rows, t.reject_rows
    /// ([101, 103], [1, 3])
    fn with_reject_rows(&self, rows: Vec<u64>) -> Result<PyTally> {
        if rows.len() != self.inner.rejects.len() {
            return Err(Error::at(
                format!(
                    "{} row numbers for {} rejects",
                    rows.len(),
                    self.inner.rejects.len()
                ),
                None,
                Some("rows"),
            ));
        }
        let mut inner = self.inner.clone();
        for (r, row) in inner.rejects.iter_mut().zip(rows) {
            r.row = row;
        }
        inner.rejects.sort_by_key(|r| r.row);
        Ok(PyTally { inner })
    }

    /// `read = scored + excluded + rejected`, with the reasons of exclusion.
    ///
    /// >>> import chiso
    /// >>> d = chiso.generate(300, seed=1).dossiers
    /// >>> t = chiso.tally(d, period="2026", as_of="2026-11-20T16:00")
    /// >>> t.accounting["read"], t.accounting["scored"], t.accounting["excluded"]
    /// (300, 298, 2)
    #[getter]
    fn accounting<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let a = &self.inner.accounting;
        let rejected = self.inner.rejects.len() as u64;
        let v = serde_json::json!({
            "read": a.scored + a.excluded_total() + rejected,
            "scored": a.scored,
            "excluded": a.excluded_total(),
            "rejected": rejected,
            "excluded_by_reason": a.excluded,
        });
        crate::pyjson::to_py(py, &v, None)
    }

    /// What the tally was built with: period, as_of, options, calendar, profile.
    ///
    /// >>> import chiso
    /// >>> d = chiso.generate(300, seed=1).dossiers
    /// >>> t = chiso.tally(d, period="2026", as_of="2026-11-20T16:00")
    /// >>> t.context["period"], t.context["as_of"], t.context["profile"]
    /// ('2026', '2026-11-20T16:00:00', 'portal-2026@2026.09.1')
    #[getter]
    fn context(&self) -> BTreeMap<String, String> {
        self.inner.context.clone()
    }

    /// Number of (unit, procedure) cells.
    fn __len__(&self) -> usize {
        self.inner.tally.len()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyTally>()
            .is_ok_and(|o| o.get().inner == self.inner)
    }

    fn __repr__(&self) -> String {
        let a = &self.inner.accounting;
        format!(
            "chiso.Tally(period {}, {} cells, {} scored, {} excluded, {} rejected)",
            self.inner.context.get(PERIOD).map_or("?", String::as_str),
            self.inner.tally.len(),
            a.scored,
            a.excluded_total(),
            self.inner.rejects.len()
        )
    }
}
