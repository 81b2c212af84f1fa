//! Per-official figures from the process log: steps handled, steps late, dossiers whose
//! lateness started at the official's step, and median working days per step — per official,
//! unit and period. Fair: time the applicant spent on a supplement request is not the
//! official's. Explainable: every figure lists the dossiers behind it. Official identifiers are
//! whatever the input uses; nothing personal is added.

use crate::model::{Dossier, LogReader, Step, Wait};
use crate::tally::TallyContext;
use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
/// One official's figures in one unit.
pub struct OfficialFigures {
    /// The official's identifier, as the process log gives it.
    pub official: String,
    /// The unit the steps were handled in.
    pub unit_code: String,
    /// Steps handled (started by the evaluation time).
    pub steps: u64,
    /// Steps finished after their own deadline (applicant supplement time not counted).
    pub steps_late: u64,
    /// Dossiers (late or overdue) whose first late step was this official's.
    pub dossiers_made_late: u64,
    /// Median working days per finished step.
    pub median_working_days: Option<f64>,
    /// Dossier ids behind `steps_late` and `dossiers_made_late`.
    pub late_step_dossiers: Vec<String>,
    /// Dossier ids behind `dossiers_made_late`.
    pub made_late_dossiers: Vec<String>,
}

/// A unit's totals, which the officials' figures add up to.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UnitStepTotals {
    /// Unit code.
    pub unit_code: String,
    /// Steps handled in the unit.
    pub steps: u64,
    /// Of those, late.
    pub steps_late: u64,
    /// Late or overdue dossiers of the unit.
    pub late_dossiers: u64,
    /// Of those, dossiers with no late step to attribute (e.g. no process log).
    pub unattributed_late: u64,
}

/// A dossier whose process log could not be read: its steps are in no figure, and a late one
/// counts as unattributed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UnreadableLog {
    /// Dossier id.
    pub dossier_id: String,
    /// Unit code.
    pub unit_code: String,
    /// Why the log could not be read.
    pub error: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
/// Figures per official and per unit, for `chiso officials`.
pub struct OfficialsReport {
    /// Per (official, unit), sorted.
    pub officials: Vec<OfficialFigures>,
    /// Per unit, sorted.
    pub units: Vec<UnitStepTotals>,
    /// Dossiers counted in the period whose process log could not be read.
    pub unreadable_logs: Vec<UnreadableLog>,
}

/// Supplement time that overlaps a step.
fn supplement_overlap(waits: &[Wait], start: NaiveDateTime, end: NaiveDateTime) -> Duration {
    waits
        .iter()
        .map(|w| {
            let a = w.requested_at.max(start);
            let b = w.completed_at.unwrap_or(end).min(end);
            if b > a {
                b - a
            } else {
                Duration::zero()
            }
        })
        .fold(Duration::zero(), |acc, d| acc + d)
}

/// Whether a step is late at `t`, with supplement time taken off.
fn step_late(s: &Step, waits: &[Wait], t: NaiveDateTime) -> bool {
    let (Some(start), Some(due)) = (s.started_at, s.due_at) else {
        return false;
    };
    let end = s.ended_at.filter(|e| *e <= t).unwrap_or(t);
    end - supplement_overlap(waits, start, end) > due
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// Figures per official and per unit for the dossiers counted in the period; each process log
/// is read once, with `read_log`, and those that cannot be read are listed.
pub fn officials(
    dossiers: &[Dossier],
    ctx: &TallyContext<'_>,
    read_log: LogReader,
) -> OfficialsReport {
    let t = ctx.evaluated_at();
    let mut by: BTreeMap<(String, String), (OfficialFigures, Vec<f64>)> = BTreeMap::new();
    let mut units: BTreeMap<String, UnitStepTotals> = BTreeMap::new();
    let mut unreadable_logs = Vec::new();
    for d in dossiers {
        let Ok((_, j)) = ctx.classify(d) else {
            continue;
        };
        let unit = d.unit_code.trim().to_string();
        let ut = units.entry(unit.clone()).or_insert_with(|| UnitStepTotals {
            unit_code: unit.clone(),
            ..Default::default()
        });
        let dossier_late = j.progress.is_late();
        let log = match d.steps.steps(read_log) {
            Ok(log) => log,
            Err(error) => {
                unreadable_logs.push(UnreadableLog {
                    dossier_id: d.dossier_id.clone(),
                    unit_code: unit.clone(),
                    error,
                });
                Default::default()
            }
        };
        let mut steps: Vec<&Step> = log
            .iter()
            .filter(|s| s.started_at.is_none_or(|st| st <= t))
            .collect();
        steps.sort_by_key(|s| s.started_at);
        let mut attributed = false;
        for s in steps {
            let key = (
                s.handler.trim().to_string(),
                if s.unit_code.trim().is_empty() {
                    unit.clone()
                } else {
                    s.unit_code.trim().to_string()
                },
            );
            let (f, days) = by.entry(key.clone()).or_insert_with(|| {
                (
                    OfficialFigures {
                        official: key.0.clone(),
                        unit_code: key.1.clone(),
                        ..Default::default()
                    },
                    Vec::new(),
                )
            });
            f.steps += 1;
            ut.steps += 1;
            if let (Some(a), Some(b)) = (s.started_at, s.ended_at.filter(|e| *e <= t)) {
                let wd = ctx.calendar.working_days_between(a.date(), b.date()) as f64;
                days.push(wd.max(0.0));
            }
            if step_late(s, &d.supplements, t) {
                f.steps_late += 1;
                ut.steps_late += 1;
                f.late_step_dossiers.push(d.dossier_id.clone());
                if dossier_late && !attributed {
                    f.dossiers_made_late += 1;
                    f.made_late_dossiers.push(d.dossier_id.clone());
                    attributed = true;
                }
            }
        }
        if dossier_late {
            ut.late_dossiers += 1;
            ut.unattributed_late += u64::from(!attributed);
        }
    }
    OfficialsReport {
        officials: by
            .into_values()
            .map(|(mut f, days)| {
                f.median_working_days = median(days);
                f
            })
            .collect(),
        units: units.into_values().collect(),
        unreadable_logs,
    }
}
