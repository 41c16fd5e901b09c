//! FlatGeobuf read in Rust (feature `fgb`): a file with its spatial index
//! gives every parcel once, as the GeoJSON does; damaged files are typed
//! errors naming the file and, where there is one, the feature. The files
//! are written by `ogr2ogr` (Debian's gdal-bin).
#![cfg(feature = "fgb")]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use landstock::ingest::{read_flatgeobuf, read_geojson_file, IngestOptions, Ingested};
use landstock::ErrorKind;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/city.geojson")
}

/// The fixture city as FlatGeobuf in `dir`, with or without the index.
fn fixture_fgb(dir: &Path, spatial_index: bool) -> PathBuf {
    let out = dir.join("city.fgb");
    let lco = format!("SPATIAL_INDEX={}", if spatial_index { "YES" } else { "NO" });
    let run = Command::new("ogr2ogr")
        .args(["-f", "FlatGeobuf"])
        .arg(&out)
        .arg(fixture())
        .args(["-lco", &lco])
        .output()
        .expect("ogr2ogr (Debian's gdal-bin, installed by scripts/install-deps.sh)");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    out
}

fn ids(got: &Ingested) -> BTreeSet<String> {
    got.stock
        .parcels()
        .iter()
        .map(|p| p.id.as_str().to_string())
        .collect()
}

#[test]
fn a_flatgeobuf_with_its_spatial_index_gives_every_parcel_of_the_geojson_once() {
    let dir = tempfile::tempdir().unwrap();
    let opts = IngestOptions::default();
    let reference = read_geojson_file(&fixture(), &opts).unwrap();
    let fgb = fixture_fgb(dir.path(), true);
    let got = read_flatgeobuf(&fgb, &opts).unwrap();
    // the index reorders the features (Hilbert order), nothing else
    assert_eq!(got.report.total, 3000);
    assert_eq!(got.report.total, reference.report.total);
    assert_eq!(got.report.accepted, reference.report.accepted);
    assert_eq!(got.report.rejected, reference.report.rejected);
    assert_eq!(got.stock.len(), reference.stock.len());
    assert_eq!(ids(&got), ids(&reference));
    let area = |g: &Ingested| -> f64 { g.stock.parcels().iter().map(|p| p.area_m2()).sum() };
    let (a, b) = (area(&got), area(&reference));
    assert!((a - b).abs() <= 1e-6 * b, "{a} m² against {b} m²");
}

#[test]
fn a_truncated_flatgeobuf_is_a_corrupt_error_naming_the_file_and_feature() {
    let dir = tempfile::tempdir().unwrap();
    let fgb = fixture_fgb(dir.path(), false);
    let len = std::fs::metadata(&fgb).unwrap().len();
    let f = std::fs::OpenOptions::new().write(true).open(&fgb).unwrap();
    f.set_len(len / 2).unwrap();
    let err = read_flatgeobuf(&fgb, &IngestOptions::default()).unwrap_err();
    match err.kind() {
        ErrorKind::Corrupt {
            source_name,
            feature_index: Some(i),
            ..
        } => {
            assert!(source_name.ends_with("city.fgb"), "{source_name}");
            // half the bytes hold about half the 3 000 features
            assert!(*i > 1000 && *i < 2000, "{i}");
        }
        other => panic!("expected Corrupt, got {other:?}"),
    }
    assert!(err.to_string().contains("city.fgb"), "{err}");
}

#[test]
fn a_feature_size_beyond_the_file_is_a_corrupt_error_at_that_feature() {
    let dir = tempfile::tempdir().unwrap();
    let fgb = fixture_fgb(dir.path(), false);
    let mut bytes = std::fs::read(&fgb).unwrap();
    // magic (8), header size (4), header: then feature 0's size prefix
    let header = u32::from_le_bytes(bytes[8..12].try_into().unwrap()) as usize;
    let at = 12 + header;
    bytes[at..at + 4].copy_from_slice(&0x3fff_ffffu32.to_le_bytes());
    std::fs::write(&fgb, &bytes).unwrap();
    let err = read_flatgeobuf(&fgb, &IngestOptions::default()).unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Corrupt {
                feature_index: Some(0),
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn a_file_that_is_not_flatgeobuf_is_an_open_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("parcels.fgb");
    std::fs::write(&fake, b"{\"type\":\"FeatureCollection\",\"features\":[]}").unwrap();
    let err = read_flatgeobuf(&fake, &IngestOptions::default()).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Open { .. }), "{err:?}");
    assert!(err.to_string().contains("parcels.fgb"), "{err}");
    assert!(err.to_string().contains("not a FlatGeobuf"), "{err}");
}
