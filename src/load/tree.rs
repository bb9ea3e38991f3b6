//! Folders read whole, for templates and static files: each file named by its path below the
//! folder (`partials/judgement.html`), in name order. Links are not followed (the input walk
//! has already refused any that lead out of the site).

use crate::error::Diagnostic;
use std::path::{Path, PathBuf};

/// One file of a folder read whole.
#[derive(Debug)]
pub struct TreeFile {
    /// The path below the folder, with `/` between parts, in Unicode's composed form.
    pub name: String,
    /// The path relative to the site folder, for messages.
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// Every file under `dir` whose name `keep` accepts, and a problem for each that could not be
/// read. A missing folder holds nothing.
pub fn read_tree(dir: &Path, root: &Path, keep: impl Fn(&str) -> bool) -> (Vec<TreeFile>, Vec<Diagnostic>) {
    let (mut files, mut problems) = (Vec::new(), Vec::new());
    if !dir.is_dir() {
        return (files, problems);
    }
    let walk = walkdir::WalkDir::new(dir).follow_links(false).sort_by_file_name();
    let mut seen: std::collections::HashMap<String, PathBuf> = std::collections::HashMap::new();
    // Not only regular files: a FIFO or device among them is named as a problem, not skipped
    // in silence (and reading it does not block).
    for entry in walk.into_iter().filter_map(Result::ok).filter(|e| !e.file_type().is_dir()) {
        let p = entry.path();
        let Ok(below) = p.strip_prefix(dir) else { continue };
        let name = below.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        // Published under its composed name, the one a page links to (see `crate::slug::nfc`).
        let name = crate::slug::nfc(&name).into_owned();
        if !keep(&name) {
            continue;
        }
        let path = p.strip_prefix(root).unwrap_or(p).to_path_buf();
        if let Some(first) = seen.insert(name.clone(), path.clone()) {
            problems.push(Diagnostic::new(&path, same_name_twice(&first)));
            continue;
        }
        // Static files may be large (a PDF, a video): no limit but that they be regular files.
        match super::read_regular(p, u64::MAX) {
            Ok(bytes) => files.push(TreeFile { name, path, bytes }),
            Err(e) => problems.push(Diagnostic::new(&path, format!("cannot read: {e}"))),
        }
    }
    (files, problems)
}

/// Two files whose names differ only in how their accents are encoded (one written on a Mac,
/// `e` and an accent; one elsewhere, `é`) would be published under one name.
pub fn same_name_twice(first: &Path) -> String {
    format!(
        "this file and {} have the same name, its accents written in two ways (as a Mac and as other \
         computers write them), and would be published as one; keep one",
        first.display()
    )
}

/// A content hash of the file at `full`, or a value no content hashes to when it cannot be
/// read (so an unreadable file differs from any content). Only a regular file is read, and no
/// more of it than a content file may hold: this runs before the input walk refuses links out
/// of the site, and a link to `/dev/zero` must not hang the build.
pub fn content_hash(full: &Path) -> u64 {
    super::read_regular(full, super::MAX_FILE_BYTES).map_or(u64::MAX, |b| crate::hash::key(&[&b]))
}
