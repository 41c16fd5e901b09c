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
//!
//! **Layout.** This file holds the driver ([`solve_certified`]: the
//! subgradient loop and which plans are built, from which multipliers) and
//! the bound's [`Certificate`]; `dual` the relaxation, `state` a plan under
//! construction with its row activities, `search` the greedy build, the
//! repair of requirement rows and the local search, `swaps` the
//! one-for-one, one-for-many and many-for-one swaps, `combo` the search over
//! combinations of two and three moves, and `budget` the plans financed by
//! auctions (auctions re-chosen, destroy and rebuild).

mod budget;
mod combo;
mod dual;
mod search;
mod state;
mod swaps;

use crate::plan::model::{Model, Outcome};
use crate::plan::{Method, Problem, Use};
use budget::{financed, money_price};
use dual::Dual;
use search::polish;

pub(crate) use search::construct;

/// Above this many candidates the knapsack-order fill runs once, and no
/// parcel is forced in (one parcel is then a tiny share of any useful cap).
const LARGE: usize = 20_000;
/// Budget multipliers tried by the final plans, as multiples of the bound's.
const BUDGET_GRID: [f64; 9] = [0.0, 0.25, 0.5, 0.75, 1.25, 1.5, 2.0, 3.0, 5.0];
/// Money prices tried by the financed plans, as multiples of the cap's price per unit of auction revenue.
const FINANCE_GRID: [f64; 6] = [0.0, 0.5, 1.0, 1.5, 2.0, 3.0];
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

#[cfg(test)]
mod tests;
