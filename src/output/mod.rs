//! Outputs: files written from the pipeline's values (SPEC §7).
//!
//! * [`scores`]: every candidate with its scores and breakdown, as GeoJSON
//!   in EPSG:4326 (`landstock score`).
//! * [`atomic`]: every output file is written whole or not at all.

pub mod atomic;
pub mod scores;
