//! What-if scenarios: hypothetical changes scored exactly.

use super::*;
use crate::error::{ChisoError, Result};
use crate::score::UnitScore;
use serde::{Deserialize, Serialize};

/// A hypothetical change: `count` records (all candidates when `None`), oldest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// The action.
    pub action: Action,
    /// How many records; `None`: every candidate.
    pub count: Option<usize>,
}

impl std::str::FromStr for Change {
    type Err = ChisoError;

    /// `ACTION` or `ACTION=N`, e.g. `pay_online=500`, `clear_overdue`.
    fn from_str(s: &str) -> Result<Change> {
        let (name, count) = match s.split_once('=') {
            Some((a, n)) => (a.trim(), Some(n.trim())),
            None => (s.trim(), None),
        };
        let bad = |message: String| ChisoError::Value {
            field: "what-if".into(),
            message,
        };
        let action: Action = toml::Value::String(name.to_string()).try_into().map_err(|_| {
            bad(format!(
                "unknown action {name:?} (e.g. resolve_on_time, clear_overdue, pay_online, digitise, issue_e_result, receive_online)"
            ))
        })?;
        let count = count
            .map(|n| {
                n.parse::<usize>()
                    .map_err(|_| bad(format!("{n:?} is not a count")))
            })
            .transpose()?;
        Ok(Change { action, count })
    }
}

/// The unit's scorecard before and after a set of changes, side by side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WhatIf {
    /// The unit's scorecard before.
    pub before: UnitScore,
    /// The unit's scorecard after.
    pub after: UnitScore,
    /// The records changed by each change, in order.
    pub changed: Vec<(Action, Vec<String>)>,
}

/// Applies changes one after another and scores the result.
pub fn what_if(input: &PlanInput<'_>, changes: &[Change]) -> Result<WhatIf> {
    let before = score_unit_of(input, input.records)?;
    let units = subtree_codes(input)?;
    let mut state = Changed {
        dossiers: input.records.dossiers.to_vec(),
        petitions: input.records.petitions.to_vec(),
        procedures: input.records.procedures.to_vec(),
    };
    let mut log = Vec::new();
    for c in changes {
        let step_input = PlanInput {
            records: records_of(input, &state),
            ..*input
        };
        let mut ids = candidates(&step_input, c.action, &units);
        if let Some(n) = c.count {
            ids.truncate(n);
        }
        let next = apply(&step_input, c.action, &ids);
        log.push((c.action, ids));
        state = next;
    }
    let after = score_unit_of(input, records_of(input, &state))?;
    Ok(WhatIf {
        before,
        after,
        changed: log,
    })
}
