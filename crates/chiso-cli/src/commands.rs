//! The subcommands. Each returns an exit code or one error that main prints on one line.

use crate::{Format, GenFormat, GenShape, ScoreFormat};
use chiso::pipeline::{run, Records};
use chiso::{Options, Period, Profile};
use chiso_io::portal::conformance;
use chiso_io::read::columns::ColumnMap;
use chiso_io::read::records::{write_json_lines, Reject, SUPERSEDED_REASON};
use chiso_io::read::rows::read_records;
use chiso_io::sample::{generate as gen_sample, SampleSpec};
use chiso_io::write::report::{self, ReportAccounting};
use chiso_io::write::{output, text};
use chiso_io::{IoError, Result};
use chrono::{NaiveDateTime, Utc};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The working-day calendar used by every command.
pub(crate) fn calendar() -> Result<chiso_calendar::Calendar> {
    crate::calendar_cmd::working_calendar(None)
}

pub(crate) fn apply_options(profile: &Profile, overrides: &[String]) -> Result<Options> {
    let mut o = profile.options;
    for kv in overrides {
        let (k, v) = kv.split_once('=').ok_or_else(|| {
            IoError::Core(chiso::ChisoError::Value {
                field: "option".into(),
                message: format!("{kv:?} is not NAME=VALUE"),
            })
        })?;
        o = o.with(k.trim(), v.trim())?;
    }
    Ok(o)
}

pub(crate) fn parse_as_of(s: Option<&str>) -> Result<NaiveDateTime> {
    let Some(s) = s else {
        return Ok((Utc::now() + chrono::Duration::hours(7)).naive_utc());
    };
    Ok(chiso::period::parse_moment(s)?)
}

/// To a file (atomically) or standard output (checked; a closed pipe ends quietly).
fn emit(output: Option<&Path>, text: &str) -> Result<()> {
    match output {
        Some(p) => output::write_file(p, text.as_bytes()),
        None => output::write_stdout(text.as_bytes()),
    }
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// Scores the built-in sample district.
pub fn demo(seed: u64, format: Format) -> Result<ExitCode> {
    let spec = SampleSpec::district(seed);
    let sample = gen_sample(&spec);
    let profile = Profile::builtin("portal-2026")?;
    let period: Period = format!("{}", spec.year).parse()?;
    let records = Records {
        dossiers: &sample.dossiers,
        procedures: &sample.procedures,
        units: Some(&sample.units),
        petitions: &sample.petitions,
    };
    let cal = calendar()?;
    let r = run(
        &records,
        period,
        spec.as_of,
        &profile,
        profile.options,
        &cal,
    )?;
    if format == Format::Json {
        emit(None, &json(&r.scorecard))?;
        return Ok(ExitCode::SUCCESS);
    }
    let card = &r.scorecard;
    let mut out = String::new();
    out.push_str(&format!(
        "chiso demo — synthetic district (seed {seed}, {} units, {} procedures)\n{}\n{}\n\n",
        sample.units.len(),
        sample.procedures.len(),
        text::header(card),
        text::accounting(&r.accounting, 0)
    ));
    out.push_str(&text::groups_table(card));
    if let Some(root) = card.units.iter().find(|u| u.parent.is_none()) {
        out.push('\n');
        out.push_str(&text::progress_split(root));
        out.push_str("\n\n");
        out.push_str(&text::indicators_table(root));
        out.push('\n');
        out.push_str(&text::losses(root, 5));
    }
    emit(None, &out)?;
    Ok(ExitCode::SUCCESS)
}

pub struct ScoreArgs {
    pub dossiers: PathBuf,
    pub columns: Option<PathBuf>,
    pub procedures: Option<PathBuf>,
    pub units: Option<PathBuf>,
    pub petitions: Option<PathBuf>,
    pub period: Option<String>,
    pub as_of: Option<String>,
    pub profile: String,
    pub options: Vec<String>,
    pub unit: Option<String>,
    pub format: ScoreFormat,
    pub output: Option<PathBuf>,
    pub rejects: Option<PathBuf>,
    pub verdicts: Option<PathBuf>,
    /// The language of the report.
    pub lang: chiso_io::write::lang::Lang,
}

/// Progress on stderr for inputs that take more than a second to read, when stderr is a terminal
/// (in a log or a pipe, carriage-return updates are noise, and errors stay one line).
pub(crate) struct Progress {
    start: std::time::Instant,
    shown: bool,
    terminal: bool,
}

impl Progress {
    pub(crate) fn new() -> Self {
        use std::io::IsTerminal;
        Self {
            start: std::time::Instant::now(),
            shown: false,
            terminal: std::io::stderr().is_terminal(),
        }
    }
    fn report(&mut self, path: &Path, rows: usize) {
        if self.terminal && self.start.elapsed().as_secs_f64() >= 1.0 {
            eprint!("\rreading {}: {rows} rows", path.display());
            self.shown = true;
        }
    }
    fn done(&mut self) {
        if self.shown {
            eprintln!();
            self.shown = false;
        }
    }
}

pub(crate) fn read_file<B: chiso_io::read::cell::Build>(
    path: &Path,
    map: &ColumnMap,
    progress: &mut Progress,
) -> Result<chiso_io::read::records::Records<B>> {
    let r = read_records::<B>(path, map, &mut |n| progress.report(path, n));
    progress.done();
    r
}

/// Scores records from files.
pub fn score(a: ScoreArgs) -> Result<ExitCode> {
    let profile = chiso_io::profiles::load_profile(&a.profile)?;
    let options = apply_options(&profile, &a.options)?;
    let as_of = parse_as_of(a.as_of.as_deref())?;
    let period: Period = match &a.period {
        Some(p) => p.parse()?,
        None => format!("{}", chrono::Datelike::year(&as_of)).parse()?,
    };
    if a.format == ScoreFormat::Xlsx && a.output.is_none() {
        return Err(IoError::format(
            Path::new("--format xlsx"),
            "needs --output FILE.xlsx",
        ));
    }
    let map = match &a.columns {
        Some(p) => ColumnMap::from_toml(p)?,
        None => ColumnMap::new(),
    };
    let mut progress = Progress::new();
    // The catalogue, units and petitions are small: read them first, so that a large Arrow or
    // Parquet dossier file can be tallied batch by batch (the columnar fast path).
    let mut rejects: Vec<Reject> = Vec::new();
    let mut accounted_rejects = 0u64;
    let procedures = match &a.procedures {
        Some(p) => {
            let r = read_file::<chiso::Procedure>(p, &map, &mut progress)?;
            rejects.extend(r.rejects);
            r.rows
        }
        None => Vec::new(),
    };
    let units = match &a.units {
        Some(p) => {
            let r = read_file::<chiso::Unit>(p, &map, &mut progress)?;
            rejects.extend(r.rejects);
            Some(r.rows)
        }
        None => None,
    };
    let petitions = match &a.petitions {
        Some(p) => {
            let r = read_file::<chiso::Petition>(p, &map, &mut progress)?;
            accounted_rejects += r.rejects.len() as u64;
            rejects.extend(r.rejects);
            r.rows
        }
        None => Vec::new(),
    };
    let cal = calendar()?;
    let ctx = chiso::TallyContext::new(
        period.clone(),
        as_of,
        options,
        profile.limits,
        &cal,
        &procedures,
    );
    // Every dossier's verdict, written while the readers judge them.
    let verdicts = match &a.verdicts {
        Some(p) => Some(chiso_io::write::verdicts::VerdictWriter::create(
            p,
            ctx.evaluated_at(),
            &cal,
        )?),
        None => None,
    };
    let ctx = match &verdicts {
        Some(w) => ctx.with_verdicts(w),
        None => ctx,
    };
    let path = a.dossiers.as_path();
    let read = chiso_io::route::tally_dossiers(
        chiso_io::route::Source::File(path),
        &map,
        &ctx,
        chiso_io::route::Settings::from_env(),
        &mut |n| progress.report(path, n),
    );
    progress.done();
    let read = read?;
    drop(ctx);
    for w in &read.warnings {
        eprintln!("warning: {w}");
    }
    if let Some(w) = verdicts {
        w.finish()?;
    }
    // Dossiers and petitions are accounted (read = scored + excluded + rejected); rejects of the
    // catalogue and the unit list are reported and written too.
    accounted_rejects += read.rejects.len() as u64;
    rejects.splice(0..0, read.rejects.iter().cloned());
    // Where the reader kept the order in which units first appear (rows read whole), the unit
    // tree lists them in that order, as the record path does; the tally is the route's own.
    let ordered;
    let unit_rows = match &read.unit_codes {
        Some(codes) => {
            let seen = codes.iter().map(String::as_str);
            ordered = chiso::pipeline::tree_of(
                units.as_deref(),
                seen.chain(petitions.iter().map(|p| p.unit_code.trim())),
            )?;
            Some(ordered.units())
        }
        None => units.as_deref(),
    };
    let r = chiso::pipeline::run_tally(
        read.tally,
        read.accounting,
        &procedures,
        unit_rows,
        &petitions,
        period.clone(),
        as_of,
        &profile,
        options,
        &cal,
    )?;
    let superseded = read.superseded;
    let mut accounting = r.accounting.clone();
    if !superseded.is_empty() {
        *accounting
            .excluded
            .entry(SUPERSEDED_REASON.to_string())
            .or_insert(0) += superseded.len() as u64;
    }
    if let Some(path) = &a.rejects {
        write_json_lines(path, &rejects)?;
    }
    let card = &r.scorecard;
    let focus = match &a.unit {
        Some(code) => Some(
            card.unit(code)
                .ok_or_else(|| IoError::Core(chiso::ChisoError::UnknownUnit(code.clone())))?,
        ),
        None => card.units.iter().find(|u| u.parent.is_none()),
    };
    let report_acc = ReportAccounting::new(&accounting, accounted_rejects);
    let lang = a.lang;
    let text = match a.format {
        ScoreFormat::Json => json(&serde_json::json!({
            "scorecard": card,
            "accounting": {
                "read": report_acc.read(),
                "scored": accounting.scored,
                "excluded": accounting.excluded,
                "rejected": accounted_rejects,
            },
            "superseded": superseded,
            "rejects": rejects,
        })),
        ScoreFormat::Csv => report::scorecard_csv_in(card, lang),
        ScoreFormat::Html => {
            report::html_report_in(card, &report_acc, focus.map(|u| u.unit.as_str()), lang)
        }
        ScoreFormat::Xlsx => {
            if let Some(out) = &a.output {
                report::write_xlsx_in(out, card, &report_acc, &rejects, lang)?;
            }
            return Ok(ExitCode::SUCCESS);
        }
        ScoreFormat::Table => {
            let mut out = format!(
                "{}\n{}\n\n",
                text::header_in(card, lang),
                text::accounting_in(&accounting, accounted_rejects, lang)
            );
            out.push_str(&text::groups_table_in(card, lang));
            if let Some(u) = focus {
                out.push('\n');
                out.push_str(&text::progress_split_in(u, lang));
                out.push_str("\n\n");
                out.push_str(&text::indicators_table_in(u, lang));
                out.push('\n');
                out.push_str(&text::losses_in(u, 5, lang));
            }
            let w = lang.words();
            for rej in rejects.iter().take(5) {
                out.push_str(&format!(
                    "{}: {} {} {}{}: {}\n",
                    w.rejected,
                    rej.file,
                    w.row.to_lowercase(),
                    rej.row,
                    rej.column
                        .as_deref()
                        .map(|c| format!(" {} {c}", w.column.to_lowercase()))
                        .unwrap_or_default(),
                    rej.message
                ));
            }
            if rejects.len() > 5 {
                out.push_str(&format!(
                    "… {} more rejected rows (write them all with --rejects FILE)\n",
                    rejects.len() - 5
                ));
            }
            out
        }
    };
    emit(a.output.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}

/// Compares a profile with the portal's published scores.
pub fn conformance(
    dir: &Path,
    profile: &str,
    overrides: &[String],
    format: Format,
) -> Result<ExitCode> {
    let profile = chiso_io::profiles::load_profile(profile)?;
    let options = apply_options(&profile, overrides)?;
    let captures = chiso_io::portal::capture::read_captures(dir)?;
    let report = conformance::check(&captures, &profile, &options);
    let summary = report.summary();
    let text = match format {
        Format::Json => json(&summary),
        Format::Table => render_conformance(&summary),
    };
    emit(None, &text)?;
    Ok(ExitCode::SUCCESS)
}

fn render_conformance(s: &conformance::ReportSummary) -> String {
    let mut out = format!(
        "conformance of {} (tolerance ±{})\n\n",
        s.profile, s.tolerance
    );
    let row = |out: &mut String, name: &str, x: &conformance::Summary| {
        let status = x
            .status
            .map(|s| format!("{s:?}").to_lowercase())
            .unwrap_or_default();
        out.push_str(&format!(
            "  {:<8} {:>7} {:>7} {:>8.1}% {:>10.4}  {}\n",
            name,
            x.checked,
            x.matched,
            100.0 * x.match_rate(),
            x.max_abs_error,
            status
        ));
    };
    out.push_str("groups      checked matched    match  max error\n");
    for (g, x) in &s.groups {
        row(&mut out, g, x);
        for (p, ps) in &x.periods {
            out.push_str(&format!(
                "      {:<22} {:>5}/{:<5} max error {:.4}\n",
                p, ps.matched, ps.checked, ps.max_abs_error
            ));
        }
    }
    out.push_str("\nindicators  checked matched    match  max error  status\n");
    for (i, x) in &s.indicators {
        row(&mut out, i, x);
    }
    out.push_str("\nprovince (parent rows)\n");
    for c in &s.parents {
        out.push_str(&format!(
            "  {:<5} {:<24} expected {:>6.2} computed {:>8.4} {}\n",
            c.group,
            format!("{}/{}", c.period, c.scope),
            c.expected,
            c.computed,
            if (c.expected - c.computed).abs() <= s.tolerance + 1e-9 {
                "ok"
            } else {
                "MISMATCH"
            }
        ));
    }
    if !s.unchecked.is_empty() {
        out.push_str("\nnot checkable\n");
        for u in &s.unchecked {
            out.push_str(&format!(
                "  {:<5} {:<22} {:>4} rows: {}\n",
                u.group,
                format!("{}/{}", u.period, u.scope),
                u.rows,
                u.reason
            ));
        }
    }
    out
}

/// Writes a seeded sample (JSON Lines, CSV, Arrow IPC or Parquet).
pub fn generate(
    dossiers: usize,
    seed: u64,
    out: &Path,
    format: GenFormat,
    process_log: bool,
    events: bool,
    shape: GenShape,
) -> Result<ExitCode> {
    use chiso_io::write::tables::{self, OutputFormat};
    let mut spec = SampleSpec::district(seed);
    spec.dossiers = dossiers;
    spec.process_log = process_log;
    let s = gen_sample(&spec);
    std::fs::create_dir_all(out).map_err(|e| IoError::file(out, e))?;
    let f = match format {
        GenFormat::Jsonl => OutputFormat::JsonLines,
        GenFormat::Csv => OutputFormat::Csv,
        GenFormat::Arrow => OutputFormat::Arrow,
        GenFormat::Parquet => OutputFormat::Parquet,
    };
    let path = |name: &str| out.join(format!("{name}.{}", f.extension()));
    if shape == GenShape::Wide && f == OutputFormat::JsonLines {
        return Err(IoError::Format {
            path: out.to_path_buf(),
            message: "the wide export shape is a table: use --format csv, arrow or parquet".into(),
        });
    }
    if f == OutputFormat::JsonLines {
        write_json_lines(&path("dossiers"), &s.dossiers)?;
        write_json_lines(&path("procedures"), &s.procedures)?;
        write_json_lines(&path("units"), &s.units)?;
        write_json_lines(&path("petitions"), &s.petitions)?;
    } else {
        let dossiers = match shape {
            GenShape::Canonical => tables::dossiers_batch(&s.dossiers)?,
            GenShape::Wide => chiso_io::sample_export::wide_dossiers_batch(&s, seed)?,
        };
        tables::write_batch(&path("dossiers"), &dossiers, f)?;
        tables::write_batch(
            &path("procedures"),
            &tables::procedures_batch(&s.procedures)?,
            f,
        )?;
        tables::write_batch(&path("units"), &tables::units_batch(&s.units)?, f)?;
        tables::write_batch(
            &path("petitions"),
            &tables::petitions_batch(&s.petitions)?,
            f,
        )?;
    }
    if events {
        // Each dossier as the 1-4 sync records that led to its final state, in sync order.
        let stream = chiso::live::lifecycle_stream(&s.dossiers);
        write_json_lines(&out.join("events.jsonl"), &stream)?;
        eprintln!(
            "wrote {} sync records of their lifecycles to {} (replay: chiso watch --dossiers {} --clock data)",
            stream.len(),
            out.join("events.jsonl").display(),
            out.join("events.jsonl").display()
        );
    }
    eprintln!(
        "wrote {} dossiers, {} procedures, {} units, {} petitions to {} as {} (evaluate as of {})",
        s.dossiers.len(),
        s.procedures.len(),
        s.units.len(),
        s.petitions.len(),
        out.display(),
        f.extension(),
        spec.as_of.format("%Y-%m-%dT%H:%M")
    );
    Ok(ExitCode::SUCCESS)
}

/// Lists or prints built-in profiles.
pub fn profile(name: Option<&str>) -> Result<ExitCode> {
    match name {
        None => {
            let mut out = String::new();
            for n in chiso::profile::builtin_names() {
                let p = Profile::builtin(n)?;
                out.push_str(&format!(
                    "{n}\t{}\t{}\n",
                    p.profile.version, p.profile.title
                ));
            }
            emit(None, &out)?;
        }
        Some(n) => {
            Profile::builtin(n)?;
            emit(None, Profile::builtin_text(n).unwrap_or_default())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
