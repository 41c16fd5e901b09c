//! The fast phased solver: solve the single-phase relaxation (final cap, Σ
//! money) with the Lagrangian heuristic, schedule its plan into phases, then
//! fill what room is left.
//!
//! **Schedule.** Phase by phase, first the conversions that bring or cost no
//! money (auctions, largest revenue first), then the others (locked first,
//! then largest area first), each into the current phase when its cap and
//! cash allow. Whatever fits in no phase goes back to keep.
//!
//! **Fill.** Kept options with positive benefit, by benefit (plus the bonus
//! with converted neighbours) per hectare, each into the earliest phase where
//! every row still holds.
//!
//! **Bound.** The relaxation's Lagrangian bound: every phased plan's final
//! plan is a plan of the relaxation.

use super::{PhasedModel, PhasedOutcome, Schedule};
use crate::plan::{Method, Problem, Use};

pub(crate) fn solve(relaxed: &Problem, pm: &PhasedModel) -> Option<PhasedOutcome> {
    let m = &pm.relaxed;
    let out = crate::plan::fast::solve(relaxed, m)?;
    let mut s = schedule(pm, &out.uses);
    fill(pm, &mut s);
    if !pm.is_feasible(&s) {
        return None;
    }
    Some(PhasedOutcome {
        schedule: s,
        bound: out.bound,
        method: Method::Fast,
    })
}

/// Places the conversions of a final plan into phases (see the module docs).
pub(crate) fn schedule(pm: &PhasedModel, uses: &[Use]) -> Schedule {
    let m = &pm.relaxed;
    let n = m.n;
    let mut s = Schedule {
        uses: vec![Use::Keep; n],
        phase: vec![0; n],
    };
    let (mut act, _) = pm.activities(&s);
    let r0 = m.rows.len();
    let kk = pm.phases();
    // (money <= 0 first, key, k): money-neutral/positive by revenue, others locked then by area.
    let mut items: Vec<(bool, f64, bool, usize)> = (0..n)
        .filter(|&k| uses[k] != Use::Keep)
        .map(|k| {
            let v = m.money(k, uses[k]);
            let brings = v <= 0.0;
            let key = if brings { -v } else { m.area_ha[k] };
            (brings, key, m.fixed[k].is_some(), k)
        })
        .collect();
    items.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(b.2.cmp(&a.2))
            .then(b.1.total_cmp(&a.1))
            .then(a.3.cmp(&b.3))
    });
    let mut placed = vec![false; n];
    for t in 0..kk {
        for &(_, _, _, k) in &items {
            if placed[k] {
                continue;
            }
            let u = uses[k];
            let mut ok = true;
            pm.for_each_coef(k, u, t, |r, c| {
                // Only the phase rows decide placement; the final rows hold for
                // the whole plan once everything is placed.
                if r >= r0 && c > 0.0 && act[r] + c - pm.rhs(r) > pm.tol(r, act[r].abs() + c) {
                    ok = false;
                }
            });
            if ok && t < kk {
                pm.for_each_coef(k, u, t, |r, c| act[r] += c);
                s.uses[k] = u;
                s.phase[k] = t;
                placed[k] = true;
            }
        }
    }
    s
}

/// Adds kept options with positive benefit where every row still holds.
pub(crate) fn fill(pm: &PhasedModel, s: &mut Schedule) {
    let m = &pm.relaxed;
    let kk = pm.phases();
    for _ in 0..3 {
        let mut opts: Vec<(f64, usize, Use)> = (0..m.n)
            .filter(|&k| s.uses[k] == Use::Keep && m.fixed[k].is_none())
            .flat_map(|k| {
                m.options(k)
                    .filter(move |&u| u.is_conversion() && m.benefit[k][u.index()] > 0.0)
                    .map(move |u| (k, u))
            })
            .map(|(k, u)| {
                let v = m.benefit[k][u.index()] + m.bonus_with_neighbours(&s.uses, k, u);
                (v / m.area_ha[k], k, u)
            })
            .collect();
        opts.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let (mut act, mut mag) = pm.activities(s);
        let mut added = false;
        for &(_, k, u) in &opts {
            if s.uses[k] != Use::Keep {
                continue;
            }
            for t in 0..kk {
                let mut ok = true;
                pm.for_each_coef(k, u, t, |r, c| {
                    if act[r] + c - pm.rhs(r) > pm.tol(r, mag[r] + c.abs()) && c > 0.0 {
                        ok = false;
                    }
                });
                // A move that lowers a row's activity never breaks it, but
                // rows already broken (minimums) must not stay broken because
                // of it: only rows it raises are checked, as above.
                if ok {
                    pm.for_each_coef(k, u, t, |r, c| {
                        act[r] += c;
                        mag[r] += c.abs();
                    });
                    s.uses[k] = u;
                    s.phase[k] = t;
                    added = true;
                    break;
                }
            }
        }
        if !added {
            break;
        }
    }
}
