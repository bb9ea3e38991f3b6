//! A site's own look set in `site.yaml` without a theme of its own: an accent colour (checked to
//! read on the theme's light and dark pages) and a logo from the site's `static/` folder.

use crate::model::config::SiteConfig;

/// The default theme's page colours: the accent is text on these (links) and these are text on
/// the accent (buttons), so each pair must reach the contrast WCAG asks of text.
const LIGHT_PAGE: Rgb = Rgb(0xff, 0xff, 0xff);
const DARK_PAGE: Rgb = Rgb(0x14, 0x17, 0x1a);
/// WCAG 2 level AA for normal text.
const MIN_CONTRAST: f64 = 4.5;
/// Picture kinds a browser shows in an `<img>`.
const LOGO_KINDS: &[&str] = &["svg", "png", "jpg", "jpeg", "webp", "gif", "avif"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb` or `#rgb`, in either case.
    pub fn parse(text: &str) -> Option<Rgb> {
        let hex = text.trim().strip_prefix('#')?;
        if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |s: &str| u8::from_str_radix(s, 16).ok();
        match hex.len() {
            6 => Some(Rgb(channel(&hex[0..2])?, channel(&hex[2..4])?, channel(&hex[4..6])?)),
            3 => {
                let twice = |i: usize| channel(&hex[i..i + 1].repeat(2));
                Some(Rgb(twice(0)?, twice(1)?, twice(2)?))
            }
            _ => None,
        }
    }

    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// Relative luminance as WCAG 2 defines it.
    fn luminance(self) -> f64 {
        let linear = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * linear(self.0) + 0.7152 * linear(self.1) + 0.0722 * linear(self.2)
    }

    /// The WCAG contrast ratio of two colours (1 to 21).
    pub fn contrast(self, other: Rgb) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// This colour mixed with `toward` by `t` (0 = itself, 1 = `toward`).
    fn mix(self, toward: Rgb, t: f64) -> Rgb {
        let m = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
        Rgb(m(self.0, toward.0), m(self.1, toward.1), m(self.2, toward.2))
    }

    /// The nearest shade toward `toward` (black or white) that reads on `page`: the colour a
    /// message suggests, and the dark page's accent when none is given.
    fn readable_on(self, page: Rgb, toward: Rgb) -> Rgb {
        (0..=100)
            .map(|i| self.mix(toward, f64::from(i) / 100.0))
            .find(|c| c.contrast(page) >= MIN_CONTRAST)
            .unwrap_or(toward)
    }
}

/// The accents for the light and the dark page, when the site sets one (checked by [`problems`]).
pub fn accents(cfg: &SiteConfig) -> Option<(String, String)> {
    let light = Rgb::parse(cfg.accent.as_deref()?)?;
    let dark = match cfg.accent_dark.as_deref() {
        Some(d) => Rgb::parse(d)?,
        None => light.readable_on(DARK_PAGE, Rgb(0xff, 0xff, 0xff)),
    };
    Some((light.hex(), dark.hex()))
}

/// `/static/logo.svg` (or `static/logo.svg`) → `static/logo.svg`; anything else is not a logo
/// path (see [`problems`]).
pub fn logo_path(written: &str) -> Option<String> {
    let rest = written.trim().trim_start_matches('/').strip_prefix("static/")?;
    let ok = !rest.is_empty()
        && rest.split('/').all(|part| !part.is_empty() && part != "." && part != ".." && !part.starts_with('.'))
        && !rest.contains(['\\', '?', '#', '"', '<', '>'])
        && rest.rsplit_once('.').is_some_and(|(_, ext)| LOGO_KINDS.contains(&ext.to_ascii_lowercase().as_str()));
    ok.then(|| format!("static/{rest}"))
}

/// Why the logo file at `path` is not a picture a browser shows under its name (an empty file,
/// a web page saved as `logo.svg`, text renamed `.png`), or `None` when it is one.
pub fn picture_problem(path: &str, bytes: &[u8]) -> Option<String> {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let is_picture = if ext == "svg" {
        // An SVG is XML text whose root element is `<svg`; a page saved as .svg has `<html`.
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
        head.contains("<svg") && !head.contains("<html")
    } else {
        let kind = match ext.as_str() {
            "png" => image::ImageFormat::Png,
            "jpg" | "jpeg" => image::ImageFormat::Jpeg,
            "webp" => image::ImageFormat::WebP,
            "gif" => image::ImageFormat::Gif,
            _ => image::ImageFormat::Avif,
        };
        image::guess_format(bytes).is_ok_and(|found| found == kind)
            || (kind == image::ImageFormat::Avif && bytes.get(4..12).is_some_and(|b| b.starts_with(b"ftypavi")))
    };
    (!is_picture).then(|| {
        if bytes.is_empty() {
            format!("{path} is empty; put the logo picture there")
        } else {
            format!("{path} is not a .{ext} picture (its content is something else); save the logo again as {ext}")
        }
    })
}

/// What is wrong with the accent colours and the logo, as (setting, message).
pub fn problems(cfg: &SiteConfig) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    // Each page: its setting, its background, the way a colour must move to read on it, and
    // the words for both.
    let pages = [
        ("accent", cfg.accent.as_deref(), LIGHT_PAGE, Rgb(0, 0, 0), "too light", "white", "darker"),
        ("accent_dark", cfg.accent_dark.as_deref(), DARK_PAGE, Rgb(0xff, 0xff, 0xff), "too dark", "dark", "lighter"),
    ];
    for (field, written, page, toward, too, page_name, shade) in pages {
        let Some(text) = written else { continue };
        let Some(c) = Rgb::parse(text) else {
            out.push((field, format!("`{text}` is not a colour: write it as #rrggbb, e.g. #1d4e89")));
            continue;
        };
        if c.contrast(page) < MIN_CONTRAST {
            out.push((
                field,
                format!(
                    "{} is {too} to read on the {page_name} page (contrast {:.1}:1; links and buttons \
                     need at least 4.5:1); a {shade} shade such as {} reads",
                    c.hex(),
                    c.contrast(page),
                    c.readable_on(page, toward).hex()
                ),
            ));
        }
    }
    if cfg.accent_dark.is_some() && cfg.accent.is_none() {
        out.push((
            "accent_dark",
            "accent_dark is set without accent; set accent too (the colour for the light page)".into(),
        ));
    }
    if let Some(logo) = cfg.logo.as_deref()
        && logo.contains('\\')
    {
        let fixed = logo.replace('\\', "/");
        out.push((
            "logo",
            format!("`{logo}` is written with backslashes (`\\`), as Windows writes paths; a web address uses `/`: write `{fixed}`"),
        ));
    } else if let Some(logo) = cfg.logo.as_deref()
        && crate::load::markdown::in_curly_quotes(logo)
    {
        let fixed = super::safe_url::without_curly_quotes(logo);
        out.push(("logo", super::safe_url::curly_quoted(logo, "a path", &fixed)));
    } else if let Some(logo) = cfg.logo.as_deref()
        && logo_path(logo).is_none()
    {
        out.push((
            "logo",
            format!(
                "`{logo}` is not a picture in the site's static/ folder; put the file there and \
                 write it from the site's root, e.g. /static/logo.svg (svg, png, jpg, webp, gif or avif)"
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_matches_wcag_figures() {
        // White on black is 21:1; the default theme's accent on white is 8.39:1 (WebAIM's checker).
        assert!((Rgb(0, 0, 0).contrast(LIGHT_PAGE) - 21.0).abs() < 0.01);
        let theme = Rgb::parse("#1d4e89").unwrap();
        assert!((theme.contrast(LIGHT_PAGE) - 8.39).abs() < 0.01, "{}", theme.contrast(LIGHT_PAGE));
        assert_eq!(Rgb::parse("#AbC"), Some(Rgb(0xaa, 0xbb, 0xcc)));
        assert_eq!(Rgb::parse("blue"), None);
        assert_eq!(Rgb::parse("#12345"), None);
    }

    #[test]
    fn a_suggested_shade_reads_and_stays_close() {
        let yellow = Rgb::parse("#f2b705").unwrap();
        let darker = yellow.readable_on(LIGHT_PAGE, Rgb(0, 0, 0));
        assert!(darker.contrast(LIGHT_PAGE) >= MIN_CONTRAST);
        // One step less dark would not read: the nearest shade, not black.
        assert_ne!(darker, Rgb(0, 0, 0));
        let navy = Rgb::parse("#0b2a3c").unwrap();
        let lighter = navy.readable_on(DARK_PAGE, Rgb(255, 255, 255));
        assert!(lighter.contrast(DARK_PAGE) >= MIN_CONTRAST && lighter != Rgb(255, 255, 255));
    }

    #[test]
    fn logo_paths_stay_in_static() {
        assert_eq!(logo_path("/static/logo.svg").as_deref(), Some("static/logo.svg"));
        assert_eq!(logo_path("static/img/Logo.PNG").as_deref(), Some("static/img/Logo.PNG"));
        for bad in
            ["/static/../site.yaml", "logo.svg", "https://x.org/l.png", "/static/", "/static/l.txt", "/static/.l.svg"]
        {
            assert_eq!(logo_path(bad), None, "{bad}");
        }
    }
}
