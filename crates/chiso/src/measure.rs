//! Ratio definitions: each indicator's profile entry names one of these keys, and this module
//! says which counters make its numerator and denominator.

use crate::options::{EResultBase, Options};
use crate::tally::Counts;
use serde::{Deserialize, Serialize};

/// Every ratio a profile can refer to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RatioKey {
    /// 1.1: procedures published on time.
    ProceduresPublishedOnTime,
    /// 1.2: procedures updated and made public on time.
    ProceduresPublicUpdateOnTime,
    /// 1.3: procedures published with all seven parts.
    ProceduresPublicComplete,
    /// 1.4: dossiers synced to the portal.
    DossiersSynced,
    /// 2.1: dossiers handled early or on time.
    DossiersOnTime,
    /// 2.2: average resolution time in days (display).
    AverageResolutionDays,
    /// 3.1: procedures offered online.
    ProceduresOnline,
    /// 3.2: online services that received an online dossier.
    OnlineServicesUsed,
    /// 3.3: online dossiers.
    DossiersOnline,
    /// Full-process online dossiers.
    DossiersFullProcessOnline,
    /// 3.6: dossiers paid online.
    DossiersPaidOnline,
    /// 3.5b: fee-bearing procedures with a dossier paid online.
    FeeProceduresPaidOnline,
    /// 3.5a: fee-bearing procedures with fee data in a dossier.
    FeeProceduresWithFeeData,
    /// 4.1: dossiers with an electronic result.
    DossiersEResult,
    /// 4.2: digitised dossiers.
    DossiersDigitised,
    /// Communes offering electronic certified copies.
    CommunesECertifiedCopy,
    /// 4.3: dossiers reusing digitised data.
    DossiersReusedData,
    /// 4.4: dossiers linked with the personal data store.
    DossiersPersonalStore,
    /// 4.5a: procedures using national population data.
    ProceduresPopulationData,
    /// 4.5b: dossiers using national population data.
    DossiersPopulationData,
    /// 5.1: petitions about procedures (tracking).
    PetitionsAboutProcedures,
    /// 5.2: petitions handled on time.
    PetitionsOnTime,
    /// 5.3: satisfaction with petition handling.
    PetitionsSatisfied,
    /// 5.4: satisfaction with dossier handling.
    DossiersSatisfied,
}

/// Counts of distinct procedures (and unit–procedure pairs) for a unit's subtree. Not additive
/// across units: derived from per-procedure rows and the catalogue at scoring time, or taken as
/// published.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DistinctCounts {
    /// 3.1 denominator: procedures under the unit's authority.
    pub authority_procedures: u64,
    /// 3.1 numerator: of which offered online (partial or full process).
    pub online_procedures: u64,
    /// 3.2: (unit, online procedure) pairs offered, and those that received an online dossier.
    pub online_services_offered: u64,
    /// 3.2 numerator: of those pairs, the ones that received an online dossier.
    pub online_services_used: u64,
    /// 3.5a/3.5b denominator: fee-bearing procedures.
    pub fee_procedures: u64,
    /// 3.5a numerator: with ≥1 dossier carrying non-zero fee data.
    pub fee_procedures_with_fee_data: u64,
    /// 3.5b numerator: with ≥1 dossier paid online, whatever its fee lines say.
    pub fee_procedures_paid_online: u64,
    /// 4.5a: procedures whose applicants include citizens, and those with ≥1 dossier using
    /// national population data.
    pub citizen_procedures: u64,
    /// 4.5a numerator: of those, procedures with ≥1 dossier using population data.
    pub citizen_procedures_population: u64,
}

/// Catalogue-level counts of the province or ministry (1.1–1.3); every child shows the parent's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CatalogueCounts {
    /// 1.1 denominator: publishing decisions (QĐCB) dated in the period up to T.
    pub published: u64,
    /// 1.1 numerator: of which on time.
    pub published_on_time: u64,
    /// 1.2 denominator: procedures made public in the period up to T, or due to be by then.
    pub public_update: u64,
    /// 1.2 numerator: of which on time.
    pub public_update_on_time: u64,
    /// 1.3 denominator: procedures that are public.
    pub public_total: u64,
    /// 1.3 numerator: of which with all seven parts.
    pub public_complete: u64,
}

/// Non-additive facts about a unit used next to its pooled counters.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UnitFacts {
    /// Distinct-procedure counts of the subtree.
    pub distinct: DistinctCounts,
    /// Catalogue counts of the root authority.
    pub catalogue: CatalogueCounts,
    /// 4.x: communes in the subtree with data, and those offering electronic certified copies.
    pub e_copy_communes: u64,
    /// Of those, communes offering electronic certified copies.
    pub e_copy_offering: u64,
    /// Notes on how the facts were obtained (fallbacks), shown with the indicators they affect.
    pub notes: Vec<crate::text::Text>,
}

/// An indicator's raw measurement before the score rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Measure {
    /// Numerator, from the counters.
    pub numerator: f64,
    /// Denominator, from the counters.
    pub denominator: f64,
    /// For display-only indicators: the value shown (e.g. average days).
    pub value: Option<f64>,
    /// Fallbacks behind the figure.
    pub notes: Vec<crate::text::Text>,
}

impl Measure {
    fn of(numerator: u64, denominator: u64) -> Self {
        Self {
            numerator: numerator as f64,
            denominator: denominator as f64,
            value: None,
            notes: Vec::new(),
        }
    }

    /// The ratio in [0, 1], or `None` when the denominator is empty.
    pub fn ratio(&self) -> Option<f64> {
        (self.denominator > 0.0).then(|| (self.numerator / self.denominator).clamp(0.0, 1.0))
    }
}

/// Measures one ratio for a unit from its pooled counters and facts.
pub fn measure(
    key: RatioKey,
    c: &Counts,
    f: &UnitFacts,
    options: &Options,
    per_year: f64,
) -> Measure {
    use RatioKey::*;
    let d = &f.distinct;
    let cat = &f.catalogue;
    let paper_only = options.e_result_base == EResultBase::PaperResultOnly;
    match key {
        ProceduresPublishedOnTime => Measure::of(cat.published_on_time, cat.published),
        ProceduresPublicUpdateOnTime => Measure::of(cat.public_update_on_time, cat.public_update),
        ProceduresPublicComplete => Measure::of(cat.public_complete, cat.public_total),
        DossiersSynced => synced(c, per_year),
        DossiersOnTime => Measure::of(
            c.early + c.on_time + c.open_within,
            (c.received + c.carried_over).saturating_sub(c.no_deadline),
        ),
        AverageResolutionDays => {
            let days = c.resolution_minutes as f64 / 1440.0;
            Measure {
                numerator: days,
                denominator: c.ended as f64,
                value: (c.ended > 0).then(|| days / c.ended as f64),
                notes: Vec::new(),
            }
        }
        ProceduresOnline => Measure::of(d.online_procedures, d.authority_procedures),
        OnlineServicesUsed => Measure::of(d.online_services_used, d.online_services_offered),
        DossiersOnline => Measure::of(c.online, c.received),
        DossiersFullProcessOnline => Measure::of(c.full_process_online, c.full_process_base),
        DossiersPaidOnline => Measure::of(c.paid_online, c.fee_dossiers),
        FeeProceduresPaidOnline => Measure::of(d.fee_procedures_paid_online, d.fee_procedures),
        FeeProceduresWithFeeData => Measure::of(d.fee_procedures_with_fee_data, d.fee_procedures),
        // §5.6: the option changes 4.1's denominator only; 4.2 stays over every dossier.
        DossiersEResult if paper_only => Measure::of(c.paper_result_e_result, c.paper_result_base),
        DossiersEResult => Measure::of(c.e_result, c.received),
        DossiersDigitised => Measure::of(c.digitised, c.received),
        CommunesECertifiedCopy => Measure::of(f.e_copy_offering, f.e_copy_communes),
        DossiersReusedData => Measure::of(c.reused_data, c.received),
        DossiersPersonalStore => Measure::of(c.personal_store, c.received),
        ProceduresPopulationData => {
            Measure::of(d.citizen_procedures_population, d.citizen_procedures)
        }
        DossiersPopulationData => Measure::of(c.population_data, c.received),
        // 5.2 over petitions whose clock started in the period; 5.3 and 5.1 over petitions
        // first received in it (§6.6).
        PetitionsAboutProcedures => Measure::of(c.petitions_procedures, c.petitions_received),
        PetitionsOnTime => Measure::of(c.petitions_on_time, c.petitions),
        PetitionsSatisfied => Measure::of(c.petitions_satisfied, c.petitions_received),
        DossiersSatisfied => Measure::of(c.satisfied, c.received),
    }
}

/// 1.4: synced over max(BCQG, synced); when both are empty, the previous year's BCQG total
/// pro-rated to the period; with no previous year either, ratio 0.
fn synced(c: &Counts, per_year: f64) -> Measure {
    let mut m = Measure::of(c.synced, c.reported_received.max(c.synced));
    if c.reported_received == 0 && c.synced > 0 {
        m.notes
            .push("no national reporting (BCQG) figure: denominator is the synced count".into());
    }
    if m.denominator == 0.0 {
        if c.previous_year_reported > 0 {
            m.denominator = c.previous_year_reported as f64 / per_year.max(1e-9);
            m.notes
                .push("fallback: previous year's BCQG total pro-rated to the period".into());
        } else {
            m.notes
                .push("no synced dossiers and no previous-year figure: ratio 0".into());
        }
    }
    m
}
