//! Reading on past a mistake in a YAML file, so that one run reports every problem of the file
//! instead of the first: the entry at fault is blanked out (replaced by spaces, so every other
//! line and column stays where the editor wrote it) and the file is read again.
//!
//! Also here: where the parts of a document are ([`tree`], [`locate`]), for placing a problem
//! the parser reports at the wrong line, such as a missing field, which it only notices after
//! the last line of the mapping that lacks it.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

/// One step of a path into a document: a mapping's key or a list's position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A node of a YAML document and where it starts (1-based line and column).
#[derive(Debug)]
pub struct Node {
    pub line: u64,
    pub column: u64,
    pub kind: Kind,
}

#[derive(Debug)]
pub enum Kind {
    Map(Vec<Entry>),
    Seq(Vec<Node>),
    Leaf,
}

/// A `key: value` entry, placed at its key.
#[derive(Debug)]
pub struct Entry {
    pub key: String,
    pub line: u64,
    pub column: u64,
    pub value: Node,
}

/// The shape of `text` with the place of every key and value; `None` where it is not valid YAML
/// (a caller only asks after the typed read found a value of the wrong kind, which leaves the
/// syntax intact). Repeated keys are kept, each at its own place.
pub fn tree(text: &str) -> Option<Node> {
    let mut options = super::yaml::options();
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::PassThrough;
    let root: Spanned<Tree> = serde_saphyr::from_str_with_options(text, options).ok()?;
    Some(node(root))
}

fn node(s: Spanned<Tree>) -> Node {
    Node { line: s.referenced.line(), column: s.referenced.column(), kind: s.value.0 }
}

/// What [`tree`] reads: any YAML value, each part with its place.
struct Tree(Kind);

impl<'de> Deserialize<'de> for Tree {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TreeVisitor)
    }
}

struct TreeVisitor;

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Tree;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Tree, E> {
        Ok(Tree(Kind::Leaf))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Tree, E> {
        Ok(Tree(Kind::Leaf))
    }
    fn visit_i128<E>(self, _: i128) -> Result<Tree, E> {
        Ok(Tree(Kind::Leaf))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Tree, E> {
        Ok(Tree(Kind::Leaf))
    }
    fn visit_u128<E>(self, _: u128) -> Result<Tree, E> {
        Ok(Tree(Kind::Leaf))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Tree, E> {
        Ok(Tree(Kind::Leaf))
    }
    fn visit_str<E>(self, _: &str) -> Result<Tree, E> {
        Ok(Tree(Kind::Leaf))
    }
    fn visit_bytes<E>(self, _: &[u8]) -> Result<Tree, E> {
        Ok(Tree(Kind::Leaf))
    }
    fn visit_unit<E>(self) -> Result<Tree, E> {
        Ok(Tree(Kind::Leaf))
    }
    fn visit_none<E>(self) -> Result<Tree, E> {
        Ok(Tree(Kind::Leaf))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Tree, D::Error> {
        Tree::deserialize(d)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Tree, D::Error> {
        Tree::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tree, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Tree>>()? {
            items.push(node(item));
        }
        Ok(Tree(Kind::Seq(items)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tree, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<KeyText>>()? {
            let value = node(map.next_value::<Spanned<Tree>>()?);
            let (line, column) = (key.referenced.line(), key.referenced.column());
            entries.push(Entry { key: key.value.0, line, column, value });
        }
        Ok(Tree(Kind::Map(entries)))
    }
}

/// A key as text, whatever scalar it is written as (`2024:` is a key too).
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = KeyText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<KeyText, E> {
                Ok(KeyText(String::new()))
            }
        }
        d.deserialize_any(V)
    }
}

/// Where the node at `path` is written: the line and column of its key (or of the list item),
/// its key, the column its own entries start at (when it is a non-empty mapping), and the line
/// the next node after it starts on (`None`: it runs to the end of the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub line: u64,
    pub column: u64,
    pub key: Option<String>,
    pub entries_column: Option<u64>,
    pub end_line: Option<u64>,
}

/// The place of the node at `path` in `root`; the root itself is placed at the first line.
pub fn locate(root: &Node, path: &[Seg]) -> Option<Place> {
    let place = Place { line: 1, column: 1, key: None, entries_column: None, end_line: None };
    walk(root, path, place)
}

fn walk(current: &Node, path: &[Seg], place: Place) -> Option<Place> {
    let Some((seg, rest)) = path.split_first() else {
        let entries_column = match &current.kind {
            Kind::Map(entries) => entries.first().map(|e| e.column),
            _ => None,
        };
        return Some(Place { entries_column, ..place });
    };
    let step = match (seg, &current.kind) {
        (Seg::Key(k), Kind::Map(entries)) => {
            // With a key written twice, the first is the one a reader keeps.
            entries.iter().position(|e| &e.key == k).and_then(|i| {
                let e = &entries[i];
                let end_line = entries.get(i + 1).map(|n| n.line).or(place.end_line);
                let here =
                    Place { line: e.line, column: e.column, key: Some(k.clone()), entries_column: None, end_line };
                walk(&e.value, rest, here)
            })
        }
        (Seg::Index(i), Kind::Seq(items)) => items.get(*i).and_then(|item| {
            let end_line = items.get(i + 1).map(|n| n.line).or(place.end_line);
            let here = Place { line: item.line, column: item.column, key: None, entries_column: None, end_line };
            walk(item, rest, here)
        }),
        _ => None,
    };
    // A value read with its place (`Spanned`) is read as a mapping of its own whose `value`
    // holds it: that step is not in the file.
    step.or_else(|| match seg {
        Seg::Key(k) if k == "value" => walk(current, rest, place),
        _ => None,
    })
}

/// What to blank out at a place a problem was reported at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The `key: value` entry whose key is at the place (an unknown or repeated key).
    Entry,
    /// The value at the place, with the entry or list item that holds it.
    Value,
}

/// What was blanked out: the line and column it started at and its key (`None`: a list item).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    pub line: u64,
    pub column: u64,
    pub key: Option<String>,
}

/// A YAML text as lines that can be blanked out one entry at a time.
pub struct Lines {
    lines: Vec<String>,
    /// Keys blanked out because what was removed was all they held (see [`Lines::take_emptied`]).
    emptied: Vec<Removed>,
}

impl Lines {
    pub fn new(text: &str) -> Self {
        Lines { lines: text.split_inclusive('\n').map(str::to_string).collect(), emptied: Vec::new() }
    }

    pub fn text(&self) -> String {
        self.lines.concat()
    }

    /// The keys blanked out since the last call because the entries removed were all they held.
    pub fn take_emptied(&mut self) -> Vec<Removed> {
        std::mem::take(&mut self.emptied)
    }

    /// After line `i` was blanked from column `from`: a `key:` above it that now holds nothing
    /// would read as an empty value, a problem of its own (`key_question:` with nothing under
    /// it is not a set of entries), so it goes too, and so on up.
    fn blank_emptied_keys(&mut self, mut i: usize, mut from: usize) {
        while let Some(p) = (0..i).rev().find(|&p| !blank_or_comment(&self.chars(p))) {
            let owner = self.chars(p);
            let ok = after_markers(&owner, indent(&owner));
            let Some(colon) = key_colon(&owner, ok) else { return };
            let rest: String = owner[colon + 1..].iter().collect();
            let rest = rest.trim();
            let holds_below = (p + 1..self.lines.len())
                .map(|j| self.chars(j))
                .find(|c| !blank_or_comment(c))
                .is_some_and(|c| indent(&c) > ok || indent(&c) == ok && c.get(ok) == Some(&'-'));
            if ok >= from || !(rest.is_empty() || rest.starts_with('#')) || holds_below {
                return;
            }
            self.set(p, &owner, ok);
            self.emptied.push(Removed {
                line: p as u64 + 1,
                column: ok as u64 + 1,
                key: Some(key_text(&owner[ok..colon])),
            });
            (i, from) = (p, ok);
        }
    }

    /// Replace the tab at `line`:`column` (1-based) with a space, so that a file read again
    /// after a tab was reported goes on to the mistakes after it (every column stays put).
    /// Returns whether the tab was in the line's indentation.
    pub fn untab(&mut self, line: u64, column: u64) -> Option<bool> {
        let i = usize::try_from(line).ok()?.checked_sub(1)?;
        let k = usize::try_from(column).ok()?.checked_sub(1)?;
        let mut chars = self.chars(i);
        if chars.get(k) != Some(&'\t') {
            return None;
        }
        let leading = chars[..k].iter().all(|c| c.is_whitespace());
        // Every tab of the indentation goes at once: the parser reports them one at a time.
        let end = if leading { chars.iter().take_while(|c| c.is_whitespace()).count() } else { k + 1 };
        for c in &mut chars[if leading { 0 } else { k }..end] {
            if *c == '\t' {
                *c = ' ';
            }
        }
        let ending = &self.lines[i][self.lines[i].trim_end_matches(['\n', '\r']).len()..];
        self.lines[i] = format!("{}{ending}", chars.iter().collect::<String>());
        Some(leading)
    }

    /// Insert `text` into line `line` (1-based) before column `column` (the closing brackets of
    /// a `{` or `[` left open, so that the file read again goes on to its other mistakes).
    pub fn insert(&mut self, line: u64, column: u64, text: &str) {
        let (Some(i), Ok(k)) = (usize::try_from(line).ok().and_then(|l| l.checked_sub(1)), usize::try_from(column))
        else {
            return;
        };
        let Some(l) = self.lines.get(i) else { return };
        let at = l.char_indices().nth(k.saturating_sub(1)).map_or(l.trim_end_matches(['\n', '\r']).len(), |(b, _)| b);
        self.lines[i].insert_str(at, text);
    }

    /// Blank out line `line` (1-based) and every line after it.
    pub fn blank_from(&mut self, line: u64) {
        let from = usize::try_from(line).unwrap_or(usize::MAX).saturating_sub(1);
        for i in from..self.lines.len() {
            let chars = self.chars(i);
            self.set(i, &chars, 0);
        }
    }

    /// The characters of line `i` (0-based), without its line break.
    fn chars(&self, i: usize) -> Vec<char> {
        self.lines[i].trim_end_matches(['\n', '\r']).chars().collect()
    }

    /// Blank out the entry or value at `line`:`column` (1-based) and every line that belongs to
    /// it; `None` when nothing there can be blanked (the value is the whole document).
    pub fn remove(&mut self, line: u64, column: u64, target: Target) -> Option<Removed> {
        let i = usize::try_from(line).ok()?.checked_sub(1)?;
        if i >= self.lines.len() {
            return None;
        }
        let chars = self.chars(i);
        let cs = indent(&chars);
        let ks = after_markers(&chars, cs);
        let c0 = (usize::try_from(column).ok()?.saturating_sub(1)).min(chars.len());
        let start = if in_flow(&chars, ks, c0) {
            // Inside `{...}` or `[...]` the entry's end is hard to tell: the whole entry or
            // item of the line goes, which keeps the rest of the file readable.
            if ks > cs { Start::Item(last_dash(&chars, cs, ks)) } else { Start::Entry(ks) }
        } else {
            match target {
                Target::Entry => Start::Entry(c0),
                Target::Value if c0 > ks && key_colon(&chars, ks).is_some_and(|c| c <= c0) => Start::Entry(ks),
                Target::Value if c0 >= ks && ks > cs => Start::Item(last_dash(&chars, cs, ks)),
                // A value that starts a line of its own (a mapping or list under `key:`)
                // belongs to the line above it that holds its key or its `-`.
                Target::Value if c0 >= ks || c0 == cs => return self.remove_parent(i, cs),
                Target::Value => Start::Item(last_dash(&chars, cs, c0)),
            }
        };
        self.blank(i, start)
    }

    /// Blank out the `key:` entry at `line`:`column` (1-based), a line indented less than the
    /// entries beside it (`   outcomes:` among entries at column 5): the lines below it that
    /// are indented deeper than those entries go with it (its value), but not the entries
    /// after it, which are read on. Any other line is removed as [`Lines::remove`] does.
    pub fn remove_dedented(&mut self, line: u64, column: u64) -> Option<Removed> {
        let i = usize::try_from(line).ok()?.checked_sub(1)?;
        if i >= self.lines.len() {
            return None;
        }
        let siblings = self.siblings_column(i);
        let chars = self.chars(i);
        let n = indent(&chars);
        let from = usize::try_from(column).ok()?.checked_sub(1)?;
        let Some(s) = siblings.filter(|&s| s > n && from == n) else {
            return self.remove(line, column, Target::Entry);
        };
        let key = key_colon(&chars, from).map(|colon| key_text(&chars[from..colon]));
        self.set(i, &chars, from);
        let mut pending = Vec::new();
        for j in i + 1..self.lines.len() {
            let next = self.chars(j);
            if blank_or_comment(&next) {
                pending.push(j);
                continue;
            }
            if indent(&next) <= s {
                break;
            }
            for p in pending.drain(..) {
                let c = self.chars(p);
                self.set(p, &c, 0);
            }
            self.set(j, &next, 0);
        }
        Some(Removed { line, column, key })
    }

    /// The column the entries beside line `i` start at, as the lines above it show: the least
    /// indentation of the lines above it indented further than it, up to the first that is not
    /// (the entry or list item holding them; its key's column counts when a `- ` precedes it).
    fn siblings_column(&self, i: usize) -> Option<usize> {
        let n = indent(&self.chars(i));
        let mut least: Option<usize> = None;
        for p in (0..i).rev() {
            let chars = self.chars(p);
            if blank_or_comment(&chars) {
                continue;
            }
            let cs = indent(&chars);
            if cs > n {
                least = Some(least.map_or(cs, |l| l.min(cs)));
                continue;
            }
            let ks = after_markers(&chars, cs);
            if ks > n && key_colon(&chars, ks).is_some() {
                least = Some(least.map_or(ks, |l| l.min(ks)));
            }
            break;
        }
        least
    }

    fn remove_parent(&mut self, i: usize, cs: usize) -> Option<Removed> {
        let starts_with_dash = self.chars(i).get(cs) == Some(&'-');
        for p in (0..i).rev() {
            let chars = self.chars(p);
            if blank_or_comment(&chars) {
                continue;
            }
            let pcs = indent(&chars);
            let compact = pcs == cs && starts_with_dash && chars.get(pcs) != Some(&'-');
            if pcs > cs || pcs == cs && !compact {
                continue;
            }
            let pks = after_markers(&chars, pcs);
            let start = if key_colon(&chars, pks).is_some() {
                Start::Entry(pks)
            } else if pks > pcs {
                Start::Item(last_dash(&chars, pcs, pks))
            } else {
                return None;
            };
            return self.blank(p, start);
        }
        None
    }

    /// Blank line `i` from `start` on, then the lines below that are indented deeper than
    /// `start` (its value's lines), with comments and blank lines among them.
    fn blank(&mut self, i: usize, start: Start) -> Option<Removed> {
        let chars = self.chars(i);
        let (from, key) = match start {
            Start::Entry(c) => (c, key_colon(&chars, c).map(|colon| key_text(&chars[c..colon]))),
            Start::Item(c) => (c, None),
        };
        if from >= chars.len() {
            return None;
        }
        // `key:` with nothing after it: its value may be a list written at the key's own
        // indentation (`years:` then `- year: 2024` under it, not indented).
        let value_below = key.is_some()
            && key_colon(&chars, from).is_some_and(|colon| {
                let rest: String = chars[colon + 1..].iter().collect();
                let rest = rest.trim();
                rest.is_empty() || rest.starts_with('#')
            });
        self.set(i, &chars, from);
        let mut pending = Vec::new();
        for j in i + 1..self.lines.len() {
            let next = self.chars(j);
            if blank_or_comment(&next) {
                pending.push(j);
                continue;
            }
            let n = indent(&next);
            if n > from || n == from && value_below && next.get(n) == Some(&'-') {
                for p in pending.drain(..) {
                    let c = self.chars(p);
                    self.set(p, &c, 0);
                }
                self.set(j, &next, 0);
            } else {
                break;
            }
        }
        // An entry that was all its list item held (`- year: x`, or the last entry left under
        // it) leaves a bare `-`, an empty item that would be a problem of its own: the item goes
        // with it.
        if let Some(p) = (0..=i).rev().find(|&p| !blank_or_comment(&self.chars(p))) {
            let owner = self.chars(p);
            let bare = owner.iter().all(|&c| c == ' ' || c == '-');
            let dash = owner.iter().rposition(|&c| c == '-').unwrap_or(0);
            let item_continues = (i + 1..self.lines.len())
                .map(|j| self.chars(j))
                .find(|c| !blank_or_comment(c))
                .is_some_and(|c| indent(&c) > dash);
            if bare && dash < from && !item_continues {
                self.set(p, &owner, 0);
            }
        }
        self.blank_emptied_keys(i, from);
        Some(Removed { line: i as u64 + 1, column: from as u64 + 1, key })
    }

    /// Line `i` with its characters from `from` on replaced by spaces.
    fn set(&mut self, i: usize, chars: &[char], from: usize) {
        let ending = &self.lines[i][self.lines[i].trim_end_matches(['\n', '\r']).len()..];
        let kept: String = chars[..from.min(chars.len())].iter().collect();
        let blanked = " ".repeat(chars.len().saturating_sub(from));
        self.lines[i] = format!("{kept}{blanked}{ending}");
    }
}

/// Where a removal starts: at a key (`key: value`) or at a list item's `-`.
#[derive(Debug, Clone, Copy)]
enum Start {
    Entry(usize),
    Item(usize),
}

fn indent(chars: &[char]) -> usize {
    chars.iter().take_while(|&&c| c == ' ').count()
}

fn blank_or_comment(chars: &[char]) -> bool {
    chars.iter().find(|c| !c.is_whitespace()).is_none_or(|&c| c == '#')
}

/// The first column after the list markers (`- `, `- - `) that start a line's content at `cs`.
fn after_markers(chars: &[char], cs: usize) -> usize {
    let mut i = cs;
    while chars.get(i) == Some(&'-') && chars.get(i + 1).is_none_or(|&c| c == ' ') {
        i += 1;
        while chars.get(i) == Some(&' ') {
            i += 1;
        }
    }
    i
}

/// The column of the last `-` marker before `before` (the item that holds what follows it).
fn last_dash(chars: &[char], cs: usize, before: usize) -> usize {
    (cs..before.min(chars.len())).rev().find(|&i| chars[i] == '-').unwrap_or(cs)
}

/// Whether column `c0` lies inside a `{...}` or `[...]` opened after column `from`.
fn in_flow(chars: &[char], from: usize, c0: usize) -> bool {
    let mut depth = 0i32;
    let mut quote = None;
    for &c in chars.get(from..c0.min(chars.len())).unwrap_or_default() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '{' | '[') => depth += 1,
            (None, '}' | ']') => depth -= 1,
            _ => {}
        }
    }
    depth > 0
}

/// The column of the `:` that ends a key starting at `from`, if a `key:` starts there.
fn key_colon(chars: &[char], from: usize) -> Option<usize> {
    let first = *chars.get(from)?;
    if matches!(first, '{' | '[' | '#' | '&' | '*' | '!' | '|' | '>') {
        return None;
    }
    let mut i = from;
    if first == '"' || first == '\'' {
        i += 1;
        while i < chars.len() && chars[i] != first {
            i += if chars[i] == '\\' && first == '"' { 2 } else { 1 };
        }
        i += 1;
    }
    while i < chars.len() {
        match chars[i] {
            ':' if chars.get(i + 1).is_none_or(|c| c.is_whitespace()) => return Some(i),
            '#' if i > from && chars[i - 1] == ' ' => return None,
            _ => i += 1,
        }
    }
    None
}

fn key_text(chars: &[char]) -> String {
    let s: String = chars.iter().collect();
    s.trim().trim_matches(['"', '\'']).to_string()
}

/// The line and column of the quote that opens a quoted value left unclosed, at or before
/// `line`: the parser reads on to the next quote, often lines later, and reports the mistake
/// there. Every value of a line is looked at, those inside `{...}` and `[...]` included; the
/// first whose quote is not closed on its line is taken.
pub fn unclosed_quote(text: &str, line: u64) -> Option<(u64, u64)> {
    for (i, l) in text.lines().enumerate().take(usize::try_from(line).unwrap_or(usize::MAX)) {
        let chars: Vec<char> = l.chars().collect();
        let start = after_markers(&chars, indent(&chars));
        let mut k = start;
        // Whether a value may start here: at the line's content, or after `{`, `[`, `,` or `: `.
        let mut may_start = true;
        while k < chars.len() {
            let c = chars[k];
            match c {
                '"' | '\'' if may_start => {
                    let open = k;
                    k += 1;
                    let mut closed = false;
                    while k < chars.len() {
                        if c == '"' && chars[k] == '\\' {
                            k += 2;
                            continue;
                        }
                        if chars[k] == c {
                            // `''` inside single quotes is a quote, not the end.
                            if c == '\'' && chars.get(k + 1) == Some(&'\'') {
                                k += 2;
                                continue;
                            }
                            closed = true;
                            break;
                        }
                        k += 1;
                    }
                    if !closed {
                        return Some((i as u64 + 1, open as u64 + 1));
                    }
                    may_start = false;
                }
                '#' if k == start || chars[k - 1] == ' ' => break,
                '{' | '[' | ',' => may_start = true,
                ':' if chars.get(k + 1).is_none_or(|&n| n == ' ') => may_start = true,
                ' ' => {}
                _ => may_start = false,
            }
            k += 1;
        }
    }
    None
}

/// Where the plain value of the `key: value` on `line` holds a `: ` of its own (`summary: Meet
/// Ana: from the shop floor`), which YAML reads as a second key on the line: the key, the column
/// the value starts at, and the value as written.
pub fn colon_in_plain_value(text: &str, line: u64) -> Option<(String, u64, String)> {
    let i = usize::try_from(line).ok()?.checked_sub(1)?;
    let chars: Vec<char> = text.lines().nth(i)?.chars().collect();
    let ks = after_markers(&chars, indent(&chars));
    let colon = key_colon(&chars, ks)?;
    let vs = colon + 1 + chars[colon + 1..].iter().take_while(|c| **c == ' ').count();
    let first = *chars.get(vs)?;
    if matches!(first, '"' | '\'' | '{' | '[' | '|' | '>' | '&' | '*' | '!' | '#') {
        return None;
    }
    let value: String = chars[vs..].iter().collect();
    // A comment after the value is not part of it; a `#2` after one space is, once quoted (the
    // quotes this value is told to take keep it).
    let note = value.match_indices(" #").map(|(at, _)| at).find(|&at| {
        let hashtag = value[at + 2..].starts_with(|c: char| c.is_alphanumeric()) && !value[..at].ends_with(' ');
        !hashtag
    });
    let value = value[..note.unwrap_or(value.len())].trim_end().to_string();
    let inner = key_colon(&value.chars().collect::<Vec<_>>(), 0)?;
    (inner > 0).then(|| (key_text(&chars[ks..colon]), vs as u64 + 1, value))
}

/// A `{` or `[` left open: where it opens and where its closing brackets belong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unclosed {
    /// 1-based line and column of the bracket.
    pub line: u64,
    pub column: u64,
    pub bracket: char,
    /// The brackets that would close everything still open, innermost first (`]}`).
    pub closers: String,
    /// The line and column they go before: the end of the last line of the value, before any
    /// comment.
    pub end_line: u64,
    pub end_column: u64,
}

/// Every `{...}` or `[...]` value not closed before the next line that is not indented further
/// than the line it opens on (YAML reads on into that line, and reports a mistake far from the
/// bracket, or none). Block scalars (`|`, `>`) are skipped: brackets in text are text.
pub fn unclosed_flow(text: &str) -> Vec<Unclosed> {
    let lines: Vec<Vec<char>> = text.lines().map(|l| l.chars().collect()).collect();
    let mut out = Vec::new();
    let mut i = 0;
    // Lines indented further than this belong to a block scalar.
    let mut block_scalar: Option<usize> = None;
    while i < lines.len() {
        let chars = &lines[i];
        if blank_or_comment(chars) {
            i += 1;
            continue;
        }
        let cs = indent(chars);
        if let Some(b) = block_scalar {
            if cs > b {
                i += 1;
                continue;
            }
            block_scalar = None;
        }
        let ks = after_markers(chars, cs);
        let vs = match key_colon(chars, ks) {
            Some(colon) => colon + 1 + chars[colon + 1..].iter().take_while(|c| **c == ' ').count(),
            None => ks,
        };
        match chars.get(vs) {
            Some('|' | '>') => {
                block_scalar = Some(cs);
                i += 1;
                continue;
            }
            Some('{' | '[') => {}
            _ => {
                i += 1;
                continue;
            }
        }
        // Read the value from its bracket on, over the lines indented further that go on with it.
        let mut stack: Vec<(char, usize, usize)> = Vec::new();
        let (mut j, mut from) = (i, vs);
        let mut end;
        loop {
            let l = &lines[j];
            let mut quote = None;
            let mut k = from;
            end = (j, l.len());
            while k < l.len() {
                let c = l[k];
                match (quote, c) {
                    (Some('"'), '\\') => k += 1,
                    (Some(q), c) if c == q => quote = None,
                    (Some(_), _) => {}
                    (None, '"' | '\'') => quote = Some(c),
                    (None, '#') if k == 0 || l[k - 1].is_whitespace() => {
                        end = (j, k - l[..k].iter().rev().take_while(|c| c.is_whitespace()).count());
                        break;
                    }
                    (None, '{' | '[') => stack.push((c, j, k)),
                    (None, '}' | ']') => {
                        stack.pop();
                    }
                    _ => {}
                }
                k += 1;
                if stack.is_empty() {
                    break;
                }
            }
            if stack.is_empty() {
                break;
            }
            let next = (j + 1..lines.len()).find(|&n| !blank_or_comment(&lines[n]));
            match next {
                Some(n) if indent(&lines[n]) > cs => (j, from) = (n, 0),
                _ => {
                    let (bracket, line, column) = stack[0];
                    let closers =
                        stack.iter().rev().map(|(b, ..)| if *b == '{' { '}' } else { ']' }).collect::<String>();
                    out.push(Unclosed {
                        line: line as u64 + 1,
                        column: column as u64 + 1,
                        bracket,
                        closers,
                        end_line: end.0 as u64 + 1,
                        end_column: end.1 as u64 + 1,
                    });
                    break;
                }
            }
        }
        i = j + 1;
    }
    out
}

/// The first tab at or after `line` (within `lines_after` lines) that YAML refuses: in a line's
/// indentation, or between a key and its value, outside quotes. The parser reports it at the
/// end of the line before, where it was when it met the tab.
pub fn tab_near(text: &str, line: u64, lines_after: u64) -> Option<(u64, u64)> {
    let from = usize::try_from(line).ok()?.saturating_sub(1);
    for (i, l) in text.lines().enumerate().skip(from).take(usize::try_from(lines_after).ok()? + 1) {
        let mut quote = None;
        for (k, c) in l.chars().enumerate() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '#') => break,
                (None, '\t') => return Some((i as u64 + 1, k as u64 + 1)),
                _ => {}
            }
        }
    }
    None
}

/// Where the plain value at `line`:`column` (after a `key:` on that line) goes on to a line
/// below, indented deeper than its key: YAML reads such a line as more words of the value, so
/// `flag: false` over a line indented too far is read as the text `false other: ...`. Returns
/// the line and column where the line below starts.
pub fn continued_below(text: &str, line: u64, column: u64) -> Option<(u64, u64)> {
    let lines: Vec<Vec<char>> = text.lines().map(|l| l.chars().collect()).collect();
    let i = usize::try_from(line).ok()?.checked_sub(1)?;
    let chars = lines.get(i)?;
    let ks = after_markers(chars, indent(chars));
    let colon = key_colon(chars, ks)?;
    let c0 = usize::try_from(column).ok()?.checked_sub(1)?;
    let first = chars.get(colon + 1..)?.iter().position(|c| !c.is_whitespace()).map(|p| colon + 1 + p)?;
    if first != c0
        || in_flow(chars, ks, c0)
        || matches!(chars[c0], '"' | '\'' | '|' | '>' | '{' | '[' | '&' | '*' | '!')
    {
        return None;
    }
    let (j, next) = lines.iter().enumerate().skip(i + 1).find(|(_, l)| !blank_or_comment(l))?;
    let n = indent(next);
    (n > ks).then_some((j as u64 + 1, n as u64 + 1))
}

/// A mapping's first entry indented further than the entries after it: the parser stops at
/// the second entry (`line`), which is where the indentation is right. Returns the line of the
/// first entry, where the mistake is, and the key of the entry at `line`.
pub fn first_entry_too_deep(text: &str, line: u64) -> Option<(u64, String)> {
    let lines: Vec<Vec<char>> = text.lines().map(|l| l.chars().collect()).collect();
    let i = usize::try_from(line).ok()?.checked_sub(1)?;
    let here = lines.get(i)?;
    let n = indent(here);
    let key = key_text(&here[n..key_colon(here, n)?]);
    let content_above = |from: usize| (0..from).rev().find(|&j| !blank_or_comment(&lines[j]));
    let p = content_above(i)?;
    let q = content_above(p)?;
    let (first, parent) = (&lines[p], &lines[q]);
    let parent_colon = key_colon(parent, after_markers(parent, indent(parent)))?;
    let parent_ends = parent[parent_colon + 1..].iter().collect::<String>();
    let parent_ends = parent_ends.trim();
    let opens_mapping = parent_ends.is_empty() || parent_ends.starts_with('#');
    // Two entries alone do not tell which is out of line: the one at `line` is taken as right
    // where it is indented by two from its key or an entry after it lines up with it.
    let next_lines_up =
        (i + 1..lines.len()).find(|&j| !blank_or_comment(&lines[j])).is_some_and(|j| indent(&lines[j]) == n);
    let usual = n == indent(parent) + 2 || next_lines_up;
    (usual && indent(first) > n && indent(parent) < n && opens_mapping && key_colon(first, indent(first)).is_some())
        .then_some((p as u64 + 1, key))
}

/// The column (1-based) where the `key:` entry written at the start of line `line` begins, when
/// the line holds one: after a mistake of indentation there, that entry is what is left out.
pub fn entry_at_line_start(text: &str, line: u64) -> Option<u64> {
    let i = usize::try_from(line).ok()?.checked_sub(1)?;
    let chars: Vec<char> = text.lines().nth(i)?.chars().collect();
    let ks = after_markers(&chars, indent(&chars));
    key_colon(&chars, ks).map(|_| ks as u64 + 1)
}

/// The line of a `---` (or `...`) marker that ends the first document when more lines of YAML
/// follow it: the start of a second document.
pub fn second_document(text: &str) -> Option<u64> {
    let lines: Vec<&str> = text.lines().collect();
    let content = |l: &str| !l.trim().is_empty() && !l.trim_start().starts_with('#');
    let marker = |l: &str| {
        let t = l.trim_end();
        t == "---" || t.starts_with("--- ") || t == "..." || t.starts_with("... ")
    };
    let first = lines.iter().position(|l| content(l) && !marker(l))?;
    let at = (first + 1..lines.len()).find(|&i| marker(lines[i]))?;
    lines[at + 1..].iter().any(|l| content(l)).then_some(at as u64 + 1)
}

/// The line of the `---` (or `...`) that ends the first document, at or before `line`.
pub fn document_marker(text: &str, line: u64) -> Option<u64> {
    let lines: Vec<&str> = text.lines().take(usize::try_from(line).unwrap_or(usize::MAX)).collect();
    lines
        .iter()
        .rposition(|l| {
            let t = l.trim_end();
            t == "---" || t.starts_with("--- ") || t == "..." || t.starts_with("... ")
        })
        .map(|i| i as u64 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn removed(text: &str, line: u64, column: u64, target: Target) -> (String, Option<Removed>) {
        let mut l = Lines::new(text);
        let r = l.remove(line, column, target);
        (l.text(), r)
    }

    #[test]
    fn an_entry_goes_with_its_lines_and_keeps_every_line_in_place() {
        let text = "a: 1\nb:\n  c: 2\n  # note\n  d: 3\ne: 4\n";
        let (out, r) = removed(text, 2, 1, Target::Entry);
        assert_eq!(out, "a: 1\n  \n      \n        \n      \ne: 4\n");
        assert_eq!(r, Some(Removed { line: 2, column: 1, key: Some("b".into()) }));
    }

    #[test]
    fn a_value_takes_its_entry_or_its_list_item() {
        // A scalar after its key: the entry.
        let (out, r) = removed("a: x\nb: 1\n", 1, 4, Target::Value);
        assert_eq!((out.as_str(), r.unwrap().key.as_deref()), ("    \nb: 1\n", Some("a")));
        // A list item.
        let (out, _) = removed("l:\n  - 1\n  - [x]\n  - 3\n", 3, 5, Target::Value);
        assert_eq!(out, "l:\n  - 1\n       \n  - 3\n");
        // A mapping under its key, reported at its first line: the key's entry.
        let (out, r) = removed("a: 1\nl:\n  x: 1\n  y: 2\nb: 2\n", 3, 3, Target::Value);
        assert_eq!(out, "a: 1\n  \n      \n      \nb: 2\n");
        assert_eq!(r.unwrap().key.as_deref(), Some("l"));
        // A list at the key's own indentation.
        let (out, _) = removed("l:\n- 1\n- 2\nb: 2\n", 2, 1, Target::Value);
        assert_eq!(out, "  \n   \n   \nb: 2\n");
        // A whole file of the wrong kind cannot be skipped.
        assert_eq!(removed("- a\n- b\n", 1, 1, Target::Value).1, None);
    }

    #[test]
    fn an_entry_of_a_list_item_keeps_the_item_unless_it_was_all_of_it() {
        let (out, _) = removed("y:\n  - year: x\n    n: 1\n  - year: 2\n", 2, 11, Target::Value);
        assert_eq!(out, "y:\n  -        \n    n: 1\n  - year: 2\n");
        let (out, _) = removed("y:\n  - year: x\n  - year: 2\n", 2, 11, Target::Value);
        assert_eq!(out, "y:\n           \n  - year: 2\n");
    }

    #[test]
    fn a_key_left_holding_nothing_goes_with_what_it_held() {
        let mut l = Lines::new("a:\n  b:\n    c: {x: 1}\n  d: 2\ne: 3\n");
        let r = l.remove(3, 9, Target::Value);
        assert_eq!(r.and_then(|r| r.key).as_deref(), Some("c"));
        assert_eq!(l.text(), "a:\n    \n             \n  d: 2\ne: 3\n");
        let emptied: Vec<Option<String>> = l.take_emptied().into_iter().map(|r| r.key).collect();
        assert_eq!(emptied, [Some("b".to_string())]);
        // A key that still holds another entry stays.
        let mut l = Lines::new("a:\n  b: 1\n  c: 2\n");
        l.remove(2, 6, Target::Value);
        assert_eq!((l.text().as_str(), l.take_emptied().len()), ("a:\n      \n  c: 2\n", 0));
    }

    #[test]
    fn inside_braces_the_line_entry_goes() {
        // (`c` keeps `p` holding something: a key left empty goes too, see above.)
        let (out, r) = removed("p:\n  a.b: {status: done, note: x}\n  c: 1\n", 2, 18, Target::Value);
        assert_eq!(out, format!("p:\n{}\n  c: 1\n", " ".repeat(30)));
        assert_eq!(r.unwrap().key.as_deref(), Some("a.b"));
    }

    #[test]
    fn places_of_keys_and_items() {
        let text = "# c\nname: x\nyears:\n  - year: 1\n    inner:\n      asked: 1\n  - year: 2\nlast: 1\n";
        let t = tree(text).unwrap();
        let path = [Seg::Key("years".into()), Seg::Index(0), Seg::Key("inner".into())];
        let p = locate(&t, &path).unwrap();
        assert_eq!(
            (p.line, p.column, p.key.as_deref(), p.end_line, p.entries_column),
            (5, 5, Some("inner"), Some(7), Some(7))
        );
        let p = locate(&t, &path[..2]).unwrap();
        assert_eq!((p.line, p.column, p.key, p.end_line), (4, 5, None, Some(7)));
        assert_eq!(locate(&t, &[]).unwrap().line, 1);
        // The step a value read with its place adds is passed over; a real `value` key is not.
        let spanned = [Seg::Key("years".into()), Seg::Index(1), Seg::Key("value".into()), Seg::Key("year".into())];
        assert_eq!(locate(&t, &spanned).map(|p| p.line), Some(7));
        let t = tree("a:\n  value: 1\n").unwrap();
        assert_eq!(locate(&t, &[Seg::Key("a".into()), Seg::Key("value".into())]).map(|p| p.line), Some(2));
    }

    #[test]
    fn the_quote_left_open_is_found_where_it_opens() {
        let text = "a: 1\nsize: \"medium\nb: \"x\"\nc: 'it''s'\n";
        assert_eq!(unclosed_quote(text, 3), Some((2, 7)));
        assert_eq!(unclosed_quote("a: \"x\"\nb: 'y'\n", 2), None);
        // Inside a flow mapping, at the quote itself (issue 17: it was found a line late).
        assert_eq!(unclosed_quote("a: {status: \"x}\nb: {n: \"y\"}\n", 2), Some((1, 13)));
        assert_eq!(unclosed_quote("a: {s: x, n: \"it's\"}\nb: \"it's\" # \"\n", 2), None);
        assert_eq!(tab_near("a: 1\n\tb: 2\n", 1, 1), Some((2, 1)));
        assert_eq!(tab_near("a: \"\t\"\nb:\t2\n", 1, 1), Some((2, 3)));
        assert_eq!(document_marker("a: 1\n---\nb: 2\n", 3), Some(2));
        assert_eq!(second_document("# c\n---\na: 1\n---\n# x\nb: 2\n"), Some(4));
        assert_eq!(second_document("---\na: 1\n...\n# end\n"), None);
        assert_eq!(second_document("a: |\n  ---\n  x\n"), None);
    }

    #[test]
    fn a_bracket_left_open_is_found_where_it_opens() {
        let at = |text: &str| -> Vec<(u64, u64, String, u64, u64)> {
            let found = unclosed_flow(text);
            found.into_iter().map(|u| (u.line, u.column, u.closers, u.end_line, u.end_column)).collect()
        };
        assert_eq!(at("a: {b: 1, c: [2, 3]}\nd: [x,\n  y]\n"), vec![]);
        assert_eq!(at("a: {b: 1, c: [2\nd: 1\n"), vec![(1, 4, "]}".to_string(), 1, 16)]);
        assert_eq!(at("t: [x, \"]\" # c\nd: 1\n"), vec![(1, 4, "]".to_string(), 1, 11)]);
        assert_eq!(at("l:\n  - {a: 1,\n     b: 2\n  - {a: 2}\n"), vec![(2, 5, "}".to_string(), 3, 10)]);
        // Brackets in text are text: a block scalar, a plain value that starts with a word.
        assert_eq!(at("c: |\n  see [this\nt: a [b\n"), vec![]);
        let mut lines = Lines::new("a: {b: 1 # c\n");
        lines.insert(1, 9, "}");
        assert_eq!(lines.text(), "a: {b: 1} # c\n");
    }
}
