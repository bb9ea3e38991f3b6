//! The words an export may use: column headings, the key question's answer options, stages,
//! apprenticeship levels and outcome answers, each compared after [`norm`] so that case,
//! punctuation and spacing never matter.

use crate::model::ids::{Band, Stage};
use std::collections::BTreeMap;

/// Lower case, `&` read as "and", apostrophes dropped ("don't" → "dont") and every other run of
/// punctuation or space made one space: "Routine, semi-routine manual & service" and "routine
/// semi routine manual and service" compare equal.
pub fn norm(text: &str) -> String {
    // A soft hyphen (U+00AD, invisible where a word is not broken) is no break between words.
    let spaced = text.replace('&', " and ").replace(['\'', '’', '‘', '\u{AD}'], "");
    let words: Vec<String> =
        spaced.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    words.join(" ")
}

/// Text from a file (or a file's name) as a message shows it: control characters (a terminal
/// escape sequence, a line break) are written in the plain form most tools use (`\x1b`, `\n`,
/// `\t`), never printed raw to the terminal.
pub fn shown(text: &str) -> String {
    // A soft hyphen is invisible in a terminal: it is shown, so that two wordings that look
    // the same can be told apart.
    crate::error::plain(&text.replace('\u{AD}', "\\u{ad}"))
}

/// The groups of the toolkit's table, and its two answers that are not a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    Professional,
    Intermediate,
    WorkingClass,
    /// Retired, does not apply, don't know.
    Other,
    PreferNotToSay,
}

impl Group {
    /// As written in a mapping file and in an employer file.
    pub fn from_key(key: &str) -> Option<Group> {
        match norm(key).as_str() {
            "professional" => Some(Group::Professional),
            "intermediate" => Some(Group::Intermediate),
            "working class" => Some(Group::WorkingClass),
            "other" => Some(Group::Other),
            "prefer not to say" => Some(Group::PreferNotToSay),
            _ => None,
        }
    }

    /// As a mapping file writes it.
    pub fn key(self) -> &'static str {
        match self {
            Group::Professional => "professional",
            Group::Intermediate => "intermediate",
            Group::WorkingClass => "working_class",
            Group::Other => "other",
            Group::PreferNotToSay => "prefer_not_to_say",
        }
    }

    /// The three groups that outcomes are counted for.
    pub fn is_classified(self) -> bool {
        matches!(self, Group::Professional | Group::Intermediate | Group::WorkingClass)
    }
}

/// The toolkit's nine answer options (its headings, and the short forms exports use), each
/// with its group. A heading followed by more words (the toolkit's examples, "such as teacher,
/// nurse...") is recognised too, for phrases of two words or more.
const ANSWERS: &[(&str, Group)] = &[
    ("modern professional and traditional professional occupations", Group::Professional),
    ("modern professional or traditional professional occupations", Group::Professional),
    ("modern and traditional professional occupations", Group::Professional),
    ("modern professional occupations", Group::Professional),
    ("traditional professional occupations", Group::Professional),
    ("professional occupations", Group::Professional),
    ("professional", Group::Professional),
    ("senior middle or junior managers or administrators", Group::Professional),
    ("senior middle and junior managers or administrators", Group::Professional),
    ("senior or middle or junior managers or administrators", Group::Professional),
    ("senior middle or junior managers", Group::Professional),
    ("senior managers or administrators", Group::Professional),
    ("senior managers and administrators", Group::Professional),
    ("middle or junior managers", Group::Professional),
    ("middle or junior managers or administrators", Group::Professional),
    ("senior or middle managers", Group::Professional),
    ("senior managers", Group::Professional),
    ("middle managers", Group::Professional),
    ("junior managers", Group::Professional),
    ("managers or administrators", Group::Professional),
    ("managers and administrators", Group::Professional),
    ("clerical and intermediate occupations", Group::Intermediate),
    ("clerical or intermediate occupations", Group::Intermediate),
    ("intermediate occupations", Group::Intermediate),
    ("intermediate", Group::Intermediate),
    ("clerical", Group::Intermediate),
    ("small business owners who employed less than 25 people", Group::Intermediate),
    ("small business owners who employed fewer than 25 people", Group::Intermediate),
    ("small business owners", Group::Intermediate),
    ("small business owner", Group::Intermediate),
    ("technical and craft occupations", Group::WorkingClass),
    ("technical or craft occupations", Group::WorkingClass),
    ("routine semi routine manual and service occupations", Group::WorkingClass),
    ("routine and semi routine manual and service occupations", Group::WorkingClass),
    ("routine or semi routine manual and service occupations", Group::WorkingClass),
    ("routine semi routine manual or service occupations", Group::WorkingClass),
    ("long term unemployed", Group::WorkingClass),
    ("working class", Group::WorkingClass),
    ("other", Group::Other),
    ("other such as", Group::Other),
    ("other retired", Group::Other),
    ("retired", Group::Other),
    ("this question does not apply to me", Group::Other),
    ("does not apply", Group::Other),
    ("does not apply to me", Group::Other),
    ("not applicable", Group::Other),
    ("i dont know", Group::Other),
    ("dont know", Group::Other),
    ("i prefer not to say", Group::PreferNotToSay),
    ("prefer not to say", Group::PreferNotToSay),
    ("i would prefer not to say", Group::PreferNotToSay),
    ("prefer not to answer", Group::PreferNotToSay),
    ("i prefer not to answer", Group::PreferNotToSay),
    ("rather not say", Group::PreferNotToSay),
];

/// The toolkit's examples for each group's answer options (TOOLKIT.md, the key question's
/// table), which an export may carry after the option's heading.
const EXAMPLES: &[(Group, &str)] = &[
    (
        Group::Professional,
        "teacher, nurse, physiotherapist, social worker, musician, police officer (sergeant or above), software designer, accountant, solicitor, medical practitioner, scientist, civil / mechanical engineer, finance manager, chief executive, large business owner, office manager, retail manager, bank manager, restaurant manager, warehouse manager",
    ),
    (
        Group::Intermediate,
        "secretary, personal assistant, call centre agent, clerical worker, nursery nurse, corner shop owners, small plumbing companies, small plumbing business, retail shop owner, single restaurant or cafe owner, taxi owner, garage owner",
    ),
    (
        Group::WorkingClass,
        "motor mechanic, plumber, printer, electrician, gardener, train driver, postal worker, machine operative, security guard, caretaker, farm worker, catering assistant, sales assistant, HGV driver, cleaner, porter, packer, labourer, waiter/waitress, bar staff, claimed Jobseeker's Allowance or earlier unemployment benefit for more than a year",
    ),
    (Group::Other, "retired, this question does not apply to me, I don't know"),
];

/// Words that introduce a list of examples.
const EXAMPLE_LEAD: &[&str] = &["such", "as", "e", "g", "eg", "for", "example", "examples", "including", "like", "etc"];

fn is_example_word(group: Group, word: &str) -> bool {
    // The examples' words, normalised once (not once per word of every answer read).
    static WORDS: std::sync::OnceLock<Vec<(Group, std::collections::HashSet<String>)>> = std::sync::OnceLock::new();
    let words = WORDS.get_or_init(|| {
        EXAMPLES.iter().map(|(g, text)| (*g, norm(text).split(' ').map(String::from).collect())).collect()
    });
    EXAMPLE_LEAD.contains(&word) || words.iter().any(|(g, set)| *g == group && set.contains(word))
}

/// What the words of one import mean: the built-in table plus a mapping file's own wordings.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// Normalised answer wording → group (a mapping file's, checked before the toolkit's).
    pub answers: BTreeMap<String, Group>,
    /// Normalised stage wording → stage.
    pub stages: BTreeMap<String, Stage>,
    /// Normalised wordings of a mapping file's refused entries (already told at their line):
    /// a cell holding one is not told again as unknown.
    pub refused: std::collections::BTreeSet<String>,
}

impl Vocabulary {
    /// The group of an answer; `None` for wording that is not recognised. Blank answers are
    /// not passed here (they are "asked, not answered").
    pub fn group(&self, answer: &str) -> Option<Group> {
        let n = norm(answer);
        if let Some(g) = self.answers.get(&n) {
            return Some(*g);
        }
        if let Some((_, g)) = ANSWERS.iter().find(|(p, _)| *p == n) {
            return Some(*g);
        }
        // A heading of two words or more followed by the toolkit's own examples for its group
        // ("..., such as: teacher, nurse"), and nothing else: "Clerical and intermediate
        // occupations - maybe" is not the toolkit's answer.
        ANSWERS
            .iter()
            // "Other" alone is a heading too: "Other (I don't know)" carries its examples.
            .filter(|(p, _)| p.contains(' ') || *p == "other")
            .filter_map(|(p, g)| n.strip_prefix(p).and_then(|rest| rest.strip_prefix(' ')).map(|rest| (p, g, rest)))
            .filter(|(_, g, rest)| rest.split(' ').all(|w| is_example_word(**g, w)))
            .max_by_key(|(p, _, _)| p.len())
            .map(|(_, g, _)| *g)
    }

    /// The toolkit's own group for a wording that a mapping file puts in `wanted`, when they
    /// differ: the wording is one of the toolkit's answers (or variants), or a shortening of
    /// one ("Senior managers or administrators": every word from one option's heading).
    pub fn conflicting_group(wording: &str, wanted: Group) -> Option<Group> {
        if let Some(own) = Vocabulary::default().group(wording) {
            return (own != wanted).then_some(own);
        }
        let n = norm(wording);
        if n.is_empty() {
            return None;
        }
        ANSWERS
            .iter()
            .filter(|(_, g)| *g != wanted)
            .find(|(p, _)| n.split(' ').all(|w| p.split(' ').any(|pw| pw == w)))
            .map(|(_, g)| *g)
    }

    /// The stage a row is at.
    pub fn stage(&self, text: &str) -> Option<Stage> {
        let n = norm(text);
        if let Some(s) = self.stages.get(&n) {
            return Some(*s);
        }
        stage_word(&n)
    }

    /// Every answer wording this vocabulary knows, for suggestions.
    pub fn known_answers(&self) -> impl Iterator<Item = &str> {
        self.answers.keys().map(String::as_str).chain(ANSWERS.iter().map(|(p, _)| *p))
    }
}

/// The three stages an individual row can be at, in the words exports use.
pub fn stage_word(n: &str) -> Option<Stage> {
    match n {
        "applicant" | "applicants" | "applied" | "application" | "applications" | "apply" | "applying" => {
            Some(Stage::Applicants)
        }
        "start" | "starts" | "started" | "starter" | "starters" | "new starter" | "new starters" | "starting" => {
            Some(Stage::Starts)
        }
        "cohort"
        | "in the cohort"
        | "in cohort"
        | "current cohort"
        | "current"
        | "current apprentice"
        | "current apprentices"
        | "apprentice"
        | "apprentices"
        | "on programme"
        | "on program"
        | "in training"
        | "in learning"
        | "makeup"
        | "make up"
        | "overall make up" => Some(Stage::Makeup),
        _ => None,
    }
}

/// An apprenticeship level as exports write it ("3", "Level 3", "L4", "4/5", "Advanced",
/// "Degree") → the toolkit's band. `None` for anything else (level 1, 8, "PhD").
pub fn band(text: &str) -> Option<Band> {
    // A sign or brackets ("-3", "+6", "(3)") make it another number, not a level: only letters,
    // digits, spaces and the separators of "4/5", "4-5" and "3.0" are read.
    let t = text.trim();
    let allowed = |c: char| c.is_alphanumeric() || c.is_whitespace() || matches!(c, '/' | '-' | '–' | '—' | '.');
    let edges = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    if !t.chars().all(allowed) || !edges(t.chars().next()) || !edges(t.chars().last()) {
        return None;
    }
    // A decimal ("4.5", "6.7": a typo, or a "4/5" a spreadsheet turned into a number) is not a
    // level; "3.0" is level 3.
    let b = t.as_bytes();
    let decimal = (1..b.len()).any(|i| {
        b[i] == b'.'
            && b[i - 1].is_ascii_digit()
            && b.get(i + 1).is_some_and(u8::is_ascii_digit)
            && b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).any(|&c| c != b'0')
    });
    if decimal {
        return None;
    }
    let n = norm(text);
    // "Level 3", "Lvl 3", "L 3", and stuck to the number: "Level3", "L4".
    let n = ["level ", "lvl ", "l ", "level", "lvl", "l"]
        .iter()
        .find_map(|p| n.strip_prefix(p).filter(|r| r.chars().next().is_some_and(|c| c.is_ascii_digit())))
        .unwrap_or(&n);
    let n = n.strip_suffix(" apprenticeship").unwrap_or(n);
    match n {
        "2" | "2 0" | "intermediate" => Some(Band::L2),
        "3" | "3 0" | "advanced" => Some(Band::L3),
        // Not "higher": a higher apprenticeship is any of levels 4 to 7, so two bands.
        "4" | "5" | "4 0" | "5 0" | "4 5" | "4 or 5" | "4 to 5" => Some(Band::L4To5),
        "6" | "7" | "6 0" | "7 0" | "6 7" | "6 or 7" | "6 to 7" | "degree" | "degree apprenticeship" => {
            Some(Band::L6To7)
        }
        _ => None,
    }
}

/// One person's answer in an outcome column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutcomeAnswer {
    /// Due and achieved.
    Achieved,
    /// Due, not achieved.
    NotAchieved,
    /// Not due this year (blank, "n/a", "not due").
    NotDue,
}

/// An outcome cell's words: yes (or a tick, or 1), no (or a cross, or 0), or blank (or "n/a", "not due")
/// when it is not due this year. Anything else is `None`, an error at its cell: a "?", a "-",
/// "pending" or "not yet" could mean not due or not achieved, and is not guessed at.
pub fn outcome_answer(text: &str) -> Option<OutcomeAnswer> {
    let t = text.trim();
    // Of numbers, only 1 (yes) and 0 (no): -1, 2 or 9 are the "missing" codes of some
    // survey exports, and a number is not read through its sign.
    if t.chars().any(|c| c.is_ascii_digit()) {
        return match t {
            "1" => Some(OutcomeAnswer::Achieved),
            "0" => Some(OutcomeAnswer::NotAchieved),
            _ => None,
        };
    }
    match t {
        "" => return Some(OutcomeAnswer::NotDue),
        "✓" | "✔" | "☑" | "✅" => return Some(OutcomeAnswer::Achieved),
        "✗" | "✘" | "☒" | "❌" => return Some(OutcomeAnswer::NotAchieved),
        _ => {}
    }
    match norm(text).as_str() {
        "yes" | "y" | "true" | "achieved" | "passed" | "pass" | "completed" | "complete" | "progressed" | "done" => {
            Some(OutcomeAnswer::Achieved)
        }
        "no" | "n" | "false" | "not achieved" | "failed" | "fail" | "not completed" | "did not complete"
        | "withdrawn" | "withdrew" | "left" | "not progressed" | "did not progress" => Some(OutcomeAnswer::NotAchieved),
        "n a" | "na" | "not due" | "not applicable" => Some(OutcomeAnswer::NotDue),
        _ => None,
    }
}

/// The headings read as each outcome's column without a mapping (after [`norm`]): the
/// toolkit's words and their common forms, whole. "Survey completed" or "Progressed to
/// interview" is another question, and only a mapping (or `--column`) makes it an outcome.
const OUTCOME_HEADINGS: [(Field, &[&str]); 3] = [
    (
        Field::FunctionalSkills,
        &[
            "functional skills",
            "functional skill",
            "functional skills achieved",
            "functional skills passed",
            "functional skills qualification",
            "functional skills qualification achieved",
            "functional skills qualification fsq",
            "fsq",
            "fsq achieved",
            "fsq passed",
        ],
    ),
    (
        Field::Completion,
        &[
            "completed",
            "completion",
            "complete",
            "apprenticeship completed",
            "completed apprenticeship",
            "completed the apprenticeship",
            "apprenticeship completion",
        ],
    ),
    (
        Field::Progression,
        &[
            "progressed",
            "progression",
            "progressed after apprenticeship",
            "progressed after the apprenticeship",
            "progression after apprenticeship",
        ],
    ),
];

/// The headings the apprenticeship level's column is recognised by (after [`norm`], and with
/// any numbers left out: "Level (2, 3, 4/5, 6/7)"). Another heading with "level" in it
/// ("Highest qualification level", "Maths level") is another question: it is not read, and the
/// import names it in a note.
const LEVEL_HEADINGS: &[&str] = &[
    "level",
    "apprenticeship level",
    "apprentice level",
    "programme level",
    "program level",
    "standard level",
    "level of apprenticeship",
    "level of the apprenticeship",
    "level of programme",
    "apprenticeship programme level",
    "apprenticeship standard level",
    "level band",
    "apprenticeship level band",
    "band",
];

/// The headings an outcome's (or the level's) column is recognised by, for a message.
pub fn outcome_headings(field: Field) -> &'static [&'static str] {
    if field == Field::Level {
        return &LEVEL_HEADINGS[1..];
    }
    OUTCOME_HEADINGS.iter().find(|(f, _)| *f == field).map_or(&[], |(_, h)| h)
}

/// What a column of a responses export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    Person,
    Stage,
    Answer,
    Level,
    FunctionalSkills,
    Completion,
    Progression,
}

impl Field {
    pub const ALL: [Field; 7] = [
        Field::Person,
        Field::Stage,
        Field::Answer,
        Field::FunctionalSkills,
        Field::Completion,
        Field::Progression,
        Field::Level,
    ];

    /// As written in a mapping file (`columns: {answer: ...}`) and `--column answer=...`.
    pub fn key(self) -> &'static str {
        match self {
            Field::Person => "person",
            Field::Stage => "stage",
            Field::Answer => "answer",
            Field::Level => "level",
            Field::FunctionalSkills => "functional_skills",
            Field::Completion => "completion",
            Field::Progression => "progression",
        }
    }

    pub fn from_key(key: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.key() == key.trim())
    }

    /// In a sentence: "the key question's answer".
    pub fn describe(self) -> &'static str {
        match self {
            Field::Person => "the person's id",
            Field::Stage => "the stage (applied, started, in the cohort)",
            Field::Answer => "the answer to the key question",
            Field::Level => "the apprenticeship level",
            Field::FunctionalSkills => "functional skills (achieved or not)",
            Field::Completion => "completion (completed or not)",
            Field::Progression => "progression (progressed or not)",
        }
    }

    /// The outcome (or the level) a (normalised) heading mentions without being one of its
    /// headings ("Survey completed", "Highest qualification level"): such a column is not read,
    /// and the import says so.
    pub fn mentioned_outcome(h: &str) -> Option<Field> {
        let words: Vec<&str> = h.split(' ').collect();
        let has_prefix = |p: &str| words.iter().any(|w| w.starts_with(p));
        if words.contains(&"level") {
            // "Functional skills level" is the level of a qualification, not an outcome.
            Some(Field::Level)
        } else if h.contains("functional skill") || words.contains(&"fsq") {
            Some(Field::FunctionalSkills)
        } else if has_prefix("complet") {
            Some(Field::Completion)
        } else if has_prefix("progress") {
            Some(Field::Progression)
        } else {
            None
        }
    }

    /// Whether a (normalised) heading names this field, in the toolkit's words or a common one.
    pub fn recognises(self, h: &str) -> bool {
        let words: Vec<&str> = h.split(' ').collect();
        let has = |w: &str| words.contains(&w);
        match self {
            Field::Person => {
                matches!(
                    h,
                    "id" | "person"
                        | "person id"
                        | "personal id"
                        | "applicant id"
                        | "candidate id"
                        | "employee id"
                        | "staff id"
                        | "respondent id"
                        | "response id"
                        | "learner id"
                        | "apprentice id"
                        | "reference"
                        | "ref"
                        | "candidate reference"
                        | "applicant reference"
                        | "employee number"
                        | "staff number"
                        | "person number"
                        | "respondent"
                )
            }
            Field::Stage => has("stage") || matches!(h, "status" | "pipeline" | "recruitment status"),
            Field::Answer => {
                h.contains("household earner")
                    || h.contains("parental occupation")
                    || h.contains("parents occupation")
                    || h.contains("key question")
                    || matches!(h, "socio economic background" | "seb" | "answer" | "occupation at 14")
            }
            Field::FunctionalSkills | Field::Completion | Field::Progression => outcome_headings(self).contains(&h),
            Field::Level => {
                let words: Vec<&str> = words.into_iter().filter(|w| !w.chars().all(|c| c.is_ascii_digit())).collect();
                LEVEL_HEADINGS.contains(&words.join(" ").as_str())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_toolkit_wording_is_recognised_whatever_the_punctuation() {
        let v = Vocabulary::default();
        assert_eq!(
            norm("  Routine, semi-routine manual & service occupations "),
            "routine semi routine manual and service occupations"
        );
        assert_eq!(v.group("Modern professional & traditional professional occupations"), Some(Group::Professional));
        assert_eq!(v.group("SENIOR, MIDDLE OR JUNIOR MANAGERS OR ADMINISTRATORS"), Some(Group::Professional));
        assert_eq!(v.group("Small business owners who employed less than 25 people"), Some(Group::Intermediate));
        assert_eq!(
            v.group("Technical and craft occupations, such as: motor mechanic, plumber"),
            Some(Group::WorkingClass)
        );
        assert_eq!(v.group("Long-term unemployed (claimed Jobseeker's Allowance)"), Some(Group::WorkingClass));
        assert_eq!(
            v.group("Other such as: retired, this question does not apply to me, I don't know"),
            Some(Group::Other)
        );
        assert_eq!(v.group("I prefer not to say"), Some(Group::PreferNotToSay));
        assert_eq!(v.group("Plumber"), None);
        assert_eq!(v.group("professionals everywhere"), None, "a one-word heading is matched whole");
        // Only the toolkit's wording, its variants and its own examples: nothing more or less.
        assert_eq!(v.group("Senior"), None);
        assert_eq!(v.group("Clerical and intermediate occupations - maybe"), None);
        assert_eq!(v.group("Technical and craft occupations (my guess)"), None);
        assert_eq!(
            v.group("Senior, middle or junior managers or administrators, such as: bank manager"),
            Some(Group::Professional)
        );
        assert_eq!(band("Level 4/5"), Some(Band::L4To5));
        assert_eq!(band("4.5"), None);
        assert_eq!(band("Level 6.7"), None);
        assert_eq!(band("3.0"), Some(Band::L3));
        assert_eq!(band("L3"), Some(Band::L3));
        assert_eq!(band("8"), None);
        assert_eq!(band("1"), None);
        assert!(Field::FunctionalSkills.recognises(&norm("Functional Skills (achieved?)")));
        assert!(
            Field::Answer.recognises(&norm(
                "What was the occupation of your main household earner when you were about aged 14?"
            ))
        );
    }
}
