//! Score records built in code: a province with one department and one commune, a few dossiers,
//! and the scorecard printed and explained.
//!
//! `cargo run -p chiso --example score_records`
//!
//! The core reads no files and knows no holidays: the working-day calendar is a parameter
//! (here [`chiso::WeekdaysOnly`]; `chiso_calendar::Calendar::vietnam()` adds Vietnam's holidays
//! and make-up days).

use chiso::pipeline::{run, Records};
use chiso::{Channel, Dossier, Procedure, Profile, Status, Unit, UnitKind, WeekdaysOnly};
use chrono::{NaiveDate, NaiveDateTime};

fn at(y: i32, m: u32, d: u32, h: u32) -> Option<NaiveDateTime> {
    NaiveDate::from_ymd_opt(y, m, d).and_then(|d| d.and_hms_opt(h, 0, 0))
}

fn unit(code: &str, name: &str, kind: UnitKind, parent: Option<&str>) -> Unit {
    Unit {
        code: code.into(),
        name: name.into(),
        kind,
        parent: parent.map(str::to_string),
        e_certified_copy: None,
    }
}

pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    let units = vec![
        unit("H99", "Tỉnh Mẫu", UnitKind::province(), None),
        unit("H99.01", "Sở Tư pháp", UnitKind::department(), Some("H99")),
        unit("H99.100", "Xã Bình An", UnitKind::commune(), Some("H99")),
    ];
    let procedures = vec![Procedure {
        procedure_code: "1.001".into(),
        name: "Đăng ký khai sinh".into(),
        ..Procedure::default()
    }];
    // Five dossiers: finished early, late and on time; open and overdue; open within the deadline.
    let dossier = |id: &str, unit: &str, received, due, finished| Dossier {
        dossier_id: id.into(),
        unit_code: unit.into(),
        procedure_code: "1.001".into(),
        channel: Channel::Online,
        received_at: received,
        due_at: due,
        finished_at: finished,
        status: Some(if finished.is_some() {
            Status::Finished
        } else {
            Status::Received
        }),
        ..Dossier::default()
    };
    let dossiers = vec![
        dossier(
            "A1",
            "H99.01",
            at(2026, 9, 1, 8),
            at(2026, 9, 4, 17),
            at(2026, 9, 3, 10),
        ),
        dossier(
            "A2",
            "H99.01",
            at(2026, 9, 2, 8),
            at(2026, 9, 7, 17),
            at(2026, 9, 9, 10),
        ),
        dossier(
            "A3",
            "H99.01",
            at(2026, 9, 8, 8),
            at(2026, 9, 10, 17),
            at(2026, 9, 10, 16),
        ),
        dossier(
            "B1",
            "H99.100",
            at(2026, 9, 14, 8),
            at(2026, 9, 16, 17),
            None,
        ),
        dossier(
            "B2",
            "H99.100",
            at(2026, 9, 25, 8),
            at(2026, 10, 2, 17),
            None,
        ),
    ];
    let records = Records {
        dossiers: &dossiers,
        procedures: &procedures,
        units: Some(&units),
        petitions: &[],
    };
    let profile = Profile::builtin("portal-2026")?;
    let period = "2026-09".parse()?;
    let as_of = at(2026, 9, 28, 17).ok_or("bad date")?;
    let r = run(
        &records,
        period,
        as_of,
        &profile,
        profile.options,
        &WeekdaysOnly,
    )?;

    println!(
        "records: {} scored, {} excluded",
        r.accounting.scored,
        r.accounting.excluded_total()
    );
    for u in &r.scorecard.units {
        println!(
            "{:<8} {:<14} total {:6.2} / {:.0}",
            u.unit, u.name, u.total, u.max
        );
    }
    let root = r.scorecard.unit("H99").ok_or("no root")?;
    let on_time = root.indicator("2.1").ok_or("no 2.1")?;
    println!(
        "2.1 {}: {} / {} = {:.2}% → {:.2} of {} points",
        on_time.name_vi,
        on_time.numerator,
        on_time.denominator,
        100.0 * on_time.ratio.unwrap_or(0.0),
        on_time.points,
        on_time.max
    );
    let c = &root.counts;
    println!(
        "early {} · on time {} · late {} · open within {} · overdue {}",
        c.early, c.on_time, c.late, c.open_within, c.open_overdue
    );
    Ok(())
}
