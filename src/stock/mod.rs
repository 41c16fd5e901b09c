//! The land stock: parcels plus an R-tree over their envelopes, answering the
//! spatial questions that scoring and planning ask.
//!
//! The tree is bulk-loaded once ([`ParcelStock::new`]) and queried many times.
//! Every query filters by envelope first and then measures exact polygon
//! distances: the minimum Euclidean distance between the two geometries,
//! 0 when they touch or overlap (SPEC §4). "Within r" is inclusive.

pub mod candidates;
mod class_index;
pub mod context;

pub(crate) use class_index::{
    exteriors_within2_flat, parcels_within, rect_max_dist2, rect_min_dist2, rects_apart,
};
pub use class_index::{ParcelIndex, PointIndex};

use geo::{BoundingRect, Distance, Euclidean, MultiPolygon, Rect};
use rayon::prelude::*;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

use crate::parcel::{LandUse, Parcel};

/// An envelope in the R-tree, carrying the parcel's index.
pub type IndexedEnvelope = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// Two parcels touch when their distance is at most this (SPEC §5).
pub const TOUCH_TOLERANCE_M: f64 = 0.01;

/// Parcels and their spatial index.
///
/// ```
/// use geo::{polygon, MultiPolygon};
/// use landstock::{LandUse, Parcel, Status, stock::ParcelStock};
/// let sq = |x0: f64, y0: f64, side: f64| MultiPolygon(vec![polygon![
///     (x: x0, y: y0), (x: x0 + side, y: y0), (x: x0 + side, y: y0 + side), (x: x0, y: y0 + side)]]);
/// let stock = ParcelStock::new(vec![
///     Parcel::new("a", sq(0.0, 0.0, 100.0), LandUse::Vacant, Status::Active),
///     Parcel::new("b", sq(100.0, 0.0, 100.0), LandUse::Green, Status::Active),  // touches a along 100 m
///     Parcel::new("c", sq(500.0, 0.0, 100.0), LandUse::Green, Status::Active),  // 400 m east of a
/// ]);
/// assert_eq!(stock.within_dist_m(0, 400.0), vec![(1, 0.0), (2, 400.0)]);
/// assert_eq!(stock.within_dist_m(0, 399.9), vec![(1, 0.0)]);
/// let touch = stock.touching(0);
/// assert_eq!(touch.len(), 1);
/// assert!((touch[0].shared_len_m - 100.0).abs() < 1e-9);
/// let nearest = stock.nearest_where(2, |p| p.land_use == LandUse::Vacant).unwrap();
/// assert_eq!(nearest, (0, 400.0));
/// ```
#[derive(Debug, Clone)]
pub struct ParcelStock {
    parcels: Vec<Parcel>,
    envelopes: Vec<Rect<f64>>,
    tree: RTree<IndexedEnvelope>,
}

/// A touching neighbour and the length of the boundary the two share.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Touch {
    /// The neighbour's index.
    pub other: usize,
    /// Length of the intersection of the two boundaries, m (0 when they
    /// touch only at points).
    pub shared_len_m: f64,
}

fn envelope(mp: &MultiPolygon<f64>) -> Rect<f64> {
    mp.bounding_rect()
        .unwrap_or_else(|| Rect::new((f64::NAN, f64::NAN), (f64::NAN, f64::NAN)))
}

fn aabb(r: &Rect<f64>, grow_m: f64) -> AABB<[f64; 2]> {
    AABB::from_corners(
        [r.min().x - grow_m, r.min().y - grow_m],
        [r.max().x + grow_m, r.max().y + grow_m],
    )
}

/// Minimum Euclidean distance between two multipolygons, m (0 when they
/// intersect).
///
/// ```
/// use geo::{polygon, MultiPolygon};
/// let a = MultiPolygon(vec![polygon![(x: 0., y: 0.), (x: 1., y: 0.), (x: 1., y: 1.), (x: 0., y: 1.)]]);
/// let b = MultiPolygon(vec![polygon![(x: 4., y: 5.), (x: 5., y: 5.), (x: 5., y: 6.), (x: 4., y: 6.)]]);
/// assert_eq!(landstock::stock::distance_m(&a, &b), 5.0); // (1,1) to (4,5): a 3-4-5 triangle
/// ```
pub fn distance_m(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> f64 {
    let mut best = f64::INFINITY;
    for p in &a.0 {
        for q in &b.0 {
            best = best.min(Euclidean.distance(p, q));
            if best == 0.0 {
                return 0.0;
            }
        }
    }
    best
}

impl ParcelStock {
    /// Indexes the parcels (bulk load; envelopes computed in parallel).
    pub fn new(parcels: Vec<Parcel>) -> Self {
        let envelopes: Vec<Rect<f64>> = parcels.par_iter().map(|p| envelope(&p.geometry)).collect();
        let items: Vec<IndexedEnvelope> = envelopes
            .iter()
            .enumerate()
            .map(|(i, r)| GeomWithData::new(Rectangle::from_aabb(aabb(r, 0.0)), i))
            .collect();
        ParcelStock {
            parcels,
            envelopes,
            tree: RTree::bulk_load(items),
        }
    }

    /// The parcels, in input order.
    pub fn parcels(&self) -> &[Parcel] {
        &self.parcels
    }

    /// Number of parcels.
    pub fn len(&self) -> usize {
        self.parcels.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.parcels.is_empty()
    }

    /// The parcel at an index.
    pub fn get(&self, i: usize) -> &Parcel {
        &self.parcels[i]
    }

    /// The R-tree of envelopes (each carrying its parcel index).
    pub fn tree(&self) -> &RTree<IndexedEnvelope> {
        &self.tree
    }

    /// A parcel's bounding rectangle.
    pub fn envelope(&self, i: usize) -> Rect<f64> {
        self.envelopes[i]
    }

    /// Gives back the parcels.
    pub fn into_parcels(self) -> Vec<Parcel> {
        self.parcels
    }

    /// Parcels (other than `i`) within `dist_m` of parcel `i` (inclusive),
    /// with their distances, sorted by index.
    pub fn within_dist_m(&self, i: usize, dist_m: f64) -> Vec<(usize, f64)> {
        let mut v: Vec<(usize, f64)> = self
            .within_dist_of(&self.parcels[i].geometry, dist_m)
            .into_iter()
            .filter(|&(j, _)| j != i)
            .collect();
        v.sort_unstable_by_key(|&(j, _)| j);
        v
    }

    /// Parcels within `dist_m` of any geometry (inclusive), with distances,
    /// in no particular order.
    pub fn within_dist_of(&self, g: &MultiPolygon<f64>, dist_m: f64) -> Vec<(usize, f64)> {
        let env = envelope(g);
        self.tree
            .locate_in_envelope_intersecting(&aabb(&env, dist_m))
            .filter_map(|e| {
                let j = e.data;
                let d = distance_m(g, &self.parcels[j].geometry);
                (d <= dist_m).then_some((j, d))
            })
            .collect()
    }

    /// The nearest parcel (other than `i`) for which `pred` holds, with its
    /// distance; ties go to the lower index. `None` when no parcel matches.
    pub fn nearest_where(&self, i: usize, pred: impl Fn(&Parcel) -> bool) -> Option<(usize, f64)> {
        let g = &self.parcels[i].geometry;
        let env = self.envelopes[i];
        let world = self.tree.root().envelope();
        let span = (world.upper()[0] - world.lower()[0]).max(world.upper()[1] - world.lower()[1]);
        let mut r = (env.width().max(env.height())).max(1.0);
        loop {
            let mut best: Option<(usize, f64)> = None;
            for e in self.tree.locate_in_envelope_intersecting(&aabb(&env, r)) {
                let j = e.data;
                if j == i || !pred(&self.parcels[j]) {
                    continue;
                }
                let d = distance_m(g, &self.parcels[j].geometry);
                if best.is_none_or(|(bj, bd)| d < bd || (d == bd && j < bj)) {
                    best = Some((j, d));
                }
            }
            // Any parcel within distance r intersects the grown envelope, so a
            // best found at d <= r is the true nearest.
            match best {
                Some((_, d)) if d <= r => return best,
                _ if r > 2.0 * span + 1.0 => return best,
                _ => r *= 2.0,
            }
        }
    }

    /// Parcels touching parcel `i` (distance <= 1 cm), with the length of
    /// boundary they share, sorted by index.
    pub fn touching(&self, i: usize) -> Vec<Touch> {
        self.within_dist_m(i, TOUCH_TOLERANCE_M)
            .into_iter()
            .map(|(j, _)| Touch {
                other: j,
                shared_len_m: shared_boundary_m(
                    &self.parcels[i].geometry,
                    &self.parcels[j].geometry,
                    TOUCH_TOLERANCE_M,
                ),
            })
            .collect()
    }
}

/// Overlaps of two edges shorter than this (a micron) are points: far above
/// floating-point noise on projected coordinates, far below any real
/// shared boundary.
const MIN_SHARED_PIECE_M: f64 = 1e-6;

/// Length of the intersection of two geometries' boundaries (all rings,
/// holes included): the total length over which a segment of one lies on a
/// segment of the other, within `tol_m`.
///
/// ```
/// use geo::{polygon, MultiPolygon};
/// let a = MultiPolygon(vec![polygon![(x: 0., y: 0.), (x: 10., y: 0.), (x: 10., y: 10.), (x: 0., y: 10.)]]);
/// // b shares the stretch x = 10, y in [4, 10] with a
/// let b = MultiPolygon(vec![polygon![(x: 10., y: 4.), (x: 20., y: 4.), (x: 20., y: 20.), (x: 10., y: 20.)]]);
/// assert!((landstock::stock::shared_boundary_m(&a, &b, 0.01) - 6.0).abs() < 1e-12);
/// ```
pub fn shared_boundary_m(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>, tol_m: f64) -> f64 {
    let segs = |mp: &MultiPolygon<f64>| -> Vec<geo::Line<f64>> {
        mp.0.iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .flat_map(|r| r.lines())
            .filter(|l| l.start != l.end)
            .collect()
    };
    let sa = segs(a);
    let sb = segs(b);
    let mut total = 0.0;
    for s in &sa {
        let (sx0, sx1) = (
            s.start.x.min(s.end.x) - tol_m,
            s.start.x.max(s.end.x) + tol_m,
        );
        let (sy0, sy1) = (
            s.start.y.min(s.end.y) - tol_m,
            s.start.y.max(s.end.y) + tol_m,
        );
        let d = s.delta();
        let len = d.x.hypot(d.y);
        let (ux, uy) = (d.x / len, d.y / len);
        for t in &sb {
            if t.start.x.max(t.end.x) < sx0
                || t.start.x.min(t.end.x) > sx1
                || t.start.y.max(t.end.y) < sy0
                || t.start.y.min(t.end.y) > sy1
            {
                continue;
            }
            // both ends of t within tol of s's line → collinear; overlap of projections
            let rel = |c: geo::Coord<f64>| (c.x - s.start.x, c.y - s.start.y);
            let (ax, ay) = rel(t.start);
            let (bx, by) = rel(t.end);
            let perp_a = (ax * uy - ay * ux).abs();
            let perp_b = (bx * uy - by * ux).abs();
            if perp_a > tol_m || perp_b > tol_m {
                continue;
            }
            let pa = ax * ux + ay * uy;
            let pb = bx * ux + by * uy;
            let lo = pa.min(pb).max(0.0);
            let hi = pa.max(pb).min(len);
            // a corner where two collinear edges meet overlaps by rounding
            // noise (1e-14 m seen on projected data): points do not count
            if hi - lo > MIN_SHARED_PIECE_M {
                total += hi - lo;
            }
        }
    }
    total
}

/// Construction land of a stock, ha, where `class(i)` is parcel `i`'s class
/// (before a plan: its own; after: the plan's); summed in index order, so
/// deterministic.
///
/// ```
/// use geo::{polygon, MultiPolygon};
/// use landstock::{LandUse, Parcel, Status, stock::{construction_land_ha, ParcelStock}};
/// let sq = |x: f64| MultiPolygon(vec![polygon![(x: x, y: 0.), (x: x + 100., y: 0.),
///     (x: x + 100., y: 100.), (x: x, y: 100.)]]);
/// let stock = ParcelStock::new(vec![
///     Parcel::new("lot", sq(0.), LandUse::Vacant, Status::Active),
///     Parcel::new("river", sq(200.), LandUse::Water, Status::Active),
/// ]);
/// assert_eq!(construction_land_ha(&stock, |i| stock.get(i).land_use), 1.0);
/// ```
pub fn construction_land_ha(stock: &ParcelStock, class: impl Fn(usize) -> LandUse) -> f64 {
    (0..stock.len())
        .filter(|&i| crate::parcel::is_construction_land(class(i)))
        .map(|i| stock.get(i).area_ha())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{LandUse, Status};
    use geo::polygon;

    fn sq(id: &str, x0: f64, y0: f64, side: f64) -> Parcel {
        Parcel::new(
            id,
            MultiPolygon(vec![
                polygon![(x: x0, y: y0), (x: x0 + side, y: y0), (x: x0 + side, y: y0 + side), (x: x0, y: y0 + side)],
            ]),
            LandUse::Vacant,
            Status::Active,
        )
    }

    #[test]
    fn corner_contact_touches_with_zero_shared_length() {
        let s = ParcelStock::new(vec![sq("a", 0., 0., 10.), sq("b", 10., 10., 10.)]);
        assert_eq!(
            s.touching(0),
            vec![Touch {
                other: 1,
                shared_len_m: 0.0
            }]
        );
    }

    #[test]
    fn corner_contact_of_collinear_edges_has_no_length_despite_rounding() {
        // a's top edge ends at x = 0.1 + 0.2 = 0.30000000000000004 and b's
        // bottom edge starts at x = 0.3 on the same line: they meet at a
        // point, which the projections overlap by 5.6e-17 m
        let a = MultiPolygon(vec![
            polygon![(x: 0., y: 0.), (x: 0.1 + 0.2, y: 0.), (x: 0.1 + 0.2, y: 1.), (x: 0., y: 1.)],
        ]);
        let b = MultiPolygon(vec![
            polygon![(x: 0.3, y: 1.), (x: 1.3, y: 1.), (x: 1.3, y: 2.), (x: 0.3, y: 2.)],
        ]);
        assert_eq!(shared_boundary_m(&a, &b, TOUCH_TOLERANCE_M), 0.0);
        // an edge shared over 2 µm still counts
        let c = MultiPolygon(vec![
            polygon![(x: 0.3 - 2e-6, y: 1.), (x: 1.3, y: 1.), (x: 1.3, y: 2.), (x: 0.3 - 2e-6, y: 2.)],
        ]);
        let s = shared_boundary_m(&a, &c, TOUCH_TOLERANCE_M);
        assert!((s - 2e-6).abs() < 1e-12, "{s}");
    }

    #[test]
    fn within_distance_is_inclusive_and_uses_polygon_not_centroid_distance() {
        // b's edge is exactly 500 m from a's edge; centroids are 600 m apart
        let s = ParcelStock::new(vec![sq("a", 0., 0., 100.), sq("b", 600., 0., 100.)]);
        assert_eq!(s.within_dist_m(0, 500.0), vec![(1, 500.0)]);
        assert!(s.within_dist_m(0, 499.999).is_empty());
    }

    #[test]
    fn nearest_where_finds_a_far_parcel_and_breaks_ties_by_index() {
        let s = ParcelStock::new(vec![
            sq("a", 0., 0., 1.),
            sq("b", 5000., 0., 1.),
            sq("c", -5000., 0., 1.),
        ]);
        assert_eq!(s.nearest_where(0, |_| true), Some((1, 4999.0)));
        assert_eq!(s.nearest_where(0, |p| p.id.as_str() == "zzz"), None);
    }

    #[test]
    fn nearest_equals_brute_force_on_a_scatter() {
        // fixed pseudo-random squares
        let mut x: u64 = 42;
        let mut next = || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) as f64 / (1u64 << 31) as f64
        };
        let parcels: Vec<Parcel> = (0..300)
            .map(|i| {
                sq(
                    &format!("{i}"),
                    next() * 10_000.0,
                    next() * 10_000.0,
                    5.0 + next() * 50.0,
                )
            })
            .collect();
        let s = ParcelStock::new(parcels);
        for i in (0..300).step_by(7) {
            let pred = |p: &Parcel| p.id.as_str().ends_with('3');
            let brute = (0..300)
                .filter(|&j| j != i && pred(s.get(j)))
                .map(|j| (j, distance_m(&s.get(i).geometry, &s.get(j).geometry)))
                .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
            assert_eq!(s.nearest_where(i, pred), brute);
            let mut within: Vec<usize> = (0..300)
                .filter(|&j| j != i && distance_m(&s.get(i).geometry, &s.get(j).geometry) <= 800.0)
                .collect();
            within.sort();
            assert_eq!(
                s.within_dist_m(i, 800.0)
                    .into_iter()
                    .map(|p| p.0)
                    .collect::<Vec<_>>(),
                within
            );
        }
    }
}
