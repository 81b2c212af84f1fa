//! Where outputs go, safely. A file is written to a temporary file in the same folder and
//! renamed over the target only once complete, flushed and synced, so an interrupted or failing
//! run never leaves a truncated report where a good one was. Standard output is written and
//! flushed with every error checked (a full disk is an error), except a closed pipe
//! (`chiso … | head`), which ends quietly as Unix tools do.

use crate::{IoError, Result};
use std::fs::File;
use std::io::{BufWriter, ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The writer handed to a [`write_atomic`] closure: buffered, over the temporary file (or over
/// a device such as `/dev/full`, which cannot be renamed over).
pub type Sink = BufWriter<File>;

/// Temporary files being written, so that an interrupted run (Ctrl-C) can remove them before it
/// exits: [`remove_pending`]. One process-wide list, touched once per output file.
static PENDING: Mutex<Temporaries> = Mutex::new(Temporaries {
    paths: Vec::new(),
    closed: false,
});

struct Temporaries {
    paths: Vec<PathBuf>,
    /// Set by [`remove_pending`]: the process is ending, no temporary file may start.
    closed: bool,
}

fn temporaries() -> std::sync::MutexGuard<'static, Temporaries> {
    PENDING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Removes every temporary output file not yet committed (the targets keep their previous
/// content) and refuses new ones from then on; for a signal handler about to end the process.
/// Why refuse: the other threads run on until the process ends, and a file one of them started
/// after the list was emptied would be left behind.
pub fn remove_pending() {
    let mut t = temporaries();
    t.closed = true;
    for p in std::mem::take(&mut t.paths) {
        let _ = std::fs::remove_file(p);
    }
}

fn untrack(path: &Path) {
    temporaries().paths.retain(|q| q != path);
}

/// Writes `path` through `write`, atomically: the previous file stays intact unless the whole
/// new content was written. A missing folder, a read-only folder and a full disk are errors
/// naming `path`. Devices, FIFOs and other non-regular files are written in place.
pub fn write_atomic<T>(path: &Path, write: impl FnOnce(&mut Sink) -> Result<T>) -> Result<T> {
    let (file, pending) = Pending::create(path)?;
    let mut w = BufWriter::new(file);
    // On any error below, `pending` is dropped and the temporary file removed.
    let v = write(&mut w)?;
    w.flush().map_err(|e| IoError::file(path, e))?;
    drop(w);
    pending.commit()?;
    Ok(v)
}

/// A file being written for [`write_atomic`] by a writer that keeps it open (a streamed export):
/// the data goes to a temporary file beside the target, which [`Pending::commit`] syncs and
/// renames over it. Dropped without a commit, the temporary file is removed and the target is
/// left as it was.
pub struct Pending {
    shown: PathBuf,
    target: PathBuf,
    /// A handle on the file, to sync it whoever owns the writer.
    file: File,
    /// `None` for a device written in place.
    temp: Option<tempfile::TempPath>,
}

impl Pending {
    /// Creates the temporary file for `path` (or opens a device in place); the file to write to
    /// and the pending output. Errors as [`write_atomic`]'s.
    pub fn create(path: &Path) -> Result<(File, Pending)> {
        let target = resolve(path);
        let err = |e: std::io::Error| IoError::file(path, e);
        let pending = |file: File, temp| -> Result<(File, Pending)> {
            let handle = file.try_clone().map_err(err)?;
            Ok((
                file,
                Pending {
                    shown: path.to_path_buf(),
                    target: target.clone(),
                    file: handle,
                    temp,
                },
            ))
        };
        if let Ok(meta) = std::fs::metadata(&target) {
            if meta.is_dir() {
                return Err(IoError::format(path, "is a folder, not a file"));
            }
            if !meta.is_file() {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(&target)
                    .map_err(err)?;
                return pending(file, None);
            }
        }
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !dir.is_dir() {
            return Err(IoError::format(
                path,
                format!("folder {} does not exist", dir.display()),
            ));
        }
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut builder = tempfile::Builder::new();
        let prefix = format!(".{name}.");
        builder.prefix(&prefix).suffix(".part");
        #[cfg(unix)]
        {
            // Like a plain create: 0666 less the umask (tempfile's default is 0600).
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        // Created and listed under one lock: an interrupt sees the file listed or never created.
        let (file, temp) = {
            let mut t = temporaries();
            if t.closed {
                let stop = std::io::Error::new(
                    ErrorKind::Interrupted,
                    "interrupted: no output was written",
                );
                return Err(IoError::file(path, stop));
            }
            let (file, temp) = builder.tempfile_in(&dir).map_err(err)?.into_parts();
            t.paths.push(temp.to_path_buf());
            (file, temp)
        };
        pending(file, Some(temp))
    }

    /// Syncs the written file and renames it over the target (keeping the target's permissions).
    /// Every writer over the file must have been flushed first.
    pub fn commit(mut self) -> Result<()> {
        let err = |e: std::io::Error| IoError::file(&self.shown, e);
        let Some(temp) = self.temp.take() else {
            return Ok(());
        };
        // Listed until renamed: an interrupt before the rename still finds it to remove.
        let listed = temp.to_path_buf();
        let done = self.file.sync_all().map_err(err).and_then(|()| {
            if let Ok(meta) = std::fs::metadata(&self.target) {
                std::fs::set_permissions(&temp, meta.permissions()).map_err(err)?;
            }
            temp.persist(&self.target).map_err(|e| err(e.error))
        });
        untrack(&listed);
        done
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        // Not committed: the temporary file goes (when `temp` drops) and leaves the list.
        if let Some(temp) = &self.temp {
            untrack(temp);
        }
    }
}

/// Writes text to `path` atomically (see [`write_atomic`]).
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic(path, |w| {
        w.write_all(bytes).map_err(|e| IoError::file(path, e))
    })
}

/// Writes to standard output and flushes it. A closed pipe is not an error (the reader has all
/// it wanted); any other failure, a full disk included, is.
pub fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(IoError::file(Path::new("standard output"), e)),
    }
}

/// A symbolic link is followed, so that the file it points to is replaced, not the link.
fn resolve(path: &Path) -> PathBuf {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
        }
        _ => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir() -> tempfile::TempDir {
        tempfile::tempdir().expect("temp dir")
    }

    fn leftovers(d: &Path) -> Vec<String> {
        std::fs::read_dir(d)
            .expect("read dir")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".part"))
            .collect()
    }

    #[test]
    fn replaces_only_when_complete() {
        let d = dir();
        let p = d.path().join("report.json");
        write_file(&p, b"good").expect("first write");
        let failed: Result<()> = write_atomic(&p, |w| {
            w.write_all(b"half").map_err(|e| IoError::file(&p, e))?;
            Err(IoError::format(&p, "interrupted"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read(&p).expect("read"), b"good");
        assert!(leftovers(d.path()).is_empty(), "temporary file removed");
        write_file(&p, b"better").expect("second write");
        assert_eq!(std::fs::read(&p).expect("read"), b"better");
    }

    #[test]
    fn missing_folder_is_one_error_naming_the_file() {
        let d = dir();
        let p = d.path().join("nope").join("out.csv");
        let e = write_file(&p, b"x").expect_err("missing folder");
        let msg = e.to_string();
        assert!(
            msg.contains("out.csv") && msg.contains("does not exist"),
            "{msg}"
        );
        assert!(!msg.contains('\n'));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn full_device_is_an_error() {
        let e = write_file(Path::new("/dev/full"), &[b'x'; 100_000]).expect_err("full");
        assert!(e.to_string().contains("/dev/full"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn keeps_the_permissions_of_the_file_it_replaces() {
        use std::os::unix::fs::PermissionsExt;
        let d = dir();
        let p = d.path().join("r.txt");
        write_file(&p, b"a").expect("write");
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        write_file(&p, b"b").expect("rewrite");
        let mode = std::fs::metadata(&p).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_followed_not_replaced() {
        let d = dir();
        let real = d.path().join("real.txt");
        let link = d.path().join("link.txt");
        write_file(&real, b"old").expect("write");
        std::os::unix::fs::symlink(&real, &link).expect("symlink");
        write_file(&link, b"new").expect("write through link");
        assert!(std::fs::symlink_metadata(&link)
            .expect("meta")
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read(&real).expect("read"), b"new");
    }
}
