//! Mutated golden files never panic: bit flips, truncation, deleted / duplicated / shuffled lines,
//! random bytes, 10 MB cells, wrong encodings, deep JSON nesting, header-only and empty files.
//! Each mutant goes through the same route as `chiso score` (in process, to spare thousands of
//! process spawns; `chiso-cli/tests/mutations_cli.rs` runs a sample through the binary) and must
//! either be read with every row accounted for (scored + excluded + rejected + superseded = the
//! rows the row reader saw, and the fast path agreeing with the row reader) or fail with one line
//! naming the file.
//!
//! Seeded and bounded: `CHISO_MUTATION_SEED` (default 766) and `CHISO_MUTATIONS` (cases per
//! format; by default 2,000 for each text format, 300 for XLSX, whose unzip makes each case ten
//! times dearer on a debug build, and 1,000 for Arrow IPC and Parquet). A failure prints the
//! seed, the case and where the mutant was kept; each case's generator is derived from the seed
//! and the case number, so one case replays alone.
//!
//! Cells past the limit (`chiso_io::read::limits::MAX_CELL`) have their own test: a 10 MB cell in
//! every text format is refused with the line, after reading no more than the limit.

use chiso::tally::TallyContext;
use chiso::{Dossier, Options, Period, Profile, WeekdaysOnly};
use chiso_io::read::columns::ColumnMap;
use chiso_io::read::rows::read_records;
use chiso_io::route::{tally_dossiers, Settings, Source};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

mod mutate;
use mutate::*;

struct Scorer {
    map: ColumnMap,
    profile: Profile,
    options: Options,
    period: Period,
    as_of: chrono::NaiveDateTime,
}

impl Scorer {
    fn new() -> Self {
        let profile = Profile::builtin("portal-2026").unwrap_or_else(|e| panic!("{e}"));
        Self {
            map: ColumnMap::new(),
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
        let t = tally_dossiers(Source::File(path), &self.map, &ctx, settings, &mut |_| {})
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
        let records = read_records::<Dossier>(path, &s.map, &mut |_| {})
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

fn run_format(file: &str, text: bool, default_cases: usize) {
    let (seed, cases) = seed_and_cases(default_cases);
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
        let mut rng = case_rng(seed, case, file);
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

#[test]
fn csv_mutants() {
    run_format("dossiers.csv", true, 2000);
}

#[test]
fn tab_separated_utf16_mutants() {
    run_format("dossiers-unicode.txt", true, 2000);
}

#[test]
fn json_mutants() {
    run_format("dossiers-sync.json", true, 2000);
}

#[test]
fn json_lines_mutants() {
    run_format("dossiers-sync.jsonl", true, 2000);
}

#[test]
fn xlsx_mutants() {
    run_format("dossiers.xlsx", false, 300);
}

#[test]
fn arrow_mutants() {
    run_format("dossiers.arrow", false, 1000);
}

#[test]
fn parquet_mutants() {
    run_format("dossiers.parquet", false, 1000);
}

/// A 10 MB cell (more than `MAX_CELL`) in each text format, in two places: every route refuses
/// the file with one line naming it, the line and the limit.
#[test]
fn cells_past_the_limit_are_refused_naming_the_line() {
    let scorer = Scorer::new();
    let dir = std::env::temp_dir().join(format!("chiso-mutations-{}-big", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let big = "9".repeat(10 << 20);
    for file in [
        "dossiers.csv",
        "dossiers-unicode.txt",
        "dossiers-sync.json",
        "dossiers-sync.jsonl",
    ] {
        let orig = std::fs::read(golden(file)).unwrap_or_else(|e| panic!("{e}"));
        for case in 0..2u64 {
            let mut rng = Rng(case ^ hash(file));
            let bytes = replace_cell(&orig, &mut rng, &big);
            let path = dir.join(file);
            std::fs::write(&path, &bytes).unwrap_or_else(|e| panic!("{e}"));
            for rows_only in [false, true] {
                let e = scorer.route(&path, rows_only).err().unwrap_or_default();
                // A JSON array may break on the first bytes of the runaway value (a number
                // where a key belongs): refused all the same, before reading it whole.
                let why = file.ends_with(".json")
                    || (e.contains("line ") && e.contains("longer than 4 MiB"));
                assert!(
                    e.contains(file) && !e.contains('\n') && why,
                    "{file} case {case}: {e:?}"
                );
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
