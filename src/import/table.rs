//! A spreadsheet or CSV file as a grid of cells, read from memory: the bytes come through
//! [`crate::load::read_regular`] (the only reader of files), and calamine or csv parse them.
//! Cells are named as a spreadsheet names them (`Starts!C4`), so every problem points at one.

use crate::error::Diagnostic;
use std::path::Path;

/// A spreadsheet larger than this is refused: an export of a few hundred thousand people is
/// far below it, and a larger file is a mistake (or a compressed bomb) rather than an export.
pub const MAX_SPREADSHEET_BYTES: u64 = 64 * 1024 * 1024;

/// One cell's value, as the file gave it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    /// A date, a spreadsheet error (`#REF!`) or another value with no place in a count.
    Other(String),
}

impl Cell {
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
            Cell::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
            Cell::Other(o) => o.clone(),
        }
    }
}

/// One sheet: `rows[0][0]` is cell A1.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    pub fn cell(&self, row: usize, col: usize) -> &Cell {
        self.rows.get(row).and_then(|r| r.get(col)).unwrap_or(&Cell::Empty)
    }

    /// `Starts!C4` for row 3, column 2 (both counted from 0); names that a spreadsheet would
    /// quote are quoted (`'Functional skills'!C4`).
    pub fn at(&self, row: usize, col: usize) -> String {
        let plain = self.name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        let sheet = if plain { self.name.clone() } else { format!("'{}'", self.name.replace('\'', "''")) };
        format!("{sheet}!{}{}", column_name(col), row + 1)
    }
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

/// Every sheet of a workbook (XLSX, XLS, XLSB, ODS), or a CSV file as one sheet named after
/// the file (as a spreadsheet program names it when it opens the file).
pub fn read_book(file: &Path) -> Result<Vec<Sheet>, Diagnostic> {
    let bytes = crate::load::read_regular(file, MAX_SPREADSHEET_BYTES)
        .map_err(|e| Diagnostic::new(file, format!("cannot read the file: {e}")))?;
    let is_csv = file.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("txt"));
    if is_csv {
        let name = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "Sheet1".into());
        return read_csv(file, name, &bytes).map(|s| vec![s]);
    }
    read_workbook(file, bytes)
}

fn read_csv(file: &Path, name: String, bytes: &[u8]) -> Result<Sheet, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if std::str::from_utf8(bytes).is_err() {
        return Err(Diagnostic::new(
            file,
            "the file is not UTF-8 text: save it again as \"CSV UTF-8 (comma delimited)\", or as .xlsx",
        ));
    }
    // Spreadsheets set to a European locale save CSV with semicolons.
    let first = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let count = |c: u8| first.iter().filter(|&&b| b == c).count();
    let delimiter = if count(b';') > count(b',') { b';' } else { b',' };
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(bytes);
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record =
            record.map_err(|e| Diagnostic::new(file, format!("row {}: cannot read this CSV row: {e}", i + 1)))?;
        rows.push(
            record.iter().map(|f| if f.trim().is_empty() { Cell::Empty } else { Cell::Text(f.to_string()) }).collect(),
        );
    }
    Ok(Sheet { name, rows })
}

fn read_workbook(file: &Path, bytes: Vec<u8>) -> Result<Vec<Sheet>, Diagnostic> {
    use calamine::{Data, Reader};
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|_| {
        Diagnostic::new(file, "this is not a spreadsheet that can be read: save it as .xlsx, .ods or .csv")
    })?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| Diagnostic::new(file, format!("sheet \"{name}\" cannot be read: {e}")))?;
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
                Data::Error(e) => Cell::Other(format!("{e}")),
                other => Cell::Other(other.to_string()),
            }));
            rows.push(cells);
        }
        sheets.push(Sheet { name, rows });
    }
    Ok(sheets)
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
        let s = Sheet { name: "Functional skills".into(), rows: vec![] };
        assert_eq!(s.at(3, 2), "'Functional skills'!C4");
        let s = Sheet { name: "Starts".into(), rows: vec![] };
        assert_eq!(s.at(3, 2), "Starts!C4");
    }
}
