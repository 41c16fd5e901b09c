//! Shared helpers for integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The real-data folder (`LANDSTOCK_SHARED_DATA`, else `../shared/data`
/// beside the crate). `None` (with a notice) when it is absent; a panic when
/// it is absent under CI, where these tests must run.
pub fn shared_data(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("LANDSTOCK_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "{test}: the real data folder {} is missing, and CI is set: these tests must run in CI",
            dir.display()
        );
    }
    eprintln!(
        "NOTICE: {test} skipped: real data folder {} not found (set LANDSTOCK_SHARED_DATA)",
        dir.display()
    );
    None
}
