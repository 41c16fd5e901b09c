//! Which reader a source goes to: by its extension, or `PG:`.

use std::path::Path;

#[cfg(feature = "fgb")]
use super::read_flatgeobuf;
#[cfg(feature = "gdal")]
use super::read_gdal;
use super::{read_geojson_file, IngestOptions, Ingested};
use crate::error::Error;
#[cfg(not(feature = "gdal"))]
use crate::error::ErrorKind;

/// Reads parcels from a path or a `PG:` connection string: GeoJSON
/// (`.geojson`, `.json`) with the streaming reader, FlatGeobuf (`.fgb`) with
/// the `flatgeobuf` crate (`read_flatgeobuf`, feature `fgb`), anything else
/// through GDAL (`read_gdal`, feature `gdal`).
///
/// ```
/// use landstock::ingest::{read_path, IngestOptions};
/// let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
/// let got = read_path(&root.join("fixtures/city.geojson"), &IngestOptions::default()).unwrap();
/// assert_eq!(got.report.total, 3000);
/// ```
pub fn read_path(path: &Path, opts: &IngestOptions) -> Result<Ingested, Error> {
    if is_geojson(path) {
        return read_geojson_file(path, opts);
    }
    #[cfg(feature = "fgb")]
    if has_extension(path, "fgb") {
        return read_flatgeobuf(path, opts);
    }
    #[cfg(feature = "gdal")]
    {
        read_gdal(&path.to_string_lossy(), opts)
    }
    #[cfg(not(feature = "gdal"))]
    {
        Err(Error::from(ErrorKind::FormatUnavailable {
            source_name: path.display().to_string(),
        }))
    }
}

/// Whether `source` is read by the streaming GeoJSON reader (by its
/// extension) rather than through GDAL.
///
/// ```
/// use landstock::ingest::is_geojson;
/// assert!(is_geojson("city.geojson".as_ref()));
/// assert!(is_geojson("CITY.JSON".as_ref()));
/// assert!(!is_geojson("city.gpkg".as_ref()));
/// assert!(!is_geojson("PG:dbname=gis".as_ref()));
/// ```
pub fn is_geojson(source: &Path) -> bool {
    has_extension(source, "geojson") || has_extension(source, "json")
}

/// Whether a file path (not a `PG:` string) ends in `.ext`, in any case.
fn has_extension(source: &Path, ext: &str) -> bool {
    !source.to_string_lossy().starts_with("PG:")
        && source
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}
