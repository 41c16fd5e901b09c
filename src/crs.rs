//! Coordinate reference systems: which CRS the input is in, which metric CRS
//! landstock measures in, and the PROJ transformations between them.
//!
//! All measuring happens in a projected metric CRS: the configured EPSG code,
//! else the UTM zone of the centre of the accepted features' lon/lat bounding
//! box (SPEC §2). Output GeoJSON goes back to EPSG:4326 (RFC 7946).
//!
//! `proj::Proj` is not `Send`, so each worker thread builds its own
//! [`Transformer`] from a [`CrsPair`] (a plain, cloneable description).

pub mod gcj02;

use geo::Coord;
use proj::Proj;

use crate::error::{Error, ErrorKind};

/// The UTM zone EPSG code (WGS 84 / UTM) for a lon/lat point:
/// zone = floor((lon + 180) / 6) + 1, north when lat >= 0 (SPEC §2).
///
/// ```
/// // Daqing, Heilongjiang: 125.0 E, 46.6 N → UTM 51N
/// assert_eq!(landstock::crs::utm_epsg(125.0, 46.6), 32651);
/// // Philadelphia: 75.1 W → zone 18N
/// assert_eq!(landstock::crs::utm_epsg(-75.13, 39.97), 32618);
/// // southern hemisphere uses 327xx; lon 180 folds into zone 60
/// assert_eq!(landstock::crs::utm_epsg(180.0, -10.0), 32760);
/// ```
pub fn utm_epsg(lon: f64, lat: f64) -> u32 {
    let zone = (((lon + 180.0) / 6.0).floor() as i64 + 1).clamp(1, 60) as u32;
    if lat >= 0.0 {
        32600 + zone
    } else {
        32700 + zone
    }
}

/// How the input's coordinates are to be read.
///
/// ```
/// use landstock::crs::InputCrs;
/// let c = InputCrs::from_name("urn:ogc:def:crs:OGC:1.3:CRS84");
/// assert!(c.is_geographic());
/// let c = InputCrs::from_name("urn:ogc:def:crs:EPSG::2272");
/// assert_eq!(c.proj_name(), "EPSG:2272");
/// assert!(!c.is_geographic());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputCrs {
    name: String,
    geographic: bool,
}

/// Geographic CRSs whose GeoJSON coordinates are lon/lat in degrees. Other
/// codes are taken as projected (their coordinates are not range-checked).
const GEOGRAPHIC_EPSG: [&str; 6] = ["4326", "4490", "4269", "4258", "4979", "4610"];

impl Default for InputCrs {
    fn default() -> Self {
        InputCrs {
            name: "EPSG:4326".into(),
            geographic: true,
        }
    }
}

impl InputCrs {
    /// Reads a CRS name as GeoJSON files write it (`urn:ogc:def:crs:EPSG::2272`,
    /// `EPSG:4326`, `urn:ogc:def:crs:OGC:1.3:CRS84`) or as a user types it.
    pub fn from_name(name: &str) -> InputCrs {
        let n = name.trim();
        let upper = n.to_ascii_uppercase();
        if upper.ends_with("CRS84") || upper.ends_with("CRS:84") {
            return InputCrs::default();
        }
        // urn:ogc:def:crs:EPSG::2272 and urn:ogc:def:crs:EPSG:6.6:2272
        let code = if upper.starts_with("URN:OGC:DEF:CRS:EPSG:") {
            upper.rsplit(':').next().map(str::to_string)
        } else {
            upper.strip_prefix("EPSG:").map(str::to_string)
        };
        match code {
            Some(code) if !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit()) => {
                InputCrs {
                    geographic: GEOGRAPHIC_EPSG.contains(&code.as_str()),
                    name: format!("EPSG:{code}"),
                }
            }
            _ => InputCrs {
                name: n.to_string(),
                geographic: false,
            },
        }
    }

    /// Reads the GeoJSON 2008 `crs` member (`{"type":"name","properties":{"name":...}}`).
    pub fn from_geojson_member(v: &serde_json::Value) -> Option<InputCrs> {
        let name = v.get("properties")?.get("name")?.as_str()?;
        Some(InputCrs::from_name(name))
    }

    /// Whether coordinates are lon/lat degrees.
    pub fn is_geographic(&self) -> bool {
        self.geographic
    }

    /// The name handed to PROJ.
    pub fn proj_name(&self) -> &str {
        &self.name
    }
}

/// A from → to pair of CRS names that a thread can turn into a [`Transformer`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrsPair {
    /// Source CRS, as PROJ understands it.
    pub from: String,
    /// Target CRS.
    pub to: String,
}

impl CrsPair {
    /// A pair.
    pub fn new(from: impl Into<String>, to: impl Into<String>) -> Self {
        CrsPair {
            from: from.into(),
            to: to.into(),
        }
    }

    /// Builds the PROJ transformation (axis order normalised to x=lon/easting).
    pub fn transformer(&self) -> Result<Transformer, Error> {
        if self.from == self.to {
            return Ok(Transformer { proj: None });
        }
        let proj = Proj::new_known_crs(&self.from, &self.to, None).map_err(|e| {
            Error::from(ErrorKind::Crs {
                crs: format!("{} -> {}", self.from, self.to),
                what: e.to_string(),
            })
        })?;
        Ok(Transformer { proj: Some(proj) })
    }
}

thread_local! {
    /// One transformer per thread and CRS pair: creating a PROJ object looks
    /// the CRSs up in proj.db and takes milliseconds, far more than
    /// transforming a parcel.
    static CACHED: std::cell::RefCell<Option<(CrsPair, Result<Transformer, String>)>> =
        const { std::cell::RefCell::new(None) };
}

impl CrsPair {
    /// Runs `f` with this thread's transformer for the pair, creating it on
    /// first use in the thread.
    ///
    /// ```
    /// use landstock::crs::CrsPair;
    /// let pair = CrsPair::new("EPSG:4326", "EPSG:32651");
    /// let mut c = [geo::coord! { x: 123.0, y: 0.0 }];
    /// pair.with_transformer(|t| t.unwrap().transform(&mut c)).unwrap();
    /// assert!((c[0].x - 500_000.0).abs() < 1e-6);
    /// ```
    pub fn with_transformer<T>(&self, f: impl FnOnce(Result<&Transformer, &str>) -> T) -> T {
        CACHED.with(|cell| {
            let mut slot = cell.borrow_mut();
            if slot.as_ref().is_none_or(|(p, _)| p != self) {
                *slot = Some((self.clone(), self.transformer().map_err(|e| e.to_string())));
            }
            let (_, t) = slot.as_ref().expect("just filled");
            f(t.as_ref().map_err(String::as_str))
        })
    }
}

/// A ready PROJ transformation (not `Send`: one per thread).
///
/// ```
/// use landstock::crs::CrsPair;
/// let t = CrsPair::new("EPSG:4326", "EPSG:32651").transformer().unwrap();
/// // The central meridian of UTM 51N is 123 E: it maps to easting 500 000 m.
/// let mut c = [geo::coord! { x: 123.0, y: 0.0 }];
/// t.transform(&mut c).unwrap();
/// assert!((c[0].x - 500_000.0).abs() < 1e-6);
/// assert!(c[0].y.abs() < 1e-6);
/// ```
pub struct Transformer {
    proj: Option<Proj>,
}

impl Transformer {
    /// Transforms coordinates in place. Fails when PROJ fails or gives a
    /// non-finite result (e.g. a point far outside the projection's domain).
    pub fn transform(&self, coords: &mut [Coord<f64>]) -> Result<(), String> {
        let Some(proj) = &self.proj else {
            return Ok(());
        };
        for c in coords.iter_mut() {
            let (x, y) = proj
                .convert((c.x, c.y))
                .map_err(|e| format!("cannot transform ({}, {}): {e}", c.x, c.y))?;
            if !x.is_finite() || !y.is_finite() {
                return Err(format!("({}, {}) has no image in the target CRS", c.x, c.y));
            }
            *c = Coord { x, y };
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utm_zone_follows_the_spec_formula_at_zone_edges() {
        // lon -180 → zone 1; lon -174 starts zone 2; lat 0 counts as north
        assert_eq!(utm_epsg(-180.0, 0.0), 32601);
        assert_eq!(utm_epsg(-174.0, 1.0), 32602);
        assert_eq!(utm_epsg(-174.000001, -1.0), 32701);
    }

    #[test]
    fn a_utm_round_trip_returns_to_the_same_lon_lat() {
        let fwd = CrsPair::new("EPSG:4326", "EPSG:32618")
            .transformer()
            .unwrap();
        let back = CrsPair::new("EPSG:32618", "EPSG:4326")
            .transformer()
            .unwrap();
        let mut c = [Coord {
            x: -75.13,
            y: 39.97,
        }];
        fwd.transform(&mut c).unwrap();
        back.transform(&mut c).unwrap();
        assert!((c[0].x + 75.13).abs() < 1e-9 && (c[0].y - 39.97).abs() < 1e-9);
    }

    #[test]
    fn an_unknown_crs_is_an_error_naming_it() {
        let e = CrsPair::new("EPSG:4326", "EPSG:999999")
            .transformer()
            .err()
            .unwrap();
        assert!(e.to_string().contains("EPSG:999999"), "{e}");
    }
}
