//! Alternative near-optimal plans (a portfolio, as prioritizr's "gap"
//! portfolios and Marxan's selection frequency give conservation
//! planners): K plans, each within a share of the optimum, each differing
//! from every other by at least an area.
//!
//! **Method.** Plan 0 is the plan given (the optimum, as solved). Plan j is
//! the best plan of the same problem with one more row per earlier plan i:
//! the area of the parcels whose use differs from plan i,
//! `Σ_{p: a_p ≠ keep} area_p (1 − x[p, a_p]) + Σ_{p: a_p = keep} area_p Σ_u x[p, u]`,
//! must be at least `differ_ha` (a no-good cut of area, linear in `x`; `a`
//! is plan i). Both solvers read the rows like any other (the exact MILP
//! adds them to HiGHS's model); plan j is kept when its objective is at
//! least `(1 − within)` × plan 0's proven **bound**, so every plan kept is
//! within the share of the true optimum, not only of the plan found. The
//! search stops early, saying why, when no plan differs enough
//! (infeasible) or the best one that does falls below the share: the plans
//! are then the only ones there are. Each plan is the best that differs
//! from the earlier ones, so they come best first.
//!
//! ```
//! use landstock::plan::{alternatives, AlternativeOptions, Candidate, PlanProblem, Scores, Solver, Use};
//! use landstock::LandUse;
//! let g = |s| Scores { green: Some(s), ..Scores::default() };
//! // three 1 ha lots, room for two: the best pairs are {a, b} (1.9) and {a, c} (1.85)
//! let lots = vec![
//!     Candidate::new("a", 1e4, LandUse::Vacant).with_scores(g(1.0)),
//!     Candidate::new("b", 1e4, LandUse::Vacant).with_scores(g(0.9)),
//!     Candidate::new("c", 1e4, LandUse::Vacant).with_scores(g(0.85)),
//! ];
//! let p = PlanProblem::new(lots, vec![]).cap_ha(2.0).solver(Solver::exact()).build().unwrap();
//! let best = p.solve().unwrap();
//! let opts = AlternativeOptions { count: 3, within: 0.05, differ_ha: 1.0 };
//! let alt = alternatives(&p, &best, &opts).unwrap();
//! // {a, b} 1.9 and {a, c} 1.85 are within 5 % (>= 1.805); {b, c} 1.75 is not
//! assert_eq!(alt.plans.len(), 2);
//! assert_eq!(alt.plans[1].uses, vec![Use::Green, Use::Keep, Use::Green]);
//! assert!(alt.stopped.as_ref().unwrap().contains("below"));
//! assert_eq!(alt.selected_in(0), 2, "lot a is in every plan");
//! ```

use super::{ConstraintRef, Plan, PlanError, Problem, Use};

/// What [`alternatives`] looks for.
///
/// ```
/// use landstock::plan::AlternativeOptions;
/// let o = AlternativeOptions::default();
/// assert_eq!((o.count, o.within, o.differ_ha), (5, 0.01, 5.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AlternativeOptions {
    /// How many plans, the optimum included (K).
    pub count: usize,
    /// Each plan's objective is at least `(1 − within)` × the optimum's bound.
    pub within: f64,
    /// Every two plans differ on parcels of at least this area, ha.
    pub differ_ha: f64,
}

impl Default for AlternativeOptions {
    fn default() -> Self {
        AlternativeOptions {
            count: 5,
            within: 0.01,
            differ_ha: 5.0,
        }
    }
}

/// The plans found, best first (plan 0 is the one given), and why the
/// search stopped short of the count asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Alternatives {
    /// The plans, best first; plan 0 is the optimum given.
    pub plans: Vec<Plan>,
    /// The least objective a plan may have: `(1 − within)` × plan 0's bound.
    pub threshold: f64,
    /// The options searched with.
    pub options: AlternativeOptions,
    /// Why there are fewer plans than asked for (`None` when there are enough).
    pub stopped: Option<String>,
}

impl Alternatives {
    /// How many of the plans convert candidate `index` (input order).
    pub fn selected_in(&self, index: usize) -> usize {
        self.plans
            .iter()
            .filter(|p| p.uses[index].is_conversion())
            .count()
    }

    /// How many of the plans give candidate `index` each use, in
    /// [`Use::ALL`] order (keep, green, ecological, cultural, redevelop).
    ///
    /// ```
    /// use landstock::plan::{alternatives, AlternativeOptions, Candidate, PlanProblem, Scores, Use};
    /// use landstock::LandUse;
    /// let s = Scores { green: Some(0.9), ecological: Some(0.88), ..Scores::default() };
    /// let p = PlanProblem::new(vec![Candidate::new("a", 1e4, LandUse::Vacant).with_scores(s)], vec![])
    ///     .cap_ha(1.0).build().unwrap();
    /// let opts = AlternativeOptions { count: 2, within: 0.05, differ_ha: 1.0 };
    /// let alt = alternatives(&p, &p.solve().unwrap(), &opts).unwrap();
    /// let by_use = alt.selected_as(0);
    /// assert_eq!(by_use, [0, 1, 1, 0, 0], "green in one plan, ecological in the other");
    /// ```
    pub fn selected_as(&self, index: usize) -> [usize; 5] {
        let mut n = [0; 5];
        for p in &self.plans {
            n[p.uses[index].index()] += 1;
        }
        n
    }

    /// The area (ha) of the candidates whose use differs between plans `i` and `j`.
    pub fn difference_ha(&self, problem: &Problem, i: usize, j: usize) -> f64 {
        problem
            .candidates()
            .iter()
            .zip(self.plans[i].uses.iter().zip(&self.plans[j].uses))
            .filter(|(_, (a, b))| a != b)
            .map(|(c, _)| c.area_m2 / 1e4)
            .sum::<f64>()
            + 0.0 // an empty sum is −0
    }
}

/// Up to `opts.count` plans within `opts.within` of the optimum, each
/// differing from every other by `opts.differ_ha` (see the [module
/// docs](self) for the method). `best` is `problem`'s solved plan. Errors
/// on invalid options; a problem with no further plan is not an error
/// (`stopped` says so).
pub fn alternatives(
    problem: &Problem,
    best: &Plan,
    opts: &AlternativeOptions,
) -> Result<Alternatives, PlanError> {
    if opts.count == 0
        || !(opts.within.is_finite() && (0.0..=1.0).contains(&opts.within))
        || !(opts.differ_ha.is_finite() && opts.differ_ha > 0.0)
    {
        return Err(PlanError::invalid(format!(
            "alternatives: count {} must be >= 1, within {} a share in [0, 1], differ {} ha > 0",
            opts.count, opts.within, opts.differ_ha
        )));
    }
    if best.uses.len() != problem.candidates().len() {
        return Err(PlanError::invalid(
            "alternatives: the plan given is not a plan of this problem",
        ));
    }
    let threshold = (1.0 - opts.within) * best.bound.max(best.objective);
    let mut plans = vec![best.clone()];
    let mut stopped = None;
    let mut cut = problem.clone();
    while plans.len() < opts.count {
        let last = plans.len() - 1;
        add_difference_row(&mut cut, &plans[last].uses, last, opts.differ_ha);
        match cut.solve() {
            Ok(p) if p.objective >= threshold - 1e-9 * threshold.abs().max(1.0) => plans.push(p),
            Ok(p) => {
                stopped = Some(format!(
                    "the best plan differing by {} ha from the {} found has objective {:.4}, below {:.4} ({} % of the optimum's bound)",
                    opts.differ_ha,
                    plans.len(),
                    p.objective,
                    threshold,
                    100.0 * (1.0 - opts.within)
                ));
                break;
            }
            Err(PlanError::Infeasible { .. }) => {
                stopped = Some(format!(
                    "no plan differs by {} ha from all {} found",
                    opts.differ_ha,
                    plans.len()
                ));
                break;
            }
            Err(e) => return Err(e),
        }
    }
    Ok(Alternatives {
        plans,
        threshold,
        options: *opts,
        stopped,
    })
}

/// Adds "differ from `uses` (input order) by at least `min_ha`" to the
/// problem's model, as `−diff <= −min_ha` in terms of `x` (see the module
/// docs for `diff`).
fn add_difference_row(problem: &mut Problem, uses: &[Use], plan: usize, min_ha: f64) {
    let m = &mut problem.model;
    let mut coef = vec![[0.0; 5]; m.n];
    let mut converted_ha = 0.0;
    for k in 0..m.n {
        let a = uses[m.order[k]];
        let area = m.area_ha[k];
        if a == Use::Keep {
            for u in Use::CONVERSIONS {
                coef[k][u.index()] = -area;
            }
        } else {
            coef[k][a.index()] = area;
            converted_ha += area;
        }
    }
    m.add_extra_row(
        coef,
        converted_ha - min_ha,
        ConstraintRef::DifferFrom { plan, min_ha },
    );
}
