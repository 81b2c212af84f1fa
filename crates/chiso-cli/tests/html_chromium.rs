//! The HTML report renders in headless Chromium without errors, in English and in Vietnamese; the
//! screenshots are kept as test artefacts (`$CARGO_TARGET_TMPDIR/chiso-report-en.png`,
//! `chiso-report-vi.png`). Skipped, with a note, on a machine without
//! Chromium (`apt-get install chromium-headless-shell` or `chromium`), unless
//! `CHISO_REQUIRE_CHROMIUM` is set.

use std::path::{Path, PathBuf};
use std::process::Command;

fn browser() -> Option<PathBuf> {
    [
        "chromium-headless-shell",
        "chromium",
        "chromium-browser",
        "google-chrome",
    ]
    .iter()
    .flat_map(|b| {
        ["/usr/bin", "/usr/local/bin"]
            .iter()
            .map(move |d| Path::new(d).join(b))
    })
    .find(|p| p.exists())
}

#[test]
fn html_report_renders_in_headless_chromium() {
    let Some(chrome) = browser() else {
        assert!(
            std::env::var_os("CHISO_REQUIRE_CHROMIUM").is_none(),
            "no Chromium found"
        );
        eprintln!("skipped: no headless Chromium on this machine");
        return;
    };
    let out_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let sample = out_dir.join("html-sample");
    let run = |args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_chiso"))
            .args(args)
            .env_remove("LC_ALL")
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    let s = sample.display().to_string();
    run(&["generate", "--dossiers", "3000", "--seed", "5", "--out", &s]);
    let p = |n: &str| sample.join(n).display().to_string();
    // (language, headings the page must show, a number in the language's own separators)
    let cases = [
        (
            "en",
            ["Unit ranking", "Points lost per indicator"],
            "period 2026",
        ),
        (
            "vi",
            ["Xếp hạng đơn vị", "Điểm bị mất theo chỉ số"],
            "kỳ đánh giá Năm 2026",
        ),
    ];
    for (lang, headings, period) in cases {
        let report = out_dir.join(format!("chiso-report-{lang}.html"));
        let r = report.display().to_string();
        run(&[
            "score",
            "--dossiers",
            &p("dossiers.jsonl"),
            "--units",
            &p("units.jsonl"),
            "--procedures",
            &p("procedures.jsonl"),
            "--petitions",
            &p("petitions.jsonl"),
            "--period",
            "2026",
            "--as-of",
            "2026-11-20T16:00",
            "--format",
            "html",
            "--lang",
            lang,
            "--output",
            &r,
        ]);
        let shot = render(&chrome, &report, lang, &headings, period);
        eprintln!("screenshot ({lang}): {}", shot.display());
    }
}

/// Loads the page in Chromium: the DOM has the charts and `headings`, the console has no errors,
/// and a screenshot is taken; returns its path.
fn render(chrome: &Path, report: &Path, lang: &str, headings: &[&str], period: &str) -> PathBuf {
    let out_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let url = format!("file://{}", report.display());
    let shot = out_dir.join(format!("chiso-report-{lang}.png"));
    let common = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--allow-file-access-from-files",
        "--enable-logging=stderr",
        "--v=0",
    ];
    let dom = Command::new(chrome)
        .args(common)
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", chrome.display()));
    let html = String::from_utf8_lossy(&dom.stdout);
    let log = String::from_utf8_lossy(&dom.stderr);
    assert!(dom.status.success(), "{log}");
    assert!(
        html.matches("<svg").count() >= 3,
        "rendered DOM lacks the charts"
    );
    assert!(html.contains(&format!("<html lang=\"{lang}\"")), "{lang}");
    for h in headings {
        assert!(html.contains(h), "{lang}: no {h:?}");
    }
    assert!(html.contains(period), "{lang}: no {period:?}");
    // Page errors (bad markup that breaks scripts, failed loads) show as console errors.
    for line in log.lines() {
        let console_error = line.contains("CONSOLE") && line.contains("ERROR");
        let failed_load = line.contains("Failed to load resource");
        assert!(!console_error && !failed_load, "{line}");
    }
    let _ = std::fs::remove_file(&shot);
    let s = Command::new(chrome)
        .args(common)
        .arg(format!("--screenshot={}", shot.display()))
        .arg("--window-size=1100,2400")
        .arg(&url)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(s.status.success(), "{}", String::from_utf8_lossy(&s.stderr));
    let png = std::fs::read(&shot).unwrap_or_default();
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "no screenshot"
    );
    shot
}
