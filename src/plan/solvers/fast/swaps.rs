//! Swaps for the local search: one-for-one, one-for-many (refill the room
//! a dropped conversion leaves) and many-for-one (make room for a large
//! parcel), and the orders they use.

use super::dual::reduced;
use super::state::State;
use crate::plan::model::Model;
use crate::plan::Use;

/// One-for-one swaps between the converted candidates that lose least and
/// the kept options that gain most; returns whether anything improved.
pub(super) fn swaps(s: &mut State, free: &[usize], lambda: &[f64], shares: &[[f64; 5]]) -> bool {
    const M: usize = 48;
    let m = s.m;
    let mut outs: Vec<(f64, usize)> = free
        .iter()
        .filter(|&&k| s.uses[k] != Use::Keep)
        .map(|&k| (-s.gain(k, Use::Keep), k))
        .collect();
    outs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    outs.truncate(M);
    let mut ins: Vec<(f64, usize, Use)> = free
        .iter()
        .filter(|&&k| s.uses[k] == Use::Keep)
        .flat_map(|&k| {
            m.options(k)
                .filter(|u| u.is_conversion())
                .map(move |u| (k, u))
        })
        .filter(|&(k, u)| m.benefit[k][u.index()] > 0.0)
        .map(|(k, u)| (reduced(m, lambda, shares, k, u), k, u))
        .collect();
    // The best by Lagrangian value (it prices the cap a newcomer takes).
    let order = |a: &(f64, usize, Use), b: &(f64, usize, Use)| {
        b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2))
    };
    if ins.len() > M {
        ins.select_nth_unstable_by(M, order);
        ins.truncate(M);
    }
    ins.sort_by(order);
    let mut improved = false;
    for &(_, ko) in &outs {
        let from = s.uses[ko];
        if from == Use::Keep {
            continue;
        }
        let g_out = s.gain(ko, Use::Keep);
        let violation = s.violation();
        s.apply(ko, Use::Keep);
        let mut done = false;
        for &(_, ki, u) in &ins {
            if ki == ko || s.uses[ki] != Use::Keep {
                continue;
            }
            let g = g_out + s.gain(ki, u);
            if g > 1e-12 && s.move_ok(ki, u) {
                s.apply(ki, u);
                // Dropping `ko` may break a row the newcomer does not touch (a minimum).
                if s.violation() <= violation {
                    done = true;
                    break;
                }
                s.apply(ki, Use::Keep);
            }
        }
        if done {
            improved = true;
        } else {
            s.apply(ko, from);
        }
    }
    improved
}

/// The conversions worth something of the candidates the plan keeps.
pub(super) fn kept_options(s: &State, free: &[usize]) -> Vec<(usize, Use)> {
    let m = s.m;
    free.iter()
        .filter(|&&k| s.uses[k] == Use::Keep)
        .flat_map(|&k| {
            m.options(k)
                .filter(|u| u.is_conversion())
                .map(move |u| (k, u))
        })
        .filter(|&(k, u)| m.benefit[k][u.index()] > 0.0)
        .collect()
}

/// The reduced value of `x[k, u]` before the cap's price, per hectare: the
/// knapsack order in which kept options fill room.
pub(super) fn value_per_ha(
    m: &Model,
    lambda: &[f64],
    shares: &[[f64; 5]],
    k: usize,
    u: Use,
) -> f64 {
    (reduced(m, lambda, shares, k, u) + lambda[0] * m.area_ha[k]) / m.area_ha[k].max(1e-12)
}

/// The `n` best entries, best first (ties by candidate, then use).
pub(super) fn best_n(mut v: Vec<(f64, usize, Use)>, n: usize) -> Vec<(f64, usize, Use)> {
    let order = |a: &(f64, usize, Use), b: &(f64, usize, Use)| {
        b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2))
    };
    if v.len() > n {
        v.select_nth_unstable_by(n, order);
        v.truncate(n);
    }
    v.sort_by(order);
    v
}

/// One-for-many swaps: drop a converted candidate that earns least per
/// hectare and refill the room it leaves with the kept options of highest
/// value per hectare that fit (the knapsack moves a one-for-one swap cannot
/// make when parcel sizes differ widely); kept only when the objective rises
/// and no row gets worse. Returns whether anything improved.
pub(super) fn refill_swaps(
    s: &mut State,
    free: &[usize],
    lambda: &[f64],
    shares: &[[f64; 5]],
) -> bool {
    const OUTS: usize = 64;
    const INS: usize = 256;
    let m = s.m;
    let per_ha = |v: f64, k: usize| v / m.area_ha[k].max(1e-12);
    let mut outs: Vec<(f64, usize)> = free
        .iter()
        .filter(|&&k| s.uses[k] != Use::Keep)
        .map(|&k| (per_ha(-s.gain(k, Use::Keep), k), k))
        .collect();
    outs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    outs.truncate(OUTS);
    let opts = kept_options(s, free);
    let ins = best_n(
        opts.iter()
            .map(|&(k, u)| (value_per_ha(m, lambda, shares, k, u), k, u))
            .collect(),
        INS,
    );
    let mut improved = false;
    let mut added: Vec<usize> = Vec::new();
    for &(_, ko) in &outs {
        let from = s.uses[ko];
        if from == Use::Keep {
            continue;
        }
        let violation = s.violation();
        let mut total = s.gain(ko, Use::Keep);
        s.apply(ko, Use::Keep);
        added.clear();
        for &(_, ki, u) in &ins {
            if ki == ko || s.uses[ki] != Use::Keep {
                continue;
            }
            let g = s.gain(ki, u);
            if g > 1e-12 && s.fits_cap(ki, u) && s.move_ok(ki, u) {
                s.apply(ki, u);
                total += g;
                added.push(ki);
            }
        }
        if total > 1e-9 && s.violation() <= violation {
            improved = true;
        } else {
            for &ki in added.iter().rev() {
                s.apply(ki, Use::Keep);
            }
            s.apply(ko, from);
        }
    }
    improved
}

/// Many-for-one swaps: bring in one of the kept options worth most, drop
/// the converted candidates that earn least per hectare until the cap holds
/// again, and refill what room is left by value per hectare; kept only when
/// the objective rises and no row gets worse. This is the move a greedy by
/// density misses when a large parcel beats the many small ones that filled
/// its room. Returns whether anything improved.
pub(super) fn make_room_swaps(
    s: &mut State,
    free: &[usize],
    lambda: &[f64],
    shares: &[[f64; 5]],
) -> bool {
    const TRY: usize = 32;
    const REFILL: usize = 256;
    let m = s.m;
    let per_ha = |v: f64, k: usize| v / m.area_ha[k].max(1e-12);
    let opts = kept_options(s, free);
    let bigs = best_n(
        opts.iter().map(|&(k, u)| (s.gain(k, u), k, u)).collect(),
        TRY,
    );
    let refill = best_n(
        opts.iter()
            .map(|&(k, u)| (value_per_ha(m, lambda, shares, k, u), k, u))
            .collect(),
        REFILL,
    );
    let mut improved = false;
    let mut changes: Vec<(usize, Use)> = Vec::new();
    for &(_, k_in, u_in) in &bigs {
        if s.uses[k_in] != Use::Keep || s.fits_cap(k_in, u_in) {
            continue; // taken meanwhile, or no room to make (other moves cover it)
        }
        let violation = s.violation();
        changes.clear();
        let mut total = s.gain(k_in, u_in);
        s.apply(k_in, u_in);
        changes.push((k_in, Use::Keep));
        let mut outs: Vec<(f64, usize)> = free
            .iter()
            .filter(|&&k| k != k_in && s.uses[k] != Use::Keep)
            .map(|&k| (per_ha(-s.gain(k, Use::Keep), k), k))
            .collect();
        outs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for &(_, ko) in &outs {
            if s.act[0] <= m.rows[0].rhs + s.tol[0] {
                break;
            }
            let from = s.uses[ko];
            total += s.gain(ko, Use::Keep);
            s.apply(ko, Use::Keep);
            changes.push((ko, from));
        }
        for &(_, ki, u) in &refill {
            if ki == k_in || s.uses[ki] != Use::Keep || changes.iter().any(|c| c.0 == ki) {
                continue;
            }
            let g = s.gain(ki, u);
            if g > 1e-12 && s.fits_cap(ki, u) && s.move_ok(ki, u) {
                s.apply(ki, u);
                total += g;
                changes.push((ki, Use::Keep));
            }
        }
        if total > 1e-9 && s.violation() <= violation {
            improved = true;
        } else {
            for &(k, prev) in changes.iter().rev() {
                s.apply(k, prev);
            }
        }
    }
    improved
}
