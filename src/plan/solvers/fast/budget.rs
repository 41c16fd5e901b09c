//! Plans financed by auctions: the auctions of a plan re-chosen, plans
//! whose conversions are paid for as they are taken, and destroy and
//! rebuild around them.

use super::search::{construct, local_search, repair};
use super::state::{rows_hold, State};
use super::swaps::{kept_options, value_per_ha};
use super::LARGE;
use crate::plan::model::Model;
use crate::plan::Use;

/// Money raised beyond what the conversions need when auctions are re-chosen, as shares of the budget.
const REBALANCE_EXTRA: [f64; 6] = [0.0, 0.05, 0.1, 0.2, 0.35, 0.5];
/// Shares of the conversions [`rebuild`] drops.
const REBUILD_DROP: [f64; 2] = [0.05, 0.1];

/// The best of the plan and its versions with the auctions re-chosen
/// ([`rebalance_auctions`]) for several amounts of extra money, each
/// improved by the thorough local search. Cities where one parcel is a tiny
/// share of the cap skip it.
pub(super) fn rebalanced<'a>(
    s: State<'a>,
    free: &[usize],
    lambda: &[f64],
    shares: &[[f64; 5]],
) -> State<'a> {
    let m = s.m;
    if let (Some(b), true) = (m.budget_row, m.n <= LARGE) {
        let scale = m.rows[b].rhs.abs().max(1.0);
        let mut best = (m.objective(&s.uses), s.uses.clone());
        for f in REBALANCE_EXTRA {
            let mut t = State::new(m, s.uses.clone());
            rebalance_auctions(&mut t, free, f * scale);
            if t.violation() > 0.0 {
                continue;
            }
            local_search(&mut t, free, lambda, shares, 12, true);
            let obj = m.objective(&t.uses);
            if obj > best.0 + 1e-9 && m.is_feasible(&t.uses) {
                best = (obj, t.uses);
            }
        }
        let mu0 = money_price(m, lambda);
        for drop in REBUILD_DROP {
            for f in [0.5, 1.0, 2.0] {
                let t = rebuild(&s, free, lambda, shares, drop, f * mu0);
                let obj = m.objective(&t);
                if obj > best.0 + 1e-9 && m.is_feasible(&t) {
                    best = (obj, t);
                }
            }
        }
        if best.1 != s.uses {
            return State::new(m, best.1);
        }
    }
    s
}

/// Re-chooses the auctions of a plan: every auction is dropped, the money
/// the plan's conversions need beyond the budget (plus `extra`) is raised
/// again with the least cap (auctions by revenue per hectare, the last one
/// the smallest that covers what remains), and the cap freed is refilled
/// with conversions by gain per hectare. A greedy fill may auction one big
/// parcel where a few small ones raise the money; no sequence of single
/// moves or swaps undoes that without breaking the budget on the way.
pub(super) fn rebalance_auctions(s: &mut State, free: &[usize], extra: f64) {
    let m = s.m;
    let Some(b) = m.budget_row else {
        return;
    };
    for &k in free {
        if s.uses[k] == Use::Redevelop {
            s.apply(k, Use::Keep);
        }
    }
    let mut rem = s.act[b] - m.rows[b].rhs + extra;
    let mut items: Vec<(f64, usize)> = free
        .iter()
        .filter(|&&k| s.uses[k] == Use::Keep && m.eligible[k][Use::Redevelop.index()])
        .filter(|&&k| m.revenue[k] > 0.0)
        .map(|&k| (m.revenue[k] / m.area_ha[k].max(1e-12), k))
        .collect();
    items.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut taken = vec![false; items.len()];
    for i in 0..items.len() {
        if rem <= 0.0 {
            break;
        }
        if taken[i] {
            continue;
        }
        let k = items[i].1;
        if m.revenue[k] >= rem {
            // finish with the smallest parcel that covers the rest
            let f = (i..items.len())
                .filter(|&j| !taken[j] && m.revenue[items[j].1] >= rem)
                .min_by(|&x, &y| {
                    let (kx, ky) = (items[x].1, items[y].1);
                    m.area_ha[kx].total_cmp(&m.area_ha[ky]).then(kx.cmp(&ky))
                })
                .expect("i qualifies");
            let kf = items[f].1;
            if s.fits_cap(kf, Use::Redevelop) && s.move_ok(kf, Use::Redevelop) {
                s.apply(kf, Use::Redevelop);
                taken[f] = true;
                rem -= m.revenue[kf];
                continue;
            }
        }
        if s.fits_cap(k, Use::Redevelop) {
            s.apply(k, Use::Redevelop);
            taken[i] = true;
            rem -= m.revenue[k];
        }
    }
    // Refill the cap by exact gain per hectare.
    let ha = |k: usize| m.area_ha[k].max(1e-12);
    let mut opts: Vec<(f64, usize, Use)> = kept_options(s, free)
        .into_iter()
        .filter(|&(_, u)| u != Use::Redevelop)
        .map(|(k, u)| (s.gain(k, u) / ha(k), k, u))
        .collect();
    opts.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for &(_, k, u) in &opts {
        if s.uses[k] == Use::Keep && s.gain(k, u) > 1e-12 && s.fits_cap(k, u) && s.move_ok(k, u) {
            s.apply(k, u);
        }
    }
}

/// Builds a plan whose conversions are paid for by auctions as they are
/// taken: options by reduced value per hectare under `lambda` (its budget
/// entry prices the money), and when one breaks only the budget, the
/// auctions that raise the shortfall with least cap (best revenue per
/// hectare first, the last one the smallest that covers the rest) come in
/// with it if the cap and every other row allow both.
pub(super) fn financed(m: &Model, lambda: &[f64], shares: &[[f64; 5]]) -> Vec<Use> {
    let Some(b) = m.budget_row else {
        return construct(m, lambda, shares, false, true, None);
    };
    let start: Vec<Use> = (0..m.n).map(|k| m.fixed[k].unwrap_or(Use::Keep)).collect();
    let mut s = State::new(m, start);
    let free: Vec<usize> = (0..m.n).filter(|&k| m.fixed[k].is_none()).collect();
    repair(&mut s, &free, lambda, shares);
    financed_fill(&mut s, &free, lambda, shares, b);
    local_search(&mut s, &free, lambda, shares, 4, false);
    s.uses
}

/// The fill of [`financed`], from the current plan.
pub(super) fn financed_fill(
    s: &mut State,
    free: &[usize],
    lambda: &[f64],
    shares: &[[f64; 5]],
    b: usize,
) {
    let m = s.m;
    let mut opts: Vec<(f64, usize, Use)> = free
        .iter()
        .filter(|&&k| s.uses[k] == Use::Keep)
        .flat_map(|&k| {
            m.options(k)
                .filter(|&u| u.is_conversion() && u != Use::Redevelop)
                .map(move |u| (k, u))
        })
        .filter(|&(k, u)| m.benefit[k][u.index()] > 0.0)
        .map(|(k, u)| (value_per_ha(m, lambda, shares, k, u), k, u))
        .collect();
    opts.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut auctions: Vec<(f64, usize)> = free
        .iter()
        .filter(|&&k| m.eligible[k][Use::Redevelop.index()] && m.revenue[k] > 0.0)
        .map(|&k| (m.revenue[k] / m.area_ha[k].max(1e-12), k))
        .collect();
    auctions.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut chosen: Vec<usize> = Vec::new();
    for &(v, k, u) in &opts {
        if s.uses[k] != Use::Keep || v <= 0.0 && s.gain(k, u) <= 0.0 {
            continue;
        }
        if !s.fits_cap(k, u) {
            continue;
        }
        if s.move_ok(k, u) {
            s.apply(k, u);
            continue;
        }
        s.apply(k, u);
        let others_hold = (0..m.rows.len())
            .filter(|&r| r != b)
            .all(|r| s.act[r] <= m.rows[r].rhs + s.tol[r]);
        if !others_hold {
            s.apply(k, Use::Keep);
            continue;
        }
        // finance the shortfall
        chosen.clear();
        let mut rem = s.act[b] - m.rows[b].rhs - s.tol[b];
        let mut i = 0;
        while rem > 0.0 && i < auctions.len() {
            let ka = auctions[i].1;
            i += 1;
            if s.uses[ka] != Use::Keep {
                continue;
            }
            let mut pick = ka;
            if m.revenue[ka] >= rem {
                // the smallest that covers the rest, among the next few
                for &(_, kb) in auctions[i..].iter().take(64) {
                    if s.uses[kb] == Use::Keep
                        && m.revenue[kb] >= rem
                        && m.area_ha[kb] < m.area_ha[pick]
                    {
                        pick = kb;
                    }
                }
            }
            s.apply(pick, Use::Redevelop);
            chosen.push(pick);
            rem -= m.revenue[pick];
        }
        if rem <= 0.0 && rows_hold(s) {
            continue;
        }
        for &ka in chosen.iter().rev() {
            s.apply(ka, Use::Keep);
        }
        s.apply(k, Use::Keep);
    }
}

/// Destroy and rebuild: every auction and the share `drop` of the other
/// conversions that earn least per hectare are dropped, the rows are
/// repaired and the plan refilled by [`financed_fill`] with money priced at
/// `mu`; then the single moves and swaps. Trades a block of cheap
/// conversions for dearer ones the auctions pay for.
pub(super) fn rebuild(
    s: &State,
    free: &[usize],
    lambda: &[f64],
    shares: &[[f64; 5]],
    drop: f64,
    mu: f64,
) -> Vec<Use> {
    let m = s.m;
    let Some(b) = m.budget_row else {
        return s.uses.clone();
    };
    let mut t = State::new(m, s.uses.clone());
    let mut conv: Vec<(f64, usize)> = free
        .iter()
        .filter(|&&k| !matches!(t.uses[k], Use::Keep | Use::Redevelop))
        .map(|&k| (-t.gain(k, Use::Keep) / m.area_ha[k].max(1e-12), k))
        .collect();
    conv.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let n_drop = ((conv.len() as f64) * drop).ceil() as usize;
    for &k in free {
        if t.uses[k] == Use::Redevelop {
            t.apply(k, Use::Keep);
        }
    }
    for &(_, k) in conv.iter().take(n_drop) {
        t.apply(k, Use::Keep);
    }
    let mut lam = lambda.to_vec();
    lam[b] = mu;
    repair(&mut t, free, &lam, shares);
    financed_fill(&mut t, free, &lam, shares, b);
    local_search(&mut t, free, lambda, shares, 4, false);
    t.uses
}

/// The price of money in cap: the cap's multiplier over the revenue per
/// hectare of the auctions at hand (the best tenth); 0 without auctions.
pub(super) fn money_price(m: &Model, lambda: &[f64]) -> f64 {
    let mut rates: Vec<f64> = (0..m.n)
        .filter(|&k| m.fixed[k].is_none() && m.eligible[k][Use::Redevelop.index()])
        .filter(|&k| m.revenue[k] > 0.0)
        .map(|k| m.revenue[k] / m.area_ha[k].max(1e-12))
        .collect();
    rates.sort_by(|a, b| b.total_cmp(a));
    rates.get(rates.len() / 10).map_or(0.0, |&r| lambda[0] / r)
}
