//! Excel and OpenDocument workbooks (XLSX, XLS, ODS) through calamine.

use super::*;
use crate::error::{IoError, Result};
use crate::read::cell::{Build, Cell, Collector};
use crate::read::columns::ColumnMap;
use crate::read::records::Records;
use std::path::Path;

pub(super) fn excel_cell(d: &calamine::Data) -> Cell<'_> {
    use calamine::Data;
    match d {
        Data::Empty => Cell::Empty,
        Data::Int(i) => Cell::Int(*i),
        Data::Float(x) => Cell::Float(*x),
        Data::String(s) => Cell::Str(s),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => {
            let x = dt.as_f64();
            match crate::read::cell::excel_serial(x) {
                Some(crate::read::cell::When::Day(d)) => Cell::Date(d),
                Some(crate::read::cell::When::At(t)) => Cell::DateTime(t),
                None => Cell::Float(x),
            }
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Str(s),
        // An error cell (#N/A, #VALUE!) fails any typed field and is text elsewhere.
        Data::Error(_) => Cell::Str("#ERROR"),
    }
}

pub(super) fn excel_text(d: &calamine::Data) -> String {
    excel_cell(d).text().unwrap_or_default()
}

pub(super) fn read_excel<B: Build>(
    path: &Path,
    map: &ColumnMap,
    progress: &mut dyn FnMut(usize),
    collector: Collector<'_, B>,
) -> Result<Records<B>> {
    use calamine::Reader;
    open(path)?;
    // calamine trusts indexes written in the file (a shared-string index panicked, found by
    // the fuzz target xlsx_bytes): its calls go through the decoder guard.
    let unreadable = |e: String| IoError::format(path, format!("not a readable spreadsheet: {e}"));
    let mut book = crate::read::decoder::call(|| calamine::open_workbook_auto(path))
        .map_err(unreadable)?
        .map_err(|e| unreadable(e.to_string()))?;
    let names = book.sheet_names();
    let mut first_error = None;
    for (i, name) in names.iter().enumerate() {
        let sheet = crate::read::decoder::call(|| book.worksheet_range_at(i))
            .map_err(|m| IoError::format(path, format!("sheet {name:?} cannot be read: {m}")))?;
        let Some(range) = sheet else {
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
