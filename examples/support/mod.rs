//! Shared by the examples: the real-data folder, the peak memory.

use std::path::{Path, PathBuf};

/// The real-data folder (`LANDSTOCK_SHARED_DATA`, else `../shared/data`
/// beside the crate); `Ok(None)` with a notice when it is absent, an error
/// when it is absent and `CI` is set (the examples must run there).
#[allow(dead_code)] // not every example reads the real data
pub fn shared_data() -> Result<Option<PathBuf>, Box<dyn std::error::Error>> {
    let dir = std::env::var_os("LANDSTOCK_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    if dir.is_dir() {
        return Ok(Some(dir));
    }
    if std::env::var_os("CI").is_some() {
        return Err("the shared data folder is missing and CI is set".into());
    }
    eprintln!("NOTICE: ../shared/data not found (set LANDSTOCK_SHARED_DATA); nothing to do");
    Ok(None)
}

/// The process's peak resident set (VmHWM) in MB, where /proc has it.
#[allow(dead_code)] // only the scale examples measure memory
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}
