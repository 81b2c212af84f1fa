//! Targets a plan aims at: the directive's, the rules' own thresholds, or a TOML table.

use super::*;
use crate::error::{ChisoError, Result};
use crate::options::Options;
use crate::profile::{Profile, RuleKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where a target comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetSource {
    /// The 2023 district directive (and Resolution 01/NQ-CP for online payment).
    Directive,
    /// The rule's own threshold (full points).
    Rule,
    /// A user's target file.
    User,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
/// A ratio to reach for one indicator, and where it comes from.
pub struct Target {
    /// Indicator id.
    pub indicator: String,
    /// The ratio to reach, in [0, 1].
    pub ratio: f64,
    /// Who set it.
    pub source: TargetSource,
}

/// The directive's targets: ≥ 99.8% on time, 100% digitised (dossiers and results), ≥ 30%
/// online payment, ≥ 95% satisfaction.
pub fn directive_targets() -> Vec<Target> {
    [
        ("2.1", 0.998),
        ("4.1", 1.0),
        ("4.2", 1.0),
        ("3.6", 0.30),
        ("5.4", 0.95),
    ]
    .into_iter()
    .map(|(i, r)| Target {
        indicator: i.into(),
        ratio: r,
        source: TargetSource::Directive,
    })
    .collect()
}

/// Full points under the profile's own rules: a target rule's threshold, 100% for linear ones.
pub fn rule_targets(profile: &Profile, options: &Options) -> Vec<Target> {
    profile
        .indicators
        .iter()
        .filter(|i| i.max > 0.0 && i.options_hold(options) && Action::for_ratio(i.ratio).is_some())
        .map(|i| Target {
            indicator: i.id.to_string(),
            ratio: if i.rule == RuleKind::Target {
                i.target.unwrap_or(1.0)
            } else {
                1.0
            },
            source: TargetSource::Rule,
        })
        .collect()
}

/// Targets from a user's TOML: a `[targets]` table of indicator id → ratio (0–1, or a percent).
pub fn parse_targets(text: &str, source: &str) -> Result<Vec<Target>> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct File {
        targets: BTreeMap<String, f64>,
    }
    let err = |key: String, message: String| ChisoError::Profile {
        source_name: source.into(),
        key,
        message,
    };
    let f: File =
        toml::from_str(text).map_err(|e| err("targets".into(), e.message().to_string()))?;
    f.targets
        .into_iter()
        .map(|(id, v)| {
            let ratio = if v > 1.0 { v / 100.0 } else { v };
            if !(0.0..=1.0).contains(&ratio) || !v.is_finite() {
                return Err(err(
                    format!("targets.{id}"),
                    format!("{v} is not a ratio (0–1) or a percent"),
                ));
            }
            Ok(Target {
                indicator: id,
                ratio,
                source: TargetSource::User,
            })
        })
        .collect()
}
