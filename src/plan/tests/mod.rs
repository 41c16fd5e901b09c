//! Planner tests. This module holds the shared fixtures: a fixed-seed
//! generator, random small instances with every constraint type, and a
//! brute force that scores assignments with its own reference evaluation
//! written straight from SPEC §5, not with the shared model. The tests
//! themselves are in the topic files below.

mod conflicts;
mod random;
mod solving;

use super::solvers::{exact, fast};
use super::*;
use crate::LandUse;

/// SplitMix64: a fixed-seed generator for test data.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(super) fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub(super) fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.f64()
    }
    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    pub(super) fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }
}

/// A random instance: the builder plus what the reference evaluation needs.
#[derive(Clone)]
pub(super) struct Instance {
    pub(super) candidates: Vec<Candidate>,
    pub(super) pairs: Vec<TouchingPair>,
    pub(super) cap_ha: f64,
    pub(super) bounds: Vec<(Use, Bound)>,
    pub(super) construction: Option<(f64, f64)>,
    pub(super) budget: Option<f64>,
    pub(super) lambda: f64,
}

impl Instance {
    pub(super) fn problem(&self, solver: Solver) -> Result<Problem, PlanError> {
        let mut b = PlanProblem::new(self.candidates.clone(), self.pairs.clone())
            .cap_ha(self.cap_ha)
            .adjacency_lambda(self.lambda)
            .solver(solver);
        for &(u, bound) in &self.bounds {
            b = b.bound(u, bound);
        }
        if let Some((before, target)) = self.construction {
            b = b.construction_target_ha(before, target);
        }
        if let Some(amount) = self.budget {
            b = b.budget(amount, Costs::default());
        }
        b.build()
    }
}

pub(super) fn random_instance(rng: &mut Rng, n: usize) -> Instance {
    let origins = [
        LandUse::Industrial,
        LandUse::Logistics,
        LandUse::Vacant,
        LandUse::Vacant,
        LandUse::Industrial,
        LandUse::Ecological,
    ];
    // Ids whose byte order differs from index order ("c10" < "c9").
    let mut nums: Vec<usize> = (0..n).map(|i| 7 + 3 * i).collect();
    for i in (1..n).rev() {
        nums.swap(i, rng.below(i + 1));
    }
    let mut candidates = Vec::new();
    for &num in nums.iter() {
        let area_ha = if rng.chance(0.3) {
            (1 + rng.below(4)) as f64
        } else {
            rng.range(0.2, 5.0)
        };
        let origin = origins[rng.below(origins.len())];
        let score = |rng: &mut Rng| {
            if rng.chance(0.2) {
                None
            } else if rng.chance(0.12) {
                Some(0.0)
            } else {
                Some(rng.f64())
            }
        };
        let scores = Scores {
            green: score(rng),
            ecological: score(rng),
            cultural: score(rng),
        };
        let mut c = Candidate::new(format!("c{num}"), area_ha * 1e4, origin)
            .with_scores(scores)
            .with_contaminated(rng.chance(0.3));
        c.perimeter_m *= rng.range(1.0, 1.6);
        if rng.chance(0.5) {
            c.land_value_per_m2 = Some(rng.range(300.0, 3000.0));
        }
        if rng.chance(0.08) {
            c.lock = Some(Lock::Out);
        } else if rng.chance(0.1) {
            // Mostly eligible locks; an ineligible one makes the instance infeasible.
            let opts: Vec<Use> = Use::CONVERSIONS
                .into_iter()
                .filter(|&u| u != Use::Redevelop && scores.get(u).is_some())
                .collect();
            if !opts.is_empty() {
                c.lock = Some(Lock::In(opts[rng.below(opts.len())]));
            }
        }
        candidates.push(c);
    }
    let mut pairs = Vec::new();
    for a in 0..n {
        for b in a + 1..n {
            if rng.chance(0.35) {
                let per = candidates[a].perimeter_m.min(candidates[b].perimeter_m);
                let s = if rng.chance(0.1) {
                    0.0
                } else {
                    rng.range(0.0, 0.6) * per
                };
                pairs.push(TouchingPair {
                    a,
                    b,
                    shared_len_m: s,
                });
            }
        }
    }
    let total_ha: f64 = candidates.iter().map(|c| c.area_m2 / 1e4).sum();
    let cap_ha = if rng.chance(0.15) {
        total_ha
    } else {
        total_ha * rng.range(0.15, 0.8)
    };
    let mut bounds = Vec::new();
    for _ in 0..rng.below(3) {
        let u = [Use::Green, Use::Ecological, Use::Cultural, Use::Redevelop][rng.below(4)];
        let b = match rng.below(4) {
            0 => Bound::min_ha(rng.range(0.0, 0.4) * cap_ha),
            1 => Bound::max_ha(rng.range(0.0, 0.8) * cap_ha),
            2 => Bound::min_share(rng.range(0.0, 0.4)),
            _ => Bound::max_share(rng.range(0.1, 0.9)),
        };
        bounds.push((u, b));
    }
    let construction = rng.chance(0.3).then(|| {
        let before = 100.0 + total_ha;
        (before, before - rng.range(0.0, 0.5) * cap_ha)
    });
    let budget = rng.chance(0.5).then(|| {
        let full: f64 = candidates.iter().map(|c| 400.0 * c.area_m2).sum();
        if rng.chance(0.2) {
            0.0
        } else {
            rng.range(0.0, 1.0) * full
        }
    });
    let lambda = [0.0, 0.25, 0.25, 1.0][rng.below(4)];
    Instance {
        candidates,
        pairs,
        cap_ha,
        bounds,
        construction,
        budget,
        lambda,
    }
}

/// SPEC §5 straight from the instance: `Some(objective)` when feasible.
pub(super) fn reference_objective(inst: &Instance, uses: &[Use]) -> Option<f64> {
    let costs = Costs::default();
    let ind = |c: &Candidate| matches!(c.origin, LandUse::Industrial | LandUse::Logistics);
    let mut benefit = vec![0.0; uses.len()];
    let mut area = [0.0f64; 5];
    let mut area_mag = 0.0;
    let (mut money, mut money_mag) = (0.0, 0.0);
    let (mut delta, mut delta_mag) = (0.0, 0.0);
    let mut objective = 0.0;
    for (c, &u) in inst.candidates.iter().zip(uses) {
        let ha = c.area_m2 / 1e4;
        let eligible = match u {
            Use::Keep => true,
            Use::Green | Use::Ecological => c.scores.get(u).is_some(),
            Use::Cultural => c.scores.cultural.is_some() && ind(c),
            Use::Redevelop => inst.budget.is_some() && ind(c),
        };
        let lock_ok = match c.lock {
            None => true,
            Some(Lock::Out) | Some(Lock::In(Use::Keep)) => u == Use::Keep,
            Some(Lock::In(l)) => u == l,
        };
        if !eligible || !lock_ok {
            return None;
        }
        objective += c.scores.get(u).unwrap_or(0.0) * ha;
        area[u as usize] += ha;
        if u != Use::Keep {
            area_mag += ha;
        }
        let m = match u {
            Use::Redevelop => -c.land_value_per_m2.unwrap_or(1500.0) * c.area_m2,
            _ => costs.cost(c, u),
        };
        money += m;
        money_mag += m.abs();
        let d = match u {
            Use::Ecological if c.origin.is_construction_land() => -ha,
            Use::Green | Use::Cultural if !c.origin.is_construction_land() => ha,
            _ => 0.0,
        };
        delta += d;
        delta_mag += d.abs();
    }
    for (idx, c) in inst.candidates.iter().enumerate() {
        benefit[idx] = c.scores.get(uses[idx]).unwrap_or(0.0) * c.area_m2 / 1e4;
    }
    for p in &inst.pairs {
        let u = uses[p.a];
        if u == uses[p.b] && p.shared_len_m > 0.0 && u != Use::Keep {
            let per = inst.candidates[p.a]
                .perimeter_m
                .min(inst.candidates[p.b].perimeter_m);
            objective += inst.lambda * benefit[p.a].min(benefit[p.b]) * p.shared_len_m / per;
        }
    }
    let within = |lhs: f64, rhs: f64, mag: f64| lhs - rhs <= 1e-9 * (rhs.abs() + mag).max(1.0);
    let converted = area[1] + area[2] + area[3] + area[4];
    if !within(converted, inst.cap_ha, area_mag) {
        return None;
    }
    for &(u, b) in &inst.bounds {
        let limit = b.limit_ha(inst.cap_ha);
        let ok = match b.kind {
            BoundKind::Min => within(limit, area[u as usize], area[u as usize]),
            BoundKind::Max => within(area[u as usize], limit, area[u as usize]),
        };
        if !ok {
            return None;
        }
    }
    if let Some((before, target)) = inst.construction {
        if !within(before + delta, target, delta_mag) {
            return None;
        }
    }
    if let Some(budget) = inst.budget {
        if !within(money, budget, money_mag) {
            return None;
        }
    }
    Some(objective)
}

/// The best objective over all 5^n assignments, `None` when none is feasible.
pub(super) fn brute_force(inst: &Instance) -> Option<f64> {
    let n = inst.candidates.len();
    let mut uses = vec![Use::Keep; n];
    let mut best: Option<f64> = None;
    loop {
        if let Some(v) = reference_objective(inst, &uses) {
            if best.is_none_or(|b| v > b) {
                best = Some(v);
            }
        }
        // Next assignment in base 5.
        let mut i = 0;
        loop {
            if i == n {
                return best;
            }
            let next = uses[i] as usize + 1;
            if next < 5 {
                uses[i] = Use::ALL[next];
                break;
            }
            uses[i] = Use::Keep;
            i += 1;
        }
    }
}

const INSTANCES: u64 = 300;

pub(super) fn size_for(seed: u64) -> usize {
    // Mostly 2–6 candidates, every tenth one 7 or 8.
    if seed % 10 == 9 {
        7 + (seed as usize / 10) % 2
    } else {
        2 + (seed as usize) % 5
    }
}

fn lot(id: &str, ha: f64, green: f64) -> Candidate {
    Candidate::new(id, ha * 1e4, LandUse::Vacant).with_scores(Scores {
        green: Some(green),
        ecological: Some(green / 2.0),
        cultural: None,
    })
}

fn factory(id: &str, ha: f64, green: f64) -> Candidate {
    Candidate::new(id, ha * 1e4, LandUse::Industrial).with_scores(Scores {
        green: Some(green),
        ecological: None,
        cultural: None,
    })
}

fn conflicts_of(r: Result<Plan, PlanError>) -> Vec<Conflict> {
    match r {
        Err(PlanError::Infeasible { conflicts }) => conflicts,
        other => panic!("expected infeasible, got {other:?}"),
    }
}
