//! Outputs are safe: every write is checked (a full disk is one line and exit 2), a closed pipe
//! ends quietly, and `--output` / `--rejects` are written atomically (a failing or interrupted
//! run leaves the previous file intact).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn golden(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/golden/input")
        .join(name)
        .display()
        .to_string()
}

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("chiso-outputs-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap_or_else(|e| panic!("{e}"));
    d
}

fn score_cmd(extra: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_chiso"));
    c.args([
        "score",
        "--period",
        "2026-Q3",
        "--as-of",
        "2026-09-30T17:00",
        "--dossiers",
    ])
    .arg(golden("dossiers.csv"))
    .args(["--procedures", &golden("procedures.csv")])
    .args(["--units", &golden("units.csv")])
    .args(extra);
    c
}

fn run(mut c: Command) -> Output {
    c.output()
        .unwrap_or_else(|e| panic!("cannot run chiso: {e}"))
}

/// Exit code 2 and exactly one line on stderr containing `needle`, no panic.
fn one_line_error(out: &Output, needle: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains(needle), "{err:?} lacks {needle:?}");
    assert!(!err.contains("panicked"), "{err}");
}

fn temp_files(d: &Path) -> Vec<String> {
    std::fs::read_dir(d)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".part"))
        .collect()
}

#[cfg(target_os = "linux")]
#[test]
fn stdout_on_a_full_disk_is_an_error() {
    for format in ["table", "json", "csv", "html"] {
        let mut c = score_cmd(&["--format", format]);
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap_or_else(|e| panic!("{e}"));
        c.stdout(full);
        let out = run(c);
        one_line_error(&out, "No space left on device");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn output_and_rejects_on_a_full_disk_are_errors() {
    one_line_error(&run(score_cmd(&["--output", "/dev/full"])), "/dev/full");
    one_line_error(
        &run(score_cmd(&["--format", "xlsx", "--output", "/dev/full"])),
        "/dev/full",
    );
    one_line_error(&run(score_cmd(&["--rejects", "/dev/full"])), "/dev/full");
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let mut c = score_cmd(&["--format", "json"]);
    c.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = c.spawn().unwrap_or_else(|e| panic!("{e}"));
    // The reader goes away before chiso writes (like `| head -0`).
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{:?}: {err}", out.status);
    assert!(err.trim().is_empty(), "{err}");
}

#[test]
fn missing_folder_is_one_line_and_writes_nothing() {
    let d = dir("missing");
    let report = d.join("report.json");
    std::fs::write(&report, "previous").unwrap_or_else(|e| panic!("{e}"));
    let missing = d.join("no-such-folder/out.json");
    let m = missing.display().to_string();
    one_line_error(&run(score_cmd(&["--output", &m])), "does not exist");
    let r = report.display().to_string();
    // --rejects fails before --output is written: the previous report stays.
    one_line_error(
        &run(score_cmd(&["--rejects", &m, "--output", &r])),
        "no-such-folder",
    );
    assert_eq!(
        std::fs::read_to_string(&report).unwrap_or_default(),
        "previous"
    );
}

#[test]
fn read_only_folder_is_one_line_and_keeps_the_previous_file() {
    let d = dir("readonly");
    let report = d.join("report.json");
    std::fs::write(&report, "previous").unwrap_or_else(|e| panic!("{e}"));
    set_mode(&d, 0o555);
    // Root ignores permission bits: then /sys (which refuses new files even to root) stands in.
    let probe = d.join("probe");
    let target = if std::fs::write(&probe, "x").is_ok() {
        let _ = std::fs::remove_file(&probe);
        PathBuf::from("/sys/chiso-report.json")
    } else {
        report.clone()
    };
    let t = target.display().to_string();
    one_line_error(&run(score_cmd(&["--output", &t])), &t);
    one_line_error(&run(score_cmd(&["--rejects", &t])), &t);
    set_mode(&d, 0o755);
    assert_eq!(
        std::fs::read_to_string(&report).unwrap_or_default(),
        "previous"
    );
    assert!(temp_files(&d).is_empty());
}

#[cfg(unix)]
fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("{e}"));
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) {}

/// A run killed while writing (here by the file-size limit, SIGXFSZ) leaves the previous
/// report as it was: the new one was being written to a temporary file.
#[cfg(unix)]
#[test]
fn an_interrupted_write_keeps_the_previous_file() {
    let d = dir("interrupted");
    let report = d.join("report.json");
    let previous = "previous report\n";
    std::fs::write(&report, previous).unwrap_or_else(|e| panic!("{e}"));
    let full = run(score_cmd(&["--format", "json"]));
    assert!(
        full.stdout.len() > 8 * 1024,
        "the report must outgrow the limit"
    );
    let cmd = score_cmd(&[
        "--format",
        "json",
        "--output",
        &report.display().to_string(),
    ]);
    let args: Vec<String> = std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|a| format!("'{}'", a.to_string_lossy()))
        .collect();
    // 4 blocks of 1 KiB (bash) or 512 B (dash): far below the report's size.
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -f 4 && exec {}", args.join(" ")))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !out.status.success(),
        "the write should have been cut short"
    );
    assert_eq!(
        std::fs::read_to_string(&report).unwrap_or_default(),
        previous
    );
    // Without the limit the report is replaced whole.
    let out = run(score_cmd(&[
        "--format",
        "json",
        "--output",
        &report.display().to_string(),
    ]));
    assert!(out.status.success());
    assert_eq!(
        std::fs::read(&report).unwrap_or_default(),
        full.stdout,
        "the report in the file is the one printed"
    );
}

#[test]
fn output_replaces_a_previous_report_whole() {
    let d = dir("replace");
    let report = d.join("report.csv");
    let rejects = d.join("rejects.jsonl");
    std::fs::write(&report, "x".repeat(1_000_000)).unwrap_or_else(|e| panic!("{e}"));
    let out = run(score_cmd(&[
        "--format",
        "csv",
        "--output",
        &report.display().to_string(),
        "--rejects",
        &rejects.display().to_string(),
    ]));
    assert!(out.status.success());
    let text = std::fs::read_to_string(&report).unwrap_or_default();
    assert!(
        text.len() < 1_000_000 && !text.contains("xxx"),
        "old bytes remain"
    );
    assert!(rejects.exists());
    assert!(temp_files(&d).is_empty());
}

#[cfg(target_os = "linux")]
#[test]
fn verdicts_on_a_full_disk_are_an_error() {
    // The extension picks the format and /dev/full has none: a link named .csv stands in.
    let d = dir("verdicts-full");
    let link = d.join("verdicts.csv");
    std::os::unix::fs::symlink("/dev/full", &link).unwrap_or_else(|e| panic!("{e}"));
    let l = link.display().to_string();
    let out = run(score_cmd(&["--verdicts", &l]));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    // (Progress lines may come first; the error is one line.)
    let errors: Vec<&str> = err.lines().filter(|l| l.contains("error")).collect();
    assert_eq!(errors.len(), 1, "{err}");
    assert!(
        errors[0].contains(&l) && errors[0].contains("No space left on device"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn verdicts_in_a_missing_or_read_only_folder_are_one_line_and_keep_the_previous_file() {
    let d = dir("verdicts-folders");
    let missing = d.join("no-such-folder/verdicts.csv");
    let m = missing.display().to_string();
    one_line_error(&run(score_cmd(&["--verdicts", &m])), "does not exist");
    let previous = d.join("verdicts.csv");
    std::fs::write(&previous, "previous").unwrap_or_else(|e| panic!("{e}"));
    set_mode(&d, 0o555);
    let probe = d.join("probe");
    let target = if std::fs::write(&probe, "x").is_ok() {
        let _ = std::fs::remove_file(&probe);
        PathBuf::from("/sys/chiso-verdicts.csv")
    } else {
        previous.clone()
    };
    let t = target.display().to_string();
    one_line_error(&run(score_cmd(&["--verdicts", &t])), &t);
    set_mode(&d, 0o755);
    assert_eq!(
        std::fs::read_to_string(&previous).unwrap_or_default(),
        "previous"
    );
    assert!(temp_files(&d).is_empty());
}

#[test]
fn a_failing_run_keeps_the_previous_verdicts_whole() {
    let d = dir("verdicts-failing");
    let verdicts = d.join("verdicts.csv");
    let v = verdicts.display().to_string();
    // A good run writes the file whole, through a temporary file that is gone afterwards.
    let out = run(score_cmd(&["--verdicts", &v]));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let good = std::fs::read_to_string(&verdicts).unwrap_or_default();
    assert!(good.lines().count() > 1, "{good}");
    assert!(temp_files(&d).is_empty());
    // A run that fails while the verdicts are being written (a cell past the 4 MiB limit after
    // the golden rows) leaves the previous file as it was.
    let bad = d.join("dossiers.csv");
    let mut text = std::fs::read_to_string(golden("dossiers.csv")).unwrap_or_default();
    text.push_str(&format!("HS-9999;{}\n", "x".repeat(5 << 20)));
    std::fs::write(&bad, text).unwrap_or_else(|e| panic!("{e}"));
    let mut c = Command::new(env!("CARGO_BIN_EXE_chiso"));
    c.args([
        "score",
        "--period",
        "2026-Q3",
        "--as-of",
        "2026-09-30T17:00",
    ])
    .arg("--dossiers")
    .arg(&bad)
    .args(["--verdicts", &v]);
    let out = run(c);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&verdicts).unwrap_or_default(), good);
    assert!(temp_files(&d).is_empty());
}

#[test]
fn the_watch_state_in_a_missing_or_read_only_folder_is_one_line() {
    let d = dir("watch-state");
    let gen = d.join("gen");
    let made = Command::new(env!("CARGO_BIN_EXE_chiso"))
        .args([
            "generate",
            "--dossiers",
            "50",
            "--seed",
            "11",
            "--events",
            "--out",
        ])
        .arg(&gen)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let watch = |state: &Path| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_chiso"));
        c.arg("watch")
            .arg("--dossiers")
            .arg(gen.join("events.jsonl"))
            .args([
                "--period", "2026-Q3", "--clock", "data", "--format", "jsonl",
            ])
            .arg("--state")
            .arg(state)
            .stdout(Stdio::null());
        run(c)
    };
    let missing = d.join("no-such-folder/board.state");
    one_line_error(&watch(&missing), "does not exist");
    set_mode(&d, 0o555);
    let probe = d.join("probe");
    let target = if std::fs::write(&probe, "x").is_ok() {
        let _ = std::fs::remove_file(&probe);
        PathBuf::from("/sys/chiso-board.state")
    } else {
        d.join("board.state")
    };
    one_line_error(&watch(&target), &target.display().to_string());
    set_mode(&d, 0o755);
    assert!(temp_files(&d).is_empty());
}
