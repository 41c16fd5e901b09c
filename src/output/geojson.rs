//! GeoJSON writing shared by the scores and plan outputs: EPSG:4326,
//! exterior rings counter-clockwise (RFC 7946), feature `id` = parcel id, the
//! original properties spliced in byte for byte, features formatted in
//! parallel and written in row order.

use std::fmt::Write as _;
use std::io::Write;

use geo::orient::{Direction, Orient};
use geo::{MapCoords, MultiPolygon};
use rayon::prelude::*;
use serde_json::{json, Value};

use crate::crs::CrsPair;
use crate::error::{Error, ErrorKind};
use crate::stock::ParcelStock;

/// Rows formatted in parallel per batch, then written in order.
const BATCH_ROWS: usize = 16_384;

pub(crate) fn num(x: f64) -> Value {
    if x.is_finite() {
        json!(x)
    } else {
        Value::Null
    }
}

pub(crate) fn io_error(dest: &str, error: std::io::Error) -> Error {
    Error::from(ErrorKind::Write {
        dest: dest.to_string(),
        error,
    })
}

/// Writes a coordinate list `[[x, y], …]`.
fn ring_json(out: &mut String, ring: &geo::LineString<f64>) {
    out.push('[');
    for (k, c) in ring.0.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        let _ = write!(out, "[{},{}]", round_deg(c.x), round_deg(c.y));
    }
    out.push(']');
}

fn geometry_json(out: &mut String, mp: &MultiPolygon<f64>) {
    let poly = |out: &mut String, p: &geo::Polygon<f64>| {
        out.push('[');
        ring_json(out, p.exterior());
        for r in p.interiors() {
            out.push(',');
            ring_json(out, r);
        }
        out.push(']');
    };
    if mp.0.len() == 1 {
        out.push_str(r#"{"type":"Polygon","coordinates":"#);
        poly(out, &mp.0[0]);
    } else {
        out.push_str(r#"{"type":"MultiPolygon","coordinates":["#);
        for (k, p) in mp.0.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            poly(out, p);
        }
        out.push(']');
    }
    out.push('}');
}

/// Output coordinates are rounded to 1e-9 degrees (about 0.1 mm), which
/// drops the last-bit noise of the inverse projection (in a projected output
/// CRS, to 1e-9 of its unit).
fn round_deg(x: f64) -> f64 {
    (x * 1e9).round() / 1e9
}

/// Splices the original properties' raw text with the landstock members.
pub(crate) fn properties_json(
    out: &mut String,
    original: Option<&serde_json::value::RawValue>,
    ours: &str,
) {
    out.push('{');
    if let Some(raw) = original {
        let t = raw.get().trim();
        if let Some(inner) = t.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            if !inner.trim().is_empty() {
                out.push_str(inner);
                out.push(',');
            }
        }
    }
    out.push_str(ours);
    out.push('}');
}

/// Appends one feature (newline-terminated) in EPSG:4326 with RFC 7946
/// ring orientation.
fn feature_json(
    s: &mut String,
    t: &crate::crs::Transformer,
    p: &crate::parcel::Parcel,
    working_crs: &str,
    members: &str,
) -> Result<(), Error> {
    let geom = p
        .geometry
        .try_map_coords(|c| {
            let mut cc = [c];
            t.transform(&mut cc).map(|_| cc[0])
        })
        .map_err(|what| {
            Error::from(ErrorKind::Crs {
                crs: format!("{working_crs} -> output CRS (parcel {})", p.id),
                what,
            })
        })?;
    let geom = geom.orient(Direction::Default);
    s.push_str(r#"{"type":"Feature","id":"#);
    s.push_str(&json!(p.id.as_str()).to_string());
    s.push_str(r#","geometry":"#);
    geometry_json(s, &geom);
    s.push_str(r#","properties":"#);
    properties_json(s, p.properties.as_deref(), members);
    s.push_str("}\n");
    Ok(())
}

/// Writes a FeatureCollection in `out_crs` (EPSG:4326 for RFC 7946; any
/// other CRS is named in a GeoJSON 2008 `crs` member) of the stock parcels `index`
/// (in that order), each with the `landstock_*` members `members(k)` for
/// row `k` (JSON text without braces), reprojected from the first CRS of
/// the pair to the second. `head_members` are collection-level
/// foreign members (JSON text without braces, may be empty). Output bytes do
/// not depend on the thread count.
pub(crate) fn write_collection<W: Write>(
    mut out: W,
    dest_name: &str,
    head_members: &str,
    stock: &ParcelStock,
    index: &[usize],
    (working_crs, out_crs): (&str, &str),
    members: impl Fn(usize) -> String + Sync,
) -> Result<(), Error> {
    let pair = CrsPair::new(working_crs, out_crs);
    let mut head = String::from(r#"{"type":"FeatureCollection","#);
    if out_crs != "EPSG:4326" {
        let urn = match out_crs.strip_prefix("EPSG:") {
            Some(code) => format!("urn:ogc:def:crs:EPSG::{code}"),
            None => out_crs.to_string(),
        };
        head.push_str(r#""crs":{"type":"name","properties":{"name":"#);
        head.push_str(&json!(urn).to_string());
        head.push_str("}},");
    }
    if !head_members.is_empty() {
        head.push_str(head_members);
        head.push(',');
    }
    head.push_str(r#""features":["#);
    out.write_all(head.as_bytes())
        .map_err(|e| io_error(dest_name, e))?;
    let mut first = true;
    for (b, batch) in index.chunks(BATCH_ROWS).enumerate() {
        let texts: Vec<String> = batch
            .par_chunks(512)
            .enumerate()
            .map(|(c, chunk)| -> Result<String, Error> {
                // this thread's cached transformer: creating one per chunk
                // looked the CRSs up in proj.db 320 times for 165k rows
                pair.with_transformer(|t| {
                    let t = t.map_err(|what| {
                        Error::from(ErrorKind::Crs {
                            crs: format!("{working_crs} -> {out_crs}"),
                            what: what.to_owned(),
                        })
                    })?;
                    let mut s = String::with_capacity(chunk.len() * 512);
                    for (r, &i) in chunk.iter().enumerate() {
                        let k = b * BATCH_ROWS + c * 512 + r;
                        feature_json(&mut s, t, stock.get(i), working_crs, &members(k))?;
                    }
                    Ok(s)
                })
            })
            // in order: the error reported is the first row's, whichever
            // thread met it
            .collect::<Vec<Result<String, Error>>>()
            .into_iter()
            .collect::<Result<_, _>>()?;
        for t in texts {
            for feature in t.split_inclusive('\n') {
                if !first {
                    out.write_all(b",").map_err(|e| io_error(dest_name, e))?;
                }
                first = false;
                out.write_all(feature.as_bytes())
                    .map_err(|e| io_error(dest_name, e))?;
            }
        }
    }
    out.write_all(b"]}\n").map_err(|e| io_error(dest_name, e))?;
    Ok(())
}
