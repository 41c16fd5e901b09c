//! `[input]`: how features are read (id property, input CRS, working CRS,
//! how areas are measured).

use serde::{Deserialize, Serialize};

use super::ConfigError;

/// `[input]`: how features are read.
///
/// ```
/// use std::path::Path;
/// use landstock::Config;
/// let cfg = Config::from_toml_str("[input]\nid_property = \"\"\nworking_epsg = 32616\n", Path::new("c.toml")).unwrap();
/// assert_eq!(cfg.input.id_property.as_deref(), Some(""), "empty: use the feature id");
/// assert_eq!(cfg.input.working_epsg, Some(32616));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InputConfig {
    /// Property holding the parcel id. Absent or empty: the GeoJSON feature
    /// `id`, else the feature's index in the file.
    pub id_property: Option<String>,
    /// Overrides the input CRS (e.g. `"EPSG:2272"`) when the file's own
    /// declaration is missing or wrong.
    pub crs: Option<String>,
    /// Metric CRS to work in; absent: the UTM zone of the data (SPEC §2).
    pub working_epsg: Option<u32>,
    /// How parcel areas are measured: `"planar"` (default) or
    /// `"ellipsoidal"`.
    pub area: AreaMethod,
}

/// How parcel areas are measured (`[input] area`, `--area`).
///
/// ```
/// use std::path::Path;
/// use landstock::{Config, config::AreaMethod};
/// let cfg = Config::from_toml_str("[input]\narea = \"ellipsoidal\"\n", Path::new("c.toml")).unwrap();
/// assert_eq!(cfg.input.area, AreaMethod::Ellipsoidal);
/// assert_eq!(Config::default().input.area, AreaMethod::Planar);
/// assert_eq!(AreaMethod::Ellipsoidal.as_str(), "ellipsoidal");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AreaMethod {
    /// In the projected working CRS (a UTM zone by default): what every
    /// distance is measured in too. Within a UTM zone's central part the
    /// scale error of area is below 0.1 %; further out it grows.
    #[default]
    Planar,
    /// Geodesic area on the WGS 84 ellipsoid (Karney's algorithm, geo's
    /// `GeodesicArea`), whatever the working CRS: the area official land
    /// surveys (e.g. China's Third National Land Survey, on CGCS2000, whose
    /// ellipsoid differs from WGS 84's by 0.1 mm in the semi-minor axis)
    /// report. Distances stay planar.
    Ellipsoidal,
}

impl AreaMethod {
    /// `planar` or `ellipsoidal`.
    pub fn as_str(self) -> &'static str {
        match self {
            AreaMethod::Planar => "planar",
            AreaMethod::Ellipsoidal => "ellipsoidal",
        }
    }
}

impl InputConfig {
    /// Checks that `crs` and `working_epsg` name coordinate reference systems
    /// PROJ knows, and that the working CRS is projected (metres), so a typo
    /// fails at load time instead of after reading the whole file.
    ///
    /// ```
    /// use landstock::config::InputConfig;
    /// let ok = InputConfig { working_epsg: Some(32651), ..InputConfig::default() };
    /// assert!(ok.validate().is_ok());
    /// let lonlat = InputConfig { working_epsg: Some(4326), ..InputConfig::default() };
    /// assert_eq!(lonlat.validate().unwrap_err().key, "input.working_epsg");
    /// let typo = InputConfig { crs: Some("EPGS:2272".into()), ..InputConfig::default() };
    /// assert_eq!(typo.validate().unwrap_err().key, "input.crs");
    /// ```
    pub fn validate(&self) -> Result<(), ConfigError> {
        if let Some(crs) = self
            .crs
            .as_ref()
            .filter(|c| !crate::crs::gcj02::is_gcj02(c))
        {
            let name = crate::crs::InputCrs::from_name(crs);
            if crs.trim().is_empty() {
                return Err(ConfigError::invalid(
                    "input.crs",
                    "empty CRS name",
                    "name the input CRS, e.g. \"EPSG:2272\", or remove the key to use the file's own",
                ));
            }
            if let Err(e) = crate::crs::CrsPair::new(name.proj_name(), "EPSG:4326").transformer() {
                return Err(ConfigError::invalid(
                    "input.crs",
                    format!("unknown CRS {crs:?} ({e})"),
                    "give an EPSG code such as \"EPSG:2272\"",
                ));
            }
        }
        if let Some(code) = self.working_epsg {
            let hint = "give a projected CRS in metres, e.g. a UTM zone such as 32651, or remove the key to pick the UTM zone of the data";
            let name = crate::crs::InputCrs::from_name(&format!("EPSG:{code}"));
            if name.is_geographic() {
                return Err(ConfigError::invalid(
                    "input.working_epsg",
                    format!("EPSG:{code} is in degrees, not metres"),
                    hint,
                ));
            }
            if let Err(e) = crate::crs::CrsPair::new("EPSG:4326", name.proj_name()).transformer() {
                return Err(ConfigError::invalid(
                    "input.working_epsg",
                    format!("unknown CRS EPSG:{code} ({e})"),
                    hint,
                ));
            }
        }
        Ok(())
    }
}
