//! Astronomical building blocks for the Vietnamese lunar calendar.
//!
//! Written from the published formulas in Jean Meeus, *Astronomical Algorithms*
//! (2nd ed., 1998):
//!
//! * chapter 49 ("Phases of the Moon"): time of the new moon from the lunation
//!   number `k`, with the periodic terms for the new moon and the 14 planetary
//!   "additional corrections" (the truncated series; error of the order of
//!   seconds to a minute over 1900–2200);
//! * chapter 25 ("Solar Coordinates"), low-precision method: geometric mean
//!   longitude, mean anomaly, equation of the centre, and the correction for
//!   nutation and aberration that gives the *apparent* longitude (accuracy
//!   about 0.01°, i.e. the sun crosses a 30° boundary within ~15 minutes of the
//!   computed time).
//!
//! Times from Meeus are in Terrestrial (Dynamical) Time; they are converted to
//! Universal Time with ΔT from the polynomial expressions published by
//! Espenak & Meeus (NASA, "Polynomial expressions for Delta T"), and the civil
//! day is taken at UTC+7 (Vietnam).
//!
//! Days are handled as Julian Day Numbers (`i64`): the JDN of a civil date is
//! the Julian Date at noon of that date.

/// Vietnam's time zone, hours east of UTC.
pub(crate) const TZ_HOURS: f64 = 7.0;

/// Mean synodic month in days (Meeus eq. 49.1 linear term).
const SYNODIC_MONTH: f64 = 29.530_588_861;

/// JD (TT) of the mean new moon for k = 0 (2000 January 6).
const NEW_MOON_EPOCH: f64 = 2_451_550.097_66;

/// J2000.0.
const J2000: f64 = 2_451_545.0;

fn sin_deg(x: f64) -> f64 {
    x.to_radians().sin()
}

/// ΔT = TT − UT in seconds for a decimal year (Espenak & Meeus polynomials).
pub(crate) fn delta_t_seconds(year: f64) -> f64 {
    let y = year;
    if y < 1900.0 {
        // 1860–1900
        let t = y - 1860.0;
        7.62 + 0.5737 * t - 0.251_754 * t.powi(2) + 0.016_806_68 * t.powi(3)
            - 0.000_447_362_4 * t.powi(4)
            + t.powi(5) / 233_174.0
    } else if y < 1920.0 {
        let t = y - 1900.0;
        -2.79 + 1.494_119 * t - 0.059_893_9 * t.powi(2) + 0.006_196_6 * t.powi(3)
            - 0.000_197 * t.powi(4)
    } else if y < 1941.0 {
        let t = y - 1920.0;
        21.20 + 0.844_93 * t - 0.076_100 * t.powi(2) + 0.002_093_6 * t.powi(3)
    } else if y < 1961.0 {
        let t = y - 1950.0;
        29.07 + 0.407 * t - t.powi(2) / 233.0 + t.powi(3) / 2547.0
    } else if y < 1986.0 {
        let t = y - 1975.0;
        45.45 + 1.067 * t - t.powi(2) / 260.0 - t.powi(3) / 718.0
    } else if y < 2005.0 {
        let t = y - 2000.0;
        63.86 + 0.3345 * t - 0.060_374 * t.powi(2)
            + 0.001_727_5 * t.powi(3)
            + 0.000_651_814 * t.powi(4)
            + 0.000_023_735_99 * t.powi(5)
    } else if y < 2050.0 {
        let t = y - 2000.0;
        62.92 + 0.322_17 * t + 0.005_589 * t.powi(2)
    } else if y < 2150.0 {
        let u = (y - 1820.0) / 100.0;
        -20.0 + 32.0 * u * u - 0.5628 * (2150.0 - y)
    } else {
        let u = (y - 1820.0) / 100.0;
        -20.0 + 32.0 * u * u
    }
}

fn decimal_year(jd: f64) -> f64 {
    2000.0 + (jd - J2000) / 365.25
}

/// Julian Ephemeris Day (TT) of the true new moon with lunation number `k`
/// (k = 0 is the new moon of 2000 January 6), Meeus ch. 49.
pub(crate) fn new_moon_jde(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85;
    let t2 = t * t;
    let t3 = t2 * t;
    let t4 = t3 * t;

    // Mean phase (49.1).
    let jde = NEW_MOON_EPOCH + SYNODIC_MONTH * k + 0.000_154_37 * t2 - 0.000_000_150 * t3
        + 0.000_000_000_73 * t4;

    // Eccentricity of the Earth's orbit (47.6).
    let e = 1.0 - 0.002_516 * t - 0.000_007_4 * t2;
    // Sun's mean anomaly (49.4).
    let m = 2.5534 + 29.105_356_70 * k - 0.000_001_4 * t2 - 0.000_000_11 * t3;
    // Moon's mean anomaly (49.5).
    let mp =
        201.5643 + 385.816_935_28 * k + 0.010_758_2 * t2 + 0.000_012_38 * t3 - 0.000_000_058 * t4;
    // Moon's argument of latitude (49.6).
    let f =
        160.7108 + 390.670_502_84 * k - 0.001_611_8 * t2 - 0.000_002_27 * t3 + 0.000_000_011 * t4;
    // Longitude of the ascending node (49.7).
    let om = 124.7746 - 1.563_755_88 * k + 0.002_067_2 * t2 + 0.000_002_15 * t3;

    // Periodic terms for the new moon.
    let periodic = -0.407_20 * sin_deg(mp)
        + 0.172_41 * e * sin_deg(m)
        + 0.016_08 * sin_deg(2.0 * mp)
        + 0.010_39 * sin_deg(2.0 * f)
        + 0.007_39 * e * sin_deg(mp - m)
        - 0.005_14 * e * sin_deg(mp + m)
        + 0.002_08 * e * e * sin_deg(2.0 * m)
        - 0.001_11 * sin_deg(mp - 2.0 * f)
        - 0.000_57 * sin_deg(mp + 2.0 * f)
        + 0.000_56 * e * sin_deg(2.0 * mp + m)
        - 0.000_42 * sin_deg(3.0 * mp)
        + 0.000_42 * e * sin_deg(m + 2.0 * f)
        + 0.000_38 * e * sin_deg(m - 2.0 * f)
        - 0.000_24 * e * sin_deg(2.0 * mp - m)
        - 0.000_17 * sin_deg(om)
        - 0.000_07 * sin_deg(mp + 2.0 * m)
        + 0.000_04 * sin_deg(2.0 * mp - 2.0 * f)
        + 0.000_04 * sin_deg(3.0 * m)
        + 0.000_03 * sin_deg(mp + m - 2.0 * f)
        + 0.000_03 * sin_deg(2.0 * mp + 2.0 * f)
        - 0.000_03 * sin_deg(mp + m + 2.0 * f)
        + 0.000_03 * sin_deg(mp - m + 2.0 * f)
        - 0.000_02 * sin_deg(mp - m - 2.0 * f)
        - 0.000_02 * sin_deg(3.0 * mp + m)
        + 0.000_02 * sin_deg(4.0 * mp);

    // Additional corrections for all phases (planetary arguments A1..A14).
    let a = [
        (0.000_325, 299.77 + 0.107_408 * k - 0.009_173 * t2),
        (0.000_165, 251.88 + 0.016_321 * k),
        (0.000_164, 251.83 + 26.651_886 * k),
        (0.000_126, 349.42 + 36.412_478 * k),
        (0.000_110, 84.66 + 18.206_239 * k),
        (0.000_062, 141.74 + 53.303_771 * k),
        (0.000_060, 207.14 + 2.453_732 * k),
        (0.000_056, 154.84 + 7.306_860 * k),
        (0.000_047, 34.52 + 27.261_239 * k),
        (0.000_042, 207.19 + 0.121_824 * k),
        (0.000_040, 291.34 + 1.844_379 * k),
        (0.000_037, 161.72 + 24.198_154 * k),
        (0.000_035, 239.56 + 25.513_099 * k),
        (0.000_023, 331.55 + 3.592_518 * k),
    ];
    let additional: f64 = a.iter().map(|(c, arg)| c * sin_deg(*arg)).sum();

    jde + periodic + additional
}

/// JDN of the Vietnamese civil day (UTC+7) on which new moon `k` falls.
pub(crate) fn new_moon_day(k: i64) -> i64 {
    let jde = new_moon_jde(k);
    let jd_ut = jde - delta_t_seconds(decimal_year(jde)) / 86_400.0;
    let jd_local = jd_ut + TZ_HOURS / 24.0;
    (jd_local + 0.5).floor() as i64
}

/// Apparent geometric longitude of the sun in degrees, in `[0, 360)`, for a
/// Julian Ephemeris Day (Meeus ch. 25, low precision).
pub(crate) fn sun_apparent_longitude(jde: f64) -> f64 {
    let t = (jde - J2000) / 36_525.0;
    let t2 = t * t;
    let l0 = 280.466_46 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let m = 357.529_11 + 35_999.050_29 * t - 0.000_153_7 * t2;
    let c = (1.914_602 - 0.004_817 * t - 0.000_014 * t2) * sin_deg(m)
        + (0.019_993 - 0.000_101 * t) * sin_deg(2.0 * m)
        + 0.000_289 * sin_deg(3.0 * m);
    let true_longitude = l0 + c;
    let omega = 125.04 - 1_934.136 * t;
    let apparent = true_longitude - 0.005_69 - 0.004_78 * sin_deg(omega);
    apparent.rem_euclid(360.0)
}

/// Apparent longitude of the sun at the start (local midnight, UTC+7) of the
/// civil day with Julian Day Number `jdn`.
pub(crate) fn sun_longitude_at_day_start(jdn: i64) -> f64 {
    let jd_ut = jdn as f64 - 0.5 - TZ_HOURS / 24.0;
    let jde = jd_ut + delta_t_seconds(decimal_year(jd_ut)) / 86_400.0;
    sun_apparent_longitude(jde)
}

/// The lunation number `k` of the month (new moon to new moon, by local civil
/// days) that contains the day `jdn`: `new_moon_day(k) <= jdn < new_moon_day(k + 1)`.
pub(crate) fn lunation_containing(jdn: i64) -> i64 {
    let mut k = ((jdn as f64 - NEW_MOON_EPOCH) / SYNODIC_MONTH).floor() as i64;
    // The estimate is off by at most one lunation; the loops are bounded anyway.
    for _ in 0..4 {
        if new_moon_day(k) > jdn {
            k -= 1;
        } else if new_moon_day(k + 1) <= jdn {
            k += 1;
        } else {
            break;
        }
    }
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meeus_example_49a() {
        // Meeus example 49.a: new moon of 1977 February, k = -283,
        // JDE = 2443192.65118.
        let jde = new_moon_jde(-283);
        assert!((jde - 2_443_192.651_18).abs() < 0.000_05, "{jde}");
    }

    #[test]
    fn meeus_example_25a() {
        // Meeus example 25.a: 1992 October 13.0 TD, low-precision apparent
        // longitude 199.90895°.
        let lambda = sun_apparent_longitude(2_448_908.5);
        assert!((lambda - 199.908_95).abs() < 0.001, "{lambda}");
    }

    #[test]
    fn delta_t_is_plausible() {
        assert!((delta_t_seconds(2000.0) - 63.86).abs() < 0.01);
        assert!(delta_t_seconds(1900.0).abs() < 5.0);
        assert!(delta_t_seconds(2200.0) < 600.0);
    }
}
