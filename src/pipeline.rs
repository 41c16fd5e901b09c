//! From a scored stock to a planning problem: the glue between
//! [`crate::score`] and [`crate::plan`], and the `[plan]` configuration.
//!
//! [`PlanInput::new`] turns a [`ScoreSheet`] into the planner's plain values —
//! one [`plan::Candidate`] per scored candidate (area, perimeter with hole
//! rings, origin, contamination, land value, scores, lock) and the
//! candidate–candidate [`TouchingPair`]s with their shared boundary length —
//! plus the city's construction land before the plan.
//! [`PlanConfig::problem`] then applies the `[plan]` settings (cap, bounds,
//! target, budget, locks, solver) to make a [`PlanProblem`].
//!
//! ```
//! use geo::{polygon, MultiPolygon};
//! use landstock::{LandUse, Parcel, Status, stock::ParcelStock};
//! use landstock::candidates::Candidates;
//! use landstock::context::{Context, ContextOptions};
//! use landstock::pipeline::{PlanConfig, PlanInput};
//! use landstock::score::{Layers, Scorer, ScoringConfig};
//! // two touching 100 m vacant squares and a river beside them
//! let sq = |x: f64| MultiPolygon(vec![polygon![(x: x, y: 0.), (x: x + 100., y: 0.),
//!     (x: x + 100., y: 100.), (x: x, y: 100.)]]);
//! let stock = ParcelStock::new(vec![
//!     Parcel::new("a", sq(0.), LandUse::Vacant, Status::Active),
//!     Parcel::new("b", sq(100.), LandUse::Vacant, Status::Active),
//!     Parcel::new("river", sq(300.), LandUse::Water, Status::Active),
//! ]);
//! let cx = Context::new(&stock, &ContextOptions::default());
//! let layers = Layers::new(&stock, &cx);
//! let cands = Candidates::of(&stock);
//! let sheet = Scorer::new(&ScoringConfig::default(), &layers).score(&layers, cands.indices()).unwrap();
//! let input = PlanInput::new(&stock, &cands, &sheet);
//! assert_eq!(input.candidates.len(), 2);
//! assert_eq!(input.pairs.len(), 1);
//! assert!((input.pairs[0].shared_len_m - 100.0).abs() < 1e-9);
//! assert!((input.construction_land_before_ha - 2.0).abs() < 1e-9, "the river is not construction land");
//! let cfg = PlanConfig { cap: Some(1.0), ..PlanConfig::default() };
//! let plan = cfg.problem(&input, None).unwrap().build().unwrap().solve().unwrap();
//! assert_eq!(plan.uses.iter().filter(|u| u.is_conversion()).count(), 1, "1 ha cap: one lot");
//! ```

use std::collections::BTreeMap;
use std::fmt;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::candidates::Candidates;
use crate::config::{Config, ConfigError};
use crate::context::{read_points_geojson_file, Context, ContextOptions};
use crate::crs::CrsPair;
use crate::ingest::{read_geojson_file, IngestOptions, IngestReport};
use crate::parcel::LandUse;
use crate::plan::{self, Bound, Costs, Lock, PlanProblem, Scores, Solver, TouchingPair, Use};
use crate::score::{perimeter_m, ScoreSheet, TargetUse};
use crate::stock::ParcelStock;

/// Why reading and scoring a city failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// The input (parcels or a point layer) could not be read.
    #[error(transparent)]
    Input(#[from] crate::Error),
    /// The configuration is invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// Scoring could not be done.
    #[error(transparent)]
    Score(#[from] crate::score::ScoreError),
}

/// A city read, projected, indexed and scored: what `landstock score` writes
/// and `landstock plan` plans.
#[derive(Debug)]
pub struct ScoredCity {
    /// What happened to every input feature.
    pub report: IngestReport,
    /// The metric CRS the stock is in (e.g. `EPSG:32651`).
    pub working_crs: String,
    /// The accepted parcels.
    pub stock: ParcelStock,
    /// Population, centre, radius and point layers.
    pub context: Context,
    /// The candidates (no locks: `[plan.locks]` are applied by [`PlanConfig::problem`]).
    pub candidates: Candidates,
    /// Their scores.
    pub sheet: ScoreSheet,
}

/// Reads a parcel file with `cfg` (`[input]`, `[mapping]`, `[scoring]`),
/// adds the optional transit and facility point layers, and scores every
/// candidate. `progress` receives one line per step (timings included).
///
/// ```
/// use std::path::Path;
/// use landstock::{Config, pipeline::score_file};
/// let root = Path::new(env!("CARGO_MANIFEST_DIR"));
/// let cfg = Config::load(root.join("fixtures/city.toml")).unwrap();
/// let city = score_file(&root.join("fixtures/city.geojson"), &cfg, None, None, &|_| {}).unwrap();
/// assert_eq!(city.stock.len(), 3000);
/// assert_eq!(city.sheet.rows().len(), 508);
/// assert_eq!(city.working_crs, "EPSG:32651");
/// ```
pub fn score_file(
    file: &std::path::Path,
    cfg: &Config,
    transit: Option<&std::path::Path>,
    facilities: Option<&std::path::Path>,
    progress: &dyn Fn(&str),
) -> Result<ScoredCity, RunError> {
    score_file_with(file, cfg, transit, facilities, progress, None)
}

/// [`score_file`] with a callback told how ingestion advances (features
/// read, stages), for a progress bar.
pub fn score_file_with(
    file: &std::path::Path,
    cfg: &Config,
    transit: Option<&std::path::Path>,
    facilities: Option<&std::path::Path>,
    progress: &dyn Fn(&str),
    ingest_progress: Option<crate::ingest::ProgressFn>,
) -> Result<ScoredCity, RunError> {
    use std::time::Instant;
    let mut opts = IngestOptions::from_config(cfg)?;
    opts.progress = ingest_progress;
    let scoring = &cfg.scoring;
    let t = Instant::now();
    let got = read_geojson_file(file, &opts)?;
    let working_crs = got.report.working_crs.clone().ok_or_else(|| {
        crate::Error::from(crate::ErrorKind::NoParcels {
            source_name: file.display().to_string(),
            features: got.report.total,
        })
    })?;
    progress(&format!(
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
                .map_err(|e| {
                    ConfigError::invalid(
                        "scoring.centre_lonlat",
                        format!("cannot project the centre to {working_crs}: {e}"),
                        "give [lon, lat] in degrees",
                    )
                })?;
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
        progress(&format!(
            "{} transit stops from {}",
            pts.len(),
            path.display()
        ));
        cx = cx.with_transit(pts);
    }
    if let Some(path) = facilities {
        let pts = read_points_geojson_file(path, &working_crs)?;
        progress(&format!("{} facilities from {}", pts.len(), path.display()));
        cx = cx.with_facilities(pts);
    }
    let t = Instant::now();
    let candidates = Candidates::of(&stock);
    let sheet = {
        let layers = crate::score::Layers::new(&stock, &cx);
        crate::score::Scorer::new(scoring, &layers).score(&layers, candidates.indices())?
    };
    progress(&format!(
        "scored {} candidates in {:.2} s",
        sheet.rows().len(),
        t.elapsed().as_secs_f64()
    ));
    for u in TargetUse::ALL {
        for d in &sheet.use_sheet(u).dropped {
            progress(&format!("{u}: criterion {} dropped ({})", d.name, d.reason));
        }
    }
    Ok(ScoredCity {
        report: got.report,
        working_crs,
        stock,
        context: cx,
        candidates,
        sheet,
    })
}

/// Whether a class counts as construction land (SPEC §6: every class except
/// water and ecological).
///
/// ```
/// use landstock::{LandUse, pipeline::is_construction_land};
/// assert!(is_construction_land(LandUse::Green), "urban parks are construction land");
/// assert!(!is_construction_land(LandUse::Water));
/// ```
pub fn is_construction_land(class: LandUse) -> bool {
    !matches!(class, LandUse::Water | LandUse::Ecological)
}

/// The planner's view of a scored stock.
#[derive(Debug, Clone)]
pub struct PlanInput {
    /// One per scored candidate, in score-sheet order.
    pub candidates: Vec<plan::Candidate>,
    /// Candidate pairs sharing a boundary of positive length (indices into
    /// `candidates`, `a < b`), sorted.
    pub pairs: Vec<TouchingPair>,
    /// For each entry of `candidates`, its index in the stock.
    pub stock_index: Vec<usize>,
    /// Construction land of the whole stock before the plan, ha.
    pub construction_land_before_ha: f64,
}

impl PlanInput {
    /// Builds the candidates (with the locks held by `candidates`) and the
    /// touching pairs from a score sheet over `stock`. Pairs are found in
    /// parallel and sorted, so the result does not depend on the thread count.
    pub fn new(stock: &ParcelStock, candidates: &Candidates, sheet: &ScoreSheet) -> PlanInput {
        let rows = sheet.rows();
        let stock_index: Vec<usize> = rows.iter().map(|r| r.index).collect();
        let mut position = vec![usize::MAX; stock.len()];
        for (k, &i) in stock_index.iter().enumerate() {
            position[i] = k;
        }
        let plan_candidates: Vec<plan::Candidate> = rows
            .par_iter()
            .map(|row| {
                let p = stock.get(row.index);
                let mut c = plan::Candidate::new(p.id.clone(), p.area_m2(), p.land_use)
                    .with_perimeter_m(perimeter_m(p))
                    .with_contaminated(p.facts.contaminated)
                    .with_scores(Scores {
                        green: row.score(TargetUse::Green),
                        ecological: row.score(TargetUse::Ecological),
                        cultural: row.score(TargetUse::Cultural),
                    });
                if let Some(v) = p.facts.land_value_per_m2 {
                    c = c.with_land_value_per_m2(v);
                }
                if let Some(lock) = candidates.lock_of(&p.id) {
                    c = c.with_lock(lock);
                }
                c
            })
            .collect();
        let mut pairs: Vec<TouchingPair> = stock_index
            .par_iter()
            .enumerate()
            .flat_map_iter(|(a, &i)| {
                let position = &position;
                stock.touching(i).into_iter().filter_map(move |t| {
                    let b = position[t.other];
                    (b != usize::MAX && b > a && t.shared_len_m > 0.0).then_some(TouchingPair {
                        a,
                        b,
                        shared_len_m: t.shared_len_m,
                    })
                })
            })
            .collect();
        pairs.sort_by_key(|p| (p.a, p.b));
        let construction_land_before_ha = construction_land_ha(stock, |i| stock.get(i).land_use);
        PlanInput {
            candidates: plan_candidates,
            pairs,
            stock_index,
            construction_land_before_ha,
        }
    }
}

/// Construction land of a stock, ha, where `class(i)` is parcel `i`'s class;
/// summed in index order (deterministic).
pub(crate) fn construction_land_ha(stock: &ParcelStock, class: impl Fn(usize) -> LandUse) -> f64 {
    (0..stock.len())
        .filter(|&i| is_construction_land(class(i)))
        .map(|i| stock.get(i).area_ha())
        .sum()
}

/// An area limit as written in the config: hectares (`"12ha"`, `12`) or a
/// share of the cap (`"30%"`).
///
/// ```
/// use landstock::pipeline::AreaLimit;
/// assert_eq!("12ha".parse::<AreaLimit>(), Ok(AreaLimit::Ha(12.0)));
/// assert_eq!(" 30 % ".parse::<AreaLimit>(), Ok(AreaLimit::ShareOfCap(0.3)));
/// assert!("12 acres".parse::<AreaLimit>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AreaLimit {
    /// Hectares.
    Ha(f64),
    /// A share of the cap, 0–1.
    ShareOfCap(f64),
}

impl std::str::FromStr for AreaLimit {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let num = |x: &str| -> Result<f64, String> {
            let v: f64 = x
                .trim()
                .parse()
                .map_err(|_| format!("{s:?} is not an area: write e.g. \"12ha\" or \"30%\""))?;
            if v.is_finite() && v >= 0.0 {
                Ok(v)
            } else {
                Err(format!("{s:?}: an area must be a finite number >= 0"))
            }
        };
        if let Some(x) = t.strip_suffix('%') {
            Ok(AreaLimit::ShareOfCap(num(x)? / 100.0))
        } else if let Some(x) = t.strip_suffix("ha") {
            Ok(AreaLimit::Ha(num(x)?))
        } else {
            Ok(AreaLimit::Ha(num(t)?))
        }
    }
}

impl fmt::Display for AreaLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AreaLimit::Ha(ha) => write!(f, "{ha}ha"),
            AreaLimit::ShareOfCap(s) => write!(f, "{}%", s * 100.0),
        }
    }
}

impl Serialize for AreaLimit {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for AreaLimit {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Num(f64),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Num(v) => format!("{v}ha").parse(),
            Raw::Text(t) => t.parse(),
        }
        .map_err(serde::de::Error::custom)
    }
}

/// Parses a cap as given on the command line or in the config: hectares
/// (`"120ha"`, `"120"`); a share makes no sense for the cap itself.
///
/// ```
/// use landstock::pipeline::parse_cap_ha;
/// assert_eq!(parse_cap_ha("120ha"), Ok(120.0));
/// assert!(parse_cap_ha("0ha").unwrap_err().contains("greater than 0"));
/// assert!(parse_cap_ha("10%").is_err());
/// ```
pub fn parse_cap_ha(s: &str) -> Result<f64, String> {
    match s.parse::<AreaLimit>()? {
        AreaLimit::Ha(ha) if ha > 0.0 => Ok(ha),
        AreaLimit::Ha(_) => Err(format!(
            "cap {s:?}: the cap must be greater than 0 ha (it bounds the total converted area)"
        )),
        AreaLimit::ShareOfCap(_) => Err(format!(
            "cap {s:?}: the cap is an area in hectares, e.g. \"120ha\""
        )),
    }
}

/// The solver named in the config or on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SolverChoice {
    /// HiGHS MILP (warm-started from fast).
    Exact,
    /// Lagrangian heuristic with its own bound.
    Fast,
    /// Fast, then exact when the problem is small enough.
    #[default]
    Auto,
}

/// `[plan.bounds.<use>]`: minimum and maximum converted area of one use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UseBounds {
    /// At least this much (ha or share of the cap).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<AreaLimit>,
    /// At most this much (ha or share of the cap).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<AreaLimit>,
}

/// `[plan.costs]`: conversion costs and default land value, currency per m²
/// (SPEC §5 defaults).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CostsConfig {
    /// Park construction.
    pub green_per_m2: f64,
    /// Ecological restoration.
    pub ecological_per_m2: f64,
    /// Renovation for a cultural district.
    pub cultural_per_m2: f64,
    /// Extra on contaminated sites converted to green or cultural.
    pub remediation_per_m2: f64,
    /// Land value for auction revenue where a parcel has none.
    pub land_value_per_m2: f64,
}

impl Default for CostsConfig {
    fn default() -> Self {
        let c = Costs::default();
        CostsConfig {
            green_per_m2: c.green_per_m2,
            ecological_per_m2: c.ecological_per_m2,
            cultural_per_m2: c.cultural_per_m2,
            remediation_per_m2: c.remediation_per_m2,
            land_value_per_m2: c.default_land_value_per_m2,
        }
    }
}

impl CostsConfig {
    /// The planner's [`Costs`].
    pub fn costs(&self) -> Costs {
        Costs {
            green_per_m2: self.green_per_m2,
            ecological_per_m2: self.ecological_per_m2,
            cultural_per_m2: self.cultural_per_m2,
            remediation_per_m2: self.remediation_per_m2,
            default_land_value_per_m2: self.land_value_per_m2,
        }
    }
}

/// `[plan]`: the planning model's settings (SPEC §5). The cap may also come
/// from the command line (`--cap`), which then wins.
///
/// ```toml
/// [plan]
/// cap = "120ha"
/// solver = "auto"            # exact | fast | auto
/// time_limit_s = 60
/// gap = 1e-4
/// adjacency_lambda = 0.25
/// construction_target_ha = 4200
/// budget = 2.5e8             # currency; enables `redevelop` (auctions)
/// [plan.bounds.green]
/// min = "20ha"
/// max = "50%"
/// [plan.costs]
/// green_per_m2 = 150
/// [plan.locks]
/// "parcel-17" = "cultural"   # or "out"
/// ```
///
/// ```
/// use std::path::Path;
/// use landstock::{Config, pipeline::{AreaLimit, SolverChoice}};
/// let cfg = Config::from_toml_str("[plan]\ncap = \"80ha\"\nsolver = \"fast\"\n[plan.bounds.green]\nmin = \"25%\"\n", Path::new("p.toml")).unwrap();
/// assert_eq!(cfg.plan.cap, Some(80.0));
/// assert_eq!(cfg.plan.solver, SolverChoice::Fast);
/// assert_eq!(cfg.plan.bounds["green"].min, Some(AreaLimit::ShareOfCap(0.25)));
/// let e = Config::from_toml_str("[plan]\ncap = \"-5ha\"\n", Path::new("p.toml")).unwrap_err();
/// assert_eq!(e.key, "plan.cap");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PlanConfig {
    /// Total land-scale cap, ha (`"120ha"` or `120`).
    #[serde(
        deserialize_with = "de_cap",
        serialize_with = "ser_cap",
        skip_serializing_if = "Option::is_none"
    )]
    pub cap: Option<f64>,
    /// Which solver.
    pub solver: SolverChoice,
    /// Wall-clock limit of the exact solver, s.
    pub time_limit_s: f64,
    /// Relative gap at which the exact solver stops.
    pub gap: f64,
    /// Weight λ of the adjacency bonus; 0 turns it off.
    pub adjacency_lambda: f64,
    /// Construction land after the plan must be at most this, ha.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub construction_target_ha: Option<f64>,
    /// Budget (currency); offers `redevelop` and counts auction revenue.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budget: Option<f64>,
    /// Conversion costs (used for the budget constraint and the budget indicators).
    pub costs: CostsConfig,
    /// Per-use bounds, by use name (`green`, `ecological`, `cultural`, `redevelop`).
    pub bounds: BTreeMap<String, UseBounds>,
    /// Locks by parcel id: a use name, or `"out"` (never convert).
    pub locks: BTreeMap<String, String>,
    /// New money at the start of each phase of a phased plan
    /// (`landstock plan --phases`); one entry per phase. Empty: the whole
    /// `budget` arrives in phase 1.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub phase_budgets: Vec<f64>,
}

impl Default for PlanConfig {
    fn default() -> Self {
        PlanConfig {
            cap: None,
            solver: SolverChoice::Auto,
            time_limit_s: 60.0,
            gap: 1e-4,
            adjacency_lambda: PlanProblem::DEFAULT_ADJACENCY_LAMBDA,
            construction_target_ha: None,
            budget: None,
            costs: CostsConfig::default(),
            bounds: BTreeMap::new(),
            locks: BTreeMap::new(),
            phase_budgets: Vec::new(),
        }
    }
}

fn de_cap<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    let limit = AreaLimit::deserialize(d)?;
    parse_cap_ha(&limit.to_string())
        .map(Some)
        .map_err(serde::de::Error::custom)
}

fn ser_cap<S: serde::Serializer>(cap: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match cap {
        Some(ha) => s.collect_str(&format_args!("{ha}ha")),
        None => s.serialize_none(),
    }
}

/// A `[plan]` setting that is out of range.
fn bad(key: impl Into<String>, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        file: None,
        key: key.into(),
        line: None,
        problem: problem.into(),
        hint: None,
    }
}

/// A lock as written in `[plan.locks]`: a use name or `out`.
///
/// ```
/// use landstock::pipeline::parse_lock;
/// use landstock::plan::{Lock, Use};
/// assert_eq!(parse_lock("out"), Ok(Lock::Out));
/// assert_eq!(parse_lock("green"), Ok(Lock::In(Use::Green)));
/// assert!(parse_lock("parking").is_err());
/// ```
pub fn parse_lock(s: &str) -> Result<Lock, String> {
    if s.trim().eq_ignore_ascii_case("out") {
        Ok(Lock::Out)
    } else {
        s.parse::<Use>()
            .map(Lock::In)
            .map_err(|e| format!("{e}, or out"))
    }
}

impl PlanConfig {
    /// Checks ranges the types cannot express; errors name the key.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let nonneg = |key: &str, v: f64| {
            if v.is_finite() && v >= 0.0 {
                Ok(())
            } else {
                Err(bad(
                    format!("plan.{key}"),
                    format!("{v} is not allowed: must be a finite number >= 0"),
                ))
            }
        };
        if !(self.time_limit_s.is_finite() && self.time_limit_s > 0.0) {
            return Err(bad(
                "plan.time_limit_s",
                format!("{} is not allowed: must be > 0 seconds", self.time_limit_s),
            ));
        }
        nonneg("gap", self.gap)?;
        nonneg("adjacency_lambda", self.adjacency_lambda)?;
        if let Some(t) = self.construction_target_ha {
            nonneg("construction_target_ha", t)?;
        }
        if let Some(b) = self.budget {
            nonneg("budget", b)?;
        }
        for (k, &b) in self.phase_budgets.iter().enumerate() {
            nonneg(&format!("phase_budgets[{k}]"), b)?;
        }
        if !self.phase_budgets.is_empty() && self.budget.is_none() {
            return Err(bad(
                "plan.phase_budgets",
                "phase budgets need a budget under [plan] (its costs and auctions apply)",
            ));
        }
        let c = &self.costs;
        for (k, v) in [
            ("green_per_m2", c.green_per_m2),
            ("ecological_per_m2", c.ecological_per_m2),
            ("cultural_per_m2", c.cultural_per_m2),
            ("remediation_per_m2", c.remediation_per_m2),
            ("land_value_per_m2", c.land_value_per_m2),
        ] {
            nonneg(&format!("costs.{k}"), v)?;
        }
        for (name, b) in &self.bounds {
            let key = format!("plan.bounds.{name}");
            match name.parse::<Use>() {
                Ok(u) if u.is_conversion() => {}
                _ => {
                    return Err(bad(
                        key,
                        format!(
                        "unknown use {name:?}: expected green, ecological, cultural or redevelop"
                    ),
                    ))
                }
            }
            for (which, v) in [("min", b.min), ("max", b.max)] {
                if let Some(AreaLimit::ShareOfCap(s)) = v {
                    if s > 1.0 {
                        return Err(bad(
                            format!("{key}.{which}"),
                            format!("{}% of the cap is more than the cap", s * 100.0),
                        ));
                    }
                }
            }
            if let (Some(AreaLimit::Ha(lo)), Some(AreaLimit::Ha(hi)))
            | (Some(AreaLimit::ShareOfCap(lo)), Some(AreaLimit::ShareOfCap(hi))) = (b.min, b.max)
            {
                if lo > hi {
                    return Err(bad(key, "min is greater than max"));
                }
            }
        }
        for (id, l) in &self.locks {
            parse_lock(l).map_err(|e| bad(format!("plan.locks.{id:?}"), e))?;
        }
        Ok(())
    }

    /// The planner's solver setting.
    pub fn solver(&self) -> Solver {
        match self.solver {
            SolverChoice::Exact => Solver::Exact {
                time_limit_s: self.time_limit_s,
                gap: self.gap,
            },
            SolverChoice::Fast => Solver::Fast,
            SolverChoice::Auto => Solver::Auto,
        }
    }

    /// A planning problem for `input` with these settings; `cap_ha` (from the
    /// command line) overrides `cap`. Errors name the setting: no cap at all,
    /// a lock on an id that is not a candidate.
    pub fn problem(
        &self,
        input: &PlanInput,
        cap_ha: Option<f64>,
    ) -> Result<PlanProblem, ConfigError> {
        self.validate()?;
        let cap_ha = cap_ha.or(self.cap).ok_or_else(|| ConfigError {
            file: None,
            key: "plan.cap".into(),
            line: None,
            problem: "no land-scale cap was given".into(),
            hint: Some("pass --cap 120ha or set cap = \"120ha\" under [plan]".into()),
        })?;
        let known: std::collections::BTreeSet<&str> =
            input.candidates.iter().map(|c| c.id.as_str()).collect();
        let mut pb = PlanProblem::new(input.candidates.clone(), input.pairs.clone())
            .cap_ha(cap_ha)
            .adjacency_lambda(self.adjacency_lambda)
            .solver(self.solver());
        for (name, b) in &self.bounds {
            let u: Use = name
                .parse()
                .map_err(|e: String| bad(format!("plan.bounds.{name}"), e))?;
            if let Some(min) = b.min {
                pb = pb.bound(
                    u,
                    match min {
                        AreaLimit::Ha(ha) => Bound::min_ha(ha),
                        AreaLimit::ShareOfCap(s) => Bound::min_share(s),
                    },
                );
            }
            if let Some(max) = b.max {
                pb = pb.bound(
                    u,
                    match max {
                        AreaLimit::Ha(ha) => Bound::max_ha(ha),
                        AreaLimit::ShareOfCap(s) => Bound::max_share(s),
                    },
                );
            }
        }
        if let Some(target) = self.construction_target_ha {
            pb = pb.construction_target_ha(input.construction_land_before_ha, target);
        }
        if let Some(amount) = self.budget {
            pb = pb.budget(amount, self.costs.costs());
        }
        for (id, l) in &self.locks {
            let key = format!("plan.locks.{id:?}");
            let lock = parse_lock(l).map_err(|e| bad(key.clone(), e))?;
            if !known.contains(id.as_str()) {
                if lock == Lock::Out {
                    continue; // a lock-out of a non-candidate changes nothing
                }
                return Err(ConfigError {
                    file: None,
                    key,
                    line: None,
                    problem: format!("parcel {id:?} is not a candidate, so it cannot be locked in"),
                    hint: Some(
                        "check the id, or mark the parcel as a candidate in the data".into(),
                    ),
                });
            }
            pb = pb.lock(id.as_str(), lock);
        }
        Ok(pb)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn plan_settings_out_of_range_are_errors_naming_the_key() {
        let cases = [
            ("[plan]\ncap = 0\n", "plan.cap"),
            ("[plan]\ncap = \"12%\"\n", "plan.cap"),
            ("[plan]\ntime_limit_s = 0\n", "plan.time_limit_s"),
            ("[plan]\nadjacency_lambda = -0.1\n", "plan.adjacency_lambda"),
            ("[plan]\nbudget = -1\n", "plan.budget"),
            (
                "[plan.costs]\ngreen_per_m2 = -150\n",
                "plan.costs.green_per_m2",
            ),
            (
                "[plan.bounds.parking]\nmin = \"1ha\"\n",
                "plan.bounds.parking",
            ),
            (
                "[plan.bounds.green]\nmin = \"150%\"\n",
                "plan.bounds.green.min",
            ),
            (
                "[plan.bounds.green]\nmin = \"5ha\"\nmax = \"2ha\"\n",
                "plan.bounds.green",
            ),
            (
                "[plan.bounds.green]\nleast = \"5ha\"\n",
                "plan.bounds.green.least",
            ),
            ("[plan.locks]\nx = \"parking\"\n", "plan.locks.\"x\""),
            ("[plan]\nsolver = \"best\"\n", "plan.solver"),
            ("[plan]\ncapp = 10\n", "plan.capp"),
        ];
        for (text, key) in cases {
            let e = crate::Config::from_toml_str(text, Path::new("plan.toml")).unwrap_err();
            assert_eq!(e.key, key, "{text}: {e}");
            assert!(e.to_string().contains("plan.toml"), "{e}");
        }
    }

    #[test]
    fn area_limits_read_hectares_shares_and_bare_numbers() {
        let cfg = crate::Config::from_toml_str(
            "[plan]\ncap = 120\n[plan.bounds.ecological]\nmin = 12\nmax = \"40 %\"\n",
            Path::new("p.toml"),
        )
        .unwrap();
        assert_eq!(cfg.plan.cap, Some(120.0));
        let b = cfg.plan.bounds["ecological"];
        assert_eq!(b.min, Some(AreaLimit::Ha(12.0)));
        assert_eq!(b.max, Some(AreaLimit::ShareOfCap(0.4)));
    }
}
