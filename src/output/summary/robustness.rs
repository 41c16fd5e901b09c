//! The summary's `robustness`: a plan that survives a weak land market
//! (`--revenue-shortfall`) against the plain plan, and the price of that
//! robustness.

use serde::{Deserialize, Serialize};

use super::converted;
use crate::indicators::{nullable, ConvertedHa};
use crate::plan::{PhasedPlan, Plan, Problem};

/// The robust plan (money non-negative if auctions bring `revenue_shortfall`
/// less, in every phase) beside the plain plan (auctions bring what is
/// expected), solved on the same problem otherwise.
///
/// ```
/// use landstock::output::summary::RobustnessSummary;
/// use landstock::plan::{Candidate, Costs, PlanProblem, Scores};
/// use landstock::LandUse;
/// let green = |g| Scores { green: Some(g), ..Scores::default() };
/// // one 2 ha factory (auction 30 M), two 4 ha park sites (6 M each)
/// let lots = vec![
///     Candidate::new("factory", 20_000.0, LandUse::Industrial),
///     Candidate::new("p1", 40_000.0, LandUse::Vacant).with_scores(green(0.9)),
///     Candidate::new("p2", 40_000.0, LandUse::Vacant).with_scores(green(0.5)),
/// ];
/// let robust = PlanProblem::new(lots, vec![]).cap_ha(10.0).budget(0.0, Costs::default())
///     .revenue_shortfall(0.7).build().unwrap(); // 9 M counted: one park
/// let plain = robust.with_revenue_shortfall(0.0).unwrap();
/// let (r, p) = (robust.solve().unwrap(), plain.solve().unwrap());
/// let s = RobustnessSummary::new(&robust, &r, &p, None);
/// assert!((s.price - 0.5 * 4.0).abs() < 1e-9, "the second park is the price");
/// assert!((s.money_left_if_short - 3e6).abs() < 1e-3); // 9 M − 6 M
/// assert!((s.plain_money_left_if_short + 3e6).abs() < 1e-3); // 9 M − 12 M
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RobustnessSummary {
    /// The share by which every auction may fall short (0.3 for 30 %).
    #[serde(deserialize_with = "nullable::f64")]
    pub revenue_shortfall: f64,
    /// The robust plan's objective (the plan of this summary).
    #[serde(deserialize_with = "nullable::f64")]
    pub objective: f64,
    /// The plain plan's objective (auctions counted at their expected revenue).
    #[serde(deserialize_with = "nullable::f64")]
    pub plain_objective: f64,
    /// The price of robustness: plain objective − robust objective (>= 0
    /// up to the solvers' gaps).
    #[serde(deserialize_with = "nullable::f64")]
    pub price: f64,
    /// The price as a share of the plain objective.
    #[serde(deserialize_with = "nullable::f64")]
    pub price_share: f64,
    /// Parcels whose use differs between the two plans.
    pub parcels_changed: usize,
    /// The robust plan's converted area by use, ha.
    pub converted_ha: ConvertedHa,
    /// The plain plan's converted area by use, ha.
    pub plain_converted_ha: ConvertedHa,
    /// The robust plan's expected auction revenue.
    #[serde(deserialize_with = "nullable::f64")]
    pub auction_revenue: f64,
    /// The plain plan's expected auction revenue.
    #[serde(deserialize_with = "nullable::f64")]
    pub plain_auction_revenue: f64,
    /// Money left after the robust plan if auctions bring what is expected.
    #[serde(deserialize_with = "nullable::f64")]
    pub money_left: f64,
    /// Money left after the robust plan if every auction brings the
    /// shortfall less (>= 0: what the robust plan guarantees).
    #[serde(deserialize_with = "nullable::f64")]
    pub money_left_if_short: f64,
    /// Money left after the plain plan if every auction brings the
    /// shortfall less (negative: the plain plan's risk).
    #[serde(deserialize_with = "nullable::f64")]
    pub plain_money_left_if_short: f64,
    /// Per phase of a phased plan: cash after each phase, both plans, with
    /// and without the shortfall.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub phases: Vec<RobustPhaseRow>,
}

/// Cash after one phase, robust and plain, as expected and if auctions fall short.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RobustPhaseRow {
    /// 1-based.
    pub phase: usize,
    /// The robust plan's cash after the phase, auctions as expected.
    pub cash_after: Option<f64>,
    /// The robust plan's cash after the phase if every auction so far fell short.
    pub cash_after_if_short: Option<f64>,
    /// The plain plan's cash after the phase, auctions as expected.
    pub plain_cash_after: Option<f64>,
    /// The plain plan's cash after the phase if every auction so far fell short.
    pub plain_cash_after_if_short: Option<f64>,
}

/// Cash after each phase if every auction brings `keep` of its expected revenue.
fn cash_if(p: &PhasedPlan, keep: f64) -> Vec<Option<f64>> {
    let mut cash = 0.0;
    p.phases
        .iter()
        .map(|r| {
            cash += r.money - r.cost + keep * r.revenue;
            r.cash_after.map(|_| cash)
        })
        .collect()
}

impl RobustnessSummary {
    /// Compares the robust plan of `problem` (its
    /// [`revenue_shortfall`](Problem::revenue_shortfall)) with the `plain`
    /// plan of the same problem without it; `phased` gives the two phased
    /// plans (robust, plain) when the plan has phases (their final plans
    /// are `robust` and `plain`).
    pub fn new(
        problem: &Problem,
        robust: &Plan,
        plain: &Plan,
        phased: Option<(&PhasedPlan, &PhasedPlan)>,
    ) -> RobustnessSummary {
        let s = problem.revenue_shortfall();
        let keep = 1.0 - s;
        let budget = problem.budget().map_or(0.0, |b| b.amount);
        // a phased plan's money is Σ phase money, which may differ from the budget
        let money = |ph: Option<&PhasedPlan>| match ph {
            Some(ph) => ph.phases.iter().map(|r| r.money).sum::<f64>(),
            None => budget,
        };
        let (rph, pph) = match phased {
            Some((r, p)) => (Some(r), Some(p)),
            None => (None, None),
        };
        let price = plain.objective - robust.objective;
        let phases = match phased {
            Some((r, p)) => {
                let (r1, r2, p1, p2) = (
                    cash_if(r, 1.0),
                    cash_if(r, keep),
                    cash_if(p, 1.0),
                    cash_if(p, keep),
                );
                (0..r.phases.len().min(p.phases.len()))
                    .map(|t| RobustPhaseRow {
                        phase: t + 1,
                        cash_after: r1[t],
                        cash_after_if_short: r2[t],
                        plain_cash_after: p1[t],
                        plain_cash_after_if_short: p2[t],
                    })
                    .collect()
            }
            None => Vec::new(),
        };
        RobustnessSummary {
            revenue_shortfall: s,
            objective: robust.objective,
            plain_objective: plain.objective,
            price,
            price_share: if plain.objective > 0.0 {
                price / plain.objective
            } else {
                0.0
            },
            parcels_changed: robust
                .uses
                .iter()
                .zip(&plain.uses)
                .filter(|(a, b)| a != b)
                .count(),
            converted_ha: converted(&robust.area_ha),
            plain_converted_ha: converted(&plain.area_ha),
            auction_revenue: robust.revenue,
            plain_auction_revenue: plain.revenue,
            money_left: money(rph) + robust.revenue - robust.cost,
            money_left_if_short: money(rph) + keep * robust.revenue - robust.cost,
            plain_money_left_if_short: money(pph) + keep * plain.revenue - plain.cost,
            phases,
        }
    }
}
