//! A warning for a mapping that does not fit the data: when most parcels
//! map to no class, [`MappingHint`] names the property fields the parcels
//! have and the built-in preset (and field) that would classify most of
//! them, found by trying every preset on every field of a sample.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value};

use super::IngestReport;
use crate::config::MappingConfig;
use crate::landuse::TagMapping;
use crate::parcel::LandUse;
use crate::stock::ParcelStock;

/// Parcels sampled (evenly spread over the file) to find the fields and try the presets.
const SAMPLE: usize = 1000;

/// The presets tried, in the order that breaks ties, with their default field.
const PRESETS: [(&str, Option<&str>); 5] = [
    ("gb50137", Some("gb_code")),
    ("gb21010", Some("DLBM")),
    ("ydyh", Some("YDYHFLDM")),
    ("euluc", Some("Level2")),
    ("osm", None),
];

/// Most parcels are unmapped: how many, the fields seen, and a preset that
/// fits better, if one does.
///
/// ```
/// use landstock::ingest::{read_geojson, IngestOptions, MappingHint};
/// let lot = |i: usize, code: &str| format!(r#"{{"type":"Feature","id":"p{i}","properties":{{"YDDM":"{code}","name":"x"}},
///     "geometry":{{"type":"Polygon","coordinates":[[[{x},46.6],[{x2},46.6],[{x2},46.601],[{x},46.601],[{x},46.6]]]}}}}"#,
///     x = 125.0 + 0.002 * i as f64, x2 = 125.001 + 0.002 * i as f64);
/// let text = format!(r#"{{"type":"FeatureCollection","features":[{},{},{}]}}"#,
///     lot(0, "M1"), lot(1, "R2"), lot(2, "G1"));
/// let opts = IngestOptions::default(); // the osm preset: nothing maps
/// let got = read_geojson(text.as_bytes(), "city.geojson", &opts).unwrap();
/// let hint = MappingHint::of(&got.stock, &got.report, &opts.mapping).unwrap();
/// assert_eq!((hint.unmapped, hint.parcels), (3, 3));
/// assert_eq!(hint.fields, ["YDDM", "name"]);
/// let s = hint.suggestion.as_ref().unwrap();
/// assert_eq!((s.preset, s.field.as_str(), s.mapped, s.sampled), ("gb50137", "YDDM", 3, 3));
/// assert!(hint.to_string().contains(r#"preset = "gb50137""#));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct MappingHint {
    /// Parcels whose land use mapped to nothing.
    pub unmapped: usize,
    /// Accepted parcels.
    pub parcels: usize,
    /// The preset in use.
    pub preset: &'static str,
    /// Property names of the sampled parcels, most common first.
    pub fields: Vec<String>,
    /// The best preset and field on the sample, when it classifies more than
    /// half of it and more than the mapping in use.
    pub suggestion: Option<PresetSuggestion>,
}

/// A preset that fits the data.
#[derive(Debug, Clone, PartialEq)]
pub struct PresetSuggestion {
    /// `gb50137`, `gb21010`, `ydyh`, `euluc` or `osm`.
    pub preset: &'static str,
    /// The field it reads (empty for `osm`).
    pub field: String,
    /// Whether `field` is the preset's default (no `field =` needed).
    pub default_field: bool,
    /// Sampled parcels it classifies.
    pub mapped: usize,
    /// Parcels sampled.
    pub sampled: usize,
}

impl MappingHint {
    /// The hint, when more than half of the accepted parcels are unmapped.
    pub fn of(
        stock: &ParcelStock,
        report: &IngestReport,
        mapping: &TagMapping,
    ) -> Option<MappingHint> {
        let unmapped: usize = report.unmapped.values().sum();
        let parcels = stock.len();
        if parcels == 0 || 2 * unmapped <= parcels {
            return None;
        }
        let step = parcels.div_ceil(SAMPLE).max(1);
        let sample: Vec<(Map<String, Value>, LandUse)> = stock
            .parcels()
            .iter()
            .step_by(step)
            .map(|p| {
                let props = p
                    .properties
                    .as_ref()
                    .and_then(|raw| serde_json::from_str::<Map<String, Value>>(raw.get()).ok())
                    .unwrap_or_default();
                (props, p.land_use)
            })
            .collect();
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for (props, _) in &sample {
            for k in props.keys() {
                *seen.entry(k.as_str()).or_insert(0) += 1;
            }
        }
        let mut fields: Vec<(&str, usize)> = seen.into_iter().collect();
        fields.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let mapped_now = sample
            .iter()
            .filter(|(_, c)| *c != LandUse::Unknown)
            .count();
        let mut best: Option<(usize, bool, PresetSuggestion)> = None;
        for (rank, &(preset, default)) in PRESETS.iter().enumerate() {
            let tried: Vec<Option<&str>> = match default {
                None => vec![None],
                Some(_) => fields.iter().map(|(f, _)| Some(*f)).collect(),
            };
            for field in tried {
                let cfg = MappingConfig {
                    preset: Some(preset.to_string()),
                    field: field.map(str::to_string),
                    ..MappingConfig::default()
                };
                let Ok(m) = TagMapping::from_config(&cfg) else {
                    continue;
                };
                let mapped = sample
                    .iter()
                    .filter(|(p, _)| m.classify(Some(p)).land_use != LandUse::Unknown)
                    .count();
                let is_default = field.is_some() && field == default;
                // more parcels first, then the preset's own field, then preset order
                let better = best.as_ref().is_none_or(|(r, d, b)| {
                    (mapped, is_default, std::cmp::Reverse(rank))
                        > (b.mapped, *d, std::cmp::Reverse(*r))
                });
                if better {
                    best = Some((
                        rank,
                        is_default,
                        PresetSuggestion {
                            preset,
                            field: field.unwrap_or_default().to_string(),
                            default_field: is_default,
                            mapped,
                            sampled: sample.len(),
                        },
                    ));
                }
            }
        }
        let suggestion = best
            .map(|(_, _, s)| s)
            .filter(|s| 2 * s.mapped > s.sampled && s.mapped > mapped_now)
            .filter(|s| !(s.preset == mapping.preset_name() && s.default_field));
        Some(MappingHint {
            unmapped,
            parcels,
            preset: mapping.preset_name(),
            fields: fields.into_iter().map(|(f, _)| f.to_string()).collect(),
            suggestion,
        })
    }
}

impl fmt::Display for MappingHint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} of {} parcels have no land-use class with the {} preset (they count as unknown and none of them can be a candidate)",
            self.unmapped, self.parcels, self.preset
        )?;
        const SHOWN: usize = 12;
        if self.fields.is_empty() {
            write!(f, "; the parcels have no properties")?;
        } else {
            let more = self.fields.len().saturating_sub(SHOWN);
            write!(
                f,
                "; their fields: {}",
                self.fields[..self.fields.len().min(SHOWN)].join(", ")
            )?;
            if more > 0 {
                write!(f, " and {more} more")?;
            }
        }
        match &self.suggestion {
            Some(s) if s.preset == "osm" => write!(
                f,
                "; the osm preset classifies {} of {} sampled parcels: set [mapping] preset = \"osm\" in --config",
                s.mapped, s.sampled
            ),
            Some(s) => {
                write!(
                    f,
                    "; `{}` holds {} codes ({} of {} sampled parcels classified): set [mapping] preset = \"{}\"",
                    s.field,
                    vocabulary(s.preset),
                    s.mapped,
                    s.sampled,
                    s.preset
                )?;
                if !s.default_field {
                    write!(f, " and field = \"{}\"", s.field)?;
                }
                write!(f, " in --config")
            }
            None => write!(
                f,
                "; no built-in preset fits: write [[mapping.rule]] tables in --config (see README, Tag mapping)"
            ),
        }
    }
}

fn vocabulary(preset: &str) -> &'static str {
    match preset {
        "gb50137" => "GB 50137",
        "gb21010" => "GB/T 21010 (Third National Land Survey)",
        "ydyh" => "用地用海 (territorial spatial planning)",
        "euluc" => "EULUC-China",
        _ => "OpenStreetMap",
    }
}
