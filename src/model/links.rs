//! Links of stories, free pages and employers' commitments to the site itself: `@/` links by
//! source file (`@/employers/x.yaml`, as Zola writes them) and paths from the site's root
//! (`/employers/x/`). Both are given the base URL's path when rendered (`load::markdown`); here
//! they are checked, first against the content files (with the other problems of the content),
//! then against every file the build writes.

use super::config::SiteConfig;
use super::is_directory_slug;
use crate::error::Diagnostic;
use crate::load::markdown::{LinkUse, SiteLinks};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The path on the site of the page made from a content file named as written after `@/`:
/// `employers/x.yaml` → `employers/x/`, `stories/x.md` → `stories/x/`, `pages/x.md` → `x/`.
pub fn source_page(source: &str) -> Option<String> {
    let (folder, file) = source.split_once('/')?;
    // A story written as a folder: `stories/x/index.md`, or the folder itself (`stories/x`).
    if folder == "stories" {
        let slug = file.strip_suffix("/index.md").unwrap_or(file).trim_end_matches('/');
        if !slug.is_empty() && !slug.contains(['/', '.']) {
            return Some(format!("stories/{slug}/"));
        }
    }
    let (stem, ext) = file.rsplit_once('.')?;
    if stem.is_empty() || file.contains('/') {
        return None;
    }
    match (folder, ext) {
        ("employers", "yaml" | "yml") => Some(format!("employers/{stem}/")),
        ("stories", "md") => Some(format!("stories/{stem}/")),
        ("pages", "md") => Some(format!("{stem}/")),
        _ => None,
    }
}

/// How this site's Markdown writes links to itself.
pub fn site_links(config: &SiteConfig) -> SiteLinks {
    SiteLinks { base_path: config.base_path(), source_page, page: None }
}

/// The links of one file, placed in it: `line_offset` is the line before the Markdown's first
/// (the front matter's, for a story), and `column_offset` the columns before it on each line.
#[derive(Debug, Clone, Default)]
pub struct FileLinks {
    pub file: PathBuf,
    pub line_offset: u64,
    pub column_offset: u64,
    pub links: Vec<LinkUse>,
}

impl FileLinks {
    fn problem(&self, link: &LinkUse, message: String) -> Diagnostic {
        Diagnostic::new(&self.file, message).at(link.line + self.line_offset, link.column + self.column_offset)
    }
}

/// Content files by kind, as `@/` names them (`employers/x.yaml`), with their slugs.
pub struct Known<'a> {
    /// `employers/x.yaml`, `stories/y.md`, `pages/z.md`: every content file, read or not.
    pub sources: Vec<String>,
    pub employers: HashSet<&'a str>,
    pub stories: HashSet<&'a str>,
}

/// Checks made with the other problems of the content: every `@/` link names a content file
/// that exists, and every path into employers' and stories' pages names an employer or story.
/// Paths elsewhere (`/static/...`, `/sectors/...`) are checked against the build's files in
/// [`check_built`].
pub fn check_sources(files: &[&FileLinks], known: &Known<'_>) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for f in files {
        for link in &f.links {
            if link.by_source {
                // `@employers/x.yaml` is `@/employers/x.yaml` with its slash forgotten.
                let source = link.written.trim_start_matches('@').trim_start_matches('/');
                let source = &source[..source.find(['#', '?']).unwrap_or(source.len())];
                let hint =
                    || near_source(source, known).map(|s| format!("; did you mean `@/{s}`?")).unwrap_or_default();
                if link.target.is_none() {
                    problems.push(f.problem(
                        link,
                        format!(
                            "`{}` names no page: an `@/` link names a content file as \
                             `@/employers/<file>.yaml`, `@/stories/<file>.md`, `@/stories/<folder>/index.md` or \
                             `@/pages/<file>.md`{}",
                            link.written,
                            hint()
                        ),
                    ));
                } else if !known.sources.iter().any(|s| s == source || is_folder_of(source, s)) {
                    let hint = hint();
                    problems.push(f.problem(
                        link,
                        format!("`{}` links to content/{source}, which does not exist{hint}", link.written),
                    ));
                }
                continue;
            }
            if link.relative && link.target.is_none() {
                problems.push(f.problem(link, unreachable_relative(&link.written)));
                continue;
            }
            let Some(target) = &link.target else { continue };
            if let Some(source) = link.relative.then(|| meant_source(target, &known.sources)).flatten() {
                problems.push(f.problem(link, content_file_by_path(&link.written, &source)));
                continue;
            }
            let mut parts = target.split('/');
            let (Some(section), Some(slug)) = (parts.next(), parts.next()) else { continue };
            let (kind, list, known_slugs) = match section {
                "employers" if !slug.is_empty() && !is_directory_slug(slug) => {
                    ("employer", "content/employers/", &known.employers)
                }
                "stories" if !slug.is_empty() && slug != "page" => ("story", "content/stories/", &known.stories),
                _ => continue,
            };
            if !known_slugs.contains(slug) {
                let mut slugs: Vec<&str> = known_slugs.iter().copied().collect();
                slugs.sort_unstable();
                let hint = crate::suggest::closest_name(slug, slugs.into_iter())
                    .map(|s| format!("; did you mean `/{section}/{s}/`?"))
                    .unwrap_or_default();
                problems.push(f.problem(
                    link,
                    format!(
                        "`{}` points to no page of the site: there is no {kind} `{slug}` in {list}{hint}",
                        link.written
                    ),
                ));
            }
        }
    }
    problems
}

/// Why a relative address leads nowhere: wrapped in curly quotes, or climbing above the site's
/// root (see [`crate::load::markdown::resolve_relative`]).
pub fn unreachable_relative(written: &str) -> String {
    let shown = crate::load::markdown::as_browser_reads(written);
    if shown.is_empty() {
        return "this link has no address (`[text]()`), so it leads nowhere: write where it leads between the \
                brackets, or leave the brackets out"
            .to_string();
    }
    if let Some(c) = shown.chars().find(|&c| super::safe_url::invisible(c)) {
        let clean: String = shown.chars().filter(|&c| !super::safe_url::invisible(c)).collect();
        return format!(
            "`{shown}` holds an invisible or direction-changing character (U+{:04X}), so it leads elsewhere than it \
             shows; remove it: `{clean}`",
            c as u32
        );
    }
    if let Some(why) = crate::load::markdown::bad_kind_of_address(&shown) {
        return format!("`{shown}` {why}");
    }
    if let Some(meant) = crate::load::markdown::scheme_forgotten(&shown) {
        let kind =
            if meant.starts_with("mailto:") { "an email address" } else { "a web address without its `https://`" };
        return format!(
            "`{shown}` looks like {kind}, but a browser would read it as a file beside this page, so the link would \
             lead nowhere; write `{meant}`"
        );
    }
    if crate::load::markdown::in_curly_quotes(&shown) {
        let inner = super::safe_url::without_curly_quotes(&shown);
        return format!(
            "`{shown}` is wrapped in curly quotes (as a word processor writes them), which a browser reads as part of \
             the address, so the link leads nowhere; write it with straight quotes `\"` or none: `{inner}`"
        );
    }
    if let Some(scheme) = crate::load::markdown::foreign_scheme(&shown) {
        let name = shown.rsplit(['/', '\\']).next().unwrap_or(&shown);
        return if scheme.len() == 1 || scheme == "file" {
            format!(
                "`{shown}` is a file on this computer, which readers of the site cannot open; put the file in the \
                 site's static/ folder and link `/static/{name}`"
            )
        } else {
            format!(
                "`{shown}` is a `{scheme}:` address, which the site does not publish (it keeps https://, mailto: and \
                 tel: links): it would be a dead link; link to a web page instead"
            )
        };
    }
    if shown.contains('\\') {
        let fixed = shown.replace('\\', "/");
        // `/\\about/` is `//about/` to a browser, another host: one slash is meant.
        let fixed = if fixed.starts_with("//") { format!("/{}", fixed.trim_start_matches('/')) } else { fixed };
        return format!(
            "`{shown}` is written with backslashes (`\\`), as Windows writes paths; a web address uses `/`, and a \
             browser reading `\\` as `/` would not give it the site's path: write `{fixed}`"
        );
    }
    format!(
        "`{shown}` climbs above the site's root, which leads off the site where it is published below a path such \
         as /sub/; write the path from the site's root, as `/employers/<slug>/`"
    )
}

/// The content file an `@/` link most likely meant: its name with the ending it lacks
/// (`stories/x` → `stories/x.md`), a story folder's `index.md` (`stories/x.md` →
/// `stories/x/index.md`), else the nearest name, with or without the ending.
fn near_source(source: &str, known: &Known<'_>) -> Option<String> {
    // `@/content/employers/x.yaml`: the path from the site's folder, where `@/` starts in content/.
    let source = source.trim_end_matches('/');
    let source = source.strip_prefix("content/").unwrap_or(source);
    let exact = [
        Some(source.to_string()),
        Some(format!("{source}.md")),
        Some(format!("{source}.yaml")),
        Some(format!("{source}/index.md")),
        source.strip_suffix(".md").map(|s| format!("{s}/index.md")),
    ];
    if let Some(found) = exact.into_iter().flatten().find(|c| known.sources.contains(c)) {
        return Some(found);
    }
    let names = || known.sources.iter().map(String::as_str);
    crate::suggest::closest_name(source, names())
        .or_else(|| crate::suggest::closest_name(&format!("{source}.md"), names()))
        .or_else(|| crate::suggest::closest_name(&format!("{source}.yaml"), names()))
        .map(str::to_string)
}

/// Whether `source` (`stories/x` or `stories/x/`) names the folder of the content file `file`
/// (`stories/x/index.md`).
fn is_folder_of(source: &str, file: &str) -> bool {
    file.strip_suffix("/index.md").is_some_and(|folder| folder == source.trim_end_matches('/'))
}

/// Every link to the site must name a file the build writes: a page (`/employers/x/` is
/// `employers/x/index.html`; `/employers/x` is taken as it, as hosts redirect it), a static
/// file, a data file, the feed ... `built` holds the paths of every file written, below the
/// output folder.
pub fn check_built(
    files: &[&FileLinks],
    built: &HashSet<String>,
    drafts: &std::collections::BTreeSet<String>,
    base_path: &str,
) -> Vec<Diagnostic> {
    // `/sub/about/` on a site published at `/sub/`: the sub-path is given to every link already.
    let sub = base_path.trim_matches('/');
    let without_sub = |t: &str| -> Option<String> {
        let rest = t.strip_prefix(sub)?.strip_prefix('/')?;
        (!sub.is_empty() && exists_in(built, rest)).then(|| rest.to_string())
    };
    let draft = |t: &str| drafts.contains(&format!("{}/", t.trim_start_matches('/').trim_end_matches('/')));
    // Each guess reads every page's path: a hostile site with thousands of dead links gets a
    // guess for its first few only.
    let guesses = std::cell::Cell::new(0usize);
    let exists = |t: &str| exists_in(built, t);
    // Built paths by their small letters, made once a link is missing: `/static/plan.pdf` when
    // the build wrote `static/Plan.pdf` is told so.
    let by_case: std::cell::OnceCell<std::collections::HashMap<String, &String>> = std::cell::OnceCell::new();
    let other_case = |t: &str| {
        let map = by_case.get_or_init(|| built.iter().map(|b| (b.to_lowercase(), b)).collect());
        let t = t.trim_start_matches('/').to_lowercase();
        map.get(&t).or_else(|| map.get(&format!("{t}index.html"))).map(|b| b.trim_end_matches("index.html").to_string())
    };
    let mut problems = Vec::new();
    for f in files {
        for link in &f.links {
            let Some(target) = &link.target else { continue };
            if exists(target) {
                continue;
            }
            if let Some(there) = other_case(target) {
                // Written as a link holds it: a space as `%20`, or the advice would end the link.
                let write = there.replace(' ', "%20");
                let message = format!(
                    "`{}` points to /{target}, but the build writes /{there}: names on the web tell capitals from \
                     small letters; write `/{write}`, or rename the file",
                    link.written
                );
                problems.push(f.problem(link, message));
                continue;
            }
            let message = if let Some(rest) = without_sub(target) {
                format!(
                    "`{}` includes the site's sub-path /{sub}/, which every link from the site's root is given \
                     already; write `/{rest}`",
                    link.written
                )
            } else if let Some(largest) = published_resized(target, built) {
                format!(
                    "`{}` names /{target}, which the build does not publish under that name: a picture beside a \
                     story is published resized, as `/{largest}` and smaller widths; link `/{largest}`",
                    link.written
                )
            } else if draft(target) {
                // The page exists in the content, not in this build.
                format!(
                    "`{}` points to /{target}, the page of a draft, which is published with `--drafts` only; link \
                     to it once the draft is published (without `draft: true`)",
                    link.written
                )
            } else if link.relative && names_a_file(target) {
                format!(
                    "`{}` names a file at /{target}, which the build does not publish (nothing is published beside a \
                     free page or an employer's commitment); put the file in the site's static/ folder and write \
                     `/static/{}`",
                    link.written,
                    target.rsplit('/').next().unwrap_or(target)
                )
            } else if link.relative {
                format!(
                    "`{}` points to no page of the site: from its page it leads to /{target}, where the build writes \
                     nothing; write the path from the site's root, as `/employers/<slug>/` or `/stories/<slug>/`",
                    link.written
                )
            } else if link.by_source {
                format!("`{}` points to /{target}, which this build does not publish", link.written)
            } else if let Some(near) = (guesses.get() < MAX_GUESSES)
                .then(|| {
                    guesses.set(guesses.get() + 1);
                    near_page(target, built)
                })
                .flatten()
            {
                format!(
                    "`{}` points to no page or file of the site: the build writes nothing at /{target}; did you \
                     mean `/{near}`?",
                    link.written
                )
            } else {
                format!(
                    "`{}` points to no page or file of the site: the build writes nothing at /{target}; \
                     write the path from the site's root, as `/employers/<slug>/` or `/static/<file>`",
                    link.written
                )
            };
            problems.push(f.problem(link, message));
        }
    }
    problems
}

/// The largest of the widths a story's picture is published at (`stories/x/photo-1200.jpg`),
/// when `target` (`stories/x/photo.jpg`) names a picture that is published only resized.
fn published_resized(target: &str, built: &HashSet<String>) -> Option<String> {
    let (stem, ext) = target.trim_start_matches('/').rsplit_once('.')?;
    if !stem.starts_with("stories/") {
        return None;
    }
    let width = |b: &str| -> Option<u32> {
        let w = b.strip_prefix(stem)?.strip_prefix('-')?.strip_suffix(ext)?.strip_suffix('.')?;
        w.bytes().all(|c| c.is_ascii_digit()).then(|| w.parse().ok()).flatten()
    };
    built.iter().filter_map(|b| Some((width(b)?, b))).max().map(|(_, b)| b.clone())
}

/// The `@/` link most likely meant by a relative link to a content file (`../x.md` from a story
/// resolves to `stories/x.md`): the content file of `known` (`stories/x.md`, `employers/x.yaml`)
/// the path names, by its folder or, failing that, by its name alone. `None` for a target that
/// names no Markdown or YAML file, or none that exists.
pub fn meant_source(target: &str, known: &[String]) -> Option<String> {
    let parts: Vec<&str> = target.split('/').collect();
    let name = *parts.last()?;
    let (stem, ext) = name.rsplit_once('.')?;
    let ext = ext.to_ascii_lowercase();
    if stem.is_empty() || !["md", "yaml", "yml"].contains(&ext.as_str()) {
        return None;
    }
    let yaml = ext != "md";
    let folder_index =
        (name == "index.md" && parts.len() >= 2).then(|| format!("stories/{}/index.md", parts[parts.len() - 2]));
    let candidates: Vec<String> = [
        Some(if yaml { target.replace(".yml", ".yaml") } else { target.to_string() }),
        folder_index.clone(),
        (!yaml).then(|| format!("pages/{name}")),
        (!yaml).then(|| format!("stories/{name}")),
        (!yaml).then(|| format!("stories/{stem}/index.md")),
        yaml.then(|| format!("employers/{stem}.yaml")),
    ]
    .into_iter()
    .flatten()
    .collect();
    // No guess: a link to a file that is no content file (`../static/guide.md`) is checked
    // against what the build publishes, as any other.
    candidates.iter().find(|c| known.contains(c)).map(|c| format!("@/{c}"))
}

/// What to write for a relative link to a content file, told in place of "no such file".
pub fn content_file_by_path(written: &str, source: &str) -> String {
    // `../x.md#getting-in` keeps its place on the page.
    let fragment = written.find('#').map_or("", |at| &written[at..]);
    let source = format!("{source}{fragment}");
    format!(
        "`{written}` names a content file by its path, which is not published; a link to a story, an employer or a \
         page names its file after `@/`: `{source}`"
    )
}

/// Whether a path on the site may be a draft's page: a story's (`stories/x/`) or a free page's
/// (`about/`); not a file, nor a sector's or region's page, which no draft makes.
/// Whether the build wrote the page or file at `target` (`about/`, `about`, `static/x.png`).
fn exists_in(built: &HashSet<String>, target: &str) -> bool {
    let t = target.trim_start_matches('/');
    if t.is_empty() || t.ends_with('/') {
        built.contains(&format!("{t}index.html"))
    } else {
        built.contains(t) || built.contains(&format!("{t}/index.html"))
    }
}

/// Dead links given a did-you-mean in one build (see [`near_page`]).
const MAX_GUESSES: usize = 100;

/// The page of the build nearest to `target` (`abuot/` → `about/`, `employer/x/` →
/// `employers/x/`), as its path with a closing `/`: among the pages as deep as it.
fn near_page(target: &str, built: &HashSet<String>) -> Option<String> {
    if names_a_file(target) {
        return None;
    }
    let page = format!("{}/", target.trim_start_matches('/').trim_end_matches('/'));
    let depth = page.matches('/').count();
    let pages: Vec<&str> = built
        .iter()
        .filter_map(|b| b.strip_suffix("index.html"))
        .filter(|p| !p.is_empty() && p.matches('/').count() == depth)
        .collect();
    crate::suggest::closest_name(&page, pages.iter().copied()).map(str::to_string)
}

/// Whether a path on the site names a file (`about/plan.pdf`) rather than a page (`about/x/`):
/// its last part has an ending.
pub fn names_a_file(target: &str) -> bool {
    target.rsplit('/').next().is_some_and(|last| last.contains('.'))
}

/// Where the Markdown of a `commitment:` starts in an employer's file: a block (`commitment: |`)
/// starts on the next line, indented; anything else is placed at the setting's line.
pub fn commitment_offsets(text: &str) -> (u64, u64, bool) {
    let lines: Vec<&str> = text.lines().collect();
    let Some(at) = lines.iter().position(|l| l.starts_with("commitment:")) else { return (0, 0, false) };
    let value = lines[at]["commitment:".len()..].trim();
    if value.starts_with('|') {
        let indent =
            lines[at + 1..].iter().find(|l| !l.trim().is_empty()).map_or(0, |l| l.len() - l.trim_start().len());
        return (at as u64 + 1, indent as u64, true);
    }
    (at as u64 + 1, 0, false)
}

/// Where a place (1-based line and column) of an employer's commitment's Markdown is in its
/// file: a block (`commitment: |`) keeps its lines, indented; a value on the setting's line is on
/// that line, after `commitment: ` (and its opening quote); a folded value (`>`) is placed on
/// the line it is written on, at its column, or at the setting's first character when it cannot be placed on its own line (see [`folded_place`]).
pub fn commitment_place(text: &str, line: u64, column: u64) -> (u64, u64) {
    place_in_commitment(text, commitment_offsets(text), line, column)
}

/// As [`commitment_place`], with the commitment's [`commitment_offsets`] worked out once for
/// all its places: each working-out reads the whole file, and a commitment of 20,000 links
/// took 43 s to check when it was done for each (issue 17, round 8).
pub fn place_in_commitment(text: &str, (at, indent, block): (u64, u64, bool), line: u64, column: u64) -> (u64, u64) {
    if block {
        return (line + at, column + indent);
    }
    let setting = text.lines().nth(at.saturating_sub(1) as usize).unwrap_or_default();
    let value = setting.get("commitment:".len()..).unwrap_or_default();
    let before = "commitment:".len() + value.len() - value.trim_start().len();
    let value = value.trim_start();
    if value.starts_with(['"', '\'']) {
        // A quoted value on one line: its escapes (`\n`) are read to find the place written.
        return match quoted_place(value, line, column) {
            Some(c) => (at, before as u64 + c),
            None => (at, 1),
        };
    }
    if value.starts_with('>')
        && let Some(place) = folded_place(text, at, line, column)
    {
        return place;
    }
    if line != 1 || value.starts_with(['>', '|']) {
        return (at, 1);
    }
    plain_place(text, at, before as u64, value, column)
}

/// Where a column of a plain value written over several lines (`commitment: We are open` then
/// `  to all, and link [about](/about/)`) is in the file: YAML joins the lines, trimmed, with a
/// space, so each piece of the text is noted with the line and column it came from.
fn plain_place(text: &str, at: u64, before: u64, first: &str, column: u64) -> (u64, u64) {
    let width = |s: &str| s.chars().count() as u64;
    let mut left = column;
    let first = first.trim_end();
    if left <= width(first) {
        return (at, before + left);
    }
    left -= width(first) + 1;
    for (i, l) in text.lines().enumerate().skip(usize::try_from(at).unwrap_or(usize::MAX)) {
        let body = l.trim_start();
        // The value ends at an empty line (a line break in the text) or a line not indented.
        if body.is_empty() || body.len() == l.len() {
            break;
        }
        let piece = body.trim_end();
        if left <= width(piece) {
            return (i as u64 + 1, width(&l[..l.len() - body.len()]) + left);
        }
        left -= width(piece) + 1;
    }
    (at, 1)
}

/// Where a place of the text of a folded block (`commitment: >`, the setting at line `at`) is
/// written in the file. YAML joins the block's lines with a space, a run of empty lines stands
/// for one line break less than it has, and lines indented further than the block keep their
/// line breaks: the text's lines are worked out the same way, each piece noted with the file
/// line it came from.
fn folded_place(text: &str, at: u64, line: u64, column: u64) -> Option<(u64, u64)> {
    let lines: Vec<&str> = text.lines().skip(usize::try_from(at).ok()?).collect();
    let indent_of = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let indent = lines.iter().find(|l| !l.trim().is_empty()).map(|l| indent_of(l))?;
    if indent == 0 {
        return None;
    }
    // (text line, text column, file line) where each of the block's lines starts in the text.
    let mut pieces: Vec<(u64, u64, u64)> = Vec::new();
    let (mut text_line, mut text_column, mut empties) = (1u64, 1u64, 0u64);
    let mut previous: Option<bool> = None;
    for (i, l) in lines.iter().enumerate() {
        if l.trim().is_empty() {
            empties += 1;
            continue;
        }
        if indent_of(l) < indent {
            break;
        }
        let further = indent_of(l) > indent || l[indent..].starts_with('\t');
        match previous {
            None => text_line += empties,
            Some(false) if !further && empties == 0 => text_column += 1,
            Some(false) if !further => (text_line, text_column) = (text_line + empties, 1),
            Some(_) => (text_line, text_column) = (text_line + 1 + empties, 1),
        }
        pieces.push((text_line, text_column, at + 1 + i as u64));
        text_column += l[indent..].chars().count() as u64;
        (previous, empties) = (Some(further), 0);
    }
    let &(_, starts, file_line) = pieces.iter().rev().find(|(l, c, _)| *l == line && *c <= column)?;
    Some((file_line, indent as u64 + 1 + column - starts))
}

/// The column in `value` (a quoted value, quote included, as written on one line) of the
/// character at `line`:`column` of the text it stands for; `None` past its end.
fn quoted_place(value: &str, line: u64, column: u64) -> Option<u64> {
    let chars: Vec<char> = value.chars().collect();
    let quote = *chars.first()?;
    let (mut l, mut c) = (1u64, 1u64);
    let mut i = 1;
    while i < chars.len() {
        if (l, c) == (line, column) {
            return Some(i as u64 + 1);
        }
        let (read, newline) = match (quote, chars[i]) {
            ('"', '\\') => match chars.get(i + 1) {
                Some('n') => (2, true),
                Some('x') => (4, false),
                Some('u') => (6, false),
                Some('U') => (10, false),
                Some(_) => (2, false),
                None => return None,
            },
            ('\'', '\'') if chars.get(i + 1) == Some(&'\'') => (2, false),
            (q, ch) if ch == q => return None,
            _ => (1, false),
        };
        if newline {
            (l, c) = (l + 1, 1);
        } else {
            c += 1;
        }
        i += read;
    }
    None
}

/// The links of an employer's commitment, placed in its file (see [`commitment_place`]).
pub fn commitment_links(file: &Path, text: &str, links: Vec<LinkUse>) -> FileLinks {
    let offsets = commitment_offsets(text);
    let links = links
        .into_iter()
        .map(|l| {
            let (line, column) = place_in_commitment(text, offsets, l.line, l.column);
            LinkUse { line, column, ..l }
        })
        .collect();
    FileLinks { file: file.to_path_buf(), line_offset: 0, column_offset: 0, links }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_files_map_to_their_pages() {
        assert_eq!(source_page("employers/northgate-rail.yaml").as_deref(), Some("employers/northgate-rail/"));
        assert_eq!(source_page("stories/a.md").as_deref(), Some("stories/a/"));
        assert_eq!(source_page("pages/about.md").as_deref(), Some("about/"));
        // A story folder, by its index.md or by the folder itself (issue 17).
        assert_eq!(source_page("stories/a/index.md").as_deref(), Some("stories/a/"));
        assert_eq!(source_page("stories/a").as_deref(), Some("stories/a/"));
        assert_eq!(source_page("stories/a/").as_deref(), Some("stories/a/"));
        for none in
            ["employers/x.md", "benchmarks/x.yaml", "stories/a/b.md", "pages/.md", "about.md", "stories/a/b/index.md"]
        {
            assert_eq!(source_page(none), None, "{none}");
        }
    }

    fn file(md: &str) -> FileLinks {
        let site = SiteLinks { source_page, ..Default::default() };
        let links = crate::load::markdown::site_links(md, &site);
        FileLinks { file: "content/stories/s.md".into(), line_offset: 5, column_offset: 0, links }
    }

    #[test]
    fn links_are_checked_against_the_content_files_then_the_built_files() {
        let f = file(
            "[a](@/employers/northgate-rial.yaml) [b](@/stories/s.md#x) [c](@/themes/t.md)\n\
             [d](/employers/nope/) [e](/employers/by-sector/) [f](/stories/page/2/) [g](/static/p.png)\n",
        );
        let known = Known {
            sources: vec!["employers/northgate-rail.yaml".into(), "stories/s.md".into()],
            employers: HashSet::from(["northgate-rail"]),
            stories: HashSet::from(["s"]),
        };
        let said: Vec<String> = check_sources(&[&f], &known).iter().map(ToString::to_string).collect();
        assert_eq!(
            said,
            [
                "content/stories/s.md:6:1: error: `@/employers/northgate-rial.yaml` links to \
                 content/employers/northgate-rial.yaml, which does not exist; did you mean \
                 `@/employers/northgate-rail.yaml`?",
                "content/stories/s.md:6:60: error: `@/themes/t.md` names no page: an `@/` link names a content file \
                 as `@/employers/<file>.yaml`, `@/stories/<file>.md`, `@/stories/<folder>/index.md` or \
                 `@/pages/<file>.md`",
                "content/stories/s.md:7:1: error: `/employers/nope/` points to no page of the site: there is no \
                 employer `nope` in content/employers/",
            ]
        );
        let built: HashSet<String> =
            ["employers/by-sector/index.html", "stories/page/2/index.html", "static/p.png"].map(String::from).into();
        let said: Vec<String> =
            check_built(&[&f], &built, &Default::default(), "/").iter().map(ToString::to_string).collect();
        assert_eq!(said.len(), 3, "{said:#?}");
        assert!(said[0].starts_with("content/stories/s.md:6:1: error: `@/employers/northgate-rial.yaml` points to"));
        assert!(
            said[1].starts_with("content/stories/s.md:6:38: error: `@/stories/s.md#x` points to /stories/s/, which")
        );
        assert!(said[2].starts_with("content/stories/s.md:7:1: error: `/employers/nope/` points to no page or file"));
    }

    #[test]
    fn a_block_commitment_places_links_on_their_own_lines() {
        let text = "name: X\ncommitment: |\n  First line.\n  See [it](/x/).\nyears: []\n";
        assert_eq!(commitment_offsets(text), (2, 2, true));
        assert_eq!(commitment_offsets("commitment: See [it](/x/).\n"), (1, 0, false));
        // On the setting's line, a link is at its own column (issue 17: it had none).
        assert_eq!(commitment_place("name: X\ncommitment: See [it](/x/).\n", 1, 5), (2, 17));
        assert_eq!(commitment_place("commitment: \"See [it](/x/).\"\n", 1, 5), (1, 18));
        assert_eq!(commitment_place(text, 2, 5), (4, 7));
    }

    /// Outside round 17e, item 3: a folded block (`commitment: >`) places its links on their
    /// own lines, as YAML folds them: joined lines, a paragraph break, a line indented further.
    #[test]
    fn a_folded_commitment_places_links_on_their_own_lines() {
        let text = "name: X\ncommitment: >\n  First line,\n  second [a](/a/).\n\n  Then [b](/b/).\n                        Kept [c](/c/)\n  last [d](/d/).\nyears: []\n";
        // The folded text: "First line, second [a](/a/).\nThen [b](/b/).\n  Kept [c](/c/)\nlast [d](/d/).\n"
        assert_eq!(commitment_place(text, 1, 20), (4, 10));
        assert_eq!(commitment_place(text, 1, 1), (3, 3));
        assert_eq!(commitment_place(text, 2, 6), (6, 8));
        assert_eq!(commitment_place(text, 3, 8), (7, 10));
        assert_eq!(commitment_place(text, 4, 6), (8, 8));
        // Past the block, or a setting that is not a block, the setting's line as before.
        assert_eq!(commitment_place("commitment: >\nyears: []\n", 1, 1), (1, 1));
    }
}
