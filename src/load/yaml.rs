//! YAML → typed values with serde-saphyr, errors turned into diagnostics with line and column.

use super::recover;
use crate::error::Diagnostic;
use serde::de::DeserializeOwned;
use std::path::Path;

/// Content files are small; anything past this is refused before parsing.
pub const MAX_YAML_BYTES: usize = 4 * 1024 * 1024;

pub(crate) fn options() -> serde_saphyr::Options {
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

const SECOND_DOCUMENT: &str = "the file holds more than one YAML document: a second one starts at this line \
     (`---` or `...`); keep one, or remove the line if the text after it belongs to the first";

/// The most problems one file reports: past this, the file is too broken to be worth reading on.
pub const MAX_PROBLEMS_PER_FILE: usize = 50;

/// Reading on past a problem reads the file again; past this many bytes read in all, a large
/// file full of mistakes is not read again (each read of a 4 MB file takes a while).
const MAX_BYTES_REREAD: usize = 64 * 1024 * 1024;

/// Everything one read of a file found: the value (when the file, less its entries at fault,
/// could be read) and every problem, in the order they appear.
#[derive(Debug)]
pub struct Parsed<T> {
    pub value: Option<T>,
    pub problems: Vec<Diagnostic>,
    /// Paths (`years[0].year`, `levy_payer`) of the entries left out to read on: checks of the
    /// value must not report what their absence causes.
    pub left_out: Vec<String>,
}

impl<T> Parsed<T> {
    /// Whether `field`, or an entry under it, was left out of the value because it could not be
    /// read (its default stands in for it).
    pub fn left_out(&self, field: &str) -> bool {
        self.left_out
            .iter()
            .any(|p| p.strip_prefix(field).is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '['])))
    }

    /// The value, or every problem when there was one.
    pub fn into_result(self) -> Result<T, Vec<Diagnostic>> {
        match self.value {
            Some(v) if self.problems.is_empty() => Ok(v),
            _ => Err(self.problems),
        }
    }
}

/// Parse `text` from `file`; `line_offset` is the number of lines before the YAML starts. The
/// first problem is returned (see [`parse_all`] for every problem).
pub fn parse<T: DeserializeOwned>(file: &Path, text: &str, line_offset: u64) -> Result<T, Diagnostic> {
    let parsed = parse_all(file, text, line_offset);
    match (parsed.value, parsed.problems.into_iter().next()) {
        (_, Some(first)) => Err(first),
        (Some(v), None) => Ok(v),
        (None, None) => Err(Diagnostic::new(file, "the file could not be read").at(1, 1)),
    }
}

/// Parse `text` from `file` and report every problem of it, not only the first: after a value
/// of the wrong kind, an unknown key or a key written twice, the entry at fault is blanked out
/// (every other line stays where it is) and the file is read again, until it reads, a mistake of
/// YAML syntax stops the reading, or [`MAX_PROBLEMS_PER_FILE`] problems are found. A required key
/// missing only because its entry was blanked out is not reported again.
pub fn parse_all<T: DeserializeOwned>(file: &Path, text: &str, line_offset: u64) -> Parsed<T> {
    let mut parsed = read_on::<T>(file, text, line_offset);
    // A bracket left open is closed for the reads that follow; what the closed value then is (a
    // list where one value belongs) is the same mistake, already told where the bracket opens.
    let left_open = |d: &Diagnostic| d.message.contains(UNCLOSED) || d.message.contains(TAKES_THE_CLOSING);
    let opened: Vec<(Option<u64>, Option<u64>)> =
        parsed.problems.iter().filter(|d| left_open(d)).map(|d| (d.line, d.column)).collect();
    if !opened.is_empty() {
        parsed.problems.retain(|d| left_open(d) || !opened.contains(&(d.line, d.column)));
    }
    // `nmae:` is told as not a field, with `name` as the one meant: that `name` is then missing is
    // the same mistake, and following its advice would write the field twice.
    let meant: Vec<String> = parsed
        .problems
        .iter()
        .filter(|d| d.message.contains("is not a field here; did you mean `"))
        .filter_map(|d| d.message.split("did you mean `").nth(1)?.split('`').next().map(str::to_string))
        .collect();
    parsed.problems.retain(|d| {
        !(d.message.contains("` is missing")
            && d.field
                .as_ref()
                .is_some_and(|f| meant.contains(f) && d.message.starts_with(&format!("`{f}` is missing"))))
    });
    // What YAML reads otherwise than written, without a word from the parser: a tag, or a
    // comment cutting a text short. Told unless the parser already told something on that line.
    let mut told = false;
    for Misread { line, column, key, message, in_place_of } in silently_changed(text) {
        let line = line + line_offset;
        // What the parser said of what the mistake made of the value gives way.
        if let Some(n) = in_place_of {
            parsed.problems.retain(|d| !d.line.is_some_and(|l| (line..=line + n).contains(&l)));
        }
        if !parsed.problems.iter().any(|d| d.line == Some(line)) {
            let mut d = Diagnostic::new(file, message).at(line, column);
            if let Some(key) = key {
                d = d.field(key);
            }
            parsed.problems.push(d);
            told = true;
        }
    }
    if told {
        parsed.problems.sort_by_key(|d| (d.line, d.column));
    }
    parsed
}

/// A Markdown list in a folded block (`key: >` at line `at`, 0-based, indented `indent`): YAML
/// joins the block's lines at its own indent with spaces, so `- a` / `- b` become one line,
/// `- a - b`, published as one item. Told at the second item, with the fix (`|` keeps lines).
fn folded_list(text: &str, at: usize, indent: usize, key: Option<&str>, found: &mut Vec<Misread>) {
    let mut block_indent = None;
    let mut previous_item = false;
    let mut previous_blank = true;
    for (j, line) in text.lines().enumerate().skip(at + 1) {
        let body = line.trim_start();
        let here = line.len() - body.len();
        if body.is_empty() {
            (previous_item, previous_blank) = (false, true);
            continue;
        }
        if here <= indent {
            break;
        }
        let block = *block_indent.get_or_insert(here);
        let item = here == block && (body.starts_with("- ") || body.starts_with("* ") || body.starts_with("+ "));
        if item && previous_item && !previous_blank {
            let k = key.unwrap_or("value");
            found.push(Misread::new(
                j as u64 + 1,
                here as u64 + 1,
                key.map(str::to_string),
                format!(
                    "this list is in a folded block (`{k}: >`), which YAML joins into one line, so its items would be \
                     published as one; write `{k}: |`, which keeps its lines"
                ),
            ));
            return;
        }
        (previous_item, previous_blank) = (item || (previous_item && here > block), false);
    }
}

/// For each line, whether it is inside a block text (the lines under `key: |` or `key: >`,
/// indented further than the key, blank lines among them).
fn in_blocks(lines: &[&str]) -> Vec<bool> {
    let mut inside = vec![false; lines.len()];
    let mut block: Option<usize> = None;
    for (i, line) in lines.iter().enumerate() {
        let body = line.trim_start();
        let indent = line.len() - body.len();
        if let Some(at) = block {
            if body.is_empty() || indent > at {
                inside[i] = true;
                continue;
            }
            block = None;
        }
        let value = body.trim_start_matches("- ").split_once(": ").map(|(_, v)| v.trim());
        if value.is_some_and(|v| v.starts_with(['|', '>']) && !v.contains(['"', '\''])) {
            block = Some(indent);
        }
    }
    inside
}

/// The first escape (`\n`, `\t`) inside a word of a double-quoted value written on one line
/// (`text` after its opening quote) that stands for something other than the characters
/// written: any but `\"` and `\\`. A Windows path in double quotes (`"C:\new\training"`) is
/// read so.
fn read_as_escape(text: &str) -> Option<String> {
    let closing = text.rfind('"')?;
    let inner = &text[..closing];
    let at = inner.match_indices('\\').map(|(at, _)| at).find(|&at| {
        // Escapes are read left to right: `\\` is one backslash, its second `\` no escape.
        let run = inner[..at].chars().rev().take_while(|&c| c == '\\').count();
        // One inside a word or path (`C:\new`, `a\b`); one at the start or after a space is
        // written as an escape on purpose (`"\t=1+1"`).
        let in_a_word = inner[..at].trim_end_matches('\\').ends_with(|c: char| !c.is_whitespace());
        run % 2 == 0 && in_a_word && !inner[at + 1..].starts_with(['"', '\\']) && !code_point(&inner[at + 1..])
    })?;
    inner[at..].chars().take(2).collect::<String>().into()
}

/// Whether an escape's text (after its `\\`) is a character written by its number, as written on
/// purpose: `u00e9`, `x41`, `U0001F393` (`"Caf\\u00e9"`). `\\Users` is not (`U` needs 8 digits).
fn code_point(after: &str) -> bool {
    let digits = match after.chars().next() {
        Some('x') => 2,
        Some('u') => 4,
        Some('U') => 8,
        _ => return false,
    };
    let hex: Vec<char> = after.chars().skip(1).take(digits).collect();
    hex.len() == digits && hex.iter().all(char::is_ascii_hexdigit)
}

/// What an escape stands for, in words.
fn escape_name(escape: &str) -> &'static str {
    match escape {
        "\\n" => "a line break",
        "\\t" => "a tab",
        "\\r" => "a carriage return",
        "\\b" => "a backspace",
        "\\a" => "a bell",
        _ => "another character",
    }
}

/// Where a ` #` that reads as part of the text (`#2`, `#proud`) cuts `line`: a `#` with one
/// space or tab before it (after a word) and no space after it. A comment written as a
/// note (`author: Editorial team   # optional`, a `#` with a space after it, or after a run of
/// spaces) is a comment, as the README's own examples write them.
fn cut_by_hashtag(line: &str) -> Option<usize> {
    line.match_indices('#').find_map(|(at, _)| {
        let before = &line[..at];
        let one_space = before.ends_with([' ', '\t']) && !before[..before.len() - 1].ends_with([' ', '\t']);
        (one_space && !before.trim().is_empty()).then(|| hashtag(line, at)).flatten()
    })
}

/// `Some(at)` when the `#` at `at` is followed by something other than a space (`#2`,
/// `#WeAreApprentices`, `#🎓`, `##1`): a note is written `# like this`.
fn hashtag(line: &str, at: usize) -> Option<usize> {
    line[at + 1..].starts_with(|c: char| !c.is_whitespace()).then_some(at)
}

/// List items indented further than the item above them (`  - Engineering` then
/// `    - Retail`): YAML joins the two into one item, "Engineering - Retail", without a word.
/// Told at the line indented too far.
fn glued_items(text: &str, found: &mut Vec<Misread>) {
    if !text.contains("- ") {
        return;
    }
    let lines: Vec<&str> = text.lines().collect();
    let blocks = in_blocks(&lines);
    for (i, pair) in lines.windows(2).enumerate() {
        // Inside a block text (`commitment: |`) a nested list is Markdown: YAML joins nothing.
        if blocks[i] || blocks[i + 1] {
            continue;
        }
        let (above, below) = (pair[0], pair[1]);
        let (a, b) = (above.trim_start(), below.trim_start());
        let (a_indent, b_indent) = (above.len() - a.len(), below.len() - b.len());
        let Some(item) = a.strip_prefix("- ").map(str::trim) else { continue };
        // A plain text item: not quoted, not a group, not `key: value`.
        let plain = !item.is_empty()
            && !item.starts_with(['"', '\'', '[', '{', '|', '>', '#', '&', '*', '!', '-'])
            && !item.contains(": ")
            && !item.ends_with(':');
        if plain && b_indent > a_indent && b.starts_with("- ") {
            let joined = format!("{} {}", item.split(" #").next().unwrap_or(item).trim(), b.trim());
            found.push(Misread::new(
                i as u64 + 2,
                b_indent as u64 + 1,
                None,
                format!(
                    "this line is indented further than the item above it, so YAML joins the two into one item \
                     (`{joined}`); start its `-` in the same column as the one above"
                ),
            ));
        }
    }
}

/// Characters that hide in a value: a zero-width space, a byte-order mark inside the text, and
/// the marks that turn the direction of the text after them (U+202E shows the rest of a title
/// reversed). A joiner (U+200D, inside emoji) and a soft hyphen are ordinary typography.
fn hidden_characters(text: &str, found: &mut Vec<Misread>) {
    let hides = |c: char| matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    // Each starts with byte E2 or EF in UTF-8: most files have neither, and are passed at once.
    if !text.bytes().any(|b| b == 0xE2 || b == 0xEF) || !text.chars().any(hides) {
        return;
    }
    for (i, line) in text.lines().enumerate() {
        let Some((at, c)) = line.char_indices().find(|&(_, c)| hides(c)) else { continue };
        let key = line.trim_start().trim_start_matches("- ").split_once(':').map(|(k, _)| k.trim().to_string());
        // Free text only: a value checked against a list or a form (a date, a region) names the
        // character in its own message.
        let free_text = key.as_deref().is_some_and(|k| TEXT_SETTINGS.contains(&k)) || line[..at].contains("note:");
        if !free_text {
            continue;
        }
        let (what, why) = match c {
            '\u{200B}' => ("a zero-width space", "which cannot be seen"),
            '\u{FEFF}' => ("a byte-order mark", "which cannot be seen"),
            _ => ("a direction mark", "which shows the text after it reversed"),
        };
        found.push(Misread::new(
            i as u64 + 1,
            line[..at].chars().count() as u64 + 1,
            key.filter(|k| !k.is_empty() && !k.contains(' ')),
            format!("this line holds {what} (U+{:04X}), {why}, pasted with the text; remove it", c as u32),
        ));
    }
}

/// Top-level settings that hold text to show: a ` #` in them, unquoted, is a YAML comment that
/// cuts the text short (`title: Apprentice of the year #2` is read as "Apprentice of the year").
const TEXT_SETTINGS: &[&str] =
    &["title", "summary", "quote", "author", "image_alt", "description", "name", "commitment"];

/// A value YAML reads otherwise than written (see [`silently_changed`]), told at its 1-based
/// line and column.
#[derive(Debug)]
struct Misread {
    line: u64,
    column: u64,
    key: Option<String>,
    message: String,
    /// Told in place of the parser's own words at its line and this many lines after it ("`summary`
    /// is empty" of a value that is a comment alone; "a comment must have a space before it" of a
    /// value a ` #` cut short); `None`: told only where the parser said nothing.
    in_place_of: Option<u64>,
}

impl Misread {
    fn new(line: u64, column: u64, key: Option<String>, message: String) -> Self {
        Misread { line, column, key, message, in_place_of: None }
    }

    fn in_place_of(self, lines_after: u64) -> Self {
        Misread { in_place_of: Some(lines_after), ..self }
    }
}

/// Values that YAML reads otherwise than written and accepts without a word: one that starts
/// with `!` (`title: !Important news`) is a type tag, left out of the value; a text setting
/// (see [`TEXT_SETTINGS`]) with ` #` in it loses everything from there on as a comment. Each
/// as (1-based line, column, setting, message). Block texts (`|`, `>`) are skipped.
fn silently_changed(text: &str) -> Vec<Misread> {
    let mut found = Vec::new();
    hidden_characters(text, &mut found);
    if !text.contains(['!', '#', '&', '>', '\\']) && !text.contains("ull") && !text.contains("ULL") {
        glued_items(text, &mut found);
        return found;
    }
    glued_items(text, &mut found);
    // The indent of the setting whose block text (`|`, `>`) the lines below belong to.
    let mut block: Option<usize> = None;
    for (i, line) in text.lines().enumerate() {
        let body = line.trim_start();
        let indent = line.len() - body.len();
        if let Some(at) = block {
            if body.is_empty() || indent > at {
                continue;
            }
            block = None;
        }
        if body.starts_with('#') {
            continue;
        }
        let mut rest = body;
        let mut item = false;
        while let Some(r) = rest.strip_prefix("- ").or_else(|| rest.strip_prefix("-\t")) {
            (rest, item) = (r.trim_start(), true);
        }
        // `key: value`; a key in quotes, or a quoted item, is left alone.
        let (key, value) =
            match rest.find(": ").or_else(|| rest.find(":\t")).or_else(|| rest.strip_suffix(':').map(str::len)) {
                Some(at) if !rest.starts_with(['"', '\'', '{', '[']) => {
                    (Some(&rest[..at]), rest[at + 1..].trim_start())
                }
                _ if item => (None, rest),
                _ => continue,
            };
        if value.starts_with(['|', '>']) {
            // `commitment: >` holding a list: folding joins its items into one line.
            if value.starts_with('>') {
                folded_list(text, i, indent, key, &mut found);
            }
            block = Some(indent);
            continue;
        }
        let column = |part: &str| line[..line.len() - part.len()].chars().count() as u64 + 1;
        let shown = value.trim_end();
        if let Some(tag) = value.strip_prefix('!').map(|t| t.split_whitespace().next().unwrap_or_default()) {
            let quoted = format!("\"{}\"", shown.replace('"', "\\\""));
            let (what, fix) = match key {
                Some(k) => (format!("`{k}`"), format!("`{k}: {quoted}`")),
                None => ("the item".to_string(), format!("`- {quoted}`")),
            };
            found.push(Misread::new(
                i as u64 + 1,
                column(value),
                key.map(str::to_string),
                format!(
                    "{what} starts with `!{tag}`, which YAML reads as a type tag and leaves out of the value; put the \
                     value in quotes: {fix}"
                ),
            ));
            continue;
        }
        // A text setting at the top (`title`, `commitment`), or a practice's `note` anywhere.
        let text_setting = |k: &&str| (indent == 0 && !item && TEXT_SETTINGS.contains(k)) || *k == "note";
        let Some(k) = key.filter(text_setting) else { continue };
        // `title: &a levy` names the value `a` and keeps only "levy".
        if let Some(anchor) = value.strip_prefix('&').map(|a| a.split_whitespace().next().unwrap_or_default()) {
            let why = format!(
                "the {k} starts with `&{anchor}`, which YAML reads as a name for the value and leaves out of it"
            );
            found.push(Misread::new(i as u64 + 1, column(value), Some(k.to_string()), quote_it(k, shown, &why)));
            continue;
        }
        // `summary: #WeAreApprentices` is a comment alone: the summary is empty. Told in place of
        // "empty" (see `parse_all`).
        // `author: Null`: YAML's word for nothing, so the author is left out.
        if matches!(shown, "null" | "Null" | "NULL") {
            let why = format!("YAML reads `{shown}` as nothing, so the {k} would be empty");
            let told = quote_it(k, shown, &why);
            found.push(Misread::new(i as u64 + 1, column(value), Some(k.to_string()), told).in_place_of(0));
            continue;
        }
        // `title: "Files in C:\new"`: in double quotes `\n` is a line break and `\t` a tab.
        if let Some(escape) = value.strip_prefix('"').and_then(read_as_escape) {
            let inner = &value[1..value.rfind('"').filter(|&e| e > 0).unwrap_or(value.len())];
            let single = inner.replace('\'', "''");
            found.push(Misread::new(
                i as u64 + 1,
                column(value),
                Some(k.to_string()),
                // In place of the parser's "unknown escape", where it has one (`\U`).
                format!(
                    "in double quotes YAML reads `{escape}` as {}, so the {k} would not show what is written; write \
                     it in single quotes, which keep every `\\`: `{k}: '{single}'`",
                    escape_name(&escape)
                ),
            )
            .in_place_of(0));
            continue;
        }
        if value.starts_with('#') && hashtag(value, 0).is_some() {
            let why = format!("`{shown}` is read by YAML as a comment (a `#` starts one), so the {k} is empty");
            found.push(
                Misread::new(i as u64 + 1, column(value), Some(k.to_string()), quote_it(k, shown, &why)).in_place_of(0),
            );
            continue;
        }
        if value.starts_with(['"', '\'', '[', '{', '*']) {
            continue;
        }
        // The value's lines: this one and those below indented further (a plain value may
        // run over several lines, each of which a ` #` cuts short).
        let mut lines_of_value = vec![(i, value)];
        for (j, below) in text.lines().enumerate().skip(i + 1) {
            let b = below.trim_start();
            if b.is_empty() {
                continue;
            }
            if below.len() - b.len() <= indent {
                break;
            }
            lines_of_value.push((j, b));
        }
        // A value that also holds `: ` is told that first (it cannot be read at all), and its
        // ` #` may well be a note: quoting the value as that message says keeps it one.
        if lines_of_value.iter().any(|(_, l)| l.split(" #").next().unwrap_or(l).contains(": ")) {
            continue;
        }
        let whole: Vec<&str> = lines_of_value.iter().map(|(_, l)| l.trim()).collect();
        let whole = whole.join(" ").replace('"', "\\\"");
        let cut_at = |l: &str| if l.starts_with('#') { hashtag(l, 0) } else { cut_by_hashtag(l) };
        if let Some(&(j, part, at)) =
            lines_of_value.iter().filter_map(|&(j, l)| cut_at(l).map(|a| (j, l, a))).collect::<Vec<_>>().first()
        {
            let cut = part[at..].trim();
            let place = text.lines().nth(j).map_or(1, |l| l[..l.len() - part.len() + at].chars().count() as u64 + 1);
            // The parser, reading on past the comment, may refuse the value's lines after it.
            let after = lines_of_value.last().map_or(0, |(last, _)| last - j);
            found.push(Misread::new(
                j as u64 + 1,
                place,
                Some(k.to_string()),
                format!(
                    "`{cut}` is read by YAML as a comment and left out of the {k} (a ` #` starts one); if it belongs \
                     to the {k}, put the {k} in quotes: `{k}: \"{whole}\"`; if it is a note, put it on a line of its \
                     own"
                ),
            )
            .in_place_of(after as u64));
        }
    }
    found
}

const UNCLOSED: &str = "that opens here is not closed";
/// Said of a bracket a comment left open (see [`UNCLOSED`]).
const TAKES_THE_CLOSING: &str = "which takes the closing";

fn read_on<T: DeserializeOwned>(file: &Path, text: &str, line_offset: u64) -> Parsed<T> {
    use serde_saphyr::Error as E;
    let mut out = Parsed { value: None, problems: Vec::new(), left_out: Vec::new() };
    if text.len() > MAX_YAML_BYTES {
        out.problems.push(Diagnostic::new(
            file,
            format!("file is {} bytes; content files may be at most {MAX_YAML_BYTES} bytes", text.len()),
        ));
        return out;
    }
    // Most files read at once: nothing is prepared for reading on until one does not.
    if let Ok(v) = serde_saphyr::from_str_with_options(text, options()) {
        out.value = Some(v);
        return out;
    }
    let mut lines = recover::Lines::new(text);
    // A second document is reported at its `---` and left out: the parser would first report
    // the keys the first document lacks (they are in the second), which only mislead.
    let second_document = recover::second_document(text);
    if let Some(line) = second_document {
        out.problems.push(Diagnostic::new(file, SECOND_DOCUMENT).at(line + line_offset, 1));
        lines.blank_from(line);
    }
    // A `{` or `[` left open makes the parser read on into the lines after it, and report a
    // mistake there, or a value of the wrong kind: it is told where it opens, then closed for the
    // reads that follow.
    for u in recover::unclosed_flow(&lines.text()) {
        let close = u.closers.chars().last().unwrap_or('}');
        // `{status: partial, note: Form explains why #transparency}`: the ` #` starts a comment
        // that takes the closing `}` with it.
        let opened_on = text.lines().nth(usize::try_from(u.line).unwrap_or(1).saturating_sub(1)).unwrap_or_default();
        let after = opened_on.chars().skip(usize::try_from(u.column).unwrap_or(0)).collect::<String>();
        let message = if let Some(at) = after.find(" #").filter(|_| after.trim_end().ends_with(close)) {
            let cut = after[at + 1..].trim_end();
            let entry = after[..at].rsplit([',', '{']).next().unwrap_or_default();
            let (key, start) = entry.split_once(':').map_or(("note", entry), |(k, v)| (k.trim(), v.trim()));
            format!(
                "`{cut}` is read by YAML as a comment (a ` #` starts one), {TAKES_THE_CLOSING} `{close}` with it; put \
                 the value holding the `#` in quotes: `{key}: \"{start} {}\"`",
                cut.trim_end_matches(close)
            )
        } else {
            format!(
                "the `{}` {UNCLOSED}: end the value with `{close}` (on this line, or on a line indented further)",
                u.bracket
            )
        };
        let mut d = Diagnostic::new(file, message).at(u.line + line_offset, u.column);
        if let Some(key) = key_on_line(&lines.text(), u.line, u.column) {
            d = d.field(key);
        }
        out.problems.push(d);
        lines.insert(u.end_line, u.end_column, &u.closers);
    }
    let mut stand_ins = StandIns::new(text);
    let mut removed: Vec<recover::Removed> = Vec::new();
    let mut bytes_read = 0;
    loop {
        let work = stand_ins.after(&lines.text());
        bytes_read += work.len();
        let (e, path) = match attempt::<T>(&work) {
            Ok(v) => {
                out.value = Some(v);
                return out;
            }
            Err(failed) => *failed,
        };
        let inner = innermost(&e);
        let loc = e.location().filter(|l| l.line() > 0);
        // A stand-in of the wrong kind: try the next kind of value (nothing to report).
        let under_stand_in = matches!(path.first(), Some(recover::Seg::Key(k)) if stand_ins.holds(k));
        let in_stand_in = match inner {
            // The parser may place a key the file lacks at the last line it read, a stand-in's.
            E::SerdeMissingField { .. } => under_stand_in,
            _ => under_stand_in || stand_ins.any() && loc.is_some_and(|l| l.line() >= stand_ins.first_line),
        };
        if in_stand_in {
            if stand_ins.next_kind(inner) && bytes_read <= MAX_BYTES_REREAD {
                continue;
            }
            return out;
        }
        let step = match inner {
            E::SerdeMissingField { field, .. } => {
                let tree = recover::tree(&work);
                let place = tree.as_ref().and_then(|t| recover::locate(t, &path));
                let ours = second_document.is_some()
                    || removed
                        .iter()
                        .any(|r| r.key.as_deref() == Some(*field) && place.as_ref().is_none_or(|p| holds(p, r, &work)));
                if !ours {
                    out.problems.push(missing(file, field, &path, place.as_ref(), line_offset));
                }
                if !path.is_empty() {
                    out.left_out.push(path_text(&path));
                }
                match place {
                    // Read on after the mapping that lacks it.
                    Some(p) if !path.is_empty() => {
                        let target = if p.key.is_some() { recover::Target::Entry } else { recover::Target::Value };
                        lines.remove(p.line, p.column, target).map(Some)
                    }
                    // The file's own key: a stand-in lets the read go on to the next missing one.
                    _ if path.is_empty() && stand_ins.add(field) => {
                        out.left_out.push(field.to_string());
                        Some(None)
                    }
                    _ => None,
                }
            }
            E::SerdeUnknownField { .. } | E::DuplicateMappingKey { .. } => {
                out.problems.push(to_diagnostic(file, &work, &e, line_offset));
                out.left_out.push(path_text(&path));
                loc.and_then(|l| lines.remove(l.line(), l.column(), recover::Target::Entry)).map(Some)
            }
            _ if value_problem(inner) => {
                out.problems.push(to_diagnostic(file, &work, &e, line_offset));
                out.left_out.push(path_text(&path));
                loc.and_then(|l| lines.remove(l.line(), l.column(), recover::Target::Value)).map(Some)
            }
            // A line indented wrongly: the `key: value` entry it holds is left out and the read
            // goes on, so that the mistakes after it are reported too.
            E::ExternalMessage { msg, .. }
                if is_indentation(msg)
                    && let Some((key, column, value)) =
                        loc.and_then(|l| recover::colon_in_plain_value(&work, l.line())) =>
            {
                let line = loc.map_or(1, |l| l.line());
                let quoted = if value.contains('"') {
                    format!("'{}'", value.replace('\'', "''"))
                } else {
                    format!("\"{value}\"")
                };
                let message = format!(
                    "the value of `{key}` holds `: `, which YAML reads as the start of another `key: value`; put \
                     the value in quotes: `{key}: {quoted}`"
                );
                out.problems.push(Diagnostic::new(file, message).at(line + line_offset, column).field(key));
                out.left_out.push(format!("line {line}"));
                let at = recover::entry_at_line_start(&work, line);
                at.and_then(|c| lines.remove(line, c, recover::Target::Entry)).map(Some)
            }
            E::ExternalMessage { msg, .. } if is_indentation(msg) => {
                let too_deep = loc.and_then(|l| recover::first_entry_too_deep(&work, l.line()));
                let at_line = match &too_deep {
                    Some((line, sibling)) => {
                        let column = recover::entry_at_line_start(&work, *line).unwrap_or(1);
                        let message = format!(
                            "this line is indented further than `{sibling}` below it; the entries of one set of \
                             `key: value` lines must start in the same column"
                        );
                        let d = Diagnostic::new(file, message).at(line + line_offset, column);
                        let own_key = work.lines().nth(*line as usize - 1).and_then(|l| l.split_once(':'));
                        let d = match own_key {
                            Some((k, _)) => d.field(k.trim().trim_start_matches("- ").trim_matches(['"', '\''])),
                            None => d,
                        };
                        out.problems.push(d);
                        Some(*line)
                    }
                    None => {
                        out.problems.push(to_diagnostic(file, &work, &e, line_offset));
                        loc.map(|l| l.line())
                    }
                };
                let at = at_line.and_then(|line| Some((line, recover::entry_at_line_start(&work, line)?)));
                if let Some((line, _)) = at {
                    out.left_out.push(format!("line {line}"));
                }
                at.and_then(|(line, column)| lines.remove_dedented(line, column)).map(Some)
            }
            // A tab: reported, then read again with a space in its place (a line indented with
            // one is left out, as a line indented wrongly is), so that it hides nothing after it.
            E::ExternalMessage { msg, .. } if syntax(msg).starts_with("a tab") => {
                out.problems.push(to_diagnostic(file, &work, &e, line_offset));
                let at = loc.and_then(|l| recover::tab_near(&work, l.line(), 1));
                match at.and_then(|(line, column)| Some((line, lines.untab(line, column)?))) {
                    Some((line, true)) => {
                        let work = lines.text();
                        let column = recover::entry_at_line_start(&work, line);
                        out.left_out.push(format!("line {line}"));
                        Some(column.and_then(|c| lines.remove(line, c, recover::Target::Entry)))
                    }
                    Some((_, false)) => Some(None),
                    None => None,
                }
            }
            // A value that starts with a character YAML keeps for itself (`title: *New* scheme`,
            // `` summary: `code` ``): told, then its entry is left out and the read goes on, so
            // that it hides nothing after it.
            E::ExternalMessage { .. } | E::UnknownAnchor { .. }
                if let Some(line) = loc.map(|l| l.line())
                    && reserved_start(&work, line) =>
            {
                out.problems.push(to_diagnostic(file, &work, &e, line_offset));
                let column = recover::entry_at_line_start(&work, line);
                out.left_out.push(format!("line {line}"));
                column.and_then(|c| lines.remove(line, c, recover::Target::Entry)).map(Some)
            }
            _ => {
                out.problems.push(to_diagnostic(file, &work, &e, line_offset));
                None
            }
        };
        let Some(r) = step else { return out };
        removed.extend(r);
        removed.extend(lines.take_emptied());
        if out.problems.len() >= MAX_PROBLEMS_PER_FILE || bytes_read > MAX_BYTES_REREAD {
            if let Some(last) = out.problems.last().cloned() {
                out.problems.push(Diagnostic {
                    field: None,
                    message: format!(
                        "stopped reading this file after {} problems; fix these and check again",
                        out.problems.len()
                    ),
                    ..last
                });
            }
            return out;
        }
    }
}

/// Whether line `line` (1-based) of `text` is a one-line `key: value` whose value starts with a
/// character YAML reserves (`*` an alias, `` ` ``, `@`, `%`).
fn reserved_start(text: &str, line: u64) -> bool {
    let Some(l) = text.lines().nth(usize::try_from(line).unwrap_or(usize::MAX).wrapping_sub(1)) else { return false };
    let l = l.trim_start().trim_start_matches("- ");
    l.split_once(": ").is_some_and(|(key, value)| {
        !key.contains(['"', '\'', '{', '[', '#']) && value.trim_start().starts_with(['*', '`', '@', '%'])
    })
}

/// Keys the file lacks, given a stand-in value after its last line so the read goes on to
/// report the next key it lacks (serde names one missing key at a time). A stand-in is tried
/// as each kind of value in turn until one reads; its checks are then left out like those of a
/// blanked-out entry.
struct StandIns {
    /// The first line after the file's own lines, where the stand-ins go.
    first_line: u64,
    /// Whether the file is a block mapping (lines of `key: value`), which lines can be added
    /// to; the empty mapping `{}` counts (it is blanked when a stand-in is added).
    addable: bool,
    empty_braces: bool,
    keys: Vec<(String, usize, Option<String>)>,
}

/// The kinds of value a stand-in is tried as: text, number, true/false, list, mapping.
const STAND_IN_KINDS: &[&str] = &["\"\"", "0", "false", "[]", "{}"];

impl StandIns {
    fn new(text: &str) -> Self {
        let content: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
        let empty_braces = content == ["{}"];
        let addable = empty_braces || content.first().is_some_and(|l| !l.starts_with(['{', '[', '-', '!', '&', '*']));
        StandIns { first_line: text.lines().count() as u64 + 1, addable, empty_braces, keys: Vec::new() }
    }

    fn any(&self) -> bool {
        !self.keys.is_empty()
    }

    fn holds(&self, key: &str) -> bool {
        self.keys.iter().any(|(k, ..)| k == key)
    }

    /// Add a stand-in for `key`, unless the file cannot take one or already has it.
    fn add(&mut self, key: &str) -> bool {
        if !self.addable || self.holds(key) {
            return false;
        }
        self.keys.push((key.to_string(), 0, None));
        true
    }

    /// After the stand-in in use failed with `e`: a value allowed for it (from the list an
    /// unknown value is told), else the next kind; false when every kind was tried.
    fn next_kind(&mut self, e: &serde_saphyr::Error) -> bool {
        let Some((_, kind, allowed)) = self.keys.last_mut() else { return false };
        if let serde_saphyr::Error::SerdeUnknownVariant { expected, .. } = e
            && allowed.is_none()
            && let Some(first) = expected.first()
        {
            *allowed = Some(format!("\"{first}\""));
            return true;
        }
        // A check of our own that says what to write ("write `small` (under 10 staff), ...").
        if let serde_saphyr::Error::Message { msg, .. } = innermost(e)
            && allowed.is_none()
            && let Some(first) = msg.split_once("write `").and_then(|(_, rest)| rest.split_once('`')).map(|(w, _)| w)
            && !first.contains('"')
        {
            *allowed = Some(format!("\"{first}\""));
            return true;
        }
        *allowed = None;
        *kind += 1;
        *kind < STAND_IN_KINDS.len()
    }

    /// `text` (the file's lines) followed by the stand-ins.
    fn after(&self, text: &str) -> String {
        if self.keys.is_empty() {
            return text.to_string();
        }
        let mut out = if self.empty_braces { text.replacen("{}", "  ", 1) } else { text.to_string() };
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        for (key, kind, allowed) in &self.keys {
            let value = allowed.as_deref().unwrap_or(STAND_IN_KINDS[*kind]);
            out.push_str(&format!("{key}: {value}\n"));
        }
        out
    }
}

/// One typed read of `text`; on failure, the parser's error and the path of the value it was
/// reading. The path costs a second read, taken only when the first failed.
fn attempt<T: DeserializeOwned>(text: &str) -> Result<T, Box<(serde_saphyr::Error, Vec<recover::Seg>)>> {
    let e = match serde_saphyr::from_str_with_options(text, options()) {
        Ok(v) => return Ok(v),
        Err(e) => e,
    };
    let mut path = Vec::new();
    let _ = serde_saphyr::with_deserializer_from_str_with_options(text, options(), |de| {
        serde_path_to_error::deserialize::<_, T>(de).map_err(|e| {
            path = e
                .path()
                .iter()
                .map(|s| match s {
                    serde_path_to_error::Segment::Seq { index } => recover::Seg::Index(*index),
                    serde_path_to_error::Segment::Map { key } => recover::Seg::Key(key.clone()),
                    serde_path_to_error::Segment::Enum { variant } => recover::Seg::Key(variant.clone()),
                    serde_path_to_error::Segment::Unknown => recover::Seg::Key("?".into()),
                })
                .collect();
            e.into_inner()
        })
    });
    Err(Box::new((e, path)))
}

/// `years[0].key_question`: a path as problems name fields.
fn path_text(path: &[recover::Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            recover::Seg::Key(k) if s.is_empty() => s.push_str(k),
            recover::Seg::Key(k) => {
                s.push('.');
                s.push_str(k);
            }
            recover::Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// `a` or `an` before a field's name as English reads it (`an achieved:` line, `a year:` line).
fn article(field: &str) -> &'static str {
    let lower = field.to_ascii_lowercase();
    let vowel = lower.starts_with(['a', 'e', 'i', 'o'])
        || (lower.starts_with('u') && !lower.starts_with("us") && !lower.starts_with("uni"));
    if vowel { "an" } else { "a" }
}

/// Whether the blanked-out entry `r` was one of the entries of the mapping at `p`. A list item
/// whose first entry was blanked out starts, for the parser, on its next line: its `-` above
/// (nothing but blank lines between) is where it starts.
fn holds(p: &recover::Place, r: &recover::Removed, work: &str) -> bool {
    let lines: Vec<&str> = work.lines().collect();
    let mut start = p.line;
    for l in (1..p.line).rev() {
        let text = lines.get(l as usize - 1).copied().unwrap_or_default().trim();
        if text == "-" {
            start = l;
            break;
        }
        if !text.is_empty() {
            break;
        }
    }
    r.line >= start && p.end_line.is_none_or(|end| r.line < end) && p.entries_column.is_none_or(|c| c == r.column)
}

/// A required key that is not written, placed at the entry or list item that lacks it (the
/// parser places it after the mapping's last line, often inside another entry), or at the
/// file's first line when the file itself lacks it.
fn missing(
    file: &Path,
    field: &str,
    path: &[recover::Seg],
    place: Option<&recover::Place>,
    line_offset: u64,
) -> Diagnostic {
    let a = article(field);
    // A value read with its place (`Spanned`) is a mapping of `value` and `referenced` to the
    // parser: those are not the user's words, the key above them is.
    let named = path.iter().rev().find(|s| !matches!(s, recover::Seg::Key(k) if k == "value" || k == "referenced"));
    let message = match named {
        None => format!("`{field}` is missing: add {a} `{field}:` line"),
        Some(recover::Seg::Key(k)) => format!("`{field}` is missing from `{k}`: add {a} `{field}:` line under it"),
        Some(recover::Seg::Index(_)) => {
            format!("`{field}` is missing from this list item: add {a} `{field}:` line to it")
        }
    };
    let d = Diagnostic::new(file, message).field(field);
    match place {
        Some(p) if !path.is_empty() => d.at(p.line + line_offset, p.column),
        _ => d.at(1, 1),
    }
}

/// Whether `e` is about one value (of the wrong kind, or refused by a check), which can be left
/// out to read on; syntax mistakes and limits stop the reading.
fn value_problem(e: &serde_saphyr::Error) -> bool {
    use serde_saphyr::Error as E;
    matches!(
        e,
        E::SerdeInvalidType { .. }
            | E::SerdeInvalidValue { .. }
            | E::SerdeInvalidLength { .. }
            | E::SerdeUnknownVariant { .. }
            | E::SerdeVariantId { .. }
            | E::InvalidScalar { .. }
            | E::InvalidBooleanStrict { .. }
            | E::NullIntoString { .. }
            | E::InvalidCharNull { .. }
            | E::InvalidCharNotSingleScalar { .. }
            | E::Unexpected { .. }
            | E::UnexpectedValueForUnit { .. }
            | E::ExternallyTaggedEnumExpectedScalarOrMapping { .. }
            | E::ExpectedStringKeyForExternallyTaggedEnum { .. }
            | E::UnexpectedValueForUnitEnumVariant { .. }
            | E::TaggedEnumMismatch { .. }
            | E::UnsupportedTag { .. }
            | E::TaggedStructFieldName { .. }
            | E::TaggedScalarCannotDeserializeIntoString { .. }
            | E::NonFiniteFloat { .. }
            | E::QuotingRequired { .. }
            | E::BytesNotSupportedMissingBinaryTag { .. }
            | E::Message { .. }
    )
}

fn to_diagnostic(file: &Path, text: &str, e: &serde_saphyr::Error, line_offset: u64) -> Diagnostic {
    use serde_saphyr::Error as E;
    let inner = innermost(e);
    let mut loc = e.location().filter(|l| l.line() > 0).map(|l| (l.line(), l.column()));
    // The parser reports an unclosed quote where it gave up (the next quote, often lines
    // later) and a second document at its first key: the editor must look where they start.
    let mut relocated = None;
    match inner {
        // A tab is met at the end of the line before it.
        E::ExternalMessage { msg, .. } if syntax(msg).starts_with("a tab") => {
            if let Some(at) = loc.and_then(|(line, _)| recover::tab_near(text, line, 1)) {
                loc = Some(at);
            }
        }
        E::ExternalMessage { msg, .. } if closes_a_quote(msg) || syntax(msg).starts_with("a quoted value") => {
            if let Some(at) = loc.and_then(|(line, _)| recover::unclosed_quote(text, line)) {
                loc = Some(at);
                relocated = Some(
                    "the quote that opens this value is never closed: end the value with the same quote".to_string(),
                );
            }
        }
        E::MultipleDocuments { .. } => {
            if let Some(line) = loc.and_then(|(line, _)| recover::document_marker(text, line)) {
                loc = Some((line, 1));
            }
        }
        _ => {}
    }
    let (key, value) = match loc {
        Some((line, column)) => (key_on_line(text, line, column), value_at(text, line, column)),
        None => (None, None),
    };
    // `[data,, culture]`: two commas with nothing between them, told as that (the parser's
    // words speak of a bracket not closed).
    if let (E::ExternalMessage { .. }, Some((line, _))) = (inner, loc)
        && let Some(l) = text.lines().nth(usize::try_from(line).unwrap_or(1).saturating_sub(1))
        && let Some(at) = l.find(",,").or_else(|| l.find(", ,"))
        && !l[..at].contains(['"', '\'', '#'])
    {
        let mut d = Diagnostic::new(file, "two commas with nothing between them; remove one")
            .at(line + line_offset, l[..at].chars().count() as u64 + 1);
        if let Some(k) = key {
            d = d.field(k);
        }
        return d;
    }
    // `flag: false` over a line indented too far reads as the text `false other: x`: what is
    // wrong is the line below, not the value (which the editor sees written right).
    let wrong_kind = matches!(
        inner,
        E::InvalidScalar { .. }
            | E::InvalidBooleanStrict { .. }
            | E::SerdeInvalidType { .. }
            | E::SerdeInvalidValue { .. }
    );
    if wrong_kind
        && let (Some((line, column)), Some(k)) = (loc, key.as_ref())
        && let Some((below, at)) = recover::continued_below(text, line, column)
    {
        let message = format!(
            "this line is indented further than `{k}` above it, so it is read as more of `{k}`'s value; \
             indent it as far as `{k}`, or write nothing after `{k}:` to put it under `{k}`"
        );
        return Diagnostic::new(file, message).at(below + line_offset, at).field(k.clone());
    }
    // `intermediate: 06`: YAML reads a leading zero as another base, and the parser's words
    // ("too large") say nothing of it.
    if let (Some((line, column)), Some(v), Some(k)) = (loc, value.as_deref(), key.as_ref())
        && let Some(digits) = leading_zero(v)
    {
        let message = format!("`{k}` is written `{v}`; write `{digits}`, without the leading zero");
        return Diagnostic::new(file, message).at(line + line_offset, column).field(k.clone());
    }
    if let Some((line, column)) = loc
        && let Some((k, message)) = misread_text(text, line, column, wrong_kind)
    {
        return Diagnostic::new(file, message).at(line + line_offset, column).field(k);
    }
    let (field, message) = plain_words(inner, key, value.as_deref());
    let mut d = Diagnostic::new(file, relocated.unwrap_or(message));
    if let Some((line, column)) = loc {
        d = d.at(line + line_offset, column);
    }
    if let Some(f) = field {
        d = d.field(f);
    }
    d
}

/// Characters that cannot be seen, pasted from web pages and word processors beside a number or
/// a `true`: with one, the value is text to YAML.
const INVISIBLE: &[(char, &str)] = &[
    ('\u{00A0}', "a no-break space"),
    ('\u{202F}', "a narrow no-break space"),
    ('\u{2007}', "a figure space"),
    ('\u{200B}', "a zero-width space"),
    ('\u{200C}', "a zero-width non-joiner"),
    ('\u{200D}', "a zero-width joiner"),
    ('\u{2060}', "a word joiner"),
    ('\u{FEFF}', "a byte-order mark"),
];

/// The setting of `written` (a line) holding an invisible character, nearest the 1-based
/// `column` the parser refused: in a group written on one line (`{asked: 85, ...}`), the entry
/// (`asked: 85`) holding it. `None` where the line holds none.
fn invisible_beside(written: &str, outer_key: &str, column: u64) -> Option<(String, String)> {
    let hidden = |c: char| INVISIBLE.iter().any(|(i, _)| *i == c);
    let at = written.char_indices().nth(usize::try_from(column).ok()?.saturating_sub(1)).map_or(0, |(b, _)| b);
    let parts = written.split_inclusive([',', '{', '}', '[', ']']);
    let mut start = 0;
    let mut best: Option<(usize, &str)> = None;
    for part in parts {
        if part.contains(hidden) {
            let distance = if (start..start + part.len()).contains(&at) { 0 } else { at.abs_diff(start) };
            if best.is_none_or(|(d, _)| distance < d) {
                best = Some((distance, part));
            }
        }
        start += part.len();
    }
    let part = best?.1.trim_end_matches([',', '{', '}', '[', ']']);
    let (key, value) = match part.split_once(':') {
        Some((k, v)) if !k.trim().is_empty() => (k.trim().trim_start_matches("- "), v),
        _ => (outer_key, part),
    };
    let (_, name) = INVISIBLE.iter().find(|(c, _)| value.contains(*c))?;
    let visible: String = value.chars().filter(|c| !hidden(*c)).collect::<String>().trim().to_string();
    Some((
        key.to_string(),
        format!(
            "`{key}` holds {name} beside `{visible}`, which cannot be seen but makes the value text; delete the \
             value and type it again: `{key}: {visible}`"
        ),
    ))
}

/// What is wrong, in the editor's words, with a setting on `line` that the parser refused or
/// read as the wrong kind, where the parser's own words would mislead: a number or `true`
/// beside an invisible character (which makes it text), or a text setting (see
/// [`TEXT_SETTINGS`]) starting with a character YAML reserves (`[Draft] ...`, `*new*`,
/// `| ...`). `None` where neither is so.
fn misread_text(text: &str, line: u64, column: u64, wrong_kind: bool) -> Option<(String, String)> {
    let written = text.lines().nth(usize::try_from(line).ok()?.checked_sub(1)?)?;
    let body = written.trim_start().trim_start_matches("- ");
    let (key, value) = body.split_once(':').map(|(k, v)| (k.trim(), v.trim()))?;
    if key.is_empty() || key.contains([' ', '"', '\'', '{', '[']) {
        return None;
    }
    if wrong_kind && let Some(told) = invisible_beside(written, key, column) {
        return Some(told);
    }
    let first = value.chars().next()?;
    let block_header = matches!(first, '|' | '>')
        && value[1..].trim_start_matches(['+', '-', '1', '2', '3', '4', '5', '6', '7', '8', '9']).trim().is_empty();
    // A whole list or group (`name: {a: b}`) is told as the wrong kind of value; text after
    // its end (`[Draft] A levy`) is a text that starts with a bracket.
    let whole_group = (first == '[' && value.ends_with(']')) || (first == '{' && value.ends_with('}'));
    if written.starts_with(' ') || !TEXT_SETTINGS.contains(&key) || block_header || whole_group {
        return None;
    }
    let which = match first {
        // `title: - Apprentice of the year`, `title: ? Who got in`: a list item, a complex key.
        '-' | '?' if value[1..].starts_with([' ', '\t']) => "which YAML reads as the start of a list item or a key",
        '|' | '>' => "which YAML reads as the start of a block of lines",
        '[' | '{' => "which YAML reads as the start of a list or a group of settings",
        '*' => "which YAML reads as a reference to another value",
        '&' => "which YAML reads as a name for the value",
        '`' | '@' => "which YAML reserves",
        '%' => "which YAML reads as a directive",
        _ => return None,
    };
    let shown = if first == '`' { "a backquote".to_string() } else { format!("`{first}`") };
    Some((key.to_string(), quote_it(key, value, &format!("the {key} starts with {shown}, {which}"))))
}

/// "… ; put the title in quotes: `title: "…"`", after `why`.
fn quote_it(key: &str, value: &str, why: &str) -> String {
    let quoted = value.replace('"', "\\\"");
    format!("{why}; put the {key} in quotes: `{key}: \"{quoted}\"`")
}

/// Whether a syntax message is about indentation only (what [`syntax`] says last), after which
/// the rest of the file is still worth reading.
fn is_indentation(msg: &str) -> bool {
    syntax(msg) == INDENTATION
}

const INDENTATION: &str =
    "the indentation of this line does not match the lines around it, or a `key:` is missing or misplaced";

/// Whether a syntax message is one a quote left open causes, found where the parser gave up.
fn closes_a_quote(msg: &str) -> bool {
    ["unclosed quote", "trailing content after", "multiline quoted", "quoted scalar, found unexpected document"]
        .iter()
        .any(|m| msg.contains(m))
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
        E::SerdeUnknownVariant { variant, expected, .. } if matches!(variant.trim(), "" | "~" | "null") => {
            format!("{} is empty; write one of {} after the colon", it(&key), in_words_or(expected))
        }
        E::SerdeUnknownVariant { variant, expected, .. } => {
            let hint = crate::suggest::closest(variant, expected.iter().copied());
            let what = key.as_deref().map_or_else(|| "a value allowed here".to_string(), a_noun);
            format!("`{variant}` is not {what}{hint} (write one of {})", in_words_or(expected))
        }
        E::SerdeUnknownField { field, expected, .. } => {
            let message = if expected.is_empty() {
                format!("`{field}` is not a field here; remove it")
            } else if field.len() == 3 && field.bytes().all(|b| b.is_ascii_digit()) {
                // `asked: 1,200` reads as `asked: 1` and a field `200`.
                format!(
                    "a number is written without a comma between its thousands (`1200`, not `1,200`): the `{field}` \
                     after the comma was read as a field of its own"
                )
            } else {
                let hint = crate::suggest::closest(field, expected.iter().copied());
                format!("`{field}` is not a field here{hint} (the fields here are {})", in_words(expected))
            };
            return (Some(field.clone()), message);
        }
        E::SerdeMissingField { field, .. } => {
            return (Some(field.to_string()), format!("`{field}` is missing: add {} `{field}:` line", article(field)));
        }
        E::InvalidScalar { ty, .. } if one_year(key.as_deref(), kind_of(ty), value) => year_words(value),
        E::InvalidScalar { ty, .. } => must_be(&it(&key), kind_of(ty), value),
        E::InvalidBooleanStrict { .. } => must_be(&it(&key), Kind::Boolean, value),
        E::SerdeInvalidType { expected, .. } | E::SerdeInvalidValue { expected, .. }
            if one_year(key.as_deref(), kind_of(expected), value) =>
        {
            year_words(value)
        }
        E::SerdeInvalidType { expected, .. } | E::SerdeInvalidValue { expected, .. } => {
            must_be(&it(&key), kind_of(expected), value)
        }
        E::SerdeInvalidLength { len, .. } => format!("{} has the wrong number of items ({len})", it(&key)),
        E::Unexpected { expected, .. } => match *expected {
            // `themes:` with nothing after it: the place found is the key's own `:`.
            "sequence start" if value.is_none_or(|v| v.trim().is_empty() || v.trim() == ":") => {
                format!("{} is empty; it must be a list (lines starting with `- `, or `[a, b]`)", it(&key))
            }
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
            return (Some(k.clone()), format!("`{k}` appears twice; keep one"));
        }
        E::DuplicateMappingKey { key: None, .. } => {
            "a key appears twice in this set of `key: value` entries; keep one".to_string()
        }
        E::MultipleDocuments { .. } => SECOND_DOCUMENT.to_string(),
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
    /// A count of people: every `u32` of the content is one (answers, outcomes, the anonymity
    /// threshold), so the type says it.
    People,
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
        "u32" => Kind::People,
        _ if ["u8", "u16", "u64", "u128", "usize"].contains(&t) => Kind::Count,
        _ if ["i8", "i16", "i32", "i64", "i128", "isize", "integer"].contains(&t) => Kind::Whole,
        _ if t.starts_with('f') && (t.ends_with("32") || t.ends_with("64")) || t == "floating point" => Kind::Number,
        "boolean" | "bool" => Kind::Boolean,
        "string" | "str" | "char" | "character" => Kind::Text,
        _ if t.contains("sequence") || t.starts_with("seq") || t.contains("Vec") => Kind::List,
        _ if t.contains("map") || t.starts_with("struct") => Kind::Entries,
        _ => Kind::Other,
    }
}

/// Whether a `year:` was given something other than a year (`2024-25`, `FY2024`): told as a
/// year, not as a whole number. A number too large keeps its own words.
fn one_year(key: Option<&str>, kind: Kind, value: Option<&str>) -> bool {
    key == Some("year")
        && matches!(kind, Kind::Whole | Kind::Count | Kind::People)
        && value.is_some_and(|v| {
            !v.is_empty() && !v.bytes().all(|b| b.is_ascii_digit()) && !matches!(v, "~" | ":" | "null")
        })
}

fn year_words(value: Option<&str>) -> String {
    format!(
        "`year` must be one year, written as four digits such as 2024, not `{}` (a reporting year that spans \
         two is written as one of them, the same one every time)",
        value.unwrap_or_default()
    )
}

/// `SUBJECT must be KIND, not VALUE`, or `SUBJECT is too large` for a count or year past the
/// type's range.
fn must_be(subject: &str, kind: Kind, value: Option<&str>) -> String {
    let digits = |v: &str| !v.is_empty() && v.trim_start_matches(['-', '+']).bytes().all(|b| b.is_ascii_digit());
    let too_large = value.is_some_and(|v| {
        digits(v) && (kind == Kind::Whole || matches!(kind, Kind::Count | Kind::People) && !v.starts_with('-'))
    });
    if let Some(v) = value.filter(|v| v.contains(',') && matches!(kind, Kind::Whole | Kind::Count | Kind::People)) {
        return format!(
            "{subject} must be a whole number written without commas between its thousands: `{}`, not `{v}`",
            v.replace(',', "")
        );
    }
    if too_large {
        return format!("{subject} is too large");
    }
    let what = match kind {
        Kind::People => "a whole number of people (0 or more)",
        Kind::Count => "a whole number (0 or more)",
        Kind::Whole => "a whole number",
        Kind::Number => "a number",
        Kind::Boolean => "true or false",
        Kind::Text => "text",
        Kind::List => "a list (lines starting with `- `, or `[a, b]`)",
        Kind::Entries => "a set of `key: value` entries",
        Kind::Other => return format!("{subject} is not a value allowed here"),
    };
    match value.filter(|v| !v.is_empty()) {
        // Nothing after the colon (`levy_payer:`), which the parser reads as `~` or shows as `:`.
        Some("~" | ":" | "null") => format!("{subject} is empty; write {what} after the colon"),
        Some(v) => format!("{subject} must be {what}, not `{v}`"),
        None => format!("{subject} must be {what}"),
    }
}

/// `a, b and c`: a list of names as a sentence says it.
fn in_words(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => format!("`{one}`"),
        [rest @ .., last] => {
            let rest: Vec<String> = rest.iter().map(|n| format!("`{n}`")).collect();
            format!("{} and `{last}`", rest.join(", "))
        }
    }
}

/// `a, b or c`: the values allowed, as a sentence offers a choice.
fn in_words_or(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => format!("`{one}`"),
        [rest @ .., last] => {
            let rest: Vec<String> = rest.iter().map(|n| format!("`{n}`")).collect();
            format!("{} or `{last}`", rest.join(", "))
        }
    }
}

/// What a key holds, as a noun with its article: `region` → "a region", `size_band` → "a size
/// band".
fn a_noun(key: &str) -> String {
    let words = key.replace(['_', '-'], " ");
    let article = if words.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    format!("{article} {words}")
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
    } else if says(&["quote", "escape", "surrogate"]) {
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
        INDENTATION.to_string()
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
    // `1,200`, a number with its thousands marked, is one value to the reader: kept whole.
    let unquoted = rest.trim_matches(['"', '\'']);
    let thousands = unquoted.split(',').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let rest = if thousands { unquoted } else { rest.split([',', '}', ']']).next()?.trim() };
    let rest = rest.trim_matches(['"', '\'']);
    (!rest.is_empty() && !rest.starts_with(['{', '[', '&', '*', '!']) && rest.chars().count() <= 60)
        .then(|| rest.to_string())
}

/// The number `value` stands for when it is written with leading zeros (`06`, `02024`): `6`;
/// `None` for any other value.
fn leading_zero(value: &str) -> Option<String> {
    let digits = value.strip_prefix('+').unwrap_or(value);
    let trimmed = digits.trim_start_matches('0');
    (digits.len() > 1 && digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| if trimmed.is_empty() { "0".to_string() } else { trimmed.to_string() })
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
    // An empty value is placed at the end of its `key:`, on the colon: in a group on one line
    // (`{asked: , ...}`) that key is the group's, not the line's (`starts`).
    let last = before.rsplit(['{', ',']).next().unwrap_or(before);
    let segment = if !last.contains(':') && l[end..].starts_with(':') {
        format!("{}:", last.trim_start().trim_start_matches("- "))
    } else {
        let segment = before.rsplit(['{', ',']).find(|seg| seg.contains(':')).unwrap_or(before);
        segment.trim_start().trim_start_matches("- ").to_string()
    };
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
    /// Outside round 7 of issue 17, items 5 and 6: a value starting with `!` lost its first word
    /// (a YAML tag) and `title: Apprentice of the year #2` lost ` #2` (a comment), silently.
    #[test]
    fn tags_and_comments_that_change_a_value_are_told() {
        let text = "title: !Important news\nsummary: Apprentice of the year #2\nsize: large # 250 staff\n\
                    themes:\n  - !x y\nquote: |\n  !kept # kept\nname: \"Quoted #1\"\n# a note #3\n";
        let said: Vec<(u64, u64, Option<String>, String)> =
            silently_changed(text).into_iter().map(|m| (m.line, m.column, m.key, m.message)).collect();
        let places: Vec<(u64, u64)> = said.iter().map(|(l, c, _, _)| (*l, *c)).collect();
        assert_eq!(places, [(1, 8), (2, 33), (5, 5)], "{said:#?}");
        assert_eq!(
            said[0].3,
            "`title` starts with `!Important`, which YAML reads as a type tag and leaves out of the value; put the \
             value in quotes: `title: \"!Important news\"`"
        );
        assert!(
            said[1].3.starts_with("`#2` is read by YAML as a comment and left out of the summary"),
            "{}",
            said[1].3
        );
        assert!(said[1].3.contains("`summary: \"Apprentice of the year #2\"`"), "{}", said[1].3);
        assert!(said[2].3.starts_with("the item starts with `!x`"), "{}", said[2].3);
        // Outside round 11: a character written by its number is an escape written on purpose;
        // a Windows path is not.
        assert_eq!(read_as_escape("Caf\\u00e9 \\x41 \\U0001F393\""), None);
        assert_eq!(read_as_escape("C:\\Users\\ana\"").as_deref(), Some("\\U"));
        assert_eq!(read_as_escape("a\\uéé\"").as_deref(), Some("\\u"));
        #[derive(serde::Deserialize, Debug)]
        struct Front {
            #[allow(dead_code)]
            title: String,
        }
        let parsed = parse_all::<Front>(Path::new("s.md"), "title: !Important news\n", 1);
        assert_eq!(parsed.problems.len(), 1);
        assert_eq!(parsed.problems[0].to_string().split(": error").next(), Some("s.md:2:8"));
    }

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
        assert_eq!(err.message, "`count` must be a whole number of people (0 or more), not `2.5`");
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
    fn a_value_not_in_the_list_is_named_with_what_it_should_be() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        enum Region {
            #[serde(rename = "North West")]
            NorthWest,
            #[serde(rename = "Wales")]
            Wales,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Place {
            region: Region,
        }
        let err = parse::<Place>(Path::new("a.yaml"), "region: Northwest\n", 0).unwrap_err();
        assert_eq!(
            err.message,
            "`Northwest` is not a region; did you mean `North West`? (write one of `North West` or `Wales`)"
        );
        let err = parse::<Doc>(Path::new("a.yaml"), "name: x\ncount: 1\ncount: 2\n", 0).unwrap_err();
        assert_eq!((err.line, err.message.as_str()), (Some(3), "`count` appears twice; keep one"));
        // Outside round 5 of issue 17: a value left empty was told as `~` or `:`.
        let err = parse::<Place>(Path::new("a.yaml"), "region:   # TODO\n", 0).unwrap_err();
        assert_eq!(err.message, "`region` is empty; write one of `North West` or `Wales` after the colon");
    }

    #[test]
    fn empty_values_and_thousands_commas_are_told_so() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Row {
            levy_payer: bool,
            asked: Option<u32>,
        }
        let err = parse::<Row>(Path::new("a.yaml"), "levy_payer:\n", 0).unwrap_err();
        assert_eq!(err.message, "`levy_payer` is empty; write true or false after the colon");
        let err2 = parse::<Vec<Row>>(Path::new("a.yaml"), "- {levy_payer: true, asked: 1,200}\n", 0).unwrap_err();
        assert!(err2.message.contains("without a comma between its thousands (`1200`, not `1,200`)"), "{err2:?}");
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Flags {
        name: String,
        #[serde(default)]
        flags: Option<FlagSet>,
        #[serde(default)]
        size: u32,
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct FlagSet {
        #[serde(default)]
        a: bool,
        #[serde(default)]
        b: bool,
    }

    /// Line, column, field and message of each problem.
    type Found = (Option<u64>, Option<u64>, Option<String>, String);

    fn flag_problems(text: &str) -> Vec<Found> {
        parse_all::<Flags>(Path::new("f.yaml"), text, 0)
            .problems
            .into_iter()
            .map(|d| (d.line, d.column, d.field, d.message))
            .collect()
    }

    #[test]
    fn a_line_indented_too_far_is_blamed_not_the_value_above_it() {
        // YAML reads the deeper line as more words of `a`'s value: `false b: true`.
        let found = flag_problems("name: x\nflags:\n  a: false\n    b: true\nsize: -1\n");
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!((found[0].0, found[0].1, found[0].2.as_deref()), (Some(4), Some(5), Some("a")));
        assert!(found[0].3.starts_with("this line is indented further than `a` above it"), "{found:#?}");
        assert!(!found[0].3.contains("true or false"), "{found:#?}");
        // The read goes on past it.
        assert_eq!(found[1].0, Some(5), "{found:#?}");
    }

    #[test]
    fn the_read_goes_on_after_a_line_indented_wrongly() {
        // The first entry deeper than the next: the parser stops at the next, the mistake is the first.
        let found = flag_problems("name: x\nflags:\n    a: false\n  b: true\nsize: many\n");
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!((found[0].0, found[0].1, found[0].2.as_deref()), (Some(3), Some(5), Some("a")));
        assert!(found[0].3.contains("indented further than `b` below it"), "{found:#?}");
        assert_eq!((found[1].0, found[1].2.as_deref()), (Some(5), Some("size")), "{found:#?}");
        // A line indented less than its neighbours, then a value of the wrong kind after it.
        let found = flag_problems("name: x\nflags:\n  a: false\n b: true\nsize: many\n");
        let lines: Vec<Option<u64>> = found.iter().map(|f| f.0).collect();
        assert_eq!(lines, [Some(4), Some(5)], "{found:#?}");
    }

    #[test]
    fn negative_count_is_refused() {
        let err = parse::<Doc>(Path::new("a.yaml"), "name: x\ncount: -4\n", 0).unwrap_err();
        assert_eq!(err.line, Some(2), "{err}");
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Year {
        year: i32,
        #[serde(default)]
        counts: Option<Doc>,
        #[serde(default)]
        flag: bool,
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct File {
        name: String,
        size: u32,
        #[serde(default)]
        years: Vec<Year>,
    }

    fn problems(text: &str) -> Vec<(Option<u64>, String)> {
        parse_all::<File>(Path::new("f.yaml"), text, 0).problems.into_iter().map(|d| (d.line, d.message)).collect()
    }

    #[test]
    fn every_problem_of_a_file_is_reported_at_its_line() {
        let text = "name: x\nsize: big\nyears:\n  - year: twenty\n    flag: maybe\n  - year: 2024\n    counts: {name: y, count: -1}\n    colour: red\n  - year: 2023\n    year: 2022\n";
        let found = problems(text);
        let lines: Vec<Option<u64>> = found.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [Some(2), Some(4), Some(5), Some(7), Some(8), Some(10)], "{found:#?}");
        // Keys blanked out to read on are not reported missing as well.
        assert!(!found.iter().any(|(_, m)| m.contains("missing")), "{found:#?}");
    }

    #[test]
    fn a_file_that_reads_once_its_mistakes_are_left_out_gives_its_value() {
        let p = parse_all::<File>(Path::new("f.yaml"), "name: x\nsize: 1\nyears:\n  - year: 1\n    flag: maybe\n", 0);
        assert_eq!(p.problems.len(), 1);
        assert!(p.value.is_some_and(|f| f.years.len() == 1 && !f.years[0].flag));
        assert!(p.left_out.iter().any(|f| f == "years[0].flag"), "{:?}", p.left_out);
        let p = parse_all::<File>(Path::new("f.yaml"), "name: x\nsize: 1\nyears:\n  - year: 1\n    flag: maybe\n", 0);
        assert!(p.left_out("years") && p.left_out("years[0]") && !p.left_out("year") && !p.left_out("name"));
    }

    #[test]
    fn a_missing_key_is_placed_at_what_lacks_it() {
        // The parser places these at the last key it read (line 6, inside `counts`).
        let text = "# about\n\nsize: 1\nyears:\n  - year: 1\n    counts:\n      name: y\n";
        let found = problems(text);
        assert_eq!(
            found,
            [
                (Some(6), "`count` is missing from `counts`: add a `count:` line under it".to_string()),
                (Some(1), "`name` is missing: add a `name:` line".to_string()),
            ]
        );
        let found = problems("name: x\nsize: 1\nyears:\n  - flag: true\n  - year: 1\n    flag: 3\n");
        assert_eq!(found[0], (Some(4), "`year` is missing from this list item: add a `year:` line to it".to_string()));
        assert_eq!(found[1].0, Some(6), "{found:#?}");
    }

    #[test]
    fn every_key_the_file_lacks_is_reported() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        enum Size {
            #[serde(rename = "small")]
            Small,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Front {
            title: String,
            count: u32,
            size: Size,
            years: Vec<u32>,
            #[serde(default)]
            note: String,
        }
        for text in ["{}", "# nothing yet\nnote: x", "note: x\n"] {
            let p = parse_all::<Front>(Path::new("s.md"), text, 1);
            let fields: Vec<Option<&str>> = p.problems.iter().map(|d| d.field.as_deref()).collect();
            assert_eq!(fields, [Some("title"), Some("count"), Some("size"), Some("years")], "{text}");
            assert!(p.problems.iter().all(|d| d.message.contains("missing")), "{:?}", p.problems);
            assert!(["title", "count", "size", "years"].iter().all(|f| p.left_out(f)));
        }
        // A key blanked out for its value is not reported missing, but the next one is.
        let p = parse_all::<Front>(Path::new("s.md"), "title: x\nsize: huge\nyears: []\n", 0);
        let found: Vec<(Option<&str>, bool)> =
            p.problems.iter().map(|d| (d.field.as_deref(), d.message.contains("missing"))).collect();
        assert_eq!(found, [(Some("size"), false), (Some("count"), true)]);
    }

    #[test]
    fn an_empty_file_is_reported() {
        let e = parse::<File>(Path::new("f.yaml"), "", 0).unwrap_err();
        assert!(e.message.contains("the file is empty"), "{e}");
        let e = parse::<File>(Path::new("f.yaml"), "# only a comment\n", 0).unwrap_err();
        assert!(e.message.contains("empty"), "{e}");
    }

    #[test]
    fn unknown_keys_are_named_with_the_fields_that_belong() {
        let found = problems("name: x\nsize: 1\nyaers: []\n");
        assert_eq!(
            found,
            [(
                Some(3),
                "`yaers` is not a field here; did you mean `years`? (the fields here are `name`, `size` and `years`)"
                    .to_string()
            )]
        );
        let found = problems("name: x\nsize: 1\ncolour: red\n");
        assert_eq!(found[0].1, "`colour` is not a field here (the fields here are `name`, `size` and `years`)");
    }

    #[test]
    fn a_quote_left_open_is_reported_where_it_opens() {
        let found = problems("name: \"x\nsize: 1\nyears: []\nother: \"y\"\n");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].0, Some(1), "{found:#?}");
        assert!(found[0].1.contains("quote"), "{found:#?}");
        let e = parse::<File>(Path::new("f.yaml"), "name: x\nsize: 'big\n", 3).unwrap_err();
        assert_eq!((e.line, e.column), (Some(5), Some(7)), "{e}");
    }

    #[test]
    fn a_second_document_is_placed_at_its_marker() {
        let e = parse::<File>(Path::new("f.yaml"), "name: x\nsize: 1\n\n---\n# other\nname: y\n", 0).unwrap_err();
        assert_eq!(e.line, Some(4), "{e}");
        assert!(e.message.contains("more than one YAML document"), "{e}");
    }

    #[test]
    fn reading_on_stops_at_the_cap() {
        let mut text = "name: x\nsize: 1\nyears:\n".to_string();
        for _ in 0..200 {
            text.push_str("  - year: nope\n");
        }
        let found = problems(&text);
        assert_eq!(found.len(), MAX_PROBLEMS_PER_FILE + 1);
        assert!(found.last().unwrap().1.contains("stopped reading this file after 50 problems"));
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
        // 10^13 copies if expanded: it returns at all only because the budget refuses it (a
        // wall-clock bound here would fail on a busy machine and prove nothing more).
        let e = parse::<serde_json::Value>(Path::new("bomb.yaml"), &bomb, 0).unwrap_err();
        assert!(e.message.contains("too many aliases"), "{e}");
    }
}
