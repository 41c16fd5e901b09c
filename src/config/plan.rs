//! `[plan]`: the planning model's settings (SPEC §5) as written in the
//! config — cap, solver, bounds, construction target, budget, costs, locks,
//! phase budgets — with the range checks that need nothing but the values.
//! [`PlanConfig::problem`] (in [`crate::pipeline`]) turns them into a
//! [`PlanProblem`](crate::plan::PlanProblem).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::ConfigError;
use crate::plan::{Costs, PlanProblem, Solver};
use crate::uses::{Lock, Use};

/// An area limit as written in the config or on the command line: an area
/// in hectares (`"12ha"`, `12`), 亩 (`"180mu"`, `"180亩"`; 1 mu = 10000/15 m²,
/// the Chinese survey unit) or square kilometres (`"1.2km2"`, `"1.2km²"`),
/// or a share of the cap (`"30%"`). Every area is held in hectares.
///
/// ```
/// use landstock::config::AreaLimit;
/// assert_eq!("12ha".parse::<AreaLimit>(), Ok(AreaLimit::Ha(12.0)));
/// assert_eq!("1800mu".parse::<AreaLimit>(), Ok(AreaLimit::Ha(120.0)));
/// assert_eq!("15 亩".parse::<AreaLimit>(), Ok(AreaLimit::Ha(1.0)));
/// assert_eq!("1.2km2".parse::<AreaLimit>(), Ok(AreaLimit::Ha(120.0)));
/// assert_eq!(" 30 % ".parse::<AreaLimit>(), Ok(AreaLimit::ShareOfCap(0.3)));
/// assert!("12 acres".parse::<AreaLimit>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AreaLimit {
    /// Hectares.
    Ha(f64),
    /// A share of the cap, 0–1.
    ShareOfCap(f64),
}

/// A unit's conversion of a number to hectares.
type ToHa = fn(f64) -> f64;

/// Area units and their conversion to hectares. 1 亩 (mu) = 10000/15 m²
/// exactly (the 市亩 of the 1930 and 1959 standard units, used by land
/// surveys and planning documents), so 15 mu = 1 ha; dividing by 15 keeps
/// whole numbers of hectares exact (1800 mu = 120 ha).
const AREA_UNITS: [(&str, ToHa); 5] = [
    ("ha", |v| v),
    ("km2", |v| v * 100.0),
    ("km²", |v| v * 100.0),
    ("mu", |v| v / 15.0),
    ("亩", |v| v / 15.0),
];

impl std::str::FromStr for AreaLimit {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let num = |x: &str| -> Result<f64, String> {
            let v: f64 = x.trim().parse().map_err(|_| {
                format!(
                    "{s:?} is not an area: write e.g. \"12ha\", \"180mu\", \"0.12km2\" or \"30%\""
                )
            })?;
            if v.is_finite() && v >= 0.0 {
                Ok(v)
            } else {
                Err(format!("{s:?}: an area must be a finite number >= 0"))
            }
        };
        if let Some(x) = t.strip_suffix('%') {
            return Ok(AreaLimit::ShareOfCap(num(x)? / 100.0));
        }
        let lower = t.to_lowercase();
        for (unit, to_ha) in AREA_UNITS {
            if let Some(x) = lower.strip_suffix(unit) {
                return Ok(AreaLimit::Ha(to_ha(num(x)?)));
            }
        }
        Ok(AreaLimit::Ha(num(t)?))
    }
}

impl fmt::Display for AreaLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AreaLimit::Ha(ha) => write!(f, "{ha}ha"),
            AreaLimit::ShareOfCap(s) => write!(f, "{}%", s * 100.0),
        }
    }
}

impl Serialize for AreaLimit {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for AreaLimit {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Num(f64),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Num(v) => format!("{v}ha").parse(),
            Raw::Text(t) => t.parse(),
        }
        .map_err(serde::de::Error::custom)
    }
}

/// Parses a cap as given on the command line or in the config: an area
/// (`"120ha"`, `"120"`, `"1800mu"`, `"1.2km2"`; see [`AreaLimit`]) in
/// hectares; a share makes no sense for the cap itself.
///
/// ```
/// use landstock::config::plan::parse_cap_ha;
/// assert_eq!(parse_cap_ha("120ha"), Ok(120.0));
/// assert_eq!(parse_cap_ha("1800mu"), Ok(120.0));
/// assert_eq!(parse_cap_ha("1.2km2"), Ok(120.0));
/// assert!(parse_cap_ha("0ha").unwrap_err().contains("greater than 0"));
/// assert!(parse_cap_ha("10%").is_err());
/// ```
pub fn parse_cap_ha(s: &str) -> Result<f64, String> {
    match s.parse::<AreaLimit>()? {
        AreaLimit::Ha(ha) if ha > 0.0 => Ok(ha),
        AreaLimit::Ha(_) => Err(format!(
            "cap {s:?}: the cap must be greater than 0 ha (it bounds the total converted area)"
        )),
        AreaLimit::ShareOfCap(_) => Err(format!(
            "cap {s:?}: the cap is an area, e.g. \"120ha\", \"1800mu\" or \"1.2km2\""
        )),
    }
}

/// Parses a share as given on the command line or in the config: a
/// percentage (`"30%"`) or a fraction (`"0.3"`), in [0, 1]. A bare number
/// above 1 is refused (write `"30%"`), so that 30 never means 3000 %.
///
/// ```
/// use landstock::config::plan::parse_share;
/// assert_eq!(parse_share("30%"), Ok(0.3));
/// assert_eq!(parse_share(" 0.25 "), Ok(0.25));
/// assert!(parse_share("30").unwrap_err().contains("30%"));
/// assert!(parse_share("120%").is_err());
/// ```
pub fn parse_share(s: &str) -> Result<f64, String> {
    let t = s.trim();
    let (num, pct) = match t.strip_suffix('%') {
        Some(x) => (x.trim(), true),
        None => (t, false),
    };
    let v: f64 = num
        .parse()
        .map_err(|_| format!("{s:?} is not a share: write e.g. \"30%\" or \"0.3\""))?;
    let v = if pct { v / 100.0 } else { v };
    if !pct && v > 1.0 && v <= 100.0 {
        return Err(format!(
            "{s:?}: a share is at most 1; write \"{v}%\" for a percentage"
        ));
    }
    if v.is_finite() && (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{s:?}: a share must be between 0 and 100 %"))
    }
}

fn de_share<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Num(f64),
        Text(String),
    }
    match Raw::deserialize(d)? {
        Raw::Num(v) => parse_share(&v.to_string()),
        Raw::Text(t) => parse_share(&t),
    }
    .map(Some)
    .map_err(serde::de::Error::custom)
}

fn ser_share<S: serde::Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        // 0.3 × 100 is 30.000000000000004: written to 1e-9 %
        Some(x) => s.collect_str(&format_args!("{}%", (x * 1e11).round() / 1e9)),
        None => s.serialize_none(),
    }
}

/// The solver named in the config or on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SolverChoice {
    /// HiGHS MILP (warm-started from fast).
    Exact,
    /// Lagrangian heuristic with its own bound.
    Fast,
    /// Fast, then exact when the problem is small enough.
    #[default]
    Auto,
}

/// `[plan.bounds.<use>]`: minimum and maximum converted area of one use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UseBounds {
    /// At least this much (ha or share of the cap).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<AreaLimit>,
    /// At most this much (ha or share of the cap).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<AreaLimit>,
}

/// `[plan.costs]`: conversion costs and default land value, currency per m²
/// (SPEC §5 defaults).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CostsConfig {
    /// Park construction.
    pub green_per_m2: f64,
    /// Ecological restoration.
    pub ecological_per_m2: f64,
    /// Renovation for a cultural district.
    pub cultural_per_m2: f64,
    /// Extra on contaminated sites converted to green or cultural.
    pub remediation_per_m2: f64,
    /// Land value for auction revenue where a parcel has none.
    pub land_value_per_m2: f64,
}

impl Default for CostsConfig {
    fn default() -> Self {
        let c = Costs::default();
        CostsConfig {
            green_per_m2: c.green_per_m2,
            ecological_per_m2: c.ecological_per_m2,
            cultural_per_m2: c.cultural_per_m2,
            remediation_per_m2: c.remediation_per_m2,
            land_value_per_m2: c.default_land_value_per_m2,
        }
    }
}

impl CostsConfig {
    /// The planner's [`Costs`].
    pub fn costs(&self) -> Costs {
        Costs {
            green_per_m2: self.green_per_m2,
            ecological_per_m2: self.ecological_per_m2,
            cultural_per_m2: self.cultural_per_m2,
            remediation_per_m2: self.remediation_per_m2,
            default_land_value_per_m2: self.land_value_per_m2,
        }
    }
}

/// `[plan]`: the planning model's settings (SPEC §5). The cap may also come
/// from the command line (`--cap`), which then wins.
///
/// ```toml
/// [plan]
/// cap = "120ha"
/// solver = "auto"            # exact | fast | auto
/// time_limit_s = 60
/// gap = 1e-4
/// adjacency_lambda = 0.25
/// construction_target_ha = 4200
/// budget = 2.5e8             # currency; enables `redevelop` (auctions)
/// revenue_shortfall = "30%"  # money stays >= 0 if auctions bring 30 % less
/// [plan.bounds.green]
/// min = "20ha"
/// max = "50%"
/// [plan.costs]
/// green_per_m2 = 150
/// [plan.locks]
/// "parcel-17" = "cultural"   # or "out"
/// ```
///
/// ```
/// use std::path::Path;
/// use landstock::{Config, config::{AreaLimit, SolverChoice}};
/// let cfg = Config::from_toml_str("[plan]\ncap = \"80ha\"\nsolver = \"fast\"\n[plan.bounds.green]\nmin = \"25%\"\n", Path::new("p.toml")).unwrap();
/// assert_eq!(cfg.plan.cap, Some(80.0));
/// assert_eq!(cfg.plan.solver, SolverChoice::Fast);
/// assert_eq!(cfg.plan.bounds["green"].min, Some(AreaLimit::ShareOfCap(0.25)));
/// let e = Config::from_toml_str("[plan]\ncap = \"-5ha\"\n", Path::new("p.toml")).unwrap_err();
/// assert_eq!(e.key, "plan.cap");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PlanConfig {
    /// Total land-scale cap, ha (`"120ha"` or `120`).
    #[serde(
        deserialize_with = "de_cap",
        serialize_with = "ser_cap",
        skip_serializing_if = "Option::is_none"
    )]
    pub cap: Option<f64>,
    /// Which solver.
    pub solver: SolverChoice,
    /// Wall-clock limit of the exact solver, s.
    pub time_limit_s: f64,
    /// Relative gap at which the exact solver stops.
    pub gap: f64,
    /// Weight λ of the adjacency bonus; 0 turns it off.
    pub adjacency_lambda: f64,
    /// Construction land after the plan must be at most this, ha.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub construction_target_ha: Option<f64>,
    /// Budget (currency); offers `redevelop` and counts auction revenue.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budget: Option<f64>,
    /// Conversion costs (used for the budget constraint and the budget indicators).
    pub costs: CostsConfig,
    /// Plans that survive a weak land market: the share (`"30%"` or 0.3)
    /// by which auctions may fall short of their expected revenue while the
    /// plan's money stays non-negative in every phase (`--revenue-shortfall`
    /// wins). Needs a budget.
    #[serde(
        deserialize_with = "de_share",
        serialize_with = "ser_share",
        skip_serializing_if = "Option::is_none"
    )]
    pub revenue_shortfall: Option<f64>,
    /// Remediation of contaminated sites by end use (GB 36600-2018 Type I
    /// and Type II land) and site class; absent: the flat
    /// `costs.remediation_per_m2` for green and cultural.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remediation: Option<super::RemediationConfig>,
    /// Per-use bounds, by use name (`green`, `ecological`, `cultural`, `redevelop`).
    pub bounds: BTreeMap<String, UseBounds>,
    /// Locks by parcel id: a use name, or `"out"` (never convert).
    pub locks: BTreeMap<String, String>,
    /// New money at the start of each phase of a phased plan
    /// (`landstock plan --phases`); one entry per phase. Empty: the whole
    /// `budget` arrives in phase 1.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub phase_budgets: Vec<f64>,
}

impl Default for PlanConfig {
    fn default() -> Self {
        PlanConfig {
            cap: None,
            solver: SolverChoice::Auto,
            time_limit_s: 60.0,
            gap: 1e-4,
            adjacency_lambda: PlanProblem::DEFAULT_ADJACENCY_LAMBDA,
            construction_target_ha: None,
            budget: None,
            costs: CostsConfig::default(),
            revenue_shortfall: None,
            remediation: None,
            bounds: BTreeMap::new(),
            locks: BTreeMap::new(),
            phase_budgets: Vec::new(),
        }
    }
}

fn de_cap<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    let limit = AreaLimit::deserialize(d)?;
    parse_cap_ha(&limit.to_string())
        .map(Some)
        .map_err(serde::de::Error::custom)
}

fn ser_cap<S: serde::Serializer>(cap: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match cap {
        Some(ha) => s.collect_str(&format_args!("{ha}ha")),
        None => s.serialize_none(),
    }
}

/// A `[plan]` setting that is out of range.
fn bad(key: impl Into<String>, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        file: None,
        key: key.into(),
        line: None,
        problem: problem.into(),
        hint: None,
    }
}

/// A lock as written in `[plan.locks]`: a use name or `out`.
///
/// ```
/// use landstock::config::plan::parse_lock;
/// use landstock::{Lock, Use};
/// assert_eq!(parse_lock("out"), Ok(Lock::Out));
/// assert_eq!(parse_lock("green"), Ok(Lock::In(Use::Green)));
/// assert!(parse_lock("parking").is_err());
/// ```
pub fn parse_lock(s: &str) -> Result<Lock, String> {
    s.parse()
}

impl PlanConfig {
    /// Checks ranges the types cannot express; errors name the key.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let nonneg = |key: &str, v: f64| {
            if v.is_finite() && v >= 0.0 {
                Ok(())
            } else {
                Err(bad(
                    format!("plan.{key}"),
                    format!("{v} is not allowed: must be a finite number >= 0"),
                ))
            }
        };
        if !(self.time_limit_s.is_finite() && self.time_limit_s > 0.0) {
            return Err(bad(
                "plan.time_limit_s",
                format!("{} is not allowed: must be > 0 seconds", self.time_limit_s),
            ));
        }
        nonneg("gap", self.gap)?;
        nonneg("adjacency_lambda", self.adjacency_lambda)?;
        if let Some(t) = self.construction_target_ha {
            nonneg("construction_target_ha", t)?;
        }
        if let Some(b) = self.budget {
            nonneg("budget", b)?;
        }
        for (k, &b) in self.phase_budgets.iter().enumerate() {
            nonneg(&format!("phase_budgets[{k}]"), b)?;
        }
        if self.revenue_shortfall.is_some_and(|s| s > 0.0) && self.budget.is_none() {
            return Err(bad(
                "plan.revenue_shortfall",
                "a revenue shortfall needs a budget under [plan] (it stresses the auctions that pay for it)",
            ));
        }
        if !self.phase_budgets.is_empty() && self.budget.is_none() {
            return Err(bad(
                "plan.phase_budgets",
                "phase budgets need a budget under [plan] (its costs and auctions apply)",
            ));
        }
        let c = &self.costs;
        for (k, v) in [
            ("green_per_m2", c.green_per_m2),
            ("ecological_per_m2", c.ecological_per_m2),
            ("cultural_per_m2", c.cultural_per_m2),
            ("remediation_per_m2", c.remediation_per_m2),
            ("land_value_per_m2", c.land_value_per_m2),
        ] {
            nonneg(&format!("costs.{k}"), v)?;
        }
        for (name, b) in &self.bounds {
            let key = format!("plan.bounds.{name}");
            match name.parse::<Use>() {
                Ok(u) if u.is_conversion() => {}
                _ => {
                    return Err(bad(
                        key,
                        format!(
                        "unknown use {name:?}: expected green, ecological, cultural or redevelop"
                    ),
                    ))
                }
            }
            for (which, v) in [("min", b.min), ("max", b.max)] {
                if let Some(AreaLimit::ShareOfCap(s)) = v {
                    if s > 1.0 {
                        return Err(bad(
                            format!("{key}.{which}"),
                            format!("{}% of the cap is more than the cap", s * 100.0),
                        ));
                    }
                }
            }
            if let (Some(AreaLimit::Ha(lo)), Some(AreaLimit::Ha(hi)))
            | (Some(AreaLimit::ShareOfCap(lo)), Some(AreaLimit::ShareOfCap(hi))) = (b.min, b.max)
            {
                if lo > hi {
                    return Err(bad(key, "min is greater than max"));
                }
            }
        }
        for (id, l) in &self.locks {
            parse_lock(l).map_err(|e| bad(format!("plan.locks.{id:?}"), e))?;
        }
        if let Some(r) = &self.remediation {
            r.rules()?;
        }
        Ok(())
    }

    /// The planner's solver setting.
    pub fn solver(&self) -> Solver {
        match self.solver {
            SolverChoice::Exact => Solver::Exact {
                time_limit_s: self.time_limit_s,
                gap: self.gap,
            },
            SolverChoice::Fast => Solver::Fast,
            SolverChoice::Auto => Solver::Auto {
                time_limit_s: self.time_limit_s,
                gap: self.gap,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn plan_settings_out_of_range_are_errors_naming_the_key() {
        let cases = [
            ("[plan]\ncap = 0\n", "plan.cap"),
            ("[plan]\ncap = \"12%\"\n", "plan.cap"),
            ("[plan]\ntime_limit_s = 0\n", "plan.time_limit_s"),
            ("[plan]\nadjacency_lambda = -0.1\n", "plan.adjacency_lambda"),
            ("[plan]\nbudget = -1\n", "plan.budget"),
            (
                "[plan.costs]\ngreen_per_m2 = -150\n",
                "plan.costs.green_per_m2",
            ),
            (
                "[plan.bounds.parking]\nmin = \"1ha\"\n",
                "plan.bounds.parking",
            ),
            (
                "[plan.bounds.green]\nmin = \"150%\"\n",
                "plan.bounds.green.min",
            ),
            (
                "[plan.bounds.green]\nmin = \"5ha\"\nmax = \"2ha\"\n",
                "plan.bounds.green",
            ),
            (
                "[plan.bounds.green]\nleast = \"5ha\"\n",
                "plan.bounds.green.least",
            ),
            ("[plan.locks]\nx = \"parking\"\n", "plan.locks.\"x\""),
            ("[plan]\nsolver = \"best\"\n", "plan.solver"),
            ("[plan]\ncapp = 10\n", "plan.capp"),
        ];
        for (text, key) in cases {
            let e = crate::Config::from_toml_str(text, Path::new("plan.toml")).unwrap_err();
            assert_eq!(e.key, key, "{text}: {e}");
            assert!(e.to_string().contains("plan.toml"), "{e}");
        }
    }

    #[test]
    fn area_limits_read_hectares_shares_and_bare_numbers() {
        let cfg = crate::Config::from_toml_str(
            "[plan]\ncap = 120\n[plan.bounds.ecological]\nmin = 12\nmax = \"40 %\"\n",
            Path::new("p.toml"),
        )
        .unwrap();
        assert_eq!(cfg.plan.cap, Some(120.0));
        let b = cfg.plan.bounds["ecological"];
        assert_eq!(b.min, Some(AreaLimit::Ha(12.0)));
        assert_eq!(b.max, Some(AreaLimit::ShareOfCap(0.4)));
    }

    #[test]
    fn caps_and_bounds_read_mu_and_square_kilometres() {
        let cfg = crate::Config::from_toml_str(
            "[plan]\ncap = \"1.2km2\"\n[plan.bounds.green]\nmin = \"150mu\"\nmax = \"0.5 KM²\"\n[plan.bounds.ecological]\nmin = \"30亩\"\n",
            Path::new("p.toml"),
        )
        .unwrap();
        assert_eq!(cfg.plan.cap, Some(120.0));
        let g = cfg.plan.bounds["green"];
        // 150 mu × 10000/15 m² = 100 000 m² = 10 ha
        assert_eq!(g.min, Some(AreaLimit::Ha(10.0)));
        assert_eq!(g.max, Some(AreaLimit::Ha(50.0)));
        assert_eq!(cfg.plan.bounds["ecological"].min, Some(AreaLimit::Ha(2.0)));
        // one mu is 666.67 m²
        let AreaLimit::Ha(one_mu_ha) = "1mu".parse::<AreaLimit>().unwrap() else {
            panic!("an area")
        };
        assert!((one_mu_ha * 1e4 - 666.666_666_666_7).abs() < 1e-9);
        assert!("12 mu2".parse::<AreaLimit>().is_err());
        assert!(parse_cap_ha("0mu").is_err());
    }
}
