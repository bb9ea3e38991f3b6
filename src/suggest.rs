//! "Did you mean …?" hints for names a user mistyped (employers, chapters, benchmark sets).

/// "; did you mean `x`?" when a known name is within two edits (Levenshtein, via `strsim`).
pub fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    closest_name(word, candidates).map(|c| format!("; did you mean `{c}`?")).unwrap_or_default()
}

/// The known name within two edits of `word` (the nearest; the first in order of a tie).
/// A candidate whose length differs from the word's by more than two is never within two edits,
/// and is passed over without comparing them: a long word costs nothing against short names.
pub fn closest_name<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let len = word.chars().count();
    candidates
        .filter(|c| c.chars().count().abs_diff(len) <= 2)
        .map(|c| (strsim::levenshtein(word, c), c))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_names_are_suggested_and_far_ones_not() {
        assert_eq!(
            closest("northgate-rial", ["northgate-rail", "other"].into_iter()),
            "; did you mean `northgate-rail`?"
        );
        assert_eq!(closest("zzz", ["northgate-rail"].into_iter()), "");
    }
}
