//! Outputs: files written from the pipeline's values (SPEC §7).
//!
//! * [`scores`]: every candidate with its scores and breakdown, as GeoJSON
//!   in EPSG:4326 (`landstock score`).
//! * [`plan`]: the plan as GeoJSON, the CSV of decisions and the summary JSON
//!   (`landstock plan`).
//! * [`AtomicFile`]: every file is written beside its destination and renamed
//!   into place, so a failed run never leaves a truncated file where a good
//!   one was.
//! * [`map`]: the map of a plan as SVG (before and after panels), and with the
//!   `png` feature its rendering to PNG.
//! * [`report`]: one self-contained HTML report of a plan (map, indicators,
//!   solver figures, binding constraints, top decisions).

mod geojson;
pub mod map;
pub mod plan;
pub mod report;
pub mod scores;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind};

/// A file written to a temporary name in the destination's folder and
/// renamed into place by [`AtomicFile::commit`]. Creating it checks that the
/// destination is writable before any work is done; dropping it uncommitted
/// removes the temporary file and leaves any existing destination untouched.
///
/// ```
/// use std::io::Write;
/// use landstock::output::AtomicFile;
/// let dir = tempfile::tempdir().unwrap();
/// let dest = dir.path().join("plan.csv");
/// std::fs::write(&dest, "old").unwrap();
/// let mut f = AtomicFile::create(&dest).unwrap();
/// f.writer().write_all(b"half a fi").unwrap();
/// drop(f); // e.g. an error happened before commit
/// assert_eq!(std::fs::read_to_string(&dest).unwrap(), "old");
/// let mut f = AtomicFile::create(&dest).unwrap();
/// f.writer().write_all(b"new").unwrap();
/// f.commit().unwrap();
/// assert_eq!(std::fs::read_to_string(&dest).unwrap(), "new");
/// assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
/// assert!(AtomicFile::create(dir.path().join("no/such/dir/x.csv")).is_err());
/// // a directory in the way fails at once, not at the final rename
/// std::fs::create_dir(dir.path().join("out.csv")).unwrap();
/// let err = AtomicFile::create(dir.path().join("out.csv")).unwrap_err();
/// assert!(err.to_string().contains("directory"), "{err}");
/// assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2, "no temporary file left");
/// ```
#[derive(Debug)]
pub struct AtomicFile {
    dest: PathBuf,
    tmp: PathBuf,
    writer: Option<BufWriter<File>>,
    renamed: bool,
}

fn io_err(path: &Path, error: std::io::Error) -> Error {
    Error::from(ErrorKind::Write {
        dest: path.display().to_string(),
        error,
    })
}

impl AtomicFile {
    /// Creates the temporary file beside `dest`.
    pub fn create(dest: impl AsRef<Path>) -> Result<AtomicFile, Error> {
        let dest = dest.as_ref().to_path_buf();
        let name = dest.file_name().ok_or_else(|| {
            io_err(
                &dest,
                std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"),
            )
        })?;
        if dest.is_dir() {
            // found now, not by the rename after all the work
            return Err(io_err(
                &dest,
                std::io::Error::new(std::io::ErrorKind::InvalidInput, "it is a directory"),
            ));
        }
        let tmp = dest.with_file_name(format!(
            ".{}.tmp-{}",
            name.to_string_lossy(),
            std::process::id()
        ));
        let f = File::create(&tmp).map_err(|e| io_err(&dest, e))?;
        Ok(AtomicFile {
            dest,
            tmp,
            writer: Some(BufWriter::new(f)),
            renamed: false,
        })
    }

    /// The destination path.
    pub fn dest(&self) -> &Path {
        &self.dest
    }

    /// Where to write.
    pub fn writer(&mut self) -> &mut BufWriter<File> {
        self.writer.as_mut().expect("writer present until commit")
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(mut self) -> Result<(), Error> {
        let w = self.writer.take().expect("writer present until commit");
        let f = w
            .into_inner()
            .map_err(|e| io_err(&self.dest, e.into_error()))?;
        f.sync_all().map_err(|e| io_err(&self.dest, e))?;
        drop(f);
        std::fs::rename(&self.tmp, &self.dest).map_err(|e| io_err(&self.dest, e))?;
        self.renamed = true;
        Ok(())
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        // not committed, or the flush, sync or rename failed: the temporary
        // file goes (a failed rename used to leave it behind)
        self.writer.take();
        if !self.renamed {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writer().write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.writer().flush()
    }
}
