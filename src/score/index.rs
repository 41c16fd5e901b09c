//! Small R-trees over one class of parcels (green; water and ecological
//! land; derelict industry; …) or over a point layer, answering the distance
//! questions the criteria ask about one parcel of the stock.
//!
//! Filtering by envelope comes first; exact polygon distances
//! ([`distance_m`]) are measured only where the envelopes cannot decide:
//! a parcel whose envelope is entirely within `r` of the query's envelope
//! (farthest corners at most `r` apart) is within `r` without measuring.

use geo::{Coord, Distance, Euclidean, Point, Rect};
use rayon::prelude::*;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

use crate::parcel::Parcel;
use crate::stock::{distance_m, IndexedEnvelope, ParcelStock};

fn grown(r: &Rect<f64>, by_m: f64) -> AABB<[f64; 2]> {
    AABB::from_corners(
        [r.min().x - by_m, r.min().y - by_m],
        [r.max().x + by_m, r.max().y + by_m],
    )
}

/// Smallest distance between two rectangles (0 when they meet).
fn rect_min_dist_m(a: &Rect<f64>, b: &Rect<f64>) -> f64 {
    let dx = (b.min().x - a.max().x).max(a.min().x - b.max().x).max(0.0);
    let dy = (b.min().y - a.max().y).max(a.min().y - b.max().y).max(0.0);
    dx.hypot(dy)
}

/// Largest distance between a point of one rectangle and a point of the
/// other: an upper bound of the distance between anything inside them.
fn rect_max_dist_m(a: &Rect<f64>, b: &Rect<f64>) -> f64 {
    let dx = (a.max().x - b.min().x).max(b.max().x - a.min().x);
    let dy = (a.max().y - b.min().y).max(b.max().y - a.min().y);
    dx.hypot(dy)
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

    /// Indexed parcels other than `i` within `dist_m` of parcel `i` (polygon
    /// distance, inclusive), ascending by index.
    pub fn within_dist_m(&self, stock: &ParcelStock, i: usize, dist_m: f64) -> Vec<usize> {
        let env = stock.envelope(i);
        let g = &stock.get(i).geometry;
        let mut v: Vec<usize> = self
            .tree
            .locate_in_envelope_intersecting(&grown(&env, dist_m))
            .filter_map(|e| {
                let j = e.data;
                if j == i {
                    return None;
                }
                let ej = stock.envelope(j);
                let inside = rect_max_dist_m(&env, &ej) <= dist_m
                    || distance_m(g, &stock.get(j).geometry) <= dist_m;
                inside.then_some(j)
            })
            .collect();
        v.sort_unstable();
        v
    }

    /// Whether any indexed parcel other than `i` is within `dist_m` of parcel
    /// `i` (inclusive).
    pub fn any_within_dist_m(&self, stock: &ParcelStock, i: usize, dist_m: f64) -> bool {
        let env = stock.envelope(i);
        let g = &stock.get(i).geometry;
        self.tree
            .locate_in_envelope_intersecting(&grown(&env, dist_m))
            .any(|e| {
                let j = e.data;
                j != i
                    && (rect_max_dist_m(&env, &stock.envelope(j)) <= dist_m
                        || distance_m(g, &stock.get(j).geometry) <= dist_m)
            })
    }

    /// Distance from parcel `i` to the nearest indexed parcel other than
    /// itself, m; `+inf` when there is none.
    pub fn nearest_dist_m(&self, stock: &ParcelStock, i: usize) -> f64 {
        let env = stock.envelope(i);
        let g = &stock.get(i).geometry;
        let c = env.center();
        // An upper bound from the few envelopes nearest the centre, then every
        // envelope within that bound, nearest envelopes first.
        let mut best = f64::INFINITY;
        for e in self
            .tree
            .nearest_neighbor_iter(&[c.x, c.y])
            .filter(|e| e.data != i)
            .take(4)
        {
            best = best.min(distance_m(g, &stock.get(e.data).geometry));
        }
        if best == 0.0 || !best.is_finite() {
            return best;
        }
        let mut near: Vec<(f64, usize)> = self
            .tree
            .locate_in_envelope_intersecting(&grown(&env, best))
            .filter(|e| e.data != i)
            .map(|e| (rect_min_dist_m(&env, &stock.envelope(e.data)), e.data))
            .filter(|&(d, _)| d <= best)
            .collect();
        near.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for (env_d, j) in near {
            if env_d > best {
                break;
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
                rect_max_dist_m(&env, &p) <= dist_m || self.dist_m(stock, i, e.data) <= dist_m
            })
            .count()
    }

    /// Distance from parcel `i` to the nearest point, m; `+inf` for an
    /// empty layer.
    pub fn nearest_dist_m(&self, stock: &ParcelStock, i: usize) -> f64 {
        let env = stock.envelope(i);
        let c = env.center();
        let mut best = f64::INFINITY;
        for e in self.tree.nearest_neighbor_iter(&[c.x, c.y]).take(4) {
            best = best.min(self.dist_m(stock, i, e.data));
        }
        if best == 0.0 || !best.is_finite() {
            return best;
        }
        for e in self.tree.locate_in_envelope(&grown(&env, best)) {
            best = best.min(self.dist_m(stock, i, e.data));
        }
        best
    }
}
