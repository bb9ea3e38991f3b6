//! Hostile links and open data: every link field of every content kind refuses script links
//! where they are written, and no CSV cell can start a spreadsheet formula.

mod common;
use common::*;
use std::path::Path;

/// Put `with` in place of the first `replace` in `file` (relative to the site).
fn edit(site: &Path, file: &str, replace: &str, with: &str) {
    let path = site.join(file);
    let text = read(&path);
    assert!(text.contains(replace), "{file}: `{replace}` not found");
    write(&path, &text.replacen(replace, with, 1));
}

const EMPLOYER: &str = "content/employers/northgate-rail.yaml";

/// Put `text` at the start of the body of `file` (after its front matter) and return the line
/// it starts on.
fn put_in_body(root: &Path, file: &str, text: &str) -> usize {
    edit(root, file, "\n---\n", &format!("\n---\n{text}\n\n"));
    let first = text.lines().next().unwrap_or_default();
    read(&root.join(file)).lines().position(|l| l == first).expect("the text is in the file") + 1
}

/// Run `ladder check` on a broken site: it must fail, telling each of `expected` and `count`
/// problems in all. What it said is returned for further checks.
fn check_tells(root: &Path, expected: &[String], count: usize) -> String {
    let out = ladder(root, &["check"]);
    let said = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    for e in expected {
        assert!(said.contains(e.as_str()), "expected `{e}` in:\n{said}");
    }
    let tally = if count == 1 { "1 problem found".to_string() } else { format!("{count} problems found") };
    assert!(said.contains(&tally), "{said}");
    said
}

const BENCHMARKS: &str = "content/benchmarks/smc-apprenticeships-2021.yaml";

/// (file, text to replace, its replacement with `{url}` for the link, where the error must point).
fn link_fields() -> Vec<(&'static str, &'static str, &'static str, &'static str)> {
    vec![
        (
            EMPLOYER,
            "website: https://example.org/northgate-rail",
            "website: {url}",
            "content/employers/northgate-rail.yaml:7:10: error in `website`",
        ),
        (EMPLOYER, "levy_payer: true\n", "levy_payer: true\nlogo: {url}\n", "northgate-rail.yaml:7:7: error in `logo`"),
        (
            EMPLOYER,
            "evidence: \"https://example.org/northgate-rail/understand-current\"",
            "evidence: {url}",
            "northgate-rail.yaml:40:",
        ),
        (
            BENCHMARKS,
            "    url: https://www.gov.uk/",
            "    url: {url}\n    #",
            "content/benchmarks/smc-apprenticeships-2021.yaml:13:10: error in `url`",
        ),
        ("site.yaml", "base_url: http://127.0.0.1:8080/", "base_url: {url}", "site.yaml:3:11: error in `base_url`"),
    ]
}

#[test]
fn every_link_field_refuses_script_links_with_file_line_and_column() {
    for (file, replace, with, location) in link_fields() {
        let site = example_site();
        edit(site.path(), file, replace, &with.replace("{url}", "javascript:alert(1)"));
        let out = ladder(site.path(), &["build"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{file}: {replace} was accepted:\n{err}");
        assert!(err.contains(location), "{file}: expected `{location}` in:\n{err}");
        assert!(err.contains("`javascript:alert(1)` is not an http(s) URL"), "{file}:\n{err}");
        assert!(!site.path().join("output").exists(), "{file}: a failed build wrote output");
    }
}

#[test]
fn disguised_script_links_are_refused_too() {
    // YAML double-quoted strings can carry tabs, newlines and control characters that browsers
    // strip before they read the scheme.
    for url in [
        "\"JaVaScRiPt:alert(1)\"",
        "\" javascript:alert(1)\"",
        "\"java\\tscript:alert(1)\"",
        "\"java\\nscript:alert(1)\"",
        "\"\\x01javascript:alert(1)\"",
        "\"&#106;avascript:alert(1)\"",
        "\"vbscript:msgbox(1)\"",
        "\"data:text/html,<script>alert(1)</script>\"",
        "\"//evil.example/\"",
        "\"/\\\\evil.example/\"",
    ] {
        let site = example_site();
        edit(site.path(), EMPLOYER, "website: https://example.org/northgate-rail", &format!("website: {url}"));
        let out = ladder(site.path(), &["build"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{url} was accepted:\n{err}");
        assert!(err.contains("northgate-rail.yaml:7:10: error in `website`"), "{url}:\n{err}");
    }
}

/// Every cell of every CSV file the build writes.
fn csv_cells(output: &Path) -> Vec<(String, String)> {
    let mut cells = Vec::new();
    for name in ["employers.csv", "representation.csv", "outcomes.csv"] {
        let mut r = csv::ReaderBuilder::new().has_headers(false).from_path(output.join("data").join(name)).unwrap();
        for rec in r.records() {
            cells.extend(rec.unwrap().iter().map(|c| (name.to_string(), c.to_string())));
        }
    }
    cells
}

#[test]
fn csv_cells_cannot_start_a_formula() {
    let site = example_site();
    let formulas = [
        ("content/employers/northgate-rail.yaml", "=HYPERLINK(\"http://evil.example\",\"x\")"),
        ("content/employers/pennine-build.yaml", "+SUM(1,2)"),
        ("content/employers/midshire-council.yaml", "-2+3"),
        ("content/employers/fenland-foods.yaml", "@cmd|' /C calc'!A0"),
        ("content/employers/solent-marine.yaml", "\t=1+1"),
        ("content/employers/castlegate-legal.yaml", "\r=1+1"),
    ];
    for (file, name) in formulas {
        let path = site.path().join(file);
        let text = read(&path);
        let old = text.lines().find(|l| l.starts_with("name: ")).unwrap().to_string();
        write(&path, &text.replacen(&old, &format!("name: {}", serde_json::to_string(name).unwrap()), 1));
    }
    allow_sectors(site.path(), &["=1+1 Engineering and manufacturing"]);
    edit(site.path(), "content/employers/northgate-rail.yaml", "sector: Engineering", "sector: \"=1+1 Engineering");
    edit(site.path(), "content/employers/northgate-rail.yaml", "and manufacturing\n", "and manufacturing\"\n");
    let out = ladder(site.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let cells = csv_cells(&site.path().join("output"));
    for (file, cell) in &cells {
        if cell.starts_with(['=', '+', '@', '\t', '\r']) || (cell.starts_with('-') && cell.parse::<f64>().is_err()) {
            panic!("{file}: the cell `{cell:?}` would run as a formula");
        }
    }
    for (_, name) in formulas {
        // Names are trimmed when read, so a leading tab or carriage return is gone by then.
        let quoted = format!("'{}", name.trim());
        assert!(cells.iter().any(|(_, c)| *c == quoted), "`{quoted}` not written");
    }
    assert!(cells.iter().any(|(_, c)| c == "'=1+1 Engineering and manufacturing"));
}

/// Settings that would publish a broken or leaky site are refused where they are written: a base
/// address with a query, a fragment or a password (copied into every link of every page), no
/// stories on a page, a control character in the output folder's name, a name of only spaces.
#[test]
fn unusable_settings_are_refused_with_file_line_and_field() {
    let cases: &[(&str, &str, &str, &[&str])] = &[
        (
            "site.yaml",
            "base_url: http://127.0.0.1:8080/",
            "base_url: https://example.org/?ref=x",
            &["site.yaml:3:11: error in `base_url`", "query"],
        ),
        (
            "site.yaml",
            "base_url: http://127.0.0.1:8080/",
            "base_url: https://example.org/#top",
            &["site.yaml:3:11: error in `base_url`", "fragment"],
        ),
        (
            "site.yaml",
            "base_url: http://127.0.0.1:8080/",
            "base_url: https://user:pw@example.org/",
            &["site.yaml:3:11: error in `base_url`", "password"],
        ),
        (
            "site.yaml",
            "benchmark_set: smc-apprenticeships-2021",
            "benchmark_set: smc-apprenticeships-2021\nstories_per_page: 0",
            &["site.yaml:8:19: error in `stories_per_page`", "between 1 and 1000"],
        ),
        (
            "site.yaml",
            "benchmark_set: smc-apprenticeships-2021",
            "benchmark_set: smc-apprenticeships-2021\nstories_per_page: -1",
            &["site.yaml:8:19: error in `stories_per_page`", "between 1 and 1000, not -1"],
        ),
        (
            "site.yaml",
            "base_url: http://127.0.0.1:8080/",
            "base_url: \"https://example.org/</script>\"",
            &["site.yaml:3:11: error in `base_url`", "contains a `<`"],
        ),
        (
            "site.yaml",
            "benchmark_set: smc-apprenticeships-2021",
            "benchmark_set: smc-apprenticeships-2021\noutput_dir: \"out\\0x\"",
            &["site.yaml:8:13: error in `output_dir`", "control character"],
        ),
        (
            EMPLOYER,
            "name: Northgate Rail Engineering",
            "name: \"   \"",
            &["content/employers/northgate-rail.yaml:2:7: error in `name`: the name is empty"],
        ),
    ];
    for (file, replace, with, says) in cases {
        let site = example_site();
        edit(site.path(), file, replace, with);
        for command in ["check", "build"] {
            let out = ladder(site.path(), &[command]);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(1), "{command} with {with}: accepted:\n{err}");
            for s in *says {
                assert!(err.contains(s), "{command} with {with}: expected `{s}` in:\n{err}");
            }
        }
        assert!(!site.path().join("output").exists(), "{with}: a failed build wrote output");
    }
    // The command line's `--base-url` passes the same check; failing it is a bad command line
    // (exit 2, issue 17 outside round 4).
    for url in ["https://example.org/?ref=x", "https://example.org/#top", "https://user:pw@example.org/"] {
        let site = example_site();
        let out = ladder(site.path(), &["build", "--base-url", url]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "--base-url {url}: accepted:\n{err}");
        assert!(err.contains("--base-url") && err.contains(url), "--base-url {url}:\n{err}");
        assert!(!site.path().join("output").exists(), "--base-url {url}: a failed build wrote output");
    }
}

/// A site.yaml that cannot be read must not hide the content's own problems: both are reported
/// in one run, and nothing is written.
#[test]
fn a_broken_site_yaml_does_not_hide_content_errors() {
    let site = example_site();
    let root = site.path();
    let config = read(&root.join("site.yaml"));
    write(&root.join("site.yaml"), &format!("{config}stories_per_page: many\n"));
    let employer = read(&root.join(EMPLOYER));
    write(&root.join(EMPLOYER), &employer.replacen("size: ", "size: huge # was ", 1));
    let out = ladder(root, &["build"]);
    let said = stderr(&out);
    assert!(!out.status.success());
    assert!(said.contains("site.yaml:") && said.contains("`stories_per_page`"), "{said}");
    assert!(said.contains("northgate-rail.yaml:") && said.contains("`huge` is not a size"), "{said}");
    assert!(!root.join("output").exists(), "a failed build wrote output");
}

/// Issue 17: Excel reads a CSV file without a byte-order mark in the machine's legacy code
/// page, so `2024–2025` came out as `2024â€“2025`. Every CSV file starts with the UTF-8 mark.
#[test]
fn csv_files_open_in_excel_as_utf8() {
    let site = example_site();
    let out = ladder(site.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    for name in ["employers.csv", "representation.csv", "outcomes.csv"] {
        let bytes = std::fs::read(site.path().join("output/data").join(name)).unwrap();
        let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or_else(|| panic!("{name} has no byte-order mark"));
        let text = std::str::from_utf8(text).unwrap();
        assert!(text.starts_with("slug,"), "{name}: the mark is written once, before the header");
        if name != "employers.csv" {
            assert!(text.contains(",2024–2025,"), "{name}: periods are written as on the pages");
        }
    }
}

/// Every link and image of every built page that stays on the site, as the path below `base`
/// of the file a host would serve for it (`x/` is `x/index.html`), with the page it is on.
fn links_on_the_site(out: &Path, base_url: &str, base_path: &str) -> Vec<(String, String, String)> {
    let selector = scraper::Selector::parse("a[href], img[src], link[href], script[src]").unwrap();
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(out) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let page = entry.path().strip_prefix(out).unwrap().display().to_string();
        let html = scraper::Html::parse_document(&read(entry.path()));
        for element in html.select(&selector) {
            let url = element.attr("href").or_else(|| element.attr("src")).unwrap().to_string();
            assert!(!url.starts_with("@/"), "{page}: an `@/` link was left as written: {url}");
            let below = url.strip_prefix(base_url).or_else(|| url.strip_prefix(base_path));
            let below = match below {
                Some(b) => b,
                // A path from the host's root that misses the sub-path breaks on the host.
                None if url.starts_with('/') && !url.starts_with("//") => {
                    panic!("{page}: `{url}` is not below the site's path {base_path}")
                }
                None => continue,
            };
            let path = below.split(['#', '?']).next().unwrap();
            let path = percent_encoding::percent_decode_str(path).decode_utf8().unwrap().into_owned();
            let file = if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path };
            found.push((page.clone(), url, file));
        }
    }
    found
}

/// Issue 17: on a host's sub-path (a GitHub Pages project site), Markdown links and images
/// written from the site's root and `@/` links by source file all reach a file of the build.
#[test]
fn markdown_links_images_and_source_links_resolve_under_a_sub_path() {
    let site = example_site();
    let root = site.path();
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::write(root.join("static/team photo.png"), b"not really a picture").unwrap();
    edit(
        root,
        "content/stories/bakery-apprentice.md",
        "\n---\n",
        "\n---\n![The team](/static/team%20photo.png) [Northgate](@/employers/northgate-rail.yaml) \
         [the signalling story](@/stories/from-shop-floor-to-signalling.md#getting-in) \
         [taking part](@/pages/about.md#taking-part) [the data](/data/employers.csv) [the method](/methodology/)\n\n",
    );
    edit(root, EMPLOYER, "  less good,", "  less good ([our apprentices](/stories/)),");
    edit(
        root,
        "content/pages/about.md",
        "All the names",
        "See [Solent Marine](/employers/solent-marine/). All the names",
    );
    let out = ladder(root, &["build", "--base-url", "https://example.org/sub/", "--output", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = root.join("out");
    let links = links_on_the_site(&out, "https://example.org/sub/", "/sub/");
    let missing: Vec<_> = links.iter().filter(|(_, _, file)| !out.join(file).is_file()).collect();
    assert!(missing.is_empty(), "links to files the build did not write: {missing:#?}");
    // The links written in Markdown are among them, with the sub-path.
    for (page, url) in [
        ("stories/bakery-apprentice/index.html", "/sub/static/team%20photo.png"),
        ("stories/bakery-apprentice/index.html", "/sub/employers/northgate-rail/"),
        ("stories/bakery-apprentice/index.html", "/sub/stories/from-shop-floor-to-signalling/#getting-in"),
        ("stories/bakery-apprentice/index.html", "/sub/about/#taking-part"),
        ("stories/bakery-apprentice/index.html", "/sub/data/employers.csv"),
        ("stories/bakery-apprentice/index.html", "/sub/methodology/"),
        ("employers/northgate-rail/index.html", "/sub/stories/"),
        ("about/index.html", "/sub/employers/solent-marine/"),
    ] {
        assert!(links.iter().any(|(p, u, _)| p == page && u == url), "{page} has no link to {url}");
    }
}

/// Outside round 5 of issue 17, item 6: a link field that is a path on the site
/// (`evidence: /static/policy.pdf`) was published without the base URL's path, and one that
/// reaches nothing passed `check`.
#[test]
fn link_fields_that_are_paths_get_the_sub_path_and_are_checked() {
    let site = example_site();
    let root = site.path();
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::write(root.join("static/policy.pdf"), b"%PDF-1.4\n%%EOF\n").unwrap();
    // In the latest year's practices (2025), which the scorecard publishes.
    edit(
        root,
        EMPLOYER,
        "evidence: \"https://example.org/northgate-rail/explain-why\"",
        "evidence: /static/policy.pdf",
    );
    edit(root, EMPLOYER, "outside the big cities.\"}", "outside the big cities.\", evidence: /static/nope.pdf}");
    let text = read(&root.join(EMPLOYER));
    let line = text.lines().position(|l| l.contains("/static/nope.pdf")).unwrap();
    let column = text.lines().nth(line).unwrap().find("/static/nope.pdf").unwrap() + 1;
    let expected =
        format!("{EMPLOYER}:{}:{column}: error: `/static/nope.pdf` points to no page or file of the site", line + 1);
    for command in ["check", "build"] {
        let out = ladder(root, &[command]);
        let said = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{command}: {said}");
        assert!(said.contains(&expected), "{command}: expected `{expected}` in:\n{said}");
    }
    edit(root, EMPLOYER, "evidence: /static/nope.pdf", "evidence: https://example.org/x");
    let out = ladder(root, &["build", "--base-url", "https://example.org/sub/", "--output", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = read(&root.join("out/employers/northgate-rail/index.html"));
    assert!(page.contains("href=\"/sub/static/policy.pdf\""), "{page}");
    let links = links_on_the_site(&root.join("out"), "https://example.org/sub/", "/sub/");
    assert!(links.iter().all(|(_, _, file)| root.join("out").join(file).is_file()));
}

/// Issue 17: a link written from the site's root that reaches no file of the build (`check`
/// and `build` alike), in a story or an employer's commitment, or an `@/` link to a draft, is
/// an error at its file, line and column.
#[test]
fn links_to_nothing_the_build_writes_are_errors_with_file_and_line() {
    let site = example_site();
    let root = site.path();
    edit(
        root,
        "content/stories/bakery-apprentice.md",
        "\n---\n",
        "\n---\n![The team](/static/nope.png)\n\nSee [sectors](/sectors/nope/) and [a draft](@/stories/draft.md).\n",
    );
    write(&root.join("content/stories/draft.md"), "---\ntitle: Draft\ndate: 2025-01-01\ndraft: true\n---\nSoon.\n");
    // In an employer's commitment, a block of Markdown: placed at its own line of the file.
    edit(root, EMPLOYER, "  less good,", "  less good ([our style](/static/gone.css)),");
    let text = read(&root.join("content/stories/bakery-apprentice.md"));
    let line = text.lines().position(|l| l.starts_with("![The team]")).unwrap() + 1;
    for command in ["check", "build"] {
        let out = ladder(root, &[command]);
        let said = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{command}: {said}");
        let file = "content/stories/bakery-apprentice.md";
        for expected in [
            format!(
                "{file}:{line}:1: error: `/static/nope.png` points to no page or file of the site: the build writes nothing at /static/nope.png"
            ),
            format!("{file}:{}:5: error: `/sectors/nope/` points to no page or file of the site", line + 2),
            format!(
                "{file}:{}:35: error: `@/stories/draft.md` points to /stories/draft/, the page of a draft, which is published with `--drafts` only",
                line + 2
            ),
            format!("{EMPLOYER}:11:14: error: `/static/gone.css` points to no page or file of the site"),
        ] {
            assert!(said.contains(&expected), "{command}: expected `{expected}` in:\n{said}");
        }
        assert!(said.contains("4 problems found"), "{command}: {said}");
        assert!(!root.join("output").exists(), "{command}: a failed build wrote output");
    }
    // With drafts the draft's page is built, and the link to it is fine.
    let out = ladder(root, &["build", "--drafts"]);
    assert!(stderr(&out).contains("3 problems found") && !stderr(&out).contains("draft.md"), "{}", stderr(&out));
}

/// Outside round 17a of issue 17, item 1: links and pictures written as HTML in a story's
/// Markdown (`<a href="/employers/nope/">`, `<img src="/static/missing.png">`) passed `check`
/// while the same links in Markdown were reported, and were published without the base URL's
/// path. They are checked at their file, line and column, a tag written over several lines and
/// a path spelt with a character reference (`&#47;`) included, and given the sub-path.
#[test]
fn links_and_pictures_written_as_html_are_checked_and_get_the_sub_path() {
    let site = example_site();
    let root = site.path();
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::write(root.join("static/team.png"), b"not really a picture").unwrap();
    let file = "content/stories/bakery-apprentice.md";
    let html = "\n---\nSee <a href=\"/employers/nope/\">x</a> and <img src=\"/static/missing.png\" alt=\"p\">.\n\n\
                <p><a href=\"@/employers/nope.yaml\">y</a> <a href=\"&#47;sectors/nope/\">z</a></p>\n\n\
                <div>\n<img alt=\"The team\"\n     src=\"/static/gone.png\"> <!-- <a href=\"/commented/out/\"> -->\n</div>\n\n";
    edit(root, file, "\n---\n", html);
    let text = read(&root.join(file));
    let line = text.lines().position(|l| l.starts_with("See <a href")).unwrap() + 1;
    for command in ["check", "build"] {
        let out = ladder(root, &[command]);
        let said = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{command}: {said}");
        for expected in [
            format!(
                "{file}:{line}:14: error: `/employers/nope/` points to no page of the site: there is no employer `nope`"
            ),
            format!(
                "{file}:{line}:52: error: `/static/missing.png` points to no page or file of the site: the build writes \
                 nothing at /static/missing.png"
            ),
            format!(
                "{file}:{}:13: error: `@/employers/nope.yaml` links to content/employers/nope.yaml, which does not exist",
                line + 2
            ),
            format!("{file}:{}:51: error: `/sectors/nope/` points to no page or file of the site", line + 2),
            format!("{file}:{}:11: error: `/static/gone.png` points to no page or file of the site", line + 6),
        ] {
            assert!(said.contains(&expected), "{command}: expected `{expected}` in:\n{said}");
        }
        assert!(said.contains("5 problems found"), "{command}: {said}");
        assert!(!said.contains("/commented/out/"), "{command}: a link in an HTML comment was read: {said}");
        assert!(!root.join("output").exists(), "{command}: a failed build wrote output");
    }
    let text = read(&root.join(file))
        .replace("/employers/nope/", "/employers/northgate-rail/")
        .replace("/static/missing.png", "/static/team.png")
        .replace("@/employers/nope.yaml", "@/employers/solent-marine.yaml")
        .replace("&#47;sectors/nope/", "&#47;methodology/")
        .replace("/static/gone.png", "/static/team.png");
    write(&root.join(file), &text);
    let out = ladder(root, &["build", "--base-url", "https://example.org/sub/", "--output", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = root.join("out");
    let links = links_on_the_site(&out, "https://example.org/sub/", "/sub/");
    let missing: Vec<_> = links.iter().filter(|(_, _, file)| !out.join(file).is_file()).collect();
    assert!(missing.is_empty(), "links to files the build did not write: {missing:#?}");
    let page = "stories/bakery-apprentice/index.html";
    for url in
        ["/sub/employers/northgate-rail/", "/sub/static/team.png", "/sub/employers/solent-marine/", "/sub/methodology/"]
    {
        assert!(links.iter().any(|(p, u, _)| p == page && u == url), "{page} has no link to {url}");
    }
}

/// Outside round 7 of issue 17: `[x](@employers/northgate-rail.yaml)`, the slash after `@`
/// forgotten, passed `check` and was published as a broken relative link. It is told as an
/// `@/` link that names no page, with the link it most likely means.
#[test]
fn an_at_link_without_its_slash_is_told_with_the_link_it_means() {
    let site = example_site();
    let root = site.path();
    let file = "content/stories/bakery-apprentice.md";
    edit(root, file, "\n---\n", "\n---\nSee [Northgate](@employers/northgate-rail.yaml).\n\n");
    let line = read(&root.join(file)).lines().position(|l| l.starts_with("See [Northgate]")).unwrap() + 1;
    let out = ladder(root, &["check"]);
    let said = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains(&format!("{file}:{line}:5: error: `@employers/northgate-rail.yaml` names no page"))
            && said.contains("did you mean `@/employers/northgate-rail.yaml`?"),
        "{said}"
    );
}

/// Outside round 7 of issue 17, items 1 to 4: relative links were checked only in a story
/// folder. In a story written as one file (`[plan](plan.pdf)`, `x.html`), a free page and an
/// employer's commitment they passed `check` and were published broken; an address in Word's
/// curly quotes passed; an `href` with spaces around it was neither checked nor given the
/// sub-path. Each is told at its place; a relative link that leads to a page is fine.
#[test]
fn relative_links_curly_quotes_and_spaced_hrefs_are_checked_everywhere() {
    let site = example_site();
    let root = site.path();
    let story = "content/stories/bakery-apprentice.md";
    edit(
        root,
        story,
        "\n---\n",
        "\n---\nThe [plan](plan.pdf), the [old page](x.html) and the [pipeline](../building-the-pipeline/).\n\n\
         Quoted [badly](\u{201D}/employers/northgate-rail/\u{201D}) and <a href=\" /employers/nope/ \">spaced</a>.\n\n",
    );
    let page = "content/pages/about.md";
    edit(
        root,
        page,
        "\n---\n",
        "\n---\nRead the [terms](terms.pdf) and [Northgate](../employers/northgate-rail/).\n\n",
    );
    edit(root, EMPLOYER, "  less good,", "  less good ([our report](report/)),");
    let text = read(&root.join(story));
    let line = text.lines().position(|l| l.starts_with("The [plan]")).unwrap() + 1;
    let page_line = read(&root.join(page)).lines().position(|l| l.starts_with("Read the [terms]")).unwrap() + 1;
    for command in ["check", "build"] {
        let out = ladder(root, &[command]);
        let said = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{command}: {said}");
        for expected in [
            format!(
                "{story}:{line}:5: error: `plan.pdf` names a file beside the story, and a story written as one file publishes nothing beside it"
            ),
            format!("{story}:{line}:27: error: `x.html` names a file beside the story"),
            format!(
                "{story}:{}:8: error: `\u{201D}/employers/northgate-rail/\u{201D}` is wrapped in curly quotes",
                line + 2
            ),
            format!(
                "{story}:{}:59: error: `/employers/nope/` points to no page of the site: there is no employer `nope`",
                line + 2
            ),
            format!(
                "{page}:{page_line}:10: error: `terms.pdf` names a file at /about/terms.pdf, which the build does not publish (nothing is published beside a free page"
            ),
            format!(
                "{EMPLOYER}:11:14: error: `report/` points to no page of the site: from its page it leads to /employers/northgate-rail/report/"
            ),
        ] {
            assert!(said.contains(&expected), "{command}: expected `{expected}` in:\n{said}");
        }
        assert!(!said.contains("building-the-pipeline"), "{command}: a relative link to a page was refused: {said}");
        assert!(!said.contains("../employers/northgate-rail/`"), "{command}: {said}");
        assert!(said.contains("6 problems found"), "{command}: {said}");
        assert!(!root.join("output").exists(), "{command}: a failed build wrote output");
    }
    // Fixed, the spaced href gets the sub-path, and the relative links lead to built pages.
    let text = read(&root.join(story))
        .replace("The [plan](plan.pdf), the [old page](x.html) and", "And")
        .replace("Quoted [badly](\u{201D}/employers/northgate-rail/\u{201D}) and", "And")
        .replace("/employers/nope/", "/employers/northgate-rail/");
    write(&root.join(story), &text);
    edit(root, page, "[terms](terms.pdf)", "terms");
    edit(root, EMPLOYER, " ([our report](report/))", "");
    let out = ladder(root, &["build", "--base-url", "https://example.org/sub/", "--output", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = read(&root.join("out/stories/bakery-apprentice/index.html"));
    assert!(
        html.contains("href=\"/sub/employers/northgate-rail/\" rel=\"noopener noreferrer\">spaced</a>"),
        "the spaced href got no sub-path"
    );
    assert!(root.join("out/stories/building-the-pipeline/index.html").is_file());
    assert!(read(&root.join("out/about/index.html")).contains("href=\"../employers/northgate-rail/\""));
}

/// Outside round 7 of issue 17, items 8 and 9: a dead path in an employer's `website`, `logo`
/// or `evidence` was hidden while the file had another problem, and was told at the first
/// place the same text appeared, not at its setting. Each is told at its own setting, in one
/// run with the file's other problem.
#[test]
fn an_employers_link_settings_are_checked_at_their_lines_whatever_else_is_wrong() {
    let site = example_site();
    let root = site.path();
    edit(root, EMPLOYER, "website: https://example.org/northgate-rail", "website: /about-us/");
    edit(root, EMPLOYER, "size: large", "# Our old site was /about-us/ too.\nsize: huge");
    // The latest year's evidence (the one published): the last in the file.
    let text = read(&root.join(EMPLOYER));
    let old = "evidence: \"https://example.org/northgate-rail/support-applicants\"";
    let at = text.rfind(old).unwrap();
    write(
        &root.join(EMPLOYER),
        &format!("{}evidence: \"/static/qualifications.pdf\"{}", &text[..at], &text[at + old.len()..]),
    );
    edit(root, EMPLOYER, "  less good,", "  less good (we moved from /about-us/ and /static/qualifications.pdf),");
    let text = read(&root.join(EMPLOYER));
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let evidence = text.lines().nth(line_of("/static/qualifications.pdf\"") - 1).unwrap();
    let column = evidence.find("/static/qualifications.pdf").unwrap() + 1;
    let expected = [
        format!("{EMPLOYER}:{}:7: error in `size`", line_of("size: huge")),
        format!(
            "{EMPLOYER}:{}:10: error: `/about-us/` points to no page or file of the site",
            line_of("website: /about-us/")
        ),
        format!(
            "{EMPLOYER}:{}:{column}: error: `/static/qualifications.pdf` points to no page or file of the site",
            line_of("/static/qualifications.pdf\"")
        ),
    ];
    check_tells(root, &expected, 3);
}

/// Outside round 7 of issue 17, smaller items: a link to another story by its file's path
/// (`../levy-that-travels.md`) was told to move the file beside the story; a hero named as
/// `/static/favicon.svg` was told to put the SVG beside the story (a story folder takes no SVG);
/// `/employers/../about/` was "no employer `..`". Each is told what to write.
#[test]
fn content_files_by_path_svg_heroes_and_dot_segments_get_the_right_advice() {
    let site = example_site();
    let root = site.path();
    let story = "content/stories/bakery-apprentice.md";
    edit(
        root,
        story,
        "\n---\n",
        "\nimage: /static/favicon.svg\nimage_alt: The logo\n---\nSee [the levy](../levy-that-travels.md), \
         [Northgate](../../employers/northgate-rail.yaml) and [about](/employers/../about/).\n\n",
    );
    let text = read(&root.join(story));
    let line = text.lines().position(|l| l.starts_with("See [the levy]")).unwrap() + 1;
    let image_line = text.lines().position(|l| l.starts_with("image:")).unwrap() + 1;
    let expected = [
        format!(
            "{story}:{line}:5: error: `../levy-that-travels.md` names a content file by its path, which is not \
             published; a link to a story, an employer or a page names its file after `@/`: \
             `@/stories/levy-that-travels.md`"
        ),
        format!("{story}:{line}:42: error: `../../employers/northgate-rail.yaml` names a content file by its path"),
        "`@/employers/northgate-rail.yaml`".to_string(),
        format!(
            "{story}:{image_line}:8: error in `image`: `image`, the story's picture, must be a file in the story's \
             own folder, but `/static/favicon.svg` is a path from the site's root; the picture must be a JPEG, PNG \
             or WebP file"
        ),
    ];
    let said = check_tells(root, &expected, 3);
    assert!(!said.contains("employer `..`"), "{said}");
}

/// Outside round 8 of issue 17, items 1 and 7: paths written with Windows' backslashes passed
/// `check` and were published broken (`\static\plan.pdf` without the sub-path) or off the site
/// (`/\evil.example/`, which a browser reads as another host); a curly-quoted `href` in a story
/// was told twice. Each is told once, with the path to write.
#[test]
fn backslashed_paths_are_told_and_curly_quoted_html_once() {
    let site = example_site();
    let root = site.path();
    let story = "content/stories/bakery-apprentice.md";
    edit(
        root,
        story,
        "\n---\n",
        "\n---\nSee <a href=\"\\static\\plan.pdf\">plan</a>, ![red](\\static\\red.png) and [e](/\\about/).\n\n\
         Text <a href=\u{201D}/about/\u{201D}>c</a> more.\n\n",
    );
    let text = read(&root.join(story));
    let line = text.lines().position(|l| l.starts_with("See <a href")).unwrap() + 1;
    let expected = [
        format!(
            "{story}:{line}:14: error: `\\static\\plan.pdf` is written with backslashes (`\\`), as Windows writes \
             paths; a web address uses `/`, and a browser reading `\\` as `/` would not give it the site's path: \
             write `/static/plan.pdf`"
        ),
        format!("{story}:{line}:42: error: `\\static\\red.png` is written with backslashes"),
        format!("{story}:{line}:70: error: `/\\about/` is written with backslashes"),
        "write `/about/`".to_string(),
        format!("{story}:{}:14: error: `\u{201D}/about/\u{201D}` is wrapped in curly quotes", line + 2),
    ];
    let said = check_tells(root, &expected, 4);
    assert_eq!(said.matches("curly quotes").count(), 1, "{said}");
}

/// Outside round 8 of issue 17, item 5: a relative link to a content file was given a guessed
/// `@/` link (`team.md` on a page got `@/stories/team.md`; `../photo-day/index.md` got
/// `@/stories/index.md`), or told "no story" of a story that exists. The file that exists is
/// named, with the link's `#fragment`.
#[test]
fn links_to_content_files_by_path_are_told_the_file_that_exists() {
    let site = example_site();
    let root = site.path();
    write(&root.join("content/pages/team.md"), "---\ntitle: Team\n---\nUs.\n");
    let page = "content/pages/about.md";
    let line = put_in_body(root, page, "See [the team](team.md) and [a story](../stories/levy-that-travels.md#x).");
    let expected = [
        format!(
            "{page}:{line}:5: error: `team.md` names a content file by its path, which is not published; a link to a story, an employer or a page names its file after `@/`: `@/pages/team.md`"
        ),
        format!("{page}:{line}:29: error: `../stories/levy-that-travels.md#x` names a content file by its path"),
        "`@/stories/levy-that-travels.md#x`".to_string(),
    ];
    let said = check_tells(root, &expected, 2);
    assert!(!said.contains("there is no story"), "{said}");
}

/// Outside round 8 of issue 17, items 8 and 9: a practice's dead `evidence` path was not told
/// while that same entry had another problem (a status typo), and curly quotes in a YAML link
/// setting (`website`, a story's `image`) got wrong advice. Each is told in one run.
#[test]
fn evidence_beside_a_typo_and_curly_quoted_settings_are_told() {
    let site = example_site();
    let root = site.path();
    let text = read(&root.join(EMPLOYER));
    let old = "data.explain_why: {status: in_place, note: \"Our application form explains";
    let at = text.rfind(old).unwrap();
    let end = at + text[at..].find('\n').unwrap();
    let entry = "data.explain_why: {status: partal, note: \"x\", evidence: \"/static/why.pdf\"}";
    write(&root.join(EMPLOYER), &format!("{}{entry}{}", &text[..at], &text[end..]));
    edit(
        root,
        EMPLOYER,
        "website: https://example.org/northgate-rail",
        "website: \u{201D}https://example.org/\u{201D}",
    );
    let story = "content/stories/bakery-apprentice.md";
    edit(root, story, "\n---\n", "\nimage: \u{201C}team.png\u{201D}\nimage_alt: The team\n---\n");
    let line = read(&root.join(EMPLOYER)).lines().position(|l| l.contains("status: partal")).unwrap() + 1;
    let expected = [
        format!("{EMPLOYER}:{line}:34: error in `status`: `partal` is not a status; did you mean `partial`?"),
        format!("{EMPLOYER}:{line}:64: error: `/static/why.pdf` points to no page or file of the site"),
        format!(
            "{EMPLOYER}:7:10: error in `website`: `\u{201D}https://example.org/\u{201D}` is wrapped in curly quotes \
             (as a word processor writes them), which are no part of an address; write it with straight quotes `\"` \
             or none: `https://example.org/`"
        ),
        "is wrapped in curly quotes (as a word processor writes them), which are no part of a file's name; write it \
         with straight quotes `\"` or none: `image: team.png`"
            .to_string(),
    ];
    check_tells(root, &expected, 4);
}

/// Outside round 9 of issue 17, items 1 and 3: a `tel:` link and a path on the author's
/// computer (`C:/Users/hr/plan.pdf`) were published as dead `#` links without a word, and an
/// embedded video was dropped without one. `tel:` is published; the rest is told.
#[test]
fn phone_links_publish_and_computer_paths_and_players_are_told() {
    let site = example_site();
    let root = site.path();
    let page = "content/pages/about.md";
    let line = put_in_body(
        root,
        page,
        "Call [us](tel:+441914960000) or see [the plan](C:/Users/hr/plan.pdf).\n\n\
         <iframe src=\"https://www.youtube-nocookie.com/embed/abc\" title=\"Ana\"></iframe>",
    );
    let expected = [
        format!(
            "{page}:{line}:37: error: `C:/Users/hr/plan.pdf` is a file on this computer, which readers of the site \
             cannot open; put the file in the site's static/ folder and link `/static/plan.pdf`"
        ),
        format!("{page}:{}:1: error: `<iframe>` is removed from the published page", line + 2),
    ];
    check_tells(root, &expected, 2);
    edit(root, page, " or see [the plan](C:/Users/hr/plan.pdf)", "");
    edit(root, page, "<iframe src=\"https://www.youtube-nocookie.com/embed/abc\" title=\"Ana\"></iframe>", "");
    let out = ladder(root, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(read(&root.join("output/about/index.html")).contains("href=\"tel:+441914960000\""));
}

/// Outside round 9 of issue 17, item 2: a relative link to a published file ending in `.md`
/// (`../static/guide.md`) was refused as a content file, with a guessed `@/` link to a story that
/// does not exist. It is checked as any other link: a published file passes.
#[test]
fn a_relative_link_to_a_published_markdown_file_passes() {
    let site = example_site();
    let root = site.path();
    write(&root.join("static/guide.md"), "# Guide\n");
    let page = "content/pages/about.md";
    let line = put_in_body(root, page, "Read the [guide](../static/guide.md) and [notes](notes.md).");
    let expected = [format!(
        "{page}:{line}:42: error: `notes.md` names a file at /about/notes.md, which the build does not publish"
    )];
    let said = check_tells(root, &expected, 1);
    assert!(!said.contains("@/stories/"), "{said}");
}

/// Outside round 9 of issue 17, item 12: a path from the root to a draft's page was told only
/// that nothing is there, while the `@/` link to it was told it is a draft. Both say so.
#[test]
fn a_path_to_a_drafts_page_says_drafts_are_published_with_drafts() {
    let site = example_site();
    let root = site.path();
    write(&root.join("content/stories/draft.md"), "---\ntitle: Draft\ndate: 2025-01-01\ndraft: true\n---\nSoon.\n");
    let page = "content/pages/about.md";
    let line = put_in_body(root, page, "See [the draft](/stories/draft/).");
    let expected = [format!(
        "{page}:{line}:5: error: `/stories/draft/` points to /stories/draft/, the page of a draft, which is published \
         with `--drafts` only"
    )];
    check_tells(root, &expected, 1);
    let out = ladder(root, &["build", "--drafts"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// Outside round 12 of issue 17, items 3 and 16: links to a draft with a problem of its own were
/// hidden until the draft was fixed, then hedged ("is it a draft?") or told nothing of drafts
/// (`../draft-one/`); a dead path was told of drafts on a site without any, and `/abuot/` got
/// no did-you-mean. Each link to the draft says it is one, at once; a near page is named.
#[test]
fn links_to_a_draft_say_so_at_once_and_a_near_page_is_named() {
    let site = example_site();
    let root = site.path();
    let draft = "content/stories/draft-one.md";
    write(&root.join(draft), "---\ntitle: Draft one\ndate: 2025-01-01\ndraft: true\n---\n[bad](/employers/nope/)\n");
    let page = "content/stories/pub.md";
    write(
        &root.join(page),
        "---\ntitle: Pub\ndate: 2025-01-02\n---\n[a](@/stories/draft-one.md) [b](/stories/draft-one/) \
         [c](../draft-one/)\n\n[d](/abuot/) [e](/employer/northgate-rail/)\n",
    );
    let is_a_draft = "points to /stories/draft-one/, the page of a draft, which is published with `--drafts` only";
    let expected = [
        format!("{draft}:6:1: error: `/employers/nope/`"),
        format!("{page}:5:1: error: `@/stories/draft-one.md` {is_a_draft}"),
        format!("{page}:5:29: error: `/stories/draft-one/` {is_a_draft}"),
        format!("{page}:5:54: error: `../draft-one/` {is_a_draft}"),
        format!(
            "{page}:7:1: error: `/abuot/` points to no page or file of the site: the build writes nothing at /abuot/; did you mean `/about/`?"
        ),
        format!(
            "{page}:7:14: error: `/employer/northgate-rail/` points to no page or file of the site: the build writes nothing at /employer/northgate-rail/; did you mean `/employers/northgate-rail/`?"
        ),
    ];
    let said = check_tells(root, &expected, 6);
    assert!(!said.contains("is it a draft"), "{said}");
}

/// Outside round 11 of issue 17, item 4: one employer's typo (`region: Northwest`) left it out
/// of the sector and region pages, and links to those pages were told as leading nowhere too,
/// with a hint about drafts the site did not have. Only the typo is told.
#[test]
fn an_employers_typo_does_not_make_links_to_group_pages_problems() {
    let site = example_site();
    let root = site.path();
    // Lagan Financial is the only employer in Northern Ireland: its region page goes with it.
    let lagan = "content/employers/lagan-financial.yaml";
    edit(root, lagan, "region: Northern Ireland", "region: Norther Ireland");
    let page = "content/pages/about.md";
    put_in_body(root, page, "See [Northern Ireland](/regions/northern-ireland/).");
    let said = check_tells(root, &[format!("{lagan}:")], 1);
    assert!(said.contains("Norther Ireland"), "{said}");
}

/// Outside round 10 of issue 17, item 5: an employer's `logo` was checked but shown on no page.
/// It is shown beside the name on the employer's page, with the site's sub-path.
#[test]
fn an_employers_logo_is_shown_on_its_page() {
    let site = example_site();
    let root = site.path();
    edit(root, EMPLOYER, "levy_payer: true\n", "levy_payer: true\nlogo: /static/favicon.svg\n");
    let out = ladder(root, &["build", "--base-url", "https://example.org/sub/", "--output", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = read(&root.join("out/employers/northgate-rail/index.html"));
    assert!(page.contains("<img class=\"employer-logo\" src=\"/sub/static/favicon.svg\""), "no logo on the page");
}

/// Outside round 12 of issue 17, item 12: a style sheet in static/ naming a picture from the
/// host's root (`url(/static/bg.svg)`) was published unchanged, and led off a site published
/// below a path. It gets the base path, as Markdown links do.
#[test]
fn a_style_sheets_root_addresses_get_the_sub_path() {
    let site = example_site();
    let root = site.path();
    write(&root.join("static/extra.css"), "body { background: url(/static/favicon.svg); }\n");
    let out = ladder(root, &["build", "--base-url", "https://example.org/sub/", "--output", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(read(&root.join("out/static/extra.css")), "body { background: url(/sub/static/favicon.svg); }\n");
}

/// Outside round 13 of issue 17, items 3 and 16: brackets in prose (`array[i][j]`, citations
/// `[2][3]`) were told as links to undefined labels, and a file beside a story named
/// `www.gov.uk-guide.pdf` as a web address without its `https://`. Both are ordinary content.
#[test]
fn brackets_in_prose_and_a_file_named_www_are_ordinary_content() {
    let site = example_site();
    let root = site.path();
    let dir = root.join("content/stories/guide-day");
    write(
        &dir.join("index.md"),
        "---\ntitle: Guide day\ndate: 2025-03-01\n---\nWe index array[i][j] and cite [2][3].\n\n\
         Read [the guide](www.gov.uk-guide.pdf) and [our report][report].\n\n[report]: /about/\n",
    );
    std::fs::write(dir.join("www.gov.uk-guide.pdf"), b"%PDF-1.4 guide").unwrap();
    let out = ladder(root, &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// Outside round 13 of issue 17, item 14: on a site published at `/sub/`, a link written with
/// the sub-path (`/sub/about/`) was told to "write the path from the site's root", which it
/// seemed to be. Told that the sub-path is given already, and the path to write.
#[test]
fn a_path_written_with_the_sub_path_is_told_to_leave_it_out() {
    let site = example_site();
    let root = site.path();
    edit(root, "site.yaml", "base_url: http://127.0.0.1:8080/", "base_url: https://example.org/sub/");
    let page = "content/pages/about.md";
    let line = put_in_body(root, page, "See [about](/sub/about/).");
    let expected = [format!(
        "{page}:{line}:5: error: `/sub/about/` includes the site's sub-path /sub/, which every link from the site's \
         root is given already; write `/about/`"
    )];
    check_tells(root, &expected, 1);
}
