//! Metadata left out of pictures published as they are (the site's and the theme's `static/`
//! files): a logo or a photo put there by hand must not carry a phone's GPS position either.
//! Unlike a story's pictures, these are not re-encoded (a logo stays byte-for-byte the same
//! pixels): only the segments and chunks that hold metadata are dropped, losslessly.
//!
//! A file is judged by its first bytes, not its name (a JPEG named `.jfif`, `.jpe` or `.bak` is a
//! JPEG). JPEG: every APP1–APP15 segment (EXIF, XMP, ICC, maker notes) and every comment goes.
//! PNG: every chunk but the header, palette, transparency, pixels and end. WebP: the EXIF and XMP
//! chunks. TIFF and HEIC/AVIF files, whose metadata cannot be told from their pixels this simply,
//! are refused.

/// What a static file becomes: its bytes, with any picture's metadata left out; or why it cannot
/// be published.
pub fn published(bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        let orientation = jpeg_orientation(&bytes);
        let out = jpeg(&bytes).ok_or_else(|| "the JPEG picture is damaged (its segments do not add up)".to_string())?;
        return Ok(with_orientation(out, orientation));
    }
    if bytes.starts_with(PNG) {
        return png(&bytes).ok_or_else(|| "the PNG picture is damaged (its chunks do not add up)".to_string());
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return gif(&bytes).ok_or_else(|| "the GIF picture is damaged (its blocks do not add up)".to_string());
    }
    if bytes.starts_with(b"%PDF-") && pdf_holds_photo_with_gps(&bytes) {
        return Err(PDF_WITH_GPS.to_string());
    }
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return webp(&bytes).ok_or_else(|| "the WebP picture is damaged (its chunks do not add up)".to_string());
    }
    let tiff = bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*");
    let heif = bytes.len() >= 12
        && &bytes[4..8] == b"ftyp"
        && matches!(&bytes[8..12], b"heic" | b"heix" | b"mif1" | b"msf1" | b"avif" | b"heim" | b"heis");
    if tiff || heif {
        return Err("a TIFF, HEIC or AVIF picture cannot be published without its metadata (a phone's GPS position); \
             save it as JPEG, PNG or WebP"
            .to_string());
    }
    if bytes.len() >= 6
        && (bytes.starts_with(&[0, 0, 1, 0]) || bytes.starts_with(&[0, 0, 2, 0]))
        && let Some(icon) = ico(&bytes)
    {
        return icon;
    }
    if let Ok(text) = std::str::from_utf8(&bytes)
        && text.contains("base64,")
    {
        return embedded(text).map(String::into_bytes);
    }
    Ok(bytes)
}

/// An icon (`.ico`, `.cur`) whose PNG pictures are stripped like any PNG (a BMP picture holds no
/// metadata), the directory pointing at where each now is; `None` when the file is no icon.
fn ico(b: &[u8]) -> Option<Result<Vec<u8>, String>> {
    let count = usize::from(u16::from_le_bytes([b[4], b[5]]));
    let table = 6 + 16 * count;
    if count == 0 || b.len() < table {
        return None;
    }
    let damaged = || Some(Err("the icon file is damaged (its pictures do not add up)".to_string()));
    let mut out = b[..table].to_vec();
    for k in 0..count {
        let e = 6 + 16 * k;
        let le = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]) as usize;
        let (size, at) = (le(e + 8), le(e + 12));
        let Some(picture) = at.checked_add(size).and_then(|end| b.get(at..end)) else { return damaged() };
        let picture = if picture.starts_with(PNG) {
            match png(picture) {
                Some(p) => p,
                None => return damaged(),
            }
        } else {
            picture.to_vec()
        };
        let (Ok(size), Ok(at)) = (u32::try_from(picture.len()), u32::try_from(out.len())) else { return damaged() };
        out[e + 8..e + 12].copy_from_slice(&size.to_le_bytes());
        out[e + 12..e + 16].copy_from_slice(&at.to_le_bytes());
        out.extend_from_slice(&picture);
    }
    Some(Ok(out))
}

/// A text file (an SVG from Inkscape, an HTML page, a stylesheet) whose pictures embedded as
/// base64 `data:` addresses are stripped like any picture and written back; one that cannot be
/// (a TIFF) refuses the file, naming its line. Text that is not base64 is kept as it is.
fn embedded(text: &str) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut line = 1;
    while let Some(at) = rest.find("base64,") {
        let (before, after) = rest.split_at(at + "base64,".len());
        out.push_str(before);
        line += before.matches('\n').count();
        let len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '\n' | '\r' | ' ' | '\t')))
            .unwrap_or(after.len());
        let payload = after[..len].trim_end();
        rest = &after[payload.len()..];
        match base64_decode(payload) {
            Some(inner) if !inner.is_empty() => match published(inner.clone()) {
                Ok(clean) if clean != inner => out.push_str(&base64_encode(&clean)),
                Ok(_) => out.push_str(payload),
                Err(why) => return Err(format!("the picture embedded at line {line} (a base64 data: address): {why}")),
            },
            _ => out.push_str(payload),
        }
        line += payload.matches('\n').count();
    }
    out.push_str(rest);
    Ok(out)
}

/// The orientation a JPEG's EXIF gives (2 to 8: turned or mirrored), if any.
fn jpeg_orientation(b: &[u8]) -> Option<u16> {
    jpeg_exif(b).into_iter().find_map(|t| tiff_ifd0(t).into_iter().find(|&(tag, _)| tag == 0x0112)).map(|(_, v)| v)
}

/// A stripped JPEG given back the one EXIF entry that says how to show it upright (a phone's
/// photo taken sideways): an EXIF segment holding the orientation alone, no GPS, no maker.
fn with_orientation(jpeg: Vec<u8>, orientation: Option<u16>) -> Vec<u8> {
    let Some(o) = orientation.filter(|o| (2..=8).contains(o)) else { return jpeg };
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(
        b"\xFF\xE1\x00\x22Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01",
    );
    out.extend_from_slice(&o.to_be_bytes());
    out.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    out.extend_from_slice(&jpeg[2..]);
    out
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Why a PDF holding a photo with its GPS position is not published.
pub const PDF_WITH_GPS: &str = "the PDF holds a photo that still carries the place it was taken (GPS in its EXIF); \
     make the PDF again from a copy of the photo without its location, or print it to PDF";

/// Whether a JPEG is exactly what the lossless strip leaves: no metadata segment or comment
/// anywhere, and nothing after its end-of-image marker.
pub fn jpeg_is_bare(b: &[u8]) -> bool {
    b.starts_with(&[0xFF, 0xD8, 0xFF]) && jpeg(b).is_some_and(|out| out == b)
}

/// Whether a JPEG runs to its end-of-image marker (one cut short by an interrupted copy does not).
pub fn jpeg_is_whole(b: &[u8]) -> bool {
    b.starts_with(&[0xFF, 0xD8, 0xFF]) && jpeg(b).is_some()
}

/// Whether a PDF embeds a JPEG (as tools that make a PDF of a photo do, unchanged) whose EXIF
/// holds a GPS position. Only JPEGs stored as they are can be seen; one inside a compressed
/// stream is not.
pub fn pdf_holds_photo_with_gps(b: &[u8]) -> bool {
    let mut from = 0;
    while let Some(at) = b[from..].windows(3).position(|w| w == [0xFF, 0xD8, 0xFF]) {
        let start = from + at;
        if jpeg_exif_has_gps(&b[start..]) {
            return true;
        }
        from = start + 3;
    }
    false
}

/// Whether the EXIF segments before a JPEG's first scan name a GPS directory (tag 0x8825).
fn jpeg_exif_has_gps(b: &[u8]) -> bool {
    jpeg_exif(b).into_iter().any(|t| tiff_ifd0(t).iter().any(|&(tag, _)| tag == 0x8825))
}

/// The TIFF data of the EXIF segments before a JPEG's first scan.
fn jpeg_exif(b: &[u8]) -> Vec<&[u8]> {
    let mut found = Vec::new();
    let mut i = 2;
    while let (Some(&0xFF), Some(&marker)) = (b.get(i), b.get(i + 1)) {
        if marker == 0xFF {
            i += 1;
            continue;
        }
        if marker == 0xDA || marker == 0xD9 {
            break;
        }
        let Some(len) = b.get(i + 2..i + 4).map(|l| usize::from(u16::from_be_bytes([l[0], l[1]]))) else {
            break;
        };
        let Some(seg) = b.get(i + 4..i + 2 + len.max(2)) else { break };
        if marker == 0xE1 && seg.starts_with(b"Exif\0\0") {
            found.push(&seg[6..]);
        }
        i += 2 + len.max(2);
    }
    found
}

/// The entries of a TIFF header's first directory: each tag, and the first 16 bits of its value.
fn tiff_ifd0(t: &[u8]) -> Vec<(u16, u16)> {
    let big = match t.get(..4) {
        Some(b"MM\0*") => true,
        Some(b"II*\0") => false,
        _ => return Vec::new(),
    };
    let u16_at = |i: usize| {
        t.get(i..i + 2).map(|v| if big { u16::from_be_bytes([v[0], v[1]]) } else { u16::from_le_bytes([v[0], v[1]]) })
    };
    let u32_at = |i: usize| {
        t.get(i..i + 4).map(|v| {
            let a = [v[0], v[1], v[2], v[3]];
            if big { u32::from_be_bytes(a) } else { u32::from_le_bytes(a) }
        })
    };
    let Some(ifd) = u32_at(4).map(|o| o as usize) else { return Vec::new() };
    let Some(count) = u16_at(ifd) else { return Vec::new() };
    (0..usize::from(count)).map_while(|k| Some((u16_at(ifd + 2 + 12 * k)?, u16_at(ifd + 2 + 12 * k + 8)?))).collect()
}

/// A GIF without its comments and application extensions (XMP, which a photo editor copies from
/// the source photo, GPS and all), but the looping extension of an animation, and ending at its
/// trailer.
fn gif(b: &[u8]) -> Option<Vec<u8>> {
    // Header and logical screen descriptor, then the global colour table if there is one.
    let flags = *b.get(10)?;
    let mut i = 13 + if flags & 0x80 != 0 { 3 << ((flags & 7) + 1) } else { 0 };
    let mut out = b.get(..i)?.to_vec();
    // The data sub-blocks starting at `j`: where they end, past their zero terminator.
    let sub_blocks = |mut j: usize| -> Option<usize> {
        loop {
            let n = usize::from(*b.get(j)?);
            j += 1 + n;
            if n == 0 {
                return Some(j);
            }
        }
    };
    loop {
        match *b.get(i)? {
            0x3B => {
                out.push(0x3B);
                return Some(out);
            }
            0x2C => {
                let flags = *b.get(i + 9)?;
                let table = if flags & 0x80 != 0 { 3 << ((flags & 7) + 1) } else { 0 };
                // Descriptor, local colour table, LZW code size, then the pixels' sub-blocks.
                let end = sub_blocks(i + 10 + table + 1)?;
                out.extend_from_slice(b.get(i..end)?);
                i = end;
            }
            0x21 => {
                let label = *b.get(i + 1)?;
                let end = sub_blocks(i + 2)?;
                let looping = label == 0xFF
                    && matches!(b.get(i + 2..i + 14), Some(b"\x0BNETSCAPE2.0") | Some(b"\x0BANIMEXTS1.0"));
                let metadata = label == 0xFE || (label == 0xFF && !looping);
                if !metadata {
                    out.extend_from_slice(b.get(i..end)?);
                }
                i = end;
            }
            _ => return None,
        }
    }
}

/// A JPEG without its application segments but APP0 (JFIF), without comments, and ending at its
/// end-of-image marker: whatever a phone appends after it (a second picture with its own EXIF, a
/// motion photo's video with its GPS atom) is left out.
fn jpeg(b: &[u8]) -> Option<Vec<u8>> {
    let mut out = b[..2].to_vec();
    let mut i = 2;
    loop {
        if b.get(i)? != &0xFF {
            return None;
        }
        let marker = *b.get(i + 1)?;
        // Fill bytes before a marker.
        if marker == 0xFF {
            i += 1;
            continue;
        }
        if marker == 0xD9 {
            out.extend_from_slice(&b[i..i + 2]);
            return Some(out);
        }
        let len = usize::from(u16::from_be_bytes([*b.get(i + 2)?, *b.get(i + 3)?]));
        let end = i.checked_add(2 + len).filter(|&e| e <= b.len() && len >= 2)?;
        if marker == 0xDA {
            // Start of scan: the header, then the coded pixels up to the next marker (a 0xFF
            // followed by 0x00 is a coded 0xFF; 0xD0 to 0xD7 are restart markers inside the scan).
            let mut j = end;
            loop {
                if *b.get(j)? == 0xFF {
                    let next = *b.get(j + 1)?;
                    if next != 0x00 && !(0xD0..=0xD7).contains(&next) && next != 0xFF {
                        break;
                    }
                    if next == 0xFF {
                        // Fill bytes before the marker that ends the scan.
                        j += 1;
                        continue;
                    }
                    j += 2;
                } else {
                    j += 1;
                }
            }
            out.extend_from_slice(&b[i..j]);
            i = j;
            continue;
        }
        let metadata = (0xE1..=0xEF).contains(&marker) || marker == 0xFE;
        if !metadata {
            out.extend_from_slice(&b[i..end]);
        }
        i = end;
    }
}

/// A PNG with only its critical chunks and transparency.
fn png(b: &[u8]) -> Option<Vec<u8>> {
    let mut out = PNG.to_vec();
    let mut rest = &b[PNG.len()..];
    while rest.len() >= 12 {
        let len = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        let chunk = rest.get(..12usize.checked_add(len)?)?;
        let kind = &chunk[4..8];
        if matches!(kind, b"IHDR" | b"PLTE" | b"tRNS" | b"IDAT" | b"IEND") {
            out.extend_from_slice(chunk);
        }
        if kind == b"IEND" {
            return Some(out);
        }
        rest = &rest[chunk.len()..];
    }
    None
}

/// A WebP without its EXIF and XMP chunks, its header's flags and size set to match.
fn webp(b: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::with_capacity(b.len());
    let mut rest = b.get(12..)?;
    while rest.len() >= 8 {
        let len = u32::from_le_bytes([rest[4], rest[5], rest[6], rest[7]]) as usize;
        // Chunks are padded to an even size.
        let padded = len.checked_add(len & 1)?;
        let chunk = rest.get(..8usize.checked_add(padded)?).or_else(|| rest.get(..8 + len))?;
        let kind = &chunk[..4];
        if kind != b"EXIF" && kind != b"XMP " {
            let at = body.len();
            body.extend_from_slice(chunk);
            if kind == b"VP8X" && body.len() > at + 8 {
                // The extended header's flags: EXIF (bit 3) and XMP (bit 2) are gone.
                body[at + 8] &= !0b0000_1100;
            }
        }
        rest = &rest[chunk.len()..];
    }
    if !rest.is_empty() {
        return None;
    }
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&u32::try_from(body.len() + 4).ok()?.to_le_bytes());
    out.extend_from_slice(b"WEBP");
    out.extend_from_slice(&body);
    Some(out)
}

/// Base64 text (as in a `data:` address), padded.
pub(crate) fn base64_encode(b: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(b)
}

/// The bytes base64 text stands for (white space between its characters ignored, as a `data:`
/// address wrapped over lines has it), or `None` when it is not base64.
pub(crate) fn base64_decode(text: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    let digits: Vec<u8> = text.bytes().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(digits).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn encoded(format: image::ImageFormat) -> Vec<u8> {
        let mut b = Vec::new();
        image::RgbImage::from_fn(16, 8, |x, y| image::Rgb([x as u8 * 9, y as u8 * 20, 90]))
            .write_to(&mut Cursor::new(&mut b), format)
            .unwrap();
        b
    }

    fn decoded(b: &[u8]) -> Vec<u8> {
        image::load_from_memory(b).unwrap().to_rgb8().into_raw()
    }

    #[test]
    fn jpeg_metadata_and_comments_go_and_the_pixels_stay() {
        let plain = encoded(image::ImageFormat::Jpeg);
        let mut tagged = plain[..2].to_vec();
        tagged.extend_from_slice(b"\xFF\xE1\x00\x10Exif\x00\x00GPS51N0W");
        tagged.extend_from_slice(b"\xFF\xFE\x00\x0Ataken at");
        tagged.extend_from_slice(&plain[2..]);
        let out = published(tagged).unwrap();
        assert!(!out.windows(4).any(|w| w == b"Exif") && !out.windows(8).any(|w| w == b"taken at"));
        assert_eq!(decoded(&out), decoded(&plain));
    }

    #[test]
    fn jpeg_bytes_after_the_end_of_image_go() {
        let plain = encoded(image::ImageFormat::Jpeg);
        let mut tagged = plain.clone();
        // A second picture with its own EXIF, as a phone's multi-picture file holds.
        tagged.extend_from_slice(b"\xFF\xD8\xFF\xE1\x00\x10Exif\x00\x00GPS51N0W\xFF\xD9");
        tagged.extend_from_slice(b"\x00\x00\x00\x1C\xA9xyz+51.5074-000.1278/");
        let out = published(tagged).unwrap();
        assert_eq!(out, plain, "the picture ends at its end-of-image marker");
        assert!(!out.windows(3).any(|w| w == b"GPS") && !out.windows(8).any(|w| w == b"+51.5074"));
    }

    #[test]
    fn gif_comments_and_xmp_go_and_looping_stays() {
        // A one-pixel GIF with a global colour table of two colours.
        let plain = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xFF\xFF\xFF\x00\x00\x00\x2C\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00\x3B";
        let end = plain.len() - 1;
        let mut tagged = plain[..end].to_vec();
        tagged.extend_from_slice(b"\x21\xFE\x0AGPS 51.5N \x00");
        tagged.extend_from_slice(b"\x21\xFF\x0BXMP DataXMP\x06GPS51N\x00");
        let looping = b"\x21\xFF\x0BNETSCAPE2.0\x03\x01\x00\x00\x00";
        tagged.extend_from_slice(looping);
        tagged.extend_from_slice(b";trailing GPS");
        let out = published(tagged).unwrap();
        let mut kept = plain[..end].to_vec();
        kept.extend_from_slice(looping);
        kept.push(0x3B);
        assert_eq!(out, kept, "the pixels and the looping stay, the comment, XMP and trailing bytes go");
        assert!(published(b"GIF89a\x01\x00".to_vec()).is_err(), "a damaged GIF is refused");
    }

    #[test]
    fn a_pdf_holding_a_photo_with_gps_is_refused() {
        let photo = |exif: &[u8]| {
            let plain = encoded(image::ImageFormat::Jpeg);
            let mut j = plain[..2].to_vec();
            j.extend_from_slice(&[0xFF, 0xE1]);
            j.extend_from_slice(&((exif.len() + 8) as u16).to_be_bytes());
            j.extend_from_slice(b"Exif\0\0");
            j.extend_from_slice(exif);
            j.extend_from_slice(&plain[2..]);
            let mut pdf = b"%PDF-1.4\n1 0 obj << /Filter /DCTDecode >>\nstream\n".to_vec();
            pdf.extend_from_slice(&j);
            pdf.extend_from_slice(b"\nendstream\nendobj\n%%EOF\n");
            pdf
        };
        // A TIFF header whose first directory holds one entry: the GPS directory (big-endian)
        // or the camera's make (little-endian).
        let gps = b"MM\0*\0\0\0\x08\0\x01\x88\x25\0\x04\0\0\0\x01\0\0\0\x1A\0\0\0\0";
        let make = b"II*\0\x08\0\0\0\x01\0\x0F\x01\x02\0\x04\0\0\0Cam\0\0\0\0\0";
        assert_eq!(published(photo(gps)).unwrap_err(), PDF_WITH_GPS);
        assert!(published(photo(make)).is_ok(), "a photo without a GPS position is kept");
        assert!(published(b"%PDF-1.4\n%%EOF\n".to_vec()).is_ok());
    }

    #[test]
    fn png_text_and_exif_chunks_go_and_the_pixels_stay() {
        let plain = encoded(image::ImageFormat::Png);
        let end = plain.len() - 12;
        let mut tagged = plain[..end].to_vec();
        for (kind, data) in [(&b"tEXt"[..], &b"GPS\x0051N"[..]), (b"eXIf", b"MM\x00*GPS")] {
            tagged.extend_from_slice(&(data.len() as u32).to_be_bytes());
            tagged.extend_from_slice(kind);
            tagged.extend_from_slice(data);
            tagged.extend_from_slice(&[0, 0, 0, 0]);
        }
        tagged.extend_from_slice(&plain[end..]);
        let out = published(tagged).unwrap();
        assert!(!out.windows(3).any(|w| w == b"GPS"));
        assert_eq!(decoded(&out), decoded(&plain));
    }

    #[test]
    fn webp_exif_goes() {
        let plain = encoded(image::ImageFormat::WebP);
        // The same picture as an extended WebP with an EXIF chunk.
        let mut body = b"VP8X\x0A\x00\x00\x00\x08\x00\x00\x00\x0F\x00\x00\x07\x00\x00".to_vec();
        body.extend_from_slice(&plain[12..]);
        body.extend_from_slice(b"EXIF\x08\x00\x00\x00GPS51N0W");
        let mut tagged = b"RIFF".to_vec();
        tagged.extend_from_slice(&((body.len() + 4) as u32).to_le_bytes());
        tagged.extend_from_slice(b"WEBP");
        tagged.extend_from_slice(&body);
        let out = published(tagged).unwrap();
        assert!(!out.windows(3).any(|w| w == b"GPS"));
        assert_eq!(out[20] & 0b1000, 0, "the header no longer says it holds EXIF");
        assert_eq!(decoded(&out), decoded(&plain));
    }

    #[test]
    fn other_files_are_kept_and_tiff_or_heic_refused() {
        assert_eq!(published(b"body { color: red }".to_vec()).unwrap(), b"body { color: red }");
        assert!(published(b"II*\x00rest".to_vec()).is_err());
        assert!(published(b"\x00\x00\x00\x18ftypheic\x00\x00".to_vec()).is_err());
        assert!(published(vec![0xFF, 0xD8, 0xFF, 0xE1, 0xFF]).is_err(), "a damaged JPEG is refused, not copied");
    }

    /// A JPEG whose EXIF holds a GPS directory and, when given, an orientation.
    fn photo_with_gps(orientation: Option<u16>) -> Vec<u8> {
        let plain = encoded(image::ImageFormat::Jpeg);
        let mut tiff = b"MM\0*\0\0\0\x08".to_vec();
        let n: u16 = if orientation.is_some() { 2 } else { 1 };
        tiff.extend_from_slice(&n.to_be_bytes());
        if let Some(o) = orientation {
            tiff.extend_from_slice(b"\x01\x12\0\x03\0\0\0\x01");
            tiff.extend_from_slice(&o.to_be_bytes());
            tiff.extend_from_slice(&[0, 0]);
        }
        // The GPS directory right after this one: latitude reference "N".
        let gps_at = 8 + 2 + 12 * u32::from(n) + 4;
        tiff.extend_from_slice(b"\x88\x25\0\x04\0\0\0\x01");
        tiff.extend_from_slice(&gps_at.to_be_bytes());
        tiff.extend_from_slice(&[0, 0, 0, 0]);
        tiff.extend_from_slice(b"\0\x01\0\x01\0\x02\0\0\0\x02N\0\0\0\0\0\0\0GPS51N0W");
        let mut j = plain[..2].to_vec();
        j.extend_from_slice(&[0xFF, 0xE1]);
        j.extend_from_slice(&((tiff.len() + 8) as u16).to_be_bytes());
        j.extend_from_slice(b"Exif\0\0");
        j.extend_from_slice(&tiff);
        j.extend_from_slice(&plain[2..]);
        j
    }

    fn holds(b: &[u8], what: &[u8]) -> bool {
        b.windows(what.len()).any(|w| w == what)
    }

    /// Outside test of issue 17: an SVG (a poster from Inkscape) embedding a phone photo as a
    /// `data:` address kept the photo's GPS position.
    #[test]
    fn a_picture_embedded_in_an_svg_loses_its_metadata() {
        let photo = photo_with_gps(None);
        assert!(holds(&photo, b"GPS51N0W"));
        let svg = |payload: &str| {
            format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n\
                 <image width=\"16\" height=\"8\" xlink:href=\"data:image/jpeg;base64,{payload}\"/>\n</svg>\n"
            )
        };
        let out = String::from_utf8(published(svg(&base64_encode(&photo)).into_bytes()).unwrap()).unwrap();
        let payload = out.split("base64,").nth(1).unwrap().split('"').next().unwrap();
        let inner = base64_decode(payload).unwrap();
        assert!(!holds(&inner, b"Exif") && !holds(&inner, b"GPS51N0W"), "the embedded photo keeps its EXIF");
        assert_eq!(decoded(&inner), decoded(&photo), "the embedded photo keeps its pixels");
        assert!(out.starts_with("<svg ") && out.ends_with("\"/>\n</svg>\n"));
        // An embedded TIFF cannot be stripped: the file is refused, naming the line.
        let tiff = svg(&base64_encode(b"II*\x00\x08\x00\x00\x00"));
        let why = published(tiff.into_bytes()).unwrap_err();
        assert!(why.contains("line 2") && why.contains("TIFF"), "{why}");
        // An SVG whose embedded picture has no metadata is kept byte for byte.
        let bare = svg(&base64_encode(&encoded(image::ImageFormat::Png)));
        assert_eq!(published(bare.clone().into_bytes()).unwrap(), bare.into_bytes());
    }

    /// Outside test of issue 17: a `.ico` holding a PNG with an `eXIf` chunk was published as is.
    #[test]
    fn a_png_inside_an_icon_loses_its_metadata() {
        let plain = encoded(image::ImageFormat::Png);
        let end = plain.len() - 12;
        let mut tagged = plain[..end].to_vec();
        let data = b"MM\x00*GPS51N0W";
        tagged.extend_from_slice(&(data.len() as u32).to_be_bytes());
        tagged.extend_from_slice(b"eXIf");
        tagged.extend_from_slice(data);
        tagged.extend_from_slice(&[0, 0, 0, 0]);
        tagged.extend_from_slice(&plain[end..]);
        let mut ico = vec![0, 0, 1, 0, 1, 0, 16, 8, 0, 0, 1, 0, 32, 0];
        ico.extend_from_slice(&(tagged.len() as u32).to_le_bytes());
        ico.extend_from_slice(&22u32.to_le_bytes());
        ico.extend_from_slice(&tagged);
        let out = published(ico).unwrap();
        assert!(!holds(&out, b"eXIf") && !holds(&out, b"GPS51N0W"), "the icon keeps its EXIF");
        let size = u32::from_le_bytes(out[14..18].try_into().unwrap()) as usize;
        let at = u32::from_le_bytes(out[18..22].try_into().unwrap()) as usize;
        assert_eq!(at + size, out.len(), "the directory names where the picture now is");
        assert_eq!(decoded(&out[at..at + size]), decoded(&plain));
        let mut cut = vec![0, 0, 1, 0, 1, 0, 16, 8, 0, 0, 1, 0, 32, 0];
        cut.extend_from_slice(&500u32.to_le_bytes());
        cut.extend_from_slice(&22u32.to_le_bytes());
        cut.extend_from_slice(&plain);
        assert!(published(cut).is_err(), "an icon whose pictures do not add up is refused");
    }

    /// Outside test of issue 17: a phone photo in `static/` lost its orientation with its EXIF
    /// and showed sideways. Only the orientation is kept: no GPS, no maker.
    #[test]
    fn a_jpeg_keeps_its_orientation_and_nothing_else() {
        let out = published(photo_with_gps(Some(6))).unwrap();
        assert!(!holds(&out, b"GPS51N0W") && !holds(&out, &[0x88, 0x25]), "the GPS position stays");
        let decoder = image::ImageReader::new(Cursor::new(&out)).with_guessed_format().unwrap();
        let decoder = image::ImageDecoder::orientation(&mut decoder.into_decoder().unwrap());
        assert_eq!(decoder.unwrap(), image::metadata::Orientation::Rotate90);
        assert_eq!(decoded(&out), decoded(&photo_with_gps(Some(6))));
        // Upright already: no EXIF at all.
        let upright = published(photo_with_gps(Some(1))).unwrap();
        assert!(!holds(&upright, b"Exif"));
        assert!(!holds(&published(photo_with_gps(None)).unwrap(), b"Exif"));
    }
}
