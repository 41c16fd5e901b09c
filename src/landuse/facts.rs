//! Reading the optional facts (SPEC §1–2) and the status and candidate
//! fields from the properties named in `[mapping]`.

use crate::config::MappingConfig;
use crate::landuse::value::{flag, number, quoted, text, Flag, Props};
use crate::Facts;
#[cfg(test)]
use crate::Status;

/// Square feet to square metres (exact by definition of the international foot).
const M2_PER_FT2: f64 = 0.092_903_04;

/// Values of a status field that mark a parcel derelict (besides yes-like ones).
const DERELICT_WORDS: [&str; 5] = ["derelict", "abandoned", "vacant", "disused", "brownfield"];

/// Which property holds each fact.
#[derive(Debug, Clone, Default)]
pub(crate) struct FactFields {
    population: Option<String>,
    /// The property and the factor to m².
    floor_area: Option<(String, f64)>,
    heritage: Option<String>,
    contaminated: Option<String>,
    land_value: Option<String>,
    candidate: Option<String>,
    status: Option<String>,
}

impl FactFields {
    /// The fact properties of a checked [`MappingConfig`].
    pub(crate) fn compile(cfg: &MappingConfig) -> FactFields {
        let f = &cfg.facts;
        let floor_area = match (&f.floor_area_m2, &f.floor_area_ft2) {
            (Some(p), _) => Some((p.clone(), 1.0)),
            (None, Some(p)) => Some((p.clone(), M2_PER_FT2)),
            (None, None) => None,
        };
        FactFields {
            population: f.population.clone(),
            floor_area,
            heritage: f.heritage.clone(),
            contaminated: f.contaminated.clone(),
            land_value: f.land_value.clone(),
            candidate: cfg.candidate_field.clone(),
            status: cfg.status_field.clone(),
        }
    }

    /// Reads the facts; problems become warnings and the fact is treated as missing.
    pub(crate) fn read(&self, props: &Props, warnings: &mut Vec<String>) -> Facts {
        Facts {
            population: self.non_negative("population", &self.population, 1.0, props, warnings),
            floor_area_m2: self.floor_area.as_ref().and_then(|(p, factor)| {
                self.non_negative("floor_area_m2", &Some(p.clone()), *factor, props, warnings)
            }),
            heritage: yes("heritage", &self.heritage, props, warnings),
            contaminated: yes("contaminated", &self.contaminated, props, warnings),
            land_value_per_m2: self.non_negative(
                "land_value",
                &self.land_value,
                1.0,
                props,
                warnings,
            ),
            candidate_flag: yes("candidate", &self.candidate, props, warnings),
        }
    }

    /// Whether the status field marks the parcel derelict.
    pub(crate) fn status_says_derelict(&self, props: &Props) -> bool {
        let Some(field) = &self.status else {
            return false;
        };
        let v = props.get(field);
        flag(v) == Flag::Yes
            || text(v).is_some_and(|t| DERELICT_WORDS.iter().any(|w| t.eq_ignore_ascii_case(w)))
    }

    /// Status implied by the status field alone.
    #[cfg(test)]
    pub(crate) fn status(&self, props: &Props) -> Status {
        if self.status_says_derelict(props) {
            Status::Derelict
        } else {
            Status::Active
        }
    }

    fn non_negative(
        &self,
        fact: &str,
        field: &Option<String>,
        factor: f64,
        props: &Props,
        warnings: &mut Vec<String>,
    ) -> Option<f64> {
        let field = field.as_ref()?;
        let raw = props.get(field);
        match number(raw) {
            Ok(Some(x)) if x < 0.0 => {
                warnings.push(format!(
                    "{}: {} is negative; treated as missing",
                    label(fact, field),
                    quoted(raw?)
                ));
                None
            }
            Ok(x) => x.map(|x| x * factor),
            Err(()) => {
                warnings.push(format!(
                    "{}: {} is not a number; treated as missing",
                    label(fact, field),
                    quoted(raw?)
                ));
                None
            }
        }
    }
}

fn yes(fact: &str, field: &Option<String>, props: &Props, warnings: &mut Vec<String>) -> bool {
    let Some(field) = field else { return false };
    let raw = props.get(field);
    match flag(raw) {
        Flag::Yes => true,
        Flag::No => false,
        Flag::Unrecognised => {
            let shown = raw.map(quoted).unwrap_or_default();
            warnings.push(format!(
                "{}: {shown} is not yes/no (yes/true/1/y/t or no/false/0/n/f); treated as no",
                label(fact, field)
            ));
            false
        }
    }
}

/// `population`, or `population (property "POP2020")` when the names differ.
fn label(fact: &str, field: &str) -> String {
    if fact == field {
        fact.to_string()
    } else {
        format!("{fact} (property {field:?})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::FactsConfig;
    use serde_json::json;

    fn fields() -> FactFields {
        let cfg = MappingConfig {
            status_field: Some("status".into()),
            candidate_field: Some("flag".into()),
            facts: FactsConfig {
                population: Some("population".into()),
                floor_area_ft2: Some("building_sqft".into()),
                heritage: Some("heritage".into()),
                contaminated: Some("contaminated".into()),
                land_value: Some("land_value".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        FactFields::compile(&cfg)
    }

    fn read(v: serde_json::Value) -> (Facts, Vec<String>) {
        let mut w = Vec::new();
        let f = fields().read(v.as_object().unwrap(), &mut w);
        (f, w)
    }

    #[test]
    fn reads_all_facts() {
        let (f, w) = read(json!({
            "population": "1,204", "building_sqft": "93,088", "heritage": "Y",
            "contaminated": 1, "land_value": 850.5, "flag": "true"
        }));
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(f.population, Some(1204.0));
        assert!((f.floor_area_m2.unwrap() - 93088.0 * 0.09290304).abs() < 1e-9);
        assert!(f.heritage && f.contaminated && f.candidate_flag);
        assert_eq!(f.land_value_per_m2, Some(850.5));
    }

    #[test]
    fn bad_numbers_warn_and_are_missing() {
        let (f, w) =
            read(json!({"population": "abc", "building_sqft": -5, "land_value": ".39 ac"}));
        assert_eq!(
            (f.population, f.floor_area_m2, f.land_value_per_m2),
            (None, None, None)
        );
        assert_eq!(
            w,
            [
                "population: \"abc\" is not a number; treated as missing",
                "floor_area_m2 (property \"building_sqft\"): -5 is negative; treated as missing",
                "land_value: \".39 ac\" is not a number; treated as missing",
            ]
        );
    }

    #[test]
    fn missing_facts_are_silent() {
        let (f, w) = read(json!({"population": null, "heritage": ""}));
        assert_eq!(f, Facts::default());
        assert!(w.is_empty());
    }

    #[test]
    fn unrecognised_flag_warns() {
        let (f, w) = read(json!({"heritage": "Grade II"}));
        assert!(!f.heritage);
        assert_eq!(w.len(), 1);
        assert!(
            w[0].starts_with("heritage: \"Grade II\" is not yes/no"),
            "{}",
            w[0]
        );
    }

    #[test]
    fn status_field_words() {
        let ff = fields();
        for v in [
            json!("Derelict"),
            json!("ABANDONED"),
            json!("vacant"),
            json!("disused"),
            json!("brownfield"),
            json!("yes"),
            json!(true),
            json!("1"),
        ] {
            assert_eq!(
                ff.status(json!({ "status": v.clone() }).as_object().unwrap()),
                Status::Derelict,
                "{v}"
            );
        }
        for v in [json!("occupied"), json!("no"), json!(null), json!("active")] {
            assert_eq!(
                ff.status(json!({ "status": v.clone() }).as_object().unwrap()),
                Status::Active,
                "{v}"
            );
        }
    }

    #[test]
    fn both_floor_area_units_is_an_error() {
        let mut cfg = MappingConfig::default();
        cfg.facts.floor_area_m2 = Some("a".into());
        cfg.facts.floor_area_ft2 = Some("b".into());
        assert_eq!(
            // checked with the rest of [mapping] when the config is read
            cfg.validate().unwrap_err().key,
            "mapping.facts.floor_area_ft2"
        );
    }
}
