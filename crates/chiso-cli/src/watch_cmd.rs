//! `chiso watch` and `chiso demo --live`: the live scoreboard ([`chiso::live`]) fed from a
//! JSON Lines or CSV file of sync records as it grows, with the clock on the wall or on the data, a
//! refreshing table or JSON lines of what changed, and a state file saved atomically (with how
//! far the file was read) so that a restart resumes without losing or double-counting a record.

use crate::commands::{apply_options, calendar, read_file, Progress};
use chiso::live::{Change, Config, Scoreboard, SharedCalendar, SyncRecord};
use chiso::Period;
use chiso_io::live::{load, save, SyncFeed};
use chiso_io::read::columns::ColumnMap;
use chiso_io::read::records::Reject;
use chiso_io::{IoError, Result};
use chrono::NaiveDateTime;
use clap::ValueEnum;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Which clock moves the scoreboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Clock {
    /// Vietnam time now.
    Wall,
    /// The latest `synced_at` seen (replays).
    Data,
}

/// Output of `chiso watch`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum WatchFormat {
    /// A refreshing summary with the last changes.
    Table,
    /// One JSON line per change, for other tools.
    Jsonl,
}

/// The arguments of `chiso watch`.
#[derive(clap::Args)]
pub struct WatchArgs {
    /// Sync records: JSON Lines, or CSV (.csv/.tsv/.txt: a header line, then one record a line,
    /// with the column names `chiso score` accepts).
    #[arg(long)]
    pub dossiers: PathBuf,
    /// Keep reading as the file grows (like `tail -f`).
    #[arg(long)]
    pub follow: bool,
    /// Periods to track, repeatable or comma-separated (default: the month, quarter and year
    /// of the starting clock).
    #[arg(long = "period")]
    pub periods: Vec<String>,
    #[arg(long)]
    pub procedures: Option<PathBuf>,
    #[arg(long)]
    pub units: Option<PathBuf>,
    #[arg(long)]
    pub petitions: Option<PathBuf>,
    #[arg(long, default_value = "portal-2026")]
    pub profile: String,
    #[arg(long = "option", value_name = "NAME=VALUE")]
    pub options: Vec<String>,
    /// wall: Vietnam time now; data: the latest synced_at seen (replays).
    #[arg(long, value_enum, default_value_t = Clock::Wall)]
    pub clock: Clock,
    /// Starting clock (default: now, or the first record's synced_at with --clock data).
    #[arg(long)]
    pub as_of: Option<String>,
    /// Save the scoreboard here (atomically) now and then and on exit; resume from it.
    #[arg(long)]
    pub state: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = WatchFormat::Table)]
    pub format: WatchFormat,
    /// Records per batch.
    #[arg(long, default_value_t = 10_000)]
    pub batch: usize,
    /// Seconds between state saves (0: after every batch).
    #[arg(long, default_value_t = 5.0)]
    pub save_every: f64,
    /// Append the records that could not be read here, one JSON line each (file, line, column,
    /// message: the shape of `chiso score --rejects`). They are set aside, never stop the watch;
    /// the first few are also named on stderr.
    #[arg(long)]
    pub rejects: Option<PathBuf>,
}

/// Records set aside because they could not be read: named on stderr (the first few), appended
/// to `--rejects`, counted in the summary.
struct Rejected {
    file: Option<PathBuf>,
    total: u64,
}

impl Rejected {
    /// Rejects named on stderr; the rest are counted (and all are in `--rejects`).
    const SHOWN: u64 = 10;

    /// Checks at once that `--rejects` can be written (not at the first reject, hours in).
    fn new(file: Option<PathBuf>) -> Result<Self> {
        if let Some(path) = &file {
            Self::open(path)?;
        }
        Ok(Self { file, total: 0 })
    }

    fn open(path: &Path) -> Result<std::fs::File> {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| IoError::file(path, e))
    }

    /// Reports the records set aside; how many there were.
    fn report(&mut self, rejects: Vec<Reject>) -> Result<usize> {
        if rejects.is_empty() {
            return Ok(0);
        }
        for r in &rejects {
            self.total += 1;
            if self.total <= Self::SHOWN {
                let column = r
                    .column
                    .as_deref()
                    .map_or(String::new(), |c| format!(" ({c})"));
                eprintln!(
                    "chiso watch: set aside {} line {}{column}: {}",
                    r.file, r.row, r.message
                );
            } else if self.total == Self::SHOWN + 1 {
                let more = match &self.file {
                    Some(p) => format!("all are in {}", p.display()),
                    None => "--rejects FILE keeps them all".into(),
                };
                eprintln!("chiso watch: more records set aside, counted in the summary ({more})");
            }
        }
        if let Some(path) = &self.file {
            let mut f = Self::open(path)?;
            let mut text = String::new();
            for r in &rejects {
                text.push_str(
                    &serde_json::to_string(r).map_err(|e| IoError::format(path, e.to_string()))?,
                );
                text.push('\n');
            }
            f.write_all(text.as_bytes())
                .map_err(|e| IoError::file(path, e))?;
        }
        Ok(rejects.len())
    }
}

fn wall_now() -> NaiveDateTime {
    (chrono::Utc::now() + chrono::Duration::hours(7)).naive_utc()
}

fn live_err(path: &Path, e: chiso::live::LiveError) -> IoError {
    IoError::format(path, e.to_string())
}

/// The latest sync time in a batch.
fn latest(batch: &[SyncRecord]) -> Option<NaiveDateTime> {
    batch.iter().filter_map(|r| r.synced_at).max()
}

/// A new scoreboard from the command line's inputs, its clock at `start`.
fn new_board(a: &WatchArgs, cal: SharedCalendar, start: NaiveDateTime) -> Result<Scoreboard> {
    let profile = chiso_io::profiles::load_profile(&a.profile)?;
    let mut config = Config::new(profile.clone());
    config.options = apply_options(&profile, &a.options)?;
    let map = ColumnMap::new();
    let mut progress = Progress::new();
    if let Some(p) = &a.procedures {
        config.procedures = read_file::<chiso::Procedure>(p, &map, &mut progress)?.rows;
    }
    if let Some(p) = &a.units {
        config.units = Some(read_file::<chiso::Unit>(p, &map, &mut progress)?.rows);
    }
    if let Some(p) = &a.petitions {
        config.petitions = read_file::<chiso::Petition>(p, &map, &mut progress)?.rows;
    }
    for p in &a.periods {
        for label in p.split(',').map(str::trim).filter(|l| !l.is_empty()) {
            config.periods.push(label.parse::<Period>()?);
        }
    }
    Scoreboard::new(config, cal, start).map_err(|e| live_err(&a.dossiers, e))
}

/// Follows the file: upserts records in batches, moves the clock, reports what changed, saves
/// the state now and then and at the end.
pub fn watch(a: WatchArgs) -> Result<ExitCode> {
    let cal: SharedCalendar = Arc::new(calendar()?);
    let resumed = match &a.state {
        Some(p) if p.exists() => Some(load(p, cal.clone())?),
        _ => None,
    };
    let offset = resumed
        .as_ref()
        .and_then(|b| b.bookmark().parse::<u64>().ok())
        .unwrap_or(0);
    let mut lines = SyncFeed::open(&a.dossiers, offset)?;
    let mut rejected = Rejected::new(a.rejects.clone())?;
    let batch_size = a.batch.max(1);
    let mut first = Vec::new();
    // Unsaved progress. Records set aside move the read position too, so they count even when a
    // read brought no record (else a restart would set them aside again).
    let mut dirty = false;
    let mut board = match resumed {
        Some(b) => {
            eprintln!(
                "chiso watch: resumed {} dossiers at {} from byte {offset} of {}",
                b.len(),
                b.now().format("%Y-%m-%d %H:%M"),
                a.dossiers.display()
            );
            b
        }
        None => {
            first = lines.next_batch(batch_size)?;
            dirty |= rejected.report(lines.take_rejects())? > 0;
            let start = match (&a.as_of, a.clock) {
                (Some(s), _) => chiso::period::parse_moment(s)?,
                (None, Clock::Wall) => wall_now(),
                (None, Clock::Data) => first
                    .iter()
                    .filter_map(|r| r.synced_at)
                    .min()
                    .unwrap_or_else(wall_now),
            };
            new_board(&a, cal, start)?
        }
    };
    let mut out = Output::new(a.format);
    let mut last_save = Instant::now();
    let mut pending = (!first.is_empty()).then_some(first);
    loop {
        let batch = match pending.take() {
            Some(b) => b,
            None => {
                let batch = lines.next_batch(batch_size)?;
                dirty |= rejected.report(lines.take_rejects())? > 0;
                batch
            }
        };
        if batch.is_empty() {
            if !a.follow {
                break;
            }
            if a.clock == Clock::Wall {
                let now = wall_now().max(board.now());
                board.advance(now).map_err(|e| live_err(&a.dossiers, e))?;
                let changes = board.changes().map_err(|e| live_err(&a.dossiers, e))?;
                if !changes.is_empty() {
                    out.show(&board, &changes, rejected.total)?;
                }
            }
            if dirty && last_save.elapsed().as_secs_f64() >= a.save_every {
                persist(&a, &mut board, &lines)?;
                dirty = false;
                last_save = Instant::now();
            }
            std::thread::sleep(Duration::from_millis(200));
            continue;
        }
        // The clock first, then the records: each record is judged once, at the clock it
        // will be scored at (applied first, most would be judged again when the clock moved).
        let now = match a.clock {
            Clock::Wall => wall_now(),
            Clock::Data => latest(&batch).unwrap_or(board.now()),
        }
        .max(board.now());
        board.advance(now).map_err(|e| live_err(&a.dossiers, e))?;
        board.upsert(&batch).map_err(|e| live_err(&a.dossiers, e))?;
        board.set_bookmark(lines.offset().to_string());
        dirty = true;
        let changes = board.changes().map_err(|e| live_err(&a.dossiers, e))?;
        out.show(&board, &changes, rejected.total)?;
        if a.state.is_some() && last_save.elapsed().as_secs_f64() >= a.save_every {
            persist(&a, &mut board, &lines)?;
            dirty = false;
            last_save = Instant::now();
        }
    }
    if dirty || a.state.as_ref().is_some_and(|p| !p.exists()) {
        persist(&a, &mut board, &lines)?;
    }
    out.finish(&board, rejected.total)?;
    if rejected.total > 0 {
        eprintln!(
            "chiso watch: {} records set aside (not readable){}",
            rejected.total,
            a.rejects
                .as_ref()
                .map_or(String::new(), |p| format!(", listed in {}", p.display()))
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Saves the state (when asked for) with how far the file was read.
fn persist(a: &WatchArgs, board: &mut Scoreboard, lines: &SyncFeed) -> Result<()> {
    if let Some(p) = &a.state {
        board.set_bookmark(lines.offset().to_string());
        save(p, board)?;
    }
    Ok(())
}

/// Where watch output goes.
struct Output {
    format: WatchFormat,
    terminal: bool,
    recent: Vec<String>,
}

impl Output {
    fn new(format: WatchFormat) -> Self {
        Self {
            format,
            terminal: std::io::stdout().is_terminal(),
            recent: Vec::new(),
        }
    }

    /// Shows what changed; `rejected`: records set aside so far.
    fn show(&mut self, board: &Scoreboard, changes: &[Change], rejected: u64) -> Result<()> {
        let mut o = std::io::stdout().lock();
        match self.format {
            WatchFormat::Jsonl => {
                for c in changes {
                    let line = serde_json::to_string(c).unwrap_or_default();
                    let _ = writeln!(o, "{line}");
                }
            }
            WatchFormat::Table => {
                let mut moved: Vec<&Change> =
                    changes.iter().filter(|c| c.points_delta() != 0.0).collect();
                moved.sort_by(|a, b| a.points_delta().total_cmp(&b.points_delta()));
                for c in moved.iter().take(5) {
                    // Two dossiers a line fit a terminal; the rest are counted.
                    let mut short = (*c).clone();
                    let cut = short.dossiers.len().saturating_sub(2);
                    short.dossiers.truncate(2);
                    short.more += cut as u64;
                    self.recent.push(format!("{} {short}", c.period.label()));
                }
                let keep = self.recent.len().saturating_sub(8);
                self.recent.drain(..keep);
                if self.terminal {
                    let _ = write!(o, "\x1b[2J\x1b[H");
                }
                let _ = writeln!(o, "{}", summary(board, rejected));
                if !self.recent.is_empty() {
                    let _ = writeln!(o, "last changes:");
                    for l in &self.recent {
                        let _ = writeln!(o, "  {l}");
                    }
                }
                let _ = writeln!(o);
            }
        }
        Ok(())
    }

    fn finish(&mut self, board: &Scoreboard, rejected: u64) -> Result<()> {
        if self.format == WatchFormat::Table && !self.terminal {
            let _ = writeln!(std::io::stdout().lock(), "{}", summary(board, rejected));
        }
        Ok(())
    }
}

/// One block: the clock, the dossiers tracked, each period's top units' totals.
fn summary(board: &Scoreboard, rejected: u64) -> String {
    let mut s = format!(
        "chiso watch — {} — {} dossiers",
        board.now().format("%Y-%m-%d %H:%M"),
        board.len()
    );
    if rejected > 0 {
        s.push_str(&format!(" — {rejected} records set aside"));
    }
    for card in board.scorecards().unwrap_or_default() {
        let roots: Vec<_> = card.units.iter().filter(|u| u.parent.is_none()).collect();
        s.push_str(&format!("\n  {:<10}", card.meta.period.label()));
        for u in roots.iter().take(4) {
            s.push_str(&format!(
                "  {} {:.2}/{:.0} (2.1 {})",
                u.unit,
                u.total,
                u.max,
                u.indicator("2.1").map_or("–".into(), |i| format!(
                    "{}/{}",
                    i.numerator, i.denominator
                ))
            ));
        }
        if roots.len() > 4 {
            s.push_str(&format!("  (+{} more)", roots.len() - 4));
        }
    }
    s
}

/// `chiso demo --live`: the sample district's quarter replayed as a lifecycle stream, the
/// scoreboard moving batch by batch, in a few seconds.
pub fn demo_live(seed: u64) -> Result<ExitCode> {
    let spec = chiso_io::sample::SampleSpec::district(seed);
    let sample = chiso_io::sample::generate(&spec);
    let profile = chiso::Profile::builtin("portal-2026")?;
    let quarter = (chrono::Datelike::month(&spec.as_of) - 1) / 3 + 1;
    let period: Period = format!("{}-Q{quarter}", chrono::Datelike::year(&spec.as_of)).parse()?;
    let in_quarter: Vec<chiso::Dossier> = sample
        .dossiers
        .iter()
        .filter(|d| d.received_at.is_some_and(|r| period.contains(r)))
        .cloned()
        .collect();
    let stream = chiso::live::lifecycle_stream(&in_quarter);
    let mut config = Config::new(profile.clone());
    config.options = profile.options;
    config.procedures = sample.procedures.clone();
    config.units = Some(sample.units.clone());
    config.periods = vec![period.clone()];
    let cal: SharedCalendar = Arc::new(calendar()?);
    let start = period.start_time();
    let mut board =
        Scoreboard::new(config, cal, start).map_err(|e| live_err(Path::new("demo"), e))?;
    let mut out = Output::new(WatchFormat::Table);
    let batches = 40usize;
    let size = stream.len().div_ceil(batches).max(1);
    eprintln!(
        "chiso demo --live: {} sync records of {} dossiers, {} batches",
        stream.len(),
        in_quarter.len(),
        stream.len().div_ceil(size)
    );
    for batch in stream.chunks(size) {
        let now = latest(batch).unwrap_or(board.now()).max(board.now());
        board
            .advance(now.min(spec.as_of.max(board.now())))
            .map_err(|e| live_err(Path::new("demo"), e))?;
        board
            .upsert(batch)
            .map_err(|e| live_err(Path::new("demo"), e))?;
        let changes = board
            .changes()
            .map_err(|e| live_err(Path::new("demo"), e))?;
        out.show(&board, &changes, 0)?;
        std::thread::sleep(Duration::from_millis(100));
    }
    out.finish(&board, 0)?;
    Ok(ExitCode::SUCCESS)
}
