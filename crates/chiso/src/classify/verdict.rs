//! What a dossier's classification says: its class for 2.1, the deadline it was judged against,
//! and the reasoning behind it (in milliseconds for the tally, as times for explaining it).

use crate::moment::time_of;
use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// Where a dossier stands for indicator 2.1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    /// Ended on a calendar day before the due day (a display split of on time).
    Early,
    /// Ended by the due moment.
    OnTime,
    /// Ended late, or ended with more than one supplement request.
    Late,
    /// Open at T with more than one supplement request: late by rule, but not past its
    /// deadline, so not "overdue in progress" (DATA-MODEL.md §3 step 2).
    LateRepeatedSupplement,
    /// Open at T and not yet due.
    OpenWithinDeadline,
    /// Open at T and past due: "hồ sơ đang giải quyết quá hạn".
    OpenOverdue,
    /// Neither a due date nor a statutory time: cannot be judged, so left out of 2.1 (and of
    /// 5.4's "resolved late"), while every other indicator still counts the dossier (§3 step 5).
    NoDeadline,
}

impl Progress {
    /// Every class, in declaration order.
    pub const ALL: [Progress; 7] = [
        Progress::Early,
        Progress::OnTime,
        Progress::Late,
        Progress::LateRepeatedSupplement,
        Progress::OpenWithinDeadline,
        Progress::OpenOverdue,
        Progress::NoDeadline,
    ];

    /// Whether the dossier counts in the numerator of 2.1.
    pub fn scores(self) -> bool {
        matches!(
            self,
            Progress::Early | Progress::OnTime | Progress::OpenWithinDeadline
        )
    }
    /// Open at T (no end of processing yet), whatever the class.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Progress::OpenWithinDeadline | Progress::OpenOverdue | Progress::LateRepeatedSupplement
        )
    }
    /// Every late class of 2.1, which is also 5.4's "resolved late": ended late, overdue in
    /// progress, and late by repeated supplement.
    pub fn is_late(self) -> bool {
        matches!(
            self,
            Progress::Late | Progress::OpenOverdue | Progress::LateRepeatedSupplement
        )
    }
    /// Whether 2.1 counts the dossier at all (in its denominator).
    pub fn in_progress_indicator(self) -> bool {
        self != Progress::NoDeadline
    }
    /// The class as written in exports (`""` for a dossier 2.1 does not judge).
    pub fn name(self) -> &'static str {
        match self {
            Progress::Early => "early",
            Progress::OnTime => "on_time",
            Progress::Late => "late",
            Progress::LateRepeatedSupplement => "late_repeated_supplement",
            Progress::OpenWithinDeadline => "open_within_deadline",
            Progress::OpenOverdue => "overdue_in_progress",
            Progress::NoDeadline => "",
        }
    }
}

/// Which deadline a dossier was judged against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineSource {
    /// The due date.
    Due,
    /// The new appointment of an apology letter (option `apology_due`).
    Rescheduled,
    /// No due date: receipt plus the procedure's statutory time.
    Statutory,
    /// Neither a due date nor a statutory time: the dossier is left out of 2.1
    /// ([`Progress::NoDeadline`]) unless a repeated supplement request makes it late anyway.
    None,
}

/// The full reasoning behind a dossier's progress class, so every point can be explained.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Judgement {
    /// The class.
    pub progress: Progress,
    /// End of processing used (a terminal time, or the request time of a supplement still
    /// outstanding at T); `None` while open.
    pub end: Option<NaiveDateTime>,
    /// Waiting time subtracted (supplements, and fee waits when that option is on).
    pub waited: Duration,
    /// The deadline judged against; `None` when there is none.
    pub deadline: Option<NaiveDateTime>,
    /// Where the deadline came from.
    pub deadline_source: DeadlineSource,
    /// More than one supplement request: late by rule.
    pub repeated_supplement: bool,
}

/// The verdict of [`judge_at`](super::judge_at): a [`Judgement`] in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// The class.
    pub progress: Progress,
    /// End of processing (a terminal time, or the request time of a supplement never
    /// completed), [`crate::moment::NO_TIME`] while open.
    pub end: i64,
    /// Waiting time subtracted, in milliseconds.
    pub waited: i64,
    /// [`NO_TIME`](crate::moment::NO_TIME) when there is none.
    pub deadline: i64,
    /// Where the deadline came from.
    pub deadline_source: DeadlineSource,
    /// More than one supplement request: late by rule.
    pub repeated_supplement: bool,
}

impl From<Verdict> for Judgement {
    /// The verdict with its moments as times, for explaining it.
    fn from(v: Verdict) -> Self {
        Judgement {
            progress: v.progress,
            end: time_of(v.end),
            waited: Duration::milliseconds(v.waited),
            deadline: time_of(v.deadline),
            deadline_source: v.deadline_source,
            repeated_supplement: v.repeated_supplement,
        }
    }
}
