//! chiso-io: everything of chiso that touches files, and the route from a file to a scorecard.
//!
//! ```text
//!  file (CSV, Excel, JSON, Arrow IPC, Parquet)   Arrow batches in memory (Python)
//!        │ read::columns (which column is which field)
//!        ▼
//!  read::rows ──► records ──► chiso::pipeline (classify → tally)
//!  read::fast ──► columns ──► chiso::columnar (classify → tally)
//!        └───────── route: picks the path, returns tally + accounting ─────────┘
//!                                 │
//!                                 ▼
//!                    chiso::score → Scorecard
//!                                 │
//!                                 ▼
//!        write::report (CSV, XLSX, HTML) · write::text (terminal) · write::tables
//! ```
//!
//! - [`read`]: column mapping, cell conversion, the row readers and the columnar fast paths.
//! - [`route`]: the one decision of how a dossier file (or batches in memory) is read and
//!   tallied; the CLI and Python call it.
//! - [`write`](mod@write): exports and terminal rendering.
//! - [`portal`]: the portal's captured responses and the conformance check against them.
//! - [`profiles`]: rule profiles by built-in name or from TOML; [`sample`]: the seeded generator.

#![warn(missing_docs)]

pub mod error;
pub mod live;
pub mod portal;
pub mod profiles;
pub mod read;
pub mod route;
pub mod sample;
pub mod sample_export;
pub mod write;

pub use error::{IoError, Result};
