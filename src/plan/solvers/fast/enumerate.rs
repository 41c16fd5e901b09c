//! Exact search for small problems: a depth-first branch-and-bound over the
//! free candidates, pruned by the rows (no completion can bring a row back
//! under its limit) and by the Lagrangian bound of the certificate with the
//! candidates assigned so far held at their uses. When it runs to the end
//! the best plan is the optimum and the fast solver's bound equals it; a
//! node budget stops it on problems where the bound prunes too little, and
//! the heuristic plan (or a better one met on the way) stands.

use super::state::{rows_hold, State};
use super::Certificate;
use crate::plan::model::Model;
use crate::plan::Use;

/// Free candidates up to which the search runs.
pub(super) const SMALL: usize = 40;
/// Nodes the search may visit before it gives up its proof.
const NODES: usize = 200_000;

/// The result of [`search`]: a plan better than the incumbent (if one was
/// found) and whether the search ran to the end (the plan kept is optimal).
pub(super) struct Searched {
    pub(super) better: Option<Vec<Use>>,
    pub(super) complete: bool,
}

/// Searches every plan of a problem with at most [`SMALL`] free candidates
/// for one better than `incumbent` (its objective; `−∞` when there is none).
/// Deterministic: candidates in decreasing area (ties by index), options in
/// decreasing Lagrangian value (ties by use).
pub(super) fn search(m: &Model, cert: &Certificate, incumbent: f64) -> Searched {
    let mut free: Vec<usize> = (0..m.n).filter(|&k| m.fixed[k].is_none()).collect();
    free.sort_by(|&a, &b| m.area_ha[b].total_cmp(&m.area_ha[a]).then(a.cmp(&b)));
    let nrows = m.rows.len();
    let best_val = |k: usize| {
        cert.val[k]
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max)
    };
    // rest_min[d][r]: the least the candidates free[d..] can add to row r
    // (relative to keep, where the search starts them); rest_val[d]: their
    // Lagrangian values at best.
    let mut rest_min = vec![vec![0.0; nrows]; free.len() + 1];
    let mut rest_val = vec![0.0; free.len() + 1];
    for d in (0..free.len()).rev() {
        let k = free[d];
        let mut keep = vec![0.0; nrows];
        m.for_each_coef(k, Use::Keep, |r, c| keep[r] += c);
        let mut low = vec![f64::INFINITY; nrows];
        for u in m.options(k) {
            let mut c_u = vec![0.0; nrows];
            m.for_each_coef(k, u, |r, c| c_u[r] += c);
            for r in 0..nrows {
                low[r] = low[r].min(c_u[r] - keep[r]);
            }
        }
        for r in 0..nrows {
            let l = if low[r].is_finite() { low[r] } else { 0.0 };
            rest_min[d][r] = rest_min[d + 1][r] + l;
        }
        rest_val[d] = rest_val[d + 1] + best_val(k);
    }
    let start: Vec<Use> = (0..m.n).map(|k| m.fixed[k].unwrap_or(Use::Keep)).collect();
    let mut dfs = Dfs {
        s: State::new(m, start),
        free,
        cert,
        rest_min,
        base: cert.bound(m) - rest_val[0],
        rest_val,
        best: incumbent,
        better: None,
        nodes: 0,
    };
    let complete = dfs.go(0, 0.0);
    Searched {
        better: dfs.better,
        complete,
    }
}

/// The search's state: the plan so far and the best plan found.
struct Dfs<'a> {
    s: State<'a>,
    free: Vec<usize>,
    cert: &'a Certificate,
    rest_min: Vec<Vec<f64>>,
    rest_val: Vec<f64>,
    /// The certificate's bound without the free candidates' values.
    base: f64,
    best: f64,
    better: Option<Vec<Use>>,
    nodes: usize,
}

impl Dfs<'_> {
    /// Whether no row is past a limit the candidates from depth `d` on cannot bring it back under.
    fn rows_can_hold(&self, d: usize) -> bool {
        let m = self.s.m;
        (0..m.rows.len())
            .all(|r| self.s.act[r] + self.rest_min[d][r] <= m.rows[r].rhs + self.s.tol[r])
    }

    /// Explores every completion from depth `d` (`val`: the Lagrangian
    /// value of the free candidates assigned so far); returns false when the
    /// node budget ran out.
    fn go(&mut self, d: usize, val: f64) -> bool {
        self.nodes += 1;
        if self.nodes > NODES {
            return false;
        }
        let bound = self.base + val + self.rest_val[d];
        if bound <= self.best + 1e-9 * self.best.abs().max(1.0) {
            return true;
        }
        if !self.rows_can_hold(d) {
            return true;
        }
        let m = self.s.m;
        if d == self.free.len() {
            if rows_hold(&self.s) && m.is_feasible(&self.s.uses) {
                let exact = m.objective(&self.s.uses);
                if exact > self.best + 1e-9 * self.best.abs().max(1.0) {
                    self.best = exact;
                    self.better = Some(self.s.uses.clone());
                }
            }
            return true;
        }
        let k = self.free[d];
        let v = self.cert.val[k];
        let mut opts: Vec<Use> = m.options(k).collect();
        opts.sort_by(|a, b| v[b.index()].total_cmp(&v[a.index()]).then(a.cmp(b)));
        for u in opts {
            self.s.apply(k, u);
            let done = self.go(d + 1, val + v[u.index()]);
            self.s.apply(k, Use::Keep);
            if !done {
                return false;
            }
        }
        true
    }
}
