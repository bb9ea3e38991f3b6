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
    let message = e.without_snippet().to_string();
    // The rendered message repeats the position; keep the part a person needs.
    let message = strip_position(&message);
    let mut field = field_from_message(&message);
    let mut d = Diagnostic::new(file, message);
    if let Some(loc) = e.location() {
        d = d.at_location(&loc, line_offset);
        if field.is_none() {
            field = key_on_line(text, loc.line(), loc.column());
        }
    }
    if let Some(f) = field {
        d = d.field(f);
    }
    d
}

fn strip_position(message: &str) -> String {
    let first = message.lines().next().unwrap_or(message).trim();
    match first.rfind(" at line ") {
        Some(i) => first[..i].to_string(),
        None => first.to_string(),
    }
}

/// Type errors do not name the field; the last key written before the error's column usually
/// does (in a flow mapping such as `{status: done}` that is the inner key, not the line's first).
fn key_on_line(text: &str, line: u64, column: u64) -> Option<String> {
    let l = text.lines().nth(line.checked_sub(1)? as usize)?;
    let end = l.char_indices().nth(column.saturating_sub(1) as usize).map(|(i, _)| i).unwrap_or(l.len());
    let before = &l[..end];
    let segment = before.rsplit(['{', ',']).find(|seg| seg.contains(':')).unwrap_or(before);
    let segment = segment.trim_start().trim_start_matches("- ");
    let (key, _) = segment.split_once(':')?;
    let key = key.trim().trim_matches('"');
    (!key.is_empty() && !key.contains(' ')).then(|| key.to_string())
}

/// serde names the field in backticks for unknown and missing fields; lift it out so the
/// report can show it in its own slot.
fn field_from_message(message: &str) -> Option<String> {
    for marker in ["unknown field `", "missing field `"] {
        if let Some(start) = message.find(marker) {
            let rest = &message[start + marker.len()..];
            return rest.find('`').map(|end| rest[..end].to_string());
        }
    }
    None
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
