//! Transcripts of the command line (issue 17): `tests/cmd/*.trycmd` hold each command with all
//! it prints, run in the folder of the same name ending `.in` (a site made broken on purpose).
//! `TRYCMD=overwrite cargo test --test cmd` rewrites them from what the commands print now.

#[test]
fn transcripts() {
    // `LADDER_BIN` runs another build (an older one, to see these fail there).
    let bin = std::env::var("LADDER_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_ladder").to_string());
    trycmd::TestCases::new()
        .register_bin("ladder", std::path::PathBuf::from(bin))
        .env("CI", "true")
        .case("tests/cmd/*.trycmd");
}

mod common;
use common::*;

/// Issue 17: `check` and `build` look for site.yaml in the folders above, as `score` does.
#[test]
fn check_and_build_find_the_site_from_a_folder_inside_it() {
    let site = example_site();
    let inside = site.path().join("content/employers");
    let out = ladder(&inside, &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).starts_with("ok: 14 employers, 11 stories and "), "{}", stderr(&out));
    let out = ladder(&inside, &["build", "-q"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.path().join("output/index.html").is_file(), "built into the site's own output folder");
    assert!(!inside.join("output").exists());
    // A folder in no site is told how to start one.
    let nowhere = tempfile::tempdir().unwrap();
    let out = ladder(nowhere.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("there is no site.yaml in `.`"), "{}", stderr(&out));
    assert!(stderr(&out).contains("error: 1 problem found"), "{}", stderr(&out));
}

/// Issue 17: counts read as English ("1 employer", not "1 employers").
#[test]
fn counts_of_one_are_singular() {
    let dir = tempfile::tempdir().unwrap();
    let out = ladder(dir.path(), &["new", "site"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let site = dir.path().join("site");
    let out = ladder(&site, &["check"]);
    assert_eq!(stderr(&out), "ok: 1 employer, 1 story and 22 pages checked; no problems\n");
    let out = ladder(&site, &["build"]);
    assert!(stderr(&out).contains("(1 employer, 1 story, "), "{}", stderr(&out));
}

/// Issue 17: `serve` on a port in use named neither the port nor what to do
/// ("Address already in use (os error 98)").
#[test]
fn serve_on_a_busy_port_names_it_and_suggests_port_0() {
    let site = example_site();
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let out = ladder(site.path(), &["serve", "--port", &port]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains(&format!("port {port} is already in use on 127.0.0.1")), "{err}");
    assert!(err.contains("`--port 0` to take any free one"), "{err}");
    assert!(!err.contains("os error"), "{err}");
}

/// Issue 17: `ladder new` sets an editor up: VS Code's YAML extension is told which schema
/// checks which files, and every schema it names is in the new site.
#[test]
fn new_sites_map_their_schemas_for_the_editor() {
    let dir = tempfile::tempdir().unwrap();
    assert!(ladder(dir.path(), &["new", "site"]).status.success());
    let site = dir.path().join("site");
    let settings: serde_json::Value = serde_json::from_str(&read(&site.join(".vscode/settings.json"))).unwrap();
    let schemas = settings["yaml.schemas"].as_object().expect("yaml.schemas");
    let globs: Vec<&str> = schemas.values().flat_map(|g| g.as_array().unwrap()).filter_map(|g| g.as_str()).collect();
    assert_eq!(globs, ["content/benchmarks/*.yaml", "content/employers/*.yaml", "site.yaml"]);
    for schema in schemas.keys() {
        assert!(site.join(schema).is_file(), "{schema} is named but not written");
    }
    assert!(read(&site.join("site.yaml")).contains(".vscode/settings.json"));
    let extensions = read(&site.join(".vscode/extensions.json"));
    assert!(extensions.contains("redhat.vscode-yaml"), "{extensions}");
}

/// Outside round of issue 17, item 8: a port or address that is not one is told in plain
/// words, not the parser's ("invalid digit found in string").
#[test]
fn serve_options_that_are_not_numbers_are_told_plainly() {
    let site = example_site();
    for (args, says) in [
        (["--port", "abc"], "give the port as a whole number from 0 to 65535"),
        (["--port", "70000"], "give the port as a whole number from 0 to 65535"),
        (["--bind", "localhost:80"], "give an address of this machine as numbers"),
    ] {
        let out = ladder(site.path(), &["serve", args[0], args[1]]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        for rust in ["invalid digit", "too large", "syntax", "u16"] {
            assert!(!err.contains(rust), "{args:?}: {err}");
        }
    }
}

/// Outside round 4 of issue 17, item 16: a bad `--base-url` is a bad command line, exit 2 as the
/// README says (it was 1, as for a problem of the site), for `build` and `deploy` alike.
#[test]
fn a_bad_base_url_is_a_bad_command_line() {
    let site = example_site();
    for command in [&["build", "--base-url", "notaurl"][..], &["deploy", "--dry-run", "--base-url", "javascript:x"]] {
        let out = ladder(site.path(), command);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{command:?}: {err}");
        assert!(err.contains("is not an http(s) URL or a path on this site starting with `/`"), "{err}");
    }
    assert!(!site.path().join("output").exists());
    // Outside round 5 of issue 17: a path alone left feeds and the sitemap without a host.
    let out = ladder(site.path(), &["build", "--base-url", "/sub/"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("`/sub/` is only a path; give the site's whole address"), "{}", stderr(&out));
    assert!(!site.path().join("output").exists());
}

/// Outside round 4 of issue 17, items 14 and 15: "(os error 2)" reached the editor from `new`,
/// `build --output` and `schema --out`; `new "my site"` printed `cd my site && ...`, which does
/// not work pasted; an existing empty file was "not empty".
#[test]
fn new_build_and_schema_speak_plainly_about_files_and_folders() {
    let site = example_site();
    let missing = site.path().join("no-such-folder/a-file-here");
    std::fs::write(site.path().join("taken"), b"").unwrap();
    write(&site.path().join("no-such-folder"), "a file, not a folder\n");
    let out_dir = missing.join("out");
    let schema_dir = missing.to_str().unwrap();
    for command in [
        &["new", missing.to_str().unwrap()][..],
        &["build", "--output", out_dir.to_str().unwrap()],
        &["schema", "--out", schema_dir],
    ] {
        let out = ladder(site.path(), command);
        let err = stderr(&out);
        assert!(!out.status.success(), "{command:?}: {err}");
        assert!(
            !err.contains("os error") && err.contains("a part of the path is a file, not a folder"),
            "{command:?}: {err}"
        );
    }
    let out = ladder(site.path(), &["new", "taken"]);
    let err = stderr(&out);
    assert!(err.contains("taken already exists and is a file, not a folder"), "{err}");
    let out = ladder(site.path(), &["new", "my site"]);
    let err = stderr(&out);
    assert!(out.status.success() && err.contains("cd 'my site' && ladder serve"), "{err}");
}

/// Outside round 5 of issue 17: `ladder new .` said "created a new site in .." (the parent
/// folder, as it reads) and "cd . && ladder serve".
#[test]
fn a_new_site_in_this_folder_is_told_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = ladder(dir.path(), &["new", "."]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("created a new site in this folder. Next:") && !err.contains("cd ."), "{err}");
    assert!(dir.path().join("site.yaml").is_file());
}

/// Outside round 5 of issue 17: `schema --out employer.json` (a file) said "File exists".
#[test]
fn schema_out_naming_a_file_is_told_it_names_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("employer.json"), "{}").unwrap();
    let out = ladder(dir.path(), &["schema", "--out", "employer.json"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("--out names the folder to write the schemas into, and employer.json is a file"), "{err}");
    assert!(!err.contains("File exists"), "{err}");
}

/// Outside round 17e, item 5: `ladder score` given a story (or a page, or site.yaml) says what
/// it is and what score takes, not the story's fields one by one as an employer's; a bare
/// employer name is pointed to its file.
#[test]
fn score_given_a_story_or_a_bare_name_says_what_it_takes() {
    let site = example_site();
    let s = site.path();
    for (file, kind) in [
        ("content/stories/bakery-apprentice.md", "a story"),
        ("content/pages/about.md", "a page"),
        ("site.yaml", "the site's settings"),
    ] {
        let out = ladder(s, &["score", file]);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(
            stderr(&out),
            format!(
                "{file}: error: this is {kind}, not an employer file: `ladder score` takes an employer file, such \
                 as content/employers/<name>.yaml\n"
            )
        );
    }
    let out = ladder(s, &["score", "castlegate-legal"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "castlegate-legal: error: there is no such file; check the path; did you mean \
         content/employers/castlegate-legal.yaml?\n"
    );
    let out = ladder(&s.join("content/stories"), &["score", "castlegate-legal.yaml"]);
    // From a folder inside the site, the file is named by its whole path.
    assert!(
        stderr(&out).contains("; did you mean /")
            && stderr(&out).ends_with("content/employers/castlegate-legal.yaml?\n"),
        "{}",
        stderr(&out)
    );
}
