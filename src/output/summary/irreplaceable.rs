//! The summary's `irreplaceability`: per parcel tested, what the objective
//! loses if it is locked out (parcels the plan converts) or gains if it is
//! locked in (good parcels it leaves out), most needed first.

use serde::{Deserialize, Serialize};

use crate::indicators::nullable;
use crate::plan::{Irreplaceability, ReSolve, Role};

/// `--irreplaceable [N]`.
///
/// ```
/// use landstock::output::summary::IrreplaceabilitySummary;
/// use landstock::plan::{irreplaceability, Candidate, IrreplaceableOptions, PlanProblem, Scores};
/// use landstock::LandUse;
/// let g = |s| Scores { green: Some(s), ..Scores::default() };
/// let lots = vec![
///     Candidate::new("a", 1e4, LandUse::Vacant).with_scores(g(1.0)),
///     Candidate::new("b", 1e4, LandUse::Vacant).with_scores(g(0.7)),
/// ];
/// let p = PlanProblem::new(lots, vec![]).cap_ha(1.0).build().unwrap();
/// let plan = p.solve().unwrap();
/// let irr = irreplaceability(&p, &plan, &IrreplaceableOptions::default()).unwrap();
/// let s = IrreplaceabilitySummary::new(&irr);
/// assert_eq!((s.chosen_tested, s.left_out_tested, s.irreplaceable), (1, 1, 1));
/// assert_eq!(s.parcels[0].id, "a");
/// assert!((s.parcels[0].delta.unwrap() + 0.3).abs() < 1e-9, "b replaces a: 1.0 → 0.7");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IrreplaceabilitySummary {
    /// How the values were computed.
    pub method: String,
    /// The plan's objective.
    #[serde(deserialize_with = "nullable::f64")]
    pub objective: f64,
    /// Converted parcels tested (locked out).
    pub chosen_tested: usize,
    /// Left-out parcels tested (locked in).
    pub left_out_tested: usize,
    /// Converted parcels the plan cannot do without (no plan without them,
    /// or a proven loss above zero).
    pub irreplaceable: usize,
    /// The parcels, most needed first.
    pub parcels: Vec<IrreplaceableRow>,
}

/// One parcel's value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IrreplaceableRow {
    /// Parcel id.
    pub id: String,
    /// Its use in the plan.
    #[serde(rename = "use")]
    pub use_: String,
    /// `chosen` (locked out) or `left_out` (locked in).
    pub role: String,
    /// The use a left-out parcel was locked in to (its best re-solve).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locked_as: Option<String>,
    /// `solved`, `infeasible` (no plan with the lock) or `not_found`.
    pub resolve: String,
    /// Objective change with the lock (re-solve − plan); null unless solved.
    pub delta: Option<f64>,
    /// Proven interval of the true optimum's change.
    pub delta_lo: Option<f64>,
    /// Upper end of that interval.
    pub delta_hi: Option<f64>,
    /// Whether the plan cannot do without it.
    pub irreplaceable: bool,
}

impl IrreplaceabilitySummary {
    /// The summary of `irr`.
    pub fn new(irr: &Irreplaceability) -> IrreplaceabilitySummary {
        let parcels: Vec<IrreplaceableRow> = irr
            .parcels
            .iter()
            .map(|v| IrreplaceableRow {
                id: v.id.as_str().to_string(),
                use_: v.use_.as_str().to_string(),
                role: v.role.as_str().to_string(),
                locked_as: v.locked_as.map(|u| u.as_str().to_string()),
                resolve: v.resolve.as_str().to_string(),
                delta: v.delta,
                delta_lo: v.delta_lo,
                delta_hi: v.delta_hi,
                irreplaceable: v.is_irreplaceable(),
            })
            .collect();
        let count = |r: Role| irr.parcels.iter().filter(|v| v.role == r).count();
        IrreplaceabilitySummary {
            method: format!(
                "one re-solve per parcel with one more lock (out for a converted parcel, in for a \
                 left-out one, to each use with a positive score), warm-started from the plan \
                 changed in that parcel, {}; delta = re-solve − plan, [delta_lo, delta_hi] the \
                 proven interval of the true optimum's change from both bounds",
                match irr.solver {
                    crate::plan::Solver::Exact { gap, .. } => format!("exact to a {gap} gap"),
                    _ => "fast (Lagrangian bound)".to_string(),
                }
            ),
            objective: irr.objective,
            chosen_tested: count(Role::Chosen),
            left_out_tested: count(Role::LeftOut),
            irreplaceable: irr.parcels.iter().filter(|v| v.is_irreplaceable()).count(),
            parcels,
        }
    }

    /// Whether the row says no plan exists without the parcel.
    pub fn no_plan_without(row: &IrreplaceableRow) -> bool {
        row.role == Role::Chosen.as_str() && row.resolve == ReSolve::Infeasible.as_str()
    }
}
