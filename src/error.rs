//! Diagnostics: every problem found in the content, with the file, line, column and field.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in one input file, reported like a compiler would.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Diagnostic {
    /// Path of the file, relative to the site root where possible.
    pub file: PathBuf,
    /// 1-based line, when the parser knows it.
    pub line: Option<u64>,
    /// 1-based column, when the parser knows it.
    pub column: Option<u64>,
    /// The offending field: its key (`region`), or where it is in words, with its keys quoted
    /// (``` `key_question.starts` of year 2024 ```).
    pub field: Option<String>,
    /// What is wrong, and where possible how to fix it.
    pub message: String,
}

impl Diagnostic {
    pub fn new(file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Self { file: file.as_ref().to_path_buf(), line: None, column: None, field: None, message: message.into() }
    }

    pub fn at(mut self, line: u64, column: u64) -> Self {
        if line > 0 {
            self.line = Some(line);
            self.column = (column > 0).then_some(column);
        }
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Point at a location reported by the YAML parser, shifted by the lines that precede the
    /// YAML in its file (front matter starts after the opening `---`).
    pub fn at_location(self, loc: &serde_saphyr::Location, line_offset: u64) -> Self {
        if loc.line() == 0 {
            return self;
        }
        self.at(loc.line() + line_offset, loc.column())
    }
}

/// Why a file could not be read or written, in words (no "os error 2").
pub fn plain_io(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "there is no such file (check the name and the folder)".into(),
        K::PermissionDenied => "permission denied".into(),
        K::IsADirectory => "it is a folder, not a file".into(),
        K::NotADirectory => "a part of the path is a file, not a folder".into(),
        K::ReadOnlyFilesystem => "the disk is read-only".into(),
        K::StorageFull => "the disk is full".into(),
        _ => {
            let text = e.to_string();
            match text.find(" (os error") {
                Some(i) => text[..i].to_string(),
                None => text,
            }
        }
    }
}

/// An error and its causes as `{:#}` writes them (`cannot create x: ...`), each cause that is
/// an I/O error in plain words ([`plain_io`]): "(os error 2)" means nothing to an editor.
pub fn plain_error(e: &anyhow::Error) -> String {
    e.chain()
        .map(|cause| match cause.downcast_ref::<std::io::Error>() {
            Some(io) => plain_io(io),
            None => cause.to_string(),
        })
        .collect::<Vec<_>>()
        .join(": ")
}

/// Text for a terminal: control characters (a terminal escape sequence, a line break) written
/// in the plain form most tools use (`\x1b`, `\n`, `\t`), never raw.
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A file's name may hold control characters too: shown escaped, like its text.
        write!(f, "{}", plain(&self.file.display().to_string()))?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": error")?;
        match &self.field {
            // Already in words, with its keys quoted.
            Some(field) if field.contains('`') => write!(f, " in {field}")?,
            Some(field) => write!(f, " in `{field}`")?,
            None => {}
        }
        write!(f, ": {}", visible(&self.message))
    }
}

/// `text` with each invisible or direction-changing character (a zero-width space, a soft
/// hyphen, a right-to-left override, which would turn the rest of the line round) written by
/// its number, `\u{200b}`: a message quotes what the author wrote, and must show all of it.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(invisible) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if invisible(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// `1 employer`, `2 employers`, `0 stories`: a count with its noun as English says it.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// All the problems of one build, reported together.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Sorted so that reports are stable from run to run whatever the thread order.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.0.sort();
        self.0.dedup();
        self.0
    }
}

/// Why a build or check did not produce a site.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The content has problems; each names its file and line.
    #[error("{} found in the content", count(.0.len(), "problem", "problems"))]
    Content(Vec<Diagnostic>),
    /// Something outside the content went wrong (disk full, permissions, ...).
    #[error(transparent)]
    Io(#[from] anyhow::Error),
}

impl From<Diagnostics> for BuildError {
    fn from(d: Diagnostics) -> Self {
        BuildError::Content(d.into_sorted())
    }
}

/// Unicode format characters that are invisible or change the direction text is shown in, so a
/// link can read as another address than the one it goes to (the same set the JSON Schema
/// pattern below refuses).
pub fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
}
