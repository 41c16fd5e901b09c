//! The search over combinations of two and three moves of different
//! candidates, for the trades a budget financed by auctions needs.

use super::dual::reduced;
use super::state::{rows_hold, State};
use super::swaps::best_n;
use crate::plan::Use;

/// A candidate move for [`combo_search`]: candidate `k` to use `u`.
pub(super) type Move = (usize, Use);

/// The pool of single moves [`combo_search`] combines, from the current
/// plan: the best additions by Lagrangian value and by exact gain per
/// hectare, the auctions that raise most money per hectare, the drops that
/// lose least per hectare, and the changes of use (a park to an auction
/// frees money, another conversion may earn more). Deterministic: every
/// list is ordered by its key, then candidate, then use.
pub(super) fn combo_pool(
    s: &State,
    free: &[usize],
    lambda: &[f64],
    shares: &[[f64; 5]],
    size: usize,
) -> Vec<Move> {
    let m = s.m;
    let budget = m.budget_row.is_some();
    let q = (size / 8).max(2);
    let ha = |k: usize| m.area_ha[k].max(1e-12);
    let mut by_reduced = [Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new()];
    let mut by_gain = [Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new()];
    let mut auctions = Vec::new();
    let mut drops = Vec::new();
    let mut to_auction = Vec::new();
    let mut changes = Vec::new();
    for &k in free {
        let from = s.uses[k];
        if from == Use::Keep {
            for u in m.options(k).filter(|u| u.is_conversion()) {
                if u == Use::Redevelop {
                    if budget && m.revenue[k] > 0.0 {
                        auctions.push((m.revenue[k] / ha(k), k, u));
                    }
                } else if m.benefit[k][u.index()] > 0.0 {
                    by_reduced[u.index()].push((reduced(m, lambda, shares, k, u), k, u));
                    by_gain[u.index()].push((s.gain(k, u) / ha(k), k, u));
                }
            }
        } else {
            drops.push((s.gain(k, Use::Keep) / ha(k), k, Use::Keep));
            for u in m.options(k).filter(|&u| u.is_conversion() && u != from) {
                let g = s.gain(k, u);
                if u == Use::Redevelop {
                    if budget {
                        let freed = m.money(k, from) - m.money(k, u);
                        if freed > 0.0 {
                            to_auction.push((g / freed, k, u));
                        }
                    }
                } else {
                    let dr = reduced(m, lambda, shares, k, u) - reduced(m, lambda, shares, k, from);
                    changes.push((g.max(dr), k, u));
                }
            }
        }
    }
    let mut pool: Vec<Move> = Vec::new();
    let [_, r1, r2, r3, _] = by_reduced;
    let [_, g1, g2, g3, _] = by_gain;
    for (list, n) in [
        (r1, q),
        (r2, q),
        (r3, q),
        (g1, q),
        (g2, q),
        (g3, q),
        (auctions, q),
        (drops, 2 * q),
        (to_auction, q),
        (changes, q),
    ] {
        for (_, k, u) in best_n(list, n) {
            if !pool.contains(&(k, u)) {
                pool.push((k, u));
            }
        }
    }
    pool
}

/// Local search over combinations of two and three moves of different
/// candidates, with exact objective and row accounting: "drop one, add
/// two", "auction one, add a park", "drop a park, auction it and add
/// another" — the trades a budget financed by auctions needs and single
/// moves or one-for-one swaps cannot make. Each round applies the best
/// improving combination of the pool (ties: first in pool order); the plan
/// stays feasible. Returns whether anything improved.
pub(super) fn combo_search(
    s: &mut State,
    free: &[usize],
    lambda: &[f64],
    shares: &[[f64; 5]],
    rounds: usize,
    size: usize,
) -> bool {
    if !rows_hold(s) {
        return false;
    }
    let mut improved = false;
    for _ in 0..rounds {
        let pool = combo_pool(s, free, lambda, shares, size);
        let n = pool.len();
        let mut best: Option<(f64, [Move; 3], usize)> = None;
        let consider =
            |g: f64, moves: [Move; 3], len: usize, best: &mut Option<(f64, [Move; 3], usize)>| {
                if g > 1e-9 && best.as_ref().is_none_or(|b| g > b.0 + 1e-12) {
                    *best = Some((g, moves, len));
                }
            };
        for i in 0..n {
            let (k1, u1) = pool[i];
            if s.uses[k1] == u1 {
                continue;
            }
            let f1 = s.uses[k1];
            let g1 = s.gain(k1, u1);
            s.apply(k1, u1);
            if rows_hold(s) {
                consider(g1, [pool[i]; 3], 1, &mut best);
            }
            for j in i + 1..n {
                let (k2, u2) = pool[j];
                if k2 == k1 || s.uses[k2] == u2 {
                    continue;
                }
                let f2 = s.uses[k2];
                let g2 = g1 + s.gain(k2, u2);
                s.apply(k2, u2);
                if rows_hold(s) {
                    consider(g2, [pool[i], pool[j], pool[j]], 2, &mut best);
                }
                for l in j + 1..n {
                    let (k3, u3) = pool[l];
                    if k3 == k1 || k3 == k2 || s.uses[k3] == u3 {
                        continue;
                    }
                    let g3 = g2 + s.gain(k3, u3);
                    if g3 <= 1e-9 || best.as_ref().is_some_and(|b| g3 <= b.0 + 1e-12) {
                        continue;
                    }
                    let f3 = s.uses[k3];
                    s.apply(k3, u3);
                    if rows_hold(s) {
                        consider(g3, [pool[i], pool[j], pool[l]], 3, &mut best);
                    }
                    s.apply(k3, f3);
                }
                s.apply(k2, f2);
            }
            s.apply(k1, f1);
        }
        let Some((_, moves, len)) = best else {
            break;
        };
        for &(k, u) in &moves[..len] {
            s.apply(k, u);
        }
        improved = true;
    }
    improved
}
