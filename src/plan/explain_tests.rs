//! Explanation and scenario tests: every "what stopped it" reason on a
//! hand-built case, marginal values against brute-force finite differences,
//! scenario tables independent of the thread count.

use super::tests::{brute_force, random_instance, Rng};
use super::*;
use crate::LandUse;

fn green(id: &str, ha: f64, score: f64) -> Candidate {
    Candidate::new(id, ha * 1e4, LandUse::Vacant).with_scores(Scores {
        green: Some(score),
        ..Scores::default()
    })
}

fn solvers() -> [Solver; 2] {
    [
        Solver::Fast,
        Solver::Exact {
            time_limit_s: 30.0,
            gap: 0.0,
        },
    ]
}

/// The stops of candidate `id` when `build` is solved and explained.
fn stops(build: PlanProblem, id: &str) -> Vec<Vec<Stop>> {
    solvers()
        .into_iter()
        .map(|solver| {
            let p = build.clone().solver(solver).build().unwrap();
            let plan = p.solve().unwrap();
            let e = explain(&p, &plan).unwrap();
            let c = e.candidates.iter().find(|c| c.id.as_str() == id).unwrap();
            assert_eq!(c.use_, Use::Keep, "{id} should be left out ({solver:?})");
            c.stopped_by.clone()
        })
        .collect()
}

#[test]
fn cap_stops_the_weaker_lot() {
    let b = PlanProblem::new(vec![green("a", 1.0, 0.9), green("b", 1.0, 0.6)], vec![]).cap_ha(1.5);
    for s in stops(b, "b") {
        assert_eq!(s, vec![Stop::Cap]);
    }
}

#[test]
fn budget_stops_the_park_it_cannot_pay_for() {
    // Each 1 ha park costs 150 × 10,000 = 1.5 M; 2 M pays for one.
    let b = PlanProblem::new(vec![green("a", 1.0, 0.9), green("b", 1.0, 0.6)], vec![])
        .cap_ha(10.0)
        .budget(2e6, Costs::default());
    for s in stops(b, "b") {
        assert_eq!(s, vec![Stop::Budget]);
    }
}

#[test]
fn use_maximum_stops_as_a_quota() {
    let b = PlanProblem::new(vec![green("a", 1.0, 0.9), green("b", 1.0, 0.6)], vec![])
        .cap_ha(10.0)
        .bound(Use::Green, Bound::max_ha(1.5));
    for s in stops(b, "b") {
        assert_eq!(
            s,
            vec![Stop::Quota {
                use_: Use::Green,
                max_ha: 1.5
            }]
        );
    }
}

#[test]
fn construction_target_stops_a_park_on_ecological_land() {
    // A park on ecological land adds 2 ha of construction land; the target
    // allows no growth (100 ha before, 100 ha target).
    let meadow = Candidate::new("meadow", 2e4, LandUse::Ecological).with_scores(Scores {
        green: Some(0.8),
        ..Scores::default()
    });
    let b = PlanProblem::new(vec![meadow, green("a", 1.0, 0.5)], vec![])
        .cap_ha(10.0)
        .construction_target_ha(100.0, 100.0);
    for s in stops(b, "meadow") {
        assert_eq!(s, vec![Stop::ConstructionTarget]);
    }
}

#[test]
fn lock_out_and_ineligible_best_use_are_named() {
    let b = PlanProblem::new(
        vec![
            green("locked", 1.0, 0.9).with_lock(Lock::Out),
            // Cultural is open only to industrial/logistics origins.
            Candidate::new("shop", 1e4, LandUse::Vacant).with_scores(Scores {
                cultural: Some(0.9),
                ..Scores::default()
            }),
            green("a", 1.0, 0.5),
        ],
        vec![],
    )
    .cap_ha(10.0);
    for s in stops(b.clone(), "locked") {
        assert_eq!(s, vec![Stop::Lock]);
    }
    for s in stops(b, "shop") {
        assert_eq!(
            s,
            vec![Stop::Ineligible {
                use_: Use::Cultural
            }]
        );
    }
}

#[test]
fn better_neighbour_took_the_room_with_its_adjacency_bonus() {
    // A — B — C in a row, 1 ha each (perimeter 400 m), sharing 100 m edges;
    // the cap lets two in. Alone C (0.85) beats B (0.8), but with λ = 1
    // A + B earn 1 × min(0.9, 0.8) × 100 / 400 = 0.2: A + B = 1.9 beats
    // A + C = 1.75 and B + C = 1.85.
    let pairs = vec![
        TouchingPair {
            a: 0,
            b: 1,
            shared_len_m: 100.0,
        },
        TouchingPair {
            a: 1,
            b: 2,
            shared_len_m: 100.0,
        },
    ];
    let b = PlanProblem::new(
        vec![
            green("A", 1.0, 0.9),
            green("B", 1.0, 0.8),
            green("C", 1.0, 0.85),
        ],
        pairs,
    )
    .cap_ha(2.0)
    .adjacency_lambda(1.0);
    for s in stops(b, "C") {
        assert_eq!(s, vec![Stop::Cap, Stop::BetterNeighbour { id: "B".into() }]);
    }
}

#[test]
fn a_lot_that_fits_but_was_left_out_is_not_found() {
    let p = PlanProblem::new(vec![green("a", 1.0, 0.9), green("b", 1.0, 0.6)], vec![])
        .cap_ha(10.0)
        .build()
        .unwrap();
    let mut plan = p.solve().unwrap();
    assert_eq!(plan.uses, vec![Use::Green, Use::Green]);
    // A plan that stops short (as a heuristic might): b fits every constraint.
    plan.uses[1] = Use::Keep;
    let e = explain(&p, &plan).unwrap();
    assert_eq!(e.candidates[1].stopped_by, vec![Stop::NotFound]);
    assert!(e.candidates[0].stopped_by.is_empty());
    assert_eq!(e.candidates[1].best_use, Some(Use::Green));
    assert_eq!(e.candidates[1].best_score, Some(0.6));
}

/// Marginal values against brute force: `(best(limit + δ) − best(limit)) / δ`
/// by enumeration, on the instances where both are feasible. Tolerance
/// 1e-9 × max(1, |objective|) on the difference, as in the solver tests.
#[test]
fn marginal_values_match_brute_force_finite_differences_on_random_instances() {
    let (mut caps, mut budgets) = (0, 0);
    for seed in 0..120u64 {
        let mut rng = Rng(7000 + seed);
        let inst = random_instance(&mut rng, 2 + (seed as usize) % 5);
        let exact = Solver::Exact {
            time_limit_s: 30.0,
            gap: 0.0,
        };
        let Ok(problem) = inst.problem(exact) else {
            continue;
        };
        let Ok(plan) = problem.solve() else { continue };
        let e = explain(&problem, &plan).unwrap();
        let base = brute_force(&inst).expect("solved, so feasible");
        let tol = 1e-9 * base.abs().max(1.0);

        let mut raised = inst.clone();
        raised.cap_ha += 1.0;
        match (brute_force(&raised), &e.cap) {
            (Some(plus), Ok(m)) => {
                assert_eq!(m.delta, 1.0);
                assert!(
                    (m.per_unit - (plus - base)).abs() <= tol,
                    "seed {seed}: cap marginal {} vs {}",
                    m.per_unit,
                    plus - base
                );
                caps += 1;
            }
            (None, Err(PlanError::Infeasible { .. })) => {} // a share minimum outgrew the land
            (b, m) => panic!("seed {seed}: brute force {b:?}, marginal {m:?}"),
        }
        if let Some(amount) = inst.budget {
            let m = e
                .budget
                .clone()
                .expect("a budget")
                .expect("more money stays feasible");
            let delta = (0.01 * amount).max(1.0);
            assert_eq!(m.delta, delta);
            let mut raised = inst.clone();
            raised.budget = Some(amount + delta);
            let plus = brute_force(&raised).unwrap();
            assert!(
                (m.per_unit * delta - (plus - base)).abs() <= tol,
                "seed {seed}: budget marginal × δ {} vs {}",
                m.per_unit * delta,
                plus - base
            );
            budgets += 1;
        } else {
            assert!(e.budget.is_none());
        }
    }
    assert!(
        caps >= 40 && budgets >= 20,
        "{caps} cap and {budgets} budget marginals checked"
    );
}

#[test]
fn explanation_reports_the_binding_constraints() {
    let p = PlanProblem::new(vec![green("a", 1.0, 0.9), green("b", 1.0, 0.6)], vec![])
        .cap_ha(1.0)
        .bound(Use::Green, Bound::max_ha(5.0))
        .build()
        .unwrap();
    let plan = p.solve().unwrap();
    let e = explain(&p, &plan).unwrap();
    assert_eq!(e.binding, vec![ConstraintRef::Cap { cap_ha: 1.0 }]);
    assert_eq!(e.constraints.len(), 2);
    let bad = Plan {
        uses: vec![Use::Keep],
        ..plan
    };
    assert!(matches!(explain(&p, &bad), Err(PlanError::Invalid { .. })));
}

#[test]
fn scenario_table_is_the_same_whatever_the_thread_count() {
    let mut rng = Rng(99);
    let mut inst = random_instance(&mut rng, 30);
    inst.bounds.clear();
    inst.construction = None;
    for c in &mut inst.candidates {
        c.lock = None;
    }
    let caps: Vec<f64> = (1..=6).map(|i| inst.cap_ha * i as f64 / 6.0).collect();
    for solver in [
        Solver::Fast,
        Solver::Exact {
            time_limit_s: 60.0,
            gap: 0.0,
        },
    ] {
        let problem = inst.problem(solver).unwrap();
        let pool = |t| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(t)
                .build()
                .unwrap()
        };
        let one = pool(1).install(|| scenarios(&problem, &caps));
        let two = pool(2).install(|| scenarios(&problem, &caps));
        assert_eq!(one.len(), caps.len());
        for (i, (a, b)) in one.iter().zip(&two).enumerate() {
            assert_eq!((a.index, a.cap_ha), (i, Some(caps[i])));
            let (pa, pb) = (a.plan.as_ref().unwrap(), b.plan.as_ref().unwrap());
            assert_eq!(pa.uses, pb.uses);
            assert_eq!(pa.objective.to_bits(), pb.objective.to_bits());
            assert_eq!(pa.bound.to_bits(), pb.bound.to_bits());
            // The same as solving that cap alone.
            let alone = inst
                .problem(solver)
                .unwrap()
                .with_cap_ha(caps[i])
                .unwrap()
                .solve();
            assert_eq!(alone.unwrap().uses, pa.uses);
        }
        if matches!(solver, Solver::Exact { .. }) {
            // Without share bounds or locks a larger cap never lowers the optimum.
            for w in one.windows(2) {
                assert!(w[1].objective().unwrap() >= w[0].objective().unwrap() - 1e-9);
            }
        }
    }
}
