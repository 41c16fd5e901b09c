//! Scores N generated parcels and prints the wall time of each step.
//!
//! ```sh
//! cargo run --release --example score_scale -- 1000000
//! cargo run --release --example score_scale -- 100000 --per-criterion
//! ```
//! The parcels are built in memory (no ingestion); the time reported as
//! "scoring" is context + indexes + candidates + scores, what
//! `landstock score` does between reading and writing.

#[path = "support/grid_city.rs"]
mod grid_city;

use std::time::Instant;

use geo::coord;
use landstock::candidates::Candidates;
use landstock::context::{Context, ContextOptions};
use landstock::score::{Layers, Scorer, ScoringConfig, TargetUse};
use landstock::stock::ParcelStock;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(100_000);
    let t = Instant::now();
    let parcels = grid_city::grid_city(n);
    // a stop every 800 m, a facility every 1.2 km
    let extent = (n as f64).sqrt() * 44.0;
    let grid = |step: f64| {
        let k = (extent / step).ceil() as i64;
        (-k..=k)
            .flat_map(|i| {
                (-k..=k).map(move |j| coord! { x: i as f64 * step / 2.0, y: j as f64 * step / 2.0 })
            })
            .collect::<Vec<_>>()
    };
    let (stops, facilities) = (grid(800.0), grid(1200.0));
    let stock = ParcelStock::new(parcels);
    println!(
        "generated and indexed {n} parcels in {:.2} s ({} threads)",
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
        "scored {} candidates of {n} parcels in {total:.2} s \
         (context {t_cx:.2} s, indexes and unserved homes {t_prep:.2} s, criteria {t_score:.2} s)",
        candidates.len()
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
