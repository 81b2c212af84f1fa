//! Additive tallies: plain counters keyed by (unit, procedure, period). A tally over A ∪ B equals
//! tally(A) + tally(B); a parent's tally is the sum of its subtree's. Distinct-procedure indicators
//! are derived from the per-procedure rows at scoring time, so they stay right after any merge.

use crate::classify::{
    classify_at, effective_time, DeadlineSource, Exclusion, Frame, Judgement, Progress, Scope,
    Times, Verdict,
};
use crate::model::{Channel, Dossier, Petition, Procedure};
use crate::moment::{MINUTE_MS, NO_TIME};
use crate::options::{Limits, Options};
use crate::period::Period;
use crate::petition_rules::{clock_start, judge_petition};
pub use crate::row_facts::RowFacts;
use crate::verdicts::{Reads, RowVerdict, VerdictSink};
use crate::workdays::WorkCalendar;
use chrono::NaiveDateTime;
use foldhash::fast::FixedState;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

macro_rules! counters {
    ($( $(#[doc = $doc:literal])* $field:ident ),* $(,)?) => {
        /// Additive counters of one (unit, procedure, period) cell.
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(default)]
        pub struct Counts {
            $( $(#[doc = $doc])* pub $field: u64, )*
        }

        impl Counts {
            /// Names of every counter, in declaration order (column names of exports).
            pub const FIELDS: &'static [&'static str] = &[$(stringify!($field)),*];

            /// Adds another cell's counters into this one (saturating: counters decoded from
            /// bytes may be anything, and adding them must not panic).
            pub fn merge(&mut self, o: &Counts) {
                $( self.$field = self.$field.saturating_add(o.$field); )*
            }

            /// Takes another cell's counters out of this one: the inverse of [`Counts::merge`]
            /// when `o` was merged in before (the live scoreboard retracts a dossier's old
            /// contribution this way). Counters never go below zero.
            pub fn subtract(&mut self, o: &Counts) {
                $( self.$field = self.$field.saturating_sub(o.$field); )*
            }

            /// Counter values in the order of [`Counts::FIELDS`].
            pub fn values(&self) -> Vec<u64> {
                vec![$(self.$field),*]
            }

            /// Sets a counter by name; false if the name is unknown.
            pub fn set(&mut self, name: &str, value: u64) -> bool {
                match name {
                    $( stringify!($field) => { self.$field = value; true } )*
                    _ => false,
                }
            }

            /// A counter by name.
            pub fn get(&self, name: &str) -> Option<u64> {
                match name {
                    $( stringify!($field) => Some(self.$field), )*
                    _ => None,
                }
            }
        }
    };
}

counters! {
    /// Dossiers received in the period: the base of every indicator but 2.1.
    received,
    /// Dossiers received earlier and still open at the period start (option `carry_over_open`):
    /// counted in 2.1 only, so 2.1's base is `received + carried_over − no_deadline`.
    carried_over,
    /// 2.1 classes (received and carried-over dossiers alike): ended before the due day.
    early,
    /// 2.1: ended by the due moment (not early).
    on_time,
    /// 2.1: ended late, or with more than one supplement request.
    late,
    /// Open with more than one supplement request: late for 2.1 and 5.4, not overdue.
    late_repeated_supplement,
    /// Open and not yet due.
    open_within,
    /// Open and past the deadline: "hồ sơ đang giải quyết quá hạn".
    open_overdue,
    /// Judged against the statutory time because there was no due date.
    statutory_fallback,
    /// Neither due date nor statutory time: left out of 2.1 (still counted everywhere else).
    no_deadline,
    /// Ended dossiers and their total processing time (2.2), in minutes, waits subtracted.
    ended,
    /// Total processing minutes of the `ended` dossiers (2.2).
    resolution_minutes,
    /// Dossiers received at the counter.
    channel_direct,
    /// Dossiers received online.
    channel_online,
    /// Dossiers received by post.
    channel_postal,
    /// 3.3: online channel and, for paper-result procedures, an electronic result.
    online,
    /// Alternative online split: dossiers of full-process-eligible procedures, and those online.
    full_process_base,
    /// Of those, received online.
    full_process_online,
    /// 3.6: dossiers with a non-zero fee, and those paid online.
    fee_dossiers,
    /// 3.6 numerator: of those, paid online.
    paid_online,
    /// 3.5b: dossiers paid online (gateway 1 or 2) whatever their fee lines say (§6.5).
    paid_online_any,
    /// 4.1: dossiers with an electronic result.
    e_result,
    /// 4.1 option base: dossiers of paper-result procedures, and those with an e-result.
    paper_result_base,
    /// Of those, with an electronic result.
    paper_result_e_result,
    /// 4.2: components attached and, for paper-result procedures, an electronic result.
    digitised,
    /// 4.3: a component reused from digitised data.
    reused_data,
    /// 4.4: linked with the personal data store.
    personal_store,
    /// 4.5b: national population data used.
    population_data,
    /// 5.4: not rated unsatisfied, no petition about it, not late.
    satisfied,
    /// Rated unsatisfied.
    unsatisfied,
    /// With a petition filed about them.
    with_petition,
    /// 1.4: dossiers synced to the portal (all counted dossiers unless marked not synced).
    synced,
    /// 1.4: dossiers received per the national reporting system (BCQG), when supplied.
    reported_received,
    /// 1.4 fallback: the previous year's BCQG total, when supplied.
    previous_year_reported,
    /// 5.2: petitions whose clock started in the period (latest forwarding, else receipt), those
    /// handled on time or still within the limit, and those still open.
    petitions,
    /// 5.2: of those, handled on time or still within the limit.
    petitions_on_time,
    /// 5.2: of those, still open.
    petitions_open,
    /// 5.3 (and 5.1): petitions first received in the period, and those satisfied (on time, not
    /// disliked more than liked, no repeat complaint).
    petitions_received,
    /// 5.3: of those, satisfied.
    petitions_satisfied,
    /// 5.1 tracking, of petitions first received in the period: about procedures and about
    /// officials' conduct.
    petitions_procedures,
    /// 5.1: of those, about officials' conduct.
    petitions_staff,
}

impl Counts {
    /// Records one classified dossier given as its facts and verdict (the hot path). A
    /// carried-over dossier adds to 2.1 only (INDICATORS.md §5.7).
    #[inline]
    pub fn add_row(&mut self, r: &RowFacts, s: Scope, v: &Verdict) {
        self.apply_row(r, s, v, |c, n| *c += n);
    }

    /// Takes out what [`Counts::add_row`] added for the same row (counters never go below
    /// zero), without building the row's counters apart: the live scoreboard retracts a
    /// dossier's old place this way, touching only the counters the row moved.
    #[inline]
    pub fn subtract_row(&mut self, r: &RowFacts, s: Scope, v: &Verdict) {
        self.apply_row(r, s, v, |c, n| *c = c.saturating_sub(n));
    }

    /// The counters a row moves, and by how much, each given to `f`.
    #[inline]
    fn apply_row(&mut self, r: &RowFacts, s: Scope, v: &Verdict, mut f: impl FnMut(&mut u64, u64)) {
        match v.progress {
            Progress::Early => f(&mut self.early, 1),
            Progress::OnTime => f(&mut self.on_time, 1),
            Progress::Late => f(&mut self.late, 1),
            Progress::LateRepeatedSupplement => f(&mut self.late_repeated_supplement, 1),
            Progress::OpenWithinDeadline => f(&mut self.open_within, 1),
            Progress::OpenOverdue => f(&mut self.open_overdue, 1),
            Progress::NoDeadline => f(&mut self.no_deadline, 1),
        }
        f(
            &mut self.statutory_fallback,
            u64::from(v.deadline_source == DeadlineSource::Statutory),
        );
        if s == Scope::CarriedOver {
            f(&mut self.carried_over, 1);
            return;
        }
        f(&mut self.received, 1);
        if v.end != NO_TIME && r.received != NO_TIME {
            f(&mut self.ended, 1);
            let spent = v.end.saturating_sub(r.received).saturating_sub(v.waited);
            f(
                &mut self.resolution_minutes,
                (spent / MINUTE_MS).max(0) as u64,
            );
        }
        match r.channel {
            Channel::Direct => f(&mut self.channel_direct, 1),
            Channel::Online => f(&mut self.channel_online, 1),
            Channel::Postal => f(&mut self.channel_postal, 1),
        }
        let x = Reads::of(r, v.progress);
        let n = u64::from;
        f(&mut self.synced, n(x.synced));
        f(&mut self.online, n(x.online));
        if r.full_process_eligible {
            f(&mut self.full_process_base, 1);
            f(&mut self.full_process_online, n(x.online));
        }
        f(&mut self.fee_dossiers, n(x.fee));
        f(&mut self.paid_online, n(x.fee && x.paid_online));
        f(&mut self.paid_online_any, n(x.paid_online));
        f(&mut self.e_result, n(x.e_result));
        if r.paper_result {
            f(&mut self.paper_result_base, 1);
            f(&mut self.paper_result_e_result, n(x.e_result));
        }
        f(&mut self.digitised, n(x.digitised));
        f(&mut self.reused_data, n(x.reused_data));
        f(&mut self.personal_store, n(x.personal_store));
        f(&mut self.population_data, n(x.population_data));
        f(&mut self.unsatisfied, n(x.unsatisfied));
        f(&mut self.with_petition, n(x.has_petition));
        f(&mut self.satisfied, n(x.satisfied));
    }
}

/// Key of one tally cell, borrowed from the tally. `procedure` is `None` for petitions and
/// unit-level figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct TallyKey<'a> {
    /// Code of the unit.
    pub unit: &'a str,
    /// Code of the procedure; `None` for petitions and unit-level figures.
    pub procedure: Option<&'a str>,
    /// The period the counters belong to.
    pub period: &'a Period,
}

/// Codes stored once, referred to by index.
#[derive(Clone, Debug)]
struct Interner<T> {
    values: Vec<T>,
    /// foldhash, not SipHash: codes are hashed per dossier on the row path and per catalogue
    /// entry at every scorecard.
    index: HashMap<T, u32, FixedState>,
}

impl<T> Default for Interner<T> {
    fn default() -> Self {
        Self {
            values: Vec::new(),
            index: HashMap::default(),
        }
    }
}

impl<T: Clone + Eq + std::hash::Hash> Interner<T> {
    fn id(&mut self, v: &T) -> u32 {
        if let Some(&i) = self.index.get(v) {
            return i;
        }
        let i = self.values.len() as u32;
        self.values.push(v.clone());
        self.index.insert(v.clone(), i);
        i
    }
    fn get(&self, i: u32) -> &T {
        &self.values[i as usize]
    }
    /// An interner over given values; `None` if a value comes twice.
    fn from_values(values: Vec<T>) -> Option<Self> {
        let mut index = HashMap::with_capacity_and_hasher(values.len(), FixedState::default());
        for (i, v) in values.iter().enumerate() {
            if index.insert(v.clone(), i as u32).is_some() {
                return None;
            }
        }
        Some(Self { values, index })
    }
}

/// (unit, procedure + 1 or 0 for none, period) indices.
pub(crate) type CellId = (u32, u32, u32);

/// A tally laid out by interned ids, for [`crate::tally_bytes`]: the code lists and every cell
/// as (ids, counters), sorted by ids.
pub(crate) struct TallyParts<'a> {
    pub units: &'a [String],
    pub procedures: &'a [String],
    pub periods: &'a [Period],
    pub cells: Vec<(CellId, &'a Counts)>,
}

/// Counters by (unit, procedure, period). Codes are interned, so adding to a cell never
/// allocates a key; iteration order is unspecified (sort when order matters).
#[derive(Clone, Debug, Default)]
pub struct Tally {
    units: Interner<String>,
    procedures: Interner<String>,
    periods: Interner<Period>,
    cells: crate::hashing::IntMap<CellId, Counts>,
}

impl PartialEq for Tally {
    /// Equal when every (unit, procedure, period) has the same counters, whatever the interning
    /// order; empty cells are ignored.
    fn eq(&self, other: &Self) -> bool {
        let canon = |t: &Tally| {
            t.cells()
                .filter(|(_, c)| **c != Counts::default())
                .map(|(k, c)| {
                    (
                        (
                            k.unit.to_string(),
                            k.procedure.map(str::to_string),
                            k.period.clone(),
                        ),
                        *c,
                    )
                })
                .collect::<BTreeMap<_, _>>()
        };
        canon(self) == canon(other)
    }
}

/// One row of a serialised tally.
#[derive(Serialize, Deserialize)]
struct Row {
    unit: String,
    procedure: Option<String>,
    period: Period,
    counts: Counts,
}

impl Serialize for Tally {
    /// A list of rows sorted by unit, procedure and period.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut rows: Vec<Row> = self
            .cells()
            .map(|(k, c)| Row {
                unit: k.unit.to_string(),
                procedure: k.procedure.map(str::to_string),
                period: k.period.clone(),
                counts: *c,
            })
            .collect();
        rows.sort_by(|a, b| {
            (&a.unit, &a.procedure, &a.period).cmp(&(&b.unit, &b.procedure, &b.period))
        });
        rows.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Tally {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let rows = Vec::<Row>::deserialize(d)?;
        let mut t = Tally::new();
        for r in rows {
            t.cell_mut(&r.unit, r.procedure.as_deref(), &r.period)
                .merge(&r.counts);
        }
        Ok(t)
    }
}

/// What happened to each input record when building a tally; scored, excluded and rejected add
/// up to the rows. `excluded_from_2_1` counts scored dossiers that 2.1 alone leaves out (no
/// deadline), by reason: they are part of `scored`, not of `excluded`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accounting {
    /// Dossiers (and petitions) classified and counted.
    pub scored: u64,
    /// Records left out of the period's figures, by reason.
    pub excluded: BTreeMap<String, u64>,
    /// Scored dossiers that 2.1 alone leaves out, by reason.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub excluded_from_2_1: BTreeMap<String, u64>,
}

impl Accounting {
    /// All records excluded, whatever the reason.
    pub fn excluded_total(&self) -> u64 {
        self.excluded.values().sum()
    }
    /// Records `n` dossiers excluded for `e` (from the period, or from 2.1 only).
    pub fn exclude_n(&mut self, e: Exclusion, n: u64) {
        let to = if e.whole_dossier() {
            &mut self.excluded
        } else {
            &mut self.excluded_from_2_1
        };
        *to.entry(e.reason().to_string()).or_insert(0) += n;
    }
    fn exclude(&mut self, e: Exclusion) {
        self.exclude_n(e, 1);
    }
    /// Records one scored dossier with its class.
    pub fn score(&mut self, p: Progress) {
        self.scored += 1;
        if p == Progress::NoDeadline {
            self.exclude(Exclusion::NoDeadline);
        }
    }
    /// Adds another accounting into this one.
    pub fn merge(&mut self, o: &Accounting) {
        self.scored = self.scored.saturating_add(o.scored);
        for (k, v) in &o.excluded {
            let n = self.excluded.entry(k.clone()).or_insert(0);
            *n = n.saturating_add(*v);
        }
        for (k, v) in &o.excluded_from_2_1 {
            *self.excluded_from_2_1.entry(k.clone()).or_insert(0) += v;
        }
    }
}

/// Everything classification needs besides the record itself.
pub struct TallyContext<'a> {
    /// The period to classify in.
    pub period: Period,
    /// The requested evaluation moment; capped at the period end.
    pub as_of: NaiveDateTime,
    /// Options in force.
    pub options: Options,
    /// Statutory limits (petitions, catalogue).
    pub limits: Limits,
    /// Working days.
    pub calendar: &'a dyn WorkCalendar,
    /// The catalogue by procedure code (statutory times, paper results, fees).
    pub procedures: HashMap<&'a str, &'a Procedure>,
    /// Where every row's verdict goes as it is judged, when a verdict export is wanted (the
    /// readers feed it; [`TallyContext::with_verdicts`]).
    pub verdicts: Option<&'a dyn VerdictSink>,
}

impl<'a> TallyContext<'a> {
    /// A context without a verdict sink.
    pub fn new(
        period: Period,
        as_of: NaiveDateTime,
        options: Options,
        limits: Limits,
        calendar: &'a dyn WorkCalendar,
        procedures: &'a [Procedure],
    ) -> Self {
        let procedures = procedures
            .iter()
            .map(|p| (p.procedure_code.as_str(), p))
            .collect();
        Self {
            period,
            as_of,
            options,
            limits,
            calendar,
            procedures,
            verdicts: None,
        }
    }

    /// The same context, sending every row's verdict to `sink` as it is judged.
    pub fn with_verdicts(mut self, sink: &'a dyn VerdictSink) -> Self {
        self.verdicts = Some(sink);
        self
    }

    /// The evaluation time actually used.
    pub fn evaluated_at(&self) -> NaiveDateTime {
        effective_time(&self.period, self.as_of)
    }

    /// Classifies one dossier: its judgement, or why it is not counted.
    pub fn classify(&self, d: &Dossier) -> Result<(Scope, Judgement), Exclusion> {
        let (s, _, v) = self.verdict(&self.frame(), d)?;
        Ok((s, Judgement::from(v)))
    }

    /// The period and evaluation time in milliseconds, computed once for many dossiers.
    pub fn frame(&self) -> Frame {
        Frame::new(&self.period, self.evaluated_at())
    }

    /// What one dossier came to, for a verdict export: the same rules as
    /// [`TallyContext::verdict`], with the facts also for an excluded dossier.
    pub fn row_verdict(&self, frame: &Frame, d: &Dossier) -> RowVerdict {
        let p = self.procedures.get(d.procedure_code.as_str()).copied();
        let judged = classify_at(
            d.effective_status(),
            &Times::of(d),
            d.supplements.as_slice(),
            d.fee_waits.as_slice(),
            p.and_then(|p| p.statutory_time.as_ref()),
            frame,
            &self.options,
            self.calendar,
        );
        RowVerdict {
            judged,
            facts: RowFacts::of(d, p),
        }
    }

    /// [`TallyContext::verdict`], also sending the verdict to the context's verdict sink.
    fn verdict_out(
        &self,
        frame: &Frame,
        d: &Dossier,
    ) -> Result<(Scope, RowFacts, Verdict), Exclusion> {
        let r = self.row_verdict(frame, d);
        if let Some(sink) = self.verdicts {
            sink.judged(&d.dossier_id, &d.unit_code, &d.procedure_code, &r);
        }
        let (s, v) = r.judged?;
        Ok((s, r.facts, v))
    }

    /// Classifies one dossier within a [`TallyContext::frame`] and returns what its counters
    /// read: the same rules as [`TallyContext::classify`], without building a [`Judgement`].
    pub fn verdict(
        &self,
        frame: &Frame,
        d: &Dossier,
    ) -> Result<(Scope, RowFacts, Verdict), Exclusion> {
        let r = self.row_verdict(frame, d);
        let (s, v) = r.judged?;
        Ok((s, r.facts, v))
    }
}

impl Tally {
    /// An empty tally.
    pub fn new() -> Self {
        Self::default()
    }

    /// No cells.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Room for `additional` more cells without growing (their counters are large to move).
    pub fn reserve(&mut self, additional: usize) {
        self.cells.reserve(additional);
    }

    /// Number of cells.
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// The cell for a key, created empty when absent (for filling from published counts).
    pub fn cell_mut(
        &mut self,
        unit: &str,
        procedure: Option<&str>,
        period: &Period,
    ) -> &mut Counts {
        let u = self.units.id(&unit.to_string());
        let p = procedure.map_or(0, |p| self.procedures.id(&p.to_string()) + 1);
        let t = self.periods.id(period);
        self.cells.entry((u, p, t)).or_default()
    }

    /// Interned ids of a unit, a procedure and a period, for adding many cells cheaply.
    fn ids(&mut self, unit: &str, procedure: Option<&str>, period: &Period) -> CellId {
        let u = match self.units.index.get(unit) {
            Some(&i) => i,
            None => self.units.id(&unit.to_string()),
        };
        let p = match procedure {
            None => 0,
            Some(p) => match self.procedures.index.get(p) {
                Some(&i) => i + 1,
                None => self.procedures.id(&p.to_string()) + 1,
            },
        };
        (u, p, self.periods.id(period))
    }

    /// The id of a cell, its codes interned (for callers that update one cell many times).
    pub(crate) fn cell_id(
        &mut self,
        unit: &str,
        procedure: Option<&str>,
        period: &Period,
    ) -> CellId {
        self.ids(unit, procedure, period)
    }

    /// Adds one classified dossier to a cell by id ([`Counts::add_row`]).
    pub(crate) fn add_row_by_id(&mut self, id: CellId, r: &RowFacts, s: Scope, v: &Verdict) {
        self.cells.entry(id).or_default().add_row(r, s, v);
    }

    /// Takes one classified dossier out of a cell by id ([`Counts::subtract_row`]); a cell
    /// left empty is removed, as if never added (a tally built from records never holds an
    /// empty dossier cell).
    pub(crate) fn subtract_row_by_id(&mut self, id: CellId, r: &RowFacts, s: Scope, v: &Verdict) {
        if let Some(cell) = self.cells.get_mut(&id) {
            cell.subtract_row(r, s, v);
            if *cell == Counts::default() {
                self.cells.remove(&id);
            }
        }
    }

    /// Adds many cells whose codes are given by index (`unit_codes[u]`, `procedure_codes[p]`),
    /// interning each distinct code once rather than once per cell.
    pub(crate) fn add_indexed<'c>(
        &mut self,
        unit_codes: &[&str],
        procedure_codes: &[&str],
        period: &Period,
        cells: impl Iterator<Item = (usize, usize, &'c Counts)>,
    ) -> Result<(), (usize, usize)> {
        let t = self.periods.id(period);
        let mut units: Vec<Option<u32>> = vec![None; unit_codes.len()];
        let mut procedures: Vec<Option<u32>> = vec![None; procedure_codes.len()];
        for (u, p, c) in cells {
            let (Some(uid), Some(pid)) = (units.get_mut(u), procedures.get_mut(p)) else {
                return Err((u, p));
            };
            let uid = *uid.get_or_insert_with(|| self.units.id(&unit_codes[u].trim().to_string()));
            let pid = *pid.get_or_insert_with(|| {
                self.procedures.id(&procedure_codes[p].trim().to_string()) + 1
            });
            self.cells.entry((uid, pid, t)).or_default().merge(c);
        }
        Ok(())
    }

    /// Keeps units whose dossiers were all excluded in the tally, as an empty unit-level cell,
    /// so that every unit seen in the data is in the scorecard whichever path tallied it.
    pub fn keep_units<'u>(&mut self, units: impl IntoIterator<Item = &'u str>, period: &Period) {
        for unit in units {
            let unit = unit.trim();
            if !unit.is_empty() && !self.units.index.contains_key(unit) {
                self.cell_mut(unit, None, period);
            }
        }
    }

    /// Adds counters to a cell.
    pub fn add(&mut self, unit: &str, procedure: Option<&str>, period: &Period, c: &Counts) {
        let id = self.ids(unit, procedure, period);
        self.cells.entry(id).or_default().merge(c);
    }

    fn key(&self, id: &CellId) -> TallyKey<'_> {
        TallyKey {
            unit: self.units.get(id.0),
            procedure: (id.1 > 0).then(|| self.procedures.get(id.1 - 1).as_str()),
            period: self.periods.get(id.2),
        }
    }

    /// The interned id of a procedure code (as [`Tally::cells_by_id`] numbers procedures,
    /// less one).
    pub(crate) fn procedure_index(&self, code: &str) -> Option<u32> {
        self.procedures.index.get(code).copied()
    }

    /// Cells of one period by interned ids: (unit id, procedure id + 1 or 0, counters), with
    /// the code lists the ids index — so a caller resolves each distinct code once, not per cell.
    pub(crate) fn cells_by_id<'s>(
        &'s self,
        period: &Period,
    ) -> (
        &'s [String],
        &'s [String],
        impl Iterator<Item = (u32, u32, &'s Counts)> + 's,
    ) {
        let wanted = self.periods.index.get(period).copied();
        let cells = self
            .cells
            .iter()
            .filter(move |(id, _)| Some(id.2) == wanted)
            .map(|(id, c)| (id.0, id.1, c));
        (&self.units.values, &self.procedures.values, cells)
    }

    /// The tally by interned ids, cells sorted (so equal tallies built the same way lay out the
    /// same).
    pub(crate) fn parts(&self) -> TallyParts<'_> {
        let mut cells: Vec<(CellId, &Counts)> = self.cells.iter().map(|(k, c)| (*k, c)).collect();
        cells.sort_unstable_by_key(|(k, _)| *k);
        TallyParts {
            units: &self.units.values,
            procedures: &self.procedures.values,
            periods: &self.periods.values,
            cells,
        }
    }

    /// A tally from code lists and cells by ids; why not, when a code repeats or an id is out
    /// of range or repeats.
    pub(crate) fn from_parts(
        units: Vec<String>,
        procedures: Vec<String>,
        periods: Vec<Period>,
        cells: Vec<(CellId, Counts)>,
    ) -> std::result::Result<Self, String> {
        let (nu, np, nt) = (units.len(), procedures.len(), periods.len());
        let mut t = Tally {
            units: Interner::from_values(units).ok_or("a unit code comes twice")?,
            procedures: Interner::from_values(procedures).ok_or("a procedure code comes twice")?,
            periods: Interner::from_values(periods).ok_or("a period comes twice")?,
            cells: Default::default(),
        };
        t.cells.reserve(cells.len());
        for ((u, p, q), c) in cells {
            if u as usize >= nu || p as usize > np || q as usize >= nt {
                return Err(format!("cell ({u}, {p}, {q}) refers to a code not listed"));
            }
            if t.cells.insert((u, p, q), c).is_some() {
                return Err(format!("cell ({u}, {p}, {q}) comes twice"));
            }
        }
        Ok(t)
    }

    /// Every cell, in no particular order.
    pub fn cells(&self) -> impl Iterator<Item = (TallyKey<'_>, &Counts)> {
        self.cells.iter().map(|(id, c)| (self.key(id), c))
    }

    /// Adds one dossier; returns why it was not counted, if it was not (its unit is kept, see
    /// [`Tally::keep_units`]).
    pub fn add_dossier(
        &mut self,
        ctx: &TallyContext<'_>,
        d: &Dossier,
    ) -> Result<Progress, Exclusion> {
        let (s, r, v) = ctx.verdict_out(&ctx.frame(), d).inspect_err(|_| {
            self.keep_units([d.unit_code.as_str()], &ctx.period);
        })?;
        self.cell_mut(
            d.unit_code.trim(),
            Some(d.procedure_code.trim()),
            &ctx.period,
        )
        .add_row(&r, s, &v);
        Ok(v.progress)
    }

    /// Adds one petition: to 5.2 when its clock started in the period, to 5.3 and 5.1 when it
    /// was first received in the period (§6.6).
    pub fn add_petition(&mut self, ctx: &TallyContext<'_>, p: &Petition) -> Result<(), Exclusion> {
        let t = ctx.evaluated_at();
        let received = p.received_at.ok_or(Exclusion::NotReceived)?;
        if received > t {
            return Err(Exclusion::AfterEvaluationTime);
        }
        let start = clock_start(p, received);
        let by_receipt = ctx.period.contains(received);
        let by_clock = ctx.period.contains(start) && start <= t;
        if !by_receipt && !by_clock {
            return Err(if ctx.period.contains(start) {
                Exclusion::AfterEvaluationTime
            } else {
                Exclusion::OutsidePeriod
            });
        }
        let j = judge_petition(p, received, t, &ctx.limits, ctx.calendar);
        let c = self.cell_mut(p.unit_code.trim(), None, &ctx.period);
        if by_clock {
            c.petitions += 1;
            c.petitions_on_time += u64::from(j.on_time);
            c.petitions_open += u64::from(j.open);
        }
        if !by_receipt {
            return Ok(());
        }
        c.petitions_received += 1;
        c.petitions_satisfied += u64::from(j.satisfied);
        match p
            .classification
            .as_deref()
            .map(str::to_lowercase)
            .as_deref()
        {
            Some("staff") | Some("officials") | Some("can_bo") => c.petitions_staff += 1,
            Some(_) => c.petitions_procedures += 1,
            None => {}
        }
        Ok(())
    }

    /// Builds a tally from dossiers and petitions, with the accounting of every record. Cells
    /// are gathered under borrowed codes first, so no key is allocated per record.
    pub fn build(
        ctx: &TallyContext<'_>,
        dossiers: &[Dossier],
        petitions: &[Petition],
    ) -> (Self, Accounting) {
        let mut acc = Accounting::default();
        let mut cells: HashMap<(&str, &str), Counts> = HashMap::new();
        let mut excluded_units: std::collections::HashSet<&str> = Default::default();
        let frame = ctx.frame();
        for d in dossiers {
            match ctx.verdict_out(&frame, d) {
                Ok((s, r, v)) => {
                    acc.score(v.progress);
                    cells
                        .entry((d.unit_code.trim(), d.procedure_code.trim()))
                        .or_default()
                        .add_row(&r, s, &v);
                }
                Err(e) => {
                    acc.exclude(e);
                    excluded_units.insert(d.unit_code.trim());
                }
            }
        }
        let mut tally = Self::new();
        for ((unit, procedure), c) in &cells {
            tally.add(unit, Some(procedure), &ctx.period, c);
        }
        tally.keep_units(excluded_units, &ctx.period);
        for p in petitions {
            match tally.add_petition(ctx, p) {
                Ok(()) => acc.scored += 1,
                Err(e) => acc.exclude(e),
            }
        }
        (tally, acc)
    }

    /// Adds another tally's counters into this one.
    pub fn merge(&mut self, other: &Tally) {
        for (k, v) in other.cells() {
            self.add(k.unit, k.procedure, k.period, v);
        }
    }

    /// The sum of two tallies.
    pub fn merged(a: &Tally, b: &Tally) -> Tally {
        let mut out = a.clone();
        out.merge(b);
        out
    }

    /// Periods present in the tally.
    pub fn periods(&self) -> Vec<Period> {
        let mut ps = self.periods.values.clone();
        ps.sort();
        ps
    }

    /// Units present in the tally.
    pub fn unit_codes(&self) -> Vec<&str> {
        let mut us: Vec<&str> = self.units.values.iter().map(String::as_str).collect();
        us.sort_unstable();
        us
    }
}

#[cfg(test)]
mod row_tests {
    use super::*;

    /// Taking a row out undoes adding it, whatever the row; and out of a cell holding two
    /// rows, it leaves exactly the other.
    #[test]
    fn subtract_row_undoes_add_row() {
        let mut rows = Vec::new();
        for (k, &progress) in Progress::ALL.iter().enumerate() {
            for scope in [Scope::CarriedOver, Scope::Received] {
                for bits in 0u8..32 {
                    let has = |b: u8| bits & (1 << b) != 0;
                    let r = RowFacts {
                        channel: [Channel::Direct, Channel::Online, Channel::Postal][k % 3],
                        has_fee: has(0),
                        paid_online: has(1),
                        flags: bits.wrapping_mul(37),
                        paper_result: has(2),
                        full_process_eligible: has(3),
                        received: if has(4) { 1_000_000 } else { NO_TIME },
                    };
                    let v = Verdict {
                        progress,
                        end: if has(1) { 90_000_000 } else { NO_TIME },
                        waited: 60_000 * i64::from(bits),
                        deadline: 50_000_000,
                        deadline_source: if has(3) {
                            DeadlineSource::Statutory
                        } else {
                            DeadlineSource::Due
                        },
                        repeated_supplement: has(2),
                    };
                    rows.push((r, scope, v));
                }
            }
        }
        let other = rows[rows.len() / 2];
        let mut alone = Counts::default();
        alone.add_row(&other.0, other.1, &other.2);
        for (r, s, v) in &rows {
            let mut c = Counts::default();
            c.add_row(r, *s, v);
            assert_ne!(c, Counts::default(), "a row moves some counter");
            c.subtract_row(r, *s, v);
            assert_eq!(c, Counts::default());
            c.add_row(&other.0, other.1, &other.2);
            c.add_row(r, *s, v);
            c.subtract_row(r, *s, v);
            assert_eq!(c, alone);
        }
    }
}
