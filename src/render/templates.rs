//! Tera 2 setup: the theme's templates, overridden by name by the site's own `templates/`.
//! The default theme is also compiled in, so a site without a `themes/` folder still builds.

use crate::error::Diagnostic;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use tera::{Context, Kwargs, State, Tera};

/// The default theme's templates, built into the binary.
const BUILTIN: &[(&str, &str)] = &[
    ("base.html", include_str!("../../themes/default/templates/base.html")),
    ("index.html", include_str!("../../themes/default/templates/index.html")),
    ("directory.html", include_str!("../../themes/default/templates/directory.html")),
    ("employer.html", include_str!("../../themes/default/templates/employer.html")),
    ("stories.html", include_str!("../../themes/default/templates/stories.html")),
    ("story.html", include_str!("../../themes/default/templates/story.html")),
    ("theme.html", include_str!("../../themes/default/templates/theme.html")),
    ("page.html", include_str!("../../themes/default/templates/page.html")),
    ("methodology.html", include_str!("../../themes/default/templates/methodology.html")),
    ("404.html", include_str!("../../themes/default/templates/404.html")),
    ("group.html", include_str!("../../themes/default/templates/group.html")),
    ("search.html", include_str!("../../themes/default/templates/search.html")),
    ("compare.html", include_str!("../../themes/default/templates/compare.html")),
    ("pager.html", include_str!("../../themes/default/templates/pager.html")),
    ("partials/judgement.html", include_str!("../../themes/default/templates/partials/judgement.html")),
];

/// The default theme's static files, built into the binary.
pub const BUILTIN_STATIC: &[(&str, &str)] = &[
    ("style.css", include_str!("../../themes/default/static/style.css")),
    ("site.js", include_str!("../../themes/default/static/site.js")),
    ("favicon.svg", include_str!("../../themes/default/static/favicon.svg")),
];

pub struct Templates {
    tera: Tera,
    /// Template name → file it came from, for error messages.
    origin: BTreeMap<String, PathBuf>,
    /// Template name → hash of its source and of every template it extends or includes.
    fingerprints: BTreeMap<String, u64>,
    /// Template name → the largest page it has rendered so far (up to [`MAX_START_BUFFER`]):
    /// each page's buffer starts that big, so a page is not copied over as its buffer grows
    /// (growing it was 2% of a 50,000-story build).
    sizes: BTreeMap<String, AtomicUsize>,
}

/// A page's buffer never starts larger than this, whatever one long page needed.
const MAX_START_BUFFER: usize = 256 * 1024;

/// Names a template refers to with `extends`, `include` or `import`.
fn references(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    for tag in source.split("{%").skip(1) {
        let tag = tag.trim_start().trim_start_matches('-').trim_start();
        if ["extends", "include", "import"].iter().any(|k| tag.starts_with(k))
            && let Some(name) = tag.split('"').nth(1)
        {
            out.push(name.to_string());
        }
    }
    out
}

fn fingerprints(sources: &BTreeMap<String, String>) -> BTreeMap<String, u64> {
    sources
        .keys()
        .map(|name| {
            // Walk the references so a change to base.html re-renders every page that extends it.
            let mut seen = std::collections::BTreeSet::new();
            let mut stack = vec![name.clone()];
            while let Some(n) = stack.pop() {
                if seen.insert(n.clone())
                    && let Some(src) = sources.get(&n)
                {
                    stack.extend(references(src));
                }
            }
            let parts: Vec<&[u8]> = seen
                .iter()
                .flat_map(|n| [n.as_bytes(), sources.get(n).map(|s| s.as_bytes()).unwrap_or_default()])
                .collect();
            (name.clone(), crate::cache::key(&parts))
        })
        .collect()
}

/// Every template under `dir`, named by its path below it (`partials/judgement.html`), so a
/// site or theme can override one partial alone.
fn read_dir(
    dir: &Path,
    origin: &mut BTreeMap<String, PathBuf>,
    out: &mut BTreeMap<String, String>,
    root: &Path,
) -> Vec<Diagnostic> {
    let (files, mut problems) =
        crate::load::read_tree(dir, root, |name| name.ends_with(".html") || name.ends_with(".xml"));
    for f in files {
        match String::from_utf8(f.bytes) {
            Ok(text) => {
                out.insert(f.name.clone(), text);
                origin.insert(f.name, f.path);
            }
            Err(_) => problems.push(Diagnostic::new(f.path, "cannot read template: it is not UTF-8 text")),
        }
    }
    problems
}

impl Templates {
    /// Built-in theme < `themes/<theme>/templates` < the site's `templates/`.
    pub fn load(root: &Path, config: &crate::model::config::SiteConfig) -> Result<Self, Vec<Diagnostic>> {
        let theme = config.theme.as_str();
        let mut sources: BTreeMap<String, String> = BTreeMap::new();
        let mut origin = BTreeMap::new();
        for (name, text) in BUILTIN {
            sources.insert(name.to_string(), text.to_string());
            origin.insert(name.to_string(), PathBuf::from(format!("themes/default/templates/{name}")));
        }
        let theme_dir = root.join("themes").join(theme);
        if theme != "default" && !theme_dir.is_dir() {
            // The themes there are (and the built-in `default`), to offer the nearest.
            let mut themes: Vec<String> = std::fs::read_dir(root.join("themes"))
                .map(|dir| {
                    dir.flatten()
                        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .filter(|n| !crate::load::is_system_file(n))
                        .collect()
                })
                .unwrap_or_default();
            themes.push("default".into());
            themes.sort();
            themes.dedup();
            let hint = crate::suggest::closest(theme, themes.iter().map(String::as_str));
            let list: Vec<String> = themes.iter().map(|t| format!("`{t}`")).collect();
            let there = match list.as_slice() {
                [one] => format!("the only theme is {one}"),
                _ => format!("the themes are {}", list.join(", ")),
            };
            return Err(vec![config.problem("theme", format!("theme `{theme}` not found in themes/{hint} ({there})"))]);
        }
        let mut problems = read_dir(&theme_dir.join("templates"), &mut origin, &mut sources, root);
        problems.extend(read_dir(&root.join("templates"), &mut origin, &mut sources, root));
        if !problems.is_empty() {
            return Err(problems);
        }
        Self::compile(sources, origin)
    }

    /// The built-in theme alone: what a build with problems renders with to check the content's
    /// links when the site's own templates cannot render its pages (a link to a page is not
    /// dead because a template has a mistake).
    pub fn built_in() -> Result<Self, Vec<Diagnostic>> {
        let sources = BUILTIN.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
        let origin = BUILTIN
            .iter()
            .map(|(n, _)| (n.to_string(), PathBuf::from(format!("themes/default/templates/{n}"))))
            .collect();
        Self::compile(sources, origin)
    }

    fn compile(sources: BTreeMap<String, String>, origin: BTreeMap<String, PathBuf>) -> Result<Self, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        // Autoescape stays on for HTML and XML: content never reaches a page unescaped unless
        // it went through the Markdown sanitiser first.
        tera.autoescape_on(vec![".html", ".xml"]);
        register_filters(&mut tera);
        tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str()))).map_err(|e| {
            let name = e.to_string();
            let file = origin
                .iter()
                .find(|(n, _)| name.contains(n.as_str()))
                .map(|(_, p)| p.clone())
                .unwrap_or_else(|| PathBuf::from("templates"));
            vec![located(Diagnostic::new(file, "template error"), &chain(&e))]
        })?;
        let fingerprints = fingerprints(&sources);
        let sizes = sources.keys().map(|n| (n.clone(), AtomicUsize::new(0))).collect();
        Ok(Templates { tera, origin, fingerprints, sizes })
    }

    /// Changes when the template or anything it builds on changes.
    pub fn fingerprint(&self, name: &str) -> u64 {
        self.fingerprints.get(name).copied().unwrap_or(0)
    }

    /// Render one template into the bytes of a page; failures name the template and what went
    /// wrong.
    pub fn render(&self, name: &str, ctx: &Context) -> Result<Vec<u8>, Diagnostic> {
        let largest = self.sizes.get(name);
        let mut out = Vec::with_capacity(largest.map_or(0, |s| s.load(Ordering::Relaxed)));
        self.tera.render_to(name, ctx, &mut out).map_err(|e| {
            let report = chain(&e);
            // The mistake may lie in a template this one includes (`partials/judgement.html`,
            // overridden by the site): told in that file, where Tera places it.
            let inner = where_in(&report).map(|(t, ..)| t).filter(|t| self.origin.contains_key(t.as_str()));
            let at = inner.unwrap_or_else(|| name.to_string());
            let file = self.origin.get(&at).cloned().unwrap_or_else(|| PathBuf::from(&at));
            let what = if at == name {
                format!("template `{name}` failed to render")
            } else {
                format!("template `{at}` (in `{name}`) failed to render")
            };
            located(Diagnostic::new(file, what), &report)
        })?;
        if let Some(s) = largest {
            s.fetch_max(out.len().min(MAX_START_BUFFER), Ordering::Relaxed);
        }
        Ok(out)
    }
}

/// Tera reports `--> name:line:col` under its message; lift the position into the diagnostic
/// and keep the message's first line.
fn located(mut d: Diagnostic, report: &str) -> Diagnostic {
    let first = report.lines().next().unwrap_or(report).trim().trim_start_matches("error: ");
    d.message = format!("{}: {first}", d.message);
    if let Some((_, line, col)) = where_in(report) {
        d = d.at(line, col);
    }
    d
}

/// The template, line and column of Tera's `--> name:line:col`.
fn where_in(report: &str) -> Option<(String, u64, u64)> {
    report.lines().find_map(|l| l.trim().strip_prefix("--> ")).and_then(|loc| {
        let mut parts = loc.rsplitn(3, ':');
        let col = parts.next()?.parse().ok()?;
        let line = parts.next()?.parse().ok()?;
        Some((parts.next()?.to_string(), line, col))
    })
}

fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

fn register_filters(tera: &mut Tera) {
    // Whole percentages for reading at a glance; one decimal for intervals.
    tera.register_filter("pct", |x: f64, _: Kwargs, _: &State| format!("{:.0}%", x * 100.0));
    tera.register_filter("pct1", |x: f64, _: Kwargs, _: &State| format!("{:.1}%", x * 100.0));
    // A share with its interval, `{{ e | share }}`: decimals where whole percent would print the
    // share outside its own interval (see scoring::stats::share_parts).
    tera.register_filter("share", |e: &tera::Value, _: Kwargs, _: &State| {
        let get = |k: &str| e.get_from_path(k).and_then(|v| v.as_f64()).unwrap_or(f64::NAN);
        crate::scoring::stats::share_text(&crate::scoring::stats::Estimate {
            value: get("value"),
            lo: get("lo"),
            hi: get("hi"),
        })
    });
    tera.register_filter("pp", |x: f64, _: Kwargs, _: &State| {
        let v = x * 100.0;
        let v = if v.abs() < 0.05 { 0.0 } else { v };
        format!("{v:+.1}")
    });
}

/// Render a template with a context built from a serialisable view.
pub fn context<T: serde::Serialize>(view: &T) -> Context {
    Context::from_serialize(view).unwrap_or_default()
}
