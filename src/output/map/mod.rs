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

mod draw;
mod frequency;
mod layout;
mod report;

pub use draw::nice_scale_m;
use draw::*;
pub use frequency::frequency_svg;
pub use layout::MapLayout;
use layout::*;
pub use report::{report_map, REPORT_RASTER_ABOVE_PARCELS};

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

#[cfg(feature = "png")]
mod png;
