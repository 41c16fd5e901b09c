//! The library's error type: what went wrong, and where (file, byte offset,
//! feature index), with a message that says what to do.

use std::fmt;

/// An error from ingestion, projection or configuration.
///
/// The kind is boxed so that `Result<T, Error>` stays one pointer wide; look
/// at [`Error::kind`] to match on what happened.
///
/// ```
/// use landstock::ingest::{read_geojson, IngestOptions};
/// let err = read_geojson("[1, 2]".as_bytes(), "list.json", &IngestOptions::default()).unwrap_err();
/// assert!(err.to_string().contains("list.json"));
/// assert!(err.to_string().contains("FeatureCollection"));
/// assert!(matches!(err.kind(), landstock::ErrorKind::Malformed { offset: 0, .. }));
/// ```
#[derive(Debug)]
pub struct Error(Box<ErrorKind>);

/// What went wrong.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input could not be read.
    Io {
        /// The file (or stream name) being read.
        source_name: String,
        /// The underlying error.
        error: std::io::Error,
    },
    /// An output file could not be written.
    Write {
        /// The destination.
        dest: String,
        /// The underlying error.
        error: std::io::Error,
    },
    /// The file is not a GeoJSON FeatureCollection, or is truncated or not
    /// valid JSON. Nothing is returned: never a silent partial result.
    Malformed {
        /// The file (or stream name).
        source_name: String,
        /// Byte offset in the file where the problem was found.
        offset: u64,
        /// Index of the feature being read, when inside the `features` array.
        feature_index: Option<usize>,
        /// What was expected.
        what: String,
    },
    /// A coordinate reference system could not be understood or set up.
    Crs {
        /// The CRS as written.
        crs: String,
        /// What PROJ or landstock said.
        what: String,
    },
    /// A GDAL source could not be opened: not a format GDAL reads, a bad
    /// `PG:` connection string, a server that does not answer.
    Open {
        /// The file or connection string (password left out).
        source_name: String,
        /// What GDAL said.
        what: String,
    },
    /// A file the source needs beside it is missing (a Shapefile's `.dbf`
    /// or `.shx`).
    MissingPart {
        /// The source.
        source_name: String,
        /// The missing file.
        part: String,
    },
    /// No layer of that name, or several layers and none chosen.
    Layer {
        /// The source.
        source_name: String,
        /// The layer asked for (`None`: none was).
        wanted: Option<String>,
        /// The layers the source has.
        available: Vec<String>,
    },
    /// Attribute text that is not valid in the encoding it is read with, or
    /// an encoding landstock does not know.
    Encoding {
        /// The source (or its `.cpg`).
        source_name: String,
        /// The feature, when the text of one was invalid.
        feature_index: Option<usize>,
        /// The field, as named in the layer.
        field: Option<String>,
        /// The encoding.
        encoding: String,
        /// What was wrong, and what to do.
        what: String,
    },
    /// GDAL failed while reading features (a truncated or damaged file):
    /// nothing is returned, never a partial result.
    Corrupt {
        /// The source.
        source_name: String,
        /// The feature being read.
        feature_index: Option<usize>,
        /// What GDAL said.
        what: String,
    },
    /// The source is not GeoJSON and landstock was built without the `gdal`
    /// feature.
    FormatUnavailable {
        /// The source.
        source_name: String,
    },
    /// The input held no feature that could be accepted, so there is no
    /// city to measure (and no UTM zone to choose).
    NoParcels {
        /// The file (or stream name).
        source_name: String,
        /// How many features the file held.
        features: usize,
    },
}

impl Error {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    /// Unwrap into the kind.
    pub fn into_kind(self) -> ErrorKind {
        *self.0
    }

    pub(crate) fn malformed(
        source_name: &str,
        offset: u64,
        feature_index: Option<usize>,
        what: impl Into<String>,
    ) -> Error {
        Error::from(ErrorKind::Malformed {
            source_name: source_name.to_string(),
            offset,
            feature_index,
            what: what.into(),
        })
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Error(Box::new(kind))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            ErrorKind::Io { source_name, error } => write!(f, "cannot read {source_name}: {error}"),
            ErrorKind::Write { dest, error } => write!(f, "cannot write {dest}: {error}"),
            ErrorKind::Malformed {
                source_name,
                offset,
                feature_index,
                what,
            } => {
                write!(f, "{source_name}: malformed GeoJSON at byte {offset}")?;
                if let Some(i) = feature_index {
                    write!(f, " (feature {i})")?;
                }
                write!(f, ": {what}")
            }
            ErrorKind::Crs { crs, what } => write!(
                f,
                "coordinate reference system {crs:?}: {what}; give an EPSG code such as \"EPSG:32651\""
            ),
            ErrorKind::Open { source_name, what } => {
                write!(f, "cannot open {source_name}: {}", what.trim())
            }
            ErrorKind::MissingPart { source_name, part } => write!(
                f,
                "{source_name}: {part} is missing; a Shapefile needs its .shp, .shx and .dbf side by side"
            ),
            ErrorKind::Layer {
                source_name,
                wanted,
                available,
            } => {
                let list = if available.is_empty() {
                    "it has no layers".to_string()
                } else {
                    format!("its layers: {}", available.join(", "))
                };
                match wanted {
                    Some(w) => write!(f, "{source_name}: no layer {w:?} ({list}); pick one with --layer or [input] layer"),
                    None => write!(f, "{source_name}: which layer? {list}; pick one with --layer or [input] layer"),
                }
            }
            ErrorKind::Encoding {
                source_name,
                feature_index,
                field,
                encoding,
                what,
            } => {
                write!(f, "{source_name}")?;
                if let Some(i) = feature_index {
                    write!(f, ": feature {i}")?;
                }
                if let Some(name) = field {
                    write!(f, ", field {name:?}")?;
                }
                write!(f, ": encoding {encoding}: {what}")
            }
            ErrorKind::Corrupt {
                source_name,
                feature_index,
                what,
            } => {
                write!(f, "{source_name}: cannot read")?;
                if let Some(i) = feature_index {
                    write!(f, " feature {i}")?;
                }
                write!(f, ": {}", what.trim())
            }
            ErrorKind::FormatUnavailable { source_name } => write!(
                f,
                "{source_name}: only GeoJSON can be read by this build; rebuild landstock with the `gdal` feature (the default) for Shapefile, GeoPackage, FlatGeobuf, File Geodatabase, CSV and PostGIS"
            ),
            ErrorKind::NoParcels {
                source_name,
                features,
            } => write!(
                f,
                "{source_name}: none of its {features} features could be accepted as a parcel; run `landstock validate` to see why each was rejected"
            ),
        }
    }
}

/// The message already carries the cause (`cannot read x: No such file or
/// directory`), so `source()` returns `None`: an error either shows its cause
/// or hands it on, never both, or a reporter that prints the chain (anyhow's
/// `{:#}`) repeats it. The I/O error itself stays in [`ErrorKind::Io`].
impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    /// anyhow's `{:#}` prints an error and then each `source()`: the way the
    /// command line reports errors.
    fn reported(e: Error) -> String {
        format!("{:#}", anyhow::Error::from(e))
    }

    #[test]
    fn a_missing_file_names_its_cause_once() {
        let io = std::fs::File::open("/no/such/dir/x.geojson").unwrap_err();
        let cause = io.to_string();
        let e = Error::from(ErrorKind::Io {
            source_name: "x.geojson".into(),
            error: io,
        });
        let text = reported(e);
        assert_eq!(text, format!("cannot read x.geojson: {cause}"));
        assert_eq!(text.matches(&cause).count(), 1, "{text}");
    }

    #[test]
    fn no_kind_repeats_its_cause_in_a_chain() {
        let io = || std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied");
        for e in [
            Error::from(ErrorKind::Io {
                source_name: "a".into(),
                error: io(),
            }),
            Error::from(ErrorKind::Write {
                dest: "b".into(),
                error: io(),
            }),
        ] {
            let text = reported(e);
            assert_eq!(text.matches("denied").count(), 1, "{text}");
        }
    }
}
