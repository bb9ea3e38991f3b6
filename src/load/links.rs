//! What a build may read: content is hostile by design (an employer's pull request may touch
//! any file of the site), so no input may reach outside the site folder through a symbolic link.

use crate::error::{Diagnostic, Diagnostics};
use std::path::{Path, PathBuf};

/// The folders a build reads, relative to the site folder (which also holds `site.yaml`).
pub const INPUT_DIRS: &[&str] = &["content", "templates", "static", "themes"];

/// Every symbolic link under the inputs (file or folder) that resolves outside the site folder,
/// named in an error: following it would publish whatever it points at (`/etc/passwd`, another
/// project's files). Links are never followed while looking, so a linked folder is not entered.
pub fn check_links(root: &Path) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let Ok(root_c) = root.canonicalize() else { return diags };
    let mut starts: Vec<PathBuf> = INPUT_DIRS.iter().map(|d| root.join(d)).collect();
    starts.push(root.join("site.yaml"));
    for start in starts {
        // `symlink_metadata`: a linked input folder itself (`content -> /elsewhere`) counts too.
        if std::fs::symlink_metadata(&start).is_err() {
            continue;
        }
        // Unsorted (sorting 50,000 stories by name parsed each path again per comparison);
        // the links found are put in order below.
        let walk = walkdir::WalkDir::new(&start).follow_links(false).follow_root_links(false);
        for entry in walk.into_iter().flatten() {
            if entry.path_is_symlink() && !entry.path().canonicalize().is_ok_and(|p| p.starts_with(&root_c)) {
                let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
                diags.push(Diagnostic::new(
                    rel,
                    "symbolic link points outside the site folder (or nowhere); refusing to read it",
                ));
            }
        }
    }
    diags.0.sort_by(|a, b| a.file.as_os_str().as_encoded_bytes().cmp(b.file.as_os_str().as_encoded_bytes()));
    diags
}
