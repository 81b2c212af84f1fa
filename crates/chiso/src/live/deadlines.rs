//! The deadline-ordered queue: each tracked dossier waits here under the next moment its
//! verdict may change (a receipt, an end, a wait starting or ending, turning overdue), so
//! moving the clock touches only the dossiers whose moment has come — not every open one.
//! Entries are invalidated lazily (an entry names the slot's generation when it was queued);
//! the heap is rebuilt when stale entries outnumber live ones.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// (moment, slot, generation), earliest first.
type Entry = Reverse<(i64, u32, u32)>;

#[derive(Clone, Debug, Default)]
pub(crate) struct Deadlines {
    heap: BinaryHeap<Entry>,
}

impl Deadlines {
    /// Queues a slot (in its `generation`) under a moment (`i64::MAX`: not queued).
    pub fn push(&mut self, at: i64, slot: u32, generation: u32) {
        if at != i64::MAX {
            self.heap.push(Reverse((at, slot, generation)));
        }
    }

    /// The next queued (moment, slot) due by `until` that is still current.
    pub fn pop_due(
        &mut self,
        until: i64,
        current: impl Fn(u32, u32) -> bool,
    ) -> Option<(i64, u32)> {
        while let Some(&Reverse((at, slot, generation))) = self.heap.peek() {
            if at > until {
                return None;
            }
            self.heap.pop();
            if current(slot, generation) {
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
    pub fn compact(&mut self, live: usize, current: impl Fn(u32, u32) -> bool) {
        if self.heap.len() > 2 * live + 1024 {
            let entries = std::mem::take(&mut self.heap).into_vec();
            self.heap = entries
                .into_iter()
                .filter(|Reverse((_, slot, generation))| current(*slot, *generation))
                .collect();
        }
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        self.heap.capacity() * std::mem::size_of::<Entry>()
    }
}
