//! The committed fixture city ingests whole, with the classes its properties
//! say (counts tallied from the GeoJSON with a Python one-liner over
//! gb_code/status/vacant, independently of the Rust mapping).

use std::collections::BTreeMap;
use std::path::Path;

use landstock::ingest::{read_geojson_file, IngestOptions};
use landstock::{Config, LandUse, Status};

#[test]
fn the_fixture_city_ingests_whole_with_its_tagged_classes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cfg = Config::load(root.join("fixtures/city.toml")).unwrap();
    let got = read_geojson_file(
        &root.join("fixtures/city.geojson"),
        &IngestOptions::from_config(&cfg).unwrap(),
    )
    .unwrap();
    let r = &got.report;
    assert_eq!(
        (r.total, r.accepted, r.repaired, r.rejected),
        (3000, 3000, 0, 0),
        "{r}"
    );
    assert!(r.unmapped.is_empty(), "{:?}", r.unmapped);
    assert_eq!(r.working_crs.as_deref(), Some("EPSG:32651"));
    let mut by_class: BTreeMap<(LandUse, Status), usize> = BTreeMap::new();
    for p in got.stock.parcels() {
        *by_class.entry((p.land_use, p.status)).or_default() += 1;
    }
    use LandUse::*;
    use Status::*;
    let expected = BTreeMap::from([
        ((Residential, Active), 1644), // R1 173 + R2 1256 + R3 215
        ((Public, Active), 49),        // A1 3 + A2 6 + A3 26 + A5 14
        ((Commercial, Active), 160),   // B1 131 + B2 29
        ((Industrial, Active), 184),   // M1 47 + M2 79 + M3 58
        ((Industrial, Derelict), 104), // M1 28 + M2 39 + M3 37
        ((Logistics, Active), 134),    // W1 96 + W2 38
        ((Logistics, Derelict), 54),   // W1 29 + W2 25
        ((Transport, Active), 43),     // S3 1 + S4 42
        ((Utility, Active), 49),       // U1 35 + U2 14
        ((Green, Active), 65),         // G1 31 + G2 33 + G3 1
        ((Water, Active), 18),         // E1
        ((Ecological, Active), 146),   // E2 127 + E9 19
        ((Vacant, Active), 350),       // vacant=yes: 257 with no code + 93 coded H9
    ]);
    assert_eq!(by_class, expected);
}
