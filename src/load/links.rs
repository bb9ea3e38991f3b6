//! What a build may read: content is hostile by design (an employer's pull request may touch
//! any file of the site), so no input may reach outside the site folder through a symbolic link.

use crate::error::{Diagnostic, Diagnostics};
use std::path::{Path, PathBuf};

/// The folders a build reads, relative to the site folder (which also holds `site.yaml`).
pub const INPUT_DIRS: &[&str] = &["content", "templates", "static", "themes"];

/// Every symbolic link under the inputs (file or folder) that resolves outside the site's inputs
/// (the input folders and `site.yaml`), named in an error: following it would publish whatever
/// it points at (`/etc/passwd`, another project's files, or a file of the site folder that is
/// not an input, such as `.git/config` with a CI token). Links are never followed while
/// looking, so a linked folder is not entered.
pub fn check_links(root: &Path) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let Ok(root_c) = root.canonicalize() else { return diags };
    // Where the inputs really are: an input folder that is itself a link out is refused below.
    let allowed: Vec<PathBuf> =
        INPUT_DIRS.iter().map(|d| root_c.join(d)).chain(std::iter::once(root_c.join("site.yaml"))).collect();
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
            let inside = |p: PathBuf| allowed.iter().any(|a| p.starts_with(a));
            if entry.path_is_symlink() && !entry.path().canonicalize().is_ok_and(inside) {
                let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
                diags.push(Diagnostic::new(
                    rel,
                    "symbolic link points outside the site folder's inputs (content/, templates/, static/, themes/, \
                     site.yaml) or nowhere; refusing to read it",
                ));
            }
        }
    }
    diags.0.sort_by(|a, b| a.file.as_os_str().as_encoded_bytes().cmp(b.file.as_os_str().as_encoded_bytes()));
    diags
}
