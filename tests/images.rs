//! Stories written as folders with their pictures beside them (issue 17): published at three
//! widths with `srcset`, the hero and social card from front matter, no EXIF (GPS) left in any
//! output file, a text alternative required on every picture, and an encode cache that makes a
//! second build encode nothing.

mod common;
use common::*;
use std::path::Path;

/// Where the photograph was taken, as its EXIF says: written into the picture by the test and
/// looked for in every output file.
const GPS_DATUM: &[u8] = b"WGS-84 APPRENTICE HOME";
/// 51° 30' 12.34" as three EXIF rationals (big-endian numerator, denominator).
fn gps_latitude() -> Vec<u8> {
    [(51u32, 1u32), (30, 1), (1234, 100)]
        .iter()
        .flat_map(|(n, d)| [n.to_be_bytes(), d.to_be_bytes()].concat())
        .collect()
}

/// An EXIF APP1 segment holding a GPS IFD: latitude reference, latitude and map datum.
fn exif_app1() -> Vec<u8> {
    let mut tiff: Vec<u8> = b"MM\x00\x2a\x00\x00\x00\x08".to_vec();
    let entry = |tag: u16, kind: u16, count: u32, value: u32| {
        [
            tag.to_be_bytes().to_vec(),
            kind.to_be_bytes().to_vec(),
            count.to_be_bytes().to_vec(),
            value.to_be_bytes().to_vec(),
        ]
        .concat()
    };
    // IFD0 at 8: one entry, the GPS IFD's offset (26).
    tiff.extend(1u16.to_be_bytes());
    tiff.extend(entry(0x8825, 4, 1, 26));
    tiff.extend(0u32.to_be_bytes());
    // GPS IFD at 26: three entries; its data follows at 68.
    tiff.extend(3u16.to_be_bytes());
    tiff.extend(entry(0x0001, 2, 2, u32::from_be_bytes(*b"N\0\0\0")));
    tiff.extend(entry(0x0002, 5, 3, 68));
    tiff.extend(entry(0x0012, 2, GPS_DATUM.len() as u32 + 1, 92));
    tiff.extend(0u32.to_be_bytes());
    assert_eq!(tiff.len(), 68);
    tiff.extend(gps_latitude());
    tiff.extend(GPS_DATUM);
    tiff.push(0);
    let mut body = b"Exif\0\0".to_vec();
    body.extend(tiff);
    let mut seg = vec![0xFF, 0xE1];
    seg.extend(((body.len() + 2) as u16).to_be_bytes());
    seg.extend(body);
    seg
}

/// A 2000 × 1200 photograph-like JPEG carrying the GPS EXIF segment right after its start.
fn photo_with_gps() -> Vec<u8> {
    let img = image::RgbImage::from_fn(2000, 1200, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90).encode_image(&img).unwrap();
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8]);
    let mut out = jpeg[..2].to_vec();
    out.extend(exif_app1());
    out.extend(&jpeg[2..]);
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

const STORY: &str = "---
title: Photo day
date: 2025-03-01
summary: A day in the workshop.
image: photo.jpg
image_alt: Two apprentices at a lathe
---
The workshop on our first day.

![An apprentice measuring a part](photo.jpg)

Read [the plan](plan.pdf).
";

fn bundle_site() -> tempfile::TempDir {
    let site = empty_site();
    let dir = site.path().join("content/stories/photo-day");
    write(&dir.join("index.md"), STORY);
    std::fs::write(dir.join("photo.jpg"), photo_with_gps()).unwrap();
    std::fs::write(dir.join("plan.pdf"), b"%PDF-1.4 plan").unwrap();
    site
}

#[test]
fn a_story_folder_publishes_its_pictures_at_three_widths_with_no_exif_and_caches_them() {
    let site = bundle_site();
    let source = std::fs::read(site.path().join("content/stories/photo-day/photo.jpg")).unwrap();
    // The source itself carries what must not be published.
    assert!(contains(&source, b"Exif\0\0") && contains(&source, GPS_DATUM) && contains(&source, &gps_latitude()));
    let args = ["build", "-v", "--base-url", "https://example.org/sub/"];
    let started = std::time::Instant::now();
    let first = ladder(site.path(), &args);
    let first_took = started.elapsed();
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(stderr(&first).contains("images: 3 encoded, 0 from cache"), "{}", stderr(&first));
    let out = site.path().join("output");
    let folder = out.join("stories/photo-day");
    for (w, h) in [(480, 288), (960, 576), (1600, 960)] {
        let bytes = std::fs::read(folder.join(format!("photo-{w}.jpg"))).unwrap();
        let img = image::load_from_memory(&bytes).unwrap();
        assert_eq!((img.width(), img.height()), (w, h));
    }
    assert_eq!(std::fs::read(folder.join("plan.pdf")).unwrap(), b"%PDF-1.4 plan");
    // No output file holds EXIF or the position.
    let files = tree(&out);
    for (path, bytes) in &files {
        assert!(!contains(bytes, b"Exif"), "{path} holds an EXIF marker");
        assert!(!contains(bytes, GPS_DATUM), "{path} holds the GPS datum");
        assert!(!contains(bytes, &gps_latitude()), "{path} holds the GPS latitude");
    }
    // The source is never copied as it is; other files are.
    assert!(!folder.join("photo.jpg").exists());
    let page = read(&folder.join("index.html"));
    let srcset = "srcset=\"photo-480.jpg 480w, photo-960.jpg 960w, photo-1600.jpg 1600w\"";
    // The body's picture and the hero both get every width, with their text alternatives.
    assert_eq!(page.matches(srcset).count(), 2, "{page}");
    assert!(page.contains("sizes=\"(max-width: 48rem) 100vw, 48rem\""), "{page}");
    assert!(page.contains("alt=\"An apprentice measuring a part\""), "{page}");
    assert!(page.contains("alt=\"Two apprentices at a lathe\""), "{page}");
    assert!(page.contains("href=\"plan.pdf\""), "{page}");
    // The social card (the picture under the story's title) by its absolute URL, below the
    // base path, told with the picture's own text.
    assert!(page.contains("<meta property=\"og:image\" content=\"https://example.org/sub/cards/"), "{page}");
    assert!(page.contains("<meta name=\"twitter:image\" content=\"https://example.org/sub/cards/"), "{page}");
    assert!(page.contains("<meta property=\"og:image:alt\" content=\"Two apprentices at a lathe. "), "{page}");
    // The cache lives beside the output folder, not in it.
    assert!(site.path().join(".output.ladder-cache/images").is_dir());
    assert!(!files.keys().any(|p| p.contains("ladder-cache")));

    // A second build of the site (its text edited, so it is not skipped as up to date)
    // encodes nothing and writes the same pictures.
    write(&site.path().join("content/stories/photo-day/index.md"), &format!("{STORY}\nOne more line.\n"));
    let started = std::time::Instant::now();
    let second = ladder(site.path(), &args);
    let second_took = started.elapsed();
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(stderr(&second).contains("images: 0 encoded, 3 from cache"), "{}", stderr(&second));
    let again = tree(&out);
    for w in [480, 960, 1600] {
        let p = format!("stories/photo-day/photo-{w}.jpg");
        assert_eq!(files[&p], again[&p], "{p}");
    }
    eprintln!("first build {first_took:?}, second build {second_took:?}");
}

#[test]
fn two_builds_without_a_cache_write_the_same_pictures() {
    let site = bundle_site();
    assert!(ladder(site.path(), &["build", "--output", "a"]).status.success());
    assert!(ladder(site.path(), &["build", "--output", "b"]).status.success());
    assert!(site.path().join(".b.ladder-cache").is_dir(), "each output has its own cache");
    assert_eq!(tree(&site.path().join("a")), tree(&site.path().join("b")));
}

#[test]
fn pictures_without_words_or_files_are_errors_at_their_line_and_column() {
    let site = empty_site();
    let dir = site.path().join("content/stories/photo-day");
    write(
        &dir.join("index.md"),
        "---\ntitle: Photo day\ndate: 2025-03-01\nimage: photo.jpg\n---\nText.\n\n  ![](photo.jpg) and ![ok](gone.png)\n[The plan](plan.pdf), [another story](../flat/), [mail](mailto:a@b.c)\n",
    );
    std::fs::write(dir.join("photo.jpg"), photo_with_gps()).unwrap();
    std::fs::write(dir.join("old.gif"), b"GIF89a").unwrap();
    std::fs::write(dir.join("index.html"), b"<p>mine</p>").unwrap();
    std::fs::write(dir.join("photo.jpeg"), b"x").unwrap();
    write(
        &site.path().join("content/stories/flat.md"),
        "---\ntitle: Flat\ndate: 2025-03-01\nimage: a.png\nimage_alt: A\n---\n![A chart](chart.png)\n",
    );
    let out = ladder(site.path(), &["check"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    // The tenth, a picture that cannot be decoded, was only reported once the nine were put right.
    assert!(err.contains("error: 10 problems found"), "{err}");
    for line in [
        "content/stories/photo-day/index.md:4:8: error in `image`: `image` needs an `image_alt` line: a few words saying what the picture shows, for people who cannot see it",
        "content/stories/photo-day/index.md:8:3: error: the image `photo.jpg` has no text alternative: write what it shows between the brackets, `![what it shows](photo.jpg)`",
        "content/stories/photo-day/index.md:8:22: error: there is no `gone.png` beside the story; put it in content/stories/photo-day/ beside index.md",
        "content/stories/photo-day/index.md:9:1: error: there is no `plan.pdf` beside the story; put it in content/stories/photo-day/ beside index.md",
        "content/stories/photo-day/old.gif: error: pictures beside a story must be JPEG, PNG or WebP",
        "content/stories/photo-day/index.html: error: the story's own page is index.html; rename this file",
        "content/stories/photo-day/photo.jpg: error: `photo.jpeg` and `photo.jpg` would be published under the same names; rename one",
        "content/stories/flat.md:4:8: error in `image`: a story written as one file publishes no picture or file (`a.png`); a story with pictures is a folder: move content/stories/flat.md to content/stories/flat/index.md and put the picture beside it",
        "content/stories/flat.md:7:1: error: a story written as one file publishes no picture or file (`chart.png`); a story with pictures is a folder",
        "content/stories/photo-day/photo.jpeg: error: the file is not a JPEG, PNG or WebP picture, whatever its name says",
    ] {
        assert!(err.contains(line), "missing {line:?} in:\n{err}");
    }
}

#[test]
fn a_picture_that_is_not_one_is_named() {
    let site = empty_site();
    let dir = site.path().join("content/stories/photo-day");
    write(&dir.join("index.md"), STORY);
    std::fs::write(dir.join("photo.jpg"), b"not a picture at all").unwrap();
    std::fs::write(dir.join("plan.pdf"), b"%PDF").unwrap();
    let out = ladder(site.path(), &["build"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out)
            .contains("content/stories/photo-day/photo.jpg: error: the file is not a JPEG, PNG or WebP picture"),
        "{}",
        stderr(&out)
    );
    assert!(!site.path().join("output").exists());
}

#[test]
fn a_story_may_be_a_file_or_a_folder_not_both() {
    let site = bundle_site();
    write(&site.path().join("content/stories/photo-day.md"), "---\ntitle: Again\ndate: 2025-03-01\n---\nText.\n");
    let out = ladder(site.path(), &["check"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("story `photo-day` is also written as"), "{}", stderr(&out));
}

#[test]
fn a_link_out_of_the_story_folder_is_not_published() {
    let site = bundle_site();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), site.path().join("content/stories/photo-day/s.txt"))
        .unwrap();
    let out = ladder(site.path(), &["build"]);
    assert!(!out.status.success(), "{}", stderr(&out));
    assert!(!Path::new(&site.path().join("output/stories/photo-day/s.txt")).exists());
}

/// A link to a picture beside the story (`[the full picture](photo.jpg)`) leads to a published
/// file: the picture is only published re-encoded, so the link goes to its widest copy.
#[test]
fn a_link_to_a_picture_beside_the_story_leads_to_its_widest_copy() {
    let site = bundle_site();
    let index = site.path().join("content/stories/photo-day/index.md");
    let text = read(&index);
    write(&index, &format!("{text}\nSee [the full picture](photo.jpg).\n"));
    let out = ladder(site.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let folder = site.path().join("output/stories/photo-day");
    let html = read(&folder.join("index.html"));
    let href = html
        .split("<a href=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .find(|h| h.starts_with("photo"))
        .expect("the story links to its picture");
    assert!(folder.join(href).is_file(), "the link to the picture leads to `{href}`, which the site does not have");
    assert!(!folder.join("photo.jpg").exists(), "the original is never published");
}

/// A story folder publishes pictures (re-encoded) and a few document kinds, nothing else: an SVG
/// or web page beside a story would run its script on the site's own address, and a picture
/// renamed `.pdf` would be published as it is, GPS position and all.
#[test]
fn only_pictures_and_documents_are_published_from_a_story_folder() {
    let cases: [(&str, Vec<u8>, &str); 3] = [
        (
            "evil.svg",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".to_vec(),
            "documents (.pdf, .csv, .txt) only",
        ),
        ("page.htm", b"<script>alert(1)</script>".to_vec(), "documents (.pdf, .csv, .txt) only"),
        ("plan.pdf", photo_with_gps(), "not a PDF"),
    ];
    for (name, bytes, says) in cases {
        let site = bundle_site();
        std::fs::write(site.path().join("content/stories/photo-day").join(name), &bytes).unwrap();
        let out = ladder(site.path(), &["build"]);
        let err = stderr(&out);
        assert!(!out.status.success(), "{name} was published");
        assert!(err.contains(name) && err.contains(says), "{name}: {err}");
        assert!(!site.path().join("output/stories/photo-day").join(name).exists());
    }
}

/// A picture in the site's `static/` folder, used as the README shows (`![The team](/static/team.jpg)`),
/// is published without its EXIF (GPS position) too, whatever its name; a TIFF is refused.
#[test]
fn static_pictures_lose_their_metadata_too() {
    let site = bundle_site();
    let photo = photo_with_gps();
    assert!(contains(&photo, b"Exif") && contains(&photo, &gps_latitude()));
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    std::fs::write(site.path().join("static/team.jpg"), &photo).unwrap();
    std::fs::write(site.path().join("static/team-copy.jfif"), &photo).unwrap();
    let out = ladder(site.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    for name in ["team.jpg", "team-copy.jfif"] {
        let published = std::fs::read(site.path().join("output/static").join(name)).unwrap();
        assert!(!contains(&published, b"Exif") && !contains(&published, &gps_latitude()), "{name} keeps its EXIF");
        assert!(image::load_from_memory(&published).is_ok(), "{name} is still a picture");
    }
    std::fs::write(site.path().join("static/scan.tif"), b"II*\x00\x08\x00\x00\x00").unwrap();
    let out = ladder(site.path(), &["build"]);
    assert!(!out.status.success() && stderr(&out).contains("scan.tif"), "{}", stderr(&out));
}

/// Outside attempt on issue 17: a picture named with an apostrophe keeps its widths (the page's
/// `src` is written escaped), and a relative picture out of the story's folder is an error.
#[test]
fn odd_picture_names_resolve_and_paths_out_of_the_folder_are_errors() {
    let site = bundle_site();
    let dir = site.path().join("content/stories/photo-day");
    std::fs::copy(dir.join("photo.jpg"), dir.join("it's.jpg")).unwrap();
    let text = read(&dir.join("index.md"));
    write(&dir.join("index.md"), &format!("{text}\n![Sam on day one](it's.jpg)\n"));
    let out = ladder(site.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = read(&site.path().join("output/stories/photo-day/index.html"));
    let img = html.split("<img ").find(|i| i.contains("Sam on day one")).expect("the picture is on the page");
    assert!(img.contains("srcset=\""), "the picture keeps its widths: {img}");
    let src = img.split("src=\"").nth(1).and_then(|s| s.split('"').next()).unwrap().replace("&#x27;", "'");
    let src = percent_encoding::percent_decode_str(&src).decode_utf8_lossy().into_owned();
    assert!(site.path().join("output/stories/photo-day").join(&src).is_file(), "{src} is published");
    for line in ["![A lathe](../other/p.jpg)", "![A lathe](a/../../other/p.jpg)"] {
        write(&dir.join("index.md"), &format!("{text}\n{line}\n"));
        let out = ladder(site.path(), &["check"]);
        assert!(!out.status.success(), "{line} passed");
        assert!(stderr(&out).contains("leads out of the story's folder"), "{line}: {}", stderr(&out));
    }
}

/// A story folder whose text is not named `index.md` is told, not silently left out.
#[test]
fn a_story_folder_without_index_md_is_an_error() {
    let site = bundle_site();
    let dir = site.path().join("content/stories/photo-day");
    std::fs::rename(dir.join("index.md"), dir.join("story.md")).unwrap();
    let out = ladder(site.path(), &["check"]);
    assert!(!out.status.success(), "check passed a story folder with no index.md");
    assert!(stderr(&out).contains("has no index.md"), "{}", stderr(&out));
}

/// Outside round of issue 17: a feed reader shows an entry away from its page, so the feed's
/// pictures (`photo-480.jpg`), relative links (`plan.pdf`) and links from the root
/// (`/sub/employers/x/`) must all be whole URLs, the sub-path of the site included.
#[test]
fn every_url_in_the_feed_is_absolute_with_the_sub_path() {
    let site = bundle_site();
    let story = site.path().join("content/stories/photo-day/index.md");
    let text = read(&story)
        .replace("Read [the plan](plan.pdf).", "Read [the plan](plan.pdf) and [the method](/methodology/#x).")
        + "\n## Getting in\n\nJump [up](#getting-in).\n";
    write(&story, &text);
    let out = ladder(site.path(), &["build", "-q", "--base-url", "https://example.org/sub/"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let feed = read(&site.path().join("output/feed.xml"));
    let doc = scraper::Html::parse_document(&feed);
    let content = scraper::Selector::parse("content").unwrap();
    let entries: Vec<String> = doc.select(&content).map(|c| c.text().collect()).collect();
    assert_eq!(entries.len(), 1, "{feed}");
    let html = scraper::Html::parse_fragment(&entries[0]);
    let mut urls = Vec::new();
    for el in html.select(&scraper::Selector::parse("[src], [href], [srcset]").unwrap()) {
        for name in ["src", "href"] {
            urls.extend(el.value().attr(name).map(String::from));
        }
        if let Some(set) = el.value().attr("srcset") {
            urls.extend(set.split(',').map(|c| c.split_whitespace().next().unwrap_or_default().to_string()));
        }
    }
    assert!(urls.len() >= 5, "{urls:?}");
    for u in &urls {
        assert!(u.starts_with("https://example.org/sub/"), "`{u}` is not a whole URL in the feed:\n{}", entries[0]);
    }
    for want in [
        "https://example.org/sub/stories/photo-day/photo-480.jpg",
        "https://example.org/sub/stories/photo-day/plan.pdf",
        "https://example.org/sub/methodology/#x",
        // Outside round 4 of issue 17, item 17: a fragment alone was kept, and resolved against
        // the feed's own address it led nowhere.
        "https://example.org/sub/stories/photo-day/#getting-in",
    ] {
        assert!(urls.iter().any(|u| u == want), "{want} not in {urls:?}");
    }
}

/// Outside round of issue 17, item 4: an `@/` link may name a story written as a folder, by its
/// `index.md` (as Zola writes it) or by the folder itself; both lead to the story's page.
#[test]
fn at_links_name_a_story_folder_by_its_index_or_the_folder() {
    let site = bundle_site();
    write(
        &site.path().join("content/stories/follow-up.md"),
        "---\ntitle: Follow-up\ndate: 2025-04-01\n---\nSee [the day](@/stories/photo-day/index.md), \
         [again](@/stories/photo-day) and [once more](@/stories/photo-day/#top).\n",
    );
    let out = ladder(site.path(), &["build", "-q", "--base-url", "https://example.org/sub/"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = read(&site.path().join("output/stories/follow-up/index.html"));
    for href in ["\"/sub/stories/photo-day/\"", "\"/sub/stories/photo-day/#top\""] {
        assert!(html.contains(&format!("href={href}")), "no {href} in:\n{html}");
    }
    assert!(!html.contains("@/"), "an @/ link was left as written:\n{html}");
    // A folder that is not there is still a problem at its line, with the nearest name.
    write(
        &site.path().join("content/stories/follow-up.md"),
        "---\ntitle: Follow-up\ndate: 2025-04-01\n---\nSee [the day](@/stories/photo-dya/index.md).\n",
    );
    let out = ladder(site.path(), &["check"]);
    let err = stderr(&out);
    assert!(
        err.contains(
            "content/stories/follow-up.md:5:5: error: `@/stories/photo-dya/index.md` links to \
             content/stories/photo-dya/index.md, which does not exist; did you mean `@/stories/photo-day/index.md`?"
        ),
        "{err}"
    );
}

/// Outside round of issue 17, item 6: hidden files beside a story (`.DS_Store`, `.notes.txt`)
/// are never published and never a problem; a story naming one is told plainly that it is
/// hidden, not that it is missing.
#[test]
fn hidden_files_beside_a_story_are_left_out_and_named_as_hidden() {
    let site = bundle_site();
    let dir = site.path().join("content/stories/photo-day");
    std::fs::write(dir.join(".DS_Store"), b"\0\0\0\x01Bud1").unwrap();
    std::fs::write(dir.join(".notes.txt"), b"private notes").unwrap();
    let out = ladder(site.path(), &["build", "-q"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let published = tree(&site.path().join("output"));
    assert!(!published.keys().any(|p| p.contains("/.")), "a hidden file was published");
    let text = read(&dir.join("index.md"));
    write(&dir.join("index.md"), &format!("{text}\nMy [notes](.notes.txt).\n"));
    let out = ladder(site.path(), &["check"]);
    let err = stderr(&out);
    assert!(
        err.contains(
            "content/stories/photo-day/index.md:14:4: error: `.notes.txt` is a hidden file (its name starts with a dot), \
             and hidden files are never published; rename it without the dot"
        ),
        "{err}"
    );
    assert!(!err.contains("there is no `.notes.txt`"), "{err}");
}

/// Outside round 4 of issue 17, item 7: a picture named `visit 10:30.jpg` was published but its
/// `<img>` got `src="#"` (a browser reads `visit 10` as the kind of address), and a name holding
/// `, javascript:` kept its source name, never published: both are problems, at their line.
#[test]
fn a_picture_name_with_a_colon_is_a_problem_not_a_broken_picture() {
    let site = bundle_site();
    let dir = site.path().join("content/stories/photo-day");
    std::fs::copy(dir.join("photo.jpg"), dir.join("visit 10:30.jpg")).unwrap();
    std::fs::copy(dir.join("photo.jpg"), dir.join("a, javascript:x.jpg")).unwrap();
    let text = read(&dir.join("index.md"));
    write(
        &dir.join("index.md"),
        &format!("{text}\n![The visit](<visit 10:30.jpg>)\n\n![Other](<a, javascript:x.jpg>) [mail](mailto:a@b.c)\n"),
    );
    let out = ladder(site.path(), &["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for (at, name) in [("index.md:14:1", "visit 10:30.jpg"), ("index.md:16:1", "a, javascript:x.jpg")] {
        assert!(err.contains(&format!("{at}: error: `{name}` holds a `:`")), "{name}:\n{err}");
    }
    assert!(!err.contains("mailto"), "{err}");
}

/// Outside round 5 of issue 17: `image: ./photo.jpg` (as editors' path completion writes it)
/// was told it is a hidden file, while `![..](./photo.jpg)` in the body was taken.
#[test]
fn a_hero_written_with_dot_slash_is_the_picture_beside_the_story() {
    let site = bundle_site();
    let index = site.path().join("content/stories/photo-day/index.md");
    write(&index, &STORY.replace("image: photo.jpg", "image: ./photo.jpg"));
    let out = ladder(site.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = read(&site.path().join("output/stories/photo-day/index.html"));
    let srcset = "srcset=\"photo-480.jpg 480w, photo-960.jpg 960w, photo-1600.jpg 1600w\"";
    assert_eq!(page.matches(srcset).count(), 2, "the hero and the body's picture: {page}");
}

/// Outside round 17e, item 1: a picture that cannot be published stops the build, but not
/// before the links are checked, so a dead link of the same story is reported in the same run;
/// and the pictures of a story whose front matter has problems are checked too.
#[test]
fn a_damaged_picture_hides_no_dead_link_and_a_story_with_problems_has_its_pictures_checked() {
    let site = empty_site();
    let dir = site.path().join("content/stories/photo-day");
    write(&dir.join("index.md"), &STORY.replace("Read [the plan](plan.pdf).", "Read [our plan](/plans/nope/)."));
    std::fs::write(dir.join("photo.jpg"), b"not a picture at all").unwrap();
    std::fs::write(dir.join("plan.pdf"), b"%PDF-1.4 plan").unwrap();
    let says = |lines: &[&str], count: &str| {
        let out = ladder(site.path(), &["build"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        for line in lines {
            assert!(err.contains(line), "missing {line:?} in:\n{err}");
        }
        assert!(err.contains(count), "{err}");
        assert!(!site.path().join("output").exists());
    };
    let picture = "content/stories/photo-day/photo.jpg: error: the file is not a JPEG, PNG or WebP picture";
    let link = "content/stories/photo-day/index.md:12:6: error: `/plans/nope/` points to no page or file of the site";
    says(&[picture, link], "2 problems found");
    let other = site.path().join("content/stories/second");
    write(&other.join("index.md"), "---\ntitle: Second\ndate: 2025-02-30\nsummary: s\n---\n![A chart](chart.png)\n");
    std::fs::write(other.join("chart.png"), b"\x89PNG\r\n\x1a\n cut short").unwrap();
    says(
        &[
            picture,
            link,
            "content/stories/second/index.md:3:7: error in `date`",
            "content/stories/second/chart.png: error:",
        ],
        "4 problems found",
    );
}

/// Outside round 17a of issue 17, item 2: relative links out of a story's folder passed
/// `check`. A relative link is resolved against the story's page (`/stories/<slug>/`) and checked
/// like a path from the site's root: a page it names must be built, and a file it names must be
/// one beside the story; one that climbs above the site's root is an error too. Each at its line
/// and column, in a story folder and a story file, in Markdown and HTML; the links that reach a
/// page still work on a sub-path host.
#[test]
fn relative_links_are_resolved_from_the_story_page_and_checked() {
    let site = bundle_site();
    let root = site.path();
    write(&root.join("content/stories/other/index.md"), "---\ntitle: Other\ndate: 2025-02-01\n---\nOther.\n");
    let dir = root.join("content/stories/photo-day");
    let text = read(&dir.join("index.md"));
    let links = "\n[a](../../secret.txt) [b](../other/) [c](../nope/) [d](../../employers/nope/) [e](sub/)\n\n\
                 <a href=\"../../static/p.pdf\">f</a> [g](../../../x/) [h](..) [i](../../methodology/#data) [j](./)\n";
    write(&dir.join("index.md"), &format!("{text}{links}"));
    write(&root.join("content/stories/flat.md"), &format!("---\ntitle: Flat\ndate: 2025-01-01\n---\n{links}"));
    let line = text.lines().count() + 2;
    let out = ladder(root, &["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let story = "content/stories/photo-day/index.md";
    let mut expected = Vec::new();
    for (file, slug, line, beside) in [
        (
            story,
            "photo-day",
            line,
            "put the file in content/stories/photo-day/ beside index.md and write its name alone",
        ),
        (
            "content/stories/flat.md",
            "flat",
            6,
            "a story with files is a folder: move content/stories/flat.md to content/stories/flat/index.md, put \
             the file beside it and write its name alone",
        ),
    ] {
        expected.extend([
            format!(
                "{file}:{line}:1: error: `../../secret.txt` leads out of the story's folder, and a story links to files \
                 beside it only: {beside}, `secret.txt`; or, for a file the site publishes elsewhere, write its path \
                 from the site's root, `/secret.txt`"
            ),
            format!("{file}:{line}:38: error: `../nope/` points to no page of the site: there is no story `nope`"),
            format!("{file}:{line}:52: error: `../../employers/nope/` points to no page of the site: there is no employer `nope`"),
            format!(
                "{file}:{}:1: error: `../../static/p.pdf` leads out of the story's folder, and a story links to files \
                 beside it only: {beside}, `p.pdf`; or, for a file the site publishes elsewhere, write its path from \
                 the site's root, `/static/p.pdf`",
                line + 2
            ),
            format!(
                "{file}:{}:36: error: `../../../x/` climbs above the site's root (the story's page is /stories/{slug}/), \
                 which leads off the site where it is published below a path such as /sub/; write the path from the \
                 site's root, `/x/`",
                line + 2,
            ),
            format!(
                "{file}:{line}:79: error: `sub/` points to no page of the site: from its page it leads to \
                 /stories/{slug}/sub/, where the build writes nothing"
            ),
        ]);
    }
    let missing: Vec<&String> = expected.iter().filter(|e| !err.contains(e.as_str())).collect();
    assert!(missing.is_empty(), "expected {missing:#?} in:\n{err}");
    assert!(err.contains("12 problems found"), "{err}");
    // Fixed, the links that reach pages are published as written and reach them on a sub-path.
    let fixed = "\n[b](../other/) [h](..) [i](../../methodology/#data) [j](./) <a href=\"../../employers/\">k</a>\n";
    write(&dir.join("index.md"), &format!("{text}{fixed}"));
    std::fs::remove_file(root.join("content/stories/flat.md")).unwrap();
    let out = ladder(root, &["build", "--base-url", "https://example.org/sub/"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = read(&root.join("output/stories/photo-day/index.html"));
    for href in ["../other/", "..", "../../methodology/#data", "./", "../../employers/"] {
        assert!(page.contains(&format!("href=\"{href}\"")), "{href}: {page}");
        let target = format!("stories/photo-day/{}", href.split('#').next().unwrap());
        let target = std::path::Path::new(&target);
        let mut resolved = std::path::PathBuf::new();
        for part in target.components() {
            match part {
                std::path::Component::ParentDir => drop(resolved.pop()),
                std::path::Component::Normal(p) => resolved.push(p),
                _ => {}
            }
        }
        assert!(root.join("output").join(&resolved).join("index.html").is_file(), "{href} reaches no page");
    }
}

/// Outside round 7 of issue 17, item 14: a table beside a story saved as Excel's plain "CSV"
/// (Windows' "ANSI" encoding) was told only that it is "not plain text". It is told as the
/// import tells it: at the line of the first such character, what it most likely is, and how to
/// save it as CSV UTF-8.
#[test]
fn a_windows_encoded_csv_beside_a_story_is_told_how_to_save_it() {
    let site = empty_site();
    let dir = site.path().join("content/stories/photo-day");
    write(&dir.join("index.md"), "---\ntitle: Photo day\ndate: 2025-03-01\n---\nSee [the figures](figures.csv).\n");
    std::fs::write(dir.join("figures.csv"), b"year,cost\n2024,\xA3120\n").unwrap();
    let out = ladder(site.path(), &["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains(
            "content/stories/photo-day/figures.csv:2:6: error: the file is not saved as UTF-8 text: line 2 holds a \
             character (`£`?) in another encoding, most likely Windows' own (\"ANSI\", what Excel's plain \"CSV\" \
             saves); save it as CSV UTF-8 (Excel: File > Save As > CSV UTF-8 (Comma delimited))"
        ),
        "{err}"
    );
}

/// Outside round 7 of issue 17, item 15: a picture beside a story that is a link out of the
/// site was told twice, once as a link out of the site and once as a link when read. Once now.
#[cfg(unix)]
#[test]
fn a_picture_linked_from_outside_the_site_is_told_once() {
    let site = empty_site();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("dog.jpg"), photo_with_gps()).unwrap();
    let dir = site.path().join("content/stories/photo-day");
    write(&dir.join("index.md"), "---\ntitle: Photo day\ndate: 2025-03-01\n---\n![A dog](dog.jpg)\n");
    std::os::unix::fs::symlink(outside.path().join("dog.jpg"), dir.join("dog.jpg")).unwrap();
    let out = ladder(site.path(), &["build"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert_eq!(err.matches("content/stories/photo-day/dog.jpg").count(), 1, "{err}");
    assert!(err.contains("symbolic link points outside the site folder's inputs"), "{err}");
    assert!(err.contains("1 problem found"), "{err}");
}

/// Outside round 9 of issue 17, item 6: a Word file beside a story was told twice (not a
/// picture or document, then "not plain text"), and an editor's backup there (`index.md~`)
/// was refused. One message; the backup is passed over.
#[test]
fn a_word_file_beside_a_story_is_told_once_and_backups_are_passed_over() {
    let site = empty_site();
    let dir = site.path().join("content/stories/photo-day");
    write(&dir.join("index.md"), "---\ntitle: Photo day\ndate: 2025-03-01\n---\nText.\n");
    std::fs::write(dir.join("interview.docx"), b"PK\x03\x04\x00\x00binary").unwrap();
    write(&dir.join("index.md~"), "old text");
    write(&dir.join("index.md.orig"), "old text");
    let out = ladder(site.path(), &["check"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert_eq!(err.matches("interview.docx").count(), 1, "{err}");
    assert!(!err.contains("index.md~") && !err.contains("index.md.orig"), "{err}");
    assert!(err.contains("1 problem found"), "{err}");
}

/// Outside round 9 of issue 17, item 8: a picture or file whose name differs from the link only
/// in capitals (`Workshop.png` linked as `workshop.png`, `static/Plan.pdf` as `/static/plan.pdf`)
/// was told it is not there, which it is to a Mac or Windows editor. Told the name that is there.
#[test]
fn a_name_that_differs_only_in_capitals_is_told_the_name_that_is_there() {
    let site = empty_site();
    let dir = site.path().join("content/stories/photo-day");
    write(
        &dir.join("index.md"),
        "---\ntitle: Photo day\ndate: 2025-03-01\n---\n![A bench](workshop.png)\n\n[The plan](/static/plan.pdf)\n",
    );
    std::fs::write(dir.join("Workshop.png"), photo_with_gps()).unwrap();
    write(&site.path().join("static/Plan.pdf"), "%PDF-1.4\n");
    let out = ladder(site.path(), &["check"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    for expected in [
        "content/stories/photo-day/index.md:5:1: error: there is no `workshop.png` beside the story, but there is \
         `Workshop.png`: names on the web tell capitals from small letters; write `Workshop.png`, or rename the file",
        "content/stories/photo-day/index.md:7:1: error: `/static/plan.pdf` points to /static/plan.pdf, but the build \
         writes /static/Plan.pdf",
    ] {
        assert!(err.contains(expected), "expected `{expected}` in:\n{err}");
    }
}

/// Outside round 11 of issue 17, item 7: a free page linking a picture that lies beside a story
/// was told to put it in static/, though the build publishes it, resized, under another name.
/// Told the names it is published under.
#[test]
fn a_page_linking_a_story_picture_is_told_the_names_it_is_published_under() {
    let site = bundle_site();
    write(
        &site.path().join("content/pages/about.md"),
        "---\ntitle: About\n---\n![A lathe](../stories/photo-day/photo.jpg)\n\n[The photo](/stories/photo-day/photo.jpg)\n",
    );
    let out = ladder(site.path(), &["check"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    for line in [4, 6] {
        let at = format!("content/pages/about.md:{line}:1: error:");
        let told = err.lines().find(|l| l.starts_with(&at)).unwrap_or_else(|| panic!("no `{at}` in:\n{err}"));
        assert!(told.contains("is published resized, as `/stories/photo-day/photo-"), "{told}");
        assert!(!told.contains("static/"), "{told}");
    }
    assert!(err.contains("2 problems found"), "{err}");
}
