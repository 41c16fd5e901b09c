//! Suitability scoring (SPEC §4) of generated parcels: context, class
//! indexes, candidates and every criterion of the three uses.
//!
//! `cargo bench --bench score` (1M too with `LANDSTOCK_BENCH_MAX=1000000`).
//! The synthetic city is generated and ingested once, outside the timing,
//! so the figure is scoring alone (target: 100,000 parcels in <= 0.5 s on a
//! 2-core machine).

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use landstock::candidates::Candidates;
use landstock::context::{Context, ContextOptions};
use landstock::score::{Layers, Scorer, ScoringConfig};

fn score(c: &mut Criterion) {
    let mut group = c.benchmark_group("score");
    group.sample_size(10);
    for n in common::sizes() {
        let stock = common::ingested_city(n).stock;
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
