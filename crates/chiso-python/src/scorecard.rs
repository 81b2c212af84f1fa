//! `chiso.Scorecard`: a scored period seen from Python, with its tables and drill-downs.

use crate::args::targets_arg;
use crate::card::{Filter, State};
use crate::errors::{Error, Result};
use crate::pyjson;
use crate::table::Table;
use crate::{input, report, toolkit};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use std::path::PathBuf;
use std::sync::Arc;

/// A scored period: every unit's total, groups and indicators, explained, with the dossiers
/// behind them.
#[pyclass(frozen, module = "chiso._chiso", name = "Scorecard")]
pub struct PyScorecard {
    pub(crate) state: Arc<State>,
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

    /// The HTML report of `chiso score --format html` (same writer): `lang` `"vi"` / `"en"`
    /// (None: from the environment), `unit` the unit shown in detail (default: the root).
    #[pyo3(signature = (lang=None, unit=None))]
    fn to_html(&self, lang: Option<&str>, unit: Option<&str>) -> Result<String> {
        report::html(&self.state, unit, report::lang(lang)?)
    }

    /// The compact notebook view (`_repr_html_`), from the same pieces as the HTML report.
    #[pyo3(signature = (lang=None, limit=30))]
    fn summary_html(&self, lang: Option<&str>, limit: usize) -> Result<String> {
        Ok(report::summary(&self.state, report::lang(lang)?, limit))
    }

    /// Writes the workbook of `chiso score --format xlsx` (same writer) to `path`.
    #[pyo3(signature = (path, lang=None))]
    fn write_excel(&self, py: Python<'_>, path: PathBuf, lang: Option<&str>) -> Result<()> {
        let lang = report::lang(lang)?;
        let state = self.state.clone();
        py.detach(move || report::excel(&state, &path, lang))
    }

    /// The CSV of `chiso score --format csv` (same writer): one row per unit and indicator.
    #[pyo3(signature = (lang=None))]
    fn to_csv(&self, lang: Option<&str>) -> Result<String> {
        Ok(report::csv(&self.state, report::lang(lang)?))
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
