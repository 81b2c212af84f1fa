//! Typed errors of the core. Each variant maps to one Python exception class in the glue crate.

use thiserror::Error;

/// Anything the pure core can refuse.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum ChisoError {
    /// A period string that is not one of the accepted shapes.
    #[error("invalid period {input:?}: {reason}. Expected 2026, 2026-Q3, 2026-H1, 2026-09 or 2026-01-01..2026-03-31")]
    Period {
        /// The text given.
        input: String,
        /// What is wrong with it.
        reason: String,
    },

    /// A rule profile that cannot be used; `source` names the file or built-in profile.
    #[error("rule profile {source_name}: {key}: {message}")]
    Profile {
        /// The file or built-in profile.
        source_name: String,
        /// The key (or line and column) at fault.
        key: String,
        /// What is wrong.
        message: String,
    },

    /// A unit tree that is not a tree (unknown parent, duplicate code, cycle).
    #[error("unit tree: {0}")]
    UnitTree(String),

    /// A value that a model type cannot take (status code 11, channel 7, ...).
    #[error("{field}: {message}")]
    Value {
        /// The field.
        field: String,
        /// What is wrong with its value.
        message: String,
    },

    /// A unit asked for that the scorecard does not hold.
    #[error("unknown unit {0:?}")]
    UnknownUnit(String),

    /// A serialised tally refused, or two tallies that cannot be merged.
    #[error(transparent)]
    Tally(#[from] TallyError),
}

/// Why a serialised tally was refused, or two tallies not merged ([`crate::tally_bytes`]).
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum TallyError {
    /// The buffer does not start with chiso's tally magic bytes.
    #[error("tally bytes: not a chiso tally (wrong magic bytes)")]
    NotATally,
    /// Written by a chiso whose tally format differs from this one's.
    #[error("tally bytes: format version {found}, this chiso reads version {supported}")]
    Version {
        /// The version in the bytes.
        found: u16,
        /// The version this chiso reads.
        supported: u16,
    },
    /// The buffer ends before the tally does.
    #[error("tally bytes: truncated: {len} bytes, the tally needs {needed}")]
    Truncated {
        /// Bytes given.
        len: usize,
        /// Bytes the tally needs.
        needed: usize,
    },
    /// The contents do not match their checksum (corrupted in storage or transit).
    #[error(
        "checksum mismatch (stored {stored:08x}, computed {computed:08x}): the bytes are corrupt"
    )]
    Checksum {
        /// The CRC-32 stored in the bytes.
        stored: u32,
        /// The CRC-32 of the bytes as received.
        computed: u32,
    },
    /// Checksummed but not a well-formed tally (written by a faulty encoder).
    #[error("tally bytes: malformed: {0}")]
    Malformed(String),
    /// Two tallies built with different settings (period, evaluation time, options, …): their
    /// counters mean different things, so they are not added.
    #[error("cannot merge tallies built with different {key}: {left:?} and {right:?}")]
    Mismatch {
        /// The setting that differs.
        key: String,
        /// Its value in the tally merged into.
        left: String,
        /// Its value in the other tally.
        right: String,
    },
}

/// The core's result type.
pub type Result<T, E = ChisoError> = std::result::Result<T, E>;
