//! The planner: for a unit and period, the points lost per indicator; for each target, how many
//! dossiers (or procedures, or petitions) must change state to reach it and the points that
//! gains; a ranked list of actions by points gained per change; and what-if scenarios. Exact,
//! not estimated: every promise is measured by changing the records and scoring them again.

use crate::classify::{Judgement, Progress, Scope};
use crate::error::{ChisoError, Result};
use crate::measure::RatioKey;
use crate::model::{Channel, Dossier, OnlineLevel, PaymentGateway, Petition, Procedure, UnitTree};
use crate::options::{EResultBase, Options};
use crate::period::Period;
use crate::pipeline::{run, unit_tree, Records};
use crate::profile::{Profile, RuleKind};
use crate::score::UnitScore;
use crate::tally::TallyContext;
use crate::workdays::WorkCalendar;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// A change of state that raises an indicator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// A late or overdue dossier handled on time instead (2.1, and 5.4 through it).
    ResolveOnTime,
    /// Finish the open overdue dossiers now (they stay late: clearing the backlog alone gains
    /// no 2.1 points, which the planner shows rather than hides).
    ClearOverdue,
    /// A dossier received online, with an electronic result when the procedure needs one (3.3).
    ReceiveOnline,
    /// A fee-bearing dossier paid online (3.6).
    PayOnline,
    /// An electronic result issued (4.1).
    IssueEResult,
    /// Components attached and, for paper-result procedures, an electronic result (4.2).
    Digitise,
    ReuseData,
    LinkPersonalStore,
    UsePopulationData,
    /// Nothing held against the dossier: no unsatisfied rating, no petition, handled on time (5.4).
    SatisfyApplicant,
    /// A petition handled within its limit (5.2).
    HandlePetitionOnTime,
    /// A petition handled on time to the petitioner's satisfaction (5.3).
    SatisfyPetitioner,
    /// One dossier of a fee-bearing procedure paid online, per procedure (3.5b).
    PayOnlinePerProcedure,
    /// One dossier of a fee-bearing procedure carrying its fee data, per procedure (3.5a).
    RecordFeesPerProcedure,
    /// One dossier of a citizen procedure using population data, per procedure (4.5a).
    PopulationDataPerProcedure,
    /// A procedure of the unit offered online (3.1).
    OfferOnline,
}

/// What an action changes, for display.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeUnit {
    Dossiers,
    Petitions,
    Procedures,
}

impl Action {
    /// The action that raises a ratio, if any can.
    pub fn for_ratio(key: RatioKey) -> Option<Action> {
        use RatioKey::*;
        Some(match key {
            DossiersOnTime => Action::ResolveOnTime,
            DossiersOnline => Action::ReceiveOnline,
            DossiersPaidOnline => Action::PayOnline,
            DossiersEResult => Action::IssueEResult,
            DossiersDigitised => Action::Digitise,
            DossiersReusedData => Action::ReuseData,
            DossiersPersonalStore => Action::LinkPersonalStore,
            DossiersPopulationData => Action::UsePopulationData,
            DossiersSatisfied => Action::SatisfyApplicant,
            PetitionsOnTime => Action::HandlePetitionOnTime,
            PetitionsSatisfied => Action::SatisfyPetitioner,
            FeeProceduresPaidOnline => Action::PayOnlinePerProcedure,
            FeeProceduresWithFeeData => Action::RecordFeesPerProcedure,
            ProceduresPopulationData => Action::PopulationDataPerProcedure,
            ProceduresOnline => Action::OfferOnline,
            _ => return None,
        })
    }

    pub fn change_unit(self) -> ChangeUnit {
        match self {
            Action::HandlePetitionOnTime | Action::SatisfyPetitioner => ChangeUnit::Petitions,
            Action::PayOnlinePerProcedure
            | Action::RecordFeesPerProcedure
            | Action::PopulationDataPerProcedure
            | Action::OfferOnline => ChangeUnit::Procedures,
            _ => ChangeUnit::Dossiers,
        }
    }

    /// Whether a counted dossier can be improved by this action.
    pub fn dossier_candidate(
        self,
        d: &Dossier,
        j: &Judgement,
        p: Option<&Procedure>,
        o: &Options,
    ) -> bool {
        let paper = p.is_some_and(|p| p.paper_result);
        let late = j.progress.is_late();
        match self {
            Action::ResolveOnTime => late,
            Action::ClearOverdue => j.progress == Progress::OpenOverdue,
            Action::ReceiveOnline => {
                let offered = p.is_none_or(|p| p.offered_online());
                offered && !(d.channel == Channel::Online && (!paper || d.e_result))
            }
            Action::PayOnline => d.fee_total > 0.0 && !d.paid_online.is_online(),
            Action::IssueEResult => {
                !d.e_result && (o.e_result_base == EResultBase::AllDossiers || paper)
            }
            // 4.2 is over every dossier whatever `e_result_base` says (§5.6).
            Action::Digitise => !(d.digitised && (!paper || d.e_result)),
            Action::ReuseData => !d.reused_data,
            Action::LinkPersonalStore => !d.personal_store,
            Action::UsePopulationData => !d.population_data,
            Action::SatisfyApplicant => d.unsatisfied || d.has_petition || late,
            _ => false,
        }
    }

    /// Applies the action to a dossier, as if it had been done; `t` is the evaluation time.
    pub fn apply_to_dossier(self, d: &mut Dossier, p: Option<&Procedure>, t: NaiveDateTime) {
        let paper = p.is_some_and(|p| p.paper_result);
        let resolve = |d: &mut Dossier| {
            d.supplements.clear();
            d.fee_waits.clear();
            d.finished_at = d.received_at;
            d.returned_at = None;
            d.status = Some(crate::model::Status::Finished);
            if d.due_at
                .is_some_and(|due| d.received_at.is_some_and(|r| due < r))
            {
                d.due_at = d.received_at;
            }
        };
        match self {
            Action::ResolveOnTime => resolve(d),
            Action::ClearOverdue => {
                d.finished_at = Some(t);
                d.status = Some(crate::model::Status::Finished);
            }
            Action::ReceiveOnline => {
                d.channel = Channel::Online;
                if paper {
                    d.e_result = true;
                }
            }
            Action::PayOnline | Action::PayOnlinePerProcedure => {
                d.paid_online = PaymentGateway::National
            }
            Action::RecordFeesPerProcedure if d.fee_total <= 0.0 => d.fee_total = 1.0,
            Action::IssueEResult => d.e_result = true,
            Action::Digitise => {
                d.digitised = true;
                if paper {
                    d.e_result = true;
                }
            }
            Action::ReuseData => d.reused_data = true,
            Action::LinkPersonalStore => d.personal_store = true,
            Action::UsePopulationData | Action::PopulationDataPerProcedure => {
                d.population_data = true
            }
            Action::SatisfyApplicant => {
                d.unsatisfied = false;
                d.has_petition = false;
                resolve(d);
            }
            _ => {}
        }
    }

    /// Applies a petition action.
    pub fn apply_to_petition(self, p: &mut Petition) {
        if matches!(
            self,
            Action::HandlePetitionOnTime | Action::SatisfyPetitioner
        ) {
            p.handled_at = p.forwarded_at.or(p.received_at);
            p.rejected_at = None;
            p.supplement_requested_at = None;
        }
        if self == Action::SatisfyPetitioner {
            p.dislikes = 0;
            p.repeat_complaint = false;
        }
    }
}

/// Where a target comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetSource {
    /// The 2023 district directive (and Resolution 01/NQ-CP for online payment).
    Directive,
    /// The rule's own threshold (full points).
    Rule,
    /// A user's target file.
    User,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub indicator: String,
    /// The ratio to reach, in [0, 1].
    pub ratio: f64,
    pub source: TargetSource,
}

/// The directive's targets: ≥ 99.8% on time, 100% digitised (dossiers and results), ≥ 30%
/// online payment, ≥ 95% satisfaction.
pub fn directive_targets() -> Vec<Target> {
    [
        ("2.1", 0.998),
        ("4.1", 1.0),
        ("4.2", 1.0),
        ("3.6", 0.30),
        ("5.4", 0.95),
    ]
    .into_iter()
    .map(|(i, r)| Target {
        indicator: i.into(),
        ratio: r,
        source: TargetSource::Directive,
    })
    .collect()
}

/// Full points under the profile's own rules: a target rule's threshold, 100% for linear ones.
pub fn rule_targets(profile: &Profile, options: &Options) -> Vec<Target> {
    profile
        .indicators
        .iter()
        .filter(|i| i.max > 0.0 && i.options_hold(options) && Action::for_ratio(i.ratio).is_some())
        .map(|i| Target {
            indicator: i.id.to_string(),
            ratio: if i.rule == RuleKind::Target {
                i.target.unwrap_or(1.0)
            } else {
                1.0
            },
            source: TargetSource::Rule,
        })
        .collect()
}

/// Targets from a user's TOML: a `[targets]` table of indicator id → ratio (0–1, or a percent).
pub fn parse_targets(text: &str, source: &str) -> Result<Vec<Target>> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct File {
        targets: BTreeMap<String, f64>,
    }
    let err = |key: String, message: String| ChisoError::Profile {
        source_name: source.into(),
        key,
        message,
    };
    let f: File =
        toml::from_str(text).map_err(|e| err("targets".into(), e.message().to_string()))?;
    f.targets
        .into_iter()
        .map(|(id, v)| {
            let ratio = if v > 1.0 { v / 100.0 } else { v };
            if !(0.0..=1.0).contains(&ratio) || !v.is_finite() {
                return Err(err(
                    format!("targets.{id}"),
                    format!("{v} is not a ratio (0–1) or a percent"),
                ));
            }
            Ok(Target {
                indicator: id,
                ratio,
                source: TargetSource::User,
            })
        })
        .collect()
}

/// The records and settings a plan is made from.
#[derive(Clone, Copy)]
pub struct PlanInput<'a> {
    pub records: Records<'a>,
    pub period: &'a Period,
    pub as_of: NaiveDateTime,
    pub profile: &'a Profile,
    pub options: Options,
    pub calendar: &'a dyn WorkCalendar,
    /// The unit planned for (its whole subtree is pooled).
    pub unit: &'a str,
}

/// One step towards one target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanStep {
    pub indicator: String,
    pub name_en: String,
    pub action: Action,
    pub change_unit: ChangeUnit,
    pub target: Target,
    pub ratio_now: Option<f64>,
    pub points_now: f64,
    pub max: f64,
    /// Changes needed to reach the target (capped by what can change).
    pub changes_needed: usize,
    /// Whether enough records can change to reach the target.
    pub reachable: bool,
    /// Points of this indicator after the changes.
    pub points_after: f64,
    /// Change of the unit's total after the changes (other indicators may move too).
    pub total_gain: f64,
    pub gain_per_change: f64,
    /// The records changed (dossier ids, petition ids or procedure codes), oldest first.
    pub changed: Vec<String>,
}

/// A plan: where the points are lost, and the steps to each target ranked by gain per change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub unit: String,
    pub total: f64,
    pub losses: Vec<(String, f64)>,
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

/// A hypothetical change: `count` records (all candidates when `None`), oldest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub action: Action,
    pub count: Option<usize>,
}

impl std::str::FromStr for Change {
    type Err = ChisoError;

    /// `ACTION` or `ACTION=N`, e.g. `pay_online=500`, `clear_overdue`.
    fn from_str(s: &str) -> Result<Change> {
        let (name, count) = match s.split_once('=') {
            Some((a, n)) => (a.trim(), Some(n.trim())),
            None => (s.trim(), None),
        };
        let bad = |message: String| ChisoError::Value {
            field: "what-if".into(),
            message,
        };
        let action: Action = toml::Value::String(name.to_string()).try_into().map_err(|_| {
            bad(format!(
                "unknown action {name:?} (e.g. resolve_on_time, clear_overdue, pay_online, digitise, issue_e_result, receive_online)"
            ))
        })?;
        let count = count
            .map(|n| {
                n.parse::<usize>()
                    .map_err(|_| bad(format!("{n:?} is not a count")))
            })
            .transpose()?;
        Ok(Change { action, count })
    }
}

/// The unit's scorecard before and after a set of changes, side by side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WhatIf {
    pub before: UnitScore,
    pub after: UnitScore,
    /// The records changed by each change, in order.
    pub changed: Vec<(Action, Vec<String>)>,
}

/// Applies changes one after another and scores the result.
pub fn what_if(input: &PlanInput<'_>, changes: &[Change]) -> Result<WhatIf> {
    let before = score_unit_of(input, input.records)?;
    let units = subtree_codes(input)?;
    let mut state = Changed {
        dossiers: input.records.dossiers.to_vec(),
        petitions: input.records.petitions.to_vec(),
        procedures: input.records.procedures.to_vec(),
    };
    let mut log = Vec::new();
    for c in changes {
        let step_input = PlanInput {
            records: records_of(input, &state),
            ..*input
        };
        let mut ids = candidates(&step_input, c.action, &units);
        if let Some(n) = c.count {
            ids.truncate(n);
        }
        let next = apply(&step_input, c.action, &ids);
        log.push((c.action, ids));
        state = next;
    }
    let after = score_unit_of(input, records_of(input, &state))?;
    Ok(WhatIf {
        before,
        after,
        changed: log,
    })
}
