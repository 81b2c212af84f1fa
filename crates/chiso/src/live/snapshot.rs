//! The scoreboard's snapshot as bytes: what it scores with, its clock, and every tracked
//! dossier's slot — not its tallies, which are rebuilt on load from the slots (so a snapshot
//! can never hold counters that disagree with its dossiers). Layout: magic, version, payload
//! length, payload, CRC-32 of everything before it. A truncated, foreign, corrupted or
//! other-version snapshot is refused whole. Writing the file (atomically) is the caller's job.

use super::state::{Slot, WaitLists};
use super::{Config, LiveError, Scoreboard, SharedCalendar};
use crate::classify::Times;
use crate::model::Status;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// The first bytes of every snapshot.
pub const MAGIC: &[u8; 8] = b"CHISOLIV";
/// The snapshot layout this build writes and reads.
pub const SNAPSHOT_VERSION: u32 = 1;
const HEAD: usize = 8 + 4 + 8;

/// Why a snapshot was refused.
#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum SnapshotError {
    /// Not a chiso scoreboard snapshot.
    #[error("not a chiso scoreboard snapshot (wrong magic bytes)")]
    Foreign,
    #[error("snapshot version {found} cannot be read by this build (it reads version {expected})")]
    /// Written by a build with another snapshot format.
    Version {
        /// The version in the bytes.
        found: u32,
        /// The version this build reads.
        expected: u32,
    },
    /// The bytes end before the snapshot does.
    #[error("truncated snapshot: {0}")]
    Truncated(String),
    /// The contents do not match their checksum.
    #[error("corrupted snapshot: checksum mismatch")]
    Checksum,
    /// Checksummed but not well formed.
    #[error("corrupted snapshot: {0}")]
    Corrupt(String),
    #[error("the snapshot was made with calendar {saved:?}, not {given:?}")]
    /// Loaded with another working-day calendar than it was made with.
    Calendar {
        /// The calendar the snapshot was made with.
        saved: String,
        /// The calendar given to load it.
        given: String,
    },
}

/// What a snapshot says besides its dossiers.
#[derive(Serialize, Deserialize)]
struct Header {
    config: Config,
    calendar: String,
    now: NaiveDateTime,
    #[serde(default)]
    bookmark: String,
}

struct Writer(Vec<u8>);

impl Writer {
    fn u8(&mut self, x: u8) {
        self.0.push(x);
    }
    fn u32(&mut self, x: u32) {
        self.0.extend_from_slice(&x.to_le_bytes());
    }
    fn u64(&mut self, x: u64) {
        self.0.extend_from_slice(&x.to_le_bytes());
    }
    fn i64(&mut self, x: i64) {
        self.0.extend_from_slice(&x.to_le_bytes());
    }
    fn bytes(&mut self, b: &[u8]) {
        self.u64(b.len() as u64);
        self.0.extend_from_slice(b);
    }
    fn pairs(&mut self, p: &[(i64, i64)]) {
        self.u32(p.len() as u32);
        for &(a, b) in p {
            self.i64(a);
            self.i64(b);
        }
    }
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], SnapshotError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.b.len());
        let Some(end) = end else {
            return Err(SnapshotError::Corrupt(format!(
                "a field runs past the end of the payload at byte {}",
                self.at
            )));
        };
        let s = &self.b[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N], SnapshotError> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }
    fn u8(&mut self) -> Result<u8, SnapshotError> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<u32, SnapshotError> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    fn u64(&mut self) -> Result<u64, SnapshotError> {
        Ok(u64::from_le_bytes(self.array()?))
    }
    fn i64(&mut self) -> Result<i64, SnapshotError> {
        Ok(i64::from_le_bytes(self.array()?))
    }
    fn bytes(&mut self) -> Result<&'a [u8], SnapshotError> {
        let n = usize::try_from(self.u64()?).map_err(|_| corrupt("length"))?;
        self.take(n)
    }
    fn str(&mut self) -> Result<&'a str, SnapshotError> {
        std::str::from_utf8(self.bytes()?).map_err(|_| corrupt("text is not UTF-8"))
    }
    fn pairs(&mut self) -> Result<Box<[(i64, i64)]>, SnapshotError> {
        let n = self.u32()? as usize;
        if n > self.b.len() / 16 {
            return Err(corrupt("wait count"));
        }
        (0..n).map(|_| Ok((self.i64()?, self.i64()?))).collect()
    }
}

fn corrupt(what: &str) -> SnapshotError {
    SnapshotError::Corrupt(what.to_string())
}

/// The snapshot of a scoreboard.
pub(super) fn encode(sb: &Scoreboard) -> Vec<u8> {
    let header = Header {
        config: (*sb.config).clone(),
        calendar: sb.calendar.name().to_string(),
        now: sb.now,
        bookmark: sb.bookmark.clone(),
    };
    let mut w = Writer(Vec::with_capacity(64 + sb.store.len() * 96));
    // A header of plain data always serialises.
    w.bytes(&serde_json::to_vec(&header).unwrap_or_default());
    let store = &sb.store;
    for codes in [&store.units.values, &store.raw_procedures.values] {
        w.u32(codes.len() as u32);
        for c in codes {
            w.bytes(c.as_bytes());
        }
    }
    w.u64(store.len() as u64);
    for i in store.live() {
        let s = &store.slots[i as usize];
        w.bytes(store.ids.get(i).as_bytes());
        let t = &s.times;
        for x in [
            t.received,
            t.due,
            t.rescheduled_due,
            t.finished,
            t.returned,
            s.synced,
        ] {
            w.i64(x);
        }
        w.u32(s.unit);
        w.u32(s.procedure);
        w.u8(s.status as u8);
        w.u8(s.flags);
        w.u8(s.facts);
        let waits = store.waits_of(i).cloned().unwrap_or_default();
        w.pairs(&waits.supplements);
        w.pairs(&waits.fee_waits);
    }
    let payload = w.0;
    let mut out = Vec::with_capacity(HEAD + payload.len() + 4);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&SNAPSHOT_VERSION.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&payload);
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// A scoreboard from its snapshot; all or nothing.
pub(super) fn decode(bytes: &[u8], calendar: SharedCalendar) -> Result<Scoreboard, LiveError> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(if MAGIC.starts_with(bytes) {
            SnapshotError::Truncated(format!("{} bytes, not even a header", bytes.len()))
        } else {
            SnapshotError::Foreign
        }
        .into());
    }
    if bytes.len() < HEAD + 4 {
        return Err(
            SnapshotError::Truncated(format!("{} bytes, not even a header", bytes.len())).into(),
        );
    }
    let mut head = Reader { b: bytes, at: 8 };
    let version = head.u32()?;
    if version != SNAPSHOT_VERSION {
        return Err(SnapshotError::Version {
            found: version,
            expected: SNAPSHOT_VERSION,
        }
        .into());
    }
    let len = head.u64()?;
    let want = (HEAD as u64).saturating_add(len).saturating_add(4);
    if (bytes.len() as u64) < want {
        return Err(SnapshotError::Truncated(format!(
            "{} bytes of the {want} its header announces",
            bytes.len()
        ))
        .into());
    }
    if bytes.len() as u64 > want {
        return Err(corrupt("bytes after the end of the snapshot").into());
    }
    let body = bytes.len() - 4;
    let mut crc = [0u8; 4];
    crc.copy_from_slice(&bytes[body..]);
    if crc32fast::hash(&bytes[..body]) != u32::from_le_bytes(crc) {
        return Err(SnapshotError::Checksum.into());
    }
    let mut r = Reader {
        b: &bytes[HEAD..body],
        at: 0,
    };
    let header: Header = serde_json::from_slice(r.bytes()?)
        .map_err(|e| SnapshotError::Corrupt(format!("header: {e}")))?;
    if header.calendar != calendar.name() {
        return Err(SnapshotError::Calendar {
            saved: header.calendar,
            given: calendar.name().to_string(),
        }
        .into());
    }
    let mut sb = Scoreboard::new(header.config, calendar, header.now)?;
    sb.bookmark = header.bookmark;
    let mut units = Vec::new();
    for _ in 0..r.u32()? {
        let code = r.str()?;
        units.push(sb.store.unit_id(code));
    }
    let mut procedures = Vec::new();
    for _ in 0..r.u32()? {
        let code = r.str()?;
        procedures.push(sb.store.procedure_id(code));
    }
    let n = r.u64()?;
    // Each dossier takes at least 60 bytes: a count beyond that is corruption.
    if n > (r.b.len() / 60) as u64 {
        return Err(corrupt("dossier count").into());
    }
    sb.store.reserve(n as usize);
    for _ in 0..n {
        let id = r.str()?;
        if id.is_empty() || sb.store.find(id).is_some() {
            return Err(corrupt("an empty or repeated dossier id").into());
        }
        let mut t = [0i64; 6];
        for x in &mut t {
            *x = r.i64()?;
        }
        let unit = *units
            .get(r.u32()? as usize)
            .ok_or_else(|| corrupt("unit index"))?;
        let procedure = *procedures
            .get(r.u32()? as usize)
            .ok_or_else(|| corrupt("procedure index"))?;
        let status = Status::try_from(r.u8()?).map_err(|_| corrupt("status"))?;
        let (flags, facts) = (r.u8()?, r.u8()?);
        let waits = WaitLists {
            supplements: r.pairs()?,
            fee_waits: r.pairs()?,
        };
        let slot = Slot {
            times: Times {
                received: t[0],
                due: t[1],
                rescheduled_due: t[2],
                finished: t[3],
                returned: t[4],
            },
            synced: t[5],
            generation: 0,
            unit,
            procedure,
            status,
            flags,
            facts,
        };
        sb.track(id, slot, waits);
    }
    if r.at != r.b.len() {
        return Err(corrupt("bytes after the last dossier").into());
    }
    sb.baseline = sb.scorecards()?;
    Ok(sb)
}

impl Scoreboard {
    /// The snapshot: versioned and checksummed bytes that [`Scoreboard::from_bytes`] turns
    /// back into this scoreboard (its tallies are rebuilt from its dossiers).
    pub fn to_bytes(&self) -> Vec<u8> {
        encode(self)
    }

    /// A scoreboard from its snapshot, with the calendar it was made with. A truncated,
    /// foreign, corrupted or other-version snapshot is refused whole.
    pub fn from_bytes(bytes: &[u8], calendar: SharedCalendar) -> Result<Self, LiveError> {
        decode(bytes, calendar)
    }
}
