//! The `osm` preset: OpenStreetMap `landuse`, `leisure` and `natural` tags.
//!
//! Tags are read from the feature's properties, then from a `tags` object
//! (Overpass/osmium exports), then from GDAL's `other_tags` hstore text
//! (`"abandoned"=>"yes","building"=>"industrial"`), so files written by the
//! GDAL OSM driver classify without preprocessing.
//!
//! **Precedence** when several keys are present: `leisure`, then `landuse`,
//! then `natural`; the first key whose value maps wins, and a feature is
//! unmapped only when none does. Reason: `leisure=park` states the managed
//! use (a park is green whatever grows in it), `landuse` states use, and
//! `natural` only states cover (scrub on a brownfield is still a brownfield).
//! `amenity` and `building` alone never classify: they describe a building or
//! a point of interest, not the use of the whole parcel.
//!
//! **Status**: `abandoned=*` or `disused=*` with a yes-like value, a
//! `landuse=brownfield`, or a lifecycle-prefixed `abandoned:landuse=…` /
//! `disused:landuse=…` (used when plain `landuse` is absent) mark the parcel
//! derelict.

use std::borrow::Cow;

use serde_json::Value;

use crate::landuse::value::{flag, text, Flag, Props};
use crate::landuse::PresetOutcome;
use crate::LandUse;

/// `landuse=*` values. Each line gives the class and why.
fn landuse(v: &str) -> Option<LandUse> {
    Some(match v {
        "residential" => LandUse::Residential,
        "commercial" => LandUse::Commercial,
        // Shops are commerce (GB 50137 B1).
        "retail" => LandUse::Commercial,
        "industrial" => LandUse::Industrial,
        // A former industrial site awaiting reuse: industrial origin, derelict (SPEC §1).
        "brownfield" => LandUse::Industrial,
        // Land cleared or scheduled for building: vacant construction land (SPEC §1).
        "greenfield" | "construction" => LandUse::Vacant,
        // Rail corridors and yards are transport land (GB 50137 S / H21).
        "railway" => LandUse::Transport,
        // Forest and farmland are non-construction land (GB 50137 E2).
        "forest" | "farmland" => LandUse::Ecological,
        // Meadows are semi-natural grassland, not mown lawn (E9-like).
        "meadow" => LandUse::Ecological,
        // Urban `landuse=grass` is mostly verges and lawns: a planner calls it green (G2 protective green).
        "grass" => LandUse::Green,
        // Green-space inventories (e.g. UK PPG17's typology, US open-space plans) count
        // cemeteries as green space: planted, permanent, open. Counts toward park provision;
        // add a rule mapping `landuse = "cemetery"` to `utility` if your city should not.
        "cemetery" => LandUse::Green,
        // Reservoirs and (storm-water) basins are water bodies (GB 50137 E1).
        "reservoir" | "basin" => LandUse::Water,
        // Schools and places of worship are public facilities (GB 50137 A3, A9).
        "education" | "religious" => LandUse::Public,
        _ => return None,
    })
}

/// `leisure=*` values: parks and gardens are green space (GB 50137 G1).
fn leisure(v: &str) -> Option<LandUse> {
    match v {
        "park" | "garden" => Some(LandUse::Green),
        _ => None,
    }
}

/// `natural=*` values.
fn natural(v: &str) -> Option<LandUse> {
    match v {
        // Open water (GB 50137 E1).
        "water" => Some(LandUse::Water),
        // Wetland, woods, scrub and grassland are ecological land (E2/E9).
        "wetland" | "wood" | "scrub" | "grassland" => Some(LandUse::Ecological),
        _ => None,
    }
}

/// The tags of one feature, looked up in properties, `tags`, `other_tags`.
struct Tags<'a> {
    props: &'a Props,
    other: Option<Vec<(String, String)>>,
}

impl<'a> Tags<'a> {
    fn new(props: &'a Props) -> Self {
        let other = props
            .get("other_tags")
            .and_then(Value::as_str)
            .map(parse_hstore);
        Tags { props, other }
    }

    fn get(&self, key: &str) -> Option<Cow<'a, str>> {
        if let Some(t) = text(self.props.get(key)) {
            return Some(t);
        }
        if let Some(t) = text(self.props.get("tags").and_then(|t| t.get(key))) {
            return Some(t);
        }
        let (_, v) = self.other.as_ref()?.iter().find(|(k, _)| k == key)?;
        let v = v.trim();
        (!v.is_empty()).then(|| Cow::Owned(v.to_string()))
    }

    fn is_yes(&self, key: &str) -> bool {
        self.get(key)
            .is_some_and(|v| flag(Some(&Value::String(v.into_owned()))) == Flag::Yes)
    }
}

/// Parses GDAL's hstore-like `other_tags`: `"k"=>"v","k2"=>"v2"` with `\"`
/// and `\\` escapes. Malformed text yields the pairs read so far.
fn parse_hstore(s: &str) -> Vec<(String, String)> {
    fn quoted(chars: &mut std::iter::Peekable<std::str::Chars>) -> Option<String> {
        while chars.peek()?.is_whitespace() {
            chars.next();
        }
        if chars.next()? != '"' {
            return None;
        }
        let mut out = String::new();
        loop {
            match chars.next()? {
                '\\' => out.push(chars.next()?),
                '"' => return Some(out),
                c => out.push(c),
            }
        }
    }
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(k) = quoted(&mut chars) {
        let arrow: String = chars
            .by_ref()
            .skip_while(|c| c.is_whitespace())
            .take(2)
            .collect();
        if arrow != "=>" {
            break;
        }
        let Some(v) = quoted(&mut chars) else { break };
        out.push((k, v));
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ',') {
            chars.next();
        }
    }
    out
}

pub(crate) fn classify(props: &Props) -> PresetOutcome {
    let tags = Tags::new(props);
    let mut derelict = tags.is_yes("abandoned") || tags.is_yes("disused");

    let lower = |v: Cow<str>| v.to_lowercase();
    let leisure_v = tags.get("leisure").map(lower);
    let natural_v = tags.get("natural").map(lower);
    let mut landuse_key = "landuse";
    let mut landuse_v = tags.get("landuse").map(lower);
    if landuse_v.is_none() {
        for prefixed in ["abandoned:landuse", "disused:landuse"] {
            if let Some(v) = tags.get(prefixed) {
                landuse_key = prefixed;
                landuse_v = Some(v.to_lowercase());
                derelict = true;
                break;
            }
        }
    }
    if landuse_v.as_deref() == Some("brownfield") {
        derelict = true;
    }

    let found = leisure_v
        .as_deref()
        .and_then(leisure)
        .or_else(|| landuse_v.as_deref().and_then(landuse))
        .or_else(|| natural_v.as_deref().and_then(natural));
    let land_use = found.ok_or_else(|| {
        let present: Vec<String> = [
            ("leisure", &leisure_v),
            (landuse_key, &landuse_v),
            ("natural", &natural_v),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={v}")))
        .collect();
        if present.is_empty() {
            "no landuse, leisure or natural tag".to_string()
        } else {
            present.join("; ")
        }
    });
    PresetOutcome { land_use, derelict }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::landuse::value::Props;
    use serde_json::json;

    fn run(v: serde_json::Value) -> PresetOutcome {
        let p: Props = v.as_object().unwrap().clone();
        classify(&p)
    }

    #[test]
    fn every_listed_landuse_value() {
        use LandUse::*;
        let expected = [
            ("residential", Residential),
            ("commercial", Commercial),
            ("retail", Commercial),
            ("industrial", Industrial),
            ("brownfield", Industrial),
            ("greenfield", Vacant),
            ("construction", Vacant),
            ("railway", Transport),
            ("forest", Ecological),
            ("farmland", Ecological),
            ("meadow", Ecological),
            ("grass", Green),
            ("cemetery", Green),
            ("reservoir", Water),
            ("basin", Water),
            ("education", Public),
            ("religious", Public),
        ];
        for (v, class) in expected {
            let o = run(json!({ "landuse": v }));
            assert_eq!(o.land_use, Ok(class), "landuse={v}");
            assert_eq!(o.derelict, v == "brownfield", "landuse={v}");
        }
    }

    #[test]
    fn every_listed_leisure_and_natural_value() {
        use LandUse::*;
        for (k, v, class) in [
            ("leisure", "park", Green),
            ("leisure", "garden", Green),
            ("natural", "water", Water),
            ("natural", "wetland", Ecological),
            ("natural", "wood", Ecological),
            ("natural", "scrub", Ecological),
            ("natural", "grassland", Ecological),
        ] {
            assert_eq!(run(json!({ k: v })).land_use, Ok(class), "{k}={v}");
        }
    }

    #[test]
    fn precedence_leisure_then_landuse_then_natural() {
        assert_eq!(
            run(json!({"landuse": "forest", "leisure": "park"})).land_use,
            Ok(LandUse::Green)
        );
        assert_eq!(
            run(json!({"landuse": "brownfield", "natural": "scrub"})).land_use,
            Ok(LandUse::Industrial)
        );
        // An unmapped higher key does not hide a mapped lower one.
        assert_eq!(
            run(json!({"leisure": "pitch", "landuse": "residential"})).land_use,
            Ok(LandUse::Residential)
        );
        assert_eq!(
            run(json!({"landuse": "lane", "natural": "water"})).land_use,
            Ok(LandUse::Water)
        );
    }

    #[test]
    fn abandoned_and_disused_mark_derelict() {
        for k in ["abandoned", "disused"] {
            let o = run(json!({"landuse": "industrial", k: "yes"}));
            assert_eq!(
                (o.land_use, o.derelict),
                (Ok(LandUse::Industrial), true),
                "{k}"
            );
        }
        assert!(!run(json!({"landuse": "industrial", "disused": "no"})).derelict);
        let o = run(json!({"disused:landuse": "industrial"}));
        assert_eq!((o.land_use, o.derelict), (Ok(LandUse::Industrial), true));
    }

    #[test]
    fn other_tags_hstore_is_read() {
        let o = run(
            json!({"landuse": "industrial", "other_tags": "\"abandoned\"=>\"yes\",\"name\"=>\"A \\\"quoted\\\" mill\""}),
        );
        assert_eq!((o.land_use, o.derelict), (Ok(LandUse::Industrial), true));
        let o = run(json!({"landuse": null, "other_tags": "\"landuse\"=>\"farmland\""}));
        assert_eq!(o.land_use, Ok(LandUse::Ecological));
        assert_eq!(
            parse_hstore(r#""a"=>"1", "b"=>"x\"y","c"=>"""#),
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "x\"y".into()),
                ("c".into(), "".into())
            ]
        );
    }

    #[test]
    fn amenity_or_building_alone_is_unmapped() {
        let o = run(json!({"amenity": "school", "building": "yes"}));
        assert_eq!(
            o.land_use,
            Err("no landuse, leisure or natural tag".to_string())
        );
        let o = run(json!({"landuse": "Lane", "leisure": "pitch"}));
        assert_eq!(o.land_use, Err("leisure=pitch; landuse=lane".to_string()));
    }

    #[test]
    fn values_are_case_insensitive() {
        assert_eq!(
            run(json!({"landuse": "Residential "})).land_use,
            Ok(LandUse::Residential)
        );
    }
}
