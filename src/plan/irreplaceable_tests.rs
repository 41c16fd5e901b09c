//! Irreplaceability against brute force: on small random instances with
//! every constraint type (the planner tests' generator), each parcel's
//! value must equal the best of all 5^n assignments with the lock added,
//! scored by the tests' own reference evaluation (SPEC §5), not the model.
//! The seed is fixed; `LANDSTOCK_TEST_SEED` tries others.

use super::robust_tests::Rng as SeededRng;
use super::tests::{brute_force, random_instance, reference_objective, Instance, Rng};
use super::*;
use crate::LandUse;

const INSTANCES: usize = 60;

fn exact0() -> Solver {
    Solver::Exact {
        time_limit_s: 30.0,
        gap: 0.0,
    }
}

fn at_gap_0() -> IrreplaceableOptions {
    IrreplaceableOptions {
        gap: Some(0.0),
        ..IrreplaceableOptions::default()
    }
}

/// The optimum with candidate `i` locked (`Lock::Out` or `Lock::In(u)`), by brute force.
fn locked_optimum(inst: &Instance, i: usize, lock: Lock) -> Option<f64> {
    let mut with = inst.clone();
    with.candidates[i].lock = Some(lock);
    brute_force(&with)
}

/// The uses a left-out parcel is locked in to: open to it (as the
/// reference evaluation decides) with a score above zero.
fn lock_in_uses(inst: &Instance, i: usize) -> Vec<Use> {
    let c = &inst.candidates[i];
    let industrial = matches!(c.origin, LandUse::Industrial | LandUse::Logistics);
    [Use::Green, Use::Ecological, Use::Cultural]
        .into_iter()
        .filter(|&u| c.scores.get(u).is_some_and(|s| s > 0.0))
        .filter(|&u| u != Use::Cultural || industrial)
        .collect()
}

#[test]
fn each_parcels_value_equals_the_brute_force_optimum_with_it_locked_out_or_in() {
    let mut seeds = SeededRng::seeded(1818);
    let (mut solved, mut chosen, mut left_out, mut essential) = (0, 0, 0, 0);
    for case in 0..INSTANCES {
        let seed = seeds.next_u64();
        let n = 2 + case % 5;
        let inst = random_instance(&mut Rng(seed), n);
        let Ok(problem) = inst.problem(exact0()) else {
            continue;
        };
        let Ok(plan) = problem.solve() else {
            continue;
        };
        let optimum = brute_force(&inst).expect("the solver found a plan");
        let tol = 1e-6 * optimum.abs().max(1.0);
        assert!((plan.objective - optimum).abs() < tol, "seed {seed}");
        solved += 1;
        let opts = IrreplaceableOptions {
            left_out: usize::MAX,
            only: None,
            gap: Some(0.0),
        };
        let irr = irreplaceability(&problem, &plan, &opts).unwrap();
        // every free converted parcel and every free kept one with something to gain
        let expected: Vec<usize> = (0..n)
            .filter(|&i| inst.candidates[i].lock.is_none())
            .filter(|&i| plan.uses[i].is_conversion() || !lock_in_uses(&inst, i).is_empty())
            .collect();
        let mut tested: Vec<usize> = irr.parcels.iter().map(|v| v.index).collect();
        tested.sort();
        assert_eq!(tested, expected, "seed {seed}");
        for v in &irr.parcels {
            let i = v.index;
            let brute = match v.role {
                Role::Chosen => {
                    assert!(plan.uses[i].is_conversion());
                    chosen += 1;
                    locked_optimum(&inst, i, Lock::Out)
                }
                Role::LeftOut => {
                    assert_eq!(plan.uses[i], Use::Keep);
                    left_out += 1;
                    lock_in_uses(&inst, i)
                        .into_iter()
                        .filter_map(|u| locked_optimum(&inst, i, Lock::In(u)))
                        .reduce(f64::max)
                }
            };
            match brute {
                None => {
                    assert_eq!(v.resolve, ReSolve::Infeasible, "seed {seed} {}", v.id);
                    assert_eq!(v.delta, None);
                    essential += usize::from(v.role == Role::Chosen);
                    assert_eq!(v.is_irreplaceable(), v.role == Role::Chosen);
                }
                Some(z) => {
                    assert_eq!(v.resolve, ReSolve::Solved, "seed {seed} {}", v.id);
                    let d = v.delta.unwrap();
                    assert!((d - (z - optimum)).abs() < tol, "seed {seed} {}: {d}", v.id);
                    // at gap 0 the proven interval is the value itself
                    assert!((v.delta_lo.unwrap() - d).abs() < tol, "seed {seed}");
                    assert!(
                        (v.delta_hi.unwrap() - d).abs() < tol,
                        "seed {seed} {v:?} plan {} bound {}",
                        plan.objective,
                        plan.bound
                    );
                    assert!(d <= tol, "a lock never helps an optimal plan");
                    if let Some(u) = v.locked_as {
                        let mut with = inst.clone();
                        with.candidates[i].lock = Some(Lock::In(u));
                        assert_eq!(v.role, Role::LeftOut);
                        assert!(brute_force(&with).is_some_and(|b| (b - z).abs() < tol));
                    }
                }
            }
        }
        // most needed first: chosen before left out, losses largest first
        let roles: Vec<Role> = irr.parcels.iter().map(|v| v.role).collect();
        let first_left = roles.iter().position(|&r| r == Role::LeftOut);
        if let Some(f) = first_left {
            assert!(
                roles[f..].iter().all(|&r| r == Role::LeftOut),
                "seed {seed}"
            );
        }
        let deltas: Vec<f64> = irr
            .parcels
            .iter()
            .filter(|v| v.role == Role::Chosen)
            .filter_map(|v| v.delta)
            .collect();
        assert!(deltas.windows(2).all(|w| w[0] <= w[1]), "seed {seed}");
        // the reference agrees with the plan it started from
        assert!(reference_objective(&inst, &plan.uses).is_some());
    }
    assert!(solved >= INSTANCES / 3, "{solved} instances solved");
    assert!(
        chosen > 20 && left_out > 10,
        "{chosen} chosen, {left_out} left out"
    );
    let _ = essential;
}

/// Three lots, room for two: hand-worked values and their order.
#[test]
fn without_the_best_lot_the_third_takes_its_place_at_a_loss_of_the_difference() {
    let g = |s| Scores {
        green: Some(s),
        ..Scores::default()
    };
    let lots = vec![
        Candidate::new("c", 1e4, LandUse::Vacant).with_scores(g(0.6)),
        Candidate::new("b", 1e4, LandUse::Vacant).with_scores(g(0.9)),
        Candidate::new("a", 2e4, LandUse::Vacant).with_scores(g(0.5)),
    ];
    let p = PlanProblem::new(lots, vec![])
        .cap_ha(3.0)
        .bound(Use::Green, Bound::min_ha(2.0))
        .solver(exact0())
        .build()
        .unwrap();
    let plan = p.solve().unwrap();
    // b + a = 0.9 + 1.0 = 1.9 beats b + c (1.5) and a + c (1.6)
    assert_eq!(plan.uses, vec![Use::Keep, Use::Green, Use::Green]);
    let irr = irreplaceability(&p, &plan, &at_gap_0()).unwrap();
    let ids: Vec<&str> = irr.parcels.iter().map(|v| v.id.as_str()).collect();
    // without a: b + c = 1.5 (−0.4); without b: a + c = 1.6 (−0.3);
    // c forced in: c + a = 1.6 (−0.3)
    assert_eq!(ids, vec!["a", "b", "c"]);
    let d: Vec<f64> = irr.parcels.iter().map(|v| v.delta.unwrap()).collect();
    for (got, want) in d.iter().zip([-0.4, -0.3, -0.3]) {
        assert!((got - want).abs() < 1e-9, "{d:?}");
    }
    assert!(irr.parcels[0].is_irreplaceable());
    assert_eq!(irr.parcels[2].locked_as, Some(Use::Green));
}

/// A minimum only one parcel can meet: no plan without it.
#[test]
fn a_parcel_no_plan_can_do_without_comes_first_as_infeasible() {
    let s = |g, e| Scores {
        green: Some(g),
        ecological: e,
        ..Scores::default()
    };
    let lots = vec![
        Candidate::new("big", 4e4, LandUse::Vacant).with_scores(s(0.9, None)),
        Candidate::new("eco", 1e4, LandUse::Vacant).with_scores(s(0.1, Some(0.2))),
    ];
    let p = PlanProblem::new(lots, vec![])
        .cap_ha(5.0)
        .bound(Use::Ecological, Bound::min_ha(1.0))
        .solver(exact0())
        .build()
        .unwrap();
    let plan = p.solve().unwrap();
    let irr = irreplaceability(&p, &plan, &at_gap_0()).unwrap();
    assert_eq!(irr.parcels[0].id.as_str(), "eco");
    assert_eq!(irr.parcels[0].resolve, ReSolve::Infeasible);
    assert!(irr.parcels[0].is_irreplaceable());
    // without big: eco alone, 0.2 of 3.8
    assert!((irr.parcels[1].delta.unwrap() + 3.6).abs() < 1e-9);
}

/// The same values with one thread and with four.
#[test]
fn irreplaceability_is_the_same_whatever_the_thread_count() {
    let mut rng = Rng(77);
    let inst = random_instance(&mut rng, 8);
    let problem = inst.problem(Solver::Fast).unwrap();
    let plan = problem.solve().unwrap();
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| irreplaceability(&problem, &plan, &IrreplaceableOptions::default()))
            .unwrap()
    };
    let one = run(1);
    assert!(!one.parcels.is_empty());
    assert_eq!(one, run(4));
}

/// An index past the candidates is an error, not a panic.
#[test]
fn an_index_out_of_range_is_an_error() {
    let p = PlanProblem::new(vec![Candidate::new("a", 1e4, LandUse::Vacant)], vec![])
        .cap_ha(1.0)
        .build()
        .unwrap();
    let plan = p.solve().unwrap();
    let opts = IrreplaceableOptions {
        left_out: 0,
        only: Some(vec![3]),
        gap: None,
    };
    assert!(irreplaceability(&p, &plan, &opts).is_err());
}
