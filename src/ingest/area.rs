//! Ellipsoidal parcel areas (`[input] area = "ellipsoidal"`): each accepted
//! parcel's final geometry — projected, repaired — is taken back to WGS 84
//! lon/lat with PROJ and measured on the ellipsoid with geo's
//! `GeodesicArea` (Karney 2013), the area official surveys report.

use geo::{GeodesicArea, MapCoords};
use rayon::prelude::*;

use crate::crs::CrsPair;
use crate::error::{Error, ErrorKind};
use crate::parcel::Parcel;

/// Sets every parcel's `ellipsoidal_area_m2` from its geometry in
/// `working_crs`.
pub(crate) fn measure_ellipsoidal(parcels: &mut [Parcel], working_crs: &str) -> Result<(), Error> {
    let pair = CrsPair::new(working_crs, "EPSG:4326");
    parcels.par_iter_mut().with_min_len(256).try_for_each(|p| {
        pair.with_transformer(|t| {
            let t = t.map_err(|what| {
                Error::from(ErrorKind::Crs {
                    crs: working_crs.to_string(),
                    what: what.to_string(),
                })
            })?;
            let lonlat = p.geometry.try_map_coords(|c| {
                let mut one = [c];
                t.transform(&mut one).map(|()| one[0])
            });
            let lonlat = lonlat.map_err(|what| {
                Error::from(ErrorKind::Crs {
                    crs: working_crs.to_string(),
                    what: format!("parcel {}: {what}", p.id.as_str()),
                })
            })?;
            p.ellipsoidal_area_m2 = Some(lonlat.geodesic_area_unsigned());
            Ok(())
        })
    })
}
