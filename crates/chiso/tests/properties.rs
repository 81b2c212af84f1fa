//! Property tests of the algebra the design rests on: bounded points, additive tallies,
//! commutative/associative merge, pooled roll-ups, and monotonicity of improvements.
#![allow(clippy::unwrap_used)]

use chiso::measure::{CatalogueCounts, DistinctCounts, UnitFacts};
use chiso::score::score_unit;
use chiso::*;
use chrono::Duration;
use proptest::prelude::*;

mod common;
use common::{base_time, dossier, options, procedures};

fn tree() -> UnitTree {
    UnitTree::new(vec![
        Unit::new("H44", "Province", UnitKind::province(), None),
        Unit::new("H44.01", "Dept 1", UnitKind::department(), Some("H44")),
        Unit::new("H44.02", "Dept 2", UnitKind::department(), Some("H44")),
        Unit::new("H44.100", "Commune 1", UnitKind::commune(), Some("H44")),
        Unit::new("H44.101", "Commune 2", UnitKind::commune(), Some("H44")),
    ])
    .unwrap()
}

fn tally_of(ds: &[Dossier], procs: &[Procedure]) -> Tally {
    let ctx = TallyContext::new(
        "2026-09".parse().unwrap(),
        base_time() + Duration::days(25),
        Options::default(),
        Limits::default(),
        &WeekdaysOnly,
        procs,
    );
    Tally::build(&ctx, ds, &[]).0
}

fn card_of(ds: &[Dossier]) -> Scorecard {
    let procs = procedures();
    let tally = tally_of(ds, &procs);
    let profile = Profile::builtin("portal-2026").unwrap();
    let units = tree();
    score(&ScoreInput {
        tally: &tally,
        units: &units,
        procedures: &procs,
        profile: &profile,
        options: Options::default(),
        period: "2026-09".parse().unwrap(),
        as_of: base_time() + Duration::days(25),
        calendar: &WeekdaysOnly,
        published_facts: None,
    })
}

fn arb_counts() -> impl Strategy<Value = Counts> {
    proptest::collection::vec(0..1000u64, Counts::FIELDS.len()).prop_map(|v| {
        let mut c = Counts::default();
        for (name, x) in Counts::FIELDS.iter().zip(v) {
            c.set(name, x);
        }
        c
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn every_points_value_is_within_its_maximum(c in arb_counts(), d in proptest::collection::vec(0..500u64, 15)) {
        let facts = UnitFacts {
            distinct: DistinctCounts {
                authority_procedures: d[0], online_procedures: d[1], online_services_offered: d[2],
                online_services_used: d[3], fee_procedures: d[4], fee_procedures_with_fee_data: d[5],
                fee_procedures_paid_online: d[6], citizen_procedures: d[7], citizen_procedures_population: d[8],
            },
            catalogue: CatalogueCounts {
                published: d[9], published_on_time: d[10], public_update: d[11],
                public_update_on_time: d[12], public_total: d[13], public_complete: d[14],
            },
            ..UnitFacts::default()
        };
        let profile = Profile::builtin("portal-2026").unwrap();
        for kind in [UnitKind::province(), UnitKind::commune()] {
            let unit = Unit::new("X", "X", kind, None);
            let s = score_unit(&unit, c, &facts, &profile, &Options::default(), 12.0);
            for i in &s.indicators {
                prop_assert!(i.points >= 0.0 && i.points <= i.max + 1e-12, "{} {}", i.id, i.points);
            }
            prop_assert!(s.total >= 0.0 && s.total <= 100.0 + 1e-9);
        }
    }

    #[test]
    fn tally_of_a_union_is_the_sum_of_tallies(a in proptest::collection::vec(dossier(), 0..40), b in proptest::collection::vec(dossier(), 0..40)) {
        let procs = procedures();
        let mut all = a.clone();
        all.extend(b.iter().cloned());
        prop_assert_eq!(tally_of(&all, &procs), Tally::merged(&tally_of(&a, &procs), &tally_of(&b, &procs)));
    }

    #[test]
    fn merge_is_commutative_and_associative(a in proptest::collection::vec(dossier(), 0..20), b in proptest::collection::vec(dossier(), 0..20), c in proptest::collection::vec(dossier(), 0..20)) {
        let procs = procedures();
        let (ta, tb, tc) = (tally_of(&a, &procs), tally_of(&b, &procs), tally_of(&c, &procs));
        prop_assert_eq!(Tally::merged(&ta, &tb), Tally::merged(&tb, &ta));
        prop_assert_eq!(Tally::merged(&Tally::merged(&ta, &tb), &tc), Tally::merged(&ta, &Tally::merged(&tb, &tc)));
    }

    #[test]
    fn a_parent_pools_the_sum_of_its_children(ds in proptest::collection::vec(dossier(), 0..60)) {
        let card = card_of(&ds);
        let parent = card.unit("H44").unwrap();
        let mut sum = Counts::default();
        for u in card.units.iter().filter(|u| u.parent.as_deref() == Some("H44")) {
            sum.merge(&u.counts);
        }
        prop_assert_eq!(parent.counts, sum);
    }

    #[test]
    fn making_a_late_dossier_on_time_never_lowers_any_indicator(ds in proptest::collection::vec(dossier(), 1..60), pick in 0..60usize) {
        let procs = procedures();
        let t = base_time() + Duration::days(25);
        let ctx = TallyContext::new("2026-09".parse().unwrap(), t, Options::default(), Limits::default(), &WeekdaysOnly, &procs);
        let late: Vec<usize> = (0..ds.len())
            .filter(|&i| matches!(ctx.classify(&ds[i]), Ok((_, j)) if j.progress == Progress::Late))
            .collect();
        prop_assume!(!late.is_empty());
        let i = late[pick % late.len()];
        let mut better = ds.clone();
        let received = better[i].received_at.unwrap();
        better[i].finished_at = Some(received + Duration::minutes(1));
        better[i].supplements.clear();
        // Late without a deadline (by repeated supplement): on time needs a deadline to meet.
        better[i].due_at.get_or_insert(received + Duration::hours(1));
        prop_assert!(ctx.classify(&better[i]).unwrap().1.progress.scores());
        let (before, after) = (card_of(&ds), card_of(&better));
        for (u0, u1) in before.units.iter().zip(&after.units) {
            for (i0, i1) in u0.indicators.iter().zip(&u1.indicators) {
                prop_assert!(i1.points + 1e-12 >= i0.points, "{} {}: {} → {}", u0.unit, i0.id, i0.points, i1.points);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_columnar_path_gives_the_same_tally_as_the_row_path(ds in proptest::collection::vec(dossier(), 0..80), threads in 1..4usize, opts in options()) {
        use chiso::columnar::{tally_columns, OwnedColumns};
        let procs = procedures();
        let t = base_time() + Duration::days(25);
        let ctx = TallyContext::new("2026-09".parse().unwrap(), t, opts, Limits::default(), &WeekdaysOnly, &procs);
        let (rows, acc_rows) = Tally::build(&ctx, &ds, &[]);
        let owned = OwnedColumns::from_dossiers(&ds);
        let (cols, acc_cols) = tally_columns(&owned.columns(), &owned.unit_code_refs(), &owned.procedure_code_refs(), &ctx, threads).unwrap();
        prop_assert_eq!(rows, cols);
        prop_assert_eq!(acc_rows, acc_cols);
    }
}

/// A unit whose dossiers are all excluded (here: refused at the counter) is still a unit of the
/// data: every path keeps it, so the scorecard lists it whichever path tallied the file.
#[test]
fn a_unit_with_only_excluded_dossiers_is_kept_by_every_path() {
    let t0 = base_time();
    let counted = Dossier {
        dossier_id: "A".into(),
        unit_code: "H44.07".into(),
        procedure_code: "1.000001".into(),
        received_at: Some(t0),
        due_at: Some(t0 + Duration::days(3)),
        status: Some(Status::InProgress),
        ..Dossier::default()
    };
    let refused = Dossier {
        dossier_id: "B".into(),
        unit_code: "H44.99".into(),
        status: Some(Status::RefusedAtCounter),
        ..counted.clone()
    };
    let ds = vec![counted, refused];
    let period: Period = "2026".parse().unwrap();
    let ctx = TallyContext::new(
        period.clone(),
        t0 + Duration::days(30),
        Options::default(),
        Limits::default(),
        &WeekdaysOnly,
        &[],
    );
    let (built, _) = Tally::build(&ctx, &ds, &[]);
    let mut one_by_one = Tally::new();
    for d in &ds {
        let _ = one_by_one.add_dossier(&ctx, d);
    }
    let owned = chiso::columnar::OwnedColumns::from_dossiers(&ds);
    let (columnar, _) = chiso::columnar::tally_columns(
        &owned.columns(),
        &owned.unit_code_refs(),
        &owned.procedure_code_refs(),
        &ctx,
        1,
    )
    .unwrap();
    for t in [&built, &one_by_one, &columnar] {
        assert_eq!(t.unit_codes(), vec!["H44.07", "H44.99"]);
    }
    let profile = Profile::builtin("portal-2026").unwrap();
    let run = chiso::pipeline::run_tally(
        columnar,
        Accounting::default(),
        &[],
        None,
        &[],
        period,
        t0 + Duration::days(30),
        &profile,
        profile.options,
        &WeekdaysOnly,
    )
    .unwrap();
    assert!(run.scorecard.unit("H44.99").is_some());
}

/// A verdict export summed by unit: the counters each column stands for.
fn sum_verdicts(
    units: &[String],
    rows: &[chiso::verdicts::VerdictFields],
) -> std::collections::BTreeMap<String, Counts> {
    let mut by: std::collections::BTreeMap<String, Counts> = Default::default();
    for (unit, f) in units.iter().zip(rows) {
        let c = by.entry(unit.clone()).or_default();
        let n = u64::from;
        c.received += n(f.period_scope == "counted");
        c.carried_over += n(f.period_scope == "carried_over");
        c.early += n(f.class == "early");
        c.on_time += n(f.class == "on_time");
        c.late += n(f.class == "late");
        c.late_repeated_supplement += n(f.class == "late_repeated_supplement");
        c.open_within += n(f.class == "open_within_deadline");
        c.open_overdue += n(f.class == "overdue_in_progress");
        c.no_deadline += n(f.reason.starts_with("no deadline"));
        c.channel_online += n(f.channel == Some(2));
        let r = &f.reads;
        c.synced += n(r.synced);
        c.online += n(r.online);
        c.fee_dossiers += n(r.fee);
        c.paid_online += n(r.fee && r.paid_online);
        c.paid_online_any += n(r.paid_online);
        c.e_result += n(r.e_result);
        c.digitised += n(r.digitised);
        c.reused_data += n(r.reused_data);
        c.personal_store += n(r.personal_store);
        c.population_data += n(r.population_data);
        c.unsatisfied += n(r.unsatisfied);
        c.with_petition += n(r.has_petition);
        c.satisfied += n(r.satisfied);
    }
    by
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Every row's verdict, from the record path and from the columnar path (threads keep row
    /// order), sums by unit to the tally's counters.
    #[test]
    fn verdicts_sum_to_the_tally_on_both_paths(ds in proptest::collection::vec(dossier(), 0..80), threads in 1..4usize, opts in options()) {
        use chiso::columnar::{ColumnarTally, OwnedColumns};
        let procs = procedures();
        let t = base_time() + Duration::days(25);
        let ctx = TallyContext::new("2026-09".parse().unwrap(), t, opts, Limits::default(), &WeekdaysOnly, &procs);
        let frame = ctx.frame();
        let (tally, _) = Tally::build(&ctx, &ds, &[]);
        let units: Vec<String> = ds.iter().map(|d| d.unit_code.clone()).collect();
        let rows: Vec<_> = ds.iter().map(|d| ctx.row_verdict(&frame, d).fields(frame.t, &WeekdaysOnly)).collect();
        let owned = OwnedColumns::from_dossiers(&ds);
        let mut ct = ColumnarTally::new();
        let mut verdicts = Vec::new();
        ct.add_with_verdicts(&owned.columns(), &owned.procedure_code_refs(), &ctx, threads, &mut verdicts).unwrap();
        let col_rows: Vec<_> = verdicts.iter().map(|v| v.fields(frame.t, &WeekdaysOnly)).collect();
        prop_assert_eq!(&rows, &col_rows);
        let summed = sum_verdicts(&units, &rows);
        let names = ["received", "carried_over", "early", "on_time", "late", "late_repeated_supplement",
            "open_within", "open_overdue", "no_deadline", "channel_online", "synced", "online", "fee_dossiers",
            "paid_online", "paid_online_any", "e_result", "digitised", "reused_data", "personal_store", "population_data",
            "unsatisfied", "with_petition", "satisfied"];
        for unit in tally.unit_codes() {
            let mut c = Counts::default();
            for (_, x) in tally.cells().filter(|(k, _)| k.unit == unit) {
                c.merge(x);
            }
            let s = summed.get(unit).copied().unwrap_or_default();
            for name in names {
                prop_assert_eq!(c.get(name), s.get(name), "{} {}", unit, name);
            }
        }
    }
}
