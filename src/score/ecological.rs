//! Ecological-land criteria, SPEC §4: adjacency, corridor, peripherality,
//! low density, size.

use super::criterion::{Criterion, FnCriterion};
use super::grid::SumGrid;
use super::layers::Layers;
use super::transfer::Transfer;
use super::Dropped;
use crate::config::scoring::EcologicalConfig;
use crate::parcel::LandUse;

/// The ecological criteria enabled in `cfg` (none needs an optional layer).
pub fn criteria(
    cfg: &EcologicalConfig,
    layers: &Layers<'_>,
) -> (Vec<Box<dyn Criterion>>, Vec<Dropped>) {
    let mut v: Vec<Box<dyn Criterion>> = Vec::new();
    let s = &cfg.adjacency;
    if s.enabled {
        v.push(Box::new(FnCriterion::new(
            "adjacency",
            "m",
            Transfer::InverseRamp {
                lo: s.lo_m,
                hi: s.hi_m,
            },
            s.weight,
            |l: &Layers<'_>, i| l.water_ecological().nearest_dist_m(l.stock(), i),
        )));
    }
    let s = &cfg.corridor;
    if s.enabled {
        let r = s.radius_m;
        let habitat: Vec<f64> = layers
            .stock()
            .parcels()
            .iter()
            .map(|p| {
                let hit = matches!(
                    p.land_use,
                    LandUse::Water | LandUse::Ecological | LandUse::Green
                );
                if hit {
                    1.0
                } else {
                    0.0
                }
            })
            .collect();
        let grid = SumGrid::build(layers.stock(), &habitat, r);
        v.push(Box::new(FnCriterion::new(
            "corridor",
            "parcels",
            Transfer::Ramp {
                lo: s.lo_count,
                hi: s.hi_count,
            },
            s.weight,
            // distinct parcels, never the candidate itself
            move |l: &Layers<'_>, i| grid.sum_within(l.stock(), i, r, false).value(),
        )));
    }
    let s = &cfg.peripherality;
    if s.enabled {
        v.push(Box::new(FnCriterion::new(
            "peripherality",
            "ratio",
            Transfer::Ramp {
                lo: s.lo_ratio,
                hi: s.hi_ratio,
            },
            s.weight,
            |l: &Layers<'_>, i| l.context().centre_dist_ratio(i),
        )));
    }
    let s = &cfg.low_density;
    if s.enabled {
        let r = s.radius_m;
        // residents summed a cell at a time where a whole cell is in reach
        let grid = SumGrid::build(layers.stock(), layers.context().population(), r);
        v.push(Box::new(FnCriterion::new(
            "low density",
            "residents",
            Transfer::InverseRamp {
                lo: s.lo_residents,
                hi: s.hi_residents,
            },
            s.weight,
            // the parcel itself included
            move |l: &Layers<'_>, i| grid.sum_within(l.stock(), i, r, true).value(),
        )));
    }
    let s = &cfg.size;
    if s.enabled {
        v.push(Box::new(FnCriterion::new(
            "size",
            "ha",
            Transfer::Ramp {
                lo: s.lo_ha,
                hi: s.hi_ha,
            },
            s.weight,
            |l: &Layers<'_>, i| l.area_m2(i) / 10_000.0,
        )));
    }
    (v, Vec::new())
}
