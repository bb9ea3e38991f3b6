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

/// Front matter is a block between a first line `---` and the next line `---`. Either line may
/// end in spaces or tabs an editor left there, and lines may end in CRLF (Windows): `--- ` is
/// still a fence, as it looks like one.
pub fn split<'a>(file: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_len = text.find('\n').map_or(text.len(), |i| i + 1);
    let (first, rest) = text.split_at(first_len);
    if first.trim_end() != "---" || !first.ends_with('\n') {
        return Err(Diagnostic::new(
            file,
            "no front matter: the file must start with a line `---`, then YAML, then `---`",
        )
        .at(1, 1));
    }
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

    /// Outside round 17b, item 4: `--- ` (a space after the dashes, which no one sees) as the
    /// first line read as "no front matter"; with CRLF line ends the fences are fences too.
    #[test]
    fn fences_with_trailing_spaces_or_crlf_are_fences() {
        for text in [
            "--- \ntitle: A\n---\nHello\n",
            "---\t \ntitle: A\n---  \nHello\n",
            "---  \r\ntitle: A\r\n--- \r\nHello\r\n",
            "\u{feff}---\r\ntitle: A\r\n---\r\nHello\r\n",
        ] {
            let s = split(Path::new("s.md"), text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert_eq!(s.yaml.trim_end(), "title: A", "{text:?}");
            assert_eq!(s.body.trim_end(), "Hello", "{text:?}");
        }
        // Dashes with more after them are not a fence.
        assert!(split(Path::new("s.md"), "--- title: A\n---\nHello\n").is_err());
        assert!(split(Path::new("s.md"), "----\ntitle: A\n---\nHello\n").is_err());
    }

    #[test]
    fn unclosed_fence_is_an_error() {
        let e = split(Path::new("s.md"), "---\ntitle: A\nbody").unwrap_err();
        assert!(e.message.contains("not closed"));
    }
}
