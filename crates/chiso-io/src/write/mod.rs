//! Writing: what chiso hands back to people and tools.
//!
//! - [`lang`]: the one table of report words in English and Vietnamese, with each language's
//!   number and date conventions.
//! - [`report`]: scorecards as CSV, an Excel workbook and a self-contained HTML report.
//! - [`text`]: scorecards as plain-text tables for terminals.
//! - [`tables`]: records as Arrow batches written as Arrow IPC, Parquet or CSV (the readers read
//!   them back to the same records).
//! - [`verdicts`]: every dossier's verdict, written while it is judged (`--verdicts`).
//! - [`output`]: every file written atomically (temporary file + rename), standard output
//!   checked and flushed.

// Every public item of the writers is documented (enforced: clippy runs with -D warnings).
#![warn(missing_docs)]

pub mod lang;
pub mod output;
pub mod report;
pub mod tables;
pub mod text;
pub mod verdicts;
