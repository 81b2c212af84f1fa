//! The directive's toolkit on a scored run: planner, overdue lists, per-official figures, the
//! data-quality report, and reconciliation of two sources — each returned as a table.

use crate::card::State;
use crate::errors::{Error, Result};
use crate::table::{Builder, Push};
use arrow::record_batch::RecordBatch;
use chiso::pipeline::Records;
use chiso::tally::TallyContext;
use chiso::toolkit::{officials, overdue, plan, quality, reconcile};
use chiso::Dossier;
use chiso_io::read::read_log;

/// Which targets a plan aims at.
pub enum Targets {
    Directive,
    Rules,
    /// TOML text with a `[targets]` table, and where it came from.
    Toml(String, String),
}

/// A plan as tables: losses, steps, and the what-if comparison.
pub struct PlanTables {
    pub total: f64,
    pub losses: RecordBatch,
    pub steps: RecordBatch,
    pub what_if: Option<RecordBatch>,
}

impl State {
    pub(crate) fn ctx(&self) -> TallyContext<'_> {
        TallyContext::new(
            self.period.clone(),
            self.as_of,
            self.options,
            self.profile.limits,
            self.calendar,
            &self.procedures,
        )
    }

    fn records<'s>(&'s self, dossiers: &'s [Dossier]) -> Records<'s> {
        Records {
            dossiers,
            procedures: &self.procedures,
            units: Some(self.tree.units()),
            petitions: &self.petitions,
        }
    }

    /// The planner for a unit (the root by default).
    pub fn plan(
        &self,
        unit: Option<&str>,
        targets: &Targets,
        what_if: &[String],
    ) -> Result<PlanTables> {
        let unit = match unit {
            Some(u) => u.to_string(),
            None => self.root().map(|u| u.unit.clone()).unwrap_or_default(),
        };
        let dossiers = self.rows()?;
        let input = plan::PlanInput {
            records: self.records(&dossiers.rows),
            period: &self.period,
            as_of: self.as_of,
            profile: &self.profile,
            options: self.options,
            calendar: self.calendar,
            unit: &unit,
        };
        let set = match targets {
            Targets::Directive => plan::directive_targets(),
            Targets::Rules => plan::rule_targets(&self.profile, &self.options),
            Targets::Toml(text, source) => plan::parse_targets(text, source)?,
        };
        let p = plan::plan(&input, &set)?;
        let mut losses = Builder::new(&[("indicator", "str"), ("points_lost", "f64")]);
        for (id, lost) in &p.losses {
            losses.col(0).push(id.as_str());
            losses.col(1).push(*lost);
        }
        let mut steps = Builder::new(&[
            ("indicator", "str"),
            ("name", "str"),
            ("action", "str"),
            ("changes", "str"),
            ("target_source", "str"),
            ("ratio_now", "f64"),
            ("target", "f64"),
            ("changes_needed", "u64"),
            ("reachable", "bool"),
            ("points_now", "f64"),
            ("points_after", "f64"),
            ("max", "f64"),
            ("total_gain", "f64"),
            ("gain_per_change", "f64"),
        ]);
        for s in &p.steps {
            let name = |v: &dyn erased::Named| v.named();
            steps.col(0).push(s.indicator.as_str());
            steps.col(1).push(s.name_en.as_str());
            steps.col(2).push(name(&s.action).as_str());
            steps.col(3).push(name(&s.change_unit).as_str());
            steps.col(4).push(name(&s.target.source).as_str());
            steps.col(5).push(s.ratio_now);
            steps.col(6).push(s.target.ratio);
            steps.col(7).push(s.changes_needed as u64);
            steps.col(8).push(s.reachable);
            steps.col(9).push(s.points_now);
            steps.col(10).push(s.points_after);
            steps.col(11).push(s.max);
            steps.col(12).push(s.total_gain);
            steps.col(13).push(s.gain_per_change);
        }
        let what_if = if what_if.is_empty() {
            None
        } else {
            let changes = what_if
                .iter()
                .map(|w| w.parse::<plan::Change>().map_err(Error::from))
                .collect::<Result<Vec<_>>>()?;
            let w = plan::what_if(&input, &changes)?;
            let mut b = Builder::new(&[
                ("group", "str"),
                ("before", "f64"),
                ("after", "f64"),
                ("change", "f64"),
            ]);
            let rows = w
                .before
                .groups
                .iter()
                .zip(&w.after.groups)
                .map(|(x, y)| (&*x.code, x.points, y.points));
            for (code, before, after) in
                rows.chain(std::iter::once(("total", w.before.total, w.after.total)))
            {
                b.col(0).push(code);
                b.col(1).push(before);
                b.col(2).push(after);
                b.col(3).push(after - before);
            }
            Some(b.finish())
        };
        Ok(PlanTables {
            total: p.total,
            losses: losses.finish(),
            steps: steps.finish(),
            what_if,
        })
    }

    /// Open dossiers overdue at the evaluation time, and those due within `within` working days.
    pub fn overdue(&self, within: u32) -> Result<RecordBatch> {
        let dossiers = self.rows()?;
        let rows = overdue::overdue_and_at_risk(&dossiers.rows, &self.ctx(), within, read_log);
        let mut b = Builder::new(&[
            ("urgency", "str"),
            ("dossier_id", "str"),
            ("unit_code", "str"),
            ("procedure_code", "str"),
            ("holder", "str"),
            ("received_at", "time"),
            ("deadline", "time"),
            ("working_days_overdue", "i64"),
            ("log_error", "str"),
        ]);
        for r in rows {
            b.col(0).push(if r.urgency == overdue::Urgency::Overdue {
                "overdue"
            } else {
                "at_risk"
            });
            b.col(1).push(r.dossier_id.as_str());
            b.col(2).push(r.unit_code.as_str());
            b.col(3).push(r.procedure_code.as_str());
            b.col(4).push(r.holder.as_deref());
            b.col(5).push(r.received_at);
            b.col(6).push(r.deadline);
            b.col(7).push(Some(r.working_days_overdue));
            b.col(8).push(r.log_error.as_deref());
        }
        Ok(b.finish())
    }

    /// Per-official figures from the process log, and the unit totals they add up to.
    pub fn officials(&self) -> Result<(RecordBatch, RecordBatch)> {
        let dossiers = self.rows()?;
        let r = officials::officials(&dossiers.rows, &self.ctx(), read_log);
        let mut b = Builder::new(&[
            ("official", "str"),
            ("unit_code", "str"),
            ("steps", "u64"),
            ("steps_late", "u64"),
            ("dossiers_made_late", "u64"),
            ("median_working_days", "f64"),
            ("made_late_dossiers", "str"),
        ]);
        for o in &r.officials {
            b.col(0).push(o.official.as_str());
            b.col(1).push(o.unit_code.as_str());
            b.col(2).push(o.steps);
            b.col(3).push(o.steps_late);
            b.col(4).push(o.dossiers_made_late);
            b.col(5).push(o.median_working_days);
            b.col(6).push(o.made_late_dossiers.join(" ").as_str());
        }
        let mut u = Builder::new(&[
            ("unit_code", "str"),
            ("steps", "u64"),
            ("steps_late", "u64"),
            ("late_dossiers", "u64"),
            ("unattributed_late", "u64"),
            ("unreadable_log_dossiers", "str"),
        ]);
        for t in &r.units {
            let unreadable: Vec<&str> = r
                .unreadable_logs
                .iter()
                .filter(|l| l.unit_code == t.unit_code)
                .map(|l| l.dossier_id.as_str())
                .collect();
            u.col(0).push(t.unit_code.as_str());
            u.col(1).push(t.steps);
            u.col(2).push(t.steps_late);
            u.col(3).push(t.late_dossiers);
            u.col(4).push(t.unattributed_late);
            u.col(5).push(unreadable.join(" ").as_str());
        }
        Ok((b.finish(), u.finish()))
    }

    /// The data-quality report: counts per unit and rule, with sample dossier ids.
    pub fn check(&self) -> Result<RecordBatch> {
        let dossiers = self.rows()?;
        let rows = quality::check(
            &dossiers.rows,
            &self.procedures,
            self.tree.units(),
            read_log,
        );
        let mut b = Builder::new(&[
            ("unit_code", "str"),
            ("rule", "str"),
            ("description", "str"),
            ("count", "u64"),
            ("samples", "str"),
        ]);
        for r in rows {
            b.col(0).push(r.unit_code.as_str());
            b.col(1).push(erased::Named::named(&r.rule).as_str());
            b.col(2).push(r.description.as_str());
            b.col(3).push(r.count);
            b.col(4).push(r.samples.join(" ").as_str());
        }
        Ok(b.finish())
    }

    /// Reconciles this run's dossiers with another source.
    pub fn reconcile(&self, other: Other<'_>) -> Result<RecordBatch> {
        let dossiers = self.rows()?;
        let b_src = match other {
            Other::Dossiers(d) => reconcile::Source::Dossiers(d),
            Other::Counts(c) => reconcile::Source::Counts(c),
        };
        let rows = reconcile::reconcile(
            reconcile::Source::Dossiers(&dossiers.rows),
            b_src,
            &self.period,
            self.as_of,
            &self.profile,
        );
        let mut b = Builder::new(&[
            ("unit_code", "str"),
            ("received_a", "u64"),
            ("received_b", "u64"),
            ("received_diff", "i64"),
            ("resolved_a", "u64"),
            ("resolved_b", "u64"),
            ("resolved_diff", "i64"),
            ("only_in_a", "str"),
            ("only_in_b", "str"),
            ("sync_ratio", "f64"),
            ("sync_points", "f64"),
            ("sync_points_lost", "f64"),
        ]);
        for r in rows {
            b.col(0).push(r.unit_code.as_str());
            b.col(1).push(r.received_a);
            b.col(2).push(r.received_b);
            b.col(3).push(Some(r.received_diff));
            b.col(4).push(r.resolved_a);
            b.col(5).push(r.resolved_b);
            b.col(6).push(Some(r.resolved_diff));
            b.col(7).push(r.only_in_a.join(" ").as_str());
            b.col(8).push(r.only_in_b.join(" ").as_str());
            b.col(9).push(r.sync_ratio);
            b.col(10).push(r.sync_points);
            b.col(11).push(r.sync_points_lost);
        }
        Ok(b.finish())
    }
}

/// The other side of a reconciliation.
pub enum Other<'a> {
    Dossiers(&'a [Dossier]),
    Counts(&'a [reconcile::ReportedCount]),
}

mod erased {
    //! The snake_case name serde gives an enum value.
    pub trait Named {
        fn named(&self) -> String;
    }
    impl<T: serde::Serialize> Named for T {
        fn named(&self) -> String {
            match serde_json::to_value(self) {
                Ok(serde_json::Value::String(s)) => s,
                Ok(v) => v.to_string(),
                Err(_) => String::new(),
            }
        }
    }
}
