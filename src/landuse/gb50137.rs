//! The `gb50137` preset: China's *Code for classification of urban land use
//! and planning standards of development land* (GB 50137-2011) codes.
//!
//! A code is a letter followed by digits (`R`, `R2`, `M11`, `E12`), read
//! case-insensitively. Major classes map by their letter; `E` and `H` by
//! their first digit, because their sub-classes differ in kind. Anything not
//! of that shape (`Road`, `R2/B1`, `Rb`) is unmapped rather than guessed,
//! so that `Water` is never read as W (logistics); add a user rule for
//! local mixed-use codes.

use crate::landuse::value::Props;
use crate::landuse::PresetOutcome;
use crate::LandUse;

/// The class of one code, or `None` when unmapped.
pub(crate) fn class_of(code: &str) -> Option<LandUse> {
    let code = code.trim().to_ascii_uppercase();
    let mut chars = code.chars();
    let letter = chars.next()?;
    let digits = chars.as_str();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let first_digit = digits.chars().next();
    Some(match letter {
        'R' => LandUse::Residential,
        // A1–A9: administration, culture, education, sports, health, welfare, heritage sites, religion.
        'A' => LandUse::Public,
        'B' => LandUse::Commercial,
        'M' => LandUse::Industrial,
        'W' => LandUse::Logistics,
        'S' => LandUse::Transport,
        'U' => LandUse::Utility,
        'G' => LandUse::Green,
        'E' => match first_digit {
            // E1 water (E11 natural water, E12 reservoirs, E13 ponds).
            Some('1') => LandUse::Water,
            // E2 agricultural land, E9 other non-construction land (idle, saline, sandy, bare land).
            Some('2') | Some('9') => LandUse::Ecological,
            // `E` alone is "non-construction land" as a whole, mostly farmland and
            // forest: ecological. (Water and ecological are both non-construction, so
            // the construction-land indicators are right either way.)
            None => LandUse::Ecological,
            _ => return None,
        },
        // H is urban-rural construction land *outside* the city's own classes.
        'H' => match digits {
            // H1 / H11–H13: city, town and township built-up land as a whole — a container
            // whose use is only known from its R…G sub-codes: unmapped.
            "1" | "11" | "12" | "13" => return None,
            // H14 village construction land: mostly rural homesteads.
            "14" => LandUse::Residential,
            // H2x regional transport (rail, roads, ports, airports, pipelines).
            d if d.starts_with('2') => LandUse::Transport,
            // H3 regional utilities.
            d if d.starts_with('3') => LandUse::Utility,
            // H5 mining land: extractive industry, the typical derelict land of
            // resource cities (Fushun, Jixi).
            d if d.starts_with('5') => LandUse::Industrial,
            // H4 special (military, security) and H9 other: not classes we can plan with.
            _ => return None,
        },
        _ => return None,
    })
}

pub(crate) fn classify(props: &Props, field: &str) -> PresetOutcome {
    PresetOutcome::from_code(props, field, class_of)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn major_classes_by_prefix() {
        use LandUse::*;
        for (code, class) in [
            ("R", Residential),
            ("R2", Residential),
            ("r22", Residential),
            ("A33", Public),
            ("A7", Public),
            ("B1", Commercial),
            ("b41", Commercial),
            ("M1", Industrial),
            ("M3", Industrial),
            ("W2", Logistics),
            ("S4", Transport),
            ("U21", Utility),
            ("G1", Green),
            ("g3", Green),
            (" M2 ", Industrial),
        ] {
            assert_eq!(class_of(code), Some(class), "{code}");
        }
    }

    #[test]
    fn e_codes_by_first_digit() {
        assert_eq!(class_of("E1"), Some(LandUse::Water));
        assert_eq!(class_of("E12"), Some(LandUse::Water));
        assert_eq!(class_of("e13"), Some(LandUse::Water));
        assert_eq!(class_of("E2"), Some(LandUse::Ecological));
        assert_eq!(class_of("E9"), Some(LandUse::Ecological));
        assert_eq!(class_of("E"), Some(LandUse::Ecological));
        assert_eq!(class_of("E3"), None);
        assert_eq!(class_of("E21"), Some(LandUse::Ecological));
    }

    #[test]
    fn h_codes() {
        assert_eq!(class_of("H1"), None);
        assert_eq!(class_of("H11"), None);
        assert_eq!(class_of("H14"), Some(LandUse::Residential));
        assert_eq!(class_of("H21"), Some(LandUse::Transport));
        assert_eq!(class_of("H3"), Some(LandUse::Utility));
        assert_eq!(class_of("H41"), None);
        assert_eq!(class_of("H5"), Some(LandUse::Industrial));
        assert_eq!(class_of("H9"), None);
        assert_eq!(class_of("H"), None);
    }

    #[test]
    fn words_and_mixed_codes_are_not_codes() {
        for s in ["Road", "Water", "R2/B1", "Rb", "X9", "", "9"] {
            assert_eq!(class_of(s), None, "{s}");
        }
    }

    #[test]
    fn unmapped_names_the_field_and_value() {
        let p = json!({"gb_code": "X9"}).as_object().unwrap().clone();
        assert_eq!(classify(&p, "gb_code").land_use, Err("gb_code=X9".into()));
        let p = json!({"other": 1}).as_object().unwrap().clone();
        assert_eq!(
            classify(&p, "gb_code").land_use,
            Err("gb_code=(missing)".into())
        );
    }
}
