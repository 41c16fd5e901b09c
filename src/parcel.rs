//! The parcel: one piece of the city's land stock, in a metric CRS.
//!
//! A [`Parcel`] carries its id, its geometry (always a `MultiPolygon` in metres),
//! its canonical [`LandUse`] class, its [`Status`], a handful of optional
//! [`Facts`] and the feature's original properties, untouched, so that they can
//! be written back on output byte for byte.

use std::fmt;
use std::sync::Arc;

use geo::{Area, MultiPolygon};
use serde_json::value::RawValue;

/// A parcel id as text: the GeoJSON `id`, a configured property, or the
/// feature's index in the file. Ids compare byte-wise, which is also the
/// tie-breaking order everywhere in landstock.
///
/// ```
/// use landstock::ParcelId;
/// let a = ParcelId::from("10");
/// let b = ParcelId::from("9");
/// assert!(a < b, "ids compare as strings, byte-wise");
/// assert_eq!(a.as_str(), "10");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ParcelId(Arc<str>);

impl ParcelId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for ParcelId {
    fn from(s: &str) -> Self {
        ParcelId(Arc::from(s))
    }
}

impl From<String> for ParcelId {
    fn from(s: String) -> Self {
        ParcelId(Arc::from(s))
    }
}

impl fmt::Display for ParcelId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether a class counts as construction land (SPEC §6: every class except
/// water and ecological). Indicators and the construction target read this
/// one rule.
///
/// ```
/// use landstock::{LandUse, parcel::is_construction_land};
/// assert!(is_construction_land(LandUse::Green), "urban parks are construction land");
/// assert!(!is_construction_land(LandUse::Water));
/// ```
pub fn is_construction_land(class: LandUse) -> bool {
    !matches!(class, LandUse::Water | LandUse::Ecological)
}

/// Canonical land-use classes, modelled on the major classes of China's urban
/// land classification GB 50137-2011 so that Chinese, OSM and US vocabularies
/// can all map onto them (SPEC §1).
///
/// ```
/// use landstock::LandUse;
/// assert!(LandUse::Green.is_construction_land(), "parks are construction land in GB 50137");
/// assert!(!LandUse::Ecological.is_construction_land());
/// assert_eq!("industrial".parse::<LandUse>().unwrap(), LandUse::Industrial);
/// assert_eq!(LandUse::Logistics.as_str(), "logistics");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LandUse {
    /// R: housing.
    Residential,
    /// A: administration, culture, education, health, sports.
    Public,
    /// B: commerce and business.
    Commercial,
    /// M: industry.
    Industrial,
    /// W: warehouses and logistics.
    Logistics,
    /// S: roads, rail and transport facilities.
    Transport,
    /// U: utilities.
    Utility,
    /// G: parks, protective green, plazas.
    Green,
    /// E1: water bodies.
    Water,
    /// E2/E9: forest, farmland, wetland, grassland.
    Ecological,
    /// Cleared or never-built construction land.
    Vacant,
    /// Anything the mapping did not recognise (counted and reported).
    Unknown,
}

impl LandUse {
    /// Every class, in declaration order.
    pub const ALL: [LandUse; 12] = [
        LandUse::Residential,
        LandUse::Public,
        LandUse::Commercial,
        LandUse::Industrial,
        LandUse::Logistics,
        LandUse::Transport,
        LandUse::Utility,
        LandUse::Green,
        LandUse::Water,
        LandUse::Ecological,
        LandUse::Vacant,
        LandUse::Unknown,
    ];

    /// Whether the class counts as construction land: every class except
    /// water and ecological land (GB 50137; SPEC §1 and §6).
    pub fn is_construction_land(self) -> bool {
        !matches!(self, LandUse::Water | LandUse::Ecological)
    }

    /// The lower-case name used in configs and outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            LandUse::Residential => "residential",
            LandUse::Public => "public",
            LandUse::Commercial => "commercial",
            LandUse::Industrial => "industrial",
            LandUse::Logistics => "logistics",
            LandUse::Transport => "transport",
            LandUse::Utility => "utility",
            LandUse::Green => "green",
            LandUse::Water => "water",
            LandUse::Ecological => "ecological",
            LandUse::Vacant => "vacant",
            LandUse::Unknown => "unknown",
        }
    }
}

impl fmt::Display for LandUse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text was not one of the canonical class names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown land-use class {0:?}: expected one of residential, public, commercial, industrial, logistics, transport, utility, green, water, ecological, vacant, unknown")]
pub struct UnknownLandUse(pub String);

impl std::str::FromStr for LandUse {
    type Err = UnknownLandUse;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LandUse::ALL
            .into_iter()
            .find(|u| u.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownLandUse(s.to_string()))
    }
}

/// Whether a parcel is in use or derelict (abandoned, disused, brownfield).
///
/// ```
/// use landstock::Status;
/// assert_eq!(Status::default(), Status::Active);
/// assert_eq!(Status::Derelict.as_str(), "derelict");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Status {
    /// In use.
    #[default]
    Active,
    /// Abandoned, disused or a brownfield.
    Derelict,
}

impl Status {
    /// The lower-case name used in configs and outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Derelict => "derelict",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Optional facts about a parcel (SPEC §1). A missing fact means: not
/// heritage, not contaminated, floor area unknown, population unknown (the
/// default density then applies to residential parcels), default land value.
///
/// ```
/// use landstock::Facts;
/// let f = Facts::default();
/// assert!(!f.heritage && !f.contaminated);
/// assert_eq!(f.floor_area_m2, None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Facts {
    /// Residents, when the data says so.
    pub population: Option<f64>,
    /// Gross floor area in m²; `Some(0.0)` means the site is cleared.
    pub floor_area_m2: Option<f64>,
    /// Listed or notable industrial buildings.
    pub heritage: bool,
    /// Known or suspected contamination.
    pub contaminated: bool,
    /// Land value in currency per m², for auction revenue.
    pub land_value_per_m2: Option<f64>,
    /// Flagged as a candidate for repurposing by the data itself.
    pub candidate_flag: bool,
}

/// One parcel of the land stock, in a projected metric CRS.
///
/// ```
/// use geo::{polygon, MultiPolygon};
/// use landstock::{Parcel, LandUse, Status};
/// let square = polygon![(x: 0.0, y: 0.0), (x: 100.0, y: 0.0), (x: 100.0, y: 100.0), (x: 0.0, y: 100.0)];
/// let p = Parcel::new("a", MultiPolygon(vec![square]), LandUse::Vacant, Status::Active);
/// assert_eq!(p.area_m2(), 10_000.0);
/// assert_eq!(p.area_ha(), 1.0);
/// ```
#[derive(Debug, Clone)]
pub struct Parcel {
    /// The parcel's unique id.
    pub id: ParcelId,
    /// Geometry in the metric working CRS (metres).
    pub geometry: MultiPolygon<f64>,
    /// Canonical land-use class.
    pub land_use: LandUse,
    /// Active or derelict.
    pub status: Status,
    /// Optional facts.
    pub facts: Facts,
    /// The feature's original `properties` member exactly as it was in the
    /// file (`None` when the feature had none or `null`).
    pub properties: Option<Box<RawValue>>,
    /// Index of the feature in its input file (0-based).
    pub feature_index: usize,
    /// The area measured on the ellipsoid (geodesic, WGS 84), when
    /// ingestion was asked for it (`[input] area = "ellipsoidal"`), m²;
    /// `None`: the planar area of `geometry` in the working CRS. Every
    /// measure of area ([`Parcel::area_m2`]) uses it.
    pub ellipsoidal_area_m2: Option<f64>,
}

impl Parcel {
    /// A parcel with no facts and no original properties.
    pub fn new(
        id: impl Into<ParcelId>,
        geometry: MultiPolygon<f64>,
        land_use: LandUse,
        status: Status,
    ) -> Self {
        Parcel {
            id: id.into(),
            geometry,
            land_use,
            status,
            facts: Facts::default(),
            properties: None,
            feature_index: 0,
            ellipsoidal_area_m2: None,
        }
    }

    /// Area in square metres (unsigned): the ellipsoidal area when it was
    /// measured, else the planar area in the working CRS.
    ///
    /// ```
    /// # use geo::{polygon, MultiPolygon};
    /// # use landstock::{Parcel, LandUse, Status};
    /// let square = polygon![(x: 0.0, y: 0.0), (x: 100.0, y: 0.0), (x: 100.0, y: 100.0), (x: 0.0, y: 100.0)];
    /// let mut p = Parcel::new("a", MultiPolygon(vec![square]), LandUse::Vacant, Status::Active);
    /// p.ellipsoidal_area_m2 = Some(9_996.0);
    /// assert_eq!(p.area_m2(), 9_996.0);
    /// ```
    pub fn area_m2(&self) -> f64 {
        self.ellipsoidal_area_m2
            .unwrap_or_else(|| self.geometry.unsigned_area())
    }

    /// Area in hectares.
    pub fn area_ha(&self) -> f64 {
        self.area_m2() / 10_000.0
    }
}
