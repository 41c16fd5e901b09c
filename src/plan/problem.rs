//! The planning problem: the [`PlanProblem`] builder (single-slot settings
//! replace, accumulating ones add up), validated by [`PlanProblem::build`]
//! into a [`Problem`] that can be solved, checked for feasibility or used to
//! evaluate assignments.

use super::error::{Conflict, PlanError};
use super::remediation::{Applied, Remediation};
use super::solvers::milp;
use super::{
    feasibility, model, postprocess, Bound, BoundAmount, Budget, Candidate, ConstraintRef,
    ConstructionTarget, Costs, Plan, SolveStatus, Solver, TouchingPair,
};
use crate::uses::{Lock, Use};
use crate::{LandUse, ParcelId};

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
    revenue_shortfall: f64,
    remediation: Option<Remediation>,
    solver: Solver,
    runner: milp::HighsRunner,
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
            cultural_origins: crate::uses::DEFAULT_CULTURAL_ORIGINS.to_vec(),
            revenue_shortfall: 0.0,
            remediation: None,
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

    /// Plans that survive a weak land market (single slot; default 0): the
    /// budget counts every auction at `(1 − share)` of its revenue, so the
    /// plan's money stays non-negative — in every phase of a phased plan —
    /// if auctions bring up to `share` (0–1) less than expected. Both solvers
    /// see the stressed revenue; the plan still reports the expected revenue.
    ///
    /// ```
    /// use landstock::plan::{Candidate, Costs, PlanProblem, Scores, Use};
    /// use landstock::LandUse;
    /// let green = Scores { green: Some(0.8), ..Scores::default() };
    /// // a 2 ha factory (auction: 1,500 × 20,000 = 30 M) and two 4 ha park
    /// // sites (150 × 40,000 = 6 M each), no money of our own
    /// let lots = vec![
    ///     Candidate::new("factory", 20_000.0, LandUse::Industrial),
    ///     Candidate::new("p1", 40_000.0, LandUse::Vacant).with_scores(green),
    ///     Candidate::new("p2", 40_000.0, LandUse::Vacant).with_scores(green),
    /// ];
    /// // if auctions may bring 85 % less (4.5 M), not even one park is safe
    /// let p = PlanProblem::new(lots, vec![]).cap_ha(10.0).budget(0.0, Costs::default())
    ///     .revenue_shortfall(0.85).build().unwrap();
    /// assert_eq!(p.revenue_shortfall(), 0.85);
    /// assert_eq!(p.solve().unwrap().uses, vec![Use::Keep; 3]);
    /// // at 50 % less (15 M) both parks (12 M) are
    /// let plan = p.with_revenue_shortfall(0.5).unwrap().solve().unwrap();
    /// assert_eq!(plan.uses, vec![Use::Redevelop, Use::Green, Use::Green]);
    /// assert_eq!(plan.revenue, 30e6, "the plan reports the expected revenue");
    /// ```
    pub fn revenue_shortfall(mut self, share: f64) -> Self {
        self.revenue_shortfall = share;
        self
    }

    /// Remediation by end use (single slot; default none: the flat
    /// [`Costs::remediation_per_m2`] on contaminated sites for green and
    /// cultural, SPEC §5). With it, a contaminated site's remediation cost
    /// depends on the GB 36600-2018 category of the target use and on the
    /// site's class, and some uses may be forbidden on some sites; see
    /// [`Remediation`]. It replaces `remediation_per_m2`.
    ///
    /// ```
    /// use landstock::plan::{Candidate, PlanProblem, Remediation, Scores, Use};
    /// use landstock::LandUse;
    /// let s = Scores { green: Some(0.5), ecological: Some(0.5), ..Scores::default() };
    /// let c = Candidate::new("x", 10_000.0, LandUse::Industrial).with_scores(s).with_contaminated(true);
    /// let p = PlanProblem::new(vec![c], vec![]).cap_ha(1.0).remediation(Remediation::default())
    ///     .build().unwrap();
    /// assert_eq!(p.conversion_cost(0, Use::Green), (150.0 + 400.0) * 10_000.0); // Type I
    /// assert_eq!(p.conversion_cost(0, Use::Ecological), (60.0 + 200.0) * 10_000.0); // Type II
    /// ```
    pub fn remediation(mut self, rules: Remediation) -> Self {
        self.remediation = Some(rules);
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
            revenue_shortfall,
            remediation,
            solver,
            runner,
            ..
        } = self;
        if let Some(r) = &remediation {
            r.validate().map_err(PlanError::invalid)?;
        }
        if !(revenue_shortfall.is_finite() && (0.0..=1.0).contains(&revenue_shortfall)) {
            return Err(PlanError::invalid(format!(
                "revenue shortfall {revenue_shortfall}: must be a share in [0, 1] (0.3 for 30 %)"
            )));
        }
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
            revenue_shortfall,
            remediation,
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
    pub(in crate::plan) candidates: Vec<Candidate>,
    pub(in crate::plan) pairs: Vec<TouchingPair>,
    pub(in crate::plan) cap_ha: f64,
    pub(in crate::plan) bounds: Vec<(Use, Bound)>,
    pub(in crate::plan) construction: Option<ConstructionTarget>,
    pub(in crate::plan) budget: Option<Budget>,
    pub(in crate::plan) adjacency_lambda: f64,
    pub(in crate::plan) cultural_origins: Vec<LandUse>,
    pub(in crate::plan) revenue_shortfall: f64,
    pub(in crate::plan) remediation: Option<Remediation>,
    pub(in crate::plan) solver: Solver,
    pub(in crate::plan) runner: milp::HighsRunner,
    pub(in crate::plan) model: model::Model,
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
    /// The share of auction revenue the budget does not count on (0 for a
    /// plain plan); see [`PlanProblem::revenue_shortfall`].
    pub fn revenue_shortfall(&self) -> f64 {
        self.revenue_shortfall
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

    /// The same problem with another revenue shortfall (share in [0, 1]);
    /// `with_revenue_shortfall(0.0)` is the plain plan the price of
    /// robustness is measured against.
    ///
    /// ```
    /// use landstock::plan::{Candidate, Costs, PlanProblem};
    /// use landstock::LandUse;
    /// let p = PlanProblem::new(vec![Candidate::new("a", 1e4, LandUse::Industrial)], vec![])
    ///     .cap_ha(1.0).budget(0.0, Costs::default()).revenue_shortfall(0.3).build().unwrap();
    /// assert_eq!(p.with_revenue_shortfall(0.0).unwrap().revenue_shortfall(), 0.0);
    /// assert!(p.with_revenue_shortfall(1.5).is_err());
    /// ```
    pub fn with_revenue_shortfall(&self, share: f64) -> Result<Problem, PlanError> {
        if !(share.is_finite() && (0.0..=1.0).contains(&share)) {
            return Err(PlanError::invalid(format!(
                "revenue shortfall {share}: must be a share in [0, 1] (0.3 for 30 %)"
            )));
        }
        let mut p = self.clone();
        p.revenue_shortfall = share;
        p.model = model::Model::compile(&p);
        Ok(p)
    }

    /// The remediation-by-end-use rules, if any ([`PlanProblem::remediation`]).
    pub fn remediation(&self) -> Option<&Remediation> {
        self.remediation.as_ref()
    }

    /// The remediation rule that applies when candidate `index` takes
    /// `use_` (`None` without [`PlanProblem::remediation`], on a clean site
    /// or for keep): what a parcel's reasons say.
    ///
    /// ```
    /// use landstock::plan::{Candidate, PlanProblem, Remediation, SoilCategory, Use};
    /// use landstock::LandUse;
    /// let c = Candidate::new("x", 1e4, LandUse::Logistics).with_contaminated(true);
    /// let p = PlanProblem::new(vec![c], vec![]).cap_ha(1.0).remediation(Remediation::default())
    ///     .build().unwrap();
    /// assert_eq!(p.remediation_applied(0, Use::Cultural).unwrap().category, SoilCategory::TypeII);
    /// assert_eq!(p.remediation_applied(0, Use::Keep), None);
    /// ```
    pub fn remediation_applied(&self, index: usize, use_: Use) -> Option<Applied> {
        self.remediation
            .as_ref()?
            .applied(&self.candidates[index], use_)
    }

    /// The conversion cost of giving candidate `index` the use `use_`: the
    /// unit cost of the use plus remediation on a contaminated site (by
    /// end use with [`PlanProblem::remediation`], else the flat
    /// [`Costs::remediation_per_m2`] for green and cultural); 0 for keep and
    /// redevelop (redevelopment's remediation, if any, is netted from its
    /// revenue).
    ///
    /// ```
    /// use landstock::plan::{Candidate, PlanProblem, Use};
    /// use landstock::LandUse;
    /// let c = Candidate::new("x", 1e4, LandUse::Industrial).with_contaminated(true);
    /// let p = PlanProblem::new(vec![c], vec![]).cap_ha(1.0).build().unwrap();
    /// assert_eq!(p.conversion_cost(0, Use::Green), 550.0 * 1e4);
    /// ```
    pub fn conversion_cost(&self, index: usize, use_: Use) -> f64 {
        let c = &self.candidates[index];
        let costs = self.costs();
        match &self.remediation {
            None => costs.cost(c, use_),
            Some(_) if use_ == Use::Redevelop => 0.0,
            Some(r) => {
                let plain = Costs {
                    remediation_per_m2: 0.0,
                    ..costs
                };
                plain.cost(c, use_) + r.applied(c, use_).map_or(0.0, |a| a.per_m2) * c.area_m2
            }
        }
    }

    /// The auction revenue of redeveloping candidate `index` as the budget
    /// counts it: the land value × area, less the share the problem's
    /// revenue shortfall takes, less the city's remediation when
    /// [`Remediation`] gives `redevelop` a category.
    ///
    /// ```
    /// use landstock::plan::{Candidate, Costs, PlanProblem, Remediation, SoilCategory, Use};
    /// use landstock::LandUse;
    /// let c = Candidate::new("x", 1e4, LandUse::Industrial).with_contaminated(true);
    /// let housing = Remediation::default().with_category(Use::Redevelop, SoilCategory::TypeI);
    /// let p = PlanProblem::new(vec![c], vec![]).cap_ha(1.0).budget(0.0, Costs::default())
    ///     .revenue_shortfall(0.5).remediation(housing).build().unwrap();
    /// assert_eq!(p.counted_revenue(0), (0.5 * 1500.0 - 400.0) * 1e4);
    /// ```
    pub fn counted_revenue(&self, index: usize) -> f64 {
        self.expected_revenue(index)
            - self.revenue_shortfall * self.costs().revenue(&self.candidates[index])
    }

    /// The expected auction revenue of redeveloping candidate `index`, net
    /// of the city's remediation (see [`Problem::counted_revenue`]).
    pub fn expected_revenue(&self, index: usize) -> f64 {
        let c = &self.candidates[index];
        let remediation = self
            .remediation_applied(index, Use::Redevelop)
            .map_or(0.0, |a| a.per_m2 * c.area_m2);
        self.costs().revenue(c) - remediation
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
        if self
            .remediation_applied(index, use_)
            .is_some_and(|a| !a.allowed)
        {
            return false;
        }
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
        let (outcome, status) = super::solvers::solve_outcome(self, start, hint, limit_share)?;
        Ok(self.finish(outcome, status))
    }
    /// Turns a solver outcome (sorted order) into a [`Plan`] (input order).
    fn finish(&self, outcome: model::Outcome, status: SolveStatus) -> Plan {
        let m = &self.model;
        let mut sorted = outcome.uses;
        postprocess::revert_zero_contributions(m, &mut sorted);
        m.plan_of(
            &sorted,
            self.candidates.len(),
            outcome.bound,
            outcome.method,
            status,
        )
    }
}
