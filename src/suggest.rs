//! "Did you mean …?" hints for names a user mistyped (employers, chapters, benchmark sets).

/// "; did you mean `x`?" when a known name is within two edits (Levenshtein, via `strsim`), and
/// the invisible character a word pasted from Word, Excel or a web page carries, if any (else the
/// hint reads as the same word: "`North West` is not a region; did you mean `North West`?").
pub fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    let hint = closest_name(word, candidates).map(|c| format!("; did you mean `{c}`?")).unwrap_or_default();
    format!("{hint}{}", invisible(word))
}

/// "; it holds a non-breaking space (U+00A0), which looks like a space: retype it" for the first
/// character of `word` that cannot be seen or looks like another; empty when there is none.
pub fn invisible(word: &str) -> String {
    let named = |c: char| match c {
        '\u{00A0}' => Some("a non-breaking space"),
        '\u{200B}' => Some("a zero-width space"),
        '\u{200C}' | '\u{200D}' | '\u{2060}' => Some("an invisible joiner"),
        '\u{FEFF}' => Some("a byte-order mark"),
        '\u{00AD}' => Some("a soft hyphen"),
        '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => Some("a special space"),
        '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => Some("a direction mark"),
        _ => None,
    };
    let unseen = word.chars().find_map(|c| {
        named(c).map(|n| {
            format!("; it holds {n} (U+{:04X}), which cannot be told from a space or nothing: retype it", c as u32)
        })
    });
    unseen.or_else(|| look_alike(word)).unwrap_or_default()
}

/// A Greek or Cyrillic letter in a word otherwise written in Latin letters (`North Eаst` with
/// a Cyrillic `а`): it looks the same, so a did-you-mean would read as the same word.
fn look_alike(word: &str) -> Option<String> {
    let latin = word.chars().any(|c| c.is_ascii_alphabetic());
    let other = word.chars().find(|&c| matches!(c, '\u{0370}'..='\u{03FF}' | '\u{0400}'..='\u{04FF}'))?;
    latin.then(|| {
        format!(
            "; its `{other}` (U+{:04X}) is a letter of another alphabet that looks like a Latin one: retype it",
            other as u32
        )
    })
}

/// The known name within two edits of `word` (the nearest; the first in order of a tie).
/// A candidate whose length differs from the word's by more than two is never within two edits,
/// and is passed over without comparing them: a long word costs nothing against short names.
/// A word written with `&` for "and" (`Health & social care`) is compared as written with "and".
pub fn closest_name<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let candidates: Vec<&'a str> = candidates.collect();
    let near = |word: &str| {
        let len = word.chars().count();
        candidates
            .iter()
            .filter(|c| c.chars().count().abs_diff(len) <= 2)
            .map(|&c| (strsim::levenshtein(word, c), c))
            .filter(|(d, _)| *d <= 2)
            .min()
            .map(|(_, c)| c)
    };
    // `north-west` for `North West`: capitals and joiners aside, the same name.
    let loose = |w: &str| w.to_lowercase().replace(['-', '_'], " ");
    near(word)
        .or_else(|| word.contains('&').then(|| near(&word.replace('&', "and"))).flatten())
        .or_else(|| candidates.iter().find(|c| loose(c) == loose(word)).copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Outside round 5 of issue 17: "`North West` is not a region; did you mean `North West`?"
    /// did not say the first holds a non-breaking space.
    #[test]
    fn an_invisible_character_is_named() {
        let hint = closest("North\u{A0}West", ["North West"].into_iter());
        assert_eq!(
            hint,
            "; did you mean `North West`?; it holds a non-breaking space (U+00A0), which cannot be told from a space \
             or nothing: retype it"
        );
        assert!(invisible("Retail\u{200B}").contains("zero-width space (U+200B)"));
        // `&` for "and", as company literature writes it.
        assert_eq!(
            closest_name("Yorkshire & The Humber", ["North East", "Yorkshire and The Humber"].into_iter()),
            Some("Yorkshire and The Humber")
        );
        assert_eq!(invisible("Retail"), "");
        // Round 10 of issue 17: `north-west` got no did-you-mean.
        assert_eq!(closest_name("north-west", ["North East", "North West"].into_iter()), Some("North West"));
        // Outside round 12 of issue 17, item 13: a Cyrillic `а` in `North Eаst`.
        assert!(
            closest("North E\u{430}st", ["North East"].into_iter()).contains("`а` (U+0430) is a letter of another")
        );
    }

    #[test]
    fn near_names_are_suggested_and_far_ones_not() {
        assert_eq!(
            closest("northgate-rial", ["northgate-rail", "other"].into_iter()),
            "; did you mean `northgate-rail`?"
        );
        assert_eq!(closest("zzz", ["northgate-rail"].into_iter()), "");
    }
}
