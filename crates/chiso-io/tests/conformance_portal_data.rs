//! Conformance over the real Phú Thọ captures in `../shared/portal-data/` (beside the repo).
//! Where the folder is absent the test says where it expected it and passes, except under
//! `CI=true`, where the absence fails.

use chiso::profile::RuleStatus;
use chiso::Profile;
use chiso_io::portal::capture::read_captures;
use chiso_io::portal::conformance::{check, Report};
use std::path::PathBuf;

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/portal-data/phu-tho-2026-09")
}

fn report() -> Option<Report> {
    let dir = data_dir();
    if !dir.exists() {
        let msg = format!("portal data not found at {}", dir.display());
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{msg} (required under CI=true)"
        );
        eprintln!("SKIPPED: {msg}; put the shared/ folder beside the repository to run this check");
        return None;
    }
    let captures = read_captures(&dir).expect("captures read");
    assert_eq!(
        captures.len(),
        33,
        "evaluation captures listed in the manifest"
    );
    let profile = Profile::builtin("portal-2026").expect("profile");
    Some(check(&captures, &profile, &profile.options))
}

#[test]
fn parent_groups_of_the_year_files_match() {
    let Some(report) = report() else { return };
    let parents: Vec<_> = report
        .checks
        .iter()
        .filter(|c| c.parent && c.indicator.is_none() && c.period == "2026" && c.scope == "all")
        .collect();
    let groups: Vec<&str> = parents.iter().map(|c| c.group.as_str()).collect();
    for g in ["CKMB", "TDGQ", "CLGQ", "TTTT", "MDSH", "MDHL"] {
        assert!(groups.contains(&g), "no parent check for {g}");
    }
    for c in parents {
        assert!(
            c.matched(),
            "{} {}: published {}, computed {}",
            c.group,
            c.period,
            c.expected,
            c.computed
        );
    }
}

#[test]
fn verified_indicators_match_on_at_least_99_percent_of_child_rows() {
    let Some(report) = report() else { return };
    let summary = report.summary_where(|c| !c.parent);
    let mut verified = 0;
    for (id, s) in &summary.indicators {
        if s.status != Some(RuleStatus::Verified) {
            continue;
        }
        verified += 1;
        assert!(
            s.checked >= 300,
            "{id}: only {} child rows checked",
            s.checked
        );
        assert!(
            s.match_rate() >= 0.99,
            "{id}: {}/{} child rows match",
            s.matched,
            s.checked
        );
    }
    assert!(
        verified >= 10,
        "only {verified} verified indicators were checked"
    );
    // Group totals of the children, where the portal publishes the counts behind them.
    for (g, s) in &summary.groups {
        assert!(
            s.match_rate() >= 0.99,
            "{g}: {}/{} child rows match",
            s.matched,
            s.checked
        );
    }
}

#[test]
fn a_changed_rule_is_caught() {
    // The check can fail: give 2.1 a 95% target and the progress rows stop matching.
    let Some(_) = report() else { return };
    let text = Profile::builtin_text("portal-2026")
        .expect("text")
        .replacen(
            "ratio = \"dossiers_on_time\"\nrule = \"linear\"",
            "ratio = \"dossiers_on_time\"\nrule = \"target\"\ntarget = 0.95",
            1,
        );
    let profile = Profile::from_toml_str(&text, "mutated").expect("mutated profile");
    let captures = read_captures(&data_dir()).expect("captures");
    let s = check(&captures, &profile, &profile.options).summary();
    assert!(s.groups["TDGQ"].match_rate() < 0.5);
}
