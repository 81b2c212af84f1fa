//! The columnar fast path: classify and tally dossiers held as columns (as Arrow, Parquet and
//! dataframes hold them) in one pass, with interned unit and procedure codes, no allocation per
//! row, and the work split across threads. The rules are not re-implemented: each row is loaded
//! into one reused scratch [`Dossier`] and judged by the same functions as the row path, so the
//! two paths cannot drift apart (a test checks they give identical tallies).

use crate::classify::{judge, scope};
use crate::model::{Channel, Dossier, PaymentGateway, Procedure, Status, Wait};
use crate::tally::{Accounting, Counts, Tally, TallyContext};
use chrono::{DateTime, NaiveDateTime};

/// Missing value of a time column.
pub const NO_TIME: i64 = i64::MIN;

/// Flag bits of [`DossierColumns::flags`].
pub mod flag {
    pub const E_RESULT: u8 = 1;
    pub const DIGITISED: u8 = 1 << 1;
    pub const REUSED_DATA: u8 = 1 << 2;
    pub const PERSONAL_STORE: u8 = 1 << 3;
    pub const POPULATION_DATA: u8 = 1 << 4;
    pub const UNSATISFIED: u8 = 1 << 5;
    pub const HAS_PETITION: u8 = 1 << 6;
    pub const NOT_SYNCED: u8 = 1 << 7;
}

/// Dossiers as columns of equal length. Times are milliseconds since 1970-01-01 00:00 in
/// Vietnam local time ([`NO_TIME`] when missing); codes are indices into the caller's code lists;
/// `status` 0 means missing (inferred from the dates), `channel` 0 means direct.
#[derive(Clone, Copy, Debug, Default)]
pub struct DossierColumns<'a> {
    pub unit: &'a [u32],
    pub procedure: &'a [u32],
    pub status: &'a [u8],
    pub channel: &'a [u8],
    pub received: &'a [i64],
    pub due: &'a [i64],
    pub rescheduled_due: &'a [i64],
    pub finished: &'a [i64],
    pub returned: &'a [i64],
    pub fee_total: &'a [f64],
    pub paid_online: &'a [u8],
    pub flags: &'a [u8],
    /// Supplement requests of row i are `supplement_requested[offsets[i]..offsets[i + 1]]`
    /// (with `supplement_completed` alongside); empty offsets mean no supplements at all.
    pub supplement_offsets: &'a [u32],
    pub supplement_requested: &'a [i64],
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
    pub fn len(&self) -> usize {
        self.unit.len()
    }
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

/// Milliseconds since the epoch (local) to a time; `None` for [`NO_TIME`] or out of range.
pub fn time_of(ms: i64) -> Option<NaiveDateTime> {
    if ms == NO_TIME {
        return None;
    }
    DateTime::from_timestamp_millis(ms).map(|t| t.naive_utc())
}

/// A time to milliseconds since the epoch (local), [`NO_TIME`] for `None`.
pub fn millis_of(t: Option<NaiveDateTime>) -> i64 {
    t.map_or(NO_TIME, |t| t.and_utc().timestamp_millis())
}

fn at<T: Copy + Default>(v: &[T], i: usize) -> T {
    v.get(i).copied().unwrap_or_default()
}

fn time_at(v: &[i64], i: usize) -> Option<NaiveDateTime> {
    v.get(i).and_then(|&ms| time_of(ms))
}

/// Loads row `i` into the scratch dossier, reusing its buffers.
fn load(cols: &DossierColumns<'_>, i: usize, d: &mut Dossier) {
    d.status = Status::try_from(at(cols.status, i)).ok();
    d.channel = Channel::try_from(at(cols.channel, i)).unwrap_or_default();
    d.received_at = time_at(cols.received, i);
    d.due_at = time_at(cols.due, i);
    d.rescheduled_due_at = time_at(cols.rescheduled_due, i);
    d.finished_at = time_at(cols.finished, i);
    d.returned_at = time_at(cols.returned, i);
    d.fee_total = at(cols.fee_total, i);
    d.paid_online = PaymentGateway::try_from(at(cols.paid_online, i)).unwrap_or_default();
    let f = at(cols.flags, i);
    d.e_result = f & flag::E_RESULT != 0;
    d.digitised = f & flag::DIGITISED != 0;
    d.reused_data = f & flag::REUSED_DATA != 0;
    d.personal_store = f & flag::PERSONAL_STORE != 0;
    d.population_data = f & flag::POPULATION_DATA != 0;
    d.unsatisfied = f & flag::UNSATISFIED != 0;
    d.has_petition = f & flag::HAS_PETITION != 0;
    d.not_synced = f & flag::NOT_SYNCED != 0;
    d.supplements.clear();
    if let (Some(&a), Some(&b)) = (
        cols.supplement_offsets.get(i),
        cols.supplement_offsets.get(i + 1),
    ) {
        for k in a as usize..b as usize {
            if let Some(requested_at) = time_at(cols.supplement_requested, k) {
                d.supplements.push(Wait {
                    requested_at,
                    completed_at: time_at(cols.supplement_completed, k),
                });
            }
        }
    }
}

/// A multiplicative hasher for integer keys (the keys are our own indices, not user input, so
/// hash flooding is not a concern and SipHash's cost is not needed).
#[derive(Default, Clone, Copy)]
struct IntHasher(u64);

impl std::hash::Hasher for IntHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type IntMap<V> = std::collections::HashMap<u64, V, std::hash::BuildHasherDefault<IntHasher>>;

/// Cells keyed by (unit index << 32 | procedure index).
#[derive(Default)]
struct Cells {
    map: IntMap<Counts>,
}

impl Cells {
    fn get(&mut self, u: u32, p: u32) -> &mut Counts {
        self.map
            .entry((u64::from(u) << 32) | u64::from(p))
            .or_default()
    }
    fn absorb(&mut self, o: Cells) {
        for (k, c) in o.map {
            self.map.entry(k).or_default().merge(&c);
        }
    }
}

fn tally_chunk(
    cols: &DossierColumns<'_>,
    procs: &[Option<&Procedure>],
    ctx: &TallyContext<'_>,
) -> (Cells, Accounting) {
    let mut cells = Cells::default();
    let mut acc = Accounting::default();
    let mut d = Dossier::default();
    let t = ctx.evaluated_at();
    for i in 0..cols.len() {
        load(cols, i, &mut d);
        let (u, p) = (cols.unit[i], cols.procedure[i]);
        let procedure = procs.get(p as usize).copied().flatten();
        match scope(&d, &ctx.period, t, &ctx.options) {
            Ok(s) => {
                let j = judge(&d, procedure, t, &ctx.options, ctx.calendar);
                cells.get(u, p).add_dossier(&d, procedure, s, &j);
                acc.scored += 1;
            }
            Err(e) => *acc.excluded.entry(e.reason().to_string()).or_insert(0) += 1,
        }
    }
    (cells, acc)
}

/// A tally fed column batches one after another (codes are indices into lists that may grow
/// between batches), turned into a [`Tally`] once at the end.
#[derive(Default)]
pub struct ColumnarTally {
    cells: Cells,
    accounting: Accounting,
}

impl ColumnarTally {
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
        cols.validate()?;
        if let Some(bad) = cols
            .procedure
            .iter()
            .find(|&&p| p as usize >= procedure_codes.len())
        {
            return Err(ColumnsError(format!("procedure index {bad} has no code")));
        }
        let procs: Vec<Option<&Procedure>> = procedure_codes
            .iter()
            .map(|c| ctx.procedures.get(c).copied())
            .collect();
        let n = cols.len();
        let threads = threads.clamp(1, 64).min(n.max(1) / 65_536 + 1);
        if threads <= 1 {
            let (c, a) = tally_chunk(cols, &procs, ctx);
            self.cells.absorb(c);
            self.accounting.merge(&a);
            return Ok(());
        }
        let step = n.div_ceil(threads);
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|k| {
                    let part = cols.slice((k * step).min(n), ((k + 1) * step).min(n));
                    let procs = &procs;
                    s.spawn(move || tally_chunk(&part, procs, ctx))
                })
                .collect();
            for h in handles {
                // A worker cannot panic on data (no unwrap on input); if one did, its share is
                // reported as an error rather than a panic crossing into the caller.
                match h.join() {
                    Ok((c, a)) => {
                        self.cells.absorb(c);
                        self.accounting.merge(&a);
                    }
                    Err(_) => return Err(ColumnsError("a worker thread failed".into())),
                }
            }
            Ok(())
        })
    }

    /// The tally, keyed by the codes of the indices, and the accounting of every row.
    pub fn finish(
        self,
        unit_codes: &[&str],
        procedure_codes: &[&str],
        period: &crate::period::Period,
    ) -> Result<(Tally, Accounting), ColumnsError> {
        let mut tally = Tally::new();
        for (k, c) in self.cells.map {
            let (u, p) = ((k >> 32) as usize, (k & 0xFFFF_FFFF) as usize);
            let (Some(unit), Some(proc)) = (unit_codes.get(u), procedure_codes.get(p)) else {
                return Err(ColumnsError(format!("code index {u}/{p} has no code")));
            };
            tally.add(unit.trim(), Some(proc.trim()), period, &c);
        }
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

/// Turns row records into columns (for tests and for callers holding rows), interning codes.
pub struct OwnedColumns {
    pub unit_codes: Vec<String>,
    pub procedure_codes: Vec<String>,
    pub unit: Vec<u32>,
    pub procedure: Vec<u32>,
    pub status: Vec<u8>,
    pub channel: Vec<u8>,
    pub received: Vec<i64>,
    pub due: Vec<i64>,
    pub rescheduled_due: Vec<i64>,
    pub finished: Vec<i64>,
    pub returned: Vec<i64>,
    pub fee_total: Vec<f64>,
    pub paid_online: Vec<u8>,
    pub flags: Vec<u8>,
    pub supplement_offsets: Vec<u32>,
    pub supplement_requested: Vec<i64>,
    pub supplement_completed: Vec<i64>,
}

impl OwnedColumns {
    pub fn from_dossiers(ds: &[Dossier]) -> Self {
        let mut units: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
        let mut procs: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
        let mut o = OwnedColumns {
            unit_codes: Vec::new(),
            procedure_codes: Vec::new(),
            unit: Vec::with_capacity(ds.len()),
            procedure: Vec::with_capacity(ds.len()),
            status: Vec::with_capacity(ds.len()),
            channel: Vec::with_capacity(ds.len()),
            received: Vec::with_capacity(ds.len()),
            due: Vec::with_capacity(ds.len()),
            rescheduled_due: Vec::with_capacity(ds.len()),
            finished: Vec::with_capacity(ds.len()),
            returned: Vec::with_capacity(ds.len()),
            fee_total: Vec::with_capacity(ds.len()),
            paid_online: Vec::with_capacity(ds.len()),
            flags: Vec::with_capacity(ds.len()),
            supplement_offsets: vec![0],
            supplement_requested: Vec::new(),
            supplement_completed: Vec::new(),
        };
        for d in ds {
            let next_u = units.len() as u32;
            let u = *units.entry(d.unit_code.trim()).or_insert_with(|| {
                o.unit_codes.push(d.unit_code.trim().to_string());
                next_u
            });
            let next_p = procs.len() as u32;
            let p = *procs.entry(d.procedure_code.trim()).or_insert_with(|| {
                o.procedure_codes.push(d.procedure_code.trim().to_string());
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
            let bit = |b: bool, f: u8| if b { f } else { 0 };
            o.flags.push(
                bit(d.e_result, flag::E_RESULT)
                    | bit(d.digitised, flag::DIGITISED)
                    | bit(d.reused_data, flag::REUSED_DATA)
                    | bit(d.personal_store, flag::PERSONAL_STORE)
                    | bit(d.population_data, flag::POPULATION_DATA)
                    | bit(d.unsatisfied, flag::UNSATISFIED)
                    | bit(d.has_petition, flag::HAS_PETITION)
                    | bit(d.not_synced, flag::NOT_SYNCED),
            );
            for w in &d.supplements {
                o.supplement_requested.push(millis_of(Some(w.requested_at)));
                o.supplement_completed.push(millis_of(w.completed_at));
            }
            o.supplement_offsets
                .push(o.supplement_requested.len() as u32);
        }
        o
    }

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

    pub fn unit_code_refs(&self) -> Vec<&str> {
        self.unit_codes.iter().map(String::as_str).collect()
    }
    pub fn procedure_code_refs(&self) -> Vec<&str> {
        self.procedure_codes.iter().map(String::as_str).collect()
    }
}
