//! Files of the live scoreboard ([`chiso::live`]): its snapshot written atomically (a temp
//! file renamed over the old one, so a crash leaves the old snapshot or the new one, never half
//! of one), and sync records read from a JSON Lines or CSV file as it grows (`tail -f`), by byte
//! offset, so that a restart resumes exactly where the saved snapshot's bookmark says.

mod batches;
mod csv_feed;
mod tail;

pub use batches::upsert_batches;
pub use csv_feed::SyncCsv;

use crate::{IoError, Result};
use chiso::live::{Scoreboard, SharedCalendar, SyncRecord};
use std::path::Path;
use tail::Tail;

/// Writes bytes to `path` atomically: to a temp file beside it, synced, then renamed (the one
/// way every output is written, [`crate::write::output::write_file`]).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    crate::write::output::write_file(path, bytes)
}

/// Saves a scoreboard's snapshot atomically.
pub fn save(path: &Path, board: &Scoreboard) -> Result<()> {
    write_atomic(path, &board.to_bytes())
}

/// Loads a scoreboard's snapshot; a truncated, foreign or corrupted file is refused whole.
pub fn load(path: &Path, calendar: SharedCalendar) -> Result<Scoreboard> {
    let bytes = std::fs::read(path).map_err(|e| IoError::file(path, e))?;
    Scoreboard::from_bytes(&bytes, calendar).map_err(|e| IoError::format(path, e.to_string()))
}

/// Sync records read from a JSON Lines file from a byte offset on, complete lines only (a line
/// still being written is left for the next read). Fields have their canonical names, as
/// `chiso generate --events` writes them.
pub struct SyncLines {
    tail: Tail,
}

impl SyncLines {
    /// Opens the file and starts reading at byte `offset` (0, or a saved bookmark).
    pub fn open(path: &Path, offset: u64) -> Result<Self> {
        Ok(Self {
            tail: Tail::open(path, offset, false)?,
        })
    }

    /// Offset just past the last record returned (the resume point).
    pub fn offset(&self) -> u64 {
        self.tail.offset()
    }

    /// Up to `max` more records (fewer, or none, at the current end of the file). A line that
    /// is not a sync record is an error naming its line.
    pub fn next_batch(&mut self, max: usize) -> Result<Vec<SyncRecord>> {
        let mut out = Vec::new();
        while out.len() < max {
            let Some((n, line)) = self.tail.next_record()? else {
                break;
            };
            let text = String::from_utf8_lossy(&line);
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            let r: SyncRecord = serde_json::from_str(text).map_err(|e| {
                IoError::format(&self.tail.path, format!("line {n} (from byte offset): {e}"))
            })?;
            out.push(r);
        }
        Ok(out)
    }
}

/// A growing file of sync records, JSON Lines or CSV by its extension (`.csv`, `.tsv`, `.txt`:
/// CSV with a header line, the column names `chiso score` accepts; anything else: JSON Lines).
pub enum SyncFeed {
    /// JSON Lines, canonical field names.
    Lines(SyncLines),
    /// CSV with a header line.
    Csv(SyncCsv),
}

impl SyncFeed {
    /// The feed of `path` from byte `offset` (0: the start; a CSV file's header is read again).
    pub fn open(path: &Path, offset: u64) -> Result<Self> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        Ok(match ext.as_str() {
            "csv" | "tsv" | "txt" | "tab" => SyncFeed::Csv(SyncCsv::open(path, offset)?),
            _ => SyncFeed::Lines(SyncLines::open(path, offset)?),
        })
    }

    /// Offset just past the last record returned (the resume point).
    pub fn offset(&self) -> u64 {
        match self {
            SyncFeed::Lines(l) => l.offset(),
            SyncFeed::Csv(c) => c.offset(),
        }
    }

    /// Up to `max` more records; none at the current end of the file.
    pub fn next_batch(&mut self, max: usize) -> Result<Vec<SyncRecord>> {
        match self {
            SyncFeed::Lines(l) => l.next_batch(max),
            SyncFeed::Csv(c) => c.next_batch(max),
        }
    }
}
