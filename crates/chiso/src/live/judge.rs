//! The rules as the scoreboard applies them to one held dossier: its verdict, its place in a
//! period, and the next moment its place may change.

use super::board::Place;
use super::state::{MsWaits, Slot, Store};
use super::Config;
use crate::classify::{classify_at, judge_at, overdue_from, Frame, Verdict};
use crate::moment::NO_TIME;
use crate::workdays::WorkCalendar;

/// The rules' inputs that do not change while a scoreboard lives.
pub(super) struct Judge<'a> {
    pub(super) store: &'a Store,
    pub(super) config: &'a Config,
    pub(super) calendar: &'a dyn WorkCalendar,
}

impl Judge<'_> {
    /// The verdict of a slot at moment `t` ([`judge_at`], as [`TallyContext::verdict`] calls it).
    pub(super) fn verdict(&self, i: u32, s: &Slot, t: i64) -> Verdict {
        let w = self.store.waits_of(i);
        let none: &[(i64, i64)] = &[];
        judge_at(
            &s.times,
            &MsWaits(w.map_or(none, |w| &w.supplements)),
            &MsWaits(w.map_or(none, |w| &w.fee_waits)),
            self.statutory(s),
            t,
            &self.config.options,
            self.calendar,
        )
    }

    /// Where the slot counts in a frame, if it does ([`classify_at`]: the one rule of scope
    /// and judgement, as the tally applies it).
    pub(super) fn place(&self, i: u32, s: &Slot, frame: &Frame) -> Option<Place> {
        let w = self.store.waits_of(i);
        let none: &[(i64, i64)] = &[];
        let (scope, verdict) = classify_at(
            s.status,
            &s.times,
            &MsWaits(w.map_or(none, |w| &w.supplements)),
            &MsWaits(w.map_or(none, |w| &w.fee_waits)),
            self.statutory(s),
            frame,
            &self.config.options,
            self.calendar,
        )
        .ok()?;
        Some(Place {
            cell: (s.unit, self.store.procedures[s.procedure as usize].cell),
            scope,
            verdict,
        })
    }

    pub(super) fn statutory(&self, s: &Slot) -> Option<&crate::model::StatutoryTime> {
        self.store.procedures[s.procedure as usize]
            .catalogue
            .as_ref()
            .and_then(|c| c.statutory.as_ref())
    }

    /// The next moment after `t` at which the slot's place may change: one of its own moments,
    /// or the moment it turns overdue.
    pub(super) fn next_change(&self, i: u32, s: &Slot, t: i64, v: &Verdict) -> i64 {
        let mut next = overdue_from(v, self.config.options.due_comparison);
        let mut see = |x: i64| {
            if x != NO_TIME && x > t && x < next {
                next = x;
            }
        };
        see(s.times.received);
        see(s.times.finished);
        see(s.times.returned);
        if let Some(w) = self.store.waits_of(i) {
            for &(a, b) in w.supplements.iter().chain(w.fee_waits.iter()) {
                see(a);
                see(b);
            }
        }
        next
    }
}
