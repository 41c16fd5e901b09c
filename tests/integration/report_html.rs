//! The HTML report carries the map and every indicator of the summary in the
//! right table cell, escapes user text and fetches nothing (issue 5). The
//! report is parsed with an HTML parser (scraper/html5ever), not grepped.

use geo::{polygon, MultiPolygon};
use landstock::output::map::{map_svg, MapOptions};
use landstock::output::report::write_report_html;
use landstock::output::summary::Summary;
use landstock::stock::ParcelStock;
use landstock::{LandUse, Parcel, Status, Use};
use scraper::{Html, Selector};
use serde_json::{json, Value};

fn summary() -> Value {
    json!({
        "landstock_version": "0.1.0",
        "city": "Fishtown",
        "input": {"path": "fixtures/city.geojson", "sha256": "ab12"},
        "ingest": {"counts": {"total": 3000, "accepted": 2990, "repaired": 7, "rejected": 10}, "working_crs": "EPSG:32651"},
        "config": {"plan": {"cap": "120ha"}},
        "plan": {"cap_ha": 120.0, "candidates": 508, "converted": 61},
        "solver": {"method": "exact", "objective": 12.3, "bound": 12.4, "gap": 0.008, "seconds": 0.8, "benefit": 12.0, "adjacency_bonus": 0.3},
        "constraints": [
            {"name": "cap", "description": "total converted area ≤ 120 ha", "limit": 120.0, "value": 119.7, "slack": 0.3, "binding": true},
            {"name": "budget", "description": "net cost ≤ 5e7", "limit": 5.0e7, "value": 1.0e7, "slack": 4.0e7, "binding": false}
        ],
        "indicators": {
            "before": {"converted_ha": {"green": 0.0, "ecological": 0.0, "cultural": 0.0, "redevelop": 0.0},
                       "cap_used_ha": 0.0, "cap_used_pct": 0.0, "construction_land_ha": 1234.5, "construction_land_change_ha": 0.0,
                       "residents": 100000.0, "park_m2_per_resident": 3.2, "park_service_coverage": 0.61,
                       "eco_patches": 12, "eco_largest_patch_ha": 45.2, "cultural_clusters": 0, "cultural_cluster_ha": [],
                       "budget": {"cost": 0.0, "auction_revenue": 0.0, "net_cost": 0.0}},
            "after": {"converted_ha": {"green": 60.25, "ecological": 30.5, "cultural": 20.0, "redevelop": 8.95},
                       "cap_used_ha": 119.7, "cap_used_pct": 99.76, "construction_land_ha": 1204.0, "construction_land_change_ha": -30.5,
                       "residents": 100000.0, "park_m2_per_resident": 9.226, "park_service_coverage": 0.734,
                       "eco_patches": 10, "eco_largest_patch_ha": 80.13, "cultural_clusters": 2, "cultural_cluster_ha": [12.5, 7.5],
                       "budget": {"cost": 2500000.0, "auction_revenue": 900000.0, "net_cost": 1600000.0}}
        },
        "decisions": [
            {"id": "<script>alert(1)</script>", "from": "industrial", "use": "cultural", "area_m2": 12000.0, "score": 0.83, "benefit": 0.996,
             "reasons": "heritage & rail <b>spur</b>"},
            {"id": "p17", "from": "vacant", "use": "green", "area_m2": 5000.0, "score": 0.5, "benefit": 0.25, "reasons": "unserved demand 0.9"}
        ],
        "future_section": {"cap_80": {"objective": 9.5}}
    })
}

fn map() -> String {
    let sq = |x: f64| {
        MultiPolygon(vec![
            polygon![(x: x, y: 0.0), (x: x + 100.0, y: 0.0), (x: x + 100.0, y: 100.0), (x: x, y: 100.0)],
        ])
    };
    let stock = ParcelStock::new(vec![
        Parcel::new("a", sq(0.0), LandUse::Industrial, Status::Derelict),
        Parcel::new("b", sq(100.0), LandUse::Residential, Status::Active),
    ]);
    map_svg(
        &stock,
        &[Some(Use::Cultural), None],
        &MapOptions {
            city: "Fishtown".into(),
            cap_ha: Some(120.0),
            ..MapOptions::default()
        },
    )
}

fn report(summary: &Value) -> Html {
    let mut out = Vec::new();
    let summary: Summary = serde_json::from_value(summary.clone()).unwrap();
    write_report_html(&mut out, &summary, &map()).unwrap();
    Html::parse_document(&String::from_utf8(out).unwrap())
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text(e: scraper::ElementRef) -> String {
    e.text().collect::<String>().trim().to_string()
}

/// (key, before, after, change) as a reader should see them, written out by hand.
const EXPECTED: [(&str, &str, &str, &str); 18] = [
    ("converted_ha.green", "0.00", "60.25", "+60.25"),
    ("converted_ha.ecological", "0.00", "30.50", "+30.50"),
    ("converted_ha.cultural", "0.00", "20.00", "+20.00"),
    ("converted_ha.redevelop", "0.00", "8.95", "+8.95"),
    ("cap_used_ha", "0.00", "119.70", "+119.70"),
    ("cap_used_pct", "0.0", "99.8", "+99.8"),
    ("construction_land_ha", "1234.50", "1204.00", "-30.50"),
    ("construction_land_change_ha", "0.00", "-30.50", "-30.50"),
    ("residents", "100000", "100000", "0"),
    ("park_m2_per_resident", "3.20", "9.23", "+6.03"),
    ("park_service_coverage", "0.610", "0.734", "+0.124"),
    ("eco_patches", "12", "10", "-2"),
    ("eco_largest_patch_ha", "45.20", "80.13", "+34.93"),
    ("cultural_clusters", "0", "2", "+2"),
    ("cultural_cluster_ha", "none", "12.50, 7.50", "—"),
    ("budget.cost", "0", "2500000", "+2500000"),
    ("budget.auction_revenue", "0", "900000", "+900000"),
    ("budget.net_cost", "0", "1600000", "+1600000"),
];

#[test]
fn every_indicator_of_the_summary_is_in_its_table_cell() {
    let s = summary();
    let doc = report(&s);
    let rows: Vec<_> = doc.select(&sel("table#indicators tbody tr")).collect();
    assert_eq!(rows.len(), 18, "every SPEC §6 indicator");
    for (k, (key, before, after, change)) in EXPECTED.iter().enumerate() {
        let row = rows[k];
        assert_eq!(row.value().attr("data-key"), Some(*key));
        let cell = |class: &str| row.select(&sel(&format!("td.{class}"))).next().unwrap();
        assert_eq!(text(cell("before")), *before, "{key} before");
        assert_eq!(text(cell("after")), *after, "{key} after");
        assert_eq!(text(cell("change")), *change, "{key} change");
        // the exact JSON value rides along in data-value
        for (class, side) in [("before", "before"), ("after", "after")] {
            let want = key.split('.').fold(&s["indicators"][side], |v, k| &v[k]);
            let got: Value =
                serde_json::from_str(cell(class).value().attr("data-value").unwrap()).unwrap();
            assert_eq!(&got, want, "{key} {side}");
        }
    }
}

#[test]
fn the_report_holds_the_map_the_chart_and_the_solver_figures() {
    let doc = report(&summary());
    assert_eq!(
        text(doc.select(&sel("title")).next().unwrap()),
        "Fishtown — cap 120 ha"
    );
    let map = doc
        .select(&sel("figure#map > svg"))
        .next()
        .expect("inline map svg");
    assert_eq!(
        map.select(&sel("path.parcel")).count(),
        3,
        "two parcels before, one converted after"
    );
    // bars scale to the largest area (green, 60.25 ha → 300 px)
    let bar_w = |u: &str| -> f64 {
        let b = doc
            .select(&sel(&format!("figure#chart rect.bar-{u}")))
            .next()
            .unwrap();
        b.value().attr("width").unwrap().parse().unwrap()
    };
    assert_eq!(bar_w("green"), 300.0);
    assert_eq!(bar_w("ecological"), 151.9); // 30.5 / 60.25 × 300 = 151.867
    assert_eq!(bar_w("redevelop"), 44.6); // 8.95 / 60.25 × 300 = 44.564
    let solver: Vec<(String, String)> = doc
        .select(&sel("table#solver tr"))
        .map(|tr| {
            let th = tr.select(&sel("th")).next().map(text).unwrap_or_default();
            let td = tr.select(&sel("td")).next().map(text).unwrap_or_default();
            (th, td)
        })
        .collect();
    for (label, value) in [
        ("Method", "exact"),
        ("Objective", "12.3000"),
        ("Bound", "12.4000"),
        ("Relative gap", "0.00800"),
        ("Seconds", "0.80"),
        ("Cap", "120.00 ha"),
        ("Candidates", "508"),
    ] {
        assert!(
            solver.contains(&(label.to_string(), value.to_string())),
            "{label} = {value} in {solver:?}"
        );
    }
    // binding constraints only in the binding table
    let binding: Vec<String> = doc
        .select(&sel("#binding-constraints tbody tr td:first-child"))
        .map(text)
        .collect();
    assert_eq!(binding, ["cap"]);
    // a section the report has no layout for yet is still shown
    assert!(doc
        .select(&sel(r#"section.extra[data-key="future_section"]"#))
        .next()
        .is_some());
}

#[test]
fn user_text_is_escaped_and_nothing_is_fetched() {
    let doc = report(&summary());
    assert_eq!(
        doc.select(&sel("script")).count(),
        0,
        "the parcel id must not become a script"
    );
    let first = doc.select(&sel("table#decisions tbody tr")).next().unwrap();
    let cells: Vec<String> = first.select(&sel("td")).map(text).collect();
    assert_eq!(cells[1], "<script>alert(1)</script>");
    assert_eq!(cells[4], "1.20", "12 000 m² in ha");
    assert_eq!(cells[7], "heritage & rail <b>spur</b>");
    assert_eq!(first.select(&sel("b")).count(), 0);
    for e in doc.select(&sel("*")) {
        for attr in ["src", "href", "xlink:href"] {
            if let Some(v) = e.value().attr(attr) {
                assert!(
                    v.starts_with('#'),
                    "{} {attr}={v}: only in-document references",
                    e.value().name()
                );
            }
        }
        assert_ne!(e.value().name(), "link");
    }
}

#[test]
fn a_summary_without_budget_constraints_or_decisions_still_renders() {
    let mut s = summary();
    for side in ["before", "after"] {
        s["indicators"][side]
            .as_object_mut()
            .unwrap()
            .remove("budget");
    }
    let o = s.as_object_mut().unwrap();
    o.remove("constraints");
    o.remove("decisions");
    o.remove("solver");
    let doc = report(&s);
    let row = doc
        .select(&sel(r#"table#indicators tr[data-key="budget.net_cost"]"#))
        .next()
        .unwrap();
    let cells: Vec<String> = row.select(&sel("td.num")).map(text).collect();
    assert_eq!(cells, ["—", "—", "—"]);
    let row = doc
        .select(&sel(r#"table#indicators tr[data-key="residents"]"#))
        .next()
        .unwrap();
    assert_eq!(text(row.select(&sel("td.after")).next().unwrap()), "100000");
}

#[test]
fn scenarios_and_explanations_get_their_own_tables_and_chart() {
    let mut v = summary();
    v["scenarios"] = serde_json::json!([
        {"cap_ha": 60.0, "objective": 61.5, "bound": 61.6, "gap": 0.001, "method": "fast",
         "converted_ha": {"green": 40.0, "ecological": 20.0, "cultural": 0.0, "redevelop": 0.0}},
        {"cap_ha": 120.0, "objective": 110.25, "bound": 111.0, "gap": 0.0068, "method": "fast",
         "converted_ha": {"green": 60.0, "ecological": 40.0, "cultural": 15.0, "redevelop": 5.0}},
        {"cap_ha": 5.0, "error": "infeasible plan: per-use minimums total 30 ha > cap 5 ha"}
    ]);
    v["explanations"] = serde_json::json!({
        "binding": ["cap 120 ha"],
        "marginal_value_of_cap": {"per_unit": 0.9125, "unit": "objective per ha", "delta": 1.0,
            "objective": 110.25, "objective_plus": 111.1625, "method": "re-solved"},
        "marginal_value_of_budget": null,
        "left_out": [{"id": "p9", "best_use": "green", "best_score": 0.8, "best_benefit": 1.6, "stopped_by": ["cap", "budget"]}]
    });
    let doc = report(&v);
    let cells = |row: usize| -> Vec<String> {
        doc.select(&sel("table.scenarios tr"))
            .nth(row)
            .unwrap()
            .select(&sel("td"))
            .map(text)
            .collect()
    };
    assert_eq!(cells(2)[..2], ["120.0".to_string(), "110.2500".to_string()]);
    assert_eq!(
        cells(2)[4..],
        ["60.00", "40.00", "15.00", "5.00"].map(String::from)
    );
    assert!(cells(3)[1].contains("infeasible"));
    // stacked columns: the 120 ha scenario's total (120 ha) is the tallest, 220 px
    let heights: Vec<f64> = doc
        .select(&sel("#scenario-chart rect"))
        .map(|r| r.value().attr("height").unwrap().parse().unwrap())
        .collect();
    let col2: f64 = heights[4..8].iter().sum();
    assert!((col2 - 220.0).abs() < 0.5, "{heights:?}");
    let col1: f64 = heights[0..4].iter().sum();
    assert!(
        (col1 - 110.0).abs() < 0.5,
        "60 of 120 ha: half as tall, {heights:?}"
    );
    let m = doc
        .select(&sel("td.marginal-cap"))
        .map(text)
        .next()
        .unwrap();
    assert!(m.starts_with("0.9125"), "{m}");
    let left: Vec<String> = doc.select(&sel("table.left-out td")).map(text).collect();
    assert_eq!(left, ["p9", "green", "0.800", "1.600", "cap, budget"]);
}
