//! The districts of homes, the centre, parks, schools and the lake park.

use super::*;

impl Gen<'_> {
    pub(super) fn fill(&mut self, zone: Zone, rect: Rect) {
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
    pub(super) fn sub_blocks(&mut self, rect: Rect, mut each: impl FnMut(&mut Self, Rect)) {
        for b in sub_block_grid(rect) {
            each(self, b);
        }
    }

    /// A river district: the zone's use on either side, banks and water between.
    pub(super) fn river_district(&mut self, zone: Zone, rect: Rect) {
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

    pub(super) fn centre_block(&mut self, b: Rect) {
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

    pub(super) fn residential_block(&mut self, b: Rect) {
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
    pub(super) fn housing(&mut self, mut p: SynthParcel) -> SynthParcel {
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

    pub(super) fn vacant_lots(&mut self, b: Rect) {
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

    pub(super) fn park(&mut self, b: Rect, code: &'static str) {
        let mut p = SynthParcel::at(code, b);
        if self.dice.chance(0.15) {
            p.name = Some(self.dice.pick(&PARK_NAMES[1..]).to_string());
        }
        self.out.push(p);
    }

    pub(super) fn school(&mut self, b: Rect) {
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
    pub(super) fn lake_park(&mut self, rect: Rect) {
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
}
