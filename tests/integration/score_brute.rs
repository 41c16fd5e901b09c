//! The indexed scoring equals a brute-force computation (all pairs, no
//! index) for every raw value; scores are in [0, 1]; the output is the same
//! with 1 and 2 threads.

use crate::common;

use geo::{coord, polygon, Centroid, Coord, Distance, Euclidean, MultiPolygon, Polygon};
use landstock::candidates::Candidates;
use landstock::context::{Context, ContextOptions};
use landstock::score::{
    polsby_popper, Layers, OrderFreeSum, ScoreSheet, Scorer, ScoringConfig, TargetUse,
};
use landstock::stock::{distance_m, ParcelStock};
use landstock::{LandUse, Parcel, Status};

/// A fixed-seed PCG-like stream in [0, 1).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn rect(x0: f64, y0: f64, w: f64, h: f64) -> Polygon<f64> {
    polygon![(x: x0, y: y0), (x: x0 + w, y: y0), (x: x0 + w, y: y0 + h), (x: x0, y: y0 + h)]
}

/// A scatter city: one parcel per 60 m cell of a `side` × `side` grid, of
/// random class, size and facts; some with holes, some in two parts; plus
/// transit stops and facility points.
fn scatter_city(side: usize, seed: u64) -> (Vec<Parcel>, Vec<Coord<f64>>, Vec<Coord<f64>>) {
    let mut r = Rng(seed);
    let classes = [
        (LandUse::Residential, 0.30),
        (LandUse::Public, 0.06),
        (LandUse::Commercial, 0.06),
        (LandUse::Industrial, 0.16),
        (LandUse::Logistics, 0.06),
        (LandUse::Transport, 0.02),
        (LandUse::Green, 0.05),
        (LandUse::Water, 0.03),
        (LandUse::Ecological, 0.06),
        (LandUse::Vacant, 0.18),
        (LandUse::Unknown, 0.02),
    ];
    let (mut parcels, mut stops, mut facilities) = (Vec::new(), Vec::new(), Vec::new());
    for cy in 0..side {
        for cx in 0..side {
            let (x0, y0) = (cx as f64 * 60.0, cy as f64 * 60.0);
            let mut pick = r.next();
            let mut u = LandUse::Unknown;
            for &(c, p) in &classes {
                if pick < p {
                    u = c;
                    break;
                }
                pick -= p;
            }
            let w = 20.0 + r.next() * 38.0;
            let h = 20.0 + r.next() * 38.0;
            let (dx, dy) = (r.next() * (59.0 - w), r.next() * (59.0 - h));
            let shape = r.next();
            let geom = if shape < 0.1 {
                let mut p = rect(x0 + dx, y0 + dy, w, h);
                p.interiors_push(
                    rect(x0 + dx + 5.0, y0 + dy + 5.0, 8.0, 8.0)
                        .exterior()
                        .clone(),
                );
                MultiPolygon(vec![p])
            } else if shape < 0.15 {
                MultiPolygon(vec![
                    rect(x0, y0, 15.0, 15.0),
                    rect(x0 + 30.0, y0 + 30.0, 20.0, 25.0),
                ])
            } else {
                MultiPolygon(vec![rect(x0 + dx, y0 + dy, w, h)])
            };
            let mut p = Parcel::new(format!("p{}", parcels.len()), geom, u, Status::Active);
            if matches!(u, LandUse::Industrial | LandUse::Logistics) && r.next() < 0.5 {
                p.status = Status::Derelict;
            }
            if r.next() < 0.4 && u == LandUse::Residential {
                p.facts.population = Some((r.next() * 80.0).floor());
            }
            if r.next() < 0.02 {
                p.facts.population = Some(r.next() * 30.0);
            }
            p.facts.heritage = r.next() < 0.1;
            p.facts.contaminated = r.next() < 0.3;
            p.facts.floor_area_m2 = match r.next() {
                x if x < 0.3 => None,
                x if x < 0.5 => Some(0.0),
                x => Some(x * 4000.0),
            };
            p.facts.candidate_flag = r.next() < 0.03;
            parcels.push(p);
            if r.next() < 0.05 {
                stops.push(coord! { x: x0 + r.next() * 60.0, y: y0 + r.next() * 60.0 });
            }
            if r.next() < 0.04 {
                facilities.push(coord! { x: x0 + r.next() * 60.0, y: y0 + r.next() * 60.0 });
            }
        }
    }
    (parcels, stops, facilities)
}

/// Whether each residential parcel has a green parcel within 500 m, all
/// pairs (no index).
fn served_brute(stock: &ParcelStock) -> Vec<bool> {
    let n = stock.len();
    (0..n)
        .map(|j| {
            stock.get(j).land_use == LandUse::Residential
                && (0..n).any(|g| {
                    g != j
                        && stock.get(g).land_use == LandUse::Green
                        && distance_m(&stock.get(j).geometry, &stock.get(g).geometry) <= 500.0
                })
        })
        .collect()
}

/// Every raw value of SPEC §4 for parcel `i`, all pairs, no index, with the
/// default radii; in breakdown order per use (transit only when that layer
/// is given).
fn brute_raw(stock: &ParcelStock, cx: &Context, served: &[bool], i: usize) -> [Vec<f64>; 3] {
    let n = stock.len();
    let p = |j: usize| stock.get(j);
    // the candidate's distance to every parcel, measured once
    let di: Vec<f64> = (0..n)
        .map(|j| distance_m(&p(i).geometry, &p(j).geometry))
        .collect();
    let pop = cx.population();
    let is = |j: usize, us: &[LandUse]| us.contains(&p(j).land_use);
    let nearest = |us: &[LandUse]| {
        (0..n)
            .filter(|&j| j != i && is(j, us))
            .map(|j| di[j])
            .fold(f64::INFINITY, f64::min)
    };
    let count = |us: &[LandUse], r: f64| {
        (0..n)
            .filter(|&j| j != i && is(j, us) && di[j] <= r)
            .count()
    };
    let area_ha = p(i).area_ha();
    let green = [LandUse::Green];
    let mut unserved = OrderFreeSum::default();
    let mut low_density = OrderFreeSum::default();
    let mut cluster_m2 = OrderFreeSum::default();
    for j in 0..n {
        if j != i
            && p(j).land_use == LandUse::Residential
            && pop[j] > 0.0
            && di[j] <= 500.0
            && !served[j]
        {
            unserved.add(pop[j]);
        }
        if pop[j] > 0.0 && (j == i || di[j] <= 1000.0) {
            low_density.add(pop[j]);
        }
        let derelict_industry =
            is(j, &[LandUse::Industrial, LandUse::Logistics]) && p(j).status == Status::Derelict;
        if j == i || (derelict_industry && di[j] <= 200.0) {
            cluster_m2.add(p(j).area_m2());
        }
    }
    let f = &p(i).facts;
    let heritage = if f.heritage {
        1.0
    } else if f.floor_area_m2.is_some_and(|a| a <= 0.0) {
        0.3
    } else {
        0.6
    };
    let pts_dist = |pts: &[Coord<f64>]| -> Vec<f64> {
        pts.iter()
            .map(|c| Euclidean.distance(&p(i).geometry, &geo::Point(*c)))
            .collect()
    };
    let facilities = cx.facilities().map_or(0, |f| {
        pts_dist(f).into_iter().filter(|&x| x <= 1000.0).count()
    });
    // centroid distance over the 95th percentile, recomputed here
    let centroid = |j: usize| p(j).geometry.centroid().unwrap().0;
    let c = cx.centre();
    let mut dists: Vec<f64> = (0..n)
        .map(|j| (centroid(j).x - c.x).hypot(centroid(j).y - c.y))
        .collect();
    let ratio = dists[i] / {
        dists.sort_by(f64::total_cmp);
        let rank = 0.95 * (n - 1) as f64;
        let lo = rank.floor() as usize;
        let hi = (lo + 1).min(n - 1);
        dists[lo] + (rank - lo as f64) * (dists[hi] - dists[lo])
    };
    let mut cultural = vec![heritage, area_ha, ratio];
    if let Some(t) = cx.transit() {
        cultural.push(pts_dist(t).into_iter().fold(f64::INFINITY, f64::min));
    }
    cultural.push(cluster_m2.value() / 10_000.0);
    cultural.push((count(&[LandUse::Public], 1000.0) + facilities) as f64);
    [
        vec![
            unserved.value(),
            nearest(&green),
            area_ha,
            polsby_popper(p(i)),
            if f.contaminated { 0.0 } else { 1.0 },
        ],
        vec![
            nearest(&[LandUse::Water, LandUse::Ecological]),
            count(
                &[LandUse::Water, LandUse::Ecological, LandUse::Green],
                300.0,
            ) as f64,
            ratio,
            low_density.value(),
            area_ha,
        ],
        cultural,
    ]
}

fn score(stock: &ParcelStock, cx: &Context) -> ScoreSheet {
    let layers = Layers::new(stock, cx);
    let cands = Candidates::of(stock);
    Scorer::new(&ScoringConfig::default(), &layers)
        .score(&layers, cands.indices())
        .unwrap()
}

fn check_against_brute_force(stock: &ParcelStock, cx: &Context, sheet: &ScoreSheet) -> usize {
    let served = served_brute(stock);
    let mut checked = 0;
    for row in sheet.rows() {
        let brute = brute_raw(stock, cx, &served, row.index);
        for (k, u) in TargetUse::ALL.into_iter().enumerate() {
            let Some(s) = row.get(u) else { continue };
            assert!((0.0..=1.0).contains(&s.score), "{u} score {}", s.score);
            for (c, (&got, &want)) in sheet
                .use_sheet(u)
                .criteria
                .iter()
                .zip(s.raw.iter().zip(&brute[k]))
            {
                // the ratio is recomputed independently: equal to the last bits
                let same =
                    got == want || (c.unit == "ratio" && (got - want).abs() <= 1e-12 * want.abs());
                assert!(
                    same,
                    "parcel {} {u} {}: indexed {got}, brute force {want}",
                    stock.get(row.index).id,
                    c.name
                );
                checked += 1;
            }
        }
    }
    checked
}

#[test]
fn indexed_raw_values_equal_brute_force_on_a_scatter_city() {
    let (parcels, stops, facilities) = scatter_city(22, 7);
    let stock = ParcelStock::new(parcels);
    let cx = Context::new(&stock, &ContextOptions::default())
        .with_transit(stops)
        .with_facilities(facilities);
    let sheet = score(&stock, &cx);
    assert!(
        sheet.rows().len() > 100,
        "{} candidates",
        sheet.rows().len()
    );
    let n = check_against_brute_force(&stock, &cx, &sheet);
    assert!(n > 1000, "{n} raw values checked");
}

#[test]
fn the_same_scores_with_one_and_two_threads() {
    let (parcels, stops, facilities) = scatter_city(30, 11);
    let stock = ParcelStock::new(parcels);
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let cx = Context::new(&stock, &ContextOptions::default())
                .with_transit(stops.clone())
                .with_facilities(facilities.clone());
            let sheet = score(&stock, &cx);
            let reasons: Vec<String> = sheet.rows().iter().map(|r| sheet.reasons(r)).collect();
            (cx.centre(), cx.city_radius_m(), sheet, reasons)
        })
    };
    let one = run(1);
    let two = run(2);
    assert_eq!(one.0, two.0);
    assert_eq!(one.1, two.1);
    assert!(
        one.2 == two.2,
        "score sheets differ between 1 and 2 threads"
    );
    assert_eq!(one.3, two.3);
}

#[test]
fn indexed_raw_values_equal_brute_force_on_fishtown() {
    let Some(dir) = common::shared_data("fishtown scoring") else {
        return;
    };
    let cfg_path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/configs/fishtown.toml");
    let cfg = landstock::Config::load(&cfg_path).unwrap();
    let opts = landstock::ingest::IngestOptions::from_config(&cfg).unwrap();
    let got =
        landstock::ingest::read_geojson_file(&dir.join("fishtown/fishtown_parcels.geojson"), &opts)
            .unwrap_or_else(|e| panic!("{e}"));
    let stock = got.stock;
    let cx = Context::new(&stock, &ContextOptions::default());
    let sheet = score(&stock, &cx);
    // candidates among the accepted parcels (exact copies rejected at ingest):
    // 41 derelict industrial + 395 vacant
    let derelict = (0..stock.len())
        .filter(|&j| stock.get(j).status == Status::Derelict)
        .count();
    let vacant = (0..stock.len())
        .filter(|&j| stock.get(j).land_use == LandUse::Vacant)
        .count();
    eprintln!("fishtown: {derelict} derelict industrial, {vacant} vacant");
    assert_eq!(sheet.rows().len(), derelict + vacant);
    assert_eq!(sheet.rows().len(), 436);
    assert_eq!(
        sheet.use_sheet(TargetUse::Cultural).dropped[0].name,
        "transit"
    );
    let n = check_against_brute_force(&stock, &cx, &sheet);
    // 10 raw values per candidate, 5 more (cultural, transit dropped) per derelict plant
    assert_eq!(n, 436 * 10 + derelict * 5);
}

#[test]
fn indexed_raw_values_equal_brute_force_on_the_fixture_city() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let cfg = landstock::Config::load(root.join("city.toml")).unwrap();
    let opts = landstock::ingest::IngestOptions::from_config(&cfg).unwrap();
    let got = landstock::ingest::read_geojson_file(&root.join("city.geojson"), &opts)
        .unwrap_or_else(|e| panic!("{e}"));
    let crs = got.report.working_crs.clone().unwrap();
    let stock = got.stock;
    let stops =
        landstock::context::read_points_geojson_file(&root.join("city_transit.geojson"), &crs)
            .unwrap();
    let facilities =
        landstock::context::read_points_geojson_file(&root.join("city_facilities.geojson"), &crs)
            .unwrap();
    assert!(!stops.is_empty() && !facilities.is_empty());
    let cx = Context::new(&stock, &ContextOptions::default())
        .with_transit(stops)
        .with_facilities(facilities);
    let sheet = score(&stock, &cx);
    assert!(sheet.use_sheet(TargetUse::Cultural).dropped.is_empty());
    let cultural = sheet.rows().iter().filter(|r| r.cultural.is_some()).count();
    assert!(cultural > 0 && cultural < sheet.rows().len());
    let n = check_against_brute_force(&stock, &cx, &sheet);
    assert_eq!(n, sheet.rows().len() * 10 + cultural * 6);
}
