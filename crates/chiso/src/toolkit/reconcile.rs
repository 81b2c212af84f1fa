//! Reconciliation of two sources of counts — the provincial system's dossiers against the
//! national reporting system's figures (BCQG), or two exports of the same system — per unit and
//! period, with the dossier ids found in one source only and the effect on indicator 1.4.

use crate::classify::{effective_time, terminal_time};
use crate::model::Dossier;
use crate::period::Period;
use crate::profile::Profile;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Counts of one unit and period as another system reports them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportedCount {
    /// Unit code.
    pub unit_code: String,
    /// Dossiers received in the period.
    pub received: u64,
    /// Dossiers resolved in the period.
    pub resolved: u64,
}

/// One source: dossier records, or reported counts.
#[derive(Clone, Copy, Debug)]
pub enum Source<'a> {
    /// Dossier records, counted here.
    Dossiers(&'a [Dossier]),
    /// Counts as the other system reports them.
    Counts(&'a [ReportedCount]),
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
/// One unit's received and resolved counts in two sources, and the effect on 1.4.
pub struct ReconRow {
    /// Unit code.
    pub unit_code: String,
    /// Received, source A.
    pub received_a: u64,
    /// Received, source B.
    pub received_b: u64,
    /// Resolved, source A.
    pub resolved_a: u64,
    /// Resolved, source B.
    pub resolved_b: u64,
    /// a − b.
    pub received_diff: i64,
    /// a − b.
    pub resolved_diff: i64,
    /// Dossier ids in one source only (when both sources are dossier lists).
    pub only_in_a: Vec<String>,
    /// Dossier ids in source B only.
    pub only_in_b: Vec<String>,
    /// 1.4 with source A as the synced dossiers and source B as the reported figure:
    /// A / max(A, B), and its points under the profile.
    pub sync_ratio: Option<f64>,
    /// Points of 1.4 at that ratio.
    pub sync_points: f64,
    /// 1.4 points lost (maximum minus points).
    pub sync_points_lost: f64,
}

#[derive(Default)]
struct Side {
    received: u64,
    resolved: u64,
    ids: BTreeSet<String>,
}

fn tally_side(src: Source<'_>, period: &Period, t: NaiveDateTime) -> BTreeMap<String, Side> {
    let mut m: BTreeMap<String, Side> = BTreeMap::new();
    match src {
        Source::Dossiers(ds) => {
            for d in ds {
                let Some(r) = d
                    .received_at
                    .filter(|r| d.is_received() && period.contains(*r) && *r <= t)
                else {
                    continue;
                };
                let _ = r;
                let s = m.entry(d.unit_code.trim().to_string()).or_default();
                s.received += 1;
                s.resolved += u64::from(terminal_time(d, t).is_some());
                s.ids.insert(d.dossier_id.trim().to_string());
            }
        }
        Source::Counts(cs) => {
            for c in cs {
                let s = m.entry(c.unit_code.trim().to_string()).or_default();
                s.received += c.received;
                s.resolved += c.resolved;
            }
        }
    }
    m
}

/// Compares two sources unit by unit; the last row (unit code `*`) is the total.
pub fn reconcile(
    a: Source<'_>,
    b: Source<'_>,
    period: &Period,
    as_of: NaiveDateTime,
    profile: &Profile,
) -> Vec<ReconRow> {
    let t = effective_time(period, as_of);
    let (sa, sb) = (tally_side(a, period, t), tally_side(b, period, t));
    let both_lists = matches!((a, b), (Source::Dossiers(_), Source::Dossiers(_)));
    let sync_def = profile
        .indicators
        .iter()
        .find(|i| i.ratio == crate::measure::RatioKey::DossiersSynced);
    let units: BTreeSet<&String> = sa.keys().chain(sb.keys()).collect();
    let empty = Side::default();
    let mut rows: Vec<ReconRow> = units
        .into_iter()
        .map(|u| {
            let (x, y) = (sa.get(u).unwrap_or(&empty), sb.get(u).unwrap_or(&empty));
            row(u, x, y, both_lists, sync_def)
        })
        .collect();
    let mut total = Side::default();
    let mut total_b = Side::default();
    for s in sa.values() {
        total.received += s.received;
        total.resolved += s.resolved;
        total.ids.extend(s.ids.iter().cloned());
    }
    for s in sb.values() {
        total_b.received += s.received;
        total_b.resolved += s.resolved;
        total_b.ids.extend(s.ids.iter().cloned());
    }
    rows.push(row("*", &total, &total_b, both_lists, sync_def));
    rows
}

fn row(
    unit: &str,
    x: &Side,
    y: &Side,
    both_lists: bool,
    sync_def: Option<&crate::profile::IndicatorDef>,
) -> ReconRow {
    let den = x.received.max(y.received);
    let (sync_points, max) = match sync_def {
        Some(def) => (def.score_ratio(x.received as f64, den as f64).0, def.max),
        None => (0.0, 0.0),
    };
    ReconRow {
        unit_code: unit.to_string(),
        received_a: x.received,
        received_b: y.received,
        resolved_a: x.resolved,
        resolved_b: y.resolved,
        received_diff: x.received as i64 - y.received as i64,
        resolved_diff: x.resolved as i64 - y.resolved as i64,
        only_in_a: if both_lists {
            x.ids.difference(&y.ids).cloned().collect()
        } else {
            Vec::new()
        },
        only_in_b: if both_lists {
            y.ids.difference(&x.ids).cloned().collect()
        } else {
            Vec::new()
        },
        sync_ratio: (den > 0).then(|| x.received as f64 / den as f64),
        sync_points,
        sync_points_lost: (max - sync_points).max(0.0),
    }
}
