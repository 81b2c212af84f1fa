//! Facts that are not dossier counters: catalogue-level counts (1.1–1.3) and communes offering
//! e-copies (4.x). Distinct-procedure counts are pooled up the tree in [`crate::pool`].
//!
//! 1.1 and 1.2 follow INDICATORS.md §6.1–6.3: windows of working days strictly before/after a
//! date, compared as calendar days, with the limit chosen by the publishing authority (the kind
//! of the unit tree's root), so an earlier date can never get a worse verdict than a later one.

use crate::measure::CatalogueCounts;
use crate::model::{Procedure, Unit, UnitKind};
use crate::options::Limits;
use crate::period::Period;
use crate::workdays::WorkCalendar;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// Who publishes the catalogue, which decides the limits of 1.1 and 1.2 (§6.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Publisher {
    /// A ministry publishes (the ministry limits).
    Ministry,
    /// A province publishes (the province limits).
    Province,
}

impl Publisher {
    /// The publisher of a tree whose root is of this kind: a ministry's tree publishes with the
    /// ministry limits; any other root (province, or an older district tree) with the province's.
    pub fn of_root(kind: &UnitKind) -> Self {
        if kind.as_str() == "ministry" {
            Publisher::Ministry
        } else {
            Publisher::Province
        }
    }

    /// 1.1: working days the decision must come before the legal basis takes effect.
    pub fn publish_days(self, limits: &Limits) -> u32 {
        match self {
            Publisher::Ministry => limits.publish_days_ministry,
            Publisher::Province => limits.publish_days_province,
        }
    }

    /// 1.2: working days after the decision within which the procedure must be made public.
    pub fn public_update_days(self, limits: &Limits) -> u32 {
        match self {
            Publisher::Ministry => limits.public_update_days_ministry,
            Publisher::Province => limits.public_update_days_province,
        }
    }
}

/// 1.1 for one procedure: the decision (QĐCB) dated no later than the `days`-th working day
/// strictly before the newest effective date of its legal basis.
pub fn published_on_time(
    decision: NaiveDate,
    effective: NaiveDate,
    days: u32,
    cal: &dyn WorkCalendar,
) -> bool {
    decision <= cal.nth_working_day_before(effective, days)
}

/// 1.2: the last day a procedure decided on `decision` may be made public, `days` working days
/// strictly after it.
pub fn public_update_deadline(decision: NaiveDate, days: u32, cal: &dyn WorkCalendar) -> NaiveDate {
    cal.nth_working_day_after(decision, days)
}

/// Catalogue-level counts (1.1–1.3) for the period, judged at `t`, with the limits of
/// `publisher`. Procedures left out for missing dates are listed by the data-quality report
/// ([`crate::toolkit::quality`]).
pub fn catalogue_counts(
    catalogue: &[Procedure],
    period: &Period,
    t: NaiveDateTime,
    limits: &Limits,
    publisher: Publisher,
    cal: &dyn WorkCalendar,
) -> CatalogueCounts {
    let mut c = CatalogueCounts::default();
    let today = t.date();
    // A day of the period no later than T.
    let in_window = |d: NaiveDate| period.start() <= d && d <= period.end() && d <= today;
    let (publish_days, update_days) = (
        publisher.publish_days(limits),
        publisher.public_update_days(limits),
    );
    for p in catalogue {
        // 1.1: decisions dated in the period up to T; no effective date → left out.
        if let (Some(decision), Some(effective)) = (p.published_at, p.legal_basis_effective_at) {
            if in_window(decision) {
                c.published += 1;
                c.published_on_time +=
                    u64::from(published_on_time(decision, effective, publish_days, cal));
            }
        }
        // 1.2: made public in the period up to T, plus those not public by T whose deadline
        // fell in the period up to T; made public without a decision date → left out.
        if let Some(decision) = p.published_at {
            let deadline = public_update_deadline(decision, update_days, cal);
            match p.made_public_at.filter(|&m| m <= today) {
                Some(public) if in_window(public) => {
                    c.public_update += 1;
                    c.public_update_on_time += u64::from(public <= deadline);
                }
                None if in_window(deadline) => c.public_update += 1,
                _ => {}
            }
        }
        if p.public {
            c.public_total += 1;
            c.public_complete += u64::from(p.has_all_parts == Some(true));
        }
    }
    c
}

/// 4.x: communes in the subtree that have data, and those offering e-certified copies.
pub fn e_copy_counts(units: &[&Unit]) -> (u64, u64) {
    let communes = units
        .iter()
        .filter(|u| u.kind == UnitKind::commune())
        .filter_map(|u| u.e_certified_copy);
    communes.fold((0, 0), |(n, yes), offers| (n + 1, yes + u64::from(offers)))
}
