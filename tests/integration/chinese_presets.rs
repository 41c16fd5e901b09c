//! The Chinese vocabularies end to end (issue 15): a generated city, whose
//! parcels carry GB 50137 codes, rewritten in the Third National Land
//! Survey's GB/T 21010 codes (`DLBM`) and in the 2023 land- and sea-use
//! classification (`YDYHFLDM`), class for class, plans exactly as the
//! GB 50137 original does.

use landstock::config::SolverChoice;
use landstock::{Config, Pipeline, Planned};
use landstock_synth::{write_parcels_geojson, CityParams};
use serde_json::Value;

/// A GB 50137 code's counterpart in GB/T 21010-2017 and in 用地用海 (2023),
/// chosen by what each standard names the same land: housing, public
/// services, commerce, industry, warehouses, roads, utilities, parks,
/// water, farmland, bare land. Codes no preset maps stay unmapped
/// (military land in both).
fn counterparts(gb50137: &str) -> (&'static str, &'static str) {
    let c = gb50137.trim().to_ascii_uppercase();
    match (c.chars().next(), c.get(1..).unwrap_or("")) {
        (Some('R'), _) => ("0701", "0701"),
        (Some('A'), _) => ("0803", "0804"),
        (Some('B'), _) => ("0501", "0901"),
        (Some('M'), _) => ("0601", "1001"),
        (Some('W'), _) => ("0604", "1101"),
        (Some('S'), _) => ("1004", "1207"),
        (Some('U'), _) => ("0809", "1303"),
        (Some('G'), _) => ("0810", "1401"),
        (Some('E'), d) if d.starts_with('1') => ("1101", "1701"),
        (Some('E'), d) if d.starts_with('2') => ("0103", "0103"),
        (Some('E'), _) => ("1206", "2306"),
        _ => ("0901", "1501"),
    }
}

/// The generated city's GeoJSON with `gb_code` replaced by `field` holding
/// the code `pick` gives.
fn rewritten(city: &[u8], field: &str, pick: impl Fn(&str) -> &'static str) -> Vec<u8> {
    let mut v: Value = serde_json::from_slice(city).unwrap();
    for f in v["features"].as_array_mut().unwrap() {
        let props = f["properties"].as_object_mut().unwrap();
        if let Some(Value::String(code)) = props.remove("gb_code") {
            props.insert(field.to_string(), Value::from(pick(&code)));
        }
    }
    serde_json::to_vec(&v).unwrap()
}

fn plan(geojson: Vec<u8>, preset: &str) -> Planned {
    let mut cfg = Config::from_toml_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/city.toml"))
            .unwrap(),
        "city.toml".as_ref(),
    )
    .unwrap();
    cfg.mapping.preset = Some(preset.to_string());
    cfg.mapping.field = None; // each preset's own field: gb_code, DLBM, YDYHFLDM
    cfg.plan.solver = SolverChoice::Fast;
    Pipeline::from_reader(std::io::Cursor::new(geojson), "city")
        .config(cfg)
        .plan()
        .unwrap()
}

#[test]
fn gb21010_and_ydyh_layers_plan_as_the_gb50137_original() {
    let mut city = Vec::new();
    write_parcels_geojson(&CityParams::with_parcels(3000), &mut city).unwrap();
    let reference = plan(city.clone(), "gb50137");
    assert!(
        reference.input.candidates.len() > 100,
        "{} candidates",
        reference.input.candidates.len()
    );
    assert!(reference.plan.area_ha.converted_ha() > 1.0);
    for (preset, field, pick) in [
        (
            "gb21010",
            "DLBM",
            (|c: &str| counterparts(c).0) as fn(&str) -> &'static str,
        ),
        ("ydyh", "YDYHFLDM", |c: &str| counterparts(c).1),
    ] {
        let got = plan(rewritten(&city, field, pick), preset);
        // every parcel has the class it had under GB 50137
        let classes = |p: &Planned| -> Vec<_> {
            p.city
                .stock
                .parcels()
                .iter()
                .map(|x| (x.id.clone(), x.land_use))
                .collect()
        };
        assert_eq!(classes(&got), classes(&reference), "{preset}: classes");
        let unmapped = |p: &Planned| p.city.report.unmapped.values().sum::<usize>();
        assert_eq!(unmapped(&got), unmapped(&reference), "{preset}");
        let ids =
            |p: &Planned| -> Vec<_> { p.input.candidates.iter().map(|c| c.id.clone()).collect() };
        assert_eq!(ids(&got), ids(&reference), "{preset}: candidates");
        assert_eq!(got.plan.uses, reference.plan.uses, "{preset}: the plan");
        assert_eq!(
            got.plan.objective.to_bits(),
            reference.plan.objective.to_bits(),
            "{preset}: objective"
        );
    }
}

/// A one-feature FeatureCollection of a lon/lat ring.
fn square_geojson(ring: &[(f64, f64)]) -> String {
    let coords: Vec<String> = ring.iter().map(|(x, y)| format!("[{x},{y}]")).collect();
    format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","id":"a","properties":{{"landuse":"brownfield"}},"geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}]}}"#,
        coords.join(",")
    )
}

fn ingest(text: &str, toml: &str) -> landstock::ingest::Ingested {
    let cfg = Config::from_toml_str(toml, "c.toml".as_ref()).unwrap();
    let opts = landstock::ingest::IngestOptions::from_config(&cfg).unwrap();
    landstock::ingest::read_geojson(text.as_bytes(), "t.geojson", &opts).unwrap()
}

#[test]
fn ellipsoidal_areas_are_the_geodesic_area_whatever_the_working_crs() {
    // the issue's square: 0.001° at 80° E, 40° N
    let ring = [
        (80.0, 40.0),
        (80.001, 40.0),
        (80.001, 40.001),
        (80.0, 40.001),
        (80.0, 40.0),
    ];
    let text = square_geojson(&ring);
    // by hand: M·N·cos φ·Δλ·Δφ at φ = 40.0005° on WGS 84 (M, N the radii of
    // curvature): 9,481.607 m²
    let by_hand = 9481.607;
    // measured in UTM 48N (centred at 105° E, the zone of a layer spanning
    // 80–130° E), the planar area is the issue's 10,587 m², 11.7 % too large
    let planar = ingest(&text, "[input]\nworking_epsg = 32648\n");
    let far = planar.stock.get(0).area_m2();
    assert!((far - 10_587.0).abs() < 1.0, "planar {far}");
    for zone in [32644, 32648] {
        let got = ingest(
            &text,
            &format!("[input]\nworking_epsg = {zone}\narea = \"ellipsoidal\"\n"),
        );
        let a = got.stock.get(0).area_m2();
        assert!((a - by_hand).abs() < 0.01, "EPSG:{zone}: {a}");
    }
}

#[test]
fn gcj02_input_is_corrected_to_wgs84() {
    use landstock::crs::gcj02::wgs84_to_gcj02;
    // a 100 m square in Shanghai at the published WGS-84 point, given in GCJ-02
    let (lon, lat) = (121.5272106, 31.1774276);
    let wgs = [
        (lon, lat),
        (lon + 0.001, lat),
        (lon + 0.001, lat + 0.001),
        (lon, lat + 0.001),
        (lon, lat),
    ];
    let gcj: Vec<(f64, f64)> = wgs.iter().map(|&(x, y)| wgs84_to_gcj02(x, y)).collect();
    let as_gcj = ingest(&square_geojson(&gcj), "[input]\ncrs = \"GCJ-02\"\n");
    let as_wgs = ingest(&square_geojson(&wgs), "");
    assert_eq!(as_gcj.report.input_crs, "GCJ-02 (corrected to EPSG:4326)");
    assert_eq!(as_gcj.report.working_crs, as_wgs.report.working_crs);
    use geo::CoordsIter;
    let (a, b) = (&as_gcj.stock.get(0).geometry, &as_wgs.stock.get(0).geometry);
    for (p, q) in a.coords_iter().zip(b.coords_iter()) {
        assert!((p.x - q.x).hypot(p.y - q.y) < 0.01, "{p:?} against {q:?}");
    }
    // uncorrected, the offset is hundreds of metres
    let raw = ingest(&square_geojson(&gcj), "");
    let (p, q) = (
        raw.stock.get(0).geometry.coords_iter().next().unwrap(),
        b.coords_iter().next().unwrap(),
    );
    assert!((p.x - q.x).hypot(p.y - q.y) > 400.0);
}
