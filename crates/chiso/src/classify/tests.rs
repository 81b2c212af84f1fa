#![allow(clippy::unwrap_used)]
use super::*;
use crate::model::{Dossier, Procedure, Status, Wait};
use crate::model::{StatutoryTime, TimeUnit};
use crate::options::{ApologyDue, DueComparison};
use crate::workdays::WeekdaysOnly;
use chrono::Duration;
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
    // Open with two requests (spec change, DATA-MODEL.md §3 step 2): late by repeated
    // supplement before the due date — its own class, not "overdue in progress".
    let open = Dossier {
        finished_at: None,
        status: Some(Status::InProgress),
        ..d
    };
    let j = judge_default(&open, "2026-09-10 09:00");
    assert_eq!(j.progress, Progress::LateRepeatedSupplement);
    assert!(j.progress.is_late() && j.progress.is_open() && !j.progress.scores());
    // Past its due date it is still the repeated-supplement class.
    assert_eq!(
        judge_default(&open, "2026-09-14 09:00").progress,
        Progress::LateRepeatedSupplement
    );
    // Only requests made by T count: at T between the two requests, one request, not late.
    assert_eq!(
        judge_default(&open, "2026-09-08 12:00").progress,
        Progress::OpenWithinDeadline
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
    // Without a statutory time either, the dossier cannot be judged (spec change, §3 step 5):
    // left out of 2.1, not counted on time.
    let j = judge(
        &late,
        None,
        t("2026-09-30 00:00"),
        &Options::default(),
        &WeekdaysOnly,
    );
    assert_eq!(j.deadline_source, DeadlineSource::None);
    assert_eq!(j.progress, Progress::NoDeadline);
}

/// §3 step 5: neither due date nor statutory time — open or ended, left out of 2.1; a repeated
/// supplement request still makes it late (that needs no deadline).
#[test]
fn no_deadline_is_left_out_of_2_1() {
    let open = Dossier {
        due_at: None,
        ..base()
    };
    let j = judge_default(&open, "2026-09-30 00:00");
    assert_eq!(j.progress, Progress::NoDeadline);
    assert!(!j.progress.in_progress_indicator() && !j.progress.is_late());
    assert_eq!(j.progress.name(), "");
    let ended = Dossier {
        due_at: None,
        ..finished("2026-09-25 09:00")
    };
    // Today's rule counted this on time.
    assert_eq!(
        judge_default(&ended, "2026-09-30 00:00").progress,
        Progress::NoDeadline
    );
    let w = |a: &str| Wait {
        requested_at: t(a),
        completed_at: Some(t(a) + Duration::hours(1)),
    };
    let repeated = Dossier {
        supplements: vec![w("2026-09-08 09:00"), w("2026-09-09 09:00")],
        ..ended
    };
    assert_eq!(
        judge_default(&repeated, "2026-09-30 00:00").progress,
        Progress::Late
    );
}

/// §3 step 2: a supplement request never completed ends processing at its request time even
/// when the dossier later ended — withdrawn, stopped, or finished without the supplement.
#[test]
fn a_supplement_never_completed_ends_an_ended_dossier_at_its_request() {
    let waiting = Wait {
        requested_at: t("2026-09-09 09:00"),
        completed_at: None,
    };
    for status in [Status::Withdrawn, Status::Stopped, Status::Finished] {
        // Received Mon 7th, due Fri 11th 17:00; the office asked on Wed 9th; the applicant
        // never came back and the dossier was closed on Mon 21st. Today: late (judged at the
        // 21st). Now: judged at the request, early.
        let d = Dossier {
            supplements: vec![waiting],
            finished_at: Some(t("2026-09-21 10:00")),
            status: Some(status),
            ..base()
        };
        let j = judge_default(&d, "2026-09-30 00:00");
        assert_eq!(j.end, Some(t("2026-09-09 09:00")), "{status:?}");
        assert_eq!(j.progress, Progress::Early, "{status:?}");
    }
    // Completed only after the dossier ended: it was outstanding when the dossier ended.
    let completed_after = Dossier {
        supplements: vec![Wait {
            completed_at: Some(t("2026-09-22 10:00")),
            ..waiting
        }],
        finished_at: Some(t("2026-09-21 10:00")),
        status: Some(Status::Finished),
        ..base()
    };
    assert_eq!(
        judge_default(&completed_after, "2026-09-30 00:00").end,
        Some(t("2026-09-09 09:00"))
    );
    // A completed wait before the request still counts; one completed before the end is
    // subtracted as before.
    let completed = Dossier {
        supplements: vec![Wait {
            completed_at: Some(t("2026-09-14 09:00")),
            ..waiting
        }],
        finished_at: Some(t("2026-09-15 09:00")),
        status: Some(Status::Finished),
        ..base()
    };
    let j = judge_default(&completed, "2026-09-30 00:00");
    assert_eq!(j.end, Some(t("2026-09-15 09:00")));
    assert_eq!(j.waited, Duration::days(5));
    assert_eq!(j.progress, Progress::Early);
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
        ..earlier.clone()
    };
    assert_eq!(
        scope(&ended_before, &p, at, &carry),
        Err(Exclusion::OutsidePeriod)
    );
    // §5.7: "still open" by §3's end of processing — waiting since before the period on a
    // supplement never completed, it ended at that request and is not carried (today: carried).
    let waiting_before = Dossier {
        supplements: vec![Wait {
            requested_at: t("2026-08-22 08:00"),
            completed_at: None,
        }],
        status: Some(Status::SupplementRequested),
        ..earlier.clone()
    };
    assert_eq!(
        scope(&waiting_before, &p, at, &carry),
        Err(Exclusion::OutsidePeriod)
    );
    // Requested before the period and completed in it: still open at the start, carried.
    let completed_in = Dossier {
        supplements: vec![Wait {
            requested_at: t("2026-08-22 08:00"),
            completed_at: Some(t("2026-09-02 08:00")),
        }],
        ..earlier.clone()
    };
    assert_eq!(scope(&completed_in, &p, at, &carry), Ok(Scope::CarriedOver));
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
