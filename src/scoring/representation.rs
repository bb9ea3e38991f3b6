//! Representation dimensions (applicants, starts, make-up, level bands): the working-class share
//! against its benchmark, with the response rate checked first.

use super::judgement::Judgement;
use super::stats::{Estimate, koopman, newcombe, wilson};
use super::{Params, judge_over};
use crate::model::ids::Stage;
use crate::privacy::{Count, Period, StageCells};
use serde::Serialize;

/// Non-response bounds on the benchmark's own measure, the working-class share of classified
/// answers: had everyone who did not answer (or preferred not to say) given a classifiable
/// answer, none or all of them working class. People who answered `other` are outside the
/// measure either way, so they stay out of the denominator.
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
    /// "65.5% vs 66% target": rounded so that it never contradicts `provisional`.
    pub response_text: Option<String>,
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
    /// The benchmark set changed since the previous published period: a break in series.
    pub break_before: bool,
}

pub fn score(stage: &str, title: &str, cells: &StageCells, p: &Params<'_>) -> ShareDimension {
    let kq = &p.benchmarks.key_question;
    let b = kq.working_class.value;
    let margin = p.benchmarks.method.comparable_margin.value;
    let target = kq.response_rate_target.value;
    let z = p.z();
    let (response_rate, provisional) = response(cells.answered, cells.asked, target);
    let shown = (cells.working_class.shown(), cells.classified.shown());
    let (judgement, reason) = match judge_over(cells.working_class, cells.classified, p.threshold, |x, n| {
        let e = wilson(x, n, z);
        Judgement::of_share(e.lo, e.hi, b, margin)
    }) {
        Ok(j) => (j, None),
        Err(r) => (Judgement::NotEnoughData, Some(r)),
    };
    let share_of = |c: Count| match (c.shown(), shown.1) {
        (Some(x), Some(n)) if n >= p.threshold => Some(wilson(x, n, z)),
        _ => None,
    };
    let working_class_share = share_of(cells.working_class);
    let missing = match (cells.asked.shown(), cells.answered.shown(), cells.prefer_not_to_say.shown()) {
        (Some(asked), Some(answered), Some(pnts)) => Some(asked.saturating_sub(answered) + pnts),
        _ => None,
    };
    let nonresponse = match (shown.0, shown.1, missing) {
        (Some(wc), Some(n), Some(m)) if provisional && n + m > 0 => Some(bounds(wc, n, m, b)),
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
        response_text: response_rate.map(|r| rate_against(r, target)),
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
        break_before: false,
    }
}

/// Working-class share of classified answers if the `missing` non-respondents had all given a
/// classifiable answer: none of them working class (`lo`) or all of them (`hi`).
pub fn bounds(wc: u64, classified: u64, missing: u64, benchmark: f64) -> Bounds {
    let total = (classified + missing) as f64;
    let lo = wc as f64 / total;
    let hi = (wc + missing) as f64 / total;
    Bounds { lo, hi, robust: benchmark < lo || benchmark > hi }
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

/// "65.5% vs 66% target": the fewest decimals at which the printed rate sits on the same side of
/// the printed target as the rule put it (131 of 200 is not "66% vs 66%"); if even two decimals
/// do not separate them, the rate is rounded towards the side the rule used.
pub fn rate_against(rate: f64, target: f64) -> String {
    let below = rate < target;
    let at = |v: f64, d: i32| (v * 100.0 * 10f64.powi(d)).round() / 10f64.powi(d);
    for d in 0..=2 {
        let (r, t) = (at(rate, d), at(target, d));
        if (below && r < t) || (!below && r >= t) {
            return format!("{r:.d$}% vs {}% target", trim(t), d = d as usize);
        }
    }
    let scaled = rate * 1000.0;
    let r = if below { scaled.floor() } else { scaled.ceil() } / 10.0;
    format!("{r:.1}% vs {}% target", trim(at(target, 2)))
}

/// A percentage without trailing zeros: 66.0 → "66", 70.5 → "70.5".
fn trim(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Conversion from applicants to starts: the counts used, working class minus professional, the
/// ratio of the two rates and its judgement.
#[derive(Debug, Clone, Serialize)]
pub struct Conversion {
    pub period: Period,
    /// Working-class starts and applicants, professional starts and applicants.
    pub working_class: (u64, u64),
    pub professional: (u64, u64),
    pub gap: Estimate,
    pub ratio: Estimate,
    pub ratio_text: String,
    pub margin: f64,
    pub ratio_bounds: (f64, f64),
    pub judgement: Judgement,
}

/// Conversion from applicants to starts, working class minus professional.
pub fn conversion(applicants: &StageCells, starts: &StageCells, p: &Params<'_>) -> Option<Conversion> {
    let a_wc = applicants.working_class.shown()?;
    let a_pr = applicants.professional.shown()?;
    let s_wc = starts.working_class.shown()?;
    let s_pr = starts.professional.shown()?;
    let t = p.threshold;
    let margin = p.benchmarks.method.comparable_margin.value;
    let ratio_bounds = p.benchmarks.ratio_bounds();
    (a_wc >= t && a_pr >= t && s_wc <= a_wc && s_pr <= a_pr).then(|| {
        let ratio = koopman(s_wc, a_wc, s_pr, a_pr, p.z());
        Conversion {
            period: starts.period,
            working_class: (s_wc, a_wc),
            professional: (s_pr, a_pr),
            gap: newcombe(s_wc, a_wc, s_pr, a_pr, p.z()),
            ratio_text: super::stats::ratio_text(&ratio),
            ratio,
            margin,
            ratio_bounds,
            judgement: super::outcomes::judge_rates((s_wc, a_wc), (s_pr, a_pr), p.z(), margin, ratio_bounds),
        }
    })
}

/// Working-class share at levels 4 and above minus the share at levels 2 and 3.
/// Uses only shown cells of one period, so the sums are already public.
/// Bands missing from `bands` are left out; each side needs at least one band.
pub fn level_pattern(bands: &[(Stage, &StageCells)], p: &Params<'_>) -> Option<Estimate> {
    let sum = |higher: bool, f: fn(&StageCells) -> Count| -> Option<u64> {
        let mut total = 0;
        let mut any = false;
        for (_, c) in bands.iter().filter(|(id, _)| matches!(id, Stage::Level(b) if b.is_higher() == higher)) {
            total += f(c).shown()?;
            any = true;
        }
        any.then_some(total)
    };
    let hi_wc = sum(true, |c| c.working_class)?;
    let hi_n = sum(true, |c| c.classified)?;
    let lo_wc = sum(false, |c| c.working_class)?;
    let lo_n = sum(false, |c| c.classified)?;
    (hi_n >= p.threshold && lo_n >= p.threshold).then(|| newcombe(hi_wc, hi_n, lo_wc, lo_n, p.z()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_rate_never_contradicts_the_rule() {
        // 131 of 200 is under 66%: never "66% vs 66%".
        assert_eq!(rate_against(131.0 / 200.0, 0.66), "65.5% vs 66% target");
        assert_eq!(rate_against(0.80, 0.66), "80% vs 66% target");
        assert_eq!(rate_against(0.66, 0.66), "66% vs 66% target");
        // Under target by a hair: rounded down, towards the side the rule used.
        assert_eq!(rate_against(0.659_999_9, 0.66), "65.9% vs 66% target");
        assert_eq!(rate_against(0.6999, 0.70), "69.99% vs 70% target");
    }

    #[test]
    fn bounds_leave_other_answers_out_of_the_denominator() {
        // 60 working class of 80 classified, 70 who gave no answer: 60/150 to 130/150.
        let b = bounds(60, 80, 70, 0.39);
        assert!((b.lo - 0.4).abs() < 1e-12 && (b.hi - 130.0 / 150.0).abs() < 1e-12 && b.robust);
    }
}
