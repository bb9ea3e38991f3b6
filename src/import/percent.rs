//! How a workbook shows its numbers, where the reader does not say. The reader gives a cell's
//! value without its number format, so a cell that shows "300%" holds 3, and would be read as
//! level 3 (or three people); one that shows "3 1/2" (a fraction format) holds 3.5, and one that
//! shows TRUE (a format of text alone, as LibreOffice saves a true/false cell in an .xlsx file)
//! holds 1. The formats are read here, from the workbook's own parts: an .xlsx cell's style
//! (`xl/styles.xml`: built-in formats 9 and 10, 12 and 13, or a format of its own with a `%`, a
//! fraction or text alone), an .ods cell's `office:value-type="percentage"` and the text it shows
//! (noted by [`super::layout`] in its pass over the sheets). Only an .xlsx workbook that has such a
//! format is read twice.

use std::collections::{HashMap, HashSet};
use std::io::Read;

/// At most this many percentage cells are noted in one sheet; a sheet already holds at most
/// [`super::table::MAX_CELLS`].
const MAX_NOTED: usize = 1_000_000;

const MB: u64 = 1024 * 1024;

/// How a number format shows a number, for the formats that show it as something other than
/// the number itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    /// "300%" for 3.
    Percent,
    /// "3 1/2" for 3.5 (`# ?/?`), or "7/2" without a whole part (`?/?`).
    Fraction(Fraction),
    /// Text alone, for positive, negative and zero numbers: `"TRUE";"TRUE";"FALSE"` shows TRUE
    /// for 1.
    Text([String; 3]),
}

/// A fraction format: whether it shows a whole part, and its denominators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fraction {
    whole: bool,
    /// A denominator of its own (`?/8`), or the largest of so many digits (`??` is 99).
    denominator: Denominator,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Denominator {
    Fixed(u32),
    AtMost(u32),
}

impl Shown {
    /// `n` as the format shows it; None for a percentage (told in its own words).
    pub fn show(&self, n: f64) -> Option<String> {
        match self {
            Shown::Percent => None,
            Shown::Fraction(f) => Some(f.show(n)),
            Shown::Text([positive, negative, zero]) => Some(
                if n > 0.0 {
                    positive
                } else if n < 0.0 {
                    negative
                } else {
                    zero
                }
                .clone(),
            ),
        }
    }
}

impl Fraction {
    /// As a spreadsheet shows it: 3.5 → "3 1/2"; 3 → "3"; 0.25 → "1/4"; 3.5 without a whole
    /// part → "7/2".
    pub fn show(&self, n: f64) -> String {
        if !n.is_finite() {
            return n.to_string();
        }
        let sign = if n < 0.0 { "-" } else { "" };
        let a = n.abs();
        let (mut whole, part) = if self.whole { (a.trunc(), a.fract()) } else { (0.0, a) };
        let (mut numerator, denominator) = match self.denominator {
            Denominator::Fixed(d) => ((part * f64::from(d)).round(), d),
            Denominator::AtMost(most) => {
                // The nearest fraction of at most `most`, the smallest denominator of a tie.
                let mut best = (f64::INFINITY, 0.0, 1);
                for d in 1..=most.max(1) {
                    let top = (part * f64::from(d)).round();
                    let off = (part - top / f64::from(d)).abs();
                    if off < best.0 - 1e-12 {
                        best = (off, top, d);
                    }
                }
                (best.1, best.2)
            }
        };
        if self.whole && numerator >= f64::from(denominator) {
            whole += 1.0;
            numerator = 0.0;
        }
        let whole_text = super::table::Cell::Number(whole).text();
        let numerator_text = super::table::Cell::Number(numerator).text();
        match (self.whole, numerator == 0.0) {
            (true, true) => format!("{sign}{whole_text}"),
            (true, false) if whole == 0.0 => format!("{sign}{numerator_text}/{denominator}"),
            (true, false) => format!("{sign}{whole_text} {numerator_text}/{denominator}"),
            (false, _) => format!("{sign}{numerator_text}/{denominator}"),
        }
    }
}

/// How an .xlsx workbook shows its numbers, when it has any format this module knows.
#[derive(Debug, Clone)]
pub struct Formats {
    /// The .xlsx styles (indexes into `cellXfs`) whose number format shows a number as
    /// something other than the number itself.
    styles: HashMap<u32, Shown>,
}

impl Formats {
    pub fn shown(&self, style: u32) -> Option<&Shown> {
        self.styles.get(&style)
    }
}

/// A format code's sections (`0;-0;"zero"`), split at the `;`s outside quotes.
fn sections(code: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let (mut quoted, mut escaped) = (false, false);
    for c in code.chars() {
        let last = out.last_mut().expect("one section at least");
        if escaped {
            escaped = false;
            last.push(c);
            continue;
        }
        match c {
            '"' => quoted = !quoted,
            '\\' if !quoted => escaped = true,
            ';' if !quoted => {
                out.push(String::new());
                continue;
            }
            _ => {}
        }
        last.push(c);
    }
    out
}

/// A section's parts outside quotes, escapes, `[...]` (a colour, a condition) and the spacing
/// codes `_x` and `*x`: what the format reads from the number; and the text it shows as it is.
fn section_parts(section: &str) -> (String, String) {
    let (mut codes, mut text) = (String::new(), String::new());
    let mut chars = section.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                    text.push(q);
                }
            }
            '\\' => text.extend(chars.next()),
            '[' => {
                for q in chars.by_ref() {
                    if q == ']' {
                        break;
                    }
                }
            }
            '_' | '*' => {
                chars.next();
            }
            _ => codes.push(c),
        }
    }
    (codes, text)
}

/// What a format code shows, when it is one of those this module knows: a percentage, a
/// fraction, or text alone.
fn classify(code: &str) -> Option<Shown> {
    let sections = sections(code);
    let first = section_parts(sections.first()?);
    if first.0.contains('%') {
        return Some(Shown::Percent);
    }
    let placeholder = |c: char| matches!(c, '0' | '#' | '?');
    // A fraction: placeholders (or a denominator's digits) on both sides of a `/`, and no
    // letter of a date or a time.
    if let Some((before, after)) = first.0.split_once('/')
        && before.chars().any(placeholder)
        && !first.0.chars().any(|c| c.is_ascii_alphabetic())
    {
        let after = after.trim();
        let denominator = if let Ok(d) = after.trim_end_matches(|c: char| !c.is_ascii_digit()).parse::<u32>()
            && after.starts_with(|c: char| c.is_ascii_digit() && c != '0')
        {
            Denominator::Fixed(d)
        } else {
            let digits = after.chars().take_while(|&c| placeholder(c)).count();
            if digits == 0 {
                return None;
            }
            Denominator::AtMost(10u32.pow(digits.min(3) as u32) - 1)
        };
        // `# ?/?`: a group of placeholders, then something else, then the numerator's.
        let before = before.trim_end();
        let numerator_start = before.trim_end_matches(placeholder).len();
        let whole = before[..numerator_start].chars().any(placeholder);
        return Some(Shown::Fraction(Fraction { whole, denominator }));
    }
    // Text alone in every section (`"TRUE";"TRUE";"FALSE"`): nothing of the number is shown.
    let parts: Vec<(String, String)> = sections.iter().map(|s| section_parts(s)).collect();
    let text_alone =
        parts.iter().all(|(codes, _)| codes.trim().is_empty()) && parts.iter().any(|(_, text)| !text.trim().is_empty());
    if text_alone && parts.len() <= 4 {
        let pick = |i: usize| parts.get(i).or(parts.first()).map(|(_, t)| t.trim().to_string()).unwrap_or_default();
        return Some(Shown::Text([pick(0), pick(1), pick(2)]));
    }
    None
}

/// Every `<...>` tag of an XML text, in order, as bytes (`<c r="A1" s="2">`, `</row>`).
pub fn tags(xml: &[u8]) -> impl Iterator<Item = &[u8]> {
    tags_ending(xml).map(|(_, tag)| tag)
}

/// [`tags`], each with the offset just after it (where the text that follows it starts).
pub fn tags_ending(xml: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let open = at + xml.get(at..)?.iter().position(|&b| b == b'<')?;
        let len = xml[open..].iter().position(|&b| b == b'>')?;
        at = open + len + 1;
        Some((at, &xml[open..at]))
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

/// Whether the workbook shows any cell as a percentage, a fraction or text alone, and with
/// which styles.
pub fn find(bytes: &[u8]) -> Option<Formats> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    if let Some(styles) = part(&mut archive, "xl/styles.xml", 16 * MB) {
        let styles = shown_styles(&styles);
        return (!styles.is_empty()).then_some(Formats { styles });
    }
    // An .ods file's percentage cells, and the text its other number cells show, are noted by
    // [`super::layout`], in its one pass over them.
    None
}

/// The styles of an .xlsx `styles.xml` whose number format shows a number as something other
/// than the number itself.
fn shown_styles(xml: &[u8]) -> HashMap<u32, Shown> {
    // Built-in formats 9 (`0%`), 10 (`0.00%`), 12 (`# ?/?`) and 13 (`# ??/??`); a workbook's own
    // formats are listed by number.
    let mut formats: HashMap<u32, Shown> = [(9, "0%"), (10, "0.00%"), (12, "# ?/?"), (13, "# ??/??")]
        .into_iter()
        .filter_map(|(id, code)| Some((id, classify(code)?)))
        .collect();
    let mut styles = HashMap::new();
    let (mut in_xfs, mut index) = (false, 0u32);
    for tag in tags(xml) {
        match super::table::tag_name(tag) {
            b"numFmt" => {
                let code = unescape(attr(tag, b"formatCode").unwrap_or_default());
                if let Some(id) = attr(tag, b"numFmtId").and_then(number) {
                    match classify(&code) {
                        Some(shown) => formats.insert(id, shown),
                        None => formats.remove(&id),
                    };
                }
            }
            b"cellXfs" => in_xfs = !tag.ends_with(b"/>"),
            b"/cellXfs" => in_xfs = false,
            b"xf" if in_xfs => {
                if let Some(shown) = attr(tag, b"numFmtId").and_then(number).and_then(|id: u32| formats.get(&id)) {
                    styles.insert(index, shown.clone());
                }
                index += 1;
            }
            _ => {}
        }
    }
    styles
}

/// The cells (row, column, from 0) of the named sheet whose style is one of `formats`', with
/// their style.
pub fn cells(bytes: &[u8], formats: &Formats, sheet: &str) -> HashMap<(usize, usize), u32> {
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else { return HashMap::new() };
    let parts = super::table::sheet_parts(&mut archive);
    let Some(name) = parts.iter().find(|(_, n)| *n == sheet).map(|(p, _)| p.clone()) else {
        return HashMap::new();
    };
    let styles: HashSet<u32> = formats.styles.keys().copied().collect();
    part(&mut archive, &name, super::table::MAX_PART_BYTES).map_or_else(HashMap::new, |xml| xlsx_cells(&xml, &styles))
}

/// `C4` → (3, 2).
pub(super) fn reference(r: &[u8]) -> Option<(usize, usize)> {
    let letters = r.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let col = r[..letters].iter().fold(0usize, |n, b| n * 26 + usize::from(b.to_ascii_uppercase() - b'A' + 1));
    let row: usize = number(&r[letters..])?;
    Some((row.checked_sub(1)?, col - 1))
}

fn xlsx_cells(xml: &[u8], styles: &HashSet<u32>) -> HashMap<(usize, usize), u32> {
    let mut out = HashMap::new();
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
                if out.len() < MAX_NOTED
                    && let Some(s) = attr(tag, b"s").and_then(number).filter(|s| styles.contains(s))
                {
                    out.insert(at, s);
                }
            }
            _ => {}
        }
    }
    out
}

pub(super) fn unescape(text: &[u8]) -> String {
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
        let styles = shown_styles(xml);
        assert_eq!(styles.keys().copied().collect::<HashSet<_>>(), [1, 3, 4].into());
        assert!(styles.values().all(|s| *s == Shown::Percent));
    }

    /// Outside round 8 of issue 18: a level formatted as a fraction (`# ?/?`, showing "3 1/2")
    /// was quoted as 3.5, and a true/false cell saved as 1 with a format of text alone as 1.
    #[test]
    fn fractions_and_formats_of_text_alone_are_shown_as_the_sheet_shows_them() {
        let xml = br#"<styleSheet><numFmts count="3"><numFmt numFmtId="164" formatCode="&quot;TRUE&quot;;&quot;TRUE&quot;;&quot;FALSE&quot;"/><numFmt numFmtId="165" formatCode="?/8"/><numFmt numFmtId="166" formatCode="d/m/yyyy"/></numFmts><cellXfs count="5"><xf numFmtId="12"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/><xf numFmtId="13"/></cellXfs></styleSheet>"#;
        let styles = shown_styles(xml);
        let show = |style: u32, n: f64| styles[&style].show(n).unwrap();
        assert_eq!(show(0, 3.5), "3 1/2");
        assert_eq!(show(0, 3.0), "3");
        assert_eq!(show(0, 0.25), "1/4");
        assert_eq!(show(0, -2.75), "-2 3/4");
        assert_eq!(show(0, 2.97), "3", "rounded up to the next whole number");
        assert_eq!(show(4, std::f64::consts::PI), "3 14/99");
        assert_eq!(show(1, 1.0), "TRUE");
        assert_eq!(show(1, 0.0), "FALSE");
        assert_eq!(show(2, 3.5), "28/8");
        assert!(!styles.contains_key(&3), "a date is not a fraction");
        assert_eq!(classify("0.00"), None);
        assert_eq!(classify("General"), None);
        assert_eq!(classify("#,##0"), None);
        assert_eq!(classify("@"), None);
        assert_eq!(classify("\"Level \"0"), None);
    }

    #[test]
    fn percentage_cells_are_found_where_the_reader_places_them() {
        let styles: HashSet<u32> = [1].into();
        let xml = br#"<sheetData><row r="2"><c r="C2" s="1"><v>3</v></c><c s="1"><v>3</v></c></row><row><c s="0"/><c s="1"/></row></sheetData>"#;
        assert_eq!(xlsx_cells(xml, &styles), [((1, 2), 1), ((1, 3), 1), ((2, 1), 1)].into());
    }
}
