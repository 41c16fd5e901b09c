//! Parcels from any vector source GDAL reads: Shapefile, GeoPackage,
//! FlatGeobuf, File Geodatabase, CSV with a WKT column, PostGIS (`PG:`).
//!
//! One reader over GDAL layers. When the layer is opened, everything that
//! does not change from feature to feature is resolved once: which layer,
//! its CRS, each field's type, its name (after `[input] rename`), the text
//! encoding (config, `.cpg`, the `.dbf` language byte, else UTF-8; see
//! [`super::gdal_source`]) and which field holds the id. Features are then
//! pulled from GDAL on a thread of their own (GDAL handles are not `Send`)
//! as plain values and join the shared layer stream ([`super::layer`]).

// See lib.rs: raw attribute bytes and GDAL's thread-local error state are
// only reachable through gdal-sys. Every unsafe block says why it is sound.
#![allow(unsafe_code)]

use std::ffi::CStr;
use std::path::Path;
use std::sync::mpsc;

use gdal::{Dataset, DatasetOptions, GdalOpenFlags};
use gdal_sys::{OGRFieldSubType, OGRFieldType, OGRwkbGeometryType};
use geo::Coord;
use serde_json::Value;

use super::feature::RawRings;
use super::gdal_source::{check_parts, redact, resolve_encoding};
use super::layer::{
    checked, read_layer, real, LayerInfo, Msg, RawFeature, RawValue, BATCH_FEATURES,
};
use super::report::RejectReason;
use super::{IngestOptions, Ingested};
use crate::crs::InputCrs;
use crate::error::{Error, ErrorKind};

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Int,
    Real,
    Bool,
    Text,
    Date,
    DateTime,
    IntList,
    RealList,
    TextList,
    /// Binary: written as upper-case hex text, as GDAL's GeoJSON writer does.
    Binary,
}

/// Reads parcels from a GDAL source: a file or folder (Shapefile,
/// GeoPackage, FlatGeobuf, File Geodatabase, CSV with a WKT column, ...) or
/// a `PG:` connection string. `opts.layer` picks the layer of a source that
/// has several; `opts.encoding` overrides the text encoding (else a
/// Shapefile's `.cpg`, else UTF-8).
///
/// Every SPEC §2 rule holds as for GeoJSON: the features join the same
/// stream (repair, rejection reasons, duplicate ids and geometries,
/// `accepted + repaired + rejected == features`).
///
/// ```no_run
/// use landstock::ingest::{read_gdal, IngestOptions};
/// let got = read_gdal("parcels.gpkg", &IngestOptions { layer: Some("parcels".into()), ..IngestOptions::default() })?;
/// assert_eq!(got.report.accepted + got.report.repaired + got.report.rejected, got.report.total);
/// # Ok::<(), landstock::Error>(())
/// ```
pub fn read_gdal(source: &str, opts: &IngestOptions) -> Result<Ingested, Error> {
    let path = Path::new(source);
    let is_pg = source.starts_with("PG:");
    if !is_pg {
        check_parts(path, source)?;
    }
    let hash = (!is_pg).then_some(path);
    read_layer(&redact(source), hash, opts, |tx| pull(source, opts, tx))
}

/// The last GDAL error on this thread, if it was a failure.
fn last_failure() -> Option<String> {
    // SAFETY: CPL's error state is thread-local; the message is copied out
    // before any other GDAL call on this thread.
    unsafe {
        let t = gdal_sys::CPLGetLastErrorType();
        if t == gdal_sys::CPLErr::CE_Failure || t == gdal_sys::CPLErr::CE_Fatal {
            let m = gdal_sys::CPLGetLastErrorMsg();
            Some(if m.is_null() {
                "unknown GDAL error".into()
            } else {
                CStr::from_ptr(m).to_string_lossy().into_owned()
            })
        } else {
            None
        }
    }
}

/// Quiets GDAL's own printing on this thread while reading (its errors are
/// turned into typed ones); undone on drop.
struct QuietErrors;
impl QuietErrors {
    fn new() -> QuietErrors {
        // SAFETY: pushes a handler on this thread's handler stack.
        unsafe { gdal_sys::CPLPushErrorHandler(Some(gdal_sys::CPLQuietErrorHandler)) };
        QuietErrors
    }
}
impl Drop for QuietErrors {
    fn drop(&mut self) {
        // SAFETY: pops the handler pushed in `new`, on the same thread.
        unsafe { gdal_sys::CPLPopErrorHandler() };
    }
}

/// The GDAL thread: opens the source, resolves the layer, sends batches.
fn pull(source: &str, opts: &IngestOptions, tx: &mpsc::SyncSender<Msg>) -> Result<(), Error> {
    let layer_name = opts.layer.as_deref();
    let _quiet = QuietErrors::new();
    let is_pg = source.starts_with("PG:");
    let path = Path::new(source);
    let is_shp = !is_pg
        && path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("shp") || e.eq_ignore_ascii_case("dbf"));
    let is_csv = !is_pg
        && path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    // Shapefile text comes raw (encoding decided here, not by GDAL) so that
    // bytes invalid in the encoding are an error instead of '?'.
    let mut open_options: Vec<&str> = Vec::new();
    if is_shp {
        open_options.push("ENCODING=");
    }
    if is_csv {
        open_options.extend([
            "GEOM_POSSIBLE_NAMES=WKT,wkt,geometry,geom,the_geom",
            "KEEP_GEOM_COLUMNS=NO",
            "AUTODETECT_TYPE=YES",
        ]);
    }
    let ds = Dataset::open_ex(
        source,
        DatasetOptions {
            open_flags: GdalOpenFlags::GDAL_OF_VECTOR | GdalOpenFlags::GDAL_OF_READONLY,
            open_options: if open_options.is_empty() {
                None
            } else {
                Some(&open_options)
            },
            ..DatasetOptions::default()
        },
    )
    .map_err(|e| {
        Error::from(ErrorKind::Open {
            source_name: redact(source),
            what: last_failure().unwrap_or_else(|| e.to_string()),
        })
    })?;
    use gdal::vector::LayerAccess;
    let names: Vec<String> = ds.layers().map(|l| l.name()).collect();
    let mut layer = match layer_name {
        Some(want) => ds.layer_by_name(want).map_err(|_| {
            Error::from(ErrorKind::Layer {
                source_name: redact(source),
                wanted: Some(want.to_string()),
                available: names.clone(),
            })
        })?,
        None if names.len() == 1 => ds.layer(0).map_err(|e| {
            Error::from(ErrorKind::Open {
                source_name: redact(source),
                what: e.to_string(),
            })
        })?,
        None => {
            return Err(Error::from(ErrorKind::Layer {
                source_name: redact(source),
                wanted: None,
                available: names,
            }))
        }
    };
    let layer_name = layer.name();
    let crs = match layer.spatial_ref() {
        Some(srs) => crs_of(&srs),
        None => InputCrs::default(),
    };
    let enc = resolve_encoding(source, opts.encoding.as_deref(), is_shp)?;
    // SAFETY: the handle is used only while `layer` and `ds` live (this function).
    let c_layer = unsafe { layer.c_layer() };
    // SAFETY: the layer handle lives as long as `ds`, which outlives this
    // function's use of it; the defn is owned by the layer.
    let defn = unsafe { gdal_sys::OGR_L_GetLayerDefn(c_layer) };
    let n_fields = unsafe { gdal_sys::OGR_FD_GetFieldCount(defn) }.max(0) as usize;
    let mut names = Vec::with_capacity(n_fields);
    let mut kinds = Vec::with_capacity(n_fields);
    for i in 0..n_fields {
        // SAFETY: i < field count; the name is copied at once. (The gdal
        // crate's `Field` has no subtype, which tells a boolean.)
        let (name, ty, sub) = unsafe {
            let fd = gdal_sys::OGR_FD_GetFieldDefn(defn, i as i32);
            (
                CStr::from_ptr(gdal_sys::OGR_Fld_GetNameRef(fd))
                    .to_string_lossy()
                    .into_owned(),
                gdal_sys::OGR_Fld_GetType(fd),
                gdal_sys::OGR_Fld_GetSubType(fd),
            )
        };
        kinds.push(match ty {
            OGRFieldType::OFTInteger if sub == OGRFieldSubType::OFSTBoolean => Kind::Bool,
            OGRFieldType::OFTInteger | OGRFieldType::OFTInteger64 => Kind::Int,
            OGRFieldType::OFTReal => Kind::Real,
            OGRFieldType::OFTDate => Kind::Date,
            OGRFieldType::OFTDateTime | OGRFieldType::OFTTime => Kind::DateTime,
            OGRFieldType::OFTIntegerList | OGRFieldType::OFTInteger64List => Kind::IntList,
            OGRFieldType::OFTRealList => Kind::RealList,
            OGRFieldType::OFTStringList => Kind::TextList,
            OGRFieldType::OFTBinary => Kind::Binary,
            _ => Kind::Text,
        });
        names.push(name);
    }
    let (fields, id_field) = LayerInfo::plan_fields(names, opts);
    let info = LayerInfo {
        layer: layer_name,
        crs,
        fields,
        id_field,
        encoding: enc,
        expected: layer.try_feature_count(),
    };
    if tx.send(Msg::Opened(Box::new(info))).is_err() {
        return Ok(());
    }
    layer.reset_feature_reading();
    let mut batch = Vec::with_capacity(BATCH_FEATURES);
    let mut index = 0usize;
    let mut coords: Vec<f64> = Vec::new();
    loop {
        // SAFETY: valid layer; the feature is destroyed below.
        let f = unsafe {
            gdal_sys::CPLErrorReset();
            gdal_sys::OGR_L_GetNextFeature(c_layer)
        };
        if let Some(what) = last_failure() {
            if !f.is_null() {
                unsafe { gdal_sys::OGR_F_Destroy(f) };
            }
            return Err(Error::from(ErrorKind::Corrupt {
                source_name: redact(source),
                feature_index: Some(index),
                what,
            }));
        }
        if f.is_null() {
            break;
        }
        let raw = unsafe { read_feature(f, index, &kinds, &mut coords) };
        unsafe { gdal_sys::OGR_F_Destroy(f) };
        batch.push(raw);
        index += 1;
        if batch.len() == BATCH_FEATURES {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_FEATURES));
            if tx.send(Msg::Batch(full)).is_err() {
                return Ok(());
            }
        }
    }
    if !batch.is_empty() {
        let _ = tx.send(Msg::Batch(batch));
    }
    Ok(())
}

/// The layer's CRS as PROJ should read it: `EPSG:code` when GDAL knows the
/// code (a `.prj` is matched against the EPSG database), else its WKT.
fn crs_of(srs: &gdal::spatial_ref::SpatialRef) -> InputCrs {
    let geographic = srs.is_geographic();
    let epsg = |s: &gdal::spatial_ref::SpatialRef| {
        (s.auth_name().as_deref() == Some("EPSG"))
            .then(|| s.auth_code().ok())
            .flatten()
    };
    let code = epsg(srs).or_else(|| {
        let mut c = srs.clone();
        c.auto_identify_epsg().ok().and_then(|_| epsg(&c))
    });
    match code {
        Some(code) => InputCrs::new(format!("EPSG:{code}"), geographic),
        None => InputCrs::new(srs.to_wkt().unwrap_or_default(), geographic),
    }
}

/// Reads one OGR feature into plain values.
///
/// # Safety
/// `f` is a valid feature whose layer has fields of `kinds`.
unsafe fn read_feature(
    f: gdal_sys::OGRFeatureH,
    index: usize,
    kinds: &[Kind],
    coords: &mut Vec<f64>,
) -> RawFeature {
    let mut fields = Vec::new();
    for (i, &kind) in kinds.iter().enumerate() {
        let k = i as i32;
        if gdal_sys::OGR_F_IsFieldSetAndNotNull(f, k) == 0 {
            continue;
        }
        let v = match kind {
            Kind::Int => RawValue::Int(gdal_sys::OGR_F_GetFieldAsInteger64(f, k)),
            Kind::Bool => RawValue::Bool(gdal_sys::OGR_F_GetFieldAsInteger(f, k) != 0),
            Kind::Real => RawValue::Real(gdal_sys::OGR_F_GetFieldAsDouble(f, k)),
            Kind::Text => RawValue::Text(cstr_bytes(gdal_sys::OGR_F_GetFieldAsString(f, k))),
            Kind::Date | Kind::DateTime => {
                let t =
                    String::from_utf8_lossy(&cstr_bytes(gdal_sys::OGR_F_GetFieldAsString(f, k)))
                        .replace('/', "-");
                let t = if kind == Kind::DateTime {
                    t.replacen(' ', "T", 1)
                } else {
                    t
                };
                RawValue::Json(Value::String(t))
            }
            Kind::IntList => {
                let mut n = 0;
                let p = gdal_sys::OGR_F_GetFieldAsInteger64List(f, k, &mut n);
                let xs = if p.is_null() || n <= 0 {
                    &[][..]
                } else {
                    std::slice::from_raw_parts(p, n as usize)
                };
                RawValue::Json(Value::from(xs.to_vec()))
            }
            Kind::RealList => {
                let mut n = 0;
                let p = gdal_sys::OGR_F_GetFieldAsDoubleList(f, k, &mut n);
                let xs = if p.is_null() || n <= 0 {
                    &[][..]
                } else {
                    std::slice::from_raw_parts(p, n as usize)
                };
                RawValue::Json(Value::Array(xs.iter().map(|&x| real(x)).collect()))
            }
            Kind::TextList => {
                let mut out = Vec::new();
                let mut p = gdal_sys::OGR_F_GetFieldAsStringList(f, k);
                while !p.is_null() && !(*p).is_null() {
                    out.push(Value::String(
                        CStr::from_ptr(*p).to_string_lossy().into_owned(),
                    ));
                    p = p.add(1);
                }
                RawValue::Json(Value::Array(out))
            }
            Kind::Binary => {
                let mut n = 0;
                let p = gdal_sys::OGR_F_GetFieldAsBinary(f, k, &mut n);
                let xs = if p.is_null() || n <= 0 {
                    &[][..]
                } else {
                    std::slice::from_raw_parts(p, n as usize)
                };
                RawValue::Json(Value::String(
                    xs.iter().map(|b| format!("{b:02X}")).collect(),
                ))
            }
        };
        fields.push((i as u16, v));
    }
    let g = gdal_sys::OGR_F_GetGeometryRef(f);
    let geometry = if g.is_null() {
        Err(RejectReason::MissingGeometry)
    } else {
        read_geometry(g, coords)
    };
    RawFeature {
        index,
        geometry,
        fields,
    }
}

/// # Safety
/// `p` is null or a NUL-terminated string.
unsafe fn cstr_bytes(p: *const std::os::raw::c_char) -> Vec<u8> {
    if p.is_null() {
        Vec::new()
    } else {
        CStr::from_ptr(p).to_bytes().to_vec()
    }
}

/// Polygon rings from an OGR geometry (curves are linearised).
///
/// # Safety
/// `g` is a valid geometry.
unsafe fn read_geometry(
    g: gdal_sys::OGRGeometryH,
    coords: &mut Vec<f64>,
) -> Result<RawRings, RejectReason> {
    let ty = gdal_sys::OGR_GT_Flatten(gdal_sys::OGR_G_GetGeometryType(g));
    use OGRwkbGeometryType as T;
    match ty {
        T::wkbPolygon | T::wkbMultiPolygon => {}
        T::wkbCurvePolygon
        | T::wkbMultiSurface
        | T::wkbTriangle
        | T::wkbPolyhedralSurface
        | T::wkbTIN => {
            let lin = gdal_sys::OGR_G_GetLinearGeometry(g, 0.0, std::ptr::null_mut());
            if lin.is_null() {
                return Err(RejectReason::UnparseableGeometry(format!(
                    "{} could not be linearised",
                    geometry_name(g)
                )));
            }
            let lin = gdal_sys::OGR_G_ForceToMultiPolygon(lin);
            let out = if lin.is_null() {
                Err(RejectReason::NonPolygon(geometry_name(g)))
            } else {
                read_geometry(lin, coords)
            };
            if !lin.is_null() {
                gdal_sys::OGR_G_DestroyGeometry(lin);
            }
            return out;
        }
        _ => return Err(RejectReason::NonPolygon(geometry_name(g))),
    }
    if gdal_sys::OGR_G_IsEmpty(g) != 0 {
        return Err(RejectReason::EmptyGeometry);
    }
    let polygon = |p: gdal_sys::OGRGeometryH, coords: &mut Vec<f64>| -> Vec<Vec<Coord<f64>>> {
        let n = gdal_sys::OGR_G_GetGeometryCount(p).max(0);
        (0..n)
            .map(|r| {
                let ring = gdal_sys::OGR_G_GetGeometryRef(p, r);
                let m = gdal_sys::OGR_G_GetPointCount(ring).max(0) as usize;
                coords.clear();
                coords.resize(2 * m, 0.0);
                let base = coords.as_mut_ptr();
                gdal_sys::OGR_G_GetPoints(
                    ring,
                    base.cast(),
                    16,
                    base.add(1).cast(),
                    16,
                    std::ptr::null_mut(),
                    0,
                );
                coords
                    .chunks_exact(2)
                    .map(|c| Coord { x: c[0], y: c[1] })
                    .collect()
            })
            .collect()
    };
    let rings: RawRings = if ty == T::wkbPolygon {
        vec![polygon(g, coords)]
    } else {
        let n = gdal_sys::OGR_G_GetGeometryCount(g).max(0);
        (0..n)
            .map(|k| polygon(gdal_sys::OGR_G_GetGeometryRef(g, k), coords))
            .collect()
    };
    checked(rings)
}

/// # Safety
/// `g` is a valid geometry.
unsafe fn geometry_name(g: gdal_sys::OGRGeometryH) -> String {
    let p = gdal_sys::OGR_G_GetGeometryName(g);
    if p.is_null() {
        "unknown".into()
    } else {
        let n = CStr::from_ptr(p).to_string_lossy();
        // OGR says POLYGON, POINT...; GeoJSON's spelling reads better
        match n.as_ref() {
            "POINT" => "Point".into(),
            "MULTIPOINT" => "MultiPoint".into(),
            "LINESTRING" => "LineString".into(),
            "MULTILINESTRING" => "MultiLineString".into(),
            "GEOMETRYCOLLECTION" => "GeometryCollection".into(),
            other => other.to_string(),
        }
    }
}
