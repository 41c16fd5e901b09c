//! The whole job on N generated parcels, stage by stage: wall time,
//! throughput and the process's peak memory (issue 6).
//!
//! ```sh
//! cargo run --release --example scale -- 1000000                  # one run
//! cargo run --release --example scale -- 100000,1000000 --runs 3  # medians, growth
//! cargo run --release --example scale -- --dir /tmp/city1000000   # an existing city
//! ```
//!
//! Each run reads `city.geojson` (+ `city_transit.geojson`,
//! `city_facilities.geojson`) as the `landstock plan` command does: read →
//! validate → project → index → score → touching pairs → fast plan →
//! decisions → indicators → plan GeoJSON → summary JSON, with the fixture
//! city's `[input]` and `[mapping]` and a cap of 30 % of the candidates'
//! area (so the cap binds and the choice matters). The city is generated
//! into a temporary folder first (not timed) unless `--dir` names one.
//!
//! With `--runs K` every run is a fresh process (peak memory is per
//! process); the table gives each stage's median and the largest peak.
//! With several sizes it also prints how time grows with the parcel count.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use landstock::config::{PlanConfig, SolverChoice};
use landstock::indicators::of_plan;
use landstock::ingest::IngestProgress;
use landstock::output::plan::{decisions, write_plan_geojson};
use landstock::output::summary::{Summary, SummaryParts};
use landstock::pipeline::{Pipeline, Progress};
use landstock_synth::{
    write_facilities_geojson, write_parcels_geojson, write_transit_geojson, CityParams,
};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

mod support;

/// One stage of one run: name, wall seconds, peak memory after it.
#[derive(Clone, Debug)]
struct Stage {
    name: String,
    secs: f64,
    peak_mb: f64,
}

/// Generates the city of `n` parcels into `dir`.
fn generate(n: usize, dir: &Path) -> Res<()> {
    let params = CityParams::with_parcels(n);
    let create = |name: &str| -> Res<BufWriter<std::fs::File>> {
        Ok(BufWriter::new(std::fs::File::create(dir.join(name))?))
    };
    write_parcels_geojson(&params, create("city.geojson")?)?;
    write_transit_geojson(&params, create("city_transit.geojson")?)?;
    write_facilities_geojson(&params, create("city_facilities.geojson")?)?;
    Ok(())
}

/// The fixture city's configuration without its `[plan]` limits (the cap
/// is set per run).
fn config() -> Res<landstock::Config> {
    let mut cfg =
        landstock::Config::load(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/city.toml"))?;
    cfg.plan = PlanConfig {
        solver: SolverChoice::Fast,
        ..PlanConfig::default()
    };
    Ok(cfg)
}

/// One run in this process; returns the stages and a one-line description.
fn run_once(dir: &Path, out_dir: &Path) -> Res<(Vec<Stage>, String)> {
    let cfg = config()?;
    let start = Instant::now();
    let stages: Arc<Mutex<Vec<Stage>>> = Arc::default();
    let last = Arc::new(Mutex::new(0.0f64));
    let mark = {
        let (stages, last) = (stages.clone(), last.clone());
        move |name: &str| {
            let now = start.elapsed().as_secs_f64();
            let mut l = last.lock().expect("no panics while held");
            stages.lock().expect("no panics while held").push(Stage {
                name: name.to_owned(),
                secs: now - *l,
                peak_mb: support::peak_rss_mb().unwrap_or(f64::NAN),
            });
            *l = now;
        }
    };
    let m = mark.clone();
    // the ingest reports the start of each of its stages
    let progress = move |p: Progress<'_>| match p {
        Progress::Ingest(IngestProgress::Stage(s)) => m(match s {
            "project" => "read + parse",
            "account" => "validate + project",
            "index" => "account",
            _ => "index + overlaps",
        }),
        Progress::Scored { .. } => m("layers + context + score"),
        _ => {}
    };
    let city = Pipeline::from_path(dir.join("city.geojson"))
        .config(cfg.clone())
        .transit_file(dir.join("city_transit.geojson"))
        .facilities_file(dir.join("city_facilities.geojson"))
        .on_progress(progress)
        .score()?;
    let input = city.plan_input();
    mark("touching pairs");
    let candidates_ha: f64 = input.candidates.iter().map(|c| c.area_m2 / 1e4).sum();
    let cap_ha = (0.3 * candidates_ha).round().max(1.0);
    let problem = cfg.plan.problem(&input, Some(cap_ha))?.build()?;
    mark("build problem");
    let solve_start = Instant::now();
    let plan = problem.solve()?;
    let solve_seconds = solve_start.elapsed().as_secs_f64();
    mark("fast plan");
    let rows = decisions(&input.candidates, &city.sheet, &plan)?;
    let (before, after) = of_plan(
        &city.stock,
        city.context.population(),
        &input.stock_index,
        &plan,
        problem.cap_ha(),
    );
    mark("decisions + indicators");
    let plan_path = out_dir.join("plan.geojson");
    let mut f = BufWriter::new(std::fs::File::create(&plan_path)?);
    write_plan_geojson(
        &mut f,
        &plan_path.display().to_string(),
        &city.stock,
        &rows,
        false,
        &city.working_crs,
    )?;
    f.flush()?;
    mark("write plan GeoJSON");
    let summary_path = out_dir.join("summary.json");
    let mut f = BufWriter::new(std::fs::File::create(&summary_path)?);
    let v = Summary::new(&SummaryParts {
        city: "city",
        input_path: &dir.join("city.geojson").display().to_string(),
        ingest: &city.report,
        config: &cfg,
        problem: &problem,
        plan: &plan,
        solve_seconds,
        before: &before,
        after: &after,
        decisions: &rows,
        top_decisions: 20,
    });
    v.write_json(&mut f)?;
    f.flush()?;
    mark("write summary");
    let described = format!(
        "{} parcels, {} candidates, {} touching pairs, cap {cap_ha} ha, {} converted; fast objective {:.2}, gap {:.4} %",
        city.stock.len(),
        input.candidates.len(),
        input.pairs.len(),
        rows.iter().filter(|d| d.use_.is_conversion()).count(),
        plan.objective,
        100.0 * plan.gap
    );
    let stages = stages.lock().expect("no panics while held").clone();
    Ok((stages, described))
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    if n % 2 == 1 {
        xs[n / 2]
    } else {
        0.5 * (xs[n / 2 - 1] + xs[n / 2])
    }
}

/// Runs a fresh process per run (`--single`) and parses its stage lines.
fn run_child(dir: &Path, out_dir: &Path) -> Res<(Vec<Stage>, String)> {
    let out = Command::new(std::env::current_exe()?)
        .arg("--single")
        .arg("--dir")
        .arg(dir)
        .arg("--out")
        .arg(out_dir)
        .output()?;
    if !out.status.success() {
        return Err(format!("run failed: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    let text = String::from_utf8(out.stdout)?;
    let mut stages = Vec::new();
    let mut described = String::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("STAGE\t") {
            let f: Vec<&str> = rest.split('\t').collect();
            stages.push(Stage {
                name: f[0].to_owned(),
                secs: f[1].parse()?,
                peak_mb: f[2].parse()?,
            });
        } else if let Some(rest) = line.strip_prefix("RUN\t") {
            described = rest.to_owned();
        }
    }
    Ok((stages, described))
}

fn main() -> Res<()> {
    let mut sizes: Vec<usize> = Vec::new();
    let mut dir: Option<PathBuf> = None;
    let mut out: Option<PathBuf> = None;
    let mut runs = 1usize;
    let mut single = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--runs" => runs = args.next().ok_or("--runs needs a number")?.parse()?,
            "--dir" => dir = Some(args.next().ok_or("--dir needs a folder")?.into()),
            "--out" => out = Some(args.next().ok_or("--out needs a folder")?.into()),
            "--single" => single = true,
            s => {
                for n in s.split(',') {
                    sizes.push(n.replace('_', "").parse()?);
                }
            }
        }
    }
    let tmp = tempfile::tempdir()?;
    let out = out.unwrap_or_else(|| tmp.path().to_path_buf());
    if single {
        let dir = dir.ok_or("--single needs --dir")?;
        let (stages, described) = run_once(&dir, &out)?;
        for s in stages {
            println!("STAGE\t{}\t{}\t{}", s.name, s.secs, s.peak_mb);
        }
        println!("RUN\t{described}");
        return Ok(());
    }
    let cities: Vec<(String, PathBuf)> = match dir {
        Some(d) => vec![(d.display().to_string(), d)],
        None => {
            if sizes.is_empty() {
                sizes.push(100_000);
            }
            let mut v = Vec::new();
            for &n in &sizes {
                let d = tmp.path().join(format!("city{n}"));
                std::fs::create_dir_all(&d)?;
                let t = Instant::now();
                generate(n, &d)?;
                eprintln!(
                    "generated {n} parcels in {:.1} s (not timed below)",
                    t.elapsed().as_secs_f64()
                );
                v.push((format!("{n} parcels"), d));
            }
            v
        }
    };
    println!(
        "{} threads; {runs} run(s) per city, each a fresh process",
        rayon::current_num_threads()
    );
    let mut totals = Vec::new();
    for (label, d) in &cities {
        let mut all: Vec<Vec<Stage>> = Vec::new();
        let mut described = String::new();
        for _ in 0..runs {
            let (s, text) = run_child(d, &out)?;
            all.push(s);
            described = text;
        }
        let parcels: f64 = described
            .split_whitespace()
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(f64::NAN);
        println!("\n{label}: {described}");
        println!(
            "  {:<24} {:>9} {:>14} {:>12}",
            "stage", "median s", "parcels/s", "peak MB"
        );
        let mut total_runs = vec![0.0; all.len()];
        for (k, stage) in all[0].iter().enumerate() {
            let secs = median(all.iter().map(|r| r[k].secs).collect());
            let peak = all.iter().map(|r| r[k].peak_mb).fold(0.0, f64::max);
            for (t, r) in total_runs.iter_mut().zip(&all) {
                *t += r[k].secs;
            }
            println!(
                "  {:<24} {:>9.2} {:>14.0} {:>12.0}",
                stage.name,
                secs,
                parcels / secs,
                peak
            );
        }
        let total = median(total_runs.clone());
        let peak = all
            .iter()
            .flat_map(|r| r.iter().map(|s| s.peak_mb))
            .fold(0.0, f64::max);
        println!(
            "  {:<24} {:>9.2} {:>14.0} {:>12.0}   (runs: {})",
            "end to end",
            total,
            parcels / total,
            peak,
            total_runs
                .iter()
                .map(|t| format!("{t:.2}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        totals.push((parcels, total));
    }
    for w in totals.windows(2) {
        let ((n0, t0), (n1, t1)) = (w[0], w[1]);
        println!(
            "\n{:.0}x the parcels cost {:.2}x the time ({:.0} -> {:.0} parcels)",
            n1 / n0,
            t1 / t0,
            n0,
            n1
        );
    }
    Ok(())
}
