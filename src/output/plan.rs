//! The plan's outputs (SPEC §7): GeoJSON, CSV of decisions, summary JSON.
//!
//! [`decisions`] joins the stock, the score sheet and the solved plan into
//! one row per candidate; the writers take those rows.
//!
//! GeoJSON properties added to the original ones:
//!
//! | property | meaning |
//! |---|---|
//! | `landstock_use` | keep, green, ecological, cultural, redevelop |
//! | `landstock_from` | canonical class before the plan |
//! | `landstock_area_m2` | area in the working CRS |
//! | `landstock_score_green`, `_ecological`, `_cultural` | score in [0, 1], `null` where ineligible (and for non-candidates with `--all`) |
//! | `landstock_benefit` | score × area (ha) of the chosen use; 0 for keep and redevelop |
//! | `landstock_reasons` | the decision and the strongest criteria per use |

use std::io::Write;

use serde_json::{json, Value};

use super::geojson::{io_error, num, write_collection};
use crate::error::Error;
use crate::indicators::Indicators;
use crate::parcel::{LandUse, ParcelId};
use crate::pipeline::PlanInput;
use crate::plan::{Plan, Problem, Scores, Use};
use crate::score::ScoreSheet;
use crate::stock::ParcelStock;

/// The plan's decision on one candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// Index in the stock.
    pub index: usize,
    /// Parcel id.
    pub id: ParcelId,
    /// Canonical class before the plan.
    pub from: LandUse,
    /// The use given.
    pub use_: Use,
    /// Area, m².
    pub area_m2: f64,
    /// Scores per use; `None` where ineligible.
    pub scores: Scores,
    /// Score of the use given (`None` for keep and redevelop).
    pub score: Option<f64>,
    /// score × area (ha) of the use given; 0 for keep and redevelop.
    pub benefit: f64,
    /// The decision and the strongest criteria.
    pub reasons: String,
}

/// One decision per candidate, in score-sheet order: `input` is the planner
/// input built from `sheet`, `plan` the plan solved on it.
///
/// # Panics
/// When the three do not belong together (different candidate counts).
pub fn decisions(input: &PlanInput, sheet: &ScoreSheet, plan: &Plan) -> Vec<Decision> {
    assert_eq!(
        input.candidates.len(),
        plan.uses.len(),
        "plan of another input"
    );
    assert_eq!(
        sheet.rows().len(),
        plan.uses.len(),
        "sheet of another input"
    );
    input
        .candidates
        .iter()
        .zip(&plan.uses)
        .zip(sheet.rows())
        .map(|((c, &u), row)| {
            let score = c.scores.get(u);
            let verb = match u {
                Use::Keep => "kept".to_string(),
                Use::Redevelop => "auctioned for redevelopment".to_string(),
                u => format!("converted to {u}"),
            };
            Decision {
                index: row.index,
                id: c.id.clone(),
                from: c.origin,
                use_: u,
                area_m2: c.area_m2,
                scores: c.scores,
                score,
                benefit: score.map_or(0.0, |s| s * c.area_m2 / 10_000.0),
                reasons: format!("{verb}; {}", sheet.reasons(row)),
            }
        })
        .collect()
}

fn members(d: Option<&Decision>, p: &crate::Parcel) -> String {
    let opt = |x: Option<f64>| x.map_or(Value::Null, num);
    match d {
        Some(d) => format!(
            r#""landstock_use":"{}","landstock_from":"{}","landstock_area_m2":{},"landstock_score_green":{},"landstock_score_ecological":{},"landstock_score_cultural":{},"landstock_benefit":{},"landstock_reasons":{}"#,
            d.use_.as_str(),
            d.from.as_str(),
            num(d.area_m2),
            opt(d.scores.green),
            opt(d.scores.ecological),
            opt(d.scores.cultural),
            num(d.benefit),
            json!(d.reasons)
        ),
        None => format!(
            r#""landstock_use":"keep","landstock_from":"{}","landstock_area_m2":{},"landstock_score_green":null,"landstock_score_ecological":null,"landstock_score_cultural":null,"landstock_benefit":0,"landstock_reasons":"not a candidate""#,
            p.land_use.as_str(),
            num(p.area_m2())
        ),
    }
}

/// Writes the plan as a GeoJSON FeatureCollection in EPSG:4326: every
/// candidate (in decision order), or with `all_parcels` every parcel of the
/// stock (in stock order; non-candidates as keep with null scores).
/// Original properties are spliced in byte for byte.
///
/// ```
/// use geo::{polygon, MultiPolygon};
/// use landstock::{LandUse, Parcel, Status, stock::ParcelStock};
/// use landstock::candidates::Candidates;
/// use landstock::context::{Context, ContextOptions};
/// use landstock::output::plan::{decisions, write_plan_geojson};
/// use landstock::pipeline::{PlanConfig, PlanInput};
/// use landstock::score::{Layers, Scorer, ScoringConfig};
/// let sq = |x: f64| MultiPolygon(vec![polygon![(x: 500_000. + x, y: 5_160_000.), (x: 500_100. + x, y: 5_160_000.),
///     (x: 500_100. + x, y: 5_160_100.), (x: 500_000. + x, y: 5_160_100.)]]);
/// let stock = ParcelStock::new(vec![
///     Parcel::new("home", sq(0.), LandUse::Residential, Status::Active),
///     Parcel::new("lot", sq(300.), LandUse::Vacant, Status::Active),
/// ]);
/// let cx = Context::new(&stock, &ContextOptions::default());
/// let layers = Layers::new(&stock, &cx);
/// let cands = Candidates::of(&stock);
/// let sheet = Scorer::new(&ScoringConfig::default(), &layers).score(&layers, cands.indices()).unwrap();
/// let input = PlanInput::new(&stock, &cands, &sheet);
/// let cfg = PlanConfig { cap: Some(5.0), ..PlanConfig::default() };
/// let plan = cfg.problem(&input, None).unwrap().build().unwrap().solve().unwrap();
/// let rows = decisions(&input, &sheet, &plan);
/// let mut out = Vec::new();
/// write_plan_geojson(&mut out, "mem", &stock, &rows, true, "EPSG:32651").unwrap();
/// let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
/// assert_eq!(v["features"].as_array().unwrap().len(), 2, "--all: every parcel");
/// assert_eq!(v["features"][0]["properties"]["landstock_reasons"], "not a candidate");
/// assert_eq!(v["features"][1]["id"], "lot");
/// assert_ne!(v["features"][1]["properties"]["landstock_use"], "keep", "a 1 ha lot under a 5 ha cap converts");
/// ```
pub fn write_plan_geojson<W: Write>(
    out: W,
    dest_name: &str,
    stock: &ParcelStock,
    decisions: &[Decision],
    all_parcels: bool,
    working_crs: &str,
) -> Result<(), Error> {
    if all_parcels {
        let mut by_parcel: Vec<Option<&Decision>> = vec![None; stock.len()];
        for d in decisions {
            by_parcel[d.index] = Some(d);
        }
        let index: Vec<usize> = (0..stock.len()).collect();
        write_collection(out, dest_name, "", stock, &index, working_crs, |k| {
            members(by_parcel[k], stock.get(k))
        })
    } else {
        let index: Vec<usize> = decisions.iter().map(|d| d.index).collect();
        write_collection(out, dest_name, "", stock, &index, working_crs, |k| {
            members(Some(&decisions[k]), stock.get(decisions[k].index))
        })
    }
}

/// The SPEC §6 indicators before and after a plan: every parcel's use from
/// the decisions (non-candidates keep), the plan's cost and auction revenue,
/// the problem's cap.
///
/// ```
/// use geo::{polygon, MultiPolygon};
/// use landstock::{LandUse, Parcel, Status, stock::ParcelStock};
/// use landstock::candidates::Candidates;
/// use landstock::context::{Context, ContextOptions};
/// use landstock::output::plan::{decisions, indicators_of};
/// use landstock::pipeline::{PlanConfig, PlanInput};
/// use landstock::score::{Layers, Scorer, ScoringConfig};
/// let sq = |x: f64| MultiPolygon(vec![polygon![(x: 500_000. + x, y: 5_160_000.), (x: 500_100. + x, y: 5_160_000.),
///     (x: 500_100. + x, y: 5_160_100.), (x: 500_000. + x, y: 5_160_100.)]]);
/// let stock = ParcelStock::new(vec![
///     Parcel::new("home", sq(0.), LandUse::Residential, Status::Active),
///     Parcel::new("lot", sq(300.), LandUse::Vacant, Status::Active),
/// ]);
/// let cx = Context::new(&stock, &ContextOptions::default());
/// let layers = Layers::new(&stock, &cx);
/// let cands = Candidates::of(&stock);
/// let sheet = Scorer::new(&ScoringConfig::default(), &layers).score(&layers, cands.indices()).unwrap();
/// let input = PlanInput::new(&stock, &cands, &sheet);
/// let cfg = PlanConfig { cap: Some(5.0), ..PlanConfig::default() };
/// let problem = cfg.problem(&input, None).unwrap().build().unwrap();
/// let plan = problem.solve().unwrap();
/// let rows = decisions(&input, &sheet, &plan);
/// let (before, after) = indicators_of(&stock, cx.population(), &rows, &problem, &plan);
/// // the 1 ha lot is converted: 1 ha of the 5 ha cap, none before
/// assert_eq!(before.cap_used_ha, 0.0);
/// assert!((after.cap_used_ha - 1.0).abs() < 1e-9);
/// assert!((after.cap_used_pct - 20.0).abs() < 1e-6);
/// ```
pub fn indicators_of(
    stock: &ParcelStock,
    population: &[f64],
    decisions: &[Decision],
    problem: &Problem,
    plan: &Plan,
) -> (Indicators, Indicators) {
    let mut uses = vec![Use::Keep; stock.len()];
    for d in decisions {
        uses[d.index] = d.use_;
    }
    crate::indicators::before_and_after(
        stock,
        population,
        &uses,
        problem.cap_ha(),
        crate::indicators::BudgetFigures {
            cost: plan.cost,
            auction_revenue: plan.revenue,
            net_cost: plan.cost - plan.revenue,
        },
    )
}

/// Writes one CSV row per decision: `id, from, use, area_m2, score_green,
/// score_ecological, score_cultural, benefit, reasons` (empty cells where a
/// score is ineligible).
///
/// ```
/// use landstock::output::plan::{write_decisions_csv, Decision};
/// use landstock::plan::{Scores, Use};
/// use landstock::LandUse;
/// let d = Decision { index: 0, id: "lot, 7".into(), from: LandUse::Vacant, use_: Use::Green,
///     area_m2: 5000.0, scores: Scores { green: Some(0.8), ecological: Some(0.5), cultural: None },
///     score: Some(0.8), benefit: 0.4, reasons: "converted to green".into() };
/// let mut out = Vec::new();
/// write_decisions_csv(&mut out, "mem", &[d]).unwrap();
/// let text = String::from_utf8(out).unwrap();
/// assert_eq!(text.lines().nth(1).unwrap(), "\"lot, 7\",vacant,green,5000,0.8,0.5,,0.4,converted to green");
/// ```
pub fn write_decisions_csv<W: Write>(
    out: W,
    dest_name: &str,
    decisions: &[Decision],
) -> Result<(), Error> {
    let mut w = csv::Writer::from_writer(out);
    let err = |e: csv::Error| io_error(dest_name, std::io::Error::other(e.to_string()));
    w.write_record([
        "id",
        "from",
        "use",
        "area_m2",
        "score_green",
        "score_ecological",
        "score_cultural",
        "benefit",
        "reasons",
    ])
    .map_err(err)?;
    let opt = |x: Option<f64>| x.map_or(String::new(), |v| v.to_string());
    for d in decisions {
        w.write_record([
            d.id.as_str(),
            d.from.as_str(),
            d.use_.as_str(),
            &d.area_m2.to_string(),
            &opt(d.scores.green),
            &opt(d.scores.ecological),
            &opt(d.scores.cultural),
            &d.benefit.to_string(),
            &d.reasons,
        ])
        .map_err(err)?;
    }
    w.flush().map_err(|e| io_error(dest_name, e))
}

/// Everything the summary JSON is made of.
#[derive(Debug)]
pub struct SummaryParts<'a> {
    /// The city's name (the input file's stem).
    pub city: &'a str,
    /// The input path as given.
    pub input_path: &'a str,
    /// The ingest report as JSON ([`crate::ingest::IngestReport::to_json`]);
    /// its `sha256` is the input's digest.
    pub ingest: Value,
    /// The effective configuration as JSON.
    pub config: Value,
    /// The solved problem.
    pub problem: &'a Problem,
    /// Its plan.
    pub plan: &'a Plan,
    /// Indicators before the plan.
    pub before: &'a Indicators,
    /// Indicators after the plan.
    pub after: &'a Indicators,
    /// All decisions; the summary lists the converted ones by benefit.
    pub decisions: &'a [Decision],
    /// How many decisions to list (converted ones first, best benefit first).
    pub top_decisions: usize,
}

/// The summary JSON (SPEC §7): `indicators.before/after` (SPEC §6 keys),
/// `solver` (`method`, `objective`, `bound`, `gap`, `seconds`), the ingest
/// report's counts, the effective configuration, the input's SHA-256, the
/// constraints with their slack, and the top decisions.
pub fn summary_json(s: &SummaryParts<'_>) -> Value {
    let p = s.plan;
    let candidates_ha: f64 = s.decisions.iter().map(|d| d.area_m2 / 1e4).sum();
    let mut ranked: Vec<&Decision> = s.decisions.iter().collect();
    ranked.sort_by(|a, b| {
        b.use_
            .is_conversion()
            .cmp(&a.use_.is_conversion())
            .then(b.benefit.total_cmp(&a.benefit))
            .then(a.id.as_str().as_bytes().cmp(b.id.as_str().as_bytes()))
    });
    let mut ingest = s.ingest.clone();
    // per-feature lists belong in `landstock validate --json`, not here
    if let Some(m) = ingest.as_object_mut() {
        for k in ["rejected", "repaired", "overlaps", "warnings"] {
            if let Some(v) = m.get(k).and_then(|v| v.as_array()).map(|a| a.len()) {
                m.insert(format!("{k}_listed"), json!(v));
                m.remove(k);
            }
        }
    }
    let constraints: Vec<Value> = p
        .constraints
        .iter()
        .map(|c| {
            use crate::plan::ConstraintRef as C;
            let (name, limit) = match &c.constraint {
                C::Cap { cap_ha } => ("cap".to_string(), *cap_ha),
                C::MinArea { use_, min_ha } => (format!("min_{use_}"), *min_ha),
                C::MaxArea { use_, max_ha } => (format!("max_{use_}"), *max_ha),
                C::ConstructionTarget { target_ha, .. } => {
                    ("construction_target".to_string(), *target_ha)
                }
                C::Budget { budget } => ("budget".to_string(), *budget),
            };
            // the constrained amount: a minimum is met from above, the rest from below
            let value = if matches!(c.constraint, C::MinArea { .. }) {
                limit + c.slack
            } else {
                limit - c.slack
            };
            json!({
                "name": name,
                "description": c.constraint.to_string(),
                "limit": num(limit),
                "value": num(value),
                "slack": num(c.slack),
                "binding": c.binding,
            })
        })
        .collect();
    json!({
        "landstock_version": env!("CARGO_PKG_VERSION"),
        "city": s.city,
        "input": {
            "path": s.input_path,
            "sha256": s.ingest.get("sha256").cloned().unwrap_or(Value::Null),
        },
        "ingest": ingest,
        "config": s.config,
        "plan": {
            "cap_ha": num(s.problem.cap_ha()),
            // a cap above every candidate together is legal: it cannot bind
            "candidates_ha": num(candidates_ha),
            "cap_exceeds_candidates": s.problem.cap_ha() >= candidates_ha,
            "candidates": s.decisions.len(),
            "converted": s.decisions.iter().filter(|d| d.use_.is_conversion()).count(),
            "touching_pairs": s.problem.pairs().len(),
            "adjacency_lambda": num(s.problem.adjacency_lambda()),
        },
        "solver": {
            "method": p.method.as_str(),
            "status": p.status.as_str(),
            "objective": num(p.objective),
            "bound": num(p.bound),
            "gap": num(p.gap),
            "seconds": num(p.seconds),
            "benefit": num(p.benefit),
            "adjacency_bonus": num(p.bonus),
        },
        "constraints": constraints,
        "indicators": { "before": s.before, "after": s.after },
        "decisions": ranked.iter().take(s.top_decisions).map(|d| json!({
            "id": d.id.as_str(), "from": d.from.as_str(), "use": d.use_.as_str(),
            "area_m2": num(d.area_m2), "score": d.score.map_or(Value::Null, num),
            "benefit": num(d.benefit), "reasons": d.reasons,
        })).collect::<Vec<_>>(),
    })
}

/// Adds what stopped each good parcel that was left out to its decision's
/// reasons (`…; left out: cap, budget`), from an [`Explanation`] of the same
/// plan (one entry per candidate, same order).
///
/// [`Explanation`]: crate::plan::Explanation
pub fn add_stops_to_reasons(decisions: &mut [Decision], explanation: &crate::plan::Explanation) {
    for (d, e) in decisions.iter_mut().zip(&explanation.candidates) {
        if !e.stopped_by.is_empty() {
            let stops: Vec<String> = e.stopped_by.iter().map(|s| s.to_string()).collect();
            d.reasons.push_str("; left out: ");
            d.reasons.push_str(&stops.join(", "));
        }
    }
}

/// The summary's `explanations` member: binding constraints, the marginal
/// value of cap and budget (by re-solving; step and method stated), and the
/// `top` best parcels left out with what stopped them.
pub fn explanations_json(explanation: &crate::plan::Explanation, top: usize) -> Value {
    let marginal = |m: &Result<crate::plan::Marginal, crate::plan::PlanError>, unit: &str| match m {
        Ok(m) => json!({
            "per_unit": num(m.per_unit), "unit": unit, "delta": num(m.delta),
            "objective": num(m.objective), "objective_plus": num(m.objective_plus),
            "method": format!("re-solved with limit + delta by the {} solver (gap {:.2e})", m.method.as_str(), m.gap_plus),
        }),
        Err(e) => json!({ "error": e.to_string() }),
    };
    let mut left_out: Vec<&crate::plan::CandidateExplanation> = explanation
        .candidates
        .iter()
        .filter(|c| c.use_ == Use::Keep && !c.stopped_by.is_empty())
        .collect();
    left_out.sort_by(|a, b| {
        b.best_benefit_eligible
            .total_cmp(&a.best_benefit_eligible)
            .then(a.id.as_str().as_bytes().cmp(b.id.as_str().as_bytes()))
    });
    json!({
        "binding": explanation.binding.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
        "marginal_value_of_cap": marginal(&explanation.cap, "objective per ha"),
        "marginal_value_of_budget": explanation.budget.as_ref().map(|b| marginal(b, "objective per currency unit")),
        "left_out": left_out.iter().take(top).map(|c| json!({
            "id": c.id.as_str(),
            "best_use": c.best_use.map(|u| u.as_str()),
            "best_score": c.best_score.map_or(Value::Null, num),
            "best_benefit": num(c.best_benefit_eligible),
            "stopped_by": c.stopped_by.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}
