//! The Arrow/Parquet fast path gives exactly the row path's tally and accounting, and steps
//! aside when the file needs the ordinary reader (duplicate ids, portal nested lists).
#![allow(clippy::unwrap_used)]

use chiso::{Limits, Options, Tally, TallyContext, WeekdaysOnly};
use chiso_io::read::columns::ColumnMap;
use chiso_io::read::fast::tally_file;
use chiso_io::sample::{generate, SampleSpec};
use chiso_io::write::tables::{dossiers_batch, write_batch, OutputFormat};

fn sample() -> chiso_io::sample::Sample {
    let mut spec = SampleSpec::district(21);
    spec.dossiers = 5000;
    generate(&spec)
}

/// The evaluation every test here uses: 2026, as of the sample's moment, default options.
fn context(procedures: &[chiso::Procedure]) -> TallyContext<'_> {
    TallyContext::new(
        "2026".parse().unwrap(),
        SampleSpec::district(21).as_of,
        Options::default(),
        Limits::default(),
        &WeekdaysOnly,
        procedures,
    )
}

/// A fresh folder for one test's files.
fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn fast_path_equals_row_path_for_parquet_and_arrow() {
    let s = sample();
    let dir = temp_dir("chiso-fast");
    let batch = dossiers_batch(&s.dossiers).unwrap();
    let ctx = context(&s.procedures);
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
    use chiso_io::read::rows::stream_records;
    use std::cell::RefCell;
    use std::rc::Rc;
    let s = sample();
    let dir = temp_dir("chiso-stream");
    let path = dir.join("d.jsonl");
    chiso_io::read::records::write_json_lines(&path, &s.dossiers).unwrap();
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
    chiso_io::read::records::write_json_lines(&path, &dup).unwrap();
    let r =
        stream_records::<chiso::Dossier>(&path, &ColumnMap::new(), &mut |_| {}, Box::new(|_| {}))
            .unwrap();
    assert!(r.duplicate_ids);
}

/// Writes a Parquet file with small row groups, so that several workers decode it side by side.
fn write_row_groups(path: &std::path::Path, batch: &arrow::record_batch::RecordBatch) {
    let props = parquet::file::properties::WriterProperties::builder()
        .set_max_row_group_row_count(Some(700))
        .build();
    let file = std::fs::File::create(path).unwrap();
    let mut w = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), Some(props)).unwrap();
    w.write(batch).unwrap();
    w.close().unwrap();
}

#[test]
fn parquet_row_groups_read_by_several_workers_equal_the_row_path() {
    let s = sample();
    let dir = temp_dir("chiso-fast-groups");
    let ctx = context(&s.procedures);
    let (rows, acc) = Tally::build(&ctx, &s.dossiers, &[]);
    let path = dir.join("groups.parquet");
    write_row_groups(&path, &dossiers_batch(&s.dossiers).unwrap());
    for threads in [1, 2, 3] {
        let (tally, fast_acc, n) = tally_file(&path, &ColumnMap::new(), &ctx, threads)
            .unwrap()
            .unwrap()
            .finish(&ctx.period)
            .unwrap();
        assert_eq!(n, s.dossiers.len());
        assert_eq!(tally, rows, "{threads} workers");
        assert_eq!(fast_acc, acc, "{threads} workers");
    }

    // The same as an Arrow IPC file of many batches: every worker reads every other batch.
    let batch = dossiers_batch(&s.dossiers).unwrap();
    let arrow_path = dir.join("batches.arrow");
    {
        let file = std::fs::File::create(&arrow_path).unwrap();
        let mut w = arrow::ipc::writer::FileWriter::try_new(file, &batch.schema()).unwrap();
        let mut at = 0;
        while at < batch.num_rows() {
            let n = 700.min(batch.num_rows() - at);
            w.write(&batch.slice(at, n)).unwrap();
            at += n;
        }
        w.finish().unwrap();
    }
    for threads in [1, 2, 3] {
        let (tally, fast_acc, n) = tally_file(&arrow_path, &ColumnMap::new(), &ctx, threads)
            .unwrap()
            .unwrap()
            .finish(&ctx.period)
            .unwrap();
        assert_eq!(n, s.dossiers.len());
        assert_eq!(tally, rows, "arrow, {threads} workers");
        assert_eq!(fast_acc, acc, "arrow, {threads} workers");
    }

    // A duplicate id in another row group (so another worker) is still found.
    let mut dup = s.dossiers.clone();
    dup.push(dup[0].clone());
    let path = dir.join("dup-groups.parquet");
    write_row_groups(&path, &dossiers_batch(&dup).unwrap());
    let why = tally_file(&path, &ColumnMap::new(), &ctx, 2)
        .unwrap()
        .unwrap()
        .finish(&ctx.period)
        .err()
        .unwrap();
    assert!(why.0.contains("duplicate"), "{why:?}");

    // A process-log cell no reader can read: scoring never reads the log and no reader rejects
    // a row for it (DATA-MODEL.md §1), so the fast path counts it like the row path.
    let mut batch = dossiers_batch(&s.dossiers).unwrap();
    let steps = batch.schema().index_of("steps").unwrap();
    let mut cols = batch.columns().to_vec();
    let text: Vec<Option<&str>> = (0..batch.num_rows())
        .map(|i| (i == 1234).then_some("{not json"))
        .collect();
    cols[steps] = std::sync::Arc::new(arrow::array::StringArray::from(text));
    batch = arrow::record_batch::RecordBatch::try_new(batch.schema(), cols).unwrap();
    let path = dir.join("bad-steps.parquet");
    write_row_groups(&path, &batch);
    let (tally, fast_acc, n) = tally_file(&path, &ColumnMap::new(), &ctx, 2)
        .unwrap()
        .unwrap()
        .finish(&ctx.period)
        .unwrap();
    assert_eq!((n, &tally, &fast_acc), (s.dossiers.len(), &rows, &acc));
}

/// `chiso.read` files (held in memory) with several row groups are read by several workers
/// into the same tally as the row path, with the units in order of first appearance.
#[test]
fn dossier_files_in_memory_read_by_several_workers_equal_the_row_path() {
    let s = sample();
    let dir = temp_dir("chiso-fast-mem");
    let ctx = context(&s.procedures);
    let (rows, acc) = Tally::build(&ctx, &s.dossiers, &[]);
    let path = dir.join("mem-groups.parquet");
    write_row_groups(&path, &dossiers_batch(&s.dossiers).unwrap());
    let map = ColumnMap::new();
    let file = chiso_io::read::memory::DossierFile::read(&path, &map)
        .unwrap()
        .unwrap();
    let mut units: Vec<String> = Vec::new();
    for d in &s.dossiers {
        if !units.contains(&d.unit_code) {
            units.push(d.unit_code.clone());
        }
    }
    for threads in [1, 2, 3] {
        let run = file.tally(&map, &ctx, threads).unwrap().unwrap();
        assert_eq!(run.rows, s.dossiers.len());
        assert_eq!(run.tally, rows, "{threads} workers");
        assert_eq!(run.accounting, acc, "{threads} workers");
        assert_eq!(run.unit_codes, units, "{threads} workers");
    }
    // A duplicate id in another worker's row groups sends the file down the row path.
    let mut dup = s.dossiers.clone();
    dup.push(dup[0].clone());
    let path = dir.join("mem-dup.parquet");
    write_row_groups(&path, &dossiers_batch(&dup).unwrap());
    let file = chiso_io::read::memory::DossierFile::read(&path, &map)
        .unwrap()
        .unwrap();
    assert!(file.tally(&map, &ctx, 2).unwrap().is_err());
}

/// The §3 decisions on every file path: dossiers ended with a supplement never completed,
/// without any deadline, open with repeated supplement requests, and received before the period
/// (carried over) give the core's tally and accounting through the CSV, Parquet and Arrow fast
/// paths and through the row reader alike.
#[test]
fn the_classification_decisions_hold_on_every_file_path() {
    use chiso::model::{Status, Wait};
    use chiso_io::route::{tally_dossiers, ReadPath, Settings, Source};
    let s = sample();
    let mut ds = s.dossiers.clone();
    let hours = chrono::Duration::hours;
    for (i, d) in ds.iter_mut().enumerate().take(1200) {
        let Some(r) = d.received_at else { continue };
        match i % 4 {
            0 => {
                d.supplements = vec![Wait {
                    requested_at: r + hours(20),
                    completed_at: None,
                }];
                d.finished_at = Some(r + hours(24 * 40));
                d.returned_at = None;
                d.status = Some([Status::Withdrawn, Status::Stopped, Status::Finished][i % 3]);
            }
            1 => {
                // No due date, and a procedure the catalogue does not know: no statutory time.
                d.due_at = None;
                d.procedure_code = "9.999999".into();
            }
            2 => {
                d.supplements = vec![
                    Wait {
                        requested_at: r + hours(2),
                        completed_at: Some(r + hours(5)),
                    },
                    Wait {
                        requested_at: r + hours(30),
                        completed_at: Some(r + hours(31)),
                    },
                ];
                d.finished_at = None;
                d.returned_at = None;
                d.status = Some(Status::InProgress);
            }
            _ => {
                d.received_at = Some(r - chrono::Duration::days(400));
                d.finished_at = None;
                d.returned_at = None;
                d.status = Some(Status::InProgress);
            }
        }
    }
    let dir = temp_dir("chiso-decisions");
    let batch = dossiers_batch(&ds).unwrap();
    let paths: Vec<_> = [
        ("d.csv", OutputFormat::Csv),
        ("d.parquet", OutputFormat::Parquet),
        ("d.arrow", OutputFormat::Arrow),
    ]
    .into_iter()
    .map(|(name, f)| {
        let p = dir.join(name);
        write_batch(&p, &batch, f).unwrap();
        p
    })
    .collect();
    for carry in [false, true] {
        let ctx = TallyContext::new(
            "2026".parse().unwrap(),
            SampleSpec::district(21).as_of,
            Options {
                carry_over_open: carry,
                ..Options::default()
            },
            Limits::default(),
            &WeekdaysOnly,
            &s.procedures,
        );
        let (want, want_acc) = Tally::build(&ctx, &ds, &[]);
        let mut all = chiso::Counts::default();
        for (_, c) in want.cells() {
            all.merge(c);
        }
        assert!(
            all.no_deadline > 0 && all.late_repeated_supplement > 0,
            "{all:?}"
        );
        assert_eq!(all.carried_over > 0, carry);
        for path in &paths {
            for rows_only in [false, true] {
                let settings = Settings {
                    threads: 2,
                    rows_only,
                };
                let got = tally_dossiers(
                    Source::File(path),
                    &ColumnMap::new(),
                    &ctx,
                    settings,
                    &mut |_| {},
                )
                .unwrap();
                let name = path.display();
                assert_eq!(
                    got.path == ReadPath::Columnar,
                    !rows_only,
                    "{name}: {:?}",
                    got.why_not_fast
                );
                assert_eq!(got.tally, want, "{name} rows_only={rows_only}");
                assert_eq!(got.accounting, want_acc, "{name} rows_only={rows_only}");
            }
        }
    }
}
