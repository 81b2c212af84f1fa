//! The binary form of tallies: it round-trips, decoded parts add up to the tally of the union,
//! and a corrupt, truncated or foreign buffer is refused with a typed error, never misread.
#![allow(clippy::unwrap_used)]

use chiso::*;
use chrono::Duration;
use proptest::prelude::*;

mod common;
use common::{base_time, dossier, procedures};

fn built(ds: &[Dossier]) -> PortableTally {
    let procs = procedures();
    let ctx = TallyContext::new(
        "2026-09".parse().unwrap(),
        base_time() + Duration::days(25),
        Options::default(),
        Limits::default(),
        &WeekdaysOnly,
        &procs,
    );
    let (tally, accounting) = Tally::build(&ctx, ds, &[]);
    let mut p = PortableTally::new(tally, accounting);
    p.context.insert("period".into(), "2026-09".into());
    p
}

fn refusal(bytes: &[u8]) -> TallyError {
    match PortableTally::from_bytes(bytes) {
        Err(e) => e,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_tally_round_trips(ds in proptest::collection::vec(dossier(), 0..60)) {
        let p = built(&ds);
        let bytes = p.to_bytes();
        let back = PortableTally::from_bytes(&bytes).unwrap();
        prop_assert_eq!(back.tally.len(), p.tally.len());
        prop_assert_eq!(&back, &p);
        prop_assert_eq!(back.to_bytes(), bytes);
    }

    #[test]
    fn decoded_parts_merge_to_the_tally_of_the_union(
        a in proptest::collection::vec(dossier(), 0..40),
        b in proptest::collection::vec(dossier(), 0..40),
    ) {
        let mut all = a.clone();
        all.extend(b.iter().cloned());
        let mut merged = PortableTally::from_bytes(&built(&a).to_bytes()).unwrap();
        merged.merge(&PortableTally::from_bytes(&built(&b).to_bytes()).unwrap()).unwrap();
        let whole = built(&all);
        prop_assert_eq!(&merged.tally, &whole.tally);
        prop_assert_eq!(&merged.accounting, &whole.accounting);
        prop_assert_eq!(merged.accounting.scored + merged.accounting.excluded_total(), all.len() as u64);
    }
}

#[test]
fn every_single_bit_flip_is_refused() {
    let ds: Vec<Dossier> = proptest::strategy::ValueTree::current(
        &proptest::collection::vec(dossier(), 12)
            .new_tree(&mut proptest::test_runner::TestRunner::deterministic())
            .unwrap(),
    );
    let bytes = built(&ds).to_bytes();
    assert!(bytes.len() > 100, "{} bytes", bytes.len());
    for i in 0..bytes.len() {
        for bit in 0..8 {
            let mut b = bytes.clone();
            b[i] ^= 1 << bit;
            let e = refusal(&b);
            let expected_kind = match i {
                0..=7 => matches!(e, TallyError::NotATally),
                8..=9 => matches!(e, TallyError::Version { .. }),
                // The payload length: a cut or an overlong buffer, or a checksum over other bytes.
                12..=19 => matches!(e, TallyError::Truncated { .. } | TallyError::Malformed(_)),
                _ => matches!(e, TallyError::Checksum { .. }),
            };
            assert!(expected_kind, "byte {i} bit {bit}: {e:?}");
        }
    }
}

#[test]
fn every_truncation_is_refused() {
    let ds: Vec<Dossier> = proptest::strategy::ValueTree::current(
        &proptest::collection::vec(dossier(), 12)
            .new_tree(&mut proptest::test_runner::TestRunner::deterministic())
            .unwrap(),
    );
    let bytes = built(&ds).to_bytes();
    for len in 0..bytes.len() {
        let e = refusal(&bytes[..len]);
        assert!(
            matches!(e, TallyError::Truncated { len: l, needed } if l == len && needed > len),
            "length {len}: {e:?}"
        );
    }
    assert!(PortableTally::from_bytes(&bytes).is_ok());
}

#[test]
fn another_format_version_is_refused() {
    let mut bytes = built(&[]).to_bytes();
    let v = chiso::tally_bytes::VERSION + 1;
    bytes[8..10].copy_from_slice(&v.to_le_bytes());
    assert_eq!(
        refusal(&bytes),
        TallyError::Version {
            found: v,
            supported: chiso::tally_bytes::VERSION
        }
    );
    let e = PortableTally::from_bytes(&bytes).unwrap_err().to_string();
    assert!(e.contains("version"), "{e}");
}

#[test]
fn empty_and_foreign_buffers_are_refused() {
    assert!(matches!(refusal(&[]), TallyError::Truncated { len: 0, .. }));
    assert_eq!(refusal(b"PAR1 not a tally"), TallyError::NotATally);
}
