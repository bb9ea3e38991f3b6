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
        return jpeg(&bytes).ok_or_else(|| "the JPEG picture is damaged (its segments do not add up)".to_string());
    }
    if bytes.starts_with(PNG) {
        return png(&bytes).ok_or_else(|| "the PNG picture is damaged (its chunks do not add up)".to_string());
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
    Ok(bytes)
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";

/// A JPEG without its application segments but APP0 (JFIF) and without comments.
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
            out.extend_from_slice(&b[i..]);
            return Some(out);
        }
        let len = usize::from(u16::from_be_bytes([*b.get(i + 2)?, *b.get(i + 3)?]));
        let end = i.checked_add(2 + len).filter(|&e| e <= b.len() && len >= 2)?;
        // Start of scan: the pixels and everything after them are kept as they are.
        if marker == 0xDA {
            out.extend_from_slice(&b[i..]);
            return Some(out);
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
}
