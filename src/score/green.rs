//! Green space (park) criteria, SPEC §4: unserved demand, green deficit,
//! size fit, compactness, clean site.

use std::f64::consts::PI;

use geo::{Euclidean, Length};
use rayon::prelude::*;

use super::criterion::{Criterion, FnCriterion};
use super::grid::SumGrid;
use super::layers::Layers;
use super::transfer::Transfer;
use super::Dropped;
use crate::config::scoring::GreenConfig;
use crate::parcel::{LandUse, Parcel};

/// Polsby–Popper compactness 4πA/P², with the perimeter of every ring
/// (holes included): 1 for a disc, π/4 for a square, near 0 for a strip.
///
/// ```
/// use geo::{polygon, MultiPolygon};
/// use landstock::{LandUse, Parcel, Status, score::polsby_popper};
/// let sq = MultiPolygon(vec![polygon![(x: 0., y: 0.), (x: 10., y: 0.), (x: 10., y: 10.), (x: 0., y: 10.)]]);
/// let p = Parcel::new("a", sq, LandUse::Vacant, Status::Active);
/// assert!((polsby_popper(&p) - std::f64::consts::PI / 4.0).abs() < 1e-12);
/// ```
pub fn polsby_popper(p: &Parcel) -> f64 {
    let perimeter_m = perimeter_m(p);
    if perimeter_m > 0.0 {
        4.0 * PI * p.area_m2() / (perimeter_m * perimeter_m)
    } else {
        0.0
    }
}

/// Total length of every ring of the parcel, holes included, m.
///
/// ```
/// use geo::{polygon, MultiPolygon};
/// use landstock::{LandUse, Parcel, Status, score::perimeter_m};
/// // a 10 m square with a 2 m square hole: 40 + 8
/// let p = polygon!(
///     exterior: [(x: 0., y: 0.), (x: 10., y: 0.), (x: 10., y: 10.), (x: 0., y: 10.)],
///     interiors: [[(x: 4., y: 4.), (x: 6., y: 4.), (x: 6., y: 6.), (x: 4., y: 6.)]],
/// );
/// let parcel = Parcel::new("a", MultiPolygon(vec![p]), LandUse::Vacant, Status::Active);
/// assert_eq!(perimeter_m(&parcel), 48.0);
/// ```
pub fn perimeter_m(p: &Parcel) -> f64 {
    p.geometry
        .0
        .iter()
        .flat_map(|poly| std::iter::once(poly.exterior()).chain(poly.interiors()))
        .map(|ring| Euclidean.length(ring))
        .sum()
}

/// The park criteria enabled in `cfg`, built against `layers` (none of them
/// needs an optional layer, so none is dropped).
pub fn criteria(cfg: &GreenConfig, layers: &Layers<'_>) -> (Vec<Box<dyn Criterion>>, Vec<Dropped>) {
    let mut v: Vec<Box<dyn Criterion>> = Vec::new();
    let s = &cfg.unserved_demand;
    if s.enabled {
        // Homes with no park within the service radius, found once (one query
        // per residential parcel against the green index); their residents
        // are then summed per candidate on a grid.
        let stock = layers.stock();
        let pop = layers.context().population();
        let service_m = s.service_radius_m;
        let unserved: Vec<f64> = (0..stock.len())
            .into_par_iter()
            .map(|j| {
                let home = stock.get(j).land_use == LandUse::Residential && pop[j] > 0.0;
                if home && !layers.green().any_within_dist_m(stock, j, service_m) {
                    pop[j]
                } else {
                    0.0
                }
            })
            .collect();
        let radius_m = s.radius_m;
        let grid = SumGrid::build(stock, &unserved, radius_m);
        v.push(Box::new(FnCriterion::new(
            "unserved demand",
            "residents",
            Transfer::Ramp {
                lo: s.lo_residents,
                hi: s.hi_residents,
            },
            s.weight,
            move |l: &Layers<'_>, i| grid.sum_within(l.stock(), i, radius_m, false).value(),
        )));
    }
    let s = &cfg.green_deficit;
    if s.enabled {
        v.push(Box::new(FnCriterion::new(
            "green deficit",
            "m",
            Transfer::Ramp {
                lo: s.lo_m,
                hi: s.hi_m,
            },
            s.weight,
            |l: &Layers<'_>, i| l.green().nearest_dist_m(l.stock(), i),
        )));
    }
    let s = &cfg.size_fit;
    if s.enabled {
        v.push(Box::new(FnCriterion::new(
            "size fit",
            "ha",
            Transfer::Ramp {
                lo: s.lo_ha,
                hi: s.hi_ha,
            },
            s.weight,
            |l: &Layers<'_>, i| l.area_m2(i) / 10_000.0,
        )));
    }
    let s = &cfg.compactness;
    if s.enabled {
        v.push(Box::new(FnCriterion::new(
            "compactness",
            "ratio",
            Transfer::Ramp { lo: s.lo, hi: s.hi },
            s.weight,
            |l: &Layers<'_>, i| polsby_popper(l.stock().get(i)),
        )));
    }
    let s = &cfg.clean_site;
    if s.enabled {
        v.push(Box::new(FnCriterion::new(
            "clean site",
            "flag",
            Transfer::Identity,
            s.weight,
            |l: &Layers<'_>, i| {
                if l.stock().get(i).facts.contaminated {
                    0.0
                } else {
                    1.0
                }
            },
        )));
    }
    (v, Vec::new())
}
