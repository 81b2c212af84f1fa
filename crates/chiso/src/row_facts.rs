//! The facts the counters read of one counted dossier besides its verdict, the same whether the
//! dossier came as a record or as a row of columns (the tally, the columnar kernel, the live
//! scoreboard and the verdict export all read them).

use crate::model::{Channel, Dossier, Procedure};
use crate::moment::millis_of;

/// What the counters read of one counted dossier besides its verdict: the same few facts
/// whether the dossier came as a record or as a row of columns.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RowFacts {
    /// Submission channel.
    pub channel: Channel,
    /// A financial obligation (a fee total above zero).
    pub has_fee: bool,
    /// Paid online through either gateway.
    pub paid_online: bool,
    /// [`crate::model::flag`] bits.
    pub flags: u8,
    /// Facts of the procedure (false when it is not in the catalogue).
    pub paper_result: bool,
    /// The procedure is eligible for full-process online service.
    pub full_process_eligible: bool,
    /// Receipt time in milliseconds ([`crate::moment`]).
    pub received: i64,
}

impl RowFacts {
    /// The facts of a dossier record and its procedure.
    pub fn of(d: &Dossier, p: Option<&Procedure>) -> Self {
        Self {
            channel: d.channel,
            has_fee: d.fee_total > 0.0,
            paid_online: d.paid_online.is_online(),
            flags: d.flags(),
            paper_result: p.is_some_and(|p| p.paper_result),
            full_process_eligible: p.is_some_and(|p| p.full_process_eligible),
            received: millis_of(d.received_at),
        }
    }
}
