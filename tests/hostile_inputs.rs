//! Large and hostile inputs: deep nesting, an enormous property, a polygon
//! with very many vertices, truncated and blank files. Each is a typed error
//! or a correct result, with bounded memory (a counting allocator measures
//! the peak) and no stack overflow.

use std::sync::atomic::Ordering;
use std::sync::Mutex;
use std::time::Instant;

use landstock::ingest::{read_geojson, IngestOptions, Ingested};
use landstock::{Error, ErrorKind};

#[path = "common/alloc.rs"]
mod alloc;
use alloc::{CURRENT, PEAK};

/// Tests measuring memory run one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

/// Reads `text`, returning the result and the peak memory above the
/// allocation level at the start (the text itself excluded).
fn read_measured(text: &[u8]) -> (Result<Ingested, Error>, usize) {
    let before = CURRENT.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let got = read_geojson(text, "hostile.geojson", &IngestOptions::default());
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(before);
    (got, peak)
}

const SQUARE: &str = r#"{"type":"Polygon","coordinates":[[[125,46.6],[125.001,46.6],[125.001,46.601],[125,46.601],[125,46.6]]]}"#;

fn collection(features: &[String]) -> String {
    format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    )
}

fn feature(id: &str, properties: &str, geometry: &str) -> String {
    format!(r#"{{"type":"Feature","id":"{id}","properties":{properties},"geometry":{geometry}}}"#)
}

const DEPTH: usize = 100_000;

fn nested_arrays(depth: usize) -> String {
    "[".repeat(depth) + &"]".repeat(depth)
}

fn nested_objects(depth: usize) -> String {
    r#"{"a":"#.repeat(depth) + "1" + &"}".repeat(depth)
}

fn rejection<'a>(got: &'a Ingested, id: &str) -> &'a str {
    got.report
        .rejections
        .iter()
        .find(|r| r.id.as_deref() == Some(id) || r.index == 1)
        .map(|r| r.reason.code())
        .unwrap_or("accepted")
}

#[test]
fn a_property_nested_100k_deep_is_a_rejected_feature_not_a_stack_overflow() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    for deep in [
        format!(r#"{{"x":{}}}"#, nested_arrays(DEPTH)),
        format!(r#"{{"x":{}}}"#, nested_objects(DEPTH)),
    ] {
        let text = collection(&[
            feature("ok", r#"{"landuse":"vacant"}"#, SQUARE),
            feature("deep", &deep, SQUARE.replace("125,", "125.01,").as_str()),
        ]);
        let (got, _) = read_measured(text.as_bytes());
        let got = got.unwrap();
        assert_eq!((got.report.total, got.report.accepted), (2, 1));
        assert_eq!(rejection(&got, "deep"), "invalid_feature");
    }
}

#[test]
fn coordinates_nested_100k_deep_are_a_rejected_feature_not_a_stack_overflow() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let deep = format!(
        r#"{{"type":"Polygon","coordinates":{}}}"#,
        nested_arrays(DEPTH)
    );
    let text = collection(&[feature("ok", "{}", SQUARE), feature("deep", "{}", &deep)]);
    let (got, _) = read_measured(text.as_bytes());
    let got = got.unwrap();
    assert_eq!((got.report.total, got.report.accepted), (2, 1));
    assert_ne!(rejection(&got, "deep"), "accepted");
}

#[test]
fn a_top_level_member_nested_100k_deep_is_a_typed_error_or_ignored() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    for member in [nested_arrays(DEPTH), nested_objects(DEPTH)] {
        for text in [
            format!(
                r#"{{"type":"FeatureCollection","extra":{member},"features":[{}]}}"#,
                feature("ok", "{}", SQUARE)
            ),
            format!(
                r#"{{"type":"FeatureCollection","features":[{}],"extra":{member}}}"#,
                feature("ok", "{}", SQUARE)
            ),
            format!(
                r#"{{"type":"FeatureCollection","crs":{member},"features":[{}]}}"#,
                feature("ok", "{}", SQUARE)
            ),
        ] {
            let (got, _) = read_measured(text.as_bytes());
            match got {
                Ok(got) => assert_eq!(got.report.accepted, 1),
                Err(e) => assert!(
                    matches!(
                        e.kind(),
                        ErrorKind::Malformed { .. } | ErrorKind::Crs { .. }
                    ),
                    "{e}"
                ),
            }
        }
    }
}

#[test]
fn a_feature_that_is_an_array_nested_100k_deep_is_rejected() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let text = format!(
        r#"{{"type":"FeatureCollection","features":[{},{}]}}"#,
        feature("ok", "{}", SQUARE),
        nested_arrays(DEPTH)
    );
    let (got, _) = read_measured(text.as_bytes());
    let got = got.unwrap();
    assert_eq!((got.report.total, got.report.accepted), (2, 1));
    assert_eq!(got.report.rejections[0].index, 1);
    assert_eq!(got.report.rejections[0].reason.code(), "invalid_feature");
}

#[test]
fn an_enormous_property_value_is_kept_whole_with_bounded_memory() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let size = 40 << 20; // a 40 MiB string
    let big = "x".repeat(size);
    let text = collection(&[
        feature(
            "big",
            &format!(r#"{{"landuse":"vacant","note":"{big}"}}"#),
            SQUARE,
        ),
        feature("small", "{}", &SQUARE.replace("125,", "125.01,")),
    ]);
    drop(big);
    let (got, peak) = read_measured(text.as_bytes());
    let got = got.unwrap();
    assert_eq!(got.report.accepted, 2);
    let p = got
        .stock
        .parcels()
        .iter()
        .find(|p| p.id.as_str() == "big")
        .unwrap();
    let raw = p.properties.as_ref().unwrap().get();
    assert_eq!(raw.len(), size + r#"{"landuse":"vacant","note":""}"#.len());
    eprintln!("{} MiB property: peak {} MiB", size >> 20, peak >> 20);
    // the value is held a few times at most while it is cut out, parsed and kept
    assert!(
        peak < 6 * size,
        "peak {peak} for a {size}-byte property (measured 4.6×)"
    );
}

/// A regular polygon with `n` vertices of radius about 1 km (0.01°).
fn many_vertices(n: usize) -> String {
    let mut ring = String::with_capacity(n * 40);
    ring.push('[');
    for k in 0..=n {
        let t = (k % n) as f64 / n as f64 * std::f64::consts::TAU;
        if k > 0 {
            ring.push(',');
        }
        ring.push_str(&format!(
            "[{:.9},{:.9}]",
            125.0 + 0.01 * t.cos(),
            46.6 + 0.01 * t.sin()
        ));
    }
    ring.push(']');
    format!(r#"{{"type":"Polygon","coordinates":[{ring}]}}"#)
}

fn one_big_polygon(n: usize) {
    let text = collection(&[feature("many", "{}", &many_vertices(n))]);
    let started = Instant::now();
    let (got, peak) = read_measured(text.as_bytes());
    let secs = started.elapsed().as_secs_f64();
    let got = got.unwrap();
    assert_eq!(got.report.accepted, 1, "{}", got.report);
    let p = got.stock.get(0);
    let vertices = p.geometry.0[0].exterior().0.len();
    assert_eq!(vertices, n + 1);
    // a circle of radius 0.01° at 46.6° N: an ellipse of 765 m × 1112 m semi-axes
    let area = p.area_m2();
    let want = std::f64::consts::PI * 765.4 * 1_111.9;
    assert!((area - want).abs() < 0.005 * want, "{area} m² vs {want}");
    eprintln!(
        "{n} vertices: {secs:.1} s, peak {} MiB for {} MiB of text",
        peak >> 20,
        text.len() >> 20
    );
    assert!(
        peak < 20 * text.len(),
        "peak {peak} for {} bytes",
        text.len()
    );
}

/// geo's own validity check is quadratic in a ring's vertices: before
/// `ingest::valid` this polygon took hours (20,000 vertices took 7 s).
#[test]
fn a_polygon_with_a_million_vertices_is_read_correctly() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    one_big_polygon(1_000_000);
}

/// 6.5 s and a 306 MiB peak for 55 MiB of text in the debug profile (the
/// million-vertex test above stays in the normal run): run with `--ignored`.
#[test]
#[ignore]
fn a_polygon_with_2_million_vertices_is_read_correctly() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    one_big_polygon(2_000_000);
}

#[test]
fn truncated_and_blank_files_are_typed_errors() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let whole = collection(&[
        feature("a", r#"{"name":"ünï","n":12345678901234567890}"#, SQUARE),
        feature("b", "{}", &SQUARE.replace("125,", "125.01,")),
    ]);
    let bytes = whole.as_bytes();
    let cut_at = |needle: &str| &bytes[..whole.find(needle).unwrap() + needle.len() / 2];
    for (what, text) in [
        ("empty", &b""[..]),
        ("spaces", b"   "),
        ("whitespace", " \n\t\r\n ".repeat(1000).leak().as_bytes()),
        ("a BOM only", "\u{feff}".as_bytes()),
        ("a brace", b"{"),
        (
            "inside a two-byte character",
            &bytes[..whole.find("ü").unwrap() + 1],
        ),
        ("inside a string", cut_at("ünï")),
        ("inside a number", cut_at("12345678901234567890")),
        (
            "after the features bracket",
            &bytes[..whole.find("\"features\":[").unwrap() + 12],
        ),
        ("before the last brace", &bytes[..bytes.len() - 1]),
    ] {
        let (got, _) = read_measured(text);
        let e = got.err().unwrap_or_else(|| panic!("{what}: accepted"));
        assert!(
            matches!(e.kind(), ErrorKind::Malformed { .. }),
            "{what}: {e}"
        );
        assert!(e.to_string().contains("hostile.geojson"), "{what}: {e}");
    }
}

/// A circle of `n` vertices with two far-apart vertices swapped: the ring
/// crosses itself.
fn crossed_circle(n: usize) -> String {
    let mut pts: Vec<(f64, f64)> = (0..n)
        .map(|k| {
            let t = k as f64 / n as f64 * std::f64::consts::TAU;
            (125.0 + 0.01 * t.cos(), 46.6 + 0.01 * t.sin())
        })
        .collect();
    pts.swap(n / 4, 3 * n / 4);
    pts.push(pts[0]);
    let ring: Vec<String> = pts
        .iter()
        .map(|(x, y)| format!("[{x:.9},{y:.9}]"))
        .collect();
    format!(
        r#"{{"type":"Polygon","coordinates":[[{}]]}}"#,
        ring.join(",")
    )
}

#[test]
fn a_huge_self_crossing_polygon_is_rejected_in_bounded_time_a_smaller_one_repaired() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let limit = landstock::ingest::MAX_REPAIR_VERTICES;
    let text = collection(&[
        feature("huge", "{}", &crossed_circle(200_000)),
        feature("small", "{}", &crossed_circle(limit / 4)),
    ]);
    let started = Instant::now();
    let got = read_geojson(
        text.as_bytes(),
        "crossed.geojson",
        &IngestOptions::default(),
    )
    .unwrap();
    // geo's repair of 200,000 vertices would take many minutes
    assert!(started.elapsed().as_secs_f64() < 60.0);
    let r = &got.report;
    assert_eq!((r.total, r.repaired, r.rejected), (2, 1, 1), "{r}");
    assert_eq!(r.repairs[0].id.as_str(), "small");
    let rejected = &r.rejections[0];
    assert_eq!(rejected.id.as_deref(), Some("huge"));
    assert_eq!(rejected.reason.code(), "unrepairable_self_intersection");
    let msg = rejected.reason.to_string();
    assert!(
        msg.contains("200001 vertices") && msg.contains(&limit.to_string()),
        "{msg}"
    );
}
