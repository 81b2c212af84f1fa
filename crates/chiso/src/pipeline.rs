//! The whole run in one call: records → tally → scorecard, with the accounting of every record.

use crate::error::Result;
use crate::model::{Dossier, Petition, Procedure, Unit, UnitTree};
use crate::options::Options;
use crate::period::Period;
use crate::profile::Profile;
use crate::score::{score, ScoreInput, Scorecard};
use crate::tally::{Accounting, Tally, TallyContext};
use crate::workdays::WorkCalendar;
use chrono::NaiveDateTime;

/// Input records of a run.
#[derive(Clone, Copy, Debug, Default)]
pub struct Records<'a> {
    /// Dossiers.
    pub dossiers: &'a [Dossier],
    /// The procedure catalogue (may be empty).
    pub procedures: &'a [Procedure],
    /// `None`: the tree is inferred from the unit codes (`H44.07` under `H44`).
    pub units: Option<&'a [Unit]>,
    /// Petitions.
    pub petitions: &'a [Petition],
}

/// What a run produced.
#[derive(Clone, Debug)]
pub struct Run {
    /// The counters.
    pub tally: Tally,
    /// The unit tree scored.
    pub units: UnitTree,
    /// What happened to each record.
    pub accounting: Accounting,
    /// The explained scorecard.
    pub scorecard: Scorecard,
}

/// The unit tree of a run: the given units, plus any unit code seen only in the records.
pub fn unit_tree(records: &Records<'_>) -> Result<UnitTree> {
    let seen = records
        .dossiers
        .iter()
        .map(|d| d.unit_code.trim())
        .chain(records.petitions.iter().map(|p| p.unit_code.trim()));
    tree_of(records.units, seen)
}

/// The given units plus every other unit code seen, in the order seen; without units, the tree
/// inferred from the codes.
pub fn tree_of<'c>(
    units: Option<&[Unit]>,
    seen: impl IntoIterator<Item = &'c str>,
) -> Result<UnitTree> {
    match units {
        None => Ok(UnitTree::infer_from_codes(seen)),
        Some(units) => {
            let mut tree = UnitTree::new(units.to_vec())?;
            for code in seen.into_iter().filter(|c| !c.is_empty()) {
                tree.ensure(code);
            }
            Ok(tree)
        }
    }
}

/// Classifies, tallies and scores the records for one period as of a moment.
pub fn run(
    records: &Records<'_>,
    period: Period,
    as_of: NaiveDateTime,
    profile: &Profile,
    options: Options,
    calendar: &dyn WorkCalendar,
) -> Result<Run> {
    let units = unit_tree(records)?;
    let ctx = TallyContext::new(
        period.clone(),
        as_of,
        options,
        profile.limits,
        calendar,
        records.procedures,
    );
    let (tally, accounting) = Tally::build(&ctx, records.dossiers, records.petitions);
    Ok(score_run(
        tally,
        accounting,
        units,
        records.procedures,
        period,
        as_of,
        profile,
        options,
        calendar,
    ))
}

/// Scores a tally built elsewhere (the columnar fast path, a merge of partial tallies): petitions
/// are tallied here; the unit tree is the given units plus every code in the tally.
#[allow(clippy::too_many_arguments)]
pub fn run_tally(
    tally: Tally,
    accounting: Accounting,
    procedures: &[Procedure],
    units: Option<&[Unit]>,
    petitions: &[Petition],
    period: Period,
    as_of: NaiveDateTime,
    profile: &Profile,
    options: Options,
    calendar: &dyn WorkCalendar,
) -> Result<Run> {
    let ctx = TallyContext::new(
        period.clone(),
        as_of,
        options,
        profile.limits,
        calendar,
        procedures,
    );
    let (petition_tally, petition_acc) = Tally::build(&ctx, &[], petitions);
    let mut tally = tally;
    tally.merge(&petition_tally);
    let mut accounting = accounting;
    accounting.merge(&petition_acc);
    let tree = tree_of(units, tally.unit_codes())?;
    Ok(score_run(
        tally, accounting, tree, procedures, period, as_of, profile, options, calendar,
    ))
}

#[allow(clippy::too_many_arguments)]
fn score_run(
    tally: Tally,
    accounting: Accounting,
    units: UnitTree,
    procedures: &[Procedure],
    period: Period,
    as_of: NaiveDateTime,
    profile: &Profile,
    options: Options,
    calendar: &dyn WorkCalendar,
) -> Run {
    let scorecard = score(&ScoreInput {
        tally: &tally,
        units: &units,
        procedures,
        profile,
        options,
        period,
        as_of,
        calendar,
        published_facts: None,
    });
    Run {
        tally,
        units,
        accounting,
        scorecard,
    }
}
