//! The statistics: Wilson score intervals and Newcombe's hybrid score interval for a difference.
//! Pure functions of counts; the confidence level's `z` comes from the benchmark data.

/// A point estimate with its interval.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Estimate {
    pub value: f64,
    pub lo: f64,
    pub hi: f64,
}

/// A share and its interval as percentages, printed so that the printed share always lies inside
/// the printed interval and the interval has width: whole percent where that holds, more decimal
/// places where it does not (500 of 200,000 reads "0.2% (0.2–0.3%)", never "0% (0.2–0.3%)").
pub fn share_parts(e: &Estimate) -> (String, String, String) {
    let at = |v: f64, d: usize| format!("{:.*}", d, v * 100.0);
    let num = |s: &str| s.parse::<f64>().unwrap_or(f64::NAN);
    for d in 0..=4 {
        let bounds = d.max(1);
        let (v, lo, hi) = (at(e.value, d), at(e.lo, bounds), at(e.hi, bounds));
        let inside = num(&lo) <= num(&v) && num(&v) <= num(&hi);
        let has_width = e.hi - e.lo < 1e-12 || lo != hi;
        if inside && has_width {
            return (v, lo, hi);
        }
    }
    (at(e.value, 4), at(e.lo, 4), at(e.hi, 4))
}

/// "25% (14.1–39.9%)": [`share_parts`] as one phrase.
pub fn share_text(e: &Estimate) -> String {
    let (v, lo, hi) = share_parts(e);
    format!("{v}% ({lo}–{hi}%)")
}

/// "0.50 (0.22 to 1.11)": a ratio and its interval for reading; an unbounded end says so.
pub fn ratio_text(r: &Estimate) -> String {
    let f = |v: f64| if v.is_finite() { format!("{v:.2}") } else { "unbounded".to_string() };
    let value = if r.value.is_nan() { "undefined".to_string() } else { f(r.value) };
    format!("{value} ({} to {})", f(r.lo), f(r.hi))
}

/// "0.8 to 1.25".
pub fn bounds_text(b: (f64, f64)) -> String {
    format!("{} to {}", b.0, b.1)
}

/// Wilson score interval for `x` successes out of `n` (Wilson 1927; Newcombe 1998a, method 3).
/// Well behaved at small `n` and at 0% and 100%, where the Wald interval collapses.
pub fn wilson(x: u64, n: u64, z: f64) -> Estimate {
    assert!(n > 0 && x <= n, "wilson needs 0 <= x <= n and n > 0");
    let n_f = n as f64;
    let p = x as f64 / n_f;
    let z2 = z * z;
    let denom = 1.0 + z2 / n_f;
    let centre = (p + z2 / (2.0 * n_f)) / denom;
    let half = z / denom * (p * (1.0 - p) / n_f + z2 / (4.0 * n_f * n_f)).sqrt();
    // At the edges the exact bound is 0 or 1; floating point would leave a hair's breadth.
    let lo = if x == 0 { 0.0 } else { (centre - half).max(0.0) };
    let hi = if x == n { 1.0 } else { (centre + half).min(1.0) };
    Estimate { value: p, lo, hi }
}

/// Newcombe's hybrid score interval (1998b, method 10) for `x1/n1 − x2/n2`.
pub fn newcombe(x1: u64, n1: u64, x2: u64, n2: u64, z: f64) -> Estimate {
    let a = wilson(x1, n1, z);
    let b = wilson(x2, n2, z);
    let d = a.value - b.value;
    let lo = d - ((a.value - a.lo).powi(2) + (b.hi - b.value).powi(2)).sqrt();
    let hi = d + ((a.hi - a.value).powi(2) + (b.value - b.lo).powi(2)).sqrt();
    Estimate { value: d, lo, hi }
}

/// Koopman's (1984) score interval for the ratio `(x1/n1) / (x2/n2)` of two independent
/// proportions: every ratio `φ` whose Pearson score statistic, with both proportions estimated
/// under `p1 = φ·p2`, stays within `z²`. It keeps its coverage at small counts, where the
/// log-ratio (Katz) interval does not. The bounds are found by bisection on `log φ`, since the
/// statistic rises monotonically on either side of the observed ratio. `hi` is infinite when
/// `x2 = 0`; `lo` is 0 when `x1 = 0`.
pub fn koopman(x1: u64, n1: u64, x2: u64, n2: u64, z: f64) -> Estimate {
    assert!(n1 > 0 && n2 > 0 && x1 <= n1 && x2 <= n2, "koopman needs 0 <= x <= n and n > 0");
    let (p1, p2) = (x1 as f64 / n1 as f64, x2 as f64 / n2 as f64);
    let value = if x2 == 0 { f64::INFINITY } else { p1 / p2 };
    if x1 == 0 && x2 == 0 {
        return Estimate { value: f64::NAN, lo: 0.0, hi: f64::INFINITY };
    }
    let crit = z * z;
    let outside = |phi: f64| koopman_statistic(x1, n1, x2, n2, phi) > crit;
    // A ratio of proportions from counts this size never lies outside 1e-9..1e9.
    let (floor, ceiling) = (1e-9_f64, 1e9_f64);
    let lo = if x1 == 0 { 0.0 } else { bisect(floor, value.min(ceiling), |phi| !outside(phi)) };
    let hi = if x2 == 0 { f64::INFINITY } else { bisect(value.max(floor), ceiling, outside) };
    Estimate { value, lo, hi }
}

/// Whether Koopman's interval lies within `[lo, hi]` (with `lo <= 1 <= hi`), without finding
/// its ends: the statistic rises on either side of the observed ratio, so the interval is inside
/// exactly when the observed ratio is, and both bounds are rejected. A verdict over every value a
/// withheld count could take asks this many times, so it must be cheap.
pub fn koopman_within(x1: u64, n1: u64, x2: u64, n2: u64, z: f64, bounds: (f64, f64)) -> bool {
    if x1 == 0 || x2 == 0 {
        // The interval reaches 0 or infinity.
        return false;
    }
    let value = (x1 as f64 / n1 as f64) / (x2 as f64 / n2 as f64);
    let crit = z * z;
    (bounds.0..=bounds.1).contains(&value)
        && koopman_statistic(x1, n1, x2, n2, bounds.0) >= crit
        && koopman_statistic(x1, n1, x2, n2, bounds.1) >= crit
}

/// Pearson's statistic for `H0: p1 = φ·p2`, with the restricted maximum-likelihood estimates of
/// Koopman (1984): `p̃2` is the smaller root of `Nφ·p² − (n1φ + x1 + n2 + x2φ)·p + (x1 + x2) = 0`.
pub fn koopman_statistic(x1: u64, n1: u64, x2: u64, n2: u64, phi: f64) -> f64 {
    let (x1f, n1f, x2f, n2f) = (x1 as f64, n1 as f64, x2 as f64, n2 as f64);
    let a = phi * (n1f + n2f);
    let b = -(n1f * phi + x1f + n2f + x2f * phi);
    let c = x1f + x2f;
    let p2 = ((-b - (b * b - 4.0 * a * c).max(0.0).sqrt()) / (2.0 * a)).clamp(0.0, 1.0);
    let p1 = (phi * p2).clamp(0.0, 1.0);
    let term = |x: f64, n: f64, p: f64| {
        let v = n * p * (1.0 - p);
        if v <= 0.0 { if (x - n * p).abs() < 1e-12 { 0.0 } else { f64::INFINITY } } else { (x - n * p).powi(2) / v }
    };
    term(x1f, n1f, p1) + term(x2f, n2f, p2)
}

/// The boundary between `lo` (where `past` is false) and `hi` (where it is true), on a log scale.
fn bisect(mut lo: f64, mut hi: f64, past: impl Fn(f64) -> bool) -> f64 {
    for _ in 0..200 {
        let mid = (lo.ln() + hi.ln()) / 2.0;
        let mid = mid.exp();
        if past(mid) {
            hi = mid
        } else {
            lo = mid
        }
        if hi / lo - 1.0 < 1e-12 {
            break;
        }
    }
    (lo + hi) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    const Z: f64 = 1.959_963_984_540_054;

    #[test]
    fn a_printed_share_lies_inside_its_printed_interval() {
        // The outside check's case: 500 of 200,000 printed "0% (0.2–0.3%)".
        let e = wilson(500, 200_000, Z);
        assert_eq!(share_text(&e), "0.2% (0.2–0.3%)");
        assert_eq!(share_text(&wilson(15, 60, Z)), "25% (15.8–37.2%)");
        assert_eq!(share_text(&wilson(0, 40, Z)), "0% (0.0–8.8%)");
        assert_eq!(share_text(&wilson(40, 40, Z)), "100% (91.2–100.0%)");
        // Every share of every size reads consistently.
        for n in [1u64, 7, 60, 999, 200_000, 5_000_000] {
            for x in [0, 1, 2, n / 3, n / 2, n - 1, n] {
                let e = wilson(x.min(n), n, Z);
                let (v, lo, hi) = share_parts(&e);
                let (v, lo, hi): (f64, f64, f64) = (v.parse().unwrap(), lo.parse().unwrap(), hi.parse().unwrap());
                assert!(lo <= v && v <= hi, "{x} of {n}: {}", share_text(&e));
                assert!(lo < hi, "{x} of {n}: {}", share_text(&e));
            }
        }
    }

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    /// Newcombe (1998a) Table II, method 3 (Wilson score without continuity correction).
    #[test]
    fn wilson_matches_newcombe_1998a() {
        for (x, n, lo, hi) in
            [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718)]
        {
            let e = wilson(x, n, Z);
            assert!(close(e.lo, lo, 0.00006) && close(e.hi, hi, 0.00006), "{x}/{n}: {e:?}");
        }
    }

    /// Newcombe (1998b) Table II, method 10.
    #[test]
    fn newcombe_matches_newcombe_1998b() {
        for (x1, n1, x2, n2, lo, hi) in [
            (56, 70, 48, 80, 0.0524, 0.3339),
            (9, 10, 3, 10, 0.1705, 0.8090),
            (6, 7, 2, 7, 0.0582, 0.8062),
            (5, 56, 0, 29, -0.0381, 0.1926),
            (0, 10, 0, 20, -0.1611, 0.2775),
            (10, 10, 0, 20, 0.6791, 1.0),
        ] {
            let e = newcombe(x1, n1, x2, n2, Z);
            assert!(close(e.lo, lo, 0.00006) && close(e.hi, hi, 0.00006), "{x1}/{n1} - {x2}/{n2}: {e:?}");
        }
    }

    /// TOOLKIT.md §2.4 and §2.5 worked examples (z = 1.96).
    #[test]
    fn toolkit_worked_examples() {
        let s = wilson(15, 60, 1.96);
        assert!(close(s.lo, 0.158, 0.0005) && close(s.hi, 0.372, 0.0005), "{s:?}");
        let a = wilson(120, 400, 1.96);
        assert!(close(a.lo, 0.257, 0.0005) && close(a.hi, 0.347, 0.0005), "{a:?}");
        let g = newcombe(18, 30, 30, 40, 1.96);
        assert!(close(g.value, -0.15, 1e-9));
        assert!(close(g.lo, -0.357, 0.0005) && close(g.hi, 0.066, 0.0005), "{g:?}");
        let g = newcombe(45, 75, 80, 100, 1.96);
        assert!(close(g.lo, -0.331, 0.0005) && close(g.hi, -0.064, 0.0005), "{g:?}");
    }

    /// Koopman (1984)'s worked example (36/40 against 16/80: 2.94 to 7.15), and further values
    /// checked against statsmodels 0.15 `confint_proportions_2indep(method="score",
    /// compare="ratio", correction=False)`, which implements Koopman's interval. (At `x1 = n1`
    /// statsmodels stops its lower bound where `p̃1` reaches 1; the statistic itself is below
    /// `z²` there, so this implementation follows the statistic.)
    #[test]
    fn koopman_matches_published_and_statsmodels_values() {
        for (x1, n1, x2, n2, lo, hi) in [
            (36, 40, 16, 80, 2.939_569, 7.152_223),
            (8, 200, 16, 200, 0.223_192, 1.113_692),
            (10, 40, 20, 40, 0.265_680, 0.904_588),
            (45, 75, 80, 100, 0.598_090, 0.913_332),
            (131, 200, 100, 200, 1.106_213, 1.560_190),
            (0, 20, 5, 20, 0.0, 0.688_270),
        ] {
            let e = koopman(x1, n1, x2, n2, Z);
            assert!(close(e.lo, lo, 2e-5) && close(e.hi, hi, 2e-5), "{x1}/{n1} over {x2}/{n2}: {e:?}");
        }
        let e = koopman(5, 20, 0, 20, Z);
        assert!(close(e.lo, 1.452_918, 2e-5) && e.hi.is_infinite(), "{e:?}");
    }

    /// The quick test agrees with the interval it stands for.
    #[test]
    fn koopman_within_agrees_with_the_interval() {
        let b = (0.8, 1.25);
        for x1 in (0..=60).step_by(3) {
            for x2 in (0..=60).step_by(4) {
                let e = koopman(x1, 60, x2, 60, Z);
                let inside = e.lo >= b.0 && e.hi <= b.1;
                assert_eq!(koopman_within(x1, 60, x2, 60, Z, b), inside, "{x1}/60 over {x2}/60: {e:?}");
            }
        }
        assert!(koopman_within(400, 500, 390, 500, Z, b));
        assert!(!koopman_within(10, 250, 20, 250, Z, b));
    }

    #[test]
    fn extremes_stay_inside_zero_and_one() {
        let all = wilson(12, 12, 1.96);
        assert_eq!(all.hi, 1.0);
        assert!(all.lo > 0.7);
        let none = wilson(0, 12, 1.96);
        assert_eq!(none.lo, 0.0);
        assert!(none.hi < 0.3);
    }

    #[test]
    fn favourable_bound_example_from_toolkit() {
        // 9 of 200 is the most favourable a withheld count can be; still below 39%.
        assert!(wilson(9, 200, 1.96).hi < 0.39);
        assert!(close(wilson(9, 200, 1.96).hi, 0.083, 0.001));
    }
}
