//! The changes of state a plan can make (and a what-if can try), and which records each one changes.

use crate::classify::{Judgement, Progress};
use crate::measure::RatioKey;
use crate::model::{Channel, Dossier, PaymentGateway, Petition, Procedure};
use crate::options::{EResultBase, Options};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

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
    /// A component reused from digitised data (4.3).
    ReuseData,
    /// Linked with the personal data store (4.4).
    LinkPersonalStore,
    /// National population data used (4.5b).
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
    /// Changes are counted in dossiers.
    Dossiers,
    /// Changes are counted in petitions.
    Petitions,
    /// Changes are counted in procedures.
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

    /// What this action's changes are counted in.
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
