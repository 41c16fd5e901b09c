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

/// The optimum by HiGHS alone (no fast warm start, whose own search would
/// settle small instances and make the reference the fast solver itself):
/// `Some(None)` when infeasible, `None` when not proven optimal in time.
fn highs_alone(inst: &Instance) -> Option<Option<f64>> {
    let problem = inst
        .problem(Solver::Exact {
            time_limit_s: 30.0,
            gap: 0.0,
        })
        .expect("valid instance");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let m = &problem.model;
    match crate::plan::solvers::exact::solve(&problem, m, deadline, 0.0, None, &problem.runner) {
        Ok((out, _)) => {
            let obj = m.objective(&out.uses);
            (crate::plan::relative_gap(obj, out.bound) <= 1e-6).then_some(Some(obj))
        }
        Err(_) => Some(None),
    }
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
fn fast_solver_finds_and_proves_the_brute_force_optimum_under_a_budget_on_small_instances() {
    // seven candidates are searched whole (`enumerate`): the fast plan is
    // the optimum and its bound equals it (it was 95.96 % at worst, seed 92,
    // before the search)
    let (mut worst, mut count) = (1.0f64, 0);
    for seed in 0..120u64 {
        let inst = budgeted_instance(1000 + seed, 7);
        let Some((r, found)) = ratio(&inst, brute_force(&inst), seed) else {
            continue;
        };
        assert!(
            found,
            "seed {seed}: feasible, and the fast solver found no plan"
        );
        let plan = inst
            .problem(Solver::Fast)
            .expect("valid")
            .solve()
            .expect("a plan");
        assert!(
            (plan.bound - plan.objective).abs() <= 1e-12 * plan.objective.abs().max(1.0),
            "seed {seed}: bound {} above objective {}",
            plan.bound,
            plan.objective
        );
        worst = worst.min(r);
        count += 1;
    }
    eprintln!(
        "{count} feasible budgeted instances of 7 candidates: worst {:.6}%",
        100.0 * worst
    );
    assert!(count >= 60, "{count} feasible");
    assert!(worst >= 1.0 - 1e-9, "worst {worst}");
}

#[test]
fn fast_solver_finds_and_proves_the_highs_optimum_under_a_budget_on_30_candidates() {
    let (mut worst, mut sum, mut count, mut proven_count) = (1.0f64, 0.0, 0, 0);
    for seed in 0..24u64 {
        let inst = budgeted_instance(5000 + seed, 30);
        let optimum = match highs_alone(&inst) {
            Some(Some(objective)) => Some(objective),
            Some(None) => None,
            None => continue, // not proven optimal in time
        };
        let Some((r, found)) = ratio(&inst, optimum, seed) else {
            continue;
        };
        assert!(found, "seed {seed}: the fast solver found no plan");
        let plan = inst
            .problem(Solver::Fast)
            .expect("valid")
            .solve()
            .expect("a plan");
        let proven = plan.bound <= plan.objective + 1e-12 * plan.objective.abs().max(1.0);
        proven_count += usize::from(proven);
        eprintln!(
            "seed {seed}: fast reaches {:.4}% of HiGHS (proven: {proven})",
            100.0 * r
        );
        worst = worst.min(r);
        sum += r;
        count += 1;
    }
    eprintln!(
        "{count} feasible budgeted instances of 30 candidates: worst {:.4}%, mean {:.4}%, {proven_count} proven",
        100.0 * worst,
        100.0 * sum / count as f64
    );
    assert!(count >= 12, "{count} feasible");
    // 30 free candidates are searched whole within the node budget (before
    // the search: mean 99.9 %, worst 98.66 %, seed 19)
    assert_eq!(proven_count, count, "every plan proven optimal");
    assert!(worst >= 1.0 - 1e-9, "worst {worst}");
}
