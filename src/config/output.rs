//! `[output]`: how the plan is written (its CRS).

use serde::{Deserialize, Serialize};

use super::ConfigError;

/// `[output]`: how results are written.
///
/// ```
/// use std::path::Path;
/// use landstock::Config;
/// let cfg = Config::from_toml_str("[output]\ncrs = \"EPSG:4527\"\n", Path::new("c.toml")).unwrap();
/// assert_eq!(cfg.output.crs.as_deref(), Some("EPSG:4527"));
/// let err = Config::from_toml_str("[output]\ncrs = \"EPSG:99999999\"\n", Path::new("c.toml")).unwrap_err();
/// assert_eq!(err.key, "output.crs");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OutputConfig {
    /// CRS of the written plan (`--out-crs` overrides it). Absent: GeoJSON in
    /// EPSG:4326 (RFC 7946), GeoPackage, FlatGeobuf and Shapefile in the
    /// input's CRS.
    pub crs: Option<String>,
}

impl OutputConfig {
    /// Checks that `crs` names a CRS PROJ knows.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if let Some(crs) = &self.crs {
            let name = crate::crs::InputCrs::from_name(crs);
            if let Err(e) = crate::crs::CrsPair::new("EPSG:4326", name.proj_name()).transformer() {
                return Err(ConfigError::invalid(
                    "output.crs",
                    format!("unknown CRS {crs:?} ({e})"),
                    "give an EPSG code such as \"EPSG:4527\" (CGCS2000 / 3-degree Gauss-Kruger zone 39)",
                ));
            }
        }
        Ok(())
    }
}
