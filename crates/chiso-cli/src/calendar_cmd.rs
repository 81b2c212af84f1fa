//! `chiso calendar …`: the Vietnamese working-day calendar from the command line.

use chiso_calendar::{solar_to_lunar, Calendar, SwapTable};
use chiso_io::{IoError, Result};
use chrono::NaiveDate;
use clap::Subcommand;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum CalendarCmd {
    /// Public holidays, substitute days and announced swaps of a year.
    Holidays { year: i32 },
    /// The Vietnamese lunar date (âm lịch) of a solar date.
    Lunar { date: String },
    /// The date N working days after DATE.
    AddWorkdays { date: String, n: u32 },
    /// Working days in (FROM, TO].
    Between { from: String, to: String },
}

/// The calendar every command uses: holidays by law and the built-in swap table, plus a
/// province's own swap file when given (`--swaps FILE` or the CHISO_SWAPS variable).
pub fn working_calendar(swaps: Option<&Path>) -> Result<Calendar> {
    let from_env = std::env::var_os("CHISO_SWAPS").map(PathBuf::from);
    match swaps.map(Path::to_path_buf).or(from_env) {
        None => Ok(Calendar::vietnam()),
        Some(path) => {
            let text = chiso_io::error::read_text(&path)?;
            let table = SwapTable::from_toml_str(&text, &path.display().to_string())
                .map_err(|e| IoError::format(&path, e.to_string()))?;
            Ok(Calendar::vietnam_with(table))
        }
    }
}

fn date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        IoError::Core(chiso::ChisoError::Value {
            field: "date".into(),
            message: format!("{s:?} is not a date (YYYY-MM-DD)"),
        })
    })
}

fn calendar_error(e: chiso_calendar::CalendarError) -> IoError {
    IoError::Core(chiso::ChisoError::Value {
        field: "calendar".into(),
        message: e.to_string(),
    })
}

pub fn run(cmd: CalendarCmd, swaps: Option<&Path>) -> Result<ExitCode> {
    let cal = working_calendar(swaps)?;
    let mut out = String::new();
    match cmd {
        CalendarCmd::Holidays { year } => {
            out.push_str(&format!("{} — calendar {}\n", year, cal.name()));
            for h in cal.holidays(year) {
                out.push_str(&format!(
                    "{}  {:<3} {:<14} {} / {}\n",
                    h.date,
                    h.date.format("%a"),
                    format!("{:?}", h.kind),
                    h.name_vi,
                    h.name_en
                ));
            }
        }
        CalendarCmd::Lunar { date: d } => {
            let l = solar_to_lunar(date(&d)?).map_err(calendar_error)?;
            out.push_str(&format!(
                "{} → âm lịch {:02}/{:02}{}/{}\n",
                d,
                l.day,
                l.month,
                if l.leap { " (nhuận)" } else { "" },
                l.year
            ));
        }
        CalendarCmd::AddWorkdays { date: d, n } => {
            out.push_str(&format!("{}\n", cal.add_working_days(date(&d)?, n)));
        }
        CalendarCmd::Between { from, to } => {
            let days = cal.working_days_between(date(&from)?, date(&to)?);
            out.push_str(&format!("{days}\n"));
        }
    }
    chiso_io::write::output::write_stdout(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
