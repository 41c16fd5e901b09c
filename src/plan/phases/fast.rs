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
//! **Repair.** When what fits in no phase was needed (a minimum, the
//! construction target), single moves (any use in any phase, or keep) are
//! applied one at a time — those that break no row first, then the one that
//! loses least objective per unit of violation removed — until every row
//! holds.
//!
//! **Bound.** The relaxation's Lagrangian bound: every phased plan's final
//! plan is a plan of the relaxation.

use super::{PhasedModel, PhasedOutcome, Schedule};
use crate::plan::{Method, Problem, Use};

pub(crate) fn solve(relaxed: &Problem, pm: &PhasedModel) -> Option<PhasedOutcome> {
    let m = &pm.relaxed;
    let out = crate::plan::solvers::fast::solve(relaxed, m)?;
    let mut s = schedule(pm, &out.uses);
    fill(pm, &mut s);
    if !pm.is_feasible(&s) {
        // What no phase had room for may have met a minimum or the target.
        repair(pm, &mut s);
        fill(pm, &mut s);
        if !pm.is_feasible(&s) {
            return None;
        }
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
            if ok {
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

/// Meets violated rows by single moves: moves that break no row that held
/// first, then least objective lost per unit of (row-scaled) violation
/// removed; ties by parcel id, use, phase.
pub(crate) fn repair(pm: &PhasedModel, s: &mut Schedule) {
    let m = &pm.relaxed;
    let rows = pm.row_count();
    let kk = pm.phases();
    let mut scale = vec![0.0f64; rows];
    for k in 0..m.n {
        for u in m.options(k) {
            pm.for_each_coef(k, u, 0, |r, c| scale[r] = scale[r].max(c.abs()));
        }
    }
    for sc in &mut scale {
        if *sc <= 0.0 {
            *sc = 1.0;
        }
    }
    let (mut act, mag) = pm.activities(s);
    let tol: Vec<f64> = (0..rows).map(|r| pm.tol(r, mag[r])).collect();
    let over = |r: usize, a: f64| (a - pm.rhs(r) - tol[r]).max(0.0) / scale[r];
    let free: Vec<usize> = (0..m.n).filter(|&k| m.fixed[k].is_none()).collect();
    for _ in 0..4 * m.n + 100 {
        if (0..rows).all(|r| over(r, act[r]) == 0.0) {
            return;
        }
        // (breaks no row that held, key, k, u, t): larger is better.
        let mut best: Option<(bool, f64, usize, Use, usize)> = None;
        let mut delta: Vec<(usize, f64)> = Vec::new();
        for &k in &free {
            let (from, tf) = (s.uses[k], s.phase[k]);
            let options = m
                .options(k)
                .flat_map(|u| (0..if u == Use::Keep { 1 } else { kk }).map(move |t| (u, t)));
            for (u, t) in options {
                if u == from && (u == Use::Keep || t == tf) {
                    continue;
                }
                delta.clear();
                pm.for_each_coef(k, from, tf, |r, c| delta.push((r, -c)));
                pm.for_each_coef(k, u, t, |r, c| delta.push((r, c)));
                delta.sort_by_key(|d| d.0);
                let mut dv = 0.0;
                let mut clean = true;
                let mut i = 0;
                while i < delta.len() {
                    let r = delta[i].0;
                    let mut d = 0.0;
                    while i < delta.len() && delta[i].0 == r {
                        d += delta[i].1;
                        i += 1;
                    }
                    let change = over(r, act[r] + d) - over(r, act[r]);
                    clean &= change <= 0.0;
                    dv += change;
                }
                if dv >= -1e-15 {
                    continue;
                }
                let gain = m.benefit[k][u.index()] - m.benefit[k][from.index()]
                    + m.bonus_with_neighbours(&s.uses, k, u)
                    - m.bonus_with_neighbours(&s.uses, k, from);
                let key = gain / -dv;
                if best.is_none_or(|b| (clean, key) > (b.0, b.1)) {
                    best = Some((clean, key, k, u, t));
                }
            }
        }
        let Some((_, _, k, u, t)) = best else { return };
        pm.for_each_coef(k, s.uses[k], s.phase[k], |r, c| act[r] -= c);
        pm.for_each_coef(k, u, t, |r, c| act[r] += c);
        s.uses[k] = u;
        s.phase[k] = if u == Use::Keep { 0 } else { t };
    }
}
