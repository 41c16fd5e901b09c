//! The plan in GIS formats other than GeoJSON (GeoPackage, FlatGeobuf,
//! Shapefile), written by GDAL from the plan GeoJSON: the same features,
//! fields typed by GDAL's GeoJSON reader, reprojected to the output CRS.

// See lib.rs: GDALVectorTranslate (ogr2ogr as a function) is only reachable
// through gdal-sys. The unsafe block below says why it is sound.
#![allow(unsafe_code)]

use std::ffi::{CStr, CString};
use std::path::Path;

use crate::error::{Error, ErrorKind};

/// A vector format the plan can be written as, chosen by the extension.
///
/// ```
/// use landstock::output::vector::VectorFormat;
/// assert_eq!(VectorFormat::from_path("plan.gpkg".as_ref()), Some(VectorFormat::GeoPackage));
/// assert_eq!(VectorFormat::from_path("plan.GeoJSON".as_ref()), Some(VectorFormat::GeoJson));
/// assert_eq!(VectorFormat::from_path("plan.shp".as_ref()).unwrap().driver(), "ESRI Shapefile");
/// assert_eq!(VectorFormat::from_path("plan.kml".as_ref()), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VectorFormat {
    /// `.geojson`, `.json`: landstock's own writer (EPSG:4326 unless asked).
    GeoJson,
    /// `.gpkg`
    GeoPackage,
    /// `.fgb`
    FlatGeobuf,
    /// `.shp` (with `.shx`, `.dbf`, `.prj` and a `.cpg` saying UTF-8)
    Shapefile,
}

impl VectorFormat {
    /// The format of a destination, by its extension.
    pub fn from_path(path: &Path) -> Option<VectorFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "geojson" | "json" => VectorFormat::GeoJson,
            "gpkg" => VectorFormat::GeoPackage,
            "fgb" => VectorFormat::FlatGeobuf,
            "shp" => VectorFormat::Shapefile,
            _ => return None,
        })
    }

    /// GDAL's driver name.
    pub fn driver(self) -> &'static str {
        match self {
            VectorFormat::GeoJson => "GeoJSON",
            VectorFormat::GeoPackage => "GPKG",
            VectorFormat::FlatGeobuf => "FlatGeobuf",
            VectorFormat::Shapefile => "ESRI Shapefile",
        }
    }
}

fn fail(dest: &Path, what: impl Into<String>) -> Error {
    Error::from(ErrorKind::Write {
        dest: dest.display().to_string(),
        error: std::io::Error::other(what.into()),
    })
}

/// Converts a GeoJSON file (EPSG:4326, as the plan writer makes it) to
/// `dest` in `format`, reprojected to `crs` (e.g. `EPSG:4527`, or a WKT), as
/// one layer named `layer`. `dest` must not exist yet.
///
/// ```no_run
/// use landstock::output::vector::{convert_geojson, VectorFormat};
/// convert_geojson("plan.geojson".as_ref(), "plan.gpkg".as_ref(), VectorFormat::GeoPackage, "EPSG:4527", "plan")?;
/// # Ok::<(), landstock::Error>(())
/// ```
pub fn convert_geojson(
    geojson: &Path,
    dest: &Path,
    format: VectorFormat,
    crs: &str,
    layer: &str,
) -> Result<(), Error> {
    let src = gdal::Dataset::open_ex(
        geojson,
        gdal::DatasetOptions {
            open_flags: gdal::GdalOpenFlags::GDAL_OF_VECTOR,
            allowed_drivers: Some(&["GeoJSON"]),
            ..gdal::DatasetOptions::default()
        },
    )
    .map_err(|e| fail(dest, format!("cannot reopen the plan GeoJSON: {e}")))?;
    let mut args: Vec<String> = vec![
        "-f".into(),
        format.driver().into(),
        "-t_srs".into(),
        crs.into(),
        "-nln".into(),
        layer.into(),
        "-nlt".into(),
        "PROMOTE_TO_MULTI".into(),
    ];
    match format {
        // every field name kept whole would be cut to 10 characters anyway;
        // say the text is UTF-8 so that readers decode it right
        VectorFormat::Shapefile => args.extend(["-lco".into(), "ENCODING=UTF-8".into()]),
        // features stay in plan order (a spatial index would reorder them)
        VectorFormat::FlatGeobuf => args.extend(["-lco".into(), "SPATIAL_INDEX=NO".into()]),
        VectorFormat::GeoPackage | VectorFormat::GeoJson => {}
    }
    let c_args: Vec<CString> = args
        .iter()
        .map(|a| CString::new(a.as_str()).map_err(|_| fail(dest, "NUL in an option")))
        .collect::<Result<_, _>>()?;
    let mut ptrs: Vec<*mut std::os::raw::c_char> =
        c_args.iter().map(|a| a.as_ptr() as *mut _).collect();
    ptrs.push(std::ptr::null_mut());
    let c_dest = CString::new(dest.to_string_lossy().as_bytes())
        .map_err(|_| fail(dest, "NUL in the path"))?;
    // SAFETY: `ptrs` is a NULL-terminated array of C strings that outlive
    // the call (`c_args`); the options are freed after use; `src` is a valid
    // open dataset for the whole call; the returned dataset is closed at once.
    let result = unsafe {
        gdal_sys::CPLErrorReset();
        let opts = gdal_sys::GDALVectorTranslateOptionsNew(ptrs.as_mut_ptr(), std::ptr::null_mut());
        if opts.is_null() {
            return Err(fail(dest, "GDAL refused the conversion options"));
        }
        let mut src_h = src.c_dataset();
        let mut usage_error = 0;
        let out = gdal_sys::GDALVectorTranslate(
            c_dest.as_ptr(),
            std::ptr::null_mut(),
            1,
            &mut src_h,
            opts,
            &mut usage_error,
        );
        gdal_sys::GDALVectorTranslateOptionsFree(opts);
        if out.is_null() {
            let m = gdal_sys::CPLGetLastErrorMsg();
            Err(if m.is_null() {
                "GDAL could not write it".to_string()
            } else {
                CStr::from_ptr(m).to_string_lossy().into_owned()
            })
        } else {
            gdal_sys::GDALClose(out);
            Ok(())
        }
    };
    result.map_err(|what| fail(dest, what))
}

/// The files a dataset at `path` consists of (a Shapefile's sidecars too).
///
/// ```
/// use landstock::output::vector::{dataset_files, VectorFormat};
/// let f = dataset_files("out/plan.shp".as_ref(), VectorFormat::Shapefile);
/// assert_eq!(f.len(), 5);
/// assert!(f.iter().any(|p| p.ends_with("plan.dbf")));
/// ```
pub fn dataset_files(path: &Path, format: VectorFormat) -> Vec<std::path::PathBuf> {
    match format {
        VectorFormat::Shapefile => ["shp", "shx", "dbf", "prj", "cpg"]
            .iter()
            .map(|e| path.with_extension(e))
            .collect(),
        _ => vec![path.to_path_buf()],
    }
}
