//! Judging petitions (PAKN) for 5.2 (handled on time) and 5.3 (satisfaction), in working days.
//! INDICATORS.md §6.6: the clock starts at the latest forwarding date, else the petition date;
//! limits end on the n-th working day strictly after that day (§6.1) and compare calendar days,
//! so a petition handled any time on its last allowed day is on time.

use crate::model::Petition;
use crate::options::Limits;
use crate::workdays::WorkCalendar;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// A petition's standing at evaluation time T.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PetitionJudgement {
    /// Handled (or rejected) within its limit, or open and still within it.
    pub on_time: bool,
    /// Still open at T.
    pub open: bool,
    /// Counts in 5.3's numerator: on time (an open petition past its limit at T is handled
    /// late), not disliked more than liked, no repeat complaint.
    pub satisfied: bool,
}

/// When the petition's clock starts, as recorded: its latest forwarding, else its receipt (a
/// forwarding dated before receipt is ignored). 5.2 places the petition in this moment's period.
pub fn clock_start(p: &Petition, received: NaiveDateTime) -> NaiveDateTime {
    p.forwarded_at.map_or(received, |f| f.max(received))
}

/// The clock in force at `t`: a forwarding recorded after `t` had not happened yet.
fn clock_start_at(p: &Petition, received: NaiveDateTime, t: NaiveDateTime) -> NaiveDateTime {
    let start = clock_start(p, received);
    if start <= t {
        start
    } else {
        received
    }
}

/// Whether a step done on `done` keeps within `days` working days of a clock started on `start`
/// (calendar days compared, §6.1).
pub fn within_limit(start: NaiveDate, done: NaiveDate, days: u32, cal: &dyn WorkCalendar) -> bool {
    done <= cal.nth_working_day_after(start, days)
}

/// Judges one petition as of `t`; the caller has checked that the petition was received.
pub fn judge_petition(
    p: &Petition,
    received: NaiveDateTime,
    t: NaiveDateTime,
    limits: &Limits,
    cal: &dyn WorkCalendar,
) -> PetitionJudgement {
    let start = clock_start_at(p, received, t).date();
    let within = |at: NaiveDateTime, days: u32| within_limit(start, at.date(), days, cal);
    let supplement_ok = p
        .supplement_requested_at
        .filter(|s| *s <= t)
        .is_none_or(|s| within(s, limits.petition_supplement_days));
    let (open, in_limit) = match (
        p.rejected_at.filter(|r| *r <= t),
        p.handled_at.filter(|h| *h <= t),
    ) {
        (Some(r), _) => (false, within(r, limits.petition_reject_days)),
        (None, Some(h)) => (false, within(h, limits.petition_handle_days)),
        (None, None) => (true, within(t, limits.petition_handle_days)),
    };
    let on_time = in_limit && supplement_ok;
    let disliked = p.dislikes > p.likes;
    PetitionJudgement {
        on_time,
        open,
        satisfied: on_time && !disliked && !p.repeat_complaint,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::workdays::WeekdaysOnly;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn petition() -> Petition {
        Petition {
            petition_id: "P1".into(),
            unit_code: "H44.07".into(),
            received_at: Some(t("2026-09-01 09:00")),
            ..Petition::default()
        }
    }

    fn j(p: &Petition, at: &str) -> PetitionJudgement {
        judge_petition(
            p,
            t("2026-09-01 09:00"),
            t(at),
            &Limits::default(),
            &WeekdaysOnly,
        )
    }

    #[test]
    fn handled_within_15_working_days_is_on_time() {
        // 15 working days after Tue 2026-09-01 09:00 is Tue 2026-09-22 09:00.
        let ok = Petition {
            handled_at: Some(t("2026-09-22 09:00")),
            likes: 1,
            ..petition()
        };
        assert_eq!(
            j(&ok, "2026-09-30 00:00"),
            PetitionJudgement {
                on_time: true,
                open: false,
                satisfied: true
            }
        );
        // §6.6: calendar days are compared, so the afternoon of the 15th working day is still
        // on time (the clock time of receipt used to decide); the next day is late.
        let afternoon = Petition {
            handled_at: Some(t("2026-09-22 16:30")),
            ..petition()
        };
        assert!(j(&afternoon, "2026-09-30 00:00").on_time);
        let late = Petition {
            handled_at: Some(t("2026-09-23 08:00")),
            ..petition()
        };
        assert!(!j(&late, "2026-09-30 00:00").on_time);
    }

    #[test]
    fn a_weekend_receipt_counts_from_the_next_working_day_not_from_its_clock_time() {
        // Received Saturday 5 Sept 2026 at 20:00: day 1 is Monday 7, day 15 is Friday 25.
        let p = Petition {
            received_at: Some(t("2026-09-05 20:00")),
            handled_at: Some(t("2026-09-25 17:00")),
            ..petition()
        };
        let at = |p: &Petition| {
            judge_petition(
                p,
                t("2026-09-05 20:00"),
                t("2026-10-30 00:00"),
                &Limits::default(),
                &WeekdaysOnly,
            )
        };
        assert!(at(&p).on_time);
        let late = Petition {
            handled_at: Some(t("2026-09-28 08:00")),
            ..p
        };
        assert!(!at(&late).on_time);
    }

    #[test]
    fn open_past_the_limit_at_t_is_handled_late_for_5_3() {
        // Limit day Tue 22 Sept: open on that day is within; open the next morning is late.
        let on_day = j(&petition(), "2026-09-22 23:00");
        assert!(on_day.open && on_day.on_time && on_day.satisfied);
        let next = j(&petition(), "2026-09-23 08:00");
        assert!(next.open && !next.on_time && !next.satisfied);
    }

    #[test]
    fn a_forwarding_after_t_has_not_restarted_the_clock_at_t() {
        let p = Petition {
            forwarded_at: Some(t("2026-10-20 09:00")),
            ..petition()
        };
        assert!(
            !j(&p, "2026-09-30 00:00").on_time,
            "judged from receipt at T"
        );
        assert_eq!(
            clock_start(&p, t("2026-09-01 09:00")),
            t("2026-10-20 09:00")
        );
    }

    #[test]
    fn open_petitions_are_on_time_until_the_limit() {
        assert!(j(&petition(), "2026-09-15 00:00").on_time);
        let late = j(&petition(), "2026-09-23 00:00");
        assert!(late.open && !late.on_time && !late.satisfied);
    }

    #[test]
    fn forwarding_restarts_the_limit() {
        let p = Petition {
            forwarded_at: Some(t("2026-09-10 09:00")),
            handled_at: Some(t("2026-09-25 09:00")),
            ..petition()
        };
        assert!(j(&p, "2026-09-30 00:00").on_time);
    }

    #[test]
    fn rejection_within_two_days_and_supplement_within_five() {
        let ok = Petition {
            rejected_at: Some(t("2026-09-03 09:00")),
            ..petition()
        };
        assert!(j(&ok, "2026-09-30 00:00").on_time);
        let late = Petition {
            rejected_at: Some(t("2026-09-04 09:00")),
            ..petition()
        };
        assert!(!j(&late, "2026-09-30 00:00").on_time);
        let slow_supplement = Petition {
            supplement_requested_at: Some(t("2026-09-09 09:00")),
            handled_at: Some(t("2026-09-12 09:00")),
            ..petition()
        };
        assert!(!j(&slow_supplement, "2026-09-30 00:00").on_time);
    }

    #[test]
    fn dislikes_and_repeat_complaints_are_unsatisfied() {
        let base = Petition {
            handled_at: Some(t("2026-09-05 09:00")),
            ..petition()
        };
        let disliked = Petition {
            likes: 1,
            dislikes: 2,
            ..base.clone()
        };
        assert!(
            j(&disliked, "2026-09-30 00:00").on_time && !j(&disliked, "2026-09-30 00:00").satisfied
        );
        let repeat = Petition {
            repeat_complaint: true,
            ..base.clone()
        };
        assert!(!j(&repeat, "2026-09-30 00:00").satisfied);
        let tie = Petition {
            likes: 2,
            dislikes: 2,
            ..base
        };
        assert!(j(&tie, "2026-09-30 00:00").satisfied);
    }
}
