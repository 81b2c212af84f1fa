//! `chiso` — score Decision 766 indicators from the command line.

mod calendar_cmd;
mod commands;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

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

#[derive(Subcommand)]
enum Command {
    /// Score the built-in sample district and print its scorecard.
    Demo {
        #[arg(long, default_value_t = 766)]
        seed: u64,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Score dossiers (canonical JSON or JSON Lines) and print the scorecard.
    Score {
        #[arg(long)]
        dossiers: PathBuf,
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
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Write rejected records with their reasons to this file (JSON Lines).
        #[arg(long)]
        rejects: Option<PathBuf>,
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
    /// Write a seeded synthetic sample (units, procedures, dossiers, petitions) as JSON.
    Generate {
        #[arg(long, default_value_t = 40_000)]
        dossiers: usize,
        #[arg(long, default_value_t = 766)]
        seed: u64,
        #[arg(long)]
        out: PathBuf,
    },
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
    let result = match cli.command {
        Command::Demo { seed, format } => commands::demo(seed, format),
        Command::Score {
            dossiers,
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
        } => commands::score(commands::ScoreArgs {
            dossiers,
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
        } => commands::generate(dossiers, seed, &out),
        Command::Profile { name } => commands::profile(name.as_deref()),
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
