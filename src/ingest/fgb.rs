//! FlatGeobuf read in Rust with the georust `flatgeobuf` crate (no GDAL):
//! the header gives the CRS, the columns and the feature count; the
//! features' FlatBuffers are read in order and, a batch at a time, checked
//! by the crate's verifier and decoded (rings, property bytes) in parallel,
//! then join the same layer stream as GDAL's features ([`super::layer`]),
//! so the properties, ids and every SPEC §2 rule come out the same.
//!
//! Property bytes are decoded here with bounds checks (a damaged file is a
//! typed error, never a panic); text is UTF-8, as the format says.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use std::sync::mpsc;

use flatgeobuf::packed_r_tree::PackedRTree;
use flatgeobuf::{size_prefixed_root_as_feature, ColumnType, FgbReader, Geometry, GeometryType};
use geo::Coord;
use rayon::prelude::*;
use serde_json::Value;

use super::feature::RawRings;
use super::layer::{checked, read_layer, LayerInfo, Msg, RawFeature, RawValue, BATCH_FEATURES};
use super::report::RejectReason;
use super::{IngestOptions, Ingested};
use crate::crs::InputCrs;
use crate::error::{Error, ErrorKind};

/// Reads parcels from a FlatGeobuf file (`.fgb`) without GDAL.
///
/// Every SPEC §2 rule holds as for GeoJSON: the features join the same
/// stream (repair, rejection reasons, duplicate ids and geometries,
/// `accepted + repaired + rejected == features`).
///
/// ```
/// use landstock::ingest::{read_flatgeobuf, IngestOptions};
/// let got = read_flatgeobuf("no/such.fgb".as_ref(), &IngestOptions::default());
/// assert!(got.unwrap_err().to_string().contains("no/such.fgb"));
/// ```
pub fn read_flatgeobuf(path: &Path, opts: &IngestOptions) -> Result<Ingested, Error> {
    let name = path.display().to_string();
    let file = File::open(path).map_err(|error| {
        Error::from(ErrorKind::Io {
            source_name: name.clone(),
            error,
        })
    })?;
    read_layer(&name, Some(path), opts, |tx| pull(file, &name, opts, tx))
}

/// A damaged file, as a typed error naming it and the feature.
fn corrupt(source: &str, index: Option<usize>, what: impl ToString) -> Error {
    Error::from(ErrorKind::Corrupt {
        source_name: source.to_string(),
        feature_index: index,
        what: what.to_string(),
    })
}

/// The reading thread: the header (verified by the crate), then the
/// features' size-prefixed FlatBuffers read in order into a batch buffer
/// and decoded in parallel (verification, rings, property bytes), each
/// batch's results kept in feature order.
fn pull(
    file: File,
    source: &str,
    opts: &IngestOptions,
    tx: &mpsc::SyncSender<Msg>,
) -> Result<(), Error> {
    let mut file = BufReader::with_capacity(1 << 20, file);
    let reader = FgbReader::open(&mut file).map_err(|e| {
        Error::from(ErrorKind::Open {
            source_name: source.to_string(),
            what: format!("not a FlatGeobuf file: {e}"),
        })
    })?;
    let header = reader.header();
    let columns: Vec<(String, ColumnType)> = header
        .columns()
        .map(|cs| {
            cs.iter()
                .map(|c| (c.name().to_string(), c.type_()))
                .collect()
        })
        .unwrap_or_default();
    let layer_type = header.geometry_type();
    let count = header.features_count();
    let node_size = header.index_node_size();
    let info = LayerInfo {
        layer: header.name().unwrap_or("").to_string(),
        crs: header
            .crs()
            .map_or_else(InputCrs::default, |c| crs_of(c.org(), c.code(), c.wkt())),
        fields: Vec::new(),
        id_field: None,
        encoding: encoding_rs::UTF_8,
        // 0 is written by streaming writers that do not know the count
        expected: Some(count).filter(|&n| n > 0),
    };
    drop(reader);
    let (fields, id_field) = LayerInfo::plan_fields(columns.iter().map(|c| c.0.clone()), opts);
    let info = LayerInfo {
        fields,
        id_field,
        ..info
    };
    if tx.send(Msg::Opened(Box::new(info))).is_err() {
        return Ok(());
    }
    let kinds: Vec<ColumnType> = columns.into_iter().map(|c| c.1).collect();
    // the spatial index sits between the header and the features
    let index_bytes = match (count, node_size) {
        (0, _) | (_, 0) => 0,
        (_, 1) => return Err(corrupt(source, None, "index node size 1 (at least 2)")),
        // the index size would not fit in memory (nor in a file)
        (n, _) if n > 1 << 40 => {
            return Err(corrupt(source, None, format!("a feature count of {n}")))
        }
        (n, size) => {
            let n = usize::try_from(n).map_err(|_| corrupt(source, None, "feature count"))?;
            PackedRTree::index_size(n, size)
        }
    };
    std::io::copy(
        &mut (&mut file).take(index_bytes as u64),
        &mut std::io::sink(),
    )
    .map_err(|e| corrupt(source, Some(0), format!("spatial index: {e}")))?;
    let mut buf: Vec<u8> = Vec::with_capacity(BATCH_FEATURES * 256);
    let mut spans: Vec<(usize, usize)> = Vec::with_capacity(BATCH_FEATURES);
    let mut first = 0usize;
    loop {
        let index = first + spans.len();
        let at_end = !read_one(&mut file, &mut buf, &mut spans, source, index)?;
        if spans.len() == BATCH_FEATURES || (at_end && !spans.is_empty()) {
            let batch = decode_batch(&buf, &spans, first, &kinds, layer_type, source)?;
            first += spans.len();
            buf.clear();
            spans.clear();
            if tx.send(Msg::Batch(batch)).is_err() {
                return Ok(());
            }
        }
        if at_end {
            return Ok(());
        }
    }
}

/// The largest feature accepted (a size prefix above it is damage).
const MAX_FEATURE_BYTES: usize = 1 << 30;

/// Appends the next size-prefixed feature to `buf` (prefix included, as
/// the crate's verifier wants it); `false` at a clean end of file.
fn read_one(
    file: &mut impl Read,
    buf: &mut Vec<u8>,
    spans: &mut Vec<(usize, usize)>,
    source: &str,
    index: usize,
) -> Result<bool, Error> {
    let mut size = [0u8; 4];
    let mut got = 0;
    while got < 4 {
        match file.read(&mut size[got..]) {
            Ok(0) if got == 0 => return Ok(false),
            Ok(0) => {
                return Err(corrupt(
                    source,
                    Some(index),
                    "the file ends inside a feature's size",
                ))
            }
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(corrupt(source, Some(index), e)),
        }
    }
    let n = u32::from_le_bytes(size) as usize;
    if n > MAX_FEATURE_BYTES {
        return Err(corrupt(
            source,
            Some(index),
            format!("a feature of {n} bytes"),
        ));
    }
    let start = buf.len();
    buf.extend_from_slice(&size);
    buf.resize(start + 4 + n, 0);
    file.read_exact(&mut buf[start + 4..]).map_err(|e| {
        corrupt(
            source,
            Some(index),
            format!("the file ends inside the feature ({n} bytes wanted): {e}"),
        )
    })?;
    spans.push((start, start + 4 + n));
    Ok(true)
}

/// Verifies and decodes the features `buf[spans]` (numbered from `first`)
/// in parallel; the first damaged one, in file order, is the error.
fn decode_batch(
    buf: &[u8],
    spans: &[(usize, usize)],
    first: usize,
    kinds: &[ColumnType],
    layer_type: GeometryType,
    source: &str,
) -> Result<Vec<RawFeature>, Error> {
    spans
        .par_iter()
        .with_min_len(256)
        .enumerate()
        .map(|(k, &(a, b))| {
            let index = first + k;
            let fb = size_prefixed_root_as_feature(&buf[a..b])
                .map_err(|e| corrupt(source, Some(index), e))?;
            let geometry = match fb.geometry() {
                None => Err(RejectReason::MissingGeometry),
                Some(g) => rings_of(g, layer_type).and_then(checked),
            };
            let fields = match fb.properties() {
                None => Vec::new(),
                Some(p) => properties(p.bytes(), kinds)
                    .map_err(|what| corrupt(source, Some(index), what))?,
            };
            Ok(RawFeature {
                index,
                geometry,
                fields,
            })
        })
        .collect::<Vec<Result<RawFeature, Error>>>()
        .into_iter()
        .collect()
}

/// The header's CRS as PROJ should read it.
fn crs_of(org: Option<&str>, code: i32, wkt: Option<&str>) -> InputCrs {
    let epsg = org.is_none_or(|o| o.eq_ignore_ascii_case("EPSG"));
    if epsg && code > 0 {
        return InputCrs::from_name(&format!("EPSG:{code}"));
    }
    match wkt.map(str::trim).filter(|w| !w.is_empty()) {
        Some(w) => {
            let u = w.to_ascii_uppercase();
            InputCrs::new(w, u.starts_with("GEOGCS") || u.starts_with("GEOGCRS"))
        }
        None => InputCrs::default(),
    }
}

/// Polygon rings of a feature's geometry (its own type when the layer's is
/// `Unknown`, i.e. mixed).
fn rings_of(g: Geometry<'_>, layer_type: GeometryType) -> Result<RawRings, RejectReason> {
    let ty = if layer_type == GeometryType::Unknown {
        g.type_()
    } else {
        layer_type
    };
    match ty {
        GeometryType::Polygon => Ok(vec![polygon(&g)?]),
        GeometryType::MultiPolygon => match g.parts() {
            // parts are polygons
            Some(parts) => parts.iter().map(|p| polygon(&p)).collect(),
            // a multipolygon of one part may be written flat
            None => Ok(vec![polygon(&g)?]),
        },
        other => Err(RejectReason::NonPolygon(type_name(other))),
    }
}

/// The rings of one polygon: `xy` cut at `ends` (counts of points).
fn polygon(g: &Geometry<'_>) -> Result<Vec<Vec<Coord<f64>>>, RejectReason> {
    let Some(xy) = g.xy() else {
        return Ok(Vec::new());
    };
    let n = xy.len() / 2;
    let coord = |i: usize| Coord {
        x: xy.get(2 * i),
        y: xy.get(2 * i + 1),
    };
    let ends: Vec<usize> = match g.ends() {
        Some(e) if !e.is_empty() => e.iter().map(|x| x as usize).collect(),
        _ => vec![n],
    };
    let mut start = 0;
    let mut rings = Vec::with_capacity(ends.len());
    for end in ends {
        if end < start || end > n {
            return Err(RejectReason::UnparseableGeometry(format!(
                "ring end {end} outside the {n} points of the polygon"
            )));
        }
        rings.push((start..end).map(coord).collect());
        start = end;
    }
    Ok(rings)
}

fn type_name(t: GeometryType) -> String {
    match t {
        GeometryType::Point => "Point".into(),
        GeometryType::MultiPoint => "MultiPoint".into(),
        GeometryType::LineString => "LineString".into(),
        GeometryType::MultiLineString => "MultiLineString".into(),
        GeometryType::GeometryCollection => "GeometryCollection".into(),
        other => format!("{other:?}"),
    }
}

/// The property bytes of a feature: `(column: u16, value)` pairs, values
/// little-endian, text and binary and JSON with a `u32` length first.
fn properties(bytes: &[u8], kinds: &[ColumnType]) -> Result<Vec<(u16, RawValue)>, String> {
    let mut out = Vec::new();
    let mut at = 0usize;
    let take = |at: &mut usize, n: usize| -> Result<&[u8], String> {
        let end = at
            .checked_add(n)
            .filter(|&e| e <= bytes.len())
            .ok_or_else(|| format!("property bytes end at {} (wanted {n} at {at})", bytes.len()))?;
        let s = &bytes[*at..end];
        *at = end;
        Ok(s)
    };
    fn arr<const N: usize>(s: &[u8]) -> [u8; N] {
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        a
    }
    // a trailing byte after the last value is tolerated (the crate's reader
    // does: some writers leave one after a binary column)
    while at + 1 < bytes.len() {
        let col = u16::from_le_bytes(arr(take(&mut at, 2)?));
        let Some(&kind) = kinds.get(usize::from(col)) else {
            return Err(format!(
                "property of column {col}, which the header does not have"
            ));
        };
        let v = match kind {
            ColumnType::Bool => RawValue::Bool(take(&mut at, 1)?[0] != 0),
            ColumnType::Byte => RawValue::Int(i64::from(take(&mut at, 1)?[0] as i8)),
            ColumnType::UByte => RawValue::Int(i64::from(take(&mut at, 1)?[0])),
            ColumnType::Short => {
                RawValue::Int(i64::from(i16::from_le_bytes(arr(take(&mut at, 2)?))))
            }
            ColumnType::UShort => {
                RawValue::Int(i64::from(u16::from_le_bytes(arr(take(&mut at, 2)?))))
            }
            ColumnType::Int => RawValue::Int(i64::from(i32::from_le_bytes(arr(take(&mut at, 4)?)))),
            ColumnType::UInt => {
                RawValue::Int(i64::from(u32::from_le_bytes(arr(take(&mut at, 4)?))))
            }
            ColumnType::Long => RawValue::Int(i64::from_le_bytes(arr(take(&mut at, 8)?))),
            ColumnType::ULong => {
                RawValue::Json(Value::from(u64::from_le_bytes(arr(take(&mut at, 8)?))))
            }
            ColumnType::Float => {
                RawValue::Real(f64::from(f32::from_le_bytes(arr(take(&mut at, 4)?))))
            }
            ColumnType::Double => RawValue::Real(f64::from_le_bytes(arr(take(&mut at, 8)?))),
            ColumnType::String | ColumnType::Json | ColumnType::DateTime | ColumnType::Binary => {
                let n = u32::from_le_bytes(arr(take(&mut at, 4)?)) as usize;
                let s = take(&mut at, n)?;
                match kind {
                    // as GDAL's GeoJSON writer does
                    ColumnType::Binary => RawValue::Json(Value::String(
                        s.iter().map(|b| format!("{b:02X}")).collect(),
                    )),
                    _ => RawValue::Text(s.to_vec()),
                }
            }
            other => return Err(format!("column {col} has an unknown type {other:?}")),
        };
        out.push((col, v));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn damaged_property_bytes_are_an_error_not_a_panic() {
        let kinds = [ColumnType::Int, ColumnType::String];
        // column 1, a string said to be 200 bytes long, 3 given
        let mut b = vec![1u8, 0, 200, 0, 0, 0];
        b.extend_from_slice(b"abc");
        assert!(properties(&b, &kinds).unwrap_err().contains("wanted 200"));
        // column 7 is not in the header
        assert!(properties(&[7, 0, 1, 0, 0, 0], &kinds)
            .unwrap_err()
            .contains("column 7"));
        // column 0 = 258, then column 1 = "hi"
        let ok = properties(&[0, 0, 2, 1, 0, 0, 1, 0, 2, 0, 0, 0, b'h', b'i'], &kinds).unwrap();
        assert!(matches!(ok[0], (0, RawValue::Int(258))));
        assert!(matches!(&ok[1], (1, RawValue::Text(t)) if t == b"hi"));
    }
}
