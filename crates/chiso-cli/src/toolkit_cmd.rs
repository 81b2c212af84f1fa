//! The directive's toolkit from the command line: plan, overdue, reconcile, officials, check.

use crate::calendar_cmd::working_calendar;
use crate::Format;
use chiso::pipeline::Records;
use chiso::toolkit::{officials, overdue, plan, quality, reconcile};
use chiso::{Dossier, Options, Period, Petition, Procedure, Profile, TallyContext, Unit};
use chiso_io::read::columns::ColumnMap;
use chiso_io::read::records::{read_json_records, Records as Read};
use chiso_io::read::rows;
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

fn print(text: &str) {
    use std::io::Write as _;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
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
                print(&json(&serde_json::json!({ "plan": p, "what_if": w })));
            } else {
                print(&render_plan(&p, w.as_ref()));
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
            let rows = overdue::overdue_and_at_risk(&l.dossiers, &ctx, within);
            if inputs.format == Format::Json {
                print(&json(&rows));
            } else if let Some(by) = by {
                let counts = overdue::count_by(&rows, |r| match by {
                    GroupBy::Unit => r.unit_code.as_str(),
                    GroupBy::Procedure => r.procedure_code.as_str(),
                    GroupBy::Holder => r.holder.as_deref().unwrap_or("(no process log)"),
                });
                let mut out = String::from("overdue in progress\n");
                for (k, n) in counts {
                    let _ = writeln!(out, "  {n:>6}  {k}");
                }
                print(&out);
            } else {
                let n_over = rows
                    .iter()
                    .filter(|r| r.urgency == overdue::Urgency::Overdue)
                    .count();
                let mut out = format!(
                    "{n_over} dossiers overdue in progress, {} due within {within} working days\n",
                    rows.len() - n_over
                );
                let _ = writeln!(
                    out,
                    "{:<8} {:<28} {:<12} {:<14} {:<16} {:>6}  holder",
                    "", "dossier", "unit", "procedure", "deadline", "w.days"
                );
                for r in &rows {
                    let _ = writeln!(
                        out,
                        "{:<8} {:<28} {:<12} {:<14} {:<16} {:>6}  {}",
                        format!("{:?}", r.urgency).to_lowercase(),
                        r.dossier_id,
                        r.unit_code,
                        r.procedure_code,
                        r.deadline
                            .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
                            .unwrap_or_default(),
                        r.working_days_overdue,
                        r.holder.as_deref().unwrap_or("")
                    );
                }
                print(&out);
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
                print(&json(&rows));
            } else {
                let mut out = format!(
                    "{:<14} {:>9} {:>9} {:>7} {:>9} {:>9} {:>7} {:>6} {:>6}\n",
                    "unit", "recv A", "recv B", "diff", "done A", "done B", "diff", "1.4", "lost"
                );
                for r in &rows {
                    let _ = writeln!(
                        out,
                        "{:<14} {:>9} {:>9} {:>7} {:>9} {:>9} {:>7} {:>6.2} {:>6.2}{}",
                        r.unit_code,
                        r.received_a,
                        r.received_b,
                        r.received_diff,
                        r.resolved_a,
                        r.resolved_b,
                        r.resolved_diff,
                        r.sync_points,
                        r.sync_points_lost,
                        if r.only_in_a.is_empty() && r.only_in_b.is_empty() {
                            String::new()
                        } else {
                            format!(
                                "  only in A: {}, only in B: {}",
                                r.only_in_a.len(),
                                r.only_in_b.len()
                            )
                        }
                    );
                }
                print(&out);
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
            let r = officials::officials(&l.dossiers, &ctx);
            if inputs.format == Format::Json {
                print(&json(&r));
            } else {
                let mut out = format!(
                    "{:<16} {:<14} {:>7} {:>7} {:>10} {:>8}\n",
                    "official", "unit", "steps", "late", "made late", "median"
                );
                for o in &r.officials {
                    let _ = writeln!(
                        out,
                        "{:<16} {:<14} {:>7} {:>7} {:>10} {:>8}",
                        o.official,
                        o.unit_code,
                        o.steps,
                        o.steps_late,
                        o.dossiers_made_late,
                        o.median_working_days
                            .map(|m| format!("{m:.1}"))
                            .unwrap_or_else(|| "—".into())
                    );
                }
                for u in &r.units {
                    let _ = writeln!(out, "unit {}: {} steps, {} late; {} late dossiers, {} without a late step to attribute", u.unit_code, u.steps, u.steps_late, u.late_dossiers, u.unattributed_late);
                }
                print(&out);
            }
        }
        ToolkitCmd::Check { inputs } => {
            let l = load(&inputs)?;
            let rows = quality::check(
                &l.dossiers,
                &l.procedures,
                l.units.as_deref().unwrap_or(&[]),
            );
            if inputs.format == Format::Json {
                print(&json(
                    &serde_json::json!({ "totals": quality::totals(&rows), "rows": rows }),
                ));
            } else {
                let mut out = format!("data quality of {} dossiers\n", l.dossiers.len());
                for (rule, n) in quality::totals(&rows) {
                    let _ = writeln!(out, "  {n:>7}  {}", rule.describe());
                }
                out.push_str("\nby unit (sample ids)\n");
                for r in &rows {
                    let _ = writeln!(
                        out,
                        "  {:<14} {:>6}  {:<48} {}",
                        r.unit_code,
                        r.count,
                        r.description,
                        r.samples.join(", ")
                    );
                }
                print(&out);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn render_plan(p: &plan::Plan, w: Option<&plan::WhatIf>) -> String {
    let mut out = format!(
        "plan for {} — total {:.2}\n\npoints lost\n",
        p.unit, p.total
    );
    for (id, lost) in &p.losses {
        let _ = writeln!(out, "  {id:<5} -{lost:.2}");
    }
    out.push_str("\nsteps to the targets, best points per change first\n");
    let _ = writeln!(
        out,
        "  {:<5} {:<24} {:>8} {:>8} {:>10} {:>10} {:>9} {:>10}",
        "id", "action", "now", "target", "changes", "of", "gain", "per 1000"
    );
    for s in &p.steps {
        let _ = writeln!(
            out,
            "  {:<5} {:<24} {:>7.2}% {:>7.2}% {:>10} {:>10} {:>+9.2} {:>10.3}{}",
            s.indicator,
            format!("{:?}", s.action),
            100.0 * s.ratio_now.unwrap_or(0.0),
            100.0 * s.target.ratio,
            s.changes_needed,
            format!("{:?}", s.change_unit).to_lowercase(),
            s.total_gain,
            1000.0 * s.gain_per_change,
            if s.reachable {
                ""
            } else {
                "  (not reachable: too few records can change)"
            }
        );
    }
    if let Some(w) = w {
        out.push_str("\nwhat if\n");
        for (a, ids) in &w.changed {
            let _ = writeln!(out, "  {a:?}: {} records changed", ids.len());
        }
        let _ = writeln!(out, "  {:<6} {:>8} {:>8}", "group", "before", "after");
        for (b, a) in w.before.groups.iter().zip(&w.after.groups) {
            let _ = writeln!(out, "  {:<6} {:>8.2} {:>8.2}", b.code, b.points, a.points);
        }
        let _ = writeln!(
            out,
            "  {:<6} {:>8.2} {:>8.2}",
            "total", w.before.total, w.after.total
        );
    }
    out
}
