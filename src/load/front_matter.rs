//! Split a Markdown file into its YAML front matter and body.

use crate::error::Diagnostic;
use std::path::Path;

/// The front matter text, the body, and the line on which the YAML starts minus one
/// (so YAML line numbers can be shifted to file line numbers).
#[derive(Debug)]
pub struct Split<'a> {
    pub yaml: &'a str,
    pub body: &'a str,
    pub line_offset: u64,
}

/// Front matter is a block between a first line `---` and the next line `---`.
pub fn split<'a>(file: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---\r\n")).ok_or_else(|| {
        Diagnostic::new(file, "no front matter: the file must start with a line `---`, then YAML, then `---`").at(1, 1)
    })?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Ok(Split { yaml, body, line_offset: 1 });
        }
        offset += line.len();
    }
    Err(Diagnostic::new(file, "front matter is not closed: add a line `---` after the YAML").at(1, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_yaml_and_body() {
        let s = split(Path::new("s.md"), "---\ntitle: A\n---\nHello\n").unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.body, "Hello\n");
    }

    #[test]
    fn missing_opening_fence_is_an_error_at_line_one() {
        let e = split(Path::new("s.md"), "title: A\n").unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.message.contains("no front matter"));
    }

    #[test]
    fn unclosed_fence_is_an_error() {
        let e = split(Path::new("s.md"), "---\ntitle: A\nbody").unwrap_err();
        assert!(e.message.contains("not closed"));
    }
}
