//! The `landstock` command line: validate, score and plan a city's parcels.
//!
//! Exit codes: 0 ok, 1 input error, 2 usage error, 3 infeasible plan.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use landstock::candidates::Candidates;
use landstock::context::{read_points_geojson_file, Context, ContextOptions};
use landstock::crs::CrsPair;
use landstock::ingest::{read_geojson_file, IngestOptions};
use landstock::output::atomic::AtomicFile;
use landstock::output::scores::write_scores_geojson;
use landstock::score::{Layers, Scorer, TargetUse};

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
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
        Command::Score {
            file,
            config,
            transit,
            facilities,
            out,
        } => score(
            &file,
            config.as_deref(),
            transit.as_deref(),
            facilities.as_deref(),
            &out,
            cli.quiet,
        ),
    }
}

fn score(
    file: &Path,
    config: Option<&Path>,
    transit: Option<&Path>,
    facilities: Option<&Path>,
    out: &Path,
    quiet: bool,
) -> anyhow::Result<()> {
    let say = |msg: String| {
        if !quiet {
            eprintln!("{msg}");
        }
    };
    let cfg = match config {
        Some(path) => landstock::Config::load(path)?,
        None => landstock::Config::default(),
    };
    let opts = IngestOptions::from_config(&cfg)?;
    // written beside the destination, then renamed: an unwritable --out fails
    // before any work, and a failed run never leaves a half-written file
    let mut dest = AtomicFile::create(out)?;
    let scoring = cfg.scoring;
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
    if let Some(path) = transit {
        let pts = read_points_geojson_file(path, &working_crs)?;
        say(format!(
            "{} transit stops from {}",
            pts.len(),
            path.display()
        ));
        cx = cx.with_transit(pts);
    }
    if let Some(path) = facilities {
        let pts = read_points_geojson_file(path, &working_crs)?;
        say(format!("{} facilities from {}", pts.len(), path.display()));
        cx = cx.with_facilities(pts);
    }
    let t = Instant::now();
    let layers = Layers::new(&stock, &cx);
    let candidates = Candidates::of(&stock);
    let sheet = Scorer::new(&scoring, &layers).score(&layers, candidates.indices())?;
    say(format!(
        "scored {} candidates in {:.2} s",
        candidates.len(),
        t.elapsed().as_secs_f64()
    ));
    for u in TargetUse::ALL {
        for d in &sheet.use_sheet(u).dropped {
            say(format!("{u}: criterion {} dropped ({})", d.name, d.reason));
        }
    }
    write_scores_geojson(
        &mut dest,
        &out.display().to_string(),
        &stock,
        &cx,
        &sheet,
        &working_crs,
    )?;
    dest.commit()?;
    say(format!("wrote {}", out.display()));
    Ok(())
}

fn options(config: Option<&std::path::Path>) -> anyhow::Result<IngestOptions> {
    match config {
        None => Ok(IngestOptions::default()),
        Some(path) => Ok(IngestOptions::from_config(&landstock::Config::load(path)?)?),
    }
}
