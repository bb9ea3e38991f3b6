//! The words a scorecard uses: one judgement per dimension, and its plain-English label.

use serde::{Serialize, Serializer, ser::SerializeStruct};

/// What can honestly be said about one dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Judgement {
    /// The whole interval for the working-class share is above the benchmark.
    AboveBenchmark,
    /// The interval contains the benchmark: no evidence of under-representation.
    InLine,
    /// The whole interval is below the benchmark.
    BelowBenchmark,
    /// The working-class rate is higher; the interval of the gap is above zero.
    Higher,
    /// The working-class rate is lower; the interval of the gap is below zero.
    Lower,
    /// The whole interval of the gap lies inside the equivalence margin.
    Comparable,
    /// The interval of the gap includes zero but is too wide to call comparable.
    NoClearDifference,
    /// Fewer answers than the threshold, or a withheld count the judgement needs.
    NotEnoughData,
}

/// How a judgement reads against the toolkit's target (colour is never the only carrier).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    Meets,
    Misses,
    Unclear,
}

impl Judgement {
    pub fn text(self) -> &'static str {
        match self {
            Judgement::AboveBenchmark => "Above benchmark",
            Judgement::InLine => "In line with benchmark",
            Judgement::BelowBenchmark => "Below benchmark",
            Judgement::Higher => "Higher for working-class apprentices",
            Judgement::Lower => "Lower for working-class apprentices",
            Judgement::Comparable => "Comparable",
            Judgement::NoClearDifference => "No clear difference",
            Judgement::NotEnoughData => "Not enough data",
        }
    }

    /// Whether the toolkit's target is met, missed, or cannot be told.
    pub fn tone(self) -> Tone {
        match self {
            Judgement::AboveBenchmark | Judgement::InLine | Judgement::Higher | Judgement::Comparable => Tone::Meets,
            Judgement::BelowBenchmark | Judgement::Lower => Tone::Misses,
            Judgement::NoClearDifference | Judgement::NotEnoughData => Tone::Unclear,
        }
    }

    /// A text symbol beside the words, for readers who do not see colour.
    pub fn symbol(self) -> &'static str {
        match self.tone() {
            Tone::Meets => "✓",
            Tone::Misses => "✗",
            Tone::Unclear => "?",
        }
    }

    /// Stable identifier used in CSS classes and open data.
    pub fn id(self) -> &'static str {
        match self {
            Judgement::AboveBenchmark => "above_benchmark",
            Judgement::InLine => "in_line",
            Judgement::BelowBenchmark => "below_benchmark",
            Judgement::Higher => "higher",
            Judgement::Lower => "lower",
            Judgement::Comparable => "comparable",
            Judgement::NoClearDifference => "no_clear_difference",
            Judgement::NotEnoughData => "not_enough_data",
        }
    }

    /// Representation: one-sided against the benchmark, as the toolkit's target allows going above.
    pub fn of_share(lo: f64, hi: f64, benchmark: f64) -> Judgement {
        if lo > benchmark {
            Judgement::AboveBenchmark
        } else if hi < benchmark {
            Judgement::BelowBenchmark
        } else {
            Judgement::InLine
        }
    }

    /// Outcomes: flag a gap only when its interval excludes zero.
    pub fn of_gap(lo: f64, hi: f64, margin: f64) -> Judgement {
        if hi < 0.0 {
            Judgement::Lower
        } else if lo > 0.0 {
            Judgement::Higher
        } else if lo >= -margin && hi <= margin {
            Judgement::Comparable
        } else {
            Judgement::NoClearDifference
        }
    }
}

/// Serialised with its words and symbol, so templates and open data never restate them.
impl Serialize for Judgement {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Judgement", 4)?;
        st.serialize_field("id", self.id())?;
        st.serialize_field("text", self.text())?;
        st.serialize_field("tone", &self.tone())?;
        st.serialize_field("symbol", self.symbol())?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_labels() {
        assert_eq!(Judgement::of_share(0.158, 0.372, 0.39), Judgement::BelowBenchmark);
        assert_eq!(Judgement::of_share(0.30, 0.45, 0.39), Judgement::InLine);
        assert_eq!(Judgement::of_share(0.41, 0.55, 0.39), Judgement::AboveBenchmark);
    }

    #[test]
    fn gap_labels() {
        assert_eq!(Judgement::of_gap(-0.357, 0.066, 0.10), Judgement::NoClearDifference);
        assert_eq!(Judgement::of_gap(-0.331, -0.064, 0.10), Judgement::Lower);
        assert_eq!(Judgement::of_gap(-0.06, 0.08, 0.10), Judgement::Comparable);
        assert_eq!(Judgement::of_gap(0.01, 0.2, 0.10), Judgement::Higher);
    }
}
