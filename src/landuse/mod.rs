//! TEMPORARY stub of the tag mapping (replaced by the real module on merge).
#![allow(missing_docs)]
use crate::parcel::{Facts, LandUse, Status};
use serde_json::{Map, Value};

#[derive(Debug, Clone)]
pub struct TagMapping {
    field: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Classification {
    pub land_use: LandUse,
    pub status: Status,
    pub facts: Facts,
    pub unmapped: Option<String>,
    pub warnings: Vec<String>,
}

impl Default for TagMapping {
    fn default() -> Self {
        TagMapping {
            field: "landuse".into(),
        }
    }
}

impl TagMapping {
    pub fn classify(&self, props: Option<&Map<String, Value>>) -> Classification {
        let v = props
            .and_then(|p| p.get(&self.field))
            .and_then(|v| v.as_str());
        let land_use = v.and_then(|v| v.parse().ok()).unwrap_or(LandUse::Unknown);
        Classification {
            land_use,
            status: Status::Active,
            facts: Facts::default(),
            unmapped: (land_use == LandUse::Unknown)
                .then(|| format!("{}={}", self.field, v.unwrap_or("null"))),
            warnings: vec![],
        }
    }
}
