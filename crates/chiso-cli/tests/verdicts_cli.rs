//! `chiso score --verdicts FILE`: one row per input record, on every read path (CSV and Parquet
//! fast paths, the JSON Lines row reader), and the file summed by unit gives the scorecard's
//! counters for every unit (a parent's counters pool its subtree).

use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::process::Command;

fn chiso(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_chiso"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run chiso: {e}"));
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("chiso-verdicts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir.join(name)
}

/// The counters each verdict column stands for.
const SUMS: &[&str] = &[
    "received",
    "carried_over",
    "early",
    "on_time",
    "late",
    "late_repeated_supplement",
    "open_within",
    "open_overdue",
    "no_deadline",
    "online",
    "fee_dossiers",
    "paid_online",
    "e_result",
    "digitised",
    "population_data",
    "satisfied",
    "synced",
];

/// One verdict row's contribution to the counters.
fn contribution(row: &HashMap<String, Value>) -> BTreeMap<&'static str, u64> {
    let text = |k: &str| row.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let yes = |k: &str| row.get(k).and_then(Value::as_bool).unwrap_or(false);
    let (scope, class) = (text("period_scope"), text("class"));
    let mut c = BTreeMap::new();
    let mut add = |k: &'static str, b: bool| *c.entry(k).or_insert(0) += u64::from(b);
    add("received", scope == "counted");
    add("carried_over", scope == "carried_over");
    add("early", class == "early");
    add("on_time", class == "on_time");
    add("late", class == "late");
    add(
        "late_repeated_supplement",
        class == "late_repeated_supplement",
    );
    add("open_within", class == "open_within_deadline");
    add("open_overdue", class == "overdue_in_progress");
    add("no_deadline", text("reason").starts_with("no deadline"));
    add("online", yes("online"));
    add("fee_dossiers", yes("fee"));
    add("paid_online", yes("fee") && yes("paid_online"));
    add("e_result", yes("e_result"));
    add("digitised", yes("digitised"));
    add("population_data", yes("population_data"));
    add("satisfied", yes("satisfied"));
    add("synced", yes("synced"));
    c
}

fn read_jsonl(path: &PathBuf) -> Vec<HashMap<String, Value>> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{e}"))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// CSV rows as JSON-like values (true/false and numbers left as text where not flags).
fn read_csv(path: &PathBuf) -> Vec<HashMap<String, Value>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
    lines
        .map(|l| {
            // Generated ids and codes hold no commas or quotes.
            header
                .iter()
                .zip(l.split(','))
                .map(|(h, v)| {
                    let v = match v {
                        "true" => Value::Bool(true),
                        "false" => Value::Bool(false),
                        s => Value::String(s.to_string()),
                    };
                    (h.to_string(), v)
                })
                .collect()
        })
        .collect()
}

#[test]
fn verdict_files_sum_to_the_scorecard_on_every_path() {
    let dir = tmp("sample");
    let d = dir.display().to_string();
    for format in ["csv", "parquet", "jsonl"] {
        let out = format!("{d}/{format}");
        chiso(&[
            "generate",
            "--dossiers",
            "3000",
            "--seed",
            "12",
            "--out",
            &out,
            "--format",
            format,
        ]);
        for vformat in ["jsonl", "csv"] {
            let vpath = dir.join(format!("verdicts-{format}.{vformat}"));
            let v = vpath.display().to_string();
            let card: Value = serde_json::from_str(&chiso(&[
                "score",
                "--dossiers",
                &format!("{out}/dossiers.{format}"),
                "--units",
                &format!("{out}/units.{format}"),
                "--procedures",
                &format!("{out}/procedures.{format}"),
                "--period",
                "2026",
                "--as-of",
                "2026-11-20T16:00",
                "--format",
                "json",
                "--verdicts",
                &v,
            ]))
            .unwrap_or_else(|e| panic!("{e}"));
            let rows = if vformat == "jsonl" {
                read_jsonl(&vpath)
            } else {
                read_csv(&vpath)
            };
            let accounting = &card["accounting"];
            let read = ["scored", "rejected"]
                .iter()
                .map(|k| accounting[k].as_u64().unwrap_or(0))
                .sum::<u64>()
                + accounting["excluded"]
                    .as_object()
                    .map_or(0, |m| m.values().filter_map(Value::as_u64).sum());
            assert_eq!(
                rows.len() as u64,
                read,
                "{format}/{vformat}: one row per record"
            );
            // Each unit's own sums, then pooled up the tree as the scorecard pools them.
            let mut own: HashMap<String, BTreeMap<&str, u64>> = HashMap::new();
            for r in &rows {
                let unit = r["unit_code"].as_str().unwrap_or("").to_string();
                let e = own.entry(unit).or_default();
                for (k, n) in contribution(r) {
                    *e.entry(k).or_insert(0) += n;
                }
            }
            let units = card["scorecard"]["units"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let parent: HashMap<String, Option<String>> = units
                .iter()
                .map(|u| {
                    let code = u["unit"].as_str().unwrap_or("").to_string();
                    (code, u["parent"].as_str().map(str::to_string))
                })
                .collect();
            assert!(units.len() > 2);
            for u in &units {
                let code = u["unit"].as_str().unwrap_or("");
                let mut want: BTreeMap<&str, u64> = BTreeMap::new();
                for (leaf, sums) in &own {
                    let mut at = Some(leaf.clone());
                    while let Some(c) = at {
                        if c == code {
                            for (k, n) in sums {
                                *want.entry(k).or_insert(0) += n;
                            }
                            break;
                        }
                        at = parent.get(&c).cloned().flatten();
                    }
                }
                for k in SUMS {
                    assert_eq!(
                        u["counts"][k].as_u64().unwrap_or(0),
                        want.get(k).copied().unwrap_or(0),
                        "{format}/{vformat} unit {code} counter {k}"
                    );
                }
            }
        }
    }
}
