//! Suitability scoring (SPEC §4) of generated parcels: context, class
//! indexes, candidates and every criterion of the three uses.
//!
//! `cargo bench --bench score` — the synthetic city is generated and
//! ingested once, outside the timing, so the figure is scoring alone
//! (target: 100,000 parcels in <= 0.5 s on a 2-core machine).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use landstock::candidates::Candidates;
use landstock::context::{Context, ContextOptions};
use landstock::ingest::{read_geojson, IngestOptions};
use landstock::score::{Layers, Scorer, ScoringConfig};
use landstock::synth::{write_parcels_geojson, CityParams};

fn score(c: &mut Criterion) {
    let mut group = c.benchmark_group("score");
    group.sample_size(10);
    for n in [10_000usize, 100_000] {
        let mut text = Vec::new();
        write_parcels_geojson(&CityParams::with_parcels(n), &mut text).expect("generate");
        let cfg = landstock::Config::load(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/city.toml"),
        )
        .expect("fixtures/city.toml");
        let opts = IngestOptions::from_config(&cfg).expect("options");
        let stock = read_geojson(&text[..], "generated", &opts)
            .expect("ingest")
            .stock;
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &stock, |b, stock| {
            b.iter(|| {
                let cx = Context::new(stock, &ContextOptions::default());
                let layers = Layers::new(stock, &cx);
                let candidates = Candidates::of(stock);
                let sheet = Scorer::new(&ScoringConfig::default(), &layers)
                    .score(&layers, candidates.indices())
                    .expect("score");
                assert!(!sheet.rows().is_empty());
                sheet.rows().len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, score);
criterion_main!(benches);
