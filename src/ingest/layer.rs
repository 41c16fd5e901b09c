//! What the layer readers (GDAL's, FlatGeobuf's) share: features pulled
//! from a layer as plain values on a thread of their own, then decoded,
//! classified and turned into the very [`ParsedFeature`]s the GeoJSON reader
//! makes, in parallel; from there every SPEC §2 rule runs on the same code.
//!
//! Properties: a field that is null or unset is left out, as a GeoJSON
//! feature without that key would be (none of these formats can tell an
//! explicit null from an absent value). Integers stay integers, reals are
//! written as serde_json writes an `f64`, booleans as `true`/`false`, dates
//! as ISO 8601 text, lists as arrays.

use std::path::Path;
use std::sync::mpsc;

use rayon::prelude::*;
use serde_json::{Map, Value};

use super::feature::{ParsedFeature, RawRings};
use super::report::RejectReason;
use super::{Features, IngestOptions, IngestProgress, Ingested};
use crate::crs::InputCrs;
use crate::error::{Error, ErrorKind};

/// Features per batch handed from the reading thread to the parsers.
pub(super) const BATCH_FEATURES: usize = 16_384;

/// A field's value as the layer gave it, before decoding.
#[derive(Debug)]
pub(super) enum RawValue {
    Int(i64),
    Real(f64),
    Bool(bool),
    /// Text in the layer's encoding (decoded off the reading thread).
    Text(Vec<u8>),
    /// Already JSON (lists, dates).
    Json(Value),
}

/// One feature as pulled from the layer.
pub(super) struct RawFeature {
    pub index: usize,
    pub geometry: Result<RawRings, RejectReason>,
    /// `(field, value)` for every set, non-null field, in layer order.
    pub fields: Vec<(u16, RawValue)>,
}

/// A field, resolved when the layer is opened.
pub(super) struct FieldPlan {
    /// The field's name in the properties (after `[input] rename`).
    pub name: String,
    /// Its name in the layer, for messages.
    pub layer_name: String,
}

/// The layer, resolved once.
pub(super) struct LayerInfo {
    pub layer: String,
    pub crs: InputCrs,
    pub fields: Vec<FieldPlan>,
    /// The field holding parcel ids when no id property is configured:
    /// `id`, which is where GDAL keeps GeoJSON feature ids.
    pub id_field: Option<u16>,
    pub encoding: &'static encoding_rs::Encoding,
    /// Features the layer says it has, when it knows without a scan.
    pub expected: Option<u64>,
}

impl LayerInfo {
    /// The fields of a layer by their names in it, renamed by `[input]
    /// rename`; the `id` field found when `want_id_field`.
    pub fn plan_fields(
        names: impl IntoIterator<Item = String>,
        opts: &IngestOptions,
    ) -> (Vec<FieldPlan>, Option<u16>) {
        let want_id_field = opts.id_property.as_deref().is_none_or(str::is_empty);
        let mut id_field = None;
        let fields = names
            .into_iter()
            .enumerate()
            .map(|(i, name)| {
                let out = opts
                    .rename
                    .get(&name)
                    .cloned()
                    .unwrap_or_else(|| name.clone());
                if want_id_field && out == "id" && id_field.is_none() {
                    id_field = Some(i as u16);
                }
                FieldPlan {
                    name: out,
                    layer_name: name,
                }
            })
            .collect();
        (fields, id_field)
    }
}

/// What the reading thread sends.
pub(super) enum Msg {
    Opened(Box<LayerInfo>),
    Batch(Vec<RawFeature>),
    Failed(Error),
}

/// Runs `pull` on a thread of its own (it sends [`Msg::Opened`] once, then
/// batches), parses the batches in parallel as they come, hashes the file
/// at `hash` meanwhile, and hands everything to the stages every source
/// shares.
pub(super) fn read_layer(
    source_name: &str,
    hash: Option<&Path>,
    opts: &IngestOptions,
    pull: impl FnOnce(&mpsc::SyncSender<Msg>) -> Result<(), Error> + Send,
) -> Result<Ingested, Error> {
    let (tx, rx) = mpsc::sync_channel::<Msg>(2);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            if let Err(e) = pull(&tx) {
                let _ = tx.send(Msg::Failed(e));
            }
        });
        let hashed = scope.spawn(|| hash.map(sha256_file).unwrap_or_default());
        let info = match rx.recv() {
            Ok(Msg::Opened(info)) => info,
            Ok(Msg::Failed(e)) => return Err(e),
            Ok(Msg::Batch(_)) | Err(_) => {
                return Err(Error::from(ErrorKind::Open {
                    source_name: source_name.to_string(),
                    what: "the reader stopped before opening the layer".into(),
                }))
            }
        };
        let mut batches: Vec<Vec<ParsedFeature>> = Vec::new();
        let mut read = 0usize;
        for msg in rx {
            match msg {
                Msg::Batch(raw) => {
                    read += raw.len();
                    batches.push(parse_batch(raw, &info, source_name, opts)?);
                    super::progress(opts, IngestProgress::Read(read));
                }
                Msg::Failed(e) => return Err(e),
                Msg::Opened(_) => {}
            }
        }
        if let Some(n) = info.expected {
            if n != read as u64 {
                return Err(Error::from(ErrorKind::Corrupt {
                    source_name: source_name.to_string(),
                    feature_index: Some(read),
                    what: format!(
                        "layer {:?} says it has {n} features but only {read} could be read (a truncated file?)",
                        info.layer
                    ),
                }));
            }
        }
        let sha256 = hashed.join().unwrap_or_default();
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
            source_name,
            opts,
        )
    })
}

/// SHA-256 of a file (hex); empty when it is not a file (a folder, a
/// connection) or cannot be read.
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
                let Some(plan) = info.fields.get(usize::from(i)) else {
                    continue;
                };
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

/// A real as JSON: serde_json's number, or null for NaN and infinities.
pub(super) fn real(x: f64) -> Value {
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

/// Whether rings hold a coordinate that is not finite, or nothing at all:
/// the geometry's verdict once its rings are read.
pub(super) fn checked(rings: RawRings) -> Result<RawRings, RejectReason> {
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
