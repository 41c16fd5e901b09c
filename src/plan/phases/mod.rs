//! Phased plans (SPEC §5 "Phasing"): the plan split into K phases (e.g.
//! three five-year periods), each with its own cap and, optionally, its own
//! money.
//!
//! **What holds.**
//! - A candidate is converted in at most one phase and keeps that use for
//!   good, so the plan after phase k contains the plan after phase k − 1
//!   (nesting: earlier phases stay valid when later budgets change).
//! - A phase's `cap_ha` bounds the area converted *in that phase*.
//! - Cash flow: money left over or raised by auctions in a phase carries into
//!   the next. For every phase k,
//!   `Σ_{j<=k} (cost_j − revenue_j) <= Σ_{j<=k} money_j`, so cash is never
//!   negative at the end of any phase and an auction in phase 1 can pay for
//!   parks in phase 2.
//! - The final plan (after the last phase) is a plan of the plain problem:
//!   its total cap (the smaller of the problem's cap and Σ phase caps), the
//!   per-use bounds (shares refer to the problem's cap, as in the plain
//!   plan), the construction-land target, eligibility and locks all apply to
//!   the final plan. A lock-in may be met in any phase; a lock-out is never
//!   converted.
//! - Money per phase: a phase's `budget` is new money arriving at its start.
//!   When no phase sets one, the problem's whole budget arrives in phase 1.
//!   When some do, phases without one receive nothing and the problem's
//!   amount is not used (its unit costs are). Phase budgets need a problem
//!   budget, which sets the costs and offers `redevelop`.
//!
//! **Objective.** The objective of the final plan (benefit plus adjacency
//! bonus), exactly as in the plain plan. Which phase a conversion falls in
//! does not change it; after solving, each conversion is moved to the
//! earliest phase whose cap and cash allow it (parcel-id order), so benefit
//! arrives as early as the limits allow and the plan is canonical.
//!
//! **Solvers.** Exact: one MILP on HiGHS with binary `x[p, u, k]`
//! ([`Solver::Exact`]). Fast: the single-phase relaxation (cap = the final
//! cap, budget = Σ phase money) solved by the Lagrangian heuristic, its plan
//! scheduled into phases (auctions first, then conversions by size, earliest
//! phase with room and cash), then filled greedily. The relaxation is a valid
//! upper bound: every phased plan's final plan is one of its plans.
//!
//! ```
//! use landstock::plan::{Candidate, Costs, PhaseSpec, PlanProblem, Scores, Use};
//! use landstock::LandUse;
//!
//! // A 2 ha factory (auction brings 1,500 × 20,000 = 30 M) and a 4 ha park
//! // site (150 × 40,000 = 6 M). Phase 1 has no money, phase 2 none either:
//! // only the phase-1 auction can pay for the park in phase 2.
//! let green = Scores { green: Some(0.8), ..Scores::default() };
//! let problem = PlanProblem::new(
//!     vec![
//!         Candidate::new("factory", 20_000.0, LandUse::Industrial),
//!         Candidate::new("park", 40_000.0, LandUse::Vacant).with_scores(green),
//!     ],
//!     vec![],
//! )
//! .cap_ha(6.0)
//! .budget(0.0, Costs::default())
//! .build()
//! .unwrap();
//! let phases = [PhaseSpec::new(2.0), PhaseSpec::new(4.0)];
//! let phased = problem.solve_phased(&phases).unwrap();
//! assert_eq!(phased.plan.uses, vec![Use::Redevelop, Use::Green]);
//! assert_eq!(phased.phase, vec![Some(0), Some(1)]);
//! assert_eq!(phased.phases[0].cash_after, Some(30e6));
//! assert_eq!(phased.phases[1].cash_after, Some(24e6));
//! assert!((phased.plan.objective - 3.2).abs() < 1e-9);
//! ```

mod exact;
mod fast;

use super::error::{Conflict, PlanError};
use super::model::{Model, Outcome, UseAreas};
use super::{ConstraintRef, Method, PhaseSpec, Plan, Problem, SolveStatus, Use};

/// What one phase does: the area it converts by use, its money, and the
/// cash it leaves for the next.
///
/// ```
/// use landstock::plan::{Candidate, PhaseSpec, PlanProblem, Scores};
/// use landstock::LandUse;
/// let s = Scores { green: Some(0.5), ..Scores::default() };
/// let lots = vec![
///     Candidate::new("a", 30_000.0, LandUse::Vacant).with_scores(s),
///     Candidate::new("b", 20_000.0, LandUse::Vacant).with_scores(s),
/// ];
/// let p = PlanProblem::new(lots, vec![]).cap_ha(5.0).build().unwrap();
/// let plan = p.solve_phased(&[PhaseSpec::new(3.0), PhaseSpec::new(2.0)]).unwrap();
/// assert_eq!(plan.phases[0].area_ha.green_ha, 3.0);
/// assert_eq!(plan.phases[1].converted_ha(), 2.0);
/// assert_eq!(plan.phases[1].cash_after, None, "no budget, no cash flow");
/// assert!((plan.phases[1].objective_after - 2.5).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PhaseReport {
    /// The phase's cap, ha.
    pub cap_ha: f64,
    /// Area converted in this phase, by use (`keep_ha` is 0).
    pub area_ha: UseAreas,
    /// New money arriving at the start of the phase.
    pub money: f64,
    /// Conversion cost of the phase's conversions.
    pub cost: f64,
    /// Auction revenue of the phase's redevelopments.
    pub revenue: f64,
    /// Cash at the end of the phase, carried into the next (`None` without a budget).
    pub cash_after: Option<f64>,
    /// Cash at the end of the phase if every auction so far brought the
    /// problem's revenue shortfall less ([`Problem::revenue_shortfall`]):
    /// the worst case a robust plan keeps non-negative; equal to
    /// `cash_after` without a shortfall.
    pub cash_after_shortfall: Option<f64>,
    /// Objective (benefit plus bonus) of the plan as it stands after this phase.
    pub objective_after: f64,
}

impl PhaseReport {
    /// Area converted in this phase, ha.
    pub fn converted_ha(&self) -> f64 {
        self.area_ha.converted_ha()
    }
}

/// A solved phased plan: the final plan (`plan`, as a plain [`Plan`]: its
/// cost and revenue are summed over the phases) and, for each candidate, the
/// phase (0-based) in which it is converted (`None` for keep).
///
/// ```
/// use landstock::plan::{Candidate, PhaseSpec, PlanProblem, Scores, Use};
/// use landstock::LandUse;
/// let s = Scores { green: Some(0.5), ..Scores::default() };
/// let lots = vec![
///     Candidate::new("a", 10_000.0, LandUse::Vacant).with_scores(s),
///     Candidate::new("b", 10_000.0, LandUse::Vacant).with_scores(s),
/// ];
/// let p = PlanProblem::new(lots, vec![]).cap_ha(2.0).build().unwrap();
/// let phased = p.solve_phased(&[PhaseSpec::new(1.0), PhaseSpec::new(1.0)]).unwrap();
/// assert_eq!(phased.uses_after(0), vec![Use::Green, Use::Keep]);
/// assert_eq!(phased.uses_after(1), phased.plan.uses);
/// assert_eq!(phased.plan.cost, phased.phases.iter().map(|r| r.cost).sum::<f64>());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PhasedPlan {
    /// The plan after the last phase: uses, objective, bound, gap, method,
    /// status, areas, money and the final-plan constraints (total cap,
    /// bounds, construction target, total money).
    pub plan: Plan,
    /// The phase in which each candidate is converted (`None` when kept).
    pub phase: Vec<Option<usize>>,
    /// One report per phase, in order.
    pub phases: Vec<PhaseReport>,
}

impl PhasedPlan {
    /// The plan as it stands after phase `k` (0-based): conversions of phases
    /// `0..=k`, keep elsewhere.
    pub fn uses_after(&self, k: usize) -> Vec<Use> {
        self.plan
            .uses
            .iter()
            .zip(&self.phase)
            .map(|(&u, p)| match p {
                Some(t) if *t <= k => u,
                _ => Use::Keep,
            })
            .collect()
    }
}

/// The compiled phased problem, candidates in parcel-id order like [`Model`].
///
/// Rows, all `Σ coef · x <= rhs`: the final-plan rows (those of `relaxed`,
/// indices `0..R`), then one cap row per phase (`R + t`), then, with a
/// budget, one cumulative cash row per phase (`R + K + t`).
pub(crate) struct PhasedModel {
    /// The plain model with the cap at the final cap and the budget at Σ
    /// money: the final-plan rows, and the fast solver's relaxation.
    pub relaxed: Model,
    pub caps_ha: Vec<f64>,
    /// New money per phase (zeros without a budget).
    pub money: Vec<f64>,
    /// Whether there are cash rows (the problem has a budget).
    pub cash: bool,
}

/// An assignment in sorted order: a use per candidate, and the phase of each
/// conversion (ignored for keep).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Schedule {
    pub uses: Vec<Use>,
    pub phase: Vec<usize>,
}

impl PhasedModel {
    fn compile(problem: &Problem, phases: &[PhaseSpec]) -> Result<PhasedModel, PlanError> {
        if phases.is_empty() {
            return Err(PlanError::invalid("no phases: give at least one PhaseSpec"));
        }
        for (t, p) in phases.iter().enumerate() {
            if !(p.cap_ha.is_finite() && p.cap_ha > 0.0) {
                return Err(PlanError::invalid(format!(
                    "phase {} cap {} ha: must be finite and > 0",
                    t + 1,
                    p.cap_ha
                )));
            }
            if let Some(b) = p.budget {
                if !(b.is_finite() && b >= 0.0) {
                    return Err(PlanError::invalid(format!(
                        "phase {} budget {b}: must be finite and >= 0",
                        t + 1
                    )));
                }
                if problem.budget.is_none() {
                    return Err(PlanError::invalid(format!(
                        "phase {} has a budget but the problem has none: set .budget(…) \
                         (it gives the unit costs and offers redevelop)",
                        t + 1
                    )));
                }
            }
        }
        let k = phases.len();
        let money: Vec<f64> = match problem.budget {
            None => vec![0.0; k],
            Some(b) if phases.iter().all(|p| p.budget.is_none()) => {
                let mut v = vec![0.0; k];
                v[0] = b.amount;
                v
            }
            Some(_) => phases.iter().map(|p| p.budget.unwrap_or(0.0)).collect(),
        };
        let mut relaxed = problem.model.clone();
        let total_cap: f64 = phases.iter().map(|p| p.cap_ha).sum();
        let cap_ha = problem.cap_ha.min(total_cap);
        relaxed.rows[0].rhs = cap_ha;
        relaxed.rows[0].constraint = ConstraintRef::Cap { cap_ha };
        if let Some(r) = relaxed.budget_row {
            let budget: f64 = money.iter().sum();
            relaxed.rows[r].rhs = budget;
            relaxed.rows[r].constraint = ConstraintRef::Budget { budget };
        }
        Ok(PhasedModel {
            relaxed,
            caps_ha: phases.iter().map(|p| p.cap_ha).collect(),
            money,
            cash: problem.budget.is_some(),
        })
    }

    pub(crate) fn phases(&self) -> usize {
        self.caps_ha.len()
    }

    pub(crate) fn row_count(&self) -> usize {
        let k = self.phases();
        self.relaxed.rows.len() + if self.cash { 2 * k } else { k }
    }

    pub(crate) fn rhs(&self, row: usize) -> f64 {
        let r = self.relaxed.rows.len();
        let k = self.phases();
        if row < r {
            self.relaxed.rows[row].rhs
        } else if row < r + k {
            self.caps_ha[row - r]
        } else {
            self.money[..=row - r - k].iter().sum()
        }
    }

    /// Calls `f(row, coef)` for every row where `x[k, u, t]` has a non-zero coefficient.
    pub(crate) fn for_each_coef(&self, k: usize, u: Use, t: usize, mut f: impl FnMut(usize, f64)) {
        if u == Use::Keep {
            return;
        }
        let m = &self.relaxed;
        m.for_each_coef(k, u, &mut f);
        let r = m.rows.len();
        let kk = self.phases();
        f(r + t, m.area_ha[k]);
        if self.cash {
            let v = m.money(k, u);
            if v != 0.0 {
                for j in t..kk {
                    f(r + kk + j, v);
                }
            }
        }
    }

    /// Row activities and magnitudes (Σ |coef|) of a schedule.
    pub(crate) fn activities(&self, s: &Schedule) -> (Vec<f64>, Vec<f64>) {
        let mut act = vec![0.0; self.row_count()];
        let mut mag = vec![0.0; self.row_count()];
        for (k, &u) in s.uses.iter().enumerate() {
            self.for_each_coef(k, u, s.phase[k], |r, c| {
                act[r] += c;
                mag[r] += c.abs();
            });
        }
        (act, mag)
    }

    /// The tolerance of row `row` given the magnitude of its terms (as [`Model::tol`]).
    pub(crate) fn tol(&self, row: usize, mag: f64) -> f64 {
        super::model::ROW_TOL * (1.0f64).max(self.rhs(row).abs() + mag)
    }

    /// Whether a schedule meets every row, lock and eligibility rule.
    pub(crate) fn is_feasible(&self, s: &Schedule) -> bool {
        let m = &self.relaxed;
        let options_ok = s.uses.iter().enumerate().all(|(k, &u)| {
            m.eligible[k][u.index()]
                && m.fixed[k].is_none_or(|f| f == u)
                && (u == Use::Keep || s.phase[k] < self.phases())
        });
        let (act, mag) = self.activities(s);
        options_ok && (0..act.len()).all(|r| act[r] - self.rhs(r) <= self.tol(r, mag[r]))
    }

    /// SPEC §5 post-processing on the final plan, then earliest phases: a
    /// conversion adding nothing (zero benefit) goes back to keep in
    /// parcel-id order when every row still holds; then each conversion, in
    /// parcel-id order, moves to the earliest phase whose cap and cash allow it.
    fn postprocess(&self, s: &mut Schedule) {
        let m = &self.relaxed;
        let (mut act, mag) = self.activities(s);
        let rows = act.len();
        for k in 0..m.n {
            let u = s.uses[k];
            if u == Use::Keep || m.fixed[k].is_some() || m.benefit[k][u.index()] != 0.0 {
                continue;
            }
            let mut next = act.clone();
            self.for_each_coef(k, u, s.phase[k], |r, c| next[r] -= c);
            let holds = (0..rows)
                .all(|r| next[r] - self.rhs(r) <= self.tol(r, mag[r]) || next[r] <= act[r]);
            if holds {
                s.uses[k] = Use::Keep;
                s.phase[k] = 0;
                act = next;
            }
        }
        for k in 0..m.n {
            let u = s.uses[k];
            if u == Use::Keep {
                continue;
            }
            for t in 0..s.phase[k] {
                let mut next = act.clone();
                self.for_each_coef(k, u, s.phase[k], |r, c| next[r] -= c);
                self.for_each_coef(k, u, t, |r, c| next[r] += c);
                if (0..rows)
                    .all(|r| next[r] - self.rhs(r) <= self.tol(r, mag[r]) || next[r] <= act[r])
                {
                    s.phase[k] = t;
                    act = next;
                    break;
                }
            }
        }
    }

    /// The problem restricted to the final plan, as the plain solver sees it:
    /// the relaxation (final cap, Σ money).
    fn relaxed_problem(&self, problem: &Problem) -> Problem {
        let mut p = problem.clone();
        p.cap_ha = self.relaxed.rows[0].rhs;
        if let Some(b) = &mut p.budget {
            b.amount = self.money.iter().sum();
        }
        p.model = self.relaxed.clone();
        p
    }
}

/// A phased solver's answer (sorted order), before post-processing.
pub(crate) struct PhasedOutcome {
    pub schedule: Schedule,
    pub bound: f64,
    pub method: Method,
}

impl Problem {
    /// Solves the problem as a phased plan (see [`phases`](self::phases) for
    /// what holds), with the configured solver: `Fast` alone; `Exact` warm-
    /// started from fast; `Auto` adds exact when free candidates × phases is
    /// at most [`Solver::AUTO_EXACT_MAX_CANDIDATES`].
    ///
    /// ```
    /// use landstock::plan::{Candidate, PhaseSpec, PlanProblem, Scores, Solver, Use};
    /// use landstock::LandUse;
    /// let s = |g| Scores { green: Some(g), ..Scores::default() };
    /// let lots = vec![
    ///     Candidate::new("a", 20_000.0, LandUse::Vacant).with_scores(s(0.9)),
    ///     Candidate::new("b", 20_000.0, LandUse::Vacant).with_scores(s(0.6)),
    ///     Candidate::new("c", 20_000.0, LandUse::Vacant).with_scores(s(0.3)),
    /// ];
    /// let p = PlanProblem::new(lots, vec![]).cap_ha(100.0).solver(Solver::exact()).build().unwrap();
    /// // 2 ha per phase: one lot per phase, the best one first.
    /// let phased = p.solve_phased(&[PhaseSpec::new(2.0), PhaseSpec::new(2.0)]).unwrap();
    /// assert_eq!(phased.plan.uses, vec![Use::Green, Use::Green, Use::Keep]);
    /// assert_eq!(phased.phase, vec![Some(0), Some(1), None]);
    /// assert!((phased.plan.objective - 3.0).abs() < 1e-9);
    /// ```
    pub fn solve_phased(&self, phases: &[PhaseSpec]) -> Result<PhasedPlan, PlanError> {
        let start = std::time::Instant::now();
        let pm = PhasedModel::compile(self, phases)?;
        let relaxed = pm.relaxed_problem(self);
        relaxed
            .check_feasibility()
            .map_err(|conflicts| PlanError::Infeasible { conflicts })?;
        let jointly = |e: PlanError| match e {
            PlanError::Infeasible { .. } => PlanError::Infeasible {
                conflicts: vec![Conflict::PhasesJointly {
                    constraints: relaxed.constraints(),
                    phases: phases.to_vec(),
                }],
            },
            e => e,
        };
        let no_plan = || PlanError::NoPlanFound {
            method: Method::Fast,
            hint: "the fast heuristic found no feasible phased plan; try Solver::Exact",
        };
        let exact_limits = self
            .solver
            .exact_limits(pm.relaxed.free_count() * pm.phases());
        let (outcome, status) = match exact_limits {
            None => (
                fast::solve(&relaxed, &pm).ok_or_else(no_plan)?,
                SolveStatus::Heuristic,
            ),
            Some((time_limit_s, gap)) => {
                let deadline = start + std::time::Duration::from_secs_f64(time_limit_s.max(0.0));
                let warm = fast::solve(&relaxed, &pm);
                exact::solve(&relaxed, &pm, deadline, gap, warm).map_err(jointly)?
            }
        };
        Ok(self.finish_phased(&pm, outcome, status))
    }

    fn finish_phased(
        &self,
        pm: &PhasedModel,
        outcome: PhasedOutcome,
        status: SolveStatus,
    ) -> PhasedPlan {
        let m = &pm.relaxed;
        let mut s = outcome.schedule;
        pm.postprocess(&mut s);
        let n = self.candidates.len();
        let plan = m.plan_of(&s.uses, n, outcome.bound, outcome.method, status);
        let mut phase = vec![None; n];
        for k in 0..m.n {
            if s.uses[k] != Use::Keep {
                phase[m.order[k]] = Some(s.phase[k]);
            }
        }
        let mut reports = Vec::with_capacity(pm.phases());
        let (mut cash, mut stressed_cash) = (0.0, 0.0);
        for t in 0..pm.phases() {
            let mut area = UseAreas::default();
            let (mut cost, mut revenue, mut stressed_revenue) = (0.0, 0.0, 0.0);
            let after: Vec<Use> = (0..m.n)
                .map(|k| {
                    if s.phase[k] <= t {
                        s.uses[k]
                    } else {
                        Use::Keep
                    }
                })
                .collect();
            for k in (0..m.n).filter(|&k| s.uses[k] != Use::Keep && s.phase[k] == t) {
                let u = s.uses[k];
                area.add(u, m.area_ha[k]);
                if u == Use::Redevelop {
                    revenue += m.revenue_expected[k];
                    stressed_revenue += m.revenue[k];
                } else {
                    cost += m.cost[k][u.index()];
                }
            }
            cash += pm.money[t] - cost + revenue;
            stressed_cash += pm.money[t] - cost + stressed_revenue;
            reports.push(PhaseReport {
                cap_ha: pm.caps_ha[t],
                area_ha: area,
                money: pm.money[t],
                cost,
                revenue,
                cash_after: pm.cash.then_some(cash),
                cash_after_shortfall: pm.cash.then_some(stressed_cash),
                objective_after: m.objective(&after),
            });
        }
        PhasedPlan {
            plan,
            phase,
            phases: reports,
        }
    }
}

impl From<Outcome> for PhasedOutcome {
    /// A one-phase schedule of a plain outcome.
    fn from(o: Outcome) -> Self {
        let n = o.uses.len();
        PhasedOutcome {
            schedule: Schedule {
                uses: o.uses,
                phase: vec![0; n],
            },
            bound: o.bound,
            method: o.method,
        }
    }
}
