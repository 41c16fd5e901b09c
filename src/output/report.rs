//! The HTML report (SPEC §7): one self-contained file a planner opens in a
//! browser, with no network access at all (inline CSS and SVG, no scripts, no
//! web fonts). It shows, from the typed [`Summary`] and the map:
//!
//! 1. the title (city and cap) and where the input came from;
//! 2. the map (the SVG of [`map_svg`](super::map::map_svg), inlined);
//! 3. the indicators before and after the plan, every SPEC §6 key with its
//!    unit and the change (each value cell also carries the summary's exact
//!    JSON value in `data-value`);
//! 4. a bar chart of converted area by use (inline SVG);
//! 5. the solver's figures: method, objective, bound, gap, seconds;
//! 6. the binding constraints (the others folded away);
//! 7. the top decisions with their reasons;
//! 8. the ingest counts and the effective configuration.
//!
//! Every piece of text is HTML-escaped by the template engine ([`maud`]):
//! parcel ids and reasons come from user data. Parts missing from the summary
//! (no budget, no constraints) are shown as `—` or left out, never an error.
//! `explanations` (binding constraints, marginal values, good parcels left
//! out) and `scenarios` (a stacked chart and a table of benefit against cap)
//! get their own sections; top-level sections the report does not know are
//! shown as folded JSON, see [`extra_section`].
//!
//! ```
//! use landstock::output::report::write_report_html;
//! use landstock::output::summary::Summary;
//! let summary: Summary = serde_json::from_value(serde_json::json!({
//!     "city": "Fishtown <north>",
//!     "plan": {"cap_ha": 120.0},
//!     "indicators": {"before": {"residents": 1000.0}, "after": {"residents": 1000.0}},
//! })).unwrap();
//! let mut html = Vec::new();
//! write_report_html(&mut html, &summary, "<svg></svg>").unwrap();
//! let html = String::from_utf8(html).unwrap();
//! assert!(html.contains("<title>Fishtown &lt;north&gt; — cap 120 ha</title>"));
//! assert!(html.contains(r#"<figure id="map"><svg></svg></figure>"#));
//! ```

use std::io::{self, Write};

use std::collections::BTreeMap;

use maud::{html, Markup, PreEscaped, DOCTYPE};
use serde_json::Value;
use svg::node::element::{Rectangle, Text};
use svg::Document;

use super::map::use_colour;
use super::summary::{
    ConstraintRow, ExplanationsSummary, MarginalSummary, ScenarioSummary, Summary,
};
use crate::indicators::Indicators;
use crate::uses::Use;

/// How an indicator is displayed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Ha,
    Pct,
    Persons,
    M2PerPerson,
    Share,
    Count,
    Money,
    HaList,
}

impl Unit {
    fn label(self) -> &'static str {
        match self {
            Unit::Ha | Unit::HaList => "ha",
            Unit::Pct => "%",
            Unit::Persons => "persons",
            Unit::M2PerPerson => "m²/person",
            Unit::Share => "share (0–1)",
            Unit::Count => "count",
            Unit::Money => "currency",
        }
    }

    fn format(self, x: f64) -> String {
        match self {
            Unit::Ha | Unit::HaList | Unit::M2PerPerson => format!("{x:.2}"),
            Unit::Pct => format!("{x:.1}"),
            Unit::Share => format!("{x:.3}"),
            Unit::Persons | Unit::Count | Unit::Money => format!("{x:.0}"),
        }
    }
}

/// Every SPEC §6 indicator, in the order of the table: the key path inside
/// `indicators.before` / `.after`, a label, the unit.
const INDICATORS: [(&str, &str, Unit); 18] = [
    ("converted_ha.green", "Converted to green", Unit::Ha),
    (
        "converted_ha.ecological",
        "Converted to ecological",
        Unit::Ha,
    ),
    ("converted_ha.cultural", "Converted to cultural", Unit::Ha),
    ("converted_ha.redevelop", "Redeveloped", Unit::Ha),
    ("cap_used_ha", "Cap used", Unit::Ha),
    ("cap_used_pct", "Cap used", Unit::Pct),
    ("construction_land_ha", "Construction land", Unit::Ha),
    (
        "construction_land_change_ha",
        "Construction land change",
        Unit::Ha,
    ),
    ("residents", "Residents", Unit::Persons),
    (
        "park_m2_per_resident",
        "Park green space per resident",
        Unit::M2PerPerson,
    ),
    (
        "park_service_coverage",
        "Park service coverage (500 m)",
        Unit::Share,
    ),
    ("eco_patches", "Ecological patches", Unit::Count),
    ("eco_largest_patch_ha", "Largest ecological patch", Unit::Ha),
    ("cultural_clusters", "Cultural districts", Unit::Count),
    (
        "cultural_cluster_ha",
        "Cultural district areas",
        Unit::HaList,
    ),
    ("budget.cost", "Conversion cost", Unit::Money),
    ("budget.auction_revenue", "Auction revenue", Unit::Money),
    ("budget.net_cost", "Net cost", Unit::Money),
];

const CSS: &str = r#"
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; margin: 24px auto; max-width: 1360px; color: #222; padding: 0 16px; }
h1 { font-size: 26px; margin-bottom: 4px; }
h2 { font-size: 19px; border-bottom: 1px solid #ccc; padding-bottom: 3px; margin-top: 28px; }
.meta { color: #555; font-size: 13px; }
.meta code { font-size: 12px; }
#map { margin: 0; }
#map svg { max-width: 100%; height: auto; border: 1px solid #ddd; }
table { border-collapse: collapse; font-size: 13px; margin: 6px 0 10px; }
th, td { border: 1px solid #d4d4d4; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.swatch { display: inline-block; width: 11px; height: 11px; border: 1px solid #333; margin-right: 5px; vertical-align: -1px; }
.grid { display: flex; flex-wrap: wrap; gap: 28px; align-items: flex-start; }
.reasons { max-width: 640px; }
details pre { font-size: 12px; background: #f7f7f7; padding: 8px; overflow-x: auto; max-height: 480px; }
.muted { color: #777; }
"#;

/// One indicator's value, as the table shows it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Figure<'a> {
    Num(f64),
    Maybe(Option<f64>),
    Count(usize),
    List(&'a [f64]),
}

impl Figure<'_> {
    fn as_f64(self) -> Option<f64> {
        match self {
            Figure::Num(x) => Some(x),
            Figure::Maybe(x) => x,
            Figure::Count(n) => Some(n as f64),
            Figure::List(_) => None,
        }
    }

    /// The exact JSON value, as the summary has it.
    fn json(self) -> String {
        let v = match self {
            Figure::Num(x) => serde_json::json!(x),
            Figure::Maybe(x) => serde_json::json!(x),
            Figure::Count(n) => serde_json::json!(n),
            Figure::List(xs) => serde_json::json!(xs),
        };
        v.to_string()
    }
}

/// The indicator at a key path of [`INDICATORS`].
fn figure<'a>(i: &'a Indicators, key: &str) -> Figure<'a> {
    use Figure::*;
    match key {
        "converted_ha.green" => Num(i.converted_ha.green),
        "converted_ha.ecological" => Num(i.converted_ha.ecological),
        "converted_ha.cultural" => Num(i.converted_ha.cultural),
        "converted_ha.redevelop" => Num(i.converted_ha.redevelop),
        "cap_used_ha" => Num(i.cap_used_ha),
        "cap_used_pct" => Num(i.cap_used_pct),
        "construction_land_ha" => Num(i.construction_land_ha),
        "construction_land_change_ha" => Num(i.construction_land_change_ha),
        "residents" => Num(i.residents),
        "park_m2_per_resident" => Maybe(i.park_m2_per_resident),
        "park_service_coverage" => Maybe(i.park_service_coverage),
        "eco_patches" => Count(i.eco_patches),
        "eco_largest_patch_ha" => Num(i.eco_largest_patch_ha),
        "cultural_clusters" => Count(i.cultural_clusters),
        "cultural_cluster_ha" => List(&i.cultural_cluster_ha),
        "budget.cost" => Num(i.budget.cost),
        "budget.auction_revenue" => Num(i.budget.auction_revenue),
        _ => Num(i.budget.net_cost),
    }
}

/// A number with `digits` decimals; `—` when it is not finite (written as
/// `null` in the summary).
fn fixed(x: f64, digits: usize) -> String {
    if x.is_finite() {
        format!("{x:.digits$}")
    } else {
        "—".to_string()
    }
}

fn maybe(x: Option<f64>, digits: usize) -> String {
    x.map_or_else(|| "—".to_string(), |x| fixed(x, digits))
}

/// `120` for whole hectares, `42.5` otherwise.
fn fmt_cap(ha: f64) -> String {
    if (ha - ha.round()).abs() < 1e-9 {
        format!("{ha:.0}")
    } else {
        format!("{ha:.1}")
    }
}

/// The report's title: the city and, when the summary has it, the cap.
fn title(summary: &Summary) -> String {
    let city = if summary.city.is_empty() {
        "landstock plan"
    } else {
        summary.city.as_str()
    };
    let cap = summary.plan.cap_ha;
    if cap.is_finite() && cap > 0.0 {
        format!("{city} — cap {} ha", fmt_cap(cap))
    } else {
        city.to_string()
    }
}

/// The displayed text of one indicator value.
fn indicator_text(v: Figure<'_>, unit: Unit) -> String {
    match v {
        Figure::List([]) => "none".into(),
        Figure::List(items) => items
            .iter()
            .map(|&x| unit.format(x))
            .collect::<Vec<_>>()
            .join(", "),
        other => other
            .as_f64()
            .filter(|x| x.is_finite())
            .map_or("—".into(), |x| unit.format(x)),
    }
}

/// after − before for numbers, with its sign; `—` otherwise.
fn change(before: Figure<'_>, after: Figure<'_>, unit: Unit) -> (String, &'static str) {
    match (before.as_f64(), after.as_f64()) {
        (Some(b), Some(a)) if unit != Unit::HaList && b.is_finite() && a.is_finite() => {
            let d = a - b;
            let text = unit.format(d);
            // "-0.00" and "0.00" both mean no change at this precision
            if text
                .trim_start_matches('-')
                .chars()
                .all(|c| c == '0' || c == '.')
            {
                (unit.format(0.0), "")
            } else if d > 0.0 {
                (format!("+{text}"), "up")
            } else {
                (text, "down")
            }
        }
        _ => ("—".into(), ""),
    }
}

fn indicator_table(summary: &Summary) -> Markup {
    let (before, after) = (&summary.indicators.before, &summary.indicators.after);
    html! {
        table #indicators {
            thead { tr { th { "Indicator" } th { "Unit" } th { "Before" } th { "After" } th { "Change" } } }
            tbody {
                @for (key, label, unit) in INDICATORS {
                    @let (b, a) = (figure(before, key), figure(after, key));
                    @let (delta, class) = change(b, a, unit);
                    tr data-key=(key) {
                        td { (label) }
                        td { (unit.label()) }
                        td.num.before data-value=(b.json()) { (indicator_text(b, unit)) }
                        td.num.after data-value=(a.json()) { (indicator_text(a, unit)) }
                        td.num.change.(class) { (delta) }
                    }
                }
            }
        }
    }
}

/// The converted area per use after the plan, as a horizontal bar chart
/// written with the `svg` crate.
fn bar_chart(summary: &Summary) -> String {
    const LABEL_W: f64 = 110.0;
    const BAR_MAX_W: f64 = 300.0;
    const ROW_H: f64 = 30.0;
    let areas: Vec<(Use, f64)> = Use::CONVERSIONS
        .into_iter()
        .map(|u| {
            let c = &summary.indicators.after.converted_ha;
            let ha = match u {
                Use::Green => c.green,
                Use::Ecological => c.ecological,
                Use::Cultural => c.cultural,
                _ => c.redevelop,
            };
            let ha = if ha.is_finite() { ha } else { 0.0 };
            (u, ha)
        })
        .collect();
    let max = areas.iter().map(|(_, ha)| *ha).fold(0.0, f64::max);
    let height = ROW_H * areas.len() as f64 + 10.0;
    let width = LABEL_W + BAR_MAX_W + 110.0;
    let mut doc = Document::new()
        .set("id", "converted-by-use")
        .set("width", width)
        .set("height", height)
        .set("viewBox", (0.0, 0.0, width, height))
        .set("font-family", "DejaVu Sans, Arial, Helvetica, sans-serif")
        .set("font-size", 13);
    for (k, (u, ha)) in areas.iter().enumerate() {
        let y = 5.0 + k as f64 * ROW_H;
        let w = if max > 0.0 {
            (ha / max * BAR_MAX_W).max(0.0)
        } else {
            0.0
        };
        let w = (w * 10.0).round() / 10.0;
        doc = doc
            .add(Text::new(u.as_str()).set("x", 0).set("y", y + 17.0))
            .add(
                Rectangle::new()
                    .set("class", format!("bar bar-{}", u.as_str()))
                    .set("x", LABEL_W)
                    .set("y", y + 4.0)
                    .set("width", w)
                    .set("height", ROW_H - 10.0)
                    .set("fill", use_colour(*u).unwrap_or("#000000")),
            )
            .add(
                Text::new(format!("{ha:.2} ha"))
                    .set("x", LABEL_W + w + 6.0)
                    .set("y", y + 17.0),
            );
    }
    doc.to_string()
}

/// Why the plan is as it is: binding constraints, marginal values, and the
/// best parcels left out with what stopped them (the summary's `explanations`).
fn explanations_section(e: &ExplanationsSummary) -> Markup {
    let marginal = |m: &Option<MarginalSummary>| -> Option<String> {
        match m.as_ref()? {
            MarginalSummary::Failed { error } => Some(format!("not available: {error}")),
            MarginalSummary::Value {
                per_unit,
                unit,
                method,
                ..
            } => Some(format!("{} {unit} ({method})", fixed(*per_unit, 4))),
        }
    };
    let binding: Vec<&str> = e.binding.iter().map(String::as_str).collect();
    let left = &e.left_out;
    html! {
        section #explanations {
            h2 { "Why this plan" }
            table.explain {
                tr { th { "Binding constraints" } td { @if binding.is_empty() { "none" } @else { (binding.join("; ")) } } }
                @if let Some(m) = marginal(&e.marginal_value_of_cap) {
                    tr { th { "One more hectare of cap" } td.marginal-cap { (m) } }
                }
                @if let Some(m) = marginal(&e.marginal_value_of_budget) {
                    tr { th { "One more unit of budget" } td.marginal-budget { (m) } }
                }
            }
            @if !left.is_empty() {
                h3 { "Good parcels left out, and what stopped them" }
                table.left-out {
                    tr { th { "Parcel" } th { "Best use" } th { "Score" } th { "Benefit" } th { "Stopped by" } }
                    @for l in left {
                        tr {
                            td { (l.id) }
                            td { (l.best_use.as_deref().unwrap_or("—")) }
                            td.num { (maybe(l.best_score, 3)) }
                            td.num { (fixed(l.best_benefit, 3)) }
                            td { (l.stopped_by.join(", ")) }
                        }
                    }
                }
            }
        }
    }
}

/// Benefit and converted area against cap (the summary's `scenarios`): a
/// stacked column of converted hectares by use per cap, the objective written
/// above it, and the same figures as a table.
fn scenarios_section(rows: &[ScenarioSummary]) -> Markup {
    const COL_W: f64 = 70.0;
    const GAP: f64 = 30.0;
    const PLOT_H: f64 = 220.0;
    let area = |r: &ScenarioSummary, u: Use| match r {
        ScenarioSummary::Planned {
            converted_ha: c, ..
        } => match u {
            Use::Green => c.green,
            Use::Ecological => c.ecological,
            Use::Cultural => c.cultural,
            _ => c.redevelop,
        },
        ScenarioSummary::Failed { .. } => 0.0,
    };
    let max_ha = rows
        .iter()
        .map(|r| {
            Use::CONVERSIONS
                .into_iter()
                .map(|u| area(r, u))
                .sum::<f64>()
        })
        .fold(0.0, f64::max);
    let width = 60.0 + rows.len() as f64 * (COL_W + GAP);
    let height = PLOT_H + 60.0;
    let mut doc = Document::new()
        .set("id", "scenario-chart")
        .set("width", width)
        .set("height", height)
        .set("viewBox", (0.0, 0.0, width, height))
        .set("font-family", "DejaVu Sans, Arial, Helvetica, sans-serif")
        .set("font-size", 12);
    for (k, r) in rows.iter().enumerate() {
        let x = 40.0 + k as f64 * (COL_W + GAP);
        let mut y = 30.0 + PLOT_H;
        for u in Use::CONVERSIONS {
            let h = if max_ha > 0.0 {
                area(r, u) / max_ha * PLOT_H
            } else {
                0.0
            };
            let h = (h * 10.0).round() / 10.0;
            y -= h;
            doc = doc.add(
                Rectangle::new()
                    .set("class", format!("scenario-bar bar-{}", u.as_str()))
                    .set("x", x)
                    .set("y", y)
                    .set("width", COL_W)
                    .set("height", h)
                    .set("fill", use_colour(u).unwrap_or("#000000")),
            );
        }
        let label = match r {
            ScenarioSummary::Planned { objective, .. } => fixed(*objective, 2),
            ScenarioSummary::Failed { .. } => "no plan".into(),
        };
        doc = doc.add(Text::new(label).set("x", x).set("y", y - 6.0)).add(
            Text::new(format!("{} ha", maybe(r.cap_ha(), 1)))
                .set("x", x)
                .set("y", 30.0 + PLOT_H + 18.0),
        );
    }
    html! {
        section #scenarios {
            h2 { "Scenarios: benefit against cap" }
            p.note { "Columns: converted area by use (stacked); number above: objective (benefit + adjacency bonus)." }
            figure { (PreEscaped(doc.to_string())) }
            table.scenarios {
                tr { th { "Cap (ha)" } th { "Objective" } th { "Bound" } th { "Gap" } th { "Green (ha)" } th { "Ecological (ha)" } th { "Cultural (ha)" } th { "Redevelop (ha)" } }
                @for r in rows {
                    tr {
                        td.num { (maybe(r.cap_ha(), 1)) }
                        @match r {
                            ScenarioSummary::Failed { error, .. } => {
                                td colspan="7" { (error) }
                            }
                            ScenarioSummary::Planned { objective, bound, gap, .. } => {
                                td.num { (fixed(*objective, 4)) }
                                td.num { (fixed(*bound, 4)) }
                                td.num { (fixed(*gap, 5)) }
                                @for u in Use::CONVERSIONS {
                                    td.num { (format!("{:.2}", area(r, u))) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn solver_table(summary: &Summary) -> Markup {
    let f = &summary.solver;
    let rows: [(&str, &str, Value, String); 7] = [
        (
            "method",
            "Method",
            Value::from(f.method.as_str()),
            f.method.clone(),
        ),
        (
            "objective",
            "Objective",
            serde_json::json!(f.objective),
            fixed(f.objective, 4),
        ),
        (
            "bound",
            "Bound",
            serde_json::json!(f.bound),
            fixed(f.bound, 4),
        ),
        (
            "gap",
            "Relative gap",
            serde_json::json!(f.gap),
            fixed(f.gap, 5),
        ),
        (
            "seconds",
            "Seconds",
            serde_json::json!(f.seconds),
            fixed(f.seconds, 2),
        ),
        (
            "benefit",
            "Benefit",
            serde_json::json!(f.benefit),
            fixed(f.benefit, 4),
        ),
        (
            "adjacency_bonus",
            "Adjacency bonus",
            serde_json::json!(f.adjacency_bonus),
            fixed(f.adjacency_bonus, 4),
        ),
    ];
    let plan = &summary.plan;
    html! {
        table #solver {
            @for (key, label, value, text) in rows {
                tr data-key=(key) { th { (label) } td.num data-value=(value.to_string()) { (text) } }
            }
            tr { th { "Cap" } td.num { (fixed(plan.cap_ha, 2)) " ha" } }
            tr { th { "Candidates" } td.num { (plan.candidates) } }
            tr { th { "Converted parcels" } td.num { (plan.converted) } }
        }
    }
}

fn constraint_rows(list: &[&ConstraintRow]) -> Markup {
    html! {
        table.constraints {
            thead { tr { th { "Constraint" } th { "Description" } th { "Limit" } th { "Value" } th { "Slack" } } }
            tbody {
                @for c in list {
                    tr {
                        td { (c.name) }
                        td { (c.description) }
                        td.num { (fixed(c.limit, 2)) }
                        td.num { (fixed(c.value, 2)) }
                        td.num { (fixed(c.slack, 2)) }
                    }
                }
            }
        }
    }
}

fn constraints_section(summary: &Summary) -> Markup {
    let (binding, slack): (Vec<&ConstraintRow>, Vec<&ConstraintRow>) =
        summary.constraints.iter().partition(|c| c.binding);
    html! {
        @if binding.is_empty() {
            p.muted { "No constraint is binding." }
        } @else {
            div #binding-constraints { (constraint_rows(&binding)) }
        }
        @if !slack.is_empty() {
            details {
                summary { (slack.len()) " constraints with slack" }
                (constraint_rows(&slack))
            }
        }
    }
}

fn use_swatch(name: &str) -> Markup {
    let colour = Use::CONVERSIONS
        .into_iter()
        .find(|u| u.as_str() == name)
        .and_then(use_colour);
    html! {
        @if let Some(c) = colour {
            span.swatch style={ "background:" (c) } {}
        }
        (name)
    }
}

fn decisions_table(summary: &Summary) -> Markup {
    let decisions = &summary.decisions;
    html! {
        @if decisions.is_empty() {
            p.muted { "No decisions in the summary." }
        } @else {
            table #decisions {
                thead { tr { th { "#" } th { "Parcel" } th { "From" } th { "Use" } th { "Area (ha)" } th { "Score" } th { "Benefit" } th { "Reasons" } } }
                tbody {
                    @for (k, d) in decisions.iter().enumerate() {
                        tr {
                            td.num { (k + 1) }
                            td { (d.id) }
                            td { (d.from) }
                            td { (use_swatch(&d.use_)) }
                            td.num { (fixed(d.area_m2 / 10_000.0, 2)) }
                            td.num { (maybe(d.score, 3)) }
                            td.num { (fixed(d.benefit, 3)) }
                            td.reasons { (d.reasons) }
                        }
                    }
                }
            }
        }
    }
}

fn ingest_section(summary: &Summary) -> Markup {
    let ingest = &summary.ingest;
    let c = &ingest.counts;
    html! {
        table #ingest {
            @for (key, n) in [("total", c.total), ("accepted", c.accepted), ("repaired", c.repaired), ("rejected", c.rejected)] {
                tr data-key=(key) { th { (key) " features" } td.num { (n) } }
            }
            @if let Some(crs) = &ingest.working_crs {
                tr { th { "Working CRS" } td { (crs) } }
            }
        }
    }
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string())
}

/// A summary section the report has no dedicated layout for (`phases`, or
/// members of a newer summary kept in [`Summary::extra`]): its JSON, folded.
/// This is the extension point: give a member a renderer of its own and a
/// section in `write_report_html`.
///
/// ```
/// use landstock::output::report::extra_section;
/// let html = extra_section("scenarios", &serde_json::json!({"cap_80": {"objective": 1.5}})).into_string();
/// assert!(html.contains("<h2>scenarios</h2>"));
/// assert!(html.contains("&quot;objective&quot;: 1.5"));
/// ```
pub fn extra_section(key: &str, value: &Value) -> Markup {
    html! {
        section.extra data-key=(key) {
            h2 { (key) }
            details { summary { "JSON" } pre { (pretty(value)) } }
        }
    }
}

/// Writes the report for a summary (what `landstock plan --summary` writes,
/// SPEC §7) and the map's SVG text, which is inlined as it is (it must be SVG
/// written by landstock, not user text: it is not escaped). See the
/// [module docs](self) for the contents and an example.
pub fn write_report_html<W: Write>(mut w: W, summary: &Summary, map_svg: &str) -> io::Result<()> {
    let title = title(summary);
    let version = if summary.landstock_version.is_empty() {
        env!("CARGO_PKG_VERSION")
    } else {
        summary.landstock_version.as_str()
    };
    // sections without a layout of their own, by key
    let mut extras: BTreeMap<&str, Value> = summary
        .extra
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    if let Some(phases) = &summary.phases {
        extras.insert(
            "phases",
            serde_json::to_value(phases).map_err(io::Error::other)?,
        );
    }
    let config = serde_json::to_value(&summary.config).map_err(io::Error::other)?;
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(CSS)) }
            }
            body {
                h1 { (title) }
                p.meta {
                    "landstock " (version)
                    @if !summary.input.path.is_empty() {
                        " · input " code { (summary.input.path) }
                    }
                    @if let Some(sha) = &summary.input.sha256 {
                        " · SHA-256 " code { (sha) }
                    }
                }
                h2 { "Map" }
                figure #map { (PreEscaped(map_svg)) }
                h2 { "Indicators before and after the plan" }
                (indicator_table(summary))
                div.grid {
                    section {
                        h2 { "Converted area by use" }
                        figure #chart { (PreEscaped(bar_chart(summary))) }
                    }
                    section {
                        h2 { "Solver" }
                        (solver_table(summary))
                    }
                    section {
                        h2 { "Ingest" }
                        (ingest_section(summary))
                    }
                }
                h2 { "Binding constraints" }
                (constraints_section(summary))
                @if let Some(e) = &summary.explanations {
                    (explanations_section(e))
                }
                @if let Some(rows) = &summary.scenarios {
                    (scenarios_section(rows))
                }
                h2 { "Top decisions" }
                (decisions_table(summary))
                @for (key, value) in &extras {
                    (extra_section(key, value))
                }
                h2 { "Configuration" }
                details { summary { "Effective configuration (JSON)" } pre { (pretty(&config)) } }
            }
        }
    };
    w.write_all(page.into_string().as_bytes())?;
    w.flush()
}
