//! A multiplicative hasher for integer keys. The keys hashed with it are chiso's own indices
//! (interned codes, cell ids), not user text, so hash flooding is not a concern and SipHash's
//! cost is not needed.

/// Hashes integers by rotate-xor-multiply.
#[derive(Default, Clone, Copy)]
pub(crate) struct IntHasher(u64);

const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl std::hash::Hasher for IntHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }
    fn write_u32(&mut self, x: u32) {
        self.write_u64(u64::from(x));
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(K);
    }
}

/// A hash map keyed by chiso's own integer ids.
pub(crate) type IntMap<K, V> =
    std::collections::HashMap<K, V, std::hash::BuildHasherDefault<IntHasher>>;
