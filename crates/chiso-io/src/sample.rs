//! A seeded generator of realistic synthetic data: a district People's Committee with offices
//! and communes, a procedure catalogue, a year of dossiers and petitions. Its rates follow the
//! 2023 Tây Sơn directive (on time ≈ 92.7%, online ≈ 17%, paid online ≈ 2.7%, digitised ≈ 19%,
//! electronic results ≈ 14%, reuse 0%, about 200 dossiers overdue in progress), and it produces
//! every classification case. Same seed, same data, on every platform (own PRNG, no crate).

use chiso::model::{Level, OnlineLevel, PaymentGateway, StatutoryTime, Step, TimeUnit, Wait};
use chiso::{Channel, Dossier, Petition, Procedure, Status, Unit, UnitKind};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};

/// SplitMix64: tiny, fast, and stable across versions (unlike a crate's default RNG).
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Self(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    /// Uniform in [0, n); 0 when n is 0.
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }
}

/// How big a sample to make.
#[derive(Clone, Debug)]
pub struct SampleSpec {
    /// Seed: the same seed gives the same sample.
    pub seed: u64,
    /// Dossiers to make.
    pub dossiers: usize,
    /// Offices (departments) under the district.
    pub offices: usize,
    /// Communes under the district.
    pub communes: usize,
    /// Procedures in the catalogue.
    pub procedures: usize,
    /// Petitions to make.
    pub petitions: usize,
    /// The year the dossiers fall in.
    pub year: i32,
    /// The moment the sample is evaluated at (the "live" now of the demo).
    pub as_of: NaiveDateTime,
    /// Write a process log (reception → handling → approval steps with officials' codes) for
    /// every dossier; off for very large benchmark files.
    pub process_log: bool,
}

impl SampleSpec {
    /// The district of `chiso demo`: 10 offices, 15 communes, 100 procedures, 40,000 dossiers.
    pub fn district(seed: u64) -> Self {
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 20)
            .and_then(|d| d.and_hms_opt(16, 0, 0))
            .unwrap_or_default();
        Self {
            seed,
            dossiers: 40_000,
            offices: 10,
            communes: 15,
            procedures: 100,
            petitions: 120,
            year: 2026,
            as_of,
            process_log: true,
        }
    }
}

/// Everything a scoring run needs.
#[derive(Clone, Debug, Default)]
pub struct Sample {
    /// The unit tree.
    pub units: Vec<Unit>,
    /// The procedure catalogue.
    pub procedures: Vec<Procedure>,
    /// The dossiers.
    pub dossiers: Vec<Dossier>,
    /// The petitions.
    pub petitions: Vec<Petition>,
}

const OFFICES: [&str; 10] = [
    "Phòng Tư pháp",
    "Phòng Tài nguyên và Môi trường",
    "Phòng Kinh tế - Hạ tầng",
    "Phòng Lao động - Thương binh và Xã hội",
    "Phòng Tài chính - Kế hoạch",
    "Phòng Nội vụ",
    "Phòng Văn hóa và Thông tin",
    "Phòng Giáo dục và Đào tạo",
    "Phòng Nông nghiệp và PTNT",
    "Phòng Y tế",
];

const COMMUNES: [&str; 15] = [
    "Thị trấn Phú Phong",
    "Xã Bình Tân",
    "Xã Tây Thuận",
    "Xã Bình Thuận",
    "Xã Tây Giang",
    "Xã Bình Thành",
    "Xã Tây An",
    "Xã Bình Hòa",
    "Xã Tây Bình",
    "Xã Bình Tường",
    "Xã Tây Vinh",
    "Xã Tây Phú",
    "Xã Vĩnh An",
    "Xã Tây Xuân",
    "Xã Bình Nghi",
];

/// Moves a time to the next weekday working hour (08:00–16:30) if it falls outside one.
fn office_hours(t: NaiveDateTime) -> NaiveDateTime {
    let mut d = t.date();
    while matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
        d = d.succ_opt().unwrap_or(d);
    }
    let secs = t
        .time()
        .signed_duration_since(chrono::NaiveTime::MIN)
        .num_seconds();
    let secs = 8 * 3600 + secs.rem_euclid(8 * 3600 + 1800);
    d.and_hms_opt(0, 0, 0).unwrap_or(t) + Duration::seconds(secs)
}

/// Adds weekdays (the sample's own due dates; holidays are the calendar's business).
fn add_weekdays(t: NaiveDateTime, n: u32) -> NaiveDateTime {
    let mut d = t;
    let mut left = n;
    while left > 0 {
        d += Duration::days(1);
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    d
}

fn units(spec: &SampleSpec) -> Vec<Unit> {
    let root = "D52.TS";
    let mut out = vec![Unit::new(
        root,
        "UBND huyện Tây Sơn (mẫu)",
        UnitKind::district(),
        None,
    )];
    for i in 0..spec.offices {
        let name = OFFICES
            .get(i)
            .map_or_else(|| format!("Phòng {}", i + 1), |s| s.to_string());
        out.push(Unit::new(
            &format!("{root}.P{:02}", i + 1),
            &name,
            UnitKind::department(),
            Some(root),
        ));
    }
    for i in 0..spec.communes {
        let name = COMMUNES
            .get(i)
            .map_or_else(|| format!("Xã {}", i + 1), |s| s.to_string());
        let mut u = Unit::new(
            &format!("{root}.X{:02}", i + 1),
            &name,
            UnitKind::commune(),
            Some(root),
        );
        u.e_certified_copy = Some(i % 3 != 2);
        out.push(u);
    }
    out
}

fn procedures(spec: &SampleSpec, rng: &mut Rng, offices: &[String]) -> Vec<Procedure> {
    let year_start = NaiveDate::from_ymd_opt(spec.year, 1, 1).unwrap_or_default();
    (0..spec.procedures)
        .map(|i| {
            let district = i % 5 < 2; // 40% district-level, 60% commune-level
            let published = year_start + Duration::days(rng.below(300) as i64);
            let mut p = Procedure {
                procedure_code: format!("{}.{:06}", if district { 2 } else { 1 }, 1000 + i),
                name: format!("Thủ tục mẫu {}", i + 1),
                field: ["Hộ tịch", "Chứng thực", "Đất đai", "Xây dựng", "Kinh doanh"][i % 5]
                    .to_string(),
                level: Some(if district {
                    Level::District
                } else {
                    Level::Commune
                }),
                online_level: match i % 10 {
                    0..=3 => OnlineLevel::Full,
                    4..=6 => OnlineLevel::Partial,
                    _ => OnlineLevel::None,
                },
                full_process_eligible: i % 10 <= 3,
                paper_result: i % 4 != 0,
                fee_bearing: i % 5 < 2,
                for_citizens: i % 7 != 0,
                statutory_time: Some(StatutoryTime {
                    amount: [1.0, 3.0, 5.0, 7.0, 10.0, 15.0][i % 6],
                    unit: TimeUnit::WorkingDays,
                }),
                published_at: (i % 3 == 0).then_some(published),
                legal_basis_effective_at: (i % 3 == 0)
                    .then(|| published + Duration::days(rng.below(30) as i64 - 5)),
                made_public_at: (i % 3 == 0 && i % 6 != 3)
                    .then(|| published + Duration::days(rng.below(12) as i64)),
                has_all_parts: Some(i % 11 != 0),
                public: true,
                units: Vec::new(),
            };
            if district && !offices.is_empty() {
                p.units = vec![offices[i % offices.len()].clone()];
            }
            p
        })
        .collect()
}

fn dossier(n: usize, spec: &SampleSpec, rng: &mut Rng, u: &Unit, p: &Procedure) -> Dossier {
    let year_start = NaiveDate::from_ymd_opt(spec.year, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default();
    let span = (spec.as_of - year_start).num_minutes().max(1) as f64;
    let received = office_hours(year_start + Duration::minutes((rng.unit() * span) as i64));
    let days = p.statutory_time.map_or(5, |s| s.amount as u32);
    let due = add_weekdays(received, days);
    let allowed = (due - received).num_minutes().max(60);

    let mut d = Dossier {
        dossier_id: format!("{}-{}-{:07}", u.code, received.format("%Y%m%d"), n),
        unit_code: u.code.clone(),
        procedure_code: p.procedure_code.clone(),
        submitted_at: Some(received - Duration::minutes(rng.below(600) as i64)),
        received_at: Some(received),
        due_at: Some(due),
        ..Dossier::default()
    };
    d.channel = if p.online_level != OnlineLevel::None && rng.chance(0.28) {
        Channel::Online
    } else if rng.chance(0.01) {
        Channel::Postal
    } else {
        Channel::Direct
    };
    // Supplements: 8% one request, 0.5% two (late by rule).
    let supplements = if rng.chance(0.005) {
        2
    } else if rng.chance(0.08) {
        1
    } else {
        0
    };
    let mut waited = Duration::zero();
    for k in 0..supplements {
        let at = received + Duration::minutes((allowed as f64 * (0.2 + 0.3 * k as f64)) as i64);
        let back = at + Duration::hours(4 + rng.below(72) as i64);
        waited += back - at;
        d.supplements.push(Wait {
            requested_at: at,
            completed_at: Some(back),
        });
    }
    // Outcome: on time ≈ 92.7%, late ≈ 6.7%, stuck (never finished) 0.4%.
    let r = rng.unit();
    let end = if r < 0.004 {
        None
    } else if r < 0.071 {
        Some(due + waited + Duration::minutes(30 + rng.below(10 * 24 * 60) as i64))
    } else {
        Some(
            received
                + waited
                + Duration::minutes((allowed as f64 * (0.15 + 0.8 * rng.unit())) as i64),
        )
    };
    // A small share with no appointment date: judged by statutory time.
    if rng.chance(0.01) {
        d.due_at = None;
    }
    // An export made at `as_of` knows nothing later.
    d.finished_at = end.filter(|e| *e <= spec.as_of);
    if spec.process_log {
        d.steps = process_log(n, spec, u, received, due, end).into();
    }
    d.status = Some(match end {
        Some(e) if e <= spec.as_of => {
            if rng.chance(0.8) {
                d.returned_at = Some(e + Duration::hours(rng.below(48) as i64));
                Status::Returned
            } else {
                Status::Finished
            }
        }
        _ => {
            if rng.chance(0.02) {
                d.supplements.push(Wait {
                    requested_at: spec.as_of - Duration::days(1),
                    completed_at: None,
                });
                Status::SupplementRequested
            } else {
                Status::InProgress
            }
        }
    });
    if p.fee_bearing && rng.chance(0.95) {
        d.fee_total = [20_000.0, 50_000.0, 100_000.0, 200_000.0][rng.below(4)];
        if rng.chance(0.03) {
            d.paid_online = if rng.chance(0.7) {
                PaymentGateway::National
            } else {
                PaymentGateway::Local
            };
        }
    }
    // The directive: 30.5% of dossiers digitised, but only 19.14% count for 4.2 (a paper-result
    // procedure also needs an electronic result) and 13.71% have an electronic result.
    d.digitised = rng.chance(0.305);
    d.e_result = if d.digitised && p.paper_result {
        rng.chance(0.5)
    } else {
        rng.chance(0.029)
    };
    d.reused_data = false;
    d.population_data = rng.chance(0.35);
    d.unsatisfied = rng.chance(0.01);
    d.has_petition = rng.chance(0.002);
    d
}

/// Reception, handling and approval steps with the officials' codes. Drawn from a generator of
/// its own (seeded by the dossier number), so the log does not change the rest of the sample.
/// A late dossier is usually made late at the handling step, sometimes at approval.
fn process_log(
    n: usize,
    spec: &SampleSpec,
    u: &Unit,
    received: NaiveDateTime,
    due: NaiveDateTime,
    end: Option<NaiveDateTime>,
) -> Vec<Step> {
    let mut rng = Rng::new(spec.seed ^ (n as u64).wrapping_mul(0xA24B_AED4_963E_E407));
    let span = (due - received).max(Duration::hours(1));
    let at = |f: f64| received + Duration::seconds((span.num_seconds() as f64 * f) as i64);
    let known = |t: NaiveDateTime| Some(t).filter(|t| *t <= spec.as_of);
    let late = end.is_none_or(|e| e > due);
    let handling_end = match end {
        Some(e) if late && rng.chance(0.2) => at(0.7).min(e),
        Some(e) => e - (e - at(0.1)) / 10,
        None => spec.as_of + Duration::days(365),
    };
    let step = |name: &str,
                handler: String,
                start: NaiveDateTime,
                due: NaiveDateTime,
                ended: Option<NaiveDateTime>| Step {
        step: name.to_string(),
        handler,
        unit_code: u.code.clone(),
        started_at: known(start),
        due_at: Some(due),
        ended_at: ended.and_then(known),
    };
    let mut steps = vec![
        step(
            "tiep_nhan",
            format!("{}.TN{}", u.code, 1 + rng.below(2)),
            received,
            at(0.1),
            Some(at(0.1).min(handling_end)),
        ),
        step(
            "xu_ly",
            format!("{}.CV{}", u.code, 1 + rng.below(3)),
            at(0.1),
            at(0.8),
            Some(handling_end),
        ),
    ];
    if handling_end <= spec.as_of {
        steps.push(step(
            "phe_duyet",
            format!("{}.LD", u.code),
            handling_end,
            due,
            end,
        ));
    }
    steps.retain(|s| s.started_at.is_some());
    steps
}

fn petition(n: usize, spec: &SampleSpec, rng: &mut Rng, u: &Unit) -> Petition {
    let start = NaiveDate::from_ymd_opt(spec.year, 1, 1)
        .and_then(|d| d.and_hms_opt(8, 0, 0))
        .unwrap_or_default();
    let span = (spec.as_of - start).num_days().max(1) as usize;
    let received = office_hours(start + Duration::days(rng.below(span) as i64));
    let mut p = Petition {
        petition_id: format!("PAKN-{:05}", n + 1),
        unit_code: u.code.clone(),
        received_at: Some(received),
        likes: rng.below(5) as u32,
        dislikes: rng.below(3) as u32,
        repeat_complaint: rng.chance(0.05),
        classification: Some(
            if rng.chance(0.75) {
                "procedures"
            } else {
                "staff"
            }
            .into(),
        ),
        ..Petition::default()
    };
    let handled = add_weekdays(received, 1 + rng.below(20) as u32);
    if handled <= spec.as_of {
        if rng.chance(0.1) {
            p.rejected_at = Some(add_weekdays(received, rng.below(4) as u32));
        } else {
            p.handled_at = Some(handled);
        }
    }
    p
}

/// Generates a sample; the same spec always gives the same data.
pub fn generate(spec: &SampleSpec) -> Sample {
    let mut rng = Rng::new(spec.seed);
    let units = units(spec);
    let offices: Vec<String> = units
        .iter()
        .filter(|u| u.kind == UnitKind::department())
        .map(|u| u.code.clone())
        .collect();
    let procedures = procedures(spec, &mut rng, &offices);
    let communes: Vec<&Unit> = units
        .iter()
        .filter(|u| u.kind == UnitKind::commune())
        .collect();
    let office_units: Vec<&Unit> = units
        .iter()
        .filter(|u| u.kind == UnitKind::department())
        .collect();
    let commune_procs: Vec<&Procedure> = procedures
        .iter()
        .filter(|p| p.level == Some(Level::Commune))
        .collect();
    let mut dossiers = Vec::with_capacity(spec.dossiers);
    for n in 0..spec.dossiers {
        let to_commune = office_units.is_empty() || (rng.chance(0.7) && !communes.is_empty());
        let (u, p) = if to_commune && !commune_procs.is_empty() && !communes.is_empty() {
            (
                communes[rng.below(communes.len())],
                commune_procs[rng.below(commune_procs.len())],
            )
        } else if !office_units.is_empty() {
            let u = office_units[rng.below(office_units.len())];
            let own: Vec<&Procedure> = procedures
                .iter()
                .filter(|p| p.units.contains(&u.code))
                .collect();
            let p = if own.is_empty() {
                &procedures[rng.below(procedures.len())]
            } else {
                own[rng.below(own.len())]
            };
            (u, p)
        } else {
            break;
        };
        let mut d = dossier(n, spec, &mut rng, u, p);
        // A few records the accounting must exclude, never drop.
        if rng.chance(0.004) {
            d.received_at = None;
            d.status = Some(Status::New);
        } else if rng.chance(0.003) {
            d.status = Some(Status::RefusedAtCounter);
        }
        dossiers.push(d);
    }
    let all: Vec<&Unit> = units.iter().skip(1).collect();
    let petitions = (0..spec.petitions)
        .filter(|_| !all.is_empty())
        .map(|n| {
            let u = all[rng.below(all.len())];
            petition(n, spec, &mut rng, u)
        })
        .collect();
    Sample {
        units,
        procedures,
        dossiers,
        petitions,
    }
}
