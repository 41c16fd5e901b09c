//! The API called in process (`tower::ServiceExt::oneshot`) on the fixture
//! city, against the library's own pipeline (what `landstock plan` runs).

use std::path::Path;
use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

use landstock::pipeline::Pipeline;
use landstock::plan::HighsRunner;
use landstock::Config;

use super::routes::router;
use super::state::{Origin, Studio};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn config() -> Config {
    Config::load(root().join("fixtures/city.toml")).unwrap()
}

fn pipeline() -> Pipeline {
    Pipeline::from_path(root().join("fixtures/city.geojson"))
        .config(config())
        .transit_file(root().join("fixtures/city_transit.geojson"))
        .facilities_file(root().join("fixtures/city_facilities.geojson"))
}

fn new_studio() -> Arc<Studio> {
    let city = pipeline().score().unwrap();
    Arc::new(Studio::new(
        city,
        config(),
        Origin {
            file: root().join("fixtures/city.geojson"),
            transit: Some(root().join("fixtures/city_transit.geojson")),
            facilities: Some(root().join("fixtures/city_facilities.geojson")),
        },
        HighsRunner::InProcess,
    ))
}

/// One studio for the tests (scoring the city takes a while).
fn studio() -> Arc<Studio> {
    static S: OnceLock<Arc<Studio>> = OnceLock::new();
    S.get_or_init(new_studio).clone()
}

async fn call(method: &str, uri: &str, body: Option<Value>) -> (StatusCode, Vec<u8>) {
    call_on(studio(), method, uri, body).await
}

async fn call_on(
    studio: Arc<Studio>,
    method: &str,
    uri: &str,
    body: Option<Value>,
) -> (StatusCode, Vec<u8>) {
    let req = Request::builder().method(method).uri(uri);
    let req = match body {
        Some(b) => req
            .header("content-type", "application/json")
            .body(Body::from(b.to_string())),
        None => req.body(Body::empty()),
    }
    .unwrap();
    let res = router(studio).oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, bytes)
}

async fn json_of(method: &str, uri: &str, body: Option<Value>) -> (StatusCode, Value) {
    let (s, b) = call(method, uri, body).await;
    let v = serde_json::from_slice(&b).unwrap_or_else(|e| panic!("{uri}: {e}: {b:?}"));
    (s, v)
}

/// The objective `landstock plan --cap` finds (the same pipeline, run whole).
fn library_objective(cap_ha: f64, solver: landstock::config::SolverChoice) -> (f64, usize) {
    let mut cfg = config();
    cfg.plan.solver = solver;
    let p = pipeline().config(cfg).cap_ha(cap_ha).plan().unwrap();
    let converted = p.plan.uses.iter().filter(|u| u.is_conversion()).count();
    (p.plan.objective, converted)
}

#[tokio::test]
async fn a_plan_at_a_cap_has_the_objective_the_pipeline_finds_at_that_cap() {
    for cap in [60.0, 120.0] {
        let (status, v) = json_of(
            "POST",
            "/api/plan",
            Some(json!({"cap": format!("{cap}ha"), "solver": "fast"})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{v}");
        let (objective, converted) = library_objective(cap, landstock::config::SolverChoice::Fast);
        assert_eq!(
            v["summary"]["solver"]["objective"].as_f64(),
            Some(objective)
        );
        assert_eq!(v["summary"]["plan"]["converted"], converted);
        assert_eq!(v["summary"]["plan"]["cap_ha"], cap);
        // the benefit is the sum of the decisions' benefits, added up here
        let decisions = v["decisions"].as_array().unwrap();
        assert_eq!(decisions.len(), 508, "one decision per candidate");
        let sum: f64 = decisions
            .iter()
            .map(|d| d["benefit"].as_f64().unwrap())
            .sum();
        let benefit = v["summary"]["solver"]["benefit"].as_f64().unwrap();
        assert!(
            (sum - benefit).abs() < 1e-9 * benefit.max(1.0),
            "{sum} vs {benefit}"
        );
        let area: f64 = decisions
            .iter()
            .filter(|d| d["use"] != "keep")
            .map(|d| d["area_m2"].as_f64().unwrap() / 1e4)
            .sum();
        assert!(
            area <= cap + 1e-9,
            "{area} ha converted under a {cap} ha cap"
        );
    }
}

/// `x` written as JSON and read back, as the answers are (serde_json's
/// reader may round the last bit of a float: compare like with like).
fn as_served(x: &impl serde::Serialize) -> Value {
    serde_json::from_str(&serde_json::to_string(x).unwrap()).unwrap()
}

/// The server measures *before* once; both sides must still be what
/// `landstock::indicators::of_plan` measures for the same plan at each cap.
#[tokio::test]
async fn the_indicators_are_of_plan_s_at_every_cap() {
    let s = new_studio();
    let mut befores = Vec::new();
    for cap in [120.0, 60.0] {
        let body = json!({"cap": format!("{cap}ha"), "solver": "fast"});
        let (status, b) = call_on(s.clone(), "POST", "/api/plan?decisions=none", Some(body)).await;
        assert_eq!(status, StatusCode::OK);
        let v: Value = serde_json::from_slice(&b).unwrap();
        let mut cfg = config();
        cfg.plan.solver = landstock::config::SolverChoice::Fast;
        let p = pipeline().config(cfg).cap_ha(cap).plan().unwrap();
        let (before, after) = landstock::indicators::of_plan(
            &p.city.stock,
            p.city.context.population(),
            &p.input.stock_index,
            &p.plan,
            p.problem.cap_ha(),
        );
        assert!(
            after.converted_ha.total() > 0.0,
            "the plan converts something"
        );
        assert_eq!(v["summary"]["indicators"]["before"], as_served(&before));
        assert_eq!(
            v["summary"]["indicators"]["after"],
            as_served(&after),
            "at {cap} ha"
        );
        befores.push(before);
    }
    assert_eq!(befores[0], befores[1], "before does not depend on the cap");
}

#[cfg(feature = "exact")]
#[tokio::test]
async fn the_exact_solver_proves_the_plan_the_pipeline_proves() {
    let (status, v) = json_of(
        "POST",
        "/api/plan?decisions=none",
        Some(json!({"cap": "60ha", "solver": "exact"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let (objective, _) = library_objective(60.0, landstock::config::SolverChoice::Exact);
    let got = v["summary"]["solver"]["objective"].as_f64().unwrap();
    assert_eq!(v["summary"]["solver"]["method"], "exact");
    // both within the gap (1e-4) of the same optimum
    assert!(
        (got - objective).abs() <= 2e-4 * objective,
        "{got} vs {objective}"
    );
    assert!(v.get("decisions").is_none(), "decisions=none");
}

#[tokio::test]
async fn bad_bodies_are_400_naming_the_member() {
    for (body, key) in [
        (json!({"cap": "-5ha"}), "plan.cap"),
        (json!({"cap": "60ha", "solver": "best"}), "plan.solver"),
        (
            json!({"cap": "60ha", "bounds": {"parking": {"min": "1ha"}}}),
            "plan.bounds.parking",
        ),
        (
            json!({"cap": "60ha", "locks": {"no-such-parcel": "green"}}),
            "plan.locks.\"no-such-parcel\"",
        ),
        (
            json!({"cap": "60ha", "scoring": {"green": {"size_fit": {"weight": -1}}}}),
            "scoring.green.size_fit.weight",
        ),
        (json!({"capp": "60ha"}), "plan.capp"),
    ] {
        let (status, v) = json_of("POST", "/api/plan", Some(body.clone())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {v}");
        assert_eq!(v["key"], key, "{body}: {v}");
        assert!(v["error"].as_str().unwrap().contains(key), "{v}");
    }
    let (status, v) = json_of("POST", "/api/plan", Some(json!({"cap": null}))).await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "null removes the config's cap: {v}"
    );
    assert_eq!(v["key"], "plan.cap");
}

#[tokio::test]
async fn an_infeasible_plan_is_422_with_its_conflicts() {
    let (status, v) = json_of(
        "POST",
        "/api/plan",
        Some(json!({"cap": "10ha", "bounds": {"green": {"min": "20ha"}}})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let conflicts = v["conflicts"].as_array().unwrap();
    assert!(!conflicts.is_empty(), "{v}");
    assert!(v["error"].as_str().unwrap().contains("infeasible"), "{v}");
}

#[tokio::test]
async fn locks_are_respected_and_parcels_say_why() {
    let (_, v) = json_of(
        "POST",
        "/api/plan",
        Some(json!({"cap": "60ha", "solver": "fast"})),
    )
    .await;
    let decisions = v["decisions"].as_array().unwrap();
    let chosen = decisions.iter().find(|d| d["use"] != "keep").unwrap();
    // the kept candidate with the largest eligible green score
    let kept = decisions
        .iter()
        .filter(|d| d["use"] == "keep" && d["scores"]["green"].is_number())
        .max_by(|a, b| {
            a["scores"]["green"]
                .as_f64()
                .partial_cmp(&b["scores"]["green"].as_f64())
                .unwrap()
        })
        .unwrap();
    let (chosen_id, kept_id) = (chosen["id"].as_str().unwrap(), kept["id"].as_str().unwrap());
    let (status, v) = json_of(
        "POST",
        "/api/plan",
        Some(
            json!({"cap": "60ha", "solver": "fast", "locks": {chosen_id: "out", kept_id: "green"}}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let use_of = |id: &str| {
        v["decisions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == id)
            .unwrap()["use"]
            .clone()
    };
    assert_eq!(use_of(chosen_id), "keep");
    assert_eq!(use_of(kept_id), "green");
    let plan_id = v["plan_id"].as_u64().unwrap();
    let (status, p) = json_of(
        "GET",
        &format!("/api/parcel/{chosen_id}?plan={plan_id}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{p}");
    assert_eq!(p["plan"]["lock"], "out");
    assert_eq!(p["plan"]["stopped_by"], json!(["lock"]), "{p}");
    assert!(
        p["plan"]["why"]
            .as_str()
            .unwrap()
            .starts_with("left out: lock"),
        "{p}"
    );
    let (_, p) = json_of(
        "GET",
        &format!("/api/parcel/{kept_id}?plan={plan_id}"),
        None,
    )
    .await;
    assert!(
        p["plan"]["why"].as_str().unwrap().starts_with("chosen"),
        "{p}"
    );
    // the breakdown's weights are renormalised: they add up to 1 per use
    for u in ["green", "ecological", "cultural"] {
        if let Some(b) = p["scores"][u]["breakdown"].as_array() {
            let w: f64 = b.iter().map(|c| c["weight"].as_f64().unwrap()).sum();
            assert!((w - 1.0).abs() < 1e-9, "{u}: {w}");
        }
    }
    let (status, _) = json_of("GET", "/api/parcel/no-such-parcel", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn new_weights_rescore_the_candidates() {
    // only size_fit left in green: every green score is that criterion's value
    let body = json!({"cap": "60ha", "solver": "fast", "scoring": {"green": {
        "unserved_demand": {"weight": 0}, "green_deficit": {"weight": 0},
        "compactness": {"weight": 0}, "clean_site": {"weight": 0}}}});
    let (status, v) = json_of("POST", "/api/plan", Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let d = v["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["scores"]["green"].is_number())
        .unwrap();
    let (_, p) = json_of(
        "GET",
        &format!(
            "/api/parcel/{}?plan={}",
            d["id"].as_str().unwrap(),
            v["plan_id"]
        ),
        None,
    )
    .await;
    let b = p["scores"]["green"]["breakdown"].as_array().unwrap();
    let size_fit = b.iter().find(|c| c["criterion"] == "size fit").unwrap();
    assert_eq!(size_fit["weight"], 1.0, "{p}");
    assert_eq!(p["scores"]["green"]["score"], size_fit["value"], "{p}");
    assert_eq!(d["scores"]["green"], size_fit["value"]);
}

#[tokio::test]
async fn the_exported_config_reads_back_as_the_plan_s_config() {
    let (_, v) = json_of(
        "POST",
        "/api/plan?decisions=none",
        Some(
            json!({"cap": "80ha", "solver": "fast", "adjacency_lambda": 0.5,
            "bounds": {"green": {"min": "5ha", "max": "60%"}}, "locks": {"x": "out"},
            "scoring": {"cultural": {"heritage": {"weight": 0.5}}}}),
        ),
    )
    .await;
    let id = v["plan_id"].as_u64().unwrap();
    let (status, bytes) = call("GET", &format!("/api/export/{id}/config"), None).await;
    assert_eq!(status, StatusCode::OK);
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.contains("landstock plan "), "{text}");
    let back = Config::from_toml_str(&text, Path::new("exported.toml")).unwrap();
    let plan = studio().plan(Some(id)).unwrap();
    assert_eq!(back, plan.config);
    assert_eq!(back.plan.cap, Some(80.0));
    assert_eq!(back.scoring.cultural.heritage.weight, 0.5);
    for kind in ["geojson", "csv", "summary", "report"] {
        let (status, bytes) = call("GET", &format!("/api/export/{id}/{kind}"), None).await;
        assert_eq!(status, StatusCode::OK, "{kind}");
        assert!(bytes.len() > 1000, "{kind}: {} bytes", bytes.len());
    }
    let (status, _) = call("GET", "/api/export/999999/config", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_city_and_its_buffers_count_every_parcel() {
    let (status, c) = json_of("GET", "/api/city", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (c["parcels"].as_u64(), c["candidates"].as_u64()),
        (Some(3000), Some(508))
    );
    assert_eq!(c["working_crs"], "EPSG:32651");
    let n_by_class: u64 = c["classes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["parcels"].as_u64().unwrap())
        .sum();
    assert_eq!(n_by_class, 3000);
    let (_, g) = call("GET", "/api/geometry", None).await;
    let u32_at = |b: &[u8], k: usize| u32::from_le_bytes(b[4 * k..4 * k + 4].try_into().unwrap());
    assert_eq!(&g[..4], b"LSG1");
    let (n, rings, points) = (
        u32_at(&g, 1) as usize,
        u32_at(&g, 2) as usize,
        u32_at(&g, 3) as usize,
    );
    assert_eq!(n, 3000);
    assert_eq!(
        g.len(),
        16 + 4 * (n + n + 1 + rings + 1) + 8 * points + n,
        "the layout adds up"
    );
    let (_, p) = call("GET", "/api/geometry/points", None).await;
    assert_eq!((&p[..4], u32_at(&p, 1)), (&b"LSP1"[..], 3000));
    assert_eq!(p.len(), 8 + 9 * 3000);
    let (_, k) = call("GET", "/api/candidates", None).await;
    assert_eq!(k.len(), 4 * 508);
    // a viewport of a tenth of the width holds fewer parcels than the city
    let w = c["bbox"][2].as_f64().unwrap() - c["bbox"][0].as_f64().unwrap();
    let (status, g) = call(
        "GET",
        &format!("/api/geometry?bbox=0,0,{},{}", w / 10.0, w / 10.0),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(u32_at(&g, 1) < 3000);
    let (status, _) = call("GET", "/api/geometry?bbox=1,2,3", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_click_on_a_parcel_finds_that_parcel() {
    let s = studio();
    let (_, c) = json_of("GET", "/api/city", None).await;
    let o = [
        c["origin"][0].as_f64().unwrap(),
        c["origin"][1].as_f64().unwrap(),
    ];
    let i = s.base().input.stock_index[7];
    let p = geo::InteriorPoint::interior_point(&s.stock.get(i).geometry).unwrap();
    let (status, v) = json_of(
        "GET",
        &format!("/api/locate?x={}&y={}", p.x() - o[0], p.y() - o[1]),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["id"], s.stock.get(i).id.as_str());
    assert_eq!(v["candidate"], true);
}

#[tokio::test]
async fn a_full_queue_answers_503() {
    // a studio of its own: the others' requests must not meet the full queue
    let s = new_studio();
    let n = s.admitted.available_permits() as u32;
    let held = s.admitted.clone().acquire_many_owned(n).await.unwrap();
    let body = Some(json!({"cap": "60ha", "solver": "fast"}));
    let (status, _) = call_on(s.clone(), "POST", "/api/plan", body.clone()).await;
    drop(held);
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let (status, _) = call_on(s, "POST", "/api/plan", body).await;
    assert_eq!(status, StatusCode::OK, "free again");
}

#[tokio::test]
async fn the_page_is_served_from_the_binary() {
    let (status, b) = call("GET", "/", None).await;
    assert_eq!(status, StatusCode::OK);
    let html = String::from_utf8(b).unwrap();
    for asset in ["/map.js", "/studio.js", "/studio.css"] {
        assert!(
            html.contains(&format!("\"{asset}\"")),
            "the page loads {asset}"
        );
        let (status, b) = call("GET", asset, None).await;
        assert_eq!(status, StatusCode::OK, "{asset}");
        assert!(!b.is_empty(), "{asset}");
    }
}
