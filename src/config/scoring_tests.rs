//! Tests of the parent module.
use super::*;

#[test]
fn defaults_match_the_spec_tables() {
    let c = ScoringConfig::default();
    let sums = [
        c.tables()[0].1.iter().map(|t| t.numbers[0].1).sum::<f64>(),
        c.tables()[1].1.iter().map(|t| t.numbers[0].1).sum::<f64>(),
        c.tables()[2].1.iter().map(|t| t.numbers[0].1).sum::<f64>(),
    ];
    for s in sums {
        assert!(
            (s - 1.0).abs() < 1e-12,
            "SPEC §4 weights sum to 1 per use: {s}"
        );
    }
    assert!(c.validate().is_ok());
}

#[test]
fn unknown_key_is_an_error_naming_it() {
    let e = ScoringConfig::from_toml_str("[scoring.cultural.cluster]\nradius = 300\n").unwrap_err();
    assert_eq!(e.key, "scoring.cultural.cluster.radius");
    assert!(
        e.to_string()
            .contains("expected one of enabled, weight, radius_m"),
        "{e}"
    );
    let e = ScoringConfig::from_toml_str("[scoring.culture]\n").unwrap_err();
    assert_eq!(e.key, "scoring.culture");
}

#[test]
fn thresholds_out_of_order_name_the_upper_key() {
    let e = ScoringConfig::from_toml_str("[scoring.green.size_fit]\nlo_ha = 2\nhi_ha = 1\n")
        .unwrap_err();
    assert_eq!(e.key, "scoring.green.size_fit.hi_ha");
}

#[test]
fn negative_radius_and_bad_class_are_errors() {
    let e =
        ScoringConfig::from_toml_str("[scoring.ecological.corridor]\nradius_m = -5\n").unwrap_err();
    assert_eq!(e.key, "scoring.ecological.corridor.radius_m");
    let e =
        ScoringConfig::from_toml_str("[scoring]\ncultural_origins = [\"factory\"]\n").unwrap_err();
    assert!(e.problem.contains("factory"), "{e}");
}

#[test]
fn switching_a_criterion_off_keeps_the_use_valid() {
    let c = ScoringConfig::from_toml_str("[scoring.cultural.transit]\nenabled = false\n").unwrap();
    assert!(!c.cultural.transit.enabled);
}
