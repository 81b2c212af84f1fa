//! The scoring options of INDICATORS.md §5 (online split, 4.1 base) and the on-empty policies,
//! on counts whose answers are worked out here.
#![allow(clippy::unwrap_used)]

use chiso::measure::UnitFacts;
use chiso::options::{EResultBase, OnlineSplit};
use chiso::profile::OnEmpty;
use chiso::score::score_unit;
use chiso::*;

fn unit() -> Unit {
    Unit::new("H44.07", "Dept", UnitKind::department(), Some("H44"))
}

#[test]
fn online_split_full_process_puts_12_points_on_one_ratio() {
    let profile = Profile::builtin("portal-2026").unwrap();
    let c = Counts {
        received: 100,
        online: 40,
        full_process_base: 50,
        full_process_online: 30,
        ..Counts::default()
    };
    let default = score_unit(
        &unit(),
        c,
        &UnitFacts::default(),
        &profile,
        &profile.options,
        1.0,
    );
    assert!(default.indicator("3.3").is_some() && default.indicator("3.x").is_none());
    // 3.3: 40% of a 50% target → 6·0.8 = 4.8.
    assert!((default.indicator("3.3").unwrap().points - 4.8).abs() < 1e-9);
    let opts = profile
        .options
        .with("online_split", "full_process")
        .unwrap();
    let alt = score_unit(&unit(), c, &UnitFacts::default(), &profile, &opts, 1.0);
    assert!(alt.indicator("3.1").is_none() && alt.indicator("3.3").is_none());
    let x = alt.indicator("3.x").unwrap();
    assert!((x.points - 12.0 * 0.6).abs() < 1e-9);
    assert_eq!(alt.group("CLGQ").unwrap().max, 12.0);
    assert_eq!(alt.max, 100.0);
}

#[test]
fn e_result_base_paper_result_only() {
    let profile = Profile::builtin("portal-2026").unwrap();
    let c = Counts {
        received: 100,
        e_result: 30,
        paper_result_base: 40,
        paper_result_e_result: 20,
        digitised: 10,
        ..Counts::default()
    };
    let all = score_unit(
        &unit(),
        c,
        &UnitFacts::default(),
        &profile,
        &profile.options,
        1.0,
    );
    assert!((all.indicator("4.1").unwrap().points - 6.0 * 0.3).abs() < 1e-9);
    assert!((all.indicator("4.2").unwrap().points - 4.0 * 0.1).abs() < 1e-9);
    let opts = Options {
        e_result_base: EResultBase::PaperResultOnly,
        ..profile.options
    };
    let paper = score_unit(&unit(), c, &UnitFacts::default(), &profile, &opts, 1.0);
    assert!((paper.indicator("4.1").unwrap().points - 6.0 * 0.5).abs() < 1e-9);
    // INDICATORS.md §5.6: the option changes 4.1's denominator only; 4.2 stays over every
    // dossier received (10 of 100), not over the 40 paper-result dossiers.
    let d42 = paper.indicator("4.2").unwrap();
    assert_eq!((d42.numerator, d42.denominator), (10.0, 100.0));
    assert!((d42.points - 4.0 * 0.1).abs() < 1e-9);
    assert_eq!(opts.online_split, OnlineSplit::Split246);
}

#[test]
fn on_empty_policies_are_applied_and_flagged() {
    let profile = Profile::builtin("portal-2026").unwrap();
    let s = score_unit(
        &unit(),
        Counts::default(),
        &UnitFacts::default(),
        &profile,
        &profile.options,
        1.0,
    );
    let by = |id: &str| s.indicator(id).unwrap();
    // Not applicable: 0 points, flagged.
    assert_eq!(by("2.1").points, 0.0);
    assert_eq!(by("2.1").on_empty, Some(OnEmpty::NotApplicable));
    assert!(by("2.1").not_applicable());
    // The portal's observed policies: petitions full, 5.4 and 3.6 zero, e-copies full.
    assert_eq!(by("5.2").points, 6.0);
    assert_eq!(by("5.3").points, 6.0);
    assert_eq!(by("5.4").points, 0.0);
    assert_eq!(by("5.4").on_empty, Some(OnEmpty::Zero));
    assert_eq!(by("4.x").points, 2.0);
    // A measured zero is not flagged.
    let c = Counts {
        received: 10,
        ..Counts::default()
    };
    let s = score_unit(
        &unit(),
        c,
        &UnitFacts::default(),
        &profile,
        &profile.options,
        1.0,
    );
    assert_eq!(s.indicator("2.1").unwrap().on_empty, None);
}

#[test]
fn sync_ratio_uses_the_larger_count_and_the_previous_year_fallback() {
    let profile = Profile::builtin("portal-2026").unwrap();
    let c = Counts {
        synced: 80,
        reported_received: 100,
        ..Counts::default()
    };
    let s = score_unit(
        &unit(),
        c,
        &UnitFacts::default(),
        &profile,
        &profile.options,
        12.0,
    );
    assert!((s.indicator("1.4").unwrap().points - 4.8).abs() < 1e-9);
    // Both empty: the previous year's 1,200 over 12 months → 0 of 100 synced.
    let c = Counts {
        previous_year_reported: 1200,
        ..Counts::default()
    };
    let s = score_unit(
        &unit(),
        c,
        &UnitFacts::default(),
        &profile,
        &profile.options,
        12.0,
    );
    let i = s.indicator("1.4").unwrap();
    assert_eq!((i.numerator, i.denominator, i.points), (0.0, 100.0, 0.0));
    assert!(i.notes.iter().any(|n| n.contains("previous year")));
}

#[test]
fn published_group_values_sum_rounded_indicators() {
    // 4.1 = 6·2/3000, 4.2 = 4·3/3000, 4.5b = 2·6/3000: 0.004 each, plus 4.x full (2).
    let profile = Profile::builtin("portal-2026").unwrap();
    let c = Counts {
        received: 3000,
        e_result: 2,
        digitised: 3,
        population_data: 6,
        ..Counts::default()
    };
    let s = score_unit(
        &unit(),
        c,
        &UnitFacts::default(),
        &profile,
        &profile.options,
        1.0,
    );
    let g = s.group("MDSH").unwrap();
    assert!((g.points - 2.012).abs() < 1e-9);
    // The portal rounds each indicator first: 0.00 + 0.00 + 0.00 + 2.00.
    assert!((g.published - 2.00).abs() < 1e-9);
    let rounded_sum = chiso::profile::Rounding {
        group: chiso::profile::GroupRounding::RoundedSum,
        ..Default::default()
    };
    assert!((rounded_sum.group([0.004, 0.004, 0.004, 2.0]) - 2.01).abs() < 1e-9);
    assert_eq!(round2(0.37499999999999994), 0.38);
}
