//! The model both solvers share: benefits, adjacency-bonus pair terms and
//! constraint rows, all in parcel-id order; and [`evaluate`], which scores any
//! assignment against them (the `eval` family, apart from solving).
//!
//! Every constraint is held as one row `Σ coef(p, u) · x[p, u] <= rhs`:
//! minimums are negated, the construction target becomes a bound on the
//! change of construction land, and the budget nets auction revenue against
//! conversion costs.

use super::{ConstraintRef, ConstraintStatus, Method, Problem, Use};
use crate::ParcelId;

/// Area per use, ha.
///
/// ```
/// use landstock::plan::{Use, UseAreas};
/// let a = UseAreas { green_ha: 2.0, ..UseAreas::default() };
/// assert_eq!(a.get(Use::Green), 2.0);
/// assert_eq!(a.converted_ha(), 2.0);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct UseAreas {
    /// Candidates kept as they are.
    pub keep_ha: f64,
    /// Converted to parks.
    pub green_ha: f64,
    /// Converted to ecological land.
    pub ecological_ha: f64,
    /// Converted to cultural districts.
    pub cultural_ha: f64,
    /// Auctioned for redevelopment.
    pub redevelop_ha: f64,
}

impl UseAreas {
    /// The area of one use.
    pub fn get(&self, u: Use) -> f64 {
        match u {
            Use::Keep => self.keep_ha,
            Use::Green => self.green_ha,
            Use::Ecological => self.ecological_ha,
            Use::Cultural => self.cultural_ha,
            Use::Redevelop => self.redevelop_ha,
        }
    }
    pub(crate) fn add(&mut self, u: Use, ha: f64) {
        match u {
            Use::Keep => self.keep_ha += ha,
            Use::Green => self.green_ha += ha,
            Use::Ecological => self.ecological_ha += ha,
            Use::Cultural => self.cultural_ha += ha,
            Use::Redevelop => self.redevelop_ha += ha,
        }
    }
    /// Total converted area (everything but keep): what the cap limits.
    pub fn converted_ha(&self) -> f64 {
        self.green_ha + self.ecological_ha + self.cultural_ha + self.redevelop_ha
    }
}

/// A broken rule in an evaluated assignment.
#[derive(Debug, Clone, PartialEq)]
pub enum Violation {
    /// The assignment's length differs from the number of candidates.
    WrongLength {
        /// Number of candidates.
        expected: usize,
        /// Length given.
        got: usize,
    },
    /// A candidate was given a use it is not eligible for.
    Ineligible {
        /// The candidate.
        id: ParcelId,
        /// The use given.
        use_: Use,
    },
    /// A locked candidate was given another use.
    Lock {
        /// The candidate.
        id: ParcelId,
        /// The use the lock requires (keep for a lock-out).
        locked: Use,
        /// The use given.
        got: Use,
    },
    /// A row constraint is exceeded: `lhs > rhs` in the row's own terms.
    Constraint {
        /// The constraint.
        constraint: ConstraintRef,
        /// How far past its limit (ha or currency), > 0.
        excess: f64,
    },
}

/// The result of [`evaluate`]: objective, areas, money and broken rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// Benefit plus adjacency bonus.
    pub objective: f64,
    /// Σ score × area_ha of converted candidates.
    pub benefit: f64,
    /// The adjacency bonus.
    pub bonus: f64,
    /// Area per use, ha.
    pub area_ha: UseAreas,
    /// Σ conversion cost.
    pub cost: f64,
    /// Σ auction revenue.
    pub revenue: f64,
    /// Construction land after the plan, when a target was given.
    pub construction_land_after_ha: Option<f64>,
    /// Everything the assignment breaks (empty when feasible).
    pub violations: Vec<Violation>,
}

impl Evaluation {
    /// Whether the assignment breaks nothing.
    pub fn is_feasible(&self) -> bool {
        self.violations.is_empty()
    }
}

/// Scores an assignment (one [`Use`] per candidate, input order) against the
/// problem: objective, areas, money and every violated rule. Pure; the
/// solvers' plans are checked with it in the tests.
///
/// ```
/// use landstock::plan::{evaluate, Candidate, PlanProblem, Scores, TouchingPair, Use};
/// use landstock::LandUse;
/// let s = Scores { green: Some(0.5), ..Scores::default() };
/// let a = Candidate::new("a", 20_000.0, LandUse::Vacant).with_scores(s).with_perimeter_m(600.0);
/// let b = Candidate::new("b", 10_000.0, LandUse::Vacant).with_scores(s).with_perimeter_m(400.0);
/// let pairs = vec![TouchingPair { a: 0, b: 1, shared_len_m: 100.0 }];
/// let p = PlanProblem::new(vec![a, b], pairs).cap_ha(2.5).build().unwrap();
/// let e = evaluate(&p, &[Use::Green, Use::Green]);
/// // benefits 1.0 + 0.5; bonus 0.25 × min(1.0, 0.5) × 100 / 400
/// assert!((e.objective - (1.5 + 0.25 * 0.5 * 0.25)).abs() < 1e-12);
/// assert!(!e.is_feasible(), "3 ha > cap 2.5 ha");
/// assert!(evaluate(&p, &[Use::Green, Use::Keep]).is_feasible());
/// ```
pub fn evaluate(problem: &Problem, uses: &[Use]) -> Evaluation {
    let m = &problem.model;
    if uses.len() != m.n {
        let mut e = m.evaluate_sorted(&vec![Use::Keep; m.n]);
        e.violations.push(Violation::WrongLength {
            expected: m.n,
            got: uses.len(),
        });
        return e;
    }
    let sorted: Vec<Use> = m.order.iter().map(|&i| uses[i]).collect();
    m.evaluate_sorted(&sorted)
}

/// What a constraint row constrains.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum RowKind {
    /// Σ converted area.
    Cap,
    /// −area of a use (a minimum, negated).
    Min(Use),
    /// Area of a use.
    Max(Use),
    /// Change of construction land, ha.
    Construction,
    /// Cost − revenue.
    Budget,
    /// A row of explicit coefficients (`Model::extra[j]`), e.g. "differ
    /// from an earlier plan by at least so many hectares".
    Extra(usize),
}

/// One constraint row: `Σ coef · x <= rhs`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    pub kind: RowKind,
    pub rhs: f64,
    pub constraint: ConstraintRef,
}

/// An adjacency-bonus term between two candidates (sorted positions `p < q`):
/// `w[u]` is earned when both get use `u`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PairTerm {
    pub p: usize,
    pub q: usize,
    pub w: [f64; 5],
}

/// A solver's answer, in sorted order, before post-processing.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Outcome {
    pub uses: Vec<Use>,
    pub bound: f64,
    pub method: Method,
}

/// The compiled problem, candidates in parcel-id order (`k`); `order[k]` is
/// the input index.
#[derive(Debug, Clone, Default)]
pub(crate) struct Model {
    pub n: usize,
    pub order: Vec<usize>,
    pub ids: Vec<ParcelId>,
    pub area_ha: Vec<f64>,
    /// Eligibility per use (keep always).
    pub eligible: Vec<[bool; 5]>,
    pub benefit: Vec<[f64; 5]>,
    /// Conversion cost per use (0 for keep and redevelop).
    pub cost: Vec<[f64; 5]>,
    /// Auction revenue if redeveloped, as the budget row counts it: the
    /// expected revenue × (1 − the problem's revenue shortfall).
    pub revenue: Vec<f64>,
    /// Expected auction revenue if redeveloped (what plans report).
    pub revenue_expected: Vec<f64>,
    /// Change of construction land per use, ha.
    pub construction_delta_ha: Vec<[f64; 5]>,
    /// The use a lock forces (keep for a lock-out).
    pub fixed: Vec<Option<Use>>,
    pub rows: Vec<Row>,
    /// Bound rows per use index.
    pub use_rows: [Vec<usize>; 5],
    pub construction_row: Option<usize>,
    pub budget_row: Option<usize>,
    pub pairs: Vec<PairTerm>,
    /// CSR adjacency: pair indices touching `k` are `adj[adj_start[k]..adj_start[k + 1]]`.
    pub adj_start: Vec<usize>,
    pub adj: Vec<usize>,
    pub construction_before_ha: Option<f64>,
    /// Coefficients of the `RowKind::Extra` rows, per candidate and use.
    pub extra: Vec<Vec<[f64; 5]>>,
}

/// Relative feasibility tolerance of a row.
pub(crate) const ROW_TOL: f64 = 1e-9;

impl Model {
    pub(crate) fn compile(problem: &Problem) -> Model {
        let cands = &problem.candidates;
        let n = cands.len();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| cands[a].id.cmp(&cands[b].id));
        let mut pos = vec![0usize; n];
        for (k, &i) in order.iter().enumerate() {
            pos[i] = k;
        }
        let mut m = Model {
            n,
            construction_before_ha: problem.construction.map(|t| t.before_ha),
            ..Model::default()
        };
        for &i in &order {
            let c = &cands[i];
            let area_ha = c.area_m2 / 10_000.0;
            let mut eligible = [false; 5];
            let mut benefit = [0.0; 5];
            let mut cost = [0.0; 5];
            let mut delta = [0.0; 5];
            for u in Use::ALL {
                let ui = u.index();
                eligible[ui] = problem.is_eligible(i, u);
                benefit[ui] = if eligible[ui] {
                    c.scores.get(u).unwrap_or(0.0) * area_ha
                } else {
                    0.0
                };
                cost[ui] = problem.conversion_cost(i, u);
                let from_construction = c.origin.is_construction_land();
                delta[ui] = match u {
                    Use::Ecological if from_construction => -area_ha,
                    Use::Green | Use::Cultural if !from_construction => area_ha,
                    _ => 0.0,
                };
            }
            m.ids.push(c.id.clone());
            m.area_ha.push(area_ha);
            m.eligible.push(eligible);
            m.benefit.push(benefit);
            m.cost.push(cost);
            m.revenue.push(problem.counted_revenue(i));
            m.revenue_expected.push(problem.expected_revenue(i));
            m.construction_delta_ha.push(delta);
            m.fixed.push(match c.lock {
                None => None,
                Some(super::Lock::Out) => Some(Use::Keep),
                Some(super::Lock::In(u)) => Some(u),
            });
        }
        m.order = order;

        // Rows: cap first, then bounds in the order given, construction, budget.
        let cap_ha = problem.cap_ha;
        m.rows.push(Row {
            kind: RowKind::Cap,
            rhs: cap_ha,
            constraint: ConstraintRef::Cap { cap_ha },
        });
        for (u, b) in &problem.bounds {
            let limit = b.limit_ha(cap_ha);
            let r = m.rows.len();
            let row = match b.kind {
                super::BoundKind::Min => Row {
                    kind: RowKind::Min(*u),
                    rhs: -limit,
                    constraint: ConstraintRef::MinArea {
                        use_: *u,
                        min_ha: limit,
                    },
                },
                super::BoundKind::Max => Row {
                    kind: RowKind::Max(*u),
                    rhs: limit,
                    constraint: ConstraintRef::MaxArea {
                        use_: *u,
                        max_ha: limit,
                    },
                },
            };
            m.rows.push(row);
            m.use_rows[u.index()].push(r);
        }
        if let Some(t) = problem.construction {
            m.construction_row = Some(m.rows.len());
            m.rows.push(Row {
                kind: RowKind::Construction,
                rhs: t.target_ha - t.before_ha,
                constraint: ConstraintRef::ConstructionTarget {
                    before_ha: t.before_ha,
                    target_ha: t.target_ha,
                },
            });
        }
        if let Some(b) = problem.budget {
            m.budget_row = Some(m.rows.len());
            m.rows.push(Row {
                kind: RowKind::Budget,
                rhs: b.amount,
                constraint: ConstraintRef::Budget { budget: b.amount },
            });
        }

        // Adjacency-bonus terms (SPEC §5): λ · min(benefit) · s / min(perimeter).
        let lambda = problem.adjacency_lambda;
        if lambda > 0.0 {
            for pair in &problem.pairs {
                if pair.shared_len_m <= 0.0 {
                    continue;
                }
                let (p, q) = (pos[pair.a].min(pos[pair.b]), pos[pair.a].max(pos[pair.b]));
                let per = cands[pair.a].perimeter_m.min(cands[pair.b].perimeter_m);
                let mut w = [0.0; 5];
                for u in [Use::Green, Use::Ecological, Use::Cultural] {
                    let ui = u.index();
                    let b = m.benefit[p][ui].min(m.benefit[q][ui]);
                    w[ui] = lambda * b * pair.shared_len_m / per;
                }
                if w.iter().any(|&x| x > 0.0) {
                    m.pairs.push(PairTerm { p, q, w });
                }
            }
            m.pairs.sort_by_key(|t| (t.p, t.q));
        }
        let mut count = vec![0usize; n + 1];
        for t in &m.pairs {
            count[t.p + 1] += 1;
            count[t.q + 1] += 1;
        }
        for k in 0..n {
            count[k + 1] += count[k];
        }
        let mut fill = count.clone();
        m.adj = vec![0; count[n]];
        for (j, t) in m.pairs.iter().enumerate() {
            m.adj[fill[t.p]] = j;
            fill[t.p] += 1;
            m.adj[fill[t.q]] = j;
            fill[t.q] += 1;
        }
        m.adj_start = count;
        m
    }

    /// The uses candidate `k` may take: its lock, or keep plus every eligible conversion.
    pub(crate) fn options(&self, k: usize) -> impl Iterator<Item = Use> + '_ {
        let fixed = self.fixed[k];
        Use::ALL.into_iter().filter(move |&u| match fixed {
            Some(f) => u == f,
            None => self.eligible[k][u.index()],
        })
    }

    /// Number of candidates that are not locked.
    pub(crate) fn free_count(&self) -> usize {
        self.fixed.iter().filter(|f| f.is_none()).count()
    }

    /// Pair terms touching `k`.
    pub(crate) fn pairs_of(&self, k: usize) -> &[usize] {
        &self.adj[self.adj_start[k]..self.adj_start[k + 1]]
    }

    /// The coefficient of `x[k, u]` in row `r`.
    pub(crate) fn coef(&self, r: usize, k: usize, u: Use) -> f64 {
        if u == Use::Keep {
            return 0.0;
        }
        match self.rows[r].kind {
            RowKind::Cap => self.area_ha[k],
            RowKind::Min(v) if v == u => -self.area_ha[k],
            RowKind::Max(v) if v == u => self.area_ha[k],
            RowKind::Min(_) | RowKind::Max(_) => 0.0,
            RowKind::Construction => self.construction_delta_ha[k][u.index()],
            RowKind::Budget => self.money(k, u),
            RowKind::Extra(j) => self.extra[j][k][u.index()],
        }
    }

    /// Adds a row `Σ coef[k][u] · x[k, u] <= rhs` (candidates in sorted
    /// order), read by both solvers like any other row.
    pub(crate) fn add_extra_row(
        &mut self,
        coef: Vec<[f64; 5]>,
        rhs: f64,
        constraint: ConstraintRef,
    ) {
        let j = self.extra.len();
        self.extra.push(coef);
        self.rows.push(Row {
            kind: RowKind::Extra(j),
            rhs,
            constraint,
        });
    }

    /// Net money of `x[k, u]` in the budget row: cost, or −revenue for redevelop.
    pub(crate) fn money(&self, k: usize, u: Use) -> f64 {
        if u == Use::Redevelop {
            -self.revenue[k]
        } else {
            self.cost[k][u.index()]
        }
    }

    /// Calls `f(row, coef)` for every row where `x[k, u]` has a non-zero coefficient.
    #[inline]
    pub(crate) fn for_each_coef(&self, k: usize, u: Use, mut f: impl FnMut(usize, f64)) {
        if u == Use::Keep {
            return;
        }
        f(0, self.area_ha[k]);
        for &r in &self.use_rows[u.index()] {
            f(r, self.coef(r, k, u));
        }
        if let Some(r) = self.construction_row {
            let d = self.construction_delta_ha[k][u.index()];
            if d != 0.0 {
                f(r, d);
            }
        }
        if let Some(r) = self.budget_row {
            let v = self.money(k, u);
            if v != 0.0 {
                f(r, v);
            }
        }
        if !self.extra.is_empty() {
            let first = self.rows.len() - self.extra.len();
            for (j, coef) in self.extra.iter().enumerate() {
                let v = coef[k][u.index()];
                if v != 0.0 {
                    f(first + j, v);
                }
            }
        }
    }

    /// Row activities and the magnitude Σ|term| of each row (for tolerances).
    pub(crate) fn activities(&self, uses: &[Use]) -> (Vec<f64>, Vec<f64>) {
        let mut act = vec![0.0; self.rows.len()];
        let mut mag = vec![0.0; self.rows.len()];
        for (k, &u) in uses.iter().enumerate() {
            self.for_each_coef(k, u, |r, c| {
                act[r] += c;
                mag[r] += c.abs();
            });
        }
        (act, mag)
    }

    /// The tolerance allowed on row `r` given the magnitude of its terms.
    pub(crate) fn tol(&self, r: usize, mag: f64) -> f64 {
        ROW_TOL * (1.0f64).max(self.rows[r].rhs.abs() + mag)
    }

    /// Benefit plus adjacency bonus.
    pub(crate) fn objective_parts(&self, uses: &[Use]) -> (f64, f64) {
        let benefit: f64 = uses
            .iter()
            .enumerate()
            .map(|(k, &u)| self.benefit[k][u.index()])
            .sum();
        let bonus: f64 = self
            .pairs
            .iter()
            .filter(|t| uses[t.p] == uses[t.q])
            .map(|t| t.w[uses[t.p].index()])
            .sum();
        (benefit, bonus)
    }

    /// Benefit plus bonus of an assignment in sorted order.
    pub(crate) fn objective(&self, uses: &[Use]) -> f64 {
        let (benefit, bonus) = self.objective_parts(uses);
        benefit + bonus
    }

    /// The marginal bonus `k` earns with its neighbours if it takes `u`.
    #[inline]
    pub(crate) fn bonus_with_neighbours(&self, uses: &[Use], k: usize, u: Use) -> f64 {
        if u == Use::Keep {
            return 0.0;
        }
        self.pairs_of(k)
            .iter()
            .map(|&j| {
                let t = &self.pairs[j];
                let other = if t.p == k { t.q } else { t.p };
                if uses[other] == u {
                    t.w[u.index()]
                } else {
                    0.0
                }
            })
            .sum()
    }

    /// The [`Plan`](super::Plan) of an assignment in sorted order: its
    /// evaluation, `bound` raised to the objective where the solver's was
    /// below it, uses in input order (`n_candidates` of them) and the status
    /// of every row. Both the plain and the phased solve end here.
    pub(crate) fn plan_of(
        &self,
        sorted: &[Use],
        n_candidates: usize,
        bound: f64,
        method: Method,
        status: super::SolveStatus,
    ) -> super::Plan {
        let eval = self.evaluate_sorted(sorted);
        let objective = eval.objective;
        let bound = bound.max(objective);
        let mut uses = vec![Use::Keep; n_candidates];
        for (k, &u) in sorted.iter().enumerate() {
            uses[self.order[k]] = u;
        }
        super::Plan {
            uses,
            objective,
            benefit: eval.benefit,
            bonus: eval.bonus,
            bound,
            gap: super::relative_gap(objective, bound),
            method,
            status,
            area_ha: eval.area_ha,
            cost: eval.cost,
            revenue: eval.revenue,
            construction_land_after_ha: eval.construction_land_after_ha,
            constraints: self.constraint_status(sorted),
        }
    }

    /// Evaluates an assignment in sorted order.
    pub(crate) fn evaluate_sorted(&self, uses: &[Use]) -> Evaluation {
        let (benefit, bonus) = self.objective_parts(uses);
        let mut area = UseAreas::default();
        let mut cost = 0.0;
        let mut revenue = 0.0;
        let mut violations = Vec::new();
        for (k, &u) in uses.iter().enumerate() {
            area.add(u, self.area_ha[k]);
            if u == Use::Redevelop {
                revenue += self.revenue_expected[k];
            } else {
                cost += self.cost[k][u.index()];
            }
            if !self.eligible[k][u.index()] {
                violations.push(Violation::Ineligible {
                    id: self.ids[k].clone(),
                    use_: u,
                });
            }
            if let Some(f) = self.fixed[k] {
                if f != u {
                    violations.push(Violation::Lock {
                        id: self.ids[k].clone(),
                        locked: f,
                        got: u,
                    });
                }
            }
        }
        let (act, mag) = self.activities(uses);
        for (r, row) in self.rows.iter().enumerate() {
            let excess = act[r] - row.rhs;
            if excess > self.tol(r, mag[r]) {
                violations.push(Violation::Constraint {
                    constraint: row.constraint.clone(),
                    excess,
                });
            }
        }
        let construction_land_after_ha = self
            .construction_row
            .map(|r| self.construction_before_ha.unwrap_or(0.0) + act[r]);
        Evaluation {
            objective: benefit + bonus,
            benefit,
            bonus,
            area_ha: area,
            cost,
            revenue,
            construction_land_after_ha,
            violations,
        }
    }

    /// Whether an assignment (sorted order) meets every row, lock and eligibility rule.
    pub(crate) fn is_feasible(&self, uses: &[Use]) -> bool {
        let locks_ok = uses
            .iter()
            .enumerate()
            .all(|(k, &u)| self.eligible[k][u.index()] && self.fixed[k].is_none_or(|f| f == u));
        let (act, mag) = self.activities(uses);
        locks_ok && (0..self.rows.len()).all(|r| act[r] - self.rows[r].rhs <= self.tol(r, mag[r]))
    }

    /// Slack and binding flag of every row.
    pub(crate) fn constraint_status(&self, uses: &[Use]) -> Vec<ConstraintStatus> {
        let (act, _) = self.activities(uses);
        // The smallest amount of each row that any one conversion worth
        // something, of a candidate the plan keeps, would use up.
        let mut smallest = vec![f64::INFINITY; self.rows.len()];
        for (k, &use_k) in uses.iter().enumerate().take(self.n) {
            if use_k != Use::Keep || self.fixed[k].is_some() {
                continue;
            }
            for u in self.options(k).filter(|u| u.is_conversion()) {
                if self.benefit[k][u.index()] > 0.0 {
                    self.for_each_coef(k, u, |r, c| {
                        if c > 0.0 {
                            smallest[r] = smallest[r].min(c);
                        }
                    });
                }
            }
        }
        self.rows
            .iter()
            .enumerate()
            .map(|(r, row)| {
                let slack = row.rhs - act[r];
                // Areas bind within 1e-6 ha; money within 1e-6 of the budget's size.
                let scale = match row.kind {
                    RowKind::Budget => row.rhs.abs().max(1.0),
                    _ => 1.0,
                };
                ConstraintStatus {
                    constraint: row.constraint.clone(),
                    slack,
                    // at its limit, or with too little room left for any
                    // conversion still worth making
                    binding: slack.abs() <= 1e-6 * scale
                        || (smallest[r].is_finite() && slack < smallest[r]),
                }
            })
            .collect()
    }
}
