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
    // A soft hyphen, a zero-width space or joiner, a byte-order mark and the marks that turn text
    // right to left are invisible in a terminal (or reorder what follows): each is shown as its
    // code (`\u{ad}`, `\u{200b}`, `\u{202e}`), so that two wordings that look the same can be
    // told apart and a message reads in order.
    if !text.chars().any(invisible) {
        return crate::error::plain(text);
    }
    let visible: String =
        text.chars().map(|c| if invisible(c) { format!("\\u{{{:x}}}", c as u32) } else { c.to_string() }).collect();
    crate::error::plain(&visible)
}

/// A character that a terminal or a spreadsheet shows as nothing: a soft hyphen, a zero-width
/// space or joiner, a byte-order mark, a mark that turns text right to left.
pub fn invisible(c: char) -> bool {
    matches!(c, '\u{AD}' | '\u{034F}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}')
}

/// A person id as ids are compared: letter case set aside, invisible characters (a zero-width
/// space, a byte-order mark, a soft hyphen) dropped, any kind of space (a non-breaking one) read
/// as a space, and spaces at either end dropped: `AB1`, `ab1 ` and `AB1\u{200b}` are one person.
pub fn person_id(text: &str) -> String {
    let plain: String =
        text.chars().filter(|&c| !invisible(c)).map(|c| if c.is_whitespace() { ' ' } else { c }).collect();
    plain.trim().to_lowercase()
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

/// One of the toolkit's nine answer options: its heading in the toolkit's own words (as a message
/// quotes it), its group, the other wordings read as it (after [`norm`]: the heading's own form
/// and the short forms exports use), and the toolkit's examples for it, which an export may
/// carry after the heading.
struct AnswerOption {
    wording: &'static str,
    group: Group,
    variants: &'static [&'static str],
    examples: &'static str,
}

/// The toolkit's nine answer options (TOOLKIT.md, the key question's table). A heading followed
/// by more words (the toolkit's examples, "such as teacher, nurse...") is recognised too, for
/// phrases of two words or more.
const OPTIONS: [AnswerOption; 9] = [
    AnswerOption {
        wording: "Modern professional & traditional professional occupations",
        group: Group::Professional,
        variants: &[
            "modern professional and traditional professional occupations",
            "modern professional or traditional professional occupations",
            "modern and traditional professional occupations",
            "modern professional occupations",
            "traditional professional occupations",
            "professional occupations",
        ],
        examples: "teacher, nurse, physiotherapist, social worker, musician, police officer (sergeant or above), software designer, accountant, solicitor, medical practitioner, scientist, civil / mechanical engineer",
    },
    AnswerOption {
        wording: "Senior, middle or junior managers or administrators",
        group: Group::Professional,
        variants: &[
            "senior middle or junior managers or administrators",
            "senior middle and junior managers or administrators",
            "senior or middle or junior managers or administrators",
            "senior middle or junior managers",
            "senior managers or administrators",
            "senior managers and administrators",
            "middle or junior managers",
            "middle or junior managers or administrators",
            "senior or middle managers",
            "senior managers",
            "middle managers",
            "junior managers",
            "managers or administrators",
            "managers and administrators",
        ],
        examples: "finance manager, chief executive, large business owner, office manager, retail manager, bank manager, restaurant manager, warehouse manager",
    },
    AnswerOption {
        wording: "Clerical and intermediate occupations",
        group: Group::Intermediate,
        variants: &[
            "clerical and intermediate occupations",
            "clerical or intermediate occupations",
            "intermediate occupations",
            "clerical",
        ],
        examples: "secretary, personal assistant, call centre agent, clerical worker, nursery nurse",
    },
    AnswerOption {
        wording: "Small business owners who employed less than 25 people",
        group: Group::Intermediate,
        variants: &[
            "small business owners who employed less than 25 people",
            "small business owners who employed fewer than 25 people",
            "small business owners",
            "small business owner",
        ],
        examples: "corner shop owners, small plumbing companies, small plumbing business, retail shop owner, single restaurant or cafe owner, taxi owner, garage owner",
    },
    AnswerOption {
        wording: "Technical and craft occupations",
        group: Group::WorkingClass,
        variants: &["technical and craft occupations", "technical or craft occupations"],
        examples: "motor mechanic, plumber, printer, electrician, gardener, train driver",
    },
    AnswerOption {
        wording: "Routine, semi-routine manual and service occupations",
        group: Group::WorkingClass,
        variants: &[
            "routine semi routine manual and service occupations",
            "routine and semi routine manual and service occupations",
            "routine or semi routine manual and service occupations",
            "routine semi routine manual or service occupations",
        ],
        examples: "postal worker, machine operative, security guard, caretaker, farm worker, catering assistant, sales assistant, HGV driver, cleaner, porter, packer, labourer, waiter/waitress, bar staff",
    },
    AnswerOption {
        wording: "Long-term unemployed",
        group: Group::WorkingClass,
        variants: &["long term unemployed"],
        examples: "claimed Jobseeker's Allowance or earlier unemployment benefit for more than a year",
    },
    AnswerOption {
        wording: "Other",
        group: Group::Other,
        variants: &[
            "other",
            "other such as",
            "other retired",
            "retired",
            "this question does not apply to me",
            "does not apply",
            "does not apply to me",
            "not applicable",
            "i dont know",
            "dont know",
        ],
        examples: "retired, this question does not apply to me, I don't know",
    },
    AnswerOption {
        wording: "I prefer not to say",
        group: Group::PreferNotToSay,
        variants: &[
            "i prefer not to say",
            "prefer not to say",
            "i would prefer not to say",
            "prefer not to answer",
            "i prefer not to answer",
            "rather not say",
        ],
        examples: "",
    },
];

/// The groups' own names, read as answers too (an export that has already grouped them), each
/// as a message quotes it.
const GROUP_NAMES: [(&str, &str, Group); 3] = [
    ("professional", "Professional", Group::Professional),
    ("intermediate", "Intermediate", Group::Intermediate),
    ("working class", "Working class", Group::WorkingClass),
];

/// Every wording read as an answer (after [`norm`]), with its group and the wording a message
/// quotes for it: the toolkit's heading of its option.
fn answers() -> impl Iterator<Item = (&'static str, Group, &'static str)> {
    OPTIONS
        .iter()
        .flat_map(|o| o.variants.iter().map(move |v| (*v, o.group, o.wording)))
        .chain(GROUP_NAMES.iter().map(|(n, shown, g)| (*n, *g, *shown)))
}

/// The toolkit's nine answers in its own words, quoted and listed for a message.
pub fn toolkit_answers() -> String {
    let quoted: Vec<String> = OPTIONS.iter().map(|o| format!("\"{}\"", o.wording)).collect();
    let (last, rest) = quoted.split_last().map_or((String::new(), &[][..]), |(l, r)| (l.clone(), r));
    format!("{} and {last}", rest.join(", "))
}

/// One of the toolkit's examples: after [`norm`], as the toolkit writes it, and its option's
/// heading.
type Example = (String, &'static str, &'static str);

/// The examples of the toolkit's options: "police officer (sergeant or above)" is "police
/// officer" too, and "waiter/waitress" each of its two.
fn example_phrases() -> &'static [Example] {
    static PHRASES: std::sync::OnceLock<Vec<Example>> = std::sync::OnceLock::new();
    PHRASES.get_or_init(|| {
        let mut out: Vec<Example> = Vec::new();
        for o in &OPTIONS {
            for item in o.examples.split(", ").filter(|e| !e.is_empty()) {
                let bare = item.split('(').next().unwrap_or(item);
                for phrase in [item].into_iter().chain(bare.split('/')).map(str::trim) {
                    let n = norm(phrase);
                    if !n.is_empty() && !out.iter().any(|(p, _, _)| *p == n) {
                        out.push((n, phrase, o.wording));
                    }
                }
            }
        }
        out
    })
}

/// Whether an option's heading is, once normalised, `n` ("Other" is not an example of itself).
fn wording_is(wording: &str, n: &str) -> bool {
    norm(wording) == n
}

/// Words that introduce a list of examples.
const EXAMPLE_LEAD: &[&str] = &["such", "as", "e", "g", "eg", "for", "example", "examples", "including", "like", "etc"];

fn is_example_word(group: Group, word: &str) -> bool {
    // The examples' words, normalised once (not once per word of every answer read).
    static WORDS: std::sync::OnceLock<Vec<(Group, std::collections::HashSet<String>)>> = std::sync::OnceLock::new();
    let words = WORDS.get_or_init(|| {
        OPTIONS.iter().map(|o| (o.group, norm(o.examples).split(' ').map(String::from).collect())).collect()
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
    /// A mapping file's answer wordings as it writes them, by their normalised form, for a
    /// message to quote.
    pub answers_written: BTreeMap<String, String>,
}

impl Vocabulary {
    /// The group of an answer; `None` for wording that is not recognised. Blank answers are
    /// not passed here (they are "asked, not answered").
    pub fn group(&self, answer: &str) -> Option<Group> {
        let n = norm(answer);
        if let Some(g) = self.answers.get(&n) {
            return Some(*g);
        }
        if let Some((_, g, _)) = answers().find(|(p, _, _)| *p == n) {
            return Some(g);
        }
        // A heading of two words or more followed by the toolkit's own examples for its group
        // ("..., such as: teacher, nurse"), and nothing else: "Clerical and intermediate
        // occupations - maybe" is not the toolkit's answer.
        answers()
            // "Other" alone is a heading too: "Other (I don't know)" carries its examples.
            .filter(|(p, _, _)| p.contains(' ') || *p == "other")
            .filter_map(|(p, g, _)| n.strip_prefix(p).and_then(|rest| rest.strip_prefix(' ')).map(|rest| (p, g, rest)))
            .filter(|(_, g, rest)| rest.split(' ').all(|w| is_example_word(*g, w)))
            .max_by_key(|(p, _, _)| p.len())
            .map(|(_, g, _)| g)
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
        answers()
            .filter(|(_, g, _)| *g != wanted)
            .find(|(p, _, _)| n.split(' ').all(|w| p.split(' ').any(|pw| pw == w)))
            .map(|(_, g, _)| g)
    }

    /// The stage a row is at.
    pub fn stage(&self, text: &str) -> Option<Stage> {
        let n = norm(text);
        if let Some(s) = self.stages.get(&n) {
            return Some(*s);
        }
        stage_word(&n)
    }

    /// "did you mean ...?" for an answer that is not known but near one that is, quoting the
    /// answer as the toolkit words it (or as the mapping file writes it); or, for one of the
    /// toolkit's examples alone ("Plumber"), the option it is an example of. None when nothing
    /// is near.
    pub fn did_you_mean(&self, answer: &str) -> Option<String> {
        let n = norm(answer);
        let known: Vec<&str> = self.answers.keys().map(String::as_str).chain(answers().map(|(p, _, _)| p)).collect();
        let examples = example_phrases();
        // Near one of the toolkit's examples ("Plumber", "I don't knw"): its option, and the
        // example as the toolkit writes it.
        let example = |near: &str| {
            let (_, written, wording) = examples.iter().find(|(p, _, w)| p == near && !wording_is(w, near))?;
            Some(format!("did you mean \"{wording}\" (the toolkit gives \"{written}\" as one of its examples)?"))
        };
        if let Some(near) = crate::suggest::closest_name(&n, known.into_iter()) {
            if let Some(written) = self.answers_written.get(near) {
                return Some(format!("did you mean \"{}\" (from the mapping file)?", shown(written)));
            }
            return example(near)
                .or_else(|| answers().find(|(p, _, _)| *p == near).map(|(_, _, w)| format!("did you mean \"{w}\"?")));
        }
        let near = crate::suggest::closest_name(&n, examples.iter().map(|(p, _, _)| p.as_str()))?;
        example(near)
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
    // GOV.UK's names with the level: "Advanced (Level 3)", "Level 7 (Masters)", "Level 3 Advanced".
    if let Some(b) = named_band(text) {
        return Some(b);
    }
    // A sign or brackets ("-3", "+6", "(3)") make it another number, not a level: only letters,
    // digits, spaces and the separators of "4/5", "4-5" and "3.0" are read.
    let t = text.trim();
    // A number within a millionth of a whole one is that number: a formula's 3.0000000001,
    // shown as 3, is level 3 (and 2.97 is no level).
    let rounded;
    let t = match whole_number(t) {
        Some(n) => {
            rounded = n.to_string();
            rounded.as_str()
        }
        None => t,
    };
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
    let n = norm(t);
    // "Level 3", "Lvl 3", "L 3", and stuck to the number: "Level3", "L4".
    let n = ["level ", "lvl ", "l ", "level", "lvl", "l"]
        .iter()
        .find_map(|p| n.strip_prefix(p).filter(|r| r.chars().next().is_some_and(|c| c.is_ascii_digit())))
        .unwrap_or(&n);
    let n = n.strip_suffix(" apprenticeship").unwrap_or(n);
    // Leading zeros are no part of a number: "03" and "Level 03" are level 3, "3.00" is "3.0".
    let n: Vec<&str> = n
        .split(' ')
        .map(|w| if w.len() > 1 && w.bytes().all(|b| b.is_ascii_digit()) { unzeroed(w) } else { w })
        .collect();
    match n.join(" ").as_str() {
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

/// Digits without their leading zeros ("03" → "3"; "00" → "0").
fn unzeroed(digits: &str) -> &str {
    let t = digits.trim_start_matches('0');
    if t.is_empty() { "0" } else { t }
}

/// A number written as digits with a decimal point ("3.0000000001", "2.9999999") that lies
/// within a millionth of a whole number, but is not written as one: that whole number. None for
/// any other text, and for a number further from a whole one ("2.97", "4.5").
pub fn whole_number(text: &str) -> Option<i64> {
    let (int, frac) = text.split_once('.')?;
    if int.is_empty() || frac.is_empty() || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: f64 = text.parse().ok()?;
    near_whole(n)
}

/// The whole number within a millionth of `n`, when there is one (and `n` is not too large to
/// be a level or a count).
pub fn near_whole(n: f64) -> Option<i64> {
    let r = n.round();
    ((n - r).abs() <= 1e-6 && r.abs() < 1e15).then_some(r as i64)
}

/// The bands an apprenticeship's name (as GOV.UK gives it beside the level) can be.
fn name_bands(name: &str) -> &'static [Band] {
    let n = norm(name);
    match n.strip_suffix(" apprenticeship").unwrap_or(&n) {
        "intermediate" => &[Band::L2],
        "advanced" => &[Band::L3],
        "higher" => &[Band::L4To5, Band::L6To7],
        "foundation degree" => &[Band::L4To5],
        "degree" | "bachelors" | "bachelors degree" | "masters" | "master" | "masters degree" => &[Band::L6To7],
        _ => &[],
    }
}

/// A level written with its name, in either order, the name in brackets or not ("Advanced
/// (Level 3)", "Level 3 (Advanced)", "Level 3 Advanced", "Higher (Level 4/5)"): its band, when
/// the number is a level and the name agrees with it ("Advanced (Level 2)" is none).
fn named_band(text: &str) -> Option<Band> {
    let t = text.trim();
    let agree = |number: &str, name: &str| {
        let b = band(number).filter(|_| number.chars().any(|c| c.is_ascii_digit()))?;
        name_bands(name).contains(&b).then_some(b)
    };
    if let Some(inner) = t.strip_suffix(')')
        && let Some((outer, inner)) = inner.split_once('(')
    {
        let outer = outer.trim();
        if outer.is_empty() || inner.contains(['(', ')']) || outer.contains(['(', ')']) {
            return None;
        }
        return agree(inner, outer).or_else(|| agree(outer, inner));
    }
    if t.contains(['(', ')']) {
        return None;
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    (1..words.len()).find_map(|k| {
        let (a, b) = (words[..k].join(" "), words[k..].join(" "));
        agree(&a, &b).or_else(|| agree(&b, &a))
    })
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
    /// Spaces do not matter either ("PersonID", "Person I.D.", "F.S.Q.", "FunctionalSkills"),
    /// nor, for an outcome, the words "achieved", "passed" and "apprenticeship" around its own
    /// ("Completion achieved", "Apprenticeship progression", "Passed functional skills").
    pub fn recognises(self, h: &str) -> bool {
        let words: Vec<&str> = h.split(' ').collect();
        let has = |w: &str| words.contains(&w);
        let squeezed = h.replace(' ', "");
        let squeezed = squeezed.as_str();
        let squeeze = |k: &&str| k.replace(' ', "") == squeezed;
        match self {
            Field::Person => [
                "id",
                "person",
                "person id",
                "personal id",
                "applicant id",
                "candidate id",
                "employee id",
                "staff id",
                "respondent id",
                "response id",
                "learner id",
                "apprentice id",
                "reference",
                "ref",
                "candidate reference",
                "applicant reference",
                "employee number",
                "staff number",
                "person number",
                "respondent",
            ]
            .iter()
            .any(squeeze),
            Field::Stage => has("stage") || matches!(h, "status" | "pipeline" | "recruitment status"),
            Field::Answer => {
                squeezed.contains("householdearner")
                    || squeezed.contains("parentaloccupation")
                    || squeezed.contains("parentsoccupation")
                    || squeezed.contains("keyquestion")
                    || matches!(h, "socio economic background" | "seb" | "answer" | "occupation at 14")
            }
            Field::FunctionalSkills | Field::Completion | Field::Progression => {
                const AROUND: [&str; 6] = ["achieved", "passed", "apprenticeship", "the", "after", "qualification"];
                let core: String = words.iter().filter(|w| !AROUND.contains(w)).copied().collect();
                let cores: &[&str] = match self {
                    Field::FunctionalSkills => &["functionalskills", "functionalskill", "fsq", "functionalskillsfsq"],
                    Field::Completion => &["completed", "completion", "complete"],
                    _ => &["progressed", "progression"],
                };
                outcome_headings(self).iter().any(squeeze) || cores.contains(&core.as_str())
            }
            Field::Level => {
                let words: String = words.into_iter().filter(|w| !w.chars().all(|c| c.is_ascii_digit())).collect();
                LEVEL_HEADINGS.iter().any(|k| k.replace(' ', "") == words)
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
        assert_eq!(band("03"), Some(Band::L3));
        assert_eq!(band("Level 03"), Some(Band::L3));
        assert_eq!(band("L07"), Some(Band::L6To7));
        assert_eq!(band("04/05"), Some(Band::L4To5));
        assert_eq!(band("3.00"), Some(Band::L3));
        assert_eq!(band("3.0000000001"), Some(Band::L3));
        assert_eq!(band("2.9999999999"), Some(Band::L3));
        assert_eq!(band("2.97"), None);
        assert_eq!(band("0"), None);
        assert_eq!(band("03.5"), None);
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
