//! The fast solver's quality under a budget financed by auctions, with
//! bounds and a construction-land target: against brute force on small
//! random instances and against the exact solver (HiGHS, gap 0) on medium
//! ones, all from fixed seeds.

use crate::plan::tests::{brute_force, random_instance, reference_objective, Instance, Rng};
use crate::plan::{evaluate, Bound, PlanError, Solver, Use};

/// A random instance with every limit: a budget that auctions must top up,
/// a bound on a use, and (most of the time) a construction-land target.
fn budgeted_instance(seed: u64, n: usize) -> Instance {
    let mut rng = Rng(seed);
    let mut inst = random_instance(&mut rng, n);
    let full: f64 = inst.candidates.iter().map(|c| 400.0 * c.area_m2).sum();
    inst.budget = Some(rng.range(0.02, 0.4) * full);
    if inst.bounds.is_empty() {
        let u = [Use::Green, Use::Ecological, Use::Cultural][rng.below(3)];
        let b = if rng.chance(0.5) {
            Bound::min_share(rng.range(0.05, 0.3))
        } else {
            Bound::max_share(rng.range(0.2, 0.7))
        };
        inst.bounds.push((u, b));
    }
    if inst.construction.is_none() && rng.chance(0.7) {
        let total_ha: f64 = inst.candidates.iter().map(|c| c.area_m2 / 1e4).sum();
        let before = 100.0 + total_ha;
        inst.construction = Some((before, before - rng.range(0.0, 0.3) * inst.cap_ha));
    }
    inst
}

/// The fast plan's objective over the optimum, and whether the fast solver
/// found a plan; `None` when the instance is infeasible.
fn ratio(inst: &Instance, optimum: Option<f64>, seed: u64) -> Option<(f64, bool)> {
    let best = optimum?;
    let problem = inst.problem(Solver::Fast).expect("valid instance");
    match problem.solve() {
        Ok(plan) => {
            assert!(
                plan.objective <= best + 1e-9 * best.abs().max(1.0),
                "seed {seed}"
            );
            assert!(
                plan.bound >= best - 1e-9 * best.abs().max(1.0),
                "seed {seed}: bound"
            );
            assert!(
                reference_objective(inst, &plan.uses).is_some(),
                "seed {seed}"
            );
            assert!(evaluate(&problem, &plan.uses).is_feasible(), "seed {seed}");
            Some((
                if best > 1e-12 {
                    plan.objective / best
                } else {
                    1.0
                },
                true,
            ))
        }
        Err(PlanError::NoPlanFound { .. }) => Some((0.0, false)),
        Err(e) => panic!("seed {seed}: {e:?}"),
    }
}

#[test]
fn fast_solver_averages_99_5_percent_of_brute_force_under_a_budget_on_small_instances() {
    let (mut worst, mut sum, mut count, mut missed) = (1.0f64, 0.0, 0, 0);
    for seed in 0..120u64 {
        let inst = budgeted_instance(1000 + seed, 7);
        let Some((r, found)) = ratio(&inst, brute_force(&inst), seed) else {
            continue;
        };
        if !found {
            missed += 1;
            continue;
        }
        if r < 0.995 {
            eprintln!("seed {seed}: fast reaches {:.4}% of brute force", 100.0 * r);
        }
        worst = worst.min(r);
        sum += r;
        count += 1;
    }
    eprintln!(
        "{count} feasible budgeted instances of 7 candidates: worst {:.4}%, mean {:.4}%, {missed} missed",
        100.0 * worst,
        100.0 * sum / count as f64
    );
    assert!(count >= 60, "{count} feasible");
    assert!(missed * 100 <= count * 3, "fast missed {missed} of {count}");
    // one parcel of seven is a large share of any plan: the mean holds
    // 99.5 %, the worst case (seed 92 at the last measure: 95.96 %) less
    assert!(sum / count as f64 >= 0.995, "mean {}", sum / count as f64);
    assert!(worst >= 0.95, "worst {worst}");
}

#[test]
fn fast_solver_averages_99_5_percent_of_exact_under_a_budget_on_medium_instances() {
    let (mut worst, mut sum, mut count) = (1.0f64, 0.0, 0);
    for seed in 0..24u64 {
        let inst = budgeted_instance(5000 + seed, 30);
        let exact = inst
            .problem(Solver::Exact {
                time_limit_s: 30.0,
                gap: 0.0,
            })
            .expect("valid instance")
            .solve();
        let optimum = match exact {
            Ok(plan) if plan.gap <= 1e-6 => Some(plan.objective),
            Ok(_) => continue, // not proven optimal in time
            Err(_) => None,
        };
        let Some((r, found)) = ratio(&inst, optimum, seed) else {
            continue;
        };
        assert!(found, "seed {seed}: the fast solver found no plan");
        eprintln!("seed {seed}: fast reaches {:.4}% of exact", 100.0 * r);
        worst = worst.min(r);
        sum += r;
        count += 1;
    }
    eprintln!(
        "{count} feasible budgeted instances of 30 candidates: worst {:.4}%, mean {:.4}%",
        100.0 * worst,
        100.0 * sum / count as f64
    );
    assert!(count >= 12, "{count} feasible");
    // 30 candidates are still lumpy: the mean holds 99.5 %, the worst case
    // (seed 19 at the last measure: 98.66 %, a trade of more than three
    // moves) less
    assert!(sum / count as f64 >= 0.995, "mean {}", sum / count as f64);
    assert!(worst >= 0.985, "worst {worst}");
}
