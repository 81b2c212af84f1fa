//! Scorecards people can use: CSV (one row per unit and indicator), an Excel workbook (one sheet
//! per view) and a single self-contained HTML report with inline SVG charts.
//!
//! The CLI (`chiso score --format csv|xlsx|html`) and Python (`card.to_csv()`, `card.to_excel()`,
//! `card.to_html()`, and the notebook view) call these same writers, so both produce the same
//! files. Every heading comes from [`crate::write::lang`]; the `_in` functions take a [`Lang`],
//! the others write English.
//!
//! ```
//! use chiso::pipeline::{run, Records};
//! use chiso_io::sample::{generate, SampleSpec};
//! use chiso_io::write::{lang::Lang, report};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let spec = SampleSpec { dossiers: 500, ..SampleSpec::district(7) };
//! let s = generate(&spec);
//! let records = Records {
//!     dossiers: &s.dossiers,
//!     procedures: &s.procedures,
//!     units: Some(&s.units),
//!     petitions: &s.petitions,
//! };
//! let profile = chiso::Profile::builtin("portal-2026")?;
//! let r = run(&records, "2026".parse()?, spec.as_of, &profile, profile.options, &chiso::WeekdaysOnly)?;
//! let acc = report::ReportAccounting::new(&r.accounting, 0);
//! let page = report::html_report_in(&r.scorecard, &acc, None, Lang::Vi);
//! assert!(page.contains("Xếp hạng đơn vị") && page.contains("<svg"));
//! let csv = report::scorecard_csv_in(&r.scorecard, Lang::Vi);
//! assert!(csv.starts_with("Đơn vị,"));
//! # Ok(()) }
//! ```

use crate::error::{IoError, Result};
use crate::read::records::Reject;
use crate::write::lang::Lang;
use chiso::rank::{ranking, RankPolicy};
use chiso::{round2, Accounting, Scorecard, UnitScore};
use std::collections::HashMap;
use std::fmt::Write;
use std::path::Path;

/// What a report says about the records behind it.
#[derive(Clone, Debug, Default)]
pub struct ReportAccounting {
    /// Records scored.
    pub scored: u64,
    /// Excluded records by reason (including duplicates superseded by a later sync).
    pub excluded: Vec<(String, u64)>,
    /// Rows that could not be read (dossiers and petitions).
    pub rejected: u64,
}

impl ReportAccounting {
    /// From the pipeline's accounting and the number of rejected rows.
    pub fn new(acc: &Accounting, rejected: u64) -> Self {
        Self {
            scored: acc.scored,
            excluded: acc.excluded.iter().map(|(k, v)| (k.clone(), *v)).collect(),
            rejected,
        }
    }
    /// Records excluded, all reasons together.
    pub fn excluded_total(&self) -> u64 {
        self.excluded.iter().map(|(_, v)| v).sum()
    }
    /// Records read: scored + excluded + rejected.
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

/// The scorecard as CSV with English headers; see [`scorecard_csv_in`].
pub fn scorecard_csv(card: &Scorecard) -> String {
    scorecard_csv_in(card, Lang::En)
}

/// The scorecard as CSV: one row per unit and indicator, full precision, with the unit's rank
/// and total. Headers are in `lang`; values stay machine-readable (a `.` decimal point, codes
/// for status and on-empty), so the file reads back the same in any language.
pub fn scorecard_csv_in(card: &Scorecard, lang: Lang) -> String {
    let w = lang.words();
    let ranks = ranks(card);
    let mut out = csv::Writer::from_writer(Vec::new());
    let _ = out.write_record([
        w.unit,
        w.name,
        w.kind,
        w.parent,
        w.rank,
        w.total,
        w.indicator,
        w.group,
        w.name_vi,
        w.name_en,
        w.numerator,
        w.denominator,
        w.ratio,
        w.points,
        w.max,
        w.lost,
        w.status,
        w.on_empty,
        w.notes,
    ]);
    for u in &card.units {
        let rank = ranks
            .get(&u.unit)
            .map(|r| r.to_string())
            .unwrap_or_default();
        for i in &u.indicators {
            let _ = out.write_record([
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
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Writes the workbook with English headings; see [`write_xlsx_in`].
pub fn write_xlsx(
    path: &Path,
    card: &Scorecard,
    acc: &ReportAccounting,
    rejects: &[Reject],
) -> Result<()> {
    write_xlsx_in(path, card, acc, rejects, Lang::En)
}

/// Writes the workbook (atomically): Summary, Units × groups, Indicators (numerators and
/// denominators), and Rejects, with sheet names and headings in `lang`. Numbers are Excel numbers (Excel shows them
/// with the reader's own separators); dates in the summary follow `lang`.
pub fn write_xlsx_in(
    path: &Path,
    card: &Scorecard,
    acc: &ReportAccounting,
    rejects: &[Reject],
    lang: Lang,
) -> Result<()> {
    let book =
        workbook(card, acc, rejects, lang).map_err(|e| IoError::format(path, e.to_string()))?;
    let mut book = book;
    // Saved to memory, then written atomically: a failure leaves a previous file intact.
    let bytes = book
        .save_to_buffer()
        .map_err(|e| IoError::format(path, e.to_string()))?;
    super::output::write_file(path, &bytes)
}

/// The workbook as bytes (what [`write_xlsx_in`] saves), for callers that write files their
/// own way.
pub fn xlsx_bytes(
    card: &Scorecard,
    acc: &ReportAccounting,
    rejects: &[Reject],
    lang: Lang,
) -> Result<Vec<u8>> {
    let bad =
        |e: rust_xlsxwriter::XlsxError| IoError::format(Path::new("<workbook>"), e.to_string());
    let mut book = workbook(card, acc, rejects, lang).map_err(bad)?;
    book.save_to_buffer().map_err(bad)
}

fn workbook(
    card: &Scorecard,
    acc: &ReportAccounting,
    rejects: &[Reject],
    lang: Lang,
) -> std::result::Result<rust_xlsxwriter::Workbook, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let w = lang.words();
    let bold = Format::new().set_bold();
    let num = Format::new().set_num_format("0.00");
    let mut book = Workbook::new();

    let s = book.add_worksheet();
    s.set_name(w.sheet_summary)?;
    let m = &card.meta;
    let rows: Vec<(&str, String)> = vec![
        (w.profile, format!("{}@{}", m.profile, m.profile_version)),
        (w.period, lang.period(&m.period)),
        (w.evaluated_at, lang.moment(m.evaluated_at)),
        (w.calendar, m.calendar.clone()),
        (w.read, acc.read().to_string()),
        (w.scored, acc.scored.to_string()),
        (w.excluded, acc.excluded_total().to_string()),
        (w.rejected, acc.rejected.to_string()),
    ];
    for (r, (k, v)) in rows.iter().enumerate() {
        s.write_string_with_format(r as u32, 0, *k, &bold)?;
        s.write_string(r as u32, 1, v)?;
    }
    for (k, (reason, n)) in acc.excluded.iter().enumerate() {
        let r = (rows.len() + k) as u32;
        s.write_string(
            r,
            0,
            format!("{}: {}", w.excluded, lang.exclusion_reason(reason)),
        )?;
        s.write_number(r, 1, *n as f64)?;
    }
    s.set_column_width(0, 40)?;
    s.set_column_width(1, 30)?;

    let s = book.add_worksheet();
    s.set_name(w.sheet_units)?;
    let mut header: Vec<String> = [w.rank, w.unit, w.name, w.kind, w.parent]
        .iter()
        .map(|s| s.to_string())
        .collect();
    header.extend(group_codes(card));
    header.push(w.total.into());
    for (c, h) in header.iter().enumerate() {
        s.write_string_with_format(0, c as u16, h, &bold)?;
    }
    for (r, (rank, u)) in ordered(card).into_iter().enumerate() {
        let r = r as u32 + 1;
        if let Some(rank) = rank {
            s.write_number(r, 0, rank as f64)?;
        }
        s.write_string(r, 1, &u.unit)?;
        s.write_string(r, 2, &u.name)?;
        s.write_string(r, 3, &u.kind)?;
        s.write_string(r, 4, u.parent.as_deref().unwrap_or(""))?;
        for (k, g) in u.groups.iter().enumerate() {
            s.write_number_with_format(r, 5 + k as u16, g.points, &num)?;
        }
        s.write_number_with_format(r, 5 + u.groups.len() as u16, u.total, &num)?;
    }
    s.set_column_width(2, 36)?;
    s.set_freeze_panes(1, 0)?;

    let s = book.add_worksheet();
    s.set_name(w.sheet_indicators)?;
    let head = [
        w.unit,
        w.name,
        w.indicator,
        w.group,
        w.name_vi,
        w.name_en,
        w.numerator,
        w.denominator,
        w.ratio,
        w.points,
        w.max,
        w.lost,
        w.status,
        w.notes,
    ];
    for (c, h) in head.iter().enumerate() {
        s.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    let mut r = 1u32;
    for (_, u) in ordered(card) {
        for i in &u.indicators {
            s.write_string(r, 0, &u.unit)?;
            s.write_string(r, 1, &u.name)?;
            s.write_string(r, 2, &*i.id)?;
            s.write_string(r, 3, &*i.group)?;
            s.write_string(r, 4, &*i.name_vi)?;
            s.write_string(r, 5, &*i.name_en)?;
            s.write_number(r, 6, i.numerator)?;
            s.write_number(r, 7, i.denominator)?;
            if let Some(x) = i.ratio {
                s.write_number(r, 8, x)?;
            }
            s.write_number_with_format(r, 9, i.points, &num)?;
            s.write_number(r, 10, i.max)?;
            s.write_number_with_format(r, 11, i.lost, &num)?;
            s.write_string(r, 12, lang.status(i.status))?;
            s.write_string(r, 13, i.notes.join("; "))?;
            r += 1;
        }
    }
    s.set_freeze_panes(1, 0)?;

    let s = book.add_worksheet();
    s.set_name(w.sheet_rejects)?;
    for (c, h) in [w.file, w.row, w.column, w.message].iter().enumerate() {
        s.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (k, rej) in rejects.iter().enumerate() {
        let r = k as u32 + 1;
        s.write_string(r, 0, &rej.file)?;
        s.write_number(r, 1, rej.row as f64)?;
        s.write_string(r, 2, rej.column.as_deref().unwrap_or(""))?;
        s.write_string(r, 3, &rej.message)?;
    }
    s.set_column_width(3, 80)?;
    Ok(book)
}

fn group_codes(card: &Scorecard) -> Vec<String> {
    card.units
        .first()
        .map(|u| u.groups.iter().map(|g| g.code.to_string()).collect())
        .unwrap_or_default()
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Radar (spider) chart of a unit's groups, as a share of each group's maximum.
fn radar(u: &UnitScore, lang: Lang) -> String {
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
            r#"<text x="{x:.1}" y="{y:.1}" text-anchor="middle" font-size="12">{} {}/{}</text>"#,
            esc(&g.code),
            lang.number(g.published, 1),
            lang.number(g.max, 0)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The groups of a unit with their names in `lang`, as a legend beside the radar.
fn group_legend(u: &UnitScore, lang: Lang) -> String {
    let mut h = String::from("<ul class=\"legend\">");
    for g in &u.groups {
        let name = match lang {
            Lang::Vi => &g.name_vi,
            Lang::En => &g.name_en,
        };
        let _ = write!(
            h,
            "<li><b>{}</b> {}: {} / {}</li>",
            esc(&g.code),
            esc(name),
            lang.number(g.published, 2),
            lang.number(g.max, 0)
        );
    }
    h.push_str("</ul>");
    h
}

fn short_label(s: &str) -> String {
    if s.chars().count() <= 44 {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(43).collect::<String>())
    }
}

/// Horizontal bars: one per (label, value) against a maximum.
fn bars(items: &[(String, f64)], max: f64, color: &str, label: &str, lang: Lang) -> String {
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
            r#"<text x="290" y="{:.1}" text-anchor="end" font-size="12">{}</text><rect x="300" y="{y:.1}" width="{w:.1}" height="{:.1}" fill="{color}"/><text x="{:.1}" y="{:.1}" font-size="12">{}</text>"#,
            y + 15.0,
            esc(&short_label(name)),
            h - 6.0,
            305.0 + w,
            y + 15.0,
            lang.number(round2(*v), 2)
        );
    }
    svg.push_str("</svg>");
    svg
}

const STYLE: &str = r#"body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}
.chiso table{border-collapse:collapse;width:100%;font-size:14px}.chiso th,.chiso td{border-bottom:1px solid #ddd;padding:4px 6px;text-align:right}.chiso th:nth-child(-n+2),.chiso td:nth-child(-n+2){text-align:left}
.chiso h1{font-size:1.5em}.chiso .meta{color:#555}.chiso section{margin:2em 0}.chiso .legend{list-style:none;padding:0;font-size:14px}.chiso .radar{display:flex;gap:2em;align-items:center;flex-wrap:wrap}"#;

/// The header line: period, evaluation time, profile, calendar.
fn meta_line(card: &Scorecard, lang: Lang) -> String {
    let (m, w) = (&card.meta, lang.words());
    format!(
        r#"<p class="meta">{} {} · {} {} · {} {}@{} · {} {}</p>"#,
        w.period,
        esc(&lang.period(&m.period)),
        w.evaluated_at,
        lang.moment(m.evaluated_at),
        w.profile,
        esc(&m.profile),
        esc(&m.profile_version),
        w.calendar,
        esc(&m.calendar)
    )
}

/// The records line (read = scored + excluded + rejected) and the reasons of exclusion.
fn accounting_html(acc: &ReportAccounting, lang: Lang) -> String {
    let w = lang.words();
    let n = |x: u64| lang.number(x as f64, 0);
    let mut excl = String::new();
    for (k, v) in &acc.excluded {
        let _ = write!(
            excl,
            "<li>{}: {}</li>",
            esc(lang.exclusion_reason(k)),
            n(*v)
        );
    }
    format!(
        "<p>{}: {} {} = {} {} + {} {} + {} {}</p><ul>{excl}</ul>",
        w.records,
        n(acc.read()),
        w.read,
        n(acc.scored),
        w.scored,
        n(acc.excluded_total()),
        w.excluded,
        n(acc.rejected),
        w.rejected
    )
}

/// The units × groups table, roots first then by rank; at most `limit` rows.
fn units_table(card: &Scorecard, lang: Lang, limit: Option<usize>) -> String {
    let w = lang.words();
    let mut h = format!("<table><tr><th>{}</th><th>{}</th>", w.rank, w.unit);
    for g in group_codes(card) {
        let _ = write!(h, "<th>{}</th>", esc(&g));
    }
    let _ = write!(h, "<th>{}</th></tr>", w.total);
    let rows = ordered(card);
    let shown = limit.unwrap_or(usize::MAX);
    for (rank, u) in rows.iter().take(shown) {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td>",
            rank.map(|r| r.to_string()).unwrap_or_else(|| "·".into()),
            esc(&u.name)
        );
        for g in &u.groups {
            let _ = write!(h, "<td>{}</td>", lang.number(g.published, 2));
        }
        let _ = write!(h, "<td>{}</td></tr>", lang.number(u.published_total, 2));
    }
    h.push_str("</table>");
    if rows.len() > shown {
        let _ = write!(h, "<p class=\"meta\">… {}</p>", rows.len() - shown);
    }
    h
}

/// The indicator table of one unit.
fn indicator_table(u: &UnitScore, lang: Lang) -> String {
    let w = lang.words();
    let mut h = format!(
        "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        w.id, w.indicator, w.numerator, w.denominator, w.ratio, w.points, w.max, w.lost
    );
    for i in &u.indicators {
        let ratio = match (i.value, i.ratio) {
            (Some(v), _) => lang.number(v, 2),
            (None, Some(r)) => lang.percent(r),
            (None, None) => "—".into(),
        };
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&i.id),
            esc(lang.indicator_name(i)),
            lang.amount(i.numerator),
            lang.amount(i.denominator),
            ratio,
            lang.number(round2(i.points), 2),
            lang.number(i.max, 0),
            lang.number(round2(i.lost), 2)
        );
    }
    h.push_str("</table>");
    h
}

/// The root unit, or the focus unit when given.
fn focus_unit<'a>(card: &'a Scorecard, focus: Option<&str>) -> Option<&'a UnitScore> {
    focus
        .and_then(|c| card.unit(c))
        .or_else(|| card.units.iter().find(|u| u.parent.is_none()))
}

/// The HTML report in English; see [`html_report_in`].
pub fn html_report(card: &Scorecard, acc: &ReportAccounting, focus: Option<&str>) -> String {
    html_report_in(card, acc, focus, Lang::En)
}

/// A single self-contained HTML page (no scripts, no external files): groups radar, unit ranking
/// bars, points lost per indicator, the indicator table and the accounting of records, in
/// `lang` (headings, indicator names, dates and number separators). `focus` picks the unit shown
/// in detail (default: the root).
pub fn html_report_in(
    card: &Scorecard,
    acc: &ReportAccounting,
    focus: Option<&str>,
    lang: Lang,
) -> String {
    let w = lang.words();
    let root = focus_unit(card, focus);
    let mut h = String::new();
    let title = root.map_or("chiso".to_string(), |u| {
        format!("{} — {}", u.name, w.report_title)
    });
    let _ = write!(
        h,
        r#"<!DOCTYPE html><html lang="{}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{}</title><style>{STYLE}</style></head><body class="chiso">"#,
        lang.code(),
        esc(&title)
    );
    let _ = write!(h, "<h1>{}</h1>{}", esc(&title), meta_line(card, lang));
    h.push_str(&accounting_html(acc, lang));
    if let Some(u) = root {
        let _ = write!(
            h,
            r#"<section><h2>{} — {} {} / {}</h2><div class="radar">{}{}</div></section>"#,
            esc(&u.name),
            w.total,
            lang.number(u.published_total, 2),
            lang.number(u.max, 0),
            radar(u, lang),
            group_legend(u, lang)
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
            "<section><h2>{}</h2>{}</section>",
            w.unit_ranking,
            bars(&ranked, max, "#1e6ec8", w.unit_ranking, lang)
        );
    }
    if let Some(u) = root {
        let mut lost: Vec<(String, f64)> = u
            .indicators
            .iter()
            .filter(|i| i.lost > 0.005)
            .map(|i| (format!("{} {}", i.id, lang.indicator_name(i)), i.lost))
            .collect();
        lost.sort_by(|a, b| b.1.total_cmp(&a.1));
        let max = lost.first().map_or(1.0, |x| x.1);
        let _ = write!(
            h,
            "<section><h2>{}</h2>{}</section>",
            w.points_lost_per_indicator,
            bars(&lost, max, "#c8501e", w.points_lost_per_indicator, lang)
        );
        let _ = write!(
            h,
            "<section><h2>{}</h2>{}</section>",
            w.indicators,
            indicator_table(u, lang)
        );
    }
    let _ = write!(
        h,
        "<section><h2>{}</h2>{}</section>",
        w.units_by_groups,
        units_table(card, lang, None)
    );
    let _ = writeln!(h, "<p class=\"meta\">{}</p></body></html>", w.computed_by);
    h
}

/// The compact view of a notebook (`_repr_html_`): the header line, the records line, the units
/// × groups table (at most `limit` rows) and the five biggest point losses of the root, built
/// from the same pieces as [`html_report_in`], in a `<div>` with its own scoped style.
pub fn html_summary(card: &Scorecard, acc: &ReportAccounting, lang: Lang, limit: usize) -> String {
    let w = lang.words();
    let mut h = String::from("<div class=\"chiso\"><style>");
    // Only the .chiso rules: the notebook's own page style stays.
    h.push_str(STYLE.split_once('\n').map_or(STYLE, |(_, rest)| rest));
    h.push_str("</style>");
    h.push_str(&meta_line(card, lang));
    h.push_str(&accounting_html(acc, lang));
    h.push_str(&units_table(card, lang, Some(limit)));
    if let Some(u) = focus_unit(card, None) {
        let mut worst: Vec<_> = u.indicators.iter().filter(|i| i.lost > 0.005).collect();
        worst.sort_by(|a, b| b.lost.total_cmp(&a.lost));
        if !worst.is_empty() {
            let _ = write!(h, "<p>{} {}:</p><ul>", w.most_points_lost_at, esc(&u.name));
            for i in worst.into_iter().take(5) {
                let _ = write!(
                    h,
                    "<li>{} {}: −{} {}</li>",
                    esc(&i.id),
                    esc(lang.indicator_name(i)),
                    lang.number(round2(i.lost), 2),
                    w.points.to_lowercase()
                );
            }
            h.push_str("</ul>");
        }
    }
    h.push_str("</div>");
    h
}
