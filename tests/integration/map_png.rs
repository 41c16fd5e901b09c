//! The map renders (resvg) to a PNG in which a converted parcel's pixel has
//! its use's colour and an untouched parcel's pixel keeps its class colour
//! (issue 5). Pixel positions are worked out by hand from the layout rules
//! (16 px margins, 64 px title band, 22 px panel label, uniform scale).
#![cfg(feature = "png")]

use geo::{coord, polygon, MultiPolygon};
use landstock::output::map::{
    class_colour, map_svg, render_png, use_colour, MapLayout, MapOptions, Panel,
};
use landstock::stock::ParcelStock;
use landstock::{LandUse, Parcel, Status, Use};
use resvg::tiny_skia::Pixmap;

/// A 3 × 2 grid of 200 m squares; parcel `p{row}{col}`, row 0 at the bottom.
fn grid() -> ParcelStock {
    let classes = [
        [LandUse::Industrial, LandUse::Vacant, LandUse::Residential],
        [LandUse::Logistics, LandUse::Industrial, LandUse::Green],
    ];
    let mut parcels = Vec::new();
    for (row, row_classes) in classes.iter().enumerate() {
        for (col, class) in row_classes.iter().enumerate() {
            let (x, y) = (col as f64 * 200.0, row as f64 * 200.0);
            let square = polygon![(x: x, y: y), (x: x + 200.0, y: y), (x: x + 200.0, y: y + 200.0), (x: x, y: y + 200.0)];
            parcels.push(Parcel::new(
                format!("p{row}{col}"),
                MultiPolygon(vec![square]),
                *class,
                Status::Active,
            ));
        }
    }
    ParcelStock::new(parcels)
}

fn rgb(hex: &str) -> (u8, u8, u8) {
    let v = u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap();
    ((v >> 16) as u8, (v >> 8) as u8, v as u8)
}

fn pixel(img: &Pixmap, x: u32, y: u32) -> (u8, u8, u8) {
    let p = img.pixel(x, y).unwrap();
    assert_eq!(p.alpha(), 255);
    (p.red(), p.green(), p.blue())
}

#[test]
fn converted_parcel_pixel_has_its_use_colour_and_an_untouched_one_does_not() {
    let stock = grid();
    // file order p00 p01 p02 p10 p11 p12
    let after = [
        None,
        Some(Use::Green),
        Some(Use::Keep),
        None,
        Some(Use::Cultural),
        None,
    ];
    let opts = MapOptions {
        city: "Grid".into(),
        cap_ha: Some(8.0),
        panel_width_px: 300.0,
        ..MapOptions::default()
    };
    let svg = map_svg(&stock, &after, &opts);
    let layout = MapLayout::new(&stock, &opts);
    // 600 m wide in 300 px: 0.5 px/m; the document is 16 + 300 + 16 + 300 + 16 wide
    assert_eq!(layout.px_per_m(), 0.5);
    assert_eq!(layout.width_px(), 648.0);
    // Parcel centres by hand: before panel x = 16 + 0.5 x_m, after panel
    // x = 332 + 0.5 x_m, y = 86 + 0.5 (400 - y_m) in both.
    let centre = |col: f64, row: f64| coord! { x: col * 200.0 + 100.0, y: row * 200.0 + 100.0 };
    assert_eq!(
        layout.to_px(Panel::Before, centre(1.0, 0.0)),
        (166.0, 236.0)
    );
    assert_eq!(layout.to_px(Panel::After, centre(1.0, 0.0)), (482.0, 236.0));
    assert_eq!(layout.to_px(Panel::After, centre(1.0, 1.0)), (482.0, 136.0));

    // rendered at twice the SVG's size: every coordinate doubles
    let png = render_png(&svg, 1296).unwrap();
    let img = Pixmap::decode_png(&png).unwrap();
    assert_eq!(img.width(), 1296);
    assert_eq!(img.height() as f64, (layout.height_px() * 2.0).round());
    let at = |x: f64, y: f64| pixel(&img, (x * 2.0) as u32, (y * 2.0) as u32);

    let green = rgb(use_colour(Use::Green).unwrap());
    let cultural = rgb(use_colour(Use::Cultural).unwrap());
    // p01 (vacant → green) and p11 (industrial → cultural), after panel
    assert_eq!(at(482.0, 236.0), green);
    assert_eq!(at(482.0, 136.0), cultural);
    // the same parcels before the plan: their class colours
    assert_eq!(at(166.0, 236.0), rgb(class_colour(LandUse::Vacant)));
    assert_eq!(at(166.0, 136.0), rgb(class_colour(LandUse::Industrial)));
    // untouched parcels after the plan: p00 (None), p02 (Keep), p12 (None)
    let use_colours: Vec<_> = Use::CONVERSIONS
        .iter()
        .map(|u| rgb(use_colour(*u).unwrap()))
        .collect();
    for (x, y, class) in [
        (382.0, 236.0, LandUse::Industrial),
        (582.0, 236.0, LandUse::Residential),
        (582.0, 136.0, LandUse::Green),
    ] {
        let got = at(x, y);
        assert_eq!(
            got,
            rgb(class_colour(class)),
            "untouched {class} at ({x}, {y})"
        );
        assert!(!use_colours.contains(&got));
    }
}

#[test]
fn render_png_rejects_a_zero_width_and_bad_svg() {
    let svg = map_svg(&grid(), &[], &MapOptions::default());
    assert!(render_png(&svg, 0).is_err());
    assert!(render_png("<svg", 100).is_err());
}

/// A generated grid city of `cols × rows` 10 m squares; the left `cols / 2`
/// columns vacant, the rest residential.
fn grid_city(cols: usize, rows: usize) -> ParcelStock {
    let mut parcels = Vec::with_capacity(cols * rows);
    for row in 0..rows {
        for col in 0..cols {
            let (x, y) = (col as f64 * 10.0, row as f64 * 10.0);
            let square = polygon![(x: x, y: y), (x: x + 10.0, y: y), (x: x + 10.0, y: y + 10.0), (x: x, y: y + 10.0)];
            let class = if col < cols / 2 {
                LandUse::Vacant
            } else {
                LandUse::Residential
            };
            parcels.push(Parcel::new(
                format!("r{row}c{col}"),
                MultiPolygon(vec![square]),
                class,
                Status::Active,
            ));
        }
    }
    ParcelStock::new(parcels)
}

#[test]
fn the_report_map_is_a_raster_above_50000_parcels_and_vector_up_to_it() {
    use base64::Engine as _;
    use landstock::output::map::{report_map, REPORT_RASTER_ABOVE_PARCELS};
    assert_eq!(REPORT_RASTER_ABOVE_PARCELS, 50_000);
    let opts = MapOptions {
        city: "Grid".into(),
        ..MapOptions::default()
    };
    let at_threshold = grid_city(250, 200);
    assert_eq!(at_threshold.len(), 50_000);
    let svg = map_svg(&at_threshold, &[], &opts);
    assert!(report_map(&at_threshold, svg, &opts).starts_with("<svg"));

    // 251 × 200 = 50,200 parcels; the 125 vacant columns all become parks
    let (cols, rows) = (251, 200);
    let stock = grid_city(cols, rows);
    let after: Vec<Option<Use>> = (0..stock.len())
        .map(|i| (i % cols < cols / 2).then_some(Use::Green))
        .collect();
    let svg = map_svg(&stock, &after, &opts);
    let svg_len = svg.len();
    let map = report_map(&stock, svg, &opts);
    assert!(map.starts_with("<img "), "{}", &map[..60]);
    assert!(!map.contains("<path"));
    assert!(
        map.len() * 4 < svg_len,
        "the raster ({} bytes) is far smaller than the SVG ({svg_len} bytes)",
        map.len()
    );
    let b64 = map.split("base64,").nth(1).unwrap().trim_end_matches("\">");
    let png = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    let img = Pixmap::decode_png(&png).unwrap();
    let layout = MapLayout::new(&stock, &opts);
    assert_eq!(
        img.width() as f64,
        2.0 * layout.width_px(),
        "twice the map's width"
    );
    // the middle of the converted block (x = 625 m, y = 1000 m) in the after
    // panel is park green; the middle of the kept block keeps its class colour
    let close = |a: (u8, u8, u8), b: (u8, u8, u8)| {
        (a.0 as i32 - b.0 as i32).abs() <= 3
            && (a.1 as i32 - b.1 as i32).abs() <= 3
            && (a.2 as i32 - b.2 as i32).abs() <= 3
    };
    let px = |panel, x_m: f64, y_m: f64| {
        let (x, y) = layout.to_px(panel, coord! { x: x_m, y: y_m });
        pixel(&img, (2.0 * x) as u32, (2.0 * y) as u32)
    };
    let green = rgb(use_colour(Use::Green).unwrap());
    assert!(
        close(px(Panel::After, 625.0, 1005.0), green),
        "{:?}",
        px(Panel::After, 625.0, 1005.0)
    );
    let residential = rgb(class_colour(LandUse::Residential));
    let kept = px(Panel::After, 1885.0, 1005.0);
    assert!(!close(kept, green), "{kept:?}");
    assert!(
        close(kept, residential) || kept.0 > 200,
        "{kept:?}: pale residential"
    );
}
