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

impl Gen<'_> {
    fn fill(&mut self, zone: Zone, rect: Rect) {
        match zone {
            Zone::Centre => self.sub_blocks(rect, Gen::centre_block),
            Zone::Residential => {
                let n = sub_block_grid(rect).len();
                let park = self.dice.chance(0.3).then(|| self.dice.int(0, n - 1));
                let school = self.dice.chance(0.5).then(|| self.dice.int(0, n - 1));
                let mut k = 0;
                self.sub_blocks(rect, |g, b| {
                    if Some(k) == park {
                        g.park(b, "G1");
                    } else if Some(k) == school {
                        g.school(b);
                    } else {
                        g.residential_block(b);
                    }
                    k += 1;
                });
            }
            Zone::CityPark => self.lake_park(rect),
            Zone::Industrial => self.industrial(rect),
            Zone::Logistics => self.logistics(rect),
            Zone::Ecological => self.ecological(rect),
        }
    }

    /// Cuts `rect` into a grid of sub-blocks separated by lanes and fills each.
    fn sub_blocks(&mut self, rect: Rect, mut each: impl FnMut(&mut Self, Rect)) {
        for b in sub_block_grid(rect) {
            each(self, b);
        }
    }

    /// A river district: the zone's use on either side, banks and water between.
    fn river_district(&mut self, zone: Zone, rect: Rect) {
        let water_m = 2.0 * self.dice.int(35, 65) as f64;
        let bank_m = (170.0 - water_m) / 2.0;
        let (lo, hi) = (rect.y0 + 300.0, rect.y1 - 300.0);
        let side = if zone == Zone::CityPark {
            Zone::Residential
        } else {
            zone
        };
        self.fill(side, Rect::new(rect.x0, rect.y0, rect.x1, lo));
        let bank = match zone {
            Zone::Ecological => "E9",
            Zone::Industrial | Zone::Logistics => "G2",
            _ => "G1",
        };
        let s = Rect::new(rect.x0, lo, rect.x1, lo + bank_m);
        let w = Rect::new(rect.x0, lo + bank_m, rect.x1, hi - bank_m);
        let n = Rect::new(rect.x0, hi - bank_m, rect.x1, hi);
        self.out.push(SynthParcel::at(bank, s));
        let mut river = SynthParcel::at("E1", w);
        if self.ix == 0 {
            river.name = Some(RIVER_NAME.to_string());
        }
        self.out.push(river);
        self.out.push(SynthParcel::at(bank, n));
        self.fill(side, Rect::new(rect.x0, hi, rect.x1, rect.y1));
    }

    fn centre_block(&mut self, b: Rect) {
        // District (0, 0) holds the civic core: its sub-blocks 5, 6, 9 and 10
        // are the square, the government and the two big cultural buildings.
        let k = self.out.len();
        if (self.ix, self.iy) == (0, 0) {
            let slot = centre_sub_block_index(b);
            let civic: Option<(&str, &str, Option<&str>)> = match slot {
                5 => Some(("G3", "世纪广场", None)),
                6 => Some(("A1", "市人民政府", None)),
                9 => Some(("A2", "大庆博物馆", Some("museum"))),
                10 => Some(("A2", "大庆市图书馆", Some("library"))),
                2 => Some((
                    "A2",
                    "工人文化宫 \"Red Star\" Workers' Club",
                    Some("cultural_centre"),
                )),
                13 => Some(("S3", "大庆站", None)),
                _ => None,
            };
            if let Some((code, name, kind)) = civic {
                let mut p = SynthParcel::at(code, b);
                p.name = Some(name.to_string());
                p.land_value = Some(self.dice.int(3000, 5000) as u32);
                if let Some(kind) = kind {
                    p.facility = Some(Facility {
                        at: b.centre(),
                        name: name.to_string(),
                        kind,
                    });
                }
                self.out.push(p);
                return;
            }
        }
        let kind = self.dice.weighted(&[
            ("B", 0.55),
            ("R", 0.2),
            ("A", 0.15),
            ("V", 0.05),
            ("G", 0.05),
        ]);
        match kind {
            "R" => self.residential_block(b),
            "V" => self.vacant_lots(b),
            "G" => self.park(b, "G1"),
            "A" => {
                let code = self.dice.pick(&["A2", "A5", "A1"]);
                let mut p = SynthParcel::at(code, b);
                if code == "A2" {
                    let kind = self.dice.pick(&["theatre", "gallery", "library"]);
                    p.facility = Some(Facility {
                        at: b.centre(),
                        name: format!(
                            "{}{}",
                            self.dice.pick(&ROAD_NAMES),
                            match kind {
                                "theatre" => "剧院",
                                "gallery" => "美术馆",
                                _ => "图书馆",
                            }
                        ),
                        kind,
                    });
                }
                self.out.push(p);
            }
            _ => {
                let n = self.dice.int(1, 3);
                for r in self.split_count(b, n) {
                    let code = self.dice.weighted(&[("B1", 0.6), ("B2", 0.4)]);
                    let mut p = SynthParcel::at(code, r);
                    if self.dice.chance(0.7) {
                        p.land_value = Some(self.dice.range(2500.0, 5500.0) as u32);
                    }
                    self.out.push(p);
                }
            }
        }
        debug_assert!(self.out.len() > k);
    }

    fn residential_block(&mut self, b: Rect) {
        let fringe = self.r > 0.62;
        let u = self.dice.unit();
        let vacant_p = if fringe { 0.12 } else { 0.05 };
        if u < vacant_p {
            return self.vacant_lots(b);
        }
        let u = u - vacant_p;
        if u < 0.04 {
            let n = self.dice.int(1, 2);
            for r in self.split_count(b, n) {
                let mut p = SynthParcel::at("B1", r);
                p.land_value = self
                    .dice
                    .chance(0.5)
                    .then(|| self.dice.range(1500.0, 3500.0) as u32);
                self.out.push(p);
            }
            return;
        }
        if u < 0.07 {
            let code = self.dice.pick(&["U1", "U1", "U2"]);
            return self.out.push(SynthParcel::at(code, b));
        }
        if u < 0.09 {
            return self.out.push(SynthParcel::at("S4", b));
        }
        if u < 0.10 {
            return self.out.push(SynthParcel::at("A5", b));
        }
        if fringe && u < 0.16 {
            return self.out.push(SynthParcel::at("E2", b));
        }
        if !fringe && self.r > 0.35 && u < 0.11 {
            let mut p = SynthParcel::at("A3", b);
            p.facility = Some(Facility {
                at: b.centre(),
                name: format!("{}大学", self.dice.pick(&ROAD_NAMES)),
                kind: "university",
            });
            return self.out.push(p);
        }
        // Housing compounds; now and then an L-shaped one around a corner lot.
        if self.dice.chance(0.05) {
            let (l, corner) = self.l_shape(b);
            let housing = self.housing(SynthParcel::new("R2", vec![l]));
            self.out.push(housing);
            let mut c = SynthParcel::at("B1", corner);
            if self.dice.chance(0.5) {
                c = vacant(corner, self.dice.chance(0.3));
            }
            self.out.push(c);
            return;
        }
        let n = self
            .dice
            .weighted(&[(1, 0.25), (2, 0.35), (3, 0.25), (4, 0.15)]);
        for r in self.split_count(b, n) {
            if self.dice.chance(0.04) {
                let h = self.dice.chance(0.3);
                self.out.push(vacant(r, h));
            } else {
                let code = if fringe {
                    self.dice
                        .weighted(&[("R2", 0.6), ("R1", 0.25), ("R3", 0.15)])
                } else {
                    self.dice
                        .weighted(&[("R2", 0.85), ("R3", 0.12), ("R1", 0.03)])
                };
                let p = self.housing(SynthParcel::at(code, r));
                self.out.push(p);
            }
        }
    }

    /// Adds population (most parcels) and a land value (some) to housing.
    fn housing(&mut self, mut p: SynthParcel) -> SynthParcel {
        if !self.dice.chance(self.layout.unpopulated_share) {
            // Dense towers near the centre, thinner towards the edge:
            // 0.01–0.04 residents per m².
            let density =
                (0.042 - 0.035 * self.r + self.dice.range(-0.004, 0.004)).clamp(0.01, 0.04);
            p.population = Some((p.area_m2() * density).round() as u64);
        }
        if self.dice.chance(0.3) {
            p.land_value = Some((self.dice.range(1200.0, 3200.0) * (1.2 - 0.5 * self.r)) as u32);
        }
        p
    }

    fn vacant_lots(&mut self, b: Rect) {
        let n = self.dice.int(1, 4);
        for r in self.split_count(b, n) {
            let h = self.dice.chance(0.3);
            let mut p = vacant(r, h);
            if self.dice.chance(0.5) {
                p.land_value = Some((self.dice.range(400.0, 1500.0) * (1.2 - 0.6 * self.r)) as u32);
            }
            self.out.push(p);
        }
    }

    fn park(&mut self, b: Rect, code: &'static str) {
        let mut p = SynthParcel::at(code, b);
        if self.dice.chance(0.15) {
            p.name = Some(self.dice.pick(&PARK_NAMES[1..]).to_string());
        }
        self.out.push(p);
    }

    fn school(&mut self, b: Rect) {
        let mut p = SynthParcel::at("A3", b);
        p.facility = Some(Facility {
            at: b.centre(),
            name: format!("{}中学", self.dice.pick(&ROAD_NAMES)),
            kind: "school",
        });
        self.out.push(p);
    }

    /// A whole district as a park around a lake: the park is a polygon with a
    /// hole and the lake fills the hole.
    fn lake_park(&mut self, rect: Rect) {
        let lake = Rect::new(
            rect.x0 + self.dice.int(150, 250) as f64,
            rect.y0 + self.dice.int(150, 250) as f64,
            rect.x1 - self.dice.int(150, 250) as f64,
            rect.y1 - self.dice.int(150, 250) as f64,
        );
        let mut hole = Poly::rect(lake).exterior;
        hole.reverse();
        let mut park = SynthParcel::new(
            "G1",
            vec![Poly {
                exterior: Poly::rect(rect).exterior,
                holes: vec![hole],
            }],
        );
        let named = (self.ix, self.iy) == self.layout.park_district;
        let k = if named { 0 } else { self.dice.int(1, 3) };
        park.name = Some(PARK_NAMES[k].to_string());
        self.out.push(park);
        let mut water = SynthParcel::at("E1", lake);
        water.name = Some(LAKE_NAMES[k].to_string());
        self.out.push(water);
    }

    fn industrial(&mut self, rect: Rect) {
        let rect = self.protective_strip(rect);
        let whole = rect.area_ha() > 50.0 && self.dice.chance(0.04);
        let plots = if whole {
            vec![rect]
        } else {
            self.split_area(rect, 0.5, 2.0)
        };
        let first = self.out.len();
        for r in plots {
            let u = self.dice.unit();
            if u < 0.05 {
                let h = self.dice.chance(0.3);
                let mut p = vacant(r, h);
                p.contaminated = self.dice.chance(0.2);
                self.out.push(p);
            } else if u < 0.09 {
                self.out.push(SynthParcel::at("U1", r));
            } else if u < 0.11 {
                self.out.push(SynthParcel::at("S4", r));
            } else {
                let code = self.dice.weighted(&[("M1", 0.3), ("M2", 0.4), ("M3", 0.3)]);
                // Now and then a plant is split by a works road: one parcel
                // in two parts.
                let parts = if r.w() >= 140.0 && self.dice.chance(0.03) {
                    let mid = (r.x0 + r.w() / 2.0).round();
                    vec![
                        Poly::rect(Rect::new(r.x0, r.y0, mid - 6.0, r.y1)),
                        Poly::rect(Rect::new(mid + 6.0, r.y0, r.x1, r.y1)),
                    ]
                } else {
                    vec![Poly::rect(r)]
                };
                self.out.push(SynthParcel::new(code, parts));
            }
        }
        self.works(first, self.layout.derelict_share, true);
    }

    fn logistics(&mut self, rect: Rect) {
        let first = self.out.len();
        for r in self.split_area(rect, 0.5, 1.2) {
            let u = self.dice.unit();
            if u < 0.05 {
                self.out.push(vacant(r, false));
            } else if u < 0.15 {
                self.out.push(SynthParcel::at("S4", r));
            } else {
                let code = self.dice.weighted(&[("W1", 0.7), ("W2", 0.3)]);
                self.out.push(SynthParcel::at(code, r));
            }
        }
        self.works(first, self.layout.derelict_share * 0.85, false);
    }

    /// Status and facts of the plants and warehouses pushed since `first`.
    ///
    /// The number of derelict works per district is the district's rate
    /// rounded at random (not one coin per plant), which keeps the city-wide
    /// share close to the requested one even for small cities.
    fn works(&mut self, first: usize, share: f64, heritage: bool) {
        let works: Vec<usize> = (first..self.out.len())
            .filter(|&i| matches!(self.out[i].gb_code, Some(c) if c.starts_with('M') || c.starts_with('W')))
            .collect();
        let rate = (share + self.dice.range(-0.08, 0.08)).clamp(0.0, 1.0);
        let want = works.len() as f64 * rate;
        let n_derelict = (want.floor() + f64::from(self.dice.chance(want.fract()))) as usize;
        let mut order = works.clone();
        for i in 0..order.len() {
            let j = self.dice.int(i, order.len() - 1);
            order.swap(i, j);
        }
        for (k, &i) in order.iter().enumerate() {
            let derelict = k < n_derelict;
            let area = self.out[i].area_m2();
            let m3 = self.out[i].gb_code == Some("M3");
            let d = &mut self.dice;
            let p = &mut self.out[i];
            p.status = Some(if derelict {
                Status::Derelict
            } else {
                Status::Active
            });
            let far = if derelict {
                d.range(0.2, 0.9)
            } else {
                d.range(0.3, 1.2)
            };
            let cleared = if derelict { 0.25 } else { 0.02 };
            p.floor_area_m2 = if d.chance(0.15) {
                None
            } else if d.chance(cleared) {
                Some(0)
            } else {
                Some((area * far).round() as u64)
            };
            let contaminated = match (derelict, m3) {
                (true, true) => 0.45,
                (true, false) => 0.2,
                (false, _) => 0.06,
            };
            p.contaminated = d.chance(contaminated);
            if d.chance(0.6) {
                p.land_value = Some((d.range(250.0, 900.0) * (1.3 - 0.6 * self.r)) as u32);
            }
        }
        if heritage && !works.is_empty() && self.dice.chance(0.3) {
            let derelict: Vec<usize> = order[..n_derelict].to_vec();
            let i = if derelict.is_empty() {
                self.dice.pick(&works)
            } else {
                self.dice.pick(&derelict)
            };
            let name = self.dice.pick(&FACTORY_NAMES);
            let area = self.out[i].area_m2();
            let p = &mut self.out[i];
            p.heritage = true;
            p.name = Some(name.to_string());
            if matches!(p.floor_area_m2, Some(0) | None) {
                p.floor_area_m2 = Some((area * 0.6).round() as u64);
            }
            p.facility = (p.status == Some(Status::Derelict)).then(|| Facility {
                at: rect_centre(&p.parts[0]),
                name: format!("{name}旧址"),
                kind: "heritage_site",
            });
        }
    }

    /// With some chance, a 40 m protective green strip (G2) on the side of an
    /// industrial district facing the city; returns what is left.
    fn protective_strip(&mut self, rect: Rect) -> Rect {
        if rect.w() < 300.0 || rect.h() < 250.0 || !self.dice.chance(0.6) {
            return rect;
        }
        let (ix, iy) = (self.ix, self.iy);
        let (strip, rest) = if ix.abs() >= iy.abs() {
            if ix > 0 {
                (
                    Rect::new(rect.x0, rect.y0, rect.x0 + 40.0, rect.y1),
                    Rect::new(rect.x0 + 40.0, rect.y0, rect.x1, rect.y1),
                )
            } else {
                (
                    Rect::new(rect.x1 - 40.0, rect.y0, rect.x1, rect.y1),
                    Rect::new(rect.x0, rect.y0, rect.x1 - 40.0, rect.y1),
                )
            }
        } else if iy > 0 {
            (
                Rect::new(rect.x0, rect.y0, rect.x1, rect.y0 + 40.0),
                Rect::new(rect.x0, rect.y0 + 40.0, rect.x1, rect.y1),
            )
        } else {
            (
                Rect::new(rect.x0, rect.y1 - 40.0, rect.x1, rect.y1),
                Rect::new(rect.x0, rect.y0, rect.x1, rect.y1 - 40.0),
            )
        };
        self.out.push(SynthParcel::at("G2", strip));
        rest
    }

    fn ecological(&mut self, rect: Rect) {
        match self
            .dice
            .weighted(&[("farm", 0.5), ("forest", 0.25), ("wetland", 0.25)])
        {
            "farm" => {
                let n = self.dice.int(3, 8);
                for r in self.split_count(rect, n) {
                    self.out.push(SynthParcel::at("E2", r));
                }
            }
            "forest" => {
                let n = self.dice.int(1, 3);
                for r in self.split_count(rect, n) {
                    self.out.push(SynthParcel::at("E2", r));
                }
            }
            _ => {
                if self.dice.chance(0.5) {
                    // A pond in the marsh: the wetland has a hole the pond fills.
                    let pond = Rect::new(
                        rect.x0 + self.dice.int(100, 300) as f64,
                        rect.y0 + self.dice.int(100, 300) as f64,
                        rect.x1 - self.dice.int(100, 300) as f64,
                        rect.y1 - self.dice.int(100, 300) as f64,
                    );
                    let mut hole = Poly::rect(pond).exterior;
                    hole.reverse();
                    self.out.push(SynthParcel::new(
                        "E9",
                        vec![Poly {
                            exterior: Poly::rect(rect).exterior,
                            holes: vec![hole],
                        }],
                    ));
                    self.out.push(SynthParcel::at("E1", pond));
                } else {
                    let n = self.dice.int(1, 2);
                    for r in self.split_count(rect, n) {
                        self.out.push(SynthParcel::at("E9", r));
                    }
                }
            }
        }
    }

    /// Splits `b` into an L-shaped polygon and the rectangle in its top-right
    /// corner.
    fn l_shape(&mut self, b: Rect) -> (Poly, Rect) {
        let cx = (b.x0 + b.w() * self.dice.range(0.55, 0.7)).round();
        let cy = (b.y0 + b.h() * self.dice.range(0.55, 0.7)).round();
        let l = Poly {
            exterior: vec![
                [b.x0, b.y0],
                [b.x1, b.y0],
                [b.x1, cy],
                [cx, cy],
                [cx, b.y1],
                [b.x0, b.y1],
            ],
            holes: Vec::new(),
        };
        (l, Rect::new(cx, cy, b.x1, b.y1))
    }

    /// Cuts `r` into `n` rectangles by guillotine cuts at whole metres.
    fn split_count(&mut self, r: Rect, n: usize) -> Vec<Rect> {
        let mut out = Vec::with_capacity(n);
        self.split_count_into(r, n, &mut out);
        out
    }

    fn split_count_into(&mut self, r: Rect, n: usize, out: &mut Vec<Rect>) {
        if n <= 1 || r.w().max(r.h()) < 60.0 {
            out.push(r);
            return;
        }
        let k = n / 2;
        let f = (k as f64 / n as f64 + self.dice.range(-0.08, 0.08)).clamp(0.15, 0.85);
        let (a, b) = cut(r, f);
        self.split_count_into(a, k, out);
        self.split_count_into(b, n - k, out);
    }

    /// Cuts `r` into plots by guillotine cuts until they are small enough:
    /// a plot of `a` hectares stops with probability (`stop_ha` / a)^0.8, and
    /// always when it could not give two plots of `min_ha`.
    fn split_area(&mut self, r: Rect, min_ha: f64, stop_ha: f64) -> Vec<Rect> {
        let mut out = Vec::new();
        let mut stack = vec![r];
        while let Some(r) = stack.pop() {
            let a = r.area_ha();
            let stop = (stop_ha / a).min(1.0).powf(0.8);
            if a < 2.0 * min_ha + 0.2 || r.w().max(r.h()) < 140.0 || self.dice.chance(stop) {
                out.push(r);
                continue;
            }
            let (p, q) = cut(r, self.dice.range(0.3, 0.7));
            stack.push(q);
            stack.push(p);
        }
        out
    }
}

/// Cuts `r` across its longer side at fraction `f`, rounded to whole metres.
fn cut(r: Rect, f: f64) -> (Rect, Rect) {
    if r.w() >= r.h() {
        let x = (r.x0 + r.w() * f).round();
        (
            Rect::new(r.x0, r.y0, x, r.y1),
            Rect::new(x, r.y0, r.x1, r.y1),
        )
    } else {
        let y = (r.y0 + r.h() * f).round();
        (
            Rect::new(r.x0, r.y0, r.x1, y),
            Rect::new(r.x0, y, r.x1, r.y1),
        )
    }
}

/// A vacant lot: no status, `gb_code` null or (with `h_code`) "H9".
fn vacant(r: Rect, h_code: bool) -> SynthParcel {
    let mut p = SynthParcel::at("H9", r);
    p.gb_code = h_code.then_some("H9");
    p.status = None;
    p.vacant = true;
    p
}

fn rect_centre(p: &Poly) -> Pt {
    let (mut lo, mut hi) = ([f64::MAX; 2], [f64::MIN; 2]);
    for v in &p.exterior {
        for k in 0..2 {
            lo[k] = lo[k].min(v[k]);
            hi[k] = hi[k].max(v[k]);
        }
    }
    [(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0]
}

/// The sub-blocks of `rect`: a grid of roughly 195 m cells with 16 m lanes,
/// in row-major order from the south-west.
fn sub_block_grid(rect: Rect) -> Vec<Rect> {
    let cols = ((rect.w() + LANE_M) / (SUB_BLOCK_M)).round().max(1.0) as usize;
    let rows = ((rect.h() + LANE_M) / (SUB_BLOCK_M)).round().max(1.0) as usize;
    let edges = |lo: f64, hi: f64, n: usize| -> Vec<(f64, f64)> {
        let cell = (hi - lo - LANE_M * (n - 1) as f64) / n as f64;
        (0..n)
            .map(|i| {
                let a = (lo + i as f64 * (cell + LANE_M)).round();
                let b = if i + 1 == n {
                    hi
                } else {
                    (lo + i as f64 * (cell + LANE_M) + cell).round()
                };
                (a, b)
            })
            .collect()
    };
    let xs = edges(rect.x0, rect.x1, cols);
    let ys = edges(rect.y0, rect.y1, rows);
    let mut out = Vec::with_capacity(cols * rows);
    for &(y0, y1) in &ys {
        for &(x0, x1) in &xs {
            out.push(Rect::new(x0, y0, x1, y1));
        }
    }
    out
}

/// The index of sub-block `b` in the grid of the centre district.
fn centre_sub_block_index(b: Rect) -> usize {
    let half = (DISTRICT_M - STREET_M) / 2.0;
    let grid = sub_block_grid(Rect::new(-half, -half, half, half));
    grid.iter().position(|g| *g == b).unwrap_or(usize::MAX)
}

/// Makes the district's tiling conforming: every vertex that lies inside
/// another parcel's edge is inserted into that edge, so that neighbours share
/// whole segments (no T-junctions). After projection and rounding, shared
/// boundaries then stay exactly shared. All edges are axis-parallel.
fn conform(parcels: &mut [SynthParcel]) {
    let mut by_y: Vec<Pt> = parcels
        .iter()
        .flat_map(|p| p.parts.iter())
        .flat_map(|poly| std::iter::once(&poly.exterior).chain(poly.holes.iter()))
        .flatten()
        .copied()
        .collect();
    let mut by_x = by_y.clone();
    by_y.sort_unstable_by(|a, b| (a[1], a[0]).partial_cmp(&(b[1], b[0])).expect("finite"));
    by_y.dedup();
    by_x.sort_unstable_by(|a, b| (a[0], a[1]).partial_cmp(&(b[0], b[1])).expect("finite"));
    by_x.dedup();
    let mut ring_out: Vec<Pt> = Vec::new();
    for poly in parcels.iter_mut().flat_map(|p| p.parts.iter_mut()) {
        for ring in std::iter::once(&mut poly.exterior).chain(poly.holes.iter_mut()) {
            ring_out.clear();
            let n = ring.len();
            for i in 0..n {
                let (p, q) = (ring[i], ring[(i + 1) % n]);
                ring_out.push(p);
                // Horizontal edge: look up vertices on the same y; vertical: same x.
                let (sorted, along, across) = if p[1] == q[1] {
                    (&by_y, 0, 1)
                } else {
                    (&by_x, 1, 0)
                };
                let (lo, hi) = (p[along].min(q[along]), p[along].max(q[along]));
                let start = sorted.partition_point(|v| (v[across], v[along]) <= (p[across], lo));
                let end = sorted.partition_point(|v| (v[across], v[along]) < (p[across], hi));
                if start < end {
                    if p[along] < q[along] {
                        ring_out.extend_from_slice(&sorted[start..end]);
                    } else {
                        ring_out.extend(sorted[start..end].iter().rev());
                    }
                }
            }
            if ring_out.len() != n {
                ring.clone_from(&ring_out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conform_inserts_t_junction_vertices() {
        // One wide parcel below two narrow ones: the wide one's top edge gets
        // the narrow ones' shared corner.
        let mut ps = vec![
            SynthParcel::at("R2", Rect::new(0.0, 0.0, 10.0, 5.0)),
            SynthParcel::at("R2", Rect::new(0.0, 5.0, 4.0, 9.0)),
            SynthParcel::at("R2", Rect::new(4.0, 5.0, 10.0, 9.0)),
        ];
        conform(&mut ps);
        assert_eq!(
            ps[0].parts[0].exterior,
            vec![[0.0, 0.0], [10.0, 0.0], [10.0, 5.0], [4.0, 5.0], [0.0, 5.0]]
        );
        assert_eq!(ps[1].parts[0].exterior.len(), 4);
        assert_eq!(ps[0].area_m2(), 50.0);
    }

    #[test]
    fn spiral_starts_at_centre_and_grows() {
        let cells: Vec<_> = Spiral::new().take(200).collect();
        assert_eq!(cells[0], (0, 0));
        let d2 = |c: &(i32, i32)| c.0 * c.0 + c.1 * c.1;
        assert!(cells.windows(2).all(|w| d2(&w[0]) <= d2(&w[1])));
        let mut sorted = cells.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), cells.len(), "no district twice");
    }

    #[test]
    fn sub_blocks_leave_lanes() {
        let g = sub_block_grid(Rect::new(0.0, 0.0, 770.0, 770.0));
        assert_eq!(g.len(), 16);
        assert_eq!(g[1].x0 - g[0].x1, 16.0);
        assert_eq!(g[15].x1, 770.0);
    }
}
