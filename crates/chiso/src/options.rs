//! The open questions of the rules (INDICATORS.md §5), each a named option with the documented
//! default. A profile sets defaults in its `[options]` table; a caller can override them. The
//! options used are recorded in every scorecard.

use serde::{Deserialize, Serialize};

/// §5.1 — compare the end of processing with the due date as timestamps or as calendar days.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueComparison {
    #[default]
    /// Compare the moments (default).
    Timestamp,
    /// Compare calendar days: ending on the due day is on time.
    Date,
}

/// §5.3 — after an apology letter with a new appointment, which due date counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApologyDue {
    #[default]
    /// The original due date (default).
    Original,
    /// The new appointment.
    Rescheduled,
}

/// §5.5 — how the 12 online-service points are split.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnlineSplit {
    /// 3.1 (2) + 3.2 (4) + 3.3 (6): reproduces Phú Thọ's 2026 year figure.
    #[default]
    Split246,
    /// All 12 points on full-process online dossiers over dossiers of eligible procedures.
    FullProcess,
}

/// §5.6 — denominator of 4.1 only (4.2 stays over every dossier received).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EResultBase {
    /// All dossiers received, as the portal publishes.
    #[default]
    AllDossiers,
    /// Dossiers of procedures that issue a paper result, as the technical note says.
    PaperResultOnly,
}

/// Every option in one value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Options {
    /// §5.1 — timestamps or calendar days.
    pub due_comparison: DueComparison,
    /// §5.2 — does waiting for fee payment (status 6) stop the clock? Default: no.
    pub fee_wait_stops_clock: bool,
    /// §5.3 — which due date counts after an apology letter.
    pub apology_due: ApologyDue,
    /// §5.5 — how the online-service points are split.
    pub online_split: OnlineSplit,
    /// §5.6 — denominator of 4.1.
    pub e_result_base: EResultBase,
    /// §5.7 — count dossiers received before the period and still open at its start (by
    /// DATA-MODEL.md §3's end of processing) in 2.1, and in 2.1 only.
    pub carry_over_open: bool,
}

impl Options {
    /// The value of an option by name, as text (used by profiles' `when` conditions).
    pub fn get(&self, name: &str) -> Option<String> {
        let v = toml::Value::try_from(self).ok()?;
        match v.get(name)? {
            toml::Value::String(s) => Some(s.clone()),
            toml::Value::Boolean(b) => Some(b.to_string()),
            other => Some(other.to_string()),
        }
    }
}

impl Options {
    /// A copy with one option set by name from text (`true`/`false` for switches), as given on a
    /// command line or in a Python call.
    pub fn with(self, name: &str, value: &str) -> crate::Result<Options> {
        let err = |message: String| crate::ChisoError::Value {
            field: format!("option {name}"),
            message,
        };
        let mut table = match toml::Value::try_from(self) {
            Ok(toml::Value::Table(t)) => t,
            _ => return Err(err("options cannot be represented".into())),
        };
        if !table.contains_key(name) {
            let known: Vec<&str> = table.keys().map(String::as_str).collect();
            return Err(err(format!("unknown option (known: {})", known.join(", "))));
        }
        let v = match value.trim() {
            "true" => toml::Value::Boolean(true),
            "false" => toml::Value::Boolean(false),
            other => toml::Value::String(other.to_string()),
        };
        table.insert(name.to_string(), v);
        toml::Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| err(format!("{value:?}: {}", e.message())))
    }
}

/// Time limits counted in working days, from the profile's `[limits]` table. Each ends on the
/// n-th working day strictly after (1.2, petitions) or before (1.1) its reference date, compared
/// as calendar days (INDICATORS.md §6.1); the ministry/province pairs are chosen by the
/// publishing authority, the kind of the unit tree's root ([`crate::facts::Publisher`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// 5.2: a petition is handled on time within this many working days of its clock start (the
    /// latest forwarding, else the petition date).
    pub petition_handle_days: u32,
    /// 5.2: a rejected petition must be rejected within this many working days.
    pub petition_reject_days: u32,
    /// 5.2: the first supplement request must come within this many working days.
    pub petition_supplement_days: u32,
    /// 1.1: publication decision at least this many working days before the legal basis takes
    /// effect (ministry / province).
    pub publish_days_ministry: u32,
    /// 1.1 limit for a province (see `publish_days_ministry`).
    pub publish_days_province: u32,
    /// 1.2: made public within this many working days of the publication decision.
    pub public_update_days_ministry: u32,
    /// 1.2 limit for a province (see `public_update_days_ministry`).
    pub public_update_days_province: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            petition_handle_days: 15,
            petition_reject_days: 2,
            petition_supplement_days: 5,
            publish_days_ministry: 20,
            publish_days_province: 5,
            public_update_days_ministry: 10,
            public_update_days_province: 5,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn options_set_by_name() {
        let o = Options::default()
            .with("due_comparison", "date")
            .unwrap()
            .with("carry_over_open", "true")
            .unwrap();
        assert_eq!(o.due_comparison, DueComparison::Date);
        assert!(o.carry_over_open);
        assert_eq!(o.get("online_split").as_deref(), Some("split246"));
        assert!(Options::default().with("due_comparison", "hourly").is_err());
        let e = Options::default()
            .with("nonsense", "1")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("unknown option") && e.contains("carry_over_open"),
            "{e}"
        );
    }
}
