//! The `landstock` command line: validate, score and plan a city's parcels.
//!
//! Exit codes: 0 ok, 1 input error, 2 usage error, 3 infeasible plan.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use landstock::ingest::{read_geojson_file, IngestOptions};

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
    }
}

fn options(config: Option<&std::path::Path>) -> anyhow::Result<IngestOptions> {
    match config {
        None => Ok(IngestOptions::default()),
        Some(path) => Ok(IngestOptions::from_config(&landstock::Config::load(path)?)?),
    }
}
