//! The same answer every time: the `landstock score` output is byte-identical
//! with 1, 2 and 8 rayon threads and across runs; the fast and exact plans of
//! the fixture city's candidates are identical in 1-, 2- and 8-thread pools.

use std::path::{Path, PathBuf};
use std::process::Command;

use landstock::candidates::Candidates;
use landstock::context::{read_points_geojson_file, Context, ContextOptions};
use landstock::ingest::{read_geojson_file, IngestOptions};
use landstock::plan::{
    Bound, Candidate, Costs, Lock, Plan, PlanProblem, Scores, Solver, TouchingPair, Use,
};
use landstock::score::{Layers, Scorer, TargetUse};
use landstock::Config;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// Scores the fixture city with `threads` rayon threads; returns the output bytes.
fn score_with_threads(dir: &Path, threads: usize, run: usize) -> Vec<u8> {
    let out = dir.join(format!("scores-{threads}-{run}.geojson"));
    let status = Command::new(env!("CARGO_BIN_EXE_landstock"))
        .args(["score", "--quiet"])
        .arg(fixture("city.geojson"))
        .arg("--config")
        .arg(fixture("city.toml"))
        .arg("--transit")
        .arg(fixture("city_transit.geojson"))
        .arg("--facilities")
        .arg(fixture("city_facilities.geojson"))
        .arg("--out")
        .arg(&out)
        .env("RAYON_NUM_THREADS", threads.to_string())
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    std::fs::read(&out).unwrap()
}

#[test]
fn scores_geojson_is_byte_identical_across_thread_counts_and_runs() {
    let dir = tempfile::tempdir().unwrap();
    let reference = score_with_threads(dir.path(), 1, 0);
    let v: serde_json::Value = serde_json::from_slice(&reference).unwrap();
    assert_eq!(
        v["features"].as_array().unwrap().len(),
        508,
        "the fixture city's candidates"
    );
    for (threads, run) in [(2, 0), (8, 0), (8, 1), (1, 1)] {
        let got = score_with_threads(dir.path(), threads, run);
        assert!(
            got == reference,
            "{threads} threads (run {run}) differ from 1 thread: first difference at byte {}",
            got.iter()
                .zip(&reference)
                .position(|(a, b)| a != b)
                .unwrap_or(got.len().min(reference.len()))
        );
    }
}

/// The fixture city's candidates as a planning problem: scores from the
/// scorer, touching pairs from the stock, and a few locks.
fn fixture_problem() -> PlanProblem {
    let cfg = Config::load(fixture("city.toml")).unwrap();
    let got = read_geojson_file(
        &fixture("city.geojson"),
        &IngestOptions::from_config(&cfg).unwrap(),
    )
    .unwrap();
    let stock = got.stock;
    let crs = got.report.working_crs.unwrap();
    let cx = Context::new(&stock, &ContextOptions::default())
        .with_transit(read_points_geojson_file(&fixture("city_transit.geojson"), &crs).unwrap())
        .with_facilities(
            read_points_geojson_file(&fixture("city_facilities.geojson"), &crs).unwrap(),
        );
    let layers = Layers::new(&stock, &cx);
    let cands = Candidates::of(&stock);
    let sheet = Scorer::new(&cfg.scoring, &layers)
        .score(&layers, cands.indices())
        .unwrap();
    let mut position = vec![usize::MAX; stock.len()];
    let mut candidates = Vec::new();
    for (k, row) in sheet.rows().iter().enumerate() {
        let p = stock.get(row.index);
        position[row.index] = k;
        let mut c = Candidate::new(p.id.clone(), p.area_m2(), p.land_use)
            .with_scores(Scores {
                green: row.score(TargetUse::Green),
                ecological: row.score(TargetUse::Ecological),
                cultural: row.score(TargetUse::Cultural),
            })
            .with_perimeter_m(landstock::score::perimeter_m(p))
            .with_contaminated(p.facts.contaminated);
        c.land_value_per_m2 = p.facts.land_value_per_m2;
        candidates.push(c);
    }
    let mut pairs = Vec::new();
    for row in sheet.rows() {
        for t in stock.touching(row.index) {
            let (a, b) = (position[row.index], position[t.other]);
            if b != usize::MAX && a < b && t.shared_len_m > 0.0 {
                pairs.push(TouchingPair {
                    a,
                    b,
                    shared_len_m: t.shared_len_m,
                });
            }
        }
    }
    assert!(pairs.len() > 50, "{} touching pairs", pairs.len());
    let total_ha: f64 = candidates.iter().map(|c| c.area_m2 / 1e4).sum();
    let first = candidates[0].id.clone();
    PlanProblem::new(candidates, pairs)
        .cap_ha(0.3 * total_ha)
        .bound(Use::Green, Bound::min_share(0.2))
        .bound(Use::Cultural, Bound::max_share(0.4))
        .budget(0.5 * total_ha * 1e4 * 400.0, Costs::default())
        .lock(first, Lock::Out)
}

fn solve_in_pool(problem: &landstock::Problem, threads: usize) -> Plan {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(|| problem.solve().unwrap())
}

/// Everything but the wall-clock time.
fn same_plan(a: &Plan, b: &Plan) -> bool {
    let strip = |p: &Plan| Plan { ..p.clone() };
    strip(a) == strip(b)
}

#[test]
fn fast_and_exact_plans_are_identical_with_one_two_and_eight_threads() {
    let base = fixture_problem();
    for solver in [
        Solver::Fast,
        Solver::Exact {
            time_limit_s: 300.0,
            gap: 0.0,
        },
    ] {
        let problem = base.clone().solver(solver).build().unwrap();
        let reference = solve_in_pool(&problem, 1);
        assert!(reference.area_ha.converted_ha() > 0.0);
        for threads in [2, 8, 1] {
            let got = solve_in_pool(&problem, threads);
            assert!(
                same_plan(&got, &reference),
                "{solver:?}: {threads} threads differ from 1 thread\n{got:?}\nvs\n{reference:?}"
            );
        }
    }
}
