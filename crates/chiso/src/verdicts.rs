//! Every dossier's verdict, row by row: where each input record stands in the period (counted,
//! carried over, excluded and why), its 2.1 class, and the yes/no facts each indicator read.
//! The counters are sums of exactly these values ([`Counts::add_row`] adds a row's [`Reads`]),
//! so an export of the verdicts adds up to the scorecard by construction.

use crate::classify::{DeadlineSource, Exclusion, Progress, Scope, Verdict};
use crate::model::{flag, Channel};
use crate::moment::time_of;
use crate::row_facts::RowFacts;
use crate::workdays::WorkCalendar;
use chrono::NaiveDateTime;

#[cfg(doc)]
use crate::tally::Counts;

/// Receives every input row's verdict as it is judged, for a verdict export written while
/// reading (no dossier is kept for it). The readers call it; writers implement it (and keep
/// their own I/O errors, reported when the export is finished). Rows arrive in input order
/// within a batch; batches of parallel readers may interleave.
pub trait VerdictSink: Sync {
    /// One counted or excluded row: its id and codes as read, and its verdict.
    fn judged(&self, id: &str, unit: &str, procedure: &str, v: &RowVerdict);
    /// A row counted nowhere: rejected by the reader (`scope` "rejected") or superseded by a
    /// later sync of its id ("superseded"), with why.
    fn unjudged(&self, id: &str, unit: &str, procedure: &str, scope: &'static str, why: &str);
    /// Forgets the rows received so far: a fast reader stepped aside and the next reader
    /// judges every row again.
    fn restart(&self);
}

/// What one input row came to: its scope and verdict when counted, or why it was excluded, with
/// the facts the counters read. Small and `Copy`, so a batch of them costs no allocation per row.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RowVerdict {
    /// Scope and verdict when counted; the exclusion otherwise.
    pub judged: Result<(Scope, Verdict), Exclusion>,
    /// The facts the counters read.
    pub facts: RowFacts,
}

/// The yes/no facts a counted dossier adds to the indicators other than 2.1 (a carried-over or
/// excluded dossier adds none of them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reads {
    /// 1.4: synced to the portal.
    pub synced: bool,
    /// 3.3: online channel and, for a paper-result procedure, an electronic result.
    pub online: bool,
    /// 3.6 denominator: a non-zero fee (the fee lines decide, not the catalogue).
    pub fee: bool,
    /// Paid online (gateway 1 or 2): 3.6's numerator with `fee`, 3.5b's whatever the fee.
    pub paid_online: bool,
    /// 4.1: an electronic result.
    pub e_result: bool,
    /// 4.2: components attached and, for a paper-result procedure, an electronic result.
    pub digitised: bool,
    /// 4.3: a component reused from digitised data.
    pub reused_data: bool,
    /// 4.4: linked with the personal data store.
    pub personal_store: bool,
    /// 4.5b: national population data used.
    pub population_data: bool,
    /// Rated unsatisfied.
    pub unsatisfied: bool,
    /// A petition filed about it.
    pub has_petition: bool,
    /// 5.4 numerator: not rated unsatisfied, no petition about it, not late by any 2.1 class.
    pub satisfied: bool,
}

impl Reads {
    /// The facts of a dossier received in the period, with its 2.1 class.
    #[inline]
    pub fn of(r: &RowFacts, progress: Progress) -> Reads {
        let has = |f: u8| r.flags & f != 0;
        let e_result = has(flag::E_RESULT);
        let result_ok = !r.paper_result || e_result;
        let (unsatisfied, has_petition) = (has(flag::UNSATISFIED), has(flag::HAS_PETITION));
        Reads {
            synced: !has(flag::NOT_SYNCED),
            online: r.channel == Channel::Online && result_ok,
            fee: r.has_fee,
            paid_online: r.paid_online,
            e_result,
            digitised: has(flag::DIGITISED) && result_ok,
            reused_data: has(flag::REUSED_DATA),
            personal_store: has(flag::PERSONAL_STORE),
            population_data: has(flag::POPULATION_DATA),
            unsatisfied,
            has_petition,
            satisfied: !unsatisfied && !has_petition && !progress.is_late(),
        }
    }
}

/// Column names of a verdict export, in order ([`VerdictFields`] plus the row's identity).
pub const VERDICT_COLUMNS: &[&str] = &[
    "dossier_id",
    "unit_code",
    "procedure_code",
    "period_scope",
    "reason",
    "class",
    "deadline",
    "deadline_source",
    "end_at",
    "waited_hours",
    "working_days_late",
    "channel",
    "synced",
    "online",
    "fee",
    "paid_online",
    "e_result",
    "digitised",
    "reused_data",
    "personal_store",
    "population_data",
    "unsatisfied",
    "has_petition",
    "satisfied",
];

/// One verdict as exported: every column of [`VERDICT_COLUMNS`] after the row's identity.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VerdictFields {
    /// `counted` (received in the period), `carried_over` (2.1 only), `excluded` or `rejected`.
    pub period_scope: &'static str,
    /// Why excluded (or left out of 2.1 for want of a deadline); empty otherwise.
    pub reason: &'static str,
    /// The 2.1 class ([`Progress::name`]); empty when 2.1 does not judge the row.
    pub class: &'static str,
    /// The deadline judged against.
    pub deadline: Option<NaiveDateTime>,
    /// `due`, `rescheduled`, `statutory` or `none`; empty when not judged.
    pub deadline_source: &'static str,
    /// End of processing used; `None` while open.
    pub end_at: Option<NaiveDateTime>,
    /// Waiting time subtracted, in hours.
    pub waited_hours: Option<f64>,
    /// Working days from the deadline to the (waits-adjusted) end, or to T while open, for the
    /// late classes; 0 when late only by a repeated supplement request before the deadline.
    pub working_days_late: Option<i64>,
    /// 1 direct, 2 online, 3 postal; `None` when not counted.
    pub channel: Option<u8>,
    /// What the indicators other than 2.1 read (all false unless received in the period).
    pub reads: Reads,
}

impl VerdictFields {
    /// A row rejected by the reader (`message` says which cell): it counts nowhere.
    pub fn rejected() -> Self {
        VerdictFields {
            period_scope: "rejected",
            reason: "",
            class: "",
            deadline: None,
            deadline_source: "",
            end_at: None,
            waited_hours: None,
            working_days_late: None,
            channel: None,
            reads: Reads::default(),
        }
    }
}

fn source_name(s: DeadlineSource) -> &'static str {
    match s {
        DeadlineSource::Due => "due",
        DeadlineSource::Rescheduled => "rescheduled",
        DeadlineSource::Statutory => "statutory",
        DeadlineSource::None => "none",
    }
}

impl RowVerdict {
    /// The exported fields; `t` is the evaluation time in milliseconds (for open dossiers'
    /// working days late).
    pub fn fields(&self, t: i64, cal: &dyn WorkCalendar) -> VerdictFields {
        let (s, v) = match self.judged {
            Ok(sv) => sv,
            Err(e) => {
                return VerdictFields {
                    period_scope: "excluded",
                    reason: e.reason(),
                    ..VerdictFields::rejected()
                }
            }
        };
        let late_at = if v.progress.is_open() { t } else { v.end };
        let working_days_late = match (v.progress.is_late(), time_of(v.deadline)) {
            (true, Some(dl)) => time_of(late_at.saturating_sub(v.waited))
                .map(|at| cal.working_days_between(dl.date(), at.date()).max(0)),
            _ => None,
        };
        let received = s == Scope::Received;
        VerdictFields {
            period_scope: if received { "counted" } else { "carried_over" },
            reason: if v.progress == Progress::NoDeadline {
                Exclusion::NoDeadline.reason()
            } else {
                ""
            },
            class: v.progress.name(),
            deadline: time_of(v.deadline),
            deadline_source: source_name(v.deadline_source),
            end_at: time_of(v.end),
            waited_hours: Some(v.waited as f64 / 3.6e6),
            working_days_late,
            channel: received.then_some(u8::from(self.facts.channel)),
            reads: if received {
                Reads::of(&self.facts, v.progress)
            } else {
                Reads::default()
            },
        }
    }
}
