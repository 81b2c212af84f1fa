//! What moved since the last look: each unit's dossiers that changed its counters (a bounded
//! list per unit), and the indicators whose numerator, denominator or points differ between two
//! scorecards of one period.

use crate::classify::Progress;
use crate::hashing::IntMap;
use crate::model::UnitTree;
use crate::moment::time_of;
use crate::period::Period;
use crate::score::{IndicatorScore, Scorecard};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// How many dossiers are named per unit and per change; the rest are counted.
pub const MOVED_LIMIT: usize = 8;

/// One dossier that changed a unit's counters: where it stood before and after (`None`: not
/// counted — not yet received, excluded or removed), and when.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Moved {
    /// Dossier id.
    pub dossier_id: String,
    /// Its class before; `None`: not counted.
    pub before: Option<Progress>,
    /// Its class after; `None`: not counted.
    pub after: Option<Progress>,
    /// When it moved.
    pub at: Option<NaiveDateTime>,
}

impl Moved {
    /// A short phrase: "turned overdue", "counted as on time", "no longer counted", ...
    pub fn describe(&self) -> String {
        let name = |p: Progress| match p {
            Progress::Early => "early",
            Progress::OnTime => "on time",
            Progress::Late => "late",
            Progress::LateRepeatedSupplement => "late (repeated supplement)",
            Progress::OpenWithinDeadline => "open within its deadline",
            Progress::OpenOverdue => "overdue",
            Progress::NoDeadline => "without a deadline",
        };
        match (self.before, self.after) {
            (Some(Progress::OpenWithinDeadline), Some(Progress::OpenOverdue)) => {
                "turned overdue".into()
            }
            (None, Some(a)) => format!("counted as {}", name(a)),
            (Some(_), None) => "no longer counted".into(),
            (Some(b), Some(a)) if a == b => "record updated".into(),
            (Some(b), Some(a)) => format!("{} → {}", name(b), name(a)),
            (None, None) => "record updated".into(),
        }
    }
}

/// Numerator, denominator and points of one indicator.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// The numerator.
    pub numerator: f64,
    /// The denominator.
    pub denominator: f64,
    /// The points.
    pub points: f64,
}

impl From<&IndicatorScore> for Figure {
    fn from(i: &IndicatorScore) -> Self {
        Self {
            numerator: i.numerator,
            denominator: i.denominator,
            points: i.points,
        }
    }
}

/// One indicator of one unit that moved: before → after, and the dossiers that moved the
/// unit's counters meanwhile (at most [`MOVED_LIMIT`]; `more` counts the others).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The period.
    pub period: Period,
    /// Unit code.
    pub unit: String,
    /// Indicator id.
    pub indicator: String,
    /// `None`: the unit or indicator was not in the earlier scorecard.
    pub before: Option<Figure>,
    /// `None`: the unit or indicator is no longer in the scorecard.
    pub after: Option<Figure>,
    /// Dossiers that moved the unit's counters (at most [`MOVED_LIMIT`]).
    pub dossiers: Vec<Moved>,
    /// How many more moved than are named.
    pub more: u64,
}

impl Change {
    /// Points after minus points before.
    pub fn points_delta(&self) -> f64 {
        self.after.map_or(0.0, |f| f.points) - self.before.map_or(0.0, |f| f.points)
    }
}

impl std::fmt::Display for Change {
    /// "H44.07 2.1 412/430 → 411/431 −0.05: HS-0001 turned overdue".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let fig = |x: &Option<Figure>| {
            x.map_or("–".to_string(), |x| {
                format!("{}/{}", x.numerator, x.denominator)
            })
        };
        write!(
            f,
            "{} {} {} → {} {:+.2}",
            self.unit,
            self.indicator,
            fig(&self.before),
            fig(&self.after),
            self.points_delta()
        )?;
        for (i, m) in self.dossiers.iter().enumerate() {
            let sep = if i == 0 { ": " } else { ", " };
            write!(f, "{sep}{} {}", m.dossier_id, m.describe())?;
        }
        if self.more > 0 {
            write!(f, " (+{} more)", self.more)?;
        }
        Ok(())
    }
}

/// A moved dossier as recorded (moment in milliseconds).
#[derive(Clone, Debug)]
struct Entry {
    id: Box<str>,
    before: Option<Progress>,
    after: Option<Progress>,
    at: i64,
}

#[derive(Clone, Debug, Default)]
struct UnitMoves {
    named: Vec<Entry>,
    more: u64,
}

/// The dossiers that moved each unit (by interned unit id) since the last look.
#[derive(Clone, Debug, Default)]
pub(crate) struct Moves {
    by_unit: IntMap<u32, UnitMoves>,
}

impl Moves {
    /// `id` is asked for only when the dossier is named (the first [`MOVED_LIMIT`] of a unit):
    /// reading an id is two cache misses on a large board, and most moves are only counted.
    pub fn record<'s>(
        &mut self,
        unit: u32,
        id: impl FnOnce() -> &'s str,
        before: Option<Progress>,
        after: Option<Progress>,
        at: i64,
    ) {
        let u = self.by_unit.entry(unit).or_default();
        if u.named.len() < MOVED_LIMIT {
            u.named.push(Entry {
                id: id().into(),
                before,
                after,
                at,
            });
        } else {
            u.more += 1;
        }
    }

    pub fn clear(&mut self) {
        self.by_unit.clear();
    }

    /// The dossiers that moved a unit's subtree, by unit code → interned id.
    fn of_subtree(
        &self,
        tree: &UnitTree,
        i: usize,
        unit_id: &impl Fn(&str) -> Option<u32>,
    ) -> (Vec<Moved>, u64) {
        let (mut named, mut more) = (Vec::new(), 0u64);
        for j in tree.subtree(i) {
            let Some(u) = unit_id(&tree.unit(j).code).and_then(|u| self.by_unit.get(&u)) else {
                continue;
            };
            for e in &u.named {
                if named.len() < MOVED_LIMIT {
                    named.push(Moved {
                        dossier_id: e.id.to_string(),
                        before: e.before,
                        after: e.after,
                        at: time_of(e.at),
                    });
                } else {
                    more += 1;
                }
            }
            more += u.more;
        }
        (named, more)
    }
}

/// The indicators that differ between two scorecards of one period, with the dossiers that
/// moved each unit (`tree` is the later scorecard's unit tree).
pub(crate) fn diff(
    before: &Scorecard,
    after: &Scorecard,
    tree: &UnitTree,
    moves: &Moves,
    unit_id: impl Fn(&str) -> Option<u32>,
) -> Vec<Change> {
    let earlier: HashMap<&str, &crate::score::UnitScore> =
        before.units.iter().map(|u| (u.unit.as_str(), u)).collect();
    let mut out = Vec::new();
    for u in &after.units {
        let old = earlier.get(u.unit.as_str());
        let mut moved: Option<(Vec<Moved>, u64)> = None;
        for ind in &u.indicators {
            let b = old.and_then(|o| o.indicator(&ind.id)).map(Figure::from);
            let a = Some(Figure::from(ind));
            if b == a {
                continue;
            }
            let (dossiers, more) = moved
                .get_or_insert_with(|| {
                    tree.index_of(&u.unit)
                        .map(|i| moves.of_subtree(tree, i, &unit_id))
                        .unwrap_or_default()
                })
                .clone();
            out.push(Change {
                period: after.meta.period.clone(),
                unit: u.unit.clone(),
                indicator: ind.id.to_string(),
                before: b,
                after: a,
                dossiers,
                more,
            });
        }
    }
    // Units that left the scorecard (their last dossier removed).
    let now: HashMap<&str, ()> = after.units.iter().map(|u| (u.unit.as_str(), ())).collect();
    for u in before
        .units
        .iter()
        .filter(|u| !now.contains_key(u.unit.as_str()))
    {
        for ind in &u.indicators {
            out.push(Change {
                period: before.meta.period.clone(),
                unit: u.unit.clone(),
                indicator: ind.id.to_string(),
                before: Some(Figure::from(ind)),
                after: None,
                dossiers: Vec::new(),
                more: 0,
            });
        }
    }
    out
}
