//! The core counts working days with the Vietnamese calendar: Tết and announced days off are not
//! working days for the statutory-time fallback or petition limits, and the scorecard records
//! which calendar it used.
#![allow(clippy::unwrap_used)]

use chiso::classify::{judge, DeadlineSource};
use chiso::model::{StatutoryTime, TimeUnit};
use chiso::petition_rules::judge_petition;
use chiso::pipeline::{run, Records};
use chiso::*;
use chiso_calendar::Calendar;
use chrono::NaiveDateTime;

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

#[test]
fn statutory_deadline_skips_tet() {
    let cal = Calendar::vietnam();
    let proc = Procedure {
        statutory_time: Some(StatutoryTime {
            amount: 3.0,
            unit: TimeUnit::WorkingDays,
        }),
        ..Procedure::new("1.000001")
    };
    // Received Fri 13 Feb 2026; Tết holidays are 16–20 Feb; 3 working days later is Wed 25 Feb.
    let d = Dossier {
        dossier_id: "D".into(),
        unit_code: "H44.07".into(),
        procedure_code: "1.000001".into(),
        received_at: Some(t("2026-02-13 09:00")),
        finished_at: Some(t("2026-02-24 09:00")),
        status: Some(Status::Finished),
        ..Dossier::default()
    };
    let j = judge(
        &d,
        Some(&proc),
        t("2026-03-31 00:00"),
        &Options::default(),
        &cal,
    );
    assert_eq!(j.deadline_source, DeadlineSource::Statutory);
    assert_eq!(j.deadline, Some(t("2026-02-25 09:00")));
    assert_eq!(j.progress, Progress::Early);
    // With weekdays only, the same dossier would be late (deadline Wed 18 Feb).
    let j = judge(
        &d,
        Some(&proc),
        t("2026-03-31 00:00"),
        &Options::default(),
        &WeekdaysOnly,
    );
    assert_eq!(j.progress, Progress::Late);
}

#[test]
fn petition_limit_skips_tet() {
    let p = Petition {
        petition_id: "P".into(),
        unit_code: "H44".into(),
        received_at: Some(t("2026-02-10 09:00")),
        handled_at: Some(t("2026-03-06 09:00")),
        ..Petition::default()
    };
    let limits = Limits::default();
    // 15 working days from Tue 10 Feb, skipping 16–20 Feb: Tue 10 Mar.
    let vn = judge_petition(
        &p,
        t("2026-02-10 09:00"),
        t("2026-03-31 00:00"),
        &limits,
        &Calendar::vietnam(),
    );
    assert!(vn.on_time);
    let plain = judge_petition(
        &p,
        t("2026-02-10 09:00"),
        t("2026-03-31 00:00"),
        &limits,
        &WeekdaysOnly,
    );
    assert!(!plain.on_time);
}

#[test]
fn scorecard_records_the_calendar() {
    let profile = Profile::builtin("portal-2026").unwrap();
    let cal = Calendar::vietnam();
    let r = run(
        &Records::default(),
        "2026".parse().unwrap(),
        t("2026-09-26 12:00"),
        &profile,
        profile.options,
        &cal,
    )
    .unwrap();
    assert_eq!(r.scorecard.meta.calendar, cal.name());
    assert!(r.scorecard.meta.calendar.starts_with("vn-"));
}

#[test]
fn both_calendars_roll_a_weekend_start_to_eight_o_clock() {
    // Sat 2026-09-12 10:00 + 1 working day: Tue 15th 08:00 under either calendar.
    let sat = t("2026-09-12 10:00");
    assert_eq!(
        WeekdaysOnly.add_working_days_at(sat, 1),
        t("2026-09-15 08:00")
    );
    assert_eq!(
        Calendar::vietnam().add_working_days_at(sat, 1),
        t("2026-09-15 08:00")
    );
    assert_eq!(
        WeekdaysOnly.add_working_days_at(sat, 0),
        t("2026-09-14 08:00")
    );
}
