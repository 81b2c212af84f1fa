//! Announced swaps: days off and make-up working days set by government notice
//! (hoán đổi ngày làm việc, ngày làm bù, ngày nghỉ thêm), which no formula
//! predicts.
//!
//! TOML shape (the built-in table is `data/vn-swaps.toml`):
//!
//! ```toml
//! version = "2026.11"          # optional; names the data version
//!
//! [[swap]]
//! date = 2025-04-26            # TOML date, or a "YYYY-MM-DD" string
//! kind = "work_day"            # "day_off" or "work_day"
//! note_vi = "Làm bù cho ngày 2/5/2025"
//! note_en = "Make-up working day for 2 May 2025"
//! source = "Thông báo ... của Bộ Nội vụ"
//! ```
//!
//! `note_vi`, `note_en` and `source` are optional in user tables (the built-in
//! table always has them). Unknown keys are rejected, so typos do not pass
//! silently.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::CalendarError;
use crate::lunar::{MAX_DATE, MIN_DATE};

/// The built-in table, embedded at compile time.
const BUILTIN_TOML: &str = include_str!("../data/vn-swaps.toml");
/// Source name of the built-in table (appears in errors).
pub const BUILTIN_SOURCE: &str = "built-in vn-swaps.toml";

/// What a swap entry does to its date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SwapKind {
    /// The date is a day off (even if it would be a working day).
    DayOff,
    /// The date is a working day (even if Saturday/Sunday or a holiday).
    WorkDay,
}

/// One announced swap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SwapEntry {
    /// The civil date concerned.
    pub date: NaiveDate,
    /// Day off or working day.
    pub kind: SwapKind,
    /// Vietnamese note.
    pub note_vi: String,
    /// English note.
    pub note_en: String,
    /// The notice or decision that announced it.
    pub source: String,
}

/// A set of swap entries, at most one per date.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SwapTable {
    source_name: String,
    version: Option<String>,
    entries: BTreeMap<NaiveDate, SwapEntry>,
}

fn err(source: &str, entry: &str, message: impl Into<String>) -> CalendarError {
    CalendarError::SwapTable {
        source_name: source.to_string(),
        entry: entry.to_string(),
        message: message.into(),
    }
}

fn parse_date(value: &toml::Value) -> Result<NaiveDate, String> {
    match value {
        toml::Value::Datetime(dt) => {
            if dt.time.is_some() || dt.offset.is_some() {
                return Err(format!("'date' must be a date without time, got {dt}"));
            }
            match dt.date {
                Some(d) => {
                    NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                        .ok_or_else(|| format!("'date' {dt} is not a valid date"))
                }
                None => Err(format!("'date' must be a date, got {dt}")),
            }
        }
        toml::Value::String(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map_err(|e| format!("'date' \"{s}\" is not a YYYY-MM-DD date ({e})")),
        other => Err(format!(
            "'date' must be a date like 2025-04-26, got a {}",
            other.type_str()
        )),
    }
}

fn opt_string(table: &toml::Table, key: &str) -> Result<String, String> {
    match table.get(key) {
        None => Ok(String::new()),
        Some(toml::Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(format!(
            "'{key}' must be a string, got a {}",
            other.type_str()
        )),
    }
}

impl SwapTable {
    /// An empty table.
    pub fn empty(source_name: &str) -> Self {
        Self {
            source_name: source_name.to_string(),
            version: None,
            entries: BTreeMap::new(),
        }
    }

    /// The table shipped with the crate (`data/vn-swaps.toml`). It is parsed
    /// by the crate's tests, so this does not fail in a released build.
    pub fn builtin() -> Result<Self, CalendarError> {
        Self::from_toml_str(BUILTIN_TOML, BUILTIN_SOURCE)
    }

    /// The text of the built-in table.
    pub fn builtin_toml() -> &'static str {
        BUILTIN_TOML
    }

    /// Parses a table from TOML text. `source_name` (e.g. a file name) is used
    /// in error messages, which also name the entry (`entry #n (date)`) and
    /// the problem.
    pub fn from_toml_str(text: &str, source_name: &str) -> Result<Self, CalendarError> {
        let doc: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| err(source_name, "document", e.to_string().trim_end()))?;
        let mut version = None;
        let mut entries = BTreeMap::new();
        for (key, value) in &doc {
            match key.as_str() {
                "version" => match value {
                    toml::Value::String(s) => version = Some(s.clone()),
                    other => {
                        return Err(err(
                            source_name,
                            "document",
                            format!("'version' must be a string, got a {}", other.type_str()),
                        ))
                    }
                },
                "swap" => {}
                other => {
                    return Err(err(
                        source_name,
                        "document",
                        format!(
                        "unknown top-level key '{other}' (expected 'version' and [[swap]] entries)"
                    ),
                    ))
                }
            }
        }
        let list = match doc.get("swap") {
            None => Vec::new(),
            Some(toml::Value::Array(a)) => a.clone(),
            Some(other) => {
                return Err(err(
                    source_name,
                    "document",
                    format!(
                        "'swap' must be an array of tables ([[swap]]), got a {}",
                        other.type_str()
                    ),
                ))
            }
        };
        for (i, value) in list.iter().enumerate() {
            let n = i + 1;
            let label = |date: Option<NaiveDate>| match date {
                Some(d) => format!("entry #{n} ({d})"),
                None => format!("entry #{n}"),
            };
            let table = match value {
                toml::Value::Table(t) => t,
                other => {
                    return Err(err(
                        source_name,
                        &label(None),
                        format!("must be a table, got a {}", other.type_str()),
                    ))
                }
            };
            let date = match table.get("date") {
                None => return Err(err(source_name, &label(None), "missing 'date'")),
                Some(v) => parse_date(v).map_err(|m| err(source_name, &label(None), m))?,
            };
            let here = label(Some(date));
            for key in table.keys() {
                if !matches!(
                    key.as_str(),
                    "date" | "kind" | "note_vi" | "note_en" | "source"
                ) {
                    return Err(err(
                        source_name,
                        &here,
                        format!(
                            "unknown key '{key}' (expected date, kind, note_vi, note_en, source)"
                        ),
                    ));
                }
            }
            if date < MIN_DATE || date > MAX_DATE {
                return Err(err(
                    source_name,
                    &here,
                    format!("date outside the supported range {MIN_DATE}..={MAX_DATE}"),
                ));
            }
            let kind = match table.get("kind") {
                None => {
                    return Err(err(
                        source_name,
                        &here,
                        "missing 'kind' (\"day_off\" or \"work_day\")",
                    ))
                }
                Some(toml::Value::String(s)) => match s.as_str() {
                    "day_off" => SwapKind::DayOff,
                    "work_day" => SwapKind::WorkDay,
                    other => {
                        return Err(err(
                            source_name,
                            &here,
                            format!(
                                "unknown kind \"{other}\" (expected \"day_off\" or \"work_day\")"
                            ),
                        ))
                    }
                },
                Some(other) => {
                    return Err(err(
                        source_name,
                        &here,
                        format!("'kind' must be a string, got a {}", other.type_str()),
                    ))
                }
            };
            let note_vi = opt_string(table, "note_vi").map_err(|m| err(source_name, &here, m))?;
            let note_en = opt_string(table, "note_en").map_err(|m| err(source_name, &here, m))?;
            let source = opt_string(table, "source").map_err(|m| err(source_name, &here, m))?;
            if entries.contains_key(&date) {
                return Err(err(source_name, &here, "a second entry for the same date"));
            }
            entries.insert(
                date,
                SwapEntry {
                    date,
                    kind,
                    note_vi,
                    note_en,
                    source,
                },
            );
        }
        Ok(Self {
            source_name: source_name.to_string(),
            version,
            entries,
        })
    }

    /// Name given when the table was made (file name, `built-in ...`).
    pub fn source_name(&self) -> &str {
        &self.source_name
    }

    /// The table's `version` key, if any.
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    /// The entry for a date.
    pub fn get(&self, date: NaiveDate) -> Option<&SwapEntry> {
        self.entries.get(&date)
    }

    /// All entries, by date.
    pub fn entries(&self) -> impl Iterator<Item = &SwapEntry> {
        self.entries.values()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// No entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Adds `other`'s entries; on the same date, `other` wins. The source
    /// name becomes `self+other`; the version stays `self`'s (or `other`'s if
    /// `self` has none).
    pub fn merge(&mut self, other: SwapTable) {
        if self.source_name.is_empty() {
            self.source_name = other.source_name.clone();
        } else if !other.source_name.is_empty() {
            self.source_name = format!("{}+{}", self.source_name, other.source_name);
        }
        if self.version.is_none() {
            self.version = other.version;
        }
        self.entries.extend(other.entries);
    }

    /// [`SwapTable::merge`] by value.
    pub fn merged(mut self, other: SwapTable) -> SwapTable {
        self.merge(other);
        self
    }
}
