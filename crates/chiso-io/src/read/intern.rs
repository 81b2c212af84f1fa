//! Interning unit and procedure codes and hashing dossier ids for the fast readers: a fast,
//! good-quality 64-bit hash of short byte strings (the keys are the reader's own input, so hash
//! flooding is not a concern), and code tables built on it. The hash is the same in every
//! thread and every reader, so id hashes from several workers can be compared.

use std::collections::HashMap;

/// A wyhash-style multiply-fold hash of a byte string.
#[inline]
pub(crate) fn hash_bytes(b: &[u8]) -> u64 {
    #[inline]
    fn mix(a: u64, b: u64) -> u64 {
        let r = u128::from(a).wrapping_mul(u128::from(b));
        (r as u64) ^ ((r >> 64) as u64)
    }
    const K0: u64 = 0xa076_1d64_78bd_642f;
    const K1: u64 = 0xe703_7ed1_a0b4_28db;
    let mut h = K0 ^ (b.len() as u64).wrapping_mul(K1);
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = mix(h ^ u64::from_le_bytes(w), K1);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        h = mix(h ^ u64::from_le_bytes(w) ^ K0, K1);
    }
    mix(h, K0 ^ 0x9e37_79b9_7f4a_7c15)
}

/// A hasher that takes [`hash_bytes`] of the bytes written (keys are byte strings).
#[derive(Default, Clone, Copy)]
pub(crate) struct BytesHasher(u64);

impl std::hash::Hasher for BytesHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = hash_bytes(bytes) ^ self.0.rotate_left(29);
    }
    fn write_usize(&mut self, _: usize) {
        // The length prefix of a slice: already part of hash_bytes.
    }
}

pub(crate) type BytesMap<V> = HashMap<Box<[u8]>, V, std::hash::BuildHasherDefault<BytesHasher>>;

/// Codes interned in order of first appearance.
#[derive(Default)]
pub(crate) struct Codes {
    list: Vec<String>,
    index: BytesMap<u32>,
}

impl Codes {
    /// The index of a code already stripped of white space.
    #[inline]
    pub(crate) fn id(&mut self, code: &str) -> u32 {
        if let Some(&i) = self.index.get(code.as_bytes()) {
            return i;
        }
        let i = self.list.len() as u32;
        self.list.push(code.to_string());
        self.index.insert(code.as_bytes().into(), i);
        i
    }

    /// [`Codes::id`] of bytes; `None` when they are not UTF-8.
    #[inline]
    pub(crate) fn id_bytes(&mut self, code: &[u8]) -> Option<u32> {
        if let Some(&i) = self.index.get(code) {
            return Some(i);
        }
        std::str::from_utf8(code).ok().map(|c| self.id(c))
    }

    /// The index of a code as written: white space anywhere in it is dropped first (codes are
    /// compared without it everywhere in chiso).
    #[inline]
    pub(crate) fn id_raw(&mut self, raw: &str) -> u32 {
        if raw.bytes().all(|b| b.is_ascii_graphic()) {
            return self.id(raw);
        }
        let code: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        self.id(&code)
    }

    pub(crate) fn refs(&self) -> Vec<&str> {
        self.list.iter().map(String::as_str).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_interned_without_white_space() {
        let mut c = Codes::default();
        assert_eq!(c.id_raw("1.000123"), 0);
        assert_eq!(c.id_raw(" 1.000 123\u{a0}"), 0);
        assert_eq!(c.id_raw("Hà Nội"), 1);
        assert_eq!(c.id_raw("HàNội"), 1);
        assert_eq!(c.refs(), vec!["1.000123", "HàNội"]);
        assert_ne!(hash_bytes(b"D1"), hash_bytes(b"D2"));
        assert_ne!(hash_bytes(b""), hash_bytes(b"\0"));
    }
}
