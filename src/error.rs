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
