//! Ingest + project + index N generated parcels and print wall time,
//! throughput and the process's peak memory.
//!
//! ```sh
//! cargo run --release --example scale_ingest -- 1000000
//! ```
//! The city is generated to a temporary file first (not timed), then read
//! back from disk as a user's file would be.

use std::io::BufWriter;
use std::time::Instant;

use landstock::ingest::{read_geojson_file, IngestOptions, IngestProgress};
use landstock_synth::{write_parcels_geojson, CityParams};

mod support;
use support::peak_rss_mb;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(100_000);
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("city.geojson");
    let t = Instant::now();
    let summary = write_parcels_geojson(
        &CityParams::with_parcels(n),
        BufWriter::new(std::fs::File::create(&path)?),
    )?;
    let size_mb = std::fs::metadata(&path)?.len() as f64 / 1e6;
    println!(
        "generated {} parcels ({size_mb:.0} MB) in {:.2} s",
        summary.n_parcels,
        t.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    let stages = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let s2 = stages.clone();
    let opts = IngestOptions {
        progress: Some(std::sync::Arc::new(move |p| {
            if let IngestProgress::Stage(name) = p {
                s2.lock().unwrap().push((name, t.elapsed().as_secs_f64()));
            }
        })),
        ..IngestOptions::default()
    };
    let got = read_geojson_file(&path, &opts)?;
    let secs = t.elapsed().as_secs_f64();
    let mut last = 0.0;
    for (name, at) in stages.lock().unwrap().iter() {
        let label = match *name {
            "project" => "read + parse",
            "account" => "project + validate",
            "index" => "account",
            _ => "index + overlaps",
        };
        println!("  {label:<20} {:>7.2} s", at - last);
        last = *at;
    }
    let r = &got.report;
    println!(
        "ingest + project + index: {} features in {secs:.2} s ({:.0} parcels/s, {:.0} MB/s); accepted {} repaired {} rejected {}",
        r.total,
        r.total as f64 / secs,
        size_mb / secs,
        r.accepted,
        r.repaired,
        r.rejected
    );
    if let Some(mb) = peak_rss_mb() {
        println!("peak memory (VmHWM): {mb:.0} MB");
    }
    Ok(())
}
