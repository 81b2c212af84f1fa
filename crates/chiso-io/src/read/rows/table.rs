//! The shared engine of CSV and Excel: a header row found among the first rows, then rows of cells.

use crate::read::cell::{Build, Cell, Collector, RowBuilder};
use crate::read::columns::{ColumnMap, RecordKind, Resolution};

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
pub(super) struct Table<'s, B: Build> {
    pub(super) headers: Vec<String>,
    pub(super) resolution: Resolution,
    pub(super) collector: Collector<'s, B>,
}

impl<B: Build> Table<'_, B> {
    pub(super) fn row<'c>(&mut self, row: usize, cells: impl Iterator<Item = Cell<'c>>) {
        let mut b = RowBuilder::<B>::new(&self.headers, &self.resolution);
        for (i, c) in cells.enumerate() {
            b.cell(i, &c);
        }
        self.collector.push(row, b);
    }
}
