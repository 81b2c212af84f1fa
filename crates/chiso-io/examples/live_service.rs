//! Embed the live scoreboard in a service: batches of sync records arrive, the clock moves,
//! the service prints what changed, and it saves its state so that a restart resumes where it
//! stopped — what `chiso watch` does around [`chiso::live::Scoreboard`].
//!
//! `cargo run -p chiso-io --example live_service`
//!
//! It needs no input: the stream is the built-in sample district's current quarter, each
//! dossier's lifecycle replayed as 1–4 sync records (`chiso::live::lifecycle_stream`), in
//! batches. A real service would read its batches from a queue or a growing file
//! (`chiso_io::live::SyncLines`) and use `chiso_calendar::Calendar::vietnam()`.

use chiso::live::{lifecycle_stream, Config, Scoreboard, SharedCalendar, SyncRecord};
use chiso::pipeline::{run as score_batch, Records};
use chiso::{Period, Profile, WeekdaysOnly};
use chiso_io::sample::{generate, SampleSpec};
use chrono::{Datelike, NaiveDateTime};
use std::sync::Arc;

type Error = Box<dyn std::error::Error>;

/// The latest sync time of a batch: the service's clock follows its data.
fn latest(batch: &[SyncRecord]) -> Option<NaiveDateTime> {
    batch.iter().filter_map(|r| r.synced_at).max()
}

/// Replays the sample quarter through a scoreboard in `batches` batches, restarting from a
/// snapshot halfway; returns the final root total and the batch scoring's, which must agree.
pub fn run(batches: usize) -> Result<(f64, f64), Error> {
    let spec = SampleSpec {
        dossiers: 4_000,
        ..SampleSpec::district(766)
    };
    let sample = generate(&spec);
    let quarter = (spec.as_of.month() - 1) / 3 + 1;
    let period: Period = format!("{}-Q{quarter}", spec.as_of.year()).parse()?;
    let in_quarter: Vec<_> = sample
        .dossiers
        .iter()
        .filter(|d| d.received_at.is_some_and(|r| period.contains(r)))
        .cloned()
        .collect();
    let stream = lifecycle_stream(&in_quarter);

    // What the service scores with: fixed for its life, and saved in every snapshot.
    let profile = Profile::builtin("portal-2026")?;
    let mut config = Config::new(profile.clone());
    config.options = profile.options;
    config.procedures = sample.procedures.clone();
    config.units = Some(sample.units.clone());
    config.periods = vec![period.clone()];
    let calendar: SharedCalendar = Arc::new(WeekdaysOnly);
    let mut board = Scoreboard::new(config, calendar.clone(), period.start_time())?;

    let state = tempfile::tempdir()?;
    let snapshot = state.path().join("scoreboard.bin");
    let size = stream.len().div_ceil(batches.max(1)).max(1);
    println!(
        "{} sync records of {} dossiers, {} per batch",
        stream.len(),
        in_quarter.len(),
        size
    );
    for (n, batch) in stream.chunks(size).enumerate() {
        // The clock: the batch's latest sync, never past the sample's "now". Moved before the
        // batch is applied, so that each record is judged once, at that clock.
        let now = latest(batch)
            .unwrap_or(board.now())
            .clamp(board.now(), spec.as_of);
        board.advance(now)?;
        let done = board.upsert(batch)?;
        let changes = board.changes()?;
        let card = board.scorecard(&period)?;
        let root = card.units.first().map_or(0.0, |u| u.total);
        println!(
            "batch {n:>2}  {now}  +{} new, {} updated  {} changes  root {root:.2}",
            done.added,
            done.replaced,
            changes.len()
        );
        // The biggest moves of the batch, as the service would log or push them.
        let mut top: Vec<_> = changes.iter().collect();
        top.sort_by(|a, b| {
            a.points_delta()
                .abs()
                .total_cmp(&b.points_delta().abs())
                .reverse()
        });
        for c in top.iter().take(2) {
            println!("          {c}");
        }
        board.set_bookmark(format!("batch {n}"));
        chiso_io::live::save(&snapshot, &board)?;
        if n == batches / 2 {
            // A restart: the service comes back from its last snapshot, same scorecard.
            let before = board.scorecard(&period)?;
            board = chiso_io::live::load(&snapshot, calendar.clone())?;
            println!(
                "restarted from {} ({})",
                snapshot.display(),
                board.bookmark()
            );
            assert_eq!(board.scorecard(&period)?, before);
        }
    }
    board.advance(spec.as_of)?;
    board.changes()?;

    // If nothing more arrived: the points each unit stands to lose in the next week.
    let ahead = board.now() + chrono::Duration::days(7);
    for (p, unit, lost) in board.project(ahead)?.points_at_risk().iter().take(3) {
        println!("at risk by {ahead}: {p} {unit} −{lost:.2}");
    }

    // The live figure is the batch figure of the latest records at the same moment.
    let live = board.scorecard(&period)?;
    let records = Records {
        dossiers: &in_quarter,
        procedures: &sample.procedures,
        units: Some(&sample.units),
        petitions: &[],
    };
    let batch = score_batch(
        &records,
        period,
        spec.as_of,
        &profile,
        profile.options,
        &WeekdaysOnly,
    )?;
    let total = |c: &chiso::Scorecard| c.units.first().map_or(0.0, |u| u.total);
    println!(
        "live root {:.2}, batch root {:.2}",
        total(&live),
        total(&batch.scorecard)
    );
    Ok((total(&live), total(&batch.scorecard)))
}

fn main() -> Result<(), Error> {
    let (live, batch) = run(12)?;
    if (live - batch).abs() > 1e-9 {
        return Err(format!("live {live} differs from batch {batch}").into());
    }
    Ok(())
}
