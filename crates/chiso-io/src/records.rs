//! Reading records in chiso's canonical JSON shape (a JSON array, or JSON Lines), one reject per
//! bad record with its row number, so that nothing is dropped silently.

use crate::error::{read_text, IoError, Result};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::path::Path;

/// A record that could not be read, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reject {
    pub file: String,
    /// 1-based record number (line number for JSON Lines).
    pub row: usize,
    pub column: Option<String>,
    pub message: String,
}

/// Records that were read, and those rejected.
#[derive(Clone, Debug)]
pub struct Records<T> {
    pub rows: Vec<T>,
    pub rejects: Vec<Reject>,
}

impl<T> Records<T> {
    pub fn read_count(&self) -> usize {
        self.rows.len() + self.rejects.len()
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
    let mut out = Records {
        rows: Vec::new(),
        rejects: Vec::new(),
    };
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

/// Writes records as JSON Lines.
pub fn write_json_lines<T: Serialize>(path: &Path, rows: &[T]) -> Result<()> {
    use std::io::Write;
    let file = std::fs::File::create(path).map_err(|e| IoError::file(path, e))?;
    let mut w = std::io::BufWriter::new(file);
    for r in rows {
        serde_json::to_writer(&mut w, r).map_err(|e| IoError::format(path, e.to_string()))?;
        w.write_all(b"\n").map_err(|e| IoError::file(path, e))?;
    }
    w.flush().map_err(|e| IoError::file(path, e))
}
