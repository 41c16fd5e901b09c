//! Remediation by end use: a contaminated site costs more to clean for a
//! sensitive use than for an industrial one.
//!
//! **The standard.** GB 36600-2018 (《土壤环境质量 建设用地土壤污染风险管控标准（试行）》,
//! soil environmental quality — risk control standard for soil contamination
//! of development land) sets risk screening values (筛选值) for two
//! categories of land (§3.4–3.5, after GB 50137's classes):
//! - **Type I land** (第一类用地): residential (R), primary and secondary
//!   schools (A33), medical (A5) and social welfare (A6) land, and the
//!   community and children's parks of park green space (G1);
//! - **Type II land** (第二类用地): industrial (M), logistics and warehouse (W),
//!   commercial (B), roads and transport (S), utilities (U), public
//!   administration and services (A, except A33, A5, A6) and green space and
//!   squares (G, except those parks).
//!
//! Type I values are the stricter ones (Table 1, mg/kg, Type I / Type II):
//! arsenic 20 / 60, cadmium 20 / 65, lead 400 / 800, mercury 8 / 38, nickel
//! 150 / 900, chromium (VI) 3.0 / 5.7. So more soil is over the line, and
//! more must be cleaned, when a brownfield becomes a park than when it
//! becomes a cultural district or another factory.
//!
//! **What comes from the standard, and what is a planner's assumption.**
//! From the standard: which category each use falls in — a park on
//! candidate land is taken to be a community or children's park (G1, Type
//! I); a cultural district (798-style: A2 cultural facilities or B
//! commercial) is Type II. Planner's assumptions, not in the standard
//! (which sets concentrations, not costs):
//! - ecological land is not development land (GB 36600 does not cover it);
//!   it is screened as Type II, the less strict category;
//! - auctioned land (`redevelop`) needs nothing from the city by default:
//!   the buyer remediates for what they build, and the land value prices it
//!   (set `redevelop = "type1"` when the city cleans before a housing auction:
//!   the auction's revenue is then net of it);
//! - costs per m² of contaminated site: Type I 400 (the SPEC's flat
//!   remediation default, which was set for parks) and Type II 200 (half:
//!   fewer samples exceed the laxer screening values). Local remediation
//!   quotes should replace both.
//!
//! Per site class (the parcel's class before the plan, e.g. `industrial`)
//! the costs can be overridden and uses forbidden outright (no children's
//! park on a former chemical works): a contaminated site is then not
//! eligible for that use.
//!
//! ```
//! use landstock::plan::{Candidate, PlanProblem, Remediation, Scores, SiteRule, SoilCategory, Use};
//! use landstock::LandUse;
//! let s = Scores { green: Some(0.9), cultural: Some(0.5), ..Scores::default() };
//! let works = Candidate::new("works", 10_000.0, LandUse::Industrial)
//!     .with_scores(s)
//!     .with_contaminated(true);
//! let rules = Remediation::default()
//!     .site(SiteRule::new(LandUse::Industrial).forbid(Use::Green));
//! assert_eq!(rules.category(Use::Green), SoilCategory::TypeI);
//! let p = PlanProblem::new(vec![works], vec![]).cap_ha(5.0).remediation(rules).build().unwrap();
//! assert!(!p.is_eligible(0, Use::Green), "no park on a contaminated industrial site");
//! // cultural: Type II, 200 per m² on top of the 900 of renovation
//! assert_eq!(p.conversion_cost(0, Use::Cultural), (900.0 + 200.0) * 10_000.0);
//! assert_eq!(p.solve().unwrap().uses, vec![Use::Cultural]);
//! ```

use std::fmt;

use super::Candidate;
use crate::uses::Use;
use crate::LandUse;

/// A target use's land category under GB 36600-2018, which decides its
/// remediation cost on a contaminated site.
///
/// ```
/// use landstock::plan::SoilCategory;
/// assert_eq!("type1".parse::<SoilCategory>(), Ok(SoilCategory::TypeI));
/// assert_eq!(SoilCategory::TypeII.to_string(), "type2");
/// assert!("type3".parse::<SoilCategory>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SoilCategory {
    /// 第一类用地: housing, schools, hospitals, community and children's parks.
    TypeI,
    /// 第二类用地: industry, logistics, roads, other green space, most public uses.
    TypeII,
    /// No remediation by the city for this use.
    None,
}

impl SoilCategory {
    /// `type1`, `type2` or `none`.
    pub fn as_str(self) -> &'static str {
        match self {
            SoilCategory::TypeI => "type1",
            SoilCategory::TypeII => "type2",
            SoilCategory::None => "none",
        }
    }
}

impl fmt::Display for SoilCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for SoilCategory {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "type1" | "type_1" | "i" | "1" => Ok(SoilCategory::TypeI),
            "type2" | "type_2" | "ii" | "2" => Ok(SoilCategory::TypeII),
            "none" => Ok(SoilCategory::None),
            _ => Err(format!(
                "{s:?} is not a GB 36600 land category: write \"type1\", \"type2\" or \"none\""
            )),
        }
    }
}

/// Overrides for contaminated sites of one class (the parcel's class
/// before the plan): costs per category, and uses they may not take.
///
/// ```
/// use landstock::plan::{SiteRule, Use};
/// use landstock::LandUse;
/// let r = SiteRule::new(LandUse::Utility).type_i_per_m2(900.0).forbid(Use::Green);
/// assert_eq!((r.type_i_per_m2, r.type_ii_per_m2), (Some(900.0), None));
/// assert_eq!(r.forbid, vec![Use::Green]);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SiteRule {
    /// The site class the rule applies to.
    pub origin: LandUse,
    /// Type I cost per m² on these sites (else the general one).
    pub type_i_per_m2: Option<f64>,
    /// Type II cost per m² on these sites (else the general one).
    pub type_ii_per_m2: Option<f64>,
    /// Uses a contaminated site of this class may not take.
    pub forbid: Vec<Use>,
}

impl SiteRule {
    /// A rule for contaminated sites of class `origin` that changes nothing yet.
    pub fn new(origin: LandUse) -> Self {
        SiteRule {
            origin,
            type_i_per_m2: None,
            type_ii_per_m2: None,
            forbid: Vec::new(),
        }
    }
    /// Type I cost per m² on these sites.
    pub fn type_i_per_m2(mut self, per_m2: f64) -> Self {
        self.type_i_per_m2 = Some(per_m2);
        self
    }
    /// Type II cost per m² on these sites.
    pub fn type_ii_per_m2(mut self, per_m2: f64) -> Self {
        self.type_ii_per_m2 = Some(per_m2);
        self
    }
    /// Forbids a use on these sites (accumulates).
    pub fn forbid(mut self, u: Use) -> Self {
        self.forbid.push(u);
        self
    }
}

/// Remediation costs and eligibility of contaminated sites by target use
/// (GB 36600-2018 categories) and site class; see the [module docs](self)
/// for which defaults come from the standard and which are assumptions.
///
/// ```
/// use landstock::plan::{Remediation, SoilCategory, Use};
/// let r = Remediation::default();
/// assert_eq!(r.category(Use::Green), SoilCategory::TypeI);
/// assert_eq!(r.category(Use::Cultural), SoilCategory::TypeII);
/// assert_eq!(r.category(Use::Redevelop), SoilCategory::None);
/// assert_eq!((r.type_i_per_m2, r.type_ii_per_m2), (400.0, 200.0));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Remediation {
    /// Cost per m² of cleaning a contaminated site to Type I screening values.
    pub type_i_per_m2: f64,
    /// Cost per m² of cleaning a contaminated site to Type II screening values.
    pub type_ii_per_m2: f64,
    /// Land category of each use, in [`Use::ALL`] order (keep: none).
    pub categories: [SoilCategory; 5],
    /// Per site class overrides, in the order added (the last matching
    /// rule's costs win; every matching rule's forbidden uses apply).
    pub sites: Vec<SiteRule>,
}

impl Default for Remediation {
    fn default() -> Self {
        let mut categories = [SoilCategory::None; 5];
        categories[Use::Green.index()] = SoilCategory::TypeI;
        categories[Use::Ecological.index()] = SoilCategory::TypeII;
        categories[Use::Cultural.index()] = SoilCategory::TypeII;
        Remediation {
            type_i_per_m2: 400.0,
            type_ii_per_m2: 200.0,
            categories,
            sites: Vec::new(),
        }
    }
}

/// The remediation rule that applies to one contaminated candidate and use.
///
/// ```
/// use landstock::plan::{Candidate, Remediation, SoilCategory, Use};
/// use landstock::LandUse;
/// let c = Candidate::new("x", 100.0, LandUse::Industrial).with_contaminated(true);
/// let a = Remediation::default().applied(&c, Use::Green).unwrap();
/// assert_eq!((a.category, a.per_m2, a.allowed), (SoilCategory::TypeI, 400.0, true));
/// assert_eq!(a.to_string(), "remediation to GB 36600-2018 Type I (400/m²)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Applied {
    /// The use's land category.
    pub category: SoilCategory,
    /// Cost per m² (0 for category none).
    pub per_m2: f64,
    /// Whether the site may take the use at all.
    pub allowed: bool,
    /// Whether a site rule of the candidate's class set the cost or forbade the use.
    pub by_site_class: bool,
}

impl fmt::Display for Applied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cat = match self.category {
            SoilCategory::TypeI => "Type I",
            SoilCategory::TypeII => "Type II",
            SoilCategory::None => "no category",
        };
        let site = if self.by_site_class {
            ", site-class rule"
        } else {
            ""
        };
        if !self.allowed {
            write!(f, "not allowed on this contaminated site class{site}")
        } else if self.category == SoilCategory::None {
            write!(f, "no remediation by the city{site}")
        } else {
            write!(
                f,
                "remediation to GB 36600-2018 {cat} ({}/m²{site})",
                super::constraints::amount(self.per_m2)
            )
        }
    }
}

impl Remediation {
    /// The land category of use `u`.
    pub fn category(&self, u: Use) -> SoilCategory {
        if u == Use::Keep {
            SoilCategory::None
        } else {
            self.categories[u.index()]
        }
    }

    /// Sets the land category of a conversion use (single slot per use).
    ///
    /// ```
    /// use landstock::plan::{Remediation, SoilCategory, Use};
    /// let r = Remediation::default().with_category(Use::Redevelop, SoilCategory::TypeI);
    /// assert_eq!(r.category(Use::Redevelop), SoilCategory::TypeI);
    /// ```
    pub fn with_category(mut self, u: Use, category: SoilCategory) -> Self {
        if u != Use::Keep {
            self.categories[u.index()] = category;
        }
        self
    }

    /// Adds a per site class rule (accumulates).
    pub fn site(mut self, rule: SiteRule) -> Self {
        self.sites.push(rule);
        self
    }

    /// What applies when contaminated candidate `c` takes `u`; `None` for a
    /// clean site or for keep.
    pub fn applied(&self, c: &Candidate, u: Use) -> Option<Applied> {
        if !c.contaminated || u == Use::Keep {
            return None;
        }
        let category = self.category(u);
        let mut per_m2 = match category {
            SoilCategory::TypeI => self.type_i_per_m2,
            SoilCategory::TypeII => self.type_ii_per_m2,
            SoilCategory::None => 0.0,
        };
        let mut allowed = true;
        let mut by_site_class = false;
        for r in self.sites.iter().filter(|r| r.origin == c.origin) {
            let over = match category {
                SoilCategory::TypeI => r.type_i_per_m2,
                SoilCategory::TypeII => r.type_ii_per_m2,
                SoilCategory::None => None,
            };
            if let Some(v) = over {
                per_m2 = v;
                by_site_class = true;
            }
            if r.forbid.contains(&u) {
                allowed = false;
                by_site_class = true;
            }
        }
        Some(Applied {
            category,
            per_m2,
            allowed,
            by_site_class,
        })
    }

    /// Every cost finite and >= 0; the message names the bad one.
    pub(crate) fn validate(&self) -> Result<(), String> {
        let mut all = vec![
            ("type I cost".to_string(), self.type_i_per_m2),
            ("type II cost".to_string(), self.type_ii_per_m2),
        ];
        for r in &self.sites {
            for (what, v) in [("type I", r.type_i_per_m2), ("type II", r.type_ii_per_m2)] {
                if let Some(v) = v {
                    all.push((format!("{what} cost on {} sites", r.origin), v));
                }
            }
        }
        match all.iter().find(|(_, v)| !(v.is_finite() && *v >= 0.0)) {
            Some((what, v)) => Err(format!(
                "remediation {what} {v} per m²: must be finite and >= 0"
            )),
            None => Ok(()),
        }
    }
}
