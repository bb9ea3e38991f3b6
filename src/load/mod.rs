//! Stage 1 of the pipeline: the file system → raw sources. The only stage that reads content.

pub mod front_matter;
mod html_shape;
mod links;
pub mod markdown;
pub mod recover;
mod tree;
pub mod yaml;

pub use links::{INPUT_DIRS, check_links};
pub use tree::{TreeFile, content_hash, read_tree, same_name_twice};

use crate::error::{Diagnostic, Diagnostics};
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// One content file, named relative to the site root for messages. Its text is read when it is
/// parsed (in parallel, one file at a time), so a large site is never all in memory at once.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Relative path, e.g. `content/employers/northgate-rail.yaml`.
    pub path: PathBuf,
    /// Where to read it.
    pub full: PathBuf,
    /// File stem, which becomes the slug (a bundle's folder name).
    pub stem: String,
    /// For a story written as a folder (`content/stories/<slug>/index.md`), the files beside it.
    pub bundle: Option<Bundle>,
}

/// A story's folder (a page bundle): its `index.md` and the files beside it, published with it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Bundle {
    /// Where the folder is.
    pub dir: PathBuf,
    /// The folder relative to the site root, for messages (`content/stories/x`).
    pub path: PathBuf,
    /// Every file beside `index.md`, named below the folder with `/` between parts, sorted;
    /// hidden and system files (`.DS_Store`, `Thumbs.db`, `~$notes.docx`) left out. Only regular
    /// files and links are listed here; a link is refused when read (links out of the site were
    /// refused before anything). Names are in Unicode's composed form ([`crate::slug::nfc`]), as
    /// a story names them.
    pub files: Vec<String>,
    /// The name on disk of each file whose name there is not composed (macOS writes `é` as `e`
    /// and an accent), by its name in [`Bundle::files`].
    pub on_disk: std::collections::BTreeMap<String, String>,
    /// Files of [`Bundle::files`] that are links out of the site, refused (and told) before
    /// anything was read: never read, and not told again.
    pub refused: std::collections::BTreeSet<String>,
}

/// Files an operating system or an office program leaves in any folder, which no one means to
/// publish: hidden files (`.DS_Store`, `._photo.jpg`), Windows' picture caches (`Thumbs.db`,
/// `ehthumbs.db`) and folder settings (`desktop.ini`), and the lock files Word, Excel and
/// PowerPoint write beside a document while it is open (`~$figures.xlsx`). They are left out of
/// `content/`, `static/` and a theme's files alike: never published, never a problem.
pub fn is_system_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    name.starts_with('.')
        || name.starts_with("~$")
        || matches!(lower.as_str(), "thumbs.db" | "ehthumbs.db" | "desktop.ini")
}

/// Whether `name` is an editor's or merge tool's backup or temporary file (`x.md~`, `#x.md#`,
/// `x.swp`, `x.yaml.orig`, `x.bak`, Vim's `4913`): left beside the file it copies while or after
/// it is edited, never meant as content, and not told as a file in the wrong place.
pub fn is_editor_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || [".swp", ".swo", ".swx", ".tmp", ".bak", ".orig", ".kate-swp"].iter().any(|e| lower.ends_with(e))
}

/// Whether any part of a path below a folder (`photos/Thumbs.db`, with `/` between parts) is a
/// file or folder that [`is_system_file`] leaves out.
pub fn holds_system_file(below: &str) -> bool {
    below.split('/').any(is_system_file)
}

/// A file beside a story may be at most this large (a 40 MB photograph is a mistake).
pub const MAX_BUNDLE_FILE_BYTES: u64 = 32 * 1024 * 1024;

impl Bundle {
    /// The bytes of `name`, one of [`Bundle::files`]: a regular file of at most
    /// [`MAX_BUNDLE_FILE_BYTES`] (no pipe, no device, no link followed out of the folder).
    pub fn read(&self, name: &str) -> Result<Vec<u8>, Diagnostic> {
        let name = self.on_disk.get(name).map_or(name, String::as_str);
        let relative = self.path.join(name);
        let full = self.dir.join(name);
        let cannot = |e: std::io::Error| Diagnostic::new(&relative, format!("cannot read: {e}"));
        let meta = std::fs::symlink_metadata(&full).map_err(cannot)?;
        if meta.file_type().is_symlink() {
            return Err(Diagnostic::new(&relative, "it is a link; put the file itself beside the story"));
        }
        if meta.len() > MAX_BUNDLE_FILE_BYTES {
            return Err(Diagnostic::new(
                &relative,
                format!(
                    "the file is {} bytes; a file beside a story may be at most {MAX_BUNDLE_FILE_BYTES}",
                    meta.len()
                ),
            ));
        }
        read_regular(&full, MAX_BUNDLE_FILE_BYTES).map_err(cannot)
    }
}

/// The files of a story's folder beside its `index.md`.
fn bundle(root: &Path, dir: &Path, skip: &[PathBuf]) -> Bundle {
    let mut files = Vec::new();
    let mut refused = std::collections::BTreeSet::new();
    let mut on_disk = std::collections::BTreeMap::new();
    let walk = WalkDir::new(dir).min_depth(1).follow_links(false).sort_by_file_name();
    // Editors' backups (`index.md~`) are passed over here too, as in content's folders.
    let left_out = |name: &str| is_system_file(name) || is_editor_file(name);
    for entry in walk.into_iter().filter_entry(|e| !left_out(&e.file_name().to_string_lossy())).flatten() {
        if entry.file_type().is_dir() {
            continue;
        }
        let Ok(below) = entry.path().strip_prefix(dir) else { continue };
        let name = below.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        if name != "index.md" {
            let composed = crate::slug::nfc(&name).into_owned();
            if composed != name {
                on_disk.insert(composed.clone(), name);
            }
            if skip.iter().any(|s| *s == rel(root, entry.path())) {
                refused.insert(composed.clone());
            }
            files.push(composed);
        }
    }
    files.sort();
    Bundle { dir: dir.to_path_buf(), path: rel(root, dir), files, on_disk, refused }
}

impl SourceFile {
    /// The file's text; refuses oversized files before reading and names invalid UTF-8.
    pub fn read(&self) -> Result<String, Diagnostic> {
        read_content(&self.path, &self.full)
    }
}

/// Everything read from a site folder.
#[derive(Debug, Default)]
pub struct Sources {
    pub site_yaml: Option<SourceFile>,
    pub benchmarks: Vec<SourceFile>,
    pub employers: Vec<SourceFile>,
    pub stories: Vec<SourceFile>,
    pub pages: Vec<SourceFile>,
}

/// Files larger than this are refused rather than read (a 100 MB file is a mistake, not content).
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Read `site.yaml` and every content file under `root/content`.
pub fn load(root: &Path) -> (Sources, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut sources = Sources::default();
    // Links leading out of the site are refused wherever they are, before anything is read.
    // A refused link is not read at all: its target's text would otherwise reach the messages
    // about it (an outside `secrets.yaml` quoted in a CI log).
    let refused = links::check_links(root).0;
    let skip: Vec<PathBuf> = refused.iter().map(|d| d.file.clone()).collect();
    diags.extend(refused);
    let site = root.join("site.yaml");
    if skip.iter().any(|s| s == Path::new("site.yaml")) {
        // Named above as a refused link; not read.
    } else if site.is_file() {
        sources.site_yaml = Some(source(root, &site));
    } else {
        diags.push(Diagnostic::new(
            "site.yaml",
            format!(
                "there is no site.yaml in `{}` (every site has one at its root); run this in a site's folder, \
                 pass `--site DIR`, or start a site with `ladder new DIR`",
                root.display()
            ),
        ));
    }
    for (folder, ext, list) in [
        ("benchmarks", "yaml", &mut sources.benchmarks),
        ("employers", "yaml", &mut sources.employers),
        ("stories", "md", &mut sources.stories),
        ("pages", "md", &mut sources.pages),
    ] {
        *list = read_folder(root, &root.join("content").join(folder), ext, &skip, &mut diags);
    }
    stray_content(root, &skip, &mut diags);
    (sources, diags)
}

/// The folders of `content/`, each read for one kind of content.
const CONTENT_FOLDERS: [&str; 4] = ["benchmarks", "employers", "stories", "pages"];

/// Files and folders of `content/` outside its four folders, which no build reads: each is told
/// where it belongs (`content/story/` is most likely `stories/`, `content/x.md` a story or a
/// page), rather than left out unseen.
fn stray_content(root: &Path, skip: &[PathBuf], diags: &mut Diagnostics) {
    let content = root.join("content");
    let Ok(entries) = std::fs::read_dir(&content) else { return };
    let mut strays: Vec<(PathBuf, String, bool)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let hidden = name.starts_with('.')
                || is_system_file(&name)
                || is_editor_file(&name)
                || CONTENT_FOLDERS.contains(&name.as_str());
            (!hidden).then(|| (e.path(), name, e.file_type().is_ok_and(|t| t.is_dir())))
        })
        .filter(|(path, _, _)| !skip.iter().any(|s| rel(root, path).starts_with(s)))
        .collect();
    strays.sort();
    for (path, name, is_dir) in strays {
        let pictures = ["images", "img", "pictures", "photos", "assets", "files", "downloads", "static", "media"];
        let message = if is_dir && pictures.contains(&name.to_lowercase().as_str()) {
            format!(
                "the folder `{name}` is not read: pictures and files for the whole site go in the site's static/ \
                 folder (beside content/, linked as `/static/<file>`), and those of one story in the story's own \
                 folder, beside its index.md"
            )
        } else if is_dir {
            // `story`, `Employer`: the folder named in the singular, or in capitals.
            let one = |n: &str| {
                let n = n.to_lowercase();
                n.strip_suffix("ies").map(|s| format!("{s}y")).unwrap_or_else(|| n.trim_end_matches('s').to_string())
            };
            let near = CONTENT_FOLDERS
                .into_iter()
                .find(|f| one(f) == one(&name))
                .or_else(|| crate::suggest::closest_name(&name.to_lowercase(), CONTENT_FOLDERS.into_iter()))
                .map(|f| format!("; did you mean `{f}`?"))
                .unwrap_or_default();
            format!(
                "the folder `{name}` is not read: content/ holds the folders benchmarks/, employers/, stories/ and \
                 pages/ only{near}"
            )
        } else {
            let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            match ext.as_str() {
                "md" | "markdown" => format!(
                    "this file is not read: a story goes in content/stories/ and a page in content/pages/; move it to \
                     content/stories/{stem}.md or content/pages/{stem}.md"
                ),
                "yaml" | "yml" => format!(
                    "this file is not read: an employer's file goes in content/employers/; move it to \
                     content/employers/{stem}.yaml"
                ),
                _ => "this file is not read: content/ holds the folders benchmarks/, employers/, stories/ and pages/ \
                      only; move it into one of them, or out of content/"
                    .to_string(),
            }
        };
        diags.push(Diagnostic::new(rel(root, &path), message));
    }
}

fn read_folder(root: &Path, dir: &Path, ext: &str, skip: &[PathBuf], diags: &mut Diagnostics) -> Vec<SourceFile> {
    let folder_bundles = dir.ends_with("stories");
    let skipped = |p: &Path| skip.iter().any(|s| rel(root, p).starts_with(s));
    if !dir.is_dir() || skipped(dir) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for entry in WalkDir::new(dir).min_depth(1).max_depth(1) {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.push(Diagnostic::new(rel(root, dir), format!("cannot list folder: {e}")));
                continue;
            }
        };
        let path = entry.path();
        let name = entry.file_name().to_string_lossy();
        if is_system_file(&name) {
            continue;
        }
        // A story may be a folder (`stories/<slug>/index.md`) with its pictures beside it.
        let index = path.join("index.md");
        if folder_bundles && entry.file_type().is_dir() && index.is_file() && !skipped(&index) {
            let mut file = source(root, &index);
            file.stem = crate::slug::nfc(&name).into_owned();
            file.bundle = Some(bundle(root, path, skip));
            out.push(file);
            continue;
        }
        if folder_bundles && entry.file_type().is_dir() && !index.exists() {
            // A folder here is a story only with an `index.md`: say so rather than leave it out.
            diags.push(Diagnostic::new(
                rel(root, path),
                format!(
                    "the folder `{name}` has no index.md, so it is not a story; name the story's text index.md, or move the folder out of content/stories/"
                ),
            ));
            continue;
        }
        if dir.ends_with("pages") && entry.file_type().is_dir() {
            // A page is one file; a folder here (`pages/about/index.md`) would be left out unseen.
            diags.push(Diagnostic::new(
                rel(root, path),
                format!(
                    "the folder `{name}` is not read: a page is one file, content/pages/<name>.md (only stories may be \
                     folders); move its text to content/pages/{name}.md and its pictures to the site's static/ folder"
                ),
            ));
            continue;
        }
        if ext == "yaml" && entry.file_type().is_dir() && !name.starts_with('.') {
            // `content/employers/2024/x.yaml` would be left out unseen: employers are one file each.
            let kind =
                if dir.ends_with("employers") { "each employer is one file" } else { "each benchmark set is one file" };
            diags.push(Diagnostic::new(
                rel(root, path),
                format!(
                    "the folder `{name}` is not read: {kind} directly in {}/ (`<name>.yaml`, every year inside it); \
                     move its files up, out of the folder",
                    rel(root, dir).display()
                ),
            ));
            continue;
        }
        let matches = path.extension().is_some_and(|e| e == ext || (ext == "yaml" && e == "yml"));
        // `x.YAML`, `x.Yml`: YAML by another spelling would be left out unseen.
        let yaml_by_another_spelling = ext == "yaml"
            && !matches
            && entry.file_type().is_file()
            && path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
        if yaml_by_another_spelling && !skipped(path) {
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            diags.push(Diagnostic::new(
                rel(root, path),
                format!(
                    "this file is not read: files here must end in `.yaml`, in small letters; rename it `{stem}.yaml`"
                ),
            ));
            continue;
        }
        // `team.markdown`, `team.MD`: Markdown by another name would be left out unseen.
        let markdown_by_another_name = ext == "md"
            && !matches
            && entry.file_type().is_file()
            && path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| ["md", "markdown", "mdown", "mkd", "mkdn"].iter().any(|m| m.eq_ignore_ascii_case(e)));
        if markdown_by_another_name && !skipped(path) {
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            diags.push(Diagnostic::new(
                rel(root, path),
                format!("this file is not read: Markdown files here must end in `.md`; rename it `{stem}.md`"),
            ));
            continue;
        }
        if skipped(path) {
            continue;
        }
        // `x copy.md`, `x (1).md`, `x - Copy.md`: a copy Finder, Explorer or an editor made beside
        // `x.md`, told as that (not as a bad slug to rename, which would publish it twice).
        if let Some(original) = matches.then(|| copy_of(&name)).flatten().filter(|o| dir.join(o).is_file()) {
            diags.push(Diagnostic::new(
                rel(root, path),
                format!(
                    "this file looks like a copy of `{original}` (as Finder or Explorer names copies), and is not \
                     read; delete it, or give it a name of its own (lower-case letters, digits and hyphens)"
                ),
            ));
            continue;
        }
        if !matches {
            // `team.md.txt` (Notepad), `third.docx`, a picture loose in the folder: nothing
            // else in these folders is read, so each is told rather than left out unseen.
            if entry.file_type().is_file() && !name.starts_with('.') && !is_editor_file(&name) {
                diags.push(Diagnostic::new(rel(root, path), not_read_here(dir, &name, ext)));
            }
            continue;
        }
        out.push(source(root, path));
    }
    // Sorted so that everything downstream sees files in the same order on every machine. All
    // lie in one folder, so the whole paths sort as the names do; compared as bytes, since
    // `Path`'s own order parses both paths again at every comparison.
    out.sort_unstable_by(|a, b| a.full.as_os_str().as_encoded_bytes().cmp(b.full.as_os_str().as_encoded_bytes()));
    out
}

/// The name of the file `name` is a copy of, as Finder (`x copy.md`, `x copy 2.md`), Explorer
/// (`x - Copy.md`, `x - Copy (2).md`), browsers and others (`x (1).md`) or by hand (`x.bak.md`)
/// name copies; `None` for any other name.
fn copy_of(name: &str) -> Option<String> {
    let (stem, ext) = name.rsplit_once('.')?;
    // ASCII only, so that places in `lower` are places in `stem`.
    let lower = stem.to_ascii_lowercase();
    let numbered = |s: &str| s.trim_end_matches(|c: char| c.is_ascii_digit()).len() < s.len();
    let cut = [" - copy", " copy", ".bak", "-bak"]
        .iter()
        .find_map(|m| {
            lower.rfind(m).filter(|&at| {
                let rest = lower[at + m.len()..].trim();
                rest.is_empty() || numbered(rest) || (rest.starts_with('(') && rest.ends_with(')'))
            })
        })
        .or_else(|| {
            // `x (1)`
            let open = lower.rfind(" (")?;
            let inner = lower[open + 2..].strip_suffix(')')?;
            (!inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit())).then_some(open)
        })?;
    (cut > 0).then(|| format!("{}.{ext}", &stem[..cut]))
}

/// Why a file in `dir` (one of content's folders, whose files end in `.ext`) is not read, and
/// what to do: the name it most likely should have, or where it belongs.
fn not_read_here(dir: &Path, name: &str, ext: &str) -> String {
    let folder = dir.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    let trimmed = name.trim_end_matches([' ', '.']);
    let lower = trimmed.to_lowercase();
    let wanted = [format!(".{ext}"), ".yml".to_string()];
    // `team.md.txt`, `fourth.md ` (a space after the ending), `x.md.`.
    for end in wanted.iter().filter(|e| ext == "yaml" || *e == &format!(".{ext}")) {
        if let Some(at) = lower
            .find(&format!("{end}."))
            .or_else(|| (trimmed != name && lower.ends_with(end.as_str())).then(|| lower.len() - end.len()))
        {
            let fixed = format!("{}.{ext}", &trimmed[..at]);
            if dir.join(&fixed).exists() {
                return format!(
                    "this file is not read: it looks like a copy of `{fixed}` (its name does not end in `.{ext}`); \
                     move it out of content/"
                );
            }
            return format!("this file is not read: its name does not end in `.{ext}`; rename it `{fixed}`");
        }
    }
    let kind = match folder.as_str() {
        "stories" => "stories (`<slug>.md`, or a folder `<slug>/` holding `index.md` and its pictures)",
        "pages" => "pages (`<slug>.md`)",
        "employers" => "employers (`<slug>.yaml`)",
        _ => "benchmark sets (`<name>.yaml`)",
    };
    let extension = lower.rsplit_once('.').map(|(_, e)| e.to_string()).unwrap_or_default();
    let picture_or_document =
        ["jpg", "jpeg", "png", "webp", "gif", "svg", "pdf", "csv", "txt", "docx", "xlsx"].contains(&extension.as_str());
    let belongs = if picture_or_document {
        "; a picture or file for one story goes in that story's folder, beside its index.md, and one for the \
         whole site in static/"
    } else {
        ""
    };
    format!("this file is not read: content/{folder}/ holds {kind} only{belongs}")
}

fn source(root: &Path, path: &Path) -> SourceFile {
    SourceFile {
        path: rel(root, path),
        full: path.to_path_buf(),
        stem: path.file_stem().map(|s| crate::slug::nfc(&s.to_string_lossy()).into_owned()).unwrap_or_default(),
        bundle: None,
    }
}

fn rel(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Open `full` for reading, only if it is a regular file. A FIFO (or a link to one) would
/// block the build at `open` until a writer comes, and a device such as `/dev/zero` never
/// ends: both are refused, and the open itself does not wait (`O_NONBLOCK`, which changes
/// nothing for a regular file).
pub fn open_regular(full: &Path) -> std::io::Result<std::fs::File> {
    open_regular_len(full).map(|(file, _)| file)
}

/// As [`open_regular`], with the file's length as the open handle saw it (one `fstat` for both).
fn open_regular_len(full: &Path) -> std::io::Result<(std::fs::File, u64)> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, rustix::fs::OFlags::NONBLOCK.bits() as i32);
    let file = options.open(full)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other("it is not a regular file (a folder, pipe or device)"));
    }
    Ok((file, meta.len()))
}

/// At most `limit` bytes of the regular file at `full` (see [`open_regular`]); a longer file
/// is an error.
pub fn read_regular(full: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let file = open_regular(full)?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::other(format!("it is over {limit} bytes")));
    }
    Ok(bytes)
}

/// A handle on a folder itself (never through a link), to hold a lock on it: nothing is read
/// through it.
pub fn open_folder(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        &mut options,
        (rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::DIRECTORY).bits() as i32,
    );
    options.open(path)
}

/// A content file's text as [`read_text`] reads it, in Unicode's composed form ([`crate::slug::nfc`]):
/// an `employer:`, a sector or a link written on a Mac (`Cafe\u{301}`) is the same text as one
/// typed elsewhere (`Caf\u{e9}`). (`ladder import`, which rewrites a file line for line, reads
/// it with [`read_text`], as it is.)
pub fn read_content(relative: &Path, full: &Path) -> Result<String, Diagnostic> {
    let mut text = read_text(relative, full)?;
    // Lines ended by a carriage return alone (old Mac editors, some exports) are one line to
    // YAML and Markdown: "no front matter" was told of a story written right.
    if text.contains('\r') && !text.contains('\n') {
        text = text.replace('\r', "\n");
    }
    Ok(match crate::slug::nfc(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(composed) => composed,
    })
}

/// Read a content file: size checked first, UTF-8 required, problems named with the file.
pub fn read_text(relative: &Path, full: &Path) -> Result<String, Diagnostic> {
    use std::io::Read;
    let cannot = |e: std::io::Error| Diagnostic::new(relative, format!("cannot read: {}", crate::error::plain_io(&e)));
    // One open, then the size from the handle: no second walk of the path.
    let (file, len) = open_regular_len(full).map_err(cannot)?;
    if len > MAX_FILE_BYTES {
        return Err(Diagnostic::new(relative, format!("file is {len} bytes; the limit is {MAX_FILE_BYTES}")));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    // A file that grows while it is read is still cut off at the limit.
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Diagnostic::new(relative, format!("file is over the limit of {MAX_FILE_BYTES} bytes")));
    }
    // A byte-order mark (Notepad's and Excel's "UTF-8 with BOM") is no part of the text: left in,
    // it was read as part of the first key (`\u{feff}size`).
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        Diagnostic::new(relative, "the file is not valid UTF-8 text").at(line, 0)
    })
}

/// The Markdown body of a story file, read again at render time (bodies are never all held in
/// memory): `relative` names it in messages, `digest` is [`digest`] of the text that was parsed.
/// A file edited since then is refused, so no page mixes old front matter with a new body.
pub fn story_body(relative: &Path, full: &Path, digest_parsed: u64) -> Result<String, Diagnostic> {
    let mut text = read_content(relative, full)?;
    if digest(&text) != digest_parsed {
        return Err(Diagnostic::new(relative, "the file changed while the site was being built; run the build again"));
    }
    let split = front_matter::split(relative, &text)?;
    // The body is the tail of the file: cut the front matter off in place rather than copy.
    let start = text.len() - split.body.len();
    text.drain(..start);
    Ok(text)
}

/// The digest of a content file's whole text, to tell whether it changed since it was read.
pub fn digest(text: &str) -> u64 {
    // Every story is hashed twice per build (parsed, then read again to render), so this uses a
    // fast hash rather than `hash::key`'s SipHash (which cost 4% of a 50,000-story build). It
    // only tells an edit made during the build from none, which needs no resistance to crafted
    // collisions: an author who can edit the file mid-build can simply write the new text.
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write_usize(text.len());
    h.write(text.as_bytes());
    h.finish()
}

#[cfg(test)]
mod tests {
    /// Outside round 5 of issue 17: a file saved as "UTF-8 with BOM" had the mark read into its
    /// first key (`\u{feff}size`), which was then also told missing.
    #[test]
    fn a_byte_order_mark_is_no_part_of_the_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.yaml");
        std::fs::write(&path, b"\xEF\xBB\xBFsize: Medium\r\n").unwrap();
        let text = super::read_text(std::path::Path::new("e.yaml"), &path).unwrap();
        assert_eq!(text, "size: Medium\r\n");
    }
}
