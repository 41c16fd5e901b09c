//! Embedding landstock in a program that already holds its parcels in
//! memory (a GIS tool, a notebook, a web service): polygons and their
//! properties go in, a plan comes out. No file is read or written.
//!
//! ```sh
//! cargo run --example embed
//! ```
//! `cargo test` runs it too (it asserts on its own output).

use geo::Rect;
use landstock::pipeline::{Feature, Pipeline};
use serde_json::json;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // the user code: twelve 1-ha lots in a row (lon/lat, 100 m × 100 m at
    // 46.6° N), disused factories then a brownfield, planned under a 4.5 ha cap
    let lot = |k: usize| {
        let x = 125.0 + k as f64 * 0.0013074;
        let shape = Rect::new((x, 46.6), (x + 0.0013074, 46.6008993)).to_polygon();
        let tags = match k {
            0..6 => json!({"landuse": "industrial", "disused": "yes"}),
            _ => json!({"landuse": "brownfield"}),
        };
        Feature::new(format!("lot-{k}"), shape, tags)
    };
    let planned = Pipeline::from_features((0..12).map(lot))
        .cap_ha(4.5)
        .plan()?;

    // what came out
    let plan = &planned.plan;
    let converted: Vec<_> = (0..plan.uses.len())
        .filter(|&k| plan.uses[k].is_conversion())
        .map(|k| (planned.input.candidates[k].id.as_str(), plan.uses[k]))
        .collect();
    println!("{} candidates; converted {converted:?}", plan.uses.len());
    println!(
        "objective {:.4} (benefit {:.4} + adjacency bonus {:.4}), {:.2} ha",
        plan.objective,
        plan.benefit,
        plan.bonus,
        plan.area_ha.converted_ha()
    );
    assert_eq!(planned.city.report.total, 12, "every lot read");
    assert_eq!(plan.uses.len(), 12, "all twelve are candidates");
    assert_eq!(converted.len(), 4, "a 4.5 ha cap takes four 1-ha lots");
    let ha = plan.area_ha.converted_ha();
    assert!((ha - 4.0).abs() < 0.01, "four lots of 1.0004 ha, got {ha}");
    assert!(plan.objective > 0.0 && plan.objective <= plan.bound + 1e-9);
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn embed_example_plans_parcels_held_in_memory() {
        super::main().unwrap();
    }
}
