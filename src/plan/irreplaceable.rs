//! Irreplaceability: per parcel the plan converts, the objective lost if it
//! were locked out; per good parcel the plan leaves out, the objective
//! gained (a loss, when the plan is optimal) if it were locked in. The
//! parcels the plan cannot do without come first.
//!
//! **Method.** Each value is a re-solve of the same problem with one more
//! lock, warm-started from the plan changed in that parcel (made to fit the
//! cap again by dropping the conversions worth least per hectare), with the
//! plan's solver: the exact solver stops at the plan's gap or
//! [`IRREPLACEABLE_GAP`], whichever is looser (or the gap asked for in
//! [`IrreplaceableOptions::gap`]), so the values do not depend on the clock. A left-out parcel is locked in to each use open to it with
//! a positive score (green, ecological, cultural), and the best re-solve
//! counts. The re-solves run in parallel (rayon) and each is
//! deterministic, so the values are the same whatever the thread count.
//!
//! **What is proven.** With `z` the plan's objective, `B` its bound, `z'`
//! the re-solve's and `B'` its bound, the change of the *true* optimum
//! `Δ = z*' − z*` lies in `[z' − B, min(0, B' − max(z, z'))]` (a lock only
//! restricts, so `Δ <= 0`; both plans are feasible for the original
//! problem, so `z* >= max(z, z')`). With the exact solver at gap 0 both ends
//! meet. A re-solve that proves there is no plan with the lock
//! ([`ReSolve::Infeasible`]) marks a parcel no plan can do without.
//!
//! ```
//! use landstock::plan::{irreplaceability, Candidate, IrreplaceableOptions, PlanProblem, Role, Scores, Solver};
//! use landstock::LandUse;
//! let g = |s| Scores { green: Some(s), ..Scores::default() };
//! // room for two of three 1 ha lots: a (1.0) and b (0.9) go in, c (0.6) waits
//! let lots = vec![
//!     Candidate::new("a", 1e4, LandUse::Vacant).with_scores(g(1.0)),
//!     Candidate::new("b", 1e4, LandUse::Vacant).with_scores(g(0.9)),
//!     Candidate::new("c", 1e4, LandUse::Vacant).with_scores(g(0.6)),
//! ];
//! let p = PlanProblem::new(lots, vec![])
//!     .cap_ha(2.0)
//!     .solver(Solver::Exact { time_limit_s: 10.0, gap: 0.0 })
//!     .build()
//!     .unwrap();
//! let plan = p.solve().unwrap();
//! let opts = IrreplaceableOptions { gap: Some(0.0), ..IrreplaceableOptions::default() };
//! let irr = irreplaceability(&p, &plan, &opts).unwrap();
//! // without a, c takes its place: 1.9 → 1.5, a loss of 0.4; without b, 0.3
//! assert_eq!(irr.parcels[0].id.as_str(), "a");
//! assert!((irr.parcels[0].delta.unwrap() + 0.4).abs() < 1e-9);
//! assert!((irr.parcels[1].delta.unwrap() + 0.3).abs() < 1e-9);
//! // forcing c in pushes b out: −0.3
//! assert_eq!((irr.parcels[2].id.as_str(), irr.parcels[2].role), ("c", Role::LeftOut));
//! assert!((irr.parcels[2].delta.unwrap() + 0.3).abs() < 1e-9);
//! ```

use rayon::prelude::*;

use super::model::Model;
use super::{Lock, Method, Plan, PlanError, Problem, Solver, Use};
use crate::ParcelId;

/// The relative gap the exact re-solves stop at, unless the plan's own is
/// looser: a value is a difference of two objectives, and the interval
/// reported with it carries both gaps.
pub const IRREPLACEABLE_GAP: f64 = 1e-3;

/// What [`irreplaceability`] computes.
///
/// ```
/// use landstock::plan::IrreplaceableOptions;
/// let o = IrreplaceableOptions::default();
/// assert_eq!((o.left_out, o.only.is_none(), o.gap), (20, true, None));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct IrreplaceableOptions {
    /// How many good parcels left out to test by locking them in: those
    /// with the largest benefit open to them first (ties by id).
    pub left_out: usize,
    /// Only these candidates (input indices), whatever their role; `None`:
    /// every parcel the plan converts and `left_out` of those it leaves out.
    pub only: Option<Vec<usize>>,
    /// The relative gap of the exact re-solves; `None`: the solver's or
    /// [`IRREPLACEABLE_GAP`], whichever is looser (and at least the plan's).
    pub gap: Option<f64>,
}

impl Default for IrreplaceableOptions {
    fn default() -> Self {
        IrreplaceableOptions {
            left_out: 20,
            only: None,
            gap: None,
        }
    }
}

/// Whether the plan converts the parcel (its value is a lock-out) or
/// leaves it out (a lock-in).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Converted by the plan: locked out.
    Chosen,
    /// Kept by the plan although a use would add benefit: locked in.
    LeftOut,
}

impl Role {
    /// `chosen` or `left_out`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Chosen => "chosen",
            Role::LeftOut => "left_out",
        }
    }
}

/// How the re-solve with the lock ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReSolve {
    /// A plan was found (its objective and bound are given).
    Solved,
    /// No plan meets every rule with the lock: the plan cannot do without
    /// the parcel (a lock-out), or it cannot be forced in (a lock-in).
    Infeasible,
    /// The solver found no plan, without proving there is none.
    NotFound,
}

impl ReSolve {
    /// `solved`, `infeasible` or `not_found`.
    pub fn as_str(self) -> &'static str {
        match self {
            ReSolve::Solved => "solved",
            ReSolve::Infeasible => "infeasible",
            ReSolve::NotFound => "not_found",
        }
    }
}

/// One parcel's value to the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct ParcelValue {
    /// Input index of the candidate.
    pub index: usize,
    /// The candidate.
    pub id: ParcelId,
    /// Its use in the plan.
    pub use_: Use,
    /// Chosen (locked out) or left out (locked in).
    pub role: Role,
    /// For a lock-in, the use of the best re-solve.
    pub locked_as: Option<Use>,
    /// How the (best) re-solve ended.
    pub resolve: ReSolve,
    /// The re-solve's objective and bound (when solved).
    pub objective: Option<f64>,
    /// The re-solve's proven bound (when solved).
    pub bound: Option<f64>,
    /// Objective change, re-solve − plan: minus the loss of a chosen
    /// parcel, the gain of a left-out one (<= 0 when the plan is optimal).
    /// `None` unless solved.
    pub delta: Option<f64>,
    /// Proven interval of the true optimum's change (see the module docs).
    pub delta_lo: Option<f64>,
    /// Upper end of that interval (<= 0).
    pub delta_hi: Option<f64>,
    /// The re-solve's method.
    pub method: Option<Method>,
}

impl ParcelValue {
    /// Whether the plan cannot do without it: no plan at all without it,
    /// or a proven loss above zero.
    pub fn is_irreplaceable(&self) -> bool {
        match (self.role, self.resolve) {
            (Role::Chosen, ReSolve::Infeasible) => true,
            (Role::Chosen, ReSolve::Solved) => self.delta_hi.is_some_and(|h| h < 0.0),
            _ => false,
        }
    }
}

/// The values, most needed first: chosen parcels no plan can do without,
/// then chosen ones by loss (largest first), then left-out ones by what
/// forcing them in changes (least costly first); ties by id.
#[derive(Debug, Clone, PartialEq)]
pub struct Irreplaceability {
    /// The plan's objective.
    pub objective: f64,
    /// The plan's bound.
    pub bound: f64,
    /// The solver of the re-solves.
    pub solver: Solver,
    /// One row per parcel tested, most needed first.
    pub parcels: Vec<ParcelValue>,
}

/// The irreplaceability of `plan`'s parcels in `problem` (see the module
/// docs). Errors when the plan is not a plan of the problem or `only`
/// names an index out of range.
pub fn irreplaceability(
    problem: &Problem,
    plan: &Plan,
    opts: &IrreplaceableOptions,
) -> Result<Irreplaceability, PlanError> {
    let m = &problem.model;
    let n = m.n;
    if plan.uses.len() != n {
        return Err(PlanError::invalid(format!(
            "irreplaceability: the plan has {} uses for {n} candidates",
            plan.uses.len()
        )));
    }
    let mut pos = vec![0usize; n];
    for (k, &i) in m.order.iter().enumerate() {
        pos[i] = k;
    }
    let sorted: Vec<Use> = m.order.iter().map(|&i| plan.uses[i]).collect();
    let lock_in_uses = |k: usize| -> Vec<Use> {
        [Use::Green, Use::Ecological, Use::Cultural]
            .into_iter()
            .filter(|u| m.eligible[k][u.index()] && m.benefit[k][u.index()] > 0.0)
            .collect()
    };
    let best_benefit = |k: usize| {
        lock_in_uses(k)
            .iter()
            .map(|u| m.benefit[k][u.index()])
            .fold(0.0, f64::max)
    };
    // (input index, role), in input order for `only`
    let tested: Vec<(usize, Role)> = match &opts.only {
        Some(only) => {
            if let Some(&bad) = only.iter().find(|&&i| i >= n) {
                return Err(PlanError::invalid(format!(
                    "irreplaceability: candidate index {bad} out of range (0..{n})"
                )));
            }
            only.iter()
                .filter(|&&i| m.fixed[pos[i]].is_none())
                .map(|&i| {
                    let role = if plan.uses[i].is_conversion() {
                        Role::Chosen
                    } else {
                        Role::LeftOut
                    };
                    (i, role)
                })
                .filter(|&(i, role)| role == Role::Chosen || !lock_in_uses(pos[i]).is_empty())
                .collect()
        }
        None => {
            let mut chosen: Vec<(usize, Role)> = (0..n)
                .filter(|&k| m.fixed[k].is_none() && sorted[k].is_conversion())
                .map(|k| (m.order[k], Role::Chosen))
                .collect();
            let mut out: Vec<usize> = (0..n)
                .filter(|&k| {
                    m.fixed[k].is_none() && sorted[k] == Use::Keep && best_benefit(k) > 0.0
                })
                .collect();
            // largest benefit first; k is id order, so ties go by id
            out.sort_by(|&a, &b| best_benefit(b).total_cmp(&best_benefit(a)).then(a.cmp(&b)));
            out.truncate(opts.left_out);
            chosen.extend(out.into_iter().map(|k| (m.order[k], Role::LeftOut)));
            chosen
        }
    };
    let solver = resolve_solver(problem.solver, opts.gap, plan.gap, m.free_count());
    // every re-solve: (tested index, lock)
    let jobs: Vec<(usize, Use)> = tested
        .iter()
        .enumerate()
        .flat_map(|(t, &(i, role))| match role {
            Role::Chosen => vec![(t, Use::Keep)],
            Role::LeftOut => lock_in_uses(pos[i]).into_iter().map(|u| (t, u)).collect(),
        })
        .collect();
    let results: Vec<Result<Locked, PlanError>> = jobs
        .par_iter()
        .map(|&(t, u)| resolve_locked(problem, solver, &sorted, pos[tested[t].0], u))
        .collect();
    let mut parcels: Vec<ParcelValue> = tested
        .iter()
        .map(|&(i, role)| ParcelValue {
            index: i,
            id: m.ids[pos[i]].clone(),
            use_: plan.uses[i],
            role,
            locked_as: None,
            resolve: ReSolve::Infeasible,
            objective: None,
            bound: None,
            delta: None,
            delta_lo: None,
            delta_hi: None,
            method: None,
        })
        .collect();
    // per tested parcel: the best re-solve, the largest bound of any, and
    // whether one found nothing (then only the trivial bound 0 holds)
    let mut top = vec![f64::NEG_INFINITY; tested.len()];
    let mut not_found = vec![false; tested.len()];
    for (&(t, u), r) in jobs.iter().zip(results) {
        let v = &mut parcels[t];
        match r? {
            Locked::Infeasible => {}
            Locked::NotFound => not_found[t] = true,
            Locked::Solved(p) => {
                if v.objective.is_none_or(|z| p.objective > z) {
                    v.resolve = ReSolve::Solved;
                    v.objective = Some(p.objective);
                    v.bound = Some(p.bound);
                    v.method = Some(p.method);
                    v.locked_as = (tested[t].1 == Role::LeftOut).then_some(u);
                }
                top[t] = top[t].max(p.bound);
            }
        }
    }
    for (t, v) in parcels.iter_mut().enumerate() {
        match v.objective {
            Some(z_re) => {
                v.delta = Some(z_re - plan.objective);
                v.delta_lo = Some((z_re - plan.bound).min(0.0));
                v.delta_hi = Some(if not_found[t] {
                    0.0
                } else {
                    (top[t] - plan.objective.max(z_re)).min(0.0)
                });
            }
            None if not_found[t] => v.resolve = ReSolve::NotFound,
            None => {}
        }
    }
    parcels.sort_by(|a, b| order_key(a).total_cmp(&order_key(b)).then(a.id.cmp(&b.id)));
    Ok(Irreplaceability {
        objective: plan.objective,
        bound: plan.bound,
        solver,
        parcels,
    })
}

/// Sort key: chosen and infeasible, chosen by delta (most lost first),
/// chosen but not found, left out by delta (least lost first), the rest.
fn order_key(v: &ParcelValue) -> f64 {
    const BAND: f64 = 1e12;
    match (v.role, v.resolve) {
        (Role::Chosen, ReSolve::Infeasible) => -3.0 * BAND,
        (Role::Chosen, ReSolve::Solved) => -2.0 * BAND + v.delta.unwrap_or(0.0),
        (Role::Chosen, ReSolve::NotFound) => -BAND,
        (Role::LeftOut, ReSolve::Solved) => -v.delta.unwrap_or(0.0),
        (Role::LeftOut, _) => BAND,
    }
}

/// The solver of the re-solves: exact where the policy runs exact, to
/// `gap` when given, else to [`IRREPLACEABLE_GAP`] or the solver's or the
/// plan's gap, whichever is loosest; else fast.
fn resolve_solver(
    solver: Solver,
    gap: Option<f64>,
    plan_gap: f64,
    free_candidates: usize,
) -> Solver {
    match solver.exact_limits(free_candidates) {
        Some((time_limit_s, own)) => Solver::Exact {
            time_limit_s,
            gap: gap.unwrap_or(own.max(IRREPLACEABLE_GAP).max(plan_gap)),
        },
        None => Solver::Fast,
    }
}

/// How one re-solve ended.
enum Locked {
    Solved(Plan),
    Infeasible,
    NotFound,
}

/// Re-solves with candidate `k` (sorted position) locked to `u` (keep: a
/// lock-out), warm-started from the plan changed in `k`.
fn resolve_locked(
    problem: &Problem,
    solver: Solver,
    sorted: &[Use],
    k: usize,
    u: Use,
) -> Result<Locked, PlanError> {
    let mut q = problem.clone();
    q.solver = solver;
    let i = q.model.order[k];
    q.candidates[i].lock = Some(if u == Use::Keep {
        Lock::Out
    } else {
        Lock::In(u)
    });
    q.model.fixed[k] = Some(u);
    let hint: Option<Vec<Use>> = warm_start(&q.model, sorted, k, u).map(|h| {
        let mut v = vec![Use::Keep; h.len()];
        for (kk, &uu) in h.iter().enumerate() {
            v[q.model.order[kk]] = uu;
        }
        v
    });
    match q.solve_from(hint.as_deref(), 1.0) {
        Ok(p) => Ok(Locked::Solved(p)),
        Err(PlanError::Infeasible { .. }) => Ok(Locked::Infeasible),
        Err(PlanError::NoPlanFound { .. }) => Ok(Locked::NotFound),
        Err(e) => Err(e),
    }
}

/// The plan with `k` given `u`, made to fit again (sorted order) by
/// dropping the free conversions worth least per hectare while the plan
/// breaks a rule; `None` when that does not make it feasible.
fn warm_start(m: &Model, sorted: &[Use], k: usize, u: Use) -> Option<Vec<Use>> {
    let mut h = sorted.to_vec();
    h[k] = u;
    if m.is_feasible(&h) {
        return Some(h);
    }
    let mut by_value: Vec<usize> = (0..m.n)
        .filter(|&j| j != k && m.fixed[j].is_none() && h[j].is_conversion())
        .collect();
    let per_ha = |j: usize| m.benefit[j][h[j].index()] / m.area_ha[j].max(1e-12);
    by_value.sort_by(|&a, &b| per_ha(a).total_cmp(&per_ha(b)).then(a.cmp(&b)));
    for j in by_value {
        h[j] = Use::Keep;
        if m.is_feasible(&h) {
            return Some(h);
        }
    }
    None
}
