//! Stage 6 of the pipeline: write the built site into the output folder, atomically.
//!
//! Files go into a staging folder beside the output; only when every file is written is the
//! staging folder swapped in (one `renameat2(RENAME_EXCHANGE)` on Linux). A failed or killed
//! build therefore leaves the previous output whole.

use super::OutputFile;
use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use rustc_hash::FxHashSet as HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// A path from the renderer, checked to stay inside the output folder.
fn safe_relative(path: &str) -> Result<PathBuf> {
    let p = Path::new(path);
    if path.is_empty() || p.is_absolute() || p.components().any(|c| !matches!(c, Component::Normal(_))) {
        bail!("refusing to write `{path}`: output paths must stay inside the output folder");
    }
    Ok(p.to_path_buf())
}

fn output_name(output: &Path) -> String {
    output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "output".into())
}

fn sibling(output: &Path, tag: &str) -> PathBuf {
    output.with_file_name(format!(".{}.{tag}-{}", output_name(output), std::process::id()))
}

/// Remove staging folders left behind by builds that were killed. Only called with the output's
/// lock held, so no live build can own one of them.
fn remove_stale(output: &Path) {
    let (Some(parent), Some(name)) = (output.parent(), output.file_name()) else { return };
    let prefix = format!(".{}.", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(if parent.as_os_str().is_empty() { Path::new(".") } else { parent }) else {
        return;
    };
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if n.starts_with(&prefix) && (n.contains(".staging-") || n.contains(".old-")) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// A new generation of the site being written beside the output folder. Files are written as
/// they are rendered (so the whole site is never held in memory); a file identical to the one in
/// the previous output is hard-linked instead of written again. Dropped without `commit`, the
/// staging folder is removed and the previous output is untouched.
pub struct Staging {
    dir: PathBuf,
    /// The staging folder, opened once: files and folders are made relative to it, so the
    /// kernel does not walk the output's whole path again for each of 60,000 files.
    #[cfg(unix)]
    root: std::os::fd::OwnedFd,
    previous: Option<PathBuf>,
    written: Mutex<HashSet<PathBuf>>,
    made_dirs: Mutex<HashSet<PathBuf>>,
    /// Every file written or linked, with its size and time, for [`crate::output::freshness`].
    manifest: Mutex<Vec<crate::output::freshness::Entry>>,
    committed: bool,
    /// Held for the staging folder's whole life: one build at a time per output folder.
    _lock: std::fs::File,
}

/// Take the output folder's lock (`.NAME.lock` beside it), or say that another build holds it.
/// The kernel drops the lock when its holder exits, killed or not, so it never goes stale.
fn lock(output: &Path) -> Result<std::fs::File> {
    let path = output.with_file_name(format!(".{}.lock", output_name(output)));
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).truncate(false).write(true);
    // Never through a link: content could plant `.output.lock -> somewhere` to create files.
    // Nor waiting on a FIFO planted there: the open does not block, and only a file is a lock.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        &mut options,
        (rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK).bits() as i32,
    );
    let file = options.open(&path).with_context(|| format!("cannot create the lock file {}", path.display()))?;
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        bail!("cannot use the lock file {}: it is not a regular file (nothing was touched)", path.display());
    }
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => bail!(
            "another build is running into {}; wait for it to finish, then run again (nothing was touched)",
            output.display()
        ),
        Err(std::fs::TryLockError::Error(e)) => Err(e).with_context(|| format!("cannot lock {}", path.display())),
    }
}

impl Staging {
    pub fn new(output: &Path) -> Result<Self> {
        // Checked before anything is touched: swapping would move the user's file aside.
        if std::fs::metadata(output).is_ok_and(|m| !m.is_dir()) {
            bail!("refusing to build into {}: it is a file, not a folder (nothing was touched)", output.display());
        }
        let lock = lock(output)?;
        remove_stale(output);
        let dir = sibling(output, "staging");
        std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let previous = output.is_dir().then(|| output.to_path_buf());
        #[cfg(unix)]
        let root = crate::load::open_folder(&dir).with_context(|| format!("cannot open {}", dir.display()))?.into();
        Ok(Staging {
            dir,
            #[cfg(unix)]
            root,
            previous,
            written: Mutex::default(),
            made_dirs: Mutex::default(),
            manifest: Mutex::default(),
            committed: false,
            _lock: lock,
        })
    }

    /// Add one file; safe to call from many threads.
    pub fn put(&self, f: &OutputFile) -> Result<()> {
        let rel = safe_relative(&f.path)?;
        if !self.written.lock().expect("staging lock").insert(rel.clone()) {
            bail!("two outputs would be written to `{}`", f.path);
        }
        let target = self.dir.join(&rel);
        if let Some(parent) = rel.parent().filter(|p| !p.as_os_str().is_empty()) {
            let fresh = self.made_dirs.lock().expect("staging lock").insert(parent.to_path_buf());
            if fresh {
                self.make_dir(parent).with_context(|| format!("cannot create {}", self.dir.join(parent).display()))?;
            }
        }
        // Named as a walk of the output names it, so the freshness check can compare the two.
        let name = rel.to_string_lossy().into_owned();
        if let Some(prev) = &self.previous {
            let old = prev.join(&rel);
            if let Ok(m) = std::fs::metadata(&old)
                && m.len() == f.bytes.len() as u64
                && crate::load::read_regular(&old, m.len()).is_ok_and(|b| b == f.bytes)
                && std::fs::hard_link(&old, &target).is_ok()
            {
                self.note(crate::output::freshness::entry(name, &m));
                return Ok(());
            }
        }
        let written = match self.write_file(&rel, &f.bytes) {
            // Another thread may still be creating the folder it claimed: make sure, then retry.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(parent) = rel.parent().filter(|p| !p.as_os_str().is_empty()) {
                    self.make_dir(parent)
                        .with_context(|| format!("cannot create {}", self.dir.join(parent).display()))?;
                }
                self.write_file(&rel, &f.bytes)
            }
            other => other,
        }
        .with_context(|| format!("cannot write {}", target.display()))?;
        self.note(crate::output::freshness::entry(name, &written));
        Ok(())
    }

    /// `rel` and the folders above it, made inside the staging folder (as `create_dir_all`).
    #[cfg(unix)]
    fn make_dir(&self, rel: &Path) -> std::io::Result<()> {
        use rustix::io::Errno;
        match rustix::fs::mkdirat(&self.root, rel, rustix::fs::Mode::from_raw_mode(0o755)) {
            Ok(()) | Err(Errno::EXIST) => Ok(()),
            Err(Errno::NOENT) => {
                if let Some(parent) = rel.parent().filter(|p| !p.as_os_str().is_empty()) {
                    self.make_dir(parent)?;
                }
                match rustix::fs::mkdirat(&self.root, rel, rustix::fs::Mode::from_raw_mode(0o755)) {
                    Ok(()) | Err(Errno::EXIST) => Ok(()),
                    Err(e) => Err(e.into()),
                }
            }
            Err(e) => Err(e.into()),
        }
    }

    #[cfg(not(unix))]
    fn make_dir(&self, rel: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(self.dir.join(rel))
    }

    /// Write a file of the staging folder and return its metadata from the open handle (no
    /// second path lookup). A link planted at the name is not followed.
    #[cfg(unix)]
    fn write_file(&self, rel: &Path, bytes: &[u8]) -> std::io::Result<std::fs::Metadata> {
        use rustix::fs::{Mode, OFlags};
        use std::io::Write;
        let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::CLOEXEC | OFlags::NOFOLLOW;
        let fd = rustix::fs::openat(&self.root, rel, flags, Mode::from_raw_mode(0o644))?;
        let mut f = std::fs::File::from(fd);
        f.write_all(bytes)?;
        f.metadata()
    }

    #[cfg(not(unix))]
    fn write_file(&self, rel: &Path, bytes: &[u8]) -> std::io::Result<std::fs::Metadata> {
        write_file(&self.dir.join(rel), bytes)
    }

    fn note(&self, e: crate::output::freshness::Entry) {
        self.manifest.lock().expect("staging lock").push(e);
    }

    /// Swap the new generation in for `output` in one step; returns what it holds.
    pub fn commit(mut self, output: &Path) -> Result<Vec<crate::output::freshness::Entry>> {
        swap_in(&self.dir, output)?;
        self.committed = true;
        Ok(std::mem::take(&mut *self.manifest.lock().expect("staging lock")))
    }
}

/// Write a file and return its metadata from the open handle (no second path lookup).
#[cfg(not(unix))]
fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<std::fs::Metadata> {
    use std::io::Write;
    let mut f = std::fs::File::create(path)?;
    f.write_all(bytes)?;
    f.metadata()
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Write every file, then swap the result in for `output`.
pub fn write_atomic(output: &Path, files: &[OutputFile]) -> Result<()> {
    let staging = Staging::new(output)?;
    files.par_iter().try_for_each(|f| staging.put(f))?;
    staging.commit(output).map(drop)
}

fn swap_in(staging: &Path, output: &Path) -> Result<()> {
    if output.exists() {
        if exchange(staging, output).is_ok() {
            // `staging` now holds the previous output.
            std::fs::remove_dir_all(staging).with_context(|| format!("cannot remove {}", staging.display()))?;
            return Ok(());
        }
        let old = sibling(output, "old");
        std::fs::rename(output, &old).with_context(|| format!("cannot move {} aside", output.display()))?;
        std::fs::rename(staging, output)
            .with_context(|| format!("cannot move the new site to {}", output.display()))?;
        let _ = std::fs::remove_dir_all(&old);
        return Ok(());
    }
    if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::rename(staging, output).with_context(|| format!("cannot move the new site to {}", output.display()))
}

/// Swap two paths in one step (Linux `renameat2` with `RENAME_EXCHANGE`), so the output
/// folder is never missing, not even for an instant.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::other("no atomic exchange on this platform"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile { path: path.into(), bytes: text.as_bytes().to_vec() }
    }

    #[test]
    fn refuses_paths_that_escape() {
        for p in ["../x", "/etc/passwd", "a/../../b", ""] {
            assert!(safe_relative(p).is_err(), "{p}");
        }
        assert!(safe_relative("employers/x/index.html").is_ok());
    }

    #[test]
    fn swap_replaces_whole_tree() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        write_atomic(&out, &[file("a.html", "one"), file("old/only.html", "x")]).unwrap();
        write_atomic(&out, &[file("a.html", "two")]).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("a.html")).unwrap(), "two");
        assert!(!out.join("old/only.html").exists(), "stale files from the previous build are gone");
        write_atomic(&out, &[file("a.html", "two"), file("b.html", "new")]).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("b.html")).unwrap(), "new");
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .filter(|n| n != ".output.lock")
            .collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }

    #[test]
    fn unchanged_files_are_hard_linked_from_the_previous_output() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        write_atomic(&out, &[file("same.html", "x"), file("changed.html", "1")]).unwrap();
        let inode = std::fs::metadata(out.join("same.html")).unwrap().ino();
        let changed = std::fs::metadata(out.join("changed.html")).unwrap().ino();
        write_atomic(&out, &[file("same.html", "x"), file("changed.html", "2")]).unwrap();
        assert_eq!(std::fs::metadata(out.join("same.html")).unwrap().ino(), inode, "unchanged file not rewritten");
        assert_ne!(std::fs::metadata(out.join("changed.html")).unwrap().ino(), changed);
        assert_eq!(std::fs::read_to_string(out.join("changed.html")).unwrap(), "2");
    }

    #[test]
    fn one_build_at_a_time_per_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        let first = Staging::new(&out).unwrap();
        let second = Staging::new(&out).err().expect("the output is locked").to_string();
        assert!(second.contains("another build is running into"), "{second}");
        assert!(first.dir.is_dir(), "the running build's staging folder is left alone");
        drop(first);
        assert!(Staging::new(&out).is_ok(), "the lock goes with its build");
    }

    #[test]
    fn a_planted_lock_link_is_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        std::os::unix::fs::symlink(tmp.path().join("elsewhere"), tmp.path().join(".output.lock")).unwrap();
        assert!(Staging::new(&out).is_err());
        assert!(!tmp.path().join("elsewhere").exists());
    }

    #[test]
    fn failed_write_keeps_previous_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        write_atomic(&out, &[file("a.html", "one")]).unwrap();
        assert!(write_atomic(&out, &[file("a.html", "two"), file("../evil", "x")]).is_err());
        assert_eq!(std::fs::read_to_string(out.join("a.html")).unwrap(), "one");
    }
}
