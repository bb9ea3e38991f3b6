//! Outcome dimensions (functional skills, completion, progression): working-class rate minus
//! professional rate, judged by whether its interval excludes zero.

use super::judgement::Judgement;
use super::stats::{Estimate, koopman, koopman_within, newcombe, wilson};
use super::{Params, judge_over_many};
use crate::privacy::{OutcomeCells, OutcomeGroup, Period};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct GapDimension {
    pub measure: String,
    pub title: String,
    pub period: Period,
    pub judgement: Judgement,
    pub cells: OutcomeCells,
    pub working_class_rate: Option<Estimate>,
    pub professional_rate: Option<Estimate>,
    pub intermediate_rate: Option<Estimate>,
    pub gap: Option<Estimate>,
    /// Working-class rate over professional rate, with Koopman's score interval.
    pub ratio: Option<Estimate>,
    /// `ratio` for reading, e.g. "0.50 (0.22 to 1.11)".
    pub ratio_text: Option<String>,
    pub margin: f64,
    /// The ratio interval must lie within these bounds for the rates to be comparable.
    pub ratio_bounds: (f64, f64),
    pub reason: Option<String>,
    /// The benchmark set changed since the previous published period: a break in series.
    pub break_before: bool,
}

fn rate(g: OutcomeGroup, p: &Params<'_>) -> Option<Estimate> {
    let (a, n) = (g.achieved.shown()?, g.due.shown()?);
    (n >= p.threshold).then(|| wilson(a, n, p.z()))
}

pub fn score(measure: &str, title: &str, cells: &OutcomeCells, p: &Params<'_>) -> GapDimension {
    let margin = p.benchmarks.method.comparable_margin.value;
    let bounds = p.benchmarks.ratio_bounds();
    let z = p.z();
    let wc = cells.working_class;
    let pr = cells.professional;
    let judged = judge_over_many([(wc.achieved, wc.due), (pr.achieved, pr.due)], p.threshold, |v| {
        judge_rates(v[0], v[1], z, margin, bounds)
    });
    let (judgement, reason) = match judged {
        Ok(j) => (j, None),
        Err(r) => (Judgement::NotEnoughData, Some(r)),
    };
    let shown = match (wc.achieved.shown(), wc.due.shown(), pr.achieved.shown(), pr.due.shown()) {
        (Some(a1), Some(n1), Some(a2), Some(n2)) if n1 >= p.threshold && n2 >= p.threshold => Some((a1, n1, a2, n2)),
        _ => None,
    };
    let gap = shown.map(|(a1, n1, a2, n2)| newcombe(a1, n1, a2, n2, z));
    let ratio = shown.map(|(a1, n1, a2, n2)| koopman(a1, n1, a2, n2, z));
    GapDimension {
        measure: measure.to_string(),
        title: title.to_string(),
        period: cells.period,
        judgement,
        cells: cells.clone(),
        working_class_rate: rate(wc, p),
        professional_rate: rate(pr, p),
        intermediate_rate: rate(cells.intermediate, p),
        gap,
        ratio_text: ratio.as_ref().map(super::stats::ratio_text),
        ratio,
        margin,
        ratio_bounds: bounds,
        reason,
        break_before: false,
    }
}

/// Judge working-class `(x, n)` against professional `(x, n)`: the gap's Newcombe interval and
/// the ratio's Koopman interval together.
pub fn judge_rates(wc: (u64, u64), pr: (u64, u64), z: f64, margin: f64, bounds: (f64, f64)) -> Judgement {
    let g = newcombe(wc.0, wc.1, pr.0, pr.1, z);
    // Only the ratio test's outcome matters here; `of_gap` reads it from an interval, so pass
    // the bounds themselves when it passes and an unbounded interval when it does not.
    let within = koopman_within(wc.0, wc.1, pr.0, pr.1, z, bounds);
    let r = if within {
        Estimate { value: 1.0, lo: bounds.0, hi: bounds.1 }
    } else {
        Estimate { value: f64::NAN, lo: 0.0, hi: f64::INFINITY }
    };
    Judgement::of_gap(g, Some(r), margin, bounds)
}
