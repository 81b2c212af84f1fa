//! `chiso` — score Decision 766 indicators from the command line.

mod calendar_cmd;
mod commands;
mod interrupt;
mod toolkit_cmd;
mod toolkit_tables;
mod watch_cmd;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// mimalloc, not the system's malloc: the live scoreboard's cost stayed the same whatever the
/// process had allocated and freed before (see the workspace's Cargo.toml and BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "chiso",
    version,
    about = "Decision 766 public-service quality index (Bộ chỉ số 766): score, explain, check"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

/// Output of `chiso score`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ScoreFormat {
    /// Fits a terminal: groups, total, rank and the biggest point losses.
    Table,
    /// The full explained scorecard with the accounting and the rejects.
    Json,
    /// One row per unit and indicator.
    Csv,
    /// A workbook: summary, units × groups, indicators, rejects (needs --output).
    Xlsx,
    /// A single self-contained report page with inline SVG charts.
    Html,
}

/// The language of a report (`--lang`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// Vietnamese: the portal's terms, dd/MM/yyyy, 1.234,56.
    Vi,
    /// English.
    En,
}

/// The report language: `--lang`, else the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`: `vi_*` →
/// Vietnamese), else English.
pub fn report_lang(arg: Option<LangArg>) -> chiso_io::write::lang::Lang {
    use chiso_io::write::lang::Lang;
    match arg {
        Some(LangArg::Vi) => Lang::Vi,
        Some(LangArg::En) => Lang::En,
        None => Lang::from_env(),
    }
}

/// File format of `chiso generate`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GenFormat {
    Jsonl,
    Csv,
    Arrow,
    Parquet,
}

/// Which columns `chiso generate` writes for the dossiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GenShape {
    /// Canonical column names, the fields chiso reads.
    Canonical,
    /// A one-stop system's export: ~40 columns with Vietnamese headers, most of them not
    /// scored (applicant, address, officials, notes, the process log). Not for JSON Lines.
    Wide,
}

#[derive(Subcommand)]
enum Command {
    /// Score the built-in sample district and print its scorecard.
    Demo {
        #[arg(long, default_value_t = 766)]
        seed: u64,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Replay the sample district's quarter as a live stream and show the scoreboard move.
        #[arg(long)]
        live: bool,
    },
    /// Keep a live scoreboard of a JSON Lines or CSV file of sync records (as `chiso generate
    /// --events` writes): each record is a dossier's full state; the later `synced_at` wins.
    Watch(watch_cmd::WatchArgs),
    /// Score dossiers from CSV, Excel, JSON / JSON Lines, Arrow IPC or Parquet files (format by
    /// extension) and print the scorecard.
    Score {
        #[arg(long)]
        dossiers: PathBuf,
        /// A column mapping file (TOML: [dossier] "My header" = "received_at") adding headers.
        #[arg(long)]
        columns: Option<PathBuf>,
        #[arg(long)]
        procedures: Option<PathBuf>,
        #[arg(long)]
        units: Option<PathBuf>,
        #[arg(long)]
        petitions: Option<PathBuf>,
        /// 2026, 2026-Q3, 2026-H1, 2026-09 or 2026-01-01..2026-03-31 (default: the year of --as-of).
        #[arg(long)]
        period: Option<String>,
        /// Evaluation moment, Vietnam time: 2026-09-26 or 2026-09-26T11:00 (default: now).
        #[arg(long)]
        as_of: Option<String>,
        /// Built-in profile name or a TOML file.
        #[arg(long, default_value = "portal-2026")]
        profile: String,
        /// Override a rule option, e.g. --option due_comparison=date (repeatable).
        #[arg(long = "option", value_name = "NAME=VALUE")]
        options: Vec<String>,
        /// Show this unit's indicators in detail (default: the root).
        #[arg(long)]
        unit: Option<String>,
        #[arg(long, value_enum, default_value_t = ScoreFormat::Table)]
        format: ScoreFormat,
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Write rejected records with their reasons to this file (JSON Lines).
        #[arg(long)]
        rejects: Option<PathBuf>,
        /// Every dossier's verdict, one row per input record (.csv, .jsonl or .parquet):
        /// period scope and reason, 2.1 class, deadline, end, waits, working days late and the
        /// facts each indicator read. Summed by unit it gives the scorecard's counters.
        #[arg(long)]
        verdicts: Option<PathBuf>,
        /// Language of the table, CSV headers, workbook and HTML page (default: from LANG /
        /// LC_ALL, vi_* → Vietnamese, else English).
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
    /// Check a rule profile against the portal's published scores (captured API responses).
    Conformance {
        /// Folder with manifest*.json and the captured responses.
        dir: PathBuf,
        #[arg(long, default_value = "portal-2026")]
        profile: String,
        #[arg(long = "option", value_name = "NAME=VALUE")]
        options: Vec<String>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Write a seeded synthetic sample (units, procedures, dossiers, petitions).
    Generate {
        #[arg(long, default_value_t = 40_000)]
        dossiers: usize,
        #[arg(long, default_value_t = 766)]
        seed: u64,
        #[arg(long)]
        out: PathBuf,
        /// File format of the four files.
        #[arg(long, value_enum, default_value_t = GenFormat::Jsonl)]
        format: GenFormat,
        /// Leave out the process log (officials' steps), e.g. for multi-million-row benchmarks.
        #[arg(long)]
        no_process_log: bool,
        /// Also write events.jsonl (and events.<format> for a table format): each dossier's
        /// lifecycle as 1-4 sync records in sync order.
        #[arg(long)]
        events: bool,
        /// Columns of the dossier file.
        #[arg(long, value_enum, default_value_t = GenShape::Canonical)]
        shape: GenShape,
    },
    #[command(flatten)]
    Toolkit(toolkit_cmd::ToolkitCmd),
    /// Vietnamese working-day calendar: holidays, lunar dates, working-day arithmetic.
    Calendar {
        #[command(subcommand)]
        cmd: calendar_cmd::CalendarCmd,
        /// A swap table (TOML) adding announced days off / make-up days to the built-in ones.
        #[arg(long, global = true)]
        swaps: Option<PathBuf>,
    },
    /// List the built-in rule profiles, or print one as TOML to start your own from.
    Profile {
        /// A built-in profile to print; lists them when omitted.
        name: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    interrupt::install();
    let result = match cli.command {
        Command::Demo {
            seed, live: true, ..
        } => watch_cmd::demo_live(seed),
        Command::Demo { seed, format, .. } => commands::demo(seed, format),
        Command::Watch(args) => watch_cmd::watch(args),
        Command::Score {
            dossiers,
            columns,
            procedures,
            units,
            petitions,
            period,
            as_of,
            profile,
            options,
            unit,
            format,
            output,
            rejects,
            verdicts,
            lang,
        } => commands::score(commands::ScoreArgs {
            dossiers,
            columns,
            procedures,
            units,
            petitions,
            period,
            as_of,
            profile,
            options,
            unit,
            format,
            output,
            rejects,
            verdicts,
            lang: report_lang(lang),
        }),
        Command::Conformance {
            dir,
            profile,
            options,
            format,
        } => commands::conformance(&dir, &profile, &options, format),
        Command::Generate {
            dossiers,
            seed,
            out,
            format,
            no_process_log,
            events,
            shape,
        } => commands::generate(dossiers, seed, &out, format, !no_process_log, events, shape),
        Command::Profile { name } => commands::profile(name.as_deref()),
        Command::Toolkit(cmd) => toolkit_cmd::run(cmd),
        Command::Calendar { cmd, swaps } => calendar_cmd::run(cmd, swaps.as_deref()),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("chiso: error: {e}");
            ExitCode::from(2)
        }
    }
}
