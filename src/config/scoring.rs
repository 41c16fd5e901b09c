//! `[scoring]`: every radius, transfer threshold and weight of SPEC §4, per
//! use, with the defaults and where their numbers come from.
//!
//! Each criterion is a table with `enabled` (default `true`), `weight` and
//! its own thresholds, in the unit its key names (`_m`, `_ha`,
//! `_residents`, `_count`, `_ratio`). Unknown keys are errors that name the
//! key; so are negative weights, a use whose weights are all zero, negative
//! radii and thresholds in the wrong order ([`ScoringConfig::validate`]).
//!
//! ```toml
//! [scoring]
//! residents_per_m2 = 0.015
//! centre_lonlat = [124.98, 46.59]
//! [scoring.green.unserved_demand]
//! radius_m = 800
//! weight = 0.5
//! [scoring.cultural.transit]
//! enabled = false
//! ```

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::parcel::LandUse;

/// Residents per m² of residential land when a parcel has no `population`
/// fact: 0.02, i.e. 20,000 per km² of residential land (SPEC §1), a typical
/// net density of mid-rise housing in Chinese cities.
pub const DEFAULT_RESIDENTS_PER_M2: f64 = 0.02;

/// An invalid setting: which key, what is wrong, what to do.
///
/// ```
/// use landstock::score::ScoringConfig;
/// let mut cfg = ScoringConfig::default();
/// cfg.green.size_fit.weight = -1.0;
/// let e = cfg.validate().unwrap_err();
/// assert_eq!(e.key, "scoring.green.size_fit.weight");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct SettingError {
    /// Dotted key path, e.g. `scoring.green.size_fit.weight`.
    pub key: String,
    /// What is wrong.
    pub problem: String,
    /// What to do about it.
    pub hint: String,
}

impl fmt::Display for SettingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}: {}", self.problem, self.key, self.hint)
    }
}

fn invalid(key: String, problem: String, hint: &str) -> SettingError {
    SettingError {
        key,
        problem,
        hint: hint.to_string(),
    }
}

/// Defines a criterion's settings table: `enabled`, `weight` and the listed
/// thresholds, each with its default.
macro_rules! criterion_settings {
    (
        $(#[$meta:meta])*
        $name:ident {
            $(#[$wmeta:meta])* weight: $w:expr
            $(, $(#[$fmeta:meta])* $field:ident : $def:expr)* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields, default)]
        pub struct $name {
            /// Whether the criterion is used; `false` switches it off.
            pub enabled: bool,
            $(#[$wmeta])*
            pub weight: f64,
            $($(#[$fmeta])* pub $field: f64,)*
        }

        impl Default for $name {
            fn default() -> Self {
                $name { enabled: true, weight: $w, $($field: $def,)* }
            }
        }

        impl $name {
            /// Every numeric setting with its key.
            fn numbers(&self) -> Vec<(&'static str, f64)> {
                vec![("weight", self.weight) $(, (stringify!($field), self.$field))*]
            }
        }
    };
}

criterion_settings! {
    /// Green: residents of nearby homes that have no park within reach.
    UnservedDemand {
        /// 0.40: the largest green weight — a park's first job is to serve
        /// people who have none (SPEC §4).
        weight: 0.40,
        /// Homes within this distance of the parcel count: 500 m, the
        /// community-park service radius of Chinese green-space planning
        /// standards and the "15-minute life circle" guidance (a 5–10 minute walk).
        radius_m: 500.0,
        /// A home is unserved when no green parcel is within this distance
        /// (the same 500 m service radius).
        service_radius_m: 500.0,
        /// Residents at which the criterion leaves 0.
        lo_residents: 0.0,
        /// Residents at which it reaches 1: 5,000, about the population of a
        /// 5-minute-walk residential block group (a Chinese "neighbourhood").
        hi_residents: 5000.0,
    }
}

criterion_settings! {
    /// Green: distance to the nearest green parcel (a park far from others
    /// fills a gap).
    GreenDeficit {
        /// 0.20 (SPEC §4).
        weight: 0.20,
        /// Within 300 m of a park (a pocket-park walk) adds nothing.
        lo_m: 300.0,
        /// 1 km and more from any park: a full gap (the 15-minute-walk scale).
        hi_m: 1000.0,
    }
}

criterion_settings! {
    /// Green: area in hectares.
    SizeFit {
        /// 0.15 (SPEC §4).
        weight: 0.15,
        /// 0.04 ha (400 m²): the smallest pocket park that Chinese guidance
        /// counts as a usable green space.
        lo_ha: 0.04,
        /// 1 ha: large enough for a community park's facilities.
        hi_ha: 1.0,
    }
}

criterion_settings! {
    /// Green: Polsby–Popper compactness 4πA/P² (perimeter includes holes).
    Compactness {
        /// 0.10 (SPEC §4).
        weight: 0.10,
        /// 0.1: a strip (about 1 : 25 as a rectangle) is barely usable as a park.
        lo: 0.1,
        /// 0.6: about a 1 : 3 rectangle (a square is π/4 ≈ 0.785).
        hi: 0.6,
    }
}

criterion_settings! {
    /// Green: 0 on a contaminated site, else 1 (people play there).
    CleanSite {
        /// 0.15 (SPEC §4).
        weight: 0.15,
    }
}

criterion_settings! {
    /// Ecological: distance to the nearest water or ecological parcel.
    Adjacency {
        /// 0.30: the largest ecological weight — connecting to existing
        /// habitat matters most (landscape-ecology patch connectivity).
        weight: 0.30,
        /// Touching (0 m) scores 1.
        lo_m: 0.0,
        /// 500 m and more from any habitat scores 0.
        hi_m: 500.0,
    }
}

criterion_settings! {
    /// Ecological: distinct water, ecological and green parcels within a radius.
    Corridor {
        /// 0.20 (SPEC §4).
        weight: 0.20,
        /// 300 m: a short hop for small fauna and seed dispersal along a
        /// green corridor.
        radius_m: 300.0,
        /// Count at which the criterion leaves 0.
        lo_count: 0.0,
        /// Three neighbours make a stepping stone in a network.
        hi_count: 3.0,
    }
}

criterion_settings! {
    /// Ecological: centroid distance to the centre ÷ city radius.
    Peripherality {
        /// 0.20 (SPEC §4).
        weight: 0.20,
        /// Inside 30 % of the city radius: the core, where land is better used.
        lo_ratio: 0.3,
        /// Beyond 90 %: the rim, where shrinking gives land back to nature.
        hi_ratio: 0.9,
    }
}

criterion_settings! {
    /// Ecological: residents of all parcels within a radius, the parcel
    /// itself included (fewer is better).
    LowDensity {
        /// 0.15 (SPEC §4).
        weight: 0.15,
        /// 1 km: the neighbourhood whose housing would gain from a park instead.
        radius_m: 1000.0,
        /// Nobody around scores 1.
        lo_residents: 0.0,
        /// 20,000 residents within 1 km (about 6,400 per km²) scores 0.
        hi_residents: 20000.0,
    }
}

criterion_settings! {
    /// Ecological: area in hectares.
    EcoSize {
        /// 0.15 (SPEC §4).
        weight: 0.15,
        /// Below 0.5 ha a patch is mostly edge habitat.
        lo_ha: 0.5,
        /// 10 ha and more holds interior habitat.
        hi_ha: 10.0,
    }
}

criterion_settings! {
    /// Cultural: listed or notable buildings (1), standing buildings or
    /// unknown floor area (0.6), a cleared site (0.3).
    Heritage {
        /// 0.25: the largest cultural weight — 798-style districts live on
        /// old factory buildings (SPEC §4).
        weight: 0.25,
        /// Raw value of a `heritage` parcel.
        listed: 1.0,
        /// Raw value when `floor_area_m2` > 0 or missing.
        standing: 0.6,
        /// Raw value when `floor_area_m2` = 0 (cleared).
        cleared: 0.3,
    }
}

criterion_settings! {
    /// Cultural: area in hectares, neither too small nor too large.
    ModerateScale {
        /// 0.15 (SPEC §4).
        weight: 0.15,
        /// Below 0.5 ha there is no room for a district.
        lo_ha: 0.5,
        /// From 2 ha a district is viable (798 itself is about 60 ha).
        hi_ha: 2.0,
        /// Above 60 ha (798's size) the district starts to be too large to fill.
        too_big_lo_ha: 60.0,
        /// 150 ha and more scores 0.
        too_big_hi_ha: 150.0,
    }
}

criterion_settings! {
    /// Cultural: centroid distance to the centre ÷ city radius (closer is better).
    Centrality {
        /// 0.20 (SPEC §4).
        weight: 0.20,
        /// Inside 20 % of the radius scores 1: visitors come from the centre.
        lo_ratio: 0.2,
        /// Beyond 70 % scores 0.
        hi_ratio: 0.7,
    }
}

criterion_settings! {
    /// Cultural: distance to the nearest transit stop (needs the transit layer).
    Transit {
        /// 0.10 (SPEC §4).
        weight: 0.10,
        /// Within 300 m (a 4-minute walk) scores 1: the usual transit-oriented
        /// development catchment core.
        lo_m: 300.0,
        /// 1.5 km and more (a 20-minute walk) scores 0.
        hi_m: 1500.0,
    }
}

criterion_settings! {
    /// Cultural: total area of derelict industrial/logistics parcels within a
    /// radius, the parcel itself included.
    Cluster {
        /// 0.15 (SPEC §4).
        weight: 0.15,
        /// 200 m: across a street or a rail spur, close enough to become one district.
        radius_m: 200.0,
        /// Below 2 ha of old industry nearby there is no cluster.
        lo_ha: 2.0,
        /// 30 ha and more: a district on the scale of 798 (about 60 ha).
        hi_ha: 30.0,
    }
}

criterion_settings! {
    /// Cultural: public parcels plus facility points (when that layer is
    /// given) within a radius.
    Amenities {
        /// 0.15 (SPEC §4).
        weight: 0.15,
        /// 1 km: a 15-minute-life-circle walk.
        radius_m: 1000.0,
        /// Count at which the criterion leaves 0.
        lo_count: 0.0,
        /// Five schools, museums, libraries… make a cultural neighbourhood.
        hi_count: 5.0,
    }
}

/// `[scoring.green]`: park criteria.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GreenConfig {
    /// Residents without a park nearby.
    pub unserved_demand: UnservedDemand,
    /// Distance to the nearest park.
    pub green_deficit: GreenDeficit,
    /// Area.
    pub size_fit: SizeFit,
    /// Polsby–Popper compactness.
    pub compactness: Compactness,
    /// Not contaminated.
    pub clean_site: CleanSite,
}

/// `[scoring.ecological]`: ecological-land criteria.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EcologicalConfig {
    /// Distance to water or ecological land.
    pub adjacency: Adjacency,
    /// Habitat parcels nearby.
    pub corridor: Corridor,
    /// Distance to the centre relative to the city radius.
    pub peripherality: Peripherality,
    /// Few residents nearby.
    pub low_density: LowDensity,
    /// Area.
    pub size: EcoSize,
}

/// `[scoring.cultural]`: cultural-district criteria.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CulturalConfig {
    /// Listed or standing buildings.
    pub heritage: Heritage,
    /// Neither too small nor too large.
    pub moderate_scale: ModerateScale,
    /// Close to the centre.
    pub centrality: Centrality,
    /// Close to transit (needs the transit layer).
    pub transit: Transit,
    /// Old industry nearby.
    pub cluster: Cluster,
    /// Public parcels and facilities nearby.
    pub amenities: Amenities,
}

/// `[scoring]`: the whole scoring configuration.
///
/// ```
/// use landstock::score::ScoringConfig;
/// let cfg = ScoringConfig::from_toml_str("[scoring.green.green_deficit]\nhi_m = 1200\n").unwrap();
/// assert_eq!(cfg.green.green_deficit.hi_m, 1200.0);
/// assert_eq!(cfg.green.green_deficit.lo_m, 300.0, "the rest keeps its default");
/// let e = ScoringConfig::from_toml_str("[scoring.green.green_deficit]\nhi = 1200\n").unwrap_err();
/// assert!(e.to_string().contains("hi"), "{e}");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScoringConfig {
    /// Residents per m² of residential land without a `population` fact.
    pub residents_per_m2: f64,
    /// The city centre as `[lon, lat]` (EPSG:4326); absent: computed from
    /// the population (SPEC §4).
    #[serde(deserialize_with = "de_lonlat")]
    pub centre_lonlat: Option<[f64; 2]>,
    /// Classes whose parcels may become cultural districts (SPEC §4:
    /// industrial and logistics — adaptive reuse of factories and warehouses).
    #[serde(serialize_with = "ser_classes", deserialize_with = "de_classes")]
    pub cultural_origins: Vec<LandUse>,
    /// Park criteria.
    pub green: GreenConfig,
    /// Ecological-land criteria.
    pub ecological: EcologicalConfig,
    /// Cultural-district criteria.
    pub cultural: CulturalConfig,
}

impl Default for ScoringConfig {
    fn default() -> Self {
        ScoringConfig {
            residents_per_m2: DEFAULT_RESIDENTS_PER_M2,
            centre_lonlat: None,
            cultural_origins: crate::uses::DEFAULT_CULTURAL_ORIGINS.to_vec(),
            green: GreenConfig::default(),
            ecological: EcologicalConfig::default(),
            cultural: CulturalConfig::default(),
        }
    }
}

fn ser_classes<S: Serializer>(v: &[LandUse], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(v.iter().map(|u| u.as_str()))
}

/// Exactly two numbers: a third (an elevation, a typo) is an error, not ignored.
/// `null` (how the summary writes no centre) is no centre.
fn de_lonlat<'de, D: Deserializer<'de>>(d: D) -> Result<Option<[f64; 2]>, D::Error> {
    let Some(v) = Option::<Vec<f64>>::deserialize(d)? else {
        return Ok(None);
    };
    match v[..] {
        [lon, lat] => Ok(Some([lon, lat])),
        _ => Err(serde::de::Error::invalid_length(
            v.len(),
            &"[longitude, latitude]: two numbers",
        )),
    }
}

fn de_classes<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<LandUse>, D::Error> {
    let names = Vec::<String>::deserialize(d)?;
    names
        .iter()
        .map(|n| n.parse::<LandUse>().map_err(serde::de::Error::custom))
        .collect()
}

/// One criterion table as the validator sees it.
struct Table<'a> {
    key: &'static str,
    enabled: bool,
    numbers: Vec<(&'static str, f64)>,
    /// (lo key, hi key) pairs that must be ordered.
    pairs: &'a [(&'static str, &'static str)],
}

impl ScoringConfig {
    /// Reads the `[scoring]` table of a TOML configuration (the whole text
    /// is parsed and checked as a [`Config`](crate::Config); use that to
    /// read the other tables too).
    pub fn from_toml_str(text: &str) -> Result<ScoringConfig, crate::ConfigError> {
        crate::Config::from_toml_str(text, std::path::Path::new("<scoring>")).map(|c| c.scoring)
    }

    fn tables(&self) -> Vec<(&'static str, Vec<Table<'static>>)> {
        const RANGE: &[(&str, &str)] = &[("lo", "hi")];
        const RANGE_M: &[(&str, &str)] = &[("lo_m", "hi_m")];
        const RANGE_HA: &[(&str, &str)] = &[("lo_ha", "hi_ha")];
        const RANGE_RATIO: &[(&str, &str)] = &[("lo_ratio", "hi_ratio")];
        const RANGE_RES: &[(&str, &str)] = &[("lo_residents", "hi_residents")];
        const RANGE_COUNT: &[(&str, &str)] = &[("lo_count", "hi_count")];
        const SCALE: &[(&str, &str)] = &[
            ("lo_ha", "hi_ha"),
            ("too_big_lo_ha", "too_big_hi_ha"),
            ("hi_ha", "too_big_lo_ha"),
        ];
        macro_rules! t {
            ($key:literal, $s:expr, $pairs:expr) => {
                Table {
                    key: $key,
                    enabled: $s.enabled,
                    numbers: $s.numbers(),
                    pairs: $pairs,
                }
            };
        }
        let (g, e, c) = (&self.green, &self.ecological, &self.cultural);
        vec![
            (
                "green",
                vec![
                    t!("unserved_demand", g.unserved_demand, RANGE_RES),
                    t!("green_deficit", g.green_deficit, RANGE_M),
                    t!("size_fit", g.size_fit, RANGE_HA),
                    t!("compactness", g.compactness, RANGE),
                    t!("clean_site", g.clean_site, &[]),
                ],
            ),
            (
                "ecological",
                vec![
                    t!("adjacency", e.adjacency, RANGE_M),
                    t!("corridor", e.corridor, RANGE_COUNT),
                    t!("peripherality", e.peripherality, RANGE_RATIO),
                    t!("low_density", e.low_density, RANGE_RES),
                    t!("size", e.size, RANGE_HA),
                ],
            ),
            (
                "cultural",
                vec![
                    t!("heritage", c.heritage, &[]),
                    t!("moderate_scale", c.moderate_scale, SCALE),
                    t!("centrality", c.centrality, RANGE_RATIO),
                    t!("transit", c.transit, RANGE_M),
                    t!("cluster", c.cluster, RANGE_HA),
                    t!("amenities", c.amenities, RANGE_COUNT),
                ],
            ),
        ]
    }

    /// Checks every setting: numbers finite, weights and radii not negative,
    /// each use with at least one enabled criterion of positive weight,
    /// thresholds in order (`lo <= hi`), a positive density, a centre in
    /// lon/lat range and known cultural origins.
    ///
    /// ```
    /// use landstock::score::ScoringConfig;
    /// let mut cfg = ScoringConfig::default();
    /// cfg.ecological.adjacency.weight = 0.0;
    /// cfg.ecological.corridor.enabled = false;
    /// cfg.ecological.peripherality.weight = 0.0;
    /// cfg.ecological.low_density.weight = 0.0;
    /// cfg.ecological.size.weight = 0.0;
    /// let e = cfg.validate().unwrap_err();
    /// assert_eq!(e.key, "scoring.ecological");
    /// assert!(e.problem.contains("zero"));
    /// ```
    pub fn validate(&self) -> Result<(), SettingError> {
        if !(self.residents_per_m2.is_finite() && self.residents_per_m2 >= 0.0) {
            return Err(invalid(
                "scoring.residents_per_m2".into(),
                format!("density {} is not a number >= 0", self.residents_per_m2),
                "give residents per m² of residential land, e.g. 0.02",
            ));
        }
        if let Some([lon, lat]) = self.centre_lonlat {
            if !(lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() <= 90.0) {
                return Err(invalid(
                    "scoring.centre_lonlat".into(),
                    format!("[{lon}, {lat}] is not a lon/lat point"),
                    "give [longitude, latitude] in degrees (EPSG:4326)",
                ));
            }
        }
        for (use_key, tables) in self.tables() {
            let mut total = 0.0;
            for t in &tables {
                for &(name, v) in &t.numbers {
                    let key = format!("scoring.{use_key}.{}.{name}", t.key);
                    if !v.is_finite() {
                        return Err(invalid(
                            key,
                            format!("{v} is not a finite number"),
                            "give a number",
                        ));
                    }
                    if name == "weight" && v < 0.0 {
                        return Err(invalid(
                            key,
                            format!("negative weight {v}"),
                            "weights must be >= 0; set enabled = false to switch a criterion off",
                        ));
                    }
                    if name.ends_with("radius_m") && v < 0.0 {
                        return Err(invalid(
                            key,
                            format!("negative radius {v}"),
                            "give a distance in metres >= 0",
                        ));
                    }
                    // distances, areas, counts, ratios and raw values: none is negative
                    if v < 0.0 {
                        return Err(invalid(
                            key,
                            format!("negative value {v}"),
                            "thresholds and values are distances, areas, counts or ratios: give a number >= 0",
                        ));
                    }
                }
                let get = |k: &str| {
                    t.numbers
                        .iter()
                        .find(|n| n.0 == k)
                        .map(|n| n.1)
                        .unwrap_or(0.0)
                };
                for &(lo, hi) in t.pairs {
                    if get(lo) > get(hi) {
                        return Err(invalid(
                            format!("scoring.{use_key}.{}.{hi}", t.key),
                            format!("{hi} = {} is below {lo} = {}", get(hi), get(lo)),
                            "thresholds must be in increasing order",
                        ));
                    }
                }
                if t.enabled {
                    total += get("weight");
                }
            }
            if total <= 0.0 {
                return Err(invalid(
                    format!("scoring.{use_key}"),
                    "the weights of the enabled criteria are all zero".into(),
                    "give at least one enabled criterion a positive weight",
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "scoring_tests.rs"]
mod tests;
