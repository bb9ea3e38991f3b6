//! The figures template (`ladder template figures.xlsx`) for employers who only have aggregate
//! counts, and its import. One sheet per stage (the four level bands share one) and per outcome;
//! every cell to fill in is yellow, limited to whole numbers, and explained by a note.

use super::Figures;
use super::table::{Cell, Sheet, read_book};
use super::words::{norm, shown};
use crate::error::Diagnostic;
use crate::model::employer::{Answers, Outcome as Due, OutcomeTable};
use crate::model::ids::{Band, Outcome, Stage};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, Format, FormatBorder, Note, Workbook,
    Worksheet, XlsxError,
};
use std::path::Path;

/// The first row of figures on every figures sheet (row 4, counted from 0).
const FIRST: usize = 3;
/// The column of the labels, and of the first figure (C).
const LABEL: usize = 0;
const FIGURE: usize = 2;
/// A count larger than this is a typing mistake, not a number of apprentices.
const MAX_COUNT: u32 = 1_000_000;

const ABOUT: &str = "About";
const EMPLOYER_CELL: (usize, usize) = (2, 1);
const YEAR_CELL: (usize, usize) = (3, 1);
/// The About sheet's cells as messages name them.
pub const EMPLOYER_AT: &str = "About!B3";
pub const YEAR_AT: &str = "About!B4";

/// The key question's rows, with what each counts.
const ANSWER_ROWS: [(&str, &str); 6] = [
    ("Asked", "Everyone the key question was put to at this stage, whether or not they answered it."),
    (
        "Professional",
        "Answered \"Modern professional & traditional professional occupations\" or \"Senior, middle or junior managers or administrators\".",
    ),
    (
        "Intermediate",
        "Answered \"Clerical and intermediate occupations\" or \"Small business owners who employed less than 25 people\".",
    ),
    (
        "Working class",
        "Answered \"Technical and craft occupations\", \"Routine, semi-routine manual and service occupations\" or \"Long-term unemployed\".",
    ),
    ("Other", "Answered \"Other\" (retired, this question does not apply to me, I don't know)."),
    (
        "Prefer not to say",
        "Answered \"I prefer not to say\". People who left the question blank are counted only in Asked.",
    ),
];

const GROUP_ROWS: [&str; 3] = ["Professional", "Intermediate", "Working class"];

/// A sheet of the template: its name, title and the toolkit's explanation.
struct Page {
    name: &'static str,
    title: &'static str,
    explain: &'static str,
}

const STAGES: [(Stage, Page); 3] = [
    (
        Stage::Applicants,
        Page {
            name: "Applicants",
            title: "Applicants: who applies to your apprenticeship programmes",
            explain: "The toolkit: \"Who applies to your apprenticeship programmes – make sure you collect data from internal applicants as well.\" It shows whether your outreach attracts the people you intended.",
        },
    ),
    (
        Stage::Starts,
        Page {
            name: "Starts",
            title: "Starts: who gets an offer and starts on your programme",
            explain: "The toolkit: \"Who gets an offer and starts on your programme.\" Compared with applicants, it shows how inclusive your recruitment is.",
        },
    ),
    (
        Stage::Makeup,
        Page {
            name: "Cohort",
            title: "Cohort: who is on your apprenticeship programme now",
            explain: "The toolkit: \"Who is currently on your apprenticeship programme\" – the overall make-up of your current cohort, your baseline.",
        },
    ),
];

const LEVELS: Page = Page {
    name: "Levels",
    title: "Levels: who is training at which level (your current cohort)",
    explain: "The toolkit: \"Who is training at which levels, including degree apprenticeships.\" Level 4 upwards tends to be dominated by more privileged apprentices; these figures show whether you repeat that pattern.",
};

const OUTCOMES: [(Outcome, Page); 3] = [
    (
        Outcome::FunctionalSkills,
        Page {
            name: "Functional skills",
            title: "Functional skills: who completes the Functional Skills qualification",
            explain: "The toolkit: \"Who completes the Functional Skills Qualification (FSQ).\" Due: apprentices who had to take it this year. Achieved: those who passed. Target: comparable rates across all groups.",
        },
    ),
    (
        Outcome::Completion,
        Page {
            name: "Completion",
            title: "Completion: who completes the apprenticeship, end-point assessment included",
            explain: "The toolkit: \"Who completes the apprenticeship, including end point assessments.\" Due: apprentices due to finish this year. Achieved: those who completed. Target: comparable completion rates across all groups.",
        },
    ),
    (
        Outcome::Progression,
        Page {
            name: "Progression",
            title: "Progression: who moves on after finishing",
            explain: "The toolkit: \"Who receives a promotion, goes onto a higher level of training, salary or a job after they finish their apprenticeship.\" Due: those who completed (so no more than Completion's Achieved). Achieved: those who progressed.",
        },
    ),
];

/// The template, as the bytes of an .xlsx file.
pub fn template() -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(14);
    let wrap = Format::new().set_text_wrap();
    let input = Format::new().set_background_color(Color::RGB(0xFFF2CC)).set_border(FormatBorder::Thin).set_unlocked();
    let count = DataValidation::new()
        .allow_whole_number(DataValidationRule::Between(0, MAX_COUNT as i32))
        .set_error_style(DataValidationErrorStyle::Stop)
        .set_input_title("Number of people")?
        .set_input_message(
            "A whole number of people, 0 or more. Leave the whole sheet blank if you do not have these figures.",
        )?
        .set_error_title("Not a number of people")?
        .set_error_message("Write a whole number of people (0 or more), or leave the cell blank.")?;

    let about = book.add_worksheet();
    about.set_name(ABOUT)?;
    about.set_column_width(0, 28)?;
    about.set_column_width(1, 40)?;
    about.write_with_format(0, 0, "Apprenticeship figures for the social mobility scorecard", &title)?;
    about.write_with_format(EMPLOYER_CELL.0 as u32, 0, "Employer (its short name on the site)", &bold)?;
    about.write_blank(EMPLOYER_CELL.0 as u32, EMPLOYER_CELL.1 as u16, &input)?;
    about.add_data_validation(
        EMPLOYER_CELL.0 as u32,
        EMPLOYER_CELL.1 as u16,
        EMPLOYER_CELL.0 as u32,
        EMPLOYER_CELL.1 as u16,
        &DataValidation::new()
            .allow_text_length(DataValidationRule::Between(1, 100))
            .set_input_title("Employer")?
            .set_input_message(
                "The name of your file under content/employers, without .yaml: e.g. tyne-street-bakery.",
            )?,
    )?;
    about.insert_note(
        EMPLOYER_CELL.0 as u32,
        0,
        &Note::new("The site names each employer by a short name: the name of its file in content/employers, without .yaml (for example tyne-street-bakery). You can also give it on the command line with --employer.").set_width(320).set_height(100),
    )?;
    about.write_with_format(YEAR_CELL.0 as u32, 0, "Reporting year", &bold)?;
    about.write_blank(YEAR_CELL.0 as u32, YEAR_CELL.1 as u16, &input)?;
    about.add_data_validation(
        YEAR_CELL.0 as u32,
        YEAR_CELL.1 as u16,
        YEAR_CELL.0 as u32,
        YEAR_CELL.1 as u16,
        &DataValidation::new()
            .allow_whole_number(DataValidationRule::Between(1990, 2100))
            .set_input_title("Reporting year")?
            .set_input_message("The year these figures are for, e.g. 2025.")?
            .set_error_message("Write a year such as 2025.")?,
    )?;
    let help = [
        "How to fill this in",
        "1. Fill in the yellow cells on each sheet with numbers of people: counts only, never names.",
        "2. Leave a whole sheet blank when you do not have those figures; what is on the site stays as it is.",
        "3. The notes (the small red triangles) explain each figure in the words of the SMC's toolkit.",
        "4. Import it with: ladder import figures THIS-FILE.xlsx",
        "Every problem is listed with its sheet and cell, and nothing is changed until all are put right.",
    ];
    for (i, line) in help.iter().enumerate() {
        let row = 6 + i as u32;
        if i == 0 {
            about.write_with_format(row, 0, *line, &bold)?
        } else {
            about.write(row, 0, *line)?
        };
    }

    for (_, page) in &STAGES {
        let sheet = book.add_worksheet();
        header(sheet, page, &title, &wrap, &bold, &["People"])?;
        answer_rows(sheet, &input, &count, 1)?;
    }
    let sheet = book.add_worksheet();
    let bands: Vec<String> = Band::ALL.iter().map(|b| Stage::Level(*b).title()).collect();
    let bands: Vec<&str> = bands.iter().map(String::as_str).collect();
    header(sheet, &LEVELS, &title, &wrap, &bold, &bands)?;
    answer_rows(sheet, &input, &count, Band::ALL.len())?;
    for (outcome, page) in &OUTCOMES {
        let sheet = book.add_worksheet();
        header(sheet, page, &title, &wrap, &bold, &["Due", "Achieved"])?;
        for (i, label) in GROUP_ROWS.iter().enumerate() {
            let row = (FIRST + i) as u32;
            sheet.write_with_format(row, LABEL as u16, *label, &bold)?;
            sheet.write_with_format(row, 1, ANSWER_ROWS[i + 1].1, &wrap)?;
            for c in 0..2 {
                sheet.write_blank(row, (FIGURE + c) as u16, &input)?;
            }
        }
        let last = (FIRST + GROUP_ROWS.len() - 1) as u32;
        sheet.add_data_validation(FIRST as u32, FIGURE as u16, last, (FIGURE + 1) as u16, &count)?;
        let due = match outcome {
            Outcome::FunctionalSkills => {
                "Apprentices of this group who had to take the Functional Skills qualification this year."
            }
            Outcome::Completion => "Apprentices of this group due to finish (end-point assessment included) this year.",
            Outcome::Progression => {
                "Apprentices of this group who completed: at most Completion's Achieved for the group."
            }
        };
        sheet.insert_note(2, FIGURE as u16, &Note::new(due).set_width(300).set_height(80))?;
        sheet.insert_note(2, (FIGURE + 1) as u16, &Note::new("Of those due, how many achieved it.").set_width(240))?;
    }
    book.save_to_buffer()
}

fn header(
    sheet: &mut Worksheet,
    page: &Page,
    title: &Format,
    wrap: &Format,
    bold: &Format,
    figures: &[&str],
) -> Result<(), XlsxError> {
    sheet.set_name(page.name)?;
    sheet.set_column_width(0, 20)?;
    sheet.set_column_width(1, 60)?;
    for i in 0..figures.len() {
        sheet.set_column_width((FIGURE + i) as u16, 12)?;
    }
    sheet.write_with_format(0, 0, page.title, title)?;
    sheet.insert_note(0, 0, &Note::new(page.explain).set_width(360).set_height(120))?;
    sheet.write_with_format(
        1,
        0,
        "Fill in the yellow cells with numbers of people. Leave the sheet blank if you do not have these figures.",
        wrap,
    )?;
    sheet.write_with_format(2, LABEL as u16, "Group", bold)?;
    sheet.write_with_format(2, 1, "Who it counts", bold)?;
    for (i, f) in figures.iter().enumerate() {
        sheet.write_with_format(2, (FIGURE + i) as u16, *f, bold)?;
    }
    Ok(())
}

fn answer_rows(sheet: &mut Worksheet, input: &Format, count: &DataValidation, columns: usize) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    for (i, (label, what)) in ANSWER_ROWS.iter().enumerate() {
        let row = (FIRST + i) as u32;
        sheet.write_with_format(row, LABEL as u16, *label, &bold)?;
        sheet.write_with_format(row, 1, *what, &wrap)?;
        for c in 0..columns {
            sheet.write_blank(row, (FIGURE + c) as u16, input)?;
        }
    }
    let last = (FIRST + ANSWER_ROWS.len() - 1) as u32;
    sheet.add_data_validation(FIRST as u32, FIGURE as u16, last, (FIGURE + columns - 1) as u16, count)?;
    Ok(())
}

/// A filled-in template: the employer and year on its first sheet (when given) and the figures.
#[derive(Debug, Clone, Default)]
pub struct FiguresFile {
    pub employer: Option<String>,
    pub year: Option<i32>,
    pub figures: Figures,
    /// The Levels sheet's name (no cells), when it has figures: a check against the cohort the
    /// year keeps is told at its rows.
    levels_sheet: Option<Sheet>,
}

impl FiguresFile {
    /// With the Cohort sheet blank the year keeps its `cohort` (as `kept` says where): the level
    /// bands, which count that cohort's people each at one level, may not hold more on any row.
    pub fn levels_within_kept_cohort(&self, file: &Path, cohort: &Answers, kept: &str) -> Vec<Diagnostic> {
        let Some(levels) = &self.levels_sheet else { return Vec::new() };
        if self.figures.stages.contains_key(&Stage::Makeup) {
            return Vec::new();
        }
        let mut r = Reader { file, problems: Vec::new(), refused: std::collections::HashSet::new() };
        r.bands_within_cohort(levels, None, kept, cohort, &self.figures);
        r.problems
    }
}

/// Read a filled-in template. Every problem at once, each at its sheet and cell; a year on the
/// About sheet must lie from 1990 to `this_year`.
pub fn read(file: &Path, this_year: i32) -> Result<FiguresFile, Vec<Diagnostic>> {
    match read_all(file, this_year)? {
        (read, problems) if problems.is_empty() => Ok(read),
        (_, problems) => Err(problems),
    }
}

/// [`read`], with what was read when the sheets have problems (the employer and the year of
/// the About sheet, so that the employer's file is checked in the same run); `Err` when the file
/// cannot be read as the template at all.
pub fn read_all(file: &Path, this_year: i32) -> Result<(FiguresFile, Vec<Diagnostic>), Vec<Diagnostic>> {
    let sheets = read_book(file).map_err(|d| vec![d])?;
    let template_sheets = [ABOUT, LEVELS.name]
        .into_iter()
        .chain(STAGES.iter().map(|(_, p)| p.name))
        .chain(OUTCOMES.iter().map(|(_, p)| p.name));
    if !template_sheets.into_iter().any(|n| sheets.iter().any(|s| norm(&s.name) == norm(n))) {
        return Err(vec![Diagnostic::new(
            file,
            "this is not the figures template (it has none of its sheets): for an export with one row per person, use `ladder import responses FILE --employer SLUG --year YYYY`; for counts, fill in a template made by `ladder template figures.xlsx`",
        )]);
    }
    let mut r = Reader { file, problems: Vec::new(), refused: std::collections::HashSet::new() };
    let mut out = FiguresFile::default();
    if let Some(about) = r.sheet(&sheets, ABOUT) {
        let employer = about.cell(EMPLOYER_CELL.0, EMPLOYER_CELL.1);
        if !employer.is_blank() {
            if crate::slug::is_valid(&employer.text()) {
                out.employer = Some(employer.text());
            } else {
                r.fail(about, EMPLOYER_CELL.0, EMPLOYER_CELL.1, format!("`{}` is not an employer's short name: lower-case letters, digits and hyphens, the name of its file under content/employers without .yaml (e.g. tyne-street-bakery)", shown(&employer.text())));
            }
        }
        let year = about.cell(YEAR_CELL.0, YEAR_CELL.1);
        if let Cell::Date(d) = year {
            r.fail(
                about,
                YEAR_CELL.0,
                YEAR_CELL.1,
                format!("this cell holds a date ({d}), not a year: write the year as a number, such as 2025"),
            );
        } else if !year.is_blank() {
            match year.text().parse::<i32>() {
                Ok(y) if !(1990..=this_year).contains(&y) => r.fail(
                    about,
                    YEAR_CELL.0,
                    YEAR_CELL.1,
                    format!("{y} is not a reporting year: write one from 1990 to {this_year}"),
                ),
                Ok(y) => out.year = Some(y),
                Err(_) => r.fail(
                    about,
                    YEAR_CELL.0,
                    YEAR_CELL.1,
                    format!("`{}` is not a year; write one such as 2025", shown(&year.text())),
                ),
            }
        }
    }
    let mut cohort_sheet = None;
    for (stage, page) in &STAGES {
        if let Some(sheet) = r.sheet(&sheets, page.name) {
            if *stage == Stage::Makeup {
                cohort_sheet = Some(sheet);
            }
            r.headings(sheet, &["People"]);
            r.labels(sheet, &ANSWER_ROWS.map(|(l, _)| l));
            if let Some(a) = r.answers(sheet, FIGURE) {
                out.figures.stages.insert(*stage, a);
            }
        }
    }
    if let Some(sheet) = r.sheet(&sheets, LEVELS.name) {
        let bands: Vec<String> = Band::ALL.iter().map(|b| Stage::Level(*b).title()).collect();
        r.headings(sheet, &bands.iter().map(String::as_str).collect::<Vec<_>>());
        r.labels(sheet, &ANSWER_ROWS.map(|(l, _)| l));
        let mut blank = Vec::new();
        for (i, band) in Band::ALL.iter().enumerate() {
            match r.answers(sheet, FIGURE + i) {
                Some(a) => {
                    out.figures.stages.insert(Stage::Level(*band), a);
                }
                None => blank.push(FIGURE + i),
            }
        }
        // A band left blank beside filled ones is not "none at that level": it is told, as a
        // blank cell among figures is.
        if blank.len() < Band::ALL.len() {
            for col in blank {
                let range =
                    format!("{c}{}:{c}{}", FIRST + 1, FIRST + ANSWER_ROWS.len(), c = super::table::column_name(col));
                r.problems.push(
                    Diagnostic::new(
                        file,
                        format!(
                            "the {} column is blank, but other level bands are filled in: type 0 in each of its cells if there are none at that level",
                            shown(&sheet.cell(FIRST - 1, col).text())
                        ),
                    )
                    .field(sheet.name_cell(&range)),
                );
            }
        }
        if let (Some(cohort_sheet), Some(cohort)) = (cohort_sheet, out.figures.stages.get(&Stage::Makeup).copied()) {
            r.bands_within_cohort(sheet, Some(cohort_sheet), "", &cohort, &out.figures);
        }
        if Band::ALL.iter().any(|b| out.figures.stages.contains_key(&Stage::Level(*b))) {
            out.levels_sheet = Some(Sheet { name: sheet.name.clone(), ..Sheet::default() });
        }
    }
    let mut completion_sheet = None;
    for (outcome, page) in &OUTCOMES {
        let Some(sheet) = r.sheet(&sheets, page.name) else { continue };
        r.headings(sheet, &["Due", "Achieved"]);
        r.labels(sheet, &GROUP_ROWS);
        let Some(table) = r.outcome(sheet) else { continue };
        if *outcome == Outcome::Completion {
            completion_sheet = Some(sheet);
        }
        if let (Outcome::Progression, Some(completion)) =
            (outcome, out.figures.outcomes.get(&Outcome::Completion).copied())
        {
            let pairs = [
                (table.professional.due, completion.professional.achieved),
                (table.intermediate.due, completion.intermediate.achieved),
                (table.working_class.due, completion.working_class.achieved),
            ];
            for (i, (due, completed)) in pairs.into_iter().enumerate() {
                let unknown = r.is_refused(sheet, &[(FIRST + i, FIGURE)])
                    || completion_sheet.is_some_and(|c| r.is_refused(c, &[(FIRST + i, FIGURE + 1)]));
                if due > completed && !unknown {
                    let at = completion_sheet.map(|s| s.at(FIRST + i, FIGURE + 1)).unwrap_or_default();
                    r.fail(sheet, FIRST + i, FIGURE, format!("progression is counted among those who completed, but {due} is more than the {completed} who completed ({at})"));
                }
            }
        }
        out.figures.outcomes.insert(*outcome, table);
    }
    Ok((out, r.problems))
}

struct Reader<'a> {
    file: &'a Path,
    problems: Vec<Diagnostic>,
    /// The cells (sheet, row, column) refused as counts: a check that rests on one is skipped,
    /// since its figure is not known (it is read as 0 only to go on checking the rest).
    refused: std::collections::HashSet<(String, usize, usize)>,
}

impl Reader<'_> {
    fn fail(&mut self, sheet: &Sheet, row: usize, col: usize, message: String) {
        self.problems.push(Diagnostic::new(self.file, message).field(sheet.at(row, col)));
    }

    /// Refuse a count: told at its cell, and kept out of the checks that would rest on it.
    fn refuse(&mut self, sheet: &Sheet, row: usize, col: usize, message: String) {
        self.refused.insert((sheet.name.clone(), row, col));
        self.fail(sheet, row, col, message);
    }

    fn is_refused(&self, sheet: &Sheet, cells: &[(usize, usize)]) -> bool {
        cells.iter().any(|&(r, c)| self.refused.contains(&(sheet.name.clone(), r, c)))
    }

    fn sheet<'s>(&mut self, sheets: &'s [Sheet], name: &str) -> Option<&'s Sheet> {
        let found = sheets.iter().find(|s| norm(&s.name) == norm(name));
        if found.is_none() {
            self.problems.push(Diagnostic::new(
                self.file,
                format!("there is no sheet \"{name}\": start again from a fresh template (`ladder template figures.xlsx`) and copy your figures into it"),
            ));
        }
        found
    }

    /// The headings along row 3 must be the template's, and nothing beyond them: a column
    /// inserted or moved would otherwise put every count under another heading.
    fn headings(&mut self, sheet: &Sheet, figures: &[&str]) {
        let mut wanted = vec![(LABEL, "Group"), (1, "Who it counts")];
        wanted.extend(figures.iter().enumerate().map(|(i, h)| (FIGURE + i, *h)));
        for (col, heading) in wanted {
            let found = shown(&sheet.cell(FIRST - 1, col).text());
            if norm(&found) != norm(heading) {
                self.fail(sheet, FIRST - 1, col, format!("this column should be headed \"{heading}\" but is headed \"{found}\": columns were moved, added or removed; put them back as in the template"));
            }
        }
        let after = FIGURE + figures.len();
        let extra = shown(&sheet.cell(FIRST - 1, after).text());
        if !extra.is_empty() {
            self.fail(sheet, FIRST - 1, after, format!("the template has no column here, but it is headed \"{extra}\": columns were added or moved; put them back as in the template"));
        }
    }

    /// The labels down column A must be the template's: a row inserted or moved would
    /// otherwise put a count under another group.
    fn labels(&mut self, sheet: &Sheet, labels: &[&str]) {
        for (i, label) in labels.iter().enumerate() {
            let found = shown(&sheet.cell(FIRST + i, LABEL).text());
            if norm(&found) != norm(label) {
                self.fail(sheet, FIRST + i, LABEL, format!("this row should be \"{label}\" but is \"{found}\": rows were moved, added or removed; put them back as in the template"));
            }
        }
    }

    /// A count, or `None` for a blank cell. A formula or a text cell is an error (the caller
    /// goes on checking the sheet, but nothing is written).
    fn count(&mut self, sheet: &Sheet, row: usize, col: usize) -> Option<u32> {
        let cell = sheet.cell(row, col);
        // Quoted as the sheet shows it: TRUE, "2 1/2".
        let shown = shown(&sheet.shown(row, col));
        if sheet.formulas.contains(&(row, col)) {
            self.refuse(
                sheet,
                row,
                col,
                "this cell is a formula; type the number itself (a formula's value is not always saved with the file)"
                    .into(),
            );
            return Some(0);
        }
        if let (true, Cell::Number(n)) = (sheet.percent.contains(&(row, col)), cell) {
            let p = super::table::percent_words(*n);
            self.refuse(sheet, row, col, format!("{p} is a percentage, not a number of people: format the cell as a number and type the count (a whole number, 0 or more)"));
            return Some(0);
        }
        if let Cell::Number(n) = cell
            && n.fract() != 0.0
            && shown != cell.text()
            && shown.parse::<f64>().is_ok()
        {
            self.refuse(sheet, row, col, format!("this cell shows {shown} but holds {}, which its format rounds: write a whole number of people, 0 or more", cell.text()));
            return Some(0);
        }
        let value = match cell {
            _ if cell.is_blank() => return None,
            // A number shown as something else (TRUE, a fraction) is not the count it holds.
            Cell::Number(_) if sheet.shown_otherwise(row, col) => None,
            Cell::Number(n) if n.fract() == 0.0 && *n >= 0.0 && *n <= MAX_COUNT as f64 => Some(*n as u32),
            Cell::Text(t) if t.trim().replace([',', ' '], "").parse::<u32>().is_ok() => {
                self.refuse(
                    sheet,
                    row,
                    col,
                    format!("`{shown}` is text, not a number; type the number (the cell may be formatted as text)"),
                );
                return Some(0);
            }
            _ => None,
        };
        if let Cell::Time(t) = cell {
            self.refuse(sheet, row, col, format!("this cell holds a time ({t}), not a number of people: write a whole number, 0 or more, or leave the whole sheet blank"));
            return Some(0);
        }
        if let Cell::Date(d) = cell {
            self.refuse(sheet, row, col, format!("this cell holds a date ({d}), not a number of people: write a whole number, 0 or more, or leave the whole sheet blank"));
            return Some(0);
        }
        if value.is_none() {
            self.refuse(sheet, row, col, format!("`{shown}` is not a number of people: write a whole number, 0 or more (at most {MAX_COUNT}), or leave the whole sheet blank"));
            // Counted as 0 so that the rest of the sheet is still checked.
            return Some(0);
        }
        value
    }

    /// Blank cells among filled ones: each is an error, never read as 0.
    fn blanks(&mut self, sheet: &Sheet, cells: &[(usize, usize)], values: &[Option<u32>]) {
        if values.iter().all(Option::is_none) {
            return;
        }
        for (&(row, col), v) in cells.iter().zip(values) {
            if v.is_none() {
                self.fail(
                    sheet,
                    row,
                    col,
                    "this cell is blank, but other figures of this table are filled in: type 0 if there are none"
                        .into(),
                );
            }
        }
    }

    fn answers(&mut self, sheet: &Sheet, col: usize) -> Option<Answers> {
        let v: Vec<Option<u32>> = (0..ANSWER_ROWS.len()).map(|i| self.count(sheet, FIRST + i, col)).collect();
        if v.iter().all(Option::is_none) {
            return None;
        }
        let cells: Vec<(usize, usize)> = (0..ANSWER_ROWS.len()).map(|i| (FIRST + i, col)).collect();
        self.blanks(sheet, &cells, &v);
        let asked = v[0]?;
        let n = |i: usize| v[i].unwrap_or(0);
        let a = Answers {
            asked,
            professional: n(1),
            intermediate: n(2),
            working_class: n(3),
            other: n(4),
            prefer_not_to_say: n(5),
        };
        if a.answered() > asked as u64 && !self.is_refused(sheet, &cells) {
            self.fail(sheet, FIRST, col, format!("answers ({}) exceed people asked ({asked})", a.answered()));
        }
        Some(a)
    }

    /// The level bands count the cohort's people, each at one level: on each row (Asked, each
    /// group), the bands together cannot hold more than the Cohort sheet.
    /// Without `cohort_sheet`, `cohort` is the one the year keeps, as `kept` says.
    fn bands_within_cohort(
        &mut self,
        levels: &Sheet,
        cohort_sheet: Option<&Sheet>,
        kept: &str,
        cohort: &Answers,
        figures: &Figures,
    ) {
        let row = |a: &Answers, i: usize| -> u64 {
            match i {
                0 => a.asked.into(),
                1 => a.professional.into(),
                2 => a.intermediate.into(),
                3 => a.working_class.into(),
                4 => a.other.into(),
                _ => a.prefer_not_to_say.into(),
            }
        };
        for (i, (label, _)) in ANSWER_ROWS.iter().enumerate() {
            let filled: Vec<(usize, &Answers)> = Band::ALL
                .iter()
                .enumerate()
                .filter_map(|(b, band)| Some((FIGURE + b, figures.stages.get(&Stage::Level(*band))?)))
                .collect();
            let cells: Vec<(usize, usize)> = filled.iter().map(|&(c, _)| (FIRST + i, c)).collect();
            if filled.is_empty()
                || self.is_refused(levels, &cells)
                || cohort_sheet.is_some_and(|c| self.is_refused(c, &[(FIRST + i, FIGURE)]))
            {
                continue;
            }
            let total: u64 = filled.iter().map(|(_, a)| row(a, i)).sum();
            let whole = row(cohort, i);
            if total > whole {
                let first = filled.first().map_or(FIGURE, |f| f.0);
                let last = filled.last().map_or(FIGURE, |f| f.0);
                let range = format!(
                    "{}{}:{}{}",
                    super::table::column_name(first),
                    FIRST + i + 1,
                    super::table::column_name(last),
                    FIRST + i + 1
                );
                let label = label.to_lowercase();
                let of = match cohort_sheet {
                    Some(c) => format!("of the whole cohort ({})", c.at(FIRST + i, FIGURE)),
                    None => format!("of the cohort ({kept})"),
                };
                self.problems.push(
                    Diagnostic::new(
                        self.file,
                        format!(
                            "the level bands' \"{label}\" add up to {total}, more than the {whole} {of}: each person on the programme is counted at one level only"
                        ),
                    )
                    .field(levels.name_cell(&range)),
                );
            }
        }
    }

    fn outcome(&mut self, sheet: &Sheet) -> Option<OutcomeTable> {
        let mut groups = [Due::default(); 3];
        let mut any = false;
        let cells: Vec<(usize, usize)> = (0..3).flat_map(|i| [(FIRST + i, FIGURE), (FIRST + i, FIGURE + 1)]).collect();
        let values: Vec<Option<u32>> = cells.iter().map(|&(r, c)| self.count(sheet, r, c)).collect();
        self.blanks(sheet, &cells, &values);
        for (i, g) in groups.iter_mut().enumerate() {
            let (due, achieved) = (values[2 * i], values[2 * i + 1]);
            any |= due.is_some() || achieved.is_some();
            *g = Due { due: due.unwrap_or(0), achieved: achieved.unwrap_or(0) };
            if g.achieved > g.due && !self.is_refused(sheet, &[(FIRST + i, FIGURE), (FIRST + i, FIGURE + 1)]) {
                self.fail(
                    sheet,
                    FIRST + i,
                    FIGURE + 1,
                    format!("achieved ({}) is more than due ({})", g.achieved, g.due),
                );
            }
        }
        any.then_some(OutcomeTable { professional: groups[0], intermediate: groups[1], working_class: groups[2] })
    }
}
