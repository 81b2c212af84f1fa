//! Procedure catalogue facts (thủ tục hành chính), from the national procedure database.

use super::UnitKind;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Administrative level that implements a procedure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Implemented by ministries.
    Ministry,
    /// Implemented at province level (the province, its departments and agencies).
    Province,
    /// Implemented by districts.
    District,
    /// Implemented by communes.
    Commune,
}

impl Level {
    /// Whether a unit of this kind implements procedures of this level (when the catalogue does
    /// not list implementing units explicitly).
    pub fn applies_to(self, kind: &UnitKind) -> bool {
        match self {
            Level::Ministry => kind.as_str() == "ministry",
            Level::Province => matches!(kind.as_str(), "province" | "department" | "agency"),
            Level::District => kind.as_str() == "district",
            Level::Commune => kind.as_str() == "commune",
        }
    }
}

/// How far a procedure is offered online.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnlineLevel {
    #[default]
    /// Not offered online.
    None,
    /// Partial process online.
    Partial,
    /// Full process online.
    Full,
}

/// Unit of a statutory processing time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    #[default]
    /// Working days (the usual unit).
    WorkingDays,
    /// Calendar days.
    Days,
    /// Hours.
    Hours,
    /// Calendar months.
    Months,
}

/// A statutory processing time, e.g. 15 working days.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatutoryTime {
    /// How many units of time.
    pub amount: f64,
    #[serde(default)]
    /// Which unit of time.
    pub unit: TimeUnit,
}

/// One procedure of the catalogue with the facts indicators need.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Procedure {
    /// Procedure code in the national procedure database.
    pub procedure_code: String,
    /// Procedure name.
    pub name: String,
    /// Field (lĩnh vực) the procedure belongs to.
    pub field: String,
    /// Administrative level that implements it; `None` when unknown.
    pub level: Option<Level>,
    /// How far it is offered online (3.1, 3.2).
    pub online_level: OnlineLevel,
    /// Eligible for full-process online service (the alternative 12-point online indicator).
    pub full_process_eligible: bool,
    /// Issues a paper result: then an online/digitised dossier also needs an electronic result.
    pub paper_result: bool,
    /// Has fee or charge information in the procedure database (3.5a, 3.5b, 3.6).
    pub fee_bearing: bool,
    /// Applicants include citizens (4.5a).
    pub for_citizens: bool,
    /// Statutory processing time, the fallback deadline when a dossier has none.
    pub statutory_time: Option<StatutoryTime>,
    /// Date of the publication decision (QĐCB) — 1.1, 1.2.
    pub published_at: Option<NaiveDate>,
    /// Newest effective date of the procedure's legal basis — 1.1.
    pub legal_basis_effective_at: Option<NaiveDate>,
    /// Date made public in the national procedure database — 1.2.
    pub made_public_at: Option<NaiveDate>,
    /// Published with all seven required parts — 1.3.
    pub has_all_parts: Option<bool>,
    /// Currently public — 1.3.
    pub public: bool,
    /// Units implementing the procedure; empty means every unit whose kind matches `level`.
    pub units: Vec<String>,
}

impl Procedure {
    /// A procedure with only its code set.
    pub fn new(code: &str) -> Self {
        Self {
            procedure_code: code.to_string(),
            ..Self::default()
        }
    }

    /// Offered online, partly or fully.
    pub fn offered_online(&self) -> bool {
        self.online_level != OnlineLevel::None
    }

    /// Whether the procedure is implemented by a unit of this code and kind.
    pub fn implemented_by(&self, code: &str, kind: &UnitKind) -> bool {
        if !self.units.is_empty() {
            return self.units.iter().any(|u| u == code);
        }
        self.level.is_some_and(|l| l.applies_to(kind))
    }
}
