//! The words an export may use: column headings, the key question's answer options, stages,
//! apprenticeship levels and outcome answers, each compared after [`norm`] so that case,
//! punctuation and spacing never matter.

use crate::model::ids::{Band, Stage};
use std::collections::BTreeMap;

/// Lower case, `&` read as "and", apostrophes dropped ("don't" → "dont") and every other run of
/// punctuation or space made one space: "Routine, semi-routine manual & service" and "routine
/// semi routine manual and service" compare equal.
pub fn norm(text: &str) -> String {
    let spaced = text.replace('&', " and ").replace(['\'', '’', '‘'], "");
    let words: Vec<String> =
        spaced.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    words.join(" ")
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

/// What the words of one import mean: the built-in table plus a mapping file's own wordings.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// Normalised answer wording → group (a mapping file's, checked before the toolkit's).
    pub answers: BTreeMap<String, Group>,
    /// Normalised stage wording → stage.
    pub stages: BTreeMap<String, Stage>,
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
        // The longest heading the answer starts with, for headings of two words or more.
        ANSWERS
            .iter()
            .filter(|(p, _)| p.contains(' ') && n.strip_prefix(p).is_some_and(|rest| rest.starts_with(' ')))
            .max_by_key(|(p, _)| p.len())
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
    let n = norm(text);
    let n = n.strip_prefix("level ").or_else(|| n.strip_prefix("lvl ")).unwrap_or(&n);
    // "L3", "l4": a letter stuck to the number.
    let n = n.strip_prefix('l').filter(|r| r.chars().next().is_some_and(|c| c.is_ascii_digit())).unwrap_or(n);
    let n = n.strip_suffix(" apprenticeship").unwrap_or(n);
    match n {
        "2" | "2 0" | "intermediate" => Some(Band::L2),
        "3" | "3 0" | "advanced" => Some(Band::L3),
        "4" | "5" | "4 0" | "5 0" | "4 5" | "4 or 5" | "4 to 5" | "higher" => Some(Band::L4To5),
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
    /// Not due this year (blank, "n/a", "not yet").
    NotDue,
}

pub fn outcome_answer(text: &str) -> Option<OutcomeAnswer> {
    match norm(text).as_str() {
        "yes" | "y" | "true" | "1" | "achieved" | "passed" | "pass" | "completed" | "complete" | "progressed"
        | "done" => Some(OutcomeAnswer::Achieved),
        "no" | "n" | "false" | "0" | "not achieved" | "failed" | "fail" | "not completed" | "did not complete"
        | "withdrawn" | "withdrew" | "left" | "not progressed" | "did not progress" => Some(OutcomeAnswer::NotAchieved),
        "" | "n a" | "na" | "not due" | "not yet" | "pending" | "in progress" | "not applicable" => {
            Some(OutcomeAnswer::NotDue)
        }
        _ => None,
    }
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

    /// Whether a (normalised) heading names this field, in the toolkit's words or a common one.
    pub fn recognises(self, h: &str) -> bool {
        let words: Vec<&str> = h.split(' ').collect();
        let has = |w: &str| words.contains(&w);
        let has_prefix = |p: &str| words.iter().any(|w| w.starts_with(p));
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
            Field::FunctionalSkills => h.contains("functional skill") || has("fsq"),
            Field::Completion => has_prefix("complet"),
            Field::Progression => has_prefix("progress"),
            Field::Level => has("level") || has("band"),
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
        assert_eq!(band("Level 4/5"), Some(Band::L4To5));
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
