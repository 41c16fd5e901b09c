//! Polygon validity in O(n log n): the checks of geo's [`Validation`], in the
//! same order and with the same predicates, without its quadratic parts.
//!
//! geo 0.33 tests every segment of a ring against every other for
//! self-intersection and relates every pair of parts of a multipolygon, so
//! one parcel of 200,000 vertices took minutes. Here the segments of a ring
//! go into an R-tree and only segments whose boxes meet are tested, and
//! pairs of holes or parts are related only when their bounding boxes meet
//! (boxes that do not meet cannot share area or a line, so the skip is
//! exact). The answer is geo's first error, or `None` for a valid geometry.

use geo::algorithm::validation::{GeometryIndex, InvalidMultiPolygon, InvalidPolygon, RingRole};
use geo::coordinate_position::CoordPos;
use geo::dimensions::Dimensions;
use geo::{BoundingRect, Intersects, LineString, MultiPolygon, Polygon, Rect, Relate};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

type Boxed = GeomWithData<Rectangle<[f64; 2]>, usize>;

fn boxes_meet(a: Option<Rect<f64>>, b: Option<Rect<f64>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.intersects(&b),
        _ => false,
    }
}

/// Whether two segments of the ring other than neighbours meet (geo's
/// `linestring_has_self_intersection`, with an R-tree in front).
fn ring_self_intersects(ring: &LineString<f64>) -> bool {
    let lines: Vec<geo::Line<f64>> = ring.lines().collect();
    if lines.len() < 64 {
        // small rings: the plain double loop is faster than building a tree
        return lines.iter().enumerate().any(|(i, a)| {
            lines
                .iter()
                .enumerate()
                .any(|(j, b)| i != j && a.intersects(b) && a.start != b.end && a.end != b.start)
        });
    }
    let tree: RTree<Boxed> = RTree::bulk_load(
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let r = Rectangle::from_corners([l.start.x, l.start.y], [l.end.x, l.end.y]);
                GeomWithData::new(r, i)
            })
            .collect(),
    );
    lines.iter().enumerate().any(|(i, a)| {
        let env = AABB::from_corners([a.start.x, a.start.y], [a.end.x, a.end.y]);
        tree.locate_in_envelope_intersecting(&env).any(|other| {
            let j = other.data;
            let b = &lines[j];
            i != j && a.intersects(b) && a.start != b.end && a.end != b.start
        })
    })
}

fn too_few_points(ring: &LineString<f64>) -> bool {
    let mut pts = ring.0.clone();
    pts.dedup();
    pts.len() < 4
}

/// geo's polygon checks, first error only.
fn polygon_error(p: &Polygon<f64>) -> Option<InvalidPolygon> {
    if p.exterior().0.is_empty() {
        return None;
    }
    for (k, ring) in std::iter::once(p.exterior())
        .chain(p.interiors().iter())
        .enumerate()
    {
        if ring.0.is_empty() {
            continue;
        }
        let role = if k == 0 {
            RingRole::Exterior
        } else {
            RingRole::Interior(k - 1)
        };
        if too_few_points(ring) {
            return Some(InvalidPolygon::TooFewPointsInRing(role));
        }
        if ring_self_intersects(ring) {
            return Some(InvalidPolygon::SelfIntersection(role));
        }
        if let Some(c) = ring
            .0
            .iter()
            .position(|c| !(c.x.is_finite() && c.y.is_finite()))
        {
            return Some(InvalidPolygon::NonFiniteCoord(
                role,
                geo::algorithm::validation::CoordIndex(c),
            ));
        }
    }
    let holes: Vec<&LineString<f64>> = p.interiors().iter().collect();
    if holes.iter().all(|h| h.0.is_empty()) {
        return None;
    }
    let exterior = Polygon::new(p.exterior().clone(), vec![]);
    let prepared = geo::PreparedGeometry::from(&exterior);
    let hole_boxes: Vec<Option<Rect<f64>>> = holes.iter().map(|h| h.bounding_rect()).collect();
    for (i, h1) in holes.iter().enumerate() {
        if h1.0.is_empty() {
            continue;
        }
        let h1_poly = Polygon::new((*h1).clone(), vec![]);
        let prepared_h1 = geo::PreparedGeometry::from(&h1_poly);
        let m = prepared.relate(&prepared_h1);
        if !m.is_contains() {
            return Some(InvalidPolygon::InteriorRingNotContainedInExteriorRing(
                RingRole::Interior(i),
            ));
        }
        if m.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional {
            return Some(InvalidPolygon::IntersectingRingsOnALine(
                RingRole::Exterior,
                RingRole::Interior(i),
            ));
        }
        for (j, h2) in holes.iter().enumerate().skip(i + 1) {
            if h2.0.is_empty() || !boxes_meet(hole_boxes[i], hole_boxes[j]) {
                continue;
            }
            let h2_poly = Polygon::new((*h2).clone(), vec![]);
            let m = prepared_h1.relate(&h2_poly);
            if m.get(CoordPos::Inside, CoordPos::Inside) == Dimensions::TwoDimensional {
                return Some(InvalidPolygon::IntersectingRingsOnAnArea(
                    RingRole::Interior(i),
                    RingRole::Interior(j),
                ));
            }
            if m.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional {
                return Some(InvalidPolygon::IntersectingRingsOnALine(
                    RingRole::Interior(i),
                    RingRole::Interior(j),
                ));
            }
        }
    }
    None
}

/// The first error geo's `validation_errors` would report, `None` when valid.
pub(crate) fn first_error(mp: &MultiPolygon<f64>) -> Option<InvalidMultiPolygon> {
    let boxes: Vec<Option<Rect<f64>>> = mp.0.iter().map(|p| p.bounding_rect()).collect();
    for (i, p) in mp.0.iter().enumerate() {
        if let Some(e) = polygon_error(p) {
            return Some(InvalidMultiPolygon::InvalidPolygon(GeometryIndex(i), e));
        }
        for (j, q) in mp.0.iter().enumerate().skip(i + 1) {
            if !boxes_meet(boxes[i], boxes[j]) {
                continue;
            }
            let m = p.relate(q);
            if m.get(CoordPos::Inside, CoordPos::Inside) == Dimensions::TwoDimensional {
                return Some(InvalidMultiPolygon::ElementsOverlaps(
                    GeometryIndex(i),
                    GeometryIndex(j),
                ));
            }
            if m.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional {
                return Some(InvalidMultiPolygon::ElementsTouchOnALine(
                    GeometryIndex(i),
                    GeometryIndex(j),
                ));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{wkt, Validation};

    /// Small shapes of every kind of error, valid and not: the same first
    /// error as geo's own validation.
    #[test]
    fn the_first_error_is_the_one_geo_reports() {
        let cases: Vec<MultiPolygon<f64>> = vec![
            wkt!(MULTIPOLYGON(((0. 0., 10. 0., 10. 10., 0. 10., 0. 0.)))),
            wkt!(MULTIPOLYGON(((0. 0., 10. 10., 10. 0., 0. 10., 0. 0.)))),
            wkt!(MULTIPOLYGON(((0. 0., 10. 0., 10. 10., 0. 10., 0. 0.), (20. 20., 21. 20., 21. 21., 20. 20.)))),
            wkt!(MULTIPOLYGON(((0. 0., 10. 0., 10. 10., 0. 10., 0. 0.), (1. 1., 5. 1., 5. 5., 1. 1.), (2. 1.5, 6. 2., 6. 6., 2. 1.5)))),
            wkt!(MULTIPOLYGON(((0. 0., 10. 0., 10. 10., 0. 10., 0. 0.)), ((5. 5., 15. 5., 15. 15., 5. 5.)))),
            wkt!(MULTIPOLYGON(((0. 0., 10. 0., 10. 10., 0. 10., 0. 0.)), ((10. 0., 20. 0., 20. 10., 10. 10., 10. 0.)))),
            wkt!(MULTIPOLYGON(((0. 0., 10. 0., 10. 10., 0. 10., 0. 0.)), ((30. 0., 40. 0., 40. 10., 30. 0.)))),
            wkt!(MULTIPOLYGON(((0. 0., 10. 0., 10. 10., 0. 10., 0. 0.), (0. 0., 5. 0., 5. 5., 0. 0.)))),
        ];
        for mp in &cases {
            let geo_first = mp.validation_errors().into_iter().next();
            assert_eq!(first_error(mp), geo_first, "{mp:?}");
        }
    }

    /// A ring of `n` vertices on a circle, optionally with two vertices
    /// swapped (a tiny self-intersection).
    fn circle(n: usize, swap: Option<usize>) -> MultiPolygon<f64> {
        let mut pts: Vec<geo::Coord<f64>> = (0..n)
            .map(|k| {
                let t = k as f64 / n as f64 * std::f64::consts::TAU;
                geo::coord! { x: 500_000.0 + 1000.0 * t.cos(), y: 5_160_000.0 + 1000.0 * t.sin() }
            })
            .collect();
        if let Some(k) = swap {
            pts.swap(k, k + 1);
        }
        pts.push(pts[0]);
        MultiPolygon(vec![Polygon::new(LineString(pts), vec![])])
    }

    #[test]
    fn large_rings_agree_with_geo_and_a_swapped_pair_is_found() {
        for (n, swap) in [
            (500, None),
            (500, Some(250)),
            (1000, Some(0)),
            (700, Some(698)),
        ] {
            let mp = circle(n, swap);
            assert_eq!(
                first_error(&mp),
                mp.validation_errors().into_iter().next(),
                "n={n} swap={swap:?}"
            );
            assert_eq!(first_error(&mp).is_some(), swap.is_some());
        }
    }
}
