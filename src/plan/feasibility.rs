//! The obvious infeasibilities, found before solving: locks against the cap,
//! eligibility or maximums; minimums without enough land; budgets that locked
//! conversions break whatever is auctioned; unreachable construction targets.
//! These are necessary conditions only; the exact solver reports the rest.

use super::error::Conflict;
use super::model::{Model, RowKind};
use super::{Problem, Use};

/// Lets float sums of exactly-meeting amounts pass.
fn over(lhs: f64, rhs: f64) -> bool {
    lhs - rhs > 1e-9 * lhs.abs().max(rhs.abs()).max(1.0)
}

pub(crate) fn obvious_conflicts(problem: &Problem) -> Vec<Conflict> {
    let m: &Model = &problem.model;
    let mut out = Vec::new();
    let cap_ha = problem.cap_ha;

    for k in 0..m.n {
        if let Some(u) = m.fixed[k] {
            if !m.eligible[k][u.index()] {
                out.push(Conflict::LockedIneligible {
                    id: m.ids[k].clone(),
                    use_: u,
                });
            }
        }
    }

    let locked_ha = |u: Use| -> f64 {
        (0..m.n)
            .filter(|&k| m.fixed[k] == Some(u))
            .map(|k| m.area_ha[k])
            .sum()
    };
    let locked_total: f64 = Use::CONVERSIONS.iter().map(|&u| locked_ha(u)).sum();
    if over(locked_total, cap_ha) {
        out.push(Conflict::LockedAreaExceedsCap {
            locked_ha: locked_total,
            cap_ha,
        });
    }

    // Tightest min and max per use.
    let mut min_of = [0.0f64; 5];
    let mut max_of = [f64::INFINITY; 5];
    for row in &m.rows {
        match row.kind {
            RowKind::Min(u) => min_of[u.index()] = min_of[u.index()].max(-row.rhs),
            RowKind::Max(u) => max_of[u.index()] = max_of[u.index()].min(row.rhs),
            _ => {}
        }
    }
    for u in Use::CONVERSIONS {
        let (lo, hi) = (min_of[u.index()], max_of[u.index()]);
        if over(lo, hi) {
            out.push(Conflict::MinAboveMax {
                use_: u,
                min_ha: lo,
                max_ha: hi,
            });
        }
        let locked = locked_ha(u);
        if over(locked, hi) {
            out.push(Conflict::LockedAreaExceedsMax {
                use_: u,
                locked_ha: locked,
                max_ha: hi,
            });
        }
        if lo > 0.0 {
            let available: f64 = (0..m.n)
                .filter(|&k| match m.fixed[k] {
                    Some(f) => f == u,
                    None => m.eligible[k][u.index()],
                })
                .map(|k| m.area_ha[k])
                .sum();
            if over(lo, available) {
                out.push(Conflict::MinUnreachable {
                    use_: u,
                    min_ha: lo,
                    available_ha: available,
                });
            }
        }
    }
    let minimums: f64 = Use::CONVERSIONS
        .iter()
        .map(|u| min_of[u.index()].max(locked_ha(*u)))
        .sum();
    if min_of.iter().any(|&x| x > 0.0) && over(minimums, cap_ha) {
        out.push(Conflict::MinimumsExceedCap {
            minimums_ha: minimums,
            cap_ha,
        });
    }

    if let Some(b) = problem.budget {
        let locked_cost: f64 = (0..m.n)
            .filter_map(|k| m.fixed[k].map(|u| m.cost[k][u.index()]))
            .sum();
        let max_revenue: f64 = (0..m.n)
            .filter(|&k| match m.fixed[k] {
                Some(f) => f == Use::Redevelop,
                None => m.eligible[k][Use::Redevelop.index()],
            })
            .map(|k| m.revenue[k])
            .sum();
        if over(locked_cost, b.amount + max_revenue) {
            out.push(Conflict::BudgetUnreachable {
                locked_cost,
                budget: b.amount,
                max_revenue,
            });
        }
    }

    if let Some(t) = problem.construction {
        let mut min_delta = 0.0;
        let mut fixed_delta = 0.0;
        for k in 0..m.n {
            let d = |u: Use| m.construction_delta_ha[k][u.index()];
            match m.fixed[k] {
                Some(f) => {
                    min_delta += d(f);
                    fixed_delta += d(f);
                }
                None => {
                    min_delta += m.options(k).map(d).fold(0.0, f64::min);
                }
            }
        }
        let min_after = t.before_ha + min_delta;
        if over(min_after, t.target_ha) {
            out.push(Conflict::ConstructionTargetUnreachable {
                min_after_ha: min_after,
                target_ha: t.target_ha,
            });
        } else {
            let needed = t.before_ha + fixed_delta - t.target_ha;
            let room = (cap_ha - locked_total).max(0.0);
            if over(needed, room) {
                out.push(Conflict::ConstructionTargetExceedsCap {
                    needed_ha: needed,
                    room_ha: room,
                    cap_ha,
                });
            }
        }
    }
    out
}
