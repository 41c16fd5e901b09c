//! GCJ-02, the offset lon/lat that Chinese web maps (AutoNavi/Amap, Tencent)
//! publish and that parcels digitised over them carry: WGS-84 shifted by a
//! deliberately non-linear offset of a few hundred metres inside China.
//!
//! `[input] crs = "GCJ-02"` corrects every input coordinate back to WGS-84
//! before anything is measured. The forward offset is the formula that has
//! been public since 2013 (the "eviltransform" implementations: Krasovsky
//! 1940 semi-major axis 6 378 245 m, eccentricity² 0.006 693 421 622 965 943,
//! no offset outside mainland China's bounding box); its inverse has no
//! closed form and is found by fixed-point iteration, which converges to
//! below 1e-9° (0.1 mm) in a few steps because the offset changes slowly.
//!
//! ```
//! use landstock::crs::gcj02::{gcj02_to_wgs84, wgs84_to_gcj02};
//! // the published pair for Shanghai (eviltransform's test vector)
//! let (lon, lat) = wgs84_to_gcj02(121.5272106, 31.1774276);
//! assert!((lon - 121.531541859215).abs() < 1e-9 && (lat - 31.17530398364597).abs() < 1e-9);
//! let (lon, lat) = gcj02_to_wgs84(121.531541859215, 31.17530398364597);
//! assert!((lon - 121.5272106).abs() < 1e-8 && (lat - 31.1774276).abs() < 1e-8);
//! // outside China nothing moves
//! assert_eq!(wgs84_to_gcj02(-75.13, 39.97), (-75.13, 39.97));
//! ```

use std::f64::consts::PI;

/// Semi-major axis of the Krasovsky 1940 ellipsoid the formula uses, m.
const A_M: f64 = 6_378_245.0;
/// Its first eccentricity squared.
const EE: f64 = 0.006_693_421_622_965_943;

/// Whether a CRS name given in `[input] crs` means GCJ-02 (`GCJ-02`,
/// `gcj02`, `GCJ_02`, any case).
///
/// ```
/// assert!(landstock::crs::gcj02::is_gcj02(" gcj02 "));
/// assert!(!landstock::crs::gcj02::is_gcj02("EPSG:4326"));
/// ```
pub fn is_gcj02(name: &str) -> bool {
    let n: String = name
        .trim()
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .collect();
    n.eq_ignore_ascii_case("gcj02")
}

/// Whether the offset applies: the formula leaves points outside mainland
/// China's bounding box (72.004–137.8347° E, 0.8293–55.8271° N) unchanged.
fn in_china(lon: f64, lat: f64) -> bool {
    (72.004..=137.8347).contains(&lon) && (0.8293..=55.8271).contains(&lat)
}

fn offset_lat(x: f64, y: f64) -> f64 {
    let mut r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    r
}

fn offset_lon(x: f64, y: f64) -> f64 {
    let mut r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    r
}

/// WGS-84 lon/lat (degrees) → GCJ-02, by the public formula.
pub fn wgs84_to_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    if !in_china(lon, lat) {
        return (lon, lat);
    }
    let (x, y) = (lon - 105.0, lat - 35.0);
    let rad_lat = lat / 180.0 * PI;
    let magic = 1.0 - EE * rad_lat.sin().powi(2);
    let sqrt_magic = magic.sqrt();
    let d_lat = offset_lat(x, y) * 180.0 / ((A_M * (1.0 - EE)) / (magic * sqrt_magic) * PI);
    let d_lon = offset_lon(x, y) * 180.0 / (A_M / sqrt_magic * rad_lat.cos() * PI);
    (lon + d_lon, lat + d_lat)
}

/// GCJ-02 lon/lat (degrees) → WGS-84: the point whose GCJ-02 image is the
/// given one, to within 1e-10° (found by iterating `w ← w − (gcj(w) − g)`).
pub fn gcj02_to_wgs84(lon: f64, lat: f64) -> (f64, f64) {
    let (mut wl, mut wp) = (lon, lat);
    for _ in 0..30 {
        let (gl, gp) = wgs84_to_gcj02(wl, wp);
        let (dl, dp) = (gl - lon, gp - lat);
        wl -= dl;
        wp -= dp;
        if dl.abs() < 1e-10 && dp.abs() < 1e-10 {
            break;
        }
    }
    (wl, wp)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Published pairs (WGS-84 → GCJ-02), lon/lat: the eviltransform test vectors.
    const PAIRS: [((f64, f64), (f64, f64)); 3] = [
        (
            (121.5272106, 31.1774276),
            (121.531541859215, 31.17530398364597),
        ),
        (
            (113.912316, 22.543847),
            (113.9171764808363, 22.540796131694766),
        ),
        (
            (116.377817, 39.911954),
            (116.38404722455657, 39.91334545536069),
        ),
    ];

    /// Metres between two lon/lat points (geodesic, WGS 84).
    fn dist_m(a: (f64, f64), b: (f64, f64)) -> f64 {
        use geo::{Distance, Geodesic, Point};
        Geodesic.distance(Point::new(a.0, a.1), Point::new(b.0, b.1))
    }

    #[test]
    fn the_forward_formula_gives_the_published_pairs() {
        for (wgs, gcj) in PAIRS {
            let got = wgs84_to_gcj02(wgs.0, wgs.1);
            assert!(dist_m(got, gcj) < 1e-4, "{wgs:?}: {got:?} against {gcj:?}");
        }
    }

    #[test]
    fn the_inverse_returns_the_published_wgs84_point_within_half_a_metre() {
        for (wgs, gcj) in PAIRS {
            let back = gcj02_to_wgs84(gcj.0, gcj.1);
            assert!(dist_m(back, wgs) < 0.5, "{gcj:?} → {back:?}, not {wgs:?}");
            // in fact within a millimetre
            assert!(dist_m(back, wgs) < 1e-3);
            // and the offset it removes is hundreds of metres
            assert!(dist_m(gcj, wgs) > 200.0);
        }
    }

    #[test]
    fn a_round_trip_over_china_stays_within_half_a_metre() {
        // a grid over the mainland, Daqing and Fushun included
        for i in 0..=12 {
            for j in 0..=8 {
                let p = (75.0 + 5.0 * i as f64, 20.0 + 4.0 * j as f64);
                let g = wgs84_to_gcj02(p.0, p.1);
                let back = gcj02_to_wgs84(g.0, g.1);
                assert!(dist_m(back, p) < 0.5, "{p:?}");
            }
        }
    }

    #[test]
    fn names_of_gcj02() {
        for n in ["GCJ-02", "gcj02", "GCJ_02", "Gcj 02"] {
            assert!(is_gcj02(n), "{n}");
        }
        for n in ["GCJ-2", "BD-09", "EPSG:4490", ""] {
            assert!(!is_gcj02(n), "{n}");
        }
    }
}
