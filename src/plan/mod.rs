//! The plan (SPEC §5): which candidates to keep and which to turn into parks,
//! ecological land, cultural districts or auction lots, under a total
//! land-scale cap and the other limits a planning bureau works under.
//!
//! The planner takes plain values (candidates with their scores, touching
//! pairs), so it can run on precomputed scores. A [`PlanProblem`] is a builder
//! in the spirit of prioritizr: single-slot settings (cap, solver, λ) replace,
//! accumulating ones (bounds, locks) add up. [`PlanProblem::build`] validates
//! and returns a [`Problem`]; [`Problem::solve`] returns a [`Plan`] or a
//! [`PlanError`] — an infeasible problem is a value naming its conflicts, never
//! a panic. [`evaluate`] scores any assignment against the same model both
//! solvers use.
//!
//! Two solvers share one model ([`model`]): the exact MILP on HiGHS
//! ([`Solver::Exact`]) and a Lagrangian heuristic with local search that also
//! reports an upper bound ([`Solver::Fast`]).
//!
//! ```
//! use landstock::plan::{Candidate, PlanProblem, Scores, Use};
//! use landstock::LandUse;
//!
//! // Three vacant lots of 4, 3 and 2 ha; the cap lets only 5 ha through.
//! let lots = [("a", 4.0, 0.5), ("b", 3.0, 0.9), ("c", 2.0, 0.8)];
//! let candidates: Vec<Candidate> = lots
//!     .iter()
//!     .map(|&(id, ha, green)| {
//!         Candidate::new(id, ha * 10_000.0, LandUse::Vacant)
//!             .with_scores(Scores { green: Some(green), ..Scores::default() })
//!     })
//!     .collect();
//! let plan = PlanProblem::new(candidates, vec![])
//!     .cap_ha(5.0)
//!     .build()
//!     .unwrap()
//!     .solve()
//!     .unwrap();
//! // b + c (3×0.9 + 2×0.8 = 4.3) beats a alone (4×0.5 = 2.0).
//! assert_eq!(plan.uses, vec![Use::Keep, Use::Green, Use::Green]);
//! assert!((plan.objective - 4.3).abs() < 1e-9);
//! assert!((plan.area_ha.green_ha - 5.0).abs() < 1e-9);
//! ```
//!
//! The layout follows the pieces of a problem: [`candidate`](Candidate)s and
//! their touching pairs, the [`constraints`](Bound) they are planned under,
//! the [`PlanProblem`] builder and the validated [`Problem`] (`problem.rs`),
//! the [`Plan`] it yields (`solution.rs`), the [`solvers`] and their policy,
//! then what is done with a problem or a plan: [`model`] (evaluation),
//! [`explain`], [`phases`], [`scenario`].

pub mod alternatives;
mod candidate;
mod constraints;
mod error;
pub mod explain;
mod feasibility;
pub mod irreplaceable;
pub mod model;
pub mod phases;
mod postprocess;
mod problem;
pub mod remediation;
pub mod scenario;
mod solution;
pub mod solvers;

#[cfg(test)]
mod alternatives_tests;
#[cfg(test)]
mod explain_tests;
#[cfg(test)]
mod irreplaceable_tests;
#[cfg(test)]
mod phase_tests;
#[cfg(test)]
mod remediation_tests;
#[cfg(test)]
mod robust_tests;
#[cfg(test)]
mod tests;

pub use alternatives::{alternatives, AlternativeOptions, Alternatives};
pub use candidate::{Candidate, Scores, TouchingPair};
pub use constraints::{
    Bound, BoundAmount, BoundKind, Budget, ConstraintRef, ConstraintStatus, ConstructionTarget,
    Costs, PhaseSpec,
};
pub use error::{Conflict, PlanError};
pub use explain::{
    explain, explain_with, CandidateExplanation, ExplainOptions, Explanation, Marginal, Stop,
};
pub use irreplaceable::{
    irreplaceability, Irreplaceability, IrreplaceableOptions, ParcelValue, ReSolve, Role,
};
pub use model::{evaluate, Evaluation, UseAreas, Violation};
pub use phases::{PhaseReport, PhasedPlan};
pub use problem::{PlanProblem, Problem};
pub use remediation::{Applied, Remediation, SiteRule, SoilCategory};
pub use scenario::{scenarios, scenarios_by, ScenarioRow};
pub(crate) use solution::relative_gap;
pub use solution::{Method, Plan, SolveStatus};
pub use solvers::milp::{self, HighsRunner};
pub use solvers::Solver;

pub use crate::uses::{Lock, Use};
