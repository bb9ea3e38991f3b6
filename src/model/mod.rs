//! Stage 3 of the pipeline: parsed files → one validated, read-only site model.

pub mod benchmarks;
pub mod brand;
pub mod config;
pub mod employer;
pub mod ids;
pub mod links;
pub mod safe_url;
pub mod story;

use crate::cache::Memo;
use crate::error::{Diagnostic, Diagnostics};
use crate::hash::key;
use crate::load::{SourceFile, Sources};
use benchmarks::BenchmarkSet;
use config::SiteConfig;
use employer::{Employer, Figures};
use rayon::prelude::*;
use std::collections::BTreeMap;
use story::{Page, Story};

/// The orderings of the employer directory (id, label): `/employers/` by name, and
/// `/employers/by-sector/` ... which share the URL space of employer pages.
pub const DIRECTORY_ORDERS: &[(&str, &str)] =
    &[("name", "name"), ("sector", "sector"), ("region", "region"), ("size", "size")];

/// Whether `slug` names one of the directory's orderings (`by-sector` ...), which live under
/// `employers/` where employer pages do.
pub fn is_directory_slug(slug: &str) -> bool {
    DIRECTORY_ORDERS.iter().any(|(id, _)| *id != "name" && slug.strip_prefix("by-") == Some(*id))
}

/// What the model remembers between builds of one process: each file's parsed value, keyed by
/// its text (and, for employers, the benchmark data and year their validation depends on).
#[derive(Default)]
pub struct ModelMemo {
    pub employers: Memo<(Employer, Figures)>,
    pub stories: Memo<Story>,
    pub pages: Memo<Page>,
}

impl ModelMemo {
    pub fn off() -> Self {
        ModelMemo { employers: Memo::off(), stories: Memo::off(), pages: Memo::off() }
    }

    pub fn sweep(&self) {
        self.employers.sweep();
        self.stories.sweep();
        self.pages.sweep();
    }
}

/// The whole site, validated: every cross-reference resolves.
#[derive(Debug)]
pub struct Site {
    pub config: SiteConfig,
    /// The benchmark set scorecards use (`site.yaml: benchmark_set`).
    pub benchmarks: BenchmarkSet,
    /// Sorted by name, then slug.
    pub employers: Vec<Employer>,
    /// Each employer's raw counts, in the order of `employers`. Taken whole by the build's
    /// privacy step ([`Site::take_figures`]), which consumes them: a `Site` that reaches
    /// scoring and rendering holds no raw count.
    pub figures: Vec<Figures>,
    /// Newest first, then by slug.
    pub stories: Vec<Story>,
    pub pages: Vec<Page>,
    /// What could be read of the files read only in part (a story whose front matter has
    /// problems, an employer file with problems): never published, but a build with problems
    /// still checks their pictures and links, so one run reports every problem. Empty when the
    /// site has no problem.
    pub partly_read: PartlyRead,
    /// The pages of the drafts this build leaves out (`stories/x/`, `x/`).
    pub drafts: std::collections::BTreeSet<String>,
}

/// Stories and links of files read only in part (see [`Site::partly_read`]).
#[derive(Debug, Default)]
pub struct PartlyRead {
    pub stories: Vec<Story>,
    pub links: Vec<links::FileLinks>,
}

impl Site {
    /// Every employer's raw counts, leaving none behind: for `privacy::publish`, which
    /// consumes them.
    pub fn take_figures(&mut self) -> Vec<Figures> {
        std::mem::take(&mut self.figures)
    }
}

/// Choices that come from the command line rather than the content.
#[derive(Debug, Clone, Default)]
pub struct ModelOptions {
    pub drafts: bool,
    pub base_url: Option<String>,
    /// Reporting years after this are errors.
    pub current_year: i32,
    /// The site folder and the output guard, when the build will write into `site.yaml`'s
    /// `output_dir`: the setting is then checked with the others. The guard is passed in
    /// because it belongs to the output stage, which comes after the model.
    pub output_guard: Option<(std::path::PathBuf, OutputCheck)>,
}

/// Why a build may not write into `output` (a folder of the site at `root`), if it may not.
pub type OutputCheck = fn(root: &std::path::Path, output: &std::path::Path) -> Result<(), String>;

/// `output_dir` refused by the output guard, reported at the setting like any other problem of
/// `site.yaml` (a pull request that points it at `../victim` or `content` names its line).
pub fn output_dir_problem(config: &SiteConfig, refused: &str) -> Diagnostic {
    config.problem("output_dir", refused.to_string())
}

fn check_output_dir(config: &SiteConfig, root: &std::path::Path, check: OutputCheck, diags: &mut Diagnostics) {
    if !config.was_read("output_dir")
        || config.output_dir.trim().is_empty()
        || config.output_dir.chars().any(char::is_control)
    {
        return;
    }
    if let Err(refused) = check(root, &root.join(&config.output_dir)) {
        diags.push(output_dir_problem(config, &refused));
    }
}

/// Parse every file in parallel and check cross-references; all problems are returned at once.
pub fn build(sources: Sources, opts: &ModelOptions) -> Result<Site, Diagnostics> {
    build_cached(sources, opts, &ModelMemo::off())
}

/// As [`build`], reusing files parsed by an earlier build whose inputs are unchanged.
pub fn build_cached(sources: Sources, opts: &ModelOptions, cache: &ModelMemo) -> Result<Site, Diagnostics> {
    match build_partial(sources, opts, cache) {
        (Some(site), diags) if diags.is_empty() => Ok(site),
        (_, diags) => Err(diags),
    }
}

/// As [`build_cached`], with the site made of every file that could be read even when others
/// have problems, so the build can go on to find the problems only its later stages find (a
/// picture that cannot be decoded, a link to a file it does not write) and report them in the
/// same run. `None` without settings or the benchmark set. A site that comes with problems is
/// never published.
pub fn build_partial(sources: Sources, opts: &ModelOptions, cache: &ModelMemo) -> (Option<Site>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let config = read_config(&sources, &mut diags);
    if let (Some(config), Some((root, check))) = (&config, &opts.output_guard) {
        check_output_dir(config, root, *check, &mut diags);
    }
    let (bench_texts, benchmarks) = chosen_set(&sources, config.as_ref(), &mut diags);
    let (Some(mut config), Some(mut benchmarks)) = (config, benchmarks) else {
        // Without settings and benchmarks employers cannot be checked in full; still read every
        // other file so one run shows as much as it can.
        without_benchmarks(&sources, &mut diags);
        return (None, diags);
    };
    if let Some(b) = &opts.base_url {
        // `--base-url` passes the same check as the setting it replaces.
        match crate::model::safe_url::SafeUrl::parse(b).map_err(|e| e.to_string()) {
            Ok(u) => match crate::model::config::check_base_url(&u) {
                Ok(()) => config.base_url = u,
                Err(why) => diags.push(Diagnostic::new("--base-url", why)),
            },
            Err(e) => diags.push(Diagnostic::new("--base-url", e)),
        }
    }
    if config.was_read("anonymity_threshold")
        && (config.anonymity_threshold as f64) < benchmarks.method.anonymity_threshold.value
    {
        diags.push(config.problem(
            "anonymity_threshold",
            format!(
                "anonymity_threshold {} is below the benchmark set's {}; it may be raised, never lowered",
                config.anonymity_threshold, benchmarks.method.anonymity_threshold.value
            ),
        ));
    }
    if let Some(sectors) = &config.sectors {
        benchmarks.sectors = sectors.clone();
    }
    // An employer's validation depends on the benchmark data, the sectors and the year as well
    // as its file.
    let sectors = benchmarks.sectors.join("\n");
    let mut bench_parts: Vec<&[u8]> = bench_texts.iter().map(|t| t.as_bytes()).collect();
    bench_parts.push(sectors.as_bytes());
    let bench_key = key(&bench_parts).to_le_bytes();
    let year = opts.current_year.to_le_bytes();
    // Employers' commitments and free pages are rendered here, their links below the base path.
    let site_links = links::site_links(&config);
    let base_path = site_links.base_path.clone();
    let file_key = |f: &SourceFile, text: &str, extra: &[&[u8]]| {
        // Hashing every file costs more than it saves when nothing is remembered.
        if !cache.employers.enabled() {
            return 0;
        }
        let mut parts: Vec<&[u8]> = vec![f.path.as_os_str().as_encoded_bytes(), text.as_bytes()];
        parts.extend_from_slice(extra);
        key(&parts)
    };
    let employers: Vec<(Employer, Figures)> = collect(&sources.employers, &mut diags, |f, text| {
        cache.employers.get_or(file_key(f, text, &[&bench_key, &year, base_path.as_bytes()]), || {
            employer::parse_for_site(&f.path, &f.stem, text, &benchmarks, opts.current_year, &site_links)
        })
    });
    check_duplicate_slugs(&sources.employers, &mut diags, |slug, first| {
        format!("employer slug `{slug}` is also used by {}", first.display())
    });
    check_reserved_employer_slugs(&sources.employers, &mut diags);
    let mut stories: Vec<Story> = collect(&sources.stories, &mut diags, |f, text| {
        let bundle = format!("{:?}", f.bundle);
        cache.stories.get_or(file_key(f, text, &[bundle.as_bytes()]), || {
            story::parse_story_in(&f.path, &f.full, &f.stem, text, f.bundle.as_ref())
        })
    });
    // A story may be a file (`x.md`) or a folder (`x/index.md`), not both.
    check_duplicate_slugs(&sources.stories, &mut diags, |slug, first| {
        format!("story `{slug}` is also written as {}; keep one of the two", first.display())
    });
    for s in &stories {
        diags.extend(s.image_problems());
    }
    let mut pages: Vec<Page> = collect(&sources.pages, &mut diags, |f, text| {
        cache.pages.get_or(file_key(f, text, &[base_path.as_bytes()]), || {
            story::parse_page_for_site(&f.path, &f.stem, text, &site_links)
        })
    });
    // Employers that failed to parse still exist: do not report stories naming them as well.
    let employer_slugs: std::collections::HashSet<&str> = sources.employers.iter().map(|f| f.stem.as_str()).collect();
    // Stories whose front matter has problems are still checked for the rest (their employer,
    // themes, pictures and links), read as far as their YAML allows.
    let read: std::collections::HashSet<&str> = stories.iter().map(|s| s.source_path.as_str()).collect();
    let partial: Vec<Story> = sources
        .stories
        .par_iter()
        .filter(|f| !read.contains(f.path.display().to_string().as_str()))
        .filter_map(|f| {
            let text = f.read().ok()?;
            story::parse_story_partial(&f.path, &f.full, &f.stem, &text, f.bundle.as_ref())
        })
        .collect();
    for s in &partial {
        diags.extend(s.image_problems());
    }
    let employer_names: Vec<(&str, &str)> = employers.iter().map(|(e, _)| (e.name.as_str(), e.slug.as_str())).collect();
    check_story_links(stories.iter().chain(&partial), &employer_slugs, &employer_names, &benchmarks, &mut diags);
    check_page_slugs(&sources.pages, &mut diags);
    let known = links::Known {
        sources: [&sources.employers, &sources.stories, &sources.pages]
            .into_iter()
            .flatten()
            .filter_map(|f| f.path.strip_prefix("content").ok().map(|p| p.to_string_lossy().replace('\\', "/")))
            .collect(),
        employers: employer_slugs.clone(),
        stories: sources.stories.iter().map(|f| f.stem.as_str()).collect(),
    };
    let mut linked = content_links(employers.iter().map(|(e, _)| e), &stories, &pages);
    linked.extend(partial.iter().map(|s| &s.links).filter(|f| !f.links.is_empty()));
    // Likewise the commitments of employers whose files have problems.
    let parsed: std::collections::HashSet<&str> = employers.iter().map(|(e, _)| e.source_path.as_str()).collect();
    let mut partial_links: Vec<links::FileLinks> = sources
        .employers
        .par_iter()
        .filter(|f| !parsed.contains(f.path.display().to_string().as_str()))
        .filter_map(|f| employer::partial_links(&f.path, &f.read().ok()?, &site_links))
        .collect();
    // And the body of free pages whose front matter (or a picture) has problems.
    let parsed: std::collections::HashSet<&std::path::Path> = pages.iter().map(|p| p.links.file.as_path()).collect();
    let partial_pages: Vec<links::FileLinks> = sources
        .pages
        .par_iter()
        .filter(|f| !parsed.contains(f.path.as_path()))
        .filter_map(|f| story::partial_page_links(&f.path, &f.read().ok()?, &site_links))
        .collect();
    partial_links.extend(partial_pages);
    linked.extend(partial_links.iter().filter(|f| !f.links.is_empty()));
    diags.extend(links::check_sources(&linked, &known));
    // The pages of drafts this build leaves out: a link to one is told it is a draft's.
    let drafts: std::collections::BTreeSet<String> = if opts.drafts {
        Default::default()
    } else {
        let of_stories = stories.iter().chain(&partial).filter(|s| s.draft).map(|s| format!("stories/{}/", s.slug));
        of_stories.chain(pages.iter().filter(|p| p.draft).map(|p| format!("{}/", p.slug))).collect()
    };
    let partly_read = PartlyRead { stories: partial, links: partial_links };
    if !opts.drafts {
        stories.retain(|s| !s.draft);
        pages.retain(|p| !p.draft);
    }
    let employers = sorted_by(employers, |(a, _), (b, _)| a.name.cmp(&b.name).then_with(|| a.slug.cmp(&b.slug)));
    let (employers, figures) = employers.into_iter().unzip();
    let stories = sorted_by(stories, |a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
    pages.sort_by(|a, b| a.slug.cmp(&b.slug));
    (Some(Site { config, benchmarks, employers, figures, stories, pages, partly_read, drafts }), diags)
}

/// `items` in the order `cmp` gives, equal ones as they came (a stable sort), each moved once:
/// the order is worked out over positions, on both cores. Stories and employers are large
/// values, and a sort that moved them at each step took a fifth of a second of the 50,000-story
/// build on one core while the other waited.
fn sorted_by<T: Send + Sync>(items: Vec<T>, cmp: impl Fn(&T, &T) -> std::cmp::Ordering + Sync) -> Vec<T> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.par_sort_by(|&a, &b| cmp(&items[a], &items[b]));
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order.into_iter().map(|i| slots[i].take().expect("each position is taken once")).collect()
}

/// The links to the site itself of every story, free page and employer's commitment.
pub fn content_links<'a>(
    employers: impl IntoIterator<Item = &'a Employer>,
    stories: &'a [Story],
    pages: &'a [Page],
) -> Vec<&'a links::FileLinks> {
    let of_employers = employers.into_iter().flat_map(|e| [&e.commitment_links, &e.field_links]);
    let of_stories = stories.iter().map(|s| &s.links);
    let of_pages = pages.iter().map(|p| &p.links);
    of_employers.chain(of_stories).chain(of_pages).filter(|f| !f.links.is_empty()).collect()
}

impl Site {
    /// Every problem of the links of the content to the site itself, against the paths of the
    /// files a build wrote (see [`links::check_built`]).
    /// The files read only in part are checked too.
    pub fn check_links_built(&self, built: &std::collections::HashSet<String>) -> Vec<Diagnostic> {
        let mut linked = content_links(&self.employers, &self.stories, &self.pages);
        let partly = self.partly_read.stories.iter().map(|s| &s.links).chain(&self.partly_read.links);
        linked.extend(partly.filter(|f| !f.links.is_empty()));
        links::check_built(&linked, built, &self.drafts, &self.config.base_path())
    }
}

/// site.yaml's settings. A site.yaml with problems still gives settings (defaults for what
/// cannot be read), so the content is read and checked and every problem is reported in one run.
fn read_config(sources: &Sources, diags: &mut Diagnostics) -> Option<SiteConfig> {
    sources.site_yaml.as_ref().and_then(|f| match f.read() {
        Ok(text) => {
            let (config, problems) = SiteConfig::read(&f.path, &text);
            diags.extend(problems);
            Some(config)
        }
        Err(d) => {
            diags.push(d);
            None
        }
    })
}

/// Every benchmark file's text, and the set site.yaml names (its problems, or its absence, go
/// into `diags`).
fn chosen_set(
    sources: &Sources,
    config: Option<&SiteConfig>,
    diags: &mut Diagnostics,
) -> (Vec<String>, Option<BenchmarkSet>) {
    // Benchmark sets are small and every employer's validation depends on them: read them once.
    let bench_texts: Vec<String> = sources.benchmarks.iter().map(|f| f.read().unwrap_or_default()).collect();
    let sets: Vec<BenchmarkSet> = collect(&sources.benchmarks, diags, |f, text| BenchmarkSet::parse(&f.path, text));
    let wanted = config.map(|c| c.benchmark_set.clone()).unwrap_or_default();
    // A benchmark file that could not be read may be the set asked for: its own problems say why.
    let all_read = sets.len() == sources.benchmarks.len();
    let ids: Vec<String> = sets.iter().map(|s| s.id.clone()).collect();
    let benchmarks = sets.into_iter().find(|s| s.id == wanted);
    if let (None, Some(config)) = (&benchmarks, config)
        && config.was_read("benchmark_set")
        && all_read
    {
        let hint = crate::suggest::closest(&wanted, ids.iter().map(String::as_str));
        diags.push(
            config.problem(
                "benchmark_set",
                format!("benchmark set `{wanted}` was not found in content/benchmarks/{hint}"),
            ),
        );
    }
    (bench_texts, benchmarks)
}

/// The benchmark set of the site at `root`, its sectors replaced by site.yaml's `sectors:` when
/// it lists its own: the lists `ladder schema` completes the JSON Schemas with. Employers and
/// stories are not read.
pub fn benchmark_set_of(root: &std::path::Path) -> Result<BenchmarkSet, Diagnostics> {
    let (sources, mut diags) = crate::load::load(root);
    let config = read_config(&sources, &mut diags);
    let (_, set) = chosen_set(&sources, config.as_ref(), &mut diags);
    match (config, set) {
        (Some(config), Some(mut set)) if diags.is_empty() => {
            if let Some(sectors) = config.sectors {
                set.sectors = sectors;
            }
            Ok(set)
        }
        _ => Err(diags),
    }
}

fn keep<T>(r: Result<T, Vec<Diagnostic>>, diags: &mut Diagnostics) -> Option<T> {
    r.map_err(|e| diags.extend(e)).ok()
}

fn collect<T: Send>(
    files: &[SourceFile],
    diags: &mut Diagnostics,
    parse: impl Fn(&SourceFile, &str) -> Result<T, Vec<Diagnostic>> + Sync + Send,
) -> Vec<T> {
    // Read and parse each file on the same thread, dropping its text straight after.
    // Pieces of at most [`crate::PIECE`] files: see there.
    let results: Vec<_> = files
        .par_iter()
        .with_max_len(crate::PIECE)
        .map(|f| f.read().map_err(|d| vec![d]).and_then(|t| parse(f, &t)))
        .collect();
    results.into_iter().filter_map(|r| keep(r, diags)).collect()
}

/// Without settings or a benchmark set, employers cannot be validated against the benchmarks:
/// each file is still read, so every mistake in its YAML is reported, and stories and pages
/// (which do not depend on them) are checked in full.
fn without_benchmarks(sources: &Sources, diags: &mut Diagnostics) {
    let problems: Vec<Vec<Diagnostic>> = sources
        .employers
        .par_iter()
        .map(|f| match f.read() {
            Ok(t) => crate::load::yaml::parse_all::<employer::EmployerFile>(&f.path, &t, 0).problems,
            Err(d) => vec![d],
        })
        .chain(sources.stories.par_iter().map(|f| {
            f.read()
                .map_err(|d| vec![d])
                .and_then(|t| story::parse_story_in(&f.path, &f.full, &f.stem, &t, f.bundle.as_ref()).map(drop))
                .err()
                .unwrap_or_default()
        }))
        .chain(sources.pages.par_iter().map(|f| {
            f.read()
                .map_err(|d| vec![d])
                .and_then(|t| story::parse_page(&f.path, &f.stem, &t).map(drop))
                .err()
                .unwrap_or_default()
        }))
        .collect();
    diags.extend(problems.into_iter().flatten());
}

/// Two files of one kind with the same slug (for stories, a file `x.md` and a folder
/// `x/index.md`): the second is reported, `said` wording it from the slug and the first file.
fn check_duplicate_slugs(
    files: &[SourceFile],
    diags: &mut Diagnostics,
    said: impl Fn(&str, &std::path::Path) -> String,
) {
    let mut seen: BTreeMap<&str, &SourceFile> = BTreeMap::new();
    for f in files {
        if let Some(first) = seen.insert(&f.stem, f) {
            diags.push(Diagnostic::new(&f.path, said(&f.stem, &first.path)));
        }
    }
}

/// An employer's page lives at `employers/<slug>/`, beside the directory's own pages
/// (`employers/by-sector/` ...): an employer may not take one of those names.
fn check_reserved_employer_slugs(files: &[SourceFile], diags: &mut Diagnostics) {
    for f in files.iter().filter(|f| is_directory_slug(&f.stem)) {
        diags.push(
            Diagnostic::new(
                &f.path,
                format!("`{}` is reserved for the employer directory's own pages; rename the file", f.stem),
            )
            .field("file name")
            .at(1, 1),
        );
    }
}

/// Free pages live at the site root, so they must not take a name the site itself uses.
fn check_page_slugs(pages: &[SourceFile], diags: &mut Diagnostics) {
    const RESERVED: &[&str] = &[
        "employers",
        "stories",
        "themes",
        "methodology",
        "data",
        "static",
        "404",
        "sectors",
        "regions",
        "sizes",
        "search",
        "compare",
        "schemas",
        "__ladder",
    ];
    for p in pages.iter().filter(|p| RESERVED.contains(&p.stem.as_str())) {
        diags.push(
            Diagnostic::new(&p.path, format!("`{}` is reserved by the site; rename the page", p.stem))
                .field("file name"),
        );
    }
}

/// The employer a story's `employer:` most likely means, when it is not a slug: the slug
/// within two edits, else the employer whose name it is (`Northgate Rail Engineering`, in any
/// case), else the slug its words make (`Northgate Rail` → `northgate-rail`), or is near.
fn employer_meant<'a>(written: &str, slugs: &[&'a str], names: &[(&str, &'a str)]) -> Option<(&'a str, bool)> {
    // A slug holds no space: words are a name (told that `employer:` takes the file's name).
    if let Some(slug) = crate::suggest::closest_name(written, slugs.iter().copied()).filter(|_| !written.contains(' '))
    {
        return Some((slug, false));
    }
    let folded = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let wanted = folded(written);
    if let Some((_, slug)) = names.iter().find(|(name, _)| folded(name) == wanted) {
        return Some((slug, true));
    }
    let as_slug = crate::slug::slugify(written);
    if as_slug.is_empty() || as_slug == written {
        return None;
    }
    slugs
        .iter()
        .find(|s| **s == as_slug)
        .copied()
        .or_else(|| crate::suggest::closest_name(&as_slug, slugs.iter().copied()))
        .map(|slug| (slug, true))
}

fn check_story_links<'a>(
    stories: impl Iterator<Item = &'a Story>,
    employers: &std::collections::HashSet<&str>,
    names: &[(&str, &str)],
    benchmarks: &BenchmarkSet,
    diags: &mut Diagnostics,
) {
    let mut known: Vec<&str> = employers.iter().copied().collect();
    known.sort();
    for s in stories {
        if let Some(e) = &s.employer
            && !employers.contains(e.value.as_str())
        {
            let hint = match employer_meant(&e.value, &known, names) {
                Some((slug, false)) => format!("; did you mean `{slug}`?"),
                // A name where the slug belongs: say what `employer:` takes.
                Some((slug, true)) => format!(
                    "; did you mean `{slug}`? (`employer:` takes the employer's file name without .yaml, not its \
                     name)"
                ),
                None => String::new(),
            };
            let hint = format!("{hint}{}", crate::suggest::invisible(&e.value));
            diags.push(
                Diagnostic::new(&s.source_path, format!("unknown employer `{}`{hint}", e.value))
                    .field("employer")
                    .at_location(&e.referenced, 1),
            );
        }
        for (i, t) in s.themes.iter().enumerate() {
            // `themes: [culture, culture]` would list the story twice under its theme.
            if s.themes[..i].iter().any(|u| u.value == t.value) {
                diags.push(
                    Diagnostic::new(&s.source_path, format!("`{}` is listed twice in `themes`; keep one", t.value))
                        .field("themes")
                        .at_location(&t.referenced, 1),
                );
                continue;
            }
            // `hiring - outreach`: two items joined by an indent, told as that where it is written.
            let glued = t.value.contains(" - ") && t.value.split(" - ").all(|p| benchmarks.chapter(p.trim()).is_some());
            if benchmarks.chapter(&t.value).is_none() && !glued {
                let hint = crate::suggest::closest(&t.value, benchmarks.chapters.iter().map(|c| c.id.as_str()));
                diags.push(
                    Diagnostic::new(&s.source_path, format!("unknown toolkit chapter `{}`{hint}", t.value))
                        .field("themes")
                        .at_location(&t.referenced, 1),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sorted_by;
    use proptest::prelude::*;

    proptest! {
        /// The same order as the standard stable sort, ties included (the pair's second half
        /// tells equal keys apart).
        #[test]
        fn sorted_by_is_the_stable_sort(keys in proptest::collection::vec(0u8..8, 0..200)) {
            let items: Vec<(u8, usize)> = keys.into_iter().enumerate().map(|(i, k)| (k, i)).collect();
            let mut expected = items.clone();
            expected.sort_by_key(|b| std::cmp::Reverse(b.0));
            prop_assert_eq!(sorted_by(items, |a, b| b.0.cmp(&a.0)), expected);
        }
    }
}
