//! Outputs: what the pipeline's values are written as (SPEC §7). Every
//! writer takes an `impl Write`; where the bytes go (and how a file is put
//! in place) is the caller's business.
//!
//! * [`scores`]: every candidate with its scores and breakdown, as GeoJSON
//!   in EPSG:4326 (`landstock score`).
//! * [`plan`]: the decisions of a plan, as GeoJSON and as CSV
//!   (`landstock plan`).
//! * [`summary`]: the typed summary (`summary.json`, and what the report
//!   renders).
//! * [`map`]: the map of a plan as SVG (before and after panels), and with the
//!   `png` feature its rendering to PNG.
//! * [`report`]: one self-contained HTML report of a plan (map, indicators,
//!   land-use balance, solver figures, binding constraints, top decisions),
//!   in English or Chinese ([`Lang`]).

mod geojson;
mod lang;
pub mod map;
pub mod plan;
pub mod report;
pub mod scores;
pub mod summary;

pub use lang::Lang;
