//! Helpers for integration tests: copy the example site into a temporary folder, run the
//! `ladder` binary on it, and read what it wrote.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (where the example site lives).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Where test sites are copied from: this repository, or `LADDER_SITE_FROM` (with `LADDER_BIN`,
/// an older checkout's content, to see a new test fail on the old code for the right reason).
fn site_source() -> PathBuf {
    std::env::var_os("LADDER_SITE_FROM").map(PathBuf::from).unwrap_or_else(repo)
}

/// A copy of the example site (site.yaml, content/, themes/) in a fresh temporary folder.
pub fn example_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(site_source().join("site.yaml"), dir.path().join("site.yaml")).unwrap();
    copy_dir(&site_source().join("content"), &dir.path().join("content"));
    copy_dir(&site_source().join("themes"), &dir.path().join("themes"));
    dir
}

/// A site with only site.yaml and the benchmark set: tests add their own employers and stories.
pub fn empty_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(site_source().join("site.yaml"), dir.path().join("site.yaml")).unwrap();
    copy_dir(&site_source().join("content/benchmarks"), &dir.path().join("content/benchmarks"));
    std::fs::create_dir_all(dir.path().join("content/employers")).unwrap();
    std::fs::create_dir_all(dir.path().join("content/stories")).unwrap();
    dir
}

/// Run `ladder` with arguments in a folder. `LADDER_BIN` runs another build of the binary
/// instead (e.g. the previous commit's, to check that a new test fails there).
pub fn ladder(dir: &Path, args: &[&str]) -> Output {
    let bin = std::env::var("LADDER_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_ladder").to_string());
    Command::new(bin).args(args).current_dir(dir).env("CI", "true").output().unwrap()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every file under `dir` with its bytes, keyed by relative path.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect()
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn write(path: &Path, text: &str) {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).unwrap();
    }
    std::fs::write(path, text).unwrap();
}

/// Let the site's employers name `extra` as sectors too (besides the default list): tests that
/// put odd text in `sector:` (script, formulas) list it in site.yaml, as a site would.
pub fn allow_sectors(site: &Path, extra: &[&str]) {
    let config = site.join("site.yaml");
    let mut text = read(&config);
    text.push_str("sectors:\n");
    for s in ladder::model::benchmarks::DEFAULT_SECTORS.iter().chain(extra) {
        text.push_str(&format!("  - {}\n", serde_json::to_string(s).unwrap()));
    }
    write(&config, &text);
}

/// How a watched child ended: its exit code (None when it was killed at the deadline or by a
/// signal), how long it ran, and the highest resident memory seen.
pub struct Watched {
    pub code: Option<i32>,
    pub took: std::time::Duration,
    pub peak_bytes: u64,
}

/// Run `cmd` (its output already directed), killing it at `deadline`, and watch its peak memory
/// through `/proc/PID/status` (`VmHWM`, the kernel's own high-water mark) while it runs. The
/// mark only rises, so a reading taken after the peak still holds it; only growth in the last
/// couple of milliseconds before exit could go unseen. This needs no `unsafe` and no libc
/// (`getrusage` of RUSAGE_CHILDREN would also mix in other tests' children).
pub fn watched(cmd: &mut Command, deadline: std::time::Duration) -> Watched {
    let started = std::time::Instant::now();
    let mut child = cmd.spawn().unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0u64;
    let mut killed = false;
    let status = loop {
        if let Ok(text) = std::fs::read_to_string(&status_file) {
            let hwm = text.lines().find_map(|l| l.strip_prefix("VmHWM:"));
            if let Some(kb) = hwm.and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok()) {
                peak_kb = peak_kb.max(kb);
            }
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > deadline && !killed {
            child.kill().unwrap();
            killed = true;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    };
    // A child read at least once: a bound on memory is never passed by a missing reading.
    assert!(peak_kb > 0, "no memory reading of {status_file}");
    Watched { code: if killed { None } else { status.code() }, took: started.elapsed(), peak_bytes: peak_kb * 1024 }
}
