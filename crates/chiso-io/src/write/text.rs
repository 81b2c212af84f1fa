//! Plain-text rendering of scorecards for terminals: fits 100 columns, rounds only here.

use chiso::rank::{ranking, RankPolicy};
use chiso::{round2, Accounting, Scorecard, UnitScore};
use std::fmt::Write;

fn trunc(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        format!("{s:<n$}")
    } else {
        let cut: String = s.chars().take(n.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

fn thousands(x: f64) -> String {
    if x.fract().abs() > 1e-9 {
        return format!("{x:.2}");
    }
    let s = format!("{}", x as i64);
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 && c != '-' {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The header line: what was scored, when, and with which rules.
pub fn header(card: &Scorecard) -> String {
    let m = &card.meta;
    format!(
        "period {} · evaluated at {} · profile {}@{} · calendar {}",
        m.period,
        m.evaluated_at.format("%Y-%m-%d %H:%M"),
        m.profile,
        m.profile_version,
        m.calendar
    )
}

/// The records line: read = scored + excluded + rejected.
pub fn accounting(acc: &Accounting, rejected: u64) -> String {
    let read = acc.scored + acc.excluded_total() + rejected;
    let mut s = format!(
        "records: {} read = {} scored + {} excluded + {} rejected",
        thousands(read as f64),
        thousands(acc.scored as f64),
        thousands(acc.excluded_total() as f64),
        thousands(rejected as f64)
    );
    if !acc.excluded.is_empty() {
        let parts: Vec<String> = acc
            .excluded
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        let _ = write!(s, " ({})", parts.join("; "));
    }
    s
}

/// Units × groups table with ranks (portal order), roots first.
pub fn groups_table(card: &Scorecard) -> String {
    let mut out = String::new();
    let Some(first) = card.units.first() else {
        return "no units\n".into();
    };
    let codes: Vec<&str> = first.groups.iter().map(|g| &*g.code).collect();
    let _ = write!(out, "{:>4}  {:<34}", "rank", "unit");
    for c in &codes {
        let _ = write!(out, "{c:>7}");
    }
    let _ = writeln!(out, "{:>8}", "total");
    let line = |out: &mut String, rank: String, u: &UnitScore| {
        let _ = write!(out, "{rank:>4}  {}", trunc(&u.name, 34));
        for g in &u.groups {
            let _ = write!(out, "{:>7.2}", g.published);
        }
        let _ = writeln!(out, "{:>8.2}", u.published_total);
    };
    let _ = write!(out, "{:>4}  {:<34}", "", "max");
    for g in &first.groups {
        let _ = write!(out, "{:>7.0}", g.max);
    }
    let _ = writeln!(out, "{:>8.0}", first.max);
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

/// Every indicator of one unit with numerator/denominator, points and points lost.
pub fn indicators_table(u: &UnitScore) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({}) — total {:.2} / {:.0}",
        u.name, u.unit, u.published_total, u.max
    );
    let _ = writeln!(
        out,
        "  {:<5} {:<44} {:>21} {:>8} {:>7} {:>6}  status",
        "id", "indicator", "numerator/denominator", "ratio", "points", "lost"
    );
    for i in &u.indicators {
        let frac = format!("{}/{}", thousands(i.numerator), thousands(i.denominator));
        let ratio = match (i.value, i.ratio) {
            (Some(v), _) => format!("{v:.2}"),
            (None, Some(r)) => format!("{:.2}%", r * 100.0),
            (None, None) => "—".into(),
        };
        let mut status = format!("{:?}", i.status).to_lowercase();
        if let Some(e) = i.on_empty {
            let _ = write!(status, ", empty → {:?}", e);
        }
        let _ = writeln!(
            out,
            "  {:<5} {} {:>21} {:>8} {:>7.2} {:>6.2}  {}",
            i.id,
            trunc(&i.name_en, 44),
            frac,
            ratio,
            round2(i.points),
            round2(i.lost),
            status
        );
        for n in &i.notes {
            let _ = writeln!(out, "        note: {n}");
        }
    }
    out
}

/// The biggest point losses of a unit, largest first.
pub fn losses(u: &UnitScore, n: usize) -> String {
    let mut v: Vec<_> = u.indicators.iter().filter(|i| i.lost > 0.005).collect();
    v.sort_by(|a, b| b.lost.total_cmp(&a.lost));
    let mut out = format!("biggest point losses — {}:\n", u.name);
    for i in v.into_iter().take(n) {
        let _ = writeln!(
            out,
            "  -{:>5.2}  {:<5} {} ({:.2} of {:.0})",
            round2(i.lost),
            i.id,
            i.name_en,
            round2(i.points),
            i.max
        );
    }
    out
}

/// The 2.1 classification split of a unit (every case the rules distinguish).
pub fn progress_split(u: &UnitScore) -> String {
    let c = &u.counts;
    format!(
        "dossiers {}: early {} · on time {} · late {} · open within deadline {} · overdue in progress {} · judged by statutory time {} · no deadline {}",
        thousands(c.received as f64),
        thousands(c.early as f64),
        thousands(c.on_time as f64),
        thousands(c.late as f64),
        thousands(c.open_within as f64),
        thousands(c.open_overdue as f64),
        thousands(c.statutory_fallback as f64),
        thousands(c.no_deadline as f64)
    )
}
