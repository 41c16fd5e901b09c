//! A plan under construction with its row activities: the exact objective
//! change and row changes of a move, and whether the rows still hold.

use crate::plan::model::Model;
use crate::plan::Use;

/// A plan under construction with its row activities.
pub(super) struct State<'a> {
    pub(super) m: &'a Model,
    pub(super) uses: Vec<Use>,
    pub(super) act: Vec<f64>,
    pub(super) tol: Vec<f64>,
    scale: Vec<f64>,
    delta: Vec<f64>,
    touched: Vec<usize>,
}

impl<'a> State<'a> {
    pub(super) fn new(m: &'a Model, uses: Vec<Use>) -> Self {
        let (act, _) = m.activities(&uses);
        let tol = m
            .rows
            .iter()
            .map(|r| 1e-11 * r.rhs.abs().max(1.0))
            .collect();
        let scale = m.rows.iter().map(|r| r.rhs.abs().max(1.0)).collect();
        State {
            m,
            uses,
            act,
            tol,
            scale,
            delta: vec![0.0; m.rows.len()],
            touched: Vec::new(),
        }
    }

    /// Fills `delta`/`touched` with the row changes of moving `k` to `u`.
    pub(super) fn row_changes(&mut self, k: usize, u: Use) {
        for &r in &self.touched {
            self.delta[r] = 0.0;
        }
        self.touched.clear();
        let (delta, touched) = (&mut self.delta, &mut self.touched);
        let mut add = |r: usize, c: f64| {
            if !touched.contains(&r) {
                touched.push(r);
            }
            delta[r] += c;
        };
        self.m.for_each_coef(k, u, &mut add);
        self.m.for_each_coef(k, self.uses[k], |r, c| add(r, -c));
    }

    /// Whether moving `k` to `u` pushes no row past its limit (rows already
    /// past it may only improve).
    pub(super) fn move_ok(&mut self, k: usize, u: Use) -> bool {
        self.row_changes(k, u);
        self.touched.iter().all(|&r| {
            let d = self.delta[r];
            d <= 0.0 || self.act[r] + d <= self.m.rows[r].rhs + self.tol[r]
        })
    }

    /// Change of total normalised violation if `k` moves to `u`.
    pub(super) fn violation_change(&mut self, k: usize, u: Use) -> f64 {
        self.row_changes(k, u);
        self.touched
            .iter()
            .map(|&r| {
                let rhs = self.m.rows[r].rhs + self.tol[r];
                let before = (self.act[r] - rhs).max(0.0);
                let after = (self.act[r] + self.delta[r] - rhs).max(0.0);
                (after - before) / self.scale[r]
            })
            .sum()
    }

    pub(super) fn violation(&self) -> f64 {
        (0..self.m.rows.len())
            .map(|r| (self.act[r] - self.m.rows[r].rhs - self.tol[r]).max(0.0) / self.scale[r])
            .sum()
    }

    /// Cheap pre-check: whether `k` moving to `u` fits in the cap (row 0).
    #[inline]
    pub(super) fn fits_cap(&self, k: usize, u: Use) -> bool {
        self.uses[k] != Use::Keep
            || u == Use::Keep
            || self.act[0] + self.m.area_ha[k] <= self.m.rows[0].rhs + self.tol[0]
    }

    /// Objective change if `k` moves to `u`.
    pub(super) fn gain(&self, k: usize, u: Use) -> f64 {
        let from = self.uses[k];
        let m = self.m;
        m.benefit[k][u.index()] - m.benefit[k][from.index()]
            + m.bonus_with_neighbours(&self.uses, k, u)
            - m.bonus_with_neighbours(&self.uses, k, from)
    }

    pub(super) fn apply(&mut self, k: usize, u: Use) {
        let from = self.uses[k];
        let act = &mut self.act;
        self.m.for_each_coef(k, from, |r, c| act[r] -= c);
        self.m.for_each_coef(k, u, |r, c| act[r] += c);
        self.uses[k] = u;
    }
}

/// Whether every row holds (within the state's tolerances).
pub(super) fn rows_hold(s: &State) -> bool {
    (0..s.m.rows.len()).all(|r| s.act[r] <= s.m.rows[r].rhs + s.tol[r])
}
