//! The report's indicator table (every SPEC §6 key before and after, with
//! its unit and change) and the bar chart of converted area by use.

use maud::{html, Markup};
use svg::node::element::{Rectangle, Text};
use svg::Document;

use super::super::map::use_colour;
use super::super::summary::Summary;
use super::super::Lang;
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

pub(super) fn indicator_table(summary: &Summary, l: Lang) -> Markup {
    let (before, after) = (&summary.indicators.before, &summary.indicators.after);
    html! {
        table #indicators {
            thead { tr { th { (l.text("Indicator")) } th { (l.text("Unit")) } th { (l.text("Before")) } th { (l.text("After")) } th { (l.text("Change")) } } }
            tbody {
                @for (key, label, unit) in INDICATORS {
                    @let (b, a) = (figure(before, key), figure(after, key));
                    @let (delta, class) = change(b, a, unit);
                    tr data-key=(key) {
                        td { (l.text(label)) }
                        td { (l.text(unit.label())) }
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
pub(super) fn bar_chart(summary: &Summary, l: Lang) -> String {
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
        .set(
            "font-family",
            "DejaVu Sans, Arial, Helvetica, Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif",
        )
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
            .add(Text::new(l.use_name(*u)).set("x", 0).set("y", y + 17.0))
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
                Text::new(format!("{ha:.2} {}", l.text("ha")))
                    .set("x", LABEL_W + w + 6.0)
                    .set("y", y + 17.0),
            );
    }
    doc.to_string()
}
