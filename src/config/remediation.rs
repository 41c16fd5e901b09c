//! `[plan.remediation]`: remediation of contaminated sites by end use
//! (GB 36600-2018 land categories) and site class, as written in the config.
//! [`RemediationConfig::rules`] turns it into the planner's
//! [`Remediation`]; the defaults, and which of them are a planner's
//! assumption rather than the standard's, are in [`crate::plan::remediation`].
//!
//! ```toml
//! [plan.remediation]
//! type1_per_m2 = 400     # clean to GB 36600 Type I screening values (planner's assumption)
//! type2_per_m2 = 200     # clean to Type II values (planner's assumption)
//! green = "type1"        # community and children's parks (G1): Type I in the standard
//! ecological = "type2"   # not development land; screened as Type II (assumption)
//! cultural = "type2"     # cultural facilities / commerce: Type II in the standard
//! redevelop = "none"     # the buyer remediates (assumption); "type1" for housing
//! [plan.remediation.sites.industrial]   # contaminated sites that were industrial
//! type1_per_m2 = 600
//! forbid = ["green"]
//! ```
//!
//! ```
//! use std::path::Path;
//! use landstock::plan::{SoilCategory, Use};
//! use landstock::{Config, LandUse};
//! let cfg = Config::from_toml_str(
//!     "[plan.remediation]\nredevelop = \"type1\"\n[plan.remediation.sites.industrial]\nforbid = [\"green\"]\n",
//!     Path::new("p.toml"),
//! ).unwrap();
//! let rules = cfg.plan.remediation.unwrap().rules().unwrap();
//! assert_eq!(rules.category(Use::Redevelop), SoilCategory::TypeI);
//! assert_eq!(rules.category(Use::Green), SoilCategory::TypeI, "the default");
//! assert_eq!(rules.sites[0].origin, LandUse::Industrial);
//! assert_eq!(rules.sites[0].forbid, vec![Use::Green]);
//! let e = Config::from_toml_str("[plan.remediation]\ngreen = \"type3\"\n", Path::new("p.toml")).unwrap_err();
//! assert_eq!(e.key, "plan.remediation.green");
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::ConfigError;
use crate::plan::{Remediation, SiteRule, SoilCategory};
use crate::uses::Use;
use crate::LandUse;

/// `[plan.remediation]`; see the [module docs](self).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RemediationConfig {
    /// Cost per m² of cleaning a contaminated site to Type I values.
    pub type1_per_m2: f64,
    /// Cost per m² of cleaning a contaminated site to Type II values.
    pub type2_per_m2: f64,
    /// GB 36600 category of parks: `type1`, `type2` or `none`.
    pub green: String,
    /// Category of ecological land.
    pub ecological: String,
    /// Category of cultural districts.
    pub cultural: String,
    /// Category of auctioned land (its remediation is netted from the revenue).
    pub redevelop: String,
    /// Overrides per site class (the parcel's class before the plan).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub sites: BTreeMap<String, SiteConfig>,
}

/// `[plan.remediation.sites.<class>]`: costs and forbidden uses on
/// contaminated sites of one class.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiteConfig {
    /// Type I cost per m² on these sites.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub type1_per_m2: Option<f64>,
    /// Type II cost per m² on these sites.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub type2_per_m2: Option<f64>,
    /// Uses these sites may not take.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub forbid: Vec<String>,
}

impl Default for RemediationConfig {
    fn default() -> Self {
        let r = Remediation::default();
        let name = |u: Use| r.category(u).as_str().to_string();
        RemediationConfig {
            type1_per_m2: r.type_i_per_m2,
            type2_per_m2: r.type_ii_per_m2,
            green: name(Use::Green),
            ecological: name(Use::Ecological),
            cultural: name(Use::Cultural),
            redevelop: name(Use::Redevelop),
            sites: BTreeMap::new(),
        }
    }
}

fn bad(key: impl Into<String>, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        file: None,
        key: key.into(),
        line: None,
        problem: problem.into(),
        hint: None,
    }
}

fn cost(key: String, v: f64) -> Result<f64, ConfigError> {
    if v.is_finite() && v >= 0.0 {
        Ok(v)
    } else {
        Err(bad(
            key,
            format!("{v} is not allowed: must be a finite number >= 0"),
        ))
    }
}

impl RemediationConfig {
    /// The planner's rules; errors name the key (`plan.remediation.green`,
    /// `plan.remediation.sites.<class>.forbid`).
    pub fn rules(&self) -> Result<Remediation, ConfigError> {
        const K: &str = "plan.remediation";
        let mut r = Remediation {
            type_i_per_m2: cost(format!("{K}.type1_per_m2"), self.type1_per_m2)?,
            type_ii_per_m2: cost(format!("{K}.type2_per_m2"), self.type2_per_m2)?,
            ..Remediation::default()
        };
        for (u, name) in [
            (Use::Green, &self.green),
            (Use::Ecological, &self.ecological),
            (Use::Cultural, &self.cultural),
            (Use::Redevelop, &self.redevelop),
        ] {
            let cat: SoilCategory = name.parse().map_err(|e| bad(format!("{K}.{u}"), e))?;
            r = r.with_category(u, cat);
        }
        for (class, s) in &self.sites {
            let key = format!("{K}.sites.{class}");
            let origin: LandUse = class.parse().map_err(|_| {
                bad(
                    key.clone(),
                    format!("unknown class {class:?}: use a canonical class such as industrial or logistics"),
                )
            })?;
            let mut rule = SiteRule::new(origin);
            if let Some(v) = s.type1_per_m2 {
                rule = rule.type_i_per_m2(cost(format!("{key}.type1_per_m2"), v)?);
            }
            if let Some(v) = s.type2_per_m2 {
                rule = rule.type_ii_per_m2(cost(format!("{key}.type2_per_m2"), v)?);
            }
            for f in &s.forbid {
                match f.parse::<Use>() {
                    Ok(u) if u.is_conversion() => rule = rule.forbid(u),
                    _ => {
                        return Err(bad(
                            format!("{key}.forbid"),
                            format!(
                            "unknown use {f:?}: expected green, ecological, cultural or redevelop"
                        ),
                        ))
                    }
                }
            }
            r = r.site(rule);
        }
        Ok(r)
    }
}
