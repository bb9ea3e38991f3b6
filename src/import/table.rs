//! A spreadsheet or CSV file as a grid of cells, read from memory: the bytes come through
//! [`crate::load::read_regular`] (the only reader of files), and calamine or csv parse them.
//! Cells are named as a spreadsheet names them (`Starts!C4`), so every problem points at one.

use crate::error::Diagnostic;
use std::path::Path;

/// A spreadsheet larger than this is refused: an export of a few hundred thousand people is
/// far below it, and a larger file is a mistake (or a compressed bomb) rather than an export.
pub const MAX_SPREADSHEET_BYTES: u64 = 64 * 1024 * 1024;

/// An .xlsx or .ods file is a zip of parts (each sheet, the shared text): one part may unpack
/// to at most this much, and all of them together to at most [`MAX_UNPACKED_BYTES`]. Checked
/// part by part while unpacking into nothing, before the file is read, so a compressed bomb is
/// refused in bounded memory whatever sizes its parts declare.
pub const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;
pub const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;
/// An old-format .xls file is not compressed, but its reader holds it whole: a smaller cap.
pub const MAX_XLS_BYTES: u64 = 32 * 1024 * 1024;

const MB: u64 = 1024 * 1024;

/// One cell's value, as the file gave it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    /// A date, as a person reads it ("5 Apr 2025"): a spreadsheet may turn "4/5" into one.
    Date(String),
    /// A time of day or a duration, as the sheet shows it ("04:05", "30:00"): a spreadsheet
    /// may turn "4:5" or "4.05" into one.
    Time(String),
    /// A spreadsheet's error value (`#N/A`, `#REF!`): a formula that failed.
    Error(String),
    /// A spreadsheet error (`#REF!`) or another value with no place in a count.
    Other(String),
}

/// The error values a spreadsheet shows for a formula that failed, as a CSV file holds them.
const ERROR_VALUES: [&str; 14] = [
    "#N/A",
    "#REF!",
    "#VALUE!",
    "#DIV/0!",
    "#NAME?",
    "#NUM!",
    "#NULL!",
    "#DATA!",
    "#SPILL!",
    "#CALC!",
    "#FIELD!",
    "#GETTING_DATA",
    "#BLOCKED!",
    "#UNKNOWN!",
];

/// The error values of newer spreadsheet programs, which the reader does not know: a sheet that
/// holds one has its error cells read as text (an error at its cell when its column is read).
fn newer_errors_as_text(bytes: &[u8]) -> Option<Vec<u8>> {
    use std::io::{Read, Write};
    let newer = &ERROR_VALUES[8..];
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let mut parts = Vec::new();
    let mut changed = false;
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).ok()?;
        let name = part.name().unwrap_or_default().to_string();
        let mut data = Vec::new();
        part.read_to_end(&mut data).ok()?;
        if name == "content.xml" {
            // An .ods error cell may be stored as a number (`office:value-type="float"
            // office:value="0" calcext:value-type="error"`, shown `#DIV/0!`): it is read as the
            // text it shows, an error value, not as 0.
            // A currency cell ("£3.00") is read as the text it shows too: a level or a count
            // that shows as money is an error at its cell, as a percentage is, not 3.
            let text = String::from_utf8_lossy(&data);
            if text.contains("calcext:value-type=\"error\"") || text.contains(CURRENCY) {
                data = ods_errors_as_text(&text).into_bytes();
                changed = true;
            }
        } else if name.starts_with("xl/") && name.ends_with(".xml") {
            let text = String::from_utf8_lossy(&data);
            if text.contains(" t=\"e\"") && newer.iter().any(|e| text.contains(&format!(">{e}<"))) {
                data = text.replace(" t=\"e\"", " t=\"str\"").into_bytes();
                changed = true;
            }
        }
        parts.push((name, data));
    }
    if !changed {
        return None;
    }
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in parts {
        out.start_file(name, zip::write::SimpleFileOptions::default()).ok()?;
        out.write_all(&data).ok()?;
    }
    out.finish().ok().map(std::io::Cursor::into_inner)
}

const CURRENCY: &str = "office:value-type=\"currency\"";

/// An .ods `content.xml` with each cell marked `calcext:value-type="error"` (or of type
/// currency) made a text cell
/// (its shown text, `#DIV/0!`, is then read), whatever value type it was stored with.
fn ods_errors_as_text(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let Some(len) = rest[open..].find('>') else {
            rest = &rest[open..];
            break;
        };
        let tag = &rest[open..=open + len];
        if tag.starts_with("<table:table-cell")
            && (tag.contains("calcext:value-type=\"error\"") || tag.contains(CURRENCY))
        {
            // Each value and its type go (a value's text may hold spaces: cut by its quotes);
            // then the type "string".
            let mut t = tag.to_string();
            for name in
                ["office:value-type", "office:value", "office:boolean-value", "office:date-value", "office:time-value"]
            {
                let key = format!(" {name}=\"");
                if let Some(at) = t.find(&key)
                    && let Some(len) = t[at + key.len()..].find('"')
                {
                    t.replace_range(at..at + key.len() + len + 1, "");
                }
            }
            out.push_str(&t.replacen("<table:table-cell", "<table:table-cell office:value-type=\"string\"", 1));
        } else {
            out.push_str(tag);
        }
        rest = &rest[open + len + 1..];
    }
    out.push_str(rest);
    out
}

impl Cell {
    /// The spreadsheet error value the cell holds (`#N/A`), read from a workbook or as a CSV
    /// file's text.
    pub fn error_value(&self) -> Option<String> {
        match self {
            Cell::Error(e) => Some(e.clone()),
            Cell::Text(t) => ERROR_VALUES.iter().find(|v| t.trim().eq_ignore_ascii_case(v)).map(|v| v.to_string()),
            _ => None,
        }
    }

    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text, as a person would read it (`3` rather than `3.0`).
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.trim().to_string(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            // As a spreadsheet shows a true/false cell.
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Cell::Date(d) | Cell::Time(d) | Cell::Error(d) | Cell::Other(d) => d.clone(),
        }
    }
}

/// One sheet: `rows[0][0]` is cell A1.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
    /// The cells (row, column, from 0) that hold a formula: their value is whatever the program
    /// that saved the file last computed, if it computed anything.
    pub formulas: std::collections::HashSet<(usize, usize)>,
    /// A CSV file's separator, and whether it was guessed (not named by a `sep=` line).
    pub separator: Option<(char, bool)>,
    /// The cells (row, column, from 0) shown as a percentage: "300%" holds 3.
    pub percent: std::collections::HashSet<(usize, usize)>,
    /// Its hidden rows and merged cells, which the reader does not tell.
    pub layout: super::layout::Layout,
    /// The number cells (row, column, from 0) that the sheet shows as something other than the
    /// number itself, with what it shows: "3 1/2" for 3.5 in a fraction format, TRUE for 1 in
    /// a format of text alone (a percentage is in [`Sheet::percent`]).
    pub shown: std::collections::HashMap<(usize, usize), String>,
}

impl Sheet {
    pub fn cell(&self, row: usize, col: usize) -> &Cell {
        self.rows.get(row).and_then(|r| r.get(col)).unwrap_or(&Cell::Empty)
    }

    /// A cell's text as the sheet shows it: TRUE for a true/false cell, "3 1/2" for 3.5 in a
    /// fraction format, "300%" for 3 as a percentage, else [`Cell::text`].
    pub fn shown(&self, row: usize, col: usize) -> String {
        if let Some(s) = self.shown.get(&(row, col)) {
            return s.clone();
        }
        match self.cell(row, col) {
            Cell::Number(n) if self.percent.contains(&(row, col)) => percent_words(*n),
            c => c.text(),
        }
    }

    /// Whether the sheet shows a number cell as something other than the number (a fraction,
    /// TRUE or FALSE, a percentage): it is not read as the number it holds.
    pub fn shown_otherwise(&self, row: usize, col: usize) -> bool {
        matches!(self.cell(row, col), Cell::Number(_))
            && (self.percent.contains(&(row, col))
                || self.shown.get(&(row, col)).is_some_and(|s| *s != self.cell(row, col).text()))
    }

    /// `Starts!C4` for row 3, column 2 (both counted from 0); names that a spreadsheet would
    /// quote are quoted (`'Functional skills'!C4`).
    pub fn at(&self, row: usize, col: usize) -> String {
        self.name_cell(&format!("{}{}", column_name(col), row + 1))
    }

    /// `Starts!C4` for the cell named `C4`.
    pub fn name_cell(&self, cell: &str) -> String {
        let plain = self.name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        // A very long name (a sheet's name may be any length in a hand-made file) is cut short.
        let mut name: String = self.name.chars().take(80).collect();
        if name.len() < self.name.len() {
            name.push('…');
        }
        let name = super::words::shown(&name);
        let sheet = if plain { name } else { format!("'{}'", name.replace('\'', "''")) };
        format!("{sheet}!{cell}")
    }
}

/// Why a file could not be read or written, in words (no "os error 2").
pub fn plain_io(e: &std::io::Error) -> String {
    crate::error::plain_io(e)
}

/// A, B, ..., Z, AA, AB, ...
pub fn column_name(col: usize) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// How to save a CSV file that a program other than Excel can read, in Excel's own words.
pub(crate) const SAVE_AS_UTF8: &str =
    "save it as CSV UTF-8 (Excel: File > Save As > CSV UTF-8 (Comma delimited)), or as .xlsx";

/// A CSV file that is not UTF-8, most often one Excel saved as plain "CSV" in Windows' own
/// encoding (cp1252, "ANSI"), where `£`, `é` or a curly quote is one byte: told at the line of
/// the first such byte, with the character it most likely is, and how to save it again. A file
/// saved as "Unicode Text" (UTF-16) is told as such. `how` says how to save it again.
pub(crate) fn not_utf8(file: &Path, bytes: &[u8], valid_up_to: usize, how: &str) -> Diagnostic {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Diagnostic::new(file, format!("the file is saved as Unicode Text (UTF-16), which is not UTF-8: {how}"));
    }
    // Lines end with `\n`, or with `\r` alone in a file saved by an old Mac program.
    let end = if bytes.contains(&b'\n') { b'\n' } else { b'\r' };
    let line = bytes[..valid_up_to].iter().filter(|&&b| b == end).count() as u64 + 1;
    let column = bytes[..valid_up_to]
        .rsplit(|&b| b == end)
        .next()
        .map_or(0, |l| String::from_utf8_lossy(l).chars().count() as u64)
        + 1;
    let shown = bytes.get(valid_up_to).and_then(|&b| windows_1252(b)).map(|c| format!(" (`{c}`?)")).unwrap_or_default();
    Diagnostic::new(
        file,
        format!(
            "the file is not saved as UTF-8 text: line {line} holds a character{shown} in another encoding, most \
             likely Windows' own (\"ANSI\", what Excel's plain \"CSV\" saves); {how}"
        ),
    )
    .at(line, column)
}

/// The character byte `b` stands for in Windows' Western encoding (cp1252), for bytes that are
/// not ASCII; `None` for the five bytes it leaves undefined.
fn windows_1252(b: u8) -> Option<char> {
    const HIGH: [char; 32] = [
        '€', '\0', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\0', 'Ž', '\0', '\0', '‘', '’', '“', '”',
        '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\0', 'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => Some(HIGH[(b - 0x80) as usize]).filter(|&c| c != '\0'),
        0xA0..=0xFF => char::from_u32(b as u32).filter(|c| !c.is_whitespace()),
        _ => None,
    }
}

fn read_csv(file: &Path, name: String, bytes: &[u8]) -> Result<Sheet, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(bytes) {
        return Err(not_utf8(file, bytes, e.valid_up_to(), SAVE_AS_UTF8));
    }
    // Spreadsheets set to a European locale save CSV with semicolons, and "Text (Tab
    // delimited)" with tabs: the separator is guessed from the first rows ([`guess_separator`]). Excel's own
    // hint line (`sep=;`), which it hides when it opens the file, names it and is not a row.
    let first = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let first = first.strip_suffix(b"\r").unwrap_or(first);
    let (bytes, delimiter, guessed) = match first.strip_prefix(b"sep=") {
        Some([d]) => {
            let rest = &bytes[first.len().min(bytes.len())..];
            let rest = rest.strip_prefix(b"\r").unwrap_or(rest);
            (rest.strip_prefix(b"\n").unwrap_or(rest), *d, false)
        }
        _ => (bytes, guess_separator(bytes), true),
    };
    if let Some((row, column)) = unclosed_quote(bytes, delimiter) {
        return Err(Diagnostic::new(
            file,
            "a quote (\") opens a cell here and is never closed, so the rest of the file would be read as one cell: close the quote, or remove it",
        )
        .field(Sheet { name, ..Sheet::default() }.name_cell(&format!("{}{row}", column_name(column)))));
    }
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(bytes);
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut cells = 0u64;
    let mut record = csv::StringRecord::new();
    // Blank lines, which the reader skips, are rows of a spreadsheet that opens the file, and
    // are kept so that rows are numbered as it numbers them.
    loop {
        let i = rows.len();
        let read = reader.read_record(&mut record).map_err(|_| {
            Diagnostic::new(
                file,
                format!(
                    "row {}: this row cannot be read; save the file again as \"CSV UTF-8 (comma delimited)\"",
                    i + 1
                ),
            )
        })?;
        if !read {
            break;
        }
        // The record's position is where the reader began, before the blank lines it skipped.
        let start = record.position().map_or(bytes.len(), |p| (p.byte() as usize).min(bytes.len()));
        let blank = blank_lines(bytes, start);
        // Each blank line counts as a cell towards the limit (it is held as a row).
        cells += blank;
        if cells <= MAX_CELLS {
            rows.extend((0..blank).map(|_| Vec::new()));
        }
        let i = rows.len();
        cells += record.len() as u64;
        if cells > MAX_CELLS {
            return Err(Diagnostic::new(
                file,
                format!(
                    "the file has more than {MAX_CELLS} cells (by row {}), far more than an export of apprentices needs: it may be damaged; check that it is the export you meant",
                    i + 1
                ),
            ));
        }
        rows.push(
            record.iter().map(|f| if f.trim().is_empty() { Cell::Empty } else { Cell::Text(f.to_string()) }).collect(),
        );
    }
    Ok(Sheet { name, rows, separator: Some((delimiter as char, guessed)), ..Sheet::default() })
}

/// The blank lines before the record that begins at `start`: its line ends, each of CRLF, a lone
/// LF or a lone CR counting as one, as a spreadsheet counts them. A record's position can fall
/// between the CR and LF that end the row before it: that LF is the end of that row, not a line.
fn blank_lines(bytes: &[u8], start: usize) -> u64 {
    let mut i = start;
    if i > 0 && bytes.get(i - 1) == Some(&b'\r') && bytes.get(i) == Some(&b'\n') {
        i += 1;
    }
    let mut lines = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => i += 2,
            b'\r' | b'\n' => i += 1,
            _ => break,
        }
        lines += 1;
    }
    lines
}

/// The separator of a CSV file: of commas, semicolons and tabs, the one that splits its first
/// few non-blank rows into the same number of cells (more than one), counted outside quotes, so
/// that a quoted heading holding commas ("Level (2, 3, 4/5, 6/7)") does not decide it. When none
/// is consistent, the one that splits the first row into the most cells; commas when even.
fn guess_separator(bytes: &[u8]) -> u8 {
    const ROWS: usize = 5;
    let cells = |delimiter: u8| -> Vec<usize> {
        let mut counts = Vec::new();
        let (mut n, mut quoted, mut at_cell_start, mut any) = (1usize, false, true, false);
        let mut i = 0;
        while i < bytes.len() && counts.len() < ROWS {
            let b = bytes[i];
            if quoted {
                if b == b'"' {
                    if bytes.get(i + 1) == Some(&b'"') {
                        i += 1;
                    } else {
                        quoted = false;
                    }
                }
            } else if b == b'"' && at_cell_start {
                quoted = true;
                any = true;
            } else if b == delimiter {
                n += 1;
                any = true;
                at_cell_start = true;
                i += 1;
                continue;
            } else if b == b'\n' || b == b'\r' {
                if any {
                    counts.push(n);
                }
                (n, any, at_cell_start) = (1, false, true);
                i += 1;
                continue;
            } else if !b.is_ascii_whitespace() {
                any = true;
            }
            at_cell_start = false;
            i += 1;
        }
        if any && counts.len() < ROWS {
            counts.push(n);
        }
        counts
    };
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|&d| {
            let counts = cells(d);
            let first = counts.first().copied().unwrap_or(1);
            let consistent = first > 1 && counts.iter().all(|&c| c == first);
            (consistent, first, d == b',')
        })
        .unwrap_or(b',')
}

/// A separator in words, for a message.
pub fn separator_words(separator: char) -> &'static str {
    match separator {
        ';' => "semicolons (;)",
        '\t' => "tabs",
        ',' => "commas (,)",
        _ => "another character",
    }
}

/// Refuse a workbook that would unpack to more than the limits (see [`MAX_PART_BYTES`]).
fn check_unpacked_size(file: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    use std::io::Read;
    if bytes.starts_with(&OLE) {
        if bytes.len() as u64 > MAX_XLS_BYTES {
            return Err(Diagnostic::new(
                file,
                format!(
                    "this old-format Excel file (.xls) is larger than {} MB, which is far more than an export of apprentices needs: save it as .xlsx or .csv",
                    MAX_XLS_BYTES / MB
                ),
            ));
        }
        return Ok(());
    }
    if !bytes.starts_with(b"PK") {
        return Ok(());
    }
    let unreadable =
        || Diagnostic::new(file, "this is not a spreadsheet that can be read: save it as .xlsx, .ods or .csv");
    let too_big = |what: String| {
        Diagnostic::new(
            file,
            format!(
                "this spreadsheet is refused: {what}; an export of apprentices needs far less, so it may be damaged or made to exhaust memory: save it again from your spreadsheet program, or as .csv"
            ),
        )
    };
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| unreadable())?;
    // What the parts declare, all of them, before anything is unpacked.
    let mut declared = 0u64;
    for i in 0..archive.len() {
        let size = archive.by_index_raw(i).map_err(|_| unreadable())?.size();
        if size > MAX_PART_BYTES {
            return Err(too_big(format!(
                "one of its parts would unpack to {} MB (the limit is {} MB)",
                size / MB,
                MAX_PART_BYTES / MB
            )));
        }
        declared = declared.saturating_add(size);
    }
    if declared > MAX_UNPACKED_BYTES {
        return Err(too_big(format!(
            "it would unpack to {} MB (the limit is {} MB)",
            declared / MB,
            MAX_UNPACKED_BYTES / MB
        )));
    }
    let sheet_names = sheet_parts(&mut archive);
    // The shared texts' lengths first, whichever order the parts are stored in.
    let mut shared_lengths = SharedLengths::default();
    if let Ok(mut part) = archive.by_name("xl/sharedStrings.xml") {
        let _ = std::io::copy(&mut (&mut part).take(MAX_PART_BYTES + 1), &mut shared_lengths);
    }
    let shared_lengths = shared_lengths.lengths;
    // What they really unpack to: a part may declare less than it holds.
    let mut total = 0u64;
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).map_err(|_| unreadable())?;
        let name = part.name().unwrap_or_default().to_string();
        // A sheet may be stored anywhere the workbook's relationships name.
        let is_sheet =
            (name.starts_with("xl/worksheets/") && name.ends_with(".xml")) || sheet_names.contains_key(&name);
        let is_ods_cells = name == "content.xml";
        let is_shared_text = name == "xl/sharedStrings.xml";
        let mut extent = Extent::default();
        let mut tables = OdsTables::default();
        let mut shared = SharedCount::default();
        let mut shared_use = SharedUse::new(&shared_lengths);
        let limit = MAX_PART_BYTES.min(MAX_UNPACKED_BYTES - total);
        // The reader stops a part at its declared size and checks it: a part that holds more
        // than it declares fails here, and so does a damaged one.
        let declared_size = part.size();
        let copied = if is_sheet {
            std::io::copy(&mut (&mut part).take(limit + 1), &mut Both(&mut extent, &mut shared_use))
        } else if is_ods_cells {
            std::io::copy(&mut (&mut part).take(limit + 1), &mut tables)
        } else if is_shared_text {
            std::io::copy(&mut (&mut part).take(limit + 1), &mut shared)
        } else {
            std::io::copy(&mut (&mut part).take(limit + 1), &mut std::io::sink())
        };
        let n = copied.map_err(|_| {
            too_big("one of its parts does not unpack to the size it declares (the file is damaged, or made to look smaller than it is)".into())
        })?;
        if n > limit {
            return Err(too_big(if limit == MAX_PART_BYTES {
                format!("one of its parts unpacks to more than {} MB", MAX_PART_BYTES / MB)
            } else {
                format!("it unpacks to more than {} MB", MAX_UNPACKED_BYTES / MB)
            }));
        }
        total += n;
        if is_ods_cells && !tables.ended {
            return Err(Diagnostic::new(
                file,
                "this spreadsheet is damaged: its content stops part-way (it may have been copied while it was still being saved): open it in your spreadsheet program and save it again, as .xlsx, .ods or .csv",
            ));
        }
        if is_sheet {
            let sheet = sheet_names
                .get(&name)
                .map_or_else(|| "one of its sheets".to_string(), |n| format!("sheet \"{}\"", super::words::shown(n)));
            let at = |cell: &str| match sheet_names.get(&name) {
                Some(n) => Sheet { name: n.clone(), ..Sheet::default() }.name_cell(cell),
                None => cell.to_string(),
            };
            if let Some(cell) = &extent.beyond {
                return Err(too_big(format!(
                    "{sheet} reaches {cell}, beyond the last column (XFD) or row (1048576) a spreadsheet can have"
                ))
                .field(at(cell)));
            }
            if let Some((rows, columns)) = extent.size()
                && rows.saturating_mul(columns) > MAX_CELLS
            {
                let cell = extent.farthest.clone().unwrap_or_default();
                return Err(too_big(format!(
                    "{sheet} spans {rows} rows by {columns} columns (up to {cell}), more than {MAX_CELLS} cells"
                ))
                .field(at(&cell)));
            }
            if let Some(cell) = &shared_use.bad {
                return Err(Diagnostic::new(
                    file,
                    format!(
                        "this spreadsheet is damaged: a cell of {sheet} points at a shared text by something that is not its number: open it in your spreadsheet program and save it again, as .xlsx, .ods or .csv"
                    ),
                )
                .field(at(cell)));
            }
            if shared_use.text > MAX_SHEET_TEXT_BYTES {
                return Err(too_big(format!(
                    "the cells of {sheet} would hold {} MB of text once the shared texts they point at are written out (the limit is {} MB)",
                    shared_use.text / MB,
                    MAX_SHEET_TEXT_BYTES / MB
                )));
            }
        }
        // An .ods file's sheets are all unpacked when it is opened, repeated rows and columns
        // written out: each sheet, and all of them together, must be within the cell limit.
        tables.finish_table();
        // Rows past the last a spreadsheet can have would be cut off by the reader, and the
        // people on them silently left out: refused instead.
        if let Some((sheet, rows, _)) = tables.sheets.iter().find(|(_, r, _)| *r > MAX_ROW) {
            return Err(too_big(format!(
                "sheet \"{}\" has {rows} rows once repeated rows are written out, more than the {MAX_ROW} a spreadsheet can have",
                super::words::shown(sheet)
            )));
        }
        if let Some((sheet, rows, columns)) = tables.sheets.iter().find(|(_, r, c)| r.saturating_mul(*c) > MAX_CELLS) {
            return Err(too_big(format!(
                "sheet \"{}\" spans {rows} rows by {columns} columns (repeated rows and columns counted), more than {MAX_CELLS} cells",
                super::words::shown(sheet)
            )));
        }
        if let Some((sheet, text)) = tables.texts.iter().find(|(_, t)| *t > MAX_SHEET_TEXT_BYTES) {
            return Err(too_big(format!(
                "the cells of sheet \"{}\" would hold {} MB of text once repeated rows and columns are written out (the limit is {} MB)",
                super::words::shown(sheet),
                text / MB,
                MAX_SHEET_TEXT_BYTES / MB
            )));
        }
        let all = tables.sheets.iter().fold(0u64, |n, (_, r, c)| n.saturating_add(r.saturating_mul(*c)));
        if all > MAX_CELLS {
            return Err(too_big(format!(
                "its sheets together span {all} cells (repeated rows and columns counted; every sheet of an .ods file is unpacked when it is opened), more than {MAX_CELLS}"
            )));
        }
        // The shared texts' declared count is room made before any is read: a count larger
        // than the part could hold (each text takes at least 5 bytes) is a lie.
        if let Some(count) = shared.count()
            && (count > MAX_CELLS || count > declared_size / 5 + 1)
        {
            return Err(too_big(format!(
                "it declares {count} texts, more than its {} bytes of text can hold",
                declared_size
            )));
        }
    }
    Ok(())
}

/// Worksheet part (`xl/worksheets/sheet1.xml`) → the sheet's name, from the workbook part and
/// its relationships (each read up to 1 MB); empty when they cannot be read.
pub(super) fn sheet_parts(
    archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
) -> std::collections::HashMap<String, String> {
    use std::io::Read;
    let mut text = |name: &str| {
        let mut out = Vec::new();
        if let Ok(part) = archive.by_name(name) {
            let _ = part.take(MB).read_to_end(&mut out);
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    let (book, rels) = (text("xl/workbook.xml"), text("xl/_rels/workbook.xml.rels"));
    // Each `<tag ...>` of the part with the given name, as its attributes' text.
    fn tags<'t>(xml: &'t str, tag: &'t str) -> impl Iterator<Item = &'t str> + 't {
        xml.split('<').filter_map(move |t| t.strip_prefix(tag)).filter(|t| t.starts_with(char::is_whitespace))
    }
    fn attr(tag: &str, name: &str) -> Option<String> {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        let value = &tag[at..at + tag[at..].find('"')?];
        Some(
            value
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&"),
        )
    }
    let targets: std::collections::HashMap<String, String> = tags(&rels, "Relationship")
        .filter_map(|t| {
            let target = attr(t, "Target")?;
            let part = match target.strip_prefix('/') {
                Some(absolute) => absolute.to_string(),
                None => format!("xl/{target}"),
            };
            Some((attr(t, "Id")?, part))
        })
        .collect();
    tags(&book, "sheet")
        .filter_map(|t| {
            let id = t
                .split_whitespace()
                .find_map(|a| a.strip_prefix("r:id=\"").or_else(|| a.split_once(":id=\"").map(|(_, v)| v)))?;
            let id = id.split('"').next()?;
            Some((targets.get(id)?.clone(), attr(t, "name")?))
        })
        .collect()
}

/// A sheet may span at most this many cells, from its first used cell to its last: the reader
/// makes room for every cell in between, so two cells far apart (A1 and XFD1048576) would ask
/// for hundreds of gigabytes. An export of 300,000 people in 30 columns is 9 million.
pub const MAX_CELLS: u64 = 10_000_000;

/// The rows and columns that a worksheet part's cell references (`r="C4"`, `<row r="4">`)
/// reach, found while the part streams through; it keeps nothing else.
#[derive(Default)]
struct Extent {
    carry: Vec<u8>,
    rows: Option<(u64, u64)>,
    columns: Option<(u64, u64)>,
    /// The last cell found that widened the extent (to name it).
    farthest: Option<String>,
    /// The first cell beyond the last row or column a spreadsheet can have.
    beyond: Option<String>,
}

impl Extent {
    fn size(&self) -> Option<(u64, u64)> {
        let rows = self.rows.map_or(1, |(lo, hi)| hi - lo + 1);
        let columns = self.columns.map_or(1, |(lo, hi)| hi - lo + 1);
        (self.rows.is_some() || self.columns.is_some()).then_some((rows, columns))
    }

    fn widen(range: &mut Option<(u64, u64)>, v: u64) {
        *range = Some(match *range {
            None => (v, v),
            Some((lo, hi)) => (lo.min(v), hi.max(v)),
        });
    }

    /// Every complete ` r="..."` in `buf`. A reference cut off at the end is found again in
    /// the next call, which starts with the last bytes of this one (twice is harmless). Letters
    /// are read in either case, and any number of them, as the reader reads them: a reference
    /// beyond the last column or row a spreadsheet can have is kept in `beyond`.
    fn scan(&mut self, buf: &[u8]) {
        let mut i = 0;
        while let Some(at) = buf[i..].windows(3).position(|w| w == b"r=\"") {
            let start = i + at;
            i = start + 3;
            if start == 0 || !buf[start - 1].is_ascii_whitespace() {
                continue;
            }
            let rest = &buf[i..buf.len().min(i + REF_LOOK)];
            let len = rest.iter().position(|&b| b == b'"');
            let value = &rest[..len.unwrap_or(rest.len())];
            let letters = value.iter().take_while(|b| b.is_ascii_alphabetic()).count();
            let (col, row) = value.split_at(letters);
            if !row.iter().all(u8::is_ascii_digit) {
                continue;
            }
            if len.is_none() {
                // No end within reach: a run of letters and digits far longer than any cell's
                // name (unless the chunk simply ends here: the next call reads it whole).
                if rest.len() == REF_LOOK {
                    self.beyond.get_or_insert_with(|| String::from_utf8_lossy(&value[..24]).into_owned() + "…");
                }
                continue;
            }
            if row.is_empty() {
                continue;
            }
            // A cell (`ZZ2`), or a whole row (`<row r="9">`).
            let name = || match letters {
                0 => format!("row {}", String::from_utf8_lossy(row)),
                _ => String::from_utf8_lossy(value).to_ascii_uppercase(),
            };
            let row: u64 = std::str::from_utf8(row).ok().and_then(|r| r.parse().ok()).unwrap_or(u64::MAX);
            let c = col
                .iter()
                .try_fold(0u64, |n, b| n.checked_mul(26)?.checked_add(u64::from(b.to_ascii_uppercase() - b'A' + 1)));
            let c = c.unwrap_or(u64::MAX);
            if row > MAX_ROW || c > MAX_COLUMN {
                self.beyond.get_or_insert_with(name);
                continue;
            }
            let (rows, columns) = (self.rows, self.columns);
            Self::widen(&mut self.rows, row);
            if letters > 0 {
                Self::widen(&mut self.columns, c);
            }
            if self.rows != rows || self.columns != columns {
                self.farthest = Some(name());
            }
        }
    }
}

/// How far past `r="` a cell's name is looked for.
const REF_LOOK: usize = 64;
/// The last row and column (XFD) a spreadsheet can have.
const MAX_ROW: u64 = 1_048_576;
const MAX_COLUMN: u64 = 16_384;

impl std::io::Write for Extent {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let mut buf = std::mem::take(&mut self.carry);
        buf.extend_from_slice(data);
        self.scan(&buf);
        self.carry = buf[buf.len().saturating_sub(REF_LOOK + 8)..].to_vec();
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The `uniqueCount` that a shared-text part declares in its opening tag (the reader makes
/// room for that many texts before reading one); only the part's first bytes are kept.
#[derive(Default)]
struct SharedCount {
    head: Vec<u8>,
}

impl SharedCount {
    fn count(&self) -> Option<u64> {
        let at = self.head.windows(13).position(|w| w == b"uniqueCount=\"")? + 13;
        let digits: Vec<u8> = self.head[at..].iter().copied().take_while(u8::is_ascii_digit).collect();
        if digits.is_empty() {
            return None;
        }
        // Too many digits for a number: as good as infinite.
        Some(std::str::from_utf8(&digits).ok()?.parse().unwrap_or(u64::MAX))
    }
}

impl std::io::Write for SharedCount {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let room = 4096usize.saturating_sub(self.head.len());
        self.head.extend_from_slice(&data[..data.len().min(room)]);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The most text a sheet may hold once its shared texts are written out into its cells: the
/// reader copies a shared text into every cell that points at it, so one long text named by
/// many cells would otherwise exhaust memory.
pub const MAX_SHEET_TEXT_BYTES: u64 = 256 * 1024 * 1024;

/// A piece of an XML part read in chunks: the text between two tags, or a whole tag (its name,
/// `c` or `/c`, and the tag from `<` to `>`).
enum Xml<'b> {
    Text(&'b [u8]),
    Tag(&'b [u8], &'b [u8]),
}

/// Reads the next chunk of an XML part that streams through: `each` is given the text before
/// each tag and the tag, in order; a tag cut off at the chunk's end is kept in `carry` and read
/// with the next chunk (the text before it is given at once).
fn each_tag(carry: &mut Vec<u8>, data: &[u8], mut each: impl FnMut(Xml<'_>)) {
    let mut buf = std::mem::take(carry);
    buf.extend_from_slice(data);
    let mut i = 0;
    loop {
        let open = buf[i..].iter().position(|&b| b == b'<');
        each(Xml::Text(&buf[i..open.map_or(buf.len(), |o| i + o)]));
        let Some(open) = open else { return };
        let start = i + open;
        let Some(len) = buf[start..].iter().position(|&b| b == b'>') else {
            *carry = buf[start..].to_vec();
            return;
        };
        let tag = &buf[start..start + len + 1];
        each(Xml::Tag(tag_name(tag), tag));
        i = start + len + 1;
    }
}

/// A tag's name: `c` for `<c r="A1">` and `<c/>`, `/row` for `</row>`.
pub(super) fn tag_name(tag: &[u8]) -> &[u8] {
    // A closing tag's `/` is part of its name; an empty tag's (`<c/>`) ends it.
    let end = tag.iter().skip(2).position(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>');
    &tag[1.min(tag.len())..end.map_or(tag.len(), |e| e + 2)]
}

/// The length of each shared text (`<si>` of `xl/sharedStrings.xml`), in order, found while the
/// part streams through.
#[derive(Default)]
struct SharedLengths {
    carry: Vec<u8>,
    lengths: Vec<u32>,
    inside: Option<u64>,
}

impl std::io::Write for SharedLengths {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let (lengths, inside) = (&mut self.lengths, &mut self.inside);
        each_tag(&mut self.carry, data, |piece| match piece {
            Xml::Text(text) => {
                if let Some(n) = inside.as_mut() {
                    *n = n.saturating_add(text.len() as u64);
                }
            }
            Xml::Tag(b"si", tag) if tag.ends_with(b"/>") => lengths.push(0),
            Xml::Tag(b"si", _) => *inside = Some(0),
            Xml::Tag(b"/si", _) => {
                let n = inside.take().unwrap_or(0);
                lengths.push(u32::try_from(n).unwrap_or(u32::MAX));
            }
            Xml::Tag(..) => {}
        });
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The text a worksheet part's cells hold once the shared texts they point at (`t="s"`) are
/// written out, found while the part streams through.
struct SharedUse<'a> {
    lengths: &'a [u32],
    carry: Vec<u8>,
    /// Whether the cell being read points at a shared text.
    shared: bool,
    /// The value (`<v>`) being read, when it is a shared text's number.
    value: Option<Vec<u8>>,
    text: u64,
    /// The name (`r`) of the cell being read.
    cell: String,
    /// The first cell whose shared text's number is not a number (`-1`, `abc`).
    bad: Option<String>,
}

impl<'a> SharedUse<'a> {
    fn new(lengths: &'a [u32]) -> Self {
        SharedUse { lengths, carry: Vec::new(), shared: false, value: None, text: 0, cell: String::new(), bad: None }
    }

    fn piece(&mut self, piece: Xml<'_>) {
        match piece {
            Xml::Text(text) => {
                if let Some(v) = self.value.as_mut()
                    && v.len() < 64
                {
                    v.extend_from_slice(&text[..text.len().min(64)]);
                }
            }
            Xml::Tag(b"c", tag) => {
                self.cell = OdsTables::attr(tag, b" r").unwrap_or_default().chars().take(24).collect();
                self.shared = !tag.ends_with(b"/>")
                    && tag.windows(6).any(|w| w[0].is_ascii_whitespace() && &w[1..] == b"t=\"s\"");
            }
            Xml::Tag(b"/c", _) => self.shared = false,
            Xml::Tag(b"v", tag) if self.shared && !tag.ends_with(b"/>") => self.value = Some(Vec::new()),
            Xml::Tag(b"/v", _) => {
                if let Some(v) = self.value.take() {
                    match std::str::from_utf8(&v).ok().and_then(|v| v.trim().parse::<usize>().ok()) {
                        Some(n) => {
                            let len = self.lengths.get(n).copied().unwrap_or(0);
                            self.text = self.text.saturating_add(u64::from(len));
                        }
                        None => {
                            self.bad.get_or_insert_with(|| self.cell.clone());
                        }
                    }
                }
            }
            Xml::Tag(..) => {}
        }
    }
}

impl std::io::Write for SharedUse<'_> {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let mut carry = std::mem::take(&mut self.carry);
        each_tag(&mut carry, data, |piece| self.piece(piece));
        self.carry = carry;
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Both writers get every byte.
struct Both<A, B>(A, B);

impl<A: std::io::Write, B: std::io::Write> std::io::Write for Both<A, B> {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0.write_all(data)?;
        self.1.write_all(data)?;
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The cells an .ods file's `content.xml` declares per sheet once repeated rows and columns
/// (`table:number-rows-repeated`, `table:number-columns-repeated`) are written out, found
/// while the part streams through: rows × columns up to the last cell that holds anything
/// (empty cells and rows repeated to the end of the sheet, as LibreOffice saves them, are not
/// written out by the reader and not counted).
#[derive(Default)]
struct OdsTables {
    /// The bytes of a tag cut off at the end of the last chunk.
    carry: Vec<u8>,
    /// (name, rows, columns) of each finished sheet.
    sheets: Vec<(String, u64, u64)>,
    current: Option<String>,
    rows: u64,
    used_rows: u64,
    used_columns: u64,
    row_repeat: u64,
    row_columns: u64,
    row_used: u64,
    /// Whether the document element was closed: a part that stops part-way (a half-written
    /// file) never closes it, and the reader would spin on it without end.
    ended: bool,
    /// The text of the cell being read, and how many times it is repeated.
    cell: Option<(u64, u64)>,
    /// The text of the row being read, its cells' repeats counted.
    row_text: u64,
    /// The text of the sheet being read, repeated rows and cells counted.
    text: u64,
    /// (name, text) of each finished sheet.
    texts: Vec<(String, u64)>,
}

impl OdsTables {
    fn attr(tag: &[u8], name: &[u8]) -> Option<String> {
        let mut key = name.to_vec();
        key.extend_from_slice(b"=\"");
        let at = tag.windows(key.len()).position(|w| w == key.as_slice())? + key.len();
        let len = tag[at..].iter().position(|&b| b == b'"')?;
        Some(String::from_utf8_lossy(&tag[at..at + len]).into_owned())
    }

    fn repeat(tag: &[u8], name: &[u8]) -> u64 {
        Self::attr(tag, name).map_or(1, |v| v.trim().parse().unwrap_or(u64::MAX))
    }

    fn finish_table(&mut self) {
        if let Some(name) = self.current.take() {
            self.texts.push((name.clone(), self.text));
            self.sheets.push((name, self.used_rows, self.used_columns));
        }
        (self.rows, self.used_rows, self.used_columns, self.text) = (0, 0, 0, 0);
    }

    fn end_row(&mut self) {
        self.rows = self.rows.saturating_add(self.row_repeat);
        self.text = self.text.saturating_add(self.row_text.saturating_mul(self.row_repeat));
        self.row_text = 0;
        if self.row_used > 0 {
            self.used_rows = self.rows;
            self.used_columns = self.used_columns.max(self.row_used);
        }
        (self.row_repeat, self.row_columns, self.row_used) = (0, 0, 0);
    }

    /// One tag: `<name ...>`, `<name/>` or `</name>`.
    fn tag(&mut self, name: &[u8], tag: &[u8]) {
        let closed = tag.ends_with(b"/>");
        match name {
            b"table:table" => {
                self.finish_table();
                self.current = Some(Self::attr(tag, b"table:name").unwrap_or_default());
            }
            b"/table:table" => self.finish_table(),
            b"/office:document-content" => self.ended = true,
            b"/table:table-cell" | b"/table:covered-table-cell" => {
                if let Some((text, repeat)) = self.cell.take() {
                    self.row_text = self.row_text.saturating_add(text.saturating_mul(repeat));
                }
            }
            b"table:table-row" => {
                self.row_repeat = Self::repeat(tag, b"table:number-rows-repeated");
                (self.row_columns, self.row_used, self.row_text) = (0, 0, 0);
                if closed {
                    self.end_row();
                }
            }
            b"/table:table-row" => self.end_row(),
            b"table:table-cell" | b"table:covered-table-cell" => {
                let repeat = Self::repeat(tag, b"table:number-columns-repeated");
                self.cell = (!closed).then_some((0, repeat));
                self.row_columns = self.row_columns.saturating_add(repeat);
                if !closed || Self::attr(tag, b"office:value-type").is_some() {
                    self.row_used = self.row_columns;
                }
            }
            _ => {}
        }
    }
}

impl std::io::Write for OdsTables {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let mut carry = std::mem::take(&mut self.carry);
        each_tag(&mut carry, data, |piece| match piece {
            Xml::Text(text) => {
                if let Some((n, _)) = self.cell.as_mut() {
                    *n = n.saturating_add(text.len() as u64);
                }
            }
            Xml::Tag(name, tag) => self.tag(name, tag),
        });
        self.carry = carry;
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The row (counted from 1) and column (from 0) of a quoted cell that is never closed, read as
/// the CSV reader reads quotes: one opens a cell only as its first character, `""` inside it is
/// a quote, and a quoted cell may hold line breaks.
fn unclosed_quote(bytes: &[u8], delimiter: u8) -> Option<(usize, usize)> {
    let (mut row, mut column) = (1usize, 0usize);
    let mut at_cell_start = true;
    let mut opened: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if opened.is_some() {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    opened = None;
                }
            }
        } else if b == b'"' && at_cell_start {
            opened = Some((row, column));
        } else if b == delimiter {
            column += 1;
            at_cell_start = true;
            i += 1;
            continue;
        } else if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            row += 1;
            column = 0;
            at_cell_start = true;
            i += 1;
            continue;
        }
        at_cell_start = false;
        i += 1;
    }
    opened
}

/// An opened workbook (or CSV file): its sheet names, and each sheet read only when asked for,
/// so that one sheet at a time is held in memory (an .xlsx file's other sheets are never
/// unpacked; an .ods file's are, and are measured before it is opened).
pub struct Book {
    file: std::path::PathBuf,
    workbook: Option<calamine::Sheets<std::io::Cursor<Vec<u8>>>>,
    csv: Option<Sheet>,
    /// (name, visible) of every sheet, in the workbook's order.
    pub names: Vec<(String, bool)>,
    /// The file's bytes, kept only when it has cells shown as percentages, fractions or text
    /// alone (to find them).
    formats: Option<(Vec<u8>, super::percent::Formats)>,
    /// The hidden rows and merged cells of each sheet that has any.
    layouts: std::collections::HashMap<String, super::layout::Layout>,
}

impl Book {
    /// A sheet by its name, as the workbook spells it.
    pub fn sheet(&mut self, name: &str) -> Result<Sheet, Diagnostic> {
        if let Some(csv) = self.csv.as_ref().filter(|s| s.name == name) {
            return Ok(csv.clone());
        }
        let file = self.file.clone();
        let damaged = || {
            Diagnostic::new(
                &file,
                format!(
                    "sheet \"{}\" cannot be read: the file may be damaged; open it in your spreadsheet program and save it again, as .xlsx, .ods or .csv",
                    super::words::shown(name)
                ),
            )
        };
        let book = self.workbook.as_mut().ok_or_else(damaged)?;
        let mut sheet = read_sheet(book, name).map_err(|_| damaged())?;
        if let Some((bytes, formats)) = &self.formats {
            for (at, style) in super::percent::cells(bytes, formats, name) {
                match formats.shown(style) {
                    Some(super::percent::Shown::Percent) => {
                        sheet.percent.insert(at);
                    }
                    Some(shown) => {
                        if let Cell::Number(n) = sheet.cell(at.0, at.1)
                            && let Some(text) = shown.show(*n)
                        {
                            sheet.shown.insert(at, text);
                        }
                    }
                    None => {}
                }
            }
        }
        sheet.layout = self.layouts.get(name).cloned().unwrap_or_default();
        if !sheet.layout.percent.is_empty() {
            sheet.percent = std::mem::take(&mut sheet.layout.percent).into_iter().collect();
        }
        // An .ods cell's text as the sheet shows it, where it is not the value's own.
        if !sheet.layout.shown.is_empty() {
            sheet.shown = std::mem::take(&mut sheet.layout.shown).into_iter().collect();
        }
        Ok(sheet)
    }
}

/// How an old-format Excel file (.xls), a compound document, begins.
const OLE: [u8; 4] = [0xD0, 0xCF, 0x11, 0xE0];

/// What a file holds, told by its first bytes and not by its name: a user who renamed an
/// .xlsx to .csv (or saved a CSV under an .xlsx name) has the same file as before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Content {
    /// A zip (XLSX, ODS) or a compound document (XLS).
    Workbook,
    /// UTF-8 text with no NUL byte: read as CSV.
    Text,
    /// A web page or XML (an "Excel" export from a website often is one).
    Markup,
    /// Anything else.
    Other,
}

fn content(bytes: &[u8]) -> Content {
    if bytes.starts_with(b"PK") || bytes.starts_with(&OLE) {
        return Content::Workbook;
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if text.contains(&0) || std::str::from_utf8(text).is_err() {
        return Content::Other;
    }
    let start: Vec<u8> = text.trim_ascii_start().iter().take(16).map(u8::to_ascii_lowercase).collect();
    if ["<!doctype", "<html", "<?xml", "<table"].iter().any(|m| start.starts_with(m.as_bytes())) {
        Content::Markup
    } else {
        Content::Text
    }
}

/// Open a workbook (XLSX, XLS, XLSB, ODS) or a CSV file (one sheet named after the file, as a
/// spreadsheet program names it when it opens the file); no sheet is read yet. Which one is
/// told by the file's content, whatever its name: a workbook saved under a .csv name is read as
/// a workbook, and CSV text under an .xlsx name as CSV.
pub fn open_book(file: &Path) -> Result<Book, Diagnostic> {
    use calamine::Reader;
    let bytes = crate::load::read_regular(file, MAX_SPREADSHEET_BYTES).map_err(|e| {
        let why = if e.kind() == std::io::ErrorKind::Other && e.to_string().starts_with("it is over") {
            format!("it is larger than {} MB, far more than an export of apprentices needs", MAX_SPREADSHEET_BYTES / MB)
        } else {
            plain_io(&e)
        };
        Diagnostic::new(file, format!("cannot read the file: {why}"))
    })?;
    let named_csv = file.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("txt"));
    let content = content(&bytes);
    if content == Content::Markup {
        return Err(Diagnostic::new(
            file,
            "this file is a web page or XML, not a spreadsheet or CSV text (some systems' \"Excel\" exports are): open it in your spreadsheet program and save it as .xlsx or .csv",
        ));
    }
    // Text that is not UTF-8 under a .csv name is told so (save it as CSV UTF-8).
    if content == Content::Text || (named_csv && content == Content::Other) {
        let name = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "Sheet1".into());
        let sheet = read_csv(file, name.clone(), &bytes)?;
        return Ok(Book {
            file: file.to_path_buf(),
            workbook: None,
            csv: Some(sheet),
            names: vec![(name, true)],
            formats: None,
            layouts: Default::default(),
        });
    }
    check_unpacked_size(file, &bytes)?;
    let bytes = match bytes.starts_with(b"PK").then(|| newer_errors_as_text(&bytes)).flatten() {
        Some(rewritten) => rewritten,
        None => bytes,
    };
    let formats = bytes.starts_with(b"PK").then(|| super::percent::find(&bytes)).flatten().map(|k| (bytes.clone(), k));
    let layouts = if bytes.starts_with(b"PK") { super::layout::scan(&bytes) } else { Default::default() };
    let workbook = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|_| {
        Diagnostic::new(file, "this is not a spreadsheet that can be read: save it as .xlsx, .ods or .csv")
    })?;
    let names = workbook
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible == calamine::SheetVisible::Visible))
        .collect();
    Ok(Book { file: file.to_path_buf(), workbook: Some(workbook), csv: None, names, formats, layouts })
}

/// Every sheet of a workbook, in order (the figures template: a few small sheets).
pub fn read_book(file: &Path) -> Result<Vec<Sheet>, Diagnostic> {
    let mut book = open_book(file)?;
    let names: Vec<String> = book.names.iter().map(|(n, _)| n.clone()).collect();
    names.iter().map(|n| book.sheet(n)).collect()
}

/// "5 Apr 2025", with the time when there is one ("5 Apr 2025 09:30").
fn date_words((y, m, d, h, min, _, _): (u16, u8, u8, u8, u8, u8, u16)) -> String {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let month = MONTHS.get(usize::from(m).wrapping_sub(1)).copied().unwrap_or("?");
    if h == 0 && min == 0 { format!("{d} {month} {y}") } else { format!("{d} {month} {y} {h:02}:{min:02}") }
}

/// A number shown as a percentage, as a sheet shows it: 3 → "300%", 0.125 → "12.5%".
pub fn percent_words(n: f64) -> String {
    let p = (n * 100.0 * 1e6).round() / 1e6;
    format!("{}%", Cell::Number(p).text())
}

/// Seconds as a spreadsheet shows a time or a duration: "04:05", "30:00", "04:05:30".
fn clock(seconds: f64) -> String {
    let total = seconds.abs().round() as u64;
    let (h, m, s) = (total / 3600, total / 60 % 60, total % 60);
    let sign = if seconds < 0.0 && total > 0 { "-" } else { "" };
    if s == 0 { format!("{sign}{h:02}:{m:02}") } else { format!("{sign}{h:02}:{m:02}:{s:02}") }
}

/// The seconds of an ISO 8601 duration as an .ods file stores a time (`PT04H05M`, `P1DT6H`,
/// `-PT1H`); None for any other shape.
fn iso_duration_seconds(text: &str) -> Option<f64> {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(r) => (-1.0, r),
        None => (1.0, text),
    };
    let rest = rest.strip_prefix('P')?;
    let (days, time) = match rest.split_once('T') {
        Some((d, t)) => (d, t),
        None => (rest, ""),
    };
    let mut seconds = 0.0;
    let mut take = |part: &str, units: &[(char, f64)]| -> Option<()> {
        let mut number = String::new();
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' || c == ',' {
                number.push(if c == ',' { '.' } else { c });
            } else {
                let unit = units.iter().find(|(u, _)| *u == c)?.1;
                seconds += number.parse::<f64>().ok()? * unit;
                number.clear();
            }
        }
        number.is_empty().then_some(())
    };
    take(days, &[('D', 86_400.0)])?;
    take(time, &[('H', 3600.0), ('M', 60.0), ('S', 1.0)])?;
    Some(sign * seconds)
}

fn read_sheet(book: &mut calamine::Sheets<std::io::Cursor<Vec<u8>>>, name: &str) -> Result<Sheet, ()> {
    use calamine::{Data, Reader};
    let range = book.worksheet_range(name).map_err(|_| ())?;
    let (top, left) = range.start().map(|(r, c)| (r as usize, c as usize)).unwrap_or((0, 0));
    let mut rows = vec![Vec::new(); top];
    for row in range.rows() {
        let mut cells = vec![Cell::Empty; left];
        cells.extend(row.iter().map(|d| match d {
            Data::Empty => Cell::Empty,
            Data::String(s) => Cell::Text(s.clone()),
            Data::Int(i) => Cell::Number(*i as f64),
            Data::Float(f) => Cell::Number(*f),
            Data::Bool(b) => Cell::Bool(*b),
            Data::Error(e) => Cell::Error(format!("{e}")),
            // A time alone is stored as a fraction of the day 0 (31 Dec 1899).
            Data::DateTime(d) if d.is_datetime() && (0.0..1.0).contains(&d.as_f64()) => {
                Cell::Time(clock(d.as_f64() * 86_400.0))
            }
            Data::DateTime(d) if d.is_datetime() => Cell::Date(date_words(d.to_ymd_hms_milli())),
            Data::DateTime(d) if d.is_duration() => Cell::Time(clock(d.as_f64() * 86_400.0)),
            Data::DurationIso(d) => {
                iso_duration_seconds(d).map_or_else(|| Cell::Other(d.clone()), |s| Cell::Time(clock(s)))
            }
            Data::DateTimeIso(d) => Cell::Date(d.strip_suffix("T00:00:00").unwrap_or(d).to_string()),
            other => Cell::Other(other.to_string()),
        }));
        rows.push(cells);
    }
    drop(range);
    let mut formulas = std::collections::HashSet::new();
    if let Ok(f) = book.worksheet_formula(name) {
        let (top, left) = f.start().map(|(r, c)| (r as usize, c as usize)).unwrap_or((0, 0));
        for (r, row) in f.rows().enumerate() {
            for (c, text) in row.iter().enumerate() {
                if !text.trim().is_empty() {
                    formulas.insert((top + r, left + c));
                }
            }
        }
    }
    Ok(Sheet { name: name.to_string(), rows, formulas, ..Sheet::default() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_as_a_spreadsheet_names_them() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
        let s = Sheet { name: "Functional skills".into(), ..Sheet::default() };
        assert_eq!(s.at(3, 2), "'Functional skills'!C4");
        let s = Sheet { name: "Starts".into(), ..Sheet::default() };
        assert_eq!(s.at(3, 2), "Starts!C4");
    }

    #[test]
    fn a_sheets_extent_is_found_from_its_cell_references_across_chunks() {
        use std::io::Write;
        let xml = b"<sheetData><row r=\"2\"><c r=\"B2\" t=\"s\"><v>1</v></c></row><row r=\"1048576\"><c r=\"XFD1048576\"/></row></sheetData>";
        for chunk in [1, 3, 7, 1000] {
            let mut e = Extent::default();
            for part in xml.chunks(chunk) {
                e.write_all(part).unwrap();
            }
            assert_eq!(e.size(), Some((1048575, 16383)), "chunks of {chunk}");
        }
        let mut e = Extent::default();
        e.write_all(b"<c r=\"A1\"/><c r=\"C4\"/><c ref=\"Z99\"/><x data-r=\"ZZ9\"/>").unwrap();
        assert_eq!(e.size(), Some((4, 3)));
        assert_eq!(e.beyond, None);
        // Lower-case letters are read as the reader reads them; a seventh letter is past XFD.
        let mut e = Extent::default();
        e.write_all(b"<c r=\"a1\"/><c r=\"c4\"/><c r=\"ZZZZZZ2\"/>").unwrap();
        assert_eq!((e.size(), e.farthest.as_deref(), e.beyond.as_deref()), (Some((4, 3)), Some("C4"), Some("ZZZZZZ2")));
    }

    #[test]
    fn an_ods_sheets_cells_are_counted_with_their_repeats_across_chunks() {
        use std::io::Write;
        let xml = b"<office:spreadsheet><table:table table:name=\"A\"><table:table-row><table:table-cell office:value-type=\"string\"><text:p>x</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated=\"2400\"><table:table-cell table:number-columns-repeated=\"2\"/><table:table-cell table:number-columns-repeated=\"4000\" office:value-type=\"string\"><text:p>a</text:p></table:table-cell><table:table-cell table:number-columns-repeated=\"9999\"/></table:table-row><table:table-row table:number-rows-repeated=\"1048000\"><table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row></table:table><table:table table:name=\"B\"/></office:spreadsheet>";
        for chunk in [1, 5, 64, 10_000] {
            let mut t = OdsTables::default();
            for part in xml.chunks(chunk) {
                t.write_all(part).unwrap();
            }
            t.finish_table();
            assert_eq!(t.sheets, [("A".to_string(), 2401, 4002), ("B".to_string(), 0, 0)], "chunks of {chunk}");
        }
    }

    #[test]
    fn shared_texts_and_the_cells_that_use_them_are_measured_across_chunks() {
        use std::io::Write;
        let sst = b"<sst uniqueCount=\"3\"><si><t>abc</t></si><si/><si><r><t>de</t></r><r><t>f</t></r></si></sst>";
        let sheet = b"<sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>2</v></c><c r=\"B1\"><v>7</v></c><c r=\"C1\" t=\"s\"><v>0</v></c><c r=\"D1\" t=\"s\"><v>-1</v></c></row></sheetData>";
        for chunk in [1, 4, 9, 10_000] {
            let mut lengths = SharedLengths::default();
            for part in sst.chunks(chunk) {
                lengths.write_all(part).unwrap();
            }
            // The tags' text is not counted, only what lies between them.
            assert_eq!(lengths.lengths, [3, 0, 3], "chunks of {chunk}");
            let mut uses = SharedUse::new(&lengths.lengths);
            for part in sheet.chunks(chunk) {
                uses.write_all(part).unwrap();
            }
            assert_eq!((uses.text, uses.bad.as_deref()), (6, Some("D1")), "chunks of {chunk}");
        }
    }

    #[test]
    fn an_old_format_xls_file_is_capped_by_size() {
        let mut big = vec![0u8; (MAX_XLS_BYTES + 1) as usize];
        big[..4].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0]);
        let e = check_unpacked_size(Path::new("old.xls"), &big).unwrap_err();
        assert!(e.message.contains("old-format Excel file (.xls) is larger than 32 MB"), "{}", e.message);
        big.truncate(1024);
        assert!(check_unpacked_size(Path::new("old.xls"), &big).is_ok());
    }

    #[test]
    fn times_and_durations_are_shown_as_a_sheet_shows_them() {
        assert_eq!(iso_duration_seconds("PT04H05M").map(clock).as_deref(), Some("04:05"));
        assert_eq!(iso_duration_seconds("P1DT6H").map(clock).as_deref(), Some("30:00"));
        assert_eq!(iso_duration_seconds("PT0H0M30.4S").map(clock).as_deref(), Some("00:00:30"));
        assert_eq!(iso_duration_seconds("-PT1H").map(clock).as_deref(), Some("-01:00"));
        assert_eq!(iso_duration_seconds("PT4X"), None);
        assert_eq!(iso_duration_seconds("4:05"), None);
        assert_eq!(clock(1.25 * 86_400.0), "30:00");
    }

    #[test]
    fn the_separator_is_the_one_that_splits_the_first_rows_alike_outside_quotes() {
        assert_eq!(guess_separator(b"a;b;\"c (2, 3, 4)\"\r\n1;2;3\r\n4;x, y;\r\n"), b';');
        assert_eq!(guess_separator(b"a,b\n1,\"x;y;z\"\n"), b',');
        assert_eq!(guess_separator(b"a\tb\tc\n\n1\t2\t3\n"), b'\t');
        // Nothing consistent: the first row decides; even, commas.
        assert_eq!(guess_separator(b"a;b;c\n1\n"), b';');
        assert_eq!(guess_separator(b"a\n1\n"), b',');
    }

    #[test]
    fn a_quote_left_open_is_found_at_the_row_and_column_it_opens() {
        assert_eq!(unclosed_quote(b"a,b\n\"x\ny\",\"z\"\"q\"\n1,2\n", b','), None);
        assert_eq!(unclosed_quote(b"a,b\r\n1,2\r\n3,\"open\r\n4,5\r\n", b','), Some((3, 1)));
        assert_eq!(unclosed_quote(b"a;b\n1;x\"y\n2;\"\"\"\n", b';'), Some((3, 1)));
    }
}
