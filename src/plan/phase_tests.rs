//! Phased-plan tests: brute force on tiny random instances (final uses
//! enumerated, then every phase assignment of the conversions), nesting and
//! cash flow recomputed from the candidates, one phase = the plain plan.

use super::tests::{brute_force, random_instance, reference_objective, Instance, Rng};
use super::*;
use crate::LandUse;

/// Random phases for an instance: 2 or 3 caps that split between 60% and
/// 110% of the instance cap, and, with a budget, per-phase money half the time.
fn random_phases(rng: &mut Rng, inst: &Instance) -> Vec<PhaseSpec> {
    let k = 2 + rng.below(2);
    let total = inst.cap_ha * rng.range(0.6, 1.1);
    let shares: Vec<f64> = (0..k).map(|_| rng.range(0.2, 1.0)).collect();
    let sum: f64 = shares.iter().sum();
    let per_phase_money = inst.budget.is_some() && rng.chance(0.5);
    shares
        .iter()
        .map(|s| {
            let mut p = PhaseSpec::new(total * s / sum);
            if per_phase_money {
                let full: f64 = inst.candidates.iter().map(|c| 200.0 * c.area_m2).sum();
                p.budget = Some(if rng.chance(0.3) {
                    0.0
                } else {
                    rng.range(0.0, 0.5) * full
                });
            }
            p
        })
        .collect()
}

/// New money per phase, from the documented rule (not from the solver's code).
fn money_of(inst: &Instance, phases: &[PhaseSpec]) -> Vec<f64> {
    match inst.budget {
        None => vec![0.0; phases.len()],
        Some(b) if phases.iter().all(|p| p.budget.is_none()) => {
            let mut v = vec![0.0; phases.len()];
            v[0] = b;
            v
        }
        Some(_) => phases.iter().map(|p| p.budget.unwrap_or(0.0)).collect(),
    }
}

/// Net money of a candidate's use: cost, or −revenue for an auction.
fn net_money(c: &Candidate, u: Use) -> f64 {
    match u {
        Use::Redevelop => -c.land_value_per_m2.unwrap_or(1500.0) * c.area_m2,
        _ => Costs::default().cost(c, u),
    }
}

fn within(lhs: f64, rhs: f64, mag: f64) -> bool {
    lhs - rhs <= 1e-9 * (rhs.abs() + mag).max(1.0)
}

/// Whether a phase assignment meets every phase cap and never runs out of cash.
fn phases_hold(
    inst: &Instance,
    phases: &[PhaseSpec],
    money: &[f64],
    uses: &[Use],
    phase: &[usize],
) -> bool {
    let k = phases.len();
    let mut area = vec![0.0; k];
    let mut net = vec![0.0; k];
    let mut mag = vec![0.0; k];
    for (i, c) in inst.candidates.iter().enumerate() {
        if uses[i] != Use::Keep {
            area[phase[i]] += c.area_m2 / 1e4;
            net[phase[i]] += net_money(c, uses[i]);
            mag[phase[i]] += net_money(c, uses[i]).abs();
        }
    }
    let (mut cum_net, mut cum_money, mut cum_mag) = (0.0, 0.0, 0.0);
    for t in 0..k {
        if !within(area[t], phases[t].cap_ha, area[t]) {
            return false;
        }
        cum_net += net[t];
        cum_money += money[t];
        cum_mag += mag[t];
        if inst.budget.is_some() && !within(cum_net, cum_money, cum_mag) {
            return false;
        }
    }
    true
}

/// Whether some phase assignment of the conversions of `uses` holds (K^c tries).
fn schedulable(inst: &Instance, phases: &[PhaseSpec], money: &[f64], uses: &[Use]) -> bool {
    let conv: Vec<usize> = (0..uses.len()).filter(|&i| uses[i] != Use::Keep).collect();
    let k = phases.len();
    let mut phase = vec![0usize; uses.len()];
    loop {
        if phases_hold(inst, phases, money, uses, &phase) {
            return true;
        }
        let mut j = 0;
        loop {
            if j == conv.len() {
                return false;
            }
            phase[conv[j]] += 1;
            if phase[conv[j]] < k {
                break;
            }
            phase[conv[j]] = 0;
            j += 1;
        }
    }
}

/// The best phased objective by enumeration: every final assignment that
/// meets the final rules (SPEC §5 reference, budget replaced by the cash
/// rows), best first, until one has a phase assignment that holds.
fn brute_force_phased(inst: &Instance, phases: &[PhaseSpec]) -> Option<f64> {
    let money = money_of(inst, phases);
    let mut final_rules = inst.clone();
    if final_rules.budget.is_some() {
        final_rules.budget = Some(f64::INFINITY);
    }
    let n = inst.candidates.len();
    let mut feasible: Vec<(f64, Vec<Use>)> = Vec::new();
    let mut uses = vec![Use::Keep; n];
    'all: loop {
        if let Some(v) = reference_objective(&final_rules, &uses) {
            feasible.push((v, uses.clone()));
        }
        let mut i = 0;
        loop {
            if i == n {
                break 'all;
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
    feasible.sort_by(|a, b| b.0.total_cmp(&a.0));
    feasible
        .into_iter()
        .find(|(_, u)| schedulable(inst, phases, &money, u))
        .map(|(v, _)| v)
}

/// Independent recomputation of a phased plan: nesting, caps, cash never
/// negative, and the per-phase reports.
fn check_phased(inst: &Instance, phases: &[PhaseSpec], plan: &PhasedPlan, what: &str) {
    let money = money_of(inst, phases);
    let n = inst.candidates.len();
    assert_eq!(plan.plan.uses.len(), n);
    // Nesting: once converted, a candidate keeps its use in every later phase.
    for t in 1..phases.len() {
        let (before, after) = (plan.uses_after(t - 1), plan.uses_after(t));
        for i in 0..n {
            assert!(
                before[i] == Use::Keep || before[i] == after[i],
                "{what}: candidate {i} changes from {} to {} in phase {t}",
                before[i],
                after[i]
            );
        }
    }
    assert_eq!(plan.uses_after(phases.len() - 1), plan.plan.uses, "{what}");
    for i in 0..n {
        assert_eq!(
            plan.phase[i].is_some(),
            plan.plan.uses[i] != Use::Keep,
            "{what}"
        );
    }
    let phase: Vec<usize> = plan.phase.iter().map(|p| p.unwrap_or(0)).collect();
    assert!(
        phases_hold(inst, phases, &money, &plan.plan.uses, &phase),
        "{what}: a phase cap or the cash flow breaks"
    );
    let mut cash = 0.0;
    for (t, report) in plan.phases.iter().enumerate() {
        let mut area = 0.0;
        let (mut cost, mut revenue) = (0.0, 0.0);
        for (i, c) in inst.candidates.iter().enumerate() {
            if plan.phase[i] == Some(t) {
                area += c.area_m2 / 1e4;
                let v = net_money(c, plan.plan.uses[i]);
                if v < 0.0 {
                    revenue -= v;
                } else {
                    cost += v;
                }
            }
        }
        cash += money[t] - cost + revenue;
        let tol = 1e-6 * (cost + revenue + money[t]).max(1.0);
        assert!((report.converted_ha() - area).abs() < 1e-9, "{what}");
        assert!((report.cost - cost).abs() < tol && (report.revenue - revenue).abs() < tol);
        if inst.budget.is_some() {
            let reported = report.cash_after.expect("cash with a budget");
            assert!(
                (reported - cash).abs() < tol,
                "{what}: cash {reported} vs {cash}"
            );
            assert!(cash >= -tol, "{what}: cash {cash} < 0 after phase {t}");
        } else {
            assert_eq!(report.cash_after, None);
        }
        // Locks hold for the final plan only (a lock-in may come in any phase).
        let unlocked = inst.candidates.iter().cloned().map(|mut c| {
            c.lock = None;
            c
        });
        let after = reference_objective(
            &Instance {
                candidates: unlocked.collect(),
                cap_ha: f64::INFINITY,
                bounds: vec![],
                construction: None,
                budget: inst.budget.map(|_| f64::INFINITY),
                ..inst.clone()
            },
            &plan.uses_after(t),
        )
        .expect("the plan after a phase breaks no eligibility rule");
        assert!(
            (report.objective_after - after).abs() < 1e-9 * after.max(1.0),
            "{what}"
        );
    }
    // The final plan meets the final rules.
    let final_rules = Instance {
        budget: inst.budget.map(|_| f64::INFINITY),
        ..inst.clone()
    };
    let objective = reference_objective(&final_rules, &plan.plan.uses).expect("final rules hold");
    assert!(
        (objective - plan.plan.objective).abs() <= 1e-9 * objective.abs().max(1.0),
        "{what}"
    );
}

/// Mostly 2–5 candidates, every tenth one 6 or 7.
fn phased_size(seed: u64) -> usize {
    if seed % 10 == 9 {
        6 + (seed as usize / 10) % 2
    } else {
        2 + (seed as usize) % 4
    }
}

const PHASED_INSTANCES: u64 = 120;

#[test]
fn phased_exact_matches_brute_force_on_random_instances() {
    let mut solved = 0;
    let mut infeasible = 0;
    for seed in 0..PHASED_INSTANCES {
        let mut rng = Rng(1000 + seed);
        let inst = random_instance(&mut rng, phased_size(seed));
        let phases = random_phases(&mut rng, &inst);
        let problem = inst
            .problem(Solver::Exact {
                time_limit_s: 30.0,
                gap: 0.0,
            })
            .expect("valid instance");
        let best = brute_force_phased(&inst, &phases);
        match (best, problem.solve_phased(&phases)) {
            (None, Err(PlanError::Infeasible { conflicts })) => {
                assert!(!conflicts.is_empty());
                infeasible += 1;
            }
            (Some(best), Ok(plan)) => {
                let tol = 1e-9 * best.abs().max(1.0);
                assert!(
                    (plan.plan.objective - best).abs() <= tol,
                    "seed {seed}: exact {} vs brute force {best}",
                    plan.plan.objective
                );
                assert!(plan.plan.bound >= best - tol, "seed {seed}");
                check_phased(&inst, &phases, &plan, &format!("seed {seed}"));
                solved += 1;
            }
            (best, got) => panic!("seed {seed}: brute force {best:?}, exact {got:?}"),
        }
    }
    assert!(
        solved >= 60 && infeasible >= 5,
        "{solved} solved, {infeasible} infeasible"
    );
}

#[test]
fn fast_phased_is_never_above_exact_and_its_bound_never_below() {
    let mut feasible = 0;
    let mut found = 0;
    for seed in 0..PHASED_INSTANCES {
        let mut rng = Rng(1000 + seed);
        let inst = random_instance(&mut rng, phased_size(seed));
        let phases = random_phases(&mut rng, &inst);
        let Some(best) = brute_force_phased(&inst, &phases) else {
            continue;
        };
        feasible += 1;
        let problem = inst.problem(Solver::Fast).expect("valid instance");
        match problem.solve_phased(&phases) {
            Ok(plan) => {
                found += 1;
                let tol = 1e-9 * best.abs().max(1.0);
                assert!(
                    plan.plan.objective <= best + tol,
                    "seed {seed}: {} > {best}",
                    plan.plan.objective
                );
                assert!(
                    plan.plan.bound >= best - tol,
                    "seed {seed}: bound {} < {best}",
                    plan.plan.bound
                );
                assert_eq!(plan.plan.method, Method::Fast);
                check_phased(&inst, &phases, &plan, &format!("fast seed {seed}"));
            }
            Err(PlanError::NoPlanFound { .. }) => {}
            Err(e) => panic!("seed {seed}: {e}"),
        }
    }
    assert!(
        found * 100 >= feasible * 85,
        "fast found {found} of {feasible} feasible"
    );
}

#[test]
fn one_phase_plan_equals_the_plain_plan() {
    let mut compared = 0;
    for seed in 0..150u64 {
        let mut rng = Rng(seed);
        let inst = random_instance(&mut rng, tests::size_for(seed));
        for solver in [
            Solver::Fast,
            Solver::Exact {
                time_limit_s: 30.0,
                gap: 0.0,
            },
        ] {
            let problem = inst.problem(solver).unwrap();
            let one = [PhaseSpec::new(inst.cap_ha)];
            match (problem.solve(), problem.solve_phased(&one)) {
                (Ok(plain), Ok(phased)) => {
                    assert_eq!(plain.uses, phased.plan.uses, "seed {seed} {solver:?}");
                    assert_eq!(plain.objective.to_bits(), phased.plan.objective.to_bits());
                    assert_eq!(plain.area_ha, phased.plan.area_ha);
                    assert_eq!(plain.constraints, phased.plan.constraints);
                    compared += 1;
                }
                (Err(_), Err(_)) => {}
                (a, b) => panic!("seed {seed} {solver:?}: plain {a:?} vs phased {b:?}"),
            }
        }
    }
    assert!(compared > 150, "{compared}");
    // And the brute force of the plain problem agrees with the phased one.
    for seed in 0..40u64 {
        let mut rng = Rng(seed);
        let inst = random_instance(&mut rng, tests::size_for(seed).min(6));
        let one = [PhaseSpec::new(inst.cap_ha)];
        assert_eq!(
            brute_force(&inst),
            brute_force_phased(&inst, &one),
            "seed {seed}"
        );
    }
}

#[test]
fn nesting_and_cash_hold_on_larger_random_instances() {
    for seed in 0..10u64 {
        let mut rng = Rng(5000 + seed);
        let inst = random_instance(&mut rng, 12 + 6 * (seed as usize % 3));
        let phases = random_phases(&mut rng, &inst);
        for solver in [
            Solver::Fast,
            Solver::Exact {
                time_limit_s: 20.0,
                gap: 1e-4,
            },
        ] {
            let problem = inst.problem(solver).unwrap();
            if let Ok(plan) = problem.solve_phased(&phases) {
                check_phased(&inst, &phases, &plan, &format!("seed {seed} {solver:?}"));
                assert!(plan.plan.bound >= plan.plan.objective && plan.plan.gap >= 0.0);
            }
        }
    }
}

fn lot(id: &str, ha: f64, green: f64) -> Candidate {
    Candidate::new(id, ha * 1e4, LandUse::Vacant).with_scores(Scores {
        green: Some(green),
        ..Scores::default()
    })
}

#[test]
fn money_arriving_later_cannot_pay_for_earlier_parks() {
    for solver in [Solver::Fast, Solver::exact()] {
        // Each 4 ha park costs 150 × 40,000 = 6 M; phase 1 brings 6 M, phase 2 none.
        let p = PlanProblem::new(vec![lot("a", 4.0, 0.9), lot("b", 4.0, 0.5)], vec![])
            .cap_ha(8.0)
            .budget(0.0, Costs::default())
            .solver(solver)
            .build()
            .unwrap();
        let plan = p
            .solve_phased(&[
                PhaseSpec::new(4.0).with_budget(0.0),
                PhaseSpec::new(4.0).with_budget(6e6),
            ])
            .unwrap();
        // Nothing can be paid in phase 1; the better park waits for phase 2.
        assert_eq!(plan.plan.uses, vec![Use::Green, Use::Keep], "{solver:?}");
        assert_eq!(plan.phase, vec![Some(1), None]);
        assert_eq!(plan.phases[0].cash_after, Some(0.0));
        assert_eq!(plan.phases[1].cash_after, Some(0.0));
        // With the money up front, both phases build one park each.
        let plan = p
            .solve_phased(&[
                PhaseSpec::new(4.0).with_budget(12e6),
                PhaseSpec::new(4.0).with_budget(0.0),
            ])
            .unwrap();
        assert_eq!(plan.phase, vec![Some(0), Some(1)]);
        assert_eq!(plan.phases[0].cash_after, Some(6e6));
    }
}

#[test]
fn phased_errors_are_values() {
    let p = PlanProblem::new(
        vec![
            lot("a", 5.0, 0.9).with_lock(Lock::In(Use::Green)),
            lot("b", 1.0, 0.5),
        ],
        vec![],
    )
    .cap_ha(8.0)
    .solver(Solver::exact())
    .build()
    .unwrap();
    // The 5 ha lock fits the 8 ha total but no 4 ha phase.
    let e = p
        .solve_phased(&[PhaseSpec::new(4.0), PhaseSpec::new(4.0)])
        .unwrap_err();
    let PlanError::Infeasible { conflicts } = &e else {
        panic!("{e}")
    };
    assert!(matches!(conflicts[0], Conflict::PhasesJointly { .. }));
    assert!(e.to_string().contains("phases 4 ha, 4 ha"), "{e}");
    // Locks beyond Σ phase caps are caught before solving.
    let e = p
        .solve_phased(&[PhaseSpec::new(2.0), PhaseSpec::new(2.0)])
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "infeasible plan: locked-in area 5 ha > cap 4 ha"
    );
    for bad in [
        vec![],
        vec![PhaseSpec::new(0.0)],
        vec![PhaseSpec::new(f64::NAN)],
    ] {
        assert!(matches!(
            p.solve_phased(&bad),
            Err(PlanError::Invalid { .. })
        ));
    }
    // Phase money without a problem budget.
    let e = p
        .solve_phased(&[PhaseSpec::new(9.0).with_budget(1.0)])
        .unwrap_err();
    assert!(e.to_string().contains("set .budget("), "{e}");
}

/// Prints the instances where the fast phased solver finds no plan although
/// one exists: `cargo test --lib debug_fast_phased_misses -- --ignored --nocapture`.
#[test]
#[ignore]
fn debug_fast_phased_misses() {
    for seed in 0..PHASED_INSTANCES {
        let mut rng = Rng(1000 + seed);
        let inst = random_instance(&mut rng, phased_size(seed));
        let phases = random_phases(&mut rng, &inst);
        let Some(best) = brute_force_phased(&inst, &phases) else {
            continue;
        };
        let problem = inst.problem(Solver::Fast).unwrap();
        if let Err(e) = problem.solve_phased(&phases) {
            let plain = inst.problem(Solver::Fast).unwrap().solve();
            eprintln!(
                "seed {seed}: best {best} err {e}; n={} cap={} phases={:?} bounds={:?} constr={:?} budget={:?} plain fast ok={}",
                inst.candidates.len(), inst.cap_ha, phases, inst.bounds, inst.construction, inst.budget, plain.is_ok()
            );
            for c in &inst.candidates {
                eprintln!(
                    "  {} {:.3} ha {:?} {:?} lock {:?} contaminated {} lv {:?}",
                    c.id,
                    c.area_m2 / 1e4,
                    c.origin,
                    c.scores,
                    c.lock,
                    c.contaminated,
                    c.land_value_per_m2
                );
            }
            eprintln!("  plain: {:?}", plain.map(|p| p.uses));
        }
    }
}

#[test]
fn phased_plans_are_deterministic_across_runs_and_threads() {
    let mut rng = Rng(4243);
    let inst = random_instance(&mut rng, 14);
    let phases = [PhaseSpec::new(inst.cap_ha / 3.0); 3];
    // The exact solver is deterministic when it stops on its gap, not its clock.
    for solver in [
        Solver::Fast,
        Solver::Exact {
            time_limit_s: 600.0,
            gap: 1e-4,
        },
    ] {
        let p = inst.problem(solver).unwrap();
        let first = p.solve_phased(&phases).unwrap();
        assert!(first.phase.contains(&Some(0)) && first.phase.contains(&Some(2)));
        let pool = |t| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(t)
                .build()
                .unwrap()
        };
        let again = p.solve_phased(&phases).unwrap();
        let one = pool(1).install(|| p.solve_phased(&phases).unwrap());
        let two = pool(2).install(|| p.solve_phased(&phases).unwrap());
        for other in [&again, &one, &two] {
            assert_eq!(first.plan.uses, other.plan.uses, "{solver:?}");
            assert_eq!(first.phase, other.phase, "{solver:?}");
            assert_eq!(
                first.plan.objective.to_bits(),
                other.plan.objective.to_bits()
            );
            assert_eq!(first.plan.bound.to_bits(), other.plan.bound.to_bits());
        }
    }
}
