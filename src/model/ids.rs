//! Typed ids for the rows of the toolkit's pipeline: the stages whose make-up is counted, the
//! level bands, and the outcomes. Each has its id (as written in data files and URLs) and its
//! title in one place; code compares the types, never the id strings.
//!
//! Variants are declared in the order of their ids, so maps keyed by them iterate (and are
//! written to JSON) in the same order as when the keys were the id strings.

use serde::{Serialize, Serializer};

/// A level band of apprenticeships, as the toolkit groups them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Band {
    L2,
    L3,
    L4To5,
    L6To7,
}

impl Band {
    pub const ALL: [Band; 4] = [Band::L2, Band::L3, Band::L4To5, Band::L6To7];

    /// The band's key in an employer file and the benchmark data (`levels: {"4-5": ...}`).
    pub fn key(self) -> &'static str {
        match self {
            Band::L2 => "2",
            Band::L3 => "3",
            Band::L4To5 => "4-5",
            Band::L6To7 => "6-7",
        }
    }

    pub fn from_key(key: &str) -> Option<Band> {
        Band::ALL.into_iter().find(|b| b.key() == key)
    }

    /// Level 4 and above: where the toolkit locates the levels gap.
    pub fn is_higher(self) -> bool {
        matches!(self, Band::L4To5 | Band::L6To7)
    }
}

/// A stage whose make-up by socio-economic background is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    Applicants,
    Level(Band),
    /// The whole cohort in a year (`key_question.cohort`).
    Makeup,
    Starts,
}

impl Stage {
    pub fn id(self) -> &'static str {
        match self {
            Stage::Applicants => "applicants",
            Stage::Starts => "starts",
            Stage::Makeup => "makeup",
            Stage::Level(Band::L2) => "level_2",
            Stage::Level(Band::L3) => "level_3",
            Stage::Level(Band::L4To5) => "level_4_5",
            Stage::Level(Band::L6To7) => "level_6_7",
        }
    }

    pub fn from_id(id: &str) -> Option<Stage> {
        [Stage::Applicants, Stage::Starts, Stage::Makeup]
            .into_iter()
            .chain(Band::ALL.map(Stage::Level))
            .find(|s| s.id() == id)
    }

    pub fn title(self) -> String {
        match self {
            Stage::Applicants => "Applicants".into(),
            Stage::Starts => "Starts".into(),
            Stage::Makeup => "Overall make-up".into(),
            Stage::Level(b) => format!("Level {}", b.key().replace('-', "–")),
        }
    }

    /// A stock (everyone in the programme in a year) rather than a flow (who applied or started
    /// that year): stocks overlap from year to year, so they are never pooled across years.
    pub fn is_stock(self) -> bool {
        matches!(self, Stage::Makeup | Stage::Level(_))
    }
}

/// An outcome whose rate is compared between groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    Completion,
    FunctionalSkills,
    Progression,
}

impl Outcome {
    /// In the pipeline's order.
    pub const ALL: [Outcome; 3] = [Outcome::FunctionalSkills, Outcome::Completion, Outcome::Progression];

    pub fn id(self) -> &'static str {
        match self {
            Outcome::FunctionalSkills => "functional_skills",
            Outcome::Completion => "completion",
            Outcome::Progression => "progression",
        }
    }

    pub fn from_id(id: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.id() == id)
    }

    pub fn title(self) -> String {
        match self {
            Outcome::FunctionalSkills => "Functional skills",
            Outcome::Completion => "Completion",
            Outcome::Progression => "Progression",
        }
        .into()
    }
}

/// A row of the pipeline: a stage or an outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Measure {
    Stage(Stage),
    Outcome(Outcome),
}

impl Measure {
    /// The toolkit's pipeline, in the order every table and list follows.
    pub const PIPELINE: [Measure; 10] = [
        Measure::Stage(Stage::Applicants),
        Measure::Stage(Stage::Starts),
        Measure::Stage(Stage::Makeup),
        Measure::Stage(Stage::Level(Band::L2)),
        Measure::Stage(Stage::Level(Band::L3)),
        Measure::Stage(Stage::Level(Band::L4To5)),
        Measure::Stage(Stage::Level(Band::L6To7)),
        Measure::Outcome(Outcome::FunctionalSkills),
        Measure::Outcome(Outcome::Completion),
        Measure::Outcome(Outcome::Progression),
    ];

    pub fn id(self) -> &'static str {
        match self {
            Measure::Stage(s) => s.id(),
            Measure::Outcome(o) => o.id(),
        }
    }

    pub fn from_id(id: &str) -> Option<Measure> {
        Stage::from_id(id).map(Measure::Stage).or_else(|| Outcome::from_id(id).map(Measure::Outcome))
    }

    pub fn title(self) -> String {
        match self {
            Measure::Stage(s) => s.title(),
            Measure::Outcome(o) => o.title(),
        }
    }
}

macro_rules! serialize_as_id {
    ($($t:ty),*) => {$(
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.id())
            }
        }
    )*};
}
serialize_as_id!(Stage, Outcome, Measure);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_order_as_their_strings() {
        let stages: Vec<Stage> = Measure::PIPELINE
            .iter()
            .filter_map(|m| match m {
                Measure::Stage(s) => Some(*s),
                Measure::Outcome(_) => None,
            })
            .collect();
        for m in Measure::PIPELINE {
            assert_eq!(Measure::from_id(m.id()), Some(m));
        }
        let mut by_type = stages.clone();
        by_type.sort();
        let mut by_id = stages;
        by_id.sort_by_key(|s| s.id());
        assert_eq!(by_type, by_id, "maps keyed by stage must keep the order of the id strings");
        let mut outcomes = Outcome::ALL.to_vec();
        outcomes.sort();
        let ids: Vec<&str> = outcomes.iter().map(|o| o.id()).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted);
        assert_eq!(Stage::Level(Band::L4To5).title(), "Level 4–5");
        assert_eq!(Stage::Makeup.title(), "Overall make-up");
        assert_eq!(Band::from_key("6-7"), Some(Band::L6To7));
        assert_eq!(Band::from_key("8"), None);
    }
}
