//! Mutated golden files (`chiso-io/tests/mutations.rs` runs thousands per format in process)
//! through the `chiso score` binary: exit 0 with a scorecard whose accounting adds up, or exit 2
//! with one line on stderr naming the file; never a panic. Seeded like the in-process test
//! (`CHISO_MUTATION_SEED`, `CHISO_MUTATIONS` cases per format, default 300: 2,100 processes, about
//! a minute in a debug build; each case is a process start, so thousands per format would take
//! the CI past the 5-minute bound).

use std::path::Path;
use std::process::Command;

#[path = "../../chiso-io/tests/mutate/mod.rs"]
mod mutate;
use mutate::*;

/// Checks one run; `Err` says what is wrong.
fn check(path: &Path) -> Result<(), String> {
    let out = Command::new(env!("CARGO_BIN_EXE_chiso"))
        .args([
            "score",
            "--period",
            "2026-Q3",
            "--as-of",
            "2026-09-30T17:00",
        ])
        .args(["--format", "json", "--dossiers"])
        .arg(path)
        .output()
        .map_err(|e| format!("cannot run chiso: {e}"))?;
    let err = String::from_utf8_lossy(&out.stderr);
    if err.contains("panicked") {
        return Err(format!("panicked: {err}"));
    }
    match out.status.code() {
        Some(0) => {
            let card: serde_json::Value = serde_json::from_slice(&out.stdout)
                .map_err(|e| format!("exit 0 but the output is not JSON: {e}"))?;
            let acc = &card["accounting"];
            let n = |v: &serde_json::Value| v.as_u64().unwrap_or(0);
            let excluded: u64 = acc["excluded"]
                .as_object()
                .map_or(0, |m| m.values().map(n).sum());
            let (read, scored, rejected) =
                (n(&acc["read"]), n(&acc["scored"]), n(&acc["rejected"]));
            let superseded = n(&acc["superseded"]);
            if read != scored + excluded + rejected + superseded {
                return Err(format!("accounting does not add up: {acc}"));
            }
            Ok(())
        }
        Some(2) => {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if err.trim_end().lines().count() != 1 || !err.contains(&name) {
                return Err(format!("exit 2 without one line naming the file: {err:?}"));
            }
            Ok(())
        }
        other => Err(format!("exit {other:?}: {err}")),
    }
}

fn sample(file: &str, text: bool) {
    let (seed, cases) = seed_and_cases(300);
    let orig = std::fs::read(golden(file)).unwrap_or_else(|e| panic!("{e}"));
    let dir = std::env::temp_dir().join(format!("chiso-cli-mutations-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let ext = Path::new(file)
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_default();
    let path = dir.join(format!("mutant-{}.{ext}", hash(file)));
    let mut failures = Vec::new();
    for case in 0..cases {
        let (bytes, kind) = mutate(&orig, text, &mut case_rng(seed, case, file));
        std::fs::write(&path, &bytes).unwrap_or_else(|e| panic!("{e}"));
        if let Err(why) = check(&path) {
            let keep = dir.join(format!("failure-{case}.{ext}"));
            let _ = std::fs::write(&keep, &bytes);
            failures.push(format!(
                "{file} seed {seed} case {case} ({kind}): {why} [kept at {}]",
                keep.display()
            ));
        }
    }
    let _ = std::fs::remove_file(&path);
    assert!(
        failures.is_empty(),
        "{} of {cases} mutants failed (replay with CHISO_MUTATION_SEED={seed}):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn mutated_files_through_the_binary() {
    for (file, text) in [
        ("dossiers.csv", true),
        ("dossiers-unicode.txt", true),
        ("dossiers-sync.json", true),
        ("dossiers-sync.jsonl", true),
        ("dossiers.xlsx", false),
        ("dossiers.arrow", false),
        ("dossiers.parquet", false),
    ] {
        sample(file, text);
    }
}
