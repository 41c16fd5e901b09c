//! The fast solver: Lagrangian relaxation for an upper bound, and a
//! Lagrangian-guided greedy with local search for the plan.
//!
//! **Bound.** Every row `Σ coef · x <= rhs` is moved into the objective with
//! a multiplier `λ_r >= 0`. The adjacency bonus is bounded by splitting each
//! pair weight between its two ends (`w · y <= α · x[p] + β · x[q]` for any
//! `α + β = w`, since `y <= x[p]` and `y <= x[q]`); the split follows the
//! best plan found (the weight goes to the end that does *not* take the use,
//! so it is not counted twice). The relaxed problem then falls apart into one
//! choice per candidate, and for every `λ >= 0`
//! `L(λ) = Σ_p max_u (benefit + share − λ · coef) + λ · rhs` is an upper
//! bound on the optimum. λ is improved by projected subgradient steps
//! (Polyak step towards the best plan's value).
//!
//! **Plan.** From the locked uses and keep elsewhere, minimums and the
//! construction target are met greedily (least objective lost per unit of
//! violation removed), then options are added in decreasing Lagrangian
//! value while every constraint holds, then single-candidate moves and
//! one-for-one swaps improve it. Everything runs for a fixed number of
//! iterations in parcel-id order, so the plan does not depend on timing or
//! threads.

use super::model::{Model, Outcome};
use super::{Method, Problem, Use};

/// Subgradient iterations.
const ITERATIONS: usize = 240;
/// A plan is rebuilt from the current multipliers every this many iterations.
const PRIMAL_EVERY: usize = 20;

pub(crate) fn solve(_problem: &Problem, m: &Model) -> Option<Outcome> {
    let nrows = m.rows.len();
    // Row scales: the largest |coef| in each row, so normalised rows are O(1).
    let mut scale = vec![0.0f64; nrows];
    for k in 0..m.n {
        for u in m.options(k) {
            m.for_each_coef(k, u, |r, c| scale[r] = scale[r].max(c.abs()));
        }
    }
    for s in &mut scale {
        if *s <= 0.0 {
            *s = 1.0;
        }
    }

    let mut lambda = initial_multipliers(m);
    let mut best: Option<(Vec<Use>, f64)> = None;
    let consider = |uses: Vec<Use>, best: &mut Option<(Vec<Use>, f64)>| {
        if !m.is_feasible(&uses) {
            return;
        }
        let obj = m.objective(&uses);
        if best.as_ref().is_none_or(|(_, b)| obj > *b + 1e-12) {
            *best = Some((uses, obj));
        }
    };
    let shares0 = shares(m, None);
    consider(construct(m, &lambda, &shares0), &mut best);

    let mut shares = shares(m, best.as_ref().map(|b| b.0.as_slice()));
    let mut best_bound = f64::INFINITY;
    let mut best_lambda = lambda.clone();
    let mut theta = 1.0;
    let mut since_improved = 0;
    let mut choice = vec![Use::Keep; m.n];
    for it in 0..ITERATIONS {
        let (l, g) = lagrangian(m, &lambda, &shares, &mut choice);
        if l < best_bound - 1e-12 * l.abs().max(1.0) {
            best_bound = l;
            best_lambda.clone_from(&lambda);
            since_improved = 0;
        } else {
            since_improved += 1;
            if since_improved >= 15 {
                theta *= 0.5;
                since_improved = 0;
            }
        }
        if (it + 1) % PRIMAL_EVERY == 0 {
            let before = best.as_ref().map(|b| b.1);
            consider(construct(m, &lambda, &shares), &mut best);
            if best.as_ref().map(|b| b.1) != before {
                shares = self::shares(m, best.as_ref().map(|b| b.0.as_slice()));
            }
        }
        // Normalised subgradient of L (minimising): g_r = rhs_r − activity_r.
        let norm2: f64 = (0..nrows)
            .map(|r| {
                let gr = g[r] / scale[r];
                if lambda[r] <= 0.0 && gr > 0.0 {
                    0.0 // projected away
                } else {
                    gr * gr
                }
            })
            .sum();
        if norm2 <= 1e-30 {
            break; // x(λ) is feasible and complementary: L is optimal here.
        }
        let target = best.as_ref().map_or(0.95 * l, |b| b.1);
        let step = theta * (l - target).max(1e-9 * l.abs().max(1.0)) / norm2;
        for r in 0..nrows {
            lambda[r] = (lambda[r] - step * g[r] / scale[r] / scale[r]).max(0.0);
        }
    }
    // The bound stays valid whatever the split, so finish with the best plan's split.
    let (l, _) = lagrangian(m, &best_lambda, &shares, &mut choice);
    best_bound = best_bound.min(l);
    consider(construct(m, &best_lambda, &shares), &mut best);
    let (uses, obj) = best?;
    Some(Outcome {
        uses,
        bound: best_bound.max(obj),
        method: Method::Fast,
    })
}

/// A first guess: the cap multiplier at the benefit density of the marginal
/// candidate when candidates are taken by density until the cap is full.
fn initial_multipliers(m: &Model) -> Vec<f64> {
    let mut lambda = vec![0.0; m.rows.len()];
    let mut dens: Vec<(f64, f64)> = (0..m.n)
        .filter(|&k| m.fixed[k].is_none())
        .filter_map(|k| {
            let b = m
                .options(k)
                .map(|u| m.benefit[k][u.index()])
                .fold(0.0, f64::max);
            (b > 0.0).then(|| (b / m.area_ha[k], m.area_ha[k]))
        })
        .collect();
    dens.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut used = 0.0;
    for (d, a) in dens {
        used += a;
        if used > m.rows[0].rhs {
            lambda[0] = d;
            break;
        }
    }
    lambda
}

/// Share of each pair weight credited to each end, per use, given a plan:
/// to the end that does not take the use (both halves when both or neither do).
fn shares(m: &Model, plan: Option<&[Use]>) -> Vec<[f64; 5]> {
    let mut sh = vec![[0.0; 5]; m.n];
    for t in &m.pairs {
        for ui in 1..5 {
            let w = t.w[ui];
            if w <= 0.0 {
                continue;
            }
            let u = Use::ALL[ui];
            let (tp, tq) = match plan {
                Some(x) => (x[t.p] == u, x[t.q] == u),
                None => (false, false),
            };
            let can_p = m.options(t.p).any(|v| v == u);
            let can_q = m.options(t.q).any(|v| v == u);
            let (a, b) = match (tp, tq) {
                _ if !can_p => (w, 0.0),
                _ if !can_q => (0.0, w),
                (true, false) => (0.0, w),
                (false, true) => (w, 0.0),
                _ => (0.5 * w, 0.5 * w),
            };
            sh[t.p][ui] += a;
            sh[t.q][ui] += b;
        }
    }
    sh
}

/// Reduced value of `x[k, u]` under the multipliers.
#[inline]
fn reduced(m: &Model, lambda: &[f64], shares: &[[f64; 5]], k: usize, u: Use) -> f64 {
    if u == Use::Keep {
        return 0.0;
    }
    let mut v = m.benefit[k][u.index()] + shares[k][u.index()];
    m.for_each_coef(k, u, |r, c| v -= lambda[r] * c);
    v
}

/// `L(λ)` and its subgradient `rhs − activity(x(λ))`; `choice` receives x(λ).
fn lagrangian(
    m: &Model,
    lambda: &[f64],
    shares: &[[f64; 5]],
    choice: &mut [Use],
) -> (f64, Vec<f64>) {
    let mut l: f64 = m.rows.iter().zip(lambda).map(|(r, y)| r.rhs * y).sum();
    for k in 0..m.n {
        let mut best = (f64::NEG_INFINITY, Use::Keep);
        for u in m.options(k) {
            let v = reduced(m, lambda, shares, k, u);
            if v > best.0 {
                best = (v, u);
            }
        }
        l += best.0;
        choice[k] = best.1;
    }
    let (act, _) = m.activities(choice);
    let g = m.rows.iter().zip(&act).map(|(r, a)| r.rhs - a).collect();
    (l, g)
}

/// A plan under construction with its row activities.
struct State<'a> {
    m: &'a Model,
    uses: Vec<Use>,
    act: Vec<f64>,
    tol: Vec<f64>,
    scale: Vec<f64>,
    delta: Vec<f64>,
    touched: Vec<usize>,
}

impl<'a> State<'a> {
    fn new(m: &'a Model, uses: Vec<Use>) -> Self {
        let (act, _) = m.activities(&uses);
        let tol = m
            .rows
            .iter()
            .map(|r| 1e-11 * r.rhs.abs().max(1.0))
            .collect();
        let scale = m.rows.iter().map(|r| r.rhs.abs().max(1.0)).collect();
        State {
            m,
            uses,
            act,
            tol,
            scale,
            delta: vec![0.0; m.rows.len()],
            touched: Vec::new(),
        }
    }

    /// Fills `delta`/`touched` with the row changes of moving `k` to `u`.
    fn row_changes(&mut self, k: usize, u: Use) {
        for &r in &self.touched {
            self.delta[r] = 0.0;
        }
        self.touched.clear();
        let (delta, touched) = (&mut self.delta, &mut self.touched);
        let mut add = |r: usize, c: f64| {
            if !touched.contains(&r) {
                touched.push(r);
            }
            delta[r] += c;
        };
        self.m.for_each_coef(k, u, &mut add);
        self.m.for_each_coef(k, self.uses[k], |r, c| add(r, -c));
    }

    /// Whether moving `k` to `u` pushes no row past its limit (rows already
    /// past it may only improve).
    fn move_ok(&mut self, k: usize, u: Use) -> bool {
        self.row_changes(k, u);
        self.touched.iter().all(|&r| {
            let d = self.delta[r];
            d <= 0.0 || self.act[r] + d <= self.m.rows[r].rhs + self.tol[r]
        })
    }

    /// Change of total normalised violation if `k` moves to `u`.
    fn violation_change(&mut self, k: usize, u: Use) -> f64 {
        self.row_changes(k, u);
        self.touched
            .iter()
            .map(|&r| {
                let rhs = self.m.rows[r].rhs + self.tol[r];
                let before = (self.act[r] - rhs).max(0.0);
                let after = (self.act[r] + self.delta[r] - rhs).max(0.0);
                (after - before) / self.scale[r]
            })
            .sum()
    }

    fn violation(&self) -> f64 {
        (0..self.m.rows.len())
            .map(|r| (self.act[r] - self.m.rows[r].rhs - self.tol[r]).max(0.0) / self.scale[r])
            .sum()
    }

    /// Objective change if `k` moves to `u`.
    fn gain(&self, k: usize, u: Use) -> f64 {
        let from = self.uses[k];
        let m = self.m;
        m.benefit[k][u.index()] - m.benefit[k][from.index()]
            + m.bonus_with_neighbours(&self.uses, k, u)
            - m.bonus_with_neighbours(&self.uses, k, from)
    }

    fn apply(&mut self, k: usize, u: Use) {
        let from = self.uses[k];
        let act = &mut self.act;
        self.m.for_each_coef(k, from, |r, c| act[r] -= c);
        self.m.for_each_coef(k, u, |r, c| act[r] += c);
        self.uses[k] = u;
    }
}

/// Builds a plan from multipliers: meet the requirement rows, fill by
/// reduced value, improve locally.
pub(crate) fn construct(m: &Model, lambda: &[f64], shares: &[[f64; 5]]) -> Vec<Use> {
    let start: Vec<Use> = (0..m.n).map(|k| m.fixed[k].unwrap_or(Use::Keep)).collect();
    let mut s = State::new(m, start);
    let free: Vec<usize> = (0..m.n).filter(|&k| m.fixed[k].is_none()).collect();

    // 1. Repair: least objective lost per unit of violation removed.
    repair(&mut s, &free, lambda, shares);

    // 2. Fill by reduced value, ties by parcel id then use.
    let mut opts: Vec<(f64, usize, Use)> = free
        .iter()
        .flat_map(|&k| {
            m.options(k)
                .filter(|u| u.is_conversion())
                .map(move |u| (reduced(m, lambda, shares, k, u), k, u))
        })
        .collect();
    opts.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for &(v, k, u) in &opts {
        if s.uses[k] != Use::Keep {
            continue;
        }
        if (v > 0.0 || s.gain(k, u) > 0.0) && s.move_ok(k, u) {
            s.apply(k, u);
        }
    }

    // 3. Local search: single moves, then one-for-one swaps.
    for _ in 0..4 {
        let mut improved = false;
        for &k in &free {
            let mut best: Option<(f64, Use)> = None;
            for u in m.options(k) {
                if u == s.uses[k] {
                    continue;
                }
                let g = s.gain(k, u);
                if g > 1e-12 && best.is_none_or(|b| g > b.0) && s.move_ok(k, u) {
                    best = Some((g, u));
                }
            }
            if let Some((_, u)) = best {
                s.apply(k, u);
                improved = true;
            }
        }
        improved |= swaps(&mut s, &free, lambda, shares);
        if !improved {
            break;
        }
    }
    s.uses
}

/// Meets the rows the locked uses and keep leave violated (minimums, the
/// construction target, a budget locked conversions overrun): single moves
/// that worsen no row first, then any move that lowers the total violation,
/// then pairs of moves among the most promising single moves.
fn repair(s: &mut State, free: &[usize], lambda: &[f64], shares: &[[f64; 5]]) {
    /// Single moves considered for pairs.
    const PAIR_POOL: usize = 96;
    let m = s.m;
    let mut steps = 0;
    while s.violation() > 0.0 && steps < 4 * m.n + 100 {
        steps += 1;
        // (worsens no row, key, k, u): larger is better.
        let mut pick: Option<(bool, f64, usize, Use)> = None;
        let mut pool: Vec<(f64, usize, Use)> = Vec::new();
        for &k in free {
            for u in m.options(k) {
                if u == s.uses[k] {
                    continue;
                }
                let dv = s.violation_change(k, u);
                pool.push((dv, k, u));
                if dv >= -1e-15 {
                    continue;
                }
                let clean = s.move_ok(k, u);
                let key = (s.gain(k, u) + reduced(m, lambda, shares, k, u) * 1e-9) / -dv;
                if pick.is_none_or(|p| (clean, key) > (p.0, p.1)) {
                    pick = Some((clean, key, k, u));
                }
            }
        }
        if let Some((_, _, k, u)) = pick {
            s.apply(k, u);
            continue;
        }
        // No single move helps: try two at once.
        pool.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        pool.truncate(PAIR_POOL);
        let before = s.violation();
        let mut best: Option<(f64, usize, Use, usize, Use)> = None;
        for (i, &(_, k1, u1)) in pool.iter().enumerate() {
            let from1 = s.uses[k1];
            let g1 = s.gain(k1, u1);
            s.apply(k1, u1);
            for &(_, k2, u2) in &pool[i + 1..] {
                if k2 == k1 {
                    continue;
                }
                let dv = s.violation_change(k2, u2) + s.violation() - before;
                if dv < -1e-15 {
                    let key = (g1 + s.gain(k2, u2)) / -dv;
                    if best.is_none_or(|b| key > b.0) {
                        best = Some((key, k1, u1, k2, u2));
                    }
                }
            }
            s.apply(k1, from1);
        }
        match best {
            Some((_, k1, u1, k2, u2)) => {
                s.apply(k1, u1);
                s.apply(k2, u2);
            }
            None => break,
        }
    }
}

/// One-for-one swaps between the converted candidates that lose least and
/// the kept options that gain most; returns whether anything improved.
fn swaps(s: &mut State, free: &[usize], lambda: &[f64], shares: &[[f64; 5]]) -> bool {
    const M: usize = 48;
    let m = s.m;
    let mut outs: Vec<(f64, usize)> = free
        .iter()
        .filter(|&&k| s.uses[k] != Use::Keep)
        .map(|&k| (-s.gain(k, Use::Keep), k))
        .collect();
    outs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    outs.truncate(M);
    let mut ins: Vec<(f64, usize, Use)> = free
        .iter()
        .filter(|&&k| s.uses[k] == Use::Keep)
        .flat_map(|&k| {
            m.options(k)
                .filter(|u| u.is_conversion())
                .map(move |u| (k, u))
        })
        .map(|(k, u)| (s.gain(k, u) + 1e-9 * reduced(m, lambda, shares, k, u), k, u))
        .filter(|t| t.0 > 0.0)
        .collect();
    ins.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    ins.truncate(M);
    let mut improved = false;
    for &(_, ko) in &outs {
        let from = s.uses[ko];
        if from == Use::Keep {
            continue;
        }
        let g_out = s.gain(ko, Use::Keep);
        let violation = s.violation();
        s.apply(ko, Use::Keep);
        let mut done = false;
        for &(_, ki, u) in &ins {
            if ki == ko || s.uses[ki] != Use::Keep {
                continue;
            }
            let g = g_out + s.gain(ki, u);
            if g > 1e-12 && s.move_ok(ki, u) {
                s.apply(ki, u);
                // Dropping `ko` may break a row the newcomer does not touch (a minimum).
                if s.violation() <= violation {
                    done = true;
                    break;
                }
                s.apply(ki, Use::Keep);
            }
        }
        if done {
            improved = true;
        } else {
            s.apply(ko, from);
        }
    }
    improved
}
