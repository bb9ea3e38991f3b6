//! What a build is asked to do and what it reports: shared by the pipeline, the freshness check
//! and the commands, so none of them needs the others.

use std::path::{Path, PathBuf};
use std::time::Duration;

/// What to build and where.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site folder (holds `site.yaml`).
    pub root: PathBuf,
    /// Overrides `site.yaml: output_dir`.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Reporting years after this are errors; defaults to this calendar year.
    pub current_year: Option<i32>,
    /// The process ends right after this build (`ladder build`): the site's values are left to
    /// the operating system, which takes the memory back at once, instead of being freed one
    /// object at a time (about a second of a 50,000-story build, on one core).
    pub exits_after: bool,
}

/// What a build produced, for the one-line summary and `-v` timings.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub output: PathBuf,
    pub files: usize,
    pub pages: usize,
    pub employers: usize,
    pub stories: usize,
    pub timings: Vec<StageTiming>,
    /// Nothing was built: the output already matched the inputs (see [`crate::output::freshness`]).
    pub up_to_date: bool,
    /// Story pictures' widths encoded by this build, and taken from the encode cache.
    pub images_encoded: usize,
    pub images_cached: usize,
    /// Social cards drawn by this build, and taken from the cache.
    pub cards_drawn: usize,
    pub cards_cached: usize,
}

/// How long one stage took, and the process's peak memory when it ended (`-v`).
#[derive(Debug, Clone)]
pub struct StageTiming {
    pub stage: &'static str,
    pub took: Duration,
    /// Peak resident memory so far, in bytes, where the platform reports it.
    pub peak_rss: Option<u64>,
}

impl std::fmt::Display for StageTiming {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "  {:<20} {:>8.1} ms", self.stage, self.took.as_secs_f64() * 1000.0)?;
        match self.peak_rss {
            Some(b) => write!(f, "   peak {:>5} MB", b / (1024 * 1024)),
            None => Ok(()),
        }
    }
}

/// The calendar year, which bounds reporting years.
pub fn this_year() -> i32 {
    use chrono::Datelike;
    chrono::Local::now().year()
}

/// Where the site is (flattened into every command that reads a site).
#[derive(Debug, clap::Args)]
pub struct SiteArgs {
    /// The site folder, holding site.yaml (default: the nearest folder at or above this one
    /// that holds a site.yaml).
    #[arg(long, default_value = ".")]
    pub site: PathBuf,
}

impl SiteArgs {
    /// The site folder: `--site` as given, or, when it was left at `.` and this folder holds no
    /// site.yaml, the nearest folder above that does (as Zola and mdBook look), so a command run
    /// from `content/employers/` finds its site. With none, `.` (whose missing site.yaml is
    /// then reported).
    pub fn root(&self) -> PathBuf {
        if self.site != Path::new(".") || Path::new("site.yaml").exists() {
            return self.site.clone();
        }
        std::env::current_dir()
            .ok()
            .and_then(|here| here.ancestors().skip(1).find(|d| d.join("site.yaml").is_file()).map(Path::to_path_buf))
            .unwrap_or_else(|| self.site.clone())
    }
}
