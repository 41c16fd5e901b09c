//! Scenario comparison: one problem solved at several caps (or one problem
//! per scenario, e.g. per weight set) in one call — the benefit-against-cap
//! curve a planning committee asks for.
//!
//! Scenarios are independent, so they are solved in parallel (rayon); each
//! solve is deterministic and the rows come back in scenario order, so the
//! table is the same whatever the thread count.

use rayon::prelude::*;

use super::error::PlanError;
use super::{Plan, Problem};

/// One scenario of a comparison: its position, its cap, and its plan or why
/// there is none (an infeasible cap is a row, not a failed comparison).
///
/// ```
/// use landstock::plan::{scenarios, Candidate, Lock, PlanProblem, Scores, Use};
/// use landstock::LandUse;
/// let lot = Candidate::new("a", 20_000.0, LandUse::Vacant)
///     .with_scores(Scores { green: Some(0.5), ..Scores::default() })
///     .with_lock(Lock::In(Use::Green));
/// let p = PlanProblem::new(vec![lot], vec![]).cap_ha(5.0).build().unwrap();
/// let rows = scenarios(&p, &[1.0, 2.0]);
/// assert!(rows[0].plan.is_err(), "the 2 ha lock does not fit 1 ha");
/// assert_eq!(rows[0].objective(), None);
/// assert_eq!(rows[1].objective(), Some(1.0));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioRow {
    /// Position in the scenario list.
    pub index: usize,
    /// The scenario's cap, ha (`None` when its problem could not be built).
    pub cap_ha: Option<f64>,
    /// The plan (objective, bound, gap, areas by use, money, binding constraints).
    pub plan: Result<Plan, PlanError>,
}

impl ScenarioRow {
    /// The plan's objective, when there is a plan.
    pub fn objective(&self) -> Option<f64> {
        self.plan.as_ref().ok().map(|p| p.objective)
    }
}

/// Solves `problem` at each cap (ha), in parallel; rows in the order of
/// `caps_ha`. Bounds given as a share of the cap follow each cap.
///
/// ```
/// use landstock::plan::{scenarios, Candidate, PlanProblem, Scores};
/// use landstock::LandUse;
/// let s = |g| Scores { green: Some(g), ..Scores::default() };
/// let lots = vec![
///     Candidate::new("a", 10_000.0, LandUse::Vacant).with_scores(s(0.9)),
///     Candidate::new("b", 10_000.0, LandUse::Vacant).with_scores(s(0.5)),
/// ];
/// let p = PlanProblem::new(lots, vec![]).cap_ha(1.0).build().unwrap();
/// let rows = scenarios(&p, &[1.0, 2.0, 0.0]);
/// assert_eq!(rows[0].objective(), Some(0.9));
/// assert!((rows[1].objective().unwrap() - 1.4).abs() < 1e-12);
/// assert!(rows[2].plan.is_err(), "a zero cap is invalid");
/// ```
pub fn scenarios(problem: &Problem, caps_ha: &[f64]) -> Vec<ScenarioRow> {
    scenarios_by(caps_ha, |&cap_ha| problem.with_cap_ha(cap_ha))
}

/// Builds and solves one problem per scenario (e.g. scores under another
/// weight set, a cap, a budget), in parallel; rows in the order of `params`.
///
/// ```
/// use landstock::plan::{scenarios_by, Candidate, PlanProblem, Scores};
/// use landstock::LandUse;
/// // Two weight sets give two green scores for the same lot.
/// let rows = scenarios_by(&[0.2, 0.7], |&green| {
///     let lot = Candidate::new("a", 20_000.0, LandUse::Vacant)
///         .with_scores(Scores { green: Some(green), ..Scores::default() });
///     PlanProblem::new(vec![lot], vec![]).cap_ha(5.0).build()
/// });
/// assert_eq!(rows[1].index, 1);
/// assert_eq!(rows[1].cap_ha, Some(5.0));
/// assert!((rows[1].objective().unwrap() - 1.4).abs() < 1e-12);
/// ```
pub fn scenarios_by<T, F>(params: &[T], build: F) -> Vec<ScenarioRow>
where
    T: Sync,
    F: Fn(&T) -> Result<Problem, PlanError> + Sync,
{
    params
        .par_iter()
        .enumerate()
        .map(|(index, param)| match build(param) {
            Ok(problem) => ScenarioRow {
                index,
                cap_ha: Some(problem.cap_ha()),
                plan: problem.solve(),
            },
            Err(e) => ScenarioRow {
                index,
                cap_ha: None,
                plan: Err(e),
            },
        })
        .collect()
}
