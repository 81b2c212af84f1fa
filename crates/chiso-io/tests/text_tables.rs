//! Tables held in memory with every column as text (what pandas `read_csv(dtype=str)` hands
//! over) take the columnar path: their cells are parsed from the Arrow buffers by the CSV fast
//! path's parsers, by two workers on consecutive shares of the rows, with exactly the row
//! reader's tally, accounting and unit order; a bad cell in either share sends the table to the
//! row reader, naming its row (counted in the whole table) and column.
#![allow(clippy::unwrap_used)]

use arrow::array::{Array, ArrayRef, AsArray, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use chiso::{Limits, Options, TallyContext, WeekdaysOnly};
use chiso_io::read::columns::ColumnMap;
use chiso_io::route::{tally_dossiers, ReadPath, Settings, Source, Tallied};
use chiso_io::sample::{generate, SampleSpec};
use chiso_io::write::tables::dossiers_batch;
use std::sync::Arc;

/// More rows than one worker takes alone (two shares of at least 65,536 rows).
const ROWS: usize = 140_000;

fn context(procedures: &[chiso::Procedure]) -> TallyContext<'_> {
    TallyContext::new(
        "2026".parse().unwrap(),
        SampleSpec::district(29).as_of,
        Options::default(),
        Limits::default(),
        &WeekdaysOnly,
        procedures,
    )
}

/// Every scalar column as text (as Arrow casts it: ISO times, `true`/`false`, digits), the
/// process log left out; the rows cut into batches of uneven sizes, so that the workers'
/// shares start and end inside batches.
fn text_batches(batch: &RecordBatch) -> Vec<RecordBatch> {
    let (mut fields, mut columns): (Vec<Field>, Vec<ArrayRef>) = (Vec::new(), Vec::new());
    for (f, a) in batch.schema().fields().iter().zip(batch.columns()) {
        if f.name() == "steps" {
            continue;
        }
        let text = arrow::compute::cast(a, &DataType::Utf8).unwrap();
        fields.push(Field::new(f.name(), DataType::Utf8, true));
        columns.push(text);
    }
    let whole = RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).unwrap();
    let mut out = Vec::new();
    let mut at = 0;
    for size in [50_000, 33_333, 1, 40_000].iter().cycle() {
        if at >= whole.num_rows() {
            break;
        }
        let n = (*size).min(whole.num_rows() - at);
        out.push(whole.slice(at, n));
        at += n;
    }
    out
}

fn route(batches: &[RecordBatch], ctx: &TallyContext<'_>, rows_only: bool) -> Tallied {
    let settings = Settings {
        threads: 2,
        rows_only,
    };
    tally_dossiers(
        Source::Batches(batches),
        &ColumnMap::new(),
        ctx,
        settings,
        &mut |_| {},
    )
    .unwrap()
}

/// `batches` with one cell of column `name` at `row` (in the whole table) replaced by `value`.
fn with_cell(batches: &[RecordBatch], name: &str, row: usize, value: &str) -> Vec<RecordBatch> {
    let mut first = 0;
    batches
        .iter()
        .map(|b| {
            let range = first..first + b.num_rows();
            first += b.num_rows();
            if !range.contains(&row) {
                return b.clone();
            }
            let i = b.schema().index_of(name).unwrap();
            let old = b.column(i).as_string::<i32>();
            let new: StringArray = (0..old.len())
                .map(|r| {
                    if r == row - range.start {
                        Some(value)
                    } else {
                        old.is_valid(r).then(|| old.value(r))
                    }
                })
                .collect();
            let mut columns = b.columns().to_vec();
            columns[i] = Arc::new(new);
            RecordBatch::try_new(b.schema(), columns).unwrap()
        })
        .collect()
}

#[test]
fn a_text_table_read_by_two_workers_equals_the_row_reader_and_names_bad_rows() {
    let mut spec = SampleSpec::district(29);
    spec.dossiers = ROWS;
    let s = generate(&spec);
    let ctx = context(&s.procedures);
    let batches = text_batches(&dossiers_batch(&s.dossiers).unwrap());
    let fast = route(&batches, &ctx, false);
    assert_eq!(fast.path, ReadPath::Columnar, "{:?}", fast.why_not_fast);
    let rows = route(&batches, &ctx, true);
    assert_ne!(rows.path, ReadPath::Columnar);
    assert_eq!(fast.tally, rows.tally);
    assert_eq!(fast.accounting, rows.accounting);
    assert_eq!(fast.unit_codes, rows.unit_codes);
    let counted = fast.accounting.scored + fast.accounting.excluded.values().sum::<u64>();
    assert_eq!(counted, ROWS as u64);

    // A bad date in each worker's share: the table goes to rows, the reason names the row as
    // the whole table counts it, and that row is the one reject.
    for row in [1_234, 120_000] {
        let bad = with_cell(&batches, "received_at", row, "31/02/2026");
        let t = route(&bad, &ctx, false);
        assert_ne!(t.path, ReadPath::Columnar);
        let why = t.why_not_fast.clone().unwrap_or_default();
        assert!(
            why.contains(&format!("received_at, row {}", row + 1)),
            "{why}"
        );
        assert_eq!(t.rejects.len(), 1, "{:?}", t.rejects);
        assert_eq!(t.rejects[0].row, row + 1);
    }
    // Text the plain parsers leave to the row reader's conversions (a Vietnamese yes, a
    // status name, a `dd/MM/yyyy` time) stays columnar with the row reader's result.
    let mixed = with_cell(&batches, "digitised", 100_000, " Có ");
    let mixed = with_cell(&mixed, "status", 70_000, "Đã trả kết quả");
    let mixed = with_cell(&mixed, "finished_at", 130_000, "05/08/2026 10:00");
    let fast = route(&mixed, &ctx, false);
    assert_eq!(fast.path, ReadPath::Columnar, "{:?}", fast.why_not_fast);
    let rows = route(&mixed, &ctx, true);
    assert_eq!(fast.tally, rows.tally);
    assert_eq!(fast.accounting, rows.accounting);
}
