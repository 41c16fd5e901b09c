//! One plan whichever way in (issue 14): the command line, the library
//! entry point ([`Pipeline`]) and the steps written out by hand (as the
//! examples did) give the same decisions on the fixture city — with the
//! fixture's config, and with cultural eligibility changed in `[scoring]`,
//! which the planner must follow without being told twice.

use std::path::Path;
use std::process::Command;

use landstock::candidates::Candidates;
use landstock::config::SolverChoice;
use landstock::context::{read_points_geojson_file, Context, ContextOptions};
use landstock::ingest::{read_geojson_file, IngestOptions};
use landstock::output::plan::{decisions, write_decisions_csv};
use landstock::pipeline::PlanInput;
use landstock::score::{Layers, Scorer};
use landstock::{Config, LandUse, Pipeline};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The decisions CSV of `landstock plan` with this config.
fn by_cli(config: &Path, out: &Path) -> Vec<u8> {
    let csv = out.join("cli.csv");
    let st = Command::new(env!("CARGO_BIN_EXE_landstock"))
        .arg("plan")
        .arg(root().join("fixtures/city.geojson"))
        .arg("--config")
        .arg(config)
        .arg("--transit")
        .arg(root().join("fixtures/city_transit.geojson"))
        .arg("--facilities")
        .arg(root().join("fixtures/city_facilities.geojson"))
        .args(["--solver", "fast", "--no-explain", "--quiet", "--out"])
        .arg(out.join("plan.geojson"))
        .arg("--csv")
        .arg(&csv)
        .status()
        .unwrap();
    assert!(st.success());
    std::fs::read(csv).unwrap()
}

/// The same through [`Pipeline`].
fn by_pipeline(cfg: &Config) -> Vec<u8> {
    let p = Pipeline::from_path(root().join("fixtures/city.geojson"))
        .config(cfg.clone())
        .transit_file(root().join("fixtures/city_transit.geojson"))
        .facilities_file(root().join("fixtures/city_facilities.geojson"))
        .plan()
        .unwrap();
    let rows = decisions(&p.input.candidates, &p.city.sheet, &p.plan).unwrap();
    let mut out = Vec::new();
    write_decisions_csv(&mut out, "mem", &rows).unwrap();
    out
}

/// The same, step by step.
fn by_steps(cfg: &Config) -> Vec<u8> {
    let got = read_geojson_file(
        &root().join("fixtures/city.geojson"),
        &IngestOptions::from_config(cfg).unwrap(),
    )
    .unwrap();
    let crs = got.report.working_crs.clone().unwrap();
    let points = |f: &str| read_points_geojson_file(&root().join(f), &crs).unwrap();
    let cx = Context::new(
        &got.stock,
        &ContextOptions {
            residents_per_m2: cfg.scoring.residents_per_m2,
            centre: None,
        },
    )
    .with_transit(points("fixtures/city_transit.geojson"))
    .with_facilities(points("fixtures/city_facilities.geojson"));
    let layers = Layers::new(&got.stock, &cx);
    let cands = Candidates::of(&got.stock);
    let sheet = Scorer::new(&cfg.scoring, &layers)
        .score(&layers, cands.indices())
        .unwrap();
    let input = PlanInput::new(&got.stock, &cands, &sheet);
    let plan = cfg
        .plan
        .problem(&input, None)
        .unwrap()
        .build()
        .unwrap()
        .solve()
        .unwrap();
    let rows = decisions(&input.candidates, &sheet, &plan).unwrap();
    let mut out = Vec::new();
    write_decisions_csv(&mut out, "mem", &rows).unwrap();
    out
}

fn same_three_ways(toml: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("city.toml");
    std::fs::write(&path, toml).unwrap();
    let mut cfg = Config::load(&path).unwrap();
    cfg.plan.solver = SolverChoice::Fast;
    let cli = by_cli(&path, dir.path());
    let lib = by_pipeline(&cfg);
    let steps = by_steps(&cfg);
    assert!(cli == lib, "the CLI and Pipeline differ");
    assert!(cli == steps, "the CLI and the hand-written steps differ");
    cli
}

#[test]
fn the_cli_the_pipeline_and_the_steps_give_the_same_plan_on_the_fixture_city() {
    let toml = std::fs::read_to_string(root().join("fixtures/city.toml")).unwrap();
    let csv = same_three_ways(&toml);
    assert_eq!(
        String::from_utf8(csv).unwrap().lines().count(),
        509,
        "508 candidates"
    );
}

#[test]
fn cultural_eligibility_set_in_scoring_reaches_the_planner_every_way() {
    let toml = std::fs::read_to_string(root().join("fixtures/city.toml")).unwrap()
        + "\n[scoring]\ncultural_origins = [\"industrial\", \"logistics\", \"vacant\"]\n";
    let csv = String::from_utf8(same_three_ways(&toml)).unwrap();
    let vacant_cultural = csv
        .lines()
        .filter(|l| l.contains(&format!(",{},cultural,", LandUse::Vacant.as_str())))
        .count();
    assert!(
        vacant_cultural > 0,
        "vacant lots may now become cultural districts"
    );
}
