//! Criterion benchmarks of the live scoreboard (chiso::live): replaying a lifecycle stream,
//! against re-scoring everything after each batch (what users do today); `advance` with 1 M
//! open dossiers; the scorecard of a 150-unit province; loading a 1 M-dossier snapshot; and the
//! memory per tracked dossier (printed). Run: `cargo bench -p chiso --bench live`.

use chiso::live::{Config, Scoreboard, SharedCalendar, SyncRecord};
use chiso::model::Wait;
use chiso::pipeline::{run, Records};
use chiso::*;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

fn t0() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 1, 1)
        .and_then(|d| d.and_hms_opt(8, 0, 0))
        .unwrap_or_default()
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// A province's lifecycle stream: each dossier synced 2–4 times (received; supplement
/// requested and completed for some; finished or returned), ordered by `synced_at`. Receipts
/// spread over `days` from t0; 150 units each using ~40 of 2,000 procedures.
fn lifecycle(n: usize, days: i64) -> Vec<SyncRecord> {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let mut out = Vec::with_capacity(n * 3);
    for i in 0..n {
        let r = t0() + Duration::minutes((rng.next() % (days as u64 * 24 * 60)) as i64);
        let due = r + Duration::days(1 + (rng.next() % 15) as i64);
        let unit = rng.next() % 150;
        let roll = rng.next() % 1000;
        let received = Dossier {
            dossier_id: format!("HS-{i:08}"),
            unit_code: format!("H44.{unit}"),
            procedure_code: format!("1.{:06}", (unit * 13 + rng.next() % 40) % 2000),
            channel: if roll % 5 == 0 {
                Channel::Online
            } else {
                Channel::Direct
            },
            received_at: Some(r),
            due_at: Some(due),
            status: Some(Status::InProgress),
            fee_total: if roll % 3 == 0 { 50_000.0 } else { 0.0 },
            digitised: roll % 3 == 0,
            ..Dossier::default()
        };
        out.push(SyncRecord {
            dossier: received.clone(),
            synced_at: Some(r),
        });
        let mut last = received;
        if roll % 7 == 0 {
            let asked = r + Duration::hours(3);
            let mut d = last.clone();
            d.status = Some(Status::SupplementRequested);
            d.supplements = vec![Wait {
                requested_at: asked,
                completed_at: None,
            }];
            out.push(SyncRecord {
                dossier: d.clone(),
                synced_at: Some(asked),
            });
            let done = asked + Duration::hours(20);
            d.status = Some(Status::InProgress);
            d.supplements[0].completed_at = Some(done);
            out.push(SyncRecord {
                dossier: d.clone(),
                synced_at: Some(done),
            });
            last = d;
        }
        let end = if roll < 70 {
            due + Duration::hours(5)
        } else {
            r + (due - r) / 2
        };
        let mut d = last;
        if roll % 11 == 0 {
            d.status = Some(Status::Returned);
            d.returned_at = Some(end);
        } else {
            d.status = Some(Status::Finished);
            d.finished_at = Some(end);
            d.e_result = roll % 4 == 0;
        }
        out.push(SyncRecord {
            dossier: d,
            synced_at: Some(end),
        });
    }
    out.sort_by_key(|r| r.synced_at);
    out
}

fn catalogue() -> Vec<Procedure> {
    (0..2000u32)
        .map(|i| Procedure {
            procedure_code: format!("1.{i:06}"),
            fee_bearing: i % 4 == 0,
            for_citizens: i % 2 == 0,
            ..Procedure::default()
        })
        .collect()
}

fn calendar() -> SharedCalendar {
    Arc::new(WeekdaysOnly)
}

fn config(profile: &Profile, period: &Period, procedures: Vec<Procedure>) -> Config {
    let mut c = Config::new(profile.clone());
    c.options = profile.options;
    c.periods = vec![period.clone()];
    c.procedures = procedures;
    c
}

fn bench(c: &mut Criterion) {
    let profile = Profile::builtin("portal-2026").unwrap_or_else(|e| panic!("{e}"));
    let year: Period = "2026".parse().unwrap_or_else(|e| panic!("{e}"));
    let catalogue = catalogue();

    // Replay: batches of 10,000 records, the clock following the data (latest synced_at).
    let stream = lifecycle(100_000, 300);
    let mut g = c.benchmark_group("live_replay");
    g.throughput(Throughput::Elements(stream.len() as u64));
    g.sample_size(10);
    g.bench_function(
        format!("replay_{}_records_batches_10k", stream.len()),
        |b| {
            b.iter_batched(
                || Scoreboard::new(config(&profile, &year, catalogue.clone()), calendar(), t0()),
                |sb| {
                    let mut sb = sb.unwrap_or_else(|e| panic!("{e}"));
                    for batch in stream.chunks(10_000) {
                        let _ = sb.upsert(batch);
                        if let Some(t) = batch.last().and_then(|r| r.synced_at) {
                            let _ = sb.advance(t);
                        }
                        black_box(sb.scorecard(&year).ok());
                    }
                    sb
                },
                BatchSize::PerIteration,
            )
        },
    );
    // The same stream as column batches (the Arrow path), prepared beforehand.
    let batches: Vec<(chiso::columnar::OwnedColumns, Vec<String>, Vec<i64>)> = stream
        .chunks(10_000)
        .map(|batch| {
            let ds: Vec<Dossier> = batch.iter().map(|r| r.dossier.clone()).collect();
            (
                chiso::columnar::OwnedColumns::from_dossiers(&ds),
                ds.into_iter().map(|d| d.dossier_id).collect(),
                batch
                    .iter()
                    .map(|r| chiso::moment::millis_of(r.synced_at))
                    .collect(),
            )
        })
        .collect();
    g.bench_function(
        format!("replay_columns_{}_records_batches_10k", stream.len()),
        |b| {
            b.iter_batched(
                || Scoreboard::new(config(&profile, &year, catalogue.clone()), calendar(), t0()),
                |sb| {
                    let mut sb = sb.unwrap_or_else(|e| panic!("{e}"));
                    for (cols, ids, synced) in &batches {
                        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
                        let _ = sb.upsert_columns(
                            &cols.columns(),
                            &cols.unit_code_refs(),
                            &cols.procedure_code_refs(),
                            &ids,
                            synced,
                        );
                        if let Some(t) = synced.last().and_then(|&ms| chiso::moment::time_of(ms)) {
                            let _ = sb.advance(t);
                        }
                        black_box(sb.scorecard(&year).ok());
                    }
                    sb
                },
                BatchSize::PerIteration,
            )
        },
    );
    // What users do today: after each batch, dedupe everything so far and score it again.
    g.bench_function(
        format!("rescore_{}_records_batches_10k", stream.len()),
        |b| {
            b.iter(|| {
                let mut held: Vec<Dossier> = Vec::new();
                let mut at: HashMap<&str, (usize, Option<NaiveDateTime>)> = HashMap::new();
                for batch in stream.chunks(10_000) {
                    for r in batch {
                        match at.get_mut(r.dossier.dossier_id.as_str()) {
                            Some((i, s)) if r.synced_at >= *s => {
                                held[*i] = r.dossier.clone();
                                *s = r.synced_at;
                            }
                            Some(_) => {}
                            None => {
                                at.insert(&r.dossier.dossier_id, (held.len(), r.synced_at));
                                held.push(r.dossier.clone());
                            }
                        }
                    }
                    let now = batch.last().and_then(|r| r.synced_at).unwrap_or_default();
                    black_box(
                        run(
                            &Records {
                                dossiers: &held,
                                procedures: &catalogue,
                                ..Records::default()
                            },
                            year.clone(),
                            now,
                            &profile,
                            profile.options,
                            &WeekdaysOnly,
                        )
                        .ok(),
                    );
                }
            })
        },
    );
    g.finish();

    // A province's live state: the scorecard of 150 units.
    let mut sb = Scoreboard::new(config(&profile, &year, catalogue.clone()), calendar(), t0())
        .unwrap_or_else(|e| panic!("{e}"));
    let _ = sb.upsert(&stream);
    let _ = sb.advance(t0() + Duration::days(300));
    let mut g = c.benchmark_group("scorecard_150_units_catalogue_2000");
    g.bench_function("live", |b| b.iter(|| sb.scorecard(&year)));
    // Scoring alone, from a tally of the same records built beforehand (the floor the live
    // scorecard adds its tally assembly to).
    let finals: Vec<Dossier> = {
        let mut last: HashMap<&str, &Dossier> = HashMap::new();
        for r in &stream {
            last.insert(&r.dossier.dossier_id, &r.dossier);
        }
        last.into_values().cloned().collect()
    };
    let as_of = t0() + Duration::days(300);
    let ctx = TallyContext::new(
        year.clone(),
        as_of,
        profile.options,
        profile.limits,
        &WeekdaysOnly,
        &catalogue,
    );
    let (tally, _) = Tally::build(&ctx, &finals, &[]);
    let tree = chiso::pipeline::tree_of(None, tally.unit_codes()).unwrap_or_default();
    g.bench_function("score_only", |b| {
        b.iter(|| {
            score(&ScoreInput {
                tally: &tally,
                units: &tree,
                procedures: &catalogue,
                profile: &profile,
                options: profile.options,
                period: year.clone(),
                as_of,
                calendar: &WeekdaysOnly,
                published_facts: None,
            })
        })
    });
    g.finish();
    drop(sb);

    // 1 M open dossiers, received over the last 30 days, due over the next 60: advance wakes
    // only the ones whose deadline passes.
    let now = t0() + Duration::days(100);
    let open: Vec<SyncRecord> = (0..1_000_000u64)
        .map(|i| {
            let mut rng = Rng(i.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
            let r = now - Duration::minutes((rng.next() % (30 * 24 * 60)) as i64);
            let unit = rng.next() % 150;
            SyncRecord {
                dossier: Dossier {
                    dossier_id: format!("HS-{i:08}"),
                    unit_code: format!("H44.{unit}"),
                    procedure_code: format!("1.{:06}", (unit * 13 + rng.next() % 40) % 2000),
                    received_at: Some(r),
                    due_at: Some(now + Duration::minutes((rng.next() % (60 * 24 * 60)) as i64)),
                    status: Some(Status::InProgress),
                    ..Dossier::default()
                },
                synced_at: Some(r),
            }
        })
        .collect();
    let built = Instant::now();
    let mut base = Scoreboard::new(config(&profile, &year, catalogue.clone()), calendar(), now)
        .unwrap_or_else(|e| panic!("{e}"));
    let _ = base.upsert(&open);
    drop(open);
    let ids = base.id_bytes();
    eprintln!(
        "live: 1,000,000 open dossiers tracked in {:.2?}; {} bytes per tracked dossier beyond its id \
         ({} id bytes each); {} queue entries",
        built.elapsed(),
        base.memory_bytes() / base.len(),
        ids / base.len(),
        base.queued()
    );
    for (label, step) in [
        ("1_minute", Duration::minutes(1)),
        ("1_hour", Duration::hours(1)),
    ] {
        let mut sb = base.clone();
        c.bench_function(&format!("live_advance_1m_open_{label}"), |b| {
            b.iter_custom(|iters| {
                let mut spent = std::time::Duration::ZERO;
                for _ in 0..iters {
                    // Start again before the deadlines run out (copying is not timed).
                    if sb.now() + step > now + Duration::days(59) {
                        sb = base.clone();
                    }
                    let to = sb.now() + step;
                    let start = Instant::now();
                    let _ = sb.advance(to);
                    spent += start.elapsed();
                }
                spent
            })
        });
    }
    let bytes = base.to_bytes();
    eprintln!(
        "live: snapshot of 1,000,000 dossiers is {} bytes",
        bytes.len()
    );
    let mut g = c.benchmark_group("live_snapshot");
    g.sample_size(10);
    g.bench_function("load_1m_dossiers", |b| {
        b.iter(|| Scoreboard::from_bytes(black_box(&bytes), calendar()))
    });
    g.bench_function("save_1m_dossiers", |b| b.iter(|| base.to_bytes()));
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
