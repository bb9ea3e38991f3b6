//! Skipping a build whose output is already up to date, as `make` does.
//!
//! After a build, a small state file beside the output folder (`.<output>.ladder-state`, never
//! inside it, so it is not published) records two fingerprints: one of every input (the path,
//! size and modification time of each file under `site.yaml`, `content/`, `themes/`,
//! `templates/` and `static/`, plus ladder's own executable and the build options) and one of the
//! output as written. When both still match, `ladder build` has nothing to do and writes nothing.
//! Any edited, added or removed input, or any change made to the output by hand, means a full
//! build.

use crate::options::{BuildOptions, BuildReport};
use rayon::prelude::*;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// What the site's output is built from, besides the folders named here.
const INPUT_DIRS: &[&str] = &["content", "themes", "templates", "static"];

/// Counts from the build that wrote the output, so an up-to-date report can repeat them.
#[derive(Debug, Clone, PartialEq, Eq)]
struct State {
    inputs: u64,
    output: u64,
    files: usize,
    pages: usize,
    employers: usize,
    stories: usize,
}

impl State {
    fn parse(text: &str) -> Option<State> {
        let mut n = text.split_whitespace().map(|w| w.parse::<u64>().ok());
        let mut next = || n.next().flatten();
        Some(State {
            inputs: next()?,
            output: next()?,
            files: next()? as usize,
            pages: next()? as usize,
            employers: next()? as usize,
            stories: next()? as usize,
        })
    }

    fn render(&self) -> String {
        format!("{} {} {} {} {} {}\n", self.inputs, self.output, self.files, self.pages, self.employers, self.stories)
    }
}

fn state_path(output: &Path) -> PathBuf {
    let name = output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "output".into());
    output.with_file_name(format!(".{name}.ladder-state"))
}

/// One file as the fingerprints see it: path relative to its root (with `/`), size, and
/// modification time in nanoseconds.
pub type Entry = (String, u64, u128);

/// An entry from a file's metadata.
pub fn entry(rel: String, m: &std::fs::Metadata) -> Entry {
    let t = m.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok());
    (rel, m.len(), t.map_or(0, |d| d.as_nanos()))
}

fn hash_entries(h: &mut DefaultHasher, mut entries: Vec<Entry>) {
    entries.sort_unstable();
    entries.hash(h);
}

/// Every file under `dirs` (relative to `root`). Folders are listed in one pass and their files
/// stat'ed in parallel: on a large site the stat calls are most of the cost.
fn tree(root: &Path, dirs: &[&str]) -> Vec<Entry> {
    let files: Vec<PathBuf> = dirs
        .iter()
        .flat_map(|dir| walkdir::WalkDir::new(root.join(dir)).follow_links(false).into_iter().flatten())
        .filter(|e| !e.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
        .collect();
    files
        .into_par_iter()
        .map(|path| {
            let rel = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().into_owned();
            match std::fs::symlink_metadata(&path) {
                Ok(m) => entry(rel, &m),
                Err(_) => (rel, u64::MAX, 0),
            }
        })
        .collect()
}

/// An input modified this close to the moment it was fingerprinted might be modified again
/// within the same timestamp tick (a second on some file systems) without changing its size:
/// such a build is not recorded, so the next one runs in full (git's "racy" entries, the same way).
const SETTLE_NANOS: u128 = 2_000_000_000;

/// Fingerprint of everything a build reads, for the output folder `output`, and the newest
/// modification time among the inputs.
fn inputs(opts: &BuildOptions, output: &Path) -> (u64, u128) {
    let mut h = DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    // A rebuilt ladder may render differently under the same version number.
    if let Some(m) = std::env::current_exe().ok().and_then(|p| std::fs::metadata(p).ok()) {
        m.len().hash(&mut h);
        m.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map(|d| d.as_nanos()).hash(&mut h);
    }
    let year = opts.current_year.unwrap_or_else(crate::options::this_year);
    (&opts.base_url, opts.drafts, year, output).hash(&mut h);
    let mut files = tree(&opts.root, &["site.yaml"]);
    files.extend(tree(&opts.root, INPUT_DIRS));
    let newest = files.iter().map(|f| f.2).max().unwrap_or(0);
    hash_entries(&mut h, files);
    (h.finish(), newest)
}

fn now_nanos() -> u128 {
    std::time::SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos())
}

/// Fingerprint of an output folder's files.
fn output_fingerprint(files: Vec<Entry>) -> u64 {
    let mut h = DefaultHasher::new();
    hash_entries(&mut h, files);
    h.finish()
}

/// Where `ladder build` will write, without building: `--output`, else `site.yaml: output_dir`.
fn output_of(opts: &BuildOptions) -> Option<PathBuf> {
    if let Some(o) = &opts.output {
        return Some(o.clone());
    }
    let rel = Path::new("site.yaml");
    let text = crate::load::read_text(rel, &opts.root.join(rel)).ok()?;
    let config = crate::config::SiteConfig::parse(rel, &text).ok()?;
    Some(opts.root.join(config.output_dir))
}

/// A build about to run: what its inputs looked like before anything was read.
pub struct Pending {
    output: PathBuf,
    inputs: u64,
    /// Whether every input was older than [`SETTLE_NANOS`] when it was fingerprinted.
    settled: bool,
}

/// `Ok(report)` when the output is already what a build would write; otherwise what to record
/// once the build has succeeded.
pub fn check(opts: &BuildOptions) -> Result<BuildReport, Option<Pending>> {
    let output = output_of(opts).ok_or(None)?;
    let (inputs, newest) = inputs(opts, &output);
    let settled = now_nanos().saturating_sub(newest) >= SETTLE_NANOS;
    let pending = Pending { output: output.clone(), inputs, settled };
    let Some(state) = std::fs::read_to_string(state_path(&output)).ok().and_then(|t| State::parse(&t)) else {
        return Err(Some(pending));
    };
    if state.inputs != inputs || !output.is_dir() || state.output != output_fingerprint(tree(&output, &[""])) {
        return Err(Some(pending));
    }
    Ok(BuildReport {
        output,
        files: state.files,
        pages: state.pages,
        employers: state.employers,
        stories: state.stories,
        timings: Vec::new(),
        up_to_date: true,
    })
}

/// Note a successful build, so an unchanged rebuild can be skipped; `written` is every file of
/// the new output as the writer saw it (so the folder need not be walked again). Failing to
/// write the state file only costs the next build its shortcut.
pub fn record(pending: Pending, report: &BuildReport, written: Vec<Entry>) {
    let path = state_path(&pending.output);
    if !pending.settled {
        let _ = std::fs::remove_file(&path);
        return;
    }
    let state = State {
        inputs: pending.inputs,
        output: output_fingerprint(written),
        files: report.files,
        pages: report.pages,
        employers: report.employers,
        stories: report.stories,
    };
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    if std::fs::write(&tmp, state.render()).is_ok() && std::fs::rename(&tmp, &path).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_round_trips() {
        let s = State { inputs: 1, output: u64::MAX, files: 3, pages: 4, employers: 5, stories: 6 };
        assert_eq!(State::parse(&s.render()), Some(s));
        assert_eq!(State::parse("1 2 3"), None);
    }

    #[test]
    fn any_input_change_changes_the_fingerprint() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("content/stories")).unwrap();
        std::fs::write(root.join("site.yaml"), "title: x\n").unwrap();
        std::fs::write(root.join("content/stories/a.md"), "one").unwrap();
        let opts = BuildOptions { root: root.to_path_buf(), ..Default::default() };
        let out = root.join("output");
        let inputs = |o: &BuildOptions| inputs(o, &out).0;
        let before = inputs(&opts);
        assert_eq!(before, inputs(&opts), "stable when nothing changes");
        std::fs::write(root.join("content/stories/a.md"), "two!").unwrap();
        let edited = inputs(&opts);
        assert_ne!(before, edited);
        std::fs::write(root.join("content/stories/b.md"), "new").unwrap();
        assert_ne!(edited, inputs(&opts));
        let drafts = BuildOptions { drafts: true, ..opts.clone() };
        assert_ne!(inputs(&opts), inputs(&drafts));
    }
}
