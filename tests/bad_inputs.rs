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
