//! The Arrow/Parquet fast path gives exactly the row path's tally and accounting, and steps
//! aside when the file needs the ordinary reader (duplicate ids, portal nested lists).
#![allow(clippy::unwrap_used)]

use chiso::{Limits, Options, Tally, TallyContext, WeekdaysOnly};
use chiso_io::columns::ColumnMap;
use chiso_io::fast::tally_file;
use chiso_io::sample::{generate, SampleSpec};
use chiso_io::writers::{dossiers_batch, write_batch, OutputFormat};

fn sample() -> chiso_io::sample::Sample {
    let mut spec = SampleSpec::district(21);
    spec.dossiers = 5000;
    generate(&spec)
}

#[test]
fn fast_path_equals_row_path_for_parquet_and_arrow() {
    let s = sample();
    let dir = std::env::temp_dir().join(format!("chiso-fast-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let batch = dossiers_batch(&s.dossiers).unwrap();
    let ctx = TallyContext::new(
        "2026".parse().unwrap(),
        SampleSpec::district(21).as_of,
        Options::default(),
        Limits::default(),
        &WeekdaysOnly,
        &s.procedures,
    );
    let (rows, acc) = Tally::build(&ctx, &s.dossiers, &[]);
    for (name, format) in [
        ("d.parquet", OutputFormat::Parquet),
        ("d.arrow", OutputFormat::Arrow),
    ] {
        let path = dir.join(name);
        write_batch(&path, &batch, format).unwrap();
        for threads in [1, 2] {
            let fast = tally_file(&path, &ColumnMap::new(), &ctx, threads)
                .unwrap()
                .unwrap_or_else(|why| panic!("{name}: {why:?}"));
            let (tally, fast_acc, n) = fast.finish(&ctx.period).unwrap();
            assert_eq!(n, s.dossiers.len());
            assert_eq!(tally, rows, "{name}");
            assert_eq!(fast_acc, acc, "{name}");
        }
    }
    // Duplicate ids need "latest sync wins": the fast path steps aside.
    let mut dup = s.dossiers.clone();
    dup.push(dup[0].clone());
    let path = dir.join("dup.parquet");
    write_batch(&path, &dossiers_batch(&dup).unwrap(), OutputFormat::Parquet).unwrap();
    let why = tally_file(&path, &ColumnMap::new(), &ctx, 1)
        .unwrap()
        .unwrap()
        .finish(&ctx.period)
        .err()
        .unwrap();
    assert!(why.0.contains("duplicate"), "{why:?}");
    // Other formats are not for the fast path.
    assert!(tally_file(&dir.join("d.csv"), &ColumnMap::new(), &ctx, 1)
        .unwrap()
        .is_err());
}

#[test]
fn streaming_reads_keep_nothing_and_spot_duplicate_ids() {
    use chiso_io::readers::stream_records;
    use std::cell::RefCell;
    use std::rc::Rc;
    let s = sample();
    let dir = std::env::temp_dir().join(format!("chiso-stream-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("d.jsonl");
    chiso_io::records::write_json_lines(&path, &s.dossiers).unwrap();
    let seen = Rc::new(RefCell::new(Vec::new()));
    let sink_seen = seen.clone();
    let r = stream_records::<chiso::Dossier>(
        &path,
        &ColumnMap::new(),
        &mut |_| {},
        Box::new(move |d| sink_seen.borrow_mut().push(d.dossier_id)),
    )
    .unwrap();
    assert!(r.rows.is_empty() && !r.duplicate_ids);
    assert_eq!(r.streamed, s.dossiers.len());
    assert_eq!(r.read_count(), s.dossiers.len());
    assert_eq!(
        *seen.borrow(),
        s.dossiers
            .iter()
            .map(|d| d.dossier_id.clone())
            .collect::<Vec<_>>()
    );
    let mut dup = s.dossiers.clone();
    dup.push(dup[3].clone());
    chiso_io::records::write_json_lines(&path, &dup).unwrap();
    let r =
        stream_records::<chiso::Dossier>(&path, &ColumnMap::new(), &mut |_| {}, Box::new(|_| {}))
            .unwrap();
    assert!(r.duplicate_ids);
}
