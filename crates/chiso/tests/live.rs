//! The live scoreboard against batch scoring: for random lifecycles — upserts in any order
//! (duplicates, stale syncs, removals) interleaved with increasing advances — the live
//! scorecard of every period equals, byte for byte as JSON, batch scoring of the latest records
//! at the same moment; `project` equals `advance` on a copy; snapshots round-trip and refuse
//! corruption.
#![allow(clippy::unwrap_used)]

use chiso::live::{Config, LiveError, Scoreboard, SnapshotError, SyncRecord};
use chiso::model::{PaymentGateway, StatutoryTime, TimeUnit, Wait};
use chiso::options::{ApologyDue, DueComparison};
use chiso::pipeline::{run, Records};
use chiso::*;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use proptest::prelude::*;
use std::sync::Arc;

/// Monday 2026-08-03 08:00: the clock starts here (periods 2026-08, 2026-Q3, 2026).
fn t0() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 8, 3)
        .unwrap()
        .and_hms_opt(8, 0, 0)
        .unwrap()
}

const UNITS: [&str; 3] = ["H44", "H44.01", "H44.02"];

fn procedures() -> Vec<Procedure> {
    vec![
        Procedure {
            statutory_time: Some(StatutoryTime {
                amount: 3.0,
                unit: TimeUnit::WorkingDays,
            }),
            paper_result: true,
            fee_bearing: true,
            for_citizens: true,
            ..Procedure::new("1.000000")
        },
        Procedure {
            full_process_eligible: true,
            for_citizens: true,
            ..Procedure::new("1.000001")
        },
    ]
}

fn units() -> Vec<Unit> {
    vec![
        Unit::new("H44", "Province", UnitKind::province(), None),
        Unit::new("H44.01", "Department", UnitKind::department(), Some("H44")),
        Unit::new("H44.02", "Commune", UnitKind::commune(), Some("H44")),
    ]
}

fn at(hours: i64, minutes: i64) -> NaiveDateTime {
    t0() + Duration::hours(hours) + Duration::minutes(minutes)
}

prop_compose! {
    /// A sync record of one of a few dossiers, times spread from a month before the clock's
    /// start to a quarter after it (so receipts, ends and waits lie ahead of the clock too).
    fn record()(id in 0..6usize, unit in 0..3usize, proc in 0..3usize,
                recv in proptest::option::weighted(0.9, -24 * 40..24 * 100i64),
                due in proptest::option::weighted(0.8, 1..24 * 12i64),
                resched in proptest::option::weighted(0.2, 24..24 * 20i64),
                fin in proptest::option::weighted(0.5, 0..24 * 30i64),
                ret in proptest::option::weighted(0.2, 0..24 * 30i64),
                status in proptest::option::weighted(0.8, 1..=10u8),
                supp in proptest::collection::vec((0..24 * 12i64, proptest::option::of(1..24 * 6i64)), 0..3),
                fee_waits in proptest::collection::vec((0..24 * 5i64, proptest::option::of(1..24 * 3i64)), 0..2),
                channel in 1..=3u8, fee in prop_oneof![Just(0.0), 1.0..1e5f64], paid in 0..=2u8,
                flags in any::<u8>(), minutes in prop_oneof![Just(0i64), 0..60i64],
                synced in proptest::option::weighted(0.9, 0..24 * 10i64))
                -> SyncRecord {
        let received = recv.map(|h| at(h, minutes));
        let base = received.unwrap_or_else(|| at(0, minutes));
        let status = status.map(|s| Status::try_from(s).unwrap());
        SyncRecord {
            dossier: Dossier {
                dossier_id: format!("HS-{id:04}"),
                unit_code: if unit == 2 && flags & 128 != 0 { " H44.02 ".into() } else { UNITS[unit].into() },
                procedure_code: ["1.000000", "1.000001", "9.999999"][proc].into(),
                channel: Channel::try_from(channel).unwrap(),
                received_at: received,
                due_at: due.map(|h| base + Duration::hours(h)),
                rescheduled_due_at: resched.map(|h| base + Duration::hours(h)),
                finished_at: fin.map(|h| base + Duration::hours(h)),
                returned_at: ret.map(|h| base + Duration::hours(h)),
                status,
                supplements: supp.into_iter().map(|(a, b)| Wait {
                    requested_at: base + Duration::hours(a),
                    completed_at: b.map(|b| base + Duration::hours(a + b)),
                }).collect(),
                fee_waits: fee_waits.into_iter().map(|(a, b)| Wait {
                    requested_at: base + Duration::hours(a),
                    completed_at: b.map(|b| base + Duration::hours(a + b)),
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
            },
            synced_at: synced.map(|h| at(h, 0)),
        }
    }
}

#[derive(Clone, Debug)]
enum Op {
    Upsert(Vec<SyncRecord>),
    Remove(usize),
    /// Minutes, and a millisecond nudge (0, +1, −1) to land just past or before a moment.
    Advance(i64, i64),
    Project(i64),
    Snapshot {
        flip: usize,
        cut: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => proptest::collection::vec(record(), 1..4).prop_map(Op::Upsert),
        1 => (0..6usize).prop_map(Op::Remove),
        4 => (prop_oneof![(0..48i64).prop_map(|h| h * 60), 0..60 * 24 * 12i64], -1..=1i64)
            .prop_map(|(m, ms)| Op::Advance(m, ms)),
        1 => (0..60 * 24 * 30i64).prop_map(Op::Project),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(flip, cut)| Op::Snapshot { flip, cut }),
    ]
}

fn options() -> impl Strategy<Value = Options> {
    (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(a, b, c, d)| Options {
        carry_over_open: a,
        due_comparison: if b {
            DueComparison::Date
        } else {
            DueComparison::Timestamp
        },
        fee_wait_stops_clock: c,
        apology_due: if d {
            ApologyDue::Rescheduled
        } else {
            ApologyDue::default()
        },
        ..Options::default()
    })
}

prop_compose! {
    fn petition()(unit in 0..3usize, recv in -24 * 20..24 * 60i64, handled in proptest::option::of(1..24 * 20i64))
                 -> Petition {
        Petition {
            petition_id: format!("P{unit}{recv}"),
            unit_code: UNITS[unit].into(),
            received_at: Some(at(recv, 0)),
            handled_at: handled.map(|h| at(recv + h, 0)),
            classification: Some("tthc".into()),
            ..Petition::default()
        }
    }
}

/// The batch readers' rule over the records so far: the later sync wins, else the later
/// arrival; a removal forgets the dossier. Kept in first-arrival order.
#[derive(Default)]
struct Reference {
    held: Vec<SyncRecord>,
}

impl Reference {
    fn upsert(&mut self, r: &SyncRecord) {
        match self
            .held
            .iter_mut()
            .find(|h| h.dossier.dossier_id == r.dossier.dossier_id)
        {
            Some(h) if r.synced_at >= h.synced_at => *h = r.clone(),
            Some(_) => {}
            None => self.held.push(r.clone()),
        }
    }
    fn remove(&mut self, id: &str) {
        self.held.retain(|h| h.dossier.dossier_id != id);
    }
}

struct World {
    config: Config,
}

impl World {
    fn batch_json(&self, reference: &Reference, period: &Period, now: NaiveDateTime) -> String {
        let dossiers: Vec<Dossier> = reference.held.iter().map(|r| r.dossier.clone()).collect();
        let records = Records {
            dossiers: &dossiers,
            procedures: &self.config.procedures,
            units: self.config.units.as_deref(),
            petitions: &self.config.petitions,
        };
        let r = run(
            &records,
            period.clone(),
            now,
            &self.config.profile,
            self.config.options,
            &WeekdaysOnly,
        )
        .unwrap();
        serde_json::to_string(&r.scorecard).unwrap()
    }

    fn check(&self, live: &Scoreboard, reference: &Reference) -> Result<(), TestCaseError> {
        for p in live.periods() {
            let got = serde_json::to_string(&live.scorecard(&p).unwrap()).unwrap();
            let want = self.batch_json(reference, &p, live.now());
            prop_assert!(
                got == want,
                "period {} at {}: live != batch",
                p.label(),
                live.now()
            );
        }
        Ok(())
    }
}

fn calendar() -> chiso::live::SharedCalendar {
    Arc::new(WeekdaysOnly)
}

fn json(cards: &[Scorecard]) -> String {
    serde_json::to_string(cards).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn live_equals_batch_at_every_step(
        ops in proptest::collection::vec(op(), 1..40),
        options in options(),
        with_units in any::<bool>(),
        petitions in proptest::collection::vec(petition(), 0..3),
    ) {
        let mut config = Config::new(Profile::builtin("portal-2026").unwrap());
        config.procedures = procedures();
        config.units = with_units.then(units);
        config.petitions = petitions;
        config.options = options;
        let mut live = Scoreboard::new(config, calendar(), t0()).unwrap();
        let world = World { config: live.config().clone() };
        prop_assert_eq!(live.periods().len(), 3);
        let mut reference = Reference::default();
        world.check(&live, &reference)?;
        for op in ops {
            match op {
                Op::Upsert(records) => {
                    live.upsert(&records).unwrap();
                    for r in &records {
                        reference.upsert(r);
                    }
                }
                Op::Remove(id) => {
                    let id = format!("HS-{id:04}");
                    let tracked = reference.held.iter().any(|h| h.dossier.dossier_id == id);
                    prop_assert_eq!(live.remove(&id), tracked);
                    reference.remove(&id);
                }
                Op::Advance(minutes, nudge) => {
                    let to = (live.now() + Duration::minutes(minutes) + Duration::milliseconds(nudge)).max(live.now());
                    live.advance(to).unwrap();
                }
                Op::Project(minutes) => {
                    let to = live.now() + Duration::minutes(minutes);
                    let projected = live.project(to).unwrap();
                    let mut copy = live.clone();
                    copy.advance(to).unwrap();
                    prop_assert_eq!(json(&projected.scorecards), json(&copy.scorecards().unwrap()));
                    for c in &projected.changes {
                        let card = &projected.scorecards[live.periods().iter().position(|p| *p == c.period).unwrap()];
                        if let Some(after) = c.after {
                            let ind = card.unit(&c.unit).unwrap().indicator(&c.indicator).unwrap();
                            prop_assert_eq!(after.points, ind.points);
                        }
                    }
                }
                Op::Snapshot { flip, cut } => {
                    live.set_bookmark(format!("offset {cut}"));
                    let bytes = live.to_bytes();
                    let loaded = Scoreboard::from_bytes(&bytes, calendar()).unwrap();
                    prop_assert_eq!(json(&loaded.scorecards().unwrap()), json(&live.scorecards().unwrap()));
                    prop_assert_eq!(loaded.now(), live.now());
                    prop_assert_eq!(loaded.bookmark(), live.bookmark());
                    let mut bad = bytes.clone();
                    let bit = flip % (bad.len() * 8);
                    bad[bit / 8] ^= 1 << (bit % 8);
                    prop_assert!(Scoreboard::from_bytes(&bad, calendar()).is_err(), "bit {bit} flipped and loaded");
                    let short = &bytes[..cut % bytes.len()];
                    prop_assert!(Scoreboard::from_bytes(short, calendar()).is_err());
                    // Go on from the loaded copy: the same as never stopping.
                    live = loaded;
                }
            }
            world.check(&live, &reference)?;
        }
        // What changed since the start ends at the current scorecards.
        let changes = live.changes().unwrap();
        let cards = live.scorecards().unwrap();
        for c in &changes {
            let k = live.periods().iter().position(|p| *p == c.period).unwrap();
            match (c.after, cards[k].unit(&c.unit)) {
                (Some(after), Some(u)) => {
                    let ind = u.indicator(&c.indicator).unwrap();
                    prop_assert_eq!((after.numerator, after.denominator, after.points),
                                    (ind.numerator, ind.denominator, ind.points));
                }
                (None, u) => prop_assert!(u.is_none()),
                (Some(_), None) => prop_assert!(false, "a change names a unit not in the scorecard"),
            }
        }
        prop_assert!(live.changes().unwrap().is_empty(), "nothing moved since the last call");
        // The latest records rebuilt from the compact state (drill-downs) score like the
        // records themselves.
        let rebuilt = Reference { held: live.latest_records().collect() };
        let mut ids: Vec<&str> = rebuilt.held.iter().map(|r| r.dossier.dossier_id.as_str()).collect();
        let mut want: Vec<&str> = reference.held.iter().map(|r| r.dossier.dossier_id.as_str()).collect();
        ids.sort_unstable();
        want.sort_unstable();
        prop_assert_eq!(ids, want);
        for p in live.periods() {
            prop_assert!(
                world.batch_json(&rebuilt, &p, live.now()) == world.batch_json(&reference, &p, live.now()),
                "rebuilt records score differently in {}", p.label()
            );
        }
    }

    /// Upserts commute with duplicates and stale syncs: any arrival order of one set of
    /// records ends with the same scorecards.
    #[test]
    fn arrival_order_does_not_matter_with_distinct_sync_times(
        records in proptest::collection::vec(record(), 1..20),
        seed in any::<u64>(),
    ) {
        // Distinct sync times make "the later sync wins" independent of arrival order.
        let records: Vec<SyncRecord> = records
            .into_iter()
            .enumerate()
            .map(|(i, mut r)| { r.synced_at = Some(at(0, i as i64)); r })
            .collect();
        let mut shuffled = records.clone();
        let mut x = seed | 1;
        for i in (1..shuffled.len()).rev() {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            shuffled.swap(i, (x % (i as u64 + 1)) as usize);
        }
        let make = || {
            let mut c = Config::new(Profile::builtin("portal-2026").unwrap());
            c.procedures = procedures();
            Scoreboard::new(c, calendar(), at(24 * 30, 0)).unwrap()
        };
        let (mut a, mut b) = (make(), make());
        a.upsert(&records).unwrap();
        b.upsert(&shuffled).unwrap();
        b.upsert(&records).unwrap(); // every record again: idempotent
        prop_assert_eq!(json(&a.scorecards().unwrap()), json(&b.scorecards().unwrap()));
    }
}

fn one(id: &str, received: NaiveDateTime, due: NaiveDateTime) -> SyncRecord {
    SyncRecord {
        dossier: Dossier {
            dossier_id: id.into(),
            unit_code: "H44.01".into(),
            procedure_code: "1.000001".into(),
            received_at: Some(received),
            due_at: Some(due),
            status: Some(Status::InProgress),
            ..Dossier::default()
        },
        synced_at: Some(received),
    }
}

#[test]
fn changes_name_the_dossier_that_turned_overdue() {
    let mut config = Config::new(Profile::builtin("portal-2026").unwrap());
    config.procedures = procedures();
    config.units = Some(units());
    let mut live = Scoreboard::new(config, calendar(), t0()).unwrap();
    live.upsert(&[
        one("HS-0001", at(-2, 0), at(24, 0)),
        one("HS-0002", at(-1, 0), at(24 * 5, 0)),
    ])
    .unwrap();
    let first = live.changes().unwrap();
    assert!(first
        .iter()
        .any(|c| c.unit == "H44.01" && c.dossiers.iter().any(|m| m.dossier_id == "HS-0001")));
    // A day and a minute later HS-0001 is overdue; HS-0002 is not.
    let projection = live.project(at(24, 1)).unwrap();
    let risk = projection.points_at_risk();
    assert!(
        risk.iter().any(|(_, u, lost)| u == "H44.01" && *lost > 0.0),
        "{risk:?}"
    );
    live.advance(at(24, 1)).unwrap();
    let moved = live.changes().unwrap();
    let c = moved
        .iter()
        .find(|c| c.unit == "H44.01" && c.indicator == "2.1")
        .expect("2.1 moved");
    assert_eq!(c.before.unwrap().numerator, 2.0);
    assert_eq!(c.after.unwrap().numerator, 1.0);
    assert_eq!(c.dossiers.len(), 1);
    assert_eq!(c.dossiers[0].dossier_id, "HS-0001");
    assert_eq!(c.dossiers[0].describe(), "turned overdue");
    assert!(c.to_string().contains("HS-0001 turned overdue"), "{c}");
    // The province above it moved with it, naming the same dossier.
    assert!(moved.iter().any(|c| c.unit == "H44"
        && c.indicator == "2.1"
        && c.dossiers.iter().any(|m| m.dossier_id == "HS-0001")));
}

#[test]
fn refusals_are_typed() {
    let config = Config::new(Profile::builtin("portal-2026").unwrap());
    let mut live = Scoreboard::new(config, calendar(), t0()).unwrap();
    let mut no_id = one("", t0(), at(5, 0));
    no_id.dossier.dossier_id.clear();
    assert_eq!(
        live.upsert(&[one("A", t0(), at(5, 0)), no_id]),
        Err(LiveError::NoDossierId(1))
    );
    assert!(live.is_empty(), "a refused batch applies nothing");
    live.advance(at(5, 0)).unwrap();
    assert!(matches!(
        live.advance(t0()),
        Err(LiveError::ClockBackwards { .. })
    ));
    assert!(matches!(
        live.scorecard(&"2025".parse().unwrap()),
        Err(LiveError::UnknownPeriod(..))
    ));
    let bytes = live.to_bytes();
    let mut other = bytes.clone();
    other[8] = 99;
    assert!(matches!(
        Scoreboard::from_bytes(&other, calendar()),
        Err(LiveError::Snapshot(SnapshotError::Version {
            found: 99,
            ..
        }))
    ));
    assert!(matches!(
        Scoreboard::from_bytes(b"PAR1 this is some other file", calendar()),
        Err(LiveError::Snapshot(SnapshotError::Foreign))
    ));
    assert!(matches!(
        Scoreboard::from_bytes(&bytes[..bytes.len() - 1], calendar()),
        Err(LiveError::Snapshot(SnapshotError::Truncated(_)))
    ));
    let mut flipped = bytes.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 4;
    assert!(matches!(
        Scoreboard::from_bytes(&flipped, calendar()),
        Err(LiveError::Snapshot(SnapshotError::Checksum))
    ));
}

#[test]
fn the_clock_turns_a_dossier_overdue_to_the_millisecond() {
    for due_comparison in [DueComparison::Timestamp, DueComparison::Date] {
        let mut config = Config::new(Profile::builtin("portal-2026").unwrap());
        config.procedures = procedures();
        config.options.due_comparison = due_comparison;
        let mut live = Scoreboard::new(config, calendar(), t0()).unwrap();
        let world = World {
            config: live.config().clone(),
        };
        // Due in 24 h, with a completed 3-hour supplement wait: overdue 27 h + 1 ms after due
        // by the moment, or at the midnight 3 h after the due day by the day.
        let mut r = one("HS-0001", at(-1, 0), at(24, 0));
        r.dossier.supplements = vec![Wait {
            requested_at: at(1, 0),
            completed_at: Some(at(4, 0)),
        }];
        live.upsert(std::slice::from_ref(&r)).unwrap();
        let mut reference = Reference::default();
        reference.upsert(&r);
        let turn = match due_comparison {
            DueComparison::Timestamp => at(27, 0) + Duration::milliseconds(1),
            DueComparison::Date => at(16 + 24 + 3, 0),
        };
        let q = "2026-Q3".parse().unwrap();
        let open_overdue = |l: &Scoreboard| l.scorecard(&q).unwrap().units[0].counts.open_overdue;
        for step in [-1i64, 0] {
            live.advance(turn + Duration::milliseconds(step)).unwrap();
            world.check(&live, &reference).unwrap();
            assert_eq!(
                open_overdue(&live),
                u64::from(step == 0),
                "{due_comparison:?} {step}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// A lifecycle stream replays to its final records: upserted in sync order with the clock
    /// following the data, the scoreboard ends where batch scoring of the final records is.
    #[test]
    fn a_lifecycle_stream_replays_to_its_final_records(
        records in proptest::collection::vec(record(), 1..12),
        batch in 1..6usize,
    ) {
        let dossiers: Vec<Dossier> = records
            .into_iter()
            .enumerate()
            .map(|(i, r)| Dossier { dossier_id: format!("HS-{i:04}"), ..r.dossier })
            .collect();
        let stream = chiso::live::lifecycle_stream(&dossiers);
        for d in &dossiers {
            let n = stream.iter().filter(|r| r.dossier.dossier_id == d.dossier_id).count();
            prop_assert!((1..=4).contains(&n), "{n} records for one dossier");
        }
        let mut config = Config::new(Profile::builtin("portal-2026").unwrap());
        config.procedures = procedures();
        let mut live = Scoreboard::new(config, calendar(), at(-24 * 60, 0)).unwrap();
        let world = World { config: live.config().clone() };
        let mut reference = Reference::default();
        for chunk in stream.chunks(batch) {
            live.upsert(chunk).unwrap();
            for r in chunk {
                reference.upsert(r);
            }
            if let Some(t) = chunk.iter().filter_map(|r| r.synced_at).max() {
                live.advance(t.max(live.now())).unwrap();
            }
            world.check(&live, &reference)?;
        }
        let finals = Reference {
            held: dossiers.iter().map(|d| SyncRecord { dossier: d.clone(), synced_at: None }).collect(),
        };
        world.check(&live, &finals)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// The column path (Arrow batches) and the record path give the same scoreboard.
    #[test]
    fn columns_and_records_upsert_alike(
        batches in proptest::collection::vec(proptest::collection::vec(record(), 1..6), 1..5),
        step in 0..24 * 20i64,
    ) {
        let make = || {
            let mut c = Config::new(Profile::builtin("portal-2026").unwrap());
            c.procedures = procedures();
            Scoreboard::new(c, calendar(), t0()).unwrap()
        };
        let (mut by_records, mut by_columns) = (make(), make());
        for (k, batch) in batches.iter().enumerate() {
            // Columns carry no fee waits.
            let batch: Vec<SyncRecord> = batch
                .iter()
                .cloned()
                .map(|mut r| { r.dossier.fee_waits.clear(); r })
                .collect();
            by_records.upsert(&batch).unwrap();
            let dossiers: Vec<Dossier> = batch.iter().map(|r| r.dossier.clone()).collect();
            let cols = chiso::columnar::OwnedColumns::from_dossiers(&dossiers);
            let ids: Vec<&str> = dossiers.iter().map(|d| d.dossier_id.as_str()).collect();
            let synced: Vec<i64> = batch.iter().map(|r| chiso::moment::millis_of(r.synced_at)).collect();
            let got = by_columns
                .upsert_columns(&cols.columns(), &cols.unit_code_refs(), &cols.procedure_code_refs(), &ids, &synced)
                .unwrap();
            prop_assert_eq!(got.added + got.replaced + got.stale + got.unchanged, batch.len() as u64);
            let to = at(step * (k as i64 + 1), 0);
            by_records.advance(to).unwrap();
            by_columns.advance(to).unwrap();
            prop_assert_eq!(json(&by_records.scorecards().unwrap()), json(&by_columns.scorecards().unwrap()));
        }
    }
}

#[test]
fn malformed_columns_are_refused_whole() {
    let config = Config::new(Profile::builtin("portal-2026").unwrap());
    let mut live = Scoreboard::new(config, calendar(), t0()).unwrap();
    let d = one("HS-1", t0(), at(5, 0)).dossier;
    let cols = chiso::columnar::OwnedColumns::from_dossiers(&[d.clone(), d]);
    let c = cols.columns();
    let (u, p) = (cols.unit_code_refs(), cols.procedure_code_refs());
    assert!(matches!(
        live.upsert_columns(&c, &u, &p, &["HS-1"], &[]),
        Err(LiveError::Columns(_))
    ));
    assert_eq!(
        live.upsert_columns(&c, &u, &p, &["HS-1", ""], &[]),
        Err(LiveError::NoDossierId(1))
    );
    assert!(matches!(
        live.upsert_columns(&c, &[], &p, &["HS-1", "HS-2"], &[]),
        Err(LiveError::Columns(_))
    ));
    assert!(live.is_empty());
    let ok = live
        .upsert_columns(&c, &u, &p, &["HS-1", "HS-2"], &[])
        .unwrap();
    assert_eq!(ok.added, 2);
}

/// A removed dossier's slot taken by another: the first one's queued moment must not wake the
/// second (it would retract its counters twice).
#[test]
fn a_reused_slot_ignores_the_old_dossiers_moments() {
    let mut config = Config::new(Profile::builtin("portal-2026").unwrap());
    config.procedures = procedures();
    let mut live = Scoreboard::new(config, calendar(), t0()).unwrap();
    let world = World {
        config: live.config().clone(),
    };
    let mut reference = Reference::default();
    // Received ahead of the clock, so queued at its receipt; then removed.
    let ahead = one("HS-0005", at(24 * 13, 0), at(24 * 20, 0));
    live.upsert(std::slice::from_ref(&ahead)).unwrap();
    assert!(live.remove("HS-0005"));
    // Another dossier takes the slot: late once its outstanding request comes, then nothing.
    let mut late = one("HS-0000", at(0, 0), at(24, 0));
    late.dossier.supplements = vec![Wait {
        requested_at: at(24 * 4, 0),
        completed_at: None,
    }];
    live.upsert(std::slice::from_ref(&late)).unwrap();
    reference.upsert(&late);
    live.advance(at(24 * 14, 0)).unwrap();
    world.check(&live, &reference).unwrap();
}

/// A batch far larger than the scoreboard's lookup window (ids are looked up some hundreds at a
/// time): an id new in one window and synced again in a later one, or twice in one window, or
/// stale, ends as applying the records one by one does — by records and by columns.
#[test]
fn a_large_batch_applies_like_one_record_at_a_time() {
    let make = || {
        let mut c = Config::new(Profile::builtin("portal-2026").unwrap());
        c.procedures = procedures();
        Scoreboard::new(c, calendar(), t0()).unwrap()
    };
    let batch: Vec<SyncRecord> = (0..3000i64)
        .map(|k| {
            let id = format!("HS-{:05}", (k / 2 * 7) % 1100);
            let mut r = one(&id, at(k % 500, 0), at(k % 500 + 24 * (1 + k % 9), 0));
            r.dossier.unit_code = UNITS[(k % 3) as usize].into();
            if k % 4 == 0 {
                r.dossier.finished_at = Some(at(k % 500 + 20, 0));
                r.dossier.status = Some(Status::Finished);
            }
            // Later records of an id mostly sync later; every 13th is older (stale).
            r.synced_at = Some(at(if k % 13 == 0 { 0 } else { k }, 0));
            r
        })
        .collect();
    let (mut whole, mut by_columns, mut singly) = (make(), make(), make());
    let clock = at(400, 0);
    for b in [&mut whole, &mut by_columns, &mut singly] {
        b.advance(clock).unwrap();
    }
    let got = whole.upsert(&batch).unwrap();
    let dossiers: Vec<Dossier> = batch.iter().map(|r| r.dossier.clone()).collect();
    let cols = chiso::columnar::OwnedColumns::from_dossiers(&dossiers);
    let ids: Vec<&str> = dossiers.iter().map(|d| d.dossier_id.as_str()).collect();
    let synced: Vec<i64> = batch
        .iter()
        .map(|r| chiso::moment::millis_of(r.synced_at))
        .collect();
    let got_columns = by_columns
        .upsert_columns(
            &cols.columns(),
            &cols.unit_code_refs(),
            &cols.procedure_code_refs(),
            &ids,
            &synced,
        )
        .unwrap();
    let mut one_by_one = chiso::live::Upserted::default();
    for r in &batch {
        let u = singly.upsert(std::slice::from_ref(r)).unwrap();
        one_by_one.added += u.added;
        one_by_one.replaced += u.replaced;
        one_by_one.stale += u.stale;
        one_by_one.unchanged += u.unchanged;
    }
    assert_eq!(got.added, 1100);
    assert!(got.stale > 0 && got.replaced > 0);
    assert_eq!(got, one_by_one);
    assert_eq!(got_columns, one_by_one);
    let want = json(&singly.scorecards().unwrap());
    assert_eq!(json(&whole.scorecards().unwrap()), want);
    assert_eq!(json(&by_columns.scorecards().unwrap()), want);
    assert_eq!(whole.len(), 1100);
}
