//! A dossier's times, the period's frame and the waits, as the rules read them: whole
//! milliseconds ([`crate::moment`]), so both the record path and the columnar path judge on the
//! same integers.

use crate::model::{Dossier, Wait};
use crate::moment::{millis_of, NO_TIME};
use crate::period::Period;
use chrono::NaiveDateTime;

/// A dossier's times as the rules read them ([`crate::moment`]; [`NO_TIME`] when missing).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Times {
    /// Receipt.
    pub received: i64,
    /// Due date.
    pub due: i64,
    /// New appointment of an apology letter.
    pub rescheduled_due: i64,
    /// End of processing.
    pub finished: i64,
    /// Result returned.
    pub returned: i64,
}

impl Times {
    /// The times of a dossier record.
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
    /// when that is wanted, see [`effective_time`](super::effective_time)).
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
    /// Number of waits.
    fn count(&self) -> usize;
    /// Wait `i`: (requested, completed).
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

/// [`terminal_time`](super::terminal_time) in milliseconds.
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

/// Sum of completed waits that ended by `until`; and the earliest wait still outstanding then.
#[inline]
pub(super) fn waits_until<W: Waits + ?Sized>(waits: &W, until: i64) -> (i64, Option<i64>) {
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
pub(super) fn requests_until<W: Waits + ?Sized>(waits: &W, until: i64) -> usize {
    (0..waits.count())
        .filter(|&i| {
            let requested = waits.wait(i).0;
            requested != NO_TIME && requested <= until
        })
        .count()
}
