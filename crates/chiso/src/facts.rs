//! Deriving the non-additive facts of a unit (distinct-procedure counts, catalogue-level counts,
//! communes offering e-copies) from per-procedure tally rows and the catalogue.

use crate::measure::{CatalogueCounts, DistinctCounts, UnitFacts};
use crate::model::{Level, Procedure, Unit, UnitKind};
use crate::options::Limits;
use crate::period::Period;
use crate::tally::Pooled;
use crate::workdays::WorkCalendar;
use chrono::{NaiveDateTime, NaiveTime};

/// Distinct-procedure counts for a subtree (`units`) from its pooled rows and the catalogue.
/// Without a catalogue, procedures seen in the dossiers stand in, and a note says so.
pub fn distinct_counts(
    units: &[&Unit],
    pooled: &Pooled<'_>,
    catalogue: &[Procedure],
    notes: &mut Vec<String>,
) -> DistinctCounts {
    let mut d = DistinctCounts::default();
    if catalogue.is_empty() {
        if !pooled.by_procedure.is_empty() {
            notes.push("no procedure catalogue: distinct-procedure indicators use the procedures seen in dossiers".into());
        }
        for c in pooled.by_procedure.values() {
            d.authority_procedures += 1;
            d.citizen_procedures += 1;
            d.citizen_procedures_population += u64::from(c.population_data > 0);
            if c.channel_online > 0 {
                d.online_procedures += 1;
            }
            if c.fee_dossiers > 0 {
                d.fee_procedures += 1;
                d.fee_procedures_with_fee_data += 1;
                d.fee_procedures_paid_online += u64::from(c.paid_online > 0);
            }
        }
        d.online_services_offered = pooled.online_pairs.len() as u64;
        d.online_services_used = pooled.online_pairs.len() as u64;
        return d;
    }
    let mut unknown = 0usize;
    let used_pairs: std::collections::HashSet<(&str, &str)> =
        pooled.online_pairs.iter().copied().collect();
    for p in catalogue {
        let implementers: Vec<&&Unit> = units
            .iter()
            .filter(|u| p.implemented_by(&u.code, &u.kind))
            .collect();
        let rows = pooled.by_procedure.get(p.procedure_code.as_str());
        if implementers.is_empty() && rows.is_none() {
            continue;
        }
        d.authority_procedures += 1;
        if p.offered_online() {
            d.online_procedures += 1;
            d.online_services_offered += implementers.len() as u64;
            d.online_services_used += implementers
                .iter()
                .filter(|u| used_pairs.contains(&(u.code.as_str(), p.procedure_code.as_str())))
                .count() as u64;
        }
        if p.fee_bearing {
            d.fee_procedures += 1;
            d.fee_procedures_with_fee_data += u64::from(rows.is_some_and(|c| c.fee_dossiers > 0));
            d.fee_procedures_paid_online += u64::from(rows.is_some_and(|c| c.paid_online > 0));
        }
        if p.for_citizens {
            d.citizen_procedures += 1;
            d.citizen_procedures_population +=
                u64::from(rows.is_some_and(|c| c.population_data > 0));
        }
    }
    for code in pooled.by_procedure.keys() {
        if !catalogue.iter().any(|p| p.procedure_code == *code) {
            unknown += 1;
        }
    }
    if unknown > 0 {
        notes.push(format!("{unknown} procedure(s) in dossiers are not in the catalogue and are left out of distinct-procedure counts"));
    }
    d
}

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

/// All facts for a subtree.
pub fn unit_facts(
    units: &[&Unit],
    pooled: &Pooled<'_>,
    catalogue: &[Procedure],
    catalogue_level: CatalogueCounts,
) -> UnitFacts {
    let mut notes = Vec::new();
    let distinct = distinct_counts(units, pooled, catalogue, &mut notes);
    let (e_copy_communes, e_copy_offering) = e_copy_counts(units);
    UnitFacts {
        distinct,
        catalogue: catalogue_level,
        e_copy_communes,
        e_copy_offering,
        notes,
    }
}
