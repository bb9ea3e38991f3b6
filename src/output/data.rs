//! Open data: CSV and JSON made from the publishable tables and scorecards only, so they are
//! suppressed exactly as the pages are.

use crate::model::employer::Employer;
use crate::privacy::{Count, Publication, WITHHELD};
use crate::scoring::Scorecard;
use crate::scoring::stats::Estimate;
use serde::Serialize;

/// `data/scorecards.json`: every employer's headline results and where its full record is,
/// with the settings they were made under. It stays small however large the site grows.
#[derive(Serialize)]
pub struct AllScorecards<'a> {
    pub benchmark_set: &'a str,
    pub benchmark_version: &'a str,
    pub anonymity_threshold: u32,
    pub withheld_symbol: &'a str,
    pub employers: &'a [IndexEntry<'a>],
}

/// One employer in `data/scorecards.json`.
#[derive(Serialize)]
pub struct IndexEntry<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub sector: &'a str,
    pub region: &'a str,
    pub size: crate::model::employer::SizeBand,
    pub url: String,
    /// The full record: every table and dimension, as `data/employers/<slug>.json`.
    pub data: String,
    pub headline: &'a crate::scoring::Headline,
    pub rows: &'a [crate::scoring::CategoryRow],
}

pub fn index_entry<'a>(e: &'a Employer, card: &'a Scorecard, url: String, data: String) -> IndexEntry<'a> {
    IndexEntry {
        slug: &e.slug,
        name: &e.name,
        sector: &e.sector,
        region: e.region.name(),
        size: e.size,
        url,
        data,
        headline: &card.headline,
        rows: &card.rows,
    }
}

/// One employer's open data record.
#[derive(Serialize)]
pub struct EmployerRecord<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub sector: &'a str,
    pub region: &'a str,
    pub size: crate::model::employer::SizeBand,
    pub levy_payer: bool,
    pub url: String,
    pub scorecard: &'a Scorecard,
    pub tables: &'a Publication,
}

pub fn record<'a>(e: &'a Employer, card: &'a Scorecard, tables: &'a Publication, url: String) -> EmployerRecord<'a> {
    EmployerRecord {
        slug: &e.slug,
        name: &e.name,
        sector: &e.sector,
        region: e.region.name(),
        size: e.size,
        levy_payer: e.levy_payer,
        url,
        scorecard: card,
        tables,
    }
}

/// Columns of `data/employers.csv`, with their meaning for the methodology page.
pub const EMPLOYER_COLUMNS: &[(&str, &str)] = &[
    ("slug", "Stable identifier of the employer"),
    ("name", "Employer name"),
    ("sector", "Sector as the employer describes it"),
    ("region", "UK ITL1 region or nation"),
    ("size", "small (under 10 staff), medium (10–249) or large (250+)"),
    ("targets_met", "Data targets met in the latest period"),
    ("targets_assessable", "Data targets with enough data to test: met, not met or inconclusive"),
    ("targets_not_assessable", "Data targets with too little data, a withheld count the test needs, or low response"),
    ("targets_inconclusive", "Data targets tested but too few to tell (an interval too wide to say met or not met)"),
    ("practices_in_place", "Must-have practices in place (self-reported)"),
    ("practices_partial", "Must-have practices partly in place"),
    ("practices_applicable", "Must-have practices that apply to this employer"),
    (
        "<category>",
        "One column per toolkit category: the judgement identifier, prefixed `provisional:` when response was under target",
    ),
];

/// Columns of `data/representation.csv`.
pub const REPRESENTATION_COLUMNS: &[(&str, &str)] = &[
    ("slug", "Employer identifier"),
    ("stage", "applicants, starts, makeup, or level_2 / level_3 / level_4_5 / level_6_7"),
    ("period", "Reporting year, or a pooled window such as 2023–2025 when single years are too small"),
    ("asked ... not_answered", "Counts; `[c]` where withheld to protect anonymity"),
    ("response_rate", "Answers (other and prefer not to say included) over people asked"),
    ("working_class_share, _lo, _hi", "Working-class share of classified answers with its 95% Wilson interval"),
    ("judgement", "above_benchmark, in_line, too_few_to_tell, below_benchmark or not_enough_data"),
    ("provisional", "true when the response rate is under the target"),
];

/// Columns of `data/outcomes.csv`.
pub const OUTCOME_COLUMNS: &[(&str, &str)] = &[
    ("slug", "Employer identifier"),
    ("measure", "functional_skills, completion or progression"),
    ("period", "Reporting year or pooled window"),
    ("<group>_due, <group>_achieved", "Per group: how many were due, how many achieved; `[c]` where withheld"),
    ("gap, gap_lo, gap_hi", "Working-class rate minus professional rate, with its 95% Newcombe interval"),
    ("judgement", "higher, lower, comparable, no_clear_difference or not_enough_data"),
];

fn count(c: Count) -> String {
    c.to_string()
}

fn num(v: Option<f64>, withheld: bool) -> String {
    match v {
        Some(v) => format!("{v:.4}"),
        None if withheld => WITHHELD.to_string(),
        None => "[x]".to_string(),
    }
}

fn est(e: Option<Estimate>, withheld: bool) -> [String; 3] {
    [num(e.map(|e| e.value), withheld), num(e.map(|e| e.lo), withheld), num(e.map(|e| e.hi), withheld)]
}

fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new())
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or carriage return
/// before one) gets a leading `'`, as OWASP's CSV injection guidance advises, so an employer
/// named `=HYPERLINK(...)` is shown as text. Plain numbers are left alone so they stay numbers.
pub fn safe_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_plain_number(cell) { format!("'{cell}").into() } else { cell.into() }
}

/// `-0.1234` or `12`: what this file writes for figures (a negative gap starts with `-`).
fn is_plain_number(cell: &str) -> bool {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && !frac.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// Every row of every CSV file goes through here, so no cell escapes [`safe_cell`].
fn write_row<I: IntoIterator<Item = S>, S: AsRef<str>>(w: &mut csv::Writer<Vec<u8>>, cells: I) {
    let _ = w.write_record(cells.into_iter().map(|c| safe_cell(c.as_ref()).into_owned()));
}

/// The byte-order mark that tells Excel a CSV file is UTF-8: without it Excel reads the file in
/// the machine's legacy code page, so `2024–2025` and any accented name come out garbled.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

fn finish(w: csv::Writer<Vec<u8>>) -> Vec<u8> {
    let mut out = UTF8_BOM.to_vec();
    out.extend(w.into_inner().unwrap_or_default());
    out
}

pub fn employers_csv(rows: &[(&Employer, &Scorecard)], categories: &[String]) -> Vec<u8> {
    let mut w = writer();
    let mut header: Vec<String> = EMPLOYER_COLUMNS[..12].iter().map(|c| c.0.to_string()).collect();
    header.extend(categories.iter().cloned());
    write_row(&mut w, &header);
    for (e, c) in rows {
        let h = &c.headline;
        let mut rec = vec![
            e.slug.clone(),
            e.name.clone(),
            e.sector.clone(),
            e.region.name().to_string(),
            format!("{:?}", e.size).to_lowercase(),
            h.met.to_string(),
            h.assessable.to_string(),
            h.not_assessable.to_string(),
            h.inconclusive.to_string(),
            h.practices_in_place.to_string(),
            h.practices_partial.to_string(),
            h.practices_applicable.to_string(),
        ];
        for cat in categories {
            let v = c.rows.iter().find(|r| &r.id == cat).map(|r| {
                if r.provisional { format!("provisional:{}", r.judgement.id()) } else { r.judgement.id().to_string() }
            });
            rec.push(v.unwrap_or_default());
        }
        write_row(&mut w, &rec);
    }
    finish(w)
}

pub fn representation_csv(rows: &[(&Employer, &Scorecard)]) -> Vec<u8> {
    let mut w = writer();
    write_row(
        &mut w,
        [
            "slug",
            "stage",
            "period",
            "asked",
            "answered",
            "classified",
            "professional",
            "intermediate",
            "working_class",
            "other",
            "prefer_not_to_say",
            "not_answered",
            "response_rate",
            "working_class_share",
            "working_class_share_lo",
            "working_class_share_hi",
            "benchmark",
            "judgement",
            "provisional",
        ],
    );
    for (e, card) in rows {
        for dims in card.representation.values() {
            for d in dims {
                let c = &d.cells;
                let withheld = c.working_class.is_hidden() || c.classified.is_hidden();
                let [s, lo, hi] = est(d.working_class_share, withheld);
                let rr = num(d.response_rate, c.answered.is_hidden() || c.asked.is_hidden());
                write_row(
                    &mut w,
                    [
                        e.slug.clone(),
                        d.stage.clone(),
                        d.period.to_string(),
                        count(c.asked),
                        count(c.answered),
                        count(c.classified),
                        count(c.professional),
                        count(c.intermediate),
                        count(c.working_class),
                        count(c.other),
                        count(c.prefer_not_to_say),
                        count(c.not_answered),
                        rr,
                        s,
                        lo,
                        hi,
                        format!("{:.4}", d.benchmark),
                        d.judgement.id().to_string(),
                        d.provisional.to_string(),
                    ],
                );
            }
        }
    }
    finish(w)
}

pub fn outcomes_csv(rows: &[(&Employer, &Scorecard)]) -> Vec<u8> {
    let mut w = writer();
    write_row(
        &mut w,
        [
            "slug",
            "measure",
            "period",
            "professional_due",
            "professional_achieved",
            "intermediate_due",
            "intermediate_achieved",
            "working_class_due",
            "working_class_achieved",
            "gap",
            "gap_lo",
            "gap_hi",
            "judgement",
        ],
    );
    for (e, card) in rows {
        for dims in card.outcomes.values() {
            for d in dims {
                let c = &d.cells;
                let withheld =
                    [c.professional, c.working_class].iter().any(|g| g.due.is_hidden() || g.achieved.is_hidden());
                let [g, lo, hi] = est(d.gap, withheld);
                write_row(
                    &mut w,
                    [
                        e.slug.clone(),
                        d.measure.clone(),
                        d.period.to_string(),
                        count(c.professional.due),
                        count(c.professional.achieved),
                        count(c.intermediate.due),
                        count(c.intermediate.achieved),
                        count(c.working_class.due),
                        count(c.working_class.achieved),
                        g,
                        lo,
                        hi,
                        d.judgement.id().to_string(),
                    ],
                );
            }
        }
    }
    finish(w)
}

/// Compact JSON with a trailing newline, for the large aggregate files.
pub fn compact_json<T: Serialize>(value: &T) -> Vec<u8> {
    compact_json_sized(value, 0)
}

/// As [`compact_json`], into a buffer of about `expected` bytes: a large file written into a
/// growing buffer briefly holds one and a half copies of itself at every doubling.
pub fn compact_json_sized<T: Serialize>(value: &T, expected: usize) -> Vec<u8> {
    let mut v = Vec::with_capacity(expected);
    if serde_json::to_writer(&mut v, value).is_err() {
        v.clear();
    }
    v.push(b'\n');
    v
}

/// A JSON array serialised straight from an iterator, one item at a time, so a large file's
/// entries never exist all at once.
pub struct Stream<I>(std::cell::RefCell<Option<I>>);

impl<I> Stream<I> {
    pub fn new(items: I) -> Self {
        Stream(std::cell::RefCell::new(Some(items)))
    }
}

impl<I: Iterator<Item = T>, T: Serialize> Serialize for Stream<I> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let items = self.0.borrow_mut().take().ok_or_else(|| serde::ser::Error::custom("a stream serialises once"))?;
        serializer.collect_seq(items)
    }
}

/// JSON with sorted keys and a trailing newline, so files are byte-identical run to run.
pub fn json<T: Serialize>(value: &T) -> Vec<u8> {
    let mut v = serde_json::to_vec_pretty(value).unwrap_or_default();
    v.push(b'\n');
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_quoted_and_figures_are_not() {
        for (cell, written) in [
            ("=1+1", "'=1+1"),
            ("+1", "'+1"),
            ("-1+1", "'-1+1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-", "'-"),
            ("-.5", "'-.5"),
            ("-0.1234", "-0.1234"),
            ("-12", "-12"),
            ("0.5000", "0.5000"),
            ("Fenland Foods", "Fenland Foods"),
            ("a=b", "a=b"),
        ] {
            assert_eq!(safe_cell(cell), written, "{cell:?}");
        }
    }
}
