//! File readers for real exports: CSV (delimiter and encoding sniffed), Excel (XLSX, XLS, ODS via
//! calamine), JSON and JSON Lines (portal sync shape or canonical), Arrow IPC and Parquet. The
//! format is chosen by the file extension.
//!
//! Every reader resolves its columns through one [`ColumnMap`] and converts cells through one
//! path (`crate::read::cell`): rows of cells for CSV and Excel, keyed values for JSON, Arrow batches
//! for Arrow IPC and Parquet (`crate::read::arrow_batches`). A file that cannot be read at all is an
//! [`IoError`] naming the file; a row that cannot be read is a [`crate::read::records::Reject`] with its
//! row and column; nothing is dropped silently.
//!
//! Memory: CSV, JSON Lines, JSON arrays, Arrow IPC and Parquet are streamed (one row or one batch
//! at a time; only the parsed records are kept). Excel files are read whole by calamine.

mod arrow_files;
mod delimited;
mod excel;
mod json;
mod table;
use arrow_files::*;
pub(crate) use delimited::*;
use excel::*;
pub(crate) use excel::{excel_cell, excel_text};
pub(crate) use json::JsonRecords;
use json::*;
pub(crate) use table::*;

use crate::error::{IoError, Result};
use crate::read::cell::{Build, Collector};
use crate::read::columns::ColumnMap;
use crate::read::records::Records;
use chiso::{Dossier, Petition, Procedure, Unit};
use std::fs::File;
use std::path::Path;

/// Input formats, chosen by extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    /// `.csv`, `.tsv`, `.txt` (Excel "Unicode text").
    Csv,
    /// `.xlsx`, `.xlsm`, `.xls`, `.ods`.
    Excel,
    /// `.json` (an array, or JSON Lines), `.jsonl`, `.ndjson`.
    Json,
    /// `.arrow`, `.ipc`, `.feather` (Arrow IPC file or stream).
    Arrow,
    /// `.parquet`, `.pq`.
    Parquet,
}

impl InputFormat {
    /// The format of a file by its extension.
    pub fn from_path(path: &Path) -> Result<Self> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        Ok(match ext.as_str() {
            "csv" | "tsv" | "txt" | "tab" => InputFormat::Csv,
            "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => InputFormat::Excel,
            "json" | "jsonl" | "ndjson" => InputFormat::Json,
            "arrow" | "ipc" | "feather" | "arrows" => InputFormat::Arrow,
            "parquet" | "pq" => InputFormat::Parquet,
            _ => {
                return Err(IoError::format(
                    path,
                    format!(
                        "unknown file type {ext:?}: use .csv, .tsv, .txt, .xlsx, .xls, .ods, \
                         .json, .jsonl, .arrow, .feather or .parquet"
                    ),
                ))
            }
        })
    }
}

/// Rows between progress reports.
pub const PROGRESS_EVERY: usize = 8192;

/// Dossiers from a file of any supported format.
pub fn read_dossiers(path: &Path, map: &ColumnMap) -> Result<Records<Dossier>> {
    read_records(path, map, &mut |_| {})
}

/// The procedure catalogue from a file of any supported format.
pub fn read_procedures(path: &Path, map: &ColumnMap) -> Result<Records<Procedure>> {
    read_records(path, map, &mut |_| {})
}

/// Units from a file of any supported format.
pub fn read_units(path: &Path, map: &ColumnMap) -> Result<Records<Unit>> {
    read_records(path, map, &mut |_| {})
}

/// Petitions from a file of any supported format.
pub fn read_petitions(path: &Path, map: &ColumnMap) -> Result<Records<Petition>> {
    read_records(path, map, &mut |_| {})
}

/// Records of any kind from a file of any supported format; `progress` is called with the number
/// of rows read so far every [`PROGRESS_EVERY`] rows.
///
/// # Examples
///
/// ```
/// use chiso::Dossier;
/// use chiso_io::read::columns::ColumnMap;
/// use chiso_io::read::rows::read_records;
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("hoso.csv");
/// // Vietnamese headers are recognised; a bad date rejects its row, with the reason.
/// std::fs::write(&path, "Mã hồ sơ,Mã đơn vị,Ngày tiếp nhận\nA1,H99,2026-09-01 08:00\nA2,H99,not a date\n")?;
/// let r = read_records::<Dossier>(&path, &ColumnMap::new(), &mut |_| {})?;
/// assert_eq!(r.rows.len(), 1);
/// assert_eq!(r.rows[0].unit_code, "H99");
/// assert_eq!(r.rejects.len(), 1);
/// # Ok(()) }
/// ```
pub fn read_records<B: Build>(
    path: &Path,
    map: &ColumnMap,
    progress: &mut dyn FnMut(usize),
) -> Result<Records<B>> {
    let format = InputFormat::from_path(path)?;
    read_records_as(path, format, map, progress)
}

/// Records from a file in the given format.
pub fn read_records_as<B: Build>(
    path: &Path,
    format: InputFormat,
    map: &ColumnMap,
    progress: &mut dyn FnMut(usize),
) -> Result<Records<B>> {
    read_into(path, format, map, progress, Collector::new(&source(path)))
}

/// Streams the records of a file of any supported format into `sink` one at a time instead of
/// keeping them: memory does not grow with the file. The returned records hold the rejects and
/// say whether duplicate ids were seen (then "latest sync wins" needs [`read_records`]).
pub fn stream_records<'s, B: Build>(
    path: &Path,
    map: &ColumnMap,
    progress: &mut dyn FnMut(usize),
    sink: Box<dyn FnMut(B) + 's>,
) -> Result<Records<B>> {
    let format = InputFormat::from_path(path)?;
    read_into(
        path,
        format,
        map,
        progress,
        Collector::streaming(&source(path), sink),
    )
}

fn read_into<B: Build>(
    path: &Path,
    format: InputFormat,
    map: &ColumnMap,
    progress: &mut dyn FnMut(usize),
    collector: Collector<'_, B>,
) -> Result<Records<B>> {
    match format {
        InputFormat::Csv => read_csv(path, map, progress, collector),
        InputFormat::Excel => read_excel(path, map, progress, collector),
        InputFormat::Json => read_json(path, map, progress, collector),
        InputFormat::Arrow => read_arrow_ipc(path, map, progress, collector),
        InputFormat::Parquet => read_parquet(path, map, progress, collector),
    }
}

fn open(path: &Path) -> Result<File> {
    let f = File::open(path).map_err(|e| IoError::file(path, e))?;
    let meta = f.metadata().map_err(|e| IoError::file(path, e))?;
    if meta.is_dir() {
        return Err(IoError::file(
            path,
            std::io::Error::other("is a directory, not a file"),
        ));
    }
    Ok(f)
}

fn source(path: &Path) -> String {
    path.display().to_string()
}

// ---------------------------------------------------------------- rows of cells (CSV, Excel)
// ---------------------------------------------------------------- CSV
// ---------------------------------------------------------------- Excel
// ---------------------------------------------------------------- JSON
// ---------------------------------------------------------------- Arrow IPC, Parquet
#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn delimiters_and_encodings() {
        assert_eq!(sniff_delimiter("a;b;c\n1;2,5;3\n"), b';');
        assert_eq!(sniff_delimiter("a\tb\tc\n1\t2\t3\n"), b'\t');
        assert_eq!(sniff_delimiter("\"a;x\",b,c\n1,2,3\n"), b',');
        assert_eq!(sniff_encoding(b"\xEF\xBB\xBFa,b"), encoding_rs::UTF_8);
        assert_eq!(sniff_encoding(b"\xFF\xFEa\0b\0"), encoding_rs::UTF_16LE);
        assert_eq!(sniff_encoding(b"a\0b\0c\0d\0"), encoding_rs::UTF_16LE);
        assert_eq!(sniff_encoding("Mã".as_bytes()), encoding_rs::UTF_8);
        assert_eq!(sniff_encoding(b"M\xE3 h\xF4"), encoding_rs::WINDOWS_1258);
    }

    #[test]
    fn crlf_becomes_lf_across_chunks() {
        struct Chunks(Vec<&'static [u8]>);
        impl Read for Chunks {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                if self.0.is_empty() {
                    return Ok(0);
                }
                let c = self.0[0];
                let n = c.len().min(buf.len());
                buf[..n].copy_from_slice(&c[..n]);
                if n == c.len() {
                    self.0.remove(0);
                } else {
                    self.0[0] = &c[n..];
                }
                Ok(n)
            }
        }
        let mut r = CrLf {
            inner: Chunks(vec![b"a\r", b"\nb\rc\r", b"\r", b"\n", b"d\r"]),
            pending_cr: false,
        };
        let mut out = Vec::new();
        r.read_to_end(&mut out).unwrap_or_default();
        assert_eq!(out, b"a\nb\rc\r\nd\r");
    }
}
