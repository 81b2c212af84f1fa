//! Responses of the national portal's evaluation API (`POST /api/v1/reporting/evaluation/…`), as
//! captured to disk with a manifest: parent and children rows with their numerators,
//! denominators and published scores.

use crate::error::{read_text, IoError, Result};
use chiso::Period;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Which evaluation endpoint a capture comes from; each scores one group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Endpoint {
    /// Transparency (CKMB).
    Transparency,
    /// Progress and resolution (TDGQ).
    Progress,
    /// Online service provision (CLGQ).
    OnlineService,
    /// Online payment (TTTT).
    OnlinePayment,
    /// Dossier digitisation (MDSH).
    Digitisation,
    /// Satisfaction (MDHL).
    Satisfaction,
}

impl Endpoint {
    /// The endpoint named by a capture's path segment (`dvc-progress-tree`, …).
    pub fn from_path_segment(s: &str) -> Option<Self> {
        Some(match s {
            "transparency" => Endpoint::Transparency,
            "dvc-progress-tree" => Endpoint::Progress,
            "provide-online-tree" => Endpoint::OnlineService,
            "formality-online-payment-tree" => Endpoint::OnlinePayment,
            "dossier-digitized" => Endpoint::Digitisation,
            "handling-satisfaction" => Endpoint::Satisfaction,
            _ => return None,
        })
    }

    /// The group code the endpoint scores.
    pub fn group(self) -> &'static str {
        match self {
            Endpoint::Transparency => "CKMB",
            Endpoint::Progress => "TDGQ",
            Endpoint::OnlineService => "CLGQ",
            Endpoint::OnlinePayment => "TTTT",
            Endpoint::Digitisation => "MDSH",
            Endpoint::Satisfaction => "MDHL",
        }
    }
}

/// One metric of a row: the portal's numerator, denominator and score.
#[derive(Clone, Debug, PartialEq)]
pub struct Metric {
    /// The portal's metric code.
    pub code: String,
    /// Published numerator.
    pub numerator: Option<f64>,
    /// Published denominator.
    pub denominator: Option<f64>,
    /// Published score.
    pub score: Option<f64>,
    /// The metric's maximum.
    pub max: f64,
}

/// One unit's row (the parent or a child).
#[derive(Clone, Debug)]
pub struct Row {
    /// The portal's id of the unit.
    pub id: String,
    /// Unit code, when published.
    pub code: Option<String>,
    /// Unit name.
    pub name: String,
    /// The portal's level of the unit.
    pub level: Option<String>,
    /// The parent row (the subtree's total).
    pub is_parent: bool,
    /// The published group score.
    pub score: Option<f64>,
    /// The group's maximum.
    pub max: Option<f64>,
    /// The metrics of the row.
    pub metrics: Vec<Metric>,
    /// The raw record, for endpoints that publish counts as named fields.
    pub raw: Value,
}

impl Row {
    /// A named numeric field of the raw record.
    pub fn field(&self, name: &str) -> Option<f64> {
        self.raw.get(name).and_then(Value::as_f64)
    }
    /// The display key of the unit: its code if published, else its id.
    pub fn key(&self) -> &str {
        self.code.as_deref().unwrap_or(&self.id)
    }
}

/// One captured response.
#[derive(Clone, Debug)]
pub struct Capture {
    /// The capture's file.
    pub file: PathBuf,
    /// Which endpoint it comes from.
    pub endpoint: Endpoint,
    /// The period captured.
    pub period: Period,
    /// `all` procedures, or `formality` (filtered to one procedure).
    pub scope: String,
    /// One row per unit.
    pub rows: Vec<Row>,
}

fn f(v: &Value, k: &str) -> Option<f64> {
    v.get(k).and_then(Value::as_f64)
}

fn s(v: &Value, k: &str) -> Option<String> {
    v.get(k).and_then(Value::as_str).map(str::to_string)
}

fn parse_row(v: &Value, is_parent: bool) -> Row {
    let metrics = v
        .get("metrics")
        .and_then(Value::as_array)
        .map(|ms| {
            ms.iter()
                .map(|m| Metric {
                    code: s(m, "code").unwrap_or_default(),
                    numerator: f(m, "numerator"),
                    denominator: f(m, "denominator"),
                    score: f(m, "score"),
                    max: f(m, "maxScore").unwrap_or(0.0),
                })
                .collect()
        })
        .unwrap_or_default();
    Row {
        id: s(v, "departmentId").unwrap_or_default(),
        code: s(v, "departmentCode"),
        name: s(v, "departmentName").unwrap_or_default(),
        level: s(v, "level").or_else(|| s(v, "departmentLevel")),
        is_parent,
        score: f(v, "totalScore").or_else(|| f(v, "score")),
        max: f(v, "totalMaxScore").or_else(|| f(v, "maxScore")),
        metrics,
        raw: v.clone(),
    }
}

/// Parses one response body.
pub fn parse_response(
    path: &Path,
    text: &str,
    endpoint: Endpoint,
    period: Period,
    scope: &str,
) -> Result<Capture> {
    let v: Value =
        serde_json::from_str(text).map_err(|e| IoError::format(path, format!("not JSON: {e}")))?;
    let data = v
        .get("data")
        .ok_or_else(|| IoError::format(path, "no \"data\" object in the response"))?;
    let parent = data
        .get("parent")
        .or_else(|| data.get("overview"))
        .ok_or_else(|| IoError::format(path, "no parent/overview record"))?;
    let children = data
        .get("children")
        .or_else(|| data.get("evaluation"))
        .and_then(Value::as_array)
        .ok_or_else(|| IoError::format(path, "no children/evaluation list"))?;
    let mut rows = vec![parse_row(parent, true)];
    rows.extend(children.iter().map(|c| parse_row(c, false)));
    Ok(Capture {
        file: path.to_path_buf(),
        endpoint,
        period,
        scope: scope.to_string(),
        rows,
    })
}

/// The period of a request payload: `timeType` + `year`/`quarter`/`month`, or `fromDate`/`toDate`.
pub fn payload_period(p: &Value) -> Option<Period> {
    if let (Some(a), Some(b)) = (
        p.get("fromDate").and_then(Value::as_str),
        p.get("toDate").and_then(Value::as_str),
    ) {
        return format!("{a}..{b}").parse().ok();
    }
    let year = p.get("year").and_then(Value::as_i64)?;
    let label = match p.get("timeType").and_then(Value::as_str)? {
        "year" => format!("{year}"),
        "quarter" => format!("{year}-Q{}", p.get("quarter").and_then(Value::as_i64)?),
        "month" => format!("{year}-{:02}", p.get("month").and_then(Value::as_i64)?),
        _ => return None,
    };
    label.parse().ok()
}

/// Reads every evaluation capture listed in `DIR/manifest*.json`.
pub fn read_captures(dir: &Path) -> Result<Vec<Capture>> {
    let manifest_path = std::fs::read_dir(dir)
        .map_err(|e| IoError::file(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("manifest") && n.ends_with(".json"))
        })
        .ok_or_else(|| IoError::format(dir, "no manifest*.json describing the captures"))?;
    let manifest: Value = serde_json::from_str(&read_text(&manifest_path)?)
        .map_err(|e| IoError::format(&manifest_path, format!("not JSON: {e}")))?;
    let entries = manifest
        .get("captures")
        .and_then(Value::as_array)
        .ok_or_else(|| IoError::format(&manifest_path, "no \"captures\" list"))?;
    let mut out = Vec::new();
    for c in entries {
        let (Some(file), Some(url)) = (
            c.get("file").and_then(Value::as_str),
            c.get("url").and_then(Value::as_str),
        ) else {
            continue;
        };
        let Some(endpoint) = url.rsplit('/').next().and_then(Endpoint::from_path_segment) else {
            continue; // the procedure catalogue, not an evaluation
        };
        let payload = c.get("payload").cloned().unwrap_or(Value::Null);
        let path = dir.join(file);
        let period = payload_period(&payload).ok_or_else(|| {
            IoError::format(
                &manifest_path,
                format!("{file}: cannot tell the period from the payload"),
            )
        })?;
        let scope = if payload.get("formalityId").is_some() || payload.get("formalityID").is_some()
        {
            "formality"
        } else {
            "all"
        };
        out.push(parse_response(
            &path,
            &read_text(&path)?,
            endpoint,
            period,
            scope,
        )?);
    }
    Ok(out)
}
