//! The one implementation of DATA-MODEL.md §3, steps 1–5, on milliseconds.

use super::times::{requests_until, terminal_at, waits_until, Times, Waits};
use super::verdict::{DeadlineSource, Progress, Verdict};
use crate::model::StatutoryTime;
use crate::moment::{day_of, millis_of, time_of, NO_TIME};
use crate::options::{ApologyDue, DueComparison, Options};
use crate::workdays::{statutory_deadline, WorkCalendar};

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

/// The first moment at which a dossier judged open within its deadline turns overdue if nothing
/// else happens to it (no wait starts or ends, it does not end): the inverse of `no_later` as
/// [`judge_at`] applies it. `i64::MAX` when it cannot turn overdue by waiting alone. The live
/// scoreboard queues dossiers by this moment instead of re-judging every open one.
pub fn overdue_from(v: &Verdict, cmp: DueComparison) -> i64 {
    if v.progress != Progress::OpenWithinDeadline || v.deadline == NO_TIME {
        return i64::MAX;
    }
    // Overdue once `t - waited` is past the deadline (the moment, or its whole day).
    let first_late = match cmp {
        DueComparison::Timestamp => v.deadline.saturating_add(1),
        DueComparison::Date => (day_of(v.deadline) + 1).saturating_mul(crate::moment::DAY_MS),
    };
    first_late.saturating_add(v.waited)
}

/// §3 steps 1–2: the end of processing by `t` ([`NO_TIME`] while open) and the waiting time
/// subtracted from it.
#[inline]
pub fn end_at<S: Waits + ?Sized, F: Waits + ?Sized>(
    x: &Times,
    supplements: &S,
    fee_waits: &F,
    t: i64,
    opts: &Options,
) -> (i64, i64) {
    // Step 1: end of processing, if any by t.
    let terminal = terminal_at(x, t);
    let horizon = if terminal == NO_TIME { t } else { terminal };

    // Step 2: waiting time. A request still outstanding at the end (or at t while open) —
    // never completed, or completed only after the dossier ended — ends processing at its
    // request time, whether or not a terminal status followed: the clock stopped when the
    // office asked. Only waits completed before that request count then.
    let (mut waited, mut outstanding) = waits_until(supplements, horizon);
    if opts.fee_wait_stops_clock {
        let (fee_wait, fee_outstanding) = waits_until(fee_waits, horizon);
        waited = waited.saturating_add(fee_wait);
        outstanding = match (outstanding, fee_outstanding) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    match outstanding {
        Some(requested) => {
            waited = waits_until(supplements, requested).0;
            if opts.fee_wait_stops_clock {
                waited = waited.saturating_add(waits_until(fee_waits, requested).0);
            }
            (requested, waited)
        }
        None => (terminal, waited),
    }
}

/// [`judge`](super::judge) in milliseconds: the one implementation of DATA-MODEL.md §3, steps 1–5.
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
    let (end, waited) = end_at(x, supplements, fee_waits, t, opts);
    // More than one request made by t makes the dossier late, ended or open.
    let repeated_supplement = supplements.count() > 1 && requests_until(supplements, t) > 1;

    // Steps 3–5. A repeated request needs no deadline to be late; otherwise a dossier with no
    // deadline at all cannot be judged and is left out of 2.1.
    let (deadline, deadline_source) = deadline_at(x, statutory, opts, cal);
    let progress = if end != NO_TIME {
        let adjusted = end.saturating_sub(waited);
        if repeated_supplement {
            Progress::Late
        } else if deadline == NO_TIME {
            Progress::NoDeadline
        } else if no_later(adjusted, deadline, opts.due_comparison) {
            if day_of(adjusted) < day_of(deadline) {
                Progress::Early
            } else {
                Progress::OnTime
            }
        } else {
            Progress::Late
        }
    } else if repeated_supplement {
        Progress::LateRepeatedSupplement
    } else if deadline == NO_TIME {
        Progress::NoDeadline
    } else if no_later(t.saturating_sub(waited), deadline, opts.due_comparison) {
        Progress::OpenWithinDeadline
    } else {
        Progress::OpenOverdue
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
