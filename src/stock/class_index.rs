//! Small R-trees over one class of parcels (green; water and ecological
//! land; derelict industry; …) or over a point layer, answering the distance
//! questions the criteria ask about one parcel of the stock.
//!
//! Filtering by envelope comes first; exact polygon distances
//! ([`distance_m`]) are measured only where the envelopes cannot decide:
//! a parcel whose envelope is entirely within `r` of the query's envelope
//! (farthest corners at most `r` apart) is within `r` without measuring.

use geo::{Coord, Distance, Euclidean, MultiPolygon, Point, Rect};
use rayon::prelude::*;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, RTreeObject, AABB};

use crate::parcel::Parcel;
use crate::stock::{distance_m, IndexedEnvelope, ParcelStock};

fn grown(r: &Rect<f64>, by_m: f64) -> AABB<[f64; 2]> {
    AABB::from_corners(
        [r.min().x - by_m, r.min().y - by_m],
        [r.max().x + by_m, r.max().y + by_m],
    )
}

/// Smallest squared distance between two rectangles (0 when they meet).
pub(crate) fn rect_min_dist2(a: &Rect<f64>, b: &Rect<f64>) -> f64 {
    let dx = (b.min().x - a.max().x).max(a.min().x - b.max().x).max(0.0);
    let dy = (b.min().y - a.max().y).max(a.min().y - b.max().y).max(0.0);
    dx * dx + dy * dy
}

/// Largest squared distance between a point of one rectangle and a point
/// of the other: an upper bound of the distance between anything inside them.
pub(crate) fn rect_max_dist2(a: &Rect<f64>, b: &Rect<f64>) -> f64 {
    let dx = (a.max().x - b.min().x).max(b.max().x - a.min().x);
    let dy = (a.max().y - b.min().y).max(b.max().y - a.min().y);
    dx * dx + dy * dy
}

/// The envelope stored in a tree leaf (no trip to the stock's arrays).
fn leaf_rect(e: &IndexedEnvelope) -> Rect<f64> {
    let env = e.geom().envelope();
    let (lo, hi) = (env.lower(), env.upper());
    Rect::new(Coord { x: lo[0], y: lo[1] }, Coord { x: hi[0], y: hi[1] })
}

/// Whether two rectangles are apart (a positive gap on some axis).
pub(crate) fn rects_apart(a: &Rect<f64>, b: &Rect<f64>) -> bool {
    b.min().x > a.max().x || a.min().x > b.max().x || b.min().y > a.max().y || a.min().y > b.max().y
}

/// Squared distance from point `p` to segment `a`–`b`.
fn point_segment_dist2(p: Coord<f64>, a: Coord<f64>, b: Coord<f64>) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p.x - a.x) * dx + (p.y - a.y) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (ex, ey) = (a.x + t * dx - p.x, a.y + t * dy - p.y);
    ex * ex + ey * ey
}

/// Whether any two segments of the exterior rings of `a` and `b` come within
/// `sqrt(r2)`. Only for geometries whose envelopes are apart: then the
/// polygons are disjoint, no segments cross, and their distance is the
/// smallest vertex-to-segment distance between the exteriors (holes lie
/// inside their envelope and can never be nearer).
fn exteriors_within2(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>, r2: f64) -> bool {
    for pa in &a.0 {
        let ra = &pa.exterior().0;
        for pb in &b.0 {
            let rb = &pb.exterior().0;
            for sa in ra.windows(2) {
                for sb in rb.windows(2) {
                    if point_segment_dist2(sa[0], sb[0], sb[1]) <= r2
                        || point_segment_dist2(sb[0], sa[0], sa[1]) <= r2
                    {
                        return true;
                    }
                }
            }
        }
    }
    false
}

/// Like [`exteriors_within2`] with `b`'s exterior rings given as one
/// coordinate run, rings separated by a NaN coordinate (a segment touching
/// NaN never compares as near).
pub(crate) fn exteriors_within2_flat(a: &MultiPolygon<f64>, b: &[Coord<f64>], r2: f64) -> bool {
    for pa in &a.0 {
        let ra = &pa.exterior().0;
        for sa in ra.windows(2) {
            for sb in b.windows(2) {
                if point_segment_dist2(sa[0], sb[0], sb[1]) <= r2
                    || point_segment_dist2(sb[0], sa[0], sa[1]) <= r2
                {
                    return true;
                }
            }
        }
    }
    false
}

/// Whether parcels `i` and `j` are within `dist_m` of each other (polygon
/// distance, inclusive), deciding by envelopes where they can.
pub(crate) fn parcels_within(
    stock: &ParcelStock,
    i: usize,
    j: usize,
    ej: &Rect<f64>,
    dist_m: f64,
) -> bool {
    let ei = stock.envelope(i);
    let r2 = dist_m * dist_m;
    if rect_min_dist2(&ei, ej) > r2 {
        return false;
    }
    if rect_max_dist2(&ei, ej) <= r2 {
        return true;
    }
    let (gi, gj) = (&stock.get(i).geometry, &stock.get(j).geometry);
    if rects_apart(&ei, ej) {
        exteriors_within2(gi, gj, r2)
    } else {
        distance_m(gi, gj) <= dist_m
    }
}

/// An R-tree over the parcels of the stock for which a predicate holds.
///
/// ```
/// use geo::{polygon, MultiPolygon};
/// use landstock::{LandUse, Parcel, Status, stock::ParcelStock, score::ParcelIndex};
/// let sq = |x: f64| MultiPolygon(vec![polygon![(x: x, y: 0.), (x: x + 100., y: 0.), (x: x + 100., y: 100.), (x: x, y: 100.)]]);
/// let stock = ParcelStock::new(vec![
///     Parcel::new("v", sq(0.), LandUse::Vacant, Status::Active),
///     Parcel::new("g1", sq(400.), LandUse::Green, Status::Active),   // 300 m from v
///     Parcel::new("g2", sq(1100.), LandUse::Green, Status::Active),  // 1000 m from v
/// ]);
/// let green = ParcelIndex::build(&stock, |_, p| p.land_use == LandUse::Green);
/// assert_eq!(green.len(), 2);
/// assert_eq!(green.nearest_dist_m(&stock, 0), 300.0);
/// assert_eq!(green.within_dist_m(&stock, 0, 1000.0), vec![1, 2], "inclusive");
/// assert_eq!(green.within_dist_m(&stock, 1, 1000.0), vec![2], "never the parcel itself");
/// let none = ParcelIndex::build(&stock, |_, p| p.land_use == LandUse::Water);
/// assert_eq!(none.nearest_dist_m(&stock, 0), f64::INFINITY, "empty class");
/// ```
#[derive(Debug, Clone)]
pub struct ParcelIndex {
    tree: RTree<IndexedEnvelope>,
}

impl ParcelIndex {
    /// Indexes the parcels `(index, parcel)` for which `keep` holds.
    pub fn build(stock: &ParcelStock, keep: impl Fn(usize, &Parcel) -> bool + Sync) -> ParcelIndex {
        let items: Vec<IndexedEnvelope> = (0..stock.len())
            .into_par_iter()
            .filter(|&i| keep(i, stock.get(i)))
            .map(|i| GeomWithData::new(Rectangle::from_aabb(grown(&stock.envelope(i), 0.0)), i))
            .collect();
        ParcelIndex {
            tree: RTree::bulk_load(items),
        }
    }

    /// Number of parcels indexed.
    pub fn len(&self) -> usize {
        self.tree.size()
    }

    /// Whether no parcel is indexed (an empty class).
    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }

    /// Calls `f` with every indexed parcel other than `i` within `dist_m` of
    /// parcel `i` (polygon distance, inclusive), in tree order.
    pub fn for_each_within(
        &self,
        stock: &ParcelStock,
        i: usize,
        dist_m: f64,
        mut f: impl FnMut(usize),
    ) {
        let env = stock.envelope(i);
        for e in self
            .tree
            .locate_in_envelope_intersecting(&grown(&env, dist_m))
        {
            let j = e.data;
            if j != i && parcels_within(stock, i, j, &leaf_rect(e), dist_m) {
                f(j);
            }
        }
    }

    /// Indexed parcels other than `i` within `dist_m` of parcel `i` (polygon
    /// distance, inclusive), ascending by index.
    pub fn within_dist_m(&self, stock: &ParcelStock, i: usize, dist_m: f64) -> Vec<usize> {
        let mut v = Vec::new();
        self.for_each_within(stock, i, dist_m, |j| v.push(j));
        v.sort_unstable();
        v
    }

    /// How many indexed parcels other than `i` are within `dist_m` of parcel
    /// `i` (inclusive).
    pub fn count_within_dist_m(&self, stock: &ParcelStock, i: usize, dist_m: f64) -> usize {
        let mut n = 0;
        self.for_each_within(stock, i, dist_m, |_| n += 1);
        n
    }

    /// Whether any indexed parcel other than `i` is within `dist_m` of parcel
    /// `i` (inclusive).
    pub fn any_within_dist_m(&self, stock: &ParcelStock, i: usize, dist_m: f64) -> bool {
        let env = stock.envelope(i);
        self.tree
            .locate_in_envelope_intersecting(&grown(&env, dist_m))
            .any(|e| e.data != i && parcels_within(stock, i, e.data, &leaf_rect(e), dist_m))
    }

    /// Distance from parcel `i` to the nearest indexed parcel other than
    /// itself, m; `+inf` when there is none.
    pub fn nearest_dist_m(&self, stock: &ParcelStock, i: usize) -> f64 {
        let env = stock.envelope(i);
        let g = &stock.get(i).geometry;
        let c = env.center();
        // Leaves come nearest-envelope-first as seen from the centre of the
        // parcel's envelope; no point of the parcel is farther than `half`
        // from that centre, so once an envelope is more than `best + half`
        // away nothing nearer can follow.
        let half = 0.5 * env.width().hypot(env.height());
        let mut best = f64::INFINITY;
        for (e, d2) in self.tree.nearest_neighbor_iter_with_distance_2(&[c.x, c.y]) {
            if best.is_finite() && d2.sqrt() - half > best {
                break;
            }
            let j = e.data;
            if j == i || rect_min_dist2(&env, &leaf_rect(e)) > best * best {
                continue;
            }
            best = best.min(distance_m(g, &stock.get(j).geometry));
        }
        best
    }
}

/// An R-tree over a point layer (transit stops, facilities).
///
/// ```
/// use geo::{coord, polygon, MultiPolygon};
/// use landstock::{LandUse, Parcel, Status, stock::ParcelStock, score::PointIndex};
/// let stock = ParcelStock::new(vec![Parcel::new("m", MultiPolygon(vec![polygon![
///     (x: 0., y: 0.), (x: 100., y: 0.), (x: 100., y: 100.), (x: 0., y: 100.)]]), LandUse::Industrial, Status::Derelict)]);
/// let stops = PointIndex::build(&[coord! { x: 50., y: 50. }, coord! { x: 400., y: 0. }]);
/// assert_eq!(stops.nearest_dist_m(&stock, 0), 0.0, "a stop inside the parcel");
/// assert_eq!(stops.count_within_dist_m(&stock, 0, 300.0), 2);
/// assert_eq!(stops.count_within_dist_m(&stock, 0, 299.0), 1);
/// ```
#[derive(Debug, Clone)]
pub struct PointIndex {
    tree: RTree<GeomWithData<[f64; 2], usize>>,
    points: Vec<Point<f64>>,
}

impl PointIndex {
    /// Indexes points (in the stock's working CRS).
    pub fn build(points: &[Coord<f64>]) -> PointIndex {
        let items = points
            .iter()
            .enumerate()
            .map(|(k, c)| GeomWithData::new([c.x, c.y], k))
            .collect();
        PointIndex {
            tree: RTree::bulk_load(items),
            points: points.iter().map(|&c| Point(c)).collect(),
        }
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// Whether the layer has no point.
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    fn dist_m(&self, stock: &ParcelStock, i: usize, k: usize) -> f64 {
        Euclidean.distance(&stock.get(i).geometry, &self.points[k])
    }

    /// Points within `dist_m` of parcel `i` (0 inside it; inclusive).
    pub fn count_within_dist_m(&self, stock: &ParcelStock, i: usize, dist_m: f64) -> usize {
        let env = stock.envelope(i);
        self.tree
            .locate_in_envelope(&grown(&env, dist_m))
            .filter(|e| {
                let p = Rect::new(
                    Coord {
                        x: e.geom()[0],
                        y: e.geom()[1],
                    },
                    Coord {
                        x: e.geom()[0],
                        y: e.geom()[1],
                    },
                );
                rect_max_dist2(&env, &p) <= dist_m * dist_m
                    || self.dist_m(stock, i, e.data) <= dist_m
            })
            .count()
    }

    /// Distance from parcel `i` to the nearest point, m; `+inf` for an
    /// empty layer.
    pub fn nearest_dist_m(&self, stock: &ParcelStock, i: usize) -> f64 {
        let env = stock.envelope(i);
        let c = env.center();
        let half = 0.5 * env.width().hypot(env.height());
        let mut best = f64::INFINITY;
        for (e, d2) in self.tree.nearest_neighbor_iter_with_distance_2(&[c.x, c.y]) {
            if best.is_finite() && d2.sqrt() - half > best {
                break;
            }
            best = best.min(self.dist_m(stock, i, e.data));
        }
        best
    }
}
