//! Plain text values parsed by hand exactly as the ordinary reader's conversions parse them
//! (`cell::parse_when` for times, `cell::waits` for supplements in the JSON shape chiso
//! writes), for the fast readers; anything not plain gives `None`/`false` and the caller uses
//! the ordinary conversion.

use chiso::columnar::NO_TIME;

#[inline]
fn digits<const N: usize>(b: &[u8], at: usize) -> Option<i64> {
    let mut x = 0i64;
    for &c in b.get(at..at + N)? {
        if !c.is_ascii_digit() {
            return None;
        }
        x = x * 10 + i64::from(c - b'0');
    }
    Some(x)
}

/// Days since 1970-01-01 of a valid proleptic Gregorian date.
#[inline]
fn days_from_civil(y: i64, m: i64, d: i64) -> Option<i64> {
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let dim = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if d < 1 || d > dim {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// `HH:MM` or `HH:MM:SS` at `at` to milliseconds into the day.
#[inline]
fn clock(b: &[u8], at: usize) -> Option<i64> {
    let n = b.len() - at;
    if !(n == 5 || n == 8) || b[at + 2] != b':' {
        return None;
    }
    let (h, m) = (digits::<2>(b, at)?, digits::<2>(b, at + 3)?);
    let s = if n == 8 {
        if b[at + 5] != b':' {
            return None;
        }
        digits::<2>(b, at + 6)?
    } else {
        0
    };
    (h < 24 && m < 60 && s < 60).then_some(((h * 60 + m) * 60 + s) * 1000)
}

/// The plain shapes `cell::parse_when` reads the same way: `YYYY-MM-DD`, `DD/MM/YYYY`,
/// either followed by `T` or a space (ISO) or a space (`/` form) and `HH:MM[:SS]`. `None` for
/// anything else (which the caller hands to the ordinary conversion).
#[inline]
pub(crate) fn plain_time(t: &[u8], end_of_day: bool) -> Option<i64> {
    if t.len() < 10 {
        return None;
    }
    let day = if t[4] == b'-' && t[7] == b'-' {
        days_from_civil(digits::<4>(t, 0)?, digits::<2>(t, 5)?, digits::<2>(t, 8)?)?
    } else if t[2] == b'/' && t[5] == b'/' {
        days_from_civil(digits::<4>(t, 6)?, digits::<2>(t, 3)?, digits::<2>(t, 0)?)?
    } else {
        return None;
    };
    let ms = day * 86_400_000;
    if t.len() == 10 {
        // A bare date: midnight, or the end of the day for due dates.
        return Some(if end_of_day { ms + 86_399_000 } else { ms });
    }
    let sep_ok = t[10] == b' ' || (t[10] == b'T' && t[4] == b'-');
    if !sep_ok {
        return None;
    }
    Some(ms + clock(t, 11)?)
}

/// Supplements in the shape chiso writes them, `[{"requested_at":"…","completed_at":"…"|null}]`
/// with plain times, read directly into the columns; `false` (nothing added) for any other
/// text, which then goes through `cell::waits`.
pub(crate) fn plain_waits(t: &[u8], requested: &mut Vec<i64>, completed: &mut Vec<i64>) -> bool {
    const REQ: &[u8] = b"{\"requested_at\":";
    const DONE: &[u8] = b",\"completed_at\":";
    let start = requested.len();
    let mut rest = match t.strip_prefix(b"[").and_then(|r| r.strip_suffix(b"]")) {
        Some(r) => r,
        None => return false,
    };
    // A quoted plain time at the start of `r`, and what follows it.
    let time = |r: &[u8]| -> Option<(i64, usize)> {
        let r = r.strip_prefix(b"\"")?;
        let end = r.iter().position(|&b| b == b'"')?;
        Some((plain_time(&r[..end], false)?, end + 2))
    };
    let mut ok = true;
    while !rest.is_empty() {
        let Some(r) = rest.strip_prefix(REQ) else {
            ok = false;
            break;
        };
        let Some((req, n)) = time(r) else {
            ok = false;
            break;
        };
        let mut r = &r[n..];
        let mut done = NO_TIME;
        if let Some(d) = r.strip_prefix(DONE) {
            if let Some(d) = d.strip_prefix(b"null") {
                r = d;
            } else if let Some((c, n)) = time(d) {
                done = c;
                r = &d[n..];
            } else {
                ok = false;
                break;
            }
        }
        let Some(r) = r.strip_prefix(b"}") else {
            ok = false;
            break;
        };
        requested.push(req);
        completed.push(done);
        rest = match r.strip_prefix(b",") {
            Some(next) if !next.is_empty() => next,
            Some(_) => {
                ok = false;
                break;
            }
            None if r.is_empty() => r,
            None => {
                ok = false;
                break;
            }
        };
    }
    if !ok {
        requested.truncate(start);
        completed.truncate(start);
    }
    ok
}
