//! Plans N parcels of the synthetic fixture city and prints the figures of
//! issue 4's targets: the fast solver's time and its share of the exact
//! optimum (or of its own bound), and the exact solver's gap within 60 s.
//!
//! ```sh
//! cargo run --release --example plan_scale -- 1000000           # fast only
//! cargo run --release --example plan_scale -- 100000 --exact    # fast, then exact (60 s, gap 1e-4)
//! ```
//! The city is generated to a temporary folder, ingested with
//! `fixtures/city.toml` and scored first (timed separately); the cap is 30 %
//! of the candidates' total area, so the cap binds and the choice matters.

use std::io::BufWriter;
use std::time::Instant;

use landstock::candidates::Candidates;
use landstock::context::{Context, ContextOptions};
use landstock::ingest::{read_geojson_file, IngestOptions};
use landstock::pipeline::{PlanConfig, PlanInput, SolverChoice};
use landstock::score::{Layers, Scorer, ScoringConfig};
use landstock_synth::{write_parcels_geojson, CityParams};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(100_000);
    let exact = std::env::args().any(|a| a == "--exact");
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("city.geojson");
    write_parcels_geojson(
        &CityParams::with_parcels(n),
        BufWriter::new(std::fs::File::create(&file)?),
    )?;
    let cfg = landstock::Config::load(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/city.toml"),
    )?;
    let got = read_geojson_file(&file, &IngestOptions::from_config(&cfg)?)?;
    let stock = got.stock;

    let t = Instant::now();
    let cx = Context::new(&stock, &ContextOptions::default());
    let layers = Layers::new(&stock, &cx);
    let candidates = Candidates::of(&stock);
    let sheet =
        Scorer::new(&ScoringConfig::default(), &layers).score(&layers, candidates.indices())?;
    let t_score = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let input = PlanInput::new(&stock, &candidates, &sheet);
    let t_pairs = t.elapsed().as_secs_f64();
    let total_ha: f64 = input.candidates.iter().map(|c| c.area_m2 / 1e4).sum();
    let cap_ha = (0.3 * total_ha).round();
    println!(
        "{} parcels, {} candidates ({total_ha:.0} ha), {} touching pairs; cap {cap_ha} ha; {} threads",
        stock.len(),
        input.candidates.len(),
        input.pairs.len(),
        rayon::current_num_threads()
    );
    println!("score {t_score:.2} s, touching pairs {t_pairs:.2} s");

    let solve =
        |solver: SolverChoice| -> Result<(landstock::plan::Plan, f64, f64), Box<dyn std::error::Error>> {
            let t = Instant::now();
            let problem = PlanConfig {
                solver,
                ..PlanConfig::default()
            }
            .problem(&input, Some(cap_ha))?
            .build()?;
            let t_build = t.elapsed().as_secs_f64();
            let t = Instant::now();
            let plan = problem.solve()?;
            Ok((plan, t_build, t.elapsed().as_secs_f64()))
        };
    let (fast, t_build, fast_s) = solve(SolverChoice::Fast)?;
    println!(
        "fast: build {t_build:.2} s, solve {:.2} s; objective {:.4}, bound {:.4}, gap {:.4}% (so at least {:.3}% of the optimum)",
        fast_s,
        fast.objective,
        fast.bound,
        100.0 * fast.gap,
        100.0 * fast.objective / fast.bound
    );
    if exact {
        let (ex, t_build, ex_s) = solve(SolverChoice::Exact)?;
        println!(
            "exact: build {t_build:.2} s, solve {:.2} s (60 s limit, gap 1e-4); objective {:.4}, bound {:.4}, gap {:.2e}",
            ex_s, ex.objective, ex.bound, ex.gap
        );
        println!(
            "fast / exact objective: {:.5}; fast / exact bound: {:.5}",
            fast.objective / ex.objective,
            fast.objective / ex.bound
        );
    }
    Ok(())
}
