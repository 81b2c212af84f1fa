//! One tracked period's live tally, and where a dossier counts in it.

use super::changes::Moves;
use super::state::{Slot, Store};
use crate::classify::{Frame, Scope, Verdict};
use crate::period::Period;
use crate::tally::{CellId, Tally};

/// One tracked period: its frame and its live tally — the tally batch scoring would build from
/// the latest records, kept current by adding and retracting dossiers' counters.
#[derive(Clone, Debug)]
pub(super) struct Board {
    pub(super) period: Period,
    /// Start and end of the period; `t` is its last moment (where its clock stops).
    pub(super) frame: Frame,
    pub(super) tally: Tally,
    /// Tally cell ids of the store's unit and procedure ids (`u32::MAX`: not yet asked).
    pub(super) unit_ids: Vec<u32>,
    pub(super) procedure_ids: Vec<u32>,
    /// The period's id in the tally (known once a cell exists).
    pub(super) period_id: u32,
    pub(super) moves: Moves,
}

impl Board {
    pub(super) fn new(period: Period) -> Self {
        let frame = Frame::new(&period, period.end_time());
        Self {
            period,
            frame,
            tally: Tally::new(),
            unit_ids: Vec::new(),
            procedure_ids: Vec::new(),
            period_id: 0,
            moves: Moves::default(),
        }
    }
    /// The frame at a clock: T = min(clock, period end) (INDICATORS §1).
    pub(super) fn at(&self, clock: i64) -> Frame {
        Frame {
            t: clock.min(self.frame.t),
            ..self.frame
        }
    }
    /// The tally cell of a (unit, procedure) of the store.
    pub(super) fn cell(&mut self, store: &Store, (u, p): (u32, u32)) -> CellId {
        let known = |ids: &[u32], i: u32| ids.get(i as usize).copied().filter(|&x| x != u32::MAX);
        if let (Some(tu), Some(tp)) = (known(&self.unit_ids, u), known(&self.procedure_ids, p)) {
            return (tu, tp, self.period_id);
        }
        let id = self.tally.cell_id(
            store
                .units
                .values
                .get(u as usize)
                .map_or("", String::as_str),
            Some(
                store
                    .cell_procedures
                    .values
                    .get(p as usize)
                    .map_or("", String::as_str),
            ),
            &self.period,
        );
        let set = |ids: &mut Vec<u32>, i: u32, v: u32| {
            if ids.len() <= i as usize {
                ids.resize(i as usize + 1, u32::MAX);
            }
            ids[i as usize] = v;
        };
        set(&mut self.unit_ids, u, id.0);
        set(&mut self.procedure_ids, p, id.1);
        self.period_id = id.2;
        id
    }
    pub(super) fn add(&mut self, store: &Store, s: &Slot, p: &Place) {
        let id = self.cell(store, p.cell);
        self.tally
            .add_row_by_id(id, &s.row_facts(), p.scope, &p.verdict);
    }
    /// Takes a place's counters out (a cell left empty goes: batch scoring never has empty
    /// cells, and the distinct-procedure facts read which cells exist).
    pub(super) fn retract(&mut self, store: &Store, s: &Slot, p: &Place) {
        let id = self.cell(store, p.cell);
        self.tally
            .subtract_row_by_id(id, &s.row_facts(), p.scope, &p.verdict);
    }
}

/// Where one dossier counts in one period at one moment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Place {
    pub(super) cell: (u32, u32),
    pub(super) scope: Scope,
    pub(super) verdict: Verdict,
}
