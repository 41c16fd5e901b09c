//! `landstock config --default`: every setting with its default value and a
//! line on what it means, as a TOML file that reads back as
//! [`Config::default`]. Settings without a default (the cap, a budget, the
//! input CRS…) are shown commented out with an example value.
//!
//! The values are not written by hand: the text is generated from the
//! serialised defaults, so it cannot drift from them; a setting whose key has
//! no line of documentation here is a test failure.

use std::fmt::Write as _;

use toml::{Table, Value};

use super::Config;

/// What a section is for, by its path.
fn section_doc(path: &str) -> Option<&'static str> {
    Some(match path {
        "input" => "How features are read.",
        "input.rename" => "Field names a GDAL source cut short (a Shapefile keeps 10 characters), given back their full names (layer name → property name); none by default.",
        "output" => "How the plan is written.",
        "mapping" => "How property values become a land-use class, a status and facts (SPEC §1).",
        "mapping.facts" => "Which property holds each optional fact (none by default).",
        "scoring" => "Suitability criteria (SPEC §4). Each criterion: enabled, weight (renormalised over the criteria in use) and the thresholds of its transfer function ramp(x, lo, hi).",
        "scoring.green" => "Conversion to a park.",
        "scoring.green.unserved_demand" => "Residents of homes near the parcel that have no park within reach.",
        "scoring.green.green_deficit" => "Distance to the nearest green parcel (a park far from others fills a gap).",
        "scoring.green.size_fit" => "Area: too small a lot makes a poor park.",
        "scoring.green.compactness" => "Polsby–Popper 4πA/P²: compact lots make usable parks.",
        "scoring.green.clean_site" => "0 when contaminated, else 1.",
        "scoring.ecological" => "Return to ecological land.",
        "scoring.ecological.adjacency" => "Distance to the nearest water or ecological parcel (closer is better).",
        "scoring.ecological.corridor" => "Distinct water, ecological and green parcels within a radius.",
        "scoring.ecological.peripherality" => "Centroid distance to the centre ÷ city radius (farther is better).",
        "scoring.ecological.low_density" => "Residents within a radius, the parcel included (fewer is better).",
        "scoring.ecological.size" => "Area: larger patches carry more habitat.",
        "scoring.cultural" => "A 798-style cultural district (adaptive reuse of industrial buildings).",
        "scoring.cultural.heritage" => "1 if heritage; 0.6 with buildings (or unknown); 0.3 if cleared.",
        "scoring.cultural.moderate_scale" => "Area: neither a single shed nor a whole industrial zone.",
        "scoring.cultural.centrality" => "Centroid distance to the centre ÷ city radius (closer is better).",
        "scoring.cultural.transit" => "Distance to the nearest transit stop (needs --transit).",
        "scoring.cultural.cluster" => "Derelict industrial and logistics land within a radius, the parcel included.",
        "scoring.cultural.amenities" => "Public parcels and facility points within a radius.",
        "plan" => "The planning model (SPEC §5).",
        "plan.costs" => "Costs and the default land value, currency per m² (SPEC §5).",
        "plan.bounds" => "Per-use minimum and maximum, in ha, 亩 (mu), km² or % of the cap; none by default.",
        "plan.locks" => "Parcels locked to a use (green, ecological, cultural, redevelop) or \"out\"; none by default.",
        _ => return None,
    })
}

/// What a setting means, by its path (or, inside a criterion, by its key).
fn key_doc(path: &str, key: &str) -> Option<&'static str> {
    let exact = match (path, key) {
        ("mapping", "rule") => "user rules ([[mapping.rule]] tables), tried in file order before the preset: none by default (an example below)",
        ("scoring.cultural.heritage", "listed") => "value of a heritage parcel",
        ("scoring.cultural.heritage", "standing") => "value with buildings standing (floor area > 0 or unknown)",
        ("scoring.cultural.heritage", "cleared") => "value of a cleared site (floor area 0)",
        ("scoring.cultural.moderate_scale", "too_big_lo_ha") => "area at which the score starts to fall, ha",
        ("scoring.cultural.moderate_scale", "too_big_hi_ha") => "area at which it reaches 0, ha",
        ("input", "area") => "\"planar\" (in the working CRS) or \"ellipsoidal\" (geodesic on WGS 84, as official surveys measure)",
        ("scoring", "residents_per_m2") => "residents per m² of residential land without a population fact (20,000 per km²)",
        ("scoring", "cultural_origins") => "classes whose parcels may become cultural districts",
        ("plan", "solver") => "\"auto\" (exact up to 10,000 free candidates, else fast), \"exact\" (HiGHS) or \"fast\"",
        ("plan", "time_limit_s") => "the whole solve, seconds; the best plan known is returned at the limit",
        ("plan", "gap") => "relative gap at which the exact solver stops",
        ("plan", "adjacency_lambda") => "weight λ of the adjacency bonus; 0 turns it off",
        ("plan.costs", "green_per_m2") => "park construction",
        ("plan.costs", "ecological_per_m2") => "ecological restoration",
        ("plan.costs", "cultural_per_m2") => "renovation for a cultural district",
        ("plan.costs", "remediation_per_m2") => "extra on contaminated sites, for green and cultural",
        ("plan.costs", "land_value_per_m2") => "auction value where a parcel has none",
        _ => "",
    };
    if !exact.is_empty() {
        return Some(exact);
    }
    if !path.starts_with("scoring.") {
        return None;
    }
    // a criterion's settings, by their unit suffix
    Some(match key {
        "enabled" => "false switches the criterion off",
        "weight" => "its weight among the use's criteria",
        k if k == "lo" || k.starts_with("lo_") => {
            "transfer: the raw value at which the criterion leaves 0"
        }
        k if k == "hi" || k.starts_with("hi_") => "transfer: the raw value at which it reaches 1",
        k if k.ends_with("radius_m") => "search radius, m (inclusive)",
        _ => return None,
    })
}

/// Settings with no default, shown commented out with an example.
fn commented_examples(path: &str) -> &'static [(&'static str, &'static str)] {
    match path {
        "input" => &[
            ("id_property = \"PIN\"", "property holding the parcel id; absent: the GeoJSON id, else the feature index"),
            ("crs = \"EPSG:4490\"", "input CRS when the file declares none (or a wrong one); \"GCJ-02\" corrects web-map offsets"),
            ("working_epsg = 32651", "metric CRS to measure in; absent: the UTM zone of the data (an equal-area one past 6° of longitude)"),
            ("layer = \"parcels\"", "the layer of a GeoPackage, File Geodatabase or PostGIS source with several (or --layer)"),
            ("encoding = \"GBK\"", "text encoding of a GDAL source's attributes; absent: a Shapefile's .cpg, else UTF-8"),
        ],
        "input.rename" => &[("floor_area = \"floor_area_m2\"", "the field floor_area read as the property floor_area_m2")],
        "output" => &[("crs = \"EPSG:4527\"", "CRS of the written plan (or --out-crs); absent: EPSG:4326 for GeoJSON, the input's CRS for .gpkg, .fgb, .shp")],
        "mapping" => &[
            ("preset = \"gb50137\"", "osm (the default without rules), gb50137, euluc, gb21010, ydyh or none"),
            ("field = \"gb_code\"", "the property a code preset reads (gb_code, Level2, DLBM, YDYHFLDM by default)"),
            ("status_field = \"vacancy\"", "a property whose derelict/vacant/yes value marks the parcel derelict"),
            ("candidate_field = \"reuse\"", "a property whose yes value makes the parcel a candidate"),
        ],
        "mapping.facts" => &[
            ("population = \"pop\"", "residents"),
            ("floor_area_m2 = \"floor_m2\"", "gross floor area, m² (or floor_area_ft2)"),
            ("heritage = \"listed\"", "yes-like: heritage"),
            ("contaminated = \"brownfield\"", "yes-like: contaminated"),
            ("land_value = \"price_m2\"", "currency per m², for auction revenue"),
        ],
        "scoring" => &[(
            "centre_lonlat = [125.0, 46.6]",
            "the city centre, lon/lat; absent: the population-weighted centroid",
        )],
        "plan" => &[
            ("cap = \"120ha\"", "total land-scale cap (required here or as --cap): \"120ha\", \"1800mu\", \"1.2km2\""),
            ("construction_target_ha = 5830", "construction land after the plan at most this, ha"),
            ("budget = 1.5e8", "Σ cost ≤ budget + Σ auction revenue; offers redevelop"),
            ("phase_budgets = [5e7, 5e7, 5e7]", "new money per phase of --phases"),
            ("revenue_shortfall = \"30%\"", "money stays ≥ 0 in every phase if auctions bring 30 % less"),
            ("remediation = { green = \"type1\", cultural = \"type2\", type1_per_m2 = 400, type2_per_m2 = 200 }", "GB 36600-2018 remediation by end use (see [plan.remediation] in the README)"),
        ],
        "plan.bounds" => &[
            ("green = { max = \"60%\" }", "at most 60 % of the cap in parks"),
            ("ecological = { min = \"450mu\" }", "at least 30 ha returned to nature"),
        ],
        "plan.locks" => &[("\"P0000023\" = \"green\"", "a use, or \"out\" (never convert)")],
        _ => &[],
    }
}

/// The annotated default configuration (see the [module docs](self)).
///
/// ```
/// use std::path::Path;
/// use landstock::Config;
/// let text = landstock::config::annotated_default();
/// assert!(text.contains("time_limit_s = 60.0"));
/// let back = Config::from_toml_str(&text, Path::new("default.toml")).unwrap();
/// assert_eq!(back, Config::default());
/// ```
pub fn annotated_default() -> String {
    let value = Value::try_from(Config::default()).expect("the default config serialises");
    let Value::Table(root) = value else {
        unreachable!("a config is a table")
    };
    let mut out = String::from(
        "# landstock configuration: every setting with its default.\n\
         # Lines starting with `# ` followed by a key are settings without a\n\
         # default, with an example value: remove the `# ` to use one.\n\
         # Unknown keys are errors that name the key.\n",
    );
    for (name, v) in &root {
        if let Value::Table(t) = v {
            section(&mut out, name, t);
        }
    }
    out
}

fn section(out: &mut String, path: &str, t: &Table) {
    out.push('\n');
    if let Some(doc) = section_doc(path) {
        let _ = writeln!(out, "# {doc}");
    }
    let _ = writeln!(out, "[{path}]");
    for (k, v) in t {
        if matches!(v, Value::Table(_)) {
            continue;
        }
        let doc = key_doc(path, k).unwrap_or("");
        let _ = writeln!(out, "# {doc}");
        let _ = writeln!(out, "{k} = {v}");
    }
    for (example, doc) in commented_examples(path) {
        let _ = writeln!(out, "# {doc}");
        let _ = writeln!(out, "# {example}");
    }
    if path == "mapping" {
        out.push_str(
            "# a rule, tried before the preset (any number of them):\n\
             # [[mapping.rule]]\n\
             # when = { zoning = [\"I-*\", \"ICMX\"], use = \"Lot\" }\n\
             # land_use = \"industrial\"\n\
             # status = \"derelict\"\n",
        );
    }
    for (k, v) in t {
        if let Value::Table(sub) = v {
            section(out, &format!("{path}.{k}"), sub);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn the_annotated_default_reads_back_as_the_defaults() {
        let text = annotated_default();
        let back = Config::from_toml_str(&text, Path::new("default.toml")).unwrap();
        assert_eq!(back, Config::default());
        // and holds every serialised default, not fewer keys that default anyway
        let raw: Table = toml::from_str(&text).unwrap();
        assert_eq!(
            Value::Table(raw),
            Value::try_from(Config::default()).unwrap()
        );
    }

    #[test]
    fn every_setting_and_section_is_documented() {
        let text = annotated_default();
        let lines: Vec<&str> = text.lines().collect();
        for (k, line) in lines.iter().enumerate() {
            if line.starts_with('[') {
                assert!(
                    lines[k - 1].starts_with("# ") && lines[k - 1].len() > 3,
                    "section {line} has no comment"
                );
            } else if !line.starts_with('#') && line.contains(" = ") {
                assert!(
                    lines[k - 1].starts_with("# ") && lines[k - 1].len() > 3,
                    "{line} has no comment (after {})",
                    lines[k - 1]
                );
            }
        }
    }

    #[test]
    fn the_commented_examples_parse_too() {
        // uncommenting every example gives a valid config
        let text: String = annotated_default()
            .lines()
            .filter(|l| *l != "rule = []")
            .map(|l| match l.strip_prefix("# ") {
                Some(rest) if rest.contains(" = ") || rest.starts_with("[[") => rest,
                _ => l,
            })
            .collect::<Vec<_>>()
            .join("\n");
        let cfg = Config::from_toml_str(&text, Path::new("examples.toml")).unwrap();
        assert_eq!(cfg.plan.cap, Some(120.0));
        assert_eq!(
            cfg.plan.bounds["ecological"].min,
            Some(super::super::AreaLimit::Ha(30.0))
        );
        assert_eq!(cfg.input.crs.as_deref(), Some("EPSG:4490"));
        assert_eq!(cfg.mapping.rules.len(), 1);
    }
}
