//! The command line, run as a user runs it: output, JSON report and exit codes.

use crate::common;

use std::process::Command;

fn landstock(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_landstock"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run landstock")
}

#[test]
fn validate_json_accounts_for_every_fishtown_feature() {
    let Some(dir) = common::shared_data("validate_json_fishtown") else {
        return;
    };
    let file = dir.join("fishtown/fishtown_parcels.geojson");
    let out = landstock(&[
        "validate",
        file.to_str().unwrap(),
        "--config",
        "examples/configs/fishtown.toml",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let c = &v["counts"];
    assert_eq!(
        (
            c["total"].as_u64(),
            c["accepted"].as_u64(),
            c["repaired"].as_u64(),
            c["rejected"].as_u64()
        ),
        (Some(6528), Some(5662), Some(14), Some(852))
    );
    assert_eq!(v["rejected_by_reason"]["duplicate_geometry"], 852);
    let listed = v["rejected"].as_array().unwrap();
    assert_eq!(listed.len(), 852, "every rejected feature is listed");
    assert!(listed
        .iter()
        .all(|r| r["detail"].as_str().unwrap().contains("the same as parcel")));
    assert_eq!(v["repaired"].as_array().unwrap().len(), 14);
    // unmapped values are counted: the Fishtown config leaves parcels with no billing record unknown
    let unmapped: u64 = v["unmapped"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert!(unmapped > 0);
    assert_eq!(v["sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn validate_prints_a_readable_report() {
    let out = landstock(&["validate", "tests/bad_inputs/duplicate_ids.geojson"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("2 features"), "{text}");
    assert!(
        text.contains("rejected feature 1 (id ok): duplicate id"),
        "{text}"
    );
}

#[test]
fn a_malformed_file_exits_1_with_one_clear_paragraph() {
    let out = landstock(&["validate", "tests/bad_inputs/truncated.geojson"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("error: tests/bad_inputs/truncated.geojson: malformed GeoJSON at byte"),
        "{err}"
    );
    assert!(
        !err.contains("panicked") && !err.contains("backtrace"),
        "{err}"
    );
}

#[test]
fn a_missing_file_exits_1_naming_it() {
    let out = landstock(&["validate", "no/such/file.geojson"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/file.geojson"));
}

#[test]
fn a_usage_error_exits_2() {
    assert_eq!(landstock(&["validate"]).status.code(), Some(2));
    assert_eq!(landstock(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn an_unknown_config_key_exits_1_naming_the_key_and_file() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("bad.toml");
    std::fs::write(&cfg, "[mapping]\npreset = \"osm\"\nfeild = \"x\"\n").unwrap();
    let out = landstock(&[
        "validate",
        "tests/bad_inputs/bom.geojson",
        "--config",
        cfg.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("feild") && err.contains("bad.toml"), "{err}");
}
