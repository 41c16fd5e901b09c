//! Reading one feature's text: id, geometry (as lon/lat or input-CRS rings),
//! properties kept raw, and the tag mapping applied.

use std::borrow::Cow;

use geo::Coord;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::report::{RejectReason, RepairKind};
use crate::landuse::{Classification, TagMapping};

/// Rings as read: polygons → rings → coordinates (not yet closed/deduplicated).
pub(crate) type RawRings = Vec<Vec<Vec<Coord<f64>>>>;

/// A feature after the first, per-feature stage.
pub(crate) struct ParsedFeature {
    pub index: usize,
    /// Resolved id text (feature id, configured property, or the index).
    pub id: Option<String>,
    /// Geometry after ring fixes, or why it was rejected.
    pub geometry: Result<RawRings, RejectReason>,
    pub repairs: Vec<RepairKind>,
    pub properties: Option<Box<RawValue>>,
    pub class: Option<Classification>,
}

#[derive(Deserialize)]
struct FeatureText<'a> {
    #[serde(rename = "type", borrow, default)]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    id: Option<&'a RawValue>,
    #[serde(borrow, default)]
    geometry: Option<&'a RawValue>,
    #[serde(borrow, default)]
    properties: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct GeometryText<'a> {
    #[serde(rename = "type", borrow)]
    kind: Cow<'a, str>,
    #[serde(borrow, default)]
    coordinates: Option<&'a RawValue>,
}

/// A position: at least two numbers; `null` (and bare NaN/Infinity, rewritten
/// to null by the splitter) reads as NaN so that it is rejected as non-finite.
struct Position(Coord<f64>);

impl<'de> Deserialize<'de> for Position {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Position;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a position [x, y]")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Position, A::Error> {
                let x: Option<f64> = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(0, &self))?;
                let y: Option<f64> = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(1, &self))?;
                // z and any further ordinates are read and dropped
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(Position(Coord {
                    x: x.unwrap_or(f64::NAN),
                    y: y.unwrap_or(f64::NAN),
                }))
            }
        }
        d.deserialize_seq(V)
    }
}

/// The fatal outcome of reading a feature: its JSON is broken.
pub(crate) struct SyntaxError {
    /// Byte offset inside the feature text.
    pub at: usize,
    pub what: String,
}

fn offset_of(text: &[u8], line: usize, column: usize) -> usize {
    let mut l = 1;
    let mut i = 0;
    while l < line && i < text.len() {
        if text[i] == b'\n' {
            l += 1;
        }
        i += 1;
    }
    (i + column.saturating_sub(1)).min(text.len())
}

/// Reads one feature. `Err` only when the text is not valid JSON (the file is
/// then malformed); anything else wrong with a feature becomes a rejection.
pub(crate) fn parse_feature(
    text: &[u8],
    index: usize,
    nonfinite: bool,
    id_property: Option<&str>,
    mapping: &TagMapping,
) -> Result<ParsedFeature, SyntaxError> {
    let patched;
    let text = if nonfinite {
        patched = super::split::patch_nonfinite(text);
        &patched[..]
    } else {
        text
    };
    let mut out = ParsedFeature {
        index,
        id: None,
        geometry: Err(RejectReason::MissingGeometry),
        repairs: vec![],
        properties: None,
        class: None,
    };
    let f: FeatureText = match serde_json::from_slice(text) {
        Ok(f) => f,
        Err(e) if e.is_data() => {
            out.geometry = Err(RejectReason::InvalidFeature(format!(
                "not a GeoJSON Feature object: {e}"
            )));
            return Ok(out);
        }
        Err(e) => {
            return Err(SyntaxError {
                at: offset_of(text, e.line(), e.column()),
                what: format!("invalid JSON in feature {index}: {e}"),
            })
        }
    };
    let invalid = |m: String| Err(RejectReason::InvalidFeature(m));
    match f.kind.as_deref() {
        Some("Feature") => {}
        Some(other) => {
            out.geometry = invalid(format!("\"type\" is {other:?}, expected \"Feature\""));
            return Ok(out);
        }
        None => {
            out.geometry = invalid("no \"type\": \"Feature\" member".into());
            return Ok(out);
        }
    }
    // properties: an object or null (RFC 7946 §3.2)
    let props_map = match f.properties {
        None => None,
        Some(raw) => {
            match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(raw.get()) {
                Ok(m) => {
                    out.properties = Some(raw.to_owned());
                    Some(m)
                }
                Err(e) => {
                    out.geometry =
                        invalid(format!("\"properties\" must be an object or null: {e}"));
                    return Ok(out);
                }
            }
        }
    };
    // id: configured property, else the feature id, else the index
    let id_text = |v: &serde_json::Value| -> Option<Result<String, String>> {
        match v {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) => Some(Ok(s.clone())),
            serde_json::Value::Number(n) => Some(Ok(n.to_string())),
            other => Some(Err(format!(
                "an id must be a string or a number, found {other}"
            ))),
        }
    };
    let id = match id_property.filter(|p| !p.is_empty()) {
        Some(p) => match props_map.as_ref().and_then(|m| m.get(p)).and_then(id_text) {
            Some(Ok(s)) => Some(s),
            Some(Err(m)) => {
                out.geometry = invalid(format!("property {p:?}: {m}"));
                return Ok(out);
            }
            None => {
                out.geometry = invalid(format!("the id property {p:?} is missing or null"));
                return Ok(out);
            }
        },
        None => match f
            .id
            .map(|raw| serde_json::from_str::<serde_json::Value>(raw.get()))
        {
            Some(Ok(v)) => match id_text(&v) {
                Some(Ok(s)) => Some(s),
                Some(Err(m)) => {
                    out.geometry = invalid(m);
                    return Ok(out);
                }
                None => None,
            },
            Some(Err(e)) => {
                out.geometry = invalid(format!("bad id: {e}"));
                return Ok(out);
            }
            None => None,
        },
    };
    out.id = Some(id.unwrap_or_else(|| index.to_string()));
    out.class = Some(mapping.classify(props_map.as_ref()));
    out.geometry = match f.geometry {
        None => Err(RejectReason::MissingGeometry),
        Some(g) => read_geometry(g.get()),
    };
    Ok(out)
}

fn read_geometry(text: &str) -> Result<RawRings, RejectReason> {
    let g: GeometryText =
        serde_json::from_str(text).map_err(|e| RejectReason::UnparseableGeometry(e.to_string()))?;
    let coords = || {
        g.coordinates.ok_or_else(|| {
            RejectReason::UnparseableGeometry(format!("{} has no \"coordinates\"", g.kind))
        })
    };
    let parse_err =
        |e: serde_json::Error| RejectReason::UnparseableGeometry(format!("{}: {e}", g.kind));
    let polys: Vec<Vec<Vec<Position>>> = match g.kind.as_ref() {
        "Polygon" => vec![serde_json::from_str(coords()?.get()).map_err(parse_err)?],
        "MultiPolygon" => serde_json::from_str(coords()?.get()).map_err(parse_err)?,
        t @ ("Point" | "MultiPoint" | "LineString" | "MultiLineString" | "GeometryCollection") => {
            return Err(RejectReason::NonPolygon(t.to_string()))
        }
        other => {
            return Err(RejectReason::UnparseableGeometry(format!(
                "unknown geometry type {other:?}"
            )))
        }
    };
    let rings: RawRings = polys
        .into_iter()
        .map(|p| {
            p.into_iter()
                .map(|r| r.into_iter().map(|c| c.0).collect())
                .collect()
        })
        .collect();
    if rings.iter().all(|p| p.iter().all(|r| r.is_empty())) {
        return Err(RejectReason::EmptyGeometry);
    }
    for c in rings.iter().flatten().flatten() {
        if !c.x.is_finite() || !c.y.is_finite() {
            return Err(RejectReason::NonFiniteCoordinate);
        }
    }
    Ok(rings)
}
