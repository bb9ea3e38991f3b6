//! `ladder score FILE`: one employer's scorecard as it would be published.

use crate::cli::ScoreArgs;
use crate::error::Diagnostic;
use crate::model::benchmarks::BenchmarkSet;
use crate::model::config::SiteConfig;
use crate::privacy::{self, engine::Settings};
use crate::scoring::{self, Params, Scorecard};
use std::path::{Path, PathBuf};

pub fn run(a: ScoreArgs) -> i32 {
    match score_file(&a.file, a.site.as_deref()) {
        Ok((name, card)) => {
            if a.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({ "name": name, "scorecard": card }))
                        .unwrap_or_default()
                );
            } else {
                print!("{}", table(&name, &card));
            }
            0
        }
        Err(diags) => {
            for d in &diags {
                eprintln!("{d}");
            }
            1
        }
    }
}

/// The nearest folder at or above the file that holds a site.yaml.
fn find_site(file: &Path) -> Option<PathBuf> {
    let start = file.canonicalize().ok()?;
    start.ancestors().skip(1).find(|d| d.join("site.yaml").is_file()).map(Path::to_path_buf)
}

/// Parse one employer file against its site's settings and benchmark set, then publish and score it.
pub fn score_file(file: &Path, site: Option<&Path>) -> Result<(String, Scorecard), Vec<Diagnostic>> {
    // Said first: without it, a path mistyped reads as a site with no site.yaml.
    if !file.exists() {
        let hint = employer_file_named(file, site)
            .map(|f| format!("; did you mean {}?", f.display()))
            .unwrap_or_else(|| " (employer files are in content/employers/ of a site)".into());
        return Err(vec![Diagnostic::new(file, format!("there is no such file; check the path{hint}"))]);
    }
    if file.is_dir() {
        return Err(vec![Diagnostic::new(file, "this is a folder; name one employer file in it, such as its .yaml")]);
    }
    if let Some(kind) = not_an_employer_file(file) {
        return Err(vec![Diagnostic::new(
            file,
            format!(
                "this is {kind}, not an employer file: `ladder score` takes an employer file, such as \
                 content/employers/<name>.yaml"
            ),
        )]);
    }
    let root = site
        .map(Path::to_path_buf)
        .or_else(|| find_site(file))
        .ok_or_else(|| vec![Diagnostic::new(file, "no site.yaml found above this file; pass --site DIR")])?;
    let (config, set) = site_settings(&root)?;
    let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let text = crate::load::read_content(file, file).map_err(|d| vec![d])?;
    let (employer, figures) = crate::model::employer::parse(file, &stem, &text, &set, crate::site::this_year())?;
    let threshold = config.anonymity_threshold as u64;
    let publication = privacy::publish(figures, Settings::new(threshold));
    let card = scoring::score(&employer, &publication, &Params { benchmarks: &set, threshold });
    Ok((employer.name, card))
}

/// What a file that is plainly not an employer file is (a story, a page, the site's settings,
/// a benchmark set), told before it is read as one: read as one, its own fields are all wrong.
fn not_an_employer_file(file: &Path) -> Option<&'static str> {
    let ext = file.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let within = |folder: &str| {
        let parts: Vec<_> = file.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        parts.windows(2).any(|w| w[0] == "content" && w[1] == folder)
    };
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if matches!(ext.as_str(), "md" | "markdown") {
        return Some(if within("pages") {
            "a page"
        } else if within("stories") {
            "a story"
        } else {
            "a Markdown file"
        });
    }
    if matches!(name.as_str(), "site.yaml" | "site.yml") {
        return Some("the site's settings");
    }
    within("benchmarks").then_some("a benchmark set")
}

/// The employer file a path that does not exist most likely meant: a bare name
/// (`northgate-rail`) or a file name without its folder, in the site's content/employers/ (the
/// site given, or the one the current folder is in), as a path from the current folder.
fn employer_file_named(file: &Path, site: Option<&Path>) -> Option<PathBuf> {
    let here = std::env::current_dir().ok()?;
    let root = match site {
        Some(s) => s.to_path_buf(),
        None => here.ancestors().find(|d| d.join("site.yaml").is_file())?.to_path_buf(),
    };
    let name = file.file_name()?.to_string_lossy().into_owned();
    let stem = name.strip_suffix(".yaml").or_else(|| name.strip_suffix(".yml")).unwrap_or(&name);
    let folder = root.join("content/employers");
    let found = ["yaml", "yml"].iter().map(|ext| folder.join(format!("{stem}.{ext}"))).find(|f| f.is_file())?;
    let found_abs = found.canonicalize().unwrap_or(found.clone());
    let here_abs = here.canonicalize().unwrap_or(here);
    Some(found_abs.strip_prefix(&here_abs).map(Path::to_path_buf).unwrap_or(found))
}

/// A site's settings and its current benchmark set (for `score` and `import`).
pub(crate) fn site_settings(root: &Path) -> Result<(SiteConfig, BenchmarkSet), Vec<Diagnostic>> {
    // The same loading and checks as a build: size limits, UTF-8, symlinks, `.yml` too.
    let (sources, diags) = crate::load::load(root);
    let site_yaml = sources.site_yaml.ok_or_else(|| diags.0.clone())?;
    let config = SiteConfig::parse(&site_yaml.path, &site_yaml.read().map_err(|d| vec![d])?)?;
    let mut set = None;
    for f in &sources.benchmarks {
        let parsed = BenchmarkSet::parse(&f.path, &f.read().map_err(|d| vec![d])?)?;
        if parsed.id == config.benchmark_set {
            set = Some(parsed);
        }
    }
    let set = set.ok_or_else(|| {
        vec![config.problem("benchmark_set", format!("benchmark set `{}` not found", config.benchmark_set))]
    })?;
    Ok((config, set))
}

/// A readable terminal table.
pub fn table(name: &str, card: &Scorecard) -> String {
    let mut s = format!("{name}\n{}\n\n", card.headline.text);
    s.push_str(&format!("{:<20} {:<11} {}\n", "Category", "Period", "Result"));
    for r in &card.rows {
        let period = r.period.map(|p| p.to_string()).unwrap_or_else(|| "-".into());
        let prov = if r.provisional { " (provisional: low response)" } else { "" };
        s.push_str(&format!("{:<20} {:<11} {} {}{prov}\n", r.title, period, r.judgement.symbol(), r.judgement.text()));
    }
    s.push_str("\nRepresentation (working-class share of classified answers)\n");
    for dims in card.representation.values() {
        for d in dims {
            let share =
                d.working_class_share.map(|e| crate::scoring::stats::share_text(&e)).unwrap_or_else(|| "[c]".into());
            // The same wording as the page: never "66% vs 66% target" for 131 of 200.
            let rr = d.response_text.clone().unwrap_or_else(|| "[c]".into());
            s.push_str(&format!(
                "  {:<18} {:<11} n={:<6} share {:<22} response {:<20} {}\n",
                d.title,
                d.period.to_string(),
                d.cells.classified.to_string(),
                share,
                rr,
                d.judgement.text()
            ));
        }
    }
    s.push_str("\nOutcomes (working-class rate minus professional rate)\n");
    for dims in card.outcomes.values() {
        for d in dims {
            let gap = d
                .gap
                .map(|g| format!("{:+.1} points ({:+.1} to {:+.1})", g.value * 100.0, g.lo * 100.0, g.hi * 100.0))
                .unwrap_or_else(|| "[c]".into());
            let ratio = d.ratio_text.clone().map(|r| format!("ratio {r}")).unwrap_or_default();
            s.push_str(&format!(
                "  {:<18} {:<11} {:<32} {:<28} {}\n",
                d.title,
                d.period.to_string(),
                gap,
                ratio,
                d.judgement.text()
            ));
        }
    }
    s.push_str("\nPractices (self-reported)\n");
    for ch in &card.practices.chapters {
        s.push_str(&format!("  {:<24} {}\n", ch.title, ch.summary));
    }
    s
}
