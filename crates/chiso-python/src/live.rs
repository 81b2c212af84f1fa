//! `chiso.Scoreboard`: the live scoreboard ([`chiso::live`]) from Python — upsert tables of sync
//! records, move the clock, read the scorecard, what changed and what is at risk; save and load
//! its snapshot (written atomically by `chiso_io::live`).

use crate::args::{errors_arg, moment, options_arg, profile_arg};
use crate::card::{now_vietnam, State};
use crate::dossiers::{Dossiers, Reader};
use crate::errors::{Error, Result};
use crate::input;
use crate::scorecard::PyScorecard;
use crate::table::{Builder, Push, Table};
use chiso::live::{Change, Config, LiveError, Scoreboard, SharedCalendar};
use chiso::{Accounting, Period, Petition, Procedure, Unit};
use chiso_io::live::upsert_batches;
use chiso_io::read::records::Reject;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::sync::Arc;

fn live(e: LiveError) -> Error {
    Error::input(e.to_string())
}

/// The index in real time: sync records stream in, the clock moves, the scorecard is always
/// current — the same as `chiso.score` of the latest records at the same moment.
#[pyclass(module = "chiso._chiso", name = "Scoreboard")]
pub struct PyScoreboard {
    /// Shared with the scorecards made from it (their drill-downs read its records); a change
    /// while one is alive copies the state first (`Arc::make_mut`).
    inner: Arc<Scoreboard>,
    calendar: &'static chiso_calendar::Calendar,
    /// Rows set aside by `upsert` since the last `rejects()` (not part of the snapshot).
    rejects: Vec<Reject>,
}

fn periods_arg(obj: Option<&Bound<'_, PyAny>>) -> Result<Vec<Period>> {
    let Some(o) = obj.filter(|o| !o.is_none()) else {
        return Ok(Vec::new());
    };
    if let Ok(s) = o.extract::<String>() {
        return Ok(vec![s.parse()?]);
    }
    let labels: Vec<String> = o.extract().map_err(|_| {
        Error::at(
            "period: expected a period label or a list of them",
            None,
            Some("period"),
        )
    })?;
    Ok(labels.iter().map(|l| l.parse()).collect::<Result<_, _>>()?)
}

impl PyScoreboard {
    /// The scorecard of a period, its drill-downs on the board's latest records.
    fn card(&self, board: &Arc<Scoreboard>, period: Option<&str>) -> Result<PyScorecard> {
        let period: Period = match period {
            Some(p) => p.parse()?,
            None => board
                .periods()
                .into_iter()
                .next()
                .ok_or_else(|| Error::input("the scoreboard tracks no period"))?,
        };
        let card = board.scorecard(&period).map_err(live)?;
        let c = board.config();
        let state = State {
            card,
            tree: board.tree().map_err(live)?,
            accounting: Accounting {
                scored: board.len() as u64,
                ..Accounting::default()
            },
            rejects: Vec::new(),
            dossiers: Arc::new(Dossiers::from_live(board.clone())),
            reader: Reader::Rows(Some("live scoreboard".into())),
            procedures: c.procedures.clone(),
            petitions: c.petitions.clone(),
            profile: c.profile.clone(),
            period,
            as_of: board.now(),
            options: c.options,
            calendar: self.calendar,
            read: board.len() as u64,
        };
        Ok(PyScorecard {
            state: Arc::new(state),
        })
    }
}

fn changes_table(changes: &[Change]) -> Table {
    let mut b = Builder::new(&[
        ("period", "str"),
        ("unit", "str"),
        ("indicator", "str"),
        ("numerator_before", "f64"),
        ("denominator_before", "f64"),
        ("points_before", "f64"),
        ("numerator_after", "f64"),
        ("denominator_after", "f64"),
        ("points_after", "f64"),
        ("points_delta", "f64"),
        ("dossiers", "str"),
        ("more_dossiers", "u64"),
    ]);
    for c in changes {
        b.col(0).push(c.period.label().as_str());
        b.col(1).push(c.unit.as_str());
        b.col(2).push(c.indicator.as_str());
        b.col(3).push(c.before.map(|f| f.numerator));
        b.col(4).push(c.before.map(|f| f.denominator));
        b.col(5).push(c.before.map(|f| f.points));
        b.col(6).push(c.after.map(|f| f.numerator));
        b.col(7).push(c.after.map(|f| f.denominator));
        b.col(8).push(c.after.map(|f| f.points));
        b.col(9).push(c.points_delta());
        let moved: Vec<String> = c
            .dossiers
            .iter()
            .map(|m| format!("{} {}", m.dossier_id, m.describe()))
            .collect();
        b.col(10).push(moved.join("; ").as_str());
        b.col(11).push(c.more);
    }
    Table::new(b.finish())
}

/// `Scoreboard(...)`'s work; a test-only hook (`CHISO_TEST_PANIC=1` and the calendar name
/// `__panic_for_tests__`) panics here, to check that the constructor's panic is caught.
#[allow(clippy::too_many_arguments)]
fn build_scoreboard(
    period: Option<&Bound<'_, PyAny>>,
    procedures: Option<&Bound<'_, PyAny>>,
    units: Option<&Bound<'_, PyAny>>,
    petitions: Option<&Bound<'_, PyAny>>,
    profile: Option<&Bound<'_, PyAny>>,
    options: Option<&Bound<'_, PyAny>>,
    as_of: Option<&Bound<'_, PyAny>>,
    calendar: &str,
) -> Result<PyScoreboard> {
    if calendar == "__panic_for_tests__" && std::env::var("CHISO_TEST_PANIC").as_deref() == Ok("1")
    {
        panic!("a panic in the constructor, for tests");
    }
    let profile = profile_arg(profile)?;
    let mut config = Config::new(profile.clone());
    config.options = options_arg(profile.options, options)?;
    config.periods = periods_arg(period)?;
    config.procedures = input::gather_opt::<Procedure>(procedures)?
        .map(|p| p.resolve().rows)
        .unwrap_or_default();
    config.units = input::gather_opt::<Unit>(units)?.map(|p| p.resolve().rows);
    config.petitions = input::gather_opt::<Petition>(petitions)?
        .map(|p| p.resolve().rows)
        .unwrap_or_default();
    let now = match as_of.filter(|o| !o.is_none()) {
        Some(o) => moment(o, "as_of")?,
        None => now_vietnam(),
    };
    let cal = super::args::calendar(calendar)?;
    let shared: SharedCalendar = Arc::new(cal.clone());
    Ok(PyScoreboard {
        inner: Arc::new(Scoreboard::new(config, shared, now).map_err(live)?),
        calendar: cal,
        rejects: Vec::new(),
    })
}

#[pymethods]
impl PyScoreboard {
    #[new]
    #[pyo3(signature = (*, period=None, procedures=None, units=None, petitions=None, profile=None, options=None, as_of=None, calendar="vietnam"))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        period: Option<&Bound<'_, PyAny>>,
        procedures: Option<&Bound<'_, PyAny>>,
        units: Option<&Bound<'_, PyAny>>,
        petitions: Option<&Bound<'_, PyAny>>,
        profile: Option<&Bound<'_, PyAny>>,
        options: Option<&Bound<'_, PyAny>>,
        as_of: Option<&Bound<'_, PyAny>>,
        calendar: &str,
    ) -> Result<Self> {
        // The Python guard cannot wrap a constructor (CPython refuses a replaced `__new__`), so
        // a panic is caught here.
        crate::errors::no_panic("Scoreboard.__new__", || {
            build_scoreboard(
                period, procedures, units, petitions, profile, options, as_of, calendar,
            )
        })
    }

    /// Applies sync records (any table `chiso.score` accepts): each row is a dossier's full
    /// current state; of two with one id the later `synced_at` wins. Returns what happened.
    /// A row that cannot be read is set aside (`errors="reject"`, counted as `rejected`, listed
    /// by `rejects()`), or raises `InputError` with nothing applied (`errors="raise"`).
    #[pyo3(signature = (table, errors="reject"))]
    fn upsert<'py>(
        &mut self,
        py: Python<'py>,
        table: &Bound<'py, PyAny>,
        errors: &str,
    ) -> Result<Bound<'py, PyDict>> {
        let strict = errors_arg(errors)?;
        let dossiers = input::gather_dossiers(table)?;
        let inner = Arc::make_mut(&mut self.inner);
        let (done, rejects, superseded, reader) = py.detach(move || -> Result<_> {
            // Arrow data: from its columns, no record per row; the records when the columnar
            // reader steps aside (nothing applied then).
            if let Some((batches, map)) = dossiers.batches() {
                if let Ok(done) = upsert_batches(inner, batches, map).map_err(live)? {
                    return Ok((done, Vec::new(), 0, "columnar"));
                }
            }
            let r = dossiers.records()?;
            if strict {
                if let Some(e) = Error::first_reject(&r.rejects, "; nothing applied") {
                    return Err(e);
                }
            }
            let synced = |i: usize| r.synced.get(i).copied().flatten();
            let done = inner
                .upsert_dossiers(r.rows.iter().enumerate().map(|(i, d)| (d, synced(i))))
                .map_err(live)?;
            Ok((done, r.rejects.clone(), r.superseded.len(), "rows"))
        })?;
        let d = PyDict::new(py);
        d.set_item("added", done.added)?;
        d.set_item("replaced", done.replaced)?;
        // An older sync of an id superseded inside the table is stale like one already applied.
        d.set_item("stale", done.stale + superseded as u64)?;
        d.set_item("unchanged", done.unchanged)?;
        d.set_item("rejected", rejects.len())?;
        d.set_item("reader", reader)?;
        self.rejects.extend(rejects);
        Ok(d)
    }

    /// The rows `upsert` set aside since the last call: source, row, column, message.
    fn rejects(&mut self) -> Table {
        Table::new(crate::table::rejects_table(&std::mem::take(
            &mut self.rejects,
        )))
    }

    /// Stops tracking a dossier; False when it was not tracked.
    fn remove(&mut self, dossier_id: &str) -> bool {
        Arc::make_mut(&mut self.inner).remove(dossier_id)
    }

    /// Moves the clock forward (a datetime, a date or ISO text, Vietnam time).
    fn advance(&mut self, py: Python<'_>, now: &Bound<'_, PyAny>) -> Result<()> {
        let now = moment(now, "now")?;
        let inner = Arc::make_mut(&mut self.inner);
        py.detach(move || inner.advance(now)).map_err(live)
    }

    /// The evaluation clock.
    #[getter]
    fn now(&self) -> chrono::NaiveDateTime {
        self.inner.now()
    }

    /// The tracked periods' labels.
    #[getter]
    fn periods(&self) -> Vec<String> {
        self.inner.periods().iter().map(Period::label).collect()
    }

    /// The scorecard of a tracked period (the first one when None) at the clock.
    #[pyo3(signature = (period=None))]
    fn scorecard(&self, period: Option<&str>) -> Result<PyScorecard> {
        self.card(&self.inner, period)
    }

    /// What moved since the last call: one row per unit, period and indicator, before → after,
    /// with the dossiers that moved it.
    fn changes(&mut self) -> Result<Table> {
        let inner = Arc::make_mut(&mut self.inner);
        Ok(changes_table(&inner.changes().map_err(live)?))
    }

    /// The scorecard at a future moment if nothing more arrives (open dossiers turn overdue).
    #[pyo3(signature = (at, period=None))]
    fn project(
        &self,
        py: Python<'_>,
        at: &Bound<'_, PyAny>,
        period: Option<&str>,
    ) -> Result<PyScorecard> {
        let at = moment(at, "at")?;
        let mut ahead = (*self.inner).clone();
        py.detach(|| ahead.advance(at)).map_err(live)?;
        self.card(&Arc::new(ahead), period)
    }

    /// What would move by `at` if nothing more arrives: the points at risk, with the dossiers
    /// that will cost them and when.
    fn at_risk(&self, py: Python<'_>, at: &Bound<'_, PyAny>) -> Result<Table> {
        let at = moment(at, "at")?;
        let p = py.detach(|| self.inner.project(at)).map_err(live)?;
        Ok(changes_table(&p.changes))
    }

    /// Saves the snapshot (atomically: a temp file renamed over the old one).
    fn save(&self, path: std::path::PathBuf) -> Result<()> {
        Ok(chiso_io::live::save(&path, &self.inner)?)
    }

    /// A scoreboard from its snapshot; a truncated, foreign or corrupted file is refused.
    #[staticmethod]
    #[pyo3(signature = (path, calendar="vietnam"))]
    fn load(path: std::path::PathBuf, calendar: &str) -> Result<Self> {
        let cal = super::args::calendar(calendar)?;
        let shared: SharedCalendar = Arc::new(cal.clone());
        Ok(Self {
            inner: Arc::new(chiso_io::live::load(&path, shared)?),
            calendar: cal,
            rejects: Vec::new(),
        })
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "Scoreboard({} dossiers, now {}, periods {})",
            self.inner.len(),
            self.inner.now().format("%Y-%m-%d %H:%M"),
            self.periods().join(", ")
        )
    }
}
