//! A dossier's final record as the sync records that led to it — received; a supplement
//! requested and completed; finished or returned — for sample streams, demos, tests and
//! benchmarks. Each record is the dossier's full state at its sync time, so replaying the
//! stream ends with exactly the final records.

use super::SyncRecord;
use crate::model::{Dossier, Status};
use chrono::NaiveDateTime;

/// The 1–4 sync records of one dossier, in sync order; the last is the dossier itself, synced
/// at its latest moment. A dossier never received is one record.
pub fn lifecycle(d: &Dossier) -> Vec<SyncRecord> {
    let Some(received) = d.received_at else {
        return vec![SyncRecord {
            dossier: d.clone(),
            synced_at: d.submitted_at,
        }];
    };
    let latest = [d.finished_at, d.returned_at]
        .into_iter()
        .flatten()
        .chain(
            d.supplements
                .iter()
                .chain(&d.fee_waits)
                .flat_map(|w| [Some(w.requested_at), w.completed_at])
                .flatten(),
        )
        .fold(received, NaiveDateTime::max);
    let mut out = Vec::with_capacity(4);
    let mut at = |dossier: Dossier, synced: NaiveDateTime| {
        if out.last().is_none_or(|r: &SyncRecord| r.dossier != dossier) {
            out.push(SyncRecord {
                dossier,
                synced_at: Some(synced),
            });
        }
    };
    // Received: no end, no waits, none of what only the end of processing brings.
    let first = Dossier {
        status: Some(if d.effective_status() == Status::RefusedAtCounter {
            Status::RefusedAtCounter
        } else {
            Status::InProgress
        }),
        finished_at: None,
        returned_at: None,
        supplements: Vec::new(),
        fee_waits: Vec::new(),
        e_result: false,
        unsatisfied: false,
        has_petition: false,
        steps: Default::default(),
        ..d.clone()
    };
    at(first.clone(), received);
    if let Some(w) = d.supplements.first() {
        let mut asked = first.clone();
        asked.status = Some(Status::SupplementRequested);
        asked.supplements = vec![crate::model::Wait {
            requested_at: w.requested_at,
            completed_at: None,
        }];
        at(asked.clone(), w.requested_at.max(received));
        if let Some(done) = w.completed_at {
            let mut back = asked;
            back.status = Some(Status::InProgress);
            back.supplements[0].completed_at = Some(done);
            at(back, done.max(w.requested_at).max(received));
        }
    }
    at(d.clone(), latest);
    out
}

/// The lifecycle streams of many dossiers merged in sync order (stable: a dossier's records
/// keep their order on equal sync times).
pub fn lifecycle_stream(dossiers: &[Dossier]) -> Vec<SyncRecord> {
    let mut out: Vec<SyncRecord> = dossiers.iter().flat_map(lifecycle).collect();
    out.sort_by_key(|r| r.synced_at);
    out
}
