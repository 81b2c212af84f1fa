//! Scoring from Python and the `Scorecard` object: totals, groups, indicators, ranking, and the
//! dossiers behind every number (classified again on demand, from the kept input).

use crate::dossiers::{Dossiers, Reader};
use crate::errors::{Error, Result};
use crate::input::Pending;
use crate::table::{Builder, Push};
use arrow::record_batch::RecordBatch;
use chiso::model::UnitTree;
use chiso::rank::{ranking, RankPolicy};
use chiso::TallyContext;
use chiso::{
    Accounting, Dossier, Options, Period, Petition, Procedure, Profile, Progress,
    Scorecard as CoreCard, Unit, UnitKind, WorkCalendar,
};
use chiso_io::read::records::{Records, Reject};
use chrono::NaiveDateTime;
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

/// Everything needed to score, gathered from Python while holding the GIL.
pub struct Request {
    pub dossiers: Arc<Dossiers>,
    pub procedures: Option<Pending<Procedure>>,
    pub units: Option<Pending<Unit>>,
    pub petitions: Option<Pending<Petition>>,
    pub period: Option<Period>,
    pub as_of: Option<NaiveDateTime>,
    pub profile: Profile,
    pub options: Options,
    pub calendar: &'static chiso_calendar::Calendar,
}

/// A scored run, kept for drill-down. The dossiers stay as they came (Arrow data is converted to
/// records only when a drill-down needs them, see `crate::dossiers`).
pub struct State {
    pub card: CoreCard,
    pub tree: UnitTree,
    pub accounting: Accounting,
    pub rejects: Vec<Reject>,
    pub dossiers: Arc<Dossiers>,
    /// How the dossiers were tallied: the columnar fast path, or the row path.
    pub reader: Reader,
    pub procedures: Vec<Procedure>,
    pub petitions: Vec<Petition>,
    pub profile: Profile,
    pub period: Period,
    pub as_of: NaiveDateTime,
    pub options: Options,
    pub calendar: &'static chiso_calendar::Calendar,
    pub read: u64,
}

/// Scores a request (no Python involved: runs with the GIL released). Arrow dossiers go through
/// the columnar fast path when it accepts them, otherwise (and for records) through the row path;
/// both give the same scorecard and accounting.
pub fn run(req: Request) -> Result<State> {
    let procedures = req.procedures.map(Pending::resolve).unwrap_or_default();
    let units = req.units.map(Pending::resolve);
    let petitions = req.petitions.map(Pending::resolve).unwrap_or_default();
    let (period, as_of) = settle(req.period, req.as_of)?;
    let unit_rows = units.as_ref().map(|u| u.rows.as_slice());
    let ctx = TallyContext::new(
        period.clone(),
        as_of,
        req.options,
        req.profile.limits,
        req.calendar,
        &procedures.rows,
    );
    let routed = req.dossiers.tally(&ctx)?;
    drop(ctx);
    let mut rejects: Vec<Reject> = Vec::new();
    let mut superseded = 0;
    if matches!(routed.reader, Reader::Rows(_)) {
        // Rejected and superseded rows, from the records the row reader read (kept for
        // drill-down); the tally itself is the route's, not built a second time.
        let dossiers = req.dossiers.records()?;
        rejects.extend(dossiers.rejects.iter().cloned());
        superseded = dossiers.superseded.len();
    }
    // The row path's unit tree: the given units plus the unit code of every dossier (excluded
    // ones too) and petition, in order of first appearance.
    let seen = routed.unit_codes.iter().flatten().map(|c| c.trim());
    let tree = chiso::pipeline::tree_of(
        unit_rows,
        seen.chain(petitions.rows.iter().map(|p| p.unit_code.trim())),
    )?;
    let mut run = chiso::pipeline::run_tally(
        routed.tally,
        routed.accounting,
        &procedures.rows,
        Some(tree.units()),
        &petitions.rows,
        period.clone(),
        as_of,
        &req.profile,
        req.options,
        req.calendar,
    )?;
    if superseded > 0 {
        run.accounting.excluded.insert(
            chiso_io::read::records::SUPERSEDED_REASON.to_string(),
            superseded as u64,
        );
    }
    let reader = routed.reader;
    rejects.extend(procedures.rejects);
    if let Some(u) = &units {
        rejects.extend(u.rejects.iter().cloned());
    }
    rejects.extend(petitions.rejects);
    Ok(State::from_run(
        run,
        rejects,
        req.dossiers,
        reader,
        Settings {
            procedures: procedures.rows,
            petitions: petitions.rows,
            profile: req.profile,
            period,
            as_of,
            options: req.options,
            calendar: req.calendar,
        },
    ))
}

/// The period and evaluation time of a request: `as_of` defaults to now (Vietnam time), or the
/// period's end when earlier; the period to the year of `as_of`.
pub fn settle(
    period: Option<Period>,
    as_of: Option<NaiveDateTime>,
) -> Result<(Period, NaiveDateTime)> {
    let as_of = match (as_of, &period) {
        (Some(t), _) => t,
        (None, Some(p)) => p.end_time().min(now_vietnam()),
        (None, None) => now_vietnam(),
    };
    let period = match period {
        Some(p) => p,
        None => chrono::Datelike::year(&as_of).to_string().parse()?,
    };
    Ok((period, as_of))
}

/// What a scored run was computed with and keeps for drill-down.
pub struct Settings {
    pub procedures: Vec<Procedure>,
    pub petitions: Vec<Petition>,
    pub profile: Profile,
    pub period: Period,
    pub as_of: NaiveDateTime,
    pub options: Options,
    pub calendar: &'static chiso_calendar::Calendar,
}

impl State {
    /// The state of a scored run; `read` = scored + excluded + rejected.
    pub fn from_run(
        run: chiso::pipeline::Run,
        rejects: Vec<Reject>,
        dossiers: Arc<Dossiers>,
        reader: Reader,
        s: Settings,
    ) -> Self {
        let chiso::pipeline::Run {
            units: tree,
            accounting,
            scorecard: card,
            ..
        } = run;
        let read = accounting.scored + accounting.excluded_total() + rejects.len() as u64;
        State {
            card,
            tree,
            accounting,
            read,
            rejects,
            dossiers,
            reader,
            procedures: s.procedures,
            petitions: s.petitions,
            profile: s.profile,
            period: s.period,
            as_of: s.as_of,
            options: s.options,
            calendar: s.calendar,
        }
    }

    /// The dossier records, for the features that need them (converted from Arrow on first
    /// use). After the fast path they must be exactly what was tallied: no row rejected or
    /// superseded, or the numbers already given would not be theirs.
    pub fn rows(&self) -> Result<Arc<Records<Dossier>>> {
        if matches!(self.reader, Reader::Tally) {
            return Err(Error::input(
                "this scorecard was scored from a tally (chiso.score_tally): it has no dossiers \
                 to list; use chiso.score on the dossiers for drill-downs",
            ));
        }
        let r = self.dossiers.records()?;
        if matches!(self.reader, Reader::Columnar)
            && (!r.rejects.is_empty() || !r.superseded.is_empty())
        {
            return Err(Error::input(format!(
                "the dossiers' records disagree with the columnar tally ({} rejected, {} \
                 superseded); please report this with the data",
                r.rejects.len(),
                r.superseded.len()
            )));
        }
        Ok(r)
    }
}

/// Now, as Vietnam local time.
pub fn now_vietnam() -> NaiveDateTime {
    (chrono::Utc::now() + chrono::Duration::hours(7)).naive_utc()
}

/// Which dossiers `Scorecard.dossiers(status=…)` lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Filter {
    Progress(&'static [Progress]),
    AtRisk(u32),
    Excluded,
    All,
}

impl Filter {
    pub fn parse(status: &str, risk_days: u32) -> Result<Filter> {
        use Progress::*;
        Ok(match status.trim().to_lowercase().replace(['-', ' '], "_").as_str() {
            "overdue" | "open_overdue" => Filter::Progress(&[OpenOverdue]),
            "late" => Filter::Progress(&[Late]),
            "lost" | "not_on_time" => {
                Filter::Progress(&[Late, OpenOverdue, LateRepeatedSupplement])
            }
            "late_repeated_supplement" => Filter::Progress(&[LateRepeatedSupplement]),
            "no_deadline" => Filter::Progress(&[NoDeadline]),
            "early" => Filter::Progress(&[Early]),
            "on_time" => Filter::Progress(&[Early, OnTime]),
            "open" => Filter::Progress(&[OpenWithinDeadline, OpenOverdue, LateRepeatedSupplement]),
            "within" | "open_within" | "open_within_deadline" => {
                Filter::Progress(&[OpenWithinDeadline])
            }
            "at_risk" => Filter::AtRisk(risk_days),
            "scored" | "counted" => {
                Filter::Progress(&Progress::ALL)
            }
            "excluded" => Filter::Excluded,
            "all" => Filter::All,
            other => {
                return Err(Error::at(
                    format!(
                        "unknown dossier status {other:?} (overdue, late, lost, early, on_time, open, within, at_risk, scored, excluded, all)"
                    ),
                    None,
                    Some("status"),
                ))
            }
        })
    }
}

impl State {
    pub fn root(&self) -> Option<&chiso::UnitScore> {
        self.card.units.iter().find(|u| u.parent.is_none())
    }

    pub fn unit(&self, code: Option<&str>) -> Result<&chiso::UnitScore> {
        match code {
            None => self
                .root()
                .ok_or_else(|| Error::Core(chiso::ChisoError::UnknownUnit("(root)".into()))),
            Some(c) => self
                .card
                .unit(c.trim())
                .ok_or_else(|| Error::Core(chiso::ChisoError::UnknownUnit(c.to_string()))),
        }
    }

    fn units_of(&self, code: Option<&str>) -> Result<Vec<&chiso::UnitScore>> {
        match code {
            None => Ok(self.card.units.iter().collect()),
            Some(_) => Ok(vec![self.unit(code)?]),
        }
    }

    /// One row per unit: totals and group points (the scorecard as a table).
    pub fn table(&self) -> RecordBatch {
        let ranks: BTreeMap<String, u32> = ranking(&self.card, None, RankPolicy::Portal)
            .into_iter()
            .map(|r| (r.unit, r.rank))
            .collect();
        let groups: Vec<String> = self
            .profile
            .groups
            .iter()
            .map(|g| g.code.to_string())
            .collect();
        let mut spec: Vec<(&'static str, &'static str)> = vec![
            ("unit", "str"),
            ("name", "str"),
            ("kind", "str"),
            ("parent", "str"),
            ("rank", "i64"),
            ("total", "f64"),
            ("max", "f64"),
            ("published_total", "f64"),
        ];
        let leaked: Vec<&'static str> = groups.iter().map(|g| intern(g)).collect();
        for g in &leaked {
            spec.push((g, "f64"));
        }
        spec.push(("received", "u64"));
        spec.push(("open_overdue", "u64"));
        let mut b = Builder::new(&spec);
        for u in &self.card.units {
            b.col(0).push(u.unit.as_str());
            b.col(1).push(u.name.as_str());
            b.col(2).push(u.kind.as_str());
            b.col(3).push(u.parent.as_deref());
            b.col(4).push(ranks.get(&u.unit).map(|r| i64::from(*r)));
            b.col(5).push(u.total);
            b.col(6).push(u.max);
            b.col(7).push(u.published_total);
            for (i, g) in groups.iter().enumerate() {
                b.col(8 + i).push(u.group(g).map(|g| g.points));
            }
            b.col(8 + groups.len()).push(u.counts.received);
            b.col(9 + groups.len()).push(u.counts.open_overdue);
        }
        b.finish()
    }

    pub fn groups(&self, unit: Option<&str>) -> Result<RecordBatch> {
        let mut b = Builder::new(&[
            ("unit", "str"),
            ("unit_name", "str"),
            ("group", "str"),
            ("name_vi", "str"),
            ("name_en", "str"),
            ("points", "f64"),
            ("max", "f64"),
            ("lost", "f64"),
            ("published", "f64"),
        ]);
        for u in self.units_of(unit)? {
            for g in &u.groups {
                b.col(0).push(u.unit.as_str());
                b.col(1).push(u.name.as_str());
                b.col(2).push(&*g.code);
                b.col(3).push(&*g.name_vi);
                b.col(4).push(&*g.name_en);
                b.col(5).push(g.points);
                b.col(6).push(g.max);
                b.col(7).push((g.max - g.points).max(0.0));
                b.col(8).push(g.published);
            }
        }
        Ok(b.finish())
    }

    pub fn indicators(&self, unit: Option<&str>) -> Result<RecordBatch> {
        let mut b = Builder::new(&[
            ("unit", "str"),
            ("unit_name", "str"),
            ("id", "str"),
            ("group", "str"),
            ("name_vi", "str"),
            ("name_en", "str"),
            ("numerator", "f64"),
            ("denominator", "f64"),
            ("ratio", "f64"),
            ("value", "f64"),
            ("points", "f64"),
            ("max", "f64"),
            ("lost", "f64"),
            ("rule", "str"),
            ("target", "f64"),
            ("status", "str"),
            ("on_empty", "str"),
            ("notes", "str"),
        ]);
        for u in self.units_of(unit)? {
            for i in &u.indicators {
                b.col(0).push(u.unit.as_str());
                b.col(1).push(u.name.as_str());
                b.col(2).push(&*i.id);
                b.col(3).push(&*i.group);
                b.col(4).push(&*i.name_vi);
                b.col(5).push(&*i.name_en);
                b.col(6).push(i.numerator);
                b.col(7).push(i.denominator);
                b.col(8).push(i.ratio);
                b.col(9).push(i.value);
                b.col(10).push(i.points);
                b.col(11).push(i.max);
                b.col(12).push(i.lost);
                b.col(13).push(enum_text(&i.rule).as_deref());
                b.col(14).push(i.target);
                b.col(15).push(enum_text(&i.status).as_deref());
                b.col(16)
                    .push(i.on_empty.as_ref().and_then(enum_text).as_deref());
                let notes = i.notes.join("; ");
                b.col(17)
                    .push((!notes.is_empty()).then_some(notes.as_str()));
            }
        }
        Ok(b.finish())
    }

    pub fn ranking(&self, kind: Option<&str>, policy: &str) -> Result<RecordBatch> {
        let policy = match policy.trim().to_lowercase().as_str() {
            "portal" => RankPolicy::Portal,
            "competition" | "min" => RankPolicy::Competition,
            "dense" => RankPolicy::Dense,
            other => {
                return Err(Error::at(
                    format!("unknown ranking policy {other:?} (portal, competition, dense)"),
                    None,
                    Some("policy"),
                ))
            }
        };
        let kind = kind.map(UnitKind::new);
        let mut b = Builder::new(&[
            ("rank", "i64"),
            ("unit", "str"),
            ("name", "str"),
            ("kind", "str"),
            ("total", "f64"),
        ]);
        for r in ranking(&self.card, kind.as_ref(), policy) {
            b.col(0).push(Some(i64::from(r.rank)));
            b.col(1).push(r.unit.as_str());
            b.col(2).push(r.name.as_str());
            b.col(3).push(r.kind.as_str());
            b.col(4).push(r.total);
        }
        Ok(b.finish())
    }

    /// The dossiers behind a number: classified again exactly as when scoring.
    pub fn dossiers(&self, filter: Filter, unit: Option<&str>) -> Result<RecordBatch> {
        let wanted: Option<HashSet<String>> = match unit {
            None => None,
            Some(code) => {
                let i = self
                    .tree
                    .index_of(code.trim())
                    .ok_or_else(|| Error::Core(chiso::ChisoError::UnknownUnit(code.to_string())))?;
                Some(
                    self.tree
                        .subtree(i)
                        .into_iter()
                        .map(|j| self.tree.unit(j).code.clone())
                        .collect(),
                )
            }
        };
        let ctx = self.ctx();
        let t = ctx.evaluated_at();
        let frame = ctx.frame();
        let cal: &dyn WorkCalendar = self.calendar;
        // The columns of `chiso score --verdicts`, with the same values, then the unit's name
        // and the official holding the dossier.
        let mut spec: Vec<(&str, &str)> = chiso::verdicts::VERDICT_COLUMNS
            .iter()
            .map(|&c| {
                let ty = match c {
                    "deadline" | "end_at" => "time",
                    "waited_hours" => "f64",
                    "working_days_late" | "channel" => "i64",
                    _ if c == "dossier_id" || c.ends_with("_code") => "str",
                    "period_scope" | "reason" | "class" | "deadline_source" => "str",
                    _ => "bool",
                };
                (c, ty)
            })
            .collect();
        spec.extend([("unit_name", "str"), ("handler", "str")]);
        let mut b = Builder::new(&spec);
        let mut row = |d: &Dossier, v: &chiso::verdicts::RowVerdict| {
            let f = v.fields(frame.t, cal);
            let r = &f.reads;
            b.col(0).push(d.dossier_id.trim());
            b.col(1).push(d.unit_code.trim());
            b.col(2).push(d.procedure_code.trim());
            b.col(3).push(f.period_scope);
            b.col(4).push(f.reason);
            b.col(5).push(f.class);
            b.col(6).push(f.deadline);
            b.col(7).push(f.deadline_source);
            b.col(8).push(f.end_at);
            b.col(9).push(f.waited_hours);
            b.col(10).push(f.working_days_late);
            b.col(11).push(f.channel.map(i64::from));
            let flags = [
                r.synced,
                r.online,
                r.fee,
                r.paid_online,
                r.e_result,
                r.digitised,
                r.reused_data,
                r.personal_store,
                r.population_data,
                r.unsatisfied,
                r.has_petition,
                r.satisfied,
            ];
            for (k, x) in flags.into_iter().enumerate() {
                b.col(12 + k).push(x);
            }
            let n = chiso::verdicts::VERDICT_COLUMNS.len();
            b.col(n)
                .push(self.tree.get(d.unit_code.trim()).map(|u| u.name.as_str()));
            // The log is read only here, for this table; an unreadable one leaves no handler.
            let steps = d.steps.steps(chiso_io::read::read_log).unwrap_or_default();
            let handler = steps
                .iter()
                .rev()
                .find(|s| s.ended_at.is_none() && !s.handler.is_empty())
                .or_else(|| steps.iter().rev().find(|s| !s.handler.is_empty()))
                .map(|s| s.handler.as_str());
            b.col(n + 1).push(handler);
        };
        let dossiers = self.rows()?;
        dossiers.rows.iter().for_each(|d| {
            if let Some(w) = &wanted {
                if !w.contains(d.unit_code.trim()) {
                    return;
                }
            }
            let v = ctx.row_verdict(&frame, d);
            match (v.judged, filter) {
                (_, Filter::All) | (Err(_), Filter::Excluded) => row(d, &v),
                (Ok((_, j)), Filter::Progress(ps)) if ps.contains(&j.progress) => row(d, &v),
                (Ok((_, j)), Filter::AtRisk(days))
                    if j.progress == Progress::OpenWithinDeadline =>
                {
                    let waited = chrono::Duration::milliseconds(j.waited);
                    let horizon = cal.add_working_days_at(t, days) + waited;
                    if chiso::moment::time_of(j.deadline).is_some_and(|dl| dl <= horizon) {
                        row(d, &v);
                    }
                }
                _ => {}
            }
        });
        Ok(b.finish())
    }

    pub fn rejects_table(&self) -> RecordBatch {
        crate::table::rejects_table(&self.rejects)
    }

    pub fn to_json(&self) -> String {
        let v = serde_json::json!({
            "scorecard": self.card,
            "accounting": {
                "read": self.read,
                "scored": self.accounting.scored,
                "excluded": self.accounting.excluded,
                "rejected": self.rejects.len(),
            },
            "rejects": self.rejects,
        });
        serde_json::to_string_pretty(&v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}

/// The serde name of a unit-like enum value (`"linear"`, `"verified"`, …).
fn enum_text<T: serde::Serialize>(v: &T) -> Option<String> {
    match serde_json::to_value(v).ok()? {
        serde_json::Value::String(s) => Some(s),
        other => Some(other.to_string()),
    }
}

/// Group codes are few and fixed per profile; column names need `'static`.
fn intern(s: &str) -> &'static str {
    use std::sync::Mutex;
    static NAMES: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());
    let mut names = match NAMES.lock() {
        Ok(n) => n,
        Err(p) => p.into_inner(),
    };
    if let Some(n) = names.iter().find(|n| **n == s) {
        return n;
    }
    let leaked: &'static str = Box::leak(s.to_string().into_boxed_str());
    names.push(leaked);
    leaked
}
