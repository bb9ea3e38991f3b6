//! Hostile content: well-known XSS payloads placed in story bodies, front matter and employer
//! fields never reach any output page as executable script or event handler.

mod common;
use common::*;
use scraper::{Html, Selector};

/// From the OWASP XSS filter evasion cheat sheet, PortSwigger's XSS cheat sheet and
/// Markdown-specific link tricks. Every `<img>` carries an `alt` and a `src` from the site's root:
/// a picture without words, or named from beside a story file, is an error (issue 17), and the
/// site must build for its pages to be looked at.
const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=/x alt=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "<a href=\"&#x6A;avascript:alert(1)\">x</a>",
    "<body onload=alert(1)>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<math><mtext><table><mglyph><style><img src=/x alt=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "\"><script>alert(1)</script>",
    "'><img src=/x alt=x onerror=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<scr<script>ipt>alert(1)</script>",
    "<img src=\"/x\" alt=\"x\" onerror=\"&#97;lert(1)\">",
    "<marquee onstart=alert(1)>x</marquee>",
    "<a href=\"vbscript:msgbox(1)\">x</a>",
    "<p title=\"x\" onmouseover=\"alert(1)\">x</p>",
    "![x](javascript:alert(1))",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "<style>@import 'javascript:alert(1)';</style>",
    "<link rel=stylesheet href=\"javascript:alert(1)\">",
    "<javascript:alert(1)>",
    "<IMG SRC=javascript:alert('XSS') ALT=x>",
    "<a href=\" javascript:alert(1)\">x</a>",
    "<a href=\"java&#09;script:alert(1)\">x</a>",
    "{{ 7*7 }}{% raw %}<script>alert(1)</script>",
];

/// Embedded players and frames (since round 9 of issue 17), forms and drawings written in HTML
/// (since round 12): each is refused with a word, as an author writing one in good faith must not
/// see it dropped silently; so they are not published at all (see
/// `embedded_players_are_refused_not_dropped`).
const EMBEDDED: &[&str] = &[
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"data:text/html,<script>alert(1)</script>\">",
    "<video><source onerror=\"alert(1)\"></video>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<input autofocus onfocus=alert(1)>",
    "<form action=\"javascript:alert(1)\"><button>x</button></form>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
];

fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// Each payload as a sector of its own: numbered, since two payloads may make the same sector
/// page (`[x](javascript:…)` in two spellings), which a site's sector list refuses.
fn sector(i: usize, p: &str) -> String {
    format!("{p} {i:02}")
}

fn plant(site: &std::path::Path) {
    let sectors: Vec<String> = PAYLOADS.iter().enumerate().map(|(i, p)| sector(i, p)).collect();
    allow_sectors(site, &sectors.iter().map(String::as_str).collect::<Vec<_>>());
    // The payloads' pictures (`<img src=/x ...>`) point at a page of the site: links written in
    // HTML are checked like Markdown ones.
    write(&site.join("content/pages/x.md"), "---\ntitle: X\n---\nWhat the payloads' pictures point at.\n");
    for (i, p) in PAYLOADS.iter().enumerate() {
        write(
            &site.join(format!("content/employers/xss-{i:02}.yaml")),
            &format!(
                "name: {name}\nsector: {sector}\nregion: London\nsize: small\nwebsite: https://example.org/x\ncommitment: {name}\nyears:\n  - year: 2024\n    practices:\n      data.ask_right_question: {{status: in_place, note: {name}}}\n",
                name = q(p),
                sector = q(&sector(i, p))
            ),
        );
        write(
            &site.join(format!("content/stories/xss-{i:02}.md")),
            &format!(
                "---\ntitle: {t}\ndate: 2024-01-{d:02}\nemployer: xss-{i:02}\nsummary: {t}\nauthor: {t}\nquote: {t}\n---\n\n{p}\n\nText {p} inline.\n\n- {p}\n\n> {p}\n",
                t = q(p),
                d = i % 28 + 1
            ),
        );
    }
}

/// A link target that would run script when followed.
fn dangerous_url(v: &str) -> bool {
    let cleaned: String =
        v.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect::<String>().to_lowercase();
    cleaned.starts_with("javascript:") || cleaned.starts_with("vbscript:") || cleaned.starts_with("data:")
}

fn problems_in(path: &str, html: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let mut found = Vec::new();
    let all = Selector::parse("*").unwrap();
    for el in doc.select(&all) {
        let name = el.value().name();
        if name == "script" {
            let src = el.value().attr("src").unwrap_or("");
            let own = src.ends_with("static/site.js") && el.text().next().is_none();
            if !own {
                found.push(format!("{path}: <script src={src:?}>"));
            }
        }
        let own_form = name == "form"
            && (el.value().attr("data-filter-form").is_some() || el.value().attr("data-compare").is_some());
        if ["iframe", "object", "embed", "base", "form", "frame", "frameset", "applet", "foreignobject"].contains(&name)
            && !own_form
        {
            found.push(format!("{path}: <{name}>"));
        }
        if name == "meta" && el.value().attr("http-equiv").is_some() {
            found.push(format!("{path}: <meta http-equiv>"));
        }
        for (attr, value) in el.value().attrs() {
            if attr.to_ascii_lowercase().starts_with("on") {
                found.push(format!("{path}: <{name} {attr}>"));
            }
            if ["href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc"].contains(&attr)
                && dangerous_url(value)
            {
                found.push(format!("{path}: <{name} {attr}={value:?}>"));
            }
            if attr == "style" && (value.contains("url(") || value.contains("expression(")) {
                found.push(format!("{path}: <{name} style={value:?}>"));
            }
        }
        if name == "style" {
            found.push(format!("{path}: <style> element from content"));
        }
    }
    found
}

#[test]
fn no_payload_reaches_a_page_as_live_script() {
    let site = example_site();
    plant(site.path());
    let out = ladder(site.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let output = site.path().join("output");
    let files = tree(&output);
    let mut problems = Vec::new();
    let mut pages = 0;
    for (path, bytes) in &files {
        if path.ends_with(".html") {
            pages += 1;
            problems.extend(problems_in(path, &String::from_utf8_lossy(bytes)));
        }
        if path.ends_with(".svg") || path.ends_with(".xml") {
            // Any raw tag here comes from the generator; content is only ever escaped text.
            let text = String::from_utf8_lossy(bytes).to_lowercase();
            for tag in text.split('<').skip(1).map(|t| t.split('>').next().unwrap_or("")) {
                // Attribute values (between quotes) are text: `aria-label="&lt;img onerror=…&gt;"`
                // is escaped words, not an attribute. Only what stands outside quotes is markup.
                let markup: String = tag.split('"').step_by(2).collect::<Vec<_>>().join(" ");
                let bad = tag.starts_with("script") || markup.split_whitespace().any(|a| a.starts_with("on"));
                assert!(!bad, "{path}: <{tag}>");
            }
        }
    }
    assert!(PAYLOADS.len() >= 30);
    assert!(pages > 2 * PAYLOADS.len(), "every planted story and employer got a page ({pages})");
    assert!(problems.is_empty(), "{} live payloads:\n{}", problems.len(), problems.join("\n"));
    // The words survive as text: escaped, not dropped.
    let story = String::from_utf8_lossy(&files["stories/xss-00/index.html"]).into_owned();
    assert!(story.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the title is shown as text");
    // Templates are not evaluated from content.
    let last = format!("stories/xss-{:02}/index.html", PAYLOADS.len() - 1);
    assert!(String::from_utf8_lossy(&files[&last]).contains("{{ 7*7 }}"));
}

#[test]
fn checker_itself_catches_live_script() {
    assert!(!problems_in("t", "<p><img src=x onerror=alert(1)></p>").is_empty());
    assert!(!problems_in("t", "<a href=\" JavaScript:alert(1)\">x</a>").is_empty());
    assert!(!problems_in("t", "<script>alert(1)</script>").is_empty());
    assert!(problems_in("t", "<script src=\"/static/site.js\" defer></script><a href=\"/x\">x</a>").is_empty());
}

#[test]
fn embedded_players_are_refused_not_dropped() {
    let site = example_site();
    for (i, p) in EMBEDDED.iter().enumerate() {
        write(
            &site.path().join(format!("content/stories/embed-{i}.md")),
            &format!("---\ntitle: Embed {i}\ndate: 2024-01-01\n---\n\nText.\n\n{p}\n"),
        );
    }
    let out = ladder(site.path(), &["build"]);
    let said = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    for (i, name) in ["iframe", "object", "embed", "video", "svg", "svg", "input", "form", "svg"].iter().enumerate() {
        assert!(
            said.contains(&format!(
                "content/stories/embed-{i}.md:8:1: error: `<{name}>` is removed from the published page"
            )),
            "{said}"
        );
    }
    assert!(!site.path().join("output").exists(), "a refused build wrote output");
}
