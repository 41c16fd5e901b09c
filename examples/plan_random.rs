//! Plans a random but realistic city: N candidates with lognormal areas
//! (0.05–60 ha), scores in [0, 1], about two touching pairs per candidate, a
//! cap of 5% of the candidate area and a budget that needs some auctions.
//!
//! Prints the fast solver's time, objective, bound and gap on N candidates
//! (default 60,000), then the exact solver's on a smaller instance (default
//! 6,000; both solvers are run on it so their objectives can be compared).
//!
//! ```text
//! cargo run --release --example plan_random -- [N_FAST] [N_EXACT] [TIME_LIMIT_S]
//! ```

use std::time::Instant;

use landstock::plan::{Candidate, Costs, PlanProblem, Problem, Scores, Solver, TouchingPair};
use landstock::LandUse;

/// SplitMix64, so that every run plans the same city.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn normal(&mut self) -> f64 {
        let (u1, u2) = (self.f64().max(1e-300), self.f64());
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
}

fn random_problem(n: usize, seed: u64, solver: Solver) -> Problem {
    let mut rng = Rng(seed);
    let mut candidates = Vec::with_capacity(n);
    for i in 0..n {
        // Median 0.8 ha, long tail, clipped to 0.05–60 ha.
        let area_ha = (0.8f64.ln() + 1.1 * rng.normal()).exp().clamp(0.05, 60.0);
        let origin = match rng.f64() {
            x if x < 0.35 => LandUse::Industrial,
            x if x < 0.45 => LandUse::Logistics,
            _ => LandUse::Vacant,
        };
        let green = rng.f64();
        let scores = Scores {
            green: Some(green),
            ecological: Some((rng.f64() * 0.8 + 0.2 * (1.0 - green)).min(1.0)),
            cultural: Some(rng.f64()),
        };
        let mut c = Candidate::new(format!("p{i:06}"), area_ha * 1e4, origin)
            .with_scores(scores)
            .with_contaminated(rng.f64() < 0.2)
            .with_land_value_per_m2(1500.0 * (0.4 * rng.normal()).exp());
        c.perimeter_m *= 1.0 + 0.6 * rng.f64();
        candidates.push(c);
    }
    // About two touching pairs per candidate: a neighbour in the "street" and one nearby.
    let mut pairs = Vec::with_capacity(2 * n);
    for i in 0..n {
        for j in [i + 1, i + 2 + (rng.next_u64() % 40) as usize] {
            if j < n {
                let per = candidates[i].perimeter_m.min(candidates[j].perimeter_m);
                let s = (0.05 + 0.3 * rng.f64()) * per;
                pairs.push(TouchingPair {
                    a: i,
                    b: j,
                    shared_len_m: s,
                });
            }
        }
    }
    let total_ha: f64 = candidates.iter().map(|c| c.area_m2 / 1e4).sum();
    let cap_ha = 0.05 * total_ha;
    // A budget for parks on a third of the cap: auctions pay for the rest.
    let budget = cap_ha * 1e4 * 150.0 / 3.0;
    PlanProblem::new(candidates, pairs)
        .cap_ha(cap_ha)
        .budget(budget, Costs::default())
        .solver(solver)
        .build()
        .expect("a valid random problem")
}

fn report(label: &str, problem: &Problem) -> f64 {
    let start = Instant::now();
    let plan = problem.solve().expect("a feasible random problem");
    let secs = start.elapsed().as_secs_f64();
    let n = problem.candidates().len();
    println!(
        "{label:>6} n={n:>6}  time {secs:>7.3} s  objective {:>12.4}  bound {:>12.4}  gap {:>8.4}%  \
         converted {:.1}/{:.1} ha  cost {:.3e}  revenue {:.3e}",
        plan.objective,
        plan.bound,
        100.0 * plan.gap,
        plan.area_ha.converted_ha(),
        problem.cap_ha(),
        plan.cost,
        plan.revenue,
    );
    plan.objective
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |i: usize, default: f64| args.get(i).and_then(|s| s.parse().ok()).unwrap_or(default);
    let n_fast = arg(1, 60_000.0) as usize;
    let n_exact = arg(2, 6_000.0) as usize;
    let time_limit_s = arg(3, 120.0);

    if n_fast > 0 {
        report("fast", &random_problem(n_fast, 1, Solver::Fast));
    }
    if n_exact > 0 {
        let fast = report("fast", &random_problem(n_exact, 2, Solver::Fast));
        let exact = report(
            "exact",
            &random_problem(
                n_exact,
                2,
                Solver::Exact {
                    time_limit_s,
                    gap: 1e-4,
                },
            ),
        );
        println!(
            "fast is {:.4}% below exact on n={n_exact}",
            100.0 * (exact - fast) / exact
        );
    }
}
