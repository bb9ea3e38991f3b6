//! The true figures behind a site: what the generator wrote (or the example site's YAML holds).
//! Only used to score the attack (which inferred ranges hit a small group), never by the reader.

use serde::Deserialize;
use std::collections::BTreeMap;

/// The six answer cells of a key-question table, in a fixed order.
pub const CELLS: [&str; 6] =
    ["professional", "intermediate", "working_class", "other", "prefer_not_to_say", "not_answered"];
/// The outcome groups, in a fixed order.
pub const GROUPS: [&str; 3] = ["professional", "intermediate", "working_class"];
/// Stage names as the published tables spell them, with the YAML spelling of each.
pub const STAGES: [(&str, &str); 7] = [
    ("applicants", "applicants"),
    ("starts", "starts"),
    ("makeup", "cohort"),
    ("level_2", "2"),
    ("level_3", "3"),
    ("level_4_5", "4-5"),
    ("level_6_7", "6-7"),
];
pub const MEASURES: [&str; 3] = ["functional_skills", "completion", "progression"];
pub const EXTRAS: [&str; 3] = ["independent_school", "free_school_meals", "parent_degree_by_18"];

/// One year of an employer: stage -> the six cells; measure -> (due, achieved) per group;
/// extra question -> (yes, no, not answered).
#[derive(Debug, Clone, Default)]
pub struct YearTruth {
    pub stages: BTreeMap<String, [u64; 6]>,
    pub outcomes: BTreeMap<String, [(u64, u64); 3]>,
    pub extra: BTreeMap<String, (u64, u64, u64)>,
}

#[derive(Debug, Clone)]
pub struct EmployerTruth {
    pub slug: String,
    pub name: String,
    pub sector: String,
    pub region: String,
    pub size: String,
    pub years: BTreeMap<i32, YearTruth>,
}

impl EmployerTruth {
    /// The YAML file the generator writes for this employer.
    pub fn to_yaml(&self) -> String {
        let mut s = format!(
            "name: {}\nsector: {}\nregion: {}\nsize: {}\nlevy_payer: true\ncommitment: |\n  Generated for the privacy attack.\nyears:\n",
            self.name, self.sector, self.region, self.size
        );
        for (year, y) in &self.years {
            s += &format!("  - year: {year}\n    key_question:\n");
            let mut levels = String::new();
            for (stage, yaml) in STAGES {
                let Some(c) = y.stages.get(stage) else { continue };
                let asked: u64 = c.iter().sum();
                let row = format!(
                    "{{asked: {asked}, professional: {}, intermediate: {}, working_class: {}, other: {}, prefer_not_to_say: {}}}",
                    c[0], c[1], c[2], c[3], c[4]
                );
                if stage.starts_with("level_") {
                    levels += &format!("        \"{yaml}\": {row}\n");
                } else {
                    s += &format!("      {yaml}: {row}\n");
                }
            }
            if !levels.is_empty() {
                s += &format!("      levels:\n{levels}");
            }
            if !y.outcomes.is_empty() {
                s += "    outcomes:\n";
                for (m, g) in &y.outcomes {
                    let cell = |i: usize| format!("{{due: {}, achieved: {}}}", g[i].0, g[i].1);
                    s += &format!(
                        "      {m}: {{professional: {}, intermediate: {}, working_class: {}}}\n",
                        cell(0),
                        cell(1),
                        cell(2)
                    );
                }
            }
            if !y.extra.is_empty() {
                s += "    extra_questions:\n";
                for (q, (yes, no, na)) in &y.extra {
                    s += &format!("      {q}: {{asked: {}, yes: {yes}, no: {no}}}\n", yes + no + na);
                }
            }
        }
        s
    }
}

// The example site's employer files, read only for the truth (unknown fields ignored).
#[derive(Deserialize)]
struct FileEmployer {
    name: String,
    sector: String,
    region: String,
    size: String,
    years: Vec<FileYear>,
}
#[derive(Deserialize)]
struct FileYear {
    year: i32,
    #[serde(default)]
    key_question: FileKey,
    #[serde(default)]
    outcomes: BTreeMap<String, BTreeMap<String, FileOutcome>>,
    #[serde(default)]
    extra_questions: BTreeMap<String, FileYesNo>,
}
#[derive(Deserialize, Default)]
struct FileKey {
    applicants: Option<FileAnswers>,
    starts: Option<FileAnswers>,
    cohort: Option<FileAnswers>,
    #[serde(default)]
    levels: BTreeMap<String, FileAnswers>,
}
#[derive(Deserialize, Clone, Copy)]
struct FileAnswers {
    asked: u64,
    professional: u64,
    intermediate: u64,
    working_class: u64,
    #[serde(default)]
    other: u64,
    #[serde(default)]
    prefer_not_to_say: u64,
}
#[derive(Deserialize)]
struct FileOutcome {
    due: u64,
    achieved: u64,
}
#[derive(Deserialize)]
struct FileYesNo {
    asked: u64,
    yes: u64,
    no: u64,
}

fn cells(a: FileAnswers) -> [u64; 6] {
    let answered = a.professional + a.intermediate + a.working_class + a.other + a.prefer_not_to_say;
    [a.professional, a.intermediate, a.working_class, a.other, a.prefer_not_to_say, a.asked - answered]
}

/// Reads an employer YAML file of the example site into its true figures.
pub fn read_employer(slug: &str, text: &str) -> EmployerTruth {
    let f: FileEmployer = serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("{slug}: {e}"));
    let mut years = BTreeMap::new();
    for y in f.years {
        let mut t = YearTruth::default();
        let k = &y.key_question;
        for (stage, a) in [("applicants", k.applicants), ("starts", k.starts), ("makeup", k.cohort)] {
            if let Some(a) = a {
                t.stages.insert(stage.into(), cells(a));
            }
        }
        for (stage, yaml) in STAGES {
            if let Some(a) = k.levels.get(yaml) {
                t.stages.insert(stage.into(), cells(*a));
            }
        }
        for (m, groups) in &y.outcomes {
            let g = |name: &str| groups.get(name).map_or((0, 0), |o| (o.due, o.achieved));
            t.outcomes.insert(m.clone(), [g("professional"), g("intermediate"), g("working_class")]);
        }
        for (q, a) in &y.extra_questions {
            t.extra.insert(q.clone(), (a.yes, a.no, a.asked - a.yes - a.no));
        }
        years.insert(y.year, t);
    }
    EmployerTruth { slug: slug.into(), name: f.name, sector: f.sector, region: f.region, size: f.size, years }
}
