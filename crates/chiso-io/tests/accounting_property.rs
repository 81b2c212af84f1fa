//! Nothing is lost: for generated files with random corruption, every data row ends up scored,
//! excluded (with a reason, duplicates included) or rejected — the counts add up to the rows.

use chiso::pipeline::{run, Records as Input};
use chiso::{Period, Profile, WeekdaysOnly};
use chiso_io::read::columns::ColumnMap;
use chiso_io::read::rows::read_dossiers;
use chiso_io::sample::{generate, SampleSpec};
use chiso_io::write::tables::{dossiers_batch, write_batch, OutputFormat};
use proptest::prelude::*;

const GARBAGE: &[&str] = &[
    "",
    "??",
    "31/02/2026",
    "abc",
    "-1",
    "99",
    "1e999",
    "null",
    " H44. 07 ",
    "2026-13-01",
    "46000.5",
    "x",
    "có",
    "[1,2",
];

fn accounted(path: &std::path::Path, sample: &chiso_io::sample::Sample) -> (usize, usize) {
    let r = read_dossiers(path, &ColumnMap::new()).unwrap_or_else(|e| panic!("{e}"));
    let profile = Profile::builtin("portal-2026").unwrap_or_else(|e| panic!("{e}"));
    let period: Period = "2026".parse().unwrap_or_else(|e| panic!("{e}"));
    let spec = SampleSpec::district(1);
    let input = Input {
        dossiers: &r.rows,
        procedures: &sample.procedures,
        units: Some(&sample.units),
        petitions: &[],
    };
    let run = run(
        &input,
        period,
        spec.as_of,
        &profile,
        profile.options,
        &WeekdaysOnly,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let total = run.accounting.scored as usize
        + run.accounting.excluded_total() as usize
        + r.superseded.len()
        + r.rejects.len();
    (total, r.read_count())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn csv_with_random_corruption_adds_up(
        seed in 0u64..1000,
        edits in proptest::collection::vec((0usize..400, 0usize..24, 0usize..GARBAGE.len()), 0..60),
        dup in proptest::collection::vec(0usize..200, 0..10),
    ) {
        let mut spec = SampleSpec::district(seed);
        spec.dossiers = 200;
        let sample = generate(&spec);
        let dir = std::env::temp_dir().join(format!("chiso-prop-{}-{seed}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        let clean = dir.join("clean.csv");
        let batch = dossiers_batch(&sample.dossiers).unwrap_or_else(|e| panic!("{e}"));
        write_batch(&clean, &batch, OutputFormat::Csv).unwrap_or_else(|e| panic!("{e}"));
        let text = std::fs::read_to_string(&clean).unwrap_or_else(|e| panic!("{e}"));
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        // Duplicate some rows (the same id synced twice).
        for d in &dup {
            if let Some(l) = lines.get(1 + d % (lines.len() - 1)).cloned() {
                lines.push(l);
            }
        }
        // Overwrite random cells with garbage (the quoted JSON columns may break: fine, the row
        // must still end up somewhere).
        for (row, col, g) in &edits {
            let i = 1 + row % (lines.len() - 1);
            let mut cells: Vec<String> = lines[i].split(',').map(str::to_string).collect();
            let c = col % cells.len();
            if cells[c].contains('"') {
                continue; // keep quoted fields balanced: one line stays one row
            }
            cells[c] = GARBAGE[*g].to_string();
            lines[i] = cells.join(",");
        }
        let rows = lines.len() - 1;
        let dirty = dir.join("dirty.csv");
        std::fs::write(&dirty, lines.join("\n") + "\n").unwrap_or_else(|e| panic!("{e}"));
        let (total, read) = accounted(&dirty, &sample);
        prop_assert_eq!(read, rows);
        prop_assert_eq!(total, rows);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn jsonl_with_random_corruption_adds_up(
        seed in 0u64..1000,
        cuts in proptest::collection::vec((0usize..200, 0usize..400), 0..30),
    ) {
        let mut spec = SampleSpec::district(seed);
        spec.dossiers = 150;
        let sample = generate(&spec);
        let mut lines: Vec<String> = sample
            .dossiers
            .iter()
            .map(|d| serde_json::to_string(d).unwrap_or_default())
            .collect();
        for (row, at) in &cuts {
            let i = row % lines.len();
            let l = &lines[i];
            let cut = (*at).min(l.len());
            if l.is_char_boundary(cut) {
                lines[i] = l[..cut].to_string();
            }
        }
        let rows = lines.iter().filter(|l| !l.trim().is_empty()).count();
        let dir = std::env::temp_dir().join(format!("chiso-propj-{}-{seed}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        let path = dir.join("dirty.jsonl");
        std::fs::write(&path, lines.join("\n") + "\n").unwrap_or_else(|e| panic!("{e}"));
        let (total, read) = accounted(&path, &sample);
        prop_assert_eq!(read, rows);
        prop_assert_eq!(total, rows);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
