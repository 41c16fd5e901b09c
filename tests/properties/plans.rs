//! Plans never break a rule, recomputed from the instance alone, and the
//! solvers' objectives and bounds bracket each other.

use super::*;

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
