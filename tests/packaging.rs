//! Installing and deploying as the README says (issue 16): the package has a name of its own on
//! the Rust registry ("ladder" there is an unrelated program), the metadata `cargo install` and
//! crates.io show, and no workflow, action or README line installs the unrelated crate. The
//! action's script itself runs end to end in scripts/test.sh.

mod common;

use common::{read, repo};

fn manifest() -> String {
    read(&repo().join("Cargo.toml"))
}

/// The value of `key = "..."` in the `[package]` table.
fn package_field(key: &str) -> Option<String> {
    let text = manifest();
    let package = text.split("\n[").next()?.to_string();
    package.lines().find_map(|l| {
        let (k, v) = l.split_once('=')?;
        (k.trim() == key).then(|| v.trim().trim_matches('"').to_string())
    })
}

#[test]
fn the_package_has_its_own_name_and_metadata() {
    assert_eq!(package_field("name").as_deref(), Some("ladder-scorecards"));
    for key in ["license", "description", "repository", "rust-version"] {
        assert!(package_field(key).is_some_and(|v| !v.is_empty()), "Cargo.toml [package] lacks {key}");
    }
    let msrv = package_field("rust-version").unwrap();
    let minor: u32 = msrv.split('.').nth(1).unwrap().parse().unwrap();
    assert!(minor >= 85, "edition 2024 needs Rust 1.85 or later, Cargo.toml says {msrv}");
    let text = manifest();
    assert!(text.contains("[[bin]]\nname = \"ladder\""), "the command stays `ladder`");
    assert!(text.contains("[lib]\nname = \"ladder\""));
}

/// Every `cargo install` in the files a user copies must name this package (by path, git URL
/// or its own name), never the registry's unrelated `ladder`.
#[test]
fn nothing_installs_the_unrelated_crate() {
    let files = [
        ".github/workflows/pages.yml",
        ".github/workflows/release.yml",
        "action.yml",
        "scripts/action.sh",
        "README.md",
    ];
    for file in files {
        let text = read(&repo().join(file));
        for line in text.lines().filter(|l| l.contains("cargo install")) {
            // Prose that only names the command ("Flags for `cargo install`") installs nothing.
            let args = line.split("cargo install").nth(1).unwrap_or("").trim_start();
            if args.is_empty() || args.starts_with('`') || args.starts_with(',') {
                continue;
            }
            let ours = line.contains("--path") || line.contains("--git") || line.contains("ladder-scorecards");
            let names_crate = line.split_whitespace().any(|w| w == "ladder");
            assert!(ours && !names_crate, "{file}: `{}` would install another crate", line.trim());
        }
    }
    let pages = read(&repo().join(".github/workflows/pages.yml"));
    assert!(pages.contains("uses: ./"), "the Pages workflow uses this repository's action");
    let action = read(&repo().join("action.yml"));
    assert!(action.contains("scripts/action.sh\" install") && action.contains("scripts/action.sh\" build"));
}

#[test]
fn the_readme_installs_a_ladder_command_and_previews_with_serve() {
    let readme = read(&repo().join("README.md"));
    assert!(readme.contains("cargo install --locked --path ."));
    assert!(readme.contains("cargo install --locked --git "));
    assert!(readme.contains("ladder --version"));
    let quick = readme.split("## Quick start").nth(1).unwrap().split("\n## ").next().unwrap();
    assert!(quick.contains("serve"), "the quick start previews with the dev server");
    assert!(!quick.contains("Open `output/index.html`"), "file:// breaks root-relative links");
}

fn yaml(file: &str) -> serde_json::Value {
    serde_saphyr::from_str(&read(&repo().join(file))).unwrap_or_else(|e| panic!("{file} is not valid YAML: {e}"))
}

/// GitHub rejects a composite action whose `run` steps lack `shell`, and a workflow whose job
/// steps are not a list; these are checked here since GitHub itself cannot run in CI.
#[test]
fn the_action_and_workflows_are_well_formed() {
    let action = yaml("action.yml");
    assert_eq!(action["runs"]["using"], "composite");
    let steps = action["runs"]["steps"].as_array().expect("action steps");
    for step in steps.iter().filter(|s| s.get("run").is_some()) {
        assert!(step.get("shell").is_some(), "action step {} has no shell", step["name"]);
    }
    for input in ["version", "site", "base-url", "output"] {
        assert!(action["inputs"].get(input).is_some(), "action input {input}");
    }
    for file in [".github/workflows/pages.yml", ".github/workflows/release.yml"] {
        let wf = yaml(file);
        let jobs = wf["jobs"].as_object().unwrap_or_else(|| panic!("{file}: no jobs"));
        for (name, job) in jobs {
            assert!(job["steps"].as_array().is_some_and(|s| !s.is_empty()), "{file}: job {name} has no steps");
        }
    }
    let pages = yaml(".github/workflows/pages.yml");
    let build = pages["jobs"]["build"]["steps"].as_array().unwrap();
    let ours = build.iter().find(|s| s["uses"] == "./").expect("the Pages build uses this repository's action");
    assert!(ours["with"]["base-url"].as_str().is_some_and(|u| u.contains("steps.pages.outputs.base_url")));
}

/// scripts/test-deps.sh run as a user without root (it only prints the install line): on Ubuntu
/// it never asks apt for `chromium` (a snap there) and says where the browser comes from; where
/// nodejs is NodeSource's (which bundles npm and conflicts with Debian's npm) it never asks for
/// npm. Checked against this machine's own nodejs package, whichever it is.
#[cfg(unix)]
#[test]
fn test_deps_avoid_the_snap_chromium_and_the_npm_conflict() {
    let run = |os: &str| {
        let o = std::process::Command::new("bash")
            .arg(repo().join("scripts/test-deps.sh"))
            .env("LADDER_AS_USER", "1")
            .env("LADDER_PRETEND_MISSING", "java node npm chromium")
            .env("LADDER_PRETEND_OS", os)
            .env("CHROMIUM", "")
            .output()
            .unwrap();
        assert!(!o.status.success(), "missing tools were not reported");
        format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
    };
    let install_line = |out: &str| out.lines().find(|l| l.contains("apt-get install")).unwrap_or("").to_string();
    let ubuntu = run("ubuntu");
    assert!(!install_line(&ubuntu).split_whitespace().any(|w| w == "chromium"), "{ubuntu}");
    assert!(ubuntu.contains("Playwright's Chromium"), "{ubuntu}");
    let nodesource = std::process::Command::new("dpkg-query")
        .args(["-W", "-f=${Version}", "nodejs"])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("nodesource"));
    let line = install_line(&ubuntu);
    let asks_npm = line.split_whitespace().any(|w| w == "npm");
    assert_eq!(asks_npm, !nodesource, "npm asked for: {asks_npm}, nodejs from NodeSource: {nodesource}: {line}");
    let check = read(&repo().join("scripts/fresh-machine-check.sh"));
    assert!(check.contains("LADDER_APT_SIMULATE=1"));
    let deps = read(&repo().join("scripts/test-deps.sh"));
    assert!(deps.contains("apt-get install -s") && !deps.contains("apt-cache show"), "simulate the install itself");
}

/// The README's Netlify build command, run by bash as Netlify runs it, with `curl` answering
/// with a stand-in release archive whose `ladder` records its arguments: a production build uses
/// the site's main address ($URL), a deploy preview its own ($DEPLOY_PRIME_URL). Netlify sets
/// DEPLOY_PRIME_URL in production too (the branch subdomain), so it cannot be the fallback.
#[cfg(unix)]
#[test]
fn the_netlify_recipe_builds_production_for_the_main_address() {
    use std::os::unix::fs::PermissionsExt;
    let readme = read(&repo().join("README.md"));
    let recipe =
        readme.split("### Netlify").nth(1).unwrap().split("```toml").nth(1).unwrap().split("```").next().unwrap();
    let quoted = recipe.split("command = \"\"\"").nth(1).unwrap().split("\"\"\"").next().unwrap();
    // A TOML multi-line string: a backslash ending a line joins it to the next, whitespace dropped.
    let mut command = String::new();
    let mut rest = quoted;
    while let Some(i) = rest.find("\\\n") {
        command.push_str(&rest[..i]);
        rest = rest[i + 2..].trim_start();
    }
    command.push_str(rest);
    let tmp = tempfile::tempdir().unwrap();
    let (bin, pack) = (tmp.path().join("bin"), tmp.path().join("pack"));
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::create_dir_all(&pack).unwrap();
    let script = |path: &std::path::Path, text: &str| {
        std::fs::write(path, text).unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    };
    script(&pack.join("ladder"), "#!/bin/sh\necho \"$*\" >> \"$LADDER_ARGS\"\n");
    let archive = tmp.path().join("ladder.tar.gz");
    let tar = std::process::Command::new("tar").arg("-czf").arg(&archive).arg("-C").arg(&pack).arg("ladder").status();
    assert!(tar.unwrap().success());
    script(&bin.join("curl"), &format!("#!/bin/sh\ncat '{}'\n", archive.display()));
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    for (context, want) in [
        ("production", "https://scorecards.example.org/"),
        ("deploy-preview", "https://deploy-preview-7--scorecards.netlify.app/"),
        ("branch-deploy", "https://deploy-preview-7--scorecards.netlify.app/"),
    ] {
        let site = tempfile::tempdir().unwrap();
        let args = site.path().join("args.log");
        let o = std::process::Command::new("bash")
            .args(["-c", &command])
            .current_dir(site.path())
            .env("PATH", &path)
            .env("LADDER_ARGS", &args)
            .env("CONTEXT", context)
            .env("URL", "https://scorecards.example.org")
            .env("DEPLOY_PRIME_URL", "https://deploy-preview-7--scorecards.netlify.app")
            .output()
            .unwrap();
        assert!(o.status.success(), "{context}: {}", String::from_utf8_lossy(&o.stderr));
        let ran = read(&args);
        assert!(ran.contains(&format!("build --base-url {want}")), "{context}: ran {ran}");
        assert!(ran.starts_with("check"), "`ladder check` runs first: {ran}");
    }
}

/// The licences Cargo.toml declares are in the repository and in every release archive, beside
/// the README; no stray files sit in the root.
#[test]
fn the_licences_ship_with_the_source_and_the_binaries() {
    assert_eq!(package_field("license").as_deref(), Some("MIT OR Apache-2.0"));
    let mit = read(&repo().join("LICENSE-MIT"));
    assert!(mit.contains("Copyright (c) the ladder developers") && mit.contains("Permission is hereby granted"));
    let apache = read(&repo().join("LICENSE-APACHE"));
    assert!(apache.contains("Apache License") && apache.contains("Version 2.0, January 2004"));
    assert!(apache.contains("END OF TERMS AND CONDITIONS"));
    assert!(!repo().join("cargo").exists(), "a stray empty file named `cargo` in the repository root");
    let release = yaml(".github/workflows/release.yml");
    let steps = release["jobs"]["build"]["steps"].as_array().unwrap();
    let package = steps.iter().find(|s| s["name"] == "Package").unwrap()["run"].as_str().unwrap().to_string();
    let tar = package.lines().find(|l| l.contains("tar -czf")).expect("the Package step makes an archive");
    for file in ["README.md", "LICENSE-MIT", "LICENSE-APACHE", "$exe"] {
        assert!(tar.split_whitespace().any(|w| w.trim_matches('"') == file), "the archive lacks {file}: {tar}");
    }
}

/// Release runners GitHub still offers, Linux binaries built against an old glibc, and a
/// release published only when every platform built.
#[test]
fn the_release_workflow_uses_current_runners() {
    let release = yaml(".github/workflows/release.yml");
    let legs = release["jobs"]["build"]["strategy"]["matrix"]["include"].as_array().unwrap().clone();
    let os_of = |target: &str| {
        legs.iter().find(|l| l["target"] == target).unwrap_or_else(|| panic!("no {target} leg"))["os"]
            .as_str()
            .unwrap()
            .to_string()
    };
    for leg in &legs {
        let os = leg["os"].as_str().unwrap();
        assert!(!["macos-13", "macos-12", "ubuntu-20.04"].contains(&os), "{os} is a retired runner image");
    }
    assert_eq!(os_of("x86_64-unknown-linux-gnu"), "ubuntu-22.04", "oldest glibc: runs on Debian 12");
    assert_eq!(os_of("aarch64-unknown-linux-gnu"), "ubuntu-22.04-arm");
    assert_eq!(os_of("x86_64-apple-darwin"), "macos-15-intel");
    assert!(os_of("aarch64-apple-darwin").starts_with("macos-1"));
    assert!(os_of("x86_64-pc-windows-msvc").starts_with("windows-"));
    let publish = &release["jobs"]["publish"];
    assert_eq!(publish["needs"], "build");
    assert!(publish.get("if").is_none(), "published only when every leg built (see the comment)");
}

/// action.yml's cache key names the action's own version without `github.action_ref`, which
/// GitHub documents as unreliable inside composite actions.
#[test]
fn the_action_cache_key_names_its_own_source() {
    let action = yaml("action.yml");
    let steps = action["runs"]["steps"].as_array().unwrap();
    let cache = steps.iter().find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with("actions/cache"))).unwrap();
    let key = cache["with"]["key"].as_str().unwrap();
    assert!(!key.contains("action_ref") && !key.contains("hashFiles"), "{key}");
    assert!(key.contains("steps.cache-key.outputs."), "{key}");
    let keyed = steps.iter().find(|s| s["id"] == "cache-key").expect("a step computes the key");
    let run = keyed["run"].as_str().unwrap();
    assert!(run.contains("LADDER_SOURCE/Cargo.lock") && keyed["env"]["LADDER_SOURCE"] == "${{ github.action_path }}");
}

/// scripts/action.sh installs a release archive holding `ladder` (Linux, macOS) or
/// `ladder.exe` (Windows), each beside the README and licences, from a release laid out as
/// GitHub's (here on disk, through curl's file://).
#[cfg(unix)]
#[test]
fn the_action_installs_unix_and_windows_archives() {
    use std::os::unix::fs::PermissionsExt;
    if std::process::Command::new("curl").arg("--version").output().is_err() {
        eprintln!("SKIPPED: no curl");
        return;
    }
    let triple =
        std::process::Command::new("bash").arg(repo().join("scripts/action.sh")).arg("triple").output().unwrap();
    let triple = String::from_utf8_lossy(&triple.stdout).trim().to_string();
    for exe in ["ladder", "ladder.exe"] {
        let tmp = tempfile::tempdir().unwrap();
        let pack = tmp.path().join("pack");
        std::fs::create_dir_all(&pack).unwrap();
        std::fs::write(pack.join(exe), "#!/bin/sh\necho 'ladder 0.1.0 (stand-in)'\n").unwrap();
        std::fs::set_permissions(pack.join(exe), std::fs::Permissions::from_mode(0o755)).unwrap();
        for doc in ["README.md", "LICENSE-MIT", "LICENSE-APACHE"] {
            std::fs::copy(repo().join(doc), pack.join(doc)).unwrap();
        }
        let dl = tmp.path().join("releases/owner/ladder/releases/latest/download");
        std::fs::create_dir_all(&dl).unwrap();
        let name = format!("ladder-{triple}.tar.gz");
        let status = std::process::Command::new("tar")
            .arg("-czf")
            .arg(dl.join(&name))
            .arg("-C")
            .arg(&pack)
            .args([exe, "README.md", "LICENSE-MIT", "LICENSE-APACHE"])
            .status()
            .unwrap();
        assert!(status.success());
        let sum = std::process::Command::new("sha256sum").arg(&name).current_dir(&dl).output().unwrap();
        std::fs::write(dl.join(format!("{name}.sha256")), &sum.stdout).unwrap();
        let root = tmp.path().join("root");
        let o = std::process::Command::new("bash")
            .arg(repo().join("scripts/action.sh"))
            .arg("install")
            .env("LADDER_ACTION_REPO", "owner/ladder")
            .env("LADDER_RELEASE_BASE", format!("file://{}", tmp.path().join("releases").display()))
            .env("LADDER_ROOT", &root)
            .env("LADDER_SOURCE", tmp.path().join("no-source"))
            .output()
            .unwrap();
        let out = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
        assert!(o.status.success() && out.contains("installed the released ladder"), "{exe}: {out}");
        assert!(out.contains("ladder 0.1.0 (stand-in)"), "{exe}: the installed binary ran: {out}");
        assert!(root.join("bin").join(exe).is_file(), "{exe} installed under its own name");
    }
}
