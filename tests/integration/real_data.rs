//! Ingestion of every real dataset in `../shared/data`, with the exact outcome
//! counts checked independently by `scripts/verify_ingest_counts.py`
//! (shapely/GEOS + pyproj), which applies the same SPEC §2 rules.

use crate::common;

use landstock::ingest::{read_geojson_file, IngestOptions, IngestReport};

fn ingest(rel: &str, opts: &IngestOptions, test: &str) -> Option<IngestReport> {
    let dir = common::shared_data(test)?;
    let got = read_geojson_file(&dir.join(rel), opts).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(got.stock.len(), got.report.accepted + got.report.repaired);
    Some(got.report)
}

fn counts(r: &IngestReport) -> (usize, usize, usize, usize) {
    (r.total, r.accepted, r.repaired, r.rejected)
}

#[test]
fn fishtown_accounts_for_all_6528_features_and_rejects_852_exact_copies() {
    let Some(r) = ingest(
        "fishtown/fishtown_parcels.geojson",
        &IngestOptions::default(),
        "fishtown",
    ) else {
        return;
    };
    assert_eq!(counts(&r), (6528, 5662, 14, 852));
    assert_eq!(
        r.rejected_by_reason().into_iter().collect::<Vec<_>>(),
        vec![("duplicate_geometry", 852)]
    );
    let kinds = r.repaired_by_kind();
    assert_eq!(kinds.get("removed_duplicate_vertex"), Some(&13));
    assert_eq!(kinds.get("dropped_degenerate_ring"), Some(&2));
    assert_eq!(kinds.get("made_valid"), Some(&1));
    assert_eq!(r.overlaps.len(), 1);
    assert_eq!(r.working_crs.as_deref(), Some("EPSG:32618"));
    // every duplicate names an accepted feature that comes earlier
    for rej in &r.rejections {
        match &rej.reason {
            landstock::ingest::RejectReason::DuplicateGeometry { of_index, .. } => {
                assert!(*of_index < rej.index)
            }
            other => panic!("{other}"),
        }
    }
}

#[test]
fn rockford_keeps_76_distinct_geometries_of_89_records() {
    let Some(r) = ingest(
        "rockford/parcels.geojson",
        &IngestOptions::default(),
        "rockford",
    ) else {
        return;
    };
    assert_eq!(counts(&r), (89, 76, 0, 13));
    assert_eq!(r.rejected_by_reason().get("duplicate_geometry"), Some(&13));
    assert_eq!(r.working_crs.as_deref(), Some("EPSG:32616"));
    assert!(r.overlaps.is_empty());
}

#[test]
fn rockford_by_pin_rejects_15_repeated_ids_before_geometry() {
    // 74 distinct PINs: with the pin as id, the repeats are duplicate ids
    // (checked first), so no duplicate geometry is left to find.
    let opts = IngestOptions {
        id_property: Some("pin".into()),
        ..IngestOptions::default()
    };
    let Some(r) = ingest("rockford/parcels.geojson", &opts, "rockford_pin") else {
        return;
    };
    assert_eq!(counts(&r), (89, 74, 0, 15));
    assert_eq!(
        r.rejected_by_reason().into_iter().collect::<Vec<_>>(),
        vec![("duplicate_id", 15)]
    );
}

#[test]
fn helsinki_osm_extract_repairs_18_and_rejects_18_slivers_and_2_copies() {
    let Some(r) = ingest(
        "osm-small/helsinki_center_polygons.geojson",
        &IngestOptions::default(),
        "helsinki",
    ) else {
        return;
    };
    assert_eq!(counts(&r), (898, 860, 18, 20));
    let reasons = r.rejected_by_reason();
    assert_eq!(reasons.get("zero_area"), Some(&18));
    assert_eq!(reasons.get("duplicate_geometry"), Some(&2));
    assert_eq!(r.repaired_by_kind().get("made_valid"), Some(&18));
    assert_eq!(r.overlaps.len(), 657, "buildings drawn over land-use areas");
    assert_eq!(r.working_crs.as_deref(), Some("EPSG:32635"));
}

#[test]
fn west_oakland_osm_extract_is_accepted_whole() {
    let Some(r) = ingest(
        "osm-small/west_oakland_polygons.geojson",
        &IngestOptions::default(),
        "west_oakland",
    ) else {
        return;
    };
    assert_eq!(counts(&r), (33, 33, 0, 0));
    assert_eq!(r.overlaps.len(), 1);
    assert_eq!(r.working_crs.as_deref(), Some("EPSG:32610"));
}
