//! Sync records from a CSV file as it grows: the header line once (the column names `chiso
//! score` accepts, resolved by the same [`ColumnMap`]), then one record per complete line,
//! converted by the same cell path as the batch CSV reader. Resuming at a byte offset reads the
//! header again from the start of the file.

use super::tail::Tail;
use crate::read::cell::{Cell, Collector, RowBuilder};
use crate::read::columns::{ColumnMap, RecordKind, Resolution};
use crate::read::records::Reject;
use crate::read::rows::{find_header, sniff_delimiter, sniff_encoding};
use crate::{IoError, Result};
use chiso::live::SyncRecord;
use chiso::Dossier;
use encoding_rs::Encoding;
use std::path::Path;

/// How the file's lines are read once its header is known.
struct Header {
    names: Vec<String>,
    resolution: Resolution,
    delimiter: u8,
    encoding: &'static Encoding,
}

/// Sync records of a growing CSV file from a byte offset on, complete lines only.
pub struct SyncCsv {
    tail: Tail,
    header: Option<Header>,
    map: ColumnMap,
    rejects: Vec<Reject>,
}

impl SyncCsv {
    /// Opens the file and starts reading at byte `offset` (0, or a saved bookmark; then the
    /// header line is read from the start of the file).
    pub fn open(path: &Path, offset: u64) -> Result<Self> {
        let mut feed = Self {
            tail: Tail::open(path, offset, true)?,
            header: None,
            map: ColumnMap::new(),
            rejects: Vec::new(),
        };
        if offset > 0 {
            // Resuming: the header is the file's first line, already behind the offset.
            let mut start = Tail::open(path, 0, true)?;
            let header = loop {
                match start.next_record()? {
                    Some((_, line)) if is_blank(&line) => continue,
                    Some((_, line)) => break line,
                    None => {
                        return Err(IoError::format(
                            path,
                            "no header line before the saved read position",
                        ))
                    }
                }
            };
            feed.header = Some(feed.read_header(&header)?);
        }
        Ok(feed)
    }

    /// Offset just past the last record returned (the resume point).
    pub fn offset(&self) -> u64 {
        self.tail.offset()
    }

    fn read_header(&self, line: &[u8]) -> Result<Header> {
        let path = &self.tail.path;
        let encoding = sniff_encoding(line);
        if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
            return Err(IoError::format(
                path,
                "a followed CSV file must be UTF-8 (or a legacy 8-bit code page), not UTF-16",
            ));
        }
        let (text, _, _) = encoding.decode(line);
        let text = text.trim_start_matches('\u{feff}');
        let delimiter = if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("tsv"))
        {
            b'\t'
        } else {
            sniff_delimiter(text)
        };
        let names: Vec<String> = split(text, delimiter)
            .map_err(|m| IoError::format(path, format!("header line: {m}")))?
            .iter()
            .map(|s| s.trim().to_string())
            .collect();
        let (_, resolution) =
            find_header(RecordKind::Dossier, &self.map, std::slice::from_ref(&names))
                .map_err(|m| IoError::format(path, format!("header line: {m}")))?;
        Ok(Header {
            names,
            resolution,
            delimiter,
            encoding,
        })
    }

    /// The lines rejected since the last call (line numbers count from where reading started).
    pub fn take_rejects(&mut self) -> Vec<Reject> {
        std::mem::take(&mut self.rejects)
    }

    /// Up to `max` more records (fewer, or none, at the current end of the file). A line that
    /// is not a readable sync record is rejected, with its line and column, as `chiso score`
    /// rejects a row, and kept for [`SyncCsv::take_rejects`].
    pub fn next_batch(&mut self, max: usize) -> Result<Vec<SyncRecord>> {
        if self.header.is_none() {
            let line = loop {
                match self.tail.next_record()? {
                    Some((_, line)) if is_blank(&line) => continue,
                    Some((_, line)) => break line,
                    None => return Ok(Vec::new()),
                }
            };
            self.header = Some(self.read_header(&line)?);
        }
        let Some(h) = &self.header else {
            return Ok(Vec::new());
        };
        let path = self.tail.path.clone();
        let mut rows = Collector::<Dossier>::new(&path.display().to_string());
        let mut kept = 0usize;
        while kept < max {
            let Some((n, line)) = self.tail.next_record()? else {
                break;
            };
            if is_blank(&line) {
                continue;
            }
            let (text, _, _) = h.encoding.decode(&line);
            let cells = match split(&text, h.delimiter) {
                Ok(cells) => cells,
                Err(m) => {
                    rows.reject(n as usize, None, m);
                    continue;
                }
            };
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let mut b = RowBuilder::<Dossier>::new(&h.names, &h.resolution);
            for (i, c) in cells.iter().enumerate() {
                b.cell(i, &Cell::Str(c));
            }
            rows.push(n as usize, b);
            kept += 1;
        }
        let records = rows.finish();
        self.rejects.extend(records.rejects);
        // Two syncs of one id in a batch were settled as batch reading settles them (the later
        // sync wins, else the later row): the winner is what upserting both would keep.
        Ok(records
            .rows
            .into_iter()
            .zip(records.synced.into_iter().chain(std::iter::repeat(None)))
            .map(|(dossier, synced_at)| SyncRecord { dossier, synced_at })
            .collect())
    }
}

fn is_blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

/// The fields of one CSV record (quotes and doubled quotes as the CSV reader reads them).
fn split(text: &str, delimiter: u8) -> std::result::Result<Vec<String>, String> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    match rdr.read_record(&mut record) {
        Ok(true) => Ok(record.iter().map(str::to_string).collect()),
        Ok(false) => Ok(Vec::new()),
        Err(e) => Err(format!("not a readable CSV line: {e}")),
    }
}
