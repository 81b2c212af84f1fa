//! Classifying a dossier for 2.1 (progress) as of an evaluation time T — DATA-MODEL.md §3 — and
//! deciding whether it belongs to a period at all. Pure functions of (dossier, procedure, T,
//! options, calendar).
//!
//! - `times`: the dossier's times, the period frame and the waits, in milliseconds;
//! - `scope`: whether the dossier counts in the period, and why not;
//! - `judge`: the rules of §3 steps 1–5 ([`judge_at`]);
//! - `verdict`: what the rules say ([`Progress`], [`Verdict`], [`Judgement`]).
//!
//! Every function used before the split stays reachable as `chiso::classify::…`.

mod judge;
mod scope;
mod times;
mod verdict;

#[cfg(test)]
mod tests;

pub use judge::{end_at, judge_at, overdue_from};
pub use scope::{scope_at, Exclusion, Scope};
pub use times::{terminal_at, Frame, Times, Waits};
pub use verdict::{DeadlineSource, Judgement, Progress, Verdict};

use crate::model::{Dossier, Procedure, Status, StatutoryTime};
use crate::moment::{millis_of, time_of, NO_TIME};
use crate::options::Options;
use crate::period::Period;
use crate::workdays::WorkCalendar;
use chrono::NaiveDateTime;

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
    let (x, frame) = (Times::of(d), Frame::new(period, t));
    let s = scope_at(d.effective_status(), &x, &frame, opts)?;
    if s == Scope::CarriedOver {
        let (end, _) = end_at(
            &x,
            d.supplements.as_slice(),
            d.fee_waits.as_slice(),
            frame.t,
            opts,
        );
        if end != NO_TIME && end < frame.start {
            return Err(Exclusion::OutsidePeriod);
        }
    }
    Ok(s)
}

/// Whether a dossier counts in the frame's period and, if so, its verdict: the entry point of
/// every path (records, columns), so that scope and judgement are decided together. Under
/// `carry_over_open`, a dossier received earlier is carried only if still open at the period
/// start by §3's end of processing — a supplement request before the period that was never
/// completed ended it there.
#[allow(clippy::too_many_arguments)]
#[inline]
pub fn classify_at<S: Waits + ?Sized, F: Waits + ?Sized>(
    status: Status,
    x: &Times,
    supplements: &S,
    fee_waits: &F,
    statutory: Option<&StatutoryTime>,
    frame: &Frame,
    opts: &Options,
    cal: &dyn WorkCalendar,
) -> Result<(Scope, Verdict), Exclusion> {
    let s = scope_at(status, x, frame, opts)?;
    let v = judge_at(x, supplements, fee_waits, statutory, frame.t, opts, cal);
    if s == Scope::CarriedOver && v.end != NO_TIME && v.end < frame.start {
        return Err(Exclusion::OutsidePeriod);
    }
    Ok((s, v))
}

/// Classifies a received dossier as of `t` (DATA-MODEL.md §3, steps 1–5).
///
/// # Examples
///
/// ```
/// use chiso::classify::{judge, DeadlineSource, Progress};
/// use chiso::{Dossier, Options, WeekdaysOnly};
/// let at = |s: &str| chiso::period::parse_moment(s).ok();
/// // Due Friday 17:00, finished the Monday after: late.
/// let d = Dossier {
///     dossier_id: "A1".into(),
///     received_at: at("2026-09-01T08:00"),
///     due_at: at("2026-09-04T17:00"),
///     finished_at: at("2026-09-07T09:00"),
///     ..Dossier::default()
/// };
/// let t = chiso::period::parse_moment("2026-09-30T17:00").unwrap();
/// let j = judge(&d, None, t, &Options::default(), &WeekdaysOnly);
/// assert_eq!(j.progress, Progress::Late);
/// assert_eq!(j.deadline_source, DeadlineSource::Due);
/// ```
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
