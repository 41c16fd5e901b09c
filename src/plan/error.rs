//! Errors of the planner: invalid input, and infeasibility as a value that
//! names the conflicting constraints with their amounts.

use std::fmt;

use super::constraints::{amount, ConstraintRef, PhaseSpec};
use super::Method;
use crate::uses::Use;
use crate::ParcelId;

/// Why a problem could not be built or solved.
///
/// ```
/// use landstock::plan::{PlanError, PlanProblem};
/// let err = PlanProblem::new(vec![], vec![]).build().unwrap_err();
/// assert_eq!(err, PlanError::MissingCap);
/// assert!(err.to_string().contains(".cap_ha("));
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// No cap was set.
    #[error("no land-scale cap: set one with .cap_ha(…) (SPEC §5: the cap is required)")]
    MissingCap,
    /// The cap is not a positive finite number.
    #[error("invalid cap {cap_ha} ha: must be finite and > 0")]
    InvalidCap {
        /// The value given.
        cap_ha: f64,
    },
    /// A candidate carries an invalid value.
    #[error("candidate {id} (index {index}): {reason}")]
    InvalidCandidate {
        /// Index in the candidate list.
        index: usize,
        /// Its id.
        id: ParcelId,
        /// What is wrong and what is expected.
        reason: String,
    },
    /// Two candidates share an id.
    #[error("candidate id {id} is used twice (indices {first} and {second}): ids must be unique")]
    DuplicateId {
        /// The id.
        id: ParcelId,
        /// First index.
        first: usize,
        /// Second index.
        second: usize,
    },
    /// A lock names an id that is not a candidate.
    #[error("lock on {id}: no candidate has this id")]
    UnknownLockId {
        /// The id.
        id: ParcelId,
    },
    /// A touching pair is invalid.
    #[error("touching pair {index}: {reason}")]
    InvalidPair {
        /// Index in the pair list.
        index: usize,
        /// What is wrong.
        reason: String,
    },
    /// Another setting is invalid.
    #[error("invalid plan setting: {reason}")]
    Invalid {
        /// What is wrong and what is expected.
        reason: String,
    },
    /// No assignment meets every constraint.
    #[error("infeasible plan: {}", join(conflicts))]
    Infeasible {
        /// The conflicting constraints, with amounts.
        conflicts: Vec<Conflict>,
    },
    /// A heuristic found no feasible plan (the problem may still be feasible).
    #[error("no plan found by the {} solver: {hint}", method.as_str())]
    NoPlanFound {
        /// The solver.
        method: Method,
        /// What to do.
        hint: &'static str,
    },
    /// HiGHS failed (not infeasibility).
    #[error("HiGHS failed: {message}")]
    Solver {
        /// What HiGHS reported.
        message: String,
    },
}

impl PlanError {
    pub(crate) fn invalid(reason: impl Into<String>) -> Self {
        PlanError::Invalid {
            reason: reason.into(),
        }
    }
}

fn join(conflicts: &[Conflict]) -> String {
    conflicts
        .iter()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

/// One reason a problem is infeasible, naming the constraints and amounts.
///
/// ```
/// use landstock::plan::{Conflict, Use};
/// let c = Conflict::MinUnreachable { use_: Use::Green, min_ha: 50.0, available_ha: 30.0 };
/// assert_eq!(c.to_string(), "min green 50 ha but only 30 ha of eligible candidates");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Conflict {
    /// A candidate is locked into a use it is not eligible for.
    LockedIneligible {
        /// The candidate.
        id: ParcelId,
        /// The locked use.
        use_: Use,
    },
    /// Locked-in conversions exceed the cap.
    LockedAreaExceedsCap {
        /// Area locked into conversions, ha.
        locked_ha: f64,
        /// The cap, ha.
        cap_ha: f64,
    },
    /// Locked-in conversions to one use exceed its maximum.
    LockedAreaExceedsMax {
        /// The use.
        use_: Use,
        /// Area locked into it, ha.
        locked_ha: f64,
        /// Its maximum, ha.
        max_ha: f64,
    },
    /// A minimum above a maximum of the same use.
    MinAboveMax {
        /// The use.
        use_: Use,
        /// The minimum, ha.
        min_ha: f64,
        /// The maximum, ha.
        max_ha: f64,
    },
    /// Not enough eligible area to meet a minimum.
    MinUnreachable {
        /// The use.
        use_: Use,
        /// The minimum, ha.
        min_ha: f64,
        /// Area of candidates that may take the use, ha.
        available_ha: f64,
    },
    /// The minimums together (each use needs its own parcels) exceed the cap.
    MinimumsExceedCap {
        /// Σ of the largest minimum of each use, ha.
        minimums_ha: f64,
        /// The cap, ha.
        cap_ha: f64,
    },
    /// Locked conversions cost more than the budget plus every possible auction.
    BudgetUnreachable {
        /// Cost of the locked-in conversions.
        locked_cost: f64,
        /// The budget.
        budget: f64,
        /// Revenue if every auctionable candidate were redeveloped.
        max_revenue: f64,
    },
    /// Even converting every eligible candidate to ecological land misses the target.
    ConstructionTargetUnreachable {
        /// The least construction land reachable, ha.
        min_after_ha: f64,
        /// The target, ha.
        target_ha: f64,
    },
    /// The target needs more ecological conversion than the cap leaves room for.
    ConstructionTargetExceedsCap {
        /// Ecological conversion of construction land needed, ha.
        needed_ha: f64,
        /// Room left in the cap after locked-in conversions, ha.
        room_ha: f64,
        /// The cap, ha.
        cap_ha: f64,
    },
    /// The solver proved these constraints cannot hold together.
    Jointly {
        /// Every constraint of the problem.
        constraints: Vec<ConstraintRef>,
    },
    /// The solver proved that no phased plan meets the final-plan
    /// constraints with these phases' caps and money.
    PhasesJointly {
        /// Every final-plan constraint (total cap, bounds, target, total money).
        constraints: Vec<ConstraintRef>,
        /// The phases.
        phases: Vec<PhaseSpec>,
    },
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = amount;
        match self {
            Conflict::LockedIneligible { id, use_ } => write!(
                f,
                "candidate {id} is locked into {use_} but is not eligible for it"
            ),
            Conflict::LockedAreaExceedsCap { locked_ha, cap_ha } => write!(
                f,
                "locked-in area {} ha > cap {} ha",
                a(*locked_ha),
                a(*cap_ha)
            ),
            Conflict::LockedAreaExceedsMax { use_, locked_ha, max_ha } => write!(
                f,
                "locked-in {use_} area {} ha > max {use_} {} ha",
                a(*locked_ha),
                a(*max_ha)
            ),
            Conflict::MinAboveMax { use_, min_ha, max_ha } => write!(
                f,
                "min {use_} {} ha > max {use_} {} ha",
                a(*min_ha),
                a(*max_ha)
            ),
            Conflict::MinUnreachable { use_, min_ha, available_ha } => write!(
                f,
                "min {use_} {} ha but only {} ha of eligible candidates",
                a(*min_ha),
                a(*available_ha)
            ),
            Conflict::MinimumsExceedCap { minimums_ha, cap_ha } => write!(
                f,
                "per-use minimums total {} ha > cap {} ha",
                a(*minimums_ha),
                a(*cap_ha)
            ),
            Conflict::BudgetUnreachable { locked_cost, budget, max_revenue } => write!(
                f,
                "locked conversions cost {} > budget {} + max auction revenue {}",
                a(*locked_cost),
                a(*budget),
                a(*max_revenue)
            ),
            Conflict::ConstructionTargetUnreachable { min_after_ha, target_ha } => write!(
                f,
                "construction target unreachable: even converting all eligible candidates to ecological land leaves {} ha > target {} ha",
                a(*min_after_ha),
                a(*target_ha)
            ),
            Conflict::ConstructionTargetExceedsCap { needed_ha, room_ha, cap_ha } => write!(
                f,
                "construction target needs {} ha of ecological conversion but cap {} ha leaves room for {} ha",
                a(*needed_ha),
                a(*cap_ha),
                a(*room_ha)
            ),
            Conflict::Jointly { constraints } => write!(
                f,
                "no assignment meets these constraints together: {}",
                constraints
                    .iter()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Conflict::PhasesJointly {
                constraints,
                phases,
            } => write!(
                f,
                "no phased plan meets these constraints together: {}; phases {}",
                constraints
                    .iter()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                phases
                    .iter()
                    .map(PhaseSpec::describe)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}
