//! The TOML configuration tree.
//!
//! One file holds every setting (SPEC §8). Each table rejects keys it does not
//! know, so a typo is an error that names the key instead of a silently
//! ignored setting. Sections for scoring and the plan arrive with those stages.
//!
//! ```
//! use std::path::Path;
//! use landstock::Config;
//! let cfg = Config::from_toml_str(r#"
//!     [input]
//!     id_property = "PIN"
//!     [mapping]
//!     preset = "gb50137"
//! "#, Path::new("city.toml")).unwrap();
//! assert_eq!(cfg.input.id_property.as_deref(), Some("PIN"));
//! assert_eq!(cfg.mapping.preset.as_deref(), Some("gb50137"));
//!
//! let err = Config::from_toml_str("[mapping]\npreset = \"osm\"\nfeild = \"x\"\n", Path::new("city.toml"))
//!     .unwrap_err();
//! assert_eq!(err.key, "mapping.feild");
//! assert!(err.to_string().contains("city.toml"));
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::landuse::TagMapping;
use crate::pipeline::PlanConfig;
use crate::score::ScoringConfig;

/// The whole configuration file.
///
/// ```
/// use landstock::Config;
/// let cfg = Config::default();
/// assert!(cfg.mapping.rules.is_empty());
/// assert_eq!(cfg.input.id_property, None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `[input]`: how features are read.
    #[serde(default)]
    pub input: InputConfig,
    /// `[mapping]`: how property values become land use, status and facts.
    #[serde(default)]
    pub mapping: MappingConfig,
    /// `[scoring]`: radii, transfer thresholds and weights of the
    /// suitability criteria (SPEC §4).
    #[serde(default)]
    pub scoring: ScoringConfig,
    /// `[plan]`: cap, bounds, construction target, budget, locks, solver (SPEC §5).
    #[serde(default)]
    pub plan: PlanConfig,
}

/// `[input]`: how features are read.
///
/// ```
/// use std::path::Path;
/// use landstock::Config;
/// let cfg = Config::from_toml_str("[input]\nid_property = \"\"\nworking_epsg = 32616\n", Path::new("c.toml")).unwrap();
/// assert_eq!(cfg.input.id_property.as_deref(), Some(""), "empty: use the feature id");
/// assert_eq!(cfg.input.working_epsg, Some(32616));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InputConfig {
    /// Property holding the parcel id. Absent or empty: the GeoJSON feature
    /// `id`, else the feature's index in the file.
    pub id_property: Option<String>,
    /// Overrides the input CRS (e.g. `"EPSG:2272"`) when the file's own
    /// declaration is missing or wrong.
    pub crs: Option<String>,
    /// Metric CRS to work in; absent: the UTM zone of the data (SPEC §2).
    pub working_epsg: Option<u32>,
}

impl InputConfig {
    /// Checks that `crs` and `working_epsg` name coordinate reference systems
    /// PROJ knows, and that the working CRS is projected (metres), so a typo
    /// fails at load time instead of after reading the whole file.
    ///
    /// ```
    /// use landstock::config::InputConfig;
    /// let ok = InputConfig { working_epsg: Some(32651), ..InputConfig::default() };
    /// assert!(ok.validate().is_ok());
    /// let lonlat = InputConfig { working_epsg: Some(4326), ..InputConfig::default() };
    /// assert_eq!(lonlat.validate().unwrap_err().key, "input.working_epsg");
    /// let typo = InputConfig { crs: Some("EPGS:2272".into()), ..InputConfig::default() };
    /// assert_eq!(typo.validate().unwrap_err().key, "input.crs");
    /// ```
    pub fn validate(&self) -> Result<(), ConfigError> {
        if let Some(crs) = &self.crs {
            let name = crate::crs::InputCrs::from_name(crs);
            if crs.trim().is_empty() {
                return Err(ConfigError::invalid(
                    "input.crs",
                    "empty CRS name",
                    "name the input CRS, e.g. \"EPSG:2272\", or remove the key to use the file's own",
                ));
            }
            if let Err(e) = crate::crs::CrsPair::new(name.proj_name(), "EPSG:4326").transformer() {
                return Err(ConfigError::invalid(
                    "input.crs",
                    format!("unknown CRS {crs:?} ({e})"),
                    "give an EPSG code such as \"EPSG:2272\"",
                ));
            }
        }
        if let Some(code) = self.working_epsg {
            let hint = "give a projected CRS in metres, e.g. a UTM zone such as 32651, or remove the key to pick the UTM zone of the data";
            let name = crate::crs::InputCrs::from_name(&format!("EPSG:{code}"));
            if name.is_geographic() {
                return Err(ConfigError::invalid(
                    "input.working_epsg",
                    format!("EPSG:{code} is in degrees, not metres"),
                    hint,
                ));
            }
            if let Err(e) = crate::crs::CrsPair::new("EPSG:4326", name.proj_name()).transformer() {
                return Err(ConfigError::invalid(
                    "input.working_epsg",
                    format!("unknown CRS EPSG:{code} ({e})"),
                    hint,
                ));
            }
        }
        Ok(())
    }
}

/// `[mapping]`: how property values become land use, status and facts.
///
/// Order of decision, per feature: the user `rule`s (in file order) first,
/// then `status_field`, then the preset. See [`TagMapping`] for the details.
///
/// ```
/// use std::path::Path;
/// use landstock::Config;
/// let cfg = Config::from_toml_str(r#"
///     [mapping]
///     status_field = "vacancy"
///     [[mapping.rule]]
///     when = { zoning = ["I-*", "ICMX"], use = "Lot" }
///     land_use = "industrial"
///     status = "derelict"
/// "#, Path::new("c.toml")).unwrap();
/// assert_eq!(cfg.mapping.rules.len(), 1);
/// assert_eq!(cfg.mapping.rules[0].when["zoning"].values(), ["I-*", "ICMX"]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MappingConfig {
    /// Built-in vocabulary: `osm`, `gb50137`, `euluc` or `none`. Omitted:
    /// `osm` when there are no rules, `none` when there are.
    pub preset: Option<String>,
    /// The property the `gb50137` or `euluc` preset reads (defaults:
    /// `gb_code`, `Level2`). Not used by `osm`, which reads its own keys.
    pub field: Option<String>,
    /// Property whose value `derelict`, `abandoned`, `vacant`, `disused`,
    /// `brownfield` or a yes-like value (`yes/true/1/y/t`), in any case,
    /// marks the parcel derelict.
    pub status_field: Option<String>,
    /// Property whose yes-like value flags the parcel as a candidate.
    pub candidate_field: Option<String>,
    /// `[[mapping.rule]]`: user rules, tried in file order before the preset.
    #[serde(rename = "rule")]
    pub rules: Vec<RuleConfig>,
    /// `[mapping.facts]`: which property holds each fact.
    pub facts: FactsConfig,
}

/// One `[[mapping.rule]]`.
///
/// `when` lists conditions that must all hold (AND). Each condition is one
/// pattern or a list of patterns (any of them, OR). Patterns compare
/// case-insensitively with surrounding spaces ignored: `"Lot"` is an exact
/// match, `"RES*"` a prefix, `"*house"` a suffix, `"*storage*"` a substring,
/// and `"*"` alone means present, not null and not blank.
///
/// A rule sets at least one of `land_use`, `status`, `heritage`,
/// `contaminated`, `candidate`. For land use and status the first matching
/// rule that gives one wins; a fact flag is set when any matching rule sets it.
///
/// ```
/// use std::path::Path;
/// use landstock::Config;
/// let cfg = Config::from_toml_str(r#"
///     [[mapping.rule]]
///     when = { historic_criteria = "*" }
///     heritage = true
/// "#, Path::new("c.toml")).unwrap();
/// assert_eq!(cfg.mapping.rules[0].heritage, Some(true));
/// assert_eq!(cfg.mapping.rules[0].land_use, None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleConfig {
    /// Property name → pattern(s); all must match.
    pub when: BTreeMap<String, Patterns>,
    /// Canonical class name (see [`crate::LandUse`]).
    #[serde(default)]
    pub land_use: Option<String>,
    /// `active` or `derelict`.
    #[serde(default)]
    pub status: Option<String>,
    /// `true`: the parcel is heritage.
    #[serde(default)]
    pub heritage: Option<bool>,
    /// `true`: the parcel is (suspected) contaminated.
    #[serde(default)]
    pub contaminated: Option<bool>,
    /// `true`: the parcel is a candidate whatever its class.
    #[serde(default)]
    pub candidate: Option<bool>,
}

/// The right-hand side of a `when` condition: one pattern or a list of
/// patterns. Numbers and booleans are accepted and compared as text.
///
/// ```
/// use landstock::config::Patterns;
/// let p: Patterns = toml::from_str::<std::collections::BTreeMap<String, Patterns>>("x = [101, \"0101\"]")
///     .unwrap().remove("x").unwrap();
/// assert_eq!(p.values(), ["101", "0101"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Patterns(pub Vec<String>);

impl Patterns {
    /// The patterns as text.
    pub fn values(&self) -> &[String] {
        &self.0
    }
}

impl Serialize for Patterns {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Patterns {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Patterns;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a pattern (text, number or boolean) or a list of patterns")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Patterns, E> {
                Ok(Patterns(vec![v.to_string()]))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Patterns, E> {
                Ok(Patterns(vec![v.to_string()]))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Patterns, E> {
                Ok(Patterns(vec![v.to_string()]))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Patterns, E> {
                Ok(Patterns(vec![v.to_string()]))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Patterns, E> {
                Ok(Patterns(vec![v.to_string()]))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Patterns, A::Error> {
                let mut out = Vec::new();
                while let Some(one) = seq.next_element::<Patterns>()? {
                    if one.0.len() != 1 {
                        return Err(serde::de::Error::custom(
                            "a pattern list cannot contain lists",
                        ));
                    }
                    out.extend(one.0);
                }
                Ok(Patterns(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// `[mapping.facts]`: which property holds each fact. All optional; a
/// missing fact means not heritage, not contaminated, unknown floor area and
/// population, default land value (SPEC §2).
///
/// Numbers may be JSON numbers or numeric text, with thousands separators
/// (`"93,088"`); anything else, and a negative value, is reported as a warning
/// and treated as missing. Booleans accept `yes/true/1/y/t` in any case.
///
/// ```
/// use std::path::Path;
/// use landstock::Config;
/// let cfg = Config::from_toml_str("[mapping.facts]\nfloor_area_ft2 = \"building_sqft\"\n", Path::new("c.toml")).unwrap();
/// assert_eq!(cfg.mapping.facts.floor_area_ft2.as_deref(), Some("building_sqft"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FactsConfig {
    /// Residents.
    pub population: Option<String>,
    /// Gross floor area in m².
    pub floor_area_m2: Option<String>,
    /// Gross floor area in square feet (converted to m²; US data). Give at
    /// most one of `floor_area_m2` and `floor_area_ft2`.
    pub floor_area_ft2: Option<String>,
    /// Yes-like value: heritage.
    pub heritage: Option<String>,
    /// Yes-like value: contaminated.
    pub contaminated: Option<String>,
    /// Land value in currency per m².
    pub land_value: Option<String>,
}

impl Config {
    /// Parses and validates a configuration. `origin` names the file in
    /// error messages (it is not read). Rules are checked here, so a bad class
    /// name fails at load time, not halfway through a run.
    ///
    /// ```
    /// use std::path::Path;
    /// use landstock::Config;
    /// let err = Config::from_toml_str(
    ///     "[[mapping.rule]]\nwhen = { zone = \"I-2\" }\nland_use = \"industry\"\n",
    ///     Path::new("fishtown.toml"),
    /// ).unwrap_err();
    /// assert_eq!(err.key, "mapping.rule[0].land_use");
    /// assert!(err.to_string().starts_with("unknown land-use class \"industry\" at mapping.rule[0].land_use in fishtown.toml"));
    /// ```
    pub fn from_toml_str(text: &str, origin: &Path) -> Result<Config, ConfigError> {
        let de = toml::Deserializer::parse(text)
            .map_err(|e| ConfigError::from_toml(e, String::new(), text).in_file(origin))?;
        let cfg: Config = serde_path_to_error::deserialize(de).map_err(|e| {
            let key = e.path().to_string();
            ConfigError::from_toml(e.into_inner(), key, text).in_file(origin)
        })?;
        TagMapping::from_config(&cfg.mapping).map_err(|e| e.in_file(origin))?;
        cfg.scoring
            .validate()
            .map_err(|e| ConfigError::invalid(e.key, e.problem, e.hint).in_file(origin))?;
        cfg.input.validate().map_err(|e| e.in_file(origin))?;
        cfg.plan.validate().map_err(|e| e.in_file(origin))?;
        Ok(cfg)
    }

    /// Reads, parses and validates a configuration file.
    ///
    /// ```
    /// use landstock::Config;
    /// let dir = tempfile::tempdir().unwrap();
    /// let path = dir.path().join("c.toml");
    /// std::fs::write(&path, "[mapping]\npreset = \"euluc\"\n").unwrap();
    /// assert_eq!(Config::load(&path).unwrap().mapping.preset.as_deref(), Some("euluc"));
    /// assert!(Config::load(dir.path().join("missing.toml")).is_err());
    /// ```
    pub fn load(path: impl AsRef<Path>) -> Result<Config, ConfigError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            file: Some(path.to_path_buf()),
            key: String::new(),
            line: None,
            problem: format!("cannot read the configuration file ({e})"),
            hint: Some("check the path given with --config".into()),
        })?;
        Config::from_toml_str(&text, path)
    }
}

/// A configuration problem: what is wrong, where (file, key path, line) and
/// what to do. Key paths count array entries from 0: `mapping.rule[2]` is the
/// third `[[mapping.rule]]`.
///
/// ```
/// use landstock::{ConfigError, TagMapping};
/// let err: ConfigError = TagMapping::preset("gb").unwrap_err();
/// assert_eq!(err.key, "mapping.preset");
/// assert!(err.to_string().contains("expected one of osm, gb50137, euluc, none"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    /// The configuration file, when the settings came from one.
    pub file: Option<PathBuf>,
    /// Dotted key path, e.g. `mapping.rule[2].land_use` (empty: the whole file).
    pub key: String,
    /// 1-based line in the file, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub problem: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.problem)?;
        if !self.key.is_empty() {
            write!(f, " at {}", self.key)?;
        }
        if let Some(file) = &self.file {
            write!(f, " in {}", file.display())?;
        }
        if let Some(line) = self.line {
            write!(f, " (line {line})")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, ": {hint}")?;
        }
        Ok(())
    }
}

impl ConfigError {
    /// An error about the value at `key`.
    pub(crate) fn invalid(
        key: impl Into<String>,
        problem: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        ConfigError {
            file: None,
            key: key.into(),
            line: None,
            problem: problem.into(),
            hint: Some(hint.into()),
        }
    }

    /// The same error, naming the file it came from.
    pub(crate) fn in_file(mut self, origin: &Path) -> Self {
        self.file = Some(origin.to_path_buf());
        self
    }

    fn from_toml(e: toml::de::Error, key: String, text: &str) -> Self {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        let message = e.message().trim().to_string();
        // serde's fixed wording for deny_unknown_fields / unknown enum values.
        let (problem, hint) = match message.split_once(", expected ") {
            Some((p, h)) if p.starts_with("unknown field") => (
                p.replacen("unknown field", "unknown key", 1)
                    .replace('`', "\""),
                Some(format!(
                    "expected {}; remove or rename the key",
                    h.replace('`', "")
                )),
            ),
            _ => (message, None),
        };
        ConfigError {
            file: None,
            key,
            line,
            problem,
            hint,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(toml: &str) -> ConfigError {
        Config::from_toml_str(toml, Path::new("fishtown.toml")).unwrap_err()
    }

    #[test]
    fn unknown_key_in_mapping_is_named() {
        let e = err("[mapping]\npreset = \"osm\"\nstatus_feild = \"x\"\n");
        assert_eq!(e.key, "mapping.status_feild");
        assert_eq!(e.line, Some(3));
        assert_eq!(e.file.as_deref(), Some(Path::new("fishtown.toml")));
        let msg = e.to_string();
        assert!(msg.starts_with("unknown key \"status_feild\" at mapping.status_feild in fishtown.toml (line 3): expected one of preset, field,"), "{msg}");
        assert!(msg.contains("status_field"), "{msg}");
    }

    #[test]
    fn unknown_key_in_a_rule_is_named() {
        let e = err("[[mapping.rule]]\nwhen = { a = \"b\" }\nland_use = \"green\"\n[[mapping.rule]]\nwhen = { a = \"c\" }\nlanduse = \"green\"\n");
        assert_eq!(e.key, "mapping.rule[1].landuse");
        assert_eq!(e.line, Some(6));
    }

    #[test]
    fn unknown_section_is_an_error() {
        let e = err("[scorig]\nweights = 1\n");
        assert_eq!(e.key, "scorig");
        assert!(e.to_string().contains("scoring"), "{e}");
    }

    #[test]
    fn scoring_keys_and_weights_are_checked_with_the_rest() {
        let e = err("[scoring]\nweights = 1\n");
        assert_eq!(e.key, "scoring.weights");
        let e = err("[scoring.green.size_fit]\nweight = -0.1\n");
        assert_eq!(e.key, "scoring.green.size_fit.weight");
        assert!(e.to_string().contains("fishtown.toml"), "{e}");
        let e = err("[scoring.ecological.corridor]\nradius = 300\n");
        assert_eq!(e.key, "scoring.ecological.corridor.radius");
        let cfg = Config::from_toml_str(
            "[scoring.cultural.transit]\nenabled = false\n",
            Path::new("c.toml"),
        )
        .unwrap();
        assert!(!cfg.scoring.cultural.transit.enabled);
    }

    #[test]
    fn unknown_class_names_the_rule() {
        let e = err("[[mapping.rule]]\nwhen = { a = \"b\" }\nland_use = \"green\"\n[[mapping.rule]]\nwhen = { a = \"b\" }\nland_use = \"green\"\n[[mapping.rule]]\nwhen = { LONG_CODE = \"I-2\" }\nland_use = \"industry\"\n");
        assert_eq!(
            e.to_string(),
            "unknown land-use class \"industry\" at mapping.rule[2].land_use in fishtown.toml: expected one of residential, public, commercial, industrial, logistics, transport, utility, green, water, ecological, vacant, unknown"
        );
    }

    #[test]
    fn empty_when_is_an_error() {
        let e = err("[[mapping.rule]]\nwhen = {}\nland_use = \"green\"\n");
        assert_eq!(e.key, "mapping.rule[0].when");
        assert!(
            e.to_string()
                .starts_with("empty `when` at mapping.rule[0].when in fishtown.toml"),
            "{e}"
        );
    }

    #[test]
    fn missing_when_is_an_error() {
        let e = err("[[mapping.rule]]\nland_use = \"green\"\n");
        assert!(e.to_string().contains("missing field `when`"), "{e}");
        assert_eq!(e.key, "mapping.rule[0]");
    }

    #[test]
    fn bad_status_and_useless_rules() {
        assert_eq!(
            err("[[mapping.rule]]\nwhen = { a = \"b\" }\nstatus = \"empty\"\n").key,
            "mapping.rule[0].status"
        );
        assert_eq!(
            err("[[mapping.rule]]\nwhen = { a = \"b\" }\n").key,
            "mapping.rule[0]"
        );
        assert_eq!(
            err("[[mapping.rule]]\nwhen = { a = \"b\" }\nheritage = false\n").key,
            "mapping.rule[0].heritage"
        );
        assert_eq!(
            err("[[mapping.rule]]\nwhen = { a = [] }\nland_use = \"green\"\n").key,
            "mapping.rule[0].when.a"
        );
        assert_eq!(
            err("[[mapping.rule]]\nwhen = { a = \"\" }\nland_use = \"green\"\n").key,
            "mapping.rule[0].when.a"
        );
    }

    #[test]
    fn bad_preset_and_field() {
        let e = err("[mapping]\npreset = \"gb\"\n");
        assert_eq!(e.key, "mapping.preset");
        assert!(
            e.to_string()
                .ends_with("expected one of osm, gb50137, euluc, none"),
            "{e}"
        );
        assert_eq!(err("[mapping]\nfield = \"code\"\n").key, "mapping.field");
        assert_eq!(
            err("[mapping]\npreset = \"gb50137\"\nfield = \"\"\n").key,
            "mapping.field"
        );
    }

    #[test]
    fn wrong_types_are_named() {
        let e = err("[input]\nworking_epsg = \"32616\"\n");
        assert_eq!(e.key, "input.working_epsg");
        let e = err("[[mapping.rule]]\nwhen = { a = { b = 1 } }\nland_use = \"green\"\n");
        assert_eq!(e.key, "mapping.rule[0].when.a");
    }

    #[test]
    fn syntax_errors_give_a_line() {
        let e = err("[mapping]\npreset = osm\n");
        assert_eq!(e.line, Some(2));
        assert!(e.to_string().contains("fishtown.toml"), "{e}");
    }

    #[test]
    fn a_full_config_parses() {
        let cfg = Config::from_toml_str(
            r#"
            [input]
            id_property = "id"
            crs = "EPSG:4326"
            working_epsg = 32616
            [mapping]
            preset = "gb50137"
            field = "gb_code"
            status_field = "status"
            candidate_field = "reuse"
            [[mapping.rule]]
            when = { LONG_CODE = ["I-2", "ICMX", "IRMX"], BC_LANDUSE = ["Lot", "Parking"] }
            land_use = "industrial"
            status = "derelict"
            [mapping.facts]
            population = "population"
            floor_area_m2 = "floor_area_m2"
            heritage = "heritage"
            contaminated = "contaminated"
            land_value = "land_value"
        "#,
            Path::new("x.toml"),
        )
        .unwrap();
        assert_eq!(cfg.input.working_epsg, Some(32616));
        assert_eq!(cfg.mapping.rules[0].when.len(), 2);
        assert_eq!(cfg.mapping.facts.land_value.as_deref(), Some("land_value"));
    }
}
