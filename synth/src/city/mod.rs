//! The fixture city's layout, in local metres east and north of its centre.
//!
//! The city is a grid of square districts (800 m apart, 30 m streets between
//! them) laid out in rings around the centre. Each district is generated on its
//! own from a random stream seeded by (city seed, district column, district
//! row), so that districts can be produced one at a time, in a fixed spiral
//! order, without holding the rest of the city. A district is cut into
//! sub-blocks (16 m lanes between them) or, for industry, into plants by
//! guillotine cuts. All coordinates are whole metres: shared edges are exactly
//! equal, and no two distinct vertices are closer than 1 m, so rounding to
//! 7 decimals of a degree (about 1 cm) can never collapse a ring.

use rand_pcg::rand_core::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

mod cuts;
mod industry;
mod town;

use cuts::*;

/// A generated parcel's status, written as the `status` property that
/// landstock's fixture config (`fixtures/city.toml`) reads with
/// `status_field = "status"`.
///
/// ```
/// assert_eq!(landstock_synth::Status::Derelict.as_str(), "derelict");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// In use.
    Active,
    /// Vacant, abandoned or disused.
    Derelict,
}

impl Status {
    /// The property value written.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Derelict => "derelict",
        }
    }
}

/// Distance between district centres, metres.
pub(crate) const DISTRICT_M: f64 = 800.0;
/// Street width between districts, metres.
const STREET_M: f64 = 30.0;
/// Lane width between sub-blocks inside a district, metres.
const LANE_M: f64 = 16.0;
/// Target sub-block side, metres (before lanes).
const SUB_BLOCK_M: f64 = 195.0;
/// Measured mean number of parcels per district over the zone mix below, used
/// to size the city for a requested parcel count (the ecological rim absorbs
/// the error).
pub(crate) const PARCELS_PER_DISTRICT: f64 = 17.0;

/// A point in local metres (x east, y north).
pub(crate) type Pt = [f64; 2];

/// One polygon: an open exterior ring (counter-clockwise) and open holes
/// (clockwise). Rings do not repeat their first vertex.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Poly {
    pub exterior: Vec<Pt>,
    pub holes: Vec<Vec<Pt>>,
}

impl Poly {
    fn rect(r: Rect) -> Poly {
        Poly {
            exterior: vec![[r.x0, r.y0], [r.x1, r.y0], [r.x1, r.y1], [r.x0, r.y1]],
            holes: Vec::new(),
        }
    }

    /// Area in m² (shoelace; exact for whole-metre coordinates).
    pub(crate) fn area_m2(&self) -> f64 {
        ring_area_m2(&self.exterior) - self.holes.iter().map(|h| -ring_area_m2(h)).sum::<f64>()
    }
}

/// Signed area of an open ring, positive when counter-clockwise.
fn ring_area_m2(ring: &[Pt]) -> f64 {
    let n = ring.len();
    let twice: f64 = (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            a[0] * b[1] - b[0] * a[1]
        })
        .sum();
    twice / 2.0
}

/// An axis-aligned rectangle in whole metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rect {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Rect {
    fn new(x0: f64, y0: f64, x1: f64, y1: f64) -> Rect {
        Rect { x0, y0, x1, y1 }
    }
    fn w(&self) -> f64 {
        self.x1 - self.x0
    }
    fn h(&self) -> f64 {
        self.y1 - self.y0
    }
    fn area_ha(&self) -> f64 {
        self.w() * self.h() / 10_000.0
    }
    fn centre(&self) -> Pt {
        [(self.x0 + self.x1) / 2.0, (self.y0 + self.y1) / 2.0]
    }
}

/// A cultural or education facility, a point on the parcel that holds it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Facility {
    pub at: Pt,
    pub name: String,
    pub kind: &'static str,
}

/// One generated parcel with the properties the GeoJSON writer emits.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SynthParcel {
    pub gb_code: Option<&'static str>,
    /// `None` on vacant lots: the property is left out.
    pub status: Option<Status>,
    pub vacant: bool,
    pub population: Option<u64>,
    pub floor_area_m2: Option<u64>,
    pub heritage: bool,
    pub contaminated: bool,
    /// Currency (yuan) per m².
    pub land_value: Option<u32>,
    pub name: Option<String>,
    pub parts: Vec<Poly>,
    pub facility: Option<Facility>,
}

impl SynthParcel {
    fn new(gb_code: &'static str, parts: Vec<Poly>) -> SynthParcel {
        SynthParcel {
            gb_code: Some(gb_code),
            status: Some(Status::Active),
            vacant: false,
            population: None,
            floor_area_m2: None,
            heritage: false,
            contaminated: false,
            land_value: None,
            name: None,
            parts,
            facility: None,
        }
    }

    fn at(gb_code: &'static str, r: Rect) -> SynthParcel {
        SynthParcel::new(gb_code, vec![Poly::rect(r)])
    }

    /// Area in m².
    pub(crate) fn area_m2(&self) -> f64 {
        self.parts.iter().map(Poly::area_m2).sum()
    }
}

/// The seeded random stream of one district.
///
/// PCG (`rand_pcg`, already in the dependency tree through `geo`) is portable
/// and its output is fixed within a major version; the conversions to floats
/// and ranges are written out here rather than taken from `rand`'s
/// distributions so that a `rand` upgrade can never silently change the
/// committed fixture.
pub(crate) struct Dice(Pcg64Mcg);

impl Dice {
    pub(crate) fn new(seed: u64, stream: u64) -> Dice {
        // seed_from_u64 scrambles its input, so a plain mix is enough here.
        Dice(Pcg64Mcg::seed_from_u64(
            seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ stream,
        ))
    }

    /// Uniform in [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Uniform integer in `lo..=hi`.
    fn int(&mut self, lo: usize, hi: usize) -> usize {
        (lo + (self.unit() * (hi - lo + 1) as f64) as usize).min(hi)
    }

    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.int(0, xs.len() - 1)]
    }

    fn weighted<T: Copy>(&mut self, xs: &[(T, f64)]) -> T {
        let total: f64 = xs.iter().map(|x| x.1).sum();
        let mut u = self.unit() * total;
        for &(x, w) in xs {
            if u < w {
                return x;
            }
            u -= w;
        }
        xs[xs.len() - 1].0
    }
}

/// What a district is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Zone {
    Centre,
    Residential,
    CityPark,
    Industrial,
    Logistics,
    Ecological,
}

/// City-wide choices, fixed before any district is generated.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    pub seed: u64,
    /// Planned city radius in metres; the ecological rim starts at 0.8 of it.
    pub radius_m: f64,
    /// Bearing of the industrial belt, degrees counter-clockwise from east.
    pub industry_bearing_deg: f64,
    /// The district row the river runs along.
    pub river_row: i32,
    /// The district made a lake park whatever the dice say.
    pub park_district: (i32, i32),
    pub derelict_share: f64,
    pub unpopulated_share: f64,
}

const FACTORY_NAMES: [&str; 10] = [
    "大庆油田机械厂",
    "龙凤炼油厂",
    "萨尔图纺织厂",
    "让胡路铸造厂",
    "红岗化肥厂",
    "卧里屯热电厂",
    "大同水泥厂",
    "林源炼油厂",
    "杏树岗钻采机械厂",
    "喇嘛甸油泵厂",
];
const PARK_NAMES: [&str; 4] = ["黎明湖公园", "铁人公园", "儿童公园", "植物园"];
const LAKE_NAMES: [&str; 4] = ["黎明湖", "燕都湖", "静湖", "银浪湖"];
const RIVER_NAME: &str = "萨尔图河";
/// Road and neighbourhood names, for schools, facilities and transit stops.
pub(crate) const ROAD_NAMES: [&str; 16] = [
    "东风路",
    "中央大街",
    "世纪大道",
    "铁人路",
    "龙凤",
    "萨尔图",
    "让胡路",
    "红岗",
    "大同",
    "八一农大",
    "西宾路",
    "新村",
    "乘风",
    "银浪",
    "开发区",
    "黎明河",
];

impl Layout {
    /// Sizes the city for `n_parcels` and draws the city-wide choices.
    pub(crate) fn new(
        n_parcels: usize,
        seed: u64,
        derelict_share: f64,
        unpopulated_share: f64,
    ) -> Layout {
        let districts = (n_parcels as f64 / PARCELS_PER_DISTRICT).max(1.0);
        let radius_m = DISTRICT_M * (districts / std::f64::consts::PI).sqrt().max(0.5);
        let mut dice = Dice::new(seed, u64::MAX);
        let industry_bearing_deg = dice.range(-20.0, 40.0);
        let river_row = if dice.chance(0.5) { -1 } else { 1 };
        // The lake park sits opposite the industry, about a third of the way out.
        let back = (industry_bearing_deg + 180.0).to_radians();
        let reach = (0.3 * radius_m / DISTRICT_M).max(1.5);
        let mut park_district = (
            (reach * back.cos()).round() as i32,
            (reach * back.sin()).round() as i32,
        );
        if park_district.1 == river_row {
            park_district.1 += river_row.signum() * -2;
        }
        Layout {
            seed,
            radius_m,
            industry_bearing_deg,
            river_row,
            park_district,
            derelict_share,
            unpopulated_share,
        }
    }

    /// Distance of the district's centre from the city centre, as a share of
    /// the planned radius.
    fn r_norm(&self, ix: i32, iy: i32) -> f64 {
        f64::from(ix).hypot(f64::from(iy)) * DISTRICT_M / self.radius_m
    }

    /// The zone of district (`ix`, `iy`).
    pub(crate) fn zone(&self, ix: i32, iy: i32) -> Zone {
        let r = self.r_norm(ix, iy);
        if (ix, iy) == (0, 0) || r < 0.15 {
            return Zone::Centre;
        }
        if r >= 0.8 {
            return Zone::Ecological;
        }
        if (ix, iy) == self.park_district {
            return Zone::CityPark;
        }
        let bearing = f64::from(iy).atan2(f64::from(ix)).to_degrees();
        let off = wrap_deg(bearing - self.industry_bearing_deg);
        let back = wrap_deg(off - 180.0);
        if (0.3..0.78).contains(&r) {
            if off.abs() <= 50.0 {
                return Zone::Industrial;
            }
            if off.abs() <= 72.0 {
                return Zone::Logistics;
            }
        }
        // A second, smaller cluster of oilfield plants across the city.
        if (0.5..0.78).contains(&r) && back.abs() <= 18.0 {
            return Zone::Industrial;
        }
        Zone::Residential
    }

    /// Generates district (`ix`, `iy`): every parcel, in a fixed order.
    pub(crate) fn district(&self, ix: i32, iy: i32) -> Vec<SynthParcel> {
        let stream = (u64::from(ix as u32) << 32) | u64::from(iy as u32);
        let mut g = Gen {
            dice: Dice::new(self.seed, stream),
            layout: self,
            ix,
            iy,
            r: self.r_norm(ix, iy),
            out: Vec::with_capacity(48),
        };
        let half = (DISTRICT_M - STREET_M) / 2.0;
        let (cx, cy) = (f64::from(ix) * DISTRICT_M, f64::from(iy) * DISTRICT_M);
        let interior = Rect::new(cx - half, cy - half, cx + half, cy + half);
        let zone = self.zone(ix, iy);
        if iy == self.river_row {
            g.river_district(zone, interior);
        } else {
            g.fill(zone, interior);
        }
        let mut parcels = g.out;
        conform(&mut parcels);
        parcels
    }
}

/// Wraps an angle into (-180, 180].
fn wrap_deg(a: f64) -> f64 {
    let w = a.rem_euclid(360.0);
    if w > 180.0 {
        w - 360.0
    } else {
        w
    }
}

/// Districts in order of distance from the centre (ties by row, then column),
/// without end. Cells are listed one annulus at a time.
pub(crate) struct Spiral {
    band: i64,
    cells: std::vec::IntoIter<(i32, i32)>,
}

impl Spiral {
    const BAND: i64 = 8;

    pub(crate) fn new() -> Spiral {
        Spiral {
            band: 0,
            cells: Vec::new().into_iter(),
        }
    }
}

impl Iterator for Spiral {
    type Item = (i32, i32);
    fn next(&mut self) -> Option<(i32, i32)> {
        loop {
            if let Some(c) = self.cells.next() {
                return Some(c);
            }
            let (lo, hi) = (self.band * Self::BAND, (self.band + 1) * Self::BAND);
            let mut cells = Vec::new();
            for iy in -hi..=hi {
                for ix in -hi..=hi {
                    let d2 = ix * ix + iy * iy;
                    if d2 >= lo * lo && d2 < hi * hi {
                        cells.push((d2, iy as i32, ix as i32));
                    }
                }
            }
            cells.sort_unstable();
            self.cells = cells
                .into_iter()
                .map(|(_, iy, ix)| (ix, iy))
                .collect::<Vec<_>>()
                .into_iter();
            self.band += 1;
        }
    }
}

/// Generation state of one district.
struct Gen<'a> {
    dice: Dice,
    layout: &'a Layout,
    ix: i32,
    iy: i32,
    /// Distance from the centre as a share of the planned radius.
    r: f64,
    out: Vec<SynthParcel>,
}
