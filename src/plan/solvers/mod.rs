//! The solvers and the policy that picks them: [`Solver`] names them,
//! [`Solver::exact_limits`] decides when the exact MILP runs, and
//! `solve_outcome` runs fast alone or fast then exact. One file per solver:
//! `fast` (Lagrangian heuristic with local search and its own bound),
//! `exact` (the MILP on HiGHS, warm-started and shrunk by reduced-cost
//! fixing) and [`milp`] (the model as plain values and where HiGHS runs).

pub(crate) mod exact;
pub(crate) mod fast;
pub mod milp;

use super::error::PlanError;
use super::{model, relative_gap, Method, Problem, SolveStatus};
use crate::uses::Use;

/// Which solver [`Problem::solve`] uses.
///
/// ```
/// use landstock::plan::Solver;
/// assert_eq!(Solver::default(), Solver::auto());
/// assert!(matches!(Solver::exact(), Solver::Exact { .. }));
/// assert!(matches!(Solver::auto(), Solver::Auto { time_limit_s: 60.0, .. }));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Solver {
    /// The MILP on HiGHS, warm-started from the fast solver and shrunk by
    /// reduced-cost fixing with its Lagrangian certificate. When the fast
    /// solver's plan is already proven within `gap` by its own bound, HiGHS
    /// is not run and the plan says method `fast` (its gap is the proof).
    /// The time limit covers the whole solve, warm start included. HiGHS
    /// checks the clock between its steps, not inside them (its MIP setup on
    /// a 1M-parcel city, its primal heuristics on some budgeted models ran
    /// for 20 minutes past a 60 s limit): with a
    /// [`milp::HighsRunner::Worker`] (what the command line uses) it is
    /// ended at the limit + 0.75 s whatever it is doing; in process, its own
    /// clock checks are the only stop. A plan stopped by the limit has
    /// [`SolveStatus::TimeLimit`], the best plan known and its proven bound.
    Exact {
        /// Wall-clock limit in seconds (a plan found by then is returned with its gap).
        time_limit_s: f64,
        /// Relative gap at which HiGHS stops (`mip_rel_gap`); 0 proves optimality.
        gap: f64,
    },
    /// The Lagrangian heuristic with local search; reports a Lagrangian upper bound.
    Fast,
    /// Fast first; then exact (warm-started, within the time limit, to the
    /// gap) when there are at most [`Solver::AUTO_EXACT_MAX_CANDIDATES`] free
    /// candidates (fast alone when the crate is built without the `exact`
    /// feature).
    Auto {
        /// Wall-clock limit of the exact solve, seconds.
        time_limit_s: f64,
        /// Relative gap of the exact solve.
        gap: f64,
    },
}

impl Default for Solver {
    fn default() -> Self {
        Solver::auto()
    }
}

impl Solver {
    /// Largest number of free candidates for which `Auto` also runs the exact solver.
    pub const AUTO_EXACT_MAX_CANDIDATES: usize = 10_000;

    /// Auto with a 60 s limit and a relative gap of 1e-4 (the default).
    pub fn auto() -> Self {
        Solver::Auto {
            time_limit_s: 60.0,
            gap: 1e-4,
        }
    }

    /// The exact solver with a 60 s limit and HiGHS's default relative gap 1e-4.
    pub fn exact() -> Self {
        Solver::Exact {
            time_limit_s: 60.0,
            gap: 1e-4,
        }
    }

    /// The policy, decided here only: the exact solver's `(time_limit_s,
    /// gap)` for a problem of `free_candidates` free candidates (× phases
    /// for a phased plan), or `None` when the fast solver answers alone —
    /// [`Solver::Fast`], and [`Solver::Auto`] above
    /// [`Solver::AUTO_EXACT_MAX_CANDIDATES`] or without the `exact` feature.
    ///
    /// ```
    /// use landstock::plan::Solver;
    /// assert_eq!(Solver::Fast.exact_limits(10), None);
    /// assert_eq!(Solver::exact().exact_limits(1_000_000), Some((60.0, 1e-4)));
    /// assert_eq!(Solver::auto().exact_limits(Solver::AUTO_EXACT_MAX_CANDIDATES + 1), None);
    /// # #[cfg(feature = "exact")]
    /// assert_eq!(Solver::auto().exact_limits(500), Some((60.0, 1e-4)));
    /// ```
    pub fn exact_limits(self, free_candidates: usize) -> Option<(f64, f64)> {
        match self {
            Solver::Fast => None,
            Solver::Exact { time_limit_s, gap } => Some((time_limit_s, gap)),
            Solver::Auto { time_limit_s, gap }
                if cfg!(feature = "exact")
                    && free_candidates <= Solver::AUTO_EXACT_MAX_CANDIDATES =>
            {
                Some((time_limit_s, gap))
            }
            Solver::Auto { .. } => None,
        }
    }
}

/// The solver policy, in one place: fast alone, or fast then exact
/// (for the phased plan, see [`Solver::exact_limits`]).
pub(crate) fn solve_outcome(
    problem: &Problem,
    start: std::time::Instant,
    hint: Option<Vec<Use>>,
    limit_share: f64,
) -> Result<(model::Outcome, SolveStatus), PlanError> {
    let m = &problem.model;
    // the better of the fast plan and a feasible hint
    let with_hint = |w: Option<model::Outcome>| match (w, &hint) {
        (Some(w), Some(h)) if m.objective(h) > m.objective(&w.uses) + 1e-12 => {
            Some(model::Outcome {
                uses: h.clone(),
                ..w
            })
        }
        (w, _) => w,
    };
    let Some((time_limit_s, gap)) = problem.solver.exact_limits(m.free_count()) else {
        let w = with_hint(fast::solve(problem, m)).ok_or(PlanError::NoPlanFound {
            method: Method::Fast,
            hint: if cfg!(feature = "exact") {
                "the fast heuristic found no feasible plan; try Solver::Exact"
            } else {
                "the fast heuristic found no feasible plan; build with the `exact` feature"
            },
        })?;
        return Ok((w, SolveStatus::Heuristic));
    };
    let deadline =
        start + std::time::Duration::from_secs_f64((limit_share * time_limit_s).max(0.0));
    let (warm, certificate) = fast::solve_certified(problem, m);
    let warm = with_hint(warm);
    match warm {
        // the fast plan is already proven within the gap by its own bound
        Some(w) if proven_within(&w, m, gap) => Ok((w, SolveStatus::Optimal)),
        // out of time already: the fast plan is the best known
        Some(w) if std::time::Instant::now() >= deadline => Ok((w, SolveStatus::TimeLimit)),
        warm => exact::solve(
            problem,
            m,
            deadline,
            gap,
            warm.as_ref().map(|w| (w, Some(&certificate))),
            &problem.runner,
        ),
    }
}

/// Whether a fast outcome's own bound already proves it within `gap`
/// (then HiGHS has nothing to add). With `gap` 0 only an outcome whose
/// bound equals its objective qualifies.
fn proven_within(w: &model::Outcome, m: &model::Model, gap: f64) -> bool {
    let obj = m.objective(&w.uses);
    relative_gap(obj, w.bound) <= gap
}
