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

// The layout is narrow, with each row's label above its line rather than in a column beside it:
// 288 units is the content width of a 320 px phone, so at the theme's 13 px the chart text is
// never drawn under 12 CSS px, and on wider screens the theme caps the chart's width (labels
// never compete with the axis for room, so none is cut off).
const WIDTH: f64 = 288.0;
/// The axis runs from LEFT to WIDTH - RIGHT; both leave room for the end tick labels.
const LEFT: f64 = 14.0;
const RIGHT: f64 = 22.0;
/// One row: its label on the first line, its interval on the second.
const ROW: f64 = 50.0;
const LABEL_DY: f64 = 18.0;
const LINE_DY: f64 = 32.0;
/// Room above the first row for the benchmark's label.
const TOP: f64 = 34.0;
/// A generous width of one character of chart text (13 px system sans), to keep labels inside.
const CHAR: f64 = 8.4;

/// Where a label of `text` centred on `x` must be anchored to stay inside the chart.
fn anchored(x: f64, text: &str) -> (f64, &'static str) {
    let half = text.chars().count() as f64 * CHAR / 2.0;
    if x - half < 2.0 {
        (2.0, "start")
    } else if x + half > WIDTH - 2.0 {
        (WIDTH - 2.0, "end")
    } else {
        (x, "middle")
    }
}

/// Text starting at `x`, squeezed to the chart's width if it is longer than the room left (rare:
/// a custom stage title), rather than cut off.
fn fit(text: &str, x: f64) -> String {
    let room = WIDTH - 2.0 - x;
    if text.chars().count() as f64 * CHAR > room {
        format!(r#" textLength="{room}" lengthAdjust="spacingAndGlyphs""#)
    } else {
        String::new()
    }
}

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
    let height = TOP + ROW * rows as f64 + 16.0;
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
        let x = x_of(*v, min, max);
        let (lx, anchor) = anchored(x, label);
        let _ = write!(
            s,
            r#"<line class="tick" x1="{x}" y1="{TOP}" x2="{x}" y2="{base}"/><text class="tick-label" x="{lx}" y="{}" text-anchor="{anchor}">{}</text>"#,
            base + 16.0,
            esc(label),
            x = Px(x),
            lx = Px(lx),
        );
    }
}

/// One row whose block starts at `top`: an optional break-in-series rule, the label, then the
/// interval and point (or the reason there is none) on the line below it.
fn marker(s: &mut String, top: f64, row: &Row<'_>, min: f64, max: f64, scale: f64) {
    if row.break_before {
        // A dashed rule with words: the series before and after are not directly comparable.
        let yb = top + 3.0;
        let _ = write!(
            s,
            r#"<line class="series-break" x1="0" y1="{yb}" x2="{WIDTH}" y2="{yb}" stroke-dasharray="6 4"/><text class="series-break-label" x="{}" y="{}" text-anchor="end">break in series</text>"#,
            WIDTH - 2.0,
            top - 1.0
        );
    }
    let _ = write!(
        s,
        r#"<text class="row-label" x="2" y="{}"{}>{}</text>"#,
        top + LABEL_DY,
        fit(&row.label, 2.0),
        esc(&row.label)
    );
    let y = top + LINE_DY;
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
            let _ = write!(
                s,
                r#"<text class="no-estimate" x="{}" y="{}"{}>{}</text>"#,
                LEFT + 6.0,
                y + 4.0,
                fit(row.note, LEFT + 6.0),
                esc(row.note)
            );
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
    // The benchmark line first, so the rows' points and labels are drawn over it.
    let bx = x_of(benchmark * 100.0, 0.0, 100.0);
    let _ = write!(
        s,
        r#"<line class="benchmark" x1="{bx}" y1="{}" x2="{bx}" y2="{}"/>"#,
        TOP - 6.0,
        height - 24.0,
        bx = Px(bx)
    );
    for (i, r) in rows.iter().enumerate() {
        marker(&mut s, TOP + ROW * i as f64, r, 0.0, 100.0, 100.0);
    }
    let label = format!("Benchmark {}", pct(benchmark));
    let (lx, anchor) = anchored(bx, &label);
    let _ = write!(
        s,
        r#"<text class="benchmark-label" x="{lx}" y="{}" text-anchor="{anchor}">{}</text></svg>"#,
        TOP - 12.0,
        esc(&label),
        lx = Px(lx),
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
        marker(&mut s, TOP + ROW * i as f64, r, min, max, 100.0);
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

/// What an embeddable badge says: the site that scored, the employer, its data targets, its
/// practices and the year.
pub struct Badge<'a> {
    pub site: &'a str,
    pub name: &'a str,
    /// The headline's data-target summary (e.g. "Data targets not yet assessable").
    pub targets: &'a str,
    pub practices: usize,
    pub applicable: usize,
    pub year: Option<i32>,
}

const BADGE_WIDTH: usize = 360;
/// Characters of 12 px sans that fit one line of the badge, with room to spare.
const BADGE_LINE: usize = 50;

/// An embeddable badge linking back to the scorecard (the snippet holds the link). Light and dark
/// by the reader's colour scheme; every line of it is also in its accessible name.
pub fn badge(b: &Badge<'_>) -> String {
    let mut lines: Vec<(&str, String)> = vec![("site", truncate(b.site, BADGE_LINE)), ("name", truncate(b.name, 40))];
    lines.extend(wrap(b.targets, BADGE_LINE).into_iter().map(|l| ("text", l)));
    let year = b.year.map(|y| format!(" · {y}")).unwrap_or_default();
    lines.push(("text", format!("{} of {} must-have practices in place{year}", b.practices, b.applicable)));
    let height = 14 + 18 * lines.len();
    let label = format!(
        "{}: {}; {} of {} must-have practices in place{year} (scored by {})",
        b.name, b.targets, b.practices, b.applicable, b.site
    );
    let mut svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{BADGE_WIDTH}" height="{height}" viewBox="0 0 {BADGE_WIDTH} {height}" role="img"><title>{label}</title><style>.bg{{fill:#1d3557}}.stripe{{fill:#8ab4f8}}text{{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:12px;fill:#f1faee}}.site{{fill:#c9d6e3}}.name{{font-size:15px;font-weight:700;fill:#fff}}@media (prefers-color-scheme:light){{.bg{{fill:#f6f8fa;stroke:#d5dae0}}.stripe{{fill:#1d4e89}}text{{fill:#1b1f24}}.site{{fill:#56606b}}.name{{fill:#1b1f24}}}}</style><rect class="bg" width="{BADGE_WIDTH}" height="{height}" rx="6"/><rect class="stripe" width="6" height="{height}" rx="3"/>"##,
        label = esc(&label),
    );
    for (i, (class, text)) in lines.iter().enumerate() {
        let _ = write!(svg, r#"<text class="{class}" x="16" y="{}">{}</text>"#, 22 + 18 * i, esc(text));
    }
    svg.push_str("</svg>");
    svg
}

/// `text` in lines of at most `width` characters, broken after commas or spaces; a word longer
/// than a line is cut with an ellipsis rather than overflow the badge.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let n = line.chars().count();
        if n > 0 && n + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines.into_iter().map(|l| truncate(&l, width)).collect()
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

    fn sample<'a>(name: &'a str, targets: &'a str) -> Badge<'a> {
        Badge {
            site: "Ladder — apprenticeships that work for all",
            name,
            targets,
            practices: 12,
            applicable: 20,
            year: Some(2025),
        }
    }

    #[test]
    fn badge_escapes_names() {
        let b = badge(&sample("A & B <Ltd>", "3 of 7 data targets met, 2 too few to tell"));
        assert!(b.contains("A &amp; B &lt;Ltd&gt;"));
        assert!(b.contains(">3 of 7 data targets met, 2 too few to tell<"));
    }

    #[test]
    fn badge_names_the_site_wraps_long_headlines_and_has_both_schemes() {
        let targets = "0 of 7 data targets met, 3 not met, 3 too few to tell, 1 not assessable";
        let b = badge(&sample("Northgate Rail Engineering", targets));
        assert!(
            b.contains(r#"<text class="site" x="16" y="22">Ladder — apprenticeships that work for all</text>"#),
            "{b}"
        );
        // The headline on two lines, each within the badge; all of it in the accessible name.
        assert!(b.contains(">0 of 7 data targets met, 3 not met, 3 too few to<"), "{b}");
        assert!(b.contains(">tell, 1 not assessable<"), "{b}");
        // The name is the SVG's own `<title>` (with `role="img"`): SVG 1.1, which the Nu
        // validator checks a badge file against, has no `aria-label`.
        assert!(b.contains(&format!("role=\"img\"><title>Northgate Rail Engineering: {targets}; 12 of 20")));
        assert!(!b.contains("aria-label"));
        assert!(b.contains("prefers-color-scheme:light"));
        for line in b.split("<text").skip(1) {
            let text = line.split('>').nth(1).unwrap().split('<').next().unwrap();
            assert!(text.chars().count() <= BADGE_LINE, "{text}");
        }
    }

    #[test]
    fn wrap_cuts_a_word_longer_than_a_line() {
        assert_eq!(wrap("a bb ccc", 4), ["a bb", "ccc"]);
        assert_eq!(wrap("abcdefgh x", 4), ["abc…", "x"]);
    }
}
