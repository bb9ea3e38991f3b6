//! Employers' figures in, without hand-writing YAML: individual-level survey responses (CSV,
//! XLSX, ODS) counted per stage, level band and outcome (`responses`), or a filled-in figures
//! template (`figures`), written into one year of an employer's file (`edit`), atomically.
//!
//! Files are read through [`crate::load`] and parsed from memory. The rows of a responses file
//! never leave this module: what comes out is [`Figures`], counts only.

pub mod edit;
pub mod figures;
pub mod layout;
pub mod percent;
pub mod responses;
pub mod table;
pub mod words;

use crate::model::employer::{Answers, OutcomeTable};
use crate::model::ids::{Outcome, Stage};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// One year's counts from an import: the stages and outcomes it has (the rest of the year is
/// left as written).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    pub stages: BTreeMap<Stage, Answers>,
    pub outcomes: BTreeMap<Outcome, OutcomeTable>,
    /// Outcomes whose column the file has, with nobody due: the year's old figures for them
    /// are removed.
    pub cleared: std::collections::BTreeSet<Outcome>,
    /// Per outcome, the cohort people marked due (yes or no) whose answer puts them in none of
    /// the groups the toolkit scores (blank, other, prefer not to say): why a column with
    /// filled cells can still have nobody due.
    pub unscored_due: BTreeMap<Outcome, usize>,
}

impl Figures {
    pub fn is_empty(&self) -> bool {
        self.stages.is_empty() && self.outcomes.is_empty() && self.cleared.is_empty()
    }
}

/// Replace `target` with `bytes` so that a reader sees the old file or the new one, never half
/// of either: a temporary file in the same folder, flushed, then renamed over it. The old
/// file's permissions are kept.
pub fn write_atomically(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.import-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(bytes)?;
        if let Ok(meta) = std::fs::metadata(target) {
            f.set_permissions(meta.permissions())?;
        }
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_atomic_write_replaces_the_file_whole_and_leaves_nothing_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.yaml");
        std::fs::write(&target, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        write_atomically(&target, b"new text").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new text");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&target).unwrap().permissions().mode() & 0o777, 0o640);
        }
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["a.yaml"]);
        // A folder that cannot be written: the old file stays and no temporary file is left.
        assert!(write_atomically(&dir.path().join("missing/a.yaml"), b"x").is_err());
    }
}
