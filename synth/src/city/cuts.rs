//! Cutting rectangles: guillotine cuts, sub-block grids, vacant lots and
//! conforming shared edges (T-junction vertices).

use super::*;

/// Cuts `r` across its longer side at fraction `f`, rounded to whole metres.
pub(super) fn cut(r: Rect, f: f64) -> (Rect, Rect) {
    if r.w() >= r.h() {
        let x = (r.x0 + r.w() * f).round();
        (
            Rect::new(r.x0, r.y0, x, r.y1),
            Rect::new(x, r.y0, r.x1, r.y1),
        )
    } else {
        let y = (r.y0 + r.h() * f).round();
        (
            Rect::new(r.x0, r.y0, r.x1, y),
            Rect::new(r.x0, y, r.x1, r.y1),
        )
    }
}

/// A vacant lot: no status, `gb_code` null or (with `h_code`) "H9".
pub(super) fn vacant(r: Rect, h_code: bool) -> SynthParcel {
    let mut p = SynthParcel::at("H9", r);
    p.gb_code = h_code.then_some("H9");
    p.status = None;
    p.vacant = true;
    p
}

pub(super) fn rect_centre(p: &Poly) -> Pt {
    let (mut lo, mut hi) = ([f64::MAX; 2], [f64::MIN; 2]);
    for v in &p.exterior {
        for k in 0..2 {
            lo[k] = lo[k].min(v[k]);
            hi[k] = hi[k].max(v[k]);
        }
    }
    [(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0]
}

/// The sub-blocks of `rect`: a grid of roughly 195 m cells with 16 m lanes,
/// in row-major order from the south-west.
pub(super) fn sub_block_grid(rect: Rect) -> Vec<Rect> {
    let cols = ((rect.w() + LANE_M) / (SUB_BLOCK_M)).round().max(1.0) as usize;
    let rows = ((rect.h() + LANE_M) / (SUB_BLOCK_M)).round().max(1.0) as usize;
    let edges = |lo: f64, hi: f64, n: usize| -> Vec<(f64, f64)> {
        let cell = (hi - lo - LANE_M * (n - 1) as f64) / n as f64;
        (0..n)
            .map(|i| {
                let a = (lo + i as f64 * (cell + LANE_M)).round();
                let b = if i + 1 == n {
                    hi
                } else {
                    (lo + i as f64 * (cell + LANE_M) + cell).round()
                };
                (a, b)
            })
            .collect()
    };
    let xs = edges(rect.x0, rect.x1, cols);
    let ys = edges(rect.y0, rect.y1, rows);
    let mut out = Vec::with_capacity(cols * rows);
    for &(y0, y1) in &ys {
        for &(x0, x1) in &xs {
            out.push(Rect::new(x0, y0, x1, y1));
        }
    }
    out
}

/// The index of sub-block `b` in the grid of the centre district.
pub(super) fn centre_sub_block_index(b: Rect) -> usize {
    let half = (DISTRICT_M - STREET_M) / 2.0;
    let grid = sub_block_grid(Rect::new(-half, -half, half, half));
    grid.iter().position(|g| *g == b).unwrap_or(usize::MAX)
}

/// Makes the district's tiling conforming: every vertex that lies inside
/// another parcel's edge is inserted into that edge, so that neighbours share
/// whole segments (no T-junctions). After projection and rounding, shared
/// boundaries then stay exactly shared. All edges are axis-parallel.
pub(super) fn conform(parcels: &mut [SynthParcel]) {
    let mut by_y: Vec<Pt> = parcels
        .iter()
        .flat_map(|p| p.parts.iter())
        .flat_map(|poly| std::iter::once(&poly.exterior).chain(poly.holes.iter()))
        .flatten()
        .copied()
        .collect();
    let mut by_x = by_y.clone();
    by_y.sort_unstable_by(|a, b| (a[1], a[0]).partial_cmp(&(b[1], b[0])).expect("finite"));
    by_y.dedup();
    by_x.sort_unstable_by(|a, b| (a[0], a[1]).partial_cmp(&(b[0], b[1])).expect("finite"));
    by_x.dedup();
    let mut ring_out: Vec<Pt> = Vec::new();
    for poly in parcels.iter_mut().flat_map(|p| p.parts.iter_mut()) {
        for ring in std::iter::once(&mut poly.exterior).chain(poly.holes.iter_mut()) {
            ring_out.clear();
            let n = ring.len();
            for i in 0..n {
                let (p, q) = (ring[i], ring[(i + 1) % n]);
                ring_out.push(p);
                // Horizontal edge: look up vertices on the same y; vertical: same x.
                let (sorted, along, across) = if p[1] == q[1] {
                    (&by_y, 0, 1)
                } else {
                    (&by_x, 1, 0)
                };
                let (lo, hi) = (p[along].min(q[along]), p[along].max(q[along]));
                let start = sorted.partition_point(|v| (v[across], v[along]) <= (p[across], lo));
                let end = sorted.partition_point(|v| (v[across], v[along]) < (p[across], hi));
                if start < end {
                    if p[along] < q[along] {
                        ring_out.extend_from_slice(&sorted[start..end]);
                    } else {
                        ring_out.extend(sorted[start..end].iter().rev());
                    }
                }
            }
            if ring_out.len() != n {
                ring.clone_from(&ring_out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conform_inserts_t_junction_vertices() {
        // One wide parcel below two narrow ones: the wide one's top edge gets
        // the narrow ones' shared corner.
        let mut ps = vec![
            SynthParcel::at("R2", Rect::new(0.0, 0.0, 10.0, 5.0)),
            SynthParcel::at("R2", Rect::new(0.0, 5.0, 4.0, 9.0)),
            SynthParcel::at("R2", Rect::new(4.0, 5.0, 10.0, 9.0)),
        ];
        conform(&mut ps);
        assert_eq!(
            ps[0].parts[0].exterior,
            vec![[0.0, 0.0], [10.0, 0.0], [10.0, 5.0], [4.0, 5.0], [0.0, 5.0]]
        );
        assert_eq!(ps[1].parts[0].exterior.len(), 4);
        assert_eq!(ps[0].area_m2(), 50.0);
    }

    #[test]
    fn spiral_starts_at_centre_and_grows() {
        let cells: Vec<_> = Spiral::new().take(200).collect();
        assert_eq!(cells[0], (0, 0));
        let d2 = |c: &(i32, i32)| c.0 * c.0 + c.1 * c.1;
        assert!(cells.windows(2).all(|w| d2(&w[0]) <= d2(&w[1])));
        let mut sorted = cells.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), cells.len(), "no district twice");
    }

    #[test]
    fn sub_blocks_leave_lanes() {
        let g = sub_block_grid(Rect::new(0.0, 0.0, 770.0, 770.0));
        assert_eq!(g.len(), 16);
        assert_eq!(g[1].x0 - g[0].x1, 16.0);
        assert_eq!(g[15].x1, 770.0);
    }
}
