//! Generated dossiers and a small catalogue shared by the property tests.
#![allow(clippy::unwrap_used, dead_code)]

use chiso::model::{PaymentGateway, Wait};
use chiso::*;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use proptest::prelude::*;

pub fn base_time() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 9, 1)
        .unwrap()
        .and_hms_opt(8, 0, 0)
        .unwrap()
}

prop_compose! {
    pub fn dossier()(unit in 0..4usize, proc in 0..5usize, recv_h in 0..(24 * 40i64),
                 due_h in 1..(24 * 20i64), end_h in proptest::option::of(0..(24 * 30i64)),
                 status in 2..=10u8, channel in 1..=3u8, fee in prop_oneof![Just(0.0), 1.0..1e6f64],
                 paid in 0..=2u8, flags in proptest::bits::u8::ANY,
                 supp in proptest::collection::vec((0..(24 * 10i64), proptest::option::of(0..(24 * 5i64))), 0..3))
                -> Dossier {
        let received = base_time() + Duration::hours(recv_h);
        let status = Status::try_from(status).unwrap();
        Dossier {
            dossier_id: format!("D{unit}{proc}{recv_h}{due_h}"),
            unit_code: ["H44.01", "H44.02", "H44.100", "H44.101"][unit].to_string(),
            procedure_code: format!("1.00000{proc}"),
            channel: Channel::try_from(channel).unwrap(),
            received_at: Some(received),
            due_at: Some(received + Duration::hours(due_h)),
            finished_at: end_h.map(|h| received + Duration::hours(h)),
            status: Some(status),
            supplements: supp.into_iter().map(|(a, b)| Wait {
                requested_at: received + Duration::hours(a),
                completed_at: b.map(|b| received + Duration::hours(a + b)),
            }).collect(),
            fee_total: fee,
            paid_online: PaymentGateway::try_from(paid).unwrap(),
            e_result: flags & 1 != 0,
            digitised: flags & 2 != 0,
            reused_data: flags & 4 != 0,
            population_data: flags & 8 != 0,
            unsatisfied: flags & 16 != 0,
            has_petition: flags & 32 != 0,
            personal_store: flags & 64 != 0,
            ..Dossier::default()
        }
    }
}

pub fn procedures() -> Vec<Procedure> {
    (0..5)
        .map(|i| Procedure {
            paper_result: i % 2 == 0,
            fee_bearing: i < 3,
            for_citizens: true,
            online_level: if i < 4 {
                model::OnlineLevel::Partial
            } else {
                model::OnlineLevel::None
            },
            level: Some(if i < 3 {
                model::Level::Province
            } else {
                model::Level::Commune
            }),
            ..Procedure::new(&format!("1.00000{i}"))
        })
        .collect()
}
