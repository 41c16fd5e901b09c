//! The map as the HTML report embeds it: the SVG up to a size, a PNG of it
//! above ([`report_map`]).

use super::MapLayout;
use super::MapOptions;
use crate::stock::ParcelStock;

/// Above this many parcels the report embeds the map as a PNG rather than
/// as SVG (with the `png` feature): a million parcels make a 65 MB SVG that a
/// browser takes most of a minute to draw.
pub const REPORT_RASTER_ABOVE_PARCELS: usize = 50_000;

/// The map as the HTML report embeds it ([`write_report_html`]'s `map`
/// markup), from the `svg` that [`map_svg`](super::map_svg) drew for `stock`:
/// that SVG up to [`REPORT_RASTER_ABOVE_PARCELS`] parcels; above, the SVG
/// rendered to a PNG twice the map's width and embedded as an `<img>`
/// (`data:` URL; the report stays one file with no network access). Without
/// the `png` feature (or should rendering fail) it is always the SVG.
///
/// [`write_report_html`]: crate::output::report::write_report_html
///
/// ```
/// use geo::{polygon, MultiPolygon};
/// use landstock::output::map::{map_svg, report_map, MapOptions};
/// use landstock::stock::ParcelStock;
/// use landstock::{LandUse, Parcel, Status};
/// let sq = MultiPolygon(vec![polygon![(x: 0.0, y: 0.0), (x: 100.0, y: 0.0), (x: 100.0, y: 100.0), (x: 0.0, y: 100.0)]]);
/// let stock = ParcelStock::new(vec![Parcel::new("a", sq, LandUse::Vacant, Status::Active)]);
/// let opts = MapOptions::default();
/// let map = report_map(&stock, map_svg(&stock, &[None], &opts), &opts);
/// assert!(map.starts_with("<svg"), "one parcel: vector");
/// ```
pub fn report_map(stock: &ParcelStock, svg: String, opts: &MapOptions) -> String {
    if stock.len() <= REPORT_RASTER_ABOVE_PARCELS {
        return svg;
    }
    raster(&svg, stock.len(), MapLayout::new(stock, opts).width_px()).unwrap_or(svg)
}

#[cfg(feature = "png")]
fn raster(svg: &str, parcels: usize, width_px: f64) -> Option<String> {
    use base64::Engine as _;
    let png = super::render_png(svg, (2.0 * width_px).round() as u32).ok()?;
    Some(format!(
        r#"<img alt="map of {parcels} parcels, before and after the plan (raster: above {REPORT_RASTER_ABOVE_PARCELS} parcels)" width="{width_px}" style="max-width:100%;height:auto" src="data:image/png;base64,{}">"#,
        base64::engine::general_purpose::STANDARD.encode(png)
    ))
}

#[cfg(not(feature = "png"))]
fn raster(_svg: &str, _parcels: usize, _width_px: f64) -> Option<String> {
    None
}
