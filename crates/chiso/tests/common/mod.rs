//! Generated dossiers, options and a small catalogue shared by the property tests.
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

/// The shapes the rules treat specially (DATA-MODEL.md §3), made likely rather than left to
/// chance: any dossier; an ended one (withdrawn, stopped, finished, returned) with a supplement
/// never completed; one with no due date (of a procedure with or without a statutory time);
/// an open one with repeated supplement requests.
#[derive(Clone, Copy, Debug)]
pub enum Shape {
    Any,
    EndedWithOutstandingSupplement,
    NoDueDate,
    OpenRepeatedSupplement,
}

prop_compose! {
    pub fn dossier()(unit in 0..4usize, proc in 0..5usize, recv_h in -(24 * 20i64)..(24 * 40i64),
                 due_h in 1..(24 * 20i64), end_h in proptest::option::of(0..(24 * 30i64)),
                 status in 2..=10u8, channel in 1..=3u8, fee in prop_oneof![Just(0.0), 1.0..1e6f64],
                 paid in 0..=2u8, flags in proptest::bits::u8::ANY, returned in any::<bool>(),
                 shape in prop_oneof![Just(Shape::Any), Just(Shape::EndedWithOutstandingSupplement),
                                      Just(Shape::NoDueDate), Just(Shape::OpenRepeatedSupplement)],
                 supp in proptest::collection::vec((0..(24 * 10i64), proptest::option::of(0..(24 * 5i64))), 0..3))
                -> Dossier {
        let received = base_time() + Duration::hours(recv_h);
        let mut status = Status::try_from(status).unwrap();
        let mut end_h = end_h;
        let mut supp = supp;
        let mut due = Some(received + Duration::hours(due_h));
        match shape {
            Shape::Any => {}
            Shape::EndedWithOutstandingSupplement => {
                end_h = Some(end_h.unwrap_or(24 * 12));
                status = [Status::Withdrawn, Status::Stopped, Status::Finished, Status::Returned][unit];
                supp.push((due_h % (24 * 10), None));
            }
            Shape::NoDueDate => due = None,
            Shape::OpenRepeatedSupplement => {
                end_h = None;
                status = Status::InProgress;
                supp.push((1, Some(2)));
                supp.push((3, None));
            }
        }
        let end = end_h.map(|h| received + Duration::hours(h));
        Dossier {
            dossier_id: format!("D{unit}{proc}{recv_h}{due_h}"),
            unit_code: ["H44.01", "H44.02", "H44.100", "H44.101"][unit].to_string(),
            procedure_code: format!("1.00000{proc}"),
            channel: Channel::try_from(channel).unwrap(),
            received_at: Some(received),
            due_at: due,
            finished_at: end.filter(|_| !returned),
            returned_at: end.filter(|_| returned),
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

/// The options the columnar kernel reads (fee waits are not a column, so that one stays off).
pub fn options() -> impl Strategy<Value = Options> {
    (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
        |(date, carry, apology, paper)| Options {
            due_comparison: if date {
                options::DueComparison::Date
            } else {
                options::DueComparison::Timestamp
            },
            carry_over_open: carry,
            apology_due: if apology {
                options::ApologyDue::Rescheduled
            } else {
                options::ApologyDue::Original
            },
            e_result_base: if paper {
                options::EResultBase::PaperResultOnly
            } else {
                options::EResultBase::AllDossiers
            },
            ..Options::default()
        },
    )
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
            // Procedures 1 and 3 give a statutory time to dossiers without a due date; the
            // others leave them with no deadline.
            statutory_time: (i % 2 == 1).then_some(model::StatutoryTime {
                amount: 3.0,
                unit: model::TimeUnit::WorkingDays,
            }),
            ..Procedure::new(&format!("1.00000{i}"))
        })
        .collect()
}
