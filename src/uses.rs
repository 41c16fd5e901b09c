//! The vocabulary scoring and planning share: what the plan may do with a
//! candidate ([`Use`]) and a user's lock on it ([`Lock`]), and which classes
//! may become a cultural district by default.

use std::fmt;

use crate::LandUse;

/// Classes whose parcels may become a 798-style cultural district unless
/// `[scoring] cultural_origins` says otherwise: industrial and logistics
/// buildings, the ones adaptive reuse turns into studios and galleries
/// (SPEC §4). The scorer, the `[scoring]` defaults and
/// [`PlanInput`](crate::pipeline::PlanInput) read this one list.
///
/// ```
/// use landstock::{uses::DEFAULT_CULTURAL_ORIGINS, LandUse};
/// assert_eq!(DEFAULT_CULTURAL_ORIGINS, [LandUse::Industrial, LandUse::Logistics]);
/// ```
pub const DEFAULT_CULTURAL_ORIGINS: [LandUse; 2] = [LandUse::Industrial, LandUse::Logistics];

/// What the plan does with a candidate (SPEC §5).
///
/// ```
/// use landstock::uses::Use;
/// assert_eq!(Use::Cultural.as_str(), "cultural");
/// assert!(!Use::Keep.is_conversion());
/// assert_eq!(Use::CONVERSIONS.len(), 4);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Use {
    /// Left as it is; the slack of every constraint.
    Keep,
    /// Turned into a park (stays construction land).
    Green,
    /// Returned to ecological land (leaves construction land).
    Ecological,
    /// 798-style cultural district (adaptive reuse of industrial buildings).
    Cultural,
    /// Auctioned to a developer; zero benefit, raises revenue for the budget.
    Redevelop,
}

impl Use {
    /// Every use, `Keep` first.
    pub const ALL: [Use; 5] = [
        Use::Keep,
        Use::Green,
        Use::Ecological,
        Use::Cultural,
        Use::Redevelop,
    ];
    /// The uses that count against the cap (everything but `Keep`).
    pub const CONVERSIONS: [Use; 4] = [Use::Green, Use::Ecological, Use::Cultural, Use::Redevelop];

    /// Whether the use converts the parcel (counts against the cap).
    pub fn is_conversion(self) -> bool {
        self != Use::Keep
    }

    /// The lower-case name used in configs and outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Use::Keep => "keep",
            Use::Green => "green",
            Use::Ecological => "ecological",
            Use::Cultural => "cultural",
            Use::Redevelop => "redevelop",
        }
    }

    /// Index into [`Use::ALL`].
    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Use {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Parses a use name as written in configs (`green`, `ecological`,
/// `cultural`, `redevelop`, `keep`; case and surrounding blanks ignored).
///
/// ```
/// use landstock::uses::Use;
/// assert_eq!(" Cultural".parse::<Use>(), Ok(Use::Cultural));
/// assert!("park".parse::<Use>().unwrap_err().contains("green, ecological"));
/// ```
impl std::str::FromStr for Use {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Use::ALL
            .into_iter()
            .find(|u| u.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                format!("unknown use {s:?}: expected one of green, ecological, cultural, redevelop, keep")
            })
    }
}

/// A user's lock on a candidate (SPEC §3): must convert to a given use, or
/// must never convert. `Lock::In(Use::Keep)` means the same as `Lock::Out`.
///
/// ```
/// use landstock::uses::{Lock, Use};
/// assert_ne!(Lock::In(Use::Green), Lock::Out);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lock {
    /// The candidate must be given this use.
    In(Use),
    /// The candidate is never converted.
    Out,
}

/// Parses a lock as written in `[plan.locks]`: a use name or `out` (case and
/// surrounding blanks ignored).
///
/// ```
/// use landstock::uses::{Lock, Use};
/// assert_eq!("out".parse::<Lock>(), Ok(Lock::Out));
/// assert_eq!(" Green".parse::<Lock>(), Ok(Lock::In(Use::Green)));
/// assert!("parking".parse::<Lock>().unwrap_err().ends_with(", or out"));
/// ```
impl std::str::FromStr for Lock {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.trim().eq_ignore_ascii_case("out") {
            Ok(Lock::Out)
        } else {
            s.parse::<Use>()
                .map(Lock::In)
                .map_err(|e| format!("{e}, or out"))
        }
    }
}
