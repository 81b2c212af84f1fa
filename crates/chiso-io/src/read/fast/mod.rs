//! The fast path for Arrow IPC and Parquet dossier files: record batches are read one at a time,
//! turned into columns with interned codes and tallied by the core's columnar path — no record
//! object per row, memory bounded by one batch plus the tally. It covers the plain typed shape
//! (strings, integers, booleans, timestamps, supplements as JSON text) that chiso writes and that
//! dataframes export; anything else (nested portal lists, text dates, bad cells, duplicate ids
//! that need "latest sync wins") makes it step aside, and the caller reads the file the ordinary
//! way, so results are always those of the row path.

mod arrays;
mod batch_columns;
mod files;
mod parallel;
mod projection;
mod values;
use arrays::*;
pub(crate) use batch_columns::read_columns;
pub use batch_columns::BatchColumns;
pub use files::*;
pub(crate) use parallel::*;
pub use projection::*;

pub mod cells;
pub mod csv_blocks;

use crate::read::cell::{self, waits, Cell};
use crate::read::columns::{ColumnMap, RecordKind};
use crate::read::intern::{hash_bytes, Codes};
use arrow::array::{Array, ArrayRef};
use arrow::record_batch::RecordBatch;
use chiso::columnar::{flag, ColumnarTally, DossierColumns, NO_TIME};
use chiso::tally::{Accounting, Tally, TallyContext};
use std::collections::HashMap;

/// Why the fast path stepped aside (the caller then reads the file the ordinary way).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotFast(pub String);

fn not_fast<T>(why: impl Into<String>) -> std::result::Result<T, NotFast> {
    Err(NotFast(why.into()))
}

/// The running state of a fast read.
pub struct FastTally {
    units: Codes,
    procedures: Codes,
    /// 64-bit hashes of the dossier ids seen, sorted at the end to spot duplicates (append-only
    /// while reading: cheaper than a hash set; a collision only sends the file down the ordinary
    /// path).
    ids: Vec<u64>,
    tally: ColumnarTally,
    rows: usize,
    /// Rows of the input before this tally's first row (a worker reading a later share), for
    /// the row numbers in reasons.
    first_row: usize,
    /// The batch's verdicts, when the context has a verdict sink (reused between batches).
    verdicts: Vec<chiso::verdicts::RowVerdict>,
}

impl Default for FastTally {
    fn default() -> Self {
        Self {
            units: Codes::default(),
            procedures: Codes::default(),
            ids: Vec::new(),
            tally: ColumnarTally::new(),
            rows: 0,
            first_row: 0,
            verdicts: Vec::new(),
        }
    }
}

impl FastTally {
    /// A tally whose first row is row `first_row` (from 0) of the whole input: a worker that
    /// reads a later share of it names rows as the input counts them.
    pub fn from_row(first_row: usize) -> Self {
        Self {
            first_row,
            ..Self::default()
        }
    }

    /// Tallies one batch, or says why it cannot.
    pub fn add(
        &mut self,
        batch: &RecordBatch,
        map: &ColumnMap,
        ctx: &TallyContext<'_>,
        threads: usize,
    ) -> std::result::Result<(), NotFast> {
        let base = self.first_row + self.rows;
        let b = read_columns(
            batch,
            map,
            ctx.options.fee_wait_stops_clock,
            base,
            (&mut self.units, &mut self.procedures),
            false,
        )?;
        for id in &b.ids {
            let id = id.as_deref().unwrap_or_default().trim();
            self.ids.push(hash_bytes(id.as_bytes()));
        }
        let n = b.ids.len();
        let (ids, unit, procedure) = (&b.ids, &b.unit, &b.procedure);
        let cols = b.columns();
        let procedures = self.procedures.refs();
        match ctx.verdicts {
            None => self.tally.add(&cols, &procedures, ctx, threads),
            Some(sink) => {
                self.tally
                    .add_with_verdicts(&cols, &procedures, ctx, threads, &mut self.verdicts)
                    .map_err(|e| NotFast(e.0))?;
                let units = self.units.refs();
                for (i, v) in self.verdicts.iter().enumerate() {
                    let id = ids.get(i).and_then(|c| c.as_deref()).unwrap_or_default();
                    let u = units.get(unit[i] as usize).copied().unwrap_or_default();
                    let p = procedures
                        .get(procedure[i] as usize)
                        .copied()
                        .unwrap_or_default();
                    sink.judged(id, u, p, v);
                }
                Ok(())
            }
        }
        .map_err(|e| NotFast(e.0))?;
        self.rows += n;
        Ok(())
    }

    /// The tally, the accounting of every row, and the number of rows read; or why the file
    /// needs the ordinary reader after all (duplicate ids: "latest sync wins").
    pub fn finish(
        self,
        period: &chiso::Period,
    ) -> std::result::Result<(Tally, Accounting, usize), NotFast> {
        FastRead {
            workers: vec![self],
        }
        .finish(period)
    }
}
