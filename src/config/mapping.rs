//! `[mapping]`: how property values become land use, status and facts —
//! the settings [`TagMapping`](crate::TagMapping) is built from, and the
//! checks that make a bad rule fail at load time.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::ConfigError;
use crate::parcel::{LandUse, Status};

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
    /// Built-in vocabulary: `osm`, `gb50137`, `euluc`, `gb21010` (Third
    /// National Land Survey, GB/T 21010-2017), `ydyh` (用地用海分类, 2023) or
    /// `none`. Omitted: `osm` when there are no rules, `none` when there are.
    pub preset: Option<String>,
    /// The property a code preset reads (defaults: `gb_code` for `gb50137`,
    /// `Level2` for `euluc`, `DLBM` for `gb21010`, `YDYHFLDM` for `ydyh`).
    /// Not used by `osm`, which reads its own keys.
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

/// The canonical class names, for error hints.
fn class_list() -> String {
    LandUse::ALL
        .iter()
        .map(|u| u.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A rule's `status`, read as the rules apply it (`active` or `derelict`,
/// case and blanks ignored); `Err` for anything else.
pub(crate) fn parse_status(s: &str) -> Result<Status, ()> {
    match s.trim().to_ascii_lowercase().as_str() {
        "active" => Ok(Status::Active),
        "derelict" => Ok(Status::Derelict),
        _ => Err(()),
    }
}

impl MappingConfig {
    /// Checks every rule, the preset and its field, and the fact properties;
    /// the first problem is an error naming its key
    /// (`mapping.rule[0].land_use`, `mapping.preset`, …).
    ///
    /// ```
    /// use landstock::config::{MappingConfig, Patterns, RuleConfig};
    /// let rule = RuleConfig {
    ///     when: [("zone".to_string(), Patterns(vec!["I-2".into()]))].into(),
    ///     land_use: Some("industry".into()),
    ///     ..RuleConfig::default()
    /// };
    /// let cfg = MappingConfig { rules: vec![rule], ..MappingConfig::default() };
    /// assert_eq!(cfg.validate().unwrap_err().key, "mapping.rule[0].land_use");
    /// let bad = MappingConfig { preset: Some("corine".into()), ..MappingConfig::default() };
    /// assert_eq!(bad.validate().unwrap_err().key, "mapping.preset");
    /// assert!(MappingConfig::default().validate().is_ok());
    /// ```
    pub fn validate(&self) -> Result<(), ConfigError> {
        for (i, rc) in self.rules.iter().enumerate() {
            rc.validate(i)?;
        }
        let name = self.preset_name();
        let field = match self.field.as_deref().map(str::trim) {
            Some("") => {
                return Err(ConfigError::invalid(
                    "mapping.field",
                    "empty property name",
                    "name the property the preset reads, or remove the key",
                ))
            }
            f => f,
        };
        match name.as_str() {
            "osm" | "none" if field.is_some() => {
                return Err(ConfigError::invalid(
                    "mapping.field",
                    format!("`field` is not used by the {name} preset"),
                    "remove it (osm reads the landuse, leisure and natural tags), or choose a code preset: gb50137, euluc, gb21010 or ydyh",
                ))
            }
            "osm" | "none" | "gb50137" | "euluc" | "gb21010" | "ydyh" => {}
            _ => {
                return Err(ConfigError::invalid(
                    "mapping.preset",
                    format!(
                        "unknown preset {:?}",
                        self.preset.as_deref().unwrap_or_default()
                    ),
                    "expected one of osm, gb50137, euluc, gb21010, ydyh, none",
                ))
            }
        }
        self.validate_facts()
    }

    /// The preset in force, lower-case: the one named, else `osm` when there
    /// are no rules and `none` when there are.
    pub(crate) fn preset_name(&self) -> String {
        match self.preset.as_deref() {
            Some(n) => n.trim().to_ascii_lowercase(),
            None if self.rules.is_empty() => "osm".to_string(),
            None => "none".to_string(),
        }
    }

    fn validate_facts(&self) -> Result<(), ConfigError> {
        let f = &self.facts;
        let named = [
            ("mapping.facts.population", &f.population),
            ("mapping.facts.floor_area_m2", &f.floor_area_m2),
            ("mapping.facts.floor_area_ft2", &f.floor_area_ft2),
            ("mapping.facts.heritage", &f.heritage),
            ("mapping.facts.contaminated", &f.contaminated),
            ("mapping.facts.land_value", &f.land_value),
            ("mapping.candidate_field", &self.candidate_field),
            ("mapping.status_field", &self.status_field),
        ];
        for (key, v) in named {
            if v.as_deref().is_some_and(|s| s.trim().is_empty()) {
                return Err(ConfigError::invalid(
                    key,
                    "empty property name",
                    "name the property, or remove the key",
                ));
            }
        }
        if f.floor_area_m2.is_some() && f.floor_area_ft2.is_some() {
            return Err(ConfigError::invalid(
                "mapping.facts.floor_area_ft2",
                "both floor_area_m2 and floor_area_ft2 are given",
                "keep the one whose unit matches the data",
            ));
        }
        Ok(())
    }
}

impl RuleConfig {
    /// Checks the rule at `mapping.rule[i]`.
    fn validate(&self, i: usize) -> Result<(), ConfigError> {
        let at = |k: &str| format!("mapping.rule[{i}]{k}");
        if self.when.is_empty() {
            return Err(ConfigError::invalid(
                at(".when"),
                "empty `when`",
                "give at least one condition, e.g. when = { BC_TYPE = \"Vacant\" }; a rule that should match everything can test a field every feature has with \"*\"",
            ));
        }
        for (field, pats) in &self.when {
            if pats.values().is_empty() {
                return Err(ConfigError::invalid(
                    at(&format!(".when.{field}")),
                    "empty pattern list",
                    "list at least one value, or use \"*\" for any value",
                ));
            }
            if pats.values().iter().any(|raw| raw.trim().is_empty()) {
                return Err(ConfigError::invalid(
                    at(&format!(".when.{field}")),
                    "empty pattern \"\"",
                    "use \"*\" to require any non-blank value",
                ));
            }
        }
        if let Some(s) = &self.land_use {
            if s.parse::<LandUse>().is_err() {
                return Err(ConfigError::invalid(
                    at(".land_use"),
                    format!("unknown land-use class {s:?}"),
                    format!("expected one of {}", class_list()),
                ));
            }
        }
        if let Some(s) = &self.status {
            if parse_status(s).is_err() {
                return Err(ConfigError::invalid(
                    at(".status"),
                    format!("unknown status {s:?}"),
                    "expected active or derelict",
                ));
            }
        }
        for (key, v) in [
            ("heritage", self.heritage),
            ("contaminated", self.contaminated),
            ("candidate", self.candidate),
        ] {
            if v == Some(false) {
                return Err(ConfigError::invalid(
                    at(&format!(".{key}")),
                    format!("`{key} = false` has no effect"),
                    format!("facts are set by any matching rule and never unset; remove the key or write {key} = true"),
                ));
            }
        }
        if self.land_use.is_none()
            && self.status.is_none()
            && self.heritage != Some(true)
            && self.contaminated != Some(true)
            && self.candidate != Some(true)
        {
            return Err(ConfigError::invalid(
                at(""),
                "the rule sets nothing",
                "give land_use, status, heritage = true, contaminated = true or candidate = true",
            ));
        }
        Ok(())
    }
}
