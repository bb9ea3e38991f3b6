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
    // The command line's `--base-url` passes the same check.
    for url in ["https://example.org/?ref=x", "https://example.org/#top", "https://user:pw@example.org/"] {
        let site = example_site();
        let out = ladder(site.path(), &["build", "--base-url", url]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "--base-url {url}: accepted:\n{err}");
        assert!(err.contains("--base-url: error: ") && err.contains(url), "--base-url {url}:\n{err}");
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
