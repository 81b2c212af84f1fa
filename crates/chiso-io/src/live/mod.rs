//! Files of the live scoreboard ([`chiso::live`]): its snapshot written atomically (a temp
//! file renamed over the old one, so a crash leaves the old snapshot or the new one, never half
//! of one), and sync records read from a JSON Lines or CSV file as it grows (`tail -f`), by byte
//! offset, so that a restart resumes exactly where the saved snapshot's bookmark says.

mod batches;
mod csv_feed;
mod tail;

pub use batches::upsert_batches;
pub use csv_feed::SyncCsv;

use crate::read::cell::reads_as_rows_would;
use crate::read::columns::ColumnMap;
use crate::read::records::Reject;
use crate::read::rows::JsonRecords;
use crate::{IoError, Result};
use chiso::live::{CanonicalSyncRecord, Scoreboard, SharedCalendar, SyncRecord};
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
/// still being written is left for the next read). A line with chiso's canonical field names
/// (as `chiso generate --events` writes them) is read directly; any other — portal or
/// Vietnamese names, dates as `chiso score` reads them — as `chiso score` reads a JSON record,
/// and a line that is not a readable record is rejected (kept, with its line and column, for
/// [`SyncLines::take_rejects`]), never stops the feed.
pub struct SyncLines {
    tail: Tail,
    map: ColumnMap,
    /// Lines not in chiso's names, read as `chiso score` reads a JSON record.
    cells: JsonRecords,
    rejects: Vec<Reject>,
}

impl SyncLines {
    /// Opens the file and starts reading at byte `offset` (0, or a saved bookmark).
    pub fn open(path: &Path, offset: u64) -> Result<Self> {
        let map = ColumnMap::new();
        Ok(Self {
            tail: Tail::open(path, offset, false)?,
            cells: JsonRecords::new(&map, &path.display().to_string()),
            map,
            rejects: Vec::new(),
        })
    }

    /// Offset just past the last record returned (the resume point).
    pub fn offset(&self) -> u64 {
        self.tail.offset()
    }

    /// Up to `max` more records (fewer, or none, at the current end of the file). Lines
    /// rejected on the way are kept for [`SyncLines::take_rejects`].
    pub fn next_batch(&mut self, max: usize) -> Result<Vec<SyncRecord>> {
        let mut out = Vec::new();
        while out.len() < max {
            let Some((n, line)) = self.tail.next_record()? else {
                break;
            };
            let text = String::from_utf8_lossy(&line);
            // A byte-order mark can only open the file; checking for it costs one comparison.
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text).trim();
            if text.is_empty() {
                continue;
            }
            match serde_json::from_str::<CanonicalSyncRecord>(text) {
                Ok(CanonicalSyncRecord(r)) if reads_as_rows_would(&r.dossier) => out.push(r),
                _ => match self.cells.read(&self.map, n as usize, text) {
                    Ok(r) => out.push(r),
                    Err(reject) => self.rejects.push(reject),
                },
            }
        }
        Ok(out)
    }

    /// The lines rejected since the last call (line numbers count from where reading started).
    pub fn take_rejects(&mut self) -> Vec<Reject> {
        std::mem::take(&mut self.rejects)
    }
}

/// A growing file of sync records, JSON Lines or CSV by its extension (`.csv`, `.tsv`, `.txt`:
/// CSV with a header line, the column names `chiso score` accepts; anything else: JSON Lines).
pub enum SyncFeed {
    /// JSON Lines, with the field names `chiso score` accepts.
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

    /// The records rejected since the last call, with their line and the column at fault:
    /// a record that cannot be read is set aside and reported, the feed goes on.
    pub fn take_rejects(&mut self) -> Vec<Reject> {
        match self {
            SyncFeed::Lines(l) => l.take_rejects(),
            SyncFeed::Csv(c) => c.take_rejects(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// chiso's names, the portal's names and a Vietnamese date read alike; a line in chiso's
    /// names with a field it does not know is not read blind (the field is the portal's);
    /// unreadable lines are set aside with their line and column and the feed goes on.
    #[test]
    fn every_name_chiso_score_reads_is_read_and_bad_lines_set_aside() {
        let p = std::env::temp_dir().join(format!("chiso-sync-lines-{}.jsonl", std::process::id()));
        std::fs::write(
            &p,
            concat!(
                "\u{feff}",
                r#"{"dossier_id":"A","unit_code":"H1","received_at":"2026-09-01T08:30:00","synced_at":"2026-09-01T09:00:00"}"#,
                "\n",
                r#"{"MaHoSo":"B","MaDonVi":"H1","NgayTiepNhan":"01/09/2026 08:30","NgayDongBo":"01/09/2026 09:00"}"#,
                "\n",
                r#"{"dossier_id":"C","unit_code":"H1","NgayTiepNhan":"01/09/2026 08:30"}"#,
                "\n",
                r#"{"dossier_id":"D","synced_at":"not a time"}"#,
                "\n\nnot json\n",
                r#"{"dossier_id":"E","unit_code":"H1"}"#,
                "\n",
                r#"{"dossier_id":"F","unit_code":" H 1 ","fee_total":0}"#,
                "\n",
                r#"{"dossier_id":"G","unit_code":"H1","fee_total":-5}"#,
                "\n"
            ),
        )
        .unwrap();
        let mut feed = SyncLines::open(&p, 0).unwrap();
        let got = feed.next_batch(100).unwrap();
        let ids: Vec<&str> = got.iter().map(|r| r.dossier.dossier_id.as_str()).collect();
        assert_eq!(ids, ["A", "B", "C", "E", "F"]);
        assert_eq!(
            got[4].dossier.unit_code, "H1",
            "white space removed as score removes it"
        );
        assert_eq!(got[0].dossier.received_at, got[1].dossier.received_at);
        assert_eq!(got[0].synced_at, got[1].synced_at);
        assert_eq!(got[2].dossier.received_at, got[0].dossier.received_at);
        let rejects = feed.take_rejects();
        let at: Vec<(usize, Option<&str>)> = rejects
            .iter()
            .map(|r| (r.row, r.column.as_deref()))
            .collect();
        assert_eq!(
            at,
            [(4, Some("synced_at")), (6, None), (9, Some("fee_total"))]
        );
        assert!(feed.take_rejects().is_empty());
        let _ = std::fs::remove_file(&p);
    }
}
