//! Social cards: the 1200×630 picture a link shows when it is shared (Open Graph `og:image`,
//! `twitter:card = summary_large_image`), drawn at build time from SVG with resvg in the one
//! font the program carries (DejaVu Sans Bold, `fonts/`), so every machine draws the same
//! pixels. A card is named by a hash of everything drawn on it: employers with the same headline
//! share one file, and a card drawn by an earlier build is taken from the cache beside the
//! output folder instead of being drawn again (drawing one takes a few milliseconds).

use super::OutputFile;
use crate::load::Bundle;
use image::{DynamicImage, ImageReader, RgbImage};
use rayon::prelude::*;
use resvg::{tiny_skia, usvg};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;
/// Where cards are published, below the site root.
pub const FOLDER: &str = "cards";
/// Part of every card's name: changing the drawing changes it, so no old card is reused.
const DRAWING: &str = "ladder-cards-1";
const FONT: &[u8] = include_bytes!("fonts/DejaVuSans-Bold.ttf");
const FAMILY: &str = "DejaVu Sans";
/// Left and right margin, in pixels.
const MARGIN: u32 = 72;
/// DejaVu Sans Bold's widest common letters are about 0.72 em and its average about 0.62 em:
/// lines are broken as if every letter were this wide, so none runs off the card.
const EM_PER_CHAR: f32 = 0.66;

/// What one card shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Card {
    /// A small line above the title ("Employer scorecard", "Sector").
    pub kicker: String,
    /// The largest text: wrapped over up to three lines, cut with "…" past that.
    pub title: String,
    /// Lines under the title, one line each.
    pub lines: Vec<String>,
    /// The site's name, in the band along the foot of the card.
    pub site: String,
    /// A story's picture, drawn to cover the card under a dark band holding the text.
    pub picture: Option<Picture>,
    /// The card's ground, `#rrggbb`: the site's accent when it sets one (dark enough for the
    /// white text, as it is checked to read on a white page), else a deep blue.
    pub background: Option<String>,
}

/// The card's ground when the site sets no accent.
const GROUND: &str = "#0b2a3c";

/// A story's picture for its card: read again from the story's folder when the card is drawn.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Picture {
    pub bundle: Bundle,
    pub name: String,
    /// Its text alternative, which begins the card's.
    pub alt: String,
    /// The SHA-256 of the file, part of the card's name.
    pub digest: String,
}

impl Picture {
    pub fn new(bundle: &Bundle, name: &str, alt: &str) -> Option<Picture> {
        let bytes = bundle.read(name).ok()?;
        Some(Picture {
            bundle: bundle.clone(),
            name: name.to_string(),
            alt: alt.to_string(),
            digest: hex(&Sha256::digest(&bytes)),
        })
    }
}

impl Card {
    /// The text a reader of the page is told the card shows (`og:image:alt`).
    pub fn alt(&self) -> String {
        let mut parts: Vec<String> = self.picture.iter().map(|p| p.alt.clone()).collect();
        parts.push(self.title.clone());
        parts.extend(self.lines.iter().cloned());
        parts.push(self.site.clone());
        parts.retain(|p| !p.is_empty());
        // The site's own card has the site's name for title too: say it once.
        parts.dedup();
        parts.join(". ")
    }

    /// The card as SVG (without the picture, which goes under it).
    pub fn svg(&self) -> String {
        let photo = self.picture.is_some();
        let ground = self.background.as_deref().unwrap_or(GROUND);
        let mut s = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" font-family=\"{FAMILY}\" font-weight=\"bold\">"
        );
        if photo {
            // The picture shows through the top; the text sits on a dark band over its foot.
            s.push_str(&format!(
                "<rect y=\"300\" width=\"{WIDTH}\" height=\"{}\" fill=\"{ground}\" fill-opacity=\"0.88\"/>",
                HEIGHT - 300
            ));
        } else {
            s.push_str(&format!("<rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"{ground}\"/>"));
            s.push_str(&format!("<rect x=\"{MARGIN}\" y=\"64\" width=\"96\" height=\"10\" fill=\"#f2b705\"/>"));
        }
        s.push_str(&format!("<rect y=\"{}\" width=\"{WIDTH}\" height=\"72\" fill=\"#f2b705\"/>", HEIGHT - 72));
        let (title_size, mut y) = if photo { (46, 340) } else { (64, 120) };
        if !self.kicker.is_empty() {
            y += 34;
            push_text(&mut s, y, 30, "#9fd3f0", &self.kicker);
            y += 18;
        }
        for line in wrap(&self.title, title_size, if photo { 2 } else { 3 }) {
            y += title_size + title_size / 4;
            push_text(&mut s, y, title_size, "#ffffff", &line);
        }
        y += 12;
        let line_size = if photo { 30 } else { 36 };
        for line in &self.lines {
            y += line_size + 14;
            if let Some(first) = wrap(line, line_size, 1).into_iter().next() {
                push_text(&mut s, y, line_size, "#e6f1f7", &first);
            }
        }
        if let Some(site) = wrap(&self.site, 30, 1).into_iter().next() {
            push_text(&mut s, HEIGHT - 26, 30, ground, &site);
        }
        s.push_str("</svg>");
        s
    }

    /// The card's file name: a hash of what is drawn (and of the picture under it).
    pub fn file_name(&self) -> String {
        let mut h = Sha256::new();
        h.update(DRAWING.as_bytes());
        h.update(self.svg().as_bytes());
        if let Some(p) = &self.picture {
            h.update(p.digest.as_bytes());
        }
        format!("{}.png", &hex(&h.finalize())[..20])
    }

    /// Where the card is published, below the site root.
    pub fn path(&self) -> String {
        format!("{FOLDER}/{}", self.file_name())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn push_text(s: &mut String, baseline: u32, size: u32, fill: &str, text: &str) {
    s.push_str(&format!("<text x=\"{MARGIN}\" y=\"{baseline}\" font-size=\"{size}\" fill=\"{fill}\">"));
    for c in text.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            c if c.is_control() => s.push(' '),
            c => s.push(c),
        }
    }
    s.push_str("</text>");
}

/// `text` broken at spaces into at most `max_lines` lines that fit between the margins at
/// `size` pixels; what does not fit ends the last line with "…".
fn wrap(text: &str, size: u32, max_lines: usize) -> Vec<String> {
    let fits = (((WIDTH - 2 * MARGIN) as f32) / (size as f32 * EM_PER_CHAR)) as usize;
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let len = current.chars().count();
        if len > 0 && len + 1 + word.chars().count() > fits {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    let cut = lines.len() > max_lines;
    lines.truncate(max_lines);
    for (i, line) in lines.iter_mut().enumerate() {
        let last = i + 1 == max_lines;
        if line.chars().count() > fits || (cut && last) {
            let keep: String = line.chars().take(fits.saturating_sub(1)).collect();
            *line = format!("{}…", keep.trim_end());
        }
    }
    lines
}

fn options() -> &'static usvg::Options<'static> {
    static OPTIONS: OnceLock<usvg::Options<'static>> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let mut o = usvg::Options { font_family: FAMILY.to_string(), ..usvg::Options::default() };
        o.fontdb_mut().load_font_data(FONT.to_vec());
        o
    })
}

/// The story's picture scaled and cut to cover the card, or `None` when it cannot be read
/// (the picture's own publication reports why).
fn cover(p: &Picture) -> Option<RgbImage> {
    let bytes = p.bundle.read(&p.name).ok()?;
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().ok()?;
    reader.limits(super::images::limits());
    let mut decoder = reader.into_decoder().ok()?;
    let orientation = image::ImageDecoder::orientation(&mut decoder).ok()?;
    let mut img = DynamicImage::from_decoder(decoder).ok()?;
    img.apply_orientation(orientation);
    Some(img.resize_to_fill(WIDTH, HEIGHT, image::imageops::FilterType::Triangle).to_rgb8())
}

/// The card drawn and encoded as a PNG of pixels alone.
pub fn draw(card: &Card) -> Option<Vec<u8>> {
    let tree = usvg::Tree::from_str(&card.svg(), options()).ok()?;
    let mut pixmap = tiny_skia::Pixmap::new(WIDTH, HEIGHT)?;
    if let Some(photo) = card.picture.as_ref().and_then(cover) {
        for (px, rgb) in pixmap.data_mut().chunks_exact_mut(4).zip(photo.pixels()) {
            px.copy_from_slice(&[rgb[0], rgb[1], rgb[2], 255]);
        }
    }
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    // Every card is opaque, so the premultiplied pixels are the plain ones: RGB is enough.
    let rgb: Vec<u8> = pixmap.data().chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
    let mut out = Vec::new();
    let encoder = image::codecs::png::PngEncoder::new_with_quality(
        &mut out,
        image::codecs::png::CompressionType::Fast,
        image::codecs::png::FilterType::Adaptive,
    );
    image::ImageEncoder::write_image(encoder, &rgb, WIDTH, HEIGHT, image::ExtendedColorType::Rgb8).ok()?;
    Some(out)
}

/// The cards a build's pages name, collected while they render and drawn after.
#[derive(Default)]
pub struct Cards {
    wanted: Mutex<BTreeMap<String, Card>>,
}

/// How many cards a build drew and took from the cache.
#[derive(Debug, Default, Clone, Copy)]
pub struct Drawn {
    pub drawn: usize,
    pub cached: usize,
}

impl Cards {
    /// Note that a page shows `card`; returns its path below the site root and its text.
    pub fn want(&self, card: Card) -> (String, String) {
        let path = card.path();
        let alt = card.alt();
        self.wanted.lock().expect("cards lock").entry(path.clone()).or_insert(card);
        (path, alt)
    }

    /// Draw every card wanted (or take it from `cache`) and hand each to `emit`.
    pub fn publish(
        &self,
        cache: &super::images::Cache<'_>,
        emit: &(dyn Fn(OutputFile) -> anyhow::Result<()> + Sync),
    ) -> anyhow::Result<Drawn> {
        let wanted = std::mem::take(&mut *self.wanted.lock().expect("cards lock"));
        let results: Vec<anyhow::Result<bool>> = wanted
            .into_par_iter()
            .map(|(path, card)| {
                let cached = cache.dir.join(card.file_name());
                let (bytes, drawn) = match from_cache(&cached) {
                    Some(b) => (b, false),
                    None => {
                        let Some(b) = draw(&card) else { return Ok(false) };
                        if cache.write {
                            // A cache that cannot be written only costs the next build the drawing.
                            let _ = super::images::store(cache.dir, &cached, &b);
                        }
                        (b, true)
                    }
                };
                emit(OutputFile { path, bytes })?;
                Ok(drawn)
            })
            .collect();
        let mut counts = Drawn::default();
        for r in results {
            if r? {
                counts.drawn += 1;
            } else {
                counts.cached += 1;
            }
        }
        Ok(counts)
    }
}

/// A card kept by an earlier build, only if it is a plain file holding a PNG of the card's size
/// and nothing but its pixels.
fn from_cache(path: &Path) -> Option<Vec<u8>> {
    super::images::cached_png(path, WIDTH, HEIGHT)
}

/// The cache of cards for a build writing into `output`: beside it, never inside it.
pub fn cache_dir(output: &Path) -> std::path::PathBuf {
    super::images::cache_dir(output).with_file_name("cards")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(title: &str) -> Card {
        Card {
            kicker: "Employer scorecard".into(),
            title: title.into(),
            lines: vec!["12 of 20 toolkit practices in place".into()],
            site: "Ladder".into(),
            picture: None,
            background: None,
        }
    }

    #[test]
    fn a_card_is_a_1200_by_630_png_of_pixels_alone() {
        let png = draw(&card("3 of 7 data targets met")).expect("drawn");
        let img = image::load_from_memory(&png).expect("a PNG");
        assert_eq!((img.width(), img.height()), (WIDTH, HEIGHT));
        assert!(super::super::images::png_holds_pixels_only(&png));
        // Text was drawn: white pixels on the dark ground.
        assert!(img.to_rgb8().pixels().any(|p| p.0 == [255, 255, 255]));
    }

    #[test]
    fn the_same_card_is_the_same_file_and_text_changes_the_name() {
        assert_eq!(card("a").path(), card("a").path());
        assert_ne!(card("a").path(), card("b").path());
        assert_eq!(draw(&card("a")), draw(&card("a")));
    }

    #[test]
    fn long_titles_wrap_and_are_cut_within_the_margins() {
        let long = "word ".repeat(200);
        let lines = wrap(&long, 64, 3);
        assert_eq!(lines.len(), 3);
        assert!(lines[2].ends_with('…'));
        let fits = (((WIDTH - 2 * MARGIN) as f32) / (64.0 * EM_PER_CHAR)) as usize;
        assert!(lines.iter().all(|l| l.chars().count() <= fits));
        let one = wrap(&"x".repeat(500), 64, 3);
        assert_eq!(one.len(), 1);
        assert!(one[0].chars().count() <= fits);
    }

    #[test]
    fn markup_in_a_title_is_text() {
        let svg = card("<script>alert(1)</script> & co").svg();
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;"));
    }
}
