//! The `landstock` command line: validate, score and plan a city's parcels.
//!
//! Exit codes: 0 ok, 1 input error, 2 usage error, 3 infeasible plan.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use landstock::indicators::{before_and_after, BudgetFigures};
use landstock::ingest::{read_geojson_file, IngestOptions};
use landstock::output::map::{map_svg, MapOptions};
use landstock::output::plan::{
    add_stops_to_reasons, decisions, explanations_json, indicators_of, summary_json,
    write_decisions_csv, write_plan_geojson, SummaryParts,
};
use landstock::output::report::write_report_html;
use landstock::output::scores::write_scores_geojson;
use landstock::output::AtomicFile;
use landstock::pipeline::{score_file_with, PlanInput, ScoredCity, SolverChoice};
use landstock::plan::{explain, PhaseSpec, PhasedPlan, Plan};

#[derive(Parser)]
#[command(
    name = "landstock",
    version,
    about = "Plan how a shrinking city repurposes its land stock"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// No progress output on stderr.
    #[arg(long, global = true)]
    quiet: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Read a parcel file and report what happened to every feature.
    ///
    /// Example: landstock validate fixtures/city.geojson --config fixtures/city.toml
    Validate {
        /// A GeoJSON FeatureCollection of parcel polygons.
        file: PathBuf,
        /// A TOML config (mapping, input CRS, id property).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Print the report as JSON on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Score every candidate for green space, ecological land and a
    /// cultural district, with the per-criterion breakdown.
    ///
    /// Example: landstock score fixtures/city.geojson --config fixtures/city.toml
    /// --transit fixtures/city_transit.geojson --facilities fixtures/city_facilities.geojson
    /// --out scored.geojson
    Score {
        /// A GeoJSON FeatureCollection of parcel polygons.
        file: PathBuf,
        /// A TOML config (mapping, input CRS, id property, [scoring]).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Transit stops (GeoJSON points); without it the transit criterion is dropped.
        #[arg(long)]
        transit: Option<PathBuf>,
        /// Cultural and education facilities (GeoJSON points), counted as amenities.
        #[arg(long)]
        facilities: Option<PathBuf>,
        /// Where to write the scored candidates (GeoJSON, EPSG:4326).
        #[arg(long)]
        out: PathBuf,
    },
    /// Plan which candidates to keep, and which to turn into parks,
    /// ecological land, cultural districts or auction lots, under a total
    /// land-scale cap (and the bounds, target, budget and locks of --config).
    ///
    /// Example: landstock plan fixtures/city.geojson --cap 120ha --config fixtures/city.toml
    /// --transit fixtures/city_transit.geojson --facilities fixtures/city_facilities.geojson
    /// --out out/plan.geojson --summary out/summary.json --csv out/decisions.csv
    ///
    /// Exit codes: 0 ok, 1 input error, 2 usage error, 3 infeasible plan.
    Plan {
        /// A GeoJSON FeatureCollection of parcel polygons.
        file: PathBuf,
        /// Total land-scale cap, e.g. 120ha (overrides [plan] cap in the config).
        #[arg(long, value_parser = cap_arg)]
        cap: Option<f64>,
        /// A TOML config ([input], [mapping], [scoring], [plan]).
        #[arg(long)]
        config: Option<PathBuf>,
        /// exact (HiGHS MILP), fast (Lagrangian heuristic with a bound) or auto.
        #[arg(long, value_enum)]
        solver: Option<SolverArg>,
        /// Time limit of the solve, e.g. 60s, 2m (default 60 s). It holds at any
        /// size: HiGHS runs in a worker process that is ended at the limit, and
        /// the best plan known is returned with its proven gap
        /// (solver.status "time_limit"). Explanations get a fifth of it for
        /// their two re-solves, run side by side; each scenario gets all of it.
        #[arg(long, value_parser = seconds_arg)]
        time_limit: Option<f64>,
        /// Transit stops (GeoJSON points); without it the transit criterion is dropped.
        #[arg(long)]
        transit: Option<PathBuf>,
        /// Cultural and education facilities (GeoJSON points), counted as amenities.
        #[arg(long)]
        facilities: Option<PathBuf>,
        /// Where to write the plan (GeoJSON, EPSG:4326).
        #[arg(long)]
        out: PathBuf,
        /// Where to write the summary JSON (indicators, solver, constraints).
        #[arg(long)]
        summary: Option<PathBuf>,
        /// Where to write the decisions as CSV.
        #[arg(long)]
        csv: Option<PathBuf>,
        /// Write every parcel to --out, not only the candidates.
        #[arg(long)]
        all: bool,
        /// Where to write the map (SVG: before and after panels, legend, scale bar).
        #[arg(long)]
        map: Option<PathBuf>,
        /// Where to write the self-contained HTML report (map, indicators, solver,
        /// binding constraints, explanations, top decisions).
        #[arg(long)]
        report: Option<PathBuf>,
        /// Phases, each with its own cap, e.g. "40ha,40ha,40ha": later phases
        /// convert only what earlier ones left, and money carries over.
        #[arg(long, value_parser = phases_arg)]
        phases: Option<PhaseCaps>,
        /// Skip the explanations (marginal values need two extra solves).
        #[arg(long)]
        no_explain: bool,
        /// Also solve at these caps and tabulate benefit and converted area
        /// against cap in the summary's `scenarios`, e.g. "60ha,120ha,180ha".
        #[arg(long, value_parser = phases_arg)]
        scenarios: Option<PhaseCaps>,
    },
    /// Internal: solve one HiGHS model read from stdin, answer on stdout
    /// (the planner runs HiGHS here so that its time limit always holds).
    #[command(hide = true)]
    MilpWorker,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum SolverArg {
    Exact,
    Fast,
    Auto,
}

fn cap_arg(s: &str) -> Result<f64, String> {
    landstock::pipeline::parse_cap_ha(s)
}

/// The caps of `--phases`, ha.
#[derive(Clone, Debug)]
struct PhaseCaps(Vec<f64>);

fn phases_arg(s: &str) -> Result<PhaseCaps, String> {
    let caps: Vec<f64> = s
        .split(',')
        .map(landstock::pipeline::parse_cap_ha)
        .collect::<Result<_, _>>()?;
    if caps.is_empty() {
        return Err("give at least one phase cap, e.g. \"40ha,40ha\"".into());
    }
    Ok(PhaseCaps(caps))
}

fn seconds_arg(s: &str) -> Result<f64, String> {
    let t = s.trim();
    let (num, mult) = if let Some(x) = t.strip_suffix("min") {
        (x, 60.0)
    } else if let Some(x) = t.strip_suffix('m') {
        (x, 60.0)
    } else if let Some(x) = t.strip_suffix('s') {
        (x, 1.0)
    } else {
        (t, 1.0)
    };
    match num.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v * mult),
        _ => Err(format!("{s:?} is not a duration: write e.g. 60s or 2m")),
    }
}

/// How a run failed, for the exit code.
enum Failure {
    /// Bad input data or configuration: 1.
    Input(anyhow::Error),
    /// Wrong use of the command line: 2.
    Usage(anyhow::Error),
    /// The plan's constraints cannot all hold: 3.
    Infeasible(anyhow::Error),
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        let infeasible = e.chain().any(|c| {
            matches!(
                c.downcast_ref::<landstock::plan::PlanError>(),
                Some(landstock::plan::PlanError::Infeasible { .. })
            )
        });
        if infeasible {
            Failure::Infeasible(e)
        } else {
            Failure::Input(e)
        }
    }
}

macro_rules! from_error {
    ($($t:ty),*) => {$(
        impl From<$t> for Failure {
            fn from(e: $t) -> Self {
                Failure::from(anyhow::Error::from(e))
            }
        }
    )*};
}
from_error!(
    landstock::Error,
    landstock::ConfigError,
    landstock::plan::PlanError,
    landstock::score::ScoreError,
    landstock::pipeline::RunError,
    serde_json::Error
);

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(e)) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
        Err(Failure::Usage(e)) => {
            eprintln!("error: {e:#}\n\nFor more information, try '--help'.");
            ExitCode::from(2)
        }
        Err(Failure::Infeasible(e)) => {
            eprintln!("error: {e:#}");
            ExitCode::from(3)
        }
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::MilpWorker => landstock::plan::milp::serve(std::io::stdin(), std::io::stdout())
            .map_err(|e| Failure::Input(anyhow::anyhow!("milp-worker: {e}"))),
        Command::Validate { file, config, json } => {
            let opts = options(config.as_deref())?;
            let got = read_geojson_file(&file, &opts)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&got.report.to_json())?);
            } else {
                print!("{}", got.report);
            }
            Ok(())
        }
        Command::Plan {
            file,
            cap,
            config,
            solver,
            time_limit,
            transit,
            facilities,
            out,
            summary,
            csv,
            all,
            map,
            report,
            phases,
            no_explain,
            scenarios,
        } => {
            let mut cfg = match config.as_deref() {
                Some(path) => landstock::Config::load(path)?,
                None => landstock::Config::default(),
            };
            if let Some(cap) = cap {
                cfg.plan.cap = Some(cap);
            }
            let phases = phases.map(|p| p.0);
            if let (None, Some(ph)) = (cfg.plan.cap, &phases) {
                cfg.plan.cap = Some(ph.iter().sum());
            }
            if cfg.plan.cap.is_none() {
                return Err(Failure::Usage(anyhow::anyhow!(
                    "no land-scale cap: pass --cap 120ha, or set cap = \"120ha\" under [plan] in --config"
                )));
            }
            if let Some(s) = solver {
                cfg.plan.solver = match s {
                    SolverArg::Exact => SolverChoice::Exact,
                    SolverArg::Fast => SolverChoice::Fast,
                    SolverArg::Auto => SolverChoice::Auto,
                };
            }
            if let Some(t) = time_limit {
                cfg.plan.time_limit_s = t;
            }
            plan(
                &file,
                cfg,
                &Layers_ {
                    transit: transit.as_deref(),
                    facilities: facilities.as_deref(),
                },
                &Outputs {
                    out: &out,
                    summary: summary.as_deref(),
                    csv: csv.as_deref(),
                    all,
                    map: map.as_deref(),
                    report: report.as_deref(),
                    phases,
                    explain: !no_explain,
                    scenarios: scenarios.map(|s| s.0),
                },
                cli.quiet,
            )
        }
        Command::Score {
            file,
            config,
            transit,
            facilities,
            out,
        } => {
            let cfg = match config.as_deref() {
                Some(path) => landstock::Config::load(path)?,
                None => landstock::Config::default(),
            };
            score(
                &file,
                cfg,
                &Layers_ {
                    transit: transit.as_deref(),
                    facilities: facilities.as_deref(),
                },
                &out,
                cli.quiet,
            )
        }
    }
}

/// Point layers named on the command line.
struct Layers_<'a> {
    transit: Option<&'a Path>,
    facilities: Option<&'a Path>,
}

/// Output files of `plan`.
struct Outputs<'a> {
    out: &'a Path,
    summary: Option<&'a Path>,
    csv: Option<&'a Path>,
    all: bool,
    map: Option<&'a Path>,
    report: Option<&'a Path>,
    phases: Option<Vec<f64>>,
    explain: bool,
    scenarios: Option<Vec<f64>>,
}

/// A phased plan as one plan: the final uses and figures (the per-phase
/// figures go to the summary's `phases`).
fn plan_of_phases(p: &PhasedPlan) -> Plan {
    Plan {
        uses: p.uses.clone(),
        objective: p.objective,
        benefit: p.benefit,
        bonus: p.bonus,
        bound: p.bound,
        gap: p.gap,
        method: p.method,
        status: p.status,
        seconds: p.seconds,
        area_ha: p.area_ha,
        cost: p.phases.iter().map(|r| r.cost).sum(),
        revenue: p.phases.iter().map(|r| r.revenue).sum(),
        construction_land_after_ha: None,
        constraints: p.constraints.clone(),
    }
}

/// The summary's `scenarios` member: per cap, the plan's objective, bound,
/// gap, converted area by use and its SPEC §6 indicators after the plan (or
/// why there is no plan).
fn scenarios_json(
    rows: &[landstock::plan::ScenarioRow],
    city: &ScoredCity,
    input: &PlanInput,
) -> serde_json::Value {
    use serde_json::json;
    rows.iter()
        .map(|r| match &r.plan {
            Ok(p) => {
                let mut uses = vec![landstock::plan::Use::Keep; city.stock.len()];
                for (k, &u) in p.uses.iter().enumerate() {
                    uses[input.stock_index[k]] = u;
                }
                let (_, after) = before_and_after(
                    &city.stock,
                    city.context.population(),
                    &uses,
                    r.cap_ha.unwrap_or(f64::NAN),
                    BudgetFigures {
                        cost: p.cost,
                        auction_revenue: p.revenue,
                        net_cost: p.cost - p.revenue,
                    },
                );
                json!({
                    "cap_ha": r.cap_ha,
                    "objective": p.objective,
                    "bound": p.bound,
                    "gap": p.gap,
                    "method": p.method.as_str(),
                    "converted_ha": {"green": p.area_ha.green_ha, "ecological": p.area_ha.ecological_ha,
                        "cultural": p.area_ha.cultural_ha, "redevelop": p.area_ha.redevelop_ha},
                    "indicators": after,
                })
            }
            Err(e) => json!({"cap_ha": r.cap_ha, "error": e.to_string()}),
        })
        .collect()
}

/// The summary's `phases` member: per phase its cap, converted area by use,
/// money, cost, revenue, cash after it, and the parcels it converts.
fn phases_json(p: &PhasedPlan, input: &PlanInput) -> serde_json::Value {
    use serde_json::json;
    p.phases
        .iter()
        .enumerate()
        .map(|(k, r)| {
            let a = &r.area_ha;
            json!({
                "phase": k + 1,
                "cap_ha": r.cap_ha,
                "converted_ha": {"green": a.green_ha, "ecological": a.ecological_ha,
                    "cultural": a.cultural_ha, "redevelop": a.redevelop_ha},
                "new_money": r.money,
                "cost": r.cost,
                "auction_revenue": r.revenue,
                "cash_after": r.cash_after,
                "objective_after": r.objective_after,
                "parcels": p.phase.iter().enumerate()
                    .filter(|(_, ph)| **ph == Some(k))
                    .map(|(i, _)| input.candidates[i].id.as_str())
                    .collect::<Vec<_>>(),
            })
        })
        .collect()
}

fn say(quiet: bool) -> impl Fn(String) {
    move |msg: String| {
        if !quiet {
            eprintln!("{msg}");
        }
    }
}

/// Reads, projects, indexes and scores a parcel file.
fn load_and_score(
    file: &Path,
    cfg: &landstock::Config,
    layers: &Layers_<'_>,
    quiet: bool,
) -> Result<ScoredCity, Failure> {
    // a spinner with the features read so far, on terminals only (indicatif
    // hides it when stderr is not one); the step lines stay, unless --quiet
    let bar = if quiet {
        indicatif::ProgressBar::hidden()
    } else {
        let b = indicatif::ProgressBar::new_spinner();
        b.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
                .expect("valid template"),
        );
        b.enable_steady_tick(std::time::Duration::from_millis(120));
        b
    };
    let b = bar.clone();
    let ingest: landstock::ingest::ProgressFn = std::sync::Arc::new(move |p| match p {
        landstock::ingest::IngestProgress::Read(n) => {
            b.set_message(format!("reading: {n} features"))
        }
        landstock::ingest::IngestProgress::Stage(s) => b.set_message(format!("ingest: {s}")),
    });
    let out = score_file_with(
        file,
        cfg,
        layers.transit,
        layers.facilities,
        &|m| {
            if !quiet {
                bar.suspend(|| eprintln!("{m}"));
                bar.set_message("scoring");
            }
        },
        Some(ingest),
    );
    bar.finish_and_clear();
    Ok(out?)
}

fn score(
    file: &Path,
    cfg: landstock::Config,
    layers: &Layers_<'_>,
    out: &Path,
    quiet: bool,
) -> Result<(), Failure> {
    // fail on an unwritable destination before any work is done
    let mut dest = AtomicFile::create(out)?;
    let s = load_and_score(file, &cfg, layers, quiet)?;
    write_scores_geojson(
        &mut dest,
        &out.display().to_string(),
        &s.stock,
        &s.context,
        &s.sheet,
        &s.working_crs,
    )?;
    dest.commit()?;
    say(quiet)(format!("wrote {}", out.display()));
    Ok(())
}

fn plan(
    file: &Path,
    cfg: landstock::Config,
    layers: &Layers_<'_>,
    outputs: &Outputs<'_>,
    quiet: bool,
) -> Result<(), Failure> {
    let say = say(quiet);
    cfg.plan.validate()?;
    // fail on an unwritable destination before any work is done
    let mut out = AtomicFile::create(outputs.out)?;
    let mut summary_file = outputs.summary.map(AtomicFile::create).transpose()?;
    let mut csv_file = outputs.csv.map(AtomicFile::create).transpose()?;
    let mut map_file = outputs.map.map(AtomicFile::create).transpose()?;
    let mut report_file = outputs.report.map(AtomicFile::create).transpose()?;

    let s = load_and_score(file, &cfg, layers, quiet)?;
    let t = Instant::now();
    let input = PlanInput::new(&s.stock, &s.candidates, &s.sheet);
    say(format!(
        "{} touching candidate pairs found in {:.2} s",
        input.pairs.len(),
        t.elapsed().as_secs_f64()
    ));
    let problem = cfg
        .plan
        .problem(&input, None)?
        .cultural_origins(&cfg.scoring.cultural_origins)
        .highs_runner(highs_worker())
        .build()?;
    let no_plan = |e: landstock::plan::PlanError| {
        anyhow::Error::from(e).context(format!("no plan for {}", file.display()))
    };
    let (plan, phased) = match &outputs.phases {
        None => (problem.solve().map_err(no_plan)?, None),
        Some(caps) => {
            let budgets = &cfg.plan.phase_budgets;
            if !budgets.is_empty() && budgets.len() != caps.len() {
                return Err(Failure::Usage(anyhow::anyhow!(
                    "--phases gives {} phases but [plan] phase_budgets has {} entries",
                    caps.len(),
                    budgets.len()
                )));
            }
            let specs: Vec<PhaseSpec> = caps
                .iter()
                .enumerate()
                .map(|(k, &c)| match budgets.get(k) {
                    Some(&b) => PhaseSpec::new(c).with_budget(b),
                    None => PhaseSpec::new(c),
                })
                .collect();
            let phased = problem.solve_phased(&specs).map_err(no_plan)?;
            (plan_of_phases(&phased), Some(phased))
        }
    };
    say(format!(
        "planned ({}, {}): {} of {} candidates converted, objective {:.4}, gap {:.4} % in {:.2} s",
        plan.method.as_str(),
        plan.status.as_str(),
        plan.uses.iter().filter(|u| u.is_conversion()).count(),
        plan.uses.len(),
        plan.objective,
        100.0 * plan.gap,
        plan.seconds
    ));
    let mut rows = decisions(&input, &s.sheet, &plan);
    let explanation = if outputs.explain && phased.is_none() {
        let t = Instant::now();
        let e = explain(&problem, &plan)?;
        add_stops_to_reasons(&mut rows, &e);
        say(format!("explained in {:.2} s", t.elapsed().as_secs_f64()));
        Some(e)
    } else {
        None
    };
    let (before, after) = indicators_of(&s.stock, s.context.population(), &rows, &problem, &plan);
    write_plan_geojson(
        &mut out,
        &outputs.out.display().to_string(),
        &s.stock,
        &rows,
        outputs.all,
        &s.working_crs,
    )?;
    if let Some(f) = csv_file.as_mut() {
        let dest = f.dest().display().to_string();
        write_decisions_csv(&mut *f, &dest, &rows)?;
    }
    let city = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let needs_summary = summary_file.is_some() || report_file.is_some();
    let summary = if needs_summary {
        let mut v = summary_json(&SummaryParts {
            city: &city,
            input_path: &file.display().to_string(),
            ingest: s.report.to_json(),
            config: serde_json::to_value(&cfg)?,
            problem: &problem,
            plan: &plan,
            before: &before,
            after: &after,
            decisions: &rows,
            top_decisions: 20,
        });
        if let Some(e) = &explanation {
            v["explanations"] = explanations_json(e, 20);
        }
        if let Some(ph) = &phased {
            v["phases"] = phases_json(ph, &input);
        }
        if let Some(caps) = &outputs.scenarios {
            let t = Instant::now();
            v["scenarios"] =
                scenarios_json(&landstock::plan::scenarios(&problem, caps), &s, &input);
            say(format!(
                "{} scenarios solved in {:.2} s",
                caps.len(),
                t.elapsed().as_secs_f64()
            ));
        }
        Some(v)
    } else {
        None
    };
    if let (Some(f), Some(v)) = (summary_file.as_mut(), &summary) {
        let dest = f.dest().display().to_string();
        serde_json::to_writer_pretty(&mut *f, v)?;
        f.write_all(b"\n")
            .map_err(|e| anyhow::anyhow!("cannot write {dest}: {e}"))?;
    }
    if map_file.is_some() || report_file.is_some() {
        let mut after: Vec<Option<landstock::plan::Use>> = vec![None; s.stock.len()];
        for d in &rows {
            after[d.index] = Some(d.use_);
        }
        let svg = map_svg(
            &s.stock,
            &after,
            &MapOptions {
                city: city.clone(),
                cap_ha: Some(problem.cap_ha()),
                ..MapOptions::default()
            },
        );
        if let Some(f) = map_file.as_mut() {
            let dest = f.dest().display().to_string();
            f.write_all(svg.as_bytes())
                .map_err(|e| anyhow::anyhow!("cannot write {dest}: {e}"))?;
        }
        if let (Some(f), Some(v)) = (report_file.as_mut(), &summary) {
            let dest = f.dest().display().to_string();
            write_report_html(&mut *f, v, &svg)
                .map_err(|e| anyhow::anyhow!("cannot write {dest}: {e}"))?;
        }
    }
    out.commit()?;
    say(format!("wrote {}", outputs.out.display()));
    for (f, p) in [
        (csv_file, outputs.csv),
        (summary_file, outputs.summary),
        (map_file, outputs.map),
        (report_file, outputs.report),
    ] {
        if let (Some(f), Some(p)) = (f, p) {
            f.commit()?;
            say(format!("wrote {}", p.display()));
        }
    }
    // freeing a million parcels one by one takes ~0.3 s; the process is
    // about to exit, which frees them at once
    std::mem::forget(s);
    Ok(())
}

fn options(config: Option<&std::path::Path>) -> Result<IngestOptions, Failure> {
    match config {
        None => Ok(IngestOptions::default()),
        Some(path) => Ok(IngestOptions::from_config(&landstock::Config::load(path)?)?),
    }
}

/// HiGHS runs in this binary's own `milp-worker`, which the planner ends at
/// the time limit; in this process when the binary's path is unknown.
fn highs_worker() -> landstock::plan::HighsRunner {
    match std::env::current_exe() {
        Ok(exe) => landstock::plan::HighsRunner::worker(exe),
        Err(_) => landstock::plan::HighsRunner::InProcess,
    }
}
