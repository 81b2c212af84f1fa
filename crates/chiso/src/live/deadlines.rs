//! The deadline-ordered queue: each tracked dossier waits here under the next moment its
//! verdict may change (a receipt, an end, a wait starting or ending, turning overdue), so
//! moving the clock touches only the dossiers whose moment has come — not every open one.
//! Entries are invalidated lazily (a slot's current moment is in the slot); the heap is rebuilt
//! when stale entries outnumber live ones.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

#[derive(Clone, Debug, Default)]
pub(crate) struct Deadlines {
    heap: BinaryHeap<Reverse<(i64, u32)>>,
}

impl Deadlines {
    /// Queues a slot under a moment (`i64::MAX`: not queued).
    pub fn push(&mut self, at: i64, slot: u32) {
        if at != i64::MAX {
            self.heap.push(Reverse((at, slot)));
        }
    }

    /// The next queued (moment, slot) due by `until` that is still current.
    pub fn pop_due(
        &mut self,
        until: i64,
        current: impl Fn(i64, u32) -> bool,
    ) -> Option<(i64, u32)> {
        while let Some(&Reverse((at, slot))) = self.heap.peek() {
            if at > until {
                return None;
            }
            self.heap.pop();
            if current(at, slot) {
                return Some((at, slot));
            }
        }
        None
    }

    /// Queued entries, stale ones included.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Drops stale entries when they are more than half the heap (amortised O(1) per push).
    pub fn compact(&mut self, live: usize, current: impl Fn(i64, u32) -> bool) {
        if self.heap.len() > 2 * live + 1024 {
            let entries = std::mem::take(&mut self.heap).into_vec();
            self.heap = entries
                .into_iter()
                .filter(|Reverse((at, slot))| current(*at, *slot))
                .collect();
        }
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        self.heap.capacity() * std::mem::size_of::<Reverse<(i64, u32)>>()
    }
}
