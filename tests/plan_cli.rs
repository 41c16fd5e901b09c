//! `landstock plan` end to end on the fixture city: files written, every
//! candidate once, decisions consistent across GeoJSON, CSV and summary,
//! the limits of `fixtures/city.toml` held, exit codes per failure class,
//! byte-identical outputs whatever the thread count.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn landstock(args: &[&str], threads: Option<usize>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_landstock"));
    c.current_dir(root()).args(args);
    if let Some(n) = threads {
        c.env("RAYON_NUM_THREADS", n.to_string());
    }
    c.output().unwrap()
}

/// Plans the fixture city with its config into `dir`; returns the paths of
/// plan, summary and CSV.
fn plan_fixture(dir: &Path, extra: &[&str], threads: Option<usize>) -> (Output, [PathBuf; 3]) {
    let files = [
        dir.join("plan.geojson"),
        dir.join("summary.json"),
        dir.join("decisions.csv"),
    ];
    let mut args = vec![
        "plan",
        "fixtures/city.geojson",
        "--config",
        "fixtures/city.toml",
        "--transit",
        "fixtures/city_transit.geojson",
        "--facilities",
        "fixtures/city_facilities.geojson",
        "--quiet",
    ];
    let paths: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    args.extend([
        "--out",
        &paths[0],
        "--summary",
        &paths[1],
        "--csv",
        &paths[2],
    ]);
    args.extend(extra);
    (landstock(&args, threads), files)
}

#[test]
fn plan_of_the_fixture_city_holds_every_limit_of_its_config_and_lists_each_candidate_once() {
    let dir = tempfile::tempdir().unwrap();
    let (out, [plan, summary, csv]) = plan_fixture(dir.path(), &["--solver", "fast"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan: Value = serde_json::from_slice(&std::fs::read(plan).unwrap()).unwrap();
    let feats = plan["features"].as_array().unwrap();
    assert_eq!(feats.len(), 508, "every candidate");
    let mut ids: Vec<&str> = feats.iter().map(|f| f["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 508, "each once");

    // recompute the converted areas from the GeoJSON alone
    let mut ha = std::collections::BTreeMap::<String, f64>::new();
    for f in feats {
        let p = &f["properties"];
        let u = p["landstock_use"].as_str().unwrap().to_string();
        *ha.entry(u).or_default() += p["landstock_area_m2"].as_f64().unwrap() / 1e4;
        if p["landstock_use"] == "cultural" || p["landstock_use"] == "redevelop" {
            assert!(matches!(
                p["landstock_from"].as_str(),
                Some("industrial" | "logistics")
            ));
        }
    }
    let get = |u: &str| ha.get(u).copied().unwrap_or(0.0);
    let converted = get("green") + get("ecological") + get("cultural") + get("redevelop");
    // fixtures/city.toml: cap 120 ha, green ≤ 60 % = 72 ha, ecological ≥ 30 ha, cultural ≥ 15 ha
    assert!(converted <= 120.0 + 1e-6, "cap: {converted}");
    assert!(get("green") <= 72.0 + 1e-6);
    assert!(get("ecological") >= 30.0 - 1e-6);
    assert!(get("cultural") >= 15.0 - 1e-6);

    let s: Value = serde_json::from_slice(&std::fs::read(summary).unwrap()).unwrap();
    let after = &s["indicators"]["after"];
    for (u, v) in &ha {
        if u != "keep" {
            let reported = after["converted_ha"][u.as_str()].as_f64().unwrap();
            assert!((reported - v).abs() < 1e-6, "{u}: {reported} vs {v}");
        }
    }
    // construction land: 5,853.12 ha before; the target is 5,830 ha; only
    // ecological conversions of construction land shrink it
    let before_cl = s["indicators"]["before"]["construction_land_ha"]
        .as_f64()
        .unwrap();
    let after_cl = after["construction_land_ha"].as_f64().unwrap();
    assert!((before_cl - 5853.12).abs() < 0.01, "{before_cl}");
    assert!(after_cl <= 5830.0 + 1e-6);
    assert!(
        (after_cl - (before_cl - get("ecological"))).abs() < 1e-6,
        "all candidates are construction land"
    );
    // budget: cost ≤ 150 M + auction revenue
    let b = &after["budget"];
    let (cost, rev) = (
        b["cost"].as_f64().unwrap(),
        b["auction_revenue"].as_f64().unwrap(),
    );
    assert!(cost <= 1.5e8 + rev + 1e-3, "cost {cost} revenue {rev}");
    assert!((b["net_cost"].as_f64().unwrap() - (cost - rev)).abs() < 1e-3);
    assert_eq!(s["solver"]["method"], "fast");
    let (obj, bound) = (
        s["solver"]["objective"].as_f64().unwrap(),
        s["solver"]["bound"].as_f64().unwrap(),
    );
    assert!(bound >= obj && obj > 0.0);
    assert_eq!(s["plan"]["candidates"], 508);
    assert_eq!(s["ingest"]["counts"]["total"], 3000);
    assert_eq!(s["input"]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(s["config"]["plan"]["cap"], "120ha");

    // the CSV says the same as the GeoJSON, row for row
    let text = std::fs::read_to_string(csv).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 508);
    for (r, f) in rows.iter().zip(feats) {
        assert_eq!(&r[0], f["id"].as_str().unwrap());
        assert_eq!(&r[2], f["properties"]["landstock_use"].as_str().unwrap());
    }
}

#[test]
fn plan_outputs_are_byte_identical_with_one_and_two_threads() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let (oa, fa) = plan_fixture(a.path(), &["--solver", "fast"], Some(1));
    let (ob, fb) = plan_fixture(b.path(), &["--solver", "fast"], Some(2));
    assert!(oa.status.success() && ob.status.success());
    for (x, y) in fa.iter().zip(&fb) {
        let (x, y) = (std::fs::read(x).unwrap(), std::fs::read(y).unwrap());
        if x == y {
            continue;
        }
        // the summary differs only in the measured solver time
        let mut vx: Value = serde_json::from_slice(&x).unwrap();
        let mut vy: Value = serde_json::from_slice(&y).unwrap();
        vx["solver"]["seconds"] = Value::Null;
        vy["solver"]["seconds"] = Value::Null;
        assert_eq!(vx, vy);
    }
}

#[test]
fn exit_codes_name_the_failure_class() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("p.geojson");
    let o = out.to_str().unwrap();
    // 2: usage — no cap anywhere; a cap that is not an area
    let r = landstock(&["plan", "fixtures/city.geojson", "--out", o], None);
    assert_eq!(
        r.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    assert!(String::from_utf8_lossy(&r.stderr).contains("--cap"));
    let r = landstock(
        &["plan", "fixtures/city.geojson", "--cap", "lots", "--out", o],
        None,
    );
    assert_eq!(r.status.code(), Some(2));
    // 1: input — a missing file, a config with an unknown key
    let r = landstock(
        &["plan", "no/such.geojson", "--cap", "10ha", "--out", o],
        None,
    );
    assert_eq!(r.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&r.stderr).contains("no/such.geojson"));
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[plan]\ncapp = 3\n").unwrap();
    let r = landstock(
        &[
            "plan",
            "fixtures/city.geojson",
            "--config",
            bad.to_str().unwrap(),
            "--cap",
            "10ha",
            "--out",
            o,
        ],
        None,
    );
    assert_eq!(r.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&r.stderr).contains("plan.capp"));
    // 3: infeasible — a 50 ha park minimum under a 10 ha cap
    let inf = dir.path().join("inf.toml");
    let base = std::fs::read_to_string(root().join("fixtures/city.toml")).unwrap();
    let base = base.split("[plan]").next().unwrap().to_string();
    std::fs::write(&inf, format!("{base}[plan.bounds.green]\nmin = \"50ha\"\n")).unwrap();
    let r = landstock(
        &[
            "plan",
            "fixtures/city.geojson",
            "--config",
            inf.to_str().unwrap(),
            "--cap",
            "10ha",
            "--out",
            o,
        ],
        None,
    );
    assert_eq!(
        r.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    let msg = String::from_utf8_lossy(&r.stderr);
    assert!(
        msg.contains("infeasible") && msg.contains("50 ha") && msg.contains("cap 10 ha"),
        "{msg}"
    );
    assert!(!out.exists(), "no plan file after a failure");
}

#[test]
fn unwritable_output_fails_before_any_work_and_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("missing-dir/plan.geojson");
    let r = landstock(
        &[
            "plan",
            "fixtures/city.geojson",
            "--cap",
            "10ha",
            "--out",
            bad.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(r.status.code(), Some(1));
    let msg = String::from_utf8_lossy(&r.stderr);
    assert!(
        msg.contains("cannot write") && msg.contains("missing-dir"),
        "{msg}"
    );
    assert!(
        !msg.contains("read 3000 parcels"),
        "failed before reading: {msg}"
    );
}
