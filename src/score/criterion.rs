//! The criterion: one measurable reason for (or against) a use, with its
//! unit, transfer function and weight. Users add their own by implementing
//! [`Criterion`] or wrapping a closure in [`FnCriterion`].

use std::fmt;

use super::layers::Layers;
use super::transfer::Transfer;

/// One criterion of a use's score (SPEC §4).
///
/// `raw` returns the criterion's raw value for parcel `i` of the stock (a
/// distance in m, residents, hectares, a count…; `+inf` for "none at all").
/// The score of a use is the weighted mean of `transfer().apply(raw)`.
///
/// ```
/// use landstock::score::{Criterion, Layers, Transfer};
/// /// Prefers parcels far from the stock's first parcel (a made-up criterion).
/// struct AwayFromFirst;
/// impl Criterion for AwayFromFirst {
///     fn name(&self) -> &str { "away from the first parcel" }
///     fn unit(&self) -> &str { "m" }
///     fn raw(&self, layers: &Layers<'_>, i: usize) -> f64 {
///         let s = layers.stock();
///         landstock::stock::distance_m(&s.get(0).geometry, &s.get(i).geometry)
///     }
///     fn transfer(&self) -> Transfer { Transfer::Ramp { lo: 0.0, hi: 1000.0 } }
///     fn weight(&self) -> f64 { 0.5 }
/// }
/// assert_eq!(AwayFromFirst.transfer().apply(250.0), 0.25);
/// ```
pub trait Criterion: Send + Sync {
    /// Short name, e.g. `"green deficit"`.
    fn name(&self) -> &str;
    /// Unit of the raw value, e.g. `"m"`, `"residents"`, `"ha"`.
    fn unit(&self) -> &str;
    /// The raw value for parcel `i` (an index into `layers.stock()`).
    fn raw(&self, layers: &Layers<'_>, i: usize) -> f64;
    /// How the raw value becomes a value in [0, 1].
    fn transfer(&self) -> Transfer;
    /// Weight before renormalisation (>= 0).
    fn weight(&self) -> f64;
}

/// A criterion made of a closure: `raw(layers, i)`.
///
/// ```
/// use landstock::score::{Criterion, FnCriterion, Transfer};
/// // Favour parcels whose data mark them as heritage.
/// let c = FnCriterion::new("listed", "flag", Transfer::Identity, 0.3, |layers, i| {
///     if layers.stock().get(i).facts.heritage { 1.0 } else { 0.0 }
/// });
/// assert_eq!(c.name(), "listed");
/// assert_eq!(c.weight(), 0.3);
/// ```
pub struct FnCriterion<F> {
    name: String,
    unit: String,
    transfer: Transfer,
    weight: f64,
    raw: F,
}

impl<F> FnCriterion<F>
where
    F: Fn(&Layers<'_>, usize) -> f64 + Send + Sync,
{
    /// A criterion named `name`, whose raw value in `unit` is `raw(layers, i)`.
    pub fn new(
        name: impl Into<String>,
        unit: impl Into<String>,
        transfer: Transfer,
        weight: f64,
        raw: F,
    ) -> Self {
        FnCriterion {
            name: name.into(),
            unit: unit.into(),
            transfer,
            weight,
            raw,
        }
    }
}

impl<F> Criterion for FnCriterion<F>
where
    F: Fn(&Layers<'_>, usize) -> f64 + Send + Sync,
{
    fn name(&self) -> &str {
        &self.name
    }
    fn unit(&self) -> &str {
        &self.unit
    }
    fn raw(&self, layers: &Layers<'_>, i: usize) -> f64 {
        (self.raw)(layers, i)
    }
    fn transfer(&self) -> Transfer {
        self.transfer.clone()
    }
    fn weight(&self) -> f64 {
        self.weight
    }
}

impl<F> fmt::Debug for FnCriterion<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FnCriterion")
            .field("name", &self.name)
            .field("unit", &self.unit)
            .field("transfer", &self.transfer)
            .field("weight", &self.weight)
            .finish_non_exhaustive()
    }
}
