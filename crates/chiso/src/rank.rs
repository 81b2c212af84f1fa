//! Ranking units by their published total (the profile's rounding). The portal lists tied units
//! one after another with consecutive ranks; competition (1, 1, 3) and dense (1, 1, 2) ranking are
//! offered too. Ties are judged on the displayed total (2 decimals); tied units go by unit code.

use crate::model::UnitKind;
use crate::score::{round2, Scorecard};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
/// How ties are ranked.
pub enum RankPolicy {
    /// 1, 2, 3 even when tied (the portal's order).
    #[default]
    Portal,
    /// 1, 1, 3.
    Competition,
    /// 1, 1, 2.
    Dense,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
/// One row of a ranking.
pub struct RankRow {
    /// Rank, from 1.
    pub rank: u32,
    /// Unit code.
    pub unit: String,
    /// Unit name.
    pub name: String,
    /// Unit kind.
    pub kind: String,
    /// Total points.
    pub total: f64,
}

/// Ranks of totals, given in any order; returns the rank of each input position.
pub fn ranks(totals: &[f64], policy: RankPolicy) -> Vec<u32> {
    let mut order: Vec<usize> = (0..totals.len()).collect();
    order.sort_by(|&a, &b| round2(totals[b]).total_cmp(&round2(totals[a])));
    let mut out = vec![0; totals.len()];
    let mut dense = 0;
    let mut prev: Option<f64> = None;
    let mut prev_rank = 0;
    for (pos, &i) in order.iter().enumerate() {
        let shown = round2(totals[i]);
        let tied = prev == Some(shown);
        if !tied {
            dense += 1;
        }
        out[i] = match policy {
            RankPolicy::Portal => pos as u32 + 1,
            RankPolicy::Competition if tied => prev_rank,
            RankPolicy::Competition => pos as u32 + 1,
            RankPolicy::Dense => dense,
        };
        prev_rank = out[i];
        prev = Some(shown);
    }
    out
}

/// Ranks the units of a scorecard. With `kind`, only units of that kind; without, every unit
/// that has a parent (the portal ranks a province's departments and communes in one list), or
/// every unit when none has a parent.
pub fn ranking(card: &Scorecard, kind: Option<&UnitKind>, policy: RankPolicy) -> Vec<RankRow> {
    let any_child = card.units.iter().any(|u| u.parent.is_some());
    let mut rows: Vec<&crate::score::UnitScore> = card
        .units
        .iter()
        .filter(|u| match kind {
            Some(k) => u.kind == k.as_str(),
            None => !any_child || u.parent.is_some(),
        })
        .collect();
    rows.sort_by(|a, b| a.unit.cmp(&b.unit));
    let totals: Vec<f64> = rows.iter().map(|u| u.published_total).collect();
    let r = ranks(&totals, policy);
    let mut out: Vec<RankRow> = rows
        .iter()
        .zip(r)
        .map(|(u, rank)| RankRow {
            rank,
            unit: u.unit.clone(),
            name: u.name.clone(),
            kind: u.kind.clone(),
            total: u.published_total,
        })
        .collect();
    out.sort_by(|a, b| a.rank.cmp(&b.rank).then_with(|| a.unit.cmp(&b.unit)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_tie_policies() {
        let t = [90.0, 95.004, 95.0, 80.0];
        assert_eq!(ranks(&t, RankPolicy::Portal), vec![3, 1, 2, 4]);
        assert_eq!(ranks(&t, RankPolicy::Competition), vec![3, 1, 1, 4]);
        assert_eq!(ranks(&t, RankPolicy::Dense), vec![2, 1, 1, 3]);
    }

    #[test]
    fn empty_and_single() {
        assert!(ranks(&[], RankPolicy::Dense).is_empty());
        assert_eq!(ranks(&[12.0], RankPolicy::Competition), vec![1]);
    }
}
