//! Scorecards people can use: CSV (one row per unit and indicator), an Excel workbook (one sheet
//! per view) and a single self-contained HTML report with inline SVG charts.

use crate::error::{IoError, Result};
use crate::read::records::Reject;
use chiso::rank::{ranking, RankPolicy};
use chiso::{round2, Accounting, Scorecard, UnitScore};
use std::collections::HashMap;
use std::fmt::Write;
use std::path::Path;

/// What a report says about the records behind it.
#[derive(Clone, Debug, Default)]
pub struct ReportAccounting {
    pub scored: u64,
    /// Excluded records by reason (including duplicates superseded by a later sync).
    pub excluded: Vec<(String, u64)>,
    pub rejected: u64,
}

impl ReportAccounting {
    pub fn new(acc: &Accounting, rejected: u64) -> Self {
        Self {
            scored: acc.scored,
            excluded: acc.excluded.iter().map(|(k, v)| (k.clone(), *v)).collect(),
            rejected,
        }
    }
    pub fn excluded_total(&self) -> u64 {
        self.excluded.iter().map(|(_, v)| v).sum()
    }
    pub fn read(&self) -> u64 {
        self.scored + self.excluded_total() + self.rejected
    }
}

fn ranks(card: &Scorecard) -> HashMap<String, u32> {
    ranking(card, None, RankPolicy::Portal)
        .into_iter()
        .map(|r| (r.unit, r.rank))
        .collect()
}

/// Roots first, then the ranked units in rank order.
fn ordered(card: &Scorecard) -> Vec<(Option<u32>, &UnitScore)> {
    let mut out: Vec<(Option<u32>, &UnitScore)> = card
        .units
        .iter()
        .filter(|u| u.parent.is_none())
        .map(|u| (None, u))
        .collect();
    for r in ranking(card, None, RankPolicy::Portal) {
        if let Some(u) = card.unit(&r.unit).filter(|u| u.parent.is_some()) {
            out.push((Some(r.rank), u));
        }
    }
    for u in &card.units {
        if u.parent.is_some() && !out.iter().any(|(_, x)| x.unit == u.unit) {
            out.push((None, u));
        }
    }
    out
}

fn ratio_text(r: Option<f64>) -> String {
    r.map(|r| format!("{r}")).unwrap_or_default()
}

/// The scorecard as CSV: one row per unit and indicator, full precision, with the unit's rank
/// and total.
pub fn scorecard_csv(card: &Scorecard) -> String {
    let ranks = ranks(card);
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "unit",
        "name",
        "kind",
        "parent",
        "rank",
        "total",
        "indicator",
        "group",
        "name_vi",
        "name_en",
        "numerator",
        "denominator",
        "ratio",
        "points",
        "max",
        "lost",
        "status",
        "on_empty",
        "notes",
    ]);
    for u in &card.units {
        let rank = ranks
            .get(&u.unit)
            .map(|r| r.to_string())
            .unwrap_or_default();
        for i in &u.indicators {
            let _ = w.write_record([
                u.unit.as_str(),
                &u.name,
                &u.kind,
                u.parent.as_deref().unwrap_or(""),
                &rank,
                &u.total.to_string(),
                &i.id,
                &i.group,
                &i.name_vi,
                &i.name_en,
                &i.numerator.to_string(),
                &i.denominator.to_string(),
                &ratio_text(i.ratio),
                &i.points.to_string(),
                &i.max.to_string(),
                &i.lost.to_string(),
                &format!("{:?}", i.status).to_lowercase(),
                &i.on_empty
                    .map(|e| format!("{e:?}").to_lowercase())
                    .unwrap_or_default(),
                &i.notes.join("; "),
            ]);
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Writes the workbook: Summary, Units × groups, Indicators (numerators and denominators), and
/// Rejects.
pub fn write_xlsx(
    path: &Path,
    card: &Scorecard,
    acc: &ReportAccounting,
    rejects: &[Reject],
) -> Result<()> {
    use rust_xlsxwriter::{Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| IoError::format(path, e.to_string());
    let bold = Format::new().set_bold();
    let num = Format::new().set_num_format("0.00");
    let mut book = Workbook::new();

    let s = book.add_worksheet();
    s.set_name("Summary").map_err(err)?;
    let m = &card.meta;
    let rows: Vec<(&str, String)> = vec![
        ("profile", format!("{}@{}", m.profile, m.profile_version)),
        ("period", m.period.to_string()),
        (
            "evaluated at",
            m.evaluated_at.format("%Y-%m-%d %H:%M").to_string(),
        ),
        ("calendar", m.calendar.clone()),
        ("records read", acc.read().to_string()),
        ("scored", acc.scored.to_string()),
        ("excluded", acc.excluded_total().to_string()),
        ("rejected", acc.rejected.to_string()),
    ];
    for (r, (k, v)) in rows.iter().enumerate() {
        s.write_string_with_format(r as u32, 0, *k, &bold)
            .map_err(err)?;
        s.write_string(r as u32, 1, v).map_err(err)?;
    }
    for (k, (reason, n)) in acc.excluded.iter().enumerate() {
        let r = (rows.len() + k) as u32;
        s.write_string(r, 0, format!("excluded: {reason}"))
            .map_err(err)?;
        s.write_number(r, 1, *n as f64).map_err(err)?;
    }
    s.set_column_width(0, 40).map_err(err)?;
    s.set_column_width(1, 30).map_err(err)?;

    let s = book.add_worksheet();
    s.set_name("Units").map_err(err)?;
    let groups: Vec<String> = card
        .units
        .first()
        .map(|u| u.groups.iter().map(|g| g.code.to_string()).collect())
        .unwrap_or_default();
    let mut header: Vec<String> = ["rank", "unit", "name", "kind", "parent"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    header.extend(groups.iter().cloned());
    header.push("total".into());
    for (c, h) in header.iter().enumerate() {
        s.write_string_with_format(0, c as u16, h, &bold)
            .map_err(err)?;
    }
    for (r, (rank, u)) in ordered(card).into_iter().enumerate() {
        let r = r as u32 + 1;
        if let Some(rank) = rank {
            s.write_number(r, 0, rank as f64).map_err(err)?;
        }
        s.write_string(r, 1, &u.unit).map_err(err)?;
        s.write_string(r, 2, &u.name).map_err(err)?;
        s.write_string(r, 3, &u.kind).map_err(err)?;
        s.write_string(r, 4, u.parent.as_deref().unwrap_or(""))
            .map_err(err)?;
        for (k, g) in u.groups.iter().enumerate() {
            s.write_number_with_format(r, 5 + k as u16, g.points, &num)
                .map_err(err)?;
        }
        s.write_number_with_format(r, 5 + u.groups.len() as u16, u.total, &num)
            .map_err(err)?;
    }
    s.set_column_width(2, 36).map_err(err)?;
    s.set_freeze_panes(1, 0).map_err(err)?;

    let s = book.add_worksheet();
    s.set_name("Indicators").map_err(err)?;
    let head = [
        "unit",
        "name",
        "indicator",
        "group",
        "name_vi",
        "name_en",
        "numerator",
        "denominator",
        "ratio",
        "points",
        "max",
        "lost",
        "status",
        "notes",
    ];
    for (c, h) in head.iter().enumerate() {
        s.write_string_with_format(0, c as u16, *h, &bold)
            .map_err(err)?;
    }
    let mut r = 1u32;
    for (_, u) in ordered(card) {
        for i in &u.indicators {
            s.write_string(r, 0, &u.unit).map_err(err)?;
            s.write_string(r, 1, &u.name).map_err(err)?;
            s.write_string(r, 2, &*i.id).map_err(err)?;
            s.write_string(r, 3, &*i.group).map_err(err)?;
            s.write_string(r, 4, &*i.name_vi).map_err(err)?;
            s.write_string(r, 5, &*i.name_en).map_err(err)?;
            s.write_number(r, 6, i.numerator).map_err(err)?;
            s.write_number(r, 7, i.denominator).map_err(err)?;
            if let Some(x) = i.ratio {
                s.write_number(r, 8, x).map_err(err)?;
            }
            s.write_number_with_format(r, 9, i.points, &num)
                .map_err(err)?;
            s.write_number(r, 10, i.max).map_err(err)?;
            s.write_number_with_format(r, 11, i.lost, &num)
                .map_err(err)?;
            s.write_string(r, 12, format!("{:?}", i.status).to_lowercase())
                .map_err(err)?;
            s.write_string(r, 13, i.notes.join("; ")).map_err(err)?;
            r += 1;
        }
    }
    s.set_freeze_panes(1, 0).map_err(err)?;

    let s = book.add_worksheet();
    s.set_name("Rejects").map_err(err)?;
    for (c, h) in ["file", "row", "column", "message"].iter().enumerate() {
        s.write_string_with_format(0, c as u16, *h, &bold)
            .map_err(err)?;
    }
    for (k, rej) in rejects.iter().enumerate() {
        let r = k as u32 + 1;
        s.write_string(r, 0, &rej.file).map_err(err)?;
        s.write_number(r, 1, rej.row as f64).map_err(err)?;
        s.write_string(r, 2, rej.column.as_deref().unwrap_or(""))
            .map_err(err)?;
        s.write_string(r, 3, &rej.message).map_err(err)?;
    }
    s.set_column_width(3, 80).map_err(err)?;

    book.save(path).map_err(err)
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Radar (spider) chart of a unit's groups, as a share of each group's maximum.
fn radar(u: &UnitScore) -> String {
    let n = u.groups.len().max(3);
    let (cx, cy, r) = (180.0, 170.0, 120.0);
    let pt = |k: usize, f: f64| {
        let a = std::f64::consts::TAU * k as f64 / n as f64 - std::f64::consts::FRAC_PI_2;
        (cx + r * f * a.cos(), cy + r * f * a.sin())
    };
    let mut svg = String::from(
        r#"<svg viewBox="0 0 360 340" width="360" height="340" role="img" aria-label="groups radar">"#,
    );
    for ring in [0.25, 0.5, 0.75, 1.0] {
        let pts: Vec<String> = (0..n)
            .map(|k| {
                let (x, y) = pt(k, ring);
                format!("{x:.1},{y:.1}")
            })
            .collect();
        let _ = write!(
            svg,
            r##"<polygon points="{}" fill="none" stroke="#ccc"/>"##,
            pts.join(" ")
        );
    }
    let pts: Vec<String> = u
        .groups
        .iter()
        .enumerate()
        .map(|(k, g)| {
            let f = if g.max > 0.0 {
                (g.points / g.max).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let (x, y) = pt(k, f);
            format!("{x:.1},{y:.1}")
        })
        .collect();
    let _ = write!(
        svg,
        r##"<polygon points="{}" fill="rgba(30,110,200,0.3)" stroke="#1e6ec8" stroke-width="2"/>"##,
        pts.join(" ")
    );
    for (k, g) in u.groups.iter().enumerate() {
        let (x, y) = pt(k, 1.15);
        let _ = write!(
            svg,
            r#"<text x="{x:.1}" y="{y:.1}" text-anchor="middle" font-size="12">{} {:.1}/{:.0}</text>"#,
            esc(&g.code),
            g.published,
            g.max
        );
    }
    svg.push_str("</svg>");
    svg
}

fn short_label(s: &str) -> String {
    if s.chars().count() <= 44 {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(43).collect::<String>())
    }
}

/// A count as an integer, anything else with two decimals.
fn num_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x:.2}")
    }
}

/// Horizontal bars: one per (label, value) against a maximum.
fn bars(items: &[(String, f64)], max: f64, color: &str, label: &str) -> String {
    let h = 22.0;
    let height = items.len() as f64 * h + 10.0;
    let mut svg = format!(
        r#"<svg viewBox="0 0 760 {height:.0}" width="760" height="{height:.0}" role="img" aria-label="{}">"#,
        esc(label)
    );
    for (k, (name, v)) in items.iter().enumerate() {
        let y = 5.0 + k as f64 * h;
        let w = if max > 0.0 {
            380.0 * (v / max).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let _ = write!(
            svg,
            r#"<text x="290" y="{:.1}" text-anchor="end" font-size="12">{}</text><rect x="300" y="{y:.1}" width="{w:.1}" height="{:.1}" fill="{color}"/><text x="{:.1}" y="{:.1}" font-size="12">{:.2}</text>"#,
            y + 15.0,
            esc(&short_label(name)),
            h - 6.0,
            305.0 + w,
            y + 15.0,
            round2(*v)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A single self-contained HTML page (no scripts, no external files): groups radar, unit ranking
/// bars, points lost per indicator, the indicator table and the accounting of records.
pub fn html_report(card: &Scorecard, acc: &ReportAccounting, focus: Option<&str>) -> String {
    let m = &card.meta;
    let root = focus
        .and_then(|c| card.unit(c))
        .or_else(|| card.units.iter().find(|u| u.parent.is_none()));
    let mut h = String::new();
    let title = root.map_or("chiso".to_string(), |u| {
        format!("{} — Decision 766 scorecard", u.name)
    });
    let _ = write!(
        h,
        r#"<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{}</title><style>
body{{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}}
table{{border-collapse:collapse;width:100%;font-size:14px}}th,td{{border-bottom:1px solid #ddd;padding:4px 6px;text-align:right}}th:nth-child(-n+2),td:nth-child(-n+2){{text-align:left}}
h1{{font-size:1.5em}}.meta{{color:#555}}section{{margin:2em 0}}</style></head><body>"#,
        esc(&title)
    );
    let _ = write!(
        h,
        r#"<h1>{}</h1><p class="meta">period {} · evaluated at {} · profile {}@{} · calendar {}</p>"#,
        esc(&title),
        esc(&m.period.to_string()),
        m.evaluated_at.format("%Y-%m-%d %H:%M"),
        esc(&m.profile),
        esc(&m.profile_version),
        esc(&m.calendar)
    );
    let mut excl = String::new();
    for (k, v) in &acc.excluded {
        let _ = write!(excl, "<li>{}: {v}</li>", esc(k));
    }
    let _ = write!(
        h,
        "<p>records: {} read = {} scored + {} excluded + {} rejected</p><ul>{excl}</ul>",
        acc.read(),
        acc.scored,
        acc.excluded_total(),
        acc.rejected
    );
    if let Some(u) = root {
        let _ = write!(
            h,
            "<section><h2>{} — total {:.2} / {:.0}</h2>{}</section>",
            esc(&u.name),
            u.published_total,
            u.max,
            radar(u)
        );
    }
    let ranked: Vec<(String, f64)> = ordered(card)
        .into_iter()
        .filter_map(|(r, u)| r.map(|r| (format!("{r}. {}", u.name), u.total)))
        .collect();
    if !ranked.is_empty() {
        let max = card.units.first().map_or(100.0, |u| u.max);
        let _ = write!(
            h,
            "<section><h2>Unit ranking</h2>{}</section>",
            bars(&ranked, max, "#1e6ec8", "unit ranking")
        );
    }
    if let Some(u) = root {
        let mut lost: Vec<(String, f64)> = u
            .indicators
            .iter()
            .filter(|i| i.lost > 0.005)
            .map(|i| (format!("{} {}", i.id, i.name_en), i.lost))
            .collect();
        lost.sort_by(|a, b| b.1.total_cmp(&a.1));
        let max = lost.first().map_or(1.0, |x| x.1);
        let _ = write!(
            h,
            "<section><h2>Points lost per indicator</h2>{}</section>",
            bars(&lost, max, "#c8501e", "points lost per indicator")
        );
        let _ = write!(
            h,
            "<section><h2>Indicators</h2><table><tr><th>id</th><th>indicator</th><th>numerator</th><th>denominator</th><th>ratio</th><th>points</th><th>max</th><th>lost</th></tr>"
        );
        for i in &u.indicators {
            let ratio = match (i.value, i.ratio) {
                (Some(v), _) => format!("{v:.2}"),
                (None, Some(r)) => format!("{:.2}%", r * 100.0),
                (None, None) => "—".into(),
            };
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.2}</td><td>{:.0}</td><td>{:.2}</td></tr>",
                esc(&i.id),
                esc(&i.name_vi),
                num_text(i.numerator),
                num_text(i.denominator),
                ratio,
                round2(i.points),
                i.max,
                round2(i.lost)
            );
        }
        h.push_str("</table></section>");
    }
    let groups: Vec<String> = card
        .units
        .first()
        .map(|u| u.groups.iter().map(|g| g.code.to_string()).collect())
        .unwrap_or_default();
    h.push_str("<section><h2>Units × groups</h2><table><tr><th>rank</th><th>unit</th>");
    for g in &groups {
        let _ = write!(h, "<th>{}</th>", esc(g));
    }
    h.push_str("<th>total</th></tr>");
    for (rank, u) in ordered(card) {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td>",
            rank.map(|r| r.to_string()).unwrap_or_else(|| "·".into()),
            esc(&u.name)
        );
        for g in &u.groups {
            let _ = write!(h, "<td>{:.2}</td>", g.published);
        }
        let _ = write!(h, "<td>{:.2}</td></tr>", u.published_total);
    }
    h.push_str("</table></section><p class=\"meta\">computed by chiso</p></body></html>\n");
    h
}
