//! [`SafeUrl`]: the one type every link field of every content kind is read into, so a hostile
//! `javascript:` (or `data:`, `vbscript:` ...) link is refused where it is written, with its file,
//! line and column, instead of reaching a page as a live `href`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A link an author may give: an absolute `http://` or `https://` address, or a path on this site
/// starting with a single `/`. Nothing else can be constructed, so templates may print it in an
/// `href` as it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SafeUrl(String);

/// Why a link was refused, in the words the error report uses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    #[error("the link is empty")]
    Empty,
    #[error("`{0}` contains spaces or control characters; write spaces as %20")]
    Whitespace(String),
    #[error("`{0}` is written with backslashes (`\\`), as Windows writes paths; a web address uses `/`: write `{1}`")]
    Backslash(String, String),
    #[error("`{0}` contains {1}, which may not appear in a link; write it as `{2}`")]
    Markup(String, &'static str, &'static str),
    #[error("`{0}` contains an invisible or text-direction character ({1}), which hides what the link is; remove it")]
    Invisible(String, String),
    #[error("`{0}` starts with `//`, which leaves the site; write the full https:// address")]
    ProtocolRelative(String),
    #[error("`{0}` is not an http(s) URL or a path on this site starting with `/`")]
    NotWeb(String),
    #[error("`{0}` is not a whole web address: write it with https:// in front, `https://{0}`")]
    NoScheme(String),
    #[error("`{0}` names a file by a path that does not start at the site's root; write `{1}`")]
    RelativePath(String, String),
    #[error("`{0}` is not a valid web address: {1}")]
    Invalid(String, String),
    #[error("{}", curly_quoted(.0, "an address", .1))]
    CurlyQuotes(String, String),
}

/// What an author is told of `written` wrapped in a word processor's curly quotes: they are no
/// part of `what` (an address, a path, a file's name); `write` is what to write instead.
pub fn curly_quoted(written: &str, what: &str, write: &str) -> String {
    format!(
        "`{written}` is wrapped in curly quotes (as a word processor writes them), which are no part of {what}; write \
         it with straight quotes `\"` or none: `{write}`"
    )
}

/// `text` without the curly quotes around it (`”https://e.org/”` → `https://e.org/`).
pub fn without_curly_quotes(text: &str) -> String {
    text.trim_matches(['\u{201C}', '\u{201D}', '\u{2018}', '\u{2019}', '\u{201E}', '\u{00AB}', '\u{00BB}']).to_string()
}

impl SafeUrl {
    /// Check `text` and keep it as written. The check is an allow-list (http, https or a site
    /// path), so every other scheme is refused however it is spelt: mixed case, entities, or
    /// whitespace and control characters that browsers strip before reading the scheme.
    pub fn parse(text: &str) -> Result<Self, UrlError> {
        if text.is_empty() {
            return Err(UrlError::Empty);
        }
        if crate::load::markdown::in_curly_quotes(text) {
            return Err(UrlError::CurlyQuotes(shown(text), shown(&without_curly_quotes(text))));
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(UrlError::Whitespace(shown(text)));
        }
        if text.contains('\\') {
            // Shown as written: a backslash escaped for display (`\\\\`) is not what was typed.
            let fixed = text.replace('\\', "/");
            let fixed = if fixed.starts_with("//") { format!("/{}", fixed.trim_start_matches('/')) } else { fixed };
            let fixed = fixed.replacen(":/", "://", usize::from(fixed.contains(":/") && !fixed.contains("://")));
            return Err(UrlError::Backslash(plain_shown(text), plain_shown(&fixed)));
        }
        // A link is printed into HTML attributes, JSON, robots.txt and feeds: the characters
        // that end an attribute or open markup there never appear in a link as written.
        if let Some((_, name, escaped)) = text.chars().find_map(|c| MARKUP.iter().find(|(m, ..)| *m == c).copied()) {
            return Err(UrlError::Markup(shown(text), name, escaped));
        }
        if let Some(c) = text.chars().find(|&c| invisible(c)) {
            return Err(UrlError::Invisible(shown(text), format!("U+{:04X}", c as u32)));
        }
        if text.starts_with("//") {
            return Err(UrlError::ProtocolRelative(shown(text)));
        }
        if text.starts_with('/') {
            return Ok(SafeUrl(text.to_string()));
        }
        let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
        let host = ["http://", "https://"].iter().find(|p| lower.starts_with(**p)).map(|p| &text[p.len()..]);
        // `https:///x` is read by browsers as the host `x`: refuse the surprise.
        // `www.example.org`, the address as people say it (issue 17, round 11).
        let looks_like_a_host = |t: &str| {
            let host = t.split('/').next().unwrap_or_default();
            host.contains('.')
                && !t.contains(':')
                && host.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '-'))
        };
        // `logo.svg`, `static/logo.svg`: a file of the site, named from a folder no page has.
        // `www.example.org/logo.png`: a host, however the path ends.
        let first = text.split('/').next().unwrap_or_default().to_ascii_lowercase();
        let a_host = first.starts_with("www.")
            || (text.contains('/')
                && first.rsplit_once('.').is_some_and(|(_, e)| crate::load::markdown::HOST_ENDINGS.contains(&e)));
        if host.is_none() && !text.contains(':') && !a_host {
            let name = text.trim_start_matches("./");
            let ending = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
            let file = FILE_ENDINGS.contains(&ending.as_str());
            if file || name.starts_with("static/") {
                let path = if name.starts_with("static/") { format!("/{name}") } else { format!("/static/{name}") };
                return Err(UrlError::RelativePath(shown(text), shown(&path)));
            }
        }
        if host.is_none() && looks_like_a_host(text) {
            return Err(UrlError::NoScheme(shown(text)));
        }
        if host.is_none_or(|h| h.is_empty() || h.starts_with('/')) {
            return Err(UrlError::NotWeb(shown(text)));
        }
        // The prefix alone would let `http://` (no host) through: let the WHATWG parser that
        // browsers follow confirm the scheme and that there is a host.
        match url::Url::parse(text) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(SafeUrl(text.to_string())),
            Ok(_) => Err(UrlError::NotWeb(shown(text))),
            Err(e) => Err(UrlError::Invalid(shown(text), e.to_string())),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub use crate::load::markdown::FILE_ENDINGS;

/// Characters that mark up HTML or end a quoted attribute, their names, and how a link writes
/// them.
const MARKUP: &[(char, &str, &str)] = &[
    ('"', "a double quote (\")", "%22"),
    ('<', "a `<`", "%3C"),
    ('>', "a `>`", "%3E"),
    ('`', "a backtick (`)", "%60"),
];

pub(crate) use crate::error::invisible;

/// The link as it appears in a message: control characters made visible, long links cut.
/// `text` as written, cut to 80 characters: for text whose only odd character is `\\`.
fn plain_shown(text: &str) -> String {
    if text.chars().any(char::is_control) || text.chars().count() > 80 {
        return shown(text);
    }
    text.to_string()
}

fn shown(text: &str) -> String {
    let escaped: String = text.chars().flat_map(char::escape_debug).collect();
    if escaped.chars().count() > 80 { format!("{}…", escaped.chars().take(80).collect::<String>()) } else { escaped }
}

impl std::ops::Deref for SafeUrl {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SafeUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SafeUrl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        SafeUrl::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// For a field that must stay a plain `Option<String>` (its owner's type is not ours to change):
/// read it through [`SafeUrl`] all the same, so the same check and message apply.
pub fn checked_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<SafeUrl>::deserialize(d)?.map(|u| u.0))
}

impl Serialize for SafeUrl {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl schemars::JsonSchema for SafeUrl {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "SafeUrl".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "An absolute http:// or https:// address, or a path on this site starting with a single `/`.",
            "pattern": "^([hH][tT][tT][pP][sS]?://[^\\s/\\\\\"<>`\\u00AD\\u061C\\u180E\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u2064\\u2066-\\u206F\\uFEFF\\uFFF9-\\uFFFB]|/([^/\\\\\"<>`\\u00AD\\u061C\\u180E\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u2064\\u2066-\\u206F\\uFEFF\\uFFF9-\\uFFFB]|$))[^\\s\\\\\"<>`\\u00AD\\u061C\\u180E\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u2064\\u2066-\\u206F\\uFEFF\\uFFF9-\\uFFFB]*$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_links_and_site_paths_are_kept_as_written() {
        for ok in ["https://example.org/a?b=c#d", "http://x.org", "HTTPS://Example.org/", "/", "/logo.png", "/a//b"] {
            assert_eq!(SafeUrl::parse(ok).map(|u| u.to_string()).as_deref(), Ok(ok), "{ok}");
        }
    }

    #[test]
    fn script_and_obfuscated_schemes_are_refused() {
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "\u{1}javascript:alert(1)",
            "javascript\u{0}:alert(1)",
            "&#106;avascript:alert(1)",
            "&#x6A;avascript:alert(1)",
            "javascript&colon;alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
            "DATA:text/html;base64,PHNjcmlwdD4=",
            "//evil.example/",
            "/\\evil.example/",
            "\\\\evil.example",
            "https:\\\\evil.example",
            "http://",
            "https:///path",
            "https://exa mple.org",
            "mailto:a@b.org",
            "example.org",
            "",
        ] {
            assert!(SafeUrl::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn markup_and_invisible_characters_are_refused() {
        for (bad, says) in [
            ("https://x.org/</script>", "contains a `<`, which may not appear in a link; write it as `%3C`"),
            ("https://x.org/a>b", "contains a `>`, which may not appear in a link; write it as `%3E`"),
            (
                "https://x.org/\"onmouseover=x",
                "contains a double quote (\"), which may not appear in a link; write it as `%22`",
            ),
            ("/a`b", "contains a backtick (`), which may not appear in a link; write it as `%60`"),
        ] {
            let e = SafeUrl::parse(bad).unwrap_err().to_string();
            assert!(e.ends_with(says), "{bad}: {e}");
        }
        for c in [
            '\u{00AD}', '\u{061C}', '\u{180E}', '\u{200B}', '\u{200F}', '\u{202A}', '\u{202E}', '\u{2060}', '\u{2064}',
            '\u{2066}', '\u{206F}', '\u{FEFF}', '\u{FFF9}', '\u{FFFB}',
        ] {
            for link in [format!("https://x.org/{c}a"), format!("https://x{c}.org/"), format!("/a{c}")] {
                let e = SafeUrl::parse(&link).unwrap_err().to_string();
                assert!(e.contains(&format!("U+{:04X}", c as u32)) && e.contains("invisible"), "{link:?}: {e}");
            }
        }
        // Neighbours of the refused ranges stay allowed (`é`, `ü`, a non-breaking hyphen).
        for ok in ["https://x.org/caf\u{e9}", "/\u{fc}ber", "/a\u{2011}b"] {
            assert!(SafeUrl::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn messages_name_the_link_without_serde_terms() {
        let e = SafeUrl::parse("javascript:alert(1)").unwrap_err().to_string();
        assert_eq!(e, "`javascript:alert(1)` is not an http(s) URL or a path on this site starting with `/`");
        let e = SafeUrl::parse("java\tscript:x").unwrap_err().to_string();
        assert!(e.contains("java\\tscript:x"), "{e}");
    }
}
