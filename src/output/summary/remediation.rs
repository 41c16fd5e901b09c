//! The summary's `remediation`: which GB 36600-2018 rule applied to the
//! contaminated parcels the plan converts, and what it costs.

use serde::{Deserialize, Serialize};

use crate::indicators::nullable;
use crate::plan::{Plan, Problem, Use};

/// Remediation by end use in the plan (`[plan.remediation]`).
///
/// ```
/// use landstock::output::summary::RemediationSummary;
/// use landstock::plan::{Candidate, PlanProblem, Remediation, Scores};
/// use landstock::LandUse;
/// let s = Scores { green: Some(0.5), ..Scores::default() };
/// let c = Candidate::new("x", 1e4, LandUse::Industrial).with_scores(s).with_contaminated(true);
/// let p = PlanProblem::new(vec![c], vec![]).cap_ha(1.0).remediation(Remediation::default())
///     .build().unwrap();
/// let r = RemediationSummary::new(&p, &p.solve().unwrap()).unwrap();
/// assert_eq!(r.rows[0].category, "type1");
/// assert_eq!((r.rows[0].parcels, r.rows[0].cost), (1, 400.0 * 1e4));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RemediationSummary {
    /// Cost per m² to Type I screening values (general rule).
    #[serde(deserialize_with = "nullable::f64")]
    pub type1_per_m2: f64,
    /// Cost per m² to Type II screening values (general rule).
    #[serde(deserialize_with = "nullable::f64")]
    pub type2_per_m2: f64,
    /// Per target use and category: the converted contaminated parcels.
    pub rows: Vec<RemediationRow>,
    /// Contaminated candidates with a use their site class forbids.
    pub parcels_with_forbidden_uses: usize,
}

/// Converted contaminated parcels of one target use.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RemediationRow {
    /// The target use.
    #[serde(rename = "use")]
    pub use_: String,
    /// Its GB 36600-2018 category: `type1`, `type2` or `none`.
    pub category: String,
    /// Parcels.
    pub parcels: usize,
    /// Their area, ha.
    #[serde(deserialize_with = "nullable::f64")]
    pub area_ha: f64,
    /// Their remediation cost.
    #[serde(deserialize_with = "nullable::f64")]
    pub cost: f64,
    /// Of them, parcels whose cost a site-class rule set.
    pub by_site_class: usize,
}

impl RemediationSummary {
    /// The summary of `plan` solved on `problem`; `None` without
    /// remediation rules.
    pub fn new(problem: &Problem, plan: &Plan) -> Option<RemediationSummary> {
        let rules = problem.remediation()?;
        let mut rows: Vec<RemediationRow> = Use::CONVERSIONS
            .into_iter()
            .map(|u| RemediationRow {
                use_: u.as_str().to_string(),
                category: rules.category(u).as_str().to_string(),
                ..RemediationRow::default()
            })
            .collect();
        let mut forbidden = 0;
        for (i, c) in problem.candidates().iter().enumerate() {
            if !c.contaminated {
                continue;
            }
            if Use::CONVERSIONS.into_iter().any(|u| {
                problem
                    .remediation_applied(i, u)
                    .is_some_and(|a| !a.allowed)
            }) {
                forbidden += 1;
            }
            let u = plan.uses[i];
            let (Some(a), Some(row)) = (
                problem.remediation_applied(i, u),
                rows.iter_mut().find(|r| r.use_ == u.as_str()),
            ) else {
                continue;
            };
            row.parcels += 1;
            row.area_ha += c.area_m2 / 1e4;
            row.cost += a.per_m2 * c.area_m2;
            row.by_site_class += a.by_site_class as usize;
        }
        Some(RemediationSummary {
            type1_per_m2: rules.type_i_per_m2,
            type2_per_m2: rules.type_ii_per_m2,
            rows,
            parcels_with_forbidden_uses: forbidden,
        })
    }
}
