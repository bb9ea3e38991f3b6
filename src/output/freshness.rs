//! Skipping a build whose output is already up to date, as `make` does, and telling `ladder
//! deploy` whether the output folder is exactly what the last build wrote.
//!
//! After a build, a small state file beside the output folder (`.<output>.ladder-state`, never
//! inside it, so it is not published) records what the build was: the options (base URL,
//! drafts, the year, the output folder's canonical path), ladder's own executable, the path,
//! size and modification time of every input (`site.yaml`, `content/`, `themes/`, `templates/`,
//! `static/`), and a fingerprint of the output as written. When all still match, `ladder build`
//! has nothing to do and writes nothing; when one does not, the state says which (an option, a
//! named input, the output), so a refused deploy can say why.
//!
//! Paths are compared canonically: `--output output`, `./output/`, the default and an absolute
//! path to the same folder are the same build, from whatever folder ladder is run.
//!
//! An input modified within [`SETTLE_NANOS`] of the moment it was fingerprinted could be
//! modified again within the same timestamp tick without changing its size or time (git's
//! "racy" entries). Such inputs are also recorded by a hash of their content, and compared by
//! it later, so a build straight after a checkout (every file brand new) is recorded and
//! deployable at once, and a same-tick edit is still seen.

use crate::options::{BuildOptions, BuildReport};
use rayon::prelude::*;
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// What the site's output is built from, besides `site.yaml`.
const INPUT_DIRS: &[&str] = crate::load::INPUT_DIRS;

/// Bumped when the state file's meaning changes: an older one then reads as "no record".
const STATE_VERSION: u32 = 2;

/// An input modified this close to its fingerprinting might change again within one timestamp
/// tick (a second on some file systems, two on FAT) unseen by its metadata.
const SETTLE_NANOS: u64 = 2_000_000_000;

/// The options a build was run with, as a deploy must name them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Options {
    base_url: Option<String>,
    drafts: bool,
    year: i32,
    /// The output folder's canonical path.
    output: String,
}

/// Everything recorded about one build.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct State {
    version: u32,
    options: Options,
    /// ladder's version and executable (a rebuilt ladder may render differently).
    ladder: u64,
    /// When the inputs were fingerprinted, in nanoseconds since 1970.
    at: u64,
    /// Every input, sorted by path.
    inputs: Vec<Entry>,
    /// A content hash of each input modified within [`SETTLE_NANOS`] of `at`.
    racy: BTreeMap<String, u64>,
    output: u64,
    files: usize,
    pages: usize,
    employers: usize,
    stories: usize,
}

fn state_path(output: &Path) -> PathBuf {
    let name = output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "output".into());
    output.with_file_name(format!(".{name}.ladder-state"))
}

/// One file as the fingerprints see it: path relative to its root, size, and
/// modification time in nanoseconds since 1970.
pub type Entry = (String, u64, u64);

/// An entry from a file's metadata.
pub fn entry(rel: String, m: &std::fs::Metadata) -> Entry {
    let t = m.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok());
    (rel, m.len(), t.map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)))
}

/// Every file under `dirs` (relative to `root`), sorted. Folders are listed in one pass and
/// their files stat'ed in parallel: on a large site the stat calls are most of the cost.
fn tree(root: &Path, dirs: &[&str]) -> Vec<Entry> {
    let files: Vec<PathBuf> = dirs
        .iter()
        .flat_map(|dir| walkdir::WalkDir::new(root.join(dir)).follow_links(false).into_iter().flatten())
        .filter(|e| !e.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
        .collect();
    let mut entries: Vec<Entry> = files
        .into_par_iter()
        .map(|path| {
            // Named as the writer names output files (write.rs), so the two lists compare.
            let rel = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().into_owned();
            match std::fs::symlink_metadata(&path) {
                Ok(m) => entry(rel, &m),
                Err(_) => (rel, u64::MAX, 0),
            }
        })
        .collect();
    entries.sort_unstable();
    entries
}

fn inputs(root: &Path) -> Vec<Entry> {
    let mut files = tree(root, &["site.yaml"]);
    files.extend(tree(root, INPUT_DIRS));
    files.sort_unstable();
    files
}

/// A hash of ladder itself: its version, and its executable's size and time.
fn ladder_fingerprint() -> u64 {
    let mut h = DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    if let Some(m) = std::env::current_exe().ok().and_then(|p| std::fs::metadata(p).ok()) {
        m.len().hash(&mut h);
        m.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map(|d| d.as_nanos()).hash(&mut h);
    }
    h.finish()
}

fn now_nanos() -> u64 {
    std::time::SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(0))
}

/// A content hash of each input whose time lies within [`SETTLE_NANOS`] of `at` (or after it:
/// a clock set back, a checkout from a machine ahead of this one). An unreadable file hashes
/// as such, so it differs from any content.
fn racy_hashes(root: &Path, entries: &[Entry], at: u64) -> BTreeMap<String, u64> {
    entries
        .par_iter()
        .filter(|(_, _, t)| t.saturating_add(SETTLE_NANOS) > at)
        .map(|(rel, _, _)| {
            let h = crate::load::content_hash(&root.join(rel));
            (rel.clone(), h)
        })
        .collect()
}

/// Fingerprint of an output folder's files.
fn output_fingerprint(mut files: Vec<Entry>) -> u64 {
    files.sort_unstable();
    let mut h = DefaultHasher::new();
    files.hash(&mut h);
    h.finish()
}

/// Where `ladder build` will write, without building: `--output`, else `site.yaml: output_dir`.
fn output_of(opts: &BuildOptions) -> Option<PathBuf> {
    if let Some(o) = &opts.output {
        return Some(super::guard::output_folder(&opts.root, Some(o), ""));
    }
    let rel = Path::new("site.yaml");
    let text = crate::load::read_text(rel, &opts.root.join(rel)).ok()?;
    let config = crate::model::config::SiteConfig::parse(rel, &text).ok()?;
    Some(super::guard::output_folder(&opts.root, None, &config.output_dir))
}

/// A build about to run: what its inputs looked like before anything was read.
pub struct Pending {
    /// The output folder's canonical path (where the state file goes).
    output: PathBuf,
    state: Box<State>,
}

/// Why the output is not what a build would write now: the first difference found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// site.yaml is missing or invalid, so where the output goes is unknown.
    NoSettings,
    /// No state file (never built there, the build failed, or an older ladder built it).
    NeverBuilt,
    Ladder,
    BaseUrl {
        built: Option<String>,
        now: Option<String>,
    },
    Drafts {
        built: bool,
    },
    Year {
        built: i32,
        now: i32,
    },
    Output {
        built: String,
        now: String,
    },
    Added(String),
    Removed(String),
    Changed(String),
    OutputMissing,
    OutputChanged,
}

impl std::fmt::Display for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let url = |u: &Option<String>| match u {
            Some(u) => format!("--base-url {u}"),
            None => "no --base-url (site.yaml's base_url)".to_string(),
        };
        match self {
            Why::NoSettings => write!(f, "site.yaml is missing or invalid (run `ladder check`)"),
            Why::NeverBuilt => write!(f, "there is no record of a `ladder build` into it"),
            Why::Ladder => write!(f, "it was built by another ladder executable (rebuilt or upgraded since)"),
            Why::BaseUrl { built: None, now } => {
                write!(f, "it was built without --base-url, and this names {}", url(now))
            }
            Why::BaseUrl { built, now } => write!(f, "it was built with {}, and this names {}", url(built), url(now)),
            Why::Drafts { built: false } => write!(f, "it was built without --drafts, and this names --drafts"),
            Why::Drafts { built: true } => write!(f, "it was built with --drafts, and this does not name it"),
            Why::Year { built, now } => write!(f, "it was built in {built} and the year is now {now}"),
            Why::Output { built, now } => write!(f, "the last build wrote {built}, not {now}"),
            Why::Added(p) => write!(f, "{p} was added since the build"),
            Why::Removed(p) => write!(f, "{p} was removed since the build"),
            Why::Changed(p) => write!(f, "{p} changed since the build"),
            Why::OutputMissing => write!(f, "the folder does not exist"),
            Why::OutputChanged => {
                write!(f, "a file in it was changed, added or removed after the build (by hand or by another program)")
            }
        }
    }
}

/// Why a check failed, and (when the output's place is known) what to record once a build
/// has succeeded.
pub struct Stale {
    pub pending: Option<Pending>,
    /// The output folder as the options name it.
    pub output: Option<PathBuf>,
    pub why: Why,
}

/// The first input that differs between two sorted lists.
fn first_difference(built: &[Entry], now: &[Entry]) -> Option<Why> {
    let old: BTreeMap<&str, &Entry> = built.iter().map(|e| (e.0.as_str(), e)).collect();
    let new: BTreeMap<&str, &Entry> = now.iter().map(|e| (e.0.as_str(), e)).collect();
    let names: BTreeSet<&str> = old.keys().chain(new.keys()).copied().collect();
    names.into_iter().find_map(|n| match (old.get(n), new.get(n)) {
        (None, Some(_)) => Some(Why::Added(n.to_string())),
        (Some(_), None) => Some(Why::Removed(n.to_string())),
        (Some(a), Some(b)) if a != b => Some(Why::Changed(n.to_string())),
        _ => None,
    })
}

/// `Ok(report)` when the output is already what a build would write; otherwise why not.
pub fn check(opts: &BuildOptions) -> Result<BuildReport, Stale> {
    check_with(opts, true)
}

/// As [`check`], writing nothing: for commands that only read the output (`deploy`), which
/// must leave the site as they found it even when they are refused.
pub fn check_read_only(opts: &BuildOptions) -> Result<BuildReport, Stale> {
    check_with(opts, false)
}

fn check_with(opts: &BuildOptions, tidy: bool) -> Result<BuildReport, Stale> {
    let Some(output) = output_of(opts) else {
        return Err(Stale { pending: None, output: None, why: Why::NoSettings });
    };
    let canonical = crate::output::guard::resolve(&output).unwrap_or_else(|_| output.clone());
    let options = Options {
        base_url: opts.base_url.clone(),
        drafts: opts.drafts,
        year: opts.current_year.unwrap_or_else(crate::options::this_year),
        output: canonical.to_string_lossy().into_owned(),
    };
    let entries = inputs(&opts.root);
    let at = now_nanos();
    let ladder = ladder_fingerprint();
    let stale = |why: Why| {
        let racy = racy_hashes(&opts.root, &entries, at);
        let state = Box::new(State {
            version: STATE_VERSION,
            options: options.clone(),
            ladder,
            at,
            inputs: entries.clone(),
            racy,
            output: 0,
            files: 0,
            pages: 0,
            employers: 0,
            stories: 0,
        });
        let pending = Pending { output: canonical.clone(), state };
        Stale { pending: Some(pending), output: Some(output.clone()), why }
    };
    // An output given as a symbolic link is never up to date: the build goes on to the output
    // guard, which refuses it (the link's real folder matched the last build's record, so a
    // link used to pass as "up to date").
    if std::fs::symlink_metadata(&output).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(stale(Why::NeverBuilt));
    }
    // Read only as a regular file: a FIFO planted there must not block the build.
    let recorded = crate::load::read_regular(&state_path(&canonical), 1 << 30)
        .ok()
        .and_then(|b| serde_json::from_slice::<State>(&b).ok());
    let Some(state) = recorded.filter(|s| s.version == STATE_VERSION) else {
        return Err(stale(Why::NeverBuilt));
    };
    let built = &state.options;
    let why = if built.base_url != options.base_url {
        Some(Why::BaseUrl { built: built.base_url.clone(), now: options.base_url.clone() })
    } else if built.drafts != options.drafts {
        Some(Why::Drafts { built: built.drafts })
    } else if built.year != options.year {
        Some(Why::Year { built: built.year, now: options.year })
    } else if built.output != options.output {
        Some(Why::Output { built: built.output.clone(), now: options.output.clone() })
    } else if state.ladder != ladder {
        Some(Why::Ladder)
    } else if let Some(why) = first_difference(&state.inputs, &entries) {
        Some(why)
    } else if let Some(path) = racy_hashes(&opts.root, &entries, state.at)
        .into_iter()
        .find(|(path, h)| state.racy.get(path) != Some(h))
        .map(|(path, _)| path)
    {
        // Same size and time, other content: edited within the tick the build began in.
        Some(Why::Changed(path))
    } else if !canonical.is_dir() {
        Some(Why::OutputMissing)
    } else if state.output != output_fingerprint(tree(&canonical, &[""])) {
        Some(Why::OutputChanged)
    } else {
        None
    };
    if let Some(why) = why {
        return Err(stale(why));
    }
    let counts = (state.files, state.pages, state.employers, state.stories);
    if tidy && !state.racy.is_empty() && entries.iter().all(|e| e.2.saturating_add(SETTLE_NANOS) <= at) {
        // Every input has settled since the build and still has the content it was built
        // from: any later edit will show in its time, so the contents need not be read again.
        write_state(&canonical, &State { at, racy: BTreeMap::new(), ..state });
    }
    Ok(report(output, counts))
}

/// An up-to-date report repeating the counts of the build that wrote the output.
fn report(output: PathBuf, (files, pages, employers, stories): (usize, usize, usize, usize)) -> BuildReport {
    BuildReport {
        output,
        files,
        pages,
        employers,
        stories,
        timings: Vec::new(),
        up_to_date: true,
        images_encoded: 0,
        images_cached: 0,
        cards_drawn: 0,
        cards_cached: 0,
    }
}

/// Note a successful build, so an unchanged rebuild can be skipped and a deploy accepted;
/// `written` is every file of the new output as the writer saw it (so the folder need not be
/// walked again). Failing to write the state file only costs the next build its shortcut.
pub fn record(pending: Pending, report: &BuildReport, written: Vec<Entry>) {
    let state = State {
        output: output_fingerprint(written),
        files: report.files,
        pages: report.pages,
        employers: report.employers,
        stories: report.stories,
        ..*pending.state
    };
    write_state(&pending.output, &state);
}

/// Replace the state file in one step (a reader never sees half of one).
fn write_state(output: &Path, state: &State) {
    let path = state_path(output);
    let Ok(json) = serde_json::to_vec(state) else { return };
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    if std::fs::write(&tmp, json).is_err() || std::fs::rename(&tmp, &path).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("content/stories")).unwrap();
        std::fs::write(root.join("site.yaml"), "title: x\nbase_url: https://example.org/\n").unwrap();
        std::fs::write(root.join("content/stories/a.md"), "one").unwrap();
        tmp
    }

    #[test]
    fn the_first_difference_names_the_file() {
        let a = vec![("a".to_string(), 1, 1), ("b".to_string(), 1, 1)];
        let b = vec![("a".to_string(), 1, 2), ("c".to_string(), 1, 1)];
        assert_eq!(first_difference(&a, &a), None);
        assert_eq!(first_difference(&a, &b), Some(Why::Changed("a".into())));
        assert_eq!(first_difference(&a[1..], &b[1..]), Some(Why::Removed("b".into())));
        assert_eq!(first_difference(&a[..1], &b), Some(Why::Changed("a".into())));
        assert_eq!(first_difference(&b[1..], &a), Some(Why::Added("a".into())));
    }

    #[test]
    fn only_recent_inputs_are_hashed_by_content() {
        let tmp = site();
        let entries = inputs(tmp.path());
        let newest = entries.iter().map(|e| e.2).max().unwrap();
        assert_eq!(racy_hashes(tmp.path(), &entries, newest).len(), entries.len(), "just written: all");
        assert!(racy_hashes(tmp.path(), &entries, newest + 2 * SETTLE_NANOS).is_empty(), "settled: none");
    }

    /// A build of just-written inputs is up to date at once; once they have settled, the next
    /// check records that, so later checks stop reading their contents.
    #[test]
    fn just_written_inputs_are_recorded_then_settle() {
        let tmp = site();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("output")).unwrap();
        let opts = BuildOptions { root: root.to_path_buf(), ..Default::default() };
        let pending = check(&opts).err().unwrap().pending.unwrap();
        let output = pending.output.clone();
        let report = super::report(output.clone(), (0, 0, 0, 0));
        record(pending, &report, Vec::new());
        let racy = || {
            let s: State = serde_json::from_slice(&std::fs::read(state_path(&output)).unwrap()).unwrap();
            s.racy.len()
        };
        assert_eq!(racy(), 2, "site.yaml and the story were just written");
        assert!(check(&opts).is_ok(), "up to date at once");
        std::thread::sleep(std::time::Duration::from_nanos(SETTLE_NANOS + 100_000_000));
        assert!(check(&opts).is_ok());
        assert_eq!(racy(), 0, "settled: contents no longer read");
        std::fs::write(root.join("content/stories/a.md"), "two").unwrap();
        assert_eq!(check(&opts).err().unwrap().why, Why::Changed("content/stories/a.md".into()));
    }

    #[test]
    fn paths_written_differently_are_one_output() {
        let tmp = site();
        let root = tmp.path();
        let written = |o: Option<&str>| {
            let opts = BuildOptions { root: root.to_path_buf(), output: o.map(|o| root.join(o)), ..Default::default() };
            check(&opts).err().unwrap().pending.unwrap().state.options.output
        };
        assert_eq!(written(None), written(Some("output")));
        assert_eq!(written(None), written(Some("./output/")));
        assert_ne!(written(None), written(Some("public")));
    }
}
