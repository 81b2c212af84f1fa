//! Pooling a unit tree's cells for scoring. Dossier counters add up the tree. The
//! distinct-procedure facts (3.1, 3.2, 3.5a/b, 4.5a) are not sums but unions over a subtree, so
//! each unit carries small bitsets over the catalogue's positions and a parent ORs its
//! children's. All five read one set of procedures (INDICATORS.md §6.4): those the catalogue
//! assigns to the subtree's units. A unit's dossiers of procedures not assigned to it are masked
//! out before pooling (they are a data-quality finding, and noted), so they add to no numerator
//! or denominator; without a catalogue, the procedures seen in a unit's dossiers are its set.
//! The catalogue is indexed once per scorecard, and which procedures a unit implements is
//! worked out per unit kind (and per explicit unit list), not per (unit, procedure) pair — pooling a province costs microseconds, and it is the same arithmetic for
//! every unit of the tree.

use crate::facts::e_copy_counts;
use crate::measure::{CatalogueCounts, DistinctCounts, UnitFacts};
use crate::model::{Procedure, UnitTree};
use crate::period::Period;
use crate::tally::{Counts, Tally};
use std::collections::HashMap;

/// A fixed-width set of procedure positions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Bits(Vec<u64>);

impl Bits {
    fn new(width: usize) -> Self {
        Bits(vec![0; width.div_ceil(64)])
    }
    fn set(&mut self, i: usize) {
        if let Some(w) = self.0.get_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }
    fn union(&mut self, o: &Bits) {
        for (a, b) in self.0.iter_mut().zip(&o.0) {
            *a |= b;
        }
    }
    /// Keeps only members of `m`.
    fn intersect(&mut self, m: &Bits) {
        for (a, b) in self.0.iter_mut().zip(&m.0) {
            *a &= b;
        }
    }
    /// Members of `self` within `m` but not in `x`.
    fn and_not(&self, m: &Bits, x: &Bits) -> Bits {
        Bits(
            self.0
                .iter()
                .zip(&m.0)
                .zip(&x.0)
                .map(|((a, b), c)| a & b & !c)
                .collect(),
        )
    }
    fn count(&self) -> u64 {
        self.0.iter().map(|w| u64::from(w.count_ones())).sum()
    }
    /// Members of both sets.
    fn count_and(&self, m: &Bits) -> u64 {
        self.0
            .iter()
            .zip(&m.0)
            .map(|(a, b)| u64::from((a & b).count_ones()))
            .sum()
    }
    /// Members of either `self` or `o`.
    fn count_or(&self, o: &Bits) -> u64 {
        self.0
            .iter()
            .zip(&o.0)
            .map(|(a, b)| u64::from((a | b).count_ones()))
            .sum()
    }
    fn count_and3(&self, o: &Bits, m: &Bits) -> u64 {
        self.0
            .iter()
            .zip(&o.0)
            .zip(&m.0)
            .map(|((a, b), c)| u64::from((a & b & c).count_ones()))
            .sum()
    }
}

/// What a subtree's dossier rows say per procedure position.
#[derive(Clone, Debug, Default)]
struct RowBits {
    seen: Bits,
    online: Bits,
    fee: Bits,
    paid: Bits,
    population: Bits,
}

impl RowBits {
    fn new(width: usize) -> Self {
        Self {
            seen: Bits::new(width),
            online: Bits::new(width),
            fee: Bits::new(width),
            paid: Bits::new(width),
            population: Bits::new(width),
        }
    }
    fn mark(&mut self, pos: usize, c: &Counts) {
        self.seen.set(pos);
        if c.channel_online > 0 {
            self.online.set(pos);
        }
        if c.fee_dossiers > 0 {
            self.fee.set(pos);
        }
        // 3.5b: paid online whatever the dossier's fee lines say (§6.5).
        if c.paid_online_any > 0 {
            self.paid.set(pos);
        }
        if c.population_data > 0 {
            self.population.set(pos);
        }
    }
    fn union(&mut self, o: &RowBits) {
        self.seen.union(&o.seen);
        self.online.union(&o.online);
        self.fee.union(&o.fee);
        self.paid.union(&o.paid);
        self.population.union(&o.population);
    }
    /// Keeps only the procedures in `m` (those the unit implements).
    fn intersect(&mut self, m: &Bits) {
        self.seen.intersect(m);
        self.online.intersect(m);
        self.fee.intersect(m);
        self.paid.intersect(m);
        self.population.intersect(m);
    }
}

/// One unit's pooled subtree.
#[derive(Clone, Debug, Default)]
struct Node {
    total: Counts,
    /// What the subtree's dossiers say, of procedures assigned to the unit that received them
    /// (all procedures seen, without a catalogue).
    rows: RowBits,
    /// Every procedure seen in the subtree's dossiers, assigned or not (for the notes).
    seen_all: Bits,
    /// Catalogue procedures with dossiers at a unit the catalogue does not assign them to.
    stray: Bits,
    /// Procedures implemented by some unit of the subtree (catalogue positions).
    implemented: Bits,
    /// 3.2 pairs, which add up across units.
    services_offered: u64,
    services_used: u64,
    e_copy: (u64, u64),
}

impl Node {
    fn absorb(&mut self, o: &Node) {
        self.total.merge(&o.total);
        self.rows.union(&o.rows);
        self.seen_all.union(&o.seen_all);
        self.stray.union(&o.stray);
        self.implemented.union(&o.implemented);
        self.services_offered += o.services_offered;
        self.services_used += o.services_used;
        self.e_copy.0 += o.e_copy.0;
        self.e_copy.1 += o.e_copy.1;
    }
}

/// Positions: catalogue entries first (0..catalogue.len(), duplicates of a code kept, as each
/// entry counts), then procedure codes seen in dossiers but not in the catalogue.
struct Positions<'a> {
    catalogue: usize,
    width: usize,
    /// Position lists of each tally procedure id, as ranges into `flat`.
    of_procedure: Vec<(u32, u32)>,
    flat: Vec<u32>,
    offered: Bits,
    fee: Bits,
    citizens: Bits,
    known: Bits,
    entries: &'a [Procedure],
}

impl<'a> Positions<'a> {
    fn new(catalogue: &'a [Procedure], tally_codes: &[String]) -> Self {
        let mut by_code: HashMap<&str, Vec<u32>> = HashMap::with_capacity(catalogue.len());
        for (i, p) in catalogue.iter().enumerate() {
            by_code
                .entry(p.procedure_code.as_str())
                .or_default()
                .push(i as u32);
        }
        let mut next = catalogue.len() as u32;
        let (mut of_procedure, mut flat) = (Vec::with_capacity(tally_codes.len()), Vec::new());
        for code in tally_codes {
            let from = flat.len() as u32;
            match by_code.get(code.as_str()) {
                Some(list) => flat.extend_from_slice(list),
                None => {
                    flat.push(next);
                    next += 1;
                }
            }
            of_procedure.push((from, flat.len() as u32));
        }
        let width = next as usize;
        let mask = |f: fn(&Procedure) -> bool| {
            let mut b = Bits::new(width);
            for (i, p) in catalogue.iter().enumerate() {
                if f(p) {
                    b.set(i);
                }
            }
            b
        };
        Self {
            catalogue: catalogue.len(),
            width,
            of_procedure,
            flat,
            offered: mask(Procedure::offered_online),
            fee: mask(|p| p.fee_bearing),
            citizens: mask(|p| p.for_citizens),
            known: mask(|_| true),
            entries: catalogue,
        }
    }

    fn of(&self, procedure_id: usize) -> &[u32] {
        self.of_procedure
            .get(procedure_id)
            .and_then(|&(a, b)| self.flat.get(a as usize..b as usize))
            .unwrap_or_default()
    }
}

/// Which catalogue entries each unit of the tree implements: by kind for entries without an
/// explicit unit list, by code for the others.
fn implemented(tree: &UnitTree, pos: &Positions<'_>) -> Vec<Bits> {
    let mut by_kind: HashMap<&str, Bits> = HashMap::new();
    let mut listed: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in pos.entries.iter().enumerate() {
        for u in &p.units {
            listed.entry(u.as_str()).or_default().push(i);
        }
    }
    (0..tree.len())
        .map(|i| {
            let unit = tree.unit(i);
            let mut bits = by_kind
                .entry(unit.kind.as_str())
                .or_insert_with(|| {
                    let mut b = Bits::new(pos.width);
                    for (j, p) in pos.entries.iter().enumerate() {
                        if p.units.is_empty() && p.implemented_by(&unit.code, &unit.kind) {
                            b.set(j);
                        }
                    }
                    b
                })
                .clone();
            for &j in listed
                .get(unit.code.as_str())
                .map_or(&[][..], Vec::as_slice)
            {
                bits.set(j);
            }
            bits
        })
        .collect()
}

/// Every unit's pooled counters and facts, in tree order. Units whose facts are given in
/// `published` take those instead of derived ones (conformance).
pub fn pool_tree(
    tally: &Tally,
    tree: &UnitTree,
    catalogue: &[Procedure],
    period: &Period,
    catalogue_level: &[CatalogueCounts],
    published: Option<&std::collections::BTreeMap<String, UnitFacts>>,
) -> Vec<(Counts, UnitFacts)> {
    let (unit_codes, procedure_codes, cells) = tally.cells_by_id(period);
    let pos = Positions::new(catalogue, procedure_codes);
    let unit_of: Vec<Option<usize>> = unit_codes.iter().map(|c| tree.index_of(c)).collect();
    let with_catalogue = !catalogue.is_empty();
    let implemented = if with_catalogue {
        implemented(tree, &pos)
    } else {
        Vec::new()
    };
    let mut nodes: Vec<Node> = (0..tree.len())
        .map(|i| Node {
            rows: RowBits::new(pos.width),
            implemented: implemented
                .get(i)
                .cloned()
                .unwrap_or_else(|| Bits::new(pos.width)),
            e_copy: e_copy_counts(&[tree.unit(i)]),
            ..Node::default()
        })
        .collect();
    for (u, p, c) in cells {
        let Some(&Some(i)) = unit_of.get(u as usize) else {
            continue;
        };
        let node = &mut nodes[i];
        node.total.merge(c);
        if p > 0 {
            for &q in pos.of(p as usize - 1) {
                node.rows.mark(q as usize, c);
            }
        }
    }
    // A unit's own set and 3.2 pairs, before its children are pooled in.
    for n in &mut nodes {
        n.seen_all = n.rows.seen.clone();
        if with_catalogue {
            n.stray = n.rows.seen.and_not(&pos.known, &n.implemented);
            n.rows.intersect(&n.implemented);
            n.services_offered = n.implemented.count_and(&pos.offered);
            n.services_used = n.implemented.count_and3(&n.rows.online, &pos.offered);
        } else {
            n.services_offered = n.rows.online.count();
            n.services_used = n.services_offered;
        }
    }
    for i in tree.post_order() {
        for &ch in tree.children_of(i) {
            let child = std::mem::take(&mut nodes[ch]);
            nodes[i].absorb(&child);
            nodes[ch] = child;
        }
    }
    nodes
        .into_iter()
        .enumerate()
        .map(|(i, n)| {
            let facts = match published.and_then(|m| m.get(&tree.unit(i).code)) {
                Some(f) => f.clone(),
                None => facts_of(
                    &n,
                    &pos,
                    catalogue_level.get(i).copied().unwrap_or_default(),
                ),
            };
            (n.total, facts)
        })
        .collect()
}

fn facts_of(n: &Node, pos: &Positions<'_>, catalogue_level: CatalogueCounts) -> UnitFacts {
    let mut notes = Vec::new();
    let r = &n.rows;
    let distinct = if pos.catalogue == 0 {
        let seen = r.seen.count();
        if seen > 0 {
            notes.push(NO_CATALOGUE.into());
        }
        // Fee-bearing: a dossier carried fee data or was paid online.
        DistinctCounts {
            authority_procedures: seen,
            online_procedures: r.online.count(),
            online_services_offered: n.services_offered,
            online_services_used: n.services_used,
            fee_procedures: r.fee.count_or(&r.paid),
            fee_procedures_with_fee_data: r.fee.count(),
            fee_procedures_paid_online: r.paid.count(),
            citizen_procedures: seen,
            citizen_procedures_population: r.population.count(),
        }
    } else {
        let unknown = n.seen_all.count() - n.seen_all.count_and(&pos.known);
        if unknown > 0 {
            notes.push(format!("{unknown} procedure(s) in dossiers are not in the catalogue and are left out of distinct-procedure counts"));
        }
        let stray = n.stray.count();
        if stray > 0 {
            notes.push(format!("{stray} procedure(s) have dossiers at units the catalogue does not assign them to; those dossiers are left out of distinct-procedure counts (see the data-quality report)"));
        }
        let implemented = |m: &Bits| n.implemented.count_and(m);
        DistinctCounts {
            authority_procedures: implemented(&pos.known),
            online_procedures: implemented(&pos.offered),
            online_services_offered: n.services_offered,
            online_services_used: n.services_used,
            fee_procedures: implemented(&pos.fee),
            fee_procedures_with_fee_data: r.fee.count_and(&pos.fee),
            fee_procedures_paid_online: r.paid.count_and(&pos.fee),
            citizen_procedures: implemented(&pos.citizens),
            citizen_procedures_population: r.population.count_and(&pos.citizens),
        }
    };
    UnitFacts {
        distinct,
        catalogue: catalogue_level,
        e_copy_communes: n.e_copy.0,
        e_copy_offering: n.e_copy.1,
        notes,
    }
}

/// The scorecard's note when there is no catalogue (§6.4).
pub const NO_CATALOGUE: &str =
    "no procedure catalogue: distinct-procedure indicators use the procedures seen in the units' dossiers";

#[cfg(test)]
mod tests {
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
    ) -> (Counts, DistinctCounts, Vec<String>, (u64, u64)) {
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
        let mut notes = Vec::new();
        if catalogue.is_empty() {
            let mut by_procedure: BTreeMap<&str, Counts> = BTreeMap::new();
            for ((_, p), c) in &by_pair {
                by_procedure.entry(p).or_default().merge(c);
            }
            if !by_procedure.is_empty() {
                notes.push(NO_CATALOGUE.to_string());
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
                notes.push(format!("{unknown} procedure(s) in dossiers are not in the catalogue and are left out of distinct-procedure counts"));
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
                notes.push(format!("{stray} procedure(s) have dossiers at units the catalogue does not assign them to; those dossiers are left out of distinct-procedure counts (see the data-quality report)"));
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
}
