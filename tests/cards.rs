//! Social cards: every page names a 1200×630 PNG in its head (`og:image`, with its size and
//! text), the home page, employers, groups and stories with a picture have their own, and a
//! second build takes them from the cache instead of drawing them again.

mod common;

use common::*;
use std::path::Path;

/// The value of `<meta property|name="key" content="...">` in a page.
fn meta<'a>(html: &'a str, key: &str) -> Option<&'a str> {
    let at = html.find(&format!("\"{key}\" content=\""))?;
    let rest = &html[at + key.len() + 12..];
    Some(&rest[..rest.find('"')?])
}

/// The card a page names: its path below the site root, after checking the head says all a
/// link preview needs.
fn card_of(output: &Path, page: &str, base: &str) -> String {
    let html = read(&output.join(page));
    let url = meta(&html, "og:image").unwrap_or_else(|| panic!("{page} names no og:image"));
    assert_eq!(meta(&html, "og:image:width"), Some("1200"), "{page}");
    assert_eq!(meta(&html, "og:image:height"), Some("630"), "{page}");
    assert_eq!(meta(&html, "twitter:card"), Some("summary_large_image"), "{page}");
    assert!(meta(&html, "og:image:alt").is_some_and(|a| a.len() > 10), "{page}: the card's text");
    let path = url.strip_prefix(base).unwrap_or_else(|| panic!("{page}: {url} is not below {base}"));
    let img = image::open(output.join(path)).unwrap_or_else(|e| panic!("{page}: {path}: {e}"));
    assert_eq!((img.width(), img.height()), (1200, 630), "{page}: {path}");
    path.to_string()
}

fn base_url(site: &Path) -> String {
    let yaml = read(&site.join("site.yaml"));
    let line = yaml.lines().find(|l| l.starts_with("base_url:")).expect("base_url in site.yaml");
    let url = line["base_url:".len()..].trim().trim_matches('"').to_string();
    if url.ends_with('/') { url } else { format!("{url}/") }
}

/// A story folder with a plain red photo as its picture.
fn story_with_picture(site: &Path) {
    let dir = site.join("content/stories/red-door");
    std::fs::create_dir_all(&dir).unwrap();
    let photo = image::RgbImage::from_pixel(1600, 1000, image::Rgb([200, 20, 20]));
    photo.save(dir.join("door.jpg")).unwrap();
    let employer = std::fs::read_dir(site.join("content/employers"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().trim_end_matches(".yaml").to_string())
        .find(|n| !n.starts_with('.'))
        .expect("an employer");
    write(
        &dir.join("index.md"),
        &format!(
            "---\ntitle: The red door\ndate: 2024-05-01\nemployer: {employer}\nsummary: A story with a picture.\n\
             image: door.jpg\nimage_alt: A red door\n---\n\nThe door is red.\n"
        ),
    );
}

#[test]
fn pages_name_cards_of_the_right_size_and_a_second_build_draws_none() {
    let site = example_site();
    story_with_picture(site.path());
    let out = ladder(site.path(), &["build", "-v"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let log = stderr(&out);
    assert!(log.contains("social cards: ") && !log.contains("social cards: 0 drawn"), "{log}");
    let output = site.path().join("output");
    let base = base_url(site.path());

    let home = card_of(&output, "index.html", &base);
    let employer_dir = std::fs::read_dir(output.join("employers"))
        .unwrap()
        .filter_map(|e| e.ok())
        .find(|e| e.path().join("index.html").is_file())
        .expect("an employer page");
    let employer =
        card_of(&output, &format!("employers/{}/index.html", employer_dir.file_name().to_string_lossy()), &base);
    let sector = std::fs::read_dir(output.join("sectors")).unwrap().next().unwrap().unwrap();
    let group = card_of(&output, &format!("sectors/{}/index.html", sector.file_name().to_string_lossy()), &base);
    let story = card_of(&output, "stories/red-door/index.html", &base);
    // Pages without a card of their own name the site's.
    assert_eq!(card_of(&output, "methodology/index.html", &base), home);
    let distinct: std::collections::HashSet<&String> = [&home, &employer, &group, &story].into_iter().collect();
    assert_eq!(distinct.len(), 4, "home, employer, group and story cards differ");
    // The story's card shows its picture: the top of the card is the photo's red.
    let card = image::open(output.join(&story)).unwrap().to_rgb8();
    let p = card.get_pixel(600, 100).0;
    assert!(p[0] > 150 && p[1] < 60 && p[2] < 60, "the photo under the story's card: {p:?}");
    // Its text is the story's title; a story without a picture is shared with its employer's card.
    assert_eq!(card_of(&output, "stories/bakery-apprentice/index.html", &base).len(), employer.len());
    let html = read(&output.join("stories/red-door/index.html"));
    assert!(html.contains("og:image:alt\" content=\"A red door. The red door. "), "the story card's text");

    // An edit elsewhere: the next build draws nothing, every card comes from the cache.
    let any_story = site.path().join("content/stories/bakery-apprentice.md");
    let text = read(&any_story);
    write(&any_story, &text.replacen("\n\n", "\n\nEdited. ", 1));
    let again = ladder(site.path(), &["build", "-v"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(stderr(&again).contains("social cards: 0 drawn"), "{}", stderr(&again));
    assert_eq!(card_of(&output, "index.html", &base), home);
}

#[test]
fn a_card_in_the_cache_that_is_not_a_card_is_drawn_again() {
    let site = example_site();
    let out = ladder(site.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let output = site.path().join("output");
    let home = card_of(&output, "index.html", &base_url(site.path()));
    let cache = site.path().join(".output.ladder-cache/cards");
    let name = Path::new(&home).file_name().unwrap();
    // Someone's file in the cache, under a card's name: it must not be published.
    std::fs::write(cache.join(name), b"not a picture").unwrap();
    let any_story = site.path().join("content/stories/bakery-apprentice.md");
    let text = read(&any_story);
    write(&any_story, &text.replacen("\n\n", "\n\nEdited. ", 1));
    let again = ladder(site.path(), &["build", "-v"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(stderr(&again).contains("social cards: 1 drawn"), "{}", stderr(&again));
    card_of(&output, "index.html", &base_url(site.path()));
}
