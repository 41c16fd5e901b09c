//! The ingest report: every input feature accounted for.

use std::collections::BTreeMap;
use std::fmt;

use crate::parcel::ParcelId;

/// Why a feature was rejected. When several apply, the first in this order
/// is reported (SPEC §2), after [`RejectReason::InvalidFeature`], which
/// applies when the feature is not a readable GeoJSON Feature at all.
///
/// ```
/// use landstock::ingest::RejectReason;
/// assert_eq!(RejectReason::ZeroArea.code(), "zero_area");
/// assert_eq!(RejectReason::DuplicateId { first_index: 3 }.to_string(), "duplicate id: feature 3 has the same id");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum RejectReason {
    /// Not a Feature object, or its `type`, `id` or `properties` has the
    /// wrong JSON type (e.g. `properties` is a string, `id` an object), or a
    /// configured id property is missing. Landstock's addition to the SPEC
    /// list: such a feature cannot be read, so it is checked first.
    InvalidFeature(String),
    /// The id was already used by an earlier feature in file order.
    DuplicateId {
        /// Index of the first feature with this id (which is kept).
        first_index: usize,
    },
    /// `geometry` is absent or null.
    MissingGeometry,
    /// `geometry` could not be read as GeoJSON.
    UnparseableGeometry(String),
    /// A geometry type other than Polygon or MultiPolygon.
    NonPolygon(String),
    /// No coordinates at all.
    EmptyGeometry,
    /// A NaN or infinite (or null) coordinate.
    NonFiniteCoordinate,
    /// Longitude outside [-180, 180] or latitude outside [-90, 90].
    LonLatOutOfRange {
        /// The first offending longitude.
        lon: f64,
        /// Its latitude.
        lat: f64,
    },
    /// Exactly the same geometry (after repair, normalised) as an earlier
    /// accepted feature.
    DuplicateGeometry {
        /// The id of the accepted feature it copies.
        of: ParcelId,
        /// That feature's index.
        of_index: usize,
    },
    /// The polygon encloses no area.
    ZeroArea,
    /// Invalid geometry that could not be made valid.
    UnrepairableSelfIntersection(String),
    /// The coordinates could not be transformed to the working CRS.
    Unprojectable(String),
}

impl RejectReason {
    /// A stable snake_case code, used as the key of per-reason counts.
    pub fn code(&self) -> &'static str {
        match self {
            RejectReason::InvalidFeature(_) => "invalid_feature",
            RejectReason::DuplicateId { .. } => "duplicate_id",
            RejectReason::MissingGeometry => "missing_geometry",
            RejectReason::UnparseableGeometry(_) => "unparseable_geometry",
            RejectReason::NonPolygon(_) => "non_polygon_geometry",
            RejectReason::EmptyGeometry => "empty_geometry",
            RejectReason::NonFiniteCoordinate => "non_finite_coordinate",
            RejectReason::LonLatOutOfRange { .. } => "lon_lat_out_of_range",
            RejectReason::DuplicateGeometry { .. } => "duplicate_geometry",
            RejectReason::ZeroArea => "zero_area",
            RejectReason::UnrepairableSelfIntersection(_) => "unrepairable_self_intersection",
            RejectReason::Unprojectable(_) => "unprojectable",
        }
    }
}

impl fmt::Display for RejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RejectReason::InvalidFeature(m) => write!(f, "invalid feature: {m}"),
            RejectReason::DuplicateId { first_index } => {
                write!(f, "duplicate id: feature {first_index} has the same id")
            }
            RejectReason::MissingGeometry => f.write_str("missing geometry (absent or null)"),
            RejectReason::UnparseableGeometry(m) => write!(f, "unparseable geometry: {m}"),
            RejectReason::NonPolygon(t) => write!(f, "non-polygon geometry: {t} (only Polygon and MultiPolygon are parcels)"),
            RejectReason::EmptyGeometry => f.write_str("empty geometry"),
            RejectReason::NonFiniteCoordinate => f.write_str("NaN, infinite or null coordinate"),
            RejectReason::LonLatOutOfRange { lon, lat } => write!(
                f,
                "lon/lat out of range: ({lon}, {lat}); if the file is projected, name its CRS in the config ([input] crs)"
            ),
            RejectReason::DuplicateGeometry { of, of_index } => {
                write!(f, "duplicate geometry: the same as parcel {of} (feature {of_index})")
            }
            RejectReason::ZeroArea => f.write_str("zero-area polygon"),
            RejectReason::UnrepairableSelfIntersection(m) => {
                write!(f, "self-intersection that cannot be repaired: {m}")
            }
            RejectReason::Unprojectable(m) => write!(f, "cannot project to the working CRS: {m}"),
        }
    }
}

/// A repair made to an accepted feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum RepairKind {
    /// A ring's last vertex did not equal its first; it was closed.
    ClosedRing,
    /// Repeated consecutive vertices were removed.
    RemovedDuplicateVertex,
    /// A hole or part with fewer than three distinct vertices was dropped.
    DroppedDegenerateRing,
    /// An invalid polygon (self-intersection, hole outside its shell, ...)
    /// was made valid; only polygonal parts were kept.
    MadeValid,
}

impl RepairKind {
    /// A stable snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            RepairKind::ClosedRing => "closed_ring",
            RepairKind::RemovedDuplicateVertex => "removed_duplicate_vertex",
            RepairKind::DroppedDegenerateRing => "dropped_degenerate_ring",
            RepairKind::MadeValid => "made_valid",
        }
    }
}

/// One rejected feature.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejected {
    /// Index in the file's `features` array.
    pub index: usize,
    /// Its id, when it could be read.
    pub id: Option<String>,
    /// Why.
    pub reason: RejectReason,
}

/// One repaired (and accepted) feature.
#[derive(Debug, Clone, PartialEq)]
pub struct Repaired {
    /// Index in the file.
    pub index: usize,
    /// Its parcel id.
    pub id: ParcelId,
    /// What was repaired, in order, without repeats.
    pub repairs: Vec<RepairKind>,
}

/// Two accepted parcels overlapping by more than the warning share of the
/// smaller one's area. Both are kept.
#[derive(Debug, Clone, PartialEq)]
pub struct Overlap {
    /// The parcel earlier in file order.
    pub a: ParcelId,
    /// The later one.
    pub b: ParcelId,
    /// Area of the overlap, m².
    pub overlap_m2: f64,
    /// Overlap ÷ the smaller parcel's area.
    pub share_of_smaller: f64,
}

/// A non-fatal remark about one feature (a fact that could not be read, ...).
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureWarning {
    /// Index in the file.
    pub index: usize,
    /// Its id, if known.
    pub id: Option<String>,
    /// What happened.
    pub message: String,
}

/// What happened to every feature of one input file.
/// `accepted + repaired + rejected == total`, always.
///
/// ```
/// use landstock::ingest::{read_geojson, IngestOptions};
/// let text = r#"{"type":"FeatureCollection","features":[
///   {"type":"Feature","id":"a","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[0.001,0],[0.001,0.001],[0,0.001],[0,0]]]}},
///   {"type":"Feature","id":"b","properties":{},"geometry":{"type":"Point","coordinates":[0,0]}}]}"#;
/// let got = read_geojson(text.as_bytes(), "two.geojson", &IngestOptions::default()).unwrap();
/// let r = &got.report;
/// assert_eq!((r.total, r.accepted, r.repaired, r.rejected), (2, 1, 0, 1));
/// assert_eq!(r.rejections[0].reason.code(), "non_polygon_geometry");
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IngestReport {
    /// The file (or stream name) read.
    pub source: String,
    /// Features in the file.
    pub total: usize,
    /// Accepted as they were.
    pub accepted: usize,
    /// Accepted after repair.
    pub repaired: usize,
    /// Rejected.
    pub rejected: usize,
    /// Every rejected feature, in file order.
    pub rejections: Vec<Rejected>,
    /// Every repaired feature, in file order.
    pub repairs: Vec<Repaired>,
    /// Overlap warnings, once per pair, ordered by the pair's file order.
    pub overlaps: Vec<Overlap>,
    /// Input values the tag mapping did not recognise → `unknown`, with counts.
    pub unmapped: BTreeMap<String, usize>,
    /// Other remarks.
    pub warnings: Vec<FeatureWarning>,
    /// The CRS the input was read in.
    pub input_crs: String,
    /// The metric CRS parcels are held in (`None` when nothing was accepted).
    pub working_crs: Option<String>,
    /// SHA-256 of the input bytes, hex.
    pub sha256: String,
    /// How far areas measured in the working CRS stray from ellipsoidal
    /// areas over the input's extent, at worst (`None`: nothing accepted).
    pub area_distortion: Option<crate::crs::AreaDistortion>,
}

/// Area distortion above this (in %) is warned about.
pub const AREA_DISTORTION_WARN_PCT: f64 = 0.1;

impl IngestReport {
    /// Count of rejections per reason code (sorted by code).
    pub fn rejected_by_reason(&self) -> BTreeMap<&'static str, usize> {
        let mut m = BTreeMap::new();
        for r in &self.rejections {
            *m.entry(r.reason.code()).or_insert(0) += 1;
        }
        m
    }

    /// Count of repairs per kind (a feature with two kinds counts in both).
    pub fn repaired_by_kind(&self) -> BTreeMap<&'static str, usize> {
        let mut m = BTreeMap::new();
        for r in &self.repairs {
            for k in &r.repairs {
                *m.entry(k.code()).or_insert(0) += 1;
            }
        }
        m
    }

    /// The report as JSON: `counts` {`total`, `accepted`, `repaired`,
    /// `rejected`}, per-reason counts, and the listed features.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::json;
        json!({
            "source": self.source,
            "sha256": self.sha256,
            "input_crs": self.input_crs,
            "working_crs": self.working_crs,
            "area_distortion": self.area_distortion.map(|d| json!({
                "worst_pct": d.worst_pct, "lon": d.lon, "lat": d.lat,
            })),
            "counts": {
                "total": self.total,
                "accepted": self.accepted,
                "repaired": self.repaired,
                "rejected": self.rejected,
            },
            "rejected_by_reason": self.rejected_by_reason(),
            "repaired_by_kind": self.repaired_by_kind(),
            "unmapped": self.unmapped,
            "rejected": self.rejections.iter().map(|r| json!({
                "index": r.index, "id": r.id, "reason": r.reason.code(), "detail": r.reason.to_string(),
            })).collect::<Vec<_>>(),
            "repaired": self.repairs.iter().map(|r| json!({
                "index": r.index, "id": r.id.as_str(),
                "repairs": r.repairs.iter().map(|k| k.code()).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "overlaps": self.overlaps.iter().map(|o| json!({
                "a": o.a.as_str(), "b": o.b.as_str(), "overlap_m2": o.overlap_m2, "share_of_smaller": o.share_of_smaller,
            })).collect::<Vec<_>>(),
            "warnings": self.warnings.iter().map(|w| json!({
                "index": w.index, "id": w.id, "message": w.message,
            })).collect::<Vec<_>>(),
        })
    }
}

impl fmt::Display for IngestReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}: {} features", self.source, self.total)?;
        writeln!(f, "  accepted  {:>9}", self.accepted)?;
        writeln!(f, "  repaired  {:>9}", self.repaired)?;
        writeln!(f, "  rejected  {:>9}", self.rejected)?;
        for (code, n) in self.rejected_by_reason() {
            writeln!(f, "    {code:<32}{n:>9}")?;
        }
        writeln!(
            f,
            "  input CRS {}; working CRS {}",
            self.input_crs,
            self.working_crs.as_deref().unwrap_or("none")
        )?;
        if let Some(d) = self.area_distortion {
            writeln!(
                f,
                "  area distortion of the working CRS: worst {:+.3} % (at {:.3}, {:.3}){}",
                d.worst_pct,
                d.lon,
                d.lat,
                if d.worst_pct.abs() > AREA_DISTORTION_WARN_PCT {
                    "; WARNING: every area, score and cap inherits it: leave [input] working_epsg unset (an equal-area projection is chosen for wide extents) or set a CRS made for the area"
                } else {
                    ""
                }
            )?;
        }
        if !self.unmapped.is_empty() {
            let n: usize = self.unmapped.values().sum();
            writeln!(f, "  {n} parcels with unmapped land use (class unknown):")?;
            for (v, c) in self.unmapped.iter().take(20) {
                writeln!(f, "    {v:<40}{c:>9}")?;
            }
            if self.unmapped.len() > 20 {
                writeln!(f, "    ... and {} more values", self.unmapped.len() - 20)?;
            }
        }
        if !self.overlaps.is_empty() {
            writeln!(
                f,
                "  {} overlapping pairs (> 5% of the smaller parcel; both kept)",
                self.overlaps.len()
            )?;
        }
        for r in self.rejections.iter().take(50) {
            writeln!(
                f,
                "  rejected feature {} (id {}): {}",
                r.index,
                r.id.as_deref().unwrap_or("-"),
                r.reason
            )?;
        }
        if self.rejections.len() > 50 {
            writeln!(
                f,
                "  ... {} more rejections (use --json for all)",
                self.rejections.len() - 50
            )?;
        }
        for r in self.repairs.iter().take(20) {
            let kinds: Vec<_> = r.repairs.iter().map(|k| k.code()).collect();
            writeln!(
                f,
                "  repaired feature {} (id {}): {}",
                r.index,
                r.id,
                kinds.join(", ")
            )?;
        }
        if self.repairs.len() > 20 {
            writeln!(
                f,
                "  ... {} more repairs (use --json for all)",
                self.repairs.len() - 20
            )?;
        }
        Ok(())
    }
}
