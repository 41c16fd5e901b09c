//! Where `plan` writes the plan: GeoJSON (a file or stdout) written by
//! landstock, or with GDAL a GeoPackage, FlatGeobuf or Shapefile converted
//! from it, put in place at the end like every other output.

use std::path::Path;

use crate::files::{is_std, shown, AtomicFile};
use crate::Failure;

/// The city's name: the file's stem, a PostGIS source's table or dbname,
/// or `stdin`.
pub(crate) fn city_of(file: &Path) -> String {
    if is_std(file) {
        return "stdin".into();
    }
    let text = file.to_string_lossy();
    if let Some(conn) = text.strip_prefix("PG:") {
        let get = |key: &str| {
            conn.split_whitespace()
                .find_map(|kv| kv.strip_prefix(key))
                .map(|v| v.trim_matches('\'').to_string())
        };
        return get("tables=")
            .or_else(|| get("dbname="))
            .unwrap_or_else(|| "postgis".into());
    }
    file.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Where the plan goes: GeoJSON written by landstock, or (with GDAL) a
/// GeoPackage, FlatGeobuf or Shapefile converted from it, put in place at
/// the end like every other output.
pub(crate) enum PlanOut {
    GeoJson(AtomicFile),
    #[cfg(feature = "gdal")]
    Gdal {
        dir: tempfile::TempDir,
        dest: std::path::PathBuf,
        format: landstock::output::vector::VectorFormat,
    },
}

/// A plan written, waiting to be put in place.
pub(crate) enum PlanDone {
    GeoJson(AtomicFile),
    #[cfg(feature = "gdal")]
    Gdal {
        // kept until the files are renamed out of it
        _dir: tempfile::TempDir,
        staged: Vec<std::path::PathBuf>,
        dest: std::path::PathBuf,
        format: landstock::output::vector::VectorFormat,
    },
}

impl PlanOut {
    pub(crate) fn create(dest: &Path) -> Result<PlanOut, Failure> {
        #[cfg(feature = "gdal")]
        if !is_std(dest) {
            use landstock::output::vector::VectorFormat;
            match VectorFormat::from_path(dest) {
                Some(VectorFormat::GeoJson) => {}
                Some(format) => {
                    let parent = match dest.parent() {
                        Some(p) if !p.as_os_str().is_empty() => p,
                        _ => Path::new("."),
                    };
                    let dir = tempfile::Builder::new()
                        .prefix(".landstock-plan.")
                        .tempdir_in(parent)
                        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", dest.display()))?;
                    return Ok(PlanOut::Gdal {
                        dir,
                        dest: dest.to_path_buf(),
                        format,
                    });
                }
                None => {
                    return Err(Failure::Usage(anyhow::anyhow!(
                        "--out {}: write the plan as .geojson, .gpkg, .fgb or .shp",
                        dest.display()
                    )))
                }
            }
        }
        Ok(PlanOut::GeoJson(AtomicFile::create(dest)?))
    }

    /// Writes the plan in `out_crs`, else EPSG:4326 for GeoJSON (RFC 7946)
    /// and `input_crs` for the other formats.
    pub(crate) fn write(
        self,
        s: &landstock::ScoredCity,
        rows: &[landstock::output::plan::Decision],
        all: bool,
        out_crs: Option<&str>,
        input_crs: &str,
    ) -> Result<PlanDone, Failure> {
        use landstock::crs::InputCrs;
        use landstock::output::plan::write_plan_geojson_in;
        match self {
            PlanOut::GeoJson(mut f) => {
                let crs = out_crs.map_or_else(
                    || "EPSG:4326".to_string(),
                    |c| InputCrs::from_name(c).proj_name().to_string(),
                );
                let dest = shown(f.dest());
                write_plan_geojson_in(&mut f, &dest, &s.stock, rows, all, &s.working_crs, &crs)?;
                Ok(PlanDone::GeoJson(f))
            }
            #[cfg(feature = "gdal")]
            PlanOut::Gdal { dir, dest, format } => {
                use landstock::output::vector::{convert_geojson, dataset_files};
                use std::io::Write;
                let tmp_json = dir.path().join("plan.geojson");
                let file = std::fs::File::create(&tmp_json)
                    .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", tmp_json.display()))?;
                let mut w = std::io::BufWriter::new(file);
                write_plan_geojson_in(
                    &mut w,
                    &dest.display().to_string(),
                    &s.stock,
                    rows,
                    all,
                    &s.working_crs,
                    "EPSG:4326",
                )?;
                w.flush()
                    .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", tmp_json.display()))?;
                drop(w);
                // default: the input's own CRS
                let crs = out_crs.unwrap_or(input_crs);
                let crs = InputCrs::from_name(crs).proj_name().to_string();
                let name = dest
                    .file_name()
                    .map(|n| n.to_os_string())
                    .unwrap_or_default();
                let staged_main = dir.path().join(name);
                // one layer, named after the file (as a Shapefile's must be)
                let layer = dest
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "plan".into());
                convert_geojson(&tmp_json, &staged_main, format, &crs, &layer)?;
                let staged = dataset_files(&staged_main, format)
                    .into_iter()
                    .filter(|p| p.exists())
                    .collect();
                Ok(PlanDone::Gdal {
                    _dir: dir,
                    staged,
                    dest,
                    format,
                })
            }
        }
    }
}

impl PlanDone {
    pub(crate) fn commit(self) -> Result<(), Failure> {
        match self {
            PlanDone::GeoJson(f) => Ok(f.commit()?),
            #[cfg(feature = "gdal")]
            PlanDone::Gdal {
                _dir,
                staged,
                dest,
                format,
            } => {
                // a Shapefile's old sidecars must not outlive the new .shp
                for old in landstock::output::vector::dataset_files(&dest, format) {
                    if old.exists() {
                        std::fs::remove_file(&old).map_err(|e| {
                            anyhow::anyhow!("cannot replace {}: {e}", old.display())
                        })?;
                    }
                }
                for p in staged {
                    let to = dest.with_extension(p.extension().unwrap_or_default());
                    std::fs::rename(&p, &to)
                        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", to.display()))?;
                }
                Ok(())
            }
        }
    }
}
