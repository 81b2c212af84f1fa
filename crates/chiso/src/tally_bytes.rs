//! Tallies as values that travel: a compact, versioned, checksummed binary form of a tally with
//! its accounting, so partial tallies built on many machines (Spark executors, other processes)
//! can be shipped, stored and added up. Adding is the ordinary additive [`Tally::merge`].
//!
//! Layout (integers little-endian; `v` = LEB128 varint; `s` = `v` length + UTF-8):
//!
//! ```text
//! "CHISOTLY"  u16 version  u16 reserved (0)  u64 payload length  payload  u32 CRC-32
//! payload: counter names (v n, s…) · units (v n, s…) · procedures (v n, s…)
//!          · periods (v n, s "YYYY-MM-DD..YYYY-MM-DD"…)
//!          · cells (v n; each v unit, v procedure + 1 or 0, v period, v mask of non-zero
//!            counters, v each non-zero counter in name order)
//!          · accounting (v scored, v n, (s reason, v count)…)
//!          · rejects (v n, (s file, v row, v 0 | v 1 s column, s message)…)
//!          · context (v n, (s key, s value)…)
//! ```
//!
//! The CRC covers everything before it, so a flipped bit or a cut buffer is refused before any
//! of it is read; counters travel by name, so a tally from a chiso with other counters is refused
//! rather than misread.

use crate::error::TallyError;
use crate::period::Period;
use crate::tally::{Accounting, CellId, Counts, Tally};
use std::collections::BTreeMap;

/// The first bytes of every serialised tally.
pub const MAGIC: [u8; 8] = *b"CHISOTLY";
/// The format version written and read; any other is refused.
pub const VERSION: u16 = 1;
/// Magic, version, reserved, payload length.
const HEADER: usize = 8 + 2 + 2 + 8;
const CHECKSUM: usize = 4;

// Non-zero counters are marked in one u64 mask.
const _: () = assert!(Counts::FIELDS.len() <= 64);

/// An input row refused before classification (unreadable), kept so the accounting of merged
/// tallies still says `read = scored + excluded + rejected`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RejectedRow {
    /// The input file the row came from.
    pub file: String,
    /// 1-based row number within the input the tally was built from.
    pub row: u64,
    /// The column at fault, when known.
    pub column: Option<String>,
    /// Why the row was refused.
    pub message: String,
}

/// A tally with everything needed to score it elsewhere: its counters, the accounting of the
/// records behind them, the rows refused, and the context it was built in (period, evaluation
/// time, options, … as the caller names them). Two portable tallies merge only when their
/// contexts are equal.
///
/// # Examples
///
/// Two partitions tallied apart, shipped as bytes, merged and scored once:
///
/// ```
/// use chiso::pipeline::run_tally;
/// use chiso::{Dossier, PortableTally, Profile, Tally, TallyContext, WeekdaysOnly};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let at = |s: &str| chiso::period::parse_moment(s).ok();
/// let dossier = |id: &str, finished: &str| Dossier {
///     dossier_id: id.into(),
///     unit_code: "H99".into(),
///     received_at: at("2026-09-01T08:00"),
///     due_at: at("2026-09-04T17:00"),
///     finished_at: at(finished),
///     ..Dossier::default()
/// };
/// let profile = Profile::builtin("portal-2026")?;
/// let (period, as_of) = ("2026-09".parse()?, chiso::period::parse_moment("2026-09-30T17:00")?);
/// let ctx = TallyContext::new(period, as_of, profile.options, profile.limits, &WeekdaysOnly, &[]);
/// let partitions = [vec![dossier("A1", "2026-09-03T10:00")], vec![dossier("A2", "2026-09-08T10:00")]];
/// let bytes: Vec<Vec<u8>> = partitions
///     .iter()
///     .map(|p| {
///         let (tally, accounting) = Tally::build(&ctx, p, &[]);
///         PortableTally::new(tally, accounting).to_bytes()
///     })
///     .collect();
///
/// let mut merged = PortableTally::from_bytes(&bytes[0])?;
/// merged.merge(&PortableTally::from_bytes(&bytes[1])?)?;
/// assert_eq!(merged.accounting.scored, 2);
/// let r = run_tally(merged.tally, merged.accounting, &[], None, &[], ctx.period.clone(), as_of,
///     &profile, profile.options, &WeekdaysOnly)?;
/// let on_time = r.scorecard.unit("H99").and_then(|u| u.indicator("2.1")).ok_or("no 2.1")?;
/// assert_eq!((on_time.numerator, on_time.denominator), (1.0, 2.0));
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PortableTally {
    /// The counters.
    pub tally: Tally,
    /// What happened to each record behind them.
    pub accounting: Accounting,
    /// Rows refused before classification.
    pub rejects: Vec<RejectedRow>,
    /// The settings it was built with (`period`, `as_of`, …); tallies merge only when these are equal.
    pub context: BTreeMap<String, String>,
}

impl PortableTally {
    /// A portable tally with no rejects and an empty context.
    pub fn new(tally: Tally, accounting: Accounting) -> Self {
        Self {
            tally,
            accounting,
            ..Self::default()
        }
    }

    /// Adds another tally into this one: counters, accounting and rejects. Refused, leaving this
    /// one unchanged, when the contexts differ.
    pub fn merge(&mut self, other: &PortableTally) -> Result<(), TallyError> {
        if self.context != other.context {
            let keys = self.context.keys().chain(other.context.keys());
            for key in keys {
                let (a, b) = (self.context.get(key), other.context.get(key));
                if a != b {
                    let show = |v: Option<&String>| v.cloned().unwrap_or_else(|| "(none)".into());
                    return Err(TallyError::Mismatch {
                        key: key.clone(),
                        left: show(a),
                        right: show(b),
                    });
                }
            }
        }
        self.tally.merge(&other.tally);
        self.accounting.merge(&other.accounting);
        self.rejects.extend(other.rejects.iter().cloned());
        Ok(())
    }

    /// The binary form (see the module documentation).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Vec::with_capacity(HEADER + 64 + self.tally.len() * 24);
        w.extend_from_slice(&MAGIC);
        w.extend_from_slice(&VERSION.to_le_bytes());
        w.extend_from_slice(&0u16.to_le_bytes());
        w.extend_from_slice(&0u64.to_le_bytes());
        self.write_payload(&mut w);
        let payload = (w.len() - HEADER) as u64;
        w[12..HEADER].copy_from_slice(&payload.to_le_bytes());
        let crc = crc32fast::hash(&w);
        w.extend_from_slice(&crc.to_le_bytes());
        w
    }

    fn write_payload(&self, w: &mut Vec<u8>) {
        put_v(w, Counts::FIELDS.len() as u64);
        for name in Counts::FIELDS {
            put_s(w, name);
        }
        let parts = self.tally.parts();
        for codes in [parts.units, parts.procedures] {
            put_v(w, codes.len() as u64);
            for c in codes {
                put_s(w, c);
            }
        }
        put_v(w, parts.periods.len() as u64);
        for p in parts.periods {
            put_s(w, &format!("{}..{}", p.start(), p.end()));
        }
        put_v(w, parts.cells.len() as u64);
        for ((u, p, t), c) in &parts.cells {
            put_v(w, u64::from(*u));
            put_v(w, u64::from(*p));
            put_v(w, u64::from(*t));
            let values = c.values();
            let mask = values
                .iter()
                .enumerate()
                .filter(|(_, v)| **v != 0)
                .fold(0u64, |m, (i, _)| m | 1 << i);
            put_v(w, mask);
            for v in values.into_iter().filter(|v| *v != 0) {
                put_v(w, v);
            }
        }
        put_v(w, self.accounting.scored);
        for excluded in [
            &self.accounting.excluded,
            &self.accounting.excluded_from_2_1,
        ] {
            put_v(w, excluded.len() as u64);
            for (reason, n) in excluded {
                put_s(w, reason);
                put_v(w, *n);
            }
        }
        put_v(w, self.rejects.len() as u64);
        for r in &self.rejects {
            put_s(w, &r.file);
            put_v(w, r.row);
            match &r.column {
                None => put_v(w, 0),
                Some(c) => {
                    put_v(w, 1);
                    put_s(w, c);
                }
            }
            put_s(w, &r.message);
        }
        put_v(w, self.context.len() as u64);
        for (k, v) in &self.context {
            put_s(w, k);
            put_s(w, v);
        }
    }

    /// Reads the binary form; refuses other magic bytes, another format version, a truncated
    /// or corrupt buffer.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, TallyError> {
        let magic_len = bytes.len().min(MAGIC.len());
        if bytes[..magic_len] != MAGIC[..magic_len] {
            return Err(TallyError::NotATally);
        }
        let truncated = |needed: usize| TallyError::Truncated {
            len: bytes.len(),
            needed,
        };
        if bytes.len() < HEADER {
            return Err(truncated(HEADER + CHECKSUM));
        }
        let version = u16::from_le_bytes([bytes[8], bytes[9]]);
        if version != VERSION {
            return Err(TallyError::Version {
                found: version,
                supported: VERSION,
            });
        }
        let mut len = [0u8; 8];
        len.copy_from_slice(&bytes[12..HEADER]);
        let payload = usize::try_from(u64::from_le_bytes(len)).unwrap_or(usize::MAX);
        let needed = HEADER.saturating_add(payload).saturating_add(CHECKSUM);
        if bytes.len() < needed {
            return Err(truncated(needed));
        }
        if bytes.len() > needed {
            return Err(TallyError::Malformed(format!(
                "{} bytes after the end of the tally",
                bytes.len() - needed
            )));
        }
        let body = &bytes[..needed - CHECKSUM];
        let mut stored = [0u8; 4];
        stored.copy_from_slice(&bytes[needed - CHECKSUM..]);
        let stored = u32::from_le_bytes(stored);
        let computed = crc32fast::hash(body);
        if stored != computed {
            return Err(TallyError::Checksum { stored, computed });
        }
        if bytes[10..12] != [0, 0] {
            return Err(TallyError::Malformed("reserved header bytes set".into()));
        }
        let mut r = Reader {
            buf: &body[HEADER..],
        };
        let out = r.payload().map_err(TallyError::Malformed)?;
        if !r.buf.is_empty() {
            return Err(TallyError::Malformed(format!(
                "{} unread bytes in the payload",
                r.buf.len()
            )));
        }
        Ok(out)
    }
}

/// Writes a LEB128 varint.
fn put_v(w: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        w.push((v as u8) | 0x80);
        v >>= 7;
    }
    w.push(v as u8);
}

/// Writes a length-prefixed UTF-8 string.
fn put_s(w: &mut Vec<u8>, s: &str) {
    put_v(w, s.len() as u64);
    w.extend_from_slice(s.as_bytes());
}

/// Reads a checksummed payload; every error is a message for [`TallyError::Malformed`].
struct Reader<'a> {
    buf: &'a [u8],
}

type Read<T> = std::result::Result<T, String>;

impl Reader<'_> {
    fn v(&mut self) -> Read<u64> {
        let mut out = 0u64;
        for shift in (0..64).step_by(7) {
            let (&b, rest) = self
                .buf
                .split_first()
                .ok_or("payload ends inside a number")?;
            self.buf = rest;
            let part = u64::from(b & 0x7f);
            if shift == 63 && part > 1 {
                return Err("number too large".into());
            }
            out |= part << shift;
            if b & 0x80 == 0 {
                return Ok(out);
            }
        }
        Err("number too long".into())
    }

    fn u32(&mut self) -> Read<u32> {
        u32::try_from(self.v()?).map_err(|_| "index too large".to_string())
    }

    /// A count of items, each at least one byte long, so a corrupt count cannot make a huge
    /// allocation.
    fn count(&mut self) -> Read<usize> {
        let n = self.v()?;
        match usize::try_from(n) {
            Ok(n) if n <= self.buf.len() => Ok(n),
            _ => Err(format!("count {n} exceeds the bytes left")),
        }
    }

    fn s(&mut self) -> Read<String> {
        let n = self.count()?;
        let (head, rest) = self.buf.split_at(n);
        self.buf = rest;
        String::from_utf8(head.to_vec()).map_err(|_| "text is not UTF-8".to_string())
    }

    fn strings(&mut self) -> Read<Vec<String>> {
        let n = self.count()?;
        (0..n).map(|_| self.s()).collect()
    }

    fn payload(&mut self) -> Read<PortableTally> {
        let names = self.strings()?;
        if names.len() != Counts::FIELDS.len()
            || names.iter().zip(Counts::FIELDS).any(|(a, b)| a != b)
        {
            return Err(format!(
                "counters {names:?} differ from this chiso's {:?}",
                Counts::FIELDS
            ));
        }
        let units = self.strings()?;
        let procedures = self.strings()?;
        let periods = self
            .strings()?
            .iter()
            .map(|p| p.parse::<Period>().map_err(|e| e.to_string()))
            .collect::<Read<Vec<_>>>()?;
        let n = self.count()?;
        let mut cells: Vec<(CellId, Counts)> = Vec::with_capacity(n);
        for _ in 0..n {
            let id = (self.u32()?, self.u32()?, self.u32()?);
            let mask = self.v()?;
            if Counts::FIELDS.len() < 64 && mask >> Counts::FIELDS.len() != 0 {
                return Err("counter mask names unknown counters".into());
            }
            let mut c = Counts::default();
            for (i, name) in Counts::FIELDS.iter().enumerate() {
                if mask & (1 << i) != 0 {
                    c.set(name, self.v()?);
                }
            }
            cells.push((id, c));
        }
        let tally = Tally::from_parts(units, procedures, periods, cells)?;
        let mut accounting = Accounting {
            scored: self.v()?,
            ..Accounting::default()
        };
        // Exclusions from every indicator, then those from 2.1 alone (no deadline).
        for excluded in [&mut accounting.excluded, &mut accounting.excluded_from_2_1] {
            for _ in 0..self.count()? {
                let reason = self.s()?;
                let n = self.v()?;
                if excluded.insert(reason, n).is_some() {
                    return Err("an exclusion reason comes twice".into());
                }
            }
        }
        let mut rejects = Vec::new();
        for _ in 0..self.count()? {
            let file = self.s()?;
            let row = self.v()?;
            let column = match self.v()? {
                0 => None,
                1 => Some(self.s()?),
                _ => return Err("bad column marker in a reject".into()),
            };
            let message = self.s()?;
            rejects.push(RejectedRow {
                file,
                row,
                column,
                message,
            });
        }
        let mut context = BTreeMap::new();
        for _ in 0..self.count()? {
            let k = self.s()?;
            let v = self.s()?;
            if context.insert(k, v).is_some() {
                return Err("a context key comes twice".into());
            }
        }
        Ok(PortableTally {
            tally,
            accounting,
            rejects,
            context,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn sample() -> PortableTally {
        let mut t = Tally::new();
        let p: Period = "2026-Q3".parse().unwrap();
        t.cell_mut("H44.01", Some("1.0001"), &p).received = 3;
        t.cell_mut("H44.01", Some("1.0001"), &p).resolution_minutes = u64::MAX;
        t.cell_mut("H44.02", None, &p);
        let mut acc = Accounting {
            scored: 3,
            ..Accounting::default()
        };
        acc.excluded.insert("not received".into(), 2);
        PortableTally {
            tally: t,
            accounting: acc,
            rejects: vec![RejectedRow {
                file: "d.csv".into(),
                row: 7,
                column: Some("received_at".into()),
                message: "not a date".into(),
            }],
            context: [("period".to_string(), "2026-Q3".to_string())].into(),
        }
    }

    #[test]
    fn round_trips_and_lays_out_the_same_bytes_again() {
        let a = sample();
        let b = a.to_bytes();
        let back = PortableTally::from_bytes(&b).unwrap();
        assert_eq!(back, a);
        assert_eq!(back.tally.len(), 2, "the empty unit-level cell is kept");
        assert_eq!(back.to_bytes(), b);
    }

    #[test]
    fn varints_round_trip_at_the_edges() {
        for v in [
            0,
            1,
            127,
            128,
            16_383,
            16_384,
            u64::from(u32::MAX),
            u64::MAX - 1,
            u64::MAX,
        ] {
            let mut w = Vec::new();
            put_v(&mut w, v);
            let mut r = Reader { buf: &w };
            assert_eq!(r.v().unwrap(), v);
            assert!(r.buf.is_empty());
        }
    }

    #[test]
    fn another_magic_is_not_a_tally() {
        let mut b = sample().to_bytes();
        b[0] = b'X';
        assert_eq!(PortableTally::from_bytes(&b), Err(TallyError::NotATally));
    }

    #[test]
    fn trailing_bytes_are_refused() {
        let mut b = sample().to_bytes();
        b.push(0);
        assert!(matches!(
            PortableTally::from_bytes(&b),
            Err(TallyError::Malformed(_))
        ));
    }

    #[test]
    fn a_checksummed_but_malformed_payload_is_refused() {
        // A count far beyond the bytes left, with a valid checksum.
        let mut w = Vec::new();
        w.extend_from_slice(&MAGIC);
        w.extend_from_slice(&VERSION.to_le_bytes());
        w.extend_from_slice(&0u16.to_le_bytes());
        w.extend_from_slice(&2u64.to_le_bytes());
        w.extend_from_slice(&[0xff, 0x7f]);
        let crc = crc32fast::hash(&w);
        w.extend_from_slice(&crc.to_le_bytes());
        assert!(matches!(
            PortableTally::from_bytes(&w),
            Err(TallyError::Malformed(m)) if m.contains("exceeds")
        ));
    }

    #[test]
    fn merging_refuses_other_contexts_and_changes_nothing() {
        let mut a = sample();
        let mut b = sample();
        b.context.insert("period".into(), "2026-Q4".into());
        let before = a.clone();
        let e = a.merge(&b).unwrap_err();
        assert!(
            matches!(&e, TallyError::Mismatch { key, .. } if key == "period"),
            "{e}"
        );
        assert_eq!(a, before);
        b.context = a.context.clone();
        a.merge(&b).unwrap();
        assert_eq!(a.accounting.scored, 6);
        let c = a.tally.cells().find(|(k, _)| k.unit == "H44.01").unwrap().1;
        assert_eq!(
            (c.received, c.resolution_minutes),
            (6, u64::MAX),
            "saturates, no panic"
        );
        assert_eq!(a.rejects.len(), 2);
    }
}
