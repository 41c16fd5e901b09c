//! The exact solver: the plan as a mixed-integer programme on HiGHS.
//!
//! Binary `x[p, u]` for every eligible conversion (keep is the slack of
//! `Σ_u x[p, u] <= 1`), the model's rows as linear constraints, and the
//! adjacency bonus linearised with continuous `y[p, q, u] <= x[p, u]`,
//! `y[p, q, u] <= x[q, u]` — maximisation with non-negative weights pushes `y`
//! up to `min(x[p, u], x[q, u])`, so no lower linking row is needed.
//!
//! **What landstock knows and HiGHS does not.** The fast solver leaves a
//! feasible plan (objective `z`) and a Lagrangian certificate: multipliers
//! under which every candidate's choice is independent, with the bound
//! `L = Σ_k max_u v[k, u] + λ · rhs`. Forcing candidate `k` to use `u` can
//! give at most `L − max_u v[k, u] + v[k, u]`; when that is below `z`, no plan
//! better than the fast one uses `(k, u)`, and the option is left out of the
//! MILP (reduced-cost fixing). A candidate left with one option is fixed.
//! HiGHS then solves a much smaller model, warm-started from the fast plan;
//! the bound it proves on the smaller model, or `z`, whichever is larger, is a
//! bound on the whole problem.
//!
//! HiGHS runs single-threaded with a fixed seed, so the same problem gives
//! the same plan, and through a [`HighsRunner`] that returns by the deadline.

use std::time::Instant;

use super::fast::Certificate;
use super::milp::{HighsRunner, Milp, MilpStatus};
use crate::plan::error::{Conflict, PlanError};
use crate::plan::model::{Model, Outcome, RowKind};
use crate::plan::{Method, Problem, SolveStatus, Use};

/// How `(k, u)` enters the MILP.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Var {
    /// Not an option (ineligible, locked otherwise, or fixed away).
    Out,
    /// Fixed to 1: `k` takes `u` in every plan the MILP considers.
    One,
    /// A binary column.
    Col(usize),
}

/// The options left for each candidate after reduced-cost fixing: `true`
/// where `(k, u)` may still be part of a plan better than `incumbent`.
/// Keep (index 0) is an option too: a candidate whose keep is fixed away
/// must convert.
pub(crate) fn open_options(
    m: &Model,
    cert: Option<&Certificate>,
    incumbent: &[Use],
) -> Vec<[bool; 5]> {
    let mut open: Vec<[bool; 5]> = (0..m.n)
        .map(|k| {
            let mut o = [false; 5];
            for u in m.options(k) {
                o[u.index()] = true;
            }
            o
        })
        .collect();
    let Some(cert) = cert else { return open };
    let z = m.objective(incumbent);
    let l = cert.bound(m);
    // a margin for the rounding of L's long sum; fixing less is always safe
    let margin = 1e-9 * l.abs().max(1.0);
    for k in 0..m.n {
        if m.fixed[k].is_some() {
            continue;
        }
        let v = &cert.val[k];
        let best = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        for u in Use::ALL {
            let ui = u.index();
            if open[k][ui] && u != incumbent[k] && l - best + v[ui] < z - margin {
                open[k][ui] = false;
            }
        }
    }
    open
}

/// Solves the MILP by `deadline` (the fast plan `warm` and its certificate
/// shrink it first). Returns the plan, a proven bound, and whether the
/// requested gap was met or the deadline stopped HiGHS.
pub(crate) fn solve(
    problem: &Problem,
    m: &Model,
    deadline: Instant,
    gap: f64,
    warm: Option<(&Outcome, Option<&Certificate>)>,
    runner: &HighsRunner,
) -> Result<(Outcome, SolveStatus), PlanError> {
    let incumbent: Option<&[Use]> = warm.map(|(w, _)| w.uses.as_slice());
    let open = match (incumbent, warm.and_then(|w| w.1)) {
        (Some(inc), Some(cert)) => open_options(m, Some(cert), inc),
        _ => open_options(m, None, &[]),
    };

    // Columns: x[k, u] for open conversions of candidates that still choose.
    let mut milp = Milp::new(0.0, gap);
    let mut var = vec![[Var::Out; 5]; m.n];
    let mut offset = 0.0;
    let mut choose_rows = Vec::new();
    for k in 0..m.n {
        let conv: Vec<Use> = Use::CONVERSIONS
            .into_iter()
            .filter(|u| open[k][u.index()])
            .collect();
        let keep_open = open[k][Use::Keep.index()];
        if conv.is_empty() {
            continue; // keep
        }
        if conv.len() == 1 && !keep_open {
            var[k][conv[0].index()] = Var::One;
            offset += m.benefit[k][conv[0].index()];
            continue;
        }
        let cs: Vec<usize> = conv
            .iter()
            .map(|&u| {
                let c = milp.add_column(m.benefit[k][u.index()], 0.0, 1.0, true);
                var[k][u.index()] = Var::Col(c);
                c
            })
            .collect();
        if cs.len() > 1 {
            choose_rows.push((1.0, cs.iter().map(|&c| (c, 1.0)).collect::<Vec<_>>()));
        }
        if !keep_open {
            choose_rows.push((-1.0, cs.iter().map(|&c| (c, -1.0)).collect()));
        }
    }
    // Adjacency terms: a y column when both ends still choose, else folded in.
    let mut y_terms = Vec::new();
    for t in &m.pairs {
        for u in [Use::Green, Use::Ecological, Use::Cultural] {
            let w = t.w[u.index()];
            if w <= 0.0 {
                continue;
            }
            match (var[t.p][u.index()], var[t.q][u.index()]) {
                (Var::Col(a), Var::Col(b)) => {
                    let y = milp.add_column(w, 0.0, 1.0, false);
                    y_terms.push((y, a, b));
                }
                (Var::Col(a), Var::One) | (Var::One, Var::Col(a)) => milp.cost[a] += w,
                (Var::One, Var::One) => offset += w,
                _ => {}
            }
        }
    }
    let fixed_uses: Vec<Use> = (0..m.n)
        .map(|k| {
            Use::ALL
                .into_iter()
                .find(|u| var[k][u.index()] == Var::One)
                .unwrap_or(Use::Keep)
        })
        .collect();
    let ncols = milp.columns();
    let uses_of = |v: &[f64]| -> Vec<Use> {
        (0..m.n)
            .map(|k| {
                Use::CONVERSIONS
                    .into_iter()
                    .find(|u| matches!(var[k][u.index()], Var::Col(c) if v[c] > 0.5))
                    .unwrap_or(fixed_uses[k])
            })
            .collect()
    };
    if ncols == 0 {
        // Nothing left to decide: the fixed options are the only plan that
        // can beat (or equal) the incumbent.
        let uses = fixed_uses.clone();
        let best = match incumbent {
            Some(inc) if !m.is_feasible(&uses) || m.objective(inc) >= m.objective(&uses) => {
                inc.to_vec()
            }
            _ if m.is_feasible(&uses) => uses,
            _ => {
                return Err(PlanError::Infeasible {
                    conflicts: vec![Conflict::Jointly {
                        constraints: problem.constraints(),
                    }],
                })
            }
        };
        let bound = m.objective(&best);
        return Ok((
            Outcome {
                uses: best,
                bound,
                method: Method::Exact,
            },
            SolveStatus::Optimal,
        ));
    }

    for (upper, terms) in choose_rows {
        milp.add_row(upper, terms);
    }
    for (r, row) in m.rows.iter().enumerate() {
        let mut terms = Vec::new();
        let mut fixed = 0.0;
        for (k, vars) in var.iter().enumerate() {
            for u in Use::CONVERSIONS {
                match vars[u.index()] {
                    Var::Col(c) => {
                        let v = m.coef(r, k, u);
                        if v != 0.0 {
                            terms.push((c, v));
                        }
                    }
                    Var::One => fixed += m.coef(r, k, u),
                    Var::Out => {}
                }
            }
        }
        if terms.is_empty() {
            continue; // constant: HiGHS's plan is checked against every row below
        }
        // Money rows are scaled to unit-size coefficients so that HiGHS's
        // absolute tolerances mean the same as on the hectare rows.
        let scale = match row.kind {
            RowKind::Budget => terms.iter().map(|t| t.1.abs()).fold(1.0, f64::max),
            _ => 1.0,
        };
        for t in &mut terms {
            t.1 /= scale;
        }
        milp.add_row((row.rhs - fixed) / scale, terms);
    }
    for &(y, a, b) in &y_terms {
        milp.add_row(0.0, vec![(y, 1.0), (a, -1.0)]);
        milp.add_row(0.0, vec![(y, 1.0), (b, -1.0)]);
    }
    if let Some(inc) = incumbent {
        let mut start = vec![0.0f64; ncols];
        for k in 0..m.n {
            if let Var::Col(c) = var[k][inc[k].index()] {
                start[c] = 1.0;
            }
        }
        for &(y, a, b) in &y_terms {
            start[y] = start[a].min(start[b]);
        }
        milp.start = Some(start);
    }

    milp.gap = highs_gap(
        gap,
        offset,
        warm.map(|(w, _)| (m.objective(&w.uses), w.bound)),
    );
    milp.time_limit_s = highs_time_limit_s(deadline);
    let solved = runner
        .run(&milp, deadline)
        .map_err(|message| PlanError::Solver { message })?;
    if solved.status == MilpStatus::Infeasible && incumbent.is_none() {
        return Err(PlanError::Infeasible {
            conflicts: vec![Conflict::Jointly {
                constraints: problem.constraints(),
            }],
        });
    }
    let found = solved
        .columns
        .as_deref()
        .map(uses_of)
        .filter(|u| m.is_feasible(u));
    let uses = match (found, incumbent) {
        // keep the warm start when HiGHS stopped on something no better
        (Some(u), Some(w)) if m.objective(w) > m.objective(&u) + 1e-12 => w.to_vec(),
        (Some(u), _) => u,
        (None, Some(w)) => w.to_vec(),
        (None, None) => {
            return Err(PlanError::NoPlanFound {
                method: Method::Exact,
                hint: "HiGHS stopped at the time limit before finding a feasible plan; \
                       raise the time limit or use the fast solver",
            })
        }
    };
    let objective = m.objective(&uses);
    // HiGHS's bound covers the model it saw (plus the fixed part); every plan
    // outside it is worse than the incumbent, so the larger of the two bounds all.
    let milp_bound = proven_bound(
        solved.status,
        solved.dual_bound.map(|d| d + offset),
        objective,
    );
    let mut bound = milp_bound.max(objective);
    if let Some((w, _)) = warm {
        bound = bound.min(w.bound);
    }
    let bound = bound.max(objective);
    let status = status_of(objective, bound, gap, solved.status);
    Ok((
        Outcome {
            uses,
            bound,
            method: Method::Exact,
        },
        status,
    ))
}

/// The status of an exact solve: the requested relative gap met (or
/// HiGHS's absolute gap, 1e-6 — 1e-9 when 0 was asked — which decides on
/// plans whose objective is tiny), else why not.
pub(crate) fn status_of(objective: f64, bound: f64, gap: f64, milp: MilpStatus) -> SolveStatus {
    let abs_gap = if gap == 0.0 { 1e-9 } else { 1e-6 };
    if crate::plan::relative_gap(objective, bound) <= gap.max(1e-12) || bound - objective <= abs_gap
    {
        SolveStatus::Optimal
    } else if matches!(milp, MilpStatus::TimeLimit | MilpStatus::Killed) {
        SolveStatus::TimeLimit
    } else {
        SolveStatus::Stopped
    }
}

/// The relative gap HiGHS is asked for, so that it stops once landstock's
/// gap — taken of the whole objective — is met. HiGHS sees only the free
/// part of the objective (the `offset` of fixed options is added back), and
/// measures its gap `(P − D) / P` on that part: asked for `gap` itself, it
/// worked for a gap of 1e-4 of 160 where 1e-4 of 277 was wanted (the
/// generated 20k city). With the incumbent's objective `z` and a proven
/// bound `B` of the whole problem, `gap · z / (B − offset)` is safe: HiGHS's
/// own incumbent `P <= B − offset` and `P + offset >= z`, so
/// `P − D <= gap · z · P / (B − offset) <= gap · (P + offset)`.
///
/// ```text
/// highs_gap(1e-4, 117.0, Some((276.7, 277.3))) ≈ 1e-4 · 276.7 / 160.3 ≈ 1.73e-4
/// ```
pub(crate) fn highs_gap(gap: f64, offset: f64, incumbent_and_bound: Option<(f64, f64)>) -> f64 {
    match incumbent_and_bound {
        Some((z, bound)) if offset > 0.0 && z > 0.0 && bound - offset > 0.0 => {
            (gap * z / (bound - offset)).max(gap)
        }
        _ => gap,
    }
}

/// HiGHS's own limit: the time left to the deadline, less what it may
/// overrun by between its clock checks (see [`super::milp::KILL_GRACE`]).
pub(crate) fn highs_time_limit_s(deadline: Instant) -> f64 {
    let left_s = deadline
        .saturating_duration_since(Instant::now())
        .as_secs_f64();
    (0.95 * left_s - 0.05).max(0.01)
}

/// The bound a HiGHS run proves (`dual_bound` already in the caller's
/// objective terms): its dual bound; the objective when it proved optimality
/// without one, or found the (reduced) model infeasible, so that nothing
/// beats the incumbent; +∞ when it proved nothing (killed, no bound).
pub(crate) fn proven_bound(status: MilpStatus, dual_bound: Option<f64>, objective: f64) -> f64 {
    match (status, dual_bound) {
        (MilpStatus::Infeasible, _) => objective,
        (MilpStatus::Killed, _) => f64::INFINITY,
        (_, Some(d)) => d,
        (MilpStatus::Optimal, None) => objective,
        _ => f64::INFINITY,
    }
}
