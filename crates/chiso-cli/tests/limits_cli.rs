//! The stated limits, through the binary: a 100 MB cell is refused with one line (not read into
//! memory: the reader stops at the 4 MiB cell limit), and Ctrl-C during a long `chiso score`
//! ends it promptly with a non-zero exit and no output written (the previous report intact, no
//! temporary file left).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn golden(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/golden/input")
        .join(name)
}

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("chiso-limits-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap_or_else(|e| panic!("{e}"));
    d
}

fn score(dossiers: &Path, extra: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_chiso"));
    c.args([
        "score",
        "--period",
        "2026-Q3",
        "--as-of",
        "2026-09-30T17:00",
    ])
    .arg("--dossiers")
    .arg(dossiers)
    .args(extra);
    c
}

fn one_line_error(out: &Output, needles: &[&str]) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    for n in needles {
        assert!(err.contains(n), "{err:?} lacks {n:?}");
    }
    assert!(!err.contains("panicked"), "{err}");
}

/// The golden CSV's header and first data line, split at its second field.
fn csv_parts() -> (String, String, String) {
    let text = std::fs::read_to_string(golden("dossiers.csv")).unwrap_or_else(|e| panic!("{e}"));
    let mut lines = text.lines();
    let header = lines.next().unwrap_or_default().to_string();
    let row = lines.next().unwrap_or_default();
    let (id, rest) = row.split_once(';').unwrap_or((row, ""));
    let (_, after) = rest.split_once(';').unwrap_or((rest, ""));
    (header, format!("{id};"), format!(";{after}"))
}

/// Writes `before`, `n` bytes of `fill`, then `after`, without holding the big cell in memory.
fn write_big(path: &Path, before: &str, fill: u8, n: usize, after: &str) {
    let mut f =
        std::io::BufWriter::new(std::fs::File::create(path).unwrap_or_else(|e| panic!("{e}")));
    let chunk = vec![fill; 1 << 20];
    let mut go = || -> std::io::Result<()> {
        f.write_all(before.as_bytes())?;
        for _ in 0..n / chunk.len() {
            f.write_all(&chunk)?;
        }
        f.write_all(&chunk[..n % chunk.len()])?;
        f.write_all(after.as_bytes())?;
        f.flush()
    };
    go().unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn a_100_mb_cell_is_refused_with_one_line() {
    let d = dir("big-cell");
    let (header, before, after) = csv_parts();
    let csv = d.join("big.csv");
    write_big(
        &csv,
        &format!("{header}\n{before}"),
        b'x',
        100 << 20,
        &format!("{after}\n"),
    );
    let jsonl = d.join("big.jsonl");
    write_big(&jsonl, "{\"dossier_id\": \"", b'x', 100 << 20, "\"}\n");
    for (path, line) in [(&csv, "line 2"), (&jsonl, "line 1")] {
        let name = path.display().to_string();
        for fast in [true, false] {
            let mut c = score(path, &["--format", "json"]);
            if !fast {
                c.env("CHISO_ROW_PATH", "1");
            }
            let out = c.output().unwrap_or_else(|e| panic!("{e}"));
            one_line_error(&out, &[&name, line, "longer than 4 MiB"]);
        }
    }
    let _ = std::fs::remove_dir_all(&d);
}

/// A CSV of `rows` distinct dossiers made from the golden file's data lines.
fn large_csv(path: &Path, rows: usize) {
    let text = std::fs::read_to_string(golden("dossiers.csv")).unwrap_or_else(|e| panic!("{e}"));
    let mut lines = text.lines();
    let header = lines.next().unwrap_or_default();
    let rests: Vec<&str> = lines
        .filter_map(|l| l.split_once(';').map(|(_, r)| r))
        .collect();
    let mut f =
        std::io::BufWriter::new(std::fs::File::create(path).unwrap_or_else(|e| panic!("{e}")));
    let mut go = || -> std::io::Result<()> {
        writeln!(f, "{header}")?;
        for i in 0..rows {
            writeln!(f, "GEN-{i};{}", rests[i % rests.len()])?;
        }
        f.flush()
    };
    go().unwrap_or_else(|e| panic!("{e}"));
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_a_long_score_and_writes_nothing() {
    let d = dir("ctrl-c");
    let input = d.join("large.csv");
    large_csv(&input, 1_500_000);
    let report = d.join("report.json");
    std::fs::write(&report, "previous").unwrap_or_else(|e| panic!("{e}"));
    let verdicts = d.join("verdicts.csv");
    let (r, v) = (report.display().to_string(), verdicts.display().to_string());
    let mut child = score(
        &input,
        &["--format", "json", "--output", &r, "--verdicts", &v],
    )
    .stdout(std::process::Stdio::null())
    .stderr(std::process::Stdio::piped())
    .spawn()
    .unwrap_or_else(|e| panic!("{e}"));
    // Once the verdict file is being written, scoring is under way.
    let started = Instant::now();
    while std::fs::read_dir(&d)
        .map(|e| {
            e.filter_map(Result::ok)
                .all(|e| !e.file_name().to_string_lossy().ends_with(".part"))
        })
        .unwrap_or(true)
        && started.elapsed() < Duration::from_secs(60)
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        child.try_wait().ok().flatten().is_none(),
        "chiso finished before it could be interrupted: make the input larger"
    );
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(kill.success());
    let sent = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap_or_else(|e| panic!("{e}")) {
            break s;
        }
        // Generous: this checks that the process stops, not how fast.
        assert!(
            sent.elapsed() < Duration::from_secs(2),
            "chiso still running after Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut e, &mut err);
    }
    assert!(!status.success(), "{status:?}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&report).unwrap_or_default(),
        "previous"
    );
    assert!(!verdicts.exists(), "a partial verdict file was left");
    let left: Vec<String> = std::fs::read_dir(&d)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".part"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
    let _ = std::fs::remove_dir_all(&d);
}
