//! Every file in `tests/bad_inputs/` gets its named error or rejection reason,
//! and nothing panics. Each file holds one good feature ("ok") and then the
//! bad one, so a rejection never hides the rest of the file.

use std::path::PathBuf;

use landstock::ingest::{read_geojson_file, IngestOptions};
use landstock::ErrorKind;

fn path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/bad_inputs")
        .join(name)
}

/// The file must fail as a whole with a message containing `what`.
fn fails(name: &str, what: &str) -> ErrorKind {
    let err = read_geojson_file(&path(name), &IngestOptions::default()).expect_err(name);
    let msg = err.to_string();
    assert!(
        msg.contains(name),
        "{name}: the error must name the file: {msg}"
    );
    assert!(msg.contains(what), "{name}: expected {what:?} in {msg}");
    err.into_kind()
}

/// The file reads; its second feature is rejected with `code`.
fn rejects(name: &str, code: &str) -> landstock::ingest::IngestReport {
    let got = read_geojson_file(&path(name), &IngestOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let r = got.report;
    assert_eq!(
        (r.total, r.accepted, r.repaired, r.rejected),
        (2, 1, 0, 1),
        "{name}: {r}"
    );
    assert_eq!(r.rejections[0].index, 1, "{name}");
    assert_eq!(
        r.rejections[0].reason.code(),
        code,
        "{name}: {}",
        r.rejections[0].reason
    );
    r
}

/// The file reads; its second feature is accepted after the repair `code`.
fn repairs(name: &str, code: &str) -> landstock::ingest::Ingested {
    let got = read_geojson_file(&path(name), &IngestOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let r = &got.report;
    assert_eq!(
        (r.total, r.accepted, r.repaired, r.rejected),
        (2, 1, 1, 0),
        "{name}: {r}"
    );
    assert!(
        r.repairs[0].repairs.iter().any(|k| k.code() == code),
        "{name}: {:?}",
        r.repairs[0]
    );
    got
}

#[test]
fn not_json_is_a_file_error_at_byte_zero() {
    match fails("not_json.geojson", "not JSON") {
        ErrorKind::Malformed {
            offset,
            feature_index,
            ..
        } => assert_eq!((offset, feature_index), (0, None)),
        k => panic!("{k:?}"),
    }
}

#[test]
fn an_empty_file_is_an_error() {
    fails("empty_file.geojson", "empty");
}

#[test]
fn a_truncated_file_names_the_feature_it_stopped_in() {
    let len = std::fs::metadata(path("truncated.geojson")).unwrap().len();
    match fails("truncated.geojson", "truncated") {
        ErrorKind::Malformed {
            offset,
            feature_index,
            ..
        } => {
            assert_eq!(offset, len, "the problem is at the end of the file");
            assert_eq!(feature_index, Some(1));
        }
        k => panic!("{k:?}"),
    }
}

#[test]
fn a_utf8_byte_order_mark_is_skipped() {
    let got = read_geojson_file(&path("bom.geojson"), &IngestOptions::default()).unwrap();
    assert_eq!((got.report.total, got.report.accepted), (1, 1));
}

#[test]
fn wrong_top_level_shapes_are_file_errors() {
    fails("top_level_array.geojson", "found a JSON array");
    fails("single_feature.geojson", "FeatureCollection");
    fails(
        "features_not_array.geojson",
        "\"features\" must be an array",
    );
    fails("missing_type.geojson", "no \"type\": \"FeatureCollection\"");
    fails(
        "not_a_feature_collection_type.geojson",
        "expected \"type\": \"FeatureCollection\"",
    );
}

#[test]
fn text_after_the_collection_or_a_trailing_comma_is_a_file_error() {
    fails(
        "trailing_garbage.geojson",
        "after the end of the FeatureCollection",
    );
    fails("trailing_comma.geojson", "trailing ','");
}

#[test]
fn broken_json_inside_a_feature_names_the_feature_and_its_offset() {
    let text = std::fs::read_to_string(path("invalid_json_in_feature.geojson")).unwrap();
    let feature_start = text.find(r#"{"type":"Feature",,"#).unwrap() as u64;
    match fails(
        "invalid_json_in_feature.geojson",
        "invalid JSON in feature 1",
    ) {
        ErrorKind::Malformed {
            offset,
            feature_index,
            ..
        } => {
            assert_eq!(feature_index, Some(1));
            // the second comma, 18 bytes into the feature
            assert_eq!(offset, feature_start + 18);
        }
        k => panic!("{k:?}"),
    }
}

#[test]
fn null_geometry_is_missing_geometry() {
    rejects("null_geometry.geojson", "missing_geometry");
}

#[test]
fn points_lines_and_collections_are_non_polygon() {
    rejects("point_geometry.geojson", "non_polygon_geometry");
    rejects("linestring_geometry.geojson", "non_polygon_geometry");
    rejects("nested_geometry_collection.geojson", "non_polygon_geometry");
}

#[test]
fn unreadable_geometries_are_unparseable() {
    rejects("unknown_geometry_type.geojson", "unparseable_geometry");
    rejects("wrong_coordinate_nesting.geojson", "unparseable_geometry");
    rejects("position_with_one_number.geojson", "unparseable_geometry");
}

#[test]
fn geometries_without_coordinates_are_empty() {
    rejects("empty_rings.geojson", "empty_geometry");
    rejects("empty_coordinates.geojson", "empty_geometry");
}

#[test]
fn nan_infinity_and_null_coordinates_are_non_finite() {
    rejects("nan_coordinate.geojson", "non_finite_coordinate");
    rejects("infinity_coordinate.geojson", "non_finite_coordinate");
    rejects("null_coordinate.geojson", "non_finite_coordinate");
}

#[test]
fn coordinates_outside_lon_lat_range_are_rejected_with_the_coordinate() {
    let r = rejects("lon_200.geojson", "lon_lat_out_of_range");
    assert!(r.rejections[0].reason.to_string().contains("(200, 46.6)"));
    rejects("lat_95.geojson", "lon_lat_out_of_range");
}

#[test]
fn a_repeated_id_keeps_the_first_feature() {
    let r = rejects("duplicate_ids.geojson", "duplicate_id");
    assert_eq!(
        r.rejections[0].reason.to_string(),
        "duplicate id: feature 0 has the same id"
    );
}

#[test]
fn the_same_ring_reversed_and_rotated_is_a_duplicate_geometry_naming_the_original() {
    let r = rejects("duplicate_geometry.geojson", "duplicate_geometry");
    assert!(r.rejections[0]
        .reason
        .to_string()
        .contains("parcel ok (feature 0)"));
}

#[test]
fn a_collinear_ring_is_zero_area() {
    rejects("zero_area.geojson", "zero_area");
}

#[test]
fn invalid_features_are_rejected_not_fatal() {
    rejects("properties_not_object.geojson", "invalid_feature");
    rejects("id_is_object.geojson", "invalid_feature");
    rejects("feature_is_a_number.geojson", "invalid_feature");
    rejects("feature_wrong_type.geojson", "invalid_feature");
    // serde_json's recursion limit (128) stops a 200-deep property without a stack overflow
    rejects("deeply_nested_property.geojson", "invalid_feature");
}

#[test]
fn an_unclosed_ring_is_closed() {
    let got = repairs("unclosed_ring.geojson", "closed_ring");
    // 0.001° × 0.001° at 46.6° N: about 76.6 m × 111.2 m
    let a = got.stock.get(1).area_m2();
    assert!((a - 8_520.0).abs() < 60.0, "{a}");
}

#[test]
fn a_repeated_vertex_is_removed() {
    let got = repairs("duplicate_vertex.geojson", "removed_duplicate_vertex");
    assert_eq!(got.stock.get(1).geometry.0[0].exterior().0.len(), 5);
}

#[test]
fn a_bow_tie_is_made_valid_as_two_triangles() {
    let got = repairs("bow_tie.geojson", "made_valid");
    let g = &got.stock.get(1).geometry;
    assert_eq!(g.0.len(), 2);
    // the two triangles cover half of the 0.001° square
    let square = got.stock.get(0).area_m2();
    let half = got.stock.get(1).area_m2() / square;
    assert!((half - 0.5).abs() < 1e-3, "{half}");
}

#[test]
fn a_hole_outside_its_shell_is_made_valid_as_two_parts() {
    let got = repairs("hole_outside_shell.geojson", "made_valid");
    let g = &got.stock.get(1).geometry;
    assert_eq!(g.0.len(), 2, "odd-even repair keeps both rings' areas");
    let ratio = got.stock.get(1).area_m2() / got.stock.get(0).area_m2();
    // shell (1) + the former hole (0.5² = 0.25)
    assert!((ratio - 1.25).abs() < 2e-3, "{ratio}");
}

#[test]
fn every_file_in_the_corpus_is_covered_by_a_test_and_none_panics() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/bad_inputs");
    let this = std::fs::read_to_string(file!()).unwrap();
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap().to_str().unwrap().to_string();
        assert!(this.contains(&format!("\"{name}\"")), "{name} has no test");
        // reading never panics: it is Ok or a typed error
        let _ = read_geojson_file(&p, &IngestOptions::default());
        n += 1;
    }
    assert!(n >= 25, "corpus has {n} files");
}
