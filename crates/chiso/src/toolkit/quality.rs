//! The data-quality report: what is missing, impossible or inconsistent in the records — counts
//! per unit and rule with sample rows, so a data team can fix the source before leadership sees
//! a wrong score. Records the rules leave out of an indicator (INDICATORS.md §6.2–6.4) are
//! listed here, so that nothing is dropped silently.

use crate::model::{Channel, Dossier, LogReader, OnlineLevel, Procedure, Status, Unit, UnitTree};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// One data-quality rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// No receipt time, with a received status or none.
    MissingReceiptDate,
    /// Received without a due date.
    MissingDueDate,
    /// Finished or returned before it was received.
    EndBeforeReceipt,
    /// Due before it was received.
    DueBeforeReceipt,
    /// A finished/returned status without an end time, or an end time with an open status.
    StatusContradictsDates,
    /// Procedure code not in the catalogue.
    UnknownProcedure,
    /// Unit code not in the unit list.
    UnknownUnit,
    /// The same dossier id more than once.
    DuplicateDossierId,
    /// Received online for a procedure the catalogue does not offer online.
    OnlineNotOffered,
    /// An electronic-result flag on a procedure that issues no paper result.
    EResultWithoutPaperResult,
    /// A dossier of a catalogue procedure that the catalogue does not assign to its unit (by
    /// its implementing-units list, else by level): it adds nothing to 3.1, 3.2, 3.5a, 3.5b or
    /// 4.5a (§6.4).
    ProcedureNotAssignedToUnit,
    /// A procedure with a publication decision (QĐCB) date but no legal-basis effective date:
    /// left out of 1.1 (§6.2). Counted per procedure, under [`CATALOGUE`].
    NoEffectiveDate,
    /// A procedure made public without a publication decision date: left out of 1.2 (§6.3).
    PublicWithoutDecisionDate,
    /// Received with neither a due date nor a statutory time for its procedure: 2.1 cannot
    /// judge it and leaves it out (DATA-MODEL.md §3 step 5).
    NoDeadline,
    /// A non-zero fee on a procedure the catalogue marks fee-free: 3.6 counts the dossier (the
    /// fee lines decide), but one of the two sources is wrong.
    FeeOnFeeFreeProcedure,
    /// A process log that cannot be read: the dossier is scored, but per-official figures and
    /// the overdue list's holder leave it out (DATA-MODEL.md §1).
    UnreadableProcessLog,
}

/// The unit code under which catalogue-level findings are listed.
pub const CATALOGUE: &str = "(catalogue)";

impl Rule {
    /// A short English description (reports in Vietnamese use the terms table).
    pub fn describe(self) -> &'static str {
        match self {
            Rule::MissingReceiptDate => "missing receipt date",
            Rule::MissingDueDate => "missing due date",
            Rule::EndBeforeReceipt => "end of processing before receipt",
            Rule::DueBeforeReceipt => "due date before receipt",
            Rule::StatusContradictsDates => "status contradicts the dates",
            Rule::UnknownProcedure => "procedure not in the catalogue",
            Rule::UnknownUnit => "unit not in the unit list",
            Rule::DuplicateDossierId => "duplicate dossier id",
            Rule::OnlineNotOffered => "online dossier of a procedure not offered online",
            Rule::EResultWithoutPaperResult => "e-result flag on a procedure with no paper result",
            Rule::ProcedureNotAssignedToUnit => {
                "dossier of a procedure the catalogue does not assign to its unit"
            }
            Rule::NoEffectiveDate => {
                "procedure (QĐCB) without legal-basis effective date (not in 1.1)"
            }
            Rule::PublicWithoutDecisionDate => {
                "procedure made public without QĐCB date (not in 1.2)"
            }
            Rule::NoDeadline => "no deadline (no due date, no statutory time): left out of 2.1",
            Rule::FeeOnFeeFreeProcedure => "fee on a procedure the catalogue marks fee-free",
            Rule::UnreadableProcessLog => {
                "process log that cannot be read (scored; not in per-official figures)"
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
/// One rule's findings in one unit.
pub struct QualityRow {
    /// Unit code ([`CATALOGUE`] for catalogue rules).
    pub unit_code: String,
    /// The rule.
    pub rule: Rule,
    /// Its English description.
    pub description: String,
    /// Records that break it.
    pub count: u64,
    /// Up to five dossier ids (procedure codes for catalogue rules), for finding the rows.
    pub samples: Vec<String>,
}

/// The unit tree scoring would use: the given units plus codes seen only in dossiers, or the
/// tree inferred from the codes when no unit list is given (so unit kinds agree with scoring).
fn tree_of(dossiers: &[Dossier], units: &[Unit]) -> UnitTree {
    let seen = || dossiers.iter().map(|d| d.unit_code.trim());
    let given = (!units.is_empty()).then_some(units);
    crate::pipeline::tree_of(given, seen()).unwrap_or_else(|_| {
        let mut tree = UnitTree::from(units.to_vec());
        for code in seen().filter(|c| !c.is_empty()) {
            tree.ensure(code);
        }
        tree
    })
}

/// Checks every dossier against every rule, and the catalogue against the rules that leave a
/// procedure out of 1.1/1.2. `procedures` and `units` empty mean "no catalogue" and "no unit
/// list": the unknown-procedure/unit rules are then skipped. Each process log is read once,
/// with `read_log`.
pub fn check(
    dossiers: &[Dossier],
    procedures: &[Procedure],
    units: &[Unit],
    read_log: LogReader,
) -> Vec<QualityRow> {
    let procs: HashMap<&str, &Procedure> = procedures
        .iter()
        .map(|p| (p.procedure_code.trim(), p))
        .collect();
    let unit_codes: HashSet<&str> = units.iter().map(|u| u.code.trim()).collect();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for d in dossiers {
        *seen.entry(d.dossier_id.trim()).or_insert(0) += 1;
    }
    let mut m: BTreeMap<(String, Rule), (u64, Vec<String>)> = BTreeMap::new();
    for p in procedures {
        let mut hit = |r: Rule| {
            let e = m
                .entry((CATALOGUE.to_string(), r))
                .or_insert((0, Vec::new()));
            e.0 += 1;
            if e.1.len() < 5 {
                e.1.push(p.procedure_code.clone());
            }
        };
        if p.published_at.is_some() && p.legal_basis_effective_at.is_none() {
            hit(Rule::NoEffectiveDate);
        }
        if p.made_public_at.is_some() && p.published_at.is_none() {
            hit(Rule::PublicWithoutDecisionDate);
        }
    }
    let mut by_code: HashMap<&str, Vec<&Procedure>> = HashMap::new();
    for p in procedures {
        by_code.entry(p.procedure_code.trim()).or_default().push(p);
    }
    let mut assigned: HashMap<(&str, &str), bool> = HashMap::new();
    let tree = if procedures.is_empty() {
        UnitTree::default()
    } else {
        tree_of(dossiers, units)
    };
    for d in dossiers {
        let mut hit = |r: Rule| {
            let e = m
                .entry((d.unit_code.trim().to_string(), r))
                .or_insert((0, Vec::new()));
            e.0 += 1;
            if e.1.len() < 5 {
                e.1.push(d.dossier_id.clone());
            }
        };
        if d.steps.steps(read_log).is_err() {
            hit(Rule::UnreadableProcessLog);
        }
        let status = d.status;
        let received = d.received_at;
        if received.is_none() && status.is_none_or(|s| s.is_received()) {
            hit(Rule::MissingReceiptDate);
        }
        if d.due_at.is_none() && d.is_received() {
            hit(Rule::MissingDueDate);
        }
        if let Some(r) = received {
            if d.finished_at.or(d.returned_at).is_some_and(|e| e < r) {
                hit(Rule::EndBeforeReceipt);
            }
            if d.due_at.is_some_and(|due| due < r) {
                hit(Rule::DueBeforeReceipt);
            }
        }
        let ended = d.finished_at.is_some() || d.returned_at.is_some();
        let terminal = matches!(
            status,
            Some(Status::Finished | Status::Returned | Status::Withdrawn | Status::Stopped)
        );
        let open = matches!(
            status,
            Some(
                Status::Received
                    | Status::InProgress
                    | Status::SupplementRequested
                    | Status::WaitingForFees
            )
        );
        if (terminal && !ended) || (open && ended) {
            hit(Rule::StatusContradictsDates);
        }
        let p = procs.get(d.procedure_code.trim()).copied();
        if d.due_at.is_none() && d.is_received() && p.is_none_or(|p| p.statutory_time.is_none()) {
            hit(Rule::NoDeadline);
        }
        if !procs.is_empty() && p.is_none() {
            hit(Rule::UnknownProcedure);
        }
        if !unit_codes.is_empty() && !unit_codes.contains(d.unit_code.trim()) {
            hit(Rule::UnknownUnit);
        }
        if seen.get(d.dossier_id.trim()).is_some_and(|n| *n > 1) {
            hit(Rule::DuplicateDossierId);
        }
        if let Some(p) = p {
            if d.channel == Channel::Online && p.online_level == OnlineLevel::None {
                hit(Rule::OnlineNotOffered);
            }
            if d.e_result && !p.paper_result {
                hit(Rule::EResultWithoutPaperResult);
            }
            let key = (d.unit_code.trim(), d.procedure_code.trim());
            let assigned = *assigned.entry(key).or_insert_with(|| {
                // Assigned if any catalogue entry of the code is implemented by the unit.
                let unit = tree.get(key.0);
                by_code.get(key.1).is_some_and(|entries| {
                    entries
                        .iter()
                        .any(|q| unit.is_some_and(|u| q.implemented_by(&u.code, &u.kind)))
                })
            });
            if !assigned && !key.0.is_empty() {
                hit(Rule::ProcedureNotAssignedToUnit);
            }
            if d.fee_total > 0.0 && !p.fee_bearing {
                hit(Rule::FeeOnFeeFreeProcedure);
            }
        }
    }
    m.into_iter()
        .map(|((unit_code, rule), (count, samples))| QualityRow {
            unit_code,
            rule,
            description: rule.describe().to_string(),
            count,
            samples,
        })
        .collect()
}

/// Totals per rule across units.
pub fn totals(rows: &[QualityRow]) -> BTreeMap<Rule, u64> {
    let mut t = BTreeMap::new();
    for r in rows {
        *t.entry(r.rule).or_insert(0) += r.count;
    }
    t
}
