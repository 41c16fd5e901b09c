//! The greedy build of a plan from multipliers, the repair of the rows the
//! locks leave violated, and the local search that improves a plan.

use super::budget::rebalanced;
use super::combo::combo_search;
use super::dual::reduced;
use super::state::State;
use super::swaps::{make_room_swaps, refill_swaps, swaps};
use super::LARGE;
use crate::plan::model::Model;
use crate::plan::Use;

/// Builds a plan from multipliers: meet the requirement rows, fill by
/// reduced value (or, with `by_density`, by reduced value before the cap's
/// price per hectare — the knapsack order, which the multipliers' errors
/// cannot distort when the cap binds), improve locally.
pub(crate) fn construct(
    m: &Model,
    lambda: &[f64],
    shares: &[[f64; 5]],
    from_relaxed: bool,
    by_density: bool,
    force: Option<(usize, Use)>,
) -> Vec<Use> {
    // Start from locks and keep, or from the relaxed problem's own choice x(λ).
    let start: Vec<Use> = (0..m.n)
        .map(|k| match m.fixed[k] {
            Some(f) => f,
            None if from_relaxed => {
                m.options(k)
                    .map(|u| (reduced(m, lambda, shares, k, u), u))
                    .fold((0.0, Use::Keep), |a, b| if b.0 > a.0 { b } else { a })
                    .1
            }
            None => Use::Keep,
        })
        .collect();
    let mut start = start;
    if let Some((k, u)) = force {
        start[k] = u;
    }
    let mut s = State::new(m, start);
    let free: Vec<usize> = (0..m.n)
        .filter(|&k| m.fixed[k].is_none() && force.is_none_or(|f| f.0 != k))
        .collect();

    // 1. Repair: least objective lost per unit of violation removed.
    repair(&mut s, &free, lambda, shares);

    // 2. Fill by reduced value, ties by parcel id then use.
    let mut opts: Vec<(f64, usize, Use)> = free
        .iter()
        .flat_map(|&k| {
            m.options(k).filter(|u| u.is_conversion()).map(move |u| {
                let v = reduced(m, lambda, shares, k, u);
                if by_density && m.area_ha[k] > 0.0 {
                    // row 0 is the cap, with coefficient area_ha for every conversion
                    ((v + lambda[0] * m.area_ha[k]) / m.area_ha[k], k, u)
                } else {
                    (v, k, u)
                }
            })
        })
        .collect();
    opts.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    // Later passes take what an auction further down the list paid for.
    for _ in 0..3 {
        let mut added = false;
        for &(v, k, u) in &opts {
            if s.uses[k] != Use::Keep {
                continue;
            }
            // From keep, the gain is positive exactly when the benefit is.
            if (v > 0.0 || m.benefit[k][u.index()] > 0.0) && s.fits_cap(k, u) && s.move_ok(k, u) {
                s.apply(k, u);
                added = true;
            }
        }
        if !added {
            break;
        }
    }

    // 3. Local search: single moves, then one-for-one swaps.
    local_search(&mut s, &free, lambda, shares, 4, false);
    s.uses
}

/// Single moves and swaps until nothing improves (at most `rounds` rounds).
/// `thorough` adds the one-for-many and many-for-one swaps, which cost more
/// and are run on the best plan only.
pub(super) fn local_search(
    s: &mut State,
    free: &[usize],
    lambda: &[f64],
    shares: &[[f64; 5]],
    rounds: usize,
    thorough: bool,
) {
    let m = s.m;
    for _ in 0..rounds {
        let mut improved = false;
        for &k in free {
            let mut best: Option<(f64, Use)> = None;
            for u in m.options(k) {
                if u == s.uses[k] {
                    continue;
                }
                if !s.fits_cap(k, u) {
                    continue;
                }
                let g = s.gain(k, u);
                if g > 1e-12 && best.is_none_or(|b| g > b.0) && s.move_ok(k, u) {
                    best = Some((g, u));
                }
            }
            if let Some((_, u)) = best {
                s.apply(k, u);
                improved = true;
            }
        }
        improved |= swaps(s, free, lambda, shares);
        if thorough {
            improved |= refill_swaps(s, free, lambda, shares);
            improved |= make_room_swaps(s, free, lambda, shares);
        }
        if !improved {
            break;
        }
    }
}

/// Polishes a feasible plan with the thorough local search.
pub(super) fn polish(m: &Model, uses: Vec<Use>, lambda: &[f64], shares: &[[f64; 5]]) -> Vec<Use> {
    let free: Vec<usize> = (0..m.n).filter(|&k| m.fixed[k].is_none()).collect();
    let mut s = State::new(m, uses);
    local_search(&mut s, &free, lambda, shares, 12, true);
    let (rounds, size) = if m.n > LARGE {
        (2, 32)
    } else {
        (COMBO_ROUNDS, 64)
    };
    // one parcel is a tiny share of a large city: one pass, no second local search
    let passes = if m.n > LARGE { 1 } else { POLISH_PASSES };
    for _ in 0..passes {
        let before = m.objective(&s.uses);
        s = rebalanced(s, &free, lambda, shares);
        if combo_search(&mut s, &free, lambda, shares, rounds, size) && m.n <= LARGE {
            local_search(&mut s, &free, lambda, shares, 12, true);
        }
        if m.objective(&s.uses) <= before + 1e-9 {
            break;
        }
    }
    s.uses
}

/// Polish passes (auctions re-chosen, then combinations of moves).
const POLISH_PASSES: usize = 6;

/// Rounds of [`combo_search`] per polish pass (each applies one combination).
const COMBO_ROUNDS: usize = 40;

/// Meets the rows the locked uses and keep leave violated (minimums, the
/// construction target, a budget locked conversions overrun): single moves
/// that worsen no row first, then any move that lowers the total violation,
/// then pairs of moves among the most promising single moves.
pub(super) fn repair(s: &mut State, free: &[usize], lambda: &[f64], shares: &[[f64; 5]]) {
    /// Single moves considered for pairs.
    const PAIR_POOL: usize = 96;
    let m = s.m;
    let mut steps = 0;
    while s.violation() > 0.0 && steps < 4 * m.n + 100 {
        steps += 1;
        // (worsens no row, key, k, u): larger is better.
        let mut moves: Vec<(bool, f64, usize, Use)> = Vec::new();
        let mut pool: Vec<(f64, usize, Use)> = Vec::new();
        for &k in free {
            for u in m.options(k) {
                if u == s.uses[k] {
                    continue;
                }
                let dv = s.violation_change(k, u);
                pool.push((dv, k, u));
                if dv >= -1e-15 {
                    continue;
                }
                let clean = s.move_ok(k, u);
                let key = (s.gain(k, u) + reduced(m, lambda, shares, k, u) * 1e-9) / -dv;
                moves.push((clean, key, k, u));
            }
        }
        if !moves.is_empty() {
            // Apply the best moves in order while each still helps (a batch
            // instead of one move per scan keeps large repairs linear-ish).
            moves.sort_by(|a, b| {
                (b.0, b.1)
                    .partial_cmp(&(a.0, a.1))
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then(a.2.cmp(&b.2))
                    .then(a.3.cmp(&b.3))
            });
            // Small problems take one move per scan; large ones a batch,
            // each candidate moving at most once.
            let batch = moves.len() >= 64;
            let mut moved = std::collections::HashSet::new();
            for &(clean, _, k, u) in &moves {
                if moved.contains(&k) {
                    continue;
                }
                if s.violation_change(k, u) < -1e-15 && (!clean || s.move_ok(k, u)) {
                    s.apply(k, u);
                    moved.insert(k);
                    if !batch || s.violation() <= 0.0 {
                        break;
                    }
                }
            }
            if !moved.is_empty() {
                continue;
            }
        }
        // No single move helps: try two at once.
        pool.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        pool.truncate(PAIR_POOL);
        let before = s.violation();
        let mut best: Option<(f64, usize, Use, usize, Use)> = None;
        for (i, &(_, k1, u1)) in pool.iter().enumerate() {
            let from1 = s.uses[k1];
            let g1 = s.gain(k1, u1);
            s.apply(k1, u1);
            for &(_, k2, u2) in &pool[i + 1..] {
                if k2 == k1 {
                    continue;
                }
                let dv = s.violation_change(k2, u2) + s.violation() - before;
                if dv < -1e-15 {
                    let key = (g1 + s.gain(k2, u2)) / -dv;
                    if best.is_none_or(|b| key > b.0) {
                        best = Some((key, k1, u1, k2, u2));
                    }
                }
            }
            s.apply(k1, from1);
        }
        match best {
            Some((_, k1, u1, k2, u2)) => {
                s.apply(k1, u1);
                s.apply(k2, u2);
            }
            None => break,
        }
    }
}
