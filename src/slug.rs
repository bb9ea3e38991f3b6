//! Slugs: the only names that become file and folder names in the output.

/// `text` in Unicode's composed form (NFC), the form most programs write: macOS writes file
/// names decomposed (NFD, `e` then a combining accent for `é`), and text pasted from them may
/// be, so that two names which look the same differ in their bytes. Names and file names are
/// compared in this form. ASCII and text already composed are returned as they are, uncopied.
pub fn nfc(text: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
    // ASCII is composed, and starts afresh whatever follows it: only the text from the first
    // other character on needs the (slower) quick check. Most stories are ASCII up to an
    // em dash or a curly quote well into them.
    let ascii = ascii_prefix(text.as_bytes());
    if ascii == text.len() || is_nfc_quick(text[ascii..].chars()) == IsNormalized::Yes {
        return std::borrow::Cow::Borrowed(text);
    }
    let composed: String = text.nfc().collect();
    if composed == text { std::borrow::Cow::Borrowed(text) } else { std::borrow::Cow::Owned(composed) }
}

/// How many bytes at the start of `bytes` are ASCII, found a block at a time (`is_ascii` reads
/// a word at a time), so the count ends at a character boundary.
fn ascii_prefix(bytes: &[u8]) -> usize {
    const BLOCK: usize = 64;
    let mut at = 0;
    while at + BLOCK <= bytes.len() && bytes[at..at + BLOCK].is_ascii() {
        at += BLOCK;
    }
    at + bytes[at..].iter().position(|b| !b.is_ascii()).unwrap_or(bytes.len() - at)
}

/// Lower-case ASCII letters, digits and single hyphens; nothing that can climb out of a folder.
/// A letter with an accent keeps its letter (`Café` → `cafe`, however the `é` is encoded).
pub fn slugify(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(text.len());
    let mut hyphen = false;
    for c in text.nfkd().filter(|c| !unicode_normalization::char::is_combining_mark(*c)) {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            hyphen = false;
        } else if !out.is_empty() && !hyphen {
            out.push('-');
            hyphen = true;
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// A slug given by a file name must already be in slug form, so URLs are what the author expects.
pub fn is_valid(slug: &str) -> bool {
    !slug.is_empty() && slugify(slug) == slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_folds_punctuation() {
        assert_eq!(slugify("Getting in — and on!"), "getting-in-and-on");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
    }

    /// Outside round 17b, item 5: `Café` written composed (NFC) and as macOS writes it (NFD)
    /// made two slugs (`caf` and `cafe`).
    #[test]
    fn accents_are_kept_as_their_letter_in_either_form() {
        assert_eq!(slugify("Caf\u{e9} and Bar"), "cafe-and-bar");
        assert_eq!(slugify("Cafe\u{301} and Bar"), "cafe-and-bar");
        assert_eq!(nfc("Cafe\u{301}"), "Caf\u{e9}");
        assert!(matches!(nfc("plain"), std::borrow::Cow::Borrowed(_)));
        assert!(matches!(nfc("Caf\u{e9}"), std::borrow::Cow::Borrowed(_)));
        // An accent just after a long ASCII start (at the edge of the blocks read at once, and
        // past it) is still put together with its letter.
        for n in [62, 63, 64, 65, 127, 128, 200] {
            let ascii = "e".repeat(n);
            assert_eq!(nfc(&format!("{ascii}\u{301} x")), format!("{}\u{e9} x", &ascii[1..]), "{n}");
            assert!(matches!(nfc(&format!("{ascii}\u{2014} x")), std::borrow::Cow::Borrowed(_)));
        }
    }

    #[test]
    fn validity() {
        assert!(is_valid("northgate-rail"));
        assert!(!is_valid("Northgate"));
        assert!(!is_valid("../x"));
        assert!(!is_valid(""));
    }
}
