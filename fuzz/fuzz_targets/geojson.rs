//! GeoJSON ingestion on arbitrary bytes: a typed error or a report that
//! accounts for every feature, never a panic.
#![no_main]

use landstock::ingest::{read_geojson, IngestOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = IngestOptions::default();
    if let Ok(got) = read_geojson(data, "fuzz.geojson", &opts) {
        let r = &got.report;
        assert_eq!(r.accepted + r.repaired + r.rejected, r.total);
        assert_eq!(r.rejections.len(), r.rejected);
        assert_eq!(got.stock.len(), r.accepted + r.repaired);
    }
});
