//! Incremental rebuilds (as `ladder serve` does them) produce exactly what a clean build does,
//! while re-rendering only the pages whose inputs changed.

mod common;
use common::*;
use ladder::build::{BuildOptions, prepare, prepare_cached};
use ladder::cache::BuildCache;
use std::collections::BTreeMap;

fn files(b: ladder::build::Built) -> BTreeMap<String, Vec<u8>> {
    b.files.into_iter().map(|f| (f.path, f.bytes)).collect()
}

fn edit(root: &std::path::Path, rel: &str, from: &str, to: &str) {
    let p = root.join(rel);
    let text = read(&p);
    assert!(text.contains(from), "{rel}: `{from}` not found");
    write(&p, &text.replacen(from, to, 1));
}

#[test]
fn incremental_rebuilds_equal_clean_builds() {
    let site = example_site();
    let root = site.path();
    let opts = BuildOptions { root: root.to_path_buf(), ..BuildOptions::default() };
    let cache = BuildCache::default();
    let first = files(prepare_cached(&opts, &cache).unwrap());
    let pages = first.keys().filter(|k| k.ends_with(".html")).count();
    assert_eq!(cache.rendered.misses(), pages, "the first build renders every page");

    type Edit = (&'static str, &'static str, &'static str, &'static str, usize);
    // (what, file, from, to, most pages it may re-render)
    let edits: [Edit; 6] = [
        ("story", "content/stories/levy-that-travels.md", "A levy that travels", "A levy that moves", 12),
        ("employer", "content/employers/fenland-foods.yaml", "name: Fenland Foods", "name: Fenland Foods Ltd", 20),
        ("employer figures", "content/employers/solent-marine.yaml", "asked: 172,", "asked: 180,", 20),
        ("template", "themes/default/templates/story.html", "min read", "minutes to read", 12),
        ("base template", "themes/default/templates/base.html", "Skip to content", "Skip to main content", pages),
        ("site.yaml", "site.yaml", "language: en-GB", "language: en", pages),
    ];
    for (what, file, from, to, most) in edits {
        edit(root, file, from, to);
        let incremental = files(prepare_cached(&opts, &cache).unwrap());
        let rerendered = cache.rendered.misses();
        let clean = files(prepare(&opts).unwrap());
        assert_eq!(incremental.keys().collect::<Vec<_>>(), clean.keys().collect::<Vec<_>>(), "{what}");
        for (k, v) in &clean {
            assert!(&incremental[k] == v, "after the {what} edit, {k} differs from a clean build");
        }
        assert!(
            rerendered >= 1 && rerendered <= most,
            "the {what} edit re-rendered {rerendered} pages (at most {most})"
        );
    }
}

#[test]
fn employer_edit_rescoring_is_limited_to_that_employer() {
    let site = example_site();
    let root = site.path();
    let opts = BuildOptions { root: root.to_path_buf(), ..BuildOptions::default() };
    let cache = BuildCache::default();
    prepare_cached(&opts, &cache).unwrap();
    assert_eq!(cache.scored.misses(), 14);
    edit(root, "content/employers/northgate-rail.yaml", "asked: 983,", "asked: 990,");
    prepare_cached(&opts, &cache).unwrap();
    assert_eq!(cache.scored.misses(), 1, "only the edited employer is re-scored");
    assert_eq!(cache.employers.misses(), 1, "only the edited employer is re-parsed");
    edit(root, "content/benchmarks/smc-apprenticeships-2021.yaml", "z: 1.96", "z: 1.959964");
    prepare_cached(&opts, &cache).unwrap();
    assert_eq!(cache.scored.misses(), 14, "a benchmark change re-scores everyone");
}
