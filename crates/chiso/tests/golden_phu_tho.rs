//! The Phú Thọ golden case of INDICATORS.md §3: the province's pooled counts for 2026 (to
//! 26 Sept) scored with the built-in profile reproduce all six published group scores to ±0.01,
//! and two child checks.

use chiso::measure::{CatalogueCounts, DistinctCounts, UnitFacts};
use chiso::score::score_unit;
use chiso::{Counts, Options, Profile, Unit, UnitKind};

fn province_counts() -> Counts {
    Counts {
        received: 597_918,
        on_time: 528_684,
        synced: 475_053,
        reported_received: 475_053,
        online: 589_496,
        paid_online: 309_542,
        fee_dossiers: 358_625,
        e_result: 433_356,
        digitised: 145_096,
        reused_data: 136_827,
        personal_store: 0,
        population_data: 325_596,
        satisfied: 528_464,
        // 5.2 counts petitions by clock start, 5.3 by first receipt (§6.6); the portal
        // publishes 570 for both.
        petitions: 570,
        petitions_on_time: 296,
        petitions_received: 570,
        petitions_satisfied: 230,
        ..Counts::default()
    }
}

fn province_facts() -> UnitFacts {
    UnitFacts {
        distinct: DistinctCounts {
            authority_procedures: 89,
            online_procedures: 31 + 21,
            online_services_offered: 1_884,
            online_services_used: 516,
            fee_procedures: 313,
            fee_procedures_paid_online: 119,
            fee_procedures_with_fee_data: 68,
            citizen_procedures: 1_300,
            citizen_procedures_population: 396,
        },
        catalogue: CatalogueCounts {
            published: 89,
            published_on_time: 0,
            public_update: 70,
            public_update_on_time: 0,
            public_total: 89,
            public_complete: 87,
        },
        ..UnitFacts::default()
    }
}

#[test]
fn phu_tho_2026_parent_groups_match_the_portal() {
    let profile = Profile::builtin("portal-2026").expect("built-in profile");
    let unit = Unit::new("H44", "UBND tỉnh Phú Thọ", UnitKind::province(), None);
    let card = score_unit(
        &unit,
        province_counts(),
        &province_facts(),
        &profile,
        &profile.options,
        1.0,
    );
    let published = [
        ("CKMB", 7.96),
        ("TDGQ", 17.68),
        ("CLGQ", 8.56),
        ("TTTT", 6.67),
        ("MDSH", 9.59),
        ("MDHL", 11.43),
    ];
    for (group, expected) in published {
        let got = card.group(group).expect("group").points;
        assert!(
            (got - expected).abs() <= 0.01 + 1e-9,
            "{group}: computed {got:.4}, published {expected}"
        );
    }
    // 4.x has no data and scores full points by its on-empty policy.
    let ecopy = card.indicator("4.x").expect("4.x");
    assert_eq!(ecopy.points, 2.0);
    assert!(ecopy.on_empty.is_some());
}

#[test]
fn phu_tho_children() {
    let profile = Profile::builtin("portal-2026").expect("built-in profile");
    // Sở Ngoại vụ: on time 3 of 5 → TDGQ 12.00.
    let dept = Unit::new("H44.NV", "Sở Ngoại vụ", UnitKind::department(), Some("H44"));
    let counts = Counts {
        received: 5,
        on_time: 3,
        ..Counts::default()
    };
    let card = score_unit(
        &dept,
        counts,
        &UnitFacts::default(),
        &profile,
        &Options::default(),
        1.0,
    );
    assert!((card.group("TDGQ").expect("TDGQ").points - 12.0).abs() < 1e-9);
    // Văn phòng UBND tỉnh, no petitions and 156 of 161 dossiers satisfied → MDHL 18.
    let office = Unit::new(
        "H44.01",
        "Văn phòng UBND tỉnh",
        UnitKind::department(),
        Some("H44"),
    );
    let counts = Counts {
        received: 161,
        satisfied: 156,
        ..Counts::default()
    };
    let card = score_unit(
        &office,
        counts,
        &UnitFacts::default(),
        &profile,
        &Options::default(),
        1.0,
    );
    assert!((card.group("MDHL").expect("MDHL").points - 18.0).abs() < 1e-9);
}
