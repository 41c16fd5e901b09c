//! Ingest + project + index of generated parcels (SPEC §2), per stage size.
//!
//! `cargo bench --bench ingest` — the GeoJSON text is generated once into
//! memory, so the figure is parsing, validation, projection, accounting and
//! indexing, not disk I/O.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use landstock::ingest::{read_geojson, IngestOptions};
use landstock::synth::{write_parcels_geojson, CityParams};

fn ingest(c: &mut Criterion) {
    let mut group = c.benchmark_group("ingest_project_index");
    group.sample_size(10);
    for n in [10_000usize, 100_000] {
        let mut text = Vec::new();
        write_parcels_geojson(&CityParams::with_parcels(n), &mut text).expect("generate");
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
