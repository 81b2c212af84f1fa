//! Classifying a dossier for 2.1 (progress) as of an evaluation time T — DATA-MODEL.md §3 — and
//! deciding whether it belongs to a period at all. Pure functions of (dossier, procedure, T,
//! options, calendar).

use crate::model::{Dossier, Procedure, Status, StatutoryTime, Wait};
use crate::moment::{day_of, millis_of, time_of, NO_TIME};
use crate::options::{ApologyDue, DueComparison, Options};
use crate::period::Period;
use crate::workdays::{statutory_deadline, WorkCalendar};
use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// Where a dossier stands for indicator 2.1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    /// Ended on a calendar day before the due day (a display split of on time).
    Early,
    OnTime,
    Late,
    /// Open at T and not yet due.
    OpenWithinDeadline,
    /// Open at T and past due: "hồ sơ đang giải quyết quá hạn".
    OpenOverdue,
}

impl Progress {
    /// Whether the dossier counts in the numerator of 2.1.
    pub fn scores(self) -> bool {
        matches!(
            self,
            Progress::Early | Progress::OnTime | Progress::OpenWithinDeadline
        )
    }
    pub fn is_open(self) -> bool {
        matches!(self, Progress::OpenWithinDeadline | Progress::OpenOverdue)
    }
}

/// Which deadline a dossier was judged against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineSource {
    Due,
    Rescheduled,
    /// No due date: receipt plus the procedure's statutory time.
    Statutory,
    /// Neither a due date nor a statutory time: cannot be late; flagged.
    None,
}

/// The full reasoning behind a dossier's progress class, so every point can be explained.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Judgement {
    pub progress: Progress,
    /// End of processing used (a terminal time, or the request time of a supplement still
    /// outstanding at T); `None` while open.
    pub end: Option<NaiveDateTime>,
    /// Waiting time subtracted (supplements, and fee waits when that option is on).
    pub waited: Duration,
    pub deadline: Option<NaiveDateTime>,
    pub deadline_source: DeadlineSource,
    /// More than one supplement request: late by rule.
    pub repeated_supplement: bool,
}

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
}

impl Exclusion {
    /// Every reason, in declaration order (`e as usize` indexes it).
    pub const ALL: [Exclusion; 4] = [
        Exclusion::NotReceived,
        Exclusion::RefusedAtCounter,
        Exclusion::OutsidePeriod,
        Exclusion::AfterEvaluationTime,
    ];

    pub fn reason(self) -> &'static str {
        match self {
            Exclusion::NotReceived => "not received (no receipt date or status 1)",
            Exclusion::RefusedAtCounter => "refused at the counter (status 3)",
            Exclusion::OutsidePeriod => "received outside the period",
            Exclusion::AfterEvaluationTime => "received after the evaluation time",
        }
    }
}

/// How a counted dossier belongs to the period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Received in the period.
    Received,
    /// Received earlier and still open at the period start (option `carry_over_open`).
    CarriedOver,
}

/// The evaluation time actually used: the requested moment, or the period end if earlier.
pub fn effective_time(period: &Period, as_of: NaiveDateTime) -> NaiveDateTime {
    as_of.min(period.end_time())
}

/// The moment processing ended, if it did by `t`: finished before returned (the first terminal
/// time on record).
pub fn terminal_time(d: &Dossier, t: NaiveDateTime) -> Option<NaiveDateTime> {
    time_of(terminal_at(&Times::of(d), millis_of(Some(t))))
}

/// Whether a dossier counts in the period at evaluation time `t`.
pub fn scope(
    d: &Dossier,
    period: &Period,
    t: NaiveDateTime,
    opts: &Options,
) -> Result<Scope, Exclusion> {
    scope_at(
        d.effective_status(),
        &Times::of(d),
        &Frame::new(period, t),
        opts,
    )
}

/// Classifies a received dossier as of `t` (DATA-MODEL.md §3, steps 1–5).
pub fn judge(
    d: &Dossier,
    procedure: Option<&Procedure>,
    t: NaiveDateTime,
    opts: &Options,
    cal: &dyn WorkCalendar,
) -> Judgement {
    let v = judge_at(
        &Times::of(d),
        d.supplements.as_slice(),
        d.fee_waits.as_slice(),
        procedure.and_then(|p| p.statutory_time.as_ref()),
        millis_of(Some(t)),
        opts,
        cal,
    );
    Judgement::from(v)
}

// ------------------------------------------------------------------ the rules, on milliseconds

/// A dossier's times as the rules read them ([`crate::moment`]; [`NO_TIME`] when missing).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Times {
    pub received: i64,
    pub due: i64,
    pub rescheduled_due: i64,
    pub finished: i64,
    pub returned: i64,
}

impl Times {
    pub fn of(d: &Dossier) -> Self {
        Self {
            received: millis_of(d.received_at),
            due: millis_of(d.due_at),
            rescheduled_due: millis_of(d.rescheduled_due_at),
            finished: millis_of(d.finished_at),
            returned: millis_of(d.returned_at),
        }
    }
}

/// The period and the evaluation time in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Frame {
    /// The evaluation time T.
    pub t: i64,
    /// First moment of the period.
    pub start: i64,
    /// First moment after the period's last day.
    pub end_exclusive: i64,
}

impl Frame {
    /// The frame of a period evaluated at `t` (already capped at the period end by the caller
    /// when that is wanted, see [`effective_time`]).
    pub fn new(period: &Period, t: NaiveDateTime) -> Self {
        let start = millis_of(Some(period.start_time()));
        let end_exclusive = period
            .end()
            .succ_opt()
            .map_or(i64::MAX, |d| millis_of(d.and_hms_opt(0, 0, 0)));
        Self {
            t: millis_of(Some(t)),
            start,
            end_exclusive,
        }
    }
}

/// Waits (supplement requests, fee waits) as the rules read them: (requested, completed) in
/// milliseconds, completed [`NO_TIME`] while outstanding; a wait without a request time is
/// ignored.
pub trait Waits {
    fn count(&self) -> usize;
    fn wait(&self, i: usize) -> (i64, i64);
}

impl Waits for [Wait] {
    fn count(&self) -> usize {
        self.len()
    }
    fn wait(&self, i: usize) -> (i64, i64) {
        self.get(i).map_or((NO_TIME, NO_TIME), |w| {
            (millis_of(Some(w.requested_at)), millis_of(w.completed_at))
        })
    }
}

/// The verdict of [`judge_at`]: a [`Judgement`] in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub progress: Progress,
    /// End of processing, [`NO_TIME`] while open.
    pub end: i64,
    /// Waiting time subtracted, in milliseconds.
    pub waited: i64,
    /// [`NO_TIME`] when there is none.
    pub deadline: i64,
    pub deadline_source: DeadlineSource,
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

/// [`terminal_time`] in milliseconds.
#[inline]
pub fn terminal_at(x: &Times, t: i64) -> i64 {
    if x.finished != NO_TIME && x.finished <= t {
        x.finished
    } else if x.returned != NO_TIME && x.returned <= t {
        x.returned
    } else {
        NO_TIME
    }
}

/// [`scope`] in milliseconds, for a dossier of the given (effective) status.
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

/// Sum of completed waits that ended by `until`; and the earliest wait still outstanding then.
#[inline]
fn waits_until<W: Waits + ?Sized>(waits: &W, until: i64) -> (i64, Option<i64>) {
    let mut total = 0i64;
    let mut outstanding: Option<i64> = None;
    for i in 0..waits.count() {
        let (requested, completed) = waits.wait(i);
        if requested == NO_TIME || requested > until {
            continue;
        }
        if completed != NO_TIME && completed <= until {
            if completed > requested {
                total = total.saturating_add(completed - requested);
            }
        } else {
            outstanding = Some(outstanding.map_or(requested, |o| o.min(requested)));
        }
    }
    (total, outstanding)
}

/// Supplement requests made by `until`.
fn requests_until<W: Waits + ?Sized>(waits: &W, until: i64) -> usize {
    (0..waits.count())
        .filter(|&i| {
            let requested = waits.wait(i).0;
            requested != NO_TIME && requested <= until
        })
        .count()
}

/// The deadline the dossier is judged against.
fn deadline_at(
    x: &Times,
    statutory: Option<&StatutoryTime>,
    opts: &Options,
    cal: &dyn WorkCalendar,
) -> (i64, DeadlineSource) {
    if opts.apology_due == ApologyDue::Rescheduled && x.rescheduled_due != NO_TIME {
        return (x.rescheduled_due, DeadlineSource::Rescheduled);
    }
    if x.due != NO_TIME {
        return (x.due, DeadlineSource::Due);
    }
    match (time_of(x.received), statutory) {
        (Some(r), Some(st)) => (
            millis_of(Some(statutory_deadline(r, st, cal))),
            DeadlineSource::Statutory,
        ),
        _ => (NO_TIME, DeadlineSource::None),
    }
}

#[inline]
fn no_later(at: i64, deadline: i64, cmp: DueComparison) -> bool {
    match cmp {
        DueComparison::Timestamp => at <= deadline,
        DueComparison::Date => day_of(at) <= day_of(deadline),
    }
}

/// [`judge`] in milliseconds: the one implementation of DATA-MODEL.md §3, steps 1–5.
#[inline]
pub fn judge_at<S: Waits + ?Sized, F: Waits + ?Sized>(
    x: &Times,
    supplements: &S,
    fee_waits: &F,
    statutory: Option<&StatutoryTime>,
    t: i64,
    opts: &Options,
    cal: &dyn WorkCalendar,
) -> Verdict {
    // Step 1: end of processing, if any by t.
    let terminal = terminal_at(x, t);
    let horizon = if terminal == NO_TIME { t } else { terminal };

    // Step 2: waiting time; an outstanding supplement's request time ends processing.
    let (mut waited, mut outstanding) = waits_until(supplements, horizon);
    if opts.fee_wait_stops_clock {
        let (fee_wait, fee_outstanding) = waits_until(fee_waits, horizon);
        waited = waited.saturating_add(fee_wait);
        outstanding = match (outstanding, fee_outstanding) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    let end = if terminal != NO_TIME {
        terminal
    } else if let Some(requested) = outstanding {
        // Only waits completed before the outstanding request count.
        waited = waits_until(supplements, requested).0;
        if opts.fee_wait_stops_clock {
            waited = waited.saturating_add(waits_until(fee_waits, requested).0);
        }
        requested
    } else {
        NO_TIME
    };
    let repeated_supplement = supplements.count() > 1 && requests_until(supplements, horizon) > 1;

    let (deadline, deadline_source) = deadline_at(x, statutory, opts, cal);
    let progress = if end != NO_TIME {
        let adjusted = end.saturating_sub(waited);
        if repeated_supplement {
            Progress::Late
        } else if deadline == NO_TIME {
            Progress::OnTime
        } else if no_later(adjusted, deadline, opts.due_comparison) {
            if day_of(adjusted) < day_of(deadline) {
                Progress::Early
            } else {
                Progress::OnTime
            }
        } else {
            Progress::Late
        }
    } else {
        let adjusted_now = t.saturating_sub(waited);
        if repeated_supplement
            || (deadline != NO_TIME && !no_later(adjusted_now, deadline, opts.due_comparison))
        {
            Progress::OpenOverdue
        } else {
            Progress::OpenWithinDeadline
        }
    };
    Verdict {
        progress,
        end,
        waited,
        deadline,
        deadline_source,
        repeated_supplement,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::model::{StatutoryTime, TimeUnit};
    use crate::workdays::WeekdaysOnly;
    use chrono::NaiveDate;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    /// Received Mon 2026-09-07 08:00, due Fri 2026-09-11 17:00.
    fn base() -> Dossier {
        Dossier {
            dossier_id: "D1".into(),
            unit_code: "H44.07".into(),
            procedure_code: "1.000001".into(),
            received_at: Some(t("2026-09-07 08:00")),
            due_at: Some(t("2026-09-11 17:00")),
            status: Some(Status::InProgress),
            ..Dossier::default()
        }
    }

    fn finished(at: &str) -> Dossier {
        Dossier {
            finished_at: Some(t(at)),
            status: Some(Status::Finished),
            ..base()
        }
    }

    fn judge_default(d: &Dossier, at: &str) -> Judgement {
        judge(d, None, t(at), &Options::default(), &WeekdaysOnly)
    }

    #[test]
    fn finished_before_the_due_day_is_early() {
        let j = judge_default(&finished("2026-09-09 10:00"), "2026-09-30 00:00");
        assert_eq!(j.progress, Progress::Early);
        assert!(j.progress.scores());
    }

    #[test]
    fn finished_on_the_due_day_before_the_due_time_is_on_time() {
        let j = judge_default(&finished("2026-09-11 16:00"), "2026-09-30 00:00");
        assert_eq!(j.progress, Progress::OnTime);
    }

    #[test]
    fn finished_after_due_is_late() {
        let j = judge_default(&finished("2026-09-11 17:30"), "2026-09-30 00:00");
        assert_eq!(j.progress, Progress::Late);
        assert!(!j.progress.scores());
    }

    #[test]
    fn finish_after_t_means_open_at_t() {
        let d = finished("2026-09-20 10:00");
        assert_eq!(
            judge_default(&d, "2026-09-10 09:00").progress,
            Progress::OpenWithinDeadline
        );
        assert_eq!(
            judge_default(&d, "2026-09-15 09:00").progress,
            Progress::OpenOverdue
        );
    }

    #[test]
    fn returned_time_is_the_end_when_no_finish_time() {
        let d = Dossier {
            returned_at: Some(t("2026-09-14 09:00")),
            status: Some(Status::Returned),
            ..base()
        };
        let j = judge_default(&d, "2026-09-30 00:00");
        assert_eq!(j.end, Some(t("2026-09-14 09:00")));
        assert_eq!(j.progress, Progress::Late);
        // Finished time is preferred over returned time.
        let d2 = Dossier {
            finished_at: Some(t("2026-09-10 09:00")),
            ..d
        };
        assert_eq!(
            judge_default(&d2, "2026-09-30 00:00").progress,
            Progress::Early
        );
    }

    #[test]
    fn open_within_deadline_and_open_overdue() {
        assert_eq!(
            judge_default(&base(), "2026-09-11 17:00").progress,
            Progress::OpenWithinDeadline
        );
        assert_eq!(
            judge_default(&base(), "2026-09-11 17:01").progress,
            Progress::OpenOverdue
        );
    }

    #[test]
    fn completed_supplement_time_is_subtracted() {
        // Finished two days late, but the applicant took three days to supplement.
        let d = Dossier {
            supplements: vec![Wait {
                requested_at: t("2026-09-08 09:00"),
                completed_at: Some(t("2026-09-11 09:00")),
            }],
            ..finished("2026-09-13 17:00")
        };
        let j = judge_default(&d, "2026-09-30 00:00");
        assert_eq!(j.waited, Duration::days(3));
        assert_eq!(j.progress, Progress::Early);
        // Without the supplement it would be late.
        let plain = finished("2026-09-13 17:00");
        assert_eq!(
            judge_default(&plain, "2026-09-30 00:00").progress,
            Progress::Late
        );
    }

    #[test]
    fn outstanding_supplement_ends_processing_at_its_request() {
        let d = Dossier {
            supplements: vec![Wait {
                requested_at: t("2026-09-10 09:00"),
                completed_at: None,
            }],
            status: Some(Status::SupplementRequested),
            ..base()
        };
        // Long after the due date, still waiting for the applicant: judged at the request, on time.
        let j = judge_default(&d, "2026-09-25 09:00");
        assert_eq!(j.end, Some(t("2026-09-10 09:00")));
        assert_eq!(j.progress, Progress::Early);
        // A request made after the due date is late.
        let late = Dossier {
            supplements: vec![Wait {
                requested_at: t("2026-09-14 09:00"),
                completed_at: None,
            }],
            ..d
        };
        assert_eq!(
            judge_default(&late, "2026-09-25 09:00").progress,
            Progress::Late
        );
    }

    #[test]
    fn a_second_supplement_request_makes_it_late() {
        let w = |a: &str, b: &str| Wait {
            requested_at: t(a),
            completed_at: Some(t(b)),
        };
        let d = Dossier {
            supplements: vec![
                w("2026-09-08 09:00", "2026-09-08 10:00"),
                w("2026-09-09 09:00", "2026-09-09 10:00"),
            ],
            ..finished("2026-09-09 15:00")
        };
        let j = judge_default(&d, "2026-09-30 00:00");
        assert!(j.repeated_supplement);
        assert_eq!(j.progress, Progress::Late);
        // Open with two requests: overdue in progress even before the due date.
        let open = Dossier {
            finished_at: None,
            status: Some(Status::InProgress),
            ..d
        };
        assert_eq!(
            judge_default(&open, "2026-09-10 09:00").progress,
            Progress::OpenOverdue
        );
    }

    #[test]
    fn statutory_time_when_no_due_date() {
        let proc = Procedure {
            statutory_time: Some(StatutoryTime {
                amount: 3.0,
                unit: TimeUnit::WorkingDays,
            }),
            ..Procedure::new("1.000001")
        };
        // Received Fri 2026-09-11 10:00: 3 working days later is Wed 2026-09-16 10:00.
        let d = Dossier {
            received_at: Some(t("2026-09-11 10:00")),
            due_at: None,
            finished_at: Some(t("2026-09-16 09:00")),
            status: Some(Status::Finished),
            ..base()
        };
        let j = judge(
            &d,
            Some(&proc),
            t("2026-09-30 00:00"),
            &Options::default(),
            &WeekdaysOnly,
        );
        assert_eq!(j.deadline_source, DeadlineSource::Statutory);
        assert_eq!(j.deadline, Some(t("2026-09-16 10:00")));
        assert_eq!(j.progress, Progress::OnTime);
        let late = Dossier {
            finished_at: Some(t("2026-09-16 11:00")),
            ..d.clone()
        };
        assert_eq!(
            judge(
                &late,
                Some(&proc),
                t("2026-09-30 00:00"),
                &Options::default(),
                &WeekdaysOnly
            )
            .progress,
            Progress::Late
        );
        // Without a statutory time either, the dossier cannot be late and says so.
        let j = judge(
            &late,
            None,
            t("2026-09-30 00:00"),
            &Options::default(),
            &WeekdaysOnly,
        );
        assert_eq!(j.deadline_source, DeadlineSource::None);
        assert_eq!(j.progress, Progress::OnTime);
    }

    #[test]
    fn option_due_comparison_by_date() {
        let d = finished("2026-09-11 20:00");
        assert_eq!(
            judge_default(&d, "2026-09-30 00:00").progress,
            Progress::Late
        );
        let opts = Options {
            due_comparison: DueComparison::Date,
            ..Options::default()
        };
        assert_eq!(
            judge(&d, None, t("2026-09-30 00:00"), &opts, &WeekdaysOnly).progress,
            Progress::OnTime
        );
    }

    #[test]
    fn option_fee_wait_stops_clock() {
        let d = Dossier {
            fee_waits: vec![Wait {
                requested_at: t("2026-09-08 09:00"),
                completed_at: Some(t("2026-09-10 09:00")),
            }],
            ..finished("2026-09-12 09:00")
        };
        assert_eq!(
            judge_default(&d, "2026-09-30 00:00").progress,
            Progress::Late
        );
        let opts = Options {
            fee_wait_stops_clock: true,
            ..Options::default()
        };
        assert_eq!(
            judge(&d, None, t("2026-09-30 00:00"), &opts, &WeekdaysOnly).progress,
            Progress::Early
        );
    }

    #[test]
    fn option_apology_due() {
        let d = Dossier {
            rescheduled_due_at: Some(t("2026-09-18 17:00")),
            ..finished("2026-09-15 09:00")
        };
        assert_eq!(
            judge_default(&d, "2026-09-30 00:00").progress,
            Progress::Late
        );
        let opts = Options {
            apology_due: ApologyDue::Rescheduled,
            ..Options::default()
        };
        let j = judge(&d, None, t("2026-09-30 00:00"), &opts, &WeekdaysOnly);
        assert_eq!(j.deadline_source, DeadlineSource::Rescheduled);
        assert_eq!(j.progress, Progress::Early);
    }

    #[test]
    fn scope_rules_and_option_carry_over_open() {
        let p: Period = "2026-09".parse().unwrap();
        let at = t("2026-09-30 12:00");
        let opts = Options::default();
        assert_eq!(scope(&base(), &p, at, &opts), Ok(Scope::Received));
        let not_received = Dossier {
            received_at: None,
            ..base()
        };
        assert_eq!(
            scope(&not_received, &p, at, &opts),
            Err(Exclusion::NotReceived)
        );
        let new = Dossier {
            status: Some(Status::New),
            ..base()
        };
        assert_eq!(scope(&new, &p, at, &opts), Err(Exclusion::NotReceived));
        let refused = Dossier {
            status: Some(Status::RefusedAtCounter),
            ..base()
        };
        assert_eq!(
            scope(&refused, &p, at, &opts),
            Err(Exclusion::RefusedAtCounter)
        );
        assert_eq!(
            scope(&base(), &p, t("2026-09-01 00:00"), &opts),
            Err(Exclusion::AfterEvaluationTime)
        );
        let earlier = Dossier {
            received_at: Some(t("2026-08-20 08:00")),
            ..base()
        };
        assert_eq!(
            scope(&earlier, &p, at, &opts),
            Err(Exclusion::OutsidePeriod)
        );
        let carry = Options {
            carry_over_open: true,
            ..opts
        };
        assert_eq!(scope(&earlier, &p, at, &carry), Ok(Scope::CarriedOver));
        let ended_before = Dossier {
            finished_at: Some(t("2026-08-25 08:00")),
            status: Some(Status::Finished),
            ..earlier
        };
        assert_eq!(
            scope(&ended_before, &p, at, &carry),
            Err(Exclusion::OutsidePeriod)
        );
        let _ = NaiveDate::default();
    }

    #[test]
    fn evaluation_time_is_capped_at_period_end() {
        let p: Period = "2026-08".parse().unwrap();
        let eff = effective_time(&p, t("2026-09-26 11:00"));
        assert_eq!(eff, p.end_time());
        assert_eq!(
            effective_time(&p, t("2026-08-10 11:00")),
            t("2026-08-10 11:00")
        );
    }
}
