//! The files beside a story (a story written as a folder, `content/stories/<slug>/index.md`),
//! published under the story's own folder of the output.
//!
//! Pictures (JPEG, PNG, WebP) are never copied as they are: each is decoded (within
//! [`limits`], so a hostile file cannot take the machine's memory), turned upright as its EXIF
//! orientation says, resized to a few widths ([`WIDTHS`], never enlarged) and encoded anew,
//! which leaves out EXIF (a phone's GPS position), XMP, ICC and every other metadata. A JPEG or
//! an opaque WebP becomes JPEG, a PNG or a WebP with transparency becomes PNG: `image`'s WebP
//! encoder writes lossless WebP only, several times the size of a JPEG of a photograph.
//!
//! Encoding is the slow part of a build, so each encoded picture is kept in a cache folder
//! beside the output folder (`.<output>.ladder-cache/images/`, never inside it, so it is not
//! published), named by a SHA-256 of the source bytes, the width, the format and the encoder's
//! settings: a picture is encoded again only when one of those changed. Other files (a PDF) are
//! copied as they are.

use super::OutputFile;
use crate::error::{Diagnostic, Diagnostics};
use crate::load::Bundle;
use crate::model::story::{Story, is_image};
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, metadata::Orientation};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// The widths a picture is published at; one wider than the picture is left out, and the
/// picture's own width stands in for the widest (pictures are never enlarged).
pub const WIDTHS: [u32; 3] = [480, 960, 1600];

/// How wide a story's pictures are shown, for the browser's choice among the widths.
pub const SIZES: &str = "(max-width: 48rem) 100vw, 48rem";

const JPEG_QUALITY: u8 = 82;

/// Changed whenever the resizing or an encoder's settings change, so older cached pictures are
/// no longer found.
const ENCODER: &str = "ladder-images/1 lanczos3 jpeg-q82 png-default";

/// A picture wider or taller than this is refused before it is decoded.
pub const MAX_DIMENSION: u32 = 12_000;

/// The most a decoder may allocate for one picture (a 12,000 × 5,000 RGBA picture is 240 MB).
pub const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;

/// The limits every picture is decoded within.
pub fn limits() -> Limits {
    let mut l = Limits::default();
    l.max_image_width = Some(MAX_DIMENSION);
    l.max_image_height = Some(MAX_DIMENSION);
    l.max_alloc = Some(MAX_DECODE_BYTES);
    l
}

/// One published width of a picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// The file's name in the story's folder (`photo-960.jpg`).
    pub file: String,
    pub width: u32,
    pub height: u32,
}

/// Every published width of one picture, narrowest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageSet {
    pub variants: Vec<Variant>,
}

impl ImageSet {
    /// The widest, for `src` (browsers without `srcset`) and social cards.
    pub fn largest(&self) -> &Variant {
        self.variants.last().expect("a picture has at least one width")
    }

    /// `srcset`'s value, each file's URL being `prefix` and its name.
    pub fn srcset(&self, prefix: &str) -> String {
        let parts: Vec<String> = self.variants.iter().map(|v| format!("{prefix}{} {}w", v.file, v.width)).collect();
        parts.join(", ")
    }
}

/// What [`publish`] made of the stories' files.
#[derive(Debug, Default)]
pub struct Images {
    /// Each picture's widths, by story slug and file name beside the story.
    pub sets: HashMap<(String, String), ImageSet>,
    /// Pictures encoded by this build, and taken from the cache.
    pub encoded: usize,
    pub cached: usize,
    /// Files published beside the stories.
    pub files: usize,
}

impl Images {
    pub fn get(&self, slug: &str, name: &str) -> Option<&ImageSet> {
        self.sets.get(&(slug.to_string(), name.to_string()))
    }
}

/// The encode cache of the build writing into `output`: beside it, never inside it.
pub fn cache_dir(output: &Path) -> PathBuf {
    let name = output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "output".into());
    output.with_file_name(format!(".{name}.ladder-cache")).join("images")
}

/// Where encoded pictures are looked for, and whether new ones are kept there.
pub struct Cache<'a> {
    pub dir: &'a Path,
    pub write: bool,
}

/// Publish the files beside every story through `emit`: pictures at their widths, other files
/// as they are. Every problem (a file that cannot be read or decoded) is reported, with what
/// could be published of the others (so a build with problems still renders and checks links).
pub fn publish(
    stories: &[Story],
    cache: &Cache<'_>,
    emit: &(dyn Fn(OutputFile) -> anyhow::Result<()> + Sync),
) -> (Images, Diagnostics) {
    let jobs: Vec<(&Story, &Bundle, &String)> = stories
        .iter()
        .filter_map(|s| s.bundle.as_ref().map(|b| (s, b)))
        // A link out of the site was refused and told before anything was read.
        // Only pictures and documents are published; any other file is refused with the story's
        // problems (`Story::image_problems`), once.
        .flat_map(|(s, b)| {
            let publishable =
                |f: &&String| !b.refused.contains(*f) && (is_image(f) || crate::model::story::is_document(f));
            b.files.iter().filter(publishable).map(move |f| (s, b, f))
        })
        .collect();
    /// One file beside a story: its widths if it is a picture, and how many were encoded now
    /// and taken from the cache.
    type Done = (Option<ImageSet>, usize, usize);
    let results: Vec<Result<Done, Diagnostic>> = jobs
        .par_iter()
        .map(|(s, b, name)| {
            let folder = format!("stories/{}/", s.slug);
            let bytes = b.read(name)?;
            let written = |d: anyhow::Error| Diagnostic::new(b.path.join(name.as_str()), format!("cannot write: {d}"));
            if !is_image(name) {
                document_matches(&b.path.join(name.as_str()), name, &bytes)?;
                emit(OutputFile { path: format!("{folder}{name}"), bytes }).map_err(written)?;
                return Ok((None, 0, 0));
            }
            let (set, files, encoded) = picture(&b.path.join(name.as_str()), name, &bytes, cache)?;
            let cached = files.len() - encoded;
            for (file, bytes) in files {
                emit(OutputFile { path: format!("{folder}{file}"), bytes }).map_err(written)?;
            }
            Ok((Some(set), encoded, cached))
        })
        .collect();
    let mut images = Images::default();
    let mut problems = Diagnostics::default();
    for ((s, _, name), r) in jobs.iter().zip(results) {
        match r {
            Ok((set, encoded, cached)) => {
                images.files += set.as_ref().map_or(1, |s| s.variants.len());
                if let Some(set) = set {
                    images.sets.insert((s.slug.clone(), name.to_string()), set);
                }
                images.encoded += encoded;
                images.cached += cached;
            }
            Err(d) => problems.push(d),
        }
    }
    (images, problems)
}

/// A document beside a story is what its name says: a `.pdf` starts as PDFs do, a `.csv` or
/// `.txt` is text. A picture renamed `.pdf` would be published as it is, GPS position and all.
fn document_matches(relative: &Path, name: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
    let pdf = name.to_ascii_lowercase().ends_with(".pdf");
    let fits =
        if pdf { bytes.starts_with(b"%PDF-") } else { std::str::from_utf8(bytes).is_ok_and(|t| !t.contains('\0')) };
    if fits {
        if pdf && crate::output::strip::pdf_holds_photo_with_gps(bytes) {
            return Err(Diagnostic::new(relative, crate::output::strip::PDF_WITH_GPS));
        }
        return Ok(());
    }
    // Text saved in Windows' own encoding ("ANSI", Excel's plain "CSV"): told how to save it as
    // UTF-8, as an import is (issue 17, round 7).
    if let (false, Err(e)) = (pdf, std::str::from_utf8(bytes)) {
        let how = if name.to_ascii_lowercase().ends_with(".csv") {
            "save it as CSV UTF-8 (Excel: File > Save As > CSV UTF-8 (Comma delimited))"
        } else {
            "save it again as UTF-8 text (Notepad: File > Save As, Encoding: UTF-8)"
        };
        if !bytes.contains(&0) || bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
            return Err(crate::import::table::not_utf8(relative, bytes, e.valid_up_to(), how));
        }
    }
    let what = if pdf { "a PDF" } else { "plain text" };
    Err(Diagnostic::new(
        relative,
        format!("the file is not {what}, whatever its name says; publish it under its own kind"),
    ))
}

/// The output format of a source picture.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Out {
    Jpeg,
    Png,
}

impl Out {
    fn ext(self) -> &'static str {
        match self {
            Out::Jpeg => "jpg",
            Out::Png => "png",
        }
    }
}

/// The widths a picture `width` wide is published at.
pub fn widths(width: u32) -> Vec<u32> {
    let widest = *WIDTHS.last().expect("widths");
    let mut out: Vec<u32> = WIDTHS.iter().copied().filter(|&w| w < width.min(widest)).collect();
    out.push(width.min(widest));
    out
}

/// A picture's widths, their files (name, bytes) and how many were encoded now.
type Picture = (ImageSet, Vec<(String, Vec<u8>)>, usize);

/// One picture at each of its widths.
fn picture(relative: &Path, name: &str, bytes: &[u8], cache: &Cache<'_>) -> Result<Picture, Diagnostic> {
    let bad = |why: String| Diagnostic::new(relative, why);
    let undecodable = |e: image::ImageError| match e {
        image::ImageError::Limits(_) => bad(format!(
            "the picture is too large to publish (at most {MAX_DIMENSION} pixels wide and high); make it smaller"
        )),
        image::ImageError::Unsupported(_) => {
            bad("the picture is of a kind this program cannot read; save it again as an ordinary JPEG or PNG".into())
        }
        // The decoder's own words ("Corrupt deflate stream", "failed to fill whole buffer") mean
        // nothing to an editor.
        _ => bad("the picture is damaged and cannot be read (cut short or corrupted when it was copied); \
             copy or export it again"
            .into()),
    };
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| bad(format!("the picture cannot be read: {e}")))?;
    reader.limits(limits());
    let out = match reader.format() {
        Some(ImageFormat::Jpeg) => Out::Jpeg,
        Some(ImageFormat::Png) => Out::Png,
        Some(ImageFormat::WebP) => Out::Jpeg,
        _ => return Err(bad("the file is not a JPEG, PNG or WebP picture, whatever its name says".into())),
    };
    if out == Out::Jpeg && reader.format() == Some(ImageFormat::Jpeg) && !crate::output::strip::jpeg_is_whole(bytes) {
        // The decoder would fill the missing part with grey and say nothing.
        return Err(bad(
            "the picture is cut short (its end is missing, as after an interrupted copy); copy it again".into()
        ));
    }
    let mut decoder = reader.into_decoder().map_err(undecodable)?;
    // Not every decoder keeps to `max_alloc`: the decoded size is known from the header.
    if decoder.total_bytes() > MAX_DECODE_BYTES {
        return Err(bad(format!(
            "the picture is too large to publish ({} by {} pixels would take {} MB to read; at most {} MB); make it smaller",
            decoder.dimensions().0,
            decoder.dimensions().1,
            decoder.total_bytes() / (1024 * 1024),
            MAX_DECODE_BYTES / (1024 * 1024)
        )));
    }
    let out = if decoder.color_type().has_alpha() { Out::Png } else { out };
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let (w, h) = decoder.dimensions();
    let (w, h) = match orientation {
        Orientation::Rotate90 | Orientation::Rotate270 | Orientation::Rotate90FlipH | Orientation::Rotate270FlipH => {
            (h, w)
        }
        _ => (w, h),
    };
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let mut decoder = Some(decoder);
    let mut decoded: Option<DynamicImage> = None;
    let (mut variants, mut files, mut encoded) = (Vec::new(), Vec::new(), 0);
    for width in widths(w) {
        let height = ((u64::from(h) * u64::from(width) + u64::from(w) / 2) / u64::from(w.max(1))).max(1) as u32;
        let file = format!("{stem}-{width}.{}", out.ext());
        let key = cache_key(bytes, width, out);
        let path = cache.dir.join(format!("{key}.{}", out.ext()));
        let bytes = match cached(&path, out, width, height) {
            Some(b) => b,
            None => {
                if decoded.is_none() {
                    let Some(d) = decoder.take() else { unreachable!("decoded once") };
                    let mut img = DynamicImage::from_decoder(d).map_err(undecodable)?;
                    img.apply_orientation(orientation);
                    decoded = Some(img);
                }
                let img = decoded.as_ref().expect("decoded above");
                let b =
                    encode(img, width, height, out).map_err(|e| bad(format!("the picture cannot be encoded: {e}")))?;
                encoded += 1;
                if cache.write {
                    // A cache that cannot be written only costs the next build the encoding.
                    let _ = store(cache.dir, &path, &b);
                }
                b
            }
        };
        variants.push(Variant { file: file.clone(), width, height });
        files.push((file, bytes));
    }
    Ok((ImageSet { variants }, files, encoded))
}

/// A cached PNG of `width` × `height` holding pixels alone (see [`cached`]): the social cards'.
pub(crate) fn cached_png(path: &Path, width: u32, height: u32) -> Option<Vec<u8>> {
    cached(path, Out::Png, width, height)
}

/// A cached picture, only if it is one this program could have written: a plain file (never a
/// link), of the format and size asked for, holding pixels and nothing else (no metadata segment
/// or chunk). The cache sits beside the output, so a file committed there, a corrupted one or a
/// link to a file elsewhere is encoded anew rather than published.
fn cached(path: &Path, out: Out, width: u32, height: u32) -> Option<Vec<u8>> {
    if !std::fs::symlink_metadata(path).ok()?.file_type().is_file() {
        return None;
    }
    let bytes = crate::load::read_regular(path, crate::load::MAX_BUNDLE_FILE_BYTES).ok()?;
    let reader = ImageReader::new(Cursor::new(&bytes)).with_guessed_format().ok()?;
    let format = match out {
        Out::Jpeg => ImageFormat::Jpeg,
        Out::Png => ImageFormat::Png,
    };
    let shape_ok = match out {
        Out::Jpeg => jpeg_holds_pixels_only(&bytes) && crate::output::strip::jpeg_is_bare(&bytes),
        Out::Png => png_holds_pixels_only(&bytes),
    };
    (reader.format() == Some(format) && shape_ok && reader.into_dimensions().ok()? == (width, height)).then_some(bytes)
}

/// Whether a JPEG holds only what the encoder writes: markers up to the scan are tables, frame
/// and the JFIF header (no EXIF, XMP or ICC segment, no comment), and it ends at its end marker
/// (nothing after it: see [`crate::output::strip::jpeg_is_bare`]).
fn jpeg_holds_pixels_only(b: &[u8]) -> bool {
    if !b.starts_with(&[0xFF, 0xD8]) || !b.ends_with(&[0xFF, 0xD9]) {
        return false;
    }
    let mut i = 2;
    while i + 4 <= b.len() {
        if b[i] != 0xFF {
            return false;
        }
        let marker = b[i + 1];
        let len = usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
        match marker {
            // Start of scan: entropy-coded pixels follow.
            0xDA => return true,
            // JFIF (APP0) is the only application segment the encoder writes.
            0xE0 if b.get(i + 4..i + 9) == Some(b"JFIF\0") => {}
            // Tables, frame headers and restart interval.
            0xC0..=0xCF | 0xDB | 0xDD => {}
            _ => return false,
        }
        i += 2 + len;
    }
    false
}

/// Whether a PNG holds only the chunks the encoder writes (header, palette, transparency,
/// pixels, end): no text, EXIF, time or colour-profile chunk.
pub(crate) fn png_holds_pixels_only(b: &[u8]) -> bool {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    let Some(mut rest) = b.strip_prefix(SIGNATURE) else { return false };
    while rest.len() >= 12 {
        let len = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        let kind = &rest[4..8];
        if !matches!(kind, b"IHDR" | b"PLTE" | b"tRNS" | b"IDAT" | b"IEND") {
            return false;
        }
        let Some(next) = rest.get(12 + len..) else { return false };
        if kind == b"IEND" {
            return next.is_empty();
        }
        rest = next;
    }
    false
}

fn cache_key(bytes: &[u8], width: u32, out: Out) -> String {
    let mut h = Sha256::new();
    h.update(ENCODER.as_bytes());
    h.update(width.to_le_bytes());
    h.update(out.ext().as_bytes());
    h.update((bytes.len() as u64).to_le_bytes());
    h.update(bytes);
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Keep `bytes` at `path` in the cache: written beside it, then renamed, so a build stopped
/// halfway leaves no half-written picture to be taken for a whole one.
pub(crate) fn store(dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

/// `img` resized to `width` × `height` and encoded afresh: nothing of the source's metadata is
/// carried over (the encoders are given pixels alone).
fn encode(img: &DynamicImage, width: u32, height: u32, out: Out) -> image::ImageResult<Vec<u8>> {
    let resized;
    let img = if img.width() == width && img.height() == height {
        img
    } else {
        resized = img.resize_exact(width, height, image::imageops::FilterType::Lanczos3);
        &resized
    };
    let mut bytes = Vec::new();
    match out {
        Out::Jpeg => {
            let rgb = img.to_rgb8();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY).encode_image(&rgb)?;
        }
        Out::Png => {
            let rgba = img.to_rgba8();
            rgba.write_with_encoder(image::codecs::png::PngEncoder::new(&mut bytes))?;
        }
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pictures_are_never_enlarged() {
        assert_eq!(widths(2400), vec![480, 960, 1600]);
        assert_eq!(widths(1600), vec![480, 960, 1600]);
        assert_eq!(widths(1000), vec![480, 960, 1000]);
        assert_eq!(widths(480), vec![480]);
        assert_eq!(widths(200), vec![200]);
    }

    /// A PNG header claiming `w` × `h` pixels of `kind` (an RGBA picture when `rgba`), with a
    /// valid checksum so it is read as a header.
    fn png_claiming(w: u32, h: u32, rgba: bool) -> Vec<u8> {
        let mut png = Vec::new();
        if rgba {
            image::RgbaImage::new(1, 1).write_to(&mut Cursor::new(&mut png), ImageFormat::Png).unwrap();
        } else {
            image::RgbImage::new(1, 1).write_to(&mut Cursor::new(&mut png), ImageFormat::Png).unwrap();
        }
        png[16..20].copy_from_slice(&w.to_be_bytes());
        png[20..24].copy_from_slice(&h.to_be_bytes());
        // The header's checksum (CRC-32 of its type and data).
        let crc = png[12..29].iter().fold(!0u32, |mut c, &b| {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 == 1 { (c >> 1) ^ 0xEDB8_8320 } else { c >> 1 };
            }
            c
        });
        png[29..33].copy_from_slice(&(!crc).to_be_bytes());
        png
    }

    #[test]
    fn a_picture_over_the_limits_is_refused_before_it_is_decoded() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache { dir: dir.path(), write: false };
        // 50,000 × 50,000 (10 GB decoded), and 11,000 × 11,000 RGBA: within the width and height
        // limits but 484 MB decoded, which the PNG decoder's own allocation limit let through.
        for (w, h, rgba) in [(50_000, 50_000, false), (11_000, 11_000, true)] {
            let png = png_claiming(w, h, rgba);
            let e = picture(Path::new("content/stories/x/big.png"), "big.png", &png, &cache).unwrap_err();
            assert!(e.message.contains("too large"), "{w}x{h}: {e}");
        }
    }

    #[test]
    fn a_cached_picture_is_used_only_if_it_holds_pixels_alone() {
        let dir = tempfile::tempdir().unwrap();
        let mut jpeg = Vec::new();
        image::RgbImage::new(8, 4).write_to(&mut Cursor::new(&mut jpeg), ImageFormat::Jpeg).unwrap();
        let path = dir.path().join("k.jpg");
        std::fs::write(&path, &jpeg).unwrap();
        assert!(cached(&path, Out::Jpeg, 8, 4).is_some(), "what the encoder writes is taken");
        assert!(cached(&path, Out::Jpeg, 8, 5).is_none(), "of the size asked for");
        assert!(cached(&path, Out::Png, 8, 4).is_none(), "of the format asked for");
        // The same picture with an EXIF segment after its start marker, or a comment.
        for segment in [&b"\xFF\xE1\x00\x0EExif\x00\x00MM\x00*\x00\x00"[..], b"\xFF\xFE\x00\x06GPS!"] {
            let mut with = jpeg[..2].to_vec();
            with.extend_from_slice(segment);
            with.extend_from_slice(&jpeg[2..]);
            std::fs::write(&path, &with).unwrap();
            assert!(cached(&path, Out::Jpeg, 8, 4).is_none(), "metadata in the cache is never published");
        }
        // The same picture with a second one, holding EXIF, after its end marker.
        let mut with = jpeg.clone();
        with.extend_from_slice(b"\xFF\xD8\xFF\xE1\x00\x0EExif\x00\x00MM\x00*\x00\x00");
        with.extend_from_slice(&jpeg[2..]);
        std::fs::write(&path, &with).unwrap();
        assert!(cached(&path, Out::Jpeg, 8, 4).is_none(), "bytes after the picture's end are never published");
        std::fs::write(&path, b"not a picture").unwrap();
        assert!(cached(&path, Out::Jpeg, 8, 4).is_none());
        #[cfg(unix)]
        {
            let elsewhere = dir.path().join("elsewhere.jpg");
            std::fs::write(&elsewhere, &jpeg).unwrap();
            std::fs::remove_file(&path).unwrap();
            std::os::unix::fs::symlink(&elsewhere, &path).unwrap();
            assert!(cached(&path, Out::Jpeg, 8, 4).is_none(), "a link in the cache is not followed");
        }
        let mut png = Vec::new();
        image::RgbaImage::new(8, 4).write_to(&mut Cursor::new(&mut png), ImageFormat::Png).unwrap();
        let path = dir.path().join("k.png");
        std::fs::write(&path, &png).unwrap();
        assert!(cached(&path, Out::Png, 8, 4).is_some());
        // A text chunk before the end.
        let end = png.len() - 12;
        let mut with = png[..end].to_vec();
        with.extend_from_slice(b"\x00\x00\x00\x04tEXtGPS!\x00\x00\x00\x00");
        with.extend_from_slice(&png[end..]);
        std::fs::write(&path, &with).unwrap();
        assert!(cached(&path, Out::Png, 8, 4).is_none());
    }

    #[test]
    fn a_picture_cut_short_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache { dir: dir.path(), write: false };
        let mut jpeg = Vec::new();
        image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([(x * 7 + y * 3) as u8, (x * y) as u8, 90]))
            .write_to(&mut Cursor::new(&mut jpeg), ImageFormat::Jpeg)
            .unwrap();
        let whole = picture(Path::new("content/stories/x/v.jpg"), "v.jpg", &jpeg, &cache);
        assert!(whole.is_ok());
        let half = &jpeg[..jpeg.len() / 2];
        let e = picture(Path::new("content/stories/x/v.jpg"), "v.jpg", half, &cache).unwrap_err();
        assert!(e.message.contains("cut short"), "{e}");
        // A PNG whose pixels were corrupted is told so in plain words, not the decoder's.
        let mut png = Vec::new();
        image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([(x * 7 + y * 3) as u8, (x * y) as u8, 90]))
            .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .unwrap();
        let idat = png.windows(4).position(|w| w == b"IDAT").unwrap();
        png[idat + 10..idat + 30].fill(0);
        let e = picture(Path::new("content/stories/x/c.png"), "c.png", &png, &cache).unwrap_err();
        assert!(e.message.starts_with("the picture is damaged and cannot be read"), "{e}");
    }

    #[test]
    fn a_pdf_beside_a_story_holding_a_photo_with_gps_is_refused() {
        let mut pdf = b"%PDF-1.4\nstream\n\xFF\xD8\xFF\xE1\x00\x1EExif\x00\x00".to_vec();
        pdf.extend_from_slice(b"II*\x00\x08\x00\x00\x00\x01\x00\x25\x88\x04\x00\x01\x00\x00\x00\x1A\x00\x00\x00");
        pdf.extend_from_slice(b"\xFF\xDA\x00\x02\xFF\xD9\nendstream\n%%EOF\n");
        let e = document_matches(Path::new("content/stories/x/plan.pdf"), "plan.pdf", &pdf).unwrap_err();
        assert!(e.message.contains("GPS"), "{e}");
        assert!(document_matches(Path::new("content/stories/x/plan.pdf"), "plan.pdf", b"%PDF-1.4\n%%EOF\n").is_ok());
    }
}
