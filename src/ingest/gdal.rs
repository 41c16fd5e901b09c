//! Parcels from any vector source GDAL reads: Shapefile, GeoPackage,
//! FlatGeobuf, File Geodatabase, CSV with a WKT column, PostGIS (`PG:`).
//!
//! One reader over GDAL layers. When the layer is opened, everything that
//! does not change from feature to feature is resolved once: which layer,
//! its CRS, each field's type, its name (after `[input] rename`), the text
//! encoding (config, `.cpg`, the `.dbf` language byte, else UTF-8) and which
//! field holds the id. Features are then pulled from GDAL on a thread of
//! their own (GDAL handles are not `Send`) as plain values, and decoded,
//! classified and turned into the very [`ParsedFeature`]s the GeoJSON reader
//! makes, in parallel; from there every SPEC §2 rule runs on the same code.
//!
//! Properties: a field that is null or unset is left out, as a GeoJSON
//! feature without that key would be (none of these formats can tell an
//! explicit null from an absent value). Integers stay integers, reals are
//! written as serde_json writes an `f64`, booleans (GeoPackage's boolean
//! subtype) as `true`/`false`, dates as ISO 8601 text, lists as arrays.

// See lib.rs: raw attribute bytes and GDAL's thread-local error state are
// only reachable through gdal-sys. Every unsafe block says why it is sound.
#![allow(unsafe_code)]

use std::collections::BTreeMap;
use std::ffi::CStr;
use std::path::Path;
use std::sync::mpsc;

use gdal::{Dataset, DatasetOptions, GdalOpenFlags};
use gdal_sys::{OGRFieldSubType, OGRFieldType, OGRwkbGeometryType};
use geo::Coord;
use rayon::prelude::*;
use serde_json::{Map, Value};

use super::feature::{ParsedFeature, RawRings};
use super::report::RejectReason;
use super::{Features, IngestOptions, IngestProgress, Ingested};
use crate::crs::InputCrs;
use crate::error::{Error, ErrorKind};

/// Features per batch handed from the GDAL thread to the parsers.
const BATCH_FEATURES: usize = 16_384;

/// A field's value as GDAL gave it, before decoding.
enum RawValue {
    Int(i64),
    Real(f64),
    Bool(bool),
    /// Text in the layer's encoding (decoded off the GDAL thread).
    Text(Vec<u8>),
    /// Already JSON (lists, dates).
    Json(Value),
}

/// One feature as pulled from GDAL.
struct RawFeature {
    index: usize,
    geometry: Result<RawRings, RejectReason>,
    /// `(field, value)` for every set, non-null field, in layer order.
    fields: Vec<(u16, RawValue)>,
}

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

/// A field, resolved when the layer is opened.
struct FieldPlan {
    /// The field's name in the properties (after `[input] rename`).
    name: String,
    /// Its name in the layer, for messages.
    layer_name: String,
    kind: Kind,
}

/// The layer, resolved once.
struct LayerInfo {
    layer: String,
    crs: InputCrs,
    fields: Vec<FieldPlan>,
    /// The field holding parcel ids when no id property is configured:
    /// `id`, which is where GDAL keeps GeoJSON feature ids.
    id_field: Option<u16>,
    encoding: &'static encoding_rs::Encoding,
    /// Features the layer says it has, when it knows without a scan.
    expected: Option<u64>,
}

enum Msg {
    Opened(Box<LayerInfo>),
    Batch(Vec<RawFeature>),
    Failed(Error),
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
    let (tx, rx) = mpsc::sync_channel::<Msg>(2);
    let owned_source = source.to_string();
    let layer_opt = opts.layer.clone();
    let encoding_opt = opts.encoding.clone();
    let rename = opts.rename.clone();
    let id_property = opts.id_property.clone().filter(|p| !p.is_empty());
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let done = pull(
                &owned_source,
                layer_opt.as_deref(),
                encoding_opt.as_deref(),
                &rename,
                id_property.is_none(),
                &tx,
            );
            if let Err(e) = done {
                let _ = tx.send(Msg::Failed(e));
            }
        });
        let hash = scope.spawn(|| {
            if is_pg {
                String::new()
            } else {
                sha256_file(path)
            }
        });
        let info = match rx.recv() {
            Ok(Msg::Opened(info)) => info,
            Ok(Msg::Failed(e)) => return Err(e),
            Ok(Msg::Batch(_)) | Err(_) => {
                return Err(Error::from(ErrorKind::Open {
                    source_name: source.to_string(),
                    what: "the GDAL reader stopped before opening the layer".into(),
                }))
            }
        };
        let mut batches: Vec<Vec<ParsedFeature>> = Vec::new();
        let mut read = 0usize;
        for msg in rx {
            match msg {
                Msg::Batch(raw) => {
                    read += raw.len();
                    batches.push(parse_batch(raw, &info, source, opts)?);
                    super::progress(opts, IngestProgress::Read(read));
                }
                Msg::Failed(e) => return Err(e),
                Msg::Opened(_) => {}
            }
        }
        if let Some(n) = info.expected {
            if n != read as u64 {
                return Err(Error::from(ErrorKind::Corrupt {
                    source_name: source.to_string(),
                    feature_index: Some(read),
                    what: format!(
                        "layer {:?} says it has {n} features but only {read} could be read (a truncated file?)",
                        info.layer
                    ),
                }));
            }
        }
        let sha256 = hash.join().unwrap_or_default();
        super::finish(
            Features {
                batches,
                input_crs: match &opts.input_crs {
                    Some(_) if opts.is_gcj02() => InputCrs::default(),
                    Some(name) => InputCrs::from_name(name),
                    None => info.crs.clone(),
                },
                sha256,
            },
            source,
            opts,
        )
    })
}

/// A Shapefile needs its `.dbf` (attributes) and `.shx` (index): GDAL would
/// otherwise open it with no attributes or rebuild the index silently.
fn check_parts(path: &Path, source: &str) -> Result<(), Error> {
    if let Err(error) = std::fs::metadata(path) {
        return Err(Error::from(ErrorKind::Io {
            source_name: source.to_string(),
            error,
        }));
    }
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if ext.eq_ignore_ascii_case("shp") {
        for part in ["dbf", "shx"] {
            let found = [part.to_string(), part.to_ascii_uppercase()]
                .iter()
                .any(|e| path.with_extension(e).is_file());
            if !found {
                return Err(Error::from(ErrorKind::MissingPart {
                    source_name: source.to_string(),
                    part: path.with_extension(part).display().to_string(),
                }));
            }
        }
    }
    Ok(())
}

fn sha256_file(path: &Path) -> String {
    use sha2::{Digest, Sha256};
    if !path.is_file() {
        return String::new();
    }
    let Ok(mut f) = std::fs::File::open(path) else {
        return String::new();
    };
    let mut h = Sha256::new();
    if std::io::copy(&mut f, &mut h).is_err() {
        return String::new();
    }
    super::hex(&h.finalize())
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
fn pull(
    source: &str,
    layer_name: Option<&str>,
    encoding: Option<&str>,
    rename: &BTreeMap<String, String>,
    want_id_field: bool,
    tx: &mpsc::SyncSender<Msg>,
) -> Result<(), Error> {
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
    let layer = match layer_name {
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
    let enc = resolve_encoding(source, encoding, is_shp)?;
    // SAFETY: the handle is used only while `layer` and `ds` live (this function).
    let c_layer = unsafe { layer.c_layer() };
    // SAFETY: the layer handle lives as long as `ds`, which outlives this
    // function's use of it; the defn is owned by the layer.
    let defn = unsafe { gdal_sys::OGR_L_GetLayerDefn(c_layer) };
    let n_fields = unsafe { gdal_sys::OGR_FD_GetFieldCount(defn) }.max(0) as usize;
    let mut fields = Vec::with_capacity(n_fields);
    let mut id_field = None;
    for i in 0..n_fields {
        // SAFETY: i < field count; the name is copied at once.
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
        let kind = match ty {
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
        };
        let out_name = rename.get(&name).cloned().unwrap_or_else(|| name.clone());
        if want_id_field && out_name == "id" {
            id_field = Some(i as u16);
        }
        fields.push(FieldPlan {
            name: out_name,
            layer_name: name,
            kind,
        });
    }
    // SAFETY: plain call on a valid layer; -1 when a count needs a scan.
    let expected = unsafe { gdal_sys::OGR_L_GetFeatureCount(c_layer, 0) };
    let info = LayerInfo {
        layer: layer_name,
        crs,
        fields,
        id_field,
        encoding: enc,
        expected: (expected >= 0).then_some(expected as u64),
    };
    let kinds: Vec<Kind> = info.fields.iter().map(|f| f.kind).collect();
    if tx.send(Msg::Opened(Box::new(info))).is_err() {
        return Ok(());
    }
    // SAFETY: valid layer handle.
    unsafe { gdal_sys::OGR_L_ResetReading(c_layer) };
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

/// A connection string's password is not repeated in messages.
fn redact(source: &str) -> String {
    if !source.starts_with("PG:") {
        return source.to_string();
    }
    source
        .split_whitespace()
        .map(|kv| {
            if kv.to_ascii_lowercase().starts_with("password=") {
                "password=***"
            } else {
                kv
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
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

/// A text encoding by name or code page, as `.cpg` files and users write it.
///
/// ```
/// use landstock::ingest::encoding_by_name;
/// assert_eq!(encoding_by_name("GBK").unwrap().name(), "GBK");
/// assert_eq!(encoding_by_name("936").unwrap().name(), "GBK");
/// assert_eq!(encoding_by_name("utf8").unwrap().name(), "UTF-8");
/// assert!(encoding_by_name("klingon").is_none());
/// ```
pub fn encoding_by_name(name: &str) -> Option<&'static encoding_rs::Encoding> {
    let n = name.trim().to_ascii_lowercase();
    let n = n.strip_prefix("cp").unwrap_or(&n);
    let label = match n {
        "936" | "gb2312" | "gbk" => "gbk",
        "54936" | "gb18030" => "gb18030",
        "950" | "big5" => "big5",
        "65001" | "utf8" | "utf-8" => "utf-8",
        "1252" | "ansi 1252" => "windows-1252",
        "932" | "sjis" | "shift_jis" => "shift_jis",
        "949" => "euc-kr",
        other => other,
    };
    encoding_rs::Encoding::for_label(label.as_bytes())
}

/// The encoding of a source's text: the configured one, else a Shapefile's
/// `.cpg`, else its `.dbf` language driver byte, else UTF-8.
fn resolve_encoding(
    source: &str,
    configured: Option<&str>,
    is_shp: bool,
) -> Result<&'static encoding_rs::Encoding, Error> {
    if let Some(name) = configured {
        return encoding_by_name(name).ok_or_else(|| {
            Error::from(ErrorKind::Encoding {
                source_name: source.to_string(),
                feature_index: None,
                field: None,
                encoding: name.to_string(),
                what: "unknown encoding; give e.g. \"GBK\", \"UTF-8\", \"Big5\", \"windows-1252\""
                    .into(),
            })
        });
    }
    if is_shp {
        let p = Path::new(source);
        for ext in ["cpg", "CPG"] {
            if let Ok(text) = std::fs::read_to_string(p.with_extension(ext)) {
                let name = text.trim();
                return encoding_by_name(name).ok_or_else(|| {
                    Error::from(ErrorKind::Encoding {
                        source_name: p.with_extension(ext).display().to_string(),
                        feature_index: None,
                        field: None,
                        encoding: name.to_string(),
                        what: "the .cpg names an encoding landstock does not know; set [input] encoding".into(),
                    })
                });
            }
        }
        // byte 29 of the .dbf header: the language driver id
        for ext in ["dbf", "DBF"] {
            if let Ok(bytes) = std::fs::read(p.with_extension(ext)).map(|b| b.get(29).copied()) {
                let enc = match bytes {
                    Some(0x4D | 0x7A) => encoding_rs::GBK,
                    Some(0x78) => encoding_rs::BIG5,
                    Some(0x03 | 0x57 | 0x58 | 0x59) => encoding_rs::WINDOWS_1252,
                    _ => encoding_rs::UTF_8,
                };
                return Ok(enc);
            }
        }
    }
    Ok(encoding_rs::UTF_8)
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
    if rings.iter().all(|p| p.iter().all(|r| r.is_empty())) {
        return Err(RejectReason::EmptyGeometry);
    }
    if rings
        .iter()
        .flatten()
        .flatten()
        .any(|c| !c.x.is_finite() || !c.y.is_finite())
    {
        return Err(RejectReason::NonFiniteCoordinate);
    }
    Ok(rings)
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

/// Decodes a batch in parallel: text, properties, id, classification.
fn parse_batch(
    raw: Vec<RawFeature>,
    info: &LayerInfo,
    source: &str,
    opts: &IngestOptions,
) -> Result<Vec<ParsedFeature>, Error> {
    let id_property = opts.id_property.as_deref().filter(|p| !p.is_empty());
    raw.into_par_iter()
        .with_min_len(256)
        .map(|f| {
            let mut map = Map::new();
            // the properties' text keeps the layer's field order (a Map
            // would sort the keys)
            let mut text = String::from("{");
            let mut id: Option<String> = None;
            for (i, v) in f.fields {
                let plan = &info.fields[i as usize];
                let value = match v {
                    RawValue::Int(x) => Value::from(x),
                    RawValue::Real(x) => real(x),
                    RawValue::Bool(b) => Value::Bool(b),
                    RawValue::Json(v) => v,
                    RawValue::Text(bytes) => {
                        let (text, had_errors) =
                            info.encoding.decode_without_bom_handling(&bytes);
                        if had_errors {
                            return Err(Error::from(ErrorKind::Encoding {
                                source_name: source.to_string(),
                                feature_index: Some(f.index),
                                field: Some(plan.layer_name.clone()),
                                encoding: info.encoding.name().to_string(),
                                what: "bytes that are not valid in this encoding; set [input] encoding (e.g. \"GBK\") or fix the .cpg".into(),
                            }));
                        }
                        Value::String(text.into_owned())
                    }
                };
                if Some(i) == info.id_field {
                    id = match &value {
                        Value::String(s) => Some(s.clone()),
                        other => Some(other.to_string()),
                    };
                    continue;
                }
                if text.len() > 1 {
                    text.push(',');
                }
                text.push_str(&Value::String(plan.name.clone()).to_string());
                text.push(':');
                text.push_str(&value.to_string());
                map.insert(plan.name.clone(), value);
            }
            let mut out = ParsedFeature {
                index: f.index,
                id: None,
                geometry: f.geometry,
                repairs: vec![],
                properties: None,
                class: None,
            };
            if let Some(p) = id_property {
                match map.get(p) {
                    Some(Value::String(s)) => id = Some(s.clone()),
                    Some(Value::Number(n)) => id = Some(n.to_string()),
                    Some(other) => {
                        out.geometry = Err(RejectReason::InvalidFeature(format!(
                            "property {p:?}: an id must be a string or a number, found {other}"
                        )));
                        return Ok(out);
                    }
                    None => {
                        out.geometry = Err(RejectReason::InvalidFeature(format!(
                            "the id property {p:?} is missing or null"
                        )));
                        return Ok(out);
                    }
                }
            }
            out.id = Some(id.unwrap_or_else(|| f.index.to_string()));
            out.class = Some(opts.mapping.classify(Some(&map)));
            text.push('}');
            out.properties =
                Some(serde_json::value::RawValue::from_string(text).expect("valid JSON"));
            Ok(out)
        })
        // in order, so that the error reported is the first feature's,
        // whichever thread found it (rayon's Result collect keeps any one)
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

fn real(x: f64) -> Value {
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}
