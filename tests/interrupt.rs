//! A build killed while it writes leaves the previous output whole, and the next build cleans up.

mod common;
use common::*;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn staging_exists(site: &std::path::Path) -> bool {
    std::fs::read_dir(site).unwrap().flatten().any(|e| e.file_name().to_string_lossy().starts_with(".output.staging-"))
}

#[test]
fn killed_build_leaves_old_output_intact() {
    let site = example_site();
    // Enough stories that writing takes a noticeable while.
    let body = "Paragraph with **bold** text and a [link](https://example.org).\n\n".repeat(60);
    for i in 0..2500 {
        write(
            &site.path().join(format!("content/stories/bulk-{i:04}.md")),
            &format!("---\ntitle: Bulk story {i}\ndate: 2024-05-01\nsummary: Story {i}\n---\n\n{body}"),
        );
    }
    assert!(ladder(site.path(), &["build"]).status.success());
    let before = tree(&site.path().join("output"));
    // Change content so that a completed build would differ.
    let s = site.path().join("content/stories/bulk-0000.md");
    write(&s, &read(&s).replace("Bulk story 0", "Changed story 0"));

    let mut killed_mid_write = false;
    for _attempt in 0..5 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ladder"))
            .arg("build")
            .current_dir(site.path())
            .env("CI", "true")
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while !staging_exists(site.path()) && started.elapsed() < Duration::from_secs(60) {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        let running = child.try_wait().unwrap().is_none();
        child.kill().unwrap();
        child.wait().unwrap();
        if running && staging_exists(site.path()) {
            killed_mid_write = true;
            break;
        }
        // The build won the race: put the old output back and try again.
        let _ = std::fs::remove_dir_all(site.path().join("output"));
        for (path, bytes) in &before {
            let p = site.path().join("output").join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, bytes).unwrap();
        }
    }
    assert!(killed_mid_write, "could not catch the build while it was writing");
    assert_eq!(tree(&site.path().join("output")), before, "the old output must be whole after a kill");

    // The next build finishes, removes the abandoned staging folder and publishes the change.
    let out = ladder(site.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!staging_exists(site.path()));
    assert!(read(&site.path().join("output/stories/bulk-0000/index.html")).contains("Changed story 0"));
}
