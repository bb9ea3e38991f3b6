//! "Did you mean …?" hints for names a user mistyped (employers, chapters, benchmark sets).

/// "; did you mean `x`?" when a known name is within two edits (Levenshtein, via `strsim`).
pub fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    candidates
        .map(|c| (strsim::levenshtein(word, c), c))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, c)| format!("; did you mean `{c}`?"))
        .unwrap_or_default()
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
