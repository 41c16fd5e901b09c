//! Drawing pieces: parcel outlines as path data, text, the scale bar's
//! length and label, and the legend.

use super::*;

/// A parcel's outline as path data: per ring an absolute move, then relative
/// lines between vertices rounded to 0.1 px (repeats after rounding dropped),
/// closed. Relative steps are differences of rounded values, so no rounding
/// error accumulates.
pub(super) fn parcel_data(layout: &MapLayout, mp: &MultiPolygon<f64>) -> Data {
    let mut data = Data::new();
    let ring = |data: Data, ls: &LineString<f64>| -> Data {
        let mut pts: Vec<(i64, i64)> = Vec::with_capacity(ls.0.len());
        for c in &ls.0 {
            let p = layout.to_decipx(*c);
            if pts.last() != Some(&p) {
                pts.push(p);
            }
        }
        if pts.len() > 1 && pts.first() == pts.last() {
            pts.pop();
        }
        let Some(&(x0, y0)) = pts.first() else {
            return data;
        };
        let mut data = data.move_to((x0 as f32 / 10.0, y0 as f32 / 10.0));
        let mut prev = (x0, y0);
        let mut steps: Vec<f32> = Vec::with_capacity(2 * pts.len());
        for &(x, y) in &pts[1..] {
            steps.push((x - prev.0) as f32 / 10.0);
            steps.push((y - prev.1) as f32 / 10.0);
            prev = (x, y);
        }
        if !steps.is_empty() {
            data = data.line_by(steps);
        }
        data.close()
    };
    for poly in &mp.0 {
        data = ring(data, poly.exterior());
        for hole in poly.interiors() {
            data = ring(data, hole);
        }
    }
    data
}

pub(super) fn text(x: f64, y: f64, size_px: f64, content: &str) -> Text {
    Text::new(content)
        .set("x", round1(x))
        .set("y", round1(y))
        .set("font-size", size_px)
}

pub(super) fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// A length for the scale bar: 1, 2 or 5 × 10^k metres, the largest of them
/// not longer than `max_m`.
///
/// ```
/// use landstock::output::map::nice_scale_m;
/// assert_eq!(nice_scale_m(1234.0), 1000.0);
/// assert_eq!(nice_scale_m(499.0), 200.0);
/// assert_eq!(nice_scale_m(7.0), 5.0);
/// ```
pub fn nice_scale_m(max_m: f64) -> f64 {
    if !(max_m.is_finite() && max_m > 0.0) {
        return 1.0;
    }
    let magnitude = 10f64.powf(max_m.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|f| f * magnitude)
        .find(|len| *len <= max_m * (1.0 + 1e-12))
        .unwrap_or(magnitude)
}

/// `500 m`, `2 km`, `1.5 km`.
pub(super) fn scale_label(len_m: f64) -> String {
    if len_m >= 1000.0 {
        format!("{} km", len_m / 1000.0)
    } else if len_m >= 1.0 {
        format!("{len_m:.0} m")
    } else {
        format!("{len_m} m")
    }
}

pub(super) fn fmt_area_ha(ha: f64) -> String {
    if ha >= 100.0 {
        format!("{ha:.0}")
    } else {
        format!("{ha:.1}")
    }
}

/// Scale bar and north arrow, then the class swatches, then the use swatches
/// with what each use received.
pub(super) fn legend(
    mut doc: Document,
    layout: &MapLayout,
    by_use: &[Vec<usize>],
    stock: &ParcelStock,
    lang: Lang,
) -> Document {
    let top = layout.legend_top_px;
    // scale bar: at most a quarter of the panel
    let len_m = nice_scale_m(layout.panel_w_px / 4.0 / layout.px_per_m);
    let len_px = len_m * layout.px_per_m;
    let (x0, y0) = (MARGIN_PX, top + 12.0);
    let half = len_px / 2.0;
    doc = doc
        .add(
            Rectangle::new()
                .set("x", x0)
                .set("y", y0)
                .set("width", round1(half))
                .set("height", 5)
                .set("fill", "#202020"),
        )
        .add(
            Rectangle::new()
                .set("x", round1(x0 + half))
                .set("y", y0)
                .set("width", round1(half))
                .set("height", 5)
                .set("fill", "#ffffff")
                .set("stroke", "#202020")
                .set("stroke-width", 0.75),
        )
        .add(text(x0, y0 - 3.0, 11.0, "0"))
        .add(text(x0 + len_px + 4.0, y0 + 6.0, 11.0, &scale_label(len_m)));
    // north arrow: UTM grid north is up
    let ax = x0 + len_px + 80.0;
    doc = doc
        .add(
            Polygon::new()
                .set(
                    "points",
                    format!(
                        "{},{} {},{} {},{} {},{}",
                        ax,
                        top - 4.0,
                        ax + 6.0,
                        top + 18.0,
                        ax,
                        top + 13.0,
                        ax - 6.0,
                        top + 18.0
                    ),
                )
                .set("fill", "#202020"),
        )
        .add(
            text(ax + 9.0, top + 12.0, 12.0, lang.text("N (grid north)"))
                .set("font-weight", "bold"),
        );

    let col_w = (layout.width_px - 2.0 * MARGIN_PX) / LEGEND_COLUMNS as f64;
    let swatch = |doc: Document, x: f64, y: f64, fill: &str, outlined: bool, label: &str| {
        let mut r = Rectangle::new()
            .set("x", round1(x))
            .set("y", round1(y - 10.0))
            .set("width", 14)
            .set("height", 12)
            .set("fill", fill.to_string());
        r = if outlined {
            r.set("stroke", "#202020").set("stroke-width", 0.75)
        } else {
            r.set("stroke", "#999999").set("stroke-width", 0.5)
        };
        doc.add(r).add(text(x + 20.0, y, 12.0, label))
    };
    let mut row_y = top + 1.0 * LEGEND_ROW_PX + 14.0;
    for (k, class) in layout.classes.iter().enumerate() {
        let x = MARGIN_PX + (k % LEGEND_COLUMNS) as f64 * col_w;
        let y = row_y + (k / LEGEND_COLUMNS) as f64 * LEGEND_ROW_PX;
        let count = stock
            .parcels()
            .iter()
            .filter(|p| p.land_use == *class)
            .count();
        doc = swatch(
            doc,
            x,
            y,
            class_colour(*class),
            false,
            &format!("{} ({count})", lang.class_name(*class)),
        );
    }
    row_y += layout.classes.len().div_ceil(LEGEND_COLUMNS) as f64 * LEGEND_ROW_PX;
    doc = doc.add(
        text(
            MARGIN_PX,
            row_y,
            12.0,
            lang.text("Converted to (after panel):"),
        )
        .set("font-weight", "bold"),
    );
    row_y += LEGEND_ROW_PX;
    for (k, u) in Use::CONVERSIONS.into_iter().enumerate() {
        let members = &by_use[u as usize];
        let ha: f64 = members.iter().map(|&i| stock.get(i).area_ha()).sum();
        let x = MARGIN_PX + k as f64 * col_w;
        let label = match lang {
            Lang::Zh => format!(
                "{}：{} 个地块，{} 公顷",
                lang.use_name(u),
                members.len(),
                fmt_area_ha(ha)
            ),
            _ => format!("{u}: {} parcels, {} ha", members.len(), fmt_area_ha(ha)),
        };
        doc = swatch(
            doc,
            x,
            row_y,
            use_colour(u).unwrap_or("#000000"),
            true,
            &label,
        );
    }
    doc
}
