//! `chiso score` and `chiso generate` end to end: every input format, every output format, and
//! one clear line (never a panic) for a file that is missing or unreadable, an unknown period or
//! an unknown profile.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn chiso(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chiso"))
        // English reports whatever the machine's locale (the default follows LANG / LC_ALL).
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run chiso: {e}"))
}

fn golden(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/golden/input")
        .join(name)
        .display()
        .to_string()
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("chiso-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir.join(name)
}

/// `chiso generate` of 300 dossiers into a new folder `name`, in `format`; the path of each
/// of its files by stem (`dossiers`, `procedures`, `units`, `petitions`).
fn generated(name: &str, seed: &str, format: &str) -> (PathBuf, impl Fn(&str) -> String) {
    let dir = tmp(name);
    let d = dir.display().to_string();
    let out = chiso(&[
        "generate",
        "--dossiers",
        "300",
        "--seed",
        seed,
        "--out",
        &d,
        "--format",
        format,
    ]);
    assert!(
        out.status.success(),
        "{format}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (base, format) = (dir.clone(), format.to_string());
    let path = move |n: &str| base.join(format!("{n}.{format}")).display().to_string();
    (dir, path)
}

/// Fails with exit code ≠ 0 and exactly one line on stderr mentioning `needle`.
fn fails_with_one_line(args: &[&str], needle: &str) {
    let out = chiso(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{args:?} succeeded");
    assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    assert!(err.contains(needle), "{args:?}: {err:?} lacks {needle:?}");
    assert!(!err.contains("panicked"), "{err}");
}

const SCORE: &[&str] = &[
    "score",
    "--period",
    "2026-Q3",
    "--as-of",
    "2026-09-30T17:00",
];

fn score_args<'a>(dossiers: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut v: Vec<&str> = SCORE.to_vec();
    v.extend(["--dossiers", dossiers]);
    v.extend(extra);
    v
}

#[test]
fn missing_file() {
    fails_with_one_line(
        &score_args("/nonexistent/dossiers.csv", &[]),
        "/nonexistent/dossiers.csv",
    );
}

#[test]
fn unreadable_files() {
    let garbage = tmp("garbage.parquet");
    std::fs::write(&garbage, b"this is not parquet").unwrap_or_else(|e| panic!("{e}"));
    let g = garbage.display().to_string();
    fails_with_one_line(&score_args(&g, &[]), "garbage.parquet");
    let xlsx = tmp("garbage.xlsx");
    std::fs::write(&xlsx, b"PK\x03\x04 nope").unwrap_or_else(|e| panic!("{e}"));
    let x = xlsx.display().to_string();
    fails_with_one_line(&score_args(&x, &[]), "garbage.xlsx");
    let dir = std::env::temp_dir().display().to_string();
    fails_with_one_line(&score_args(&dir, &[]), "");
    let unknown = tmp("dossiers.docx");
    std::fs::write(&unknown, b"x").unwrap_or_else(|e| panic!("{e}"));
    let u = unknown.display().to_string();
    fails_with_one_line(&score_args(&u, &[]), "unknown file type");
    let headers = tmp("no-id.csv");
    std::fs::write(&headers, "a,b\n1,2\n").unwrap_or_else(|e| panic!("{e}"));
    let h = headers.display().to_string();
    fails_with_one_line(&score_args(&h, &[]), "dossier_id");
}

#[test]
fn unknown_period() {
    let d = golden("dossiers.csv");
    let out = chiso(&["score", "--dossiers", &d, "--period", "2026-Q5"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("2026-Q5"), "{err}");
}

#[test]
fn unknown_profile() {
    let d = golden("dossiers.csv");
    fails_with_one_line(
        &score_args(&d, &["--profile", "no-such-profile"]),
        "no-such-profile",
    );
}

#[test]
fn every_format_scores_the_same() {
    let units = golden("units.csv");
    let procs = golden("procedures.csv");
    let mut totals = Vec::new();
    for f in [
        "dossiers.csv",
        "dossiers-unicode.txt",
        "dossiers.xlsx",
        "dossiers-sync.json",
        "dossiers-sync.jsonl",
        "dossiers.arrow",
        "dossiers.parquet",
    ] {
        let d = golden(f);
        let out = chiso(&score_args(
            &d,
            &[
                "--units",
                &units,
                "--procedures",
                &procs,
                "--format",
                "json",
            ],
        ));
        assert!(
            out.status.success(),
            "{f}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{f}: {e}"));
        let acc = &v["accounting"];
        assert_eq!(acc["read"], 14, "{f}: {acc}");
        assert_eq!(acc["rejected"], 3, "{f}: {acc}");
        assert_eq!(
            acc["excluded"]["duplicate superseded by a later sync"], 2,
            "{f}: {acc}"
        );
        totals.push(v["scorecard"]["units"].to_string());
    }
    assert!(totals.windows(2).all(|w| w[0] == w[1]));
}

#[test]
fn outputs_table_csv_html_xlsx_and_rejects() {
    let d = golden("dossiers.csv");
    let units = golden("units.csv");
    let out = chiso(&score_args(&d, &["--units", &units]));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(text.contains("14 read = "), "{text}");
    assert!(text.contains("rejected: "), "{text}");

    let csv = tmp("card.csv");
    let c = csv.display().to_string();
    let out = chiso(&score_args(&d, &["--format", "csv", "--output", &c]));
    assert!(out.status.success());
    let body = std::fs::read_to_string(&csv).unwrap_or_default();
    assert!(
        body.starts_with("unit,name,kind,parent,rank,total,indicator"),
        "{body}"
    );

    let html = tmp("card.html");
    let h = html.display().to_string();
    let out = chiso(&score_args(
        &d,
        &["--units", &units, "--format", "html", "--output", &h],
    ));
    assert!(out.status.success());
    let page = std::fs::read_to_string(&html).unwrap_or_default();
    assert!(page.starts_with("<!DOCTYPE html>") && page.matches("<svg").count() >= 3);
    assert!(!page.contains("<script") && !page.contains("src=\"http"));

    let xlsx = tmp("card.xlsx");
    let x = xlsx.display().to_string();
    let rej = tmp("rejects.jsonl");
    let r = rej.display().to_string();
    let out = chiso(&score_args(
        &d,
        &["--format", "xlsx", "--output", &x, "--rejects", &r],
    ));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&xlsx).unwrap_or_default();
    assert!(bytes.starts_with(b"PK"));
    let rejects = std::fs::read_to_string(&rej).unwrap_or_default();
    assert_eq!(rejects.lines().count(), 3, "{rejects}");
    assert!(rejects.contains("\"row\":8"), "{rejects}");
    fails_with_one_line(&score_args(&d, &["--format", "xlsx"]), "--output");
}

#[test]
fn generate_in_every_format_scores_the_same() {
    let mut cards = Vec::new();
    for f in ["jsonl", "csv", "arrow", "parquet"] {
        let (_, p) = generated(&format!("gen-{f}"), "3", f);
        let out = chiso(&[
            "score",
            "--dossiers",
            &p("dossiers"),
            "--procedures",
            &p("procedures"),
            "--units",
            &p("units"),
            "--petitions",
            &p("petitions"),
            "--period",
            "2026",
            "--as-of",
            "2026-11-20T16:00",
            "--format",
            "json",
        ]);
        assert!(
            out.status.success(),
            "{f}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{f}: {e}"));
        assert_eq!(v["accounting"]["rejected"], 0, "{f}: {}", v["rejects"]);
        cards.push((f, v["scorecard"]["units"].to_string()));
    }
    for (f, c) in &cards[1..] {
        assert!(c == &cards[0].1, "{f} scores differently from jsonl");
    }
}

#[test]
fn a_mapping_file_adds_headers() {
    let csv = tmp("custom.csv");
    std::fs::write(
        &csv,
        "Số biên nhận,Đơn vị,Ngày nhận HS,Trạng thái\nA-1,H44.100,02/09/2026 08:00,4\nA-2,H44.100,03/09/2026 08:00,9\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let c = csv.display().to_string();
    // Without the mapping the file has no dossier id column.
    fails_with_one_line(&score_args(&c, &[]), "dossier_id");
    let map = tmp("columns.toml");
    std::fs::write(
        &map,
        "[dossier]\n\"Số biên nhận\" = \"dossier_id\"\n\"Ngày nhận HS\" = \"received_at\"\n\"Đơn vị\" = \"unit_code\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let m = map.display().to_string();
    let out = chiso(&score_args(&c, &["--columns", &m, "--format", "json"]));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(v["accounting"]["scored"], 2, "{}", v["accounting"]);
    // A mapping to a field that does not exist is refused with the file and the key.
    std::fs::write(&map, "[dossier]\n\"X\" = \"no_such_field\"\n")
        .unwrap_or_else(|e| panic!("{e}"));
    fails_with_one_line(&score_args(&c, &["--columns", &m]), "no_such_field");
}

#[test]
fn a_broken_json_array_is_one_clear_error() {
    let json = tmp("broken.json");
    std::fs::write(&json, "[{\"MaHoSo\": \"A\"}, {\"MaHoSo\": ").unwrap_or_else(|e| panic!("{e}"));
    let j = json.display().to_string();
    fails_with_one_line(&score_args(&j, &[]), "broken.json");
}

#[test]
fn vietnamese_reports_with_lang_or_locale() {
    let d = golden("dossiers.csv");
    let units = golden("units.csv");
    let out = chiso(&score_args(&d, &["--units", &units, "--lang", "vi"]));
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("kỳ đánh giá Quý 3/2026"), "{text}");
    assert!(text.contains("30/09/2026 17:00"), "{text}");
    assert!(text.contains("14 đã đọc = "), "{text}");
    assert!(text.contains("Tổng điểm"), "{text}");
    assert!(text.contains("đang giải quyết quá hạn"), "{text}");
    // Points with a decimal comma, never a decimal point.
    let groups_line = text
        .lines()
        .find(|l| l.contains("Điểm tối đa"))
        .unwrap_or_default();
    assert!(groups_line.contains("100"), "{groups_line}");
    assert!(text.contains(','), "{text}");

    // The default follows the locale: LC_ALL before LANG.
    let run_env = |lc_all: &str, lang: &str| {
        Command::new(env!("CARGO_BIN_EXE_chiso"))
            .args(score_args(&d, &["--format", "csv"]))
            .env("LC_ALL", lc_all)
            .env("LANG", lang)
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let vi = run_env("vi_VN.UTF-8", "en_US.UTF-8");
    let head = String::from_utf8_lossy(&vi.stdout);
    assert!(head.starts_with("Đơn vị,Tên đơn vị,"), "{head}");
    let en = run_env("", "en_US.UTF-8");
    let head = String::from_utf8_lossy(&en.stdout);
    assert!(head.starts_with("unit,name,"), "{head}");
    let vi = run_env("", "vi_VN.UTF-8");
    assert!(String::from_utf8_lossy(&vi.stdout).starts_with("Đơn vị,"));
    // --lang wins over the locale.
    let out = Command::new(env!("CARGO_BIN_EXE_chiso"))
        .args(score_args(&d, &["--format", "csv", "--lang", "en"]))
        .env("LC_ALL", "vi_VN.UTF-8")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("unit,name,"));
}

/// Procedure codes typed into Excel as numbers (1.010 is stored as 1.01): `chiso score` warns,
/// naming the column and the fix, whether the workbook takes the columnar path (every code a
/// number) or the row reader (numbers among text codes).
#[test]
fn excel_number_cells_in_a_code_column_are_warned_about() {
    use rust_xlsxwriter::Workbook;
    for (name, text_codes) in [("numbers.xlsx", false), ("mixed.xlsx", true)] {
        let path = tmp(name);
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        let header = [
            "MaHoSo",
            "MaDonVi",
            "MaTTHC",
            "NgayTiepNhan",
            "TrangThaiHoSo",
        ];
        for (c, h) in (0u16..).zip(header) {
            sheet
                .write_string(0, c, h)
                .unwrap_or_else(|e| panic!("{e}"));
        }
        for r in 1u32..=4 {
            for (c, text) in [
                (0u16, format!("HS-{r}")),
                (1, "H44.07.1".into()),
                (3, "01/09/2026 08:00".into()),
            ] {
                sheet
                    .write_string(r, c, text)
                    .unwrap_or_else(|e| panic!("{e}"));
            }
            let code = if text_codes && r == 1 {
                sheet.write_string(r, 2, "1.010").map(|_| ())
            } else {
                sheet.write_number(r, 2, 1.010).map(|_| ())
            };
            code.unwrap_or_else(|e| panic!("{e}"));
            sheet
                .write_number(r, 4, 4.0)
                .unwrap_or_else(|e| panic!("{e}"));
        }
        book.save(&path).unwrap_or_else(|e| panic!("{e}"));
        let p = path.display().to_string();
        let out = chiso(&score_args(&p, &["--format", "json"]));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{name}: {err}");
        assert!(
            err.contains("warning: column \"MaTTHC\" (procedure_code) holds numbers")
                && err.contains("read it as text"),
            "{name}: {err}"
        );
        assert!(!err.contains("MaDonVi"), "{name}: {err}");
    }
}

/// A JSON Lines file read by the columnar path and by the row path (`CHISO_ROW_PATH=1`) gives
/// the same scorecard byte for byte, also where units are not in the unit list and all their
/// dossiers are excluded (they are listed in order of first appearance on both paths).
#[test]
fn json_scorecards_are_the_same_bytes_on_both_paths() {
    let (dir, p) = generated("paths-json", "5", "jsonl");
    // Units missing from the unit list, in an order that is not sorted: two whose dossiers are
    // all excluded (never received: status 1), one scored.
    let mut lines = std::fs::read_to_string(p("dossiers")).unwrap_or_else(|e| panic!("{e}"));
    let first: serde_json::Value = lines
        .lines()
        .next()
        .and_then(|l| serde_json::from_str(l).ok())
        .unwrap_or_else(|| panic!("no first dossier"));
    for (i, (unit, status)) in [("ZZ.EXCL", 1), ("MM.SCORED", 10), ("AA.EXCL", 1)]
        .into_iter()
        .enumerate()
    {
        let mut extra = first.clone();
        extra["dossier_id"] = format!("EXTRA-{i}").into();
        extra["unit_code"] = unit.into();
        extra["status"] = status.into();
        lines.push_str(&format!("{extra}\n"));
    }
    let with_extra = dir.join("with-extra.jsonl");
    std::fs::write(&with_extra, lines).unwrap_or_else(|e| panic!("{e}"));
    let dossiers = with_extra.display().to_string();
    let (procedures, units) = (p("procedures"), p("units"));
    for with_units in [true, false] {
        let mut args = vec![
            "score",
            "--dossiers",
            &dossiers,
            "--procedures",
            &procedures,
            "--period",
            "2026",
            "--as-of",
            "2026-11-20T16:00",
            "--format",
            "json",
        ];
        if with_units {
            args.extend(["--units", &units]);
        }
        let run = |rows: bool| {
            let mut c = Command::new(env!("CARGO_BIN_EXE_chiso"));
            c.env_remove("LC_ALL").env("LANG", "C.UTF-8").args(&args);
            if rows {
                c.env("CHISO_ROW_PATH", "1");
            } else {
                c.env_remove("CHISO_ROW_PATH");
            }
            let out = c
                .output()
                .unwrap_or_else(|e| panic!("cannot run chiso: {e}"));
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            out.stdout
        };
        let (columnar, rows) = (run(false), run(true));
        let card: serde_json::Value =
            serde_json::from_slice(&columnar).unwrap_or_else(|e| panic!("{e}"));
        let listed: Vec<&str> = card["scorecard"]["units"]
            .as_array()
            .unwrap_or_else(|| panic!("no units"))
            .iter()
            .filter_map(|u| u["unit"].as_str())
            .collect();
        let at = |c: &str| listed.iter().position(|u| *u == c);
        assert!(at("AA.EXCL").is_some(), "units {listed:?}");
        if with_units {
            // Units beyond the list follow it in order of first appearance.
            assert!(at("ZZ.EXCL") < at("AA.EXCL"), "units {listed:?}");
        }
        assert!(
            columnar == rows,
            "with units {with_units}: the scorecards differ:\n{}\n---\n{}",
            String::from_utf8_lossy(&columnar),
            String::from_utf8_lossy(&rows)
        );
    }
}
