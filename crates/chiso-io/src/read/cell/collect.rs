//! Rows into records: the row builder, and the collector that keeps records, rejects and superseded syncs.

use super::*;
use crate::read::columns::{FieldSpec, Resolution};
use crate::read::records::{Records, Reject, Superseded};
use chrono::NaiveDateTime;
use std::collections::HashMap;

/// Collects rows of one file into [`Records`]: records, rejects, and (for dossiers) the
/// records superseded by a later sync of the same id.
pub struct Collector<'s, B: Build> {
    file: String,
    rows: Vec<B>,
    row_numbers: Vec<usize>,
    synced: Vec<Option<NaiveDateTime>>,
    index: HashMap<String, usize>,
    rejects: Vec<Reject>,
    superseded: Vec<Superseded>,
    stream: Option<Stream<'s, B>>,
}

/// Records handed on one at a time instead of kept; ids are remembered only as 64-bit hashes,
/// sorted at the end to tell whether any id came twice.
pub(super) struct Stream<'s, B> {
    sink: Box<dyn FnMut(B) + 's>,
    hashes: Vec<u64>,
    hasher: std::collections::hash_map::RandomState,
    kept: usize,
}

/// Starts a row; feed its cells with [`RowBuilder::cell`], end it with [`Collector::push`].
pub struct RowBuilder<'r, B: Build> {
    acc: B::Acc,
    headers: &'r [String],
    resolution: &'r Resolution,
    errors: Vec<(String, String)>,
}

impl<'r, B: Build> RowBuilder<'r, B> {
    /// A row over these headers, resolved to fields.
    pub fn new(headers: &'r [String], resolution: &'r Resolution) -> Self {
        Self {
            acc: B::Acc::default(),
            headers,
            resolution,
            errors: Vec::new(),
        }
    }

    /// Feeds the cell of column `i` (ignored when the column feeds no field).
    pub fn cell(&mut self, i: usize, cell: &Cell<'_>) {
        let Some(Some(spec)) = self.resolution.columns.get(i) else {
            return;
        };
        if let Err(m) = B::set(&mut self.acc, spec, cell) {
            let col = self.headers.get(i).cloned().unwrap_or_default();
            self.errors.push((col, m));
        }
    }

    /// Records a cell of column `i` that could not even be read.
    pub fn cell_error(&mut self, i: usize, message: String) {
        if let Some(Some(_)) = self.resolution.columns.get(i) {
            let col = self.headers.get(i).cloned().unwrap_or_default();
            self.errors.push((col, message));
        }
    }

    /// Feeds a field by its canonical name (for readers whose keys are resolved one by one).
    pub fn field(&mut self, spec: &FieldSpec, column: &str, cell: &Cell<'_>) {
        if let Err(m) = B::set(&mut self.acc, spec, cell) {
            self.errors.push((column.to_string(), m));
        }
    }
}

impl<'s, B: Build> Collector<'s, B> {
    /// A collector of the records of `file` that keeps them.
    pub fn new(file: &str) -> Self {
        Self {
            file: file.to_string(),
            rows: Vec::new(),
            row_numbers: Vec::new(),
            synced: Vec::new(),
            index: HashMap::new(),
            rejects: Vec::new(),
            superseded: Vec::new(),
            stream: None,
        }
    }

    /// A collector that hands each kept record to `sink` instead of keeping it.
    pub fn streaming(file: &str, sink: Box<dyn FnMut(B) + 's>) -> Self {
        let mut c = Self::new(file);
        c.stream = Some(Stream {
            sink,
            hashes: Vec::new(),
            hasher: Default::default(),
            kept: 0,
        });
        c
    }

    /// The file name the records come from.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Rows seen so far (each ends in exactly one place).
    pub fn count(&self) -> usize {
        self.rows.len()
            + self.stream.as_ref().map_or(0, |s| s.kept)
            + self.rejects.len()
            + self.superseded.len()
    }

    /// Rejects a whole row.
    pub fn reject(&mut self, row: usize, column: Option<String>, message: impl Into<String>) {
        self.rejects.push(Reject {
            file: self.file.clone(),
            row,
            column,
            message: message.into(),
        });
    }

    /// Ends a row (1-based row number as the user sees it).
    pub fn push(&mut self, row: usize, b: RowBuilder<'_, B>) {
        if !b.errors.is_empty() {
            let column = b.errors.first().map(|e| e.0.clone());
            let message = b
                .errors
                .iter()
                .map(|(c, m)| format!("{c}: {m}"))
                .collect::<Vec<_>>()
                .join("; ");
            self.reject(row, column, message);
            return;
        }
        match B::finish(b.acc) {
            Err((col, m)) => self.reject(row, Some(col), m),
            Ok((rec, synced)) => self.keep(row, rec, synced),
        }
    }

    fn keep(&mut self, row: usize, rec: B, synced: Option<NaiveDateTime>) {
        if let Some(st) = &mut self.stream {
            if let Some(id) = rec.dedup_id() {
                st.hashes
                    .push(std::hash::BuildHasher::hash_one(&st.hasher, id));
            }
            st.kept += 1;
            (st.sink)(rec);
            return;
        }
        let Some(id) = rec.dedup_id().map(str::to_string) else {
            self.rows.push(rec);
            self.row_numbers.push(row);
            self.synced.push(synced);
            return;
        };
        match self.index.get(&id).copied() {
            None => {
                self.index.insert(id, self.rows.len());
                self.rows.push(rec);
                self.row_numbers.push(row);
                self.synced.push(synced);
            }
            Some(i) => {
                // The later sync wins; without sync times, the later row.
                let new_wins = synced >= self.synced[i];
                let (lost_row, won_row) = if new_wins {
                    (self.row_numbers[i], row)
                } else {
                    (row, self.row_numbers[i])
                };
                self.superseded.push(Superseded {
                    file: self.file.clone(),
                    row: lost_row,
                    id,
                    by_row: won_row,
                });
                if new_wins {
                    self.rows[i] = rec;
                    self.row_numbers[i] = row;
                    self.synced[i] = synced;
                }
            }
        }
    }

    /// The records kept, rejected and superseded.
    pub fn finish(self) -> Records<B> {
        let mut superseded = self.superseded;
        superseded.sort_by_key(|s| s.row);
        let (streamed, duplicate_ids) = match self.stream {
            None => (0, false),
            Some(mut st) => {
                st.hashes.sort_unstable();
                (st.kept, st.hashes.windows(2).any(|w| w[0] == w[1]))
            }
        };
        Records {
            rows: self.rows,
            rejects: self.rejects,
            superseded,
            streamed,
            duplicate_ids,
            synced: self.synced,
        }
    }
}
