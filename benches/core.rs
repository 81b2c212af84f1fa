//! Criterion benchmarks of the core's hot paths: classification, tallying, merging, scoring.
//! Run: `cargo bench -p chiso --bench core`. Data: a synthetic province built here (the
//! generator of chiso-io is not a dependency of the pure core).

use chiso::model::Wait;
use chiso::pipeline::{run, Records};
use chiso::*;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

fn t0() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 1, 1)
        .and_then(|d| d.and_hms_opt(8, 0, 0))
        .unwrap_or_default()
}

/// A deterministic mix: 150 units each using ~40 of 2,000 procedures (as real units do), ~7% late,
/// some supplements and open ones.
fn dossiers(n: usize) -> Vec<Dossier> {
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    (0..n)
        .map(|i| {
            let r = t0() + Duration::minutes((next() % (365 * 24 * 60)) as i64);
            let due = r + Duration::days(1 + (next() % 15) as i64);
            let roll = next() % 1000;
            let unit = next() % 150;
            let finished = if roll < 5 {
                None
            } else if roll < 75 {
                Some(due + Duration::hours(5))
            } else {
                Some(r + (due - r) / 2)
            };
            Dossier {
                dossier_id: format!("D{i}"),
                unit_code: format!("H44.{}", unit),
                procedure_code: format!("1.{:06}", (unit * 13 + next() % 40) % 2000),
                channel: if next() % 5 == 0 {
                    Channel::Online
                } else {
                    Channel::Direct
                },
                received_at: Some(r),
                due_at: Some(due),
                finished_at: finished,
                status: Some(if finished.is_some() {
                    Status::Finished
                } else {
                    Status::InProgress
                }),
                supplements: if roll % 13 == 0 {
                    vec![Wait {
                        requested_at: r + Duration::hours(2),
                        completed_at: Some(r + Duration::hours(30)),
                    }]
                } else {
                    Vec::new()
                },
                fee_total: if next() % 3 == 0 { 50_000.0 } else { 0.0 },
                e_result: next() % 4 == 0,
                digitised: next() % 3 == 0,
                population_data: next() % 2 == 0,
                ..Dossier::default()
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let profile = Profile::builtin("portal-2026").unwrap_or_else(|e| panic!("{e}"));
    let period: Period = "2026".parse().unwrap_or_else(|e| panic!("{e}"));
    let as_of = t0() + Duration::days(300);
    let ds = dossiers(100_000);

    let mut g = c.benchmark_group("classify");
    g.throughput(Throughput::Elements(ds.len() as u64));
    let ctx = TallyContext::new(
        period.clone(),
        as_of,
        profile.options,
        profile.limits,
        &WeekdaysOnly,
        &[],
    );
    g.bench_function("judge_100k", |b| {
        b.iter(|| {
            ds.iter()
                .filter(|d| matches!(ctx.classify(d), Ok((_, j)) if j.progress.scores()))
                .count()
        })
    });
    g.bench_function("tally_100k", |b| {
        b.iter(|| Tally::build(&ctx, black_box(&ds), &[]))
    });
    let owned = chiso::columnar::OwnedColumns::from_dossiers(&ds);
    let (cols, units_c, procs_c) = (
        owned.columns(),
        owned.unit_code_refs(),
        owned.procedure_code_refs(),
    );
    for threads in [1usize, 2] {
        g.bench_function(format!("tally_columns_100k_{threads}_thread"), |b| {
            b.iter(|| {
                chiso::columnar::tally_columns(black_box(&cols), &units_c, &procs_c, &ctx, threads)
            })
        });
    }
    g.finish();

    // A province-year's worth of rows: per-call costs (building the keyed tally) amortised as in
    // real files.
    let big = chiso::columnar::OwnedColumns::from_dossiers(&dossiers(1_000_000));
    let (big_cols, big_units, big_procs) = (
        big.columns(),
        big.unit_code_refs(),
        big.procedure_code_refs(),
    );
    let mut g = c.benchmark_group("classify_1m");
    g.throughput(Throughput::Elements(big_cols.len() as u64));
    for threads in [1usize, 2] {
        g.bench_function(format!("tally_columns_1m_{threads}_thread"), |b| {
            b.iter(|| {
                chiso::columnar::tally_columns(
                    black_box(&big_cols),
                    &big_units,
                    &big_procs,
                    &ctx,
                    threads,
                )
            })
        });
    }
    g.finish();
    drop(big);

    let (tally, _) = Tally::build(&ctx, &ds, &[]);
    let (half_a, _) = Tally::build(&ctx, &ds[..50_000], &[]);
    let (half_b, _) = Tally::build(&ctx, &ds[50_000..], &[]);
    c.bench_function("merge_two_halves", |b| {
        b.iter(|| Tally::merged(black_box(&half_a), black_box(&half_b)))
    });

    let units = chiso::pipeline::unit_tree(&Records {
        dossiers: &ds,
        ..Records::default()
    })
    .unwrap_or_default();
    let score_with = |procedures: &[Procedure]| {
        score(&ScoreInput {
            tally: &tally,
            units: &units,
            procedures,
            profile: &profile,
            options: profile.options,
            period: period.clone(),
            as_of,
            calendar: &WeekdaysOnly,
            published_facts: None,
        })
    };
    c.bench_function("score_province_151_units", |b| b.iter(|| score_with(&[])));

    // The same province with a 2,000-procedure catalogue (levels, fees, online offer), as real
    // scorecards are computed: the distinct-procedure facts then come from the catalogue.
    let catalogue: Vec<Procedure> = (0..2000u32)
        .map(|i| Procedure {
            procedure_code: format!("1.{i:06}"),
            level: Some(
                [
                    chiso::model::Level::Province,
                    chiso::model::Level::District,
                    chiso::model::Level::Commune,
                ][(i % 3) as usize],
            ),
            fee_bearing: i % 4 == 0,
            for_citizens: i % 2 == 0,
            online_level: if i % 5 == 0 {
                chiso::model::OnlineLevel::None
            } else {
                chiso::model::OnlineLevel::Full
            },
            ..Procedure::default()
        })
        .collect();
    c.bench_function("score_province_151_units_catalogue_2000", |b| {
        b.iter(|| score_with(&catalogue))
    });

    c.bench_function("pipeline_100k", |b| {
        b.iter(|| {
            run(
                &Records {
                    dossiers: &ds,
                    ..Records::default()
                },
                period.clone(),
                as_of,
                &profile,
                profile.options,
                &WeekdaysOnly,
            )
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
