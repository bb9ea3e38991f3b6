//! `site.yaml`: the site's settings.

use crate::error::Diagnostic;
use crate::load::yaml;
use crate::model::brand;
use crate::model::safe_url::SafeUrl;
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Settings read from `site.yaml` at the root of a site.
#[derive(Debug, Clone, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// Shown in the header and the title of every page.
    pub title: String,
    /// Where the site will be published, e.g. `https://example.org/ladder/`. Every link is
    /// built from it, so the site also works from a sub-path.
    pub base_url: SafeUrl,
    /// BCP 47 language tag for `<html lang>`.
    #[serde(default = "default_language")]
    pub language: String,
    /// One-sentence description for the home page and feeds.
    #[serde(default)]
    pub description: String,
    /// Theme folder under `themes/`.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// No published figure may reveal a group smaller than this (and larger than zero).
    #[serde(default = "default_threshold")]
    pub anonymity_threshold: u32,
    /// Identifier of the benchmark set in `content/benchmarks/` that scorecards use.
    #[serde(default = "default_benchmark_set")]
    pub benchmark_set: String,
    /// Output folder, relative to the site root.
    #[serde(default = "default_output")]
    pub output_dir: String,
    /// Stories on each page of the story index (1 to 1000).
    #[serde(default = "default_per_page", deserialize_with = "per_page")]
    #[schemars(range(min = 1, max = 1000))]
    pub stories_per_page: usize,
    /// The sectors an employer may name, when the site has its own list (it replaces the
    /// benchmark set's, or the default list of broad sectors).
    #[serde(default)]
    pub sectors: Option<Vec<String>>,
    /// The site's own colour for links, buttons and social cards, as `#rrggbb`. It must read
    /// on the white page (a contrast of at least 4.5:1, as WCAG asks of text).
    #[serde(default)]
    pub accent: Option<String>,
    /// The colour for readers whose system is set to dark, as `#rrggbb`, light enough to read
    /// on the dark page; left out, a lighter shade of `accent` is used.
    #[serde(default)]
    pub accent_dark: Option<String>,
    /// A logo shown before the site's name in every page's header: a picture in the site's
    /// `static/` folder, written from the site's root as `/static/logo.svg`.
    #[serde(default)]
    pub logo: Option<String>,
    /// Where each setting was written, so checks made after reading (here, against the
    /// benchmark set, or against the themes on disk) can still name file, line and column.
    #[serde(skip)]
    #[schemars(skip)]
    pub spans: FieldSpans,
    /// Settings that could not be read, which stand at their defaults so that the content can
    /// still be checked: checks that compare them must not report the default's consequences.
    #[serde(skip)]
    #[schemars(skip)]
    pub unread: BTreeSet<String>,
}

/// `site.yaml` read leniently, after the strict read failed as a whole (a required setting
/// missing, or a mistake of syntax): every setting that can be read is kept.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Lenient {
    title: Option<String>,
    base_url: Option<SafeUrl>,
    language: Option<String>,
    description: Option<String>,
    theme: Option<String>,
    anonymity_threshold: Option<u32>,
    benchmark_set: Option<String>,
    output_dir: Option<String>,
    stories_per_page: Option<i128>,
    sectors: Option<Vec<String>>,
    accent: Option<String>,
    accent_dark: Option<String>,
    logo: Option<String>,
}

/// The file `site.yaml` was read from and the line and column of each top-level setting.
#[derive(Debug, Clone, Default)]
pub struct FieldSpans {
    file: PathBuf,
    at: BTreeMap<String, (u64, u64)>,
}

impl FieldSpans {
    fn read(file: &Path, text: &str) -> Self {
        // Entries that cannot be read are left out, so a mistake elsewhere leaves the rest placed.
        let values: BTreeMap<String, Spanned<serde::de::IgnoredAny>> =
            yaml::parse_all(file, text, 0).value.unwrap_or_default();
        let at = values.into_iter().map(|(k, v)| (k, (v.referenced.line(), v.referenced.column()))).collect();
        FieldSpans { file: file.to_path_buf(), at }
    }
}

/// The most stories one page of the story index may list.
pub const MAX_PER_PAGE: usize = 1000;

/// The address a site is published at is copied into every link, feed and sitemap entry, so it
/// must be a plain address: a query or fragment would break every link built from it, and a
/// user name and password would be published on every page.
pub fn check_base_url(url: &SafeUrl) -> Result<(), String> {
    let lower = url.to_ascii_lowercase();
    if !lower.starts_with("http://") && !lower.starts_with("https://") {
        return Err(format!(
            "`{url}` is only a path; give the site's whole address, e.g. https://example.org{url} \
             (the feed, the sitemap and social cards link to it in full)"
        ));
    }
    // An address copied from a browser's bar often ends in the page shown (`/sub/index.html`):
    // every link would then be built below that page.
    let last = url.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
    if !url.ends_with('/') && url.matches('/').count() > 2 && (last.ends_with(".html") || last.ends_with(".htm")) {
        let folder = &url[..url.len() - last.len()];
        return Err(format!(
            "`{url}` names a page, not the folder the site is published at; write {folder} (every link is built from it)"
        ));
    }
    let what = if url.contains('?') {
        "a query (`?...`)"
    } else if url.contains('#') {
        "a fragment (`#...`)"
    } else if url::Url::parse(url).is_ok_and(|u| !u.username().is_empty() || u.password().is_some()) {
        "a user name or password (`user:password@`), which every page would publish"
    } else {
        return Ok(());
    };
    Err(format!("`{url}` has {what}; the site's address must be a plain https://host/path/"))
}

fn default_per_page() -> usize {
    10
}

fn per_page_problem(n: impl std::fmt::Display) -> String {
    format!("stories_per_page must be between 1 and {MAX_PER_PAGE}, not {n}")
}

/// A count out of range is told as one: `-1` is not "a number of 0 or more" here but a number
/// of stories outside 1 to [`MAX_PER_PAGE`], like `0` or `5000`.
fn per_page<'de, D: serde::Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    let n = i128::deserialize(d)?;
    usize::try_from(n)
        .ok()
        .filter(|n| (1..=MAX_PER_PAGE).contains(n))
        .ok_or_else(|| serde::de::Error::custom(per_page_problem(n)))
}

fn default_language() -> String {
    "en-GB".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_threshold() -> u32 {
    10
}
fn default_benchmark_set() -> String {
    "smc-apprenticeships-2021".into()
}
fn default_output() -> String {
    "output".into()
}

impl SiteConfig {
    /// Parse and check `site.yaml`; `file` is the name used in messages.
    pub fn parse(file: &Path, text: &str) -> Result<Self, Vec<Diagnostic>> {
        let (cfg, problems) = Self::read(file, text);
        if problems.is_empty() { Ok(cfg) } else { Err(problems) }
    }

    /// Read and check `site.yaml`, reporting every problem of it. Settings that cannot be read
    /// take their defaults (and are listed in [`SiteConfig::unread`]), so a build can still read
    /// and check all the content and report its problems with these.
    pub fn read(file: &Path, text: &str) -> (Self, Vec<Diagnostic>) {
        let parsed = yaml::parse_all::<SiteConfig>(file, text, 0);
        let top = |path: &String| path.split(['.', '[']).next().unwrap_or_default().to_string();
        let mut unread: BTreeSet<String> = parsed.left_out.iter().map(top).collect();
        let mut problems = parsed.problems;
        let mut cfg = match parsed.value {
            Some(cfg) => cfg,
            None => {
                let lenient = yaml::parse_all::<Lenient>(file, text, 0).value.unwrap_or_default();
                let (cfg, defaulted) = Self::from_lenient(lenient);
                unread.extend(defaulted);
                cfg
            }
        };
        cfg.spans = FieldSpans::read(file, text);
        // A setting not written at all takes its default as usual: only what is written and
        // could not be read is unread.
        unread.retain(|setting| cfg.spans.at.contains_key(setting));
        cfg.unread = unread;
        let mut checks = Vec::new();
        // A title not written is reported missing by the read.
        if cfg.spans.at.contains_key("title") && cfg.was_read("title") && cfg.title.trim().is_empty() {
            checks.push(cfg.problem("title", "the title is empty"));
        }
        if cfg.anonymity_threshold < 2 {
            checks.push(
                cfg.problem("anonymity_threshold", "anonymity_threshold must be at least 2 (the toolkit uses 10)"),
            );
        }
        if let Some(why) = language_problem(&cfg.language) {
            checks.push(cfg.problem("language", why));
        }
        if !crate::slug::is_valid(&cfg.theme) {
            checks.push(cfg.problem("theme", "theme must be a folder name such as `default`"));
        }
        // One that could not be read, or is not written, is told so once (not as the default `/`).
        let written = cfg.was_read("base_url") && cfg.spans.at.contains_key("base_url");
        if let Err(why) = check_base_url(&cfg.base_url).or_else(|e| if written { Err(e) } else { Ok(()) }) {
            checks.push(cfg.problem("base_url", why));
        }
        // Two sectors joined by an indent (told as a misread of site.yaml) are each a sector to the
        // employers that name them, so the mistake is told once, where it is.
        if let Some(sectors) = cfg.sectors.take() {
            cfg.sectors = Some(unglued(sectors, text));
        }
        if cfg.sectors.as_ref().is_some_and(|s| s.iter().all(|s| s.trim().is_empty())) {
            checks.push(cfg.problem("sectors", "`sectors` lists no sector; list them, or leave `sectors` out"));
        } else if let Some(sectors) = &cfg.sectors {
            // Each told at the item it is about, not at `sectors:` (outside round 9 of issue 17).
            checks.extend(sector_list_problems(sectors).into_iter().map(|(why, item)| {
                let d = cfg.problem("sectors", why);
                match item.as_deref().and_then(|i| item_line(text, i)) {
                    Some((line, column)) => d.at(line, column),
                    None => d,
                }
            }));
        }
        if cfg.output_dir.trim().is_empty() {
            checks.push(cfg.problem("output_dir", "output_dir is empty; name a folder such as `output`"));
        } else if cfg.output_dir.chars().any(char::is_control) {
            checks.push(cfg.problem(
                "output_dir",
                "output_dir contains a control character (a NUL byte, a tab, a line break ...); name a \
                 folder such as `output`",
            ));
        }
        // `accent: #8a1d4e` unquoted is a YAML comment: the setting is written but empty.
        for field in ["accent", "accent_dark", "logo"] {
            let empty = match field {
                "accent" => cfg.accent.is_none(),
                "accent_dark" => cfg.accent_dark.is_none(),
                _ => cfg.logo.as_deref().is_none_or(|l| l.trim().is_empty()),
            };
            if empty && cfg.spans.at.contains_key(field) && cfg.was_read(field) {
                let why = if field == "logo" {
                    "logo is empty; name a picture in static/, e.g. /static/logo.svg, or leave the setting out".into()
                } else {
                    format!(
                        "{field} is empty; a `#` starts a comment in YAML, so write the colour in quotes \
                         (`{field}: \"#1d4e89\"`), or leave the setting out"
                    )
                };
                checks.push(cfg.problem(field, why));
            }
        }
        checks.extend(brand::problems(&cfg).into_iter().map(|(field, why)| cfg.problem(field, why)));
        problems.extend(checks);
        (cfg, problems)
    }

    /// Settings from a lenient read, with the defaults for what it could not read; also the
    /// names of the settings defaulted.
    fn from_lenient(l: Lenient) -> (Self, Vec<String>) {
        let mut defaulted = Vec::new();
        let mut or = |v: Option<String>, name: &str, default: fn() -> String| {
            v.unwrap_or_else(|| {
                defaulted.push(name.to_string());
                default()
            })
        };
        let title = or(l.title, "title", String::new);
        let language = or(l.language, "language", default_language);
        let description = or(l.description, "description", String::new);
        let theme = or(l.theme, "theme", default_theme);
        let benchmark_set = or(l.benchmark_set, "benchmark_set", default_benchmark_set);
        let output_dir = or(l.output_dir, "output_dir", default_output);
        let base_url = l.base_url.unwrap_or_else(|| {
            defaulted.push("base_url".into());
            SafeUrl::parse("/").expect("`/` is a path on the site")
        });
        let anonymity_threshold = l.anonymity_threshold.unwrap_or_else(|| {
            defaulted.push("anonymity_threshold".into());
            default_threshold()
        });
        let per_page =
            l.stories_per_page.and_then(|n| usize::try_from(n).ok()).filter(|n| (1..=MAX_PER_PAGE).contains(n));
        let stories_per_page = per_page.unwrap_or_else(|| {
            defaulted.push("stories_per_page".into());
            default_per_page()
        });
        let cfg = SiteConfig {
            title,
            base_url,
            language,
            description,
            theme,
            anonymity_threshold,
            benchmark_set,
            output_dir,
            stories_per_page,
            sectors: l.sectors,
            accent: l.accent,
            accent_dark: l.accent_dark,
            logo: l.logo,
            spans: FieldSpans::default(),
            unread: BTreeSet::new(),
        };
        (cfg, defaulted)
    }

    /// Whether `setting` was read from `site.yaml` (or left to its default there), rather than
    /// standing at its default because what was written could not be read.
    pub fn was_read(&self, setting: &str) -> bool {
        !self.unread.contains(setting)
    }

    /// A problem with one setting, pointing at where it is written (or at the file when the
    /// setting was left to its default).
    pub fn problem(&self, field: &str, message: impl Into<String>) -> Diagnostic {
        let file = if self.spans.file.as_os_str().is_empty() { Path::new("site.yaml") } else { &self.spans.file };
        let d = Diagnostic::new(file, message).field(field);
        match self.spans.at.get(field) {
            Some(&(line, column)) => d.at(line, column),
            None => d,
        }
    }

    /// The accent colours for the light and the dark page, when the site sets its own.
    pub fn accents(&self) -> Option<(String, String)> {
        brand::accents(self)
    }

    /// The logo's path below the site root (`static/logo.svg`), when the site has one.
    pub fn logo_path(&self) -> Option<String> {
        self.logo.as_deref().and_then(brand::logo_path)
    }

    /// The base URL with exactly one trailing slash.
    pub fn base(&self) -> String {
        format!("{}/", self.base_url.trim_end_matches('/'))
    }

    /// The path part of the base URL (`/ladder/`), for links that must work from a sub-path.
    pub fn base_path(&self) -> String {
        let without_scheme = self.base_url.split_once("://").map(|(_, r)| r).unwrap_or(self.base_url.as_str());
        let path = if self.base_url.contains("://") {
            without_scheme.find('/').map(|i| &without_scheme[i..]).unwrap_or("/")
        } else {
            without_scheme
        };
        format!("/{}/", path.trim_matches('/')).replace("//", "/")
    }
}

/// A site's own sector list: no blank entry, and no two sectors that would share a page
/// (`Retail` and `retail!` are both `/sectors/retail/`).
/// Why `language` is no language tag for `<html lang>` (`en-GB`, `cy`): a language's name
/// (`English`) is told its tag, anything else the form to write. Screen readers choose their
/// voice by it, and the HTML validator refuses a name.
fn language_problem(language: &str) -> Option<String> {
    let tag = |t: &str| {
        let mut parts = t.split('-');
        let first = parts.next().unwrap_or_default();
        (2..=3).contains(&first.len())
            && first.chars().all(|c| c.is_ascii_alphabetic())
            && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
    };
    if language.trim().is_empty() {
        return Some(
            "language is empty; write the site's language tag, such as `en-GB`, or leave the setting out".into(),
        );
    }
    // `en-UK`: a tag, but the United Kingdom's region code is GB.
    if let Some(lang) = language.strip_suffix("-UK").or_else(|| language.strip_suffix("-uk")) {
        return Some(format!(
            "the United Kingdom's region code in a language tag is GB, not UK: `language: {lang}-GB`"
        ));
    }
    if tag(language) {
        return None;
    }
    let named = [("english", "en-GB"), ("welsh", "cy"), ("cymraeg", "cy"), ("gaelic", "gd"), ("irish", "ga")];
    let known = named.iter().find(|(n, _)| language.trim().eq_ignore_ascii_case(n)).map(|(_, t)| *t);
    Some(match known {
        Some(t) => format!("`{language}` is a language's name; write its tag, `language: {t}`"),
        None => format!("`{language}` is not a language tag; write one such as `en-GB` (English, UK) or `cy` (Welsh)"),
    })
}

/// The sectors with each item that YAML joined from two lines (`- Retail` above a further
/// indented `- Rail` is one item, `Retail - Rail`) split back into the items written.
fn unglued(sectors: Vec<String>, text: &str) -> Vec<String> {
    let on_one_line = |item: &str| text.lines().any(|l| l.contains(item));
    sectors
        .into_iter()
        .flat_map(|s| {
            if s.contains(" - ") && !on_one_line(&s) {
                s.split(" - ").map(|p| p.trim().to_string()).collect()
            } else {
                vec![s]
            }
        })
        .collect()
}

/// Problems of the `sectors:` list, each with the item it is about (its second writing).
fn sector_list_problems(sectors: &[String]) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    if sectors.iter().any(|s| s.trim().is_empty()) {
        out.push(("`sectors` has a blank entry; remove it".to_string(), None));
    }
    let mut seen: std::collections::BTreeMap<String, &str> = std::collections::BTreeMap::new();
    for s in sectors.iter().filter(|s| !s.trim().is_empty()) {
        match seen.insert(crate::slug::slugify(s), s) {
            Some(first) if first == s => out.push((format!("`{s}` is listed twice; keep one"), Some(s.clone()))),
            Some(first) => {
                out.push((format!("`{first}` and `{s}` would share one sector page; keep one"), Some(s.clone())));
            }
            None => {}
        }
    }
    out
}

/// The line and column of the last list item written as `item` (`- Retail`, `- "Retail"`).
fn item_line(text: &str, item: &str) -> Option<(u64, u64)> {
    text.lines().collect::<Vec<_>>().into_iter().enumerate().rev().find_map(|(i, l)| {
        let body = l.trim_start();
        let value = body.strip_prefix("- ")?.split(" #").next()?.trim().trim_matches(['"', '\'']);
        (crate::slug::nfc(value) == crate::slug::nfc(item)).then(|| (i as u64 + 1, (l.len() - body.len()) as u64 + 3))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        SiteConfig::parse(Path::new("site.yaml"), text)
    }

    /// Outside round 7 of issue 17: `language: English` was accepted and written into every
    /// page's `<html lang>`, which screen readers and the HTML validator read as no language.
    #[test]
    fn a_language_name_is_told_its_tag() {
        let err = cfg("title: T\nbase_url: https://e.org/\nlanguage: English\n").unwrap_err();
        assert_eq!(
            err[0].to_string(),
            "site.yaml:3:11: error in `language`: `English` is a language's name; write its tag, `language: en-GB`"
        );
        assert!(cfg("title: T\nbase_url: https://e.org/\nlanguage: en_GB\n").is_err());
        // Outside round 8: `en-UK` (no such region) and an empty language are told what to write.
        let err = cfg("title: T\nbase_url: https://e.org/\nlanguage: en-UK\n").unwrap_err();
        assert!(err[0].message.ends_with("is GB, not UK: `language: en-GB`"), "{}", err[0]);
        let err = cfg("title: T\nbase_url: https://e.org/\nlanguage: \"\"\n").unwrap_err();
        assert!(err[0].message.starts_with("language is empty;"), "{}", err[0]);
        for ok in ["en", "en-GB", "cy", "gd-GB"] {
            assert!(cfg(&format!("title: T\nbase_url: https://e.org/\nlanguage: {ok}\n")).is_ok(), "{ok}");
        }
    }

    /// Found by the outside round 7 of issue 17: an address copied from the browser's bar,
    /// ending in `index.html`, was taken as the site's folder and broke every link.
    #[test]
    fn a_base_url_naming_a_page_is_refused_with_its_folder() {
        let problems = cfg("title: T\nbase_url: https://example.org/sub/index.html\n").unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0]
                .message
                .contains("names a page, not the folder the site is published at; write https://example.org/sub/"),
            "{problems:?}"
        );
        assert_eq!(problems[0].line, Some(2));
        assert!(cfg("title: T\nbase_url: https://example.org/docs.html.d/\n").is_ok());
    }

    #[test]
    fn defaults_apply() {
        let c = cfg("title: T\nbase_url: https://x.org/sub\n").unwrap();
        assert_eq!(c.anonymity_threshold, 10);
        assert_eq!(c.base(), "https://x.org/sub/");
        assert_eq!(c.base_path(), "/sub/");
    }

    #[test]
    fn a_sector_list_with_blanks_or_sectors_sharing_a_page_is_refused() {
        let e = cfg("title: T\nbase_url: https://x.org/\nsectors: [Retail, \"retail!\", \" \", Rail]\n").unwrap_err();
        let said: Vec<&str> = e.iter().map(|d| d.message.as_str()).collect();
        assert!(said.iter().any(|m| m.contains("blank entry")), "{said:?}");
        assert!(said.iter().any(|m| m.contains("`Retail` and `retail!` would share one sector page")), "{said:?}");
        assert!(cfg("title: T\nbase_url: https://x.org/\nsectors: [Retail, Rail]\n").is_ok());
        // Outside round 9 of issue 17: told at the second writing, not at `sectors:`.
        let e = cfg("title: T\nbase_url: https://x.org/\nsectors:\n  - Rail\n  - Café culture\n  - Cafe culture\n")
            .unwrap_err();
        assert_eq!((e[0].line, e[0].column), (Some(6), Some(5)), "{}", e[0]);
    }

    #[test]
    fn a_base_url_that_is_only_a_path_is_refused() {
        let e = cfg("title: T\nbase_url: /sub/\n").unwrap_err();
        assert_eq!(e[0].field.as_deref(), Some("base_url"));
        assert!(e[0].message.contains("only a path") && e[0].message.contains("https://example.org/sub/"), "{e:?}");
    }

    #[test]
    fn root_base_path() {
        let c = cfg("title: T\nbase_url: https://x.org\n").unwrap();
        assert_eq!(c.base_path(), "/");
    }

    #[test]
    fn typo_is_rejected() {
        let e = cfg("title: T\nbase_url: https://x.org/\ntheem: x\n").unwrap_err();
        assert_eq!(e[0].field.as_deref(), Some("theem"));
    }

    #[test]
    fn settings_that_cannot_be_read_take_their_defaults_and_the_rest_are_kept() {
        let (c, problems) = SiteConfig::read(
            Path::new("site.yaml"),
            "title: T\nbase_url: https://x.org/x/\nanonymity_threshold: many\nbenchmark_set: b\ntheme: [a]\n",
        );
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!((c.anonymity_threshold, c.theme.as_str(), c.benchmark_set.as_str()), (10, "default", "b"));
        assert!(!c.was_read("anonymity_threshold") && !c.was_read("theme") && c.was_read("benchmark_set"));
        // Without a title or address the settings are read one by one.
        let (c, problems) = SiteConfig::read(
            Path::new("site.yaml"),
            "base_url: https://x.org/x/\nstories_per_page: 0\nbenchmark_set: b\n",
        );
        let fields: Vec<Option<&str>> = problems.iter().map(|d| d.field.as_deref()).collect();
        assert_eq!(fields, [Some("stories_per_page"), Some("title")]);
        assert_eq!((c.base_url.as_str(), c.benchmark_set.as_str(), c.stories_per_page), ("https://x.org/x/", "b", 10));
        assert!(!c.was_read("stories_per_page") && c.was_read("title"));
    }

    #[test]
    fn threshold_below_two_is_rejected() {
        let e = cfg("title: T\nbase_url: https://x.org/\nanonymity_threshold: 1\n").unwrap_err();
        assert_eq!(e[0].field.as_deref(), Some("anonymity_threshold"));
    }
}
