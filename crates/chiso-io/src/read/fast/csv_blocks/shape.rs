//! The file's shape as the ordinary reader sees it: encoding, delimiter, header row, first data row.

use super::*;
use crate::read::columns::{ColumnMap, RecordKind};
use crate::read::fast::NotFast;
use crate::read::rows::{self};
use std::path::Path;

/// What the ordinary reader would make of the start of the file.
pub(super) struct Shape {
    pub(super) delimiter: u8,
    /// Byte offset of the first data record.
    pub(super) data_start: usize,
    pub(super) resolution: crate::read::columns::Resolution,
}

impl Shape {
    pub(super) fn sniff(path: &Path, head: &[u8], map: &ColumnMap) -> Step<Shape> {
        let encoding = rows::sniff_encoding(head);
        if encoding != encoding_rs::UTF_8 {
            return not_fast(format!("{} text", encoding.name()));
        }
        let (preview, _, _) = encoding.decode(head);
        let delimiter = if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("tsv"))
        {
            b'\t'
        } else {
            rows::sniff_delimiter(&preview)
        };
        let bom = if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
            3
        } else {
            0
        };
        // The first records, as candidates for the header row (the ordinary reader looks at
        // the first few).
        let mut candidates: Vec<Vec<String>> = Vec::new();
        let mut ends: Vec<usize> = Vec::new();
        let mut p = skip_empty_lines(head, bom)?;
        let mut scratch = Vec::new();
        while candidates.len() < rows::HEADER_SEARCH && p < head.len() {
            let mut row = Vec::new();
            loop {
                let f = field(head, p, delimiter, &mut scratch)?;
                if f.end == Stop::Eof && head.len() == 1 << 16 {
                    // The sample ends inside this record: it may go on.
                    return not_fast("the header rows are longer than the sample read");
                }
                row.push(
                    String::from_utf8_lossy(f.value(head, &scratch))
                        .trim()
                        .to_string(),
                );
                p = f.next;
                if f.end != Stop::Field {
                    break;
                }
            }
            candidates.push(row);
            ends.push(p);
            p = skip_empty_lines(head, p)?;
        }
        if candidates.len() < rows::HEADER_SEARCH && head.len() == 1 << 16 {
            // More candidate rows lie beyond the sample.
            return not_fast("the header rows are longer than the sample read");
        }
        let (h, resolution) = rows::find_header(RecordKind::Dossier, map, &candidates)
            .map_err(|m| NotFast(format!("header: {m}")))?;
        Ok(Shape {
            delimiter,
            data_start: ends[h],
            resolution,
        })
    }
}

/// Skips line ends at the start of a record (the CSV parser skips empty lines).
pub(super) fn skip_empty_lines(data: &[u8], mut p: usize) -> Step<usize> {
    while p < data.len() {
        match data[p] {
            b'\n' => p += 1,
            b'\r' if data.get(p + 1) == Some(&b'\n') => p += 2,
            b'\r' => return not_fast("a lone carriage return"),
            _ => break,
        }
    }
    Ok(p)
}
