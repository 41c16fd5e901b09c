//! Explanations of a plan (SPEC §5 "Explanations"): which constraints bind,
//! what one more hectare of cap and one more unit of money are worth, and
//! for each candidate its best use and — for a good parcel left out — what
//! stopped it.
//!
//! **Marginal values** are finite differences by re-solving: the problem is
//! solved again with the limit raised by δ (same solver and settings), and
//! the value is `(objective(limit + δ) − objective(plan)) / δ`. LP duals are
//! not used: on a MILP they price the relaxation, not the plan. Raising the
//! cap also raises bounds given as a share of the cap, as editing the cap in
//! a config would. With a heuristic or a non-zero gap the difference carries
//! the solver's own slack (both objectives are within `gap` of their optimum).
//!
//! **What stopped a candidate** (a candidate the plan keeps although some
//! use would add benefit). The test is deterministic and local to the plan:
//! 1. a lock-out stops it: [`Stop::Lock`];
//! 2. if its best-scoring use is not open to it: [`Stop::Ineligible`];
//! 3. its best *eligible* use (largest benefit, ties in [`Use::ALL`] order)
//!    is added to the plan as it stands, and every constraint row that would
//!    then be exceeded stops it: [`Stop::Cap`], [`Stop::Quota`],
//!    [`Stop::ConstructionTarget`], [`Stop::Budget`] (row order);
//! 4. when a row stops it, each touching converted neighbour whose own
//!    benefit is smaller but whose benefit plus adjacency bonus is larger
//!    took the room with the help of the bonus: [`Stop::BetterNeighbour`]
//!    (by id);
//! 5. when nothing stops it, the solver stopped short of it (a heuristic or
//!    a gap): [`Stop::NotFound`].
//!
//! The criteria that drove a score live in the score sheet; join them by
//! [`CandidateExplanation::id`].

use super::error::PlanError;
use super::model::RowKind;
use super::{ConstraintRef, ConstraintStatus, Lock, Method, Plan, Problem, Use};
use crate::ParcelId;

/// The value of one more unit of a limit, by re-solving with the limit + δ.
///
/// ```
/// use landstock::plan::{explain, Candidate, PlanProblem, Scores};
/// use landstock::LandUse;
/// let s = |g| Scores { green: Some(g), ..Scores::default() };
/// let lots = vec![
///     Candidate::new("a", 20_000.0, LandUse::Vacant).with_scores(s(0.9)),
///     Candidate::new("b", 10_000.0, LandUse::Vacant).with_scores(s(0.6)),
/// ];
/// let p = PlanProblem::new(lots, vec![]).cap_ha(2.0).build().unwrap();
/// let plan = p.solve().unwrap();
/// let cap = explain(&p, &plan).unwrap().cap.unwrap();
/// // One more hectare lets "b" in: +0.6.
/// assert_eq!(cap.delta, 1.0);
/// assert!((cap.per_unit - 0.6).abs() < 1e-9);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Marginal {
    /// The step δ (ha for the cap, currency for the budget).
    pub delta: f64,
    /// Objective of the plan explained.
    pub objective: f64,
    /// Objective re-solved with the limit raised by δ.
    pub objective_plus: f64,
    /// `(objective_plus − objective) / δ`: per ha, or per unit of money.
    pub per_unit: f64,
    /// The solver of the re-solve.
    pub method: Method,
    /// Relative gap of the re-solve.
    pub gap_plus: f64,
}

/// What kept a good candidate out of the plan (see the module docs for the test).
///
/// ```
/// use landstock::plan::{Stop, Use};
/// assert_eq!(Stop::Quota { use_: Use::Green, max_ha: 12.0 }.to_string(), "max green 12 ha");
/// assert_eq!(Stop::Cap.to_string(), "cap");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Stop {
    /// The total land-scale cap has no room for it.
    Cap,
    /// The budget (with auction revenue) cannot pay for it.
    Budget,
    /// A per-use maximum has no room for it.
    Quota {
        /// The use.
        use_: Use,
        /// Its maximum, ha.
        max_ha: f64,
    },
    /// Converting it would raise construction land above the target.
    ConstructionTarget,
    /// A lock keeps it.
    Lock,
    /// Its best-scoring use is not open to it (e.g. cultural on a non-industrial site).
    Ineligible {
        /// That use.
        use_: Use,
    },
    /// A touching neighbour with less benefit took the room thanks to its adjacency bonus.
    BetterNeighbour {
        /// The neighbour.
        id: ParcelId,
    },
    /// Nothing stops it: the solver stopped short (heuristic or gap).
    NotFound,
}

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stop::Cap => f.write_str("cap"),
            Stop::Budget => f.write_str("budget"),
            Stop::Quota { use_, max_ha } => {
                write!(f, "max {use_} {} ha", super::constraints::amount(*max_ha))
            }
            Stop::ConstructionTarget => f.write_str("construction land target"),
            Stop::Lock => f.write_str("lock"),
            Stop::Ineligible { use_ } => write!(f, "not eligible for {use_}"),
            Stop::BetterNeighbour { id } => write!(f, "neighbour {id} took the adjacency bonus"),
            Stop::NotFound => f.write_str("not found by the solver"),
        }
    }
}

/// Why one candidate got its use.
///
/// ```
/// use landstock::plan::{explain, Candidate, PlanProblem, Scores, Use};
/// use landstock::LandUse;
/// // A 2 ha vacant lot: green 0.4, cultural 0.9 (not open to vacant land).
/// let lot = Candidate::new("a", 20_000.0, LandUse::Vacant)
///     .with_scores(Scores { green: Some(0.4), cultural: Some(0.9), ..Scores::default() });
/// let p = PlanProblem::new(vec![lot], vec![]).cap_ha(5.0).build().unwrap();
/// let plan = p.solve().unwrap();
/// let c = &explain(&p, &plan).unwrap().candidates[0];
/// assert_eq!((c.use_, c.best_use, c.best_score), (Use::Green, Some(Use::Cultural), Some(0.9)));
/// assert!((c.best_benefit_eligible - 0.8).abs() < 1e-12, "green: 0.4 × 2 ha");
/// assert!(c.stopped_by.is_empty(), "converted");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CandidateExplanation {
    /// The candidate.
    pub id: ParcelId,
    /// Its use in the plan.
    pub use_: Use,
    /// Its best-scoring conversion use, eligible or not (`None` without scores).
    pub best_use: Option<Use>,
    /// The score of that use.
    pub best_score: Option<f64>,
    /// Largest benefit (score × area_ha) over the uses open to it.
    pub best_benefit_eligible: f64,
    /// For a kept candidate with something to gain (or a lock, or an
    /// ineligible best use): what stopped it. Empty otherwise.
    pub stopped_by: Vec<Stop>,
}

/// An explained plan.
///
/// ```
/// use landstock::plan::{explain, Candidate, ConstraintRef, PlanProblem, Scores};
/// use landstock::LandUse;
/// let s = Scores { green: Some(0.5), ..Scores::default() };
/// let lots = vec![
///     Candidate::new("a", 10_000.0, LandUse::Vacant).with_scores(s),
///     Candidate::new("b", 10_000.0, LandUse::Vacant).with_scores(s),
/// ];
/// let p = PlanProblem::new(lots, vec![]).cap_ha(1.0).build().unwrap();
/// let e = explain(&p, &p.solve().unwrap()).unwrap();
/// assert_eq!(e.binding, vec![ConstraintRef::Cap { cap_ha: 1.0 }]);
/// assert!((e.cap.unwrap().per_unit - 0.5).abs() < 1e-9, "one more ha lets b in");
/// assert!(e.budget.is_none());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// Every constraint with its slack and binding flag (the plan's).
    pub constraints: Vec<ConstraintStatus>,
    /// The constraints at their limit.
    pub binding: Vec<ConstraintRef>,
    /// Value of one more hectare of cap (an error when the re-solve fails).
    pub cap: Result<Marginal, PlanError>,
    /// Value of one more unit of money; `None` without a budget.
    pub budget: Option<Result<Marginal, PlanError>>,
    /// One explanation per candidate, input order.
    pub candidates: Vec<CandidateExplanation>,
}

/// The steps of the finite differences.
///
/// ```
/// use landstock::plan::ExplainOptions;
/// let o = ExplainOptions::default();
/// assert_eq!((o.cap_delta_ha, o.budget_delta), (1.0, None));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExplainOptions {
    /// δ for the cap, ha (default 1: "one more hectare").
    pub cap_delta_ha: f64,
    /// δ for the budget; `None` = 1% of the budget, at least 1. One unit of
    /// money almost never changes a plan of whole parcels, so the step is a
    /// share of the budget and the value is reported per unit.
    pub budget_delta: Option<f64>,
}

impl Default for ExplainOptions {
    fn default() -> Self {
        ExplainOptions {
            cap_delta_ha: 1.0,
            budget_delta: None,
        }
    }
}

/// Explains `plan`, a plan of `problem`, with the default steps (see the
/// module docs for the method).
///
/// ```
/// use landstock::plan::{explain, Candidate, Lock, PlanProblem, Scores, Stop, Use};
/// use landstock::LandUse;
/// let s = |g| Scores { green: Some(g), ..Scores::default() };
/// let lots = vec![
///     Candidate::new("a", 10_000.0, LandUse::Vacant).with_scores(s(0.9)),
///     Candidate::new("b", 10_000.0, LandUse::Vacant).with_scores(s(0.6)),
///     Candidate::new("c", 10_000.0, LandUse::Vacant).with_scores(s(0.8)).with_lock(Lock::Out),
/// ];
/// let p = PlanProblem::new(lots, vec![]).cap_ha(1.0).build().unwrap();
/// let plan = p.solve().unwrap();
/// let e = explain(&p, &plan).unwrap();
/// assert_eq!(e.candidates[0].use_, Use::Green);
/// assert_eq!(e.candidates[1].stopped_by, vec![Stop::Cap]);
/// assert_eq!(e.candidates[2].stopped_by, vec![Stop::Lock]);
/// ```
pub fn explain(problem: &Problem, plan: &Plan) -> Result<Explanation, PlanError> {
    explain_with(problem, plan, &ExplainOptions::default())
}

/// [`explain`] with chosen steps.
///
/// ```
/// use landstock::plan::{explain_with, Candidate, Costs, ExplainOptions, PlanProblem, Scores};
/// use landstock::LandUse;
/// let s = Scores { green: Some(0.5), ..Scores::default() };
/// let lots = vec![
///     Candidate::new("a", 10_000.0, LandUse::Vacant).with_scores(s),
///     Candidate::new("b", 10_000.0, LandUse::Vacant).with_scores(s),
/// ];
/// // A park costs 1.5 M; the budget pays for one.
/// let p = PlanProblem::new(lots, vec![]).cap_ha(5.0).budget(1.5e6, Costs::default()).build().unwrap();
/// let plan = p.solve().unwrap();
/// let o = ExplainOptions { cap_delta_ha: 1.0, budget_delta: Some(1.5e6) };
/// let money = explain_with(&p, &plan, &o).unwrap().budget.unwrap().unwrap();
/// assert!((money.per_unit - 0.5 / 1.5e6).abs() < 1e-15);
/// ```
pub fn explain_with(
    problem: &Problem,
    plan: &Plan,
    options: &ExplainOptions,
) -> Result<Explanation, PlanError> {
    let n = problem.candidates.len();
    if plan.uses.len() != n {
        return Err(PlanError::invalid(format!(
            "plan has {} uses for {n} candidates: explain a plan of this problem",
            plan.uses.len()
        )));
    }
    let d = options.cap_delta_ha;
    if !(d.is_finite() && d > 0.0) {
        return Err(PlanError::invalid(format!(
            "cap step {d} ha: must be finite and > 0"
        )));
    }
    // The two re-solves run side by side, each warm-started from the plan
    // (still feasible with more room) with a fifth of the time limit.
    let (cap, budget) = rayon::join(
        || {
            problem
                .with_cap_ha(problem.cap_ha + d)
                .and_then(|p| marginal(&p, plan, d))
        },
        || {
            problem.budget.map(|b| {
                let d = options.budget_delta.unwrap_or((0.01 * b.amount).max(1.0));
                if !(d.is_finite() && d > 0.0) {
                    return Err(PlanError::invalid(format!(
                        "budget step {d}: must be finite and > 0"
                    )));
                }
                problem
                    .with_budget_amount(b.amount + d)
                    .and_then(|p| marginal(&p, plan, d))
            })
        },
    );
    Ok(Explanation {
        constraints: plan.constraints.clone(),
        binding: plan.binding().into_iter().cloned().collect(),
        cap,
        budget,
        candidates: candidates(problem, plan),
    })
}

/// The share of the solver's time limit each explanation re-solve gets
/// (the two run side by side).
pub const EXPLAIN_LIMIT_SHARE: f64 = 0.2;

/// The relative gap the exact re-solves of the explanations stop at (or the
/// plan's own, when looser): a marginal value is a difference of two
/// objectives, and its error, `gap_plus` × objective, is reported with it.
/// Stopping on a gap rather than on the clock keeps explanations the same
/// from run to run.
pub const EXPLAIN_GAP: f64 = 1e-3;

/// The solver of an explanation's re-solve: exact to [`EXPLAIN_GAP`] (or the
/// plan's own gap, when looser) where the policy runs exact for the plan,
/// else fast.
fn resolve_solver(solver: super::Solver, free_candidates: usize) -> super::Solver {
    match solver.exact_limits(free_candidates) {
        Some((time_limit_s, gap)) => super::Solver::Exact {
            time_limit_s,
            gap: gap.max(EXPLAIN_GAP),
        },
        None => super::Solver::Fast,
    }
}

/// Re-solves with the raised limit. A heuristic re-solve may land below the
/// plan it started from; when that plan is still feasible under the raised
/// limit (it is unless a share-of-cap minimum grew) it is a lower bound on
/// the raised optimum, so the better of the two is taken and the marginal
/// value is never negative for that reason.
fn marginal(raised: &Problem, plan: &Plan, delta: f64) -> Result<Marginal, PlanError> {
    let objective = plan.objective;
    let mut raised = raised.clone();
    raised.solver = resolve_solver(raised.solver, raised.model.free_count());
    let plus = raised.solve_from(Some(&plan.uses), EXPLAIN_LIMIT_SHARE)?;
    let kept = super::model::evaluate(&raised, &plan.uses);
    let objective_plus = if kept.violations.is_empty() {
        plus.objective.max(kept.objective)
    } else {
        plus.objective
    };
    Ok(Marginal {
        delta,
        objective,
        objective_plus,
        per_unit: (objective_plus - objective) / delta,
        method: plus.method,
        gap_plus: plus.gap,
    })
}

/// The per-candidate explanations (input order).
fn candidates(problem: &Problem, plan: &Plan) -> Vec<CandidateExplanation> {
    let m = &problem.model;
    let n = m.n;
    let mut pos = vec![0usize; n];
    for (k, &i) in m.order.iter().enumerate() {
        pos[i] = k;
    }
    let sorted: Vec<Use> = m.order.iter().map(|&i| plan.uses[i]).collect();
    let (act, mag) = m.activities(&sorted);
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); n];
    for p in problem.pairs.iter().filter(|p| p.shared_len_m > 0.0) {
        neighbours[p.a].push(p.b);
        neighbours[p.b].push(p.a);
    }
    (0..n)
        .map(|i| {
            let c = &problem.candidates[i];
            let k = pos[i];
            let use_ = plan.uses[i];
            let (best_use, best_score) = [Use::Green, Use::Ecological, Use::Cultural]
                .into_iter()
                .filter_map(|u| c.scores.get(u).map(|s| (u, s)))
                .fold(
                    (None, None),
                    |(bu, bs): (Option<Use>, Option<f64>), (u, s)| {
                        if bs.is_none_or(|b| s > b) {
                            (Some(u), Some(s))
                        } else {
                            (bu, bs)
                        }
                    },
                );
            // Best eligible conversion by benefit, ties in Use order.
            let eligible_best = [Use::Green, Use::Ecological, Use::Cultural]
                .into_iter()
                .filter(|&u| m.eligible[k][u.index()])
                .map(|u| (u, m.benefit[k][u.index()]))
                .fold(None, |best: Option<(Use, f64)>, (u, b)| {
                    if best.is_none_or(|(_, bb)| b > bb) {
                        Some((u, b))
                    } else {
                        best
                    }
                });
            let best_benefit_eligible = eligible_best.map_or(0.0, |(_, b)| b);
            let mut stopped_by = Vec::new();
            let locked_out = matches!(c.lock, Some(Lock::Out) | Some(Lock::In(Use::Keep)));
            let gain_possible = best_score.is_some_and(|s| s > 0.0);
            if use_ == Use::Keep && gain_possible {
                if locked_out {
                    stopped_by.push(Stop::Lock);
                } else {
                    if let Some(u) = best_use.filter(|&u| !m.eligible[k][u.index()]) {
                        stopped_by.push(Stop::Ineligible { use_: u });
                    }
                    if let Some((u, b)) = eligible_best.filter(|&(_, b)| b > 0.0) {
                        let rows = exceeded_rows(problem, k, u, &act, &mag);
                        if rows.is_empty() {
                            stopped_by.push(Stop::NotFound);
                        } else {
                            stopped_by.extend(rows);
                            let mut better: Vec<&ParcelId> = neighbours[i]
                                .iter()
                                .filter(|&&j| {
                                    let (kq, v) = (pos[j], plan.uses[j]);
                                    let bq = m.benefit[kq][v.index()];
                                    v.is_conversion()
                                        && bq < b
                                        && bq + m.bonus_with_neighbours(&sorted, kq, v) > b
                                })
                                .map(|&j| &problem.candidates[j].id)
                                .collect();
                            better.sort();
                            stopped_by.extend(
                                better
                                    .into_iter()
                                    .map(|id| Stop::BetterNeighbour { id: id.clone() }),
                            );
                        }
                    }
                }
            }
            CandidateExplanation {
                id: c.id.clone(),
                use_,
                best_use,
                best_score,
                best_benefit_eligible,
                stopped_by,
            }
        })
        .collect()
}

/// The rows that adding `x[k, u]` to the plan would exceed, as stops.
fn exceeded_rows(problem: &Problem, k: usize, u: Use, act: &[f64], mag: &[f64]) -> Vec<Stop> {
    let m = &problem.model;
    let mut out = Vec::new();
    m.for_each_coef(k, u, |r, c| {
        if c > 0.0 && act[r] + c - m.rows[r].rhs > m.tol(r, mag[r] + c) {
            out.push((r, c));
        }
    });
    out.sort_by_key(|&(r, _)| r);
    out.into_iter()
        .filter_map(|(r, _)| match (m.rows[r].kind, &m.rows[r].constraint) {
            (RowKind::Cap, _) => Some(Stop::Cap),
            (RowKind::Max(use_), ConstraintRef::MaxArea { max_ha, .. }) => Some(Stop::Quota {
                use_,
                max_ha: *max_ha,
            }),
            (RowKind::Construction, _) => Some(Stop::ConstructionTarget),
            (RowKind::Budget, _) => Some(Stop::Budget),
            _ => None,
        })
        .collect()
}
