//! Adding your own criterion to a use's score: here a "riverside" criterion
//! for ecological land (distance to the nearest water parcel), next to the
//! SPEC's five. Weights are renormalised, and the breakdown shows it.
//!
//! ```sh
//! cargo run --example custom_criterion
//! ```

use std::path::Path;

use landstock::candidates::Candidates;
use landstock::context::{Context, ContextOptions};
use landstock::ingest::{read_geojson_file, IngestOptions};
use landstock::score::{FnCriterion, Layers, ParcelIndex, Scorer, TargetUse, Transfer};
use landstock::{Config, LandUse};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cfg = Config::load(root.join("fixtures/city.toml"))?;
    let got = read_geojson_file(
        &root.join("fixtures/city.geojson"),
        &IngestOptions::from_config(&cfg)?,
    )?;
    let stock = got.stock;
    let cx = Context::new(&stock, &ContextOptions::default());
    let layers = Layers::new(&stock, &cx);
    let candidates = Candidates::of(&stock);

    let water = ParcelIndex::build(&stock, |_, p| p.land_use == LandUse::Water);
    // 1 within 100 m of a river or lake, falling to 0 at 1 km; weight 0.25
    // before renormalisation (the SPEC's five ecological weights sum to 1)
    let riverside = FnCriterion::new(
        "riverside",
        "m",
        Transfer::InverseRamp {
            lo: 100.0,
            hi: 1000.0,
        },
        0.25,
        move |layers: &Layers<'_>, i| water.nearest_dist_m(layers.stock(), i),
    );
    let sheet = Scorer::new(&cfg.scoring, &layers)
        .with_criterion(TargetUse::Ecological, riverside)
        .score(&layers, candidates.indices())?;

    let eco = sheet.use_sheet(TargetUse::Ecological);
    let names: Vec<&str> = eco.criteria.iter().map(|c| c.name.as_str()).collect();
    println!("ecological criteria: {names:?}");
    let w = eco
        .criteria
        .iter()
        .find(|c| c.name == "riverside")
        .map(|c| c.weight);
    println!("riverside weight after renormalisation: {:?}", w);
    // 0.25 / (1 + 0.25) = 0.2
    assert!((w.unwrap() - 0.2).abs() < 1e-12);
    let total: f64 = eco.criteria.iter().map(|c| c.weight).sum();
    assert!((total - 1.0).abs() < 1e-12);

    // the best riverside candidate, with its breakdown
    let best = sheet
        .rows()
        .iter()
        .max_by(|a, b| {
            a.score(TargetUse::Ecological)
                .unwrap_or(0.0)
                .total_cmp(&b.score(TargetUse::Ecological).unwrap_or(0.0))
                .then(b.index.cmp(&a.index))
        })
        .unwrap();
    println!("best ecological candidate: {}", stock.get(best.index).id);
    for line in sheet.breakdown(best, TargetUse::Ecological).unwrap() {
        println!(
            "  {:<14} raw {:>10.1} {:<9} value {:.2} weight {:.2}",
            line.criterion,
            line.raw.unwrap_or(f64::NAN),
            line.unit,
            line.value,
            line.weight
        );
    }
    let lines = sheet.breakdown(best, TargetUse::Ecological).unwrap();
    assert_eq!(lines.len(), 6, "five SPEC criteria and ours");
    // the score is the weighted mean of the transferred values
    let mean: f64 = lines.iter().map(|l| l.value * l.weight).sum();
    assert!((mean - best.score(TargetUse::Ecological).unwrap()).abs() < 1e-12);
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn custom_criterion_example_runs_and_renormalises_weights() {
        super::main().unwrap();
    }
}
