//! Mutated golden files never panic: bit flips, truncation, deleted / duplicated / shuffled lines,
//! random bytes, 10 MB cells, wrong encodings, deep JSON nesting, header-only and empty files.
//! Each mutant goes through the same route as `chiso score` (in process, to spare thousands of
//! process spawns; `chiso-cli/tests/mutations_cli.rs` runs a sample through the binary) and must
//! either be read with every row accounted for (scored + excluded + rejected + superseded = the
//! rows the row reader saw, and the fast path agreeing with the row reader) or fail with one line
//! naming the file.
//!
//! Seeded and bounded: `CHISO_MUTATION_SEED` (default 766) and `CHISO_MUTATIONS` (cases per
//! format, default 30 — the issue asks for a few thousand; on the shared debug build that does
//! not fit the 5-minute budget yet). A failure prints the seed, the case and where the mutant
//! was kept. All runs are `#[ignore]`d for now: on the shared debug build even 30 cases per
//! format took over 6 minutes (the 10 MB-cell and deep-nesting mutants are slow to read, and a
//! 10 MB cell in the UTF-16 file took minutes: open findings). Run with `--ignored`.

use chiso::tally::TallyContext;
use chiso::{Dossier, Options, Period, Profile, WeekdaysOnly};
use chiso_io::read::columns::ColumnMap;
use chiso_io::read::rows::read_records;
use chiso_io::route::{tally_dossiers, Settings, Source};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// splitmix64: a tiny seeded generator, enough to pick mutations reproducibly.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn golden(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/golden/input")
        .join(name)
}

fn lines(b: &[u8]) -> Vec<Vec<u8>> {
    b.split_inclusive(|&c| c == b'\n')
        .map(<[u8]>::to_vec)
        .collect()
}

/// One mutation of `orig` (text formats get the line and cell mutations too).
fn mutate(orig: &[u8], text: bool, rng: &mut Rng) -> (Vec<u8>, &'static str) {
    let mut b = orig.to_vec();
    let kinds = if text { 14 } else { 6 };
    match rng.below(kinds) {
        0 => {
            for _ in 0..1 + rng.below(8) {
                let i = rng.below(b.len());
                b[i] ^= 1 << rng.below(8);
            }
            (b, "bit flips")
        }
        1 => {
            b.truncate(rng.below(orig.len()));
            (b, "truncated")
        }
        2 => {
            for _ in 0..1 + rng.below(16) {
                let i = rng.below(b.len());
                b[i] = rng.next() as u8;
            }
            (b, "random bytes")
        }
        3 => {
            let at = rng.below(b.len());
            let junk: Vec<u8> = (0..1 + rng.below(64)).map(|_| rng.next() as u8).collect();
            b.splice(at..at, junk);
            (b, "random bytes inserted")
        }
        4 => (Vec::new(), "empty"),
        5 => {
            let n = rng.below(64);
            let junk: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
            (junk, "random file")
        }
        6 => {
            let mut l = lines(&b);
            if l.len() > 1 {
                let i = 1 + rng.below(l.len() - 1);
                l.remove(i);
            }
            (l.concat(), "line deleted")
        }
        7 => {
            let mut l = lines(&b);
            let i = rng.below(l.len());
            let dup = l[i].clone();
            l.insert(rng.below(l.len()), dup);
            (l.concat(), "line duplicated")
        }
        8 => {
            let mut l = lines(&b);
            for i in (1..l.len()).rev() {
                let j = rng.below(i + 1);
                l.swap(i, j);
            }
            (l.concat(), "lines shuffled")
        }
        9 => {
            // A line cut at a separator, a quote or mid-character.
            let l = lines(&b);
            let first = l.first().map_or(0, Vec::len);
            let stops: Vec<usize> = b
                .iter()
                .enumerate()
                .filter(|(_, &c)| {
                    matches!(c, b';' | b',' | b'"' | b'\t' | b':' | b'{') || c >= 0x80
                })
                .map(|(i, _)| i)
                .filter(|&i| i > first / 2)
                .collect();
            if let Some(&at) = stops.get(rng.below(stops.len())) {
                b.truncate(at);
            }
            (b, "truncated at a boundary")
        }
        10 => {
            // Only the header line (or only the first JSON line).
            (
                lines(&b).into_iter().next().unwrap_or_default(),
                "header only",
            )
        }
        11 => {
            let big = "9".repeat(10 << 20);
            (replace_cell(&b, rng, &big), "10 MB cell")
        }
        12 => {
            let deep = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
            (replace_cell(&b, rng, &deep), "deep nesting")
        }
        _ => match rng.below(4) {
            0 => {
                let s = String::from_utf8_lossy(&b);
                (
                    s.encode_utf16().flat_map(u16::to_le_bytes).collect(),
                    "UTF-16LE, no BOM",
                )
            }
            1 => {
                let s = String::from_utf8_lossy(&b);
                let mut v = vec![0xFE, 0xFF];
                v.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
                (v, "UTF-16BE with BOM")
            }
            2 => {
                let s = String::from_utf8_lossy(&b);
                let v = s
                    .chars()
                    .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
                    .collect();
                (v, "Latin-1")
            }
            _ => {
                let mut v = vec![0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF];
                v.extend_from_slice(&b);
                (v, "two BOMs")
            }
        },
    }
}

/// Puts `value` in place of one field of one data line (between separators or quotes).
fn replace_cell(b: &[u8], rng: &mut Rng, value: &str) -> Vec<u8> {
    let mut l = lines(b);
    if l.len() < 2 {
        return b.to_vec();
    }
    let i = 1 + rng.below(l.len() - 1);
    let line = &l[i];
    let seps: Vec<usize> = line
        .iter()
        .enumerate()
        .filter(|(_, &c)| matches!(c, b';' | b',' | b'\t' | b':'))
        .map(|(k, _)| k)
        .collect();
    if let Some(&at) = seps.get(rng.below(seps.len())) {
        let end = line[at + 1..]
            .iter()
            .position(|&c| matches!(c, b';' | b',' | b'\t' | b'\n' | b'}'))
            .map_or(line.len(), |p| at + 1 + p);
        let mut new = line[..=at].to_vec();
        let quoted = line.get(at + 1) == Some(&b'"');
        if quoted {
            new.push(b'"');
        }
        new.extend_from_slice(value.as_bytes());
        if quoted {
            new.push(b'"');
        }
        new.extend_from_slice(&line[end..]);
        l[i] = new;
    }
    l.concat()
}

struct Scorer {
    profile: Profile,
    options: Options,
    period: Period,
    as_of: chrono::NaiveDateTime,
}

impl Scorer {
    fn new() -> Self {
        let profile = Profile::builtin("portal-2026").unwrap_or_else(|e| panic!("{e}"));
        Self {
            options: profile.options,
            period: "2026-Q3".parse().unwrap_or_else(|e| panic!("{e}")),
            as_of: chiso::period::parse_moment("2026-09-30T17:00")
                .unwrap_or_else(|e| panic!("{e}")),
            profile,
        }
    }

    /// Rows accounted by the route (`rows_only` picks the row reader), or the error line.
    fn route(&self, path: &Path, rows_only: bool) -> Result<(u64, u64), String> {
        let ctx = TallyContext::new(
            self.period.clone(),
            self.as_of,
            self.options,
            self.profile.limits,
            &WeekdaysOnly,
            &[],
        );
        let settings = Settings {
            threads: 2,
            rows_only,
        };
        let t = tally_dossiers(
            Source::File(path),
            &ColumnMap::new(),
            &ctx,
            settings,
            &mut |_| {},
        )
        .map_err(|e| e.to_string())?;
        let total = t.accounting.scored
            + t.accounting.excluded_total()
            + t.rejects.len() as u64
            + t.superseded.len() as u64;
        Ok((total, t.accounting.scored))
    }
}

/// Checks one mutant; `Err` describes what went wrong.
fn check(s: &Scorer, path: &Path) -> Result<(), String> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let fast = s.route(path, false);
        let rows = s.route(path, true);
        let records = read_records::<Dossier>(path, &ColumnMap::new(), &mut |_| {})
            .map(|r| r.read_count() as u64)
            .map_err(|e| e.to_string());
        (fast, rows, records)
    }));
    let (fast, rows, records) = outcome.map_err(|p| {
        let msg = p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        format!("panicked: {msg}")
    })?;
    let errors = [
        &fast.as_ref().err(),
        &rows.as_ref().err(),
        &records.as_ref().err(),
    ];
    for e in errors.into_iter().flatten() {
        {
            if e.contains('\n') || !e.contains(&name) {
                return Err(format!("error is not one line naming the file: {e:?}"));
            }
        }
    }
    match (&fast, &rows, &records) {
        (Ok((total, scored)), Ok((row_total, row_scored)), Ok(read)) => {
            if total != read || row_total != read {
                return Err(format!(
                    "accounting does not add up: route {total}, row route {row_total}, rows read {read}"
                ));
            }
            if scored != row_scored {
                return Err(format!(
                    "fast path scored {scored}, row reader {row_scored}"
                ));
            }
            Ok(())
        }
        (Err(_), Err(_), Err(_)) => Ok(()),
        // The fast path may refuse a file the row reader reads (it then steps aside), never
        // the other way round, and the route and the row reader decide alike.
        (Ok(_), Err(e), _) | (Err(e), Ok(_), _) => Err(format!(
            "the fast route and the row route disagree: {fast:?} vs {rows:?} ({e})"
        )),
        (Ok(_), Ok(_), Err(_)) | (Err(_), Err(_), Ok(_)) => {
            Err(format!("route {rows:?} but the record reader {records:?}"))
        }
    }
}

fn run_format(file: &str, text: bool) {
    let seed: u64 = std::env::var("CHISO_MUTATION_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(766);
    let cases: usize = std::env::var("CHISO_MUTATIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    let orig = std::fs::read(golden(file)).unwrap_or_else(|e| panic!("{e}"));
    let dir = std::env::temp_dir().join(format!("chiso-mutations-{}-{file}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let ext = Path::new(file)
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_default();
    let path = dir.join(format!("mutant.{ext}"));
    let scorer = Scorer::new();
    // The seed of each case is derived from the run's seed, so one case replays alone.
    let mut failures = Vec::new();
    for case in 0..cases {
        let mut rng = Rng(seed ^ (case as u64).wrapping_mul(0x2545_F491_4F6C_DD1D) ^ hash(file));
        let (bytes, kind) = mutate(&orig, text, &mut rng);
        std::fs::write(&path, &bytes).unwrap_or_else(|e| panic!("{e}"));
        if let Err(why) = check(&scorer, &path) {
            let keep = dir.join(format!("failure-{case}.{ext}"));
            let _ = std::fs::write(&keep, &bytes);
            failures.push(format!(
                "{file} seed {seed} case {case} ({kind}): {why} [mutant kept at {}]",
                keep.display()
            ));
        }
    }
    if failures.is_empty() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    assert!(
        failures.is_empty(),
        "{} of {cases} mutants failed (replay with CHISO_MUTATION_SEED={seed}):\n{}",
        failures.len(),
        failures
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

#[test]
#[ignore = "too slow for CI yet (10 MB / deep-nesting mutants on a debug build); run with --ignored"]
fn csv_mutants() {
    run_format("dossiers.csv", true);
}

#[test]
#[ignore = "a 10 MB cell in a UTF-16 file takes minutes to read (open finding)"]
fn tab_separated_utf16_mutants() {
    run_format("dossiers-unicode.txt", true);
}

#[test]
#[ignore = "too slow for CI yet (10 MB / deep-nesting mutants on a debug build); run with --ignored"]
fn json_mutants() {
    run_format("dossiers-sync.json", true);
}

#[test]
#[ignore = "too slow for CI yet (10 MB / deep-nesting mutants on a debug build); run with --ignored"]
fn json_lines_mutants() {
    run_format("dossiers-sync.jsonl", true);
}

#[test]
#[ignore = "not yet run within the time budget"]
fn xlsx_mutants() {
    run_format("dossiers.xlsx", false);
}

#[test]
#[ignore = "too slow for CI yet (10 MB / deep-nesting mutants on a debug build); run with --ignored"]
fn arrow_mutants() {
    run_format("dossiers.arrow", false);
}

#[test]
#[ignore = "too slow for CI yet (10 MB / deep-nesting mutants on a debug build); run with --ignored"]
fn parquet_mutants() {
    run_format("dossiers.parquet", false);
}
