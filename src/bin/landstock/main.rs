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
    let report = |e: anyhow::Error, code: u8, usage: bool| {
        eprintln!("error: {e:#}");
        if usage {
            eprintln!("\nFor more information, try '--help'.");
        }
        ExitCode::from(code)
    };
    if let Some(n) = cli.threads {
        // the one pool every parallel step runs in; before any of them
        if let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(n))
            .build_global()
        {
            return report(anyhow::anyhow!("--threads {n}: {e}"), 2, true);
        }
    }
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(e)) => report(e, 1, false),
        Err(Failure::Usage(e)) => report(e, 2, true),
        Err(Failure::Infeasible(e)) => report(e, 3, false),
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::MilpWorker => landstock::plan::milp::serve(std::io::stdin(), std::io::stdout())
            .map_err(|e| Failure::Input(anyhow::anyhow!("milp-worker: {e}"))),
        Command::Config { default: _ } => {
            print!("{}", landstock::config::annotated_default());
            Ok(())
        }
        Command::Validate {
            file,
            config,
            layer,
            json,
            area,
        } => {
            let mut cfg = commands::with_layer(commands::load_config(config.as_deref())?, layer);
            if let Some(a) = area {
                cfg.input.area = a.into();
            }
            commands::validate::run(&file, &cfg, json)
        }
        Command::Score {
            file,
            config,
            layer,
            transit,
            facilities,
            out,
            area,
        } => {
            let mut cfg = commands::with_layer(commands::load_config(config.as_deref())?, layer);
            if let Some(a) = area {
                cfg.input.area = a.into();
            }
            commands::score::run(
                &file,
                cfg,
                &commands::PointLayers {
                    transit: transit.as_deref(),
                    facilities: facilities.as_deref(),
                },
                &out,
                cli.quiet,
            )
        }
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
            layer,
            solver,
            time_limit,
            transit,
            facilities,
            out,
            out_crs,
            summary,
            csv,
            balance_csv,
            csv_bom,
            all,
            map,
            report,
            phases,
            no_explain,
            scenarios,
            area,
            lang,
            beyond,
        } => {
            let mut cfg = commands::with_layer(commands::load_config(config.as_deref())?, layer);
            if let Some(crs) = out_crs {
                cfg.output.crs = Some(crs);
                cfg.output.validate()?;
            }
            beyond.apply(&mut cfg);
            if let Some(cap) = cap {
                cfg.plan.cap = Some(cap);
            }
            if let Some(a) = area {
                cfg.input.area = a.into();
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
            let to_stdout = [
                Some(&out),
                summary.as_ref(),
                csv.as_ref(),
                balance_csv.as_ref(),
                report.as_ref(),
            ]
            .into_iter()
            .flatten()
            .filter(|p| files::is_std(p))
            .count();
            if to_stdout > 1 {
                return Err(Failure::Usage(anyhow::anyhow!(
                    "{to_stdout} outputs are `-`: only one can be written to standard output"
                )));
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
                    balance_csv: balance_csv.as_deref(),
                    csv_bom,
                    all,
                    map: map.as_deref(),
                    report: report.as_deref(),
                    phases,
                    explain: !no_explain,
                    scenarios: scenarios.map(|s| s.0),
                    lang: lang.into(),
                    beyond: &beyond,
                },
                cli.quiet,
            )
        }
    }
}
