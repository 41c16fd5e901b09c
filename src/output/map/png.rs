//! The map rendered to PNG (resvg + tiny-skia), behind the `png` feature.

use resvg::{tiny_skia, usvg};

/// Rendering the SVG to PNG failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PngError {
    /// The SVG text did not parse.
    #[error("the SVG could not be parsed: {0}")]
    Svg(String),
    /// The requested size is zero, not finite or too large for a pixmap.
    #[error(
        "cannot render a {width_px} × {height_px} px image: give a width between 1 and 20000 px"
    )]
    Size {
        /// Requested width.
        width_px: u32,
        /// Height that followed from the SVG's aspect ratio.
        height_px: u32,
    },
    /// PNG encoding failed.
    #[error("PNG encoding failed: {0}")]
    Encode(String),
}

/// Renders an SVG document (e.g. from [`map_svg`](super::map_svg)) to a
/// PNG `width_px` wide on a white background, the height following the
/// document's aspect ratio. Text uses the system's fonts (none found: no
/// text, the rest renders). Available with the `png` feature (on by default).
///
/// ```
/// use landstock::output::map::render_png;
/// let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10">
///   <rect width="20" height="10" fill="#1a9641"/></svg>"##;
/// let png = render_png(svg, 40).unwrap();
/// assert_eq!(&png[1..4], b"PNG");
/// let img = resvg::tiny_skia::Pixmap::decode_png(&png).unwrap();
/// assert_eq!((img.width(), img.height()), (40, 20));
/// let px = img.pixel(10, 10).unwrap();
/// assert_eq!((px.red(), px.green(), px.blue()), (0x1a, 0x96, 0x41));
/// ```
pub fn render_png(svg: &str, width_px: u32) -> Result<Vec<u8>, PngError> {
    let mut opt = usvg::Options::default();
    opt.fontdb_mut().load_system_fonts();
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| PngError::Svg(e.to_string()))?;
    let size = tree.size();
    let scale = width_px as f64 / size.width() as f64;
    let height = (size.height() as f64 * scale).round();
    let height_px = if (1.0..=20_000.0).contains(&height) {
        height as u32
    } else {
        0
    };
    if width_px == 0 || width_px > 20_000 || height_px == 0 {
        return Err(PngError::Size {
            width_px,
            height_px,
        });
    }
    let mut pixmap = tiny_skia::Pixmap::new(width_px, height_px).ok_or(PngError::Size {
        width_px,
        height_px,
    })?;
    pixmap.fill(tiny_skia::Color::WHITE);
    let s = scale as f32;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(s, s),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| PngError::Encode(e.to_string()))
}
