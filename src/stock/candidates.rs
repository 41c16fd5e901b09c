//! Candidates for repurposing (SPEC §3) and the user's locks on them.
//!
//! A parcel is a candidate when it is industrial or logistics land with
//! status `derelict`, or `vacant`, or carries the data's "candidate" flag
//! ([`Facts::candidate_flag`](crate::Facts)). Locks ([`crate::uses::Lock`]:
//! must convert, to a given use, or never convert) are carried as data by
//! parcel id; the planner enforces them.

use crate::parcel::{LandUse, Parcel, ParcelId, Status};
use crate::stock::ParcelStock;
use crate::uses::{Lock, Use};
use std::collections::BTreeMap;

/// Whether a parcel is a candidate for repurposing (SPEC §3).
///
/// ```
/// use geo::{polygon, MultiPolygon};
/// use landstock::{candidates::is_candidate, LandUse, Parcel, Status};
/// let sq = MultiPolygon(vec![polygon![(x: 0., y: 0.), (x: 1., y: 0.), (x: 1., y: 1.), (x: 0., y: 1.)]]);
/// let derelict_plant = Parcel::new("m1", sq.clone(), LandUse::Industrial, Status::Derelict);
/// let active_plant = Parcel::new("m2", sq.clone(), LandUse::Industrial, Status::Active);
/// let vacant_lot = Parcel::new("v1", sq.clone(), LandUse::Vacant, Status::Active);
/// assert!(is_candidate(&derelict_plant));
/// assert!(!is_candidate(&active_plant));
/// assert!(is_candidate(&vacant_lot));
/// let mut flagged = Parcel::new("r1", sq, LandUse::Residential, Status::Active);
/// flagged.facts.candidate_flag = true;
/// assert!(is_candidate(&flagged));
/// ```
pub fn is_candidate(p: &Parcel) -> bool {
    let by_class = match p.land_use {
        LandUse::Industrial | LandUse::Logistics => p.status == Status::Derelict,
        LandUse::Vacant => true,
        _ => false,
    };
    by_class || p.facts.candidate_flag
}

/// A lock that cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LockError {
    /// No parcel has this id.
    #[error("lock on parcel {id:?}: no accepted parcel has this id; check the id (and `landstock validate` for rejected features)")]
    UnknownParcel {
        /// The id given.
        id: ParcelId,
    },
    /// A lock-in on a parcel that is not a candidate.
    #[error("lock-in of parcel {id:?} to {to}: it is {land_use} ({status}), not a candidate; set its candidate flag to make it one")]
    NotACandidate {
        /// The parcel.
        id: ParcelId,
        /// The use it was locked into.
        to: Use,
        /// Its class.
        land_use: LandUse,
        /// Its status.
        status: Status,
    },
}

/// The candidates of a stock (indices into it, ascending) and their locks.
///
/// ```
/// use geo::{polygon, MultiPolygon};
/// use landstock::{LandUse, Parcel, Status, stock::ParcelStock};
/// use landstock::candidates::Candidates;
/// use landstock::plan::{Lock, Use};
/// let sq = |x: f64| MultiPolygon(vec![polygon![(x: x, y: 0.), (x: x + 1., y: 0.), (x: x + 1., y: 1.), (x: x, y: 1.)]]);
/// let stock = ParcelStock::new(vec![
///     Parcel::new("a", sq(0.), LandUse::Residential, Status::Active),
///     Parcel::new("b", sq(2.), LandUse::Vacant, Status::Active),
///     Parcel::new("c", sq(4.), LandUse::Logistics, Status::Derelict),
/// ]);
/// let c = Candidates::of(&stock)
///     .with_lock(&stock, "c", Lock::In(Use::Cultural)).unwrap();
/// assert_eq!(c.indices(), &[1, 2]);
/// assert_eq!(c.lock_of(&"c".into()), Some(Lock::In(Use::Cultural)));
/// assert!(c.clone().with_lock(&stock, "a", Lock::In(Use::Green)).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Candidates {
    indices: Vec<usize>,
    locks: BTreeMap<ParcelId, Lock>,
}

impl Candidates {
    /// Every candidate of the stock, no locks.
    pub fn of(stock: &ParcelStock) -> Candidates {
        Candidates {
            indices: (0..stock.len())
                .filter(|&i| is_candidate(stock.get(i)))
                .collect(),
            locks: BTreeMap::new(),
        }
    }

    /// Adds (or replaces) a lock. A lock-out of a parcel that is not a
    /// candidate is accepted and changes nothing; a lock-in of one is an
    /// error, as is an id that no parcel has.
    pub fn with_lock(
        mut self,
        stock: &ParcelStock,
        id: impl Into<ParcelId>,
        lock: Lock,
    ) -> Result<Candidates, LockError> {
        let id = id.into();
        let Some(i) = (0..stock.len()).find(|&i| stock.get(i).id == id) else {
            return Err(LockError::UnknownParcel { id });
        };
        let p = stock.get(i);
        if let (Lock::In(to), false) = (lock, is_candidate(p)) {
            if to == Use::Keep {
                // keep on a non-candidate changes nothing, like a lock-out
                self.locks.insert(id, Lock::Out);
                return Ok(self);
            }
            return Err(LockError::NotACandidate {
                id,
                to,
                land_use: p.land_use,
                status: p.status,
            });
        }
        self.locks.insert(id, lock);
        Ok(self)
    }

    /// Candidate indices into the stock, ascending.
    pub fn indices(&self) -> &[usize] {
        &self.indices
    }

    /// Number of candidates.
    pub fn len(&self) -> usize {
        self.indices.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }

    /// The locks, by parcel id.
    pub fn locks(&self) -> &BTreeMap<ParcelId, Lock> {
        &self.locks
    }

    /// A parcel's lock, if any.
    pub fn lock_of(&self, id: &ParcelId) -> Option<Lock> {
        self.locks.get(id).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{polygon, MultiPolygon};

    fn p(id: &str, u: LandUse, s: Status) -> Parcel {
        Parcel::new(
            id,
            MultiPolygon(vec![
                polygon![(x: 0., y: 0.), (x: 1., y: 0.), (x: 1., y: 1.), (x: 0., y: 1.)],
            ]),
            u,
            s,
        )
    }

    #[test]
    fn only_derelict_industry_vacant_land_and_flagged_parcels_are_candidates() {
        for u in LandUse::ALL {
            for s in [Status::Active, Status::Derelict] {
                let expect = matches!(
                    (u, s),
                    (LandUse::Industrial | LandUse::Logistics, Status::Derelict)
                        | (LandUse::Vacant, _)
                );
                assert_eq!(is_candidate(&p("x", u, s)), expect, "{u} {s}");
            }
        }
    }

    #[test]
    fn lock_out_of_a_non_candidate_is_harmless_and_unknown_ids_are_errors() {
        let stock = ParcelStock::new(vec![p("g", LandUse::Green, Status::Active)]);
        let c = Candidates::of(&stock)
            .with_lock(&stock, "g", Lock::Out)
            .unwrap();
        assert!(c.is_empty());
        let e = Candidates::of(&stock)
            .with_lock(&stock, "nope", Lock::Out)
            .unwrap_err();
        assert!(e.to_string().contains("\"nope\""), "{e}");
    }
}
