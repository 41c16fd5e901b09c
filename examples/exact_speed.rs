//! The exact planner on issue 13's two speed targets, printing time,
//! objective, bound, gap and status of the plan and of its explanations:
//!
//! - the fixture city's main job (`fixtures/city.toml` with its point layers:
//!   budget, bounds, construction target), target ≤ 2 s with explanations at
//!   a gap ≤ 1e-4;
//! - a generated 20,000-parcel city (the synth crate's GB 50137 layout) with
//!   a 300 ha cap, a budget of 3e7, a construction-land target of 40 ha
//!   less than before, at least 40 ha of ecological land and parks at most
//!   30 % of the cap, target a proven gap ≤ 1e-4 within 10 s.
//!
//! ```sh
//! cargo run --release --example exact_speed                  # both, 3 runs each
//! cargo run --release --example exact_speed -- fixture 5     # one target, 5 runs
//! cargo run --release --example exact_speed -- city20k 1 --dump /tmp/m.json
//! ```
//! Medians of the runs are printed last. `--dump F` writes the MILP(s) HiGHS
//! sees to F (`LANDSTOCK_DUMP_MILP`).

use std::io::BufWriter;
use std::path::Path;
use std::time::Instant;

use landstock::config::{AreaLimit, SolverChoice, UseBounds};
use landstock::plan::{explain, Plan, Problem};
use landstock::{Config, Pipeline};
use landstock_synth::{write_parcels_geojson, CityParams};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = args.iter().position(|a| a == "--dump") {
        if let Some(f) = args.get(i + 1) {
            std::env::set_var("LANDSTOCK_DUMP_MILP", f);
        }
    }
    let which = args.first().map(String::as_str).unwrap_or("both");
    let runs: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(3);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if which == "both" || which == "fixture" {
        let problem = fixture(root)?;
        report("fixture", &problem, runs, true)?;
    }
    if which == "both" || which == "city20k" {
        let problem = city20k(root)?;
        report("city20k", &problem, runs, false)?;
    }
    Ok(())
}

/// The fixture main job's problem, exact at 1e-4 (what `scripts/run-fixture.sh` plans).
fn fixture(root: &Path) -> Result<Problem, Box<dyn std::error::Error>> {
    let mut cfg = Config::load(root.join("fixtures/city.toml"))?;
    cfg.plan.solver = SolverChoice::Exact;
    let city = Pipeline::from_path(root.join("fixtures/city.geojson"))
        .config(cfg.clone())
        .transit_file(root.join("fixtures/city_transit.geojson"))
        .facilities_file(root.join("fixtures/city_facilities.geojson"))
        .score()?;
    let input = city.plan_input();
    Ok(cfg.plan.problem(&input, None)?.build()?)
}

/// The generated 20,000-parcel city with issue 13's limits.
fn city20k(root: &Path) -> Result<Problem, Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("city.geojson");
    write_parcels_geojson(
        &CityParams::with_parcels(20_000),
        BufWriter::new(std::fs::File::create(&file)?),
    )?;
    let mut cfg = Config::load(root.join("fixtures/city.toml"))?;
    let city = Pipeline::from_path(&file).config(cfg.clone()).score()?;
    let input = city.plan_input();
    let p = &mut cfg.plan;
    p.solver = SolverChoice::Exact;
    p.time_limit_s = 10.0;
    p.cap = Some(300.0);
    p.budget = Some(3e7);
    p.construction_target_ha = Some(input.construction_land_before_ha - 40.0);
    p.bounds.clear();
    p.bounds.insert(
        "ecological".into(),
        UseBounds {
            min: Some(AreaLimit::Ha(40.0)),
            max: None,
        },
    );
    p.bounds.insert(
        "green".into(),
        UseBounds {
            min: None,
            max: Some(AreaLimit::ShareOfCap(0.3)),
        },
    );
    println!(
        "city20k: {} candidates, {} touching pairs, construction land {:.1} ha before",
        input.candidates.len(),
        input.pairs.len(),
        input.construction_land_before_ha
    );
    Ok(cfg.plan.problem(&input, None)?.build()?)
}

fn line(plan: &Plan) -> String {
    format!(
        "objective {:.6}, bound {:.6}, gap {:.2e}, {} {}",
        plan.objective,
        plan.bound,
        plan.gap,
        plan.method.as_str(),
        plan.status.as_str()
    )
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn report(
    name: &str,
    problem: &Problem,
    runs: usize,
    explain_too: bool,
) -> Result<(), Box<dyn std::error::Error>> {
    let mut solve_s = Vec::new();
    let mut explain_s = Vec::new();
    for run in 0..runs {
        let t = Instant::now();
        let plan = problem.solve()?;
        let ts = t.elapsed().as_secs_f64();
        solve_s.push(ts);
        println!("{name} run {run}: solve {ts:.3} s; {}", line(&plan));
        if explain_too {
            std::env::remove_var("LANDSTOCK_DUMP_MILP"); // the plan's model only
            let t = Instant::now();
            let e = explain(problem, &plan)?;
            let te = t.elapsed().as_secs_f64();
            explain_s.push(te);
            let cap = e.cap.as_ref().map_err(|e| e.to_string())?;
            let money = e.budget.as_ref().map(|b| b.as_ref().map(|m| m.per_unit));
            println!(
                "{name} run {run}: explain {te:.3} s; cap +1 ha: {:.6}/ha (gap {:.1e}), budget: {:?}",
                cap.per_unit, cap.gap_plus, money
            );
        }
    }
    if explain_too {
        let (s, e) = (median(solve_s), median(explain_s));
        println!(
            "{name} median of {runs}: solve {s:.3} s, explain {e:.3} s, total {:.3} s",
            s + e
        );
    } else {
        println!("{name} median of {runs}: solve {:.3} s", median(solve_s));
    }
    Ok(())
}
