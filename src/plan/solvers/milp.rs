//! A mixed-integer programme as plain values, and the two ways landstock
//! runs HiGHS on one: in this process, or in a worker process that is ended
//! at the deadline.
//!
//! HiGHS checks its time limit between steps, not inside them; on some
//! budgeted models its primal heuristics were seen running for 20 minutes
//! under a 60 s limit (issue 13), and on models of some 400,000 binaries its
//! MIP setup alone overran 60 s. A thread cannot be stopped from outside, a
//! process can: with [`HighsRunner::Worker`] the model is written to a child
//! process (the `landstock` binary's hidden `milp-worker` command, or any
//! program that calls [`serve`]), and the child is killed when the deadline
//! passes. The caller then keeps the best plan it already had (the warm
//! start) with the best bound it already knew. Models travel to the worker
//! as the exact bits of every number ([`Milp::to_bytes`]), so a worker
//! solves the very model built in process.
//!
//! For a look at a model, `LANDSTOCK_DUMP_MILP=model.json` writes each one
//! run to that file as JSON (for HiGHS's own tools, e.g. highspy).
//!
//! Every row is `Σ coef · x <= upper` and the sense is maximisation.
//!
//! ```
//! use landstock::plan::milp::{Milp, MilpStatus};
//! // max 3a + 2b  s.t.  a + b <= 1, a, b binary
//! let mut m = Milp::new(10.0, 0.0);
//! let a = m.add_column(3.0, 0.0, 1.0, true);
//! let b = m.add_column(2.0, 0.0, 1.0, true);
//! m.add_row(1.0, vec![(a, 1.0), (b, 1.0)]);
//! # #[cfg(feature = "exact")] {
//! let r = landstock::plan::milp::solve_in_process(&m).unwrap();
//! assert_eq!(r.status, MilpStatus::Optimal);
//! assert_eq!(r.columns.unwrap(), vec![1.0, 0.0]);
//! # }
//! ```

use std::io::{Read, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// A MILP: maximise `Σ cost · x` subject to `Σ coef · x <= upper` per row
/// and column bounds; `integer` columns take whole values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Milp {
    /// Objective coefficient per column.
    pub cost: Vec<f64>,
    /// Lower bound per column.
    pub lower: Vec<f64>,
    /// Upper bound per column.
    pub upper: Vec<f64>,
    /// Whether each column is integer.
    pub integer: Vec<bool>,
    /// Rows as (upper bound, sparse terms `(column, coefficient)`).
    pub rows: Vec<(f64, Vec<(usize, f64)>)>,
    /// A feasible point to start from (HiGHS's MIP start), one value per column.
    pub start: Option<Vec<f64>>,
    /// Wall-clock limit for HiGHS, seconds.
    pub time_limit_s: f64,
    /// Relative gap at which HiGHS stops.
    pub gap: f64,
}

impl Milp {
    /// An empty model with HiGHS's time limit and relative gap.
    pub fn new(time_limit_s: f64, gap: f64) -> Self {
        Milp {
            cost: Vec::new(),
            lower: Vec::new(),
            upper: Vec::new(),
            integer: Vec::new(),
            rows: Vec::new(),
            start: None,
            time_limit_s,
            gap,
        }
    }

    /// Adds a column and returns its index.
    pub fn add_column(&mut self, cost: f64, lower: f64, upper: f64, integer: bool) -> usize {
        self.cost.push(cost);
        self.lower.push(lower);
        self.upper.push(upper);
        self.integer.push(integer);
        self.cost.len() - 1
    }

    /// Adds the row `Σ terms <= upper`.
    pub fn add_row(&mut self, upper: f64, terms: Vec<(usize, f64)>) {
        self.rows.push((upper, terms));
    }

    /// Number of columns.
    pub fn columns(&self) -> usize {
        self.cost.len()
    }
}

/// How a HiGHS run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MilpStatus {
    /// Solved to the requested gap.
    Optimal,
    /// HiGHS stopped at its own time limit.
    TimeLimit,
    /// The model has no feasible point.
    Infeasible,
    /// The worker process was ended at the deadline (nothing came back).
    Killed,
    /// Any other stop (iteration or solution limit, interrupt).
    Stopped,
}

/// What a HiGHS run returned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MilpResult {
    /// How the run ended.
    pub status: MilpStatus,
    /// Column values of the best solution, when there is one.
    pub columns: Option<Vec<f64>>,
    /// HiGHS's proven dual (upper) bound, when finite.
    pub dual_bound: Option<f64>,
}

/// How long past the deadline a worker may take before it is killed: HiGHS
/// is given the time left minus this, and usually stops on its own (with its
/// best plan and bound) when it checks its clock; the kill is the backstop
/// for when it does not (its primal heuristics, its setup on huge models).
pub const KILL_GRACE: Duration = Duration::from_millis(750);

/// Where HiGHS runs.
///
/// ```
/// use landstock::plan::milp::HighsRunner;
/// assert_eq!(HighsRunner::default(), HighsRunner::InProcess);
/// let w = HighsRunner::worker("/usr/local/bin/landstock");
/// assert!(matches!(w, HighsRunner::Worker { ref args, .. } if args == &["milp-worker"]));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum HighsRunner {
    /// In this process: HiGHS's own time limit is the only stop.
    #[default]
    InProcess,
    /// In a child process `program args…` that reads the model from its
    /// standard input and writes the result to its standard output
    /// ([`serve`]); it is killed at the deadline.
    Worker {
        /// The program to run.
        program: PathBuf,
        /// Its arguments.
        args: Vec<String>,
    },
}

impl HighsRunner {
    /// The `landstock` binary at `program` as a worker (`landstock milp-worker`).
    pub fn worker(program: impl Into<PathBuf>) -> Self {
        HighsRunner::Worker {
            program: program.into(),
            args: vec!["milp-worker".into()],
        }
    }

    /// Runs `milp`, returning by `deadline` whatever happens inside HiGHS
    /// (in a worker; in process, HiGHS's time limit is trusted). Errors are
    /// HiGHS's or the worker's own failures, as text.
    pub fn run(&self, milp: &Milp, deadline: Instant) -> Result<MilpResult, String> {
        if let Ok(p) = std::env::var("LANDSTOCK_DUMP_MILP") {
            let _ = std::fs::write(p, serde_json::to_vec(milp).unwrap_or_default());
        }
        match self {
            HighsRunner::InProcess => solve_in_process(milp),
            HighsRunner::Worker { program, args } => run_worker(program, args, milp, deadline),
        }
    }
}

fn run_worker(
    program: &PathBuf,
    args: &[String],
    milp: &Milp,
    deadline: Instant,
) -> Result<MilpResult, String> {
    use std::process::{Command, Stdio};
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start the HiGHS worker {}: {e}", program.display()))?;
    let payload = milp.to_bytes();
    let mut stdin = child.stdin.take().expect("piped");
    let writer = std::thread::spawn(move || {
        // a worker killed at the deadline closes the pipe: not an error here
        let _ = stdin.write_all(&payload);
    });
    let mut stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let mut stderr = child.stderr.take().expect("piped");
    let err_reader = std::thread::spawn(move || {
        let mut buf = String::new();
        let _ = stderr.read_to_string(&mut buf);
        buf
    });
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() >= deadline + KILL_GRACE => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(e) => return Err(format!("waiting for the HiGHS worker: {e}")),
        }
    };
    let Some(status) = status else {
        // Killed: the pipe threads end when the last holder of the pipes
        // exits; they are not waited for (a grandchild may hold them).
        return Ok(MilpResult {
            status: MilpStatus::Killed,
            columns: None,
            dual_bound: None,
        });
    };
    let _ = writer.join();
    let out = reader.join().unwrap_or_default();
    let err = err_reader.join().unwrap_or_default();
    if status.success() {
        MilpResult::from_bytes(&out)
            .ok_or_else(|| "the HiGHS worker's answer is not readable".to_string())
    } else {
        Err(format!(
            "the HiGHS worker {} failed ({status}): {}",
            program.display(),
            err.trim()
        ))
    }
}

/// The worker's side: reads a [`Milp`] ([`Milp::to_bytes`]) from `input`,
/// solves it in this process and writes the [`MilpResult`]
/// ([`MilpResult::to_bytes`]) to `output`.
pub fn serve(mut input: impl Read, mut output: impl Write) -> Result<(), String> {
    let mut buf = Vec::new();
    input.read_to_end(&mut buf).map_err(|e| e.to_string())?;
    let milp = Milp::from_bytes(&buf).ok_or("the model on standard input is not readable")?;
    let result = solve_in_process(&milp)?;
    output
        .write_all(&result.to_bytes())
        .map_err(|e| e.to_string())?;
    output.flush().map_err(|e| e.to_string())
}

/// Little-endian writer of the worker protocol: every number travels as its
/// exact bits, so a model solved in a worker is the model built here.
#[derive(Default)]
struct Wire(Vec<u8>);

impl Wire {
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn f64(&mut self, v: f64) {
        self.u64(v.to_bits());
    }
    fn f64s(&mut self, v: &[f64]) {
        self.u64(v.len() as u64);
        v.iter().for_each(|&x| self.f64(x));
    }
}

/// Reader of [`Wire`]; `None` on a short or malformed message.
struct Unwire<'a>(&'a [u8]);

impl Unwire<'_> {
    fn u64(&mut self) -> Option<u64> {
        let (head, rest) = self.0.split_first_chunk::<8>()?;
        self.0 = rest;
        Some(u64::from_le_bytes(*head))
    }
    fn f64(&mut self) -> Option<f64> {
        self.u64().map(f64::from_bits)
    }
    fn len(&mut self) -> Option<usize> {
        // a length can never exceed what is left to read
        let n = usize::try_from(self.u64()?).ok()?;
        (n <= self.0.len()).then_some(n)
    }
    fn f64s(&mut self) -> Option<Vec<f64>> {
        let n = self.len()?;
        (0..n).map(|_| self.f64()).collect()
    }
}

impl Milp {
    /// The model in the worker protocol (exact bits of every number).
    ///
    /// ```
    /// use landstock::plan::milp::Milp;
    /// let mut m = Milp::new(5.0, 1e-4);
    /// let a = m.add_column(0.1 + 0.2, 0.0, 1.0, true);
    /// m.add_row(1.0, vec![(a, 1.0)]);
    /// assert_eq!(Milp::from_bytes(&m.to_bytes()), Some(m));
    /// assert_eq!(Milp::from_bytes(b"short"), None);
    /// ```
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Wire::default();
        w.f64(self.time_limit_s);
        w.f64(self.gap);
        w.f64s(&self.cost);
        w.f64s(&self.lower);
        w.f64s(&self.upper);
        w.u64(self.integer.len() as u64);
        self.integer.iter().for_each(|&i| w.u64(i as u64));
        w.u64(self.rows.len() as u64);
        for (upper, terms) in &self.rows {
            w.f64(*upper);
            w.u64(terms.len() as u64);
            for &(c, v) in terms {
                w.u64(c as u64);
                w.f64(v);
            }
        }
        match &self.start {
            None => w.u64(0),
            Some(s) => {
                w.u64(1);
                w.f64s(s);
            }
        }
        w.0
    }

    /// Reads [`Milp::to_bytes`]; `None` when the bytes are not such a model.
    pub fn from_bytes(bytes: &[u8]) -> Option<Milp> {
        let mut r = Unwire(bytes);
        let time_limit_s = r.f64()?;
        let gap = r.f64()?;
        let cost = r.f64s()?;
        let lower = r.f64s()?;
        let upper = r.f64s()?;
        let n = r.len()?;
        let integer = (0..n)
            .map(|_| r.u64().map(|v| v != 0))
            .collect::<Option<Vec<_>>>()?;
        let nrows = r.len()?;
        let mut rows = Vec::with_capacity(nrows);
        for _ in 0..nrows {
            let upper = r.f64()?;
            let nt = r.len()?;
            let terms = (0..nt)
                .map(|_| Some((usize::try_from(r.u64()?).ok()?, r.f64()?)))
                .collect::<Option<Vec<_>>>()?;
            rows.push((upper, terms));
        }
        let start = match r.u64()? {
            0 => None,
            _ => Some(r.f64s()?),
        };
        let ncols = cost.len();
        let consistent = [lower.len(), upper.len(), integer.len()]
            .iter()
            .all(|&l| l == ncols)
            && start.as_ref().is_none_or(|s| s.len() == ncols)
            && rows.iter().all(|(_, t)| t.iter().all(|&(c, _)| c < ncols))
            && r.0.is_empty();
        consistent.then_some(Milp {
            cost,
            lower,
            upper,
            integer,
            rows,
            start,
            time_limit_s,
            gap,
        })
    }
}

impl MilpResult {
    /// The result in the worker protocol.
    ///
    /// ```
    /// use landstock::plan::milp::{MilpResult, MilpStatus};
    /// let r = MilpResult { status: MilpStatus::Optimal, columns: Some(vec![1.0, 0.0]), dual_bound: Some(3.0) };
    /// assert_eq!(MilpResult::from_bytes(&r.to_bytes()), Some(r));
    /// ```
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Wire::default();
        w.u64(match self.status {
            MilpStatus::Optimal => 0,
            MilpStatus::TimeLimit => 1,
            MilpStatus::Infeasible => 2,
            MilpStatus::Killed => 3,
            MilpStatus::Stopped => 4,
        });
        match &self.columns {
            None => w.u64(0),
            Some(c) => {
                w.u64(1);
                w.f64s(c);
            }
        }
        match self.dual_bound {
            None => w.u64(0),
            Some(d) => {
                w.u64(1);
                w.f64(d);
            }
        }
        w.0
    }

    /// Reads [`MilpResult::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Option<MilpResult> {
        let mut r = Unwire(bytes);
        let status = match r.u64()? {
            0 => MilpStatus::Optimal,
            1 => MilpStatus::TimeLimit,
            2 => MilpStatus::Infeasible,
            3 => MilpStatus::Killed,
            4 => MilpStatus::Stopped,
            _ => return None,
        };
        let columns = match r.u64()? {
            0 => None,
            _ => Some(r.f64s()?),
        };
        let dual_bound = match r.u64()? {
            0 => None,
            _ => Some(r.f64()?),
        };
        r.0.is_empty().then_some(MilpResult {
            status,
            columns,
            dual_bound,
        })
    }
}

/// Solves `milp` with HiGHS in this process: single-threaded, fixed seed, so
/// the same model gives the same answer.
#[cfg(feature = "exact")]
pub fn solve_in_process(milp: &Milp) -> Result<MilpResult, String> {
    use highs::{HighsModelStatus, HighsSolutionStatus, RowProblem, Sense};
    let started = Instant::now();
    let mut pb = RowProblem::default();
    let cols: Vec<highs::Col> = (0..milp.columns())
        .map(|c| {
            let b = milp.lower[c]..=milp.upper[c];
            if milp.integer[c] {
                pb.add_integer_column(milp.cost[c], b)
            } else {
                pb.add_column(milp.cost[c], b)
            }
        })
        .collect();
    for (upper, terms) in &milp.rows {
        pb.add_row(..=*upper, terms.iter().map(|&(c, v)| (cols[c], v)));
    }
    let mut model = pb.optimise(Sense::Maximise);
    let options: [(&str, HighsOption); 9] = [
        ("output_flag", HighsOption::B(false)),
        ("threads", HighsOption::I(1)),
        ("parallel", HighsOption::S("off")),
        ("random_seed", HighsOption::I(0)),
        ("time_limit", HighsOption::F(milp.time_limit_s.max(0.01))),
        ("mip_rel_gap", HighsOption::F(milp.gap)),
        (
            "mip_abs_gap",
            HighsOption::F(if milp.gap == 0.0 { 1e-9 } else { 1e-6 }),
        ),
        ("mip_feasibility_tolerance", HighsOption::F(1e-9)),
        ("primal_feasibility_tolerance", HighsOption::F(1e-9)),
    ];
    for (name, v) in options {
        let r = match v {
            HighsOption::F(x) => model.try_set_option(name, x),
            HighsOption::I(x) => model.try_set_option(name, x),
            HighsOption::B(x) => model.try_set_option(name, x),
            HighsOption::S(x) => model.try_set_option(name, x),
        };
        r.map_err(|_| format!("HiGHS rejected option {name}"))?;
    }
    if let Some(start) = &milp.start {
        // A start HiGHS rejects only loses the warm start, not the solve.
        let _ = model.try_set_solution(Some(start), None, None, None);
    }
    let solved = model.try_solve().map_err(|e| format!("HiGHS: {e:?}"))?;
    let status = match solved.status() {
        HighsModelStatus::Optimal => MilpStatus::Optimal,
        HighsModelStatus::Infeasible | HighsModelStatus::UnboundedOrInfeasible => {
            MilpStatus::Infeasible
        }
        HighsModelStatus::ReachedTimeLimit => MilpStatus::TimeLimit,
        HighsModelStatus::ReachedIterationLimit
        | HighsModelStatus::ReachedSolutionLimit
        | HighsModelStatus::ReachedInterrupt
        | HighsModelStatus::ObjectiveBound
        | HighsModelStatus::ObjectiveTarget => MilpStatus::Stopped,
        other => return Err(format!("HiGHS model status {other:?}")),
    };
    let dual_bound = solved
        .double_info_value(c"mip_dual_bound")
        .ok()
        .filter(|b| b.is_finite());
    let columns = (status != MilpStatus::Infeasible
        && solved.primal_solution_status() == HighsSolutionStatus::Feasible)
        .then(|| solved.get_solution().columns().to_vec());
    // HiGHS 1.16 was seen (issue 13) reporting a better solution's objective
    // while returning the MIP start's columns. Columns worth less than the
    // objective HiGHS reports are stale: solve again without the start.
    if let (Some(cols), Some(_)) = (&columns, &milp.start) {
        let value: f64 = cols.iter().zip(&milp.cost).map(|(x, c)| x * c).sum();
        let reported = solved.objective_value();
        if value < reported - 1e-9 * reported.abs().max(1.0) {
            let left_s = milp.time_limit_s - started.elapsed().as_secs_f64();
            if left_s > 0.0 {
                let mut again = milp.clone();
                again.start = None;
                again.time_limit_s = left_s;
                return solve_in_process(&again);
            }
        }
    }
    Ok(MilpResult {
        status,
        columns,
        dual_bound,
    })
}

/// Without the `exact` feature there is no HiGHS to run.
#[cfg(not(feature = "exact"))]
pub fn solve_in_process(_milp: &Milp) -> Result<MilpResult, String> {
    Err("landstock was built without the `exact` feature (HiGHS)".into())
}

#[cfg(feature = "exact")]
enum HighsOption {
    F(f64),
    I(i32),
    B(bool),
    S(&'static str),
}

#[cfg(all(test, feature = "exact"))]
mod tests {
    use super::*;

    /// max 3a + 2b + 2c s.t. a + b <= 1, a + c <= 1: the optimum is b = c = 1 (4).
    fn small() -> Milp {
        let mut m = Milp::new(10.0, 0.0);
        let a = m.add_column(3.0, 0.0, 1.0, true);
        let b = m.add_column(2.0, 0.0, 1.0, true);
        let c = m.add_column(2.0, 0.0, 1.0, true);
        m.add_row(1.0, vec![(a, 1.0), (b, 1.0)]);
        m.add_row(1.0, vec![(a, 1.0), (c, 1.0)]);
        m
    }

    /// HiGHS 1.16 was seen returning the MIP start's columns with the
    /// objective of a better solution (issue 13's 4.5 % gap): the columns
    /// returned must be the optimum's.
    #[test]
    fn a_worse_mip_start_does_not_come_back_as_the_solution() {
        let mut m = small();
        m.start = Some(vec![1.0, 0.0, 0.0]);
        let r = solve_in_process(&m).unwrap();
        assert_eq!(r.status, MilpStatus::Optimal);
        assert_eq!(r.columns.unwrap(), vec![0.0, 1.0, 1.0]);
        assert!((r.dual_bound.unwrap() - 4.0).abs() < 1e-9);
    }

    /// A worker that never answers is ended at the deadline (plus the
    /// grace) and reported as killed, not waited for.
    #[test]
    fn a_worker_that_hangs_is_killed_at_the_deadline() {
        let runner = HighsRunner::Worker {
            program: "sh".into(),
            args: vec!["-c".into(), "sleep 60".into()],
        };
        let started = Instant::now();
        let r = runner
            .run(&small(), started + Duration::from_millis(100))
            .unwrap();
        assert_eq!(r.status, MilpStatus::Killed);
        assert_eq!(r.columns, None);
        // killed near 0.1 s + 0.75 s, far from the worker's 60 s
        assert!(started.elapsed() < Duration::from_secs(30));
    }

    /// The worker protocol round-trips: `serve` answers what the in-process
    /// solve answers.
    #[test]
    fn serve_answers_what_the_in_process_solve_answers() {
        let m = small();
        let mut out = Vec::new();
        serve(m.to_bytes().as_slice(), &mut out).unwrap();
        let served = MilpResult::from_bytes(&out).unwrap();
        assert_eq!(served, solve_in_process(&m).unwrap());
        assert_eq!(served.columns.unwrap(), vec![0.0, 1.0, 1.0]);
    }

    /// A worker fed something that is not a model fails with a message, never a panic.
    #[test]
    fn serve_rejects_bytes_that_are_not_a_model() {
        let mut out = Vec::new();
        let e = serve(&b"{\"not\": \"a model\"}"[..], &mut out).unwrap_err();
        assert!(e.contains("not readable"), "{e}");
        assert!(out.is_empty());
        let mut m = small();
        m.rows[0].1[0].0 = 99; // a term on a column that does not exist
        assert_eq!(Milp::from_bytes(&m.to_bytes()), None);
    }

    /// A worker that fails says so, with its error output.
    #[test]
    fn a_failing_worker_is_an_error_naming_it() {
        let runner = HighsRunner::Worker {
            program: "sh".into(),
            args: vec!["-c".into(), "echo broken >&2; exit 3".into()],
        };
        let e = runner
            .run(&small(), Instant::now() + Duration::from_secs(30))
            .unwrap_err();
        assert!(e.contains("broken") && e.contains("sh"), "{e}");
    }
}
