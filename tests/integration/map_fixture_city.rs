//! The map of the whole fixture city: one path per parcel in the before
//! panel, one more per converted parcel in the after panel, grouped by class
//! and by use with the counts tallied independently here.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use landstock::ingest::{read_geojson_file, IngestOptions};
use landstock::output::map::{map_svg, MapOptions};
use landstock::{Config, LandUse, Status, Use};

#[test]
fn the_fixture_city_map_draws_every_parcel_once_per_panel() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cfg = Config::load(root.join("fixtures/city.toml")).unwrap();
    let got = read_geojson_file(
        &root.join("fixtures/city.geojson"),
        &IngestOptions::from_config(&cfg).unwrap(),
    )
    .unwrap();
    let stock = got.stock;
    assert_eq!(stock.len(), 3000);
    // a stand-in plan: derelict industry → cultural, vacant → green
    let after: Vec<Option<Use>> = stock
        .parcels()
        .iter()
        .map(|p| match (p.land_use, p.status) {
            (LandUse::Industrial, Status::Derelict) => Some(Use::Cultural),
            (LandUse::Vacant, _) => Some(Use::Green),
            _ => None,
        })
        .collect();
    let opts = MapOptions {
        city: "city".into(),
        cap_ha: Some(120.0),
        ..MapOptions::default()
    };
    let t = Instant::now();
    let svg = map_svg(&stock, &after, &opts);
    eprintln!(
        "map of {} parcels: {:.3} s, {} bytes",
        stock.len(),
        t.elapsed().as_secs_f64(),
        svg.len()
    );
    assert_eq!(svg, map_svg(&stock, &after, &opts), "deterministic");
    assert!(svg.contains(">\ncity — cap 120 ha\n</text>"), "the title");

    // split at the converted group: the before panel's definitions come first
    let (before, converted) = svg
        .split_once(r#"id="landstock-converted-parcels""#)
        .expect("a converted group");
    assert_eq!(before.matches(r#"<path class="parcel""#).count(), 3000);
    assert_eq!(
        svg.matches(r##"href="#landstock-before-parcels""##).count(),
        2,
        "drawn in both panels"
    );
    let mut by_class: BTreeMap<&str, usize> = BTreeMap::new();
    for p in stock.parcels() {
        *by_class.entry(p.land_use.as_str()).or_default() += 1;
    }
    for (class, n) in &by_class {
        let start = before.find(&format!(r#"class="class-{class}""#)).unwrap();
        let group = &before[start..];
        let group = &group[..group.find("</g>").unwrap()];
        assert_eq!(group.matches("<path ").count(), *n, "class {class}");
    }
    let derelict = stock
        .parcels()
        .iter()
        .filter(|p| p.land_use == LandUse::Industrial && p.status == Status::Derelict)
        .count();
    let vacant = by_class.get("vacant").copied().unwrap_or(0);
    assert_eq!(
        derelict, 104,
        "tests/fixture_city.rs tallies 104 derelict industrial parcels"
    );
    assert!(vacant > 0);
    for (class, n) in [("use-green", vacant), ("use-cultural", derelict)] {
        let start = converted.find(&format!(r#"class="{class}""#)).unwrap();
        let group = &converted[start..];
        let group = &group[..group.find("</g>").unwrap()];
        assert_eq!(
            group.matches(r#"<path class="parcel""#).count(),
            n,
            "{class}"
        );
    }
    assert_eq!(converted.matches("<path ").count(), vacant + derelict);
}
