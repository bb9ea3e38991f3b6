//! Stories (case studies) and free pages: Markdown with YAML front matter.

use crate::error::Diagnostic;
use crate::load::{front_matter, markdown, yaml};
use crate::model::links::FileLinks;
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::path::Path;

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("dependentRequired" = {"image": ["image_alt"]}))]
pub struct StoryFront {
    /// The story's title.
    #[schemars(with = "String", regex(pattern = r"\S"))]
    title: Spanned<String>,
    /// YYYY-MM-DD, e.g. 2025-01-01.
    #[schemars(with = "String", regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    date: Spanned<String>,
    /// Slug of the employer the story is about.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    employer: Option<Spanned<String>>,
    /// Toolkit chapters: data, culture, outreach, hiring, progression, advocacy.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    themes: Vec<Spanned<String>>,
    /// One or two sentences shown in listings and as the page description.
    #[serde(default)]
    summary: String,
    /// Who wrote the story.
    #[serde(default)]
    author: Option<String>,
    /// A short pull quote shown beside the story.
    #[serde(default)]
    quote: Option<String>,
    /// A draft is built only with `--drafts`.
    #[serde(default)]
    draft: bool,
    /// The story's picture (its hero and its card when shared): a JPEG, PNG or WebP file in the
    /// story's folder, beside its `index.md`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    image: Option<Spanned<String>>,
    /// What the picture shows, in words, for people who cannot see it (required with `image`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    image_alt: Option<Spanned<String>>,
}

/// A validated story; cross-references (employer, themes) are checked by the model.
#[derive(Debug, Clone)]
pub struct Story {
    pub slug: String,
    pub source_path: String,
    pub title: String,
    pub date: chrono::NaiveDate,
    pub employer: Option<Spanned<String>>,
    pub themes: Vec<Spanned<String>>,
    pub summary: String,
    pub author: Option<String>,
    pub quote: Option<String>,
    pub draft: bool,
    /// Where the body is read from at render time (bodies are not kept in memory).
    pub file: std::path::PathBuf,
    /// Digest of the whole file as it was parsed: the body read again at render time must match
    /// it, or the page would mix this front matter with an edited body.
    pub digest: u64,
    pub words: usize,
    /// The body's links to the site itself, checked before the body is rendered.
    pub links: FileLinks,
    /// The story's folder and the files beside it, when it is written as a folder.
    pub bundle: Option<crate::load::Bundle>,
    /// Front matter `image` and `image_alt`, checked with [`Story::image_problems`].
    pub image: Option<Spanned<String>>,
    pub image_alt: Option<Spanned<String>>,
    /// The body's images, lines and columns in the whole file.
    pub images: Vec<markdown::ImageUse>,
    /// Embedded players in its raw HTML (`<iframe>`, `<video>`), which the sanitiser removes:
    /// (line in the file, column, element name).
    pub embeds: Vec<(u64, u64, String)>,
}

/// The kinds of picture published at several widths (and re-encoded, which drops EXIF).
pub const IMAGE_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "webp"];

/// Picture formats that cannot be published: they would be copied as they are, metadata
/// (a phone's GPS position) and all.
const UNSUPPORTED_IMAGES: &[&str] = &["gif", "tif", "tiff", "heic", "heif", "avif", "bmp", "jxl"];

/// Documents a story folder may publish as they are. Nothing else is published from a story
/// folder: an SVG or HTML file there would run its script on the site's own address, and any
/// other kind may carry metadata that cannot be removed.
pub const DOCUMENT_EXTENSIONS: &[&str] = &["pdf", "csv", "txt"];

/// Whether `name` is a document published as it is (see [`DOCUMENT_EXTENSIONS`]).
pub fn is_document(name: &str) -> bool {
    extension(name).is_some_and(|e| DOCUMENT_EXTENSIONS.contains(&e.as_str()))
}

/// Whether `name` is a picture published at several widths.
pub fn is_image(name: &str) -> bool {
    extension(name).is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.as_str()))
}

fn extension(name: &str) -> Option<String> {
    name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())
}

/// Whether `src` names a file with a `:` in its name (`visit 10:30.jpg`, `a, javascript:x.jpg`)
/// rather than an address of some kind (`https:`, `mailto:`): what comes before its first `:`
/// is not a scheme.
fn colon_in_name(src: &str) -> bool {
    let path = &src[..src.find(['#', '?']).unwrap_or(src.len())];
    let Some((before, _)) = path.split_once(':') else { return false };
    let scheme = before.starts_with(|c: char| c.is_ascii_alphabetic())
        && before.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    !scheme && !before.starts_with(['/', '@'])
}

/// A relative image source as a bundle file's name (`./a%20b.jpg#x` → `a b.jpg`); `None` for
/// one that leaves the page's folder (absolute, with a scheme, `../`, `@/`, a fragment alone).
pub fn bundle_name(src: &str) -> Option<String> {
    let path = &src[..src.find(['#', '?']).unwrap_or(src.len())];
    if path.is_empty() || path.starts_with(['/', '\\', '@']) || path.contains(':') {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy().into_owned();
    let name = decoded.trim_start_matches("./");
    if name.split('/').any(|p| p == ".." || p == "." || p.is_empty()) {
        return None;
    }
    Some(crate::slug::nfc(name).into_owned())
}

/// Whether `src` is a relative path (`team.jpg`, `./a/b.png`, `../p.jpg`, `10:30.jpg`), which
/// names a file beside what it is written in: only a story folder publishes such files.
pub fn is_relative_file(src: &str) -> bool {
    bundle_name(src).is_some() || leaves_the_folder(src) || colon_in_name(src)
}

/// Where a relative link of a story's page leads, resolved against the page's own path
/// (`stories/<slug>/`) as a browser resolves it: the path on the site (decoded, without query
/// or fragment: `../other/` is `stories/other/`), and whether it climbed above the site's root
/// (a browser stops at the host's root, which on a sub-path host is outside the site). `None`
/// for a link that is no relative path (`/x`, `@/x`, `https:`, `#top`) and for a file named in
/// the story's folder (`plan.pdf`, `docs/plan.pdf`), which is checked as a file beside it.
pub fn relative_target(slug: &str, src: &str) -> Option<(String, bool)> {
    if colon_in_name(src) || bundle_name(src).is_some() {
        return None;
    }
    markdown::resolve_relative(&format!("stories/{slug}/"), src)
}

/// Where a story's relative link to a content file (`../x.md`, `x.md`, `../../employers/x.yaml`)
/// leads on the site (`stories/x.md`); `None` for any other link.
fn names_content_file(slug: &str, src: &str) -> Option<String> {
    let (target, _) = markdown::resolve_relative(&format!("stories/{slug}/"), src)?;
    let ext = target.rsplit_once('.')?.1.to_ascii_lowercase();
    (["md", "yaml", "yml"].contains(&ext.as_str()) && !target.ends_with('/')).then_some(target)
}

/// Why `src` names no file in the story's own folder, in words that follow its name: it climbs
/// out (`../p.jpg`), is a path from the site's root (`/static/p.jpg`), names a content file
/// (`@/...`) or is a web address (`https://...`); `None` for a name in the folder.
fn outside_the_folder(src: &str) -> Option<&'static str> {
    if leaves_the_folder(src) || src.split(['/', '\\']).any(|p| p == "..") {
        Some("leads out of it")
    } else if src.starts_with(['/', '\\']) {
        Some("is a path from the site's root")
    } else if src.starts_with("@/") {
        Some("names a content file")
    } else if src.contains(':') && !colon_in_name(src) {
        Some("is a web address, and only pictures beside the story are published with it")
    } else {
        None
    }
}

/// Whether a relative source climbs out of the page's folder (`../p.jpg`, `a/../../p.jpg`).
fn leaves_the_folder(src: &str) -> bool {
    let path = &src[..src.find(['#', '?']).unwrap_or(src.len())];
    if path.is_empty() || path.starts_with(['/', '\\', '@']) || path.contains(':') {
        return false;
    }
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy().into_owned();
    decoded.split(['/', '\\']).any(|p| p == "..")
}

/// Whether a text alternative says nothing: empty, or only spaces and invisible characters
/// (`alt=" "`, a no-break space, a zero-width space), which a screen reader reads as nothing.
pub fn is_blank(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || crate::model::safe_url::invisible(c))
}

/// Every image of `images` with no text alternative, or a blank one, at its line and column of
/// `file`.
pub fn missing_alt(file: &Path, images: &[markdown::ImageUse]) -> Vec<Diagnostic> {
    images
        .iter()
        .filter(|img| img.is_image && is_blank(&img.alt))
        .map(|img| {
            let has = if img.alt.is_empty() {
                "has no text alternative"
            } else {
                "has a blank text alternative (only spaces or invisible characters)"
            };
            let message = if img.raw_html {
                format!(
                    "the picture `{}` {has}: write what it shows in the tag, `<img src=\"{}\" alt=\"what it shows\">`",
                    img.src, img.src
                )
            } else {
                format!(
                    "the image `{}` {has}: write what it shows between the brackets, `![what it shows]({})`",
                    img.src, img.src
                )
            };
            Diagnostic::new(file, message).at(img.line, img.column)
        })
        .collect()
}

/// Endings of files that are no picture, which a browser shows as a broken one.
const NOT_PICTURES: [&str; 20] = [
    "pdf", "doc", "docx", "odt", "rtf", "txt", "md", "csv", "xls", "xlsx", "ppt", "pptx", "html", "htm", "css", "js",
    "zip", "mp4", "xml", "json",
];

/// Pictures that name a file of another kind (`![Our plan](plan.pdf)`, `<img src="/static/x.css">`):
/// published, a broken picture.
pub fn not_pictures(file: &Path, images: &[markdown::ImageUse]) -> Vec<Diagnostic> {
    let ending = |src: &str| name_alone(src).rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    // `/about/`: a page of the site, not a picture.
    let a_page = |src: &str| {
        let path = &src[..src.find(['#', '?']).unwrap_or(src.len())];
        path.ends_with('/') && !path.contains("://")
    };
    images
        .iter()
        .filter(|img| {
            img.is_image && (a_page(&img.src) || ending(&img.src).is_some_and(|e| NOT_PICTURES.contains(&e.as_str())))
        })
        .map(|img| {
            let how = if img.raw_html {
                format!("`<a href=\"{}\">{}</a>`", img.src, img.alt.trim())
            } else {
                format!("`[{}]({})`, without the `!`", img.alt.trim(), img.src)
            };
            let message = format!(
                "`{}` is shown as a picture, but it is no picture (a browser shows a broken one); link to it instead: \
                 {how}",
                img.src
            );
            Diagnostic::new(file, message).at(img.line, img.column)
        })
        .collect()
}

/// The file name a path ends in, without its query or fragment (`../img/a.jpg#x` → `a.jpg`).
fn name_alone(path: &str) -> &str {
    let path = &path[..path.find(['#', '?']).unwrap_or(path.len())];
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

impl Story {
    /// How to bring a `what` ("picture", "file") beside the story and link it as `written`: into
    /// its folder, or, for a story that is one file, by making it a folder first.
    fn put_beside(&self, what: &str, written: &str) -> String {
        match &self.bundle {
            Some(b) => {
                format!("put the {what} in {}/ beside index.md and write its name alone, `{written}`", b.path.display())
            }
            None => format!(
                "a story with {what}s is a folder: move {} to content/stories/{}/index.md, put the {what} beside it \
                 and write its name alone, `{written}`",
                self.source_path, self.slug
            ),
        }
    }

    /// Problems with the story's pictures: `image` without `image_alt`, an `image` that is not a
    /// picture beside the story, a Markdown image with no text alternative or whose file is not
    /// beside the story, and files beside it that cannot be published without their metadata.
    pub fn image_problems(&self) -> Vec<Diagnostic> {
        let file = Path::new(&self.source_path);
        let mut out = Vec::new();
        let folder_hint = || match &self.bundle {
            Some(b) => format!("put it in {}/ beside index.md", b.path.display()),
            None => format!(
                "a story with pictures is a folder: move {} to content/stories/{}/index.md and put the picture beside it",
                self.source_path, self.slug
            ),
        };
        // A story written as one file has nothing beside it, whatever lies in content/stories/.
        // `Workshop.png` beside a story linked as `workshop.png`: the same to a Mac or Windows
        // editor, not to a web server.
        let other_case = |name: &str| {
            self.bundle.as_ref().and_then(|b| b.files.iter().find(|f| f.to_lowercase() == name.to_lowercase()).cloned())
        };
        let missing = |name: &str, is_image: bool| match (&self.bundle, other_case(name)) {
            (Some(_), Some(there)) => format!(
                "there is no `{name}` beside the story, but there is `{there}`: names on the web tell capitals from \
                 small letters; write `{there}`, or rename the file"
            ),
            (Some(_), None) => format!("there is no `{name}` beside the story; {}", folder_hint()),
            (None, _) if is_image => {
                format!("a story written as one file publishes no picture or file (`{name}`); {}", folder_hint())
            }
            (None, _) => format!(
                "`{name}` names a file beside the story, and a story written as one file publishes nothing beside it; \
                 {}; or, for a page of the site, write its path from the site's root, as `/stories/<slug>/`",
                self.put_beside("file", name)
            ),
        };
        let beside = |name: &str| self.bundle.as_ref().is_some_and(|b| b.files.iter().any(|f| f == name));
        if let Some(image) = &self.image {
            let at =
                |msg: String| Diagnostic::new(file, msg).field("image").at_location(&image.referenced, FRONT_OFFSET);
            let name = image.value.trim();
            if name.is_empty() {
                out.push(at(
                    "`image` is empty: name a picture beside the story (a .jpg, .png or .webp file), or remove the line"
                        .into(),
                ));
            } else if markdown::in_curly_quotes(name) {
                let fixed = crate::model::safe_url::without_curly_quotes(name);
                out.push(at(crate::model::safe_url::curly_quoted(name, "a file's name", &format!("image: {fixed}"))));
            } else if let Some(why) = outside_the_folder(name) {
                // `../x.jpg` was told it is a hidden file (it starts with a dot).
                let alone = name_alone(name);
                let alone = if alone.is_empty() || !is_image(alone) { "photo.jpg" } else { alone };
                let mut fix = self.put_beside("picture", &format!("image: {alone}"));
                // `image: /static/favicon.svg`: no SVG can be put beside a story (issue 17, round 7).
                if !is_image(name_alone(name)) {
                    fix = format!("the picture must be a JPEG, PNG or WebP file: {fix}");
                }
                out.push(at(format!(
                    "`image`, the story's picture, must be a file in the story's own folder, but `{name}` {why}; {fix}"
                )));
            } else if !is_image(name) {
                out.push(at(format!("`{name}` is not a JPEG, PNG or WebP picture (name it .jpg, .png or .webp)")));
            } else if !beside(name) && name.split('/').any(|p| p.starts_with('.')) {
                out.push(at(format!(
                    "`{name}` is a hidden file (its name starts with a dot), and hidden files are never published; \
                     rename it without the dot"
                )));
            } else if !beside(name) {
                out.push(at(missing(name, true)));
            }
            match &self.image_alt {
                None => out.push(at(
                    "`image` needs an `image_alt` line: a few words saying what the picture shows, for people who cannot see it"
                        .into(),
                )),
                Some(alt) if is_blank(&alt.value) => out.push(
                    Diagnostic::new(file, "`image_alt` is empty: say in a few words what the picture shows")
                        .field("image_alt")
                        .at_location(&alt.referenced, FRONT_OFFSET),
                ),
                Some(_) => {}
            }
        } else if let Some(alt) = &self.image_alt {
            out.push(
                Diagnostic::new(file, "`image_alt` describes a picture, but there is no `image` line naming it")
                    .field("image_alt")
                    .at_location(&alt.referenced, FRONT_OFFSET),
            );
        }
        out.extend(missing_alt(file, &self.images));
        out.extend(not_pictures(file, &self.images));
        for (line, column, told) in &self.embeds {
            out.push(Diagnostic::new(file, told.clone()).at(*line, *column));
        }
        for img in &self.images {
            let at = |msg: String| Diagnostic::new(file, msg).at(img.line, img.column);
            // `[the story](../x.md)`: a content file named by its path, told with the story's
            // links, where every content file is known (see `links::check_sources`).
            if !img.is_image && names_content_file(&self.slug, &img.src).is_some() {
                continue;
            }
            // `”plan.pdf”` (quoted by a word processor) and `\static\p.png` are told with the
            // story's links (see `markdown::site_link`), once: not also as missing files.
            if markdown::unusable(&img.src) {
                continue;
            }
            // `../other/p.jpg`: a picture out of the story's folder is never published there (a
            // story's pictures only ever are). A link may climb to another page (`../flat/`).
            if img.is_image && leaves_the_folder(&img.src) {
                out.push(at(format!(
                    "`{}` leads out of the story's folder, where nothing is published; put the file beside the story and name it alone",
                    img.src
                )));
                continue;
            }
            // A link climbs to a page of the site (checked with the story's links), but not to a
            // file: a story's files are the ones beside it (`../../secret.txt`).
            if let Some((target, above)) = (!img.is_image).then(|| relative_target(&self.slug, &img.src)).flatten() {
                let from_root = if target.is_empty() { "/".to_string() } else { format!("/{target}") };
                if above {
                    out.push(at(format!(
                        "`{}` climbs above the site's root (the story's page is /stories/{}/), which leads off the \
                         site where it is published below a path such as /sub/; write the path from the site's root, \
                         `{from_root}`",
                        img.src, self.slug
                    )));
                } else if leaves_the_folder(&img.src) && crate::model::links::names_a_file(&target) {
                    let beside = self.put_beside("file", name_alone(&img.src));
                    out.push(at(format!(
                        "`{}` leads out of the story's folder, and a story links to files beside it only: {beside}; \
                         or, for a file the site publishes elsewhere, write its path from the site's root, `{from_root}`",
                        img.src
                    )));
                }
                continue;
            }
            // `visit 10:30.jpg`: a browser reads what comes before the `:` as the kind of address
            // (like `https:`), so such a name can never be linked to as a file.
            if colon_in_name(&img.src) {
                out.push(at(format!(
                    "`{}` holds a `:`, which a web address reads as the start of its kind (like `https:`), so the \
                     picture or file could not be shown; rename the file without `:` and write the new name here",
                    img.src
                )));
                continue;
            }
            // A story written as one file has nothing beside it: its relative links to files lead
            // nowhere (issue 17, round 7: `[plan](plan.pdf)` was published broken).
            if let Some(name) = bundle_name(&img.src)
                && !beside(&name)
            {
                if name.split('/').any(|p| p.starts_with('.')) {
                    // Hidden files (`.notes.txt`, `.DS_Store`) are left out of a story's folder.
                    out.push(at(format!(
                        "`{name}` is a hidden file (its name starts with a dot), and hidden files are never published; \
                         rename it without the dot"
                    )));
                } else {
                    out.push(at(missing(&name, img.is_image)));
                }
            }
        }
        if let Some(b) = &self.bundle {
            // `Café.jpg` written twice, once as a Mac writes it (see `Bundle::on_disk`).
            for pair in b.files.windows(2).filter(|p| p[0] == p[1]) {
                let on_disk = |n: &String| b.on_disk.get(n).unwrap_or(n).clone();
                out.push(Diagnostic::new(
                    b.path.join(&pair[0]),
                    crate::load::same_name_twice(&b.path.join(on_disk(&pair[1]))),
                ));
            }
            // Pictures are published as `<stem>-<width>.<jpg|png>`: two of one stem would meet.
            let mut stems: std::collections::BTreeMap<&str, &str> = std::collections::BTreeMap::new();
            for name in b.files.iter().filter(|n| is_image(n)) {
                let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
                if let Some(first) = stems.insert(stem, name) {
                    out.push(Diagnostic::new(
                        b.path.join(name),
                        format!("`{first}` and `{name}` would be published under the same names; rename one"),
                    ));
                }
            }
            for name in b.files.iter().filter(|n| n.as_str() == "index.html") {
                out.push(Diagnostic::new(b.path.join(name), "the story's own page is index.html; rename this file"));
            }
            for name in &b.files {
                if extension(name).is_some_and(|e| UNSUPPORTED_IMAGES.contains(&e.as_str())) {
                    out.push(Diagnostic::new(
                        b.path.join(name),
                        "pictures beside a story must be JPEG, PNG or WebP (this kind could not have its metadata removed); convert it",
                    ));
                } else if !is_image(name) && !is_document(name) && name != "index.html" {
                    out.push(Diagnostic::new(
                        b.path.join(name),
                        "a story folder publishes pictures (.jpg, .jpeg, .png, .webp) and documents (.pdf, .csv, .txt) only; \
                         move this file out of the folder (a web page or SVG there could run script on the site)",
                    ));
                }
            }
        }
        out
    }
}

/// Empty front matter is an empty mapping, so the report names the missing fields.
fn or_empty_map(yaml: &str) -> &str {
    if yaml.trim().is_empty() { "{}" } else { yaml }
}

/// Lines before the YAML in a front-matter file (the opening `---`).
const FRONT_OFFSET: u64 = 1;

pub fn parse_story(file: &Path, full: &Path, slug: &str, text: &str) -> Result<Story, Vec<Diagnostic>> {
    parse_story_in(file, full, slug, text, None)
}

/// As [`parse_story`], for a story that may be a folder with files beside it.
pub fn parse_story_in(
    file: &Path,
    full: &Path,
    slug: &str,
    text: &str,
    bundle: Option<&crate::load::Bundle>,
) -> Result<Story, Vec<Diagnostic>> {
    parse_story_inner(file, full, slug, text, bundle, false)
}

/// What stands in for front matter that cannot be read, to check a story's body all the same.
const STAND_IN_FRONT: &str = "title: \"\"\ndate: \"1970-01-01\"\n";

/// A story whose front matter has problems, read as far as its YAML allows (a stand-in for
/// what could not be read: an empty title, the date 1970-01-01), only for the checks that
/// follow: its employer, themes, pictures and links are checked in the same run as its other
/// problems (an unknown key must not hide a mistyped employer). `None` where the front matter
/// cannot be read at all.
pub fn parse_story_partial(
    file: &Path,
    full: &Path,
    slug: &str,
    text: &str,
    bundle: Option<&crate::load::Bundle>,
) -> Option<Story> {
    let mut story = parse_story_inner(file, full, slug, text, bundle, true).ok()?;
    let split = front_matter::split(file, text).ok()?;
    let parsed = yaml::parse_all::<StoryFront>(file, or_empty_map(split.yaml), split.line_offset);
    // What was left out to read on is not checked again.
    if parsed.left_out("employer") {
        story.employer = None;
    }
    if parsed.left_out("themes") {
        story.themes.clear();
    }
    if parsed.left_out("image") || parsed.left_out("image_alt") {
        story.image = None;
        story.image_alt = None;
    }
    Some(story)
}

fn parse_story_inner(
    file: &Path,
    full: &Path,
    slug: &str,
    text: &str,
    bundle: Option<&crate::load::Bundle>,
    partial: bool,
) -> Result<Story, Vec<Diagnostic>> {
    let split = front_matter::split(file, text).map_err(|d| vec![d])?;
    let mut problems = Vec::new();
    if !crate::slug::is_valid(slug) {
        problems.push(
            Diagnostic::new(
                file,
                format!(
                    "`{slug}` is not a valid slug: rename the {} with lower-case letters, digits and hyphens",
                    // A story written as a folder is named by its folder, not its index.md.
                    if file.file_name().is_some_and(|n| n == "index.md") { "folder" } else { "file" }
                ),
            )
            .field("file name"),
        );
    }
    let mut parsed = yaml::parse_all::<StoryFront>(file, or_empty_map(split.yaml), split.line_offset);
    problems.extend(parsed.problems.iter().cloned());
    if partial && parsed.value.is_none() {
        // Front matter that cannot be read at all (an unclosed quote) hides nothing of the body,
        // which lies outside it: a stand-in with nothing to check reads the body.
        parsed = yaml::parse_all::<StoryFront>(file, STAND_IN_FRONT, 0);
        parsed.left_out = vec!["title".into(), "date".into()];
    }
    let Some(fm) = &parsed.value else { return Err(problems) };
    let at = |s: &serde_saphyr::Location, field: &str, msg: String| {
        Diagnostic::new(file, msg).field(field).at_location(s, FRONT_OFFSET)
    };
    // What could not be read was reported; what stands in for it is not checked.
    if !parsed.left_out("title") && fm.title.value.trim().is_empty() {
        problems.push(at(&fm.title.referenced, "title", "the title is empty".into()));
    }
    let date = match parse_date(&fm.date.value) {
        Ok(d) => Some(d),
        Err(message) => {
            if !parsed.left_out("date") {
                problems.push(at(&fm.date.referenced, "date", message));
            }
            None
        }
    };
    let date = if partial { Some(date.unwrap_or_default()) } else { date };
    let (Some(date), true, Some(fm)) = (date, partial || problems.is_empty(), parsed.value) else {
        return Err(problems);
    };
    let words = count_words(split.body);
    // Where the body's links are only matters to messages: the base path is not needed.
    let site = markdown::SiteLinks { source_page: crate::model::links::source_page, ..Default::default() };
    let line_offset = lines_before(text, split.body);
    let links = FileLinks { file: file.to_path_buf(), line_offset, column_offset: 0, links: Vec::new() };
    // The links to the site and every image and link, in one reading of the body.
    let markdown::BodyChecks { mut site_links, mut images, embeds } = markdown::body_checks(split.body, &site);
    // Relative links to pages (`../other/`, `../../employers/x/`) are checked like paths from the
    // site's root; those to files and above the root are problems of their own (see
    // `Story::image_problems`).
    for link in images.iter().filter(|i| !i.is_image) {
        let to_content = names_content_file(slug, &link.src);
        let to_page = relative_target(slug, &link.src)
            .filter(|(t, above)| {
                // A file out of the folder is a problem of its own (see `Story::image_problems`).
                let file_elsewhere = leaves_the_folder(&link.src) && crate::model::links::names_a_file(t);
                !(*above || file_elsewhere)
            })
            .map(|(t, _)| t);
        if let Some(target) = to_content.or(to_page) {
            site_links.push(markdown::LinkUse {
                written: link.src.clone(),
                target: Some(target),
                by_source: false,
                relative: true,
                line: link.line,
                column: link.column,
            });
        }
    }
    let links = FileLinks { links: site_links, ..links };
    for i in &mut images {
        i.line += line_offset;
    }
    Ok(Story {
        slug: slug.to_string(),
        source_path: file.display().to_string(),
        title: fm.title.value.trim().to_string(),
        date,
        employer: fm.employer,
        themes: fm.themes,
        summary: fm.summary,
        author: fm.author,
        quote: fm.quote,
        draft: fm.draft,
        file: full.to_path_buf(),
        digest: crate::load::digest(text),
        words,
        links,
        bundle: bundle.cloned(),
        // `./workshop.jpg` (as editors' path completion writes it) is the file beside the story, as
        // in the body; it was told it is a hidden file.
        image: fm.image.map(|mut i| {
            if let Some(name) = i.value.trim().strip_prefix("./") {
                i.value = name.to_string();
            }
            i
        }),
        image_alt: fm.image_alt,
        images,
        embeds: embeds.into_iter().map(|(l, c, n)| (l + line_offset, c, n)).collect(),
    })
}

/// The lines of `text` before `body`, a part of it (the front matter's, for a Markdown file).
fn lines_before(text: &str, body: &str) -> u64 {
    let at = (body.as_ptr() as usize).saturating_sub(text.as_ptr() as usize).min(text.len());
    text.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() as u64
}

/// Words of Markdown, without rendering it: tokens with a letter or digit count as words.
fn count_words(text: &str) -> usize {
    const fn table(space: bool) -> [u8; 128] {
        let mut t = [0u8; 128];
        let mut i = 0;
        while i < 128 {
            let b = i as u8;
            let is_space = matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r');
            t[i] = if space { is_space as u8 } else { b.is_ascii_alphanumeric() as u8 };
            i += 1;
        }
        t
    }
    const SPACE: [u8; 128] = table(true);
    const WORDY: [u8; 128] = table(false);
    let bytes = text.as_bytes();
    let (mut words, mut wordy) = (0usize, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (space, letter, len) = if b < 0x80 {
            (SPACE[b as usize] as usize, WORDY[b as usize] as usize, 1)
        } else {
            // `i` is always at a character boundary: continuation bytes are skipped below.
            let c = text[i..].chars().next().unwrap_or(' ');
            (usize::from(c.is_whitespace()), usize::from(c.is_alphanumeric()), c.len_utf8())
        };
        // A token ends at whitespace; it counts if it held a letter or digit.
        words += space & wordy;
        wordy = (wordy | letter) & (space ^ 1);
        i += len;
    }
    words + wordy
}

/// Story dates readers can make sense of: chrono alone takes `-0001-01-01` or `+12345-01-01`
/// and pages would print "1 January -1".
const EARLIEST_DATE: (i32, u32, u32) = (1900, 1, 1);
const LATEST_DATE: (i32, u32, u32) = (9999, 12, 31);

/// The name of a dash or hyphen that is not the keyboard's plain `-`.
fn dash_name(c: char) -> Option<&'static str> {
    match c {
        '\u{2013}' => Some("an en dash (–)"),
        '\u{2014}' => Some("an em dash (—)"),
        '\u{2212}' => Some("a minus sign (−)"),
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2015}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => {
            Some("a dash that is not the plain hyphen (-)")
        }
        _ => None,
    }
}

fn parse_date(text: &str) -> Result<chrono::NaiveDate, String> {
    let text = text.trim();
    let not_a_date = || {
        // `2024-09-01` and a zero-width space pasted after it: say what cannot be seen.
        let hidden = crate::suggest::invisible(text);
        if hidden.is_empty() {
            format!("`{text}` is not a date; write it as YYYY-MM-DD, e.g. 2025-01-01")
        } else {
            let visible: String =
                text.chars().filter(|c| crate::suggest::invisible(&c.to_string()).is_empty()).collect();
            format!("`{visible}` is not a date as written{hidden}")
        }
    };
    // Exactly four, two and two digits: chrono alone takes `2025-1-1`, a sign (`-0001`) or a
    // five-digit year, which readers (and sorting by text) get wrong.
    let shape = |text: &str| {
        text.len() == 10
            && text.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() })
    };
    if !shape(text) {
        // `2025–01–29`: a word processor or a phone turns hyphens into dashes, which look the same.
        if let Some(dash) = text.chars().find_map(dash_name) {
            let plain: String = text.chars().map(|c| if dash_name(c).is_some() { '-' } else { c }).collect();
            if shape(&plain) {
                return Err(format!(
                    "`{text}` is written with {dash} between its parts; write plain hyphens (-), as `{plain}`"
                ));
            }
        }
        return Err(not_a_date());
    }
    let date = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        // The shape is right: say which part does not exist (`2025-02-30`, `2025-13-01`).
        let (year, month, day) = (&text[..4], &text[5..7], &text[8..]);
        let month_name = month.parse::<u32>().ok().and_then(|m| chrono::Month::try_from(u8::try_from(m).ok()?).ok());
        match month_name {
            Some(m) => format!(
                "`{text}` is not a date: {} {year} has no day {}; write it as YYYY-MM-DD, e.g. 2025-01-01",
                m.name(),
                day.trim_start_matches('0')
            ),
            None => {
                format!("`{text}` is not a date: there is no month {month}; write it as YYYY-MM-DD, e.g. 2025-01-01")
            }
        }
    })?;
    let bound = |(y, m, d)| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    let (earliest, latest) = (bound(EARLIEST_DATE), bound(LATEST_DATE));
    if date < earliest || date > latest {
        return Err(format!("`{text}` must be a date between {earliest} and {latest}"));
    }
    Ok(date)
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PageFront {
    /// The page's title.
    #[schemars(with = "String", regex(pattern = r"\S"))]
    title: Spanned<String>,
    /// A sentence for search engines and link previews.
    #[serde(default)]
    description: String,
    /// A draft is built only with `--drafts`.
    #[serde(default)]
    draft: bool,
}

/// A free page such as "About".
#[derive(Debug, Clone)]
pub struct Page {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub draft: bool,
    pub html: String,
    /// Its links to the site itself.
    pub links: FileLinks,
}

/// The links to the site of a free page that has problems (its front matter, a picture without
/// words), so that they are checked in the same run as its other problems. `None` where its body
/// cannot be told from its front matter.
pub fn partial_page_links(file: &Path, text: &str, site: &markdown::SiteLinks) -> Option<FileLinks> {
    let split = front_matter::split(file, text).ok()?;
    let slug = file.file_stem()?.to_string_lossy();
    let links = markdown::site_links(split.body, &site.on_page(&format!("{slug}/")));
    Some(FileLinks { file: file.to_path_buf(), line_offset: lines_before(text, split.body), column_offset: 0, links })
}

/// As [`parse_page_for_site`], for a site at the root of its host.
pub fn parse_page(file: &Path, slug: &str, text: &str) -> Result<Page, Vec<Diagnostic>> {
    let site = markdown::SiteLinks { source_page: crate::model::links::source_page, ..Default::default() };
    parse_page_for_site(file, slug, text, &site)
}

/// A free page, its links to the site written below the site's base path.
pub fn parse_page_for_site(
    file: &Path,
    slug: &str,
    text: &str,
    site: &markdown::SiteLinks,
) -> Result<Page, Vec<Diagnostic>> {
    let split = front_matter::split(file, text).map_err(|d| vec![d])?;
    // Relative links are resolved from the page's own address, `/<slug>/`.
    let site = &site.on_page(&format!("{slug}/"));
    let mut problems = Vec::new();
    if !crate::slug::is_valid(slug) {
        // `Team.md`: the name to give it, as a story's file is told.
        let named = crate::slug::slugify(slug);
        let hint = if named.is_empty() { String::new() } else { format!("; rename it `{named}.md`") };
        problems.push(
            Diagnostic::new(
                file,
                format!("`{slug}` is not a valid slug: a page's file is named with lower-case letters, digits and hyphens{hint}"),
            )
            .field("file name"),
        );
    }
    let parsed = yaml::parse_all::<PageFront>(file, or_empty_map(split.yaml), split.line_offset);
    problems.extend(parsed.problems.iter().cloned());
    // The body's pictures are checked even when the front matter cannot be read: it is apart.
    if let Some(fm) = &parsed.value
        && !parsed.left_out("title")
        && fm.title.value.trim().is_empty()
    {
        problems.push(
            Diagnostic::new(file, "the title is empty").field("title").at_location(&fm.title.referenced, FRONT_OFFSET),
        );
    }
    let mut images = markdown::images(split.body);
    let line_offset = lines_before(text, split.body);
    for (line, column, told) in markdown::embeds(split.body) {
        problems.push(Diagnostic::new(file, told).at(line + line_offset, column));
    }
    for i in &mut images {
        i.line += line_offset;
    }
    problems.extend(missing_alt(file, &images));
    problems.extend(not_pictures(file, &images));
    // A page is one file: nothing beside it is published, so a picture named from its folder
    // would be broken on the site. Pages' pictures live in the site's `static/` folder.
    for img in images.iter().filter(|i| i.is_image) {
        if let Some(name) = bundle_name(&img.src) {
            problems.push(
                Diagnostic::new(
                    file,
                    format!(
                        "`{}` names a file beside the page, and nothing beside a page is published; put the picture \
                         in the site's static/ folder and write `/static/{name}`",
                        img.src
                    ),
                )
                .at(img.line, img.column),
            );
        }
    }
    let (true, Some(fm)) = (problems.is_empty(), parsed.value) else { return Err(problems) };
    let rendered = markdown::render_with(split.body, site);
    if let Some(why) = rendered.too_complex {
        return Err(vec![Diagnostic::new(file, format!("the page is not built: {why}"))]);
    }
    let links = FileLinks {
        file: file.to_path_buf(),
        line_offset: lines_before(text, split.body),
        column_offset: 0,
        links: rendered.links,
    };
    Ok(Page {
        slug: slug.to_string(),
        title: fm.title.value.trim().to_string(),
        description: fm.description,
        draft: fm.draft,
        html: rendered.html,
        links,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn fast_word_count_agrees_with_the_unicode_rule(body in "[ a-zA-Z09*_#|>\\[\\]`\t\n\x0b\x0c\r.,é—日\u{a0}\u{85}\u{2003}\u{3000}-]{0,300}") {
            let slow = body.split_whitespace().filter(|t| t.chars().any(char::is_alphanumeric)).count();
            proptest::prop_assert_eq!(count_words(&body), slow);
        }
    }

    #[test]
    fn ascii_word_count_agrees_with_the_unicode_rule() {
        let unicode = |body: &str| body.split_whitespace().filter(|t| t.chars().any(char::is_alphanumeric)).count();
        for body in [
            "",
            "   ",
            "# Title\n\nSome **bold** text - with a dash | and a table |\n",
            "tabs\tand\x0bvertical\x0cfeeds\r\nand [links](http://x.y) ` code `",
            &"word ".repeat(100),
            "--- *** ### 2024 x",
        ] {
            assert_eq!(count_words(body), unicode(body), "{body:?}");
        }
        // Non-ASCII text takes the general path and still counts.
        assert_eq!(count_words("café naïve — über"), 3);
    }

    #[test]
    fn dates_outside_1900_to_9999_are_refused() {
        for (date, says) in [
            ("-0001-01-01", "is not a date"),
            ("+2024-01-01", "is not a date"),
            ("0000-01-01", "between 1900-01-01 and 9999-12-31"),
            ("1899-12-31", "between 1900-01-01 and 9999-12-31"),
            ("10000-01-01", "is not a date"),
            ("2025-1-1", "is not a date"),
            // Outside round 8 of issue 17: an invisible character after the date is named.
            (
                "2024-09-01\u{200B}",
                "`2024-09-01` is not a date as written; it holds a zero-width space (U+200B), which cannot be told \
                 from a space or nothing: retype it",
            ),
            ("2025-01-1", "is not a date"),
            ("25-01-01", "is not a date"),
            // The part that does not exist is named (outside round 4 of issue 17).
            ("2025-02-30", "`2025-02-30` is not a date: February 2025 has no day 30; write it as YYYY-MM-DD"),
            ("2025-13-01", "`2025-13-01` is not a date: there is no month 13;"),
            ("2025-04-31", "April 2025 has no day 31"),
        ] {
            let text = format!("---\ntitle: A\ndate: {date}\n---\nBody\n");
            let e = parse_story(Path::new("s.md"), Path::new("s.md"), "s", &text).unwrap_err();
            assert_eq!((e[0].field.as_deref(), e[0].line), (Some("date"), Some(3)), "{date}");
            assert!(e[0].message.contains(says), "{date}: {}", e[0].message);
        }
        for date in ["1900-01-01", "9999-12-31"] {
            let text = format!("---\ntitle: A\ndate: {date}\n---\nBody\n");
            assert!(parse_story(Path::new("s.md"), Path::new("s.md"), "s", &text).is_ok(), "{date}");
        }
    }

    #[test]
    fn dates_must_be_written_with_four_two_and_two_digits() {
        for date in ["2025-1-1", "2025-01-1", "2025-1-01", "25-01-01", "2025/01/01", "2025-01-01T10:00", "02025-01-01"]
        {
            let text = format!("---\ntitle: A\ndate: {date}\n---\nBody\n");
            let e = parse_story(Path::new("s.md"), Path::new("s.md"), "s", &text).unwrap_err();
            assert_eq!((e[0].field.as_deref(), e[0].line), (Some("date"), Some(3)), "{date}");
            assert_eq!(e[0].message, format!("`{date}` is not a date; write it as YYYY-MM-DD, e.g. 2025-01-01"));
        }
    }

    #[test]
    fn malformed_date_names_line() {
        let e = parse_story(Path::new("s.md"), Path::new("s.md"), "s", "---\ntitle: A\ndate: 2024-13-45\n---\nBody\n")
            .unwrap_err();
        assert_eq!(e[0].field.as_deref(), Some("date"));
        assert_eq!(e[0].line, Some(3), "{}", e[0]);
    }

    #[test]
    fn an_image_without_words_on_a_page_is_an_error_at_its_line_and_column() {
        let text = "---\ntitle: About\n---\nHello.\n\nSee ![](/static/a.png) and ![A chart](/static/b.png).\n";
        let e = parse_page(Path::new("content/pages/about.md"), "about", text).unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!((e[0].line, e[0].column), (Some(6), Some(5)));
        assert!(e[0].message.contains("`/static/a.png` has no text alternative"), "{}", e[0]);
        // Words made of code or emphasis count.
        let ok = "---\ntitle: About\n---\n![*the* `chart`](/static/b.png)\n";
        assert!(parse_page(Path::new("p.md"), "p", ok).is_ok());
    }

    #[test]
    fn relative_links_resolve_from_the_story_page() {
        let t = |src: &str| relative_target("day", src);
        assert_eq!(t("../other/"), Some(("stories/other/".into(), false)));
        assert_eq!(t("../other"), Some(("stories/other".into(), false)));
        assert_eq!(t("../../employers/x/#figures"), Some(("employers/x/".into(), false)));
        assert_eq!(t(".."), Some(("stories/".into(), false)));
        assert_eq!(t("../../"), Some(("".into(), false)));
        assert_eq!(t("./"), Some(("stories/day/".into(), false)));
        assert_eq!(t("sub/"), Some(("stories/day/sub/".into(), false)));
        assert_eq!(t("a/../../b%20c/"), Some(("stories/b c/".into(), false)));
        assert_eq!(t("../../../x/"), Some(("x/".into(), true)));
        // Not relative paths, or files in the story's folder (checked as such).
        for none in ["/x/", "@/stories/x.md", "https://e.org/", "#top", "?a=b", "plan.pdf", "docs/plan.pdf", "10:30/"] {
            assert_eq!(t(none), None, "{none}");
        }
        assert!(
            crate::model::links::names_a_file("static/p.pdf")
                && !crate::model::links::names_a_file("stories/x/")
                && !crate::model::links::names_a_file("stories/x")
        );
    }

    #[test]
    fn story_parses() {
        let text = "---\ntitle: A\ndate: 2024-03-01\nemployer: x\n---\nHello *you* | ## now\n";
        let s = parse_story(Path::new("s.md"), Path::new("s.md"), "s", text).unwrap();
        assert_eq!(s.date.to_string(), "2024-03-01");
        assert_eq!(s.words, 3);
        assert_eq!(s.employer.unwrap().referenced.line(), 3);
    }
}
