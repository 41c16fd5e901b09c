//! The summary's `explanations`: binding constraints, marginal values, the
//! good parcels left out.

use serde::{Deserialize, Serialize};

use crate::indicators::nullable;
use crate::plan::{CandidateExplanation, Explanation, Marginal, PlanError};
use crate::uses::Use;

/// `explanations`: the binding constraints, the marginal values of cap and
/// budget, and the best parcels left out with what stopped them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExplanationsSummary {
    /// The binding constraints, in words.
    pub binding: Vec<String>,
    /// One more hectare of cap.
    pub marginal_value_of_cap: Option<MarginalSummary>,
    /// One more unit of budget (`null` without a budget).
    pub marginal_value_of_budget: Option<MarginalSummary>,
    /// The best parcels left out.
    pub left_out: Vec<LeftOut>,
}

/// A marginal value found by re-solving, or why there is none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MarginalSummary {
    /// The re-solve failed.
    Failed {
        /// Why.
        error: String,
    },
    /// The objective gained per unit of the limit.
    Value {
        /// Objective per unit.
        #[serde(deserialize_with = "nullable::f64")]
        per_unit: f64,
        /// The unit, in words.
        unit: String,
        /// The step the limit was raised by.
        #[serde(deserialize_with = "nullable::f64")]
        delta: f64,
        /// The plan's objective.
        #[serde(deserialize_with = "nullable::f64")]
        objective: f64,
        /// The objective with the limit raised.
        #[serde(deserialize_with = "nullable::f64")]
        objective_plus: f64,
        /// How it was found.
        method: String,
    },
}

impl MarginalSummary {
    fn of(m: &Result<Marginal, PlanError>, unit: &str) -> MarginalSummary {
        match m {
            Ok(m) => MarginalSummary::Value {
                per_unit: m.per_unit,
                unit: unit.to_string(),
                delta: m.delta,
                objective: m.objective,
                objective_plus: m.objective_plus,
                method: format!(
                    "re-solved with limit + delta by the {} solver (gap {:.2e})",
                    m.method.as_str(),
                    m.gap_plus
                ),
            },
            Err(e) => MarginalSummary::Failed {
                error: e.to_string(),
            },
        }
    }
}

/// A good parcel the plan left out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LeftOut {
    /// Parcel id.
    pub id: String,
    /// Its best eligible use.
    pub best_use: Option<String>,
    /// Its score there.
    pub best_score: Option<f64>,
    /// Its benefit there.
    #[serde(deserialize_with = "nullable::f64")]
    pub best_benefit: f64,
    /// What stopped it.
    pub stopped_by: Vec<String>,
}

impl ExplanationsSummary {
    /// The summary of an explanation, with the `top` best parcels left out.
    pub fn new(explanation: &Explanation, top: usize) -> ExplanationsSummary {
        let mut left_out: Vec<&CandidateExplanation> = explanation
            .candidates
            .iter()
            .filter(|c| c.use_ == Use::Keep && !c.stopped_by.is_empty())
            .collect();
        left_out.sort_by(|a, b| {
            b.best_benefit_eligible
                .total_cmp(&a.best_benefit_eligible)
                .then(a.id.as_str().as_bytes().cmp(b.id.as_str().as_bytes()))
        });
        ExplanationsSummary {
            binding: explanation.binding.iter().map(|c| c.to_string()).collect(),
            marginal_value_of_cap: Some(MarginalSummary::of(&explanation.cap, "objective per ha")),
            marginal_value_of_budget: explanation
                .budget
                .as_ref()
                .map(|b| MarginalSummary::of(b, "objective per currency unit")),
            left_out: left_out
                .iter()
                .take(top)
                .map(|c| LeftOut {
                    id: c.id.as_str().to_string(),
                    best_use: c.best_use.map(|u| u.as_str().to_string()),
                    best_score: c.best_score,
                    best_benefit: c.best_benefit_eligible,
                    stopped_by: c.stopped_by.iter().map(|s| s.to_string()).collect(),
                })
                .collect(),
        }
    }
}
