//! The unit tree: any depth, any kind (ministry, province, district, department, commune, agency).

use crate::error::{ChisoError, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;

/// A unit kind. Free text so that a profile can add kinds (old provincial adaptations scored
/// districts); the usual ones have constructors. Stored lower-case.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UnitKind(String);

impl UnitKind {
    /// A kind from free text, trimmed and lower-cased.
    pub fn new(kind: &str) -> Self {
        Self(kind.trim().to_lowercase())
    }
    /// The kind as lower-case text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// `ministry`.
    pub fn ministry() -> Self {
        Self::new("ministry")
    }
    /// `province`.
    pub fn province() -> Self {
        Self::new("province")
    }
    /// `district`.
    pub fn district() -> Self {
        Self::new("district")
    }
    /// `department` (a province-level department).
    pub fn department() -> Self {
        Self::new("department")
    }
    /// `commune`.
    pub fn commune() -> Self {
        Self::new("commune")
    }
    /// `agency`: any other unit (the default).
    pub fn agency() -> Self {
        Self::new("agency")
    }
}

impl Default for UnitKind {
    fn default() -> Self {
        Self::agency()
    }
}

impl fmt::Display for UnitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One administrative unit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    /// Portal code, e.g. `H44` (province), `H44.07` (department), `H44.100` (commune).
    pub code: String,
    #[serde(default)]
    /// Unit name.
    pub name: String,
    #[serde(default)]
    /// Unit kind; decides which indicators and procedure levels apply.
    pub kind: UnitKind,
    #[serde(default)]
    /// Code of the parent unit; `None` for a root.
    pub parent: Option<String>,
    /// Indicator 4.x: whether this commune offers electronic certified copies; `None` = no data.
    #[serde(default)]
    pub e_certified_copy: Option<bool>,
}

impl Unit {
    /// A unit without the commune-only facts.
    pub fn new(code: &str, name: &str, kind: UnitKind, parent: Option<&str>) -> Self {
        Self {
            code: code.to_string(),
            name: name.to_string(),
            kind,
            parent: parent.map(str::to_string),
            e_certified_copy: None,
        }
    }
}

/// Units indexed by code with their children, checked to be a forest.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(from = "Vec<Unit>", into = "Vec<Unit>")]
pub struct UnitTree {
    units: Vec<Unit>,
    index: HashMap<String, usize>,
    children: Vec<Vec<usize>>,
}

impl From<Vec<Unit>> for UnitTree {
    /// Lenient conversion for deserialisation: an unknown parent makes the unit a root.
    fn from(units: Vec<Unit>) -> Self {
        Self::build(units, false).unwrap_or_default()
    }
}

impl From<UnitTree> for Vec<Unit> {
    fn from(t: UnitTree) -> Self {
        t.units
    }
}

impl UnitTree {
    /// Builds the tree; refuses duplicate codes, unknown parents and cycles.
    pub fn new(units: Vec<Unit>) -> Result<Self> {
        Self::build(units, true)
    }

    fn build(mut units: Vec<Unit>, strict: bool) -> Result<Self> {
        let mut index = HashMap::with_capacity(units.len());
        for (i, u) in units.iter_mut().enumerate() {
            u.code = u.code.trim().to_string();
            if index.insert(u.code.clone(), i).is_some() {
                return Err(ChisoError::UnitTree(format!(
                    "duplicate unit code {:?}",
                    u.code
                )));
            }
        }
        let mut children = vec![Vec::new(); units.len()];
        for (i, unit) in units.iter_mut().enumerate() {
            if let Some(p) = unit.parent.clone() {
                match index.get(p.trim()) {
                    Some(&pi) if pi != i => children[pi].push(i),
                    // Its own parent: the shortest cycle, not an unknown parent.
                    Some(_) if strict => {
                        return Err(ChisoError::UnitTree(format!(
                            "cycle through unit {:?} (its own parent)",
                            unit.code
                        )))
                    }
                    _ if strict => {
                        return Err(ChisoError::UnitTree(format!(
                            "unit {:?} has unknown parent {p:?}",
                            unit.code
                        )))
                    }
                    _ => unit.parent = None,
                }
            }
        }
        let tree = Self {
            units,
            index,
            children,
        };
        // Every unit must reach a root within n steps, or there is a cycle.
        for i in 0..tree.units.len() {
            let mut at = i;
            let mut steps = 0;
            while let Some(p) = tree.parent_index(at) {
                at = p;
                steps += 1;
                if steps > tree.units.len() {
                    return Err(ChisoError::UnitTree(format!(
                        "cycle through unit {:?}",
                        tree.units[i].code
                    )));
                }
            }
        }
        Ok(tree)
    }

    /// Infers a tree from codes alone: `H44.07` is a child of `H44` when `H44` is present.
    /// Units without a known parent are roots; kinds are guessed from the code's depth.
    pub fn infer_from_codes<'a>(codes: impl IntoIterator<Item = &'a str>) -> Self {
        let mut seen: Vec<String> = Vec::new();
        let mut set = std::collections::HashSet::new();
        for c in codes {
            let c = c.trim();
            if !c.is_empty() && set.insert(c.to_string()) {
                seen.push(c.to_string());
            }
        }
        // Add the missing prefixes so that departments and communes gather under a province.
        let mut extra = Vec::new();
        for c in &seen {
            if let Some((p, _)) = c.rsplit_once('.') {
                if set.insert(p.to_string()) {
                    extra.push(p.to_string());
                }
            }
        }
        seen.extend(extra);
        seen.sort();
        let units = seen
            .iter()
            .map(|c| {
                let parent = c
                    .rsplit_once('.')
                    .map(|(p, _)| p)
                    .filter(|p| set.contains(*p));
                let kind = if parent.is_none() {
                    UnitKind::province()
                } else {
                    UnitKind::agency()
                };
                Unit::new(c, c, kind, parent)
            })
            .collect();
        Self::build(units, false).unwrap_or_default()
    }

    /// Number of units.
    pub fn len(&self) -> usize {
        self.units.len()
    }
    /// No units.
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }
    /// The units, in tree order (indices are positions here).
    pub fn units(&self) -> &[Unit] {
        &self.units
    }
    /// The unit with this code.
    pub fn get(&self, code: &str) -> Option<&Unit> {
        self.index.get(code).map(|&i| &self.units[i])
    }
    /// The index of the unit with this code.
    pub fn index_of(&self, code: &str) -> Option<usize> {
        self.index.get(code).copied()
    }
    /// The unit at an index; panics when out of range, as slice indexing.
    pub fn unit(&self, i: usize) -> &Unit {
        &self.units[i]
    }
    fn parent_index(&self, i: usize) -> Option<usize> {
        self.units[i]
            .parent
            .as_deref()
            .and_then(|p| self.index.get(p).copied())
    }
    /// Indices of a unit's children.
    pub fn children_of(&self, i: usize) -> &[usize] {
        &self.children[i]
    }
    /// Indices of units without a parent in the tree.
    pub fn roots(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.units.len()).filter(|&i| self.parent_index(i).is_none())
    }

    /// The root above a unit (the unit itself when it is a root).
    pub fn root_of(&self, i: usize) -> usize {
        let mut at = i;
        // A built tree has no cycles; the bound only guards against a hand-made one.
        for _ in 0..self.units.len() {
            match self.parent_index(at) {
                Some(p) => at = p,
                None => break,
            }
        }
        at
    }

    /// The unit and all its descendants, depth-first, the unit first.
    pub fn subtree(&self, i: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack = vec![i];
        while let Some(n) = stack.pop() {
            out.push(n);
            stack.extend(self.children[n].iter().rev());
        }
        out
    }

    /// Indices ordered so that every child comes before its parent (for bottom-up roll-ups).
    pub fn post_order(&self) -> Vec<usize> {
        let mut out = Vec::with_capacity(self.units.len());
        for r in self.roots() {
            let mut sub = self.subtree(r);
            sub.reverse();
            out.extend(sub);
        }
        out
    }

    /// Adds a unit that is not yet present (e.g. a code seen only in dossiers), as a root or
    /// under a known parent.
    pub fn ensure(&mut self, code: &str) {
        if self.index.contains_key(code) {
            return;
        }
        let parent = code
            .rsplit_once('.')
            .map(|(p, _)| p)
            .filter(|p| self.index.contains_key(*p))
            .map(str::to_string);
        let i = self.units.len();
        let mut u = Unit::new(code, code, UnitKind::agency(), None);
        u.parent = parent.clone();
        self.units.push(u);
        self.children.push(Vec::new());
        self.index.insert(code.to_string(), i);
        if let Some(p) = parent.and_then(|p| self.index.get(&p).copied()) {
            self.children[p].push(i);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn builds_and_walks_a_three_level_tree() {
        let t = UnitTree::new(vec![
            Unit::new("H44", "Phú Thọ", UnitKind::province(), None),
            Unit::new("H44.D1", "District 1", UnitKind::district(), Some("H44")),
            Unit::new("H44.D1.C1", "Commune", UnitKind::commune(), Some("H44.D1")),
            Unit::new(
                "H44.07",
                "Sở Công Thương",
                UnitKind::department(),
                Some("H44"),
            ),
        ])
        .unwrap();
        let root = t.index_of("H44").unwrap();
        assert_eq!(t.subtree(root).len(), 4);
        let po = t.post_order();
        assert_eq!(*po.last().unwrap(), root);
        assert_eq!(t.roots().count(), 1);
    }

    #[test]
    fn refuses_bad_trees() {
        let dup = UnitTree::new(vec![
            Unit::new("A", "", UnitKind::province(), None),
            Unit::new("A", "", UnitKind::province(), None),
        ]);
        assert!(matches!(dup, Err(ChisoError::UnitTree(m)) if m.contains("duplicate")));
        let orphan = UnitTree::new(vec![Unit::new("A", "", UnitKind::province(), Some("Z"))]);
        assert!(matches!(orphan, Err(ChisoError::UnitTree(m)) if m.contains("unknown parent")));
        let cycle = UnitTree::new(vec![
            Unit::new("A", "", UnitKind::province(), Some("B")),
            Unit::new("B", "", UnitKind::province(), Some("A")),
        ]);
        assert!(matches!(cycle, Err(ChisoError::UnitTree(m)) if m.contains("cycle")));
        let own = UnitTree::new(vec![Unit::new("A", "", UnitKind::province(), Some(" A"))]);
        assert!(
            matches!(&own, Err(ChisoError::UnitTree(m)) if m.contains("cycle") && !m.contains("unknown")),
            "{own:?}"
        );
    }

    #[test]
    fn infers_parents_from_codes() {
        let t = UnitTree::infer_from_codes(["H44.07", "H44.100"]);
        assert_eq!(t.len(), 3);
        assert_eq!(t.get("H44.07").unwrap().parent.as_deref(), Some("H44"));
    }
}
