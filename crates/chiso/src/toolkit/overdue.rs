//! Overdue and at-risk lists: open dossiers past their deadline at T ("hồ sơ đang giải quyết quá
//! hạn"), and those due within N working days, oldest first, with who holds them now.

use crate::classify::Progress;
use crate::model::{Dossier, LogReader};
use crate::tally::TallyContext;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
/// How pressing an open dossier is.
pub enum Urgency {
    /// Past the deadline and still open.
    Overdue,
    /// Open and due within the look-ahead.
    AtRisk,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
/// One open dossier overdue or soon due.
pub struct OverdueRow {
    /// Overdue or at risk.
    pub urgency: Urgency,
    /// Dossier id.
    pub dossier_id: String,
    /// Unit code.
    pub unit_code: String,
    /// Procedure code.
    pub procedure_code: String,
    /// The official holding the dossier now: the handler of the last unfinished step of the
    /// process log, when there is one.
    pub holder: Option<String>,
    /// Why the holder is unknown when the process log could not be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_error: Option<String>,
    /// Receipt time.
    pub received_at: Option<NaiveDateTime>,
    /// The deadline it was judged against.
    pub deadline: Option<NaiveDateTime>,
    /// Working days past the deadline (overdue), or left before it (at risk, as a negative number).
    pub working_days_overdue: i64,
}

/// The current holder from the process log (read with `read_log`); `Err` says why the log
/// could not be read.
pub fn current_holder(
    d: &Dossier,
    t: NaiveDateTime,
    read_log: LogReader,
) -> Result<Option<String>, String> {
    Ok(d.steps
        .steps(read_log)?
        .iter()
        .filter(|s| s.started_at.is_none_or(|st| st <= t) && s.ended_at.is_none_or(|e| e > t))
        .max_by_key(|s| s.started_at)
        .map(|s| s.handler.clone())
        .filter(|h| !h.is_empty()))
}

/// Open dossiers overdue at T, and those due within `look_ahead` working days, oldest deadline
/// first. Dossiers outside the period's scope are not listed. Only the listed dossiers' process
/// logs are read (for the holder); one that cannot be read leaves the holder unknown, with why.
pub fn overdue_and_at_risk(
    dossiers: &[Dossier],
    ctx: &TallyContext<'_>,
    look_ahead: u32,
    read_log: LogReader,
) -> Vec<OverdueRow> {
    let t = ctx.evaluated_at();
    let horizon = ctx.calendar.add_working_days_at(t, look_ahead);
    let mut rows: Vec<OverdueRow> = dossiers
        .iter()
        .filter_map(|d| {
            let (_, j) = ctx.classify(d).ok()?;
            let urgency = match j.progress {
                Progress::OpenOverdue => Urgency::Overdue,
                Progress::OpenWithinDeadline if j.deadline.is_some_and(|dl| dl <= horizon) => {
                    Urgency::AtRisk
                }
                _ => return None,
            };
            let days = j.deadline.map_or(0, |dl| {
                ctx.calendar.working_days_between(dl.date(), t.date())
            });
            let (holder, log_error) = match current_holder(d, t, read_log) {
                Ok(h) => (h, None),
                Err(e) => (None, Some(e)),
            };
            Some(OverdueRow {
                urgency,
                dossier_id: d.dossier_id.clone(),
                unit_code: d.unit_code.clone(),
                procedure_code: d.procedure_code.clone(),
                holder,
                log_error,
                received_at: d.received_at,
                deadline: j.deadline,
                working_days_overdue: days,
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        (a.urgency != Urgency::Overdue)
            .cmp(&(b.urgency != Urgency::Overdue))
            .then(a.deadline.cmp(&b.deadline))
            .then(a.dossier_id.cmp(&b.dossier_id))
    });
    rows
}

/// Counts of overdue dossiers by a key (unit, procedure or holder).
pub fn count_by<'a>(
    rows: &'a [OverdueRow],
    key: impl Fn(&'a OverdueRow) -> &'a str,
) -> Vec<(&'a str, usize)> {
    let mut m: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for r in rows.iter().filter(|r| r.urgency == Urgency::Overdue) {
        *m.entry(key(r)).or_insert(0) += 1;
    }
    let mut v: Vec<(&str, usize)> = m.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v
}
