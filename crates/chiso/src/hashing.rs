//! The hasher for chiso's own integer keys (interned codes, cell ids, slot numbers). They are
//! not user text, so hash flooding is not a concern and SipHash's cost is not needed:
//! `rustc-hash`'s FxHash, made for small integer keys.

/// A hash map keyed by chiso's own integer ids.
pub(crate) type IntMap<K, V> = rustc_hash::FxHashMap<K, V>;
