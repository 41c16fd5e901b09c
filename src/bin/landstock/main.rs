//! The `landstock` command line: validate, score and plan a city's parcels.
//!
//! Exit codes: 0 ok, 1 input error, 2 usage error, 3 infeasible plan.
//!
//! The edges of the program live here and nowhere in the library: the
//! terminal (progress lines and the spinner, [`progress`]), the clock (the
//! step timings) and the filesystem (outputs written atomically, [`files`]).

mod args;
mod commands;
mod files;
mod progress;

use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command};

/// How a run failed, for the exit code.
pub(crate) enum Failure {
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
    landstock::output::plan::Mismatch,
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
            commands::validate::run(&file, config.as_deref(), json)
        }
        Command::Score {
            file,
            config,
            transit,
            facilities,
            out,
        } => commands::score::run(
            &file,
            commands::load_config(config.as_deref())?,
            &commands::PointLayers {
                transit: transit.as_deref(),
                facilities: facilities.as_deref(),
            },
            &out,
            cli.quiet,
        ),
        #[cfg(feature = "serve")]
        Command::Serve {
            file,
            config,
            transit,
            facilities,
            port,
            bind,
        } => commands::serve::run(
            &file,
            commands::load_config(config.as_deref())?,
            &commands::PointLayers {
                transit: transit.as_deref(),
                facilities: facilities.as_deref(),
            },
            &commands::serve::Listen { bind, port },
            cli.quiet,
        ),
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
            let mut cfg = commands::load_config(config.as_deref())?;
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
                cfg.plan.solver = s.into();
            }
            if let Some(t) = time_limit {
                cfg.plan.time_limit_s = t;
            }
            commands::plan::run(
                &file,
                cfg,
                &commands::PointLayers {
                    transit: transit.as_deref(),
                    facilities: facilities.as_deref(),
                },
                &commands::plan::Outputs {
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
    }
}
