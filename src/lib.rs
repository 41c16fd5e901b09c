//! # landstock
//!
//! Plans how a shrinking city repurposes its land stock.
//!
//! The pipeline reads in one direction:
//! **ingest** (GeoJSON → validated, repaired, projected [`Parcel`]s, with an
//! ingest report that accounts for every feature; module [`ingest`], tag
//! mapping in [`landuse`]) → **stock** (parcels plus an R-tree answering
//! distance, nearest-of-class and touching queries, the context layers and
//! the candidates; [`stock`]) → **scores** ([`score`]) → **plan** ([`plan`])
//! → **indicators** ([`indicators`]) and **outputs** ([`output`]). The
//! settings of every stage are plain values in [`config`], which depends on
//! no stage; [`Use`] and [`Lock`] ([`uses`]) are the words scoring and
//! planning share. [`Pipeline`] runs the whole job for a program that embeds
//! landstock, from a file, a reader or parcels held in memory.
//!
//! Every step takes values and returns values; files, progress bars and the
//! clock live in the command line and the examples.
//!
//! ```
//! use landstock::pipeline::{Feature, Pipeline};
//! // four 1-ha brownfield lots in a row, in lon/lat, planned under a 2.5 ha cap
//! let lot = |k: f64| geo::Rect::new((125.0 + k * 0.0013074, 46.6), (125.0013074 + k * 0.0013074, 46.6008993));
//! let lots = (0..4).map(|k| Feature::new(format!("lot-{k}"), lot(k as f64).to_polygon(),
//!     serde_json::json!({"landuse": "brownfield"})));
//! let planned = Pipeline::from_features(lots).cap_ha(2.5).plan().unwrap();
//! assert_eq!(planned.input.candidates.len(), 4);
//! assert!((planned.plan.area_ha.converted_ha() - 2.0).abs() < 0.01, "two lots");
//! ```
//!
//! | cargo feature | default | brings |
//! |---|---|---|
//! | `exact` | on | the exact MILP planner on HiGHS (compiled from source, about 8 CPU-minutes); without it `Solver::Exact` is an error and `Solver::Auto` uses the fast solver |
//! | `png` | on | [`output::map::render_png`] (resvg + tiny-skia) |
//! | `gdal` | on | Shapefile, GeoPackage, FlatGeobuf, File Geodatabase, CSV (WKT) and PostGIS in ([`ingest::read_gdal`]); GeoPackage, FlatGeobuf and Shapefile out; links Debian's libgdal-dev (GDAL 3.6) |
// Unsafe code is denied everywhere but in the GDAL reader's feature loop
// (src/ingest/gdal.rs), which reads raw attribute bytes and GDAL's per-thread
// error state through gdal-sys: the safe API decodes text lossily and loses
// errors, and both must become typed errors.
#![deny(unsafe_code)]
#![deny(missing_docs)]

pub mod config;
pub mod crs;
pub mod error;
pub mod indicators;
pub mod ingest;
pub mod landuse;
pub mod output;
pub mod parcel;
pub mod pipeline;
pub mod plan;
pub mod score;
pub mod stock;
pub mod uses;

// The stock's parts, by their short paths.
pub use stock::{candidates, context};

pub use config::{Config, ConfigError};
pub use error::{Error, ErrorKind};
pub use landuse::{Classification, TagMapping};
pub use parcel::{Facts, LandUse, Parcel, ParcelId, Status, UnknownLandUse};
pub use pipeline::{Pipeline, Planned, ScoredCity};
pub use plan::{
    evaluate, Bound, Candidate, Conflict, Costs, Evaluation, Method, Plan, PlanError, PlanProblem,
    Problem, Scores, SolveStatus, Solver, TouchingPair,
};
pub use uses::{Lock, Use};
