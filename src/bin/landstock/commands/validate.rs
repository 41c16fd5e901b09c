//! `landstock validate`: what happened to every feature.

use std::path::Path;

use landstock::ingest::{read_geojson, read_geojson_file, IngestOptions};

use crate::files::is_std;
use crate::Failure;

pub(crate) fn run(file: &Path, cfg: &landstock::Config, json: bool) -> Result<(), Failure> {
    let opts = IngestOptions::from_config(cfg)?;
    let got = if is_std(file) {
        read_geojson(std::io::stdin(), "stdin", &opts)?
    } else {
        read_geojson_file(file, &opts)?
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&got.report.to_json())?);
    } else {
        print!("{}", got.report);
        println!("areas: {}", cfg.input.area.as_str());
    }
    if let Some(hint) = landstock::ingest::MappingHint::of(&got.stock, &got.report, &opts.mapping) {
        eprintln!("warning: {hint}");
    }
    let r = &got.report;
    if r.accepted + r.repaired == 0 {
        // the report is printed; the exit code says there is no city in it
        return Err(Failure::from(landstock::Error::from(
            landstock::ErrorKind::NoParcels {
                source_name: r.source.clone(),
                features: r.total,
            },
        )));
    }
    Ok(())
}
