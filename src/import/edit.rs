//! Put one year's imported figures into an employer file's text, changing nothing else: the
//! profile, the other years, practices, extra questions and every comment stay as written,
//! byte for byte. The file is edited as lines (YAML block style, as the example files and
//! `ladder new` write it); a part written in flow style (`key_question: {...}`) is refused
//! rather than rewritten.

use super::Figures;
use crate::model::employer::{Answers, OutcomeTable};
use crate::model::ids::{Band, Measure, Outcome, Stage};

/// Where the edit could not be made, with a sentence for the user.
#[derive(Debug)]
pub struct EditError {
    /// 1-based line of the file, where one is to blame.
    pub line: Option<u64>,
    pub message: String,
}

fn err(line: Option<usize>, message: impl Into<String>) -> EditError {
    EditError { line: line.map(|l| l as u64 + 1), message: message.into() }
}

/// The file's text with `year`'s figures set from `figures`: each stage and outcome the import
/// has replaces the one written (the level bands as a whole), and the rest of the year is kept.
/// A year not in the file is added, in order.
pub fn set_year(text: &str, year: i32, figures: &Figures) -> Result<String, EditError> {
    set_year_noting(text, year, figures).map(|(text, _)| text)
}

/// The years of a file's `years:` list, in the file's order (None for an item without a year
/// that can be read), and the line (from 1) of each item's `-`; empty when the list cannot be
/// read as blocks.
pub fn years_in_order(text: &str) -> Vec<(Option<i32>, u64)> {
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    let Some(years) = top_key(&lines, "years") else { return Vec::new() };
    list_items(&lines, years)
        .map_or_else(|_| Vec::new(), |items| items.iter().map(|it| (it.year, it.start as u64 + 1)).collect())
}

/// What an edit did beyond setting the figures, for the command to say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Note {
    /// The import brought a cohort without level bands, and the year's old level bands (which
    /// counted another cohort) were removed.
    RemovedLevels,
    /// The file's column for an outcome had nobody due, and the year's old figures for that
    /// outcome were removed.
    RemovedOutcome(Outcome),
    /// The year is new and the latest: the practices of the year before it (the one that was
    /// the latest) were copied into it, since the scorecard reads the latest year's practices.
    CarriedPractices(i32),
}

/// [`set_year`], and what else it did: a cohort imported without level bands removes the
/// year's old level bands, which no longer add up to it.
pub fn set_year_noting(text: &str, year: i32, figures: &Figures) -> Result<(String, Vec<Note>), EditError> {
    let mut notes = Vec::new();
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let ends_with_eol = text.ends_with('\n');
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if let Some(i) = lines.iter().position(|l| uses_anchor(l)) {
        return Err(err(
            Some(i),
            "YAML anchors and aliases (`&name`, `*name`, `<<:`) are not supported in an employer file that an import updates: write the values out in full, then import again",
        ));
    }

    // A new employer's file (its profile only, or `years: []`) gets its `years:` list here.
    let years = match top_key(&lines, "years") {
        Some(y) => y,
        None => {
            while lines.last().is_some_and(|l| l.trim().is_empty()) {
                lines.pop();
            }
            lines.push("years:".to_string());
            lines.len() - 1
        }
    };
    if value_after_colon(&lines[years]) == "[]" {
        let comment = comment_start(&lines[years]).map(|i| format!("  {}", &lines[years][i..])).unwrap_or_default();
        lines[years] = format!("years:{comment}");
    }
    let ends_with_eol = ends_with_eol || lines.len() > text.lines().count();
    if !value_after_colon(&lines[years]).is_empty() {
        return Err(err(
            Some(years),
            "`years` is written on one line; write it as a list of blocks (`- year: ...`), as in the example files",
        ));
    }
    let items = list_items(&lines, years)?;
    let found = items.iter().find(|it| it.year == Some(year)).cloned();
    let item = match found {
        Some(it) => it,
        None => {
            // A new year, placed before the first later one (or after the last).
            let dash = items.first().map(|it| it.dash).unwrap_or(2);
            let at = items
                .iter()
                .find(|it| it.year.is_some_and(|y| y > year))
                .map(|it| it.start)
                .unwrap_or_else(|| items.last().map(|it| it.end).unwrap_or(years + 1));
            let mut block = vec![format!("{}- year: {year}", " ".repeat(dash))];
            // The scorecard reads the latest year's practices: a new latest year without them
            // would show none in place. The latest year's are carried forward, marked so.
            let latest = items.iter().filter(|it| it.year.is_some()).max_by_key(|it| it.year);
            if let Some(last) = latest.filter(|it| it.year.is_some_and(|y| y < year))
                && let Some(p) = entries(&lines, last).into_iter().find(|e| e.key == "practices")
            {
                let from = last.year.unwrap_or_default();
                let moved: Vec<String> =
                    lines[p.start..p.end].iter().map(|l| reindent(l, last.content, dash + 2)).collect();
                let (head, rest) = moved.split_first().map_or((None, &[][..]), |(h, r)| (Some(h), r));
                block.extend(head.cloned());
                if value_after_colon(head.map_or("", String::as_str)).is_empty() {
                    let child = rest.iter().find(|l| is_content(l)).map_or(dash + 4, |l| indent(l));
                    block.push(format!(
                        "{}# carried forward from {from} by `ladder import`: check them for {year}",
                        " ".repeat(child)
                    ));
                }
                block.extend(rest.iter().cloned());
                notes.push(Note::CarriedPractices(from));
            }
            let n = block.len();
            lines.splice(at..at, block);
            Item { start: at, end: at + n, dash, content: dash + 2, year: Some(year) }
        }
    };

    let key_question: Vec<(&str, Vec<String>)> = figures
        .stages
        .iter()
        .filter_map(|(s, a)| match s {
            Stage::Applicants => Some(("applicants", vec![format!("applicants: {}", answers(a))])),
            Stage::Starts => Some(("starts", vec![format!("starts: {}", answers(a))])),
            Stage::Makeup => Some(("cohort", vec![format!("cohort: {}", answers(a))])),
            Stage::Level(_) => None,
        })
        .chain(levels(figures).map(|l| ("levels", l)))
        .collect();
    let outcomes: Vec<(&str, Vec<String>)> = Outcome::ALL
        .iter()
        .filter_map(|o| figures.outcomes.get(o).map(|t| (o.id(), vec![format!("{}: {}", o.id(), outcome_table(t))])))
        .collect();

    const ITEM_ORDER: [&str; 6] = ["year", "benchmark_set", "key_question", "outcomes", "extra_questions", "practices"];
    // What cannot be edited is found in the file as it is, before any line moves, so that the
    // line named is the file's own (a block that grows above `outcomes:` would move it).
    for (key, children) in [("key_question", &key_question), ("outcomes", &outcomes)] {
        if children.is_empty() {
            continue;
        }
        let Some(e) = entries(&lines, &item).into_iter().find(|e| e.key == key) else { continue };
        if !value_after_colon(&lines[e.start]).is_empty() {
            return Err(err(
                Some(e.start),
                format!(
                    "`{key}` of {year} is written on one line; write it as a block, one entry a line, as in the example files"
                ),
            ));
        }
        let child_indent = (e.start + 1..e.end).find(|&i| is_content(&lines[i])).map(|i| indent(&lines[i]));
        if let Some(ci) = child_indent
            && let Some(i) = (e.start + 1..e.end)
                .find(|&i| indent(&lines[i]) == ci && is_content(&lines[i]) && key_at(&lines[i], ci).is_none())
        {
            return Err(err(Some(i), format!("cannot read `{key}` here: write it as a block of `key: value` lines")));
        }
    }
    for (key, children, order) in [
        ("key_question", key_question, &["applicants", "starts", "cohort", "levels"][..]),
        ("outcomes", outcomes, &["functional_skills", "completion", "progression"][..]),
    ] {
        if children.is_empty() {
            continue;
        }
        // Recomputed after every change: the item grows and shrinks as its parts are replaced.
        let item = item_at(&lines, item.start, item.dash, item.content);
        let entries = entries(&lines, &item);
        match entries.iter().find(|e| e.key == key) {
            Some(e) => {
                if !value_after_colon(&lines[e.start]).is_empty() {
                    return Err(err(
                        Some(e.start),
                        format!(
                            "`{key}` of {year} is written on one line; write it as a block, one entry a line, as in the example files"
                        ),
                    ));
                }
                let child_indent = (e.start + 1..e.end)
                    .find(|&i| is_content(&lines[i]))
                    .map(|i| indent(&lines[i]))
                    .unwrap_or(item.content + 2);
                for (child, new) in children {
                    let parent = entry_at(&lines, e.start, item.content, key);
                    set_child(&mut lines, &parent, child_indent, child, new, order)?;
                }
            }
            None => {
                let mut block = vec![format!("{}{key}:", " ".repeat(item.content))];
                for (_, new) in children {
                    block.extend(new.into_iter().map(|l| format!("{}{l}", " ".repeat(item.content + 2))));
                }
                let at = insertion_point(&entries, key, &ITEM_ORDER, item.end);
                lines.splice(at..at, block);
            }
        }
    }
    let cohort_without_bands =
        figures.stages.contains_key(&Stage::Makeup) && !figures.stages.keys().any(|s| matches!(s, Stage::Level(_)));
    if cohort_without_bands {
        let item = item_at(&lines, item.start, item.dash, item.content);
        if let Some(kq) = entries(&lines, &item).into_iter().find(|e| e.key == "key_question") {
            let child = (kq.start + 1..kq.end).find(|&i| is_content(&lines[i])).map(|i| indent(&lines[i]));
            let levels = child.and_then(|ci| {
                (kq.start + 1..kq.end)
                    .find(|&i| indent(&lines[i]) == ci && key_at(&lines[i], ci) == Some("levels"))
                    .map(|i| (i, block_end(&lines, i, ci)))
            });
            if let Some((start, end)) = levels {
                // The bands go; comments written among them stay, each on its own line.
                let kept = keep_comments(&lines[start..end], Vec::new());
                let pad = " ".repeat(indent(&lines[start]));
                let kept: Vec<String> =
                    kept.into_iter().map(|c| if c.starts_with(' ') { c } else { format!("{pad}{c}") }).collect();
                lines.splice(start..end, kept);
                notes.push(Note::RemovedLevels);
            }
        }
    }
    for o in Outcome::ALL.into_iter().filter(|o| figures.cleared.contains(o)) {
        let item = item_at(&lines, item.start, item.dash, item.content);
        let Some(oc) = entries(&lines, &item).into_iter().find(|e| e.key == "outcomes") else { continue };
        let children: Vec<usize> =
            (oc.start + 1..oc.end).filter(|&i| is_content(&lines[i])).map(|i| indent(&lines[i])).collect();
        let Some(&ci) = children.iter().min() else { continue };
        let found = (oc.start + 1..oc.end)
            .find(|&i| indent(&lines[i]) == ci && key_at(&lines[i], ci) == Some(o.id()))
            .map(|i| (i, block_end(&lines, i, ci)));
        let Some((start, end)) = found else { continue };
        let kept = keep_comments(&lines[start..end], Vec::new());
        let pad = " ".repeat(indent(&lines[start]));
        let kept: Vec<String> =
            kept.into_iter().map(|c| if c.starts_with(' ') { c } else { format!("{pad}{c}") }).collect();
        lines.splice(start..end, kept);
        notes.push(Note::RemovedOutcome(o));
        // An `outcomes:` left with no outcome goes too (its comments stay).
        let item = item_at(&lines, item.start, item.dash, item.content);
        if let Some(oc) = entries(&lines, &item).into_iter().find(|e| e.key == "outcomes")
            && value_after_colon(&lines[oc.start]).is_empty()
            && !(oc.start + 1..oc.end).any(|i| is_content(&lines[i]))
        {
            lines.remove(oc.start);
        }
    }
    let mut out = lines.join(eol);
    if ends_with_eol {
        out.push_str(eol);
    }
    Ok((out, notes))
}

fn answers(a: &Answers) -> String {
    format!(
        "{{asked: {}, professional: {}, intermediate: {}, working_class: {}, other: {}, prefer_not_to_say: {}}}",
        a.asked, a.professional, a.intermediate, a.working_class, a.other, a.prefer_not_to_say
    )
}

fn outcome_table(t: &OutcomeTable) -> String {
    let g = |o: &crate::model::employer::Outcome| format!("{{due: {}, achieved: {}}}", o.due, o.achieved);
    format!(
        "{{professional: {}, intermediate: {}, working_class: {}}}",
        g(&t.professional),
        g(&t.intermediate),
        g(&t.working_class)
    )
}

/// `levels:` and one line per band the import has, when it has any.
fn levels(figures: &Figures) -> Option<Vec<String>> {
    let bands: Vec<(Band, &Answers)> = figures
        .stages
        .iter()
        .filter_map(|(s, a)| match s {
            Stage::Level(b) => Some((*b, a)),
            _ => None,
        })
        .collect();
    if bands.is_empty() {
        return None;
    }
    let mut out = vec!["levels:".to_string()];
    out.extend(bands.into_iter().map(|(b, a)| format!("  \"{}\": {}", b.key(), answers(a))));
    Some(out)
}

/// Whether a line gives a value an anchor (`&a`), refers to one (`*a`) or merges one (`<<:`),
/// outside quotes and comments: an edit by lines could not keep them true.
pub(super) fn uses_anchor(line: &str) -> bool {
    if key_at(line, indent(line)) == Some("<<") || line.trim_start().starts_with("- <<:") {
        return true;
    }
    let chars: Vec<char> = line.chars().collect();
    let mut quote: Option<char> = None;
    for (i, &c) in chars.iter().enumerate() {
        match quote {
            Some(q) => {
                if c == q {
                    quote = None;
                }
                continue;
            }
            None if c == '#' && (i == 0 || chars[i - 1] == ' ') => return false,
            None if c == '"' || c == '\'' => {
                let before = chars[..i].iter().rev().find(|c| **c != ' ');
                if before.is_none_or(|b| matches!(b, ':' | '-' | '[' | '{' | ',')) {
                    quote = Some(c);
                }
            }
            None if c == '&' || c == '*' => {
                let before = chars[..i].iter().rev().find(|c| **c != ' ');
                let value_start = before.is_none_or(|b| matches!(b, ':' | '-' | '[' | '{' | ','))
                    && (i == 0 || matches!(chars[i - 1], ' ' | '[' | '{' | ','));
                let named = chars.get(i + 1).is_some_and(|n| !n.is_whitespace() && !",[]{}".contains(*n));
                if value_start && named {
                    return true;
                }
            }
            None => {}
        }
    }
    false
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Neither blank nor a comment.
fn is_content(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && !t.starts_with('#')
}

/// The key a line starts at `col` (after a `- ` for a list item's first key), if any.
fn key_at(line: &str, col: usize) -> Option<&str> {
    let rest = line.get(col..)?;
    if rest.starts_with(' ') {
        return None;
    }
    let (key, tail) = if let Some(q) = rest.strip_prefix('"') {
        let end = q.find('"')?;
        (&q[..end], &q[end + 1..])
    } else if let Some(q) = rest.strip_prefix('\'') {
        let end = q.find('\'')?;
        (&q[..end], &q[end + 1..])
    } else {
        let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'))?;
        (&rest[..end], &rest[end..])
    };
    let tail = tail.trim_start_matches(' ');
    (tail.starts_with(':') && (tail.len() == 1 || tail[1..].starts_with([' ', '\t']))).then_some(key)
}

/// What follows `key:` on its line, without a trailing comment (which YAML starts with `#`
/// after a space or a tab).
fn value_after_colon(line: &str) -> String {
    let Some(i) = line.find(':') else { return String::new() };
    let rest = &line[i + 1..];
    let rest = match comment_start(rest) {
        Some(c) => &rest[..c],
        None => rest,
    };
    rest.trim().to_string()
}

/// Where a line's trailing comment starts (at its `#`, preceded by a space or a tab), outside
/// quotes; `None` when it has none. A line that is only a comment starts at its `#`.
fn comment_start(line: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut prev: Option<char> = None;
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '#' && prev.is_none_or(|p| p == ' ' || p == '\t') => return Some(i),
            None if (c == '"' || c == '\'') && prev.is_none_or(|p| matches!(p, ' ' | '\t' | ':' | '{' | '[' | ',')) => {
                quote = Some(c)
            }
            None => {}
        }
        prev = Some(c);
    }
    None
}

/// The new lines of a block that replaces `old`, with the comments of `old` kept: a comment
/// line goes before the new line of the key it preceded, and a trailing comment to the end of
/// the new line of its key; those of keys the new block no longer has go after it.
fn keep_comments(old: &[String], new: Vec<String>) -> Vec<String> {
    let mut before: Vec<(String, Vec<String>)> = Vec::new();
    let mut trailing: Vec<(String, String)> = Vec::new();
    let mut pending = Vec::new();
    for line in old {
        let t = line.trim();
        if t.starts_with('#') {
            pending.push(line.clone());
            continue;
        }
        if t.is_empty() {
            continue;
        }
        let key = key_at(line, indent(line)).unwrap_or_default().to_string();
        if !pending.is_empty() {
            before.push((key.clone(), std::mem::take(&mut pending)));
        }
        if let Some(c) = comment_start(line) {
            trailing.push((key, line[c..].to_string()));
        }
    }
    let mut out = Vec::new();
    for mut line in new {
        let key = key_at(&line, indent(&line)).unwrap_or_default().to_string();
        if let Some(i) = before.iter().position(|(k, _)| *k == key) {
            out.extend(before.remove(i).1);
        }
        if let Some(i) = trailing.iter().position(|(k, _)| *k == key) {
            line = format!("{line}  {}", trailing.remove(i).1);
        }
        out.push(line);
    }
    // Comments of keys that are gone: kept after the block, each on its own line.
    let pad = new_indent(&out);
    out.extend(before.into_iter().flat_map(|(_, c)| c));
    out.extend(trailing.into_iter().map(|(_, c)| format!("{pad}{c}")));
    out.extend(pending);
    out
}

/// A line moved from a block whose keys sit at `from` to one whose keys sit at `to`.
fn reindent(line: &str, from: usize, to: usize) -> String {
    if line.trim().is_empty() || from == to {
        return line.to_string();
    }
    let spaces = indent(line);
    let kept = spaces.saturating_sub(from.saturating_sub(to));
    format!("{}{}", " ".repeat(kept + to.saturating_sub(from)), &line[spaces..])
}

fn new_indent(lines: &[String]) -> String {
    " ".repeat(lines.first().map(|l| indent(l)).unwrap_or(0))
}

/// The top-level key's line.
fn top_key(lines: &[String], key: &str) -> Option<usize> {
    lines.iter().position(|l| key_at(l, 0) == Some(key))
}

/// Index after the last line of the block that starts at `start`: the lines after it that are
/// indented more than `parent` (comments and blank lines inside it included; blank lines and
/// comments after its last line belong to what follows).
fn block_end(lines: &[String], start: usize, parent: usize) -> usize {
    let mut last = start;
    for (i, line) in lines.iter().enumerate().skip(start + 1) {
        if line.trim().is_empty() {
            continue;
        }
        if indent(line) > parent {
            last = i;
        } else {
            break;
        }
    }
    last + 1
}

#[derive(Debug, Clone)]
struct Item {
    /// The line of its `-`.
    start: usize,
    end: usize,
    /// Column of the `-`, and of the item's keys.
    dash: usize,
    content: usize,
    year: Option<i32>,
}

fn list_items(lines: &[String], years: usize) -> Result<Vec<Item>, EditError> {
    let mut items = Vec::new();
    let mut i = years + 1;
    let mut dash = None;
    while i < lines.len() {
        let line = &lines[i];
        if !is_content(line) {
            i += 1;
            continue;
        }
        let col = indent(line);
        let is_dash = line[col..].starts_with("- ") || line[col..] == *"-";
        let d = *dash.get_or_insert(col);
        if col < d || (col == d && !is_dash) || (col == 0 && !is_dash) {
            break;
        }
        if !is_dash {
            i += 1;
            continue;
        }
        if line[col + 1..].trim_start().starts_with('{') {
            return Err(err(
                Some(i),
                "this year is written on one line; write it as a block, one entry a line, as in the example files",
            ));
        }
        let content = col + 1 + (line.len() - col - 1 - line[col + 1..].trim_start().len());
        let item = item_at(lines, i, col, content);
        i = item.end;
        items.push(item);
    }
    Ok(items)
}

/// The list item whose `-` is on line `start` at column `dash`.
fn item_at(lines: &[String], start: usize, dash: usize, content: usize) -> Item {
    let end = block_end(lines, start, dash);
    let mut item = Item { start, end, dash, content, year: None };
    item.year = entries(lines, &item)
        .iter()
        .find(|e| e.key == "year")
        .and_then(|e| value_after_colon(&lines[e.start]).trim_matches(['"', '\'']).parse().ok());
    item
}

#[derive(Debug, Clone)]
struct Entry {
    key: String,
    start: usize,
    end: usize,
}

/// The keys of a list item, with their lines.
fn entries(lines: &[String], item: &Item) -> Vec<Entry> {
    let mut out = Vec::new();
    for i in item.start..item.end {
        if i != item.start && indent(&lines[i]) != item.content {
            continue;
        }
        if let Some(k) = key_at(&lines[i], item.content) {
            out.push(Entry { key: k.to_string(), start: i, end: block_end(lines, i, item.content) });
        }
    }
    out
}

fn entry_at(lines: &[String], start: usize, indent: usize, key: &str) -> Entry {
    Entry { key: key.to_string(), start, end: block_end(lines, start, indent) }
}

/// Where a missing key goes: before the first present key that follows it in `order`, or
/// after the last present key that precedes it, or at `end`.
fn insertion_point(present: &[Entry], key: &str, order: &[&str], end: usize) -> usize {
    let rank = |k: &str| order.iter().position(|o| *o == k).unwrap_or(order.len());
    let mine = rank(key);
    if let Some(later) =
        present.iter().filter(|e| rank(&e.key) > mine && rank(&e.key) < order.len()).min_by_key(|e| e.start)
    {
        // Never before the item's first line, which holds its `-`.
        if present.first().is_some_and(|f| f.start == later.start) {
            return later.end;
        }
        return later.start;
    }
    present.iter().filter(|e| rank(&e.key) < mine).map(|e| e.end).max().unwrap_or(end)
}

/// Replace (or add) the child `key` of the block `parent`, whose children sit at `indent`.
fn set_child(
    lines: &mut Vec<String>,
    parent: &Entry,
    indent_: usize,
    key: &str,
    new: Vec<String>,
    order: &[&str],
) -> Result<(), EditError> {
    let mut children = Vec::new();
    for i in parent.start + 1..parent.end {
        if indent(&lines[i]) == indent_ && is_content(&lines[i]) {
            match key_at(&lines[i], indent_) {
                Some(k) => children.push(Entry { key: k.to_string(), start: i, end: block_end(lines, i, indent_) }),
                None => {
                    return Err(err(
                        Some(i),
                        format!("cannot read `{}` here: write it as a block of `key: value` lines", parent.key),
                    ));
                }
            }
        }
    }
    let new: Vec<String> = new.into_iter().map(|l| format!("{}{l}", " ".repeat(indent_))).collect();
    match children.iter().find(|c| c.key == key) {
        Some(c) => {
            // The same figures, however spaced (`starts:     {asked: 4, ...}`), are kept as written.
            let squeeze = |ls: &[String]| ls.iter().flat_map(|l| l.split_whitespace()).collect::<String>();
            let without_comments = |ls: &[String]| {
                ls.iter()
                    .filter(|l| !l.trim().starts_with('#'))
                    .map(|l| match comment_start(l) {
                        Some(i) => l[..i].to_string(),
                        None => l.clone(),
                    })
                    .collect::<Vec<_>>()
            };
            if squeeze(&without_comments(&lines[c.start..c.end])) != squeeze(&new) {
                let kept = keep_comments(&lines[c.start..c.end], new);
                lines.splice(c.start..c.end, kept);
            }
        }
        None => {
            let at = insertion_point(&children, key, order, parent.end);
            lines.splice(at..at, new);
        }
    }
    Ok(())
}

/// For messages: one line per stage and outcome of an import, in the pipeline's order.
pub fn describe(figures: &Figures) -> Vec<String> {
    Measure::PIPELINE
        .iter()
        .filter_map(|m| match m {
            Measure::Stage(s) => {
                figures.stages.get(s).map(|a| format!("{}: {} asked, {} answered", s.title(), a.asked, a.answered()))
            }
            Measure::Outcome(o) => figures.outcomes.get(o).map(|t| {
                let due = t.professional.due + t.intermediate.due + t.working_class.due;
                let achieved = t.professional.achieved + t.intermediate.achieved + t.working_class.achieved;
                format!("{}: {achieved} achieved of {due} due", o.title())
            }),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::employer::Outcome as Due;

    const FILE: &str = "# An employer (invented).\nname: X\nyears:\n  # the first year\n  - year: 2024\n    key_question:\n      # from the ATS\n      applicants: {asked: 5, professional: 1, intermediate: 1, working_class: 1}\n      cohort: {asked: 3, professional: 1, intermediate: 1, working_class: 1}\n    practices:\n      data.explain_why: {status: not_started}  # keep me\n\n  - year: 2026\n    practices: {}\nlast: true\n";

    fn figures() -> Figures {
        let mut f = Figures::default();
        f.stages.insert(
            Stage::Starts,
            Answers { asked: 9, professional: 2, intermediate: 2, working_class: 2, other: 1, prefer_not_to_say: 1 },
        );
        f.stages.insert(Stage::Level(Band::L3), Answers { asked: 4, ..Answers::default() });
        let t = OutcomeTable { professional: Due { due: 2, achieved: 1 }, ..OutcomeTable::default() };
        f.outcomes.insert(Outcome::Completion, t);
        f
    }

    #[test]
    fn a_year_is_updated_in_place_and_the_rest_kept() {
        let out = set_year(FILE, 2024, &figures()).unwrap();
        let expected = "# An employer (invented).\nname: X\nyears:\n  # the first year\n  - year: 2024\n    key_question:\n      # from the ATS\n      applicants: {asked: 5, professional: 1, intermediate: 1, working_class: 1}\n      starts: {asked: 9, professional: 2, intermediate: 2, working_class: 2, other: 1, prefer_not_to_say: 1}\n      cohort: {asked: 3, professional: 1, intermediate: 1, working_class: 1}\n      levels:\n        \"3\": {asked: 4, professional: 0, intermediate: 0, working_class: 0, other: 0, prefer_not_to_say: 0}\n    outcomes:\n      completion: {professional: {due: 2, achieved: 1}, intermediate: {due: 0, achieved: 0}, working_class: {due: 0, achieved: 0}}\n    practices:\n      data.explain_why: {status: not_started}  # keep me\n\n  - year: 2026\n    practices: {}\nlast: true\n";
        assert_eq!(out, expected);
        assert_eq!(set_year(&out, 2024, &figures()).unwrap(), out, "a second import changes nothing");
    }

    #[test]
    fn comments_inside_replaced_lines_are_kept() {
        let text = "name: X\nyears:\n  - year: 2024\t# checked by finance\n    key_question:\n      starts: {asked: 1, professional: 1}  # from the ATS\n      levels:\n        # level 3 includes the Darlington intake\n        \"3\": {asked: 1, professional: 1}  # one late start\n        # level 2 closed\n        \"2\": {asked: 1, professional: 1}\n";
        let out = set_year(text, 2024, &figures()).unwrap();
        // The year is found though a tab comes before its comment: no second 2024.
        assert_eq!(out.matches("year: 2024").count(), 1, "{out}");
        assert!(out.contains("  - year: 2024\t# checked by finance\n"), "{out}");
        assert!(out.contains("      starts: {asked: 9, professional: 2, intermediate: 2, working_class: 2, other: 1, prefer_not_to_say: 1}  # from the ATS\n"), "{out}");
        assert!(out.contains("        # level 3 includes the Darlington intake\n        \"3\": {asked: 4, professional: 0, intermediate: 0, working_class: 0, other: 0, prefer_not_to_say: 0}  # one late start\n"), "{out}");
        // Band 2 is gone from the new figures: its comment stays, after the block.
        assert!(out.contains("        # level 2 closed\n"), "{out}");
        assert!(!out.contains("\"2\":"), "{out}");
        assert_eq!(set_year(&out, 2024, &figures()).unwrap(), out, "a second import changes nothing");
        assert_eq!(value_after_colon("year: 2025\t# note"), "2025");
        assert_eq!(value_after_colon("name: \"a # b\"  # c"), "\"a # b\"");
    }

    #[test]
    fn a_missing_year_is_added_in_order() {
        let out = set_year(FILE, 2025, &figures()).unwrap();
        let at = out.find("  - year: 2025\n    key_question:\n      starts:").expect(&out);
        assert!(at > out.find("keep me").unwrap() && at < out.find("- year: 2026").unwrap(), "{out}");
        assert_eq!(set_year(&out, 2025, &figures()).unwrap(), out);
        let out = set_year(FILE, 2030, &figures()).unwrap();
        assert!(out.ends_with("    practices: {}\n  - year: 2030\n    key_question:\n      starts: {asked: 9, professional: 2, intermediate: 2, working_class: 2, other: 1, prefer_not_to_say: 1}\n      levels:\n        \"3\": {asked: 4, professional: 0, intermediate: 0, working_class: 0, other: 0, prefer_not_to_say: 0}\n    outcomes:\n      completion: {professional: {due: 2, achieved: 1}, intermediate: {due: 0, achieved: 0}, working_class: {due: 0, achieved: 0}}\n    practices: {}\nlast: true\n"), "{out}");
        // A new latest year carries the latest year's practices forward, marked so.
        let two = "years:\n  - year: 2024\n    practices:\n      data.explain_why: {status: in_place}  # keep me\n";
        let (out, notes) = set_year_noting(two, 2026, &figures()).unwrap();
        assert!(out.ends_with("    practices:\n      # carried forward from 2024 by `ladder import`: check them for 2026\n      data.explain_why: {status: in_place}  # keep me\n"), "{out}");
        assert!(out.starts_with(two), "{out}");
        assert_eq!(notes, [Note::CarriedPractices(2024)]);
        // An earlier year carries nothing.
        let (out, notes) = set_year_noting(two, 2020, &figures()).unwrap();
        assert!(notes.is_empty() && out.matches("practices").count() == 1, "{out}");
    }

    #[test]
    fn anchors_and_aliases_are_refused_and_text_that_only_looks_like_them_is_not() {
        for bad in [
            "defaults: &d {asked: 1}\nyears:\n  - year: 2024\n",
            "years:\n  - year: 2024\n    key_question:\n      starts: *d\n",
            "years:\n  - year: 2024\n    key_question:\n      starts:\n        <<: *d\n",
            "years: &y\n  - year: 2024\n",
            "tags: [a, *b]\nyears:\n  - year: 2024\n",
        ] {
            let e = set_year(bad, 2024, &figures()).unwrap_err();
            assert!(e.message.contains("anchors and aliases"), "{bad}: {}", e.message);
        }
        let fine = "name: \"R&D *and* more\"\nsummary: Smith & Sons, 5 * 3 # &not *this\nyears:\n  - year: 2024\n";
        assert!(set_year(fine, 2024, &figures()).is_ok());
    }

    #[test]
    fn a_cohort_without_level_bands_removes_the_old_bands() {
        let with_bands = set_year(FILE, 2024, &figures()).unwrap();
        assert!(with_bands.contains("levels:"));
        let mut cohort = Figures::default();
        cohort.stages.insert(Stage::Makeup, Answers { asked: 7, professional: 7, ..Answers::default() });
        let (out, notes) = set_year_noting(&with_bands, 2024, &cohort).unwrap();
        assert_eq!(notes, [Note::RemovedLevels]);
        assert!(!out.contains("levels:") && !out.contains("\"3\":"), "{out}");
        assert!(out.contains("      cohort: {asked: 7, professional: 7,") && out.contains("keep me"), "{out}");
        // Starts alone leave the bands as they are.
        let mut starts = Figures::default();
        starts.stages.insert(Stage::Starts, Answers { asked: 1, ..Answers::default() });
        let (out, notes) = set_year_noting(&with_bands, 2024, &starts).unwrap();
        assert!(notes.is_empty() && out.contains("levels:"));
    }

    /// Outside round 8 of issue 18: `outcomes` written on one line was told at the line it would
    /// have moved to once the level bands above it were added, not at its own.
    #[test]
    fn a_part_that_cannot_be_edited_is_told_at_its_line_in_the_file_as_it_is() {
        let text =
            "years:\n  - year: 2024\n    key_question:\n      starts: {asked: 1}\n    outcomes: {completion: {}}\n";
        let e = set_year(text, 2024, &figures()).unwrap_err();
        assert_eq!(e.line, Some(5), "{}", e.message);
        assert!(e.message.starts_with("`outcomes` of 2024 is written on one line"), "{}", e.message);
        let text =
            "years:\n  - year: 2024\n    key_question:\n      starts: {asked: 1}\n    outcomes:\n      - completion\n";
        let e = set_year(text, 2024, &figures()).unwrap_err();
        assert_eq!(e.line, Some(6), "{}", e.message);
    }

    #[test]
    fn flow_style_is_refused_not_rewritten() {
        let e =
            set_year("years:\n  - year: 2024\n    key_question: {starts: {asked: 1}}\n", 2024, &figures()).unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("one line"), "{}", e.message);
    }
}
