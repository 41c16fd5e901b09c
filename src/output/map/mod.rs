//! The map (SPEC §7): the parcels themselves, drawn as SVG in two panels side
//! by side, *before* (every parcel coloured by its canonical [`LandUse`]
//! class) and *after* (the converted parcels in their target use's colour,
//! outlined, over the same picture), with a title naming the city and the cap,
//! a legend, a scale bar and a north arrow.
//!
//! Geometry comes from the working CRS (metres, UTM: grid north up), scaled
//! uniformly into each panel. Coordinates are rounded to 0.1 px; nothing is
//! simplified or skipped, so a 100 000-parcel city draws 100 000 paths. The
//! after panel reuses the before panel's paths through one `<use>` element and
//! adds a path per converted parcel on top, which keeps the file half the size
//! of two full copies. Output is deterministic: paths in stock order, grouped
//! by class in [`LandUse::ALL`] order, then by use in [`Use::CONVERSIONS`] order.
//!
//! Class colours are pale (after the colour conventions of GB 50137 plans:
//! housing yellow, commerce red, industry brown, green green, water blue);
//! target-use colours are saturated and differ from every class colour, so a
//! converted parcel stands out in the after panel.
//!
//! ```
//! use geo::{polygon, MultiPolygon};
//! use landstock::output::map::{map_svg, MapOptions};
//! use landstock::stock::ParcelStock;
//! use landstock::{LandUse, Parcel, Status, Use};
//! let square = |x: f64| MultiPolygon(vec![polygon![(x: x, y: 0.0), (x: x + 100.0, y: 0.0),
//!     (x: x + 100.0, y: 100.0), (x: x, y: 100.0)]]);
//! let stock = ParcelStock::new(vec![
//!     Parcel::new("a", square(0.0), LandUse::Industrial, Status::Derelict),
//!     Parcel::new("b", square(100.0), LandUse::Residential, Status::Active),
//! ]);
//! let opts = MapOptions { city: "Fishtown".into(), cap_ha: Some(120.0), ..MapOptions::default() };
//! let svg = map_svg(&stock, &[Some(Use::Green), None], &opts);
//! assert!(svg.contains("Fishtown — cap 120 ha"));
//! // two parcels before, one converted parcel drawn again after
//! assert_eq!(svg.matches("<path class=\"parcel\"").count(), 3);
//! ```

use geo::{Coord, LineString, MultiPolygon, Rect};
use svg::node::element::path::Data;
use svg::node::element::{
    Definitions, Group, Path, Polygon, Rectangle, Text, Title, Use as SvgUse,
};
use svg::Document;

use crate::output::Lang;
use crate::parcel::LandUse;
use crate::plan::Use;
use crate::stock::ParcelStock;

#[cfg(feature = "png")]
pub use png::{render_png, PngError};

mod frequency;
pub use frequency::frequency_svg;

/// What to write on the map and how large to draw it.
///
/// ```
/// use landstock::output::map::MapOptions;
/// let o = MapOptions::default();
/// assert_eq!(o.panel_width_px, 640.0);
/// assert_eq!(o.title(), "landstock plan");
/// let o = MapOptions { city: "Rockford".into(), cap_ha: Some(42.5), ..o };
/// assert_eq!(o.title(), "Rockford — cap 42.5 ha");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct MapOptions {
    /// The city's name for the title (the CLI uses the input file's stem).
    pub city: String,
    /// The land-scale cap, shown in the title when known.
    pub cap_ha: Option<f64>,
    /// Width of each of the two panels, in px (CSS pixels; the SVG scales).
    pub panel_width_px: f64,
    /// Tallest a panel may get, in px; a tall city is scaled down to fit.
    pub max_panel_height_px: f64,
    /// Language of the labels (`Lang::Zh`: Chinese labels, CJK fonts first).
    pub lang: Lang,
}

impl Default for MapOptions {
    fn default() -> Self {
        MapOptions {
            city: String::new(),
            cap_ha: None,
            panel_width_px: 640.0,
            max_panel_height_px: 800.0,
            lang: Lang::En,
        }
    }
}

impl MapOptions {
    /// The map's title: the city and the cap, e.g. `Fishtown — cap 120 ha`
    /// (`Fishtown — 规模上限 120 公顷` in Chinese).
    ///
    /// ```
    /// use landstock::output::{map::MapOptions, Lang};
    /// let o = MapOptions { city: "大庆".into(), cap_ha: Some(120.0), lang: Lang::Zh, ..MapOptions::default() };
    /// assert_eq!(o.title(), "大庆 — 规模上限 120 公顷");
    /// ```
    pub fn title(&self) -> String {
        let city = if self.city.is_empty() {
            self.lang.text("landstock plan")
        } else {
            self.city.as_str()
        };
        match (self.cap_ha, self.lang) {
            (Some(cap), Lang::Zh) => format!("{city} — 规模上限 {} 公顷", fmt_ha(cap)),
            (Some(cap), _) => format!("{city} — cap {} ha", fmt_ha(cap)),
            (None, _) => city.to_string(),
        }
    }
}

/// `120` for whole hectares, `42.5` otherwise.
fn fmt_ha(ha: f64) -> String {
    if (ha - ha.round()).abs() < 1e-9 {
        format!("{ha:.0}")
    } else {
        format!("{ha:.1}")
    }
}

/// The fill colour of a canonical class (pale), as `#rrggbb`.
///
/// ```
/// use landstock::output::map::class_colour;
/// use landstock::LandUse;
/// assert_eq!(class_colour(LandUse::Residential), "#f5e49c");
/// ```
pub fn class_colour(class: LandUse) -> &'static str {
    match class {
        LandUse::Residential => "#f5e49c",
        LandUse::Public => "#efb7cf",
        LandUse::Commercial => "#f2a29b",
        LandUse::Industrial => "#c8b198",
        LandUse::Logistics => "#c5b7dc",
        LandUse::Transport => "#cfcfcf",
        LandUse::Utility => "#9fbfd6",
        LandUse::Green => "#9fd08a",
        LandUse::Water => "#a3cde8",
        LandUse::Ecological => "#e4e8c0",
        LandUse::Vacant => "#ebe4d6",
        LandUse::Unknown => "#f4f4f4",
    }
}

/// The fill colour of a target use (saturated), as `#rrggbb`; `Keep` has
/// none (a kept parcel keeps its class colour).
///
/// ```
/// use landstock::output::map::use_colour;
/// use landstock::Use;
/// assert_eq!(use_colour(Use::Green), Some("#1a9641"));
/// assert_eq!(use_colour(Use::Keep), None);
/// ```
pub fn use_colour(target: Use) -> Option<&'static str> {
    match target {
        Use::Keep => None,
        Use::Green => Some("#1a9641"),
        Use::Ecological => Some("#00838f"),
        Use::Cultural => Some("#e66101"),
        Use::Redevelop => Some("#7b3294"),
    }
}

/// One of the two panels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    /// Every parcel by its class.
    Before,
    /// Converted parcels by their target use.
    After,
}

const MARGIN_PX: f64 = 16.0;
const TITLE_BAND_PX: f64 = 64.0;
const PANEL_LABEL_PX: f64 = 22.0;
const LEGEND_ROW_PX: f64 = 20.0;
const LEGEND_COLUMNS: usize = 4;
const FONT: &str = "DejaVu Sans, Arial, Helvetica, sans-serif";
/// Chinese labels: the CJK fonts of Debian (fonts-wqy-microhei, which
/// scripts/install-deps.sh installs, or fonts-noto-cjk), macOS and Windows.
const FONT_CJK: &str =
    "WenQuanYi Micro Hei, Noto Sans CJK SC, PingFang SC, Microsoft YaHei, DejaVu Sans, sans-serif";

/// Where things go on the map: the projection from working-CRS metres to SVG
/// pixels for each panel, and the document's size. Built from the stock's
/// bounding box and the options; [`map_svg`] draws with exactly this layout.
///
/// ```
/// use geo::{coord, polygon, MultiPolygon};
/// use landstock::output::map::{MapLayout, MapOptions, Panel};
/// use landstock::stock::ParcelStock;
/// use landstock::{LandUse, Parcel, Status};
/// // a 1 km × 500 m city in a 640 px panel: 0.64 px per metre
/// let block = MultiPolygon(vec![polygon![(x: 0.0, y: 0.0), (x: 1000.0, y: 0.0),
///     (x: 1000.0, y: 500.0), (x: 0.0, y: 500.0)]]);
/// let stock = ParcelStock::new(vec![Parcel::new("a", block, LandUse::Green, Status::Active)]);
/// let l = MapLayout::new(&stock, &MapOptions::default());
/// assert_eq!(l.px_per_m(), 0.64);
/// let (x, y) = l.to_px(Panel::Before, coord! { x: 0.0, y: 500.0 }); // top-left corner
/// assert_eq!((x, y), (16.0, 64.0 + 22.0));
/// let (x2, _) = l.to_px(Panel::After, coord! { x: 0.0, y: 500.0 });
/// assert_eq!(x2, 16.0 + 640.0 + 16.0);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct MapLayout {
    min_x_m: f64,
    max_y_m: f64,
    px_per_m: f64,
    panel_w_px: f64,
    panel_h_px: f64,
    panels_top_px: f64,
    legend_top_px: f64,
    classes: Vec<LandUse>,
    width_px: f64,
    height_px: f64,
}

impl MapLayout {
    /// The layout for this stock. An empty stock (or one with a degenerate
    /// extent) gets a 1 km square frame so that nothing divides by zero.
    pub fn new(stock: &ParcelStock, opts: &MapOptions) -> MapLayout {
        let bbox = stock_extent(stock);
        let (w_m, h_m) = (bbox.width().max(1.0), bbox.height().max(1.0));
        let panel_w_px = if opts.panel_width_px.is_finite() && opts.panel_width_px >= 64.0 {
            opts.panel_width_px
        } else {
            MapOptions::default().panel_width_px
        };
        let max_h_px = if opts.max_panel_height_px.is_finite() && opts.max_panel_height_px >= 64.0 {
            opts.max_panel_height_px
        } else {
            MapOptions::default().max_panel_height_px
        };
        let px_per_m = (panel_w_px / w_m).min(max_h_px / h_m);
        let panel_h_px = h_m * px_per_m;
        let mut classes: Vec<LandUse> = LandUse::ALL
            .into_iter()
            .filter(|c| stock.parcels().iter().any(|p| p.land_use == *c))
            .collect();
        classes.sort();
        let panels_top_px = TITLE_BAND_PX + PANEL_LABEL_PX;
        let legend_top_px = panels_top_px + panel_h_px + MARGIN_PX;
        // scale bar + north arrow row, the class rows, a heading, the use rows
        let legend_rows = 1 + classes.len().div_ceil(LEGEND_COLUMNS) + 1 + 1;
        let height_px = legend_top_px + legend_rows as f64 * LEGEND_ROW_PX + MARGIN_PX + 24.0;
        MapLayout {
            min_x_m: bbox.min().x,
            max_y_m: bbox.min().y + h_m,
            px_per_m,
            panel_w_px,
            panel_h_px,
            panels_top_px,
            legend_top_px,
            classes,
            width_px: 3.0 * MARGIN_PX + 2.0 * panel_w_px,
            height_px,
        }
    }

    /// Pixels per metre of the working CRS (the same in x and y).
    pub fn px_per_m(&self) -> f64 {
        self.px_per_m
    }

    /// The document's width in px.
    pub fn width_px(&self) -> f64 {
        self.width_px
    }

    /// The document's height in px.
    pub fn height_px(&self) -> f64 {
        self.height_px
    }

    /// Left edge of a panel, in px.
    fn panel_left_px(&self, panel: Panel) -> f64 {
        match panel {
            Panel::Before => MARGIN_PX,
            Panel::After => 2.0 * MARGIN_PX + self.panel_w_px,
        }
    }

    /// Where a working-CRS coordinate lands in a panel (unrounded; y grows
    /// downwards in SVG, so north is up).
    pub fn to_px(&self, panel: Panel, c: Coord<f64>) -> (f64, f64) {
        (
            self.panel_left_px(panel) + (c.x - self.min_x_m) * self.px_per_m,
            self.panels_top_px + (self.max_y_m - c.y) * self.px_per_m,
        )
    }

    /// Coordinates in tenths of a pixel relative to the before panel.
    fn to_decipx(&self, c: Coord<f64>) -> (i64, i64) {
        let (x, y) = self.to_px(Panel::Before, c);
        ((x * 10.0).round() as i64, (y * 10.0).round() as i64)
    }
}

fn stock_extent(stock: &ParcelStock) -> Rect<f64> {
    let mut it = (0..stock.len()).map(|i| stock.envelope(i)).filter(|r| {
        r.min().x.is_finite()
            && r.min().y.is_finite()
            && r.max().x.is_finite()
            && r.max().y.is_finite()
    });
    match it.next() {
        None => Rect::new(
            Coord { x: 0.0, y: 0.0 },
            Coord {
                x: 1000.0,
                y: 1000.0,
            },
        ),
        Some(first) => it.fold(first, |acc, r| {
            Rect::new(
                Coord {
                    x: acc.min().x.min(r.min().x),
                    y: acc.min().y.min(r.min().y),
                },
                Coord {
                    x: acc.max().x.max(r.max().x),
                    y: acc.max().y.max(r.max().y),
                },
            )
        }),
    }
}

/// A parcel's outline as path data: per ring an absolute move, then relative
/// lines between vertices rounded to 0.1 px (repeats after rounding dropped),
/// closed. Relative steps are differences of rounded values, so no rounding
/// error accumulates.
fn parcel_data(layout: &MapLayout, mp: &MultiPolygon<f64>) -> Data {
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

fn text(x: f64, y: f64, size_px: f64, content: &str) -> Text {
    Text::new(content)
        .set("x", round1(x))
        .set("y", round1(y))
        .set("font-size", size_px)
}

fn round1(v: f64) -> f64 {
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
fn scale_label(len_m: f64) -> String {
    if len_m >= 1000.0 {
        format!("{} km", len_m / 1000.0)
    } else if len_m >= 1.0 {
        format!("{len_m:.0} m")
    } else {
        format!("{len_m} m")
    }
}

/// Draws the map of `stock` before and after a plan, as an SVG document.
///
/// `after[i]` is the plan's use for stock parcel `i`: `None` or
/// `Some(Use::Keep)` leaves it unchanged; parcels past the end of `after` are
/// drawn unchanged too. See the [module docs](self) for what is drawn and an
/// example.
pub fn map_svg(stock: &ParcelStock, after: &[Option<Use>], opts: &MapOptions) -> String {
    let layout = MapLayout::new(stock, opts);
    let lang = opts.lang;
    let n = stock.len();
    let target = |i: usize| {
        after
            .get(i)
            .copied()
            .flatten()
            .filter(|u| u.is_conversion())
    };

    // Parcel outlines only when parcels are big enough on screen to show them
    // (mean parcel at least 6 px across); below that a white stroke would wash
    // the colours out. Converted parcels always get a stroke: dark when there
    // is room, else in their own colour so that a sub-pixel one still shows.
    let total_m2: f64 = stock.parcels().iter().map(|p| p.area_m2()).sum();
    let mean_px = if n > 0 {
        (total_m2 / n as f64).sqrt() * layout.px_per_m
    } else {
        0.0
    };
    let roomy = mean_px >= 6.0;

    let mut before = Group::new()
        .set("id", "landstock-before-parcels")
        .set("fill-rule", "evenodd");
    if roomy {
        before = before.set("stroke", "#ffffff").set("stroke-width", 0.5);
    }
    let mut by_class: Vec<Vec<usize>> = vec![Vec::new(); LandUse::ALL.len()];
    let mut by_use: Vec<Vec<usize>> = vec![Vec::new(); Use::ALL.len()];
    for (i, p) in stock.parcels().iter().enumerate() {
        by_class[p.land_use as usize].push(i);
        if let Some(u) = target(i) {
            by_use[u as usize].push(i);
        }
    }
    for class in LandUse::ALL {
        let members = &by_class[class as usize];
        if members.is_empty() {
            continue;
        }
        let mut g = Group::new()
            .set("class", format!("class-{}", class.as_str()))
            .set("fill", class_colour(class));
        for &i in members {
            g = g.add(
                Path::new()
                    .set("class", "parcel")
                    .set("d", parcel_data(&layout, &stock.get(i).geometry)),
            );
        }
        before = before.add(g);
    }

    let dx = layout.panel_left_px(Panel::After) - layout.panel_left_px(Panel::Before);
    let mut converted = Group::new()
        .set("id", "landstock-converted-parcels")
        .set("transform", format!("translate({dx} 0)"))
        .set("fill-rule", "evenodd");
    for u in Use::CONVERSIONS {
        let members = &by_use[u as usize];
        if members.is_empty() {
            continue;
        }
        let colour = use_colour(u).unwrap_or("#000000");
        let mut g = Group::new()
            .set("class", format!("use-{}", u.as_str()))
            .set("fill", colour);
        g = if roomy {
            g.set("stroke", "#202020").set("stroke-width", 0.75)
        } else {
            g.set("stroke", colour).set("stroke-width", 1.0)
        };
        for &i in members {
            let p = stock.get(i);
            let label = format!(
                "{}: {} → {} ({} {})",
                p.id,
                lang.class_name(p.land_use),
                lang.use_name(u),
                fmt_area_ha(p.area_ha()),
                lang.text("ha")
            );
            g = g.add(
                Path::new()
                    .set("class", "parcel")
                    .set("d", parcel_data(&layout, &p.geometry))
                    .add(Title::new(label)),
            );
        }
        converted = converted.add(g);
    }

    let mut doc = Document::new()
        .set("width", layout.width_px)
        .set("height", round1(layout.height_px))
        .set(
            "viewBox",
            (0.0, 0.0, layout.width_px, round1(layout.height_px)),
        )
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
        .add(text(MARGIN_PX, 30.0, 22.0, &opts.title()).set("font-weight", "bold"));
    let converted_n: usize = by_use.iter().map(Vec::len).sum();
    let converted_ha: f64 = by_use
        .iter()
        .flatten()
        .map(|&i| stock.get(i).area_ha())
        .sum();
    doc = doc.add(
        text(
            MARGIN_PX,
            50.0,
            12.0,
            &match lang {
                Lang::Zh => format!(
                    "共 {n} 个地块，转换 {converted_n} 个（{} 公顷）。每个地块均已绘出，坐标精确到 0.1 像素。",
                    fmt_area_ha(converted_ha)
                ),
                _ => format!(
                    "{n} parcels; {converted_n} converted ({} ha). Every parcel is drawn; coordinates rounded to 0.1 px.",
                    fmt_area_ha(converted_ha)
                ),
            },
        )
        .set("fill", "#555555"),
    );

    for (panel, label) in [
        (Panel::Before, lang.text("Before: land use by class")),
        (
            Panel::After,
            lang.text("After: converted parcels by target use"),
        ),
    ] {
        let left = layout.panel_left_px(panel);
        doc = doc
            .add(text(left, TITLE_BAND_PX + 15.0, 14.0, label).set("font-weight", "bold"))
            .add(
                Rectangle::new()
                    .set("x", left)
                    .set("y", round1(layout.panels_top_px))
                    .set("width", layout.panel_w_px)
                    .set("height", round1(layout.panel_h_px))
                    .set("fill", "#fafafa")
                    .set("stroke", "#bbbbbb")
                    .set("stroke-width", 0.5),
            );
    }
    doc = doc
        .add(Definitions::new().add(before))
        .add(SvgUse::new().set("href", "#landstock-before-parcels"))
        .add(
            SvgUse::new()
                .set("href", "#landstock-before-parcels")
                .set("transform", format!("translate({dx} 0)")),
        )
        .add(converted);
    doc = legend(doc, &layout, &by_use, stock, lang);
    doc.to_string()
}

fn fmt_area_ha(ha: f64) -> String {
    if ha >= 100.0 {
        format!("{ha:.0}")
    } else {
        format!("{ha:.1}")
    }
}

/// Scale bar and north arrow, then the class swatches, then the use swatches
/// with what each use received.
fn legend(
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

#[cfg(feature = "png")]
mod png;
