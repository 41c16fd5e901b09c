//! The committed fixture city (`fixtures/` of landstock) is exactly what the
//! generator writes with the default parameters, byte for byte: regenerating
//! it (`cargo run --example make_fixture_city`) changes nothing.

use std::path::Path;

use landstock_synth::{
    write_facilities_geojson, write_parcels_geojson, write_transit_geojson, CityParams,
};

fn committed(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_committed_fixture_city_regenerates_byte_identically() {
    let params = CityParams::default();
    let mut parcels = Vec::new();
    let summary = write_parcels_geojson(&params, &mut parcels).unwrap();
    assert_eq!(summary.n_parcels, 3000);
    assert!(
        parcels == committed("city.geojson"),
        "fixtures/city.geojson"
    );
    let mut transit = Vec::new();
    write_transit_geojson(&params, &mut transit).unwrap();
    assert!(
        transit == committed("city_transit.geojson"),
        "fixtures/city_transit.geojson"
    );
    let mut facilities = Vec::new();
    write_facilities_geojson(&params, &mut facilities).unwrap();
    assert!(
        facilities == committed("city_facilities.geojson"),
        "fixtures/city_facilities.geojson"
    );
}
