//! The typed summary holds the whole schema: every `summary.json` the CLI
//! writes reads back into [`Summary`] and out again with nothing lost or
//! added (plain, with explanations, with phases and scenarios).

use std::path::Path;
use std::process::Command;

use landstock::output::summary::{ScenarioSummary, Summary};

fn summary_of(extra: &[&str]) -> Vec<u8> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let st = Command::new(env!("CARGO_BIN_EXE_landstock"))
        .current_dir(root)
        .args([
            "plan",
            "fixtures/city.geojson",
            "--config",
            "fixtures/city.toml",
        ])
        .args(["--transit", "fixtures/city_transit.geojson"])
        .args(["--facilities", "fixtures/city_facilities.geojson"])
        .args(["--solver", "fast", "--quiet", "--out"])
        .arg(dir.path().join("plan.geojson"))
        .arg("--summary")
        .arg(dir.path().join("summary.json"))
        .args(extra)
        .status()
        .unwrap();
    assert!(st.success());
    std::fs::read(dir.path().join("summary.json")).unwrap()
}

/// Reads a summary into [`Summary`] and back into JSON: nothing may be lost
/// or added. (Compared as JSON values read by the same parser: serde_json's
/// default float parser may land one ulp off the written digits, which
/// landstock does not change because ingestion reads coordinates with it.)
fn round_trip(bytes: &[u8]) -> Summary {
    let s: Summary = serde_json::from_slice(bytes).unwrap();
    let mut again = Vec::new();
    s.write_json(&mut again).unwrap();
    let (read, written): (serde_json::Value, serde_json::Value) = (
        serde_json::from_slice(bytes).unwrap(),
        serde_json::from_slice(&again).unwrap(),
    );
    assert!(
        same_within_ulps(&read, &written),
        "summary.json changed on the way through Summary"
    );
    assert!(again.len().abs_diff(bytes.len()) < 64, "same layout");
    assert!(
        s.extra.is_empty(),
        "every member typed: {:?}",
        s.extra.keys()
    );
    s
}

/// Equal JSON values, numbers within 4 ulps: serde_json's default float
/// parser may land an ulp off the written digits, on each of the two reads.
fn same_within_ulps(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value::*;
    match (a, b) {
        (Number(x), Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => (x - y).abs() <= 4.0 * f64::EPSILON * x.abs().max(y.abs()),
            _ => x == y,
        },
        (Array(x), Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_within_ulps(x, y))
        }
        (Object(x), Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_within_ulps(v, w)))
        }
        _ => a == b,
    }
}

#[test]
fn every_summary_the_cli_writes_reads_back_and_writes_the_same_bytes() {
    let plain = round_trip(&summary_of(&[]));
    assert_eq!(plain.plan.candidates, 508);
    assert_eq!(plain.ingest.counts.total, 3000);
    assert!(plain.explanations.is_some());
    let phased = round_trip(&summary_of(&[
        "--phases",
        "40ha,80ha",
        "--scenarios",
        "60ha,1ha",
    ]));
    assert_eq!(phased.phases.as_ref().map(Vec::len), Some(2));
    let rows = phased.scenarios.unwrap();
    assert!(matches!(rows[0], ScenarioSummary::Planned { .. }));
    assert!(
        matches!(rows[1], ScenarioSummary::Failed { .. }),
        "1 ha is below the 45 ha of per-use minimums"
    );
}
