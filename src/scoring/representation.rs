//! Representation dimensions (applicants, starts, make-up, level bands): the working-class share
//! against its benchmark, with the response rate checked first.

use super::judgement::Judgement;
use super::stats::{Estimate, newcombe, wilson};
use super::{Params, judge_over};
use crate::privacy::{Count, Period, StageCells};
use serde::Serialize;

/// Non-response bounds on the working-class share: none or all of the unclassified are working class.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Bounds {
    pub lo: f64,
    pub hi: f64,
    /// The benchmark lies outside the bounds, so non-response cannot change the conclusion.
    pub robust: bool,
}

/// One stage in one period, judged.
#[derive(Debug, Clone, Serialize)]
pub struct ShareDimension {
    pub stage: String,
    pub title: String,
    pub period: Period,
    pub judgement: Judgement,
    /// Response below target: shown, but left out of the headline.
    pub provisional: bool,
    pub response_rate: Option<f64>,
    pub response_target: f64,
    pub cells: StageCells,
    pub working_class_share: Option<Estimate>,
    pub professional_share: Option<Estimate>,
    pub intermediate_share: Option<f64>,
    pub benchmark: f64,
    pub professional_benchmark: f64,
    pub intermediate_benchmark: f64,
    /// Working-class share as a multiple of the benchmark share, with the interval scaled alike.
    pub ratio: Option<Estimate>,
    pub nonresponse: Option<Bounds>,
    /// Why there is no judgement, in words.
    pub reason: Option<String>,
}

pub fn score(stage: &str, title: &str, cells: &StageCells, p: &Params<'_>) -> ShareDimension {
    let kq = &p.benchmarks.key_question;
    let b = kq.working_class.value;
    let target = kq.response_rate_target.value;
    let z = p.z();
    let (response_rate, provisional) = response(cells.answered, cells.asked, target);
    let shown = (cells.working_class.shown(), cells.classified.shown());
    let (judgement, reason) = match judge_over(cells.working_class, cells.classified, p.threshold, |x, n| {
        let e = wilson(x, n, z);
        Judgement::of_share(e.lo, e.hi, b)
    }) {
        Ok(j) => (j, None),
        Err(r) => (Judgement::NotEnoughData, Some(r)),
    };
    let share_of = |c: Count| match (c.shown(), shown.1) {
        (Some(x), Some(n)) if n >= p.threshold => Some(wilson(x, n, z)),
        _ => None,
    };
    let working_class_share = share_of(cells.working_class);
    let nonresponse = match (shown.0, shown.1, cells.asked.shown()) {
        (Some(wc), Some(n), Some(asked)) if provisional && asked > 0 => {
            let lo = wc as f64 / asked as f64;
            let hi = (wc + asked - n) as f64 / asked as f64;
            Some(Bounds { lo, hi, robust: b < lo || b > hi })
        }
        _ => None,
    };
    ShareDimension {
        stage: stage.to_string(),
        title: title.to_string(),
        period: cells.period,
        judgement,
        provisional,
        response_rate,
        response_target: target,
        cells: cells.clone(),
        working_class_share,
        professional_share: share_of(cells.professional),
        intermediate_share: share_of(cells.intermediate).map(|e| e.value),
        benchmark: b,
        professional_benchmark: kq.professional.value,
        intermediate_benchmark: kq.intermediate.value,
        ratio: working_class_share.map(|e| Estimate { value: e.value / b, lo: e.lo / b, hi: e.hi / b }),
        nonresponse,
        reason,
    }
}

/// The response rate when it can be shown, and whether it is (or may be) under target.
pub fn response(answered: Count, asked: Count, target: f64) -> (Option<f64>, bool) {
    match (answered.shown(), asked.shown()) {
        (Some(a), Some(n)) if n > 0 => {
            let r = a as f64 / n as f64;
            (Some(r), r < target)
        }
        (Some(_), Some(_)) => (None, true),
        _ => {
            // Withheld: provisional unless every value a reader could infer meets the target.
            let (alo, _) = answered.range();
            let (_, nhi) = asked.range();
            let meets = nhi.is_some_and(|n| n > 0 && alo as f64 / n as f64 >= target);
            (None, !meets)
        }
    }
}

/// Conversion from applicants to starts, working class minus professional.
pub fn conversion(applicants: &StageCells, starts: &StageCells, p: &Params<'_>) -> Option<Estimate> {
    let a_wc = applicants.working_class.shown()?;
    let a_pr = applicants.professional.shown()?;
    let s_wc = starts.working_class.shown()?;
    let s_pr = starts.professional.shown()?;
    let t = p.threshold;
    (a_wc >= t && a_pr >= t && s_wc <= a_wc && s_pr <= a_pr).then(|| newcombe(s_wc, a_wc, s_pr, a_pr, p.z()))
}

/// Working-class share at levels 4 and above minus the share at levels 2 and 3.
/// Uses only shown cells of one period, so the sums are already public.
pub fn level_pattern(bands: &[(&str, &StageCells)], p: &Params<'_>) -> Option<Estimate> {
    let sum = |ids: &[&str], f: fn(&StageCells) -> Count| -> Option<u64> {
        let mut total = 0;
        for (_, c) in bands.iter().filter(|(id, _)| ids.contains(id)) {
            total += f(c).shown()?;
        }
        Some(total)
    };
    let hi_wc = sum(&["level_4_5", "level_6_7"], |c| c.working_class)?;
    let hi_n = sum(&["level_4_5", "level_6_7"], |c| c.classified)?;
    let lo_wc = sum(&["level_2", "level_3"], |c| c.working_class)?;
    let lo_n = sum(&["level_2", "level_3"], |c| c.classified)?;
    (hi_n >= p.threshold && lo_n >= p.threshold).then(|| newcombe(hi_wc, hi_n, lo_wc, lo_n, p.z()))
}
