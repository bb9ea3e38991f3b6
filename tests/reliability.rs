//! Hostile content and careless commands cannot destroy data, publish a broken site, leak files
//! from outside the site, hang the build or mix two versions of a story (issue 14, part A).

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The example site in `TMP/site`, beside a folder `TMP/victim` that no build may touch, already
/// built once (so there is a previous output to keep whole).
fn site_with_neighbour() -> (tempfile::TempDir, PathBuf) {
    let outer = tempfile::tempdir().unwrap();
    let example = example_site();
    let site = outer.path().join("site");
    std::fs::rename(example.path(), &site).unwrap_or_else(|_| copy_tree(example.path(), &site));
    write(&outer.path().join("victim/keep.txt"), "precious");
    write(&outer.path().join("victim/sub/also.txt"), "also precious");
    let out = ladder(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    (outer, site)
}

fn copy_tree(from: &Path, to: &Path) {
    for (rel, bytes) in tree(from) {
        let p = to.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
}

/// Every file under the temporary folder (the site, its output and the neighbour), with bytes.
fn snapshot(outer: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let t = tree(outer);
    assert!(t.keys().any(|k| k.starts_with("site/output/")), "the previous output exists");
    t
}

fn assert_refused(outer: &Path, site: &Path, args: &[&str], why: &str) {
    let before = snapshot(outer);
    let out = ladder(site, args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{args:?} must fail: {err}");
    assert!(err.contains("refusing to build into") && err.contains(why), "{args:?}: {err}");
    assert_eq!(snapshot(outer), before, "{args:?}: every file, inside the site and out, must be unchanged");
}

/// Item 1: an output folder that is, contains or lies inside an input folder is refused.
#[test]
fn output_over_the_inputs_is_refused_and_nothing_is_touched() {
    let (outer, site) = site_with_neighbour();
    for (output, why) in [
        ("content", "is the site's input folder `content`"),
        ("themes", "is the site's input folder `themes`"),
        ("content/stories", "lies inside the site's input folder `content`"),
        ("themes/default/new", "lies inside the site's input folder `themes`"),
        ("templates", "input folder `templates`"),
        (".", "the site folder itself"),
        ("..", "the site folder itself"),
    ] {
        assert_refused(outer.path(), &site, &["build", "--output", output], why);
    }
    // Spelt absolutely, or through `..`, it is the same folder.
    let abs = site.join("content").to_string_lossy().into_owned();
    assert_refused(outer.path(), &site, &["build", "--output", &abs], "`content`");
    assert_refused(outer.path(), &site, &["build", "--output", "output/../content"], "`content`");
}

/// Item 2: site.yaml's `output_dir` may not point outside the site (nor at its inputs).
#[test]
fn output_dir_in_site_yaml_cannot_leave_the_site() {
    let (outer, site) = site_with_neighbour();
    let config = read(&site.join("site.yaml"));
    let victim = outer.path().join("victim").to_string_lossy().into_owned();
    for (dir, why) in [
        (victim.as_str(), "must be a folder inside the site"),
        ("../victim", "must be a folder inside the site"),
        ("output/../../victim", "must be a folder inside the site"),
        ("content", "input folder `content`"),
        ("content/stories", "input folder `content`"),
    ] {
        write(&site.join("site.yaml"), &format!("{config}output_dir: \"{dir}\"\n"));
        assert_refused(outer.path(), &site, &["build"], why);
    }
    // Named on the command line, a folder outside the site is the user's choice.
    write(&site.join("site.yaml"), &config);
    let out = ladder(&site, &["build", "--output", "../elsewhere"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(outer.path().join("elsewhere/index.html").is_file());
    assert_eq!(read(&outer.path().join("victim/keep.txt")), "precious");
}

/// Item 4: an output that is a file is refused before anything moves.
#[test]
fn output_that_is_a_file_is_refused_and_the_file_kept() {
    let (outer, site) = site_with_neighbour();
    write(&site.join("notes.txt"), "my notes");
    assert_refused(outer.path(), &site, &["build", "--output", "notes.txt"], "it is a file, not a folder");
    let hidden: Vec<_> = std::fs::read_dir(&site)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".notes"))
        .collect();
    assert!(hidden.is_empty(), "{hidden:?}");
}

/// Item 5: a symbolic link out of the site, to a file or a folder, anywhere under the inputs,
/// fails the build with the link named; nothing it points at is published.
#[test]
fn links_out_of_the_site_are_refused() {
    let (outer, site) = site_with_neighbour();
    write(&outer.path().join("secret/passwd.html"), "root:x:0:0:SECRET-PASSWORD");
    write(
        &outer.path().join("elsewhere/leak.md"),
        "---\ntitle: Leaked page\n---\n\nSECRET-PAGE from outside the site\n",
    );
    let cases: [(&str, PathBuf); 4] = [
        ("templates/footer.html", outer.path().join("secret/passwd.html")),
        ("themes/default/templates/extra.html", outer.path().join("secret/passwd.html")),
        ("static/secret", outer.path().join("secret")),
        ("content/pages", outer.path().join("elsewhere")),
    ];
    for (link, target) in cases {
        let path = site.join(link);
        let moved = path.with_extension("moved");
        if path.exists() {
            std::fs::rename(&path, &moved).unwrap();
        }
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(&target, &path).unwrap();
        let before = snapshot(outer.path());
        for cmd in ["build", "check"] {
            let out = ladder(&site, &[cmd]);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(1), "{link}: {cmd} must fail: {err}");
            assert!(err.contains(&format!("{link}: error: symbolic link points outside the site")), "{link}: {err}");
        }
        assert_eq!(snapshot(outer.path()), before, "{link}");
        let published = tree(&site.join("output"));
        assert!(
            !published.values().any(|b| String::from_utf8_lossy(b).contains("SECRET")),
            "{link}: outside content published"
        );
        std::fs::remove_file(&path).unwrap();
        if moved.exists() {
            std::fs::rename(&moved, &path).unwrap();
        }
    }
    // A link that stays inside the site is fine.
    std::os::unix::fs::symlink(site.join("content/pages/about.md"), site.join("content/pages/about-us.md")).unwrap();
    let out = ladder(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

fn spawn_build(site: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_ladder"))
        .args(["build", "--quiet"])
        .current_dir(site)
        .env("CI", "true")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// A small deterministic generator (xorshift), so a failing run can be repeated from its seed.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// Item 3: two builds into one output, one killed at a random moment, many times: the output is
/// always the whole, correct site, and a build that cannot run says why.
#[test]
fn concurrent_builds_never_publish_a_partial_site() {
    let site = example_site();
    let body = "Paragraph with **bold** text and a [link](https://example.org).\n\n".repeat(40);
    for i in 0..1500 {
        write(
            &site.path().join(format!("content/stories/bulk-{i:04}.md")),
            &format!("---\ntitle: Bulk story {i}\ndate: 2024-05-01\nsummary: Story {i}\n---\n\n{body}"),
        );
    }
    let started = Instant::now();
    let out = ladder(site.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let one_build = started.elapsed().as_millis() as u64;
    let expected = tree(&site.path().join("output"));
    let touched = site.path().join("content/stories/bulk-0000.md");
    let text = read(&touched);
    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1;
    let mut rng = Rng(seed);
    for round in 0..12 {
        // Rewritten unchanged: the inputs look new, so neither build takes the up-to-date shortcut.
        write(&touched, &text);
        let first = spawn_build(site.path());
        std::thread::sleep(Duration::from_millis(rng.below(one_build / 2)));
        let second = spawn_build(site.path());
        std::thread::sleep(Duration::from_millis(rng.below(one_build)));
        let kill_second = round % 2 == 0;
        let (mut victim, survivor) = if kill_second { (second, first) } else { (first, second) };
        let _ = victim.kill();
        victim.wait().unwrap();
        let out = survivor.wait_with_output().unwrap();
        let err = stderr(&out);
        assert!(
            out.status.success() || err.contains("another build is running into"),
            "seed {seed} round {round}: {err}"
        );
        assert!(
            tree(&site.path().join("output")) == expected,
            "seed {seed} round {round}: the output is not the whole site"
        );
    }
}
