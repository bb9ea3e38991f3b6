//! YAML → typed values with serde-saphyr, errors turned into diagnostics with line and column.

use crate::error::Diagnostic;
use serde::de::DeserializeOwned;
use std::path::Path;

/// Content files are small; anything past this is refused before parsing.
pub const MAX_YAML_BYTES: usize = 4 * 1024 * 1024;

fn options() -> serde_saphyr::Options {
    // The budget keeps alias bombs and pathological nesting bounded in time and memory.
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: 64,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_events: 2_000_000,
        },
    }
}

/// Parse `text` from `file`; `line_offset` is the number of lines before the YAML starts.
pub fn parse<T: DeserializeOwned>(file: &Path, text: &str, line_offset: u64) -> Result<T, Diagnostic> {
    if text.len() > MAX_YAML_BYTES {
        return Err(Diagnostic::new(
            file,
            format!("file is {} bytes; content files may be at most {MAX_YAML_BYTES} bytes", text.len()),
        ));
    }
    serde_saphyr::from_str_with_options(text, options()).map_err(|e| to_diagnostic(file, text, &e, line_offset))
}

fn to_diagnostic(file: &Path, text: &str, e: &serde_saphyr::Error, line_offset: u64) -> Diagnostic {
    let loc = e.location().filter(|l| l.line() > 0);
    let (key, value) = match &loc {
        Some(l) => (key_on_line(text, l.line(), l.column()), value_at(text, l.line(), l.column())),
        None => (None, None),
    };
    let (field, message) = plain_words(innermost(e), key, value.as_deref());
    let mut d = Diagnostic::new(file, message);
    if let Some(loc) = loc {
        d = d.at_location(&loc, line_offset);
    }
    if let Some(f) = field {
        d = d.field(f);
    }
    d
}

/// The error itself, out of the wrappers that only add a snippet or an alias's place.
fn innermost(mut e: &serde_saphyr::Error) -> &serde_saphyr::Error {
    use serde_saphyr::Error as E;
    while let E::WithSnippet { error, .. } | E::AliasError { error, .. } = e {
        e = error;
    }
    e
}

/// The parser's errors speak of Rust types and YAML internals ("invalid u32", "unknown variant",
/// "expected sequence start"); an editor needs to hear which field must hold what. Returns the
/// field (when known) and the message.
fn plain_words(e: &serde_saphyr::Error, key: Option<String>, value: Option<&str>) -> (Option<String>, String) {
    use serde_saphyr::Error as E;
    let it = |key: &Option<String>| key.as_ref().map_or_else(|| "this value".to_string(), |k| format!("`{k}`"));
    let not = |value: Option<&str>| value.filter(|v| !v.is_empty()).map(|v| format!(", not `{v}`")).unwrap_or_default();
    let message = match e {
        E::SerdeUnknownVariant { variant, expected, .. } => {
            format!("{} must be one of {}, not `{variant}`", it(&key), expected.join(", "))
        }
        E::SerdeUnknownField { field, expected, .. } => {
            let known = if expected.is_empty() {
                "nothing is expected here".to_string()
            } else {
                format!("expected one of {}", expected.join(", "))
            };
            return (Some(field.clone()), format!("unknown field `{field}`, {known}"));
        }
        E::SerdeMissingField { field, .. } => return (Some(field.to_string()), format!("missing field `{field}`")),
        E::InvalidScalar { ty, .. } => must_be(&it(&key), kind_of(ty), value),
        E::InvalidBooleanStrict { .. } => must_be(&it(&key), Kind::Boolean, value),
        E::SerdeInvalidType { expected, .. } | E::SerdeInvalidValue { expected, .. } => {
            must_be(&it(&key), kind_of(expected), value)
        }
        E::SerdeInvalidLength { len, .. } => format!("{} has the wrong number of items ({len})", it(&key)),
        E::Unexpected { expected, .. } => match *expected {
            "sequence start" => {
                format!("{} must be a list (lines starting with `- `, or `[a, b]`){}", it(&key), not(value))
            }
            "mapping start" | "empty mapping start" if key.is_none() => {
                "the file must be a set of `key: value` lines".to_string()
            }
            "mapping start" | "empty mapping start" => {
                format!("{} must be a set of `key: value` entries, not a single value or a list", it(&key))
            }
            "string scalar" | "scalar" | "binary scalar" => {
                format!("{} must be a single value, not a list or a set of `key: value` entries", it(&key))
            }
            _ => format!("{} is not written as expected here", it(&key)),
        },
        E::ExternallyTaggedEnumExpectedScalarOrMapping { .. }
        | E::ExpectedStringKeyForExternallyTaggedEnum { .. }
        | E::UnexpectedValueForUnitEnumVariant { .. }
        | E::ExpectedMappingEndAfterEnumVariantValue { .. }
        | E::SerdeVariantId { .. } => {
            format!("{} must be a single word, one of the values allowed here, not a list or a set of keys", it(&key))
        }
        E::NullIntoString { .. } | E::InvalidCharNull { .. } => {
            format!("{} is empty; write a value after the colon", it(&key))
        }
        E::InvalidCharNotSingleScalar { .. } => format!("{} must be a single character", it(&key)),
        E::DuplicateMappingKey { key: Some(k), .. } => {
            return (Some(k.clone()), format!("the key `{k}` appears twice"));
        }
        E::DuplicateMappingKey { key: None, .. } => {
            "a key appears twice in this set of `key: value` entries".to_string()
        }
        E::MultipleDocuments { .. } => {
            "the file holds more than one YAML document (a second `---` line); keep one".to_string()
        }
        E::TaggedEnumMismatch { tagged, .. } => tag_refused(&format!("!{tagged}")),
        E::UnsupportedTag { tag, .. } | E::TaggedStructFieldName { tag, .. } => tag_refused(tag),
        E::TaggedScalarCannotDeserializeIntoString { .. } => tag_refused("!..."),
        E::Eof { .. } if key.is_none() && value.is_none() => {
            "the file is empty, or ends in the middle of a value (an unclosed quote or bracket?)".to_string()
        }
        E::Eof { .. } => "the file ends in the middle of a value (an unclosed quote or bracket?)".to_string(),
        E::Budget { .. }
        | E::AliasReplayCounterOverflow { .. }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. } => {
            "the file repeats values through too many aliases (`*name`) or nests them too deeply; \
             write the values out instead"
                .to_string()
        }
        E::UnknownAnchor { .. } => "this alias (`*name`) refers to no anchor (`&name`) above it".to_string(),
        E::InvalidUtf8Input => "the file is not valid UTF-8 text".to_string(),
        E::NonFiniteFloat { value, .. } => format!("{} must be a number, not `{value}`", it(&key)),
        E::QuotingRequired { value, .. } => format!("{} must be in quotes: `\"{value}\"`", it(&key)),
        E::FoldedBlockScalarMustIndentContent { .. } | E::IndentationError { .. } => {
            "the lines of this text must be indented under its key".to_string()
        }
        E::ExternalMessage { msg, .. } => syntax(msg),
        // Our own checks (links, slugs) speak plainly already; anything else is said generally.
        E::Message { msg, .. } if !sounds_like_code(msg) => msg.clone(),
        _ => format!("{} could not be read here; check its indentation, quotes and brackets", it(&key)),
    };
    (key, message)
}

/// What a field holds, in the editor's words.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Count,
    Whole,
    Number,
    Boolean,
    Text,
    List,
    Entries,
    Other,
}

/// The kind named by a Rust type or by serde's description of one (`u32`, `a boolean`, ...).
fn kind_of(ty: &str) -> Kind {
    let t = ty.trim_start_matches("a ").trim_start_matches("an ");
    match t {
        _ if ["u8", "u16", "u32", "u64", "u128", "usize"].contains(&t) => Kind::Count,
        _ if ["i8", "i16", "i32", "i64", "i128", "isize", "integer"].contains(&t) => Kind::Whole,
        _ if t.starts_with('f') && (t.ends_with("32") || t.ends_with("64")) || t == "floating point" => Kind::Number,
        "boolean" | "bool" => Kind::Boolean,
        "string" | "str" | "char" | "character" => Kind::Text,
        _ if t.contains("sequence") || t.starts_with("seq") || t.contains("Vec") => Kind::List,
        _ if t.contains("map") || t.starts_with("struct") => Kind::Entries,
        _ => Kind::Other,
    }
}

/// `SUBJECT must be KIND, not VALUE`, or `SUBJECT is too large` for a count or year past the
/// type's range.
fn must_be(subject: &str, kind: Kind, value: Option<&str>) -> String {
    let digits = |v: &str| !v.is_empty() && v.trim_start_matches(['-', '+']).bytes().all(|b| b.is_ascii_digit());
    let too_large =
        value.is_some_and(|v| digits(v) && (kind == Kind::Whole || kind == Kind::Count && !v.starts_with('-')));
    if too_large {
        return format!("{subject} is too large");
    }
    let what = match kind {
        Kind::Count => "a whole number of 0 or more",
        Kind::Whole => "a whole number",
        Kind::Number => "a number",
        Kind::Boolean => "true or false",
        Kind::Text => "text",
        Kind::List => "a list (lines starting with `- `, or `[a, b]`)",
        Kind::Entries => "a set of `key: value` entries",
        Kind::Other => return format!("{subject} is not a value allowed here"),
    };
    match value.filter(|v| !v.is_empty()) {
        Some(v) => format!("{subject} must be {what}, not `{v}`"),
        None => format!("{subject} must be {what}"),
    }
}

fn tag_refused(tag: &str) -> String {
    format!("YAML tags such as `{tag}` are not used in content files; remove `{tag}`")
}

/// The YAML reader's syntax errors, in the editor's words.
fn syntax(msg: &str) -> String {
    let m = msg.to_ascii_lowercase();
    let says = |words: &[&str]| words.iter().any(|w| m.contains(w));
    if says(&["tab"]) {
        "a tab is used to indent or space out this line; YAML takes only spaces".to_string()
    } else if says(&["quoted", "escape", "surrogate"]) {
        "a quoted value is not written right: an unclosed quote, an unknown `\\` escape, or text after the \
         closing quote"
            .to_string()
    } else if says(&["flow mapping", "'}'"]) {
        "a `{` is not closed by `}`, or its entries are not separated by commas".to_string()
    } else if says(&["flow sequence", "']'"]) {
        "a `[` is not closed by `]`, or its items are not separated by commas".to_string()
    } else if says(&["eof", "end of"]) {
        "the file ends in the middle of a value (an unclosed quote or bracket?)".to_string()
    } else if says(&["tag", "handle"]) {
        tag_refused("!...")
    } else if says(&["anchor", "alias"]) {
        "this alias (`*name`) refers to no anchor (`&name`) above it".to_string()
    } else if says(&["comment"]) {
        "a `#` comment must have a space before it".to_string()
    } else if says(&["document"]) {
        "there is text after the end of the document (a `...` or `---` line)".to_string()
    } else if says(&["utf-8", "encoding", "bom"]) {
        "the file is not valid UTF-8 text".to_string()
    } else if says(&["recursion"]) {
        "the values are nested too deeply".to_string()
    } else {
        "the indentation of this line does not match the lines around it, or a `key:` is missing or \
         misplaced"
            .to_string()
    }
}

/// Whether a message from elsewhere carries words of the code rather than of the content.
fn sounds_like_code(msg: &str) -> bool {
    let m = msg.to_ascii_lowercase();
    [
        "variant", "struct", "enum", "sequence", "mapping", "scalar", "serde", "u32", "u64", "i32", "i64", "usize",
        "option<",
    ]
    .iter()
    .any(|w| m.contains(w))
}

/// The value written at `line`:`column`, as the editor typed it (quotes removed), for quoting
/// back in a message; `None` where nothing simple is written there.
fn value_at(text: &str, line: u64, column: u64) -> Option<String> {
    let l = text.lines().nth(line.checked_sub(1)? as usize)?;
    let start = l.char_indices().nth(column.saturating_sub(1) as usize).map(|(i, _)| i)?;
    let rest = l[start..].split(" #").next()?.trim();
    let rest = rest.split([',', '}', ']']).next()?.trim();
    let rest = rest.trim_matches(['"', '\'']);
    (!rest.is_empty() && !rest.starts_with(['{', '[', '&', '*', '!']) && rest.chars().count() <= 60)
        .then(|| rest.to_string())
}

/// Type errors do not name the field; the last key written before the error's column usually
/// does (in a flow mapping such as `{status: done}` that is the inner key, not the line's first).
/// A value that starts on its own line (a list under `years:`) belongs to the nearest less
/// indented line above that ends with `:`.
fn key_on_line(text: &str, line: u64, column: u64) -> Option<String> {
    let index = line.checked_sub(1)? as usize;
    let l = text.lines().nth(index)?;
    let end = l.char_indices().nth(column.saturating_sub(1) as usize).map(|(i, _)| i).unwrap_or(l.len());
    let before = &l[..end];
    let segment = before.rsplit(['{', ',']).find(|seg| seg.contains(':')).unwrap_or(before);
    let segment = segment.trim_start().trim_start_matches("- ");
    // An empty value is placed at the end of its `key:`, on the colon.
    let segment =
        if segment.contains(':') || !l[end..].starts_with(':') { segment.to_string() } else { format!("{segment}:") };
    if let Some((key, _)) = segment.split_once(':') {
        let key = key.trim().trim_matches('"');
        return (!key.is_empty() && !key.contains(' ')).then(|| key.to_string());
    }
    if !before.trim().is_empty() && before.trim() != "-" {
        return None;
    }
    let indent = l.len() - l.trim_start().len();
    let above = text.lines().take(index).collect::<Vec<_>>();
    let parent = above.iter().rev().find(|p| {
        let p_indent = p.len() - p.trim_start().len();
        !p.trim().is_empty() && !p.trim_start().starts_with('#') && p_indent <= indent
    })?;
    let key = parent.trim().trim_start_matches("- ").strip_suffix(':')?.trim().trim_matches('"');
    (!key.is_empty() && !key.contains(' ')).then(|| key.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        name: String,
        count: u32,
    }

    #[test]
    fn unknown_field_names_field_and_line() {
        let err = parse::<Doc>(Path::new("a.yaml"), "name: x\ncount: 1\ncuont: 2\n", 0).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("cuont"));
        assert_eq!(err.line, Some(3));
    }

    #[test]
    fn wrong_type_has_line_and_offset() {
        let err = parse::<Doc>(Path::new("a.md"), "name: x\ncount: many\n", 1).unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        assert_eq!(err.field.as_deref(), Some("count"));
    }

    #[test]
    fn type_error_in_flow_mapping_names_inner_key() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Outer {
            x: std::collections::BTreeMap<String, Doc>,
        }
        let err = parse::<Outer>(Path::new("a.yaml"), "x:\n  a.b: {name: y, count: lots}\n", 0).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("count"), "{err}");
    }

    #[test]
    fn messages_name_the_field_and_quote_the_value() {
        let err = parse::<Doc>(Path::new("a.yaml"), "name:\ncount: 1\n", 0).unwrap_err();
        assert_eq!(
            (err.field.as_deref(), err.message.as_str()),
            (Some("name"), "`name` is empty; write a value after the colon")
        );
        let err = parse::<Doc>(Path::new("a.yaml"), "name: x\ncount: 2.5 # half\n", 0).unwrap_err();
        assert_eq!(err.message, "`count` must be a whole number of 0 or more, not `2.5`");
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Names {
            names: Vec<String>,
        }
        // A list that starts on the line below its key is that key's.
        let err = parse::<Names>(Path::new("a.yaml"), "names:\n  - [a]\n", 0).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("names"), "{err}");
        assert_eq!(err.line, Some(2));
    }

    #[test]
    fn negative_count_is_refused() {
        let err = parse::<Doc>(Path::new("a.yaml"), "name: x\ncount: -4\n", 0).unwrap_err();
        assert_eq!(err.line, Some(2), "{err}");
    }

    #[test]
    fn alias_bomb_is_refused_quickly() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let prev = if i == 0 { "a".to_string() } else { format!("l{}", i - 1) };
            bomb.push_str(&format!(
                "l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        let started = std::time::Instant::now();
        let r = parse::<serde_json::Value>(Path::new("bomb.yaml"), &bomb, 0);
        assert!(r.is_err());
        assert!(started.elapsed().as_secs() < 5);
    }
}
