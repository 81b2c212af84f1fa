//! File readers for real exports: CSV (delimiter and encoding sniffed), Excel (XLSX, XLS, ODS via
//! calamine), JSON and JSON Lines (portal sync shape or canonical), Arrow IPC and Parquet. The
//! format is chosen by the file extension.
//!
//! Every reader resolves its columns through one [`ColumnMap`] and converts cells through one
//! path (`crate::convert`): rows of cells for CSV and Excel, keyed values for JSON, Arrow batches
//! for Arrow IPC and Parquet (`crate::arrow_input`). A file that cannot be read at all is an
//! [`IoError`] naming the file; a row that cannot be read is a [`crate::records::Reject`] with its
//! row and column; nothing is dropped silently.
//!
//! Memory: CSV, JSON Lines, JSON arrays, Arrow IPC and Parquet are streamed (one row or one batch
//! at a time; only the parsed records are kept). Excel files are read whole by calamine.

use crate::arrow_input::{check_schema, BatchSink};
use crate::columns::{ColumnMap, FieldSpec, RecordKind, Resolution};
use crate::convert::{Build, Cell, Collector, RowBuilder};
use crate::error::{IoError, Result};
use crate::records::Records;
use chiso::{Dossier, Petition, Procedure, Unit};
use serde_json::Value;
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
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
pub fn stream_records<B: Build + 'static>(
    path: &Path,
    map: &ColumnMap,
    progress: &mut dyn FnMut(usize),
    sink: Box<dyn FnMut(B)>,
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
    collector: Collector<B>,
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

/// How many leading rows may hold titles before the header row.
pub(crate) const HEADER_SEARCH: usize = 10;

/// Picks the header row among the first rows: the one naming the most fields with every required
/// field present.
pub(crate) fn find_header(
    kind: RecordKind,
    map: &ColumnMap,
    candidates: &[Vec<String>],
) -> std::result::Result<(usize, Resolution), String> {
    let mut best: Option<(usize, Resolution)> = None;
    for (i, row) in candidates.iter().enumerate() {
        let r = map.resolve(kind, row);
        if r.check().is_ok() && best.as_ref().is_none_or(|(_, b)| r.matched() > b.matched()) {
            best = Some((i, r));
        }
    }
    match best {
        Some(b) => Ok(b),
        None => {
            let first = candidates.first().map(Vec::as_slice).unwrap_or(&[]);
            Err(map
                .resolve(kind, first)
                .check()
                .err()
                .unwrap_or_else(|| "no header row".into()))
        }
    }
}

/// The shared engine of CSV and Excel: a header row, then data rows of cells.
struct Table<B: Build> {
    headers: Vec<String>,
    resolution: Resolution,
    collector: Collector<B>,
}

impl<B: Build> Table<B> {
    fn row<'c>(&mut self, row: usize, cells: impl Iterator<Item = Cell<'c>>) {
        let mut b = RowBuilder::<B>::new(&self.headers, &self.resolution);
        for (i, c) in cells.enumerate() {
            b.cell(i, &c);
        }
        self.collector.push(row, b);
    }
}

// ---------------------------------------------------------------- CSV

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
struct CrLf<R> {
    inner: R,
    /// A CR read at the end of the previous chunk, not yet known to precede an LF.
    pending_cr: bool,
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

fn read_csv<B: Build>(
    path: &Path,
    map: &ColumnMap,
    progress: &mut dyn FnMut(usize),
    collector: Collector<B>,
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
        .from_reader(CrLf {
            inner: BufReader::with_capacity(1 << 16, decoder),
            pending_cr: false,
        });
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

// ---------------------------------------------------------------- Excel

fn excel_cell(d: &calamine::Data) -> Cell<'_> {
    use calamine::Data;
    match d {
        Data::Empty => Cell::Empty,
        Data::Int(i) => Cell::Int(*i),
        Data::Float(x) => Cell::Float(*x),
        Data::String(s) => Cell::Str(s),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => {
            let x = dt.as_f64();
            match crate::convert::excel_serial(x) {
                Some(crate::convert::When::Day(d)) => Cell::Date(d),
                Some(crate::convert::When::At(t)) => Cell::DateTime(t),
                None => Cell::Float(x),
            }
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Str(s),
        // An error cell (#N/A, #VALUE!) fails any typed field and is text elsewhere.
        Data::Error(_) => Cell::Str("#ERROR"),
    }
}

fn excel_text(d: &calamine::Data) -> String {
    excel_cell(d).text().unwrap_or_default()
}

fn read_excel<B: Build>(
    path: &Path,
    map: &ColumnMap,
    progress: &mut dyn FnMut(usize),
    collector: Collector<B>,
) -> Result<Records<B>> {
    use calamine::Reader;
    open(path)?;
    let mut book = calamine::open_workbook_auto(path)
        .map_err(|e| IoError::format(path, format!("not a readable spreadsheet: {e}")))?;
    let names = book.sheet_names();
    let mut first_error = None;
    for (i, name) in names.iter().enumerate() {
        let Some(range) = book.worksheet_range_at(i) else {
            continue;
        };
        let range = range
            .map_err(|e| IoError::format(path, format!("sheet {name:?} cannot be read: {e}")))?;
        let (row0, _) = range.start().unwrap_or((0, 0));
        let candidates: Vec<Vec<String>> = range
            .rows()
            .take(HEADER_SEARCH)
            .map(|r| r.iter().map(excel_text).collect())
            .collect();
        let (h, resolution) = match find_header(B::KIND, map, &candidates) {
            Ok(x) => x,
            Err(m) => {
                first_error.get_or_insert(format!("sheet {name:?}: {m}"));
                continue;
            }
        };
        let mut table = Table::<B> {
            headers: candidates[h].clone(),
            resolution,
            collector,
        };
        let mut n = 0usize;
        for (k, r) in range.rows().enumerate().skip(h + 1) {
            if r.iter()
                .all(|c| matches!(c, calamine::Data::Empty) || excel_text(c).is_empty())
            {
                continue;
            }
            table.row(row0 as usize + k + 1, r.iter().map(excel_cell));
            n += 1;
            if n % PROGRESS_EVERY == 0 {
                progress(n);
            }
        }
        progress(n);
        return Ok(table.collector.finish());
    }
    Err(IoError::format(
        path,
        first_error.unwrap_or_else(|| "the workbook has no sheet".into()),
    ))
}

// ---------------------------------------------------------------- JSON

/// Feeds one JSON object (a record) into the collector; keys are resolved once and cached.
struct JsonRows<'m, B: Build> {
    map: &'m ColumnMap,
    keys: HashMap<String, Option<&'static FieldSpec>>,
    collector: Collector<B>,
    empty_headers: Vec<String>,
    empty_resolution: Resolution,
    n: usize,
}

impl<'m, B: Build> JsonRows<'m, B> {
    fn new(map: &'m ColumnMap, collector: Collector<B>) -> Self {
        let empty: [&str; 0] = [];
        Self {
            map,
            keys: HashMap::new(),
            collector,
            empty_headers: Vec::new(),
            empty_resolution: map.resolve(B::KIND, &empty),
            n: 0,
        }
    }

    fn record(&mut self, row: usize, v: &Value) {
        self.n += 1;
        let Value::Object(obj) = v else {
            self.collector
                .reject(row, None, format!("not a JSON object: {}", short(v)));
            return;
        };
        let mut b = RowBuilder::<B>::new(&self.empty_headers, &self.empty_resolution);
        for (k, val) in obj {
            let spec = match self.keys.get(k) {
                Some(s) => *s,
                None => {
                    let s = self.map.field(B::KIND, k);
                    self.keys.insert(k.clone(), s);
                    s
                }
            };
            if let Some(spec) = spec {
                b.field(spec, k, &Cell::Json(val));
            }
        }
        self.collector.push(row, b);
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s
    }
}

fn read_json<B: Build>(
    path: &Path,
    map: &ColumnMap,
    progress: &mut dyn FnMut(usize),
    collector: Collector<B>,
) -> Result<Records<B>> {
    let mut reader = BufReader::with_capacity(1 << 16, open(path)?);
    // Skip a BOM and white space to see whether this is an array or JSON Lines.
    let first = loop {
        let buf = reader.fill_buf().map_err(|e| IoError::file(path, e))?;
        if buf.is_empty() {
            break None;
        }
        if buf.starts_with(&[0xEF, 0xBB, 0xBF]) {
            reader.consume(3);
            continue;
        }
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => {
                let c = buf[i];
                reader.consume(i);
                break Some(c);
            }
            None => {
                let n = buf.len();
                reader.consume(n);
            }
        }
    };
    let mut rows = JsonRows::<B>::new(map, collector);
    match first {
        None => {}
        Some(b'[') => {
            use serde::de::Deserializer as _;
            let mut de = serde_json::Deserializer::from_reader(reader);
            de.deserialize_seq(SeqVisitor {
                rows: &mut rows,
                progress,
            })
            .map_err(|e| IoError::format(path, format!("not a JSON array of records: {e}")))?;
        }
        Some(_) => {
            let mut line = String::new();
            let mut number = 0usize;
            loop {
                line.clear();
                let read = reader
                    .read_line(&mut line)
                    .map_err(|e| IoError::file(path, e))?;
                if read == 0 {
                    break;
                }
                number += 1;
                let t = line.trim();
                if t.is_empty() {
                    continue;
                }
                match serde_json::from_str::<Value>(t) {
                    Ok(v) => rows.record(number, &v),
                    Err(e) => {
                        rows.n += 1;
                        rows.collector
                            .reject(number, None, format!("not valid JSON: {e}"))
                    }
                }
                if rows.n % PROGRESS_EVERY == 0 {
                    progress(rows.n);
                }
            }
        }
    }
    progress(rows.n);
    Ok(rows.collector.finish())
}

/// Streams the elements of a top-level JSON array into the rows, one at a time.
struct SeqVisitor<'a, 'm, B: Build> {
    rows: &'a mut JsonRows<'m, B>,
    progress: &'a mut dyn FnMut(usize),
}

impl<'de, B: Build> serde::de::Visitor<'de> for SeqVisitor<'_, '_, B> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of records")
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<(), A::Error> {
        let mut i = 0usize;
        while let Some(v) = seq.next_element::<Value>()? {
            i += 1;
            self.rows.record(i, &v);
            if i % PROGRESS_EVERY == 0 {
                (self.progress)(i);
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------- Arrow IPC, Parquet

fn read_arrow_ipc<B: Build>(
    path: &Path,
    map: &ColumnMap,
    progress: &mut dyn FnMut(usize),
    collector: Collector<B>,
) -> Result<Records<B>> {
    let mut magic = [0u8; 6];
    let is_file = open(path)?.read_exact(&mut magic).is_ok() && &magic == b"ARROW1";
    let mut sink = BatchSink::<B>::with_collector(B::KIND, collector);
    let bad =
        |e: arrow::error::ArrowError| IoError::format(path, format!("not readable Arrow IPC: {e}"));
    if is_file {
        let reader = arrow::ipc::reader::FileReader::try_new(BufReader::new(open(path)?), None)
            .map_err(bad)?;
        check_schema(&reader.schema(), map, B::KIND).map_err(|m| IoError::format(path, m))?;
        for batch in reader {
            sink.push(&batch.map_err(bad)?, map);
            progress(sink.rows_seen());
        }
    } else {
        let reader = arrow::ipc::reader::StreamReader::try_new(BufReader::new(open(path)?), None)
            .map_err(bad)?;
        check_schema(&reader.schema(), map, B::KIND).map_err(|m| IoError::format(path, m))?;
        for batch in reader {
            sink.push(&batch.map_err(bad)?, map);
            progress(sink.rows_seen());
        }
    }
    Ok(sink.finish())
}

fn read_parquet<B: Build>(
    path: &Path,
    map: &ColumnMap,
    progress: &mut dyn FnMut(usize),
    collector: Collector<B>,
) -> Result<Records<B>> {
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let bad = |e: String| IoError::format(path, format!("not readable Parquet: {e}"));
    let builder =
        ParquetRecordBatchReaderBuilder::try_new(open(path)?).map_err(|e| bad(e.to_string()))?;
    check_schema(builder.schema(), map, B::KIND).map_err(|m| IoError::format(path, m))?;
    let reader = builder
        .with_batch_size(PROGRESS_EVERY)
        .build()
        .map_err(|e| bad(e.to_string()))?;
    let mut sink = BatchSink::<B>::with_collector(B::KIND, collector);
    for batch in reader {
        sink.push(&batch.map_err(|e| bad(e.to_string()))?, map);
        progress(sink.rows_seen());
    }
    Ok(sink.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

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
