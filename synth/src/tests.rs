//! Tests of the parent module.
use super::*;
use geo::{
    Area, BooleanOps, BoundingRect, Coord, Distance, Euclidean, LineString, MultiPolygon, Polygon,
    Validation, Winding,
};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

fn default_bytes() -> (Vec<u8>, CitySummary) {
    let mut out = Vec::new();
    let s = write_parcels_geojson(&CityParams::default(), &mut out).unwrap();
    (out, s)
}

/// The default city's parcels in local metres, as geo geometries.
fn metric_parcels(params: &CityParams) -> Vec<(SynthParcel, MultiPolygon)> {
    let city = City::new(params).unwrap();
    city.parcels()
        .map(|p| {
            let mp = MultiPolygon::new(
                p.parts
                    .iter()
                    .map(|q| {
                        let ring = |r: &Vec<Pt>| {
                            LineString::from(r.iter().map(|v| (v[0], v[1])).collect::<Vec<_>>())
                        };
                        Polygon::new(ring(&q.exterior), q.holes.iter().map(ring).collect())
                    })
                    .collect(),
            );
            (p, mp)
        })
        .collect()
}

fn envelope_tree(geoms: &[&MultiPolygon]) -> RTree<GeomWithData<Rectangle<[f64; 2]>, usize>> {
    RTree::bulk_load(
        geoms
            .iter()
            .enumerate()
            .map(|(i, g)| {
                let r = g.bounding_rect().unwrap();
                let (a, b): (Coord, Coord) = (r.min(), r.max());
                GeomWithData::new(Rectangle::from_corners([a.x, a.y], [b.x, b.y]), i)
            })
            .collect(),
    )
}

#[test]
fn same_params_same_bytes_other_seed_other_bytes() {
    let (a, _) = default_bytes();
    let (b, _) = default_bytes();
    assert!(a == b, "two runs must be byte-identical");
    let mut other = Vec::new();
    let params = CityParams {
        seed: 1960,
        ..CityParams::default()
    };
    write_parcels_geojson(&params, &mut other).unwrap();
    assert!(a != other, "a different seed must give a different city");
    let (mut t1, mut t2, mut f1, mut f2) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    write_transit_geojson(&CityParams::default(), &mut t1).unwrap();
    write_transit_geojson(&CityParams::default(), &mut t2).unwrap();
    write_facilities_geojson(&CityParams::default(), &mut f1).unwrap();
    write_facilities_geojson(&CityParams::default(), &mut f2).unwrap();
    assert!(t1 == t2 && f1 == f2);
}

#[test]
fn writes_exactly_the_requested_number_of_parcels() {
    for n in [0, 1, 17, 1234, 10_000] {
        let mut out = Vec::new();
        let s = write_parcels_geojson(&CityParams::with_parcels(n), &mut out).unwrap();
        let fc: geojson::FeatureCollection = std::str::from_utf8(&out).unwrap().parse().unwrap();
        assert_eq!((s.n_parcels, fc.features.len()), (n, n));
        assert_eq!(s.bytes, out.len() as u64);
    }
}

#[test]
fn ids_are_unique_and_sort_bytewise_in_numeric_order() {
    let (out, _) = default_bytes();
    let fc: geojson::FeatureCollection = std::str::from_utf8(&out).unwrap().parse().unwrap();
    let ids: Vec<String> = fc
        .features
        .iter()
        .map(|f| match &f.id {
            Some(geojson::feature::Id::String(s)) => s.clone(),
            other => panic!("string id expected, got {other:?}"),
        })
        .collect();
    assert_eq!(ids[0], "P0000000");
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(id_width(10_000_001), 8);
}

#[test]
fn every_polygon_is_valid_closed_and_wound_per_rfc7946() {
    let (out, s) = default_bytes();
    let fc: geojson::FeatureCollection = std::str::from_utf8(&out).unwrap().parse().unwrap();
    let mut polygons = 0;
    for f in &fc.features {
        let geom: geo::Geometry = f.geometry.clone().unwrap().try_into().unwrap();
        let polys = match geom {
            geo::Geometry::Polygon(p) => vec![p],
            geo::Geometry::MultiPolygon(mp) => {
                assert!(mp.is_valid(), "{:?}", f.id);
                mp.0
            }
            other => panic!("unexpected geometry {other:?}"),
        };
        for p in polys {
            assert!(p.is_valid(), "{:?}: {:?}", f.id, p.validation_errors());
            assert!(
                p.exterior().is_closed() && p.exterior().is_ccw(),
                "{:?}",
                f.id
            );
            assert!(p.interiors().iter().all(|h| h.is_closed() && h.is_cw()));
            let (lon, lat) = p.exterior().0[0].x_y();
            assert!((124.0..126.0).contains(&lon) && (46.0..47.2).contains(&lat));
            polygons += 1;
        }
    }
    assert!(polygons > s.n_parcels, "some parcels have two parts");
    assert!(s.multipolygons >= 1 && s.with_holes >= 1);
}

#[test]
fn coordinates_have_seven_decimals() {
    let mut buf = Vec::new();
    write_fixed7(&mut buf, 125.0);
    buf.push(b' ');
    write_fixed7(&mut buf, -0.00000004);
    buf.push(b' ');
    write_fixed7(&mut buf, -73.123456789);
    assert_eq!(
        String::from_utf8(buf).unwrap(),
        "125.0000000 0.0000000 -73.1234568"
    );
}

#[test]
fn no_two_parcels_overlap() {
    let parcels = metric_parcels(&CityParams::default());
    let geoms: Vec<&MultiPolygon> = parcels.iter().map(|p| &p.1).collect();
    let tree = envelope_tree(&geoms);
    let mut pairs = 0;
    for (i, g) in geoms.iter().enumerate() {
        let r = g.bounding_rect().unwrap();
        let env = AABB::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]);
        for other in tree.locate_in_envelope_intersecting(&env) {
            let j = other.data;
            if j <= i {
                continue;
            }
            pairs += 1;
            let overlap_m2 = g.intersection(geoms[j]).unsigned_area();
            assert!(
                overlap_m2 < 1e-6,
                "parcels {i} and {j} overlap by {overlap_m2} m²"
            );
        }
    }
    assert!(pairs > 1000, "neighbours were compared ({pairs} pairs)");
    let area: f64 = geoms.iter().map(|g| g.unsigned_area()).sum();
    let summary = write_parcels_geojson(&CityParams::default(), io::sink()).unwrap();
    assert!((area - summary.total_area_m2).abs() < 1.0);
}

#[test]
fn derelict_share_of_plants_is_in_range() {
    for params in [CityParams::default(), CityParams::with_parcels(10_000)] {
        let s = write_parcels_geojson(&params, io::sink()).unwrap();
        let share = s.derelict_industrial_share();
        assert!(
            (0.30..=0.40).contains(&share),
            "{share} for {}",
            params.n_parcels
        );
    }
}

#[test]
fn the_default_city_exercises_every_fact() {
    let (_, s) = default_bytes();
    let count = |code: &str| {
        s.by_gb_code
            .iter()
            .filter(|(c, _)| c.is_some_and(|c| c.starts_with(code)))
            .map(|(_, t)| t.parcels)
            .sum::<usize>()
    };
    for code in [
        "R", "A", "B", "M", "W", "S", "U", "G", "E1", "E2", "E9", "H",
    ] {
        assert!(count(code) > 0, "no {code} parcel");
    }
    assert!(
        s.by_gb_code.contains_key(&None),
        "some vacant lots have a null gb_code"
    );
    assert!(
        s.by_gb_code[&Some("W1")].derelict > 0,
        "derelict warehouses"
    );
    assert!(s.vacant >= 30 && s.heritage >= 3 && s.contaminated >= 10);
    assert!(s.residential_without_population > 0 && s.population > 100_000);
    assert!(s.with_land_value > 100 && s.named >= 10);
    let plants = metric_parcels(&CityParams::default());
    let areas_ha: Vec<f64> = plants
        .iter()
        .filter(|p| p.0.gb_code.is_some_and(|c| c.starts_with('M')))
        .map(|p| p.0.area_m2() / 1e4)
        .collect();
    let max = areas_ha.iter().cloned().fold(0.0, f64::max);
    let min = areas_ha.iter().cloned().fold(f64::MAX, f64::min);
    assert!(min >= 0.45 && max <= 60.0, "plants from {min} to {max} ha");
    assert!(
        areas_ha.iter().filter(|&&a| a >= 15.0).count() >= 2,
        "a few large plants"
    );
    let l_shapes = plants
        .iter()
        .filter(|p| p.0.parts.len() == 1 && p.0.parts[0].holes.is_empty())
        .filter(|p| {
            let r = p.1.bounding_rect().unwrap();
            p.1.unsigned_area() < r.width() * r.height() - 1.0
        })
        .count();
    assert!(l_shapes >= 1, "some non-rectangular parcels");
}

#[test]
fn some_housing_has_no_green_within_500_m() {
    let parcels = metric_parcels(&CityParams::default());
    let green: Vec<&MultiPolygon> = parcels
        .iter()
        .filter(|p| p.0.gb_code.is_some_and(|c| c.starts_with('G')))
        .map(|p| &p.1)
        .collect();
    let tree = envelope_tree(&green);
    let unserved = parcels
        .iter()
        .filter(|p| p.0.gb_code.is_some_and(|c| c.starts_with('R')))
        .filter(|p| {
            let r = p.1.bounding_rect().unwrap();
            let env = AABB::from_corners(
                [r.min().x - 500.0, r.min().y - 500.0],
                [r.max().x + 500.0, r.max().y + 500.0],
            );
            tree.locate_in_envelope_intersecting(&env)
                .all(|g| Euclidean.distance(&p.1, green[g.data]) > 500.0)
        })
        .count();
    let housing = parcels
        .iter()
        .filter(|p| p.0.gb_code.is_some_and(|c| c.starts_with('R')))
        .count();
    assert!(
        unserved > 0 && unserved < housing,
        "{unserved} of {housing} housing parcels lack a park within 500 m"
    );
}

#[test]
fn point_layers_lie_in_the_city() {
    let mut out = Vec::new();
    let n = write_transit_geojson(&CityParams::default(), &mut out).unwrap();
    let fc: geojson::FeatureCollection = std::str::from_utf8(&out).unwrap().parse().unwrap();
    assert_eq!(fc.features.len(), n);
    assert!(fc.features.iter().all(|f| f.property("name").is_some()));
    let mut out = Vec::new();
    let n = write_facilities_geojson(&CityParams::default(), &mut out).unwrap();
    let fc: geojson::FeatureCollection = std::str::from_utf8(&out).unwrap().parse().unwrap();
    assert_eq!(fc.features.len(), n);
    let kinds: std::collections::BTreeSet<_> = fc
        .features
        .iter()
        .map(|f| f.property("kind").unwrap().as_str().unwrap().to_string())
        .collect();
    for kind in ["museum", "library", "school"] {
        assert!(kinds.contains(kind), "{kind} missing from {kinds:?}");
    }
}

#[test]
fn out_of_range_params_are_refused_with_the_reason() {
    let params = CityParams {
        centre_lat_deg: -33.9,
        ..CityParams::default()
    };
    let err = write_parcels_geojson(&params, io::sink()).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    assert!(err.to_string().contains("centre_lat_deg=-33.9"));
}
