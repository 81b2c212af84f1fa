//! The terminal tables of `chiso reconcile` and `chiso officials`, and the list of unreadable
//! process logs they share with `chiso overdue`, in a report language: every word comes from
//! the one terms table (`chiso_io::write::lang`).

use chiso::toolkit::{officials, reconcile};
use chiso_io::write::lang::Lang;
use std::fmt::Write;

/// Width of a column: its usual width, or the heading's when that is longer.
fn width(heading: &str, usual: usize) -> usize {
    usual.max(heading.chars().count())
}

/// Lists the dossiers whose process log could not be read (id, unit, why), if any.
pub fn unreadable_lines<'a>(
    out: &mut String,
    lang: Lang,
    bad: impl Iterator<Item = (&'a str, &'a str, &'a str)>,
) {
    let bad: Vec<_> = bad.collect();
    if bad.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n{} {}",
        lang.number(bad.len() as f64, 0),
        lang.words().unreadable_logs
    );
    for (id, unit, why) in bad {
        let _ = writeln!(out, "  {id:<28} {unit:<14} {why}");
    }
}

/// Received and resolved counts of the two sources per unit, their differences and the effect
/// on indicator 1.4.
pub fn render_reconcile(rows: &[reconcile::ReconRow], lang: Lang) -> String {
    let w = lang.words();
    let num = |x: f64, d: usize| lang.number(x, d);
    let widths = [
        width(w.unit, 14),
        width(w.received_a, 9),
        width(w.received_b, 9),
        width(w.diff, 7),
        width(w.resolved_a, 9),
        width(w.resolved_b, 9),
        width(w.diff, 7),
        6,
        width(w.lost, 6),
    ];
    let cells = |c: [&str; 9]| {
        let mut line = format!("{:<w$}", c[0], w = widths[0]);
        for (cell, wd) in c.iter().zip(widths).skip(1) {
            let _ = write!(line, " {cell:>wd$}");
        }
        line
    };
    let mut out = cells([
        w.unit,
        w.received_a,
        w.received_b,
        w.diff,
        w.resolved_a,
        w.resolved_b,
        w.diff,
        "1.4",
        w.lost,
    ]);
    out.push('\n');
    for r in rows {
        let line = cells([
            &r.unit_code,
            &num(r.received_a as f64, 0),
            &num(r.received_b as f64, 0),
            &num(r.received_diff as f64, 0),
            &num(r.resolved_a as f64, 0),
            &num(r.resolved_b as f64, 0),
            &num(r.resolved_diff as f64, 0),
            &num(r.sync_points, 2),
            &num(r.sync_points_lost, 2),
        ]);
        out.push_str(&line);
        if !(r.only_in_a.is_empty() && r.only_in_b.is_empty()) {
            let _ = write!(
                out,
                "  {}: {}, {}: {}",
                w.only_in_a,
                num(r.only_in_a.len() as f64, 0),
                w.only_in_b,
                num(r.only_in_b.len() as f64, 0)
            );
        }
        out.push('\n');
    }
    out
}

/// Per-official figures, each unit's totals, then the dossiers whose log could not be read.
pub fn render_officials(r: &officials::OfficialsReport, lang: Lang) -> String {
    let w = lang.words();
    let num = |x: u64| lang.number(x as f64, 0);
    let (wo, wu, ws, wl, wm, wd) = (
        width(w.official, 16),
        width(w.unit, 14),
        width(w.steps, 7),
        width(w.steps_late, 7),
        width(w.made_late, 10),
        width(w.median, 8),
    );
    let mut out = format!(
        "{:<wo$} {:<wu$} {:>ws$} {:>wl$} {:>wm$} {:>wd$}\n",
        w.official, w.unit, w.steps, w.steps_late, w.made_late, w.median
    );
    for o in &r.officials {
        let _ = writeln!(
            out,
            "{:<wo$} {:<wu$} {:>ws$} {:>wl$} {:>wm$} {:>wd$}",
            o.official,
            o.unit_code,
            num(o.steps),
            num(o.steps_late),
            num(o.dossiers_made_late),
            o.median_working_days
                .map(|m| lang.number(m, 1))
                .unwrap_or_else(|| "—".into())
        );
    }
    for u in &r.units {
        let _ = writeln!(
            out,
            "{} {}: {} {}, {} {}; {} {}, {} {}",
            w.unit.to_lowercase(),
            u.unit_code,
            num(u.steps),
            w.steps_count,
            num(u.steps_late),
            w.late,
            num(u.late_dossiers),
            w.late_dossiers,
            num(u.unattributed_late),
            w.unattributed_late
        );
    }
    unreadable_lines(
        &mut out,
        lang,
        r.unreadable_logs.iter().map(|u| {
            (
                u.dossier_id.as_str(),
                u.unit_code.as_str(),
                u.error.as_str(),
            )
        }),
    );
    out
}
