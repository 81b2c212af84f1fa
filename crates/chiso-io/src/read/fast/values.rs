//! Field values parsed from bytes exactly as the ordinary conversions parse them; anything else
//! steps aside. One set of parsers for every byte source: the CSV fast path's fields and the
//! offsets and values buffers of Arrow text columns ([`super::batch_columns`]), so that a text
//! cell reads the same whichever way it came.

use super::{not_fast, NotFast};
use crate::read::cell::{self, Cell};
use crate::read::intern::Codes;
use crate::read::plain::plain_time;
use chiso::columnar::{millis_of, time_of, NO_TIME};

/// A value, or why the ordinary reader must read it.
type Parsed<T> = std::result::Result<T, NotFast>;

/// Codes interned by one worker (its own indices; each worker finishes its own tally), from
/// bytes already stripped of white space; text that is not UTF-8 steps aside.
pub(super) fn code_id(codes: &mut Codes, code: &[u8]) -> Parsed<u32> {
    codes
        .id_bytes(code)
        .ok_or_else(|| NotFast("text that is not UTF-8".into()))
}

/// ASCII white space as `str::trim` sees it (which, unlike `u8::is_ascii_whitespace`,
/// includes the vertical tab).
#[inline]
pub(super) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Trims ASCII white space; non-ASCII white space is left to the ordinary conversions.
#[inline]
pub(super) fn trim(v: &[u8]) -> &[u8] {
    let mut a = 0;
    let mut b = v.len();
    while a < b && is_space(v[a]) {
        a += 1;
    }
    while b > a && is_space(v[b - 1]) {
        b -= 1;
    }
    &v[a..b]
}

pub(super) fn text(v: &[u8]) -> Parsed<&str> {
    std::str::from_utf8(v).or_else(|_| not_fast("text that is not UTF-8"))
}

/// A code as `Cell::code` makes it: white space removed. Plain ASCII codes are used as they
/// are (printable ASCII without spaces has no white space to remove); anything else goes
/// through the ordinary conversion.
#[inline]
pub(super) fn code<'a>(v: &'a [u8], buf: &'a mut String) -> Parsed<&'a [u8]> {
    let t = trim(v);
    if t.iter().all(|&b| b.is_ascii_graphic()) {
        return Ok(t);
    }
    *buf = Cell::Str(text(v)?).code().unwrap_or_default();
    Ok(buf.as_bytes())
}

/// A moment in local milliseconds as the ordinary reader would read it.
#[inline]
pub(super) fn moment(v: &[u8], end_of_day: bool) -> Parsed<i64> {
    let t = trim(v);
    if t.is_empty() {
        return Ok(NO_TIME);
    }
    if let Some(ms) = plain_time(t, end_of_day) {
        return Ok(ms);
    }
    let s = text(v)?;
    match Cell::Str(s).datetime(end_of_day) {
        Err(e) => not_fast(format!("a time the ordinary reader rejects: {e}")),
        Ok(t) => exact_millis(t),
    }
}

/// Milliseconds of a parsed time, stepping aside when they would not give the time back
/// (sub-millisecond parts, leap seconds).
pub(super) fn exact_millis(t: Option<chrono::NaiveDateTime>) -> Parsed<i64> {
    let ms = millis_of(t);
    if time_of(ms) != t {
        return not_fast("a time finer than a millisecond");
    }
    Ok(ms)
}

/// `true`/`false`/`1`/`0` directly; anything else as `Cell::boolean` reads it.
#[inline]
pub(super) fn yes_no(v: &[u8]) -> Parsed<bool> {
    match trim(v) {
        b"" | b"false" | b"0" => Ok(false),
        b"true" | b"1" => Ok(true),
        _ => Cell::Str(text(v)?)
            .boolean()
            .map(|b| b.unwrap_or(false))
            .or_else(|e| not_fast(format!("a yes/no value the ordinary reader rejects: {e}"))),
    }
}

/// `e_result` as `cell::e_result` reads it: plain yes/no directly, anything else (a JSON list
/// of results, Vietnamese yes/no) through that conversion.
#[inline]
pub(super) fn e_result(v: &[u8]) -> Parsed<bool> {
    match trim(v) {
        b"" | b"false" | b"0" => Ok(false),
        b"true" | b"1" => Ok(true),
        _ => cell::e_result(&Cell::Str(text(v)?))
            .map(|b| b.unwrap_or(false))
            .or_else(|e| not_fast(format!("e_result: {e}"))),
    }
}

/// A fee as `cell::fee_total` reads it; plain `123` and `123.45` directly (but not
/// `50.000`, which the ordinary reader takes for fifty thousand).
#[inline]
pub(super) fn fee(v: &[u8]) -> Parsed<f64> {
    let t = trim(v);
    if t.is_empty() {
        return Ok(0.0);
    }
    let dot = t.iter().position(|&b| b == b'.');
    let (int, frac) = match dot {
        Some(d) => (&t[..d], &t[d + 1..]),
        None => (t, &t[t.len()..]),
    };
    // `1.234`-like: thousands grouping to the ordinary reader.
    let grouped = (1..=3).contains(&int.len()) && frac.len() == 3;
    let plain = !int.is_empty()
        && int.len() <= 15
        && int.iter().all(u8::is_ascii_digit)
        && frac.iter().all(u8::is_ascii_digit)
        && (dot.is_none() || !(frac.is_empty() || grouped));
    if plain {
        if frac.iter().all(|&b| b == b'0') {
            let mut x = 0u64;
            for &b in int {
                x = x * 10 + u64::from(b - b'0');
            }
            return Ok(x as f64);
        }
        if let Ok(x) = text(t)?.parse::<f64>() {
            return Ok(x);
        }
    }
    match cell::fee_total(&Cell::Str(text(v)?)) {
        Err(e) => not_fast(format!("a fee the ordinary reader rejects: {e}")),
        Ok(x) => {
            let x = x.unwrap_or(0.0);
            if x < 0.0 {
                return not_fast("a negative fee (the ordinary reader rejects the row)");
            }
            Ok(x)
        }
    }
}

/// Small codes (status, channel, payment) read by the ordinary conversion once per distinct
/// one- or two-digit value and remembered.
pub(super) struct CodeTable {
    pub(super) convert: fn(&Cell<'_>) -> std::result::Result<Option<u8>, String>,
    pub(super) known: [Option<std::result::Result<u8, String>>; 100],
}

impl CodeTable {
    pub(super) fn new(convert: fn(&Cell<'_>) -> std::result::Result<Option<u8>, String>) -> Self {
        Self {
            convert,
            known: std::array::from_fn(|_| None),
        }
    }

    #[inline]
    pub(super) fn get(&mut self, v: &[u8]) -> Parsed<u8> {
        let t = trim(v);
        let small = match t {
            [] => return Ok(0),
            [a] if a.is_ascii_digit() => Some(usize::from(a - b'0')),
            [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => {
                Some(usize::from(a - b'0') * 10 + usize::from(b - b'0'))
            }
            _ => None,
        };
        let read = |s: &str, f: fn(&Cell<'_>) -> std::result::Result<Option<u8>, String>| {
            f(&Cell::Str(s)).map(|x| x.unwrap_or(0))
        };
        let r = match small {
            Some(k) => match &self.known[k] {
                Some(r) => r.clone(),
                None => {
                    let r = read(text(t)?, self.convert);
                    self.known[k] = Some(r.clone());
                    r
                }
            },
            None => read(text(v)?, self.convert),
        };
        r.or_else(|e| not_fast(format!("a code the ordinary reader rejects: {e}")))
    }
}

pub(super) fn status_code(c: &Cell<'_>) -> std::result::Result<Option<u8>, String> {
    Ok(cell::status(c)?.map(u8::from))
}
pub(super) fn channel_code(c: &Cell<'_>) -> std::result::Result<Option<u8>, String> {
    Ok(cell::channel(c)?.map(u8::from))
}
pub(super) fn gateway_code(c: &Cell<'_>) -> std::result::Result<Option<u8>, String> {
    Ok(cell::gateway(c)?.map(u8::from))
}
