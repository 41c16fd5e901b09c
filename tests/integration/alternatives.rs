//! Alternative plans on the committed fixture city (508 candidates,
//! fixtures/city.toml's [plan]): K = 2 (K = 5 ignored by default) within
//! 1 %, differing by 5 ha; every plan checked against the optimum and the
//! others by recomputation from the parcels (objective from scores, areas
//! and touching pairs; differences in m²), not from the planner's model.

use std::path::Path;

use landstock::candidates::Candidates;
use landstock::context::{Context, ContextOptions};
use landstock::ingest::{read_geojson_file, IngestOptions};
use landstock::pipeline::PlanInput;
use landstock::plan::{alternatives, evaluate, AlternativeOptions, Solver, Use};
use landstock::score::{Layers, Scorer};
use landstock::Config;

pub(crate) fn fixture_input() -> (Config, PlanInput) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cfg = Config::load(root.join("fixtures/city.toml")).unwrap();
    let got = read_geojson_file(
        &root.join("fixtures/city.geojson"),
        &IngestOptions::from_config(&cfg).unwrap(),
    )
    .unwrap();
    let stock = got.stock;
    let cx = Context::new(
        &stock,
        &ContextOptions {
            residents_per_m2: cfg.scoring.residents_per_m2,
            centre: None,
        },
    );
    let layers = Layers::new(&stock, &cx);
    let candidates = Candidates::of(&stock);
    let sheet = Scorer::new(&cfg.scoring, &layers)
        .score(&layers, candidates.indices())
        .unwrap();
    let input = PlanInput::new(&stock, &candidates, &sheet);
    (cfg, input)
}

/// SPEC §5's objective, from the candidates and pairs.
fn objective(input: &PlanInput, lambda: f64, uses: &[Use]) -> f64 {
    let c = &input.candidates;
    let benefit = |i: usize, u: Use| c[i].scores.get(u).unwrap_or(0.0) * c[i].area_m2 / 1e4;
    let mut z: f64 = (0..c.len())
        .filter(|&i| uses[i].is_conversion())
        .map(|i| benefit(i, uses[i]))
        .sum();
    for p in &input.pairs {
        let u = uses[p.a];
        if u.is_conversion() && u == uses[p.b] && p.shared_len_m > 0.0 {
            let per = c[p.a].perimeter_m.min(c[p.b].perimeter_m);
            z += lambda * benefit(p.a, u).min(benefit(p.b, u)) * p.shared_len_m / per;
        }
    }
    z
}

/// Two plans (the optimum and one alternative): the check CI runs.
#[test]
fn fixture_city_alternatives_are_within_one_percent_and_differ_by_five_hectares() {
    check_fixture_alternatives(2);
}

/// The K = 5 (ignored by default, to keep CI short: five MILP
/// solves; run it with `cargo test --release --test integration
/// alternatives -- --ignored`).
#[test]
#[ignore = "slow: 5 MILP solves of the fixture city; run with --ignored"]
fn fixture_city_five_alternatives_are_within_one_percent_and_differ_by_five_hectares() {
    check_fixture_alternatives(5);
}

/// Finds `count` plans within 1 % differing by 5 ha and checks each by
/// recomputation.
fn check_fixture_alternatives(count: usize) {
    let (cfg, input) = fixture_input();
    let problem = cfg
        .plan
        .problem(&input, None)
        .unwrap()
        .cultural_origins(&cfg.scoring.cultural_origins)
        // a 0.1 % gap: the plans are checked against the optimum's proven
        // bound, and HiGHS closes 0.01 % on this city only at its time limit
        .solver(Solver::Exact {
            time_limit_s: 60.0,
            gap: 1e-3,
        })
        .build()
        .unwrap();
    let best = problem.solve().unwrap();
    let opts = AlternativeOptions {
        count,
        within: 0.01,
        differ_ha: 5.0,
    };
    let alt = alternatives(&problem, &best, &opts).unwrap();
    assert_eq!(alt.plans.len(), count, "{:?}", alt.stopped);
    let lambda = problem.adjacency_lambda();
    let optimum_bound = best.bound;
    for (j, plan) in alt.plans.iter().enumerate() {
        let z = objective(&input, lambda, &plan.uses);
        assert!(
            (z - plan.objective).abs() < 1e-6 * z.max(1.0),
            "plan {j}: {z} vs {}",
            plan.objective
        );
        assert!(
            z >= 0.99 * optimum_bound - 1e-9,
            "plan {j}: {z} < 99 % of {optimum_bound}"
        );
        assert!(
            z <= optimum_bound + 1e-6,
            "plan {j} beats the optimum's bound"
        );
        assert!(evaluate(&problem, &plan.uses).is_feasible(), "plan {j}");
        for (i, earlier) in alt.plans[..j].iter().enumerate() {
            let m2: f64 = (0..input.candidates.len())
                .filter(|&p| plan.uses[p] != earlier.uses[p])
                .map(|p| input.candidates[p].area_m2)
                .sum();
            assert!(m2 >= 5e4 - 1e-6, "plans {i} and {j} differ by {m2} m²");
            assert!((alt.difference_ha(&problem, i, j) - m2 / 1e4).abs() < 1e-9);
        }
    }
    // per parcel, the counts agree with the plans
    for p in 0..input.candidates.len() {
        let n = alt
            .plans
            .iter()
            .filter(|q| q.uses[p].is_conversion())
            .count();
        assert_eq!(alt.selected_in(p), n);
    }
}
