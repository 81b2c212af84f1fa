//! The fast path for Arrow IPC and Parquet dossier files: record batches are read one at a time,
//! turned into columns with interned codes and tallied by the core's columnar path — no record
//! object per row, memory bounded by one batch plus the tally. It covers the plain typed shape
//! (strings, integers, booleans, timestamps, supplements as JSON text) that chiso writes and that
//! dataframes export; anything else (nested portal lists, text dates, bad cells, duplicate ids
//! that need "latest sync wins") makes it step aside, and the caller reads the file the ordinary
//! way, so results are always those of the row path.

mod arrays;
mod files;
mod parallel;
mod projection;
use arrays::*;
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
            verdicts: Vec::new(),
        }
    }
}

impl FastTally {
    /// Tallies one batch, or says why it cannot.
    pub fn add(
        &mut self,
        batch: &RecordBatch,
        map: &ColumnMap,
        ctx: &TallyContext<'_>,
        threads: usize,
    ) -> std::result::Result<(), NotFast> {
        let headers: Vec<&str> = batch
            .schema_ref()
            .fields()
            .iter()
            .map(|f| f.name().as_str())
            .collect();
        let res = map.resolve(RecordKind::Dossier, &headers);
        if res.check().is_err() || !res.duplicates.is_empty() {
            return not_fast("columns");
        }
        let mut col: HashMap<&'static str, &ArrayRef> = HashMap::new();
        for (i, spec) in res.columns.iter().enumerate() {
            let Some(spec) = spec else { continue };
            let a = batch.column(i);
            if !FAST_FIELDS.contains(&spec.name) {
                if a.null_count() < a.len() {
                    return not_fast(format!("column {} needs the ordinary reader", spec.name));
                }
                continue;
            }
            col.insert(spec.name, a);
        }
        check_unread(batch, &res, map)?;
        let n = batch.num_rows();
        let get = |name: &str| col.get(name).copied();
        // Row numbers in reasons count from the first row of the whole input.
        let base = self.rows;
        let id_col = get("dossier_id").ok_or_else(|| NotFast("no dossier_id".into()))?;
        // Numbers as ids: the row reader's text of each.
        let numbered: Vec<Option<String>> = if is_text(id_col) {
            Vec::new()
        } else {
            converted(id_col, "dossier_id", base, &|c| Ok(c.code()))?
        };
        let ids: Vec<Option<&str>> = if is_text(id_col) {
            strings(id_col)?
        } else {
            numbered.iter().map(|s| s.as_deref()).collect()
        };
        for id in &ids {
            let id = id
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .ok_or_else(|| NotFast("a row without a dossier id".into()))?;
            self.ids.push(hash_bytes(id.as_bytes()));
        }
        let codes =
            |c: &mut Codes, a: Option<&ArrayRef>| -> std::result::Result<Vec<u32>, NotFast> {
                Ok(match a {
                    Some(a) => code_ids(c, a)?,
                    None => vec![c.id_raw(""); n],
                })
            };
        let unit = codes(&mut self.units, get("unit_code"))?;
        let procedure = codes(&mut self.procedures, get("procedure_code"))?;
        let code_col = |name: &str,
                        lo: i64,
                        hi: i64,
                        convert: fn(&Cell<'_>) -> std::result::Result<Option<u8>, String>|
         -> std::result::Result<Vec<u8>, NotFast> {
            match get(name) {
                None => Ok(Vec::new()),
                // Integer codes directly; text, floats, flags and dictionaries as the row
                // reader converts them.
                Some(a) => match small_ints(a) {
                    Ok(v) => v
                        .into_iter()
                        .map(|v| match v {
                            None => Ok(0),
                            Some(x) if (lo..=hi).contains(&x) => Ok(x as u8),
                            _ => not_fast(format!("{name} value outside {lo}..{hi}")),
                        })
                        .collect(),
                    Err(_) => converted(a, name, base, &|c| convert(c).map(|x| x.unwrap_or(0))),
                },
            }
        };
        let status = code_col("status", 1, 10, |c| Ok(cell::status(c)?.map(u8::from)))?;
        let channel = code_col("channel", 0, 3, |c| Ok(cell::channel(c)?.map(u8::from)))?;
        let paid_online = code_col("paid_online", 0, 2, |c| Ok(cell::gateway(c)?.map(u8::from)))?;
        let time_col = |name: &str, end_of_day: bool| -> std::result::Result<Vec<i64>, NotFast> {
            get(name).map_or(Ok(Vec::new()), |a| times_as_read(a, name, base, end_of_day))
        };
        let received = match get("received_at") {
            Some(a) => times_as_read(a, "received_at", base, false)?,
            None => vec![NO_TIME; n],
        };
        let (due, rescheduled_due, finished, returned) = (
            time_col("due_at", true)?,
            time_col("rescheduled_due_at", true)?,
            time_col("finished_at", false)?,
            time_col("returned_at", false)?,
        );
        // Times scoring does not use must still be readable (the row reader rejects the row).
        for name in ["submitted_at", "synced_at"] {
            if let Some(a) = get(name).filter(|a| is_text(a)) {
                times_as_read(a, name, base, false)?;
            }
        }
        let fee_total: Vec<f64> = match get("fee_total") {
            None => Vec::new(),
            Some(a) => {
                let fees = match numbers(a) {
                    Ok(v) => v,
                    Err(_) => converted(a, "fee_total", base, &cell::fee_total)?,
                };
                fees.into_iter()
                    .map(|v| match v.unwrap_or(0.0) {
                        x if x >= 0.0 && x.is_finite() => Ok(x),
                        _ => not_fast("a negative or invalid fee"),
                    })
                    .collect::<std::result::Result<_, _>>()?
            }
        };
        let mut flags = vec![0u8; n];
        for (name, bit) in [
            ("e_result", flag::E_RESULT),
            ("digitised", flag::DIGITISED),
            ("reused_data", flag::REUSED_DATA),
            ("personal_store", flag::PERSONAL_STORE),
            ("population_data", flag::POPULATION_DATA),
            ("unsatisfied", flag::UNSATISFIED),
            ("has_petition", flag::HAS_PETITION),
            ("not_synced", flag::NOT_SYNCED),
        ] {
            if let Some(a) = get(name) {
                let yes = match booleans(a) {
                    Ok(v) => v,
                    Err(_) if name == "e_result" => {
                        converted(a, name, base, &|c| Ok(cell::e_result(c)?.unwrap_or(false)))?
                    }
                    Err(_) => converted(a, name, base, &|c| Ok(c.boolean()?.unwrap_or(false)))?,
                };
                for (f, b) in flags.iter_mut().zip(yes) {
                    if b {
                        *f |= bit;
                    }
                }
            }
        }
        if ctx.options.fee_wait_stops_clock
            && get("fee_waits").is_some_and(|a| a.null_count() < a.len())
        {
            return not_fast("fee waits with fee_wait_stops_clock");
        }
        let (mut offsets, mut requested, mut completed) = (Vec::new(), Vec::new(), Vec::new());
        if let Some(a) = get("supplements").filter(|a| a.null_count() < a.len()) {
            offsets.push(0u32);
            for s in strings(a)? {
                if let Some(s) = s.filter(|s| !s.trim().is_empty()) {
                    // The shape chiso writes is read directly; anything else the ordinary way.
                    if crate::read::plain::plain_waits(s.as_bytes(), &mut requested, &mut completed)
                    {
                        offsets.push(requested.len() as u32);
                        continue;
                    }
                    let ws =
                        waits(&Cell::Str(s)).map_err(|e| NotFast(format!("supplements: {e}")))?;
                    for w in ws {
                        requested.push(chiso::columnar::millis_of(Some(w.requested_at)));
                        completed.push(chiso::columnar::millis_of(w.completed_at));
                    }
                }
                offsets.push(requested.len() as u32);
            }
        }
        let cols = DossierColumns {
            unit: &unit,
            procedure: &procedure,
            status: &status,
            channel: &channel,
            received: &received,
            due: &due,
            rescheduled_due: &rescheduled_due,
            finished: &finished,
            returned: &returned,
            fee_total: &fee_total,
            paid_online: &paid_online,
            flags: &flags,
            supplement_offsets: &offsets,
            supplement_requested: &requested,
            supplement_completed: &completed,
        };
        let procedures = self.procedures.refs();
        match ctx.verdicts {
            None => self.tally.add(&cols, &procedures, ctx, threads),
            Some(sink) => {
                self.tally
                    .add_with_verdicts(&cols, &procedures, ctx, threads, &mut self.verdicts)
                    .map_err(|e| NotFast(e.0))?;
                let units = self.units.refs();
                for (i, v) in self.verdicts.iter().enumerate() {
                    let id = ids.get(i).copied().flatten().unwrap_or_default();
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
