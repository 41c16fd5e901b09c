//! Alternative plans against brute force: on small random instances (cap
//! only, adjacency bonus on), every assignment is enumerated and scored by
//! a reference written here from SPEC §5; each alternative must be the best
//! assignment differing by the area from all earlier ones, and every two
//! plans must differ by at least it (recomputed in m²).

use super::robust_tests::Rng;
use super::*;
use crate::LandUse;

/// Benefit + adjacency bonus, from the candidates and pairs (SPEC §5).
fn reference_objective(c: &[Candidate], pairs: &[TouchingPair], lambda: f64, uses: &[Use]) -> f64 {
    let benefit = |i: usize, u: Use| c[i].scores.get(u).unwrap_or(0.0) * c[i].area_m2 / 1e4;
    let mut z: f64 = (0..c.len())
        .filter(|&i| uses[i].is_conversion())
        .map(|i| benefit(i, uses[i]))
        .sum();
    for p in pairs {
        let u = uses[p.a];
        if u.is_conversion() && u == uses[p.b] {
            let per = c[p.a].perimeter_m.min(c[p.b].perimeter_m);
            z += lambda * benefit(p.a, u).min(benefit(p.b, u)) * p.shared_len_m / per;
        }
    }
    z
}

fn differ_m2(c: &[Candidate], a: &[Use], b: &[Use]) -> f64 {
    (0..c.len())
        .filter(|&i| a[i] != b[i])
        .map(|i| c[i].area_m2)
        .sum()
}

#[test]
fn each_alternative_is_the_best_assignment_differing_by_the_area_from_the_earlier_ones() {
    let mut rng = Rng::seeded(1818);
    let mut stopped_early = 0;
    for case in 0..30 {
        let n = 5 + (rng.next_u64() % 2) as usize;
        let cands: Vec<Candidate> = (0..n)
            .map(|i| {
                Candidate::new(format!("c{i}"), rng.range(5e3, 3e4), LandUse::Vacant)
                    .with_perimeter_m(rng.range(300.0, 800.0))
                    .with_scores(Scores {
                        green: Some(rng.f64()),
                        ecological: rng.chance(0.7).then(|| rng.f64()),
                        ..Scores::default()
                    })
            })
            .collect();
        let mut pairs = Vec::new();
        for i in 1..n {
            if rng.chance(0.5) {
                pairs.push(TouchingPair {
                    a: i - 1,
                    b: i,
                    shared_len_m: rng.range(10.0, 150.0),
                });
            }
        }
        let total_ha: f64 = cands.iter().map(|c| c.area_m2 / 1e4).sum();
        let cap_ha = total_ha * rng.range(0.3, 0.8);
        let p = PlanProblem::new(cands.clone(), pairs.clone())
            .cap_ha(cap_ha)
            .solver(Solver::Exact {
                time_limit_s: 30.0,
                gap: 0.0,
            })
            .build()
            .unwrap();
        let opts = AlternativeOptions {
            count: 4,
            within: 0.2,
            differ_ha: rng.range(0.5, 2.0),
        };
        let alt = alternatives(&p, &p.solve().unwrap(), &opts).unwrap();
        // every assignment that meets the cap and eligibility
        let options = |i: usize| {
            let mut v = vec![Use::Keep, Use::Green];
            if cands[i].scores.ecological.is_some() {
                v.push(Use::Ecological);
            }
            v
        };
        let mut all: Vec<Vec<Use>> = vec![vec![]];
        for i in 0..n {
            all = all
                .into_iter()
                .flat_map(|a| {
                    options(i).into_iter().map(move |u| {
                        let mut b = a.clone();
                        b.push(u);
                        b
                    })
                })
                .collect();
        }
        let lambda = PlanProblem::DEFAULT_ADJACENCY_LAMBDA;
        let feasible: Vec<(f64, Vec<Use>)> = all
            .into_iter()
            .filter(|a| {
                let ha: f64 = (0..n)
                    .filter(|&i| a[i].is_conversion())
                    .map(|i| cands[i].area_m2 / 1e4)
                    .sum();
                ha <= cap_ha + 1e-9
            })
            .map(|a| (reference_objective(&cands, &pairs, lambda, &a), a))
            .collect();
        let optimum = feasible
            .iter()
            .map(|f| f.0)
            .fold(f64::NEG_INFINITY, f64::max);
        let tol = 1e-6 * optimum.max(1.0);
        assert!(
            (alt.plans[0].objective - optimum).abs() < tol,
            "case {case}"
        );
        for (j, plan) in alt.plans.iter().enumerate() {
            let z = reference_objective(&cands, &pairs, lambda, &plan.uses);
            assert!((z - plan.objective).abs() < tol, "case {case} plan {j}");
            assert!(
                z >= (1.0 - opts.within) * optimum - tol,
                "case {case} plan {j}"
            );
            for earlier in &alt.plans[..j] {
                let d = differ_m2(&cands, &plan.uses, &earlier.uses);
                assert!(
                    d >= opts.differ_ha * 1e4 - 1e-6,
                    "case {case} plan {j}: {d} m²"
                );
            }
            // the best assignment differing enough from every earlier plan
            let best_differing = feasible
                .iter()
                .filter(|(_, a)| {
                    alt.plans[..j]
                        .iter()
                        .all(|e| differ_m2(&cands, a, &e.uses) >= opts.differ_ha * 1e4 - 1e-6)
                })
                .map(|f| f.0)
                .fold(f64::NEG_INFINITY, f64::max);
            assert!(
                (z - best_differing).abs() < tol,
                "case {case} plan {j}: {z} vs {best_differing}"
            );
        }
        if alt.plans.len() < opts.count {
            stopped_early += 1;
            // then the next best differing assignment really is below the share, or there is none
            let next = feasible
                .iter()
                .filter(|(_, a)| {
                    alt.plans
                        .iter()
                        .all(|e| differ_m2(&cands, a, &e.uses) >= opts.differ_ha * 1e4 - 1e-6)
                })
                .map(|f| f.0)
                .fold(f64::NEG_INFINITY, f64::max);
            assert!(
                next < (1.0 - opts.within) * optimum + tol,
                "case {case}: {next}"
            );
            assert!(alt.stopped.is_some());
        }
    }
    assert!(
        stopped_early > 0 && stopped_early < 30,
        "{stopped_early} of 30 stopped early"
    );
}

/// Invalid options are errors, not panics.
#[test]
fn alternatives_with_no_count_or_a_share_above_one_are_errors() {
    let p = PlanProblem::new(vec![Candidate::new("a", 1e4, LandUse::Vacant)], vec![])
        .cap_ha(1.0)
        .build()
        .unwrap();
    let best = p.solve().unwrap();
    for o in [
        AlternativeOptions {
            count: 0,
            ..AlternativeOptions::default()
        },
        AlternativeOptions {
            within: 1.5,
            ..AlternativeOptions::default()
        },
        AlternativeOptions {
            differ_ha: 0.0,
            ..AlternativeOptions::default()
        },
    ] {
        assert!(alternatives(&p, &best, &o).is_err(), "{o:?}");
    }
}
