//! A solved plan and how it was found: the assignment, its objective,
//! bound and gap, the solver and why it stopped, areas, money and the
//! status of every constraint.

use super::model::UseAreas;
use super::{ConstraintRef, ConstraintStatus};
use crate::uses::Use;

/// The solver that produced a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// HiGHS MILP.
    Exact,
    /// Lagrangian heuristic.
    Fast,
}

impl Method {
    /// Lower-case name for outputs.
    ///
    /// ```
    /// assert_eq!(landstock::plan::Method::Fast.as_str(), "fast");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Exact => "exact",
            Method::Fast => "fast",
        }
    }
}

/// How a solve ended.
///
/// ```
/// use landstock::plan::{Candidate, PlanProblem, Scores, SolveStatus, Solver};
/// use landstock::LandUse;
/// let lot = Candidate::new("a", 1e4, LandUse::Vacant)
///     .with_scores(Scores { green: Some(0.5), ..Scores::default() });
/// let p = PlanProblem::new(vec![lot], vec![]).cap_ha(1.0).solver(Solver::Fast).build().unwrap();
/// assert_eq!(p.solve().unwrap().status, SolveStatus::Heuristic);
/// assert_eq!(SolveStatus::TimeLimit.as_str(), "time_limit");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SolveStatus {
    /// The exact solver met the requested gap (0: proven optimal).
    Optimal,
    /// The time limit stopped the exact solver before the requested gap was
    /// met: the plan is the best known, its bound proven.
    TimeLimit,
    /// HiGHS stopped for another reason (a limit of its own) before the gap
    /// was met.
    Stopped,
    /// The fast solver's plan: no gap was requested; its bound is its own.
    Heuristic,
}

impl SolveStatus {
    /// Lower-case name for outputs (`optimal`, `time_limit`, `stopped`, `heuristic`).
    pub fn as_str(self) -> &'static str {
        match self {
            SolveStatus::Optimal => "optimal",
            SolveStatus::TimeLimit => "time_limit",
            SolveStatus::Stopped => "stopped",
            SolveStatus::Heuristic => "heuristic",
        }
    }
}

/// A solved plan.
///
/// `gap` is `(bound − objective) / max(|bound|, |objective|)`: 0 for a
/// proven optimum, always in [0, 1].
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The use of each candidate, in input order.
    pub uses: Vec<Use>,
    /// Total benefit plus adjacency bonus.
    pub objective: f64,
    /// Σ score × area_ha of the converted candidates.
    pub benefit: f64,
    /// The adjacency bonus.
    pub bonus: f64,
    /// An upper bound on the best objective (HiGHS's dual bound or the Lagrangian bound).
    pub bound: f64,
    /// Relative gap between objective and bound.
    pub gap: f64,
    /// The solver that produced the plan.
    pub method: Method,
    /// How the solve ended: the requested gap met, the time limit, or a
    /// heuristic plan with its own bound.
    pub status: SolveStatus,
    /// Area per use, ha.
    pub area_ha: UseAreas,
    /// Σ conversion cost (with the budget's unit costs, or the defaults).
    pub cost: f64,
    /// Σ auction revenue of redeveloped candidates.
    pub revenue: f64,
    /// Construction land after the plan, when a target was given.
    pub construction_land_after_ha: Option<f64>,
    /// Every constraint with its slack and whether it binds.
    pub constraints: Vec<ConstraintStatus>,
}

impl Plan {
    /// The constraints at their limit.
    ///
    /// ```
    /// use landstock::plan::{Candidate, ConstraintRef, PlanProblem, Scores};
    /// use landstock::LandUse;
    /// let c = |id: &str| Candidate::new(id, 10_000.0, LandUse::Vacant)
    ///     .with_scores(Scores { green: Some(0.5), ..Scores::default() });
    /// let plan = PlanProblem::new(vec![c("a"), c("b")], vec![])
    ///     .cap_ha(1.0).build().unwrap().solve().unwrap();
    /// assert_eq!(plan.binding(), vec![&ConstraintRef::Cap { cap_ha: 1.0 }]);
    /// ```
    pub fn binding(&self) -> Vec<&ConstraintRef> {
        self.constraints
            .iter()
            .filter(|c| c.binding)
            .map(|c| &c.constraint)
            .collect()
    }
}

/// `(bound − objective) / max(|bound|, |objective|)`, in [0, 1]; 0 when both are 0.
pub(crate) fn relative_gap(objective: f64, bound: f64) -> f64 {
    let denom = bound.abs().max(objective.abs());
    if denom <= 0.0 {
        0.0
    } else {
        ((bound - objective) / denom).max(0.0)
    }
}
