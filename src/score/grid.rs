//! A uniform grid that sums a per-parcel value over every parcel within a
//! radius, adding whole cells at once where a cell lies entirely within the
//! radius. Because the sums are [`OrderFreeSum`]s, adding a cell's total
//! equals adding its parcels one by one, so the result is exactly the
//! all-pairs sum.

use geo::{Coord, Rect};
use rayon::prelude::*;

use super::layers::OrderFreeSum;
use crate::stock::ParcelIndex;
use crate::stock::ParcelStock;
use crate::stock::{
    exteriors_within2_flat, parcels_within, rect_max_dist2, rect_min_dist2, rects_apart,
};

/// Whether parcel `i` is among a cell's members (sorted by index).
fn cell_has(members: &[Member], i: usize) -> bool {
    members.binary_search_by_key(&i, |m| m.index).is_ok()
}

/// A parcel in a cell.
#[derive(Debug, Clone, Copy)]
struct Member {
    index: usize,
    env: Rect<f64>,
    value: OrderFreeSum,
    coords: (usize, usize),
}

/// One grid cell: its parcels, the union of their envelopes and their sum.
#[derive(Debug, Clone)]
struct Cell {
    /// Members are `members[start..end]`.
    start: usize,
    end: usize,
    bbox: Rect<f64>,
    sum: OrderFreeSum,
}

/// A grid summing `values[j]` over the parcels `j` within `r` of a parcel.
///
/// ```
/// use geo::{polygon, MultiPolygon};
/// use landstock::{LandUse, Parcel, Status, stock::ParcelStock, score::SumGrid};
/// let sq = |x: f64| MultiPolygon(vec![polygon![(x: x, y: 0.), (x: x + 10., y: 0.), (x: x + 10., y: 10.), (x: x, y: 10.)]]);
/// let stock = ParcelStock::new((0..100).map(|k| Parcel::new(format!("{k}"), sq(20.0 * k as f64), LandUse::Residential, Status::Active)).collect());
/// let values: Vec<f64> = (0..100).map(|k| k as f64).collect();
/// let grid = SumGrid::build(&stock, &values, 30.0);
/// // parcel 10 spans x 200..210; within 30 m: parcels 9, 11 (edges 10 m away) and 8, 12 (30 m)
/// assert_eq!(grid.sum_within(&stock, 10, 30.0, true).value(), 8.0 + 9.0 + 10.0 + 11.0 + 12.0);
/// assert_eq!(grid.sum_within(&stock, 10, 30.0, false).value(), 8.0 + 9.0 + 11.0 + 12.0);
/// ```
#[derive(Debug, Clone)]
pub struct SumGrid {
    origin: Coord<f64>,
    cell_m: f64,
    nx: usize,
    ny: usize,
    cells: Vec<Cell>,
    /// Cell members, grouped by cell.
    members: Vec<Member>,
    /// Members' exterior rings, one run per member (rings separated by a NaN
    /// coordinate), kept beside the cells so that the parcels near the edge
    /// of the radius are measured without a trip to the stock.
    coords: Vec<Coord<f64>>,
    /// Parcels larger than a cell, in their own R-tree.
    oversize: ParcelIndex,
    /// Every parcel's value (for the parcel itself).
    values: Vec<f64>,
}

impl SumGrid {
    /// Indexes the parcels with a non-zero value, for queries of about
    /// `radius_m`: cells are a sixteenth of the radius, but at least twice the
    /// median parcel size; parcels larger than a cell go to an R-tree.
    pub fn build(stock: &ParcelStock, values: &[f64], radius_m: f64) -> SumGrid {
        let kept: Vec<usize> = (0..stock.len())
            .into_par_iter()
            .filter(|&j| values[j] != 0.0 && !values[j].is_nan())
            .collect();
        let mut sizes: Vec<f64> = kept
            .iter()
            .map(|&j| {
                let e = stock.envelope(j);
                e.width().max(e.height())
            })
            .collect();
        let median = if sizes.is_empty() {
            1.0
        } else {
            let mid = sizes.len() / 2;
            *sizes.select_nth_unstable_by(mid, f64::total_cmp).1
        };
        let cell_m = (radius_m / 16.0).max(2.0 * median);
        let cell_m = if cell_m.is_finite() && cell_m > 0.0 {
            cell_m
        } else {
            1.0
        };
        let is_oversize = |j: usize| {
            let e = stock.envelope(j);
            e.width() > cell_m || e.height() > cell_m
        };
        let small: Vec<usize> = kept.iter().copied().filter(|&j| !is_oversize(j)).collect();
        let oversize = ParcelIndex::build(stock, |j, _| {
            values[j] != 0.0 && !values[j].is_nan() && is_oversize(j)
        });

        let mut min = Coord {
            x: f64::INFINITY,
            y: f64::INFINITY,
        };
        let mut max = Coord {
            x: f64::NEG_INFINITY,
            y: f64::NEG_INFINITY,
        };
        for &j in &small {
            let c = stock.envelope(j).center();
            min = Coord {
                x: min.x.min(c.x),
                y: min.y.min(c.y),
            };
            max = Coord {
                x: max.x.max(c.x),
                y: max.y.max(c.y),
            };
        }
        let (nx, ny) = if small.is_empty() {
            (0, 0)
        } else {
            (
                ((max.x - min.x) / cell_m).floor() as usize + 1,
                ((max.y - min.y) / cell_m).floor() as usize + 1,
            )
        };
        let cell_of = |j: usize| {
            let c = stock.envelope(j).center();
            let cx = (((c.x - min.x) / cell_m).floor() as usize).min(nx - 1);
            let cy = (((c.y - min.y) / cell_m).floor() as usize).min(ny - 1);
            cy * nx + cx
        };
        // counting sort of the members by cell (members ascend within a cell)
        let mut counts = vec![0usize; nx * ny + 1];
        let keys: Vec<usize> = small.iter().map(|&j| cell_of(j)).collect();
        for &k in &keys {
            counts[k + 1] += 1;
        }
        for k in 1..counts.len() {
            counts[k] += counts[k - 1];
        }
        let mut order = vec![0; small.len()];
        let mut fill = counts.clone();
        for (&j, &k) in small.iter().zip(&keys) {
            order[fill[k]] = j;
            fill[k] += 1;
        }
        let mut coords = Vec::new();
        let members: Vec<Member> = order
            .iter()
            .map(|&j| {
                let start = coords.len();
                for (k, poly) in stock.get(j).geometry.0.iter().enumerate() {
                    if k > 0 {
                        coords.push(Coord {
                            x: f64::NAN,
                            y: f64::NAN,
                        });
                    }
                    coords.extend_from_slice(&poly.exterior().0);
                }
                Member {
                    index: j,
                    env: stock.envelope(j),
                    value: OrderFreeSum::of(values[j]),
                    coords: (start, coords.len()),
                }
            })
            .collect();
        let empty = Rect::new(min, min);
        let cells = (0..nx * ny)
            .map(|k| {
                let (start, end) = (counts[k], counts[k + 1]);
                let mut sum = OrderFreeSum::default();
                let mut bbox: Option<Rect<f64>> = None;
                for m in &members[start..end] {
                    let e = m.env;
                    sum.add_sum(m.value);
                    bbox = Some(match bbox {
                        None => e,
                        Some(b) => Rect::new(
                            Coord {
                                x: b.min().x.min(e.min().x),
                                y: b.min().y.min(e.min().y),
                            },
                            Coord {
                                x: b.max().x.max(e.max().x),
                                y: b.max().y.max(e.max().y),
                            },
                        ),
                    });
                }
                Cell {
                    start,
                    end,
                    bbox: bbox.unwrap_or(empty),
                    sum,
                }
            })
            .collect();
        SumGrid {
            origin: min,
            cell_m,
            nx,
            ny,
            cells,
            members,
            coords,
            oversize,
            values: values.to_vec(),
        }
    }

    /// Sum of `values[j]` over every indexed parcel `j` within `dist_m` of
    /// parcel `i` (inclusive); `i` itself counts only when `include_self`
    /// (and then whether indexed or not).
    pub fn sum_within(
        &self,
        stock: &ParcelStock,
        i: usize,
        dist_m: f64,
        include_self: bool,
    ) -> OrderFreeSum {
        let env = stock.envelope(i);
        let g = &stock.get(i).geometry;
        let r2 = dist_m * dist_m;
        let mut total = OrderFreeSum::default();
        if include_self {
            total.add(self.values[i]);
        }
        self.oversize
            .for_each_within(stock, i, dist_m, |j| total.add(self.values[j]));
        if self.nx == 0 {
            return total;
        }
        // member envelopes stick out of their cell by at most half a cell
        let reach = dist_m + self.cell_m;
        let span = |lo: f64, hi: f64, o: f64, n: usize| {
            let a = ((lo - reach - o) / self.cell_m).floor().max(0.0);
            let b = ((hi + reach - o) / self.cell_m).floor();
            if b < 0.0 || a > (n - 1) as f64 {
                None
            } else {
                Some((a as usize, (b as usize).min(n - 1)))
            }
        };
        let (Some((x0, x1)), Some((y0, y1))) = (
            span(env.min().x, env.max().x, self.origin.x, self.nx),
            span(env.min().y, env.max().y, self.origin.y, self.ny),
        ) else {
            return total;
        };
        for cy in y0..=y1 {
            for cell in &self.cells[cy * self.nx + x0..=cy * self.nx + x1] {
                if cell.start == cell.end || rect_min_dist2(&env, &cell.bbox) > r2 {
                    continue;
                }
                if rect_max_dist2(&env, &cell.bbox) <= r2 {
                    total.add_sum(cell.sum);
                    // the cell's total counts `i` too when it is a member
                    if cell_has(&self.members[cell.start..cell.end], i) {
                        total.sub_sum(OrderFreeSum::of(self.values[i]));
                    }
                    continue;
                }
                for m in &self.members[cell.start..cell.end] {
                    if m.index == i {
                        continue;
                    }
                    let near = if rects_apart(&env, &m.env) {
                        rect_min_dist2(&env, &m.env) <= r2
                            && (rect_max_dist2(&env, &m.env) <= r2
                                || exteriors_within2_flat(
                                    g,
                                    &self.coords[m.coords.0..m.coords.1],
                                    r2,
                                ))
                    } else {
                        parcels_within(stock, i, m.index, &m.env, dist_m)
                    };
                    if near {
                        total.add_sum(m.value);
                    }
                }
            }
        }
        total
    }
}
