//! The classification decisions of DATA-MODEL.md §3 and the options of INDICATORS.md §5 (6, 7),
//! each on a worked case whose counters are computed here by hand, on the record path and the
//! columnar path alike.
#![allow(clippy::unwrap_used)]

use chiso::columnar::{tally_columns, OwnedColumns};
use chiso::model::Wait;
use chiso::score::score_unit;
use chiso::toolkit::overdue::overdue_and_at_risk;
use chiso::*;
use chrono::NaiveDateTime;

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

/// Received Mon 2026-09-07 08:00, due Fri 2026-09-11 17:00, open.
fn open(id: &str) -> Dossier {
    Dossier {
        dossier_id: id.into(),
        unit_code: "U".into(),
        procedure_code: "P".into(),
        received_at: Some(t("2026-09-07 08:00")),
        due_at: Some(t("2026-09-11 17:00")),
        status: Some(Status::InProgress),
        ..Dossier::default()
    }
}

fn ctx(options: Options) -> TallyContext<'static> {
    TallyContext::new(
        "2026-09".parse().unwrap(),
        t("2026-09-25 12:00"),
        options,
        Limits::default(),
        &WeekdaysOnly,
        &[],
    )
}

/// The unit's counters and accounting, checked equal on both paths.
fn counts(ds: &[Dossier], options: Options) -> (Counts, Accounting) {
    let ctx = ctx(options);
    let (rows, acc) = Tally::build(&ctx, ds, &[]);
    let owned = OwnedColumns::from_dossiers(ds);
    let (cols, acc_cols) = tally_columns(
        &owned.columns(),
        &owned.unit_code_refs(),
        &owned.procedure_code_refs(),
        &ctx,
        1,
    )
    .unwrap();
    assert_eq!(rows, cols, "record and columnar paths differ");
    assert_eq!(acc, acc_cols);
    let mut c = Counts::default();
    for (_, x) in rows.cells() {
        c.merge(x);
    }
    (c, acc)
}

fn indicator(c: Counts, options: &Options, id: &str) -> (f64, f64) {
    let profile = Profile::builtin("portal-2026").unwrap();
    let unit = Unit::new("U", "U", UnitKind::department(), None);
    let s = score_unit(&unit, c, &Default::default(), &profile, options, 12.0);
    let i = s.indicator(id).unwrap();
    (i.numerator, i.denominator)
}

/// Decision 2: no due date and no statutory time — out of 2.1 with its own reason, in every
/// other indicator. Today it was counted on time: 2.1 = 2/2.
#[test]
fn no_deadline_leaves_2_1_only() {
    let judged = Dossier {
        finished_at: Some(t("2026-09-14 09:00")),
        status: Some(Status::Finished),
        ..open("LATE")
    };
    let no_deadline = Dossier {
        due_at: None,
        channel: Channel::Online,
        finished_at: Some(t("2026-09-20 09:00")),
        status: Some(Status::Finished),
        ..open("NODUE")
    };
    let o = Options::default();
    let (c, acc) = counts(&[judged, no_deadline], o);
    assert_eq!((c.received, c.late, c.no_deadline, c.on_time), (2, 1, 1, 0));
    assert_eq!(indicator(c, &o, "2.1"), (0.0, 1.0));
    assert_eq!(indicator(c, &o, "3.3"), (1.0, 2.0));
    // 5.4: not late, so satisfied; over both dossiers.
    assert_eq!(indicator(c, &o, "5.4"), (1.0, 2.0));
    assert_eq!(acc.scored, 2);
    assert_eq!(acc.excluded_total(), 0);
    assert_eq!(
        acc.excluded_from_2_1.get(Exclusion::NoDeadline.reason()),
        Some(&1)
    );
}

/// Decision 3: an open dossier with two supplement requests, before its due date: late for 2.1
/// and 5.4, but not an overdue dossier (counter, overdue list). Today: open_overdue 1, listed.
#[test]
fn open_repeated_supplement_is_late_but_not_overdue() {
    let w = |a: &str, b: &str| Wait {
        requested_at: t(a),
        completed_at: Some(t(b)),
    };
    let repeated = Dossier {
        due_at: Some(t("2026-09-30 17:00")),
        supplements: vec![
            w("2026-09-08 09:00", "2026-09-08 10:00"),
            w("2026-09-09 09:00", "2026-09-09 10:00"),
        ],
        ..open("REP")
    };
    let overdue = open("OVER");
    let ds = [repeated, overdue];
    let o = Options::default();
    let (c, _) = counts(&ds, o);
    assert_eq!((c.late_repeated_supplement, c.open_overdue), (1, 1));
    assert_eq!(indicator(c, &o, "2.1"), (0.0, 2.0));
    assert_eq!(indicator(c, &o, "5.4"), (0.0, 2.0));
    let ctx = ctx(o);
    let listed: Vec<String> =
        overdue_and_at_risk(&ds, &ctx, 0, |_| Err("no text logs here".into()))
            .into_iter()
            .map(|r| r.dossier_id)
            .collect();
    assert_eq!(listed, vec!["OVER".to_string()]);
}

/// Decision 1 on the tally: withdrawn while waiting for the applicant, long after the due date.
/// Judged at the request (early), not at the withdrawal (late, today).
#[test]
fn withdrawn_while_waiting_is_judged_at_the_request() {
    let d = Dossier {
        supplements: vec![Wait {
            requested_at: t("2026-09-09 09:00"),
            completed_at: None,
        }],
        finished_at: Some(t("2026-09-21 10:00")),
        status: Some(Status::Withdrawn),
        ..open("W")
    };
    let (c, _) = counts(&[d], Options::default());
    assert_eq!((c.early, c.late, c.ended), (1, 0, 1));
    // 2.2 measures processing up to the request: 2 days 1 hour.
    assert_eq!(c.resolution_minutes, (2 * 24 + 1) * 60);
}

/// Option `carry_over_open` (§5.7): carried dossiers enter 2.1 only; one waiting since before
/// the period on a supplement never completed ended at that request and is not carried.
/// Today: both carried, and in 3.3/5.4's denominators too.
#[test]
fn carry_over_open_adds_to_2_1_only() {
    let in_period = open("IN");
    let carried = Dossier {
        received_at: Some(t("2026-08-20 08:00")),
        due_at: Some(t("2026-08-25 17:00")),
        channel: Channel::Online,
        ..open("CARRIED")
    };
    let waiting_before = Dossier {
        supplements: vec![Wait {
            requested_at: t("2026-08-21 08:00"),
            completed_at: None,
        }],
        status: Some(Status::SupplementRequested),
        ..carried.clone()
    };
    let o = Options {
        carry_over_open: true,
        ..Options::default()
    };
    let (c, acc) = counts(&[in_period, carried, waiting_before], o);
    assert_eq!((c.received, c.carried_over), (1, 1));
    assert_eq!(indicator(c, &o, "2.1"), (0.0, 2.0));
    assert_eq!(indicator(c, &o, "3.3"), (0.0, 1.0));
    assert_eq!(indicator(c, &o, "5.4"), (0.0, 1.0));
    assert_eq!(c.channel_online, 0);
    assert_eq!(acc.scored, 2);
    assert_eq!(
        acc.excluded.get(Exclusion::OutsidePeriod.reason()),
        Some(&1)
    );
}
