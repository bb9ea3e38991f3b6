//! `site.yaml`: the site's settings.

use crate::error::Diagnostic;
use crate::parse::yaml;
use crate::safe_url::SafeUrl;
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::BTreeMap;
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
    /// Where each setting was written, so checks made after reading (here, against the
    /// benchmark set, or against the themes on disk) can still name file, line and column.
    #[serde(skip)]
    #[schemars(skip)]
    pub spans: FieldSpans,
}

/// The file `site.yaml` was read from and the line and column of each top-level setting.
#[derive(Debug, Clone, Default)]
pub struct FieldSpans {
    file: PathBuf,
    at: BTreeMap<String, (u64, u64)>,
}

impl FieldSpans {
    fn read(file: &Path, text: &str) -> Self {
        // A second, untyped read of a small file: it cannot fail where the typed read passed.
        let values: BTreeMap<String, Spanned<serde::de::IgnoredAny>> = yaml::parse(file, text, 0).unwrap_or_default();
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
        // Every problem of the file at once, not only the first.
        let mut cfg: SiteConfig = yaml::parse_all(file, text, 0).into_result()?;
        cfg.spans = FieldSpans::read(file, text);
        let mut problems = Vec::new();
        if cfg.title.trim().is_empty() {
            problems.push(cfg.problem("title", "the title is empty"));
        }
        if cfg.anonymity_threshold < 2 {
            problems.push(
                cfg.problem("anonymity_threshold", "anonymity_threshold must be at least 2 (the toolkit uses 10)"),
            );
        }
        if !crate::slug::is_valid(&cfg.theme) {
            problems.push(cfg.problem("theme", "theme must be a folder name such as `default`"));
        }
        if let Err(why) = check_base_url(&cfg.base_url) {
            problems.push(cfg.problem("base_url", why));
        }
        if cfg.output_dir.trim().is_empty() {
            problems.push(cfg.problem("output_dir", "output_dir is empty; name a folder such as `output`"));
        } else if cfg.output_dir.chars().any(char::is_control) {
            problems.push(cfg.problem(
                "output_dir",
                "output_dir contains a control character (a NUL byte, a tab, a line break ...); name a \
                 folder such as `output`",
            ));
        }
        if problems.is_empty() { Ok(cfg) } else { Err(problems) }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        SiteConfig::parse(Path::new("site.yaml"), text)
    }

    #[test]
    fn defaults_apply() {
        let c = cfg("title: T\nbase_url: https://x.org/sub\n").unwrap();
        assert_eq!(c.anonymity_threshold, 10);
        assert_eq!(c.base(), "https://x.org/sub/");
        assert_eq!(c.base_path(), "/sub/");
    }

    #[test]
    fn root_base_path() {
        let c = cfg("title: T\nbase_url: https://x.org\n").unwrap();
        assert_eq!(c.base_path(), "/");
    }

    #[test]
    fn typo_is_rejected() {
        let e = cfg("title: T\nbase_url: /\ntheem: x\n").unwrap_err();
        assert_eq!(e[0].field.as_deref(), Some("theem"));
    }

    #[test]
    fn threshold_below_two_is_rejected() {
        let e = cfg("title: T\nbase_url: /\nanonymity_threshold: 1\n").unwrap_err();
        assert_eq!(e[0].field.as_deref(), Some("anonymity_threshold"));
    }
}
