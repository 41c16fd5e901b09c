//! The summary's `phases`.

use serde::{Deserialize, Serialize};

use super::converted;
use crate::indicators::{nullable, ConvertedHa};
use crate::plan::PhasedPlan;

/// One phase of a phased plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PhaseRow {
    /// 1-based.
    pub phase: usize,
    /// The phase's cap, ha.
    #[serde(deserialize_with = "nullable::f64")]
    pub cap_ha: f64,
    /// Converted area by use in this phase, ha.
    pub converted_ha: ConvertedHa,
    /// New money at its start.
    #[serde(deserialize_with = "nullable::f64")]
    pub new_money: f64,
    /// Its conversion cost.
    #[serde(deserialize_with = "nullable::f64")]
    pub cost: f64,
    /// Its auction revenue.
    #[serde(deserialize_with = "nullable::f64")]
    pub auction_revenue: f64,
    /// Cash left after it (none without a budget).
    pub cash_after: Option<f64>,
    /// The plan's objective after this phase.
    #[serde(deserialize_with = "nullable::f64")]
    pub objective_after: f64,
    /// The parcels it converts.
    pub parcels: Vec<String>,
}

impl PhaseRow {
    /// One row per phase; `ids` are the candidates' ids, in plan order.
    pub fn rows<'a>(p: &PhasedPlan, ids: impl Fn(usize) -> &'a str) -> Vec<PhaseRow> {
        p.phases
            .iter()
            .enumerate()
            .map(|(k, r)| PhaseRow {
                phase: k + 1,
                cap_ha: r.cap_ha,
                converted_ha: converted(&r.area_ha),
                new_money: r.money,
                cost: r.cost,
                auction_revenue: r.revenue,
                cash_after: r.cash_after,
                objective_after: r.objective_after,
                parcels: p
                    .phase
                    .iter()
                    .enumerate()
                    .filter(|(_, ph)| **ph == Some(k))
                    .map(|(i, _)| ids(i).to_string())
                    .collect(),
            })
            .collect()
    }
}
