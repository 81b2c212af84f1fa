//! Judging petitions (PAKN) for 5.2 (handled on time) and 5.3 (satisfaction), in working days.

use crate::model::Petition;
use crate::options::Limits;
use crate::workdays::WorkCalendar;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// A petition's standing at evaluation time T.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PetitionJudgement {
    /// Handled (or rejected) within its limit, or open and still within it.
    pub on_time: bool,
    /// Still open at T.
    pub open: bool,
    /// Counts in 5.3's numerator: on time, not disliked more than liked, no repeat complaint.
    pub satisfied: bool,
}

/// Judges one petition as of `t`. The limit counts from the latest forwarding date when there is
/// one, else from receipt; the caller has checked that the petition was received.
pub fn judge_petition(
    p: &Petition,
    received: NaiveDateTime,
    t: NaiveDateTime,
    limits: &Limits,
    cal: &dyn WorkCalendar,
) -> PetitionJudgement {
    let start = p
        .forwarded_at
        .filter(|f| *f >= received)
        .unwrap_or(received);
    let within = |at: NaiveDateTime, days: u32| at <= cal.add_working_days_at(start, days);
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
        let late = Petition {
            handled_at: Some(t("2026-09-22 10:00")),
            ..petition()
        };
        assert!(!j(&late, "2026-09-30 00:00").on_time);
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
