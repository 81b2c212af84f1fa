//! Conformance: rebuild each published row's inputs from the numbers the portal published,
//! score them with a rule profile, and compare with every published score. Mismatches are
//! reported as they are; rules are never tuned to them.

use crate::portal::capture::{Capture, Endpoint, Row};
use chiso::profile::{IndicatorDef, Profile, RuleStatus};
use chiso::Options;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// The portal publishes 2 decimals; a computed score within this of it matches.
pub const TOLERANCE: f64 = 0.01;

/// One comparison of a computed score with a published one.
#[derive(Clone, Debug, Serialize)]
pub struct Check {
    /// Group code (the endpoint's).
    pub group: String,
    /// `None` for a group total.
    pub indicator: Option<String>,
    /// The unit's key (code if published, else the portal's id).
    pub unit: String,
    /// Unit name as published.
    pub name: String,
    /// The parent row of the capture (a subtree total).
    pub parent: bool,
    /// The captured period.
    pub period: String,
    /// `all` procedures, or `formality`.
    pub scope: String,
    /// The published score.
    pub expected: f64,
    /// chiso's score.
    pub computed: f64,
}

impl Check {
    /// Absolute difference of computed and published.
    pub fn error(&self) -> f64 {
        (self.computed - self.expected).abs()
    }
    /// Within [`TOLERANCE`].
    pub fn matched(&self) -> bool {
        self.error() <= TOLERANCE + 1e-9
    }
}

/// Rows whose published numbers do not allow a check, and why.
#[derive(Clone, Debug, Serialize)]
pub struct Unchecked {
    /// Group code.
    pub group: String,
    /// The captured period.
    pub period: String,
    /// `all` or `formality`.
    pub scope: String,
    /// Rows left unchecked.
    pub rows: usize,
    /// Why.
    pub reason: String,
}

#[derive(Clone, Debug, Serialize)]
/// Every check of a profile against the captures, and what could not be checked.
pub struct Report {
    /// The profile checked.
    pub profile: String,
    /// Every comparison made.
    pub checks: Vec<Check>,
    /// What could not be compared.
    pub unchecked: Vec<Unchecked>,
    /// Status of each indicator in the profile, for the summary.
    pub status: BTreeMap<String, RuleStatus>,
}

/// The inputs of one indicator as published: (indicator id, numerator, denominator, published
/// score if the portal publishes one per indicator).
type Input = (String, f64, f64, Option<f64>);

/// The indicator inputs a row publishes, by endpoint; `None` if the row publishes no counts.
fn inputs(endpoint: Endpoint, row: &Row, profile: &Profile) -> Result<Vec<Input>, String> {
    let g = |k: &str| row.field(k);
    let need = |k: &str| g(k).ok_or_else(|| format!("no {k} published"));
    let tree = |list: &[(&str, &str, &str)]| -> Result<Vec<Input>, String> {
        list.iter()
            .map(|(id, n, d)| Ok((id.to_string(), need(n)?, need(d)?, None)))
            .collect()
    };
    match endpoint {
        Endpoint::Progress => {
            let mut v = tree(&[("2.1", "totalOnTime", "totalReceived")])?;
            v[0].3 = row.score;
            Ok(v)
        }
        Endpoint::OnlinePayment => tree(&[
            (
                "3.6",
                "totalDossierOnlinePaymentSuccess",
                "totalDossierFinancialObligation",
            ),
            (
                "3.5b",
                "totalDossierOnlineFormalityPaymentSuccess",
                "totalFeeFormality",
            ),
            ("3.5a", "totalFeeDossierFormality", "totalFeeFormality"),
        ]),
        Endpoint::OnlineService => {
            let online = need("partialCount")? + need("fullCount")?;
            Ok(vec![
                ("3.1".into(), online, need("authorityCount")?, None),
                (
                    "3.2".into(),
                    need("onlineDossierCount")?,
                    need("onlineServiceTotal")?,
                    None,
                ),
                (
                    "3.3".into(),
                    need("channelOnlineSum")?,
                    need("channelTotalSum")?,
                    None,
                ),
            ])
        }
        Endpoint::Transparency | Endpoint::Digitisation | Endpoint::Satisfaction => {
            if row.metrics.is_empty() {
                return Err("no metrics published".into());
            }
            let mut v = Vec::new();
            for m in row.metrics.iter().filter(|m| m.max > 0.0) {
                let def = profile
                    .indicator_by_metric(&m.code)
                    .ok_or_else(|| format!("metric {} has no indicator in the profile", m.code))?;
                // The portal leaves the score empty when it does not apply: that is 0 points.
                let published = Some(m.score.unwrap_or(0.0));
                v.push((
                    def.id.to_string(),
                    m.numerator.unwrap_or(0.0),
                    m.denominator.unwrap_or(0.0),
                    published,
                ));
            }
            Ok(v)
        }
    }
}

fn def_for<'a>(profile: &'a Profile, options: &Options, id: &str) -> Option<&'a IndicatorDef> {
    profile
        .indicators
        .iter()
        .find(|i| &*i.id == id && i.options_hold(options))
}

/// Checks every row of every capture.
pub fn check(captures: &[Capture], profile: &Profile, options: &Options) -> Report {
    // Transparency rows carry no unit code: learn codes from the other captures by unit id.
    let mut codes: HashMap<String, String> = HashMap::new();
    for c in captures {
        for r in &c.rows {
            if let Some(code) = &r.code {
                codes.insert(r.id.clone(), code.clone());
            }
        }
    }
    let mut checks = Vec::new();
    let mut unchecked: BTreeMap<(String, String, String, String), usize> = BTreeMap::new();
    for cap in captures {
        let group = cap.endpoint.group().to_string();
        for row in &cap.rows {
            let unit = row
                .code
                .clone()
                .or_else(|| codes.get(&row.id).cloned())
                .unwrap_or_else(|| row.id.clone());
            let base = |indicator: Option<String>, expected: f64, computed: f64| Check {
                group: group.clone(),
                indicator,
                unit: unit.clone(),
                name: row.name.clone(),
                parent: row.is_parent,
                period: cap.period.label(),
                scope: cap.scope.clone(),
                expected,
                computed,
            };
            let mut skip = |reason: String| {
                *unchecked
                    .entry((group.clone(), cap.period.label(), cap.scope.clone(), reason))
                    .or_insert(0) += 1;
            };
            let list = match inputs(cap.endpoint, row, profile) {
                Ok(l) => l,
                Err(reason) => {
                    skip(reason);
                    continue;
                }
            };
            let mut points_list = Vec::new();
            let mut complete = true;
            for (id, num, den, published) in list {
                let Some(def) = def_for(profile, options, &id) else {
                    skip(format!(
                        "indicator {id} is not in force under these options"
                    ));
                    complete = false;
                    continue;
                };
                let (points, _) = def.score_ratio(num, den);
                points_list.push(points);
                if let Some(expected) = published {
                    checks.push(base(Some(id), expected, points));
                }
            }
            match row.score {
                Some(expected) if complete => {
                    checks.push(base(None, expected, profile.rounding.group(points_list)))
                }
                Some(_) => {}
                None => skip("no published group score".into()),
            }
        }
    }
    Report {
        profile: format!("{}@{}", profile.profile.name, profile.profile.version),
        checks,
        unchecked: unchecked
            .into_iter()
            .map(|((group, period, scope, reason), rows)| Unchecked {
                group,
                period,
                scope,
                rows,
                reason,
            })
            .collect(),
        status: profile
            .indicators
            .iter()
            .map(|i| (i.id.to_string(), i.status))
            .collect(),
    }
}

/// Tallies of a set of checks.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    /// Comparisons made.
    pub checked: usize,
    /// Of those, within [`TOLERANCE`].
    pub matched: usize,
    /// The largest absolute error.
    pub max_abs_error: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// The profile's status of the indicator, for an indicator summary.
    pub status: Option<RuleStatus>,
    /// By "period/scope" (scope `all` or `formality`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub periods: BTreeMap<String, PeriodSummary>,
    /// The comparisons that did not match.
    pub mismatches: Vec<Mismatch>,
}

#[derive(Clone, Debug, Default, Serialize)]
/// Tallies of the checks of one period and scope.
pub struct PeriodSummary {
    /// Comparisons made.
    pub checked: usize,
    /// Of those, within [`TOLERANCE`].
    pub matched: usize,
    /// The largest absolute error.
    pub max_abs_error: f64,
}

#[derive(Clone, Debug, Serialize)]
/// One comparison that did not match.
pub struct Mismatch {
    /// The unit's key.
    pub unit: String,
    /// Unit name.
    pub name: String,
    /// The period.
    pub period: String,
    /// `all` or `formality`.
    pub scope: String,
    /// The published score.
    pub expected: f64,
    /// chiso's score.
    pub computed: f64,
}

impl Summary {
    fn add(&mut self, c: &Check) {
        self.checked += 1;
        self.max_abs_error = self.max_abs_error.max(c.error());
        let p = self
            .periods
            .entry(format!("{}/{}", c.period, c.scope))
            .or_default();
        p.checked += 1;
        p.max_abs_error = p.max_abs_error.max(c.error());
        if c.matched() {
            self.matched += 1;
            p.matched += 1;
        } else {
            self.mismatches.push(Mismatch {
                unit: c.unit.clone(),
                name: c.name.clone(),
                period: c.period.clone(),
                scope: c.scope.clone(),
                expected: c.expected,
                computed: c.computed,
            });
        }
    }

    /// Share of checks that matched (1 when there were none).
    pub fn match_rate(&self) -> f64 {
        if self.checked == 0 {
            1.0
        } else {
            self.matched as f64 / self.checked as f64
        }
    }
}

/// The JSON document of `chiso conformance --format json`.
#[derive(Clone, Debug, Serialize)]
pub struct ReportSummary {
    /// The profile checked.
    pub profile: String,
    /// The tolerance of a match.
    pub tolerance: f64,
    /// By group code.
    pub groups: BTreeMap<String, Summary>,
    /// By indicator id.
    pub indicators: BTreeMap<String, Summary>,
    /// Checks of parent rows (subtree totals).
    pub parents: Vec<Check>,
    /// What could not be compared.
    pub unchecked: Vec<Unchecked>,
}

impl Report {
    /// Summaries by group and by indicator, filtered by a predicate on checks.
    pub fn summary_where(&self, keep: impl Fn(&Check) -> bool) -> ReportSummary {
        let mut groups: BTreeMap<String, Summary> = BTreeMap::new();
        let mut indicators: BTreeMap<String, Summary> = BTreeMap::new();
        for c in self.checks.iter().filter(|c| keep(c)) {
            match &c.indicator {
                None => groups.entry(c.group.clone()).or_default().add(c),
                Some(id) => {
                    let s = indicators.entry(id.clone()).or_default();
                    s.status = self.status.get(id).copied();
                    s.add(c);
                }
            }
        }
        ReportSummary {
            profile: self.profile.clone(),
            tolerance: TOLERANCE,
            groups,
            indicators,
            parents: self
                .checks
                .iter()
                .filter(|c| c.parent && c.indicator.is_none() && keep(c))
                .cloned()
                .collect(),
            unchecked: self.unchecked.clone(),
        }
    }

    /// Summaries of every check.
    pub fn summary(&self) -> ReportSummary {
        self.summary_where(|_| true)
    }
}
