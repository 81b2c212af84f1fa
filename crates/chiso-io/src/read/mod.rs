//! Reading: from a file's bytes (or Arrow batches in memory) to records or to columns.
//!
//! - [`columns`]: which input column feeds which field (canonical names, portal sync names,
//!   Vietnamese headers).
//! - [`cell`]: the one conversion of a cell (text, number, time, flag, list) into a field value,
//!   shared by every reader, and the row builders that turn a row into a record or a reject.
//! - [`records`]: what a reader returns: records, rejects with row and column, superseded syncs.
//! - [`rows`]: the row readers (CSV, Excel, JSON / JSON Lines, and Arrow IPC / Parquet through
//!   [`arrow_batches`]); the format is chosen by extension.
//! - [`fast`]: the columnar fast paths that never build a record: Parquet / Arrow IPC files,
//!   CSV bytes ([`fast::csv_blocks`]), Excel and JSON cells gathered into columns
//!   ([`fast::cells`]) and batches held in memory ([`memory`]).
//! - [`decoder`]: a panic of a third-party decoder on a corrupt file becomes an error.
//! - [`limits`]: the largest cell and the deepest JSON nesting read, and the guard that refuses
//!   a longer cell while a text file streams.
//! - `intern` and `plain`: code tables and hand parsers shared by the fast paths.

pub mod arrow_batches;
pub mod cell;
pub mod columns;
pub mod decoder;
pub mod fast;
pub(crate) mod intern;
pub mod ipc_check;
pub mod limits;
pub mod memory;
pub(crate) mod plain;
pub mod records;
pub mod rows;

pub use cell::read_log;
