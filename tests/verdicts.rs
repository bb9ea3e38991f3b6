//! Issue 13: verdicts a statistician would sign. One small employer per numbered item, built
//! into a site, with the corrected verdict read back from its page, its JSON record and the CSV.

mod common;
use common::*;
use serde_json::Value;

/// What a build published about one employer.
struct Published {
    page: String,
    json: Value,
    employers_csv: String,
    representation_csv: String,
    outcomes_csv: String,
    stderr: String,
    dir: tempfile::TempDir,
}

impl Published {
    fn card(&self) -> &Value {
        &self.json["scorecard"]
    }
    fn row(&self, id: &str) -> &Value {
        self.card()["rows"].as_array().unwrap().iter().find(|r| r["id"] == id).unwrap()
    }
    /// The `data/employers.csv` cell of this employer in `column`.
    fn employer_cell(&self, column: &str) -> String {
        let mut lines = self.employers_csv.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let i = header.iter().position(|h| *h == column).unwrap_or_else(|| panic!("no column {column}"));
        let row = lines.find(|l| l.starts_with("test-employer,")).unwrap();
        row.split(',').nth(i).unwrap().to_string()
    }
}

fn employer(years: &str) -> String {
    format!("name: Test Employer\nsector: Science and research\nregion: Wales\nsize: large\nyears:\n{years}")
}

/// Build a site holding one employer (`test-employer`), after `prepare` has edited the site.
fn publish_with(years: &str, prepare: impl Fn(&std::path::Path)) -> Published {
    let dir = empty_site();
    write(&dir.path().join("content/employers/test-employer.yaml"), &employer(years));
    prepare(dir.path());
    let out = ladder(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let o = dir.path().join("output");
    Published {
        page: read(&o.join("employers/test-employer/index.html"))
            .replace("&#x27;", "'")
            .replace("&#39;", "'")
            .replace("&quot;", "\""),
        json: serde_json::from_str(&read(&o.join("data/employers/test-employer.json"))).unwrap(),
        employers_csv: read(&o.join("data/employers.csv")),
        representation_csv: read(&o.join("data/representation.csv")),
        outcomes_csv: read(&o.join("data/outcomes.csv")),
        stderr: stderr(&out),
        dir,
    }
}

fn publish(years: &str) -> Published {
    publish_with(years, |_| {})
}

/// The benchmark file of a test site, with `earlier_sets` naming a 2019 set.
fn allow_2019_set(dir: &std::path::Path) {
    let b = dir.join("content/benchmarks/smc-apprenticeships-2021.yaml");
    let text = read(&b).replacen("\nsources:", "\nearlier_sets: [smc-apprenticeships-2019]\nsources:", 1);
    write(&b, &text);
}

// Item 1: extra questions are context, never ✓/✗, with the direction in words.
#[test]
fn item01_independent_school_share_is_context_with_its_direction_not_a_met_target() {
    let p = publish(
        r#"  - year: 2024
    key_question:
      starts: {asked: 300, professional: 100, intermediate: 80, working_class: 110}
    extra_questions:
      independent_school: {asked: 300, yes: 100, no: 200}
"#,
    );
    let x = &p.card()["extras"][0];
    assert_eq!(x["id"], "independent_school");
    assert!(x.get("judgement").is_none(), "an extra question carries no target judgement: {x}");
    assert_eq!(x["comparison"]["id"], "higher");
    let text = "Higher than the national figure, which suggests narrower access";
    assert_eq!(x["comparison"]["text"], text);
    let section = p.page.split("id=\"extra-h\"").nth(1).unwrap().split("</section>").next().unwrap();
    assert!(section.contains(text), "{section}");
    assert!(!section.contains('✓') && !section.contains('✗'), "no tick or cross on context: {section}");
    // Not part of the headline or the CSV's target columns either.
    assert_eq!(p.card()["rows"].as_array().unwrap().len(), 7);
    assert!(!p.employers_csv.contains("independent_school"));
}

#[test]
fn item01_first_generation_comparison_says_it_is_weak() {
    let p = publish(
        r#"  - year: 2024
    extra_questions:
      free_school_meals: {asked: 200, yes: 60, no: 140}
      parent_degree_by_18: {asked: 200, yes: 40, no: 160}
"#,
    );
    let extras = p.card()["extras"].as_array().unwrap();
    let fsm = extras.iter().find(|x| x["id"] == "free_school_meals").unwrap();
    assert_eq!(fsm["comparison"]["text"], "Higher than the national figure, which suggests wider access");
    let pd = extras.iter().find(|x| x["id"] == "parent_degree_by_18").unwrap();
    assert!(pd["weak_comparison"].as_str().unwrap().contains("share of graduates"), "{pd}");
    assert!(p.page.contains("Weak comparison: The national figure is a share of graduates"));
}

// Item 2: a printed rate never contradicts its label.
#[test]
fn item02_response_rate_near_the_target_is_printed_so_it_agrees_with_the_label() {
    let p = publish(
        r#"  - year: 2024
    key_question:
      starts: {asked: 200, professional: 50, intermediate: 31, working_class: 50}
"#,
    );
    let d = &p.card()["representation"]["starts"][0];
    assert_eq!(d["provisional"], true);
    assert_eq!(d["response_text"], "65.5% vs 66% target");
    assert!(p.page.contains("Provisional – low response (65.5% vs 66% target)"), "page");
    assert!(!p.page.contains("66% vs 66%"));
    let row = p.representation_csv.lines().find(|l| l.starts_with("test-employer,starts,")).unwrap();
    assert!(row.contains(",0.6550,") && row.ends_with(",true"), "{row}");
}

// Item 2, the same rule for shares: a printed share lies inside its own printed interval (an outside
// check saw "0% (0.2–0.3%)" for 500 working-class starts of 200,000).
#[test]
fn item02_a_small_share_of_a_large_group_is_printed_inside_its_interval() {
    let p = publish(
        r#"  - year: 2024
    key_question:
      starts: {asked: 200000, professional: 150000, intermediate: 49500, working_class: 500}
"#,
    );
    assert!(p.page.contains("0.2% (0.2–0.3%)"), "page");
    assert!(!p.page.contains("0% (0.2"), "a share printed outside its interval");
    let svg = p.page.split("<svg").nth(1).unwrap_or_default();
    assert!(svg.contains("0.2% (95% interval 0.2% to 0.3%)"), "chart description: {svg}");
}

// Item 3: the level pattern survives a band with no data in the latest year.
#[test]
fn item03_level_pattern_uses_the_bands_that_have_data_in_the_latest_year() {
    let p = publish(
        r#"  - year: 2023
    key_question:
      levels:
        "2": {asked: 100, professional: 30, intermediate: 20, working_class: 50}
        "3": {asked: 100, professional: 30, intermediate: 20, working_class: 50}
        "4-5": {asked: 100, professional: 50, intermediate: 30, working_class: 20}
        "6-7": {asked: 100, professional: 50, intermediate: 30, working_class: 20}
  - year: 2024
    key_question:
      levels:
        "2": {asked: 100, professional: 30, intermediate: 20, working_class: 50}
        "3": {asked: 100, professional: 30, intermediate: 20, working_class: 50}
        "4-5": {asked: 100, professional: 50, intermediate: 30, working_class: 20}
"#,
    );
    let lp = &p.card()["level_pattern"];
    assert_eq!(lp["period"], "2024", "{lp}");
    assert_eq!(lp["bands"], serde_json::json!(["level_2", "level_3", "level_4_5"]));
    // 20 of 100 at level 4–5 against 100 of 200 at levels 2–3: −30 points.
    assert!((lp["difference"]["value"].as_f64().unwrap() + 0.30).abs() < 1e-9, "{lp}");
    assert!(p.page.contains("<strong>Levels (2024):</strong>") && p.page.contains("-30.0 points"), "page");
    assert!(p.representation_csv.contains("test-employer,level_6_7,2023,"));
}

// Item 4: never a clear change across a break; the chart and table mark it.
#[test]
fn item04_no_clear_change_across_a_break_in_series_and_the_chart_marks_it() {
    let p = publish_with(
        r#"  - year: 2023
    benchmark_set: smc-apprenticeships-2019
    key_question:
      applicants: {asked: 1000, professional: 500, intermediate: 200, working_class: 200, other: 50, prefer_not_to_say: 50}
  - year: 2024
    key_question:
      applicants: {asked: 1000, professional: 300, intermediate: 200, working_class: 400, other: 50, prefer_not_to_say: 50}
"#,
        allow_2019_set,
    );
    let t = &p.card()["trends"][0];
    assert_eq!(t["id"], "applicants");
    let c = &t["changes"][0];
    assert!(c["change"]["lo"].as_f64().unwrap() > 0.0, "the interval excludes zero: {c}");
    assert_eq!(c["break_in_series"], true);
    assert_eq!(c["clear"], false, "not clear across a break");
    assert!(p.page.contains("Cannot tell · <strong>break in series</strong>"));
    assert!(p.page.contains("class=\"series-break\""), "the trend chart draws the break");
    assert!(p.page.contains("a dashed line marks a break in series before 2024"));
    assert_eq!(p.card()["representation"]["applicants"][1]["break_before"], true);
    assert!(p.representation_csv.contains("test-employer,applicants,2024,"));
}

// Item 5: an unknown benchmark set id is an error with a suggestion.
#[test]
fn item05_unknown_benchmark_set_is_an_error_with_did_you_mean() {
    let dir = empty_site();
    let file = dir.path().join("content/employers/test-employer.yaml");
    write(
        &file,
        &employer(
            r#"  - year: 2024
    benchmark_set: smc-apprenticeships-2012
    key_question:
      starts: {asked: 100, professional: 40, intermediate: 20, working_class: 40}
"#,
        ),
    );
    let before = read(&file);
    let out = ladder(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("test-employer.yaml"), "{err}");
    assert!(err.contains("error in `benchmark_set` of year 2024: "), "{err}");
    assert!(err.contains("unknown benchmark set `smc-apprenticeships-2012`"), "{err}");
    assert!(err.contains("did you mean `smc-apprenticeships-2021`?"), "{err}");
    assert!(!dir.path().join("output").exists(), "nothing published");
    assert_eq!(read(&file), before);
}

// Item 6: category names and pipeline order; "not yet assessable" when nothing is.
#[test]
fn item06_trends_use_category_names_in_pipeline_order() {
    let year = |y: u32| {
        format!(
            r#"  - year: {y}
    key_question:
      applicants: {{asked: 400, professional: 150, intermediate: 100, working_class: 150}}
      cohort: {{asked: 100, professional: 40, intermediate: 20, working_class: 40}}
      levels:
        "4-5": {{asked: 100, professional: 40, intermediate: 20, working_class: 40}}
    outcomes:
      completion: {{professional: {{due: 50, achieved: 40}}, intermediate: {{due: 30, achieved: 20}}, working_class: {{due: 50, achieved: 40}}}}
"#
        )
    };
    let p = publish(&format!("{}{}", year(2023), year(2024)));
    let titles: Vec<&str> =
        p.card()["trends"].as_array().unwrap().iter().map(|t| t["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Applicants", "Overall make-up", "Level 4–5", "Completion"]);
    let trend = p.page.split("id=\"trend-h\"").nth(1).unwrap();
    let at = |s: &str| trend.find(&format!("<th scope=\"row\">{s}</th>")).unwrap_or_else(|| panic!("{s} missing"));
    assert!(at("Applicants") < at("Overall make-up") && at("Overall make-up") < at("Level 4–5"));
    assert!(at("Level 4–5") < at("Completion"));
    assert!(!trend.contains("Makeup") && !trend.contains("Level 4 5"));
}

#[test]
fn item06_nothing_assessable_reads_not_yet_assessable_on_badge_and_directory() {
    let p = publish(
        r#"  - year: 2024
    key_question:
      starts: {asked: 8, professional: 3, intermediate: 2, working_class: 3}
"#,
    );
    let badge = read(&p.dir.path().join("output/employers/test-employer/badge.svg"));
    assert!(badge.contains("Data targets not yet assessable"), "{badge}");
    assert!(!badge.contains("0 of 0"), "{badge}");
    let directory = read(&p.dir.path().join("output/employers/index.html"));
    assert!(directory.contains("Data targets not yet assessable") && !directory.contains("0 of 0"));
    assert!(p.page.contains("Data targets not yet assessable;"));
    assert_eq!(p.employer_cell("targets_met"), "0");
}

// Item 8: a small sample does not earn a ✓.
#[test]
fn item08_small_sample_in_line_by_width_alone_is_too_few_to_tell() {
    let p = publish(
        r#"  - year: 2024
    key_question:
      starts: {asked: 40, professional: 20, intermediate: 10, working_class: 10}
"#,
    );
    let row = p.row("starts");
    assert_eq!(row["judgement"]["id"], "too_few_to_tell");
    assert_eq!(row["verdict"], "inconclusive");
    let h = &p.card()["headline"];
    assert_eq!((h["met"].as_u64(), h["inconclusive"].as_u64()), (Some(0), Some(1)), "{h}");
    assert!(h["text"].as_str().unwrap().starts_with("0 of 7 data targets met, 1 too few to tell, 6 not assessable"));
    assert!(p.page.contains("Too few to tell") && p.page.contains("1 too few to tell"));
    assert_eq!(p.employer_cell("starts"), "too_few_to_tell");
    assert_eq!(p.employer_cell("targets_met"), "0");
    assert_eq!(p.employer_cell("targets_inconclusive"), "1");
}

// Item 9: 4% against 8% (10 of 250 against 20 of 250) is not "comparable".
#[test]
fn item09_small_gap_between_small_rates_is_not_comparable_without_the_ratio_test() {
    let p = publish(
        r#"  - year: 2024
    outcomes:
      completion: {professional: {due: 250, achieved: 20}, intermediate: {due: 50, achieved: 20}, working_class: {due: 250, achieved: 10}}
"#,
    );
    let d = &p.card()["outcomes"]["completion"][0];
    let gap = &d["gap"];
    assert!(gap["lo"].as_f64().unwrap() > -0.10 && gap["hi"].as_f64().unwrap() < 0.10, "inside ±10: {gap}");
    let ratio = &d["ratio"];
    // statsmodels: confint_proportions_2indep(10, 250, 20, 250, "score", "ratio", correction=False),
    // at z = 1.95996 where the site uses 1.96 (hence the tolerance).
    assert!((ratio["lo"].as_f64().unwrap() - 0.242_176).abs() < 5e-5, "Koopman interval: {ratio}");
    assert!((ratio["hi"].as_f64().unwrap() - 1.027_423).abs() < 5e-5, "Koopman interval: {ratio}");
    assert_eq!(d["judgement"]["id"], "no_clear_difference");
    assert_eq!(p.row("completion")["verdict"], "inconclusive");
    assert!(p.page.contains("0.50 (0.24 to 1.03)"));
    let row = p.outcomes_csv.lines().find(|l| l.starts_with("test-employer,completion,")).unwrap();
    assert!(row.ends_with(",no_clear_difference"), "{row}");
    assert_eq!(p.employer_cell("completion"), "no_clear_difference");
}

// Item 10: one test per category; the weakest of four bands does not decide.
#[test]
fn item10_levels_row_is_one_prespecified_test_at_level_4_and_above() {
    let p = publish(
        r#"  - year: 2024
    key_question:
      levels:
        "2": {asked: 100, professional: 50, intermediate: 30, working_class: 20}
        "3": {asked: 100, professional: 30, intermediate: 20, working_class: 50}
        "4-5": {asked: 100, professional: 40, intermediate: 15, working_class: 45}
        "6-7": {asked: 100, professional: 40, intermediate: 15, working_class: 45}
"#,
    );
    // Level 2 alone is below the benchmark; it no longer drags the row down.
    assert_eq!(p.card()["representation"]["level_2"][0]["judgement"]["id"], "below_benchmark");
    let row = p.row("levels");
    assert_eq!(row["judgement"]["id"], "in_line", "{row}");
    assert_eq!(row["test"]["uses"], serde_json::json!(["level_4_5", "level_6_7"]));
    assert_eq!(row["test"]["counts"]["working_class"], 90);
    assert_eq!(row["test"]["counts"]["classified"], 200);
    assert_eq!(p.employer_cell("levels"), "in_line");
    assert!(p.page.contains("Tested on the working-class share at levels 4 and above (Level 4–5, Level 6–7)"));
}

// Item 11: non-response bounds on the benchmark's own measure.
#[test]
fn item11_nonresponse_bounds_are_on_the_share_of_classified_answers() {
    let p = publish(
        r#"  - year: 2024
    key_question:
      starts: {asked: 200, professional: 10, intermediate: 10, working_class: 60, other: 50}
"#,
    );
    let b = &p.card()["representation"]["starts"][0]["nonresponse"];
    // 70 did not answer: had they all given a classifiable answer, 60 to 130 of 150.
    assert!((b["lo"].as_f64().unwrap() - 0.4).abs() < 1e-9, "{b}");
    assert!((b["hi"].as_f64().unwrap() - 130.0 / 150.0).abs() < 1e-9, "{b}");
    assert_eq!(b["robust"], true);
    assert!(p.page.contains("Could be 40.0%–86.7% of classified answers"), "page");
    assert!(p.page.contains("the conclusion holds either way"));
    let row = p.representation_csv.lines().find(|l| l.starts_with("test-employer,starts,")).unwrap();
    assert!(row.ends_with(",true"), "still provisional: {row}");
}

// Item 12: the first-generation question is named so its direction cannot be misread.
#[test]
fn item12_deprecated_first_generation_is_read_with_a_warning_and_its_direction_kept() {
    let p = publish(
        r#"  - year: 2024
    extra_questions:
      first_generation: {asked: 100, yes: 70, no: 30}
"#,
    );
    assert!(p.stderr.contains("`first_generation` is deprecated"), "{}", p.stderr);
    assert!(p.stderr.contains("parent_degree_by_18"), "{}", p.stderr);
    let x = &p.card()["extras"][0];
    assert_eq!(x["id"], "parent_degree_by_18");
    // The old `yes` meant first in family: it is now `no` (no parent had a degree by 18).
    assert_eq!((x["cells"]["yes"].as_u64(), x["cells"]["no"].as_u64()), (Some(30), Some(70)), "{x}");
    assert_eq!(x["share_of"], "no");
    assert!((x["share"]["value"].as_f64().unwrap() - 0.70).abs() < 1e-9, "{x}");
    assert!(p.page.contains("First generation: neither parent had a degree by the person's 18th birthday"));
    assert!(p.json["tables"]["extra"].get("first_generation").is_none());
}

/// The methodology page explains items 7–11 in plain words, with worked examples the code computes.
#[test]
fn methodology_explains_the_method_changes_with_worked_examples() {
    let site = empty_site();
    assert!(ladder(site.path(), &["build"]).status.success());
    let page = read(&site.path().join("output/methodology/index.html")).replace("&#x27;", "'");
    for words in [
        // Item 7: 30 of 100 a year is never below; pooled as 90 of 300 it reads below.
        "Stocks are never pooled across years",
        "21.9% to 39.6% every year (<em>Too few to tell</em>, never below)",
        "25.1% to 35.4%: <em>Below benchmark</em>",
        // Item 8: 10 of 40.
        "14.2% to 40.2%: it reaches the benchmark, but also reaches far below it, so the result is <em>Too few to tell</em>",
        // Item 9: 4% against 8%, the four-fifths rule and Koopman's interval.
        "29 CFR 1607.4(D)",
        "Koopman",
        "the ratio is 0.5 with an interval of 0.24 to 1.03: <em>No clear difference</em>",
        // Item 10 and 11.
        "One judgement per category",
        "Non-response bounds measure what the benchmark measures",
        // Item 2's example.
        "131 of 200 reads <q>65.5% vs 66% target</q>",
    ] {
        assert!(page.contains(words), "methodology lacks: {words}");
    }
    assert!(!page.contains("the weakest band decides"));
}

/// `ladder score --json`: every row carries what an outside checker needs to recompute it.
#[test]
fn score_json_lets_an_outside_checker_recompute_every_row() {
    let site = example_site();
    for entry in std::fs::read_dir(site.path().join("content/employers")).unwrap() {
        let file = entry.unwrap().path();
        let out = ladder(site.path(), &["score", "--json", file.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        for row in v["scorecard"]["rows"].as_array().unwrap() {
            assert!(row["verdict"].is_string(), "{row}");
            let Some(t) = row.get("test").filter(|t| !t.is_null()) else { continue };
            let z = t["z"].as_f64().unwrap();
            let margin = t["margin"].as_f64().unwrap();
            match t["method"].as_str().unwrap() {
                "share_against_benchmark" => {
                    let (Some(x), Some(n)) =
                        (t["counts"]["working_class"].as_u64(), t["counts"]["classified"].as_u64())
                    else {
                        continue;
                    };
                    if n < 10 {
                        continue;
                    }
                    let (lo, hi) = wilson(x, n, z);
                    let i = &t["interval"];
                    assert!(
                        (i["lo"].as_f64().unwrap() - lo).abs() < 1e-9 && (i["hi"].as_f64().unwrap() - hi).abs() < 1e-9
                    );
                    let b = t["benchmark"].as_f64().unwrap();
                    let expect = if lo > b {
                        "above_benchmark"
                    } else if hi < b {
                        "below_benchmark"
                    } else if lo >= b - margin {
                        "in_line"
                    } else {
                        "too_few_to_tell"
                    };
                    assert_eq!(row["judgement"]["id"], expect, "{row}");
                }
                "rate_gap_and_ratio" => {
                    let c = &t["counts"];
                    assert!(c.get("working_class_due").is_some() && c.get("professional_achieved").is_some());
                    let b = t["ratio_bounds"].as_array().unwrap();
                    assert_eq!((b[0].as_f64(), b[1].as_f64()), (Some(0.8), Some(1.25)));
                    if let (Some(g), Some(r)) = (t["interval"].as_object(), t["ratio"].as_object()) {
                        let within = g["lo"].as_f64().unwrap() >= -margin
                            && g["hi"].as_f64().unwrap() <= margin
                            && r["lo"].as_f64().unwrap() >= 0.8
                            && r["hi"].as_f64().is_some_and(|h| h <= 1.25);
                        if row["judgement"]["id"] == "comparable" {
                            assert!(within, "{row}");
                        }
                    }
                }
                m => panic!("unknown method {m}"),
            }
        }
    }
}

/// Wilson score interval, written out again here so the check does not lean on the crate.
fn wilson(x: u64, n: u64, z: f64) -> (f64, f64) {
    let (n, p) = (n as f64, x as f64 / n as f64);
    let d = 1.0 + z * z / n;
    let c = (p + z * z / (2.0 * n)) / d;
    let h = z / d * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    (if x == 0 { 0.0 } else { (c - h).max(0.0) }, if p == 1.0 { 1.0 } else { (c + h).min(1.0) })
}
