//! The `euluc` preset: EULUC-China (Essential Urban Land Use Categories,
//! Gong et al. 2020) level-2 codes.
//!
//! Codes are read as integers, so `"0101"`, `"101"`, `101` and `101.0` are
//! the same code. Level-1 codes alone (`1`–`5`) are unmapped: level 1 class
//! 05 mixes public services with parks, so it cannot be placed.

use crate::landuse::value::Props;
use crate::landuse::PresetOutcome;
use crate::LandUse;

/// The class of one level-2 code, or `None` when unmapped.
pub(crate) fn class_of(code: &str) -> Option<LandUse> {
    let t = code.trim();
    let t = t.strip_suffix(".0").unwrap_or(t);
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let n: u32 = t.parse().ok()?;
    Some(match n {
        101 => LandUse::Residential,
        // 0201 business office, 0202 commercial service.
        201 | 202 => LandUse::Commercial,
        301 => LandUse::Industrial,
        // 0401 road, 0402 transport station, 0403 airport.
        401..=403 => LandUse::Transport,
        // 0501 administrative, 0502 educational, 0503 medical, 0504 sport and cultural.
        501..=504 => LandUse::Public,
        // 0505 park and green space.
        505 => LandUse::Green,
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
    fn every_level2_code() {
        use LandUse::*;
        for (code, class) in [
            ("0101", Residential),
            ("0201", Commercial),
            ("0202", Commercial),
            ("0301", Industrial),
            ("0401", Transport),
            ("0402", Transport),
            ("0403", Transport),
            ("0501", Public),
            ("0502", Public),
            ("0503", Public),
            ("0504", Public),
            ("0505", Green),
        ] {
            assert_eq!(class_of(code), Some(class), "{code}");
            assert_eq!(
                class_of(code.trim_start_matches('0')),
                Some(class),
                "{code} without leading zero"
            );
        }
    }

    #[test]
    fn numbers_and_strings_are_the_same_code() {
        for v in [
            json!(101),
            json!("101"),
            json!("0101"),
            json!(101.0),
            json!(" 0101 "),
        ] {
            let p = json!({ "Level2": v }).as_object().unwrap().clone();
            assert_eq!(
                classify(&p, "Level2").land_use,
                Ok(LandUse::Residential),
                "{v}"
            );
        }
    }

    #[test]
    fn unknown_codes_are_unmapped() {
        for s in ["0506", "5", "05", "abc", "0601", "-101"] {
            assert_eq!(class_of(s), None, "{s}");
        }
        let p = json!({"Level2": "0506"}).as_object().unwrap().clone();
        assert_eq!(classify(&p, "Level2").land_use, Err("Level2=0506".into()));
    }
}
