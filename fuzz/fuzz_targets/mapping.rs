//! Mapping rules applied to arbitrary property JSON. The input is
//! `mapping TOML` NUL `properties JSON`; when the TOML does not load, one of
//! a few fixed mappings (presets and rules with every pattern form) is used,
//! chosen by the first byte.
#![no_main]

use std::path::Path;

use landstock::{Config, TagMapping};
use libfuzzer_sys::fuzz_target;

const FIXED: &[&str] = &[
    "[mapping]\npreset = \"osm\"\n",
    "[mapping]\npreset = \"gb50137\"\nstatus_field = \"status\"\n",
    "[mapping]\npreset = \"euluc\"\ncandidate_field = \"reuse\"\n",
    r#"
[mapping]
status_field = "vacancy"
[[mapping.rule]]
when = { zoning = ["I-*", "*MX", "*stor*", "Lot", "*"], use = [101, true, 2.5] }
land_use = "industrial"
status = "derelict"
[[mapping.rule]]
when = { "名称" = "*厂*" }
heritage = true
contaminated = true
candidate = true
[mapping.facts]
population = "pop"
floor_area_ft2 = "sqft"
heritage = "listed"
contaminated = "brownfield"
land_value = "value"
"#,
];

fuzz_target!(|data: &[u8]| {
    let (toml_part, json_part) = match data.iter().position(|&b| b == 0) {
        Some(k) => (&data[..k], &data[k + 1..]),
        None => (&[][..], data),
    };
    let loaded = std::str::from_utf8(toml_part)
        .ok()
        .and_then(|t| Config::from_toml_str(t, Path::new("fuzz.toml")).ok());
    let cfg = loaded.unwrap_or_else(|| {
        let pick = data.first().copied().unwrap_or(0) as usize % FIXED.len();
        Config::from_toml_str(FIXED[pick], Path::new("fixed.toml")).expect("fixed mapping loads")
    });
    let mapping =
        TagMapping::from_config(&cfg.mapping).expect("a loaded config builds its mapping");
    let Ok(props) = serde_json::from_slice::<serde_json::Value>(json_part) else {
        return;
    };
    let c = mapping.classify(props.as_object());
    if let Some(v) = c.facts.floor_area_m2 {
        assert!(v.is_finite() && v >= 0.0, "floor area {v}");
    }
    if let Some(v) = c.facts.population {
        assert!(v.is_finite() && v >= 0.0, "population {v}");
    }
    if let Some(v) = c.facts.land_value_per_m2 {
        assert!(v.is_finite() && v >= 0.0, "land value {v}");
    }
});
