use super::*;
use arrow::array::{Array, AsArray};
use arrow::datatypes::{DataType, Float64Type};
use std::borrow::Cow;

fn spec(name: &str) -> &'static FieldSpec {
    RecordKind::Dossier
        .field(name)
        .unwrap_or_else(|| panic!("{name}"))
}

#[test]
fn whole_numbers_then_numbers_become_one_number_column_with_empty_rows_kept() {
    let map = ColumnMap::new();
    let mut batches = Vec::new();
    let mut sink = |b: RecordBatch| {
        batches.push(b);
        Ok(())
    };
    let mut numeric = Vec::new();
    let mut c = Columns::new(RecordKind::Dossier, &map, &mut sink, &mut numeric);
    let id = c.add("dossier_id", spec("dossier_id")).unwrap_or_default();
    let fee = c.add("fee_total", spec("fee_total")).unwrap_or_default();
    for (row, (i, v)) in [
        ("A", Typed::Null),
        ("B", Typed::Int(50_000)),
        ("C", Typed::Float(12.5)),
    ]
    .into_iter()
    .enumerate()
    {
        assert!(c.put(id, row + 2, Typed::Text(Cow::Borrowed(i))).is_ok());
        assert!(c.put(fee, row + 2, v).is_ok());
        assert!(c.end_row().is_ok());
    }
    assert!(c.finish().is_ok());
    assert_eq!(batches.len(), 1);
    let b = &batches[0];
    assert_eq!(b.num_rows(), 3);
    let f = b.column(1);
    assert_eq!(f.data_type(), &DataType::Float64);
    assert!(f.is_null(0));
    let f = f.as_primitive::<Float64Type>();
    assert_eq!((f.value(1), f.value(2)), (50_000.0, 12.5));
}

#[test]
fn rows_are_handed_on_a_chunk_at_a_time_with_every_column() {
    let map = ColumnMap::new();
    let mut sizes = Vec::new();
    let mut sink = |b: RecordBatch| {
        sizes.push((b.num_rows(), b.num_columns()));
        Ok(())
    };
    let mut numeric = Vec::new();
    let mut c = Columns::new(RecordKind::Dossier, &map, &mut sink, &mut numeric);
    let id = c.add("dossier_id", spec("dossier_id")).unwrap_or_default();
    for r in 0..CHUNK + 10 {
        let text = format!("D{r}");
        assert!(c.put(id, r + 2, Typed::Text(Cow::Owned(text))).is_ok());
        assert!(c.end_row().is_ok());
    }
    assert!(c.finish().is_ok());
    assert_eq!(sizes, vec![(CHUNK, 1), (10, 1)]);
}

#[test]
fn text_among_numbers_steps_aside_naming_row_and_column() {
    let map = ColumnMap::new();
    let mut sink = |_: RecordBatch| Ok(());
    let mut numeric = Vec::new();
    let mut c = Columns::new(RecordKind::Dossier, &map, &mut sink, &mut numeric);
    let col = c.add("MaTTHC", spec("procedure_code")).unwrap_or_default();
    assert!(c.put(col, 2, Typed::Float(1.01)).is_ok());
    assert!(c.end_row().is_ok());
    let why = c.put(col, 3, Typed::Text(Cow::Borrowed("1.010"))).err();
    let why = why.map(|w| w.0).unwrap_or_default();
    assert!(
        why.contains("row 3, column \"MaTTHC\": a text cell among number cells"),
        "{why}"
    );
    // Two columns feeding one field: the row reader's order would decide.
    assert!(c.add("procedure_code", spec("procedure_code")).is_err());
    drop(c);
    assert_eq!(numeric, vec![("MaTTHC".to_string(), "procedure_code")]);
}

#[test]
fn a_big_whole_number_is_not_made_a_float() {
    let map = ColumnMap::new();
    let mut sink = |_: RecordBatch| Ok(());
    let mut numeric = Vec::new();
    let mut c = Columns::new(RecordKind::Dossier, &map, &mut sink, &mut numeric);
    let col = c.add("fee_total", spec("fee_total")).unwrap_or_default();
    assert!(c.put(col, 2, Typed::Int(EXACT * 2)).is_ok());
    assert!(c.end_row().is_ok());
    assert!(c.put(col, 3, Typed::Float(0.5)).is_err());
}
