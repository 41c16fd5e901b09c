//! Everything the criteria measure against, built once per scoring run: the
//! stock, its context, every parcel's area, and small per-class R-trees.

use geo::Area;
use rayon::prelude::*;

use super::index::{ParcelIndex, PointIndex};
use crate::context::Context;
use crate::parcel::{LandUse, Status};
use crate::stock::ParcelStock;

/// The stock, its context and the per-class indexes shared by all criteria.
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
    green: ParcelIndex,
    water_ecological: ParcelIndex,
    derelict_industry: ParcelIndex,
    public: ParcelIndex,
    populated: ParcelIndex,
    transit: Option<PointIndex>,
    facilities: Option<PointIndex>,
}

impl<'a> Layers<'a> {
    /// Measures areas and builds the class indexes (in parallel).
    pub fn new(stock: &'a ParcelStock, context: &'a Context) -> Layers<'a> {
        let area_m2: Vec<f64> = stock
            .parcels()
            .par_iter()
            .map(|p| p.geometry.unsigned_area())
            .collect();
        let pop = context.population();
        let class =
            |u: &'static [LandUse]| ParcelIndex::build(stock, move |_, p| u.contains(&p.land_use));
        Layers {
            green: class(&[LandUse::Green]),
            water_ecological: class(&[LandUse::Water, LandUse::Ecological]),
            derelict_industry: ParcelIndex::build(stock, |_, p| {
                matches!(p.land_use, LandUse::Industrial | LandUse::Logistics)
                    && p.status == Status::Derelict
            }),
            public: class(&[LandUse::Public]),
            populated: ParcelIndex::build(stock, |i, _| pop[i] > 0.0),
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

    /// Green parcels (parks, protective green, plazas).
    pub fn green(&self) -> &ParcelIndex {
        &self.green
    }

    /// Water and ecological parcels.
    pub fn water_ecological(&self) -> &ParcelIndex {
        &self.water_ecological
    }

    /// Derelict industrial and logistics parcels.
    pub fn derelict_industry(&self) -> &ParcelIndex {
        &self.derelict_industry
    }

    /// Public parcels (administration, culture, education, health, sports).
    pub fn public(&self) -> &ParcelIndex {
        &self.public
    }

    /// Parcels with residents (population > 0), of any class.
    pub fn populated(&self) -> &ParcelIndex {
        &self.populated
    }

    /// Transit stops, when that layer was given.
    pub fn transit(&self) -> Option<&PointIndex> {
        self.transit.as_ref()
    }

    /// Facility points, when that layer was given.
    pub fn facilities(&self) -> Option<&PointIndex> {
        self.facilities.as_ref()
    }

    /// Sum of `value(j)` over parcels `js` (ascending) plus `i` itself when
    /// `include_self`, added in index order so that the result does not
    /// depend on threads or tree layout.
    pub fn sum_in_index_order(
        &self,
        i: usize,
        include_self: bool,
        js: &[usize],
        value: impl Fn(usize) -> f64,
    ) -> f64 {
        let mut total = 0.0;
        let mut self_done = !include_self;
        for &j in js {
            if !self_done && i < j {
                total += value(i);
                self_done = true;
            }
            total += value(j);
        }
        if !self_done {
            total += value(i);
        }
        total
    }
}
