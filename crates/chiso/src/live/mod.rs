//! The live scoreboard: the index in real time. Sync records stream in (`upsert`, `remove`),
//! the clock moves (`advance`), and the scorecard of every tracked period is always current —
//! identical to batch scoring of the latest records at the same moment, because both judge with
//! the same rules ([`crate::classify`]) and count with the same counters ([`Counts`]).
//!
//! Why it is cheap: a tally is additive, so a new record retracts its predecessor's
//! contribution and adds its own; and a dossier's verdict only changes at its own moments
//! (receipt, end, a wait, the deadline), so the clock wakes only the dossiers whose moment has
//! come (`deadlines`). Pure: no I/O; [`Scoreboard::to_bytes`] / [`Scoreboard::from_bytes`]
//! give the snapshot a caller writes where it likes.

mod board;
mod changes;
mod chunked;
mod deadlines;
mod judge;
mod lifecycle;
mod rebuild;
mod snapshot;
mod state;
mod sync_record;

pub use changes::{Change, Figure, Moved, MOVED_LIMIT};
pub use lifecycle::{lifecycle, lifecycle_stream};
pub use snapshot::{SnapshotError, SNAPSHOT_VERSION};
pub use sync_record::{CanonicalSyncRecord, SyncRecord};

use crate::classify::Verdict;
use crate::error::ChisoError;
use crate::model::{Petition, Procedure, Unit, UnitTree};
use crate::moment::{millis_of, NO_TIME};
use crate::options::Options;
use crate::period::Period;
use crate::pipeline::tree_of;
use crate::profile::Profile;
use crate::score::{score, ScoreInput, Scorecard};
use crate::tally::{CellId, Counts, TallyContext};
use crate::workdays::WorkCalendar;
use board::{Board, Place};
use chrono::{Datelike, NaiveDateTime};
use deadlines::Deadlines;
use judge::Judge;
use serde::{Deserialize, Serialize};
use state::{Slot, Store, WaitLists};
use std::sync::Arc;

/// A calendar a scoreboard can keep (and share with its copies and other threads).
pub type SharedCalendar = Arc<dyn WorkCalendar + Send + Sync>;

/// What a scoreboard scores with; fixed for its life and stored in its snapshot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Config {
    /// The procedure catalogue (statutory times, catalogue indicators).
    pub procedures: Vec<Procedure>,
    /// `None`: the tree is inferred from the unit codes, as in batch scoring.
    pub units: Option<Vec<Unit>>,
    /// Petitions, judged at the clock each time a scorecard is made.
    pub petitions: Vec<Petition>,
    /// The rule profile.
    pub profile: Profile,
    /// Options in force.
    pub options: Options,
    /// Empty: the month, quarter and year containing the starting clock.
    pub periods: Vec<Period>,
}

impl Config {
    /// A configuration with the given profile and nothing else.
    pub fn new(profile: Profile) -> Self {
        Self {
            procedures: Vec::new(),
            units: None,
            petitions: Vec::new(),
            profile,
            options: Options::default(),
            periods: Vec::new(),
        }
    }
}

/// What the live scoreboard refuses.
#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum LiveError {
    /// A record without a dossier id (or one too long): the batch is refused whole.
    #[error("a sync record without a dossier id (record {0} of the batch); nothing was applied")]
    NoDossierId(usize),
    /// `advance` to a moment before the clock.
    #[error("the clock only moves forward: it is {now}, asked to go to {asked}")]
    ClockBackwards {
        /// The clock.
        now: NaiveDateTime,
        /// The earlier moment asked for.
        asked: NaiveDateTime,
    },
    /// A period the scoreboard does not track (the period, then the tracked ones).
    #[error("period {0} is not tracked by this scoreboard (tracked: {1})")]
    UnknownPeriod(String, String),
    /// Sync record columns that cannot be used.
    #[error("sync record columns: {0}")]
    Columns(String),
    /// Refused by the core (e.g. a unit tree that is not a tree).
    #[error(transparent)]
    Chiso(#[from] ChisoError),
    /// A snapshot refused.
    #[error(transparent)]
    Snapshot(#[from] SnapshotError),
}

/// Records looked up together ([`Scoreboard::gather`]) before they are applied. Enough for
/// many lookups' cache misses to overlap; few enough that what the lookups brought into the
/// cache (table lines, slots, waits: a few lines per record) is still in the 1 MB second-level
/// cache when the records are applied — gathered a whole 10,000-record batch at a time, those
/// lines were evicted again and inserting a new id met the table's control bytes cold.
const GATHER_WINDOW: usize = 512;

/// A batch record's id as [`Scoreboard::gather`] found it.
#[derive(Clone, Copy)]
enum Lookup {
    /// Tracked in this slot.
    Tracked(u32),
    /// Not tracked, and no earlier record of the window has an id with this hash: added
    /// without a second lookup. The id's hash.
    New { hash: u64 },
    /// Not tracked before the window, but an earlier record of the window has an id with this
    /// hash (most often the same id): looked up again when applied. The id's hash.
    Repeated { hash: u64 },
}

/// What an `upsert` did with its records.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Upserted {
    /// New dossier ids.
    pub added: u64,
    /// Records that replaced an older sync of their dossier.
    pub replaced: u64,
    /// Records older than the one held (an earlier `synced_at`): ignored.
    pub stale: u64,
    /// Records identical to the one held: nothing changed.
    pub unchanged: u64,
}

/// The incremental engine. See the module documentation.
///
/// # Examples
///
/// ```
/// use chiso::live::{Config, Scoreboard, SharedCalendar, SyncRecord};
/// use chiso::{Dossier, Profile, WeekdaysOnly};
/// use std::sync::Arc;
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let at = |s: &str| chiso::period::parse_moment(s);
/// let mut config = Config::new(Profile::builtin("portal-2026")?);
/// config.periods = vec!["2026-09".parse()?];
/// let calendar: SharedCalendar = Arc::new(WeekdaysOnly);
/// let mut board = Scoreboard::new(config, calendar.clone(), at("2026-09-01T07:00")?)?;
///
/// // An open dossier due Friday arrives; nothing is late yet.
/// let open = Dossier {
///     dossier_id: "A1".into(),
///     unit_code: "H99".into(),
///     received_at: Some(at("2026-09-01T08:00")?),
///     due_at: Some(at("2026-09-04T17:00")?),
///     ..Dossier::default()
/// };
/// board.upsert(&[SyncRecord { dossier: open, synced_at: Some(at("2026-09-01T08:00")?) }])?;
/// board.advance(at("2026-09-03T12:00")?)?;
/// let period = "2026-09".parse()?;
/// let on_time = |b: &Scoreboard| -> Result<f64, Box<dyn std::error::Error>> {
///     let card = b.scorecard(&period)?;
///     Ok(card.unit("H99").and_then(|u| u.indicator("2.1")).ok_or("no 2.1")?.numerator)
/// };
/// assert_eq!(on_time(&board)?, 1.0); // open within its deadline counts as on time
/// board.changes()?;
///
/// // The clock passes the deadline: the dossier turns overdue, and `changes` says so.
/// board.advance(at("2026-09-07T09:00")?)?;
/// assert_eq!(on_time(&board)?, 0.0);
/// assert!(board.changes()?.iter().any(|c| c.indicator == "2.1"));
///
/// // A snapshot holds the records; loading it gives the same scoreboard.
/// let again = Scoreboard::from_bytes(&board.to_bytes(), calendar)?;
/// assert_eq!(again.scorecard(&period)?, board.scorecard(&period)?);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Scoreboard {
    config: Arc<Config>,
    calendar: SharedCalendar,
    now: NaiveDateTime,
    /// `now` in milliseconds.
    clock: i64,
    store: Store,
    deadlines: Deadlines,
    boards: Vec<Board>,
    /// The scorecards as of the last [`Scoreboard::changes`], one per board.
    baseline: Vec<Scorecard>,
    /// Reused buffer of a dossier's places before a change.
    scratch: Vec<Option<Place>>,
    /// The caller's note of how far its input was read (e.g. a file offset), kept in the
    /// snapshot so that a restart resumes exactly where the saved state ends.
    bookmark: String,
    /// The unit tree of the last scorecard, reused while its units are the same.
    trees: TreeCache,
}

/// The last unit tree built and the [`state::Store::units_version`] it was built at. Building
/// a tree allocates every unit, a tenth of a scorecard's time, and even listing and comparing
/// the unit codes costs a few percent; the set of units with dossiers rarely changes between
/// two scorecards (petitions are fixed for a scoreboard's life).
#[derive(Default)]
struct TreeCache(std::sync::Mutex<Option<(u64, Arc<UnitTree>)>>);

impl Clone for TreeCache {
    fn clone(&self) -> Self {
        let held = self.0.lock().ok().and_then(|g| g.clone());
        Self(std::sync::Mutex::new(held))
    }
}

impl std::fmt::Debug for Scoreboard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scoreboard")
            .field("now", &self.now)
            .field("dossiers", &self.store.len())
            .field("periods", &self.periods())
            .finish()
    }
}

/// The month, quarter and year containing a moment.
pub fn default_periods(now: NaiveDateTime) -> Vec<Period> {
    let (y, m) = (now.year(), now.month());
    [
        format!("{y}-{m:02}"),
        format!("{y}-Q{}", (m - 1) / 3 + 1),
        format!("{y}"),
    ]
    .iter()
    .filter_map(|l| l.parse().ok())
    .collect()
}

impl Scoreboard {
    /// An empty scoreboard with its clock at `now`.
    pub fn new(
        config: Config,
        calendar: SharedCalendar,
        now: NaiveDateTime,
    ) -> Result<Self, LiveError> {
        let mut config = config;
        if config.periods.is_empty() {
            config.periods = default_periods(now);
        }
        config.periods.dedup();
        if let Some(units) = &config.units {
            UnitTree::new(units.clone())?;
        }
        let boards = config.periods.iter().cloned().map(Board::new).collect();
        let mut board = Self {
            store: Store::new(&config.procedures),
            config: Arc::new(config),
            calendar,
            now,
            clock: millis_of(Some(now)),
            deadlines: Deadlines::default(),
            boards,
            baseline: Vec::new(),
            scratch: Vec::new(),
            bookmark: String::new(),
            trees: TreeCache::default(),
        };
        board.baseline = board.scorecards()?;
        Ok(board)
    }

    /// The evaluation clock.
    pub fn now(&self) -> NaiveDateTime {
        self.now
    }

    /// The caller's bookmark (empty unless set), saved with the snapshot.
    pub fn bookmark(&self) -> &str {
        &self.bookmark
    }

    /// Notes how far the input was read, to be saved with the snapshot.
    pub fn set_bookmark(&mut self, bookmark: impl Into<String>) {
        self.bookmark = bookmark.into();
    }

    /// The tracked periods.
    pub fn periods(&self) -> Vec<Period> {
        self.boards.iter().map(|b| b.period.clone()).collect()
    }

    /// What it scores with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Tracked dossiers.
    pub fn len(&self) -> usize {
        self.store.len()
    }

    /// No dossier tracked.
    pub fn is_empty(&self) -> bool {
        self.store.len() == 0
    }

    /// Applies sync records: each is its dossier's full current state; of two records with one
    /// id the later `synced_at` wins, else the later arrival. The same record twice changes
    /// nothing. A record without an id refuses the whole batch.
    pub fn upsert<'r>(
        &mut self,
        records: impl IntoIterator<Item = &'r SyncRecord>,
    ) -> Result<Upserted, LiveError> {
        self.upsert_dossiers(records.into_iter().map(|r| (&r.dossier, r.synced_at)))
    }

    /// [`Scoreboard::upsert`] of dossiers with their sync times given apart (the readers'
    /// shape), without copying the records.
    pub fn upsert_dossiers<'r>(
        &mut self,
        records: impl IntoIterator<Item = (&'r crate::model::Dossier, Option<NaiveDateTime>)>,
    ) -> Result<Upserted, LiveError> {
        let records: Vec<_> = records.into_iter().collect();
        if let Some(i) = records
            .iter()
            .position(|(d, _)| d.dossier_id.is_empty() || d.dossier_id.len() > state::MAX_ID_BYTES)
        {
            return Err(LiveError::NoDossierId(i));
        }
        self.store.reserve(records.len());
        let ids: Vec<&str> = records.iter().map(|(d, _)| d.dossier_id.as_str()).collect();
        let mut out = Upserted::default();
        self.in_windows(&ids, |board, i, found| {
            let (d, synced) = records[i];
            board.upsert_one(d, synced, found, &mut out);
        });
        self.compact();
        Ok(out)
    }

    fn upsert_one(
        &mut self,
        d: &crate::model::Dossier,
        synced: Option<NaiveDateTime>,
        found: Lookup,
        out: &mut Upserted,
    ) {
        let keep = self.config.options.fee_wait_stops_clock;
        let (slot, waits) = self.store.encode(d, synced, &self.config.procedures, keep);
        self.apply(&d.dossier_id, found, slot, waits, out);
    }

    /// Applies a batch's rows in windows of [`GATHER_WINDOW`]: each window's ids looked up
    /// together ([`Scoreboard::gather`]), then `apply_row(self, row, lookup)` for each of its
    /// rows, in order.
    fn in_windows(&mut self, ids: &[&str], mut apply_row: impl FnMut(&mut Self, usize, Lookup)) {
        for start in (0..ids.len()).step_by(GATHER_WINDOW) {
            let window = &ids[start..(start + GATHER_WINDOW).min(ids.len())];
            for (row, found) in (start..).zip(self.gather(window)) {
                apply_row(self, row, found);
            }
        }
    }

    /// The slots of a window of a batch's ids already tracked ([`GATHER_WINDOW`]), looked up
    /// in one pass before any of them is applied. Why: on a board of millions each lookup is
    /// a chain of cache misses (table, id, slot); lookups that do not depend on each other run
    /// side by side in the processor, where interleaved with the rest of the work they would
    /// wait one after the other. The slots found and their waits are read here too
    /// ([`Scoreboard::touch`]) so that applying finds them in cache. Upserts never remove, so
    /// a slot found stays that dossier's; an id not found is looked up again when applied only
    /// if an earlier record of the window has an id of the same hash (that record may have
    /// added it; earlier windows were applied before this one was looked up).
    fn gather(&self, ids: &[&str]) -> Vec<Lookup> {
        // The table first (its control bytes and the first bucket whose 7 hash bits match),
        // then the ids' texts: two short chains of misses instead of one long one.
        let first: Vec<(u64, Option<u32>)> = ids
            .iter()
            .map(|id| {
                let hash = self.store.hash(id);
                (hash, self.store.first_candidate(hash))
            })
            .collect();
        // Hashes of the window's new ids: only a repeated one may meet an id added by an
        // earlier record of the window (a small set, in cache, where looking in the table
        // again would be a cache miss per new id).
        let mut new_hashes = rustc_hash::FxHashSet::default();
        let found: Vec<Lookup> = ids
            .iter()
            .zip(first)
            .map(
                |(&id, (hash, candidate))| match self.store.confirm(id, hash, candidate) {
                    Some(i) => Lookup::Tracked(i),
                    None if new_hashes.insert(hash) => Lookup::New { hash },
                    None => Lookup::Repeated { hash },
                },
            )
            .collect();
        self.touch(found.iter().filter_map(|f| match *f {
            Lookup::Tracked(i) => Some(i),
            Lookup::New { .. } | Lookup::Repeated { .. } => None,
        }));
        found
    }

    /// Reads the slots about to be judged, then the waits of those that have some, each in a
    /// pass of its own: loads that do not wait on one another overlap their cache misses, where
    /// judging the slots one by one would meet them one after the other. Returns how many
    /// slots it read.
    fn touch(&self, slots: impl Iterator<Item = u32>) -> usize {
        let mut touched = 0i64;
        let mut read = 0;
        let mut waiting = Vec::new();
        for i in slots {
            read += 1;
            let s = self.store.slots.get(i as usize);
            touched ^= s.map_or(0, |s| s.synced);
            if s.is_some_and(|s| s.facts & state::fact::HAS_WAITS != 0) {
                waiting.push(i);
            }
        }
        for &i in &waiting {
            touched ^= self
                .store
                .waits
                .get(&i)
                .and_then(|w| w.supplements.first())
                .map_or(0, |w| w.0);
        }
        std::hint::black_box(touched);
        read
    }

    /// Sync records held as columns (the Arrow path: no record is built): row `i` is dossier
    /// `ids[i]`, synced at `synced[i]` (milliseconds, [`NO_TIME`] or an empty column when
    /// unknown); codes are indices into `unit_codes` and `procedure_codes`. Fee waits are not
    /// in columns (a record's are kept only under `fee_wait_stops_clock`, so without it a
    /// record and its columns make the same slot). A malformed batch is refused whole.
    pub fn upsert_columns(
        &mut self,
        cols: &crate::columnar::DossierColumns<'_>,
        unit_codes: &[&str],
        procedure_codes: &[&str],
        ids: &[&str],
        synced: &[i64],
    ) -> Result<Upserted, LiveError> {
        let bad = |m: String| LiveError::Columns(m);
        cols.validate().map_err(|e| bad(e.0))?;
        let n = cols.len();
        if ids.len() != n || !(synced.is_empty() || synced.len() == n) {
            return Err(bad(format!(
                "{} ids and {} sync times for {n} rows",
                ids.len(),
                synced.len()
            )));
        }
        if let Some(i) = ids
            .iter()
            .position(|id| id.is_empty() || id.len() > state::MAX_ID_BYTES)
        {
            return Err(LiveError::NoDossierId(i));
        }
        let too_far = |v: &[u32], len: usize| v.iter().any(|&c| c as usize >= len);
        if too_far(cols.unit, unit_codes.len()) || too_far(cols.procedure, procedure_codes.len()) {
            return Err(bad("a code index beyond its code list".into()));
        }
        let units: Vec<u32> = unit_codes
            .iter()
            .map(|c| self.store.unit_id(c.trim()))
            .collect();
        let procedures: Vec<u32> = procedure_codes
            .iter()
            .map(|c| self.store.procedure_id(c))
            .collect();
        let codes = crate::columnar::Codes::default();
        let range = crate::moment::Range::default();
        self.store.reserve(n);
        let mut out = Upserted::default();
        self.in_windows(ids, |board, i, found| {
            let at = synced.get(i).map_or(NO_TIME, |&ms| range.check(ms));
            let (slot, waits) = board
                .store
                .encode_row(cols, i, &codes, &units, &procedures, at);
            board.apply(ids[i], found, slot, waits, &mut out);
        });
        self.compact();
        Ok(out)
    }

    /// Applies one record, given as its slot: latest sync wins, identical records change
    /// nothing. `found`: what [`Scoreboard::gather`] found.
    fn apply(&mut self, id: &str, found: Lookup, slot: Slot, waits: WaitLists, out: &mut Upserted) {
        let mut before = std::mem::take(&mut self.scratch);
        before.clear();
        let found = match found {
            Lookup::Tracked(i) => Ok(i),
            Lookup::New { hash } => Err(hash),
            // The id may have been added by an earlier record of the window.
            Lookup::Repeated { hash } => self.store.find_hashed(id, hash).ok_or(hash),
        };
        match found {
            Ok(i) => {
                let old = self.store.slots[i as usize];
                if slot.synced < old.synced {
                    out.stale += 1;
                } else if slot.same_content(&old)
                    && match self.store.waits_of(i) {
                        Some(w) => *w == waits,
                        None => waits.supplements.is_empty() && waits.fee_waits.is_empty(),
                    }
                {
                    self.store.slots[i as usize].synced = slot.synced;
                    out.unchanged += 1;
                } else {
                    out.replaced += 1;
                    // Judge the old record with its own waits before they are replaced.
                    self.places_into(i, &old, self.clock, &mut before);
                    let mut slot = slot;
                    slot.generation = old.generation;
                    self.store.replace(i, slot, waits);
                    let known = self.settle(i, Some(&old), &before, self.clock, self.clock);
                    self.requeue(i, self.clock, known);
                }
            }
            Err(hash) => {
                out.added += 1;
                let i = self.store.insert_hashed(id, hash, slot, waits);
                let known = self.settle(i, None, &before, self.clock, self.clock);
                self.requeue(i, self.clock, known);
            }
        }
        self.scratch = before;
    }

    /// Tracks a new dossier given as its slot (loading a snapshot).
    fn track(&mut self, id: &str, slot: Slot, waits: WaitLists) {
        let mut slot = slot;
        slot.facts &= !state::fact::HAS_WAITS;
        if !(waits.supplements.is_empty() && waits.fee_waits.is_empty()) {
            slot.facts |= state::fact::HAS_WAITS;
        }
        let i = self.store.insert(id, slot, waits);
        let known = self.settle(i, None, &[], self.clock, self.clock);
        self.requeue(i, self.clock, known);
    }

    /// Stops tracking a dossier; false when it was not tracked.
    pub fn remove(&mut self, dossier_id: &str) -> bool {
        let Some(i) = self.store.find(dossier_id) else {
            return false;
        };
        let old = self.store.slots[i as usize];
        let mut places = Vec::new();
        self.places_into(i, &old, self.clock, &mut places);
        let ids = &self.store.ids;
        for (b, old_place) in self.boards.iter_mut().zip(places) {
            if let Some(p) = old_place {
                b.retract(&self.store, &old, &p);
                b.moves.record(
                    old.unit,
                    || ids.get(i),
                    Some(p.verdict.progress),
                    None,
                    self.clock,
                );
            }
        }
        self.store.remove(i);
        true
    }

    /// Where a slot counts in each board at `clock`, into `out`.
    fn places_into(&self, i: u32, s: &Slot, clock: i64, out: &mut Vec<Option<Place>>) {
        let judge = Judge {
            store: &self.store,
            config: &self.config,
            calendar: &*self.calendar,
        };
        out.clear();
        out.extend(self.boards.iter().map(|b| judge.place(i, s, &b.at(clock))));
    }

    /// Brings slot `i`'s counters in every board from where it counted at `from` (`before`,
    /// per board, judged on the `old` record; `old = None`: nowhere, a new dossier) to where
    /// it counts at `to`. Boards whose clock did not move are skipped when the record did not
    /// change. Returns the slot's verdict at `to` when a running period judged it.
    fn settle(
        &mut self,
        i: u32,
        old: Option<&Slot>,
        before: &[Option<Place>],
        from: i64,
        to: i64,
    ) -> Option<Verdict> {
        let judge = Judge {
            store: &self.store,
            config: &self.config,
            calendar: &*self.calendar,
        };
        let s = self.store.slots[i as usize];
        let record_changed = old.is_none_or(|o| !o.same_content(&s)) || from == to;
        let ids = &self.store.ids;
        let id = || ids.get(i);
        let mut known = None;
        for (k, b) in self.boards.iter_mut().enumerate() {
            if !record_changed && b.at(from).t == b.at(to).t {
                continue;
            }
            let was = old.and_then(|o| before.get(k).copied().flatten().map(|p| (o, p)));
            let frame = b.at(to);
            let now = judge.place(i, &s, &frame);
            if frame.t == to {
                known = known.or(now.map(|n| n.verdict));
            }
            if let (Some((o, p)), Some(n)) = (was, now) {
                if p == n && o.row_facts() == s.row_facts() {
                    continue;
                }
            }
            if was.is_none() && now.is_none() {
                continue;
            }
            if let Some((o, p)) = was {
                b.retract(judge.store, o, &p);
            }
            if let Some(n) = now {
                b.add(judge.store, &s, &n);
            }
            let (pb, pa) = (
                was.map(|(_, p)| p.verdict.progress),
                now.map(|n| n.verdict.progress),
            );
            let at = to.min(b.frame.t);
            match was.map(|(o, _)| o.unit).filter(|&u| u != s.unit) {
                Some(u) => {
                    b.moves.record(u, id, pb, None, at);
                    b.moves.record(s.unit, id, None, pa, at);
                }
                None => b.moves.record(s.unit, id, pb, pa, at),
            }
        }
        known
    }

    /// Queues a slot under its next moment after `t` (none once every period has ended);
    /// `known` is its verdict at `t` when already judged.
    fn requeue(&mut self, i: u32, t: i64, known: Option<Verdict>) {
        let s = self.store.slots[i as usize];
        let live = self.boards.iter().any(|b| b.frame.t > t);
        let next = if live {
            let judge = Judge {
                store: &self.store,
                config: &self.config,
                calendar: &*self.calendar,
            };
            let v = known.unwrap_or_else(|| judge.verdict(i, &s, t));
            judge.next_change(i, &s, t, &v)
        } else {
            i64::MAX
        };
        // A new generation either way: entries queued before are stale from now on.
        let slot = &mut self.store.slots[i as usize];
        slot.generation = slot.generation.wrapping_add(1);
        self.deadlines.push(next, i, slot.generation);
    }

    fn compact(&mut self) {
        let store = &self.store;
        self.deadlines
            .compact(store.len(), |i, generation| store.is_current(i, generation));
    }

    /// Moves the clock to `now`: dossiers whose moment has come are judged again; a period
    /// that has ended stays at its end (T = min(now, period end)). Costs in proportion to the
    /// dossiers woken, not to the dossiers tracked.
    ///
    /// With a batch of records synced up to `now`, move the clock first and then upsert: each
    /// record is judged once, at `now`. Applied first, a record from after the old clock is
    /// judged there, queued under its own moment, and judged again when the clock moves — the
    /// same scorecard, with more work (BENCHMARKS.md, "Live scoreboard", has both orders).
    pub fn advance(&mut self, now: NaiveDateTime) -> Result<(), LiveError> {
        if now < self.now {
            return Err(LiveError::ClockBackwards {
                now: self.now,
                asked: now,
            });
        }
        let (from, to) = (self.clock, millis_of(Some(now)));
        self.now = now;
        if to == from {
            return Ok(());
        }
        let mut before = std::mem::take(&mut self.scratch);
        let mut ahead = 0usize;
        loop {
            if ahead == 0 {
                ahead = self.touch_due(to);
            }
            ahead -= 1;
            let store = &self.store;
            let Some((_, i)) = self
                .deadlines
                .pop_due(to, |i, generation| store.is_current(i, generation))
            else {
                break;
            };
            let s = self.store.slots[i as usize];
            self.places_into(i, &s, from, &mut before);
            let known = self.settle(i, Some(&s), &before, from, to);
            self.requeue(i, to, known);
        }
        self.scratch = before;
        self.clock = to;
        Ok(())
    }

    /// Reads the slots of the next queued dossiers due by `to` before they are judged, so
    /// that their cache misses overlap (see [`Scoreboard::gather`]); how many (at least 1).
    fn touch_due(&self, to: i64) -> usize {
        self.touch(self.deadlines.upcoming(to, 256)).max(1)
    }

    /// The explained scorecard of one tracked period at the clock — the same as batch scoring
    /// of the latest records at this moment.
    pub fn scorecard(&self, period: &Period) -> Result<Scorecard, LiveError> {
        let k = self.board_index(period)?;
        Ok(self.score_board(k)?.0)
    }

    /// The scorecards of every tracked period, in the order of [`Scoreboard::periods`].
    pub fn scorecards(&self) -> Result<Vec<Scorecard>, LiveError> {
        (0..self.boards.len())
            .map(|k| Ok(self.score_board(k)?.0))
            .collect()
    }

    fn board_index(&self, period: &Period) -> Result<usize, LiveError> {
        self.boards
            .iter()
            .position(|b| &b.period == period)
            .ok_or_else(|| {
                LiveError::UnknownPeriod(
                    period.label(),
                    self.boards
                        .iter()
                        .map(|b| b.period.label())
                        .collect::<Vec<_>>()
                        .join(", "),
                )
            })
    }

    /// The unit tree batch scoring would build: the given units plus every unit code of a
    /// tracked dossier or a petition (extra codes sorted, as a tally lists them).
    pub fn tree(&self) -> Result<UnitTree, LiveError> {
        Ok((*self.shared_tree()?).clone())
    }

    /// [`Scoreboard::tree`], built again only when the set of units with dossiers changed
    /// since the last call.
    fn shared_tree(&self) -> Result<Arc<UnitTree>, LiveError> {
        let version = self.store.units_version;
        let mut held = self
            .trees
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((known, tree)) = held.as_ref() {
            if *known == version {
                return Ok(Arc::clone(tree));
            }
        }
        let mut codes: Vec<&str> = self
            .store
            .unit_codes()
            .chain(self.config.petitions.iter().map(|p| p.unit_code.trim()))
            .collect();
        codes.sort_unstable();
        codes.dedup();
        let tree = Arc::new(tree_of(self.config.units.as_deref(), codes)?);
        *held = Some((version, Arc::clone(&tree)));
        Ok(tree)
    }

    fn score_board(&self, k: usize) -> Result<(Scorecard, Arc<UnitTree>), LiveError> {
        let b = &self.boards[k];
        let c = &*self.config;
        // Petitions are judged at the clock each time (they are few, and fixed).
        let with_petitions;
        let tally = if c.petitions.is_empty() {
            &b.tally
        } else {
            let mut t = b.tally.clone();
            let ctx = TallyContext::new(
                b.period.clone(),
                self.now,
                c.options,
                c.profile.limits,
                &*self.calendar,
                &c.procedures,
            );
            for p in &c.petitions {
                let _ = t.add_petition(&ctx, p);
            }
            with_petitions = t;
            &with_petitions
        };
        let tree = self.shared_tree()?;
        let card = score(&ScoreInput {
            tally,
            units: &tree,
            procedures: &c.procedures,
            profile: &c.profile,
            options: c.options,
            period: b.period.clone(),
            as_of: self.now,
            calendar: &*self.calendar,
            published_facts: None,
        });
        Ok((card, tree))
    }

    /// What moved since the last call (or since the scoreboard was made or loaded): every
    /// indicator of every unit and period whose numerator, denominator or points changed,
    /// before → after, with the dossiers that moved the unit's counters.
    pub fn changes(&mut self) -> Result<Vec<Change>, LiveError> {
        let mut out = Vec::new();
        let mut cards = Vec::with_capacity(self.boards.len());
        for k in 0..self.boards.len() {
            let (card, tree) = self.score_board(k)?;
            let units = &self.store.units;
            out.extend(changes::diff(
                &self.baseline[k],
                &card,
                &tree,
                &self.boards[k].moves,
                |code| units.get(code),
            ));
            cards.push(card);
        }
        for b in &mut self.boards {
            b.moves.clear();
        }
        self.baseline = cards;
        Ok(out)
    }

    /// The future if nothing more arrives: the scorecards at `at` (open dossiers turning
    /// overdue as their deadlines pass) and what would move between now and then — the points
    /// at risk per unit, with the dossiers that will cost them and when.
    pub fn project(&self, at: NaiveDateTime) -> Result<Projection, LiveError> {
        let mut ahead = self.clone();
        ahead.baseline = self.scorecards()?;
        for b in &mut ahead.boards {
            b.moves.clear();
        }
        ahead.advance(at)?;
        let changes = ahead.changes()?;
        Ok(Projection {
            at,
            scorecards: ahead.baseline,
            changes,
        })
    }

    /// The latest record of every tracked dossier, rebuilt from the compact state (in slot
    /// order), for drill-downs. It judges exactly as the record that was upserted; what no rule
    /// reads is not kept (see the `rebuild` module: submission time, process log, fee amount,
    /// payment gateway).
    pub fn latest_records(&self) -> impl Iterator<Item = SyncRecord> + '_ {
        self.store.live().map(|i| self.store.record(i))
    }

    /// Bytes held by the tracked dossiers, the queue and the counters (ids' text aside).
    pub fn memory_bytes(&self) -> usize {
        let cells: usize = self
            .boards
            .iter()
            .map(|b| b.tally.len() * (std::mem::size_of::<(CellId, Counts)>() + 1))
            .sum();
        self.store.bytes() + self.deadlines.bytes() + cells
    }

    /// Bytes of dossier id text held.
    pub fn id_bytes(&self) -> usize {
        self.store.ids.text_bytes()
    }

    /// Entries in the deadline queue (stale ones included), for benchmarks.
    pub fn queued(&self) -> usize {
        self.deadlines.len()
    }
}

/// What [`Scoreboard::project`] foresees.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Projection {
    /// The moment projected to.
    pub at: NaiveDateTime,
    /// One per tracked period, in the order of [`Scoreboard::periods`].
    pub scorecards: Vec<Scorecard>,
    /// What moves between now and `at`.
    pub changes: Vec<Change>,
}

impl Projection {
    /// Points each unit stands to lose by `at`, per period (units that lose none left out).
    pub fn points_at_risk(&self) -> Vec<(Period, String, f64)> {
        let mut by: std::collections::BTreeMap<(Period, String), f64> = Default::default();
        for c in &self.changes {
            *by.entry((c.period.clone(), c.unit.clone())).or_default() += c.points_delta();
        }
        by.into_iter()
            .filter(|(_, d)| *d < 0.0)
            .map(|((p, u), d)| (p, u, -d))
            .collect()
    }
}
