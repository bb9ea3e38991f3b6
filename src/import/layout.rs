//! What the reader does not tell about a sheet: which rows are hidden (by hand, or by a filter)
//! and which cells are merged. The reader gives every row's values, hidden or not, and a merged
//! area's value in its first cell only, the others blank; a person sees neither. Both are read
//! here from the workbook's own parts, once, when it is opened: an .xlsx sheet's
//! `<row hidden="1">` (or `ht="0"`, 0 high) and `<mergeCell ref="B2:B5">`, an .ods row's `table:visibility` and a
//! cell's `table:number-rows-spanned` / `table:number-columns-spanned`.

use super::percent::{attr, tags, tags_ending};
use std::collections::HashMap;
use std::io::Read;

const PERCENT: &[u8] = b"office:value-type=\"percentage\"";
const PERCENT_TYPE: &[u8] = b"percentage";
/// At most this many percentage cells are noted in one sheet.
const MAX_PERCENT: usize = 1_000_000;

/// At most this many number cells' shown text is noted in one sheet (the others are quoted as
/// their value), and at most this many characters of each.
const MAX_SHOWN: usize = 100_000;
const MAX_SHOWN_CHARS: usize = 100;

/// At most this many hidden row runs or merged areas are noted in one sheet (each is told).
const MAX_NOTED: usize = 100_000;

/// One sheet's hidden rows and merged areas, rows and columns counted from 0.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    /// Runs of hidden rows, `[first, end)`, in order.
    pub hidden: Vec<(usize, usize)>,
    /// Merged areas: (first row, first column, last row, last column), the last included.
    pub merged: Vec<(usize, usize, usize, usize)>,
    /// An .ods sheet's cells shown as a percentage (`office:value-type="percentage"`), noted in
    /// this same pass ([`super::percent`] finds an .xlsx sheet's from its styles).
    pub percent: std::collections::BTreeSet<(usize, usize)>,
    /// An .ods sheet's number and true/false cells whose text (what the sheet shows: "3 1/2",
    /// "TRUE") is not their value's own ("3.5", "1").
    pub shown: std::collections::BTreeMap<(usize, usize), String>,
}

impl Layout {
    pub fn is_hidden(&self, row: usize) -> bool {
        let i = self.hidden.partition_point(|&(_, end)| end <= row);
        self.hidden.get(i).is_some_and(|&(first, _)| first <= row)
    }

    fn hide(&mut self, first: usize, end: usize) {
        let full = self.hidden.len() >= MAX_NOTED;
        match self.hidden.last_mut() {
            Some((_, e)) if *e == first => *e = end,
            _ if !full => self.hidden.push((first, end)),
            _ => {}
        }
    }

    fn merge(&mut self, area: (usize, usize, usize, usize)) {
        if self.merged.len() < MAX_NOTED && (area.2 > area.0 || area.3 > area.1) {
            self.merged.push(area);
        }
    }
}

/// Each sheet's layout, by sheet name, for a workbook that hides rows or merges cells; sheets
/// with neither are left out.
pub fn scan(bytes: &[u8]) -> HashMap<String, Layout> {
    let mut out = HashMap::new();
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else { return out };
    let mut part = |name: &str| {
        let mut data = Vec::new();
        archive.by_name(name).ok()?.take(super::table::MAX_PART_BYTES).read_to_end(&mut data).ok()?;
        Some(data)
    };
    if let Some(content) = part("content.xml") {
        for (name, layout) in ods(&content) {
            if layout != Layout::default() {
                out.insert(name, layout);
            }
        }
        return out;
    }
    let sheets = super::table::sheet_parts(&mut archive);
    for (path, name) in sheets {
        let mut data = Vec::new();
        let Ok(p) = archive.by_name(&path) else { continue };
        if p.take(super::table::MAX_PART_BYTES).read_to_end(&mut data).is_err() {
            continue;
        }
        let layout = xlsx(&data);
        if layout != Layout::default() {
            out.insert(name, layout);
        }
    }
    out
}

fn number(bytes: &[u8]) -> Option<usize> {
    std::str::from_utf8(bytes).ok()?.trim().parse().ok()
}

/// `B2:B5` → (1, 1, 4, 1); a single cell `B2` is an area of one.
fn area(text: &[u8]) -> Option<(usize, usize, usize, usize)> {
    let mut ends = text.split(|&b| b == b':');
    let first = super::percent::reference(ends.next()?)?;
    let last = match ends.next() {
        Some(e) => super::percent::reference(e)?,
        None => first,
    };
    Some((first.0.min(last.0), first.1.min(last.1), first.0.max(last.0), first.1.max(last.1)))
}

fn xlsx(xml: &[u8]) -> Layout {
    let mut layout = Layout::default();
    if !contains(xml, b"hidden=") && !contains(xml, b"mergeCell") && !contains(xml, b"ht=") {
        return layout;
    }
    // A row without a number follows the one before, as the reader places it.
    let mut row: Option<usize> = None;
    for tag in tags(xml) {
        match super::table::tag_name(tag) {
            b"row" => {
                let r = attr(tag, b"r").and_then(number).map_or(row.map_or(0, |r| r + 1), |r| r.saturating_sub(1));
                row = Some(r);
                // A row 0 high cannot be seen any more than a hidden one; a height of its own
                // (`customHeight`) that is not given is 0 too, as spreadsheet programs show it.
                let flat = match attr(tag, b"ht") {
                    Some(h) => {
                        std::str::from_utf8(h).ok().and_then(|h| h.trim().parse::<f64>().ok()).is_some_and(|h| h <= 0.0)
                    }
                    None => matches!(attr(tag, b"customHeight"), Some(b"1" | b"true")),
                };
                if flat || matches!(attr(tag, b"hidden"), Some(b"1" | b"true")) {
                    layout.hide(r, r + 1);
                }
            }
            b"mergeCell" => {
                if let Some(a) = attr(tag, b"ref").and_then(area) {
                    layout.merge(a);
                }
            }
            _ => {}
        }
    }
    layout
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn ods(xml: &[u8]) -> Vec<(String, Layout)> {
    let mut out = Vec::new();
    if !contains(xml, b"table:visibility=")
        && !contains(xml, b"-spanned=")
        && !contains(xml, PERCENT)
        && !contains(xml, b"office:value-type=\"float\"")
        && !contains(xml, b"office:value-type=\"boolean\"")
    {
        return out;
    }
    let mut current: Option<(String, Layout)> = None;
    let (mut row, mut col, mut row_repeat) = (0usize, 0usize, 1usize);
    let repeat = |tag: &[u8], name: &[u8]| attr(tag, name).and_then(number).unwrap_or(1).max(1);
    for (end, tag) in tags_ending(xml) {
        let closed = tag.ends_with(b"/>");
        match super::table::tag_name(tag) {
            b"table:table" => {
                let name = attr(tag, b"table:name").map(super::percent::unescape).unwrap_or_default();
                out.extend(current.replace((name, Layout::default())));
                row = 0;
            }
            b"/table:table" => out.extend(current.take()),
            b"table:table-row" => {
                let Some((_, layout)) = current.as_mut() else { continue };
                (col, row_repeat) = (0, repeat(tag, b"table:number-rows-repeated"));
                if matches!(attr(tag, b"table:visibility"), Some(b"collapse" | b"filter")) {
                    layout.hide(row, row.saturating_add(row_repeat));
                }
                if closed {
                    row = row.saturating_add(row_repeat);
                }
            }
            b"/table:table-row" if current.is_some() => row = row.saturating_add(row_repeat),
            b"table:table-cell" | b"table:covered-table-cell" => {
                let Some((_, layout)) = current.as_mut() else { continue };
                let n = repeat(tag, b"table:number-columns-repeated");
                if attr(tag, b"office:value-type") == Some(PERCENT_TYPE) {
                    'cells: for r in row..row.saturating_add(row_repeat) {
                        for c in col..col.saturating_add(n) {
                            if layout.percent.len() >= MAX_PERCENT {
                                break 'cells;
                            }
                            layout.percent.insert((r, c));
                        }
                    }
                }
                if !closed && let Some(text) = shown_otherwise(tag, &xml[end..]) {
                    'shown: for r in row..row.saturating_add(row_repeat) {
                        for c in col..col.saturating_add(n) {
                            if layout.shown.len() >= MAX_SHOWN {
                                break 'shown;
                            }
                            layout.shown.insert((r, c), text.clone());
                        }
                    }
                }
                let rows = repeat(tag, b"table:number-rows-spanned");
                let cols = repeat(tag, b"table:number-columns-spanned");
                if rows > 1 || cols > 1 {
                    for r in row..row.saturating_add(row_repeat.min(MAX_NOTED)) {
                        for c in col..col.saturating_add(n.min(MAX_NOTED)) {
                            layout.merge((r, c, r.saturating_add(rows - 1), c.saturating_add(cols - 1)));
                        }
                    }
                }
                col = col.saturating_add(n);
            }
            _ => {}
        }
    }
    out.extend(current);
    out
}

/// The text an .ods number or true/false cell shows (its paragraphs, read from `rest`, what
/// follows its tag), when it is not its value's own: "3 1/2" for 3.5, "TRUE" kept as TRUE.
fn shown_otherwise(tag: &[u8], rest: &[u8]) -> Option<String> {
    let plain = match attr(tag, b"office:value-type")? {
        b"float" => {
            super::table::Cell::Number(std::str::from_utf8(attr(tag, b"office:value")?).ok()?.trim().parse().ok()?)
                .text()
        }
        b"boolean" => {
            let value = attr(tag, b"office:boolean-value")?;
            if value.eq_ignore_ascii_case(b"true") { "TRUE" } else { "FALSE" }.to_string()
        }
        _ => return None,
    };
    let mut text = String::new();
    let mut in_note = false;
    let mut at = 0;
    for (end, inner) in tags_ending(rest) {
        let open = end - inner.len();
        if !in_note && text.chars().count() <= MAX_SHOWN_CHARS {
            text.push_str(&super::percent::unescape(&rest[at..open]));
        }
        at = end;
        match super::table::tag_name(inner) {
            b"/table:table-cell" | b"/table:covered-table-cell" | b"table:table-cell" | b"/table:table-row" => break,
            b"office:annotation" => in_note = !inner.ends_with(b"/>"),
            b"/office:annotation" => in_note = false,
            b"text:s" if !in_note => {
                let n = attr(inner, b"text:c").and_then(number).unwrap_or(1).min(MAX_SHOWN_CHARS);
                text.push_str(&" ".repeat(n));
            }
            b"/text:p" if !in_note => text.push(' '),
            _ => {}
        }
    }
    let text: String = text.trim().chars().take(MAX_SHOWN_CHARS).collect();
    (!text.is_empty() && text != plain).then_some(text)
}

/// Rows (from 0) as a person reads a list of them: "rows 2–11, 14" (counted from 1).
pub fn rows_words(rows: &[usize]) -> String {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &r in rows {
        match runs.last_mut() {
            Some((_, last)) if *last + 1 == r => *last = r,
            _ => runs.push((r, r)),
        }
    }
    let shown: Vec<String> =
        runs.iter().map(|&(a, b)| if a == b { format!("{}", a + 1) } else { format!("{}–{}", a + 1, b + 1) }).collect();
    let plural = if rows.len() == 1 { "row" } else { "rows" };
    format!("{plural} {}", super::responses::capped(shown, ", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_rows_and_merged_areas_are_found_where_the_reader_places_them() {
        let xml = br#"<worksheet><sheetData><row r="1"/><row r="3" hidden="1"/><row hidden="true"/><row r="7" hidden="0"/></sheetData><mergeCells><mergeCell ref="B2:B5"/><mergeCell ref="A1"/><mergeCell ref="D9:C8"/></mergeCells></worksheet>"#;
        let l = xlsx(xml);
        assert_eq!(l.hidden, [(2, 4)]);
        assert_eq!(l.merged, [(1, 1, 4, 1), (7, 2, 8, 3)]);
        assert!(l.is_hidden(2) && l.is_hidden(3) && !l.is_hidden(4) && !l.is_hidden(1));
        let ods_xml = br#"<table:table table:name="A &amp; B"><table:table-row><table:table-cell/><table:table-cell table:number-rows-spanned="3"/></table:table-row><table:table-row table:visibility="filter" table:number-rows-repeated="2"><table:covered-table-cell/></table:table-row><table:table-row table:visibility="visible"/><table:table-row table:visibility="collapse"/></table:table><table:table table:name="C"/>"#;
        let found = ods(ods_xml);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].0, "A & B");
        assert_eq!(
            found[0].1,
            Layout { hidden: vec![(1, 3), (4, 5)], merged: vec![(0, 1, 2, 1)], ..Layout::default() }
        );
        assert_eq!(found[1].1, Layout::default());
        assert_eq!(rows_words(&[1, 2, 3, 9]), "rows 2–4, 10");
        // Percentage cells, with their repeats, where the reader places them.
        let ods_xml = br#"<table:table table:name="B"><table:table-row><table:table-cell office:value-type="percentage"/></table:table-row></table:table><table:table table:name="A &amp; B"><table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="2"/><table:table-cell office:value-type="percentage" office:value="3"><text:p>300%</text:p></table:table-cell></table:table-row><table:table-row><table:covered-table-cell/><table:table-cell office:value-type="percentage"/></table:table-row></table:table>"#;
        let found = ods(ods_xml);
        assert_eq!(found[1].0, "A & B");
        assert_eq!(found[1].1.percent, [(0, 2), (1, 2), (2, 1)].into());
        assert_eq!(found[0].1.percent, [(0, 0)].into());
        assert_eq!(rows_words(&[0]), "row 1");
        // The text a number or true/false cell shows, where it is not its value's own.
        let ods_xml = br#"<table:table table:name="S"><table:table-row><table:table-cell office:value-type="float" office:value="3.5"><text:p>3<text:s/>1/2</text:p><office:annotation><text:p>a note</text:p></office:annotation></table:table-cell><table:table-cell office:value-type="float" office:value="3"><text:p>3</text:p></table:table-cell><table:table-cell table:number-columns-repeated="2" office:value-type="boolean" office:boolean-value="true"><text:p>WAHR</text:p></table:table-cell></table:table-row></table:table>"#;
        let found = ods(ods_xml);
        assert_eq!(
            found[0].1.shown,
            [((0, 0), "3 1/2".to_string()), ((0, 2), "WAHR".to_string()), ((0, 3), "WAHR".to_string())].into()
        );
    }
}
