//! Overdue lists, reconciliation, per-official figures and the data-quality report on
//! hand-built cases whose answers are worked out here.
#![allow(clippy::unwrap_used)]

use chiso::model::{ProcessLog, Step, Wait};
use chiso::toolkit::officials::officials;
use chiso::toolkit::overdue::{count_by, overdue_and_at_risk, Urgency};
use chiso::toolkit::quality::{check, totals, Rule};
use chiso::toolkit::reconcile::{reconcile, ReportedCount, Source};
use chiso::*;
use chrono::NaiveDateTime;

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn open(id: &str, unit: &str, received: &str, due: &str) -> Dossier {
    Dossier {
        dossier_id: id.into(),
        unit_code: unit.into(),
        procedure_code: "P".into(),
        received_at: Some(t(received)),
        due_at: Some(t(due)),
        status: Some(Status::InProgress),
        ..Dossier::default()
    }
}

/// A log reader for cases whose logs are all structured steps: any text is unreadable.
fn no_text_logs(text: &str) -> Result<Vec<Step>, String> {
    Err(format!("not a log: {text}"))
}

/// Reads "handler@YYYY-MM-DD HH:MM" as one open step, anything else is unreadable.
fn tiny_logs(text: &str) -> Result<Vec<Step>, String> {
    let (handler, at) = text.split_once('@').ok_or("no @")?;
    let started = NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M").map_err(|e| e.to_string())?;
    Ok(vec![Step {
        handler: handler.into(),
        started_at: Some(started),
        ..Step::default()
    }])
}

fn ctx<'a>(as_of: &str, procs: &'a [Procedure]) -> TallyContext<'a> {
    TallyContext::new(
        "2026-09".parse().unwrap(),
        t(as_of),
        Options::default(),
        Limits::default(),
        &WeekdaysOnly,
        procs,
    )
}

#[test]
fn overdue_and_at_risk_oldest_first_with_holder_and_working_days() {
    let mut a = open("A", "U1", "2026-09-01 08:00", "2026-09-04 17:00"); // Fri 4th: overdue
    a.steps = ProcessLog::Steps(vec![
        Step {
            step: "receive".into(),
            handler: "cb01".into(),
            started_at: Some(t("2026-09-01 08:00")),
            ended_at: Some(t("2026-09-01 09:00")),
            ..Step::default()
        },
        Step {
            step: "review".into(),
            handler: "cb07".into(),
            started_at: Some(t("2026-09-01 09:00")),
            ..Step::default()
        },
    ]);
    let b = open("B", "U2", "2026-09-02 08:00", "2026-09-08 17:00"); // Tue 8th: overdue
    let c = open("C", "U1", "2026-09-09 08:00", "2026-09-11 17:00"); // Fri 11th: due within 2 working days
    let d = open("D", "U1", "2026-09-09 08:00", "2026-09-25 17:00"); // far away: not listed
    let mut e = open("E", "U1", "2026-09-01 08:00", "2026-09-02 17:00"); // finished late: not open
    e.finished_at = Some(t("2026-09-03 08:00"));
    e.status = Some(Status::Finished);
    let rows = overdue_and_at_risk(
        &[d, c, b, a, e],
        &ctx("2026-09-10 09:00", &[]),
        2,
        no_text_logs,
    );
    let ids: Vec<&str> = rows.iter().map(|r| r.dossier_id.as_str()).collect();
    assert_eq!(ids, ["A", "B", "C"]);
    assert_eq!(rows[0].holder.as_deref(), Some("cb07"));
    // Fri 4th → Thu 10th: Mon, Tue, Wed, Thu = 4 working days overdue.
    assert_eq!(rows[0].working_days_overdue, 4);
    assert_eq!(rows[1].working_days_overdue, 2);
    assert_eq!(rows[2].urgency, Urgency::AtRisk);
    assert_eq!(rows[2].working_days_overdue, -1);
    assert_eq!(
        count_by(&rows, |r| r.unit_code.as_str()),
        vec![("U1", 1), ("U2", 1)]
    );
}

#[test]
fn reconciling_a_source_with_itself_shows_no_differences() {
    let ds: Vec<Dossier> = (0..6)
        .map(|i| {
            open(
                &format!("D{i}"),
                if i < 4 { "U1" } else { "U2" },
                "2026-09-02 08:00",
                "2026-09-08 17:00",
            )
        })
        .collect();
    let profile = Profile::builtin("portal-2026").unwrap();
    let p: Period = "2026-09".parse().unwrap();
    let rows = reconcile(
        Source::Dossiers(&ds),
        Source::Dossiers(&ds),
        &p,
        t("2026-09-30 00:00"),
        &profile,
    );
    assert_eq!(rows.len(), 3);
    for r in &rows {
        assert_eq!((r.received_diff, r.resolved_diff), (0, 0));
        assert!(r.only_in_a.is_empty() && r.only_in_b.is_empty());
        assert_eq!(r.sync_points, 6.0);
    }
}

#[test]
fn reconciling_against_reported_counts_and_another_export() {
    let ds: Vec<Dossier> = (0..4)
        .map(|i| {
            open(
                &format!("D{i}"),
                "U1",
                "2026-09-02 08:00",
                "2026-09-08 17:00",
            )
        })
        .collect();
    let profile = Profile::builtin("portal-2026").unwrap();
    let p: Period = "2026-09".parse().unwrap();
    let reported = [ReportedCount {
        unit_code: "U1".into(),
        received: 5,
        resolved: 1,
    }];
    let rows = reconcile(
        Source::Dossiers(&ds),
        Source::Counts(&reported),
        &p,
        t("2026-09-30 00:00"),
        &profile,
    );
    assert_eq!(rows[0].received_diff, -1);
    assert_eq!(rows[0].resolved_diff, -1);
    // 1.4: 4 synced over max(4, 5) = 0.8 → 4.8 of 6.
    assert!((rows[0].sync_points - 4.8).abs() < 1e-9);
    assert!((rows[0].sync_points_lost - 1.2).abs() < 1e-9);
    let other: Vec<Dossier> = ds[1..]
        .iter()
        .cloned()
        .chain([open("X", "U1", "2026-09-03 08:00", "2026-09-08 17:00")])
        .collect();
    let rows = reconcile(
        Source::Dossiers(&ds),
        Source::Dossiers(&other),
        &p,
        t("2026-09-30 00:00"),
        &profile,
    );
    assert_eq!(rows[0].only_in_a, vec!["D0".to_string()]);
    assert_eq!(rows[0].only_in_b, vec!["X".to_string()]);
}

#[test]
fn per_official_figures_are_fair_and_add_up() {
    let step = |h: &str, s: &str, due: &str, e: Option<&str>| Step {
        step: String::new(),
        handler: h.into(),
        unit_code: String::new(),
        started_at: Some(t(s)),
        due_at: Some(t(due)),
        ended_at: e.map(t),
    };
    // A: cb01 on time, cb02 late → dossier late, made late by cb02.
    let mut a = open("A", "U1", "2026-09-01 08:00", "2026-09-03 17:00");
    a.finished_at = Some(t("2026-09-04 10:00"));
    a.status = Some(Status::Finished);
    a.steps = ProcessLog::Steps(vec![
        step(
            "cb01",
            "2026-09-01 08:00",
            "2026-09-01 17:00",
            Some("2026-09-01 16:00"),
        ),
        step(
            "cb02",
            "2026-09-01 16:00",
            "2026-09-02 17:00",
            Some("2026-09-04 09:00"),
        ),
    ]);
    // B: cb02's step runs past its due time only because the applicant took two days to supplement.
    let mut b = open("B", "U1", "2026-09-07 08:00", "2026-09-11 17:00");
    b.finished_at = Some(t("2026-09-10 10:00"));
    b.status = Some(Status::Finished);
    b.supplements = vec![Wait {
        requested_at: t("2026-09-07 10:00"),
        completed_at: Some(t("2026-09-09 10:00")),
    }];
    b.steps = ProcessLog::Steps(vec![step(
        "cb02",
        "2026-09-07 08:00",
        "2026-09-08 08:00",
        Some("2026-09-09 12:00"),
    )]);
    // C: late with no process log: unattributed.
    let mut c = open("C", "U1", "2026-09-01 08:00", "2026-09-02 17:00");
    c.finished_at = Some(t("2026-09-05 10:00"));
    c.status = Some(Status::Finished);
    let r = officials(&[a, b, c], &ctx("2026-09-30 00:00", &[]), no_text_logs);
    assert!(r.unreadable_logs.is_empty());
    let cb01 = r.officials.iter().find(|o| o.official == "cb01").unwrap();
    let cb02 = r.officials.iter().find(|o| o.official == "cb02").unwrap();
    assert_eq!(
        (cb01.steps, cb01.steps_late, cb01.dossiers_made_late),
        (1, 0, 0)
    );
    assert_eq!(
        (cb02.steps, cb02.steps_late, cb02.dossiers_made_late),
        (2, 1, 1)
    );
    assert_eq!(cb02.made_late_dossiers, vec!["A".to_string()]);
    // Tue 1st → Fri 4th: 3 working days; Mon 7th → Wed 9th: 2. Median of [3, 2] = 2.5.
    assert_eq!(cb02.median_working_days, Some(2.5));
    let u = &r.units[0];
    assert_eq!(u.steps, r.officials.iter().map(|o| o.steps).sum::<u64>());
    assert_eq!(
        u.steps_late,
        r.officials.iter().map(|o| o.steps_late).sum::<u64>()
    );
    assert_eq!(
        u.late_dossiers,
        r.officials
            .iter()
            .map(|o| o.dossiers_made_late)
            .sum::<u64>()
            + u.unattributed_late
    );
    assert_eq!((u.late_dossiers, u.unattributed_late), (2, 1));
}

#[test]
fn data_quality_rules_each_fire_on_their_case() {
    let procs = vec![
        Procedure {
            paper_result: true,
            fee_bearing: true,
            ..Procedure::new("P")
        },
        Procedure {
            online_level: model::OnlineLevel::None,
            paper_result: false,
            ..Procedure::new("Q")
        },
    ];
    let units = vec![Unit::new("U1", "", UnitKind::department(), None)];
    let ok = open("OK", "U1", "2026-09-01 08:00", "2026-09-03 17:00");
    let mut no_receipt = ok.clone();
    no_receipt.dossier_id = "R".into();
    no_receipt.received_at = None;
    no_receipt.status = None;
    let mut no_due = ok.clone();
    no_due.dossier_id = "N".into();
    no_due.due_at = None;
    let mut end_before = ok.clone();
    end_before.dossier_id = "E".into();
    end_before.finished_at = Some(t("2026-08-30 08:00"));
    end_before.status = Some(Status::Finished);
    let mut due_before = ok.clone();
    due_before.dossier_id = "B".into();
    due_before.due_at = Some(t("2026-08-30 08:00"));
    let mut finished_no_date = ok.clone();
    finished_no_date.dossier_id = "S".into();
    finished_no_date.status = Some(Status::Returned);
    let mut unknown = ok.clone();
    unknown.dossier_id = "K".into();
    unknown.procedure_code = "ZZZ".into();
    unknown.unit_code = "U9".into();
    let dup = ok.clone();
    let mut online = ok.clone();
    online.dossier_id = "O".into();
    online.procedure_code = "Q".into();
    online.channel = Channel::Online;
    online.e_result = true;
    // A fee on the fee-bearing P is fine; on the fee-free Q it is a finding (3.6 still counts
    // it: the fee lines decide).
    let mut fee_ok = ok.clone();
    fee_ok.dossier_id = "F1".into();
    fee_ok.fee_total = 50_000.0;
    let mut fee_free = fee_ok.clone();
    fee_free.dossier_id = "F2".into();
    fee_free.procedure_code = "Q".into();
    let rows = check(
        &[
            ok,
            no_receipt,
            no_due,
            end_before,
            due_before,
            finished_no_date,
            unknown,
            dup,
            online,
            fee_ok,
            fee_free,
        ],
        &procs,
        &units,
        no_text_logs,
    );
    let t = totals(&rows);
    let expect = [
        (Rule::MissingReceiptDate, 1),
        (Rule::MissingDueDate, 1),
        (Rule::EndBeforeReceipt, 1),
        (Rule::DueBeforeReceipt, 1),
        (Rule::StatusContradictsDates, 1),
        (Rule::UnknownProcedure, 1),
        (Rule::UnknownUnit, 1),
        (Rule::DuplicateDossierId, 2),
        (Rule::OnlineNotOffered, 1),
        (Rule::EResultWithoutPaperResult, 1),
        // N has no due date and P no statutory time: 2.1 leaves it out, the report lists it.
        (Rule::NoDeadline, 1),
        (Rule::FeeOnFeeFreeProcedure, 1),
    ];
    for (rule, n) in expect {
        assert_eq!(t.get(&rule).copied().unwrap_or(0), n, "{rule:?}");
    }
    let dup_row = rows
        .iter()
        .find(|r| r.rule == Rule::DuplicateDossierId)
        .unwrap();
    assert_eq!(dup_row.samples, vec!["OK".to_string(), "OK".to_string()]);
}

/// DATA-MODEL.md §1: a process log that cannot be read never keeps a dossier out of scoring; the
/// toolkit reads the text only when asked, lists the dossiers it could not read, and the
/// data-quality report names them.
#[test]
fn an_unreadable_process_log_is_reported_by_the_toolkit_and_scored() {
    let mut good = open("G", "U1", "2026-09-01 08:00", "2026-09-02 17:00");
    good.steps = ProcessLog::Text("cb05@2026-09-01 09:00".into());
    let mut bad = open("B", "U1", "2026-09-01 08:00", "2026-09-02 17:00");
    bad.steps = ProcessLog::Text("[{not json".into());
    let both = [good.clone(), bad.clone()];
    let c = ctx("2026-09-10 09:00", &[]);
    // Scored: both are counted (and overdue) in 2.1, whatever their logs.
    let mut tally = Tally::default();
    for d in &both {
        assert_eq!(tally.add_dossier(&c, d), Ok(Progress::OpenOverdue));
    }
    let overdue = overdue_and_at_risk(&both, &c, 0, tiny_logs);
    assert_eq!(overdue.len(), 2);
    let g = overdue.iter().find(|r| r.dossier_id == "G").unwrap();
    assert_eq!(
        (g.holder.as_deref(), g.log_error.as_deref()),
        (Some("cb05"), None)
    );
    let b = overdue.iter().find(|r| r.dossier_id == "B").unwrap();
    assert_eq!(b.holder, None);
    assert!(b.log_error.is_some());
    let r = officials(&both, &c, tiny_logs);
    assert_eq!(r.unreadable_logs.len(), 1);
    assert_eq!(r.unreadable_logs[0].dossier_id, "B");
    assert_eq!(r.officials.len(), 1);
    assert_eq!(r.officials[0].official, "cb05");
    let q = check(&both, &[], &[], tiny_logs);
    let row = q
        .iter()
        .find(|r| r.rule == Rule::UnreadableProcessLog)
        .unwrap();
    assert_eq!((row.count, row.samples.clone()), (1, vec!["B".to_string()]));
}
