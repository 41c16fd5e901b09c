//! The command line's words: subcommands, options and their parsers.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "landstock",
    version,
    about = "Plan how a shrinking city repurposes its land stock"
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
    /// No progress output on stderr.
    #[arg(long, global = true)]
    pub(crate) quiet: bool,
    /// Worker threads for reading, scoring and planning (default: one per
    /// core). Outputs are byte-identical whatever the number.
    #[arg(long, global = true, value_parser = clap::value_parser!(u16).range(1..))]
    pub(crate) threads: Option<u16>,
}

#[derive(Subcommand)]
// parsed once per run: the size of the largest variant does not matter
#[allow(clippy::large_enum_variant)]
pub(crate) enum Command {
    /// Read a parcel file and report what happened to every feature.
    ///
    /// Example: landstock validate fixtures/city.geojson --config fixtures/city.toml
    Validate {
        /// Parcel polygons: GeoJSON (`-` reads stdin), or with GDAL a Shapefile,
        /// GeoPackage, FlatGeobuf, File Geodatabase, CSV with a WKT column, or a
        /// PG: connection string.
        file: PathBuf,
        /// A TOML config (mapping, input CRS, id property).
        #[arg(long)]
        config: Option<PathBuf>,
        /// The layer to read, for a source with several (GeoPackage, File
        /// Geodatabase, PostGIS); overrides [input] layer.
        #[arg(long)]
        layer: Option<String>,
        /// Print the report as JSON on stdout.
        #[arg(long)]
        json: bool,
        /// How parcel areas are measured: planar (in the working CRS) or
        /// ellipsoidal (geodesic, on WGS 84, as official surveys report
        /// them); overrides [input] area.
        #[arg(long, value_enum)]
        area: Option<AreaArg>,
    },
    /// Score every candidate for green space, ecological land and a
    /// cultural district, with the per-criterion breakdown.
    ///
    /// Example: landstock score fixtures/city.geojson --config fixtures/city.toml
    /// --transit fixtures/city_transit.geojson --facilities fixtures/city_facilities.geojson
    /// --out scored.geojson
    Score {
        /// Parcel polygons: GeoJSON (`-` reads stdin), or with GDAL a Shapefile,
        /// GeoPackage, FlatGeobuf, File Geodatabase, CSV with a WKT column, or a
        /// PG: connection string.
        file: PathBuf,
        /// A TOML config (mapping, input CRS, id property, [scoring]).
        #[arg(long)]
        config: Option<PathBuf>,
        /// The layer to read, for a source with several (GeoPackage, File
        /// Geodatabase, PostGIS); overrides [input] layer.
        #[arg(long)]
        layer: Option<String>,
        /// Transit stops (GeoJSON points); without it the transit criterion is dropped.
        #[arg(long)]
        transit: Option<PathBuf>,
        /// Cultural and education facilities (GeoJSON points), counted as amenities.
        #[arg(long)]
        facilities: Option<PathBuf>,
        /// Where to write the scored candidates (GeoJSON, EPSG:4326); `-`
        /// writes stdout.
        #[arg(long)]
        out: PathBuf,
        /// planar or ellipsoidal parcel areas (see `validate --help`).
        #[arg(long, value_enum)]
        area: Option<AreaArg>,
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
        /// Parcel polygons: GeoJSON (`-` reads stdin), or with GDAL a Shapefile,
        /// GeoPackage, FlatGeobuf, File Geodatabase, CSV with a WKT column, or a
        /// PG: connection string.
        file: PathBuf,
        /// Total land-scale cap, e.g. 120ha, 1800mu (亩) or 1.2km2
        /// (overrides [plan] cap in the config).
        #[arg(long, value_parser = cap_arg)]
        cap: Option<f64>,
        /// A TOML config ([input], [mapping], [scoring], [plan]; remediation
        /// of contaminated sites by end use, GB 36600-2018 Type I / Type II
        /// land, in [plan.remediation]: see the README).
        #[arg(long)]
        config: Option<PathBuf>,
        /// The layer to read, for a source with several (GeoPackage, File
        /// Geodatabase, PostGIS); overrides [input] layer.
        #[arg(long)]
        layer: Option<String>,
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
        /// Where to write the plan: .geojson (EPSG:4326 unless --out-crs; `-`
        /// writes stdout, so may one other output), or with GDAL .gpkg, .fgb or
        /// .shp (in the input's CRS unless --out-crs).
        #[arg(long)]
        out: PathBuf,
        /// CRS of the written plan, e.g. EPSG:4527 (overrides [output] crs).
        #[arg(long)]
        out_crs: Option<String>,
        /// Where to write the summary JSON (indicators, solver, constraints,
        /// land-use balance).
        #[arg(long)]
        summary: Option<PathBuf>,
        /// Where to write the decisions as CSV.
        #[arg(long)]
        csv: Option<PathBuf>,
        /// Where to write the land-use balance table (用地平衡表) as CSV:
        /// area and share of every class before and after the plan.
        #[arg(long)]
        balance_csv: Option<PathBuf>,
        /// Start the CSV files with a UTF-8 byte-order mark, so that Excel
        /// reads their text (Chinese names, ids) as UTF-8.
        #[arg(long)]
        csv_bom: bool,
        /// Write every parcel to --out, not only the candidates.
        #[arg(long)]
        all: bool,
        /// Where to write the map (before and after panels, legend, scale
        /// bar): map.svg, or map.png (rendered, 1600 px wide), by extension.
        #[arg(long, value_parser = map_arg)]
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
        /// planar or ellipsoidal parcel areas (see `validate --help`); the
        /// summary says which.
        #[arg(long, value_enum)]
        area: Option<AreaArg>,
        /// Language of the report and the map labels: en or zh (中文).
        #[arg(long, value_enum, default_value = "en")]
        lang: LangArg,
        #[command(flatten)]
        beyond: crate::commands::beyond::BeyondArgs,
    },
    /// Print a configuration file.
    ///
    /// Example: landstock config --default > city.toml
    Config {
        /// Every setting with its default value and what it means, as TOML
        /// (it reads back as the defaults).
        #[arg(long, required = true)]
        default: bool,
    },
    /// Open the planning studio: a local web page where the plan re-solves
    /// as the cap, budget, bounds and weights move (and a JSON API under /api/).
    /// The city is read and scored once; the address is printed on stdout.
    ///
    /// Example: landstock serve fixtures/city.geojson --config fixtures/city.toml
    /// --transit fixtures/city_transit.geojson --facilities fixtures/city_facilities.geojson
    #[cfg(feature = "serve")]
    Serve {
        /// A GeoJSON FeatureCollection of parcel polygons.
        file: PathBuf,
        /// A TOML config ([input], [mapping], [scoring], [plan]).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Transit stops (GeoJSON points).
        #[arg(long)]
        transit: Option<PathBuf>,
        /// Cultural and education facilities (GeoJSON points).
        #[arg(long)]
        facilities: Option<PathBuf>,
        /// Port (0: any free one).
        #[arg(long, default_value_t = 8765)]
        port: u16,
        /// Address to listen on (only this machine by default).
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
    },
    /// Internal: solve one HiGHS model read from stdin, answer on stdout
    /// (the planner runs HiGHS here so that its time limit always holds).
    #[command(hide = true)]
    MilpWorker,
}

/// `--area`.
#[derive(Clone, Copy, clap::ValueEnum)]
pub(crate) enum AreaArg {
    Planar,
    Ellipsoidal,
}

impl From<AreaArg> for landstock::config::AreaMethod {
    fn from(a: AreaArg) -> Self {
        match a {
            AreaArg::Planar => landstock::config::AreaMethod::Planar,
            AreaArg::Ellipsoidal => landstock::config::AreaMethod::Ellipsoidal,
        }
    }
}

/// `--lang`.
#[derive(Clone, Copy, clap::ValueEnum)]
pub(crate) enum LangArg {
    En,
    Zh,
}

impl From<LangArg> for landstock::output::Lang {
    fn from(l: LangArg) -> Self {
        match l {
            LangArg::En => landstock::output::Lang::En,
            LangArg::Zh => landstock::output::Lang::Zh,
        }
    }
}

/// A map's path: its extension chooses the format.
fn map_arg(s: &str) -> Result<PathBuf, String> {
    let p = PathBuf::from(s);
    match p
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .as_deref()
    {
        Some("svg") => Ok(p),
        Some("png") if cfg!(feature = "png") => Ok(p),
        Some("png") => {
            Err("this landstock was built without the `png` feature: write map.svg".into())
        }
        _ => Err(format!(
            "{s:?}: the map's format comes from its extension: write map.svg or map.png"
        )),
    }
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub(crate) enum SolverArg {
    Exact,
    Fast,
    Auto,
}

fn cap_arg(s: &str) -> Result<f64, String> {
    landstock::config::plan::parse_cap_ha(s)
}

/// The caps of `--phases`, ha.
#[derive(Clone, Debug)]
pub(crate) struct PhaseCaps(pub(crate) Vec<f64>);

fn phases_arg(s: &str) -> Result<PhaseCaps, String> {
    let caps: Vec<f64> = s
        .split(',')
        .map(landstock::config::plan::parse_cap_ha)
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

impl From<SolverArg> for landstock::config::SolverChoice {
    fn from(s: SolverArg) -> Self {
        match s {
            SolverArg::Exact => landstock::config::SolverChoice::Exact,
            SolverArg::Fast => landstock::config::SolverChoice::Fast,
            SolverArg::Auto => landstock::config::SolverChoice::Auto,
        }
    }
}
