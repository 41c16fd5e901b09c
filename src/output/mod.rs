//! Outputs: files written from the pipeline's values (SPEC §7).
//!
//! * [`scores`]: every candidate with its scores and breakdown, as GeoJSON
//!   in EPSG:4326 (`landstock score`).
//! * [`map`]: the map of a plan as SVG (before and after panels), and with the
//!   `png` feature its rendering to PNG.
//! * [`report`]: one self-contained HTML report of a plan (map, indicators,
//!   solver figures, binding constraints, top decisions).

pub mod map;
pub mod report;
pub mod scores;
