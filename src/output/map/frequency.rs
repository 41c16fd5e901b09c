//! The selection-frequency map of alternative plans: one panel, every
//! parcel drawn, candidates shaded by how many of the K plans convert them
//! (white: none; darkest green: all), the rest in light grey.

use svg::node::element::{Group, Path, Rectangle, Title};
use svg::Document;

use super::{parcel_data, round1, text, MapLayout, MapOptions, FONT, FONT_CJK, MARGIN_PX};
use crate::output::Lang;
use crate::stock::ParcelStock;

/// The fill of a candidate converted in `n` of `k` plans: white to dark green.
fn shade(n: usize, k: usize) -> String {
    let t = if k == 0 { 0.0 } else { n as f64 / k as f64 };
    // from #ffffff to #00441b
    let c = |hi: f64, lo: f64| (hi + (lo - hi) * t).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        c(255.0, 0.0),
        c(255.0, 68.0),
        c(255.0, 27.0)
    )
}

/// The map as an SVG document. `selected_in[i]` is, for stock parcel `i`,
/// `Some(n)` when it is a candidate converted in `n` of the `k` plans and
/// `None` when it is not a candidate.
///
/// ```
/// use geo::{polygon, MultiPolygon};
/// use landstock::output::map::{frequency_svg, MapOptions};
/// use landstock::{LandUse, Parcel, Status, stock::ParcelStock};
/// let sq = |x: f64| MultiPolygon(vec![polygon![(x: x, y: 0.), (x: x + 100., y: 0.),
///     (x: x + 100., y: 100.), (x: x, y: 100.)]]);
/// let stock = ParcelStock::new(vec![
///     Parcel::new("a", sq(0.), LandUse::Vacant, Status::Active),
///     Parcel::new("b", sq(200.), LandUse::Vacant, Status::Active),
/// ]);
/// let svg = frequency_svg(&stock, &[Some(5), Some(0)], 5, &MapOptions::default());
/// assert!(svg.contains(r##"fill="#00441b""##), "a: in all 5 plans");
/// assert!(svg.contains("a: in 5 of 5 plans"));
/// ```
pub fn frequency_svg(
    stock: &ParcelStock,
    selected_in: &[Option<usize>],
    k: usize,
    opts: &MapOptions,
) -> String {
    let layout = MapLayout::new(stock, opts);
    let lang = opts.lang;
    let mut others = Group::new()
        .set("id", "landstock-non-candidates")
        .set("fill", "#e4e4e4")
        .set("fill-rule", "evenodd");
    let mut by_count: Vec<Vec<usize>> = vec![Vec::new(); k + 1];
    for (i, p) in stock.parcels().iter().enumerate() {
        match selected_in.get(i).copied().flatten() {
            Some(n) => by_count[n.min(k)].push(i),
            None => others = others.add(Path::new().set("d", parcel_data(&layout, &p.geometry))),
        }
    }
    let mut cands = Group::new()
        .set("id", "landstock-selection-frequency")
        .set("stroke", "#606060")
        .set("stroke-width", 0.4)
        .set("fill-rule", "evenodd");
    for (n, members) in by_count.iter().enumerate() {
        if members.is_empty() {
            continue;
        }
        let mut g = Group::new()
            .set("class", format!("selected-in-{n}"))
            .set("fill", shade(n, k));
        for &i in members {
            let p = stock.get(i);
            let label = match lang {
                Lang::Zh => format!("{}：{k} 个方案中的 {n} 个", p.id),
                _ => format!("{}: in {n} of {k} plans", p.id),
            };
            g = g.add(
                Path::new()
                    .set("d", parcel_data(&layout, &p.geometry))
                    .add(Title::new(label)),
            );
        }
        cands = cands.add(g);
    }
    // one panel: the width of the "before" panel and its margins
    let width = 2.0 * MARGIN_PX + layout.panel_w_px;
    let legend_y = layout.panels_top_px + layout.panel_h_px + 24.0;
    let height = legend_y + 30.0;
    let title = match lang {
        Lang::Zh => format!("{}：{k} 个备选方案中各地块的入选次数", opts.city),
        _ => format!(
            "{}: how many of {k} alternative plans convert each parcel",
            opts.city
        ),
    };
    let mut doc = Document::new()
        .set("width", round1(width))
        .set("height", round1(height))
        .set("viewBox", (0.0, 0.0, round1(width), round1(height)))
        .set(
            "font-family",
            if lang == Lang::Zh { FONT_CJK } else { FONT },
        )
        .add(
            Rectangle::new()
                .set("width", "100%")
                .set("height", "100%")
                .set("fill", "#ffffff"),
        )
        .add(text(MARGIN_PX, 30.0, 18.0, &title).set("font-weight", "bold"))
        .add(others)
        .add(cands);
    for n in 0..=k {
        let x = MARGIN_PX + 46.0 * n as f64;
        doc = doc
            .add(
                Rectangle::new()
                    .set("x", x)
                    .set("y", legend_y)
                    .set("width", 16)
                    .set("height", 12)
                    .set("fill", shade(n, k))
                    .set("stroke", "#606060")
                    .set("stroke-width", 0.5),
            )
            .add(text(x + 20.0, legend_y + 10.5, 11.0, &n.to_string()));
    }
    doc.to_string()
}
