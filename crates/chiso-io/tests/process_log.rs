//! DATA-MODEL.md §1: a malformed process log never rejects a dossier. Every reader (CSV, Parquet,
//! Arrow IPC, JSON Lines; fast paths and row path) scores it the same, keeps the log's text, and
//! the data-quality report lists it.
#![allow(clippy::unwrap_used)]

use chiso::model::ProcessLog;
use chiso::toolkit::quality::{check, Rule};
use chiso::{Limits, Options, Tally, TallyContext, WeekdaysOnly};
use chiso_io::read::columns::ColumnMap;
use chiso_io::read::read_log;
use chiso_io::read::rows::read_dossiers;
use chiso_io::route::{tally_dossiers, ReadPath, Settings, Source};
use chiso_io::sample::{generate, SampleSpec};
use chiso_io::write::tables::{dossiers_batch, write_batch, OutputFormat};

/// Logs no reader can read: not JSON, not a list, a step with an impossible time.
const BAD_LOGS: [(usize, &str); 3] = [
    (17, "{not json"),
    (1234, "42"),
    (
        2500,
        r#"[{"step":"xu_ly","started_at":"31/02/2026 25:99"}]"#,
    ),
];

#[test]
fn a_malformed_process_log_is_scored_by_every_path_and_listed_by_check() {
    let mut spec = SampleSpec::district(13);
    spec.dossiers = 3000;
    let s = generate(&spec);
    let ctx = TallyContext::new(
        "2026".parse().unwrap(),
        spec.as_of,
        Options::default(),
        Limits::default(),
        &WeekdaysOnly,
        &s.procedures,
    );
    // The sample's own tally: what every path must give, whatever the logs hold.
    let (want, want_acc) = Tally::build(&ctx, &s.dossiers, &[]);
    assert!(want_acc.scored > 2000);
    let mut bad = s.dossiers.clone();
    for (i, text) in BAD_LOGS {
        bad[i].steps = ProcessLog::Text(text.into());
        assert!(read_log(text).is_err(), "{text} must be unreadable");
    }
    let dir = std::env::temp_dir().join(format!("chiso-bad-log-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let batch = dossiers_batch(&bad).unwrap();
    let map = ColumnMap::new();
    for (name, format) in [
        ("d.csv", OutputFormat::Csv),
        ("d.parquet", OutputFormat::Parquet),
        ("d.arrow", OutputFormat::Arrow),
        ("d.jsonl", OutputFormat::JsonLines),
    ] {
        let path = dir.join(name);
        if format == OutputFormat::JsonLines {
            let lines: Vec<String> = bad
                .iter()
                .map(|d| serde_json::to_string(d).unwrap())
                .collect();
            std::fs::write(&path, lines.join("\n")).unwrap();
        } else {
            write_batch(&path, &batch, format).unwrap();
        }
        // The row reader: nothing rejected, the log's text kept as read.
        let rows = read_dossiers(&path, &map).unwrap();
        assert!(rows.rejects.is_empty(), "{name}: {:?}", rows.rejects);
        assert_eq!(rows.rows.len(), bad.len(), "{name}");
        for (i, text) in BAD_LOGS {
            assert_eq!(rows.rows[i].steps, ProcessLog::Text(text.into()), "{name}");
        }
        // Every route (fast path where there is one, and the row path) scores the same.
        for rows_only in [false, true] {
            let settings = Settings {
                threads: 2,
                rows_only,
            };
            let t = tally_dossiers(Source::File(&path), &map, &ctx, settings, &mut |_| {}).unwrap();
            assert!(t.rejects.is_empty(), "{name} rows_only={rows_only}");
            assert_eq!(t.tally, want, "{name} rows_only={rows_only}");
            assert_eq!(t.accounting, want_acc, "{name} rows_only={rows_only}");
            if !rows_only && format != OutputFormat::JsonLines {
                assert_eq!(t.path, ReadPath::Columnar, "{name}: {:?}", t.why_not_fast);
            }
        }
        // `chiso check` lists exactly the dossiers whose log cannot be read.
        let q = check(&rows.rows, &s.procedures, &s.units, read_log);
        let mut listed: Vec<String> = q
            .iter()
            .filter(|r| r.rule == Rule::UnreadableProcessLog)
            .flat_map(|r| r.samples.clone())
            .collect();
        listed.sort();
        let mut ids: Vec<String> = BAD_LOGS
            .iter()
            .map(|(i, _)| bad[*i].dossier_id.clone())
            .collect();
        ids.sort();
        assert_eq!(listed, ids, "{name}");
    }
    // The generator's logs read back to the steps it wrote.
    let rows = read_dossiers(&dir.join("d.csv"), &map).unwrap();
    let ProcessLog::Steps(steps) = &s.dossiers[0].steps else {
        panic!("the generator writes steps");
    };
    assert!(!steps.is_empty());
    assert_eq!(
        rows.rows[0].steps.steps(read_log).unwrap().as_ref(),
        &steps[..]
    );
}
