//! Configuration errors: every bad setting in `[input]`, `[mapping]` and
//! `[scoring]` is an error naming the key and the file — never a panic, never
//! a silently ignored setting. Loaded from a real file, as the CLI does.

use std::path::Path;

use landstock::{Config, ConfigError};

/// Writes `toml` to a file named `bad.toml` and loads it.
fn load(toml: &str) -> Result<Config, ConfigError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, toml).unwrap();
    Config::load(&path)
}

/// The error for `toml`, checked to name `key` and the file.
fn error_at(toml: &str, key: &str) -> ConfigError {
    let e = match load(toml) {
        Ok(cfg) => panic!("accepted:\n{toml}\nas {cfg:?}"),
        Err(e) => e,
    };
    assert_eq!(e.key, key, "{toml}\n→ {e}");
    let msg = e.to_string();
    assert!(msg.contains(key), "message names the key: {msg}");
    assert!(
        e.file.as_deref().is_some_and(|f| f.ends_with("bad.toml")) && msg.contains("bad.toml"),
        "message names the file: {msg}"
    );
    e
}

#[test]
fn unknown_keys_are_named_in_every_section() {
    for (toml, key) in [
        ("[inptu]\n", "inptu"),
        ("top = 1\n", "top"),
        ("[input]\nid_prop = \"PIN\"\n", "input.id_prop"),
        ("[input]\nepsg = 32651\n", "input.epsg"),
        ("[mapping]\npresets = \"osm\"\n", "mapping.presets"),
        ("[mapping.facts]\npop = \"p\"\n", "mapping.facts.pop"),
        (
            "[[mapping.rule]]\nwhen = { a = \"b\" }\nland_use = \"green\"\nlanduse = \"x\"\n",
            "mapping.rule[0].landuse",
        ),
        ("[scoring]\ndensity = 0.02\n", "scoring.density"),
        ("[scoring.green]\nsize = {}\n", "scoring.green.size"),
        (
            "[scoring.green.unserved_demand]\nradius = 800\n",
            "scoring.green.unserved_demand.radius",
        ),
    ] {
        let e = error_at(toml, key);
        assert!(e.to_string().contains("unknown"), "{e}");
    }
}

#[test]
fn wrong_types_are_named() {
    for (toml, key) in [
        ("input = 3\n", "input"),
        ("[input]\nid_property = 7\n", "input.id_property"),
        ("[input]\ncrs = [\"EPSG:4326\"]\n", "input.crs"),
        ("[input]\nworking_epsg = \"32651\"\n", "input.working_epsg"),
        ("[input]\nworking_epsg = -32651\n", "input.working_epsg"),
        ("[input]\nworking_epsg = 32651.5\n", "input.working_epsg"),
        ("[mapping]\npreset = true\n", "mapping.preset"),
        ("[mapping]\nrule = \"x\"\n", "mapping.rule"),
        (
            "[mapping.facts]\npopulation = 1\n",
            "mapping.facts.population",
        ),
        (
            "[[mapping.rule]]\nwhen = { a = \"b\" }\nheritage = \"yes\"\n",
            "mapping.rule[0].heritage",
        ),
        (
            "[[mapping.rule]]\nwhen = \"a\"\nland_use = \"green\"\n",
            "mapping.rule[0].when",
        ),
        (
            "[scoring]\nresidents_per_m2 = \"0.02\"\n",
            "scoring.residents_per_m2",
        ),
        (
            "[scoring]\ncentre_lonlat = [125.0]\n",
            "scoring.centre_lonlat",
        ),
        (
            "[scoring]\ncentre_lonlat = [125.0, 46.6, 0]\n",
            "scoring.centre_lonlat",
        ),
        (
            "[scoring]\ncultural_origins = \"industrial\"\n",
            "scoring.cultural_origins",
        ),
        (
            "[scoring.green.size_fit]\nweight = \"high\"\n",
            "scoring.green.size_fit.weight",
        ),
        (
            "[scoring.green.size_fit]\nenabled = 1\n",
            "scoring.green.size_fit.enabled",
        ),
    ] {
        error_at(toml, key);
    }
}

#[test]
fn negative_radii_are_named() {
    for key in [
        "scoring.green.unserved_demand.radius_m",
        "scoring.green.unserved_demand.service_radius_m",
        "scoring.ecological.corridor.radius_m",
        "scoring.ecological.low_density.radius_m",
        "scoring.cultural.cluster.radius_m",
        "scoring.cultural.amenities.radius_m",
    ] {
        let (table, name) = key.rsplit_once('.').unwrap();
        let e = error_at(&format!("[{table}]\n{name} = -1\n"), key);
        assert!(e.to_string().contains("negative radius"), "{e}");
    }
}

#[test]
fn negative_distances_thresholds_and_sizes_are_named() {
    for key in [
        "scoring.green.green_deficit.lo_m",
        "scoring.ecological.adjacency.lo_m",
        "scoring.cultural.transit.lo_m",
        "scoring.green.size_fit.lo_ha",
        "scoring.ecological.size.lo_ha",
        "scoring.cultural.moderate_scale.lo_ha",
        "scoring.cultural.cluster.lo_ha",
        "scoring.green.unserved_demand.lo_residents",
        "scoring.ecological.corridor.lo_count",
        "scoring.ecological.peripherality.lo_ratio",
        "scoring.cultural.centrality.lo_ratio",
    ] {
        let (table, name) = key.rsplit_once('.').unwrap();
        let e = error_at(&format!("[{table}]\n{name} = -1\n"), key);
        assert!(e.to_string().contains("-1"), "{e}");
    }
}

#[test]
fn weights_summing_to_zero_name_the_use() {
    let all_zero = |use_: &str, criteria: &[&str]| {
        criteria
            .iter()
            .map(|c| format!("[scoring.{use_}.{c}]\nweight = 0\n"))
            .collect::<String>()
    };
    error_at(
        &all_zero(
            "green",
            &[
                "unserved_demand",
                "green_deficit",
                "size_fit",
                "compactness",
                "clean_site",
            ],
        ),
        "scoring.green",
    );
    let e = error_at(
        &all_zero(
            "cultural",
            &[
                "heritage",
                "moderate_scale",
                "centrality",
                "transit",
                "cluster",
                "amenities",
            ],
        ),
        "scoring.cultural",
    );
    assert!(e.to_string().contains("zero"), "{e}");
    // switched off counts as zero
    let mut toml = all_zero(
        "ecological",
        &["adjacency", "corridor", "peripherality", "low_density"],
    );
    toml.push_str("[scoring.ecological.size]\nenabled = false\n");
    error_at(&toml, "scoring.ecological");
}

#[test]
fn out_of_range_values_are_named() {
    for (toml, key) in [
        (
            "[scoring]\nresidents_per_m2 = -0.1\n",
            "scoring.residents_per_m2",
        ),
        (
            "[scoring]\nresidents_per_m2 = nan\n",
            "scoring.residents_per_m2",
        ),
        (
            "[scoring]\nresidents_per_m2 = inf\n",
            "scoring.residents_per_m2",
        ),
        (
            "[scoring]\ncentre_lonlat = [200, 46]\n",
            "scoring.centre_lonlat",
        ),
        (
            "[scoring]\ncentre_lonlat = [125, -91]\n",
            "scoring.centre_lonlat",
        ),
        (
            "[scoring]\ncultural_origins = [\"factory\"]\n",
            "scoring.cultural_origins",
        ),
        (
            "[scoring.green.size_fit]\nweight = -0.5\n",
            "scoring.green.size_fit.weight",
        ),
        (
            "[scoring.green.size_fit]\nweight = inf\n",
            "scoring.green.size_fit.weight",
        ),
        (
            "[scoring.green.size_fit]\nlo_ha = 2\nhi_ha = 1\n",
            "scoring.green.size_fit.hi_ha",
        ),
        ("[input]\nworking_epsg = 0\n", "input.working_epsg"),
        ("[input]\ncrs = \"\"\n", "input.crs"),
        ("[mapping]\npreset = \"nope\"\n", "mapping.preset"),
        (
            "[mapping.facts]\nfloor_area_m2 = \"a\"\nfloor_area_ft2 = \"b\"\n",
            "mapping.facts.floor_area_ft2",
        ),
        (
            "[mapping.facts]\npopulation = \"\"\n",
            "mapping.facts.population",
        ),
        ("[mapping]\nstatus_field = \"\"\n", "mapping.status_field"),
    ] {
        error_at(toml, key);
    }
}

#[test]
fn a_config_that_is_not_toml_names_the_file_and_line() {
    let e = load("[input]\nid_property = \"PIN\"\n[mapping\n").unwrap_err();
    assert_eq!(e.line, Some(3), "{e}");
    assert!(e.to_string().contains("bad.toml"), "{e}");
    let e = load("\u{feff}\u{0}\u{ffff}").unwrap_err();
    assert!(e.to_string().contains("bad.toml"), "{e}");
}

#[test]
fn a_config_that_is_not_utf8_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.toml");
    std::fs::write(&path, b"[input]\nid_property = \"Stra\xdfe\"\n").unwrap();
    let e = Config::load(&path).unwrap_err();
    assert_eq!(e.file.as_deref(), Some(path.as_path()));
    assert!(e.to_string().contains("latin1.toml"), "{e}");
}

#[test]
fn an_empty_config_is_the_default() {
    assert_eq!(load("").unwrap(), Config::default());
    assert_eq!(load("  \n# nothing\n").unwrap(), Config::default());
    assert!(Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/city.toml")
        .exists());
}
