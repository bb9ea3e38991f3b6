//! Stage 6 of the pipeline: write the built site into the output folder, atomically.
//!
//! Files go into a staging folder beside the output; only when every file is written is the
//! staging folder swapped in (one `renameat2(RENAME_EXCHANGE)` on Linux). A failed or killed
//! build therefore leaves the previous output whole.

use crate::render::OutputFile;
use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

/// A path from the renderer, checked to stay inside the output folder.
fn safe_relative(path: &str) -> Result<PathBuf> {
    let p = Path::new(path);
    if path.is_empty() || p.is_absolute() || p.components().any(|c| !matches!(c, Component::Normal(_))) {
        bail!("refusing to write `{path}`: output paths must stay inside the output folder");
    }
    Ok(p.to_path_buf())
}

fn sibling(output: &Path, tag: &str) -> PathBuf {
    let name = output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "output".into());
    output.with_file_name(format!(".{name}.{tag}-{}", std::process::id()))
}

/// Remove staging folders left behind by builds that were killed.
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

/// Write every file, then swap the result in for `output`.
pub fn write_atomic(output: &Path, files: &[OutputFile]) -> Result<()> {
    remove_stale(output);
    let staging = sibling(output, "staging");
    std::fs::create_dir_all(&staging).with_context(|| format!("cannot create {}", staging.display()))?;
    let result = write_into(&staging, files).and_then(|()| swap_in(&staging, output));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn write_into(dir: &Path, files: &[OutputFile]) -> Result<()> {
    let mut seen = BTreeSet::new();
    let mut dirs = BTreeSet::new();
    for f in files {
        let rel = safe_relative(&f.path)?;
        if !seen.insert(rel.clone()) {
            bail!("two outputs would be written to `{}`", f.path);
        }
        if let Some(parent) = rel.parent() {
            dirs.insert(dir.join(parent));
        }
    }
    for d in &dirs {
        std::fs::create_dir_all(d).with_context(|| format!("cannot create {}", d.display()))?;
    }
    files.par_iter().try_for_each(|f| {
        let target = dir.join(&f.path);
        std::fs::write(&target, &f.bytes).with_context(|| format!("cannot write {}", target.display()))
    })
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

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes())?;
    let cb = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both pointers are valid NUL-terminated paths for the duration of the call.
    let rc =
        unsafe { libc::renameat2(libc::AT_FDCWD, ca.as_ptr(), libc::AT_FDCWD, cb.as_ptr(), libc::RENAME_EXCHANGE) };
    if rc == 0 { Ok(()) } else { Err(std::io::Error::last_os_error()) }
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
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
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
