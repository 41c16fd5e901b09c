//! Writing an output file whole or not at all.
//!
//! An [`AtomicFile`] is created before any work is done, so an unwritable
//! destination fails at once; the content goes to a temporary file beside
//! the destination, which [`AtomicFile::commit`] renames over it. A write
//! that fails — or is never committed — removes the temporary file and leaves
//! whatever was at the destination untouched: never a truncated file in place
//! of a good one.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind};

/// A destination file being written through a temporary file beside it.
///
/// ```
/// use std::io::Write;
/// use landstock::output::atomic::AtomicFile;
/// let dir = tempfile::tempdir().unwrap();
/// let dest = dir.path().join("scores.geojson");
/// std::fs::write(&dest, "good").unwrap();
///
/// // dropped without commit (a failed run): the good file stays, no temporary file is left
/// let mut f = AtomicFile::create(&dest).unwrap();
/// f.write_all(b"half a fi").unwrap();
/// drop(f);
/// assert_eq!(std::fs::read_to_string(&dest).unwrap(), "good");
/// assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
///
/// let mut f = AtomicFile::create(&dest).unwrap();
/// f.write_all(b"new").unwrap();
/// f.commit().unwrap();
/// assert_eq!(std::fs::read_to_string(&dest).unwrap(), "new");
///
/// // a destination in a directory that does not exist fails before any work
/// let err = AtomicFile::create(dir.path().join("no/such/dir/x.geojson")).unwrap_err();
/// assert!(err.to_string().starts_with("cannot write "), "{err}");
/// ```
#[derive(Debug)]
pub struct AtomicFile {
    dest: PathBuf,
    tmp: PathBuf,
    out: Option<BufWriter<File>>,
}

fn write_error(dest: &Path, error: std::io::Error) -> Error {
    Error::from(ErrorKind::Write {
        destination: dest.display().to_string(),
        error,
    })
}

impl AtomicFile {
    /// Creates the temporary file beside `dest` (`.NAME.tmp-PID`); fails
    /// when the destination's directory cannot be written or `dest` names a
    /// directory.
    pub fn create(dest: impl AsRef<Path>) -> Result<AtomicFile, Error> {
        let dest = dest.as_ref().to_path_buf();
        let invalid = |what: &str| {
            write_error(
                &dest,
                std::io::Error::new(std::io::ErrorKind::InvalidInput, what.to_string()),
            )
        };
        let name = dest.file_name().ok_or_else(|| invalid("not a file name"))?;
        if dest.is_dir() {
            return Err(invalid("it is a directory"));
        }
        let tmp = dest.with_file_name(format!(
            ".{}.tmp-{}",
            name.to_string_lossy(),
            std::process::id()
        ));
        let f = File::create(&tmp).map_err(|e| write_error(&dest, e))?;
        Ok(AtomicFile {
            dest,
            tmp,
            out: Some(BufWriter::with_capacity(1 << 20, f)),
        })
    }

    /// The destination path.
    pub fn path(&self) -> &Path {
        &self.dest
    }

    /// Flushes, syncs and renames the temporary file over the destination.
    pub fn commit(mut self) -> Result<(), Error> {
        let out = self.out.take().expect("only commit takes the writer");
        let f = out
            .into_inner()
            .map_err(|e| write_error(&self.dest, e.into_error()))?;
        f.sync_all().map_err(|e| write_error(&self.dest, e))?;
        drop(f);
        std::fs::rename(&self.tmp, &self.dest).map_err(|e| write_error(&self.dest, e))?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.out.as_mut().expect("writer present").write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.out.as_mut().expect("writer present").flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        // Not committed (or the rename failed): the temporary file goes.
        self.out.take();
        let _ = std::fs::remove_file(&self.tmp);
    }
}
