//! Scores N parcels of the synthetic fixture city (`landstock_synth`) and
//! prints the wall time of each step.
//!
//! ```sh
//! cargo run --release --example score_scale -- 1000000
//! cargo run --release --example score_scale -- 100000 --per-criterion
//! ```
//! The city, its transit stops and facilities are generated to a temporary
//! folder and ingested with `fixtures/city.toml` first (not timed); the time
//! reported as "scoring" is context + indexes + candidates + scores, what
//! `landstock score` does between reading and writing.

use std::io::BufWriter;
use std::time::Instant;

use landstock::candidates::Candidates;
use landstock::context::{read_points_geojson_file, Context, ContextOptions};
use landstock::ingest::{read_geojson_file, IngestOptions};
use landstock::score::{Layers, Scorer, ScoringConfig, TargetUse};
use landstock_synth::{
    write_facilities_geojson, write_parcels_geojson, write_transit_geojson, CityParams,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(100_000);
    let t = Instant::now();
    let dir = tempfile::tempdir()?;
    let params = CityParams::with_parcels(n);
    let file = |name: &str| dir.path().join(name);
    write_parcels_geojson(
        &params,
        BufWriter::new(std::fs::File::create(file("city.geojson"))?),
    )?;
    write_transit_geojson(
        &params,
        BufWriter::new(std::fs::File::create(file("transit.geojson"))?),
    )?;
    write_facilities_geojson(
        &params,
        BufWriter::new(std::fs::File::create(file("facilities.geojson"))?),
    )?;
    let cfg = landstock::Config::load(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/city.toml"),
    )?;
    let got = read_geojson_file(&file("city.geojson"), &IngestOptions::from_config(&cfg)?)?;
    let crs = got.report.working_crs.clone().ok_or("no working CRS")?;
    let stops = read_points_geojson_file(&file("transit.geojson"), &crs)?;
    let facilities = read_points_geojson_file(&file("facilities.geojson"), &crs)?;
    let stock = got.stock;
    println!(
        "generated and ingested {} parcels, {} stops, {} facilities in {:.2} s ({} threads)",
        stock.len(),
        stops.len(),
        facilities.len(),
        t.elapsed().as_secs_f64(),
        rayon::current_num_threads()
    );

    let t0 = Instant::now();
    let cx = Context::new(&stock, &ContextOptions::default())
        .with_transit(stops)
        .with_facilities(facilities);
    let t_cx = t0.elapsed().as_secs_f64();
    let t = Instant::now();
    let layers = Layers::new(&stock, &cx);
    let candidates = Candidates::of(&stock);
    let scorer = Scorer::new(&ScoringConfig::default(), &layers);
    let t_prep = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let sheet = scorer.score(&layers, candidates.indices())?;
    let t_score = t.elapsed().as_secs_f64();
    let total = t0.elapsed().as_secs_f64();
    let mean = |u: TargetUse| {
        let v: Vec<f64> = sheet.rows().iter().filter_map(|r| r.score(u)).collect();
        v.iter().sum::<f64>() / v.len().max(1) as f64
    };
    println!(
        "scored {} candidates of {} parcels in {total:.2} s \
         (context {t_cx:.2} s, indexes and unserved homes {t_prep:.2} s, criteria {t_score:.2} s)",
        candidates.len(),
        stock.len()
    );
    println!(
        "mean scores: green {:.3}, ecological {:.3}, cultural {:.3}",
        mean(TargetUse::Green),
        mean(TargetUse::Ecological),
        mean(TargetUse::Cultural)
    );
    if std::env::args().any(|a| a == "--per-criterion") {
        use rayon::prelude::*;
        for u in TargetUse::ALL {
            for c in scorer.criteria(u) {
                let t = Instant::now();
                let total: f64 = candidates
                    .indices()
                    .par_iter()
                    .map(|&i| c.raw(&layers, i).min(1e12))
                    .sum();
                println!(
                    "  {u:<10} {:<16} {:.3} s (checksum {total:.3e})",
                    c.name(),
                    t.elapsed().as_secs_f64()
                );
            }
        }
    }
    Ok(())
}
