//! The summary's `alternatives`: K near-optimal plans that differ from each
//! other, and how often each parcel is converted across them.

use serde::{Deserialize, Serialize};

use super::converted;
use crate::indicators::{nullable, ConvertedHa};
use crate::plan::{Alternatives, Problem, Use};

/// `--alternatives K [--within 1%] [--differ 5ha]`.
///
/// ```
/// use landstock::output::summary::AlternativesSummary;
/// use landstock::plan::{alternatives, AlternativeOptions, Candidate, PlanProblem, Scores};
/// use landstock::LandUse;
/// let g = |s| Scores { green: Some(s), ..Scores::default() };
/// let lots = vec![
///     Candidate::new("a", 1e4, LandUse::Vacant).with_scores(g(1.0)),
///     Candidate::new("b", 1e4, LandUse::Vacant).with_scores(g(0.99)),
/// ];
/// let p = PlanProblem::new(lots, vec![]).cap_ha(1.0).build().unwrap();
/// let opts = AlternativeOptions { count: 2, within: 0.05, differ_ha: 1.0 };
/// let alt = alternatives(&p, &p.solve().unwrap(), &opts).unwrap();
/// let s = AlternativesSummary::new(&p, &alt);
/// assert_eq!(s.plans.len(), 2);
/// assert!((s.plans[1].below_optimum_share - 0.01).abs() < 1e-9);
/// assert_eq!(s.plans[1].min_difference_ha, 2.0, "a and b swap");
/// assert_eq!((s.in_every_plan, s.in_some_plans), (0, 2));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AlternativesSummary {
    /// K asked for (the optimum included).
    pub requested: usize,
    /// The share of the optimum each plan is within.
    #[serde(deserialize_with = "nullable::f64")]
    pub within: f64,
    /// The least area by which every two plans differ, ha.
    #[serde(deserialize_with = "nullable::f64")]
    pub differ_ha: f64,
    /// The least objective a plan may have: (1 − within) × the optimum's bound.
    #[serde(deserialize_with = "nullable::f64")]
    pub threshold: f64,
    /// How they were found.
    pub method: String,
    /// Why there are fewer plans than asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
    /// The plans, best first; plan 0 is the plan of this summary.
    pub plans: Vec<AlternativePlan>,
    /// Candidates converted in every plan.
    pub in_every_plan: usize,
    /// Candidates converted in some plans but not all.
    pub in_some_plans: usize,
    /// Per candidate converted in at least one plan: how often, and to what
    /// (by id; every candidate is in the plan GeoJSON and CSV).
    pub frequency: Vec<Frequency>,
}

/// One alternative plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AlternativePlan {
    /// 0-based; 0 is the optimum.
    pub plan: usize,
    /// Its objective.
    #[serde(deserialize_with = "nullable::f64")]
    pub objective: f64,
    /// (optimum − objective) / optimum.
    #[serde(deserialize_with = "nullable::f64")]
    pub below_optimum_share: f64,
    /// Converted area by use, ha.
    pub converted_ha: ConvertedHa,
    /// Area of the parcels whose use differs from plan 0, ha.
    #[serde(deserialize_with = "nullable::f64")]
    pub differs_from_optimum_ha: f64,
    /// The least area by which it differs from any earlier plan, ha (0 for plan 0).
    #[serde(deserialize_with = "nullable::f64")]
    pub min_difference_ha: f64,
    /// `exact` or `fast`, and how the solve ended.
    pub method: String,
}

/// How often one candidate is converted across the plans.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Frequency {
    /// Parcel id.
    pub id: String,
    /// Plans that convert it.
    pub selected_in: usize,
    /// Per use, how many plans give it that use (conversions only).
    pub selected_as: std::collections::BTreeMap<String, usize>,
}

impl AlternativesSummary {
    /// The summary of alternatives found on `problem`.
    pub fn new(problem: &Problem, alt: &Alternatives) -> AlternativesSummary {
        let z0 = alt.plans[0].objective;
        let plans = alt
            .plans
            .iter()
            .enumerate()
            .map(|(j, p)| AlternativePlan {
                plan: j,
                objective: p.objective,
                below_optimum_share: if z0 > 0.0 {
                    (z0 - p.objective) / z0
                } else {
                    0.0
                },
                converted_ha: converted(&p.area_ha),
                differs_from_optimum_ha: alt.difference_ha(problem, 0, j),
                min_difference_ha: (0..j)
                    .map(|i| alt.difference_ha(problem, i, j))
                    .fold(f64::INFINITY, f64::min)
                    .min(if j == 0 { 0.0 } else { f64::INFINITY }),
                method: format!("{} ({})", p.method.as_str(), p.status.as_str()),
            })
            .collect();
        let k = alt.plans.len();
        let mut frequency = Vec::new();
        let (mut every, mut some) = (0, 0);
        for (i, c) in problem.candidates().iter().enumerate() {
            let n = alt.selected_in(i);
            if n == 0 {
                continue;
            }
            if n == k {
                every += 1;
            } else {
                some += 1;
            }
            let by = alt.selected_as(i);
            frequency.push(Frequency {
                id: c.id.as_str().to_string(),
                selected_in: n,
                selected_as: Use::CONVERSIONS
                    .into_iter()
                    .filter(|u| by[u.index()] > 0)
                    .map(|u| (u.as_str().to_string(), by[u.index()]))
                    .collect(),
            });
        }
        frequency.sort_by(|a, b| {
            b.selected_in
                .cmp(&a.selected_in)
                .then(a.id.as_bytes().cmp(b.id.as_bytes()))
        });
        AlternativesSummary {
            requested: alt.options.count,
            within: alt.options.within,
            differ_ha: alt.options.differ_ha,
            threshold: alt.threshold,
            method: "each plan is the best plan of the problem with one more row per earlier plan: \
                     the area of parcels whose use differs from it >= differ_ha (a no-good cut \
                     of area in the MILP); kept while its objective >= (1 - within) × the optimum's bound"
                .to_string(),
            stopped: alt.stopped.clone(),
            plans,
            in_every_plan: every,
            in_some_plans: some,
            frequency,
        }
    }
}
