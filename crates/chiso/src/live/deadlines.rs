//! The deadline-ordered queue: each tracked dossier waits here under the next moment its
//! verdict may change (a receipt, an end, a wait starting or ending, turning overdue), so
//! moving the clock touches only the dossiers whose moment has come — not every open one.
//! Entries are invalidated lazily (an entry names the slot's generation when it was queued);
//! stale entries are dropped when they outnumber live ones.
//!
//! Why buckets and not a binary heap: with millions of queued dossiers a heap's pop walks
//! ~23 levels of a 100+ MB array, a cache miss per level, and the replay pops about once per
//! record. Here entries are kept in time buckets (2^22 ms ≈ 70 minutes each): a push appends
//! to its bucket, and only the earliest bucket is sorted, when the clock reaches it, then
//! popped from its end; an entry pushed into the bucket being popped (a moment less than
//! 70 minutes ahead) waits in a small heap beside it rather than being inserted into the
//! sorted bucket (which moved the bucket's tail on every such push). Pops come out in
//! exactly a heap's order of (moment, slot), so what `changes` lists does not depend on the
//! queue's layout. An entry keeps its moment as an offset inside its bucket (12 bytes, not 16).

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

/// log2 of a bucket's width in milliseconds.
const SHIFT: u32 = 22;

/// (offset of the moment in its bucket, slot, generation).
type Entry = (u32, u32, u32);

/// Where an entry goes in the queue: (moment, slot) in one word. The generation is left out:
/// entries of one (moment, slot) differ only in it, at most one of them is current, and a pop
/// says only (moment, slot), so their order changes nothing popped. One-word keys sort
/// several times faster than the tuple.
fn order(e: &Entry) -> u64 {
    (u64::from(e.0) << 32) | u64::from(e.1)
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Deadlines {
    /// Future buckets by number (moment >> SHIFT), entries in push order.
    later: BTreeMap<i64, Vec<Entry>>,
    /// The bucket being popped, sorted latest first (its earliest entry last), and its number.
    front: Vec<Entry>,
    front_key: Option<i64>,
    /// Entries pushed into the bucket being popped after it was sorted.
    early: BinaryHeap<Reverse<Entry>>,
    len: usize,
}

fn split(at: i64) -> (i64, Entry) {
    (at >> SHIFT, ((at & ((1 << SHIFT) - 1)) as u32, 0, 0))
}

impl Deadlines {
    /// Queues a slot (in its `generation`) under a moment (`i64::MAX`: not queued).
    pub fn push(&mut self, at: i64, slot: u32, generation: u32) {
        if at == i64::MAX {
            return;
        }
        let (key, (offset, ..)) = split(at);
        let e = (offset, slot, generation);
        self.len += 1;
        match self.front_key {
            Some(k) if k == key => self.early.push(Reverse(e)),
            Some(k) if key < k => {
                // Earlier than the bucket being popped: that one goes back among the others.
                let mut old = std::mem::replace(&mut self.front, vec![e]);
                old.extend(self.early.drain().map(|Reverse(x)| x));
                self.later.insert(k, old);
                self.front_key = Some(key);
            }
            _ => self.later.entry(key).or_default().push(e),
        }
    }

    /// The next queued (moment, slot) due by `until` that is still current.
    pub fn pop_due(
        &mut self,
        until: i64,
        current: impl Fn(u32, u32) -> bool,
    ) -> Option<(i64, u32)> {
        loop {
            let held = !(self.front.is_empty() && self.early.is_empty());
            let Some(key) = self.front_key.filter(|_| held) else {
                // Bring the earliest bucket forward, if it can hold a due entry.
                let first = self.later.first_entry()?;
                if *first.key() > until >> SHIFT {
                    return None;
                }
                let (key, mut bucket) = first.remove_entry();
                bucket.sort_unstable_by_key(|e| Reverse(order(e)));
                self.front = bucket;
                self.front_key = Some(key);
                continue;
            };
            let (from_early, (offset, slot, generation)) =
                match (self.front.last(), self.early.peek()) {
                    (Some(f), Some(Reverse(e))) if order(e) < order(f) => (true, *e),
                    (Some(f), _) => (false, *f),
                    (None, Some(Reverse(e))) => (true, *e),
                    (None, None) => return None,
                };
            let at = (key << SHIFT) | i64::from(offset);
            if at > until {
                return None;
            }
            if from_early {
                self.early.pop();
            } else {
                self.front.pop();
            }
            self.len -= 1;
            if self.front.is_empty() && self.early.is_empty() {
                self.front_key = None;
            }
            if current(slot, generation) {
                return Some((at, slot));
            }
        }
    }

    /// Slots of up to `n` of the next entries due by `until` in the bucket being popped (stale
    /// ones included), for reading ahead (a hint: entries waiting beside the bucket are left out).
    pub fn upcoming(&self, until: i64, n: usize) -> impl Iterator<Item = u32> + '_ {
        let base = self.front_key.map_or(i64::MAX, |k| k << SHIFT);
        self.front
            .iter()
            .rev()
            .take(n)
            .take_while(move |&&(offset, ..)| base | i64::from(offset) <= until)
            .map(|&(_, slot, _)| slot)
    }

    /// Queued entries, stale ones included.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Drops stale entries when they are more than half the queue (amortised O(1) per push).
    pub fn compact(&mut self, live: usize, current: impl Fn(u32, u32) -> bool) {
        if self.len <= 2 * live + 1024 {
            return;
        }
        let keep = |b: &mut Vec<Entry>| {
            b.retain(|&(_, slot, generation)| current(slot, generation));
            b.shrink_to_fit();
        };
        keep(&mut self.front);
        self.early
            .retain(|&Reverse((_, slot, generation))| current(slot, generation));
        self.early.shrink_to_fit();
        self.later.values_mut().for_each(keep);
        self.later.retain(|_, b| !b.is_empty());
        if self.front.is_empty() && self.early.is_empty() {
            self.front_key = None;
        }
        self.len =
            self.front.len() + self.early.len() + self.later.values().map(Vec::len).sum::<usize>();
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        let entry = std::mem::size_of::<Entry>();
        let bucket = std::mem::size_of::<(i64, Vec<Entry>)>();
        (self.front.capacity() + self.early.capacity()) * entry
            + self
                .later
                .values()
                .map(|b| b.capacity() * entry + bucket)
                .sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;

    /// Pops come out in the order of a binary heap of (moment, slot, generation), pushes and
    /// pops interleaved (earlier than the front bucket included), stale entries skipped.
    #[test]
    fn pops_in_heap_order() {
        let mut q = Deadlines::default();
        let mut heap = BinaryHeap::new();
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut rnd = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let current = |slot: u32, generation: u32| (slot + generation) % 5 != 0;
        let mut clock = 1_000_000_000i64;
        for round in 0..200 {
            for _ in 0..(rnd() % 300) {
                let at =
                    clock + (rnd() % (40 << SHIFT)) as i64 - if round % 7 == 0 { 5 } else { 0 };
                let (slot, generation) = ((rnd() % 1000) as u32, (rnd() % 4) as u32);
                q.push(at, slot, generation);
                heap.push(Reverse((at, slot, generation)));
            }
            q.push(i64::MAX, 1, 1);
            clock += (rnd() % (3 << SHIFT)) as i64;
            let want: Vec<(i64, u32)> = std::iter::from_fn(|| loop {
                let &Reverse((at, slot, generation)) = heap.peek()?;
                if at > clock {
                    return None;
                }
                heap.pop();
                if current(slot, generation) {
                    return Some((at, slot));
                }
            })
            .collect();
            let got: Vec<(i64, u32)> = std::iter::from_fn(|| q.pop_due(clock, current)).collect();
            assert_eq!(got, want, "round {round}");
            assert_eq!(q.len(), heap.len());
            if round % 10 == 0 {
                if q.len() > 1024 {
                    heap.retain(|Reverse((_, s, g))| current(*s, *g));
                }
                q.compact(0, current);
                assert_eq!(q.len(), heap.len());
            }
        }
    }

    /// Entries pushed into the bucket being popped (they wait beside it) come out in order
    /// with the bucket's own, and still do after an earlier push sends the bucket back.
    #[test]
    fn pushes_into_the_bucket_being_popped() {
        let base = 1_000i64 << SHIFT;
        let mut q = Deadlines::default();
        for (k, at) in [10, 30, 50, 70].into_iter().enumerate() {
            q.push(base + at, k as u32, 0);
        }
        let all = |_: u32, _: u32| true;
        assert_eq!(q.pop_due(base + 10, all), Some((base + 10, 0)));
        // Into the front bucket, between and after its entries.
        q.push(base + 40, 7, 0);
        q.push(base + 20, 8, 0);
        q.push(base + 90, 9, 0);
        assert_eq!(q.pop_due(base + 25, all), Some((base + 20, 8)));
        // An earlier bucket: the front, with what waits beside it, goes back among the others.
        q.push(base - 5, 6, 0);
        let got: Vec<(i64, u32)> = std::iter::from_fn(|| q.pop_due(base + 100, all)).collect();
        let want = [(-5, 6), (30, 1), (40, 7), (50, 2), (70, 3), (90, 9)];
        assert_eq!(got, want.map(|(at, slot)| (base + at, slot)));
        assert_eq!(q.len(), 0);
    }
}
