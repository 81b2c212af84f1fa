//! The CLI end to end: demo, calendar, conformance and the toolkit commands on generated data.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::Command;

fn chiso(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_chiso"))
        // English reports whatever the machine's locale (the default follows LANG / LC_ALL).
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn sample_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("chiso-cli-toolkit-{}", std::process::id()));
    if !dir.join("dossiers.jsonl").exists() {
        let (ok, _, err) = chiso(&[
            "generate",
            "--dossiers",
            "3000",
            "--seed",
            "5",
            "--out",
            dir.to_str().unwrap(),
        ]);
        assert!(ok, "{err}");
    }
    dir
}

fn inputs(dir: &std::path::Path) -> Vec<String> {
    let f = |n: &str| dir.join(n).to_string_lossy().into_owned();
    vec![
        "--dossiers".into(),
        f("dossiers.jsonl"),
        "--procedures".into(),
        f("procedures.jsonl"),
        "--units".into(),
        f("units.jsonl"),
        "--petitions".into(),
        f("petitions.jsonl"),
        "--period".into(),
        "2026".into(),
        "--as-of".into(),
        "2026-11-20T16:00".into(),
    ]
}

#[test]
fn demo_prints_a_scorecard_with_every_classification_case() {
    let (ok, out, err) = chiso(&["demo"]);
    assert!(ok, "{err}");
    for needle in [
        "CKMB",
        "TDGQ",
        "total",
        "early",
        "late",
        "overdue in progress",
        "biggest point losses",
        "read =",
    ] {
        assert!(out.contains(needle), "demo output lacks {needle:?}");
    }
    let (ok, json, _) = chiso(&["demo", "--format", "json"]);
    assert!(ok);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let root = &v["units"][0]["counts"];
    for case in [
        "early",
        "on_time",
        "late",
        "open_within",
        "open_overdue",
        "statutory_fallback",
    ] {
        assert!(
            root[case].as_u64().unwrap() > 0,
            "the demo has no {case} dossier"
        );
    }
}

#[test]
fn calendar_commands() {
    let (ok, out, _) = chiso(&["calendar", "lunar", "2026-02-17"]);
    assert!(ok && out.contains("01/01") && out.contains("2026"), "{out}");
    let (ok, out, _) = chiso(&["calendar", "holidays", "2026"]);
    assert!(
        ok && out.contains("2026-04-27") && out.contains("2026-09-02"),
        "{out}"
    );
    // Fri 24 Apr 2026 + 5 working days skips 27 Apr (substitute), 30 Apr and 1 May: Wed 6 May.
    let (ok, out, _) = chiso(&["calendar", "add-workdays", "2026-04-24", "5"]);
    assert!(ok && out.trim() == "2026-05-06", "{out}");
    let (ok, out, _) = chiso(&["calendar", "between", "2026-01-01", "2026-12-31"]);
    assert!(ok && out.trim().parse::<i64>().unwrap() > 240, "{out}");
    let (ok, _, err) = chiso(&["calendar", "lunar", "2026-13-01"]);
    assert!(
        !ok && err.lines().count() == 1 && err.contains("not a date"),
        "{err}"
    );
}

#[test]
fn conformance_json_has_the_documented_shape() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/portal-data/phu-tho-2026-09");
    if !dir.exists() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "portal data missing at {}",
            dir.display()
        );
        eprintln!("SKIPPED: portal data not found at {}", dir.display());
        return;
    }
    let (ok, out, err) = chiso(&["conformance", dir.to_str().unwrap(), "--format", "json"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["profile"].as_str().unwrap().starts_with("portal-2026"));
    for g in ["CKMB", "TDGQ", "CLGQ", "TTTT", "MDSH", "MDHL"] {
        let s = &v["groups"][g];
        assert!(
            s["checked"].as_u64().unwrap() > 0
                && s["matched"].is_u64()
                && s["max_abs_error"].is_f64()
                && s["mismatches"].is_array(),
            "{g}"
        );
    }
    assert!(v["indicators"]["2.1"]["checked"].as_u64().unwrap() > 100);
}

#[test]
fn toolkit_commands_run_on_generated_data() {
    let dir = sample_dir();
    let base = inputs(&dir);
    let run = |cmd: &str, extra: &[&str]| {
        let mut args: Vec<&str> = vec![cmd];
        args.extend(base.iter().map(String::as_str));
        args.extend_from_slice(extra);
        chiso(&args)
    };
    let (ok, out, err) = run("plan", &["--what-if", "pay_online=50"]);
    assert!(ok, "{err}");
    assert!(
        out.contains("points lost") && out.contains("what if") && out.contains("PayOnline"),
        "{out}"
    );
    let (ok, out, _) = run("plan", &["--format", "json", "--targets", "rules"]);
    assert!(ok);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(!v["plan"]["steps"].as_array().unwrap().is_empty());
    let (ok, out, _) = run("overdue", &["--format", "json"]);
    assert!(ok);
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(rows
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["urgency"] == "overdue"));
    let (ok, out, _) = run("check", &[]);
    assert!(ok && out.contains("data quality"), "{out}");
    let (ok, out, _) = run("officials", &["--format", "json"]);
    assert!(ok, "{out}");
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    let officials = r["officials"].as_array().unwrap();
    assert!(!officials.is_empty(), "the sample carries a process log");
    for u in r["units"].as_array().unwrap() {
        let code = u["unit_code"].as_str().unwrap();
        let of_unit = officials.iter().filter(|o| o["unit_code"] == code);
        let (steps, made_late) = of_unit.fold((0, 0), |(s, m), o| {
            (
                s + o["steps"].as_u64().unwrap(),
                m + o["dossiers_made_late"].as_u64().unwrap(),
            )
        });
        assert_eq!(steps, u["steps"].as_u64().unwrap(), "{code}");
        assert_eq!(
            made_late + u["unattributed_late"].as_u64().unwrap(),
            u["late_dossiers"].as_u64().unwrap(),
            "{code}"
        );
    }
    let d = dir.join("dossiers.jsonl");
    let (ok, out, _) = run(
        "reconcile",
        &["--against", d.to_str().unwrap(), "--format", "json"],
    );
    assert!(ok);
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(rows
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["received_diff"] == 0));
    let (ok, _, err) = run("plan", &["--what-if", "teleport=3"]);
    assert!(!ok && err.contains("unknown action"), "{err}");
    // The same tables in Vietnamese: the portal's terms and dd/MM/yyyy deadlines.
    let (ok, out, err) = run("plan", &["--what-if", "pay_online=50", "--lang", "vi"]);
    assert!(ok, "{err}");
    assert!(
        out.contains("kế hoạch cho") && out.contains("giả định"),
        "{out}"
    );
    let (ok, out, _) = run("overdue", &["--lang", "vi"]);
    assert!(ok && out.contains("hồ sơ đang giải quyết quá hạn"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("quá hạn") && l.contains("/2026 ")),
        "{out}"
    );
    let (ok, out, _) = run("check", &["--lang", "vi"]);
    assert!(ok && out.contains("chất lượng dữ liệu của"), "{out}");
    let (ok, out, _) = run(
        "reconcile",
        &["--against", d.to_str().unwrap(), "--lang", "vi"],
    );
    let head = out.lines().next().unwrap_or_default();
    assert!(
        ok && head.contains("Tiếp nhận A") && head.contains("Chênh lệch"),
        "{out}"
    );
    let (ok, out, _) = run("reconcile", &["--against", d.to_str().unwrap()]);
    assert!(
        ok && out.starts_with("unit ") && out.contains("recv A"),
        "{out}"
    );
    let (ok, out, _) = run("officials", &["--lang", "vi"]);
    assert!(
        ok && out.starts_with("Cán bộ xử lý") && out.contains("Bước trễ hạn"),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("đơn vị ") && l.contains(" bước xử lý, ")),
        "{out}"
    );
    let (ok, out, _) = run("officials", &[]);
    assert!(
        ok && out.starts_with("official") && out.contains("made late"),
        "{out}"
    );
}

/// Without `--lang`, reconcile and officials follow the locale like every other table.
#[test]
fn reconcile_and_officials_default_to_the_locale() {
    let dir = sample_dir();
    let d = dir.join("dossiers.jsonl");
    for (cmd, extra, heading) in [
        ("officials", vec![], "Cán bộ xử lý"),
        (
            "reconcile",
            vec!["--against", d.to_str().unwrap()],
            "Tiếp nhận A",
        ),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_chiso"))
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", "vi_VN.UTF-8")
            .arg(cmd)
            .args(inputs(&dir))
            .args(extra)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && text.contains(heading),
            "{cmd}: {text}"
        );
    }
}
