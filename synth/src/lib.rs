//! A deterministic synthetic "fixture city": a shrinking industrial city in the
//! style of China's Northeast, written as GeoJSON for tests, examples and
//! benchmarks.
//!
//! The city sits around 125.0°E 46.6°N (near Daqing, UTM zone 51N). From the
//! centre outwards:
//!
//! * a **centre** of commerce (B1/B2) and public buildings (A1/A2), with a
//!   civic square, the city government, a museum, a library and the station;
//! * **residential** rings (R2, some R1/R3) whose parcels carry a `population`
//!   (0.01–0.04 residents per m², denser towards the centre) — except a share
//!   left without one so that the default density applies — with schools,
//!   hospitals, utilities, bus depots, scattered **vacant** lots and
//!   neighbourhood parks in only some districts, so that part of the housing
//!   has no park within 500 m;
//! * a **river** (E1) crossing the city along one row of districts, between
//!   riverside parks (G1), protective green (G2) or wetland (E9);
//! * a lake **park** (a G1 polygon with a hole, the lake filling it);
//! * an **industrial belt** in one sector (and a smaller cluster opposite) of
//!   plants from 0.5 ha to 59 ha (M1/M2/M3), about 35 % derelict by count,
//!   with `floor_area_m2` (0 when cleared, sometimes missing), `contaminated`,
//!   `land_value`, a few `heritage` factories with Chinese names, protective
//!   green strips, and now and then a plant in two parts (a MultiPolygon);
//! * **logistics** (W1/W2 warehouses, partly derelict) beside the belt;
//! * an **ecological** rim of farmland and forest (E2), wetland (E9) and ponds.
//!
//! Parcels tile their districts without overlapping; streets and lanes are
//! gaps. Shared boundaries are exactly shared (no T-junctions), every
//! coordinate is a whole metre in UTM before conversion to lon/lat, so the
//! polygons are valid and stay valid after rounding to 7 decimals.
//!
//! # Determinism
//! Equal [`CityParams`] give byte-identical output. Each district draws from
//! its own PCG stream seeded by (seed, district), and the city is emitted
//! district by district in a fixed spiral order, so even a million parcels are
//! written without holding them (see [`write_parcels_geojson`]). Only the UTM
//! inverse uses transcendental functions; a platform whose `libm` differs in
//! the last bit could, in principle, round a 7th decimal differently.
//!
//! ```
//! use landstock_synth::{write_parcels_geojson, CityParams};
//! let params = CityParams::with_parcels(800);
//! let (mut a, mut b) = (Vec::new(), Vec::new());
//! let summary = write_parcels_geojson(&params, &mut a)?;
//! write_parcels_geojson(&params, &mut b)?;
//! assert_eq!(a, b, "same params, same bytes");
//! assert_eq!(summary.n_parcels, 800);
//! assert_eq!(summary.bytes, a.len() as u64);
//! # Ok::<(), std::io::Error>(())
//! ```

mod city;
mod utm;

pub use city::Status;

use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, Write};

use city::{Layout, Poly, Pt, Spiral, SynthParcel};
use utm::Utm;

/// What city to generate. [`Default`] is the committed fixture city
/// (`fixtures/city.geojson`): 3,000 parcels, seed 1959.
///
/// ```
/// use landstock_synth::CityParams;
/// let mut params = CityParams::with_parcels(100_000);
/// params.seed = 7;
/// assert_eq!(params.n_parcels, 100_000);
/// assert_eq!(CityParams::default().n_parcels, 3_000);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CityParams {
    /// Exactly this many parcel features are written. The city is sized for
    /// it; the last district in spiral order (at the ecological rim) is cut
    /// short where the count is reached.
    pub n_parcels: usize,
    /// Seed of every random choice.
    pub seed: u64,
    /// Longitude of the city centre, degrees (the UTM zone follows from it).
    pub centre_lon_deg: f64,
    /// Latitude of the city centre, degrees; northern hemisphere only.
    pub centre_lat_deg: f64,
    /// Share of industrial plants (by count) that are derelict; warehouses
    /// get 85 % of it. Default 0.35: a third or more of the plants in the
    /// old-industrial cities of the Northeast stand idle.
    pub derelict_share: f64,
    /// Share of housing parcels written without a `population` property, so
    /// that the default density (SPEC §1) applies to them. Default 0.15.
    pub unpopulated_share: f64,
}

impl Default for CityParams {
    fn default() -> Self {
        CityParams {
            n_parcels: 3_000,
            // 1959: oil is struck at Songji-3, the founding of Daqing.
            seed: 1959,
            centre_lon_deg: 125.0,
            centre_lat_deg: 46.6,
            derelict_share: 0.35,
            unpopulated_share: 0.15,
        }
    }
}

impl CityParams {
    /// The default city with `n_parcels` parcels (benchmarks use 10k, 100k
    /// and 1,000,000).
    ///
    /// ```
    /// use landstock_synth::CityParams;
    /// let p = CityParams::with_parcels(10_000);
    /// assert_eq!((p.n_parcels, p.seed), (10_000, CityParams::default().seed));
    /// ```
    pub fn with_parcels(n_parcels: usize) -> Self {
        CityParams {
            n_parcels,
            ..CityParams::default()
        }
    }

    fn check(&self) -> io::Result<()> {
        let bad = |what: String| Err(io::Error::new(io::ErrorKind::InvalidInput, what));
        if !(-180.0..180.0).contains(&self.centre_lon_deg) {
            return bad(format!(
                "centre_lon_deg={}: must be in [-180, 180)",
                self.centre_lon_deg
            ));
        }
        if !(1.0..=80.0).contains(&self.centre_lat_deg) {
            return bad(format!(
                "centre_lat_deg={}: must be in [1, 80] (northern UTM zones only)",
                self.centre_lat_deg
            ));
        }
        for (name, v) in [
            ("derelict_share", self.derelict_share),
            ("unpopulated_share", self.unpopulated_share),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return bad(format!("{name}={v}: must be in [0, 1]"));
            }
        }
        Ok(())
    }
}

/// Parcels and area of one `gb_code` in a [`CitySummary`].
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct ClassTally {
    /// Parcels with this code.
    pub parcels: usize,
    /// Of which `status` = "derelict".
    pub derelict: usize,
    /// Their area in m² (UTM plane).
    pub area_m2: f64,
}

/// What [`write_parcels_geojson`] wrote, for tests and the fixture README.
///
/// Areas are measured in the UTM plane the city was built in; ingestion that
/// projects to the same zone measures the same areas, up to the 7-decimal
/// rounding of the coordinates.
///
/// ```
/// use landstock_synth::{write_parcels_geojson, CityParams};
/// let s = write_parcels_geojson(&CityParams::default(), std::io::sink())?;
/// assert_eq!(s.n_parcels, 3_000);
/// assert_eq!(s.by_gb_code.values().map(|t| t.parcels).sum::<usize>(), 3_000);
/// let share = s.derelict_industrial_share();
/// assert!((0.30..=0.40).contains(&share), "{share}");
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct CitySummary {
    /// Features written.
    pub n_parcels: usize,
    /// Total parcel area, m².
    pub total_area_m2: f64,
    /// Tally per `gb_code`; `None` for the vacant lots written with a null code.
    pub by_gb_code: BTreeMap<Option<&'static str>, ClassTally>,
    /// Parcels per `status` value; `None` where the property is left out
    /// (vacant lots).
    pub by_status: BTreeMap<Option<&'static str>, usize>,
    /// Parcels with `vacant` = "yes".
    pub vacant: usize,
    /// Parcels with `heritage` = "yes".
    pub heritage: usize,
    /// Parcels with `contaminated` = "yes".
    pub contaminated: usize,
    /// Parcels with a `land_value`.
    pub with_land_value: usize,
    /// Sum of the `population` properties.
    pub population: u64,
    /// Residential (R*) parcels written without `population`.
    pub residential_without_population: usize,
    /// Parcels written as a MultiPolygon of two or more parts.
    pub multipolygons: usize,
    /// Parcels with at least one hole.
    pub with_holes: usize,
    /// Parcels with a `name`.
    pub named: usize,
    /// Bytes written.
    pub bytes: u64,
}

impl CitySummary {
    /// Derelict share of industrial plants (gb_code M*), by count; 0 when
    /// there are none.
    pub fn derelict_industrial_share(&self) -> f64 {
        let (mut n, mut d) = (0, 0);
        for (code, t) in &self.by_gb_code {
            if code.is_some_and(|c| c.starts_with('M')) {
                n += t.parcels;
                d += t.derelict;
            }
        }
        if n == 0 {
            0.0
        } else {
            d as f64 / n as f64
        }
    }

    fn add(&mut self, p: &SynthParcel) {
        let area_m2 = p.area_m2();
        self.n_parcels += 1;
        self.total_area_m2 += area_m2;
        let t = self.by_gb_code.entry(p.gb_code).or_default();
        t.parcels += 1;
        t.area_m2 += area_m2;
        t.derelict += usize::from(p.status == Some(Status::Derelict));
        *self
            .by_status
            .entry(p.status.map(Status::as_str))
            .or_default() += 1;
        self.vacant += usize::from(p.vacant);
        self.heritage += usize::from(p.heritage);
        self.contaminated += usize::from(p.contaminated);
        self.with_land_value += usize::from(p.land_value.is_some());
        self.population += p.population.unwrap_or(0);
        self.residential_without_population +=
            usize::from(p.population.is_none() && p.gb_code.is_some_and(|c| c.starts_with('R')));
        self.multipolygons += usize::from(p.parts.len() > 1);
        self.with_holes += usize::from(p.parts.iter().any(|q| !q.holes.is_empty()));
        self.named += usize::from(p.name.is_some());
    }
}

impl fmt::Display for CitySummary {
    /// A Markdown table: one row per `gb_code`, then the totals.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "| gb_code | parcels | derelict | area (ha) |")?;
        writeln!(f, "|---|---:|---:|---:|")?;
        for (code, t) in &self.by_gb_code {
            writeln!(
                f,
                "| {} | {} | {} | {:.1} |",
                code.unwrap_or("null (vacant)"),
                t.parcels,
                t.derelict,
                t.area_m2 / 1e4
            )?;
        }
        writeln!(
            f,
            "| **all** | {} | {} | {:.1} |",
            self.n_parcels,
            self.by_status.get(&Some("derelict")).copied().unwrap_or(0),
            self.total_area_m2 / 1e4
        )?;
        writeln!(f)?;
        writeln!(
            f,
            "vacant lots {}, heritage {}, contaminated {}, with land_value {}, named {}",
            self.vacant, self.heritage, self.contaminated, self.with_land_value, self.named
        )?;
        writeln!(
            f,
            "population {} (residential parcels without it: {}), multipolygons {}, with holes {}",
            self.population,
            self.residential_without_population,
            self.multipolygons,
            self.with_holes
        )?;
        write!(
            f,
            "derelict share of industrial plants {:.1} %",
            100.0 * self.derelict_industrial_share()
        )
    }
}

/// The generator for one set of params: layout plus georeference.
struct City {
    layout: Layout,
    utm: Utm,
    /// UTM coordinates of local (0, 0), whole hundreds of metres.
    origin_m: (f64, f64),
    n_parcels: usize,
}

impl City {
    fn new(params: &CityParams) -> io::Result<City> {
        params.check()?;
        let utm = Utm::north(Utm::zone_of(params.centre_lon_deg));
        let (e, n) = utm.project(params.centre_lon_deg, params.centre_lat_deg);
        Ok(City {
            layout: Layout::new(
                params.n_parcels,
                params.seed,
                params.derelict_share,
                params.unpopulated_share,
            ),
            utm,
            origin_m: ((e / 100.0).round() * 100.0, (n / 100.0).round() * 100.0),
            n_parcels: params.n_parcels,
        })
    }

    /// The city's parcels in output order, generated district by district.
    fn parcels(&self) -> impl Iterator<Item = SynthParcel> + '_ {
        Spiral::new()
            .flat_map(|(ix, iy)| self.layout.district(ix, iy))
            .take(self.n_parcels)
    }

    fn lon_lat(&self, p: Pt) -> (f64, f64) {
        self.utm
            .unproject(self.origin_m.0 + p[0], self.origin_m.1 + p[1])
    }
}

/// Output is handed to the writer in chunks of about this many bytes.
const CHUNK_BYTES: usize = 1 << 20;

/// Writes the city's parcels as an RFC 7946 GeoJSON FeatureCollection,
/// streaming: parcels are generated and written one district at a time, so a
/// city of 1,000,000 parcels (about 350 MB) needs a few kilobytes of memory
/// besides the output.
///
/// One feature per line; `id` is "P" and the parcel's index zero-padded to
/// 7 digits (more above 10 million parcels) so that byte-wise order is
/// numeric order. Coordinates have 7 decimals; exterior rings run
/// counter-clockwise, holes clockwise; rings are closed. Properties:
/// `gb_code` (null on some vacant lots), `status` ("active"/"derelict", left
/// out on vacant lots), and where they apply `vacant`, `population`,
/// `floor_area_m2`, `heritage`, `contaminated` ("yes"), `land_value` (yuan per
/// m²) and `name`.
///
/// Fails only when writing fails or the params are out of range
/// ([`io::ErrorKind::InvalidInput`], with a message saying which).
///
/// ```
/// use landstock_synth::{write_parcels_geojson, CityParams};
/// let mut out = Vec::new();
/// let s = write_parcels_geojson(&CityParams::with_parcels(3), &mut out)?;
/// let text = String::from_utf8(out).unwrap();
/// assert!(text.contains(r#""id":"P0000002""#));
/// assert_eq!(s.n_parcels, 3);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn write_parcels_geojson<W: Write>(params: &CityParams, mut out: W) -> io::Result<CitySummary> {
    let city = City::new(params)?;
    let width = id_width(params.n_parcels);
    let mut summary = CitySummary::default();
    let mut buf = Vec::with_capacity(CHUNK_BYTES + 64 * 1024);
    buf.extend_from_slice(b"{\"type\":\"FeatureCollection\",\"features\":[\n");
    for (i, p) in city.parcels().enumerate() {
        if i > 0 {
            buf.extend_from_slice(b",\n");
        }
        write_parcel(&mut buf, &city, i, width, &p);
        summary.add(&p);
        if buf.len() >= CHUNK_BYTES {
            out.write_all(&buf)?;
            summary.bytes += buf.len() as u64;
            buf.clear();
        }
    }
    buf.extend_from_slice(b"\n]}\n");
    out.write_all(&buf)?;
    summary.bytes += buf.len() as u64;
    out.flush()?;
    Ok(summary)
}

/// Writes the transit stops: two lines crossing at the centre (east–west and
/// north–south, a stop every 800 m out to three quarters of the city's
/// radius) and, in cities over about 2 km across, a loop line of 12 stops.
/// Properties `name` and `line`. Returns the number of stops.
///
/// ```
/// use landstock_synth::{write_transit_geojson, CityParams};
/// let mut out = Vec::new();
/// let n = write_transit_geojson(&CityParams::default(), &mut out)?;
/// assert!((20..=60).contains(&n), "a few dozen stops, got {n}");
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn write_transit_geojson<W: Write>(params: &CityParams, mut out: W) -> io::Result<usize> {
    let city = City::new(params)?;
    let mut stops: Vec<(u8, Pt)> = Vec::new();
    let reach = (0.75 * city.layout.radius_m / city::DISTRICT_M).floor() as i32;
    let half = city::DISTRICT_M / 2.0;
    for k in -reach..=reach {
        // On the streets just north of and west of the centre district.
        stops.push((1, [f64::from(k) * city::DISTRICT_M, half]));
    }
    for k in -reach..=reach {
        stops.push((2, [-half, f64::from(k) * city::DISTRICT_M]));
    }
    let loop_m = (0.45 * city.layout.radius_m).round();
    if loop_m > 1000.0 {
        for k in 0..12 {
            let a = f64::from(k) * 30f64.to_radians();
            stops.push((3, [(loop_m * a.cos()).round(), (loop_m * a.sin()).round()]));
        }
    }
    let mut buf = Vec::new();
    buf.extend_from_slice(b"{\"type\":\"FeatureCollection\",\"features\":[\n");
    let mut per_line = [0usize; 4];
    for (i, &(line, at)) in stops.iter().enumerate() {
        let k = per_line[usize::from(line)];
        per_line[usize::from(line)] += 1;
        let road = STOP_NAMES[k % STOP_NAMES.len()];
        let round = k / STOP_NAMES.len();
        let name = if round == 0 {
            format!("{line}号线 {road}站")
        } else {
            format!("{line}号线 {road}{}站", round + 1)
        };
        if i > 0 {
            buf.extend_from_slice(b",\n");
        }
        write_point(&mut buf, &city, &format!("T{:04}", i), at);
        buf.extend_from_slice(b",\"properties\":{\"name\":");
        json_str(&mut buf, &name);
        buf.extend_from_slice(format!(",\"line\":{line}}}}}").as_bytes());
        if buf.len() >= CHUNK_BYTES {
            out.write_all(&buf)?;
            buf.clear();
        }
    }
    buf.extend_from_slice(b"\n]}\n");
    out.write_all(&buf)?;
    out.flush()?;
    Ok(stops.len())
}

const STOP_NAMES: [&str; 16] = city::ROAD_NAMES;

/// Writes the cultural and education facilities: points on the parcels that
/// hold them (museum, library, theatre, gallery, cultural centre, school,
/// university, and heritage sites on derelict heritage factories), with
/// properties `name` and `kind`. Only parcels among the first
/// `params.n_parcels` count, so the layer matches [`write_parcels_geojson`].
/// Returns the number of facilities.
///
/// ```
/// use landstock_synth::{write_facilities_geojson, CityParams};
/// let mut out = Vec::new();
/// let n = write_facilities_geojson(&CityParams::default(), &mut out)?;
/// assert!(n >= 10);
/// assert!(String::from_utf8(out).unwrap().contains("大庆博物馆"));
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn write_facilities_geojson<W: Write>(params: &CityParams, mut out: W) -> io::Result<usize> {
    let city = City::new(params)?;
    let mut buf = Vec::new();
    buf.extend_from_slice(b"{\"type\":\"FeatureCollection\",\"features\":[\n");
    let mut n = 0;
    for f in city.parcels().filter_map(|p| p.facility) {
        if n > 0 {
            buf.extend_from_slice(b",\n");
        }
        write_point(&mut buf, &city, &format!("F{:05}", n), f.at);
        buf.extend_from_slice(b",\"properties\":{\"name\":");
        json_str(&mut buf, &f.name);
        buf.extend_from_slice(b",\"kind\":");
        json_str(&mut buf, f.kind);
        buf.extend_from_slice(b"}}");
        n += 1;
        if buf.len() >= CHUNK_BYTES {
            out.write_all(&buf)?;
            buf.clear();
        }
    }
    buf.extend_from_slice(b"\n]}\n");
    out.write_all(&buf)?;
    out.flush()?;
    Ok(n)
}

/// Digits in a parcel id: at least 7, enough for the largest index.
fn id_width(n_parcels: usize) -> usize {
    n_parcels.saturating_sub(1).to_string().len().max(7)
}

fn write_parcel(buf: &mut Vec<u8>, city: &City, index: usize, width: usize, p: &SynthParcel) {
    buf.extend_from_slice(b"{\"type\":\"Feature\",\"id\":\"P");
    let digits = index.to_string();
    buf.extend(std::iter::repeat_n(
        b'0',
        width.saturating_sub(digits.len()),
    ));
    buf.extend_from_slice(digits.as_bytes());
    buf.extend_from_slice(b"\",\"geometry\":{\"type\":");
    if p.parts.len() == 1 {
        buf.extend_from_slice(b"\"Polygon\",\"coordinates\":");
        write_polygon(buf, city, &p.parts[0]);
    } else {
        buf.extend_from_slice(b"\"MultiPolygon\",\"coordinates\":[");
        for (k, part) in p.parts.iter().enumerate() {
            if k > 0 {
                buf.push(b',');
            }
            write_polygon(buf, city, part);
        }
        buf.push(b']');
    }
    buf.extend_from_slice(b"},\"properties\":{\"gb_code\":");
    match p.gb_code {
        Some(code) => json_str(buf, code),
        None => buf.extend_from_slice(b"null"),
    }
    if let Some(status) = p.status {
        buf.extend_from_slice(b",\"status\":");
        json_str(buf, status.as_str());
    }
    let yes = |buf: &mut Vec<u8>, key: &str, flag: bool| {
        if flag {
            buf.extend_from_slice(format!(",\"{key}\":\"yes\"").as_bytes());
        }
    };
    yes(buf, "vacant", p.vacant);
    for (key, value) in [
        ("population", p.population),
        ("floor_area_m2", p.floor_area_m2),
        ("land_value", p.land_value.map(u64::from)),
    ] {
        if let Some(v) = value {
            buf.extend_from_slice(format!(",\"{key}\":{v}").as_bytes());
        }
    }
    yes(buf, "heritage", p.heritage);
    yes(buf, "contaminated", p.contaminated);
    if let Some(name) = &p.name {
        buf.extend_from_slice(b",\"name\":");
        json_str(buf, name);
    }
    buf.extend_from_slice(b"}}");
}

fn write_polygon(buf: &mut Vec<u8>, city: &City, poly: &Poly) {
    buf.push(b'[');
    for (k, ring) in std::iter::once(&poly.exterior)
        .chain(poly.holes.iter())
        .enumerate()
    {
        if k > 0 {
            buf.push(b',');
        }
        buf.push(b'[');
        // Closed: the first vertex again at the end.
        for (j, &v) in ring.iter().chain(ring.first()).enumerate() {
            if j > 0 {
                buf.push(b',');
            }
            write_position(buf, city.lon_lat(v));
        }
        buf.push(b']');
    }
    buf.push(b']');
}

fn write_point(buf: &mut Vec<u8>, city: &City, id: &str, at: Pt) {
    buf.extend_from_slice(b"{\"type\":\"Feature\",\"id\":");
    json_str(buf, id);
    buf.extend_from_slice(b",\"geometry\":{\"type\":\"Point\",\"coordinates\":");
    write_position(buf, city.lon_lat(at));
    buf.push(b'}');
}

fn write_position(buf: &mut Vec<u8>, (lon, lat): (f64, f64)) {
    buf.push(b'[');
    write_fixed7(buf, lon);
    buf.push(b',');
    write_fixed7(buf, lat);
    buf.push(b']');
}

/// Writes `v` with exactly 7 decimals. Hand-rolled because this runs about
/// ten million times for a large city and `format!("{:.7}")` would dominate.
fn write_fixed7(buf: &mut Vec<u8>, v: f64) {
    let scaled = (v * 1e7).round() as i64;
    if scaled < 0 {
        buf.push(b'-');
    }
    let a = scaled.unsigned_abs();
    let (int, frac) = (a / 10_000_000, a % 10_000_000);
    buf.extend_from_slice(int.to_string().as_bytes());
    buf.push(b'.');
    let mut digits = [b'0'; 7];
    let mut f = frac;
    for d in digits.iter_mut().rev() {
        *d = b'0' + (f % 10) as u8;
        f /= 10;
    }
    buf.extend_from_slice(&digits);
}

fn json_str(buf: &mut Vec<u8>, s: &str) {
    serde_json::to_writer(&mut *buf, s).expect("writing a string to a Vec cannot fail");
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
