//! Ecological-land criteria, SPEC §4: adjacency, corridor, peripherality,
//! low density, size.

use super::config::EcologicalConfig;
use super::criterion::{Criterion, FnCriterion};
use super::layers::{Layers, OrderFreeSum};
use super::transfer::Transfer;
use super::Dropped;

/// The ecological criteria enabled in `cfg` (none needs an optional layer).
pub fn criteria(
    cfg: &EcologicalConfig,
    _layers: &Layers<'_>,
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
        v.push(Box::new(FnCriterion::new(
            "corridor",
            "parcels",
            Transfer::Ramp {
                lo: s.lo_count,
                hi: s.hi_count,
            },
            s.weight,
            move |l: &Layers<'_>, i| {
                let st = l.stock();
                (l.water_ecological().count_within_dist_m(st, i, r)
                    + l.green().count_within_dist_m(st, i, r)) as f64
            },
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
        v.push(Box::new(FnCriterion::new(
            "low density",
            "residents",
            Transfer::InverseRamp {
                lo: s.lo_residents,
                hi: s.hi_residents,
            },
            s.weight,
            move |l: &Layers<'_>, i| {
                // the parcel itself included
                let pop = l.context().population();
                let mut sum = OrderFreeSum::default();
                sum.add(pop[i]);
                l.populated()
                    .for_each_within(l.stock(), i, r, |j| sum.add(pop[j]));
                sum.value()
            },
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
