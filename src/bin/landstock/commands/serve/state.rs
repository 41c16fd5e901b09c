//! What the server holds: the city read and scored once, the scorings made
//! for other weights (the last one kept), the last plans (for parcel
//! questions and exports), and the bounds on concurrent solves.

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use landstock::candidates::Candidates;
use landstock::context::Context;
use landstock::indicators::{BudgetFigures, Indicators};
use landstock::ingest::IngestReport;
use landstock::output::plan::{add_stops_to_reasons, decisions, Decision};
use landstock::output::summary::{ExplanationsSummary, Summary, SummaryParts};
use landstock::pipeline::PlanInput;
use landstock::plan::{explain, CandidateExplanation, HighsRunner, Plan, Problem, Scores, Solver};
use landstock::score::{Layers, ScoreSheet, Scorer, TargetUse};
use landstock::stock::ParcelStock;
use landstock::{Config, ScoredCity, Use};
use tokio::sync::Semaphore;

use super::error::ApiError;
use super::request::PlanRequest;

/// How many plans are kept for `/api/parcel` and the exports.
const PLANS_KEPT: usize = 8;

/// The command line the server was started with (for the exported config).
#[derive(Debug, Clone, Default)]
pub(crate) struct Origin {
    pub(crate) file: PathBuf,
    pub(crate) transit: Option<PathBuf>,
    pub(crate) facilities: Option<PathBuf>,
}

/// The candidates scored with one `[scoring]`, and the planner's input.
pub(crate) struct Scoring {
    /// The `[scoring]` as canonical JSON (the cache key).
    key: String,
    pub(crate) sheet: ScoreSheet,
    pub(crate) input: PlanInput,
}

/// One solved plan.
pub(crate) struct Solved {
    pub(crate) id: u64,
    pub(crate) config: Config,
    pub(crate) scoring: Arc<Scoring>,
    pub(crate) problem: Problem,
    pub(crate) plan: Plan,
    pub(crate) rows: Vec<Decision>,
    pub(crate) summary: Summary,
    /// Per candidate: why it got its use (made when first asked for).
    why: OnceLock<Result<Vec<CandidateExplanation>, String>>,
}

/// The shared state of the server.
pub(crate) struct Studio {
    pub(crate) city_name: String,
    pub(crate) origin: Origin,
    pub(crate) config: Config,
    pub(crate) report: IngestReport,
    pub(crate) working_crs: String,
    pub(crate) stock: ParcelStock,
    pub(crate) context: Context,
    pub(crate) candidates: Candidates,
    base: Arc<Scoring>,
    other: Mutex<Option<Arc<Scoring>>>,
    plans: Mutex<VecDeque<Arc<Solved>>>,
    next_id: AtomicU64,
    by_id: OnceLock<HashMap<String, usize>>,
    /// The indicators before any plan (the same for every plan: measured once).
    before: OnceLock<Indicators>,
    pub(crate) buffers: super::geometry::Buffers,
    /// Requests admitted (solving or waiting): beyond it, 503.
    pub(crate) admitted: Arc<Semaphore>,
    /// Solves running at once (one per core).
    pub(crate) solving: Arc<Semaphore>,
    highs: HighsRunner,
}

impl Studio {
    /// The state for a scored city.
    pub(crate) fn new(
        city: ScoredCity,
        config: Config,
        origin: Origin,
        highs: HighsRunner,
    ) -> Studio {
        let ScoredCity {
            report,
            working_crs,
            stock,
            context,
            candidates,
            sheet,
            ..
        } = city;
        let input = PlanInput::new(&stock, &candidates, &sheet);
        let key = serde_json::to_string(&config.scoring).unwrap_or_default();
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let city_name = origin
            .file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        Studio {
            city_name,
            origin,
            config,
            report,
            working_crs,
            stock,
            context,
            candidates,
            base: Arc::new(Scoring { key, sheet, input }),
            other: Mutex::new(None),
            plans: Mutex::new(VecDeque::new()),
            next_id: AtomicU64::new(1),
            by_id: OnceLock::new(),
            before: OnceLock::new(),
            buffers: super::geometry::Buffers::default(),
            admitted: Arc::new(Semaphore::new(4 * cores)),
            solving: Arc::new(Semaphore::new(cores)),
            highs,
        }
    }

    /// The scoring the server started with.
    pub(crate) fn base(&self) -> &Arc<Scoring> {
        &self.base
    }

    /// The stock index of a parcel id.
    pub(crate) fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id
            .get_or_init(|| {
                (0..self.stock.len())
                    .map(|i| (self.stock.get(i).id.as_str().to_string(), i))
                    .collect()
            })
            .get(id)
            .copied()
    }

    /// The candidates scored with `cfg`: the start's, the last other one,
    /// or scored anew (the touching pairs are the start's: they do not
    /// depend on the weights).
    fn scoring(&self, cfg: &landstock::score::ScoringConfig) -> Result<Arc<Scoring>, ApiError> {
        let key = serde_json::to_string(cfg).map_err(|e| ApiError::Internal(e.to_string()))?;
        if key == self.base.key {
            return Ok(self.base.clone());
        }
        let mut other = self.other.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(s) = other.as_ref().filter(|s| s.key == key) {
            return Ok(s.clone());
        }
        let layers = Layers::new(&self.stock, &self.context);
        let sheet = Scorer::new(cfg, &layers).score(&layers, self.candidates.indices())?;
        let mut input = self.base.input.clone();
        for (c, row) in input.candidates.iter_mut().zip(sheet.rows()) {
            c.scores = Scores {
                green: row.score(TargetUse::Green),
                ecological: row.score(TargetUse::Ecological),
                cultural: row.score(TargetUse::Cultural),
            };
        }
        input.cultural_origins = sheet.cultural_origins().to_vec();
        let s = Arc::new(Scoring { key, sheet, input });
        *other = Some(s.clone());
        Ok(s)
    }

    /// Solves a request as `landstock plan` would with the same config
    /// (blocking: call it on the blocking pool).
    pub(crate) fn solve(&self, req: &PlanRequest) -> Result<Arc<Solved>, ApiError> {
        let scoring = self.scoring(&req.config.scoring)?;
        let input = &scoring.input;
        let problem = req
            .config
            .plan
            .problem(input, None)?
            .highs_runner(self.highs.clone())
            .build()?;
        let solve_start = std::time::Instant::now();
        let plan = problem.solve()?;
        let solve_seconds = solve_start.elapsed().as_secs_f64();
        // the decisions (their reasons) and the indicators are independent
        let (rows, (before, after)) = rayon::join(
            || decisions(&input.candidates, &scoring.sheet, &plan),
            || self.indicators(&input.stock_index, &plan, problem.cap_ha()),
        );
        let mut rows = rows?;
        let explanation = if req.explain {
            let e = explain(&problem, &plan)?;
            add_stops_to_reasons(&mut rows, &e);
            Some(e)
        } else {
            None
        };
        let mut summary = Summary::new(&SummaryParts {
            city: &self.city_name,
            input_path: &self.origin.file.display().to_string(),
            ingest: &self.report,
            config: &req.config,
            problem: &problem,
            plan: &plan,
            solve_seconds,
            before: &before,
            after: &after,
            decisions: &rows,
            top_decisions: 20,
        });
        summary.explanations = explanation
            .as_ref()
            .map(|e| ExplanationsSummary::new(e, 20));
        let why = OnceLock::new();
        if let Some(e) = explanation {
            let _ = why.set(Ok(e.candidates));
        }
        let solved = Arc::new(Solved {
            id: self.next_id.fetch_add(1, Ordering::Relaxed),
            config: req.config.clone(),
            scoring,
            problem,
            plan,
            rows,
            summary,
            why,
        });
        let mut plans = self.plans.lock().unwrap_or_else(|p| p.into_inner());
        plans.push_back(solved.clone());
        while plans.len() > PLANS_KEPT {
            plans.pop_front();
        }
        Ok(solved)
    }

    /// The SPEC §6 indicators before and after `plan`, as
    /// [`landstock::indicators::of_plan`] measures them, with the *before*
    /// measured once for all plans (it does not depend on the plan, nor on
    /// the cap: nothing is converted).
    pub(crate) fn indicators(
        &self,
        stock_index: &[usize],
        plan: &Plan,
        cap_ha: f64,
    ) -> (Indicators, Indicators) {
        let population = self.context.population();
        let before = self.before.get_or_init(|| {
            let keep = vec![Use::Keep; self.stock.len()];
            Indicators::measure(
                &self.stock,
                population,
                &keep,
                cap_ha,
                BudgetFigures::default(),
            )
        });
        let mut uses = vec![Use::Keep; self.stock.len()];
        for (&i, &u) in stock_index.iter().zip(&plan.uses) {
            uses[i] = u;
        }
        let budget = BudgetFigures {
            cost: plan.cost,
            auction_revenue: plan.revenue,
            net_cost: plan.cost - plan.revenue,
        };
        let mut after = Indicators::measure(&self.stock, population, &uses, cap_ha, budget);
        after.construction_land_change_ha =
            after.construction_land_ha - before.construction_land_ha;
        (before.clone(), after)
    }

    /// A kept plan; `None`: the latest.
    pub(crate) fn plan(&self, id: Option<u64>) -> Option<Arc<Solved>> {
        let plans = self.plans.lock().unwrap_or_else(|p| p.into_inner());
        match id {
            Some(id) => plans.iter().find(|s| s.id == id).cloned(),
            None => plans.back().cloned(),
        }
    }
}

impl Solved {
    /// Why each candidate got its use (the explanation's test), made once:
    /// the marginal values re-solve with the fast solver, whatever solved
    /// the plan (what stopped a parcel does not depend on the solver).
    pub(crate) fn why(&self) -> Result<&[CandidateExplanation], String> {
        self.why
            .get_or_init(|| {
                let fast = self
                    .config
                    .plan
                    .problem(&self.scoring.input, None)
                    .map_err(|e| e.to_string())?
                    .solver(Solver::Fast)
                    .build()
                    .map_err(|e| e.to_string())?;
                explain(&fast, &self.plan)
                    .map(|e| e.candidates)
                    .map_err(|e| e.to_string())
            })
            .as_deref()
            .map_err(|e| e.clone())
    }
}
