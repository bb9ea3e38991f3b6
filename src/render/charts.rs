//! Charts as inline SVG, built at build time: deterministic text, a `<title>` and `<desc>` for
//! screen readers, and always a data table beside them on the page.

use crate::scoring::Judgement;
use crate::scoring::stats::Estimate;
use std::fmt::Write;

/// One row of a chart: a label, the estimate when it may be shown, and the judgement in words.
pub struct Row<'a> {
    pub label: String,
    pub estimate: Option<Estimate>,
    pub judgement: Judgement,
    pub note: &'a str,
    /// Draw a break-in-series line above this row (the benchmark set changed before it).
    pub break_before: bool,
}

const WIDTH: f64 = 640.0;
const LEFT: f64 = 150.0;
const RIGHT: f64 = 24.0;
const ROW: f64 = 34.0;
const TOP: f64 = 28.0;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A coordinate with one decimal, exactly as `{:.1}` writes it (the same bytes), without the
/// float-to-decimal routine that `{:.1}` runs: chart coordinates are most of the fixed-point
/// numbers a build prints, and that routine was about 1% of a 50,000-story build. Values near a
/// rounding tie, and any value too large for the shortcut, are handed to `{:.1}` itself.
struct Px(f64);

impl std::fmt::Display for Px {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let x = self.0;
        let tenths = x.abs() * 10.0;
        let whole = tenths.floor();
        let frac = tenths - whole;
        if !tenths.is_finite() || tenths >= 1e9 || (frac - 0.5).abs() < 1e-6 {
            return write!(f, "{x:.1}");
        }
        let n = whole as u64 + u64::from(frac > 0.5);
        let sign = if x.is_sign_negative() { "-" } else { "" };
        write!(f, "{sign}{}.{}", n / 10, n % 10)
    }
}

/// x position of a value on an axis from `min` to `max`.
fn x_of(v: f64, min: f64, max: f64) -> f64 {
    LEFT + (v.clamp(min, max) - min) / (max - min) * (WIDTH - LEFT - RIGHT)
}

fn frame(id: &str, title: &str, desc: &str, rows: usize) -> (String, f64) {
    let height = TOP + ROW * rows as f64 + 30.0;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" width="100%" aria-labelledby="{id}-t {id}-d" xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        esc(title),
        esc(desc)
    );
    (s, height)
}

fn axis(s: &mut String, height: f64, ticks: &[(f64, String)], min: f64, max: f64) {
    let base = height - 24.0;
    let _ = write!(s, r#"<line class="axis" x1="{LEFT}" y1="{base}" x2="{}" y2="{base}"/>"#, WIDTH - RIGHT);
    for (v, label) in ticks {
        let x = Px(x_of(*v, min, max));
        let _ = write!(
            s,
            r#"<line class="tick" x1="{x}" y1="{TOP}" x2="{x}" y2="{base}"/><text class="tick-label" x="{x}" y="{}" text-anchor="middle">{}</text>"#,
            base + 16.0,
            esc(label)
        );
    }
}

fn marker(s: &mut String, y: f64, row: &Row<'_>, min: f64, max: f64, scale: f64) {
    if row.break_before {
        // A dashed rule with words: the series before and after are not directly comparable.
        let yb = y - ROW / 2.0;
        let _ = write!(
            s,
            r#"<line class="series-break" x1="{LEFT}" y1="{yb}" x2="{}" y2="{yb}" stroke-dasharray="6 4"/><text class="series-break-label" x="{}" y="{}" text-anchor="end">break in series</text>"#,
            WIDTH - RIGHT,
            WIDTH - RIGHT,
            yb - 3.0
        );
    }
    let _ = write!(
        s,
        r#"<text class="row-label" x="{}" y="{}" text-anchor="end">{}</text>"#,
        LEFT - 8.0,
        y + 4.0,
        esc(&row.label)
    );
    match row.estimate {
        Some(e) => {
            let (x0, x1, xv) = (
                Px(x_of(e.lo * scale, min, max)),
                Px(x_of(e.hi * scale, min, max)),
                Px(x_of(e.value * scale, min, max)),
            );
            let _ = write!(
                s,
                r#"<line class="interval tone-{tone}" x1="{x0}" y1="{y}" x2="{x1}" y2="{y}"/><circle class="point tone-{tone}" cx="{xv}" cy="{y}" r="5"/>"#,
                tone = tone(row.judgement)
            );
        }
        None => {
            let _ =
                write!(s, r#"<text class="no-estimate" x="{}" y="{}">{}</text>"#, LEFT + 6.0, y + 4.0, esc(row.note));
        }
    }
}

fn tone(j: Judgement) -> &'static str {
    match j.tone() {
        crate::scoring::Tone::Meets => "meets",
        crate::scoring::Tone::Misses => "misses",
        crate::scoring::Tone::Unclear => "unclear",
    }
}

fn pct(v: f64) -> String {
    format!("{:.0}%", v * 100.0)
}

/// Shares with their intervals against a benchmark line (0–100%).
pub fn shares(id: &str, title: &str, rows: &[Row<'_>], benchmark: f64) -> String {
    let desc = describe(
        rows,
        |e| {
            let (v, lo, hi) = crate::scoring::stats::share_parts(e);
            format!("{v}% (95% interval {lo}% to {hi}%)")
        },
        &format!("benchmark {}", pct(benchmark)),
    );
    let (mut s, height) = frame(id, title, &desc, rows.len());
    let ticks: Vec<(f64, String)> = (0..=4).map(|i| (i as f64 * 25.0, format!("{}%", i * 25))).collect();
    axis(&mut s, height, &ticks, 0.0, 100.0);
    for (i, r) in rows.iter().enumerate() {
        marker(&mut s, TOP + ROW * i as f64 + ROW / 2.0, r, 0.0, 100.0, 100.0);
    }
    let bx = Px(x_of(benchmark * 100.0, 0.0, 100.0));
    let _ = write!(
        s,
        r#"<line class="benchmark" x1="{bx}" y1="{}" x2="{bx}" y2="{}"/><text class="benchmark-label" x="{bx}" y="{}" text-anchor="middle">Benchmark {}</text></svg>"#,
        TOP - 6.0,
        height - 24.0,
        TOP - 10.0,
        pct(benchmark)
    );
    s
}

/// Differences (percentage points) with their intervals against zero, with the comparable band.
pub fn gaps(id: &str, title: &str, rows: &[Row<'_>], margin: f64) -> String {
    let desc = describe(
        rows,
        |e| format!("{:+.0} points (95% interval {:+.0} to {:+.0})", e.value * 100.0, e.lo * 100.0, e.hi * 100.0),
        &format!("comparable within ±{:.0} points", margin * 100.0),
    );
    let (mut s, height) = frame(id, title, &desc, rows.len());
    let (min, max) = (-50.0, 50.0);
    let (m0, m1) = (x_of(-margin * 100.0, min, max), x_of(margin * 100.0, min, max));
    let _ = write!(
        s,
        r#"<rect class="margin-band" x="{}" y="{TOP}" width="{}" height="{}"/>"#,
        Px(m0),
        Px(m1 - m0),
        Px(height - 24.0 - TOP)
    );
    let ticks: Vec<(f64, String)> = [-50.0, -25.0, 0.0, 25.0, 50.0].iter().map(|&v| (v, format!("{v:+.0}"))).collect();
    axis(&mut s, height, &ticks, min, max);
    let z = Px(x_of(0.0, min, max));
    let _ = write!(s, r#"<line class="benchmark" x1="{z}" y1="{}" x2="{z}" y2="{}"/>"#, TOP - 6.0, height - 24.0);
    for (i, r) in rows.iter().enumerate() {
        marker(&mut s, TOP + ROW * i as f64 + ROW / 2.0, r, min, max, 100.0);
    }
    s.push_str("</svg>");
    s
}

fn describe(rows: &[Row<'_>], fmt: impl Fn(&Estimate) -> String, reference: &str) -> String {
    let parts: Vec<String> = rows
        .iter()
        .map(|r| {
            let brk = if r.break_before { "break in series, then " } else { "" };
            match &r.estimate {
                Some(e) => format!("{brk}{}: {}, {}", r.label, fmt(e), r.judgement.text().to_lowercase()),
                None => format!("{brk}{}: {}", r.label, r.note),
            }
        })
        .collect();
    format!("{}; {reference}.", parts.join("; "))
}

/// An embeddable badge: the employer, its headline and the year, linking back to the scorecard.
/// `targets` is the headline's data-target summary (e.g. "Data targets not yet assessable").
pub fn badge(name: &str, targets: &str, practices: usize, applicable: usize, year: Option<i32>) -> String {
    let line1 = targets.to_string();
    let line2 = format!("{practices} of {applicable} must-have practices");
    let year = year.map(|y| format!(" · {y}")).unwrap_or_default();
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="72" viewBox="0 0 300 72" role="img"><title>{name}: {line1}; {line2}{year}</title><rect width="300" height="72" rx="6" fill="#1d3557"/><text x="12" y="22" fill="#fff" font-family="sans-serif" font-size="13" font-weight="bold">{name_short}</text><text x="12" y="42" fill="#f1faee" font-family="sans-serif" font-size="12">{line1}</text><text x="12" y="60" fill="#f1faee" font-family="sans-serif" font-size="12">{line2}{year}</text></svg>"##,
        name = esc(name),
        name_short = esc(&truncate(name, 38)),
        line1 = esc(&line1),
        line2 = esc(&line2),
        year = esc(&year),
    )
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_string() } else { format!("{}…", s.chars().take(n - 1).collect::<String>()) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The shortcut writes the very bytes `{:.1}` does: chart coordinates, ties, tiny and
        /// negative values, and values far past any chart.
        #[test]
        fn coordinates_are_written_as_the_standard_formatting_writes_them(
            x in prop_oneof![0.0..700.0f64, -700.0..0.0f64, -1e12..1e12f64, (0u32..20_000).prop_map(|k| f64::from(k) / 20.0)]
        ) {
            prop_assert_eq!(Px(x).to_string(), format!("{x:.1}"));
        }
    }

    #[test]
    fn ties_and_odd_values_match_the_standard_formatting() {
        for x in
            [0.25, 0.75, 1.25, 0.15, 0.05, 0.35, -0.25, -0.04, -0.0, 0.0, 149.95, 616.0, 1e20, f64::NAN, f64::INFINITY]
        {
            assert_eq!(Px(x).to_string(), format!("{x:.1}"), "{x}");
        }
    }

    #[test]
    fn share_chart_has_accessible_text_and_no_estimate_for_hidden() {
        let rows = [
            Row {
                label: "Starts".into(),
                estimate: Some(Estimate { value: 0.25, lo: 0.158, hi: 0.372 }),
                judgement: Judgement::BelowBenchmark,
                note: "",
                break_before: false,
            },
            Row {
                label: "Applicants".into(),
                estimate: None,
                judgement: Judgement::NotEnoughData,
                note: "[c] withheld",
                break_before: false,
            },
        ];
        let svg = shares("c1", "Working-class share <2025>", &rows, 0.39);
        assert!(svg.contains("<title id=\"c1-t\">Working-class share &lt;2025&gt;</title>"));
        assert!(svg.contains("Starts: 25% (95% interval 15.8% to 37.2%), below benchmark"));
        assert!(svg.contains("Applicants: [c] withheld"));
        assert_eq!(svg.matches("<circle").count(), 1);
    }

    #[test]
    fn badge_escapes_names() {
        let b = badge("A & B <Ltd>", "3 of 7 data targets met, 2 too few to tell", 12, 20, Some(2025));
        assert!(b.contains("A &amp; B &lt;Ltd&gt;"));
        assert!(b.contains("3 of 7 data targets met, 2 too few to tell"));
    }
}
