//! Reading N generated parcels as GeoJSON (landstock's streaming reader)
//! and as FlatGeobuf (landstock's reader on the `flatgeobuf` crate, and
//! through GDAL for comparison), same city, same machine: the time to
//! read and parse (up to the first shared stage, "project") and the whole
//! ingest (projection, validation, accounting and index are the same code
//! for both), medians of `--runs` runs.
//!
//! ```sh
//! cargo run --release --example formats_read -- 1000000 --runs 3
//! ```
//! The city is generated to a temporary GeoJSON file and converted with
//! `ogr2ogr` (Debian's gdal-bin) to FlatGeobuf without a spatial index
//! (which would reorder the features); neither is timed.

use std::io::BufWriter;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use landstock::ingest::{
    read_flatgeobuf, read_gdal, read_geojson_file, IngestOptions, IngestProgress, Ingested,
};
use landstock_synth::{write_parcels_geojson, CityParams};

/// (read + parse, whole ingest) seconds of one run.
fn timed(
    read: impl FnOnce(&IngestOptions) -> Result<Ingested, landstock::Error>,
) -> (f64, f64, usize) {
    let t = Instant::now();
    let parsed_at = Arc::new(Mutex::new(None));
    let p2 = parsed_at.clone();
    let opts = IngestOptions {
        progress: Some(Arc::new(move |p| {
            if p == IngestProgress::Stage("project") {
                *p2.lock().unwrap() = Some(t.elapsed().as_secs_f64());
            }
        })),
        ..IngestOptions::default()
    };
    let got = read(&opts).expect("read");
    let whole = t.elapsed().as_secs_f64();
    let parsed = parsed_at
        .lock()
        .unwrap()
        .expect("the project stage was reached");
    let n = got.stock.len();
    // freeing a million parcels is not reading them
    std::mem::forget(got);
    (parsed, whole, n)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args
        .get(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(100_000);
    let runs: usize = args
        .iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1))
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(3);
    let dir = tempfile::tempdir()?;
    let json = dir.path().join("city.geojson");
    let fgb = dir.path().join("city.fgb");
    write_parcels_geojson(
        &CityParams::with_parcels(n),
        BufWriter::new(std::fs::File::create(&json)?),
    )?;
    let status = std::process::Command::new("ogr2ogr")
        .args(["-f", "FlatGeobuf", "-lco", "SPATIAL_INDEX=NO"])
        .arg(&fgb)
        .arg(&json)
        .status()?;
    assert!(status.success(), "ogr2ogr failed");
    let mb = |p: &Path| {
        std::fs::metadata(p)
            .map(|m| m.len() as f64 / 1e6)
            .unwrap_or(0.0)
    };
    println!(
        "{n} parcels: GeoJSON {:.0} MB, FlatGeobuf {:.0} MB",
        mb(&json),
        mb(&fgb)
    );
    let fgb_s = fgb.to_string_lossy().into_owned();
    let (mut jr, mut jw, mut fr, mut fw, mut gr) = (vec![], vec![], vec![], vec![], vec![]);
    for run in 0..runs {
        let (r, w, a) = timed(|o| read_geojson_file(&json, o));
        let (r2, w2, b) = timed(|o| read_flatgeobuf(&fgb, o));
        let (r3, _, c) = timed(|o| read_gdal(&fgb_s, o));
        assert_eq!(a, b, "the same parcels accepted");
        assert_eq!(a, c, "the same parcels accepted");
        println!(
            "run {run}: GeoJSON read {r:.2} s / ingest {w:.2} s; FlatGeobuf read {r2:.2} s / ingest {w2:.2} s; FlatGeobuf through GDAL read {r3:.2} s"
        );
        jr.push(r);
        jw.push(w);
        fr.push(r2);
        fw.push(w2);
        gr.push(r3);
    }
    let (jr, jw, fr, fw, gr) = (median(jr), median(jw), median(fr), median(fw), median(gr));
    println!(
        "median read + parse: GeoJSON {jr:.2} s, FlatGeobuf {fr:.2} s ({:.2}x), FlatGeobuf through GDAL {gr:.2} s ({:.2}x)",
        jr / fr,
        jr / gr
    );
    println!(
        "median whole ingest: GeoJSON {jw:.2} s, FlatGeobuf {fw:.2} s ({:.2}x)",
        jw / fw
    );
    Ok(())
}
