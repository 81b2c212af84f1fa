//! CSV and other delimited text: encoding and delimiter sniffed, line ends normalised.

use super::*;
use crate::error::{IoError, Result};
use crate::read::cell::{Build, Cell, Collector};
use crate::read::columns::ColumnMap;
use crate::read::limits::{CellGuard, Syntax};
use crate::read::records::Records;
use std::io::{BufReader, Read};
use std::path::Path;

/// The text encoding of a CSV file, from its BOM or its first bytes.
pub(crate) fn sniff_encoding(head: &[u8]) -> &'static encoding_rs::Encoding {
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return encoding_rs::UTF_8;
    }
    if head.starts_with(&[0xFF, 0xFE]) {
        return encoding_rs::UTF_16LE;
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return encoding_rs::UTF_16BE;
    }
    let sample = &head[..head.len().min(4096)];
    let odd_nuls = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|b| **b == 0)
        .count();
    let even_nuls = sample.iter().step_by(2).filter(|b| **b == 0).count();
    if sample.len() >= 4 && odd_nuls * 4 > sample.len() && even_nuls == 0 {
        return encoding_rs::UTF_16LE;
    }
    if sample.len() >= 4 && even_nuls * 4 > sample.len() && odd_nuls == 0 {
        return encoding_rs::UTF_16BE;
    }
    match std::str::from_utf8(head) {
        Ok(_) => encoding_rs::UTF_8,
        // Cut in the middle of a character at the end of the sample: still UTF-8.
        Err(e) if e.error_len().is_none() => encoding_rs::UTF_8,
        // Legacy Vietnamese Windows code page.
        Err(_) => encoding_rs::WINDOWS_1258,
    }
}

/// The delimiter used most consistently in the first lines (outside quotes).
pub(crate) fn sniff_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(HEADER_SEARCH)
        .collect();
    let count = |line: &str, d: char| {
        let mut quoted = false;
        line.chars()
            .filter(|c| {
                if *c == '"' {
                    quoted = !quoted;
                }
                !quoted && *c == d
            })
            .count()
    };
    let mut best = (b',', 0usize);
    for d in [',', ';', '\t', '|'] {
        // Score: the smallest non-zero count over lines that have the delimiter, times lines.
        let counts: Vec<usize> = lines.iter().map(|l| count(l, d)).collect();
        let max = counts.iter().copied().max().unwrap_or(0);
        let score = max * counts.iter().filter(|c| **c > 0).count();
        if score > best.1 {
            best = (d as u8, score);
        }
    }
    best.0
}

/// Turns CRLF into LF so that the CSV parser's line numbers are the lines people see (it counts
/// CRLF-terminated lines one late).
pub(super) struct CrLf<R> {
    pub(super) inner: R,
    /// A CR read at the end of the previous chunk, not yet known to precede an LF.
    pub(super) pending_cr: bool,
}

impl<R: Read> Read for CrLf<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.len() < 2 {
            return self.inner.read(buf);
        }
        let start = usize::from(self.pending_cr);
        let n = self.inner.read(&mut buf[start..])?;
        if self.pending_cr {
            buf[0] = b'\r';
            self.pending_cr = false;
            if n == 0 {
                return Ok(1);
            }
        } else if n == 0 {
            return Ok(0);
        }
        let len = start + n;
        let mut w = 0;
        let mut i = 0;
        while i < len {
            let b = buf[i];
            if b == b'\r' {
                if i + 1 == len {
                    // Decide with the next chunk.
                    self.pending_cr = true;
                    i += 1;
                    continue;
                }
                if buf[i + 1] == b'\n' {
                    i += 1;
                    continue;
                }
            }
            buf[w] = b;
            w += 1;
            i += 1;
        }
        if w == 0 && self.pending_cr {
            // Only a CR was read: read on to learn what follows it.
            return self.read(buf);
        }
        Ok(w)
    }
}

pub(super) fn read_csv<B: Build>(
    path: &Path,
    map: &ColumnMap,
    progress: &mut dyn FnMut(usize),
    collector: Collector<'_, B>,
) -> Result<Records<B>> {
    let mut head = Vec::with_capacity(1 << 16);
    open(path)?
        .take(1 << 16)
        .read_to_end(&mut head)
        .map_err(|e| IoError::file(path, e))?;
    let encoding = sniff_encoding(&head);
    let (preview, _, _) = encoding.decode(&head);
    let delimiter = if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("tsv"))
    {
        b'\t'
    } else {
        sniff_delimiter(&preview)
    };
    let decoder = encoding_rs_io::DecodeReaderBytesBuilder::new()
        .encoding(Some(encoding))
        .bom_override(true)
        .strip_bom(true)
        .build(open(path)?);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(CellGuard::new(
            CrLf {
                inner: BufReader::with_capacity(1 << 16, decoder),
                pending_cr: false,
            },
            Syntax::Csv(delimiter),
        ));
    let csv_err = |e: csv::Error| -> IoError {
        match e.into_kind() {
            csv::ErrorKind::Io(io) => IoError::file(path, io),
            other => IoError::format(path, format!("not a readable CSV file: {other:?}")),
        }
    };
    // Buffer the first rows to find the header row.
    let mut first: Vec<(usize, csv::StringRecord)> = Vec::new();
    let mut record = csv::StringRecord::new();
    while first.len() < HEADER_SEARCH && rdr.read_record(&mut record).map_err(csv_err)? {
        let line = record.position().map_or(0, |p| p.line() as usize);
        first.push((line, record.clone()));
    }
    let candidates: Vec<Vec<String>> = first
        .iter()
        .map(|(_, r)| r.iter().map(|s| s.trim().to_string()).collect())
        .collect();
    let (h, resolution) =
        find_header(B::KIND, map, &candidates).map_err(|m| IoError::format(path, m))?;
    let mut table = Table::<B> {
        headers: candidates[h].clone(),
        resolution,
        collector,
    };
    let blank = |r: &csv::StringRecord| r.iter().all(|c| c.trim().is_empty());
    let mut n = 0usize;
    for (line, r) in first.iter().skip(h + 1) {
        if !blank(r) {
            table.row(*line, r.iter().map(Cell::Str));
            n += 1;
        }
    }
    while rdr.read_record(&mut record).map_err(csv_err)? {
        if blank(&record) {
            continue;
        }
        let line = record.position().map_or(0, |p| p.line() as usize);
        table.row(line, record.iter().map(Cell::Str));
        n += 1;
        if n % PROGRESS_EVERY == 0 {
            progress(n);
        }
    }
    progress(n);
    Ok(table.collector.finish())
}
