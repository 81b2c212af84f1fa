//! The latest records as far as the live state keeps them: each tracked dossier's record
//! rebuilt from its compact slot, for drill-downs (which dossiers are overdue, at risk, …).
//! Nothing is stored for this: a rebuilt record judges exactly like the record it came from
//! (same times, waits, status, codes and yes/no facts), but what no rule reads is not kept —
//! the submission time, the process log, the fee amount (a fee is written as 1) and which
//! online gateway took a payment (written as the national one).

use super::state::{fact, Slot, Store};
use super::SyncRecord;
use crate::model::{flag, Channel, Dossier, PaymentGateway, Wait};
use crate::moment::time_of;

fn waits(w: &[(i64, i64)]) -> Vec<Wait> {
    w.iter()
        .filter_map(|&(a, b)| {
            Some(Wait {
                requested_at: time_of(a)?,
                completed_at: time_of(b),
            })
        })
        .collect()
}

impl Store {
    /// Slot `i`'s record as rebuilt from what it keeps.
    pub(crate) fn record(&self, i: u32) -> SyncRecord {
        let s: &Slot = &self.slots[i as usize];
        let has = |b: u8| s.flags & b != 0;
        let w = self.waits_of(i);
        let dossier = Dossier {
            dossier_id: self.ids.get(i).to_string(),
            unit_code: self
                .units
                .values
                .get(s.unit as usize)
                .cloned()
                .unwrap_or_default(),
            procedure_code: self
                .raw_procedures
                .values
                .get(s.procedure as usize)
                .cloned()
                .unwrap_or_default(),
            channel: Channel::try_from(s.facts & fact::CHANNEL).unwrap_or_default(),
            submitted_at: None,
            received_at: time_of(s.times.received),
            due_at: time_of(s.times.due),
            rescheduled_due_at: time_of(s.times.rescheduled_due),
            finished_at: time_of(s.times.finished),
            returned_at: time_of(s.times.returned),
            status: Some(s.status),
            supplements: w.map_or_else(Vec::new, |w| waits(&w.supplements)),
            fee_waits: w.map_or_else(Vec::new, |w| waits(&w.fee_waits)),
            fee_total: if s.facts & fact::HAS_FEE != 0 {
                1.0
            } else {
                0.0
            },
            paid_online: if s.facts & fact::PAID_ONLINE != 0 {
                PaymentGateway::National
            } else {
                PaymentGateway::None
            },
            e_result: has(flag::E_RESULT),
            digitised: has(flag::DIGITISED),
            reused_data: has(flag::REUSED_DATA),
            personal_store: has(flag::PERSONAL_STORE),
            population_data: has(flag::POPULATION_DATA),
            unsatisfied: has(flag::UNSATISFIED),
            has_petition: has(flag::HAS_PETITION),
            steps: Default::default(),
            not_synced: has(flag::NOT_SYNCED),
        };
        SyncRecord {
            dossier,
            synced_at: time_of(s.synced),
        }
    }
}
