//! The limits a plan works under, as values: per-use bounds, unit costs
//! and the budget, the construction-land target, the phases' caps and money,
//! and how each constraint is named in conflicts and binding reports.

use std::fmt;

use super::Candidate;
use crate::uses::Use;

/// A per-use area bound: minimum or maximum, in hectares or as a share of the cap.
///
/// ```
/// use landstock::plan::Bound;
/// assert_eq!(Bound::max_share(0.3).limit_ha(120.0), 36.0);
/// assert_eq!(Bound::min_ha(12.0).limit_ha(120.0), 12.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    /// Minimum or maximum.
    pub kind: BoundKind,
    /// Hectares or share of the cap.
    pub amount: BoundAmount,
}

/// Whether a [`Bound`] is a floor or a ceiling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoundKind {
    /// Area of the use >= limit.
    Min,
    /// Area of the use <= limit.
    Max,
}

/// The amount of a [`Bound`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BoundAmount {
    /// Hectares.
    Ha(f64),
    /// Share of the cap, in [0, 1].
    ShareOfCap(f64),
}

impl Bound {
    /// At least `ha` hectares.
    pub fn min_ha(ha: f64) -> Self {
        Bound {
            kind: BoundKind::Min,
            amount: BoundAmount::Ha(ha),
        }
    }
    /// At most `ha` hectares.
    pub fn max_ha(ha: f64) -> Self {
        Bound {
            kind: BoundKind::Max,
            amount: BoundAmount::Ha(ha),
        }
    }
    /// At least `share` (0–1) of the cap.
    pub fn min_share(share: f64) -> Self {
        Bound {
            kind: BoundKind::Min,
            amount: BoundAmount::ShareOfCap(share),
        }
    }
    /// At most `share` (0–1) of the cap.
    pub fn max_share(share: f64) -> Self {
        Bound {
            kind: BoundKind::Max,
            amount: BoundAmount::ShareOfCap(share),
        }
    }
    /// The limit in hectares for a given cap.
    pub fn limit_ha(&self, cap_ha: f64) -> f64 {
        match self.amount {
            BoundAmount::Ha(ha) => ha,
            BoundAmount::ShareOfCap(s) => s * cap_ha,
        }
    }
}

/// Conversion costs and auction revenue, per m² (SPEC §5 defaults).
///
/// ```
/// use landstock::plan::Costs;
/// let c = Costs::default();
/// assert_eq!((c.green_per_m2, c.ecological_per_m2, c.cultural_per_m2), (150.0, 60.0, 900.0));
/// assert_eq!(c.remediation_per_m2, 400.0);
/// assert_eq!(c.default_land_value_per_m2, 1500.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Costs {
    /// Park construction.
    pub green_per_m2: f64,
    /// Ecological restoration.
    pub ecological_per_m2: f64,
    /// Renovation for a cultural district.
    pub cultural_per_m2: f64,
    /// Extra for contaminated sites converted to green or cultural.
    pub remediation_per_m2: f64,
    /// Land value when a candidate has none (auction revenue = value × area).
    pub default_land_value_per_m2: f64,
}

impl Default for Costs {
    fn default() -> Self {
        Costs {
            green_per_m2: 150.0,
            ecological_per_m2: 60.0,
            cultural_per_m2: 900.0,
            remediation_per_m2: 400.0,
            default_land_value_per_m2: 1500.0,
        }
    }
}

impl Costs {
    /// The conversion cost of giving `c` the use `u` (0 for keep and redevelop).
    ///
    /// ```
    /// use landstock::plan::{Candidate, Costs, Use};
    /// use landstock::LandUse;
    /// let c = Candidate::new("x", 1_000.0, LandUse::Industrial).with_contaminated(true);
    /// assert_eq!(Costs::default().cost(&c, Use::Green), 550.0 * 1_000.0);
    /// assert_eq!(Costs::default().cost(&c, Use::Redevelop), 0.0);
    /// ```
    pub fn cost(&self, c: &Candidate, u: Use) -> f64 {
        let remediation = if c.contaminated {
            self.remediation_per_m2
        } else {
            0.0
        };
        let per_m2 = match u {
            Use::Keep | Use::Redevelop => 0.0,
            Use::Green => self.green_per_m2 + remediation,
            Use::Ecological => self.ecological_per_m2,
            Use::Cultural => self.cultural_per_m2 + remediation,
        };
        per_m2 * c.area_m2
    }

    /// Auction revenue of redeveloping `c`.
    ///
    /// ```
    /// use landstock::plan::{Candidate, Costs};
    /// use landstock::LandUse;
    /// let c = Candidate::new("x", 1_000.0, LandUse::Industrial);
    /// assert_eq!(Costs::default().revenue(&c), 1_500_000.0);
    /// ```
    pub fn revenue(&self, c: &Candidate) -> f64 {
        c.land_value_per_m2
            .unwrap_or(self.default_land_value_per_m2)
            * c.area_m2
    }
}

/// Construction land before the plan and the target after it, ha.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConstructionTarget {
    /// The city's construction land before the plan (all parcels), ha.
    pub before_ha: f64,
    /// Construction land after the plan must not exceed this, ha.
    pub target_ha: f64,
}

/// The budget constraint: Σ cost <= amount + Σ auction revenue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budget {
    /// Money available (same currency as the costs).
    pub amount: f64,
    /// Unit costs and land value.
    pub costs: Costs,
}

/// The building blocks of a problem, as named in conflicts and binding reports.
#[derive(Debug, Clone, PartialEq)]
pub enum ConstraintRef {
    /// The total land-scale cap, ha.
    Cap {
        /// The cap.
        cap_ha: f64,
    },
    /// A per-use minimum, ha.
    MinArea {
        /// The use.
        use_: Use,
        /// The floor in ha.
        min_ha: f64,
    },
    /// A per-use maximum, ha.
    MaxArea {
        /// The use.
        use_: Use,
        /// The ceiling in ha.
        max_ha: f64,
    },
    /// Construction land after the plan <= target.
    ConstructionTarget {
        /// Construction land before the plan, ha.
        before_ha: f64,
        /// Target, ha.
        target_ha: f64,
    },
    /// Σ cost <= budget + Σ revenue.
    Budget {
        /// The budget.
        budget: f64,
    },
    /// Differ from an earlier alternative plan by at least `min_ha`
    /// (area of the parcels whose use differs).
    DifferFrom {
        /// The earlier plan (0 is the optimum).
        plan: usize,
        /// The least area that differs, ha.
        min_ha: f64,
    },
}

impl fmt::Display for ConstraintRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = amount;
        match self {
            ConstraintRef::Cap { cap_ha } => write!(f, "cap {} ha", a(*cap_ha)),
            ConstraintRef::MinArea { use_, min_ha } => write!(f, "min {use_} {} ha", a(*min_ha)),
            ConstraintRef::MaxArea { use_, max_ha } => write!(f, "max {use_} {} ha", a(*max_ha)),
            ConstraintRef::ConstructionTarget {
                before_ha,
                target_ha,
            } => write!(
                f,
                "construction land target {} ha (from {} ha)",
                a(*target_ha),
                a(*before_ha)
            ),
            ConstraintRef::Budget { budget } => write!(f, "budget {}", a(*budget)),
            ConstraintRef::DifferFrom { plan, min_ha } => {
                write!(f, "differ from plan {plan} by {} ha", a(*min_ha))
            }
        }
    }
}

/// A constraint of the solved plan and how close the plan is to its limit.
#[derive(Debug, Clone, PartialEq)]
pub struct ConstraintStatus {
    /// The constraint.
    pub constraint: ConstraintRef,
    /// Distance to the limit in the constraint's unit (ha or currency), >= 0 when met.
    pub slack: f64,
    /// Whether the constraint binds: the plan sits at the limit (slack
    /// within 1e-6), or the room left is smaller than what any conversion
    /// worth something, of a candidate the plan keeps, would take (a cap with
    /// 0.01 ha left binds when the smallest worthwhile parcel has 0.05 ha).
    pub binding: bool,
}

/// One phase: the area it may convert and the new money it brings.
///
/// ```
/// use landstock::plan::PhaseSpec;
/// let p = PhaseSpec::new(40.0).with_budget(2e6);
/// assert_eq!((p.cap_ha, p.budget), (40.0, Some(2e6)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PhaseSpec {
    /// Area converted in this phase, at most (ha).
    pub cap_ha: f64,
    /// New money arriving at the start of the phase (see the module docs for
    /// `None`).
    pub budget: Option<f64>,
}

impl PhaseSpec {
    /// A phase with a cap and no money of its own.
    pub fn new(cap_ha: f64) -> Self {
        PhaseSpec {
            cap_ha,
            budget: None,
        }
    }
    /// Sets the new money of the phase.
    pub fn with_budget(mut self, budget: f64) -> Self {
        self.budget = Some(budget);
        self
    }

    /// "40 ha (money 2000000)", for conflict messages.
    ///
    /// ```
    /// use landstock::plan::PhaseSpec;
    /// assert_eq!(PhaseSpec::new(40.0).with_budget(2e6).describe(), "40 ha (money 2000000)");
    /// ```
    pub fn describe(&self) -> String {
        match self.budget {
            Some(b) => format!("{} ha (money {})", amount(self.cap_ha), amount(b)),
            None => format!("{} ha", amount(self.cap_ha)),
        }
    }
}

/// Formats an amount without floating-point noise (at most 4 decimals).
pub(crate) fn amount(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 * x.abs().max(1.0) {
        format!("{}", x.round())
    } else {
        let s = format!("{x:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}
