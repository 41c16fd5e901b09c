//! The working CRS: the one every distance and (planar) area is measured in.

use geo::Coord;

use super::feature;
use crate::crs::{CrsPair, InputCrs};
use crate::error::{Error, ErrorKind};

/// The working CRS chosen and the features' lon/lat box, when known.
type WorkingChoice = (String, Option<[f64; 4]>);

/// The metric CRS: configured, else the UTM zone of the lon/lat bounding-box
/// centre of the features still in the running, or an equal-area
/// projection when they span more than a zone measures well
/// ([`crate::crs::metric_crs_for`]); with the lon/lat box. `None` when there
/// is no feature.
pub(super) fn choose_working_crs<'a>(
    parsed: impl Iterator<Item = &'a feature::ParsedFeature>,
    input: &InputCrs,
    configured: Option<u32>,
) -> Result<Option<WorkingChoice>, Error> {
    let (mut x0, mut y0, mut x1, mut y1) = (
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    );
    for c in parsed
        .filter_map(|f| f.geometry.as_ref().ok())
        .flatten()
        .flatten()
        .flatten()
    {
        x0 = x0.min(c.x);
        y0 = y0.min(c.y);
        x1 = x1.max(c.x);
        y1 = y1.max(c.y);
    }
    if !x0.is_finite() {
        return Ok(configured.map(|code| (format!("EPSG:{code}"), None)));
    }
    let bbox = lonlat_bbox(input, [x0, y0, x1, y1])?;
    Ok(Some(match configured {
        Some(code) => (format!("EPSG:{code}"), Some(bbox)),
        None => (crate::crs::metric_crs_for(bbox), Some(bbox)),
    }))
}

/// A bounding box in the input CRS as a lon/lat box (its corners and edge
/// midpoints transformed; the same box when the input is lon/lat).
fn lonlat_bbox(input: &InputCrs, b: [f64; 4]) -> Result<[f64; 4], Error> {
    if input.is_geographic() {
        return Ok(b);
    }
    let [x0, y0, x1, y1] = b;
    let (xm, ym) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    let mut pts = [
        (x0, y0),
        (xm, y0),
        (x1, y0),
        (x0, ym),
        (xm, ym),
        (x1, ym),
        (x0, y1),
        (xm, y1),
        (x1, y1),
    ]
    .map(|(x, y)| Coord { x, y });
    CrsPair::new(input.proj_name(), "EPSG:4326")
        .transformer()?
        .transform(&mut pts)
        .map_err(|what| {
            Error::from(ErrorKind::Crs {
                crs: input.proj_name().to_string(),
                what,
            })
        })?;
    let mut out = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for c in pts {
        out = [
            out[0].min(c.x),
            out[1].min(c.y),
            out[2].max(c.x),
            out[3].max(c.y),
        ];
    }
    Ok(out)
}
