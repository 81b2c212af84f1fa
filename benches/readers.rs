//! Criterion benchmarks of reading a dossier file into a tally: CSV in bytes per second (the CSV
//! fast path `chiso_io::read::fast::csv_blocks` with one and two threads, and the ordinary streaming row reader
//! it replaces), Parquet and Arrow IPC in dossiers per second (the fast path `chiso_io::read::fast`
//! with one and two threads). Run: `cargo bench -p chiso-io --bench readers`. Data: the seeded
//! sample generator, written once per run into a temporary folder (CSV ~150 MB).

use chiso::{Limits, Options, Tally, TallyContext, WeekdaysOnly};
use chiso_io::read::columns::ColumnMap;
use chiso_io::sample::{generate, SampleSpec};
use chiso_io::write::tables::{dossiers_batch, write_batch, OutputFormat};
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;

/// Rows of the benchmark file (~215 bytes each without process logs).
const ROWS: usize = 700_000;

fn setup() -> (chiso_io::sample::Sample, PathBuf) {
    let mut spec = SampleSpec::district(5);
    spec.dossiers = ROWS;
    spec.process_log = false;
    let sample = generate(&spec);
    let dir = std::env::temp_dir().join(format!("chiso-bench-csv-{}", std::process::id()));
    let path = dir.join("dossiers.csv");
    let written = std::fs::create_dir_all(&dir).is_ok()
        && dossiers_batch(&sample.dossiers)
            .and_then(|b| write_batch(&path, &b, OutputFormat::Csv))
            .is_ok();
    assert!(written, "cannot write {}", path.display());
    (sample, path)
}

fn ctx(procedures: &[chiso::Procedure]) -> TallyContext<'_> {
    TallyContext::new(
        "2026".parse().unwrap_or_else(|_| unreachable!()),
        SampleSpec::district(5).as_of,
        Options::default(),
        Limits::default(),
        &WeekdaysOnly,
        procedures,
    )
}

/// Tallies buffered records the way the CLI's row path does.
fn flush(buf: &mut Vec<chiso::Dossier>, tally: &mut Tally, procedures: &[chiso::Procedure]) {
    let ctx = ctx(procedures);
    for d in buf.drain(..) {
        let _ = tally.add_dossier(&ctx, &d);
    }
}

fn csv(c: &mut Criterion) {
    let (sample, path) = setup();
    let bytes = std::fs::metadata(&path).map_or(0, |m| m.len());
    let ctx = ctx(&sample.procedures);
    let map = ColumnMap::new();
    let mut g = c.benchmark_group("csv");
    g.throughput(Throughput::Bytes(bytes));
    g.sample_size(10);
    for threads in [1, 2] {
        g.bench_function(format!("fast_path_{threads}_threads"), |b| {
            b.iter(|| {
                let r = chiso_io::read::fast::csv_blocks::tally_file(
                    &path,
                    &map,
                    &ctx,
                    threads,
                    &mut |_| {},
                );
                assert!(matches!(r, Ok(Ok(_))), "the fast path stepped aside");
                black_box(r)
            })
        });
    }
    g.bench_function("row_path", |b| {
        b.iter(|| {
            // As `chiso score` streams: records in chunks of 65,536 into the record tally.
            let state = Rc::new(RefCell::new((Vec::new(), Tally::new())));
            let (sink_state, procedures) = (state.clone(), sample.procedures.clone());
            let sink = Box::new(move |d: chiso::Dossier| {
                let mut s = sink_state.borrow_mut();
                s.0.push(d);
                if s.0.len() >= 65_536 {
                    let (buf, tally) = &mut *s;
                    flush(buf, tally, &procedures);
                }
            });
            let r = chiso_io::read::rows::stream_records(&path, &map, &mut |_| {}, sink);
            assert!(r.is_ok());
            let (buf, tally) = &mut *state.borrow_mut();
            flush(buf, tally, &sample.procedures);
            black_box(tally.len())
        })
    });
    g.finish();

    // The same dossiers as Parquet (row groups of 2^17 rows, as writers commonly use) and Arrow.
    let batch = dossiers_batch(&sample.dossiers).unwrap_or_else(|e| panic!("{e}"));
    let parquet = path.with_extension("parquet");
    let arrow = path.with_extension("arrow");
    let props = parquet::file::properties::WriterProperties::builder()
        .set_max_row_group_row_count(Some(1 << 17))
        .build();
    let written = std::fs::File::create(&parquet)
        .ok()
        .and_then(|f| parquet::arrow::ArrowWriter::try_new(f, batch.schema(), Some(props)).ok())
        .is_some_and(|mut w| w.write(&batch).is_ok() && w.close().is_ok())
        && write_batch(&arrow, &batch, OutputFormat::Arrow).is_ok();
    assert!(written, "cannot write the Parquet and Arrow files");
    let mut g = c.benchmark_group("columnar_files");
    g.throughput(Throughput::Elements(ROWS as u64));
    g.sample_size(10);
    for (name, file) in [("parquet", &parquet), ("arrow", &arrow)] {
        for threads in [1, 2] {
            g.bench_function(format!("{name}_{threads}_threads"), |b| {
                b.iter(|| {
                    let r = chiso_io::read::fast::tally_file(file, &map, &ctx, threads)
                        .ok()
                        .and_then(Result::ok)
                        .and_then(|f| f.finish(&ctx.period).ok());
                    assert!(r.is_some(), "the fast path stepped aside");
                    black_box(r)
                })
            });
        }
    }
    g.finish();
    for p in [&path, &parquet, &arrow] {
        let _ = std::fs::remove_file(p);
    }
}

criterion_group!(benches, csv);
criterion_main!(benches);
