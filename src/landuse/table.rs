//! User rules: a mapping table written in the configuration for any
//! vocabulary (a US city's billing classes and zoning, a survey's free text).
//!
//! Each rule ANDs its conditions; a condition's pattern list is an OR. For
//! land use and status the first matching rule that gives one wins, so
//! rules are written from the most specific to the most general. Fact flags
//! (heritage, contaminated, candidate) are set by any matching rule.

use crate::config::mapping::parse_status;
use crate::config::RuleConfig;
use crate::landuse::pattern::Pattern;
use crate::landuse::value::{text, Props};
use crate::{LandUse, Status};

/// The compiled `[[mapping.rule]]` list.
#[derive(Debug, Clone, Default)]
pub(crate) struct RuleTable {
    rules: Vec<Rule>,
    /// Fields read by rules that set a land use, in order of first use: what
    /// an unmapped feature is described by.
    land_use_fields: Vec<String>,
}

#[derive(Debug, Clone)]
struct Rule {
    conditions: Vec<(String, Vec<Pattern>)>,
    land_use: Option<LandUse>,
    status: Option<Status>,
    heritage: bool,
    contaminated: bool,
    candidate: bool,
}

/// What the rules decided for one feature.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct RuleOutcome {
    pub land_use: Option<LandUse>,
    pub status: Option<Status>,
    pub heritage: bool,
    pub contaminated: bool,
    pub candidate: bool,
}

impl RuleTable {
    /// Compiles the rules, which [`MappingConfig::validate`] has checked
    /// (an unreadable class, status or pattern cannot reach here).
    ///
    /// [`MappingConfig::validate`]: crate::config::MappingConfig::validate
    pub(crate) fn compile(configs: &[RuleConfig]) -> RuleTable {
        let mut table = RuleTable::default();
        for rc in configs {
            let conditions = rc
                .when
                .iter()
                .map(|(field, pats)| {
                    let compiled = pats.values().iter().filter_map(|raw| Pattern::parse(raw));
                    (field.clone(), compiled.collect())
                })
                .collect();
            let rule = Rule {
                conditions,
                land_use: rc
                    .land_use
                    .as_deref()
                    .and_then(|s| s.parse::<LandUse>().ok()),
                status: rc.status.as_deref().and_then(|s| parse_status(s).ok()),
                heritage: rc.heritage == Some(true),
                contaminated: rc.contaminated == Some(true),
                candidate: rc.candidate == Some(true),
            };
            if rule.land_use.is_some() {
                for (f, _) in &rule.conditions {
                    if !table.land_use_fields.contains(f) {
                        table.land_use_fields.push(f.clone());
                    }
                }
            }
            table.rules.push(rule);
        }
        table
    }

    /// Whether any rule sets a land use.
    pub(crate) fn sets_land_use(&self) -> bool {
        !self.land_use_fields.is_empty()
    }

    /// Applies the rules to one feature.
    pub(crate) fn apply(&self, props: &Props) -> RuleOutcome {
        let mut out = RuleOutcome::default();
        for rule in &self.rules {
            if !rule.matches(props) {
                continue;
            }
            if out.land_use.is_none() {
                out.land_use = rule.land_use;
            }
            if out.status.is_none() {
                out.status = rule.status;
            }
            out.heritage |= rule.heritage;
            out.contaminated |= rule.contaminated;
            out.candidate |= rule.candidate;
        }
        out
    }

    /// Describes an unmapped feature by the fields the land-use rules read,
    /// e.g. `BC_TYPE=(missing); OWNER_CATE=COMMERCIAL_PROPERTY`.
    pub(crate) fn describe(&self, props: &Props) -> String {
        self.land_use_fields
            .iter()
            .map(|f| {
                format!(
                    "{f}={}",
                    text(props.get(f)).as_deref().unwrap_or("(missing)")
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

impl Rule {
    fn matches(&self, props: &Props) -> bool {
        self.conditions.iter().all(|(field, pats)| {
            let v = text(props.get(field)).map(|t| t.to_lowercase());
            pats.iter().any(|p| p.matches(v.as_deref()))
        })
    }
}

/// The canonical class names, for error messages.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use serde_json::json;
    use std::path::Path;

    fn table(toml: &str) -> RuleTable {
        let cfg = Config::from_toml_str(toml, Path::new("t.toml")).unwrap();
        RuleTable::compile(&cfg.mapping.rules)
    }

    fn props(v: serde_json::Value) -> Props {
        v.as_object().unwrap().clone()
    }

    const FISHTOWN_LIKE: &str = r#"
        [[mapping.rule]]
        when = { LONG_CODE = ["I-2", "ICMX", "IRMX"], BC_LANDUSE = ["Lot", "Parking"] }
        land_use = "industrial"
        status = "derelict"
        [[mapping.rule]]
        when = { BC_LANDUSE = "Lot" }
        land_use = "vacant"
    "#;

    #[test]
    fn and_of_two_fields_needs_both() {
        let t = table(FISHTOWN_LIKE);
        let both = t.apply(&props(json!({"LONG_CODE": "ICMX", "BC_LANDUSE": "lot"})));
        assert_eq!(
            (both.land_use, both.status),
            (Some(LandUse::Industrial), Some(Status::Derelict))
        );
        let zoning_only = t.apply(&props(
            json!({"LONG_CODE": "ICMX", "BC_LANDUSE": "Building"}),
        ));
        assert_eq!(zoning_only.land_use, None);
        let lot_only = t.apply(&props(json!({"LONG_CODE": "RSA-5", "BC_LANDUSE": "Lot"})));
        assert_eq!(
            (lot_only.land_use, lot_only.status),
            (Some(LandUse::Vacant), None)
        );
    }

    #[test]
    fn first_matching_rule_wins_for_land_use() {
        let t = table(
            r#"
            [[mapping.rule]]
            when = { style = "*warehouse*" }
            land_use = "logistics"
            [[mapping.rule]]
            when = { style = "*" }
            land_use = "industrial"
        "#,
        );
        assert_eq!(
            t.apply(&props(json!({"style": "Architectural Warehouse"})))
                .land_use,
            Some(LandUse::Logistics)
        );
        assert_eq!(
            t.apply(&props(json!({"style": "Mill"}))).land_use,
            Some(LandUse::Industrial)
        );
        assert_eq!(
            t.apply(&props(json!({"style": null}))).land_use,
            None,
            "* needs a value"
        );
        assert_eq!(
            t.apply(&props(json!({"style": " "}))).land_use,
            None,
            "blank counts as missing"
        );
    }

    #[test]
    fn status_and_facts_combine_across_rules() {
        let t = table(
            r#"
            [[mapping.rule]]
            when = { tenants = ["vacant", "empty"] }
            status = "derelict"
            [[mapping.rule]]
            when = { criteria = "*" }
            heritage = true
            [[mapping.rule]]
            when = { industry = "*gas plant*" }
            contaminated = true
            land_use = "industrial"
        "#,
        );
        let o = t.apply(&props(
            json!({"tenants": "EMPTY", "criteria": "A", "industry": "Manufactured Gas Plant"}),
        ));
        assert_eq!(
            o,
            RuleOutcome {
                land_use: Some(LandUse::Industrial),
                status: Some(Status::Derelict),
                heritage: true,
                contaminated: true,
                candidate: false
            }
        );
    }

    #[test]
    fn numbers_match_as_text() {
        let t = table("[[mapping.rule]]\nwhen = { code = 101 }\nland_use = \"residential\"\n");
        assert_eq!(
            t.apply(&props(json!({"code": 101}))).land_use,
            Some(LandUse::Residential)
        );
        assert_eq!(
            t.apply(&props(json!({"code": "101"}))).land_use,
            Some(LandUse::Residential)
        );
    }

    #[test]
    fn unmapped_is_described_by_land_use_fields() {
        let t = table(FISHTOWN_LIKE);
        assert_eq!(
            t.describe(&props(json!({"LONG_CODE": "RSA-5", "BC_LANDUSE": null}))),
            "BC_LANDUSE=(missing); LONG_CODE=RSA-5"
        );
    }
}
