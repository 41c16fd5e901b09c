//! The report's sections for issue 18: the plan that survives a weak land
//! market beside the plain plan (`robustness`), remediation by end use
//! (`remediation`), alternative plans with their frequency map
//! (`alternatives`), the parcels the plan cannot do without
//! (`irreplaceability`).

use maud::{html, Markup, PreEscaped};

use super::super::summary::{
    AlternativesSummary, IrreplaceabilitySummary, RemediationSummary, RobustnessSummary,
};
use super::super::Lang;
use super::{fixed, maybe};
use crate::indicators::ConvertedHa;

fn total(c: &ConvertedHa) -> f64 {
    c.green + c.ecological + c.cultural + c.redevelop
}

/// The robust plan and the plain plan side by side: objective, converted
/// area, auction revenue, money left as expected and if auctions fall
/// short, per phase when phased; the price of robustness in words.
pub(super) fn robustness_section(r: &RobustnessSummary, lang: Lang) -> Markup {
    let t = |s: &'static str| lang.text(s);
    let pct = fixed(100.0 * r.revenue_shortfall, 0);
    html! {
        section #robustness {
            h2 { (t("A plan that survives a weak land market")) }
            p {
                (t("Auctions may bring")) " " (pct) " % " (t("less than expected; the plan's money stays non-negative in every phase if they do. Price of robustness:"))
                " " strong.price data-value=(serde_json::json!(r.price).to_string()) { (fixed(r.price, 4)) }
                " (" (fixed(100.0 * r.price_share, 2)) " % " (t("of the plain plan's objective")) "), "
                (r.parcels_changed) " " (t("parcels decided differently")) "."
            }
            table.robustness {
                tr { th {} th { (t("robust plan")) } th { (t("plain plan")) } }
                tr { th { (t("Objective")) } td.num { (fixed(r.objective, 4)) } td.num { (fixed(r.plain_objective, 4)) } }
                tr { th { (t("Converted area (ha)")) } td.num { (fixed(total(&r.converted_ha), 2)) } td.num { (fixed(total(&r.plain_converted_ha), 2)) } }
                tr { th { (t("Auctioned area (ha)")) } td.num { (fixed(r.converted_ha.redevelop, 2)) } td.num { (fixed(r.plain_converted_ha.redevelop, 2)) } }
                tr { th { (t("Expected auction revenue")) } td.num { (fixed(r.auction_revenue, 0)) } td.num { (fixed(r.plain_auction_revenue, 0)) } }
                tr.if-short { th { (t("Money left if auctions fall short")) } td.num { (fixed(r.money_left_if_short, 0)) } td.num { (fixed(r.plain_money_left_if_short, 0)) } }
            }
            @if !r.phases.is_empty() {
                table.robust-phases {
                    tr { th { (t("Phase")) } th { (t("robust: cash after")) } th { (t("robust: if auctions fall short")) } th { (t("plain: cash after")) } th { (t("plain: if auctions fall short")) } }
                    @for p in &r.phases {
                        tr {
                            td.num { (p.phase) }
                            td.num { (maybe(p.cash_after, 0)) }
                            td.num { (maybe(p.cash_after_if_short, 0)) }
                            td.num { (maybe(p.plain_cash_after, 0)) }
                            td.num { (maybe(p.plain_cash_after_if_short, 0)) }
                        }
                    }
                }
            }
        }
    }
}

/// Remediation by end use: per target use, its GB 36600-2018 category and
/// the contaminated parcels converted to it, with their cost.
pub(super) fn remediation_section(r: &RemediationSummary, lang: Lang) -> Markup {
    let t = |s: &'static str| lang.text(s);
    let cat = |c: &str| match c {
        "type1" => t("Type I (stricter)"),
        "type2" => t("Type II"),
        _ => t("none"),
    };
    html! {
        section #remediation {
            h2 { (t("Remediation by end use (GB 36600-2018)")) }
            p.muted {
                (t("Contaminated sites are cleaned to the screening values of the target use's land category: Type I (housing, schools, hospitals, community and children's parks) or Type II (industry, logistics, roads, other green space). Cost per m²:"))
                " Type I " (fixed(r.type1_per_m2, 0)) ", Type II " (fixed(r.type2_per_m2, 0)) "."
            }
            table.remediation {
                tr { th { (t("Use")) } th { (t("Category")) } th { (t("Contaminated parcels")) } th { (t("Area (ha)")) } th { (t("Remediation cost")) } th { (t("by site-class rule")) } }
                @for row in &r.rows {
                    tr data-key=(row.use_) {
                        td { (row.use_) } td { (cat(&row.category)) }
                        td.num { (row.parcels) } td.num { (fixed(row.area_ha, 2)) }
                        td.num { (fixed(row.cost, 0)) } td.num { (row.by_site_class) }
                    }
                }
            }
            @if r.parcels_with_forbidden_uses > 0 {
                p { (r.parcels_with_forbidden_uses) " " (t("contaminated candidates may not take some uses (site-class rules).")) }
            }
        }
    }
}

/// Alternative plans: each plan's objective, distance to the optimum and
/// differences; the selection-frequency map (when given) and the parcels
/// converted in some plans but not all.
pub(super) fn alternatives_section(
    a: &AlternativesSummary,
    frequency_svg: Option<&str>,
    lang: Lang,
) -> Markup {
    let t = |s: &'static str| lang.text(s);
    let k = a.plans.len();
    html! {
        section #alternatives {
            h2 { (t("Alternative plans")) }
            p {
                (k) " " (t("plans, each within")) " " (fixed(100.0 * a.within, 2)) " % "
                (t("of the optimum and differing from every other on at least")) " " (fixed(a.differ_ha, 2)) " ha. "
                (a.in_every_plan) " " (t("parcels are converted in every plan,")) " "
                (a.in_some_plans) " " (t("in some but not all.")) " "
            }
            @if let Some(why) = &a.stopped { p.muted { (t("Fewer than asked for:")) " " (why) } }
            p.muted { (t("Method:")) " " (a.method) }
            table.alternatives {
                tr { th { (t("Plan")) } th { (t("Objective")) } th { (t("below the optimum")) } th { (t("Converted area (ha)")) } th { (t("differs from plan 0 (ha)")) } th { (t("least difference (ha)")) } th { (t("Solver")) } }
                @for p in &a.plans {
                    tr {
                        td.num { (p.plan) }
                        td.num { (fixed(p.objective, 4)) }
                        td.num { (fixed(100.0 * p.below_optimum_share, 3)) " %" }
                        td.num { (fixed(total(&p.converted_ha), 2)) }
                        td.num { (fixed(p.differs_from_optimum_ha, 2)) }
                        td.num { (fixed(p.min_difference_ha, 2)) }
                        td { (p.method) }
                    }
                }
            }
            @if let Some(svg) = frequency_svg {
                figure #frequency-map { (PreEscaped(svg)) }
            }
            @let flexible: Vec<_> = a.frequency.iter().filter(|f| f.selected_in < k).collect();
            @if !flexible.is_empty() {
                h3 { (t("Parcels some plans convert and others do not")) }
                table.frequency {
                    tr { th { (t("Parcel")) } th { (t("plans converting it")) } th { (t("as")) } }
                    @for f in flexible.iter().take(40) {
                        tr {
                            td { (f.id) }
                            td.num { (f.selected_in) " / " (k) }
                            td { (f.selected_as.iter().map(|(u, n)| format!("{u} {n}")).collect::<Vec<_>>().join(", ")) }
                        }
                    }
                }
            }
        }
    }
}

/// Irreplaceability: the parcels the plan cannot do without first (no plan
/// without them, then the largest losses), then the good parcels left out
/// and what forcing each in would change.
pub(super) fn irreplaceable_section(r: &IrreplaceabilitySummary, lang: Lang) -> Markup {
    let t = |s: &'static str| lang.text(s);
    let change = |row: &super::super::summary::IrreplaceableRow| match row.delta {
        Some(d) => fixed(d, 4),
        None if IrreplaceabilitySummary::no_plan_without(row) => {
            t("no plan without it").to_string()
        }
        None => t("no plan found").to_string(),
    };
    let interval =
        |row: &super::super::summary::IrreplaceableRow| match (row.delta_lo, row.delta_hi) {
            (Some(lo), Some(hi)) => format!("[{}, {}]", fixed(lo, 4), fixed(hi, 4)),
            _ => String::new(),
        };
    let chosen: Vec<_> = r.parcels.iter().filter(|p| p.role == "chosen").collect();
    let left: Vec<_> = r.parcels.iter().filter(|p| p.role == "left_out").collect();
    html! {
        section #irreplaceability {
            h2 { (t("Parcels the plan cannot do without")) }
            p {
                (r.irreplaceable) " " (t("of the")) " " (r.chosen_tested) " "
                (t("converted parcels cannot be replaced without loss: locked out, the best plan without them is worse."))
            }
            p.muted { (t("Method:")) " " (r.method) }
            table.irreplaceable {
                tr { th { (t("Parcel")) } th { (t("Use")) } th { (t("objective change if locked out")) } th { (t("proven interval")) } }
                @for row in chosen.iter().take(40) {
                    tr.needed[row.irreplaceable] data-key=(row.id) {
                        td { (row.id) } td { (row.use_) }
                        td.num { (change(row)) } td.num { (interval(row)) }
                    }
                }
            }
            @if !left.is_empty() {
                h3 { (t("Good parcels left out: what forcing each in would change")) }
                table.left-out {
                    tr { th { (t("Parcel")) } th { (t("locked in as")) } th { (t("objective change if locked in")) } th { (t("proven interval")) } }
                    @for row in left.iter().take(40) {
                        tr data-key=(row.id) {
                            td { (row.id) } td { (row.locked_as.as_deref().unwrap_or("")) }
                            td.num { (change(row)) } td.num { (interval(row)) }
                        }
                    }
                }
            }
        }
    }
}
