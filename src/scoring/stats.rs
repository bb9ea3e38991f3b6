//! The statistics: Wilson score intervals and Newcombe's hybrid score interval for a difference.
//! Pure functions of counts; the confidence level's `z` comes from the benchmark data.

/// A point estimate with its interval.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Estimate {
    pub value: f64,
    pub lo: f64,
    pub hi: f64,
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

#[cfg(test)]
mod tests {
    use super::*;

    const Z: f64 = 1.959_963_984_540_054;

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
