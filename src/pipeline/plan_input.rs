//! From a scored stock to a planning problem: [`PlanInput`] (the planner's
//! plain values) and [`PlanConfig::problem`] (the `[plan]` settings applied).

use rayon::prelude::*;

use crate::config::plan::parse_lock;
use crate::config::{AreaLimit, ConfigError, PlanConfig};
use crate::parcel::LandUse;
use crate::plan::{self, Bound, PlanProblem, Scores, TouchingPair};
use crate::score::{perimeter_m, ScoreSheet, TargetUse};
use crate::stock::candidates::Candidates;
use crate::stock::{construction_land_ha, ParcelStock};
use crate::uses::{Lock, Use};

/// The planner's view of a scored stock.
#[derive(Debug, Clone)]
pub struct PlanInput {
    /// One per scored candidate, in score-sheet order.
    pub candidates: Vec<plan::Candidate>,
    /// Candidate pairs sharing a boundary of positive length (indices into
    /// `candidates`, `a < b`), sorted.
    pub pairs: Vec<TouchingPair>,
    /// For each entry of `candidates`, its index in the stock.
    pub stock_index: Vec<usize>,
    /// Construction land of the whole stock before the plan, ha.
    pub construction_land_before_ha: f64,
    /// The classes that may become cultural districts, as the scorer decided
    /// ([`ScoreSheet::cultural_origins`]); [`PlanConfig::problem`] hands the
    /// same list to the planner.
    pub cultural_origins: Vec<LandUse>,
}

impl PlanInput {
    /// Builds the candidates (with the locks held by `candidates`) and the
    /// touching pairs from a score sheet over `stock`. Pairs are found in
    /// parallel and sorted, so the result does not depend on the thread count.
    pub fn new(stock: &ParcelStock, candidates: &Candidates, sheet: &ScoreSheet) -> PlanInput {
        let rows = sheet.rows();
        let stock_index: Vec<usize> = rows.iter().map(|r| r.index).collect();
        let mut position = vec![usize::MAX; stock.len()];
        for (k, &i) in stock_index.iter().enumerate() {
            position[i] = k;
        }
        let plan_candidates: Vec<plan::Candidate> = rows
            .par_iter()
            .map(|row| {
                let p = stock.get(row.index);
                let mut c = plan::Candidate::new(p.id.clone(), p.area_m2(), p.land_use)
                    .with_perimeter_m(perimeter_m(p))
                    .with_contaminated(p.facts.contaminated)
                    .with_scores(Scores {
                        green: row.score(TargetUse::Green),
                        ecological: row.score(TargetUse::Ecological),
                        cultural: row.score(TargetUse::Cultural),
                    });
                if let Some(v) = p.facts.land_value_per_m2 {
                    c = c.with_land_value_per_m2(v);
                }
                if let Some(lock) = candidates.lock_of(&p.id) {
                    c = c.with_lock(lock);
                }
                c
            })
            .collect();
        let mut pairs: Vec<TouchingPair> = stock_index
            .par_iter()
            .enumerate()
            .flat_map_iter(|(a, &i)| {
                let position = &position;
                stock.touching(i).into_iter().filter_map(move |t| {
                    let b = position[t.other];
                    (b != usize::MAX && b > a && t.shared_len_m > 0.0).then_some(TouchingPair {
                        a,
                        b,
                        shared_len_m: t.shared_len_m,
                    })
                })
            })
            .collect();
        pairs.sort_by_key(|p| (p.a, p.b));
        let construction_land_before_ha = construction_land_ha(stock, |i| stock.get(i).land_use);
        PlanInput {
            candidates: plan_candidates,
            pairs,
            stock_index,
            construction_land_before_ha,
            cultural_origins: sheet.cultural_origins().to_vec(),
        }
    }
}

/// A `[plan]` setting that is out of range.
fn bad(key: impl Into<String>, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        file: None,
        key: key.into(),
        line: None,
        problem: problem.into(),
        hint: None,
    }
}

// `problem` lives here, beside `PlanInput`, so that the config stays a leaf:
// it knows the settings, the adapter knows the planner's input.
impl PlanConfig {
    /// A planning problem for `input` with these settings; `cap_ha` (from the
    /// command line) overrides `cap`. Cultural eligibility is the scorer's
    /// ([`PlanInput::cultural_origins`]). Errors name the setting: no cap at all,
    /// a lock on an id that is not a candidate.
    pub fn problem(
        &self,
        input: &PlanInput,
        cap_ha: Option<f64>,
    ) -> Result<PlanProblem, ConfigError> {
        self.validate()?;
        let cap_ha = cap_ha.or(self.cap).ok_or_else(|| ConfigError {
            file: None,
            key: "plan.cap".into(),
            line: None,
            problem: "no land-scale cap was given".into(),
            hint: Some("pass --cap 120ha or set cap = \"120ha\" under [plan]".into()),
        })?;
        let known: std::collections::BTreeSet<&str> =
            input.candidates.iter().map(|c| c.id.as_str()).collect();
        let mut pb = PlanProblem::new(input.candidates.clone(), input.pairs.clone())
            .cap_ha(cap_ha)
            .adjacency_lambda(self.adjacency_lambda)
            .cultural_origins(&input.cultural_origins)
            .solver(self.solver());
        for (name, b) in &self.bounds {
            let u: Use = name
                .parse()
                .map_err(|e: String| bad(format!("plan.bounds.{name}"), e))?;
            if let Some(min) = b.min {
                pb = pb.bound(
                    u,
                    match min {
                        AreaLimit::Ha(ha) => Bound::min_ha(ha),
                        AreaLimit::ShareOfCap(s) => Bound::min_share(s),
                    },
                );
            }
            if let Some(max) = b.max {
                pb = pb.bound(
                    u,
                    match max {
                        AreaLimit::Ha(ha) => Bound::max_ha(ha),
                        AreaLimit::ShareOfCap(s) => Bound::max_share(s),
                    },
                );
            }
        }
        if let Some(target) = self.construction_target_ha {
            pb = pb.construction_target_ha(input.construction_land_before_ha, target);
        }
        if let Some(amount) = self.budget {
            pb = pb.budget(amount, self.costs.costs());
        }
        if let Some(share) = self.revenue_shortfall {
            pb = pb.revenue_shortfall(share);
        }
        if let Some(r) = &self.remediation {
            pb = pb.remediation(r.rules()?);
        }
        for (id, l) in &self.locks {
            let key = format!("plan.locks.{id:?}");
            let lock = parse_lock(l).map_err(|e| bad(key.clone(), e))?;
            if !known.contains(id.as_str()) {
                if lock == Lock::Out {
                    continue; // a lock-out of a non-candidate changes nothing
                }
                return Err(ConfigError {
                    file: None,
                    key,
                    line: None,
                    problem: format!("parcel {id:?} is not a candidate, so it cannot be locked in"),
                    hint: Some(
                        "check the id, or mark the parcel as a candidate in the data".into(),
                    ),
                });
            }
            pb = pb.lock(id.as_str(), lock);
        }
        Ok(pb)
    }
}
