//! Facts that are not dossier counters: catalogue-level counts (1.1–1.3) and communes offering
//! e-copies (4.x). Distinct-procedure counts are pooled up the tree in [`crate::pool`].

use crate::measure::CatalogueCounts;
use crate::model::{Level, Procedure, Unit, UnitKind};
use crate::options::Limits;
use crate::period::Period;
use crate::workdays::WorkCalendar;
use chrono::{NaiveDateTime, NaiveTime};

/// Catalogue-level counts (1.1–1.3) for the period, judged at `t`.
pub fn catalogue_counts(
    catalogue: &[Procedure],
    period: &Period,
    t: NaiveDateTime,
    limits: &Limits,
    cal: &dyn WorkCalendar,
) -> CatalogueCounts {
    let mut c = CatalogueCounts::default();
    let at = |d: chrono::NaiveDate| d.and_time(NaiveTime::MIN);
    let in_period = |d: chrono::NaiveDate| period.contains(at(d)) && at(d) <= t;
    for p in catalogue {
        let ministry = p.level == Some(Level::Ministry);
        let (publish_days, update_days) = if ministry {
            (
                limits.publish_days_ministry,
                limits.public_update_days_ministry,
            )
        } else {
            (
                limits.publish_days_province,
                limits.public_update_days_province,
            )
        };
        if let Some(published) = p.published_at {
            if in_period(published) {
                c.published += 1;
                let on_time = p.legal_basis_effective_at.is_some_and(|eff| {
                    cal.add_working_days_at(at(published), publish_days) <= at(eff)
                });
                c.published_on_time += u64::from(on_time);
            }
            let limit = cal.add_working_days_at(at(published), update_days);
            match p.made_public_at {
                Some(public) if in_period(public) => {
                    c.public_update += 1;
                    c.public_update_on_time += u64::from(at(public) <= limit);
                }
                None if limit <= t.min(period.end_time()) && limit >= period.start_time() => {
                    // Still pending and already past its limit within the period.
                    c.public_update += 1;
                }
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
