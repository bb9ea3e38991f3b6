//! Markdown → safe HTML: pulldown-cmark for the syntax, ammonia for the safety.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};
use std::collections::HashSet;
use std::sync::OnceLock;

/// Rendered Markdown.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Rendered {
    pub html: String,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Render Markdown to HTML with heading anchors, then sanitise it: content is written by many
/// hands, so raw HTML and `javascript:` links must never reach a page as live script.
pub fn render(source: &str) -> Rendered {
    let mut events: Vec<Event<'_>> = Parser::new_ext(source, options()).collect();
    prepare(&mut events);
    let mut raw_html = false;
    let mut out = String::with_capacity(source.len() * 3 / 2);
    // One pass from the event list into HTML: link targets checked, raw HTML noted.
    html::push_html(
        &mut out,
        events.into_iter().map(|e| {
            if matches!(e, Event::Html(_) | Event::InlineHtml(_)) {
                raw_html = true;
            }
            match e {
                Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                    Event::Start(Tag::Link { link_type, dest_url: safe_dest(dest_url), title, id })
                }
                Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                    Event::Start(Tag::Image { link_type, dest_url: safe_dest(dest_url), title, id })
                }
                other => other,
            }
        }),
    );
    // Without raw HTML, pulldown-cmark escapes every text and attribute and link targets were
    // checked above, so the (costly) sanitiser only runs on documents that carry raw HTML.
    let html = if raw_html { sanitiser().clean(&out).to_string() } else { out };
    Rendered { html }
}

/// Link and image targets: http(s), mailto, or relative; anything else (javascript:, data:,
/// vbscript:, ...) becomes an inert `#`.
fn safe_dest(url: pulldown_cmark::CowStr<'_>) -> pulldown_cmark::CowStr<'_> {
    let cleaned: String =
        url.chars().filter(|c| !c.is_whitespace() && !c.is_control()).take(16).collect::<String>().to_ascii_lowercase();
    let scheme = cleaned.split_once(':').map(|(s, _)| s).filter(|s| !s.contains(['/', '?', '#']));
    match scheme {
        None | Some("http" | "https" | "mailto") => url,
        Some(_) => "#".into(),
    }
}

/// Give every heading an id from its text (unique within the document) so it can be linked,
/// and flatten elements nested too deeply. Works in place: events are moved, never copied.
fn prepare(events: &mut Vec<Event<'_>>) {
    // Elements nested deeper than this are flattened (their text kept): thousands of nested
    // blockquotes are never content, and they make HTML sanitising quadratic.
    const MAX_DEPTH: usize = 32;
    let mut used = HashSet::new();
    let mut open: Vec<bool> = Vec::new();
    let mut kept_depth = 0usize;
    let mut keep = Vec::with_capacity(events.len());
    for i in 0..events.len() {
        let k = match &events[i] {
            Event::Start(_) => {
                let k = kept_depth < MAX_DEPTH;
                open.push(k);
                kept_depth += usize::from(k);
                k
            }
            // An element's end goes with its start, kept or not.
            Event::End(_) => {
                let k = open.pop().unwrap_or(true);
                if k {
                    kept_depth = kept_depth.saturating_sub(1);
                }
                k
            }
            _ => true,
        };
        keep.push(k);
        if k && matches!(&events[i], Event::Start(Tag::Heading { id: None, .. })) {
            let slug = unique_slug(&heading_text(&events[i + 1..]), &mut used);
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                *id = Some(slug.into());
            }
        }
    }
    let mut flags = keep.into_iter();
    events.retain(|_| flags.next().unwrap_or(true));
}

fn heading_text(events: &[Event<'_>]) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            _ => {}
        }
    }
    s
}

fn unique_slug(text: &str, used: &mut HashSet<String>) -> String {
    let base = crate::slug::slugify(text);
    let base = if base.is_empty() { "section".to_string() } else { base };
    let mut candidate = base.clone();
    let mut n = 1;
    while !used.insert(candidate.clone()) {
        n += 1;
        candidate = format!("{base}-{n}");
    }
    candidate
}

fn sanitiser() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_generic_attributes(["id"])
            .add_tag_attributes("td", ["style"])
            .add_tag_attributes("th", ["style"])
            .add_tag_attributes("ol", ["start"])
            .add_tags(["sup", "section", "input"])
            .add_allowed_classes("sup", ["footnote-reference"])
            .add_allowed_classes("div", ["footnote-definition"])
            .add_allowed_classes("span", ["footnote-definition-label"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .url_schemes(HashSet::from(["http", "https", "mailto"]))
            .link_rel(Some("noopener noreferrer"));
        // `style` on table cells is only ever text-align from pulldown-cmark; filter anything else.
        b.attribute_filter(|_, attr, value| {
            if attr == "style" && !value.starts_with("text-align:") { None } else { Some(value.into()) }
        });
        b
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_tables_footnotes_and_strikethrough() {
        let r = render("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ text[^1]\n\n[^1]: note\n");
        assert!(r.html.contains("<table>"), "{}", r.html);
        assert!(r.html.contains("<del>old</del>"));
        assert!(r.html.contains("footnote-definition"), "{}", r.html);
    }

    #[test]
    fn headings_get_unique_anchors() {
        let r = render("# Getting in\n\n## Getting in\n");
        assert!(r.html.contains("id=\"getting-in\""));
        assert!(r.html.contains("id=\"getting-in-2\""));
    }

    #[test]
    fn script_and_handlers_are_removed() {
        let r = render("<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))");
        assert!(!r.html.contains("<script"));
        assert!(!r.html.contains("onerror"));
        assert!(!r.html.contains("javascript:"));
    }

    #[test]
    fn deep_nesting_is_flattened() {
        let r = render(&"> ".repeat(500));
        assert!(r.html.matches("<blockquote>").count() <= 32);
    }

    #[test]
    fn unsafe_link_targets_are_neutralised_without_raw_html() {
        for md in [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "![x](data:text/html,x)",
            "[x](vbscript:y)",
            "<javascript:alert(1)>",
        ] {
            let r = render(md);
            assert!(
                !r.html.to_lowercase().contains("script:") || !r.html.contains("href=\"javascript"),
                "{md}: {}",
                r.html
            );
            assert!(!r.html.contains("href=\"javascript") && !r.html.contains("src=\"data:"), "{md}: {}", r.html);
        }
        assert!(render("[ok](https://x.org/a:b)").html.contains("href=\"https://x.org/a:b\""));
        assert!(render("[ok](../page/)").html.contains("href=\"../page/\""));
        assert!(render("[ok](/a?x=b:c)").html.contains("href=\"/a?x=b:c\""));
    }

    #[test]
    fn raw_html_is_sanitised_only_when_present() {
        assert_eq!(render("one two *three*").html, "<p>one two <em>three</em></p>\n");
        assert!(!render("a <script>x()</script> b").html.contains("<script"));
    }
}
