//! The demo district resembles the 2023 Tây Sơn directive: on time 92.74%, online 16.9%, paid
//! online 2.65%, digitised 19.14%, electronic results 13.71%, reuse 0%, 202 overdue in progress.

use chiso::pipeline::{run, Records};
use chiso::{Profile, WeekdaysOnly};
use chiso_io::sample::{generate, SampleSpec};

#[test]
fn demo_district_resembles_the_directive() {
    let spec = SampleSpec::district(766);
    let s = generate(&spec);
    assert_eq!(s.dossiers.len(), 40_000);
    assert_eq!(s.units.len(), 26, "a district, 10 offices, 15 communes");
    let profile = Profile::builtin("portal-2026").unwrap_or_else(|e| panic!("{e}"));
    let r = run(
        &Records {
            dossiers: &s.dossiers,
            procedures: &s.procedures,
            units: Some(&s.units),
            petitions: &s.petitions,
        },
        format!("{}", spec.year)
            .parse()
            .unwrap_or_else(|e| panic!("{e}")),
        spec.as_of,
        &profile,
        profile.options,
        &WeekdaysOnly,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let root = r.scorecard.units.iter().find(|u| u.parent.is_none());
    let root = root.unwrap_or_else(|| panic!("no root"));
    let ratio = |id: &str| {
        root.indicator(id)
            .and_then(|i| i.ratio)
            .unwrap_or_else(|| panic!("{id}"))
    };
    let c = &root.counts;
    let near = |name: &str, got: f64, want: f64, tol: f64| {
        assert!((got - want).abs() <= tol, "{name}: {got:.4} vs {want}");
    };
    near("on time (2.1)", ratio("2.1"), 0.9274, 0.01);
    near(
        "online",
        c.channel_online as f64 / c.received as f64,
        0.169,
        0.01,
    );
    near(
        "paid online",
        c.paid_online as f64 / c.fee_dossiers as f64,
        0.0265,
        0.008,
    );
    near("digitised (4.2)", ratio("4.2"), 0.1914, 0.01);
    near("electronic results (4.1)", ratio("4.1"), 0.1371, 0.01);
    assert_eq!(
        root.indicator("4.3").map(|i| i.numerator),
        Some(0.0),
        "reuse"
    );
    assert!(
        (150..=260).contains(&c.open_overdue),
        "overdue in progress: {}",
        c.open_overdue
    );
}
