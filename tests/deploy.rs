//! `ladder deploy` against a real S3-compatible server (s3s-fs, installed and started on
//! loopback by scripts/test.sh, which sets LADDER_S3_ENDPOINT, LADDER_S3_ACCESS_KEY,
//! LADDER_S3_SECRET_KEY and LADDER_S3_BUCKET). Without them the S3 test says it is skipped;
//! scripts/test.sh always sets them. Each step prints what it uploaded, deleted and left alone.

mod common;

use common::{example_site, stderr};
use ladder::deploy::{self, Change};
use object_store::ObjectStoreExt;
use std::collections::BTreeSet;
use std::ops::ControlFlow;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

struct S3 {
    endpoint: String,
    access_key: String,
    secret_key: String,
    bucket: String,
}

fn s3() -> Option<S3> {
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    match (var("LADDER_S3_ENDPOINT"), var("LADDER_S3_ACCESS_KEY"), var("LADDER_S3_SECRET_KEY"), var("LADDER_S3_BUCKET"))
    {
        (Some(endpoint), Some(access_key), Some(secret_key), Some(bucket)) => {
            Some(S3 { endpoint, access_key, secret_key, bucket })
        }
        _ => {
            eprintln!("SKIPPED: no S3-compatible server (scripts/test.sh starts one and sets LADDER_S3_*)");
            None
        }
    }
}

impl S3 {
    fn env(&self, cmd: &mut Command) {
        cmd.env("AWS_ENDPOINT", &self.endpoint)
            .env("AWS_ACCESS_KEY_ID", &self.access_key)
            .env("AWS_SECRET_ACCESS_KEY", &self.secret_key)
            .env("AWS_REGION", "us-east-1");
        // No AWS_ALLOW_HTTP: a plain-HTTP endpoint on loopback needs none.
    }

    fn options(&self) -> Vec<(String, String)> {
        [
            ("aws_endpoint", &self.endpoint),
            ("aws_access_key_id", &self.access_key),
            ("aws_secret_access_key", &self.secret_key),
            ("aws_region", &"us-east-1".to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
    }
}

/// Date every file a minute back, as a site edited a while ago is (a site built the instant it
/// was written is `a_fresh_checkout_builds_and_deploys_at_once`'s case).
fn age(dir: &Path) {
    let then = SystemTime::now() - Duration::from_secs(60);
    for e in walkdir::WalkDir::new(dir).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()) {
        std::fs::File::options().write(true).open(e.path()).unwrap().set_modified(then).unwrap();
    }
}

fn ladder(dir: &Path, s3: Option<&S3>, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ladder"));
    cmd.args(args).current_dir(dir).env("CI", "true");
    for k in ["AWS_ENDPOINT", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_ALLOW_HTTP"] {
        cmd.env_remove(k);
    }
    if let Some(s3) = s3 {
        s3.env(&mut cmd);
    }
    cmd.output().unwrap()
}

fn build(site: &Path) {
    age(site);
    let o = ladder(site, None, &["build", "-q"]);
    assert!(o.status.success(), "build failed: {}", stderr(&o));
}

/// What one `ladder deploy` did: keys uploaded and deleted (from its lines) and the counts of
/// its summary line.
#[derive(Debug)]
struct Step {
    uploaded: BTreeSet<String>,
    deleted: BTreeSet<String>,
    counts: (usize, usize, usize),
}

fn deploy_step(name: &str, site: &Path, s3: &S3, target: &str, extra: &[&str]) -> Step {
    let mut args = vec!["deploy", "--target", target, "--cache-control", "public, max-age=60"];
    args.extend_from_slice(extra);
    let o = ladder(site, Some(s3), &args);
    let err = stderr(&o);
    assert!(o.status.success(), "{name}: deploy failed: {err}");
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    let keys = |verb: &str| -> BTreeSet<String> {
        out.lines()
            .filter_map(|l| l.strip_prefix(verb))
            .map(|k| k.trim_end_matches(" (new)").trim_end_matches(" (changed)").to_string())
            .collect()
    };
    let summary =
        err.lines().find(|l| l.contains(" uploaded, ")).unwrap_or_else(|| panic!("{name}: no summary: {err}"));
    let nums: Vec<usize> = summary.split_whitespace().filter_map(|w| w.trim_end_matches(',').parse().ok()).collect();
    let step = Step { uploaded: keys("upload "), deleted: keys("delete "), counts: (nums[0], nums[1], nums[2]) };
    eprintln!(
        "deploy step '{name}': files uploaded {} / deleted {} / unchanged {}",
        step.counts.0, step.counts.1, step.counts.2
    );
    step
}

fn files(dir: &Path) -> BTreeSet<String> {
    common::tree(dir).into_keys().collect()
}

/// Files the second build wrote otherwise than the first, or added.
fn changed(before: &std::collections::BTreeMap<String, Vec<u8>>, after: &Path) -> BTreeSet<String> {
    // New files count: a social card is named by what it shows, so a changed card is a new file.
    common::tree(after).into_iter().filter(|(k, v)| before.get(k) != Some(v)).map(|(k, _)| k).collect()
}

fn remote_keys(s3: &S3, target: &str) -> BTreeSet<String> {
    let deploy::Target { store, prefix, .. } = deploy::open_store(target, &s3.options()).unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        use futures::StreamExt;
        let metas: Vec<_> = store.list(Some(&prefix)).collect().await;
        metas
            .into_iter()
            .map(|m| {
                let loc = m.unwrap().location;
                loc.prefix_match(&prefix).unwrap().map(|p| p.as_ref().to_string()).collect::<Vec<_>>().join("/")
            })
            .collect()
    })
}

#[test]
fn deploys_to_a_real_s3_compatible_server_and_converges() {
    let Some(s3) = s3() else { return };
    let nonce = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap().as_nanos();
    let target = format!("s3://{}/site-{nonce}", s3.bucket);
    let dir = example_site();
    let site = dir.path();
    let out = site.join("output");
    build(site);
    let all = files(&out);
    let n = all.len();

    // 1. First deploy: every file goes up, with its content type and the cache header.
    let first = deploy_step("first deploy", site, &s3, &target, &[]);
    assert_eq!(first.counts, (n, 0, 0));
    assert_eq!(first.uploaded, all);
    let mut expected_remote = all.clone();
    expected_remote.insert(deploy::MANIFEST.to_string());
    assert_eq!(remote_keys(&s3, &target), expected_remote);
    let dest = deploy::open_store(&target, &s3.options()).unwrap();
    let (store, prefix) = (&dest.store, &dest.prefix);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let page = rt.block_on(store.get(&prefix.clone().join("index.html"))).unwrap();
    let attrs = page.attributes.clone();
    assert_eq!(attrs.get(&object_store::Attribute::ContentType).map(|v| v.as_ref()), Some("text/html; charset=utf-8"));
    assert_eq!(attrs.get(&object_store::Attribute::CacheControl).map(|v| v.as_ref()), Some("public, max-age=60"));
    assert_eq!(rt.block_on(page.bytes()).unwrap().as_ref(), std::fs::read(out.join("index.html")).unwrap());

    // 2. Nothing changed: nothing is sent.
    let again = deploy_step("no change", site, &s3, &target, &[]);
    assert_eq!(again.counts, (0, 0, n));

    // 3. One story's title edited: that page and exactly the pages listing it go up.
    let before = common::tree(&out);
    let story = site.join("content/stories/bakery-apprentice.md");
    let text = common::read(&story).replace("title: Small firm, big step", "title: Small firm, bigger step");
    common::write(&story, &text);
    build(site);
    let differ = changed(&before, &out);
    assert!(differ.contains("stories/bakery-apprentice/index.html") && differ.contains("stories/index.html"));
    let dry = deploy_step("edited story (dry run)", site, &s3, &target, &["--dry-run"]);
    assert_eq!(dry.uploaded, differ, "the dry run lists every change");
    let edited = deploy_step("edited story", site, &s3, &target, &[]);
    assert_eq!(edited.uploaded, differ);
    assert_eq!(edited.counts, (differ.len(), 0, n - differ.len()));
    let dry_after = deploy_step("after the edit (dry run)", site, &s3, &target, &["--dry-run"]);
    assert_eq!(dry_after.counts, (0, 0, n), "the dry run before changed nothing, the real one did it all");

    // 4. A story deleted: its page is deleted remotely, the pages that listed it are re-sent.
    let before = common::tree(&out);
    std::fs::remove_file(site.join("content/stories/counting-the-counters.md")).unwrap();
    build(site);
    let gone: BTreeSet<String> = before.keys().filter(|k| !out.join(k).exists()).cloned().collect();
    assert!(gone.contains("stories/counting-the-counters/index.html"), "{gone:?}");
    let removed = deploy_step("deleted story", site, &s3, &target, &[]);
    assert_eq!(removed.deleted, gone);
    assert_eq!(removed.uploaded, changed(&before, &out));
    assert_eq!(removed.counts.1, gone.len());
    let remote = remote_keys(&s3, &target);
    assert!(!remote.contains("stories/counting-the-counters/index.html"));
    let mut expected_remote = files(&out);
    expected_remote.insert(deploy::MANIFEST.to_string());
    assert_eq!(remote, expected_remote);

    // 5. Interrupted: a deploy with another edit stops after its first upload (as a killed
    // process would); running it again converges, and then nothing is left to do.
    let story = site.join("content/stories/levy-that-travels.md");
    let text = common::read(&story);
    let title = text.lines().find(|l| l.starts_with("title: ")).unwrap().to_string();
    common::write(&story, &text.replacen(&title, &format!("{title} (updated)"), 1));
    build(site);
    let n = files(&out).len();
    let files_now = deploy::local_files(&out).unwrap();
    let summary = rt
        .block_on(async {
            let plan = deploy::plan(&dest, files_now, Some("public, max-age=60")).await?;
            assert!(plan.uploads.len() > 1, "the edit changes more than one page");
            let mut stop = |_: &Change| ControlFlow::Break(());
            deploy::execute(&dest, plan, Some("public, max-age=60"), &mut stop).await
        })
        .unwrap();
    assert!(!summary.complete);
    assert_eq!(summary.uploaded, 1);
    eprintln!("deploy step 'interrupted': files uploaded 1 then stopped");
    let rerun = deploy_step("re-run after interruption", site, &s3, &target, &[]);
    assert!(rerun.counts.0 >= 1 && rerun.counts.0 + rerun.counts.2 == n && rerun.counts.1 == 0, "{rerun:?}");
    let settled = deploy_step("after convergence", site, &s3, &target, &[]);
    assert_eq!(settled.counts, (0, 0, n));
    for key in ["index.html", "stories/levy-that-travels/index.html", "stories/index.html"] {
        let location = key.split('/').fold(prefix.clone(), |p, part| p.join(part));
        let got = rt.block_on(async { store.get(&location).await.unwrap().bytes().await.unwrap() });
        let key_path: std::path::PathBuf = key.split('/').collect();
        assert_eq!(got.as_ref(), std::fs::read(out.join(key_path)).unwrap(), "{key} on the server is the built file");
    }
}

/// The process itself killed (SIGKILL) once it has reported its first upload, on a fresh prefix:
/// running the deploy again converges on exactly the built files.
#[test]
fn a_killed_deploy_converges_when_run_again() {
    let Some(s3) = s3() else { return };
    let nonce = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap().as_nanos();
    let target = format!("s3://{}/killed-{nonce}", s3.bucket);
    let dir = example_site();
    let site = dir.path();
    build(site);
    let n = files(&site.join("output")).len();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ladder"));
    cmd.args(["deploy", "--target", &target]).current_dir(site).env("CI", "true");
    s3.env(&mut cmd);
    let mut child = cmd.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::null()).spawn().unwrap();
    let mut first = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut first).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(first.starts_with("upload "), "{first}");
    let landed = remote_keys(&s3, &target);
    eprintln!(
        "deploy step 'killed': process killed after its first upload; {} of {n} files had landed, manifest {}",
        landed.iter().filter(|k| k.as_str() != deploy::MANIFEST).count(),
        if landed.contains(deploy::MANIFEST) { "written" } else { "not written" }
    );
    let rerun = deploy_step("re-run after kill", site, &s3, &target, &[]);
    assert_eq!(rerun.counts.0 + rerun.counts.2, n, "{rerun:?}");
    let settled = deploy_step("after the kill, converged", site, &s3, &target, &[]);
    assert_eq!(settled.counts, (0, 0, n));
    let mut expected = files(&site.join("output"));
    expected.insert(deploy::MANIFEST.to_string());
    assert_eq!(remote_keys(&s3, &target), expected);
}

#[test]
fn refuses_an_output_that_is_not_a_fresh_build() {
    let dir = example_site();
    let site = dir.path();
    let dest = tempfile::tempdir().unwrap();
    let target = url::Url::from_directory_path(dest.path()).unwrap().to_string();
    // Never built: refused.
    let o = ladder(site, None, &["deploy", "--target", &target]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("run `ladder build`"), "{}", stderr(&o));
    // Never built and a target no store understands: both are named in one run.
    let o = ladder(site, None, &["deploy", "--target", "ftp://example.org/site"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("`ftp://example.org/site` is not a storage address") && err.contains("run `ladder build`"),
        "{err}"
    );
    build(site);
    // Built with another base URL than the deploy names: refused.
    let o = ladder(site, None, &["deploy", "--target", &target, "--base-url", "https://example.org/other/"]);
    assert!(!o.status.success(), "{}", stderr(&o));
    // Edited by hand after the build: refused, and nothing reached the target.
    std::fs::write(site.join("output/index.html"), "tampered").unwrap();
    let o = ladder(site, None, &["deploy", "--target", &target]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("nothing was deployed"), "{}", stderr(&o));
    assert_eq!(std::fs::read_dir(dest.path()).unwrap().count(), 0);
    // Rebuilt: accepted, and every file arrives in the local-folder target.
    build(site);
    let o = ladder(site, None, &["deploy", "--target", &target]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        common::tree(&site.join("output")).into_keys().collect::<BTreeSet<_>>(),
        files(dest.path()).into_iter().filter(|k| k != deploy::MANIFEST).collect()
    );
}

// ---- Deploying as a user or a CI job would, to a local folder (no S3 server needed) ----

/// `ladder` with only the given AWS settings (none of the caller's).
fn ladder_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ladder"));
    cmd.args(args).current_dir(dir).env("CI", "true");
    for (k, _) in std::env::vars() {
        if k.starts_with("AWS_") {
            cmd.env_remove(k);
        }
    }
    cmd.envs(env.iter().copied());
    cmd.output().unwrap()
}

fn file_url(dir: &Path) -> String {
    url::Url::from_directory_path(dir).unwrap().to_string()
}

/// A CI job checks the site out, builds and deploys within a second: the files it just wrote
/// are judged by their content, so the build is recorded and the deploy accepts it.
#[test]
fn a_fresh_checkout_builds_and_deploys_at_once() {
    let dir = example_site();
    let site = dir.path();
    let dest = tempfile::tempdir().unwrap();
    let target = file_url(dest.path());
    let url = "https://example.org/scorecards/";
    let o = ladder_env(site, &["build", "-q", "--base-url", url], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = ladder_env(site, &["deploy", "--base-url", url, "--target", &target, "--dry-run"], &[]);
    assert!(o.status.success(), "a build right after checkout is deployable: {}", stderr(&o));
    let o = ladder_env(site, &["build", "--base-url", url], &[]);
    assert!(stderr(&o).contains("is up to date"), "the second build is recorded as done: {}", stderr(&o));
    let o = ladder_env(site, &["deploy", "--base-url", url, "--target", &target], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dest.path().join("index.html").is_file());
}

/// An input edited within the same timestamp tick as the build, without changing its size,
/// is still noticed: such just-written files are compared by content.
#[test]
fn an_edit_within_the_same_tick_is_noticed() {
    let dir = example_site();
    let site = dir.path();
    let o = ladder_env(site, &["build", "-q"], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let story = site.join("content/stories/levy-that-travels.md");
    let before = std::fs::metadata(&story).unwrap().modified().unwrap();
    let text = common::read(&story);
    let edited = text.replacen("levy", "LEVY", 1);
    assert_eq!(edited.len(), text.len());
    common::write(&story, &edited);
    std::fs::File::options().append(true).open(&story).unwrap().set_modified(before).unwrap();
    let dest = tempfile::tempdir().unwrap();
    let o = ladder_env(site, &["deploy", "--target", &file_url(dest.path()), "--dry-run"], &[]);
    assert!(!o.status.success(), "the edit went unseen");
    assert!(stderr(&o).contains("content/stories/levy-that-travels.md"), "names the file: {}", stderr(&o));
}

/// However the site and output folders are written (relative, absolute, `./x/`), the same
/// folder is the same build: the action builds with `--site . --output output`, the README
/// deploys without either.
#[test]
fn the_same_folders_written_differently_are_the_same_build() {
    let dir = example_site();
    let site = dir.path();
    let abs = site.canonicalize().unwrap();
    let abs = abs.to_str().unwrap();
    let dest = tempfile::tempdir().unwrap();
    let target = file_url(dest.path());
    let url = "https://example.org/";
    age(site);
    let o = ladder_env(site, &["build", "-q", "--site", ".", "--output", "output", "--base-url", url], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let elsewhere = tempfile::tempdir().unwrap();
    let out_abs = format!("{abs}/output");
    let deploys: [(&Path, Vec<&str>); 4] = [
        (site, vec!["--base-url", url]),
        (site, vec!["--base-url", url, "--output", "output"]),
        (elsewhere.path(), vec!["--base-url", url, "--site", abs]),
        (elsewhere.path(), vec!["--base-url", url, "--site", abs, "--output", &out_abs]),
    ];
    for (cwd, extra) in deploys {
        let mut args = vec!["deploy", "--dry-run", "--target", &target];
        args.extend(extra.iter().copied());
        let o = ladder_env(cwd, &args, &[]);
        assert!(o.status.success(), "deploy {extra:?}: {}", stderr(&o));
    }
    for args in [vec!["build", "--base-url", url], vec!["build", "--base-url", url, "--site", abs]] {
        let o = ladder_env(if args.len() > 3 { elsewhere.path() } else { site }, &args, &[]);
        assert!(stderr(&o).contains("is up to date"), "{args:?}: {}", stderr(&o));
    }
}

/// A refused deploy says which of the reasons applies, not a list of possibilities.
#[test]
fn a_refusal_names_its_cause() {
    let dir = example_site();
    let site = dir.path();
    let dest = tempfile::tempdir().unwrap();
    let target = file_url(dest.path());
    let o = ladder_env(site, &["deploy", "--target", &target], &[]);
    assert!(stderr(&o).contains("no record of a `ladder build`"), "{}", stderr(&o));
    build(site);
    let o = ladder_env(site, &["deploy", "--target", &target, "--base-url", "https://example.org/other/"], &[]);
    let err = stderr(&o);
    assert!(!o.status.success());
    assert!(err.contains("built without --base-url") && err.contains("https://example.org/other/"), "{err}");
    assert!(!err.contains("or the build came within"), "one cause, not five: {err}");
    let o = ladder_env(site, &["deploy", "--target", &target, "--drafts"], &[]);
    assert!(stderr(&o).contains("built without --drafts"), "{}", stderr(&o));
    std::fs::write(site.join("output/robots.txt"), "tampered").unwrap();
    let o = ladder_env(site, &["deploy", "--target", &target], &[]);
    assert!(stderr(&o).contains("a file in it was changed, added or removed after the build"), "{}", stderr(&o));
    build(site);
    std::fs::remove_file(site.join("content/stories/levy-that-travels.md")).unwrap();
    let o = ladder_env(site, &["deploy", "--target", &target], &[]);
    assert!(stderr(&o).contains("content/stories/levy-that-travels.md was removed"), "{}", stderr(&o));
}

/// A dry run that the real run would refuse says so and fails as the real run would.
#[test]
fn a_dry_run_shows_the_refusal_of_too_many_deletes() {
    let dir = example_site();
    let site = dir.path();
    build(site);
    let dest = tempfile::tempdir().unwrap();
    for name in ["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"] {
        std::fs::write(dest.path().join(name), "someone else's").unwrap();
    }
    let target = file_url(dest.path());
    let real = ladder_env(site, &["deploy", "--target", &target, "--max-deletes", "2"], &[]);
    let dry = ladder_env(site, &["deploy", "--target", &target, "--max-deletes", "2", "--dry-run"], &[]);
    assert_eq!(real.status.code(), Some(1), "{}", stderr(&real));
    assert_eq!(dry.status.code(), real.status.code(), "the dry run fails as the real run does: {}", stderr(&dry));
    let err = stderr(&dry);
    assert!(err.contains("would delete 5 objects") && err.contains("the real deploy would be refused"), "{err}");
    assert!(String::from_utf8_lossy(&dry.stdout).contains("delete a.txt"), "the dry run still lists the changes");
    assert_eq!(std::fs::read_dir(dest.path()).unwrap().count(), 5, "nothing changed");
}

/// A refused deploy and a dry run leave the target untouched: not even its folder is made.
#[test]
fn a_refused_deploy_or_a_dry_run_creates_nothing() {
    let dir = example_site();
    let site = dir.path();
    let dest = tempfile::tempdir().unwrap();
    let folder = dest.path().join("new/site");
    let target = url::Url::from_file_path(&folder).unwrap().to_string();
    let o = ladder_env(site, &["deploy", "--target", &target], &[]);
    assert!(!o.status.success());
    assert!(!dest.path().join("new").exists(), "a refused deploy created the target folder");
    build(site);
    let o = ladder_env(site, &["deploy", "--target", &target, "--dry-run"], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("upload index.html (new)"));
    assert!(!dest.path().join("new").exists(), "a dry run created the target folder");
    let o = ladder_env(site, &["deploy", "--target", &target], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(folder.join("index.html").is_file());
}

#[test]
fn max_deletes_takes_a_count_or_no_limit_and_nothing_else() {
    let dir = example_site();
    let site = dir.path();
    build(site);
    let dest = tempfile::tempdir().unwrap();
    let target = file_url(dest.path());
    for ok in ["0", "-1", "unlimited", "300"] {
        let o = ladder_env(site, &["deploy", "--dry-run", "--target", &target, "--max-deletes", ok], &[]);
        assert!(o.status.success(), "--max-deletes {ok}: {}", stderr(&o));
    }
    for bad in ["-2", "-100", "lots"] {
        let o = ladder_env(site, &["deploy", "--dry-run", "--target", &target, "--max-deletes", bad], &[]);
        assert_eq!(o.status.code(), Some(2), "--max-deletes {bad} is refused");
        assert!(stderr(&o).contains("0 or more, or -1"), "{}", stderr(&o));
    }
}

#[test]
fn a_mistyped_target_is_named_in_plain_words() {
    let dir = example_site();
    let site = dir.path();
    build(site);
    let cases = [
        ("s3///x", "`s3///x` is not a storage address: write it as s3://BUCKET/PREFIX"),
        ("s3:///x", "`s3:///x` has no bucket name: write it as s3://BUCKET/PREFIX"),
        ("gs:///x", "`gs:///x` has no bucket name"),
        ("az:///x", "`az:///x` has no container name"),
        ("/srv/www", "write a local folder as file:///srv/www"),
        ("ftp://example.org/site", "`ftp://example.org/site` is not a storage address"),
    ];
    for (target, want) in cases {
        let o = ladder_env(site, &["deploy", "--target", target], &[]);
        let err = stderr(&o);
        assert!(!o.status.success() && err.contains(want), "{target}: {err}");
        assert!(!err.contains("relative URL") && !err.contains("base"), "{target}: parser words: {err}");
    }
}

/// A port on loopback with nothing listening.
fn dead_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// A stand-in that answers every request with one canned S3 error (the words real stores use);
/// the real server's answers are checked in the S3 test below when scripts/test.sh runs it.
fn canned_store(status: &'static str, code: &'static str) -> u16 {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let mut buf = [0u8; 4096];
            let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
            let _ = stream.read(&mut buf);
            let body = format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>canned</Message></Error>"
            );
            let reply = format!(
                "HTTP/1.1 {status}\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    port
}

fn s3_env(endpoint: &str) -> Vec<(&'static str, String)> {
    vec![
        ("AWS_ENDPOINT", endpoint.to_string()),
        ("AWS_ACCESS_KEY_ID", "ladder-test".into()),
        ("AWS_SECRET_ACCESS_KEY", "not-the-secret".into()),
        ("AWS_REGION", "us-east-1".into()),
    ]
}

fn deploy_with(site: &Path, env: &[(&'static str, String)], target: &str, extra: &[&str]) -> (Output, Duration) {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut args = vec!["deploy", "--target", target];
    args.extend_from_slice(extra);
    let started = std::time::Instant::now();
    let o = ladder_env(site, &args, &env);
    (o, started.elapsed())
}

/// A plain-HTTP store on loopback (as scripts/test.sh and the README's MinIO example have) is
/// reached without AWS_ALLOW_HTTP; a dead one fails in seconds, in plain words.
#[test]
fn a_dead_loopback_store_fails_fast_in_plain_words() {
    let dir = example_site();
    let site = dir.path();
    build(site);
    let endpoint = format!("http://127.0.0.1:{}", dead_port());
    let (o, took) = deploy_with(site, &s3_env(&endpoint), "s3://ladder-test/site", &[]);
    let err = stderr(&o);
    assert!(!o.status.success());
    assert!(err.contains(&format!("cannot reach the storage at {endpoint}")), "{err}");
    assert!(!err.contains("builder error") && !err.contains("retries"), "{err}");
    assert!(took < Duration::from_secs(15), "a dead endpoint took {took:?}");
    let (o, _) = deploy_with(site, &s3_env(&endpoint), "s3://ladder-test/site", &["-v"]);
    assert!(stderr(&o).lines().count() >= 2, "-v adds the store's own words: {}", stderr(&o));
}

#[test]
fn plain_http_elsewhere_needs_aws_allow_http() {
    let dir = example_site();
    let site = dir.path();
    build(site);
    let (o, _) = deploy_with(site, &s3_env("http://storage.invalid:9000"), "s3://ladder-test/site", &[]);
    let err = stderr(&o);
    assert!(!o.status.success() && err.contains("AWS_ALLOW_HTTP=true"), "{err}");
}

#[test]
fn store_refusals_are_told_in_plain_words() {
    let dir = example_site();
    let site = dir.path();
    build(site);
    let cases = [
        (
            "403 Forbidden",
            "SignatureDoesNotMatch",
            "refused the credentials (signature does not match): check AWS_SECRET_ACCESS_KEY",
        ),
        ("403 Forbidden", "InvalidAccessKeyId", "check AWS_ACCESS_KEY_ID"),
        ("404 Not Found", "NoSuchBucket", "bucket ladder-test does not exist"),
    ];
    for (status, code, want) in cases {
        let endpoint = format!("http://127.0.0.1:{}", canned_store(status, code));
        let (o, _) = deploy_with(site, &s3_env(&endpoint), "s3://ladder-test/site", &[]);
        let err = stderr(&o);
        assert!(!o.status.success() && err.contains(want), "{code}: {err}");
        assert!(!err.contains("<?xml") && !err.contains("Generic S3 error"), "{code}: raw text shown: {err}");
    }
    let endpoint = format!("http://127.0.0.1:{}", dead_port());
    let no_keys = vec![("AWS_ENDPOINT", endpoint)];
    let (o, _) = deploy_with(site, &no_keys, "s3://ladder-test/site", &[]);
    let err = stderr(&o);
    assert!(err.contains("no credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"), "{err}");
}

/// The same refusals from the real S3-compatible server (run by scripts/test.sh).
#[test]
fn a_real_store_refusing_is_told_in_plain_words() {
    let Some(s3) = s3() else { return };
    let dir = example_site();
    let site = dir.path();
    build(site);
    let mut env = vec![
        ("AWS_ENDPOINT", s3.endpoint.clone()),
        ("AWS_ACCESS_KEY_ID", s3.access_key.clone()),
        ("AWS_SECRET_ACCESS_KEY", "wrong".to_string()),
    ];
    let (o, _) = deploy_with(site, &env, &format!("s3://{}/x", s3.bucket), &[]);
    assert!(stderr(&o).contains("check AWS_SECRET_ACCESS_KEY"), "{}", stderr(&o));
    env[2].1 = s3.secret_key.clone();
    let (o, _) = deploy_with(site, &env, "s3://no-such-bucket-here/x", &[]);
    assert!(stderr(&o).contains("bucket no-such-bucket-here does not exist"), "{}", stderr(&o));
}
