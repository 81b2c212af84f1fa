//! INDICATORS.md §6, the decided readings of the catalogue, distinct-procedure and petition
//! indicators: hand-worked cases (each one judged differently before §6 was implemented) and
//! properties (an earlier date never gets a worse verdict; 3.1, 3.2, 3.5a, 3.5b and 4.5a read
//! one implemented-procedure set, on the record and the columnar path alike).
#![allow(clippy::unwrap_used)]

use chiso::columnar::{tally_columns, OwnedColumns};
use chiso::facts::{catalogue_counts, Publisher};
use chiso::measure::CatalogueCounts;
use chiso::model::{Level, OnlineLevel, PaymentGateway};
use chiso::petition_rules::judge_petition;
use chiso::pipeline::{run, run_tally, Records, Run};
use chiso::toolkit::quality::{check, Rule, CATALOGUE};
use chiso::*;
use chiso_calendar::Calendar;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use proptest::prelude::*;
use std::collections::BTreeSet;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

// ------------------------------------------------------------------ 1.1 and 1.2 (§6.1–6.3)

/// A procedure with a decision (QĐCB) date, an effective date and a made-public date.
fn catalogued(decision: Option<&str>, effective: Option<&str>, public: Option<&str>) -> Procedure {
    Procedure {
        published_at: decision.map(d),
        legal_basis_effective_at: effective.map(d),
        made_public_at: public.map(d),
        ..Procedure::new("1.000001")
    }
}

/// 1.1–1.2 counts of a one-procedure catalogue as of `at` (capped at the period end, as
/// scoring does).
fn counts_of(p: &Procedure, publisher: Publisher, period: &str, at: &str) -> CatalogueCounts {
    let period: Period = period.parse().unwrap();
    catalogue_counts(
        std::slice::from_ref(p),
        &period,
        chiso::classify::effective_time(&period, t(at)),
        &Limits::default(),
        publisher,
        vietnam(),
    )
}

/// The Vietnamese calendar, built once for the whole file (the properties ask it often).
fn vietnam() -> &'static Calendar {
    static CAL: std::sync::OnceLock<Calendar> = std::sync::OnceLock::new();
    CAL.get_or_init(Calendar::vietnam)
}

/// 1.1 of one procedure in Q1 2026: (counted, on time).
fn one_1_1(decision: &str, effective: Option<&str>, publisher: Publisher) -> (u64, u64) {
    let c = counts_of(
        &catalogued(Some(decision), effective, None),
        publisher,
        "2026-Q1",
        "2026-03-31 17:00",
    );
    (c.published, c.published_on_time)
}

#[test]
fn a_saturday_decision_is_judged_like_the_friday_before_and_the_monday_after_1_1() {
    use Publisher::Province;
    // Effective Monday 30 March 2026; a province publishes 5 working days before: the 5th
    // working day strictly before is Monday 23 (27, 26, 25, 24, 23 — no holidays in March).
    assert_eq!(one_1_1("2026-03-20", Some("2026-03-30"), Province), (1, 1));
    assert_eq!(one_1_1("2026-03-21", Some("2026-03-30"), Province), (1, 1));
    assert_eq!(one_1_1("2026-03-23", Some("2026-03-30"), Province), (1, 1));
    assert_eq!(one_1_1("2026-03-24", Some("2026-03-30"), Province), (1, 0));
    // A Saturday effective date (28 March) is not counted either: the limit is still Monday 23.
    assert_eq!(one_1_1("2026-03-23", Some("2026-03-28"), Province), (1, 1));
    assert_eq!(one_1_1("2026-03-24", Some("2026-03-28"), Province), (1, 0));
}

#[test]
fn the_publisher_decides_the_1_1_limit_not_the_procedure_level() {
    // A ministry publishes 20 working days before: before Monday 30 March that is Monday 2 March.
    assert_eq!(
        one_1_1("2026-03-02", Some("2026-03-30"), Publisher::Ministry),
        (1, 1)
    );
    assert_eq!(
        one_1_1("2026-03-03", Some("2026-03-30"), Publisher::Ministry),
        (1, 0)
    );
    // A ministry-level procedure in a province's catalogue takes the province's 5 days.
    let p = Procedure {
        level: Some(Level::Ministry),
        ..catalogued(Some("2026-03-23"), Some("2026-03-30"), None)
    };
    let c = counts_of(&p, Publisher::Province, "2026-Q1", "2026-03-31 17:00");
    assert_eq!((c.published, c.published_on_time), (1, 1));
    // Through the scorer: the root's kind picks the publisher.
    let ministry_tree = [Unit::new("BTP", "Ministry", UnitKind::ministry(), None)];
    let procs = [catalogued(Some("2026-03-03"), Some("2026-03-30"), None)];
    let card = scored(
        &procs,
        &ministry_tree,
        &[],
        &[],
        "2026-Q1",
        "2026-06-30 17:00",
    );
    let i = card
        .scorecard
        .unit("BTP")
        .unwrap()
        .indicator("1.1")
        .unwrap();
    assert_eq!((i.numerator, i.denominator), (0.0, 1.0));
    let province_tree = [Unit::new("H44", "Province", UnitKind::province(), None)];
    let card = scored(
        &procs,
        &province_tree,
        &[],
        &[],
        "2026-Q1",
        "2026-06-30 17:00",
    );
    let i = card
        .scorecard
        .unit("H44")
        .unwrap()
        .indicator("1.1")
        .unwrap();
    assert_eq!((i.numerator, i.denominator), (1.0, 1.0));
}

#[test]
fn a_procedure_without_effective_date_is_left_out_of_1_1_and_reported() {
    assert_eq!(one_1_1("2026-03-02", None, Publisher::Province), (0, 0));
    let p = catalogued(Some("2026-03-02"), None, None);
    let rows = check(&[], std::slice::from_ref(&p), &[], no_logs);
    assert!(rows.iter().any(|r| r.rule == Rule::NoEffectiveDate
        && r.unit_code == CATALOGUE
        && r.samples == ["1.000001"]));
}

/// 1.2 of one procedure over the year 2026: (counted, on time).
fn one_1_2(decision: Option<&str>, public: Option<&str>, publisher: Publisher) -> (u64, u64) {
    let c = counts_of(
        &catalogued(decision, None, public),
        publisher,
        "2026",
        "2026-12-31 23:00",
    );
    (c.public_update, c.public_update_on_time)
}

#[test]
fn one_window_for_1_2_counted_from_the_day_after_the_decision() {
    use Publisher::*;
    // Decision Saturday 21 March: day 1 is Monday 23, day 5 Friday 27 — as from Friday 20.
    assert_eq!(
        one_1_2(Some("2026-03-21"), Some("2026-03-27"), Province),
        (1, 1)
    );
    assert_eq!(
        one_1_2(Some("2026-03-21"), Some("2026-03-30"), Province),
        (1, 0)
    );
    assert_eq!(
        one_1_2(Some("2026-03-20"), Some("2026-03-30"), Province),
        (1, 0)
    );
    assert_eq!(
        one_1_2(Some("2026-03-23"), Some("2026-03-30"), Province),
        (1, 1)
    );
    // A ministry has 10: from Saturday 21 March, day 10 is Friday 3 April.
    assert_eq!(
        one_1_2(Some("2026-03-21"), Some("2026-04-03"), Ministry),
        (1, 1)
    );
    assert_eq!(
        one_1_2(Some("2026-03-21"), Some("2026-04-06"), Ministry),
        (1, 0)
    );
    // Holidays are not working days: from Wednesday 22 April the 5 days are 23, 24, 28, 29 April
    // and 4 May (27 April, 30 April and 1 May are days off).
    assert_eq!(
        one_1_2(Some("2026-04-22"), Some("2026-05-04"), Province),
        (1, 1)
    );
    assert_eq!(
        one_1_2(Some("2026-04-22"), Some("2026-05-05"), Province),
        (1, 0)
    );
}

#[test]
fn made_public_without_decision_date_is_left_out_of_1_2_and_reported() {
    assert_eq!(
        one_1_2(None, Some("2026-03-27"), Publisher::Province),
        (0, 0)
    );
    let p = catalogued(None, None, Some("2026-03-27"));
    let rows = check(&[], std::slice::from_ref(&p), &[], no_logs);
    assert!(rows
        .iter()
        .any(|r| r.rule == Rule::PublicWithoutDecisionDate && r.count == 1));
}

#[test]
fn not_public_by_t_counts_late_once_its_deadline_is_in_the_period() {
    // Decision Monday 2 March (deadline Monday 9 March), made public only on 15 April: in Q1
    // judged at 31 March it is pending past its deadline; in Q2 it is made public, late.
    let p = catalogued(Some("2026-03-02"), None, Some("2026-04-15"));
    let q1 = counts_of(&p, Publisher::Province, "2026-Q1", "2026-06-30 17:00");
    assert_eq!((q1.public_update, q1.public_update_on_time), (1, 0));
    let q2 = counts_of(&p, Publisher::Province, "2026-Q2", "2026-06-30 17:00");
    assert_eq!((q2.public_update, q2.public_update_on_time), (1, 0));
    // Decided on 30 March: its deadline (6 April) is not in Q1, so Q1 does not count it yet.
    let later = catalogued(Some("2026-03-30"), None, Some("2026-04-15"));
    let q1 = counts_of(&later, Publisher::Province, "2026-Q1", "2026-06-30 17:00");
    assert_eq!(q1.public_update, 0);
}

/// 1.1 or 1.2 (numerator, denominator) of a one-unit tree whose root is of `root` kind, through
/// the whole scorer.
fn ckmb(procs: &[Procedure], root: UnitKind, period: &str, id: &str) -> (f64, f64) {
    let units = [Unit::new("R", "R", root, None)];
    let r = scored(procs, &units, &[], &[], period, "2026-12-31 17:00");
    let i = r.scorecard.unit("R").unwrap().indicator(id).unwrap();
    (i.numerator, i.denominator)
}

#[test]
fn catalogue_indicators_through_the_scorer() {
    let province = UnitKind::province;
    let c =
        |dec: &str, eff: Option<&str>, public: Option<&str>| [catalogued(Some(dec), eff, public)];
    assert_eq!(
        ckmb(
            &c("2026-03-21", Some("2026-03-30"), None),
            province(),
            "2026-Q1",
            "1.1"
        ),
        (1.0, 1.0)
    );
    assert_eq!(
        ckmb(
            &c("2026-03-23", Some("2026-03-28"), None),
            province(),
            "2026-Q1",
            "1.1"
        ),
        (1.0, 1.0)
    );
    assert_eq!(
        ckmb(
            &c("2026-03-03", Some("2026-03-30"), None),
            UnitKind::ministry(),
            "2026-Q1",
            "1.1"
        ),
        (0.0, 1.0)
    );
    assert_eq!(
        ckmb(&c("2026-03-03", None, None), province(), "2026-Q1", "1.1"),
        (0.0, 0.0)
    );
    assert_eq!(
        ckmb(
            &c("2026-03-21", None, Some("2026-03-30")),
            province(),
            "2026-Q1",
            "1.2"
        ),
        (0.0, 1.0)
    );
    assert_eq!(
        ckmb(
            &c("2026-03-02", None, Some("2026-04-15")),
            province(),
            "2026-Q1",
            "1.2"
        ),
        (0.0, 1.0)
    );
    // Every child shows its tree's values.
    let units = [
        Unit::new("R", "R", UnitKind::province(), None),
        Unit::new("R.1", "child", UnitKind::commune(), Some("R")),
    ];
    let r = scored(
        &c("2026-03-21", Some("2026-03-30"), None),
        &units,
        &[],
        &[],
        "2026-Q1",
        "2026-12-31 17:00",
    );
    let child = r.scorecard.unit("R.1").unwrap().indicator("1.1").unwrap();
    assert_eq!((child.numerator, child.denominator), (1.0, 1.0));
}

fn in_2026(days: i64) -> NaiveDate {
    d("2026-01-15") + Duration::days(days)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// 1.1: an earlier decision or a later effective date never turns on time into late; a
    /// later decision or an earlier effective date never turns late into on time.
    #[test]
    fn moving_1_1_dates_never_punishes_the_earlier_date(dec in 14..300i64, eff in 0..360i64,
                                                        k in 1..14i64, ministry in any::<bool>()) {
        let publisher = if ministry { Publisher::Ministry } else { Publisher::Province };
        let verdict = |dec: NaiveDate, eff: NaiveDate| {
            let p = Procedure {
                published_at: Some(dec),
                legal_basis_effective_at: Some(eff),
                ..Procedure::new("1")
            };
            let c = counts_of(&p, publisher, "2026", "2026-12-31 23:00");
            assert_eq!(c.published, 1);
            c.published_on_time == 1
        };
        let (dec, eff) = (in_2026(dec), in_2026(eff));
        let dk = Duration::days(k);
        if verdict(dec, eff) {
            prop_assert!(verdict(dec - dk, eff), "earlier decision turned late");
            prop_assert!(verdict(dec, eff + dk), "later effective date turned late");
        } else {
            prop_assert!(!verdict(dec + dk, eff), "later decision turned on time");
            prop_assert!(!verdict(dec, eff - dk), "earlier effective date turned on time");
        }
    }

    /// 1.2: made public earlier (or decided later) never turns on time into late; made public
    /// later (or decided earlier) never turns late into on time.
    #[test]
    fn moving_1_2_dates_never_punishes_the_earlier_date(dec in 14..300i64, gap in -3..25i64,
                                                        k in 1..14i64, ministry in any::<bool>()) {
        let publisher = if ministry { Publisher::Ministry } else { Publisher::Province };
        let verdict = |dec: NaiveDate, public: NaiveDate| {
            let p = Procedure {
                published_at: Some(dec),
                made_public_at: Some(public),
                ..Procedure::new("1")
            };
            let c = counts_of(&p, publisher, "2026", "2026-12-31 23:00");
            assert_eq!(c.public_update, 1);
            c.public_update_on_time == 1
        };
        let dec = in_2026(dec);
        let public = dec + Duration::days(gap);
        let dk = Duration::days(k);
        if verdict(dec, public) {
            prop_assert!(verdict(dec, public - dk), "made public earlier turned late");
            prop_assert!(verdict(dec + dk, public), "later decision turned late");
        } else {
            prop_assert!(!verdict(dec, public + dk), "made public later turned on time");
            prop_assert!(!verdict(dec - dk, public), "earlier decision turned on time");
        }
    }

    /// Petitions: handled, rejected or asked for more information earlier never turns on time
    /// into late, later never late into on time; the same for a later clock start (receipt or
    /// forwarding) and for an earlier evaluation time of an open petition.
    #[test]
    fn moving_petition_dates_never_punishes_the_earlier_date(recv in 0..(24 * 90i64), took in 0..(24 * 40i64),
                                                              k in 1..(24 * 6i64), kind in 0..3u8,
                                                              forwarded in proptest::option::of(0..(24 * 10i64))) {
        let cal = vietnam();
        let received = t("2026-08-01 00:00") + Duration::hours(recv);
        let t_end = t("2026-12-31 23:00");
        let petition = |received: NaiveDateTime, done: Option<NaiveDateTime>| {
            let mut p = Petition {
                petition_id: "P".into(),
                unit_code: "U".into(),
                received_at: Some(received),
                forwarded_at: forwarded.map(|h| received + Duration::hours(h)),
                ..Petition::default()
            };
            match kind {
                0 => p.handled_at = done,
                1 => p.rejected_at = done,
                // Handled at once; only the supplement request's limit can be missed.
                _ => {
                    p.handled_at = done.map(|_| received);
                    p.supplement_requested_at = done;
                }
            }
            p
        };
        let on_time = |received: NaiveDateTime, done: Option<NaiveDateTime>, at: NaiveDateTime| {
            judge_petition(&petition(received, done), received, at, &Limits::default(), cal).on_time
        };
        let kk = Duration::hours(k);
        let done = received + Duration::hours(took);
        if on_time(received, Some(done), t_end) {
            prop_assert!(on_time(received, Some((done - kk).max(received)), t_end), "earlier step turned late");
        } else {
            prop_assert!(!on_time(received, Some(done + kk), t_end), "later step turned on time");
        }
        // A later receipt (with the step fixed) moves the limit later.
        if on_time(received, Some(done), t_end) {
            prop_assert!(on_time(received + kk, Some(done.max(received + kk)), t_end), "later receipt turned late");
        }
        // Open petitions: an earlier evaluation time never turns on time into late.
        if kind != 2 {
            let at = received + Duration::hours(took);
            if on_time(received, None, at) {
                prop_assert!(on_time(received, None, (at - kk).max(received)), "earlier T turned late");
            } else {
                prop_assert!(!on_time(received, None, at + kk), "later T turned on time");
            }
        }
    }
}

// ------------------------------------------------------------------ 3.1, 3.2, 3.5a/b, 4.5a (§6.4–6.5)

fn province() -> Vec<Unit> {
    vec![
        Unit::new("H44", "Province", UnitKind::province(), None),
        Unit::new("H44.07", "Department", UnitKind::department(), Some("H44")),
        Unit::new("H44.100", "Commune A", UnitKind::commune(), Some("H44")),
        Unit::new("H44.101", "Commune B", UnitKind::commune(), Some("H44")),
    ]
}

fn dossier(id: &str, unit: &str, procedure: &str) -> Dossier {
    let received = t("2026-03-02 09:00");
    Dossier {
        dossier_id: id.into(),
        unit_code: unit.into(),
        procedure_code: procedure.into(),
        received_at: Some(received),
        due_at: Some(received + Duration::days(10)),
        status: Some(Status::InProgress),
        ..Dossier::default()
    }
}

/// Online, fee-bearing, for citizens; commune level unless it lists its units.
fn commune_procedure(code: &str, units: &[&str]) -> Procedure {
    Procedure {
        level: Some(Level::Commune),
        online_level: OnlineLevel::Full,
        fee_bearing: true,
        for_citizens: true,
        units: units.iter().map(|u| u.to_string()).collect(),
        ..Procedure::new(code)
    }
}

fn scored(
    procedures: &[Procedure],
    units: &[Unit],
    dossiers: &[Dossier],
    petitions: &[Petition],
    period: &str,
    as_of: &str,
) -> Run {
    let profile = Profile::builtin("portal-2026").unwrap();
    let records = Records {
        dossiers,
        procedures,
        units: Some(units),
        petitions,
    };
    run(
        &records,
        period.parse().unwrap(),
        t(as_of),
        &profile,
        profile.options,
        vietnam(),
    )
    .unwrap()
}

const DISTINCT: [&str; 5] = ["3.1", "3.2", "3.5a", "3.5b", "4.5a"];

fn ratios(r: &Run, unit: &str) -> Vec<(f64, f64)> {
    let u = r.scorecard.unit(unit).unwrap();
    DISTINCT
        .iter()
        .map(|id| {
            let i = u.indicator(id).unwrap();
            (i.numerator, i.denominator)
        })
        .collect()
}

#[test]
fn a_department_assigned_no_procedure_has_an_empty_set_for_all_five() {
    // Three commune-level procedures; the department received online, paid, population-data
    // dossiers of all three. None is its to implement: every denominator is empty.
    let procs: Vec<Procedure> = (1..=3)
        .map(|i| commune_procedure(&format!("1.{i}"), &[]))
        .collect();
    let dossiers: Vec<Dossier> = (1..=3)
        .map(|i| Dossier {
            channel: Channel::Online,
            fee_total: 50_000.0,
            paid_online: PaymentGateway::National,
            population_data: true,
            ..dossier(&format!("D{i}"), "H44.07", &format!("1.{i}"))
        })
        .collect();
    let r = scored(
        &procs,
        &province(),
        &dossiers,
        &[],
        "2026-Q1",
        "2026-03-31 17:00",
    );
    assert_eq!(ratios(&r, "H44.07"), vec![(0.0, 0.0); 5]);
    let notes = &r
        .scorecard
        .unit("H44.07")
        .unwrap()
        .indicator("3.1")
        .unwrap()
        .notes;
    assert!(
        notes.iter().any(|n| n.contains("does not assign")),
        "{notes:?}"
    );
    // The province implements the three through its communes, but the department's dossiers
    // add nothing: 3 procedures, none with a dossier at an implementing unit.
    assert_eq!(
        ratios(&r, "H44"),
        vec![(3.0, 3.0), (0.0, 6.0), (0.0, 3.0), (0.0, 3.0), (0.0, 3.0)]
    );
    // `chiso check` lists the three dossiers.
    let rows = check(&dossiers, &procs, &province(), no_logs);
    let stray: Vec<_> = rows
        .iter()
        .filter(|r| r.rule == Rule::ProcedureNotAssignedToUnit)
        .collect();
    assert_eq!(stray.len(), 1);
    assert_eq!((stray[0].unit_code.as_str(), stray[0].count), ("H44.07", 3));
}

#[test]
fn units_lists_and_levels_make_one_set_and_3_5b_needs_no_fee_lines() {
    // 1.1 is listed for commune A only; 1.2 is every commune's by level.
    let procs = vec![
        commune_procedure("1.1", &["H44.100"]),
        commune_procedure("1.2", &[]),
    ];
    let dossiers = vec![
        // Commune A, 1.1: online and paid online with no fee lines (fee total 0).
        Dossier {
            channel: Channel::Online,
            paid_online: PaymentGateway::Local,
            ..dossier("A1", "H44.100", "1.1")
        },
        // Commune B, 1.1: not listed for it — left out everywhere.
        Dossier {
            channel: Channel::Online,
            fee_total: 10.0,
            population_data: true,
            ..dossier("B1", "H44.101", "1.1")
        },
        // Commune B, 1.2: fee data, population data.
        Dossier {
            fee_total: 10.0,
            population_data: true,
            ..dossier("B2", "H44.101", "1.2")
        },
    ];
    let r = scored(
        &procs,
        &province(),
        &dossiers,
        &[],
        "2026-Q1",
        "2026-03-31 17:00",
    );
    // Commune A implements both: 3.2 one of its two online services used; 3.5b counts 1.1
    // (paid online, whatever the fee lines say) though 3.5a does not.
    assert_eq!(
        ratios(&r, "H44.100"),
        vec![(2.0, 2.0), (1.0, 2.0), (0.0, 2.0), (1.0, 2.0), (0.0, 2.0)]
    );
    // Commune B implements 1.2 only; its dossier of 1.1 adds nothing.
    assert_eq!(
        ratios(&r, "H44.101"),
        vec![(1.0, 1.0), (0.0, 1.0), (1.0, 1.0), (0.0, 1.0), (1.0, 1.0)]
    );
    // The province pools the set {1.1, 1.2} and the pairs (A,1.1), (A,1.2), (B,1.2).
    assert_eq!(
        ratios(&r, "H44"),
        vec![(2.0, 2.0), (1.0, 3.0), (1.0, 2.0), (1.0, 2.0), (1.0, 2.0)]
    );
}

#[test]
fn without_a_catalogue_the_procedures_seen_are_used_and_the_scorecard_says_so() {
    let dossiers = vec![
        Dossier {
            channel: Channel::Online,
            paid_online: PaymentGateway::National,
            ..dossier("A1", "H44.100", "1.1")
        },
        Dossier {
            fee_total: 10.0,
            ..dossier("A2", "H44.100", "1.2")
        },
        dossier("A3", "H44.100", "1.3"),
    ];
    let r = scored(
        &[],
        &province(),
        &dossiers,
        &[],
        "2026-Q1",
        "2026-03-31 17:00",
    );
    // Seen: 3 procedures, 1 online; fee-bearing = fee data or paid online = {1.1, 1.2}.
    assert_eq!(
        ratios(&r, "H44.100"),
        vec![(1.0, 3.0), (1.0, 1.0), (1.0, 2.0), (1.0, 2.0), (0.0, 3.0)]
    );
    let u = r.scorecard.unit("H44.100").unwrap();
    for id in DISTINCT {
        assert!(
            u.indicator(id)
                .unwrap()
                .notes
                .iter()
                .any(|n| n.contains("no procedure catalogue")),
            "{id}"
        );
    }
}

// ------------------------------------------------------------------ petitions (§6.6)

fn petition_of(received: &str) -> Petition {
    Petition {
        petition_id: "PAKN-1".into(),
        unit_code: "H44.07".into(),
        received_at: Some(t(received)),
        ..Petition::default()
    }
}

fn petition_ratios(r: &Run) -> [(f64, f64); 2] {
    let u = r.scorecard.unit("H44.07").unwrap();
    let of = |id: &str| {
        let i = u.indicator(id).unwrap();
        (i.numerator, i.denominator)
    };
    [of("5.2"), of("5.3")]
}

#[test]
fn five_2_counts_by_clock_start_and_five_3_by_first_receipt() {
    // Received Wednesday 25 March, forwarded Monday 6 April, handled Monday 20 April. From the
    // forwarding, the 15th working day is 28 April (27 April is the Hùng Kings substitute day).
    let p = Petition {
        forwarded_at: Some(t("2026-04-06 09:00")),
        handled_at: Some(t("2026-04-20 10:00")),
        ..petition_of("2026-03-25 09:00")
    };
    let ps = [p];
    let q1 = scored(&[], &province(), &[], &ps, "2026-Q1", "2026-06-30 17:00");
    let q2 = scored(&[], &province(), &[], &ps, "2026-Q2", "2026-06-30 17:00");
    // Q1 (T = 31 March): 5.3 counts it (open, within its limit from receipt); 5.2 does not.
    assert_eq!(petition_ratios(&q1), [(0.0, 0.0), (1.0, 1.0)]);
    // Q2: 5.2 counts it (on time from the forwarding); 5.3 does not.
    assert_eq!(petition_ratios(&q2), [(1.0, 1.0), (0.0, 0.0)]);
    assert_eq!((q1.accounting.scored, q2.accounting.scored), (1, 1));
}

#[test]
fn petition_limits_compare_calendar_days() {
    // Received Wednesday 4 March at 15:00: the 15th working day after is Wednesday 25 March,
    // and an answer at 16:00 that day is on time.
    let p = Petition {
        handled_at: Some(t("2026-03-25 16:00")),
        ..petition_of("2026-03-04 15:00")
    };
    let r = scored(
        &[],
        &province(),
        &[],
        std::slice::from_ref(&p),
        "2026-Q1",
        "2026-03-31 17:00",
    );
    assert_eq!(petition_ratios(&r), [(1.0, 1.0), (1.0, 1.0)]);
    let late = Petition {
        handled_at: Some(t("2026-03-26 08:00")),
        ..p
    };
    let r = scored(
        &[],
        &province(),
        &[],
        &[late],
        "2026-Q1",
        "2026-03-31 17:00",
    );
    assert_eq!(petition_ratios(&r), [(0.0, 1.0), (0.0, 1.0)]);
    // Still open at T = 31 March, past its limit: handled late for 5.3 too.
    let open = petition_of("2026-03-04 15:00");
    let r = scored(
        &[],
        &province(),
        &[],
        &[open],
        "2026-Q1",
        "2026-03-31 17:00",
    );
    assert_eq!(petition_ratios(&r), [(0.0, 1.0), (0.0, 1.0)]);
}

// ------------------------------------------------------------------ one set, every path (§6.4)

/// A generated province: departments and districts, communes under districts.
fn generated_units(depts: usize, districts: usize, communes: usize) -> Vec<Unit> {
    let mut units = vec![Unit::new("P", "P", UnitKind::province(), None)];
    for i in 0..depts {
        units.push(Unit::new(
            &format!("P.S{i}"),
            "",
            UnitKind::department(),
            Some("P"),
        ));
    }
    for i in 0..districts {
        let code = format!("P.H{i}");
        units.push(Unit::new(&code, "", UnitKind::district(), Some("P")));
        for j in 0..communes {
            units.push(Unit::new(
                &format!("{code}.X{j}"),
                "",
                UnitKind::commune(),
                Some(&code),
            ));
        }
    }
    units
}

prop_compose! {
    fn generated_procedure(n_units: usize)(level in 0..5usize, listed in proptest::collection::vec(0..64usize, 0..3),
                                           online in 0..3usize, fee in any::<bool>(), citizens in any::<bool>())
                                           -> (Option<Level>, Vec<usize>, OnlineLevel, bool, bool) {
        let level = [None, Some(Level::Province), Some(Level::District), Some(Level::Commune), Some(Level::Ministry)][level];
        let listed = listed.into_iter().map(|i| i % n_units.max(1)).collect();
        (level, listed, [OnlineLevel::None, OnlineLevel::Partial, OnlineLevel::Full][online], fee, citizens)
    }
}

/// (unit index, procedure index or an unknown code, online, fee, paid, population).
type GenDossier = (usize, usize, bool, bool, u8, bool);

fn generated_dossiers() -> impl Strategy<Value = Vec<GenDossier>> {
    proptest::collection::vec(
        (
            0..64usize,
            0..14usize,
            any::<bool>(),
            any::<bool>(),
            0..3u8,
            any::<bool>(),
        ),
        0..60,
    )
}

fn build_dossiers(units: &[Unit], gen: &[GenDossier]) -> Vec<Dossier> {
    gen.iter()
        .enumerate()
        .map(|(n, &(u, p, online, fee, paid, population))| Dossier {
            channel: if online {
                Channel::Online
            } else {
                Channel::Direct
            },
            fee_total: if fee { 1000.0 } else { 0.0 },
            paid_online: PaymentGateway::try_from(paid).unwrap(),
            population_data: population,
            ..dossier(
                &format!("D{n}"),
                &units[u % units.len()].code,
                &format!("1.{p}"),
            )
        })
        .collect()
}

/// The implemented set of a subtree by the definition: catalogue entries some member
/// implements.
fn implemented_set(tree: &UnitTree, i: usize, procs: &[Procedure]) -> BTreeSet<usize> {
    let members: Vec<&Unit> = tree.subtree(i).into_iter().map(|j| tree.unit(j)).collect();
    (0..procs.len())
        .filter(|&k| {
            members
                .iter()
                .any(|u| procs[k].implemented_by(&u.code, &u.kind))
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// 3.1, 3.2, 3.5a, 3.5b and 4.5a read one implemented set: their denominators are that
    /// set (3.2: its unit–procedure pairs), dossiers of unassigned procedures change none of
    /// them, and the columnar path gives the same figures as the record path.
    #[test]
    fn the_five_distinct_indicators_read_one_implemented_set(
        shape in (0..3usize, 0..3usize, 0..3usize),
        gen_procs in proptest::collection::vec(generated_procedure(16), 1..10),
        gen in generated_dossiers(),
    ) {
        let units = generated_units(shape.0, shape.1 + 1, shape.2);
        let procs: Vec<Procedure> = gen_procs
            .iter()
            .enumerate()
            .map(|(k, (level, listed, online, fee, citizens))| Procedure {
                level: *level,
                units: listed.iter().map(|&i| units[i % units.len()].code.clone()).collect(),
                online_level: *online,
                fee_bearing: *fee,
                for_citizens: *citizens,
                ..Procedure::new(&format!("1.{k}"))
            })
            .collect();
        let dossiers = build_dossiers(&units, &gen);
        let r = scored(&procs, &units, &dossiers, &[], "2026-Q1", "2026-03-31 17:00");
        let tree = UnitTree::new(units.clone()).unwrap();
        for i in 0..tree.len() {
            let set = implemented_set(&tree, i, &procs);
            let count = |f: fn(&Procedure) -> bool| set.iter().filter(|&&k| f(&procs[k])).count() as f64;
            let pairs: f64 = tree
                .subtree(i)
                .into_iter()
                .map(|j| {
                    let u = tree.unit(j);
                    procs.iter().filter(|p| p.offered_online() && p.implemented_by(&u.code, &u.kind)).count() as f64
                })
                .sum();
            let got = ratios(&r, &tree.unit(i).code);
            let (n31, d31) = got[0];
            prop_assert_eq!(d31, set.len() as f64, "3.1 denominator is the set");
            prop_assert_eq!(n31, count(Procedure::offered_online), "3.1 numerator");
            prop_assert_eq!(got[1].1, pairs, "3.2 over the set's pairs");
            prop_assert_eq!(got[2].1, count(|p| p.fee_bearing), "3.5a over the set's fee-bearing");
            prop_assert_eq!(got[3].1, count(|p| p.fee_bearing), "3.5b over the set's fee-bearing");
            prop_assert_eq!(got[4].1, count(|p| p.for_citizens), "4.5a over the set's citizen procedures");
            for (n, dd) in &got {
                prop_assert!(n <= dd, "numerator within its denominator");
            }
        }
        // Dossiers of procedures their unit is not assigned (or not in the catalogue) change
        // none of the five figures.
        let assigned: Vec<Dossier> = dossiers
            .iter()
            .filter(|d| {
                let u = tree.get(&d.unit_code).unwrap();
                procs.iter().any(|p| p.procedure_code == d.procedure_code && p.implemented_by(&u.code, &u.kind))
            })
            .cloned()
            .collect();
        let only = scored(&procs, &units, &assigned, &[], "2026-Q1", "2026-03-31 17:00");
        for u in &units {
            prop_assert_eq!(ratios(&r, &u.code), ratios(&only, &u.code), "unit {}", u.code);
        }
        // The columnar path (tally of columns, then the same scoring) agrees.
        let profile = Profile::builtin("portal-2026").unwrap();
        let cal = vietnam();
        let ctx = TallyContext::new("2026-Q1".parse().unwrap(), t("2026-03-31 17:00"), profile.options, profile.limits, cal, &procs);
        let owned = OwnedColumns::from_dossiers(&dossiers);
        let (tally, acc) = tally_columns(&owned.columns(), &owned.unit_code_refs(), &owned.procedure_code_refs(), &ctx, 2).unwrap();
        let columnar = run_tally(tally, acc, &procs, Some(&units), &[], "2026-Q1".parse().unwrap(), t("2026-03-31 17:00"), &profile, profile.options, cal).unwrap();
        for u in &units {
            prop_assert_eq!(ratios(&r, &u.code), ratios(&columnar, &u.code), "columnar, unit {}", u.code);
        }
    }
}

/// The dossiers here carry no process log held as text.
fn no_logs(_: &str) -> Result<Vec<chiso::model::Step>, String> {
    Err("no text logs in these cases".into())
}
