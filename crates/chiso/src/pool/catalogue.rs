//! The catalogue as pooling reads it, indexed once per scorecard in time and memory that follow
//! the catalogue's length and the codes actually tallied, never units × procedures.
//!
//! Which entries a unit implements (INDICATORS.md §6.4) takes two forms: an entry with a list of
//! implementing units belongs to exactly those, and an entry without one belongs to every unit
//! whose kind matches its level. The first is a short sorted list per unit; the second needs no
//! per-unit set at all, because a unit kind covers a fixed set of levels: a subtree implements
//! every unlisted entry of the levels its kinds cover, so its counts come from per-level totals.

use crate::model::{Level, Procedure, UnitTree};

/// Static facts of a procedure position, one byte each (see [`Catalogue::attr`]).
pub(super) const KNOWN: u8 = 1;
/// Offered online, partly or fully.
pub(super) const OFFERED: u8 = 2;
/// Fee-bearing.
pub(super) const FEE_BEARING: u8 = 4;
/// For citizens.
pub(super) const CITIZENS: u8 = 8;

/// Level classes of entries without a unit list: 0 is "no level" (implemented by no unit).
const LEVELS: [Level; 4] = [
    Level::Ministry,
    Level::Province,
    Level::District,
    Level::Commune,
];
/// The class of an entry that lists its implementing units.
const LISTED: u8 = u8::MAX;

fn class_of(level: Option<Level>) -> u8 {
    level
        .and_then(|l| LEVELS.iter().position(|&x| x == l))
        .map_or(0, |i| i as u8 + 1)
}

/// Which level classes a unit kind implements, as a bit mask over classes.
pub(super) fn levels_of(kind: &crate::model::UnitKind) -> u8 {
    LEVELS
        .iter()
        .enumerate()
        .filter(|(_, l)| l.applies_to(kind))
        .fold(0, |m, (i, _)| m | 1 << (i + 1))
}

/// Catalogue entries counted four ways: all, offered online, fee-bearing, for citizens.
pub(super) type FourCounts = [u64; 4];

/// Procedure positions and what pooling asks of them. Positions: catalogue entries first
/// (0..len, duplicates of a code kept, as each entry counts), then the tallied codes that are
/// not in the catalogue.
pub(super) struct Catalogue {
    /// Catalogue entries.
    pub len: usize,
    /// Positions of each tally procedure id, as ranges into `flat`.
    of_procedure: Vec<(u32, u32)>,
    flat: Vec<u32>,
    /// Static facts per position (0 for codes outside the catalogue).
    pub attr: Vec<u8>,
    /// Level class per catalogue entry, [`LISTED`] for entries with a unit list.
    class: Vec<u8>,
    /// Per level class, the unlisted entries counted four ways.
    by_class: [FourCounts; 5],
    /// Entries listing each unit (by tree index), sorted, as ranges into `listed`.
    listed_at: Vec<u32>,
    listed: Vec<u32>,
}

impl Catalogue {
    /// Indexes `catalogue` for the tree's units and the tally's procedure codes: `tallied`
    /// of them, `id_of` giving a code's id (the tally's own index, so that no second one is
    /// built at every scorecard).
    pub fn new(
        catalogue: &[Procedure],
        tallied: usize,
        id_of: impl Fn(&str) -> Option<u32>,
        tree: &UnitTree,
    ) -> Self {
        let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(catalogue.len().min(tallied));
        let mut attr = Vec::with_capacity(catalogue.len());
        let mut class = Vec::with_capacity(catalogue.len());
        let mut by_class = [[0u64; 4]; 5];
        let mut listed_pairs: Vec<(u32, u32)> = Vec::new();
        for (j, p) in catalogue.iter().enumerate() {
            if let Some(t) = id_of(p.procedure_code.as_str()) {
                pairs.push((t, j as u32));
            }
            let a = KNOWN
                | if p.offered_online() { OFFERED } else { 0 }
                | if p.fee_bearing { FEE_BEARING } else { 0 }
                | if p.for_citizens { CITIZENS } else { 0 };
            attr.push(a);
            if p.units.is_empty() {
                let c = class_of(p.level);
                class.push(c);
                add_four(&mut by_class[c as usize], a);
            } else {
                class.push(LISTED);
                listed_pairs.extend(
                    p.units
                        .iter()
                        .filter_map(|u| tree.index_of(u))
                        .map(|i| (i as u32, j as u32)),
                );
            }
        }
        // Tally ids in order, each with its catalogue entries (ascending, as scanned) or a
        // position of its own past the catalogue. The ids are dense, so the entries are grouped
        // by a counting sort, which keeps their scan order.
        let mut end = vec![0u32; tallied + 1];
        pairs.retain(|&(t, _)| (t as usize) < tallied);
        for &(t, _) in &pairs {
            end[t as usize + 1] += 1;
        }
        for t in 0..tallied {
            end[t + 1] += end[t];
        }
        let mut grouped = vec![0u32; pairs.len()];
        for &(t, j) in &pairs {
            let at = &mut end[t as usize];
            grouped[*at as usize] = j;
            *at += 1;
        }
        // `end[t]` is now where id t's entries end (and `end[t - 1]` where they start).
        let mut of_procedure = Vec::with_capacity(tallied);
        let mut flat = Vec::with_capacity(pairs.len() + tallied);
        let mut next = catalogue.len() as u32;
        let mut start = 0usize;
        for &stop in &end[..tallied] {
            let from = flat.len() as u32;
            let entries = grouped.get(start..stop as usize).unwrap_or_default();
            if entries.is_empty() {
                flat.push(next);
                next += 1;
            } else {
                flat.extend_from_slice(entries);
            }
            start = stop as usize;
            of_procedure.push((from, flat.len() as u32));
        }
        attr.resize(next as usize, 0);
        listed_pairs.sort_unstable();
        listed_pairs.dedup();
        let mut listed_at = vec![0u32; tree.len() + 1];
        for &(i, _) in &listed_pairs {
            listed_at[i as usize + 1] += 1;
        }
        for i in 0..tree.len() {
            listed_at[i + 1] += listed_at[i];
        }
        Self {
            len: catalogue.len(),
            of_procedure,
            flat,
            attr,
            class,
            by_class,
            listed_at,
            listed: listed_pairs.into_iter().map(|(_, j)| j).collect(),
        }
    }

    /// Positions of a tally procedure id.
    pub fn of(&self, procedure_id: usize) -> &[u32] {
        self.of_procedure
            .get(procedure_id)
            .and_then(|&(a, b)| self.flat.get(a as usize..b as usize))
            .unwrap_or_default()
    }

    /// Catalogue entries that list unit `i` among their implementing units.
    pub fn listed(&self, i: usize) -> &[u32] {
        match (self.listed_at.get(i), self.listed_at.get(i + 1)) {
            (Some(&a), Some(&b)) => self.listed.get(a as usize..b as usize).unwrap_or_default(),
            _ => &[],
        }
    }

    /// Whether unit `i`, covering level classes `levels`, implements catalogue entry `q`.
    pub fn implements(&self, i: usize, levels: u8, q: u32) -> bool {
        match self.class.get(q as usize) {
            Some(&LISTED) => self.listed(i).binary_search(&q).is_ok(),
            Some(&c) => levels >> c & 1 == 1,
            None => false,
        }
    }

    /// Unlisted entries of the level classes in `levels`, counted four ways.
    pub fn unlisted(&self, levels: u8) -> FourCounts {
        let mut out = [0; 4];
        for (c, counts) in self.by_class.iter().enumerate() {
            if levels >> c & 1 == 1 {
                for (o, n) in out.iter_mut().zip(counts) {
                    *o += n;
                }
            }
        }
        out
    }

    /// Entries in `entries`, counted four ways.
    pub fn count_four(&self, entries: &[u32]) -> FourCounts {
        let mut out = [0; 4];
        for &q in entries {
            add_four(&mut out, self.attr.get(q as usize).copied().unwrap_or(0));
        }
        out
    }
}

fn add_four(out: &mut FourCounts, a: u8) {
    out[0] += u64::from(a & KNOWN != 0);
    out[1] += u64::from(a & OFFERED != 0);
    out[2] += u64::from(a & FEE_BEARING != 0);
    out[3] += u64::from(a & CITIZENS != 0);
}
