//! Context layers for scoring: population per parcel, the city centre and
//! radius, and optional point layers (transit stops, facilities).
//!
//! * **Population**: the `population` fact where present, for any class;
//!   otherwise residential area × a density (default 0.02 residents/m²);
//!   0 for other classes (SPEC §1–§2).
//! * **Centre**: a configured point, or the population-weighted mean of the
//!   residential parcels' centroids, or — when nobody lives there — the
//!   area-weighted centroid of all parcels (SPEC §4).
//! * **City radius**: the 95th percentile, linearly interpolated, of all
//!   parcels' centroid distances to the centre (SPEC §4).
//! * **Point layers** are read from small GeoJSON files and projected into
//!   the stock's working CRS ([`read_points_geojson`]).
//!
//! All sums run sequentially in parcel order, so the results do not depend on
//! the number of threads.

use std::io::Read;
use std::path::Path;

use geo::{Centroid, Coord};
use rayon::prelude::*;

use crate::crs::{CrsPair, InputCrs};
use crate::error::{Error, ErrorKind};
use crate::parcel::LandUse;
use crate::stock::ParcelStock;

pub use crate::config::scoring::DEFAULT_RESIDENTS_PER_M2;

/// The percentile of parcel-centroid distances to the centre taken as the
/// city radius (SPEC §4): 95, so that a few outlying rural parcels do not
/// stretch it.
pub const CITY_RADIUS_PERCENTILE: f64 = 95.0;

/// How the context is derived from the stock.
///
/// ```
/// use landstock::context::ContextOptions;
/// let o = ContextOptions::default();
/// assert_eq!(o.residents_per_m2, 0.02);
/// assert!(o.centre.is_none());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ContextOptions {
    /// Residents per m² of residential land without a `population` fact.
    pub residents_per_m2: f64,
    /// The city centre in the working CRS; `None`: computed.
    pub centre: Option<Coord<f64>>,
}

impl Default for ContextOptions {
    fn default() -> Self {
        ContextOptions {
            residents_per_m2: DEFAULT_RESIDENTS_PER_M2,
            centre: None,
        }
    }
}

/// Where the centre came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CentreSource {
    /// Given in the configuration.
    Configured,
    /// Population-weighted mean of residential parcels' centroids.
    Population,
    /// Area-weighted centroid of all parcels (nobody lives in the city).
    Area,
}

/// Population, centre, radius and point layers, all in the working CRS.
///
/// ```
/// use geo::{polygon, MultiPolygon};
/// use landstock::{LandUse, Parcel, Status, stock::ParcelStock};
/// use landstock::context::{Context, ContextOptions, CentreSource};
/// let sq = |x: f64| MultiPolygon(vec![polygon![(x: x, y: 0.), (x: x + 100., y: 0.), (x: x + 100., y: 100.), (x: x, y: 100.)]]);
/// let mut home = Parcel::new("r", sq(0.), LandUse::Residential, Status::Active);
/// home.facts.population = Some(500.0);
/// let stock = ParcelStock::new(vec![
///     home,
///     Parcel::new("r2", sq(1000.), LandUse::Residential, Status::Active), // 10,000 m² × 0.02 = 200
///     Parcel::new("v", sq(2000.), LandUse::Vacant, Status::Active),
/// ]);
/// let cx = Context::new(&stock, &ContextOptions::default());
/// assert_eq!(cx.population(), &[500.0, 200.0, 0.0]);
/// assert_eq!(cx.centre_source(), CentreSource::Population);
/// // (500 × 50 + 200 × 1050) / 700 = 335.71… m
/// assert!((cx.centre().x - 235_000.0 / 700.0).abs() < 1e-9);
/// assert_eq!(cx.centre().y, 50.0);
/// assert!(cx.transit().is_none(), "no transit layer given");
/// ```
#[derive(Debug, Clone)]
pub struct Context {
    centroids: Vec<Coord<f64>>,
    population: Vec<f64>,
    centre: Coord<f64>,
    centre_source: CentreSource,
    centre_dist_m: Vec<f64>,
    city_radius_m: f64,
    transit: Option<Vec<Coord<f64>>>,
    facilities: Option<Vec<Coord<f64>>>,
}

/// The `q`-th percentile (0–100) of values, linearly interpolated between
/// closest ranks (the rank is `q/100 × (n − 1)`, as numpy's default); `None`
/// for no values.
///
/// ```
/// use landstock::context::percentile;
/// assert_eq!(percentile(&[0.0, 10.0, 20.0, 30.0, 40.0], 95.0), Some(38.0)); // rank 3.8
/// assert_eq!(percentile(&[7.0], 95.0), Some(7.0));
/// assert_eq!(percentile(&[], 95.0), None);
/// ```
pub fn percentile(values: &[f64], q: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    let rank = (q / 100.0).clamp(0.0, 1.0) * (v.len() - 1) as f64;
    let lo = rank.floor() as usize;
    // the lo-th smallest, and the smallest of what lies above it (linear time)
    let (_, &mut at_lo, above) = v.select_nth_unstable_by(lo, f64::total_cmp);
    let at_hi = above
        .iter()
        .copied()
        .min_by(f64::total_cmp)
        .unwrap_or(at_lo);
    Some(at_lo + (rank - lo as f64) * (at_hi - at_lo))
}

impl Context {
    /// Derives population, centre and radius from the stock; no point layers.
    pub fn new(stock: &ParcelStock, opts: &ContextOptions) -> Context {
        let parcels = stock.parcels();
        let per: Vec<(Coord<f64>, f64, f64)> = parcels
            .par_iter()
            .map(|p| {
                let area = p.area_m2();
                let c = p
                    .geometry
                    .centroid()
                    .map(|c| c.0)
                    .unwrap_or(Coord { x: 0.0, y: 0.0 });
                let pop = match (p.facts.population, p.land_use) {
                    (Some(n), _) => n,
                    (None, LandUse::Residential) => area * opts.residents_per_m2,
                    (None, _) => 0.0,
                };
                (c, area, pop)
            })
            .collect();
        let centroids: Vec<Coord<f64>> = per.iter().map(|t| t.0).collect();
        let population: Vec<f64> = per.iter().map(|t| t.2).collect();

        let (centre, centre_source) = match opts.centre {
            Some(c) => (c, CentreSource::Configured),
            None => {
                // sequential sums in parcel order: thread-count independent
                let (mut w, mut sx, mut sy) = (0.0, 0.0, 0.0);
                for (p, &(c, _, pop)) in parcels.iter().zip(&per) {
                    if p.land_use == LandUse::Residential && pop > 0.0 {
                        w += pop;
                        sx += pop * c.x;
                        sy += pop * c.y;
                    }
                }
                if w > 0.0 {
                    (
                        Coord {
                            x: sx / w,
                            y: sy / w,
                        },
                        CentreSource::Population,
                    )
                } else {
                    let (mut w, mut sx, mut sy) = (0.0, 0.0, 0.0);
                    for &(c, area, _) in &per {
                        w += area;
                        sx += area * c.x;
                        sy += area * c.y;
                    }
                    let c = if w > 0.0 {
                        Coord {
                            x: sx / w,
                            y: sy / w,
                        }
                    } else {
                        Coord { x: 0.0, y: 0.0 }
                    };
                    (c, CentreSource::Area)
                }
            }
        };
        let centre_dist_m: Vec<f64> = centroids
            .iter()
            .map(|c| (c.x - centre.x).hypot(c.y - centre.y))
            .collect();
        let city_radius_m = percentile(&centre_dist_m, CITY_RADIUS_PERCENTILE).unwrap_or(0.0);
        Context {
            centroids,
            population,
            centre,
            centre_source,
            centre_dist_m,
            city_radius_m,
            transit: None,
            facilities: None,
        }
    }

    /// Adds the transit-stop layer (points in the working CRS). An empty
    /// layer is a given layer with no stop: distances are then +infinity.
    pub fn with_transit(mut self, stops: Vec<Coord<f64>>) -> Context {
        self.transit = Some(stops);
        self
    }

    /// Adds the facility layer (cultural and education facilities, as
    /// points in the working CRS).
    pub fn with_facilities(mut self, points: Vec<Coord<f64>>) -> Context {
        self.facilities = Some(points);
        self
    }

    /// Residents per parcel, in parcel order.
    pub fn population(&self) -> &[f64] {
        &self.population
    }

    /// Parcel centroids, in parcel order.
    pub fn centroids(&self) -> &[Coord<f64>] {
        &self.centroids
    }

    /// The city centre.
    pub fn centre(&self) -> Coord<f64> {
        self.centre
    }

    /// Where the centre came from.
    pub fn centre_source(&self) -> CentreSource {
        self.centre_source
    }

    /// Centroid distance of parcel `i` to the centre, m.
    pub fn centre_dist_m(&self, i: usize) -> f64 {
        self.centre_dist_m[i]
    }

    /// The city radius: 95th percentile of centroid distances to the centre, m.
    pub fn city_radius_m(&self) -> f64 {
        self.city_radius_m
    }

    /// Parcel `i`'s centroid distance to the centre divided by the city
    /// radius (0 at the centre; 1 at the radius). A zero radius gives 0 at
    /// the centre and +infinity elsewhere.
    pub fn centre_dist_ratio(&self, i: usize) -> f64 {
        let d = self.centre_dist_m[i];
        if self.city_radius_m > 0.0 {
            d / self.city_radius_m
        } else if d == 0.0 {
            0.0
        } else {
            f64::INFINITY
        }
    }

    /// Transit stops, when that layer was given.
    pub fn transit(&self) -> Option<&[Coord<f64>]> {
        self.transit.as_deref()
    }

    /// Facility points, when that layer was given.
    pub fn facilities(&self) -> Option<&[Coord<f64>]> {
        self.facilities.as_deref()
    }
}

/// Reads a GeoJSON FeatureCollection of Point (or MultiPoint) features and
/// projects them to `working_crs` (e.g. `"EPSG:32651"`, the stock's working
/// CRS from the ingest report). The file's CRS is RFC 7946 lon/lat unless it
/// declares another with a `crs` member. Any other geometry is an error
/// naming the feature; features with a null geometry are skipped.
///
/// ```
/// let text = r#"{"type":"FeatureCollection","features":[
///   {"type":"Feature","properties":{"name":"Station"},"geometry":{"type":"Point","coordinates":[123.0,0.0]}}]}"#;
/// let pts = landstock::context::read_points_geojson(text.as_bytes(), "stops.geojson", "EPSG:32651").unwrap();
/// assert_eq!(pts.len(), 1);
/// assert!((pts[0].x - 500_000.0).abs() < 1e-6, "123 E is UTM 51N's central meridian");
/// ```
pub fn read_points_geojson<R: Read>(
    mut reader: R,
    source_name: &str,
    working_crs: &str,
) -> Result<Vec<Coord<f64>>, Error> {
    let mut text = String::new();
    reader.read_to_string(&mut text).map_err(|error| {
        Error::from(ErrorKind::Io {
            source_name: source_name.to_string(),
            error,
        })
    })?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        // serde_json reports line and column; turn them into a byte offset
        let offset: usize = text
            .split_inclusive('\n')
            .take(e.line().saturating_sub(1))
            .map(str::len)
            .sum::<usize>()
            + e.column().saturating_sub(1);
        Error::malformed(source_name, offset as u64, None, e.to_string())
    })?;
    let bad = |i: Option<usize>, what: String| Error::malformed(source_name, 0, i, what);
    if v.get("type").and_then(|t| t.as_str()) != Some("FeatureCollection") {
        return Err(bad(
            None,
            "expected a GeoJSON FeatureCollection of points".into(),
        ));
    }
    let crs = v
        .get("crs")
        .and_then(InputCrs::from_geojson_member)
        .unwrap_or_default();
    let features = v
        .get("features")
        .and_then(|f| f.as_array())
        .ok_or_else(|| bad(None, "expected a \"features\" array".into()))?;
    let coord = |i: usize, c: &serde_json::Value| -> Result<Coord<f64>, Error> {
        let a = c.as_array().filter(|a| a.len() >= 2);
        let xy = a.and_then(|a| Some((a[0].as_f64()?, a[1].as_f64()?)));
        match xy {
            Some((x, y)) if x.is_finite() && y.is_finite() => Ok(Coord { x, y }),
            _ => Err(bad(
                Some(i),
                format!("expected a position [x, y] of finite numbers, found {c}"),
            )),
        }
    };
    let mut pts = Vec::new();
    for (i, f) in features.iter().enumerate() {
        let g = match f.get("geometry") {
            None | Some(serde_json::Value::Null) => continue,
            Some(g) => g,
        };
        let coords = g.get("coordinates");
        match g.get("type").and_then(|t| t.as_str()) {
            Some("Point") => pts.push(coord(i, coords.unwrap_or(&serde_json::Value::Null))?),
            Some("MultiPoint") => {
                for c in coords.and_then(|c| c.as_array()).into_iter().flatten() {
                    pts.push(coord(i, c)?);
                }
            }
            other => {
                return Err(bad(
                    Some(i),
                    format!(
                        "expected a Point or MultiPoint geometry, found {}; convert the layer to points (e.g. centroids)",
                        other.unwrap_or("no type")
                    ),
                ))
            }
        }
    }
    let t = CrsPair::new(crs.proj_name(), working_crs).transformer()?;
    t.transform(&mut pts).map_err(|what| {
        Error::from(ErrorKind::Crs {
            crs: format!("{} -> {working_crs} ({source_name})", crs.proj_name()),
            what,
        })
    })?;
    Ok(pts)
}

/// Reads a point layer from disk (see [`read_points_geojson`]).
pub fn read_points_geojson_file(path: &Path, working_crs: &str) -> Result<Vec<Coord<f64>>, Error> {
    let name = path.display().to_string();
    let f = std::fs::File::open(path).map_err(|error| {
        Error::from(ErrorKind::Io {
            source_name: name.clone(),
            error,
        })
    })?;
    read_points_geojson(std::io::BufReader::new(f), &name, working_crs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Parcel, Status};
    use geo::{polygon, MultiPolygon};

    fn sq(id: &str, x: f64, side: f64, u: LandUse) -> Parcel {
        Parcel::new(
            id,
            MultiPolygon(vec![
                polygon![(x: x, y: 0.), (x: x + side, y: 0.), (x: x + side, y: side), (x: x, y: side)],
            ]),
            u,
            Status::Active,
        )
    }

    #[test]
    fn nobody_home_gives_the_area_weighted_centroid() {
        // 100 m square centred at x=50 (1 ha), 200 m square centred at x=1100 (4 ha)
        // area-weighted x = (1 × 50 + 4 × 1100) / 5 = 890; y = (1 × 50 + 4 × 100) / 5 = 90
        let stock = ParcelStock::new(vec![
            sq("a", 0., 100., LandUse::Vacant),
            sq("b", 1000., 200., LandUse::Industrial),
        ]);
        let cx = Context::new(&stock, &ContextOptions::default());
        assert_eq!(cx.centre_source(), CentreSource::Area);
        assert!((cx.centre().x - 890.0).abs() < 1e-9);
        assert!((cx.centre().y - 90.0).abs() < 1e-9);
    }

    #[test]
    fn population_of_a_non_residential_parcel_counts_but_does_not_move_the_centre() {
        let mut dorm = sq("d", 5000., 100., LandUse::Public);
        dorm.facts.population = Some(1000.0);
        let stock = ParcelStock::new(vec![sq("r", 0., 100., LandUse::Residential), dorm]);
        let cx = Context::new(&stock, &ContextOptions::default());
        assert_eq!(cx.population(), &[200.0, 1000.0]);
        assert_eq!(cx.centre(), Coord { x: 50.0, y: 50.0 });
        // distances 0 and 5000; p95 rank 0.95 → 4750
        assert!((cx.city_radius_m() - 4750.0).abs() < 1e-9);
        assert!((cx.centre_dist_ratio(1) - 5000.0 / 4750.0).abs() < 1e-12);
    }

    #[test]
    fn a_polygon_in_a_point_layer_is_an_error_naming_the_feature() {
        let text = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","geometry":{"type":"Point","coordinates":[125,46]}},
          {"type":"Feature","geometry":{"type":"Polygon","coordinates":[]}}]}"#;
        let e = read_points_geojson(text.as_bytes(), "stops.geojson", "EPSG:32651").unwrap_err();
        let s = e.to_string();
        assert!(
            s.contains("stops.geojson") && s.contains("feature 1") && s.contains("Polygon"),
            "{s}"
        );
    }
}
