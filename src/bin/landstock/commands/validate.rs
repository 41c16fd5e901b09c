//! `landstock validate`: what happened to every feature.

use std::path::Path;

use landstock::ingest::{read_path, IngestOptions};

use crate::Failure;

pub(crate) fn run(
    file: &Path,
    config: Option<&Path>,
    layer: Option<String>,
    json: bool,
) -> Result<(), Failure> {
    let cfg = super::with_layer(super::load_config(config)?, layer);
    let opts = IngestOptions::from_config(&cfg)?;
    let got = read_path(file, &opts)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&got.report.to_json())?);
    } else {
        print!("{}", got.report);
    }
    Ok(())
}
