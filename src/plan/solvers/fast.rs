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

use crate::plan::model::{Model, Outcome};
use crate::plan::{Method, Problem, Use};

/// Above this many candidates the knapsack-order fill runs once, and no
/// parcel is forced in (one parcel is then a tiny share of any useful cap).
const LARGE: usize = 20_000;
/// Budget multipliers tried by the final plans, as multiples of the bound's.
const BUDGET_GRID: [f64; 9] = [0.0, 0.25, 0.5, 0.75, 1.25, 1.5, 2.0, 3.0, 5.0];
/// Money raised beyond what the conversions need when auctions are re-chosen, as shares of the budget.
const REBALANCE_EXTRA: [f64; 6] = [0.0, 0.05, 0.1, 0.2, 0.35, 0.5];
/// Money prices tried by the financed plans, as multiples of the cap's price per unit of auction revenue.
const FINANCE_GRID: [f64; 6] = [0.0, 0.5, 1.0, 1.5, 2.0, 3.0];
/// Shares of the conversions [`rebuild`] drops.
const REBUILD_DROP: [f64; 2] = [0.05, 0.1];
/// Plans polished at the end (the best distinct ones built).
const POLISH_TOP: usize = 4;
/// Subgradient iterations.
const ITERATIONS: usize = 100;
/// Iterations at which a plan is built from the current multipliers.
const PRIMAL_AT: [usize; 3] = [15, 50, 99];

/// The Lagrangian multipliers of the fast solver's best bound and each
/// candidate's value per use under them (`−∞` where the use is not an
/// option): the bound is `Σ_r λ_r · rhs_r + Σ_k max_u val[k][u]`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Certificate {
    pub lambda: Vec<f64>,
    pub val: Vec<[f64; 5]>,
}

impl Certificate {
    /// The Lagrangian bound `L` the certificate proves.
    pub(crate) fn bound(&self, m: &Model) -> f64 {
        let rows: f64 = m
            .rows
            .iter()
            .zip(&self.lambda)
            .map(|(r, y)| r.rhs * y)
            .sum();
        rows + self
            .val
            .iter()
            .map(|v| v.iter().copied().fold(f64::NEG_INFINITY, f64::max))
            .sum::<f64>()
    }
}

/// The fast plan and bound (see the module docs).
pub(crate) fn solve(problem: &Problem, m: &Model) -> Option<Outcome> {
    solve_certified(problem, m).0
}

/// The fast plan, and the certificate of its bound for reduced-cost fixing.
pub(crate) fn solve_certified(_problem: &Problem, m: &Model) -> (Option<Outcome>, Certificate) {
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
    let mut dual = Dual::new(m);
    let mut best: Option<(Vec<Use>, f64)> = None;
    // The best few distinct plans built, best first (ties: first built),
    // each polished at the end.
    let keep_top = if m.n > LARGE { 1 } else { POLISH_TOP };
    let top: std::cell::RefCell<Vec<(f64, Vec<Use>)>> = std::cell::RefCell::new(Vec::new());
    let consider = |uses: Vec<Use>, best: &mut Option<(Vec<Use>, f64)>| {
        if !m.is_feasible(&uses) {
            return;
        }
        let obj = m.objective(&uses);
        {
            let mut top = top.borrow_mut();
            if !top.iter().any(|t| t.1 == uses) {
                let at = top
                    .iter()
                    .position(|t| obj > t.0 + 1e-12)
                    .unwrap_or(top.len());
                if at < keep_top {
                    top.insert(at, (obj, uses.clone()));
                    top.truncate(keep_top);
                }
            }
        }
        if best.as_ref().is_none_or(|(_, b)| obj > *b + 1e-12) {
            *best = Some((uses, obj));
        }
    };
    dual.values(&lambda);
    consider(
        construct(m, &lambda, &dual.parcel_shares(), false, false, None),
        &mut best,
    );

    let mut best_bound = f64::INFINITY;
    let mut best_lambda = lambda.clone();
    let mut best_alpha = dual.alpha.clone();
    let mut theta = 1.0;
    let mut since_improved = 0;
    for it in 0..ITERATIONS {
        dual.values(&lambda);
        dual.sweep();
        let (l, g) = dual.bound(&lambda);
        if l < best_bound - 1e-12 * l.abs().max(1.0) {
            best_bound = l;
            best_lambda.clone_from(&lambda);
            best_alpha.clone_from(&dual.alpha);
            since_improved = 0;
        } else {
            since_improved += 1;
            if since_improved >= 10 {
                theta *= 0.5;
                since_improved = 0;
            }
        }
        // on large problems the plans from the final multipliers are the
        // ones that count; the early ones cost a sort and a local search each
        if PRIMAL_AT.contains(&it) && (m.n <= LARGE || it == PRIMAL_AT[PRIMAL_AT.len() - 1]) {
            let sh = dual.parcel_shares();
            consider(construct(m, &lambda, &sh, false, false, None), &mut best);
            consider(construct(m, &lambda, &sh, true, false, None), &mut best);
            consider(construct(m, &lambda, &sh, false, true, None), &mut best);
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
    dual.alpha = best_alpha;
    dual.values(&best_lambda);
    let certificate = Certificate {
        lambda: best_lambda.clone(),
        val: dual.val.clone(),
    };
    let sh = dual.parcel_shares();
    consider(
        construct(m, &best_lambda, &sh, false, false, None),
        &mut best,
    );
    consider(
        construct(m, &best_lambda, &sh, true, false, None),
        &mut best,
    );
    consider(
        construct(m, &best_lambda, &sh, false, true, None),
        &mut best,
    );
    // The budget multiplier decides how much is auctioned and how costly
    // the parks bought may be; the subgradient's is rarely the best one for
    // a greedy, so plans are also built from a range of it (cheap on cities
    // where one parcel matters).
    if let (Some(b), true) = (m.budget_row, m.n <= LARGE) {
        let mu_ref = if best_lambda[b] > 0.0 {
            best_lambda[b]
        } else {
            best_lambda[0] * m.rows[0].rhs.abs() / m.rows[b].rhs.abs().max(1.0)
        };
        for f in BUDGET_GRID {
            let mut lam = best_lambda.clone();
            lam[b] = f * mu_ref;
            consider(construct(m, &lam, &sh, false, true, None), &mut best);
            consider(construct(m, &lam, &sh, false, false, None), &mut best);
        }
        // Money priced at what an auction costs in cap: the cap's price
        // over the revenue per hectare of the auctions at hand.
        let mu0 = money_price(m, &best_lambda);
        if mu0 > 0.0 {
            for f in FINANCE_GRID {
                let mut lam = best_lambda.clone();
                lam[b] = f * mu0;
                consider(financed(m, &lam, &sh), &mut best);
            }
            for f in BUDGET_GRID {
                let mut lam = best_lambda.clone();
                lam[b] = f * mu_ref;
                consider(financed(m, &lam, &sh), &mut best);
            }
        }
    }
    // Partial enumeration: a large parcel left out because smaller ones
    // filled its room first is forced in, and the rest built around it.
    if let Some((uses, _)) = &best {
        let slack = m.rows[0].rhs - m.activities(uses).0[0];
        let mut bigs: Vec<(f64, usize, Use)> = (0..m.n)
            .filter(|&k| m.fixed[k].is_none() && uses[k] == Use::Keep && m.area_ha[k] > slack)
            .flat_map(|k| {
                m.options(k)
                    .filter(|u| u.is_conversion())
                    .map(move |u| (k, u))
            })
            .map(|(k, u)| (m.benefit[k][u.index()], k, u))
            .filter(|b| b.0 > 0.0)
            .collect();
        bigs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        bigs.dedup_by_key(|b| b.1);
        // on large cities one parcel is a tiny share of the cap: no lumpiness to fix
        let tries = if m.n > LARGE { 0 } else { 16 };
        for &(_, k, u) in bigs.iter().take(tries) {
            consider(
                construct(m, &best_lambda, &sh, false, true, Some((k, u))),
                &mut best,
            );
        }
        let starts: Vec<Vec<Use>> = top.borrow().iter().map(|t| t.1.clone()).collect();
        for start in starts {
            let polished = polish(m, start, &best_lambda, &sh);
            consider(polished, &mut best);
        }
    }
    let Some((uses, obj)) = best else {
        return (None, certificate);
    };
    (
        Some(Outcome {
            uses,
            bound: best_bound.max(obj),
            method: Method::Fast,
        }),
        certificate,
    )
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

/// The Lagrangian relaxation: multipliers on the rows (passed in) and the
/// split of each pair weight between its ends (`alpha[j][u]` to `p`, the
/// rest to `q`), with each candidate's value per use under both.
struct Dual<'a> {
    m: &'a Model,
    alpha: Vec<[f64; 5]>,
    /// Value of each use per candidate; −∞ where the use is not an option.
    val: Vec<[f64; 5]>,
}

impl<'a> Dual<'a> {
    fn new(m: &'a Model) -> Self {
        let alpha = m.pairs.iter().map(|t| t.w.map(|w| 0.5 * w)).collect();
        Dual {
            m,
            alpha,
            val: vec![[f64::NEG_INFINITY; 5]; m.n],
        }
    }

    /// Recomputes every value from the multipliers and the current split.
    fn values(&mut self, lambda: &[f64]) {
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
    fn sweep(&mut self) {
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
    fn bound(&self, lambda: &[f64]) -> (f64, Vec<f64>) {
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
    fn parcel_shares(&self) -> Vec<[f64; 5]> {
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
fn reduced(m: &Model, lambda: &[f64], shares: &[[f64; 5]], k: usize, u: Use) -> f64 {
    if u == Use::Keep {
        return 0.0;
    }
    let mut v = m.benefit[k][u.index()] + shares[k][u.index()];
    m.for_each_coef(k, u, |r, c| v -= lambda[r] * c);
    v
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

    /// Cheap pre-check: whether `k` moving to `u` fits in the cap (row 0).
    #[inline]
    fn fits_cap(&self, k: usize, u: Use) -> bool {
        self.uses[k] != Use::Keep
            || u == Use::Keep
            || self.act[0] + self.m.area_ha[k] <= self.m.rows[0].rhs + self.tol[0]
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
/// reduced value (or, with `by_density`, by reduced value before the cap's
/// price per hectare — the knapsack order, which the multipliers' errors
/// cannot distort when the cap binds), improve locally.
pub(crate) fn construct(
    m: &Model,
    lambda: &[f64],
    shares: &[[f64; 5]],
    from_relaxed: bool,
    by_density: bool,
    force: Option<(usize, Use)>,
) -> Vec<Use> {
    // Start from locks and keep, or from the relaxed problem's own choice x(λ).
    let start: Vec<Use> = (0..m.n)
        .map(|k| match m.fixed[k] {
            Some(f) => f,
            None if from_relaxed => {
                m.options(k)
                    .map(|u| (reduced(m, lambda, shares, k, u), u))
                    .fold((0.0, Use::Keep), |a, b| if b.0 > a.0 { b } else { a })
                    .1
            }
            None => Use::Keep,
        })
        .collect();
    let mut start = start;
    if let Some((k, u)) = force {
        start[k] = u;
    }
    let mut s = State::new(m, start);
    let free: Vec<usize> = (0..m.n)
        .filter(|&k| m.fixed[k].is_none() && force.is_none_or(|f| f.0 != k))
        .collect();

    // 1. Repair: least objective lost per unit of violation removed.
    repair(&mut s, &free, lambda, shares);

    // 2. Fill by reduced value, ties by parcel id then use.
    let mut opts: Vec<(f64, usize, Use)> = free
        .iter()
        .flat_map(|&k| {
            m.options(k).filter(|u| u.is_conversion()).map(move |u| {
                let v = reduced(m, lambda, shares, k, u);
                if by_density && m.area_ha[k] > 0.0 {
                    // row 0 is the cap, with coefficient area_ha for every conversion
                    ((v + lambda[0] * m.area_ha[k]) / m.area_ha[k], k, u)
                } else {
                    (v, k, u)
                }
            })
        })
        .collect();
    opts.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    // Later passes take what an auction further down the list paid for.
    for _ in 0..3 {
        let mut added = false;
        for &(v, k, u) in &opts {
            if s.uses[k] != Use::Keep {
                continue;
            }
            // From keep, the gain is positive exactly when the benefit is.
            if (v > 0.0 || m.benefit[k][u.index()] > 0.0) && s.fits_cap(k, u) && s.move_ok(k, u) {
                s.apply(k, u);
                added = true;
            }
        }
        if !added {
            break;
        }
    }

    // 3. Local search: single moves, then one-for-one swaps.
    local_search(&mut s, &free, lambda, shares, 4, false);
    s.uses
}

/// Single moves and swaps until nothing improves (at most `rounds` rounds).
/// `thorough` adds the one-for-many and many-for-one swaps, which cost more
/// and are run on the best plan only.
fn local_search(
    s: &mut State,
    free: &[usize],
    lambda: &[f64],
    shares: &[[f64; 5]],
    rounds: usize,
    thorough: bool,
) {
    let m = s.m;
    for _ in 0..rounds {
        let mut improved = false;
        for &k in free {
            let mut best: Option<(f64, Use)> = None;
            for u in m.options(k) {
                if u == s.uses[k] {
                    continue;
                }
                if !s.fits_cap(k, u) {
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
        improved |= swaps(s, free, lambda, shares);
        if thorough {
            improved |= refill_swaps(s, free, lambda, shares);
            improved |= make_room_swaps(s, free, lambda, shares);
        }
        if !improved {
            break;
        }
    }
}

/// Polishes a feasible plan with the thorough local search.
fn polish(m: &Model, uses: Vec<Use>, lambda: &[f64], shares: &[[f64; 5]]) -> Vec<Use> {
    let free: Vec<usize> = (0..m.n).filter(|&k| m.fixed[k].is_none()).collect();
    let mut s = State::new(m, uses);
    local_search(&mut s, &free, lambda, shares, 12, true);
    let (rounds, size) = if m.n > LARGE {
        (2, 32)
    } else {
        (COMBO_ROUNDS, 64)
    };
    // one parcel is a tiny share of a large city: one pass, no second local search
    let passes = if m.n > LARGE { 1 } else { POLISH_PASSES };
    for _ in 0..passes {
        let before = m.objective(&s.uses);
        s = rebalanced(s, &free, lambda, shares);
        if combo_search(&mut s, &free, lambda, shares, rounds, size) && m.n <= LARGE {
            local_search(&mut s, &free, lambda, shares, 12, true);
        }
        if m.objective(&s.uses) <= before + 1e-9 {
            break;
        }
    }
    s.uses
}

/// Polish passes (auctions re-chosen, then combinations of moves).
const POLISH_PASSES: usize = 6;

/// The best of the plan and its versions with the auctions re-chosen
/// ([`rebalance_auctions`]) for several amounts of extra money, each
/// improved by the thorough local search. Cities where one parcel is a tiny
/// share of the cap skip it.
fn rebalanced<'a>(s: State<'a>, free: &[usize], lambda: &[f64], shares: &[[f64; 5]]) -> State<'a> {
    let m = s.m;
    if let (Some(b), true) = (m.budget_row, m.n <= LARGE) {
        let scale = m.rows[b].rhs.abs().max(1.0);
        let mut best = (m.objective(&s.uses), s.uses.clone());
        for f in REBALANCE_EXTRA {
            let mut t = State::new(m, s.uses.clone());
            rebalance_auctions(&mut t, free, f * scale);
            if t.violation() > 0.0 {
                continue;
            }
            local_search(&mut t, free, lambda, shares, 12, true);
            let obj = m.objective(&t.uses);
            if obj > best.0 + 1e-9 && m.is_feasible(&t.uses) {
                best = (obj, t.uses);
            }
        }
        let mu0 = money_price(m, lambda);
        for drop in REBUILD_DROP {
            for f in [0.5, 1.0, 2.0] {
                let t = rebuild(&s, free, lambda, shares, drop, f * mu0);
                let obj = m.objective(&t);
                if obj > best.0 + 1e-9 && m.is_feasible(&t) {
                    best = (obj, t);
                }
            }
        }
        if best.1 != s.uses {
            return State::new(m, best.1);
        }
    }
    s
}

/// Rounds of [`combo_search`] per polish pass (each applies one combination).
const COMBO_ROUNDS: usize = 40;

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
        let mut moves: Vec<(bool, f64, usize, Use)> = Vec::new();
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
                moves.push((clean, key, k, u));
            }
        }
        if !moves.is_empty() {
            // Apply the best moves in order while each still helps (a batch
            // instead of one move per scan keeps large repairs linear-ish).
            moves.sort_by(|a, b| {
                (b.0, b.1)
                    .partial_cmp(&(a.0, a.1))
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then(a.2.cmp(&b.2))
                    .then(a.3.cmp(&b.3))
            });
            // Small problems take one move per scan; large ones a batch,
            // each candidate moving at most once.
            let batch = moves.len() >= 64;
            let mut moved = std::collections::HashSet::new();
            for &(clean, _, k, u) in &moves {
                if moved.contains(&k) {
                    continue;
                }
                if s.violation_change(k, u) < -1e-15 && (!clean || s.move_ok(k, u)) {
                    s.apply(k, u);
                    moved.insert(k);
                    if !batch || s.violation() <= 0.0 {
                        break;
                    }
                }
            }
            if !moved.is_empty() {
                continue;
            }
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
        .filter(|&(k, u)| m.benefit[k][u.index()] > 0.0)
        .map(|(k, u)| (reduced(m, lambda, shares, k, u), k, u))
        .collect();
    // The best by Lagrangian value (it prices the cap a newcomer takes).
    let order = |a: &(f64, usize, Use), b: &(f64, usize, Use)| {
        b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2))
    };
    if ins.len() > M {
        ins.select_nth_unstable_by(M, order);
        ins.truncate(M);
    }
    ins.sort_by(order);
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

/// The conversions worth something of the candidates the plan keeps.
fn kept_options(s: &State, free: &[usize]) -> Vec<(usize, Use)> {
    let m = s.m;
    free.iter()
        .filter(|&&k| s.uses[k] == Use::Keep)
        .flat_map(|&k| {
            m.options(k)
                .filter(|u| u.is_conversion())
                .map(move |u| (k, u))
        })
        .filter(|&(k, u)| m.benefit[k][u.index()] > 0.0)
        .collect()
}

/// The reduced value of `x[k, u]` before the cap's price, per hectare: the
/// knapsack order in which kept options fill room.
fn value_per_ha(m: &Model, lambda: &[f64], shares: &[[f64; 5]], k: usize, u: Use) -> f64 {
    (reduced(m, lambda, shares, k, u) + lambda[0] * m.area_ha[k]) / m.area_ha[k].max(1e-12)
}

/// The `n` best entries, best first (ties by candidate, then use).
fn best_n(mut v: Vec<(f64, usize, Use)>, n: usize) -> Vec<(f64, usize, Use)> {
    let order = |a: &(f64, usize, Use), b: &(f64, usize, Use)| {
        b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2))
    };
    if v.len() > n {
        v.select_nth_unstable_by(n, order);
        v.truncate(n);
    }
    v.sort_by(order);
    v
}

/// One-for-many swaps: drop a converted candidate that earns least per
/// hectare and refill the room it leaves with the kept options of highest
/// value per hectare that fit (the knapsack moves a one-for-one swap cannot
/// make when parcel sizes differ widely); kept only when the objective rises
/// and no row gets worse. Returns whether anything improved.
fn refill_swaps(s: &mut State, free: &[usize], lambda: &[f64], shares: &[[f64; 5]]) -> bool {
    const OUTS: usize = 64;
    const INS: usize = 256;
    let m = s.m;
    let per_ha = |v: f64, k: usize| v / m.area_ha[k].max(1e-12);
    let mut outs: Vec<(f64, usize)> = free
        .iter()
        .filter(|&&k| s.uses[k] != Use::Keep)
        .map(|&k| (per_ha(-s.gain(k, Use::Keep), k), k))
        .collect();
    outs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    outs.truncate(OUTS);
    let opts = kept_options(s, free);
    let ins = best_n(
        opts.iter()
            .map(|&(k, u)| (value_per_ha(m, lambda, shares, k, u), k, u))
            .collect(),
        INS,
    );
    let mut improved = false;
    let mut added: Vec<usize> = Vec::new();
    for &(_, ko) in &outs {
        let from = s.uses[ko];
        if from == Use::Keep {
            continue;
        }
        let violation = s.violation();
        let mut total = s.gain(ko, Use::Keep);
        s.apply(ko, Use::Keep);
        added.clear();
        for &(_, ki, u) in &ins {
            if ki == ko || s.uses[ki] != Use::Keep {
                continue;
            }
            let g = s.gain(ki, u);
            if g > 1e-12 && s.fits_cap(ki, u) && s.move_ok(ki, u) {
                s.apply(ki, u);
                total += g;
                added.push(ki);
            }
        }
        if total > 1e-9 && s.violation() <= violation {
            improved = true;
        } else {
            for &ki in added.iter().rev() {
                s.apply(ki, Use::Keep);
            }
            s.apply(ko, from);
        }
    }
    improved
}

/// Many-for-one swaps: bring in one of the kept options worth most, drop
/// the converted candidates that earn least per hectare until the cap holds
/// again, and refill what room is left by value per hectare; kept only when
/// the objective rises and no row gets worse. This is the move a greedy by
/// density misses when a large parcel beats the many small ones that filled
/// its room. Returns whether anything improved.
fn make_room_swaps(s: &mut State, free: &[usize], lambda: &[f64], shares: &[[f64; 5]]) -> bool {
    const TRY: usize = 32;
    const REFILL: usize = 256;
    let m = s.m;
    let per_ha = |v: f64, k: usize| v / m.area_ha[k].max(1e-12);
    let opts = kept_options(s, free);
    let bigs = best_n(
        opts.iter().map(|&(k, u)| (s.gain(k, u), k, u)).collect(),
        TRY,
    );
    let refill = best_n(
        opts.iter()
            .map(|&(k, u)| (value_per_ha(m, lambda, shares, k, u), k, u))
            .collect(),
        REFILL,
    );
    let mut improved = false;
    let mut changes: Vec<(usize, Use)> = Vec::new();
    for &(_, k_in, u_in) in &bigs {
        if s.uses[k_in] != Use::Keep || s.fits_cap(k_in, u_in) {
            continue; // taken meanwhile, or no room to make (other moves cover it)
        }
        let violation = s.violation();
        changes.clear();
        let mut total = s.gain(k_in, u_in);
        s.apply(k_in, u_in);
        changes.push((k_in, Use::Keep));
        let mut outs: Vec<(f64, usize)> = free
            .iter()
            .filter(|&&k| k != k_in && s.uses[k] != Use::Keep)
            .map(|&k| (per_ha(-s.gain(k, Use::Keep), k), k))
            .collect();
        outs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for &(_, ko) in &outs {
            if s.act[0] <= m.rows[0].rhs + s.tol[0] {
                break;
            }
            let from = s.uses[ko];
            total += s.gain(ko, Use::Keep);
            s.apply(ko, Use::Keep);
            changes.push((ko, from));
        }
        for &(_, ki, u) in &refill {
            if ki == k_in || s.uses[ki] != Use::Keep || changes.iter().any(|c| c.0 == ki) {
                continue;
            }
            let g = s.gain(ki, u);
            if g > 1e-12 && s.fits_cap(ki, u) && s.move_ok(ki, u) {
                s.apply(ki, u);
                total += g;
                changes.push((ki, Use::Keep));
            }
        }
        if total > 1e-9 && s.violation() <= violation {
            improved = true;
        } else {
            for &(k, prev) in changes.iter().rev() {
                s.apply(k, prev);
            }
        }
    }
    improved
}

/// A candidate move for [`combo_search`]: candidate `k` to use `u`.
type Move = (usize, Use);

/// The pool of single moves [`combo_search`] combines, from the current
/// plan: the best additions by Lagrangian value and by exact gain per
/// hectare, the auctions that raise most money per hectare, the drops that
/// lose least per hectare, and the changes of use (a park to an auction
/// frees money, another conversion may earn more). Deterministic: every
/// list is ordered by its key, then candidate, then use.
fn combo_pool(
    s: &State,
    free: &[usize],
    lambda: &[f64],
    shares: &[[f64; 5]],
    size: usize,
) -> Vec<Move> {
    let m = s.m;
    let budget = m.budget_row.is_some();
    let q = (size / 8).max(2);
    let ha = |k: usize| m.area_ha[k].max(1e-12);
    let mut by_reduced = [Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new()];
    let mut by_gain = [Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new()];
    let mut auctions = Vec::new();
    let mut drops = Vec::new();
    let mut to_auction = Vec::new();
    let mut changes = Vec::new();
    for &k in free {
        let from = s.uses[k];
        if from == Use::Keep {
            for u in m.options(k).filter(|u| u.is_conversion()) {
                if u == Use::Redevelop {
                    if budget && m.revenue[k] > 0.0 {
                        auctions.push((m.revenue[k] / ha(k), k, u));
                    }
                } else if m.benefit[k][u.index()] > 0.0 {
                    by_reduced[u.index()].push((reduced(m, lambda, shares, k, u), k, u));
                    by_gain[u.index()].push((s.gain(k, u) / ha(k), k, u));
                }
            }
        } else {
            drops.push((s.gain(k, Use::Keep) / ha(k), k, Use::Keep));
            for u in m.options(k).filter(|&u| u.is_conversion() && u != from) {
                let g = s.gain(k, u);
                if u == Use::Redevelop {
                    if budget {
                        let freed = m.money(k, from) - m.money(k, u);
                        if freed > 0.0 {
                            to_auction.push((g / freed, k, u));
                        }
                    }
                } else {
                    let dr = reduced(m, lambda, shares, k, u) - reduced(m, lambda, shares, k, from);
                    changes.push((g.max(dr), k, u));
                }
            }
        }
    }
    let mut pool: Vec<Move> = Vec::new();
    let [_, r1, r2, r3, _] = by_reduced;
    let [_, g1, g2, g3, _] = by_gain;
    for (list, n) in [
        (r1, q),
        (r2, q),
        (r3, q),
        (g1, q),
        (g2, q),
        (g3, q),
        (auctions, q),
        (drops, 2 * q),
        (to_auction, q),
        (changes, q),
    ] {
        for (_, k, u) in best_n(list, n) {
            if !pool.contains(&(k, u)) {
                pool.push((k, u));
            }
        }
    }
    pool
}

/// Whether every row holds (within the state's tolerances).
fn rows_hold(s: &State) -> bool {
    (0..s.m.rows.len()).all(|r| s.act[r] <= s.m.rows[r].rhs + s.tol[r])
}

/// Local search over combinations of two and three moves of different
/// candidates, with exact objective and row accounting: "drop one, add
/// two", "auction one, add a park", "drop a park, auction it and add
/// another" — the trades a budget financed by auctions needs and single
/// moves or one-for-one swaps cannot make. Each round applies the best
/// improving combination of the pool (ties: first in pool order); the plan
/// stays feasible. Returns whether anything improved.
fn combo_search(
    s: &mut State,
    free: &[usize],
    lambda: &[f64],
    shares: &[[f64; 5]],
    rounds: usize,
    size: usize,
) -> bool {
    if !rows_hold(s) {
        return false;
    }
    let mut improved = false;
    for _ in 0..rounds {
        let pool = combo_pool(s, free, lambda, shares, size);
        let n = pool.len();
        let mut best: Option<(f64, [Move; 3], usize)> = None;
        let consider =
            |g: f64, moves: [Move; 3], len: usize, best: &mut Option<(f64, [Move; 3], usize)>| {
                if g > 1e-9 && best.as_ref().is_none_or(|b| g > b.0 + 1e-12) {
                    *best = Some((g, moves, len));
                }
            };
        for i in 0..n {
            let (k1, u1) = pool[i];
            if s.uses[k1] == u1 {
                continue;
            }
            let f1 = s.uses[k1];
            let g1 = s.gain(k1, u1);
            s.apply(k1, u1);
            if rows_hold(s) {
                consider(g1, [pool[i]; 3], 1, &mut best);
            }
            for j in i + 1..n {
                let (k2, u2) = pool[j];
                if k2 == k1 || s.uses[k2] == u2 {
                    continue;
                }
                let f2 = s.uses[k2];
                let g2 = g1 + s.gain(k2, u2);
                s.apply(k2, u2);
                if rows_hold(s) {
                    consider(g2, [pool[i], pool[j], pool[j]], 2, &mut best);
                }
                for l in j + 1..n {
                    let (k3, u3) = pool[l];
                    if k3 == k1 || k3 == k2 || s.uses[k3] == u3 {
                        continue;
                    }
                    let g3 = g2 + s.gain(k3, u3);
                    if g3 <= 1e-9 || best.as_ref().is_some_and(|b| g3 <= b.0 + 1e-12) {
                        continue;
                    }
                    let f3 = s.uses[k3];
                    s.apply(k3, u3);
                    if rows_hold(s) {
                        consider(g3, [pool[i], pool[j], pool[l]], 3, &mut best);
                    }
                    s.apply(k3, f3);
                }
                s.apply(k2, f2);
            }
            s.apply(k1, f1);
        }
        let Some((_, moves, len)) = best else {
            break;
        };
        for &(k, u) in &moves[..len] {
            s.apply(k, u);
        }
        improved = true;
    }
    improved
}

/// Re-chooses the auctions of a plan: every auction is dropped, the money
/// the plan's conversions need beyond the budget (plus `extra`) is raised
/// again with the least cap (auctions by revenue per hectare, the last one
/// the smallest that covers what remains), and the cap freed is refilled
/// with conversions by gain per hectare. A greedy fill may auction one big
/// parcel where a few small ones raise the money; no sequence of single
/// moves or swaps undoes that without breaking the budget on the way.
fn rebalance_auctions(s: &mut State, free: &[usize], extra: f64) {
    let m = s.m;
    let Some(b) = m.budget_row else {
        return;
    };
    for &k in free {
        if s.uses[k] == Use::Redevelop {
            s.apply(k, Use::Keep);
        }
    }
    let mut rem = s.act[b] - m.rows[b].rhs + extra;
    let mut items: Vec<(f64, usize)> = free
        .iter()
        .filter(|&&k| s.uses[k] == Use::Keep && m.eligible[k][Use::Redevelop.index()])
        .filter(|&&k| m.revenue[k] > 0.0)
        .map(|&k| (m.revenue[k] / m.area_ha[k].max(1e-12), k))
        .collect();
    items.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut taken = vec![false; items.len()];
    for i in 0..items.len() {
        if rem <= 0.0 {
            break;
        }
        if taken[i] {
            continue;
        }
        let k = items[i].1;
        if m.revenue[k] >= rem {
            // finish with the smallest parcel that covers the rest
            let f = (i..items.len())
                .filter(|&j| !taken[j] && m.revenue[items[j].1] >= rem)
                .min_by(|&x, &y| {
                    let (kx, ky) = (items[x].1, items[y].1);
                    m.area_ha[kx].total_cmp(&m.area_ha[ky]).then(kx.cmp(&ky))
                })
                .expect("i qualifies");
            let kf = items[f].1;
            if s.fits_cap(kf, Use::Redevelop) && s.move_ok(kf, Use::Redevelop) {
                s.apply(kf, Use::Redevelop);
                taken[f] = true;
                rem -= m.revenue[kf];
                continue;
            }
        }
        if s.fits_cap(k, Use::Redevelop) {
            s.apply(k, Use::Redevelop);
            taken[i] = true;
            rem -= m.revenue[k];
        }
    }
    // Refill the cap by exact gain per hectare.
    let ha = |k: usize| m.area_ha[k].max(1e-12);
    let mut opts: Vec<(f64, usize, Use)> = kept_options(s, free)
        .into_iter()
        .filter(|&(_, u)| u != Use::Redevelop)
        .map(|(k, u)| (s.gain(k, u) / ha(k), k, u))
        .collect();
    opts.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for &(_, k, u) in &opts {
        if s.uses[k] == Use::Keep && s.gain(k, u) > 1e-12 && s.fits_cap(k, u) && s.move_ok(k, u) {
            s.apply(k, u);
        }
    }
}

/// Builds a plan whose conversions are paid for by auctions as they are
/// taken: options by reduced value per hectare under `lambda` (its budget
/// entry prices the money), and when one breaks only the budget, the
/// auctions that raise the shortfall with least cap (best revenue per
/// hectare first, the last one the smallest that covers the rest) come in
/// with it if the cap and every other row allow both.
fn financed(m: &Model, lambda: &[f64], shares: &[[f64; 5]]) -> Vec<Use> {
    let Some(b) = m.budget_row else {
        return construct(m, lambda, shares, false, true, None);
    };
    let start: Vec<Use> = (0..m.n).map(|k| m.fixed[k].unwrap_or(Use::Keep)).collect();
    let mut s = State::new(m, start);
    let free: Vec<usize> = (0..m.n).filter(|&k| m.fixed[k].is_none()).collect();
    repair(&mut s, &free, lambda, shares);
    financed_fill(&mut s, &free, lambda, shares, b);
    local_search(&mut s, &free, lambda, shares, 4, false);
    s.uses
}

/// The fill of [`financed`], from the current plan.
fn financed_fill(s: &mut State, free: &[usize], lambda: &[f64], shares: &[[f64; 5]], b: usize) {
    let m = s.m;
    let mut opts: Vec<(f64, usize, Use)> = free
        .iter()
        .filter(|&&k| s.uses[k] == Use::Keep)
        .flat_map(|&k| {
            m.options(k)
                .filter(|&u| u.is_conversion() && u != Use::Redevelop)
                .map(move |u| (k, u))
        })
        .filter(|&(k, u)| m.benefit[k][u.index()] > 0.0)
        .map(|(k, u)| (value_per_ha(m, lambda, shares, k, u), k, u))
        .collect();
    opts.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut auctions: Vec<(f64, usize)> = free
        .iter()
        .filter(|&&k| m.eligible[k][Use::Redevelop.index()] && m.revenue[k] > 0.0)
        .map(|&k| (m.revenue[k] / m.area_ha[k].max(1e-12), k))
        .collect();
    auctions.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut chosen: Vec<usize> = Vec::new();
    for &(v, k, u) in &opts {
        if s.uses[k] != Use::Keep || v <= 0.0 && s.gain(k, u) <= 0.0 {
            continue;
        }
        if !s.fits_cap(k, u) {
            continue;
        }
        if s.move_ok(k, u) {
            s.apply(k, u);
            continue;
        }
        s.apply(k, u);
        let others_hold = (0..m.rows.len())
            .filter(|&r| r != b)
            .all(|r| s.act[r] <= m.rows[r].rhs + s.tol[r]);
        if !others_hold {
            s.apply(k, Use::Keep);
            continue;
        }
        // finance the shortfall
        chosen.clear();
        let mut rem = s.act[b] - m.rows[b].rhs - s.tol[b];
        let mut i = 0;
        while rem > 0.0 && i < auctions.len() {
            let ka = auctions[i].1;
            i += 1;
            if s.uses[ka] != Use::Keep {
                continue;
            }
            let mut pick = ka;
            if m.revenue[ka] >= rem {
                // the smallest that covers the rest, among the next few
                for &(_, kb) in auctions[i..].iter().take(64) {
                    if s.uses[kb] == Use::Keep
                        && m.revenue[kb] >= rem
                        && m.area_ha[kb] < m.area_ha[pick]
                    {
                        pick = kb;
                    }
                }
            }
            s.apply(pick, Use::Redevelop);
            chosen.push(pick);
            rem -= m.revenue[pick];
        }
        if rem <= 0.0 && rows_hold(s) {
            continue;
        }
        for &ka in chosen.iter().rev() {
            s.apply(ka, Use::Keep);
        }
        s.apply(k, Use::Keep);
    }
}

/// Destroy and rebuild: every auction and the share `drop` of the other
/// conversions that earn least per hectare are dropped, the rows are
/// repaired and the plan refilled by [`financed_fill`] with money priced at
/// `mu`; then the single moves and swaps. Trades a block of cheap
/// conversions for dearer ones the auctions pay for.
fn rebuild(
    s: &State,
    free: &[usize],
    lambda: &[f64],
    shares: &[[f64; 5]],
    drop: f64,
    mu: f64,
) -> Vec<Use> {
    let m = s.m;
    let Some(b) = m.budget_row else {
        return s.uses.clone();
    };
    let mut t = State::new(m, s.uses.clone());
    let mut conv: Vec<(f64, usize)> = free
        .iter()
        .filter(|&&k| !matches!(t.uses[k], Use::Keep | Use::Redevelop))
        .map(|&k| (-t.gain(k, Use::Keep) / m.area_ha[k].max(1e-12), k))
        .collect();
    conv.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let n_drop = ((conv.len() as f64) * drop).ceil() as usize;
    for &k in free {
        if t.uses[k] == Use::Redevelop {
            t.apply(k, Use::Keep);
        }
    }
    for &(_, k) in conv.iter().take(n_drop) {
        t.apply(k, Use::Keep);
    }
    let mut lam = lambda.to_vec();
    lam[b] = mu;
    repair(&mut t, free, &lam, shares);
    financed_fill(&mut t, free, &lam, shares, b);
    local_search(&mut t, free, lambda, shares, 4, false);
    t.uses
}

/// The price of money in cap: the cap's multiplier over the revenue per
/// hectare of the auctions at hand (the best tenth); 0 without auctions.
fn money_price(m: &Model, lambda: &[f64]) -> f64 {
    let mut rates: Vec<f64> = (0..m.n)
        .filter(|&k| m.fixed[k].is_none() && m.eligible[k][Use::Redevelop.index()])
        .filter(|&k| m.revenue[k] > 0.0)
        .map(|k| m.revenue[k] / m.area_ha[k].max(1e-12))
        .collect();
    rates.sort_by(|a, b| b.total_cmp(a));
    rates.get(rates.len() / 10).map_or(0.0, |&r| lambda[0] / r)
}

#[cfg(test)]
#[path = "fast_tests.rs"]
mod tests;
