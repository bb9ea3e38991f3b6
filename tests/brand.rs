//! A site's own look from `site.yaml` (issue 19): an accent colour for links, buttons and social
//! cards, checked to read on the light and the dark page, and a logo from its `static/` folder.

mod common;

use common::*;
use std::path::Path;

fn set(site: &Path, lines: &str) {
    let yaml = read(&site.join("site.yaml"));
    write(&site.join("site.yaml"), &format!("{yaml}\n{lines}\n"));
}

/// The line `site.yaml` holds `key:` on, 1-based.
fn line_of(site: &Path, key: &str) -> usize {
    read(&site.join("site.yaml")).lines().position(|l| l.starts_with(key)).expect("key written") + 1
}

fn og_image(page: &str) -> String {
    let at = page.find("\"og:image\" content=\"").expect("og:image");
    let rest = &page[at + 20..];
    rest[..rest.find('"').unwrap()].to_string()
}

#[test]
fn an_accent_and_a_logo_set_in_site_yaml_reach_every_page_and_the_cards() {
    let plain = example_site();
    assert!(ladder(plain.path(), &["build"]).status.success());
    let plain_home = read(&plain.path().join("output/index.html"));

    let site = example_site();
    write(
        &site.path().join("static/brand/logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><rect width=\"10\" height=\"10\"/></svg>",
    );
    set(site.path(), "accent: \"#7A1F5C\"\nlogo: /static/brand/logo.svg");
    let out = ladder(site.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    for page in ["index.html", "employers/brightwater-digital/index.html", "methodology/index.html"] {
        let html = read(&site.path().join("output").join(page));
        assert!(html.contains(":root { --accent: #7a1f5c; }"), "{page}: the accent");
        // The dark page gets a lighter shade of it, which must differ and be a colour.
        let dark = html.split("prefers-color-scheme: dark) { :root { --accent: ").nth(1).expect("dark accent");
        assert!(dark.starts_with('#') && !dark.starts_with("#7a1f5c"), "{page}: {}", &dark[..7]);
        assert!(html.contains("<img class=\"logo\" src=\"/static/brand/logo.svg\" alt=\"\""), "{page}: the logo");
    }
    assert!(site.path().join("output/static/brand/logo.svg").is_file());
    // The cards are drawn on the accent, so they are other pictures than the plain site's.
    let home = read(&site.path().join("output/index.html"));
    assert_ne!(og_image(&home), og_image(&plain_home));
    assert!(!plain_home.contains("--accent: #"), "a site without an accent keeps the theme's colours");
}

#[test]
fn an_accent_that_does_not_read_is_refused_with_a_shade_that_does() {
    let site = example_site();
    set(site.path(), "accent: \"#f2b705\"\naccent_dark: \"#0b2a3c\"\nlogo: /static/nowhere.png");
    let before = tree(site.path());
    let out = ladder(site.path(), &["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let (a, d, l) =
        (line_of(site.path(), "accent:"), line_of(site.path(), "accent_dark:"), line_of(site.path(), "logo:"));
    assert!(
        err.contains(&format!("site.yaml:{a}:"))
            && err.contains("error in `accent`: #f2b705 is too light to read on the white page"),
        "{err}"
    );
    assert!(
        err.contains(&format!("site.yaml:{d}:"))
            && err.contains("error in `accent_dark`: #0b2a3c is too dark to read on the dark page"),
        "{err}"
    );
    assert!(
        err.contains(&format!("site.yaml:{l}:"))
            && err.contains("error in `logo`: there is no file static/nowhere.png"),
        "{err}"
    );
    // The suggested shade is a colour that reads: set it and the build goes through.
    let shade = err.split("a darker shade such as ").nth(1).unwrap()[..7].to_string();
    assert_eq!(before, tree(site.path()), "a failed build writes nothing");
    let yaml = read(&site.path().join("site.yaml"))
        .replace("#f2b705", &shade)
        .replace("accent_dark: \"#0b2a3c\"\n", "")
        .replace("logo: /static/nowhere.png", "");
    write(&site.path().join("site.yaml"), &yaml);
    let out = ladder(site.path(), &["build"]);
    assert!(out.status.success(), "{shade}: {}", stderr(&out));
}

#[test]
fn colours_and_logos_written_wrong_are_told_in_plain_words() {
    let site = example_site();
    set(site.path(), "accent: blue\nlogo: ../secrets/logo.svg");
    let out = ladder(site.path(), &["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("error in `accent`: `blue` is not a colour: write it as #rrggbb, e.g. #1d4e89"), "{err}");
    assert!(
        err.contains("error in `logo`: `../secrets/logo.svg` is not a picture in the site's static/ folder"),
        "{err}"
    );
}

/// Found by the outside round 7 of issue 17: `accent: #8a1d4e` unquoted is a YAML comment, so
/// the setting was empty and the site kept the theme's colour without a word; a web page saved
/// as `logo.svg`, or an empty `logo.png`, was published as a broken picture in every header.
#[test]
fn an_unquoted_colour_and_a_logo_that_is_no_picture_are_told() {
    let site = example_site();
    write(&site.path().join("static/logo.svg"), "<!DOCTYPE html><html><body>Not found</body></html>");
    write(&site.path().join("static/empty.png"), "");
    set(site.path(), "accent: #8a1d4e\nlogo: /static/logo.svg");
    let out = ladder(site.path(), &["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let a = line_of(site.path(), "accent:");
    assert!(err.contains(&format!("site.yaml:{a}:")), "{err}");
    assert!(err.contains("accent is empty; a `#` starts a comment in YAML, so write the colour in quotes"), "{err}");
    assert!(err.contains("static/logo.svg is not a .svg picture"), "{err}");
    let yaml = read(&site.path().join("site.yaml")).replace("logo: /static/logo.svg", "logo: /static/empty.png");
    write(&site.path().join("site.yaml"), &yaml);
    let err = stderr(&ladder(site.path(), &["check"]));
    assert!(err.contains("static/empty.png is empty; put the logo picture there"), "{err}");
}
