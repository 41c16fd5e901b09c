//! Ingest + project + index of generated parcels (SPEC §2), per stage size.
//!
//! `cargo bench --bench ingest` (1M too with `LANDSTOCK_BENCH_MAX=1000000`).
//! The GeoJSON text is generated once into memory, so the figure is parsing,
//! validation, projection, accounting and indexing, not disk I/O.

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use landstock::ingest::{read_geojson, IngestOptions};

fn ingest(c: &mut Criterion) {
    let mut group = c.benchmark_group("ingest_project_index");
    group.sample_size(10);
    for n in common::sizes() {
        let text = common::city_text(n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &text, |b, text| {
            b.iter(|| {
                let got = read_geojson(&text[..], "generated", &IngestOptions::default())
                    .expect("ingest");
                assert!(got.report.accepted + got.report.repaired > 0);
                got
            })
        });
    }
    group.finish();
}

criterion_group!(benches, ingest);
criterion_main!(benches);
