//! Oversized and pathological input is refused quickly and in bounded memory, with an error.

mod common;
use common::*;
use std::time::Duration;

#[test]
fn huge_file_and_alias_bomb_fail_fast_in_bounded_memory() {
    let site = example_site();
    let huge = std::fs::File::create(site.path().join("content/stories/huge.md")).unwrap();
    huge.set_len(100 * 1024 * 1024).unwrap();
    let mut bomb = String::from("name: x\nsector: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 0..14 {
        let prev = if i == 0 { "a".to_string() } else { format!("l{}", i - 1) };
        bomb.push_str(&format!(
            "l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        ));
    }
    write(&site.path().join("content/employers/bomb.yaml"), &bomb);
    write(
        &site.path().join("content/stories/deep.md"),
        &format!("---\ntitle: {}\ndate: 2024-01-01\n---\n", "[".repeat(100_000)),
    );
    let err_path = site.path().join(".stderr.txt");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_ladder"));
    cmd.arg("check").current_dir(site.path()).env("CI", "true");
    cmd.stdout(std::process::Stdio::null()).stderr(std::fs::File::create(&err_path).unwrap());
    let run = watched(&mut cmd, Duration::from_secs(60));
    let took = run.took;
    let err = std::fs::read_to_string(&err_path).unwrap();
    assert_eq!(run.code, Some(1), "{err}");
    assert!(err.contains("content/stories/huge.md: error: file is 104857600 bytes"), "{err}");
    assert!(err.contains("content/employers/bomb.yaml"), "{err}");
    assert!(err.contains("content/stories/deep.md"), "{err}");
    assert!(took < Duration::from_secs(10), "took {took:?}");
    let peak_mb = run.peak_bytes >> 20;
    assert!(peak_mb < 200, "peak memory {peak_mb} MB");
}
