//! Error type of the crate.

use thiserror::Error;

/// Everything that can go wrong in this crate. No function panics on user
/// input; it returns one of these instead.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CalendarError {
    /// A solar date, lunar date or year outside the supported range
    /// (solar 1900-01-31..=2199-12-31, i.e. lunar years 1900..=2199).
    #[error("{value} is outside the supported range {min}..={max}")]
    OutOfRange {
        /// The value that was asked for, as text.
        value: String,
        /// First supported value.
        min: String,
        /// Last supported value.
        max: String,
    },
    /// A lunar date that does not exist (month 13, day 30 of a 29-day month,
    /// a leap flag on a month that is not leap that year, ...).
    #[error("invalid lunar date {date}: {reason}")]
    InvalidLunarDate {
        /// The lunar date as given, formatted `year-month-day` (`+leap`).
        date: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A swap table (built-in or user TOML) that cannot be used.
    /// (The field is `source_name`, not `source`, because `thiserror` reserves
    /// a field named `source` for the error's cause.)
    #[error("swap table '{source_name}', {entry}: {message}")]
    SwapTable {
        /// Name of the table given by the caller (e.g. a file name).
        source_name: String,
        /// Which entry: `entry #3 (2025-04-26)`, or `document` for the file as a whole.
        entry: String,
        /// The problem.
        message: String,
    },
    /// An astronomical computation gave an impossible structure. Should never
    /// happen within the supported range (every day of it is tested).
    #[error("internal calendar error: {0}")]
    Internal(String),
}
