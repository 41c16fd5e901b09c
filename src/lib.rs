//! # landstock
//!
//! Plans how a shrinking city repurposes its land stock.
//!
//! The pipeline reads in one direction:
//! **ingest** (GeoJSON → validated, repaired, projected [`Parcel`]s, with an
//! ingest report that accounts for every feature) → **stock** (parcels plus an
//! R-tree answering distance, nearest-of-class and touching queries) →
//! **scores** → **plan** → indicators and outputs.
//!
//! Ingestion classifies each feature with a [`TagMapping`] (module
//! [`landuse`]), built from the `[mapping]` section of the TOML [`Config`].
//!
//! Every step takes values and returns values; files, progress bars and the
//! clock live in the command line and the examples.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod candidates;
pub mod config;
pub mod context;
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
pub mod synth;

pub use config::{Config, ConfigError};
pub use error::{Error, ErrorKind};
pub use landuse::{Classification, TagMapping};
pub use parcel::{Facts, LandUse, Parcel, ParcelId, Status, UnknownLandUse};
pub use plan::{
    evaluate, Bound, Candidate, Conflict, Costs, Evaluation, Lock, Method, Plan, PlanError,
    PlanProblem, Problem, Scores, SolveStatus, Solver, TouchingPair, Use,
};
