//! Random planning instances: candidates, locks, costs and bounds.

use super::*;

/// One random candidate, before ids are given.
#[derive(Debug, Clone)]
pub(crate) struct CandSpec {
    pub(crate) area_ha: f64,
    pub(crate) origin: LandUse,
    pub(crate) scores: Scores,
    pub(crate) contaminated: bool,
    pub(crate) land_value: Option<f64>,
    pub(crate) perimeter_factor: f64,
    pub(crate) lock: Option<Lock>,
}

/// A random planning instance with every kind of constraint.
#[derive(Debug, Clone)]
pub(crate) struct Instance {
    pub(crate) candidates: Vec<Candidate>,
    pub(crate) pairs: Vec<TouchingPair>,
    pub(crate) cap_ha: f64,
    pub(crate) bounds: Vec<(Use, Bound)>,
    /// (before, target), ha.
    pub(crate) construction: Option<(f64, f64)>,
    pub(crate) budget: Option<(f64, Costs)>,
    pub(crate) lambda: f64,
    /// Builder locks by id (override the candidates' own; the last wins).
    pub(crate) locks: Vec<(String, Lock)>,
    pub(crate) cultural_origins: Vec<LandUse>,
}

impl Instance {
    pub(crate) fn problem(&self, solver: Solver) -> Result<landstock::Problem, PlanError> {
        let mut b = PlanProblem::new(self.candidates.clone(), self.pairs.clone())
            .cap_ha(self.cap_ha)
            .adjacency_lambda(self.lambda)
            .cultural_origins(&self.cultural_origins)
            .solver(solver);
        for &(u, bound) in &self.bounds {
            b = b.bound(u, bound);
        }
        if let Some((before, target)) = self.construction {
            b = b.construction_target_ha(before, target);
        }
        if let Some((amount, costs)) = self.budget {
            b = b.budget(amount, costs);
        }
        for (id, lock) in &self.locks {
            b = b.lock(id.as_str(), *lock);
        }
        b.build()
    }

    /// The lock in force on candidate `i`.
    pub(crate) fn lock_of(&self, i: usize) -> Option<Lock> {
        let id = self.candidates[i].id.as_str();
        self.locks
            .iter()
            .rev()
            .find(|(l, _)| l == id)
            .map(|(_, lock)| *lock)
            .or(self.candidates[i].lock)
    }
}

pub(crate) const ORIGINS: [LandUse; 7] = [
    LandUse::Industrial,
    LandUse::Logistics,
    LandUse::Vacant,
    LandUse::Vacant,
    LandUse::Industrial,
    LandUse::Ecological,
    LandUse::Water,
];

pub(crate) fn score_strategy() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        2 => Just(None),
        1 => Just(Some(0.0)),
        1 => Just(Some(1.0)),
        8 => (0.0..=1.0f64).prop_map(Some),
    ]
}

pub(crate) fn lock_strategy() -> impl Strategy<Value = Option<Lock>> {
    prop_oneof![
        60 => Just(None),
        1 => Just(Some(Lock::Out)),
        1 => Just(Some(Lock::In(Use::Keep))),
        1 => Just(Some(Lock::In(Use::Green))),
        1 => Just(Some(Lock::In(Use::Ecological))),
        1 => Just(Some(Lock::In(Use::Cultural))),
        1 => Just(Some(Lock::In(Use::Redevelop))),
    ]
}

pub(crate) fn cand_strategy() -> impl Strategy<Value = CandSpec> {
    (
        prop_oneof![(1u32..5).prop_map(f64::from), 0.2..5.0f64],
        0..ORIGINS.len(),
        (score_strategy(), score_strategy(), score_strategy()),
        proptest::bool::weighted(0.3),
        proptest::option::weighted(0.5, 300.0..3000.0f64),
        1.0..1.6f64,
        lock_strategy(),
    )
        .prop_map(
            |(area_ha, o, (g, e, c), contaminated, land_value, perimeter_factor, lock)| CandSpec {
                area_ha,
                origin: ORIGINS[o],
                scores: Scores {
                    green: g,
                    ecological: e,
                    cultural: c,
                },
                contaminated,
                land_value,
                perimeter_factor,
                lock,
            },
        )
}

pub(crate) fn costs_strategy() -> impl Strategy<Value = Costs> {
    prop_oneof![
        Just(Costs::default()),
        (
            0.0..300.0f64,
            0.0..100.0f64,
            0.0..1500.0f64,
            0.0..600.0f64,
            0.0..3000.0f64
        )
            .prop_map(|(g, e, c, r, v)| Costs {
                green_per_m2: g,
                ecological_per_m2: e,
                cultural_per_m2: c,
                remediation_per_m2: r,
                default_land_value_per_m2: v,
            }),
    ]
}

pub(crate) fn bound_strategy() -> impl Strategy<Value = (Use, Bound)> {
    (0..4usize, 0..4usize, 0.0..1.0f64).prop_map(|(u, kind, x)| {
        let u = Use::CONVERSIONS[u];
        let b = match kind {
            0 => Bound::min_ha(x * 0.4), // × cap below
            1 => Bound::max_ha(x * 0.8),
            2 => Bound::min_share(x * 0.4),
            _ => Bound::max_share(0.1 + x * 0.8),
        };
        (u, b)
    })
}

/// Instances of `n` candidates in `sizes`.
pub(crate) fn instance_strategy(
    sizes: std::ops::RangeInclusive<usize>,
) -> impl Strategy<Value = Instance> {
    sizes
        .prop_flat_map(|n| {
            (
                proptest::collection::vec(cand_strategy(), n),
                proptest::collection::vec((0..n, 0..n, 0.0..0.6f64), 0..=2 * n),
                prop_oneof![1 => Just(1.0), 1 => Just(1.3), 6 => 0.1..0.9f64],
                proptest::collection::vec(bound_strategy(), 0..3),
                proptest::option::weighted(0.3, 0.0..0.5f64),
                proptest::option::weighted(
                    0.5,
                    (
                        prop_oneof![1 => Just(0.0), 4 => 0.0..1.0f64],
                        costs_strategy(),
                    ),
                ),
                prop_oneof![Just(0.0), Just(0.25), Just(1.0)],
                proptest::collection::vec((0..n, lock_strategy()), 0..2),
                proptest::bool::weighted(0.2),
                Just(n),
            )
        })
        .prop_map(
            |(
                specs,
                raw_pairs,
                cap_share,
                raw_bounds,
                constr,
                budget,
                lambda,
                raw_locks,
                wide,
                n,
            )| {
                // Ids whose byte order differs from index order ("c10" < "c7").
                let candidates: Vec<Candidate> = specs
                    .iter()
                    .enumerate()
                    .map(|(i, s)| {
                        let mut c = Candidate::new(
                            format!("c{}", 7 + 3 * (n - 1 - i)),
                            s.area_ha * 1e4,
                            s.origin,
                        )
                        .with_scores(s.scores)
                        .with_contaminated(s.contaminated);
                        c.perimeter_m *= s.perimeter_factor;
                        c.land_value_per_m2 = s.land_value;
                        c.lock = s.lock;
                        c
                    })
                    .collect();
                let mut seen = BTreeSet::new();
                let pairs = raw_pairs
                    .into_iter()
                    .filter(|&(a, b, _)| a != b && seen.insert((a.min(b), a.max(b))))
                    .map(|(a, b, share)| TouchingPair {
                        a,
                        b,
                        shared_len_m: share
                            * candidates[a].perimeter_m.min(candidates[b].perimeter_m),
                    })
                    .collect();
                let total_ha: f64 = candidates.iter().map(|c| c.area_m2 / 1e4).sum();
                let cap_ha = total_ha * cap_share;
                let bounds = raw_bounds
                    .into_iter()
                    .map(|(u, b)| match b.amount {
                        landstock::plan::BoundAmount::Ha(x) => (
                            u,
                            Bound {
                                kind: b.kind,
                                amount: landstock::plan::BoundAmount::Ha(x * cap_ha),
                            },
                        ),
                        _ => (u, b),
                    })
                    .collect();
                let construction = constr.map(|x| {
                    let before = 100.0 + total_ha;
                    (before, before - x * cap_ha)
                });
                let budget = budget.map(|(share, costs)| {
                    let full: f64 = candidates.iter().map(|c| 400.0 * c.area_m2).sum();
                    (share * full, costs)
                });
                let cultural_origins = if wide {
                    vec![LandUse::Industrial, LandUse::Logistics, LandUse::Vacant]
                } else {
                    vec![LandUse::Industrial, LandUse::Logistics]
                };
                // Small instances keep ineligible locks (the conflicts are
                // part of the property); larger ones turn them into lock-outs
                // so that most of them stay feasible.
                let sanitize = |c: &Candidate, l: Lock| match l {
                    Lock::In(u) if n > 12 => {
                        let ok = match u {
                            Use::Keep => true,
                            Use::Green | Use::Ecological => c.scores.get(u).is_some(),
                            Use::Cultural => {
                                c.scores.cultural.is_some() && cultural_origins.contains(&c.origin)
                            }
                            Use::Redevelop => {
                                budget.is_some()
                                    && matches!(c.origin, LandUse::Industrial | LandUse::Logistics)
                            }
                        };
                        if ok {
                            l
                        } else {
                            Lock::Out
                        }
                    }
                    l => l,
                };
                let mut candidates = candidates;
                for c in &mut candidates {
                    c.lock = c.lock.map(|l| sanitize(c, l));
                }
                let locks = raw_locks
                    .into_iter()
                    .filter_map(|(i, l)| {
                        l.map(|l| (candidates[i].id.to_string(), sanitize(&candidates[i], l)))
                    })
                    .collect();
                Instance {
                    candidates,
                    pairs,
                    cap_ha,
                    bounds,
                    construction,
                    budget,
                    lambda,
                    locks,
                    cultural_origins,
                }
            },
        )
}
