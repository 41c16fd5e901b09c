//! Fishtown, Philadelphia: real parcels with vacancy and zoning, read with
//! `examples/configs/fishtown.toml`, scored and planned under a 5 ha cap.
//! Needs the shared data folder (`../shared/data`, or `LANDSTOCK_SHARED_DATA`);
//! without it the example says so and stops.
//!
//! ```sh
//! cargo run --example fishtown
//! ```

use std::path::Path;

use landstock::config::SolverChoice;
use landstock::output::plan::decisions;
use landstock::{Config, Pipeline, Planned};

#[path = "support/mod.rs"]
mod support;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Some(dir) = support::shared_data()? else {
        return Ok(());
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cfg = Config::load(root.join("examples/configs/fishtown.toml"))?;
    cfg.plan.cap = Some(5.0);
    cfg.plan.solver = SolverChoice::Fast;
    let Planned {
        city, input, plan, ..
    } = Pipeline::from_path(dir.join("fishtown/fishtown_parcels.geojson"))
        .config(cfg)
        .plan()?;
    let r = &city.report;
    println!(
        "{} features: {} accepted, {} repaired, {} rejected",
        r.total, r.accepted, r.repaired, r.rejected
    );
    // the counts an independent shapely/GEOS script gives (scripts/verify_ingest_counts.py)
    assert_eq!((r.total, r.rejected), (6528, 852));
    let rows = decisions(&input.candidates, &city.sheet, &plan)?;
    let converted: Vec<_> = rows.iter().filter(|d| d.use_.is_conversion()).collect();
    let ha: f64 = converted.iter().map(|d| d.area_m2 / 1e4).sum();
    println!(
        "{} candidates; {} converted on {ha:.2} ha; objective {:.3}, gap {:.2}%",
        rows.len(),
        converted.len(),
        plan.objective,
        100.0 * plan.gap
    );
    let mut best: Vec<_> = converted.clone();
    best.sort_by(|a, b| {
        b.benefit
            .total_cmp(&a.benefit)
            .then(a.id.as_str().cmp(b.id.as_str()))
    });
    for d in best.iter().take(5) {
        println!(
            "  {} ({}, {:.0} m²) -> {}: {}",
            d.id, d.from, d.area_m2, d.use_, d.reasons
        );
    }
    assert!(ha <= 5.0 + 1e-9, "the cap holds");
    assert!(
        ha > 4.5,
        "a 5 ha cap over 28 ha of candidates is nearly used"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn fishtown_example_runs_under_its_cap() {
        super::main().unwrap();
    }
}
