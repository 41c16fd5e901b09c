//! Property tests (proptest) on random inputs: plans never break a rule and
//! the solvers' objectives and bounds bracket each other; scores stay in
//! [0, 1]; every input feature is accounted for exactly once.
//!
//! Each property checks the library against an independent recomputation
//! written here from SPEC §2/§4/§5, not against the library's own model.
//! Case counts keep the file under a minute in the debug profile; run with
//! `--nocapture` to see how many cases each property ran.
//!
//! **Seeds.** Every property runs from a fixed seed, so the suite gives one
//! answer on every run. To explore, set `LANDSTOCK_TEST_SEED` to another
//! number, or to `random` for a fresh seed per property (printed with the
//! case count, so a failure can be replayed with that number). A failure
//! found this way becomes a named regression test.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use landstock::candidates::Candidates;
use landstock::context::{Context, ContextOptions};
use landstock::ingest::{read_geojson, IngestOptions};
use landstock::plan::{
    evaluate, Bound, BoundKind, Candidate, Costs, Lock, Method, PlanError, PlanProblem, Scores,
    Solver, TouchingPair, Use,
};
use landstock::score::{Layers, Scorer, TargetUse};
use landstock::{Config, ErrorKind, LandUse};
use landstock_synth::{write_parcels_geojson, CityParams};
use proptest::prelude::*;
use proptest::test_runner::{Config as PtConfig, RngAlgorithm, TestCaseError, TestRng, TestRunner};

// ---------------------------------------------------------------- plans

/// One random candidate, before ids are given.
#[derive(Debug, Clone)]
struct CandSpec {
    area_ha: f64,
    origin: LandUse,
    scores: Scores,
    contaminated: bool,
    land_value: Option<f64>,
    perimeter_factor: f64,
    lock: Option<Lock>,
}

/// A random planning instance with every kind of constraint.
#[derive(Debug, Clone)]
struct Instance {
    candidates: Vec<Candidate>,
    pairs: Vec<TouchingPair>,
    cap_ha: f64,
    bounds: Vec<(Use, Bound)>,
    /// (before, target), ha.
    construction: Option<(f64, f64)>,
    budget: Option<(f64, Costs)>,
    lambda: f64,
    /// Builder locks by id (override the candidates' own; the last wins).
    locks: Vec<(String, Lock)>,
    cultural_origins: Vec<LandUse>,
}

impl Instance {
    fn problem(&self, solver: Solver) -> Result<landstock::Problem, PlanError> {
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
    fn lock_of(&self, i: usize) -> Option<Lock> {
        let id = self.candidates[i].id.as_str();
        self.locks
            .iter()
            .rev()
            .find(|(l, _)| l == id)
            .map(|(_, lock)| *lock)
            .or(self.candidates[i].lock)
    }
}

const ORIGINS: [LandUse; 7] = [
    LandUse::Industrial,
    LandUse::Logistics,
    LandUse::Vacant,
    LandUse::Vacant,
    LandUse::Industrial,
    LandUse::Ecological,
    LandUse::Water,
];

fn score_strategy() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        2 => Just(None),
        1 => Just(Some(0.0)),
        1 => Just(Some(1.0)),
        8 => (0.0..=1.0f64).prop_map(Some),
    ]
}

fn lock_strategy() -> impl Strategy<Value = Option<Lock>> {
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

fn cand_strategy() -> impl Strategy<Value = CandSpec> {
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

fn costs_strategy() -> impl Strategy<Value = Costs> {
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

fn bound_strategy() -> impl Strategy<Value = (Use, Bound)> {
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
fn instance_strategy(sizes: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = Instance> {
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

/// What a plan does, recomputed from the instance alone (SPEC §5).
struct Recomputed {
    objective: f64,
    area_ha: [f64; 5],
}

/// SPEC §5 straight from the instance: the objective and areas, or the rule
/// the assignment breaks.
fn recompute(inst: &Instance, uses: &[Use]) -> Result<Recomputed, String> {
    if uses.len() != inst.candidates.len() {
        return Err(format!(
            "{} uses for {} candidates",
            uses.len(),
            inst.candidates.len()
        ));
    }
    let auctionable = |c: &Candidate| matches!(c.origin, LandUse::Industrial | LandUse::Logistics);
    let costs = inst.budget.map(|b| b.1).unwrap_or_default();
    let mut area = [0.0f64; 5];
    let mut area_mag = 0.0;
    let (mut money, mut money_mag) = (0.0, 0.0);
    let (mut delta, mut delta_mag) = (0.0, 0.0);
    let mut benefit = vec![0.0; uses.len()];
    for (i, (c, &u)) in inst.candidates.iter().zip(uses).enumerate() {
        let ha = c.area_m2 / 1e4;
        let eligible = match u {
            Use::Keep => true,
            Use::Green => c.scores.green.is_some(),
            Use::Ecological => c.scores.ecological.is_some(),
            Use::Cultural => {
                c.scores.cultural.is_some() && inst.cultural_origins.contains(&c.origin)
            }
            Use::Redevelop => inst.budget.is_some() && auctionable(c),
        };
        if !eligible {
            return Err(format!("{} is not eligible for {u}", c.id));
        }
        let locked = match inst.lock_of(i) {
            None => None,
            Some(Lock::Out) => Some(Use::Keep),
            Some(Lock::In(l)) => Some(l),
        };
        if locked.is_some_and(|l| l != u) {
            return Err(format!("{} is locked to {locked:?}, got {u}", c.id));
        }
        let score = match u {
            Use::Green => c.scores.green,
            Use::Ecological => c.scores.ecological,
            Use::Cultural => c.scores.cultural,
            _ => None,
        };
        benefit[i] = score.unwrap_or(0.0) * ha;
        area[u as usize] += ha;
        if u != Use::Keep {
            area_mag += ha;
        }
        let remediation = if c.contaminated {
            costs.remediation_per_m2
        } else {
            0.0
        };
        let m = match u {
            Use::Keep => 0.0,
            Use::Green => (costs.green_per_m2 + remediation) * c.area_m2,
            Use::Ecological => costs.ecological_per_m2 * c.area_m2,
            Use::Cultural => (costs.cultural_per_m2 + remediation) * c.area_m2,
            Use::Redevelop => {
                -c.land_value_per_m2
                    .unwrap_or(costs.default_land_value_per_m2)
                    * c.area_m2
            }
        };
        money += m;
        money_mag += m.abs();
        let construction = c.origin.is_construction_land();
        let d = match u {
            Use::Ecological if construction => -ha,
            Use::Green | Use::Cultural if !construction => ha,
            _ => 0.0,
        };
        delta += d;
        delta_mag += d.abs();
    }
    let mut objective: f64 = benefit.iter().sum();
    for p in &inst.pairs {
        let u = uses[p.a];
        if u == uses[p.b] && u != Use::Keep && p.shared_len_m > 0.0 {
            let per = inst.candidates[p.a]
                .perimeter_m
                .min(inst.candidates[p.b].perimeter_m);
            objective += inst.lambda * benefit[p.a].min(benefit[p.b]) * p.shared_len_m / per;
        }
    }
    let within = |lhs: f64, rhs: f64, mag: f64| lhs - rhs <= 1e-9 * (rhs.abs() + mag).max(1.0);
    let converted = area[1] + area[2] + area[3] + area[4];
    if !within(converted, inst.cap_ha, area_mag) {
        return Err(format!("converted {converted} ha > cap {} ha", inst.cap_ha));
    }
    for &(u, b) in &inst.bounds {
        let limit = b.limit_ha(inst.cap_ha);
        let a = area[u as usize];
        let ok = match b.kind {
            BoundKind::Min => within(limit, a, a),
            BoundKind::Max => within(a, limit, a),
        };
        if !ok {
            return Err(format!("{u} area {a} ha breaks {:?} {limit} ha", b.kind));
        }
    }
    if let Some((before, target)) = inst.construction {
        if !within(before + delta, target, delta_mag) {
            return Err(format!(
                "construction land {} ha > target {target} ha",
                before + delta
            ));
        }
    }
    if let Some((amount, _)) = inst.budget {
        if !within(money, amount, money_mag) {
            return Err(format!("net cost {money} > budget {amount}"));
        }
    }
    Ok(Recomputed {
        objective,
        area_ha: area,
    })
}

/// Checks a solved plan against both `evaluate` and the recomputation.
fn check_plan(
    inst: &Instance,
    problem: &landstock::Problem,
    plan: &landstock::Plan,
) -> Result<(), TestCaseError> {
    let e = evaluate(problem, &plan.uses);
    prop_assert!(e.is_feasible(), "evaluate: {:?}", e.violations);
    let r = recompute(inst, &plan.uses).map_err(TestCaseError::fail)?;
    let tol = 1e-9 * r.objective.abs().max(1.0);
    prop_assert!(
        (plan.objective - r.objective).abs() <= tol,
        "objective {} vs recomputed {}",
        plan.objective,
        r.objective
    );
    for u in Use::ALL {
        let got = plan.area_ha.get(u);
        prop_assert!(
            (got - r.area_ha[u as usize]).abs() <= 1e-9 * got.abs().max(1.0),
            "{u}: {got} ha vs recomputed {} ha",
            r.area_ha[u as usize]
        );
    }
    prop_assert!(plan.bound >= plan.objective - tol, "bound below objective");
    prop_assert!((0.0..=1.0).contains(&plan.gap), "gap {}", plan.gap);
    Ok(())
}

/// Runs `cases` cases of a property, reporting how many ran.
fn run<S: Strategy>(
    name: &str,
    cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let ran = AtomicUsize::new(0);
    let seed = test_seed();
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        PtConfig {
            cases,
            failure_persistence: None,
            ..PtConfig::default()
        },
        TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
    );
    let started = std::time::Instant::now();
    let result = runner.run(&strategy, |v| {
        ran.fetch_add(1, Ordering::Relaxed);
        test(v)
    });
    eprintln!(
        "{name}: {} cases (LANDSTOCK_TEST_SEED={seed}) in {:.1} s",
        ran.load(Ordering::Relaxed),
        started.elapsed().as_secs_f64()
    );
    if let Err(e) = result {
        panic!("{name} (LANDSTOCK_TEST_SEED={seed}): {e}");
    }
}

/// The seed of the property runs: `LANDSTOCK_TEST_SEED` (a number, or
/// `random`), else a fixed one.
fn test_seed() -> u64 {
    match std::env::var("LANDSTOCK_TEST_SEED").ok().as_deref() {
        None | Some("") => 1959,
        Some("random") => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1),
        Some(s) => s
            .parse()
            .unwrap_or_else(|_| panic!("LANDSTOCK_TEST_SEED={s:?}: a number or `random`")),
    }
}

#[test]
fn exact_and_fast_plans_never_break_a_rule_and_bracket_the_optimum() {
    let tallies = [
        AtomicUsize::new(0), // exact optimal
        AtomicUsize::new(0), // infeasible
        AtomicUsize::new(0), // fast missed a feasible plan
    ];
    run(
        "exact_and_fast_plans_bracket",
        1500,
        instance_strategy(1..=12),
        |inst| {
            let exact_problem = inst
                .problem(Solver::Exact {
                    time_limit_s: 30.0,
                    gap: 0.0,
                })
                .map_err(|e| TestCaseError::fail(format!("build: {e}")))?;
            let fast_problem = inst.problem(Solver::Fast).expect("built once already");
            match (exact_problem.solve(), fast_problem.solve()) {
                (Ok(exact), fast) => {
                    tallies[0].fetch_add(1, Ordering::Relaxed);
                    // `Method::Fast` when the fast plan's own bound already proves it optimal
                    prop_assert!(exact.gap <= 1e-9, "gap {} with gap 0 asked", exact.gap);
                    check_plan(&inst, &exact_problem, &exact)?;
                    let tol = 1e-9 * exact.objective.abs().max(1.0);
                    match fast {
                        Ok(fast) => {
                            check_plan(&inst, &fast_problem, &fast)?;
                            prop_assert_eq!(fast.method, Method::Fast);
                            prop_assert!(
                                fast.objective <= exact.objective + tol,
                                "fast {} > exact optimum {}",
                                fast.objective,
                                exact.objective
                            );
                            prop_assert!(
                                fast.bound >= exact.objective - tol,
                                "fast bound {} < exact optimum {}",
                                fast.bound,
                                exact.objective
                            );
                        }
                        Err(PlanError::NoPlanFound { .. }) => {
                            tallies[2].fetch_add(1, Ordering::Relaxed);
                        }
                        Err(e) => return Err(TestCaseError::fail(format!("fast: {e}"))),
                    }
                }
                (Err(PlanError::Infeasible { conflicts }), fast) => {
                    tallies[1].fetch_add(1, Ordering::Relaxed);
                    prop_assert!(!conflicts.is_empty());
                    prop_assert!(
                        fast.is_err(),
                        "fast found a plan the exact solver says is infeasible"
                    );
                }
                (Err(e), _) => return Err(TestCaseError::fail(format!("exact: {e}"))),
            }
            Ok(())
        },
    );
    let [solved, infeasible, missed] = tallies.map(|t| t.into_inner());
    eprintln!("  {solved} solved, {infeasible} infeasible, fast missed {missed}");
    // The generator exercises both outcomes; the heuristic rarely misses.
    assert!(
        solved > 40 && infeasible > 0,
        "{solved} solved, {infeasible} infeasible"
    );
    assert!(
        missed * 100 <= solved * 5,
        "fast missed {missed} of {solved}"
    );
}

#[test]
fn fast_plans_never_break_a_rule_on_larger_random_instances() {
    let solved = AtomicUsize::new(0);
    run(
        "fast_plans_on_larger_instances",
        500,
        instance_strategy(30..=150),
        |inst| {
            let problem = inst
                .problem(Solver::Fast)
                .map_err(|e| TestCaseError::fail(format!("build: {e}")))?;
            match problem.solve() {
                Ok(plan) => {
                    solved.fetch_add(1, Ordering::Relaxed);
                    check_plan(&inst, &problem, &plan)
                }
                Err(PlanError::Infeasible { conflicts }) => {
                    prop_assert!(!conflicts.is_empty());
                    Ok(())
                }
                Err(PlanError::NoPlanFound { .. }) => Ok(()),
                Err(e) => Err(TestCaseError::fail(format!("fast: {e}"))),
            }
        },
    );
    let solved = solved.into_inner();
    eprintln!("  {solved} solved");
    assert!(solved > 50, "only {solved} instances had a plan");
}

// ---------------------------------------------------------------- scores

/// A random scoring configuration: weights, switches and radii.
fn scoring_strategy() -> impl Strategy<Value = [f64; 8]> {
    [
        0.0..2.0f64,
        0.0..2.0f64,
        0.0..2.0f64,
        0.0..2.0f64,
        0.0..2.0f64,
        0.0..2.0f64,
        0.0..2000.0f64,
        0.0..2000.0f64,
    ]
}

static SCORED: AtomicUsize = AtomicUsize::new(0);

#[test]
fn scores_stay_in_unit_range_on_random_cities_and_settings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let base = Config::load(root.join("fixtures/city.toml")).unwrap();
    let opts = IngestOptions::from_config(&base).unwrap();
    run(
        "scores_in_unit_range",
        200,
        (any::<u64>(), 150usize..400, scoring_strategy()),
        |(seed, n, w)| {
            let mut params = CityParams::with_parcels(n);
            params.seed = seed;
            let mut text = Vec::new();
            write_parcels_geojson(&params, &mut text).unwrap();
            let got = read_geojson(&text[..], "synth.geojson", &opts).unwrap();
            let mut s = base.scoring.clone();
            s.green.unserved_demand.weight = w[0];
            s.green.size_fit.weight = w[1] + 0.01; // keeps every use's weights positive
            s.ecological.adjacency.weight = w[2];
            s.ecological.size.weight = w[3] + 0.01;
            s.cultural.heritage.weight = w[4] + 0.01;
            s.cultural.cluster.weight = w[5];
            s.green.unserved_demand.radius_m = w[6];
            s.cultural.cluster.radius_m = w[7];
            s.cultural.transit.enabled = seed % 2 == 0;
            s.validate().unwrap();
            let cx = Context::new(&got.stock, &ContextOptions::default());
            let layers = Layers::new(&got.stock, &cx);
            let cands = Candidates::of(&got.stock);
            let sheet = Scorer::new(&s, &layers)
                .score(&layers, cands.indices())
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(!cands.is_empty(), "a city of {} parcels has candidates", n);
            prop_assert_eq!(sheet.rows().len(), cands.len());
            SCORED.fetch_add(sheet.rows().len(), Ordering::Relaxed);
            for row in sheet.rows() {
                for u in TargetUse::ALL {
                    let Some(us) = row.get(u) else { continue };
                    prop_assert!((0.0..=1.0).contains(&us.score), "{u} score {}", us.score);
                    for &v in &us.value {
                        prop_assert!((0.0..=1.0).contains(&v), "{u} value {v}");
                    }
                }
            }
            Ok(())
        },
    );
    eprintln!("  {} candidates scored", SCORED.load(Ordering::Relaxed));
}

// ---------------------------------------------------------------- ingest

/// A feature in a random collection, with the outcome SPEC §2 gives it.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// A square in its own grid cell: accepted.
    Valid,
    /// The same square with its ring left open: repaired (closed).
    Unclosed,
    /// A bow-tie: repaired (made valid).
    BowTie,
    /// A point: rejected, non-polygon.
    Point,
    /// `"geometry": null`: rejected, missing geometry.
    NullGeometry,
    /// Longitude 200: rejected.
    LonOutOfRange,
    /// `"properties": "x"`: rejected, invalid feature.
    PropertiesNotObject,
    /// The feature is the number 7: rejected, invalid feature.
    NotAnObject,
    /// A collinear ring: rejected, zero area.
    ZeroArea,
    /// The id of an earlier valid feature: rejected, duplicate id.
    DuplicateId,
    /// The geometry of an earlier valid feature: rejected, duplicate geometry.
    DuplicateGeometry,
}

impl Kind {
    const ALL: [Kind; 11] = [
        Kind::Valid,
        Kind::Unclosed,
        Kind::BowTie,
        Kind::Point,
        Kind::NullGeometry,
        Kind::LonOutOfRange,
        Kind::PropertiesNotObject,
        Kind::NotAnObject,
        Kind::ZeroArea,
        Kind::DuplicateId,
        Kind::DuplicateGeometry,
    ];
}

/// Outcome a feature should get: accepted, repaired, or rejected with a code.
#[derive(Debug, PartialEq)]
enum Expected {
    Accepted,
    Repaired,
    Rejected(&'static str),
}

fn square(cell: usize, d: f64) -> [(f64, f64); 4] {
    let (x, y) = (
        125.0 + (cell % 40) as f64 * 0.002,
        46.6 + (cell / 40) as f64 * 0.002,
    );
    [(x, y), (x + d, y), (x + d, y + d), (x, y + d)]
}

fn ring(pts: &[(f64, f64)], close: bool) -> String {
    let mut v: Vec<String> = pts.iter().map(|(x, y)| format!("[{x},{y}]")).collect();
    if close {
        v.push(v[0].clone());
    }
    format!("[{}]", v.join(","))
}

fn polygon(r: &str) -> String {
    format!(r#"{{"type":"Polygon","coordinates":[{r}]}}"#)
}

/// Builds the collection text and the expected outcome of each feature.
fn collection(kinds: &[Kind]) -> (String, Vec<Expected>) {
    let mut feats = Vec::new();
    let mut expected = Vec::new();
    let mut valid: Vec<(String, String)> = Vec::new(); // (id, geometry) of accepted squares
    for (i, &kind) in kinds.iter().enumerate() {
        let id = format!("f{i}");
        let sq = square(i, 0.001);
        let feature = |id: &str, geometry: &str| {
            format!(
                r#"{{"type":"Feature","id":"{id}","properties":{{"n":{i}}},"geometry":{geometry}}}"#
            )
        };
        let (text, outcome) = match kind {
            Kind::Valid => {
                let g = polygon(&ring(&sq, true));
                valid.push((id.clone(), g.clone()));
                (feature(&id, &g), Expected::Accepted)
            }
            Kind::Unclosed => (
                feature(&id, &polygon(&ring(&sq, false))),
                Expected::Repaired,
            ),
            Kind::BowTie => {
                let [a, b, c, d] = sq;
                (
                    feature(&id, &polygon(&ring(&[a, c, b, d], true))),
                    Expected::Repaired,
                )
            }
            Kind::Point => (
                feature(
                    &id,
                    &format!(
                        r#"{{"type":"Point","coordinates":[{},{}]}}"#,
                        sq[0].0, sq[0].1
                    ),
                ),
                Expected::Rejected("non_polygon_geometry"),
            ),
            Kind::NullGeometry => (feature(&id, "null"), Expected::Rejected("missing_geometry")),
            Kind::LonOutOfRange => {
                let shifted: Vec<(f64, f64)> = sq.iter().map(|&(x, y)| (x + 75.0, y)).collect();
                (
                    feature(&id, &polygon(&ring(&shifted, true))),
                    Expected::Rejected("lon_lat_out_of_range"),
                )
            }
            Kind::PropertiesNotObject => (
                format!(
                    r#"{{"type":"Feature","id":"{id}","properties":"x","geometry":{}}}"#,
                    polygon(&ring(&sq, true))
                ),
                Expected::Rejected("invalid_feature"),
            ),
            Kind::NotAnObject => ("7".to_string(), Expected::Rejected("invalid_feature")),
            Kind::ZeroArea => {
                let [a, b, ..] = sq;
                let mid = ((a.0 + b.0) / 2.0, a.1);
                (
                    feature(&id, &polygon(&ring(&[a, mid, b], true))),
                    Expected::Rejected("zero_area"),
                )
            }
            Kind::DuplicateId => match valid.first() {
                Some((first, _)) => (
                    feature(first, &polygon(&ring(&sq, true))),
                    Expected::Rejected("duplicate_id"),
                ),
                None => {
                    let g = polygon(&ring(&sq, true));
                    valid.push((id.clone(), g.clone()));
                    (feature(&id, &g), Expected::Accepted)
                }
            },
            Kind::DuplicateGeometry => match valid.last() {
                Some((_, g)) => (feature(&id, g), Expected::Rejected("duplicate_geometry")),
                None => {
                    let g = polygon(&ring(&sq, true));
                    valid.push((id.clone(), g.clone()));
                    (feature(&id, &g), Expected::Accepted)
                }
            },
        };
        feats.push(text);
        expected.push(outcome);
    }
    (
        format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}\n",
            feats.join(",\n")
        ),
        expected,
    )
}

#[test]
fn every_input_feature_is_accepted_repaired_or_rejected_exactly_once() {
    let kinds = proptest::collection::vec(
        prop_oneof![
            6 => Just(Kind::Valid),
            6 => (1..Kind::ALL.len()).prop_map(|k| Kind::ALL[k]),
        ],
        0..60,
    );
    run("every_feature_accounted_for", 1000, kinds, |kinds| {
        let (text, expected) = collection(&kinds);
        let any_kept = expected
            .iter()
            .any(|e| matches!(e, Expected::Accepted | Expected::Repaired));
        let got = match read_geojson(text.as_bytes(), "random.geojson", &IngestOptions::default()) {
            Ok(got) => got,
            Err(e) => match e.kind() {
                ErrorKind::NoParcels { features, .. } => {
                    prop_assert!(!any_kept, "{e}");
                    prop_assert_eq!(*features, kinds.len());
                    return Ok(());
                }
                _ => return Err(TestCaseError::fail(format!("{e}"))),
            },
        };
        let r = &got.report;
        prop_assert_eq!(r.total, kinds.len());
        prop_assert_eq!(r.accepted + r.repaired + r.rejected, r.total);
        prop_assert_eq!(r.rejections.len(), r.rejected);
        prop_assert_eq!(r.repairs.len(), r.repaired);
        prop_assert_eq!(got.stock.len(), r.accepted + r.repaired);
        let rejected: BTreeSet<usize> = r.rejections.iter().map(|x| x.index).collect();
        prop_assert_eq!(
            rejected.len(),
            r.rejections.len(),
            "an index rejected twice"
        );
        let repaired: BTreeSet<usize> = r.repairs.iter().map(|x| x.index).collect();
        prop_assert_eq!(repaired.len(), r.repairs.len(), "an index repaired twice");
        prop_assert!(rejected.is_disjoint(&repaired));
        for (i, want) in expected.iter().enumerate() {
            let got = if let Some(x) = r.rejections.iter().find(|x| x.index == i) {
                Expected::Rejected(x.reason.code())
            } else if repaired.contains(&i) {
                Expected::Repaired
            } else {
                Expected::Accepted
            };
            prop_assert_eq!(&got, want, "feature {} ({:?})", i, kinds[i]);
        }
        Ok(())
    });
}

#[test]
fn a_truncated_collection_is_a_typed_error_never_a_partial_result() {
    let (text, _) = collection(&[Kind::Valid, Kind::Point, Kind::Unclosed, Kind::Valid]);
    let body_end = text.trim_end().len();
    run(
        "truncated_collection",
        400,
        0..body_end,
        |cut| match read_geojson(
            &text.as_bytes()[..cut],
            "cut.geojson",
            &IngestOptions::default(),
        ) {
            Ok(got) => Err(TestCaseError::fail(format!(
                "cut at {cut} of {body_end}: {} parcels",
                got.stock.len()
            ))),
            Err(e) => {
                prop_assert!(
                    matches!(e.kind(), ErrorKind::Malformed { .. }),
                    "cut at {}: {}",
                    cut,
                    e
                );
                prop_assert!(e.to_string().contains("cut.geojson"), "{}", e);
                Ok(())
            }
        },
    );
}
