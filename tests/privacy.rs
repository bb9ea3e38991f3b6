//! Privacy as a property: from everything published about an employer, a reader who knows every
//! total, margin, level band, percentage and other year cannot work out any group of 1 to
//! threshold−1 people. The reader here is rebuilt from the published JSON alone.

mod common;
use common::*;
use ladder::model::employer::{
    Answers, Employer, Figures, Outcome, OutcomeTable, Pledges, Region, Reported, SizeBand, Year, YesNo,
};
use ladder::model::ids::{Band, Outcome as OutcomeId, Stage};
use ladder::privacy::engine::{self, Audit, Ledger, Settings};
use ladder::privacy::{self, Publication};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use serde_json::Value;
use std::collections::BTreeMap;

const T: u64 = 10;
const KINDS: [&str; 6] =
    ["professional", "intermediate", "working_class", "other", "prefer_not_to_say", "not_answered"];

/// A generated employer plus whether its level bands add up exactly to its make-up (which a
/// reader may then use).
#[derive(Debug, Clone)]
struct Case {
    employer: Employer,
    /// The employer's raw counts, as `employer::parse` returns them beside it.
    figures: Figures,
    levels_exact: bool,
}

impl Case {
    fn new(years: Vec<Year>, levels_exact: bool) -> Case {
        let (employer, figures) = employer(years);
        Case { employer, figures, levels_exact }
    }
}

fn answers() -> impl Strategy<Value = Answers> {
    // Mostly small counts, so small cells and near-threshold totals are common.
    let c = || prop_oneof![3 => 0u32..12, 1 => 0u32..60];
    (c(), c(), c(), c(), c(), c()).prop_map(|(p, i, w, o, pn, nr)| Answers {
        asked: p + i + w + o + pn + nr,
        professional: p,
        intermediate: i,
        working_class: w,
        other: o,
        prefer_not_to_say: pn,
    })
}

fn outcome() -> impl Strategy<Value = Outcome> {
    (0u32..40).prop_flat_map(|due| (Just(due), 0..=due)).prop_map(|(due, achieved)| Outcome { due, achieved })
}

fn year(levels_exact: bool) -> impl Strategy<Value = Year> {
    (
        proptest::option::of(answers()),
        proptest::option::of(answers()),
        proptest::collection::vec(answers(), 0..=3),
        proptest::option::of(answers()),
        proptest::option::of((outcome(), outcome(), outcome())),
        proptest::option::of((0u32..30, 0u32..30, 0u32..8)),
    )
        .prop_map(move |(applicants, starts, bands, makeup, completion, school)| {
            let mut y = Year { year: 0, ..Year::default() };
            if let Some(a) = applicants {
                y.stages.insert(Stage::Applicants, a);
            }
            if let Some(s) = starts {
                y.stages.insert(Stage::Starts, s);
            }
            let ids = [Band::L2, Band::L3, Band::L4To5].map(Stage::Level);
            for (id, b) in ids.iter().zip(&bands) {
                y.stages.insert(*id, *b);
            }
            if levels_exact && !bands.is_empty() {
                let sum = |f: fn(&Answers) -> u32| bands.iter().map(f).sum::<u32>();
                y.stages.insert(
                    Stage::Makeup,
                    Answers {
                        asked: sum(|a| a.asked),
                        professional: sum(|a| a.professional),
                        intermediate: sum(|a| a.intermediate),
                        working_class: sum(|a| a.working_class),
                        other: sum(|a| a.other),
                        prefer_not_to_say: sum(|a| a.prefer_not_to_say),
                    },
                );
            } else if let Some(m) = makeup {
                y.stages.insert(Stage::Makeup, m);
            }
            if let Some((p, i, w)) = completion {
                y.outcomes
                    .insert(OutcomeId::Completion, OutcomeTable { professional: p, intermediate: i, working_class: w });
            }
            if let Some((yes, no, na)) = school {
                y.extra.insert("independent_school".into(), YesNo { asked: yes + no + na, yes, no });
            }
            y
        })
}

fn case() -> impl Strategy<Value = Case> {
    any::<bool>().prop_flat_map(|levels_exact| {
        proptest::collection::vec(year(levels_exact), 1..=3).prop_map(move |years| Case::new(years, levels_exact))
    })
}

/// An employer with `years` numbered 2022, 2023 ... whatever years they held.
fn employer(mut years: Vec<Year>) -> (Employer, Figures) {
    for (i, y) in years.iter_mut().enumerate() {
        y.year = 2022 + i as i32;
    }
    employer_as_is(years)
}

/// An employer with `years` as they are numbered.
fn employer_as_is(years: Vec<Year>) -> (Employer, Figures) {
    let reported = years
        .iter()
        .map(|y| Reported {
            year: y.year,
            benchmark_set: "smc-apprenticeships-2021".into(),
            stages: y.stages.keys().copied().collect(),
            outcomes: y.outcomes.keys().copied().collect(),
        })
        .collect();
    let employer = Employer {
        slug: "generated".into(),
        source_path: "content/employers/generated.yaml".into(),
        name: "Generated".into(),
        sector: "Testing".into(),
        region: Region::London,
        size: SizeBand::Medium,
        levy_payer: false,
        website: None,
        logo: None,
        commitment_html: String::new(),
        commitment_links: Default::default(),
        field_links: Default::default(),
        pledges: Pledges::default(),
        latest_year: years.last().map(|y| y.year),
        reported,
        practices: Default::default(),
    };
    (employer, Figures { years })
}

/// Years a published period covers, among the years that have the category.
fn years_of(period: &str, have: &[i32]) -> Vec<i32> {
    let (from, to) = match period.split_once('–') {
        Some((a, b)) => (a.parse().unwrap(), b.parse().unwrap()),
        None => (period.parse().unwrap(), period.parse().unwrap()),
    };
    have.iter().copied().filter(|y| (from..=to).contains(y)).collect()
}

/// The reader's model, built from published JSON only, plus the true small values to look for.
struct Reader {
    ledger: Ledger,
    hidden: Vec<bool>,
    /// (description, cell, true value) for every true quantity between 1 and T−1.
    targets: Vec<(String, usize, u64)>,
}

impl Reader {
    fn new() -> Self {
        Reader { ledger: Ledger::default(), hidden: Vec::new(), targets: Vec::new() }
    }

    /// An unknown count (never published on its own).
    fn unknown(&mut self, name: String, truth: u64) -> usize {
        let c = self.ledger.base_cell(0, false);
        self.hidden.push(true);
        if (1..T).contains(&truth) {
            self.targets.push((name, c, truth));
        }
        c
    }

    /// A derived quantity the reader may try to bound; published only if `published` says so.
    fn sum(&mut self, name: String, parts: &[usize], truth: u64, published: Option<&Value>) -> usize {
        let candidate = published.is_some();
        let c = self.ledger.sum_cell(parts, candidate);
        let (value, hidden) = match published {
            Some(Value::Number(n)) => (n.as_u64().unwrap(), false),
            Some(Value::String(s)) => {
                assert_eq!(s, "[c]", "{name}: only numbers or [c] may be published");
                (0, true)
            }
            Some(other) => panic!("{name}: unexpected {other}"),
            None => (0, true),
        };
        self.ledger.cells[c].value = value;
        self.hidden.push(hidden);
        if (1..T).contains(&truth) {
            self.targets.push((name, c, truth));
        }
        c
    }

    /// Every target the reader can pin to one exact value.
    fn leaks(&self) -> Vec<String> {
        let a = engine::attack(&self.ledger, &self.hidden);
        self.targets
            .iter()
            .filter(|(_, c, _)| {
                let v = self.ledger.cells[*c].var;
                a.var[v].0 == a.var[v].1 || a.determined[v]
            })
            .map(|(n, _, truth)| format!("{n} = {truth}"))
            .collect()
    }
}

fn answer_values(a: &Answers) -> [u64; 6] {
    let nr = a.asked as u64 - a.answered();
    [
        a.professional as u64,
        a.intermediate as u64,
        a.working_class as u64,
        a.other as u64,
        a.prefer_not_to_say as u64,
        nr,
    ]
}

/// Rebuild what a reader knows from the published tables and scorecard of one employer.
fn reader_for(case: &Case, tables: &Value, card: &Value) -> Reader {
    let e = &case.figures;
    let mut r = Reader::new();
    // Per (stage, year): the six base counts as unknowns, and each year's totals.
    let mut base: BTreeMap<(String, i32), [usize; 6]> = BTreeMap::new();
    for y in &e.years {
        for (typed, a) in &y.stages {
            let stage = typed.id();
            let truth = answer_values(a);
            let cells: [usize; 6] =
                std::array::from_fn(|k| r.unknown(format!("{stage} {} {}", y.year, KINDS[k]), truth[k]));
            let classified = truth[0] + truth[1] + truth[2];
            let cl = r.sum(format!("{stage} {} classified", y.year), &cells[..3], classified, None);
            r.sum(
                format!("{stage} {} answered", y.year),
                &[cl, cells[3], cells[4]],
                classified + truth[3] + truth[4],
                None,
            );
            base.insert((stage.to_string(), y.year), cells);
        }
    }
    if case.levels_exact {
        for y in &e.years {
            let bands: Vec<&[usize; 6]> =
                base.iter().filter(|((s, yr), _)| *yr == y.year && s.starts_with("level_")).map(|(_, v)| v).collect();
            if let (false, Some(m)) = (bands.is_empty(), base.get(&("makeup".to_string(), y.year))) {
                for k in 0..6 {
                    let parts: Vec<usize> = bands.iter().map(|b| b[k]).collect();
                    r.ledger.equal(&parts, &[m[k]]);
                }
            }
        }
    }
    for (stage, list) in tables["stages"].as_object().unwrap() {
        let typed = Stage::from_id(stage).expect("a stage id");
        let have: Vec<i32> = e.years.iter().filter(|y| y.stages.contains_key(&typed)).map(|y| y.year).collect();
        for t in list.as_array().unwrap() {
            let years = years_of(t["period"].as_str().unwrap(), &have);
            let per_kind = |k: usize| -> Vec<usize> { years.iter().map(|y| base[&(stage.clone(), *y)][k]).collect() };
            let truth = |k: usize| -> u64 {
                years
                    .iter()
                    .map(|y| answer_values(&e.years.iter().find(|x| x.year == *y).unwrap().stages[&typed])[k])
                    .sum()
            };
            let mut kind_cells = Vec::new();
            for (k, kind) in KINDS.iter().enumerate() {
                let c = r.sum(format!("{stage} {} {kind}", t["period"]), &per_kind(k), truth(k), Some(&t[*kind]));
                kind_cells.push(c);
            }
            r.ledger.distribution(&kind_cells[..3]);
            let cl_truth = truth(0) + truth(1) + truth(2);
            let cl = r.sum(
                format!("{stage} {} classified", t["period"]),
                &kind_cells[..3],
                cl_truth,
                Some(&t["classified"]),
            );
            let an_truth = cl_truth + truth(3) + truth(4);
            let an = r.sum(
                format!("{stage} {} answered", t["period"]),
                &[cl, kind_cells[3], kind_cells[4]],
                an_truth,
                Some(&t["answered"]),
            );
            r.sum(
                format!("{stage} {} asked", t["period"]),
                &[an, kind_cells[5]],
                an_truth + truth(5),
                Some(&t["asked"]),
            );
        }
    }
    outcomes_for(&mut r, e, tables);
    extras_for(&mut r, e, tables);
    percentages_for(&mut r, card);
    r
}

fn outcomes_for(r: &mut Reader, e: &Figures, tables: &Value) {
    for (measure, list) in tables["outcomes"].as_object().unwrap() {
        let typed = OutcomeId::from_id(measure).expect("an outcome id");
        let have: Vec<&Year> = e.years.iter().filter(|y| y.outcomes.contains_key(&typed)).collect();
        let mut base: BTreeMap<(i32, &str), (usize, usize)> = BTreeMap::new();
        for y in &have {
            let t = &y.outcomes[&typed];
            for (g, o) in
                [("professional", t.professional), ("intermediate", t.intermediate), ("working_class", t.working_class)]
            {
                let a = r.unknown(format!("{measure} {} {g} achieved", y.year), o.achieved as u64);
                let n = r.unknown(format!("{measure} {} {g} not achieved", y.year), (o.due - o.achieved) as u64);
                r.sum(format!("{measure} {} {g} due", y.year), &[a, n], o.due as u64, None);
                base.insert((y.year, g), (a, n));
            }
        }
        let years: Vec<i32> = have.iter().map(|y| y.year).collect();
        for t in list.as_array().unwrap() {
            let ys = years_of(t["period"].as_str().unwrap(), &years);
            for g in ["professional", "intermediate", "working_class"] {
                let get = |y: &i32| {
                    let t = &e.years.iter().find(|x| x.year == *y).unwrap().outcomes[&typed];
                    match g {
                        "professional" => t.professional,
                        "intermediate" => t.intermediate,
                        _ => t.working_class,
                    }
                };
                let achieved: u64 = ys.iter().map(|y| get(y).achieved as u64).sum();
                let due: u64 = ys.iter().map(|y| get(y).due as u64).sum();
                let a_parts: Vec<usize> = ys.iter().map(|y| base[&(*y, g)].0).collect();
                let n_parts: Vec<usize> = ys.iter().map(|y| base[&(*y, g)].1).collect();
                let a = r.sum(
                    format!("{measure} {} {g} achieved", t["period"]),
                    &a_parts,
                    achieved,
                    Some(&t[g]["achieved"]),
                );
                let n = r.sum(format!("{measure} {} {g} not achieved", t["period"]), &n_parts, due - achieved, None);
                r.sum(format!("{measure} {} {g} due", t["period"]), &[a, n], due, Some(&t[g]["due"]));
            }
        }
    }
}

fn extras_for(r: &mut Reader, e: &Figures, tables: &Value) {
    for (q, list) in tables["extra"].as_object().unwrap() {
        let have: Vec<&Year> = e.years.iter().filter(|y| y.extra.contains_key(q)).collect();
        let mut base: BTreeMap<i32, [usize; 3]> = BTreeMap::new();
        for y in &have {
            let v = y.extra[q];
            let truth = [v.yes as u64, v.no as u64, (v.asked - v.yes - v.no) as u64];
            let names = ["yes", "no", "not answered"];
            base.insert(y.year, std::array::from_fn(|k| r.unknown(format!("{q} {} {}", y.year, names[k]), truth[k])));
        }
        let years: Vec<i32> = have.iter().map(|y| y.year).collect();
        for t in list.as_array().unwrap() {
            let ys = years_of(t["period"].as_str().unwrap(), &years);
            let truth = |k: usize| -> u64 {
                ys.iter()
                    .map(|y| {
                        let v = e.years.iter().find(|x| x.year == *y).unwrap().extra[q];
                        [v.yes as u64, v.no as u64, (v.asked - v.yes - v.no) as u64][k]
                    })
                    .sum()
            };
            let parts = |k: usize| -> Vec<usize> { ys.iter().map(|y| base[y][k]).collect() };
            let yes = r.sum(format!("{q} {} yes", t["period"]), &parts(0), truth(0), Some(&t["yes"]));
            let no = r.sum(format!("{q} {} no", t["period"]), &parts(1), truth(1), Some(&t["no"]));
            let na = r.sum(format!("{q} {} not answered", t["period"]), &parts(2), truth(2), Some(&t["not_answered"]));
            r.ledger.distribution(&[yes, no]);
            let an =
                r.sum(format!("{q} {} answered", t["period"]), &[yes, no], truth(0) + truth(1), Some(&t["answered"]));
            r.sum(format!("{q} {} asked", t["period"]), &[an, na], truth(0) + truth(1) + truth(2), Some(&t["asked"]));
        }
    }
}

/// A published percentage with a published base gives its numerator away; make sure every
/// published share is consistent with a shown numerator (so nothing new is learnt from it).
fn percentages_for(_r: &mut Reader, card: &Value) {
    for dims in card["representation"].as_object().unwrap().values() {
        for d in dims.as_array().unwrap() {
            if let Some(share) = d["working_class_share"]["value"].as_f64() {
                let wc = d["cells"]["working_class"].as_u64().expect("a share is published only with its count");
                let n = d["cells"]["classified"].as_u64().expect("a share is published only with its base");
                assert!((share * n as f64 - wc as f64).abs() < 1e-6);
            } else {
                assert!(d["ratio"].is_null());
            }
            if d["response_rate"].as_f64().is_some() {
                assert!(d["cells"]["answered"].is_u64() && d["cells"]["asked"].is_u64());
            }
        }
    }
    for dims in card["outcomes"].as_object().unwrap().values() {
        for d in dims.as_array().unwrap() {
            for g in ["working_class", "professional", "intermediate"] {
                if !d[format!("{g}_rate")].is_null() {
                    assert!(
                        d["cells"][g]["achieved"].is_u64() && d["cells"][g]["due"].is_u64(),
                        "rate of a withheld count"
                    );
                }
            }
            if !d["gap"].is_null() {
                assert!(d["cells"]["working_class"]["achieved"].is_u64() && d["cells"]["professional"]["due"].is_u64());
            }
        }
    }
}

fn published(case: &Case, secondary: bool) -> (Value, Value, Publication) {
    let set_text = read(&repo().join("content/benchmarks/smc-apprenticeships-2021.yaml"));
    let set = ladder::model::benchmarks::BenchmarkSet::parse(std::path::Path::new("b.yaml"), &set_text).unwrap();
    let publication =
        privacy::publish(case.figures.clone(), Settings { threshold: T, secondary, audit: Audit::Solver });
    let card = ladder::scoring::score(
        &case.employer,
        &publication,
        &ladder::scoring::Params { benchmarks: &set, threshold: T },
    );
    (serde_json::to_value(&publication).unwrap(), serde_json::to_value(&card).unwrap(), publication)
}

proptest! {
    // 400 cases in CI; set PROPTEST_CASES for a longer hunt.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(400),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn no_small_group_can_be_recovered(case in case()) {
        let (tables, card, _) = published(&case, true);
        let leaks = reader_for(&case, &tables, &card).leaks();
        prop_assert!(leaks.is_empty(), "recoverable: {leaks:?}\ntables: {tables}");
    }
}

/// The same reader must catch leaks when secondary suppression is off, or it proves nothing.
#[test]
fn reader_finds_leaks_without_secondary_suppression() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut leaky = 0;
    for _ in 0..200 {
        let case = case().new_tree(&mut runner).unwrap().current();
        let (tables, card, _) = published(&case, false);
        if !reader_for(&case, &tables, &card).leaks().is_empty() {
            leaky += 1;
        }
    }
    assert!(leaky > 20, "primary suppression alone should leak often; leaked in {leaky} of 200");
}

/// A hand-made case: 7 working-class starts are recoverable by subtraction with primary
/// suppression only, and not with the full rules.
#[test]
fn seven_starts_by_subtraction() {
    let a = Answers { asked: 60, professional: 25, intermediate: 20, working_class: 7, other: 5, prefer_not_to_say: 3 };
    let mut y = Year { year: 2025, ..Year::default() };
    y.stages.insert(Stage::Starts, a);
    let case = Case::new(vec![y], false);
    let (tables, card, _) = published(&case, false);
    let leaks = reader_for(&case, &tables, &card).leaks();
    assert!(leaks.iter().any(|l| l.contains("working_class = 7")), "{leaks:?}");
    let (tables, card, _) = published(&case, true);
    assert!(reader_for(&case, &tables, &card).leaks().is_empty());
    assert_eq!(tables["stages"]["starts"][0]["working_class"], "[c]");
}

fn group(due: u32, achieved: u32) -> Outcome {
    Outcome { due, achieved }
}

/// The README says progression counts the completers. Here 40 were due to complete, 34 did
/// and 34 were due to progress: a reader taking "the completers" literally gets 40 − 34 = 6
/// who did not complete, unless more is withheld. The old audit never modelled the relation.
#[test]
fn progression_due_cannot_reveal_those_who_did_not_complete() {
    let mut y = Year { year: 2025, ..Year::default() };
    let big = |d, a| OutcomeTable { professional: group(d, a), intermediate: group(d, a), working_class: group(d, a) };
    let mut completion = big(50, 40);
    completion.professional = group(40, 34);
    let mut progression = big(40, 25);
    progression.professional = group(34, 20);
    y.outcomes.insert(OutcomeId::Completion, completion);
    y.outcomes.insert(OutcomeId::Progression, progression);
    let case = Case::new(vec![y], false);
    let (tables, _, _) = published(&case, true);
    let c = &tables["outcomes"]["completion"][0]["professional"];
    let p = &tables["outcomes"]["progression"][0]["professional"];
    assert_eq!(c["achieved"], "[c]", "34 of 40 leaves 6: completion achieved is withheld: {tables}");
    assert!(
        !(c["due"].is_u64() && p["due"].is_u64()),
        "completion due {} and progression due {} would give the 6 who did not complete",
        c["due"],
        p["due"]
    );
}

/// Make-up is a stock: a small year no longer pools the make-up with other years (which
/// counted the same apprentices two or three times); each year stands or is withheld alone.
#[test]
fn make_up_is_never_pooled_across_years() {
    let years = [(2023, 5), (2024, 30), (2025, 30)]
        .map(|(year, i)| {
            let mut y = Year { year, ..Year::default() };
            let a = Answers {
                asked: 100 + i,
                professional: 40,
                intermediate: i,
                working_class: 30,
                other: 30 - i.min(30),
                prefer_not_to_say: 0,
            };
            y.stages.insert(Stage::Makeup, a);
            y.stages.insert(Stage::Starts, a);
            y
        })
        .to_vec();
    let case = Case::new(years, false);
    let (tables, _, _) = published(&case, true);
    let periods = |stage: &str| -> Vec<String> {
        tables["stages"][stage].as_array().unwrap().iter().map(|t| t["period"].as_str().unwrap().to_string()).collect()
    };
    let makeup = periods("makeup");
    assert_eq!(makeup.len(), 3, "one table a year: {tables}");
    assert!(makeup.iter().all(|p| !p.contains('–')), "no pooled window: {makeup:?}");
    // Starts are a flow: the small year is still pooled with the others.
    let starts = periods("starts");
    assert!(starts.len() == 1 && starts[0].contains('–'), "{starts:?}");
    let latest = &tables["stages"]["makeup"][2];
    assert_eq!((latest["working_class"].as_u64(), latest["classified"].as_u64()), (Some(30), Some(100)));
}

/// Found by the attacker (tests/attacker.rs): a band whose classified answers are all in one
/// group is withheld whole, zeros included, so its professional 0 shows as `[c]`. But the
/// make-up's professional 0 and the other band's professional 0 were published, and the bands
/// add up to the make-up: 0 − 0 pinned the withheld zero. A zero cannot be withheld alone (a
/// lone `[c]` is known not to be zero), so the make-up's distribution goes whole.
#[test]
fn a_published_zero_never_pins_a_withheld_zero() {
    let answers = |asked, professional, intermediate, working_class| Answers {
        asked,
        professional,
        intermediate,
        working_class,
        other: 0,
        prefer_not_to_say: 0,
    };
    let mut y = Year { year: 2023, ..Year::default() };
    y.stages.insert(Stage::Makeup, answers(23, 0, 10, 7));
    y.stages.insert(Stage::Level(Band::L4To5), answers(9, 0, 1, 7));
    y.stages.insert(Stage::Level(Band::L6To7), answers(14, 0, 9, 0));
    let case = Case::new(vec![y], true);
    let (tables, _, _) = published(&case, true);
    let prof = |stage: &str| tables["stages"][stage][0]["professional"].clone();
    assert_eq!(prof("level_6_7"), "[c]", "the band's only group holds everyone: {tables}");
    let shown_zeros = ["makeup", "level_4_5"].iter().filter(|s| prof(s) == 0).count();
    assert!(shown_zeros < 2, "make-up 0 − band 0 pins the other band's withheld 0: {tables}");
}

/// Found by the attacker at 500 sets: completion and progression pooled as 2023–2025, with no
/// progression figures for 2024 and no working-class completers that year. A reader taking
/// the window to cover 2024 (progression 0 there, so completers 0) and "the completers"
/// literally gets working-class completers = progression due (61), so 66 − 61 = 5 who did not
/// complete. The audit now knows what that reader knows.
#[test]
fn a_year_without_progression_inside_its_window_reveals_nothing() {
    let table = |p: (u32, u32), i: (u32, u32), w: (u32, u32)| OutcomeTable {
        professional: group(p.0, p.1),
        intermediate: group(i.0, i.1),
        working_class: group(w.0, w.1),
    };
    let year = |year: i32, completion: OutcomeTable, progression: Option<OutcomeTable>| {
        let mut y = Year { year, ..Year::default() };
        y.outcomes.insert(OutcomeId::Completion, completion);
        if let Some(p) = progression {
            y.outcomes.insert(OutcomeId::Progression, p);
        }
        y
    };
    let years = vec![
        year(2023, table((61, 35), (9, 8), (28, 25)), Some(table((35, 28), (8, 0), (25, 0)))),
        year(2024, table((12, 6), (9, 4), (0, 0)), None),
        year(2025, table((25, 17), (12, 9), (38, 36)), Some(table((17, 0), (9, 4), (36, 34)))),
    ];
    let (employer, figures) = employer_as_is(years);
    assert_eq!(employer.latest_year, Some(2025));
    let case = Case { employer, figures, levels_exact: false };
    let (tables, _, _) = published(&case, true);
    let c = &tables["outcomes"]["completion"][0]["working_class"];
    let p = &tables["outcomes"]["progression"][0]["working_class"];
    assert!(
        !(c["due"].is_u64() && p["due"].is_u64()),
        "completion due {} and progression due {} give the 5 who did not complete: {tables}",
        c["due"],
        p["due"]
    );
}
