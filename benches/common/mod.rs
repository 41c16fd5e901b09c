//! Shared by the benches: the city sizes to run and a generated city.

#![allow(dead_code)] // each bench uses part of it

use landstock::ingest::{read_geojson, IngestOptions, Ingested};
use landstock_synth::{write_parcels_geojson, CityParams};

/// 10k and 100k parcels, and 1M when `LANDSTOCK_BENCH_MAX=1000000`.
pub fn sizes() -> Vec<usize> {
    let max: usize = std::env::var("LANDSTOCK_BENCH_MAX")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(100_000);
    [10_000, 100_000, 1_000_000]
        .into_iter()
        .filter(|&n| n <= max)
        .collect()
}

/// The GeoJSON text of the generated city of `n` parcels.
pub fn city_text(n: usize) -> Vec<u8> {
    let mut text = Vec::new();
    write_parcels_geojson(&CityParams::with_parcels(n), &mut text).expect("generate");
    text
}

/// The generated city of `n` parcels, ingested with the fixture city's
/// `[input]` and `[mapping]`.
pub fn ingested_city(n: usize) -> Ingested {
    let cfg = landstock::Config::load(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/city.toml"),
    )
    .expect("fixtures/city.toml");
    let opts = IngestOptions::from_config(&cfg).expect("options");
    read_geojson(&city_text(n)[..], "generated", &opts).expect("ingest")
}
