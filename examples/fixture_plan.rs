//! The main job, as a library user writes it: read the fixture city with its
//! config, score its candidates, plan them under the config's `[plan]` (fast
//! solver), and check the plan against every limit and the indicators.
//!
//! ```sh
//! cargo run --example fixture_plan
//! ```
//! `cargo test` runs it too (it asserts on its own output).

use std::path::Path;

use landstock::config::SolverChoice;
use landstock::indicators::of_plan;
use landstock::{Config, Pipeline, Planned};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cfg = Config::load(root.join("fixtures/city.toml"))?;
    cfg.plan.solver = SolverChoice::Fast;
    let Planned {
        city,
        input,
        problem,
        plan,
    } = Pipeline::from_path(root.join("fixtures/city.geojson"))
        .config(cfg)
        .transit_file(root.join("fixtures/city_transit.geojson"))
        .facilities_file(root.join("fixtures/city_facilities.geojson"))
        .plan()?;
    println!(
        "{} plan: objective {:.3}, bound {:.3}, gap {:.3}%",
        plan.method.as_str(),
        plan.objective,
        plan.bound,
        100.0 * plan.gap
    );
    let (before, after) = of_plan(
        &city.stock,
        city.context.population(),
        &input.stock_index,
        &plan,
        problem.cap_ha(),
    );
    let c = &after.converted_ha;
    println!(
        "converted: green {:.1} ha, ecological {:.1} ha, cultural {:.1} ha, redevelop {:.1} ha",
        c.green, c.ecological, c.cultural, c.redevelop
    );
    println!(
        "park service coverage {:.1}% -> {:.1}%; construction land {:.1} -> {:.1} ha",
        100.0 * before.park_service_coverage.unwrap_or(0.0),
        100.0 * after.park_service_coverage.unwrap_or(0.0),
        before.construction_land_ha,
        after.construction_land_ha
    );
    // the limits of fixtures/city.toml, checked from the indicators
    assert!(after.cap_used_ha <= 120.0 + 1e-9);
    assert!(
        c.green <= 0.6 * 120.0 + 1e-9 && c.ecological >= 30.0 - 1e-9 && c.cultural >= 15.0 - 1e-9
    );
    assert!(after.construction_land_ha <= 5830.0 + 1e-9);
    assert!(after.budget.cost <= 1.5e8 + after.budget.auction_revenue + 1e-3);
    assert!(after.park_service_coverage >= before.park_service_coverage);
    assert!(
        plan.gap < 0.05,
        "fast solver's own bound proves it within 5 %"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixture_plan_example_runs_and_holds_every_limit() {
        super::main().unwrap();
    }
}
