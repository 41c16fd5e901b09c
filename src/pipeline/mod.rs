//! The whole job as one entry point, for programs that embed landstock:
//! parcels (a file, any reader, or polygons with properties in memory) →
//! scored city → plan input → plan.
//!
//! [`Pipeline`] is a builder: single-slot settings (the config, the cap, each
//! point layer, the progress callback) replace. [`Pipeline::score`] reads,
//! validates, projects, indexes and scores (what `landstock score` writes);
//! [`Pipeline::plan`] goes on to the plan (what `landstock plan` solves, with
//! the same eligibility, cap and solver settings). The library neither prints
//! nor times anything: it reports each step to the [`Progress`] callback, and
//! the caller decides what to show.
//!
//! The steps are public too: [`ScoredCity::plan_input`] gives the planner's
//! [`PlanInput`], and [`PlanConfig::problem`](crate::config::PlanConfig::problem)
//! applies the `[plan]` settings to it.
//!
//! ```
//! use geo::{polygon, MultiPolygon};
//! use landstock::{LandUse, Parcel, Status, stock::ParcelStock};
//! use landstock::candidates::Candidates;
//! use landstock::context::{Context, ContextOptions};
//! use landstock::config::PlanConfig;
//! use landstock::pipeline::PlanInput;
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

mod city;
mod plan_input;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Map, Value};

pub use city::{RunError, ScoredCity};
pub use plan_input::PlanInput;

// Where these lived before the config became its own module.
pub use crate::config::plan::{parse_cap_ha, parse_lock};
pub use crate::config::{AreaLimit, CostsConfig, PlanConfig, SolverChoice, UseBounds};
pub use crate::parcel::is_construction_land;

use crate::config::Config;
use crate::ingest::IngestProgress;
use crate::plan::{Plan, Problem};
use crate::score::TargetUse;

/// One step of the pipeline, told to the [`Pipeline::on_progress`] callback
/// as it happens (the callback may time the steps; the library does not).
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Progress<'a> {
    /// Ingestion advances: features read so far, or a stage starting.
    Ingest(IngestProgress),
    /// The parcels are read, validated, projected and indexed.
    Read {
        /// Accepted parcels (repaired ones included).
        parcels: usize,
        /// Rejected features.
        rejected: usize,
        /// The metric CRS chosen, e.g. `EPSG:32651`.
        working_crs: &'a str,
    },
    /// The transit stops are read.
    Transit {
        /// How many.
        stops: usize,
        /// Their file, or `memory`.
        source: &'a str,
    },
    /// The facilities are read.
    Facilities {
        /// How many.
        points: usize,
        /// Their file, or `memory`.
        source: &'a str,
    },
    /// Scoring starts (context, candidates, criteria).
    Scoring,
    /// Every candidate is scored.
    Scored {
        /// How many candidates.
        candidates: usize,
    },
    /// A criterion was dropped because its layer is missing.
    Dropped {
        /// The use it belongs to.
        use_: TargetUse,
        /// The criterion's name.
        criterion: &'a str,
        /// Why.
        reason: &'a str,
    },
}

/// One parcel given in memory: a polygon or multipolygon (lon/lat, or the
/// CRS named by `[input] crs`) with its properties, read by the tag mapping
/// exactly as a GeoJSON feature's would be.
///
/// ```
/// use landstock::pipeline::Feature;
/// let f = Feature::new("lot-1", geo::Rect::new((125.0, 46.6), (125.001, 46.601)).to_polygon(),
///     serde_json::json!({"landuse": "brownfield"}));
/// assert_eq!(f.id.as_deref(), Some("lot-1"));
/// assert_eq!(f.properties["landuse"], "brownfield");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    /// The feature id (`None`: the id property, else the feature's position).
    pub id: Option<String>,
    /// The parcel's shape.
    pub geometry: geo::Geometry<f64>,
    /// Its properties (land use, status, facts…).
    pub properties: Map<String, Value>,
}

impl Feature {
    /// A feature with an id; `properties` should be a JSON object (anything
    /// else counts as no properties).
    pub fn new(
        id: impl Into<String>,
        geometry: impl Into<geo::Geometry<f64>>,
        properties: Value,
    ) -> Feature {
        Feature {
            id: Some(id.into()),
            geometry: geometry.into(),
            properties: match properties {
                Value::Object(m) => m,
                _ => Map::new(),
            },
        }
    }

    fn to_geojson(&self) -> Value {
        let mut f = serde_json::json!({
            "type": "Feature",
            "properties": self.properties,
            "geometry": geojson::Geometry::new(geojson::GeometryValue::from(&self.geometry)),
        });
        if let Some(id) = &self.id {
            f["id"] = Value::String(id.clone());
        }
        f
    }
}

/// Where the parcels come from.
enum Source {
    Path(PathBuf),
    Reader {
        reader: Box<dyn Read + Send>,
        name: String,
    },
    /// Features in memory, as one GeoJSON text: they go through the very
    /// reader a file does (validation, repair, accounting, SHA-256).
    Features {
        collection: String,
        name: String,
    },
}

/// A point layer (transit stops, facilities).
#[derive(Debug, Clone)]
enum PointLayer {
    File(PathBuf),
    LonLat(Vec<[f64; 2]>),
}

type Callback = Arc<dyn Fn(Progress<'_>) + Send + Sync>;

/// The pipeline from parcels to a plan; see the [module docs](self).
///
/// ```
/// use landstock::pipeline::{Feature, Pipeline};
/// // six 1-ha brownfield lots side by side, in lon/lat
/// let lot = |k: f64| geo::Rect::new((125.0 + k * 0.0013, 46.6), (125.0013 + k * 0.0013, 46.6009)).to_polygon();
/// let features = (0..6).map(|k| Feature::new(format!("lot-{k}"), lot(k as f64),
///     serde_json::json!({"landuse": "brownfield"})));
/// let planned = Pipeline::from_features(features).cap_ha(2.5).plan().unwrap();
/// assert_eq!(planned.city.stock.len(), 6);
/// assert_eq!(planned.plan.uses.iter().filter(|u| u.is_conversion()).count(), 2, "2.5 ha: two lots");
/// ```
pub struct Pipeline {
    source: Source,
    config: Config,
    cap_ha: Option<f64>,
    transit: Option<PointLayer>,
    facilities: Option<PointLayer>,
    progress: Option<Callback>,
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline")
            .field("config", &self.config)
            .field("cap_ha", &self.cap_ha)
            .field("transit", &self.transit)
            .field("facilities", &self.facilities)
            .finish_non_exhaustive()
    }
}

impl Pipeline {
    fn with_source(source: Source) -> Pipeline {
        Pipeline {
            source,
            config: Config::default(),
            cap_ha: None,
            transit: None,
            facilities: None,
            progress: None,
        }
    }

    /// Parcels from a file: GeoJSON (streaming), or with the `gdal` feature
    /// any vector format GDAL reads (Shapefile, GeoPackage, FlatGeobuf, File
    /// Geodatabase, CSV with WKT) and `PG:` connection strings; `[input]
    /// layer` picks the layer of a source with several.
    ///
    /// ```
    /// use std::path::Path;
    /// use landstock::{Config, pipeline::Pipeline};
    /// let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    /// let city = Pipeline::from_path(root.join("fixtures/city.geojson"))
    ///     .config(Config::load(root.join("fixtures/city.toml")).unwrap())
    ///     .score()
    ///     .unwrap();
    /// assert_eq!(city.stock.len(), 3000);
    /// assert_eq!(city.sheet.rows().len(), 508);
    /// assert_eq!(city.working_crs, "EPSG:32651");
    /// ```
    pub fn from_path(path: impl AsRef<Path>) -> Pipeline {
        Pipeline::with_source(Source::Path(path.as_ref().to_path_buf()))
    }

    /// Parcels from any reader of a GeoJSON FeatureCollection; `name` names
    /// it in errors and in the ingest report.
    ///
    /// ```
    /// use landstock::pipeline::Pipeline;
    /// let text = r#"{"type":"FeatureCollection","features":[
    ///   {"type":"Feature","id":"a","properties":{"landuse":"brownfield"},
    ///    "geometry":{"type":"Polygon","coordinates":[[[125,46.6],[125.001,46.6],[125.001,46.601],[125,46.601],[125,46.6]]]}}]}"#;
    /// let city = Pipeline::from_reader(text.as_bytes(), "one.geojson").score().unwrap();
    /// assert_eq!(city.report.source, "one.geojson");
    /// assert_eq!(city.sheet.rows().len(), 1);
    /// ```
    pub fn from_reader(reader: impl Read + Send + 'static, name: impl Into<String>) -> Pipeline {
        Pipeline::with_source(Source::Reader {
            reader: Box::new(reader),
            name: name.into(),
        })
    }

    /// Parcels in memory (see [`Feature`]); the report names them `memory`.
    pub fn from_features(features: impl IntoIterator<Item = Feature>) -> Pipeline {
        let features: Vec<Value> = features.into_iter().map(|f| f.to_geojson()).collect();
        let collection = serde_json::json!({"type": "FeatureCollection", "features": features});
        Pipeline::with_source(Source::Features {
            collection: collection.to_string(),
            name: "memory".into(),
        })
    }

    /// The configuration (single slot; default [`Config::default`]).
    pub fn config(mut self, config: Config) -> Pipeline {
        self.config = config;
        self
    }

    /// The land-scale cap, ha (single slot; overrides `[plan] cap`, as
    /// `--cap` does).
    pub fn cap_ha(mut self, cap_ha: f64) -> Pipeline {
        self.cap_ha = Some(cap_ha);
        self
    }

    /// Transit stops from a GeoJSON file of points (single slot).
    pub fn transit_file(mut self, path: impl AsRef<Path>) -> Pipeline {
        self.transit = Some(PointLayer::File(path.as_ref().to_path_buf()));
        self
    }

    /// Transit stops in memory as `[lon, lat]` (single slot).
    pub fn transit_lonlat(mut self, stops: Vec<[f64; 2]>) -> Pipeline {
        self.transit = Some(PointLayer::LonLat(stops));
        self
    }

    /// Cultural and education facilities from a GeoJSON file of points
    /// (single slot).
    pub fn facilities_file(mut self, path: impl AsRef<Path>) -> Pipeline {
        self.facilities = Some(PointLayer::File(path.as_ref().to_path_buf()));
        self
    }

    /// Facilities in memory as `[lon, lat]` (single slot).
    pub fn facilities_lonlat(mut self, points: Vec<[f64; 2]>) -> Pipeline {
        self.facilities = Some(PointLayer::LonLat(points));
        self
    }

    /// A callback told each step (single slot).
    ///
    /// ```
    /// use std::sync::{Arc, Mutex};
    /// use landstock::pipeline::{Pipeline, Progress};
    /// let text = r#"{"type":"FeatureCollection","features":[
    ///   {"type":"Feature","id":"a","properties":{"landuse":"brownfield"},
    ///    "geometry":{"type":"Polygon","coordinates":[[[125,46.6],[125.001,46.6],[125.001,46.601],[125,46.601],[125,46.6]]]}}]}"#;
    /// let seen = Arc::new(Mutex::new(Vec::new()));
    /// let log = seen.clone();
    /// Pipeline::from_reader(text.as_bytes(), "one.geojson")
    ///     .on_progress(move |p| if let Progress::Scored { candidates } = p { log.lock().unwrap().push(candidates) })
    ///     .score()
    ///     .unwrap();
    /// assert_eq!(*seen.lock().unwrap(), [1]);
    /// ```
    pub fn on_progress(mut self, f: impl Fn(Progress<'_>) + Send + Sync + 'static) -> Pipeline {
        self.progress = Some(Arc::new(f));
        self
    }

    /// Reads, validates, projects, indexes and scores the parcels.
    pub fn score(self) -> Result<ScoredCity, RunError> {
        city::score(
            self.source,
            &self.config,
            self.transit.as_ref(),
            self.facilities.as_ref(),
            self.progress.as_ref(),
        )
    }

    /// [`Pipeline::score`], then the plan under the config's `[plan]` (and
    /// the cap given here): the same problem `landstock plan` solves.
    pub fn plan(self) -> Result<Planned, RunError> {
        let cap_ha = self.cap_ha;
        let plan_cfg = self.config.plan.clone();
        let city = self.score()?;
        let input = city.plan_input();
        let problem = plan_cfg.problem(&input, cap_ha)?.build()?;
        let plan = problem.solve()?;
        Ok(Planned {
            city,
            input,
            problem,
            plan,
        })
    }
}

/// A city scored and planned by [`Pipeline::plan`].
#[derive(Debug)]
pub struct Planned {
    /// The scored city.
    pub city: ScoredCity,
    /// The planner's input built from it.
    pub input: PlanInput,
    /// The problem solved.
    pub problem: Problem,
    /// The plan.
    pub plan: Plan,
}
