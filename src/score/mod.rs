//! Suitability scoring (SPEC §4): each candidate gets a score in [0, 1] for
//! each target use — green space, ecological land, cultural district — as the
//! weighted mean of criteria, with a per-criterion breakdown that says why.
//!
//! * [`transfer`](Transfer): raw value → [0, 1] ([`ramp`], `1 - ramp`,
//!   identity, the minimum of two).
//! * [`Criterion`]: one measurable reason; built-in ones live in
//!   [`green`], [`ecological`] and [`cultural`]; users add their own (a
//!   closure works: [`FnCriterion`]) with [`Scorer::with_criterion`].
//! * [`Layers`]: the stock, its [`Context`](crate::stock::context::Context) and
//!   small per-class R-trees, built once per run.
//! * [`Scorer`]: the criteria of each use, built from a [`ScoringConfig`];
//!   [`Scorer::score`] scores candidates in parallel (rayon) with identical
//!   output whatever the number of threads.
//!
//! A criterion whose optional layer is absent (no transit layer) is
//! dropped and reported ([`UseSheet::dropped`]); the remaining weights are
//! renormalised to sum to 1. A class that is merely empty (no green parcel at
//! all) gives a distance of `+inf`: the criterion is kept and its raw value
//! is reported as `None`.
//!
//! ```
//! use geo::{polygon, MultiPolygon};
//! use landstock::{LandUse, Parcel, Status, stock::ParcelStock};
//! use landstock::context::{Context, ContextOptions};
//! use landstock::score::{Layers, Scorer, ScoringConfig, TargetUse};
//! let sq = |x: f64, side: f64| MultiPolygon(vec![polygon![(x: x, y: 0.), (x: x + side, y: 0.), (x: x + side, y: side), (x: x, y: side)]]);
//! let stock = ParcelStock::new(vec![
//!     Parcel::new("home", sq(0., 100.), LandUse::Residential, Status::Active), // 200 residents
//!     Parcel::new("lot", sq(200., 100.), LandUse::Vacant, Status::Active),
//!     Parcel::new("plant", sq(400., 150.), LandUse::Industrial, Status::Derelict),
//! ]);
//! let cx = Context::new(&stock, &ContextOptions::default());
//! let layers = Layers::new(&stock, &cx);
//! let scorer = Scorer::new(&ScoringConfig::default(), &layers);
//! let sheet = scorer.score(&layers, &[1, 2]).unwrap();
//! let lot = &sheet.rows()[0];
//! assert!(lot.get(TargetUse::Cultural).is_none(), "a vacant lot cannot become a 798-style district");
//! let bd = sheet.breakdown(lot, TargetUse::Green).unwrap();
//! assert_eq!(bd[0].criterion, "unserved demand");
//! assert_eq!(bd[0].raw, Some(200.0), "the home, 100 m away, has no park within 500 m");
//! assert_eq!(bd[1].raw, None, "no green parcel at all: +inf, reported as null");
//! assert_eq!(bd[1].value, 1.0);
//! let weights: f64 = bd.iter().map(|c| c.weight).sum();
//! assert!((weights - 1.0).abs() < 1e-12);
//! assert_eq!(sheet.use_sheet(TargetUse::Cultural).dropped[0].name, "transit");
//! ```

mod criterion;
pub mod cultural;
pub mod ecological;
pub mod green;
mod grid;
mod layers;
mod transfer;

use std::fmt;

use rayon::prelude::*;

pub use crate::config::scoring::{
    Adjacency, Amenities, Centrality, CleanSite, Cluster, Compactness, CulturalConfig, EcoSize,
    EcologicalConfig, GreenConfig, GreenDeficit, Heritage, LowDensity, ModerateScale,
    Peripherality, ScoringConfig, SettingError, SizeFit, Transit, UnservedDemand,
};
pub use crate::stock::{ParcelIndex, PointIndex};
pub use criterion::{Criterion, FnCriterion};
pub use green::{perimeter_m, polsby_popper};
pub use grid::SumGrid;
pub use layers::{Layers, OrderFreeSum};
pub use transfer::{ramp, Transfer};

use crate::parcel::{LandUse, Parcel};

/// A use a candidate is scored for.
///
/// ```
/// use landstock::score::TargetUse;
/// assert_eq!(TargetUse::ALL.map(|u| u.as_str()), ["green", "ecological", "cultural"]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TargetUse {
    /// A park.
    Green,
    /// Ecological land.
    Ecological,
    /// A 798-style cultural district.
    Cultural,
}

impl TargetUse {
    /// The three uses, in output order.
    pub const ALL: [TargetUse; 3] = [TargetUse::Green, TargetUse::Ecological, TargetUse::Cultural];

    /// The lower-case name used in configs and outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            TargetUse::Green => "green",
            TargetUse::Ecological => "ecological",
            TargetUse::Cultural => "cultural",
        }
    }

    fn idx(self) -> usize {
        self as usize
    }
}

impl fmt::Display for TargetUse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A criterion left out, and why (its input layer is absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    /// The criterion's name.
    pub name: String,
    /// Why it was left out.
    pub reason: String,
}

/// Scoring could not be done.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ScoreError {
    /// After dropping criteria whose layer is absent, a use has no criterion
    /// of positive weight.
    #[error("{use_}: no criterion with a positive weight is left (dropped: {dropped}); give the missing layer or weight another criterion")]
    NoWeight {
        /// The use.
        use_: TargetUse,
        /// The dropped criteria, comma-separated.
        dropped: String,
    },
    /// A (user) criterion has a negative or non-finite weight.
    #[error("{use_}: criterion {name:?} has weight {weight}; weights must be finite and >= 0")]
    BadWeight {
        /// The use.
        use_: TargetUse,
        /// The criterion.
        name: String,
        /// Its weight.
        weight: f64,
    },
}

/// The criteria of one use.
#[derive(Default)]
struct UseCriteria {
    criteria: Vec<Box<dyn Criterion>>,
    dropped: Vec<Dropped>,
}

/// The criteria of every use, and which origins may become cultural
/// districts. Built for one [`Layers`]: scoring with the layers of another
/// stock is a logic error (built-in criteria hold indexes into the stock).
///
/// ```
/// use geo::{polygon, MultiPolygon};
/// use landstock::{LandUse, Parcel, Status, stock::ParcelStock};
/// use landstock::context::{Context, ContextOptions};
/// use landstock::score::{FnCriterion, Layers, Scorer, ScoringConfig, TargetUse, Transfer};
/// let sq = MultiPolygon(vec![polygon![(x: 0., y: 0.), (x: 100., y: 0.), (x: 100., y: 100.), (x: 0., y: 100.)]]);
/// let stock = ParcelStock::new(vec![Parcel::new("lot", sq, LandUse::Vacant, Status::Active)]);
/// let cx = Context::new(&stock, &ContextOptions::default());
/// let layers = Layers::new(&stock, &cx);
/// // Our own criterion: lots whose id starts with "lot" are owned by the city.
/// let city_owned = FnCriterion::new("city owned", "flag", Transfer::Identity, 1.0, |l, i| {
///     if l.stock().get(i).id.as_str().starts_with("lot") { 1.0 } else { 0.0 }
/// });
/// let scorer = Scorer::new(&ScoringConfig::default(), &layers).with_criterion(TargetUse::Green, city_owned);
/// let sheet = scorer.score(&layers, &[0]).unwrap();
/// let green = sheet.use_sheet(TargetUse::Green);
/// assert_eq!(green.criteria.last().unwrap().name, "city owned");
/// assert!((green.criteria.last().unwrap().weight - 0.5).abs() < 1e-12, "1.0 of a total of 2.0");
/// ```
pub struct Scorer {
    uses: [UseCriteria; 3],
    cultural_origins: Vec<LandUse>,
}

impl fmt::Debug for Scorer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Scorer");
        for u in TargetUse::ALL {
            let names: Vec<&str> = self.uses[u.idx()]
                .criteria
                .iter()
                .map(|c| c.name())
                .collect();
            d.field(u.as_str(), &names);
        }
        d.field("cultural_origins", &self.cultural_origins).finish()
    }
}

impl Scorer {
    /// The built-in criteria of SPEC §4, as configured (disabled ones left
    /// out; those whose layer is absent dropped and reported). The
    /// configuration is assumed valid ([`ScoringConfig::validate`]).
    pub fn new(cfg: &ScoringConfig, layers: &Layers<'_>) -> Scorer {
        // the three uses' precomputations (grids, unserved homes) in parallel
        let (((g, gd), (e, ed)), (c, cd)) = rayon::join(
            || {
                rayon::join(
                    || green::criteria(&cfg.green, layers),
                    || ecological::criteria(&cfg.ecological, layers),
                )
            },
            || cultural::criteria(&cfg.cultural, layers),
        );
        Scorer {
            uses: [
                UseCriteria {
                    criteria: g,
                    dropped: gd,
                },
                UseCriteria {
                    criteria: e,
                    dropped: ed,
                },
                UseCriteria {
                    criteria: c,
                    dropped: cd,
                },
            ],
            cultural_origins: cfg.cultural_origins.clone(),
        }
    }

    /// No criterion at all (add your own); cultural origins industrial and
    /// logistics.
    pub fn empty() -> Scorer {
        Scorer {
            uses: Default::default(),
            cultural_origins: crate::uses::DEFAULT_CULTURAL_ORIGINS.to_vec(),
        }
    }

    /// Adds a criterion to a use (accumulates).
    pub fn with_criterion(mut self, use_: TargetUse, c: impl Criterion + 'static) -> Scorer {
        self.uses[use_.idx()].criteria.push(Box::new(c));
        self
    }

    /// Replaces the classes whose parcels may become cultural districts.
    pub fn with_cultural_origins(mut self, origins: &[LandUse]) -> Scorer {
        self.cultural_origins = origins.to_vec();
        self
    }

    /// The criteria of a use, in breakdown order.
    pub fn criteria(&self, use_: TargetUse) -> &[Box<dyn Criterion>] {
        &self.uses[use_.idx()].criteria
    }

    /// Whether a parcel may be given a use: green and ecological are open
    /// to every candidate; cultural only to the configured origins.
    pub fn is_eligible(&self, p: &Parcel, use_: TargetUse) -> bool {
        use_ != TargetUse::Cultural || self.cultural_origins.contains(&p.land_use)
    }

    /// Scores the given parcels (indices into `layers.stock()`), in
    /// parallel; rows come back in the order given.
    pub fn score(
        &self,
        layers: &Layers<'_>,
        candidates: &[usize],
    ) -> Result<ScoreSheet, ScoreError> {
        let mut sheets = Vec::with_capacity(3);
        let mut transfers = Vec::with_capacity(3);
        let mut weights = Vec::with_capacity(3);
        for u in TargetUse::ALL {
            let uc = &self.uses[u.idx()];
            let mut total = 0.0;
            for c in &uc.criteria {
                let w = c.weight();
                if !(w.is_finite() && w >= 0.0) {
                    return Err(ScoreError::BadWeight {
                        use_: u,
                        name: c.name().to_string(),
                        weight: w,
                    });
                }
                total += w;
            }
            if total <= 0.0 {
                return Err(ScoreError::NoWeight {
                    use_: u,
                    dropped: uc
                        .dropped
                        .iter()
                        .map(|d| d.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            }
            let w: Vec<f64> = uc.criteria.iter().map(|c| c.weight() / total).collect();
            sheets.push(UseSheet {
                use_: u,
                criteria: uc
                    .criteria
                    .iter()
                    .zip(&w)
                    .map(|(c, &weight)| CriterionInfo {
                        name: c.name().to_string(),
                        unit: c.unit().to_string(),
                        weight,
                        transfer: c.transfer(),
                    })
                    .collect(),
                dropped: uc.dropped.clone(),
            });
            transfers.push(uc.criteria.iter().map(|c| c.transfer()).collect::<Vec<_>>());
            weights.push(w);
        }
        let stock = layers.stock();
        let rows: Vec<CandidateScore> = candidates
            .par_iter()
            .map(|&i| {
                let p = stock.get(i);
                let mut scores: [Option<UseScore>; 3] = [None, None, None];
                for u in TargetUse::ALL {
                    if !self.is_eligible(p, u) {
                        continue;
                    }
                    let k = u.idx();
                    let criteria = &self.uses[k].criteria;
                    let mut raw = Vec::with_capacity(criteria.len());
                    let mut value = Vec::with_capacity(criteria.len());
                    let mut s = 0.0;
                    for ((c, t), w) in criteria.iter().zip(&transfers[k]).zip(&weights[k]) {
                        let r = c.raw(layers, i);
                        let v = t.apply(r);
                        s += w * v;
                        raw.push(r);
                        value.push(v);
                    }
                    scores[k] = Some(UseScore {
                        score: s.clamp(0.0, 1.0),
                        raw,
                        value,
                    });
                }
                let [green, ecological, cultural] = scores;
                CandidateScore {
                    index: i,
                    green,
                    ecological,
                    cultural,
                }
            })
            .collect();
        let [g, e, c]: [UseSheet; 3] = sheets.try_into().expect("three uses");
        Ok(ScoreSheet {
            uses: [g, e, c],
            rows,
            cultural_origins: self.cultural_origins.clone(),
        })
    }
}

/// What the scores of one use are made of.
#[derive(Debug, Clone, PartialEq)]
pub struct UseSheet {
    /// The use.
    pub use_: TargetUse,
    /// The criteria used, in breakdown order.
    pub criteria: Vec<CriterionInfo>,
    /// Criteria left out because their layer is absent.
    pub dropped: Vec<Dropped>,
}

/// A criterion as used in a run.
#[derive(Debug, Clone, PartialEq)]
pub struct CriterionInfo {
    /// Name.
    pub name: String,
    /// Unit of the raw value.
    pub unit: String,
    /// Renormalised weight (the weights of a use sum to 1).
    pub weight: f64,
    /// Transfer function.
    pub transfer: Transfer,
}

/// One use's score of one candidate: the score and, per criterion (in
/// [`UseSheet::criteria`] order), the raw and transferred values.
#[derive(Debug, Clone, PartialEq)]
pub struct UseScore {
    /// Weighted mean of the transferred values, in [0, 1].
    pub score: f64,
    /// Raw values (`+inf` where nothing of the class exists).
    pub raw: Vec<f64>,
    /// Transferred values in [0, 1].
    pub value: Vec<f64>,
}

/// The scores of one candidate; `None` where it is not eligible.
#[derive(Debug, Clone, PartialEq)]
pub struct CandidateScore {
    /// Index into the stock.
    pub index: usize,
    /// Park score.
    pub green: Option<UseScore>,
    /// Ecological-land score.
    pub ecological: Option<UseScore>,
    /// Cultural-district score (only for the configured origins).
    pub cultural: Option<UseScore>,
}

impl CandidateScore {
    /// The score of a use, `None` where ineligible.
    pub fn get(&self, use_: TargetUse) -> Option<&UseScore> {
        match use_ {
            TargetUse::Green => self.green.as_ref(),
            TargetUse::Ecological => self.ecological.as_ref(),
            TargetUse::Cultural => self.cultural.as_ref(),
        }
    }

    /// Just the score number of a use.
    pub fn score(&self, use_: TargetUse) -> Option<f64> {
        self.get(use_).map(|s| s.score)
    }
}

/// One line of a breakdown.
#[derive(Debug, Clone, PartialEq)]
pub struct CriterionValue<'a> {
    /// The criterion's name.
    pub criterion: &'a str,
    /// Raw value; `None` when `+inf` (nothing of the class exists) or not a number.
    pub raw: Option<f64>,
    /// Unit of the raw value.
    pub unit: &'a str,
    /// Transferred value in [0, 1].
    pub value: f64,
    /// Renormalised weight.
    pub weight: f64,
}

/// The result of a scoring run: per use, the criteria used (and dropped);
/// per candidate, the scores and breakdowns.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreSheet {
    uses: [UseSheet; 3],
    rows: Vec<CandidateScore>,
    cultural_origins: Vec<LandUse>,
}

impl ScoreSheet {
    /// The classes the scorer let become cultural districts: a cultural
    /// score exists only for these, and the planner is given the same list
    /// ([`PlanInput::new`](crate::pipeline::PlanInput::new)), so eligibility
    /// is decided once, here.
    pub fn cultural_origins(&self) -> &[LandUse] {
        &self.cultural_origins
    }

    /// The candidates' scores, in the order they were given.
    pub fn rows(&self) -> &[CandidateScore] {
        &self.rows
    }

    /// What a use's scores are made of.
    pub fn use_sheet(&self, use_: TargetUse) -> &UseSheet {
        &self.uses[use_.idx()]
    }

    /// A candidate's breakdown for a use; `None` where ineligible.
    pub fn breakdown<'a>(
        &'a self,
        row: &'a CandidateScore,
        use_: TargetUse,
    ) -> Option<Vec<CriterionValue<'a>>> {
        let s = row.get(use_)?;
        let sheet = self.use_sheet(use_);
        Some(
            sheet
                .criteria
                .iter()
                .zip(s.raw.iter().zip(&s.value))
                .map(|(c, (&raw, &value))| CriterionValue {
                    criterion: &c.name,
                    raw: raw.is_finite().then_some(raw),
                    unit: &c.unit,
                    value,
                    weight: c.weight,
                })
                .collect(),
        )
    }

    /// A short text naming, for each eligible use from the best score down,
    /// the (at most two) criteria that contribute most, e.g.
    /// `"cultural 0.81: heritage 1.00, centrality 0.92; green 0.55: …"`.
    pub fn reasons(&self, row: &CandidateScore) -> String {
        let mut uses: Vec<(TargetUse, &UseScore)> = TargetUse::ALL
            .into_iter()
            .filter_map(|u| row.get(u).map(|s| (u, s)))
            .collect();
        uses.sort_by(|a, b| b.1.score.total_cmp(&a.1.score).then(a.0.cmp(&b.0)));
        let parts: Vec<String> = uses
            .iter()
            .map(|&(u, s)| {
                let sheet = self.use_sheet(u);
                let mut top: Vec<(f64, usize)> = s
                    .value
                    .iter()
                    .enumerate()
                    .map(|(k, v)| (v * sheet.criteria[k].weight, k))
                    .filter(|&(c, _)| c > 0.0)
                    .collect();
                top.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                let why: Vec<String> = top
                    .iter()
                    .take(2)
                    .map(|&(_, k)| format!("{} {:.2}", sheet.criteria[k].name, s.value[k]))
                    .collect();
                if why.is_empty() {
                    format!("{u} {:.2}: no criterion favours it", s.score)
                } else {
                    format!("{u} {:.2}: {}", s.score, why.join(", "))
                }
            })
            .collect();
        parts.join("; ")
    }
}

#[cfg(test)]
mod tests;
