//! The plan's outputs (SPEC §7): GeoJSON and CSV of decisions (the summary
//! JSON is [`super::summary`]).
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
use crate::parcel::{LandUse, ParcelId};
use crate::plan::{Candidate, Plan, Scores};
use crate::score::ScoreSheet;
use crate::stock::ParcelStock;
use crate::uses::Use;

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
    /// With alternative plans (`--alternatives K`): how many of the K plans
    /// convert the parcel, and how many give it each use (in
    /// [`Use::ALL`] order); `None` without alternatives.
    pub selected_in: Option<(usize, [usize; 5])>,
    /// With irreplaceability (`--irreplaceable`), for a parcel tested: the
    /// objective change if it were locked out (converted parcels) or in
    /// (left-out ones), −∞ when no plan meets the lock (`infeasible` in the
    /// CSV, null in the GeoJSON), and whether the plan cannot do without
    /// it; `None` when not tested.
    pub lock_change: Option<(f64, bool)>,
}

impl Decision {
    /// "green 3, ecological 1": the uses the alternative plans give the
    /// parcel and how often (conversions only; empty when none or without
    /// alternatives).
    ///
    /// ```
    /// use landstock::output::plan::Decision;
    /// use landstock::{LandUse, Use, plan::Scores};
    /// let mut d = Decision { index: 0, id: "a".into(), from: LandUse::Vacant, use_: Use::Green,
    ///     area_m2: 1.0, scores: Scores::default(), score: None, benefit: 0.0,
    ///     reasons: String::new(), selected_in: None, lock_change: None };
    /// assert_eq!(d.selected_as(), "");
    /// d.selected_in = Some((4, [1, 3, 1, 0, 0]));
    /// assert_eq!(d.selected_as(), "green 3, ecological 1");
    /// ```
    pub fn selected_as(&self) -> String {
        let Some((_, by_use)) = self.selected_in else {
            return String::new();
        };
        Use::CONVERSIONS
            .into_iter()
            .filter(|u| by_use[u.index()] > 0)
            .map(|u| format!("{u} {}", by_use[u.index()]))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The candidates, the score sheet and the plan given to [`decisions`] do
/// not belong together.
///
/// ```
/// use landstock::output::plan::Mismatch;
/// let e = Mismatch { what: "the score sheet", len: 3, plan_len: 2 };
/// assert!(e.to_string().starts_with("the score sheet has 3 candidates but the plan 2"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{what} has {len} candidates but the plan {plan_len}: build the plan from the same score sheet"
)]
pub struct Mismatch {
    /// What disagrees with the plan: `the candidates` or `the score sheet`.
    pub what: &'static str,
    /// Its length.
    pub len: usize,
    /// The plan's number of candidates.
    pub plan_len: usize,
}

/// One decision per candidate, in score-sheet order: `candidates` is the
/// planner input built from `sheet` ([`PlanInput::candidates`]), `plan` the
/// plan solved on it. Fails, without panicking, when the three do not
/// belong together (different candidate counts).
///
/// [`PlanInput::candidates`]: crate::pipeline::PlanInput::candidates
pub fn decisions(
    candidates: &[Candidate],
    sheet: &ScoreSheet,
    plan: &Plan,
) -> Result<Vec<Decision>, Mismatch> {
    for (what, len) in [
        ("the candidates", candidates.len()),
        ("the score sheet", sheet.rows().len()),
    ] {
        if len != plan.uses.len() {
            return Err(Mismatch {
                what,
                len,
                plan_len: plan.uses.len(),
            });
        }
    }
    Ok(candidates
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
                selected_in: None,
                lock_change: None,
            }
        })
        .collect())
}

fn members(d: Option<&Decision>, p: &crate::Parcel) -> String {
    let opt = |x: Option<f64>| x.map_or(Value::Null, num);
    match d {
        Some(d) => {
            let mut m = format!(
                r#""landstock_use":"{}","landstock_from":"{}","landstock_area_m2":{},"landstock_score_green":{},"landstock_score_ecological":{},"landstock_score_cultural":{},"landstock_benefit":{},"landstock_reasons":{}"#,
                d.use_.as_str(),
                d.from.as_str(),
                num(d.area_m2),
                opt(d.scores.green),
                opt(d.scores.ecological),
                opt(d.scores.cultural),
                num(d.benefit),
                json!(d.reasons)
            );
            if let Some((n, _)) = d.selected_in {
                m.push_str(&format!(
                    r#","landstock_selected_in":{n},"landstock_selected_as":{}"#,
                    json!(d.selected_as())
                ));
            }
            if let Some((change, needed)) = d.lock_change {
                let change = if change.is_finite() {
                    num(change)
                } else {
                    Value::Null
                };
                m.push_str(&format!(
                    r#","landstock_lock_change":{change},"landstock_irreplaceable":{needed}"#
                ));
            }
            m
        }
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
/// use landstock::config::PlanConfig;
/// use landstock::pipeline::PlanInput;
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
/// let rows = decisions(&input.candidates, &sheet, &plan).unwrap();
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
    write_plan_geojson_in(
        out,
        dest_name,
        stock,
        decisions,
        all_parcels,
        working_crs,
        "EPSG:4326",
    )
}

/// [`write_plan_geojson`] in another CRS (`--out-crs`, `[output] crs`),
/// which is named in the collection's `crs` member (GeoJSON 2008); RFC 7946
/// readers expect EPSG:4326, the default.
///
/// ```
/// use geo::{polygon, MultiPolygon};
/// use landstock::{LandUse, Parcel, Status, stock::ParcelStock};
/// use landstock::output::plan::{write_plan_geojson_in, Decision};
/// use landstock::plan::{Scores, Use};
/// let sq = MultiPolygon(vec![polygon![(x: 500_000., y: 5_160_000.), (x: 500_100., y: 5_160_000.),
///     (x: 500_100., y: 5_160_100.), (x: 500_000., y: 5_160_100.)]]);
/// let stock = ParcelStock::new(vec![Parcel::new("lot", sq, LandUse::Vacant, Status::Active)]);
/// let d = Decision { index: 0, id: "lot".into(), from: LandUse::Vacant, use_: Use::Green,
///     area_m2: 10_000.0, scores: Scores::default(), score: None, benefit: 0.0, reasons: String::new(),
///     selected_in: None, lock_change: None };
/// let mut out = Vec::new();
/// write_plan_geojson_in(&mut out, "mem", &stock, &[d], false, "EPSG:32651", "EPSG:32651").unwrap();
/// let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
/// assert_eq!(v["crs"]["properties"]["name"], "urn:ogc:def:crs:EPSG::32651");
/// let corner = &v["features"][0]["geometry"]["coordinates"][0][0];
/// assert_eq!((corner[0].as_f64(), corner[1].as_f64()), (Some(500_000.0), Some(5_160_000.0)), "UTM metres, not degrees");
/// ```
pub fn write_plan_geojson_in<W: Write>(
    out: W,
    dest_name: &str,
    stock: &ParcelStock,
    decisions: &[Decision],
    all_parcels: bool,
    working_crs: &str,
    out_crs: &str,
) -> Result<(), Error> {
    if all_parcels {
        let mut by_parcel: Vec<Option<&Decision>> = vec![None; stock.len()];
        for d in decisions {
            by_parcel[d.index] = Some(d);
        }
        let index: Vec<usize> = (0..stock.len()).collect();
        write_collection(
            out,
            dest_name,
            "",
            stock,
            &index,
            (working_crs, out_crs),
            |k| members(by_parcel[k], stock.get(k)),
        )
    } else {
        let index: Vec<usize> = decisions.iter().map(|d| d.index).collect();
        write_collection(
            out,
            dest_name,
            "",
            stock,
            &index,
            (working_crs, out_crs),
            |k| members(Some(&decisions[k]), stock.get(decisions[k].index)),
        )
    }
}

/// Writes one CSV row per decision: `id, from, use, area_m2, score_green,
/// score_ecological, score_cultural, benefit, reasons` (empty cells where a
/// score is ineligible), and with alternative plans two more columns,
/// `selected_in` (how many plans convert the parcel) and `selected_as`
/// (`green 3, ecological 1`).
///
/// ```
/// use landstock::output::plan::{write_decisions_csv, Decision};
/// use landstock::plan::{Scores, Use};
/// use landstock::LandUse;
/// let d = Decision { index: 0, id: "lot, 7".into(), from: LandUse::Vacant, use_: Use::Green,
///     area_m2: 5000.0, scores: Scores { green: Some(0.8), ecological: Some(0.5), cultural: None },
///     score: Some(0.8), benefit: 0.4, reasons: "converted to green".into(), selected_in: None,
///     lock_change: None };
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
    let alternatives = decisions.iter().any(|d| d.selected_in.is_some());
    let mut header = vec![
        "id",
        "from",
        "use",
        "area_m2",
        "score_green",
        "score_ecological",
        "score_cultural",
        "benefit",
        "reasons",
    ];
    if alternatives {
        header.extend(["selected_in", "selected_as"]);
    }
    let irreplaceability = decisions.iter().any(|d| d.lock_change.is_some());
    if irreplaceability {
        header.extend(["lock_change", "irreplaceable"]);
    }
    w.write_record(header).map_err(err)?;
    let opt = |x: Option<f64>| x.map_or(String::new(), |v| v.to_string());
    for d in decisions {
        let mut row = vec![
            d.id.as_str().to_string(),
            d.from.as_str().to_string(),
            d.use_.as_str().to_string(),
            d.area_m2.to_string(),
            opt(d.scores.green),
            opt(d.scores.ecological),
            opt(d.scores.cultural),
            d.benefit.to_string(),
            d.reasons.clone(),
        ];
        if alternatives {
            row.push(d.selected_in.map_or(String::new(), |(n, _)| n.to_string()));
            row.push(d.selected_as());
        }
        if irreplaceability {
            let (change, needed) = match d.lock_change {
                Some((c, n)) if c.is_finite() => (c.to_string(), n.to_string()),
                Some((_, n)) => ("infeasible".to_string(), n.to_string()),
                None => (String::new(), String::new()),
            };
            row.extend([change, needed]);
        }
        w.write_record(row).map_err(err)?;
    }
    w.flush().map_err(|e| io_error(dest_name, e))
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

/// Adds to each contaminated candidate's reasons the remediation rule that
/// applied (`…; remediation to GB 36600-2018 Type I (400/m²)`), and for a
/// kept one the uses its site class may not take; `problem` is the problem
/// the plan was solved on (one decision per candidate, same order). Without
/// [`Remediation`](crate::plan::Remediation) rules a converted contaminated
/// site names the flat remediation cost.
///
/// ```
/// use landstock::output::plan::{add_remediation_to_reasons, Decision};
/// use landstock::plan::{Candidate, PlanProblem, Remediation, Scores, SiteRule, Use};
/// use landstock::LandUse;
/// let s = Scores { green: Some(0.5), ..Scores::default() };
/// let c = Candidate::new("x", 1e4, LandUse::Industrial).with_scores(s).with_contaminated(true);
/// let rules = Remediation::default().site(SiteRule::new(LandUse::Industrial).forbid(Use::Green));
/// let p = PlanProblem::new(vec![c.clone()], vec![]).cap_ha(1.0).remediation(rules).build().unwrap();
/// let mut d = vec![Decision { index: 0, id: c.id.clone(), from: c.origin, use_: Use::Keep,
///     area_m2: 1e4, scores: s, score: None, benefit: 0.0, reasons: "kept".into(),
///     selected_in: None, lock_change: None }];
/// add_remediation_to_reasons(&mut d, &p);
/// assert_eq!(d[0].reasons, "kept; contaminated site: green not allowed on industrial sites ([plan.remediation])");
/// ```
pub fn add_remediation_to_reasons(decisions: &mut [Decision], problem: &crate::plan::Problem) {
    let cands = problem.candidates();
    for (i, d) in decisions.iter_mut().enumerate().take(cands.len()) {
        let c = &cands[i];
        if !c.contaminated {
            continue;
        }
        if problem.remediation().is_none() {
            if matches!(d.use_, Use::Green | Use::Cultural) {
                d.reasons.push_str(&format!(
                    "; contaminated site: flat remediation {}/m²",
                    problem.costs().remediation_per_m2
                ));
            }
            continue;
        }
        if d.use_.is_conversion() {
            if let Some(a) = problem.remediation_applied(i, d.use_) {
                d.reasons.push_str(&format!("; contaminated site: {a}"));
            }
        } else {
            let forbidden: Vec<&str> = Use::CONVERSIONS
                .into_iter()
                .filter(|&u| c.scores.get(u).is_some() || u == Use::Redevelop)
                .filter(|&u| {
                    problem
                        .remediation_applied(i, u)
                        .is_some_and(|a| !a.allowed)
                })
                .map(|u| u.as_str())
                .collect();
            if !forbidden.is_empty() {
                d.reasons.push_str(&format!(
                    "; contaminated site: {} not allowed on {} sites ([plan.remediation])",
                    forbidden.join(", "),
                    c.origin
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::PlanProblem;
    use crate::score::{Layers, Scorer, ScoringConfig};
    use crate::stock::candidates::Candidates;
    use crate::stock::context::{Context, ContextOptions};
    use crate::{LandUse, Parcel, Status};
    use geo::{polygon, MultiPolygon};

    #[test]
    fn decisions_of_a_plan_of_another_input_are_an_error_not_a_panic() {
        let sq = |x: f64| {
            MultiPolygon(vec![polygon![(x: x, y: 0.), (x: x + 100., y: 0.),
                (x: x + 100., y: 100.), (x: x, y: 100.)]])
        };
        let stock = ParcelStock::new(vec![
            Parcel::new("a", sq(0.), LandUse::Vacant, Status::Active),
            Parcel::new("b", sq(300.), LandUse::Vacant, Status::Active),
        ]);
        let cx = Context::new(&stock, &ContextOptions::default());
        let layers = Layers::new(&stock, &cx);
        let cands = Candidates::of(&stock);
        let sheet = Scorer::new(&ScoringConfig::default(), &layers)
            .score(&layers, cands.indices())
            .unwrap();
        let input = crate::pipeline::PlanInput::new(&stock, &cands, &sheet);
        // a plan of the first candidate alone
        let plan = PlanProblem::new(input.candidates[..1].to_vec(), vec![])
            .cap_ha(5.0)
            .build()
            .unwrap()
            .solve()
            .unwrap();
        let e = decisions(&input.candidates, &sheet, &plan).unwrap_err();
        assert_eq!(
            e,
            Mismatch {
                what: "the candidates",
                len: 2,
                plan_len: 1
            }
        );
        let e = decisions(&input.candidates[..1], &sheet, &plan).unwrap_err();
        assert_eq!(e.what, "the score sheet");
        assert_eq!(decisions(&input.candidates[..1], &sheet, &plan).ok(), None);
    }
}
