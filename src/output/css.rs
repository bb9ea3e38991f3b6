//! Style sheets in `static/`: an address from the host's root (`url(/static/bg.png)`) is given
//! the site's base path, as Markdown links are, so the sheet works on a site published below a
//! path (`https://example.org/sub/`); one that names no static file is a dead link, told at its
//! line and column.

/// `text` (a style sheet published as `static/<name>`) with each `url(...)` that starts at the
/// host's root given `base_path`, and the places (1-based line, column) and addresses of those
/// that name no file of `statics` (paths below the output folder, `static/bg.png`).
pub fn with_base(text: &str, base_path: &str, statics: &dyn Fn(&str) -> bool) -> (String, Vec<(u64, u64, String)>) {
    let mut out = String::with_capacity(text.len());
    let mut dead = Vec::new();
    let mut rest = 0;
    let lower = text.to_ascii_lowercase();
    for (at, _) in lower.match_indices("url(") {
        let mut start = at + 4;
        start += text[start..].len() - text[start..].trim_start().len();
        let quote = text[start..].chars().next().filter(|c| matches!(c, '"' | '\''));
        if quote.is_some() {
            start += 1;
        }
        let end = match quote {
            Some(q) => text[start..].find(q),
            None => text[start..].find(|c: char| c == ')' || c.is_whitespace()),
        };
        let Some(end) = end.map(|e| start + e) else { continue };
        let address = &text[start..end];
        if !address.starts_with('/') || address.starts_with("//") {
            continue;
        }
        let path = &address[1..address.find(['?', '#']).unwrap_or(address.len())];
        if !statics(path) {
            let line = text[..start].matches('\n').count() as u64 + 1;
            let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            dead.push((line, text[line_start..start].chars().count() as u64 + 1, address.to_string()));
        }
        out.push_str(&text[rest..start]);
        out.push_str(base_path);
        out.push_str(&address[1..]);
        rest = end;
    }
    out.push_str(&text[rest..]);
    (out, dead)
}

#[cfg(test)]
mod tests {
    use super::with_base;

    #[test]
    fn root_addresses_get_the_base_path_and_dead_ones_are_placed() {
        let css = "body { background: url(/static/bg.png); }\n.a { background: URL( \"/static/gone.png?v=1\" ) }\n\
                   .b { background: url(bg.png) url(//cdn.example.org/x.png) }\n";
        let (out, dead) = with_base(css, "/sub/", &|p| p == "static/bg.png");
        assert!(out.contains("url(/sub/static/bg.png)"), "{out}");
        assert!(out.contains("URL( \"/sub/static/gone.png?v=1\" )"), "{out}");
        assert!(out.contains("url(bg.png) url(//cdn.example.org/x.png)"), "{out}");
        assert_eq!(dead, vec![(2, 24, "/static/gone.png?v=1".to_string())]);
        let (same, _) = with_base(css, "/", &|_| true);
        assert_eq!(same, css);
    }
}
