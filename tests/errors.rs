//! What `check` and `build` tell an editor about mistakes in the YAML of a site (issues 14 and
//! 17): every problem of a file in one run, a bad `site.yaml` hiding nothing, each problem in
//! plain words at the line it is written on.

mod common;
use common::*;
use std::path::Path;

fn edit(site: &Path, file: &str, replace: &str, with: &str) {
    let path = site.join(file);
    let text = read(&path);
    assert!(text.contains(replace), "{file}: `{replace}` not found");
    write(&path, &text.replacen(replace, with, 1));
}

const EMPLOYER: &str = "content/employers/brightwater-digital.yaml";
const STORY: &str = "content/stories/levy-that-travels.md";
/// An employer's whole `commitment:` block, to replace with a commitment of a test's own.
const CASTLEGATE: &str = "content/employers/castlegate-legal.yaml";
const CASTLEGATE_COMMITMENT: &str = "commitment: |\n  At Castlegate Legal we want our apprenticeships to be open to anyone \
     with the potential to do the job,\n  whatever their parents did for a living. We publish our figures every year, \
     the good and the\n  less good, so that we can be held to what we say.\n";
const BENCHMARKS: &str = "content/benchmarks/smc-apprenticeships-2021.yaml";

/// Runs `command`, which must fail with exit code 1, and returns what it printed.
fn fails(site: &Path, command: &[&str]) -> String {
    let out = ladder(site, command);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{command:?} must fail:\n{err}");
    err
}

fn assert_says(err: &str, expected: &[&str]) {
    let missing: Vec<&&str> = expected.iter().filter(|e| !err.contains(**e)).collect();
    assert!(missing.is_empty(), "expected {missing:#?} in:\n{err}");
}

/// Issue 14, item 1: serde stops at a file's first mistake, so a file with five needed five
/// runs; every mistake of every YAML file (employers, front matter, site.yaml, benchmarks) is
/// reported in one.
#[test]
fn every_problem_of_a_yaml_file_is_reported_in_one_run() {
    let site = example_site();
    let s = site.path();
    edit(s, EMPLOYER, "region: London", "region: Northwest");
    edit(s, EMPLOYER, "size: medium", "size: huge");
    edit(s, EMPLOYER, "levy_payer: false", "levy_payer: maybe");
    edit(s, EMPLOYER, "asked: 329", "asked: -3");
    edit(s, EMPLOYER, "{status: not_started}", "{status: done}");
    edit(s, STORY, "summary:", "sumary:");
    edit(s, STORY, "author: Editorial team", "author: [Editorial, team]");
    edit(s, STORY, "themes: [advocacy]", "themes: [advocacy]\ndraft: maybe");
    edit(s, "site.yaml", "anonymity_threshold: 10", "anonymity_threshold: many\ntheem: x");
    edit(s, BENCHMARKS, "confidence: 0.95", "confidence: high");
    edit(s, BENCHMARKS, "z: 1.96", "z: [1.96]");
    let err = fails(s, &["check"]);
    assert_says(
        &err,
        &[
            "brightwater-digital.yaml:4:9: error in `region`: `Northwest` is not a region; did you mean `North West`? \
             (write one of `North East`, `North West`,",
            "brightwater-digital.yaml:5:7: error in `size`: `huge` is not a size band; write `small` (under 10 staff), \
             `medium` (10 to 249 staff) or `large` (250 or more staff)",
            "brightwater-digital.yaml:6:13: error in `levy_payer`: `levy_payer` must be true or false, not `maybe`",
            "brightwater-digital.yaml:21:27: error in `asked`: `asked` must be a whole number of people (0 or more), not `-3`",
            "brightwater-digital.yaml:34:41: error in `status`: `done` is not a status (write one of `in_place`, `partial`, \
             `not_started` or `not_applicable`)",
            "levy-that-travels.md:6:8: error in `draft`: `draft` must be true or false, not `maybe`",
            "levy-that-travels.md:7:1: error in `sumary`",
            "levy-that-travels.md:8:9: error in `author`",
            "site.yaml:6:22: error in `anonymity_threshold`",
            "site.yaml:7:1: error in `theem`",
            "smc-apprenticeships-2021.yaml:30:15: error in `confidence`",
            "smc-apprenticeships-2021.yaml:31:6: error in `z`",
        ],
    );
    // Nothing is reported twice, and no key left out to read on is reported missing.
    assert!(!err.contains("is missing:") && !err.contains("is missing from"), "{err}");
    assert!(err.contains("12 problems found"), "{err}");
}

/// Issue 14, item 2: a mistake in `site.yaml` used to stop the build before the content was
/// checked; now the content is checked with the settings that could be read (defaults for the
/// rest), every problem is reported together, and nothing is written.
#[test]
fn a_bad_site_yaml_does_not_hide_the_content_problems() {
    for (settings, says) in [
        ("anonymity_threshold: many", "site.yaml:6:22: error in `anonymity_threshold`"),
        // Without a title or address the settings cannot be read as a whole.
        // A misspelt `title` is told once, as the misspelling (outside round 12 of issue 17, item 4).
        (
            "anonymity_threshold: 10\ntitle_: x",
            "error in `title_`: `title_` is not a field here; did you mean `title`?",
        ),
        ("anonymity_threshold: \"10", "site.yaml:6:22: error"),
    ] {
        let site = example_site();
        let s = site.path();
        edit(s, "site.yaml", "anonymity_threshold: 10", settings);
        if settings.contains("title_") {
            edit(s, "site.yaml", "title:", "title_:");
            edit(s, "site.yaml", "title_: x", "");
        }
        edit(s, EMPLOYER, "size: medium", "size: huge");
        // Checks that need the settings and the benchmark set: figures that do not add up, a
        // story naming an employer that does not exist.
        edit(s, "content/employers/northgate-rail.yaml", "{due: 59, achieved: 52}", "{due: 59, achieved: 60}");
        edit(s, "content/stories/bakery-apprentice.md", "employer: tyne-street-bakery", "employer: tyne-st-bakery");
        edit(s, STORY, "date: 2025-01-29", "date: 2025-13-29");
        edit(s, "content/pages/about.md", "title:", "titel:");
        let err = fails(s, &["build"]);
        assert_says(
            &err,
            &[
                says,
                "brightwater-digital.yaml:5:7: error in `size`",
                "northgate-rail.yaml:30:26: error in `outcomes.functional_skills.professional` of year 2023: \
                 achieved (60) is larger than due (59)",
                "bakery-apprentice.md:4:11: error in `employer`: unknown employer `tyne-st-bakery`",
                "levy-that-travels.md:3:7: error in `date`",
                "content/pages/about.md:2:1: error in `titel`",
            ],
        );
        assert!(!s.join("output").exists(), "{settings}: a failed build wrote output");
    }
}

/// Issue 14, item 3 and issue 17: a missing key is told in plain words at the line of what
/// lacks it (the parser placed it after that mapping's last line), an unknown key with the
/// closest known one and the list of keys, an unclosed quote where it opens, and a second
/// document where it starts.
#[test]
fn yaml_problems_are_told_in_plain_words_at_their_line() {
    let site = example_site();
    let s = site.path();
    edit(s, EMPLOYER, "name: Brightwater Digital\n", "");
    edit(s, "content/employers/northgate-rail.yaml", "sector:", "sectr:");
    edit(s, "content/employers/northgate-rail.yaml", "{due: 59, achieved: 52}", "{achieved: 52}");
    edit(s, "content/employers/pennine-build.yaml", "size: large", "size: \"large");
    edit(s, "content/employers/fenland-foods.yaml", "size: large", "size: large\n---\nname: other");
    write(&s.join("content/stories/empty.md"), "---\n---\nBody\n");
    let err = fails(s, &["check"]);
    assert_says(
        &err,
        &[
            "brightwater-digital.yaml:1:1: error in `name`: `name` is missing: add a `name:` line",
            "northgate-rail.yaml:3:1: error in `sectr`: `sectr` is not a field here; did you mean `sector`? (the \
             fields here are `name`, `sector`, `region`, `size`, `levy_payer`, `website`, `logo`, `commitment`, \
             `pledges` and `years`)",
            "northgate-rail.yaml:30:27: error in `due`: `due` is missing from `professional`: add a `due:` line \
             under it",
            "pennine-build.yaml:5:7: error in `size`: the quote that opens this value is never closed",
            "fenland-foods.yaml:6:1: error: the file holds more than one YAML document: a second one starts at \
             this line",
            "content/stories/empty.md:1:1: error in `title`: `title` is missing: add a `title:` line",
            "content/stories/empty.md:1:1: error in `date`: `date` is missing: add a `date:` line",
        ],
    );
    for jargon in ["missing field", "unknown field", "expected one of", "variant"] {
        assert!(!err.contains(jargon), "`{jargon}` in:\n{err}");
    }
    // The misspelt `sector` is told once: as missing too, its advice would write it twice.
    assert!(!err.contains("`sector` is missing"), "{err}");
}

/// Issue 14, item 4: `stories_per_page: -1` was told "a whole number of 0 or more"; it gets
/// the message every number outside 1 to 1000 gets, at its line and column.
#[test]
fn stories_per_page_out_of_range_is_told_its_range() {
    for n in ["-1", "0", "1001"] {
        let site = example_site();
        edit(site.path(), "site.yaml", "theme: default", &format!("theme: default\nstories_per_page: {n}"));
        let err = fails(site.path(), &["check"]);
        assert_says(
            &err,
            &[&format!(
                "site.yaml:6:19: error in `stories_per_page`: stories_per_page must be between 1 and 1000, not {n}"
            )],
        );
    }
}

/// Issue 14, item 5: `date: 2025-1-1` was accepted; a date is written YYYY-MM-DD.
#[test]
fn dates_not_written_yyyy_mm_dd_are_refused() {
    for date in ["2025-1-1", "2025-01-1", "2025-1-29", "25-01-29"] {
        let site = example_site();
        edit(site.path(), STORY, "date: 2025-01-29", &format!("date: {date}"));
        let err = fails(site.path(), &["build"]);
        assert_says(
            &err,
            &[&format!(
                "content/stories/levy-that-travels.md:3:7: error in `date`: `{date}` is not a date; write it as \
                 YYYY-MM-DD, e.g. 2025-01-01"
            )],
        );
        assert!(!site.path().join("output").exists());
    }
}

/// Issue 14, item 6: an `output_dir` refused by the output guard is named like every other
/// setting, with `site.yaml:LINE:COLUMN` and the field; `--output` keeps its own message.
#[test]
fn a_refused_output_dir_names_its_line_in_site_yaml() {
    let outside = tempfile::tempdir().unwrap();
    let abs = outside.path().join("victim").to_string_lossy().into_owned();
    for (dir, why) in [
        ("../escape", "must be a folder inside the site"),
        (abs.as_str(), "must be a folder inside the site"),
        ("content", "is the site's input folder `content`"),
        ("content/stories/out", "lies inside the site's input folder `content`"),
        ("themes", "is the site's input folder `themes`"),
        (".", "the site folder itself"),
    ] {
        let site = example_site();
        edit(site.path(), "site.yaml", "theme: default", &format!("theme: default\noutput_dir: \"{dir}\""));
        // Reported with the content's problems, not after them.
        edit(site.path(), EMPLOYER, "size: medium", "size: huge");
        // `check` too (outside round 5 of issue 17: it passed what `build` then refused).
        for command in ["check", "build"] {
            let err = fails(site.path(), &[command]);
            let line = err.lines().find(|l| l.contains("refusing to build into")).unwrap_or_default();
            assert!(
                line.starts_with("site.yaml:6:13: error in `output_dir`: refusing to build into"),
                "{command} {dir}: {err}"
            );
            assert!(line.contains(why), "{dir}: {err}");
            assert_says(&err, &["brightwater-digital.yaml:5:7: error in `size`"]);
        }
        assert!(!site.path().join("output").exists() && !outside.path().join("victim").exists());
    }
    let site = example_site();
    let err = fails(site.path(), &["build", "--output", "content"]);
    assert!(err.contains("error: refusing to build into content: it is the site's input folder"), "{err}");
    assert!(!err.contains("site.yaml:"), "{err}");
}

/// Issue 14, item 7: `"`, `<`, `>`, a backtick and invisible or direction-changing characters
/// are refused in every link; `base_url: "https://x.org/</script>"` reached robots.txt and the
/// JSON files.
#[test]
fn links_with_markup_or_invisible_characters_are_refused() {
    let cases = [
        ("site.yaml", "base_url: http://127.0.0.1:8080/", "base_url: \"https://x.org/</script>\"", "3:11", "a `<`"),
        (
            EMPLOYER,
            "website: https://example.org/brightwater-digital",
            "website: 'https://x.org/\"a'",
            "7:10",
            "double quote",
        ),
        (
            EMPLOYER,
            "website: https://example.org/brightwater-digital",
            "website: https://x.org/a`b",
            "7:10",
            "backtick",
        ),
        (
            EMPLOYER,
            "website: https://example.org/brightwater-digital",
            "website: \"https://x.org/\\u202Eexe.txt\"",
            "7:10",
            "U+202E",
        ),
        (
            EMPLOYER,
            "website: https://example.org/brightwater-digital",
            "website: \"https://x\\u200B.org/\"",
            "7:10",
            "U+200B",
        ),
    ];
    for (file, replace, with, at, says) in cases {
        let site = example_site();
        edit(site.path(), file, replace, with);
        let err = fails(site.path(), &["build"]);
        let field = if file == "site.yaml" { "base_url" } else { "website" };
        let line = err.lines().find(|l| l.starts_with(&format!("{file}:{at}: error in `{field}`"))).unwrap_or_default();
        assert!(line.contains(says), "{with}: expected `{says}` at {file}:{at} in:\n{err}");
        assert!(!site.path().join("output").exists(), "{with}: a failed build wrote output");
    }
}

/// Issue 17: a sector typo made a sector page of its own (`Engineerng` → `/sectors/engineerng/`).
/// Sectors are a list (the default list, or the site's own in site.yaml), with did-you-mean.
#[test]
fn a_sector_not_in_the_list_is_an_error_with_the_nearest_one() {
    let site = example_site();
    let s = site.path();
    edit(s, EMPLOYER, "sector: Digital and technology", "sector: Digital and tecnology");
    let err = fails(s, &["check"]);
    assert_says(
        &err,
        &[
            "brightwater-digital.yaml:3:9: error in `sector`: `Digital and tecnology` is not one of the site's sectors; \
           did you mean `Digital and technology`? (to add a sector, list the site's sectors under `sectors:` in \
           site.yaml)",
        ],
    );
    assert_eq!(err.lines().count(), 2, "one problem and the count:\n{err}");
    // A site lists its own sectors: a sector outside the default list is then allowed, and
    // one of the default list that the site's list leaves out is not.
    edit(s, EMPLOYER, "sector: Digital and tecnology", "sector: Rail");
    let sectors: Vec<String> = walkdir::WalkDir::new(s.join("content/employers"))
        .into_iter()
        .filter_map(|e| e.ok().filter(|e| e.file_type().is_file()))
        .filter_map(|e| read(e.path()).lines().find_map(|l| l.strip_prefix("sector: ").map(str::to_string)))
        .collect();
    // Each once: a sector listed twice is a mistake of its own.
    let sectors: std::collections::BTreeSet<String> = sectors.into_iter().collect();
    let listed: Vec<String> = sectors.iter().map(|x| format!("  - {x}\n")).collect();
    edit(s, "site.yaml", "theme: default", &format!("theme: default\nsectors:\n{}", listed.concat()));
    let out = ladder(s, &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    edit(s, "site.yaml", "  - Retail\n", "");
    let err = fails(s, &["check"]);
    assert_says(
        &err,
        &["mersey-retail.yaml:3:9: error in `sector`: `Retail` is not one of the site's sectors; did you mean `Rail`?"],
    );
}

/// Outside round of issue 17, item 1: every problem of a build in one run. A theme typo was
/// only reported once the content had none; a story with an unknown front-matter key or a bad
/// date had its employer and themes left unchecked; a page taking a reserved name was only
/// reported once everything else was right.
#[test]
fn no_problem_hides_another_in_one_run() {
    let site = example_site();
    let s = site.path();
    edit(s, "site.yaml", "theme: default", "theme: defualt");
    edit(s, STORY, "summary:", "sumary:");
    edit(s, STORY, "employer: fenland-foods", "employer: fenland-food");
    edit(s, STORY, "themes: [advocacy]", "themes: [advocasy]");
    edit(s, "content/stories/bakery-apprentice.md", "date: ", "date: 2024-02-30\nold_date: ");
    edit(s, "content/stories/bakery-apprentice.md", "employer: tyne-street-bakery", "employer: tyne-st-bakery");
    write(
        &s.join("content/stories/council-frontline/index.md"),
        "---\ntitle: Again\ndate: 2024-01-01\n---\nSee [the about page](@/pages/abut.md).\n",
    );
    write(&s.join("content/pages/search.md"), "---\ntitle: Search\n---\nText.\n");
    let err = fails(s, &["check"]);
    assert_says(
        &err,
        &[
            "site.yaml:5:8: error in `theme`: theme `defualt` not found in themes/",
            "levy-that-travels.md:6:1: error in `sumary`",
            "levy-that-travels.md:4:11: error in `employer`: unknown employer `fenland-food`; did you mean `fenland-foods`?",
            "levy-that-travels.md:5:10: error in `themes`: unknown toolkit chapter `advocasy`; did you mean `advocacy`?",
            "bakery-apprentice.md:3:7: error in `date`",
            "bakery-apprentice.md:5:11: error in `employer`: unknown employer `tyne-st-bakery`",
            "content/stories/council-frontline/index.md: error: story `council-frontline` is also written as",
            "content/stories/council-frontline/index.md:5:5: error: `@/pages/abut.md` links to content/pages/abut.md, \
             which does not exist; did you mean `@/pages/about.md`?",
            "content/pages/search.md: error in `file name`: `search` is reserved by the site; rename the page",
        ],
    );
}

/// Outside round of issue 17, item 2: a picture written as an HTML `<img>` tag needs words for
/// people who cannot see it, as a Markdown one does: in stories, pages and employers'
/// commitments alike, each at its file, line and column.
#[test]
fn html_pictures_and_commitment_pictures_need_words_too() {
    let site = example_site();
    let s = site.path();
    // The pictures exist: only their words are missing.
    for name in ["team", "b", "ok", "c", "logo", "d"] {
        write(&s.join(format!("static/{name}.png")), "a picture");
    }
    edit(
        s,
        STORY,
        "Large employers pay",
        "Our team: <img src=\"/static/team.png\">\n\n<IMG SRC='/static/b.png' alt=\"\" />\n\n<img src=\"/static/ok.png\" alt=\"The team\">\n\nLarge employers pay",
    );
    edit(
        s,
        "content/pages/about.md",
        "This site publishes",
        "<p><img src=\"/static/c.png\"></p>\n\nThis site publishes",
    );
    edit(s, EMPLOYER, "whatever their parents did", "![](/static/logo.png) whatever their parents did");
    edit(s, CASTLEGATE, CASTLEGATE_COMMITMENT, "commitment: 'See <img src=\"/static/d.png\">'\n");
    let err = fails(s, &["check"]);
    assert_says(
        &err,
        &[
            "levy-that-travels.md:11:11: error: the picture `/static/team.png` has no text alternative: write what it \
             shows in the tag, `<img src=\"/static/team.png\" alt=\"what it shows\">`",
            "levy-that-travels.md:13:1: error: the picture `/static/b.png` has no text alternative",
            "content/pages/about.md:6:4: error: the picture `/static/c.png` has no text alternative",
            "brightwater-digital.yaml:10:3: error in `commitment`: the image `/static/logo.png` has no text alternative",
            "castlegate-legal.yaml:8:18: error in `commitment`: the picture `/static/d.png` has no text alternative",
        ],
    );
    assert!(!err.contains("ok.png"), "{err}");
}

/// Outside round of issue 17, item 5: a page is one file. A picture named from beside a page
/// (never published) and a folder in content/pages/ (never read) are problems naming the file.
#[test]
fn pages_name_their_pictures_in_static_and_page_folders_are_problems() {
    let site = example_site();
    let s = site.path();
    edit(s, "content/pages/about.md", "This site publishes", "![The team](team.jpg)\n\nThis site publishes");
    write(&s.join("content/pages/contact/index.md"), "---\ntitle: Contact\n---\nText.\n");
    let err = fails(s, &["check"]);
    assert_says(
        &err,
        &[
            "content/pages/about.md:6:1: error: `team.jpg` names a file beside the page, and nothing beside a page is \
             published; put the picture in the site's static/ folder and write `/static/team.jpg`",
            "content/pages/contact: error: the folder `contact` is not read: a page is one file, content/pages/<name>.md",
        ],
    );
}

/// Outside round of issue 17, item 8: the words of messages. A missing key of a practice is
/// named by the practice's id, not the parser's `value`, and `an` goes before a vowel.
#[test]
fn missing_keys_are_named_in_the_users_words() {
    let site = example_site();
    let s = site.path();
    edit(s, "content/employers/northgate-rail.yaml", "{due: 59, achieved: 52}", "{due: 59}");
    let text = read(&s.join(EMPLOYER));
    let practice = text.lines().find(|l| l.contains("{status: not_started}")).expect("a practice line").to_string();
    let id = practice.trim().split(':').next().unwrap().to_string();
    edit(s, EMPLOYER, "{status: not_started}", "{}");
    let err = fails(s, &["check"]);
    assert_says(&err, &["`achieved` is missing from `professional`: add an `achieved:` line under it"]);
    assert!(err.contains(&format!("`status` is missing from `{id}`")), "{id}:\n{err}");
    assert!(!err.contains("from `value`") && !err.contains("add a `achieved"), "{err}");
}

/// Outside round of issue 17, item 7: a tab in front matter is reported on its own line (it was
/// the line above), an unclosed quote inside `{...}` where it opens (it was a line late), and a
/// commitment's dead link at its column (it had none).
#[test]
fn tabs_quotes_and_commitment_links_are_placed_where_they_are() {
    let site = example_site();
    let s = site.path();
    edit(s, STORY, "themes: [advocacy]", "\tthemes: [advocacy]");
    edit(
        s,
        EMPLOYER,
        "data.ask_right_question: {status: not_started}",
        "data.ask_right_question: {status: \"not_started}",
    );
    edit(s, CASTLEGATE, CASTLEGATE_COMMITMENT, "commitment: We back [our partners](/employers/nope/).\n");
    let err = fails(s, &["check"]);
    assert_says(
        &err,
        &[
            "levy-that-travels.md:5:1: error",
            "a tab is used to indent or space out this line",
            "brightwater-digital.yaml:34:41: error",
            "castlegate-legal.yaml:8:21: error: `/employers/nope/` points to no page of the site",
        ],
    );
}

/// Outside round of issue 17, item 1, continued: the problems only a render finds (a link to a
/// file the build does not write, a picture that cannot be decoded) were reported only once a
/// theme typo, an `@/` typo and a duplicate slug were put right. Links to the page of a file
/// with a problem of its own are not reported again, and nothing is written.
#[test]
fn problems_found_while_rendering_are_reported_with_the_others() {
    let site = example_site();
    let s = site.path();
    edit(s, "site.yaml", "theme: default", "theme: defualt");
    edit(s, EMPLOYER, "size: medium", "size: huge");
    edit(
        s,
        STORY,
        "Large employers pay",
        "See [Brightwater](/employers/brightwater-digital/), [the about page](@/pages/abot.md) and \
         ![The team](/static/taem.png).\n\nLarge employers pay",
    );
    let folder = s.join("content/stories/photo-day");
    write(&folder.join("index.md"), "---\ntitle: Photo day\ndate: 2025-03-01\n---\n![A lathe](lathe.jpg)\n");
    std::fs::write(folder.join("lathe.jpg"), b"not a picture at all").unwrap();
    write(&s.join("content/stories/photo-day.md"), "---\ntitle: Again\ndate: 2025-03-01\n---\nText.\n");
    let err = fails(s, &["build"]);
    assert_says(
        &err,
        &[
            "site.yaml:5:8: error in `theme`: theme `defualt` not found in themes/",
            "brightwater-digital.yaml:5:7: error in `size`",
            "levy-that-travels.md:11:53: error: `@/pages/abot.md` links to content/pages/abot.md",
            "levy-that-travels.md:11:91: error: `/static/taem.png` points to no page or file of the site",
            "content/stories/photo-day/lathe.jpg: error",
            "story `photo-day` is also written as",
        ],
    );
    assert!(!err.contains("/employers/brightwater-digital/` points"), "{err}");
    assert!(!err.contains("points to /abot/"), "an @/ link reported twice:\n{err}");
    assert!(!s.join("output").exists(), "a failed build wrote output");
}

/// Outside round 4 of issue 17, items 1 and 2: a tab stopped the reading of its file, so it hid
/// the file's other problems (a story's bad date, unknown employer and theme, a picture without
/// words; an employer's bad size; a theme typo in site.yaml). It is reported, then the file is
/// read on with a space in its place.
#[test]
fn a_tab_hides_no_other_problem_of_its_file() {
    let site = example_site();
    let s = site.path();
    write(
        &s.join("content/stories/tab.md"),
        "---\ntitle: T\ndate: 2025-13-01\nemployer: nobody\n\tsummary: s\nthemes: [outreech]\n---\n\
         ![](/static/favicon.svg)\n",
    );
    edit(s, EMPLOYER, "size: medium", "size: huge");
    edit(s, EMPLOYER, "levy_payer: false", "\tlevy_payer: false");
    edit(s, "site.yaml", "theme: default", "theme: defualt");
    edit(s, "site.yaml", "anonymity_threshold: 10", "\tanonymity_threshold: 10");
    let err = fails(s, &["check"]);
    assert_says(
        &err,
        &[
            "tab.md:3:7: error in `date`",
            "tab.md:4:11: error in `employer`: unknown employer `nobody`",
            "tab.md:5:1: error: a tab is used",
            "tab.md:6:10: error in `themes`: unknown toolkit chapter `outreech`",
            "tab.md:8:1: error: the image `/static/favicon.svg` has no text alternative",
            "brightwater-digital.yaml:5:7: error in `size`",
            "brightwater-digital.yaml:6:1: error: a tab is used",
            "site.yaml:5:8: error in `theme`: theme `defualt` not found",
            "site.yaml:6:1: error: a tab is used",
        ],
    );
    // What a tab left out is not reported as missing.
    assert!(!err.contains("is missing"), "{err}");
}

/// Outside round 4 of issue 17, item 3: front matter that cannot be read at all (an unclosed
/// quote) hid the body's problems, though the body lies outside it: a picture without words and
/// an `@/` typo in a story, a picture without words in a page.
#[test]
fn unreadable_front_matter_hides_nothing_of_the_body() {
    let site = example_site();
    let s = site.path();
    write(
        &s.join("content/stories/uq.md"),
        "---\ntitle: \"T\ndate: 2025-01-01\nsummary: s\n---\n![](/static/favicon.svg) [x](@/pages/abot.md)\n",
    );
    write(&s.join("content/pages/uq.md"), "---\ntitle: 'T\n---\nText\n\n![](/static/favicon.svg)\n");
    let err = fails(s, &["check"]);
    assert_says(
        &err,
        &[
            "stories/uq.md:2:8: error in `title`: the quote that opens this value is never closed",
            "stories/uq.md:6:1: error: the image `/static/favicon.svg` has no text alternative",
            "stories/uq.md:6:26: error: `@/pages/abot.md` links to content/pages/abot.md",
            "pages/uq.md:2:8: error in `title`",
            "pages/uq.md:6:1: error: the image `/static/favicon.svg` has no text alternative",
        ],
    );
    assert!(!err.contains("title is empty") && !err.contains("1970"), "{err}");
}

/// Outside round 4 of issue 17, items 4 and 5: a `{` or `[` left open was told as a value too
/// large, an indentation mistake or a field out of place, lines from it. It is told where it
/// opens, and the file is read on past it.
#[test]
fn a_bracket_left_open_is_told_where_it_opens() {
    let site = example_site();
    let s = site.path();
    edit(s, EMPLOYER, "prefer_not_to_say: 9}", "prefer_not_to_say: 9");
    edit(s, EMPLOYER, "{status: not_started}", "{status: not_started");
    edit(s, EMPLOYER, "size: medium", "size: huge");
    edit(s, STORY, "themes: [advocacy]", "themes: [advocacy");
    let err = fails(s, &["check"]);
    assert_says(
        &err,
        &[
            "brightwater-digital.yaml:5:7: error in `size`",
            "brightwater-digital.yaml:21:19: error in `applicants`: the `{` that opens here is not closed: end the \
             value with `}`",
            "brightwater-digital.yaml:34:32: error in `data.ask_right_question`: the `{` that opens here is not closed",
            "levy-that-travels.md:5:9: error in `themes`: the `[` that opens here is not closed: end the value with `]`",
        ],
    );
    assert!(!err.contains("too large") && !err.contains("indentation") && !err.contains("not a field"), "{err}");
}

/// Outside round 4 of issue 17, item 8: a relative picture in an employer's commitment was
/// published as a broken picture, exit 0; nothing beside an employer file is published, so it is
/// a problem at its line, as in a page.
#[test]
fn a_relative_picture_in_a_commitment_is_a_problem() {
    let site = example_site();
    let s = site.path();
    edit(
        s,
        CASTLEGATE,
        CASTLEGATE_COMMITMENT,
        "commitment: |\n  We train.\n  ![Our team](team.jpg) ![Logo](/static/favicon.svg)\n",
    );
    let err = fails(s, &["build"]);
    assert_says(
        &err,
        &["castlegate-legal.yaml:10:3: error in `commitment`: `team.jpg` names a file beside the employer file, and \
           nothing beside it is published; put the picture in the site's static/ folder and write `/static/team.jpg`"],
    );
    assert!(!err.contains("favicon"), "{err}");
}

/// Outside round 4 of issue 17, item 9: a story or page saved as `.markdown` was left out
/// without a word (check said nothing, no page was built): it is a problem naming the file.
#[test]
fn markdown_saved_under_another_ending_is_a_problem() {
    let site = example_site();
    let s = site.path();
    write(&s.join("content/stories/md-ext.markdown"), "---\ntitle: M\ndate: 2025-03-01\n---\nx\n");
    write(&s.join("content/pages/team.MD"), "---\ntitle: Team\n---\nx\n");
    // Since round 8 a file that is not read is told too, not left alone unseen.
    write(&s.join("content/pages/notes.txt"), "not Markdown\n");
    let err = fails(s, &["check"]);
    assert_says(
        &err,
        &[
            "content/stories/md-ext.markdown: error: this file is not read: Markdown files here must end in `.md`; \
             rename it `md-ext.md`",
            "content/pages/team.MD: error: this file is not read",
            "content/pages/notes.txt: error: this file is not read: content/pages/ holds pages (`<slug>.md`) only",
        ],
    );
}

/// Outside round 4 of issue 17, item 10: `summary: Meet Ana: from the shop floor` was told as
/// a line indented wrongly; the value holds `: ` and needs quotes, and the reading goes on.
#[test]
fn a_colon_in_a_value_is_told_to_need_quotes() {
    let site = example_site();
    let s = site.path();
    edit(s, STORY, "title: A levy that travels", "title: Meet Ana: from the shop \"floor\"");
    edit(s, STORY, "date: 2025-01-29", "date: 2025-01-99");
    edit(s, EMPLOYER, "name: Brightwater Digital", "name: Brightwater: Digital # ours");
    let err = fails(s, &["check"]);
    assert_says(
        &err,
        &[
            "levy-that-travels.md:2:8: error in `title`: the value of `title` holds `: `, which YAML reads as the start \
             of another `key: value`; put the value in quotes: `title: 'Meet Ana: from the shop \"floor\"'`",
            "levy-that-travels.md:3:7: error in `date`",
            "brightwater-digital.yaml:2:7: error in `name`: the value of `name` holds `: `",
            "`name: \"Brightwater: Digital\"`",
        ],
    );
    assert!(!err.contains("indentation") && !err.contains("is missing"), "{err}");
}

/// Outside round 4 of issue 17, item 11: a dead link after `\n` escapes in a double-quoted
/// commitment was placed at column 1, not where it is written.
#[test]
fn a_link_after_escapes_in_a_quoted_commitment_is_placed_where_it_is() {
    let site = example_site();
    let s = site.path();
    edit(
        s,
        CASTLEGATE,
        CASTLEGATE_COMMITMENT,
        "commitment: \"We pledge.\\n\\n\\\"Open\\\" to all. See [nope](/employers/nope/).\"\n",
    );
    let err = fails(s, &["check"]);
    assert_says(&err, &["castlegate-legal.yaml:8:49: error: `/employers/nope/` points to no page of the site"]);
}

/// Outside round 4 of issue 17, item 12: `image: .photo.jpg` naming a hidden file that is there
/// was told "there is no `.photo.jpg`": it is told that hidden files are never published.
#[test]
fn a_hidden_picture_named_by_image_is_told_it_is_hidden() {
    let site = example_site();
    let s = site.path();
    let dir = s.join("content/stories/pd");
    write(&dir.join("index.md"), "---\ntitle: PD\ndate: 2025-03-01\nimage: .photo.jpg\nimage_alt: A lathe\n---\nx\n");
    std::fs::write(dir.join(".photo.jpg"), b"\xff\xd8\xff\xe0").unwrap();
    let err = fails(s, &["check"]);
    assert_says(
        &err,
        &["pd/index.md:4:8: error in `image`: `.photo.jpg` is a hidden file (its name starts with a dot)"],
    );
}

/// Outside round 4 of issue 17, item 13: `@/` links missing their `.md`, or naming a story
/// folder's `.md`, got no did-you-mean: the file they most likely meant is suggested.
#[test]
fn at_links_a_little_off_get_the_file_they_meant() {
    let site = example_site();
    let s = site.path();
    write(&s.join("content/stories/pd/index.md"), "---\ntitle: PD\ndate: 2025-03-01\n---\nx\n");
    write(
        &s.join("content/pages/links.md"),
        "---\ntitle: Links\n---\n[a](@/stories/levy-that-travels) [b](@/stories/pd.md) [c](@/pages/about) \
         [d](@/employers/brightwater-digital) [e](@/stories/levy-that-travel)\n",
    );
    let err = fails(s, &["check"]);
    assert_says(
        &err,
        &[
            "`@/stories/levy-that-travels` links to content/stories/levy-that-travels, which does not exist; did you \
             mean `@/stories/levy-that-travels.md`?",
            "`@/stories/pd.md` links to content/stories/pd.md, which does not exist; did you mean `@/stories/pd/index.md`?",
            "or `@/pages/<file>.md`; did you mean `@/pages/about.md`?",
            "did you mean `@/employers/brightwater-digital.yaml`?",
            "`@/stories/levy-that-travel` links to content/stories/levy-that-travel, which does not exist; did you \
             mean `@/stories/levy-that-travels.md`?",
        ],
    );
}

/// Outside round 4 of issue 17, small note: an empty `image:` was told "`` is not a JPEG".
#[test]
fn an_empty_image_line_is_told_it_is_empty() {
    let site = example_site();
    let s = site.path();
    write(
        &s.join("content/stories/pd/index.md"),
        "---\ntitle: PD\ndate: 2025-03-01\nimage: \"\"\nimage_alt: A lathe\n---\nx\n",
    );
    let err = fails(s, &["check"]);
    assert_says(&err, &["pd/index.md:4:8: error in `image`: `image` is empty: name a picture beside the story"]);
    assert!(!err.contains("``"), "{err}");
}

/// Outside round 5 of issue 17: a picture without words in an employer's commitment, or a
/// mistyped practice status, hid the commitment's links to nothing; all are told in one run.
#[test]
fn an_employer_with_problems_still_has_its_commitment_links_checked() {
    let site = example_site();
    edit(
        site.path(),
        EMPLOYER,
        "  less good, so that",
        "  less good ([our story](/stories/nope/), ![](/static/logo.png), [us](@/pages/abot.md)), so that",
    );
    let err = fails(site.path(), &["check"]);
    assert_says(
        &err,
        &[
            "brightwater-digital.yaml:11:43: error in `commitment`: the image `/static/logo.png` has no text alternative",
            "brightwater-digital.yaml:11:14: error: `/stories/nope/` points to no page of the site",
            "brightwater-digital.yaml:11:66: error: `@/pages/abot.md` links to content/pages/abot.md, which does not exist",
        ],
    );
}

/// Outside round 5 of issue 17: a story folder with a bad name was told to "rename the file"
/// (its index.md), and `sectors: []` also failed every employer with "the site's sectors, which
/// are ;".
#[test]
fn a_story_folder_is_renamed_and_an_empty_sector_list_is_told_once() {
    let site = example_site();
    std::fs::create_dir_all(site.path().join("content/stories/Photo Day")).unwrap();
    write(
        &site.path().join("content/stories/Photo Day/index.md"),
        "---\ntitle: P\ndate: 2025-03-01\nsummary: s\n---\nx\n",
    );
    let text = read(&site.path().join("site.yaml"));
    write(&site.path().join("site.yaml"), &format!("{text}sectors: []\n"));
    let err = fails(site.path(), &["check"]);
    assert_says(
        &err,
        &["`Photo Day` is not a valid slug: rename the folder with lower-case letters", "`sectors` lists no sector"],
    );
    assert!(!err.contains("which are ;") && !err.contains("rename the file"), "{err}");
}

/// Outside round 17e, item 1: an employer file with a problem (a status typo) still has the
/// links of its commitment checked against the pages the build writes, in the same run.
#[test]
fn an_employer_with_a_problem_still_has_its_dead_links_reported() {
    let site = example_site();
    let s = site.path();
    edit(s, EMPLOYER, "{status: partial,", "{status: partal,");
    edit(s, EMPLOYER, "whatever their parents did", "see [our plan](/plans/nope/), whatever their parents did");
    let err = fails(s, &["check"]);
    assert_says(
        &err,
        &[
            "brightwater-digital.yaml:72:",
            "`partal` is not a status",
            "brightwater-digital.yaml:10:7: error: `/plans/nope/` points to no page or file of the site",
        ],
    );
}

/// Outside round 17e, item 2: a line indented less than the entries beside it (`   outcomes:`
/// among entries at column 5) is left out with its own value, and the entries after it are read
/// on: a practice's status further down is still reported, and nothing is said to be missing.
#[test]
fn a_line_indented_too_little_hides_nothing_after_it() {
    let site = example_site();
    let s = site.path();
    edit(s, EMPLOYER, "\n    outcomes:\n", "\n   outcomes:\n");
    edit(s, EMPLOYER, "advocacy.share_levy: {status: not_applicable}", "advocacy.share_levy: {status: n/a}");
    let err = fails(s, &["check"]);
    assert_says(
        &err,
        &[
            "brightwater-digital.yaml:29:4: error: the indentation of this line does not match",
            "brightwater-digital.yaml:53:37: error in `status`: `n/a` is not a status",
            "2 problems found",
        ],
    );
    assert!(!err.contains("is missing:") && !err.contains("is missing from"), "{err}");
}

/// Outside round 17e, item 3: a commitment written as a folded block (`commitment: >`) has its
/// problems at their own line and column, not at the `commitment:` line.
#[test]
fn a_folded_commitment_has_its_problems_at_their_own_lines() {
    let site = example_site();
    let s = site.path();
    edit(
        s,
        CASTLEGATE,
        CASTLEGATE_COMMITMENT,
        "commitment: >\n  We publish our figures\n  every year.\n\n  Read [our plan](/nope-plan/) and ![](/static/x.png).\n",
    );
    let err = fails(s, &["check"]);
    assert_says(
        &err,
        &[
            "castlegate-legal.yaml:12:8: error: `/nope-plan/` points to no page",
            "castlegate-legal.yaml:12:36: error in `commitment`: the image `/static/x.png` has no text alternative",
        ],
    );
}

/// Outside round 17e, item 4: a year written as a reporting period (`2024-25`) is told to be one
/// year, and is not also said to be missing (at the line below it); nor is it when the line
/// below it is indented too far.
#[test]
fn a_year_written_as_a_period_is_one_problem() {
    let site = example_site();
    let s = site.path();
    edit(s, EMPLOYER, "  - year: 2024\n", "  - year: 2024-25\n");
    let err = fails(s, &["check"]);
    assert_says(
        &err,
        &["brightwater-digital.yaml:19:11: error in `year`: `year` must be one year, written as four digits such as \
           2024, not `2024-25`"],
    );
    assert!(!err.contains("is missing") && err.contains("1 problem found"), "{err}");
    edit(s, EMPLOYER, "  - year: 2024-25\n    key_question:", "  - year: 2024\n      key_question:");
    let err = fails(s, &["check"]);
    assert_says(&err, &["brightwater-digital.yaml:20:7: error in `year`: this line is indented further than `year`"]);
    assert!(!err.contains("is missing") && err.contains("1 problem found"), "{err}");
}

/// Outside round 17a of issue 17, item 5: a picture whose text alternative is blank (`alt=" "`,
/// a no-break space, a zero-width space) passed, while a missing one is an error. A blank one is
/// too, in Markdown and HTML, in a story folder whose only pictures are HTML tags, in a page and
/// in `image_alt`, each at its file, line and column.
#[test]
fn a_blank_text_alternative_is_an_error_like_a_missing_one() {
    let site = example_site();
    let s = site.path();
    let dir = s.join("content/stories/photo-day");
    write(
        &dir.join("index.md"),
        "---\ntitle: Photo day\ndate: 2025-03-01\nimage: photo.png\nimage_alt: \"\u{a0}\"\n---\n\
         <img src=\"photo.png\" alt=\" \">\n\n<p><img src='photo.png' alt='&nbsp;'></p>\n\n\
         Inline <img src=photo.png alt=\"&#32;\"> and <img src=\"photo.png\" alt=\"The workshop\">.\n",
    );
    image::RgbImage::new(8, 8).save(dir.join("photo.png")).unwrap();
    edit(s, STORY, "Large employers pay", "![\u{200B}](/static/a.png) ![ \t](/static/a.png)\n\nLarge employers pay");
    edit(
        s,
        "content/pages/about.md",
        "This site publishes",
        "<p><img src=\"/static/a.png\" alt=\"  \"></p>\n\nThis site publishes",
    );
    write(&s.join("static/a.png"), "a picture");
    let blank = "has a blank text alternative (only spaces or invisible characters)";
    let tag = "write what it shows in the tag, `<img src=\"photo.png\" alt=\"what it shows\">`";
    let err = fails(s, &["check"]);
    assert_says(
        &err,
        &[
            "content/stories/photo-day/index.md:5:12: error in `image_alt`: `image_alt` is empty: say in a few words what the picture shows",
            &format!("content/stories/photo-day/index.md:7:1: error: the picture `photo.png` {blank}: {tag}"),
            &format!("content/stories/photo-day/index.md:9:4: error: the picture `photo.png` {blank}: {tag}"),
            &format!("content/stories/photo-day/index.md:11:8: error: the picture `photo.png` {blank}: {tag}"),
            &format!(
                "levy-that-travels.md:11:1: error: the image `/static/a.png` {blank}: write what it shows between the \
                 brackets, `![what it shows](/static/a.png)`"
            ),
            &format!("levy-that-travels.md:11:21: error: the image `/static/a.png` {blank}"),
            &format!("content/pages/about.md:6:4: error: the picture `/static/a.png` {blank}"),
        ],
    );
    assert!(err.contains("7 problems found"), "{err}");
    assert!(!err.contains("index.md:11:43"), "a picture with words is fine: {err}");
}

/// Outside round 17a of issue 17, item 4: `image: ../x.jpg` was told "`../x.jpg` is a hidden file
/// (its name starts with a dot)". A hero picture out of the story's folder, from the site's root
/// or on the web is told plainly that it must be a file in the story's own folder, and how.
#[test]
fn a_story_picture_out_of_its_folder_is_told_it_must_be_in_the_folder() {
    let site = example_site();
    let s = site.path();
    for (slug, image) in [
        ("up", "../x.jpg"),
        ("climb", "photos/../../x.jpg"),
        ("root", "/static/x.jpg"),
        ("web", "https://example.org/x.jpg"),
    ] {
        write(
            &s.join(format!("content/stories/{slug}/index.md")),
            &format!("---\ntitle: T\ndate: 2025-03-01\nimage: {image}\nimage_alt: A lathe\n---\nx\n"),
        );
    }
    write(
        &s.join("content/stories/one.md"),
        "---\ntitle: T\ndate: 2025-03-01\nimage: ../x.jpg\nimage_alt: A lathe\n---\nx\n",
    );
    let err = fails(s, &["check"]);
    let must = "error in `image`: `image`, the story's picture, must be a file in the story's own folder, but";
    assert_says(
        &err,
        &[
            &format!(
                "content/stories/up/index.md:4:8: {must} `../x.jpg` leads out of it; put the picture in \
                 content/stories/up/ beside index.md and write its name alone, `image: x.jpg`"
            ),
            &format!("content/stories/climb/index.md:4:8: {must} `photos/../../x.jpg` leads out of it;"),
            &format!(
                "content/stories/root/index.md:4:8: {must} `/static/x.jpg` is a path from the site's root; put the \
                 picture in content/stories/root/ beside index.md and write its name alone, `image: x.jpg`"
            ),
            &format!("content/stories/web/index.md:4:8: {must} `https://example.org/x.jpg` is a web address"),
            &format!(
                "content/stories/one.md:4:8: {must} `../x.jpg` leads out of it; a story with pictures is a folder: move \
                 content/stories/one.md to content/stories/one/index.md, put the picture beside it and write its name \
                 alone, `image: x.jpg`"
            ),
        ],
    );
    assert!(!err.contains("hidden"), "{err}");
    assert!(err.contains("5 problems found"), "{err}");
}

/// Outside round 17a of issue 17, item 3: a story whose front matter has a problem (a date that
/// does not exist) had broken links of its body left unreported in the same run: one whose
/// picture also lacks words was hidden behind that problem at the same place, and those written
/// in HTML or relative were not read. A free page with a front-matter problem had none of its
/// links checked. Every problem is reported at once, and nothing is written.
#[test]
fn a_story_or_page_with_a_front_matter_problem_has_its_links_checked_in_the_same_run() {
    let site = example_site();
    let s = site.path();
    write(
        &s.join("content/stories/day/index.md"),
        "---\ntitle: Day\ndate: 2025-02-30\n---\n![](/static/gone.png) [a](/employers/nope/)\n\n\
         <p><a href=\"/sectors/nope/\">b</a></p>\n\nSee [c](../nope/).\n",
    );
    write(
        &s.join("content/pages/help.md"),
        "---\ntitle: Help\ncolour: red\n---\nSee [a](/employers/nope/) and <a href=\"/static/gone.pdf\">b</a>.\n",
    );
    for command in ["check", "build"] {
        let err = fails(s, &[command]);
        let day = "content/stories/day/index.md";
        assert_says(
            &err,
            &[
                &format!("{day}:3:7: error in `date`: `2025-02-30` is not a date: February 2025 has no day 30"),
                &format!("{day}:5:1: error: the image `/static/gone.png` has no text alternative"),
                &format!(
                    "{day}:5:1: error: `/static/gone.png` points to no page or file of the site: the build writes \
                     nothing at /static/gone.png"
                ),
                &format!(
                    "{day}:5:23: error: `/employers/nope/` points to no page of the site: there is no employer `nope`"
                ),
                &format!("{day}:7:13: error: `/sectors/nope/` points to no page or file of the site"),
                &format!("{day}:9:5: error: `../nope/` points to no page of the site: there is no story `nope`"),
                "content/pages/help.md:3:1: error in `colour`: `colour` is not a field here",
                "content/pages/help.md:5:5: error: `/employers/nope/` points to no page of the site: there is no employer `nope`",
                "content/pages/help.md:5:40: error: `/static/gone.pdf` points to no page or file of the site",
            ],
        );
        assert!(err.contains("9 problems found"), "{command}: {err}");
        assert!(!s.join("output").exists(), "{command}: a failed build wrote output");
    }
}

/// Outside round 17b, item 4: a first line `--- ` (a space after the dashes, which no one sees)
/// read as "no front matter"; fences with spaces after them, or CRLF line ends, are fences.
#[test]
fn front_matter_fences_with_trailing_spaces_or_crlf_are_fences() {
    let site = example_site();
    let s = site.path();
    edit(s, STORY, "---\n", "--- \n");
    let other = s.join("content/stories/bakery-apprentice.md");
    let text = read(&other).replacen("---\n", "---  \n", 2).replace('\n', "\r\n");
    write(&other, &text);
    let out = ladder(s, &["build", "-q"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = read(&s.join("output/stories/bakery-apprentice/index.html"));
    assert!(!page.contains("title:"), "front matter reached the page");
    // Outside round 7: lines ended by a carriage return alone (old Mac style) were "no front
    // matter"; they are lines.
    let third = s.join("content/stories/levy-that-travels.md");
    write(&third, &read(&third).replace('\n', "\r"));
    let out = ladder(s, &["build", "-q"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = read(&s.join("output/stories/levy-that-travels/index.html"));
    assert!(page.contains("<h1>A levy that travels</h1>") || page.contains(">A levy that travels</h1>"), "{page}");
    assert!(!page.contains("title:"), "front matter reached the page");
}

/// Outside round 17b, item 7: the files Windows, macOS and Office leave in folders
/// (`Thumbs.db`, `desktop.ini`, `.DS_Store`, Office's `~$` lock files) were published from
/// `static/` and were errors in a story's folder; they are left out, silently.
#[test]
fn system_and_office_lock_files_are_neither_published_nor_problems() {
    let site = example_site();
    let s = site.path();
    let story = read(&s.join(STORY));
    std::fs::remove_file(s.join(STORY)).unwrap();
    write(&s.join("content/stories/levy-that-travels/index.md"), &story);
    let junk = ["Thumbs.db", "desktop.ini", "Desktop.ini", ".DS_Store", "~$figures.xlsx", "~$report.docx"];
    for dir in ["content", "content/stories", "content/employers", "content/stories/levy-that-travels", "static"] {
        std::fs::create_dir_all(s.join(dir)).unwrap();
        for name in junk {
            std::fs::write(s.join(dir).join(name), b"\x00\xff junk \xfe").unwrap();
        }
    }
    std::fs::create_dir_all(s.join("static/photos")).unwrap();
    std::fs::write(s.join("static/photos/Thumbs.db"), b"\x00\xff").unwrap();
    std::fs::write(s.join("static/photos/kept.txt"), b"kept").unwrap();
    let out = ladder(s, &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = ladder(s, &["build", "-q"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let built = tree(&s.join("output"));
    let published: Vec<&String> =
        built.keys().filter(|p| junk.iter().any(|j| p.rsplit('/').next() == Some(*j))).collect();
    assert!(published.is_empty(), "published: {published:?}");
    assert!(built.contains_key("static/photos/kept.txt"), "{:?}", built.keys().collect::<Vec<_>>());
}

/// Outside round 17b, item 9: a date written with en dashes (as a word processor or phone
/// writes them, `2025–01–29`) was "not a date" though it reads as one; the message names the
/// dash and gives the date with plain hyphens. A reporting year written as a period
/// (`2023–2024`) is told in words too.
#[test]
fn dates_written_with_dashes_are_told_to_use_plain_hyphens() {
    for (written, says) in [
        (
            "2025–01–29",
            "`2025–01–29` is written with an en dash (–) between its parts; write plain hyphens (-), as `2025-01-29`",
        ),
        (
            "2025—01—29",
            "`2025—01—29` is written with an em dash (—) between its parts; write plain hyphens (-), as `2025-01-29`",
        ),
        (
            "2025‑01‑29",
            "`2025‑01‑29` is written with a dash that is not the plain hyphen (-) between its parts; write plain hyphens (-), as `2025-01-29`",
        ),
    ] {
        let site = example_site();
        let s = site.path();
        edit(s, STORY, "date: 2025-01-29", &format!("date: {written}"));
        let err = fails(s, &["check"]);
        assert_says(&err, &[&format!("levy-that-travels.md:3:7: error in `date`: {says}")]);
    }
    let site = example_site();
    let s = site.path();
    edit(s, EMPLOYER, "- year: 2024", "- year: 2023–2024");
    let err = fails(s, &["check"]);
    assert_says(
        &err,
        &["error in `year`: `year` must be one year, written as four digits such as 2024, not `2023–2024`"],
    );
}

/// Outside round 17b, item 2: a wrong `size` named the three words but not what they mean, and
/// a number of staff (what an HR lead knows) was "not a size"; the bands are told in words, the
/// band a number of staff falls in is named, and nothing of the code shows.
#[test]
fn a_wrong_size_is_told_with_the_bands_in_words() {
    const BANDS: &str = "`small` (under 10 staff), `medium` (10 to 249 staff) or `large` (250 or more staff)";
    for (written, says) in [
        ("size: huge", format!("`huge` is not a size band; write {BANDS}")),
        ("size: Large", format!("`Large` is not a size band; did you mean `large`? (write {BANDS})")),
        ("size: Medium (10-249)", format!("`Medium (10-249)` is not a size band; did you mean `medium`? (write {BANDS})")),
        (
            "size: 120",
            "`120` is a number of staff, but `size` takes its band: write `medium` (`small` is under 10 staff, `medium` \
             10 to 249 and `large` 250 or more)"
                .to_string(),
        ),
        ("size:", format!("`size` is empty; write {BANDS} after the colon")),
        ("size: [medium]", format!("`size` must be one word, not a list or a set of `key: value` entries; write {BANDS}")),
        ("size: {medium: 1}", format!("`size` must be one word, not a list or a set of `key: value` entries; write {BANDS}")),
        ("size: {a: 1}", format!("`size` must be one word, not a list or a set of `key: value` entries; write {BANDS}")),
    ] {
        let site = example_site();
        let s = site.path();
        edit(s, EMPLOYER, "size: medium", written);
        let err = fails(s, &["check"]);
        assert_says(&err, &["brightwater-digital.yaml:5:", &format!("error in `size`: {says}")]);
        assert!(err.contains("1 problem found"), "{written}: {err}");
    }
    // A file without `size` is still read to its end: its other mistakes are told too.
    let site = example_site();
    let s = site.path();
    edit(s, EMPLOYER, "size: medium\n", "");
    edit(s, EMPLOYER, "levy_payer: false", "levy_payer: maybe");
    let err = fails(s, &["check"]);
    assert_says(
        &err,
        &["error in `size`: `size` is missing", "error in `levy_payer`: `levy_payer` must be true or false"],
    );
}

/// Outside round 17b, item 3: a story's `employer:` written as the employer's name (`Northgate
/// Rail`, as the page shows it) was an unknown employer with no hint; it is pointed to the slug,
/// and told what `employer:` takes. A theme one letter from a theme folder is offered it.
#[test]
fn an_employer_written_by_name_and_a_mistyped_theme_are_offered_the_right_one() {
    let site = example_site();
    let s = site.path();
    let takes = "(`employer:` takes the employer's file name without .yaml, not its name)";
    edit(s, STORY, "employer: fenland-foods", "employer: Fenland Foods");
    let shop = "content/stories/from-shop-floor-to-signalling.md";
    edit(s, shop, "employer: northgate-rail", "employer: Northgate Rail");
    let council = "content/stories/council-frontline.md";
    edit(s, council, "employer: midshire-council", "employer: midshire county council");
    std::fs::create_dir_all(s.join("themes/harbour/templates")).unwrap();
    edit(s, "site.yaml", "theme: default", "theme: harbor");
    let err = fails(s, &["check"]);
    assert_says(
        &err,
        &[
            &format!(
                "levy-that-travels.md:4:11: error in `employer`: unknown employer `Fenland Foods`; did you mean `fenland-foods`? {takes}"
            ),
            &format!(
                "from-shop-floor-to-signalling.md:4:11: error in `employer`: unknown employer `Northgate Rail`; did you mean `northgate-rail`? {takes}"
            ),
            &format!(
                "council-frontline.md:4:11: error in `employer`: unknown employer `midshire county council`; did you mean `midshire-council`? {takes}"
            ),
            "site.yaml:5:8: error in `theme`: theme `harbor` not found in themes/; did you mean `harbour`? (the themes are `default`, `harbour`)",
        ],
    );
}

/// Outside round 17b, item 8: a place inside an employer file was named as code names it,
/// `years[0].outcomes.completion.professional`; it is named by the year as written, in words.
#[test]
fn places_inside_a_year_are_named_by_the_year_not_an_index() {
    let site = example_site();
    let s = site.path();
    edit(s, EMPLOYER, "- year: 2025", "- year: 2025\n    benchmark_set: smc-apprenticeships-2012");
    edit(s, EMPLOYER, "{status: not_started}", "{status: not_applicable}");
    let err = fails(s, &["check"]);
    assert_says(
        &err,
        &[
            "error in `benchmark_set` of year 2025: unknown benchmark set `smc-apprenticeships-2012`",
            "brightwater-digital.yaml:34:32: error in practice `data.ask_right_question` of year 2024: \
             `data.ask_right_question` applies to every employer; it cannot be not_applicable",
        ],
    );
    assert!(!err.contains("years[") && !err.contains("[0]") && !err.contains("[1]"), "{err}");
}

/// Outside round 17b, item 5: names and file names written on a Mac are decomposed (NFD: `e`
/// and an accent for `é`). An employer's sector so written was not the site's `Cafés`, a link
/// typed elsewhere (`Café.txt`, composed) found neither the file beside the story nor the one in
/// static/, and `Café` made the anchor `caf`. Both forms are one name; the files are published
/// under the composed one.
#[test]
fn names_and_file_names_written_decomposed_are_the_same_names() {
    let (nfd, nfc) = ("Cafe\u{301}", "Caf\u{e9}");
    let site = example_site();
    let s = site.path();
    allow_sectors(s, &[&format!("{nfc}s and restaurants")]);
    let employer = "content/employers/fenland-foods.yaml";
    edit(s, employer, "sector: Food and drink manufacturing", &format!("sector: {nfd}s and restaurants"));
    edit(s, employer, "name: Fenland Foods", &format!("name: Fenland {nfd} Foods"));
    std::fs::create_dir_all(s.join("static")).unwrap();
    std::fs::write(s.join(format!("static/{nfd}.txt")), "static").unwrap();
    write(&s.join(format!("content/stories/cafe-day/{nfd} menu.txt")), "menu");
    write(
        &s.join("content/stories/cafe-day/index.md"),
        &format!(
            "---\ntitle: {nfd} day\ndate: 2025-01-01\nemployer: fenland-foods\nsummary: x\n---\n\n## {nfd} heading\n\n\
             See [the menu](<{nfc} menu.txt>) and [the sheet](/static/{nfc}.txt).\n"
        ),
    );
    // A story naming the employer by its name, composed, is pointed to it.
    edit(s, STORY, "employer: fenland-foods", &format!("employer: Fenland {nfc} Foods"));
    let err = fails(s, &["check"]);
    assert_says(&err, &[&format!("unknown employer `Fenland {nfc} Foods`; did you mean `fenland-foods`?")]);
    assert!(err.contains("1 problem found"), "{err}");
    edit(s, STORY, &format!("employer: Fenland {nfc} Foods"), "employer: fenland-foods");
    let out = ladder(s, &["build", "-q"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let built = tree(&s.join("output"));
    assert!(
        built.contains_key(&format!("static/{nfc}.txt")),
        "{:?}",
        built.keys().filter(|k| k.contains("Caf")).collect::<Vec<_>>()
    );
    assert!(built.contains_key(&format!("stories/cafe-day/{nfc} menu.txt")));
    let page = read(&s.join("output/stories/cafe-day/index.html"));
    assert!(page.contains("id=\"cafe-heading\""), "{page}");
    let sector_page = s.join("output/sectors/cafes-and-restaurants/index.html");
    assert!(read(&sector_page).contains("Fenland"), "one sector page, with the employer on it");
    // The same name twice in static/, once in each form, would be published as one file.
    std::fs::write(s.join(format!("static/{nfc}.txt")), "other").unwrap();
    let err = fails(s, &["check"]);
    assert_says(&err, &["have the same name, its accents written in two ways"]);
}

/// Outside round 7 of issue 17, item 7: files in the wrong place were left out without a word
/// (`content/employers/2024/x.yaml`, `x.YAML`, `content/story/`, `content/x.md`). Each is
/// told where it belongs, in one run with the site's other problems; hidden and system files
/// are still passed over.
#[test]
fn files_in_the_wrong_place_are_told_where_they_belong() {
    let site = example_site();
    let root = site.path();
    let employer = read(&root.join("content/employers/northgate-rail.yaml"));
    write(&root.join("content/employers/2024/northgate-2024.yaml"), &employer);
    write(&root.join("content/employers/fenland.YAML"), &employer);
    let story = read(&root.join("content/stories/levy-that-travels.md"));
    write(&root.join("content/story/new-story.md"), &story);
    write(&root.join("content/new-story.md"), &story);
    write(&root.join("content/.gitkeep"), "");
    write(&root.join("content/employers/.DS_Store"), "");
    let out = ladder(root, &["check"]);
    let said = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    for expected in [
        "content/employers/2024: error: the folder `2024` is not read: each employer is one file directly in \
         content/employers/",
        "content/employers/fenland.YAML: error: this file is not read: files here must end in `.yaml`, in small \
         letters; rename it `fenland.yaml`",
        "content/story: error: the folder `story` is not read: content/ holds the folders benchmarks/, employers/, \
         stories/ and pages/ only; did you mean `stories`?",
        "content/new-story.md: error: this file is not read: a story goes in content/stories/ and a page in \
         content/pages/",
    ] {
        assert!(said.contains(expected), "expected `{expected}` in:\n{said}");
    }
    assert!(said.contains("4 problems found"), "{said}");
}

/// Outside round 8 of issue 17, item 4: files inside content's folders that are not read
/// (`team.md.txt` from Notepad, `third.docx`, `fourth.md ` with a space, a picture loose in
/// `content/stories/`) were left out unseen. Each is told; an editor's backup (`x.md~`,
/// `x.yaml.orig`) is passed over, and a copy beside its original is told as a copy.
#[test]
fn files_in_content_folders_that_are_not_read_are_told() {
    let site = example_site();
    let root = site.path();
    let story = read(&root.join("content/stories/levy-that-travels.md"));
    write(&root.join("content/pages/team.md.txt"), &story);
    write(&root.join("content/stories/fourth.md "), &story);
    write(&root.join("content/stories/third.docx"), "x");
    write(&root.join("content/stories/loose.png"), "x");
    write(&root.join("content/stories/levy-that-travels.md.txt"), &story);
    write(&root.join("content/stories/levy-that-travels.md~"), &story);
    write(&root.join("content/employers/northgate-rail.yaml.orig"), "x");
    let out = ladder(root, &["check"]);
    let said = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    for expected in [
        "content/pages/team.md.txt: error: this file is not read: its name does not end in `.md`; rename it `team.md`",
        "content/stories/fourth.md : error: this file is not read: its name does not end in `.md`; rename it \
         `fourth.md`",
        "content/stories/third.docx: error: this file is not read: content/stories/ holds stories",
        "content/stories/loose.png: error: this file is not read: content/stories/ holds stories (`<slug>.md`, or a \
         folder `<slug>/` holding `index.md` and its pictures) only; a picture or file for one story goes in that \
         story's folder, beside its index.md, and one for the whole site in static/",
        "content/stories/levy-that-travels.md.txt: error: this file is not read: it looks like a copy of \
         `levy-that-travels.md`",
    ] {
        assert!(said.contains(expected), "expected `{expected}` in:\n{said}");
    }
    assert!(said.contains("5 problems found"), "{said}");
}

/// Outside round 9 of issue 17, item 11: copies made by Finder, Explorer or a browser beside
/// their original (`x copy.md`, `x (1).md`, `x - Copy.yaml`) were told to be renamed as bad
/// slugs, which would publish the story twice. They are told as copies.
#[test]
fn copies_beside_their_original_are_told_as_copies() {
    let site = example_site();
    let root = site.path();
    let story = read(&root.join("content/stories/levy-that-travels.md"));
    write(&root.join("content/stories/levy-that-travels copy.md"), &story);
    write(&root.join("content/stories/levy-that-travels (1).md"), &story);
    let employer = read(&root.join("content/employers/northgate-rail.yaml"));
    write(&root.join("content/employers/northgate-rail - Copy.yaml"), &employer);
    let out = ladder(root, &["check"]);
    let said = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    for file in [
        "content/stories/levy-that-travels copy.md",
        "content/stories/levy-that-travels (1).md",
        "content/employers/northgate-rail - Copy.yaml",
    ] {
        let original = if file.contains("employers") { "northgate-rail.yaml" } else { "levy-that-travels.md" };
        let expected =
            format!("{file}: error: this file looks like a copy of `{original}` (as Finder or Explorer names copies)");
        assert!(said.contains(&expected), "expected `{expected}` in:\n{said}");
    }
    assert!(!said.contains("not a valid slug"), "{said}");
    assert!(said.contains("3 problems found"), "{said}");
}

/// Outside round 10 of issue 17 (false alarms of the new checks): a nested Markdown list in a
/// `commitment: |` block or a `summary: >` block was told as list items glued by their indent;
/// the README's own `author: Editorial team   # optional` was told its comment cut the author;
/// an email autolink (`<team@example.org>`) was told to be a file. Each is ordinary content and
/// builds; the email is published as `mailto:`.
#[test]
fn ordinary_content_is_not_refused_by_the_authoring_checks() {
    let site = example_site();
    let s = site.path();
    edit(
        s,
        EMPLOYER,
        "commitment: |\n",
        "commitment: |\n  What we do:\n\n  - Outreach\n    - schools\n    - colleges\n\n  Questions: <jobs@example.org>.\n\n",
    );
    let story = "content/stories/levy-that-travels.md";
    edit(s, story, "author: Editorial team", "author: Editorial team           # optional");
    edit(s, story, "\n---\n", "\n---\nMail <ana@example.org> or read <a href=\"/about/\">about us</a>.\n\n");
    let page = "content/pages/about.md";
    edit(s, page, "\n---\n", "\n---\nWrite to <team@example.org>.\n\n");
    let out = ladder(s, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = read(&s.join("output/stories/levy-that-travels/index.html"));
    assert!(html.contains("href=\"mailto:ana@example.org\""), "the email autolink was not published");
    assert!(html.contains("Editorial team"), "the author was lost");
}

/// Outside round 8 of issue 17, item 12: two sectors joined by an indent in site.yaml's
/// `sectors:` list were told there, and again in every employer file naming either of them as
/// "not one of the site's sectors". Told once, where the mistake is.
#[test]
fn two_sectors_joined_by_an_indent_are_told_once_in_site_yaml() {
    let site = example_site();
    let root = site.path();
    allow_sectors(root, &[]);
    let config = root.join("site.yaml");
    let text = read(&config);
    let glued = "  - \"Energy and utilities\"\n  - \"Engineering and manufacturing\"\n";
    assert!(text.contains(glued), "{text}");
    write(&config, &text.replace(glued, "  - Energy and utilities\n    - Engineering and manufacturing\n"));
    let text = read(&config);
    let line = text.lines().position(|l| l == "    - Engineering and manufacturing").unwrap() + 1;
    let out = ladder(root, &["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(&format!("site.yaml:{line}:5: error: this line is indented further")), "{err}");
    assert!(!err.contains("not one of the site's sectors"), "{err}");
    assert!(err.contains("1 problem found"), "{err}");
}

/// Outside round 12 of issue 17, items 1 and 2: a site's broken partial hid every dead link
/// (a template that does not load) or added false ones (a template that fails to render left
/// the employer pages unwritten, so links to them were told as dead), and the mistake was
/// placed in the theme's `employer.html`, not in the partial the site overrides.
#[test]
fn a_broken_partial_hides_no_dead_link_adds_none_and_is_told_where_it_is() {
    let site = example_site();
    let s = site.path();
    write(&s.join("content/stories/l.md"), "---\ntitle: L\ndate: 2025-01-01\n---\n[x](/nope/) [y](/static/nope.pdf)\n");
    let dead = [
        "content/stories/l.md:5:1: error: `/nope/` points to no page or file of the site",
        "content/stories/l.md:5:13: error: `/static/nope.pdf` points to no page or file of the site",
    ];
    let partial = s.join("templates/partials/judgement.html");
    for (text, says) in [
        (
            "{{ nosuchvar.x }}\n",
            "templates/partials/judgement.html:1:4: error: template `partials/judgement.html` (in `employer.html`) \
             failed to render",
        ),
        ("{% if x %}broken\n", "templates/partials/judgement.html:"),
    ] {
        write(&partial, text);
        for command in ["check", "build"] {
            let err = fails(s, &[command]);
            assert_says(&err, &[dead[0], dead[1], says]);
            assert!(!err.contains("northgate-rail"), "{command}: {err}");
        }
    }
}
