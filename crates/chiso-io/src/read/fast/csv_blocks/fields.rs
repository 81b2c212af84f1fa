//! Splitting a record into fields straight from bytes, and cutting blocks at record ends.

use super::*;
use crate::read::limits::MAX_CELL;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Stop {
    /// A delimiter: another field follows.
    Field,
    /// A line end: the record ends.
    Line,
    /// The end of the data: the record ends.
    Eof,
}

/// One field: its bytes (in the data, or unescaped into the scratch buffer when it held doubled
/// quotes), where the next field starts and what ended it.
#[derive(Clone, Copy, Debug)]
pub(super) struct Field {
    pub(super) from: usize,
    pub(super) to: usize,
    pub(super) in_scratch: bool,
    pub(super) next: usize,
    pub(super) end: Stop,
}

impl Field {
    #[inline]
    pub(super) fn value<'a>(&self, data: &'a [u8], scratch: &'a [u8]) -> &'a [u8] {
        if self.in_scratch {
            scratch
        } else {
            &data[self.from..self.to]
        }
    }
}

/// The first delimiter, line end or quote at or after `q` (the data's length if none): eight
/// bytes at a time, since fields are short but many.
#[inline]
pub(super) fn special(data: &[u8], mut q: usize, delimiter: u8) -> usize {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    // High bit set in each byte of `v` that is zero; the lowest flagged byte is always exact.
    let zero = |v: u64| v.wrapping_sub(LO) & !v & HI;
    let (d, lf, cr, qt) = (
        LO * u64::from(delimiter),
        LO * u64::from(b'\n'),
        LO * u64::from(b'\r'),
        LO * u64::from(b'"'),
    );
    while let Some(w) = data.get(q..q + 8).and_then(|s| <[u8; 8]>::try_from(s).ok()) {
        let x = u64::from_le_bytes(w);
        let m = zero(x ^ d) | zero(x ^ lf) | zero(x ^ cr) | zero(x ^ qt);
        if m != 0 {
            return q + (m.trailing_zeros() / 8) as usize;
        }
        q += 8;
    }
    while q < data.len() {
        let b = data[q];
        if b == delimiter || b == b'\n' || b == b'\r' || b == b'"' {
            break;
        }
        q += 1;
    }
    q
}

/// What follows the end of a field at `q`.
#[inline]
pub(super) fn after(data: &[u8], q: usize, delimiter: u8) -> Step<(usize, Stop)> {
    match data.get(q) {
        None => Ok((q, Stop::Eof)),
        Some(&b) if b == delimiter => Ok((q + 1, Stop::Field)),
        Some(b'\n') => Ok((q + 1, Stop::Line)),
        Some(b'\r') if data.get(q + 1) == Some(&b'\n') => Ok((q + 2, Stop::Line)),
        Some(b'\r') => not_fast("a lone carriage return"),
        Some(b'"') => not_fast("a quote inside a field"),
        Some(_) => not_fast("text after a closing quote"),
    }
}

/// A cell over the limit is the ordinary reader's to refuse (with its line number).
#[inline]
fn too_long(bytes: usize) -> Step<()> {
    if bytes > MAX_CELL {
        return not_fast("a cell longer than the largest cell read");
    }
    Ok(())
}

/// Splits the field starting at `p`. Quoted fields may hold delimiters, line feeds and doubled
/// quotes; anything the CSV parser reads in a way this does not (a quote inside an unquoted
/// field, text after a closing quote, carriage returns, which the ordinary reader rewrites) makes
/// the fast path step aside.
#[inline]
pub(super) fn field(data: &[u8], p: usize, delimiter: u8, scratch: &mut Vec<u8>) -> Step<Field> {
    if data.get(p) != Some(&b'"') {
        let q = special(data, p, delimiter);
        too_long(q - p)?;
        let (next, end) = after(data, q, delimiter)?;
        return Ok(Field {
            from: p,
            to: q,
            in_scratch: false,
            next,
            end,
        });
    }
    let start = p + 1;
    let mut q = start;
    let mut escaped = false;
    loop {
        let Some(k) = memchr::memchr2(b'"', b'\r', &data[q..]) else {
            return not_fast("a quoted field without its closing quote");
        };
        let k = q + k;
        if data[k] == b'\r' {
            return not_fast("a carriage return inside quotes");
        }
        if data.get(k + 1) == Some(&b'"') {
            if !escaped {
                scratch.clear();
                escaped = true;
            }
            scratch.extend_from_slice(&data[q..=k]);
            q = k + 2;
            continue;
        }
        if escaped {
            scratch.extend_from_slice(&data[q..k]);
        }
        too_long(k - start)?;
        let (next, end) = after(data, k + 1, delimiter)?;
        return Ok(Field {
            from: start,
            to: k,
            in_scratch: escaped,
            next,
            end,
        });
    }
}

/// Passes over the field starting at `p` without unescaping it, for a column scoring does not
/// read (the process log, columns no field takes): `from..to` are its raw bytes, doubled quotes
/// left in, which is enough to tell a blank field. Steps aside where [`field`] would.
#[inline]
pub(super) fn skip(data: &[u8], p: usize, delimiter: u8) -> Step<Field> {
    if data.get(p) != Some(&b'"') {
        let q = special(data, p, delimiter);
        too_long(q - p)?;
        let (next, end) = after(data, q, delimiter)?;
        return Ok(Field {
            from: p,
            to: q,
            in_scratch: false,
            next,
            end,
        });
    }
    let start = p + 1;
    let mut q = start;
    loop {
        let Some(k) = memchr::memchr2(b'"', b'\r', &data[q..]) else {
            return not_fast("a quoted field without its closing quote");
        };
        let k = q + k;
        if data[k] == b'\r' {
            return not_fast("a carriage return inside quotes");
        }
        if data.get(k + 1) == Some(&b'"') {
            q = k + 2;
            continue;
        }
        too_long(k - start)?;
        let (next, end) = after(data, k + 1, delimiter)?;
        return Ok(Field {
            from: start,
            to: k,
            in_scratch: false,
            next,
            end,
        });
    }
}

/// Where to cut a block so that it ends with a whole record: after the last line feed preceded
/// by an even number of quotes (quotes come in pairs outside a quoted field). `None` if no
/// record ends in the block. A stray quote that breaks the pairing is met by the field parser,
/// which then steps aside, so a wrong cut never yields wrong results.
pub(super) fn last_record_end(data: &[u8]) -> Option<usize> {
    // Only the parity matters: XOR over bytes vectorises well (a count widens to 64 bits).
    let mut odd = data.chunks(1 << 12).fold(0u8, |p, c| {
        p ^ c.iter().fold(0u8, |a, &b| a ^ u8::from(b == b'"'))
    });
    for k in (0..data.len()).rev() {
        match data[k] {
            b'"' => odd ^= 1,
            b'\n' if odd & 1 == 0 => return Some(k + 1),
            _ => {}
        }
    }
    None
}
