//! Typed errors of the core. Each variant maps to one Python exception class in the glue crate.

use thiserror::Error;

/// Anything the pure core can refuse.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum ChisoError {
    /// A period string that is not one of the accepted shapes.
    #[error("invalid period {input:?}: {reason}. Expected 2026, 2026-Q3, 2026-H1, 2026-09 or 2026-01-01..2026-03-31")]
    Period { input: String, reason: String },

    /// A rule profile that cannot be used; `source` names the file or built-in profile.
    #[error("rule profile {source_name}: {key}: {message}")]
    Profile {
        source_name: String,
        key: String,
        message: String,
    },

    /// A unit tree that is not a tree (unknown parent, duplicate code, cycle).
    #[error("unit tree: {0}")]
    UnitTree(String),

    /// A value that a model type cannot take (status code 11, channel 7, ...).
    #[error("{field}: {message}")]
    Value { field: String, message: String },

    /// A unit asked for that the scorecard does not hold.
    #[error("unknown unit {0:?}")]
    UnknownUnit(String),
}

pub type Result<T, E = ChisoError> = std::result::Result<T, E>;
