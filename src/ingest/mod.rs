//! Ingestion: a GeoJSON FeatureCollection in, validated, repaired, projected
//! and indexed parcels out, with a report that accounts for every feature.
//!
//! The stages, in order:
//! 1. **split** (streaming, [`split`]): the file is read in 1 MiB chunks and
//!    each element of `features` is cut out with its byte offset; the whole
//!    text is never held at once.
//! 2. **read** (parallel, per batch): each feature's JSON is parsed; its id,
//!    geometry, raw properties and land-use class are read; rings are closed
//!    and repeated vertices dropped ([`repair`]).
//! 3. **project** (parallel): the working CRS is chosen (configured EPSG, else
//!    the UTM zone of the lon/lat bounding-box centre of the features that
//!    passed the coordinate checks — the area and validity checks come after
//!    projection, so they cannot shape the choice), coordinates are
//!    transformed with PROJ, invalid polygons are made valid, and each
//!    geometry's normalised hash is taken.
//! 4. **account** (sequential, file order): duplicate ids and duplicate
//!    geometries are found; each feature ends accepted, repaired or rejected.
//! 5. **index**: the accepted parcels are bulk-loaded into a
//!    [`ParcelStock`]; overlapping pairs are listed as warnings.

mod area;
mod feature;
#[cfg(feature = "fgb")]
mod fgb;
#[cfg(feature = "gdal")]
mod gdal;
#[cfg(feature = "gdal")]
mod gdal_source;
mod hint;
#[cfg(any(feature = "gdal", feature = "fgb"))]
mod layer;
mod repair;
mod report;
mod source;
mod split;
mod valid;
mod working;

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use geo::{Area, BooleanOps, MultiPolygon};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

#[cfg(feature = "fgb")]
pub use fgb::read_flatgeobuf;
#[cfg(feature = "gdal")]
pub use gdal::read_gdal;
#[cfg(feature = "gdal")]
pub use gdal_source::encoding_by_name;
pub use hint::{MappingHint, PresetSuggestion};
pub use repair::{MAX_REPAIR_VERTICES, ZERO_AREA_WIDTH_M};
pub use report::{
    FeatureWarning, IngestReport, Overlap, RejectReason, Rejected, RepairKind, Repaired,
};
pub use source::{is_geojson, read_path};

use crate::crs::{CrsPair, InputCrs};
use crate::error::{Error, ErrorKind};
use crate::landuse::TagMapping;
use crate::parcel::{Parcel, ParcelId};
use crate::stock::ParcelStock;

/// What ingestion is doing, for progress bars and timings (the library itself
/// never draws anything).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IngestProgress {
    /// This many features have been read and parsed so far.
    Read(usize),
    /// A stage starts: "project" (CRS, projection, repair), "account"
    /// (duplicates, outcomes), "index" (R-tree, overlaps), then "done".
    Stage(&'static str),
}

/// A callback told what ingestion is doing.
pub type ProgressFn = Arc<dyn Fn(IngestProgress) + Send + Sync>;

fn progress(opts: &IngestOptions, p: IngestProgress) {
    if let Some(f) = &opts.progress {
        f(p);
    }
}

/// How to read a file. `Default` reads RFC 7946 lon/lat with the `osm`
/// tag mapping, ids from the GeoJSON `id`, and picks the UTM zone.
///
/// ```
/// use landstock::ingest::IngestOptions;
/// let o = IngestOptions { working_epsg: Some(4551), ..IngestOptions::default() };
/// assert_eq!(o.overlap_warn_share, 0.05);
/// ```
#[derive(Clone)]
pub struct IngestOptions {
    /// Property values → land use, status and facts.
    pub mapping: TagMapping,
    /// Read parcel ids from this property instead of the GeoJSON `id`
    /// (`None` or empty: the feature id, else the feature's index).
    pub id_property: Option<String>,
    /// The input's CRS, overriding the file's `crs` member (e.g. "EPSG:2272").
    pub input_crs: Option<String>,
    /// The metric working CRS; `None` picks the UTM zone (SPEC §2).
    pub working_epsg: Option<u32>,
    /// Overlaps larger than this share of the smaller parcel are warned about.
    pub overlap_warn_share: f64,
    /// The layer to read from a source with several (GeoPackage, File
    /// Geodatabase, PostGIS); `None` when there is only one.
    pub layer: Option<String>,
    /// The text encoding of a GDAL source's attributes (e.g. `"GBK"`),
    /// overriding a Shapefile's `.cpg`; `None`: the `.cpg`, else UTF-8.
    pub encoding: Option<String>,
    /// Field names of a GDAL source to give back their full names (a
    /// Shapefile cuts names to 10 characters): layer name → property name.
    pub rename: std::collections::BTreeMap<String, String>,
    /// Planar areas in the working CRS, or ellipsoidal ones (each parcel's
    /// [`Parcel::ellipsoidal_area_m2`] set).
    pub area: crate::config::AreaMethod,
    /// Told after each batch and at each stage.
    pub progress: Option<ProgressFn>,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            mapping: TagMapping::default(),
            id_property: None,
            input_crs: None,
            working_epsg: None,
            overlap_warn_share: 0.05,
            layer: None,
            encoding: None,
            rename: Default::default(),
            area: crate::config::AreaMethod::Planar,
            progress: None,
        }
    }
}

impl IngestOptions {
    /// Options from a loaded [`Config`](crate::Config): its `[input]` and
    /// `[mapping]` sections.
    ///
    /// ```
    /// use landstock::{Config, ingest::IngestOptions};
    /// let cfg = Config::from_toml_str("[input]\nworking_epsg = 4551\n[mapping]\npreset = \"gb50137\"\n", "c.toml".as_ref()).unwrap();
    /// let o = IngestOptions::from_config(&cfg).unwrap();
    /// assert_eq!(o.working_epsg, Some(4551));
    /// assert_eq!(o.mapping.preset_name(), "gb50137");
    /// ```
    pub fn from_config(cfg: &crate::Config) -> Result<IngestOptions, crate::ConfigError> {
        Ok(IngestOptions {
            mapping: TagMapping::from_config(&cfg.mapping)?,
            id_property: cfg.input.id_property.clone().filter(|p| !p.is_empty()),
            input_crs: cfg.input.crs.clone(),
            working_epsg: cfg.input.working_epsg,
            layer: cfg.input.layer.clone(),
            encoding: cfg.input.encoding.clone(),
            rename: cfg.input.rename.clone(),
            area: cfg.input.area,
            ..IngestOptions::default()
        })
    }
}

impl IngestOptions {
    /// Whether the input CRS is GCJ-02 (corrected to WGS-84 on input).
    pub(crate) fn is_gcj02(&self) -> bool {
        self.input_crs
            .as_deref()
            .is_some_and(crate::crs::gcj02::is_gcj02)
    }
}

impl std::fmt::Debug for IngestOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IngestOptions")
            .field("id_property", &self.id_property)
            .field("input_crs", &self.input_crs)
            .field("working_epsg", &self.working_epsg)
            .field("overlap_warn_share", &self.overlap_warn_share)
            .field("layer", &self.layer)
            .field("encoding", &self.encoding)
            .field("rename", &self.rename)
            .field("area", &self.area)
            .finish_non_exhaustive()
    }
}

/// The result of ingestion: the indexed parcels and the report.
#[derive(Debug)]
pub struct Ingested {
    /// Accepted (and repaired) parcels in file order, indexed.
    pub stock: ParcelStock,
    /// What happened to every feature.
    pub report: IngestReport,
}

/// Features per parallel batch.
const BATCH_FEATURES: usize = 16_384;
const BATCH_BYTES: usize = 16 << 20;

struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// Reads a GeoJSON file from disk (see [`read_geojson`]).
pub fn read_geojson_file(path: &Path, opts: &IngestOptions) -> Result<Ingested, Error> {
    let name = path.display().to_string();
    let f = std::fs::File::open(path).map_err(|error| {
        Error::from(ErrorKind::Io {
            source_name: name.clone(),
            error,
        })
    })?;
    read_geojson(std::io::BufReader::with_capacity(1 << 20, f), &name, opts)
}

/// Reads a GeoJSON FeatureCollection from any reader; `source_name` names it
/// in errors and in the report.
///
/// Every feature ends accepted, repaired or rejected (with a reason); a file
/// that is not a FeatureCollection, or is truncated or not JSON, is an error
/// naming the byte offset and feature.
///
/// ```
/// use landstock::ingest::{read_geojson, IngestOptions};
/// let text = r#"{"type":"FeatureCollection","features":[
///   {"type":"Feature","id":"a","properties":{"landuse":"vacant"},
///    "geometry":{"type":"Polygon","coordinates":[[[125,46.6],[125.001,46.6],[125.001,46.601],[125,46.601]]]}}]}"#;
/// let got = read_geojson(text.as_bytes(), "one.geojson", &IngestOptions::default()).unwrap();
/// assert_eq!(got.report.repaired, 1); // the open ring was closed
/// assert_eq!(got.report.working_crs.as_deref(), Some("EPSG:32651"));
/// let area = got.stock.get(0).area_m2();
/// assert!((area - 8_600.0).abs() < 100.0, "about 76.6 m × 111.2 m, got {area}");
/// ```
pub fn read_geojson<R: Read + Send>(
    reader: R,
    source_name: &str,
    opts: &IngestOptions,
) -> Result<Ingested, Error> {
    let mut reader = HashingReader {
        inner: reader,
        hasher: Sha256::new(),
    };
    // Kept batch by batch, so that accounting (stage 4) frees each batch's
    // records as it goes instead of holding all of them to the end.
    let mut batches: Vec<Vec<feature::ParsedFeature>> = Vec::new();
    let mut top;
    {
        let mut splitter = split::Splitter::new(&mut reader, source_name);
        let parse = |batch: &split::Batch| -> Result<Vec<feature::ParsedFeature>, Error> {
            batch
                .items
                .par_iter()
                .map(|it| {
                    feature::parse_feature(
                        &batch.text[it.range.clone()],
                        it.index,
                        it.nonfinite,
                        opts.id_property.as_deref(),
                        &opts.mapping,
                    )
                    .map_err(|e| {
                        Error::malformed(
                            source_name,
                            it.offset + e.at as u64,
                            Some(it.index),
                            e.what,
                        )
                    })
                })
                .collect()
        };
        // Splitting batch k+1 (sequential reading and scanning) overlaps with
        // parsing batch k (parallel).
        let mut next = splitter.next_batch(BATCH_FEATURES, BATCH_BYTES)?;
        while let Some(batch) = next {
            let (parsed, following) = rayon::join(
                || parse(&batch),
                || splitter.next_batch(BATCH_FEATURES, BATCH_BYTES),
            );
            // an error in batch k comes before anything found after it
            batches.push(parsed?);
            next = following?;
            progress(opts, IngestProgress::Read(splitter.features_read()));
        }
        top = std::mem::take(&mut splitter.top);
    }
    // drain anything after the closing brace through the hasher (already
    // checked to be whitespace) so the digest covers the whole file
    std::io::copy(&mut reader, &mut std::io::sink()).map_err(|error| {
        Error::from(ErrorKind::Io {
            source_name: source_name.into(),
            error,
        })
    })?;
    let sha256 = hex(&reader.hasher.finalize());

    // GCJ-02 (Chinese web maps' offset lon/lat) is corrected to WGS-84 in `finish`
    let gcj02 = opts.is_gcj02();
    let input_crs = match (&opts.input_crs, top.crs.take()) {
        (Some(_), _) if gcj02 => InputCrs::default(),
        (Some(name), _) => InputCrs::from_name(name),
        (None, Some(member)) => InputCrs::from_geojson_member(&member).ok_or_else(|| {
            Error::from(ErrorKind::Crs {
                crs: member.to_string(),
                what: format!("{source_name}: the \"crs\" member has no properties.name; set [input] crs in the config"),
            })
        })?,
        (None, None) => InputCrs::default(),
    };

    finish(
        Features {
            batches,
            input_crs,
            sha256,
        },
        source_name,
        opts,
    )
}

/// Features read from any source (the streaming GeoJSON reader, a GDAL
/// layer), in source order, before the CRS checks, projection and
/// accounting that every source shares.
pub(crate) struct Features {
    /// Parsed features in source order, in batches.
    pub batches: Vec<Vec<feature::ParsedFeature>>,
    /// The CRS their coordinates are in.
    pub input_crs: InputCrs,
    /// SHA-256 of the input (hex), empty when there is no file to hash.
    pub sha256: String,
}

/// Stages 2b to 5 for features from any source: coordinate checks, ring
/// fixes, working CRS, projection, validity, duplicates, accounting, index.
pub(crate) fn finish(
    features: Features,
    source_name: &str,
    opts: &IngestOptions,
) -> Result<Ingested, Error> {
    let Features {
        mut batches,
        input_crs,
        sha256,
    } = features;
    let gcj02 = opts.is_gcj02();
    progress(opts, IngestProgress::Stage("project"));
    // Stage 2b: coordinate range checks (now that the CRS is known), then
    // ring fixes.
    let geographic = input_crs.is_geographic();
    batches
        .par_iter_mut()
        .flat_map(|b| b.par_iter_mut())
        .for_each(|f| {
            let Ok(rings) = &mut f.geometry else { return };
            if gcj02 {
                for c in rings.iter_mut().flatten().flatten() {
                    (c.x, c.y) = crate::crs::gcj02::gcj02_to_wgs84(c.x, c.y);
                }
            }
            if geographic {
                if let Some(c) =
                    rings.iter().flatten().flatten().find(|c| {
                        !(-180.0..=180.0).contains(&c.x) || !(-90.0..=90.0).contains(&c.y)
                    })
                {
                    f.geometry = Err(RejectReason::LonLatOutOfRange { lon: c.x, lat: c.y });
                    return;
                }
            }
            repair::fix_rings(rings, &mut f.repairs);
            if rings.is_empty() {
                f.geometry = Err(RejectReason::ZeroArea);
            }
        });

    // Stage 3: the working CRS, then project, validate, hash.
    let chosen =
        working::choose_working_crs(batches.iter().flatten(), &input_crs, opts.working_epsg)?;
    let area_distortion = match &chosen {
        Some((crs, Some(bbox))) => Some(crate::crs::area_distortion(crs, *bbox)?),
        _ => None,
    };
    let working = chosen.map(|(crs, _)| crs);
    let pair = working
        .as_ref()
        .map(|w| CrsPair::new(input_crs.proj_name(), w.clone()));
    // Results go to a separate, small vector: collecting `parsed` into a new
    // vector of bigger structs would hold two copies of every record.
    type Checked = (Result<MultiPolygon<f64>, RejectReason>, u64);
    let geometries: Vec<Vec<Checked>> = batches
        .iter_mut()
        .map(|batch| {
            batch
                .par_iter_mut()
                .with_min_len(256)
                .map(|f| {
                    let rings =
                        std::mem::replace(&mut f.geometry, Err(RejectReason::MissingGeometry));
                    let geometry = rings.and_then(|mut rings| {
                        if let Some(pair) = &pair {
                            pair.with_transformer(|t| {
                                let t =
                                    t.map_err(|e| RejectReason::Unprojectable(e.to_string()))?;
                                for c in rings.iter_mut().flatten() {
                                    t.transform(c).map_err(RejectReason::Unprojectable)?;
                                }
                                Ok(())
                            })?;
                        }
                        repair::make_valid(repair::to_multipolygon(rings), &mut f.repairs)
                    });
                    let hash = geometry.as_ref().map(repair::normalized_hash).unwrap_or(0);
                    (geometry, hash)
                })
                .collect()
        })
        .collect();
    let total: usize = batches.iter().map(Vec::len).sum();

    progress(opts, IngestProgress::Stage("account"));
    // Stage 4: account for every feature, in file order.
    let mut report = IngestReport {
        source: source_name.to_string(),
        total,
        input_crs: if gcj02 {
            "GCJ-02 (corrected to EPSG:4326)".to_string()
        } else {
            input_crs.proj_name().to_string()
        },
        working_crs: working.clone(),
        sha256,
        area_distortion,
        ..IngestReport::default()
    };
    let mut first_by_id: HashMap<String, usize> = HashMap::with_capacity(total);
    // the first parcel with each geometry hash; later accepted parcels whose
    // hash collides (different geometry, same hash: rare) go to `more_by_hash`
    let mut by_hash: HashMap<u64, usize> = HashMap::with_capacity(total);
    let mut more_by_hash: Vec<(u64, usize)> = Vec::new();
    let mut parcels: Vec<Parcel> = Vec::with_capacity(total);
    let records = batches
        .into_iter()
        .zip(geometries)
        .flat_map(|(b, g)| b.into_iter().zip(g));
    for (f, (geometry, hash)) in records {
        let reject = |report: &mut IngestReport, reason| {
            report.rejected += 1;
            report.rejections.push(Rejected {
                index: f.index,
                id: f.id.clone(),
                reason,
            });
        };
        if let Err(reason @ RejectReason::InvalidFeature(_)) = &geometry {
            reject(&mut report, reason.clone());
            continue;
        }
        let id = f.id.clone().unwrap_or_else(|| f.index.to_string());
        if let Some(&first_index) = first_by_id.get(&id) {
            reject(&mut report, RejectReason::DuplicateId { first_index });
            continue;
        }
        first_by_id.insert(id.clone(), f.index);
        let geometry = match geometry {
            Ok(g) => g,
            Err(reason) => {
                reject(&mut report, reason);
                continue;
            }
        };
        let same = by_hash.get(&hash).and_then(|&first| {
            let key = repair::normalized_key(&geometry);
            let same_key = |pi: usize| repair::normalized_key(&parcels[pi].geometry) == key;
            std::iter::once(first)
                .chain(
                    more_by_hash
                        .iter()
                        .filter(|(h, _)| *h == hash)
                        .map(|&(_, pi)| pi),
                )
                .find(|&pi| same_key(pi))
        });
        if let Some(pi) = same {
            let of = &parcels[pi];
            reject(
                &mut report,
                RejectReason::DuplicateGeometry {
                    of: of.id.clone(),
                    of_index: of.feature_index,
                },
            );
            continue;
        }
        if let Err(()) = match by_hash.entry(hash) {
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(parcels.len());
                Ok(())
            }
            std::collections::hash_map::Entry::Occupied(_) => Err(()),
        } {
            more_by_hash.push((hash, parcels.len()));
        }
        let class = f.class.unwrap_or_else(|| opts.mapping.classify(None));
        if let Some(v) = &class.unmapped {
            *report.unmapped.entry(v.clone()).or_insert(0) += 1;
        }
        for message in class.warnings {
            report.warnings.push(FeatureWarning {
                index: f.index,
                id: Some(id.clone()),
                message,
            });
        }
        let pid = ParcelId::from(id);
        if f.repairs.is_empty() {
            report.accepted += 1;
        } else {
            report.repaired += 1;
            report.repairs.push(Repaired {
                index: f.index,
                id: pid.clone(),
                repairs: f.repairs,
            });
        }
        parcels.push(Parcel {
            id: pid,
            geometry,
            land_use: class.land_use,
            status: class.status,
            facts: class.facts,
            properties: f.properties,
            feature_index: f.index,
            ellipsoidal_area_m2: None,
        });
    }
    debug_assert_eq!(
        report.accepted + report.repaired + report.rejected,
        report.total
    );

    if let (crate::config::AreaMethod::Ellipsoidal, Some(w)) = (opts.area, &working) {
        area::measure_ellipsoidal(&mut parcels, w)?;
    }

    progress(opts, IngestProgress::Stage("index"));
    // Stage 5: index, and list overlapping pairs.
    let stock = ParcelStock::new(parcels);
    report.overlaps = overlaps(&stock, opts.overlap_warn_share);
    progress(opts, IngestProgress::Stage("done"));
    Ok(Ingested { stock, report })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Pairs of parcels whose overlap exceeds `share` of the smaller one's area.
fn overlaps(stock: &ParcelStock, share: f64) -> Vec<Overlap> {
    let parcels = stock.parcels();
    let areas: Vec<f64> = parcels
        .par_iter()
        .map(|p| p.geometry.unsigned_area())
        .collect();
    (0..parcels.len())
        .into_par_iter()
        .flat_map_iter(|i| {
            let env = stock.envelope(i);
            let aabb =
                rstar::AABB::from_corners([env.min().x, env.min().y], [env.max().x, env.max().y]);
            let mut found: Vec<Overlap> = Vec::new();
            let mut js: Vec<usize> = stock
                .tree()
                .locate_in_envelope_intersecting(&aabb)
                .map(|e| e.data)
                .filter(|&j| j > i)
                .collect();
            js.sort_unstable();
            for j in js {
                let smaller = areas[i].min(areas[j]);
                // The overlap lies inside both envelopes: a cheap upper bound.
                let e2 = stock.envelope(j);
                let w = env.max().x.min(e2.max().x) - env.min().x.max(e2.min().x);
                let h = env.max().y.min(e2.max().y) - env.min().y.max(e2.min().y);
                if w <= 0.0 || h <= 0.0 || w * h <= share * smaller {
                    continue;
                }
                let inter = std::panic::catch_unwind(|| {
                    parcels[i]
                        .geometry
                        .intersection(&parcels[j].geometry)
                        .unsigned_area()
                })
                .unwrap_or(0.0);
                if inter > share * smaller {
                    found.push(Overlap {
                        a: parcels[i].id.clone(),
                        b: parcels[j].id.clone(),
                        overlap_m2: inter,
                        share_of_smaller: inter / smaller,
                    });
                }
            }
            found
        })
        .collect()
}
