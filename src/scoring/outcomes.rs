//! Outcome dimensions (functional skills, completion, progression): working-class rate minus
//! professional rate, judged by whether its interval excludes zero.

use super::judgement::Judgement;
use super::stats::{Estimate, newcombe, wilson};
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
    pub margin: f64,
    pub reason: Option<String>,
}

fn rate(g: OutcomeGroup, p: &Params<'_>) -> Option<Estimate> {
    let (a, n) = (g.achieved.shown()?, g.due.shown()?);
    (n >= p.threshold).then(|| wilson(a, n, p.z()))
}

pub fn score(measure: &str, title: &str, cells: &OutcomeCells, p: &Params<'_>) -> GapDimension {
    let margin = p.benchmarks.method.comparable_margin.value;
    let z = p.z();
    let wc = cells.working_class;
    let pr = cells.professional;
    let judged = judge_over_many([(wc.achieved, wc.due), (pr.achieved, pr.due)], p.threshold, |v| {
        let g = newcombe(v[0].0, v[0].1, v[1].0, v[1].1, z);
        Judgement::of_gap(g.lo, g.hi, margin)
    });
    let (judgement, reason) = match judged {
        Ok(j) => (j, None),
        Err(r) => (Judgement::NotEnoughData, Some(r)),
    };
    let gap = match (wc.achieved.shown(), wc.due.shown(), pr.achieved.shown(), pr.due.shown()) {
        (Some(a1), Some(n1), Some(a2), Some(n2)) if n1 >= p.threshold && n2 >= p.threshold => {
            Some(newcombe(a1, n1, a2, n2, z))
        }
        _ => None,
    };
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
        margin,
        reason,
    }
}
