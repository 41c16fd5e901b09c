//! A candidate parcel as the planner sees it: its area, origin, scores,
//! lock and the boundaries it shares with other candidates.

use crate::uses::{Lock, Use};
use crate::{LandUse, ParcelId};

/// Suitability scores in [0, 1] per conversion use; `None` means ineligible.
///
/// ```
/// use landstock::plan::Scores;
/// let s = Scores { green: Some(0.7), ..Scores::default() };
/// assert_eq!(s.ecological, None);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Scores {
    /// Park score.
    pub green: Option<f64>,
    /// Ecological-land score.
    pub ecological: Option<f64>,
    /// Cultural-district score (only used for industrial/logistics origin by default).
    pub cultural: Option<f64>,
}

impl Scores {
    /// The score of a use; `Keep` and `Redevelop` carry no score.
    pub fn get(&self, u: Use) -> Option<f64> {
        match u {
            Use::Green => self.green,
            Use::Ecological => self.ecological,
            Use::Cultural => self.cultural,
            Use::Keep | Use::Redevelop => None,
        }
    }
}

/// One parcel the plan may convert, with everything the planner needs.
///
/// ```
/// use landstock::plan::{Candidate, Lock, Scores, Use};
/// use landstock::LandUse;
/// let c = Candidate::new("m-17", 25_000.0, LandUse::Industrial)
///     .with_scores(Scores { green: Some(0.4), ecological: Some(0.2), cultural: Some(0.9) })
///     .with_perimeter_m(640.0)
///     .with_lock(Lock::In(Use::Cultural));
/// assert_eq!(c.area_m2, 25_000.0);
/// assert_eq!(c.lock, Some(Lock::In(Use::Cultural)));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The parcel id; ties break by it (byte-wise).
    pub id: ParcelId,
    /// Area in m² (metric CRS); must be positive and finite.
    pub area_m2: f64,
    /// Perimeter in m, hole rings included; used by the adjacency bonus.
    pub perimeter_m: f64,
    /// Canonical class before the plan.
    pub origin: LandUse,
    /// Contaminated site: remediation cost for green and cultural.
    pub contaminated: bool,
    /// Auction value per m²; `None` uses [`Costs::default_land_value_per_m2`].
    pub land_value_per_m2: Option<f64>,
    /// Suitability per use; `None` = ineligible.
    pub scores: Scores,
    /// A user lock, if any.
    pub lock: Option<Lock>,
}

impl Candidate {
    /// A candidate with no scores (eligible for nothing yet), not
    /// contaminated, default land value, no lock, and the perimeter of a
    /// square of the same area (override with [`Candidate::with_perimeter_m`]).
    pub fn new(id: impl Into<ParcelId>, area_m2: f64, origin: LandUse) -> Self {
        Candidate {
            id: id.into(),
            area_m2,
            perimeter_m: 4.0 * area_m2.max(0.0).sqrt(),
            origin,
            contaminated: false,
            land_value_per_m2: None,
            scores: Scores::default(),
            lock: None,
        }
    }
    /// Sets the scores.
    pub fn with_scores(mut self, scores: Scores) -> Self {
        self.scores = scores;
        self
    }
    /// Sets the perimeter (m, hole rings included).
    pub fn with_perimeter_m(mut self, perimeter_m: f64) -> Self {
        self.perimeter_m = perimeter_m;
        self
    }
    /// Marks the site contaminated (or not).
    pub fn with_contaminated(mut self, contaminated: bool) -> Self {
        self.contaminated = contaminated;
        self
    }
    /// Sets the land value per m² used for auction revenue.
    pub fn with_land_value_per_m2(mut self, value: f64) -> Self {
        self.land_value_per_m2 = Some(value);
        self
    }
    /// Sets a lock.
    pub fn with_lock(mut self, lock: Lock) -> Self {
        self.lock = Some(lock);
        self
    }
}

/// Two candidates (indices into the candidate list) that share a boundary of
/// `shared_len_m` metres. Pairs with zero length (touching at points) are
/// ignored; a pair may be listed only once (in either order).
///
/// ```
/// use landstock::plan::TouchingPair;
/// let p = TouchingPair { a: 0, b: 1, shared_len_m: 80.0 };
/// assert_eq!(p.shared_len_m, 80.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TouchingPair {
    /// Index of the first candidate.
    pub a: usize,
    /// Index of the second candidate.
    pub b: usize,
    /// Length of the shared boundary, m.
    pub shared_len_m: f64,
}
