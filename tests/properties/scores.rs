//! Scores stay in [0, 1] on random cities and settings.

use super::*;

/// A random scoring configuration: weights, switches and radii.
fn scoring_strategy() -> impl Strategy<Value = [f64; 8]> {
    [
        0.0..2.0f64,
        0.0..2.0f64,
        0.0..2.0f64,
        0.0..2.0f64,
        0.0..2.0f64,
        0.0..2.0f64,
        0.0..2000.0f64,
        0.0..2000.0f64,
    ]
}

static SCORED: AtomicUsize = AtomicUsize::new(0);

#[test]
fn scores_stay_in_unit_range_on_random_cities_and_settings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let base = Config::load(root.join("fixtures/city.toml")).unwrap();
    let opts = IngestOptions::from_config(&base).unwrap();
    run(
        "scores_in_unit_range",
        200,
        (any::<u64>(), 150usize..400, scoring_strategy()),
        |(seed, n, w)| {
            let mut params = CityParams::with_parcels(n);
            params.seed = seed;
            let mut text = Vec::new();
            write_parcels_geojson(&params, &mut text).unwrap();
            let got = read_geojson(&text[..], "synth.geojson", &opts).unwrap();
            let mut s = base.scoring.clone();
            s.green.unserved_demand.weight = w[0];
            s.green.size_fit.weight = w[1] + 0.01; // keeps every use's weights positive
            s.ecological.adjacency.weight = w[2];
            s.ecological.size.weight = w[3] + 0.01;
            s.cultural.heritage.weight = w[4] + 0.01;
            s.cultural.cluster.weight = w[5];
            s.green.unserved_demand.radius_m = w[6];
            s.cultural.cluster.radius_m = w[7];
            s.cultural.transit.enabled = seed % 2 == 0;
            s.validate().unwrap();
            let cx = Context::new(&got.stock, &ContextOptions::default());
            let layers = Layers::new(&got.stock, &cx);
            let cands = Candidates::of(&got.stock);
            let sheet = Scorer::new(&s, &layers)
                .score(&layers, cands.indices())
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(!cands.is_empty(), "a city of {} parcels has candidates", n);
            prop_assert_eq!(sheet.rows().len(), cands.len());
            SCORED.fetch_add(sheet.rows().len(), Ordering::Relaxed);
            for row in sheet.rows() {
                for u in TargetUse::ALL {
                    let Some(us) = row.get(u) else { continue };
                    prop_assert!((0.0..=1.0).contains(&us.score), "{u} score {}", us.score);
                    for &v in &us.value {
                        prop_assert!((0.0..=1.0).contains(&v), "{u} value {v}");
                    }
                }
            }
            Ok(())
        },
    );
    eprintln!("  {} candidates scored", SCORED.load(Ordering::Relaxed));
}
