//! One worker: parses its blocks into dossier columns and tallies them.

use super::*;
use crate::read::cell::{self, Cell};
use crate::read::fast::NotFast;
use crate::read::intern::{hash_bytes, Codes};
use crate::read::plain::plain_waits;
use chiso::columnar::{flag, ColumnarTally, NO_TIME};
use chiso::tally::TallyContext;

/// A worker's batch of dossier columns, reused from block to block.
pub(super) type Batch = chiso::columnar::ColumnBuffers;

/// One row's values before they join the batch.
pub(super) struct Row {
    pub(super) has_id: bool,
    pub(super) unit: u32,
    pub(super) procedure: u32,
    pub(super) status: u8,
    pub(super) channel: u8,
    pub(super) received: i64,
    pub(super) due: i64,
    pub(super) rescheduled_due: i64,
    pub(super) finished: i64,
    pub(super) returned: i64,
    pub(super) fee_total: f64,
    pub(super) paid_online: u8,
    pub(super) flags: u8,
    pub(super) e_code: bool,
    pub(super) e_link: bool,
    /// Any cell not blank (a blank row is skipped, as the ordinary reader does).
    pub(super) any: bool,
}

/// A worker's state: its codes, the ids it saw and its share of the tally.
pub(super) struct Worker<'p> {
    pub(super) plan: &'p Plan,
    pub(super) units: Codes,
    pub(super) procedures: Codes,
    pub(super) ids: Vec<u64>,
    pub(super) tally: ColumnarTally,
    pub(super) rows: usize,
    pub(super) batch: Batch,
    pub(super) status: CodeTable,
    pub(super) channel: CodeTable,
    pub(super) gateway: CodeTable,
    pub(super) scratch: Vec<u8>,
    pub(super) code_buf: String,
    /// The batch's dossier ids, end to end, with where each row's ends: kept only for a
    /// verdict export (the context has a verdict sink).
    pub(super) keep_ids: bool,
    pub(super) batch_ids: Vec<u8>,
    pub(super) id_ends: Vec<usize>,
    pub(super) verdicts: Vec<chiso::verdicts::RowVerdict>,
}

impl<'p> Worker<'p> {
    pub(super) fn new(plan: &'p Plan) -> Self {
        Self {
            plan,
            units: Codes::default(),
            procedures: Codes::default(),
            ids: Vec::new(),
            tally: ColumnarTally::new(),
            rows: 0,
            batch: Batch::default(),
            status: CodeTable::new(status_code),
            channel: CodeTable::new(channel_code),
            gateway: CodeTable::new(gateway_code),
            scratch: Vec::new(),
            code_buf: String::new(),
            keep_ids: false,
            batch_ids: Vec::new(),
            id_ends: Vec::new(),
            verdicts: Vec::new(),
        }
    }

    /// Parses a block of whole records and tallies it.
    pub(super) fn block(&mut self, data: &[u8], ctx: &TallyContext<'_>) -> Step<usize> {
        self.batch.clear();
        self.keep_ids = ctx.verdicts.is_some();
        self.batch_ids.clear();
        self.id_ends.clear();
        let mut p = skip_empty_lines(data, 0)?;
        while p < data.len() {
            p = self.record(data, p)?;
            p = skip_empty_lines(data, p)?;
        }
        let n = self.batch.unit.len();
        let refs = self.procedures.refs();
        match ctx.verdicts {
            None => self.tally.add(&self.batch.columns(), &refs, ctx, 1),
            Some(sink) => self
                .tally
                .add_with_verdicts(&self.batch.columns(), &refs, ctx, 1, &mut self.verdicts)
                .map(|()| {
                    let units = self.units.refs();
                    let mut from = 0;
                    for (i, v) in self.verdicts.iter().enumerate() {
                        let to = self.id_ends.get(i).copied().unwrap_or(from);
                        let id = self.batch_ids.get(from..to).unwrap_or_default();
                        from = to;
                        let code = |list: &[&'_ str], k: Option<&u32>| {
                            k.and_then(|&k| list.get(k as usize).copied())
                                .unwrap_or_default()
                                .to_string()
                        };
                        sink.judged(
                            &String::from_utf8_lossy(id),
                            &code(&units, self.batch.unit.get(i)),
                            &code(&refs, self.batch.procedure.get(i)),
                            v,
                        );
                    }
                }),
        }
        .map_err(|e| NotFast(e.0))?;
        self.rows += self.batch.unit.len();
        Ok(n)
    }

    /// Parses the record at `p` into the batch; returns where the next one starts.
    pub(super) fn record(&mut self, data: &[u8], mut p: usize) -> Step<usize> {
        let plan = self.plan;
        let id_from = self.batch_ids.len();
        let mut r = Row {
            has_id: false,
            unit: u32::MAX,
            procedure: u32::MAX,
            status: 0,
            channel: 0,
            received: NO_TIME,
            due: NO_TIME,
            rescheduled_due: NO_TIME,
            finished: NO_TIME,
            returned: NO_TIME,
            fee_total: 0.0,
            paid_online: 0,
            flags: 0,
            e_code: false,
            e_link: false,
            any: false,
        };
        let supplements_from = self.batch.supplement_requested.len();
        let mut i = 0usize;
        loop {
            let col = plan.cols.get(i).copied().unwrap_or(Col::Ignore);
            if col == Col::Ignore {
                // Passed over, not unescaped: only whether it is blank matters.
                let f = skip(data, p, plan.delimiter)?;
                r.any |= !trim(&data[f.from..f.to]).is_empty();
                p = f.next;
                i += 1;
                if f.end != Stop::Field {
                    break;
                }
                continue;
            }
            let f = field(data, p, plan.delimiter, &mut self.scratch)?;
            let v = if f.in_scratch {
                std::mem::take(&mut self.scratch)
            } else {
                Vec::new()
            };
            let value = if f.in_scratch {
                v.as_slice()
            } else {
                &data[f.from..f.to]
            };
            let res = self.value(col, value, &mut r);
            if f.in_scratch {
                self.scratch = v;
            }
            res?;
            p = f.next;
            i += 1;
            if f.end != Stop::Field {
                break;
            }
        }
        if !r.has_id {
            if r.any {
                return not_fast("a row without a dossier id (the ordinary reader rejects it)");
            }
            // A blank row: skipped, as the ordinary reader skips it.
            self.batch_ids.truncate(id_from);
            self.batch.supplement_requested.truncate(supplements_from);
            self.batch.supplement_completed.truncate(supplements_from);
            return Ok(p);
        }
        if r.e_code && r.e_link {
            r.flags |= flag::E_RESULT;
        }
        let b = &mut self.batch;
        b.unit.push(if r.unit == u32::MAX {
            code_id(&mut self.units, b"")?
        } else {
            r.unit
        });
        b.procedure.push(if r.procedure == u32::MAX {
            code_id(&mut self.procedures, b"")?
        } else {
            r.procedure
        });
        b.status.push(r.status);
        b.channel.push(r.channel);
        b.received.push(r.received);
        b.due.push(r.due);
        b.rescheduled_due.push(r.rescheduled_due);
        b.finished.push(r.finished);
        b.returned.push(r.returned);
        b.fee_total.push(r.fee_total);
        b.paid_online.push(r.paid_online);
        b.flags.push(r.flags);
        b.supplement_offsets
            .push(b.supplement_requested.len() as u32);
        if self.keep_ids {
            self.id_ends.push(self.batch_ids.len());
        }
        Ok(p)
    }

    /// Reads one cell into the row.
    #[inline]
    pub(super) fn value(&mut self, col: Col, v: &[u8], r: &mut Row) -> Step<()> {
        if !r.any && !trim(v).is_empty() {
            r.any = true;
        }
        match col {
            Col::Ignore => {}
            Col::Id => {
                let id = code(v, &mut self.code_buf)?;
                if !id.is_empty() {
                    r.has_id = true;
                    if self.keep_ids {
                        self.batch_ids.extend_from_slice(id);
                    }
                    self.ids.push(hash_bytes(id));
                }
            }
            Col::Unit => r.unit = code_id(&mut self.units, code(v, &mut self.code_buf)?)?,
            Col::Procedure => {
                r.procedure = code_id(&mut self.procedures, code(v, &mut self.code_buf)?)?
            }
            Col::Channel => r.channel = self.channel.get(v)?,
            Col::Status => r.status = self.status.get(v)?,
            Col::PaidOnline => r.paid_online = self.gateway.get(v)?,
            Col::CheckTime => {
                moment(v, false)?;
            }
            Col::Received => r.received = moment(v, false)?,
            Col::Due => r.due = moment(v, true)?,
            Col::RescheduledDue => r.rescheduled_due = moment(v, true)?,
            Col::Finished => r.finished = moment(v, false)?,
            Col::Returned => r.returned = moment(v, false)?,
            Col::FeeTotal => r.fee_total = fee(v)?,
            Col::Flag(bit) => {
                if yes_no(v)? {
                    r.flags |= bit;
                }
            }
            Col::EResult => {
                if e_result(v)? {
                    r.flags |= flag::E_RESULT;
                }
            }
            Col::EResultCode => r.e_code |= has_text(v)?,
            Col::EResultLink => r.e_link |= has_text(v)?,
            Col::PopulationDbCode => {
                if has_text(v)? {
                    r.flags |= flag::POPULATION_DATA;
                }
            }
            Col::Components => {
                if !trim(v).is_empty() {
                    let (dig, reuse, store) = cell::components(&Cell::Str(text(v)?))
                        .or_else(|e| not_fast(format!("components: {e}")))?;
                    for (on, bit) in [
                        (dig, flag::DIGITISED),
                        (reuse, flag::REUSED_DATA),
                        (store, flag::PERSONAL_STORE),
                    ] {
                        if on {
                            r.flags |= bit;
                        }
                    }
                }
            }
            Col::Supplements => {
                let t = trim(v);
                let b = &mut self.batch;
                if t.is_empty()
                    || plain_waits(t, &mut b.supplement_requested, &mut b.supplement_completed)
                {
                    return Ok(());
                }
                let ws = cell::waits(&Cell::Str(text(v)?))
                    .or_else(|e| not_fast(format!("supplements: {e}")))?;
                for w in ws {
                    b.supplement_requested
                        .push(exact_millis(Some(w.requested_at))?);
                    b.supplement_completed.push(exact_millis(w.completed_at)?);
                }
            }
            Col::FeeWaits => {
                if !trim(v).is_empty() {
                    let ws = cell::waits(&Cell::Str(text(v)?))
                        .or_else(|e| not_fast(format!("fee_waits: {e}")))?;
                    if self.plan.fee_waits_matter && !ws.is_empty() {
                        return not_fast("fee waits with fee_wait_stops_clock");
                    }
                }
            }
        }
        Ok(())
    }

    /// Sorts the ids seen (done by each worker, in parallel) and says whether one came twice.
    pub(super) fn sort_ids(&mut self) -> bool {
        self.ids.sort_unstable();
        self.ids.windows(2).any(|w| w[0] == w[1])
    }
}

/// `Cell::text` is not empty.
#[inline]
pub(super) fn has_text(v: &[u8]) -> Step<bool> {
    let t = trim(v);
    if t.is_ascii() {
        return Ok(!t.is_empty());
    }
    Ok(Cell::Str(text(v)?).text().is_some())
}

/// Whether two sorted lists share a value.
pub(super) fn share(a: &[u64], b: &[u64]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}
