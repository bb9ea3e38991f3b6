//! The pipeline in one place: load → parse/model → privacy → score → render → write.

use crate::cache::Memo;
use crate::error::{BuildError, Diagnostic, Diagnostics};
use crate::load;
use crate::model::ModelMemo;
use crate::model::{self, ModelOptions, Site};
use crate::output::OutputFile;
use crate::output::staging::Staging;
use crate::privacy::{self, Publication, engine::Settings};
use crate::progress::Progress;
use crate::render::RenderMemo;
use crate::render::templates::{BUILTIN_STATIC, Templates};
use crate::render::{Renderer, Scored, Sink};
use crate::scoring::{self, Params, Scorecard};
use rayon::prelude::*;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

pub use crate::options::{BuildOptions, BuildReport, StageTiming, this_year};

/// The process's peak resident set so far (Linux: `VmHWM` of /proc/self/status; elsewhere none).
fn peak_rss() -> Option<u64> {
    let bytes = load::read_regular(Path::new("/proc/self/status"), 1 << 20).ok()?;
    let status = String::from_utf8(bytes).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.trim_start_matches("VmHWM:").trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kb * 1024)
}

/// A validated, scored and rendered site, not yet written.
/// The guard's verdict on `site.yaml`'s `output_dir` (never given on the command line).
fn site_output_dir(root: &Path, output: &Path) -> Result<(), String> {
    crate::output::guard::check_output(root, output, false).map_err(|e| e.to_string())
}

/// All memos of one site, kept by `ladder serve` between rebuilds: each stage's own.
#[derive(Default)]
pub struct BuildCache {
    pub model: ModelMemo,
    /// Each employer's publication and scorecard, keyed by its parsed value and the settings.
    pub scored: Memo<(Publication, Scorecard)>,
    pub render: RenderMemo,
}

impl BuildCache {
    /// No memo at all: a one-shot build keeps nothing it will not use again.
    pub fn off() -> Self {
        BuildCache { model: ModelMemo::off(), scored: Memo::off(), render: RenderMemo::off() }
    }

    pub fn enabled(&self) -> bool {
        self.scored.enabled()
    }

    /// Call before each build: drops what the previous build did not use.
    pub fn begin(&self) {
        self.model.sweep();
        self.scored.sweep();
        self.render.sweep();
    }
}

pub struct Built {
    pub files: Vec<OutputFile>,
    pub report: BuildReport,
}

/// Load, validate, score and render into memory; nothing is written. `ladder check` stops
/// here (with [`BuildCache::off`]); the dev server passes the memos it keeps, so a rebuild reuses
/// whatever was computed from unchanged inputs. Files come back sorted by path.
pub fn prepare(opts: &BuildOptions, cache: &BuildCache, progress: &dyn Progress) -> Result<Built, BuildError> {
    let files = Mutex::new(Vec::new());
    let sink = |f: OutputFile| -> anyhow::Result<()> {
        files.lock().expect("files lock").push(f);
        Ok(())
    };
    let (report, _) = run(opts, cache, progress, Target::Memory(&sink))?;
    let mut files = files.into_inner().expect("files lock");
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Built { files, report })
}

/// Build the site into its output folder, telling `progress` about each stage (`&Silent` for
/// nothing). Pages are written into a staging folder as they are rendered, and the folder is
/// swapped in only when everything succeeded; a site whose inputs did not change since the last
/// build is not built again.
pub fn build(opts: &BuildOptions, progress: &dyn Progress) -> Result<BuildReport, BuildError> {
    // Fingerprinted before anything is read, so an edit made during the build is seen next time.
    // The inputs' fingerprint and the walk of the content folders read no content, so they run
    // at once, one on each core (both walk every input folder; at 50,000 stories each takes a
    // few hundred milliseconds that would otherwise leave a core idle).
    let (fresh, loaded) = rayon::join(|| crate::output::freshness::check(opts), || load::load(&opts.root));
    let pending = match fresh {
        Ok(report) => {
            progress.finish();
            return Ok(report);
        }
        Err(stale) => stale.pending,
    };
    let result = run_loaded(opts, &BuildCache::off(), progress, Target::Disk, Some(loaded));
    progress.finish();
    let (report, written) = result?;
    if let Some(pending) = pending {
        crate::output::freshness::record(pending, &report, written);
    }
    Ok(report)
}

enum Target<'a> {
    Memory(&'a Sink<'a>),
    Disk,
}

/// The pipeline: load → parse and validate → privacy and scoring → render (→ write).
fn run(
    opts: &BuildOptions,
    cache: &BuildCache,
    progress: &dyn Progress,
    target: Target<'_>,
) -> Result<(BuildReport, Vec<crate::output::freshness::Entry>), BuildError> {
    run_loaded(opts, cache, progress, target, None)
}

/// [`run`], given the walk of the site's folders when it was taken already.
fn run_loaded(
    opts: &BuildOptions,
    cache: &BuildCache,
    progress: &dyn Progress,
    target: Target<'_>,
    loaded: Option<(load::Sources, Diagnostics)>,
) -> Result<(BuildReport, Vec<crate::output::freshness::Entry>), BuildError> {
    cache.begin();
    progress.stage("load");
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |stage: &'static str, timings: &mut Vec<StageTiming>| {
        timings.push(StageTiming { stage, took: clock.elapsed(), peak_rss: peak_rss() });
        clock = Instant::now();
    };
    let (sources, mut diags) = loaded.unwrap_or_else(|| load::load(&opts.root));
    lap("load", &mut timings);
    progress.stage("validate");
    let model_opts = ModelOptions {
        drafts: opts.drafts,
        base_url: opts.base_url.clone(),
        current_year: opts.current_year.unwrap_or_else(this_year),
        // Where a build writes is checked with the settings, so a refused `output_dir` is
        // reported at its line along with every other problem: by `check` and `serve` too,
        // which write nothing there but must not pass what `build` refuses.
        output_guard: opts.output.is_none().then(|| (opts.root.clone(), site_output_dir as model::OutputCheck)),
    };
    let site_yaml = sources.site_yaml.clone();
    let (site, problems) = model::build_partial(sources, &model_opts, &cache.model);
    diags.extend(problems.0);
    let Some(mut site) = site else {
        // The theme and templates are still checked, so one run shows every problem.
        if let Some(f) = site_yaml
            && let Ok(text) = f.read()
        {
            let (config, _) = crate::model::config::SiteConfig::read(&f.path, &text);
            if let Err(problems) = Templates::load(&opts.root, &config) {
                diags.extend(problems);
            }
        }
        return Err(diags.into());
    };
    let templates = match Templates::load(&opts.root, &site.config) {
        Ok(t) => Some(t),
        Err(problems) => {
            diags.extend(problems);
            None
        }
    };
    let Some(templates) = templates.filter(|_| diags.is_empty()) else {
        // Nothing is published, but the later stages still run in memory on what could be read
        // (with the built-in theme if the site's cannot be loaded), so the problems only they
        // find (a picture that cannot be decoded, a link to a file the build does not write) are
        // reported in this run too, not after the others are put right.
        let later = later_problems(opts, cache, &mut site, &diags);
        diags.extend(later);
        return Err(diags.into());
    };
    let site = site;
    lap("parse and validate", &mut timings);
    progress.stage("score");
    let mut site = site;
    let results = score_all(&mut site, cache);
    let (scored, publications) = attach(&site, results);
    lap("privacy and scoring", &mut timings);
    let output = crate::output::guard::output_folder(&opts.root, opts.output.as_deref(), &site.config.output_dir);
    let staging = match target {
        Target::Disk => {
            // Checked again here, just before anything is written (the folder may have changed).
            crate::output::guard::check_output(&opts.root, &output, opts.output.is_some()).map_err(|e| {
                match opts.output {
                    Some(_) => BuildError::Io(e.into()),
                    None => BuildError::Content(vec![model::output_dir_problem(&site.config, &e.to_string())]),
                }
            })?;
            Some(Staging::new(&output)?)
        }
        Target::Memory(_) => None,
    };
    let pages = AtomicUsize::new(0);
    // Every path written, for the check of the content's links to the site (only kept when
    // some content links to it).
    let links_to_check = !model::content_links(&site.employers, &site.stories, &site.pages).is_empty();
    let built = Mutex::new(std::collections::HashSet::new());
    let sink = |f: OutputFile| -> anyhow::Result<()> {
        if f.path.ends_with(".html") {
            pages.fetch_add(1, Ordering::Relaxed);
        }
        if links_to_check {
            built.lock().expect("built lock").insert(f.path.clone());
        }
        match (&target, &staging) {
            (Target::Memory(s), _) => s(f),
            (Target::Disk, Some(st)) => st.put(&f),
            (Target::Disk, None) => unreachable!("a disk build always has a staging folder"),
        }
    };
    // The files beside stories first: their pictures' widths are written into the story pages.
    let image_cache = crate::output::images::cache_dir(&output);
    let image_cache = crate::output::images::Cache { dir: &image_cache, write: true };
    // A picture that cannot be published stops the build, but after the pages are rendered (in
    // the staging folder, dropped), so the links' problems are reported in the same run.
    let (images, picture_problems) = crate::output::images::publish(&site.stories, &image_cache, &sink);
    lap("story pictures", &mut timings);
    progress.stage("render");
    let cards_cache = crate::output::cards::cache_dir(&output);
    let mut renderer = Renderer::new(&site, &scored, &templates, &cache.render).with_images(&images);
    // Social cards are drawn for the output folder only: `check` writes nothing, and the dev
    // server's pages name them without drawing them on every rebuild.
    if matches!(target, Target::Disk) {
        renderer = renderer.with_cards(crate::output::images::Cache { dir: &cards_cache, write: true });
    }
    let mut files = match renderer.render_all(progress, &sink, &publications) {
        Ok(files) => files,
        // A template's mistake: the content's links are checked too, against the pages the
        // built-in theme writes in its place, so they are told in the same run, not after the
        // template is put right.
        Err(BuildError::Content(found)) if found.iter().any(is_template_problem) => {
            let record = |f: OutputFile| -> anyhow::Result<()> {
                built.lock().expect("built lock").insert(f.path);
                Ok(())
            };
            render_built_in(&site, &scored, &publications, &images, cache, &record);
            static_files(&opts.root, &site.config)?.into_iter().for_each(|f| drop(record(f)));
            let mut all = found;
            all.extend(picture_problems.0);
            all.extend(site.check_links_built(&built.into_inner().expect("built lock")));
            return Err(Diagnostics(all).into());
        }
        Err(e) => return Err(e),
    };
    let cards = *renderer.cards_drawn.lock().expect("cards lock");
    files += images.files;
    let statics = static_files(&opts.root, &site.config).map_err(BuildError::from)?;
    let mut logo: Vec<Diagnostic> = logo_problem(&site.config, &statics).into_iter().collect();
    logo.extend(employer_logo_problems(&site, &statics));
    for f in statics {
        sink(f)?;
        files += 1;
    }
    // Links are checked against every file written, static files included: the staging folder
    // is dropped (and the output left as it was) when one points nowhere.
    let mut dangling = site.check_links_built(&built.into_inner().expect("built lock"));
    dangling.extend(logo);
    if !dangling.is_empty() || !picture_problems.is_empty() {
        let mut problems = picture_problems.0;
        problems.extend(dangling);
        return Err(Diagnostics(problems).into());
    }
    lap("render and write", &mut timings);
    let mut written = Vec::new();
    if let Some(st) = staging {
        progress.stage("swap");
        written = st.commit(&output)?;
        lap("swap", &mut timings);
    }
    let report = BuildReport {
        output,
        files,
        pages: pages.into_inner(),
        employers: site.employers.len(),
        stories: site.stories.len(),
        timings,
        up_to_date: false,
        images_encoded: images.encoded,
        images_cached: images.cached,
        cards_drawn: cards.drawn,
        cards_cached: cards.cached,
    };
    if opts.exits_after {
        std::mem::forget(renderer);
        std::mem::forget(scored);
        std::mem::forget(site);
        std::mem::forget(templates);
    }
    Ok((report, written))
}

/// The problems a build finds after the model (pictures that cannot be published, template
/// errors while rendering, links to files it does not write), found by rendering `site` (what
/// could be read of a site with `found` problems) into memory. A link to the page of a file
/// that has a problem of its own is not reported: the page is only missing because the file is.
fn later_problems(opts: &BuildOptions, cache: &BuildCache, site: &mut Site, found: &Diagnostics) -> Vec<Diagnostic> {
    // A site's templates that cannot be loaded give way to the theme's, then to the built-in
    // theme: the content's links are checked whatever the templates' mistakes.
    let templates = Templates::load(&opts.root, &site.config)
        .or_else(|_| {
            let mut config = site.config.clone();
            config.theme = "default".into();
            Templates::load(&opts.root, &config)
        })
        .or_else(|_| Templates::built_in());
    let mut problems = Vec::new();
    let built = Mutex::new(std::collections::HashSet::new());
    let sink = |f: OutputFile| -> anyhow::Result<()> {
        built.lock().expect("built lock").insert(f.path);
        Ok(())
    };
    let output = crate::output::guard::output_folder(&opts.root, opts.output.as_deref(), &site.config.output_dir);
    let image_cache = crate::output::images::cache_dir(&output);
    let image_cache = crate::output::images::Cache { dir: &image_cache, write: false };
    let (images, pictures) = crate::output::images::publish(&site.stories, &image_cache, &sink);
    problems.extend(pictures.0);
    // The pictures beside stories read only in part are not published, but checked.
    problems.extend(crate::output::images::publish(&site.partly_read.stories, &image_cache, &sink).1.0);
    let Ok(templates) = templates else { return problems };
    let results = score_all(site, cache);
    let (scored, publications) = attach(site, results);
    let renderer = Renderer::new(site, &scored, &templates, &cache.render).with_images(&images);
    match renderer.render_all(&crate::progress::Silent, &sink, &publications) {
        Ok(_) => {}
        Err(BuildError::Content(d)) => {
            problems.extend(d);
            // Only a template's mistake leaves pages unwritten; a story too deep to build is
            // not rendered twice.
            if problems.iter().any(is_template_problem) {
                render_built_in(site, &scored, &publications, &images, cache, &sink);
            }
        }
        Err(BuildError::Io(_)) => return problems,
    }
    let site: &Site = site;
    match static_files(&opts.root, &site.config) {
        Ok(files) => {
            problems.extend(logo_problem(&site.config, &files));
            problems.extend(employer_logo_problems(site, &files));
            files.into_iter().for_each(|f| drop(sink(f)));
        }
        Err(d) => problems.extend(d.0),
    }
    // The pages of files with problems of their own (`content/employers/x.yaml` makes
    // `employers/x/`) are not written: links to them are not reported again.
    // One entry per file, not per problem: a story with 20,000 problems of its own made this
    // check quadratic (issue 17, round 7: `check` ran for more than ten minutes).
    let unsure: std::collections::BTreeSet<String> = found
        .0
        .iter()
        .filter_map(|d| {
            let path = d.file.strip_prefix("content").ok()?.to_string_lossy().replace('\\', "/");
            let path = path.strip_suffix("/index.md").map_or(path.clone(), |p| format!("{p}.md"));
            crate::model::links::source_page(&path)
        })
        // A link to a draft is told so, whatever the draft's own problems.
        .filter(|page| !site.drafts.contains(page))
        .collect();
    let dangling = site.check_links_built(&built.into_inner().expect("built lock"));
    // Nor are links already reported (an `@/` link to a file that does not exist): the same
    // link on the same line (a raw `<img src>` is placed at its tag by one check and at its
    // address by another). Another problem there (`![](/static/gone.png)` has no words)
    // hides nothing.
    let placed = |d: &Diagnostic| {
        let link = d.message.strip_prefix('`').and_then(|m| m.split('`').next()).map(str::to_string);
        (d.file.clone(), d.line, link)
    };
    let reported: std::collections::HashSet<_> = found.0.iter().map(placed).collect();
    // The page itself (`/stories/x/`, `/stories/x`, `/stories/x/#top`), not what lies below it
    // (`/stories/x/sub/`, which no file with problems explains).
    // An employer with a problem of its own (`region: Northwest`) is left out of the sector,
    // region and size pages: a link to one of them may be missing because of it (round 11).
    let employer_left_out = found.0.iter().any(|d| d.file.starts_with("content/employers"));
    let group_page = |path: &str| ["sectors/", "regions/", "sizes/"].iter().any(|g| path.starts_with(g));
    let about_unsure = |d: &Diagnostic| {
        d.message.match_indices(" /").any(|(at, _)| {
            let said = &d.message[at + 2..];
            let path = &said[..said.find([';', ',', ' ']).unwrap_or(0)];
            !path.is_empty()
                && (unsure.contains(path)
                    || unsure.contains(&format!("{path}/"))
                    || (employer_left_out && group_page(path)))
        })
    };
    problems.extend(dangling.into_iter().filter(|d| !reported.contains(&placed(d)) && !about_unsure(d)));
    problems
}

/// Publish (suppress) and score every employer; the one place raw counts meet privacy. The
/// site's raw counts are taken out of it and consumed by `privacy::publish`, so what follows
/// (scoring, rendering, data files) sees only each employer's publication.
pub fn score_all(site: &mut Site, cache: &BuildCache) -> Vec<(Publication, Scorecard)> {
    let threshold = site.config.anonymity_threshold as u64;
    let figures = site.take_figures();
    let params = Params { benchmarks: &site.benchmarks, threshold };
    // Read once per build, not per employer (the audit mode comes from the environment).
    let privacy_settings = Settings::new(threshold);
    // The benchmark set's Debug form covers every constant scoring reads.
    let settings_key =
        if cache.enabled() { format!("{privacy_settings:?}|{:?}", site.benchmarks) } else { String::new() };
    site.employers
        .par_iter()
        .zip(figures.into_par_iter())
        .with_max_len(crate::PIECE)
        .map(|(e, f)| {
            // Keys cost a Debug dump of the employer; only worth it when something is remembered.
            let k = if cache.enabled() {
                crate::cache::key(&[settings_key.as_bytes(), format!("{e:?}|{f:?}").as_bytes()])
            } else {
                0
            };
            cache.scored.compute(k, || {
                let publication = privacy::publish(f, privacy_settings);
                let card = scoring::score(e, &publication, &params);
                (publication, card)
            })
        })
        .collect()
}

/// Pair each employer with its scorecard, in site order; the publications keep the same order.
fn attach(site: &Site, results: Vec<(Publication, Scorecard)>) -> (Vec<Scored<'_>>, Vec<Publication>) {
    site.employers
        .iter()
        .zip(results)
        .map(|(employer, (publication, card))| (Scored { employer, card }, publication))
        .unzip()
}

/// The logo `site.yaml` names must be one of the static files published (a malformed path is
/// told by the settings' own check).
fn logo_problem(config: &model::config::SiteConfig, statics: &[OutputFile]) -> Option<Diagnostic> {
    let path = config.logo_path()?;
    let why = match statics.iter().find(|f| f.path == path) {
        None => {
            format!("there is no file {path} in the site (nor in the theme's static/ folder); put the picture there")
        }
        Some(f) => crate::model::brand::picture_problem(&path, &f.bytes)?,
    };
    Some(config.problem("logo", why))
}

/// The site's pages rendered with the built-in theme into `sink`, when a template's mistake left
/// some unwritten: so a link to one of them is not told as dead because of the template. Its own
/// result says nothing of the content (the template's problems are told already).
fn render_built_in(
    site: &Site,
    scored: &[Scored<'_>],
    publications: &[Publication],
    images: &crate::output::images::Images,
    cache: &BuildCache,
    sink: &Sink<'_>,
) {
    if let Ok(plain) = Templates::built_in() {
        let renderer = Renderer::new(site, scored, &plain, &cache.render).with_images(images);
        renderer.render_all(&crate::progress::Silent, sink, publications).ok();
    }
}

/// Whether a problem of rendering is a template's (it failed to load or to render a page),
/// not a page's own (a story too deep to build).
fn is_template_problem(d: &Diagnostic) -> bool {
    d.message.starts_with("template ")
}

/// Employers' logos in `static/` that are no picture a browser shows (an empty file, a style
/// sheet, a web page saved as `.svg`), told at their `logo:` line as the site's logo is.
fn employer_logo_problems(site: &Site, statics: &[OutputFile]) -> Vec<Diagnostic> {
    let base = site.config.base_path();
    site.employers
        .iter()
        .map(|e| (&e.logo, &e.field_links))
        .filter_map(|(logo, links)| {
            let path = logo.as_ref()?.as_str().strip_prefix(&base)?;
            let file = statics.iter().find(|f| f.path == path)?;
            let why = crate::model::brand::picture_problem(path, &file.bytes)?;
            let place = links.links.iter().find(|l| l.target.as_deref() == Some(path));
            let d = Diagnostic::new(&links.file, why).field("logo");
            Some(match place {
                Some(l) => d.at(l.line, l.column),
                None => d,
            })
        })
        .collect()
}

/// The theme's static files (built-in default first), then the site's own `static/`.
fn static_files(root: &Path, config: &crate::model::config::SiteConfig) -> Result<Vec<OutputFile>, Diagnostics> {
    let mut files: std::collections::BTreeMap<String, Vec<u8>> =
        BUILTIN_STATIC.iter().map(|(n, t)| (format!("static/{n}"), t.as_bytes().to_vec())).collect();
    let mut diags = Diagnostics::default();
    let mut sheets = Vec::new();
    for dir in [root.join("themes").join(&config.theme).join("static"), root.join("static")] {
        // Hidden and system files (`.DS_Store`, `.git/`, `Thumbs.db`, `~$notes.docx`) are not published.
        let (found, problems) = load::read_tree(&dir, root, |name| !load::holds_system_file(name));
        diags.extend(problems);
        for f in found {
            // A picture put here by hand is published without its metadata (GPS position).
            match crate::output::strip::published(f.bytes) {
                Ok(bytes) => {
                    if f.name.to_ascii_lowercase().ends_with(".css") {
                        sheets.push((format!("static/{}", f.name), f.path.clone()));
                    }
                    files.insert(format!("static/{}", f.name), bytes);
                }
                Err(why) => diags.push(Diagnostic::new(f.path, why)),
            }
        }
    }
    // A style sheet's addresses from the host's root get the base path, as Markdown links do.
    let base_path = config.base_path();
    for (name, source) in sheets {
        let Some(text) = files
            .get(&name)
            .and_then(|b| std::str::from_utf8(b).ok())
            .filter(|t| t.contains("url(") || t.contains("URL("))
        else {
            continue;
        };
        let (text, dead) = crate::output::css::with_base(text, &base_path, &|p| files.contains_key(p));
        for (line, column, address) in dead {
            let message = format!("`{address}` points to no file of the site: the build writes nothing at {address}");
            diags.push(Diagnostic::new(&source, message).at(line, column));
        }
        files.insert(name, text.into_bytes());
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    Ok(files.into_iter().map(|(path, bytes)| OutputFile { path, bytes }).collect())
}
