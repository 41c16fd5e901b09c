//! Where things go on the map: margins, bands and fonts, the projection
//! from working-CRS metres to pixels ([`MapLayout`]) and the stock's extent.

use super::*;

pub(super) const MARGIN_PX: f64 = 16.0;
pub(super) const TITLE_BAND_PX: f64 = 64.0;
pub(super) const PANEL_LABEL_PX: f64 = 22.0;
pub(super) const LEGEND_ROW_PX: f64 = 20.0;
pub(super) const LEGEND_COLUMNS: usize = 4;
pub(super) const FONT: &str = "DejaVu Sans, Arial, Helvetica, sans-serif";
/// Chinese labels: the CJK fonts of Debian (fonts-wqy-microhei, which
/// scripts/install-deps.sh installs, or fonts-noto-cjk), macOS and Windows.
pub(super) const FONT_CJK: &str =
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
    pub(super) min_x_m: f64,
    pub(super) max_y_m: f64,
    pub(super) px_per_m: f64,
    pub(super) panel_w_px: f64,
    pub(super) panel_h_px: f64,
    pub(super) panels_top_px: f64,
    pub(super) legend_top_px: f64,
    pub(super) classes: Vec<LandUse>,
    pub(super) width_px: f64,
    pub(super) height_px: f64,
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
    pub(super) fn panel_left_px(&self, panel: Panel) -> f64 {
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
    pub(super) fn to_decipx(&self, c: Coord<f64>) -> (i64, i64) {
        let (x, y) = self.to_px(Panel::Before, c);
        ((x * 10.0).round() as i64, (y * 10.0).round() as i64)
    }
}

pub(super) fn stock_extent(stock: &ParcelStock) -> Rect<f64> {
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
