//! Scoring: a pure function of (tallies, catalogue facts, rule profile, evaluation time). Every
//! indicator keeps its numerator, denominator, ratio, points, maximum and any fallback, so every
//! point can be explained. Full precision inside; round only for display.

use crate::facts::{catalogue_counts, Publisher};
use crate::measure::{measure, CatalogueCounts, UnitFacts};
use crate::model::{Procedure, Unit, UnitTree};
use crate::options::Options;
use crate::period::Period;
use crate::profile::{GroupDef, IndicatorDef, OnEmpty, Profile, RuleKind, RuleStatus};
use crate::tally::{Counts, Tally};
use crate::text::Text;
use crate::workdays::WorkCalendar;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::Deref;
use std::sync::Arc;

/// Rounds to 2 decimals, as the portal displays (half away from zero, robust to binary noise).
pub fn round2(x: f64) -> f64 {
    crate::profile::Rounding::default().round(x)
}

/// An indicator's id, group and names: one value shared by every score of the indicator in a
/// scorecard (a province's scorecard holds thousands of indicator scores; sharing the label costs
/// one reference count per score where four separate texts cost four, and as many on drop).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorLabel {
    /// Indicator id, e.g. `2.1`.
    pub id: Text,
    /// Code of the indicator's group.
    pub group: Text,
    /// Name in Vietnamese, from the profile.
    pub name_vi: Text,
    /// Name in English, from the profile.
    pub name_en: Text,
}

impl IndicatorLabel {
    /// The label of a profile's indicator.
    pub fn of(def: &IndicatorDef) -> Arc<Self> {
        Arc::new(Self {
            id: def.id.clone(),
            group: def.group.clone(),
            name_vi: def.name_vi.clone(),
            name_en: def.name_en.clone(),
        })
    }
}

/// One indicator of one unit, fully explained. Its label's fields read through it
/// (`score.id`, `score.name_en`), and serialize in line with the others.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorScore {
    /// Id, group and names (shared by the indicator's scores).
    #[serde(flatten)]
    pub label: Arc<IndicatorLabel>,
    /// Counted numerator (e.g. dossiers handled on time).
    pub numerator: f64,
    /// Counted denominator (e.g. dossiers judged).
    pub denominator: f64,
    /// `None` when the denominator is empty.
    pub ratio: Option<f64>,
    /// For display-only indicators, the value shown (e.g. average days).
    pub value: Option<f64>,
    /// Points earned, full precision.
    pub points: f64,
    /// The indicator's maximum points.
    pub max: f64,
    /// `max - points`, never negative.
    pub lost: f64,
    /// How the ratio became points.
    pub rule: RuleKind,
    /// The ratio that earns full points under a `Target` rule.
    pub target: Option<f64>,
    /// How well the rule is known to match the portal.
    pub status: RuleStatus,
    /// The on-empty policy applied, when the denominator was empty.
    pub on_empty: Option<OnEmpty>,
    /// Fallbacks and caveats behind this number (shared texts: a unit's notes appear under
    /// each indicator they affect).
    pub notes: Vec<Text>,
}

impl Deref for IndicatorScore {
    type Target = IndicatorLabel;
    fn deref(&self) -> &IndicatorLabel {
        &self.label
    }
}

impl IndicatorScore {
    /// Scored 0 only because there was nothing to measure.
    pub fn not_applicable(&self) -> bool {
        self.on_empty == Some(OnEmpty::NotApplicable)
    }
}

/// A group's code and names, shared by every score of the group in a scorecard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupLabel {
    /// Group code, as in the profile.
    pub code: Text,
    /// Name in Vietnamese.
    pub name_vi: Text,
    /// Name in English.
    pub name_en: Text,
}

impl GroupLabel {
    /// The label of a profile's group.
    pub fn of(def: &GroupDef) -> Arc<Self> {
        Arc::new(Self {
            code: def.code.clone(),
            name_vi: def.name_vi.clone(),
            name_en: def.name_en.clone(),
        })
    }

    /// The labels of a profile's groups, in its order.
    pub fn all(profile: &Profile) -> Vec<Arc<Self>> {
        profile.groups.iter().map(Self::of).collect()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
/// The points of one group of indicators for one unit. Its label's fields read through it
/// (`group.code`).
pub struct GroupScore {
    /// Code and names (shared by the group's scores).
    #[serde(flatten)]
    pub label: Arc<GroupLabel>,
    /// Sum of the group's indicator points, full precision.
    pub points: f64,
    /// Sum of the group's indicator maxima.
    pub max: f64,
    /// The value the portal publishes for the group (the profile's rounding policy).
    pub published: f64,
}

impl Deref for GroupScore {
    type Target = GroupLabel;
    fn deref(&self) -> &GroupLabel {
        &self.label
    }
}

/// A unit's scorecard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitScore {
    /// Unit code.
    pub unit: String,
    /// Unit name.
    pub name: String,
    /// Unit kind (province, department, commune, …).
    pub kind: String,
    /// Parent unit code; `None` for a root.
    pub parent: Option<String>,
    /// Total points, full precision.
    pub total: f64,
    /// Maximum points the unit could earn.
    pub max: f64,
    /// Sum of the groups' published values.
    pub published_total: f64,
    /// Per group, in profile order.
    pub groups: Vec<GroupScore>,
    /// Per indicator, in profile order.
    pub indicators: Vec<IndicatorScore>,
    /// The pooled counters of the unit's subtree, for drill-down.
    pub counts: Counts,
}

impl UnitScore {
    /// The group with this code.
    pub fn group(&self, code: &str) -> Option<&GroupScore> {
        self.groups.iter().find(|g| &*g.code == code)
    }
    /// The indicator with this id.
    pub fn indicator(&self, id: &str) -> Option<&IndicatorScore> {
        self.indicators.iter().find(|i| &*i.id == id)
    }
}

/// What a scorecard was computed with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoreMeta {
    /// Profile name.
    pub profile: String,
    /// Profile version.
    pub profile_version: String,
    /// The period scored.
    pub period: Period,
    /// The evaluation moment asked for.
    pub as_of: NaiveDateTime,
    /// The evaluation time used: `as_of`, or the period end if earlier.
    pub evaluated_at: NaiveDateTime,
    /// Options in force.
    pub options: Options,
    /// Name of the working-day calendar.
    pub calendar: String,
}

/// Scores of every unit of a tree for one period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    /// What it was computed with.
    pub meta: ScoreMeta,
    /// One per unit of the tree, in tree order.
    pub units: Vec<UnitScore>,
}

impl Scorecard {
    /// The unit with this code.
    pub fn unit(&self, code: &str) -> Option<&UnitScore> {
        self.units.iter().find(|u| u.unit == code)
    }
}

/// Everything scoring reads.
pub struct ScoreInput<'a> {
    /// The counters to score.
    pub tally: &'a Tally,
    /// The units to score, with their parents (subtrees are pooled).
    pub units: &'a UnitTree,
    /// The procedure catalogue (for the catalogue indicators).
    pub procedures: &'a [Procedure],
    /// Maxima, thresholds and policies.
    pub profile: &'a Profile,
    /// Options in force.
    pub options: Options,
    /// The period scored.
    pub period: Period,
    /// The evaluation moment.
    pub as_of: NaiveDateTime,
    /// Working days, for the catalogue deadlines.
    pub calendar: &'a dyn WorkCalendar,
    /// Facts taken as published instead of derived (conformance), by unit code.
    pub published_facts: Option<&'a BTreeMap<String, UnitFacts>>,
}

/// Scores one indicator from a measurement.
pub fn score_indicator(
    def: &IndicatorDef,
    c: &Counts,
    facts: &UnitFacts,
    options: &Options,
    per_year: f64,
) -> IndicatorScore {
    score_labelled(def, &IndicatorLabel::of(def), c, facts, options, per_year)
}

/// [`score_indicator`] with the indicator's label already made.
fn score_labelled(
    def: &IndicatorDef,
    label: &Arc<IndicatorLabel>,
    c: &Counts,
    facts: &UnitFacts,
    options: &Options,
    per_year: f64,
) -> IndicatorScore {
    let m = measure(def.ratio, c, facts, options, per_year);
    let ratio = m.ratio();
    let (points, on_empty) = def.score_ratio(m.numerator, m.denominator);
    let mut notes = m.notes;
    if matches!(
        def.ratio,
        crate::measure::RatioKey::ProceduresOnline
            | crate::measure::RatioKey::OnlineServicesUsed
            | crate::measure::RatioKey::FeeProceduresPaidOnline
            | crate::measure::RatioKey::FeeProceduresWithFeeData
            | crate::measure::RatioKey::ProceduresPopulationData
    ) {
        notes.extend(facts.notes.iter().cloned());
    }
    IndicatorScore {
        label: Arc::clone(label),
        numerator: m.numerator,
        denominator: m.denominator,
        ratio,
        value: m.value,
        points,
        max: def.max,
        lost: (def.max - points).max(0.0),
        rule: def.rule,
        target: def.target,
        status: def.status,
        on_empty,
        notes,
    }
}

/// Scores one unit from its pooled counters and facts.
pub fn score_unit(
    unit: &Unit,
    counts: Counts,
    facts: &UnitFacts,
    profile: &Profile,
    options: &Options,
    per_year: f64,
) -> UnitScore {
    let defs: Vec<&IndicatorDef> = profile.active(options, &unit.kind).collect();
    let in_force = InForce::new(profile, defs);
    let groups = GroupLabel::all(profile);
    score_unit_with(
        unit,
        counts,
        facts,
        profile,
        (&in_force, &groups),
        options,
        per_year,
    )
}

/// The indicators in force for one unit kind, with each one's label and group position.
struct InForce<'p> {
    defs: Vec<&'p IndicatorDef>,
    labels: Vec<Arc<IndicatorLabel>>,
    /// Each indicator's position in `profile.groups` (`usize::MAX`: in no group), found once
    /// per unit kind rather than by comparing group codes for every unit.
    group_of: Vec<usize>,
}

impl<'p> InForce<'p> {
    fn new(profile: &Profile, defs: Vec<&'p IndicatorDef>) -> Self {
        let group_of = defs
            .iter()
            .map(|d| {
                profile
                    .groups
                    .iter()
                    .position(|g| g.code == d.group)
                    .unwrap_or(usize::MAX)
            })
            .collect();
        Self {
            labels: defs.iter().map(|d| IndicatorLabel::of(d)).collect(),
            defs,
            group_of,
        }
    }
}

/// The indicators in force for each unit kind, decided once per scorecard: an indicator's
/// `when` conditions read options by name, which is too slow to repeat for every unit.
struct ActiveIndicators<'p> {
    profile: &'p Profile,
    holds: Vec<bool>,
    by_kind: std::collections::HashMap<&'p str, InForce<'p>>,
}

impl<'p> ActiveIndicators<'p> {
    fn new(profile: &'p Profile, options: &Options) -> Self {
        Self {
            profile,
            holds: profile
                .indicators
                .iter()
                .map(|i| i.options_hold(options))
                .collect(),
            by_kind: Default::default(),
        }
    }

    fn of(&mut self, kind: &'p crate::model::UnitKind) -> &InForce<'p> {
        let (profile, holds) = (self.profile, &self.holds);
        self.by_kind.entry(kind.as_str()).or_insert_with(|| {
            let defs: Vec<&IndicatorDef> = profile
                .indicators
                .iter()
                .zip(holds)
                .filter(|(i, &h)| h && (i.applies_to.is_empty() || i.applies_to.contains(kind)))
                .map(|(i, _)| i)
                .collect();
            InForce::new(profile, defs)
        })
    }
}

/// [`score_unit`] with the indicators in force already chosen and the groups' labels made.
fn score_unit_with(
    unit: &Unit,
    counts: Counts,
    facts: &UnitFacts,
    profile: &Profile,
    (in_force, group_labels): (&InForce<'_>, &[Arc<GroupLabel>]),
    options: &Options,
    per_year: f64,
) -> UnitScore {
    let indicators: Vec<IndicatorScore> = in_force
        .defs
        .iter()
        .zip(&in_force.labels)
        .map(|(def, label)| score_labelled(def, label, &counts, facts, options, per_year))
        .collect();
    let groups: Vec<GroupScore> = group_labels
        .iter()
        .enumerate()
        .map(|(k, label)| {
            let of_group = || {
                indicators
                    .iter()
                    .zip(&in_force.group_of)
                    .filter(move |&(_, &gk)| gk == k)
                    .map(|(i, _)| i)
            };
            let (points, max) = of_group().fold((0.0, 0.0), |(p, m), i| (p + i.points, m + i.max));
            GroupScore {
                label: Arc::clone(label),
                points,
                max,
                published: profile.rounding.group(of_group().map(|i| i.points)),
            }
        })
        .collect();
    UnitScore {
        unit: unit.code.clone(),
        name: unit.name.clone(),
        kind: unit.kind.to_string(),
        parent: unit.parent.clone(),
        total: groups.iter().map(|g| g.points).sum(),
        max: groups.iter().map(|g| g.max).sum(),
        published_total: profile
            .rounding
            .round(groups.iter().map(|g| g.published).sum()),
        groups,
        indicators,
        counts,
    }
}

/// 1.1–1.3 of every unit: the values of its tree's publisher (the root's kind decides the
/// limits, §6.2), computed once per kind of publisher present.
fn catalogue_by_unit(input: &ScoreInput<'_>, t: NaiveDateTime) -> Vec<CatalogueCounts> {
    let tree = input.units;
    let mut by_publisher: Vec<(Publisher, CatalogueCounts)> = Vec::new();
    (0..tree.len())
        .map(|i| {
            let publisher = Publisher::of_root(&tree.unit(tree.root_of(i)).kind);
            if let Some((_, c)) = by_publisher.iter().find(|(p, _)| *p == publisher) {
                return *c;
            }
            let c = catalogue_counts(
                input.procedures,
                &input.period,
                t,
                &input.profile.limits,
                publisher,
                input.calendar,
            );
            by_publisher.push((publisher, c));
            c
        })
        .collect()
}

/// Scores every unit of the tree; a parent is scored from the pooled counts of its subtree.
pub fn score(input: &ScoreInput<'_>) -> Scorecard {
    let t = crate::classify::effective_time(&input.period, input.as_of);
    let per_year = input.period.per_year_divisor();
    let tree = input.units;
    let catalogue_level = catalogue_by_unit(input, t);
    let pooled = crate::pool::pool_tree(
        input.tally,
        tree,
        input.procedures,
        &input.period,
        &catalogue_level,
        input.published_facts,
    );
    let mut active = ActiveIndicators::new(input.profile, &input.options);
    let group_labels = GroupLabel::all(input.profile);
    let units = pooled
        .into_iter()
        .enumerate()
        .map(|(i, (counts, facts))| {
            let unit = tree.unit(i);
            score_unit_with(
                unit,
                counts,
                &facts,
                input.profile,
                (active.of(&unit.kind), &group_labels),
                &input.options,
                per_year,
            )
        })
        .collect();
    Scorecard {
        meta: ScoreMeta {
            profile: input.profile.profile.name.clone(),
            profile_version: input.profile.profile.version.clone(),
            period: input.period.clone(),
            as_of: input.as_of,
            evaluated_at: t,
            options: input.options,
            calendar: input.calendar.name().to_string(),
        },
        units,
    }
}
