//! Fuzzing in CI, proptest-style: front matter, employer YAML and Markdown must never panic or
//! hang on any input; they either parse or return diagnostics. A short run by default; set
//! FUZZ_CASES (e.g. 200000) for a longer hunt.

mod common;
use common::*;
use proptest::prelude::*;
use std::path::Path;
use std::time::{Duration, Instant};

fn cases() -> u32 {
    std::env::var("FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(300)
}

fn config() -> ProptestConfig {
    ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() }
}

/// Hang guard (not a benchmark): one input must not take seconds.
fn bounded<T>(f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let r = f();
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
    r
}

fn benchmarks() -> ladder::model::benchmarks::BenchmarkSet {
    let text = read(&repo().join("content/benchmarks/smc-apprenticeships-2021.yaml"));
    ladder::model::benchmarks::BenchmarkSet::parse(Path::new("b.yaml"), &text).unwrap()
}

/// A valid file with random edits: insertions of YAML-significant text, deletions, duplications.
fn mutated(base: String) -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just(":".to_string()),
        Just("{".to_string()),
        Just("]".to_string()),
        Just("&a ".to_string()),
        Just("*a".to_string()),
        Just("\n  - ".to_string()),
        Just("-1".to_string()),
        Just("\t".to_string()),
        Just("---\n".to_string()),
        Just("\"".to_string()),
        Just("99999999999999999999".to_string()),
        "\\PC{0,8}",
    ];
    proptest::collection::vec((any::<prop::sample::Index>(), 0usize..20, pieces), 1..6).prop_map(move |edits| {
        let mut s = base.clone();
        for (at, del, insert) in edits {
            let mut i = at.index(s.len() + 1);
            while !s.is_char_boundary(i) {
                i -= 1;
            }
            let mut j = (i + del).min(s.len());
            while !s.is_char_boundary(j) {
                j -= 1;
            }
            s.replace_range(i..j, &insert);
        }
        s
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn employer_yaml_never_panics(text in prop_oneof![
        "\\PC{0,400}",
        mutated(read(&repo().join("content/employers/northgate-rail.yaml"))),
        mutated(read(&repo().join("content/employers/tyne-street-bakery.yaml"))),
    ]) {
        let set = benchmarks();
        let r = bounded(|| ladder::model::employer::parse(Path::new("e.yaml"), "e", &text, &set, 2026));
        if let Ok((e, figures)) = r {
            // Whatever parses is publishable and scorable without panicking.
            let p = ladder::privacy::publish(figures, ladder::privacy::engine::Settings::new(10));
            ladder::scoring::score(&e, &p, &ladder::scoring::Params { benchmarks: &set, threshold: 10 });
        } else if let Err(diags) = r {
            prop_assert!(!diags.is_empty());
            prop_assert!(diags.iter().all(|d| d.file == Path::new("e.yaml")));
        }
    }

    #[test]
    fn front_matter_never_panics(text in prop_oneof![
        "\\PC{0,300}",
        "---\n\\PC{0,200}\n---\n\\PC{0,100}",
        mutated(read(&repo().join("content/stories/levy-that-travels.md"))),
    ]) {
        let _ = bounded(|| ladder::model::story::parse_story(Path::new("s.md"), Path::new("s.md"), "s", &text));
        let _ = bounded(|| ladder::model::story::parse_page(Path::new("p.md"), "p", &text));
    }

    #[test]
    fn markdown_never_panics_and_stays_safe(text in prop_oneof![
        "\\PC{0,500}",
        "([*_`#>|\\[\\]()!<-]{0,4}[a-z ]{0,6}){0,60}",
        "(<[a-z]{1,6}( on[a-z]{1,5}=x)?>|javascript:|\\[x\\]\\(|\\)|\n){0,40}",
    ]) {
        let r = bounded(|| ladder::load::markdown::render(&text));
        let lower = r.html.to_lowercase();
        prop_assert!(!lower.contains("<script"));
        prop_assert!(!lower.contains("href=\"javascript:"));
    }
}

#[test]
fn pathological_markdown_is_bounded() {
    for text in ["[".repeat(50_000), "> ".repeat(20_000), "*a".repeat(30_000), "|a".repeat(20_000) + "\n|-|\n"] {
        let r = bounded(|| ladder::load::markdown::render(&text));
        assert!(!r.html.contains("<script"));
    }
}
