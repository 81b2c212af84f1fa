//! Pooling checked against the definitions of §6.4 computed the slow way.
#![allow(clippy::unwrap_used)]
use super::*;
use crate::model::{Level, OnlineLevel, Unit, UnitKind};
use std::collections::{BTreeMap, HashSet};

/// The definitions of §6.4, computed the slow way for one subtree: pool its cells by
/// (unit, procedure code), then walk the catalogue asking each unit whether it implements
/// each entry; only dossiers at an implementing unit count.
fn reference(
    tree: &UnitTree,
    i: usize,
    tally: &Tally,
    catalogue: &[Procedure],
    period: &Period,
) -> (Counts, DistinctCounts, Vec<crate::text::Text>, (u64, u64)) {
    let members: Vec<&Unit> = tree.subtree(i).into_iter().map(|j| tree.unit(j)).collect();
    let codes: HashSet<&str> = members.iter().map(|u| u.code.as_str()).collect();
    let mut total = Counts::default();
    let mut by_pair: BTreeMap<(String, String), Counts> = BTreeMap::new();
    for (k, c) in tally.cells() {
        if k.period != period || !codes.contains(k.unit) {
            continue;
        }
        total.merge(c);
        if let Some(p) = k.procedure {
            by_pair
                .entry((k.unit.to_string(), p.to_string()))
                .or_default()
                .merge(c);
        }
    }
    let mut d = DistinctCounts::default();
    let mut notes: Vec<crate::text::Text> = Vec::new();
    if catalogue.is_empty() {
        let mut by_procedure: BTreeMap<&str, Counts> = BTreeMap::new();
        for ((_, p), c) in &by_pair {
            by_procedure.entry(p).or_default().merge(c);
        }
        if !by_procedure.is_empty() {
            notes.push(NO_CATALOGUE.into());
        }
        for c in by_procedure.values() {
            d.authority_procedures += 1;
            d.citizen_procedures += 1;
            d.citizen_procedures_population += u64::from(c.population_data > 0);
            d.online_procedures += u64::from(c.channel_online > 0);
            if c.fee_dossiers > 0 || c.paid_online_any > 0 {
                d.fee_procedures += 1;
                d.fee_procedures_with_fee_data += u64::from(c.fee_dossiers > 0);
                d.fee_procedures_paid_online += u64::from(c.paid_online_any > 0);
            }
        }
        let pairs = by_pair.values().filter(|c| c.channel_online > 0).count() as u64;
        d.online_services_offered = pairs;
        d.online_services_used = pairs;
    } else {
        for p in catalogue {
            let implementers: Vec<&&Unit> = members
                .iter()
                .filter(|u| p.implemented_by(&u.code, &u.kind))
                .collect();
            if implementers.is_empty() {
                continue;
            }
            let mut rows = Counts::default();
            let mut used = 0;
            for u in &implementers {
                if let Some(c) = by_pair.get(&(u.code.clone(), p.procedure_code.clone())) {
                    rows.merge(c);
                    used += u64::from(c.channel_online > 0);
                }
            }
            d.authority_procedures += 1;
            if p.offered_online() {
                d.online_procedures += 1;
                d.online_services_offered += implementers.len() as u64;
                d.online_services_used += used;
            }
            if p.fee_bearing {
                d.fee_procedures += 1;
                d.fee_procedures_with_fee_data += u64::from(rows.fee_dossiers > 0);
                d.fee_procedures_paid_online += u64::from(rows.paid_online_any > 0);
            }
            if p.for_citizens {
                d.citizen_procedures += 1;
                d.citizen_procedures_population += u64::from(rows.population_data > 0);
            }
        }
        let seen: HashSet<&str> = by_pair.keys().map(|(_, p)| p.as_str()).collect();
        let unknown = seen
            .iter()
            .filter(|code| !catalogue.iter().any(|p| p.procedure_code == **code))
            .count();
        if unknown > 0 {
            notes.push(format!("{unknown} procedure(s) in dossiers are not in the catalogue and are left out of distinct-procedure counts").into());
        }
        // Catalogue entries with a dossier at a unit that does not implement them.
        let stray = catalogue
            .iter()
            .filter(|p| {
                by_pair.keys().any(|(u, code)| {
                    *code == p.procedure_code
                        && tree
                            .get(u)
                            .is_some_and(|u| !p.implemented_by(&u.code, &u.kind))
                })
            })
            .count();
        if stray > 0 {
            notes.push(format!("{stray} procedure(s) have dossiers at units the catalogue does not assign them to; those dossiers are left out of distinct-procedure counts (see the data-quality report)").into());
        }
    }
    (total, d, notes, e_copy_counts(&members))
}

struct Rng(u64);
impl Rng {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// A random province: districts and departments, communes under districts.
fn tree(r: &mut Rng) -> UnitTree {
    let mut units = vec![Unit::new("P", "P", UnitKind::province(), None)];
    for d in 0..1 + r.next(4) {
        let code = format!("P.D{d}");
        let kind = if r.next(3) == 0 {
            UnitKind::agency()
        } else {
            UnitKind::district()
        };
        units.push(Unit::new(&code, &code, kind, Some("P")));
        for c in 0..r.next(4) {
            let cc = format!("{code}.C{c}");
            let mut u = Unit::new(&cc, &cc, UnitKind::commune(), Some(&code));
            u.e_certified_copy = [None, Some(true), Some(false)][r.next(3) as usize];
            units.push(u);
        }
    }
    UnitTree::new(units).unwrap()
}

fn catalogue(r: &mut Rng, tree: &UnitTree) -> Vec<Procedure> {
    let levels = [
        None,
        Some(Level::Province),
        Some(Level::District),
        Some(Level::Commune),
    ];
    (0..r.next(12))
        .map(|i| {
            // Some codes repeat: each catalogue entry counts on its own.
            let mut p = Procedure {
                procedure_code: format!("1.{}", i % 9),
                level: levels[r.next(4) as usize],
                fee_bearing: r.next(2) == 0,
                for_citizens: r.next(2) == 0,
                online_level: [OnlineLevel::None, OnlineLevel::Partial, OnlineLevel::Full]
                    [r.next(3) as usize],
                ..Procedure::default()
            };
            if r.next(4) == 0 {
                for _ in 0..1 + r.next(3) {
                    let u = tree.unit(r.next(tree.len() as u64) as usize);
                    p.units.push(u.code.clone());
                }
            }
            p
        })
        .collect()
}

fn tally(r: &mut Rng, tree: &UnitTree, period: &Period, other: &Period) -> Tally {
    let mut t = Tally::new();
    for _ in 0..r.next(40) {
        let unit = if r.next(10) == 0 {
            "ELSEWHERE".to_string()
        } else {
            tree.unit(r.next(tree.len() as u64) as usize).code.clone()
        };
        let procedure = (r.next(8) > 0).then(|| format!("1.{}", r.next(14)));
        let p = if r.next(8) == 0 { other } else { period };
        let c = t.cell_mut(&unit, procedure.as_deref(), p);
        c.received += 1 + r.next(5);
        c.channel_online += r.next(2);
        c.fee_dossiers += r.next(2);
        c.paid_online += r.next(2);
        c.paid_online_any += r.next(2);
        c.population_data += r.next(2);
    }
    t
}

#[test]
fn pooled_facts_equal_the_definitions_on_random_provinces() {
    let period: Period = "2026".parse().unwrap();
    let other: Period = "2025".parse().unwrap();
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    let mut with_catalogue = 0;
    for _ in 0..400 {
        let tree = tree(&mut r);
        let cat = catalogue(&mut r, &tree);
        with_catalogue += usize::from(!cat.is_empty());
        let t = tally(&mut r, &tree, &period, &other);
        let got = pool_tree(&t, &tree, &cat, &period, &[], None);
        for (i, (counts, facts)) in got.iter().enumerate() {
            let (total, d, notes, e_copy) = reference(&tree, i, &t, &cat, &period);
            assert_eq!(*counts, total, "counters of unit {i}");
            assert_eq!(facts.distinct, d, "distinct counts of unit {i}");
            assert_eq!(facts.notes, notes);
            assert_eq!((facts.e_copy_communes, facts.e_copy_offering), e_copy);
        }
    }
    assert!(with_catalogue > 300, "both catalogue modes are exercised");
}

mod random {
    //! proptest: any forest (deep chains included, where the small-to-large walk has light
    //! and heavy children at every level), any catalogue (repeated codes, levels, unit lists
    //! naming units in the tree or not) and any cells give the definitions' facts.
    use super::*;
    use proptest::prelude::*;

    const KINDS: [&str; 7] = [
        "province",
        "department",
        "agency",
        "district",
        "commune",
        "ministry",
        "ward",
    ];

    fn forest(shape: &[(u16, usize, Option<bool>)]) -> UnitTree {
        let units = shape
            .iter()
            .enumerate()
            .map(|(k, &(parent, kind, e_copy))| {
                let parent =
                    (k > 0 && parent % 5 != 0).then(|| format!("U{}", parent as usize % k));
                let mut u = Unit::new(
                    &format!("U{k}"),
                    "",
                    UnitKind::new(KINDS[kind]),
                    parent.as_deref(),
                );
                u.e_certified_copy = e_copy;
                u
            })
            .collect();
        UnitTree::new(units).unwrap()
    }

    type Entry = (u8, u8, bool, bool, u8, Vec<u16>);

    fn catalogue(entries: &[Entry], units: usize) -> Vec<Procedure> {
        let levels = [
            None,
            Some(Level::Ministry),
            Some(Level::Province),
            Some(Level::District),
            Some(Level::Commune),
        ];
        entries
            .iter()
            .map(|(code, level, fee, citizens, online, listed)| Procedure {
                procedure_code: format!("1.{code}"),
                level: levels[*level as usize % levels.len()],
                fee_bearing: *fee,
                for_citizens: *citizens,
                online_level: [OnlineLevel::None, OnlineLevel::Partial, OnlineLevel::Full]
                    [*online as usize % 3],
                units: listed
                    .iter()
                    .map(|&u| {
                        if u % 9 == 0 {
                            "NOT-IN-TREE".to_string()
                        } else {
                            format!("U{}", u as usize % units)
                        }
                    })
                    .collect(),
                ..Procedure::default()
            })
            .collect()
    }

    type Cell = (u16, Option<u8>, bool, [u8; 6]);

    fn tally(cells: &[Cell], units: usize, period: &Period, other: &Period) -> Tally {
        let mut t = Tally::new();
        for (unit, procedure, elsewhen, c) in cells {
            let unit = if unit % 11 == 0 {
                "ELSEWHERE".to_string()
            } else {
                format!("U{}", *unit as usize % units)
            };
            let procedure = procedure.map(|p| format!("1.{p}"));
            let p = if *elsewhen { other } else { period };
            let cell = t.cell_mut(&unit, procedure.as_deref(), p);
            cell.received += 1 + u64::from(c[0]);
            cell.channel_online += u64::from(c[1]);
            cell.fee_dossiers += u64::from(c[2]);
            cell.paid_online_any += u64::from(c[3]);
            cell.population_data += u64::from(c[4]);
            cell.paid_online += u64::from(c[5]);
        }
        t
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn pooling_equals_the_definitions(
            shape in prop::collection::vec(
                (any::<u16>(), 0..KINDS.len(), prop::option::of(any::<bool>())),
                1..40,
            ),
            entries in prop::collection::vec(
                (0..10u8, 0..5u8, any::<bool>(), any::<bool>(), 0..3u8,
                 prop::collection::vec(any::<u16>(), 0..3)),
                0..30,
            ),
            cells in prop::collection::vec(
                (any::<u16>(), prop::option::weighted(0.9, 0..14u8), prop::bool::weighted(0.1),
                 prop::array::uniform6(0..2u8)),
                0..80,
            ),
        ) {
            let period: Period = "2026".parse().unwrap();
            let other: Period = "2025".parse().unwrap();
            let tree = forest(&shape);
            let cat = catalogue(&entries, tree.len());
            let t = tally(&cells, tree.len(), &period, &other);
            let got = pool_tree(&t, &tree, &cat, &period, &[], None);
            prop_assert_eq!(got.len(), tree.len());
            for (i, (counts, facts)) in got.iter().enumerate() {
                let (total, d, notes, e_copy) = reference(&tree, i, &t, &cat, &period);
                prop_assert_eq!(*counts, total, "counters of unit {}", i);
                prop_assert_eq!(facts.distinct, d, "distinct counts of unit {}", i);
                prop_assert_eq!(&facts.notes, &notes);
                prop_assert_eq!((facts.e_copy_communes, facts.e_copy_offering), e_copy);
            }
        }
    }
}
