//! Individual-level responses (one row per person at one stage) → counts per stage, level band
//! and outcome. The rows are read into memory, counted, and dropped: nothing of a row but its
//! contribution to a count leaves this module.

use super::Figures;
use super::table::{Book, Cell, Sheet, column_name, open_book};
use super::words::{Field, Group, OutcomeAnswer, Vocabulary, band, norm, outcome_answer, shown};
use crate::error::Diagnostic;
use crate::model::employer::{Answers, OutcomeTable};
use crate::model::ids::{Band, Outcome, Stage};
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// At most this many problems are listed; a wrong column gives one per row. The rest are
/// counted, and the count is told.
const MAX_PROBLEMS: usize = 100;

/// A cell that this import reads holds at most this many characters: an answer option, a stage
/// or a level is a few words, and a longer cell is the wrong column (or made to be slow).
pub const MAX_CELL_CHARS: usize = 1000;

/// The line that stands for problems found but not listed; [`unlisted`] reads it back.
pub fn more_problems(file: &Path, n: usize) -> Diagnostic {
    let what = if n == 1 { "problem like these" } else { "problems like these" };
    Diagnostic::new(file, format!("and {n} more {what} (not listed)"))
}

/// How many problems a [`more_problems`] line stands for.
pub fn unlisted(d: &Diagnostic) -> Option<usize> {
    let rest = d.message.strip_prefix("and ")?;
    let n = rest.strip_suffix(" more problems like these (not listed)");
    n.or_else(|| rest.strip_suffix(" more problem like these (not listed)"))?.parse().ok()
}

/// Which column holds what, and wordings beyond the toolkit's.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    /// Field → the heading of its column, as the user named it.
    pub columns: BTreeMap<Field, String>,
    pub vocabulary: Vocabulary,
    /// The sheet to read (default: the first that holds anything).
    pub sheet: Option<String>,
}

/// A mapping file, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MappingFile {
    #[serde(default)]
    sheet: Option<String>,
    /// `answer: "Q7 Parents' job at 14"`.
    #[serde(default)]
    columns: BTreeMap<String, String>,
    /// `"Manager or director": professional`.
    #[serde(default)]
    answers: BTreeMap<String, Spanned<String>>,
    /// `"Offer accepted": starts`.
    #[serde(default)]
    stages: BTreeMap<String, Spanned<String>>,
}

impl Mapping {
    /// Read a mapping file (YAML). Every problem at once.
    pub fn read(file: &Path) -> Result<Mapping, Vec<Diagnostic>> {
        match Mapping::read_all(file) {
            (Some(m), problems) if problems.is_empty() => Ok(m),
            (_, problems) => Err(problems),
        }
    }

    /// Read a mapping file, keeping its good entries when others are wrong (so that the
    /// spreadsheet can be checked in the same run): the mapping, unless the file cannot be read
    /// at all, and every problem.
    pub fn read_all(file: &Path) -> (Option<Mapping>, Vec<Diagnostic>) {
        let text = match crate::load::read_text(file, file) {
            Ok(t) => t,
            Err(d) => return (None, vec![d]),
        };
        // Anchors and aliases are not read here (the reader would say an alias refers to no
        // anchor, though the anchor is there): each line that uses one is told.
        let anchors: Vec<Diagnostic> = text
            .lines()
            .enumerate()
            .filter(|(_, l)| super::edit::uses_anchor(l))
            .map(|(i, _)| {
                Diagnostic::new(
                    file,
                    "YAML anchors and aliases (`&name`, `*name`, `<<:`) are not read in a mapping file: write the values out in full",
                )
                .at(i as u64 + 1, 0)
            })
            .collect();
        if !anchors.is_empty() {
            return (None, anchors);
        }
        let parsed = crate::load::yaml::parse_all::<MappingFile>(file, &text, 0);
        // An entry of the wrong kind (`Foo: [a]`) is told and left out; the rest is read on, so
        // that its other problems (and the spreadsheet's) are told in the same run.
        let Some(raw) = parsed.value else { return (None, parsed.problems) };
        let mut m = Mapping { sheet: raw.sheet, ..Mapping::default() };
        let mut problems = parsed.problems;
        for (key, heading) in raw.columns {
            match Field::from_key(&key) {
                Some(f) => {
                    m.columns.insert(f, heading);
                }
                None => problems.push(
                    Diagnostic::new(
                        file,
                        format!("`{}` is not a column this import reads; use one of {}", shown(&key), field_keys()),
                    )
                    .field(format!("columns.{}", shown(&key))),
                ),
            }
        }
        // Wordings are compared after `norm`: two that differ only in case or punctuation are
        // one wording, and may not name two groups (or stages).
        problems.extend(same_wordings(file, "answers", &raw.answers, |a, b| a == b));
        problems.extend(same_wordings(file, "stages", &raw.stages, |a, b| {
            super::words::stage_word(&norm(a)) == super::words::stage_word(&norm(b))
        }));
        for (wording, group) in raw.answers {
            let (line, group) = (group.referenced.line(), group.value);
            if norm(&wording).is_empty() {
                problems.push(no_words(file, "answers", &wording, line));
                continue;
            }
            match Group::from_key(&group) {
                Some(g) => match Vocabulary::conflicting_group(&wording, g) {
                    Some(own) => problems.push({
                        m.vocabulary.refused.insert(norm(&wording));
                        Diagnostic::new(
                            file,
                            format!(
                                "\"{}\" is one of the toolkit's own answers, in the group {}; a mapping file cannot move it to {}: it may only add wordings of your own",
                                super::words::shown(&wording),
                                own.key(),
                                g.key()
                            ),
                        )
                        .at(line, 0)
                        .field(format!("answers.{}", super::words::shown(&wording)))
                    }),
                    _ => {
                        m.vocabulary.answers.insert(norm(&wording), g);
                        m.vocabulary.answers_written.insert(norm(&wording), wording.clone());
                    }
                },
                None => problems.push({
                    m.vocabulary.refused.insert(norm(&wording));
                    Diagnostic::new(file, format!("`{}` is not a group; use professional, intermediate, working_class, other or prefer_not_to_say", shown(&group)))
                        .at(line, 0)
                        .field(format!("answers.{}", shown(&wording)))
                }),
            }
        }
        for (wording, stage) in raw.stages {
            let (line, stage) = (stage.referenced.line(), stage.value);
            if norm(&wording).is_empty() {
                problems.push(no_words(file, "stages", &wording, line));
                continue;
            }
            match super::words::stage_word(&norm(&stage)) {
                Some(s) => match super::words::stage_word(&norm(&wording)).filter(|own| *own != s) {
                    Some(own) => problems.push(
                        Diagnostic::new(
                            file,
                            format!(
                                "\"{}\" is one of the toolkit's own stage words, for {}; a mapping file cannot move it to {}: it may only add wordings of your own",
                                shown(&wording),
                                stage_key(own),
                                stage_key(s)
                            ),
                        )
                        .at(line, 0)
                        .field(format!("stages.{}", shown(&wording))),
                    ),
                    None => {
                        m.vocabulary.stages.insert(norm(&wording), s);
                    }
                },
                None => problems.push(
                    Diagnostic::new(
                        file,
                        format!("`{}` is not a stage; use applicants, starts or cohort", shown(&stage)),
                    )
                    .at(line, 0)
                    .field(format!("stages.{}", shown(&wording))),
                ),
            }
        }
        (Some(m), problems)
    }

    /// `--column answer="Q7 ..."`: a field named by its key, and a heading.
    pub fn set_column(&mut self, spec: &str) -> Result<(), String> {
        let (key, heading) = spec
            .split_once('=')
            .ok_or_else(|| format!("`--column {spec}`: write it as FIELD=HEADING, e.g. answer=\"Q7\""))?;
        let field = Field::from_key(key).ok_or_else(|| {
            format!("`--column {spec}`: `{key}` is not a column this import reads; use one of {}", field_keys())
        })?;
        self.columns.insert(field, heading.trim().to_string());
        Ok(())
    }
}

/// A mapping entry with no letter or digit: wordings are compared without punctuation, so it
/// would stand for every cell of punctuation alone ("?", "-", "—").
fn no_words(file: &Path, section: &str, wording: &str, line: u64) -> Diagnostic {
    Diagnostic::new(
        file,
        format!(
            "\"{}\" has no letter or digit: wordings are compared without punctuation, so it would stand for every cell of punctuation alone (\"?\", \"-\"); write the wording in words",
            shown(wording)
        ),
    )
    .at(line, 0)
    .field(format!("{section}.{}", shown(wording)))
}

/// The entries of a mapping file's section (`answers`, `stages`) that are an earlier entry's
/// wording once case and punctuation are set aside but say something else (`same` tells whether
/// two values say the same), each told at its line with the first.
fn same_wordings(
    file: &Path,
    section: &str,
    entries: &BTreeMap<String, Spanned<String>>,
    same: impl Fn(&str, &str) -> bool,
) -> Vec<Diagnostic> {
    let mut firsts: BTreeMap<String, (&str, &str, u64)> = BTreeMap::new();
    let mut problems = Vec::new();
    for (wording, value) in entries {
        let line = value.referenced.line();
        match firsts.get(&norm(wording)) {
            Some(&first) if !same(first.1, &value.value) => {
                problems.push(same_wording(file, section, first, (wording, &value.value, line)));
            }
            Some(_) => {}
            None => {
                firsts.insert(norm(wording), (wording, &value.value, line));
            }
        }
    }
    problems
}

/// Two mapping entries that are one wording once case and punctuation are set aside, naming
/// different groups or stages.
fn same_wording(file: &Path, section: &str, first: (&str, &str, u64), second: (&str, &str, u64)) -> Diagnostic {
    Diagnostic::new(
        file,
        format!(
            "\"{}\" (line {}) and \"{}\" (line {}) are the same wording once case and punctuation are set aside (as answers are compared), but one says {} and the other {}: keep one of them",
            shown(first.0),
            first.2,
            shown(second.0),
            second.2,
            shown(first.1),
            shown(second.1)
        ),
    )
    .at(second.2, 0)
    .field(format!("{section}.{}", shown(second.0)))
}

/// A stage as a mapping file names it.
fn stage_key(s: Stage) -> &'static str {
    match s {
        Stage::Applicants => "applicants",
        Stage::Starts => "starts",
        _ => "cohort",
    }
}

fn field_keys() -> String {
    Field::ALL.map(Field::key).join(", ")
}

/// What was read, for the command's summary: counts and headings only, never a row.
#[derive(Debug, Clone)]
pub struct Summary {
    pub sheet: String,
    pub people: usize,
    /// Headings of the columns that were not read (a free-text column, a name, a date).
    pub ignored: Vec<String>,
    /// Of those, the headings that mention an outcome without being one of its headings
    /// ("Survey completed"), with the outcome.
    pub outcome_like: Vec<(String, Field)>,
    /// Outcomes whose column the file has, with nobody due, left as the year has them: the file
    /// has no cohort rows (outcomes are counted for the cohort), so it says nothing of them.
    pub kept_outcomes: Vec<Outcome>,
}

/// Read a responses export and count it.
pub fn read(file: &Path, mapping: &Mapping) -> Result<(Figures, Summary), Vec<Diagnostic>> {
    let mut book = open_book(file).map_err(|d| vec![d])?;
    let sheet = pick_sheet(file, &mut book, mapping.sheet.as_deref())?;
    let Some(header) = sheet.rows.iter().position(|r| r.iter().any(|c| !c.is_blank())) else {
        return Err(vec![Diagnostic::new(file, format!("sheet \"{}\" is empty", sheet.name))]);
    };
    // The columns found without doubt are read even when another heading is a problem (two
    // columns look like the stage), so that their cells' problems are told in the same run.
    let (columns, found) = find_columns_all(file, &sheet, header, mapping);
    let told = found.len();
    let explain = |mut problems: Vec<Diagnostic>| {
        // Headings under a title or a few notes: say where they seem to be.
        let lower = (header + 1..sheet.rows.len().min(header + 21))
            .find(|&r| find_columns(file, &sheet, r, mapping).is_ok() && !sheet.rows[r].iter().all(Cell::is_blank));
        if let Some(r) = lower {
            problems.push(
                Diagnostic::new(
                    file,
                    format!(
                        "the headings are read from the first row that holds anything (row {}), but they seem to be in row {}: delete the rows above them (a title, notes) and import again",
                        header + 1,
                        r + 1
                    ),
                )
                .field(sheet.name_cell(&format!("row {}", r + 1))),
            );
        } else if let Some((separator, true)) = sheet.separator
            && problems.iter().any(|d| d.message.starts_with("no column"))
            && !(columns.contains_key(&Field::Stage) && columns.contains_key(&Field::Answer))
        {
            // A CSV file whose separator was guessed wrong has its headings run together, and
            // a heading is not found (a file whose stage and answer columns were found is not
            // one: a named column missing from it is told with its cells' problems).
            let others = [',', ';'].into_iter().filter(|&c| c != separator).map(|c| format!("`sep={c}`"));
            problems.push(Diagnostic::new(
                file,
                format!(
                    "the file was read as separated by {}, as its first rows seemed to be; if its cells are separated by something else, add a first line that names the separator ({}, or `sep=` and a tab), as Excel does, and import again",
                    super::table::separator_words(separator),
                    others.collect::<Vec<_>>().join(" or ")
                ),
            ));
        }
        problems
    };
    let mut heading_problems = if found.is_empty() { Vec::new() } else { explain(found) };
    if heading_problems.iter().any(|d| d.message.starts_with("no column holds")) {
        match other_sheet_hint(file, &mut book, &sheet.name, mapping) {
            // The figures template: its headings are not wrong, the command is.
            Some(hint) if hint.message.contains("`ladder import figures") => return Err(vec![hint]),
            hint => heading_problems.extend(hint),
        }
    }
    // Headings under a title, or a separator guessed wrong: the cells under the headings read
    // are not what they seem, and are not checked.
    if heading_problems.len() > told {
        return Err(heading_problems);
    }
    let layout_problems = layout_problems(file, &sheet, header, &columns);
    let mut counter = Counter::default_for(&sheet, &columns, file);
    for row in header + 1..sheet.rows.len() {
        if sheet.rows[row].iter().all(Cell::is_blank) {
            continue;
        }
        counter.row(row, &mapping.vocabulary);
    }
    let width = sheet.rows[header].len();
    let unread: Vec<usize> = (0..width).filter(|c| !columns.values().any(|v| v == c)).collect();
    let ignored = unread.iter().map(|&c| clip(&sheet.cell(header, c).text())).filter(|h| !h.is_empty()).collect();
    let outcome_like = unread
        .iter()
        .filter_map(|&c| {
            let f = Field::mentioned_outcome(&norm(&sheet.cell(header, c).text()))?;
            (!columns.contains_key(&f)).then(|| (clip(&sheet.cell(header, c).text()), f))
        })
        .collect();
    let Counter { problems, more, people, stages, levels, outcomes, unscored_due, .. } = counter;
    let mut problems: Vec<Diagnostic> = heading_problems.into_iter().chain(layout_problems).chain(problems).collect();
    if !problems.is_empty() {
        if more > 0 {
            problems.push(more_problems(file, more));
        }
        return Err(problems);
    }
    let mut figures = Figures::default();
    figures.stages.extend(stages);
    figures.unscored_due = unscored_due;
    figures.stages.extend(levels.into_iter().map(|(b, a)| (Stage::Level(b), a)));
    for (o, table) in outcomes {
        let due = table.professional.due + table.intermediate.due + table.working_class.due;
        if due > 0 {
            figures.outcomes.insert(o, table);
        }
    }
    // An outcome column in which nobody is due replaces the year's old figures for that
    // outcome (they counted an earlier cohort) with none; in a file with no cohort rows (of
    // applicants or starts alone) it says nothing of them, and they are kept.
    let mut kept_outcomes = Vec::new();
    for (field, o) in [
        (Field::FunctionalSkills, Outcome::FunctionalSkills),
        (Field::Completion, Outcome::Completion),
        (Field::Progression, Outcome::Progression),
    ] {
        if columns.contains_key(&field) && !figures.outcomes.contains_key(&o) {
            if figures.stages.contains_key(&Stage::Makeup) {
                figures.cleared.insert(o);
            } else {
                kept_outcomes.push(o);
            }
        }
    }
    Ok((figures, Summary { sheet: sheet.name.clone(), people, ignored, outcome_like, kept_outcomes }))
}

/// When the sheet read has not the columns needed: the figures template is named for what it
/// is (`ladder import figures` reads it), and another sheet whose first row holds the headings
/// is named with the `--sheet` that reads it; else the workbook's other sheets are listed.
fn other_sheet_hint(file: &Path, book: &mut Book, read: &str, mapping: &Mapping) -> Option<Diagnostic> {
    let names: Vec<String> = book.names.iter().map(|(n, _)| n.clone()).collect();
    let has = |n: &str| names.iter().any(|s| norm(s) == norm(n));
    if has("About") && has("Applicants") && has("Levels") {
        return Some(Diagnostic::new(
            file,
            "this looks like the figures template (counts, not one row per person): import it with `ladder import figures FILE`",
        ));
    }
    let others: Vec<&String> = names.iter().filter(|n| n.as_str() != read).collect();
    if others.is_empty() {
        return None;
    }
    for name in &others {
        let Ok(sheet) = book.sheet(name) else { continue };
        let Some(header) = sheet.rows.iter().position(|r| r.iter().any(|c| !c.is_blank())) else { continue };
        if find_columns(file, &sheet, header, mapping).is_ok() {
            return Some(Diagnostic::new(
                file,
                format!(
                    "sheet \"{}\" was read, but sheet \"{}\" has the headings: give `--sheet \"{}\"` (or `sheet:` in a mapping file)",
                    clip(read),
                    clip(name),
                    clip(name)
                ),
            ));
        }
    }
    Some(Diagnostic::new(
        file,
        format!(
            "sheet \"{}\" was read; the workbook's other sheets are {}: to read one, give --sheet NAME (or `sheet:` in a mapping file)",
            clip(read),
            capped(others.iter().map(|n| format!("\"{}\"", clip(n))).collect(), ", ")
        ),
    ))
}

/// Rows hidden in the sheet (filtered out, or hidden by hand) that hold anything, and merged
/// cells that reach into a column read, below the headings: both are refused. A hidden row may
/// have been left out on purpose or by chance, and which cannot be told; a merged area shows its
/// value against every row it covers but holds it in its first cell only (the reader gives the
/// others blank), so filling it down might count what the author did not mean either.
fn layout_problems(file: &Path, sheet: &Sheet, header: usize, columns: &BTreeMap<Field, usize>) -> Vec<Diagnostic> {
    const SHOWN: usize = 20;
    let mut out = Vec::new();
    let hidden: Vec<usize> = (header + 1..sheet.rows.len())
        .filter(|&r| sheet.layout.is_hidden(r) && !sheet.rows[r].iter().all(Cell::is_blank))
        .collect();
    if !hidden.is_empty() {
        let (n, are) =
            if hidden.len() == 1 { ("1 row".to_string(), "is") } else { (format!("{} rows", hidden.len()), "are") };
        out.push(
            Diagnostic::new(
                file,
                format!(
                    "{n} with people on {} {are} hidden in the spreadsheet (filtered out, hidden by hand, or made 0 high), and the import cannot tell whether they were left out on purpose: to count them, clear the filter or unhide the rows (or give them a height); to leave them out, delete the rows; then import again",
                    if hidden.len() == 1 { "it" } else { "them" }
                ),
            )
            .field(sheet.name_cell(&super::layout::rows_words(&hidden))),
        );
    }
    let merged: Vec<_> = sheet
        .layout
        .merged
        .iter()
        // A merge along one row whose only column read is its first keeps the value where it
        // is read: it is accepted.
        .filter(|&&(r0, c0, r1, c1)| {
            r1 > header
                && columns.values().any(|c| (c0..=c1).contains(c))
                && !(r0 == r1 && columns.values().all(|&c| c == c0 || !(c0..=c1).contains(&c)))
        })
        .collect();
    for &&(r0, c0, r1, c1) in merged.iter().take(SHOWN) {
        let range = format!("{}{}:{}{}", column_name(c0), r0 + 1, column_name(c1), r1 + 1);
        let people = if r1 == r0 + 1 {
            format!("the person on row {}", r1 + 1)
        } else {
            format!("the people on rows {}–{}", r0 + 2, r1 + 1)
        };
        // Down a column, along a row, or both: the value is filled where the merge spread it.
        let (blank, fill) = match (r1 > r0, c1 > c0) {
            (true, false) => (
                format!("{people} would be read as blank"),
                "into each row (in Excel: Merge & Center, Unmerge Cells, then fill down)",
            ),
            (false, _) => (
                "the cells after the first would be read as blank".to_string(),
                "into each column (in Excel: Merge & Center, Unmerge Cells, then fill right)",
            ),
            (true, true) => (
                format!("the cells after the first would be read as blank, {people} among them"),
                "into each cell of the range (in Excel: Merge & Center, Unmerge Cells, then fill down and right)",
            ),
        };
        out.push(
            Diagnostic::new(
                file,
                format!(
                    "these cells are merged into one: the sheet shows its value across them, but keeps it in the first cell only, so {blank}; unmerge the cells and fill the value {fill}, and import again"
                ),
            )
            .field(sheet.name_cell(&range)),
        );
    }
    if merged.len() > SHOWN {
        out.push(more_problems(file, merged.len() - SHOWN));
    }
    out
}

/// The sheet named, or else the first visible sheet that holds anything; one sheet at a time is
/// read. A hidden sheet (an old export kept in the workbook) is read only when it is named.
fn pick_sheet(file: &Path, book: &mut Book, wanted: Option<&str>) -> Result<Sheet, Vec<Diagnostic>> {
    let quoted = |n: &String| format!("\"{}\"", clip(n));
    if let Some(w) = wanted {
        // The sheet with exactly that name; else the one sheet whose name matches it once case
        // and punctuation are set aside (two or more such sheets: the user must choose).
        let loose: Vec<&String> = book.names.iter().map(|(n, _)| n).filter(|n| norm(n) == norm(w)).collect();
        let name = match (book.names.iter().find(|(n, _)| n == w), loose.as_slice()) {
            (Some((n, _)), _) => n.clone(),
            (None, [n]) => (*n).clone(),
            (None, []) => {
                return Err(vec![Diagnostic::new(
                    file,
                    format!(
                        "there is no sheet \"{}\"; the sheets are {}",
                        clip(w),
                        capped(book.names.iter().map(|(n, _)| quoted(n)).collect(), ", ")
                    ),
                )]);
            }
            (None, many) => {
                return Err(vec![Diagnostic::new(
                    file,
                    format!(
                        "no sheet is named exactly \"{}\", and {} sheets match it once case and punctuation are set aside: {}; give the name exactly as the workbook spells it",
                        clip(w),
                        many.len(),
                        capped(many.iter().map(|n| quoted(n)).collect(), ", ")
                    ),
                )]);
            }
        };
        return book.sheet(&name).map_err(|d| vec![d]);
    }
    let visible: Vec<String> = book.names.iter().filter(|(_, v)| *v).map(|(n, _)| n.clone()).collect();
    for name in visible {
        let sheet = book.sheet(&name).map_err(|d| vec![d])?;
        if sheet.rows.iter().flatten().any(|c| !c.is_blank()) {
            return Ok(sheet);
        }
    }
    let hidden: Vec<String> =
        book.names.iter().filter(|(_, v)| !*v).map(|(n, _)| format!("\"{}\"", shown(n))).collect();
    let msg = if hidden.is_empty() {
        "every sheet is empty".to_string()
    } else {
        format!(
            "every visible sheet is empty; hidden sheets are not read unless named: to read one of {}, give --sheet NAME (or `sheet:` in a mapping file)",
            hidden.join(", ")
        )
    };
    Err(vec![Diagnostic::new(file, msg)])
}

/// Field → column index, from the heading row.
fn find_columns(
    file: &Path,
    sheet: &Sheet,
    header: usize,
    mapping: &Mapping,
) -> Result<BTreeMap<Field, usize>, Vec<Diagnostic>> {
    let (out, problems) = find_columns_all(file, sheet, header, mapping);
    if problems.is_empty() { Ok(out) } else { Err(problems) }
}

/// The columns found without doubt, and the headings' problems.
fn find_columns_all(
    file: &Path,
    sheet: &Sheet,
    header: usize,
    mapping: &Mapping,
) -> (BTreeMap<Field, usize>, Vec<Diagnostic>) {
    let headings: Vec<String> = sheet.rows[header].iter().map(|c| norm(&c.text())).collect();
    let mut out = BTreeMap::new();
    let mut problems = Vec::new();
    let name = |c: usize| format!("{} (\"{}\")", column_name(c), clip(&sheet.cell(header, c).text()));
    for (field, heading) in &mapping.columns {
        let hits: Vec<usize> = (0..headings.len()).filter(|&c| headings[c] == norm(heading)).collect();
        match hits.as_slice() {
            [c] => {
                out.insert(*field, *c);
            }
            [] => problems.push(
                Diagnostic::new(
                    file,
                    format!(
                        "no column is headed \"{}\" (given for {}); the headings are: {}",
                        shown(heading),
                        field.describe(),
                        capped(
                            (0..headings.len())
                                .filter(|&c| !headings[c].is_empty())
                                .map(|c| format!("\"{}\"", clip(&sheet.cell(header, c).text())))
                                .collect(),
                            ", "
                        )
                    ),
                )
                .field(sheet.name_cell(&format!("row {}", header + 1))),
            ),
            _ => problems.push(
                Diagnostic::new(
                    file,
                    format!(
                        "columns {} are all headed \"{}\"; give them different headings",
                        capped(hits.iter().map(|&c| column_name(c)).collect(), ", "),
                        shown(heading)
                    ),
                )
                .field(sheet.at(header, hits[1])),
            ),
        }
    }
    for field in Field::ALL {
        if mapping.columns.contains_key(&field) {
            continue;
        }
        let taken: Vec<usize> = out.values().copied().collect();
        let hits: Vec<usize> = (0..headings.len())
            .filter(|c| !taken.contains(c) && !headings[*c].is_empty() && field.recognises(&headings[*c]))
            .collect();
        match hits.as_slice() {
            [] => {}
            [c] => {
                out.insert(field, *c);
            }
            _ => problems.push(Diagnostic::new(file, format!(
                "columns {} all look like {}; say which one with a mapping file (`columns: {{{}: \"...\"}}`) or `--column {}=HEADING`",
                capped(hits.iter().map(|&c| name(c)).collect(), " and "),
                field.describe(),
                field.key(),
                field.key()
            )).field(sheet.at(header, hits[1]))),
        }
    }
    for required in [Field::Stage, Field::Answer] {
        // A field that several columns look like is told once, above, not as missing too.
        let ambiguous =
            (0..headings.len()).filter(|&c| !headings[c].is_empty() && required.recognises(&headings[c])).count() > 1;
        if !out.contains_key(&required) && !mapping.columns.contains_key(&required) && !ambiguous {
            problems.push(Diagnostic::new(file, format!(
                "no column holds {}; name its heading with a mapping file (`columns: {{{}: \"...\"}}`) or `--column {}=HEADING`",
                required.describe(),
                required.key(),
                required.key()
            )).field(sheet.name_cell(&format!("row {}", header + 1))));
        }
    }
    (out, problems)
}

struct Counter<'a> {
    file: PathBuf,
    sheet: &'a Sheet,
    columns: &'a BTreeMap<Field, usize>,
    problems: Vec<Diagnostic>,
    /// Problems found beyond the [`MAX_PROBLEMS`] listed.
    more: usize,
    people: usize,
    /// (stage, person id as ids are compared) → the row it was first seen on, and the id as
    /// written there.
    seen: HashMap<(Stage, String), (usize, String)>,
    stages: BTreeMap<Stage, Answers>,
    levels: BTreeMap<Band, Answers>,
    outcomes: BTreeMap<Outcome, OutcomeTable>,
    /// Cohort people marked due in an outcome but in no group the toolkit scores.
    unscored_due: BTreeMap<Outcome, usize>,
    /// Normalised unknown answer → its "did you mean" hint.
    hints: HashMap<String, String>,
    /// The cell whose problem lists the toolkit's answers (the first unknown answer's): the
    /// others refer to it.
    answers_listed_at: Option<String>,
}

impl<'a> Counter<'a> {
    fn default_for(sheet: &'a Sheet, columns: &'a BTreeMap<Field, usize>, file: &Path) -> Counter<'a> {
        Counter {
            file: file.to_path_buf(),
            sheet,
            columns,
            problems: Vec::new(),
            more: 0,
            people: 0,
            seen: HashMap::new(),
            stages: BTreeMap::new(),
            levels: BTreeMap::new(),
            outcomes: BTreeMap::new(),
            unscored_due: BTreeMap::new(),
            hints: HashMap::new(),
            answers_listed_at: None,
        }
    }

    fn fail(&mut self, row: usize, field: Field, message: String) {
        let col = self.columns[&field];
        if self.problems.len() >= MAX_PROBLEMS {
            self.more += 1;
            return;
        }
        let heading = clip(&self.sheet.cell(self.header_row(), col).text());
        self.problems.push(
            Diagnostic::new(&self.file, format!("column \"{heading}\": {message}")).field(self.sheet.at(row, col)),
        );
    }

    fn header_row(&self) -> usize {
        self.sheet.rows.iter().position(|r| r.iter().any(|c| !c.is_blank())).unwrap_or(0)
    }

    fn value(&self, row: usize, field: Field) -> Option<&'a Cell> {
        self.columns.get(&field).map(|&c| self.sheet.cell(row, c))
    }

    /// A cell's text as the sheet shows it (TRUE, "3 1/2"), read and quoted so.
    fn shown(&self, row: usize, field: Field) -> String {
        self.columns.get(&field).map(|&c| self.sheet.shown(row, c)).unwrap_or_default()
    }

    fn failed(&self) -> usize {
        self.problems.len() + self.more
    }

    fn row(&mut self, row: usize, vocabulary: &Vocabulary) {
        let before = self.failed();
        // Cells that cannot be read as they stand: too long to be an answer, or a formula
        // whose value was never saved (a script wrote it, or calculation was off).
        let mut unreadable = false;
        for (&field, &col) in self.columns {
            let cell = self.sheet.cell(row, col);
            if let Cell::Text(t) = cell
                && t.len() > MAX_CELL_CHARS
                && t.chars().count() > MAX_CELL_CHARS
            {
                self.fail(
                    row,
                    field,
                    format!(
                        "this cell holds {} characters, far more than {} takes (at most {MAX_CELL_CHARS}): check that this is the column you meant",
                        t.chars().count(),
                        field.describe()
                    ),
                );
                unreadable = true;
            } else if let Some(e) = cell.error_value() {
                self.fail(
                    row,
                    field,
                    format!("this cell holds the spreadsheet error {e} (a formula that failed, or a value copied from one): put the value right in your spreadsheet, then export again"),
                );
                unreadable = true;
            } else if cell.is_blank() && self.sheet.formulas.contains(&(row, col)) {
                self.fail(
                    row,
                    field,
                    "this cell is a formula with no value saved; open the file in your spreadsheet program, let it calculate and save it again, or type the value".into(),
                );
                unreadable = true;
            }
        }
        if unreadable {
            self.people += 1;
            return;
        }
        let stage_cell = self.value(row, Field::Stage).cloned().unwrap_or(Cell::Empty);
        // No stage column found (its heading is a problem, told once): no row is at a stage.
        let stage = if !self.columns.contains_key(&Field::Stage) {
            None
        } else if stage_cell.is_blank() {
            self.fail(row, Field::Stage, "the stage is empty; write applied, started or cohort".into());
            None
        } else {
            let text = self.shown(row, Field::Stage);
            let s = vocabulary.stage(&text);
            if s.is_none() {
                self.fail(
                    row,
                    Field::Stage,
                    format!("`{}` is not a stage; write applied, started or cohort (or name it under `stages:` in a mapping file)", clip(&text)),
                );
            }
            s
        };
        if let (Some(stage), Some(id)) = (stage, self.value(row, Field::Person).filter(|c| !c.is_blank())) {
            let written = id.text();
            let key = (stage, super::words::person_id(&written));
            if let Some((first, first_written)) = self.seen.get(&key) {
                // The id itself is not repeated in the message: it may identify the person.
                let first = first + 1;
                let how = if *first_written == written {
                    String::new()
                } else {
                    ", written there in other letter case or with a character that cannot be seen, such as a zero-width space: ids are compared without either".to_string()
                };
                self.fail(
                    row,
                    Field::Person,
                    format!("this person id appears twice at stage {} (first on row {first}{how})", stage_words(stage)),
                );
            } else {
                self.seen.insert(key, (row, written));
            }
        }
        let answer = self.value(row, Field::Answer).cloned().unwrap_or(Cell::Empty);
        let group = if answer.is_blank() {
            None
        } else {
            let text = self.shown(row, Field::Answer);
            let g = vocabulary.group(&text);
            let n = norm(&text);
            if g.is_none() && !vocabulary.refused.contains(&n) {
                // Only for a problem that is listed, and once per wording.
                // A short "did you mean" first, in the toolkit's own words; then its answers,
                // listed in full once (the first such problem) and referred to after.
                let hint = if self.problems.len() >= MAX_PROBLEMS {
                    String::new()
                } else if let Some(h) = self.hints.get(&n) {
                    h.clone()
                } else {
                    let near = vocabulary.did_you_mean(&text).map(|h| format!("; {h}")).unwrap_or_default();
                    let h = format!("{near}{}", crate::suggest::invisible(&text));
                    self.hints.insert(n, h.clone());
                    h
                };
                let answers = match &self.answers_listed_at {
                    Some(at) => format!(
                        "(the toolkit's answers are listed at `{at}`; other wordings go under `answers:` in a mapping file)"
                    ),
                    None => format!(
                        "(the toolkit's answers are {}, read in any case and punctuation and with the toolkit's examples after them; other wordings go under `answers:` in a mapping file)",
                        super::words::toolkit_answers()
                    ),
                };
                if self.answers_listed_at.is_none() && self.problems.len() < MAX_PROBLEMS {
                    self.answers_listed_at = Some(self.sheet.at(row, self.columns[&Field::Answer]));
                }
                self.fail(
                    row,
                    Field::Answer,
                    format!("`{}` is not one of the key question's answers{hint} {answers}", clip_to(&text, 120)),
                );
            }
            g
        };
        let level = match self.value(row, Field::Level).filter(|c| !c.is_blank()) {
            // Left out of the level bands, the person would be missing from them without a word.
            None if stage == Some(Stage::Makeup) && self.columns.contains_key(&Field::Level) => {
                self.fail(
                    row,
                    Field::Level,
                    "the level is blank; every cohort person needs one when the file has a level column (write 2, 3, 4–5 or 6–7)".into(),
                );
                None
            }
            None => None,
            Some(c) => {
                let percent = self.sheet.percent.contains(&(row, self.columns[&Field::Level]));
                // Read as the sheet shows it: TRUE is no level, nor is 3.5 shown as "3 1/2".
                let text = self.shown(row, Field::Level);
                // A number that is not whole is no level, though its format shows it rounded;
                // one within a millionth of a whole number (a formula's 3.0000000001) is.
                let whole = !matches!(c, Cell::Number(n) if n.fract() != 0.0 && super::words::near_whole(*n).is_none());
                let text = match c {
                    Cell::Number(n) if whole && !self.sheet.shown_otherwise(row, self.columns[&Field::Level]) => {
                        super::words::near_whole(*n).map_or(text, |n| n.to_string())
                    }
                    _ => text,
                };
                let b =
                    if percent || !whole || matches!(c, Cell::Date(_) | Cell::Time(_)) { None } else { band(&text) };
                if let (true, Cell::Number(n)) = (percent, c) {
                    self.fail(
                        row,
                        Field::Level,
                        format!("{} is a percentage, not a level: format the column as a number or as text and type the level again (2, 3, 4–5 or 6–7)", super::table::percent_words(*n)),
                    );
                } else if let Cell::Time(t) = c {
                    self.fail(
                        row,
                        Field::Level,
                        format!("this cell holds a time ({t}), not a level: your spreadsheet may have turned a level typed with a colon or a point into a time; format the column as text and type the level again (2, 3, 4–5 or 6–7)"),
                    );
                } else if let Cell::Date(d) = c {
                    self.fail(
                        row,
                        Field::Level,
                        format!("this cell holds a date ({d}), not a level: your spreadsheet may have turned a level such as 4/5 into a date; format the column as text and type the level again (2, 3, 4–5 or 6–7)"),
                    );
                } else if !whole && band(&text).is_some() {
                    self.fail(
                        row,
                        Field::Level,
                        format!("this cell shows {} but holds {}, which its format rounds: a level is a whole number (2, 3, 4–5 or 6–7); type the level again", clip(&text), c.text()),
                    );
                } else if b.is_none() {
                    let why = if norm(&text).starts_with("higher") {
                        " (a higher apprenticeship is any of levels 4 to 7: write its level)"
                    } else if !whole || text.contains('/') || text.trim().parse::<f64>().is_ok_and(|n| n.fract() != 0.0)
                    {
                        " (a level is a whole number, 2 to 7)"
                    } else if matches!(c, Cell::Bool(_)) {
                        " (a true/false value is not a level: write the level, 2 to 7)"
                    } else if self.sheet.shown_otherwise(row, self.columns[&Field::Level]) {
                        " (the cell shows text in place of its number: write the level, 2 to 7)"
                    } else {
                        ""
                    };
                    self.fail(
                        row,
                        Field::Level,
                        format!("level `{}` is outside the toolkit's bands: 2, 3, 4–5 and 6–7{why}", clip(&text)),
                    );
                }
                b
            }
        };
        let mut results = Vec::new();
        for (field, outcome) in [
            (Field::FunctionalSkills, Outcome::FunctionalSkills),
            (Field::Completion, Outcome::Completion),
            (Field::Progression, Outcome::Progression),
        ] {
            if self.value(row, field).is_none() {
                continue;
            }
            let text = self.shown(row, field);
            // Someone who completed and left may have moved on to a job elsewhere: "left" is
            // not "did not progress", and is not guessed either way.
            if field == Field::Progression && matches!(norm(&text).as_str(), "left" | "withdrawn" | "withdrew") {
                self.fail(
                    row,
                    field,
                    format!(
                        "`{}` does not say whether this person progressed: write yes if they went on to a promotion, a higher level of training, a higher salary or a job after finishing, no if they did not, or leave it blank if it is not known",
                        clip(&text)
                    ),
                );
                continue;
            }
            let a = match outcome_answer(&text) {
                Some(a) => a,
                None => {
                    self.fail(
                        row,
                        field,
                        format!(
                            "`{}` is not an outcome; write yes (or ✓ or 1), no (or ✗ or 0), or leave it blank (or write n/a or not due) when it is not due this year or its result is not known yet",
                            clip(&text)
                        ),
                    );
                    continue;
                }
            };
            if a != OutcomeAnswer::NotDue && stage.is_some_and(|s| s != Stage::Makeup) {
                self.fail(
                    row,
                    field,
                    "outcomes are counted for people in the cohort, but this row is not at stage cohort".into(),
                );
            }
            results.push((field, outcome, a));
        }
        let completed = results.iter().find(|r| r.1 == Outcome::Completion).map(|r| r.2);
        let not_completed = completed.is_some_and(|c| c != OutcomeAnswer::Achieved);
        // Progression is counted among those who completed: "no" for someone who did not
        // complete is true and not counted; only "yes" contradicts it.
        if not_completed {
            for r in results.iter_mut().filter(|r| r.1 == Outcome::Progression && r.2 == OutcomeAnswer::NotAchieved) {
                r.2 = OutcomeAnswer::NotDue;
            }
        }
        if let Some(p) = results.iter().find(|r| r.1 == Outcome::Progression)
            && p.2 == OutcomeAnswer::Achieved
            && not_completed
        {
            self.fail(
                row,
                Field::Progression,
                "progression is counted among those who completed, but this person has not completed".into(),
            );
        }
        self.people += 1;
        if self.failed() > before {
            return;
        }
        let Some(stage) = stage else { return };
        add(self.stages.entry(stage).or_default(), group);
        if stage != Stage::Makeup {
            return;
        }
        if let Some(b) = level {
            add(self.levels.entry(b).or_default(), group);
        }
        let Some(g) = group.filter(|g| g.is_classified()) else {
            for (_, outcome, a) in results {
                if a != OutcomeAnswer::NotDue {
                    *self.unscored_due.entry(outcome).or_default() += 1;
                }
            }
            return;
        };
        for (_, outcome, a) in results {
            let table = self.outcomes.entry(outcome).or_default();
            let cell = match g {
                Group::Professional => &mut table.professional,
                Group::Intermediate => &mut table.intermediate,
                _ => &mut table.working_class,
            };
            if a != OutcomeAnswer::NotDue {
                cell.due += 1;
            }
            if a == OutcomeAnswer::Achieved {
                cell.achieved += 1;
            }
        }
    }
}

fn add(a: &mut Answers, group: Option<Group>) {
    a.asked += 1;
    match group {
        Some(Group::Professional) => a.professional += 1,
        Some(Group::Intermediate) => a.intermediate += 1,
        Some(Group::WorkingClass) => a.working_class += 1,
        Some(Group::Other) => a.other += 1,
        Some(Group::PreferNotToSay) => a.prefer_not_to_say += 1,
        None => {}
    }
}

fn stage_words(s: Stage) -> &'static str {
    match s {
        Stage::Applicants => "applied",
        Stage::Starts => "started",
        _ => "cohort",
    }
}

/// At most five names of a list, joined, then how many more: a sheet may have thousands of
/// columns, and a message stays one readable line.
pub fn capped(names: Vec<String>, sep: &str) -> String {
    const SHOWN: usize = 5;
    let more = names.len().saturating_sub(SHOWN);
    let mut out = names.into_iter().take(SHOWN).collect::<Vec<_>>().join(sep);
    if more > 0 {
        out.push_str(&format!("{sep}{more} more"));
    }
    out
}

/// A cell's text in a message, cut short: a wrong column could hold long free text.
/// Control characters (a terminal escape) are shown as escapes, never printed raw.
fn clip(text: &str) -> String {
    clip_to(text, 60)
}

/// `text` as a message shows it, cut after `n` characters (an answer is shown whole up to
/// 120, so that the words that make it unknown are seen).
fn clip_to(text: &str, n: usize) -> String {
    let mut out: String = text.chars().take(n).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    shown(&out)
}
