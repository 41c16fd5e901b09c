//! Every input feature is accepted, repaired or rejected exactly once.

use super::*;

/// A feature in a random collection, with the outcome SPEC §2 gives it.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// A square in its own grid cell: accepted.
    Valid,
    /// The same square with its ring left open: repaired (closed).
    Unclosed,
    /// A bow-tie: repaired (made valid).
    BowTie,
    /// A point: rejected, non-polygon.
    Point,
    /// `"geometry": null`: rejected, missing geometry.
    NullGeometry,
    /// Longitude 200: rejected.
    LonOutOfRange,
    /// `"properties": "x"`: rejected, invalid feature.
    PropertiesNotObject,
    /// The feature is the number 7: rejected, invalid feature.
    NotAnObject,
    /// A collinear ring: rejected, zero area.
    ZeroArea,
    /// The id of an earlier valid feature: rejected, duplicate id.
    DuplicateId,
    /// The geometry of an earlier valid feature: rejected, duplicate geometry.
    DuplicateGeometry,
}

impl Kind {
    const ALL: [Kind; 11] = [
        Kind::Valid,
        Kind::Unclosed,
        Kind::BowTie,
        Kind::Point,
        Kind::NullGeometry,
        Kind::LonOutOfRange,
        Kind::PropertiesNotObject,
        Kind::NotAnObject,
        Kind::ZeroArea,
        Kind::DuplicateId,
        Kind::DuplicateGeometry,
    ];
}

/// Outcome a feature should get: accepted, repaired, or rejected with a code.
#[derive(Debug, PartialEq)]
enum Expected {
    Accepted,
    Repaired,
    Rejected(&'static str),
}

fn square(cell: usize, d: f64) -> [(f64, f64); 4] {
    let (x, y) = (
        125.0 + (cell % 40) as f64 * 0.002,
        46.6 + (cell / 40) as f64 * 0.002,
    );
    [(x, y), (x + d, y), (x + d, y + d), (x, y + d)]
}

fn ring(pts: &[(f64, f64)], close: bool) -> String {
    let mut v: Vec<String> = pts.iter().map(|(x, y)| format!("[{x},{y}]")).collect();
    if close {
        v.push(v[0].clone());
    }
    format!("[{}]", v.join(","))
}

fn polygon(r: &str) -> String {
    format!(r#"{{"type":"Polygon","coordinates":[{r}]}}"#)
}

/// Builds the collection text and the expected outcome of each feature.
fn collection(kinds: &[Kind]) -> (String, Vec<Expected>) {
    let mut feats = Vec::new();
    let mut expected = Vec::new();
    let mut valid: Vec<(String, String)> = Vec::new(); // (id, geometry) of accepted squares
    for (i, &kind) in kinds.iter().enumerate() {
        let id = format!("f{i}");
        let sq = square(i, 0.001);
        let feature = |id: &str, geometry: &str| {
            format!(
                r#"{{"type":"Feature","id":"{id}","properties":{{"n":{i}}},"geometry":{geometry}}}"#
            )
        };
        let (text, outcome) = match kind {
            Kind::Valid => {
                let g = polygon(&ring(&sq, true));
                valid.push((id.clone(), g.clone()));
                (feature(&id, &g), Expected::Accepted)
            }
            Kind::Unclosed => (
                feature(&id, &polygon(&ring(&sq, false))),
                Expected::Repaired,
            ),
            Kind::BowTie => {
                let [a, b, c, d] = sq;
                (
                    feature(&id, &polygon(&ring(&[a, c, b, d], true))),
                    Expected::Repaired,
                )
            }
            Kind::Point => (
                feature(
                    &id,
                    &format!(
                        r#"{{"type":"Point","coordinates":[{},{}]}}"#,
                        sq[0].0, sq[0].1
                    ),
                ),
                Expected::Rejected("non_polygon_geometry"),
            ),
            Kind::NullGeometry => (feature(&id, "null"), Expected::Rejected("missing_geometry")),
            Kind::LonOutOfRange => {
                let shifted: Vec<(f64, f64)> = sq.iter().map(|&(x, y)| (x + 75.0, y)).collect();
                (
                    feature(&id, &polygon(&ring(&shifted, true))),
                    Expected::Rejected("lon_lat_out_of_range"),
                )
            }
            Kind::PropertiesNotObject => (
                format!(
                    r#"{{"type":"Feature","id":"{id}","properties":"x","geometry":{}}}"#,
                    polygon(&ring(&sq, true))
                ),
                Expected::Rejected("invalid_feature"),
            ),
            Kind::NotAnObject => ("7".to_string(), Expected::Rejected("invalid_feature")),
            Kind::ZeroArea => {
                let [a, b, ..] = sq;
                let mid = ((a.0 + b.0) / 2.0, a.1);
                (
                    feature(&id, &polygon(&ring(&[a, mid, b], true))),
                    Expected::Rejected("zero_area"),
                )
            }
            Kind::DuplicateId => match valid.first() {
                Some((first, _)) => (
                    feature(first, &polygon(&ring(&sq, true))),
                    Expected::Rejected("duplicate_id"),
                ),
                None => {
                    let g = polygon(&ring(&sq, true));
                    valid.push((id.clone(), g.clone()));
                    (feature(&id, &g), Expected::Accepted)
                }
            },
            Kind::DuplicateGeometry => match valid.last() {
                Some((_, g)) => (feature(&id, g), Expected::Rejected("duplicate_geometry")),
                None => {
                    let g = polygon(&ring(&sq, true));
                    valid.push((id.clone(), g.clone()));
                    (feature(&id, &g), Expected::Accepted)
                }
            },
        };
        feats.push(text);
        expected.push(outcome);
    }
    (
        format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}\n",
            feats.join(",\n")
        ),
        expected,
    )
}

#[test]
fn every_input_feature_is_accepted_repaired_or_rejected_exactly_once() {
    let kinds = proptest::collection::vec(
        prop_oneof![
            6 => Just(Kind::Valid),
            6 => (1..Kind::ALL.len()).prop_map(|k| Kind::ALL[k]),
        ],
        0..60,
    );
    run("every_feature_accounted_for", 1000, kinds, |kinds| {
        let (text, expected) = collection(&kinds);
        let any_kept = expected
            .iter()
            .any(|e| matches!(e, Expected::Accepted | Expected::Repaired));
        let got = match read_geojson(text.as_bytes(), "random.geojson", &IngestOptions::default()) {
            Ok(got) => got,
            Err(e) => match e.kind() {
                ErrorKind::NoParcels { features, .. } => {
                    prop_assert!(!any_kept, "{e}");
                    prop_assert_eq!(*features, kinds.len());
                    return Ok(());
                }
                _ => return Err(TestCaseError::fail(format!("{e}"))),
            },
        };
        let r = &got.report;
        prop_assert_eq!(r.total, kinds.len());
        prop_assert_eq!(r.accepted + r.repaired + r.rejected, r.total);
        prop_assert_eq!(r.rejections.len(), r.rejected);
        prop_assert_eq!(r.repairs.len(), r.repaired);
        prop_assert_eq!(got.stock.len(), r.accepted + r.repaired);
        let rejected: BTreeSet<usize> = r.rejections.iter().map(|x| x.index).collect();
        prop_assert_eq!(
            rejected.len(),
            r.rejections.len(),
            "an index rejected twice"
        );
        let repaired: BTreeSet<usize> = r.repairs.iter().map(|x| x.index).collect();
        prop_assert_eq!(repaired.len(), r.repairs.len(), "an index repaired twice");
        prop_assert!(rejected.is_disjoint(&repaired));
        for (i, want) in expected.iter().enumerate() {
            let got = if let Some(x) = r.rejections.iter().find(|x| x.index == i) {
                Expected::Rejected(x.reason.code())
            } else if repaired.contains(&i) {
                Expected::Repaired
            } else {
                Expected::Accepted
            };
            prop_assert_eq!(&got, want, "feature {} ({:?})", i, kinds[i]);
        }
        Ok(())
    });
}

#[test]
fn a_truncated_collection_is_a_typed_error_never_a_partial_result() {
    let (text, _) = collection(&[Kind::Valid, Kind::Point, Kind::Unclosed, Kind::Valid]);
    let body_end = text.trim_end().len();
    run(
        "truncated_collection",
        400,
        0..body_end,
        |cut| match read_geojson(
            &text.as_bytes()[..cut],
            "cut.geojson",
            &IngestOptions::default(),
        ) {
            Ok(got) => Err(TestCaseError::fail(format!(
                "cut at {cut} of {body_end}: {} parcels",
                got.stock.len()
            ))),
            Err(e) => {
                prop_assert!(
                    matches!(e.kind(), ErrorKind::Malformed { .. }),
                    "cut at {}: {}",
                    cut,
                    e
                );
                prop_assert!(e.to_string().contains("cut.geojson"), "{}", e);
                Ok(())
            }
        },
    );
}
