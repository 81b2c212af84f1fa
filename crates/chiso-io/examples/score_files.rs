//! Score files and write the reports: read dossiers, procedures, units and petitions from any
//! supported file (CSV, Excel, JSON / JSON Lines, Arrow IPC, Parquet), score a period, print the
//! terminal table and write the Vietnamese HTML page and workbook — what `chiso score` does.
//!
//! `cargo run -p chiso-io --example score_files -- DIR`, where DIR holds `dossiers.jsonl`,
//! `procedures.jsonl`, `units.jsonl` and `petitions.jsonl` (e.g. from `chiso generate --out
//! DIR`); without DIR a small sample is generated in a temporary folder first.
//!
//! For multi-million-row files, `chiso_io::route::tally_dossiers` tallies the dossier file
//! column by column without a record per dossier (the CLI's path); the numbers are the same.

use chiso::pipeline::{run, Records};
use chiso::{Dossier, Petition, Procedure, Profile, Unit, WeekdaysOnly};
use chiso_io::read::columns::ColumnMap;
use chiso_io::read::records::write_json_lines;
use chiso_io::read::rows::read_records;
use chiso_io::sample::{generate, SampleSpec};
use chiso_io::write::lang::Lang;
use chiso_io::write::{report, text};
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    score_dir(std::env::args_os().nth(1).map(PathBuf::from))
}

/// Scores the four files of `dir` (or of a generated sample) and writes the reports beside them.
pub fn score_dir(dir: Option<PathBuf>) -> Result<(), Box<dyn std::error::Error>> {
    let dir = match dir {
        Some(d) => d,
        None => {
            let dir = std::env::temp_dir().join(format!("chiso-example-{}", std::process::id()));
            std::fs::create_dir_all(&dir)?;
            let s = generate(&SampleSpec {
                dossiers: 3_000,
                ..SampleSpec::district(766)
            });
            write_json_lines(&dir.join("dossiers.jsonl"), &s.dossiers)?;
            write_json_lines(&dir.join("procedures.jsonl"), &s.procedures)?;
            write_json_lines(&dir.join("units.jsonl"), &s.units)?;
            write_json_lines(&dir.join("petitions.jsonl"), &s.petitions)?;
            dir
        }
    };
    // Columns are recognised by canonical names, portal sync names or Vietnamese headers; a
    // ColumnMap adds your own (ColumnMap::from_toml).
    let map = ColumnMap::new();
    let mut quiet = |_rows: usize| {};
    let dossiers = read_records::<Dossier>(&dir.join("dossiers.jsonl"), &map, &mut quiet)?;
    let procedures = read_records::<Procedure>(&dir.join("procedures.jsonl"), &map, &mut quiet)?;
    let units = read_records::<Unit>(&dir.join("units.jsonl"), &map, &mut quiet)?;
    let petitions = read_records::<Petition>(&dir.join("petitions.jsonl"), &map, &mut quiet)?;
    for r in dossiers.rejects.iter().take(3) {
        eprintln!("rejected: {} row {}: {}", r.file, r.row, r.message);
    }

    let records = Records {
        dossiers: &dossiers.rows,
        procedures: &procedures.rows,
        units: Some(&units.rows),
        petitions: &petitions.rows,
    };
    let profile = Profile::builtin("portal-2026")?;
    let as_of = chiso::period::parse_moment("2026-11-20T16:00")?;
    // WeekdaysOnly keeps this example free of chiso-calendar; use
    // chiso_calendar::Calendar::vietnam() for Vietnam's holidays and make-up days.
    let r = run(
        &records,
        "2026".parse()?,
        as_of,
        &profile,
        profile.options,
        &WeekdaysOnly,
    )?;
    let card = &r.scorecard;
    let rejected = dossiers.rejects.len() as u64;

    let lang = Lang::Vi;
    println!("{}", text::header_in(card, lang));
    println!("{}\n", text::accounting_in(&r.accounting, rejected, lang));
    print!("{}", text::groups_table_in(card, lang));

    let acc = report::ReportAccounting::new(&r.accounting, rejected);
    let html = dir.join("bang-diem.html");
    std::fs::write(&html, report::html_report_in(card, &acc, None, lang))?;
    let xlsx = dir.join("bang-diem.xlsx");
    report::write_xlsx_in(&xlsx, card, &acc, &dossiers.rejects, lang)?;
    println!("\nwrote {} and {}", html.display(), xlsx.display());
    Ok(())
}
