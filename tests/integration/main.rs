//! The integration tests in one binary: whole pipelines on the fixture city
//! and the real data, the command line as a subprocess, the outputs read
//! back. One binary links HiGHS and PROJ once instead of once per file.
//!
//! Apart, each in a binary of its own: `tests/streaming.rs` and
//! `tests/hostile_inputs.rs` (they install a counting global allocator and
//! measure peaks, which other tests running beside them would disturb),
//! `tests/properties.rs` (proptest) and `tests/plan_quality.rs`.

#[path = "../common/mod.rs"]
mod common;

mod alternatives;
mod bad_inputs;
mod chinese_presets;
mod cli;
mod cli_io;
mod config_errors;
mod determinism;
mod fgb;
mod fixture_city;
mod gdal_formats;
mod irreplaceable;
mod map_fixture_city;
mod map_png;
mod mapping_real_data;
mod output_integrity;
mod plan_cli;
mod plan_explain;
mod real_data;
mod report_html;
mod same_plan;
mod score_brute;
mod score_cli;
mod summary_types;
