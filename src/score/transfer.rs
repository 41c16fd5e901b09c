//! Transfer functions: how a criterion's raw value (metres, residents,
//! hectares, counts) becomes a value in [0, 1] (SPEC §4).

use std::fmt;

/// `clamp((x - lo) / (hi - lo), 0, 1)`: 0 at or below `lo`, 1 at or above
/// `hi`, linear in between. When `lo == hi` it is a step: 1 from `lo` on.
/// `+inf` maps to 1 and `-inf` to 0; NaN maps to 0.
///
/// ```
/// use landstock::score::ramp;
/// assert_eq!(ramp(650.0, 300.0, 1000.0), 0.5);
/// assert_eq!(ramp(100.0, 300.0, 1000.0), 0.0);
/// assert_eq!(ramp(f64::INFINITY, 300.0, 1000.0), 1.0);
/// assert_eq!(ramp(5.0, 5.0, 5.0), 1.0);
/// ```
pub fn ramp(x: f64, lo: f64, hi: f64) -> f64 {
    if x.is_nan() {
        return 0.0;
    }
    if x >= hi {
        1.0
    } else if x <= lo {
        0.0
    } else {
        ((x - lo) / (hi - lo)).clamp(0.0, 1.0)
    }
}

/// A transfer function from a raw value to [0, 1].
///
/// ```
/// use landstock::score::Transfer;
/// // "less is better": 1 - ramp(300 m, 1500 m), the transit criterion's default
/// let near = Transfer::InverseRamp { lo: 300.0, hi: 1500.0 };
/// assert_eq!(near.apply(900.0), 0.5);
/// assert_eq!(near.apply(f64::INFINITY), 0.0);
/// // moderate scale: rises from 0.5 ha to 2 ha, falls from 60 ha to 150 ha
/// let scale = Transfer::min(Transfer::Ramp { lo: 0.5, hi: 2.0 }, Transfer::InverseRamp { lo: 60.0, hi: 150.0 });
/// assert_eq!(scale.apply(1.25), 0.5);
/// assert_eq!(scale.apply(105.0), 0.5);
/// assert_eq!(Transfer::Identity.apply(0.6), 0.6);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Transfer {
    /// The raw value itself, clamped to [0, 1] (for values already in [0, 1]).
    Identity,
    /// [`ramp`]`(x, lo, hi)`: more is better.
    Ramp {
        /// Raw value at which the transfer leaves 0.
        lo: f64,
        /// Raw value at which it reaches 1.
        hi: f64,
    },
    /// `1 - ramp(x, lo, hi)`: less is better.
    InverseRamp {
        /// Raw value up to which the transfer is 1.
        lo: f64,
        /// Raw value from which it is 0.
        hi: f64,
    },
    /// The smaller of two transfers (e.g. "not too small and not too big").
    Min(Box<Transfer>, Box<Transfer>),
}

impl Transfer {
    /// The minimum of two transfers.
    ///
    /// ```
    /// use landstock::score::Transfer;
    /// let t = Transfer::min(Transfer::Identity, Transfer::Ramp { lo: 0.0, hi: 2.0 });
    /// assert_eq!(t.apply(0.8), 0.4);
    /// ```
    pub fn min(a: Transfer, b: Transfer) -> Transfer {
        Transfer::Min(Box::new(a), Box::new(b))
    }

    /// Maps a raw value into [0, 1].
    pub fn apply(&self, x: f64) -> f64 {
        match self {
            Transfer::Identity => {
                if x.is_nan() {
                    0.0
                } else {
                    x.clamp(0.0, 1.0)
                }
            }
            Transfer::Ramp { lo, hi } => ramp(x, *lo, *hi),
            Transfer::InverseRamp { lo, hi } => {
                if x.is_nan() {
                    0.0
                } else {
                    1.0 - ramp(x, *lo, *hi)
                }
            }
            Transfer::Min(a, b) => a.apply(x).min(b.apply(x)),
        }
    }
}

impl fmt::Display for Transfer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Transfer::Identity => f.write_str("identity"),
            Transfer::Ramp { lo, hi } => write!(f, "ramp({lo}, {hi})"),
            Transfer::InverseRamp { lo, hi } => write!(f, "1 - ramp({lo}, {hi})"),
            Transfer::Min(a, b) => write!(f, "min({a}, {b})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ramp_is_clamped_and_monotone() {
        let xs = [-1e9, -1.0, 0.0, 0.1, 2.5, 4.999, 5.0, 7.0, 1e12];
        let mut last = 0.0;
        for x in xs {
            let v = ramp(x, 0.0, 5.0);
            assert!((0.0..=1.0).contains(&v));
            assert!(v >= last);
            last = v;
        }
        assert_eq!(ramp(2.5, 0.0, 5.0), 0.5);
    }

    #[test]
    fn nan_never_leaks_into_a_score() {
        for t in [
            Transfer::Identity,
            Transfer::Ramp { lo: 0.0, hi: 1.0 },
            Transfer::InverseRamp { lo: 0.0, hi: 1.0 },
        ] {
            assert_eq!(t.apply(f64::NAN), 0.0, "{t}");
        }
    }

    #[test]
    fn display_reads_like_the_spec() {
        let t = Transfer::min(
            Transfer::Ramp { lo: 0.5, hi: 2.0 },
            Transfer::InverseRamp {
                lo: 60.0,
                hi: 150.0,
            },
        );
        assert_eq!(t.to_string(), "min(ramp(0.5, 2), 1 - ramp(60, 150))");
    }
}
