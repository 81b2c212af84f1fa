//! `chiso watch` end to end: a lifecycle stream from `chiso generate --events` replayed with the
//! data clock ends where batch scoring of the final records is; killed with SIGKILL mid-stream
//! and restarted from its state file, it ends with the same scorecard as one uninterrupted run.
#![allow(clippy::unwrap_used)]

use chiso::live::{Scoreboard, SharedCalendar};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_chiso")
}

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("chiso-watch-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A sample with its lifecycle stream; `format` "jsonl" or "csv" (events.<format>).
fn generate(d: &Path, format: &str) {
    let out = Command::new(bin())
        .args([
            "generate",
            "--dossiers",
            "1500",
            "--seed",
            "11",
            "--events",
            "--format",
            format,
            "--out",
        ])
        .arg(d)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn watch(d: &Path, file: &Path, state: &Path, extra: &[&str]) -> std::process::Child {
    // The catalogue and units in the format the sample was written in.
    let ext = if d.join("units.csv").exists() {
        "csv"
    } else {
        "jsonl"
    };
    Command::new(bin())
        .arg("watch")
        .arg("--dossiers")
        .arg(file)
        .arg("--procedures")
        .arg(d.join(format!("procedures.{ext}")))
        .arg("--units")
        .arg(d.join(format!("units.{ext}")))
        .args(["--period", "2026", "--period", "2026-Q4", "--clock", "data"])
        .args(["--format", "jsonl", "--state"])
        .arg(state)
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn calendar() -> SharedCalendar {
    Arc::new(chiso_calendar::Calendar::vietnam())
}

fn cards(state: &Path) -> (String, chrono::NaiveDateTime) {
    let b = Scoreboard::from_bytes(&std::fs::read(state).unwrap(), calendar()).unwrap();
    (
        serde_json::to_string(&b.scorecards().unwrap()).unwrap(),
        b.now(),
    )
}

/// A watcher following a growing file (`format`: its extension) is killed with SIGKILL after
/// saving its state, more lines are appended, and a restart resumes from the state: it ends with
/// the scorecards of one uninterrupted run, no record lost or counted twice.
fn killed_and_resumed(format: &str) {
    let d = dir(&format!("kill-{format}"));
    generate(&d, format);
    let events = d.join(format!("events.{format}"));
    let text = std::fs::read_to_string(&events).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() > 3000, "{} sync records", lines.len());

    // One uninterrupted run.
    let whole = d.join("whole.state");
    let out = watch(&d, &events, &whole, &["--batch", "500"])
        .wait_with_output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (want, want_now) = cards(&whole);
    let tracked = Scoreboard::from_bytes(&std::fs::read(&whole).unwrap(), calendar())
        .unwrap()
        .len();
    assert_eq!(tracked, 1500, "every dossier of the stream is tracked");

    // The same stream arriving in two parts; the first watcher is killed while following it.
    let growing = d.join(format!("growing.{format}"));
    let half = lines.len() / 2;
    std::fs::write(&growing, lines[..half].join("\n") + "\n").unwrap();
    let state = d.join("killed.state");
    let mut child = watch(
        &d,
        &growing,
        &state,
        &["--follow", "--batch", "40", "--save-every", "0"],
    );
    let started = Instant::now();
    while !state.exists() && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(state.exists(), "the watcher saved no state");
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let saved = Scoreboard::from_bytes(&std::fs::read(&state).unwrap(), calendar()).unwrap();
    let offset: u64 = saved.bookmark().parse().unwrap();
    assert!(offset > 0, "the saved state says how far it read");
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&growing)
        .unwrap();
    f.write_all((lines[half..].join("\n") + "\n").as_bytes())
        .unwrap();
    drop(f);
    let out = watch(&d, &growing, &state, &["--batch", "500"])
        .wait_with_output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("resumed"),
        "the restart resumed from the state"
    );
    let (got, got_now) = cards(&state);
    assert_eq!(got_now, want_now);
    assert!(
        got == want,
        "resumed run differs from the uninterrupted one"
    );
}

#[test]
fn killed_mid_stream_and_restarted_ends_like_one_run() {
    killed_and_resumed("jsonl");
}

#[test]
fn a_followed_csv_file_killed_and_restarted_ends_like_one_run() {
    killed_and_resumed("csv");
}

#[test]
fn a_csv_line_being_written_waits_for_its_end() {
    let d = dir("partial");
    generate(&d, "csv");
    let text = std::fs::read_to_string(d.join("events.csv")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let whole = d.join("whole.state");
    let out = watch(&d, &d.join("events.csv"), &whole, &[])
        .wait_with_output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (want, _) = cards(&whole);
    // The file ends in the middle of a record: the watcher reads up to it, leaves it, and
    // takes it whole once the writer finishes the line.
    let growing = d.join("growing.csv");
    let cut = lines[lines.len() - 1].len() / 2;
    let last = lines[lines.len() - 1];
    std::fs::write(
        &growing,
        lines[..lines.len() - 1].join("\n") + "\n" + &last[..cut],
    )
    .unwrap();
    let state = d.join("partial.state");
    let out = watch(&d, &growing, &state, &[]).wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "a partial last line is not an error: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let saved = Scoreboard::from_bytes(&std::fs::read(&state).unwrap(), calendar()).unwrap();
    let offset: usize = saved.bookmark().parse().unwrap();
    assert_eq!(
        offset,
        text.len() - last.len() - 1,
        "read up to the partial line"
    );
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&growing)
        .unwrap();
    f.write_all((last[cut..].to_string() + "\n").as_bytes())
        .unwrap();
    drop(f);
    let out = watch(&d, &growing, &state, &[]).wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (got, _) = cards(&state);
    assert!(got == want, "the completed line was taken once, whole");
}

#[test]
fn a_replayed_stream_scores_like_the_final_records() {
    let d = dir("replay");
    generate(&d, "jsonl");
    let state = d.join("s.state");
    let out = watch(&d, &d.join("events.jsonl"), &state, &[])
        .wait_with_output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let b = Scoreboard::from_bytes(&std::fs::read(&state).unwrap(), calendar()).unwrap();
    // Batch scoring of the final records at the watcher's clock.
    let read = |name: &str| std::fs::read_to_string(d.join(name)).unwrap();
    let rows = |name: &str| -> Vec<serde_json::Value> {
        read(name)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let dossiers: Vec<chiso::Dossier> = rows("dossiers.jsonl")
        .into_iter()
        .map(|v| serde_json::from_value(v).unwrap())
        .collect();
    let procedures: Vec<chiso::Procedure> = rows("procedures.jsonl")
        .into_iter()
        .map(|v| serde_json::from_value(v).unwrap())
        .collect();
    let units: Vec<chiso::Unit> = rows("units.jsonl")
        .into_iter()
        .map(|v| serde_json::from_value(v).unwrap())
        .collect();
    let profile = chiso::Profile::builtin("portal-2026").unwrap();
    for p in b.periods() {
        let r = chiso::pipeline::run(
            &chiso::pipeline::Records {
                dossiers: &dossiers,
                procedures: &procedures,
                units: Some(&units),
                petitions: &[],
            },
            p.clone(),
            b.now(),
            &profile,
            profile.options,
            &chiso_calendar::Calendar::vietnam(),
        )
        .unwrap();
        assert_eq!(
            serde_json::to_string(&b.scorecard(&p).unwrap()).unwrap(),
            serde_json::to_string(&r.scorecard).unwrap(),
            "period {}",
            p.label()
        );
    }
}

/// A line in the portal's names (`MaHoSo`, `NgayTiepNhan` with a Vietnamese date) is read as
/// `chiso score` reads it, and lines that cannot be read (a sync time that is no time, text that
/// is no JSON, a CSV date that is no date) are set aside — named on stderr, listed in `--rejects`
/// with their line and column — while the rest of the stream ends exactly as without them.
#[test]
fn portal_names_are_read_and_unreadable_records_are_set_aside() {
    let d = dir("rejects");
    generate(&d, "jsonl");
    let events = d.join("events.jsonl");
    let whole = d.join("whole.state");
    let out = watch(&d, &events, &whole, &[]).wait_with_output().unwrap();
    assert!(out.status.success());
    let (want, _) = cards(&whole);

    let text = std::fs::read_to_string(&events).unwrap();
    let mut mixed = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if i == 1000 {
            mixed.push(r#"{"dossier_id":"BAD-1","synced_at":"not a time"}"#.to_string());
            mixed.push("garbage{".to_string());
        }
        let mut v: serde_json::Map<String, serde_json::Value> = serde_json::from_str(line).unwrap();
        if i % 2 == 0 {
            let id = v.remove("dossier_id").unwrap();
            v.insert("MaHoSo".into(), id);
        }
        if i % 3 == 0 {
            if let Some(serde_json::Value::String(at)) = v.remove("received_at") {
                let t = chrono::NaiveDateTime::parse_from_str(&at, "%Y-%m-%dT%H:%M:%S").unwrap();
                v.insert(
                    "NgayTiepNhan".into(),
                    t.format("%d/%m/%Y %H:%M").to_string().into(),
                );
            }
        }
        mixed.push(serde_json::to_string(&v).unwrap());
    }
    let mixed_file = d.join("mixed.jsonl");
    std::fs::write(&mixed_file, mixed.join("\n") + "\n").unwrap();
    let state = d.join("mixed.state");
    let rejects = d.join("rejects.jsonl");
    let out = watch(
        &d,
        &mixed_file,
        &state,
        &["--rejects", rejects.to_str().unwrap()],
    )
    .wait_with_output()
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("line 1001 (synced_at)"), "{stderr}");
    assert!(stderr.contains("2 records set aside"), "{stderr}");
    let listed: Vec<serde_json::Value> = std::fs::read_to_string(&rejects)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let rows: Vec<(u64, Option<&str>)> = listed
        .iter()
        .map(|r| (r["row"].as_u64().unwrap(), r["column"].as_str()))
        .collect();
    assert_eq!(rows, [(1001, Some("synced_at")), (1002, None)]);
    let (got, _) = cards(&state);
    assert!(
        got == want,
        "the same scorecards with the portal's names and two lines set aside"
    );

    // Bad lines appended after the last record: set aside once, and the saved read position
    // moves past them, so the next run does not set them aside (or list them) again.
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&mixed_file)
        .unwrap();
    f.write_all(b"{\"dossier_id\": 1.5e999}\n[]\n").unwrap();
    drop(f);
    let rejects_arg = ["--rejects", rejects.to_str().unwrap()];
    let out = watch(&d, &mixed_file, &state, &rejects_arg)
        .wait_with_output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.contains("2 records set aside"),
        "{stderr}"
    );
    let out = watch(&d, &mixed_file, &state, &rejects_arg)
        .wait_with_output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && !stderr.contains("set aside"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&rejects).unwrap().lines().count(),
        4
    );
    assert!(cards(&state).0 == want);
    // A --rejects file that cannot be written is refused at the start.
    let out = watch(
        &d,
        &mixed_file,
        &d.join("other.state"),
        &["--rejects", "/nonexistent/dir/r.jsonl"],
    )
    .wait_with_output()
    .unwrap();
    assert!(!out.status.success(), "refused before reading");

    // CSV: a row whose receipt date is no date is set aside, the rest read.
    let c = dir("rejects-csv");
    generate(&c, "csv");
    let csv = std::fs::read_to_string(c.join("events.csv")).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let at = header.iter().position(|h| *h == "received_at").unwrap();
    let mut lines: Vec<String> = csv.lines().map(str::to_string).collect();
    let mut bad: Vec<String> = lines[5].split(',').map(str::to_string).collect();
    bad[at] = "not a date".into();
    lines.insert(6, bad.join(","));
    let broken = c.join("broken.csv");
    std::fs::write(&broken, lines.join("\n") + "\n").unwrap();
    let whole = c.join("whole.state");
    assert!(watch(&c, &c.join("events.csv"), &whole, &[])
        .wait_with_output()
        .unwrap()
        .status
        .success());
    let state = c.join("broken.state");
    let out = watch(&c, &broken, &state, &[]).wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("line 7 (received_at)"), "{stderr}");
    assert!(
        cards(&state).0 == cards(&whole).0,
        "the bad row set aside, nothing else changed"
    );
}
