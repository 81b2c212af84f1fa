//! Pooling a unit tree's cells for scoring. Dossier counters add up the tree. The
//! distinct-procedure facts (3.1, 3.2, 3.5a/b, 4.5a) are not sums but unions over a subtree:
//! all five read one set of procedures (INDICATORS.md §6.4), those the catalogue assigns to the
//! subtree's units. A unit's dossiers of procedures not assigned to it are masked out before
//! pooling (they are a data-quality finding, and noted), so they add to no numerator or
//! denominator; without a catalogue, the procedures seen in a unit's dossiers are its set.
//!
//! Cost follows what is present, not units × procedures (a 100,000-unit tree with a
//! 1,000,000-procedure catalogue must score): the catalogue is indexed once per scorecard
//! (`catalogue`), a unit's implemented set is its kind's levels plus a short list of entries
//! naming it, and the unions of (unit, procedure) entries are counted for every subtree in one
//! small-to-large walk (`union`).

mod catalogue;
#[cfg(test)]
mod tests;
mod union;

use crate::facts::e_copy_counts;
use crate::measure::{CatalogueCounts, DistinctCounts, UnitFacts};
use crate::model::{Procedure, UnitTree};
use crate::period::Period;
use crate::tally::{Counts, Tally};
use crate::text::Text;
use catalogue::{levels_of, Catalogue, FourCounts, OFFERED};
use union::{Count, Distinct, Order, ANY, FEE_DATA, LISTED, ONLINE, PAID, POPULATION, SEEN, STRAY};

/// What one unit adds up from its subtree.
#[derive(Clone, Copy, Debug, Default)]
struct Node {
    total: Counts,
    /// Level classes implemented by some unit of the subtree (their kinds').
    levels: u8,
    /// 3.2 pairs, which add up across units.
    services_offered: u64,
    services_used: u64,
    e_copy: (u64, u64),
}

impl Node {
    fn absorb(&mut self, o: &Node) {
        self.total.merge(&o.total);
        self.levels |= o.levels;
        self.services_offered += o.services_offered;
        self.services_used += o.services_used;
        self.e_copy.0 += o.e_copy.0;
        self.e_copy.1 += o.e_copy.1;
    }
}

/// The flags a cell's counters give its procedure's positions.
fn row_flags(c: &Counts) -> u8 {
    let mut f = SEEN;
    if c.channel_online > 0 {
        f |= ONLINE;
    }
    if c.fee_dossiers > 0 {
        f |= FEE_DATA;
    }
    // 3.5b: paid online whatever the dossier's fee lines say (§6.5).
    if c.paid_online_any > 0 {
        f |= PAID;
    }
    if c.population_data > 0 {
        f |= POPULATION;
    }
    f
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
    let cat = Catalogue::new(
        catalogue,
        procedure_codes.len(),
        |code| tally.procedure_index(code),
        tree,
    );
    let with_catalogue = !catalogue.is_empty();
    let order = Order::new(tree);
    let unit_of: Vec<Option<usize>> = unit_codes.iter().map(|c| tree.index_of(c)).collect();
    let mut nodes: Vec<Node> = (0..tree.len())
        .map(|i| {
            let unit = tree.unit(i);
            let levels = if with_catalogue {
                levels_of(&unit.kind)
            } else {
                0
            };
            let services_offered = if with_catalogue {
                cat.unlisted(levels)[1] + cat.count_four(cat.listed(i))[1]
            } else {
                0
            };
            Node {
                levels,
                services_offered,
                e_copy: e_copy_counts(&[unit]),
                ..Node::default()
            }
        })
        .collect();
    // Each unit's entries, keyed by its place in preorder: (place, position, flags).
    // Sized for one position per cell (most cells have one), so that a large tally's entries
    // are not copied over and over as the vector grows.
    let mut entries: Vec<(u32, u32, u8)> = Vec::with_capacity(tally.len());
    for (u, p, c) in cells {
        let Some(&Some(i)) = unit_of.get(u as usize) else {
            continue;
        };
        let node = &mut nodes[i];
        node.total.merge(c);
        if p == 0 {
            continue;
        }
        let rows = row_flags(c);
        let place = order.tin[i];
        for &q in cat.of(p as usize - 1) {
            let flags = if !with_catalogue {
                if rows & ONLINE != 0 {
                    node.services_offered += 1;
                    node.services_used += 1;
                }
                rows | ANY
            } else if q as usize >= cat.len {
                ANY
            } else if cat.implements(i, node.levels, q) {
                if rows & ONLINE != 0 && cat.attr[q as usize] & OFFERED != 0 {
                    node.services_used += 1;
                }
                rows | ANY
            } else {
                ANY | STRAY
            };
            entries.push((place, q, flags));
        }
    }
    if with_catalogue {
        for i in 0..tree.len() {
            let place = order.tin[i];
            entries.extend(cat.listed(i).iter().map(|&q| (place, q, LISTED)));
        }
    }
    let (entries, at) = by_place(entries, tree.len());
    let distinct = union::subtree_counts(tree, &order, &entries, &at, &cat.attr, cat.attr.len());
    for &v in order.pre.iter().rev() {
        let v = v as usize;
        for &c in tree.children_of(v) {
            let child = nodes[c];
            nodes[v].absorb(&child);
        }
    }
    let no_catalogue: Text = NO_CATALOGUE.into();
    nodes
        .into_iter()
        .zip(distinct)
        .enumerate()
        .map(|(i, (n, d))| {
            let facts = match published.and_then(|m| m.get(&tree.unit(i).code)) {
                Some(f) => f.clone(),
                None => facts_of(
                    &no_catalogue,
                    &n,
                    &d,
                    &cat,
                    catalogue_level.get(i).copied().unwrap_or_default(),
                ),
            };
            (n.total, facts)
        })
        .collect()
}

/// Entries grouped by place (a counting sort): (position, flags) and each place's start, with
/// one more start for the end.
fn by_place(entries: Vec<(u32, u32, u8)>, places: usize) -> (Vec<(u32, u8)>, Vec<u32>) {
    let mut at = vec![0u32; places + 1];
    for &(k, _, _) in &entries {
        at[k as usize + 1] += 1;
    }
    for k in 0..places {
        at[k + 1] += at[k];
    }
    let mut next = at.clone();
    let mut out = vec![(0u32, 0u8); entries.len()];
    for (k, q, f) in entries {
        let slot = &mut next[k as usize];
        out[*slot as usize] = (q, f);
        *slot += 1;
    }
    (out, at)
}

fn facts_of(
    no_catalogue: &Text,
    n: &Node,
    d: &Distinct,
    cat: &Catalogue,
    catalogue_level: CatalogueCounts,
) -> UnitFacts {
    let mut notes: Vec<Text> = Vec::new();
    let distinct = if cat.len == 0 {
        let seen = d.get(Count::Seen);
        if seen > 0 {
            notes.push(no_catalogue.clone());
        }
        // Fee-bearing: a dossier carried fee data or was paid online.
        DistinctCounts {
            authority_procedures: seen,
            online_procedures: d.get(Count::Online),
            online_services_offered: n.services_offered,
            online_services_used: n.services_used,
            fee_procedures: d.get(Count::FeeOrPaid),
            fee_procedures_with_fee_data: d.get(Count::FeeData),
            fee_procedures_paid_online: d.get(Count::Paid),
            citizen_procedures: seen,
            citizen_procedures_population: d.get(Count::Population),
        }
    } else {
        let unknown = d.get(Count::Unknown);
        if unknown > 0 {
            notes.push(format!("{unknown} procedure(s) in dossiers are not in the catalogue and are left out of distinct-procedure counts").into());
        }
        let stray = d.get(Count::Stray);
        if stray > 0 {
            notes.push(format!("{stray} procedure(s) have dossiers at units the catalogue does not assign them to; those dossiers are left out of distinct-procedure counts (see the data-quality report)").into());
        }
        // Implemented: unlisted entries of the subtree's levels, and listed entries naming one
        // of its units (the two never overlap).
        let unlisted: FourCounts = cat.unlisted(n.levels);
        DistinctCounts {
            authority_procedures: unlisted[0] + d.get(Count::Listed),
            online_procedures: unlisted[1] + d.get(Count::ListedOffered),
            online_services_offered: n.services_offered,
            online_services_used: n.services_used,
            fee_procedures: unlisted[2] + d.get(Count::ListedFeeBearing),
            fee_procedures_with_fee_data: d.get(Count::FeeDataBearing),
            fee_procedures_paid_online: d.get(Count::PaidBearing),
            citizen_procedures: unlisted[3] + d.get(Count::ListedCitizens),
            citizen_procedures_population: d.get(Count::PopulationCitizens),
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
