//! Excel workbooks and JSON files take the columnar path (their cells gathered into Arrow
//! columns) with exactly the row reader's tally and accounting; a cell no column type can carry
//! as the row reader reads it sends the file to the row reader, and the reason names its row and
//! column.
#![allow(clippy::unwrap_used)]

use arrow::array::{Array, AsArray};
use arrow::datatypes::DataType;
use chiso::{Limits, Options, TallyContext, WeekdaysOnly};
use chiso_io::read::columns::ColumnMap;
use chiso_io::route::{tally_dossiers, ReadPath, Settings, Source, Tallied};
use chiso_io::sample::{generate, SampleSpec};
use chiso_io::write::tables::dossiers_batch;
use std::path::{Path, PathBuf};

fn sample() -> chiso_io::sample::Sample {
    let mut spec = SampleSpec::district(23);
    spec.dossiers = 3000;
    generate(&spec)
}

fn context(procedures: &[chiso::Procedure]) -> TallyContext<'_> {
    TallyContext::new(
        "2026".parse().unwrap(),
        SampleSpec::district(23).as_of,
        Options::default(),
        Limits::default(),
        &WeekdaysOnly,
        procedures,
    )
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn route(path: &Path, ctx: &TallyContext<'_>, rows_only: bool) -> Tallied {
    let settings = Settings {
        threads: 2,
        rows_only,
    };
    tally_dossiers(
        Source::File(path),
        &ColumnMap::new(),
        ctx,
        settings,
        &mut |_| {},
    )
    .unwrap()
}

/// The file's tally by the default route equals the row reader's; returns the default route's.
fn same_as_rows(path: &Path, ctx: &TallyContext<'_>) -> Tallied {
    let fast = route(path, ctx, false);
    let rows = route(path, ctx, true);
    assert_ne!(rows.path, ReadPath::Columnar, "{}", path.display());
    assert_eq!(fast.tally, rows.tally, "{}", path.display());
    assert_eq!(fast.accounting, rows.accounting, "{}", path.display());
    fast
}

/// The generated dossiers as a workbook of typed cells: text, numbers, yes/no and date-time
/// cells (what an export from a one-stop system holds).
fn write_xlsx(path: &Path, s: &chiso_io::sample::Sample) {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let batch = dossiers_batch(&s.dossiers).unwrap();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let when = Format::new().set_num_format("dd/mm/yyyy hh:mm:ss");
    for (c, field) in batch.schema().fields().iter().enumerate() {
        let c = u16::try_from(c).unwrap();
        sheet.write_string(0, c, field.name()).unwrap();
        let a = batch.column(c as usize);
        let text = arrow::compute::cast(a, &DataType::Utf8).unwrap();
        let text = text.as_string::<i32>();
        for r in 0..a.len() {
            if a.is_null(r) {
                continue;
            }
            let row = u32::try_from(r + 1).unwrap();
            let t = text.value(r);
            match a.data_type() {
                DataType::Timestamp(..) => {
                    let at = ExcelDateTime::parse_from_str(&t.replace('T', " ")[..19]).unwrap();
                    sheet
                        .write_datetime_with_format(row, c, &at, &when)
                        .unwrap();
                }
                DataType::Boolean => {
                    sheet.write_boolean(row, c, t == "true").unwrap();
                }
                dt if dt.is_numeric() => {
                    sheet
                        .write_number(row, c, t.parse::<f64>().unwrap())
                        .unwrap();
                }
                _ => {
                    sheet.write_string(row, c, t).unwrap();
                }
            }
        }
    }
    book.save(path).unwrap();
}

#[test]
fn generated_dossiers_from_excel_and_json_are_columnar_and_equal_the_rows() {
    let s = sample();
    let ctx = context(&s.procedures);
    let dir = temp_dir("chiso-cells");
    let lines = dir.join("d.jsonl");
    chiso_io::read::records::write_json_lines(&lines, &s.dossiers).unwrap();
    let array = dir.join("d.json");
    std::fs::write(&array, serde_json::to_vec_pretty(&s.dossiers).unwrap()).unwrap();
    let xlsx = dir.join("d.xlsx");
    write_xlsx(&xlsx, &s);
    for path in [&lines, &array, &xlsx] {
        let t = same_as_rows(path, &ctx);
        assert_eq!(
            t.path,
            ReadPath::Columnar,
            "{}: {:?}",
            path.display(),
            t.why_not_fast
        );
        let counted = t.accounting.scored + t.accounting.excluded.values().sum::<u64>();
        assert_eq!(counted, s.dossiers.len() as u64, "{}", path.display());
        // The unit tree lists units in order of first appearance, as the row reader's does.
        let first = t.unit_codes.as_ref().and_then(|u| u.first()).cloned();
        assert_eq!(first.as_deref(), Some(s.dossiers[0].unit_code.as_str()));
    }
}

#[test]
fn golden_workbook_and_sync_files_equal_the_rows_and_say_which_cell_forces_rows() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden/input");
    let procedures =
        chiso_io::read::rows::read_procedures(&root.join("procedures.csv"), &ColumnMap::new())
            .unwrap()
            .rows;
    let ctx = TallyContext::new(
        "2026-Q3".parse().unwrap(),
        chrono::NaiveDate::from_ymd_opt(2026, 10, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap(),
        Options::default(),
        Limits::default(),
        &WeekdaysOnly,
        &procedures,
    );
    // The golden workbook holds codes as text and as numbers in one column, and a bad cell on
    // purpose: the row reader reads each cell by its own type, so the file goes to rows, and the
    // reason names the first such cell.
    let t = same_as_rows(&root.join("dossiers.xlsx"), &ctx);
    assert_ne!(t.path, ReadPath::Columnar);
    let why = t.why_not_fast.unwrap_or_default();
    assert!(
        why.starts_with("row 9, column \"Ngày tiếp nhận\": \"31/09/2026 08:00\""),
        "{why}"
    );
    eprintln!("dossiers.xlsx: {why}");
    // The portal's sync files hold an impossible date (31 September) on purpose: the row
    // reader rejects that row, so the file goes to rows, and the reason names the cell.
    for name in ["dossiers-sync.json", "dossiers-sync.jsonl"] {
        let t = same_as_rows(&root.join(name), &ctx);
        let why = t.why_not_fast.unwrap_or_default();
        assert!(
            why.starts_with("row 7, column \"NgayTiepNhan\": \"31/09/2026 08:00\" is not a date"),
            "{name}: {why}"
        );
        eprintln!("{name}: {why}");
    }
}

#[test]
fn a_number_among_text_codes_names_its_row_and_column() {
    let s = sample();
    let ctx = context(&s.procedures);
    let dir = temp_dir("chiso-cells-mixed");
    let path = dir.join("mixed.jsonl");
    let mut lines: Vec<serde_json::Value> = s
        .dossiers
        .iter()
        .map(|d| serde_json::to_value(d).unwrap())
        .collect();
    // Row 7's procedure code as a JSON number 1.0: the row reader reads its text "1.0".
    lines[6]["procedure_code"] = serde_json::json!(1.0);
    let text: Vec<String> = lines.iter().map(|v| v.to_string()).collect();
    std::fs::write(&path, text.join("\n")).unwrap();
    let t = same_as_rows(&path, &ctx);
    assert_ne!(t.path, ReadPath::Columnar);
    let why = t.why_not_fast.unwrap_or_default();
    assert!(
        why.contains("row 7, column \"procedure_code\"") && why.contains("1.0"),
        "{why}"
    );
    // A whole-number code among text codes: a number cell among text cells.
    lines[6]["procedure_code"] = serde_json::json!(12);
    let text: Vec<String> = lines.iter().map(|v| v.to_string()).collect();
    std::fs::write(&path, text.join("\n")).unwrap();
    let t = same_as_rows(&path, &ctx);
    let why = t.why_not_fast.unwrap_or_default();
    assert!(
        why.contains("row 7, column \"procedure_code\": a number cell among text cells"),
        "{why}"
    );
}
