//! Scoring: judgements on the publishable tables against the selected benchmark set.
//! Pure functions: a [`Publication`] and the benchmark data in, a [`Scorecard`] out. Every
//! constant comes from the benchmark set or `site.yaml`.

pub mod judgement;
pub mod outcomes;
pub mod practices;
pub mod representation;
pub mod stats;

use crate::model::benchmarks::{BenchmarkSet, CategoryKind};
use crate::model::employer::Employer;
use crate::model::ids::{Band, Measure, Outcome, Stage};
use crate::privacy::{Count, Period, Publication, StageCells, YesNoCells};
pub use judgement::{Judgement, Tone, Verdict};
use outcomes::GapDimension;
use practices::PracticeSummary;
use representation::ShareDimension;
use serde::Serialize;
use stats::{Estimate, newcombe, wilson};
use std::collections::{BTreeMap, BTreeSet};

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
    let mut tried: Vec<[(u64, u64); K]> = Vec::with_capacity(1 << (2 * K));
    for mask in 0..(1u32 << (2 * K)) {
        let point: [(u64, u64); K] = std::array::from_fn(|i| {
            let ((xlo, xhi), (nlo, nhi)) = ranges[i];
            let n = if mask >> (2 * i) & 1 == 0 { nlo } else { nhi };
            let x = if mask >> (2 * i + 1) & 1 == 0 { xlo } else { xhi };
            (x.min(n), n)
        });
        // Shown counts make most corners the same point; judge each point once.
        if tried.contains(&point) {
            continue;
        }
        tried.push(point);
        let j = f(point);
        match seen {
            None => seen = Some(j),
            Some(s) if s != j => return Err("a withheld count the judgement needs".into()),
            _ => {}
        }
    }
    seen.ok_or_else(|| "no data".into())
}

/// Level bands at 4 and above: where the toolkit locates the levels gap, so the levels row's one
/// pre-specified test is on their combined share.
pub const HIGHER_LEVELS: [Stage; 2] = [Stage::Level(Band::L4To5), Stage::Level(Band::L6To7)];
pub const LOWER_LEVELS: [Stage; 2] = [Stage::Level(Band::L2), Stage::Level(Band::L3)];

/// A year-over-year change in the working-class share (or rate).
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub from: Period,
    pub to: Period,
    pub change: Estimate,
    /// The interval excludes zero and the series is unbroken: a change is never called clear
    /// across a change of benchmark set or question.
    pub clear: bool,
    /// The benchmark set or question changed between the two periods.
    pub break_in_series: bool,
}

/// One dimension's changes, named as its category is.
#[derive(Debug, Clone, Serialize)]
pub struct TrendSeries {
    pub id: String,
    pub title: String,
    pub changes: Vec<Change>,
}

/// How an employer's share compares with a national figure, in words; never a target.
#[derive(Debug, Clone, Serialize)]
pub struct ContextComparison {
    /// `higher`, `lower`, `no_clear_difference` or `not_enough_data`.
    pub id: &'static str,
    pub text: String,
}

/// An extra question as national context.
#[derive(Debug, Clone, Serialize)]
pub struct ExtraResult {
    pub id: String,
    pub label: String,
    pub comparator: String,
    pub benchmark: f64,
    /// Which answer the share counts (`yes` or `no`).
    pub share_of: crate::model::benchmarks::Answer,
    pub period: Period,
    pub cells: YesNoCells,
    pub share: Option<Estimate>,
    pub response_rate: Option<f64>,
    pub response_target: f64,
    pub response_text: Option<String>,
    pub provisional: bool,
    /// Context only: the direction against the national figure, spelled out.
    pub comparison: ContextComparison,
    /// Why the national figure is a weak comparison, when it is.
    pub weak_comparison: Option<String>,
}

/// What a row's verdict rests on, so an outside checker can recompute it from the JSON alone.
#[derive(Debug, Clone, Serialize)]
pub struct RowTest {
    /// `share_against_benchmark` or `rate_gap_and_ratio`.
    pub method: &'static str,
    /// The test in words.
    pub rule: String,
    /// Level bands (or stage) whose counts were used.
    pub uses: Vec<String>,
    /// `uses` in words.
    pub uses_text: String,
    /// The counts used: `working_class` and `classified` for shares; `working_class_achieved`,
    /// `working_class_due`, `professional_achieved`, `professional_due` for rates.
    pub counts: BTreeMap<&'static str, Count>,
    /// The share's Wilson interval, or the gap's Newcombe interval (absent when a count is withheld).
    pub interval: Option<Estimate>,
    pub benchmark: Option<f64>,
    pub margin: f64,
    /// Rates only: working-class rate over professional rate, Koopman's score interval.
    pub ratio: Option<Estimate>,
    pub ratio_bounds: Option<(f64, f64)>,
    pub z: f64,
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
    /// Met, not met, inconclusive (too few to tell), or not assessable (no data, low response).
    pub verdict: Verdict,
    pub test: Option<RowTest>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Headline {
    pub met: usize,
    pub not_met: usize,
    pub inconclusive: usize,
    pub not_assessable: usize,
    /// Rows with enough data to test: met + not met + inconclusive.
    pub assessable: usize,
    pub total: usize,
    pub practices_in_place: usize,
    pub practices_partial: usize,
    pub practices_applicable: usize,
    pub practices_total: usize,
    /// "2 of 7 data targets met, 1 not met, 1 too few to tell, 3 not assessable", or "Data
    /// targets not yet assessable" when nothing could be tested.
    pub targets_text: String,
    /// `targets_text` and the practices: the sentence at the top of the scorecard.
    pub text: String,
}

/// Everything the site says about one employer's figures.
#[derive(Debug, Clone, Serialize)]
pub struct Scorecard {
    pub headline: Headline,
    pub rows: Vec<CategoryRow>,
    /// One dimension per published period, oldest first.
    pub representation: BTreeMap<Stage, Vec<ShareDimension>>,
    pub outcomes: BTreeMap<Outcome, Vec<GapDimension>>,
    pub conversion: Option<representation::Conversion>,
    pub level_pattern: Option<LevelPattern>,
    /// In pipeline order.
    pub trends: Vec<TrendSeries>,
    pub extras: Vec<ExtraResult>,
    pub practices: PracticeSummary,
    pub benchmark_set: String,
}

/// Working-class share at levels 4 and above minus the share at levels 2 and 3, from the bands
/// with data in the latest period. Description only: it is not a target.
#[derive(Debug, Clone, Serialize)]
pub struct LevelPattern {
    pub period: Period,
    pub bands: Vec<Stage>,
    /// The bands in words, e.g. "Level 2, Level 3, Level 4–5".
    pub bands_text: String,
    pub difference: Estimate,
}

/// Score one employer from its publication only. Scoring never pools years: each judgement is on
/// one published period, so a stock (make-up, level bands) is never counted twice.
pub fn score(e: &Employer, publication: &Publication, p: &Params<'_>) -> Scorecard {
    let mut representation: BTreeMap<Stage, Vec<ShareDimension>> = publication
        .stages
        .iter()
        .map(|(&id, tables)| (id, tables.iter().map(|t| representation::score(id.id(), &id.title(), t, p)).collect()))
        .collect();
    let mut outcomes: BTreeMap<Outcome, Vec<GapDimension>> = publication
        .outcomes
        .iter()
        .map(|(&id, tables)| (id, tables.iter().map(|t| outcomes::score(id.id(), &id.title(), t, p)).collect()))
        .collect();
    // Breaks are marked on the dimensions themselves: pages and charts are made after the raw
    // years (which say which set each year used) are released.
    for dims in representation.values_mut() {
        for i in 1..dims.len() {
            dims[i].break_before = breaks_series(e, dims[i - 1].period, dims[i].period);
        }
    }
    for dims in outcomes.values_mut() {
        for i in 1..dims.len() {
            dims[i].break_before = breaks_series(e, dims[i - 1].period, dims[i].period);
        }
    }
    let conversion = latest_same_period(publication, Stage::Applicants, Stage::Starts)
        .and_then(|(a, s)| representation::conversion(a, s, p));
    let level_pattern = level_pattern(publication, p);
    let trends = trends(e, &representation, &outcomes, p);
    let extras = extras(publication, p);
    let practices = practices::score(e, p.benchmarks);
    let rows = rows(publication, &representation, &outcomes, p);
    let headline = headline(&rows, &practices);
    Scorecard {
        headline,
        rows,
        representation,
        outcomes,
        conversion,
        level_pattern,
        trends,
        extras,
        practices,
        benchmark_set: p.benchmarks.id.clone(),
    }
}

fn latest_same_period(
    publication: &Publication,
    a: Stage,
    b: Stage,
) -> Option<(&crate::privacy::StageCells, &crate::privacy::StageCells)> {
    let x = publication.stages.get(&a)?.last()?;
    let y = publication.stages.get(&b)?.last()?;
    (x.period == y.period).then_some((x, y))
}

/// The latest period in which any of `bands` has a table, and each such band's table for it.
fn latest_bands<'a>(publication: &'a Publication, bands: &[Stage]) -> Option<(Period, Vec<(Stage, &'a StageCells)>)> {
    let tables = || bands.iter().filter_map(|id| publication.stages.get(id).map(|t| (*id, t)));
    let period = tables().filter_map(|(_, t)| t.last().map(|c| c.period)).max_by_key(|p| (p.to, p.from))?;
    let found = tables().filter_map(|(id, t)| t.iter().find(|c| c.period == period).map(|c| (id, c))).collect();
    Some((period, found))
}

/// The level pattern from the bands with data in the latest period (a band with no table that
/// year is left out, not allowed to hide the pattern).
fn level_pattern(publication: &Publication, p: &Params<'_>) -> Option<LevelPattern> {
    let all: Vec<Stage> = LOWER_LEVELS.iter().chain(HIGHER_LEVELS.iter()).copied().collect();
    let (period, bands) = latest_bands(publication, &all)?;
    let difference = representation::level_pattern(&bands, p)?;
    let bands_text = bands.iter().map(|(id, _)| id.title()).collect::<Vec<_>>().join(", ");
    Some(LevelPattern { period, bands: bands.into_iter().map(|(id, _)| id).collect(), bands_text, difference })
}

fn trends(
    e: &Employer,
    representation: &BTreeMap<Stage, Vec<ShareDimension>>,
    outcomes: &BTreeMap<Outcome, Vec<GapDimension>>,
    p: &Params<'_>,
) -> Vec<TrendSeries> {
    let mut out = Vec::new();
    for id in Measure::PIPELINE {
        let points: Vec<(Period, Count, Count)> = match id {
            Measure::Stage(s) => match representation.get(&s) {
                Some(dims) => dims.iter().map(|d| (d.period, d.cells.working_class, d.cells.classified)).collect(),
                None => continue,
            },
            Measure::Outcome(o) => match outcomes.get(&o) {
                Some(dims) => {
                    dims.iter().map(|d| (d.period, d.cells.working_class.achieved, d.cells.working_class.due)).collect()
                }
                None => continue,
            },
        };
        let changes: Vec<Change> = points.windows(2).filter_map(|w| change(e, w[0], w[1], p)).collect();
        if !changes.is_empty() {
            out.push(TrendSeries { id: id.id().to_string(), title: id.title(), changes });
        }
    }
    out
}

/// Whether the figures of two periods were collected under different benchmark sets.
pub fn breaks_series(e: &Employer, from: Period, to: Period) -> bool {
    let sets: BTreeSet<&str> =
        e.reported.iter().filter(|y| (from.from..=to.to).contains(&y.year)).map(|y| y.benchmark_set.as_str()).collect();
    sets.len() > 1
}

fn change(e: &Employer, a: (Period, Count, Count), b: (Period, Count, Count), p: &Params<'_>) -> Option<Change> {
    let (p0, x0, n0) = a;
    let (p1, x1, n1) = b;
    let (x0, n0, x1, n1) = (x0.shown()?, n0.shown()?, x1.shown()?, n1.shown()?);
    if n0 < p.threshold || n1 < p.threshold {
        return None;
    }
    let change = newcombe(x1, n1, x0, n0, p.z());
    let break_in_series = breaks_series(e, p0, p1);
    Some(Change {
        from: p0,
        to: p1,
        clear: !break_in_series && (change.lo > 0.0 || change.hi < 0.0),
        break_in_series,
        change,
    })
}

fn extras(publication: &Publication, p: &Params<'_>) -> Vec<ExtraResult> {
    let target = p.benchmarks.extra_questions_response_target.value;
    let mut out = Vec::new();
    for q in &p.benchmarks.extra_questions {
        let Some(cells) = publication.extra.get(&q.id).and_then(|v| v.last()) else { continue };
        let (response_rate, provisional) = representation::response(cells.answered, cells.asked, target);
        let b = q.benchmark.value;
        let counted = match q.share_of {
            crate::model::benchmarks::Answer::Yes => cells.yes,
            crate::model::benchmarks::Answer::No => cells.no,
        };
        let side = judge_over(counted, cells.answered, p.threshold, |x, n| {
            let e = wilson(x, n, p.z());
            // Only the side of the national figure matters here; the margin plays no part.
            Judgement::of_share(e.lo, e.hi, b, 1.0)
        });
        let share = match (counted.shown(), cells.answered.shown()) {
            (Some(x), Some(n)) if n >= p.threshold => Some(wilson(x, n, p.z())),
            _ => None,
        };
        out.push(ExtraResult {
            id: q.id.clone(),
            label: q.label.clone(),
            comparator: q.comparator.clone(),
            benchmark: b,
            share_of: q.share_of,
            period: cells.period,
            cells: cells.clone(),
            share,
            response_rate,
            response_target: target,
            response_text: response_rate.map(|r| representation::rate_against(r, target)),
            provisional,
            comparison: context_comparison(side.ok(), q),
            weak_comparison: q.weak_comparison.clone(),
        });
    }
    out
}

/// "Fewer than the national figure, which suggests wider access": direction in words, never ✓/✗.
fn context_comparison(side: Option<Judgement>, q: &crate::model::benchmarks::ExtraQuestion) -> ContextComparison {
    use crate::model::benchmarks::Direction;
    let (id, more) = match side {
        Some(Judgement::AboveBenchmark) => ("higher", true),
        Some(Judgement::BelowBenchmark) => ("lower", false),
        Some(_) => {
            return ContextComparison {
                id: "no_clear_difference",
                text: "No clear difference from the national figure".into(),
            };
        }
        None => return ContextComparison { id: "not_enough_data", text: "Not enough data to compare".into() },
    };
    let wider = matches!((q.wider_access_when, more), (Direction::More, true) | (Direction::Fewer, false));
    let word = if more { "Higher" } else { "Lower" };
    let suggests = if wider { "suggests wider access" } else { "suggests narrower access" };
    ContextComparison { id, text: format!("{word} than the national figure, which {suggests}") }
}

/// The sum of several published counts, as a reader could infer it.
fn sum_counts(counts: &[Count]) -> Count {
    if let Some(v) = counts.iter().map(|c| c.shown()).sum::<Option<u64>>() {
        return Count::Shown(v);
    }
    let lo = counts.iter().map(|c| c.range().0).sum();
    let hi = counts.iter().map(|c| c.range().1).sum::<Option<u64>>();
    Count::Hidden { lo, hi }
}

/// A representation row: one test of the working-class share of `tables` (summed when several
/// bands of one period) against the benchmark.
fn share_row(tables: &[(Stage, &StageCells)], provisional: bool, p: &Params<'_>) -> (Judgement, RowTest) {
    let b = p.benchmarks.key_question.working_class.value;
    let margin = p.benchmarks.method.comparable_margin.value;
    let z = p.z();
    let x = sum_counts(&tables.iter().map(|(_, c)| c.working_class).collect::<Vec<_>>());
    let n = sum_counts(&tables.iter().map(|(_, c)| c.classified).collect::<Vec<_>>());
    let judgement = judge_over(x, n, p.threshold, |x, n| {
        let e = wilson(x, n, z);
        Judgement::of_share(e.lo, e.hi, b, margin)
    })
    .unwrap_or(Judgement::NotEnoughData);
    let interval = match (x.shown(), n.shown()) {
        (Some(x), Some(n)) if n >= p.threshold => Some(wilson(x, n, z)),
        _ => None,
    };
    let rule = format!(
        "Wilson interval of working_class / classified: met if its lower end is above the benchmark or within {margin} of it; not met if its upper end is below the benchmark; otherwise too few to tell{}",
        if provisional { ". Response under target: not assessable" } else { "" }
    );
    let test = RowTest {
        method: "share_against_benchmark",
        rule,
        uses: tables.iter().map(|(id, _)| id.id().to_string()).collect(),
        uses_text: tables.iter().map(|(id, _)| id.title()).collect::<Vec<_>>().join(", "),
        counts: BTreeMap::from([("working_class", x), ("classified", n)]),
        interval,
        benchmark: Some(b),
        margin,
        ratio: None,
        ratio_bounds: None,
        z,
    };
    (judgement, test)
}

fn rate_row(d: &GapDimension, p: &Params<'_>) -> RowTest {
    let c = &d.cells;
    RowTest {
        method: "rate_gap_and_ratio",
        rule: format!(
            "Newcombe interval of working-class rate minus professional rate, Koopman interval of their ratio: higher or lower if the gap's interval excludes 0; comparable (met) only if the gap's interval lies within ±{} and the ratio's within {}–{}; otherwise no clear difference (inconclusive)",
            d.margin, d.ratio_bounds.0, d.ratio_bounds.1
        ),
        uses: vec![d.measure.clone()],
        uses_text: d.title.clone(),
        counts: BTreeMap::from([
            ("working_class_achieved", c.working_class.achieved),
            ("working_class_due", c.working_class.due),
            ("professional_achieved", c.professional.achieved),
            ("professional_due", c.professional.due),
        ]),
        interval: d.gap,
        benchmark: None,
        margin: d.margin,
        ratio: d.ratio,
        ratio_bounds: Some(d.ratio_bounds),
        z: p.z(),
    }
}

fn verdict_of(j: Judgement, provisional: bool) -> Verdict {
    if provisional { Verdict::NotAssessable } else { j.verdict() }
}

/// One row per toolkit category, from its latest period. Levels: one pre-specified test, the
/// working-class share at levels 4 and above (per-band figures stay as description), so the
/// row is a single 95% judgement rather than the weakest of up to four.
fn rows(
    publication: &Publication,
    representation: &BTreeMap<Stage, Vec<ShareDimension>>,
    outcomes: &BTreeMap<Outcome, Vec<GapDimension>>,
    p: &Params<'_>,
) -> Vec<CategoryRow> {
    let target = p.benchmarks.key_question.response_rate_target.value;
    p.benchmarks
        .categories
        .iter()
        .map(|c| {
            let found: Option<(Judgement, bool, Period, RowTest)> = match (c.kind, c.id.as_str()) {
                (CategoryKind::Representation, "levels") => latest_bands(publication, &HIGHER_LEVELS)
                    .filter(|(_, bands)| !bands.is_empty())
                    .map(|(period, bands)| {
                        // The response rate of the bands together, as the test is on them together.
                        let answered = sum_counts(&bands.iter().map(|(_, t)| t.answered).collect::<Vec<_>>());
                        let asked = sum_counts(&bands.iter().map(|(_, t)| t.asked).collect::<Vec<_>>());
                        let provisional = representation::response(answered, asked, target).1;
                        let (j, test) = share_row(&bands, provisional, p);
                        (j, provisional, period, test)
                    }),
                // The benchmark data names each category's stage or outcome by its id.
                (CategoryKind::Representation, id) => Stage::from_id(id).and_then(|id| {
                    representation.get(&id).and_then(|d| d.last()).map(|d| {
                        let cells = publication.stages.get(&id).and_then(|t| t.last());
                        let (_, test) = share_row(&cells.map(|t| vec![(id, t)]).unwrap_or_default(), d.provisional, p);
                        (d.judgement, d.provisional, d.period, test)
                    })
                }),
                (CategoryKind::Outcome, id) => Outcome::from_id(id)
                    .and_then(|id| outcomes.get(&id))
                    .and_then(|d| d.last())
                    .map(|d| (d.judgement, false, d.period, rate_row(d, p))),
            };
            let (judgement, provisional, period, test) = match found {
                Some((j, pr, per, t)) => (j, pr, Some(per), Some(t)),
                None => (Judgement::NotEnoughData, false, None, None),
            };
            CategoryRow {
                id: c.id.clone(),
                title: c.label.clone(),
                kind: c.kind,
                judgement,
                provisional,
                period,
                verdict: verdict_of(judgement, provisional),
                test,
            }
        })
        .collect()
}

/// "2 of 7 data targets met, 1 not met, 1 too few to tell, 3 not assessable".
pub fn targets_text(met: usize, not_met: usize, inconclusive: usize, not_assessable: usize) -> String {
    let total = met + not_met + inconclusive + not_assessable;
    if met + not_met + inconclusive == 0 {
        return "Data targets not yet assessable".into();
    }
    let mut parts = vec![format!("{met} of {total} data targets met")];
    for (k, words) in [(not_met, "not met"), (inconclusive, "too few to tell"), (not_assessable, "not assessable")] {
        if k > 0 {
            parts.push(format!("{k} {words}"));
        }
    }
    parts.join(", ")
}

fn headline(rows: &[CategoryRow], pr: &PracticeSummary) -> Headline {
    let count = |v: Verdict| rows.iter().filter(|r| r.verdict == v).count();
    let (met, not_met, inconclusive, not_assessable) =
        (count(Verdict::Met), count(Verdict::NotMet), count(Verdict::Inconclusive), count(Verdict::NotAssessable));
    let targets_text = targets_text(met, not_met, inconclusive, not_assessable);
    let mut text = format!("{targets_text}; {} of {} must-have practices in place", pr.in_place, pr.applicable);
    if pr.applicable < pr.total {
        text.push_str(&format!(" ({} not applicable)", pr.total - pr.applicable));
    }
    Headline {
        met,
        not_met,
        inconclusive,
        not_assessable,
        assessable: met + not_met + inconclusive,
        total: rows.len(),
        practices_in_place: pr.in_place,
        practices_partial: pr.partial,
        practices_applicable: pr.applicable,
        practices_total: pr.total,
        targets_text,
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
            Judgement::of_share(e.lo, e.hi, 0.39, 0.10)
        });
        assert_eq!(j, Ok(Judgement::BelowBenchmark));
    }

    #[test]
    fn withheld_count_with_ambiguous_range_is_not_enough_data() {
        let j = judge_over(Count::Hidden { lo: 1, hi: Some(30) }, Count::Shown(40), 10, |x, n| {
            let e = wilson(x, n, 1.96);
            Judgement::of_share(e.lo, e.hi, 0.39, 0.10)
        });
        assert!(j.is_err());
    }

    #[test]
    fn under_threshold_total_is_not_enough_data() {
        let j = judge_over(Count::Shown(3), Count::Shown(8), 10, |_, _| Judgement::InLine);
        assert_eq!(j, Err("fewer than 10 answers".to_string()));
    }

    #[test]
    fn headline_counts_inconclusive_apart_and_says_when_nothing_is_assessable() {
        assert_eq!(targets_text(2, 1, 1, 3), "2 of 7 data targets met, 1 not met, 1 too few to tell, 3 not assessable");
        assert_eq!(targets_text(0, 0, 0, 7), "Data targets not yet assessable");
    }

    #[test]
    fn stage_titles() {
        assert_eq!(Stage::Level(Band::L4To5).title(), "Level 4–5");
        assert_eq!(Stage::Makeup.title(), "Overall make-up");
    }
}
