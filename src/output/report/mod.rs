//! The HTML report (SPEC §7): one self-contained file a planner opens in a
//! browser, with no network access at all (inline CSS and SVG, no scripts, no
//! web fonts). It shows, from the typed [`Summary`] and the map:
//!
//! 1. the title (city and cap) and where the input came from;
//! 2. the map (the SVG of [`map_svg`](super::map::map_svg), inlined; above
//!    50,000 parcels a PNG of it, see [`report_map`](super::map::report_map));
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

mod beyond;
mod indicators;
mod why;

use super::map::use_colour;
use super::summary::{ConstraintRow, LandBalance, Summary};
use super::Lang;
use crate::parcel::LandUse;
use crate::uses::Use;
use indicators::{bar_chart, indicator_table};
use why::{explanations_section, scenarios_section};

const CSS: &str = r#"
body { font-family: "DejaVu Sans", Arial, Helvetica, "Noto Sans CJK SC", "WenQuanYi Micro Hei", "PingFang SC", "Microsoft YaHei", sans-serif; margin: 24px auto; max-width: 1360px; color: #222; padding: 0 16px; }
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

/// A number with `digits` decimals; `—` when it is not finite (written as
/// `null` in the summary).
pub(super) fn fixed(x: f64, digits: usize) -> String {
    if x.is_finite() {
        format!("{x:.digits$}")
    } else {
        "—".to_string()
    }
}

pub(super) fn maybe(x: Option<f64>, digits: usize) -> String {
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
fn title(summary: &Summary, l: Lang) -> String {
    let city = if summary.city.is_empty() {
        l.text("landstock plan")
    } else {
        summary.city.as_str()
    };
    let cap = summary.plan.cap_ha;
    if cap.is_finite() && cap > 0.0 {
        match l {
            Lang::Zh => format!("{city} — 规模上限 {} 公顷", fmt_cap(cap)),
            _ => format!("{city} — cap {} ha", fmt_cap(cap)),
        }
    } else {
        city.to_string()
    }
}

/// The land-use balance table (用地平衡表): every class before and after.
fn balance_section(b: &LandBalance, l: Lang) -> Markup {
    let name = |class: &str| {
        LandUse::ALL
            .iter()
            .find(|c| c.as_str() == class)
            .map_or(class.to_string(), |&c| l.class_name(c).to_string())
    };
    html! {
        table #balance {
            thead { tr {
                th { (l.text("class")) }
                th { (l.text("area before (ha)")) } th { (l.text("share before")) }
                th { (l.text("area after (ha)")) } th { (l.text("share after")) }
                th { (l.text("change (ha)")) }
            } }
            tbody {
                @for r in &b.rows {
                    tr data-key=(r.class) {
                        th { (name(&r.class)) }
                        td.num data-value=(serde_json::json!(r.before_ha).to_string()) { (fixed(r.before_ha, 2)) }
                        td.num { (fixed(r.before_pct, 2)) " %" }
                        td.num data-value=(serde_json::json!(r.after_ha).to_string()) { (fixed(r.after_ha, 2)) }
                        td.num { (fixed(r.after_pct, 2)) " %" }
                        td.num { (fixed(r.change_ha, 2)) }
                    }
                }
                tr data-key="total" {
                    th { (l.text("total")) }
                    td.num { (fixed(b.total_ha, 2)) } td.num { "100.00 %" }
                    td.num { (fixed(b.total_ha, 2)) } td.num { "100.00 %" }
                    td.num { "0.00" }
                }
            }
        }
        p.meta { (l.text("Areas measured")) ": " (l.text(area_word(&b.area))) }
    }
}

fn area_word(a: &str) -> &'static str {
    match a {
        "ellipsoidal" => "ellipsoidal",
        _ => "planar",
    }
}

fn solver_table(summary: &Summary, l: Lang) -> Markup {
    let f = &summary.solver;
    let rows: [(&str, &str, Value, String); 8] = [
        (
            "method",
            "Method",
            Value::from(f.method.as_str()),
            f.method.clone(),
        ),
        (
            "status",
            "Status",
            Value::from(f.status.as_str()),
            f.status.clone(),
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
                tr data-key=(key) { th { (l.text(label)) } td.num data-value=(value.to_string()) { (text) } }
            }
            tr { th { (l.text("Cap")) } td.num { (fixed(plan.cap_ha, 2)) " " (l.text("ha")) } }
            tr { th { (l.text("Candidates")) } td.num { (plan.candidates) } }
            tr { th { (l.text("Converted parcels")) } td.num { (plan.converted) } }
        }
    }
}

fn constraint_rows(list: &[&ConstraintRow], l: Lang) -> Markup {
    html! {
        table.constraints {
            thead { tr { th { (l.text("Constraint")) } th { (l.text("Description")) } th { (l.text("Limit")) } th { (l.text("Value")) } th { (l.text("Slack")) } } }
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

fn constraints_section(summary: &Summary, l: Lang) -> Markup {
    let (binding, slack): (Vec<&ConstraintRow>, Vec<&ConstraintRow>) =
        summary.constraints.iter().partition(|c| c.binding);
    html! {
        @if binding.is_empty() {
            p.muted { (l.text("No constraint is binding.")) }
        } @else {
            div #binding-constraints { (constraint_rows(&binding, l)) }
        }
        @if !slack.is_empty() {
            details {
                summary { (slack.len()) " " (l.text("constraints with slack")) }
                (constraint_rows(&slack, l))
            }
        }
    }
}

fn use_swatch(name: &str, l: Lang) -> Markup {
    let found = Use::ALL.into_iter().find(|u| u.as_str() == name);
    let colour = found.and_then(use_colour);
    html! {
        @if let Some(c) = colour {
            span.swatch style={ "background:" (c) } {}
        }
        (found.map_or(name, |u| l.use_name(u)))
    }
}

/// A class name as the summary writes it, in the report's language.
fn class_word(name: &str, l: Lang) -> &str {
    LandUse::ALL
        .iter()
        .find(|c| c.as_str() == name)
        .map_or(name, |&c| l.class_name(c))
}

fn decisions_table(summary: &Summary, l: Lang) -> Markup {
    let decisions = &summary.decisions;
    html! {
        @if decisions.is_empty() {
            p.muted { (l.text("No decisions in the summary.")) }
        } @else {
            table #decisions {
                thead { tr { th { "#" } th { (l.text("Parcel")) } th { (l.text("From")) } th { (l.text("Use")) } th { (l.text("Area (ha)")) } th { (l.text("Score")) } th { (l.text("Benefit")) } th { (l.text("Reasons")) } } }
                tbody {
                    @for (k, d) in decisions.iter().enumerate() {
                        tr {
                            td.num { (k + 1) }
                            td { (d.id) }
                            td { (class_word(&d.from, l)) }
                            td { (use_swatch(&d.use_, l)) }
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

fn ingest_section(summary: &Summary, l: Lang) -> Markup {
    let ingest = &summary.ingest;
    let c = &ingest.counts;
    html! {
        table #ingest {
            @for (key, n, label) in [("total", c.total, "total features"), ("accepted", c.accepted, "accepted features"), ("repaired", c.repaired, "repaired features"), ("rejected", c.rejected, "rejected features")] {
                tr data-key=(key) { th { (l.text(label)) } td.num { (n) } }
            }
            @if let Some(crs) = &ingest.working_crs {
                tr { th { (l.text("Working CRS")) } td { (crs) } }
            }
            @if !summary.input.area.is_empty() {
                tr data-key="area" { th { (l.text("Areas measured")) } td { (l.text(area_word(&summary.input.area))) } }
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
/// SPEC §7) and the map's markup, which is inlined as it is (it must be the
/// SVG written by landstock, or [`report_map`](super::map::report_map)'s
/// `<img>`, not user text: it is not escaped). See the
/// [module docs](self) for the contents and an example.
pub fn write_report_html<W: Write>(w: W, summary: &Summary, map_svg: &str) -> io::Result<()> {
    write_report_html_in(w, summary, map_svg, Lang::En)
}

/// [`write_report_html`] in a language: `Lang::Zh` gives Chinese headings,
/// labels, class and use names (the numbers, ids, reasons and the
/// configuration stay as the summary has them).
///
/// ```
/// use landstock::output::{report::write_report_html_in, summary::Summary, Lang};
/// let summary: Summary = serde_json::from_value(serde_json::json!({
///     "city": "大庆", "plan": {"cap_ha": 120.0}})).unwrap();
/// let mut html = Vec::new();
/// write_report_html_in(&mut html, &summary, "<svg></svg>", Lang::Zh).unwrap();
/// let html = String::from_utf8(html).unwrap();
/// assert!(html.contains(r#"<html lang="zh-CN">"#));
/// assert!(html.contains("<title>大庆 — 规模上限 120 公顷</title>"));
/// assert!(html.contains("<h2>规划前后指标</h2>"));
/// ```
pub fn write_report_html_in<W: Write>(
    w: W,
    summary: &Summary,
    map_svg: &str,
    l: Lang,
) -> io::Result<()> {
    write_report_html_with(w, summary, map_svg, None, l)
}

/// [`write_report_html_in`] with the selection-frequency map of
/// alternative plans ([`frequency_svg`](super::map::frequency_svg)), shown
/// in the alternatives section when the summary has one.
///
/// ```
/// use landstock::output::{report::write_report_html_with, summary::Summary, Lang};
/// let summary: Summary = serde_json::from_value(serde_json::json!({
///     "plan": {"cap_ha": 10.0},
///     "alternatives": {"requested": 2, "within": 0.01, "differ_ha": 5.0,
///         "plans": [{"plan": 0, "objective": 3.0}, {"plan": 1, "objective": 2.99}]}})).unwrap();
/// let mut html = Vec::new();
/// write_report_html_with(&mut html, &summary, "<svg></svg>", Some("<svg id=\"f\"></svg>"), Lang::En).unwrap();
/// let html = String::from_utf8(html).unwrap();
/// assert!(html.contains(r#"<figure id="frequency-map"><svg id="f"></svg></figure>"#));
/// assert!(html.contains("<h2>Alternative plans</h2>"));
/// ```
pub fn write_report_html_with<W: Write>(
    mut w: W,
    summary: &Summary,
    map_svg: &str,
    frequency_svg: Option<&str>,
    l: Lang,
) -> io::Result<()> {
    let title = title(summary, l);
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
        html lang=(l.code()) {
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
                        " · " (l.text("input")) " " code { (summary.input.path) }
                    }
                    @if let Some(sha) = &summary.input.sha256 {
                        " · SHA-256 " code { (sha) }
                    }
                }
                h2 { (l.text("Map")) }
                figure #map { (PreEscaped(map_svg)) }
                h2 { (l.text("Indicators before and after the plan")) }
                (indicator_table(summary, l))
                @if let Some(b) = &summary.balance {
                    h2 { (l.text("Land-use balance")) }
                    (balance_section(b, l))
                }
                div.grid {
                    section {
                        h2 { (l.text("Converted area by use")) }
                        figure #chart { (PreEscaped(bar_chart(summary, l))) }
                    }
                    section {
                        h2 { (l.text("Solver")) }
                        (solver_table(summary, l))
                    }
                    section {
                        h2 { (l.text("Ingest")) }
                        (ingest_section(summary, l))
                    }
                }
                @if let Some(r) = &summary.irreplaceability {
                    (beyond::irreplaceable_section(r, l))
                }
                h2 { (l.text("Binding constraints")) }
                (constraints_section(summary, l))
                @if let Some(e) = &summary.explanations {
                    (explanations_section(e, l))
                }
                @if let Some(rows) = &summary.scenarios {
                    (scenarios_section(rows, l))
                }
                @if let Some(a) = &summary.alternatives {
                    (beyond::alternatives_section(a, frequency_svg, l))
                }
                @if let Some(r) = &summary.robustness {
                    (beyond::robustness_section(r, l))
                }
                @if let Some(r) = &summary.remediation {
                    (beyond::remediation_section(r, l))
                }
                h2 { (l.text("Top decisions")) }
                (decisions_table(summary, l))
                @for (key, value) in &extras {
                    (extra_section(key, value))
                }
                h2 { (l.text("Configuration")) }
                details { summary { (l.text("Effective configuration (JSON)")) } pre { (pretty(&config)) } }
            }
        }
    };
    w.write_all(page.into_string().as_bytes())?;
    w.flush()
}
