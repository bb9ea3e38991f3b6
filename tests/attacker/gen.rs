//! Seeded generator of small employer sets that put small cells everywhere the engine must
//! protect them: small cells in every position, zeros beside small cells, one-group
//! distributions, near-threshold totals, tiny years that force pooling, level grids that add up
//! exactly to the make-up, several employers in one sector/region/size, and employers that
//! differ from another by one cell.

use super::truth::{EXTRAS, EmployerTruth, MEASURES, STAGES, YearTruth};
use std::collections::BTreeMap;

/// SplitMix64: tiny, deterministic, good enough to spread cases.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in lo..=hi.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

/// A count drawn to make small cells and zeros common, with `scale` lifting the big ones.
fn count(r: &mut Rng, scale: u64) -> u64 {
    match r.range(0, 9) {
        0 | 1 => 0,
        2..=5 => r.range(1, 9),
        6 => r.range(9, 12),
        _ => r.range(10, 10 + 20 * scale),
    }
}

/// The six cells of one table (p, i, w, other, prefer not to say, not answered).
fn answers(r: &mut Rng, scale: u64) -> [u64; 6] {
    let mut c = [0u64; 6];
    for v in c.iter_mut() {
        *v = count(r, scale);
    }
    if r.chance(12) {
        // One group holds everyone who answered.
        let keep = r.range(0, 2) as usize;
        for (i, v) in c.iter_mut().enumerate().take(5) {
            if i != keep {
                *v = 0;
            }
        }
    }
    if r.chance(10) {
        // A near-threshold total: everyone in a few small cells adding to 9..=11.
        let total = r.range(9, 11);
        c = [0; 6];
        let mut left = total;
        while left > 0 {
            let i = r.range(0, 5) as usize;
            let take = r.range(1, left.min(4));
            c[i] += take;
            left -= take;
        }
    }
    c
}

fn outcomes(r: &mut Rng, scale: u64) -> BTreeMap<String, [(u64, u64); 3]> {
    let mut out = BTreeMap::new();
    let group = |r: &mut Rng| {
        let due = count(r, scale);
        let achieved = if r.chance(30) { due.saturating_sub(r.range(0, 3)) } else { r.range(0, due) };
        (due, achieved)
    };
    let fs = [group(r), group(r), group(r)];
    let completion = [group(r), group(r), group(r)];
    // Progression counts the completers: usually exactly them, as the README says.
    let exact = r.chance(70);
    let progression = completion.map(|(_, ach)| {
        let due = if exact { ach } else { r.range(0, ach) };
        (due, r.range(0, due))
    });
    for (m, t) in MEASURES.iter().zip([fs, completion, progression]) {
        if r.chance(85) {
            out.insert((*m).to_string(), t);
        }
    }
    // Progression is only checked against completion in the same year; keep the chain whole.
    if !out.contains_key("completion") {
        out.remove("progression");
    }
    out
}

fn year(r: &mut Rng, levels_exact: bool) -> YearTruth {
    // A tiny year (everything small) forces pooling.
    let scale = if r.chance(30) { 0 } else { r.range(1, 3) };
    let mut y = YearTruth::default();
    for stage in ["applicants", "starts"] {
        if r.chance(80) {
            y.stages.insert(stage.into(), answers(r, scale));
        }
    }
    let mut bands = Vec::new();
    for (stage, _) in STAGES.iter().filter(|(s, _)| s.starts_with("level_")) {
        if r.chance(55) {
            let a = answers(r, scale);
            y.stages.insert((*stage).into(), a);
            bands.push(a);
        }
    }
    if levels_exact && !bands.is_empty() {
        let mut m = [0u64; 6];
        for b in &bands {
            for (t, v) in m.iter_mut().zip(b) {
                *t += v;
            }
        }
        y.stages.insert("makeup".into(), m);
    } else if r.chance(80) {
        y.stages.insert("makeup".into(), answers(r, scale));
    }
    y.outcomes = outcomes(r, scale);
    for q in EXTRAS {
        if r.chance(30) {
            y.extra.insert(q.into(), (count(r, scale), count(r, scale), count(r, scale)));
        }
    }
    y
}

fn employer(r: &mut Rng, n: usize) -> EmployerTruth {
    let sectors = ["Retail", "Construction"];
    let regions = ["London", "Wales"];
    let sizes = ["small", "medium", "large"];
    let years = r.range(1, 3) as i32;
    let levels_exact = r.chance(50);
    let years = (2026 - years..=2025).map(|y| (y, year(r, levels_exact))).collect();
    EmployerTruth {
        slug: format!("employer-{n}"),
        name: format!("Employer {n}"),
        sector: r.pick(&sectors).to_string(),
        region: r.pick(&regions).to_string(),
        size: r.pick(&sizes).to_string(),
        years,
    }
}

/// Changes one cell of one table by one, so two employers differ by a single cell.
fn nudge(r: &mut Rng, e: &mut EmployerTruth) {
    let year = *r.pick(&e.years.keys().copied().collect::<Vec<_>>());
    let y = e.years.get_mut(&year).expect("picked year");
    let stages: Vec<String> = y.stages.keys().cloned().collect();
    if stages.is_empty() {
        return;
    }
    let stage = r.pick(&stages).clone();
    let cell = r.range(0, 5) as usize;
    y.stages.get_mut(&stage).expect("picked stage")[cell] += 1;
}

/// One employer set: 1 to 4 employers, numbered from 0.
pub fn employer_set(seed: u64) -> Vec<EmployerTruth> {
    let mut r = Rng::new(seed);
    let n = r.range(1, 4) as usize;
    let mut out: Vec<EmployerTruth> = Vec::new();
    for i in 0..n {
        if i > 0 && r.chance(20) {
            let mut twin = out[i - 1].clone();
            twin.slug = format!("employer-{i}");
            twin.name = format!("Employer {i}");
            nudge(&mut r, &mut twin);
            out.push(twin);
        } else {
            out.push(employer(&mut r, i));
        }
    }
    out
}
