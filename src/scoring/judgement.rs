//! The words a scorecard uses: one judgement per dimension, and its plain-English label.

use super::stats::Estimate;
use serde::{Serialize, Serializer, ser::SerializeStruct};

/// How a judgement counts towards the headline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Met,
    NotMet,
    /// Enough data to test, but the interval is too wide to say met or not met.
    Inconclusive,
    /// No data, too few answers, a withheld count the test needs, or low response.
    NotAssessable,
}

/// What can honestly be said about one dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Judgement {
    /// The whole interval for the working-class share is above the benchmark.
    AboveBenchmark,
    /// The interval contains the benchmark and its lower end is within the margin of it: the
    /// share is shown to be no more than the margin below the benchmark.
    InLine,
    /// The interval contains the benchmark but reaches further below it than the margin: too
    /// few people to tell whether the share is in line or below.
    TooFewToTell,
    /// The whole interval is below the benchmark.
    BelowBenchmark,
    /// The working-class rate is higher; the interval of the gap is above zero.
    Higher,
    /// The working-class rate is lower; the interval of the gap is below zero.
    Lower,
    /// The whole interval of the gap lies inside the equivalence margin, and the whole interval
    /// of the ratio of the two rates inside the four-fifths bounds.
    Comparable,
    /// The interval of the gap includes zero but is too wide (or the ratio too uncertain) to
    /// call comparable.
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
            Judgement::TooFewToTell => "Too few to tell",
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
            Judgement::TooFewToTell | Judgement::NoClearDifference | Judgement::NotEnoughData => Tone::Unclear,
        }
    }

    /// How the judgement counts in the headline: an inconclusive test is not a met target.
    pub fn verdict(self) -> Verdict {
        match self {
            Judgement::TooFewToTell | Judgement::NoClearDifference => Verdict::Inconclusive,
            Judgement::NotEnoughData => Verdict::NotAssessable,
            j if j.tone() == Tone::Meets => Verdict::Met,
            _ => Verdict::NotMet,
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
            Judgement::TooFewToTell => "too_few_to_tell",
            Judgement::BelowBenchmark => "below_benchmark",
            Judgement::Higher => "higher",
            Judgement::Lower => "lower",
            Judgement::Comparable => "comparable",
            Judgement::NoClearDifference => "no_clear_difference",
            Judgement::NotEnoughData => "not_enough_data",
        }
    }

    /// Representation: one-sided against the benchmark, as the toolkit's target allows going
    /// above. "In line" needs evidence, not just an interval wide enough to reach the benchmark:
    /// its lower end must be within `margin` of the benchmark (a non-inferiority test).
    pub fn of_share(lo: f64, hi: f64, benchmark: f64, margin: f64) -> Judgement {
        if lo > benchmark {
            Judgement::AboveBenchmark
        } else if hi < benchmark {
            Judgement::BelowBenchmark
        } else if lo >= benchmark - margin {
            Judgement::InLine
        } else {
            Judgement::TooFewToTell
        }
    }

    /// Rates (outcomes, conversion): flag a gap only when its interval excludes zero; call the
    /// rates comparable only when the gap's interval lies within ±`margin` and the interval of the
    /// ratio of the two rates within `ratio_bounds` (the four-fifths rule, 0.8 to 1.25).
    pub fn of_gap(gap: Estimate, ratio: Option<Estimate>, margin: f64, ratio_bounds: (f64, f64)) -> Judgement {
        let ratio_ok = ratio.is_some_and(|r| r.lo >= ratio_bounds.0 && r.hi <= ratio_bounds.1);
        if gap.hi < 0.0 {
            Judgement::Lower
        } else if gap.lo > 0.0 {
            Judgement::Higher
        } else if gap.lo >= -margin && gap.hi <= margin && ratio_ok {
            Judgement::Comparable
        } else {
            Judgement::NoClearDifference
        }
    }
}

/// Serialised with its words and symbol, so templates and open data never restate them.
impl Serialize for Judgement {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Judgement", 5)?;
        st.serialize_field("id", self.id())?;
        st.serialize_field("text", self.text())?;
        st.serialize_field("tone", &self.tone())?;
        st.serialize_field("symbol", self.symbol())?;
        st.serialize_field("verdict", &self.verdict())?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_labels() {
        assert_eq!(Judgement::of_share(0.158, 0.372, 0.39, 0.10), Judgement::BelowBenchmark);
        assert_eq!(Judgement::of_share(0.30, 0.45, 0.39, 0.10), Judgement::InLine);
        assert_eq!(Judgement::of_share(0.41, 0.55, 0.39, 0.10), Judgement::AboveBenchmark);
        // 10 of 40: 14% to 40% reaches the benchmark but also far below it.
        assert_eq!(Judgement::of_share(0.14, 0.40, 0.39, 0.10), Judgement::TooFewToTell);
        assert_eq!(Judgement::TooFewToTell.verdict(), Verdict::Inconclusive);
    }

    fn e(lo: f64, hi: f64) -> Estimate {
        Estimate { value: (lo + hi) / 2.0, lo, hi }
    }

    #[test]
    fn gap_labels() {
        let r = Some(e(0.9, 1.1));
        let b = (0.8, 1.25);
        assert_eq!(Judgement::of_gap(e(-0.357, 0.066), r, 0.10, b), Judgement::NoClearDifference);
        assert_eq!(Judgement::of_gap(e(-0.331, -0.064), r, 0.10, b), Judgement::Lower);
        assert_eq!(Judgement::of_gap(e(-0.06, 0.08), r, 0.10, b), Judgement::Comparable);
        assert_eq!(Judgement::of_gap(e(0.01, 0.2), r, 0.10, b), Judgement::Higher);
        // A small gap between small rates: the ratio interval is too wide to call comparable.
        assert_eq!(Judgement::of_gap(e(-0.06, 0.08), Some(e(0.3, 2.0)), 0.10, b), Judgement::NoClearDifference);
    }
}
