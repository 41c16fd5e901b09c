//! Everything the criteria measure against, built once per scoring run: the
//! stock, its context, every parcel's area, and small per-class R-trees.

use std::sync::OnceLock;

use rayon::prelude::*;

use crate::parcel::{LandUse, Status};
use crate::stock::context::Context;
use crate::stock::ParcelStock;
use crate::stock::{ParcelIndex, PointIndex};

/// The stock, its context and the per-class indexes shared by all criteria
/// (each index is built the first time a criterion asks for it).
///
/// ```
/// use geo::{polygon, MultiPolygon};
/// use landstock::{LandUse, Parcel, Status, stock::ParcelStock};
/// use landstock::context::{Context, ContextOptions};
/// use landstock::score::Layers;
/// let sq = |x: f64| MultiPolygon(vec![polygon![(x: x, y: 0.), (x: x + 100., y: 0.), (x: x + 100., y: 100.), (x: x, y: 100.)]]);
/// let stock = ParcelStock::new(vec![
///     Parcel::new("v", sq(0.), LandUse::Vacant, Status::Active),
///     Parcel::new("w", sq(300.), LandUse::Water, Status::Active),
/// ]);
/// let cx = Context::new(&stock, &ContextOptions::default());
/// let layers = Layers::new(&stock, &cx);
/// assert_eq!(layers.area_m2(0), 10_000.0);
/// assert_eq!(layers.water_ecological().nearest_dist_m(&stock, 0), 200.0);
/// assert!(layers.green().is_empty());
/// assert!(layers.transit().is_none());
/// ```
#[derive(Debug)]
pub struct Layers<'a> {
    stock: &'a ParcelStock,
    context: &'a Context,
    area_m2: Vec<f64>,
    green: OnceLock<ParcelIndex>,
    water_ecological: OnceLock<ParcelIndex>,
    derelict_industry: OnceLock<ParcelIndex>,
    public: OnceLock<ParcelIndex>,
    populated: OnceLock<ParcelIndex>,
    transit: Option<PointIndex>,
    facilities: Option<PointIndex>,
}

impl<'a> Layers<'a> {
    /// Measures areas and builds the class indexes (in parallel).
    pub fn new(stock: &'a ParcelStock, context: &'a Context) -> Layers<'a> {
        let area_m2: Vec<f64> = stock.parcels().par_iter().map(|p| p.area_m2()).collect();
        Layers {
            green: OnceLock::new(),
            water_ecological: OnceLock::new(),
            derelict_industry: OnceLock::new(),
            public: OnceLock::new(),
            populated: OnceLock::new(),
            transit: context.transit().map(PointIndex::build),
            facilities: context.facilities().map(PointIndex::build),
            stock,
            context,
            area_m2,
        }
    }

    /// The parcels.
    pub fn stock(&self) -> &'a ParcelStock {
        self.stock
    }

    /// Population, centre, radius and point layers.
    pub fn context(&self) -> &'a Context {
        self.context
    }

    /// Parcel `i`'s area, m².
    pub fn area_m2(&self, i: usize) -> f64 {
        self.area_m2[i]
    }

    fn class<'s>(
        &'s self,
        cell: &'s OnceLock<ParcelIndex>,
        classes: &[LandUse],
    ) -> &'s ParcelIndex {
        cell.get_or_init(|| ParcelIndex::build(self.stock, |_, p| classes.contains(&p.land_use)))
    }

    /// Green parcels (parks, protective green, plazas); built on first use.
    pub fn green(&self) -> &ParcelIndex {
        self.class(&self.green, &[LandUse::Green])
    }

    /// Water and ecological parcels; built on first use.
    pub fn water_ecological(&self) -> &ParcelIndex {
        self.class(
            &self.water_ecological,
            &[LandUse::Water, LandUse::Ecological],
        )
    }

    /// Derelict industrial and logistics parcels; built on first use.
    pub fn derelict_industry(&self) -> &ParcelIndex {
        self.derelict_industry.get_or_init(|| {
            ParcelIndex::build(self.stock, |_, p| {
                matches!(p.land_use, LandUse::Industrial | LandUse::Logistics)
                    && p.status == Status::Derelict
            })
        })
    }

    /// Public parcels (administration, culture, education, health, sports);
    /// built on first use.
    pub fn public(&self) -> &ParcelIndex {
        self.class(&self.public, &[LandUse::Public])
    }

    /// Parcels with residents (population > 0), of any class; built on first use.
    pub fn populated(&self) -> &ParcelIndex {
        let pop = self.context.population();
        self.populated
            .get_or_init(|| ParcelIndex::build(self.stock, |i, _| pop[i] > 0.0))
    }

    /// Transit stops, when that layer was given.
    pub fn transit(&self) -> Option<&PointIndex> {
        self.transit.as_ref()
    }

    /// Facility points, when that layer was given.
    pub fn facilities(&self) -> Option<&PointIndex> {
        self.facilities.as_ref()
    }
}

/// A sum that does not depend on the order of its terms: each term is
/// rounded to a multiple of 2⁻³² (of its unit: residents, m²) and added as
/// an integer. Neighbour sums can then run in R-tree order, on any thread,
/// and still equal an all-pairs sum in index order bit for bit.
///
/// ```
/// use landstock::score::OrderFreeSum;
/// let xs = [0.1, 1e6, 0.2, -3.5, 1.0 / 3.0];
/// let mut a = OrderFreeSum::default();
/// let mut b = OrderFreeSum::default();
/// xs.iter().for_each(|&x| a.add(x));
/// xs.iter().rev().for_each(|&x| b.add(x));
/// assert_eq!(a.value(), b.value());
/// assert!((a.value() - xs.iter().sum::<f64>()).abs() < 1e-8);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OrderFreeSum(i128);

/// 2³²: the fixed-point scale of [`OrderFreeSum`].
const FIXED_SCALE: f64 = 4_294_967_296.0;

impl OrderFreeSum {
    /// Adds a term (NaN counts as 0; infinities saturate).
    pub fn add(&mut self, x: f64) {
        self.0 = self.0.saturating_add((x * FIXED_SCALE).round() as i128);
    }

    /// A sum of one term.
    pub fn of(x: f64) -> OrderFreeSum {
        let mut s = OrderFreeSum::default();
        s.add(x);
        s
    }

    /// Takes another sum's terms away.
    pub fn sub_sum(&mut self, other: OrderFreeSum) {
        self.0 = self.0.saturating_sub(other.0);
    }

    /// Adds another sum's terms.
    pub fn add_sum(&mut self, other: OrderFreeSum) {
        self.0 = self.0.saturating_add(other.0);
    }

    /// The total.
    pub fn value(&self) -> f64 {
        self.0 as f64 / FIXED_SCALE
    }
}
