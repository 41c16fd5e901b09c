//! Cultural-district (798-style) criteria, SPEC §4: heritage, moderate
//! scale, centrality, transit, cluster, amenities.

use super::criterion::{Criterion, FnCriterion};
use super::grid::SumGrid;
use super::layers::Layers;
use super::transfer::Transfer;
use super::Dropped;
use crate::config::scoring::CulturalConfig;
use crate::parcel::{LandUse, Status};

/// The cultural criteria enabled in `cfg`. `transit` is dropped (and
/// reported) when no transit layer was given; `amenities` then counts the
/// public parcels alone when no facility layer was given.
pub fn criteria(
    cfg: &CulturalConfig,
    layers: &Layers<'_>,
) -> (Vec<Box<dyn Criterion>>, Vec<Dropped>) {
    let mut v: Vec<Box<dyn Criterion>> = Vec::new();
    let mut dropped = Vec::new();
    let s = cfg.heritage.clone();
    if s.enabled {
        v.push(Box::new(FnCriterion::new(
            "heritage",
            "score",
            Transfer::Identity,
            s.weight,
            move |l: &Layers<'_>, i| {
                let f = &l.stock().get(i).facts;
                match f.floor_area_m2 {
                    _ if f.heritage => s.listed,
                    Some(a) if a <= 0.0 => s.cleared,
                    _ => s.standing,
                }
            },
        )));
    }
    let s = &cfg.moderate_scale;
    if s.enabled {
        v.push(Box::new(FnCriterion::new(
            "moderate scale",
            "ha",
            Transfer::min(
                Transfer::Ramp {
                    lo: s.lo_ha,
                    hi: s.hi_ha,
                },
                Transfer::InverseRamp {
                    lo: s.too_big_lo_ha,
                    hi: s.too_big_hi_ha,
                },
            ),
            s.weight,
            |l: &Layers<'_>, i| l.area_m2(i) / 10_000.0,
        )));
    }
    let s = &cfg.centrality;
    if s.enabled {
        v.push(Box::new(FnCriterion::new(
            "centrality",
            "ratio",
            Transfer::InverseRamp {
                lo: s.lo_ratio,
                hi: s.hi_ratio,
            },
            s.weight,
            |l: &Layers<'_>, i| l.context().centre_dist_ratio(i),
        )));
    }
    let s = &cfg.transit;
    if s.enabled {
        if layers.transit().is_some() {
            v.push(Box::new(FnCriterion::new(
                "transit",
                "m",
                Transfer::InverseRamp {
                    lo: s.lo_m,
                    hi: s.hi_m,
                },
                s.weight,
                |l: &Layers<'_>, i| match l.transit() {
                    Some(t) => t.nearest_dist_m(l.stock(), i),
                    None => f64::INFINITY,
                },
            )));
        } else {
            dropped.push(Dropped {
                name: "transit".into(),
                reason: "no transit layer given".into(),
            });
        }
    }
    let s = &cfg.cluster;
    if s.enabled {
        let r = s.radius_m;
        let stock = layers.stock();
        let derelict_m2: Vec<f64> = (0..stock.len())
            .map(|j| {
                let p = stock.get(j);
                let old_industry = matches!(p.land_use, LandUse::Industrial | LandUse::Logistics)
                    && p.status == Status::Derelict;
                if old_industry {
                    layers.area_m2(j)
                } else {
                    0.0
                }
            })
            .collect();
        let grid = SumGrid::build(stock, &derelict_m2, r);
        v.push(Box::new(FnCriterion::new(
            "cluster",
            "ha",
            Transfer::Ramp {
                lo: s.lo_ha,
                hi: s.hi_ha,
            },
            s.weight,
            move |l: &Layers<'_>, i| {
                // the parcel itself included (whatever its status)
                let mut sum_m2 = grid.sum_within(l.stock(), i, r, false);
                sum_m2.add(l.area_m2(i));
                sum_m2.value() / 10_000.0
            },
        )));
    }
    let s = &cfg.amenities;
    if s.enabled {
        let r = s.radius_m;
        let public: Vec<f64> = layers
            .stock()
            .parcels()
            .iter()
            .map(|p| {
                if p.land_use == LandUse::Public {
                    1.0
                } else {
                    0.0
                }
            })
            .collect();
        let grid = SumGrid::build(layers.stock(), &public, r);
        v.push(Box::new(FnCriterion::new(
            "amenities",
            "places",
            Transfer::Ramp {
                lo: s.lo_count,
                hi: s.hi_count,
            },
            s.weight,
            move |l: &Layers<'_>, i| {
                let st = l.stock();
                let points = l
                    .facilities()
                    .map_or(0, |f| f.count_within_dist_m(st, i, r));
                grid.sum_within(st, i, r, false).value() + points as f64
            },
        )));
    }
    (v, dropped)
}
