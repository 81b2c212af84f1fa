//! An Excel workbook's dossier sheet as Arrow columns: the same sheet, header row, skipped blank
//! rows and cells as the row reader's (`rows::excel`), one column per header that feeds a field.

use super::{Columns, Fast, NumericCodes, Typed};
use crate::read::cell::Cell;
use crate::read::columns::{ColumnMap, RecordKind};
use crate::read::fast::NotFast;
use crate::read::rows::{excel_cell, excel_text, find_header, HEADER_SEARCH};
use arrow::record_batch::RecordBatch;
use std::borrow::Cow;
use std::path::Path;

/// A cell as a column holds it: the cell the row reader reads, with empty text as empty (every
/// reading of a cell treats the two alike).
fn typed<'a>(c: Cell<'a>) -> Typed<'a> {
    match c {
        Cell::Empty => Typed::Null,
        Cell::Str("") => Typed::Null,
        Cell::Str(s) => Typed::Text(Cow::Borrowed(s)),
        Cell::Int(i) => Typed::Int(i),
        Cell::Float(x) => Typed::Float(x),
        Cell::Bool(b) => Typed::Bool(b),
        Cell::Date(d) => Typed::Date(d),
        Cell::DateTime(t) => Typed::Time(t),
        // Sheets hold no JSON values.
        Cell::Json(v) => Typed::Text(Cow::Owned(v.to_string())),
    }
}

/// The dossier sheet's columns, handed to `sink` a batch at a time; `Err` when the row reader
/// must read the workbook (it also gives the error of a workbook it cannot read).
pub(super) fn gather_sheet(
    path: &Path,
    map: &ColumnMap,
    sink: &mut dyn FnMut(RecordBatch) -> Fast<()>,
    numeric: &mut NumericCodes,
) -> Fast<()> {
    use calamine::Reader;
    // calamine trusts indexes written in the file and can panic on a corrupt workbook: its calls
    // go through the decoder guard, and a failure leaves the workbook to the row reader, which
    // gives the error.
    let guard = |m: String| NotFast(format!("not a readable spreadsheet: {m}"));
    let mut book = crate::read::decoder::call(|| calamine::open_workbook_auto(path))
        .map_err(guard)?
        .map_err(|e| NotFast(format!("not a readable spreadsheet: {e}")))?;
    for i in 0..book.sheet_names().len() {
        let Some(range) =
            crate::read::decoder::call(|| book.worksheet_range_at(i)).map_err(guard)?
        else {
            continue;
        };
        let range = range.map_err(|e| NotFast(format!("a sheet cannot be read: {e}")))?;
        let (row0, _) = range.start().unwrap_or((0, 0));
        let candidates: Vec<Vec<String>> = range
            .rows()
            .take(HEADER_SEARCH)
            .map(|r| r.iter().map(excel_text).collect())
            .collect();
        let Ok((h, resolution)) = find_header(RecordKind::Dossier, map, &candidates) else {
            continue;
        };
        let mut columns = Columns::new(RecordKind::Dossier, map, sink, numeric);
        let mut wanted = Vec::new();
        for (k, spec) in resolution.columns.iter().enumerate() {
            if let Some(spec) = spec {
                let name = candidates[h].get(k).cloned().unwrap_or_default();
                wanted.push((k, columns.add(&name, spec)?));
            }
        }
        for (k, r) in range.rows().enumerate().skip(h + 1) {
            if r.iter()
                .all(|c| matches!(c, calamine::Data::Empty) || excel_text(c).is_empty())
            {
                continue;
            }
            let row = row0 as usize + k + 1;
            for &(at, col) in &wanted {
                let cell = r.get(at).map_or(Cell::Empty, excel_cell);
                columns.put(col, row, typed(cell))?;
            }
            columns.end_row()?;
        }
        return columns.finish();
    }
    Err(NotFast("no sheet with a dossier header".into()))
}
