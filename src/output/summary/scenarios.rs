//! The summary's `scenarios`: the plan at other caps.

use serde::{Deserialize, Serialize};

use super::converted;
use crate::indicators::{nullable, ConvertedHa, Indicators};
use crate::plan::ScenarioRow;
use crate::stock::ParcelStock;

/// The plan at one cap of `--scenarios`, or why there is none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ScenarioSummary {
    /// No plan at this cap.
    Failed {
        /// The cap, ha.
        cap_ha: Option<f64>,
        /// Why.
        error: String,
    },
    /// The plan's figures.
    Planned {
        /// The cap, ha.
        cap_ha: Option<f64>,
        /// Its objective.
        #[serde(deserialize_with = "nullable::f64")]
        objective: f64,
        /// Its bound.
        #[serde(deserialize_with = "nullable::f64")]
        bound: f64,
        /// Its gap.
        #[serde(deserialize_with = "nullable::f64")]
        gap: f64,
        /// `exact` or `fast`.
        method: String,
        /// Converted area by use, ha.
        converted_ha: ConvertedHa,
        /// SPEC §6 after the plan.
        #[serde(default)]
        indicators: Box<Indicators>,
    },
}

impl ScenarioSummary {
    /// One row per scenario, with the indicators after each plan; candidate
    /// `k` is stock parcel `stock_index[k]`.
    pub fn rows(
        rows: &[ScenarioRow],
        stock: &ParcelStock,
        population: &[f64],
        stock_index: &[usize],
    ) -> Vec<ScenarioSummary> {
        rows.iter()
            .map(|r| match &r.plan {
                Ok(p) => {
                    let (_, after) = crate::indicators::of_plan(
                        stock,
                        population,
                        stock_index,
                        p,
                        r.cap_ha.unwrap_or(f64::NAN),
                    );
                    ScenarioSummary::Planned {
                        cap_ha: r.cap_ha,
                        objective: p.objective,
                        bound: p.bound,
                        gap: p.gap,
                        method: p.method.as_str().to_string(),
                        converted_ha: converted(&p.area_ha),
                        indicators: Box::new(after),
                    }
                }
                Err(e) => ScenarioSummary::Failed {
                    cap_ha: r.cap_ha,
                    error: e.to_string(),
                },
            })
            .collect()
    }

    /// The cap, ha.
    pub fn cap_ha(&self) -> Option<f64> {
        match self {
            ScenarioSummary::Failed { cap_ha, .. } | ScenarioSummary::Planned { cap_ha, .. } => {
                *cap_ha
            }
        }
    }
}
