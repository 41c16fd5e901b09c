//! The exact phased solver: one MILP on HiGHS.
//!
//! Binary `x[p, u, t]` for every eligible conversion `u` of candidate `p` in
//! phase `t`; `Σ_{u,t} x[p, u, t] <= 1` (a candidate converts once, for
//! good; a lock-in makes it `= 1`). The final-plan rows of the plain model
//! apply to `Σ_t x[p, u, t]`; each phase has its cap row and, with a budget,
//! a cumulative cash row. The adjacency bonus is linearised as in the plain
//! model, on the final plan: `y[p, q, u] <= Σ_t x[p, u, t]` and likewise for
//! `q`. With one phase the model is the plain one, column for column.

use std::time::Instant;

use super::{PhasedModel, PhasedOutcome, Schedule};
use crate::plan::error::{Conflict, PlanError};
use crate::plan::model::RowKind;
use crate::plan::solvers::milp::{Milp, MilpStatus};
use crate::plan::{Method, Problem, SolveStatus, Use};

pub(crate) fn solve(
    relaxed: &Problem,
    pm: &PhasedModel,
    deadline: Instant,
    gap: f64,
    warm: Option<PhasedOutcome>,
) -> Result<(PhasedOutcome, SolveStatus), PlanError> {
    let m = &pm.relaxed;
    let kk = pm.phases();
    let mut pb = Milp::new(0.0, gap);
    let mut cols: Vec<usize> = Vec::new();
    // Per candidate: (use, phase, column index).
    let mut x_cols: Vec<Vec<(Use, usize, usize)>> = vec![Vec::new(); m.n];
    for (k, xs) in x_cols.iter_mut().enumerate() {
        for u in m.options(k).filter(|u| u.is_conversion()) {
            for t in 0..kk {
                // One phase: a lock-in is a column bound, as in the plain model.
                let lo = if kk == 1 && m.fixed[k] == Some(u) {
                    1.0
                } else {
                    0.0
                };
                xs.push((u, t, cols.len()));
                cols.push(pb.add_column(m.benefit[k][u.index()], lo, 1.0, true));
            }
        }
    }
    let mut y_terms = Vec::new();
    for t in &m.pairs {
        for u in [Use::Green, Use::Ecological, Use::Cultural] {
            let w = t.w[u.index()];
            let has = |k: usize| x_cols[k].iter().any(|&(v, _, _)| v == u);
            if w > 0.0 && has(t.p) && has(t.q) {
                y_terms.push((u, t.p, t.q, cols.len()));
                cols.push(pb.add_column(w, 0.0, 1.0, false));
            }
        }
    }
    if cols.is_empty() {
        let uses: Vec<Use> = (0..m.n).map(|k| m.fixed[k].unwrap_or(Use::Keep)).collect();
        let bound = m.objective(&uses);
        return Ok((
            PhasedOutcome {
                schedule: Schedule {
                    uses,
                    phase: vec![0; m.n],
                },
                bound,
                method: Method::Exact,
            },
            SolveStatus::Optimal,
        ));
    }
    for (k, xs) in x_cols.iter().enumerate() {
        let locked_in = kk > 1 && m.fixed[k].is_some_and(|f| f.is_conversion());
        if locked_in || xs.len() > 1 {
            pb.add_row(1.0, xs.iter().map(|&(_, _, c)| (cols[c], 1.0)).collect());
        }
        if locked_in {
            pb.add_row(-1.0, xs.iter().map(|&(_, _, c)| (cols[c], -1.0)).collect());
        }
    }
    let r0 = m.rows.len();
    let final_cap = m.rows[0].rhs;
    for row in 0..pm.row_count() {
        let is_phase_cap = (r0..r0 + kk).contains(&row);
        // A phase cap at least the final cap never binds (always so with one phase).
        if is_phase_cap && pm.rhs(row) >= final_cap {
            continue;
        }
        // The last cash row is the final budget row.
        if pm.cash && row == r0 + 2 * kk - 1 {
            continue;
        }
        let mut terms = Vec::new();
        for (k, xs) in x_cols.iter().enumerate() {
            for &(u, t, c) in xs {
                let mut v = 0.0;
                pm.for_each_coef(k, u, t, |r, coef| {
                    if r == row {
                        v += coef;
                    }
                });
                if v != 0.0 {
                    terms.push((c, v));
                }
            }
        }
        // Money rows scaled to unit-size coefficients (as in the plain model).
        let money_row = row >= r0 + kk || (row < r0 && m.rows[row].kind == RowKind::Budget);
        let scale = if money_row {
            terms.iter().map(|t| t.1.abs()).fold(1.0, f64::max)
        } else {
            1.0
        };
        pb.add_row(
            pm.rhs(row) / scale,
            terms
                .into_iter()
                .map(|(c, v)| (cols[c], v / scale))
                .collect(),
        );
    }
    for &(u, p, q, y) in &y_terms {
        for end in [p, q] {
            let terms = std::iter::once((cols[y], 1.0)).chain(
                x_cols[end]
                    .iter()
                    .filter(|&&(v, _, _)| v == u)
                    .map(|&(_, _, c)| (cols[c], -1.0)),
            );
            pb.add_row(0.0, terms.collect());
        }
    }

    let start = warm.as_ref().map(|w| {
        let s = &w.schedule;
        let mut start = vec![0.0f64; cols.len()];
        for (k, xs) in x_cols.iter().enumerate() {
            for &(u, t, c) in xs {
                if s.uses[k] == u && s.phase[k] == t {
                    start[c] = 1.0;
                }
            }
        }
        for &(u, p, q, y) in &y_terms {
            start[y] = if s.uses[p] == u && s.uses[q] == u {
                1.0
            } else {
                0.0
            };
        }
        start
    });
    pb.start = start;
    pb.time_limit_s = crate::plan::solvers::exact::highs_time_limit_s(deadline);
    let solved = relaxed
        .runner
        .run(&pb, deadline)
        .map_err(|message| PlanError::Solver { message })?;
    if solved.status == MilpStatus::Infeasible {
        return Err(PlanError::Infeasible {
            conflicts: vec![Conflict::Jointly {
                constraints: relaxed.constraints(),
            }],
        });
    }
    let mut found = None;
    if let Some(v) = &solved.columns {
        let mut s = Schedule {
            uses: (0..m.n).map(|k| m.fixed[k].unwrap_or(Use::Keep)).collect(),
            phase: vec![0; m.n],
        };
        for (k, xs) in x_cols.iter().enumerate() {
            if let Some(&(u, t, _)) = xs.iter().find(|&&(_, _, c)| v[c] > 0.5) {
                s.uses[k] = u;
                s.phase[k] = t;
            }
        }
        if pm.is_feasible(&s) {
            found = Some(s);
        }
    }
    let schedule = match (found, &warm) {
        (Some(s), Some(w)) => {
            // Keep the warm start when HiGHS stopped on something no better.
            if m.objective(&w.schedule.uses) > m.objective(&s.uses) + 1e-12 {
                w.schedule.clone()
            } else {
                s
            }
        }
        (Some(s), None) => s,
        (None, Some(w)) => w.schedule.clone(),
        (None, None) => {
            return Err(PlanError::NoPlanFound {
                method: Method::Exact,
                hint: "HiGHS stopped (time limit) before finding a feasible phased plan; \
                       raise time_limit_s",
            })
        }
    };
    let objective = m.objective(&schedule.uses);
    let mut bound =
        crate::plan::solvers::exact::proven_bound(solved.status, solved.dual_bound, objective);
    if let Some(w) = &warm {
        bound = bound.min(w.bound);
    }
    let bound = bound.max(objective);
    let status = crate::plan::solvers::exact::status_of(objective, bound, gap, solved.status);
    Ok((
        PhasedOutcome {
            schedule,
            bound,
            method: Method::Exact,
        },
        status,
    ))
}
