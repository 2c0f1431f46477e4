//! A whole run put in place in one step: every file of a run is written into a staging
//! folder beside `--out` (same parent, so the same filesystem), and only when all of it
//! succeeded does the staging folder take the place of `--out`.
//!
//! How `--out` holds exactly one complete run at every instant:
//!
//! - **Staging.** A run writes into `.<name>.goalcast-staging-<pid>` in the parent of
//!   `--out`. Everything written there is part of the run: a writer only needs the
//!   folder ([`Staging::dir`]), and the manifest lists every file found there at the end
//!   ([`Staging::files`]), each once with its SHA-256.
//! - **Swap.** On Linux the staging folder and `--out` are exchanged by one
//!   `renameat2(RENAME_EXCHANGE)` call: no instant exists at which `--out` is missing or
//!   mixed. A missing or empty `--out` is replaced by a plain `rename`, also atomic. Where
//!   the filesystem cannot exchange (not Linux, or a filesystem without the flag) the old
//!   folder is renamed aside to `.<name>.goalcast-old-<pid>` and the new one renamed into
//!   place; a run killed between the two renames leaves no `--out`, and the next run puts
//!   the old folder back before anything else ([`Staging::begin`]).
//! - **Old files.** The folder that was `--out` is deleted after the swap, so files of the
//!   previous run that the new one did not write are gone with it.
//! - **Your files.** A file or folder in `--out` that the previous run's `manifest.json`
//!   does not list (notes, a spreadsheet of your own) is not goalcast's: it is hard-linked
//!   into the new run before the swap (same inode: never copied, never modified) and is
//!   not listed in the new manifest. If the new run writes a file of the same name, the run
//!   fails and names it instead of replacing it.
//! - **Leftovers.** Staging and set-aside folders of a run that was killed, and `.tmp`
//!   files of older goalcast versions, are deleted by the next run on the same `--out`.
//! - **Lock.** `.<name>.goalcast.lock` in the parent is locked (`flock`) for the whole run;
//!   a second run on the same `--out` stops at once with a message naming it. The lock is
//!   released by the kernel when a run ends or is killed; the empty lock file stays.
//! - **Refused folders.** `/`, a home folder (`$HOME`, `/root`, `/home/<user>`), a path
//!   that is a file or a symbolic link, and a non-empty folder with no goalcast
//!   `manifest.json` (a folder of other files) are refused before any work.

use std::collections::BTreeSet;
use std::fs::File;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The name of the file that marks a folder as a goalcast run.
const MANIFEST: &str = "manifest.json";

/// A run being written: the staging folder beside `--out`, and the lock held on `--out`.
#[derive(Debug)]
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    committed: bool,
    _lock: File,
}

/// An `--out` that cannot be used, as an error naming it.
fn refused(out: &Path, reason: impl std::fmt::Display) -> Error {
    Error::OutDir {
        path: out.to_path_buf(),
        reason: reason.to_string(),
    }
}

/// The parent folder and the last component of `out`.
fn split(out: &Path) -> Result<(PathBuf, String)> {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| n != "." && n != "..")
        .ok_or_else(|| refused(out, "--out must name a folder (not `/`, `.` or `..`)"))?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((parent, name))
}

/// Whether `dir` (canonical) is `/` or a home folder.
fn is_root_or_home(dir: &Path) -> bool {
    let home = std::env::var_os("HOME").and_then(|h| std::fs::canonicalize(h).ok());
    dir == Path::new("/")
        || dir == Path::new("/root")
        || dir.parent() == Some(Path::new("/home"))
        || home.as_deref() == Some(dir)
}

/// The file names a goalcast manifest in `dir` lists (with the manifest itself), or
/// `None` when `dir` has no goalcast manifest.
fn goalcast_files(dir: &Path) -> Option<BTreeSet<String>> {
    let text = std::fs::read_to_string(dir.join(MANIFEST)).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json.get("goalcast_version")?;
    let mut names: BTreeSet<String> = json
        .get("outputs")?
        .as_array()?
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    names.insert(MANIFEST.to_string());
    Some(names)
}

/// A temporary file of an older goalcast version (`.<name>.tmp-<pid>`, `.<stem>.tmp.png`).
fn is_old_temporary(name: &str) -> bool {
    name.starts_with('.') && (name.contains(".tmp-") || name.contains(".tmp."))
}

/// The entries of a folder, sorted by name.
fn entries(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut v = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        v.push((
            entry.file_name().to_string_lossy().into_owned(),
            entry.path(),
        ));
    }
    v.sort();
    Ok(v)
}

/// Removes a file or a folder with everything in it; a missing path is not an error.
fn remove_all(path: &Path) -> Result<()> {
    let result = match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => Err(e),
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
    };
    result.map_err(|e| Error::io(path, e))
}

/// Hard-links `from` (a file, or a folder recursively) to `to`.
fn link_all(from: &Path, to: &Path) -> Result<()> {
    let meta = std::fs::symlink_metadata(from).map_err(|e| Error::io(from, e))?;
    if meta.is_dir() {
        std::fs::create_dir(to).map_err(|e| Error::io(to, e))?;
        for (name, path) in entries(from)? {
            link_all(&path, &to.join(name))?;
        }
        Ok(())
    } else if meta.file_type().is_symlink() {
        let target = std::fs::read_link(from).map_err(|e| Error::io(from, e))?;
        symlink(&target, to)
    } else {
        std::fs::hard_link(from, to).map_err(|e| Error::io(to, e))
    }
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> Result<()> {
    std::os::unix::fs::symlink(target, link).map_err(|e| Error::io(link, e))
}

#[cfg(not(unix))]
fn symlink(target: &Path, link: &Path) -> Result<()> {
    std::fs::copy(target, link)
        .map(|_| ())
        .map_err(|e| Error::io(link, e))
}

/// Exchanges two folders in one step; `Ok(false)` when the platform or filesystem cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> Result<bool> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS | rustix::io::Errno::OPNOTSUPP) => {
            Ok(false)
        }
        Err(e) => Err(Error::io(b, e.into())),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> Result<bool> {
    Ok(false)
}

/// Flushes a folder's entries to disk (best effort where folders cannot be opened).
fn sync_dir(dir: &Path) {
    if let Ok(f) = File::open(dir) {
        let _ = f.sync_all();
    }
}

impl Staging {
    /// Checks `out`, takes its lock, cleans what an interrupted run left and creates an
    /// empty staging folder. Fails, before any work, on a refused `out` or when another
    /// run holds the lock.
    pub fn begin(out: &Path) -> Result<Self> {
        let (parent, name) = split(out)?;
        std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        let canonical_parent = std::fs::canonicalize(&parent).map_err(|e| Error::io(&parent, e))?;
        match std::fs::symlink_metadata(out) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(refused(
                    out,
                    "--out is a symbolic link; give the folder it points to",
                ));
            }
            Ok(m) if !m.is_dir() => {
                return Err(refused(out, "--out exists and is not a folder"));
            }
            _ => {}
        }
        if is_root_or_home(&canonical_parent.join(&name)) {
            return Err(refused(
                out,
                "--out is `/` or a home folder; a run replaces its folder as a whole, so \
                 give a folder of its own (e.g. out/run)",
            ));
        }
        let lock_path = parent.join(format!(".{name}.goalcast.lock"));
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| Error::io(&lock_path, e))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(refused(
                    out,
                    format!(
                        "another goalcast run is writing to this folder (it holds {}); \
                         wait for it to finish or choose another --out",
                        lock_path.display()
                    ),
                ));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(Error::io(&lock_path, e)),
        }
        let staging_prefix = format!(".{name}.goalcast-staging-");
        let old_prefix = format!(".{name}.goalcast-old-");
        // Recovery: a run killed between the two renames of the fallback swap.
        if std::fs::symlink_metadata(out).is_err() {
            for (entry, path) in entries(&parent)? {
                if entry.starts_with(&old_prefix) {
                    std::fs::rename(&path, out).map_err(|e| Error::io(out, e))?;
                    break;
                }
            }
        }
        for (entry, path) in entries(&parent)? {
            if entry.starts_with(&staging_prefix) || entry.starts_with(&old_prefix) {
                remove_all(&path)?;
            }
        }
        if out.is_dir() {
            let listed = goalcast_files(out);
            let mut others = Vec::new();
            for (entry, path) in entries(out)? {
                if is_old_temporary(&entry) {
                    remove_all(&path)?;
                } else {
                    others.push(entry);
                }
            }
            if listed.is_none()
                && let Some(first) = others.first()
            {
                return Err(refused(
                    out,
                    format!(
                        "--out holds {} files goalcast did not write (e.g. `{first}`) and no \
                         goalcast {MANIFEST}; give an empty or new folder, or a previous \
                         run's output",
                        others.len()
                    ),
                ));
            }
        }
        let dir = parent.join(format!("{staging_prefix}{}", std::process::id()));
        std::fs::create_dir(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
            committed: false,
            _lock: lock,
        })
    }

    /// The staging folder: write every file of the run here.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The folder the run goes to.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Every file written so far, by name, sorted.
    pub fn files(&self) -> Result<Vec<String>> {
        Ok(entries(&self.dir)?
            .into_iter()
            .filter(|(_, p)| p.is_file())
            .map(|(n, _)| n)
            .collect())
    }

    /// Puts the run in place in one step: the user's files of the old `--out` are linked
    /// in, the staging folder takes the place of `--out`, and the old folder is deleted.
    pub fn commit(mut self) -> Result<()> {
        let out = self.out.clone();
        let exists = out.is_dir();
        if exists && let Some(ours) = goalcast_files(&out) {
            for (entry, path) in entries(&out)? {
                if ours.contains(&entry) || is_old_temporary(&entry) {
                    continue;
                }
                let to = self.dir.join(&entry);
                if std::fs::symlink_metadata(&to).is_ok() {
                    return Err(refused(
                        &path,
                        "this file is not goalcast's (the last manifest does not list it) \
                         but the new run writes a file of that name; move it away",
                    ));
                }
                link_all(&path, &to)?;
            }
        }
        sync_dir(&self.dir);
        let empty = exists && entries(&out)?.is_empty();
        if !exists || empty {
            std::fs::rename(&self.dir, &out).map_err(|e| Error::io(&out, e))?;
        } else if exchange(&self.dir, &out)? {
            // `self.dir` now holds the previous run.
            remove_all(&self.dir)?;
        } else {
            let (parent, name) = split(&out)?;
            let aside = parent.join(format!(".{name}.goalcast-old-{}", std::process::id()));
            std::fs::rename(&out, &aside).map_err(|e| Error::io(&out, e))?;
            std::fs::rename(&self.dir, &out).map_err(|e| Error::io(&out, e))?;
            remove_all(&aside)?;
        }
        if let Ok((parent, _)) = split(&out) {
            sync_dir(&parent);
        }
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    /// A run that failed leaves `--out` as it was: its staging folder is deleted.
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_all(&self.dir);
        }
    }
}
