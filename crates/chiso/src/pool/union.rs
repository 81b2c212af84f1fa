//! Distinct procedures of every subtree at once, in time and memory that follow the entries
//! present — (unit, procedure position) pairs — rather than units × catalogue.
//!
//! Each unit contributes entries: a position with flags saying what its dossiers showed there
//! and whether the catalogue lists the unit for it. A subtree's facts are counts of distinct
//! positions in the union of its units' entries, flags OR-ed. Building every subtree's union
//! separately would cost depth × entries (quadratic on a long chain of units), and bitsets per
//! unit cost units × catalogue. Instead one union is kept at a time, growing: a unit keeps its
//! heaviest child's union and adds the other children's entries to it ("small to large", or
//! DSU on tree), so an entry is added once per light edge above it — O(entries × log units) in
//! all — and the only dense state is one flag byte per position.

use super::catalogue::{CITIZENS, FEE_BEARING, KNOWN, OFFERED};
use crate::model::UnitTree;

/// A dossier of a procedure the unit implements (every procedure, without a catalogue).
pub(super) const SEEN: u8 = 1;
/// Of those, one received online.
pub(super) const ONLINE: u8 = 2;
/// Of those, one with fee data.
pub(super) const FEE_DATA: u8 = 4;
/// Of those, one paid online.
pub(super) const PAID: u8 = 8;
/// Of those, one using national population data.
pub(super) const POPULATION: u8 = 16;
/// A dossier, assigned to its unit by the catalogue or not.
pub(super) const ANY: u8 = 32;
/// A dossier of a catalogue procedure at a unit the catalogue does not assign it to.
pub(super) const STRAY: u8 = 64;
/// The catalogue lists the unit among the procedure's implementing units.
pub(super) const LISTED: u8 = 128;

/// The distinct-position counts kept for each subtree.
#[derive(Clone, Copy)]
pub(super) enum Count {
    Seen,
    Online,
    FeeOrPaid,
    FeeData,
    Paid,
    Population,
    FeeDataBearing,
    PaidBearing,
    PopulationCitizens,
    Unknown,
    Stray,
    Listed,
    ListedOffered,
    ListedFeeBearing,
    ListedCitizens,
}

/// How many counts there are.
const COUNTS: usize = 15;

/// A subtree's distinct-position counts, indexed by [`Count`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Distinct([u64; COUNTS]);

impl Distinct {
    pub fn get(&self, c: Count) -> u64 {
        self.0[c as usize]
    }
}

const fn bit(x: bool, c: Count) -> u16 {
    if x {
        1 << c as u16
    } else {
        0
    }
}

/// The counts a position with these flags and static facts falls in, as a bit mask.
const fn holds(f: u8, a: u8) -> u16 {
    let (fee, paid, population) = (f & FEE_DATA != 0, f & PAID != 0, f & POPULATION != 0);
    let listed = f & LISTED != 0;
    bit(f & SEEN != 0, Count::Seen)
        | bit(f & ONLINE != 0, Count::Online)
        | bit(fee || paid, Count::FeeOrPaid)
        | bit(fee, Count::FeeData)
        | bit(paid, Count::Paid)
        | bit(population, Count::Population)
        | bit(fee && a & FEE_BEARING != 0, Count::FeeDataBearing)
        | bit(paid && a & FEE_BEARING != 0, Count::PaidBearing)
        | bit(population && a & CITIZENS != 0, Count::PopulationCitizens)
        | bit(f & ANY != 0 && a & KNOWN == 0, Count::Unknown)
        | bit(f & STRAY != 0, Count::Stray)
        | bit(listed, Count::Listed)
        | bit(listed && a & OFFERED != 0, Count::ListedOffered)
        | bit(listed && a & FEE_BEARING != 0, Count::ListedFeeBearing)
        | bit(listed && a & CITIZENS != 0, Count::ListedCitizens)
}

const fn table() -> [[u16; 16]; 256] {
    let mut t = [[0; 16]; 256];
    let mut f = 0;
    while f < 256 {
        let mut a = 0;
        while a < 16 {
            t[f][a] = holds(f as u8, a as u8);
            a += 1;
        }
        f += 1;
    }
    t
}

/// [`holds`] for every flag byte and every static-facts nibble, worked out at compile time.
static HOLDS: [[u16; 16]; 256] = table();

/// The tree in depth-first preorder: a subtree is a contiguous run of it.
pub(super) struct Order {
    /// Units in preorder.
    pub pre: Vec<u32>,
    /// Each unit's place in `pre`.
    pub tin: Vec<u32>,
    /// Units in each unit's subtree, itself included.
    pub size: Vec<u32>,
    /// Units without a parent, in preorder.
    pub roots: Vec<u32>,
}

impl Order {
    pub fn new(tree: &UnitTree) -> Self {
        let n = tree.len();
        let mut is_child = vec![false; n];
        for i in 0..n {
            for &c in tree.children_of(i) {
                is_child[c] = true;
            }
        }
        let (mut pre, mut tin) = (Vec::with_capacity(n), vec![0u32; n]);
        let (mut stack, mut roots) = (Vec::new(), Vec::new());
        for r in (0..n).filter(|&i| !is_child[i]) {
            roots.push(r as u32);
            stack.push(r);
            while let Some(v) = stack.pop() {
                tin[v] = pre.len() as u32;
                pre.push(v as u32);
                stack.extend(tree.children_of(v).iter().rev());
            }
        }
        let mut size = vec![1u32; n];
        for &v in pre.iter().rev() {
            for &c in tree.children_of(v as usize) {
                size[v as usize] += size[c];
            }
        }
        Self {
            pre,
            tin,
            size,
            roots,
        }
    }
}

/// The growing union: a flag byte per position, the positions set, and the counts.
struct Union<'a> {
    flags: Vec<u8>,
    touched: Vec<u32>,
    counts: Distinct,
    attr: &'a [u8],
}

impl Union<'_> {
    fn add(&mut self, q: u32, f: u8) {
        let Some(slot) = self.flags.get_mut(q as usize) else {
            return;
        };
        let old = *slot;
        let new = old | f;
        if new == old {
            return;
        }
        if old == 0 {
            self.touched.push(q);
        }
        *slot = new;
        let a = usize::from(self.attr.get(q as usize).copied().unwrap_or(0) & 15);
        let mut gained = HOLDS[usize::from(new)][a] & !HOLDS[usize::from(old)][a];
        while gained != 0 {
            self.counts.0[gained.trailing_zeros() as usize] += 1;
            gained &= gained - 1;
        }
    }
    fn clear(&mut self) {
        for q in self.touched.drain(..) {
            self.flags[q as usize] = 0;
        }
        self.counts = Distinct::default();
    }
}

enum Step {
    Visit(u32, bool),
    /// A unit whose children are done: (unit, keep its union, heavy child or `u32::MAX`).
    Finish(u32, bool, u32),
}

/// Every subtree's distinct counts, by tree index. `entries` holds each unit's entries in
/// preorder, unit `pre[k]`'s at `entries[at[k]..at[k + 1]]`; `attr` gives each position's
/// static facts (positions past it have none); positions are below `width`.
pub(super) fn subtree_counts(
    tree: &UnitTree,
    order: &Order,
    entries: &[(u32, u8)],
    at: &[u32],
    attr: &[u8],
    width: usize,
) -> Vec<Distinct> {
    let n = tree.len();
    let mut out = vec![Distinct::default(); n];
    let mut union = Union {
        flags: vec![0; width],
        // At most one per position; sized up front so that it does not grow step by step.
        touched: Vec::with_capacity(width.min(entries.len())),
        counts: Distinct::default(),
        attr,
    };
    let run = |v: usize, whole: bool| -> &[(u32, u8)] {
        let k = order.tin[v] as usize;
        let end = if whole {
            k + order.size[v] as usize
        } else {
            k + 1
        };
        match (at.get(k), at.get(end)) {
            (Some(&a), Some(&b)) => entries.get(a as usize..b as usize).unwrap_or_default(),
            _ => &[],
        }
    };
    let heavy = |v: usize| {
        tree.children_of(v)
            .iter()
            .max_by_key(|&&c| (run(c, true).len(), order.size[c]))
            .map_or(u32::MAX, |&c| c as u32)
    };
    let mut stack: Vec<Step> = order
        .roots
        .iter()
        .rev()
        .map(|&v| Step::Visit(v, false))
        .collect();
    while let Some(step) = stack.pop() {
        match step {
            Step::Visit(v, keep) => {
                let h = heavy(v as usize);
                stack.push(Step::Finish(v, keep, h));
                if h != u32::MAX {
                    stack.push(Step::Visit(h, true));
                }
                for &c in tree.children_of(v as usize) {
                    if c as u32 != h {
                        stack.push(Step::Visit(c as u32, false));
                    }
                }
            }
            Step::Finish(v, keep, h) => {
                let v = v as usize;
                for &c in tree.children_of(v) {
                    if c as u32 != h {
                        for &(q, f) in run(c, true) {
                            union.add(q, f);
                        }
                    }
                }
                for &(q, f) in run(v, false) {
                    union.add(q, f);
                }
                out[v] = union.counts;
                if !keep {
                    union.clear();
                }
            }
        }
    }
    out
}
