//! Universal Transverse Mercator on WGS 84, forward and inverse, by Krüger's
//! series to third order in n (Karney 2011, "Transverse Mercator with an
//! accuracy of a few nanometers", eqs. 35–36; the form on Wikipedia's UTM page).
//!
//! Within a few degrees of the central meridian this is accurate to well under
//! a millimetre, far finer than the 7 decimals (about 1 cm) the fixture writes.
//! The generator builds its city in UTM metres and converts back with
//! [`Utm::unproject`], so that ingestion, which projects lon/lat to the same
//! UTM zone with PROJ, recovers the generator's rectangles and areas. PROJ is
//! deliberately not used here: the fixture must be reproducible without it and
//! this is called a few million times for a large city.

/// WGS 84 semi-major axis, metres.
const A_M: f64 = 6_378_137.0;
/// WGS 84 flattening.
const F: f64 = 1.0 / 298.257_223_563;
/// UTM scale factor on the central meridian.
const K0: f64 = 0.9996;
/// UTM false easting, metres.
const FALSE_EASTING_M: f64 = 500_000.0;

/// One UTM zone of the northern hemisphere (false northing 0).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Utm {
    lon0_rad: f64,
    /// k0 · A, the scaled rectifying radius.
    k0a: f64,
    n: f64,
    alpha: [f64; 3],
    beta: [f64; 3],
    delta: [f64; 3],
}

impl Utm {
    /// The zone that holds `lon_deg` (SPEC §2: floor((lon + 180) / 6) + 1).
    pub(crate) fn zone_of(lon_deg: f64) -> u8 {
        (((lon_deg + 180.0) / 6.0).floor() as i32 + 1).clamp(1, 60) as u8
    }

    /// The northern-hemisphere projection for `zone` (1..=60).
    pub(crate) fn north(zone: u8) -> Utm {
        let n = F / (2.0 - F);
        let (n2, n3) = (n * n, n * n * n);
        let a = A_M / (1.0 + n) * (1.0 + n2 / 4.0 + n2 * n2 / 64.0);
        Utm {
            lon0_rad: (f64::from(zone) * 6.0 - 183.0).to_radians(),
            k0a: K0 * a,
            n,
            alpha: [
                n / 2.0 - 2.0 * n2 / 3.0 + 5.0 * n3 / 16.0,
                13.0 * n2 / 48.0 - 3.0 * n3 / 5.0,
                61.0 * n3 / 240.0,
            ],
            beta: [
                n / 2.0 - 2.0 * n2 / 3.0 + 37.0 * n3 / 96.0,
                n2 / 48.0 + n3 / 15.0,
                17.0 * n3 / 480.0,
            ],
            delta: [
                2.0 * n - 2.0 * n2 / 3.0 - 2.0 * n3,
                7.0 * n2 / 3.0 - 8.0 * n3 / 5.0,
                56.0 * n3 / 15.0,
            ],
        }
    }

    /// Projects lon/lat (degrees) to (easting, northing) in metres.
    pub(crate) fn project(&self, lon_deg: f64, lat_deg: f64) -> (f64, f64) {
        let phi = lat_deg.to_radians();
        let dlam = lon_deg.to_radians() - self.lon0_rad;
        let c = 2.0 * self.n.sqrt() / (1.0 + self.n);
        let t = (phi.sin().atanh() - c * (c * phi.sin()).atanh()).sinh();
        let xi_p = (t / dlam.cos()).atan();
        let eta_p = (dlam.sin() / (1.0 + t * t).sqrt()).atanh();
        let (mut xi, mut eta) = (xi_p, eta_p);
        for (j, a) in self.alpha.iter().enumerate() {
            let k = 2.0 * (j as f64 + 1.0);
            xi += a * (k * xi_p).sin() * (k * eta_p).cosh();
            eta += a * (k * xi_p).cos() * (k * eta_p).sinh();
        }
        (FALSE_EASTING_M + self.k0a * eta, self.k0a * xi)
    }

    /// Converts (easting, northing) in metres back to lon/lat in degrees.
    pub(crate) fn unproject(&self, easting_m: f64, northing_m: f64) -> (f64, f64) {
        let xi = northing_m / self.k0a;
        let eta = (easting_m - FALSE_EASTING_M) / self.k0a;
        let (mut xi_p, mut eta_p) = (xi, eta);
        for (j, b) in self.beta.iter().enumerate() {
            let k = 2.0 * (j as f64 + 1.0);
            xi_p -= b * (k * xi).sin() * (k * eta).cosh();
            eta_p -= b * (k * xi).cos() * (k * eta).sinh();
        }
        let chi = (xi_p.sin() / eta_p.cosh()).asin();
        let mut phi = chi;
        for (j, d) in self.delta.iter().enumerate() {
            phi += d * (2.0 * (j as f64 + 1.0) * chi).sin();
        }
        let lam = self.lon0_rad + eta_p.sinh().atan2(xi_p.cos());
        (lam.to_degrees(), phi.to_degrees())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zone_of_daqing_is_51() {
        assert_eq!(Utm::zone_of(125.0), 51);
        assert_eq!(Utm::zone_of(-87.6), 16, "Chicago");
    }

    #[test]
    fn round_trip_is_sub_millimetre() {
        let utm = Utm::north(51);
        for &(lon, lat) in &[(125.0, 46.6), (123.0, 46.6), (126.9, 48.0), (121.1, 40.0)] {
            let (e, n) = utm.project(lon, lat);
            let (lon2, lat2) = utm.unproject(e, n);
            let (e2, n2) = utm.project(lon2, lat2);
            assert!(
                (e - e2).abs() < 1e-3 && (n - n2).abs() < 1e-3,
                "{lon},{lat}"
            );
        }
    }

    #[test]
    fn agrees_with_proj_to_a_millimetre() {
        let proj = proj::Proj::new_known_crs("EPSG:4326", "EPSG:32651", None)
            .expect("PROJ knows EPSG:32651");
        let utm = Utm::north(51);
        for &(lon, lat) in &[(125.0, 46.6), (124.2, 46.1), (125.9, 47.3)] {
            let (e, n) = utm.project(lon, lat);
            let (pe, pn) = proj.convert((lon, lat)).expect("convertible");
            assert!((e - pe).abs() < 1e-3, "easting {e} vs PROJ {pe}");
            assert!((n - pn).abs() < 1e-3, "northing {n} vs PROJ {pn}");
        }
    }
}
