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
        // A setting's problem names the setting where it is written.
        let line = config.lines().count() + 1;
        let said = stderr(&ladder(&site, &["build"]));
        assert!(said.contains(&format!("site.yaml:{line}:13: error in `output_dir`")), "{dir}: {said}");
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
    for round in 0..20 {
        // Rewritten unchanged: the inputs look new, so neither build takes the up-to-date shortcut.
        write(&touched, &text);
        let first = spawn_build(site.path());
        std::thread::sleep(Duration::from_millis(rng.below(one_build / 2)));
        let second = spawn_build(site.path());
        std::thread::sleep(Duration::from_millis(rng.below(one_build)));
        // Mostly the second: the old failure (a build deleting the other's staging folder, which
        // then swapped in what was left) shows when the second build dies and the first finishes.
        let kill_second = round % 3 != 0;
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

/// Item 10: a story edited between parsing and rendering is refused, not published half old.
#[test]
fn story_edited_during_the_build_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("edited.md");
    let old = "---\ntitle: Old title\ndate: 2024-01-01\n---\n\nOld body\n";
    write(&file, old);
    let story =
        ladder::model::story::parse_story(Path::new("content/stories/edited.md"), &file, "edited", old).unwrap();
    assert_eq!(
        ladder::load::story_body(Path::new(&story.source_path), &story.file, story.digest).unwrap().trim(),
        "Old body"
    );
    write(&file, "---\ntitle: New title\ndate: 2024-01-01\n---\n\nNew body\n");
    let err =
        ladder::load::story_body(Path::new(&story.source_path), &story.file, story.digest).unwrap_err().to_string();
    assert!(
        err.contains("content/stories/edited.md") && err.contains("changed while the site was being built"),
        "{err}"
    );
}

/// What a build run by [`measured`] did.
struct Measured {
    /// None when it was killed at the deadline.
    code: Option<i32>,
    took: Duration,
    peak_bytes: u64,
    stderr: String,
}

/// Run `ladder ARGS` in `dir`, killing it at `deadline`, with the child's own peak memory
/// (see [`watched`]).
fn measured(dir: &Path, args: &[&str], deadline: Duration) -> Measured {
    let err_path = dir.join(".stderr.txt");
    let err_file = std::fs::File::create(&err_path).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ladder"));
    cmd.args(args).current_dir(dir).env("CI", "true").stdout(Stdio::null()).stderr(err_file);
    let w = watched(&mut cmd, deadline);
    let stderr = std::fs::read_to_string(&err_path).unwrap_or_default();
    std::fs::remove_file(&err_path).unwrap();
    Measured { code: w.code, took: w.took, peak_bytes: w.peak_bytes, stderr }
}

const HANG_GUARD: Duration = Duration::from_secs(20);

fn story(body: &str) -> String {
    format!("---\ntitle: Worst case\ndate: 2024-01-01\nsummary: Built to be slow\n---\n\n{body}")
}

/// Prose that fills a story up to `size` bytes after `head`.
fn padded(head: &str, size: usize) -> String {
    let para =
        format!("{}\n\n", "Plain words of a long story, written out at some length to fill the line. ".repeat(60));
    let mut s = story(head);
    s.push_str(&para.repeat(size.saturating_sub(s.len()) / para.len()));
    s
}

/// Item 8: deeply nested raw HTML is refused quickly with the file named, and the worst 7.9 MB
/// story still within the limits builds in bounded time.
#[test]
fn deeply_nested_html_is_bounded() {
    let site = example_site();
    let deep = site.path().join("content/stories/deep.md");
    // The issue's case: 64k nested `<div>`s (700 KB) took 30 s and grew faster than quadratically.
    write(&deep, &story(&format!("{}x{}", "<div>".repeat(65_536), "</div>".repeat(65_536))));
    let m = measured(site.path(), &["build"], HANG_GUARD);
    assert_eq!(m.code, Some(1), "killed after {:?} or built: {}", m.took, m.stderr);
    assert!(m.stderr.contains("content/stories/deep.md: error: the story is not built"), "{}", m.stderr);
    // Nested just past the depth limit, in a small file: the depth is what is named.
    write(&deep, &story(&format!("{}x{}", "<div>".repeat(200), "</div>".repeat(200))));
    let m = measured(site.path(), &["build"], HANG_GUARD);
    assert_eq!(m.code, Some(1), "{}", m.stderr);
    assert!(
        m.stderr.contains("deep.md: error: the story is not built: its HTML is nested more than 128"),
        "{}",
        m.stderr
    );
    // The worst case that is allowed: as many elements 127 deep as the limits let through,
    // in a 7.9 MB file.
    let block = format!("{}x{}\n\n", "<div>".repeat(127), "</div>".repeat(127));
    write(&deep, &padded(&block.repeat(480), 7_900_000));
    let m = measured(site.path(), &["build"], HANG_GUARD);
    assert_eq!(m.code, Some(0), "killed after {:?} or failed: {}", m.took, m.stderr);
    assert!(read(&site.path().join("output/stories/deep/index.html")).matches("<div>").count() >= 480 * 127);
}

/// Found by the fourteenth outside break attempt: the HTML parser re-creates every formatting
/// element left open (`<b>`, `<i>`, `<a>`, `<font>`, ...) in each block after it, so 127 of them
/// before 99,000 `<p>x` (a 397 KB story) made 12.6 million elements: 3.4 GB and 32 s, and the
/// story was published. The limits counted only the tags written in the file.
#[test]
fn formatting_left_open_is_counted_as_the_parser_repeats_it() {
    let site = example_site();
    let baseline = measured(site.path(), &["build"], HANG_GUARD);
    assert_eq!(baseline.code, Some(0), "{}", baseline.stderr);
    let path = site.path().join("content/stories/reopened.md");
    let open: String = (0..127).map(|k| format!("<b id=i{k}>")).collect();
    let text = story(&format!("<div>{open}</div>{}\n", "<p>x".repeat(99_000)));
    write(&path, &text);
    let m = measured(site.path(), &["build"], HANG_GUARD);
    assert_eq!(m.code, Some(1), "killed after {:?} or built: {}", m.took, m.stderr);
    // A small story's fixed allowance (the README's "25 MB or so"), not 20 times its size.
    let above = m.peak_bytes.saturating_sub(baseline.peak_bytes);
    assert!(above < 25 << 20, "{} MB above an ordinary build", above >> 20);
    assert!(
        m.stderr.contains("reopened.md: error: the story is not built: its HTML leaves formatting tags such as `<b>`"),
        "{}",
        m.stderr
    );
    // A few left open across a few hundred paragraphs, a likely slip, still builds.
    write(&path, &story(&format!("<b>bold <i>and italic\n\n{}", "More text.\n\n".repeat(300))));
    let m = measured(site.path(), &["build"], HANG_GUARD);
    assert_eq!(m.code, Some(0), "{}", m.stderr);
}

/// The same shape made two 161 KB stories publish a 530 MB site (an 82 MB page each and a
/// 389 MB feed). Now each is refused; and what builds stays within a few times its size, the
/// feed included: a story whose escaped text would take over 1 MB of the feed appears there by
/// summary only.
#[test]
fn a_story_cannot_make_its_page_or_the_feed_huge() {
    let site = example_site();
    let open: String = (0..127).map(|k| format!("<b id=i{k}>")).collect();
    let text = story(&format!("<div>{open}</div>{}\n", "<p>x".repeat(40_000)));
    for name in ["one", "two"] {
        write(&site.path().join(format!("content/stories/{name}.md")), &text);
    }
    let m = measured(site.path(), &["build"], HANG_GUARD);
    assert_eq!(m.code, Some(1), "killed after {:?} or built: {}", m.took, m.stderr);
    assert!(m.stderr.contains("one.md: error: the story is not built") && m.stderr.contains("two.md"), "{}", m.stderr);
    // About as many re-created elements as the limits let through (60,000, copying 60 KB of
    // names): the page stays within 20 times the file.
    let text = story(&format!("<div><b><i><u><s><em></div>{}\n", "<p>x".repeat(10_000)));
    write(&site.path().join("content/stories/one.md"), &text);
    // Few words and much markup (long attributes): over 1 MB escaped into the feed.
    let long = story(&format!("<span title=\"{}\">w</span>\n\n", "a".repeat(1_000)).repeat(1_500));
    write(&site.path().join("content/stories/two.md"), &long);
    let m = measured(site.path(), &["build"], HANG_GUARD);
    assert_eq!(m.code, Some(0), "{}", m.stderr);
    let page = std::fs::metadata(site.path().join("output/stories/one/index.html")).unwrap().len();
    assert!(page < 20 * text.len() as u64, "page {page} bytes for a {} byte story", text.len());
    let feed = read(&site.path().join("output/feed.xml"));
    assert!(feed.len() < 2 << 20, "feed {} bytes", feed.len());
    assert!(read(&site.path().join("output/stories/two/index.html")).matches("title=").count() >= 1_500);
    assert!(feed.contains("/stories/two/") && !feed.contains(&"a".repeat(1_000)), "the long story by summary only");
}

/// `<div/>` is not self-closing in HTML: it opens a `<div>` that stays open. 99,000 of them
/// (594 KB) nested 99,000 deep, took 28.6 s and were published, since the depth limit counted
/// them as closed.
#[test]
fn self_closed_containers_count_as_nesting() {
    let site = example_site();
    let path = site.path().join("content/stories/selfclosed.md");
    write(&path, &story(&format!("{}x\n", "<div/>".repeat(99_000))));
    let m = measured(site.path(), &["build"], HANG_GUARD);
    assert_eq!(m.code, Some(1), "killed after {:?} or built: {}", m.took, m.stderr);
    assert!(
        m.stderr.contains("selfclosed.md: error: the story is not built: its HTML is nested more than 128"),
        "{}",
        m.stderr
    );
    assert!(m.took < Duration::from_secs(10), "took {:?}", m.took);
    // Void elements written with `/>` and ordinary inline HTML still build.
    let ok = "A <b>bold</b>, <em>slanted</em> and <a href=\"https://x.org/\">linked</a> line<br/>\n\n\
              <img src=\"/static/favicon.svg\" alt=\"a\"/> <i>x</i>\n\n| a | b |\n|---|---|\n| <b>1</b> | 2 |\n\n";
    write(&path, &story(&ok.repeat(500)));
    let m = measured(site.path(), &["build"], HANG_GUARD);
    assert_eq!(m.code, Some(0), "{}", m.stderr);
    let page = read(&site.path().join("output/stories/selfclosed/index.html"));
    assert!(page.contains("<b>bold</b>") && page.contains("<br>") && page.contains("<td><b>1</b></td>"), "{page}");
}

/// Found by the second outside break attempt: 20,000 headings of the same text (80 KB) hung the
/// build, each anchor trying `a-2`, `a-3`, … afresh (N² tries). Now each is one step.
#[test]
fn many_identical_headings_build_in_bounded_time() {
    let site = example_site();
    let story_path = site.path().join("content/stories/headings.md");
    write(&story_path, &story("# a\n".repeat(60_000).as_str()));
    let m = measured(site.path(), &["build"], HANG_GUARD);
    assert_eq!(m.code, Some(0), "killed after {:?} or failed: {}", m.took, m.stderr);
    let page = read(&site.path().join("output/stories/headings/index.html"));
    assert!(page.contains("id=\"a-60000\""), "the last anchor");
}

/// Writes `text` to `path` and builds, asserting the README's bound: peak memory under 20 times
/// the story's size above an ordinary build (`baseline`).
fn build_within_memory(
    site: &Path,
    baseline: &Measured,
    path: &Path,
    name: &str,
    text: &str,
    deadline: Duration,
) -> Measured {
    write(path, text);
    let m = measured(site, &["build"], deadline);
    let above = m.peak_bytes.saturating_sub(baseline.peak_bytes);
    assert!(
        above < 20 * text.len() as u64,
        "{name}: peak {} MB, {} MB above an ordinary build, for a {:.1} MB story (killed: {})",
        m.peak_bytes >> 20,
        above >> 20,
        text.len() as f64 / 1e6,
        m.code.is_none()
    );
    m
}

/// Item 9: one 7.9 MB story costs a bounded amount of memory whatever its shape: within the
/// limits it builds under 20 times its size above an ordinary build; past them it is refused.
#[test]
fn one_huge_story_has_bounded_peak_memory() {
    let site = example_site();
    let baseline = measured(site.path(), &["build"], HANG_GUARD);
    assert_eq!(baseline.code, Some(0), "{}", baseline.stderr);
    let deep = site.path().join("content/stories/huge.md");
    let size = 7_900_000;
    // Tiny paragraphs (the shape that took 60 times its size), then as many as the limit allows.
    // The link leads to a page of the site: a relative `x` is a file beside a story written as
    // one file, which such a story cannot have (an error since issue 17's round 7).
    let dense = story(&"short *e* [l](../bakery-apprentice/)\n\n".repeat(size / 38));
    let near_limit = padded(&"short *e* [l](../bakery-apprentice/)\n\n".repeat(30_000), size);
    for (name, text, builds) in [("dense", dense, false), ("near the limit", near_limit, true)] {
        let m = build_within_memory(site.path(), &baseline, &deep, name, &text, Duration::from_secs(120));
        assert_eq!(m.code, Some(if builds { 0 } else { 1 }), "{name}: {}", m.stderr);
        if !builds {
            assert!(m.stderr.contains("content/stories/huge.md: error: the story is not built"), "{}", m.stderr);
        }
    }
}

/// Item 9, every shape: the Markdown parser builds a node per block and per inline mark of the
/// whole file before the first event, so each construct that makes nodes must be counted before
/// parsing. Each body here is about 7.5 MB of one construct (some took 100 times their size, and
/// 95 small tables with missing cells, 0.3 MB, took 2 GB); each must stay under 20 times its size
/// above an ordinary build, as the README states, and be refused with the file named.
#[test]
fn every_markdown_shape_has_bounded_peak_memory() {
    let site = example_site();
    let baseline = measured(site.path(), &["build"], HANG_GUARD);
    assert_eq!(baseline.code, Some(0), "{}", baseline.stderr);
    let huge = site.path().join("content/stories/huge.md");
    let table =
        |cols: usize, rows: usize| format!("{}\n{}\n{}\n", "|a".repeat(cols), "|-".repeat(cols), "x\n".repeat(rows));
    let shapes: &[(&str, String)] = &[
        ("bullets", "+ ".repeat(3_750_000)),
        ("numbered", "1. ".repeat(2_500_000)),
        ("numbered with )", "1) ".repeat(2_500_000)),
        ("quotes", "> ".repeat(3_750_000)),
        ("headings", "# h\n".repeat(1_875_000)),
        ("emphasis", "*a* ".repeat(1_875_000)),
        ("link references", "[a]: b\n".repeat(1_000_000)),
        ("links closed", "]".repeat(7_500_000)),
        ("tables", table(2, 3_700_000)),
        ("tables with missing cells", table(512, 512).repeat(2_400)),
        ("old Mac line ends", "a\r\r".repeat(2_500_000)),
        ("ellipses", "...".repeat(2_500_000)),
        ("heading attributes", format!("# a {{{}}}\n", "aa ".repeat(2_500_000))),
    ];
    for (name, body) in shapes {
        let m = build_within_memory(site.path(), &baseline, &huge, name, &story(body), HANG_GUARD);
        assert_eq!(m.code, Some(1), "{name}: {}", m.stderr);
        assert!(
            m.stderr.contains("content/stories/huge.md: error: the story is not built: it has more than"),
            "{name}: {}",
            m.stderr
        );
    }
}

/// A folder ladder never built into holds someone's files: `output_dir: .git` from a pull
/// request, or `--output ~/Documents`, would be replaced whole. Both are refused untouched.
#[test]
fn a_folder_ladder_did_not_build_is_never_replaced() {
    let (outer, site) = site_with_neighbour();
    write(&site.join(".git/HEAD"), "ref: refs/heads/main\n");
    write(&site.join(".git/config"), "[core]\n");
    let yaml = read(&site.join("site.yaml"));
    write(&site.join("site.yaml"), &format!("{yaml}\noutput_dir: .git\n"));
    assert_refused(outer.path(), &site, &["build"], "ladder did not build");
    write(&site.join("site.yaml"), &yaml);
    let victim = outer.path().join("victim").to_string_lossy().into_owned();
    assert_refused(outer.path(), &site, &["build", "--output", &victim], "ladder did not build");
    // A bare lock file or a junk state file beside it proves nothing (the second outside break
    // attempt wiped a folder so).
    write(&outer.path().join(".victim.lock"), "");
    assert_refused(outer.path(), &site, &["build", "--output", &victim], "ladder did not build");
    write(&outer.path().join(".victim.ladder-state"), "junk");
    assert_refused(outer.path(), &site, &["build", "--output", &victim], "ladder did not build");
    // An empty folder, or one ladder built before, is fine.
    std::fs::create_dir_all(outer.path().join("empty")).unwrap();
    let empty = outer.path().join("empty").to_string_lossy().into_owned();
    let built = ladder(&site, &["build", "-q", "--output", &empty]);
    assert!(built.status.success(), "{}", stderr(&built));
    assert!(outer.path().join("empty/index.html").exists());
    let again = ladder(&site, &["build", "-q", "--output", &empty, "--base-url", "https://example.org/x/"]);
    assert!(again.status.success(), "{}", stderr(&again));
}

/// An output given as a symbolic link would replace the link, leaving its folder stale and
/// side-stepping the lock held on the folder's own name.
#[cfg(unix)]
#[test]
fn an_output_that_is_a_link_is_refused() {
    let (outer, site) = site_with_neighbour();
    std::os::unix::fs::symlink(site.join("output"), outer.path().join("alias")).unwrap();
    let alias = outer.path().join("alias").to_string_lossy().into_owned();
    let before = tree(outer.path());
    let out = ladder(&site, &["build", "--output", &alias]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("symbolic link"), "{}", stderr(&out));
    assert_eq!(tree(outer.path()), before);
}

/// A high anonymity threshold is allowed ("may be raised"); the methodology's worked example
/// used to ask for more successes than trials and panicked above 201.
#[test]
fn a_high_threshold_builds() {
    let site = example_site();
    let yaml = read(&site.path().join("site.yaml")).replace("anonymity_threshold: 10", "anonymity_threshold: 250");
    write(&site.path().join("site.yaml"), &yaml);
    let out = ladder(site.path(), &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// A link out of the site is refused without being read: nothing of what it points at reaches
/// the messages (an outside `secrets.yaml` would otherwise be quoted into a public CI log).
#[test]
fn a_refused_link_is_not_read() {
    let (outer, site) = site_with_neighbour();
    write(&outer.path().join("elsewhere/creds.yaml"), "aws_secret_key: AKIA-SECRET-KEY\nregion: TOPSECRETVALUE\n");
    write(&outer.path().join("elsewhere/st.md"), "---\ntitle: x\ndate: SECRETDATE99\n---\nbody\n");
    std::os::unix::fs::symlink(outer.path().join("elsewhere/creds.yaml"), site.join("content/employers/creds.yaml"))
        .unwrap();
    std::os::unix::fs::symlink(outer.path().join("elsewhere/st.md"), site.join("content/stories/st.md")).unwrap();
    for args in [&["build"][..], &["check"], &["check", "--format", "json"]] {
        let out = ladder(&site, args);
        let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
        assert_eq!(out.status.code(), Some(1), "{args:?}: {all}");
        assert!(all.contains("content/employers/creds.yaml") && all.contains("content/stories/st.md"), "{all}");
        assert!(!all.contains("SECRET") && !all.contains("aws_secret_key"), "{args:?} quoted the outside file: {all}");
    }
}

/// Inputs that never end or never open: a link to `/dev/zero` (new, so the freshness check
/// would hash its content), and FIFOs as a story, an employer, a template, a static file and the
/// lock or state file beside the output. Every build and check finishes and names the file.
#[test]
fn endless_and_blocking_inputs_do_not_hang() {
    let (_outer, site) = site_with_neighbour();
    let fifo = |p: &Path| {
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        assert!(Command::new("mkfifo").arg(p).status().unwrap().success());
    };
    let deadline = Duration::from_secs(60);
    let zero = site.join("content/stories/zero.md");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    let m = measured(&site, &["build"], deadline);
    assert_eq!(m.code, Some(1), "a link to /dev/zero: {}", m.stderr);
    assert!(m.stderr.contains("content/stories/zero.md"), "{}", m.stderr);
    std::fs::remove_file(&zero).unwrap();
    for rel in ["content/stories/fifo.md", "content/employers/fifo.yaml", "templates/fifo.html", "static/fifo.txt"] {
        let p = site.join(rel);
        fifo(&p);
        for args in [&["build"][..], &["check"]] {
            let m = measured(&site, args, deadline);
            assert_eq!(m.code, Some(1), "{rel} {args:?}: {}", m.stderr);
            assert!(m.stderr.contains(rel) && m.stderr.contains("not a regular file"), "{rel} {args:?}: {}", m.stderr);
        }
        std::fs::remove_file(&p).unwrap();
    }
    // Beside the output: a change first, so the build does not stop at "up to date".
    for name in [".output.lock", ".output.ladder-state"] {
        let story = site.join("content/stories/fifo-test.md");
        write(&story, &format!("---\ntitle: Note {name}\ndate: 2024-01-01\n---\n\nText.\n"));
        let p = site.join(name);
        let kept = std::fs::read(&p).ok();
        let _ = std::fs::remove_file(&p);
        fifo(&p);
        let m = measured(&site, &["build"], deadline);
        assert!(m.code.is_some(), "{name}: the build hung");
        std::fs::remove_file(&p).unwrap();
        if let Some(bytes) = kept {
            std::fs::write(&p, bytes).unwrap();
        }
        std::fs::remove_file(&story).unwrap();
    }
    let m = measured(&site, &["build"], deadline);
    assert_eq!(m.code, Some(0), "the site builds again once the FIFOs are gone: {}", m.stderr);
}

/// A local deploy target is made to match the site, deleting what else it holds: the site
/// folder, an input folder or a folder inside one is refused, and nothing is touched.
#[test]
fn deploy_never_replaces_the_sources() {
    let (outer, site) = site_with_neighbour();
    for target in ["content", "", "themes/default", "content/stories", "static"] {
        let before = snapshot(outer.path());
        let url = format!("file://{}", site.join(target).canonicalize().unwrap_or(site.join(target)).display());
        let out = ladder(&site, &["deploy", "--target", &url]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{target}: {err}");
        assert!(err.contains("refusing to deploy into"), "{target}: {err}");
        assert_eq!(snapshot(outer.path()), before, "{target}: every file must be unchanged");
    }
    // A folder apart from the site is fine.
    let url = format!("file://{}", outer.path().join("published").display());
    let out = ladder(&site, &["deploy", "--target", &url]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// A refused deploy leaves the site as it found it, the build's own state file included. The
/// freshness check a deploy makes used to tidy that file once the inputs had settled (two
/// seconds after the build), so the test above failed whenever a loaded machine took that long.
#[test]
fn a_refused_deploy_writes_nothing_even_once_the_inputs_settle() {
    let (outer, site) = site_with_neighbour();
    std::thread::sleep(std::time::Duration::from_millis(2500));
    let before = snapshot(outer.path());
    let url = format!("file://{}", site.join("content").display());
    let out = ladder(&site, &["deploy", "--target", &url]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(snapshot(outer.path()), before, "every file, the build's state included, must be unchanged");
}

/// `--output output/.` (and `output_dir: output/./`) is the folder `output`, not an error from
/// moving `.` aside.
#[test]
fn an_output_spelt_with_dots_builds() {
    let (_outer, site) = site_with_neighbour();
    for (i, spelling) in ["output/.", "output/./", "./output/."].iter().enumerate() {
        write(&site.join("content/stories/dot.md"), &format!("---\ntitle: Dot {i}\ndate: 2024-01-01\n---\n\nText.\n"));
        let out = ladder(&site, &["build", "--output", spelling]);
        assert!(out.status.success(), "{spelling}: {}", stderr(&out));
        assert!(read(&site.join("output/stories/dot/index.html")).contains(&format!("Dot {i}")), "{spelling}");
    }
}

/// Third outside attempt: a local deploy target holding a link (to the site, or anywhere) is
/// refused, since deleting under the link would delete what it points at.
#[test]
fn deploy_refuses_a_target_holding_links() {
    let (outer, site) = site_with_neighbour();
    let target = outer.path().join("published");
    std::fs::create_dir_all(&target).unwrap();
    std::os::unix::fs::symlink(&site, target.join("sitelink")).unwrap();
    std::os::unix::fs::symlink(outer.path().join("victim"), target.join("victim")).unwrap();
    let before = snapshot(outer.path());
    let out = ladder(&site, &["deploy", "--target", &format!("file://{}", target.display())]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("refusing to deploy into") && err.contains("symbolic link"), "{err}");
    assert_eq!(snapshot(outer.path()), before, "nothing may be deleted through the links");
    // The target given as a link to that folder: the links inside are still seen.
    std::os::unix::fs::symlink(&target, outer.path().join("target-link")).unwrap();
    let out = ladder(&site, &["deploy", "--target", &format!("file://{}", outer.path().join("target-link").display())]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("symbolic link"), "{err}");
    assert_eq!(snapshot(outer.path()), before, "nothing may be deleted through a target that is a link");
}

/// Third outside attempt: `site.yaml` linked out of the site is not read either, and a link to
/// a file of the site folder that is not an input (`.git/config`, with a CI token) is refused.
#[test]
fn links_to_site_yaml_and_to_non_inputs_are_not_read() {
    let (outer, site) = site_with_neighbour();
    write(&outer.path().join("elsewhere/site.yaml"), "title: x\nbase_url: SECRETURL\npassword: SECRETPASS\n");
    std::fs::rename(site.join("site.yaml"), site.join("site.yaml.real")).unwrap();
    std::os::unix::fs::symlink(outer.path().join("elsewhere/site.yaml"), site.join("site.yaml")).unwrap();
    for args in [&["build"][..], &["check"], &["check", "--format", "json"]] {
        let out = ladder(&site, args);
        let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
        assert_eq!(out.status.code(), Some(1), "{args:?}: {all}");
        assert!(all.contains("site.yaml") && all.contains("symbolic link"), "{all}");
        assert!(!all.contains("SECRET") && !all.contains("password"), "{args:?} quoted the outside file: {all}");
    }
    std::fs::remove_file(site.join("site.yaml")).unwrap();
    std::fs::rename(site.join("site.yaml.real"), site.join("site.yaml")).unwrap();
    write(&site.join(".git/config"), "[http]\n\textraheader = AUTHORIZATION: basic SECRETTOKEN\n");
    std::fs::create_dir_all(site.join("static")).unwrap();
    std::os::unix::fs::symlink("../.git/config", site.join("static/config.txt")).unwrap();
    let out = ladder(&site, &["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("static/config.txt: error: symbolic link points outside the site"), "{err}");
    let published = tree(&site.join("output"));
    assert!(!published.values().any(|b| String::from_utf8_lossy(b).contains("SECRETTOKEN")), "token published");
}

/// Third outside attempt: raw HTML whose cost grows with the square of its size, though within
/// every other limit: repeated `<html>` tags whose attributes merge into the first, and text
/// inside a `<table>` outside any cell (each piece moved before the table). Both are refused at
/// once, naming the file.
#[test]
fn html_that_costs_a_square_is_refused() {
    let site = example_site();
    let file = site.path().join("content/stories/square.md");
    let merged: String = (0..800)
        .map(|k| format!("<html {}>", (0..255).map(|j| format!("a{k}x{j}")).collect::<Vec<_>>().join(" ")))
        .collect();
    for (name, body) in [
        ("merged attributes", format!("<div>{merged}x</div>")),
        ("fostered", format!("<table>{}", "x<br>".repeat(99_000))),
    ] {
        write(&file, &story(&body));
        let m = measured(site.path(), &["build"], Duration::from_secs(20));
        assert_eq!(m.code, Some(1), "{name}: {}", m.stderr);
        assert!(m.stderr.contains("content/stories/square.md"), "{name}: {}", m.stderr);
    }
}

/// Outside round 7 of issue 17, item 10: `check` took time in the square of a story's pictures
/// that have no text alternative and name a missing file (each dead link was compared with each
/// problem of the story): 20,000 such lines ran for more than ten minutes. Now in bounded time,
/// every problem told.
#[test]
fn many_problems_in_one_story_are_checked_in_bounded_time() {
    let site = example_site();
    let body: String = (0..20_000).map(|i| format!("![](/static/missing-{i}.png)\n")).collect();
    write(&site.path().join("content/stories/many.md"), &story(&body));
    let m = measured(site.path(), &["check"], HANG_GUARD);
    assert_eq!(m.code, Some(1), "killed after {:?} or passed: {}", m.took, m.stderr.len());
    assert!(m.stderr.contains("content/stories/many.md:"), "{}", &m.stderr[..m.stderr.len().min(2000)]);
    assert!(m.stderr.contains("has no text alternative"), "{}", &m.stderr[..m.stderr.len().min(2000)]);
}

/// Outside round 8 of issue 17, item 6: placing each link of an employer's commitment read the
/// whole file again, so 20,000 links took 43 s to check. Now in bounded time.
#[test]
fn a_commitment_with_many_links_is_checked_in_bounded_time() {
    let site = example_site();
    let file = site.path().join("content/employers/northgate-rail.yaml");
    let text = read(&file);
    let links = "  [about](/about/)\n".repeat(20_000);
    write(&file, &text.replacen("commitment: |\n", &format!("commitment: |\n{links}"), 1));
    let m = measured(site.path(), &["check"], HANG_GUARD);
    assert_eq!(m.code, Some(0), "killed after {:?} or failed: {}", m.took, &m.stderr[..m.stderr.len().min(2000)]);
}
