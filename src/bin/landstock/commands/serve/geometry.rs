//! The map's data as binary buffers (little-endian), made once and kept:
//! the page draws them on a canvas without parsing GeoJSON.
//!
//! Coordinates are in the working CRS (metres), relative to the south-west
//! corner of the stock's bounding box, as `f32`.
//!
//! * polygons (`/api/geometry`, whole city or one viewport):
//!   `"LSG1"`, `u32` parcels, rings, points, then `u32 index[parcels]` (stock
//!   index), `u32 ring_start[parcels + 1]`, `u32 point_start[rings + 1]`,
//!   `f32 xy[2 × points]`, `u8 class[parcels]` (index into `LandUse::ALL`).
//! * centroids (`/api/geometry/points`, the level of detail of a large city
//!   seen whole): `"LSP1"`, `u32` parcels, `f32 xy[2 × parcels]`, `u8 class[parcels]`.
//! * candidates (`/api/candidates`): `u32` stock index per candidate, in the
//!   order of the plan's `uses`.

use std::sync::OnceLock;

use geo::{BoundingRect, Contains};
use landstock::stock::ParcelStock;
use landstock::LandUse;
use rstar::AABB;

/// The buffers made so far.
#[derive(Default)]
pub(crate) struct Buffers {
    pub(crate) all: OnceLock<Vec<u8>>,
    pub(crate) points: OnceLock<Vec<u8>>,
    pub(crate) candidates: OnceLock<Vec<u8>>,
    pub(crate) bbox: OnceLock<[f64; 4]>,
}

/// The class code the page colours by.
pub(crate) fn class_code(c: LandUse) -> u8 {
    LandUse::ALL.iter().position(|&x| x == c).unwrap_or(0) as u8
}

/// `[min_x, min_y, max_x, max_y]` of the stock, working CRS.
pub(crate) fn bbox(stock: &ParcelStock) -> [f64; 4] {
    let mut b = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for i in 0..stock.len() {
        let r = stock.envelope(i);
        b[0] = b[0].min(r.min().x);
        b[1] = b[1].min(r.min().y);
        b[2] = b[2].max(r.max().x);
        b[3] = b[3].max(r.max().y);
    }
    if !b[0].is_finite() {
        return [0.0; 4];
    }
    b
}

fn u32s(out: &mut Vec<u8>, v: impl IntoIterator<Item = u32>) {
    for x in v {
        out.extend_from_slice(&x.to_le_bytes());
    }
}

/// The polygons of the parcels `indices`, in that order.
pub(crate) fn polygons(stock: &ParcelStock, indices: &[usize], origin: [f64; 2]) -> Vec<u8> {
    let mut ring_start = vec![0u32];
    let mut point_start = vec![0u32];
    let mut xy: Vec<f32> = Vec::new();
    for &i in indices {
        for poly in &stock.get(i).geometry.0 {
            for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
                // the closing point repeats the first: the canvas closes paths itself
                let n = ring.0.len().saturating_sub(1);
                for c in &ring.0[..n] {
                    xy.push((c.x - origin[0]) as f32);
                    xy.push((c.y - origin[1]) as f32);
                }
                point_start.push((xy.len() / 2) as u32);
            }
        }
        ring_start.push((point_start.len() - 1) as u32);
    }
    let mut out =
        Vec::with_capacity(16 + 4 * (indices.len() * 2 + point_start.len()) + 4 * xy.len());
    out.extend_from_slice(b"LSG1");
    u32s(
        &mut out,
        [
            indices.len() as u32,
            (point_start.len() - 1) as u32,
            (xy.len() / 2) as u32,
        ],
    );
    u32s(&mut out, indices.iter().map(|&i| i as u32));
    u32s(&mut out, ring_start);
    u32s(&mut out, point_start);
    for v in xy {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend(indices.iter().map(|&i| class_code(stock.get(i).land_use)));
    out
}

/// The centroid and class of every parcel.
pub(crate) fn points(
    stock: &ParcelStock,
    centroids: &[geo::Coord<f64>],
    origin: [f64; 2],
) -> Vec<u8> {
    let n = stock.len();
    let mut out = Vec::with_capacity(8 + 9 * n);
    out.extend_from_slice(b"LSP1");
    u32s(&mut out, [n as u32]);
    for i in 0..n {
        let c = centroids.get(i).copied().unwrap_or_else(|| {
            let r = stock.envelope(i);
            r.center()
        });
        out.extend_from_slice(&((c.x - origin[0]) as f32).to_le_bytes());
        out.extend_from_slice(&((c.y - origin[1]) as f32).to_le_bytes());
    }
    out.extend((0..n).map(|i| class_code(stock.get(i).land_use)));
    out
}

/// Parcels whose envelope meets the box (working CRS), in stock order, at
/// most `limit` (`None` when there are more).
pub(crate) fn in_box(stock: &ParcelStock, b: [f64; 4], limit: usize) -> Option<Vec<usize>> {
    let env = AABB::from_corners([b[0], b[1]], [b[2], b[3]]);
    let mut found = Vec::new();
    for item in stock.tree().locate_in_envelope_intersecting(&env) {
        if found.len() == limit {
            return None;
        }
        found.push(item.data);
    }
    found.sort_unstable();
    Some(found)
}

/// The parcel containing the point (working CRS), else the one whose
/// envelope is nearest within `tol_m`.
pub(crate) fn locate(stock: &ParcelStock, x: f64, y: f64, tol_m: f64) -> Option<usize> {
    let p = geo::Point::new(x, y);
    let env = AABB::from_corners([x - tol_m, y - tol_m], [x + tol_m, y + tol_m]);
    let mut best: Option<(f64, usize)> = None;
    for item in stock.tree().locate_in_envelope_intersecting(&env) {
        let i = item.data;
        let g = &stock.get(i).geometry;
        if g.contains(&p) {
            return Some(i);
        }
        let d = g.bounding_rect().map_or(f64::INFINITY, |r| {
            let dx = (r.min().x - x).max(x - r.max().x).max(0.0);
            let dy = (r.min().y - y).max(y - r.max().y).max(0.0);
            dx.hypot(dy)
        });
        if best.is_none_or(|(bd, bi)| d < bd || (d == bd && i < bi)) {
            best = Some((d, i));
        }
    }
    best.filter(|&(d, _)| d <= tol_m).map(|(_, i)| i)
}
