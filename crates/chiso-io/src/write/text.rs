//! Plain-text rendering of scorecards for terminals: fits 100 columns, rounds only here.
//!
//! Each function has an English form and an `_in` form taking a [`Lang`] (headings from
//! [`crate::write::lang`], Vietnamese dates and number separators).

use crate::write::lang::Lang;
use chiso::rank::{ranking, RankPolicy};
use chiso::{round2, Accounting, Scorecard, UnitScore};
use std::fmt::Write;

/// Pads or cuts `s` to `n` characters (with `…` when cut).
pub fn trunc(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        format!("{s:<n$}")
    } else {
        let cut: String = s.chars().take(n.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// The header line in English; see [`header_in`].
pub fn header(card: &Scorecard) -> String {
    header_in(card, Lang::En)
}

/// The header line: what was scored, when, and with which rules.
pub fn header_in(card: &Scorecard, lang: Lang) -> String {
    let (m, w) = (&card.meta, lang.words());
    format!(
        "{} {} · {} {} · {} {}@{} · {} {}",
        w.period,
        lang.period(&m.period),
        w.evaluated_at,
        lang.moment(m.evaluated_at),
        w.profile,
        m.profile,
        m.profile_version,
        w.calendar,
        m.calendar
    )
}

/// The records line in English; see [`accounting_in`].
pub fn accounting(acc: &Accounting, rejected: u64) -> String {
    accounting_in(acc, rejected, Lang::En)
}

/// The records line: read = scored + excluded + rejected.
pub fn accounting_in(acc: &Accounting, rejected: u64, lang: Lang) -> String {
    let w = lang.words();
    let n = |x: u64| lang.number(x as f64, 0);
    let read = acc.scored + acc.excluded_total() + rejected;
    let mut s = format!(
        "{}: {} {} = {} {} + {} {} + {} {}",
        w.records,
        n(read),
        w.read,
        n(acc.scored),
        w.scored,
        n(acc.excluded_total()),
        w.excluded,
        n(rejected),
        w.rejected
    );
    if !acc.excluded.is_empty() {
        let parts: Vec<String> = acc
            .excluded
            .iter()
            .map(|(k, v)| format!("{}: {}", lang.exclusion_reason(k), n(*v)))
            .collect();
        let _ = write!(s, " ({})", parts.join("; "));
    }
    s
}

/// The units × groups table in English; see [`groups_table_in`].
pub fn groups_table(card: &Scorecard) -> String {
    groups_table_in(card, Lang::En)
}

/// Units × groups table with ranks (portal order), roots first.
pub fn groups_table_in(card: &Scorecard, lang: Lang) -> String {
    let w = lang.words();
    let mut out = String::new();
    let Some(first) = card.units.first() else {
        return format!("{}\n", w.no_units);
    };
    let num = |x: f64, d: usize| lang.number(x, d);
    let codes: Vec<&str> = first.groups.iter().map(|g| &*g.code).collect();
    let _ = write!(out, "{:>4}  {}", trunc(w.rank, 4), trunc(w.unit, 34));
    for c in &codes {
        let _ = write!(out, "{c:>7}");
    }
    // The total column is as wide as its heading ("total", "Tổng điểm").
    let tw = w.total.chars().count().max(7) + 1;
    let _ = writeln!(out, "{:>tw$}", w.total);
    let line = |out: &mut String, rank: String, u: &UnitScore| {
        let _ = write!(out, "{rank:>4}  {}", trunc(&u.name, 34));
        for g in &u.groups {
            let _ = write!(out, "{:>7}", num(g.published, 2));
        }
        let _ = writeln!(out, "{:>tw$}", num(u.published_total, 2));
    };
    let _ = write!(out, "{:>4}  {}", "", trunc(w.max, 34));
    for g in &first.groups {
        let _ = write!(out, "{:>7}", num(g.max, 0));
    }
    let _ = writeln!(out, "{:>tw$}", num(first.max, 0));
    for u in card.units.iter().filter(|u| u.parent.is_none()) {
        line(&mut out, "·".into(), u);
    }
    for r in ranking(card, None, RankPolicy::Portal) {
        if let Some(u) = card.unit(&r.unit).filter(|u| u.parent.is_some()) {
            line(&mut out, r.rank.to_string(), u);
        }
    }
    out
}

/// A unit's indicators in English; see [`indicators_table_in`].
pub fn indicators_table(u: &UnitScore) -> String {
    indicators_table_in(u, Lang::En)
}

/// Every indicator of one unit with numerator/denominator, points and points lost.
pub fn indicators_table_in(u: &UnitScore, lang: Lang) -> String {
    let w = lang.words();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({}) — {} {} / {}",
        u.name,
        u.unit,
        w.total.to_lowercase(),
        lang.number(u.published_total, 2),
        lang.number(u.max, 0)
    );
    let _ = writeln!(
        out,
        "  {} {} {:>21} {:>8} {:>7} {:>6}  {}",
        trunc(w.id, 5),
        trunc(w.indicator, 44),
        format!("{}/{}", w.numerator, w.denominator),
        w.ratio,
        w.points,
        w.lost,
        w.status
    );
    for i in &u.indicators {
        let frac = format!(
            "{}/{}",
            lang.amount(i.numerator),
            lang.amount(i.denominator)
        );
        let ratio = match (i.value, i.ratio) {
            (Some(v), _) => lang.number(v, 2),
            (None, Some(r)) => lang.percent(r),
            (None, None) => "—".into(),
        };
        let mut status = lang.status(i.status).to_string();
        if let Some(e) = i.on_empty {
            let _ = write!(status, ", {} {:?}", w.empty_then, e);
        }
        let _ = writeln!(
            out,
            "  {:<5} {} {:>21} {:>8} {:>7} {:>6}  {}",
            i.id,
            trunc(lang.indicator_name(i), 44),
            frac,
            ratio,
            lang.number(round2(i.points), 2),
            lang.number(round2(i.lost), 2),
            status
        );
        for n in &i.notes {
            let _ = writeln!(out, "        {}: {n}", w.note);
        }
    }
    out
}

/// The biggest point losses in English; see [`losses_in`].
pub fn losses(u: &UnitScore, n: usize) -> String {
    losses_in(u, n, Lang::En)
}

/// The biggest point losses of a unit, largest first.
pub fn losses_in(u: &UnitScore, n: usize, lang: Lang) -> String {
    let w = lang.words();
    let mut v: Vec<_> = u.indicators.iter().filter(|i| i.lost > 0.005).collect();
    v.sort_by(|a, b| b.lost.total_cmp(&a.lost));
    let mut out = format!("{} — {}:\n", w.biggest_losses, u.name);
    for i in v.into_iter().take(n) {
        let _ = writeln!(
            out,
            "  -{:>5}  {:<5} {} ({} {} {})",
            lang.number(round2(i.lost), 2),
            i.id,
            lang.indicator_name(i),
            lang.number(round2(i.points), 2),
            w.of,
            lang.number(i.max, 0)
        );
    }
    out
}

/// The 2.1 split in English; see [`progress_split_in`].
pub fn progress_split(u: &UnitScore) -> String {
    progress_split_in(u, Lang::En)
}

/// The 2.1 classification split of a unit (every case the rules distinguish).
pub fn progress_split_in(u: &UnitScore, lang: Lang) -> String {
    let (c, w) = (&u.counts, lang.words());
    let n = |x: u64| lang.number(x as f64, 0);
    format!(
        "{} {}: {} {} · {} {} · {} {} · {} {} · {} {} · {} {} · {} {}",
        w.dossiers,
        n(c.received),
        w.early,
        n(c.early),
        w.on_time,
        n(c.on_time),
        w.late,
        n(c.late),
        w.open_within,
        n(c.open_within),
        w.open_overdue,
        n(c.open_overdue),
        w.statutory_fallback,
        n(c.statutory_fallback),
        w.no_deadline,
        n(c.no_deadline)
    )
}
