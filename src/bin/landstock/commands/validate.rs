//! `landstock validate`: what happened to every feature.

use std::path::Path;

use landstock::ingest::{read_geojson_file, IngestOptions};

use crate::Failure;

pub(crate) fn run(file: &Path, config: Option<&Path>, json: bool) -> Result<(), Failure> {
    let opts = match config {
        None => IngestOptions::default(),
        Some(path) => IngestOptions::from_config(&landstock::Config::load(path)?)?,
    };
    let got = read_geojson_file(file, &opts)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&got.report.to_json())?);
    } else {
        print!("{}", got.report);
    }
    Ok(())
}
