//! `ladder import responses|figures` and `ladder template`: glue over [`crate::import`]. Every
//! problem is reported at once, and the employer file is written only when there are none.

use super::{Output, report_error};
use crate::cli::{Format, ImportFiguresArgs, ImportResponsesArgs, TemplateArgs};
use crate::error::{BuildError, Diagnostic};
use crate::import::{self, Figures, edit, figures, responses};
use std::path::{Path, PathBuf};

/// The spreadsheet's problems and others, the line for problems not listed kept last.
fn with_unlisted_last(mut read: Vec<Diagnostic>, others: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let more = read.last().and_then(responses::unlisted).and_then(|_| read.pop());
    read.extend(others);
    read.extend(more);
    read
}

fn fail(mut diags: Vec<Diagnostic>) -> i32 {
    // Problems found but not listed are counted in the total.
    let unlisted = diags.last().and_then(responses::unlisted);
    let Some(more) = unlisted else {
        report_error(&BuildError::Content(diags), Format::Human);
        return 1;
    };
    let last = diags.pop();
    for d in diags.iter().chain(&last) {
        eprintln!("{d}");
    }
    eprintln!("error: {} found; nothing was written", crate::error::count(diags.len() + more, "problem", "problems"));
    1
}

pub fn responses(a: ImportResponsesArgs, out: Output) -> i32 {
    // A mapping file's problems are told with the spreadsheet's and the employer file's: its
    // good entries are used to check the spreadsheet in the same run.
    let (mut mapping, mapping_problems) = match &a.mapping {
        Some(m) => match responses::Mapping::read_all(m) {
            (Some(m), problems) => (m, problems),
            (None, problems) => return fail(problems),
        },
        None => (responses::Mapping::default(), Vec::new()),
    };
    // The same field named twice on the command line is refused, both named: which one was
    // meant is not guessed.
    let mut given: Vec<(String, &String)> = Vec::new();
    for spec in &a.columns {
        if let Err(e) = mapping.set_column(spec) {
            eprintln!("error: {e}");
            return 2;
        }
        let key = spec.split_once('=').map_or("", |(k, _)| k.trim()).to_string();
        if let Some((_, first)) = given.iter().find(|(k, _)| *k == key) {
            eprintln!(
                "error: `--column {}` and `--column {}` both name the {key} column; give it once",
                import::words::shown(first),
                import::words::shown(spec)
            );
            return 2;
        }
        given.push((key, spec));
    }
    if a.sheet.is_some() {
        mapping.sheet = a.sheet.clone();
    }
    let root = a.site.root();
    // An export in the site's static/ folder would be copied into the published site as it is.
    if let Some(d) = in_static(&a.file, &root) {
        return fail(vec![d]);
    }
    // One in the output folder would be deleted by the next build (and served until then).
    if let Some(d) = in_output(&a.file, &root) {
        return fail(vec![d]);
    }
    // The employer and year are checked with the file, so that every problem shows at once.
    let target = no_site(&a.site.site, &root).map_or_else(|| target(&root, &a.employer, a.year), |d| Err(vec![d]));
    let (figures, summary) = match (responses::read(&a.file, &mapping), target) {
        (Ok(r), Ok(_)) if mapping_problems.is_empty() => r,
        (Ok(_), Ok(_)) => {
            let employer = employer_problems(&root, &a.employer, a.year);
            return fail(mapping_problems.into_iter().chain(employer).collect());
        }
        // The employer file's own problems (a typo, a read-only file) are told with the
        // spreadsheet's, not on the next run.
        (Err(read), Ok(_)) => {
            let employer = employer_problems(&root, &a.employer, a.year);
            return fail(with_unlisted_last(read, mapping_problems.into_iter().chain(employer).collect()));
        }
        (read, target) => {
            let others = mapping_problems.into_iter().chain(target.err().unwrap_or_default()).collect();
            return fail(with_unlisted_last(read.err().unwrap_or_default(), others));
        }
    };
    if figures.is_empty() {
        let none = Diagnostic::new(&a.file, "the file has no rows under its headings: nothing to count");
        return fail([none].into_iter().chain(employer_problems(&root, &a.employer, a.year)).collect());
    }
    if !out.quiet {
        let ignored = if summary.ignored.is_empty() {
            String::new()
        } else {
            let names: Vec<String> = summary.ignored.iter().map(|h| format!("\"{h}\"")).collect();
            format!("; columns not read: {}", responses::capped(names, ", "))
        };
        eprintln!(
            "read {} from {} (sheet \"{}\"){ignored}",
            crate::error::count(summary.people, "person", "people"),
            shown_path(&a.file),
            import::words::shown(&summary.sheet)
        );
    }
    if !out.quiet {
        for o in &summary.kept_outcomes {
            let name = o.title().to_lowercase();
            eprintln!(
                "note: the file's {name} column is blank and it has no cohort rows (outcomes are counted for the cohort): {}'s {name} figures are left as they were",
                a.year
            );
        }
        for (heading, field) in summary.outcome_like.iter().take(5) {
            let known: Vec<String> =
                import::words::outcome_headings(*field).iter().take(3).map(|h| format!("\"{h}\"")).collect();
            eprintln!(
                "note: column \"{heading}\" was not read as {}: only headings such as {} are; if it is, name it with `--column {}=\"{heading}\"` (or in a mapping file)",
                field.describe(),
                known.join(", "),
                field.key()
            );
        }
    }
    let code = write_year(&root, &a.employer, a.year, &figures, a.dry_run, out);
    if code == 0 && !out.quiet {
        // A dry run (the first try) warns of an export inside the site as the real run does.
        if !a.dry_run {
            eprintln!(
                "only these counts reach the site: no row, id, name or comment of {} was copied into it",
                shown_path(&a.file)
            );
        }
        if inside(&a.file, &root) {
            eprintln!(
                "warning: {} is inside the site's folder; move it out, so that personal data is never committed or published with the site",
                shown_path(&a.file)
            );
        } else {
            eprintln!(
                "keep {} out of the site's folder and its repository: it holds personal data",
                shown_path(&a.file)
            );
        }
    }
    code
}

pub fn figures(a: ImportFiguresArgs, out: Output) -> i32 {
    let root = a.site.root();
    let site_missing = no_site(&a.site.site, &root);
    // The employer file's own problems are told with the workbook's, whenever the employer and
    // the year are known (from the About sheet or the command line).
    let employer_file = |employer: &str, year: i32| {
        if site_missing.is_some() { Vec::new() } else { employer_problems(&root, employer, year) }
    };
    let (read, sheet_problems) = match figures::read_all(&a.file, crate::site::this_year()) {
        Ok(r) => r,
        Err(d) => {
            let employer = match (&a.employer, a.year) {
                (Some(e), Some(y)) => employer_file(e, y),
                _ => Vec::new(),
            };
            return fail(site_missing.clone().into_iter().chain(d).chain(employer).collect());
        }
    };
    let mut problems: Vec<Diagnostic> = site_missing.clone().into_iter().chain(sheet_problems).collect();
    let employer =
        pick(&a.file, "employer", "Employer", figures::EMPLOYER_AT, read.employer.clone(), a.employer, &mut problems);
    let year = pick(&a.file, "year", "Reporting year", figures::YEAR_AT, read.year, a.year, &mut problems);
    let (Some(employer), Some(year)) = (employer, year) else { return fail(problems) };
    if !problems.is_empty() {
        problems.extend(employer_file(&employer, year));
        return fail(problems);
    }
    if let Err(d) = target(&root, &employer, year) {
        return fail(d);
    }
    if read.figures.is_empty() {
        let blank = Diagnostic::new(&a.file, "every sheet is blank: there are no figures to bring in");
        return fail([blank].into_iter().chain(employer_file(&employer, year)).collect());
    }
    // A blank Cohort sheet keeps the year's cohort: the level bands are checked against it.
    if let Some((path, cohort)) = kept_cohort(&root, &employer, year) {
        let kept = format!("that {} keeps for {year}: the Cohort sheet is blank", path.display());
        let problems = read.levels_within_kept_cohort(&a.file, &cohort, &kept);
        if !problems.is_empty() {
            return fail(problems);
        }
    }
    write_year(&root, &employer, year, &read.figures, a.dry_run, out)
}

/// The cohort the employer's file holds for `year`, with the file's path, when the file reads
/// cleanly (its problems are told by the import itself).
fn kept_cohort(root: &Path, slug: &str, year: i32) -> Option<(PathBuf, crate::model::employer::Answers)> {
    let (EmployerFile { path, text: old, set }, _) = employer_file(root, slug, year).ok()?;
    let (_, figures) = crate::model::employer::parse(&path, slug, &old, &set, crate::site::this_year()).ok()?;
    let cohort =
        figures.years.iter().find(|y| y.year == year)?.stages.get(&crate::model::ids::Stage::Makeup).copied()?;
    Some((path, cohort))
}

/// A value the template's About sheet and the command line may both give: they must agree,
/// and one of them must give it.
fn pick<T: PartialEq + std::fmt::Display + Clone>(
    file: &Path,
    flag: &str,
    label: &str,
    at: &str,
    sheet: Option<T>,
    given: Option<T>,
    problems: &mut Vec<Diagnostic>,
) -> Option<T> {
    match (sheet, given) {
        (Some(s), Some(g)) if s != g => {
            problems.push(Diagnostic::new(file, format!("the About sheet says {label} is {}, but --{flag} says {g}: make them agree, or leave the sheet's cell blank", import::words::shown(&s.to_string()))).field(at));
            None
        }
        (Some(v), _) | (None, Some(v)) => Some(v),
        // A cell filled in but wrong has its own problem, told already: it is not blank.
        (None, None) if problems.iter().any(|d| d.field.as_deref().is_some_and(|f| f.eq_ignore_ascii_case(at))) => None,
        (None, None) => {
            problems
                .push(Diagnostic::new(file, format!("fill in {label} on the About sheet, or give --{flag}")).field(at));
            None
        }
    }
}

pub fn template(a: TemplateArgs, out: Output) -> i32 {
    if a.file.exists() && !a.force {
        eprintln!(
            "error: {} already exists (it may be a filled-in copy); choose another name, or pass --force to replace it",
            shown_path(&a.file)
        );
        return 1;
    }
    let bytes = match figures::template() {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: cannot make the template: {e}");
            return 1;
        }
    };
    if let Err(e) = import::write_atomically(&a.file, &bytes) {
        eprintln!("error: {}: cannot write: {}", shown_path(&a.file), import::table::plain_io(&e));
        return 1;
    }
    if !out.quiet {
        eprintln!(
            "wrote {}: fill in the yellow cells, then run `ladder import figures {}`",
            shown_path(&a.file),
            shown_path(&a.file)
        );
    }
    0
}

/// Write `figures` into `year` of the employer's file, after checking the whole file as a
/// build would. Nothing is written when anything is wrong, or when nothing changes.
fn write_year(root: &Path, slug: &str, year: i32, figures: &Figures, dry_run: bool, out: Output) -> i32 {
    // Held until the file is written: two imports into one site never interleave. A dry run
    // writes nothing and takes no lock.
    let _lock = if dry_run {
        None
    } else {
        match import_lock(root) {
            Ok(l) => l,
            Err(d) => return fail(vec![d]),
        }
    };
    match plan(root, slug, year, figures) {
        Err(d) => fail(d),
        Ok((path, old, new, notes)) => {
            let verb = if old == new {
                "already holds these figures; unchanged"
            } else if dry_run {
                "would be updated (--dry-run: nothing written)"
            } else if let Err(e) = import::write_atomically(&root.join(&path), new.as_bytes()) {
                eprintln!(
                    "error: {}: cannot write: {}; the file is as it was",
                    path.display(),
                    import::table::plain_io(&e)
                );
                return 1;
            } else {
                "updated"
            };
            if !out.quiet {
                eprintln!("{}: {year} {verb}", path.display());
                for line in edit::describe(figures) {
                    eprintln!("  {line}");
                }
            }
            if notes.contains(&edit::Note::RemovedLevels) {
                let done = if dry_run || old == new { "would be" } else { "were" };
                eprintln!(
                    "note: {year}'s level bands {done} removed: they counted an earlier cohort, and this import brings the cohort without levels (import a level column, or the Levels sheet, to have them)"
                );
            }
            for note in &notes {
                if let edit::Note::CarriedPractices(from) = note {
                    let done = if dry_run || old == new { "would be" } else { "were" };
                    eprintln!(
                        "note: {year} is a new year: {from}'s practices {done} copied into it, so that the scorecard (which shows the latest year's practices) stays as it was; check them for {year} in {}",
                        path.display()
                    );
                }
                if let edit::Note::RemovedOutcome(o) = note {
                    let done = if dry_run || old == new { "would be" } else { "were" };
                    let name = o.title().to_lowercase();
                    // Cells filled, but nobody in a group the toolkit scores: say so, not that
                    // the cells are blank.
                    let why = match figures.unscored_due.get(o).copied().unwrap_or(0) {
                        0 => "nobody due (every cell blank or not due)".to_string(),
                        1 => "1 person marked due, but not in a group the toolkit scores (the answer is blank, other or prefer not to say; outcomes are counted for professional, intermediate and working class)".to_string(),
                        n => format!(
                            "{n} people marked due, but none of them in a group the toolkit scores (their answers are blank, other or prefer not to say; outcomes are counted for professional, intermediate and working class)"
                        ),
                    };
                    eprintln!(
                        "note: {year}'s {name} figures {done} removed: the file's {name} column has {why}, and its column replaces the year's old figures"
                    );
                }
            }
            0
        }
    }
}

/// The site's import lock: a lock on the employers' folder itself (`content/employers`), so
/// that taking it creates nothing in the site; or a problem saying that another import holds
/// it. The kernel drops the lock when its holder exits, so it never goes stale. No lock (and no
/// problem) when the folder is not there: the import then fails for that reason.
fn import_lock(root: &Path) -> Result<Option<std::fs::File>, Diagnostic> {
    let folder = Path::new("content").join("employers");
    // Never through a link (a folder linked out of the site is refused with its own message).
    let Ok(handle) = crate::load::open_folder(&root.join(&folder)) else { return Ok(None) };
    match handle.try_lock() {
        Ok(()) => Ok(Some(handle)),
        Err(std::fs::TryLockError::WouldBlock) => Err(Diagnostic::new(
            &folder,
            "another import into this site is running (it holds a lock on this folder); wait for it to finish, then import again",
        )),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(Diagnostic::new(&folder, format!("cannot lock: {}", import::table::plain_io(&e))))
        }
    }
}

/// The employer file's path (relative to the site), its text, and its text with the figures.
type Plan = (PathBuf, String, String, Vec<edit::Note>);

/// An employer file as an import reads it: its path (relative to the site), its text, and the
/// site's benchmark set (to check it as a build does).
struct EmployerFile {
    path: PathBuf,
    text: String,
    set: crate::model::benchmarks::BenchmarkSet,
}

/// An edit that cannot be made, as a problem at its line.
fn edit_problem(path: &Path, e: edit::EditError) -> Diagnostic {
    let d = Diagnostic::new(path, e.message);
    match e.line {
        Some(l) => d.at(l, 0),
        None => d,
    }
}

/// The employer file's problems as it stands, each at its line in the file: a build's checks,
/// whether it is read-only, and what an import cannot edit in it (anchors, a year written on one
/// line). For a run whose spreadsheet has problems of its own, told with them.
fn employer_problems(root: &Path, slug: &str, year: i32) -> Vec<Diagnostic> {
    let (file, read_only) = match employer_file(root, slug, year) {
        Ok(f) => f,
        Err(d) => return d,
    };
    let mut problems: Vec<Diagnostic> = read_only.into_iter().collect();
    if let Err(d) = crate::model::employer::parse(&file.path, slug, &file.text, &file.set, crate::site::this_year()) {
        problems.extend(d);
    }
    if let Err(e) = edit::set_year(&file.text, year, &Figures::default()) {
        problems.push(edit_problem(&file.path, e));
    }
    problems
}

fn plan(root: &Path, slug: &str, year: i32, figures: &Figures) -> Result<Plan, Vec<Diagnostic>> {
    let (EmployerFile { path, text: old, set }, read_only) = employer_file(root, slug, year)?;
    let this_year = crate::site::this_year();
    // The file's own problems, at their lines; those the import mends (a stage it replaces)
    // are not told.
    let own = crate::model::employer::parse(&path, slug, &old, &set, this_year).err().unwrap_or_default();
    let (new, notes) = match edit::set_year_noting(&old, year, figures) {
        Ok(n) => n,
        Err(e) => {
            let problems = read_only.into_iter().chain([edit_problem(&path, e)]).chain(own).collect();
            return Err(problems);
        }
    };
    // The file as it would be, checked as a build checks it: an import never leaves a file that
    // `ladder check` refuses (say, progression above completion kept from an earlier edit). Each
    // problem is told at its line in the file as it is now.
    let after = crate::model::employer::parse(&path, slug, &new, &set, this_year).err().unwrap_or_default();
    let problems: Vec<Diagnostic> =
        read_only.into_iter().chain(in_the_file_as_it_is(after, &old, &new, &own, year)).collect();
    if problems.is_empty() { Ok((path, old, new, notes)) } else { Err(problems) }
}

/// The problems of the file as the import would leave it (`new`), told at the lines of the file
/// as it is (`old`): a problem on a line the import keeps is at that line, and is the file's own
/// (as `own` has it) or comes with the year's new figures; one on a line the import writes is at
/// the year's line, said to be in the figures it would write.
fn in_the_file_as_it_is(
    after: Vec<Diagnostic>,
    old: &str,
    new: &str,
    own: &[Diagnostic],
    year: i32,
) -> Vec<Diagnostic> {
    let old_lines: Vec<&str> = old.lines().collect();
    let new_lines: Vec<&str> = new.lines().collect();
    // Line (from 1) of the new text → line of the old: for the lines the import keeps, and for
    // those it writes in place of others (the line it replaces, or the last of them).
    let (mut kept, mut replaced) = (std::collections::HashMap::new(), std::collections::HashMap::new());
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, &old_lines, &new_lines) {
        match op {
            similar::DiffOp::Equal { old_index, new_index, len } => {
                for i in 0..len {
                    kept.insert((new_index + i + 1) as u64, (old_index + i + 1) as u64);
                }
            }
            similar::DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                for i in 0..new_len {
                    replaced.insert((new_index + i + 1) as u64, (old_index + i.min(old_len - 1) + 1) as u64);
                }
            }
            _ => {}
        }
    }
    let old_years = edit::years_in_order(old);
    let year_line = old_years.iter().find(|(y, _)| *y == Some(year)).map(|(_, line)| *line);
    // A field under `years` is named by its year ("`outcomes.completion` of year 2025"), not its
    // place in the list, so a year the import adds renames no other year's fields.
    let mut out: Vec<Diagnostic> = Vec::new();
    for mut d in after {
        let line = d.line.map(|l| kept.get(&l).copied());
        let told = match line {
            // On a line the import keeps (or on none): the file's own problem, or one that the
            // year's new figures bring.
            Some(Some(_)) | None => {
                if let Some(Some(l)) = line {
                    d.line = Some(l);
                }
                match own.iter().find(|o| o.line == d.line && o.message == d.message) {
                    Some(o) => o.clone(),
                    None => {
                        d.message = format!("{} (with the {year} figures of this import in place)", d.message);
                        d
                    }
                }
            }
            // On a line the import writes: at the line it replaces, or else at the year's line,
            // in the file as it is.
            Some(None) => {
                let written = d.line.and_then(|l| replaced.get(&l).copied());
                if written.is_none() {
                    d.column = None;
                }
                d.line = written.or(year_line);
                d.message = format!("{} (in the {year} figures this import would write)", d.message);
                d
            }
        };
        if !out.contains(&told) {
            out.push(told);
        }
    }
    out
}

/// The employer file an import would write, once it is known that it may be replaced (a
/// regular file inside the site), with a problem when it is read-only (told with the file's own
/// problems, not instead of them). A folder linked out of the site is said first (the site's
/// settings would otherwise seem to be missing).
fn employer_file(root: &Path, slug: &str, year: i32) -> Result<(EmployerFile, Option<Diagnostic>), Vec<Diagnostic>> {
    let path = target(root, slug, year)?;
    writable(root, &path)?;
    let read_only = read_only(root, &path);
    let (_, set) =
        super::score::site_settings(root).map_err(|d| read_only.iter().cloned().chain(d).collect::<Vec<_>>())?;
    let text = crate::load::read_text(&path, &root.join(&path))
        .map_err(|d| read_only.iter().cloned().chain([d]).collect::<Vec<_>>())?;
    Ok((EmployerFile { path, text, set }, read_only))
}

/// The employer file an import writes (relative to the site), once the employer and the year
/// are known to be right.
fn target(root: &Path, slug: &str, year: i32) -> Result<PathBuf, Vec<Diagnostic>> {
    let this_year = crate::site::this_year();
    let mut problems = Vec::new();
    if !(1990..=this_year).contains(&year) {
        problems
            .push(Diagnostic::new(format!("--year {year}"), format!("give a reporting year from 1990 to {this_year}")));
    }
    if !crate::slug::is_valid(slug) {
        problems.push(Diagnostic::new(
            format!("--employer {slug}"),
            "an employer's short name has lower-case letters, digits and hyphens (e.g. tyne-street-bakery)",
        ));
        return Err(problems);
    }
    let folder = Path::new("content").join("employers");
    let found = ["yaml", "yml"].iter().map(|ext| folder.join(format!("{slug}.{ext}"))).find(|p| root.join(p).exists());
    match found {
        Some(p) if problems.is_empty() => Ok(p),
        Some(_) => Err(problems),
        None => {
            let (sources, _) = crate::load::load(root);
            let known: Vec<&str> = sources.employers.iter().map(|f| f.stem.as_str()).collect();
            let hint = crate::suggest::closest(slug, known.iter().copied());
            problems.push(Diagnostic::new(
                folder.join(format!("{slug}.yaml")),
                format!("{} To add a new employer, create its file first, with its name, sector, region and size (see README, \"An employer\"), then import its figures", if hint.is_empty() { format!("there is no employer `{slug}`.") } else { format!("there is no employer `{slug}`{hint}") }),
            ));
            Err(problems)
        }
    }
}

/// The employer file may be written: a regular file (not a link), in a folder that is really
/// inside the site (not `content` or `content/employers` linked elsewhere). Whether it is
/// read-only is [`read_only`]'s question, told with the file's own problems.
fn writable(root: &Path, path: &Path) -> Result<(), Vec<Diagnostic>> {
    let full = root.join(path);
    let folder = full.parent().unwrap_or(root);
    let inside_site = match (folder.canonicalize(), root.canonicalize()) {
        (Ok(f), Ok(r)) => f.starts_with(r),
        _ => false,
    };
    if !inside_site {
        // The folder that is the link: `content` itself, or `content/employers`.
        let parent = path.parent().unwrap_or(path);
        let shown = parent
            .ancestors()
            .filter(|p| !p.as_os_str().is_empty())
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .find(|p| root.join(p).symlink_metadata().is_ok_and(|m| m.file_type().is_symlink()))
            .unwrap_or(parent);
        return Err(vec![Diagnostic::new(
            shown,
            "is a link that leads outside the site's folder; an import writes only inside the site: make it a real folder of the site",
        )]);
    }
    let meta = std::fs::symlink_metadata(&full)
        .map_err(|e| vec![Diagnostic::new(path, format!("cannot read: {}", import::table::plain_io(&e)))])?;
    if meta.file_type().is_symlink() {
        return Err(vec![Diagnostic::new(
            path,
            "is a link; an import writes only a regular file: replace the link by the file itself",
        )]);
    }
    if !meta.is_file() {
        return Err(vec![Diagnostic::new(path, "is not a regular file; an import writes only a regular file")]);
    }
    Ok(())
}

/// A problem when the employer file is read-only (replacing it by renaming would otherwise
/// silently discard that protection).
fn read_only(root: &Path, path: &Path) -> Option<Diagnostic> {
    let meta = std::fs::symlink_metadata(root.join(path)).ok()?;
    meta.permissions().readonly().then(|| {
        Diagnostic::new(
            path,
            "the file is read-only, so the import will not replace it: make it writable if these figures should go in, then import again",
        )
    })
}

/// A problem when `root` holds no site.yaml, saying where it looked: the folder given with
/// `--site`, or the current folder and every folder above it.
fn no_site(given: &Path, root: &Path) -> Option<Diagnostic> {
    if root.join("site.yaml").is_file() {
        return None;
    }
    let shown = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf()).display().to_string();
    let message = if given != Path::new(".") {
        format!("no site.yaml was found in {} (given with --site): give the folder of your site", shown(given))
    } else {
        format!(
            "no site.yaml was found in {} or any folder above it: run the import inside your site's folder, or give it with --site DIR",
            shown(Path::new("."))
        )
    };
    Some(Diagnostic::new("site.yaml", message))
}

/// Whether `file` lies inside the folder `root`.
/// A problem when `file` lies in a folder whose files are published as they are (the site's
/// `static/`, or a theme's): personal data there would go out with the site.
fn in_static(file: &Path, root: &Path) -> Option<Diagnostic> {
    let (Ok(f), Ok(r)) = (file.canonicalize(), root.canonicalize()) else { return None };
    let rel = f.strip_prefix(&r).ok()?;
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned());
    let first = parts.next()?;
    // static/ and a theme's static/ are published as they are, and so are the files of a story
    // folder (content/stories/<slug>/), a `.csv` or `.txt` export among them.
    let published = match first.as_str() {
        "static" => Some("static/"),
        "themes" if parts.nth(1).is_some_and(|p| p == "static") => Some("a theme's static/"),
        "content" if parts.next().is_some_and(|p| p == "stories") => Some("a story's folder"),
        _ => None,
    };
    published.map(|folder| {
        Diagnostic::new(
            file,
            format!(
                "this export is in a folder that is published with the site as it is ({folder}): anyone could download it; move it out of the site's folder, then import it from there"
            ),
        )
    })
}

/// A problem when `file` lies in the folder a build writes (site.yaml's `output_dir`, `output/`
/// when it is not set or site.yaml cannot be read): the next build replaces that folder whole,
/// and the export with it.
fn in_output(file: &Path, root: &Path) -> Option<Diagnostic> {
    let f = file.canonicalize().ok()?;
    let site_yaml = root.join("site.yaml");
    let folder = crate::load::read_text(Path::new("site.yaml"), &site_yaml)
        .ok()
        .map(|text| crate::model::config::SiteConfig::read(&site_yaml, &text).0.output_dir)
        .filter(|d| !d.trim().is_empty() && !d.chars().any(char::is_control))
        .unwrap_or_else(|| "output".to_string());
    // An output_dir that is the site's folder or above it is refused by the build itself.
    let (Ok(out), Ok(site)) = (root.join(&folder).canonicalize(), root.canonicalize()) else { return None };
    if !f.starts_with(&out) || site.starts_with(&out) {
        return None;
    }
    Some(Diagnostic::new(
        file,
        format!(
            "this export is in the folder the site is built into ({}/): the next build replaces that folder whole and would delete it, and until then it is published with the site; move it out of the site's folder, then import it from there",
            import::words::shown(folder.trim_end_matches('/'))
        ),
    ))
}

/// A file's name for a message, control characters escaped.
fn shown_path(file: &Path) -> String {
    import::words::shown(&file.display().to_string())
}

fn inside(file: &Path, root: &Path) -> bool {
    match (file.canonicalize(), root.canonicalize()) {
        (Ok(f), Ok(r)) => f.starts_with(r),
        _ => false,
    }
}
