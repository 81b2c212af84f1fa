//! The fast path for CSV dossier files: the file is read in large blocks cut at record
//! boundaries, worker threads parse the fields straight from bytes into column batches with
//! interned codes and tally them through the core's columnar path (one tally per worker, merged
//! at the end: the counters are additive). No text cell and no record object is made per row.
//!
//! Results are those of the ordinary reader or nothing: every value is parsed by a hand-written
//! parser only in the plain shapes it reads exactly as `crate::read::cell` does (ISO and
//! `dd/MM/yyyy` times, digits, `true`/`false`), and any other value is handed to the very
//! function the ordinary reader uses. Whatever the ordinary reader would reject or treat
//! differently (a bad cell, an encoding other than UTF-8, a quote in the middle of a field, a lone
//! carriage return, a duplicate dossier id, times finer than a millisecond) makes the fast path
//! step aside with a reason, and the caller reads the file the ordinary way.

mod fields;
mod pipeline;
mod plan;
mod shape;
mod worker;
use super::values::*;
use fields::*;
use pipeline::*;
use plan::*;
use shape::*;
use worker::*;

use crate::error::{IoError, Result};
use crate::read::columns::ColumnMap;
use crate::read::fast::NotFast;
use crate::read::rows::InputFormat;
use chiso::tally::{Accounting, Tally, TallyContext};
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

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
    let meta = file.metadata().map_err(|e| IoError::file(path, e))?;
    if meta.is_dir() {
        return Ok(not_fast("a directory"));
    }
    // A small file needs no block larger than itself (blocks are zero-filled when made).
    let block = usize::try_from(meta.len()).map_or(block, |len| block.min(len.saturating_add(64)));
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
// ---------------------------------------------------------------- splitting fields
// ---------------------------------------------------------------- what each column feeds
// ---------------------------------------------------------------- parsing values
// ---------------------------------------------------------------- one worker
// ---------------------------------------------------------------- the pipeline
#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::cell::{self, Cell};
    use crate::read::plain::{plain_time, plain_waits};
    use chiso::columnar::millis_of;

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
            let ordinary = cell::fee_total(&Cell::Str(s)).ok().flatten();
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
            let ws = cell::waits(&Cell::Str(s)).unwrap_or_default();
            let want: Vec<i64> = ws.iter().map(|w| millis_of(Some(w.requested_at))).collect();
            assert_eq!(r, want, "{s}");
            let want: Vec<i64> = ws.iter().map(|w| millis_of(w.completed_at)).collect();
            assert_eq!(c, want, "{s}");
        }
        // Anything else is left to cell::waits, with nothing added.
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
