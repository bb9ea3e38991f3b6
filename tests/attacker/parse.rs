//! Reads what a site publishes, from the built files only: every employer's JSON record, the
//! CSV files, the figure tables of every employer page and the aggregates of the sector, region
//! and size pages. Figures are keyed by what they count (employer, table, period, column), so a
//! number repeated across files becomes one fact (and a disagreement is reported).

use scraper::{Html, Selector};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// Which table a figure belongs to: a key-question stage, an outcome measure or an extra question.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Stage,
    Outcome,
    Extra,
}

/// One published figure's identity: employer, table, period (first and last year) and column.
/// Outcome columns are `<group>.due`, `<group>.achieved` (and the implicit `<group>.not_achieved`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cell {
    pub employer: String,
    pub kind: Kind,
    pub table: String,
    pub from: i32,
    pub to: i32,
    pub column: String,
}

impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let period = if self.from == self.to { self.from.to_string() } else { format!("{}–{}", self.from, self.to) };
        write!(f, "{} {} {} {}", self.employer, self.table, period, self.column)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    Count(u64),
    Withheld,
}

/// A published rate: (Σ coef·numerator) / (denominator − Σ less) = value, to within `eps`.
#[derive(Debug, Clone)]
pub struct Rate {
    pub numerator: Vec<(Cell, i64)>,
    pub denominator: Cell,
    /// Cells taken out of the denominator (the non-response bounds leave out "other").
    pub less: Vec<Cell>,
    pub value: f64,
    pub eps: f64,
    pub source: String,
}

/// Any other published linear fact: lo ≤ Σ k·cell ≤ hi.
#[derive(Debug, Clone)]
pub struct Linear {
    pub terms: Vec<(Cell, f64)>,
    pub lo: f64,
    pub hi: f64,
    pub source: String,
}

/// A published sum over several employers' cells.
#[derive(Debug, Clone)]
pub struct Aggregate {
    pub cells: Vec<Cell>,
    pub value: u64,
    pub source: String,
}

/// Everything a reader can read off the site.
#[derive(Debug, Default)]
pub struct Site {
    pub threshold: u64,
    pub cells: BTreeMap<Cell, Shown>,
    /// Rows of published tables: the cells of each (so a reader knows which are withheld together).
    pub rows: BTreeMap<(String, Kind, String, i32, i32), Vec<String>>,
    pub rates: Vec<Rate>,
    pub linear: Vec<Linear>,
    pub aggregates: Vec<Aggregate>,
    /// Small counts found in any other data file (compare, search, index).
    pub small_elsewhere: Vec<String>,
    /// Employer slug -> (sector, region, size) as published.
    pub employers: BTreeMap<String, (String, String, String)>,
    /// Published representation rows judged provisional (left out of aggregates).
    pub provisional: BTreeMap<(String, String, i32, i32), bool>,
    /// Figures read per kind of file.
    pub read_from: BTreeMap<&'static str, usize>,
    /// Files that disagree with each other, or aggregates a reader cannot account for.
    pub problems: Vec<String>,
}

pub const STAGE_COLUMNS: [&str; 9] = [
    "asked",
    "answered",
    "not_answered",
    "classified",
    "professional",
    "intermediate",
    "working_class",
    "other",
    "prefer_not_to_say",
];
pub const EXTRA_COLUMNS: [&str; 5] = ["asked", "answered", "not_answered", "yes", "no"];

fn period(s: &str) -> (i32, i32) {
    let mut parts = s.split('–');
    let from: i32 = parts.next().and_then(|p| p.trim().parse().ok()).unwrap_or_else(|| panic!("period {s:?}"));
    let to = parts.next().map_or(from, |p| p.trim().parse().unwrap_or_else(|_| panic!("period {s:?}")));
    (from, to)
}

fn shown(v: &Value) -> Option<Shown> {
    match v {
        Value::Number(n) => n.as_u64().map(Shown::Count),
        Value::String(s) if s == "[c]" => Some(Shown::Withheld),
        _ => None,
    }
}

fn text_shown(s: &str) -> Option<Shown> {
    let s = s.trim();
    if s == "[c]" { Some(Shown::Withheld) } else { s.replace(',', "").parse().ok().map(Shown::Count) }
}

fn cell(employer: &str, kind: Kind, table: &str, (from, to): (i32, i32), column: &str) -> Cell {
    Cell { employer: employer.into(), kind, table: table.into(), from, to, column: column.into() }
}

impl Site {
    /// Records one figure; a figure already read elsewhere must agree.
    fn put(&mut self, cell: Cell, value: Shown, source: &str) {
        let from = match source.rsplit('.').next() {
            Some("json") => "json",
            Some("csv") => "csv",
            _ => "html tables",
        };
        *self.read_from.entry(from).or_default() += 1;
        let row = (cell.employer.clone(), cell.kind.clone(), cell.table.clone(), cell.from, cell.to);
        let cols = self.rows.entry(row).or_default();
        if !cols.contains(&cell.column) {
            cols.push(cell.column.clone());
        }
        match self.cells.get(&cell) {
            Some(old) if *old != value => {
                self.problems.push(format!("{source}: {cell} is {value:?} but {old:?} elsewhere"))
            }
            _ => {
                self.cells.insert(cell, value);
            }
        }
    }

    fn stage_row(&mut self, employer: &str, stage: &str, row: &Value, source: &str) -> (i32, i32) {
        let p = period(row["period"].as_str().expect("period"));
        for col in STAGE_COLUMNS {
            let v = shown(&row[col]).unwrap_or_else(|| panic!("{source}: {stage} {col} = {}", row[col]));
            let c = cell(employer, Kind::Stage, stage, p, col);
            self.put(c, v, source);
        }
        p
    }

    fn outcome_row(&mut self, employer: &str, measure: &str, row: &Value, source: &str) -> (i32, i32) {
        let p = period(row["period"].as_str().expect("period"));
        for g in super::truth::GROUPS {
            for part in ["due", "achieved"] {
                let v = shown(&row[g][part]).unwrap_or_else(|| panic!("{source}: {measure} {g}.{part}"));
                let c = cell(employer, Kind::Outcome, measure, p, &format!("{g}.{part}"));
                self.put(c, v, source);
            }
        }
        p
    }

    fn extra_row(&mut self, employer: &str, q: &str, row: &Value, source: &str) -> (i32, i32) {
        let p = period(row["period"].as_str().expect("period"));
        for col in EXTRA_COLUMNS {
            let v = shown(&row[col]).unwrap_or_else(|| panic!("{source}: {q} {col}"));
            let c = cell(employer, Kind::Extra, q, p, col);
            self.put(c, v, source);
        }
        p
    }

    fn rate(&mut self, value: &Value, numerator: Vec<(Cell, i64)>, denominator: Cell, eps: f64, source: &str) {
        if let Some(v) = value.as_f64() {
            self.rates.push(Rate { numerator, denominator, less: Vec::new(), value: v, eps, source: source.into() });
        }
    }

    /// An employer's JSON record: its tables and its scorecard's cells and rates.
    fn employer_json(&mut self, path: &Path) {
        let source = path.display().to_string();
        let d: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("read json")).expect("json");
        let slug = d["slug"].as_str().expect("slug").to_string();
        let facet = |k: &str| d[k].as_str().expect("facet").to_string();
        self.employers.insert(slug.clone(), (facet("sector"), facet("region"), facet("size")));
        let t = &d["tables"];
        for (stage, rows) in t["stages"].as_object().into_iter().flatten() {
            for row in rows.as_array().expect("rows") {
                self.stage_row(&slug, stage, row, &source);
            }
        }
        for (m, rows) in t["outcomes"].as_object().into_iter().flatten() {
            for row in rows.as_array().expect("rows") {
                self.outcome_row(&slug, m, row, &source);
            }
        }
        for (q, rows) in t["extra"].as_object().into_iter().flatten() {
            for row in rows.as_array().expect("rows") {
                self.extra_row(&slug, q, row, &source);
            }
        }
        let sc = &d["scorecard"];
        // Rates in JSON are full-precision floats of shown counts: tight tolerance.
        let eps = 1e-9;
        for (stage, entries) in sc["representation"].as_object().into_iter().flatten() {
            for e in entries.as_array().expect("entries") {
                let p = self.stage_row(&slug, stage, &e["cells"], &source);
                let c = |col: &str| cell(&slug, Kind::Stage, stage, p, col);
                self.provisional.insert((slug.clone(), stage.clone(), p.0, p.1), e["provisional"] == true);
                self.rate(&e["response_rate"], vec![(c("answered"), 1)], c("asked"), eps, &source);
                self.rate(
                    &e["working_class_share"]["value"],
                    vec![(c("working_class"), 1)],
                    c("classified"),
                    eps,
                    &source,
                );
                self.rate(
                    &e["professional_share"]["value"],
                    vec![(c("professional"), 1)],
                    c("classified"),
                    eps,
                    &source,
                );
                self.rate(&e["intermediate_share"], vec![(c("intermediate"), 1)], c("classified"), eps, &source);
                // The non-response bounds are on the share of classified answers had everyone
                // who did not answer or preferred not to say given one: "other" is outside both
                // the numerator and the denominator (the methodology page says so).
                let before = self.rates.len();
                self.rate(&e["nonresponse"]["lo"], vec![(c("working_class"), 1)], c("asked"), eps, &source);
                // The upper bound counts all of them as working class.
                let hi = vec![(c("working_class"), 1), (c("asked"), 1), (c("classified"), -1), (c("other"), -1)];
                self.rate(&e["nonresponse"]["hi"], hi, c("asked"), eps, &source);
                for r in &mut self.rates[before..] {
                    r.less = vec![c("other")];
                }
            }
        }
        for (m, entries) in sc["outcomes"].as_object().into_iter().flatten() {
            for e in entries.as_array().expect("entries") {
                let p = self.outcome_row(&slug, m, &e["cells"], &source);
                for g in super::truth::GROUPS {
                    let c = |col: &str| cell(&slug, Kind::Outcome, m, p, &format!("{g}.{col}"));
                    self.rate(&e[format!("{g}_rate")]["value"], vec![(c("achieved"), 1)], c("due"), eps, &source);
                }
            }
        }
        self.trends(&slug, sc, eps, &source);
        for e in sc["extras"].as_array().into_iter().flatten() {
            let q = e["id"].as_str().expect("extra id").to_string();
            let p = self.extra_row(&slug, &q, &e["cells"], &source);
            let c = |col: &str| cell(&slug, Kind::Extra, &q, p, col);
            self.rate(&e["response_rate"], vec![(c("answered"), 1)], c("asked"), eps, &source);
            // The share counts the answers the question is about ("no" for parents' degrees).
            let of = e["share_of"].as_str().unwrap_or("yes");
            self.rate(&e["share"]["value"], vec![(c(of), 1)], c("answered"), eps, &source);
        }
    }

    /// Trends: the change in the working-class share (or rate) between two periods. Where both
    /// bases are shown it is linear in the two numerators.
    fn trends(&mut self, slug: &str, sc: &Value, eps: f64, source: &str) {
        for (table, entries) in sc["trends"].as_object().into_iter().flatten() {
            let outcome = sc["outcomes"].get(table).is_some();
            for e in entries.as_array().expect("trends") {
                let Some(v) = e["change"]["value"].as_f64() else { continue };
                let side = |key: &str| {
                    let p = period(e[key].as_str().expect("trend period"));
                    if outcome {
                        (
                            cell(slug, Kind::Outcome, table, p, "working_class.achieved"),
                            cell(slug, Kind::Outcome, table, p, "working_class.due"),
                        )
                    } else {
                        (
                            cell(slug, Kind::Stage, table, p, "working_class"),
                            cell(slug, Kind::Stage, table, p, "classified"),
                        )
                    }
                };
                let ((num_to, den_to), (num_from, den_from)) = (side("to"), side("from"));
                let (Some(Shown::Count(a)), Some(Shown::Count(b))) =
                    (self.cells.get(&den_to), self.cells.get(&den_from))
                else {
                    continue;
                };
                if *a == 0 || *b == 0 {
                    continue;
                }
                let terms = vec![(num_to, 1.0 / *a as f64), (num_from, -1.0 / *b as f64)];
                self.linear.push(Linear {
                    terms,
                    lo: v - eps,
                    hi: v + eps,
                    source: format!("{source}: trend {table}"),
                });
            }
        }
    }

    /// The CSV files: the same cells again, with rates rounded to four places.
    fn csv(&mut self, data: &Path) {
        let source = data.join("representation.csv").display().to_string();
        let mut r = csv::Reader::from_path(data.join("representation.csv")).expect("representation.csv");
        for rec in r.deserialize::<BTreeMap<String, String>>() {
            let rec = rec.expect("csv row");
            let (slug, stage) = (rec["slug"].clone(), rec["stage"].clone());
            let p = period(&rec["period"]);
            for col in STAGE_COLUMNS {
                let v = text_shown(&rec[col]).unwrap_or_else(|| panic!("{source}: {col} = {}", rec[col]));
                let c = cell(&slug, Kind::Stage, &stage, p, col);
                self.put(c, v, &source);
            }
            let c = |col: &str| cell(&slug, Kind::Stage, &stage, p, col);
            let eps = 0.00005 + 1e-9;
            let num = |s: &str| Value::from(s.parse::<f64>().ok());
            self.rate(&num(&rec["response_rate"]), vec![(c("answered"), 1)], c("asked"), eps, &source);
            self.rate(&num(&rec["working_class_share"]), vec![(c("working_class"), 1)], c("classified"), eps, &source);
        }
        let source = data.join("outcomes.csv").display().to_string();
        let mut r = csv::Reader::from_path(data.join("outcomes.csv")).expect("outcomes.csv");
        for rec in r.deserialize::<BTreeMap<String, String>>() {
            let rec = rec.expect("csv row");
            let p = period(&rec["period"]);
            for g in super::truth::GROUPS {
                for part in ["due", "achieved"] {
                    let v = text_shown(&rec[&format!("{g}_{part}")]).expect("outcome count");
                    let c = cell(&rec["slug"], Kind::Outcome, &rec["measure"], p, &format!("{g}.{part}"));
                    self.put(c, v, &source);
                }
            }
        }
    }

    /// An employer page's figure tables: every stage row and every outcome "n of due".
    fn employer_html(&mut self, slug: &str, path: &Path) {
        let source = path.display().to_string();
        let html = Html::parse_document(&std::fs::read_to_string(path).expect("read page"));
        let table = Selector::parse("table").expect("selector");
        let tr = Selector::parse("tr").expect("selector");
        let td = Selector::parse("th, td").expect("selector");
        for t in html.select(&table) {
            let rows: Vec<Vec<String>> = t
                .select(&tr)
                .map(|r| r.select(&td).map(|c| c.text().collect::<String>().trim().to_string()).collect())
                .collect();
            let Some(head) = rows.first() else { continue };
            if head.first().map(String::as_str) == Some("Stage") && head.iter().any(|h| h == "Other") {
                // Stage | Period | Asked | Professional | Intermediate | Working class | Other | Prefer not to say | No answer
                let cols = [
                    "asked",
                    "professional",
                    "intermediate",
                    "working_class",
                    "other",
                    "prefer_not_to_say",
                    "not_answered",
                ];
                for r in &rows[1..] {
                    let stage = stage_id(&r[0]);
                    for (col, text) in cols.iter().zip(&r[2..]) {
                        let v = text_shown(text).unwrap_or_else(|| panic!("{source}: {text:?}"));
                        let c = cell(slug, Kind::Stage, &stage, period(&r[1]), col);
                        self.put(c, v, &source);
                    }
                }
            } else if head.first().map(String::as_str) == Some("Measure") {
                // Measure | Period | Working class | Intermediate | Professional | Gap | Result
                for r in &rows[1..] {
                    let measure = r[0].to_lowercase().replace(' ', "_");
                    for (g, text) in ["working_class", "intermediate", "professional"].iter().zip(&r[2..5]) {
                        // "achieved of due (rate%)", the rate rounded to a whole percent.
                        let Some((a, rest)) = text.split_once(" of ") else { continue };
                        let mut rest = rest.split_whitespace();
                        let due = rest.next().unwrap_or_default();
                        let c = |part: &str| cell(slug, Kind::Outcome, &measure, period(&r[1]), &format!("{g}.{part}"));
                        for (part, t) in [("achieved", a), ("due", due)] {
                            let v = text_shown(t).unwrap_or_else(|| panic!("{source}: {text:?}"));
                            self.put(c(part), v, &source);
                        }
                        if let Some(pct) = rest.next().and_then(|p| p.trim_matches(['(', ')', '%']).parse::<f64>().ok())
                        {
                            let v = Value::from(pct / 100.0);
                            self.rate(&v, vec![(c("achieved"), 1)], c("due"), 0.005 + 1e-9, &source);
                        }
                    }
                }
            }
        }
    }

    /// A sector, region or size page: the working-class share summed over members' latest
    /// published periods ("k of n" employers included, "x of y" classified).
    fn aggregate_html(&mut self, path: &Path, members: &[String]) {
        let source = path.display().to_string();
        let html = Html::parse_document(&std::fs::read_to_string(path).expect("read page"));
        let tr = Selector::parse("table tr").expect("selector");
        let td = Selector::parse("th, td").expect("selector");
        for r in html.select(&tr) {
            let r: Vec<String> = r.select(&td).map(|c| c.text().collect::<String>().trim().to_string()).collect();
            if r.len() < 3 || r[0] == "Stage" {
                continue;
            }
            let stage = stage_id(&r[0]);
            let included: u64 = r[1].split(" of ").next().and_then(|k| k.trim().parse().ok()).expect("k of n");
            let Some((wc, classified)) = r[2].split_once(" of ") else { continue };
            let (wc, classified): (u64, u64) = (wc.trim().parse().expect("wc"), classified.trim().parse().expect("n"));
            // The page says it adds each member's latest period where both counts are shown and
            // the result is not provisional: find those rows.
            let mut cells = Vec::new();
            for m in members {
                let latest = self
                    .rows
                    .keys()
                    .filter(|(e, k, t, _, _)| e == m && *k == Kind::Stage && *t == stage)
                    .max_by_key(|(_, _, _, from, to)| (*to, *from))
                    .cloned();
                let Some((_, _, _, from, to)) = latest else { continue };
                let c = |col: &str| cell(m, Kind::Stage, &stage, (from, to), col);
                let ok = [c("working_class"), c("classified")]
                    .iter()
                    .all(|x| matches!(self.cells.get(x), Some(Shown::Count(_))));
                if ok && self.provisional.get(&(m.clone(), stage.clone(), from, to)) == Some(&false) {
                    cells.push((c("working_class"), c("classified")));
                }
            }
            if cells.len() as u64 != included {
                self.problems.push(format!(
                    "{source}: {stage} adds {included} employers but {} have shown, final figures",
                    cells.len()
                ));
                continue;
            }
            let (w, n): (Vec<Cell>, Vec<Cell>) = cells.into_iter().unzip();
            let sum = |cs: &[Cell]| {
                cs.iter().map(|c| if let Some(Shown::Count(v)) = self.cells.get(c) { *v } else { 0 }).sum::<u64>()
            };
            if (sum(&w), sum(&n)) != (wc, classified) {
                self.problems.push(format!(
                    "{source}: {stage} shows {wc} of {classified} but the members' shown figures add to {} of {}",
                    sum(&w),
                    sum(&n)
                ));
            }
            *self.read_from.entry("html aggregates").or_default() += 1;
            self.aggregates.push(Aggregate { cells: w, value: wc, source: source.clone() });
            self.aggregates.push(Aggregate { cells: n, value: classified, source: source.clone() });
        }
    }
}

/// Any figure under a count's name (a group, a total, due, achieved, yes, no) from 1 to
/// threshold−1, anywhere in a data file the tables above do not cover.
fn scan_counts(v: &Value, source: &str, threshold: u64, out: &mut Vec<String>) {
    const COUNT_KEYS: [&str; 13] = [
        "asked",
        "answered",
        "not_answered",
        "classified",
        "professional",
        "intermediate",
        "working_class",
        "other",
        "prefer_not_to_say",
        "due",
        "achieved",
        "yes",
        "no",
    ];
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if let Some(n) = x.as_u64()
                    && COUNT_KEYS.contains(&k.as_str())
                    && (1..threshold).contains(&n)
                {
                    out.push(format!("{source}: {k} = {n}"));
                }
                scan_counts(x, source, threshold, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| scan_counts(x, source, threshold, out)),
        _ => {}
    }
}

fn stage_id(title: &str) -> String {
    match title {
        "Overall make-up" => "makeup".into(),
        t => t.to_lowercase().replace(['–', '-', ' '], "_"),
    }
}

pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for ch in s.to_lowercase().chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Reads a built site.
pub fn read_site(out: &Path, threshold: u64) -> Site {
    let mut site = Site { threshold, ..Site::default() };
    let mut records: Vec<_> = std::fs::read_dir(out.join("data/employers"))
        .expect("data/employers")
        .map(|e| e.expect("entry").path())
        .collect();
    records.sort();
    for p in &records {
        site.employer_json(p);
    }
    site.csv(&out.join("data"));
    for e in std::fs::read_dir(out.join("data")).expect("data") {
        let p = e.expect("entry").path();
        if p.extension().is_some_and(|x| x == "json") {
            let v: Value = serde_json::from_str(&std::fs::read_to_string(&p).expect("read")).expect("json");
            scan_counts(&v, &p.display().to_string(), threshold, &mut site.small_elsewhere);
        }
    }
    let slugs: Vec<String> = site.employers.keys().cloned().collect();
    for slug in &slugs {
        site.employer_html(slug, &out.join("employers").join(slug).join("index.html"));
    }
    for (i, dir) in ["sectors", "regions", "sizes"].iter().enumerate() {
        let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (slug, f) in &site.employers {
            let facet = [&f.0, &f.1, &f.2][i];
            groups.entry(slugify(facet)).or_default().push(slug.clone());
        }
        for (g, members) in groups {
            let page = out.join(dir).join(&g).join("index.html");
            if page.exists() {
                site.aggregate_html(&page, &members);
            } else {
                site.problems.push(format!("no page {}", page.display()));
            }
        }
    }
    site
}
