//! The live scoreboard's Arrow path: record batches of sync records upserted from their columns
//! ([`Scoreboard::upsert_columns`]), read exactly as the columnar fast path reads them
//! ([`crate::read::fast::BatchColumns`]), no record built per row.

use crate::read::columns::ColumnMap;
use crate::read::fast::{read_columns, BatchColumns, NotFast};
use crate::read::intern::Codes;
use arrow::record_batch::RecordBatch;
use chiso::live::{LiveError, Scoreboard, Upserted};
use std::borrow::Cow;

/// Rows converted at a time (a slice of a batch: no copy).
const SLICE: usize = 65_536;

/// One converted slice and its code tables.
struct Converted<'b> {
    cols: BatchColumns<'b>,
    units: Codes,
    procedures: Codes,
}

/// Upserts the sync records of `batches` from their columns. Every batch is converted before
/// any is applied, so a table the columnar reader cannot take (`Ok(Err(why))`: nested portal
/// lists, text dates it does not read, fee waits with `fee_wait_stops_clock`, …) changes
/// nothing and the caller upserts its records instead.
pub fn upsert_batches(
    board: &mut Scoreboard,
    batches: &[RecordBatch],
    map: &ColumnMap,
) -> Result<Result<Upserted, NotFast>, LiveError> {
    let fee_wait = board.config().options.fee_wait_stops_clock;
    let slices: Vec<RecordBatch> = batches
        .iter()
        .flat_map(|b| {
            (0..b.num_rows())
                .step_by(SLICE)
                .map(move |at| b.slice(at, SLICE.min(b.num_rows() - at)))
        })
        .collect();
    let mut converted = Vec::with_capacity(slices.len());
    let mut base = 0;
    for s in &slices {
        let (mut units, mut procedures) = (Codes::default(), Codes::default());
        match read_columns(s, map, fee_wait, base, (&mut units, &mut procedures), true) {
            Ok(cols) => converted.push(Converted {
                cols,
                units,
                procedures,
            }),
            Err(why) => return Ok(Err(why)),
        }
        base += s.num_rows();
    }
    let mut total = Upserted::default();
    for c in &converted {
        // Ids as the row reader reads them: every white space removed (rarely any).
        let ids: Vec<Cow<'_, str>> = c
            .cols
            .ids
            .iter()
            .map(|id| {
                let id = id.as_deref().unwrap_or_default();
                if id.contains(char::is_whitespace) {
                    Cow::Owned(id.chars().filter(|ch| !ch.is_whitespace()).collect())
                } else {
                    Cow::Borrowed(id)
                }
            })
            .collect();
        let ids: Vec<&str> = ids.iter().map(|s| s.as_ref()).collect();
        let done = board.upsert_columns(
            &c.cols.columns(),
            &c.units.refs(),
            &c.procedures.refs(),
            &ids,
            &c.cols.synced,
        )?;
        total.added += done.added;
        total.replaced += done.replaced;
        total.stale += done.stale;
        total.unchanged += done.unchanged;
    }
    Ok(Ok(total))
}
