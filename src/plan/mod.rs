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

mod error;
mod exact;
pub mod explain;
mod fast;
mod feasibility;
pub mod milp;
pub mod model;
pub mod phases;
mod postprocess;
pub mod scenario;

#[cfg(test)]
mod explain_tests;
#[cfg(test)]
mod phase_tests;
#[cfg(test)]
mod tests;

use std::fmt;

pub use error::{Conflict, PlanError};
pub use explain::{
    explain, explain_with, CandidateExplanation, ExplainOptions, Explanation, Marginal, Stop,
};
pub use milp::HighsRunner;
pub use model::{evaluate, Evaluation, UseAreas, Violation};
pub use phases::{PhaseReport, PhaseSpec, PhasedPlan};
pub use scenario::{scenarios, scenarios_by, ScenarioRow};

pub use crate::uses::{Lock, Use};
use crate::{LandUse, ParcelId};

/// Suitability scores in [0, 1] per conversion use; `None` means ineligible.
///
/// ```
/// use landstock::plan::Scores;
/// let s = Scores { green: Some(0.7), ..Scores::default() };
/// assert_eq!(s.ecological, None);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Scores {
    /// Park score.
    pub green: Option<f64>,
    /// Ecological-land score.
    pub ecological: Option<f64>,
    /// Cultural-district score (only used for industrial/logistics origin by default).
    pub cultural: Option<f64>,
}

impl Scores {
    /// The score of a use; `Keep` and `Redevelop` carry no score.
    pub fn get(&self, u: Use) -> Option<f64> {
        match u {
            Use::Green => self.green,
            Use::Ecological => self.ecological,
            Use::Cultural => self.cultural,
            Use::Keep | Use::Redevelop => None,
        }
    }
}

/// One parcel the plan may convert, with everything the planner needs.
///
/// ```
/// use landstock::plan::{Candidate, Lock, Scores, Use};
/// use landstock::LandUse;
/// let c = Candidate::new("m-17", 25_000.0, LandUse::Industrial)
///     .with_scores(Scores { green: Some(0.4), ecological: Some(0.2), cultural: Some(0.9) })
///     .with_perimeter_m(640.0)
///     .with_lock(Lock::In(Use::Cultural));
/// assert_eq!(c.area_m2, 25_000.0);
/// assert_eq!(c.lock, Some(Lock::In(Use::Cultural)));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The parcel id; ties break by it (byte-wise).
    pub id: ParcelId,
    /// Area in m² (metric CRS); must be positive and finite.
    pub area_m2: f64,
    /// Perimeter in m, hole rings included; used by the adjacency bonus.
    pub perimeter_m: f64,
    /// Canonical class before the plan.
    pub origin: LandUse,
    /// Contaminated site: remediation cost for green and cultural.
    pub contaminated: bool,
    /// Auction value per m²; `None` uses [`Costs::default_land_value_per_m2`].
    pub land_value_per_m2: Option<f64>,
    /// Suitability per use; `None` = ineligible.
    pub scores: Scores,
    /// A user lock, if any.
    pub lock: Option<Lock>,
}

impl Candidate {
    /// A candidate with no scores (eligible for nothing yet), not
    /// contaminated, default land value, no lock, and the perimeter of a
    /// square of the same area (override with [`Candidate::with_perimeter_m`]).
    pub fn new(id: impl Into<ParcelId>, area_m2: f64, origin: LandUse) -> Self {
        Candidate {
            id: id.into(),
            area_m2,
            perimeter_m: 4.0 * area_m2.max(0.0).sqrt(),
            origin,
            contaminated: false,
            land_value_per_m2: None,
            scores: Scores::default(),
            lock: None,
        }
    }
    /// Sets the scores.
    pub fn with_scores(mut self, scores: Scores) -> Self {
        self.scores = scores;
        self
    }
    /// Sets the perimeter (m, hole rings included).
    pub fn with_perimeter_m(mut self, perimeter_m: f64) -> Self {
        self.perimeter_m = perimeter_m;
        self
    }
    /// Marks the site contaminated (or not).
    pub fn with_contaminated(mut self, contaminated: bool) -> Self {
        self.contaminated = contaminated;
        self
    }
    /// Sets the land value per m² used for auction revenue.
    pub fn with_land_value_per_m2(mut self, value: f64) -> Self {
        self.land_value_per_m2 = Some(value);
        self
    }
    /// Sets a lock.
    pub fn with_lock(mut self, lock: Lock) -> Self {
        self.lock = Some(lock);
        self
    }
}

/// Two candidates (indices into the candidate list) that share a boundary of
/// `shared_len_m` metres. Pairs with zero length (touching at points) are
/// ignored; a pair may be listed only once (in either order).
///
/// ```
/// use landstock::plan::TouchingPair;
/// let p = TouchingPair { a: 0, b: 1, shared_len_m: 80.0 };
/// assert_eq!(p.shared_len_m, 80.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TouchingPair {
    /// Index of the first candidate.
    pub a: usize,
    /// Index of the second candidate.
    pub b: usize,
    /// Length of the shared boundary, m.
    pub shared_len_m: f64,
}

/// A per-use area bound: minimum or maximum, in hectares or as a share of the cap.
///
/// ```
/// use landstock::plan::Bound;
/// assert_eq!(Bound::max_share(0.3).limit_ha(120.0), 36.0);
/// assert_eq!(Bound::min_ha(12.0).limit_ha(120.0), 12.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    /// Minimum or maximum.
    pub kind: BoundKind,
    /// Hectares or share of the cap.
    pub amount: BoundAmount,
}

/// Whether a [`Bound`] is a floor or a ceiling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoundKind {
    /// Area of the use >= limit.
    Min,
    /// Area of the use <= limit.
    Max,
}

/// The amount of a [`Bound`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BoundAmount {
    /// Hectares.
    Ha(f64),
    /// Share of the cap, in [0, 1].
    ShareOfCap(f64),
}

impl Bound {
    /// At least `ha` hectares.
    pub fn min_ha(ha: f64) -> Self {
        Bound {
            kind: BoundKind::Min,
            amount: BoundAmount::Ha(ha),
        }
    }
    /// At most `ha` hectares.
    pub fn max_ha(ha: f64) -> Self {
        Bound {
            kind: BoundKind::Max,
            amount: BoundAmount::Ha(ha),
        }
    }
    /// At least `share` (0–1) of the cap.
    pub fn min_share(share: f64) -> Self {
        Bound {
            kind: BoundKind::Min,
            amount: BoundAmount::ShareOfCap(share),
        }
    }
    /// At most `share` (0–1) of the cap.
    pub fn max_share(share: f64) -> Self {
        Bound {
            kind: BoundKind::Max,
            amount: BoundAmount::ShareOfCap(share),
        }
    }
    /// The limit in hectares for a given cap.
    pub fn limit_ha(&self, cap_ha: f64) -> f64 {
        match self.amount {
            BoundAmount::Ha(ha) => ha,
            BoundAmount::ShareOfCap(s) => s * cap_ha,
        }
    }
}

/// Conversion costs and auction revenue, per m² (SPEC §5 defaults).
///
/// ```
/// use landstock::plan::Costs;
/// let c = Costs::default();
/// assert_eq!((c.green_per_m2, c.ecological_per_m2, c.cultural_per_m2), (150.0, 60.0, 900.0));
/// assert_eq!(c.remediation_per_m2, 400.0);
/// assert_eq!(c.default_land_value_per_m2, 1500.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Costs {
    /// Park construction.
    pub green_per_m2: f64,
    /// Ecological restoration.
    pub ecological_per_m2: f64,
    /// Renovation for a cultural district.
    pub cultural_per_m2: f64,
    /// Extra for contaminated sites converted to green or cultural.
    pub remediation_per_m2: f64,
    /// Land value when a candidate has none (auction revenue = value × area).
    pub default_land_value_per_m2: f64,
}

impl Default for Costs {
    fn default() -> Self {
        Costs {
            green_per_m2: 150.0,
            ecological_per_m2: 60.0,
            cultural_per_m2: 900.0,
            remediation_per_m2: 400.0,
            default_land_value_per_m2: 1500.0,
        }
    }
}

impl Costs {
    /// The conversion cost of giving `c` the use `u` (0 for keep and redevelop).
    ///
    /// ```
    /// use landstock::plan::{Candidate, Costs, Use};
    /// use landstock::LandUse;
    /// let c = Candidate::new("x", 1_000.0, LandUse::Industrial).with_contaminated(true);
    /// assert_eq!(Costs::default().cost(&c, Use::Green), 550.0 * 1_000.0);
    /// assert_eq!(Costs::default().cost(&c, Use::Redevelop), 0.0);
    /// ```
    pub fn cost(&self, c: &Candidate, u: Use) -> f64 {
        let remediation = if c.contaminated {
            self.remediation_per_m2
        } else {
            0.0
        };
        let per_m2 = match u {
            Use::Keep | Use::Redevelop => 0.0,
            Use::Green => self.green_per_m2 + remediation,
            Use::Ecological => self.ecological_per_m2,
            Use::Cultural => self.cultural_per_m2 + remediation,
        };
        per_m2 * c.area_m2
    }

    /// Auction revenue of redeveloping `c`.
    ///
    /// ```
    /// use landstock::plan::{Candidate, Costs};
    /// use landstock::LandUse;
    /// let c = Candidate::new("x", 1_000.0, LandUse::Industrial);
    /// assert_eq!(Costs::default().revenue(&c), 1_500_000.0);
    /// ```
    pub fn revenue(&self, c: &Candidate) -> f64 {
        c.land_value_per_m2
            .unwrap_or(self.default_land_value_per_m2)
            * c.area_m2
    }
}

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
}

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

/// The building blocks of a problem, as named in conflicts and binding reports.
#[derive(Debug, Clone, PartialEq)]
pub enum ConstraintRef {
    /// The total land-scale cap, ha.
    Cap {
        /// The cap.
        cap_ha: f64,
    },
    /// A per-use minimum, ha.
    MinArea {
        /// The use.
        use_: Use,
        /// The floor in ha.
        min_ha: f64,
    },
    /// A per-use maximum, ha.
    MaxArea {
        /// The use.
        use_: Use,
        /// The ceiling in ha.
        max_ha: f64,
    },
    /// Construction land after the plan <= target.
    ConstructionTarget {
        /// Construction land before the plan, ha.
        before_ha: f64,
        /// Target, ha.
        target_ha: f64,
    },
    /// Σ cost <= budget + Σ revenue.
    Budget {
        /// The budget.
        budget: f64,
    },
}

impl fmt::Display for ConstraintRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = error::amount;
        match self {
            ConstraintRef::Cap { cap_ha } => write!(f, "cap {} ha", a(*cap_ha)),
            ConstraintRef::MinArea { use_, min_ha } => write!(f, "min {use_} {} ha", a(*min_ha)),
            ConstraintRef::MaxArea { use_, max_ha } => write!(f, "max {use_} {} ha", a(*max_ha)),
            ConstraintRef::ConstructionTarget {
                before_ha,
                target_ha,
            } => write!(
                f,
                "construction land target {} ha (from {} ha)",
                a(*target_ha),
                a(*before_ha)
            ),
            ConstraintRef::Budget { budget } => write!(f, "budget {}", a(*budget)),
        }
    }
}

/// A constraint of the solved plan and how close the plan is to its limit.
#[derive(Debug, Clone, PartialEq)]
pub struct ConstraintStatus {
    /// The constraint.
    pub constraint: ConstraintRef,
    /// Distance to the limit in the constraint's unit (ha or currency), >= 0 when met.
    pub slack: f64,
    /// Whether the constraint binds: the plan sits at the limit (slack
    /// within 1e-6), or the room left is smaller than what any conversion
    /// worth something, of a candidate the plan keeps, would take (a cap with
    /// 0.01 ha left binds when the smallest worthwhile parcel has 0.05 ha).
    pub binding: bool,
}

/// A planning problem under construction (prioritizr-like builder).
///
/// ```
/// use landstock::plan::{Bound, Candidate, Costs, PlanProblem, Scores, Solver, Use};
/// use landstock::LandUse;
/// let c = Candidate::new("a", 20_000.0, LandUse::Vacant)
///     .with_scores(Scores { green: Some(0.5), ecological: Some(0.3), ..Scores::default() });
/// let problem = PlanProblem::new(vec![c], vec![])
///     .cap_ha(10.0)
///     .cap_ha(3.0) // single slot: replaces
///     .bound(Use::Green, Bound::max_share(0.5)) // accumulates
///     .budget(5e6, Costs::default()) // ecological: 60 × 20,000 m² = 1.2e6
///     .solver(Solver::Fast)
///     .build()
///     .unwrap();
/// assert_eq!(problem.cap_ha(), 3.0);
/// let plan = problem.solve().unwrap();
/// // green is capped at 1.5 ha, so the 2 ha lot becomes ecological land.
/// assert_eq!(plan.uses, vec![Use::Ecological]);
/// ```
#[derive(Debug, Clone)]
pub struct PlanProblem {
    candidates: Vec<Candidate>,
    pairs: Vec<TouchingPair>,
    cap_ha: Option<f64>,
    bounds: Vec<(Use, Bound)>,
    construction: Option<ConstructionTarget>,
    budget: Option<Budget>,
    adjacency_lambda: f64,
    locks: Vec<(ParcelId, Lock)>,
    cultural_origins: Vec<LandUse>,
    solver: Solver,
    runner: milp::HighsRunner,
}

/// Construction land before the plan and the target after it, ha.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConstructionTarget {
    /// The city's construction land before the plan (all parcels), ha.
    pub before_ha: f64,
    /// Construction land after the plan must not exceed this, ha.
    pub target_ha: f64,
}

/// The budget constraint: Σ cost <= amount + Σ auction revenue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budget {
    /// Money available (same currency as the costs).
    pub amount: f64,
    /// Unit costs and land value.
    pub costs: Costs,
}

impl PlanProblem {
    /// Default adjacency-bonus weight λ (SPEC §5).
    pub const DEFAULT_ADJACENCY_LAMBDA: f64 = 0.25;

    /// Starts a problem from candidates and their touching pairs (indices into `candidates`).
    pub fn new(candidates: Vec<Candidate>, pairs: Vec<TouchingPair>) -> Self {
        PlanProblem {
            candidates,
            pairs,
            cap_ha: None,
            bounds: Vec::new(),
            construction: None,
            budget: None,
            adjacency_lambda: Self::DEFAULT_ADJACENCY_LAMBDA,
            locks: Vec::new(),
            cultural_origins: vec![LandUse::Industrial, LandUse::Logistics],
            solver: Solver::default(),
            runner: milp::HighsRunner::default(),
        }
    }

    /// The total land-scale cap in hectares (required; setting it again replaces it).
    pub fn cap_ha(mut self, cap_ha: f64) -> Self {
        self.cap_ha = Some(cap_ha);
        self
    }

    /// Adds a min or max area bound for a conversion use (accumulates).
    pub fn bound(mut self, use_: Use, bound: Bound) -> Self {
        self.bounds.push((use_, bound));
        self
    }

    /// Construction land after the plan must be <= `target_ha`, given the
    /// city's construction land before the plan (single slot). Converting a
    /// construction-land candidate to ecological land removes its area;
    /// converting a non-construction candidate (water, ecological origin) to
    /// green or cultural adds it; nothing else changes it.
    pub fn construction_target_ha(
        mut self,
        construction_land_before_ha: f64,
        target_ha: f64,
    ) -> Self {
        self.construction = Some(ConstructionTarget {
            before_ha: construction_land_before_ha,
            target_ha,
        });
        self
    }

    /// A budget (single slot): Σ conversion cost <= `amount` + Σ auction
    /// revenue. Also offers `redevelop` to industrial/logistics candidates.
    pub fn budget(mut self, amount: f64, costs: Costs) -> Self {
        self.budget = Some(Budget { amount, costs });
        self
    }

    /// Weight λ of the adjacency bonus (single slot; default 0.25; 0 turns it off).
    pub fn adjacency_lambda(mut self, lambda: f64) -> Self {
        self.adjacency_lambda = lambda;
        self
    }

    /// Locks a candidate by id (accumulates; overrides the candidate's own lock).
    pub fn lock(mut self, id: impl Into<ParcelId>, lock: Lock) -> Self {
        self.locks.push((id.into(), lock));
        self
    }

    /// Origins eligible for `cultural` (single slot; default industrial and logistics).
    pub fn cultural_origins(mut self, origins: &[LandUse]) -> Self {
        self.cultural_origins = origins.to_vec();
        self
    }

    /// The solver (single slot; default [`Solver::auto`]).
    pub fn solver(mut self, solver: Solver) -> Self {
        self.solver = solver;
        self
    }

    /// Where HiGHS runs (single slot; default in this process). A
    /// [`milp::HighsRunner::Worker`] is killed at the time limit, so the
    /// limit holds even where HiGHS does not check its clock; the command
    /// line runs HiGHS in its own `landstock milp-worker`.
    ///
    /// ```
    /// use landstock::plan::{milp::HighsRunner, Candidate, PlanProblem};
    /// use landstock::LandUse;
    /// let p = PlanProblem::new(vec![Candidate::new("a", 1e4, LandUse::Vacant)], vec![])
    ///     .cap_ha(1.0)
    ///     .highs_runner(HighsRunner::worker("landstock"))
    ///     .build()
    ///     .unwrap();
    /// assert!(matches!(p.highs_runner(), HighsRunner::Worker { .. }));
    /// ```
    pub fn highs_runner(mut self, runner: milp::HighsRunner) -> Self {
        self.runner = runner;
        self
    }

    /// Validates the problem and compiles the shared model. Fails on invalid
    /// input (missing or non-positive cap, scores outside [0, 1], NaN,
    /// bad indices, duplicate ids or pairs). Infeasibility is found by
    /// [`Problem::solve`], or earlier with [`Problem::check_feasibility`].
    pub fn build(self) -> Result<Problem, PlanError> {
        let cap_ha = self.cap_ha.ok_or(PlanError::MissingCap)?;
        if !(cap_ha.is_finite() && cap_ha > 0.0) {
            return Err(PlanError::InvalidCap { cap_ha });
        }
        let PlanProblem {
            mut candidates,
            pairs,
            bounds,
            construction,
            budget,
            adjacency_lambda,
            locks,
            cultural_origins,
            solver,
            runner,
            ..
        } = self;
        if !(adjacency_lambda.is_finite() && adjacency_lambda >= 0.0) {
            return Err(PlanError::invalid(format!(
                "adjacency lambda {adjacency_lambda}: must be finite and >= 0"
            )));
        }
        for (i, c) in candidates.iter().enumerate() {
            validate_candidate(i, c)?;
        }
        let mut by_id: std::collections::HashMap<ParcelId, usize> = Default::default();
        for (i, c) in candidates.iter().enumerate() {
            if let Some(first) = by_id.insert(c.id.clone(), i) {
                return Err(PlanError::DuplicateId {
                    id: c.id.clone(),
                    first,
                    second: i,
                });
            }
        }
        for (id, lock) in locks {
            let Some(&i) = by_id.get(&id) else {
                return Err(PlanError::UnknownLockId { id });
            };
            candidates[i].lock = Some(lock);
        }
        let mut seen = std::collections::HashSet::new();
        for (k, p) in pairs.iter().enumerate() {
            let n = candidates.len();
            if p.a >= n || p.b >= n || p.a == p.b {
                return Err(PlanError::InvalidPair {
                    index: k,
                    reason: format!(
                        "indices ({}, {}) must differ and be < {n} candidates",
                        p.a, p.b
                    ),
                });
            }
            if !(p.shared_len_m.is_finite() && p.shared_len_m >= 0.0) {
                return Err(PlanError::InvalidPair {
                    index: k,
                    reason: format!("shared length {} m must be finite and >= 0", p.shared_len_m),
                });
            }
            if !seen.insert((p.a.min(p.b), p.a.max(p.b))) {
                return Err(PlanError::InvalidPair {
                    index: k,
                    reason: format!("pair ({}, {}) is listed twice", p.a, p.b),
                });
            }
        }
        for (u, b) in &bounds {
            if *u == Use::Keep {
                return Err(PlanError::invalid(
                    "a bound on `keep`: bounds apply to conversion uses",
                ));
            }
            let v = match b.amount {
                BoundAmount::Ha(v) => v,
                BoundAmount::ShareOfCap(v) => v,
            };
            let ok = match b.amount {
                BoundAmount::Ha(_) => v.is_finite() && v >= 0.0,
                BoundAmount::ShareOfCap(_) => v.is_finite() && (0.0..=1.0).contains(&v),
            };
            if !ok {
                return Err(PlanError::invalid(format!(
                    "bound {v} on {u}: hectares must be finite and >= 0, shares in [0, 1]"
                )));
            }
        }
        if let Some(t) = construction {
            if !(t.before_ha.is_finite() && t.target_ha.is_finite() && t.before_ha >= 0.0) {
                return Err(PlanError::invalid(format!(
                    "construction land before {} ha / target {} ha: must be finite, before >= 0",
                    t.before_ha, t.target_ha
                )));
            }
        }
        if let Some(b) = budget {
            let c = b.costs;
            let all = [
                b.amount,
                c.green_per_m2,
                c.ecological_per_m2,
                c.cultural_per_m2,
                c.remediation_per_m2,
                c.default_land_value_per_m2,
            ];
            if all.iter().any(|v| !(v.is_finite() && *v >= 0.0)) {
                return Err(PlanError::invalid(
                    "budget and unit costs must be finite and >= 0",
                ));
            }
        }
        if let Solver::Exact { time_limit_s, gap } = solver {
            if !(time_limit_s > 0.0 && gap.is_finite() && gap >= 0.0) {
                return Err(PlanError::invalid(format!(
                    "exact solver time limit {time_limit_s} s / gap {gap}: need time > 0 and gap >= 0"
                )));
            }
        }
        let mut problem = Problem {
            candidates,
            pairs,
            cap_ha,
            bounds,
            construction,
            budget,
            adjacency_lambda,
            cultural_origins,
            solver,
            runner,
            model: model::Model::default(),
        };
        problem.model = model::Model::compile(&problem);
        Ok(problem)
    }
}

fn validate_candidate(i: usize, c: &Candidate) -> Result<(), PlanError> {
    let bad = |reason: String| PlanError::InvalidCandidate {
        index: i,
        id: c.id.clone(),
        reason,
    };
    if !(c.area_m2.is_finite() && c.area_m2 > 0.0) {
        return Err(bad(format!("area {} m² must be finite and > 0", c.area_m2)));
    }
    if !(c.perimeter_m.is_finite() && c.perimeter_m > 0.0) {
        return Err(bad(format!(
            "perimeter {} m must be finite and > 0",
            c.perimeter_m
        )));
    }
    if let Some(v) = c.land_value_per_m2 {
        if !(v.is_finite() && v >= 0.0) {
            return Err(bad(format!(
                "land value {v} per m² must be finite and >= 0"
            )));
        }
    }
    for u in [Use::Green, Use::Ecological, Use::Cultural] {
        if let Some(s) = c.scores.get(u) {
            if !(0.0..=1.0).contains(&s) {
                return Err(bad(format!("{u} score {s} must be in [0, 1]")));
            }
        }
    }
    Ok(())
}

/// A validated planning problem, ready to solve or to evaluate assignments against.
#[derive(Debug, Clone)]
pub struct Problem {
    candidates: Vec<Candidate>,
    pairs: Vec<TouchingPair>,
    cap_ha: f64,
    bounds: Vec<(Use, Bound)>,
    construction: Option<ConstructionTarget>,
    budget: Option<Budget>,
    adjacency_lambda: f64,
    cultural_origins: Vec<LandUse>,
    solver: Solver,
    runner: milp::HighsRunner,
    model: model::Model,
}

impl Problem {
    /// The candidates, in input order (locks from the builder applied).
    pub fn candidates(&self) -> &[Candidate] {
        &self.candidates
    }
    /// The touching pairs as given.
    pub fn pairs(&self) -> &[TouchingPair] {
        &self.pairs
    }
    /// The cap, ha.
    pub fn cap_ha(&self) -> f64 {
        self.cap_ha
    }
    /// The per-use bounds, in the order added.
    pub fn bounds(&self) -> &[(Use, Bound)] {
        &self.bounds
    }
    /// The construction-land target, if any.
    pub fn construction_target(&self) -> Option<ConstructionTarget> {
        self.construction
    }
    /// The budget, if any.
    pub fn budget(&self) -> Option<Budget> {
        self.budget
    }
    /// The adjacency-bonus weight λ.
    pub fn adjacency_lambda(&self) -> f64 {
        self.adjacency_lambda
    }
    /// The configured solver.
    pub fn solver(&self) -> Solver {
        self.solver
    }
    /// Where HiGHS runs.
    pub fn highs_runner(&self) -> &milp::HighsRunner {
        &self.runner
    }
    /// The same problem with another cap (bounds given as a share of the
    /// cap follow it, as when the cap is edited in a config).
    ///
    /// ```
    /// use landstock::plan::{Bound, Candidate, PlanProblem, Use};
    /// use landstock::LandUse;
    /// let p = PlanProblem::new(vec![Candidate::new("a", 1e4, LandUse::Vacant)], vec![])
    ///     .cap_ha(10.0)
    ///     .bound(Use::Green, Bound::max_share(0.5))
    ///     .build()
    ///     .unwrap();
    /// let q = p.with_cap_ha(20.0).unwrap();
    /// assert_eq!(q.cap_ha(), 20.0);
    /// assert!(p.with_cap_ha(-1.0).is_err());
    /// ```
    pub fn with_cap_ha(&self, cap_ha: f64) -> Result<Problem, PlanError> {
        if !(cap_ha.is_finite() && cap_ha > 0.0) {
            return Err(PlanError::InvalidCap { cap_ha });
        }
        let mut p = self.clone();
        p.cap_ha = cap_ha;
        p.model = model::Model::compile(&p);
        Ok(p)
    }

    /// The same problem with another budget amount (same unit costs); an
    /// error when the problem has no budget.
    ///
    /// ```
    /// use landstock::plan::{Candidate, Costs, PlanProblem};
    /// use landstock::LandUse;
    /// let p = PlanProblem::new(vec![Candidate::new("a", 1e4, LandUse::Vacant)], vec![])
    ///     .cap_ha(10.0)
    ///     .budget(1e6, Costs::default())
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(p.with_budget_amount(2e6).unwrap().budget().unwrap().amount, 2e6);
    /// ```
    pub fn with_budget_amount(&self, amount: f64) -> Result<Problem, PlanError> {
        let Some(b) = self.budget else {
            return Err(PlanError::invalid(
                "the problem has no budget: set one with .budget(…)",
            ));
        };
        if !(amount.is_finite() && amount >= 0.0) {
            return Err(PlanError::invalid(format!(
                "budget {amount}: must be finite and >= 0"
            )));
        }
        let mut p = self.clone();
        p.budget = Some(Budget { amount, ..b });
        p.model = model::Model::compile(&p);
        Ok(p)
    }

    /// The unit costs used for reporting: the budget's, else the defaults.
    pub fn costs(&self) -> Costs {
        self.budget.map(|b| b.costs).unwrap_or_default()
    }

    /// Whether candidate `index` may be given `use_` (eligibility rules of
    /// SPEC §5; locks are not considered).
    ///
    /// ```
    /// use landstock::plan::{Candidate, PlanProblem, Scores, Use};
    /// use landstock::LandUse;
    /// let s = Scores { green: Some(0.5), ecological: Some(0.5), cultural: Some(0.5) };
    /// let p = PlanProblem::new(vec![
    ///     Candidate::new("v", 1e4, LandUse::Vacant).with_scores(s),
    ///     Candidate::new("m", 1e4, LandUse::Industrial).with_scores(s),
    /// ], vec![]).cap_ha(1.0).build().unwrap();
    /// assert!(!p.is_eligible(0, Use::Cultural), "cultural needs industrial/logistics origin");
    /// assert!(p.is_eligible(1, Use::Cultural));
    /// assert!(!p.is_eligible(1, Use::Redevelop), "redevelop only with a budget");
    /// ```
    pub fn is_eligible(&self, index: usize, use_: Use) -> bool {
        let c = &self.candidates[index];
        let auctionable = matches!(c.origin, LandUse::Industrial | LandUse::Logistics);
        match use_ {
            Use::Keep => true,
            Use::Green | Use::Ecological => c.scores.get(use_).is_some(),
            Use::Cultural => {
                c.scores.cultural.is_some() && self.cultural_origins.contains(&c.origin)
            }
            Use::Redevelop => self.budget.is_some() && auctionable,
        }
    }

    /// The constraints of the problem with their limits.
    pub fn constraints(&self) -> Vec<ConstraintRef> {
        self.model
            .rows
            .iter()
            .map(|r| r.constraint.clone())
            .collect()
    }

    /// Detects the obvious infeasibilities (locks against the cap or
    /// eligibility, unreachable minimums, budget or construction target)
    /// without solving.
    ///
    /// ```
    /// use landstock::plan::{Candidate, Conflict, Lock, PlanProblem, Scores, Use};
    /// use landstock::LandUse;
    /// let c = Candidate::new("a", 1.3e6, LandUse::Vacant)
    ///     .with_scores(Scores { green: Some(1.0), ..Scores::default() })
    ///     .with_lock(Lock::In(Use::Green));
    /// let p = PlanProblem::new(vec![c], vec![]).cap_ha(120.0).build().unwrap();
    /// let conflicts = p.check_feasibility().unwrap_err();
    /// assert!(matches!(conflicts[0], Conflict::LockedAreaExceedsCap { .. }));
    /// assert_eq!(conflicts[0].to_string(), "locked-in area 130 ha > cap 120 ha");
    /// ```
    pub fn check_feasibility(&self) -> Result<(), Vec<Conflict>> {
        let conflicts = feasibility::obvious_conflicts(self);
        if conflicts.is_empty() {
            Ok(())
        } else {
            Err(conflicts)
        }
    }

    /// Solves with the configured solver. Deterministic: the same problem
    /// gives the same plan whatever the thread count (the exact solver is
    /// deterministic when it finishes within its time limit).
    ///
    /// The exact solver's time limit covers the whole solve, the fast warm
    /// start included; with a [`milp::HighsRunner::Worker`] it holds whatever
    /// HiGHS does. A plan stopped by the limit is the best one known, with
    /// its proven bound and gap and [`SolveStatus::TimeLimit`].
    pub fn solve(&self) -> Result<Plan, PlanError> {
        self.check_feasibility()
            .map_err(|conflicts| PlanError::Infeasible { conflicts })?;
        self.solve_from(None, 1.0)
    }

    /// [`Problem::solve`] warm-started from `hint` (one use per candidate,
    /// input order; used when it is feasible and better than the fast plan),
    /// with `limit_share` of the exact solver's time limit. Re-solves of a
    /// slightly changed problem (explanations, scenarios) start from the plan
    /// they change.
    pub(crate) fn solve_from(
        &self,
        hint: Option<&[Use]>,
        limit_share: f64,
    ) -> Result<Plan, PlanError> {
        self.check_feasibility()
            .map_err(|conflicts| PlanError::Infeasible { conflicts })?;
        let start = std::time::Instant::now();
        let m = &self.model;
        let hint: Option<Vec<Use>> = hint
            .filter(|h| h.len() == m.n)
            .map(|h| m.order.iter().map(|&i| h[i]).collect())
            .filter(|h: &Vec<Use>| m.is_feasible(h));
        let (outcome, status) = self.solve_outcome(start, hint, limit_share)?;
        Ok(self.finish(outcome, status, start.elapsed().as_secs_f64()))
    }

    /// The solver policy, in one place: fast alone, or fast then exact.
    fn solve_outcome(
        &self,
        start: std::time::Instant,
        hint: Option<Vec<Use>>,
        limit_share: f64,
    ) -> Result<(model::Outcome, SolveStatus), PlanError> {
        let m = &self.model;
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
        let (time_limit_s, gap) = match self.solver {
            Solver::Fast => {
                let w = with_hint(fast::solve(self, m)).ok_or(PlanError::NoPlanFound {
                    method: Method::Fast,
                    hint: "the fast heuristic found no feasible plan; try Solver::Exact",
                })?;
                return Ok((w, SolveStatus::Heuristic));
            }
            Solver::Exact { time_limit_s, gap } => (time_limit_s, gap),
            Solver::Auto { time_limit_s, gap }
                if cfg!(feature = "exact")
                    && m.free_count() <= Solver::AUTO_EXACT_MAX_CANDIDATES =>
            {
                (time_limit_s, gap)
            }
            Solver::Auto { .. } => {
                let w = with_hint(fast::solve(self, m)).ok_or(PlanError::NoPlanFound {
                    method: Method::Fast,
                    hint:
                        "the fast heuristic found no feasible plan; build with the `exact` feature",
                })?;
                return Ok((w, SolveStatus::Heuristic));
            }
        };
        let deadline =
            start + std::time::Duration::from_secs_f64((limit_share * time_limit_s).max(0.0));
        let (warm, certificate) = fast::solve_certified(self, m);
        let warm = with_hint(warm);
        match warm {
            // the fast plan is already proven within the gap by its own bound
            Some(w) if proven_within(&w, m, gap) => Ok((w, SolveStatus::Optimal)),
            // out of time already: the fast plan is the best known
            Some(w) if std::time::Instant::now() >= deadline => Ok((w, SolveStatus::TimeLimit)),
            warm => exact::solve(
                self,
                m,
                deadline,
                gap,
                warm.as_ref().map(|w| (w, Some(&certificate))),
                &self.runner,
            ),
        }
    }

    /// Turns a solver outcome (sorted order) into a [`Plan`] (input order).
    fn finish(&self, outcome: model::Outcome, status: SolveStatus, seconds: f64) -> Plan {
        let m = &self.model;
        let mut sorted = outcome.uses;
        postprocess::revert_zero_contributions(m, &mut sorted);
        let eval = m.evaluate_sorted(&sorted);
        let objective = eval.objective;
        let bound = outcome.bound.max(objective);
        let mut uses = vec![Use::Keep; self.candidates.len()];
        for (k, &u) in sorted.iter().enumerate() {
            uses[m.order[k]] = u;
        }
        Plan {
            uses,
            objective,
            benefit: eval.benefit,
            bonus: eval.bonus,
            bound,
            gap: relative_gap(objective, bound),
            method: outcome.method,
            status,
            seconds,
            area_ha: eval.area_ha,
            cost: eval.cost,
            revenue: eval.revenue,
            construction_land_after_ha: eval.construction_land_after_ha,
            constraints: m.constraint_status(&sorted),
        }
    }
}

/// Whether a fast outcome's own bound already proves it within `gap`
/// (then HiGHS has nothing to add). With `gap` 0 only an outcome whose
/// bound equals its objective qualifies.
fn proven_within(w: &model::Outcome, m: &model::Model, gap: f64) -> bool {
    let obj = m.objective(&w.uses);
    relative_gap(obj, w.bound) <= gap
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
    /// Wall-clock seconds spent solving.
    pub seconds: f64,
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
