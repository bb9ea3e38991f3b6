//! Which cells a workbook shows as percentages. The reader gives a cell's value without its
//! number format, so a cell that shows "300%" holds 3, and would be read as level 3 (or three
//! people). The formats are read here, from the workbook's own parts: an .xlsx cell's style
//! (`xl/styles.xml`: built-in formats 9 and 10, or a format of its own with a `%`), an .ods cell's
//! `office:value-type="percentage"`. Only a workbook that has such a format is read twice.

use std::collections::HashSet;
use std::io::Read;

/// At most this many percentage cells are noted in one sheet; a sheet already holds at most
/// [`super::table::MAX_CELLS`].
const MAX_NOTED: usize = 1_000_000;

const MB: u64 = 1024 * 1024;

/// What the workbook uses to mark a percentage, when it has any.
#[derive(Debug, Clone)]
pub enum Percentages {
    /// The .xlsx styles (indexes into `cellXfs`) that show a number as a percentage.
    Xlsx(HashSet<u32>),
    Ods,
}

/// Every `<...>` tag of an XML text, in order, as bytes (`<c r="A1" s="2">`, `</row>`).
pub fn tags(xml: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let open = at + xml.get(at..)?.iter().position(|&b| b == b'<')?;
        let len = xml[open..].iter().position(|&b| b == b'>')?;
        at = open + len + 1;
        Some(&xml[open..at])
    })
}

/// An attribute's value in a tag (`attr(b"<c r=\"A1\">", b"r")` is `A1`).
pub fn attr<'t>(tag: &'t [u8], name: &[u8]) -> Option<&'t [u8]> {
    let mut key = b" ".to_vec();
    key.extend_from_slice(name);
    key.extend_from_slice(b"=\"");
    let at = tag.windows(key.len()).position(|w| w == key.as_slice())? + key.len();
    let len = tag[at..].iter().position(|&b| b == b'"')?;
    Some(&tag[at..at + len])
}

fn number<T: std::str::FromStr>(bytes: &[u8]) -> Option<T> {
    std::str::from_utf8(bytes).ok()?.trim().parse().ok()
}

fn part(archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>, name: &str, limit: u64) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    archive.by_name(name).ok()?.take(limit).read_to_end(&mut out).ok()?;
    Some(out)
}

/// Whether the workbook marks any cell as a percentage, and how.
pub fn find(bytes: &[u8]) -> Option<Percentages> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    if let Some(styles) = part(&mut archive, "xl/styles.xml", 16 * MB) {
        let styles = percent_styles(&styles);
        return (!styles.is_empty()).then_some(Percentages::Xlsx(styles));
    }
    let content = part(&mut archive, "content.xml", super::table::MAX_PART_BYTES)?;
    let marker = b"office:value-type=\"percentage\"";
    content.windows(marker.len()).any(|w| w == marker).then_some(Percentages::Ods)
}

/// The styles of an .xlsx `styles.xml` whose number format is a percentage.
fn percent_styles(xml: &[u8]) -> HashSet<u32> {
    // Built-in formats 9 (`0%`) and 10 (`0.00%`); a workbook's own formats are listed by number.
    let mut formats: HashSet<u32> = [9, 10].into();
    let mut styles = HashSet::new();
    let (mut in_xfs, mut index) = (false, 0u32);
    for tag in tags(xml) {
        match super::table::tag_name(tag) {
            b"numFmt" => {
                let code = attr(tag, b"formatCode").unwrap_or_default();
                if code.contains(&b'%')
                    && let Some(id) = attr(tag, b"numFmtId").and_then(number)
                {
                    formats.insert(id);
                }
            }
            b"cellXfs" => in_xfs = !tag.ends_with(b"/>"),
            b"/cellXfs" => in_xfs = false,
            b"xf" if in_xfs => {
                if attr(tag, b"numFmtId").and_then(number).is_some_and(|id| formats.contains(&id)) {
                    styles.insert(index);
                }
                index += 1;
            }
            _ => {}
        }
    }
    styles
}

/// The cells (row, column, from 0) of the named sheet that show a percentage.
pub fn cells(bytes: &[u8], kind: &Percentages, sheet: &str) -> HashSet<(usize, usize)> {
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else { return HashSet::new() };
    match kind {
        Percentages::Xlsx(styles) => {
            let parts = super::table::sheet_parts(&mut archive);
            let Some(name) = parts.iter().find(|(_, n)| *n == sheet).map(|(p, _)| p.clone()) else {
                return HashSet::new();
            };
            part(&mut archive, &name, super::table::MAX_PART_BYTES)
                .map_or_else(HashSet::new, |xml| xlsx_cells(&xml, styles))
        }
        Percentages::Ods => part(&mut archive, "content.xml", super::table::MAX_PART_BYTES)
            .map_or_else(HashSet::new, |xml| ods_cells(&xml, sheet)),
    }
}

/// `C4` → (3, 2).
fn reference(r: &[u8]) -> Option<(usize, usize)> {
    let letters = r.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let col = r[..letters].iter().fold(0usize, |n, b| n * 26 + usize::from(b.to_ascii_uppercase() - b'A' + 1));
    let row: usize = number(&r[letters..])?;
    Some((row.checked_sub(1)?, col - 1))
}

fn xlsx_cells(xml: &[u8], styles: &HashSet<u32>) -> HashSet<(usize, usize)> {
    let mut out = HashSet::new();
    // Rows and cells without a reference follow the one before, as the reader places them.
    let (mut row, mut col): (Option<usize>, Option<usize>) = (None, None);
    for tag in tags(xml) {
        match super::table::tag_name(tag) {
            b"row" => {
                row = Some(
                    attr(tag, b"r").and_then(number::<usize>).map_or(row.map_or(0, |r| r + 1), |r| r.saturating_sub(1)),
                );
                col = None;
            }
            b"c" => {
                let at = attr(tag, b"r").and_then(reference).unwrap_or((row.unwrap_or(0), col.map_or(0, |c| c + 1)));
                (row, col) = (Some(at.0), Some(at.1));
                if out.len() < MAX_NOTED && attr(tag, b"s").and_then(number).is_some_and(|s| styles.contains(&s)) {
                    out.insert(at);
                }
            }
            _ => {}
        }
    }
    out
}

fn ods_cells(xml: &[u8], sheet: &str) -> HashSet<(usize, usize)> {
    let mut out = HashSet::new();
    let (mut inside, mut row, mut col, mut row_repeat) = (false, 0usize, 0usize, 1usize);
    let repeat = |tag: &[u8], name: &[u8]| attr(tag, name).and_then(number::<usize>).unwrap_or(1).max(1);
    for tag in tags(xml) {
        let closed = tag.ends_with(b"/>");
        match super::table::tag_name(tag) {
            b"table:table" => {
                inside = attr(tag, b"table:name").is_some_and(|n| unescape(n) == sheet);
                row = 0;
            }
            b"/table:table" => inside = false,
            b"table:table-row" if inside => {
                (col, row_repeat) = (0, repeat(tag, b"table:number-rows-repeated"));
                if closed {
                    row = row.saturating_add(row_repeat);
                }
            }
            b"/table:table-row" if inside => row = row.saturating_add(row_repeat),
            b"table:table-cell" | b"table:covered-table-cell" if inside => {
                let n = repeat(tag, b"table:number-columns-repeated");
                if attr(tag, b"office:value-type") == Some(b"percentage") {
                    for r in row..row.saturating_add(row_repeat) {
                        for c in col..col.saturating_add(n) {
                            if out.len() >= MAX_NOTED {
                                return out;
                            }
                            out.insert((r, c));
                        }
                    }
                }
                col = col.saturating_add(n);
            }
            _ => {}
        }
    }
    out
}

fn unescape(text: &[u8]) -> String {
    String::from_utf8_lossy(text)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_styles_are_the_cell_formats_that_show_a_percentage() {
        let xml = br#"<styleSheet><numFmts count="2"><numFmt numFmtId="164" formatCode="0.0%"/><numFmt numFmtId="165" formatCode="hh:mm"/></numFmts><cellStyleXfs count="1"><xf numFmtId="9"/></cellStyleXfs><cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="9" applyNumberFormat="1"/><xf numFmtId="165"/><xf numFmtId="164"><alignment/></xf><xf numFmtId="10"/></cellXfs></styleSheet>"#;
        assert_eq!(percent_styles(xml), [1, 3, 4].into());
    }

    #[test]
    fn percentage_cells_are_found_where_the_reader_places_them() {
        let styles: HashSet<u32> = [1].into();
        let xml = br#"<sheetData><row r="2"><c r="C2" s="1"><v>3</v></c><c s="1"><v>3</v></c></row><row><c s="0"/><c s="1"/></row></sheetData>"#;
        assert_eq!(xlsx_cells(xml, &styles), [(1, 2), (1, 3), (2, 1)].into());
        let ods = br#"<table:table table:name="B"><table:table-row><table:table-cell office:value-type="percentage"/></table:table-row></table:table><table:table table:name="A &amp; B"><table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="2"/><table:table-cell office:value-type="percentage" office:value="3"><text:p>300%</text:p></table:table-cell></table:table-row><table:table-row><table:covered-table-cell/><table:table-cell office:value-type="percentage"/></table:table-row></table:table>"#;
        assert_eq!(ods_cells(ods, "A & B"), [(0, 2), (1, 2), (2, 1)].into());
    }
}
