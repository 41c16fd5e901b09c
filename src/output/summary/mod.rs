//! The summary of a plan (SPEC §7) as a type: [`Summary`] is what
//! `summary.json` holds and what the HTML report renders.
//!
//! It is built from values ([`Summary::new`] from [`SummaryParts`]; the
//! optional members from an explanation, a phased plan, scenario rows and
//! the land-use balance),
//! written with [`Summary::write_json`] (keys sorted, pretty-printed, one
//! trailing newline) and read back with serde. Non-finite numbers are written
//! as `null` and read back as NaN.
//!
//! ```
//! use landstock::output::summary::Summary;
//! let s: Summary = serde_json::from_str(r#"{"city": "Fishtown", "plan": {"cap_ha": 120.0}}"#).unwrap();
//! assert_eq!(s.city, "Fishtown");
//! assert_eq!(s.plan.cap_ha, 120.0);
//! assert!(s.explanations.is_none());
//! let mut out = Vec::new();
//! s.write_json(&mut out).unwrap();
//! let back: Summary = serde_json::from_slice(&out).unwrap();
//! assert_eq!(back.city, "Fishtown");
//! ```

use std::collections::BTreeMap;
use std::io::Write;

use serde::{Deserialize, Serialize};
use serde_json::Value;

mod alternatives;
mod balance;
mod explanations;
mod irreplaceable;
mod phases;
mod remediation;
mod robustness;
mod scenarios;

pub use alternatives::{AlternativePlan, AlternativesSummary, Frequency};
pub use balance::{BalanceRow, LandBalance};
pub use explanations::{ExplanationsSummary, LeftOut, MarginalSummary};
pub use irreplaceable::{IrreplaceabilitySummary, IrreplaceableRow};
pub use phases::PhaseRow;
pub use remediation::{RemediationRow, RemediationSummary};
pub use robustness::{RobustPhaseRow, RobustnessSummary};
pub use scenarios::ScenarioSummary;

use super::plan::Decision;
use crate::config::Config;
use crate::indicators::{nullable, ConvertedHa, Indicators};
use crate::ingest::IngestReport;
use crate::plan::{ConstraintRef, Plan, Problem, UseAreas};

/// The whole summary. Members the summary of an older or newer landstock has
/// and this one does not know are kept in `extra`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Summary {
    /// The landstock that wrote it.
    pub landstock_version: String,
    /// The city's name (the input file's stem).
    pub city: String,
    /// Where the parcels came from.
    pub input: InputSummary,
    /// What ingestion did (counts; the per-feature lists are in `landstock validate --json`).
    pub ingest: IngestSummary,
    /// The effective configuration.
    pub config: Config,
    /// The problem's size and cap.
    pub plan: PlanFigures,
    /// The solver's figures.
    pub solver: SolverFigures,
    /// Every constraint with its limit, value and slack.
    pub constraints: Vec<ConstraintRow>,
    /// SPEC §6 before and after the plan.
    pub indicators: BeforeAfter,
    /// The top decisions (converted ones first, best benefit first).
    pub decisions: Vec<DecisionRow>,
    /// Why the plan is as it is (absent with `--no-explain` and with phases).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanations: Option<ExplanationsSummary>,
    /// Per phase of a phased plan (`--phases`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phases: Option<Vec<PhaseRow>>,
    /// The plan at other caps (`--scenarios`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenarios: Option<Vec<ScenarioSummary>>,
    /// The plan that survives a weak land market against the plain plan
    /// (`--revenue-shortfall`): the price of robustness.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub robustness: Option<RobustnessSummary>,
    /// Alternative near-optimal plans (`--alternatives K`) and how often
    /// each parcel is converted across them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alternatives: Option<AlternativesSummary>,
    /// Irreplaceability (`--irreplaceable`): per parcel, the objective lost
    /// if locked out or gained if locked in, most needed first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub irreplaceability: Option<IrreplaceabilitySummary>,
    /// Remediation by end use (`[plan.remediation]`): the GB 36600-2018
    /// rule applied to each converted contaminated parcel, by use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remediation: Option<RemediationSummary>,
    /// The land-use balance table (用地平衡表) before and after the plan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub balance: Option<LandBalance>,
    /// Members this version does not know.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// `input`: the parcel file as given and its digest.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InputSummary {
    /// The path as given.
    pub path: String,
    /// SHA-256 of the bytes read.
    pub sha256: Option<String>,
    /// How parcel areas were measured: `planar` (in the working CRS) or
    /// `ellipsoidal` (geodesic, WGS 84). Empty in summaries written before it.
    pub area: String,
}

/// `ingest`: the ingest report without its per-feature lists (their
/// lengths are in the `*_listed` members).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IngestSummary {
    /// The source's name.
    pub source: String,
    /// SHA-256 of the bytes read.
    pub sha256: String,
    /// The input CRS.
    pub input_crs: String,
    /// The metric CRS worked in.
    pub working_crs: Option<String>,
    /// Feature counts.
    pub counts: IngestCounts,
    /// Rejections per reason code.
    pub rejected_by_reason: BTreeMap<String, usize>,
    /// Repairs per kind.
    pub repaired_by_kind: BTreeMap<String, usize>,
    /// Unmapped land-use values and how often each occurs.
    pub unmapped: BTreeMap<String, usize>,
    /// Rejected features listed by the report.
    pub rejected_listed: usize,
    /// Repaired features listed by the report.
    pub repaired_listed: usize,
    /// Overlapping pairs listed by the report.
    pub overlaps_listed: usize,
    /// Warnings listed by the report.
    pub warnings_listed: usize,
}

/// Every feature accounted for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IngestCounts {
    /// Features in the input.
    pub total: usize,
    /// Accepted as they were.
    pub accepted: usize,
    /// Accepted after a repair.
    pub repaired: usize,
    /// Rejected.
    pub rejected: usize,
}

impl IngestSummary {
    /// The summary of an ingest report.
    pub fn of(r: &IngestReport) -> IngestSummary {
        let names = |m: BTreeMap<&'static str, usize>| {
            m.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
        };
        IngestSummary {
            source: r.source.clone(),
            sha256: r.sha256.clone(),
            input_crs: r.input_crs.clone(),
            working_crs: r.working_crs.clone(),
            counts: IngestCounts {
                total: r.total,
                accepted: r.accepted,
                repaired: r.repaired,
                rejected: r.rejected,
            },
            rejected_by_reason: names(r.rejected_by_reason()),
            repaired_by_kind: names(r.repaired_by_kind()),
            unmapped: r.unmapped.clone(),
            rejected_listed: r.rejections.len(),
            repaired_listed: r.repairs.len(),
            overlaps_listed: r.overlaps.len(),
            warnings_listed: r.warnings.len(),
        }
    }
}

/// `plan`: the problem's cap and size.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlanFigures {
    /// The cap, ha.
    #[serde(deserialize_with = "nullable::f64")]
    pub cap_ha: f64,
    /// All candidates together, ha.
    #[serde(deserialize_with = "nullable::f64")]
    pub candidates_ha: f64,
    /// The cap is at least the candidates' area (legal; it cannot bind).
    pub cap_exceeds_candidates: bool,
    /// Candidates.
    pub candidates: usize,
    /// Candidates converted.
    pub converted: usize,
    /// Touching candidate pairs.
    pub touching_pairs: usize,
    /// Weight λ of the adjacency bonus.
    #[serde(deserialize_with = "nullable::f64")]
    pub adjacency_lambda: f64,
}

/// `solver`: method, objective, bound, gap, wall-clock seconds and the
/// objective's two parts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SolverFigures {
    /// `exact` or `fast`.
    pub method: String,
    /// How the solve ended: `optimal` (the requested gap met), `time_limit`
    /// (stopped by the limit: the best plan known, with its proven gap),
    /// `stopped` (HiGHS stopped on a limit of its own) or `heuristic` (the
    /// fast solver's plan and bound). Empty in summaries written before it.
    pub status: String,
    /// Benefit + adjacency bonus.
    #[serde(deserialize_with = "nullable::f64")]
    pub objective: f64,
    /// An upper bound of the optimum.
    #[serde(deserialize_with = "nullable::f64")]
    pub bound: f64,
    /// Relative gap between objective and bound.
    #[serde(deserialize_with = "nullable::f64")]
    pub gap: f64,
    /// Wall-clock seconds (the one value that differs between runs).
    #[serde(deserialize_with = "nullable::f64")]
    pub seconds: f64,
    /// Σ score × area.
    #[serde(deserialize_with = "nullable::f64")]
    pub benefit: f64,
    /// The adjacency bonus.
    #[serde(deserialize_with = "nullable::f64")]
    pub adjacency_bonus: f64,
}

/// One constraint: the amount it limits and how far from its limit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConstraintRow {
    /// `cap`, `min_green`, `max_cultural`, `construction_target`, `budget`.
    pub name: String,
    /// In words, with its amount.
    pub description: String,
    /// The limit.
    #[serde(deserialize_with = "nullable::f64")]
    pub limit: f64,
    /// The constrained amount in the plan.
    #[serde(deserialize_with = "nullable::f64")]
    pub value: f64,
    /// Distance to the limit.
    #[serde(deserialize_with = "nullable::f64")]
    pub slack: f64,
    /// Whether it holds the plan back.
    pub binding: bool,
}

/// `indicators`: before and after the plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BeforeAfter {
    /// Before the plan.
    pub before: Indicators,
    /// After it.
    pub after: Indicators,
}

/// One of the top decisions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DecisionRow {
    /// Parcel id.
    pub id: String,
    /// Class before the plan.
    pub from: String,
    /// The use given.
    #[serde(rename = "use")]
    pub use_: String,
    /// Area, m².
    #[serde(deserialize_with = "nullable::f64")]
    pub area_m2: f64,
    /// Score of the use given.
    pub score: Option<f64>,
    /// score × area (ha).
    #[serde(deserialize_with = "nullable::f64")]
    pub benefit: f64,
    /// The decision and the strongest criteria.
    pub reasons: String,
}

/// Everything [`Summary::new`] is made of.
#[derive(Debug)]
pub struct SummaryParts<'a> {
    /// The city's name (the input file's stem).
    pub city: &'a str,
    /// The input path as given.
    pub input_path: &'a str,
    /// The ingest report (its `sha256` is the input's digest).
    pub ingest: &'a IngestReport,
    /// The effective configuration.
    pub config: &'a Config,
    /// The solved problem.
    pub problem: &'a Problem,
    /// Its plan.
    pub plan: &'a Plan,
    /// Wall-clock seconds the solve took, as the caller measured it (the
    /// library keeps no clock: equal plans are equal values).
    pub solve_seconds: f64,
    /// Indicators before the plan.
    pub before: &'a Indicators,
    /// Indicators after the plan.
    pub after: &'a Indicators,
    /// All decisions; the summary lists the converted ones by benefit.
    pub decisions: &'a [Decision],
    /// How many decisions to list (converted ones first, best benefit first).
    pub top_decisions: usize,
}

impl Summary {
    /// The summary of a plan: indicators, solver, constraints, ingest
    /// counts, configuration, input digest and top decisions. The optional
    /// members (`explanations`, `phases`, `scenarios`) are set by the caller.
    pub fn new(s: &SummaryParts<'_>) -> Summary {
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
        Summary {
            landstock_version: env!("CARGO_PKG_VERSION").to_string(),
            city: s.city.to_string(),
            input: InputSummary {
                path: s.input_path.to_string(),
                sha256: Some(s.ingest.sha256.clone()),
                area: s.config.input.area.as_str().to_string(),
            },
            ingest: IngestSummary::of(s.ingest),
            config: s.config.clone(),
            plan: PlanFigures {
                cap_ha: s.problem.cap_ha(),
                candidates_ha,
                cap_exceeds_candidates: s.problem.cap_ha() >= candidates_ha,
                candidates: s.decisions.len(),
                converted: s
                    .decisions
                    .iter()
                    .filter(|d| d.use_.is_conversion())
                    .count(),
                touching_pairs: s.problem.pairs().len(),
                adjacency_lambda: s.problem.adjacency_lambda(),
            },
            solver: SolverFigures {
                method: p.method.as_str().to_string(),
                status: p.status.as_str().to_string(),
                objective: p.objective,
                bound: p.bound,
                gap: p.gap,
                seconds: s.solve_seconds,
                benefit: p.benefit,
                adjacency_bonus: p.bonus,
            },
            constraints: p.constraints.iter().map(constraint_row).collect(),
            indicators: BeforeAfter {
                before: s.before.clone(),
                after: s.after.clone(),
            },
            decisions: ranked
                .iter()
                .take(s.top_decisions)
                .map(|d| DecisionRow {
                    id: d.id.as_str().to_string(),
                    from: d.from.as_str().to_string(),
                    use_: d.use_.as_str().to_string(),
                    area_m2: d.area_m2,
                    score: d.score,
                    benefit: d.benefit,
                    reasons: d.reasons.clone(),
                })
                .collect(),
            explanations: None,
            phases: None,
            scenarios: None,
            robustness: None,
            alternatives: None,
            irreplaceability: None,
            remediation: RemediationSummary::new(s.problem, p),
            balance: None,
            extra: BTreeMap::new(),
        }
    }

    /// Writes the summary as pretty JSON with sorted keys and a trailing
    /// newline (the bytes of `summary.json`).
    pub fn write_json<W: Write>(&self, mut w: W) -> std::io::Result<()> {
        // through a Value: its maps are sorted, so the key order is the
        // alphabetical one every earlier summary had
        let v = serde_json::to_value(self).map_err(std::io::Error::other)?;
        serde_json::to_writer_pretty(&mut w, &v).map_err(std::io::Error::other)?;
        w.write_all(b"\n")
    }
}

fn constraint_row(c: &crate::plan::ConstraintStatus) -> ConstraintRow {
    use ConstraintRef as C;
    let (name, limit) = match &c.constraint {
        C::Cap { cap_ha } => ("cap".to_string(), *cap_ha),
        C::MinArea { use_, min_ha } => (format!("min_{use_}"), *min_ha),
        C::MaxArea { use_, max_ha } => (format!("max_{use_}"), *max_ha),
        C::ConstructionTarget { target_ha, .. } => ("construction_target".to_string(), *target_ha),
        C::Budget { budget } => ("budget".to_string(), *budget),
        C::DifferFrom { plan, min_ha } => (format!("differ_from_{plan}"), *min_ha),
    };
    // the constrained amount: a minimum is met from above, the rest from below
    let value = if matches!(c.constraint, C::MinArea { .. }) {
        limit + c.slack
    } else {
        limit - c.slack
    };
    ConstraintRow {
        name,
        description: c.constraint.to_string(),
        limit,
        value,
        slack: c.slack,
        binding: c.binding,
    }
}

/// Converted area by use, as the summary's members have it.
pub(super) fn converted(a: &UseAreas) -> ConvertedHa {
    ConvertedHa {
        green: a.green_ha,
        ecological: a.ecological_ha,
        cultural: a.cultural_ha,
        redevelop: a.redevelop_ha,
    }
}
