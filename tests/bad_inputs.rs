//! The bad-input corpus: every file in `tests/bad/*.case` breaks a copy of the example site in
//! one way and names the messages `ladder build` must print. Each case must fail with exit code
//! 1, print its messages (file and line), finish quickly, and leave the previous output as it was.
//!
//! Case format (one directive per line; strings are JSON-quoted):
//!   file: PATH            the file to edit, then `replace: "old"` / `with: "new"` pairs
//!   append-hex: "ff fe"   append raw bytes to `file`
//!   create: PATH          write the text after a line `content:` to PATH
//!   create-size: PATH N   create a sparse file of N bytes
//!   symlink: PATH TARGET  create a symbolic link
//!   delete: PATH          remove a file
//!   expect: "text"        a substring stderr must contain (one or more)

mod common;
use common::*;
use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// A built copy of the example site that every case starts from.
fn template() -> &'static (tempfile::TempDir, std::collections::BTreeMap<String, Vec<u8>>) {
    static T: OnceLock<(tempfile::TempDir, std::collections::BTreeMap<String, Vec<u8>>)> = OnceLock::new();
    T.get_or_init(|| {
        let site = example_site();
        let out = ladder(site.path(), &["build"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let tree = tree(&site.path().join("output"));
        (site, tree)
    })
}

fn copy_site(to: &Path) {
    let from = template().0.path();
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn unquote(s: &str) -> String {
    serde_json::from_str(s.trim()).unwrap_or_else(|e| panic!("bad quoted string {s}: {e}"))
}

/// Apply a case to the site in `dir`; returns the expected messages.
fn apply(case: &str, dir: &Path) -> Vec<String> {
    let mut expects = Vec::new();
    let mut file: Option<std::path::PathBuf> = None;
    let mut pending: Option<String> = None;
    let mut lines = case.split_inclusive('\n');
    while let Some(raw) = lines.next() {
        let line = raw.trim_end_matches('\n');
        let Some((key, value)) = line.split_once(": ").or_else(|| line.strip_suffix(':').map(|k| (k, ""))) else {
            continue;
        };
        match key {
            "#" | "" => {}
            "file" => file = Some(dir.join(value)),
            "replace" => pending = Some(unquote(value)),
            "with" => {
                let f = file.as_ref().expect("`with` needs a `file`");
                let old = pending.take().expect("`with` needs a `replace`");
                let text = read(f);
                assert!(text.contains(&old), "{}: `{old}` not found", f.display());
                write(f, &text.replacen(&old, &unquote(value), 1));
            }
            "append-hex" => {
                let f = file.as_ref().expect("`append-hex` needs a `file`");
                let mut bytes = std::fs::read(f).unwrap();
                bytes.extend(unquote(value).split_whitespace().map(|h| u8::from_str_radix(h, 16).unwrap()));
                std::fs::write(f, bytes).unwrap();
            }
            "create" => file = Some(dir.join(value)),
            "content" => {
                let rest: String = lines.by_ref().collect();
                write(file.as_ref().expect("`content` needs `create`"), &rest);
            }
            "create-size" => {
                let (path, size) = value.rsplit_once(' ').unwrap();
                let f = std::fs::File::create(dir.join(path)).unwrap();
                f.set_len(size.parse().unwrap()).unwrap();
            }
            "symlink" => {
                let (path, target) = value.split_once(' ').unwrap();
                std::os::unix::fs::symlink(target, dir.join(path)).unwrap();
            }
            "delete" => std::fs::remove_file(dir.join(value)).unwrap(),
            "expect" => expects.push(unquote(value)),
            other => panic!("unknown directive `{other}`"),
        }
    }
    assert!(!expects.is_empty(), "a case must expect something");
    expects
}

#[test]
fn every_bad_input_fails_clearly_and_keeps_the_old_output() {
    let mut cases: Vec<_> = std::fs::read_dir(repo().join("tests/bad")).unwrap().flatten().map(|e| e.path()).collect();
    cases.sort();
    assert!(cases.len() >= 40, "the corpus has {} cases", cases.len());
    // `BAD_CASE=name` (or several, comma-separated) runs just those cases, by file name.
    if let Ok(only) = std::env::var("BAD_CASE") {
        let wanted: Vec<&str> = only.split(',').map(str::trim).collect();
        cases.retain(|c| c.file_stem().is_some_and(|s| wanted.contains(&s.to_string_lossy().as_ref())));
        assert_eq!(cases.len(), wanted.len(), "no case named {only} in tests/bad/");
    }
    let expected_output = &template().1;
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_stem().unwrap().to_string_lossy().into_owned();
        let dir = tempfile::tempdir().unwrap();
        copy_site(dir.path());
        let expects = apply(&read(case), dir.path());
        let started = Instant::now();
        let out = ladder(dir.path(), &["build"]);
        let took = started.elapsed();
        let err = stderr(&out);
        if out.status.code() != Some(1) {
            failures.push(format!("{name}: exit {:?}\n{err}", out.status.code()));
            continue;
        }
        for e in &expects {
            if !err.contains(e.as_str()) {
                failures.push(format!("{name}: expected `{e}` in:\n{err}"));
            }
        }
        if took > Duration::from_secs(10) {
            failures.push(format!("{name}: took {took:?}"));
        }
        if &tree(&dir.path().join("output")) != expected_output {
            failures.push(format!("{name}: the previous output changed"));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n\n{}", failures.len(), cases.len(), failures.join("\n\n"));
}

/// Words of the tools (Rust, serde) that mean nothing to someone editing content.
const JARGON: &[&str] = &[
    "variant",
    "u8",
    "u16",
    "u32",
    "u64",
    "i32",
    "i64",
    "usize",
    "f64",
    "struct",
    "enum",
    "sequence",
    "mapping",
    "scalar",
    "serde",
    "duplicatekeypolicy",
    "from_str",
    "tagged",
    "option<",
    "budget",
    "{ ",
];

/// `stderr` names no tool jargon, and every problem in it names its file and line.
fn assert_plain_and_placed(err: &str) {
    let lower = err.to_lowercase();
    let found: Vec<_> = JARGON.iter().filter(|w| lower.contains(*w)).collect();
    assert!(found.is_empty(), "jargon {found:?} in:\n{err}");
    for line in err.lines().filter(|l| l.contains("error") && !l.starts_with("error: ")) {
        let (file, rest) = line.split_once(':').unwrap_or((line, ""));
        let number: String = rest.chars().take_while(char::is_ascii_digit).collect();
        assert!(!file.is_empty() && !number.is_empty(), "no file:line in `{line}`");
    }
}

/// Each YAML mistake an editor makes is told in their words, with file, line and field (issue 14).
#[test]
fn yaml_mistakes_are_told_in_plain_words_with_their_line() {
    let site = example_site();
    let good = read(&site.path().join("content/employers/brightwater-digital.yaml"));
    let (head, _) = good.split_once("years:").unwrap();
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "size",
            good.replace("size: medium", "size: huge"),
            "`huge` is not a size band; write `small` (under 10 staff), `medium` (10 to 249 staff) or `large` (250 or more staff)",
        ),
        (
            "negative",
            good.replacen("asked: 329", "asked: -3", 1),
            "`asked` must be a whole number of people (0 or more), not `-3`",
        ),
        (
            "float",
            good.replacen("asked: 329", "asked: 3.5", 1),
            "`asked` must be a whole number of people (0 or more), not `3.5`",
        ),
        ("huge-count", good.replacen("asked: 329", "asked: 99999999999", 1), "`asked` is too large"),
        (
            "year",
            good.replacen("year: 2024", "year: twenty", 1),
            "`year` must be one year, written as four digits such as 2024, not `twenty`",
        ),
        ("boolean", good.replace("levy_payer: false", "levy_payer: maybe"), "`levy_payer` must be true or false"),
        ("string-for-list", good.replace("years:\n", "years: lots\nyears_:\n"), "`years` must be a list"),
        ("list-for-map", good.replace("pledges:\n", "pledges: [a, b]\npledges_:\n"), "`pledges` must be a set of"),
        ("map-for-text", good.replace("name: Brightwater Digital", "name: {a: b}"), "`name` must be a single value"),
        ("null-name", good.replace("name: Brightwater Digital", "name:"), "`name` is empty"),
        (
            "duplicate",
            good.replace("region: London", "region: London\nregion: Leeds"),
            "`region` appears twice; keep one",
        ),
        ("two-documents", format!("{good}\n---\nname: Other\n"), "more than one YAML document"),
        ("tag", good.replace("size: medium", "size: !foo medium"), "`!foo`"),
        ("tabs", good.replace("  social_mobility_pledge", "\tsocial_mobility_pledge"), "tab"),
        ("aliases", format!("{head}years:\n  - &y {{year: 2020}}\n{}", "  - *y\n".repeat(2_000)), "aliases"),
        (
            "status",
            good.replacen("{status: not_started}", "{status: done}", 1),
            "`done` is not a status (write one of `in_place`,",
        ),
        ("whole-file-list", "- a\n- b\n".into(), "the file must be a set of `key: value` lines"),
        ("empty", String::new(), "the file is empty"),
        ("unclosed-quote", good.replace("size: medium", "size: \"medium"), "quote"),
        (
            "indentation",
            good.replace("  social_mobility_pledge: true", "    social_mobility_pledge: true\n  x: y"),
            "indent",
        ),
        ("unclosed-bracket", good.replace("size: medium", "size: [medium"), "`size`"),
    ];
    for (name, text, _) in &cases {
        write(&site.path().join(format!("content/employers/bad-{name}.yaml")), text);
    }
    let story = site.path().join("content/stories/bad-front.md");
    write(&story, "---\ntitle: {a: b}\ndate: 2024-01-01\nsummary: s\n---\nBody\n");
    let out = ladder(site.path(), &["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_plain_and_placed(&err);
    for (name, _, says) in &cases {
        let file = format!("content/employers/bad-{name}.yaml:");
        let line = err.lines().find(|l| l.starts_with(&file)).unwrap_or_else(|| panic!("{name}: nothing in:\n{err}"));
        assert!(line.contains(says), "{name}: expected `{says}` in `{line}`");
    }
    assert!(
        err.contains("content/stories/bad-front.md:2:8: error in `title`: `title` must be a single value"),
        "{err}"
    );

    // The site's settings too.
    std::fs::remove_file(&story).unwrap();
    for (name, _, _) in &cases {
        std::fs::remove_file(site.path().join(format!("content/employers/bad-{name}.yaml"))).unwrap();
    }
    let config = site.path().join("site.yaml");
    let settings = read(&config);
    for (bad, says) in [
        ("anonymity_threshold: many", "`anonymity_threshold` must be a whole number of people (0 or more), not `many`"),
        ("anonymity_threshold: [1]", "`anonymity_threshold` must be a single value, not a list"),
        ("anonymity_threshold: 10\nanonymity_threshold: 11", "`anonymity_threshold` appears twice; keep one"),
    ] {
        write(&config, &settings.replace("anonymity_threshold: 10", bad));
        let out = ladder(site.path(), &["check"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{bad}: {err}");
        assert_plain_and_placed(&err);
        assert!(err.contains("site.yaml:") && err.contains(says), "{bad}: expected `{says}` in {err}");
    }
}
