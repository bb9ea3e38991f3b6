//! Scoring: judgements on the publishable tables against the selected benchmark set.
//! Pure functions: a [`Publication`] and the benchmark data in, a [`Scorecard`] out. Every
//! constant comes from the benchmark set or `site.yaml`.

pub mod judgement;
pub mod outcomes;
pub mod practices;
pub mod representation;
pub mod stats;

use crate::benchmarks::{BenchmarkSet, CategoryKind};
use crate::employers::Employer;
use crate::privacy::{Count, Period, Publication, YesNoCells};
pub use judgement::{Judgement, Tone};
use outcomes::GapDimension;
use practices::PracticeSummary;
use representation::ShareDimension;
use serde::Serialize;
use stats::{Estimate, newcombe, wilson};
use std::collections::BTreeMap;

/// What scoring needs besides the tables.
#[derive(Clone, Copy)]
pub struct Params<'a> {
    pub benchmarks: &'a BenchmarkSet,
    pub threshold: u64,
}

impl Params<'_> {
    pub fn z(&self) -> f64 {
        self.benchmarks.method.z
    }
}

/// Judge `x of n` over every value a reader could infer for withheld counts; a judgement is
/// stated only when it is the same across that whole range, so it reveals nothing more.
pub fn judge_over(x: Count, n: Count, t: u64, f: impl Fn(u64, u64) -> Judgement) -> Result<Judgement, String> {
    judge_over_many([(x, n)], t, |v| f(v[0].0, v[0].1))
}

/// As [`judge_over`], for several `(x, n)` pairs at once (the corners of the inferable box).
pub fn judge_over_many<const K: usize>(
    pairs: [(Count, Count); K],
    t: u64,
    f: impl Fn([(u64, u64); K]) -> Judgement,
) -> Result<Judgement, String> {
    let mut ranges = Vec::with_capacity(K);
    for (x, n) in pairs {
        let (nlo, nhi) = n.range();
        let Some(nhi) = nhi else { return Err("a withheld total the judgement needs".into()) };
        if nhi < t {
            return Err(format!("fewer than {t} answers"));
        }
        if nlo < t {
            return Err(format!("a withheld total that may be under {t}"));
        }
        let (xlo, xhi) = x.range();
        let xhi = xhi.unwrap_or(nhi);
        ranges.push(((xlo, xhi), (nlo, nhi)));
    }
    let mut seen: Option<Judgement> = None;
    for mask in 0..(1u32 << (2 * K)) {
        let point: [(u64, u64); K] = std::array::from_fn(|i| {
            let ((xlo, xhi), (nlo, nhi)) = ranges[i];
            let n = if mask >> (2 * i) & 1 == 0 { nlo } else { nhi };
            let x = if mask >> (2 * i + 1) & 1 == 0 { xlo } else { xhi };
            (x.min(n), n)
        });
        let j = f(point);
        match seen {
            None => seen = Some(j),
            Some(s) if s != j => return Err("a withheld count the judgement needs".into()),
            _ => {}
        }
    }
    seen.ok_or_else(|| "no data".into())
}

/// A year-over-year change in the working-class share (or rate).
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub from: Period,
    pub to: Period,
    pub change: Estimate,
    /// The interval excludes zero.
    pub clear: bool,
    /// The benchmark set or question changed between the two periods.
    pub break_in_series: bool,
}

/// An extra question as national context.
#[derive(Debug, Clone, Serialize)]
pub struct ExtraResult {
    pub id: String,
    pub label: String,
    pub comparator: String,
    pub benchmark: f64,
    pub period: Period,
    pub cells: YesNoCells,
    pub share: Option<Estimate>,
    pub response_rate: Option<f64>,
    pub response_target: f64,
    pub provisional: bool,
    pub judgement: Judgement,
}

/// One row of the headline: a toolkit data category and its latest judgement.
#[derive(Debug, Clone, Serialize)]
pub struct CategoryRow {
    pub id: String,
    pub title: String,
    pub kind: CategoryKind,
    pub judgement: Judgement,
    pub provisional: bool,
    pub period: Option<Period>,
    /// Met, missed, or not assessable (no data, low response, or no clear difference).
    pub status: RowStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    Met,
    Missed,
    NotAssessable,
}

#[derive(Debug, Clone, Serialize)]
pub struct Headline {
    pub met: usize,
    pub assessable: usize,
    pub not_assessable: usize,
    pub practices_in_place: usize,
    pub practices_partial: usize,
    pub practices_applicable: usize,
    pub practices_total: usize,
    /// "k of m assessable data targets met (j not assessable); x of 20 must-have practices in place".
    pub text: String,
}

/// Everything the site says about one employer's figures.
#[derive(Debug, Clone, Serialize)]
pub struct Scorecard {
    pub headline: Headline,
    pub rows: Vec<CategoryRow>,
    /// Stage id → one dimension per published period, oldest first.
    pub representation: BTreeMap<String, Vec<ShareDimension>>,
    pub outcomes: BTreeMap<String, Vec<GapDimension>>,
    pub conversion: Option<Estimate>,
    pub conversion_judgement: Option<Judgement>,
    pub level_pattern: Option<Estimate>,
    pub trends: BTreeMap<String, Vec<Change>>,
    pub extras: Vec<ExtraResult>,
    pub practices: PracticeSummary,
    pub benchmark_set: String,
}

/// Human title of a stage id.
pub fn stage_title(id: &str) -> String {
    match id {
        "applicants" => "Applicants".into(),
        "starts" => "Starts".into(),
        "makeup" => "Overall make-up".into(),
        other => match other.strip_prefix("level_") {
            Some(band) => format!("Level {}", band.replace('_', "–")),
            None => other.replace('_', " "),
        },
    }
}

pub fn outcome_title(id: &str) -> String {
    match id {
        "functional_skills" => "Functional skills".into(),
        "completion" => "Completion".into(),
        "progression" => "Progression".into(),
        other => other.replace('_', " "),
    }
}

/// Score one employer from its publication only.
pub fn score(e: &Employer, publication: &Publication, p: &Params<'_>) -> Scorecard {
    let representation: BTreeMap<String, Vec<ShareDimension>> = publication
        .stages
        .iter()
        .map(|(id, tables)| {
            (id.clone(), tables.iter().map(|t| representation::score(id, &stage_title(id), t, p)).collect())
        })
        .collect();
    let outcomes: BTreeMap<String, Vec<GapDimension>> = publication
        .outcomes
        .iter()
        .map(|(id, tables)| {
            (id.clone(), tables.iter().map(|t| outcomes::score(id, &outcome_title(id), t, p)).collect())
        })
        .collect();
    let conversion =
        latest_same_period(publication, "applicants", "starts").and_then(|(a, s)| representation::conversion(a, s, p));
    let margin = p.benchmarks.method.comparable_margin.value;
    let level_pattern = latest_levels(publication).and_then(|bands| representation::level_pattern(&bands, p));
    let trends = trends(e, &representation, &outcomes, p);
    let extras = extras(publication, p);
    let practices = practices::score(e, p.benchmarks);
    let rows = rows(&representation, &outcomes, p.benchmarks);
    let headline = headline(&rows, &practices);
    Scorecard {
        headline,
        rows,
        representation,
        outcomes,
        conversion_judgement: conversion.map(|c| Judgement::of_gap(c.lo, c.hi, margin)),
        conversion,
        level_pattern,
        trends,
        extras,
        practices,
        benchmark_set: p.benchmarks.id.clone(),
    }
}

fn latest_same_period<'a>(
    publication: &'a Publication,
    a: &str,
    b: &str,
) -> Option<(&'a crate::privacy::StageCells, &'a crate::privacy::StageCells)> {
    let x = publication.stages.get(a)?.last()?;
    let y = publication.stages.get(b)?.last()?;
    (x.period == y.period).then_some((x, y))
}

fn latest_levels(publication: &Publication) -> Option<Vec<(&str, &crate::privacy::StageCells)>> {
    let bands: Vec<(&str, &crate::privacy::StageCells)> = publication
        .stages
        .iter()
        .filter(|(id, _)| id.starts_with("level_"))
        .filter_map(|(id, t)| t.last().map(|c| (id.as_str(), c)))
        .collect();
    let period = bands.first()?.1.period;
    bands.iter().all(|(_, c)| c.period == period).then_some(bands)
}

fn trends(
    e: &Employer,
    representation: &BTreeMap<String, Vec<ShareDimension>>,
    outcomes: &BTreeMap<String, Vec<GapDimension>>,
    p: &Params<'_>,
) -> BTreeMap<String, Vec<Change>> {
    let set_of = |period: Period| e.years.iter().find(|y| y.year == period.to).map(|y| y.benchmark_set.clone());
    let mut out = BTreeMap::new();
    let series = representation
        .iter()
        .map(|(id, dims)| {
            (id.clone(), dims.iter().map(|d| (d.period, d.cells.working_class, d.cells.classified)).collect::<Vec<_>>())
        })
        .chain(outcomes.iter().map(|(id, dims)| {
            (
                id.clone(),
                dims.iter().map(|d| (d.period, d.cells.working_class.achieved, d.cells.working_class.due)).collect(),
            )
        }));
    for (id, points) in series {
        let changes: Vec<Change> = points
            .windows(2)
            .filter_map(|w| {
                let (p0, x0, n0) = w[0];
                let (p1, x1, n1) = w[1];
                let (x0, n0, x1, n1) = (x0.shown()?, n0.shown()?, x1.shown()?, n1.shown()?);
                if n0 < p.threshold || n1 < p.threshold {
                    return None;
                }
                let change = newcombe(x1, n1, x0, n0, p.z());
                Some(Change {
                    from: p0,
                    to: p1,
                    clear: change.lo > 0.0 || change.hi < 0.0,
                    break_in_series: set_of(p0) != set_of(p1),
                    change,
                })
            })
            .collect();
        if !changes.is_empty() {
            out.insert(id, changes);
        }
    }
    out
}

fn extras(publication: &Publication, p: &Params<'_>) -> Vec<ExtraResult> {
    let target = p.benchmarks.extra_questions_response_target.value;
    let mut out = Vec::new();
    for q in &p.benchmarks.extra_questions {
        let Some(cells) = publication.extra.get(&q.id).and_then(|v| v.last()) else { continue };
        let (response_rate, provisional) = representation::response(cells.answered, cells.asked, target);
        let b = q.benchmark.value;
        let judgement = judge_over(cells.yes, cells.answered, p.threshold, |x, n| {
            let e = wilson(x, n, p.z());
            Judgement::of_share(e.lo, e.hi, b)
        })
        .unwrap_or(Judgement::NotEnoughData);
        let share = match (cells.yes.shown(), cells.answered.shown()) {
            (Some(x), Some(n)) if n >= p.threshold => Some(wilson(x, n, p.z())),
            _ => None,
        };
        out.push(ExtraResult {
            id: q.id.clone(),
            label: q.label.clone(),
            comparator: q.comparator.clone(),
            benchmark: b,
            period: cells.period,
            cells: cells.clone(),
            share,
            response_rate,
            response_target: target,
            provisional,
            judgement,
        });
    }
    out
}

fn status_of(j: Judgement, provisional: bool) -> RowStatus {
    if provisional {
        return RowStatus::NotAssessable;
    }
    match j.tone() {
        Tone::Meets => RowStatus::Met,
        Tone::Misses => RowStatus::Missed,
        Tone::Unclear => RowStatus::NotAssessable,
    }
}

/// One row per toolkit category, from its latest period. Levels: the weakest assessable band.
fn rows(
    representation: &BTreeMap<String, Vec<ShareDimension>>,
    outcomes: &BTreeMap<String, Vec<GapDimension>>,
    set: &BenchmarkSet,
) -> Vec<CategoryRow> {
    set.categories
        .iter()
        .map(|c| {
            let latest: Vec<(Judgement, bool, Period)> = match (c.kind, c.id.as_str()) {
                (CategoryKind::Representation, "levels") => representation
                    .iter()
                    .filter(|(id, _)| id.starts_with("level_"))
                    .filter_map(|(_, d)| d.last())
                    .map(|d| (d.judgement, d.provisional, d.period))
                    .collect(),
                (CategoryKind::Representation, id) => representation
                    .get(id)
                    .and_then(|d| d.last())
                    .map(|d| (d.judgement, d.provisional, d.period))
                    .into_iter()
                    .collect(),
                (CategoryKind::Outcome, id) => outcomes
                    .get(id)
                    .and_then(|d| d.last())
                    .map(|d| (d.judgement, false, d.period))
                    .into_iter()
                    .collect(),
            };
            let statuses: Vec<RowStatus> = latest.iter().map(|&(j, pr, _)| status_of(j, pr)).collect();
            // The weakest band decides: a band below benchmark is a miss even if others meet.
            let pick = latest
                .iter()
                .zip(&statuses)
                .min_by_key(|(_, s)| match s {
                    RowStatus::Missed => 0,
                    RowStatus::Met => 1,
                    RowStatus::NotAssessable => 2,
                })
                .map(|(l, s)| (*l, *s));
            let status = if statuses.contains(&RowStatus::Missed) {
                RowStatus::Missed
            } else if statuses.contains(&RowStatus::Met) {
                RowStatus::Met
            } else {
                RowStatus::NotAssessable
            };
            let (judgement, provisional, period) = match pick {
                Some(((j, pr, per), _)) => (j, pr, Some(per)),
                None => (Judgement::NotEnoughData, false, None),
            };
            CategoryRow {
                id: c.id.clone(),
                title: c.label.clone(),
                kind: c.kind,
                judgement,
                provisional,
                period,
                status,
            }
        })
        .collect()
}

fn headline(rows: &[CategoryRow], pr: &PracticeSummary) -> Headline {
    let met = rows.iter().filter(|r| r.status == RowStatus::Met).count();
    let not_assessable = rows.iter().filter(|r| r.status == RowStatus::NotAssessable).count();
    let assessable = rows.len() - not_assessable;
    let mut text = format!(
        "{met} of {assessable} assessable data targets met ({not_assessable} not assessable); {} of {} must-have practices in place",
        pr.in_place, pr.applicable
    );
    if pr.applicable < pr.total {
        text.push_str(&format!(" ({} not applicable)", pr.total - pr.applicable));
    }
    Headline {
        met,
        assessable,
        not_assessable,
        practices_in_place: pr.in_place,
        practices_partial: pr.partial,
        practices_applicable: pr.applicable,
        practices_total: pr.total,
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn favourable_bound_still_judges_when_robust() {
        // 200 starts with a withheld working-class count: below benchmark even at 9.
        let j = judge_over(Count::Hidden { lo: 1, hi: Some(9) }, Count::Shown(200), 10, |x, n| {
            let e = wilson(x, n, 1.96);
            Judgement::of_share(e.lo, e.hi, 0.39)
        });
        assert_eq!(j, Ok(Judgement::BelowBenchmark));
    }

    #[test]
    fn withheld_count_with_ambiguous_range_is_not_enough_data() {
        let j = judge_over(Count::Hidden { lo: 1, hi: Some(30) }, Count::Shown(40), 10, |x, n| {
            let e = wilson(x, n, 1.96);
            Judgement::of_share(e.lo, e.hi, 0.39)
        });
        assert!(j.is_err());
    }

    #[test]
    fn under_threshold_total_is_not_enough_data() {
        let j = judge_over(Count::Shown(3), Count::Shown(8), 10, |_, _| Judgement::InLine);
        assert_eq!(j, Err("fewer than 10 answers".to_string()));
    }

    #[test]
    fn stage_titles() {
        assert_eq!(stage_title("level_4_5"), "Level 4–5");
        assert_eq!(stage_title("makeup"), "Overall make-up");
    }
}
