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
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ALLOW_HTTP", "true");
    }

    fn options(&self) -> Vec<(String, String)> {
        [
            ("aws_endpoint", &self.endpoint),
            ("aws_access_key_id", &self.access_key),
            ("aws_secret_access_key", &self.secret_key),
            ("aws_region", &"us-east-1".to_string()),
            ("aws_allow_http", &"true".to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
    }
}

/// Inputs edited this instant are not recorded as built (freshness's racy-timestamp rule), so
/// test sites are dated a minute back, as a checked-out site would be by the time it is built.
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

/// Files whose bytes differ between two builds (present in both).
fn changed(before: &std::collections::BTreeMap<String, Vec<u8>>, after: &Path) -> BTreeSet<String> {
    common::tree(after).into_iter().filter(|(k, v)| before.get(k).is_some_and(|b| b != v)).map(|(k, _)| k).collect()
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
    assert!(err.contains("deploy target ftp://example.org/site") && err.contains("run `ladder build`"), "{err}");
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
