//! Benchmarks of the live scoreboard (chiso::live), the list of issue 15:
//! - replay of a province's lifecycle stream (2-4 sync records per dossier, in `synced_at`
//!   order) in batches of 10,000, the clock moved to each batch's last sync before the batch is
//!   applied and the scorecard read after it: from columns (what Arrow batches become:
//!   `upsert_columns`) and from records; from columns also in the other order (applied, then
//!   the clock moved), which judges most records twice;
//! - against what users do today, re-scoring everything after each batch (deduplicated);
//! - bytes per tracked dossier; `advance` with 1 M open dossiers; the scorecard of a 150-unit
//!   province; saving and loading a 1 M-dossier snapshot.
//!
//! Size: `CHISO_LIVE_DOSSIERS` (default 1,000,000; 10,000,000 gives ~25 M records and stays
//! under ~6 GB: the stream is an index of 16-byte events, each batch built just before it is
//! applied, outside the timed part). Re-scoring runs up to 1 M dossiers, above only with
//! `CHISO_LIVE_RESCORE=1`, timing every `CHISO_LIVE_RESCORE_EVERY`-th batch (default 1 up to
//! 1 M, 25 above) and scaling. The replays are timed once each (they take seconds to minutes) and
//! printed as `live-result: key=value` lines; the rest is Criterion.
//! Run: `cargo bench -p chiso --bench live` (or `python3 benches/run_live.py`).

use chiso::live::{Config, Scoreboard, SharedCalendar, SyncRecord};
use chiso::model::Wait;
use chiso::pipeline::{run, Records};
use chiso::*;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

/// The allocator the CLI and the Python module ship with (BENCHMARKS.md compares glibc's).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

/// One dossier's lifecycle, drawn from its number: receipt spread over `days` from t0, due 1-15
/// days later, one of 150 units and ~40 of its 2,000 procedures; a supplement request for 1 in 7
/// (asked 3 h after receipt, completed 20 h later); finished (late for 7 %) or returned.
struct Life {
    r: NaiveDateTime,
    due: NaiveDateTime,
    unit: u64,
    procedure: u64,
    roll: u64,
}

fn life(i: u64, days: i64) -> Life {
    let mut rng = Rng(i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x2545_F491_4F6C_DD1D | 1);
    let r = t0() + Duration::minutes((rng.next() % (days as u64 * 24 * 60)) as i64);
    let due = r + Duration::days(1 + (rng.next() % 15) as i64);
    let unit = rng.next() % 150;
    let procedure = (unit * 13 + rng.next() % 40) % 2000;
    let roll = rng.next() % 1000;
    Life {
        r,
        due,
        unit,
        procedure,
        roll,
    }
}

impl Life {
    fn supplement(&self) -> bool {
        self.roll % 7 == 0
    }
    /// Sync records of this life (2 or 4).
    fn steps(&self) -> u8 {
        if self.supplement() {
            4
        } else {
            2
        }
    }
    fn asked(&self) -> NaiveDateTime {
        self.r + Duration::hours(3)
    }
    fn completed(&self) -> NaiveDateTime {
        self.asked() + Duration::hours(20)
    }
    fn end(&self) -> NaiveDateTime {
        let end = if self.roll < 70 {
            self.due + Duration::hours(5)
        } else {
            self.r + (self.due - self.r) / 2
        };
        let last = if self.supplement() {
            self.completed()
        } else {
            self.r
        };
        end.max(last + Duration::hours(1))
    }
    fn synced(&self, step: u8) -> NaiveDateTime {
        match (step, self.supplement()) {
            (0, _) => self.r,
            (1, true) => self.asked(),
            (2, true) => self.completed(),
            _ => self.end(),
        }
    }
    /// The dossier's full state at its `step`-th sync.
    fn record(&self, i: u64, step: u8) -> SyncRecord {
        let mut d = Dossier {
            dossier_id: format!("HS-{i:08}"),
            unit_code: format!("H44.{}", self.unit),
            procedure_code: format!("1.{:06}", self.procedure),
            channel: if self.roll % 5 == 0 {
                Channel::Online
            } else {
                Channel::Direct
            },
            received_at: Some(self.r),
            due_at: Some(self.due),
            status: Some(Status::InProgress),
            fee_total: if self.roll % 3 == 0 { 50_000.0 } else { 0.0 },
            digitised: self.roll % 3 == 0,
            ..Dossier::default()
        };
        let last = self.steps() - 1;
        if self.supplement() && step >= 1 {
            d.supplements = vec![Wait {
                requested_at: self.asked(),
                completed_at: (step >= 2).then(|| self.completed()),
            }];
            if step == 1 {
                d.status = Some(Status::SupplementRequested);
            }
        }
        if step == last {
            if self.roll % 11 == 0 {
                d.status = Some(Status::Returned);
                d.returned_at = Some(self.end());
            } else {
                d.status = Some(Status::Finished);
                d.finished_at = Some(self.end());
                d.e_result = self.roll % 4 == 0;
            }
        }
        SyncRecord {
            dossier: d,
            synced_at: Some(self.synced(step)),
        }
    }
}

/// The stream's index: (sync time in ms, dossier, step), in sync order — 16 bytes a record.
fn events(n: u64, days: i64) -> Vec<(i64, u32, u8)> {
    let mut out = Vec::with_capacity(n as usize * 5 / 2);
    for i in 0..n {
        let l = life(i, days);
        for step in 0..l.steps() {
            out.push((
                chiso::moment::millis_of(Some(l.synced(step))),
                i as u32,
                step,
            ));
        }
    }
    out.sort_unstable();
    out
}

/// The records of a run of events.
fn records(events: &[(i64, u32, u8)], days: i64) -> Vec<SyncRecord> {
    events
        .iter()
        .map(|&(_, i, step)| life(u64::from(i), days).record(u64::from(i), step))
        .collect()
}

/// `default` under `cargo bench` (criterion is given `--bench`); 5,000 when `cargo test
/// --all-targets` runs this file once as a smoke test, so CI does not replay a million dossiers
/// on a debug build.
fn full_size(default: usize) -> usize {
    if std::env::args().any(|a| a == "--bench") {
        default
    } else {
        default.min(5_000)
    }
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

fn result(key: &str, value: impl std::fmt::Display) {
    eprintln!("live-result: {key}={value}");
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

    let n = env_usize("CHISO_LIVE_DOSSIERS", full_size(1_000_000)) as u64;
    let days = 300;
    let built = Instant::now();
    let events = events(n, days);
    result("dossiers", n);
    result("records", events.len());
    eprintln!(
        "live: stream of {} records of {n} dossiers indexed in {:.2?}",
        events.len(),
        built.elapsed()
    );
    let new_board = || {
        Scoreboard::new(config(&profile, &year, catalogue.clone()), calendar(), t0())
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let at_last = |batch: &[(i64, u32, u8)]| {
        batch
            .last()
            .and_then(|e| chiso::moment::time_of(e.0))
            .unwrap_or_default()
    };

    let per_s = |d: std::time::Duration| events.len() as f64 / d.as_secs_f64().max(1e-9);
    // Replay from records (first, so that only one board is alive at a time).
    let mut spent = std::time::Duration::ZERO;
    let mut rb = new_board();
    for batch in events.chunks(10_000) {
        let recs = records(batch, days);
        let start = Instant::now();
        let _ = rb.advance(at_last(batch));
        let _ = rb.upsert(&recs);
        black_box(rb.scorecard(&year).ok());
        spent += start.elapsed();
    }
    result("replay_records_s", format!("{:.3}", spent.as_secs_f64()));
    result(
        "replay_records_records_per_s",
        format!("{:.0}", per_s(spent)),
    );
    // One board at a time (memory at 10 M dossiers): keep its scorecard to compare.
    let from_records = rb.scorecard(&year).ok();
    drop(rb);

    // Replay from columns: each batch built (untimed), then advance + upsert + scorecard timed.
    // The clock moves to the batch's last sync first (as `chiso watch --clock data` does), so a
    // record is judged once, at its own moment; applied first, at the clock before it, most
    // records come into scope only when the clock then moves, and are judged again. Both
    // orders end in the same scorecard; the second is replayed too, for comparison.
    let replay_columns = |clock_first: bool| {
        let mut spent = std::time::Duration::ZERO;
        let mut sb = new_board();
        for batch in events.chunks(10_000) {
            let recs = records(batch, days);
            let ds: Vec<Dossier> = recs.iter().map(|r| r.dossier.clone()).collect();
            let cols = chiso::columnar::OwnedColumns::from_dossiers(&ds);
            let ids: Vec<&str> = ds.iter().map(|d| d.dossier_id.as_str()).collect();
            let synced: Vec<i64> = batch.iter().map(|e| e.0).collect();
            let start = Instant::now();
            if clock_first {
                let _ = sb.advance(at_last(batch));
            }
            let _ = sb.upsert_columns(
                &cols.columns(),
                &cols.unit_code_refs(),
                &cols.procedure_code_refs(),
                &ids,
                &synced,
            );
            if !clock_first {
                let _ = sb.advance(at_last(batch));
            }
            black_box(sb.scorecard(&year).ok());
            spent += start.elapsed();
        }
        (sb, spent)
    };
    let (sb, spent) = replay_columns(false);
    result(
        "replay_columns_upsert_first_records_per_s",
        format!("{:.0}", per_s(spent)),
    );
    assert!(
        sb.scorecard(&year).ok() == from_records,
        "both orders replay alike"
    );
    drop(sb);
    let (sb, spent) = replay_columns(true);
    result("replay_columns_s", format!("{:.3}", spent.as_secs_f64()));
    result(
        "replay_columns_records_per_s",
        format!("{:.0}", per_s(spent)),
    );
    result(
        "replay_bytes_per_dossier",
        sb.memory_bytes() / sb.len().max(1),
    );
    result(
        "replay_id_bytes_per_dossier",
        sb.id_bytes() / sb.len().max(1),
    );
    let columns_time = spent;

    assert!(
        sb.scorecard(&year).ok() == from_records,
        "records and columns replay alike"
    );
    // A province's live state (the replayed board, 150 units): its scorecard, read as a service
    // that replayed the stream reads it. Measured again below after the re-scoring, which
    // allocates and frees tens of GB in this process: the allocator's state after that is this
    // bench's, not a service's, but the two figures side by side show what it costs.
    let mut g = c.benchmark_group("scorecard_150_units_catalogue_2000");
    g.bench_function(format!("live_{n}_dossiers"), |b| {
        b.iter(|| sb.scorecard(&year))
    });
    g.finish();
    // What users do today: after each batch, deduplicate everything so far and score it again.
    let rescore = n <= 1_000_000 || std::env::var("CHISO_LIVE_RESCORE").is_ok_and(|v| v == "1");
    if rescore {
        let every = env_usize(
            "CHISO_LIVE_RESCORE_EVERY",
            if n <= 1_000_000 { 1 } else { 25 },
        )
        .max(1);
        let mut held: Vec<Dossier> = Vec::new();
        let mut at: HashMap<u32, (usize, i64)> = HashMap::new();
        let mut spent = std::time::Duration::ZERO;
        for (k, batch) in events.chunks(10_000).enumerate() {
            let recs = records(batch, days);
            let start = Instant::now();
            for (e, r) in batch.iter().zip(recs) {
                match at.get_mut(&e.1) {
                    Some((i, s)) if e.0 >= *s => {
                        held[*i] = r.dossier;
                        *s = e.0;
                    }
                    Some(_) => {}
                    None => {
                        at.insert(e.1, (held.len(), e.0));
                        held.push(r.dossier);
                    }
                }
            }
            spent += start.elapsed();
            if k % every == 0 {
                let start = Instant::now();
                black_box(
                    run(
                        &Records {
                            dossiers: &held,
                            procedures: &catalogue,
                            ..Records::default()
                        },
                        year.clone(),
                        at_last(batch),
                        &profile,
                        profile.options,
                        &WeekdaysOnly,
                    )
                    .ok(),
                );
                spent += start.elapsed() * every as u32;
            }
        }
        result("rescore_every", every);
        result("rescore_s", format!("{:.3}", spent.as_secs_f64()));
        result(
            "rescore_over_live_columns",
            format!(
                "{:.1}",
                spent.as_secs_f64() / columns_time.as_secs_f64().max(1e-9)
            ),
        );
    }

    drop(events);
    let as_of = sb.now();
    let mut g = c.benchmark_group("scorecard_150_units_catalogue_2000");
    if rescore {
        g.bench_function(format!("live_{n}_dossiers_after_rescoring"), |b| {
            b.iter(|| sb.scorecard(&year))
        });
    }
    // Scoring alone, from a tally of the same records built beforehand (the floor the live
    // scorecard adds its tally assembly to); up to 1 M dossiers (it holds every record).
    if n <= 1_000_000 {
        let finals: Vec<Dossier> = sb.latest_records().map(|r| r.dossier).collect();
        let ctx = TallyContext::new(
            year.clone(),
            as_of,
            profile.options,
            profile.limits,
            &WeekdaysOnly,
            &catalogue,
        );
        let (tally, _) = Tally::build(&ctx, &finals, &[]);
        drop(finals);
        let tree = chiso::pipeline::tree_of(None, tally.unit_codes()).unwrap_or_default();
        g.bench_function(format!("score_only_{n}_dossiers"), |b| {
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
    }
    g.finish();
    drop(sb);

    // 1 M open dossiers, received over the last 30 days, due over the next 60: advance wakes
    // only the ones whose deadline passes.
    let now = t0() + Duration::days(100);
    let open: Vec<SyncRecord> = (0..full_size(1_000_000) as u64)
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
    result(
        "open_1m_bytes_per_dossier",
        base.memory_bytes() / base.len(),
    );
    result("open_1m_id_bytes_per_dossier", ids / base.len());
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
    result("snapshot_1m_bytes", bytes.len());
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
