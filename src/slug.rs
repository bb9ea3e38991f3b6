//! Slugs: the only names that become file and folder names in the output.

/// Lower-case ASCII letters, digits and single hyphens; nothing that can climb out of a folder.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut hyphen = false;
    for c in text.chars() {
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

    #[test]
    fn validity() {
        assert!(is_valid("northgate-rail"));
        assert!(!is_valid("Northgate"));
        assert!(!is_valid("../x"));
        assert!(!is_valid(""));
    }
}
