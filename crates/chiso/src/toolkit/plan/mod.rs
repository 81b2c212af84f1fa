//! The planner: for a unit and period, the points lost per indicator; for each target, how many
//! dossiers (or procedures, or petitions) must change state to reach it and the points that
//! gains; a ranked list of actions by points gained per change; and what-if scenarios. Exact,
//! not estimated: every promise is measured by changing the records and scoring them again.

mod actions;
mod targets;
mod what_if;
pub use actions::*;
pub use targets::*;
pub use what_if::*;

use crate::classify::Scope;
use crate::error::{ChisoError, Result};
use crate::model::{Dossier, OnlineLevel, Petition, Procedure, UnitTree};
use crate::options::Options;
use crate::period::Period;
use crate::pipeline::{run, unit_tree, Records};
use crate::profile::Profile;
use crate::score::UnitScore;
use crate::tally::TallyContext;
use crate::workdays::WorkCalendar;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// The records and settings a plan is made from.
#[derive(Clone, Copy)]
pub struct PlanInput<'a> {
    /// The records to plan with.
    pub records: Records<'a>,
    /// The period scored.
    pub period: &'a Period,
    /// The evaluation moment.
    pub as_of: NaiveDateTime,
    /// The rule profile.
    pub profile: &'a Profile,
    /// Options in force.
    pub options: Options,
    /// Working days.
    pub calendar: &'a dyn WorkCalendar,
    /// The unit planned for (its whole subtree is pooled).
    pub unit: &'a str,
}

/// One step towards one target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanStep {
    /// Indicator id.
    pub indicator: String,
    /// Indicator name in English.
    pub name_en: String,
    /// What to change.
    pub action: Action,
    /// What a change is counted in (dossiers, petitions, procedures).
    pub change_unit: ChangeUnit,
    /// The target this step reaches for.
    pub target: Target,
    /// The indicator's ratio now; `None` when its denominator is empty.
    pub ratio_now: Option<f64>,
    /// The indicator's points now.
    pub points_now: f64,
    /// The indicator's maximum.
    pub max: f64,
    /// Changes needed to reach the target (capped by what can change).
    pub changes_needed: usize,
    /// Whether enough records can change to reach the target.
    pub reachable: bool,
    /// Points of this indicator after the changes.
    pub points_after: f64,
    /// Change of the unit's total after the changes (other indicators may move too).
    pub total_gain: f64,
    /// `total_gain` per change: how steps are ranked.
    pub gain_per_change: f64,
    /// The records changed (dossier ids, petition ids or procedure codes), oldest first.
    pub changed: Vec<String>,
}

/// A plan: where the points are lost, and the steps to each target ranked by gain per change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// The unit planned for.
    pub unit: String,
    /// Its total now.
    pub total: f64,
    /// Points lost per indicator id.
    pub losses: Vec<(String, f64)>,
    /// The steps, best gain per change first.
    pub steps: Vec<PlanStep>,
}

/// Records with some changed, owned.
#[derive(Clone, Debug, Default)]
struct Changed {
    dossiers: Vec<Dossier>,
    petitions: Vec<Petition>,
    procedures: Vec<Procedure>,
}

fn score_unit_of(input: &PlanInput<'_>, r: Records<'_>) -> Result<UnitScore> {
    let run = run(
        &r,
        input.period.clone(),
        input.as_of,
        input.profile,
        input.options,
        input.calendar,
    )?;
    run.scorecard
        .unit(input.unit)
        .cloned()
        .ok_or_else(|| ChisoError::UnknownUnit(input.unit.to_string()))
}

/// Units in the planned unit's subtree.
fn subtree_codes(input: &PlanInput<'_>) -> Result<HashSet<String>> {
    let tree = unit_tree(&input.records)?;
    let i = tree
        .index_of(input.unit)
        .ok_or_else(|| ChisoError::UnknownUnit(input.unit.to_string()))?;
    Ok(tree
        .subtree(i)
        .into_iter()
        .map(|j| tree.unit(j).code.clone())
        .collect())
}

/// Candidates for an action in the unit's subtree, oldest first: ids of dossiers, petitions or
/// procedures.
fn candidates(input: &PlanInput<'_>, action: Action, units: &HashSet<String>) -> Vec<String> {
    let ctx = TallyContext::new(
        input.period.clone(),
        input.as_of,
        input.options,
        input.profile.limits,
        input.calendar,
        input.records.procedures,
    );
    let in_unit = |code: &str| units.contains(code.trim());
    match action.change_unit() {
        ChangeUnit::Dossiers => {
            let mut v: Vec<(&Dossier, NaiveDateTime)> = input
                .records
                .dossiers
                .iter()
                .filter(|d| in_unit(&d.unit_code))
                .filter_map(|d| {
                    let (s, j) = ctx.classify(d).ok()?;
                    // A carried-over dossier counts in 2.1 only (§5.7).
                    let progress_action =
                        matches!(action, Action::ResolveOnTime | Action::ClearOverdue);
                    if s == Scope::CarriedOver && !progress_action {
                        return None;
                    }
                    let p = ctx.procedures.get(d.procedure_code.as_str()).copied();
                    action
                        .dossier_candidate(d, &j, p, &input.options)
                        .then(|| (d, d.received_at.unwrap_or_default()))
                })
                .collect();
            v.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.dossier_id.cmp(&b.0.dossier_id)));
            v.into_iter().map(|(d, _)| d.dossier_id.clone()).collect()
        }
        ChangeUnit::Petitions => {
            let t = ctx.evaluated_at();
            let mut v: Vec<&Petition> = input
                .records
                .petitions
                .iter()
                .filter(|p| in_unit(&p.unit_code))
                .filter(|p| {
                    let Some(r) = p
                        .received_at
                        .filter(|r| *r <= t && input.period.contains(*r))
                    else {
                        return false;
                    };
                    let j = crate::petition_rules::judge_petition(
                        p,
                        r,
                        t,
                        &input.profile.limits,
                        input.calendar,
                    );
                    match action {
                        Action::HandlePetitionOnTime => !j.on_time,
                        _ => !j.satisfied,
                    }
                })
                .collect();
            v.sort_by(|a, b| {
                a.received_at
                    .cmp(&b.received_at)
                    .then(a.petition_id.cmp(&b.petition_id))
            });
            v.into_iter().map(|p| p.petition_id.clone()).collect()
        }
        ChangeUnit::Procedures => procedure_candidates(input, action, units, &ctx),
    }
}

fn procedure_candidates(
    input: &PlanInput<'_>,
    action: Action,
    units: &HashSet<String>,
    ctx: &TallyContext<'_>,
) -> Vec<String> {
    // The scorer's set (INDICATORS.md §6.4): procedures the catalogue assigns to the subtree's
    // units, and only dossiers at a unit assigned their procedure.
    let tree = unit_tree(&input.records).unwrap_or_default();
    let implemented = |p: &Procedure| units.iter().any(|u| assigned(&tree, u, p));
    let scored: Vec<&Dossier> = input
        .records
        .dossiers
        .iter()
        .filter(|d| {
            units.contains(d.unit_code.trim())
                && matches!(ctx.classify(d), Ok((Scope::Received, _)))
        })
        .collect();
    let has = |p: &Procedure, f: &dyn Fn(&Dossier) -> bool| {
        scored.iter().any(|d| {
            d.procedure_code.trim() == p.procedure_code && assigned(&tree, &d.unit_code, p) && f(d)
        })
    };
    input
        .records
        .procedures
        .iter()
        .filter(|p| implemented(p))
        .filter(|p| match action {
            Action::OfferOnline => p.online_level == OnlineLevel::None,
            // 3.5b: paid online whatever the dossier's fee lines say (§6.5).
            Action::PayOnlinePerProcedure => {
                p.fee_bearing && !has(p, &|d| d.paid_online.is_online()) && has(p, &|_| true)
            }
            Action::RecordFeesPerProcedure => {
                p.fee_bearing && !has(p, &|d| d.fee_total > 0.0) && has(p, &|_| true)
            }
            Action::PopulationDataPerProcedure => {
                p.for_citizens && !has(p, &|d| d.population_data) && has(p, &|_| true)
            }
            _ => false,
        })
        .map(|p| p.procedure_code.clone())
        .collect()
}

/// Whether the catalogue assigns `p` to the unit of this code (§6.4).
fn assigned(tree: &UnitTree, unit: &str, p: &Procedure) -> bool {
    tree.get(unit.trim())
        .is_some_and(|u| p.implemented_by(&u.code, &u.kind))
}

/// Applies an action to the named records (dossier ids, petition ids or procedure codes).
fn apply(input: &PlanInput<'_>, action: Action, ids: &[String]) -> Changed {
    let chosen: HashSet<&str> = ids.iter().map(String::as_str).collect();
    let t = crate::classify::effective_time(input.period, input.as_of);
    let procs: HashMap<&str, &Procedure> = input
        .records
        .procedures
        .iter()
        .map(|p| (p.procedure_code.as_str(), p))
        .collect();
    let mut out = Changed {
        dossiers: input.records.dossiers.to_vec(),
        petitions: input.records.petitions.to_vec(),
        procedures: input.records.procedures.to_vec(),
    };
    match action.change_unit() {
        ChangeUnit::Dossiers => {
            for d in out
                .dossiers
                .iter_mut()
                .filter(|d| chosen.contains(d.dossier_id.as_str()))
            {
                let p = procs.get(d.procedure_code.as_str()).copied();
                action.apply_to_dossier(d, p, t);
            }
        }
        ChangeUnit::Petitions => {
            for p in out
                .petitions
                .iter_mut()
                .filter(|p| chosen.contains(p.petition_id.as_str()))
            {
                action.apply_to_petition(p);
            }
        }
        ChangeUnit::Procedures if action == Action::OfferOnline => {
            for p in out
                .procedures
                .iter_mut()
                .filter(|p| chosen.contains(p.procedure_code.as_str()))
            {
                p.online_level = OnlineLevel::Partial;
            }
        }
        ChangeUnit::Procedures => {
            // One dossier per procedure: the oldest counted one of the unit's subtree, at a
            // unit the catalogue assigns the procedure to (§6.4).
            let units = subtree_codes(input).unwrap_or_default();
            let tree = unit_tree(&input.records).unwrap_or_default();
            let mut done: HashSet<String> = HashSet::new();
            let mut order: Vec<usize> = (0..out.dossiers.len()).collect();
            order.sort_by_key(|&i| out.dossiers[i].received_at);
            for i in order {
                let d = &out.dossiers[i];
                let code = d.procedure_code.trim().to_string();
                if !chosen.contains(code.as_str())
                    || done.contains(&code)
                    || !units.contains(d.unit_code.trim())
                {
                    continue;
                }
                if !procs
                    .get(code.as_str())
                    .is_some_and(|p| assigned(&tree, &d.unit_code, p))
                {
                    continue;
                }
                if !d
                    .received_at
                    .is_some_and(|r| input.period.contains(r) && r <= t)
                {
                    continue;
                }
                let p = procs.get(code.as_str()).copied();
                action.apply_to_dossier(&mut out.dossiers[i], p, t);
                done.insert(code);
            }
        }
    }
    out
}

fn records_of<'a>(input: &PlanInput<'a>, c: &'a Changed) -> Records<'a> {
    Records {
        dossiers: &c.dossiers,
        procedures: &c.procedures,
        units: input.records.units,
        petitions: &c.petitions,
    }
}

/// Scores the unit after an action applied to the given records.
pub fn score_after(input: &PlanInput<'_>, action: Action, ids: &[String]) -> Result<UnitScore> {
    let changed = apply(input, action, ids);
    score_unit_of(input, records_of(input, &changed))
}

/// The plan for a unit: points lost, and for each target the exact changes and gains.
pub fn plan(input: &PlanInput<'_>, targets: &[Target]) -> Result<Plan> {
    let now = score_unit_of(input, input.records)?;
    let units = subtree_codes(input)?;
    let mut losses: Vec<(String, f64)> = now
        .indicators
        .iter()
        .filter(|i| i.lost > 1e-9)
        .map(|i| (i.id.to_string(), i.lost))
        .collect();
    losses.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut steps = Vec::new();
    for target in targets {
        let Some(ind) = now.indicator(&target.indicator) else {
            continue;
        };
        let Some(def) = input
            .profile
            .indicators
            .iter()
            .find(|d| d.id == ind.id && d.options_hold(&input.options))
        else {
            continue;
        };
        let Some(action) = Action::for_ratio(def.ratio) else {
            continue;
        };
        let need = (target.ratio * ind.denominator - ind.numerator - 1e-9)
            .ceil()
            .max(0.0) as usize;
        let pool = candidates(input, action, &units);
        let n = need.min(pool.len());
        let chosen: Vec<String> = pool.into_iter().take(n).collect();
        let after = score_after(input, action, &chosen)?;
        let points_after = after.indicator(&ind.id).map_or(ind.points, |i| i.points);
        let total_gain = after.total - now.total;
        steps.push(PlanStep {
            indicator: ind.id.to_string(),
            name_en: ind.name_en.to_string(),
            action,
            change_unit: action.change_unit(),
            target: target.clone(),
            ratio_now: ind.ratio,
            points_now: ind.points,
            max: ind.max,
            changes_needed: n,
            reachable: n == need,
            points_after,
            total_gain,
            gain_per_change: if n > 0 { total_gain / n as f64 } else { 0.0 },
            changed: chosen,
        });
    }
    steps.sort_by(|a, b| {
        b.gain_per_change
            .total_cmp(&a.gain_per_change)
            .then(a.indicator.cmp(&b.indicator))
    });
    Ok(Plan {
        unit: input.unit.to_string(),
        total: now.total,
        losses,
        steps,
    })
}
