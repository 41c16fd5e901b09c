//! The report's "why this plan" (binding constraints, marginal values,
//! good parcels left out) and scenario (benefit against cap) sections.

use maud::{html, Markup, PreEscaped};
use svg::node::element::{Rectangle, Text};
use svg::Document;

use super::super::map::use_colour;
use super::super::summary::{ExplanationsSummary, MarginalSummary, ScenarioSummary};
use super::super::Lang;
use super::{fixed, maybe};
use crate::uses::Use;

/// Why the plan is as it is: binding constraints, marginal values, and the
/// best parcels left out with what stopped them (the summary's `explanations`).
pub(super) fn explanations_section(e: &ExplanationsSummary, lang: Lang) -> Markup {
    let t = |s: &'static str| lang.text(s);
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
            h2 { (t("Why this plan")) }
            table.explain {
                tr { th { (t("Binding constraints")) } td { @if binding.is_empty() { (t("none")) } @else { (binding.join("; ")) } } }
                @if let Some(m) = marginal(&e.marginal_value_of_cap) {
                    tr { th { (t("One more hectare of cap")) } td.marginal-cap { (m) } }
                }
                @if let Some(m) = marginal(&e.marginal_value_of_budget) {
                    tr { th { (t("One more unit of budget")) } td.marginal-budget { (m) } }
                }
            }
            @if !left.is_empty() {
                h3 { (t("Good parcels left out, and what stopped them")) }
                table.left-out {
                    tr { th { (t("Parcel")) } th { (t("Best use")) } th { (t("Score")) } th { (t("Benefit")) } th { (t("Stopped by")) } }
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
pub(super) fn scenarios_section(rows: &[ScenarioSummary], lang: Lang) -> Markup {
    let t = |s: &'static str| lang.text(s);
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
            h2 { (t("Scenarios: benefit against cap")) }
            p.note { (t("Columns: converted area by use (stacked); number above: objective (benefit + adjacency bonus).")) }
            figure { (PreEscaped(doc.to_string())) }
            table.scenarios {
                tr { th { (t("Cap (ha)")) } th { (t("Objective")) } th { (t("Bound")) } th { (t("Gap")) } th { (t("Green (ha)")) } th { (t("Ecological (ha)")) } th { (t("Cultural (ha)")) } th { (t("Redevelop (ha)")) } }
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
