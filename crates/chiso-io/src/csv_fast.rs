//! The fast path for CSV dossier files: the file is read in large blocks cut at record
//! boundaries, worker threads parse the fields straight from bytes into column batches with
//! interned codes and tally them through the core's columnar path (one tally per worker, merged
//! at the end: the counters are additive). No text cell and no record object is made per row.
//!
//! Results are those of the ordinary reader or nothing: every value is parsed by a hand-written
//! parser only in the plain shapes it reads exactly as `crate::convert` does (ISO and
//! `dd/MM/yyyy` times, digits, `true`/`false`), and any other value is handed to the very
//! function the ordinary reader uses. Whatever the ordinary reader would reject or treat
//! differently (a bad cell, an encoding other than UTF-8, a quote in the middle of a field, a lone
//! carriage return, a duplicate dossier id, times finer than a millisecond) makes the fast path
//! step aside with a reason, and the caller reads the file the ordinary way.

use crate::columns::{ColumnMap, RecordKind};
use crate::convert::{self, Cell};
use crate::error::{IoError, Result};
use crate::fast::NotFast;
use crate::intern::{hash_bytes, Codes};
use crate::plain::{plain_time, plain_waits};
use crate::readers::{self, InputFormat};
use chiso::columnar::{flag, millis_of, time_of, ColumnarTally, NO_TIME};
use chiso::tally::{Accounting, Tally, TallyContext};
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex};

/// Bytes read at a time: large enough that per-block costs vanish, small enough that a few
/// blocks in flight keep memory low.
pub const BLOCK: usize = 8 << 20;

type Step<T> = std::result::Result<T, NotFast>;

fn not_fast<T>(why: impl Into<String>) -> Step<T> {
    Err(NotFast(why.into()))
}

/// The tally of a CSV file, the accounting of its rows and the number of rows.
pub type CsvTally = (Tally, Accounting, usize);

/// Tallies a CSV dossier file through the fast path with [`BLOCK`]-sized reads. `Ok(Err(why))`
/// when the file is not CSV or needs the ordinary reader; `progress` gets the rows parsed so far.
pub fn tally_file(
    path: &Path,
    map: &ColumnMap,
    ctx: &TallyContext<'_>,
    threads: usize,
    progress: &mut dyn FnMut(usize),
) -> Result<Step<CsvTally>> {
    tally_file_with(path, map, ctx, threads, BLOCK, progress)
}

/// [`tally_file`] with a chosen block size (tests use tiny blocks so records straddle them).
pub fn tally_file_with(
    path: &Path,
    map: &ColumnMap,
    ctx: &TallyContext<'_>,
    threads: usize,
    block: usize,
    progress: &mut dyn FnMut(usize),
) -> Result<Step<CsvTally>> {
    if !matches!(InputFormat::from_path(path), Ok(InputFormat::Csv)) {
        return Ok(not_fast("not a CSV file"));
    }
    let mut file = std::fs::File::open(path).map_err(|e| IoError::file(path, e))?;
    if file
        .metadata()
        .map_err(|e| IoError::file(path, e))?
        .is_dir()
    {
        return Ok(not_fast("a directory"));
    }
    let mut head = Vec::with_capacity(1 << 16);
    (&mut file)
        .take(1 << 16)
        .read_to_end(&mut head)
        .map_err(|e| IoError::file(path, e))?;
    let shape = match Shape::sniff(path, &head, map) {
        Ok(s) => s,
        Err(why) => return Ok(Err(why)),
    };
    let plan = match Plan::new(&shape, ctx) {
        Ok(p) => p,
        Err(why) => return Ok(Err(why)),
    };
    // Data starts after the header row.
    file.seek(SeekFrom::Start(shape.data_start as u64))
        .map_err(|e| IoError::file(path, e))?;
    run(
        path,
        file,
        &plan,
        ctx,
        threads.clamp(1, 64),
        block.max(64),
        progress,
    )
}

// ---------------------------------------------------------------- the file's shape

/// What the ordinary reader would make of the start of the file.
struct Shape {
    delimiter: u8,
    /// Byte offset of the first data record.
    data_start: usize,
    resolution: crate::columns::Resolution,
}

impl Shape {
    fn sniff(path: &Path, head: &[u8], map: &ColumnMap) -> Step<Shape> {
        let encoding = readers::sniff_encoding(head);
        if encoding != encoding_rs::UTF_8 {
            return not_fast(format!("{} text", encoding.name()));
        }
        let (preview, _, _) = encoding.decode(head);
        let delimiter = if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("tsv"))
        {
            b'\t'
        } else {
            readers::sniff_delimiter(&preview)
        };
        let bom = if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
            3
        } else {
            0
        };
        // The first records, as candidates for the header row (the ordinary reader looks at
        // the first few).
        let mut candidates: Vec<Vec<String>> = Vec::new();
        let mut ends: Vec<usize> = Vec::new();
        let mut p = skip_empty_lines(head, bom)?;
        let mut scratch = Vec::new();
        while candidates.len() < readers::HEADER_SEARCH && p < head.len() {
            let mut row = Vec::new();
            loop {
                let f = field(head, p, delimiter, &mut scratch)?;
                if f.end == Stop::Eof && head.len() == 1 << 16 {
                    // The sample ends inside this record: it may go on.
                    return not_fast("the header rows are longer than the sample read");
                }
                row.push(
                    String::from_utf8_lossy(f.value(head, &scratch))
                        .trim()
                        .to_string(),
                );
                p = f.next;
                if f.end != Stop::Field {
                    break;
                }
            }
            candidates.push(row);
            ends.push(p);
            p = skip_empty_lines(head, p)?;
        }
        if candidates.len() < readers::HEADER_SEARCH && head.len() == 1 << 16 {
            // More candidate rows lie beyond the sample.
            return not_fast("the header rows are longer than the sample read");
        }
        let (h, resolution) = readers::find_header(RecordKind::Dossier, map, &candidates)
            .map_err(|m| NotFast(format!("header: {m}")))?;
        Ok(Shape {
            delimiter,
            data_start: ends[h],
            resolution,
        })
    }
}

/// Skips line ends at the start of a record (the CSV parser skips empty lines).
fn skip_empty_lines(data: &[u8], mut p: usize) -> Step<usize> {
    while p < data.len() {
        match data[p] {
            b'\n' => p += 1,
            b'\r' if data.get(p + 1) == Some(&b'\n') => p += 2,
            b'\r' => return not_fast("a lone carriage return"),
            _ => break,
        }
    }
    Ok(p)
}

// ---------------------------------------------------------------- splitting fields

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Stop {
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
struct Field {
    from: usize,
    to: usize,
    in_scratch: bool,
    next: usize,
    end: Stop,
}

impl Field {
    #[inline]
    fn value<'a>(&self, data: &'a [u8], scratch: &'a [u8]) -> &'a [u8] {
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
fn special(data: &[u8], mut q: usize, delimiter: u8) -> usize {
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
fn after(data: &[u8], q: usize, delimiter: u8) -> Step<(usize, Stop)> {
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

/// Splits the field starting at `p`. Quoted fields may hold delimiters, line feeds and doubled
/// quotes; anything the CSV parser reads in a way this does not (a quote inside an unquoted
/// field, text after a closing quote, carriage returns, which the ordinary reader rewrites) makes
/// the fast path step aside.
#[inline]
fn field(data: &[u8], p: usize, delimiter: u8, scratch: &mut Vec<u8>) -> Step<Field> {
    if data.get(p) != Some(&b'"') {
        let q = special(data, p, delimiter);
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
        let Some(k) = data[q..].iter().position(|&b| b == b'"' || b == b'\r') else {
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

/// Where to cut a block so that it ends with a whole record: after the last line feed preceded
/// by an even number of quotes (quotes come in pairs outside a quoted field). `None` if no
/// record ends in the block. A stray quote that breaks the pairing is met by the field parser,
/// which then steps aside, so a wrong cut never yields wrong results.
fn last_record_end(data: &[u8]) -> Option<usize> {
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

// ---------------------------------------------------------------- what each column feeds

/// The field a column feeds, as the ordinary reader's `Build for Dossier` would set it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Col {
    Ignore,
    Id,
    Unit,
    Procedure,
    Channel,
    /// A time that only has to be valid (submission and sync times do not enter the tally).
    CheckTime,
    Received,
    Due,
    RescheduledDue,
    Finished,
    Returned,
    Status,
    Supplements,
    FeeWaits,
    FeeTotal,
    PaidOnline,
    EResult,
    EResultCode,
    EResultLink,
    /// A yes/no field setting a flag bit.
    Flag(u8),
    PopulationDbCode,
    Components,
    Steps,
}

/// How to read the data rows.
struct Plan {
    delimiter: u8,
    cols: Vec<Col>,
    /// Fee waits stop the clock: the columns cannot carry them, so any fee wait steps aside.
    fee_waits_matter: bool,
}

impl Plan {
    fn new(shape: &Shape, ctx: &TallyContext<'_>) -> Step<Plan> {
        let mut cols = Vec::with_capacity(shape.resolution.columns.len());
        for spec in &shape.resolution.columns {
            let Some(spec) = spec else {
                cols.push(Col::Ignore);
                continue;
            };
            cols.push(match spec.name {
                "dossier_id" => Col::Id,
                "unit_code" => Col::Unit,
                "procedure_code" => Col::Procedure,
                "channel" => Col::Channel,
                "submitted_at" | "synced_at" => Col::CheckTime,
                "received_at" => Col::Received,
                "due_at" => Col::Due,
                "rescheduled_due_at" => Col::RescheduledDue,
                "finished_at" => Col::Finished,
                "returned_at" => Col::Returned,
                "status" => Col::Status,
                "supplements" => Col::Supplements,
                "fee_waits" => Col::FeeWaits,
                "fee_total" => Col::FeeTotal,
                "paid_online" => Col::PaidOnline,
                "e_result" => Col::EResult,
                "e_result_code" => Col::EResultCode,
                "e_result_link" => Col::EResultLink,
                "digitised" => Col::Flag(flag::DIGITISED),
                "reused_data" => Col::Flag(flag::REUSED_DATA),
                "personal_store" => Col::Flag(flag::PERSONAL_STORE),
                "population_data" => Col::Flag(flag::POPULATION_DATA),
                "unsatisfied" => Col::Flag(flag::UNSATISFIED),
                "has_petition" => Col::Flag(flag::HAS_PETITION),
                "not_synced" => Col::Flag(flag::NOT_SYNCED),
                "population_db_code" => Col::PopulationDbCode,
                "components" => Col::Components,
                "steps" => Col::Steps,
                other => return not_fast(format!("column {other} needs the ordinary reader")),
            });
        }
        if !cols.contains(&Col::Id) {
            return not_fast("no dossier_id column");
        }
        Ok(Plan {
            delimiter: shape.delimiter,
            cols,
            fee_waits_matter: ctx.options.fee_wait_stops_clock,
        })
    }
}

// ---------------------------------------------------------------- parsing values

/// Codes interned by one worker (its own indices; each worker finishes its own tally), from
/// bytes already stripped of white space; text that is not UTF-8 steps aside.
fn code_id(codes: &mut Codes, code: &[u8]) -> Step<u32> {
    codes
        .id_bytes(code)
        .ok_or_else(|| NotFast("text that is not UTF-8".into()))
}

/// ASCII white space as `str::trim` sees it (which, unlike `u8::is_ascii_whitespace`,
/// includes the vertical tab).
#[inline]
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Trims ASCII white space; non-ASCII white space is left to the ordinary conversions.
#[inline]
fn trim(v: &[u8]) -> &[u8] {
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

fn text(v: &[u8]) -> Step<&str> {
    std::str::from_utf8(v).or_else(|_| not_fast("text that is not UTF-8"))
}

/// A code as `Cell::code` makes it: white space removed. Plain ASCII codes are used as they
/// are (printable ASCII without spaces has no white space to remove); anything else goes
/// through the ordinary conversion.
#[inline]
fn code<'a>(v: &'a [u8], buf: &'a mut String) -> Step<&'a [u8]> {
    let t = trim(v);
    if t.iter().all(|&b| b.is_ascii_graphic()) {
        return Ok(t);
    }
    *buf = Cell::Str(text(v)?).code().unwrap_or_default();
    Ok(buf.as_bytes())
}

/// A moment in local milliseconds as the ordinary reader would read it.
#[inline]
fn moment(v: &[u8], end_of_day: bool) -> Step<i64> {
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
fn exact_millis(t: Option<chrono::NaiveDateTime>) -> Step<i64> {
    let ms = millis_of(t);
    if time_of(ms) != t {
        return not_fast("a time finer than a millisecond");
    }
    Ok(ms)
}

/// `true`/`false`/`1`/`0` directly; anything else as `Cell::boolean` reads it.
#[inline]
fn yes_no(v: &[u8]) -> Step<bool> {
    match trim(v) {
        b"" | b"false" | b"0" => Ok(false),
        b"true" | b"1" => Ok(true),
        _ => Cell::Str(text(v)?)
            .boolean()
            .map(|b| b.unwrap_or(false))
            .or_else(|e| not_fast(format!("a yes/no value the ordinary reader rejects: {e}"))),
    }
}

/// A fee as `convert::fee_total` reads it; plain `123` and `123.45` directly (but not
/// `50.000`, which the ordinary reader takes for fifty thousand).
#[inline]
fn fee(v: &[u8]) -> Step<f64> {
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
    match convert::fee_total(&Cell::Str(text(v)?)) {
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
struct CodeTable {
    convert: fn(&Cell<'_>) -> std::result::Result<Option<u8>, String>,
    known: [Option<std::result::Result<u8, String>>; 100],
}

impl CodeTable {
    fn new(convert: fn(&Cell<'_>) -> std::result::Result<Option<u8>, String>) -> Self {
        Self {
            convert,
            known: std::array::from_fn(|_| None),
        }
    }

    #[inline]
    fn get(&mut self, v: &[u8]) -> Step<u8> {
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

fn status_code(c: &Cell<'_>) -> std::result::Result<Option<u8>, String> {
    Ok(convert::status(c)?.map(u8::from))
}
fn channel_code(c: &Cell<'_>) -> std::result::Result<Option<u8>, String> {
    Ok(convert::channel(c)?.map(u8::from))
}
fn gateway_code(c: &Cell<'_>) -> std::result::Result<Option<u8>, String> {
    Ok(convert::gateway(c)?.map(u8::from))
}

// ---------------------------------------------------------------- one worker

/// A worker's batch of dossier columns, reused from block to block.
type Batch = chiso::columnar::ColumnBuffers;

/// One row's values before they join the batch.
struct Row {
    has_id: bool,
    unit: u32,
    procedure: u32,
    status: u8,
    channel: u8,
    received: i64,
    due: i64,
    rescheduled_due: i64,
    finished: i64,
    returned: i64,
    fee_total: f64,
    paid_online: u8,
    flags: u8,
    e_code: bool,
    e_link: bool,
    /// Any cell not blank (a blank row is skipped, as the ordinary reader does).
    any: bool,
}

/// A worker's state: its codes, the ids it saw and its share of the tally.
struct Worker<'p> {
    plan: &'p Plan,
    units: Codes,
    procedures: Codes,
    ids: Vec<u64>,
    tally: ColumnarTally,
    rows: usize,
    batch: Batch,
    status: CodeTable,
    channel: CodeTable,
    gateway: CodeTable,
    scratch: Vec<u8>,
    code_buf: String,
}

impl<'p> Worker<'p> {
    fn new(plan: &'p Plan) -> Self {
        Self {
            plan,
            units: Codes::default(),
            procedures: Codes::default(),
            ids: Vec::new(),
            tally: ColumnarTally::new(),
            rows: 0,
            batch: Batch::default(),
            status: CodeTable::new(status_code),
            channel: CodeTable::new(channel_code),
            gateway: CodeTable::new(gateway_code),
            scratch: Vec::new(),
            code_buf: String::new(),
        }
    }

    /// Parses a block of whole records and tallies it.
    fn block(&mut self, data: &[u8], ctx: &TallyContext<'_>) -> Step<usize> {
        self.batch.clear();
        let mut p = skip_empty_lines(data, 0)?;
        while p < data.len() {
            p = self.record(data, p)?;
            p = skip_empty_lines(data, p)?;
        }
        let n = self.batch.unit.len();
        let refs = self.procedures.refs();
        self.tally
            .add(&self.batch.columns(), &refs, ctx, 1)
            .map_err(|e| NotFast(e.0))?;
        self.rows += self.batch.unit.len();
        Ok(n)
    }

    /// Parses the record at `p` into the batch; returns where the next one starts.
    fn record(&mut self, data: &[u8], mut p: usize) -> Step<usize> {
        let plan = self.plan;
        let mut r = Row {
            has_id: false,
            unit: u32::MAX,
            procedure: u32::MAX,
            status: 0,
            channel: 0,
            received: NO_TIME,
            due: NO_TIME,
            rescheduled_due: NO_TIME,
            finished: NO_TIME,
            returned: NO_TIME,
            fee_total: 0.0,
            paid_online: 0,
            flags: 0,
            e_code: false,
            e_link: false,
            any: false,
        };
        let supplements_from = self.batch.supplement_requested.len();
        let mut i = 0usize;
        loop {
            let f = field(data, p, plan.delimiter, &mut self.scratch)?;
            let col = plan.cols.get(i).copied().unwrap_or(Col::Ignore);
            let v = if f.in_scratch {
                std::mem::take(&mut self.scratch)
            } else {
                Vec::new()
            };
            let value = if f.in_scratch {
                v.as_slice()
            } else {
                &data[f.from..f.to]
            };
            let res = self.value(col, value, &mut r);
            if f.in_scratch {
                self.scratch = v;
            }
            res?;
            p = f.next;
            i += 1;
            if f.end != Stop::Field {
                break;
            }
        }
        if !r.has_id {
            if r.any {
                return not_fast("a row without a dossier id (the ordinary reader rejects it)");
            }
            // A blank row: skipped, as the ordinary reader skips it.
            self.batch.supplement_requested.truncate(supplements_from);
            self.batch.supplement_completed.truncate(supplements_from);
            return Ok(p);
        }
        if r.e_code && r.e_link {
            r.flags |= flag::E_RESULT;
        }
        let b = &mut self.batch;
        b.unit.push(if r.unit == u32::MAX {
            code_id(&mut self.units, b"")?
        } else {
            r.unit
        });
        b.procedure.push(if r.procedure == u32::MAX {
            code_id(&mut self.procedures, b"")?
        } else {
            r.procedure
        });
        b.status.push(r.status);
        b.channel.push(r.channel);
        b.received.push(r.received);
        b.due.push(r.due);
        b.rescheduled_due.push(r.rescheduled_due);
        b.finished.push(r.finished);
        b.returned.push(r.returned);
        b.fee_total.push(r.fee_total);
        b.paid_online.push(r.paid_online);
        b.flags.push(r.flags);
        b.supplement_offsets
            .push(b.supplement_requested.len() as u32);
        Ok(p)
    }

    /// Reads one cell into the row.
    #[inline]
    fn value(&mut self, col: Col, v: &[u8], r: &mut Row) -> Step<()> {
        if !r.any && !trim(v).is_empty() {
            r.any = true;
        }
        match col {
            Col::Ignore => {}
            Col::Id => {
                let id = code(v, &mut self.code_buf)?;
                if !id.is_empty() {
                    r.has_id = true;
                    self.ids.push(hash_bytes(id));
                }
            }
            Col::Unit => r.unit = code_id(&mut self.units, code(v, &mut self.code_buf)?)?,
            Col::Procedure => {
                r.procedure = code_id(&mut self.procedures, code(v, &mut self.code_buf)?)?
            }
            Col::Channel => r.channel = self.channel.get(v)?,
            Col::Status => r.status = self.status.get(v)?,
            Col::PaidOnline => r.paid_online = self.gateway.get(v)?,
            Col::CheckTime => {
                moment(v, false)?;
            }
            Col::Received => r.received = moment(v, false)?,
            Col::Due => r.due = moment(v, true)?,
            Col::RescheduledDue => r.rescheduled_due = moment(v, true)?,
            Col::Finished => r.finished = moment(v, false)?,
            Col::Returned => r.returned = moment(v, false)?,
            Col::FeeTotal => r.fee_total = fee(v)?,
            Col::Flag(bit) => {
                if yes_no(v)? {
                    r.flags |= bit;
                }
            }
            Col::EResult => {
                let yes = match trim(v) {
                    b"" | b"false" | b"0" => false,
                    b"true" | b"1" => true,
                    _ => convert::e_result(&Cell::Str(text(v)?))
                        .or_else(|e| not_fast(format!("e_result: {e}")))?
                        .unwrap_or(false),
                };
                if yes {
                    r.flags |= flag::E_RESULT;
                }
            }
            Col::EResultCode => r.e_code |= has_text(v)?,
            Col::EResultLink => r.e_link |= has_text(v)?,
            Col::PopulationDbCode => {
                if has_text(v)? {
                    r.flags |= flag::POPULATION_DATA;
                }
            }
            Col::Components => {
                if !trim(v).is_empty() {
                    let (dig, reuse, store) = convert::components(&Cell::Str(text(v)?))
                        .or_else(|e| not_fast(format!("components: {e}")))?;
                    for (on, bit) in [
                        (dig, flag::DIGITISED),
                        (reuse, flag::REUSED_DATA),
                        (store, flag::PERSONAL_STORE),
                    ] {
                        if on {
                            r.flags |= bit;
                        }
                    }
                }
            }
            Col::Steps => {
                if !trim(v).is_empty() {
                    convert::steps(&Cell::Str(text(v)?))
                        .or_else(|e| not_fast(format!("steps: {e}")))?;
                }
            }
            Col::Supplements => {
                let t = trim(v);
                let b = &mut self.batch;
                if t.is_empty()
                    || plain_waits(t, &mut b.supplement_requested, &mut b.supplement_completed)
                {
                    return Ok(());
                }
                let ws = convert::waits(&Cell::Str(text(v)?))
                    .or_else(|e| not_fast(format!("supplements: {e}")))?;
                for w in ws {
                    b.supplement_requested
                        .push(exact_millis(Some(w.requested_at))?);
                    b.supplement_completed.push(exact_millis(w.completed_at)?);
                }
            }
            Col::FeeWaits => {
                if !trim(v).is_empty() {
                    let ws = convert::waits(&Cell::Str(text(v)?))
                        .or_else(|e| not_fast(format!("fee_waits: {e}")))?;
                    if self.plan.fee_waits_matter && !ws.is_empty() {
                        return not_fast("fee waits with fee_wait_stops_clock");
                    }
                }
            }
        }
        Ok(())
    }

    /// Sorts the ids seen (done by each worker, in parallel) and says whether one came twice.
    fn sort_ids(&mut self) -> bool {
        self.ids.sort_unstable();
        self.ids.windows(2).any(|w| w[0] == w[1])
    }
}

/// `Cell::text` is not empty.
#[inline]
fn has_text(v: &[u8]) -> Step<bool> {
    let t = trim(v);
    if t.is_ascii() {
        return Ok(!t.is_empty());
    }
    Ok(Cell::Str(text(v)?).text().is_some())
}

/// Whether two sorted lists share a value.
fn share(a: &[u64], b: &[u64]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

// ---------------------------------------------------------------- the pipeline

/// Reads blocks on this thread and hands them to `threads` workers; a block in flight is one
/// buffer, and buffers come back for reuse, so at most `threads + 2` exist.
fn run(
    path: &Path,
    mut file: std::fs::File,
    plan: &Plan,
    ctx: &TallyContext<'_>,
    threads: usize,
    block: usize,
    progress: &mut dyn FnMut(usize),
) -> Result<Step<CsvTally>> {
    let stop = AtomicBool::new(false);
    let rows = AtomicUsize::new(0);
    let (work_tx, work_rx) = mpsc::sync_channel::<Vec<u8>>(threads);
    let work_rx = Mutex::new(work_rx);
    let (free_tx, free_rx) = mpsc::channel::<Vec<u8>>();
    std::thread::scope(|s| -> Result<Step<CsvTally>> {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let (work_rx, free_tx, stop, rows) = (&work_rx, free_tx.clone(), &stop, &rows);
                s.spawn(move || -> Step<Worker<'_>> {
                    let mut w = Worker::new(plan);
                    let mut failed = None;
                    loop {
                        let next = match work_rx.lock() {
                            Ok(rx) => rx.recv(),
                            Err(_) => break,
                        };
                        let Ok(buf) = next else { break };
                        if failed.is_none() && !stop.load(Ordering::Relaxed) {
                            match w.block(&buf, ctx) {
                                Ok(n) => {
                                    rows.fetch_add(n, Ordering::Relaxed);
                                }
                                Err(why) => {
                                    stop.store(true, Ordering::Relaxed);
                                    failed = Some(why);
                                }
                            }
                        }
                        // The reader may be gone already; the buffer is then just dropped.
                        let _ = free_tx.send(buf);
                    }
                    if let Some(why) = failed {
                        return Err(why);
                    }
                    if w.sort_ids() {
                        return not_fast(
                            "duplicate dossier ids (latest sync wins needs the ordinary reader)",
                        );
                    }
                    Ok(w)
                })
            })
            .collect();
        drop(free_tx);
        let read = read_blocks(
            path, &mut file, block, threads, &work_tx, &free_rx, &stop, &rows, progress,
        );
        drop(work_tx);
        let mut workers = Vec::with_capacity(threads);
        let mut why = None;
        for h in handles {
            match h.join() {
                Ok(Ok(w)) => workers.push(w),
                Ok(Err(e)) => {
                    why.get_or_insert(e);
                }
                Err(_) => {
                    why.get_or_insert(NotFast("a worker thread failed".into()));
                }
            }
        }
        read?;
        if let Some(why) = why {
            return Ok(Err(why));
        }
        progress(rows.load(Ordering::Relaxed));
        Ok(finish(workers, &ctx.period))
    })
}

/// The reader: fills buffers, cuts them after their last whole record and sends them; the
/// partial record left over starts the next buffer.
#[allow(clippy::too_many_arguments)]
fn read_blocks(
    path: &Path,
    file: &mut std::fs::File,
    block: usize,
    threads: usize,
    work: &mpsc::SyncSender<Vec<u8>>,
    free: &mpsc::Receiver<Vec<u8>>,
    stop: &AtomicBool,
    rows: &AtomicUsize,
    progress: &mut dyn FnMut(usize),
) -> Result<()> {
    let mut made = 0usize;
    let mut carry: Vec<u8> = Vec::new();
    let mut eof = false;
    while !eof && !stop.load(Ordering::Relaxed) {
        let mut buf = match free.try_recv() {
            Ok(b) => b,
            Err(_) if made < threads + 2 => {
                made += 1;
                Vec::with_capacity(block)
            }
            Err(_) => match free.recv() {
                Ok(b) => b,
                Err(_) => break,
            },
        };
        // A reused buffer keeps its length: only bytes beyond it are zeroed when it grows.
        let mut filled = carry.len();
        if buf.len() < filled {
            buf.resize(filled, 0);
        }
        buf[..filled].copy_from_slice(&carry);
        carry.clear();
        // Fill to the block size (more if one record is longer than a block).
        let mut want = block.max(filled + block / 2);
        loop {
            if filled >= want {
                match last_record_end(&buf[..filled]) {
                    Some(cut) => {
                        carry.extend_from_slice(&buf[cut..filled]);
                        filled = cut;
                        break;
                    }
                    None => want = filled + block,
                }
            }
            if buf.len() < want {
                buf.resize(want, 0);
            }
            let n = read_some(file, &mut buf[filled..want]).map_err(|e| IoError::file(path, e))?;
            filled += n;
            if n == 0 {
                eof = true;
                break;
            }
        }
        buf.truncate(filled);
        if buf.is_empty() {
            break;
        }
        if work.send(buf).is_err() {
            break;
        }
        progress(rows.load(Ordering::Relaxed));
    }
    Ok(())
}

/// Reads until the buffer is full or the file ends.
fn read_some(file: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Merges the workers' shares: ids must be distinct across workers too.
fn finish(workers: Vec<Worker<'_>>, period: &chiso::Period) -> Step<CsvTally> {
    for (k, a) in workers.iter().enumerate() {
        for b in &workers[k + 1..] {
            if share(&a.ids, &b.ids) {
                return not_fast(
                    "duplicate dossier ids (latest sync wins needs the ordinary reader)",
                );
            }
        }
    }
    let mut tally = Tally::new();
    let mut acc = Accounting::default();
    let mut rows = 0;
    for w in workers {
        let (t, a) = w
            .tally
            .finish(&w.units.refs(), &w.procedures.refs(), period)
            .map_err(|e| NotFast(e.0))?;
        tally.merge(&t);
        acc.merge(&a);
        rows += w.rows;
    }
    Ok((tally, acc, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(s: &str) -> i64 {
        millis_of(chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").ok())
    }

    #[test]
    fn plain_times_read_as_the_ordinary_reader_does() {
        for (s, end) in [
            ("2026-09-01T08:30:00", false),
            ("2026-09-01 08:30:15", false),
            ("2026-09-01T08:30", false),
            ("2026-02-28", true),
            ("2026-02-28", false),
            ("2024-02-29 23:59:59", false),
            ("01/09/2026 08:30:15", false),
            ("01/09/2026 08:30", false),
            ("31/12/2026", true),
        ] {
            let ordinary = Cell::Str(s).datetime(end).ok().flatten();
            assert_eq!(
                plain_time(s.as_bytes(), end),
                Some(millis_of(ordinary)),
                "{s}"
            );
        }
        assert_eq!(
            plain_time(b"2026-09-01T08:30:00", false),
            Some(ms("2026-09-01 08:30:00"))
        );
        // Not plain: left to the ordinary conversion.
        for s in [
            "2026-02-29",
            "2026-09-01T24:00:00",
            "2026-09-01T08:30:00Z",
            "2026-09-01T08:30:00.5",
            "01/09/2026T08:30",
            "1/9/2026",
            "46266",
        ] {
            assert_eq!(plain_time(s.as_bytes(), false), None, "{s}");
        }
        assert_eq!(
            moment(b" 2026-09-01T01:30:00Z ", false),
            Ok(ms("2026-09-01 08:30:00"))
        );
        assert!(moment(b"2026-02-29", false).is_err());
        assert!(moment(b"2026-09-01T08:30:00.0005", false).is_err());
    }

    #[test]
    fn fees_and_codes_read_as_the_ordinary_reader_does() {
        for s in [
            "0.0",
            "50000.0",
            "12.5",
            "50.000",
            "1.234.567 đ",
            "12,5",
            "7",
            " 300 ",
        ] {
            let ordinary = convert::fee_total(&Cell::Str(s)).ok().flatten();
            assert_eq!(fee(s.as_bytes()).ok(), ordinary, "{s}");
        }
        assert!(fee(b"-5").is_err());
        assert!(fee(b"abc").is_err());
        let mut t = CodeTable::new(status_code);
        assert_eq!(t.get(b"10"), Ok(10));
        assert_eq!(t.get(b" 4 "), Ok(4));
        assert_eq!(t.get(b"da tra"), Ok(10));
        assert!(t.get(b"11").is_err());
        assert!(t.get(b"11").is_err());
        let mut buf = String::new();
        assert_eq!(code(b" H44. 07 ", &mut buf), Ok(&b"H44.07"[..]));
        assert_eq!(yes_no(b"Co"), Ok(true));
        assert!(yes_no(b"maybe").is_err());
    }

    #[test]
    fn plain_supplements_read_as_the_ordinary_reader_does() {
        for s in [
            r#"[{"requested_at":"2026-06-20T09:56:00","completed_at":"2026-06-21T20:56:00"}]"#,
            r#"[{"requested_at":"2026-06-20T09:56:00","completed_at":null},{"requested_at":"2026-07-01","completed_at":"2026-07-02T08:00"}]"#,
            r#"[{"requested_at":"2026-06-20 09:56:00"}]"#,
            "[]",
        ] {
            let (mut r, mut c) = (Vec::new(), Vec::new());
            assert!(plain_waits(s.as_bytes(), &mut r, &mut c), "{s}");
            let ws = convert::waits(&Cell::Str(s)).unwrap_or_default();
            let want: Vec<i64> = ws.iter().map(|w| millis_of(Some(w.requested_at))).collect();
            assert_eq!(r, want, "{s}");
            let want: Vec<i64> = ws.iter().map(|w| millis_of(w.completed_at)).collect();
            assert_eq!(c, want, "{s}");
        }
        // Anything else is left to convert::waits, with nothing added.
        for s in [
            r#"[{"requested_at":"2026-06-20T09:56:00Z"}]"#,
            r#"[{"completed_at":"2026-06-21T09:56:00","requested_at":"2026-06-20T09:56:00"}]"#,
            r#"[{"requested_at":"2026-06-20T09:56:00"},]"#,
            r#"[{"requested_at":"2026-06-20T09:56:00"}{"requested_at":"2026-06-20T09:56:00"}]"#,
            r#"[{"requested_at":"2026-06-20T09:56:00","completed_at":"x"}]"#,
            r#"[{"requested_at":null}]"#,
            "[1]",
            "2026-06-20T09:56:00..2026-06-21T09:56:00",
        ] {
            let (mut r, mut c) = (vec![5], vec![5]);
            assert!(!plain_waits(s.as_bytes(), &mut r, &mut c), "{s}");
            assert_eq!((r, c), (vec![5], vec![5]), "{s}");
        }
    }

    #[test]
    fn special_bytes_found_eight_at_a_time() {
        let data = b"abcdefghijkl;mnopq,rstuvw\"xyz\nrest\r\nend\xc3\xa0x";
        for delimiter in [b',', b';', b'\t'] {
            for p in 0..=data.len() {
                let naive = (p..data.len())
                    .find(|&q| matches!(data[q], b'\n' | b'\r' | b'"') || data[q] == delimiter)
                    .unwrap_or(data.len());
                assert_eq!(special(data, p, delimiter), naive, "{p}");
            }
        }
    }

    #[test]
    fn fields_and_record_ends() {
        let mut scratch = Vec::new();
        let data = b"a,\"b,\"\"c\"\"\nd\",e\r\nf";
        let f = field(data, 0, b',', &mut scratch).ok();
        assert_eq!(
            f.map(|f| (f.value(data, &scratch).to_vec(), f.end)),
            Some((b"a".to_vec(), Stop::Field))
        );
        let f = field(data, 2, b',', &mut scratch).ok();
        assert_eq!(
            f.map(|f| (f.value(data, &scratch).to_vec(), f.end)),
            Some((b"b,\"c\"\nd".to_vec(), Stop::Field))
        );
        let f = field(data, 14, b',', &mut scratch).ok();
        assert_eq!(f.map(|f| (f.next, f.end)), Some((17, Stop::Line)));
        assert!(field(b"a\"b,c", 0, b',', &mut scratch).is_err());
        assert!(field(b"\"a\"b,c", 0, b',', &mut scratch).is_err());
        assert!(field(b"a\rb", 0, b',', &mut scratch).is_err());
        assert_eq!(last_record_end(b"a,\"x\ny\"\nb,\"z\n"), Some(8));
        assert_eq!(last_record_end(b"a,\"x\ny"), None);
    }
}
