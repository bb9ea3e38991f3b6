//! Where a build may write: content is hostile by design (an employer's pull request may touch
//! any file of the site, `site.yaml` included), so the output folder is kept away from the
//! inputs and the rest of the machine.

use crate::load::INPUT_DIRS;
use std::path::{Component, Path, PathBuf};

/// Why an output folder was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OutputRefused {
    #[error("refusing to build into {0}: it is a file, not a folder (nothing was touched)")]
    NotAFolder(PathBuf),
    #[error("refusing to build into {0}: it would replace the site folder itself (nothing was touched)")]
    SiteFolder(PathBuf),
    #[error("refusing to build into {out}: it {how} the site's input folder `{input}` (nothing was touched)")]
    Input { out: PathBuf, how: &'static str, input: &'static str },
    #[error(
        "refusing to build into {0}: site.yaml's output_dir must be a folder inside the site; \
         give --output to build elsewhere (nothing was touched)"
    )]
    OutsideSite(PathBuf),
    #[error(
        "refusing to build into {0}: it is a folder with files that ladder did not build, and a \
         build replaces the whole folder; choose a new or empty folder, or empty it yourself \
         (nothing was touched)"
    )]
    NotOurs(PathBuf),
    #[error(
        "refusing to build into {0}: it is a symbolic link, and a build would replace the link, \
         not the folder it points to; give that folder instead (nothing was touched)"
    )]
    Link(PathBuf),
    #[error("cannot tell where {0} is: {1}")]
    Unresolvable(PathBuf, String),
}

/// `path` as an absolute path with every symbolic link resolved, for a path that may not exist
/// yet: its nearest existing ancestor is canonicalised and the rest appended (the missing part
/// holds no links, so `..` there can be resolved by name).
pub fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let abs = std::path::absolute(path)?;
    let parts: Vec<Component<'_>> = abs.components().collect();
    for split in (1..=parts.len()).rev() {
        let head: PathBuf = parts[..split].iter().collect();
        if let Ok(mut resolved) = head.canonicalize() {
            for c in &parts[split..] {
                match c {
                    Component::ParentDir => {
                        resolved.pop();
                    }
                    Component::Normal(n) => resolved.push(n),
                    _ => {}
                }
            }
            return Ok(resolved);
        }
    }
    Err(std::io::Error::other("no part of the path exists"))
}

/// Refuse an output folder that is a file, that is, contains or lies inside the site folder's
/// inputs, or (unless the user named it on the command line) that lies outside the site folder.
pub fn check_output(root: &Path, output: &Path, from_command_line: bool) -> Result<(), OutputRefused> {
    if std::fs::symlink_metadata(output).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(OutputRefused::Link(output.to_path_buf()));
    }
    if std::fs::metadata(output).is_ok_and(|m| !m.is_dir()) {
        return Err(OutputRefused::NotAFolder(output.to_path_buf()));
    }
    let out = match overlap(root, output)? {
        Some(Overlap::SiteFolder) => return Err(OutputRefused::SiteFolder(output.to_path_buf())),
        Some(Overlap::Input { how, input }) => {
            return Err(OutputRefused::Input { out: output.to_path_buf(), how, input });
        }
        None => resolve(output).map_err(|e| OutputRefused::Unresolvable(output.to_path_buf(), e.to_string()))?,
    };
    let root_c = resolve(root).map_err(|e| OutputRefused::Unresolvable(root.to_path_buf(), e.to_string()))?;
    if !from_command_line && !out.starts_with(&root_c) {
        return Err(OutputRefused::OutsideSite(output.to_path_buf()));
    }
    if !built_here_before(output) {
        return Err(OutputRefused::NotOurs(output.to_path_buf()));
    }
    Ok(())
}

/// The output folder a build writes: `--output` when given, else `site.yaml`'s `output_dir`
/// under the site folder, with `.` parts and trailing slashes dropped (`output/./` is the folder
/// `output`: as written, the swap would try to move the `.` entry itself).
pub fn output_folder(root: &Path, given: Option<&Path>, output_dir: &str) -> PathBuf {
    let path = given.map_or_else(|| root.join(output_dir), Path::to_path_buf);
    path.components().collect()
}

/// How a folder that a command would replace overlaps the site.
#[derive(Debug, PartialEq, Eq)]
pub enum Overlap {
    /// It is the site folder or holds it.
    SiteFolder,
    /// It is, lies inside or contains one of the site's input folders.
    Input { how: &'static str, input: &'static str },
}

/// Whether `folder` (which a build or a local deploy would replace) is or holds the site folder,
/// or is, lies inside or contains one of its inputs: replacing it would delete the sources. Both
/// sides are resolved through their links first.
pub fn overlap(root: &Path, folder: &Path) -> Result<Option<Overlap>, OutputRefused> {
    let unresolvable = |p: &Path, e: std::io::Error| OutputRefused::Unresolvable(p.to_path_buf(), e.to_string());
    let root_c = resolve(root).map_err(|e| unresolvable(root, e))?;
    let out = resolve(folder).map_err(|e| unresolvable(folder, e))?;
    if root_c.starts_with(&out) {
        return Ok(Some(Overlap::SiteFolder));
    }
    for &input in INPUT_DIRS {
        let dir = resolve(&root.join(input)).map_err(|e| unresolvable(&root.join(input), e))?;
        let how = if out == dir {
            "is"
        } else if out.starts_with(&dir) {
            "lies inside"
        } else if dir.starts_with(&out) {
            "contains"
        } else {
            continue;
        };
        return Ok(Some(Overlap::Input { how, input }));
    }
    Ok(None)
}

/// Whether a build may replace `output`: it does not exist, is empty, or ladder has built
/// into it before: a state file that ladder wrote lies beside it. Any other folder (`.git`, a
/// home folder, a project's `docs/`) holds someone's files, which a swap would delete. A bare
/// lock file, or any file merely named like the state file, proves nothing (an outside test
/// wiped a folder with `touch .victim.lock` beside it), so the state file must read as one.
/// More than any state file holds (a few hundred bytes per output file).
const STATE_LIMIT: u64 = 1 << 30;

fn built_here_before(output: &Path) -> bool {
    let Ok(mut entries) = std::fs::read_dir(output) else { return true };
    if entries.next().is_none() {
        return true;
    }
    let Some(name) = output.file_name().map(|n| n.to_string_lossy().into_owned()) else { return false };
    let state = output.with_file_name(format!(".{name}.ladder-state"));
    let Ok(bytes) = crate::load::read_regular(&state, STATE_LIMIT) else { return false };
    // The fields every state file has (see freshness::State); read loosely here, as the
    // guard sits below freshness and must not import it.
    serde_json::from_slice::<serde_json::Value>(&bytes)
        .is_ok_and(|v| v.get("version").is_some_and(|x| x.is_u64()) && v.get("inputs").is_some_and(|x| x.is_array()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_handles_missing_tails() {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path().canonicalize().unwrap();
        assert_eq!(resolve(&tmp.path().join("a/b")).unwrap(), base.join("a/b"));
        assert_eq!(resolve(&tmp.path().join("a/../../x")).unwrap(), base.parent().unwrap().join("x"));
    }

    #[test]
    fn output_next_to_inputs_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("content/stories")).unwrap();
        std::fs::write(root.join("file"), "x").unwrap();
        assert!(check_output(root, &root.join("output"), false).is_ok());
        assert!(check_output(root, &root.join("public/site"), false).is_ok());
        for bad in ["content", "content/stories", "content/new", "themes", "static/x", ".", "..", "file"] {
            assert!(check_output(root, &root.join(bad), true).is_err(), "{bad}");
        }
        // A sibling of the site no other program uses (a file at `/tmp/x` made this fail).
        let beside = format!("../{}-elsewhere", root.file_name().unwrap().to_string_lossy());
        assert!(matches!(check_output(root, &root.join(&beside), false), Err(OutputRefused::OutsideSite(_))));
        assert!(check_output(root, &root.join(&beside), true).is_ok());
    }
}
