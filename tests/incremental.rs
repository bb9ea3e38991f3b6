//! Incremental rebuilds (as `ladder serve` does them) produce exactly what a clean build does,
//! while re-rendering only the pages whose inputs changed.

mod common;
use common::*;
use ladder::progress::Silent;
use ladder::site::BuildCache;
use ladder::site::{BuildOptions, prepare};
use std::collections::BTreeMap;

fn files(b: ladder::site::Built) -> BTreeMap<String, Vec<u8>> {
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
    let first = files(prepare(&opts, &cache, &Silent).unwrap());
    let pages = first.keys().filter(|k| k.ends_with(".html")).count();
    assert_eq!(cache.render.rendered.misses(), pages, "the first build renders every page");

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
        let incremental = files(prepare(&opts, &cache, &Silent).unwrap());
        let rerendered = cache.render.rendered.misses();
        let clean = files(prepare(&opts, &BuildCache::off(), &Silent).unwrap());
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
    prepare(&opts, &cache, &Silent).unwrap();
    assert_eq!(cache.scored.misses(), 14);
    edit(root, "content/employers/northgate-rail.yaml", "asked: 983,", "asked: 990,");
    prepare(&opts, &cache, &Silent).unwrap();
    assert_eq!(cache.scored.misses(), 1, "only the edited employer is re-scored");
    assert_eq!(cache.model.employers.misses(), 1, "only the edited employer is re-parsed");
    edit(root, "content/benchmarks/smc-apprenticeships-2021.yaml", "z: 1.96", "z: 1.959964");
    prepare(&opts, &cache, &Silent).unwrap();
    assert_eq!(cache.scored.misses(), 14, "a benchmark change re-scores everyone");
}

/// Inode of every file in the output, to tell a file left alone from one written again.
fn inodes(dir: &std::path::Path) -> BTreeMap<String, u64> {
    use std::os::unix::fs::MetadataExt;
    tree(dir).keys().map(|k| (k.clone(), std::fs::metadata(dir.join(k)).unwrap().ino())).collect()
}

/// Set every file's modification time a minute back, as if the site had been edited a while ago.
fn settle(root: &std::path::Path) {
    let past = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    for e in walkdir::WalkDir::new(root).into_iter().flatten().filter(|e| e.file_type().is_file()) {
        std::fs::File::options().append(true).open(e.path()).unwrap().set_modified(past).unwrap();
    }
}

#[test]
fn unchanged_rebuild_writes_nothing_and_any_change_rebuilds() {
    let site = example_site();
    let root = site.path();
    let out = root.join("output");
    let opts = BuildOptions { root: root.to_path_buf(), ..BuildOptions::default() };

    // Inputs written a moment ago (a fresh checkout) are recorded by their content as well, so
    // an edit within the same timestamp tick that keeps the size is still seen, and the next
    // build has nothing to do. The edit follows the first build at once: a later check may
    // rightly forget the content of inputs that have settled since (on a loaded machine the
    // first build alone can take longer than the settling time).
    let story = root.join("content/stories/levy-that-travels.md");
    let text = read(&story);
    write(&story, &text);
    ladder::site::build(&opts, &Silent).unwrap();
    let when = std::fs::metadata(&story).unwrap().modified().unwrap();
    write(&story, &text.replacen("levy", "LEVY", 1));
    std::fs::File::options().append(true).open(&story).unwrap().set_modified(when).unwrap();
    assert!(!ladder::site::build(&opts, &Silent).unwrap().up_to_date, "a same-tick, same-size edit is seen");
    write(&story, &text);
    ladder::site::build(&opts, &Silent).unwrap();
    assert!(ladder::site::build(&opts, &Silent).unwrap().up_to_date, "a build of just-written inputs is recorded");

    settle(root);
    let first = ladder::site::build(&opts, &Silent).unwrap();
    assert!(!first.up_to_date);
    let (before, inodes_before) = (tree(&out), inodes(&out));
    let folder = std::fs::metadata(&out).unwrap().modified().unwrap();

    // Nothing changed: nothing is rendered, and the output folder and its files are untouched.
    let again = ladder::site::build(&opts, &Silent).unwrap();
    assert!(again.up_to_date, "a rebuild with no change is skipped");
    assert_eq!((again.pages, again.stories), (first.pages, first.stories));
    assert_eq!(inodes(&out), inodes_before, "no file was written again");
    assert_eq!(std::fs::metadata(&out).unwrap().modified().unwrap(), folder);
    let siblings: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging"))
        .collect();
    assert!(siblings.is_empty(), "no staging folder: {siblings:?}");
    assert!(!tree(&out).keys().any(|k| k.contains("ladder-state")), "the state file is not published");

    // An edited story is rebuilt.
    edit(root, "content/stories/levy-that-travels.md", "A levy that travels", "A levy that moves");
    let edited = ladder::site::build(&opts, &Silent).unwrap();
    assert!(!edited.up_to_date);
    assert!(read(&out.join("stories/levy-that-travels/index.html")).contains("A levy that moves"));
    assert!(ladder::site::build(&opts, &Silent).unwrap().up_to_date, "recorded by the build just after the edit");

    // A file changed by hand in the output is put back by the next build.
    let robots = out.join("robots.txt");
    let original = read(&robots);
    write(&robots, "tampered");
    assert!(!ladder::site::build(&opts, &Silent).unwrap().up_to_date);
    assert_eq!(read(&robots), original);

    // A removed output file is put back too, and a new input file is noticed.
    std::fs::remove_file(&robots).unwrap();
    assert!(!ladder::site::build(&opts, &Silent).unwrap().up_to_date);
    assert_eq!(read(&robots), original);
    write(&root.join("content/stories/extra.md"), &read(&root.join("content/stories/levy-that-travels.md")));
    let added = ladder::site::build(&opts, &Silent).unwrap();
    assert!(!added.up_to_date);
    assert_eq!(added.stories, first.stories + 1);
    assert!(before.contains_key("robots.txt"));
}
