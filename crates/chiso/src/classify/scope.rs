//! Whether a dossier belongs to a period at all, and why not when it does not.

use super::times::{terminal_at, Frame, Times};
use crate::model::Status;
use crate::moment::NO_TIME;
use crate::options::Options;
use serde::{Deserialize, Serialize};

/// Why a dossier is not counted in a period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exclusion {
    /// No receipt date, or status 1 (new).
    NotReceived,
    /// Status 3: refused at the counter.
    RefusedAtCounter,
    /// Received outside the period (and not carried over).
    OutsidePeriod,
    /// Received after the evaluation time.
    AfterEvaluationTime,
    /// Neither a due date nor a statutory time: left out of 2.1 only — the dossier still counts
    /// in every other indicator (DATA-MODEL.md §3 step 5).
    NoDeadline,
}

impl Exclusion {
    /// Every reason, in declaration order (`e as usize` indexes it).
    pub const ALL: [Exclusion; 5] = [
        Exclusion::NotReceived,
        Exclusion::RefusedAtCounter,
        Exclusion::OutsidePeriod,
        Exclusion::AfterEvaluationTime,
        Exclusion::NoDeadline,
    ];

    /// Whether the whole dossier is left out (every exclusion but [`Exclusion::NoDeadline`],
    /// which leaves it out of 2.1 only).
    pub fn whole_dossier(self) -> bool {
        self != Exclusion::NoDeadline
    }

    /// The reason as shown in reports and accounting.
    pub fn reason(self) -> &'static str {
        match self {
            Exclusion::NotReceived => "not received (no receipt date or status 1)",
            Exclusion::RefusedAtCounter => "refused at the counter (status 3)",
            Exclusion::OutsidePeriod => "received outside the period",
            Exclusion::AfterEvaluationTime => "received after the evaluation time",
            Exclusion::NoDeadline => "no deadline (neither a due date nor a statutory time)",
        }
    }
}

/// How a counted dossier belongs to the period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Received in the period.
    Received,
    /// Received earlier and still open at the period start (option `carry_over_open`): counted
    /// in 2.1 only.
    CarriedOver,
}

/// [`scope`](super::scope) in milliseconds, for a dossier of the given (effective) status. A carried-over
/// dossier is only a candidate here: whether it was still open at the period start depends on
/// its supplements too, which [`super::classify_at`] checks.
#[inline]
pub fn scope_at(
    status: Status,
    x: &Times,
    frame: &Frame,
    opts: &Options,
) -> Result<Scope, Exclusion> {
    if status == Status::RefusedAtCounter {
        return Err(Exclusion::RefusedAtCounter);
    }
    if x.received == NO_TIME || !status.is_received() {
        return Err(Exclusion::NotReceived);
    }
    if x.received > frame.t {
        return Err(Exclusion::AfterEvaluationTime);
    }
    if x.received >= frame.start && x.received < frame.end_exclusive {
        return Ok(Scope::Received);
    }
    if opts.carry_over_open && x.received < frame.start {
        let end = terminal_at(x, frame.t);
        if end == NO_TIME || end >= frame.start {
            return Ok(Scope::CarriedOver);
        }
    }
    Err(Exclusion::OutsidePeriod)
}
