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
    assert_eq!(s["solver"]["status"], "heuristic");
    let (obj, bound) = (
        s["solver"]["objective"].as_f64().unwrap(),
        s["solver"]["bound"].as_f64().unwrap(),
    );
    assert!(bound >= obj && obj > 0.0);
    assert_eq!(s["plan"]["candidates"], 508);
    assert_eq!(s["ingest"]["counts"]["total"], 3000);
    assert_eq!(s["input"]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(s["config"]["plan"]["cap"], "120ha");
    // each constraint's value is the amount the indicators report
    for c in s["constraints"].as_array().unwrap() {
        let value = c["value"].as_f64().unwrap();
        let expect = match c["name"].as_str().unwrap() {
            "cap" => converted,
            "min_cultural" => get("cultural"),
            "min_ecological" => get("ecological"),
            "max_green" => get("green"),
            "construction_target" => after_cl,
            "budget" => cost - rev,
            other => panic!("unexpected constraint {other}"),
        };
        let tol = 1e-6 * expect.abs().max(1.0);
        assert!(
            (value - expect).abs() <= tol,
            "{}: {value} vs {expect}",
            c["name"]
        );
    }

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
fn plan_outputs_are_byte_identical_with_one_two_and_eight_threads() {
    let a = tempfile::tempdir().unwrap();
    let (oa, fa) = plan_fixture(a.path(), &["--solver", "fast"], Some(1));
    assert!(oa.status.success());
    for n in [2, 8] {
        let b = tempfile::tempdir().unwrap();
        let (ob, fb) = plan_fixture(b.path(), &["--solver", "fast"], Some(n));
        assert!(ob.status.success());
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
            assert_eq!(vx, vy, "{n} threads");
        }
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

#[test]
fn report_map_and_explanations_come_with_the_plan() {
    let dir = tempfile::tempdir().unwrap();
    let (map, report) = (dir.path().join("map.svg"), dir.path().join("report.html"));
    let (out, [_, summary, _]) = plan_fixture(
        dir.path(),
        &[
            "--solver",
            "fast",
            "--map",
            map.to_str().unwrap(),
            "--report",
            report.to_str().unwrap(),
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s: Value = serde_json::from_slice(&std::fs::read(summary).unwrap()).unwrap();
    let e = &s["explanations"];
    let mc = &e["marginal_value_of_cap"];
    // one more hectare never lowers the best plan (re-solved with the same solver)
    assert!(mc["per_unit"].as_f64().unwrap() >= -1e-9, "{mc}");
    assert_eq!(mc["delta"], 1.0);
    assert!(
        e["marginal_value_of_budget"].is_object(),
        "the fixture config has a budget"
    );
    for l in e["left_out"].as_array().unwrap() {
        assert!(!l["stopped_by"].as_array().unwrap().is_empty());
    }
    let svg = std::fs::read_to_string(map).unwrap();
    assert!(
        svg.starts_with("<svg") && svg.contains("city — cap 120 ha"),
        "{}",
        &svg[..200.min(svg.len())]
    );
    let html = std::fs::read_to_string(report).unwrap();
    assert!(html.contains("<svg"), "map inlined");
    // the number as written (serde_json's default parser may land an ulp off it)
    let cap = s["indicators"]["after"]["cap_used_ha"].as_f64().unwrap();
    let shown = html
        .split("data-value=\"")
        .skip(1)
        .filter_map(|t| t.split('"').next()?.parse::<f64>().ok());
    assert!(
        shown
            .into_iter()
            .any(|v| (v - cap).abs() <= 4.0 * f64::EPSILON * cap),
        "cap used {cap} in the indicator table"
    );
}

#[test]
fn three_phases_nest_and_each_stays_under_its_cap() {
    let dir = tempfile::tempdir().unwrap();
    let (out, [plan, summary, _]) = plan_fixture(
        dir.path(),
        &[
            "--solver",
            "fast",
            "--phases",
            "40ha,40ha,40ha",
            "--no-explain",
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s: Value = serde_json::from_slice(&std::fs::read(summary).unwrap()).unwrap();
    let phases = s["phases"].as_array().unwrap();
    assert_eq!(phases.len(), 3);
    let plan: Value = serde_json::from_slice(&std::fs::read(plan).unwrap()).unwrap();
    let area: std::collections::HashMap<&str, f64> = plan["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap(),
                f["properties"]["landstock_area_m2"].as_f64().unwrap() / 1e4,
            )
        })
        .collect();
    let mut seen = std::collections::HashSet::new();
    let mut cash_in = 0.0;
    for p in phases {
        // each phase's own parcels, recomputed from the plan GeoJSON's areas
        let ha: f64 = p["parcels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|id| area[id.as_str().unwrap()])
            .sum();
        assert!(ha <= 40.0 + 1e-6, "phase {}: {ha} ha", p["phase"]);
        for id in p["parcels"].as_array().unwrap() {
            assert!(
                seen.insert(id.as_str().unwrap().to_string()),
                "{id} converted twice"
            );
        }
        cash_in += p["new_money"].as_f64().unwrap() + p["auction_revenue"].as_f64().unwrap()
            - p["cost"].as_f64().unwrap();
        assert!(cash_in >= -1e-3, "cash never negative");
    }
    let converted = plan["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["landstock_use"] != "keep")
        .count();
    assert_eq!(
        seen.len(),
        converted,
        "every converted parcel belongs to one phase"
    );
}

#[test]
fn a_cap_above_every_candidate_is_legal_and_the_summary_says_it_cannot_bind() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("s.json");
    let r = landstock(
        &[
            "plan",
            "fixtures/city.geojson",
            "--config",
            "fixtures/city.toml",
            "--cap",
            "100000ha",
            "--solver",
            "fast",
            "--no-explain",
            "--quiet",
            "--out",
            dir.path().join("p.geojson").to_str().unwrap(),
            "--summary",
            summary.to_str().unwrap(),
        ],
        None,
    );
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let s: Value = serde_json::from_slice(&std::fs::read(summary).unwrap()).unwrap();
    assert_eq!(s["plan"]["cap_exceeds_candidates"], true);
    let cands = s["plan"]["candidates_ha"].as_f64().unwrap();
    assert!(cands < 100_000.0 && cands > 100.0, "{cands}");
    let cap = s["constraints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "cap")
        .unwrap();
    assert_eq!(cap["binding"], false);
}

#[test]
fn plan_geojson_follows_rfc_7946_and_reads_back_with_the_same_decisions() {
    let dir = tempfile::tempdir().unwrap();
    let (out, [plan, _, csv]) =
        plan_fixture(dir.path(), &["--solver", "fast", "--no-explain"], Some(8));
    assert!(out.status.success());
    let text = std::fs::read_to_string(&plan).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    assert!(v.get("crs").is_none(), "RFC 7946: no crs member");
    let signed_area = |ring: &Vec<Value>| -> f64 {
        let p: Vec<(f64, f64)> = ring
            .iter()
            .map(|c| (c[0].as_f64().unwrap(), c[1].as_f64().unwrap()))
            .collect();
        p.windows(2)
            .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
            .sum::<f64>()
            / 2.0
    };
    for f in v["features"].as_array().unwrap() {
        assert!(f["id"].is_string());
        let g = &f["geometry"];
        let polys: Vec<&Value> = match g["type"].as_str().unwrap() {
            "Polygon" => vec![&g["coordinates"]],
            _ => g["coordinates"].as_array().unwrap().iter().collect(),
        };
        for poly in polys {
            for (k, ring) in poly.as_array().unwrap().iter().enumerate() {
                let ring = ring.as_array().unwrap();
                assert_eq!(ring.first(), ring.last(), "closed");
                for c in ring {
                    let (x, y) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
                    assert!((-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y));
                }
                let a = signed_area(ring);
                assert!(
                    if k == 0 { a > 0.0 } else { a < 0.0 },
                    "right-hand rule: exterior ccw, holes cw"
                );
            }
        }
    }
    // read back through landstock itself: every feature a parcel again, same ids, same uses
    let opts = landstock::ingest::IngestOptions::default();
    let back = landstock::ingest::read_geojson_file(&plan, &opts).unwrap();
    assert_eq!(
        back.report.accepted + back.report.repaired,
        508,
        "{}",
        back.report
    );
    let uses: std::collections::HashMap<String, String> = csv::Reader::from_path(&csv)
        .unwrap()
        .records()
        .map(|r| r.unwrap())
        .map(|r| (r[0].to_string(), r[2].to_string()))
        .collect();
    for p in back.stock.parcels() {
        let props: Value = serde_json::from_str(p.properties.as_ref().unwrap().get()).unwrap();
        assert_eq!(
            props["landstock_use"].as_str().unwrap(),
            uses[p.id.as_str()]
        );
        let area = props["landstock_area_m2"].as_f64().unwrap();
        assert!(
            (p.area_m2() - area).abs() / area < 1e-4,
            "{}: {} vs {area}",
            p.id,
            p.area_m2()
        );
    }
}

#[test]
fn scenarios_tabulate_benefit_against_cap_and_never_fall_as_it_grows() {
    let dir = tempfile::tempdir().unwrap();
    let (out, [_, summary, _]) = plan_fixture(
        dir.path(),
        &[
            "--solver",
            "fast",
            "--no-explain",
            "--scenarios",
            "60ha,120ha,180ha",
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s: Value = serde_json::from_slice(&std::fs::read(summary).unwrap()).unwrap();
    let rows = s["scenarios"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    let caps: Vec<f64> = rows.iter().map(|r| r["cap_ha"].as_f64().unwrap()).collect();
    assert_eq!(caps, [60.0, 120.0, 180.0]);
    // the 120 ha row is the plan itself (same solver, same problem)
    let main = s["solver"]["objective"].as_f64().unwrap();
    assert_eq!(rows[1]["objective"].as_f64().unwrap(), main);
    // each row stays under its own cap; a larger cap's bound is never below a smaller cap's plan
    for r in rows {
        let c = &r["converted_ha"];
        let total: f64 = ["green", "ecological", "cultural", "redevelop"]
            .iter()
            .map(|u| c[*u].as_f64().unwrap())
            .sum();
        assert!(total <= r["cap_ha"].as_f64().unwrap() + 1e-6);
    }
    for k in 1..3 {
        assert!(
            rows[k]["bound"].as_f64().unwrap() >= rows[k - 1]["objective"].as_f64().unwrap() - 1e-6
        );
    }
    // each scenario carries its own indicators; the 120 ha one equals the plan's
    assert_eq!(rows[1]["indicators"], s["indicators"]["after"]);
    for r in rows {
        let cap_used = r["indicators"]["cap_used_ha"].as_f64().unwrap();
        assert!(cap_used <= r["cap_ha"].as_f64().unwrap() + 1e-6);
    }
}

#[test]
fn progress_names_the_solver_and_how_many_candidates_it_converted() {
    let dir = tempfile::tempdir().unwrap();
    let (plan, summary) = (dir.path().join("plan.geojson"), dir.path().join("s.json"));
    let out = landstock(
        &[
            "plan",
            "fixtures/city.geojson",
            "--config",
            "fixtures/city.toml",
            "--solver",
            "fast",
            "--no-explain",
            "--out",
            plan.to_str().unwrap(),
            "--summary",
            summary.to_str().unwrap(),
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    let s: Value = serde_json::from_slice(&std::fs::read(&summary).unwrap()).unwrap();
    let (converted, candidates) = (&s["plan"]["converted"], &s["plan"]["candidates"]);
    assert!(converted.as_u64().unwrap() > 0);
    let line =
        format!("planned (fast, heuristic): {converted} of {candidates} candidates converted");
    assert!(stderr.contains(&line), "{line:?} not in {stderr}");
    // the objective in the line is the summary's, to 4 decimals
    let objective = s["solver"]["objective"].as_f64().unwrap();
    assert!(
        stderr.contains(&format!("objective {objective:.4}")),
        "{stderr}"
    );
}
