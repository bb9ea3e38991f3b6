//! Scorecards on real builds: the example site's range of judgements, the methodology page's
//! citations, constants taken from data, and the small-group case end to end.

mod common;
use common::*;
use serde_json::Value;
use std::collections::BTreeSet;

/// The index, with each employer's full record (from `data/employers/<slug>.json`) folded in.
fn scorecards(dir: &std::path::Path) -> Value {
    let mut index: Value = serde_json::from_str(&read(&dir.join("output/data/scorecards.json"))).unwrap();
    for e in index["employers"].as_array_mut().unwrap() {
        let slug = e["slug"].as_str().unwrap().to_string();
        let full: Value = serde_json::from_str(&read(&dir.join(format!("output/data/employers/{slug}.json")))).unwrap();
        assert_eq!(full["scorecard"]["headline"], e["headline"], "index and record agree");
        *e = full;
    }
    index
}

/// Every judgement id (with `provisional` as its own label) across all employers.
fn labels(cards: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for e in cards["employers"].as_array().unwrap() {
        let sc = &e["scorecard"];
        for group in ["representation", "outcomes"] {
            for dims in sc[group].as_object().unwrap().values() {
                for d in dims.as_array().unwrap() {
                    out.insert(d["judgement"]["id"].as_str().unwrap().to_string());
                    if d["provisional"] == true {
                        out.insert("provisional".into());
                    }
                }
            }
        }
    }
    out
}

#[test]
fn example_site_shows_the_whole_range_of_labels() {
    let site = example_site();
    assert!(ladder(site.path(), &["build"]).status.success());
    let found = labels(&scorecards(site.path()));
    for l in [
        "above_benchmark",
        "in_line",
        "below_benchmark",
        "lower",
        "higher",
        "no_clear_difference",
        "comparable",
        "provisional",
        "not_enough_data",
    ] {
        assert!(found.contains(l), "no employer shows `{l}`: {found:?}");
    }
}

#[test]
fn methodology_cites_every_benchmark_figure() {
    let site = example_site();
    assert!(ladder(site.path(), &["build"]).status.success());
    let page = read(&site.path().join("output/methodology/index.html"))
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    let set: Value = serde_json::to_value(
        ladder::model::benchmarks::BenchmarkSet::parse(
            std::path::Path::new("b.yaml"),
            &read(&site.path().join("content/benchmarks/smc-apprenticeships-2021.yaml")),
        )
        .unwrap(),
    )
    .unwrap();
    for field in [
        "key_question.professional",
        "key_question.intermediate",
        "key_question.working_class",
        "key_question.response_rate_target",
        "extra_questions_response_target",
        "method.comparable_margin",
        "method.anonymity_threshold",
        "extra_questions.independent_school",
        "extra_questions.free_school_meals",
        "extra_questions.parent_degree_by_18",
        "method.comparable_ratio",
    ] {
        assert!(page.contains(&format!("<code>{field}</code>")), "methodology does not list {field}");
    }
    for s in set["sources"].as_array().unwrap() {
        let title = s["title"].as_str().unwrap();
        assert!(page.contains(title), "source {title} not cited");
    }
    for c in set["context"].as_array().unwrap() {
        assert!(page.contains(c["label"].as_str().unwrap()), "context figure {} missing", c["label"]);
    }
    // The worked example is computed by the code, not typed in.
    assert!(page.contains("15.8%") && page.contains("37.2%") && page.contains("Below benchmark"));
    assert!(page.contains("-35.7") && page.contains("+6.6") && page.contains("No clear difference"));
}

#[test]
fn benchmarks_and_threshold_come_from_data() {
    let site = example_site();
    assert!(ladder(site.path(), &["build"]).status.success());
    let before = scorecards(site.path());
    let lagan = |cards: &Value| {
        let e = cards["employers"].as_array().unwrap().iter().find(|e| e["slug"] == "lagan-financial").unwrap().clone();
        e["scorecard"]["representation"]["applicants"].as_array().unwrap().last().unwrap()["judgement"]["id"].clone()
    };
    assert_eq!(lagan(&before), "below_benchmark");
    // Lower the working-class benchmark in the data only: the same figures now read above it.
    let b = site.path().join("content/benchmarks/smc-apprenticeships-2021.yaml");
    let text = read(&b)
        .replace("working_class: {value: 0.39,", "working_class: {value: 0.10,")
        .replace("professional: {value: 0.37,", "professional: {value: 0.66,");
    write(&b, &text);
    assert!(ladder(site.path(), &["build"]).status.success());
    assert_eq!(lagan(&scorecards(site.path())), "above_benchmark");

    // A higher threshold in site.yaml withholds more.
    let count_c = |dir: &std::path::Path| read(&dir.join("output/data/representation.csv")).matches("[c]").count();
    let at_ten = count_c(site.path());
    let cfg = site.path().join("site.yaml");
    write(&cfg, &read(&cfg).replace("anonymity_threshold: 10", "anonymity_threshold: 25"));
    assert!(ladder(site.path(), &["build"]).status.success());
    assert!(count_c(site.path()) > at_ten, "threshold 25 must withhold more than threshold 10");
}

const SMALL: &str = r#"name: Seven Starts Ltd
sector: Science and research
region: London
size: medium
years:
  - year: 2024
    key_question:
      applicants: {asked: 400, professional: 150, intermediate: 100, working_class: 120, other: 20, prefer_not_to_say: 10}
      starts: {asked: 60, professional: 25, intermediate: 20, working_class: 7, other: 5, prefer_not_to_say: 3}
"#;

const LARGE: &str = r#"name: Large Figures plc
sector: Science and research
region: Wales
size: large
years:
  - year: 2024
    key_question:
      applicants: {asked: 900, professional: 300, intermediate: 200, working_class: 300, other: 50, prefer_not_to_say: 30}
      starts: {asked: 120, professional: 40, intermediate: 25, working_class: 35, other: 10, prefer_not_to_say: 10}
    outcomes:
      completion: {professional: {due: 50, achieved: 40}, intermediate: {due: 30, achieved: 20}, working_class: {due: 45, achieved: 30}}
"#;

#[test]
fn seven_working_class_starts_cannot_be_recovered_from_any_file() {
    let site = empty_site();
    write(&site.path().join("content/employers/seven-starts.yaml"), SMALL);
    write(&site.path().join("content/employers/large-figures.yaml"), LARGE);
    let out = ladder(site.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let output = site.path().join("output");

    let small: Value = serde_json::from_str(&read(&output.join("data/employers/seven-starts.json"))).unwrap();
    let starts = &small["tables"]["stages"]["starts"][0];
    assert_eq!(starts["working_class"], "[c]");
    // Subtraction is closed off: among the cells of the starts line, another is withheld too.
    let shown: Vec<u64> = ["professional", "intermediate", "working_class", "classified"]
        .iter()
        .filter_map(|k| starts[k].as_u64())
        .collect();
    assert!(shown.len() <= 2, "{starts}");
    let (asked, answered) = (starts["asked"].as_u64(), starts["answered"].as_u64());
    let recoverable =
        match (starts["classified"].as_u64(), starts["professional"].as_u64(), starts["intermediate"].as_u64()) {
            (Some(c), Some(p), Some(i)) => Some(c - p - i),
            _ => None,
        };
    assert_eq!(
        recoverable, None,
        "classified − professional − intermediate gives it away (asked {asked:?}, answered {answered:?})"
    );
    let dim = &small["scorecard"]["representation"]["starts"][0];
    assert!(dim["working_class_share"].is_null() && dim["ratio"].is_null(), "no share for a withheld count");

    // No file anywhere states the share 7 of 52 or 7 of 60.
    for (path, bytes) in tree(&output) {
        let text = String::from_utf8_lossy(&bytes);
        for leak in ["13.5%", "0.1346", "11.7%", "0.1167"] {
            assert!(!text.contains(leak), "{path} contains {leak}");
        }
    }
    let csv = read(&output.join("data/representation.csv"));
    let row = csv.lines().find(|l| l.starts_with("seven-starts,starts,")).unwrap();
    assert!(row.contains(",[c],") && !row.contains(",7,"), "{row}");

    // The larger employer's figures are all shown.
    let large = read(&output.join("data/employers/large-figures.json"));
    assert!(!large.contains("[c]"), "nothing of the large employer is withheld");
    let page = read(&output.join("employers/large-figures/index.html"));
    assert!(page.contains("<td>35</td>") && page.contains("30 of 45"), "large employer's counts are on its page");
}

#[test]
fn score_command_prints_table_and_json() {
    let site = example_site();
    let file = site.path().join("content/employers/northgate-rail.yaml");
    let out = ladder(site.path(), &["score", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("Northgate Rail Engineering\n"));
    assert!(text.contains("data targets met"));
    assert!(text.contains("Below benchmark"));
    let out = ladder(site.path(), &["score", "--json", file.to_str().unwrap()]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["name"], "Northgate Rail Engineering");
    assert_eq!(v["scorecard"]["rows"].as_array().unwrap().len(), 7);
}

#[test]
fn year_over_year_change_is_clear_only_when_its_interval_excludes_zero_and_breaks_are_flagged() {
    let site = empty_site();
    // The 2019 set must be named as an earlier set, or the id is rejected (issue 13, item 5).
    let b = site.path().join("content/benchmarks/smc-apprenticeships-2021.yaml");
    write(&b, &read(&b).replacen("\nsources:", "\nearlier_sets: [smc-apprenticeships-2019]\nsources:", 1));
    let file = site.path().join("content/employers/changing.yaml");
    write(
        &file,
        r#"name: Changing Ltd
sector: Science and research
region: Wales
size: large
years:
  - year: 2022
    benchmark_set: smc-apprenticeships-2019
    key_question:
      applicants: {asked: 1000, professional: 500, intermediate: 200, working_class: 200, other: 50, prefer_not_to_say: 50}
      starts: {asked: 100, professional: 35, intermediate: 25, working_class: 30, other: 5, prefer_not_to_say: 5}
  - year: 2023
    key_question:
      applicants: {asked: 1000, professional: 300, intermediate: 200, working_class: 400, other: 50, prefer_not_to_say: 50}
      starts: {asked: 100, professional: 33, intermediate: 25, working_class: 32, other: 5, prefer_not_to_say: 5}
  - year: 2024
    key_question:
      applicants: {asked: 1000, professional: 310, intermediate: 190, working_class: 400, other: 50, prefer_not_to_say: 50}
      starts: {asked: 100, professional: 34, intermediate: 24, working_class: 32, other: 5, prefer_not_to_say: 5}
"#,
    );
    let out = ladder(site.path(), &["score", "--json", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let series = |id: &str| {
        v["scorecard"]["trends"].as_array().unwrap().iter().find(|t| t["id"] == id).unwrap()["changes"].clone()
    };
    let applicants = series("applicants");
    let applicants = applicants.as_array().unwrap();
    assert_eq!(applicants.len(), 2);
    // 22% → 44% of classified: the interval excludes zero, but across a change of benchmark
    // set a change is never called clear (issue 13, item 4).
    assert!(applicants[0]["change"]["lo"].as_f64().unwrap() > 0.0);
    assert_eq!(applicants[0]["clear"], false);
    assert_eq!(applicants[0]["break_in_series"], true);
    // 44% → 44.4%: no clear change, same set.
    assert_eq!(applicants[1]["clear"], false);
    assert_eq!(applicants[1]["break_in_series"], false);
    let starts = series("starts");
    let starts = starts.as_array().unwrap();
    assert!(starts.iter().all(|c| c["clear"] == false), "small moves in 90 starts are not clear");
}
