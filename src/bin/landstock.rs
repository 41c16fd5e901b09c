//! The `landstock` command line: validate, score and plan a city's parcels.
//!
//! Exit codes: 0 ok, 1 input error, 2 usage error, 3 infeasible plan.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use landstock::candidates::Candidates;
use landstock::context::{read_points_geojson_file, Context, ContextOptions};
use landstock::crs::CrsPair;
use landstock::indicators::{before_and_after, BudgetFigures};
use landstock::ingest::{read_geojson_file, IngestOptions};
use landstock::output::plan::{
    decisions, summary_json, write_decisions_csv, write_plan_geojson, SummaryParts,
};
use landstock::output::scores::write_scores_geojson;
use landstock::output::AtomicFile;
use landstock::pipeline::{PlanInput, SolverChoice};
use landstock::score::{Layers, ScoreSheet, Scorer, TargetUse};
use landstock::stock::ParcelStock;

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
        /// Time limit of the exact solver, e.g. 60s, 2m.
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
    },
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
        } => {
            let mut cfg = match config.as_deref() {
                Some(path) => landstock::Config::load(path)?,
                None => landstock::Config::default(),
            };
            if let Some(cap) = cap {
                cfg.plan.cap = Some(cap);
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
}

/// A scored city.
struct Scored {
    report: landstock::ingest::IngestReport,
    working_crs: String,
    stock: ParcelStock,
    context: Context,
    sheet: ScoreSheet,
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
) -> Result<Scored, Failure> {
    let say = say(quiet);
    let opts = IngestOptions::from_config(cfg)?;
    let scoring = &cfg.scoring;
    let t = Instant::now();
    let got = read_geojson_file(file, &opts)?;
    let working_crs = got
        .report
        .working_crs
        .clone()
        .context("no working CRS was chosen (no accepted parcel)")?;
    say(format!(
        "read {} parcels ({} rejected) in {:.1} s; working CRS {working_crs}",
        got.stock.len(),
        got.report.rejected,
        t.elapsed().as_secs_f64()
    ));
    let stock = got.stock;
    let centre = match scoring.centre_lonlat {
        Some([lon, lat]) => {
            let mut c = [geo::Coord { x: lon, y: lat }];
            CrsPair::new("EPSG:4326", working_crs.as_str())
                .transformer()?
                .transform(&mut c)
                .map_err(|e| anyhow::anyhow!("scoring.centre_lonlat: {e}"))?;
            Some(c[0])
        }
        None => None,
    };
    let mut cx = Context::new(
        &stock,
        &ContextOptions {
            residents_per_m2: scoring.residents_per_m2,
            centre,
        },
    );
    if let Some(path) = layers.transit {
        let pts = read_points_geojson_file(path, &working_crs)?;
        say(format!(
            "{} transit stops from {}",
            pts.len(),
            path.display()
        ));
        cx = cx.with_transit(pts);
    }
    if let Some(path) = layers.facilities {
        let pts = read_points_geojson_file(path, &working_crs)?;
        say(format!("{} facilities from {}", pts.len(), path.display()));
        cx = cx.with_facilities(pts);
    }
    let t = Instant::now();
    let sheet = {
        let layers = Layers::new(&stock, &cx);
        let candidates = Candidates::of(&stock);
        Scorer::new(scoring, &layers).score(&layers, candidates.indices())?
    };
    say(format!(
        "scored {} candidates in {:.2} s",
        sheet.rows().len(),
        t.elapsed().as_secs_f64()
    ));
    for u in TargetUse::ALL {
        for d in &sheet.use_sheet(u).dropped {
            say(format!("{u}: criterion {} dropped ({})", d.name, d.reason));
        }
    }
    Ok(Scored {
        report: got.report,
        working_crs,
        stock,
        context: cx,
        sheet,
    })
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

    let s = load_and_score(file, &cfg, layers, quiet)?;
    let t = Instant::now();
    let input = PlanInput::new(&s.stock, &Candidates::of(&s.stock), &s.sheet);
    say(format!(
        "{} touching candidate pairs found in {:.2} s",
        input.pairs.len(),
        t.elapsed().as_secs_f64()
    ));
    let problem = cfg
        .plan
        .problem(&input, None)?
        .cultural_origins(&cfg.scoring.cultural_origins)
        .build()?;
    let plan = problem
        .solve()
        .map_err(|e| anyhow::Error::from(e).context(format!("no plan for {}", file.display())))?;
    say(format!(
        "{} plan: objective {:.4}, bound {:.4}, gap {:.4}% in {:.2} s",
        plan.method.as_str(),
        plan.objective,
        plan.bound,
        100.0 * plan.gap,
        plan.seconds
    ));
    let rows = decisions(&input, &s.sheet, &plan);
    let mut uses = vec![landstock::plan::Use::Keep; s.stock.len()];
    for d in &rows {
        uses[d.index] = d.use_;
    }
    let (before, after) = before_and_after(
        &s.stock,
        s.context.population(),
        &uses,
        problem.cap_ha(),
        BudgetFigures {
            cost: plan.cost,
            auction_revenue: plan.revenue,
            net_cost: plan.cost - plan.revenue,
        },
    );
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
    if let Some(f) = summary_file.as_mut() {
        let city = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let v = summary_json(&SummaryParts {
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
        let dest = f.dest().display().to_string();
        serde_json::to_writer_pretty(&mut *f, &v)?;
        f.write_all(b"\n")
            .map_err(|e| anyhow::anyhow!("cannot write {dest}: {e}"))?;
    }
    out.commit()?;
    say(format!("wrote {}", outputs.out.display()));
    for (f, p) in [(csv_file, outputs.csv), (summary_file, outputs.summary)] {
        if let (Some(f), Some(p)) = (f, p) {
            f.commit()?;
            say(format!("wrote {}", p.display()));
        }
    }
    Ok(())
}

fn options(config: Option<&std::path::Path>) -> Result<IngestOptions, Failure> {
    match config {
        None => Ok(IngestOptions::default()),
        Some(path) => Ok(IngestOptions::from_config(&landstock::Config::load(path)?)?),
    }
}
