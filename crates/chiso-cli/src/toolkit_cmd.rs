//! The directive's toolkit from the command line: plan, overdue, reconcile, officials, check.

use crate::calendar_cmd::working_calendar;
use crate::toolkit_tables;
use crate::Format;
use chiso::pipeline::Records;
use chiso::toolkit::{officials, overdue, plan, quality, reconcile};
use chiso::{Dossier, Options, Period, Petition, Procedure, Profile, TallyContext, Unit};
use chiso_io::read::columns::ColumnMap;
use chiso_io::read::records::{read_json_records, Records as Read};
use chiso_io::read::{read_log, rows};
use chiso_io::write::lang::Lang;
use chiso_io::write::text;
use chiso_io::{IoError, Result};
use chrono::{Datelike, NaiveDateTime};
use clap::{Args, Subcommand, ValueEnum};
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Where the records come from and how to judge them.
#[derive(Args, Clone)]
pub struct Inputs {
    #[arg(long)]
    pub dossiers: PathBuf,
    #[arg(long)]
    pub procedures: Option<PathBuf>,
    #[arg(long)]
    pub units: Option<PathBuf>,
    #[arg(long)]
    pub petitions: Option<PathBuf>,
    /// 2026, 2026-Q3, 2026-H1, 2026-09 or 2026-01-01..2026-03-31 (default: the year of --as-of).
    #[arg(long)]
    pub period: Option<String>,
    /// Evaluation moment, Vietnam time (default: now).
    #[arg(long)]
    pub as_of: Option<String>,
    #[arg(long, default_value = "portal-2026")]
    pub profile: String,
    #[arg(long = "option", value_name = "NAME=VALUE")]
    pub options: Vec<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Language of the tables (default: from LC_ALL / LC_MESSAGES / LANG, vi_* → Vietnamese,
    /// else English).
    #[arg(long, value_enum)]
    pub lang: Option<crate::LangArg>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TargetSet {
    /// The directive's: on time ≥ 99.8%, digitised 100%, online payment ≥ 30%, satisfaction ≥ 95%.
    Directive,
    /// Full points under each rule's own threshold.
    Rules,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GroupBy {
    Unit,
    Procedure,
    Holder,
}

#[derive(Subcommand)]
pub enum ToolkitCmd {
    /// Points lost, what it takes to reach each target, actions ranked by points per change.
    Plan {
        #[command(flatten)]
        inputs: Inputs,
        /// The unit to plan for (default: the root).
        #[arg(long)]
        unit: Option<String>,
        #[arg(long, value_enum, default_value_t = TargetSet::Directive)]
        targets: TargetSet,
        /// A TOML file with a [targets] table (indicator id = ratio or percent).
        #[arg(long)]
        targets_file: Option<PathBuf>,
        /// What-if: ACTION or ACTION=N, e.g. pay_online=500, clear_overdue (repeatable).
        #[arg(long = "what-if", value_name = "ACTION[=N]")]
        what_if: Vec<String>,
    },
    /// Open dossiers overdue at the evaluation time, and those due within N working days.
    Overdue {
        #[command(flatten)]
        inputs: Inputs,
        #[arg(long, default_value_t = 3)]
        within: u32,
        #[arg(long, value_enum)]
        by: Option<GroupBy>,
    },
    /// Compare received/resolved counts of two sources, with ids in one only and the effect on 1.4.
    Reconcile {
        #[command(flatten)]
        inputs: Inputs,
        /// The other source: a dossier file, or counts (JSON Lines of unit_code, received, resolved).
        #[arg(long)]
        against: PathBuf,
    },
    /// Per-official figures from the process log (steps, late steps, dossiers made late).
    Officials {
        #[command(flatten)]
        inputs: Inputs,
    },
    /// Data-quality report: missing or impossible dates, unknown codes, duplicates.
    Check {
        #[command(flatten)]
        inputs: Inputs,
    },
}

/// Reads any supported file (CSV, Excel, JSON/JSONL, Arrow IPC, Parquet) with the automatic
/// column mapping, reporting rejected rows on stderr.
fn read<T>(path: &Path, reader: fn(&Path, &ColumnMap) -> Result<Read<T>>) -> Result<Vec<T>> {
    let r = reader(path, &ColumnMap::new())?;
    if let Some(bad) = r.rejects.first() {
        eprintln!(
            "chiso: {} record(s) of {} rejected; first: row {}: {}",
            r.rejects.len(),
            path.display(),
            bad.row,
            bad.message
        );
    }
    Ok(r.rows)
}

struct Loaded {
    dossiers: Vec<Dossier>,
    procedures: Vec<Procedure>,
    units: Option<Vec<Unit>>,
    petitions: Vec<Petition>,
    period: Period,
    as_of: NaiveDateTime,
    profile: Profile,
    options: Options,
}

impl Loaded {
    fn records(&self) -> Records<'_> {
        Records {
            dossiers: &self.dossiers,
            procedures: &self.procedures,
            units: self.units.as_deref(),
            petitions: &self.petitions,
        }
    }
}

fn load(i: &Inputs) -> Result<Loaded> {
    let profile = chiso_io::profiles::load_profile(&i.profile)?;
    let mut options = profile.options;
    for kv in &i.options {
        let (k, v) = kv.split_once('=').ok_or_else(|| {
            IoError::Core(chiso::ChisoError::Value {
                field: "option".into(),
                message: format!("{kv:?} is not NAME=VALUE"),
            })
        })?;
        options = options.with(k.trim(), v.trim())?;
    }
    let as_of = crate::commands::parse_as_of(i.as_of.as_deref())?;
    let period = match &i.period {
        Some(p) => p.parse()?,
        None => format!("{}", as_of.year()).parse()?,
    };
    Ok(Loaded {
        dossiers: read(&i.dossiers, rows::read_dossiers)?,
        procedures: match &i.procedures {
            Some(p) => read(p, rows::read_procedures)?,
            None => Vec::new(),
        },
        units: match &i.units {
            Some(p) => Some(read(p, rows::read_units)?),
            None => None,
        },
        petitions: match &i.petitions {
            Some(p) => read(p, rows::read_petitions)?,
            None => Vec::new(),
        },
        period,
        as_of,
        profile,
        options,
    })
}

/// Standard output, checked: a full disk is an error, a closed pipe is not.
fn print(text: &str) -> Result<()> {
    chiso_io::write::output::write_stdout(text.as_bytes())
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

pub fn run(cmd: ToolkitCmd) -> Result<ExitCode> {
    let cal = working_calendar(None)?;
    match cmd {
        ToolkitCmd::Plan {
            inputs,
            unit,
            targets,
            targets_file,
            what_if,
        } => {
            let l = load(&inputs)?;
            let tree = chiso::pipeline::unit_tree(&l.records())?;
            let unit = match unit {
                Some(u) => u,
                None => tree
                    .roots()
                    .next()
                    .map(|i| tree.unit(i).code.clone())
                    .unwrap_or_default(),
            };
            let input = plan::PlanInput {
                records: l.records(),
                period: &l.period,
                as_of: l.as_of,
                profile: &l.profile,
                options: l.options,
                calendar: &cal,
                unit: &unit,
            };
            let set = match (&targets_file, targets) {
                (Some(p), _) => {
                    plan::parse_targets(&chiso_io::error::read_text(p)?, &p.display().to_string())?
                }
                (None, TargetSet::Directive) => plan::directive_targets(),
                (None, TargetSet::Rules) => plan::rule_targets(&l.profile, &l.options),
            };
            let p = plan::plan(&input, &set)?;
            let changes: Vec<plan::Change> = what_if
                .iter()
                .map(|s| s.parse::<plan::Change>().map_err(IoError::from))
                .collect::<Result<_>>()?;
            let w = if changes.is_empty() {
                None
            } else {
                Some(plan::what_if(&input, &changes)?)
            };
            if inputs.format == Format::Json {
                print(&json(&serde_json::json!({ "plan": p, "what_if": w })))?;
            } else {
                print(&render_plan(
                    &p,
                    w.as_ref(),
                    crate::report_lang(inputs.lang),
                ))?;
            }
        }
        ToolkitCmd::Overdue { inputs, within, by } => {
            let l = load(&inputs)?;
            let ctx = TallyContext::new(
                l.period.clone(),
                l.as_of,
                l.options,
                l.profile.limits,
                &cal,
                &l.procedures,
            );
            let rows = overdue::overdue_and_at_risk(&l.dossiers, &ctx, within, read_log);
            if inputs.format == Format::Json {
                print(&json(&rows))?;
            } else {
                print(&render_overdue(
                    &rows,
                    by,
                    within,
                    crate::report_lang(inputs.lang),
                ))?;
            }
        }
        ToolkitCmd::Reconcile { inputs, against } => {
            let l = load(&inputs)?;
            // The other source is a dossier file unless its records look like counts.
            let counts = read_json_records::<reconcile::ReportedCount>(&against)?;
            let others;
            let b = if counts.rejects.is_empty() && !counts.rows.is_empty() {
                reconcile::Source::Counts(&counts.rows)
            } else {
                others = read(&against, rows::read_dossiers)?;
                reconcile::Source::Dossiers(&others)
            };
            let rows = reconcile::reconcile(
                reconcile::Source::Dossiers(&l.dossiers),
                b,
                &l.period,
                l.as_of,
                &l.profile,
            );
            if inputs.format == Format::Json {
                print(&json(&rows))?;
            } else {
                let lang = crate::report_lang(inputs.lang);
                print(&toolkit_tables::render_reconcile(&rows, lang))?;
            }
        }
        ToolkitCmd::Officials { inputs } => {
            let l = load(&inputs)?;
            let ctx = TallyContext::new(
                l.period.clone(),
                l.as_of,
                l.options,
                l.profile.limits,
                &cal,
                &l.procedures,
            );
            let r = officials::officials(&l.dossiers, &ctx, read_log);
            if inputs.format == Format::Json {
                print(&json(&r))?;
            } else {
                let lang = crate::report_lang(inputs.lang);
                print(&toolkit_tables::render_officials(&r, lang))?;
            }
        }
        ToolkitCmd::Check { inputs } => {
            let l = load(&inputs)?;
            let rows = quality::check(
                &l.dossiers,
                &l.procedures,
                l.units.as_deref().unwrap_or(&[]),
                read_log,
            );
            if inputs.format == Format::Json {
                print(&json(
                    &serde_json::json!({ "totals": quality::totals(&rows), "rows": rows }),
                ))?;
            } else {
                let lang = crate::report_lang(inputs.lang);
                let w = lang.words();
                let mut out = format!(
                    "{} {} {}\n",
                    w.data_quality_of,
                    lang.number(l.dossiers.len() as f64, 0),
                    w.dossiers
                );
                for (rule, n) in quality::totals(&rows) {
                    let _ = writeln!(
                        out,
                        "  {:>7}  {}",
                        lang.number(n as f64, 0),
                        lang.quality_rule(rule)
                    );
                }
                let _ = writeln!(out, "\n{}", w.by_unit_samples);
                for r in &rows {
                    let _ = writeln!(
                        out,
                        "  {:<14} {:>6}  {} {}",
                        r.unit_code,
                        lang.number(r.count as f64, 0),
                        text::trunc(lang.quality_rule(r.rule), 48),
                        r.samples.join(", ")
                    );
                }
                print(&out)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The overdue list (or counts by unit, procedure or holder) in a language.
fn render_overdue(
    rows: &[overdue::OverdueRow],
    by: Option<GroupBy>,
    within: u32,
    lang: Lang,
) -> String {
    let w = lang.words();
    if let Some(by) = by {
        let counts = overdue::count_by(rows, |r| match by {
            GroupBy::Unit => r.unit_code.as_str(),
            GroupBy::Procedure => r.procedure_code.as_str(),
            GroupBy::Holder => r.holder.as_deref().unwrap_or(if r.log_error.is_some() {
                w.log_unreadable
            } else {
                w.no_process_log
            }),
        });
        let mut out = format!("{}\n", w.overdue_in_progress);
        for (k, n) in counts {
            let _ = writeln!(out, "  {:>6}  {k}", lang.number(n as f64, 0));
        }
        if by == GroupBy::Holder {
            toolkit_tables::unreadable_lines(
                &mut out,
                lang,
                rows.iter().filter_map(|r| {
                    let e = r.log_error.as_deref()?;
                    (r.urgency == overdue::Urgency::Overdue).then_some((
                        r.dossier_id.as_str(),
                        r.unit_code.as_str(),
                        e,
                    ))
                }),
            );
        }
        return out;
    }
    let n_over = rows
        .iter()
        .filter(|r| r.urgency == overdue::Urgency::Overdue)
        .count();
    let mut out = format!(
        "{} {}, {} {} {within} {}\n",
        lang.number(n_over as f64, 0),
        w.overdue_in_progress,
        lang.number((rows.len() - n_over) as f64, 0),
        w.due_within,
        w.working_days
    );
    let _ = writeln!(
        out,
        "{:<11} {} {} {} {} {:>6}  {}",
        "",
        text::trunc(w.dossier, 28),
        text::trunc(w.unit, 12),
        text::trunc(w.procedure, 14),
        text::trunc(w.deadline, 16),
        w.wdays,
        w.holder
    );
    for r in rows {
        let urgency = match r.urgency {
            overdue::Urgency::Overdue => w.overdue,
            _ => w.at_risk,
        };
        let _ = writeln!(
            out,
            "{} {:<28} {:<12} {:<14} {:<16} {:>6}  {}",
            text::trunc(urgency, 11),
            r.dossier_id,
            r.unit_code,
            r.procedure_code,
            r.deadline.map(|d| lang.moment(d)).unwrap_or_default(),
            r.working_days_overdue,
            r.holder.as_deref().unwrap_or("")
        );
    }
    out
}

fn render_plan(p: &plan::Plan, wi: Option<&plan::WhatIf>, lang: Lang) -> String {
    let w = lang.words();
    let num = |x: f64, d: usize| lang.number(x, d);
    let mut out = format!(
        "{} {} — {} {}\n\n{}\n",
        w.plan_for,
        p.unit,
        w.total.to_lowercase(),
        num(p.total, 2),
        w.points_lost
    );
    for (id, lost) in &p.losses {
        let _ = writeln!(out, "  {id:<5} -{}", num(*lost, 2));
    }
    let _ = writeln!(out, "\n{}", w.steps_to_targets);
    let _ = writeln!(
        out,
        "  {:<5} {:<24} {:>8} {:>8} {:>10} {:>10} {:>9} {:>10}",
        w.id, w.action, w.now, w.target, w.changes, w.of, w.gain, w.per_1000
    );
    for s in &p.steps {
        let gain = num(s.total_gain, 2);
        let _ = writeln!(
            out,
            "  {:<5} {:<24} {:>8} {:>8} {:>10} {:>10} {:>9} {:>10}{}",
            s.indicator,
            format!("{:?}", s.action),
            lang.percent(s.ratio_now.unwrap_or(0.0)),
            lang.percent(s.target.ratio),
            num(s.changes_needed as f64, 0),
            format!("{:?}", s.change_unit).to_lowercase(),
            if s.total_gain >= 0.0 {
                format!("+{gain}")
            } else {
                gain
            },
            num(1000.0 * s.gain_per_change, 3),
            if s.reachable {
                String::new()
            } else {
                format!("  ({})", w.not_reachable)
            }
        );
    }
    if let Some(wi) = wi {
        let _ = writeln!(out, "\n{}", w.what_if);
        for (a, ids) in &wi.changed {
            let _ = writeln!(
                out,
                "  {a:?}: {} {}",
                num(ids.len() as f64, 0),
                w.records_changed
            );
        }
        let _ = writeln!(out, "  {:<6} {:>8} {:>8}", w.group, w.before, w.after);
        for (b, a) in wi.before.groups.iter().zip(&wi.after.groups) {
            let _ = writeln!(
                out,
                "  {:<6} {:>8} {:>8}",
                b.code,
                num(b.points, 2),
                num(a.points, 2)
            );
        }
        let _ = writeln!(
            out,
            "  {:<6} {:>8} {:>8}",
            w.total.to_lowercase(),
            num(wi.before.total, 2),
            num(wi.after.total, 2)
        );
    }
    out
}
