//! chiso-io: everything that touches files for chiso — the portal's evaluation API captures and
//! the conformance check over them, rule profiles from disk, and the seeded sample generator.

pub mod arrow_input;
pub mod columns;
pub mod conformance;
pub mod convert;
pub mod csv_fast;
pub mod error;
pub mod export;
pub mod fast;
mod intern;
mod plain;
pub mod portal;
pub mod profiles;
pub mod py_fast;
pub mod readers;
pub mod records;
pub mod render;
pub mod sample;
pub mod writers;

pub use error::{IoError, Result};
