//! Markdown → safe HTML: pulldown-cmark for the syntax, ammonia for the safety.

use super::html_shape::{self, Over};
use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd, html};
use std::collections::HashSet;
use std::sync::OnceLock;

/// Rendered Markdown.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Rendered {
    pub html: String,
    /// Set when the raw HTML was over the limits: it was not parsed, and `html` shows it as
    /// escaped text. Stories and pages turn this into an error naming the file.
    #[serde(skip)]
    pub too_complex: Option<TooComplex>,
    /// The links and images to the site itself (root-relative and `@/`), in document order.
    #[serde(skip)]
    pub links: Vec<LinkUse>,
}

/// How links to the site itself are written out. Authors write paths from the site's root
/// (`/employers/x/`) or name a content file (`@/employers/x.yaml`, as Zola does); the page must
/// work wherever the site is published, so both get the base URL's path (`/sub/employers/x/`).
#[derive(Debug, Clone)]
pub struct SiteLinks {
    /// The path part of the base URL, with slashes at both ends (`/` or `/sub/`).
    pub base_path: String,
    /// The path on the site (`employers/x/`) of the page made from a content file named as
    /// written after `@/` (`employers/x.yaml`); `None` where no page is made from such a path.
    /// Passed in because the site's URL layout belongs to the model, above this stage.
    pub source_page: fn(&str) -> Option<String>,
    /// The path on the site of the page the text is published on (`about/`, `employers/x/`),
    /// where its relative links (`plan.pdf`, `../employers/x/`) are checked: a browser resolves
    /// them from there. `None` where they are checked elsewhere (a story's, beside its files).
    pub page: Option<String>,
}

impl Default for SiteLinks {
    fn default() -> Self {
        SiteLinks { base_path: "/".into(), source_page: |_| None, page: None }
    }
}

impl SiteLinks {
    /// The same links, for a text published on the page at `page` (`about/`).
    pub fn on_page(&self, page: &str) -> SiteLinks {
        SiteLinks { page: Some(page.to_string()), ..self.clone() }
    }
}

/// An address as a browser reads it: spaces and control characters at either end dropped, and
/// tabs and line breaks anywhere (the URL standard's first steps). `<a href=" /x/ ">` is `/x/`.
pub fn as_browser_reads(value: &str) -> std::borrow::Cow<'_, str> {
    let trimmed = value.trim_matches(|c: char| c <= ' ');
    if trimmed.contains(['\t', '\n', '\r']) { trimmed.replace(['\t', '\n', '\r'], "").into() } else { trimmed.into() }
}

/// Whether an address is wrapped in a word processor's curly quotes (`”/employers/x/”`), which
/// a browser reads as part of the address: such a link leads nowhere.
pub fn in_curly_quotes(dest: &str) -> bool {
    const CURLY: [char; 6] = ['\u{201C}', '\u{201D}', '\u{2018}', '\u{2019}', '\u{201E}', '\u{00AB}'];
    dest.starts_with(CURLY) || dest.ends_with(CURLY) || dest.ends_with('\u{00BB}')
}

/// Whether an address can only be told, not published: empty (`[the report]()`), in curly
/// quotes, with backslashes, or of a kind the site does not publish (see [`foreign_scheme`]).
pub fn unusable(dest: &str) -> bool {
    dest.trim().is_empty()
        || in_curly_quotes(dest)
        || dest.contains('\\')
        || foreign_scheme(dest).is_some()
        || scheme_forgotten(dest).is_some()
        || dest.chars().any(crate::error::invisible)
        || bad_kind_of_address(dest).is_some()
}

/// What is wrong with an address of a kind the site publishes that leads nowhere as written:
/// `https:///x` (a third slash, which a browser drops), `mailto:` with no address, `tel:` with no
/// number (`tel:call-us`). Told with what to write.
pub fn bad_kind_of_address(dest: &str) -> Option<String> {
    let d = as_browser_reads(dest);
    let lower = d.to_ascii_lowercase();
    for web in ["https:///", "http:///"] {
        if lower.starts_with(web) {
            let rest = d[web.len()..].trim_start_matches('/');
            return Some(format!("has a slash too many after `{}`: write `https://{rest}`", &web[..web.len() - 3]));
        }
    }
    if let Some(rest) = lower.strip_prefix("mailto:")
        && !rest.split(['?', '#']).next().unwrap_or_default().contains('@')
    {
        return Some(
            "is a `mailto:` link with no email address: write `mailto:` and the address, as \
                     `mailto:hr@example.org`"
                .to_string(),
        );
    }
    if let Some(rest) = lower.strip_prefix("tel:")
        && !rest.chars().any(|c| c.is_ascii_digit())
    {
        return Some(
            "is a `tel:` link with no telephone number: write `tel:` and the number, as \
                     `tel:+441234567890`"
                .to_string(),
        );
    }
    None
}

/// Endings of files a site publishes from `static/`, which no host name ends with.
pub const FILE_ENDINGS: [&str; 14] =
    ["svg", "png", "jpg", "jpeg", "gif", "webp", "avif", "pdf", "csv", "ico", "doc", "docx", "xlsx", "txt"];

/// Endings of a host name that no file of a site ends with (`example.org`, not `plan.pdf`).
pub const HOST_ENDINGS: [&str; 12] = ["com", "org", "net", "uk", "io", "gov", "edu", "info", "eu", "co", "ie", "scot"];

/// The address meant by one written without its kind, or with its kind misspelt, which a browser
/// would read as a file beside the page: `hr@example.org` (`mailto:hr@example.org`),
/// `www.example.org` and `example.org/jobs` (`https://...`), `https//example.org`,
/// `htps://example.org` (`https://example.org`).
pub fn scheme_forgotten(dest: &str) -> Option<String> {
    let d = as_browser_reads(dest);
    let lower = d.to_ascii_lowercase();
    if d.starts_with(['/', '#', '.', '?', '@']) || lower.starts_with("https://") || lower.starts_with("http://") {
        return None;
    }
    let letters = lower.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(lower.len());
    let (scheme, after) = lower.split_at(letters);
    let near_web = |s: &str| ["http", "https"].iter().any(|w| strsim::levenshtein(s, w) <= 1) && s.len() >= 3;
    // `http://` and `https://` themselves returned above: a near miss of them is meant.
    if near_web(scheme) && after.starts_with([':', ';', '/']) && after.len() > 3 {
        return Some(format!("https://{}", d[letters..].trim_start_matches([':', ';', '/'])));
    }
    if d.contains(':') {
        return None;
    }
    let first = d.split(['/', '?', '#']).next().unwrap_or_default();
    if let Some((user, host)) = first.split_once('@')
        && !user.is_empty()
        && host.contains('.')
        && !d.contains('/')
    {
        return Some(format!("mailto:{d}"));
    }
    let host_like = first.contains('.')
        && !first.contains(' ')
        && first.rsplit('.').next().is_some_and(|end| HOST_ENDINGS.contains(&end.to_ascii_lowercase().as_str()));
    // `www.gov.uk-guide.pdf`, a file beside the page: a name with a file's ending and no path.
    let a_file = !d.contains('/')
        && d.rsplit_once('.').is_some_and(|(_, e)| FILE_ENDINGS.contains(&e.to_ascii_lowercase().as_str()));
    ((lower.starts_with("www.") || host_like) && !a_file).then(|| format!("https://{d}"))
}

/// The kinds of address a page keeps: the rest is blanked by the sanitiser.
const PUBLISHED_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];
/// Kinds only an attack writes: blanked without a word, as the sanitiser has always done.
const SCRIPT_SCHEMES: [&str; 3] = ["javascript", "vbscript", "data"];

/// The kind of an address written in good faith that the site cannot publish, in lower case: a
/// path on the author's computer (`C:/Users/hr/plan.pdf`, `file:///...`) or another program's
/// (`ms-word:`, `sms:`). Such a link would be published as a dead `#`. `None` for the kinds a
/// page keeps, script kinds (see [`SCRIPT_SCHEMES`]) and addresses of no kind.
pub fn foreign_scheme(dest: &str) -> Option<String> {
    let dest = as_browser_reads(dest);
    let (before, _) = dest.split_once(':')?;
    if !has_scheme(&dest) {
        return None;
    }
    let scheme = before.to_ascii_lowercase();
    (!PUBLISHED_SCHEMES.contains(&scheme.as_str()) && !SCRIPT_SCHEMES.contains(&scheme.as_str())).then_some(scheme)
}

/// Raw HTML elements the sanitiser removes that an author writes in good faith (a video from
/// YouTube, a player): told, not dropped without a word. Their links are not checked.
pub const EMBEDS: [&str; 11] =
    ["iframe", "video", "audio", "embed", "object", "form", "input", "button", "select", "textarea", "svg"];

/// What the page would not show as written, though an author wrote it in good faith: each element
/// of [`EMBEDS`] in the raw HTML (removed by the sanitiser), and each link whose address holds a
/// space (`[report](/static/Annual Report.pdf)` is shown as that text, no link). Each as (line,
/// column, what the author is told).
pub fn embeds(source: &str) -> Vec<(u64, u64, String)> {
    if !embeds_worth_reading(source) || over_limit(source) {
        return Vec::new();
    }
    embeds_in(source, events(source))
}

/// Whether [`embeds`] has anything to look for in `source`: raw HTML, a footnote, a reference
/// link, or a `](` whose address (up to its `)` on the line) holds a space. A story whose links
/// all lie in text without those (most) is not parsed for them at all.
fn embeds_worth_reading(source: &str) -> bool {
    source.contains('<') || source.contains("[^") || source.contains("][") || spaced_address(source)
}

/// Where each `](` of `text` starts. Found from each `]` by the fast byte search: a search for
/// the two bytes together goes a byte at a time, and each story's text was searched so three
/// times before it was parsed.
fn link_opens(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    text.match_indices(']').map(|(i, _)| i).filter(move |&i| bytes.get(i + 1) == Some(&b'('))
}

/// Whether some `](` of `source` is followed, before its `)` on the same line, by an address
/// holding a space (as [`embeds_in`] looks for in the text the reader sees).
fn spaced_address(source: &str) -> bool {
    link_opens(source).any(|i| {
        let rest = &source[i + 2..];
        rest.find([')', '\n']).filter(|&c| rest.as_bytes()[c] == b')').is_some_and(|c| rest[..c].trim().contains(' '))
    })
}

/// What a story's body holds that is checked before it is published, in one parse of it
/// (each of these read the text on its own once, which was a tenth of a large build): as
/// [`site_links_and_images`] and [`embeds`].
pub struct BodyChecks {
    pub site_links: Vec<LinkUse>,
    pub images: Vec<ImageUse>,
    pub embeds: Vec<(u64, u64, String)>,
}

/// [`site_links_and_images`] and [`embeds`] of `source`, reading it once.
pub fn body_checks(source: &str, links: &SiteLinks) -> BodyChecks {
    let (want_links, want_embeds) = (links_worth_reading(source), embeds_worth_reading(source));
    if !(want_links || want_embeds) || over_limit(source) {
        return BodyChecks { site_links: Vec::new(), images: Vec::new(), embeds: Vec::new() };
    }
    let all: Vec<(Event<'_>, std::ops::Range<usize>)> = events(source).collect();
    let (site_links, images) =
        if want_links { links_and_images_in(source, links, all.iter().cloned()) } else { (Vec::new(), Vec::new()) };
    let embeds = if want_embeds { embeds_in(source, all.into_iter()) } else { Vec::new() };
    BodyChecks { site_links, images, embeds }
}

/// [`embeds`], given the events of `source`.
fn embeds_in<'a>(
    source: &'a str,
    events: impl Iterator<Item = (Event<'a>, std::ops::Range<usize>)>,
) -> Vec<(u64, u64, String)> {
    let notes = source.contains("[^");
    let spaced = source.contains("](") || notes;
    let mut places = Places::default();
    let mut found = Vec::new();
    // Text as the reader sees it (not code, not a link): where an unlinked `](` may lie.
    let mut texts: Vec<std::ops::Range<usize>> = Vec::new();
    let mut in_code = false;
    for (e, range) in events {
        match &e {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Html(t) | Event::InlineHtml(t) => {
                let here = source.get(range.clone()).is_some_and(|r| r.starts_with(t.as_ref()));
                // `<details><summary>More</summary>See [the plan](/x/).</details>`: an HTML block
                // holds no Markdown, so the link is shown as written.
                // A comment, or code shown as it is (`<pre>`, `<code>`), is passed over.
                let shown_as_is = ["<!--", "<pre", "<code", "<script", "<style"].iter().any(|m| t.contains(m));
                if matches!(e, Event::Html(_))
                    && here
                    && !shown_as_is
                    && let Some(at) = markdown_link_in(t)
                {
                    let (line, column) = places.at(source, range.start + at);
                    let end = t[at..].find(')').map_or(t.len(), |e| at + e + 1);
                    found.push((
                        line,
                        column,
                        format!(
                            "`{}` lies inside an HTML block, where Markdown is not read, so it is shown as written, \
                             not as a link; leave a blank line after the block's opening tag, or write the link in \
                             HTML (`<a href=\"...\">`)",
                            &t[at..end]
                        ),
                    ));
                }
                let all = raw_tags(t);
                // `<img srcset="a.png 2x" alt="...">`: the page keeps `src` alone, so it would
                // show nothing.
                for tag in all.iter().filter(|tag| tag.name == "img" && !tag.attributes.iter().any(|a| a.name == "src"))
                {
                    let (line, column) = places.at(source, if here { range.start + tag.at } else { range.start });
                    let message = "this picture has no `src`, the address the page keeps (`srcset` and other \
                                   attributes are left out), so it would show nothing; write `src=\"...\"` with the \
                                   picture's address";
                    found.push((line, column, message.to_string()));
                }
                let tags: Vec<RawTag> = all.into_iter().filter(|tag| EMBEDS.contains(&tag.name.as_str())).collect();
                // A form is told once, not again for each of its fields and buttons.
                let form = tags.iter().any(|tag| tag.name == "form");
                let control = |n: &str| matches!(n, "input" | "button" | "select" | "textarea");
                for tag in tags.into_iter().filter(|tag| !(form && control(&tag.name))) {
                    let (line, column) = places.at(source, if here { range.start + tag.at } else { range.start });
                    found.push((line, column, embed_problem(&tag.name)));
                }
            }
            Event::Text(_) if spaced && !in_code => match texts.last_mut() {
                Some(last) if last.end >= range.start => last.end = last.end.max(range.end),
                _ => texts.push(range),
            },
            _ => {}
        }
    }
    // A footnote no `[^label]: text` line defines is shown as its brackets, without a word.
    let defined: HashSet<&str> = if notes {
        source
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix("[^")?.split_once("]:").map(|(label, _)| label))
            .collect()
    } else {
        HashSet::new()
    };
    for r in &texts {
        let text = &source[r.clone()];
        for (at, _) in text.match_indices("[^").filter(|_| notes) {
            let Some(close) = text[at + 2..].find(']') else { continue };
            let label = &text[at + 2..at + 2 + close];
            if label.is_empty() || label.contains(char::is_whitespace) || defined.contains(label) {
                continue;
            }
            let (line, column) = places.at(source, r.start + at);
            found.push((
                line,
                column,
                format!(
                    "the footnote `[^{label}]` has no line `[^{label}]: text` defining it, so it is shown as its \
                     brackets; add the line, or correct the label"
                ),
            ));
        }
    }
    for r in texts {
        let text = &source[r.clone()];
        for at in link_opens(text) {
            let Some(open) = text[..at].rfind('[') else { continue };
            let rest = &text[at + 2..];
            let Some(close) = rest.find([')', '\n']).filter(|&c| rest.as_bytes()[c] == b')') else { continue };
            let address = &rest[..close];
            if !address.trim().contains(' ') {
                continue;
            }
            let written = &text[open..at + 3 + close];
            let (line, column) = places.at(source, r.start + open);
            found.push((
                line,
                column,
                format!(
                    "`{written}` is shown as plain text, not as a link: its address holds a space; write each space \
                     as `%20` (`{}`), or put the address in angle brackets (`<{}>`)",
                    address.trim().replace(' ', "%20"),
                    address.trim()
                ),
            ));
        }
    }
    found.extend(broken_references(source, &mut places));
    found.sort();
    found
}

/// Where a Markdown link or picture (`[text](address)`) starts in a piece of raw HTML.
fn markdown_link_in(html: &str) -> Option<usize> {
    link_opens(html).find_map(|at| {
        let open = html[..at].rfind('[')?;
        let inside = &html[open + 1..at];
        let address = &html[at + 2..];
        let close = address.find(')')?;
        (!inside.contains(['<', '>', '\n']) && !address[..close].contains([' ', '<', '>', '"', '\n']))
            .then_some(if open > 0 && html.as_bytes()[open - 1] == b'!' { open - 1 } else { open })
    })
}

/// Links to a label no `[label]: address` line defines (`[our report][reprot]`, `[text][]`): shown
/// as the bracketed text, no link. A lone `[word]` is ordinary prose (`[sic]`), not told.
fn broken_references(source: &str, places: &mut Places) -> Vec<(u64, u64, String)> {
    if !source.contains("][") {
        return Vec::new();
    }
    // Brackets in prose (`array[i][j]`, citations `[2][3]`) are not links: only a text that
    // defines labels of its own is taken to mean one, and only a label of words.
    let defines = source.lines().any(|l| {
        let l = l.trim_start();
        l.starts_with('[') && !l.starts_with("[^") && l.find("]:").is_some_and(|at| at > 1)
    });
    if !defines {
        return Vec::new();
    }
    let mut broken = Vec::new();
    let mut note = |link: pulldown_cmark::BrokenLink<'_>| {
        let after_word = source[..link.span.start].chars().next_back().is_some_and(char::is_alphanumeric);
        let words = link.reference.chars().filter(|c| c.is_alphabetic()).count() > 1;
        if matches!(link.link_type, LinkType::Reference | LinkType::Collapsed) && !after_word && words {
            broken.push((link.span.start, link.reference.to_string()));
        }
        None
    };
    Parser::new_with_broken_link_callback(source, options(), Some(&mut note)).for_each(drop);
    broken
        .into_iter()
        .map(|(at, label)| {
            let (line, column) = places.at(source, at);
            let message = format!(
                "this link names the label `{label}`, but no line `[{label}]: address` defines it, so it is shown as \
                 plain text in brackets; add the line, or correct the label (brackets meant as text are written \
                 `\\[`)"
            );
            (line, column, message)
        })
        .collect()
}

/// What an author is told of an element of [`EMBEDS`].
fn embed_problem(name: &str) -> String {
    match name {
        "form" | "input" | "button" | "select" | "textarea" => format!(
            "`<{name}>` is removed from the published page: pages carry no forms (what a reader typed would be sent \
             to another site); link to the form instead, e.g. `[Apply here](https://...)`"
        ),
        "svg" => "`<svg>` is removed from the published page, with all it holds (a drawing written into a page can \
                  carry script); save it as a file in static/ and show it with `![what it shows](/static/drawing.svg)`"
            .to_string(),
        _ => format!(
            "`<{name}>` is removed from the published page: the site shows no embedded players or frames (another \
             site's script would run on its pages); link to it instead, e.g. `[Watch the interview](https://...)`"
        ),
    }
}

/// Whether an address is a relative path (`plan.pdf`, `./x/`, `../employers/x/`): not from the
/// site's root, not a content file (`@/`), not a web address (`https:`), not a `#fragment` or
/// `?query` of the page itself.
pub fn is_relative_path(dest: &str) -> bool {
    let path = &dest[..dest.find(['#', '?']).unwrap_or(dest.len())];
    !path.is_empty() && !path.starts_with(['/', '\\', '@']) && !has_scheme(path)
}

/// Whether an address starts with a kind (`https:`, `mailto:`): a letter, then letters, digits,
/// `+`, `-` or `.`, then a `:`.
fn has_scheme(dest: &str) -> bool {
    let Some((before, _)) = dest.split_once(':') else { return false };
    before.starts_with(|c: char| c.is_ascii_alphabetic())
        && before.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Where a relative address written on the page at `page` (`stories/x/`, `about/`) leads, as a
/// browser resolves it: the path on the site (decoded, without query or fragment: `../other/`
/// from `stories/x/` is `stories/other/`), and whether it climbed above the site's root (a
/// browser stops at the host's root, which on a sub-path host is outside the site). `None` for
/// an address that is no relative path (see [`is_relative_path`]).
pub fn resolve_relative(page: &str, dest: &str) -> Option<(String, bool)> {
    if !is_relative_path(dest) {
        return None;
    }
    let path = &dest[..dest.find(['#', '?']).unwrap_or(dest.len())];
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy().into_owned();
    let mut parts: Vec<&str> = page.split('/').filter(|p| !p.is_empty()).collect();
    let mut above = false;
    let segments: Vec<&str> = decoded.split(['/', '\\']).collect();
    for segment in &segments {
        match *segment {
            ".." => above |= parts.pop().is_none(),
            "." | "" => {}
            name => parts.push(name),
        }
    }
    let mut target = parts.join("/");
    // A path that ends at a folder (`../x/`, `..`) names that folder's page.
    if !parts.is_empty() && matches!(segments.last(), Some(&("" | "." | ".."))) {
        target.push('/');
    }
    Some((target, above))
}

/// One link or image of a document to the site itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkUse {
    /// The target as written (`/employers/x/#figures`, `@/stories/y.md`).
    pub written: String,
    /// The path on the site it points to, below the base path, without query or fragment and
    /// with `%xx` escapes decoded (`employers/x/`); `None` for an `@/` link that names no kind
    /// of content file.
    pub target: Option<String>,
    /// Whether it names a content file (`@/...`) rather than a path.
    pub by_source: bool,
    /// Whether it is written relative to its page (`plan.pdf`, `../x/`); its `target` is `None`
    /// when it climbs above the site's root, or is wrapped in curly quotes.
    pub relative: bool,
    /// 1-based line and column of the link in the Markdown text.
    pub line: u64,
    pub column: u64,
}

/// The href a link to the site gets, and what it points to; `None` for every other link
/// (relative, absolute, `#fragment`), which is left as written.
pub(crate) fn site_link(dest: &str, links: &SiteLinks) -> Option<(String, LinkUse)> {
    let split = |s: &str| -> (String, String) {
        let at = s.find(['#', '?']).unwrap_or(s.len());
        (s[..at].to_string(), s[at..].to_string())
    };
    let blank =
        LinkUse { written: dest.to_string(), target: None, by_source: false, relative: false, line: 0, column: 0 };
    if let Some(source) = dest.strip_prefix("@/") {
        let (path, rest) = split(source);
        let target = (links.source_page)(&path);
        let href = match &target {
            Some(t) => format!("{}{t}{rest}", links.base_path),
            // Reported by the model; the page is never published with it.
            None => dest.to_string(),
        };
        return Some((href, LinkUse { target, by_source: true, ..blank }));
    }
    // `@employers/x.yaml`, its slash forgotten, would be published as a relative link to a file
    // named `@employers`: it is told as an `@/` link that names no page.
    if dest.starts_with('@') {
        return Some((dest.to_string(), LinkUse { by_source: true, ..blank }));
    }
    // `”/employers/x/”`, quoted by a word processor, and `\static\plan.pdf`, written as Windows
    // writes paths (a browser reads `\` as `/`, so `/\host/` leaves the site): reported, never
    // given the base path.
    if unusable(dest) {
        return Some((dest.to_string(), LinkUse { relative: true, ..blank }));
    }
    if let Some(page) = &links.page
        && let Some((target, above)) = resolve_relative(page, dest)
    {
        return Some((dest.to_string(), LinkUse { target: (!above).then_some(target), relative: true, ..blank }));
    }
    // `//host` leaves the site, and `/\host` is read as it by browsers.
    let path = dest.strip_prefix('/').filter(|p| !p.starts_with(['/', '\\']))?;
    let (target, _) = split(path);
    let mut target = percent_encoding::percent_decode_str(&target).decode_utf8_lossy().into_owned();
    // `/employers/../about/` is `/about/` to a browser (dot segments are resolved; `..` at the
    // root stays there): checked as that, not as an employer called `..`.
    // `/../x/` leaves the site where it is published below a path (`/sub/../x/` is `/x/`).
    if target.split(['/', '\\']).any(|p| p == "." || p == "..") {
        match resolve_relative("", &format!("./{}", target.replace('%', "%25"))) {
            Some((_, true)) => {
                return Some((format!("{}{path}", links.base_path), LinkUse { relative: true, ..blank }));
            }
            Some((resolved, false)) => target = resolved,
            None => {}
        }
    }
    Some((format!("{}{path}", links.base_path), LinkUse { target: Some(target), ..blank }))
}

/// Line and column (1-based, in characters) of offsets into a text, asked for mostly in
/// increasing order: the lines are counted on from the last offset asked, not from the start.
#[derive(Default)]
struct Places {
    /// The last offset counted to, and the lines before it.
    counted: (usize, u64),
}

impl Places {
    fn at(&mut self, text: &str, at: usize) -> (u64, u64) {
        let at = at.min(text.len());
        if at < self.counted.0 {
            self.counted = (0, 0);
        }
        let (from, lines) = self.counted;
        let lines = lines + text.as_bytes()[from..at].iter().filter(|&&b| b == b'\n').count() as u64;
        self.counted = (at, lines);
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        (lines + 1, text.get(line_start..at).map_or(0, |s| s.chars().count()) as u64 + 1)
    }
}

/// Turns links to the site into hrefs below the base path, noting each with its line and column.
struct LinkPass<'s> {
    links: &'s SiteLinks,
    text: &'s str,
    found: Vec<LinkUse>,
    places: Places,
}

impl<'s> LinkPass<'s> {
    fn new(links: &'s SiteLinks, text: &'s str) -> Self {
        LinkPass { links, text, found: Vec::new(), places: Places::default() }
    }

    fn take<'a>(&mut self, dest: pulldown_cmark::CowStr<'a>, at: usize) -> pulldown_cmark::CowStr<'a> {
        let Some((href, mut used)) = site_link(&dest, self.links) else { return dest };
        (used.line, used.column) = self.places.at(self.text, at);
        self.found.push(used);
        href.into()
    }

    fn event<'a>(&mut self, e: Event<'a>, at: usize) -> Event<'a> {
        match e {
            // `<team@example.org>` is written out as `mailto:`: no path to check.
            Event::Start(Tag::Link { link_type: LinkType::Email, .. }) => e,
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                Event::Start(Tag::Link { link_type, dest_url: self.take(dest_url, at), title, id })
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                Event::Start(Tag::Image { link_type, dest_url: self.take(dest_url, at), title, id })
            }
            Event::Html(t) if t.contains('=') => Event::Html(self.take_raw(t, at)),
            Event::InlineHtml(t) if t.contains('=') => Event::InlineHtml(self.take_raw(t, at)),
            other => other,
        }
    }

    /// Links to the site written in raw HTML (`<a href="/employers/x/">`, `<img src="/static/p.png">`,
    /// `<a href="@/pages/about.md">`), given the base path (or their page's path) and noted like
    /// those of Markdown links.
    fn take_raw<'a>(&mut self, html: pulldown_cmark::CowStr<'a>, at: usize) -> pulldown_cmark::CowStr<'a> {
        // Each tag's first `href` and first `src` (a browser ignores a repeated attribute), with
        // the value as the browser reads it.
        let mut found: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        // An embedded player is removed by the sanitiser, and told (see `embeds`).
        for tag in raw_tags(&html).into_iter().filter(|t| !EMBEDS.contains(&t.name.as_str())) {
            let mut decoded: Option<Vec<(String, String)>> = None;
            for (k, a) in tag.attributes.iter().enumerate() {
                if !a.is_link() || tag.attributes[..k].iter().any(|b| b.name == a.name) {
                    continue;
                }
                let decoded = decoded.get_or_insert_with(|| tag.decoded(&html));
                let value = decoded.iter().find(|(n, _)| *n == a.name).map(|(_, v)| v.as_str()).unwrap_or_default();
                found.push((a.value.clone(), as_browser_reads(value).into_owned()));
            }
        }
        if found.is_empty() {
            return html;
        }
        // The event's text is where it starts in the source, unless the parser rebuilt it.
        let here = self.text.get(at..).is_some_and(|r| r.starts_with(html.as_ref()));
        let mut out = String::with_capacity(html.len() + 32);
        let mut last = 0;
        for (value, text) in found {
            let Some((href, mut used)) = site_link(&text, self.links) else { continue };
            (used.line, used.column) = self.places.at(self.text, if here { at + value.start } else { at });
            self.found.push(used);
            out.push_str(&html[last..value.start]);
            out.push_str(&escape(&href));
            last = value.end;
        }
        out.push_str(&html[last..]);
        out.into()
    }
}

/// One attribute of a tag of raw HTML: its name in lower case, and where its value lies in the
/// HTML (inside its quotes; empty for an attribute without a value).
struct RawAttribute {
    name: String,
    value: std::ops::Range<usize>,
}

impl RawAttribute {
    /// Whether the attribute holds an address a browser follows or loads (`href`, `src`).
    fn is_link(&self) -> bool {
        self.name == "href" || self.name == "src"
    }
}

/// One opening tag of raw HTML: where it lies (from its `<` to after its `>`), its name in lower
/// case and its attributes.
struct RawTag {
    at: usize,
    end: usize,
    name: String,
    attributes: Vec<RawAttribute>,
}

impl RawTag {
    /// The tag's attributes as a browser reads them: names in lower case, values with every
    /// character reference decoded (`&amp;`, `&nbsp;`, `&#47;`), the first of a repeated name kept.
    fn decoded(&self, html: &str) -> Vec<(String, String)> {
        let tag = &html[self.at..self.end];
        if tag.ends_with('>') {
            decoded_attributes(tag)
        } else {
            // A tag cut off (by the end of a line of inline HTML) is read as far as it goes.
            decoded_attributes(&format!("{tag}>"))
        }
    }
}

/// The attributes of the first tag of `html`, read by the sanitiser's own HTML tokenizer
/// (html5ever's), so values are what the browser will see.
fn decoded_attributes(html: &str) -> Vec<(String, String)> {
    use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer};
    #[derive(Default)]
    struct First(std::cell::RefCell<Option<Vec<(String, String)>>>);
    impl TokenSink for First {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            let mut first = self.0.borrow_mut();
            if let (None, Token::TagToken(tag)) = (first.as_ref(), token)
                && tag.kind == TagKind::StartTag
            {
                *first = Some(tag.attrs.iter().map(|a| (a.name.local.to_string(), a.value.to_string())).collect());
            }
            TokenSinkResult::Continue
        }
    }
    let tokenizer = Tokenizer::new(First::default(), Default::default());
    let queue = BufferQueue::default();
    queue.push_back(html5ever::tendril::StrTendril::from_slice(html));
    let _ = tokenizer.feed(&queue);
    tokenizer.end();
    tokenizer.sink.0.take().unwrap_or_default()
}

/// The parser's events with their places in the text, the lines of each HTML block joined into
/// one `Html` event (the parser gives one a line), so a tag written over several lines is read
/// whole.
fn events(source: &str) -> impl Iterator<Item = (Event<'_>, std::ops::Range<usize>)> {
    let mut inner = Parser::new_ext(source, options()).into_offset_iter().peekable();
    std::iter::from_fn(move || {
        let (e, mut range) = inner.next()?;
        let Event::Html(first) = e else { return Some((e, range)) };
        if !matches!(inner.peek(), Some((Event::Html(_), _))) {
            return Some((Event::Html(first), range));
        }
        let mut text = first.into_string();
        while let Some((Event::Html(next), next_range)) = inner.next_if(|(e, _)| matches!(e, Event::Html(_))) {
            text.push_str(&next);
            range.end = next_range.end;
        }
        Some((Event::Html(text.into()), range))
    })
}

/// The opening tags of a piece of raw HTML, in order, with their attributes (`name`,
/// `name=value`, `name="value"` or `name='value'`); comments are skipped. One pass over the text.
fn raw_tags(html: &str) -> Vec<RawTag> {
    let bytes = html.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(off) = memchr_lt(&bytes[i..]) {
        let at = i + off;
        i = at + 1;
        if html[at..].starts_with("<!--") {
            i = html[at + 4..].find("-->").map_or(bytes.len(), |e| at + 4 + e + 3);
            continue;
        }
        if !bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let ends_name = |b: u8| b.is_ascii_whitespace() || matches!(b, b'/' | b'>');
        let name_start = i;
        while i < bytes.len() && !ends_name(bytes[i]) {
            i += 1;
        }
        let name = html[name_start..i].to_ascii_lowercase();
        let mut attributes = Vec::new();
        while i < bytes.len() && bytes[i] != b'>' {
            if bytes[i].is_ascii_whitespace() || bytes[i] == b'/' {
                i += 1;
                continue;
            }
            let name_start = i;
            // A name runs to `=`, a space, `/` or `>`; it holds at least one character.
            i += 1;
            while i < bytes.len() && !ends_name(bytes[i]) && bytes[i] != b'=' {
                i += 1;
            }
            let name = html[name_start..i].to_ascii_lowercase();
            let mut j = i;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            let mut value = i..i;
            if bytes.get(j) == Some(&b'=') {
                j += 1;
                while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                match bytes.get(j) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let end = html[j + 1..].find(q as char).map_or(bytes.len(), |e| j + 1 + e);
                        value = j + 1..end;
                        j = (end + 1).min(bytes.len());
                    }
                    _ => {
                        let start = j;
                        while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' {
                            j += 1;
                        }
                        value = start..j;
                    }
                }
                i = j;
            }
            attributes.push(RawAttribute { name, value });
        }
        i = (i + 1).min(bytes.len());
        found.push(RawTag { at, end: i, name, attributes });
    }
    found
}

/// Whether raw HTML in `source` may hold an `href` or `src` to the site itself, judged from its
/// text: an attribute value (after `=`, spaces and a quote) that starts with anything but a
/// letter or digit. Only `false` is certain (see [`may_link_to_site`]).
fn html_may_link_to_site(source: &str) -> bool {
    source.contains('<')
        && source.match_indices('=').any(|(i, _)| {
            let rest = source[i + 1..].trim_start_matches([' ', '\t', '\n', '\r']);
            let rest = rest.strip_prefix(['"', '\'']).unwrap_or(rest);
            !rest.starts_with(|c: char| c.is_ascii_alphanumeric())
        })
}

/// The links and images of `source` to the site itself, without rendering it: stories are
/// rendered when their page is, after the checks, but their links are checked with the rest.
/// A text over the limits has none (it is refused when rendered).
pub fn site_links(source: &str, links: &SiteLinks) -> Vec<LinkUse> {
    let may_link = may_link_to_site(source) || (links.page.is_some() && may_link_relative(source));
    if !may_link || over_limit(source) {
        return Vec::new();
    }
    let mut pass = LinkPass::new(links, source);
    for (e, range) in events(source) {
        if matches!(e, Event::Start(Tag::Link { .. } | Tag::Image { .. }) | Event::Html(_) | Event::InlineHtml(_)) {
            pass.event(e, range.start);
        }
    }
    pass.found
}

/// Whether `source` may hold a link or image to the site itself, judged from its text without
/// parsing it (a full parse of every story for its links was 4% of a build whose stories all link
/// elsewhere). Only `false` is certain. A site link's destination starts with `/` or `@/` (see
/// [`site_link`]); an inline destination follows `](` straight away, after optional spaces, one
/// line end and `<`; a reference destination follows `]:`, so any `]:` counts. A destination
/// that starts with a letter or digit (`https:`, `mailto:`, `photo.jpg`) cannot name the site;
/// anything else may (`&#47;` and `\/` spell a `/`).
fn may_link_to_site(source: &str) -> bool {
    source.contains("]:")
        // A link written in raw HTML (`<a href="/employers/x/">`, `<img src="@/...">`).
        || html_may_link_to_site(source)
        || link_opens(source).any(|i| {
            let rest = source[i + 2..].trim_start_matches([' ', '\t', '\n', '\r']).trim_start_matches('<');
            !rest.starts_with(|c: char| c.is_ascii_alphanumeric())
        })
}

/// Whether `source` may hold a relative link or image (`plan.pdf`, `team/`), judged from its
/// text as [`may_link_to_site`] is: an inline destination that starts with no kind of address
/// (`https:`), a reference definition (`]:`), or raw HTML with an attribute. Only `false` is
/// certain; a text whose links all leave the site is not parsed for them.
pub fn may_link_relative(source: &str) -> bool {
    source.contains("]:")
        || (source.contains('<') && source.contains('='))
        || link_opens(source).any(|i| {
            let rest = source[i + 2..].trim_start_matches([' ', '\t', '\n', '\r']).trim_start_matches('<');
            let dest = rest.split([')', ' ', '\n']).next().unwrap_or(rest);
            !has_scheme(dest) || foreign_scheme(dest).is_some()
        })
}

/// Raw HTML nested deeper than this is refused: HTML parsing (the sanitiser's) costs more than
/// linear time in the nesting depth, so 64,000 nested `<div>`s took 30 s to sanitise. Depth is
/// that of the tree the parser builds: `<div/>` opens a `<div>` (99,000 of them took 29 s).
pub const MAX_HTML_DEPTH: usize = 128;
/// Raw HTML with more elements than this is refused, so the sanitiser's memory and time per page
/// stay bounded whatever the file (a long story has a few hundred). Counted are the elements the
/// parser creates, those it re-creates included: 127 `<b>`s left open before 99,000 `<p>x`
/// made 12.6 million elements and took 3.4 GB.
pub const MAX_HTML_ELEMENTS: usize = 100_000;
/// A raw HTML tag with more attributes than this is refused: the sanitiser's HTML parser checks
/// each new attribute against the tag's others, so 40,000 attributes on one tag took 13 s, and
/// 9,000 tags of 255 attributes (6.8 MB) 12.8 s in a debug build: a file's cost is about this
/// limit times its attributes. Real tags carry a handful.
pub const MAX_HTML_ATTRIBUTES: usize = 64;

/// Markdown with more marks than this (see [`markup`]) is refused before it is parsed: the
/// parser holds a node (about 100 bytes) per element of the whole document, so a 7.9 MB story of
/// tiny paragraphs took 480 MB and one of 3.75 million `+ ` bullets 790 MB. Bounds each page's
/// memory whatever the file; a long story has a few thousand.
pub const MAX_MARKUP: usize = 250_000;

/// Why a document was not rendered, in the editor's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TooComplex {
    #[error(
        "it has more than {MAX_MARKUP} Markdown marks (line breaks, list and quote markers, `*`, `_`, `[`, `]`, `<`, \
         table cells, ...); split the text"
    )]
    Markup,
    #[error(
        "its HTML is nested more than {MAX_HTML_DEPTH} elements deep (`<div/>` opens a `<div>` that stays open, \
         as `<div>` does); simplify the HTML"
    )]
    Depth,
    #[error("it has more than {MAX_HTML_ELEMENTS} HTML elements; simplify the HTML or split the text")]
    Elements,
    #[error(
        "its HTML leaves formatting tags such as `<b>`, `<i>`, `<a>` or `<font>` open or wrongly nested, and HTML \
         repeats them in every paragraph or block after it, past {MAX_HTML_ELEMENTS} elements in all or an \
         eighth of the file's size; close each tag in the paragraph that opens it"
    )]
    Reopened,
    #[error("one of its HTML tags has more than {MAX_HTML_ATTRIBUTES} attributes; simplify the HTML")]
    Attributes,
    #[error(
        "its HTML repeats `<html>` or `<body>` tags with more than {} attributes in all; remove those tags (a story \
         is part of a page and needs neither)",
        html_shape::MAX_MERGED
    )]
    Merged,
    #[error(
        "its HTML puts more than {} pieces of text or tags directly inside a `<table>`, outside any cell (HTML \
         moves each out before the table); put them in `<td>` cells or outside the table",
        html_shape::MAX_FOSTERED
    )]
    Fostered,
}

/// Bytes of names and attributes the HTML parser may copy when it re-creates elements left
/// open, beyond an eighth of the HTML's length: a small story may leave a few open across a
/// few hundred paragraphs, and a copied attribute can print six times its size (`"` is written
/// `&quot;`), so copying as much as the file itself made a 7.9 MB story's page 52 MB and cost
/// 270 MB.
const HTML_COPY_ALLOWANCE: usize = 64 * 1024;

/// Checks raw HTML against the limits before the sanitiser parses it: first one linear pass
/// over the tags written (their number and each one's attributes: the parser's tokenizer is
/// quadratic in a tag's attributes), then the sanitiser's own parser run into a counter, which
/// sees the elements the parser creates that the file never wrote (see [`html_shape`]).
fn check_html(html: &str) -> Result<(), TooComplex> {
    let bytes = html.as_bytes();
    let (mut elements, mut i) = (0usize, 0usize);
    while let Some(off) = memchr_lt(&bytes[i..]) {
        i += off + 1;
        if bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
            let name_end = bytes[i..].iter().position(|b| !b.is_ascii_alphanumeric()).map_or(bytes.len(), |n| i + n);
            let close = tag_end(bytes, name_end);
            elements += 1;
            if elements > MAX_HTML_ELEMENTS {
                return Err(TooComplex::Elements);
            }
            if attributes(&bytes[name_end..close]) > MAX_HTML_ATTRIBUTES {
                return Err(TooComplex::Attributes);
            }
            i = close;
        }
    }
    let max_copied = html.len() / 8 + HTML_COPY_ALLOWANCE;
    match html_shape::measure(html, MAX_HTML_DEPTH, MAX_HTML_ELEMENTS, max_copied) {
        Ok(_) => Ok(()),
        Err(Over::Depth) => Err(TooComplex::Depth),
        // The tags written are within the limit (counted above), so the rest were re-created.
        Err(Over::Elements | Over::Copied) => Err(TooComplex::Reopened),
        Err(Over::Merged) => Err(TooComplex::Merged),
        Err(Over::Fostered) => Err(TooComplex::Fostered),
    }
}

/// An upper bound, up to a constant factor, on the nodes the Markdown parser builds for `source`.
/// The parser builds its whole tree of blocks and inline marks before it yields the first event,
/// so counting events would come too late: the bound is taken from the text before parsing.
/// Counted: every byte that can open or close a block or an inline element (with this parser's
/// options), the words of a `{...}` heading attribute block, and the cells the parser adds to
/// table rows that have fewer than the header (it pads each row up to the header's width).
/// Stops counting once past `limit` (a refused file need not be read to its end).
fn markup(source: &str, limit: usize) -> usize {
    let b = source.as_bytes();
    let mut n = 0;
    for (i, &c) in b.iter().enumerate() {
        if n > limit {
            return n;
        }
        let before = if i > 0 { b[i - 1] } else { b' ' };
        n += usize::from(match c {
            b'\n' | b'*' | b'_' | b'`' | b'[' | b']' | b'!' | b'<' | b'~' | b'|' | b'\\' | b'&' | b'\'' | b'"'
            | b'-' | b'#' | b'>' | b'+' => true,
            // A lone carriage return ends a line too (old Mac files); after CRLF it is one end.
            b'\r' => b.get(i + 1) != Some(&b'\n'),
            // Numbered list markers (`1.`, `1)`) and the dots of an ellipsis.
            b'.' => before.is_ascii_digit() || before == b'.',
            b')' => before.is_ascii_digit(),
            _ => false,
        });
    }
    if n > limit {
        return n;
    }
    n += attribute_words(source);
    if n > limit {
        return n;
    }
    n + padded_cells(source)
}

/// Lines as the Markdown parser sees them: ended by `\n`, `\r\n` or a lone `\r`.
fn lines(source: &str) -> impl Iterator<Item = &str> {
    source.split('\n').flat_map(|l| l.strip_suffix('\r').unwrap_or(l).split('\r'))
}

/// Words inside `{` ... `}` that could be a heading's attribute block (`# Title {#id .class}`):
/// the parser keeps one entry per word. The block holds no `\`, `<` or `>` and ends with its
/// paragraph, so counting stops there; an unclosed `{` is counted too, which only overestimates.
fn attribute_words(source: &str) -> usize {
    let (mut n, mut inside) = (0, false);
    for line in lines(source) {
        if line.trim().is_empty() {
            inside = false;
            continue;
        }
        let mut in_word = false;
        for c in line.bytes() {
            match c {
                b'{' => inside = true,
                b'}' | b'\\' | b'<' | b'>' => inside = false,
                _ => {}
            }
            let word = !c.is_ascii_whitespace();
            n += usize::from(inside && word && !in_word);
            in_word = word;
        }
    }
    n
}

/// Cells of the tables in `source`, counted as the header's width for every row up to the next
/// blank line: the parser pads short rows with empty cells, so a few hundred bytes of header
/// and bare lines make a table of a hundred thousand cells. A delimiter row (`|---|:-:|`), after
/// any quote marks and indentation, starts a table as wide as its runs of `-`.
fn padded_cells(source: &str) -> usize {
    let (mut n, mut width) = (0, 0);
    for line in lines(source) {
        let content = line.trim_start_matches([' ', '\t', '>']).trim_end();
        if content.is_empty() {
            width = 0;
        } else if width > 0 {
            n += width;
        } else if content.contains('|')
            && content.contains('-')
            && content.bytes().all(|c| matches!(c, b'|' | b'-' | b':' | b' ' | b'\t'))
        {
            width = content.split(['|', ':', ' ', '\t']).filter(|run| !run.is_empty()).count();
        }
    }
    n
}

/// Attributes in the text of a tag after its name: each run of characters outside quotes that
/// follows a space starts one (`a=1 b="x y" c` is three). Only an upper bound is needed.
fn attributes(tag: &[u8]) -> usize {
    let (mut n, mut quote, mut after_space) = (0, None, true);
    for &b in tag {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, _) if b.is_ascii_whitespace() || b == b'/' => after_space = true,
            (None, _) => {
                n += usize::from(after_space);
                after_space = false;
            }
        }
    }
    n
}

/// Whether `source` has more than [`MAX_MARKUP`] marks. Each byte adds at most one mark in the
/// first pass of [`markup`] and the attribute words at most one per two bytes (plus one), so a
/// text of up to `MAX_MARKUP / 2` bytes cannot pass the limit unless its tables' padded cells
/// take it there: the full count, three passes over the text, is left to long texts and large
/// tables (it was 10% of a build).
fn over_limit(source: &str) -> bool {
    if source.len() <= MAX_MARKUP / 2 {
        // Tables add the padded cells on top of that bound; only their (one) pass is needed.
        let tables = if source.contains('|') { padded_cells(source) } else { 0 };
        if source.len() * 3 / 2 + 1 + tables <= MAX_MARKUP {
            return false;
        }
    }
    markup(source, MAX_MARKUP) > MAX_MARKUP
}

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'<')
}

/// Index of the `>` that ends a tag whose attributes start at `from` (quotes respected).
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut quote = None;
    for (n, &b) in bytes[from..].iter().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if b == q => quote = None,
            (None, b'>') => return from + n,
            _ => {}
        }
    }
    bytes.len()
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One image of a Markdown text (`![alt](src)`), with its text alternative, or one link.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageUse {
    /// Whether it is an image (else a link, whose `alt` is its text).
    pub is_image: bool,
    /// The source (or target) as written.
    pub src: String,
    /// The alternative text: the words between the brackets, as plain text.
    pub alt: String,
    /// 1-based line and column of the `!` (or the `<img` tag) in the Markdown text.
    pub line: u64,
    pub column: u64,
    /// Whether it is written as an HTML `<img>` tag rather than in Markdown.
    pub raw_html: bool,
}

/// Whether `source` holds the start of an HTML `<img` tag, in any case.
fn has_img_tag(source: &str) -> bool {
    // From each `<` (found by the fast byte search; most stories have none), not a window at
    // every byte: that took a fiftieth of a large build.
    let bytes = source.as_bytes();
    source.match_indices('<').any(|(i, _)| bytes.get(i + 1..i + 4).is_some_and(|w| w.eq_ignore_ascii_case(b"img")))
}

/// The pictures (`<img src alt>`) and links (`<a href>`) of a piece of raw HTML, each with its
/// tag's byte offset in `html`; attributes' escapes undone, a missing one empty.
fn html_images_and_links(html: &str) -> Vec<(usize, ImageUse)> {
    raw_tags(html)
        .into_iter()
        .filter_map(|tag| {
            let is_image = match tag.name.as_str() {
                "img" => true,
                "a" if tag.attributes.iter().any(|a| a.name == "href") => false,
                _ => return None,
            };
            let attributes = tag.decoded(html);
            let value = |name: &str| attributes.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
            let src = value(if is_image { "src" } else { "href" }).unwrap_or_default();
            let src = as_browser_reads(&src).into_owned();
            let alt = if is_image { value("alt").unwrap_or_default() } else { String::new() };
            Some((tag.at, ImageUse { is_image, src, alt, line: 0, column: 0, raw_html: true }))
        })
        .collect()
}

/// Every image and link of `source`, in document order. A text over the limits has none (it is
/// refused when rendered).
pub fn images(source: &str) -> Vec<ImageUse> {
    site_links_and_images(source, &SiteLinks::default()).1
}

/// As [`site_links`], and every image and link of `source`, links' text with them (see
/// [`images`]), in one reading of the text. A text that can hold no image, no link to the site
/// and no relative link (most stories) is not parsed here at all.
pub fn site_links_and_images(source: &str, links: &SiteLinks) -> (Vec<LinkUse>, Vec<ImageUse>) {
    if !links_worth_reading(source) || over_limit(source) {
        return (Vec::new(), Vec::new());
    }
    links_and_images_in(source, links, events(source))
}

/// Whether `source` may hold an image or a link that [`site_links_and_images`] looks for.
fn links_worth_reading(source: &str) -> bool {
    // Every image, inline or by reference, is written `![`.
    source.contains("![") || may_link_to_site(source) || has_img_tag(source) || may_link_relative(source)
}

/// [`site_links_and_images`], given the events of `source`.
fn links_and_images_in<'a>(
    source: &'a str,
    links: &SiteLinks,
    events: impl Iterator<Item = (Event<'a>, std::ops::Range<usize>)>,
) -> (Vec<LinkUse>, Vec<ImageUse>) {
    let mut pass = LinkPass::new(links, source);
    let mut found: Vec<ImageUse> = Vec::new();
    // Images nest (an image's alt may hold another image): the alt text goes to the innermost.
    let mut open: Vec<usize> = Vec::new();
    let mut places = Places::default();
    for (e, range) in events {
        if matches!(&e, Event::Html(_) | Event::InlineHtml(_)) {
            pass.event(e.clone(), range.start);
        }
        match &e {
            Event::Start(Tag::Image { dest_url, .. } | Tag::Link { dest_url, .. }) => {
                let (line, column) = places.at(source, range.start);
                let email = matches!(e, Event::Start(Tag::Link { link_type: LinkType::Email, .. }));
                found.push(ImageUse {
                    is_image: matches!(e, Event::Start(Tag::Image { .. })),
                    src: if email { format!("mailto:{dest_url}") } else { dest_url.to_string() },
                    alt: String::new(),
                    line,
                    column,
                    raw_html: false,
                });
                open.push(found.len() - 1);
                pass.event(e, range.start);
            }
            // `<img src="p.jpg">` written as HTML is a picture like `![..](p.jpg)`, and
            // `<a href="plan.pdf">` a link like `[..](plan.pdf)`.
            Event::Html(t) | Event::InlineHtml(t) if t.contains('<') => {
                // The event's text is where it starts in the source, unless the parser rebuilt it.
                let here = source.get(range.clone()).filter(|r| r.starts_with(t.as_ref())).is_some();
                for (offset, mut used) in html_images_and_links(t) {
                    (used.line, used.column) = places.at(source, if here { range.start + offset } else { range.start });
                    found.push(used);
                }
            }
            Event::End(TagEnd::Image | TagEnd::Link) => {
                open.pop();
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(&i) = open.last() {
                    found[i].alt.push_str(t);
                }
            }
            _ => {}
        }
    }
    (pass.found, found)
}

/// An HTML attribute's value as text (`&amp;` is `&`; `it&#x27;s.jpg` is the file `it's.jpg`).
pub fn attribute_text(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    value
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// As [`render_with`], for a site published at the root of its host whose `@/` links name no page.
pub fn render(source: &str) -> Rendered {
    render_with(source, &SiteLinks::default())
}

/// Render Markdown to HTML with heading anchors, then sanitise it: content is written by many
/// hands, so raw HTML and `javascript:` links must never reach a page as live script. Links to
/// the site itself are given the base path (see [`SiteLinks`]) and listed in [`Rendered::links`].
pub fn render_with(source: &str, links: &SiteLinks) -> Rendered {
    if over_limit(source) {
        return Rendered {
            html: format!("<pre>{}</pre>", escape(source)),
            too_complex: Some(TooComplex::Markup),
            links: Vec::new(),
        };
    }
    let mut pass = LinkPass::new(links, source);
    let mut raw_html = false;
    let mut out = String::with_capacity(source.len() * 3 / 2);
    // One streaming pass from the parser into HTML (events are never all held: a list of them
    // took many times the file's size): headings anchored, deep nesting flattened, link targets
    // checked, raw HTML noted.
    html::push_html(
        &mut out,
        Prepared::new(events(source).map(|(e, range)| pass.event(e, range.start))).reserving(source).map(|e| {
            if matches!(e, Event::Html(_) | Event::InlineHtml(_)) {
                raw_html = true;
            }
            match e {
                Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                    Event::Start(Tag::Link { link_type, dest_url: safe_dest(dest_url), title, id })
                }
                Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                    Event::Start(Tag::Image { link_type, dest_url: safe_dest(dest_url), title, id })
                }
                other => other,
            }
        }),
    );
    // Without raw HTML, pulldown-cmark escapes every text and attribute and link targets were
    // checked above, so the (costly) sanitiser only runs on documents that carry raw HTML.
    let links = pass.found;
    if !raw_html {
        return Rendered { html: out, too_complex: None, links };
    }
    match check_html(&out) {
        Ok(()) => Rendered { html: sanitiser().clean(&out).to_string(), too_complex: None, links },
        Err(why) => Rendered { html: format!("<pre>{}</pre>", escape(&out)), too_complex: Some(why), links },
    }
}

/// Link and image targets: http(s), mailto, or relative; anything else (javascript:, data:,
/// vbscript:, ...) becomes an inert `#`.
fn safe_dest(url: pulldown_cmark::CowStr<'_>) -> pulldown_cmark::CowStr<'_> {
    let cleaned: String =
        url.chars().filter(|c| !c.is_whitespace() && !c.is_control()).take(16).collect::<String>().to_ascii_lowercase();
    let scheme = cleaned.split_once(':').map(|(s, _)| s).filter(|s| !s.contains(['/', '?', '#']));
    match scheme {
        None | Some("http" | "https" | "mailto" | "tel") => url,
        Some(_) => "#".into(),
    }
}

/// Elements nested deeper than this are flattened (their text kept): thousands of nested
/// blockquotes are never content, and they make HTML sanitising quadratic.
const MAX_DEPTH: usize = 32;

/// The parser's events, with every heading given an id from its text (unique within the
/// document) so it can be linked, and elements nested too deeply dropped. Streams: only one
/// heading's events are held at a time.
struct Prepared<'a, I: Iterator<Item = Event<'a>>> {
    inner: I,
    used: Anchors,
    /// For each open element, whether it was kept.
    open: Vec<bool>,
    kept_depth: usize,
    /// A heading's events, read ahead to make its id.
    pending: std::collections::VecDeque<Event<'a>>,
}

impl<'a, I: Iterator<Item = Event<'a>>> Prepared<'a, I> {
    fn new(inner: I) -> Self {
        Prepared { inner, used: Anchors::default(), open: Vec::new(), kept_depth: 0, pending: Default::default() }
    }

    /// The ids a heading must not take: the theme's own on the pages Markdown is shown on
    /// (`main`, the skip link's target), and the footnotes' of `source` (`[^source]:`), which
    /// the parser gives as written. A heading `## Source` took `id="source"` and its footnote's
    /// link jumped to the heading (issue 17, round 11).
    fn reserving(mut self, source: &str) -> Self {
        self.used.used.extend(THEME_IDS.iter().map(|id| id.to_string()));
        if source.contains("[^") {
            for (at, _) in source.match_indices("[^") {
                let rest = &source[at + 2..];
                if let Some(end) = rest.find("]:").filter(|&e| !rest[..e].contains([']', '\n'])) {
                    self.used.used.insert(rest[..end].to_string());
                }
            }
        }
        self
    }

    /// The next event that survives flattening.
    fn next_kept(&mut self) -> Option<Event<'a>> {
        loop {
            let e = self.inner.next()?;
            let keep = match &e {
                Event::Start(_) => {
                    let k = self.kept_depth < MAX_DEPTH;
                    self.open.push(k);
                    self.kept_depth += usize::from(k);
                    k
                }
                // An element's end goes with its start, kept or not.
                Event::End(_) => {
                    let k = self.open.pop().unwrap_or(true);
                    if k {
                        self.kept_depth = self.kept_depth.saturating_sub(1);
                    }
                    k
                }
                _ => true,
            };
            if keep {
                return Some(e);
            }
        }
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for Prepared<'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if let Some(e) = self.pending.pop_front() {
            return Some(e);
        }
        let mut e = self.next_kept()?;
        // `## First {#intro}` and `## Second {#intro}`: the second gets `intro-2`.
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = &mut e
            && !self.used.used.insert(id.to_string())
        {
            let taken = id.to_string();
            let free = (2..).map(|n| format!("{taken}-{n}")).find(|c| !self.used.used.contains(c)).unwrap_or(taken);
            self.used.used.insert(free.clone());
            *id = free.into();
        }
        if let Event::Start(Tag::Heading { id: None, .. }) = &e {
            while let Some(next) = self.next_kept() {
                let end = matches!(next, Event::End(TagEnd::Heading(_)));
                self.pending.push_back(next);
                if end {
                    break;
                }
            }
            let slug = unique_slug(&heading_text(self.pending.make_contiguous()), &mut self.used);
            if let Event::Start(Tag::Heading { id, .. }) = &mut e {
                *id = Some(slug.into());
            }
        }
        Some(e)
    }
}

fn heading_text(events: &[Event<'_>]) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            _ => {}
        }
    }
    s
}

/// Ids the default theme gives elements of the pages Markdown is shown on (story, free page,
/// employer): a heading taking one would be the target of the theme's own links.
const THEME_IDS: [&str; 14] = [
    "main",
    "commitment-h",
    "figures-h",
    "practice-h",
    "practices",
    "stories-h",
    "summary-h",
    "trend-h",
    "rep-h",
    "out-h",
    "extra-h",
    "share-h",
    "badge-code",
    "emp-h",
];

/// Heading anchors given so far, and for each base the next suffix to try: without it, N
/// headings of the same text cost N² tries (an outside test hung a build on `# a` × 20,000).
#[derive(Default)]
struct Anchors {
    used: HashSet<String>,
    next: std::collections::HashMap<String, usize>,
}

fn unique_slug(text: &str, anchors: &mut Anchors) -> String {
    let base = crate::slug::slugify(text);
    let base = if base.is_empty() { "section".to_string() } else { base };
    if anchors.used.insert(base.clone()) {
        return base;
    }
    let n = anchors.next.entry(base.clone()).or_insert(1);
    loop {
        *n += 1;
        let candidate = format!("{base}-{n}");
        if anchors.used.insert(candidate.clone()) {
            return candidate;
        }
    }
}

fn sanitiser() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_generic_attributes(["id"])
            .add_tag_attributes("td", ["style"])
            .add_tag_attributes("th", ["style"])
            .add_tag_attributes("ol", ["start"])
            .add_tags(["sup", "section", "input"])
            .add_allowed_classes("sup", ["footnote-reference"])
            .add_allowed_classes("div", ["footnote-definition"])
            .add_allowed_classes("span", ["footnote-definition-label"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
            .link_rel(Some("noopener noreferrer"));
        // `style` on table cells is only ever text-align from pulldown-cmark; filter anything else.
        b.attribute_filter(|_, attr, value| {
            if attr == "style" && !value.starts_with("text-align:") { None } else { Some(value.into()) }
        });
        b
    })
}

#[cfg(test)]
mod tests {

    /// Every link to the site that a full parse finds, the quick look at the text also suspects.
    fn all_site_links(source: &str) -> Vec<LinkUse> {
        let links = SiteLinks::default();
        let mut pass = LinkPass::new(&links, source);
        for (e, range) in events(source) {
            pass.event(e, range.start);
        }
        pass.found
    }

    #[test]
    fn links_elsewhere_need_no_parse_and_site_links_are_never_missed() {
        for text in [
            "[a](https://example.org/x)",
            "see ![p](photo.jpg) and [m](mailto:a@b.org)",
            "no links",
            "<a href=\"https://example.org/\">a</a> and a = b",
        ] {
            assert!(!may_link_to_site(text), "{text}");
        }
        for text in [
            "[a](/employers/x/)",
            "[a]( /x)",
            "[a](\n/x)",
            "[a](</x y>)",
            "[a](&#47;x)",
            "[a](\\/x)",
            "[a](@/employers/x.yaml)",
            "![p](/static/p.png)",
            "[a][r]\n\n[r]: /x",
            "[a](https://e.org/) then [b](/x)",
            "<a href=\"/x\">a</a>",
            "<img alt=p src='/p.png'>",
            "<p><a class=b href = /x>a</a></p>",
            "<div>\n<a\n  href=\"/x\">a</a>\n</div>",
            "<a href=\"&#47;x\">a</a>",
        ] {
            assert!(!all_site_links(text).is_empty(), "a full parse finds the link in {text:?}");
            assert!(may_link_to_site(text), "{text:?}");
        }
    }

    #[test]
    fn every_image_is_read_whether_or_not_links_are() {
        for text in
            ["![](photo.jpg)", "a ![b][r]\n\n[r]: p.png", "![b]\n\n[b]: p.png", "x\n\n![a](https://e.org/p.png)"]
        {
            let (_, found) = site_links_and_images(text, &SiteLinks::default());
            assert!(found.iter().any(|i| i.is_image), "{text:?}");
        }
        // A text whose links all leave the site is not read for them; a relative link (issue 17,
        // round 7: `plan.pdf` in a story written as one file was never checked) is read.
        let (links, found) =
            site_links_and_images("[a](https://e.org/) and [b](mailto:a@e.org)", &SiteLinks::default());
        assert!(links.is_empty() && found.is_empty());
        for text in
            ["[b](doc.pdf)", "[b](x.html)", "[b]( team/ )", "<a href=\"plan.pdf\">p</a>", "[b][r]\n\n[r]: p.pdf"]
        {
            let (_, found) = site_links_and_images(text, &SiteLinks::default());
            assert_eq!(found.len(), 1, "a relative link is read in {text:?}");
            assert!(may_link_relative(text), "{text:?}");
        }
    }

    /// Outside round 11 of issue 17, item 3: a heading took a footnote's id (`## Source` and
    /// `[^source]`), the theme's `main`, or an explicit id written twice; every id is now unique.
    #[test]
    fn headings_take_no_id_of_a_footnote_the_theme_or_each_other() {
        let md = "Our source[^source] says so.\n\n## Source\n\n## Main\n\n## First {#intro}\n\n## Second {#intro}\n\n\
                  [^source]: The ONS.\n";
        let html = render(md).html;
        let ids: Vec<&str> = html.split("id=\"").skip(1).map(|r| &r[..r.find('"').unwrap()]).collect();
        let mut unique = ids.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "{ids:?} in {html}");
        assert!(!ids.contains(&"main"), "{ids:?}");
        assert!(ids.contains(&"intro") && ids.contains(&"intro-2"), "{ids:?}");
        assert_eq!(ids.iter().filter(|i| **i == "source").count(), 1, "{ids:?}");
    }

    #[test]
    fn relative_links_of_a_page_are_resolved_from_it_and_addresses_read_as_a_browser_does() {
        let about = SiteLinks { base_path: "/sub/".into(), ..Default::default() }.on_page("about/");
        let md = "[p](plan.pdf) [e](../employers/x/#f) [up](../../x/) [q](\u{201D}/employers/x/\u{201D}) \
                  <a href=\" /employers/y/ \">y</a> [w](https://e.org/) [t](#top)\n";
        let r = render_with(md, &about);
        let got: Vec<(&str, Option<&str>, bool)> =
            r.links.iter().map(|l| (l.written.as_str(), l.target.as_deref(), l.relative)).collect();
        assert_eq!(
            got,
            [
                ("plan.pdf", Some("about/plan.pdf"), true),
                ("../employers/x/#f", Some("employers/x/"), true),
                ("../../x/", None, true),
                ("\u{201D}/employers/x/\u{201D}", None, true),
                ("/employers/y/", Some("employers/y/"), false),
            ]
        );
        // The spaces around an `href` are dropped, as a browser drops them, and the base path given.
        assert!(r.html.contains("href=\"/sub/employers/y/\""), "{}", r.html);
        // Relative links are left as written: a browser resolves them from the page.
        assert!(r.html.contains("href=\"plan.pdf\""), "{}", r.html);
        assert_eq!(as_browser_reads(" \t/x/\n "), "/x/");
        // Dot segments in a path from the root are resolved as a browser resolves them; one
        // that climbs above the root is reported (issue 17, round 7).
        let r = render_with("[a](/employers/../about/) [b](/../x/)", &about);
        let got: Vec<(Option<&str>, bool)> = r.links.iter().map(|l| (l.target.as_deref(), l.relative)).collect();
        assert_eq!(got, [(Some("about/"), false), (None, true)]);
        assert_eq!(as_browser_reads("/a\tb/"), "/ab/");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// Links built from pieces that may or may not spell a site link, among other Markdown.
        #[test]
        fn the_quick_look_never_misses_a_site_link(
            before in proptest::sample::select(vec!["", "x ", "`", "> ", "- ", "| a | ", "*", "\n\n", "[r]: /y\n"]),
            bang in proptest::bool::ANY,
            gap in proptest::sample::select(vec!["", " ", "\n", "\t", "  \n "]),
            angle in proptest::bool::ANY,
            start in proptest::sample::select(vec!["/", "@/", "&#47;", "&sol;", "\\/", "%2F", "//", "h", "https://e.org/", ".", "", "#"]),
            tail in proptest::sample::select(vec!["x", "x y", "x \"t\"", ")", "x)(/y", ""]),
        ) {
            let text = format!(
                "{before}{}[a]({gap}{}{start}{tail}{}) z",
                if bang { "!" } else { "" },
                if angle { "<" } else { "" },
                if angle { ">" } else { "" },
            );
            if !all_site_links(&text).is_empty() {
                proptest::prop_assert!(may_link_to_site(&text), "missed a site link in {:?}", text);
            }
        }

        /// The same for links and pictures written as HTML tags.
        #[test]
        fn the_quick_look_never_misses_a_site_link_in_html(
            before in proptest::sample::select(vec!["", "x ", "<div>\n", "> ", "- ", "\n\n"]),
            tag in proptest::sample::select(vec!["a href", "img alt=p src", "A HREF", "a\n  href", "a title=\"t=x\" href"]),
            gap in proptest::sample::select(vec!["", " ", "\n"]),
            quote in proptest::sample::select(vec!["", "\"", "'"]),
            start in proptest::sample::select(vec!["/", "@/", "&#47;", "&sol;", "//", "h", "https://e.org/", ".", "#"]),
            tail in proptest::sample::select(vec!["x", "x y", ""]),
        ) {
            let text = format!("{before}<{tag}{gap}={gap}{quote}{start}{tail}{quote}>a</a> z");
            if !all_site_links(&text).is_empty() {
                proptest::prop_assert!(may_link_to_site(&text), "missed a site link in {:?}", text);
            }
        }

        /// The look at the text that lets most stories skip the parse for what the page would
        /// not show as written never skips one that holds something to tell.
        #[test]
        fn the_quick_look_never_misses_what_the_page_would_not_show(
            before in proptest::sample::select(vec!["", "x ", "`", "> ", "- ", "\n\n", "[^n]: note\n", "[r]: /y\n"]),
            open in proptest::sample::select(vec!["[a](", "![a](", "[a] (", "a](", "[a][", "[^"]),
            gap in proptest::sample::select(vec!["", " ", "\n", "\t"]),
            address in proptest::sample::select(vec!["x y", "x", "/static/A B.pdf", "https://e.org/a b", "<x y>", "x\ny", "", "n"]),
            close in proptest::sample::select(vec![")", "", "]", ") (z y)", "] z"]),
            after in proptest::sample::select(vec!["", " z", " [^n]", " <iframe src=x></iframe>", " `](a b)`", " [b][c]"]),
        ) {
            let text = format!("{before}{open}{gap}{address}{close}{after}");
            let told = embeds_in(&text, events(&text));
            proptest::prop_assert_eq!(embeds(&text), told.clone(), "{:?}", text);
            let checks = body_checks(&text, &SiteLinks::default());
            proptest::prop_assert_eq!(checks.embeds, told);
            proptest::prop_assert_eq!(checks.images.len(), images(&text).len());
        }
    }
    use super::*;

    #[test]
    fn renders_tables_footnotes_and_strikethrough() {
        let r = render("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ text[^1]\n\n[^1]: note\n");
        assert!(r.html.contains("<table>"), "{}", r.html);
        assert!(r.html.contains("<del>old</del>"));
        assert!(r.html.contains("footnote-definition"), "{}", r.html);
    }

    #[test]
    fn headings_get_unique_anchors() {
        let r = render("# Getting in\n\n## Getting in\n");
        assert!(r.html.contains("id=\"getting-in\""));
        assert!(r.html.contains("id=\"getting-in-2\""));
    }

    #[test]
    fn script_and_handlers_are_removed() {
        let r = render("<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))");
        assert!(!r.html.contains("<script"));
        assert!(!r.html.contains("onerror"));
        assert!(!r.html.contains("javascript:"));
    }

    #[test]
    fn deep_nesting_is_flattened() {
        let r = render(&"> ".repeat(500));
        assert!(r.html.matches("<blockquote>").count() <= 32);
    }

    #[test]
    fn unsafe_link_targets_are_neutralised_without_raw_html() {
        for md in [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "![x](data:text/html,x)",
            "[x](vbscript:y)",
            "<javascript:alert(1)>",
        ] {
            let r = render(md);
            assert!(
                !r.html.to_lowercase().contains("script:") || !r.html.contains("href=\"javascript"),
                "{md}: {}",
                r.html
            );
            assert!(!r.html.contains("href=\"javascript") && !r.html.contains("src=\"data:"), "{md}: {}", r.html);
        }
        assert!(render("[ok](https://x.org/a:b)").html.contains("href=\"https://x.org/a:b\""));
        assert!(render("[ok](../page/)").html.contains("href=\"../page/\""));
        assert!(render("[ok](/a?x=b:c)").html.contains("href=\"/a?x=b:c\""));
    }

    #[test]
    fn raw_html_over_the_limits_is_refused_and_escaped() {
        let deep = format!("{}x{}", "<div>".repeat(MAX_HTML_DEPTH + 1), "</div>".repeat(MAX_HTML_DEPTH + 1));
        let r = render(&deep);
        assert_eq!(r.too_complex, Some(TooComplex::Depth));
        assert!(!r.html.contains("<div"), "{}", &r.html[..200]);
        let ok = format!("{}x{}", "<div>".repeat(MAX_HTML_DEPTH - 2), "</div>".repeat(MAX_HTML_DEPTH - 2));
        assert_eq!(render(&ok).too_complex, None);
        // Siblings, self-closing tags and implicitly closed elements do not nest.
        let flat = "<span>a</span><br><li>b<li>c<img src=\"x\" />".repeat(200);
        assert_eq!(render(&flat).too_complex, None);
        let many = "<br>".repeat(MAX_HTML_ELEMENTS + 1);
        assert_eq!(render(&many).too_complex, Some(TooComplex::Elements));
        let dense = "*a*\n\n".repeat(MAX_MARKUP / 4 + 1);
        assert_eq!(render(&dense).too_complex, Some(TooComplex::Markup));
        // A `>` inside a quoted attribute does not end the tag.
        assert_eq!(check_html(&"<a title=\"x>y\"></a>".repeat(300)), Ok(()));
    }

    #[test]
    fn marks_count_every_construct_that_makes_nodes() {
        let count = |s: &str| markup(s, usize::MAX);
        // List markers of every kind, closing brackets, lone carriage returns, ellipses.
        assert_eq!(count("+ + + "), 3);
        assert_eq!(count("1. 2) 3."), 3);
        assert_eq!(count("]]]"), 3);
        assert_eq!(count("a\rb\rc"), 2);
        assert_eq!(count("a\r\nb\r\n"), 2, "CRLF is one line end");
        assert_eq!(count("....."), 4);
        // Ordinary prose costs nothing but its line breaks.
        assert_eq!(count("It cost 3 pounds. Then (they said) no.\n"), 1);
        // Words of an attribute block, up to its end or its paragraph's.
        assert_eq!(count("# T {aa bb cc}"), 1 + 3);
        assert_eq!(count("x {aa\n\nbb cc"), 2 + 1, "a blank line ends the block");
        // A table's rows cost its width each, whether or not they fill it.
        let short_rows = format!("|a|b|c\n|-|:-:|-\n{}\nafter\n", "x\n".repeat(10));
        assert_eq!(count(&short_rows), 4 + 7 + 10 + 1 + 1 + 3 * 10);
        assert_eq!(count("> |a|b\n> |-|-\n> x\n>\n> y\n"), 16 + 2, "in a quote too, up to its blank line");
        // The count stops once past its limit.
        assert_eq!(markup(&"+".repeat(1000), 10), 11);
    }

    proptest::proptest! {
        /// The bound [`over_limit`] relies on to skip the count for short texts without tables.
        #[test]
        fn short_texts_without_tables_stay_under_one_and_a_half_marks_per_byte(
            s in "[{} a\n\r*_.1)\\[\\]<>+#-]{0,400}"
        ) {
            proptest::prop_assert!(markup(&s, usize::MAX) <= s.len() * 3 / 2 + 1);
        }
    }

    #[test]
    fn the_fast_limit_check_agrees_with_the_count() {
        let dense = "*a*\n\n".repeat(MAX_MARKUP / 4 + 1);
        assert!(over_limit(&dense));
        let table = format!("|a|b|c|d|e|f|g|h|\n|-|-|-|-|-|-|-|-|\n{}", "x\n".repeat(MAX_MARKUP / 8 + 1));
        assert!(table.len() < MAX_MARKUP / 2 && over_limit(&table), "a short table can still be too big");
        assert!(!over_limit(&"Plain words. ".repeat(9_000)));
    }

    #[test]
    fn a_tag_with_too_many_attributes_is_refused_quickly() {
        let attrs: String = (0..40_000).map(|i| format!(" a{i}=\"x y\"")).collect();
        let started = std::time::Instant::now();
        let r = render(&format!("<span{attrs}>x</span>"));
        assert_eq!(r.too_complex, Some(TooComplex::Attributes));
        assert!(started.elapsed().as_secs() < 2, "took {:?}", started.elapsed());
        let fine: String = (0..MAX_HTML_ATTRIBUTES).map(|i| format!(" a{i}=\"x>y\"")).collect();
        assert_eq!(check_html(&format!("<span{fine}>x</span>")), Ok(()));
        assert_eq!(attributes(b" a=1 b=\"x y\" c /"), 3);
    }

    fn sub() -> SiteLinks {
        SiteLinks {
            base_path: "/sub/".into(),
            source_page: |s| s.strip_suffix(".yaml").map(|s| format!("{s}/")),
            ..Default::default()
        }
    }

    /// Outside round 5 of issue 17, item 8: `<a href="@/pages/about.md">` passed check and was
    /// published as written.
    #[test]
    fn at_links_in_raw_html_get_their_page_and_are_listed() {
        let md = "Intro.\n\n<p>Read <a href=\"@/employers/n.yaml\">n</a> or <a class=x HREF='@/pages/z.md#top'>z</a>.</p>\n\n\
                  Inline <img alt=\"m\" src=@/employers/m.yaml> and an address: me@/x.\n";
        let r = render_with(md, &sub());
        assert!(r.html.contains("href=\"/sub/employers/n/\""), "{}", r.html);
        assert!(r.html.contains("src=\"/sub/employers/m/\""), "{}", r.html);
        let found: Vec<(&str, Option<&str>, bool, u64, u64)> =
            r.links.iter().map(|l| (l.written.as_str(), l.target.as_deref(), l.by_source, l.line, l.column)).collect();
        let expected = [
            ("@/employers/n.yaml", Some("employers/n/"), true, 3, 18),
            ("@/pages/z.md#top", None, true, 3, 64),
            ("@/employers/m.yaml", Some("employers/m/"), true, 5, 25),
        ];
        assert_eq!(found, expected);
        assert_eq!(site_links(md, &sub()).len(), 3, "found without rendering too");
        assert_eq!(site_links_and_images(md, &sub()).0.len(), 3);
    }

    /// Outside round 17a, item 1: links and pictures written as HTML to paths from the site's
    /// root are given the base path and listed, read as a browser reads the tag: over several
    /// lines of an HTML block, character references decoded, a repeated attribute and comments
    /// left out.
    #[test]
    fn root_paths_in_raw_html_get_the_base_path_and_are_listed() {
        let md = "Text <a href=\"/employers/x/#top\">x</a> <img alt=\"p\" src='/static/p.png'>.\n\n\
                  <div>\n<a class=\"c\"\n   href=\"&#47;sectors/y/\" href=\"/ignored/\">y</a>\n\
                  <!-- <a href=\"/commented/\"> -->\n</div>\n\n<a href=\"//elsewhere.org/\">e</a> <a href=\"../rel/\">r</a>\n";
        let r = render_with(md, &sub());
        for href in [
            "href=\"/sub/employers/x/#top\"",
            "src=\"/sub/static/p.png\"",
            "href=\"/sub/sectors/y/\"",
            "href=\"//elsewhere.org/\"",
            "href=\"../rel/\"",
        ] {
            assert!(r.html.contains(href), "{href}: {}", r.html);
        }
        let found: Vec<(&str, Option<&str>, u64, u64)> =
            r.links.iter().map(|l| (l.written.as_str(), l.target.as_deref(), l.line, l.column)).collect();
        let expected = [
            ("/employers/x/#top", Some("employers/x/"), 1, 15),
            ("/static/p.png", Some("static/p.png"), 1, 58),
            ("/sectors/y/", Some("sectors/y/"), 5, 10),
        ];
        assert_eq!(found, expected);
        assert_eq!(site_links(md, &sub()), r.links, "found without rendering too");
        assert_eq!(site_links_and_images(md, &sub()).0, r.links);
    }

    #[test]
    fn links_to_the_site_get_the_base_path_and_are_listed_where_they_are() {
        let md = "Intro.\n\nSee [x](/employers/x/#figures) and ![p](/static/p%20q.png \"P\").\n\n  [N](@/employers/n.yaml#top), \
                  [r][ref], [rel](../a/), [abs](https://x.org/a), [f](#here), [h](//evil.org/)\n\n[ref]: /stories/s/?a=b\n";
        let r = render_with(md, &sub());
        for href in [
            "href=\"/sub/employers/x/#figures\"",
            "src=\"/sub/static/p%20q.png\"",
            "href=\"/sub/employers/n/#top\"",
            "href=\"/sub/stories/s/?a=b\"",
            "href=\"../a/\"",
            "href=\"https://x.org/a\"",
            "href=\"#here\"",
            "href=\"//evil.org/\"",
        ] {
            assert!(r.html.contains(href), "{href}: {}", r.html);
        }
        let found: Vec<(&str, Option<&str>, bool, u64, u64)> =
            r.links.iter().map(|l| (l.written.as_str(), l.target.as_deref(), l.by_source, l.line, l.column)).collect();
        assert_eq!(
            found,
            [
                ("/employers/x/#figures", Some("employers/x/"), false, 3, 5),
                ("/static/p%20q.png", Some("static/p q.png"), false, 3, 36),
                ("@/employers/n.yaml#top", Some("employers/n/"), true, 5, 3),
                ("/stories/s/?a=b", Some("stories/s/"), false, 5, 32),
            ]
        );
        // The same links are found without rendering.
        assert_eq!(site_links(md, &sub()), r.links);
        // An `@/` link to no kind of content file is left as written, and listed without a target.
        let r = render_with("[x](@/themes/a.md)", &sub());
        assert!(r.html.contains("href=\"@/themes/a.md\""), "{}", r.html);
        assert_eq!(r.links[0].target, None);
        // At the root of a host a path is unchanged.
        assert!(render("[x](/a/)").html.contains("href=\"/a/\""));
    }

    #[test]
    fn raw_html_is_sanitised_only_when_present() {
        assert_eq!(render("one two *three*").html, "<p>one two <em>three</em></p>\n");
        assert!(!render("a <script>x()</script> b").html.contains("<script"));
    }
}
