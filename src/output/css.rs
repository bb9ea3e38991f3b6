//! Style sheets in `static/`: an address from the host's root (`url(/static/bg.png)`,
//! `@import "/static/base.css"`) is given the site's base path, as Markdown links are, so the
//! sheet works on a site published below a path (`https://example.org/sub/`); one that names no
//! static file is a dead link, told at its line and column. Comments and other strings are
//! passed over: a browser loads nothing from them.

/// `text` (a style sheet published as `static/<name>`) with each address that starts at the
/// host's root given `base_path`, and the places (1-based line, column) and addresses of those
/// that name no file `statics` knows (paths below the output folder, `static/bg.png`).
pub fn with_base(text: &str, base_path: &str, statics: &dyn Fn(&str) -> bool) -> (String, Vec<(u64, u64, String)>) {
    let mut out = String::with_capacity(text.len());
    let mut dead = Vec::new();
    let mut copied = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    // The end of an `image-set(...)` being read: a string in it is an address.
    let mut set_end = 0;
    while i < bytes.len() {
        let rest = &text[i..];
        if rest.starts_with("/*") {
            i += rest.find("*/").map_or(rest.len(), |e| e + 2);
            continue;
        }
        if rest.len() >= 10 && rest[..10].eq_ignore_ascii_case("image-set(") {
            set_end = closing_paren(text, i + 10);
        }
        let address = if rest.len() >= 4 && rest[..4].eq_ignore_ascii_case("url(") {
            address_at(text, i + 4, true)
        } else if rest.len() >= 7 && rest[..7].eq_ignore_ascii_case("@import") {
            address_at(text, i + 7, false)
        } else if (bytes[i] == b'"' || bytes[i] == b'\'') && i < set_end {
            address_at(text, i, false)
        } else if bytes[i] == b'"' || bytes[i] == b'\'' {
            // A string of its own (`content: "url(/x)"`): nothing is loaded from it.
            let q = bytes[i] as char;
            i += 1 + text[i + 1..].find(q).map_or(text.len() - i - 1, |e| e + 1);
            continue;
        } else {
            None
        };
        let Some((start, end)) = address else {
            i += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        };
        let written = &text[start..end];
        if written.starts_with('/') && !written.starts_with("//") {
            let path = &written[1..written.find(['?', '#']).unwrap_or(written.len())];
            if !statics(path) {
                let line = text[..start].matches('\n').count() as u64 + 1;
                let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
                dead.push((line, text[line_start..start].chars().count() as u64 + 1, written.to_string()));
            }
            out.push_str(&text[copied..start]);
            out.push_str(base_path);
            out.push_str(&written[1..]);
            copied = end;
        }
        // Past the address, and its closing quote (not the start of another string).
        let closing =
            matches!(bytes.get(end), Some(b'"' | b'\'')) && matches!(bytes.get(start - 1), Some(b'"' | b'\''));
        i = (end + usize::from(closing)).max(i + 1);
    }
    out.push_str(&text[copied..]);
    (out, dead)
}

/// Where the `)` closing a parenthesis opened just before `from` is (quotes and nested
/// parentheses passed over), or the text's end.
fn closing_paren(text: &str, from: usize) -> usize {
    let mut depth = 1;
    let mut quote: Option<u8> = None;
    for (i, &b) in text.as_bytes().iter().enumerate().skip(from) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'(') => depth += 1,
            (None, b')') => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    text.len()
}

/// Where the address after `url(` (`in_url`) or `@import` that starts looking at `from` lies:
/// quoted or, in `url(...)`, bare. `@import url(...)` is left to its `url(`.
fn address_at(text: &str, from: usize, in_url: bool) -> Option<(usize, usize)> {
    let rest = &text[from..];
    let start = from + rest.len() - rest.trim_start().len();
    let quote = text[start..].chars().next().filter(|c| matches!(c, '"' | '\''));
    match quote {
        Some(q) => text[start + 1..].find(q).map(|e| (start + 1, start + 1 + e)),
        None if in_url => text[start..].find(|c: char| c == ')' || c.is_whitespace()).map(|e| (start, start + e)),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::with_base;

    #[test]
    fn root_addresses_get_the_base_path_and_dead_ones_are_placed() {
        let css = "body { background: url(/static/bg.png); }\n.a { background: URL( \"/static/gone.png?v=1\" ) }\n\
                   .b { background: url(bg.png) url(//cdn.example.org/x.png) }\n";
        let (out, dead) = with_base(css, "/sub/", &|p| p == "static/bg.png");
        assert!(out.contains("url(/sub/static/bg.png)"), "{out}");
        assert!(out.contains("URL( \"/sub/static/gone.png?v=1\" )"), "{out}");
        assert!(out.contains("url(bg.png) url(//cdn.example.org/x.png)"), "{out}");
        assert_eq!(dead, vec![(2, 24, "/static/gone.png?v=1".to_string())]);
        let (same, _) = with_base(css, "/", &|_| true);
        assert_eq!(same, css);
    }

    /// Outside round 13 of issue 17: `@import "/x.css"` was left as written, and an address in
    /// a comment or another string was told as dead though a browser loads nothing from it.
    #[test]
    fn imports_are_rewritten_and_comments_and_strings_passed_over() {
        let css = "@import \"/static/base.css\";\n/* url(/static/old.png) */\n.q::after { content: \"url(/static/no.png)\" }\n\
                   @import url(/static/gone.css);\n";
        let (out, dead) = with_base(css, "/sub/", &|p| p == "static/base.css");
        assert!(out.starts_with("@import \"/sub/static/base.css\";\n/* url(/static/old.png) */\n"), "{out}");
        assert!(out.contains("content: \"url(/static/no.png)\""), "{out}");
        assert!(out.contains("@import url(/sub/static/gone.css);"), "{out}");
        assert_eq!(dead, vec![(4, 13, "/static/gone.css".to_string())]);
        // Outside round 13, item 6: the strings of an `image-set(...)` are addresses too.
        let css = ".h { background: image-set(url(/static/a.png) 1x, \"/static/b.png\" 2x); content: \"/static/c\" }\n";
        let (out, dead) = with_base(css, "/sub/", &|p| p == "static/a.png");
        assert!(
            out.contains("image-set(url(/sub/static/a.png) 1x, \"/sub/static/b.png\" 2x); content: \"/static/c\""),
            "{out}"
        );
        assert_eq!(dead, vec![(1, 52, "/static/b.png".to_string())]);
    }
}
