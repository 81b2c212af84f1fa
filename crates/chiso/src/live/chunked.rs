//! A growable array kept in fixed-size chunks, for the scoreboard's per-dossier arrays.
//!
//! Why not a `Vec`: a vector that outgrows its room moves into one twice as large — every
//! element copied, and the new block's pages faulted in and zeroed by the kernel before the
//! copy lands on them. At 10 M tracked dossiers the slots alone are 640 MB, and the replay
//! paid that move on every doubling (~3% of its time, measured) into freshly faulted pages. A
//! full chunk never moves: only the last one grows (like a vector, up to its 4 MB), so growth
//! copies one chunk at a time, into memory the allocator has just freed and reuses. Indexing
//! costs one more load, from a table of chunk pointers small enough to stay in cache.

use std::ops::{Index, IndexMut};

/// log2 of the elements in a chunk (65,536: 4 MB of 64-byte slots).
const SHIFT: u32 = 16;
const CHUNK: usize = 1 << SHIFT;
const MASK: usize = CHUNK - 1;

/// A growable array that never moves its elements (see the module documentation).
#[derive(Clone, Debug)]
pub(crate) struct Chunked<T> {
    /// Full chunks of [`CHUNK`] elements, then the last one, which grows up to that size.
    chunks: Vec<Vec<T>>,
    len: usize,
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Self {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T> Chunked<T> {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn get(&self, i: usize) -> Option<&T> {
        self.chunks.get(i >> SHIFT)?.get(i & MASK)
    }

    pub fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        self.chunks.get_mut(i >> SHIFT)?.get_mut(i & MASK)
    }

    pub fn push(&mut self, value: T) {
        if self.len == self.capacity() {
            self.reserve(1);
        }
        // After the reserve the chunk exists: chunks fill in order, each to CHUNK elements.
        self.chunks[self.len >> SHIFT].push(value);
        self.len += 1;
    }

    /// Room for `additional` more elements. The last chunk grows like a vector (doubling) up
    /// to its full size, or exactly to what is asked when that is more: a small board stays
    /// small, and one large reserve holds no slack beyond its last element.
    pub fn reserve(&mut self, additional: usize) {
        let want = self.len.saturating_add(additional);
        while self.capacity() < want {
            let full = self.chunks.len().saturating_sub(1) * CHUNK;
            match self.chunks.last_mut() {
                Some(last) if last.capacity() < CHUNK => {
                    let room = (want - full).max(2 * last.capacity()).clamp(4, CHUNK);
                    last.reserve_exact(room - last.len());
                }
                _ => self.chunks.push(Vec::new()),
            }
        }
    }

    /// Elements there is room for without allocating.
    pub fn capacity(&self) -> usize {
        match self.chunks.split_last() {
            Some((last, full)) => full.len() * CHUNK + last.capacity().min(CHUNK),
            None => 0,
        }
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut T> + '_ {
        self.chunks.iter_mut().flatten()
    }
}

impl<T> Index<usize> for Chunked<T> {
    type Output = T;
    fn index(&self, i: usize) -> &T {
        &self.chunks[i >> SHIFT][i & MASK]
    }
}

impl<T> IndexMut<usize> for Chunked<T> {
    fn index_mut(&mut self, i: usize) -> &mut T {
        &mut self.chunks[i >> SHIFT][i & MASK]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Across chunk boundaries the chunked array reads, writes and counts like a vector.
    #[test]
    fn behaves_like_a_vector_across_chunks() {
        let mut c = Chunked::default();
        let mut v = Vec::new();
        assert_eq!(c.capacity(), 0);
        c.push(0);
        v.push(0);
        assert!(c.capacity() < 100, "a small array stays small");
        for i in 1..(2 * CHUNK + 7) as u64 {
            c.push(i * 3);
            v.push(i * 3);
        }
        assert_eq!(c.len(), v.len());
        assert_eq!(
            c.capacity(),
            2 * CHUNK + 8,
            "the last chunk grows by doubling"
        );
        for i in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 2 * CHUNK + 6] {
            assert_eq!(c[i], v[i]);
            c[i] += 1;
            v[i] += 1;
            *c.get_mut(i).unwrap_or_else(|| panic!("{i}")) += 1;
            v[i] += 1;
        }
        assert_eq!(c.get(2 * CHUNK + 7), None);
        // One large reserve is met exactly; pushes within it allocate nothing more.
        let mut r: Chunked<u8> = Chunked::default();
        r.reserve(3 * CHUNK + 10);
        assert_eq!(r.capacity(), 3 * CHUNK + 10);
        (0..3 * CHUNK + 10).for_each(|i| r.push(i as u8));
        assert_eq!((r.len(), r.capacity()), (3 * CHUNK + 10, 3 * CHUNK + 10));
        assert_eq!(r[3 * CHUNK + 9], (3 * CHUNK + 9) as u8);
        assert_eq!(c.get(5 * CHUNK), None);
        assert!((0..c.len()).map(|i| c[i]).eq(v.iter().copied()));
        c.iter_mut().for_each(|x| *x *= 2);
        assert!((0..c.len()).map(|i| c[i]).eq(v.iter().map(|x| x * 2)));
    }
}
