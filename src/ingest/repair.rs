//! Geometry repair and normalisation: close rings, drop repeated vertices and
//! degenerate rings, make invalid polygons valid, and the normalised form by
//! which duplicate geometries are recognised.

use std::hash::{Hash, Hasher};

use geo::orient::Direction;
use geo::{Area, Coord, LineString, MakeValid, MultiPolygon, Orient, Polygon};

use super::feature::RawRings;
use super::report::{RejectReason, RepairKind};

fn note(repairs: &mut Vec<RepairKind>, k: RepairKind) {
    if !repairs.contains(&k) {
        repairs.push(k);
    }
}

/// Closes open rings, removes repeated consecutive vertices, drops holes and
/// parts with fewer than three distinct vertices. A geometry left with no
/// part at all is returned empty (the caller rejects it as zero-area).
pub(crate) fn fix_rings(polys: &mut RawRings, repairs: &mut Vec<RepairKind>) {
    polys.retain_mut(|rings| {
        let mut keep_polygon = true;
        let mut ring_index = 0;
        rings.retain_mut(|ring| {
            let is_exterior = ring_index == 0;
            ring_index += 1;
            if !keep_polygon {
                return false;
            }
            if ring.len() > 1 && ring.first() != ring.last() {
                let first = ring[0];
                ring.push(first);
                note(repairs, RepairKind::ClosedRing);
            }
            let before = ring.len();
            ring.dedup();
            if ring.len() != before {
                note(repairs, RepairKind::RemovedDuplicateVertex);
            }
            if ring.len() < 4 {
                note(repairs, RepairKind::DroppedDegenerateRing);
                if is_exterior {
                    keep_polygon = false;
                }
                return false;
            }
            true
        });
        keep_polygon && !rings.is_empty()
    });
}

/// Builds the geo geometry from fixed rings (already in the working CRS).
pub(crate) fn to_multipolygon(polys: RawRings) -> MultiPolygon<f64> {
    MultiPolygon(
        polys
            .into_iter()
            .map(|mut rings| {
                let exterior = LineString(rings.remove(0));
                Polygon::new(exterior, rings.into_iter().map(LineString).collect())
            })
            .collect(),
    )
}

/// A polygon whose mean width 2·area/perimeter is below this counts as
/// zero-area. Exact zero cannot be asked for after projection: a transverse
/// Mercator projection bends a row of lon/lat points on one parallel by about
/// half a millimetre over 150 m, so a collinear ring gains a sliver of area
/// (about 0.05 m² there; a 1 m × 1 m parcel has a mean width of 0.5 m).
pub const ZERO_AREA_WIDTH_M: f64 = 0.001;

fn is_zero_area(mp: &MultiPolygon<f64>) -> bool {
    use geo::{Euclidean, Length};
    let area = mp.unsigned_area();
    let perimeter: f64 =
        mp.0.iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .map(|r| Euclidean.length(r))
            .sum();
    // NaN area (from non-finite input) counts as zero too
    area.is_nan() || area <= 0.0 || 2.0 * area / perimeter < ZERO_AREA_WIDTH_M
}

/// An invalid geometry with more vertices than this is rejected instead of
/// repaired: geo's repair is quadratic in the vertices (2 s for 20,000,
/// a minute for 100,000), and one hostile feature must not stall ingestion.
/// Valid geometries of any size are accepted.
pub const MAX_REPAIR_VERTICES: usize = 20_000;

/// Makes the geometry valid if it is not; rejects zero-area results.
/// Returns the geometry oriented exterior counter-clockwise, holes clockwise.
pub(crate) fn make_valid(
    mp: MultiPolygon<f64>,
    repairs: &mut Vec<RepairKind>,
) -> Result<MultiPolygon<f64>, RejectReason> {
    // geo's own `is_valid` is quadratic in a ring's vertices (minutes for
    // one parcel of 200,000); `first_error` gives the same answer in O(n log n)
    let mp = match super::valid::first_error(&mp) {
        None => mp,
        Some(first) => {
            let reason = first.to_string();
            let raw_zero = is_zero_area(&mp);
            let vertices: usize = mp
                .0
                .iter()
                .map(|p| {
                    p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>()
                })
                .sum();
            if vertices > MAX_REPAIR_VERTICES {
                return Err(if raw_zero {
                    RejectReason::ZeroArea
                } else {
                    RejectReason::UnrepairableSelfIntersection(format!(
                    "{reason}; not repaired: {vertices} vertices, more than the {MAX_REPAIR_VERTICES} \
                     that repair handles in bounded time; fix the geometry in a GIS"
                ))
                });
            }
            // geo's triangulation-based repair (Ledoux et al. 2014, odd-even rule)
            // keeps only polygonal parts. A panic inside it is caught so that no
            // input can bring ingestion down; it becomes a rejection.
            let fixed = std::panic::catch_unwind(|| mp.make_valid());
            match fixed {
                Ok(Ok(v)) if !is_zero_area(&v) => {
                    note(repairs, RepairKind::MadeValid);
                    v
                }
                Ok(Ok(_)) => return Err(RejectReason::ZeroArea),
                _ if raw_zero => return Err(RejectReason::ZeroArea),
                Ok(Err(e)) => {
                    return Err(RejectReason::UnrepairableSelfIntersection(format!(
                        "{reason}; repair failed: {e}"
                    )))
                }
                Err(_) => {
                    return Err(RejectReason::UnrepairableSelfIntersection(format!(
                        "{reason}; repair failed"
                    )))
                }
            }
        }
    };
    if is_zero_area(&mp) {
        return Err(RejectReason::ZeroArea);
    }
    Ok(mp.orient(Direction::Default))
}

/// The normalised form of a geometry: ring start vertex, ring orientation,
/// order of holes and of parts do not matter; coordinates compare exactly
/// (with -0.0 read as 0.0). Two geometries are "the same" (SPEC §2) exactly
/// when their keys are equal.
pub(crate) fn normalized_key(mp: &MultiPolygon<f64>) -> Vec<u64> {
    fn ring_key(ring: &LineString<f64>, ccw: bool) -> Vec<u64> {
        let mut pts: Vec<Coord<f64>> = ring.0.clone();
        if pts.len() > 1 && pts.first() == pts.last() {
            pts.pop();
        }
        for p in pts.iter_mut() {
            p.x += 0.0; // -0.0 + 0.0 == +0.0
            p.y += 0.0;
        }
        let signed: f64 = {
            let n = pts.len();
            (0..n)
                .map(|i| {
                    let a = pts[i];
                    let b = pts[(i + 1) % n];
                    a.x * b.y - b.x * a.y
                })
                .sum()
        };
        if (signed > 0.0) != ccw {
            pts.reverse();
        }
        let start = (0..pts.len())
            .min_by(|&i, &j| {
                pts[i]
                    .x
                    .total_cmp(&pts[j].x)
                    .then(pts[i].y.total_cmp(&pts[j].y))
            })
            .unwrap_or(0);
        pts.rotate_left(start);
        let mut k = Vec::with_capacity(pts.len() * 2 + 1);
        k.push(pts.len() as u64);
        for p in pts {
            k.push(p.x.to_bits());
            k.push(p.y.to_bits());
        }
        k
    }
    let mut parts: Vec<Vec<u64>> =
        mp.0.iter()
            .map(|p| {
                let mut holes: Vec<Vec<u64>> =
                    p.interiors().iter().map(|r| ring_key(r, false)).collect();
                holes.sort();
                let mut k = ring_key(p.exterior(), true);
                k.push(holes.len() as u64);
                for h in holes {
                    k.extend(h);
                }
                k
            })
            .collect();
    parts.sort();
    let mut key = vec![parts.len() as u64];
    for p in parts {
        key.push(p.len() as u64);
        key.extend(p);
    }
    key
}

/// A deterministic hash of [`normalized_key`].
pub(crate) fn normalized_hash(mp: &MultiPolygon<f64>) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    normalized_key(mp).hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{polygon, wkt};

    #[test]
    fn same_geometry_is_recognised_whatever_the_start_vertex_and_orientation() {
        let a = MultiPolygon(vec![
            polygon![(x: 0., y: 0.), (x: 1., y: 0.), (x: 1., y: 1.), (x: 0., y: 1.)],
        ]);
        // clockwise, starting elsewhere, with -0.0
        let b = MultiPolygon(vec![
            polygon![(x: 1., y: 1.), (x: 1., y: -0.0), (x: 0., y: 0.), (x: 0., y: 1.)],
        ]);
        assert_eq!(normalized_key(&a), normalized_key(&b));
        let c = MultiPolygon(vec![
            polygon![(x: 0., y: 0.), (x: 1., y: 0.), (x: 1., y: 1.000001), (x: 0., y: 1.)],
        ]);
        assert_ne!(normalized_key(&a), normalized_key(&c));
    }

    #[test]
    fn part_order_does_not_matter() {
        let p = wkt!(POLYGON((0. 0., 1. 0., 1. 1., 0. 0.)));
        let q = wkt!(POLYGON((5. 5., 6. 5., 6. 6., 5. 5.)));
        let a = MultiPolygon(vec![p.clone(), q.clone()]);
        let b = MultiPolygon(vec![q, p]);
        assert_eq!(normalized_hash(&a), normalized_hash(&b));
    }

    #[test]
    fn a_bowtie_is_made_valid_into_two_triangles_of_half_the_square() {
        let bowtie = MultiPolygon(vec![wkt!(POLYGON((0. 0., 10. 10., 10. 0., 0. 10., 0. 0.)))]);
        let mut r = vec![];
        let v = make_valid(bowtie, &mut r).unwrap();
        assert_eq!(r, vec![RepairKind::MadeValid]);
        assert_eq!(v.0.len(), 2);
        // two triangles meeting at (5,5), each 10 × 5 / 2 = 25 m²
        assert!((v.unsigned_area() - 50.0).abs() < 1e-9);
    }

    #[test]
    fn an_open_ring_is_closed_and_repeated_vertices_dropped() {
        let c = |x, y| Coord { x, y };
        let mut rings = vec![vec![vec![c(0., 0.), c(1., 0.), c(1., 0.), c(1., 1.)]]];
        let mut r = vec![];
        fix_rings(&mut rings, &mut r);
        assert_eq!(
            rings[0][0],
            vec![c(0., 0.), c(1., 0.), c(1., 1.), c(0., 0.)]
        );
        assert_eq!(
            r,
            vec![RepairKind::ClosedRing, RepairKind::RemovedDuplicateVertex]
        );
    }
}
