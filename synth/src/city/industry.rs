//! Industry, logistics, the works and their protective strips, ecological
//! land, and the cuts of a block into plants.

use super::*;

impl Gen<'_> {
    pub(super) fn industrial(&mut self, rect: Rect) {
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

    pub(super) fn logistics(&mut self, rect: Rect) {
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
    pub(super) fn works(&mut self, first: usize, share: f64, heritage: bool) {
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
    pub(super) fn protective_strip(&mut self, rect: Rect) -> Rect {
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

    pub(super) fn ecological(&mut self, rect: Rect) {
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
    pub(super) fn l_shape(&mut self, b: Rect) -> (Poly, Rect) {
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
    pub(super) fn split_count(&mut self, r: Rect, n: usize) -> Vec<Rect> {
        let mut out = Vec::with_capacity(n);
        self.split_count_into(r, n, &mut out);
        out
    }

    pub(super) fn split_count_into(&mut self, r: Rect, n: usize, out: &mut Vec<Rect>) {
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
    pub(super) fn split_area(&mut self, r: Rect, min_ha: f64, stop_ha: f64) -> Vec<Rect> {
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
