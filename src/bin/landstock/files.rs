//! Filesystem policy of the command line: every output is written to a
//! temporary file beside its destination and renamed into place
//! (`tempfile`'s persist), so a failed run never leaves a truncated file
//! where a good one was; creating it first makes an unwritable destination
//! fail before any work is done. `-` is standard input for the parcel file
//! and standard output for an output (written at commit, so a failed run
//! writes nothing there either); progress stays on standard error.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use landstock::{Error, ErrorKind};
use tempfile::NamedTempFile;

/// Whether a path given on the command line is `-` (stdin or stdout).
pub(crate) fn is_std(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// How a path given on the command line is named in messages.
pub(crate) fn shown(path: &Path) -> String {
    if is_std(path) {
        "standard output".to_string()
    } else {
        path.display().to_string()
    }
}

/// An output file being written; dropped uncommitted, the temporary file
/// goes and any existing destination is left untouched.
pub(crate) struct AtomicFile {
    dest: PathBuf,
    writer: Sink,
}

/// Where the bytes go until commit.
enum Sink {
    File(BufWriter<NamedTempFile>),
    /// `-`: held in memory and written to stdout at commit.
    Stdout(Vec<u8>),
}

fn write_error(dest: &Path, error: std::io::Error) -> Error {
    Error::from(ErrorKind::Write {
        dest: dest.display().to_string(),
        error,
    })
}

impl AtomicFile {
    /// Creates the temporary file beside `dest`: fails now on a missing
    /// folder, a read-only one, or a directory in the destination's place.
    pub(crate) fn create(dest: &Path) -> Result<AtomicFile, Error> {
        if is_std(dest) {
            return Ok(AtomicFile {
                dest: dest.to_path_buf(),
                writer: Sink::Stdout(Vec::new()),
            });
        }
        let name = dest.file_name().ok_or_else(|| {
            write_error(
                dest,
                std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"),
            )
        })?;
        if dest.is_dir() {
            // found now, not by the rename after all the work
            return Err(write_error(
                dest,
                std::io::Error::new(std::io::ErrorKind::InvalidInput, "it is a directory"),
            ));
        }
        let dir = match dest.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{}.", name.to_string_lossy()))
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| write_error(dest, e))?;
        Ok(AtomicFile {
            dest: dest.to_path_buf(),
            writer: Sink::File(BufWriter::new(tmp)),
        })
    }

    /// The destination path.
    pub(crate) fn dest(&self) -> &Path {
        &self.dest
    }

    /// Flushes, syncs and renames the file into place (or writes the bytes
    /// to stdout).
    pub(crate) fn commit(self) -> Result<(), Error> {
        let dest = self.dest;
        let writer = match self.writer {
            Sink::File(w) => w,
            Sink::Stdout(bytes) => {
                let mut out = std::io::stdout().lock();
                return out
                    .write_all(&bytes)
                    .and_then(|()| out.flush())
                    .map_err(|e| write_error(Path::new("standard output"), e));
            }
        };
        let tmp = writer
            .into_inner()
            .map_err(|e| write_error(&dest, e.into_error()))?;
        tmp.as_file()
            .sync_all()
            .map_err(|e| write_error(&dest, e))?;
        tmp.persist(&dest)
            .map_err(|e| write_error(&dest, e.error))?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.writer {
            Sink::File(w) => w.write(buf),
            Sink::Stdout(v) => v.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.writer {
            Sink::File(w) => w.flush(),
            Sink::Stdout(_) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_file_leaves_the_old_one_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("plan.csv");
        std::fs::write(&dest, "old").unwrap();
        let mut f = AtomicFile::create(&dest).unwrap();
        f.write_all(b"half a fi").unwrap();
        drop(f); // e.g. an error happened before commit
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "old");
        let mut f = AtomicFile::create(&dest).unwrap();
        f.write_all(b"new").unwrap();
        f.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "new");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
        assert!(AtomicFile::create(&dir.path().join("no/such/dir/x.csv")).is_err());
        // a directory in the way fails at once, not at the final rename
        std::fs::create_dir(dir.path().join("out.csv")).unwrap();
        let err = AtomicFile::create(&dir.path().join("out.csv"))
            .err()
            .unwrap();
        assert!(err.to_string().contains("directory"), "{err}");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            2,
            "no temporary file left"
        );
    }
}
