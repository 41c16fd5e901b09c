//! The fast solver against the exact one on real layouts: the fixture city
//! and Fishtown (Philadelphia), at several caps (issue 4: within 0.5 % of
//! the exact optimum; its bound never below it).

mod common;

use std::path::Path;

use landstock::candidates::Candidates;
use landstock::context::{Context, ContextOptions};
use landstock::ingest::{read_geojson_file, IngestOptions};
use landstock::pipeline::{PlanConfig, PlanInput, SolverChoice};
use landstock::plan::Plan;
use landstock::score::{Layers, Scorer};
use landstock::Config;

/// Scores a city and returns its planner input.
fn planner_input(file: &Path, config: &Path) -> PlanInput {
    let cfg = Config::load(config).unwrap();
    let got = read_geojson_file(file, &IngestOptions::from_config(&cfg).unwrap()).unwrap();
    let cx = Context::new(
        &got.stock,
        &ContextOptions {
            residents_per_m2: cfg.scoring.residents_per_m2,
            centre: None,
        },
    );
    let layers = Layers::new(&got.stock, &cx);
    let cands = Candidates::of(&got.stock);
    let sheet = Scorer::new(&cfg.scoring, &layers)
        .score(&layers, cands.indices())
        .unwrap();
    PlanInput::new(&got.stock, &cands, &sheet)
}

fn solve(input: &PlanInput, cap_ha: f64, solver: SolverChoice) -> Plan {
    let cfg = PlanConfig {
        solver,
        gap: 0.0,
        time_limit_s: 120.0,
        ..PlanConfig::default()
    };
    cfg.problem(input, Some(cap_ha))
        .unwrap()
        .build()
        .unwrap()
        .solve()
        .unwrap()
}

/// Checks fast against exact at each cap and returns the worst ratio.
fn fast_is_within_half_a_percent(name: &str, input: &PlanInput, caps_ha: &[f64]) -> f64 {
    let mut worst = 1.0f64;
    for &cap in caps_ha {
        let exact = solve(input, cap, SolverChoice::Exact);
        let fast = solve(input, cap, SolverChoice::Fast);
        // the exact solver ran to gap 0: its bound is the optimum up to HiGHS's tolerances
        assert!(
            exact.gap <= 1e-6,
            "{name} cap {cap}: exact gap {}",
            exact.gap
        );
        let opt = exact.objective;
        let ratio = fast.objective / opt;
        eprintln!(
            "{name} cap {cap} ha: exact {opt:.4}, fast {:.4} = {:.4}% of it, fast bound {:.4}",
            fast.objective,
            100.0 * ratio,
            fast.bound,
        );
        assert!(
            fast.objective <= opt * (1.0 + 1e-9),
            "{name} cap {cap}: fast above the optimum"
        );
        assert!(
            ratio >= 0.995,
            "{name} cap {cap}: fast reaches only {:.4}% of the optimum",
            100.0 * ratio
        );
        assert!(
            fast.bound >= opt * (1.0 - 1e-9),
            "{name} cap {cap}: fast bound {} below the optimum {opt}",
            fast.bound
        );
        for plan in [&exact, &fast] {
            assert!(
                plan.area_ha.green_ha
                    + plan.area_ha.ecological_ha
                    + plan.area_ha.cultural_ha
                    + plan.area_ha.redevelop_ha
                    <= cap + 1e-9
            );
        }
        worst = worst.min(ratio);
    }
    worst
}

#[test]
fn fast_solver_is_within_half_a_percent_of_exact_on_the_fixture_city() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let input = planner_input(
        &root.join("fixtures/city.geojson"),
        &root.join("fixtures/city.toml"),
    );
    assert_eq!(input.candidates.len(), 508);
    let worst = fast_is_within_half_a_percent("fixture city", &input, &[20.0, 60.0, 120.0, 250.0]);
    eprintln!("fixture city: worst fast/exact {:.5}", worst);
}

#[test]
fn fast_solver_is_within_half_a_percent_of_exact_on_fishtown() {
    let Some(dir) = common::shared_data("fast_solver_on_fishtown") else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let input = planner_input(
        &dir.join("fishtown/fishtown_parcels.geojson"),
        &root.join("examples/configs/fishtown.toml"),
    );
    let total_ha: f64 = input.candidates.iter().map(|c| c.area_m2 / 1e4).sum();
    eprintln!(
        "fishtown: {} candidates, {total_ha:.2} ha, {} touching pairs",
        input.candidates.len(),
        input.pairs.len()
    );
    assert!(input.candidates.len() > 300);
    let caps: Vec<f64> = [0.1, 0.25, 0.5, 0.8].iter().map(|s| s * total_ha).collect();
    let worst = fast_is_within_half_a_percent("fishtown", &input, &caps);
    eprintln!("fishtown: worst fast/exact {:.5}", worst);
}

/// The fast plan against the upper bound HiGHS proves (gap 1e-4) under a
/// `[plan]` section with a budget that auctions top up.
fn fast_against_exact_bound(name: &str, input: &PlanInput, plan: &PlanConfig) -> f64 {
    let run = |solver: SolverChoice| {
        let cfg = PlanConfig {
            solver,
            gap: 1e-4,
            time_limit_s: 120.0,
            ..plan.clone()
        };
        cfg.problem(input, None)
            .unwrap()
            .build()
            .unwrap()
            .solve()
            .unwrap()
    };
    let exact = run(SolverChoice::Exact);
    let fast = run(SolverChoice::Fast);
    let ratio = fast.objective / exact.bound;
    eprintln!(
        "{name}: exact {:.4} (bound {:.4}), fast {:.4} = {:.3}% of the bound",
        exact.objective,
        exact.bound,
        fast.objective,
        100.0 * ratio,
    );
    assert!(
        fast.objective <= exact.bound * (1.0 + 1e-9),
        "{name}: fast above the bound"
    );
    assert!(
        ratio >= 0.995,
        "{name}: fast reaches only {:.4}% of the optimum",
        100.0 * ratio
    );
    ratio
}

#[test]
fn fast_solver_is_within_half_a_percent_of_the_optimum_with_a_budget_financed_by_auctions() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // the fixture's own limits: cap, green max, ecological and cultural
    // minimums, construction target, budget (issue 13: fast was 90.5 %)
    let config = root.join("fixtures/city.toml");
    let input = planner_input(&root.join("fixtures/city.geojson"), &config);
    let plan = Config::load(&config).unwrap().plan;
    assert!(plan.budget.is_some() && plan.construction_target_ha.is_some());
    fast_against_exact_bound("fixture city with its budget", &input, &plan);

    let Some(dir) = common::shared_data("fast_solver_with_a_budget_on_fishtown") else {
        return;
    };
    let config = root.join("examples/configs/fishtown.toml");
    let input = planner_input(&dir.join("fishtown/fishtown_parcels.geojson"), &config);
    let mut plan = Config::load(&config).unwrap().plan;
    plan.cap = Some(5.0);
    plan.budget = Some(1.5e6);
    fast_against_exact_bound("fishtown 5 ha with a budget of 1.5e6", &input, &plan);
}
