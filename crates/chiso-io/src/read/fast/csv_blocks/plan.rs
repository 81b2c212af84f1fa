//! What each column feeds: the plan for reading the data rows.

use super::*;
use chiso::columnar::flag;
use chiso::tally::TallyContext;

/// The field a column feeds, as the ordinary reader's `Build for Dossier` would set it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Col {
    /// Not read: the field's bytes are passed over.
    Ignore,
    Id,
    Unit,
    Procedure,
    Channel,
    /// A time that only has to be valid (submission and sync times do not enter the tally).
    CheckTime,
    Received,
    Due,
    RescheduledDue,
    Finished,
    Returned,
    Status,
    Supplements,
    FeeWaits,
    FeeTotal,
    PaidOnline,
    EResult,
    EResultCode,
    EResultLink,
    /// A yes/no field setting a flag bit.
    Flag(u8),
    PopulationDbCode,
    Components,
}

/// How to read the data rows.
pub(super) struct Plan {
    pub(super) delimiter: u8,
    pub(super) cols: Vec<Col>,
    /// Fee waits stop the clock: the columns cannot carry them, so any fee wait steps aside.
    pub(super) fee_waits_matter: bool,
}

impl Plan {
    pub(super) fn new(shape: &Shape, ctx: &TallyContext<'_>) -> Step<Plan> {
        let mut cols = Vec::with_capacity(shape.resolution.columns.len());
        for spec in &shape.resolution.columns {
            let Some(spec) = spec else {
                cols.push(Col::Ignore);
                continue;
            };
            cols.push(match spec.name {
                "dossier_id" => Col::Id,
                "unit_code" => Col::Unit,
                "procedure_code" => Col::Procedure,
                "channel" => Col::Channel,
                "submitted_at" | "synced_at" => Col::CheckTime,
                "received_at" => Col::Received,
                "due_at" => Col::Due,
                "rescheduled_due_at" => Col::RescheduledDue,
                "finished_at" => Col::Finished,
                "returned_at" => Col::Returned,
                "status" => Col::Status,
                "supplements" => Col::Supplements,
                "fee_waits" => Col::FeeWaits,
                "fee_total" => Col::FeeTotal,
                "paid_online" => Col::PaidOnline,
                "e_result" => Col::EResult,
                "e_result_code" => Col::EResultCode,
                "e_result_link" => Col::EResultLink,
                "digitised" => Col::Flag(flag::DIGITISED),
                "reused_data" => Col::Flag(flag::REUSED_DATA),
                "personal_store" => Col::Flag(flag::PERSONAL_STORE),
                "population_data" => Col::Flag(flag::POPULATION_DATA),
                "unsatisfied" => Col::Flag(flag::UNSATISFIED),
                "has_petition" => Col::Flag(flag::HAS_PETITION),
                "not_synced" => Col::Flag(flag::NOT_SYNCED),
                "population_db_code" => Col::PopulationDbCode,
                "components" => Col::Components,
                // The process log: scoring never reads it, and no reader rejects a row for it.
                "steps" => Col::Ignore,
                other => return not_fast(format!("column {other} needs the ordinary reader")),
            });
        }
        if !cols.contains(&Col::Id) {
            return not_fast("no dossier_id column");
        }
        Ok(Plan {
            delimiter: shape.delimiter,
            cols,
            fee_waits_matter: ctx.options.fee_wait_stops_clock,
        })
    }
}
