//! The columnar fast path: classify and tally dossiers held as columns (as Arrow, Parquet and
//! dataframes hold them) in one pass, with interned unit and procedure codes, no allocation per
//! row, and the work split across threads. The rules are not re-implemented: each row is read
//! straight from the columns into the integer form the rules work on ([`Times`], [`RowFacts`])
//! and judged by the same functions as the record path ([`classify_at`], [`Counts::add_row`]), so the two paths cannot drift apart (a test checks they give identical
//! tallies).

use crate::classify::{classify_at, Exclusion, Frame, Progress, Times, Waits};
use crate::model::{Channel, Dossier, PaymentGateway, Procedure, Status, StatutoryTime, Wait};
use crate::moment::Range;
use crate::tally::{Accounting, Counts, RowFacts, Tally, TallyContext};
use crate::verdicts::RowVerdict;

pub use crate::model::flag;
pub use crate::moment::{millis_of, time_of, NO_TIME};

/// Dossiers as columns of equal length. Times are milliseconds since 1970-01-01 00:00 in
/// Vietnam local time ([`NO_TIME`] when missing); codes are indices into the caller's code lists;
/// `status` 0 means missing (inferred from the dates), `channel` 0 means direct.
#[derive(Clone, Copy, Debug, Default)]
pub struct DossierColumns<'a> {
    /// Unit index of each row (into the caller's unit codes).
    pub unit: &'a [u32],
    /// Procedure index of each row (into the procedure codes).
    pub procedure: &'a [u32],
    /// [`Status`] code; 0: missing.
    pub status: &'a [u8],
    /// [`Channel`] code; 0: direct.
    pub channel: &'a [u8],
    /// Receipt time.
    pub received: &'a [i64],
    /// Appointment (due) time.
    pub due: &'a [i64],
    /// New appointment given with an apology letter.
    pub rescheduled_due: &'a [i64],
    /// When processing finished.
    pub finished: &'a [i64],
    /// When the result was returned.
    pub returned: &'a [i64],
    /// Sum of the fee lines.
    pub fee_total: &'a [f64],
    /// [`PaymentGateway`] code.
    pub paid_online: &'a [u8],
    /// Yes/no facts as [`flag`] bits.
    pub flags: &'a [u8],
    /// Supplement requests of row i are `supplement_requested[offsets[i]..offsets[i + 1]]`
    /// (with `supplement_completed` alongside); empty offsets mean no supplements at all.
    pub supplement_offsets: &'a [u32],
    /// When each supplement was requested (see `supplement_offsets`).
    pub supplement_requested: &'a [i64],
    /// When each supplement was completed ([`NO_TIME`]: outstanding).
    pub supplement_completed: &'a [i64],
}

/// Why columns cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnsError(pub String);

impl std::fmt::Display for ColumnsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'a> DossierColumns<'a> {
    /// Rows in the batch.
    pub fn len(&self) -> usize {
        self.unit.len()
    }
    /// No rows.
    pub fn is_empty(&self) -> bool {
        self.unit.is_empty()
    }

    /// Checks that every column has the same length (optional ones may be empty) and that
    /// supplement offsets are well formed.
    pub fn validate(&self) -> Result<(), ColumnsError> {
        let n = self.len();
        let same = |name: &str, len: usize, optional: bool| {
            if len == n || (optional && len == 0) {
                Ok(())
            } else {
                Err(ColumnsError(format!(
                    "column {name} has {len} values, expected {n}"
                )))
            }
        };
        same("procedure", self.procedure.len(), false)?;
        same("received", self.received.len(), false)?;
        same("status", self.status.len(), true)?;
        same("channel", self.channel.len(), true)?;
        same("due", self.due.len(), true)?;
        same("rescheduled_due", self.rescheduled_due.len(), true)?;
        same("finished", self.finished.len(), true)?;
        same("returned", self.returned.len(), true)?;
        same("fee_total", self.fee_total.len(), true)?;
        same("paid_online", self.paid_online.len(), true)?;
        same("flags", self.flags.len(), true)?;
        if !self.supplement_offsets.is_empty() {
            if self.supplement_offsets.len() != n + 1 {
                return Err(ColumnsError(
                    "supplement_offsets must have one more value than rows".into(),
                ));
            }
            let last = self.supplement_offsets[n] as usize;
            if self.supplement_offsets.windows(2).any(|w| w[0] > w[1])
                || last > self.supplement_requested.len()
                || last > self.supplement_completed.len()
            {
                return Err(ColumnsError(
                    "supplement offsets are not increasing within the value columns".into(),
                ));
            }
        }
        Ok(())
    }

    /// A sub-range of rows.
    fn slice(&self, from: usize, to: usize) -> DossierColumns<'a> {
        let s = |v: &'a [i64]| if v.is_empty() { v } else { &v[from..to] };
        let s8 = |v: &'a [u8]| if v.is_empty() { v } else { &v[from..to] };
        DossierColumns {
            unit: &self.unit[from..to],
            procedure: &self.procedure[from..to],
            status: s8(self.status),
            channel: s8(self.channel),
            received: &self.received[from..to],
            due: s(self.due),
            rescheduled_due: s(self.rescheduled_due),
            finished: s(self.finished),
            returned: s(self.returned),
            fee_total: if self.fee_total.is_empty() {
                self.fee_total
            } else {
                &self.fee_total[from..to]
            },
            paid_online: s8(self.paid_online),
            flags: s8(self.flags),
            supplement_offsets: if self.supplement_offsets.is_empty() {
                self.supplement_offsets
            } else {
                &self.supplement_offsets[from..=to]
            },
            supplement_requested: self.supplement_requested,
            supplement_completed: self.supplement_completed,
        }
    }
}

fn at<T: Copy + Default>(v: &[T], i: usize) -> T {
    v.get(i).copied().unwrap_or_default()
}

/// Per-procedure facts the rules read, looked up once per batch instead of once per row.
#[derive(Clone, Copy, Default)]
struct ProcedureFacts<'p> {
    paper_result: bool,
    full_process_eligible: bool,
    statutory: Option<&'p StatutoryTime>,
}

/// Column bytes to the model's enums, exactly as their `TryFrom` conversions (with the record
/// path's defaults for codes that are not valid); also reads a row's times and facts, for the
/// tally here and the live scoreboard's column path alike.
pub(crate) struct Codes {
    status: [Option<Status>; 256],
    channel: [Channel; 256],
    paid_online: [bool; 256],
    range: Range,
}

impl Codes {
    /// Row `i`'s times (values no calendar time can have count as missing) and status (inferred
    /// from the times when missing or invalid).
    #[inline]
    pub(crate) fn times_and_status(&self, cols: &DossierColumns<'_>, i: usize) -> (Times, Status) {
        let time = |v: &[i64]| v.get(i).map_or(NO_TIME, |&ms| self.range.check(ms));
        let x = Times {
            received: time(cols.received),
            due: time(cols.due),
            rescheduled_due: time(cols.rescheduled_due),
            finished: time(cols.finished),
            returned: time(cols.returned),
        };
        let status = self.status[usize::from(at(cols.status, i))].unwrap_or_else(|| {
            Status::inferred(
                x.returned != NO_TIME,
                x.finished != NO_TIME,
                x.received != NO_TIME,
            )
        });
        (x, status)
    }

    /// Row `i`'s supplement requests.
    #[inline]
    pub(crate) fn supplements<'c>(&self, cols: &DossierColumns<'c>, i: usize) -> WaitColumns<'c> {
        let (from, to) = match (
            cols.supplement_offsets.get(i),
            cols.supplement_offsets.get(i + 1),
        ) {
            (Some(&a), Some(&b)) => (a as usize, b as usize),
            _ => (0, 0),
        };
        WaitColumns {
            requested: cols.supplement_requested.get(from..to).unwrap_or_default(),
            completed: cols.supplement_completed.get(from..to).unwrap_or_default(),
            range: self.range,
        }
    }

    /// What the counters read of row `i` besides its verdict.
    #[inline]
    pub(crate) fn row_facts(
        &self,
        cols: &DossierColumns<'_>,
        i: usize,
        x: &Times,
        paper_result: bool,
        full_process_eligible: bool,
    ) -> RowFacts {
        RowFacts {
            channel: self.channel[usize::from(at(cols.channel, i))],
            has_fee: at(cols.fee_total, i) > 0.0,
            paid_online: self.paid_online[usize::from(at(cols.paid_online, i))],
            flags: at(cols.flags, i),
            paper_result,
            full_process_eligible,
            received: x.received,
        }
    }
}

impl Default for Codes {
    fn default() -> Self {
        let mut c = Codes {
            status: [None; 256],
            channel: [Channel::default(); 256],
            paid_online: [false; 256],
            range: Range::default(),
        };
        for v in 0..=u8::MAX {
            let i = usize::from(v);
            c.status[i] = Status::try_from(v).ok();
            c.channel[i] = Channel::try_from(v).unwrap_or_default();
            c.paid_online[i] = PaymentGateway::try_from(v).unwrap_or_default().is_online();
        }
        c
    }
}

/// The supplement requests of one row, read from the columns.
pub(crate) struct WaitColumns<'a> {
    requested: &'a [i64],
    completed: &'a [i64],
    range: Range,
}

impl Waits for WaitColumns<'_> {
    fn count(&self) -> usize {
        self.requested.len()
    }
    fn wait(&self, i: usize) -> (i64, i64) {
        let requested = self
            .requested
            .get(i)
            .map_or(NO_TIME, |&r| self.range.check(r));
        let completed = self
            .completed
            .get(i)
            .map_or(NO_TIME, |&c| self.range.check(c));
        (requested, completed)
    }
}

use crate::hashing::IntMap;

/// Largest unit × procedure grid indexed directly (16 MB of slot numbers); larger code sets
/// (a whole country's communes) fall back to a hash map.
const DENSE_LIMIT: usize = 1 << 22;

/// Cells keyed by (unit index, procedure index). Counters live in one vector; a cell is found
/// through a direct grid of slot numbers when the code sets are small enough (a province: 150
/// units × 2,000 procedures is 1.2 MB), else through a hash map of slot numbers.
#[derive(Default)]
struct Cells {
    /// Slot + 1 of cell (u, p) at `u * stride + p`; 0 = no cell yet. Empty when not in use.
    grid: Vec<u32>,
    stride: usize,
    slots: IntMap<u64, u32>,
    keys: Vec<u64>,
    counts: Vec<Counts>,
    /// Units with an excluded dossier (kept in the tally even if none of theirs counts).
    excluded_units: Vec<bool>,
}

fn key(u: u32, p: u32) -> u64 {
    (u64::from(u) << 32) | u64::from(p)
}

impl Cells {
    /// Gets ready for codes below `units` and `procedures`: grows the grid (with headroom, as
    /// code lists grow batch by batch) or switches to the hash map when the grid would be too big.
    fn prepare(&mut self, units: usize, procedures: usize) {
        let rows = self.grid.len().checked_div(self.stride).unwrap_or(0);
        let sparse = self.stride == usize::MAX;
        if sparse || (procedures <= self.stride && units <= rows) {
            return;
        }
        let stride = procedures.max(self.stride) * 5 / 4 + 8;
        let rows = units.max(rows) * 5 / 4 + 8;
        self.slots.clear();
        if stride.saturating_mul(rows) > DENSE_LIMIT {
            self.grid = Vec::new();
            self.stride = usize::MAX;
            for (slot, &k) in self.keys.iter().enumerate() {
                self.slots.insert(k, slot as u32);
            }
            return;
        }
        self.stride = stride;
        self.grid = vec![0; stride * rows];
        for (slot, &k) in self.keys.iter().enumerate() {
            let (u, p) = ((k >> 32) as usize, (k & 0xFFFF_FFFF) as usize);
            match self.grid.get_mut(u * stride + p).filter(|_| p < stride) {
                Some(g) => *g = slot as u32 + 1,
                None => {
                    self.slots.insert(k, slot as u32);
                }
            }
        }
    }

    #[inline]
    fn get(&mut self, u: u32, p: u32) -> &mut Counts {
        let at = (u as usize)
            .checked_mul(self.stride)
            .and_then(|r| r.checked_add(p as usize))
            .filter(|_| (p as usize) < self.stride);
        let slot = match at.and_then(|i| self.grid.get(i).map(|&s| (i, s))) {
            Some((_, s)) if s > 0 => s as usize - 1,
            Some((i, _)) => {
                let slot = self.keys.len();
                self.grid[i] = slot as u32 + 1;
                self.keys.push(key(u, p));
                self.counts.push(Counts::default());
                slot
            }
            None => {
                let next = self.keys.len() as u32;
                let slot = *self.slots.entry(key(u, p)).or_insert(next) as usize;
                if slot == self.keys.len() {
                    self.keys.push(key(u, p));
                    self.counts.push(Counts::default());
                }
                slot
            }
        };
        &mut self.counts[slot]
    }

    fn mark_excluded(&mut self, u: u32) {
        let u = u as usize;
        if u >= self.excluded_units.len() {
            self.excluded_units.resize(u + 1, false);
        }
        self.excluded_units[u] = true;
    }

    fn absorb(&mut self, o: &Cells) {
        for (u, &x) in o.excluded_units.iter().enumerate() {
            if x {
                self.mark_excluded(u as u32);
            }
        }
        for (&k, c) in o.keys.iter().zip(&o.counts) {
            self.get((k >> 32) as u32, k as u32).merge(c);
        }
    }

    fn iter(&self) -> impl Iterator<Item = (usize, usize, &Counts)> {
        self.keys
            .iter()
            .zip(&self.counts)
            .map(|(&k, c)| ((k >> 32) as usize, (k & 0xFFFF_FFFF) as usize, c))
    }
}

/// Rows counted and rows excluded, by [`Exclusion`] (turned into an [`Accounting`] once).
#[derive(Default)]
struct ChunkAccounting {
    scored: u64,
    excluded: [u64; Exclusion::ALL.len()],
}

impl ChunkAccounting {
    fn into_accounting(self) -> Accounting {
        let mut a = Accounting {
            scored: self.scored,
            ..Accounting::default()
        };
        for (&e, n) in Exclusion::ALL.iter().zip(self.excluded) {
            if n > 0 {
                a.exclude_n(e, n);
            }
        }
        a
    }
}

/// Classifies and tallies a chunk of rows; with `out`, also appends each row's verdict, in row
/// order.
fn tally_chunk(
    cols: &DossierColumns<'_>,
    procs: &[ProcedureFacts<'_>],
    codes: &Codes,
    ctx: &TallyContext<'_>,
    cells: &mut Cells,
    mut out: Option<&mut Vec<RowVerdict>>,
) -> Accounting {
    let units = cols.unit.iter().max().map_or(0, |&u| u as usize + 1);
    cells.prepare(units, procs.len());
    let mut acc = ChunkAccounting::default();
    let frame = Frame::new(&ctx.period, ctx.evaluated_at());
    let no_fee_waits: &[Wait] = &[];
    for i in 0..cols.len() {
        let (x, status) = codes.times_and_status(cols, i);
        let (u, p) = (cols.unit[i], cols.procedure[i]);
        let facts = procs.get(p as usize).copied().unwrap_or_default();
        let supplements = codes.supplements(cols, i);
        let judged = classify_at(
            status,
            &x,
            &supplements,
            no_fee_waits,
            facts.statutory,
            &frame,
            &ctx.options,
            ctx.calendar,
        );
        let row = codes.row_facts(cols, i, &x, facts.paper_result, facts.full_process_eligible);
        if let Some(out) = out.as_deref_mut() {
            out.push(RowVerdict { judged, facts: row });
        }
        let (s, v) = match judged {
            Ok(sv) => sv,
            Err(e) => {
                acc.excluded[e as usize] += 1;
                cells.mark_excluded(u);
                continue;
            }
        };
        cells.get(u, p).add_row(&row, s, &v);
        acc.scored += 1;
        if v.progress == Progress::NoDeadline {
            acc.excluded[Exclusion::NoDeadline as usize] += 1;
        }
    }
    acc.into_accounting()
}

/// A tally fed column batches one after another (codes are indices into lists that may grow
/// between batches), turned into a [`Tally`] once at the end. Each worker thread keeps its own
/// cells across batches; they are added together once, in [`ColumnarTally::finish`].
#[derive(Default)]
pub struct ColumnarTally {
    shards: Vec<Cells>,
    accounting: Accounting,
    /// Built once, not per batch (the invalid codes' error messages are allocated).
    codes: Codes,
}

impl ColumnarTally {
    /// An empty tally.
    pub fn new() -> Self {
        Self::default()
    }

    /// Classifies and tallies one batch. `procedure_codes` must cover every index in the batch;
    /// `threads` splits the rows (1 = this thread only).
    pub fn add(
        &mut self,
        cols: &DossierColumns<'_>,
        procedure_codes: &[&str],
        ctx: &TallyContext<'_>,
        threads: usize,
    ) -> Result<(), ColumnsError> {
        self.add_judged(cols, procedure_codes, ctx, threads, None)
    }

    /// [`ColumnarTally::add`], also replacing `verdicts` with the verdict of every row of the
    /// batch, in row order (for a verdict export written batch by batch).
    pub fn add_with_verdicts(
        &mut self,
        cols: &DossierColumns<'_>,
        procedure_codes: &[&str],
        ctx: &TallyContext<'_>,
        threads: usize,
        verdicts: &mut Vec<RowVerdict>,
    ) -> Result<(), ColumnsError> {
        verdicts.clear();
        self.add_judged(cols, procedure_codes, ctx, threads, Some(verdicts))
    }

    fn add_judged(
        &mut self,
        cols: &DossierColumns<'_>,
        procedure_codes: &[&str],
        ctx: &TallyContext<'_>,
        threads: usize,
        mut verdicts: Option<&mut Vec<RowVerdict>>,
    ) -> Result<(), ColumnsError> {
        cols.validate()?;
        if let Some(bad) = cols
            .procedure
            .iter()
            .find(|&&p| p as usize >= procedure_codes.len())
        {
            return Err(ColumnsError(format!("procedure index {bad} has no code")));
        }
        let procs: Vec<ProcedureFacts<'_>> = procedure_codes
            .iter()
            .map(|c| {
                ctx.procedures
                    .get(c)
                    .map_or_else(ProcedureFacts::default, |p: &&Procedure| ProcedureFacts {
                        paper_result: p.paper_result,
                        full_process_eligible: p.full_process_eligible,
                        statutory: p.statutory_time.as_ref(),
                    })
            })
            .collect();
        let n = cols.len();
        let threads = threads.clamp(1, 64).min(n.max(1) / 16_384 + 1);
        if self.shards.len() < threads {
            self.shards.resize_with(threads, Cells::default);
        }
        if threads <= 1 {
            let a = tally_chunk(
                cols,
                &procs,
                &self.codes,
                ctx,
                &mut self.shards[0],
                verdicts,
            );
            self.accounting.merge(&a);
            return Ok(());
        }
        let want = verdicts.is_some();
        let step = n.div_ceil(threads);
        std::thread::scope(|s| {
            let handles: Vec<_> = self
                .shards
                .iter_mut()
                .take(threads)
                .enumerate()
                .map(|(k, cells)| {
                    let part = cols.slice((k * step).min(n), ((k + 1) * step).min(n));
                    let (procs, codes) = (&procs, &self.codes);
                    s.spawn(move || {
                        let mut out = Vec::new();
                        let a =
                            tally_chunk(&part, procs, codes, ctx, cells, want.then_some(&mut out));
                        (a, out)
                    })
                })
                .collect();
            for h in handles {
                // A worker cannot panic on data (no unwrap on input); if one did, its share is
                // reported as an error rather than a panic crossing into the caller.
                match h.join() {
                    Ok((a, out)) => {
                        self.accounting.merge(&a);
                        if let Some(v) = verdicts.as_deref_mut() {
                            v.extend_from_slice(&out);
                        }
                    }
                    Err(_) => return Err(ColumnsError("a worker thread failed".into())),
                }
            }
            Ok(())
        })
    }

    /// The tally, keyed by the codes of the indices, and the accounting of every row.
    pub fn finish(
        mut self,
        unit_codes: &[&str],
        procedure_codes: &[&str],
        period: &crate::period::Period,
    ) -> Result<(Tally, Accounting), ColumnsError> {
        let mut cells = if self.shards.is_empty() {
            Cells::default()
        } else {
            self.shards.swap_remove(0)
        };
        cells.prepare(unit_codes.len(), procedure_codes.len());
        for other in &self.shards {
            cells.absorb(other);
        }
        let mut tally = Tally::new();
        tally.reserve(cells.keys.len());
        tally
            .add_indexed(unit_codes, procedure_codes, period, cells.iter())
            .map_err(|(u, p)| ColumnsError(format!("code index {u}/{p} has no code")))?;
        let excluded = cells.excluded_units.iter().enumerate().filter(|(_, &x)| x);
        tally.keep_units(
            excluded.filter_map(|(u, _)| unit_codes.get(u).copied()),
            period,
        );
        Ok((tally, self.accounting))
    }
}

/// Classifies and tallies columns in one go. `unit_codes[i]` and `procedure_codes[i]` are the
/// codes of index i; `threads` splits the rows (1 = this thread only).
pub fn tally_columns(
    cols: &DossierColumns<'_>,
    unit_codes: &[&str],
    procedure_codes: &[&str],
    ctx: &TallyContext<'_>,
    threads: usize,
) -> Result<(Tally, Accounting), ColumnsError> {
    if let Some(bad) = cols.unit.iter().find(|&&u| u as usize >= unit_codes.len()) {
        return Err(ColumnsError(format!("unit index {bad} has no code")));
    }
    let mut t = ColumnarTally::new();
    t.add(cols, procedure_codes, ctx, threads)?;
    t.finish(unit_codes, procedure_codes, &ctx.period)
}

/// Owned column vectors for building batches row by row (readers reuse one, clearing it between
/// batches, so no allocation per row or per batch once warm).
#[derive(Clone, Debug, Default)]
pub struct ColumnBuffers {
    /// See [`DossierColumns::unit`].
    pub unit: Vec<u32>,
    /// See [`DossierColumns::procedure`].
    pub procedure: Vec<u32>,
    /// See [`DossierColumns::status`].
    pub status: Vec<u8>,
    /// See [`DossierColumns::channel`].
    pub channel: Vec<u8>,
    /// See [`DossierColumns::received`].
    pub received: Vec<i64>,
    /// See [`DossierColumns::due`].
    pub due: Vec<i64>,
    /// See [`DossierColumns::rescheduled_due`].
    pub rescheduled_due: Vec<i64>,
    /// See [`DossierColumns::finished`].
    pub finished: Vec<i64>,
    /// See [`DossierColumns::returned`].
    pub returned: Vec<i64>,
    /// See [`DossierColumns::fee_total`].
    pub fee_total: Vec<f64>,
    /// See [`DossierColumns::paid_online`].
    pub paid_online: Vec<u8>,
    /// See [`DossierColumns::flags`].
    pub flags: Vec<u8>,
    /// See [`DossierColumns::supplement_offsets`]; starts with 0 after [`ColumnBuffers::clear`].
    pub supplement_offsets: Vec<u32>,
    /// See [`DossierColumns::supplement_requested`].
    pub supplement_requested: Vec<i64>,
    /// See [`DossierColumns::supplement_completed`].
    pub supplement_completed: Vec<i64>,
}

impl ColumnBuffers {
    /// Empties every column, keeping their memory; ready for the first row.
    pub fn clear(&mut self) {
        self.unit.clear();
        self.procedure.clear();
        self.status.clear();
        self.channel.clear();
        self.received.clear();
        self.due.clear();
        self.rescheduled_due.clear();
        self.finished.clear();
        self.returned.clear();
        self.fee_total.clear();
        self.paid_online.clear();
        self.flags.clear();
        self.supplement_offsets.clear();
        self.supplement_offsets.push(0);
        self.supplement_requested.clear();
        self.supplement_completed.clear();
    }

    /// The buffers as a batch to tally.
    pub fn columns(&self) -> DossierColumns<'_> {
        DossierColumns {
            unit: &self.unit,
            procedure: &self.procedure,
            status: &self.status,
            channel: &self.channel,
            received: &self.received,
            due: &self.due,
            rescheduled_due: &self.rescheduled_due,
            finished: &self.finished,
            returned: &self.returned,
            fee_total: &self.fee_total,
            paid_online: &self.paid_online,
            flags: &self.flags,
            supplement_offsets: &self.supplement_offsets,
            supplement_requested: &self.supplement_requested,
            supplement_completed: &self.supplement_completed,
        }
    }
}

/// Turns row records into columns (for tests and for callers holding rows), interning codes.
pub struct OwnedColumns {
    /// Unit codes; row `unit` values index them.
    pub unit_codes: Vec<String>,
    /// Procedure codes; row `procedure` values index them.
    pub procedure_codes: Vec<String>,
    /// The columns.
    pub rows: ColumnBuffers,
}

impl OwnedColumns {
    /// Columns of these dossiers, codes interned in order of first appearance.
    pub fn from_dossiers(ds: &[Dossier]) -> Self {
        let mut units: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
        let mut procs: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
        let (mut unit_codes, mut procedure_codes) = (Vec::new(), Vec::new());
        let mut o = ColumnBuffers::default();
        o.clear();
        for d in ds {
            let next_u = units.len() as u32;
            let u = *units.entry(d.unit_code.trim()).or_insert_with(|| {
                unit_codes.push(d.unit_code.trim().to_string());
                next_u
            });
            let next_p = procs.len() as u32;
            let p = *procs.entry(d.procedure_code.trim()).or_insert_with(|| {
                procedure_codes.push(d.procedure_code.trim().to_string());
                next_p
            });
            o.unit.push(u);
            o.procedure.push(p);
            o.status.push(d.status.map_or(0, u8::from));
            o.channel.push(u8::from(d.channel));
            o.received.push(millis_of(d.received_at));
            o.due.push(millis_of(d.due_at));
            o.rescheduled_due.push(millis_of(d.rescheduled_due_at));
            o.finished.push(millis_of(d.finished_at));
            o.returned.push(millis_of(d.returned_at));
            o.fee_total.push(d.fee_total);
            o.paid_online.push(u8::from(d.paid_online));
            o.flags.push(d.flags());
            for w in &d.supplements {
                o.supplement_requested.push(millis_of(Some(w.requested_at)));
                o.supplement_completed.push(millis_of(w.completed_at));
            }
            o.supplement_offsets
                .push(o.supplement_requested.len() as u32);
        }
        Self {
            unit_codes,
            procedure_codes,
            rows: o,
        }
    }

    /// The columns as a batch to tally.
    pub fn columns(&self) -> DossierColumns<'_> {
        self.rows.columns()
    }

    /// The unit codes as `&str`, as [`ColumnarTally::finish`] takes them.
    pub fn unit_code_refs(&self) -> Vec<&str> {
        self.unit_codes.iter().map(String::as_str).collect()
    }
    /// The procedure codes as `&str`.
    pub fn procedure_code_refs(&self) -> Vec<&str> {
        self.procedure_codes.iter().map(String::as_str).collect()
    }
}
