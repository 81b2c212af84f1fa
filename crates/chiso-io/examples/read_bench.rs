//! Reader throughput: `cargo run --release -p chiso-io --example read_bench -- FILE...`
//! (a `.csv` argument is also converted to `.xlsx` next to it and timed).

use chiso_io::read::columns::ColumnMap;
use chiso_io::read::rows::read_dossiers;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn csv_to_xlsx(csv: &Path) -> PathBuf {
    let out = csv.with_extension("xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(csv)
        .unwrap_or_else(|e| panic!("{e}"));
    for (r, rec) in rdr.records().enumerate() {
        let rec = rec.unwrap_or_else(|e| panic!("{e}"));
        for (c, v) in rec.iter().enumerate() {
            if !v.is_empty() {
                let _ = sheet.write_string(r as u32, c as u16, v);
            }
        }
    }
    book.save(&out).unwrap_or_else(|e| panic!("{e}"));
    out
}

fn main() {
    let map = ColumnMap::new();
    let mut files: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    if let Some(csv) = files
        .iter()
        .find(|f| f.extension().is_some_and(|e| e == "csv"))
        .cloned()
    {
        files.push(csv_to_xlsx(&csv));
    }
    for f in files {
        let t = Instant::now();
        let r = read_dossiers(&f, &map).unwrap_or_else(|e| panic!("{e}"));
        let s = t.elapsed().as_secs_f64();
        println!(
            "{:<40} {:>7} rows {:>6.3} s {:>9.0} rows/s ({} rejected)",
            f.display(),
            r.read_count(),
            s,
            r.read_count() as f64 / s,
            r.rejects.len()
        );
    }
}
