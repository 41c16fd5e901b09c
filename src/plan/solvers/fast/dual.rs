//! The Lagrangian relaxation of the fast solver (see the parent module's
//! docs): each candidate's value per use under the multipliers, the split
//! of the pair weights between their ends, the bound `L(λ)` and its
//! subgradient.

use crate::plan::model::Model;
use crate::plan::Use;

/// The Lagrangian relaxation: multipliers on the rows (passed in) and the
/// split of each pair weight between its ends (`alpha[j][u]` to `p`, the
/// rest to `q`), with each candidate's value per use under both.
pub(super) struct Dual<'a> {
    m: &'a Model,
    pub(super) alpha: Vec<[f64; 5]>,
    /// Value of each use per candidate; −∞ where the use is not an option.
    pub(super) val: Vec<[f64; 5]>,
}

impl<'a> Dual<'a> {
    pub(super) fn new(m: &'a Model) -> Self {
        let alpha = m.pairs.iter().map(|t| t.w.map(|w| 0.5 * w)).collect();
        Dual {
            m,
            alpha,
            val: vec![[f64::NEG_INFINITY; 5]; m.n],
        }
    }

    /// Recomputes every value from the multipliers and the current split.
    pub(super) fn values(&mut self, lambda: &[f64]) {
        let m = self.m;
        for k in 0..m.n {
            let mut v = [f64::NEG_INFINITY; 5];
            for u in m.options(k) {
                let mut x = m.benefit[k][u.index()];
                m.for_each_coef(k, u, |r, c| x -= lambda[r] * c);
                v[u.index()] = x;
            }
            self.val[k] = v;
        }
        for (t, a) in m.pairs.iter().zip(&self.alpha) {
            for (ui, (&w, &a)) in t.w.iter().zip(a).enumerate() {
                if w > 0.0 {
                    self.val[t.p][ui] += a;
                    self.val[t.q][ui] += w - a;
                }
            }
        }
    }

    /// One pass of exact coordinate descent on the splits: each pair weight
    /// goes where it raises the relaxed value least (`L` never increases).
    pub(super) fn sweep(&mut self) {
        let m = self.m;
        for (j, t) in m.pairs.iter().enumerate() {
            for ui in 1..5 {
                let w = t.w[ui];
                if w <= 0.0 {
                    continue;
                }
                let a = self.alpha[j][ui];
                let (vp, vq) = (&self.val[t.p], &self.val[t.q]);
                let base_p = vp[ui] - a;
                let base_q = vq[ui] - (w - a);
                let alt = |v: &[f64; 5]| {
                    (0..5)
                        .filter(|&i| i != ui)
                        .map(|i| v[i])
                        .fold(f64::NEG_INFINITY, f64::max)
                };
                let (alt_p, alt_q) = (alt(vp), alt(vq));
                let f = |x: f64| alt_p.max(base_p + x) + alt_q.max(base_q + w - x);
                let mut best = (f(a), a);
                for x in [
                    0.0,
                    w,
                    (alt_p - base_p).clamp(0.0, w),
                    (w - (alt_q - base_q)).clamp(0.0, w),
                ] {
                    if x.is_finite() {
                        let fx = f(x);
                        if fx < best.0 - 1e-15 {
                            best = (fx, x);
                        }
                    }
                }
                let x = best.1;
                self.alpha[j][ui] = x;
                self.val[t.p][ui] = base_p + x;
                self.val[t.q][ui] = base_q + w - x;
            }
        }
    }

    /// `L(λ)` (an upper bound on the optimum) and its subgradient `rhs − activity`.
    pub(super) fn bound(&self, lambda: &[f64]) -> (f64, Vec<f64>) {
        let m = self.m;
        let mut l: f64 = m.rows.iter().zip(lambda).map(|(r, y)| r.rhs * y).sum();
        let mut act = vec![0.0; m.rows.len()];
        for k in 0..m.n {
            let v = &self.val[k];
            let mut best = 0;
            for i in 1..5 {
                if v[i] > v[best] {
                    best = i;
                }
            }
            l += v[best];
            m.for_each_coef(k, Use::ALL[best], |r, c| act[r] += c);
        }
        let g = m.rows.iter().zip(&act).map(|(r, a)| r.rhs - a).collect();
        (l, g)
    }

    /// Each candidate's share of the pair weights per use (for the greedy).
    pub(super) fn parcel_shares(&self) -> Vec<[f64; 5]> {
        let m = self.m;
        let mut sh = vec![[0.0; 5]; m.n];
        for (t, a) in m.pairs.iter().zip(&self.alpha) {
            for ui in 1..5 {
                sh[t.p][ui] += a[ui];
                sh[t.q][ui] += t.w[ui] - a[ui];
            }
        }
        sh
    }
}

/// Reduced value of `x[k, u]` under the multipliers.
#[inline]
pub(super) fn reduced(m: &Model, lambda: &[f64], shares: &[[f64; 5]], k: usize, u: Use) -> f64 {
    if u == Use::Keep {
        return 0.0;
    }
    let mut v = m.benefit[k][u.index()] + shares[k][u.index()];
    m.for_each_coef(k, u, |r, c| v -= lambda[r] * c);
    v
}
