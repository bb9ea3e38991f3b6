//! `ladder import responses|figures` and `ladder template` (issue 18), end to end: invented
//! exports are generated here, counted here independently of the import, imported, and the
//! site is checked, scored and built. The rows never reach the site.

mod common;

use common::{example_site, ladder, read, stderr};
use ladder::model::employer::{Answers, EmployerFile, Outcome as Due, OutcomeTable, YearFile};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

const EMPLOYER: &str = "brightwater-digital";
const YEAR: i32 = 2025;

/// A small deterministic generator (xorshift): the same rows on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum G {
    Professional,
    Intermediate,
    WorkingClass,
    Other,
    PreferNot,
    Blank,
}

/// Every answer option of the toolkit, in the messy forms an export has, with its group as the
/// toolkit's table gives it (written out here, not taken from the import).
const WORDINGS: &[(&str, G)] = &[
    ("Modern professional & traditional professional occupations", G::Professional),
    ("MODERN PROFESSIONAL AND TRADITIONAL PROFESSIONAL OCCUPATIONS such as: teacher, nurse", G::Professional),
    ("Senior, middle or junior managers or administrators", G::Professional),
    ("senior middle or junior managers or administrators ", G::Professional),
    ("Clerical and intermediate occupations", G::Intermediate),
    ("Small business owners who employed less than 25 people", G::Intermediate),
    ("small-business owners who employed less than 25 people (corner shop, taxi owner)", G::Intermediate),
    ("Technical and craft occupations", G::WorkingClass),
    ("Routine, semi-routine manual and service occupations", G::WorkingClass),
    ("routine semi routine manual & service occupations", G::WorkingClass),
    (
        "Long-term unemployed (claimed Jobseeker's Allowance or earlier unemployment benefit for more than a year)",
        G::WorkingClass,
    ),
    ("Other such as: retired, this question does not apply to me, I don't know", G::Other),
    ("Other", G::Other),
    ("I prefer not to say", G::PreferNot),
    ("i prefer not to say.", G::PreferNot),
    ("", G::Blank),
    ("   ", G::Blank),
];

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum St {
    Applied,
    Started,
    Cohort,
}

/// A generated person: what was written, and what it means (known to the generator).
struct Person {
    cells: Vec<String>,
    stage: St,
    group: G,
    band: Option<&'static str>,
    /// Functional skills, completion, progression: None when not due, else achieved or not.
    outcomes: [Option<bool>; 3],
}

const HEADINGS: [&str; 9] = [
    " Person ID ",
    "STAGE",
    "What was the occupation of your main household earner when you were about aged 14?",
    "Apprenticeship Level",
    "Functional Skills (achieved?)",
    "Completed?",
    "Progressed?",
    "Free-text comments",
    "Date of application",
];

fn people(n: usize, seed: u64, marker: &str) -> Vec<Person> {
    let mut rng = Rng(seed);
    let mut out = Vec::new();
    for i in 0..n {
        let stage = [St::Applied, St::Applied, St::Applied, St::Started, St::Cohort, St::Cohort][rng.below(6)];
        let stage_text = match stage {
            St::Applied => rng.pick(&["Applied", "applicant", "APPLICATION"]),
            St::Started => rng.pick(&["Started", "new starter", "Starts"]),
            St::Cohort => rng.pick(&["Cohort", "in the cohort", "Current apprentice"]),
        };
        let (wording, group) = WORDINGS[rng.below(WORDINGS.len())];
        let mut band = None;
        let mut level_text = String::new();
        let mut outcomes = [None; 3];
        let mut outcome_text = vec![String::new(); 3];
        if stage == St::Cohort {
            let levels: &[(&str, Option<&'static str>)] = &[
                ("2", Some("2")),
                ("Level 2", Some("2")),
                ("3", Some("3")),
                ("L3", Some("3")),
                ("Level 4", Some("4-5")),
                ("5", Some("4-5")),
                ("6", Some("6-7")),
                ("Level 7", Some("6-7")),
            ];
            let (t, b) = levels[rng.below(levels.len())];
            level_text = t.to_string();
            band = b;
            let yes_no = |rng: &mut Rng| match rng.below(3) {
                0 => None,
                1 => Some(true),
                _ => Some(false),
            };
            outcomes[0] = yes_no(&mut rng);
            outcomes[1] = yes_no(&mut rng);
            // Progression is counted among completers only.
            outcomes[2] = if outcomes[1] == Some(true) { yes_no(&mut rng) } else { None };
            for (k, o) in outcomes.iter().enumerate() {
                outcome_text[k] = match o {
                    None => rng.pick(&["", "n/a", "Not due"]).to_string(),
                    Some(true) => rng.pick(&["Yes", "Y", "yes"]).to_string(),
                    Some(false) => rng.pick(&["No", "N", "no"]).to_string(),
                };
            }
        }
        let cells = vec![
            format!("P-{seed}-{i:05}"),
            stage_text.to_string(),
            wording.to_string(),
            level_text,
            outcome_text[0].clone(),
            outcome_text[1].clone(),
            outcome_text[2].clone(),
            format!("{marker} said something private about row {i}, \"quoted\", with a comma"),
            "2025-03-01".to_string(),
        ];
        out.push(Person { cells, stage, group, band, outcomes });
    }
    out
}

/// The counts the import must write, worked out from the generator's own knowledge.
#[derive(Default, Debug, PartialEq)]
struct Expected {
    stages: BTreeMap<String, Answers>,
    levels: BTreeMap<String, Answers>,
    outcomes: BTreeMap<usize, OutcomeTable>,
}

fn expected(people: &[Person]) -> Expected {
    let mut e = Expected::default();
    let count = |a: &mut Answers, g: G| {
        a.asked += 1;
        match g {
            G::Professional => a.professional += 1,
            G::Intermediate => a.intermediate += 1,
            G::WorkingClass => a.working_class += 1,
            G::Other => a.other += 1,
            G::PreferNot => a.prefer_not_to_say += 1,
            G::Blank => {}
        }
    };
    for p in people {
        let stage = match p.stage {
            St::Applied => "applicants",
            St::Started => "starts",
            St::Cohort => "cohort",
        };
        count(e.stages.entry(stage.into()).or_default(), p.group);
        if p.stage != St::Cohort {
            continue;
        }
        if let Some(b) = p.band {
            count(e.levels.entry(b.into()).or_default(), p.group);
        }
        for (k, o) in p.outcomes.iter().enumerate() {
            let t = e.outcomes.entry(k).or_default();
            let cell: &mut Due = match p.group {
                G::Professional => &mut t.professional,
                G::Intermediate => &mut t.intermediate,
                G::WorkingClass => &mut t.working_class,
                _ => continue,
            };
            if let Some(achieved) = o {
                cell.due += 1;
                cell.achieved += u32::from(*achieved);
            }
        }
    }
    e
}

fn write_csv(path: &Path, people: &[Person]) {
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record(HEADINGS).unwrap();
    for p in people {
        w.write_record(&p.cells).unwrap();
    }
    w.flush().unwrap();
}

fn write_xlsx(path: &Path, sheet: &str, people: &[Person]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet).unwrap();
    for (c, h) in HEADINGS.iter().enumerate() {
        ws.write(0, c as u16, *h).unwrap();
    }
    for (r, p) in people.iter().enumerate() {
        for (c, v) in p.cells.iter().enumerate() {
            // Levels typed as numbers, as a spreadsheet stores them.
            match v.parse::<f64>() {
                Ok(n) if c == 3 => ws.write((r + 1) as u32, c as u16, n).unwrap(),
                _ => ws.write((r + 1) as u32, c as u16, v.as_str()).unwrap(),
            };
        }
    }
    book.save(path).unwrap();
}

/// The same rows as an OpenDocument spreadsheet (LibreOffice's format), written by hand: its
/// parts are a mimetype, a manifest and the cells in content.xml.
fn write_ods(path: &Path, sheet: &str, people: &[Person]) {
    let esc = |t: &str| t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    let row = |cells: &mut String, values: &[String]| {
        cells.push_str("<table:table-row>");
        for v in values {
            if v.is_empty() {
                cells.push_str("<table:table-cell/>");
            } else {
                cells.push_str(&format!(
                    "<table:table-cell office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>",
                    esc(v)
                ));
            }
        }
        cells.push_str("</table:table-row>");
    };
    let mut cells = String::new();
    row(&mut cells, &HEADINGS.map(String::from));
    for p in people {
        row(&mut cells, &p.cells);
    }
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\"><office:body><office:spreadsheet><table:table table:name=\"{sheet}\">{cells}</table:table></office:spreadsheet></office:body></office:document-content>"
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\"><manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/><manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>";
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    zip.start_file("META-INF/manifest.xml", zip::write::SimpleFileOptions::default()).unwrap();
    zip.write_all(manifest.as_bytes()).unwrap();
    zip.start_file("content.xml", zip::write::SimpleFileOptions::default()).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.finish().unwrap();
}

fn employer_path(site: &Path) -> PathBuf {
    site.join("content/employers").join(format!("{EMPLOYER}.yaml"))
}

fn year_of(site: &Path, year: i32) -> YearFile {
    let file: EmployerFile = serde_saphyr::from_str(&read(&employer_path(site))).unwrap();
    file.years.value.into_iter().find(|y| y.year.value == year).expect("the year is in the file")
}

fn assert_year_holds(site: &Path, e: &Expected) {
    let y = year_of(site, YEAR);
    let kq = &y.key_question;
    let got = |a: &Option<serde_saphyr::Spanned<Answers>>| a.as_ref().map(|s| s.value).unwrap_or_default();
    assert_eq!(got(&kq.applicants), e.stages["applicants"], "applicants");
    assert_eq!(got(&kq.starts), e.stages["starts"], "starts");
    assert_eq!(got(&kq.cohort), e.stages["cohort"], "cohort");
    let levels: BTreeMap<String, Answers> = kq.levels.iter().map(|(k, v)| (k.clone(), v.value)).collect();
    assert_eq!(levels, e.levels, "levels");
    let o = &y.outcomes;
    for (k, t) in [&o.functional_skills, &o.completion, &o.progression].into_iter().enumerate() {
        assert_eq!(t.as_ref().map(|t| t.value), e.outcomes.get(&k).copied(), "outcome {k}");
    }
}

fn ok(o: &std::process::Output, what: &str) -> String {
    assert!(o.status.success(), "{what} failed:\n{}", stderr(o));
    stderr(o)
}

#[test]
fn a_responses_export_is_counted_as_the_toolkit_counts_it_and_the_site_builds() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let rows = people(3000, 18, "note");
    let e = expected(&rows);
    // The export covers every answer option, blanks, every stage and level band, and outcomes.
    assert_eq!(e.stages.len(), 3);
    assert_eq!(e.levels.len(), 4);
    assert!(e.stages.values().all(|a| a.other > 0 && a.prefer_not_to_say > 0 && a.answered() < a.asked as u64));
    assert!(e.outcomes.values().all(|t| t.working_class.due > t.working_class.achieved && t.professional.achieved > 0));

    let before = read(&employer_path(site.path()));
    let csv = dir.path().join("export.csv");
    write_csv(&csv, &rows);
    let args = |f: &Path| {
        vec![
            "import".to_string(),
            "responses".into(),
            f.display().to_string(),
            "--employer".into(),
            EMPLOYER.into(),
            "--year".into(),
            YEAR.to_string(),
        ]
    };
    let run = |f: &Path| {
        let a = args(f);
        ladder(site.path(), &strs(&a))
    };
    let said = ok(&run(&csv), "import");
    assert!(said.contains("read 3000 people"), "{said}");
    assert!(said.contains("\"Free-text comments\"") && said.contains("no row, id, name or comment"), "{said}");
    assert_year_holds(site.path(), &e);
    let after = read(&employer_path(site.path()));
    assert_ne!(before, after);
    // Only 2025 changed: the profile, 2024 and 2025's practices are as they were, comment included.
    let head = |t: &str| t[..t.find("  - year: 2025").unwrap()].to_string();
    let practices = |t: &str| t[t.rfind("    practices:").unwrap()..].to_string();
    assert_eq!(head(&after), head(&before));
    assert_eq!(practices(&after), practices(&before));
    assert!(after.starts_with("# Example employer (invented)."));

    // The same export twice: the same bytes.
    ok(&run(&csv), "second import");
    assert_eq!(read(&employer_path(site.path())), after, "a second import changed the file");
    // The same rows as an .xlsx workbook (levels as numbers) give the same file.
    let xlsx = dir.path().join("export.xlsx");
    write_xlsx(&xlsx, "Export", &rows);
    let said = ok(&run(&xlsx), "xlsx import");
    assert!(said.contains("unchanged"), "{said}");
    assert_eq!(read(&employer_path(site.path())), after);
    // And as an .ods spreadsheet.
    let ods = dir.path().join("export.ods");
    write_ods(&ods, "Survey", &rows);
    let said = ok(&run(&ods), "ods import");
    assert!(
        said.contains("read 3000 people") && said.contains("sheet \"Survey\"") && said.contains("unchanged"),
        "{said}"
    );
    assert_eq!(read(&employer_path(site.path())), after);

    ok(&ladder(site.path(), &["check"]), "check");
    let score = ladder(site.path(), &["score", &format!("content/employers/{EMPLOYER}.yaml")]);
    let card = String::from_utf8_lossy(&score.stdout).into_owned();
    assert!(score.status.success() && card.contains("Brightwater Digital") && card.contains("Level 6–7"), "{card}");
    ok(&ladder(site.path(), &["build", "--quiet"]), "build");
    let page = read(&site.path().join(format!("output/employers/{EMPLOYER}/index.html")));
    assert!(page.contains("Brightwater Digital"));
}

#[test]
fn the_example_sites_responses_file_and_mapping_import_cleanly() {
    let site = example_site();
    let repo = common::repo();
    let csv = repo.join("examples/import/tyne-street-bakery-2025-responses.csv");
    let mapping = repo.join("examples/import/tyne-street-bakery.mapping.yaml");
    let file = site.path().join("content/employers/tyne-street-bakery.yaml");
    let before = read(&file);
    let o = ladder(
        site.path(),
        &[
            "import",
            "responses",
            &csv.display().to_string(),
            "--employer",
            "tyne-street-bakery",
            "--year",
            "2025",
            "--mapping",
            &mapping.display().to_string(),
        ],
    );
    ok(&o, "import");
    let after = read(&file);
    // Its key question's counts are the ones already published: those lines are kept as written;
    // the levels and outcomes are new.
    for line in before.lines().filter(|l| l.contains("{asked:")) {
        assert!(after.contains(line), "{line} was rewritten");
    }
    assert!(
        after.contains("\"4-5\": {asked: 2,") && after.contains("progression: {professional: {due: 2, achieved: 1}"),
        "{after}"
    );
    ok(&ladder(site.path(), &["check"]), "check");
}

/// Fill in cells of an .xlsx file as a person would: each `(sheet, cell, value)` replaces the
/// template's empty yellow cell with a number or text.
fn fill(template: &[u8], cells: &[(&str, &str, String)]) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(template.to_vec())).unwrap();
    let mut files = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        files.push((f.name().unwrap().to_string(), bytes));
    }
    // Sheet names in workbook order → xl/worksheets/sheetN.xml.
    let workbook = String::from_utf8(files.iter().find(|f| f.0 == "xl/workbook.xml").unwrap().1.clone()).unwrap();
    let names: Vec<String> =
        workbook.split("<sheet name=\"").skip(1).map(|s| s[..s.find('"').unwrap()].to_string()).collect();
    for (sheet, cell, value) in cells {
        let n = names.iter().position(|s| s == sheet).unwrap_or_else(|| panic!("no sheet {sheet}")) + 1;
        let path = format!("xl/worksheets/sheet{n}.xml");
        let fi = files.iter().position(|f| f.0 == path).unwrap();
        let xml = String::from_utf8(files[fi].1.clone()).unwrap();
        let start =
            xml.find(&format!("<c r=\"{cell}\" ")).unwrap_or_else(|| panic!("{sheet}!{cell} is not a cell to fill"));
        let end = start + xml[start..].find("/>").unwrap() + 2;
        let open = &xml[start..end - 2];
        // A number shown in a format of its own: `%3` as a percentage (300%, built-in format 9),
        // `/2.5` as a fraction (2 1/2, built-in format 12), `~1` as TRUE (a format of text alone,
        // as LibreOffice saves a true/false cell): a style of that format added.
        let styled = [('%', "9"), ('/', "12"), ('~', "164")]
            .into_iter()
            .find_map(|(mark, format)| value.strip_prefix(mark).map(|number| (format, number)));
        let filled = if let Some((format, number)) = styled {
            let styles = files.iter_mut().find(|f| f.0 == "xl/styles.xml").unwrap();
            let mut xml = String::from_utf8(styles.1.clone()).unwrap();
            if format == "164" && !xml.contains("numFmtId=\"164\"") {
                let own =
                    "<numFmt numFmtId=\"164\" formatCode=\"&quot;TRUE&quot;;&quot;TRUE&quot;;&quot;FALSE&quot;\"/>";
                xml = match xml.find("<numFmts count=\"") {
                    Some(_) => xml.replacen("</numFmts>", &format!("{own}</numFmts>"), 1),
                    None => xml.replacen("<fonts", &format!("<numFmts count=\"1\">{own}</numFmts><fonts"), 1),
                };
            }
            let (head, tail) = xml.split_once("</cellXfs>").unwrap();
            let index = head[head.find("<cellXfs").unwrap()..].matches("<xf ").count();
            styles.1 =
                format!("{head}<xf numFmtId=\"{format}\" applyNumberFormat=\"1\"/></cellXfs>{tail}").into_bytes();
            let open = match open.find(" s=\"") {
                Some(at) => format!("{}{}", &open[..at], &open[at + 4 + open[at + 4..].find('"').unwrap() + 1..]),
                None => open.to_string(),
            };
            format!("{open} s=\"{index}\"><v>{number}</v></c>")
        } else if let Some(b) = value.strip_prefix('!') {
            // A true/false cell (`!1` is TRUE).
            format!("{open} t=\"b\"><v>{b}</v></c>")
        } else if let Some(formula) = value.strip_prefix('=') {
            // A formula, with the value a spreadsheet program would have saved beside it.
            format!("{open}><f>{formula}</f><v>5</v></c>")
        } else if let Some(text) = value.strip_prefix('\'') {
            // A number typed into a cell formatted as text.
            format!("{open} t=\"inlineStr\"><is><t>{text}</t></is></c>")
        } else if value.parse::<f64>().is_ok() {
            format!("{open}><v>{value}</v></c>")
        } else {
            format!("{open} t=\"inlineStr\"><is><t>{value}</t></is></c>")
        };
        files[fi].1 = format!("{}{filled}{}", &xml[..start], &xml[end..]).into_bytes();
    }
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in files {
        out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn template(dir: &Path) -> Vec<u8> {
    let path = dir.join("figures.xlsx");
    ok(&ladder(dir, &["template", "figures.xlsx"]), "template");
    std::fs::read(path).unwrap()
}

#[test]
fn the_figures_template_filled_in_is_imported_figure_for_figure() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let blank = template(dir.path());
    // The template refuses to overwrite a (perhaps filled-in) copy.
    assert!(!ladder(dir.path(), &["template", "figures.xlsx"]).status.success());

    // Its sheets, data validation on every cell to fill in, and the toolkit's notes.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(blank.clone())).unwrap();
    let mut text = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let workbook = text("xl/workbook.xml");
    for sheet in ["About", "Applicants", "Starts", "Cohort", "Levels", "Functional skills", "Completion", "Progression"]
    {
        assert!(workbook.contains(&format!("<sheet name=\"{sheet}\"")), "{sheet} missing");
    }
    assert!(text("xl/worksheets/sheet2.xml").contains("sqref=\"C4:C9\""), "no validation on Applicants");
    assert!(text("xl/worksheets/sheet5.xml").contains("sqref=\"C4:F9\""), "no validation on Levels");
    assert!(text("xl/worksheets/sheet8.xml").contains("sqref=\"C4:D6\""), "no validation on Progression");
    assert!(text("xl/comments3.xml").contains("Who gets an offer and starts on your programme"));

    let mut rng = Rng(2025);
    let mut cells: Vec<(&str, &str, String)> =
        vec![("About", "B3", EMPLOYER.into()), ("About", "B4", YEAR.to_string())];
    let mut e = Expected::default();
    let answers = |rng: &mut Rng| {
        let groups: Vec<u32> = (0..5).map(|_| rng.below(400) as u32).collect();
        let asked = groups.iter().sum::<u32>() + rng.below(50) as u32;
        Answers {
            asked,
            professional: groups[0],
            intermediate: groups[1],
            working_class: groups[2],
            other: groups[3],
            prefer_not_to_say: groups[4],
        }
    };
    const ROWS: [&str; 6] = ["4", "5", "6", "7", "8", "9"];
    let col_cells = |col: &'static str, a: &Answers| -> Vec<(&'static str, String)> {
        let v = [a.asked, a.professional, a.intermediate, a.working_class, a.other, a.prefer_not_to_say];
        ROWS.iter()
            .zip(v)
            .map(|(r, n)| (Box::leak(format!("{col}{r}").into_boxed_str()) as &str, n.to_string()))
            .collect()
    };
    for (sheet, stage) in [("Applicants", "applicants"), ("Starts", "starts")] {
        let a = answers(&mut rng);
        cells.extend(col_cells("C", &a).into_iter().map(|(c, v)| (sheet, c, v)));
        e.stages.insert(stage.into(), a);
    }
    // The cohort holds the level bands' people, and a few more asked (each person is at one level).
    let mut cohort = Answers::default();
    for (col, band) in [("C", "2"), ("D", "3"), ("E", "4-5"), ("F", "6-7")] {
        let a = answers(&mut rng);
        cells.extend(col_cells(col, &a).into_iter().map(|(c, v)| ("Levels", c, v)));
        e.levels.insert(band.into(), a);
        cohort.asked += a.asked;
        cohort.professional += a.professional;
        cohort.intermediate += a.intermediate;
        cohort.working_class += a.working_class;
        cohort.other += a.other;
        cohort.prefer_not_to_say += a.prefer_not_to_say;
    }
    cohort.asked += rng.below(50) as u32;
    cells.extend(col_cells("C", &cohort).into_iter().map(|(c, v)| ("Cohort", c, v)));
    e.stages.insert("cohort".into(), cohort);
    let mut completion = OutcomeTable::default();
    for (k, sheet) in ["Functional skills", "Completion", "Progression"].into_iter().enumerate() {
        let mut t = OutcomeTable::default();
        for (i, (g, c)) in [
            (&mut t.professional, completion.professional),
            (&mut t.intermediate, completion.intermediate),
            (&mut t.working_class, completion.working_class),
        ]
        .into_iter()
        .enumerate()
        {
            let due = if k == 2 { rng.below(c.achieved as usize + 1) as u32 } else { 1 + rng.below(300) as u32 };
            let achieved = rng.below(due as usize + 1) as u32;
            *g = Due { due, achieved };
            let row = ["4", "5", "6"][i];
            cells.push((sheet, Box::leak(format!("C{row}").into_boxed_str()), due.to_string()));
            cells.push((sheet, Box::leak(format!("D{row}").into_boxed_str()), achieved.to_string()));
        }
        if k == 1 {
            completion = t;
        }
        e.outcomes.insert(k, t);
    }
    let filled = dir.path().join("filled.xlsx");
    std::fs::write(&filled, fill(&blank, &cells)).unwrap();

    let import = || ladder(site.path(), &["import", "figures", &filled.display().to_string()]);
    ok(&import(), "import figures");
    assert_year_holds(site.path(), &e);
    let after = read(&employer_path(site.path()));
    ok(&import(), "second import");
    assert_eq!(read(&employer_path(site.path())), after, "a second import changed the file");
    ok(&ladder(site.path(), &["check"]), "check");
    let score = ladder(site.path(), &["score", &format!("content/employers/{EMPLOYER}.yaml")]);
    assert!(score.status.success() && String::from_utf8_lossy(&score.stdout).contains("Completion"));
    ok(&ladder(site.path(), &["build", "--quiet"]), "build");
}

#[test]
fn no_row_of_a_responses_file_reaches_the_content_or_the_built_site() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let marker = "zq7-PRIVATE-4c1d9e";
    let rows = people(1500, 7, marker);
    let csv = dir.path().join("responses.csv");
    write_csv(&csv, &rows);
    assert!(read(&csv).contains(marker) && read(&csv).contains("P-7-01499"), "the marker is planted");
    let content_before = common::tree(&site.path().join("content"));
    let o = ladder(
        site.path(),
        &["import", "responses", &csv.display().to_string(), "--employer", EMPLOYER, "--year", "2025"],
    );
    ok(&o, "import");
    ok(&ladder(site.path(), &["build", "--quiet"]), "build");
    let content_after = common::tree(&site.path().join("content"));
    // The import changed one file, and added none.
    let changed: Vec<&String> =
        content_after.keys().filter(|k| content_before.get(*k) != content_after.get(*k)).collect();
    assert_eq!(changed, [&format!("employers/{EMPLOYER}.yaml")]);
    let mut searched = 0;
    for folder in ["content", "output"] {
        for (name, bytes) in common::tree(&site.path().join(folder)) {
            let text = String::from_utf8_lossy(&bytes);
            searched += 1;
            assert!(!text.contains(marker), "{folder}/{name} holds the free-text marker");
            assert!(!text.contains("P-7-0"), "{folder}/{name} holds a person id");
            assert!(!text.contains("said something private"), "{folder}/{name} holds a comment");
        }
    }
    assert!(searched > 50, "only {searched} files searched");
    // Nothing left beside the employer files: no temporary copy, no export.
    let names: Vec<String> = std::fs::read_dir(site.path().join("content/employers"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| n.ends_with(".yaml") && !n.starts_with('.')), "{names:?}");
}

/// Runs an import that must fail; returns what it said, after checking that the employer
/// folder is byte for byte as it was.
fn refused(site: &Path, args: &[&str]) -> String {
    let before = common::tree(&site.join("content"));
    let o = ladder(site, args);
    let said = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(said.contains("nothing was written"), "{said}");
    assert_eq!(common::tree(&site.join("content")), before, "a refused import changed the content");
    said
}

#[test]
fn bad_spreadsheets_are_refused_with_sheet_row_and_column_and_nothing_is_written() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let header = "Person ID,Stage,Key question,Level,Comments\n";
    let good =
        "P1,Applied,Clerical and intermediate occupations,,fine\nP2,Cohort,Technical and craft occupations,3,fine\n";
    let run = |name: &str, body: &str| {
        let f = dir.path().join(name);
        std::fs::write(&f, format!("{header}{good}{body}")).unwrap();
        let args = ["import", "responses", f.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025"];
        refused(site.path(), &args)
    };
    // Row 4: an answer that is not the toolkit's.
    let said = run("unknown.csv", "P3,Applied,Plumber,,x\n");
    assert!(
        said.contains("error in `unknown!C4`") && said.contains("`Plumber` is not one of the key question's answers"),
        "{said}"
    );
    // Row 5: the person of row 2 again, at the same stage.
    let said = run("duplicate.csv", "P3,Applied,Other,,x\nP1,applicant,Other,,x\n");
    assert!(
        said.contains("error in `duplicate!A5`") && said.contains("appears twice at stage applied (first on row 2)"),
        "{said}"
    );
    assert!(!said.contains("P1"), "the message repeats the person id: {said}");
    // Row 4: a level outside the toolkit's bands.
    let said = run("level.csv", "P3,Cohort,Other,8,x\n");
    assert!(
        said.contains("error in `level!D4`") && said.contains("level `8` is outside the toolkit's bands"),
        "{said}"
    );
    // All of them at once, in one run.
    let said = run("all.csv", "P3,Applied,Plumber,,x\nP1,Applied,Other,,x\nP4,Cohort,Other,Level 1,x\n");
    for at in ["all!C4", "all!A5", "all!D6"] {
        assert!(said.contains(at), "{at} missing: {said}");
    }
    assert!(said.contains("3 problems found"), "{said}");
    // An .xlsx export names its sheet.
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("Export").unwrap();
    for (r, line) in format!("{header}{good}P3,Started,Routine; semi routine,2,x\n").lines().enumerate() {
        for (c, v) in line.split(',').enumerate() {
            ws.write(r as u32, c as u16, v).unwrap();
        }
    }
    let xlsx = dir.path().join("export.xlsx");
    book.save(&xlsx).unwrap();
    let said = refused(
        site.path(),
        &["import", "responses", xlsx.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025"],
    );
    assert!(said.contains("error in `Export!C4`"), "{said}");

    // The figures template: a count that is not a number, and answers above the people asked.
    let blank = template(dir.path());
    let cells = vec![
        ("About", "B3", EMPLOYER.to_string()),
        ("About", "B4", "2025".to_string()),
        ("Starts", "C4", "64".to_string()),
        ("Starts", "C5", "71".to_string()),
        ("Cohort", "C4", "10".to_string()),
        ("Cohort", "C6", "twelve".to_string()),
        ("Completion", "C5", "3".to_string()),
        ("Completion", "D5", "4".to_string()),
    ];
    let bad = dir.path().join("bad.xlsx");
    std::fs::write(&bad, fill(&blank, &cells)).unwrap();
    let said = refused(site.path(), &["import", "figures", bad.to_str().unwrap()]);
    assert!(said.contains("error in `Starts!C4`: answers (71) exceed people asked (64)"), "{said}");
    assert!(said.contains("error in `Cohort!C6`: `twelve` is not a number of people"), "{said}");
    assert!(said.contains("error in `Completion!D5`: achieved (4) is more than due (3)"), "{said}");
}

// ---- Issue 18 hardening: what an outside tester tried. ----

/// A workbook whose one sheet is `unpacked` bytes of zeros, deflated; when `declare` is given,
/// both of the zip's headers are made to claim that size instead (a lying bomb).
fn bomb(path: &Path, unpacked: usize, declare: Option<u32>) {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("xl/worksheets/sheet1.xml", deflated).unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..unpacked / chunk.len() {
        zip.write_all(&chunk).unwrap();
    }
    let mut bytes = zip.finish().unwrap().into_inner();
    if let Some(size) = declare {
        let patch = |bytes: &mut Vec<u8>, sig: &[u8], at: usize| {
            let i = bytes.windows(4).position(|w| w == sig).unwrap();
            bytes[i + at..i + at + 4].copy_from_slice(&size.to_le_bytes());
        };
        patch(&mut bytes, b"PK\x03\x04", 22);
        patch(&mut bytes, b"PK\x01\x02", 24);
    }
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_compressed_bomb_is_refused_quickly_before_it_is_unpacked() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    // Honest headers: 300 MB of spaces in one part, a few hundred kilobytes on disk.
    let honest = dir.path().join("honest.xlsx");
    bomb(&honest, 300 << 20, None);
    assert!(std::fs::metadata(&honest).unwrap().len() < 2 << 20);
    // Lying headers: the part claims 1 kB but unpacks to 100 MB.
    let lying = dir.path().join("lying.ods");
    bomb(&lying, 100 << 20, Some(1000));
    for (f, what) in [(&honest, "would unpack to 300 MB"), (&lying, "does not unpack to the size it declares")] {
        let start = std::time::Instant::now();
        let said = refused(
            site.path(),
            &["import", "responses", f.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025"],
        );
        assert!(start.elapsed() < std::time::Duration::from_secs(10), "took {:?}", start.elapsed());
        assert!(said.contains(&f.display().to_string()), "the message names the file: {said}");
        assert!(said.contains("this spreadsheet is refused") && said.contains(what), "{said}");
        assert!(!said.to_lowercase().contains("zip"), "{said}");
    }
    // The figures import reads workbooks the same way.
    let said = refused(site.path(), &["import", "figures", honest.to_str().unwrap()]);
    assert!(said.contains("would unpack to 300 MB"), "{said}");
    // Two cells far apart (A1 and XFD1048576): a file of a few kilobytes whose sheet would
    // need room for 17 billion cells.
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.write(0, 0, "Stage").unwrap();
    ws.write(1_048_575, 16_383, "x").unwrap();
    let sparse = dir.path().join("sparse.xlsx");
    book.save(&sparse).unwrap();
    let start = std::time::Instant::now();
    let said = refused(
        site.path(),
        &["import", "responses", sparse.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025"],
    );
    assert!(start.elapsed() < std::time::Duration::from_secs(10), "took {:?}", start.elapsed());
    assert!(said.contains("sheet \"Sheet1\" spans 1048576 rows by 16384 columns (up to XFD1048576)"), "{said}");
    // A CSV file of 20 MB of commas: 20 million empty cells, refused before they are all kept.
    let commas = dir.path().join("commas.csv");
    let mut text = String::from("Stage,Key question\n");
    text.push_str(&",".repeat(20 << 20));
    std::fs::write(&commas, text).unwrap();
    let said = refused(
        site.path(),
        &["import", "responses", commas.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025"],
    );
    assert!(said.contains("the file has more than 10000000 cells (by row 2)"), "{said}");
}

#[cfg(unix)]
#[test]
fn an_employer_folder_linked_out_of_the_site_is_refused() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export.csv");
    std::fs::write(&export, "Stage,Key question\nApplied,Clerical and intermediate occupations\n").unwrap();
    let args = ["import", "responses", export.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025"];
    // content/employers is a link to a folder outside the site.
    let outside = tempfile::tempdir().unwrap();
    let employers = site.path().join("content/employers");
    let moved = outside.path().join("employers");
    std::fs::rename(&employers, &moved).unwrap();
    std::os::unix::fs::symlink(&moved, &employers).unwrap();
    let before = common::tree(&moved);
    let said = refused(site.path(), &args);
    assert!(said.contains("content/employers: error: is a link that leads outside the site's folder"), "{said}");
    assert_eq!(common::tree(&moved), before, "the folder outside the site was written");
    // content/ itself is a link out of the site: it is named, not the site's settings.
    std::fs::remove_file(&employers).unwrap();
    std::fs::rename(&moved, &employers).unwrap();
    let content = site.path().join("content");
    let moved = outside.path().join("content");
    std::fs::rename(&content, &moved).unwrap();
    std::os::unix::fs::symlink(&moved, &content).unwrap();
    let before = common::tree(&moved);
    let said = refused(site.path(), &args);
    assert!(said.contains("content: error: is a link that leads outside the site's folder"), "{said}");
    assert!(!said.contains("benchmark set"), "{said}");
    assert_eq!(common::tree(&moved), before, "the folder outside the site was written");
}

#[test]
fn the_employer_files_problems_are_told_with_the_spreadsheets() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export.csv");
    std::fs::write(&export, "Stage,Key question\napplied,Plumber\n").unwrap();
    let file = employer_path(site.path());
    std::fs::write(&file, read(&file).replacen("\nregion:", "\nregon:", 1)).unwrap();
    let said = refused(
        site.path(),
        &["import", "responses", export.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025"],
    );
    assert!(said.contains("`Plumber` is not one of the key question's answers"), "{said}");
    assert!(said.contains("regon"), "the employer file's typo is told in the same run: {said}");
    assert!(said.contains("2 problems found") || said.contains("3 problems found"), "{said}");
}

#[cfg(unix)]
#[test]
fn a_read_only_employer_file_is_not_replaced() {
    use std::os::unix::fs::PermissionsExt;
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export.csv");
    std::fs::write(&export, "Stage,Key question\nApplied,Clerical and intermediate occupations\n").unwrap();
    let args = ["import", "responses", export.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025"];
    let file = employer_path(site.path());
    let text = read(&file);
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
    let said = refused(site.path(), &args);
    assert!(said.contains("the file is read-only"), "{said}");
    assert_eq!(read(&file), text);
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o444);
}

#[test]
fn a_csv_quote_that_is_never_closed_is_an_error_at_the_row_it_opens() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("unclosed.csv");
    std::fs::write(
        &f,
        "Person ID,Stage,Key question,Level\nP1,Applied,Other,\nP2,Applied,Other,\nP3,Applied,\"Clerical and intermediate occupations,\nP4,Applied,Other,\nP5,Applied,Other,\n",
    )
    .unwrap();
    let said =
        refused(site.path(), &["import", "responses", f.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025"]);
    assert!(said.contains("error in `unclosed!C4`") && said.contains("never closed"), "{said}");
}

/// Outside round 17b, item 6: a CSV file saved by Excel as plain "CSV" (Windows' own encoding,
/// cp1252) was refused without the line at fault or the menu that saves it right.
#[test]
fn a_csv_saved_in_windows_encoding_is_refused_at_its_line_with_how_to_save_it() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("ansi.csv");
    let mut bytes = b"Person ID,Stage,Key question,Level\r\nP1,Applied,Other,\r\nP2,Applied,".to_vec();
    bytes.extend(b"Small business owner \x96 caf\xe9,\r\nP3,Applied,Other,\r\n");
    std::fs::write(&f, bytes).unwrap();
    let said =
        refused(site.path(), &["import", "responses", f.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025"]);
    assert!(said.contains("ansi.csv:3:33: error: the file is not saved as UTF-8 text: line 3"), "{said}");
    assert!(said.contains("(`–`?)"), "{said}");
    assert!(said.contains("save it as CSV UTF-8 (Excel: File > Save As > CSV UTF-8"), "{said}");
    // Saved as "Unicode Text": UTF-16, told as such.
    let f = dir.path().join("unicode.csv");
    let utf16: Vec<u8> =
        [0xFEFFu16].into_iter().chain("Person ID,Stage\n".encode_utf16()).flat_map(u16::to_le_bytes).collect();
    std::fs::write(&f, utf16).unwrap();
    let said =
        refused(site.path(), &["import", "responses", f.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025"]);
    assert!(said.contains("unicode.csv: error: the file is saved as Unicode Text (UTF-16)"), "{said}");
    assert!(said.contains("save it as CSV UTF-8 (Excel: File > Save As > CSV UTF-8"), "{said}");
}

#[test]
fn an_answer_that_only_starts_like_an_option_or_adds_to_it_is_unknown() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("loose.csv");
    std::fs::write(
        &f,
        "Person ID,Stage,Key question\nP1,Applied,Other\nP2,Applied,Clerical and intermediate occupations - maybe\nP3,Applied,Senior\nP4,Applied,\"Technical and craft occupations, such as: plumber\"\n",
    )
    .unwrap();
    let said =
        refused(site.path(), &["import", "responses", f.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025"]);
    assert!(
        said.contains("error in `loose!C3`")
            && said.contains("`Clerical and intermediate occupations - maybe` is not one of"),
        "{said}"
    );
    assert!(said.contains("error in `loose!C4`") && said.contains("`Senior` is not one of"), "{said}");
    assert!(!said.contains("loose!C5"), "the toolkit's own examples after a heading are its wording: {said}");
    assert!(said.contains("2 problems found"), "{said}");
}

#[test]
fn a_mapping_file_cannot_move_the_toolkits_own_answers_to_another_group() {
    let site = example_site();
    let (dir, args) = export_with_mapping(
        "Stage,Key question\nApplied,Senior managers or administrators\nApplied,Boss\n",
        "answers:\n  Senior managers or administrators: working_class\n  \"Clerical and intermediate occupations\": professional\n  Boss: professional\n",
    );
    let said = refused(site.path(), &strs(&args));
    assert!(
        said.contains("\"Senior managers or administrators\" is one of the toolkit's own answers, in the group professional; a mapping file cannot move it to working_class"),
        "{said}"
    );
    assert!(
        said.contains(
            "\"Clerical and intermediate occupations\" is one of the toolkit's own answers, in the group intermediate"
        ),
        "{said}"
    );
    assert!(said.contains("2 problems found"), "{said}");
    // Wordings of one's own may be added, and the toolkit's kept in their group.
    let mapping = dir.path().join("mapping.yaml");
    std::fs::write(&mapping, "answers:\n  Senior managers or administrators: professional\n  Boss: professional\n")
        .unwrap();
    let o = ladder(site.path(), &strs(&args));
    ok(&o, "a mapping that only adds wordings");
    assert_eq!(year_of(site.path(), 2025).key_question.applicants.unwrap().value.professional, 2);
}

#[test]
fn a_formula_text_or_blank_where_a_count_is_required_is_an_error_at_its_cell() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let blank = template(dir.path());
    let mut cells = vec![("About", "B3", "Not A Slug".to_string()), ("About", "B4", "2025".to_string())];
    // Starts: asked, then a formula, a number typed as text and a blank among the answers.
    for (cell, v) in [("C4", "20"), ("C5", "=2+3"), ("C6", "'4"), ("C8", "1"), ("C9", "0")] {
        cells.push(("Starts", cell, v.to_string()));
    }
    // Completion: due for one group, its achieved left blank.
    cells.push(("Completion", "C4", "3".to_string()));
    let bad = dir.path().join("bad.xlsx");
    std::fs::write(&bad, fill(&blank, &cells)).unwrap();
    let said = refused(site.path(), &["import", "figures", bad.to_str().unwrap()]);
    assert!(said.contains("error in `Starts!C5`: this cell is a formula; type the number"), "{said}");
    assert!(said.contains("error in `Starts!C6`: `4` is text, not a number"), "{said}");
    assert!(said.contains("error in `Starts!C7`: this cell is blank"), "{said}");
    for at in ["Completion!D4", "Completion!C5", "Completion!D6"] {
        assert!(said.contains(&format!("error in `{at}`: this cell is blank")), "{at}: {said}");
    }
    assert!(said.contains("error in `About!B3`: `Not A Slug` is not an employer's short name"), "{said}");
    // A count shown as a percentage ("300%" holds 3).
    let percent = dir.path().join("percent.xlsx");
    let mut cells = vec![("About", "B3", EMPLOYER.to_string()), ("About", "B4", "2025".to_string())];
    for (cell, v) in [("C4", "5"), ("C5", "%3"), ("C6", "0"), ("C7", "0"), ("C8", "2"), ("C9", "0")] {
        cells.push(("Starts", cell, v.to_string()));
    }
    std::fs::write(&percent, fill(&blank, &cells)).unwrap();
    let said = refused(site.path(), &["import", "figures", percent.to_str().unwrap()]);
    assert!(
        said.contains("error in `Starts!C5`: 300% is a percentage, not a number of people")
            && said.contains("1 problem found"),
        "{said}"
    );
    // Neither the employer nor the year given: both cells are named.
    let none = dir.path().join("none.xlsx");
    let starts: Vec<(&str, &str, String)> =
        ["C4", "C5", "C6", "C7", "C8", "C9"].into_iter().map(|c| ("Starts", c, "0".to_string())).collect();
    std::fs::write(&none, fill(&blank, &starts)).unwrap();
    let said = refused(site.path(), &["import", "figures", none.to_str().unwrap()]);
    assert!(said.contains("`About!B3`") && said.contains("`About!B4`"), "{said}");
}

#[test]
fn cell_text_with_terminal_escapes_is_shown_escaped_and_never_reaches_the_content() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let before = read(&employer_path(site.path()));
    // An unknown answer holding a terminal escape: refused, the escape shown as text.
    let f = dir.path().join("esc.csv");
    std::fs::write(&f, "Stage,Key question\nApplied,\"\x1b[2J\x1b]0;pwned\x07Other\"\n").unwrap();
    let o =
        ladder(site.path(), &["import", "responses", f.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025"]);
    let said = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(!o.stderr.contains(&0x1b) && !o.stderr.contains(&0x07), "a raw control character was printed: {said}");
    assert!(said.contains("\\x1b[2J\\x1b]0;pwned\\x07Other"), "{said}");
    assert_eq!(read(&employer_path(site.path())), before);
    // A good export whose unread column is headed with an escape and a marker: the summary
    // shows it escaped, and the employer file gets counts only.
    let f = dir.path().join("ok.csv");
    std::fs::write(&f, "Stage,Key question,\"Notes\x1b[31m MARKER-HEADING\"\nApplied,Other,MARKER-CELL\n").unwrap();
    let o =
        ladder(site.path(), &["import", "responses", f.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025"]);
    let said = ok(&o, "import");
    assert!(!o.stderr.contains(&0x1b), "a raw escape was printed: {said}");
    assert!(said.contains("Notes\\x1b[31m MARKER-HEADING"), "{said}");
    let after = read(&employer_path(site.path()));
    assert_ne!(after, before);
    assert!(!after.contains("MARKER") && !after.contains("Notes") && !after.contains('\x1b'), "{after}");
}

#[test]
fn a_second_import_is_refused_while_one_holds_the_sites_lock_and_anchors_are_refused() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("export.csv");
    std::fs::write(&f, "Stage,Key question\nApplied,Other\n").unwrap();
    let args = ["import", "responses", f.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025"];
    // Another import holds the lock (as this test process does here).
    let held = std::fs::File::open(site.path().join("content/employers")).unwrap();
    held.lock().unwrap();
    let said = refused(site.path(), &args);
    assert!(said.contains("another import into this site is running"), "{said}");
    held.unlock().unwrap();
    ok(&ladder(site.path(), &args), "the import once the lock is free");
    // An employer file with an anchor and an alias is refused, not expanded or lost.
    let file = employer_path(site.path());
    let text = read(&file).replacen("years:", "x-defaults: &d {asked: 1}\nyears:", 1);
    std::fs::write(&file, &text).unwrap();
    let said = refused(site.path(), &args);
    assert!(said.contains("YAML anchors and aliases"), "{said}");
    assert_eq!(read(&file), text);
}

#[test]
fn a_cohort_without_levels_removes_the_years_old_level_bands_and_says_so() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let year = year_of(site.path(), YEAR);
    assert!(!year.key_question.levels.is_empty(), "the example year has level bands to begin with");
    let f = dir.path().join("cohort.csv");
    std::fs::write(&f, "Stage,Key question\nCohort,Other\nCohort,Technical and craft occupations\n").unwrap();
    let o =
        ladder(site.path(), &["import", "responses", f.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025"]);
    let said = ok(&o, "import");
    assert!(said.contains("2025's level bands were removed"), "{said}");
    let year = year_of(site.path(), YEAR);
    assert!(year.key_question.levels.is_empty(), "old level bands left beside a new cohort");
    assert_eq!(year.key_question.cohort.unwrap().value.asked, 2);
    ok(&ladder(site.path(), &["check"]), "check");
}

#[test]
fn outside_a_site_it_says_where_it_looked_and_bad_files_are_told_in_plain_words() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("export.csv");
    std::fs::write(&f, "Stage,Key question\nApplied,Other\n").unwrap();
    let args = ["import", "responses", "export.csv", "--employer", EMPLOYER, "--year", "2025"];
    let o = ladder(dir.path(), &args);
    let said = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{said}");
    let here = dir.path().canonicalize().unwrap().display().to_string();
    assert!(said.contains(&format!("no site.yaml was found in {here} or any folder above it")), "{said}");
    assert!(said.contains("error: 1 problem found"), "{said}");
    // Every problem of the file with it, and an English total.
    std::fs::write(&f, "Stage,Key question\nApplied,Plumber\nApplied,Baker\n").unwrap();
    let said = stderr(&ladder(dir.path(), &args));
    assert!(said.contains("no site.yaml was found") && said.contains("error: 3 problems found"), "{said}");
    let o = ladder(dir.path(), &["import", "figures", "export.csv", "--site", "nowhere"]);
    assert!(stderr(&o).contains("(given with --site)"), "{}", stderr(&o));
    // A file that is not there.
    let site = example_site();
    let said = refused(site.path(), &["import", "responses", "missing.csv", "--employer", EMPLOYER, "--year", "2025"]);
    assert!(
        said.contains("missing.csv: error: cannot read the file: there is no such file") && !said.contains("os error"),
        "{said}"
    );

    // Damaged spreadsheets: messages a person can act on, none of the readers' own words.
    let junk = dir.path().join("junk.xlsx");
    std::fs::write(&junk, b"PK\x03\x04 this is not really a workbook").unwrap();
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet().set_name("Export").unwrap().write(0, 0, "Stage").unwrap();
    let good = book.save_to_buffer().unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(good)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let name = part.name().unwrap().to_string();
        let mut bytes = Vec::new();
        part.read_to_end(&mut bytes).unwrap();
        if name.contains("worksheets/sheet1") {
            bytes = b"<worksheet><sheetData><row><c r=\"A1\" t=\"s\"><v>99</v></c></row>".to_vec();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(&bytes).unwrap();
    }
    let broken = dir.path().join("broken.xlsx");
    std::fs::write(&broken, out.finish().unwrap().into_inner()).unwrap();
    let csv = dir.path().join("latin1.csv");
    std::fs::write(&csv, b"Stage,Key question\nApplied,Caf\xe9 owner\n").unwrap();
    for f in [&junk, &broken, &csv] {
        let said = refused(
            site.path(),
            &["import", "responses", f.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025"],
        );
        // The temporary folder's random name may hold any word (`.tmpzIpgfZ`).
        let lower = said.replace(dir.path().to_str().unwrap(), "DIR").to_lowercase();
        for word in ["calamine", "zip", "serde", "xml", "utf8error", "invalid", "u32", "unwrap", "panicked"] {
            assert!(!lower.contains(word), "`{word}` in: {said}");
        }
        assert!(said.contains(&f.display().to_string()) && said.contains("1 problem found"), "{said}");
    }
}

/// Runs `ladder` with its address space capped at `kb` kilobytes (`ulimit -v`), as a machine
/// with little memory (or with overcommit turned off) runs it.
fn ladder_limited(site: &Path, kb: u64, args: &[&str]) -> std::process::Output {
    let bin = std::env::var("LADDER_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_ladder").to_string());
    std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {kb}; exec \"$0\" \"$@\""))
        .arg(bin)
        .args(args)
        .current_dir(site)
        .env("CI", "true")
        .output()
        .unwrap()
}

/// A zip of the given parts, deflated.
fn raw_zip(path: &Path, parts: &[(&str, String)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, text) in parts {
        zip.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

const ODS_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\"><office:body><office:spreadsheet>";
const ODS_TAIL: &str = "</office:spreadsheet></office:body></office:document-content>";

const ODS_MANIFEST: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\"><manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/><manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>";

fn ods_cell(v: &str) -> String {
    format!("<table:table-cell office:value-type=\"string\"><text:p>{v}</text:p></table:table-cell>")
}

fn write_raw_ods(path: &Path, tables: &str) {
    raw_zip(
        path,
        &[
            ("mimetype", "application/vnd.oasis.opendocument.spreadsheet".into()),
            ("META-INF/manifest.xml", ODS_MANIFEST.into()),
            ("content.xml", format!("{ODS_HEAD}{tables}{ODS_TAIL}")),
        ],
    );
}

#[test]
fn an_ods_whose_repeated_rows_and_columns_declare_too_many_cells_is_refused_in_bounded_memory() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let heading = format!("<table:table-row>{}{}</table:table-row>", ods_cell("Stage"), ods_cell("Key question"));
    let filled = |name: &str, rows: u64, cols: u64| {
        format!(
            "<table:table table:name=\"{name}\">{heading}<table:table-row table:number-rows-repeated=\"{rows}\"><table:table-cell table:number-columns-repeated=\"{cols}\" office:value-type=\"string\"><text:p>applied</text:p></table:table-cell></table:table-row></table:table>"
        )
    };
    // Eight sheets of 9.6 million cells each, in under a kilobyte: each is under the limit,
    // but opening the file would unpack every one of them.
    let many = dir.path().join("many.ods");
    write_raw_ods(&many, &(0..8).map(|i| filled(&format!("S{i}"), 2400, 4000)).collect::<String>());
    assert!(std::fs::metadata(&many).unwrap().len() < 4096);
    // One sheet whose repeats declare 16 billion cells.
    let one = dir.path().join("one.ods");
    write_raw_ods(&one, &filled("Export", 1_000_000, 16384));
    let args = |f: &Path| {
        ["import", "responses", f.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025", "--dry-run"]
            .map(String::from)
    };
    for (f, what) in [(&many, "its sheets together span"), (&one, "sheet \"Export\" spans")] {
        let a = args(f);
        let a = strs(&a);
        let o = ladder_limited(site.path(), 1_500_000, &a);
        let said = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{said}");
        assert!(said.contains("this spreadsheet is refused") && said.contains(what), "{said}");
        assert!(!said.contains("panicked") && !said.contains("memory allocation"), "{said}");
    }
    // Empty rows repeated to the bottom of the sheet, as LibreOffice saves them, are not cells.
    let trailing = dir.path().join("trailing.ods");
    write_raw_ods(
        &trailing,
        &format!(
            "<table:table table:name=\"S\">{heading}<table:table-row>{}{}</table:table-row><table:table-row table:number-rows-repeated=\"1048570\"><table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row></table:table>",
            ods_cell("applied"),
            ods_cell("Long-term unemployed")
        ),
    );
    let a = args(&trailing);
    let a = strs(&a);
    let o = ladder_limited(site.path(), 1_500_000, &a);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn a_shared_text_count_that_the_file_cannot_hold_is_refused_before_room_is_made_for_it() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let types = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/><Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/></Types>";
    let rels = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
    let book = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"Export\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
    let book_rels = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>";
    let sheet = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row><row r=\"2\"><c r=\"A2\" t=\"s\"><v>2</v></c><c r=\"B2\" t=\"s\"><v>3</v></c></row></sheetData></worksheet>";
    let sst = |n: &str| {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"{n}\" uniqueCount=\"{n}\"><si><t>Stage</t></si><si><t>Key question</t></si><si><t>applied</t></si><si><t>Long-term unemployed</t></si></sst>"
        )
    };
    let write = |path: &Path, n: &str| {
        raw_zip(
            path,
            &[
                ("[Content_Types].xml", types.into()),
                ("_rels/.rels", rels.into()),
                ("xl/workbook.xml", book.into()),
                ("xl/_rels/workbook.xml.rels", book_rels.into()),
                ("xl/worksheets/sheet1.xml", sheet.into()),
                ("xl/sharedStrings.xml", sst(n)),
            ],
        )
    };
    let huge = dir.path().join("huge.xlsx");
    write(&huge, "4000000000");
    let o = ladder_limited(
        site.path(),
        2_000_000,
        &["import", "responses", huge.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025", "--dry-run"],
    );
    let said = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(said.contains("this spreadsheet is refused") && said.contains("4000000000 texts"), "{said}");
    // The same file with its true count is read.
    let fine = dir.path().join("fine.xlsx");
    write(&fine, "4");
    let o = ladder_limited(
        site.path(),
        2_000_000,
        &["import", "responses", fine.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025", "--dry-run"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn a_hidden_sheet_is_read_only_when_it_is_named() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let mut book = rust_xlsxwriter::Workbook::new();
    let old = book.add_worksheet().set_name("OldExport").unwrap();
    old.write_row(0, 0, ["Stage", "Key question"]).unwrap();
    for r in 1..=3 {
        old.write_row(r, 0, ["applied", "Clerical and intermediate occupations"]).unwrap();
    }
    old.set_hidden(true);
    let new = book.add_worksheet().set_name("Export").unwrap();
    new.write_row(0, 0, ["Stage", "Key question"]).unwrap();
    for r in 1..=2 {
        new.write_row(r, 0, ["applied", "Long-term unemployed"]).unwrap();
    }
    new.set_active(true);
    let path = dir.path().join("hidden.xlsx");
    book.save(&path).unwrap();
    let f = path.to_str().unwrap();
    let base = ["import", "responses", f, "--employer", EMPLOYER, "--year", "2025", "--dry-run"];
    let said = ok(&ladder(site.path(), &base), "visible sheet");
    assert!(said.contains("read 2 people") && said.contains("(sheet \"Export\")"), "{said}");
    let mut named = base.to_vec();
    named.extend(["--sheet", "OldExport"]);
    let said = ok(&ladder(site.path(), &named), "named hidden sheet");
    assert!(said.contains("read 3 people") && said.contains("(sheet \"OldExport\")"), "{said}");
    // Only the hidden sheet holds anything: it is not read unasked.
    let mut book = rust_xlsxwriter::Workbook::new();
    let old = book.add_worksheet().set_name("OldExport").unwrap();
    old.write_row(0, 0, ["Stage", "Key question"]).unwrap();
    old.write_row(1, 0, ["applied", "Long-term unemployed"]).unwrap();
    old.set_hidden(true);
    book.add_worksheet().set_name("Blank").unwrap().set_active(true);
    book.save(&path).unwrap();
    let said = refused(site.path(), &base);
    assert!(said.contains("hidden sheets are not read unless named") && said.contains("\"OldExport\""), "{said}");
}

/// A one-sheet .xlsx ("Export") whose sheet part is `rows` (`<row>` elements), as scripts write it.
fn write_raw_xlsx(path: &Path, rows: &str) {
    write_raw_xlsx_with(path, rows, "");
}

/// The same, with `after` (`<mergeCells>`, `<autoFilter>`) after the rows.
fn write_raw_xlsx_with(path: &Path, rows: &str, after: &str) {
    let types = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>";
    let rels = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
    let book = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"Export\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
    let book_rels = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>";
    let sheet = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>{rows}</sheetData>{after}</worksheet>"
    );
    raw_zip(
        path,
        &[
            ("[Content_Types].xml", types.into()),
            ("_rels/.rels", rels.into()),
            ("xl/workbook.xml", book.into()),
            ("xl/_rels/workbook.xml.rels", book_rels.into()),
            ("xl/worksheets/sheet1.xml", sheet),
        ],
    );
}

fn text_cell(at: &str, v: &str) -> String {
    format!("<c r=\"{at}\" t=\"inlineStr\"><is><t>{v}</t></is></c>")
}

#[test]
fn a_formula_with_no_saved_value_is_an_error_at_its_cell_not_a_blank() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("formulas.xlsx");
    let rows = format!(
        "<row r=\"1\">{}{}{}</row><row r=\"2\">{}<c r=\"B2\"><f>Sheet2!A1</f></c>{}</row><row r=\"3\">{}{}<c r=\"C3\"><f>2+1</f></c></row><row r=\"4\">{}{}<c r=\"C4\"><f>1+2</f><v>3</v></c></row>",
        text_cell("A1", "Stage"),
        text_cell("B1", "Key question"),
        text_cell("C1", "Level"),
        text_cell("A2", "cohort"),
        text_cell("C2", "3"),
        text_cell("A3", "cohort"),
        text_cell("B3", "Long-term unemployed"),
        text_cell("A4", "cohort"),
        text_cell("B4", "Long-term unemployed"),
    );
    write_raw_xlsx(&path, &rows);
    let said = refused(
        site.path(),
        &["import", "responses", path.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025"],
    );
    for at in ["Export!B2", "Export!C3"] {
        assert!(said.contains(&format!("error in `{at}`: column")), "{at}: {said}");
    }
    assert!(said.matches("is a formula with no value saved").count() == 2, "{said}");
    assert!(!said.contains("Export!C4"), "a formula with its value saved is read: {said}");
}

#[test]
fn a_level_with_a_sign_or_brackets_is_not_a_band() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("levels.csv");
    let mut text = String::from("Stage,Key question,Level\n");
    for level in ["-3", "(3)", "-2", "+6", "3", "Level 4/5", "4-5", "L6", "3.0"] {
        text.push_str(&format!("cohort,Long-term unemployed,{level}\n"));
    }
    std::fs::write(&path, text).unwrap();
    let said = refused(
        site.path(),
        &["import", "responses", path.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025"],
    );
    for (row, level) in [(2, "-3"), (3, "(3)"), (4, "-2"), (5, "+6")] {
        assert!(
            said.contains(&format!("levels!C{row}`: column \"Level\": level `{level}` is outside")),
            "{level}: {said}"
        );
    }
    assert!(said.contains("4 problems found"), "the documented variants are read: {said}");
}

#[test]
fn a_very_long_answer_cell_is_an_error_at_its_cell_and_quick() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.csv");
    let long = "Professional such as ".repeat(50_000);
    assert!(long.len() > 1 << 20);
    std::fs::write(&path, format!("Stage,Key question\napplied,{long}\napplied,Long-term unemployed\n")).unwrap();
    let start = std::time::Instant::now();
    let said = refused(
        site.path(),
        &["import", "responses", path.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025"],
    );
    assert!(start.elapsed() < std::time::Duration::from_secs(5), "took {:?}", start.elapsed());
    assert!(said.contains("error in `long!B2`") && said.contains("this cell holds 1050000 characters"), "{said}");
    assert!(said.contains("1 problem found"), "{said}");
}

#[test]
fn the_problem_count_counts_the_problems_not_listed() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.csv");
    let mut text = String::from("Stage,Key question\n");
    for i in 0..150 {
        text.push_str(&format!("applied,Plumber{i}\n"));
    }
    std::fs::write(&path, text).unwrap();
    let said = refused(
        site.path(),
        &["import", "responses", path.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025"],
    );
    assert_eq!(said.matches("is not one of the key question's answers").count(), 100, "{said}");
    assert!(said.contains("and 50 more problems like these"), "{said}");
    assert!(said.contains("error: 150 problems found; nothing was written"), "{said}");
}

#[test]
fn a_mapping_file_cannot_move_stage_words_or_give_one_wording_two_meanings() {
    let site = example_site();
    let (_dir, with) = export_with_mapping(
        "Stage,Key question\napplied,Manager or director\ncohort,Long-term unemployed\n",
        "stages:\n  applied: cohort\n  cohort: applicants\n  Offer accepted: starts\nanswers:\n  Manager or director: working_class\n  MANAGER OR DIRECTOR!: professional\n  Plumber: working_class\n  plumber.: working_class\n",
    );
    let said = refused(site.path(), &strs(&with));
    assert!(said.contains(":2: error in `stages.applied`: \"applied\" is one of the toolkit's own stage words, for applicants; a mapping file cannot move it to cohort"), "{said}");
    assert!(said.contains(":3: error in `stages.cohort`: \"cohort\" is one of the toolkit's own stage words, for cohort; a mapping file cannot move it to applicants"), "{said}");
    assert!(
        said.contains("\"MANAGER OR DIRECTOR!\" (line 7) and \"Manager or director\" (line 6) are the same wording")
            || said.contains(
                "\"Manager or director\" (line 6) and \"MANAGER OR DIRECTOR!\" (line 7) are the same wording"
            ),
        "{said}"
    );
    assert!(!said.contains("Plumber"), "the same wording for the same group is harmless: {said}");
    assert!(said.contains("3 problems found"), "{said}");
    // A mapping file that is not there is told in plain words.
    let mut missing = strs(&with[..with.len() - 2]);
    missing.extend(["--mapping", "no-such-mapping.yaml"]);
    let said = refused(site.path(), &missing);
    assert!(said.contains("no-such-mapping.yaml: error: cannot read: there is no such file"), "{said}");
    assert!(!said.contains("os error"), "{said}");
}

#[test]
fn progressed_no_for_someone_who_did_not_complete_is_read_and_only_yes_contradicts() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("outcomes.csv");
    std::fs::write(
        &export,
        "Stage,Key question,Completed,Progressed\ncohort,Long-term unemployed,yes,no\ncohort,Long-term unemployed,no,no\ncohort,Long-term unemployed,yes,yes\n",
    )
    .unwrap();
    let said = ok(
        &ladder(
            site.path(),
            &["import", "responses", export.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025"],
        ),
        "progressed no",
    );
    assert!(said.contains("read 3 people"), "{said}");
    let y = year_of(site.path(), 2025);
    let completion = y.outcomes.completion.unwrap().value.working_class;
    assert_eq!((completion.due, completion.achieved), (3, 2));
    // Progression is among the two who completed.
    let progression = y.outcomes.progression.unwrap().value.working_class;
    assert_eq!((progression.due, progression.achieved), (2, 1));
    std::fs::write(&export, "Stage,Key question,Completed,Progressed\ncohort,Long-term unemployed,no,yes\n").unwrap();
    let said = refused(
        site.path(),
        &["import", "responses", export.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025"],
    );
    assert!(said.contains("error in `outcomes!D2`") && said.contains("this person has not completed"), "{said}");
}

#[test]
fn a_bad_year_employer_or_template_name_is_a_bad_command_line_in_plain_words() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export.csv");
    std::fs::write(&export, "Stage,Key question\napplied,Long-term unemployed\n").unwrap();
    let f = export.to_str().unwrap();
    for (employer, year, says) in [
        (EMPLOYER, "2025.0", "give the reporting year as a whole number of four digits"),
        (EMPLOYER, "twenty", "give the reporting year as a whole number of four digits"),
        (EMPLOYER, "99999999999999999999", "give the reporting year as a whole number of four digits"),
        (EMPLOYER, "25", "give a reporting year from 1990 to"),
        ("../x", "2025", "an employer's short name has lower-case letters, digits and hyphens"),
    ] {
        let before = common::tree(&site.path().join("content"));
        let o = ladder(site.path(), &["import", "responses", f, "--employer", employer, "--year", year]);
        let said = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{year} {employer}: {said}");
        assert!(said.contains(says), "{said}");
        for rust in ["invalid digit", "too large to fit", "target type"] {
            assert!(!said.contains(rust), "{said}");
        }
        assert_eq!(common::tree(&site.path().join("content")), before);
    }
    let o = ladder(dir.path(), &["import", "figures", f, "--year", "twenty"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // The template is a workbook: a name that says otherwise is refused, and nothing written.
    for name in ["figures.csv", "figures", "figures.ods"] {
        let o = ladder(dir.path(), &["template", name]);
        let said = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{said}");
        assert!(said.contains("give a file name ending in .xlsx"), "{said}");
        assert!(!dir.path().join(name).exists(), "{name} was written");
    }
    ok(&ladder(dir.path(), &["template", "Figures.XLSX"]), "upper-case extension");
}

#[test]
fn a_dry_run_or_a_failing_import_leaves_the_site_as_it_was() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export.csv");
    std::fs::write(&export, "Stage,Key question\napplied,Long-term unemployed\n").unwrap();
    let args = ["import", "responses", export.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025"];
    let before = common::tree(site.path());
    let names = |p: &Path| {
        let mut n: Vec<String> =
            std::fs::read_dir(p).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        n.sort();
        n
    };
    let listed = names(site.path());
    let mut dry = args.to_vec();
    dry.push("--dry-run");
    ok(&ladder(site.path(), &dry), "dry run");
    assert_eq!(names(site.path()), listed, "a dry run left something in the site");
    assert_eq!(common::tree(site.path()), before);
    // A failing import: the employer file is read-only.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let file = employer_path(site.path());
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
        let o = ladder(site.path(), &args);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert_eq!(names(site.path()), listed, "a failing import left something in the site");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    // A real import leaves only the changed employer file.
    ok(&ladder(site.path(), &args), "import");
    assert_eq!(names(site.path()), listed, "an import left something beside the site's files");
}

/// The template with its shared texts edited (`from` → `to`, each once, in order).
fn retitled(template: &[u8], edits: &[(&str, &str)]) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(template.to_vec())).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        if name == "xl/sharedStrings.xml" {
            let mut text = String::from_utf8(bytes).unwrap();
            for (from, to) in edits {
                assert!(text.contains(from), "{from}");
                text = text.replacen(from, to, 1);
            }
            bytes = text.into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn a_figures_sheet_whose_column_headings_moved_is_refused_at_the_heading() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let blank = template(dir.path());
    let names: Vec<(usize, usize, String)> = ["C", "D", "E", "F"]
        .iter()
        .enumerate()
        .flat_map(|(i, c)| (4..=9).map(move |r| (i, r, format!("{c}{r}"))))
        .collect();
    let mut cells = vec![("About", "B3", EMPLOYER.to_string()), ("About", "B4", "2025".to_string())];
    for (i, r, at) in &names {
        // Within the cohort the year keeps (78: 3 other, 2 preferring not to say).
        let v = match r {
            4 => (10 + i).to_string(),
            8 | 9 => "0".to_string(),
            _ => "1".to_string(),
        };
        cells.push(("Levels", at.as_str(), v));
    }
    let filled = fill(&blank, &cells);
    // Level 2 and Level 3 swapped over their columns: every count would go to the other band.
    let swapped = dir.path().join("swapped.xlsx");
    std::fs::write(
        &swapped,
        retitled(
            &filled,
            &[("<t>Level 2</t>", "<t>@@</t>"), ("<t>Level 3</t>", "<t>Level 2</t>"), ("<t>@@</t>", "<t>Level 3</t>")],
        ),
    )
    .unwrap();
    let said = refused(site.path(), &["import", "figures", swapped.to_str().unwrap()]);
    assert!(
        said.contains("error in `Levels!C3`: this column should be headed \"Level 2\" but is headed \"Level 3\""),
        "{said}"
    );
    assert!(
        said.contains("error in `Levels!D3`: this column should be headed \"Level 3\" but is headed \"Level 2\""),
        "{said}"
    );
    // A heading renamed on an outcome sheet.
    let renamed = dir.path().join("renamed.xlsx");
    std::fs::write(&renamed, retitled(&filled, &[("<t>Due</t>", "<t>Achieved so far</t>")])).unwrap();
    let said = refused(site.path(), &["import", "figures", renamed.to_str().unwrap()]);
    assert!(said.contains("`Functional skills'!C3`") || said.contains("'Functional skills'!C3"), "{said}");
    assert!(said.contains("should be headed \"Due\""), "{said}");
    // The template as it is still imports.
    let fine = dir.path().join("fine.xlsx");
    std::fs::write(&fine, &filled).unwrap();
    ok(&ladder(site.path(), &["import", "figures", fine.to_str().unwrap(), "--dry-run"]), "the template as made");
}

#[test]
fn small_words_one_person_plain_escapes_in_file_names_and_no_export_in_static() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    // One person is a person; a file name with an escape in it is shown escaped.
    let f = dir.path().join("one\x1b[2J.csv");
    std::fs::write(&f, "Stage,Key question\napplied,Long-term unemployed\n").unwrap();
    let o = ladder(
        site.path(),
        &["import", "responses", f.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025", "--dry-run"],
    );
    let said = ok(&o, "one person");
    assert!(said.contains("read 1 person from") && !said.contains("1 people"), "{said}");
    assert!(said.contains("one\\x1b[2J.csv") && !o.stderr.contains(&0x1b), "{said}");
    let bad = dir.path().join("bad\x07.csv");
    std::fs::write(&bad, "Stage,Key question\napplied,Plumber\n").unwrap();
    let o =
        ladder(site.path(), &["import", "responses", bad.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025"]);
    assert!(stderr(&o).contains("bad\\x07.csv: error in") && !o.stderr.contains(&0x07), "{}", stderr(&o));
    // An export in static/ would be published as it is: refused, nothing written.
    let in_static = site.path().join("static/export.csv");
    std::fs::create_dir_all(in_static.parent().unwrap()).unwrap();
    std::fs::write(&in_static, "Stage,Key question\napplied,Long-term unemployed\n").unwrap();
    let said =
        refused(site.path(), &["import", "responses", "static/export.csv", "--employer", EMPLOYER, "--year", "2025"]);
    assert!(
        said.contains("static/export.csv: error: this export is in a folder that is published with the site"),
        "{said}"
    );
    // So is a story's folder, whose .csv and .txt files are published as they are.
    let in_story = site.path().join("content/stories/our-figures/applicants-2025.csv");
    std::fs::create_dir_all(in_story.parent().unwrap()).unwrap();
    std::fs::write(&in_story, "Stage,Key question\napplied,Long-term unemployed\n").unwrap();
    let file = "content/stories/our-figures/applicants-2025.csv";
    let said = refused(site.path(), &["import", "responses", file, "--employer", EMPLOYER, "--year", "2025"]);
    assert!(said.contains("published with the site as it is (a story's folder)"), "{said}");
}

// ---- Issue 18, third round of outside breaks. ----

/// The args of a dry-run responses import of `file` into the example employer.
/// An export (CSV text, as `export.csv`) and a mapping file (YAML, as `mapping.yaml`) in a new
/// temporary folder, and the arguments that import them (not a dry run).
fn export_with_mapping(csv: &str, yaml: &str) -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let (export, mapping) = (dir.path().join("export.csv"), dir.path().join("mapping.yaml"));
    std::fs::write(&export, csv).unwrap();
    std::fs::write(&mapping, yaml).unwrap();
    let args = ["import", "responses", export.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025"];
    let mut args: Vec<String> = args.map(String::from).to_vec();
    args.extend(["--mapping".to_string(), mapping.to_str().unwrap().to_string()]);
    (dir, args)
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

fn dry_run_args(file: &Path) -> Vec<String> {
    ["import", "responses", file.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025", "--dry-run"]
        .map(String::from)
        .to_vec()
}

#[test]
fn a_cell_beyond_the_last_column_is_refused_by_name_before_the_sheet_is_read() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let heading = format!("<row r=\"1\">{}{}</row>", text_cell("A1", "Stage"), text_cell("B1", "Key question"));
    // Beyond column XFD (six letters, or lower case); within it but spanning 24.7 million cells.
    for (cell, at, said_what) in [
        ("ZZZZZZ2", "ZZZZZZ2", "sheet \"Export\" reaches ZZZZZZ2, beyond the last column"),
        ("zzzzzz2", "ZZZZZZ2", "sheet \"Export\" reaches ZZZZZZ2, beyond the last column"),
        ("A1048577", "row 1048577", "sheet \"Export\" reaches row 1048577, beyond the last column (XFD) or row"),
        ("XFD1600", "XFD1600", "sheet \"Export\" spans 1600 rows by 16384 columns (up to XFD1600)"),
    ] {
        let path = dir.path().join("huge.xlsx");
        let row = cell.trim_start_matches(|c: char| c.is_ascii_alphabetic());
        write_raw_xlsx(&path, &format!("{heading}<row r=\"{row}\">{}</row>", text_cell(cell, "applied")));
        let a = dry_run_args(&path);
        let a = strs(&a);
        let o = ladder_limited(site.path(), 2_000_000, &a);
        let said = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{cell}: {said}");
        assert!(said.contains("this spreadsheet is refused") && said.contains(said_what), "{cell}: {said}");
        assert!(said.contains(&format!("error in `Export!{at}`")), "{cell}: {said}");
        assert!(!said.contains("panicked") && !said.contains("memory allocation"), "{said}");
    }
    // The figures template's About sheet, with one stray cell far out.
    let blank = template(dir.path());
    let filled = fill(&blank, &[("About", "B3", EMPLOYER.to_string())]);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(filled)).unwrap();
    let mut parts = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut text = String::new();
        f.read_to_string(&mut text).unwrap();
        let name = f.name().unwrap().to_string();
        if name == "xl/worksheets/sheet1.xml" {
            text = text
                .replace("</sheetData>", &format!("<row r=\"20\">{}</row></sheetData>", text_cell("ZZZZZZ20", "x")));
        }
        parts.push((name, text));
    }
    let path = dir.path().join("figures.xlsx");
    raw_zip(&path, &parts.iter().map(|(n, t)| (n.as_str(), t.clone())).collect::<Vec<_>>());
    let o = ladder_limited(
        site.path(),
        2_000_000,
        &["import", "figures", path.to_str().unwrap(), "--year", "2025", "--dry-run"],
    );
    let said = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(said.contains("error in `About!ZZZZZZ20`") && said.contains("sheet \"About\" reaches ZZZZZZ20"), "{said}");
}

/// Writes `text` to `name` in `dir` and runs a dry-run responses import of it: (exit code, what it said).
fn dry_run_csv(site: &Path, dir: &Path, name: &str, text: &str) -> (Option<i32>, String) {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    let a = dry_run_args(&path);
    let a = strs(&a);
    let o = ladder(site, &a);
    (o.status.code(), stderr(&o))
}

#[test]
fn only_the_toolkits_outcome_headings_are_outcome_columns_and_the_others_are_named() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    // A staff survey of the cohort: "Survey completed" is not completion.
    let text = "Person ID,Stage,main household earner,Level,Survey completed,Progressed to next module,FSQ\nA,cohort,Long-term unemployed,3,yes,yes,yes\nB,cohort,Technical and craft occupations,3,yes,yes,no\n";
    let (code, said) = dry_run_csv(site.path(), dir.path(), "survey.csv", text);
    assert_eq!(code, Some(0), "{said}");
    assert!(!said.contains("Completion:") && !said.contains("Progression:"), "{said}");
    assert!(said.contains("Functional skills"), "the FSQ column is read: {said}");
    assert!(
        said.contains("note: column \"Survey completed\" was not read as completion")
            && said.contains("--column completion=\"Survey completed\""),
        "{said}"
    );
    assert!(said.contains("note: column \"Progressed to next module\" was not read as progression"), "{said}");
    // Named on the command line, it is read.
    let path = dir.path().join("survey.csv");
    let mut a = dry_run_args(&path);
    a.extend(
        ["--column", "completion=Survey completed", "--column", "progression=Progressed to next module"]
            .map(String::from),
    );
    let a = strs(&a);
    let said = stderr(&ladder(site.path(), &a));
    assert!(said.contains("Completion:") && !said.contains("not read as completion"), "{said}");
}

#[test]
fn ticks_and_crosses_are_yes_and_no_and_other_marks_in_an_outcome_are_errors() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let ok = "Stage,main household earner,Level,Functional skills,Completed,Progressed\ncohort,Long-term unemployed,3,✓,✔,✗\ncohort,Long-term unemployed,3,✗,✓,✓\ncohort,Long-term unemployed,3,,n/a,\n";
    let (code, said) = dry_run_csv(site.path(), dir.path(), "ticks.csv", ok);
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("Functional skills: 1 achieved of 2 due"), "{said}");
    assert!(said.contains("Completion: 2 achieved of 2 due"), "{said}");
    assert!(said.contains("Progression: 1 achieved of 2 due"), "{said}");
    let bad = "Stage,main household earner,Level,Functional skills,Completed\ncohort,Long-term unemployed,3,?,-\ncohort,Long-term unemployed,3,—,Pending\ncohort,Long-term unemployed,3,Not yet,yes\n";
    let (code, said) = dry_run_csv(site.path(), dir.path(), "marks.csv", bad);
    assert_eq!(code, Some(1), "{said}");
    for (at, mark) in [("D2", "?"), ("E2", "-"), ("D3", "—"), ("E3", "Pending"), ("D4", "Not yet")] {
        assert!(
            said.contains(&format!("error in `marks!{at}`")) && said.contains(&format!("`{mark}` is not an outcome")),
            "{at}: {said}"
        );
    }
    assert!(said.contains("5 problems found"), "{said}");
}

#[test]
fn higher_is_not_a_level_band_but_the_documented_names_are() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let text = "Stage,main household earner,Level\ncohort,Retired,Higher\ncohort,Retired,Higher apprenticeship\ncohort,Retired,Advanced\ncohort,Retired,Degree apprenticeship\ncohort,Retired,Intermediate\n";
    let (code, said) = dry_run_csv(site.path(), dir.path(), "higher.csv", text);
    assert_eq!(code, Some(1), "{said}");
    for (at, level) in [("C2", "Higher"), ("C3", "Higher apprenticeship")] {
        assert!(
            said.contains(&format!(
                "error in `higher!{at}`: column \"Level\": level `{level}` is outside the toolkit's bands"
            )) && said.contains("a higher apprenticeship is any of levels 4 to 7"),
            "{at}: {said}"
        );
    }
    assert!(said.contains("2 problems found"), "{said}");
}

#[test]
fn many_long_unknown_answers_are_told_quickly_and_one_more_problem_is_one() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    // 2,000 rows of 999 characters that are no answer (a 2 MB file): linear, not per character
    // compared with every option.
    let mut rng = Rng(7);
    let letters: Vec<char> = "abcdefghij klmnop".chars().collect();
    let mut text = String::from("Stage,main household earner\n");
    for _ in 0..2000 {
        let answer: String = (0..999).map(|_| letters[rng.below(letters.len())]).collect();
        text.push_str(&format!("applied,{answer}\n"));
    }
    let start = std::time::Instant::now();
    let (code, said) = dry_run_csv(site.path(), dir.path(), "long.csv", &text);
    assert!(start.elapsed() < std::time::Duration::from_secs(10), "took {:?}", start.elapsed());
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("and 1900 more problems like these") && said.contains("2000 problems found"), "{said}");
    // 101 problems: one more than listed.
    let mut text = String::from("Stage,main household earner\n");
    for i in 0..101 {
        text.push_str(&format!("applied,Plumber{i}\n"));
    }
    let (_, said) = dry_run_csv(site.path(), dir.path(), "p101.csv", &text);
    assert!(said.contains("and 1 more problem like these (not listed)"), "{said}");
    assert!(said.contains("101 problems found"), "{said}");
}

#[cfg(unix)]
#[test]
fn a_bad_mapping_entry_a_read_only_file_and_its_typo_are_told_with_the_sheets_problems() {
    use std::os::unix::fs::PermissionsExt;
    let site = example_site();
    let (_dir, args) = export_with_mapping(
        "Person ID,Stage,main household earner,Level\nA,applied,Plumber,\nB,cohort,Chef,9\nA,applied,Retired,\nC,cohort,Cook,3\n",
        "answers:\n  Chef: workingclass\n  Cook: working_class\n",
    );
    let file = employer_path(site.path());
    std::fs::write(&file, read(&file).replacen("\nregion:", "\nregon:", 1)).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
    let said = refused(site.path(), &strs(&args));
    for what in [
        "error in `export!C2`",
        "error in `export!D3`",
        "error in `export!A4`",
        "mapping.yaml:2: error in `answers.Chef`: `workingclass` is not a group",
        "the file is read-only",
        "`regon` is not a field here",
    ] {
        assert!(said.contains(what), "{what}: {said}");
    }
    // The refused entry's cell is not told again as an unknown answer; the good entry is used.
    assert!(!said.contains("export!C3") && !said.contains("export!C5"), "{said}");
}

#[test]
fn a_mapping_wording_of_punctuation_alone_is_refused_at_its_line() {
    let site = example_site();
    let (_dir, args) = export_with_mapping(
        "Stage,main household earner\napplied,Chef\napplied,-\n",
        "answers:\n  Chef: working_class\n  \"?\": professional\nstages:\n  \"--\": cohort\n",
    );
    let said = refused(site.path(), &strs(&args));
    assert!(said.contains("mapping.yaml:3: error in `answers.?`: \"?\" has no letter or digit"), "{said}");
    assert!(said.contains("mapping.yaml:5: error in `stages.--`: \"--\" has no letter or digit"), "{said}");
    assert!(
        said.contains("error in `export!B3`") && said.contains("`-` is not one of the key question's answers"),
        "{said}"
    );
}

#[test]
fn a_refused_count_gives_no_follow_on_problem_in_the_checks_that_rest_on_it() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let blank = template(dir.path());
    let mut cells = vec![("About", "B3", EMPLOYER.to_string()), ("About", "B4", "2025".to_string())];
    // Asked refused (over the limit): the answers (8) are not compared with it.
    for (row, v) in (4..10).zip(["2000000", "1", "2", "3", "1", "1"]) {
        cells.push(("Applicants", ["C4", "C5", "C6", "C7", "C8", "C9"][row - 4], v.to_string()));
    }
    // Completion: the professionals' achieved is refused; progression's due is not compared with it,
    // nor is achieved with due; the intermediate row's real problem is still told.
    for (cell, v) in [("C4", "3"), ("D4", "many"), ("C5", "2"), ("D5", "3"), ("C6", "1"), ("D6", "1")] {
        cells.push(("Completion", cell, v.to_string()));
    }
    for (cell, v) in [("C4", "3"), ("D4", "1"), ("C5", "0"), ("D5", "0"), ("C6", "0"), ("D6", "0")] {
        cells.push(("Progression", cell, v.to_string()));
    }
    let path = dir.path().join("refused.xlsx");
    std::fs::write(&path, fill(&blank, &cells)).unwrap();
    let said = refused(site.path(), &["import", "figures", path.to_str().unwrap()]);
    assert!(said.contains("error in `Applicants!C4`: `2000000` is not a number of people"), "{said}");
    assert!(said.contains("error in `Completion!D4`: `many` is not a number of people"), "{said}");
    assert!(said.contains("error in `Completion!D5`: achieved (3) is more than due (2)"), "{said}");
    assert!(!said.contains("exceed people asked") && !said.contains("Completion!D4`: achieved"), "{said}");
    assert!(!said.contains("Progression!C4"), "{said}");
    assert!(said.contains("3 problems found"), "{said}");
}

#[test]
fn columns_that_all_look_like_the_stage_are_one_short_problem() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let (_, said) =
        dry_run_csv(site.path(), dir.path(), "two.csv", "Stage,main household earner,Stage\napplied,Retired,applied\n");
    assert!(
        said.contains("error in `two!C1`: columns A (\"Stage\") and C (\"Stage\") all look like the stage"),
        "{said}"
    );
    assert!(!said.contains("no column holds the stage") && said.contains("1 problem found"), "{said}");
    // 5,000 of them: one line of bounded length.
    let n = 5000;
    let text =
        format!("{},main household earner\n{},Retired\n", vec!["Stage"; n].join(","), vec!["applied"; n].join(","));
    let (_, said) = dry_run_csv(site.path(), dir.path(), "many.csv", &text);
    assert!(said.contains("and 4995 more all look like the stage") && said.contains("1 problem found"), "{said}");
    assert!(said.lines().all(|l| l.len() < 600), "{said}");
}

#[test]
fn a_date_cell_is_shown_as_a_date_not_a_serial_number() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let date = rust_xlsxwriter::Format::new().set_num_format("d-mmm");
    // A level typed 4/5 that the spreadsheet turned into 5 April 2025 (serial 45752).
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("Export").unwrap();
    for (c, h) in ["Stage", "main household earner", "Level"].iter().enumerate() {
        ws.write(0, c as u16, *h).unwrap();
    }
    ws.write(1, 0, "cohort").unwrap();
    ws.write(1, 1, "Retired").unwrap();
    ws.write_number_with_format(1, 2, 45752.0, &date).unwrap();
    let path = dir.path().join("dates.xlsx");
    book.save(&path).unwrap();
    let said = refused(site.path(), &strs(&dry_run_args(&path)));
    assert!(
        said.contains("error in `Export!C2`") && said.contains("this cell holds a date (5 Apr 2025), not a level"),
        "{said}"
    );
    assert!(!said.contains("45752"), "{said}");
    // The figures template's year, typed as a date (1 January 2025, serial 45658).
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("About").unwrap();
    ws.write(2, 1, EMPLOYER).unwrap();
    ws.write_number_with_format(3, 1, 45658.0, &date).unwrap();
    let path = dir.path().join("figures.xlsx");
    book.save(&path).unwrap();
    let said = refused(site.path(), &["import", "figures", path.to_str().unwrap(), "--dry-run"]);
    assert!(said.contains("error in `About!B4`: this cell holds a date (1 Jan 2025), not a year"), "{said}");
    assert!(!said.contains("45658"), "{said}");
}

#[test]
fn tab_separated_files_and_excels_sep_line_are_read_and_headings_under_a_title_are_pointed_at() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("tab.csv", "Person ID\tStage\tmain household earner\nA\tapplied\tLong-term unemployed\nB\tapplied\tRetired\n"),
        (
            "sep.csv",
            "sep=;\r\nPerson ID;Stage;main household earner\r\nA;applied;Long-term unemployed\r\nB;applied;Retired\r\n",
        ),
    ] {
        let (code, said) = dry_run_csv(site.path(), dir.path(), name, text);
        assert_eq!(code, Some(0), "{name}: {said}");
        assert!(said.contains("read 2 people") && said.contains("Applicants: 2 asked, 2 answered"), "{name}: {said}");
    }
    // Excel's hidden sep line is not a row: a problem is named at the row Excel shows.
    let (_, said) =
        dry_run_csv(site.path(), dir.path(), "sep2.csv", "sep=;\nStage;main household earner\napplied;Plumber\n");
    assert!(said.contains("error in `sep2!B2`"), "{said}");
    let text =
        "Applicant export,,\nRun 2025-01-01,,\n,,\n,,\nPerson ID,Stage,main household earner\nA,applied,Retired\n";
    let (code, said) = dry_run_csv(site.path(), dir.path(), "titled.csv", text);
    assert_eq!(code, Some(1), "{said}");
    assert!(
        said.contains("error in `titled!row 5`: the headings are read from the first row that holds anything (row 1), but they seem to be in row 5"),
        "{said}"
    );
}

#[test]
fn an_ods_row_repeated_past_the_last_row_is_refused_and_error_values_are_errors_at_their_cells() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    // One person's row repeated 4.9 million times: 9.8 million cells, within the cell limit, but
    // past the last row; the reader would keep 1,048,575 of them.
    let path = dir.path().join("repeated.ods");
    write_raw_ods(
        &path,
        &format!(
            "<table:table table:name=\"Export\"><table:table-row>{}{}</table:table-row><table:table-row table:number-rows-repeated=\"4900000\">{}{}</table:table-row></table:table>",
            ods_cell("Stage"),
            ods_cell("Key question"),
            ods_cell("applied"),
            ods_cell("Retired")
        ),
    );
    let a = dry_run_args(&path);
    let a = strs(&a);
    let o = ladder_limited(site.path(), 2_000_000, &a);
    let said = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(said.contains("sheet \"Export\" has 4900001 rows once repeated rows are written out"), "{said}");
    // #N/A as a person id (a failed lookup), in a CSV file and in a workbook.
    let (code, said) = dry_run_csv(
        site.path(),
        dir.path(),
        "na.csv",
        "Person ID,Stage,Key question\n#N/A,applied,Retired\n#n/a,applied,Retired\n",
    );
    assert_eq!(code, Some(1), "{said}");
    for at in ["na!A2", "na!A3"] {
        assert!(
            said.contains(&format!(
                "error in `{at}`: column \"Person ID\": this cell holds the spreadsheet error #N/A"
            )),
            "{said}"
        );
    }
    let path = dir.path().join("errors.xlsx");
    let rows = format!(
        "<row r=\"1\">{}{}</row><row r=\"2\"><c r=\"A2\" t=\"e\"><v>#REF!</v></c>{}</row>",
        text_cell("A1", "Stage"),
        text_cell("B1", "Key question"),
        text_cell("B2", "Retired")
    );
    write_raw_xlsx(&path, &rows);
    let said = refused(site.path(), &strs(&dry_run_args(&path)));
    assert!(
        said.contains("error in `Export!A2`: column \"Stage\": this cell holds the spreadsheet error #REF!"),
        "{said}"
    );
}

/// `ladder ARGS` in `site`, killed after `secs` seconds (exit status 124 then).
fn ladder_timed(site: &Path, secs: u32, args: &[&str]) -> std::process::Output {
    let bin = std::env::var("LADDER_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_ladder").to_string());
    std::process::Command::new("timeout")
        .arg(secs.to_string())
        .arg(bin)
        .args(args)
        .current_dir(site)
        .env("CI", "true")
        .output()
        .unwrap()
}

#[test]
fn an_ods_whose_content_stops_part_way_is_refused_quickly() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let rows: Vec<String> = std::iter::once(format!(
        "<table:table-row>{}{}</table:table-row>",
        ods_cell("Stage"),
        ods_cell("main household earner")
    ))
    .chain(
        (0..8)
            .map(|_| format!("<table:table-row>{}{}</table:table-row>", ods_cell("applied"), ods_cell("Professional"))),
    )
    .collect();
    let whole = format!("{ODS_HEAD}<table:table table:name=\"Export\">{}</table:table>{ODS_TAIL}", rows.concat());
    // Half-written: the content stops after the fourth person, no closing tags.
    let cut = whole.find(&format!("{}{}", rows[4], rows[5])).unwrap() + rows[4].len();
    let path = dir.path().join("cut.ods");
    raw_zip(
        &path,
        &[
            ("mimetype", "application/vnd.oasis.opendocument.spreadsheet".into()),
            ("META-INF/manifest.xml", ODS_MANIFEST.into()),
            ("content.xml", whole[..cut].to_string()),
        ],
    );
    let file = path.to_str().unwrap();
    for kind in ["responses", "figures"] {
        let o = ladder_timed(
            site.path(),
            30,
            &["import", kind, file, "--employer", EMPLOYER, "--year", "2025", "--dry-run"],
        );
        let said = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{kind}: {said}");
        assert!(said.contains("cut.ods") && said.contains("stops part-way"), "{kind}: {said}");
    }
}

/// A workbook of one sheet ("Export") holding `rows`, with the shared texts `texts`.
fn write_raw_xlsx_shared(path: &Path, rows: &str, texts: &[String]) {
    let types = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/><Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/></Types>";
    let rels = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
    let book = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"Export\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
    let book_rels = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>";
    let sheet = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>{rows}</sheetData></worksheet>"
    );
    let sst = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"{n}\" uniqueCount=\"{n}\">{}</sst>",
        texts.iter().map(|t| format!("<si><t>{t}</t></si>")).collect::<String>(),
        n = texts.len()
    );
    raw_zip(
        path,
        &[
            ("[Content_Types].xml", types.into()),
            ("_rels/.rels", rels.into()),
            ("xl/workbook.xml", book.into()),
            ("xl/_rels/workbook.xml.rels", book_rels.into()),
            ("xl/worksheets/sheet1.xml", sheet),
            ("xl/sharedStrings.xml", sst),
        ],
    );
}

#[test]
fn one_long_shared_text_named_by_many_cells_is_refused_in_bounded_memory() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let texts = ["Stage".to_string(), "Key question".into(), "applied".into(), "Retired".into(), "x".repeat(1 << 20)];
    let rows = |n: usize| {
        (1..=n + 1)
            .map(|r| {
                let (a, b) = if r == 1 { (0, 1) } else { (2, 3) };
                format!(
                    "<row r=\"{r}\"><c r=\"A{r}\" t=\"s\"><v>{a}</v></c><c r=\"B{r}\" t=\"s\"><v>{b}</v></c><c r=\"C{r}\" t=\"s\"><v>4</v></c></row>"
                )
            })
            .collect::<String>()
    };
    // 20,000 cells pointing at one text of 1 MB: 20 GB once written out.
    let path = dir.path().join("amplified.xlsx");
    write_raw_xlsx_shared(&path, &rows(20_000), &texts);
    let a = dry_run_args(&path);
    let a = strs(&a);
    let o = ladder_limited(site.path(), 1_500_000, &a);
    let said = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(
        said.contains("this spreadsheet is refused")
            && said.contains("the cells of sheet \"Export\" would hold 20001 MB of text"),
        "{said}"
    );
    // A hundred of them are read.
    let path = dir.path().join("fine.xlsx");
    write_raw_xlsx_shared(&path, &rows(100), &texts);
    let a = dry_run_args(&path);
    let a = strs(&a);
    let o = ladder_limited(site.path(), 1_500_000, &a);
    assert!(!stderr(&o).contains("would hold"), "{}", stderr(&o));
}

#[test]
fn one_long_ods_text_repeated_by_many_cells_is_refused_in_bounded_memory() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let big = "y".repeat(100_000);
    // A 100 KB text in 50 columns of 1,000 repeated rows: 50,000 cells, 5 GB once written out.
    let path = dir.path().join("repeated.ods");
    write_raw_ods(
        &path,
        &format!(
            "<table:table table:name=\"Export\"><table:table-row>{}{}{}</table:table-row><table:table-row>{}{}{}</table:table-row><table:table-row table:number-rows-repeated=\"1000\"><table:table-cell table:number-columns-repeated=\"2\"/><table:table-cell table:number-columns-repeated=\"50\" office:value-type=\"string\"><text:p>{big}</text:p></table:table-cell></table:table-row></table:table>",
            ods_cell("Stage"),
            ods_cell("Key question"),
            ods_cell("Notes"),
            ods_cell("applied"),
            ods_cell("Retired"),
            ods_cell(&big)
        ),
    );
    let a = dry_run_args(&path);
    let a = strs(&a);
    let o = ladder_limited(site.path(), 1_500_000, &a);
    let said = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(
        said.contains("this spreadsheet is refused")
            && said.contains("the cells of sheet \"Export\" would hold 4768 MB of text once repeated rows and columns"),
        "{said}"
    );
}

#[test]
fn a_sheet_stored_outside_the_worksheets_folder_is_measured_too() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let rows = format!(
        "<row r=\"1\">{}{}</row><row r=\"2\">{}</row>",
        text_cell("A1", "Stage"),
        text_cell("B1", "Key question"),
        text_cell("ZZZZZZ2", "applied")
    );
    let plain = dir.path().join("plain.xlsx");
    write_raw_xlsx(&plain, &rows);
    // The same workbook with its sheet at xl/data/sheet1.xml, as its relationships say.
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&plain).unwrap()).unwrap();
    let mut parts = Vec::new();
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).unwrap();
        let mut text = String::new();
        part.read_to_string(&mut text).unwrap();
        let name = part.name().unwrap().replace("xl/worksheets/sheet1.xml", "xl/data/sheet1.xml");
        parts.push((name, text.replace("worksheets/sheet1.xml", "data/sheet1.xml")));
    }
    let moved = dir.path().join("moved.xlsx");
    raw_zip(&moved, &parts.iter().map(|(n, t)| (n.as_str(), t.clone())).collect::<Vec<_>>());
    let a = dry_run_args(&moved);
    let a = strs(&a);
    let o = ladder_limited(site.path(), 1_500_000, &a);
    let said = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(said.contains("sheet \"Export\" reaches ZZZZZZ2, beyond the last column"), "{said}");
}

#[test]
fn a_sheet_named_exactly_is_read_before_one_that_only_matches_loosely() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("years.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    for (name, people) in [("2024-25", 7u32), ("2024 25", 0), ("2024.25", 3)] {
        let ws = book.add_worksheet();
        ws.set_name(name).unwrap();
        ws.write(0, 0, "Stage").unwrap();
        ws.write(0, 1, "Key question").unwrap();
        for r in 1..=people {
            ws.write(r, 0, "applied").unwrap();
            ws.write(r, 1, "Retired").unwrap();
        }
    }
    book.save(&path).unwrap();
    let run = |sheet: &str| {
        let mut a = dry_run_args(&path);
        a.extend(["--sheet".to_string(), sheet.to_string()]);
        ladder(site.path(), &strs(&a))
    };
    let o = run("2024.25");
    let said = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    assert!(o.status.success(), "{said}");
    assert!(said.contains("Applicants: 3 asked"), "{said}");
    // Matching two sheets loosely and none exactly: refused, naming both.
    let o = run("2024_25");
    let said = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(
        said.contains("no sheet is named exactly \"2024_25\"") && said.contains("\"2024-25\", \"2024 25\""),
        "{said}"
    );
    // A long name asked for is cut short in the message, and a long list of sheets capped.
    let o = run(&"n".repeat(5000));
    let said = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(said.contains("there is no sheet") && said.len() < 1000, "{said}");
}

#[test]
fn a_very_long_sheet_name_is_cut_short_in_messages() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.ods");
    let name = "S".repeat(200_000);
    write_raw_ods(
        &path,
        &format!(
            "<table:table table:name=\"{name}\"><table:table-row>{}{}</table:table-row><table:table-row>{}{}</table:table-row></table:table>",
            ods_cell("Stage"),
            ods_cell("Notes"),
            ods_cell("applied"),
            ods_cell("x")
        ),
    );
    let said = refused(site.path(), &strs(&dry_run_args(&path)));
    assert!(said.contains(&format!("{}…!row 1`", "S".repeat(80))), "{}", &said[..said.len().min(400)]);
    assert!(said.len() < 2000, "{} bytes", said.len());
}

#[test]
fn a_control_character_in_a_files_name_is_escaped_where_no_column_is_found() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("exp\x1b[31m.csv");
    std::fs::write(&path, "Stage,Notes\napplied,x\n").unwrap();
    let said = refused(site.path(), &strs(&dry_run_args(&path)));
    assert!(said.contains("no column holds"), "{said}");
    assert!(!said.contains('\x1b'), "{said:?}");
    assert!(said.contains("\\x1b[31m'!row 1`"), "{said:?}");
}

#[test]
fn a_shared_text_number_that_is_not_a_number_is_damage_at_its_cell() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let texts = ["Stage".to_string(), "Key question".into(), "applied".into(), "Retired".into()];
    for (bad, file) in [("-1", "minus.xlsx"), ("abc", "letters.xlsx")] {
        let rows = format!(
            "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row><row r=\"2\"><c r=\"A2\" t=\"s\"><v>2</v></c><c r=\"B2\" t=\"s\"><v>3</v></c></row><row r=\"3\"><c r=\"A3\" t=\"s\"><v>{bad}</v></c><c r=\"B3\" t=\"s\"><v>3</v></c></row>"
        );
        let path = dir.path().join(file);
        write_raw_xlsx_shared(&path, &rows, &texts);
        let said = refused(site.path(), &strs(&dry_run_args(&path)));
        assert!(
            said.contains(
                "error in `Export!A3`: this spreadsheet is damaged: a cell of sheet \"Export\" points at a shared text"
            ),
            "{said}"
        );
    }
}

#[test]
fn a_level_written_as_a_decimal_is_an_error_at_its_cell() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let (code, said) = dry_run_csv(
        site.path(),
        dir.path(),
        "levels.csv",
        "Stage,Key question,Level\ncohort,Retired,4.5\ncohort,Retired,6.7\ncohort,Retired,3.0\n",
    );
    assert_eq!(code, Some(1), "{said}");
    for (at, level) in [("levels!C2", "4.5"), ("levels!C3", "6.7")] {
        assert!(
            said.contains(&format!(
                "error in `{at}`: column \"Level\": level `{level}` is outside the toolkit's bands"
            )),
            "{said}"
        );
    }
    assert!(!said.contains("levels!C4"), "{said}");
}

#[test]
fn csv_rows_are_numbered_as_in_the_file_blank_lines_counted() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let (code, said) = dry_run_csv(
        site.path(),
        dir.path(),
        "gaps.csv",
        "Stage,Key question\n\napplied,Retired\n\n\napplied,Plumber\n",
    );
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("error in `gaps!B6`"), "{said}");
}

#[test]
fn newer_error_values_are_errors_at_their_cells_only_in_columns_read() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    for e in ["#SPILL!", "#CALC!", "#FIELD!", "#GETTING_DATA"] {
        let rows = format!(
            "<row r=\"1\">{}{}{}</row><row r=\"2\">{}{}<c r=\"C2\" t=\"e\"><f>SEQUENCE(3)</f><v>{e}</v></c></row><row r=\"3\"><c r=\"A3\" t=\"e\"><v>{e}</v></c>{}</row>",
            text_cell("A1", "Stage"),
            text_cell("B1", "Key question"),
            text_cell("C1", "Notes"),
            text_cell("A2", "applied"),
            text_cell("B2", "Retired"),
            text_cell("B3", "Retired")
        );
        let path = dir.path().join("newer.xlsx");
        write_raw_xlsx(&path, &rows);
        let said = refused(site.path(), &strs(&dry_run_args(&path)));
        assert!(
            said.contains(&format!(
                "error in `Export!A3`: column \"Stage\": this cell holds the spreadsheet error {e}"
            )),
            "{said}"
        );
        assert!(!said.contains("Export!C2") && said.contains("1 problem found"), "{said}");
    }
}

#[test]
fn a_semicolon_csv_whose_quoted_heading_holds_commas_is_read_with_semicolons() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let (code, said) = dry_run_csv(
        site.path(),
        dir.path(),
        "semicolon.csv",
        "Person ID;Stage;Key question;\"Level (2, 3, 4/5, 6/7)\"\r\nA1;cohort;Long-term unemployed;3\r\nA2;applied;Routine, semi-routine manual and service occupations;\r\n",
    );
    assert_eq!(code, Some(0), "{said}");
    // A file whose separator cannot be told from its rows says what it was read with, and how to
    // name another.
    let (code, said) = dry_run_csv(site.path(), dir.path(), "pipes.csv", "Stage|Key question\napplied|Retired\n");
    assert_eq!(code, Some(1), "{said}");
    assert!(
        said.contains("the file was read as separated by commas (,), as its first rows seemed to be")
            && said.contains("`sep=;`"),
        "{said}"
    );
}

#[test]
fn a_cohort_person_with_a_blank_level_is_an_error_at_the_cell_when_there_is_a_level_column() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let (code, said) = dry_run_csv(
        site.path(),
        dir.path(),
        "gap.csv",
        "Stage,Key question,Level\ncohort,Retired,3\ncohort,Retired,\napplied,Retired,\n",
    );
    assert_eq!(code, Some(1), "{said}");
    assert!(
        said.contains("error in `gap!C3`: column \"Level\": the level is blank; every cohort person needs one"),
        "{said}"
    );
    // Only the cohort is counted in level bands: an applicant's blank level is no problem.
    assert!(!said.contains("gap!C4") && said.contains("1 problem found"), "{said}");
}

#[test]
fn a_time_or_a_duration_where_a_level_belongs_is_shown_as_the_sheet_shows_it() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("times.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("Export").unwrap();
    for (c, h) in ["Stage", "Key question", "Level"].iter().enumerate() {
        ws.write(0, c as u16, *h).unwrap();
    }
    for r in 1..3u32 {
        ws.write(r, 0, "cohort").unwrap();
        ws.write(r, 1, "Retired").unwrap();
    }
    // 04:05 typed as a time; 30 hours in a duration format.
    ws.write_number_with_format(
        1,
        2,
        (4.0 * 60.0 + 5.0) / 1440.0,
        &rust_xlsxwriter::Format::new().set_num_format("hh:mm"),
    )
    .unwrap();
    ws.write_number_with_format(2, 2, 1.25, &rust_xlsxwriter::Format::new().set_num_format("[h]:mm")).unwrap();
    book.save(&xlsx).unwrap();
    let said = refused(site.path(), &strs(&dry_run_args(&xlsx)));
    for (at, shown) in [("C2", "04:05"), ("C3", "30:00")] {
        assert!(
            said.contains(&format!(
                "error in `Export!{at}`: column \"Level\": this cell holds a time ({shown}), not a level"
            )),
            "{said}"
        );
    }
    let ods = dir.path().join("times.ods");
    write_raw_ods(
        &ods,
        &format!(
            "<table:table table:name=\"Export\"><table:table-row>{}{}{}</table:table-row><table:table-row>{}{}<table:table-cell office:value-type=\"time\" office:time-value=\"PT04H05M\"><text:p>04:05</text:p></table:table-cell></table:table-row></table:table>",
            ods_cell("Stage"),
            ods_cell("Key question"),
            ods_cell("Level"),
            ods_cell("cohort"),
            ods_cell("Retired")
        ),
    );
    let said = refused(site.path(), &strs(&dry_run_args(&ods)));
    assert!(
        said.contains("error in `Export!C2`: column \"Level\": this cell holds a time (04:05), not a level")
            && !said.contains("PT04H05M"),
        "{said}"
    );
}

#[test]
fn anchors_and_aliases_in_a_mapping_file_are_said_not_to_be_read_at_their_lines() {
    let site = example_site();
    for (yaml, lines) in
        [("stages: &m {}\nanswers: *m\n", [1, 2]), ("x: &m\n  Chef: working_class\nanswers: *m\n", [1, 3])]
    {
        let (_dir, args) = export_with_mapping("Stage,main household earner\napplied,Chef\n", yaml);
        let said = refused(site.path(), &strs(&args));
        assert!(!said.contains("refers to no anchor"), "{said}");
        for line in lines {
            assert!(
                said.contains(&format!(
                    "mapping.yaml:{line}: error: YAML anchors and aliases (`&name`, `*name`, `<<:`) are not read in a mapping file: write the values out in full"
                )),
                "{said}"
            );
        }
    }
}

#[test]
fn a_percentage_where_a_level_or_a_count_belongs_is_an_error_at_its_cell() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("percent.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("Export").unwrap();
    for (c, h) in ["Stage", "Key question", "Level", "Notes"].iter().enumerate() {
        ws.write(0, c as u16, *h).unwrap();
    }
    for r in 1..5u32 {
        ws.write(r, 0, "cohort").unwrap();
        ws.write(r, 1, "Retired").unwrap();
    }
    // A built-in percent format, one of the workbook's own, a plain 3, and a percentage in a
    // column that is not read.
    ws.write_number_with_format(1, 2, 3.0, &rust_xlsxwriter::Format::new().set_num_format("0%")).unwrap();
    ws.write_number_with_format(2, 2, 0.125, &rust_xlsxwriter::Format::new().set_num_format("0.0%")).unwrap();
    ws.write(3, 2, 3.0).unwrap();
    ws.write(4, 2, 2.0).unwrap();
    ws.write_number_with_format(4, 3, 5.0, &rust_xlsxwriter::Format::new().set_num_format("0%")).unwrap();
    book.save(&xlsx).unwrap();
    let said = refused(site.path(), &strs(&dry_run_args(&xlsx)));
    for (at, shown) in [("C2", "300%"), ("C3", "12.5%")] {
        assert!(
            said.contains(&format!("error in `Export!{at}`: column \"Level\": {shown} is a percentage, not a level")),
            "{said}"
        );
    }
    assert!(said.contains("2 problems found"), "{said}");
    let ods = dir.path().join("percent.ods");
    write_raw_ods(
        &ods,
        &format!(
            "<table:table table:name=\"Export\"><table:table-row>{}{}{}</table:table-row><table:table-row>{}{}<table:table-cell office:value-type=\"percentage\" office:value=\"3\"><text:p>300%</text:p></table:table-cell></table:table-row><table:table-row>{}{}<table:table-cell office:value-type=\"float\" office:value=\"3\"><text:p>3</text:p></table:table-cell></table:table-row></table:table>",
            ods_cell("Stage"),
            ods_cell("Key question"),
            ods_cell("Level"),
            ods_cell("cohort"),
            ods_cell("Retired"),
            ods_cell("cohort"),
            ods_cell("Retired")
        ),
    );
    let said = refused(site.path(), &strs(&dry_run_args(&ods)));
    assert!(
        said.contains("error in `Export!C2`: column \"Level\": 300% is a percentage, not a level")
            && said.contains("1 problem found"),
        "{said}"
    );
}

#[test]
fn csv_rows_with_windows_or_old_mac_line_ends_are_numbered_as_in_the_file() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    for (name, end) in [("crlf", "\r\n"), ("cr", "\r")] {
        let text =
            ["Stage,Key question", "applied,Plumber", "applied,Other", "applied,Welder", "", "applied,Baker", ""]
                .join(end);
        let (code, said) = dry_run_csv(site.path(), dir.path(), &format!("{name}.csv"), &text);
        assert_eq!(code, Some(1), "{said}");
        for at in ["B2", "B4", "B6"] {
            assert!(said.contains(&format!("error in `{name}!{at}`")), "{name} {at}: {said}");
        }
        assert!(said.contains("3 problems found"), "{name}: {said}");
    }
    let text = "Applicants export 2025\r\n\r\nStage,Key question\r\napplied,Other\r\n";
    let (code, said) = dry_run_csv(site.path(), dir.path(), "titled.csv", text);
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("but they seem to be in row 3"), "{said}");
}

#[test]
fn only_the_common_level_headings_are_the_apprenticeship_level_and_the_others_are_named() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    for heading in ["Highest qualification level", "Functional skills level", "Maths level", "Prior attainment level"] {
        let text = format!(
            "Person ID,Stage,main household earner,{heading}\nA1,cohort,Technical and craft occupations,2\nA2,cohort,Other,3\n"
        );
        let (code, said) = dry_run_csv(site.path(), dir.path(), "lvh.csv", &text);
        assert_eq!(code, Some(0), "{heading}: {said}");
        assert!(!said.contains("Level 2") && !said.contains("Level 3"), "{heading} read as the level: {said}");
        assert!(
            said.contains(&format!("note: column \"{heading}\" was not read as the apprenticeship level"))
                && said.contains(&format!("--column level=\"{heading}\"")),
            "{heading}: {said}"
        );
        // Named on the command line, it is read.
        let mut a = dry_run_args(&dir.path().join("lvh.csv"));
        a.extend(["--column".to_string(), format!("level={heading}")]);
        let said = stderr(&ladder(site.path(), &strs(&a)));
        assert!(said.contains("Level 2") && !said.contains("not read as the apprenticeship level"), "{said}");
    }
    for heading in
        ["Level", "Apprenticeship level", "Programme level", "Level of apprenticeship", "Level (2, 3, 4/5, 6/7)"]
    {
        let text = format!("Stage,main household earner,\"{heading}\"\ncohort,Other,2\n");
        let (code, said) = dry_run_csv(site.path(), dir.path(), "lv.csv", &text);
        assert_eq!(code, Some(0), "{heading}: {said}");
        assert!(said.contains("Level 2") && !said.contains("note:"), "{heading}: {said}");
    }
}

#[test]
fn an_outcome_column_with_nobody_due_removes_the_years_old_figures_for_it_and_says_so() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let before = year_of(site.path(), YEAR);
    assert!(before.outcomes.completion.is_some() && before.outcomes.progression.is_some(), "the example year has them");
    let f = dir.path().join("cohort.csv");
    std::fs::write(
        &f,
        "Stage,Key question,Level,Completed\ncohort,Other,3,\ncohort,Technical and craft occupations,3,n/a\n",
    )
    .unwrap();
    let o =
        ladder(site.path(), &["import", "responses", f.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025"]);
    let said = ok(&o, "import");
    assert!(said.contains("note: 2025's completion figures were removed"), "{said}");
    assert!(!said.contains("progression figures"), "{said}");
    let year = year_of(site.path(), YEAR);
    assert!(year.outcomes.completion.is_none(), "old completion kept beside a new cohort");
    assert_eq!(
        year.outcomes.progression.map(|t| t.value),
        before.outcomes.progression.map(|t| t.value),
        "a column the file lacks is kept"
    );
    assert_eq!(year.key_question.cohort.unwrap().value.asked, 2);
    ok(&ladder(site.path(), &["check"]), "check");
    // All three columns with nobody due: the year has no outcomes left, and the file still loads.
    std::fs::write(
        &f,
        "Stage,Key question,Level,Functional skills,Completed,Progressed\ncohort,Other,3,,,\ncohort,Other,3,n/a,not due,\n",
    )
    .unwrap();
    let o =
        ladder(site.path(), &["import", "responses", f.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025"]);
    let said = ok(&o, "import");
    assert!(
        said.contains("functional skills figures were removed") && said.contains("progression figures were removed"),
        "{said}"
    );
    let year = year_of(site.path(), YEAR);
    assert!(year.outcomes.functional_skills.is_none() && year.outcomes.progression.is_none(), "{said}");
    ok(&ladder(site.path(), &["check"]), "check");
}

#[test]
fn only_one_and_zero_of_numbers_are_outcomes_and_minus_one_is_an_error_at_its_cell() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let text = "Stage,main household earner,Level,Completed,Progressed\ncohort,Long-term unemployed,3,1,no\ncohort,Long-term unemployed,3,0,no\n";
    let (code, said) = dry_run_csv(site.path(), dir.path(), "ones.csv", text);
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("Completion: 1 achieved of 2 due"), "{said}");
    let text = "Stage,main household earner,Level,Completed\ncohort,Long-term unemployed,3,-1\ncohort,Long-term unemployed,3,2\ncohort,Long-term unemployed,3,1.5\n";
    let (code, said) = dry_run_csv(site.path(), dir.path(), "neg.csv", text);
    assert_eq!(code, Some(1), "{said}");
    for (at, mark) in [("D2", "-1"), ("D3", "2"), ("D4", "1.5")] {
        assert!(
            said.contains(&format!("error in `neg!{at}`")) && said.contains(&format!("`{mark}` is not an outcome")),
            "{at}: {said}"
        );
    }
}

#[test]
fn the_toolkits_full_answers_others_examples_and_known_shortenings_are_read_and_unknown_answers_shown_whole() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let answers: &[(&str, G)] = &[
        (
            "Small business owners who employed less than 25 people such as: corner shop owners, small plumbing business, retail shop owner, single restaurant or cafe owner, taxi owner, garage owner",
            G::Intermediate,
        ),
        ("Other (I don't know)", G::Other),
        ("Other - I don't know", G::Other),
        ("Other (don't know)", G::Other),
        ("Other (this question does not apply to me)", G::Other),
        ("Senior managers or administrators", G::Professional),
        ("Middle or junior managers", G::Professional),
    ];
    let mut text = String::from("Stage,main household earner\n");
    for (a, _) in answers {
        text.push_str(&format!("applied,\"{a}\"\n"));
    }
    let (code, said) = dry_run_csv(site.path(), dir.path(), "full.csv", &text);
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("Applicants: 7 asked, 7 answered"), "{said}");
    let f = dir.path().join("full.csv");
    ok(
        &ladder(site.path(), &["import", "responses", f.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025"]),
        "import",
    );
    let a = year_of(site.path(), YEAR).key_question.applicants.unwrap().value;
    let count = |g: G| answers.iter().filter(|(_, x)| *x == g).count() as u32;
    assert_eq!(
        (a.professional, a.intermediate, a.working_class, a.other),
        (count(G::Professional), count(G::Intermediate), 0, count(G::Other))
    );
    // An unknown answer is shown whole (to a sane length), so the words that make it unknown are seen.
    let long =
        "Small business owners who employed less than 25 people such as: corner shop owners, my uncle's removals firm";
    let (code, said) =
        dry_run_csv(site.path(), dir.path(), "long.csv", &format!("Stage,main household earner\napplied,\"{long}\"\n"));
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains(&format!("`{}` is not one of the key question's answers", long)), "{said}");
}

#[test]
fn the_same_column_flag_given_twice_is_an_error_naming_both() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("cft.csv");
    std::fs::write(&f, "Stage,Previous stage,Main household earner\napplied,applied,Other\ncohort,started,Other\n")
        .unwrap();
    let mut a = dry_run_args(&f);
    a.extend(
        ["--column", "stage=Stage", "--column", "answer=Main household earner", "--column", "stage=Previous stage"]
            .map(String::from),
    );
    let o = ladder(site.path(), &strs(&a));
    let said = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{said}");
    assert!(
        said.contains("`--column stage=Stage` and `--column stage=Previous stage` both name the stage column"),
        "{said}"
    );
}

#[test]
fn a_wrong_shaped_mapping_entry_or_a_heading_problem_hides_no_other_problem() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("ms.csv");
    std::fs::write(&f, "Stage,Main household earner\napplied,Welder\napplied,Other\n").unwrap();
    let m = dir.path().join("ms.yaml");
    std::fs::write(&m, "answers:\n  Foo: [a]\n  Bar: bogus\n  Plumber: working_class\n").unwrap();
    let mut a = dry_run_args(&f);
    a.extend(["--mapping".to_string(), m.to_str().unwrap().to_string()]);
    let o = ladder(site.path(), &strs(&a));
    let said = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(said.contains("ms.yaml:2"), "the wrong-shaped entry: {said}");
    assert!(said.contains("ms.yaml:3") && said.contains("`bogus` is not a group"), "the entry after it: {said}");
    assert!(said.contains("error in `ms!B2`") && said.contains("`Welder`"), "the export's unknown answer: {said}");
    // Two columns look like the stage: the answer and level cells, found without doubt, are checked too.
    let (code, said) = dry_run_csv(
        site.path(),
        dir.path(),
        "hph.csv",
        "Stage,Stage date,Main household earner,Level\napplied,2025-01-02,Plumber,9\ncohort,2025-01-03,Other,3\n",
    );
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("all look like the stage"), "{said}");
    assert!(said.contains("error in `hph!C2`") && said.contains("`Plumber`"), "{said}");
    assert!(said.contains("error in `hph!D2`") && said.contains("level `9`"), "{said}");
    assert!(said.contains("3 problems found"), "{said}");
}

#[test]
fn an_ods_error_cell_stored_as_a_number_is_an_error_at_its_cell() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("odse.ods");
    let error = |shown: &str| {
        format!(
            "<table:table-cell table:formula=\"of:=1 / 0\" office:value-type=\"float\" office:value=\"0\" calcext:value-type=\"error\"><text:p>{shown}</text:p></table:table-cell>"
        )
    };
    let row = |cells: &[String]| format!("<table:table-row>{}</table:table-row>", cells.concat());
    let head = ODS_HEAD.replace(
        "office:version=",
        "xmlns:calcext=\"urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0\" office:version=",
    );
    let table = format!(
        "<table:table table:name=\"Export\">{}{}{}</table:table>",
        row(&[ods_cell("Stage"), ods_cell("Main household earner"), ods_cell("Level"), ods_cell("Completed")]),
        row(&[ods_cell("cohort"), ods_cell("Technical and craft occupations"), ods_cell("3"), error("#DIV/0!")]),
        row(&[ods_cell("cohort"), ods_cell("Technical and craft occupations"), error("#N/A"), ods_cell("Yes")]),
    );
    raw_zip(
        &f,
        &[
            ("mimetype", "application/vnd.oasis.opendocument.spreadsheet".into()),
            ("META-INF/manifest.xml", ODS_MANIFEST.into()),
            ("content.xml", format!("{head}{table}{ODS_TAIL}")),
        ],
    );
    let o = ladder(site.path(), &strs(&dry_run_args(&f)));
    let said = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(said.contains("error in `Export!D2`") && said.contains("spreadsheet error #DIV/0!"), "{said}");
    assert!(said.contains("error in `Export!C3`") && said.contains("spreadsheet error #N/A"), "{said}");
}

#[test]
fn level_written_stuck_or_spaced_is_read_and_a_soft_hyphen_is_ignored_in_answers_and_shown_in_messages() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let text = "Stage,main household earner,Level\ncohort,Retired,level3\ncohort,Retired,L 3\ncohort,Retired,Lvl4\ncohort,Tech\u{AD}nical and craft occupations,L6\n";
    let (code, said) = dry_run_csv(site.path(), dir.path(), "lv.csv", text);
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("Level 3: 2 asked") && said.contains("Level 4–5: 1 asked"), "{said}");
    let text = "Stage,main household earner\napplied,Plum\u{AD}ber\n";
    let (code, said) = dry_run_csv(site.path(), dir.path(), "shy.csv", text);
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("`Plum\\u{ad}ber` is not one of the key question's answers"), "{said}");
}

#[test]
fn an_ods_currency_cell_where_a_level_belongs_is_an_error_at_its_cell() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("money.ods");
    let money = "<table:table-cell office:value-type=\"currency\" office:currency=\"GBP\" office:value=\"3\"><text:p>£3.00</text:p></table:table-cell>";
    let row = |cells: &[String]| format!("<table:table-row>{}</table:table-row>", cells.concat());
    let table = format!(
        "<table:table table:name=\"Export\">{}{}</table:table>",
        row(&[ods_cell("Stage"), ods_cell("Main household earner"), ods_cell("Level")]),
        row(&[ods_cell("cohort"), ods_cell("Technical and craft occupations"), money.to_string()]),
    );
    write_raw_ods(&f, &table);
    let o = ladder(site.path(), &strs(&dry_run_args(&f)));
    let said = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(said.contains("error in `Export!C2`") && said.contains("level `£3.00`"), "{said}");
}

/// `import responses FILE` for the example employer and year, which must be refused; what it said.
fn import_refused(site: &Path, file: &Path) -> String {
    refused(site, &["import", "responses", file.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025"])
}

/// An .xlsx "Export" sheet of `rows` (each a row's texts from column A), row 1 first; `attrs`
/// gives a row (from 1) extra attributes, `after` goes after the rows.
fn xlsx_rows(path: &Path, rows: &[&[&str]], attrs: &[(usize, &str)], after: &str) {
    let mut xml = String::new();
    for (i, cells) in rows.iter().enumerate() {
        let r = i + 1;
        let extra = attrs.iter().filter(|(n, _)| *n == r).map(|(_, a)| format!(" {a}")).collect::<String>();
        xml.push_str(&format!("<row r=\"{r}\"{extra}>"));
        for (c, v) in cells.iter().enumerate() {
            if !v.is_empty() {
                xml.push_str(&text_cell(&format!("{}{r}", (b'A' + c as u8) as char), v));
            }
        }
        xml.push_str("</row>");
    }
    write_raw_xlsx_with(path, &xml, after);
}

#[test]
fn rows_hidden_by_a_filter_or_by_hand_are_refused_by_row_in_xlsx_and_ods() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let (tech, pro) = (["applied", "Technical and craft occupations"], ["applied", "Modern professional occupations"]);
    let mut rows: Vec<&[&str]> = vec![&["Stage", "Key question"]];
    rows.extend(std::iter::repeat_n(&tech[..], 4));
    rows.extend(std::iter::repeat_n(&pro[..], 3));
    // Rows 2–4 filtered out, row 7 hidden by hand, row 9 hidden but empty (not told).
    let hidden: Vec<(usize, &str)> = [2, 3, 4, 7, 9].iter().map(|&r| (r, "hidden=\"1\"")).collect();
    let path = dir.path().join("hidden.xlsx");
    xlsx_rows(&path, &rows, &hidden, "<autoFilter ref=\"A1:B8\"/>");
    let said = import_refused(site.path(), &path);
    assert!(said.contains("error in `Export!rows 2–4, 7`: 4 rows with people on them are hidden"), "{said}");
    assert!(said.contains("clear the filter or unhide the rows") && said.contains("delete the rows"), "{said}");
    // The same, filtered out of an .ods sheet.
    let path = dir.path().join("hidden.ods");
    let row = |a: &str, b: &str| format!("{}{}", ods_cell(a), ods_cell(b));
    write_raw_ods(
        &path,
        &format!(
            "<table:table table:name=\"Export\"><table:table-row>{}</table:table-row><table:table-row table:visibility=\"filter\" table:number-rows-repeated=\"3\">{}</table:table-row><table:table-row>{}</table:table-row><table:table-row table:visibility=\"collapse\">{}</table:table-row></table:table>",
            row("Stage", "Key question"),
            row("applied", "Technical and craft occupations"),
            row("applied", "Other"),
            row("applied", "Other"),
        ),
    );
    let said = import_refused(site.path(), &path);
    assert!(said.contains("error in `Export!rows 2–4, 6`: 4 rows with people on them are hidden"), "{said}");
}

#[test]
fn merged_cells_in_a_column_read_are_refused_by_their_range_in_xlsx_and_ods() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("merged.xlsx");
    let rows: Vec<&[&str]> = vec![
        &["Stage", "Key question", "Notes"],
        &["applied", "Technical and craft occupations", "x"],
        &["applied", "", ""],
        &["applied", "", ""],
        &["applied", "Other", "a note"],
    ];
    // B2:B4 (answers) is refused; C2:C3 (a column not read) and the headings' A1:A1 are not.
    xlsx_rows(
        &path,
        &rows,
        &[],
        "<mergeCells count=\"3\"><mergeCell ref=\"B2:B4\"/><mergeCell ref=\"C2:C3\"/><mergeCell ref=\"A1\"/></mergeCells>",
    );
    let said = import_refused(site.path(), &path);
    assert!(said.contains("error in `Export!B2:B4`: these cells are merged into one"), "{said}");
    assert!(said.contains("the people on rows 3–4 would be read as blank"), "{said}");
    assert!(!said.contains("Export!C2"), "a column not read: {said}");
    let path = dir.path().join("merged.ods");
    let cells = |a: &str, b: &str| format!("{}{b}", ods_cell(a));
    write_raw_ods(
        &path,
        &format!(
            "<table:table table:name=\"Export\"><table:table-row>{}</table:table-row><table:table-row>{}</table:table-row><table:table-row table:number-rows-repeated=\"2\">{}</table:table-row><table:table-row>{}</table:table-row></table:table>",
            cells("Stage", &ods_cell("Key question")),
            cells(
                "applied",
                "<table:table-cell office:value-type=\"string\" table:number-rows-spanned=\"3\"><text:p>Technical and craft occupations</text:p></table:table-cell>"
            ),
            cells("applied", "<table:covered-table-cell/>"),
            cells("applied", &ods_cell("Other")),
        ),
    );
    let said = import_refused(site.path(), &path);
    assert!(said.contains("error in `Export!B2:B4`: these cells are merged into one"), "{said}");
}

/// The figures template filled in with `cells` (sheet, cell, value) and the About sheet's
/// employer and year; the file's path.
fn filled_template(dir: &Path, name: &str, cells: &[(&str, &str, String)]) -> PathBuf {
    let mut all = vec![("About", "B3", EMPLOYER.to_string()), ("About", "B4", YEAR.to_string())];
    all.extend(cells.iter().cloned());
    let path = dir.join(name);
    let blank = std::fs::read(dir.join("figures.xlsx")).unwrap_or_else(|_| template(dir));
    std::fs::write(&path, fill(&blank, &all)).unwrap();
    path
}

/// A figures sheet's column of six answer rows (C4:C9, D4:D9, …).
fn answer_column<'a>(sheet: &'a str, col: &str, values: [u32; 6]) -> Vec<(&'a str, &'static str, String)> {
    let cells: [&'static str; 24] = [
        "C4", "C5", "C6", "C7", "C8", "C9", "D4", "D5", "D6", "D7", "D8", "D9", "E4", "E5", "E6", "E7", "E8", "E9",
        "F4", "F5", "F6", "F7", "F8", "F9",
    ];
    let first = cells.iter().position(|c| c.starts_with(col)).unwrap();
    values.iter().enumerate().map(|(i, v)| (sheet, cells[first + i], v.to_string())).collect()
}

#[test]
fn level_bands_adding_up_to_more_than_the_cohort_are_errors_at_their_rows() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let mut cells = answer_column("Cohort", "C", [10, 2, 2, 4, 1, 1]);
    cells.extend(answer_column("Levels", "C", [6, 1, 1, 3, 1, 0]));
    cells.extend(answer_column("Levels", "D", [6, 1, 2, 1, 0, 1]));
    let path = filled_template(dir.path(), "over.xlsx", &cells);
    let said = refused(site.path(), &["import", "figures", path.to_str().unwrap()]);
    assert!(
        said.contains("error in `Levels!C4:D4`: the level bands' \"asked\" add up to 12, more than the 10 of the whole cohort (Cohort!C4)"),
        "{said}"
    );
    assert!(
        said.contains("error in `Levels!C6:D6`: the level bands' \"intermediate\" add up to 3, more than the 2"),
        "{said}"
    );
    assert_eq!(said.matches("the level bands'").count(), 2, "rows within the cohort are not told: {said}");
    // Bands that add up to the cohort, or less, are read.
    let mut cells = answer_column("Cohort", "C", [10, 2, 2, 4, 1, 1]);
    cells.extend(answer_column("Levels", "C", [6, 1, 1, 3, 1, 0]));
    cells.extend(answer_column("Levels", "D", [4, 1, 1, 1, 0, 1]));
    cells.extend(answer_column("Levels", "E", [0; 6]));
    cells.extend(answer_column("Levels", "F", [0; 6]));
    let path = filled_template(dir.path(), "within.xlsx", &cells);
    ok(&ladder(site.path(), &["import", "figures", path.to_str().unwrap()]), "import figures");
}

#[test]
fn importing_a_new_year_changes_nothing_but_adds_its_figures_and_the_scorecard_keeps_its_practices() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let card = |site: &Path| {
        let o = ladder(site, &["score", &format!("content/employers/{EMPLOYER}.yaml")]);
        assert!(o.status.success(), "{}", stderr(&o));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let (card_before, text_before) = (card(site.path()), read(&employer_path(site.path())));
    let csv = dir.path().join("2026.csv");
    std::fs::write(&csv, "stage,answer\napplied,Technical and craft occupations\n").unwrap();
    let o =
        ladder(site.path(), &["import", "responses", csv.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2026"]);
    let said = ok(&o, "import");
    assert!(said.contains("note: 2026 is a new year: 2025's practices were copied into it"), "{said}");
    // Every line of the file but the new year's is as it was, in place.
    let after = read(&employer_path(site.path()));
    let start = after.find("  - year: 2026\n").expect("2026 added");
    let end = after[start + 1..].find("\n  - ").map_or(after.len(), |e| start + 1 + e + 1);
    assert_eq!(format!("{}{}", &after[..start], &after[end..]), text_before);
    let new = year_of(site.path(), 2026);
    let applicants = new.key_question.applicants.as_ref().map(|a| a.value).unwrap_or_default();
    assert_eq!((applicants.asked, applicants.working_class), (1, 1));
    let practices = |y: &YearFile| -> Vec<(String, String)> {
        y.practices.iter().map(|(k, v)| (k.clone(), format!("{:?}", v.value))).collect()
    };
    assert_eq!(practices(&new), practices(&year_of(site.path(), 2025)));
    assert!(!practices(&new).is_empty());
    // The scorecard's practices are those it showed before.
    let must = |c: &str| {
        c.lines().filter(|l| l.contains("must-have") || l.contains("in place")).map(str::to_string).collect::<Vec<_>>()
    };
    assert_eq!(must(&card(site.path())), must(&card_before));
    assert!(!must(&card_before).is_empty(), "{card_before}");
    // Imported again, the year is only updated: nothing more is carried.
    let said = ok(
        &ladder(site.path(), &["import", "responses", csv.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2026"]),
        "again",
    );
    assert!(!said.contains("practices"), "{said}");
    assert_eq!(read(&employer_path(site.path())), after);
}

#[test]
fn outcome_and_id_headings_are_found_whatever_their_spacing_punctuation_and_achieved_words() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    for (heading, outcome) in [
        ("Completion achieved", "Completion"),
        ("Completion passed", "Completion"),
        ("Progression achieved", "Progression"),
        ("Progressed apprenticeship", "Progression"),
        ("Apprenticeship progression", "Progression"),
        ("Passed functional skills", "Functional skills"),
        ("F.S.Q.", "Functional skills"),
        ("FunctionalSkills", "Functional skills"),
    ] {
        // All three outcomes, the one tested under its heading (the others keep the employer's
        // file consistent: progression is counted among completers).
        let headings =
            ["Functional skills", "Completion", "Progression"].map(|o| if o == outcome { heading } else { o });
        let text = format!("stage,answer,{}\ncohort,Technical and craft occupations,yes,yes,yes\n", headings.join(","));
        let (code, said) = dry_run_csv(site.path(), dir.path(), "outcome.csv", &text);
        assert_eq!(code, Some(0), "{heading}: {said}");
        assert!(said.contains(&format!("  {outcome}: 1 achieved")), "{heading}: {said}");
        assert!(!said.contains("not read"), "{heading}: {said}");
    }
    for heading in ["Person I.D.", "PersonID", "person_id"] {
        let text = format!("{heading},stage,answer\nX1,applied,Other\nX1,applied,Other\n");
        let (code, said) = dry_run_csv(site.path(), dir.path(), "ids.csv", &text);
        assert_eq!(code, Some(1), "{heading}: {said}");
        assert!(said.contains("this person id appears twice at stage applied"), "{heading}: {said}");
    }
    // Words that only mention an outcome are still not one.
    let text = "stage,answer,Survey completed\ncohort,Other,yes\n";
    let (_, said) = dry_run_csv(site.path(), dir.path(), "survey.csv", text);
    assert!(said.contains("note: column \"Survey completed\" was not read as completion"), "{said}");
}

#[test]
fn a_new_employers_file_without_years_gets_its_years_list_from_the_first_import() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("first.csv");
    std::fs::write(&csv, "stage,answer\napplied,Technical and craft occupations\n").unwrap();
    let profile = "name: New Co\nsector: Hospitality and catering\nregion: North East\nsize: small\n";
    let file = site.path().join("content/employers/new-co.yaml");
    for (tail, years_line) in [("", "years:"), ("years: []  # none yet\n", "years:  # none yet"), ("\n\n", "years:")] {
        std::fs::write(&file, format!("{profile}{tail}")).unwrap();
        let o = ladder(
            site.path(),
            &["import", "responses", csv.to_str().unwrap(), "--employer", "new-co", "--year", "2025"],
        );
        ok(&o, &format!("import after {tail:?}"));
        let text = read(&file);
        assert_eq!(
            text,
            format!(
                "{profile}{years_line}\n  - year: 2025\n    key_question:\n      applicants: {{asked: 1, professional: 0, intermediate: 0, working_class: 1, other: 0, prefer_not_to_say: 0}}\n"
            ),
            "after {tail:?}"
        );
        ok(&ladder(site.path(), &["check"]), "check");
    }
}

#[test]
fn a_level_band_left_blank_beside_filled_ones_is_an_error_at_its_column() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let mut cells = answer_column("Cohort", "C", [10, 2, 2, 4, 1, 1]);
    cells.extend(answer_column("Levels", "D", [10, 2, 2, 4, 1, 1]));
    let path = filled_template(dir.path(), "one-band.xlsx", &cells);
    let said = refused(site.path(), &["import", "figures", path.to_str().unwrap()]);
    for (range, band) in [("C4:C9", "Level 2"), ("E4:E9", "Level 4–5"), ("F4:F9", "Level 6–7")] {
        assert!(
            said.contains(&format!(
                "error in `Levels!{range}`: the {band} column is blank, but other level bands are filled in"
            )),
            "{range}: {said}"
        );
    }
    assert!(!said.contains("Levels!D"), "{said}");
    // Zeros where there are none: read.
    for col in ["C", "E", "F"] {
        cells.extend(answer_column("Levels", col, [0; 6]));
    }
    let path = filled_template(dir.path(), "zeros.xlsx", &cells);
    ok(&ladder(site.path(), &["import", "figures", path.to_str().unwrap()]), "import figures");
}

#[test]
fn govuk_level_names_with_their_level_are_read_as_its_band_and_a_name_that_disagrees_is_not() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let levels = [
        ("Intermediate (Level 2)", "2"),
        ("Advanced (Level 3)", "3"),
        ("Level 3 (Advanced)", "3"),
        ("Level 3 Advanced", "3"),
        ("Higher (Level 4/5)", "4–5"),
        ("Higher (Level 6)", "6–7"),
        ("Degree (Level 6/7)", "6–7"),
        ("Level 7 (Masters)", "6–7"),
    ];
    let mut text = String::from("Stage,main household earner,Level\n");
    for (level, _) in levels {
        text.push_str(&format!("cohort,Retired,\"{level}\"\n"));
    }
    let (code, said) = dry_run_csv(site.path(), dir.path(), "names.csv", &text);
    assert_eq!(code, Some(0), "{said}");
    for band in ["2", "3", "4–5", "6–7"] {
        let n = levels.iter().filter(|(_, b)| *b == band).count();
        assert!(said.contains(&format!("  Level {band}: {n} asked, {n} answered")), "{band}: {said}");
    }
    let text =
        "Stage,main household earner,Level\ncohort,Retired,Advanced (Level 2)\ncohort,Retired,Higher (Level 3)\n";
    let (code, said) = dry_run_csv(site.path(), dir.path(), "disagree.csv", text);
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("disagree!C2") && said.contains("disagree!C3"), "{said}");
}

#[test]
fn invisible_and_right_to_left_characters_are_shown_by_their_code_in_messages() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let text = "stage,answer\napplied,\u{200B}\napplied,Oth\u{200B}er\napplied,\u{202E}Senior\u{FEFF}\n";
    let (code, said) = dry_run_csv(site.path(), dir.path(), "invisible.csv", text);
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("error in `invisible!B2`: column \"answer\": `\\u{200b}` is not one of"), "{said}");
    assert!(said.contains("`Oth\\u{200b}er` is not one of"), "{said}");
    assert!(said.contains("`\\u{202e}Senior\\u{feff}` is not one of"), "{said}");
    assert!(!said.contains(['\u{200B}', '\u{202E}', '\u{FEFF}']), "{said}");
}

#[test]
fn a_dry_run_warns_of_an_export_inside_the_site_as_the_real_run_does() {
    let site = example_site();
    std::fs::create_dir_all(site.path().join("exports")).unwrap();
    let csv = site.path().join("exports/applicants.csv");
    std::fs::write(&csv, "stage,answer\napplied,Technical and craft occupations\n").unwrap();
    let (code, said) = {
        let o = ladder(site.path(), &strs(&dry_run_args(Path::new("exports/applicants.csv"))));
        (o.status.code(), stderr(&o))
    };
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("warning: exports/applicants.csv is inside the site's folder; move it out"), "{said}");
    assert!(!said.contains("was copied into it"), "a dry run copies nothing: {said}");
    // Outside the site, the reminder.
    let dir = tempfile::tempdir().unwrap();
    let (_, said) = dry_run_csv(site.path(), dir.path(), "out.csv", "stage,answer\napplied,Other\n");
    assert!(said.contains("out of the site's folder and its repository: it holds personal data"), "{said}");
}

#[test]
fn the_wrong_sheet_or_the_wrong_import_command_is_told_with_the_one_to_use() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    // A summary sheet first, the rows on "Export": the sheet with the headings is named.
    let path = dir.path().join("summary-first.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let summary = book.add_worksheet().set_name("Summary").unwrap();
    summary.write(0, 0, "Total applicants").unwrap();
    summary.write(0, 1, 3).unwrap();
    let export = book.add_worksheet().set_name("Export").unwrap();
    for (r, row) in [["stage", "answer"], ["applied", "Other"], ["applied", "Other"]].iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            export.write(r as u32, c as u16, *v).unwrap();
        }
    }
    book.save(&path).unwrap();
    let said = import_refused(site.path(), &path);
    assert!(
        said.contains("sheet \"Summary\" was read, but sheet \"Export\" has the headings: give `--sheet \"Export\"`"),
        "{said}"
    );
    // The figures template given to `import responses`: the other command.
    let mut cells = vec![("About", "B3", EMPLOYER.to_string()), ("About", "B4", YEAR.to_string())];
    cells.extend(answer_column("Applicants", "C", [1, 1, 0, 0, 0, 0]));
    let path = filled_template(dir.path(), "filled.xlsx", &cells[2..]);
    let said = import_refused(site.path(), &path);
    assert!(
        said.contains("this looks like the figures template") && said.contains("`ladder import figures FILE`"),
        "{said}"
    );
    assert!(!said.contains("no column holds"), "{said}");
    // An export given to `import figures`: one problem, naming `import responses`.
    let csv = dir.path().join("export.csv");
    std::fs::write(&csv, "stage,answer\napplied,Other\n").unwrap();
    let said =
        refused(site.path(), &["import", "figures", csv.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025"]);
    assert!(
        said.contains("this is not the figures template") && said.contains("use `ladder import responses FILE"),
        "{said}"
    );
    assert!(!said.contains("there is no sheet"), "{said}");
}

#[test]
fn level_bands_beyond_the_cohort_the_year_keeps_are_refused_when_the_cohort_sheet_is_blank() {
    // The example employer's year keeps its cohort of 78 (25 professional) when the Cohort sheet is blank.
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let before = std::fs::read_to_string(employer_path(site.path())).unwrap();
    let mut cells = Vec::new();
    for col in ["C", "D", "E", "F"] {
        cells.extend(answer_column("Levels", col, [30, 10, 5, 5, 1, 0]));
    }
    let path = filled_template(dir.path(), "over-kept.xlsx", &cells);
    let said = refused(site.path(), &["import", "figures", path.to_str().unwrap()]);
    assert!(
        said.contains(
            "error in `Levels!C4:F4`: the level bands' \"asked\" add up to 120, more than the 78 of the cohort"
        ),
        "{said}"
    );
    assert!(
        said.contains("error in `Levels!C5:F5`: the level bands' \"professional\" add up to 40, more than the 25"),
        "{said}"
    );
    assert!(said.contains("the Cohort sheet is blank"), "{said}");
    assert_eq!(std::fs::read_to_string(employer_path(site.path())).unwrap(), before);
    // Bands within the kept cohort are read.
    let mut cells = answer_column("Levels", "C", [78, 25, 20, 12, 3, 2]);
    for col in ["D", "E", "F"] {
        cells.extend(answer_column("Levels", col, [0; 6]));
    }
    let path = filled_template(dir.path(), "within-kept.xlsx", &cells);
    ok(&ladder(site.path(), &["import", "figures", path.to_str().unwrap()]), "import figures");
}

#[test]
fn a_blank_outcome_column_in_a_file_with_no_cohort_rows_leaves_the_years_outcomes() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let outcomes = |site: &Path| {
        let text = std::fs::read_to_string(employer_path(site)).unwrap();
        let year = text.split("- year: 2025").nth(1).unwrap().split("practices:").next().unwrap().to_string();
        year.lines().filter(|l| l.contains("due:")).map(str::to_string).collect::<Vec<_>>()
    };
    let before = outcomes(site.path());
    assert_eq!(before.len(), 3, "the example year has three outcomes: {before:?}");
    for (name, text) in [
        (
            "applicants.csv",
            "Stage,Key question,Completed,Progressed\napplied,Other,,\napplied,Technical and craft occupations,,\n",
        ),
        ("starts.csv", "Stage,Key question,Completed\nstarted,Other,\n"),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let o = ladder(
            site.path(),
            &["import", "responses", path.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025"],
        );
        let said = ok(&o, name);
        assert_eq!(outcomes(site.path()), before, "{name}: {said}");
        assert!(!said.contains("figures were removed"), "{name}: {said}");
        assert!(
            said.contains("note: the file's completion column is blank and it has no cohort rows"),
            "{name}: {said}"
        );
    }
    // With cohort rows, a blank outcome column still replaces the year's figures.
    let path = dir.path().join("cohort.csv");
    std::fs::write(&path, "Stage,Key question,Completed\ncohort,Other,\n").unwrap();
    let o =
        ladder(site.path(), &["import", "responses", path.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025"]);
    let said = ok(&o, "cohort.csv");
    assert!(said.contains("2025's completion figures were removed"), "{said}");
}

#[test]
fn rows_with_a_height_of_zero_are_refused_as_hidden_rows_are() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let tech = ["applied", "Technical and craft occupations"];
    let mut rows: Vec<&[&str]> = vec![&["Stage", "Key question"], &["applied", "Other"]];
    rows.extend(std::iter::repeat_n(&tech[..], 3));
    // Rows 3–4 are 0 high (as programs that set a row's height to 0 write them: with ht="0", or
    // with a height of its own and none given), row 5 is seen.
    let attrs = [(3, "ht=\"0\" customHeight=\"1\""), (4, "customHeight=\"1\""), (5, "ht=\"15\" customHeight=\"1\"")];
    let path = dir.path().join("flat.xlsx");
    xlsx_rows(&path, &rows, &attrs, "");
    let said = import_refused(site.path(), &path);
    assert!(said.contains("error in `Export!rows 3–4`: 2 rows with people on them are hidden"), "{said}");
    assert!(!said.contains("row 5"), "{said}");
}

#[test]
fn left_or_withdrawn_in_the_progressed_column_is_an_error_at_its_cell_not_a_no() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let text = "Stage,Key question,Completed,Progressed\ncohort,Technical and craft occupations,yes,Left\ncohort,Other,yes,Withdrawn\ncohort,Other,no,withdrew\n";
    let (code, said) = dry_run_csv(site.path(), dir.path(), "left.csv", text);
    assert_eq!(code, Some(1), "{said}");
    for (at, word) in [("D2", "Left"), ("D3", "Withdrawn"), ("D4", "withdrew")] {
        assert!(
            said.contains(&format!(
                "error in `left!{at}`: column \"Progressed\": `{word}` does not say whether this person progressed"
            )),
            "{at}: {said}"
        );
    }
    assert!(!said.contains("Progression:"), "{said}");
    // In the Completed column they still mean "did not complete".
    let text = "Stage,Key question,Completed,Progressed\ncohort,Technical and craft occupations,Withdrawn,\ncohort,Technical and craft occupations,yes,yes\n";
    let (code, said) = dry_run_csv(site.path(), dir.path(), "completed.csv", text);
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("Completion: 1 achieved of 2 due"), "{said}");
}

#[test]
fn a_named_column_missing_from_the_file_is_told_with_the_cells_problems() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("renamed.csv");
    std::fs::write(&path, "Stage,Key question,Level\napplied,Plumber,\nqueued,Other,\ncohort,Other,9\n").unwrap();
    for column in ["person=Candidate ref", "completion=Completed?"] {
        let said = refused(
            site.path(),
            &[
                "import",
                "responses",
                path.to_str().unwrap(),
                "--employer",
                EMPLOYER,
                "--year",
                "2025",
                "--column",
                column,
            ],
        );
        assert!(said.contains("no column is headed"), "{column}: {said}");
        for at in ["B2", "A3", "C4"] {
            assert!(said.contains(&format!("error in `renamed!{at}`")), "{column} {at}: {said}");
        }
        assert!(!said.contains("read as separated by"), "{column}: {said}");
    }
}

#[test]
fn a_cell_merged_along_its_row_into_unread_columns_only_is_read() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let rows: Vec<&[&str]> = vec![
        &["Stage", "Notes", "Key question"],
        &["applied", "", "Other"],
        &["applied", "x", "Technical and craft occupations"],
    ];
    let path = dir.path().join("across.xlsx");
    xlsx_rows(&path, &rows, &[], "<mergeCells count=\"1\"><mergeCell ref=\"A2:B2\"/></mergeCells>");
    let o = ladder(
        site.path(),
        &["import", "responses", path.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025", "--dry-run"],
    );
    let said = ok(&o, "a stage cell merged into the notes column");
    assert!(said.contains("Applicants: 2 asked"), "{said}");
    // Merged into a column that is read, it is still refused.
    let path = dir.path().join("into-read.xlsx");
    xlsx_rows(&path, &rows, &[], "<mergeCells count=\"1\"><mergeCell ref=\"B2:C2\"/></mergeCells>");
    let said = import_refused(site.path(), &path);
    assert!(said.contains("error in `Export!B2:C2`: these cells are merged into one"), "{said}");
}

/// Outside round 8 of issue 18 ("boolean-cell-misquoted"): a TRUE/FALSE cell where a level, a
/// stage, an answer or a count belongs was quoted as `yes`/`no`, and a true/false cell that
/// LibreOffice saves as 1 with a format of text alone (`"TRUE";"TRUE";"FALSE"`) as `1` (and
/// counted as one person in the figures template). Each is quoted as the sheet shows it.
#[test]
fn a_true_false_cell_is_quoted_as_the_sheet_shows_it_in_xlsx_and_ods() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("booleans.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("Export").unwrap();
    for (c, h) in ["Stage", "Key question", "Level"].iter().enumerate() {
        ws.write(0, c as u16, *h).unwrap();
    }
    ws.write(1, 0, "cohort").unwrap();
    ws.write(1, 1, "Retired").unwrap();
    ws.write_boolean(1, 2, true).unwrap();
    ws.write_boolean(2, 0, true).unwrap();
    ws.write(2, 1, "Retired").unwrap();
    ws.write(3, 0, "cohort").unwrap();
    ws.write_boolean(3, 1, false).unwrap();
    ws.write(3, 2, 3).unwrap();
    ws.write(4, 0, "cohort").unwrap();
    ws.write(4, 1, "Retired").unwrap();
    let shown_as_text = rust_xlsxwriter::Format::new().set_num_format("\"TRUE\";\"TRUE\";\"FALSE\"");
    ws.write_number_with_format(4, 2, 1.0, &shown_as_text).unwrap();
    book.save(&xlsx).unwrap();
    let said = refused(site.path(), &strs(&dry_run_args(&xlsx)));
    for expected in [
        "error in `Export!C2`: column \"Level\": level `TRUE` is outside the toolkit's bands: 2, 3, 4–5 and 6–7 (a true/false value is not a level",
        "error in `Export!A3`: column \"Stage\": `TRUE` is not a stage",
        "error in `Export!B4`: column \"Key question\": `FALSE` is not one of the key question's answers",
        "error in `Export!C5`: column \"Level\": level `TRUE` is outside the toolkit's bands",
    ] {
        assert!(said.contains(expected), "{expected}\n{said}");
    }
    assert!(!said.contains("`yes`") && !said.contains("`no`") && !said.contains("`1`"), "{said}");
    assert!(said.contains("4 problems found"), "{said}");

    let ods = dir.path().join("booleans.ods");
    let boolean = |v: &str, shown: &str| {
        format!(
            "<table:table-cell office:value-type=\"boolean\" office:boolean-value=\"{v}\"><text:p>{shown}</text:p></table:table-cell>"
        )
    };
    write_raw_ods(
        &ods,
        &format!(
            "<table:table table:name=\"Export\"><table:table-row>{}{}{}</table:table-row><table:table-row>{}{}{}</table:table-row><table:table-row>{}{}{}</table:table-row></table:table>",
            ods_cell("Stage"),
            ods_cell("Key question"),
            ods_cell("Level"),
            ods_cell("cohort"),
            ods_cell("Retired"),
            boolean("true", "TRUE"),
            ods_cell("cohort"),
            boolean("false", "FALSE"),
            ods_cell("3"),
        ),
    );
    let said = refused(site.path(), &strs(&dry_run_args(&ods)));
    assert!(said.contains("error in `Export!C2`: column \"Level\": level `TRUE` is outside"), "{said}");
    assert!(said.contains("error in `Export!B3`: column \"Key question\": `FALSE` is not one of"), "{said}");
    assert!(said.contains("2 problems found"), "{said}");

    // In the figures template: TRUE typed where a count belongs, and a 1 shown as TRUE, are
    // not counts (the second was read as one person).
    let blank = template(dir.path());
    let mut cells: Vec<(&str, &str, String)> = vec![("About", "B3", EMPLOYER.into()), ("About", "B4", "2025".into())];
    for (i, v) in ["10", "2", "2", "2", "1", "1"].iter().enumerate() {
        cells.push(("Starts", ["C4", "C5", "C6", "C7", "C8", "C9"][i], v.to_string()));
    }
    cells[3].2 = "!1".into();
    cells[4].2 = "~1".into();
    let filled = dir.path().join("booleans-filled.xlsx");
    std::fs::write(&filled, fill(&blank, &cells)).unwrap();
    let said = refused(site.path(), &["import", "figures", filled.to_str().unwrap()]);
    assert!(said.contains("error in `Starts!C5`: `TRUE` is not a number of people"), "{said}");
    assert!(said.contains("error in `Starts!C6`: `TRUE` is not a number of people"), "{said}");
    assert!(said.contains("2 problems found"), "{said}");
}

/// Outside round 8 of issue 18 ("fraction-formatted level shown as a decimal"): a level cell
/// formatted as a fraction (`# ?/?`, showing "3 1/2") was quoted as `3.5`; it is quoted as the
/// sheet shows it, in .xlsx and .ods, with why it is not a level. A whole number in that format
/// shows as itself and is read; one the format shows rounded is not.
#[test]
fn a_level_formatted_as_a_fraction_is_quoted_as_the_sheet_shows_it() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("fractions.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("Export").unwrap();
    for (c, h) in ["Stage", "Key question", "Level"].iter().enumerate() {
        ws.write(0, c as u16, *h).unwrap();
    }
    let fraction = rust_xlsxwriter::Format::new().set_num_format("# ?/?");
    for (r, level) in [3.5, 3.0, 2.97, 0.25].into_iter().enumerate() {
        let r = r as u32 + 1;
        ws.write(r, 0, "cohort").unwrap();
        ws.write(r, 1, "Retired").unwrap();
        ws.write_number_with_format(r, 2, level, &fraction).unwrap();
    }
    book.save(&xlsx).unwrap();
    let said = refused(site.path(), &strs(&dry_run_args(&xlsx)));
    assert!(
        said.contains("error in `Export!C2`: column \"Level\": level `3 1/2` is outside the toolkit's bands: 2, 3, 4–5 and 6–7 (a level is a whole number, 2 to 7)"),
        "{said}"
    );
    assert!(
        said.contains(
            "error in `Export!C4`: column \"Level\": this cell shows 3 but holds 2.97, which its format rounds"
        ),
        "{said}"
    );
    assert!(said.contains("error in `Export!C5`: column \"Level\": level `1/4` is outside"), "{said}");
    assert!(!said.contains("Export!C3") && !said.contains("3.5"), "{said}");
    assert!(said.contains("3 problems found"), "{said}");

    let ods = dir.path().join("fractions.ods");
    write_raw_ods(
        &ods,
        &format!(
            "<table:table table:name=\"Export\"><table:table-row>{}{}{}</table:table-row><table:table-row>{}{}<table:table-cell office:value-type=\"float\" office:value=\"3.5\"><text:p>3 1/2</text:p></table:table-cell></table:table-row><table:table-row>{}{}<table:table-cell office:value-type=\"float\" office:value=\"3\"><text:p>3</text:p></table:table-cell></table:table-row></table:table>",
            ods_cell("Stage"),
            ods_cell("Key question"),
            ods_cell("Level"),
            ods_cell("cohort"),
            ods_cell("Retired"),
            ods_cell("cohort"),
            ods_cell("Retired"),
        ),
    );
    let said = refused(site.path(), &strs(&dry_run_args(&ods)));
    assert!(
        said.contains("error in `Export!C2`: column \"Level\": level `3 1/2` is outside the toolkit's bands: 2, 3, 4–5 and 6–7 (a level is a whole number, 2 to 7)"),
        "{said}"
    );
    assert!(said.contains("1 problem found"), "{said}");

    // A count in the figures template formatted as a fraction.
    let blank = template(dir.path());
    let mut cells: Vec<(&str, &str, String)> = vec![("About", "B3", EMPLOYER.into()), ("About", "B4", "2025".into())];
    for (i, v) in ["10", "/2.5", "2", "2", "1", "1"].iter().enumerate() {
        cells.push(("Starts", ["C4", "C5", "C6", "C7", "C8", "C9"][i], v.to_string()));
    }
    let filled = dir.path().join("fractions-filled.xlsx");
    std::fs::write(&filled, fill(&blank, &cells)).unwrap();
    let said = refused(site.path(), &["import", "figures", filled.to_str().unwrap()]);
    assert!(said.contains("error in `Starts!C5`: `2 1/2` is not a number of people"), "{said}");
}

/// Outside round 8 of issue 18 ("answer-examples-wording"): the error for an unknown answer
/// suggested the import's own lower-case forms (`i dont know`, `small business owner`) and did
/// not say which answers are accepted. A short "did you mean" comes first, quoting the toolkit's
/// own wording (or the mapping file's); the toolkit's nine answers are listed in its words, in
/// full at the first unknown answer and referred to after.
#[test]
fn an_unknown_answer_is_told_with_the_toolkits_own_wording() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let (code, said) = dry_run_csv(
        site.path(),
        dir.path(),
        "answers.csv",
        "Stage,Key question\napplied,Nonsense\napplied,Clerical and intermedate occupations\napplied,I don't knw\napplied,Small busines owner\napplied,Plumber\n",
    );
    assert_eq!(code, Some(1), "{said}");
    let nine = "\"Modern professional & traditional professional occupations\", \"Senior, middle or junior managers or administrators\", \"Clerical and intermediate occupations\", \"Small business owners who employed less than 25 people\", \"Technical and craft occupations\", \"Routine, semi-routine manual and service occupations\", \"Long-term unemployed\", \"Other\" and \"I prefer not to say\"";
    assert!(
        said.contains(&format!(
            "error in `answers!B2`: column \"Key question\": `Nonsense` is not one of the key question's answers (the toolkit's answers are {nine}, read in any case"
        )),
        "{said}"
    );
    assert_eq!(said.matches(nine).count(), 1, "listed once: {said}");
    for (at, answer, meant) in [
        ("B3", "Clerical and intermedate occupations", "did you mean \"Clerical and intermediate occupations\"?"),
        ("B4", "I don't knw", "did you mean \"Other\" (the toolkit gives \"I don't know\" as one of its examples)?"),
        ("B5", "Small busines owner", "did you mean \"Small business owners who employed less than 25 people\"?"),
        (
            "B6",
            "Plumber",
            "did you mean \"Technical and craft occupations\" (the toolkit gives \"plumber\" as one of its examples)?",
        ),
    ] {
        assert!(
            said.contains(&format!(
                "error in `answers!{at}`: column \"Key question\": `{answer}` is not one of the key question's answers; {meant} (the toolkit's answers are listed at `answers!B2`;"
            )),
            "{at}: {said}"
        );
    }
    // None of the import's own forms.
    for internal in ["i dont know", "clerical and intermediate occupations`", "small business owner`", "working_class"]
    {
        assert!(!said.contains(internal), "{internal}: {said}");
    }
    // A wording of the mapping file's, quoted as it writes it.
    let (_dir, args) = export_with_mapping(
        "Stage,Key question\napplied,Manager or Directr\n",
        "answers:\n  \"Manager or Director\": professional\n",
    );
    let said = refused(site.path(), &strs(&args));
    assert!(
        said.contains(
            "`Manager or Directr` is not one of the key question's answers; did you mean \"Manager or Director\" (from the mapping file)?"
        ),
        "{said}"
    );
}

/// Outside round 8 of issue 18 ("figures-employer-problems-hidden"): `ladder import figures`
/// into an employer whose file already had problems told only the workbook's (the file's came
/// on the next run); with a good workbook, the file's problems were told at the lines of the
/// file as the import would leave it (a year added above them moved them) and said to be "in the
/// file as the import would leave it"; an anchor the import refuses hid the file's other
/// problems. Every problem is told at once: the workbook's at their cells, the file's at their
/// lines in the file as it is, nothing written.
#[test]
fn the_employer_files_problems_are_told_at_their_lines_with_the_workbooks() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let file = employer_path(site.path());
    let text = read(&file);
    // A typo in the profile, and a status mistyped in 2025, after the 2024 that a new 2023 goes
    // before.
    let at_2025 = text.find("  - year: 2025").unwrap();
    let status = at_2025 + text[at_2025..].find("{status: not_started}").unwrap();
    let broken =
        format!("{}{{status: not_startd}}{}", &text[..status], &text[status + "{status: not_started}".len()..]);
    let broken = broken.replacen("\nregion:", "\nregon:", 1);
    std::fs::write(&file, &broken).unwrap();
    let status_line = broken[..status].lines().count();
    let status_at = format!("{EMPLOYER}.yaml:{status_line}:");
    let blank = template(dir.path());
    let mut cells: Vec<(&str, &str, String)> = vec![("About", "B3", EMPLOYER.into()), ("About", "B4", "2025".into())];
    for (i, v) in ["10", "2", "2", "2", "1", "1"].iter().enumerate() {
        cells.push(("Starts", ["C4", "C5", "C6", "C7", "C8", "C9"][i], v.to_string()));
    }
    cells[3].2 = "many".into();
    let bad = dir.path().join("bad.xlsx");
    std::fs::write(&bad, fill(&blank, &cells)).unwrap();
    let typo = format!("{EMPLOYER}.yaml:4:1: error in `regon`: `regon` is not a field here");

    // A workbook with a problem of its own: the file's are told with it.
    let said = refused(site.path(), &["import", "figures", bad.to_str().unwrap()]);
    assert!(said.contains("error in `Starts!C5`: `many` is not a number of people"), "{said}");
    assert!(said.contains(&typo) && said.contains(&status_at), "{said}");
    // With only the command line naming the employer and the year, a workbook that is not the
    // template at all.
    let export = dir.path().join("export.csv");
    std::fs::write(&export, "Stage,Key question\napplied,Other\n").unwrap();
    let said = refused(
        site.path(),
        &["import", "figures", export.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2025"],
    );
    assert!(said.contains("this is not the figures template") && said.contains(&typo), "{said}");

    // A good workbook, and a good export, into a year the import adds above the mistyped status:
    // the file's problems at their lines in the file as it is, as the file's own. (The About
    // sheet's year is left blank: the command line gives it.)
    let mut no_year = cells.clone();
    no_year[3].2 = "2".into();
    no_year.remove(1);
    let good_2023 = dir.path().join("no-year.xlsx");
    std::fs::write(&good_2023, fill(&blank, &no_year)).unwrap();
    for args in [
        ["import", "figures", good_2023.to_str().unwrap(), "--year", "2023", "", ""],
        ["import", "responses", export.to_str().unwrap(), "--employer", EMPLOYER, "--year", "2023"],
    ] {
        let args: Vec<&str> = args.into_iter().filter(|a| !a.is_empty()).collect();
        let said = refused(site.path(), &args);
        assert!(said.contains(&typo), "{said}");
        assert!(
            said.contains(&status_at) && said.contains("error in `status`: `not_startd` is not a status"),
            "{said}"
        );
        assert!(!said.contains("as the import would leave it") && !said.contains("this import"), "{said}");
        // The misspelt `region` is told once (outside round 12 of issue 17): not as missing too.
        assert!(said.contains("2 problems found"), "{said}");
    }

    // An anchor, which the import cannot keep, is told with the file's other problems and the
    // workbook's.
    std::fs::write(&file, broken.replacen("\nname: ", "\nname: &n ", 1)).unwrap();
    let said = refused(site.path(), &["import", "figures", bad.to_str().unwrap()]);
    assert!(said.contains("anchors and aliases") && said.contains(&typo), "{said}");
    assert!(said.contains("error in `Starts!C5`") && said.contains(&status_at), "{said}");

    // A file that reads cleanly, but not with the year's new figures: each problem at its line
    // in the file as it is, the one that the import writes at the line it replaces.
    std::fs::write(&file, &text).unwrap();
    let progression_line = text[..text.find("  - year: 2025").unwrap()].lines().count()
        + text[text.find("  - year: 2025").unwrap()..].lines().position(|l| l.contains("progression:")).unwrap()
        + 1;
    let mut cells: Vec<(&str, &str, String)> = vec![("About", "B3", EMPLOYER.into()), ("About", "B4", "2025".into())];
    for (at, v) in [("C4", "30"), ("D4", "1"), ("C5", "1"), ("D5", "1"), ("C6", "1"), ("D6", "1")] {
        cells.push(("Progression", at, v.to_string()));
    }
    let progression = dir.path().join("progression.xlsx");
    std::fs::write(&progression, fill(&blank, &cells)).unwrap();
    let said = refused(site.path(), &["import", "figures", progression.to_str().unwrap()]);
    assert!(
        said.contains(&format!("{EMPLOYER}.yaml:{progression_line}:20: error in `outcomes.progression.professional.due` of year 2025: progression counts completers, but 30 is more than the 15 who completed (in the 2025 figures this import would write)")),
        "{said}"
    );
}

// ---- Issue 18, round 9 of outside breaks. ----

/// Outside round 9 ("id-case-duplicate"): person ids that differed only in letter case (AB1,
/// ab1) or by a zero-width space were counted as two people at one stage, where an id with a
/// trailing or non-breaking space was caught. Ids are compared without case and invisible
/// characters; the duplicate is told at its cell with the first row, and the id is not shown.
#[test]
fn person_ids_differing_only_in_case_or_invisible_characters_are_one_person() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    for (second, why) in [
        ("ab1", "letter case"),
        ("AB1\u{200B}", "zero-width space"),
        ("\u{FEFF}AB1", "byte-order mark"),
        ("A\u{AD}B1", "soft hyphen"),
        ("AB\u{200D}1", "zero-width joiner"),
        ("ab1\u{A0}", "non-breaking space"),
    ] {
        let text =
            format!("Person ID,Stage,Key question\nAB1,applied,Other\nCD2,applied,Other\n{second},applied,Other\n");
        let (code, said) = dry_run_csv(site.path(), dir.path(), "ids.csv", &text);
        assert_eq!(code, Some(1), "{why}: {said}");
        assert!(
            said.contains("error in `ids!A4`")
                && said.contains(
                    "this person id appears twice at stage applied (first on row 2, written there in other letter case"
                ),
            "{why}: {said}"
        );
        assert!(!said.to_lowercase().contains("ab1"), "{why}: the message repeats the person id: {said}");
    }
    // The same id written the same way is told as before; the same id at another stage is not
    // a duplicate.
    let text = "Person ID,Stage,Key question\nab1,applied,Other\nAB1,started,Other\nab1,applied,Other\n";
    let (code, said) = dry_run_csv(site.path(), dir.path(), "ids.csv", text);
    assert_eq!(code, Some(1), "{said}");
    assert!(
        said.contains("error in `ids!A4`") && said.contains("appears twice at stage applied (first on row 2)\n"),
        "{said}"
    );
    assert!(said.contains("1 problem found"), "{said}");
}

/// Outside round 9 ("outcome-note-says-blank"): an outcome column whose cells said yes for
/// people who answered nothing or preferred not to say was noted as having "nobody due (every
/// cell blank or not due)". The note says what is true: how many were marked due, none of them
/// in a group the toolkit scores; a column truly blank keeps its note.
#[test]
fn an_outcome_column_filled_for_unscored_people_is_not_called_blank() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let text = "ID,Stage,Main household earner,Level,Completed,Progressed\n\
                1,cohort,,3,yes,\n2,cohort,I prefer not to say,3,no,\n3,cohort,Other,3,yes,\n\
                4,cohort,Technical and craft occupations,3,,\n";
    let (code, said) = dry_run_csv(site.path(), dir.path(), "filled.csv", text);
    assert_eq!(code, Some(0), "{said}");
    assert!(
        said.contains("note: 2025's completion figures would be removed: the file's completion column has 3 people marked due, but none of them in a group the toolkit scores"),
        "{said}"
    );
    assert!(!said.contains("completion column has nobody due"), "{said}");
    // The progression column is blank throughout: said so, as before.
    assert!(said.contains("progression column has nobody due (every cell blank or not due)"), "{said}");
    // One person marked due, in a one-person file.
    let text = "ID,Stage,Main household earner,Level,Completed\n1,cohort,,3,yes\n";
    let (code, said) = dry_run_csv(site.path(), dir.path(), "one.csv", text);
    assert_eq!(code, Some(0), "{said}");
    assert!(
        said.contains("completion column has 1 person marked due, but not in a group the toolkit scores"),
        "{said}"
    );
}

/// Outside round 9 ("about-filled-but-told-to-fill"): an About sheet cell filled in but wrong
/// (a year `2024/25`, an employer's full name) was told its own error and also "fill in ... on
/// the About sheet", as if it were blank. Only the cell's own error is told; a blank cell is
/// still asked for.
#[test]
fn a_filled_but_wrong_about_cell_gets_only_its_own_error() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let blank = template(dir.path());
    let counts = answer_column("Applicants", "C", [20, 5, 4, 8, 2, 1]);
    let mut cells = vec![("About", "B3", "Tyne Street Bakery".to_string()), ("About", "B4", "2024/25".to_string())];
    cells.extend(counts.iter().cloned());
    let wrong = dir.path().join("wrong.xlsx");
    std::fs::write(&wrong, fill(&blank, &cells)).unwrap();
    let said = refused(site.path(), &["import", "figures", wrong.to_str().unwrap()]);
    assert!(said.contains("error in `About!B3`: `Tyne Street Bakery` is not an employer's short name"), "{said}");
    assert!(said.contains("error in `About!B4`: `2024/25` is not a year"), "{said}");
    assert!(!said.contains("fill in"), "{said}");
    assert!(said.contains("2 problems found"), "{said}");
    // Blank cells are still asked for, each once.
    let unfilled = dir.path().join("unfilled.xlsx");
    std::fs::write(&unfilled, fill(&blank, &counts)).unwrap();
    let said = refused(site.path(), &["import", "figures", unfilled.to_str().unwrap()]);
    assert!(said.contains("error in `About!B3`: fill in Employer on the About sheet, or give --employer"), "{said}");
    assert!(said.contains("error in `About!B4`: fill in Reporting year on the About sheet, or give --year"), "{said}");
    assert!(said.contains("2 problems found"), "{said}");
}

/// Outside round 9 ("renamed-file-messages"): an .xlsx saved under a .csv name was "not UTF-8
/// text", and CSV text under an .xlsx name "not a spreadsheet", though an .ods or unnamed file
/// was read by its content. Every file is read as what its content is, whatever its name; a web
/// page saved as "Excel" is told for what it is.
#[test]
fn a_file_is_read_as_what_it_holds_whatever_its_name() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let csv = "ID,Stage,Main household earner\n1,applied,Long-term unemployed\n2,applied,Other\n";
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("Export").unwrap();
    for (r, line) in csv.lines().enumerate() {
        for (c, v) in line.split(',').enumerate() {
            ws.write(r as u32, c as u16, v).unwrap();
        }
    }
    let xlsx = book.save_to_buffer().unwrap();
    for (name, bytes, sheet) in [
        ("csv-named.xlsx", csv.as_bytes(), "csv-named"),
        ("csv-named.ods", csv.as_bytes(), "csv-named"),
        ("csv-named.xls", csv.as_bytes(), "csv-named"),
        ("xlsx-named.csv", &xlsx[..], "Export"),
        ("xlsx-named.txt", &xlsx[..], "Export"),
        ("xlsx-unnamed", &xlsx[..], "Export"),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let args = dry_run_args(&path);
        let o = ladder(site.path(), &strs(&args));
        let said = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{name}: {said}");
        assert!(said.contains(&format!("read 2 people from {} (sheet \"{sheet}\")", path.display())), "{name}: {said}");
        assert!(said.contains("Applicants: 2 asked, 2 answered"), "{name}: {said}");
    }
    // The same problem in a CSV is told at the same cell whatever the file's name.
    let bad = "ID,Stage,Main household earner\n1,applied,Plumber\n";
    for name in ["bad.csv", "bad.xlsx"] {
        let path = dir.path().join(name);
        std::fs::write(&path, bad).unwrap();
        let said = import_refused(site.path(), &path);
        assert!(said.contains("error in `bad!C2`: column \"Main household earner\": `Plumber`"), "{name}: {said}");
    }
    // A web page saved with an Excel name, and text that is not UTF-8 under each name.
    let page = dir.path().join("ats-export.xls");
    std::fs::write(&page, "<html><body><table><tr><td>Stage</td></tr></table></body></html>").unwrap();
    let said = import_refused(site.path(), &page);
    assert!(said.contains("this file is a web page or XML, not a spreadsheet or CSV text"), "{said}");
    let latin1 = dir.path().join("latin1.csv");
    std::fs::write(&latin1, b"Stage,Key question\nApplied,Caf\xe9 owner\n").unwrap();
    let said = import_refused(site.path(), &latin1);
    assert!(said.contains("latin1.csv:2:") && said.contains("the file is not saved as UTF-8 text"), "{said}");
}

/// Outside round 9 ("level-03"): a level typed as `03`, or a formula's 3.0000000001 shown as 3,
/// was "outside the toolkit's bands". Leading zeros are read away, and a number within a
/// millionth of a whole level is that level; one further off is still told, as a fraction.
#[test]
fn a_level_with_a_leading_zero_or_a_formulas_rounding_error_is_read_as_its_level() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let text = "ID,Stage,Main household earner,Level\n1,cohort,Other,03\n2,cohort,Other,3.0000000001\n\
                3,cohort,Other,Level 03\n4,cohort,Other,05\n5,cohort,Other,6.9999999999\n";
    let (code, said) = dry_run_csv(site.path(), dir.path(), "l.csv", text);
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("Level 3: 3 asked") && said.contains("Level 4–5: 1 asked"), "{said}");
    assert!(said.contains("Level 6–7: 1 asked"), "{said}");
    // Further from a whole number: a fraction, quoted as written.
    let text = "ID,Stage,Main household earner,Level\n1,cohort,Other,3.001\n";
    let (code, said) = dry_run_csv(site.path(), dir.path(), "f.csv", text);
    assert_eq!(code, Some(1), "{said}");
    assert!(
        said.contains("error in `f!D2`: column \"Level\": level `3.001` is outside the toolkit's bands: 2, 3, 4–5 and 6–7 (a level is a whole number, 2 to 7)"),
        "{said}"
    );
    // A workbook's number cells, shown as whole numbers by their format.
    let xlsx = dir.path().join("formula.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("Export").unwrap();
    for (c, h) in ["Stage", "Key question", "Level"].iter().enumerate() {
        ws.write(0, c as u16, *h).unwrap();
    }
    let whole = rust_xlsxwriter::Format::new().set_num_format("0");
    for (r, level) in [3.0000000001, 2.9999999999, 5.0000002, 2.97].into_iter().enumerate() {
        let r = r as u32 + 1;
        ws.write(r, 0, "cohort").unwrap();
        ws.write(r, 1, "Retired").unwrap();
        ws.write_number_with_format(r, 2, level, &whole).unwrap();
    }
    book.save(&xlsx).unwrap();
    let said = refused(site.path(), &strs(&dry_run_args(&xlsx)));
    assert!(
        said.contains("error in `Export!C5`: column \"Level\": level `2.97` is outside")
            && said.contains("(a level is a whole number, 2 to 7)"),
        "{said}"
    );
    assert!(said.contains("1 problem found"), "{said}");
}

/// Outside round 9 ("merged-rows-3-3"): a merge over two rows said "the people on rows 3–3",
/// and a merge along a row said to fill the value "into each row". One row is "row 3"; a merge
/// along a row is filled into each column, and one over rows and columns into each cell.
#[test]
fn a_merge_is_told_in_words_that_fit_its_shape() {
    let site = example_site();
    let dir = tempfile::tempdir().unwrap();
    let rows: Vec<&[&str]> = vec![
        &["ID", "Stage", "Key question", "Level"],
        &["1", "cohort", "Other", ""],
        &["2", "", "Other", "3"],
        &["3", "cohort", "Other", "3"],
        &["4", "cohort", "Other", ""],
        &["5", "", "", "3"],
    ];
    let path = dir.path().join("m.xlsx");
    let merges = "<mergeCells count=\"3\"><mergeCell ref=\"B2:B3\"/><mergeCell ref=\"C2:D2\"/><mergeCell ref=\"B5:C6\"/></mergeCells>";
    xlsx_rows(&path, &rows, &[], merges);
    let said = import_refused(site.path(), &path);
    assert!(
        said.contains("error in `Export!B2:B3`: these cells are merged into one: the sheet shows its value across them, but keeps it in the first cell only, so the person on row 3 would be read as blank; unmerge the cells and fill the value into each row (in Excel: Merge & Center, Unmerge Cells, then fill down)"),
        "{said}"
    );
    assert!(
        said.contains("error in `Export!C2:D2`: these cells are merged into one: the sheet shows its value across them, but keeps it in the first cell only, so the cells after the first would be read as blank; unmerge the cells and fill the value into each column (in Excel: Merge & Center, Unmerge Cells, then fill right)"),
        "{said}"
    );
    assert!(
        said.contains("error in `Export!B5:C6`: these cells are merged into one: the sheet shows its value across them, but keeps it in the first cell only, so the cells after the first would be read as blank, the person on row 6 among them; unmerge the cells and fill the value into each cell of the range"),
        "{said}"
    );
    assert!(
        !said.contains("rows 3–3")
            && !said.contains("each row (in Excel: Merge & Center, Unmerge Cells, then fill right"),
        "{said}"
    );
}

/// Outside round 9 ("export-in-output"): an export saved in the folder the site is built into
/// got only the warning for an export inside the site's folder, and the next build deleted it.
/// It is refused, as one in static/ is, saying so: in `output/`, and in site.yaml's
/// `output_dir` when that names another folder.
#[test]
fn an_export_in_the_output_folder_is_refused_as_the_next_build_would_delete_it() {
    let site = example_site();
    let body = "Stage,Key question\napplied,Long-term unemployed\n";
    let in_output = site.path().join("output/exports/applicants.csv");
    std::fs::create_dir_all(in_output.parent().unwrap()).unwrap();
    std::fs::write(&in_output, body).unwrap();
    let file = "output/exports/applicants.csv";
    for dry_run in [true, false] {
        let mut args = vec!["import", "responses", file, "--employer", EMPLOYER, "--year", "2025"];
        if dry_run {
            args.push("--dry-run");
        }
        let said = refused(site.path(), &args);
        assert!(
            said.contains("output/exports/applicants.csv: error: this export is in the folder the site is built into (output/): the next build replaces that folder whole and would delete it"),
            "{said}"
        );
    }
    // Another output_dir: an export in it is refused, and one in output/ (which the build no
    // longer writes) is read.
    let config = read(&site.path().join("site.yaml"));
    assert!(!config.contains("output_dir"), "the example site sets no output_dir");
    std::fs::write(site.path().join("site.yaml"), format!("{config}\noutput_dir: build/public\n")).unwrap();
    let in_public = site.path().join("build/public/applicants.csv");
    std::fs::create_dir_all(in_public.parent().unwrap()).unwrap();
    std::fs::write(&in_public, body).unwrap();
    let said = refused(
        site.path(),
        &["import", "responses", "build/public/applicants.csv", "--employer", EMPLOYER, "--year", "2025"],
    );
    assert!(said.contains("(build/public/): the next build replaces that folder whole"), "{said}");
    let args = ["import", "responses", file, "--employer", EMPLOYER, "--year", "2025", "--dry-run"];
    let said = ok(&ladder(site.path(), &args), "an export in a folder the build does not write");
    assert!(said.contains("is inside the site's folder; move it out"), "{said}");
}
