//! The TOML configuration tree.
//!
//! One file holds every setting (SPEC §8). Each table rejects keys it does not
//! know, so a typo is an error that names the key instead of a silently
//! ignored setting.
//!
//! This module is a leaf of the pipeline: plain serde structs with the
//! checks each section can make on its own ([`input`], [`mapping`],
//! [`scoring`], [`plan`]). It imports only the shared vocabulary (land-use
//! classes, uses and locks, the planner's default costs) and PROJ for
//! checking CRS names; the stages read it, never the other way round.
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

mod annotated;
mod input;
pub mod mapping;
mod output;
pub mod plan;
pub mod remediation;
pub mod scoring;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use annotated::annotated_default;
pub use input::{AreaMethod, InputConfig};
pub use mapping::{FactsConfig, MappingConfig, Patterns, RuleConfig};
pub use output::OutputConfig;
pub use plan::{AreaLimit, CostsConfig, PlanConfig, SolverChoice, UseBounds};
pub use remediation::{RemediationConfig, SiteConfig};
pub use scoring::ScoringConfig;

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
    /// `[output]`: the CRS of the written plan.
    #[serde(default)]
    pub output: OutputConfig,
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
        cfg.mapping.validate().map_err(|e| e.in_file(origin))?;
        cfg.scoring
            .validate()
            .map_err(|e| ConfigError::invalid(e.key, e.problem, e.hint).in_file(origin))?;
        cfg.input.validate().map_err(|e| e.in_file(origin))?;
        cfg.plan.validate().map_err(|e| e.in_file(origin))?;
        cfg.output.validate().map_err(|e| e.in_file(origin))?;
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
/// assert!(err.to_string().contains("expected one of osm, gb50137, euluc, gb21010, ydyh, none"));
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
                .ends_with("expected one of osm, gb50137, euluc, gb21010, ydyh, none"),
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
