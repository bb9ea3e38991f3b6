//! The foundation: the example site builds into a complete, deterministic, safe output.

mod common;
use common::*;

#[test]
fn example_site_builds_every_page() {
    let site = example_site();
    let out = ladder(site.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let output = site.path().join("output");
    for f in [
        "index.html",
        "employers/index.html",
        "stories/index.html",
        "methodology/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "feed.xml",
        "data/scorecards.json",
        "data/employers.csv",
    ] {
        assert!(output.join(f).is_file(), "missing {f}");
    }
    let employers: Vec<_> = std::fs::read_dir(site.path().join("content/employers")).unwrap().flatten().collect();
    assert!(employers.len() >= 12);
    for e in &employers {
        let slug = e.path().file_stem().unwrap().to_string_lossy().into_owned();
        let page = read(&output.join(format!("employers/{slug}/index.html")));
        assert!(page.starts_with("<!DOCTYPE html>"), "{slug}");
        assert!(output.join(format!("employers/{slug}/badge.svg")).is_file());
        assert!(output.join(format!("data/employers/{slug}.json")).is_file());
        assert!(read(&output.join("employers/index.html")).contains(&format!("employers/{slug}/")));
    }
    let stories: Vec<_> = std::fs::read_dir(site.path().join("content/stories")).unwrap().flatten().collect();
    assert!(stories.len() >= 10);
    // The story index is paginated: page 1, then stories/page/2/ ...
    let mut index = read(&output.join("stories/index.html"));
    for n in 2.. {
        let p = output.join(format!("stories/page/{n}/index.html"));
        if !p.is_file() {
            break;
        }
        index.push_str(&read(&p));
    }
    assert!(read(&output.join("stories/index.html")).contains("href=\"/stories/page/2/\""), "pager links on");
    for s in &stories {
        let slug = s.path().file_stem().unwrap().to_string_lossy().into_owned();
        assert!(output.join(format!("stories/{slug}/index.html")).is_file(), "{slug}");
        assert_eq!(index.matches(&format!("href=\"/stories/{slug}/\"")).count(), 1, "{slug} listed once in the index");
    }
    assert!(stderr(&out).contains("built"), "summary line: {}", stderr(&out));
}

#[test]
fn two_builds_are_byte_identical() {
    let site = example_site();
    assert!(ladder(site.path(), &["build", "--output", "a"]).status.success());
    assert!(ladder(site.path(), &["build", "--output", "b"]).status.success());
    let (a, b) = (tree(&site.path().join("a")), tree(&site.path().join("b")));
    assert!(a.len() > 50);
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, v) in &a {
        assert!(v == &b[k], "{k} differs between builds");
    }
}

#[test]
fn links_honour_a_sub_path_base_url() {
    let site = example_site();
    let out = ladder(site.path(), &["build", "--base-url", "https://example.org/ladder/"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let home = read(&site.path().join("output/index.html"));
    assert!(home.contains("href=\"/ladder/employers/\""));
    assert!(home.contains("href=\"/ladder/static/style.css\""));
    assert!(home.contains("<link rel=\"canonical\" href=\"https://example.org/ladder/\">"));
    assert!(!home.contains("href=\"/employers/"), "no link may ignore the sub-path");
    let sitemap = read(&site.path().join("output/sitemap.xml"));
    assert!(sitemap.contains("<loc>https://example.org/ladder/employers/northgate-rail/</loc>"));
}

#[test]
fn check_reports_every_problem_and_build_keeps_old_output() {
    let site = example_site();
    assert!(ladder(site.path(), &["build"]).status.success());
    let before = tree(&site.path().join("output"));
    // Three independent faults in three files.
    let emp = site.path().join("content/employers/solent-marine.yaml");
    write(&emp, &read(&emp).replacen("sector: Engineering and manufacturing", "sector: [unclosed", 1));
    let s1 = site.path().join("content/stories/levy-that-travels.md");
    write(&s1, &read(&s1).replacen("employer: fenland-foods", "employer: fenland-food", 1));
    let s2 = site.path().join("content/stories/council-frontline.md");
    write(&s2, &read(&s2).replacen("date: 2024-06-05", "date: 2024-06-45", 1));

    let check = ladder(site.path(), &["check"]);
    assert_eq!(check.status.code(), Some(1));
    let err = stderr(&check);
    assert!(err.contains("content/employers/solent-marine.yaml:3:") && err.contains("in `sector`"), "{err}");
    assert!(
        err.contains("content/stories/levy-that-travels.md:4:")
            && err.contains("unknown employer `fenland-food`; did you mean `fenland-foods`?"),
        "{err}"
    );
    assert!(
        err.contains("content/stories/council-frontline.md:3:") && err.contains("`2024-06-45` is not a date"),
        "{err}"
    );
    assert!(err.contains("3 problems found"), "{err}");

    let build = ladder(site.path(), &["build"]);
    assert_eq!(build.status.code(), Some(1));
    assert_eq!(tree(&site.path().join("output")), before, "a failed build must leave the previous output untouched");
}

#[test]
fn check_json_lists_problems_for_tools() {
    let site = example_site();
    let s = site.path().join("content/stories/levy-that-travels.md");
    write(&s, &read(&s).replacen("themes: [advocacy]", "themes: [advocasy]", 1));
    let out = ladder(site.path(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["ok"], false);
    assert_eq!(v["problems"][0]["field"], "themes");
    assert_eq!(v["problems"][0]["line"], 5);
    assert!(v["problems"][0]["message"].as_str().unwrap().contains("did you mean `advocacy`"));
}

#[test]
fn check_writes_nothing() {
    let site = example_site();
    let out = ladder(site.path(), &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!site.path().join("output").exists());
    let names: Vec<String> = std::fs::read_dir(site.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
}

#[test]
fn missing_site_yaml_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = ladder(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("site.yaml: error: there is no site.yaml in `.`"), "{}", stderr(&out));
}

#[test]
fn markdown_features_render() {
    let site = example_site();
    assert!(ladder(site.path(), &["build"]).status.success());
    let story = read(&site.path().join("output/stories/from-shop-floor-to-signalling/index.html"));
    assert!(story.contains("<table>"));
    assert!(story.contains("<h2 id=\"getting-in\">"));
    assert!(story.contains("<blockquote>"));
    assert!(story.contains("href=\"/employers/northgate-rail/\""));
}

/// A site overrides one partial of the theme, alone: every judgement label changes, nothing
/// else about the page template does.
#[test]
fn a_site_can_override_one_partial_alone() {
    let site = example_site();
    let out = site.path().join("out");
    let built = ladder(site.path(), &["build", "-q", "--output", out.to_str().unwrap()]);
    assert!(built.status.success(), "{}", stderr(&built));
    let before = read(&out.join("employers/northgate-rail/index.html"));
    assert!(before.contains("class=\"label tone-"), "the theme's judgement label is in use");
    write(
        &site.path().join("templates/partials/judgement.html"),
        "<mark class=\"verdict\" data-tone=\"{{ j.tone }}\">{{ j.text }}</mark>",
    );
    let rebuilt = ladder(site.path(), &["build", "-q", "--output", out.to_str().unwrap()]);
    assert!(rebuilt.status.success(), "{}", stderr(&rebuilt));
    let after = read(&out.join("employers/northgate-rail/index.html"));
    assert!(after.contains("<mark class=\"verdict\" data-tone="), "the override is used");
    assert!(!after.contains("class=\"label tone-"), "no judgement keeps the theme's label");
    assert!(after.contains("<caption>One judgement per toolkit category"), "the page template is still the theme's");
}
