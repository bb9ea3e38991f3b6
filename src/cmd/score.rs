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
        return Err(vec![Diagnostic::new(
            file,
            "there is no such file; check the path (employer files are in content/employers/ of a site)",
        )]);
    }
    if file.is_dir() {
        return Err(vec![Diagnostic::new(file, "this is a folder; name one employer file in it, such as its .yaml")]);
    }
    let root = site
        .map(Path::to_path_buf)
        .or_else(|| find_site(file))
        .ok_or_else(|| vec![Diagnostic::new(file, "no site.yaml found above this file; pass --site DIR")])?;
    let (config, set) = site_settings(&root)?;
    let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let text = crate::load::read_text(file, file).map_err(|d| vec![d])?;
    let (employer, figures) = crate::model::employer::parse(file, &stem, &text, &set, crate::site::this_year())?;
    let threshold = config.anonymity_threshold as u64;
    let publication = privacy::publish(figures, Settings::new(threshold));
    let card = scoring::score(&employer, &publication, &Params { benchmarks: &set, threshold });
    Ok((employer.name, card))
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
