//! Tag mapping: a feature's property values → canonical [`LandUse`],
//! [`Status`] and [`Facts`] (SPEC §1 "Tag mapping").
//!
//! A [`TagMapping`] is built once from `[mapping]` (or a preset name) and then
//! classifies features from any number of threads. For each feature:
//!
//! 1. **land use**: the first matching user rule that gives one; else the
//!    preset (`osm`, `gb50137`, `euluc`, `gb21010`, `ydyh`); else [`LandUse::Unknown`], with
//!    [`Classification::unmapped`] saying which value mapped to nothing;
//! 2. **status**: the first matching user rule that gives one; else derelict
//!    when the `status_field` or the preset says so (e.g. OSM `abandoned=yes`,
//!    `landuse=brownfield`); else active;
//! 3. **facts**: read from the properties named in `[mapping.facts]`; a flag
//!    (heritage, contaminated, candidate) is also set by any matching rule.
//!    Unreadable values become [`Classification::warnings`] and count as
//!    missing, never as errors: one bad cell must not stop a city's run.
//!
//! ```
//! use landstock::{LandUse, Status, TagMapping};
//! let osm = TagMapping::preset("osm").unwrap();
//! let props = serde_json::json!({"landuse": "brownfield"});
//! let c = osm.classify(props.as_object());
//! assert_eq!((c.land_use, c.status), (LandUse::Industrial, Status::Derelict));
//! ```

mod euluc;
mod facts;
mod gb21010;
mod gb50137;
mod osm;
mod pattern;
mod table;
mod value;
mod ydyh;

use serde_json::{Map, Value};

use crate::config::{ConfigError, MappingConfig};
use crate::{Facts, LandUse, Status};
use facts::FactFields;
use table::RuleTable;

/// Turns feature properties into land use, status and facts.
///
/// Built once, then shared: it is `Send + Sync` and holds no state between
/// calls, so [`TagMapping::classify`] may run on many threads at once.
///
/// ```
/// use std::path::Path;
/// use landstock::{Config, LandUse, Status, TagMapping};
/// let cfg = Config::from_toml_str(r#"
///     [mapping]
///     preset = "gb50137"
///     field = "YDDM"
///     [[mapping.rule]]
///     when = { YDDM = "M*", vacancy = "yes" }
///     land_use = "industrial"
///     status = "derelict"
/// "#, Path::new("daqing.toml")).unwrap();
/// let mapping = TagMapping::from_config(&cfg.mapping).unwrap();
/// let idle = serde_json::json!({"YDDM": "M2", "vacancy": "Yes"});
/// assert_eq!(mapping.classify(idle.as_object()).status, Status::Derelict);
/// let park = serde_json::json!({"YDDM": "G1"});
/// assert_eq!(mapping.classify(park.as_object()).land_use, LandUse::Green);
/// ```
#[derive(Debug, Clone)]
pub struct TagMapping {
    preset: Preset,
    rules: RuleTable,
    fields: FactFields,
}

/// A built-in vocabulary and the property it reads.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Preset {
    None,
    Osm,
    Gb50137 { field: String },
    Euluc { field: String },
    Gb21010 { field: String },
    Ydyh { field: String },
}

/// What a preset decided: a class or the unmapped value, and whether its
/// tags say derelict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PresetOutcome {
    pub land_use: Result<LandUse, String>,
    pub derelict: bool,
}

impl PresetOutcome {
    /// A code-table preset (gb50137, euluc): the class of the code in `field`,
    /// or the unmapped `field=code` (`field=(missing)` when absent).
    pub(crate) fn from_code(
        props: &value::Props,
        field: &str,
        class_of: impl Fn(&str) -> Option<LandUse>,
    ) -> PresetOutcome {
        PresetOutcome::from_code_value(props, field, value::text, class_of)
    }

    /// [`PresetOutcome::from_code`] with the property's value read as text by
    /// `text` (e.g. [`value::code_text`], which restores leading zeros).
    pub(crate) fn from_code_value<'p>(
        props: &'p value::Props,
        field: &str,
        text: impl Fn(Option<&'p serde_json::Value>) -> Option<std::borrow::Cow<'p, str>>,
        class_of: impl Fn(&str) -> Option<LandUse>,
    ) -> PresetOutcome {
        let land_use = match text(props.get(field)) {
            None => Err(format!("{field}=(missing)")),
            Some(code) => class_of(&code).ok_or_else(|| format!("{field}={code}")),
        };
        PresetOutcome {
            land_use,
            derelict: false,
        }
    }
}

/// The result of classifying one feature.
///
/// ```
/// use landstock::{LandUse, TagMapping};
/// let c = TagMapping::preset("gb50137").unwrap()
///     .classify(serde_json::json!({"gb_code": "X9"}).as_object());
/// assert_eq!(c.land_use, LandUse::Unknown);
/// assert_eq!(c.unmapped.as_deref(), Some("gb_code=X9"));
/// assert!(c.warnings.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Classification {
    /// The canonical class ([`LandUse::Unknown`] when nothing mapped).
    pub land_use: LandUse,
    /// Active or derelict.
    pub status: Status,
    /// The optional facts that were found.
    pub facts: Facts,
    /// The value that mapped to nothing (e.g. `landuse=lane`, `gb_code=X9`),
    /// when `land_use` is `Unknown`; `None` when mapped.
    pub unmapped: Option<String>,
    /// Values that could not be read, e.g. `population: "abc" is not a
    /// number; treated as missing`.
    pub warnings: Vec<String>,
}

/// The `osm` preset: GeoJSON exported from OpenStreetMap is the most common
/// input without a config.
///
/// ```
/// assert_eq!(landstock::TagMapping::default().preset_name(), "osm");
/// ```
impl Default for TagMapping {
    fn default() -> Self {
        TagMapping::preset("osm").expect("the osm preset is built in")
    }
}

impl TagMapping {
    /// Builds the mapping from `[mapping]`, checking every rule.
    ///
    /// ```
    /// use landstock::{config::MappingConfig, TagMapping};
    /// let cfg = MappingConfig { preset: Some("euluc".into()), field: Some("L2".into()), ..Default::default() };
    /// let m = TagMapping::from_config(&cfg).unwrap();
    /// assert_eq!(m.preset_name(), "euluc");
    /// let bad = MappingConfig { preset: Some("osm".into()), field: Some("code".into()), ..Default::default() };
    /// assert_eq!(TagMapping::from_config(&bad).unwrap_err().key, "mapping.field");
    /// ```
    pub fn from_config(cfg: &MappingConfig) -> Result<TagMapping, ConfigError> {
        cfg.validate()?;
        let field = cfg.field.as_deref().map(|f| f.trim().to_string());
        let preset = match cfg.preset_name().as_str() {
            "gb50137" => Preset::Gb50137 {
                field: field.unwrap_or_else(|| "gb_code".into()),
            },
            "euluc" => Preset::Euluc {
                field: field.unwrap_or_else(|| "Level2".into()),
            },
            "gb21010" => Preset::Gb21010 {
                field: field.unwrap_or_else(|| "DLBM".into()),
            },
            "ydyh" => Preset::Ydyh {
                field: field.unwrap_or_else(|| "YDYHFLDM".into()),
            },
            "none" => Preset::None,
            _ => Preset::Osm,
        };
        Ok(TagMapping {
            preset,
            rules: RuleTable::compile(&cfg.rules),
            fields: FactFields::compile(cfg),
        })
    }

    /// A built-in preset with its default field: `"osm"`, `"gb50137"`
    /// (reads `gb_code`), `"euluc"` (reads `Level2`), `"gb21010"` (the Third
    /// National Land Survey's GB/T 21010-2017 codes in `DLBM`) or `"ydyh"`
    /// (the 2023 land- and sea-use classification of territorial spatial
    /// planning, 用地用海分类, in `YDYHFLDM`).
    ///
    /// ```
    /// use landstock::{LandUse, TagMapping};
    /// let m = TagMapping::preset("euluc").unwrap();
    /// assert_eq!(m.classify(serde_json::json!({"Level2": 505}).as_object()).land_use, LandUse::Green);
    /// let sandiao = TagMapping::preset("gb21010").unwrap();
    /// assert_eq!(sandiao.classify(serde_json::json!({"DLBM": "1201"}).as_object()).land_use, LandUse::Vacant);
    /// let ydyh = TagMapping::preset("ydyh").unwrap();
    /// assert_eq!(ydyh.classify(serde_json::json!({"YDYHFLDM": "1401"}).as_object()).land_use, LandUse::Green);
    /// assert!(TagMapping::preset("corine").is_err());
    /// ```
    pub fn preset(name: &str) -> Result<TagMapping, ConfigError> {
        TagMapping::from_config(&MappingConfig {
            preset: Some(name.to_string()),
            ..Default::default()
        })
    }

    /// The preset in use: `osm`, `gb50137`, `euluc`, `gb21010`, `ydyh` or `none`.
    ///
    /// ```
    /// use landstock::{config::MappingConfig, TagMapping};
    /// assert_eq!(TagMapping::from_config(&MappingConfig::default()).unwrap().preset_name(), "osm");
    /// ```
    pub fn preset_name(&self) -> &'static str {
        match self.preset {
            Preset::None => "none",
            Preset::Osm => "osm",
            Preset::Gb50137 { .. } => "gb50137",
            Preset::Euluc { .. } => "euluc",
            Preset::Gb21010 { .. } => "gb21010",
            Preset::Ydyh { .. } => "ydyh",
        }
    }

    /// Classifies one feature's `properties` (`None` for a feature without
    /// properties, which is unmapped).
    ///
    /// ```
    /// use landstock::{LandUse, Status, TagMapping};
    /// let osm = TagMapping::preset("osm").unwrap();
    /// let c = osm.classify(serde_json::json!({"landuse": "industrial", "abandoned": "yes"}).as_object());
    /// assert_eq!((c.land_use, c.status, c.unmapped), (LandUse::Industrial, Status::Derelict, None));
    /// let c = osm.classify(serde_json::json!({"landuse": "lane"}).as_object());
    /// assert_eq!((c.land_use, c.unmapped.as_deref()), (LandUse::Unknown, Some("landuse=lane")));
    /// assert_eq!(osm.classify(None).unmapped.as_deref(), Some("(no properties)"));
    /// ```
    pub fn classify(&self, props: Option<&Map<String, Value>>) -> Classification {
        let Some(props) = props else {
            return Classification {
                land_use: LandUse::Unknown,
                status: Status::Active,
                facts: Facts::default(),
                unmapped: Some("(no properties)".into()),
                warnings: Vec::new(),
            };
        };
        let ruled = self.rules.apply(props);
        let preset = match &self.preset {
            Preset::None => None,
            Preset::Osm => Some(osm::classify(props)),
            Preset::Gb50137 { field } => Some(gb50137::classify(props, field)),
            Preset::Euluc { field } => Some(euluc::classify(props, field)),
            Preset::Gb21010 { field } => Some(gb21010::classify(props, field)),
            Preset::Ydyh { field } => Some(ydyh::classify(props, field)),
        };

        let (land_use, unmapped) = match (ruled.land_use, &preset) {
            (Some(u), _) => (u, None),
            (
                None,
                Some(PresetOutcome {
                    land_use: Ok(u), ..
                }),
            ) => (*u, None),
            (
                None,
                Some(PresetOutcome {
                    land_use: Err(v), ..
                }),
            ) => (LandUse::Unknown, Some(v.clone())),
            (None, None) if self.rules.sets_land_use() => {
                (LandUse::Unknown, Some(self.rules.describe(props)))
            }
            (None, None) => (
                LandUse::Unknown,
                Some("(no preset and no land-use rule)".into()),
            ),
        };

        let status = ruled.status.unwrap_or({
            if self.fields.status_says_derelict(props)
                || preset.as_ref().is_some_and(|p| p.derelict)
            {
                Status::Derelict
            } else {
                Status::Active
            }
        });

        let mut warnings = Vec::new();
        let mut facts = self.fields.read(props, &mut warnings);
        facts.heritage |= ruled.heritage;
        facts.contaminated |= ruled.contaminated;
        facts.candidate_flag |= ruled.candidate;

        Classification {
            land_use,
            status,
            facts,
            unmapped,
            warnings,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use serde_json::json;
    use std::path::Path;

    fn mapping(toml: &str) -> TagMapping {
        let cfg = Config::from_toml_str(toml, Path::new("t.toml")).unwrap();
        TagMapping::from_config(&cfg.mapping).unwrap()
    }

    fn classify(m: &TagMapping, v: serde_json::Value) -> Classification {
        m.classify(v.as_object())
    }

    #[test]
    fn tag_mapping_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<TagMapping>();
        check::<Classification>();
    }

    #[test]
    fn rules_come_before_the_preset() {
        let m = mapping(
            r#"
            [mapping]
            preset = "osm"
            [[mapping.rule]]
            when = { landuse = "cemetery" }
            land_use = "utility"
        "#,
        );
        assert_eq!(
            classify(&m, json!({"landuse": "cemetery"})).land_use,
            LandUse::Utility
        );
        assert_eq!(
            classify(&m, json!({"landuse": "grass"})).land_use,
            LandUse::Green,
            "falls through to the preset"
        );
    }

    #[test]
    fn preset_status_survives_a_rule_land_use() {
        let m = mapping(
            r#"
            [mapping]
            preset = "osm"
            [[mapping.rule]]
            when = { landuse = "brownfield", name = "*gasworks*" }
            land_use = "utility"
        "#,
        );
        let c = classify(&m, json!({"landuse": "brownfield", "name": "Old Gasworks"}));
        assert_eq!((c.land_use, c.status), (LandUse::Utility, Status::Derelict));
    }

    #[test]
    fn rule_status_overrides_status_field() {
        let m = mapping(
            r#"
            [mapping]
            preset = "gb50137"
            status_field = "state"
            [[mapping.rule]]
            when = { owner = "Land Bank" }
            status = "active"
        "#,
        );
        assert_eq!(
            classify(&m, json!({"gb_code": "M1", "state": "vacant"})).status,
            Status::Derelict
        );
        let c = classify(
            &m,
            json!({"gb_code": "M1", "state": "vacant", "owner": "land bank"}),
        );
        assert_eq!(c.status, Status::Active);
    }

    #[test]
    fn default_preset_depends_on_rules() {
        assert_eq!(mapping("").preset_name(), "osm");
        let m = mapping("[[mapping.rule]]\nwhen = { t = \"Lot\" }\nland_use = \"vacant\"\n");
        assert_eq!(m.preset_name(), "none");
        let c = classify(&m, json!({"t": "Shed"}));
        assert_eq!(
            (c.land_use, c.unmapped.as_deref()),
            (LandUse::Unknown, Some("t=Shed"))
        );
    }

    #[test]
    fn unmapped_without_any_land_use_source() {
        let m = mapping("[mapping]\npreset = \"none\"\n");
        let c = classify(&m, json!({"a": 1}));
        assert_eq!(
            c.unmapped.as_deref(),
            Some("(no preset and no land-use rule)")
        );
    }

    #[test]
    fn gb50137_reads_the_configured_field() {
        let m = mapping("[mapping]\npreset = \"gb50137\"\nfield = \"YDDM\"\n");
        assert_eq!(
            classify(&m, json!({"YDDM": "w1"})).land_use,
            LandUse::Logistics
        );
        let c = classify(&m, json!({"gb_code": "W1"}));
        assert_eq!(c.unmapped.as_deref(), Some("YDDM=(missing)"));
    }

    #[test]
    fn rule_facts_and_field_facts_combine() {
        let m = mapping(
            r#"
            [mapping.facts]
            heritage = "listed"
            population = "pop"
            [[mapping.rule]]
            when = { historic_criteria = "*" }
            heritage = true
            [[mapping.rule]]
            when = { flagged = "yes" }
            candidate = true
        "#,
        );
        assert!(
            classify(&m, json!({"historic_criteria": "A&C"}))
                .facts
                .heritage
        );
        assert!(classify(&m, json!({"listed": "t"})).facts.heritage);
        assert!(
            !classify(&m, json!({"listed": "no", "historic_criteria": null}))
                .facts
                .heritage
        );
        assert!(classify(&m, json!({"flagged": "YES"})).facts.candidate_flag);
        let c = classify(&m, json!({"pop": "abc"}));
        assert_eq!(
            c.warnings,
            ["population (property \"pop\"): \"abc\" is not a number; treated as missing"]
        );
        assert_eq!(c.facts.population, None);
    }

    #[test]
    fn candidate_field_sets_the_flag() {
        let m = mapping("[mapping]\ncandidate_field = \"reuse\"\n");
        assert!(classify(&m, json!({"reuse": "Y"})).facts.candidate_flag);
        assert!(!classify(&m, json!({"reuse": "0"})).facts.candidate_flag);
    }
}
