//! The exact solver: the plan as a mixed-integer programme on HiGHS.
//!
//! Binary `x[p, u]` for every eligible conversion (keep is the slack of
//! `Σ_u x[p, u] <= 1`), the model's rows as linear constraints, and the
//! adjacency bonus linearised with continuous `y[p, q, u] <= x[p, u]`,
//! `y[p, q, u] <= x[q, u]` — maximisation with non-negative weights pushes `y`
//! up to `min(x[p, u], x[q, u])`, so no lower linking row is needed. HiGHS
//! runs single-threaded with a fixed seed so that the same problem gives the
//! same plan; it is warm-started from the fast solver's plan.

use highs::{HighsModelStatus, HighsSolutionStatus, RowProblem, Sense};

use super::error::{Conflict, PlanError};
use super::model::{Model, Outcome, RowKind};
use super::{Method, Problem, Use};

/// Column of `x[k, u]`, per candidate: (use, column index).
type XCols = Vec<Vec<(Use, usize)>>;

pub(crate) fn solve(
    problem: &Problem,
    m: &Model,
    time_limit_s: f64,
    gap: f64,
    warm: Option<&Outcome>,
) -> Result<Outcome, PlanError> {
    let mut pb = RowProblem::default();
    let mut x_cols: XCols = vec![Vec::new(); m.n];
    let mut cols = Vec::new();
    let mut ncols = 0usize;
    for (k, xs) in x_cols.iter_mut().enumerate() {
        for u in m.options(k).filter(|u| u.is_conversion()) {
            let lo = if m.fixed[k] == Some(u) { 1.0 } else { 0.0 };
            cols.push(pb.add_integer_column(m.benefit[k][u.index()], lo..=1.0));
            xs.push((u, ncols));
            ncols += 1;
        }
    }
    let find = |k: usize, u: Use| x_cols[k].iter().find(|(v, _)| *v == u).map(|&(_, c)| c);
    // Adjacency terms whose both ends can take the use.
    let mut y_terms = Vec::new();
    for (j, t) in m.pairs.iter().enumerate() {
        for u in [Use::Green, Use::Ecological, Use::Cultural] {
            let w = t.w[u.index()];
            if w > 0.0 {
                if let (Some(a), Some(b)) = (find(t.p, u), find(t.q, u)) {
                    let y = pb.add_column(w, 0.0..=1.0);
                    cols.push(y);
                    y_terms.push((j, u, ncols, a, b));
                    ncols += 1;
                }
            }
        }
    }
    if ncols == 0 {
        // Nothing to decide: every candidate is locked out, locked or ineligible.
        let uses: Vec<Use> = (0..m.n).map(|k| m.fixed[k].unwrap_or(Use::Keep)).collect();
        let (benefit, bonus) = m.objective_parts(&uses);
        let bound = benefit + bonus;
        return Ok(Outcome {
            uses,
            bound,
            method: Method::Exact,
        });
    }

    for xs in &x_cols {
        if xs.len() > 1 {
            pb.add_row(..=1.0, xs.iter().map(|&(_, c)| (cols[c], 1.0)));
        }
    }
    for (r, row) in m.rows.iter().enumerate() {
        let mut terms = Vec::new();
        for (k, xs) in x_cols.iter().enumerate() {
            for &(u, c) in xs {
                let v = m.coef(r, k, u);
                if v != 0.0 {
                    terms.push((cols[c], v));
                }
            }
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
        pb.add_row(..=row.rhs / scale, terms);
    }
    for &(_, _, y, a, b) in &y_terms {
        pb.add_row(..=0.0, [(cols[y], 1.0), (cols[a], -1.0)]);
        pb.add_row(..=0.0, [(cols[y], 1.0), (cols[b], -1.0)]);
    }

    let start = warm.map(|w| {
        let mut start = vec![0.0f64; ncols];
        for (k, xs) in x_cols.iter().enumerate() {
            for &(u, c) in xs {
                if w.uses[k] == u {
                    start[c] = 1.0;
                }
            }
        }
        for &(_, _, y, a, b) in &y_terms {
            start[y] = start[a].min(start[b]);
        }
        start
    });
    let solved = run(pb, start.as_deref(), time_limit_s, gap, problem)?;
    let mut uses = None;
    if let Some(v) = &solved.columns {
        let candidate: Vec<Use> = (0..m.n)
            .map(|k| {
                x_cols[k]
                    .iter()
                    .find(|&&(_, c)| v[c] > 0.5)
                    .map(|&(u, _)| u)
                    .unwrap_or_else(|| m.fixed[k].unwrap_or(Use::Keep))
            })
            .collect();
        if m.is_feasible(&candidate) {
            uses = Some(candidate);
        }
    }
    let uses =
        match (uses, warm) {
            (Some(u), Some(w)) => {
                // Keep the warm start when HiGHS stopped on something no better.
                if m.objective(&w.uses) > m.objective(&u) + 1e-12 {
                    w.uses.clone()
                } else {
                    u
                }
            }
            (Some(u), None) => u,
            (None, Some(w)) => w.uses.clone(),
            (None, None) => return Err(PlanError::NoPlanFound {
                method: Method::Exact,
                hint:
                    "HiGHS stopped (time limit) before finding a feasible plan; raise time_limit_s",
            }),
        };
    let objective = m.objective(&uses);
    let mut bound = solved.bound_or(objective);
    if let Some(w) = warm {
        bound = bound.min(w.bound);
    }
    Ok(Outcome {
        uses,
        bound: bound.max(objective),
        method: Method::Exact,
    })
}

/// What HiGHS returned: the column values of its best solution (when it has
/// one), its dual bound, and whether it proved optimality.
pub(crate) struct Solved {
    pub columns: Option<Vec<f64>>,
    pub dual_bound: Option<f64>,
    pub optimal: bool,
}

impl Solved {
    /// HiGHS's dual bound; the objective itself when optimal without one; else +∞.
    pub(crate) fn bound_or(&self, objective: f64) -> f64 {
        match (self.optimal, self.dual_bound) {
            (_, Some(d)) => d,
            (true, None) => objective,
            _ => f64::INFINITY,
        }
    }
}

/// Solves a built MILP (maximisation) single-threaded with a fixed seed, the
/// time limit and relative gap given, from an optional MIP start. An
/// infeasible model is [`PlanError::Infeasible`] naming every constraint of
/// `problem`.
pub(crate) fn run(
    pb: RowProblem,
    start: Option<&[f64]>,
    time_limit_s: f64,
    gap: f64,
    problem: &Problem,
) -> Result<Solved, PlanError> {
    let mut model = pb.optimise(Sense::Maximise);
    let set = |model: &mut highs::Model, name: &str, v: OptionValue| -> Result<(), PlanError> {
        let r = match v {
            OptionValue::F(x) => model.try_set_option(name, x),
            OptionValue::I(x) => model.try_set_option(name, x),
            OptionValue::B(x) => model.try_set_option(name, x),
            OptionValue::S(x) => model.try_set_option(name, x),
        };
        r.map_err(|_| PlanError::Solver {
            message: format!("option {name} rejected"),
        })
    };
    set(&mut model, "output_flag", OptionValue::B(false))?;
    set(&mut model, "threads", OptionValue::I(1))?;
    set(&mut model, "parallel", OptionValue::S("off"))?;
    set(&mut model, "random_seed", OptionValue::I(0))?;
    set(&mut model, "time_limit", OptionValue::F(time_limit_s))?;
    set(&mut model, "mip_rel_gap", OptionValue::F(gap))?;
    set(
        &mut model,
        "mip_abs_gap",
        OptionValue::F(if gap == 0.0 { 1e-9 } else { 1e-6 }),
    )?;
    set(
        &mut model,
        "mip_feasibility_tolerance",
        OptionValue::F(1e-9),
    )?;
    set(
        &mut model,
        "primal_feasibility_tolerance",
        OptionValue::F(1e-9),
    )?;
    if let Some(start) = start {
        // A start HiGHS rejects only loses the warm start, not the solve.
        let _ = model.try_set_solution(Some(start), None, None, None);
    }

    let solved = model.try_solve().map_err(|e| PlanError::Solver {
        message: format!("{e:?}"),
    })?;
    let status = solved.status();
    match status {
        HighsModelStatus::Infeasible | HighsModelStatus::UnboundedOrInfeasible => {
            return Err(PlanError::Infeasible {
                conflicts: vec![Conflict::Jointly {
                    constraints: problem.constraints(),
                }],
            })
        }
        HighsModelStatus::Optimal
        | HighsModelStatus::ReachedTimeLimit
        | HighsModelStatus::ReachedIterationLimit
        | HighsModelStatus::ReachedSolutionLimit
        | HighsModelStatus::ReachedInterrupt
        | HighsModelStatus::ObjectiveBound
        | HighsModelStatus::ObjectiveTarget => {}
        other => {
            return Err(PlanError::Solver {
                message: format!("model status {other:?}"),
            })
        }
    }
    let dual_bound = solved
        .double_info_value(c"mip_dual_bound")
        .ok()
        .filter(|b| b.is_finite());
    let columns = (solved.primal_solution_status() == HighsSolutionStatus::Feasible)
        .then(|| solved.get_solution().columns().to_vec());
    Ok(Solved {
        columns,
        dual_bound,
        optimal: status == HighsModelStatus::Optimal,
    })
}

enum OptionValue {
    F(f64),
    I(i32),
    B(bool),
    S(&'static str),
}
