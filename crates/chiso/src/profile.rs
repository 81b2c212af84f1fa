//! Rule profiles: versioned TOML data listing every indicator with its maximum, ratio definition,
//! score rule, on-empty policy, status and provenance. Code reads them; nothing is hard-coded.

use crate::error::{ChisoError, Result};
use crate::measure::RatioKey;
use crate::model::UnitKind;
use crate::options::{Limits, Options};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const PORTAL_2026: &str = include_str!("../profiles/portal-2026.toml");

/// Names of the profiles built into the library.
pub fn builtin_names() -> &'static [&'static str] {
    &["portal-2026"]
}

/// How a ratio becomes points.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// P·r.
    Linear,
    /// min(P, P·r/T).
    Target,
    /// Shown, never scored (max 0).
    Display,
}

/// What an empty denominator scores.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnEmpty {
    /// 0 points, flagged so nobody mistakes it for a measured 0.
    NotApplicable,
    /// 0 points, as the portal does.
    Zero,
    /// Full points, as the portal does.
    Full,
}

/// How far an indicator's rule has been checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleStatus {
    /// Reproduces the portal's published scores on real data.
    Verified,
    /// From the technical note, not checked numerically.
    Documented,
    /// Sources disagree.
    Provisional,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
/// Which profile this is: its `[profile]` table.
pub struct ProfileMeta {
    /// Profile name, e.g. `portal-2026`.
    pub name: String,
    /// Profile version, shown in every scorecard.
    pub version: String,
    #[serde(default)]
    /// A human title.
    pub title: String,
    #[serde(default)]
    /// Where the rules come from.
    pub provenance: String,
}

pub use crate::text::Text;

fn no_text() -> Text {
    Text::from("")
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
/// A group of indicators (e.g. 2: progress and resolution) and its maximum.
pub struct GroupDef {
    /// Group code, e.g. `2`.
    pub code: Text,
    /// Name in Vietnamese.
    pub name_vi: Text,
    /// Name in English.
    pub name_en: Text,
    /// Maximum points of the group.
    pub max: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
/// One indicator: which ratio it measures and how the ratio becomes points.
pub struct IndicatorDef {
    /// Indicator id, e.g. `2.1`.
    pub id: Text,
    /// Code of its group.
    pub group: Text,
    #[serde(default = "no_text")]
    /// Name in Vietnamese.
    pub name_vi: Text,
    #[serde(default = "no_text")]
    /// Name in English.
    pub name_en: Text,
    /// Maximum points.
    pub max: f64,
    /// The ratio it measures.
    pub ratio: RatioKey,
    /// How the ratio becomes points.
    pub rule: RuleKind,
    /// Threshold of a `target` rule, in (0, 1].
    #[serde(default)]
    pub target: Option<f64>,
    /// What an empty denominator scores.
    pub on_empty: OnEmpty,
    /// How well the rule is known to match the portal.
    pub status: RuleStatus,
    #[serde(default)]
    /// Where the rule comes from (decision, circular, portal capture).
    pub provenance: String,
    /// The metric code of the portal's evaluation API, for conformance checks.
    #[serde(default)]
    pub portal_metric: Option<String>,
    /// Unit kinds the indicator applies to; empty = every kind.
    #[serde(default)]
    pub applies_to: Vec<UnitKind>,
    /// Options that must hold for the indicator to be in force (e.g. `online_split`).
    #[serde(default)]
    pub when: BTreeMap<String, String>,
}

impl IndicatorDef {
    /// Points for a ratio in [0, 1] under this rule.
    pub fn points(&self, ratio: f64) -> f64 {
        let r = if ratio.is_finite() {
            ratio.clamp(0.0, 1.0)
        } else {
            0.0
        };
        match self.rule {
            RuleKind::Linear => self.max * r,
            RuleKind::Target => {
                let t = self.target.unwrap_or(1.0);
                (self.max * r / t).min(self.max)
            }
            RuleKind::Display => 0.0,
        }
    }

    /// Points for a numerator over a denominator, applying the on-empty policy when the
    /// denominator is empty; returns the policy applied, if any.
    pub fn score_ratio(&self, numerator: f64, denominator: f64) -> (f64, Option<OnEmpty>) {
        if denominator > 0.0 {
            return (self.points(numerator / denominator), None);
        }
        let points = match self.on_empty {
            OnEmpty::Full => self.max,
            OnEmpty::Zero | OnEmpty::NotApplicable => 0.0,
        };
        (points, Some(self.on_empty))
    }

    /// Whether the options this indicator depends on (`when`) hold.
    pub fn options_hold(&self, options: &Options) -> bool {
        self.when
            .iter()
            .all(|(k, v)| options.get(k).as_deref() == Some(v.as_str()))
    }

    /// Whether the indicator is in force under these options for this unit kind.
    pub fn active(&self, options: &Options, kind: &UnitKind) -> bool {
        (self.applies_to.is_empty() || self.applies_to.contains(kind)) && self.options_hold(options)
    }
}

/// How the portal turns indicator points into the group score it publishes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupRounding {
    /// Round the exact sum of the indicators' points.
    RoundedSum,
    /// Sum the indicators' points each rounded first (what the portal publishes: every
    /// dossier-digitized row of the Phú Thọ 2026 captures equals the sum of its rounded metrics).
    #[default]
    SumOfRounded,
}

/// Display rounding of published figures; computation keeps full precision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rounding {
    /// Decimals shown (2, as the portal).
    pub decimals: u32,
    /// How a group's published value is rounded.
    pub group: GroupRounding,
}

impl Default for Rounding {
    fn default() -> Self {
        Self {
            decimals: 2,
            group: GroupRounding::SumOfRounded,
        }
    }
}

impl Rounding {
    /// Rounds half away from zero, ignoring binary noise below 1e-9 (0.375 stored as
    /// 0.37499999999999994 still rounds to 0.38, as the portal shows it).
    pub fn round(&self, x: f64) -> f64 {
        let f = 10f64.powi(self.decimals.min(12) as i32);
        let y = x * f;
        (y + y.signum() * 1e-7).round() / f
    }

    /// The published value of a group made of these indicator points.
    pub fn group(&self, points: impl IntoIterator<Item = f64>) -> f64 {
        match self.group {
            GroupRounding::RoundedSum => self.round(points.into_iter().sum()),
            GroupRounding::SumOfRounded => {
                self.round(points.into_iter().map(|p| self.round(p)).sum())
            }
        }
    }
}

/// A complete rule profile.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Name, version and provenance.
    pub profile: ProfileMeta,
    #[serde(default)]
    /// Option defaults of this profile (callers may override them).
    pub options: Options,
    #[serde(default)]
    /// Statutory limits in days (petitions, catalogue publication).
    pub limits: Limits,
    #[serde(default)]
    /// Display rounding.
    pub rounding: Rounding,
    /// The groups, in display order.
    pub groups: Vec<GroupDef>,
    /// The indicators, in display order.
    pub indicators: Vec<IndicatorDef>,
}

fn profile_error(source: &str, key: impl Into<String>, message: impl Into<String>) -> ChisoError {
    ChisoError::Profile {
        source_name: source.to_string(),
        key: key.into(),
        message: message.into(),
    }
}

impl Profile {
    /// A built-in profile by name.
    pub fn builtin(name: &str) -> Result<Self> {
        match name {
            "portal-2026" => Self::from_toml_str(PORTAL_2026, "built-in profile portal-2026"),
            _ => Err(profile_error(
                name,
                "name",
                format!(
                    "no built-in profile of this name (built-in: {})",
                    builtin_names().join(", ")
                ),
            )),
        }
    }

    /// The built-in profile's TOML text, for users who want to start their own from it.
    pub fn builtin_text(name: &str) -> Option<&'static str> {
        (name == "portal-2026").then_some(PORTAL_2026)
    }

    /// Parses and checks a profile; `source` names the file in every error.
    pub fn from_toml_str(text: &str, source: &str) -> Result<Self> {
        let profile: Profile = toml::from_str(text).map_err(|e| {
            let key = e
                .span()
                .map(|s| locate(text, s.start))
                .unwrap_or_else(|| "document".into());
            profile_error(source, key, e.message().to_string())
        })?;
        profile.validate(source)?;
        Ok(profile)
    }

    fn validate(&self, source: &str) -> Result<()> {
        let mut seen = std::collections::HashSet::new();
        for (i, g) in self.groups.iter().enumerate() {
            if !seen.insert(&*g.code) {
                return Err(profile_error(
                    source,
                    format!("groups[{i}].code"),
                    format!("duplicate group {:?}", g.code),
                ));
            }
            if !(g.max.is_finite() && g.max >= 0.0) {
                return Err(profile_error(
                    source,
                    format!("groups[{i}].max"),
                    "must be a number ≥ 0",
                ));
            }
        }
        let mut ids = std::collections::HashSet::new();
        for (i, ind) in self.indicators.iter().enumerate() {
            let at = |field: &str| format!("indicators[{i}] (id {:?}).{field}", ind.id);
            if !ids.insert((&*ind.id, ind.when.clone())) {
                return Err(profile_error(source, at("id"), "duplicate indicator id"));
            }
            if !self.groups.iter().any(|g| g.code == ind.group) {
                return Err(profile_error(
                    source,
                    at("group"),
                    format!("unknown group {:?}", ind.group),
                ));
            }
            if !(ind.max.is_finite() && ind.max >= 0.0) {
                return Err(profile_error(source, at("max"), "must be a number ≥ 0"));
            }
            match (ind.rule, ind.target) {
                (RuleKind::Target, None) => {
                    return Err(profile_error(
                        source,
                        at("target"),
                        "a target rule needs target = 0..1",
                    ))
                }
                (RuleKind::Target, Some(t)) if !(t > 0.0 && t <= 1.0) => {
                    return Err(profile_error(
                        source,
                        at("target"),
                        format!("{t} is not in (0, 1]"),
                    ))
                }
                (RuleKind::Linear | RuleKind::Display, Some(_)) => {
                    return Err(profile_error(
                        source,
                        at("target"),
                        "only a target rule takes a target",
                    ))
                }
                _ => {}
            }
            if ind.rule == RuleKind::Display && ind.max != 0.0 {
                return Err(profile_error(
                    source,
                    at("max"),
                    "a display rule has max = 0",
                ));
            }
            for key in ind.when.keys() {
                if self.options.get(key).is_none() {
                    return Err(profile_error(
                        source,
                        at("when"),
                        format!("unknown option {key:?}"),
                    ));
                }
            }
        }
        // Each group's indicators in force must add up to the group's maximum.
        for g in &self.groups {
            let sum: f64 = self
                .indicators
                .iter()
                .filter(|i| i.group == g.code && i.options_hold(&self.options))
                .map(|i| i.max)
                .sum();
            if (sum - g.max).abs() > 1e-9 {
                return Err(profile_error(
                    source,
                    format!("groups.{}", g.code),
                    format!(
                        "indicators in force add up to {sum}, not the group's max {}",
                        g.max
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Indicators in force for a unit kind under these options, in profile order.
    pub fn active<'a>(
        &'a self,
        options: &'a Options,
        kind: &'a UnitKind,
    ) -> impl Iterator<Item = &'a IndicatorDef> + 'a {
        self.indicators
            .iter()
            .filter(move |i| i.active(options, kind))
    }

    /// The group with this code.
    pub fn group(&self, code: &str) -> Option<&GroupDef> {
        self.groups.iter().find(|g| &*g.code == code)
    }

    /// The indicator scored by this metric code of the portal's evaluation API.
    pub fn indicator_by_metric(&self, metric: &str) -> Option<&IndicatorDef> {
        self.indicators
            .iter()
            .find(|i| i.portal_metric.as_deref() == Some(metric))
    }
}

/// Turns a byte offset of a TOML parse error into "line L, column C".
fn locate(text: &str, offset: usize) -> String {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!("line {line}, column {col}")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn builtin_profile_loads_and_covers_every_indicator() {
        let p = Profile::builtin("portal-2026").unwrap();
        let ids: Vec<&str> = p.indicators.iter().map(|i| &*i.id).collect();
        for id in [
            "1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "3.1", "3.2", "3.3", "3.6", "3.5b", "3.5a",
            "4.1", "4.2", "4.x", "4.3", "4.4", "4.5a", "4.5b", "5.1", "5.2", "5.3", "5.4",
        ] {
            assert!(ids.contains(&id), "{id} missing");
        }
        let total: f64 = p.groups.iter().map(|g| g.max).sum();
        assert_eq!(total, 100.0);
    }

    #[test]
    fn rules_compute_points() {
        let p = Profile::builtin("portal-2026").unwrap();
        let by = |id: &str| p.indicators.iter().find(|i| &*i.id == id).unwrap();
        assert!((by("2.1").points(0.5) - 10.0).abs() < 1e-12);
        assert!((by("3.3").points(0.25) - 3.0).abs() < 1e-12);
        assert_eq!(by("3.3").points(0.9), 6.0);
        assert_eq!(by("2.2").points(1.0), 0.0);
    }

    #[test]
    fn unknown_builtin_is_a_profile_error() {
        let e = Profile::builtin("portal-1999").unwrap_err();
        assert!(e.to_string().contains("portal-2026"), "{e}");
    }

    #[test]
    fn broken_profiles_name_file_key_and_problem() {
        let good = Profile::builtin_text("portal-2026").unwrap();
        let bad_rule = good.replacen("rule = \"linear\"", "rule = \"quadratic\"", 1);
        let e = Profile::from_toml_str(&bad_rule, "my.toml")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("my.toml") && e.contains("line") && e.contains("quadratic"),
            "{e}"
        );

        let bad_target = good.replacen("target = 0.80", "target = 1.5", 1);
        let e = Profile::from_toml_str(&bad_target, "my.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("3.1") && e.contains("target"), "{e}");

        let bad_group = good.replacen("group = \"TDGQ\"", "group = \"XXXX\"", 1);
        let e = Profile::from_toml_str(&bad_group, "my.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown group"), "{e}");

        let bad_sum = good.replacen(
            "max = 20\nratio = \"dossiers_on_time\"",
            "max = 19\nratio = \"dossiers_on_time\"",
            1,
        );
        let e = Profile::from_toml_str(&bad_sum, "my.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("TDGQ") && e.contains("add up"), "{e}");

        let bad_ratio = good.replacen(
            "ratio = \"dossiers_on_time\"",
            "ratio = \"dossiers_on_tim\"",
            1,
        );
        let e = Profile::from_toml_str(&bad_ratio, "my.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("dossiers_on_tim"), "{e}");
    }
}
