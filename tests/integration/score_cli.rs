//! `landstock score` end to end: a small lon/lat city in, scored GeoJSON out.

use std::process::Command;

use serde_json::Value;

/// A 6 × 6 grid of 0.001° squares near Daqing, OSM `landuse` classes cycling; the
/// properties carry a nested value written with a trailing zero (`2.50`) to
/// show that they are copied byte for byte.
fn city() -> String {
    let classes = [
        "residential",
        "greenfield",
        "brownfield",
        "grass",
        "reservoir",
        "education",
    ];
    let mut feats = Vec::new();
    for i in 0..6 {
        for j in 0..6 {
            let (x, y) = (125.0 + i as f64 * 0.0015, 46.6 + j as f64 * 0.0015);
            let k = i * 6 + j;
            feats.push(format!(
                r#"{{"type":"Feature","id":"p{k}","properties":{{"landuse":"{}","nested":{{"a":[1,2.50]}}}},"geometry":{{"type":"Polygon","coordinates":[[[{x},{y}],[{},{y}],[{},{}],[{x},{}],[{x},{y}]]]}}}}"#,
                classes[(i + j * 2) % 6],
                x + 0.001,
                x + 0.001,
                y + 0.001,
                y + 0.001
            ));
        }
    }
    format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        feats.join(",")
    )
}

fn ring_area(ring: &[Value]) -> f64 {
    let pts: Vec<(f64, f64)> = ring
        .iter()
        .map(|c| (c[0].as_f64().unwrap(), c[1].as_f64().unwrap()))
        .collect();
    pts.windows(2)
        .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
        .sum::<f64>()
        / 2.0
}

#[test]
fn score_writes_every_candidate_with_scores_breakdown_and_original_properties() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("city.geojson");
    std::fs::write(&input, city()).unwrap();
    let stops = dir.path().join("stops.geojson");
    std::fs::write(
        &stops,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[125.004,46.604]}}]}"#,
    )
    .unwrap();
    let config = dir.path().join("c.toml");
    std::fs::write(
        &config,
        "[scoring]\ncultural_origins = [\"industrial\", \"vacant\"]\n",
    )
    .unwrap();
    let out = dir.path().join("scored.geojson");
    let status = Command::new(env!("CARGO_BIN_EXE_landstock"))
        .args(["score", "--quiet"])
        .arg(&input)
        .arg("--transit")
        .arg(&stops)
        .arg("--config")
        .arg(&config)
        .arg("--out")
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.contains(r#""nested":{"a":[1,2.50]}"#),
        "original text spliced in: {}",
        &text[..text.len().min(2500)]
    );
    let v: Value = serde_json::from_str(&text).unwrap();
    let feats = v["features"].as_array().unwrap();
    // OSM preset: greenfield → vacant, brownfield → derelict industrial
    assert_eq!(feats.len(), 12);
    for f in feats {
        let p = &f["properties"];
        let from = p["landstock_from"].as_str().unwrap();
        assert!(from == "vacant" || from == "industrial", "{from}");
        for u in ["green", "ecological", "cultural"] {
            let s = p[format!("landstock_score_{u}")].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&s));
            let bd = p["landstock_breakdown"][u].as_array().unwrap();
            let w: f64 = bd.iter().map(|c| c["weight"].as_f64().unwrap()).sum();
            assert!((w - 1.0).abs() < 1e-9);
        }
        assert_eq!(
            p["landstock_breakdown"]["cultural"][3]["criterion"],
            "transit"
        );
        assert!(p["landstock_reasons"].as_str().unwrap().contains(':'));
        let ring = f["geometry"]["coordinates"][0].as_array().unwrap();
        assert!(ring_area(ring) > 0.0, "exterior ring counter-clockwise");
        assert!(
            (ring[0][0].as_f64().unwrap() - 125.0).abs() < 0.01,
            "lon/lat again"
        );
    }
    // no temporary file left beside the output
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 4);
}

#[test]
fn an_unknown_scoring_key_fails_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("city.geojson");
    std::fs::write(&input, city()).unwrap();
    let config = dir.path().join("c.toml");
    std::fs::write(&config, "[scoring.green.size_fit]\nwieght = 0.3\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_landstock"))
        .arg("score")
        .arg(&input)
        .arg("--config")
        .arg(&config)
        .arg("--out")
        .arg(dir.path().join("o.geojson"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("wieght"), "{err}");
    assert!(!dir.path().join("o.geojson").exists());
}
