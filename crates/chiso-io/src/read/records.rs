//! Reading records in chiso's canonical JSON shape (a JSON array, or JSON Lines), one reject per
//! bad record with its row number, so that nothing is dropped silently.

use crate::error::{read_text, IoError, Result};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::path::Path;

/// A record that could not be read, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reject {
    /// The input file.
    pub file: String,
    /// 1-based record number (line number for JSON Lines).
    pub row: usize,
    /// The column at fault, when known.
    pub column: Option<String>,
    /// Why the record was refused.
    pub message: String,
}

/// A record replaced by a later sync of the same id (dossiers): excluded, with its reason.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Superseded {
    /// The input file.
    pub file: String,
    /// 1-based row of the superseded record.
    pub row: usize,
    /// The duplicated id.
    pub id: String,
    /// Row of the record that won (the latest sync).
    pub by_row: usize,
}

/// The reason under which superseded duplicates are counted as excluded.
pub const SUPERSEDED_REASON: &str = "duplicate superseded by a later sync";

/// Records that were read, those rejected, and duplicates superseded by a later sync. Every row
/// read is in exactly one of the three lists.
#[derive(Clone, Debug)]
pub struct Records<T> {
    /// The records read.
    pub rows: Vec<T>,
    /// Records that could not be read.
    pub rejects: Vec<Reject>,
    /// Duplicates replaced by a later sync.
    pub superseded: Vec<Superseded>,
    /// Records handed to a streaming sink instead of kept in `rows`.
    pub streamed: usize,
    /// A streaming read saw an id twice: "latest sync wins" needs an ordinary read.
    pub duplicate_ids: bool,
    /// Each kept row's sync time (`synced_at`), aligned with `rows` (empty when no row was
    /// kept): what the live scoreboard compares across batches.
    pub synced: Vec<Option<chrono::NaiveDateTime>>,
}

impl<T> Default for Records<T> {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            rejects: Vec::new(),
            superseded: Vec::new(),
            streamed: 0,
            duplicate_ids: false,
            synced: Vec::new(),
        }
    }
}

impl<T> Records<T> {
    /// Rows read: kept (or streamed) + rejected + superseded.
    pub fn read_count(&self) -> usize {
        self.rows.len() + self.streamed + self.rejects.len() + self.superseded.len()
    }
}

fn reject(path: &Path, row: usize, e: &serde_json::Error) -> Reject {
    let msg = e.to_string();
    // serde names the field in "unknown variant"/"invalid type" messages only indirectly;
    // keep the message whole and pick out a `field` when one is named.
    let column = msg
        .split('`')
        .nth(1)
        .filter(|_| msg.contains("field"))
        .map(str::to_string);
    Reject {
        file: path.display().to_string(),
        row,
        column,
        message: msg,
    }
}

/// Reads a JSON array or JSON Lines file of records.
pub fn read_json_records<T: DeserializeOwned>(path: &Path) -> Result<Records<T>> {
    let text = read_text(path)?;
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let mut out = Records::default();
    if trimmed.starts_with('[') {
        let values: Vec<serde_json::Value> = serde_json::from_str(trimmed)
            .map_err(|e| IoError::format(path, format!("not a JSON array: {e}")))?;
        for (i, v) in values.into_iter().enumerate() {
            match serde_json::from_value::<T>(v) {
                Ok(r) => out.rows.push(r),
                Err(e) => out.rejects.push(reject(path, i + 1, &e)),
            }
        }
    } else {
        for (i, line) in trimmed.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<T>(line) {
                Ok(r) => out.rows.push(r),
                Err(e) => out.rejects.push(reject(path, i + 1, &e)),
            }
        }
    }
    Ok(out)
}

/// Writes records as JSON Lines, atomically.
pub fn write_json_lines<T: Serialize>(path: &Path, rows: &[T]) -> Result<()> {
    use std::io::Write;
    crate::write::output::write_atomic(path, |w| {
        for r in rows {
            serde_json::to_writer(&mut *w, r).map_err(|e| IoError::format(path, e.to_string()))?;
            w.write_all(b"\n").map_err(|e| IoError::file(path, e))?;
        }
        Ok(())
    })
}
