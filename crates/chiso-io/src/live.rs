//! Files of the live scoreboard ([`chiso::live`]): its snapshot written atomically (a temp
//! file renamed over the old one, so a crash leaves the old snapshot or the new one, never half
//! of one), and sync records read from a JSON Lines file as it grows (`tail -f`), by byte
//! offset, so that a restart resumes exactly where the saved snapshot's bookmark says.

use crate::{IoError, Result};
use chiso::live::{Scoreboard, SharedCalendar, SyncRecord};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

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
    path: PathBuf,
    file: std::fs::File,
    /// Offset just past the last complete line returned.
    offset: u64,
    /// Bytes read past `offset` that do not yet end a line.
    pending: Vec<u8>,
    /// Line number (1-based) of the next line, for messages.
    line: u64,
}

impl SyncLines {
    /// Opens the file and starts reading at byte `offset` (0, or a saved bookmark).
    pub fn open(path: &Path, offset: u64) -> Result<Self> {
        let mut file = std::fs::File::open(path).map_err(|e| IoError::file(path, e))?;
        file.seek(SeekFrom::Start(offset))
            .map_err(|e| IoError::file(path, e))?;
        Ok(Self {
            path: path.to_path_buf(),
            file,
            offset,
            pending: Vec::new(),
            line: 1,
        })
    }

    /// Offset just past the last record returned (the resume point).
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Up to `max` more records (fewer, or none, at the current end of the file). A line that
    /// is not a sync record is an error naming its line.
    pub fn next_batch(&mut self, max: usize) -> Result<Vec<SyncRecord>> {
        let mut out = Vec::new();
        let mut buf = vec![0u8; 1 << 16];
        loop {
            while out.len() < max {
                let Some(end) = self.pending.iter().position(|&b| b == b'\n') else {
                    break;
                };
                let line: Vec<u8> = self.pending.drain(..=end).collect();
                self.offset += line.len() as u64;
                let text = String::from_utf8_lossy(&line);
                let text = text.trim();
                let n = self.line;
                self.line += 1;
                if text.is_empty() {
                    continue;
                }
                let r: SyncRecord = serde_json::from_str(text).map_err(|e| {
                    IoError::format(&self.path, format!("line {n} (from byte offset): {e}"))
                })?;
                out.push(r);
            }
            if out.len() >= max {
                return Ok(out);
            }
            let got = self
                .file
                .read(&mut buf)
                .map_err(|e| IoError::file(&self.path, e))?;
            if got == 0 {
                return Ok(out);
            }
            self.pending.extend_from_slice(&buf[..got]);
        }
    }
}
