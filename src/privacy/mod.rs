//! Privacy: the one place where suppression happens. Everything downstream (scoring, pages,
//! open data, badges) sees only the [`Publication`] built here, never the raw counts.

pub mod engine;
pub mod solver;

use crate::model::employer::{Answers, Figures, OutcomeTable};
use crate::model::ids::{Outcome, Stage};
use engine::{CellId, Known, Ledger, Settings};
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;

/// A published count: shown, or withheld as `[c]` with what a reader can infer about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    Shown(u64),
    /// Withheld. `lo..=hi` is what any reader can already infer from the published figures,
    /// so judgements made over that whole range reveal nothing more.
    Hidden {
        lo: u64,
        hi: Option<u64>,
    },
}

/// The symbol for a withheld value, as StatsWales and the ONS use it.
pub const WITHHELD: &str = "[c]";

impl Count {
    pub fn shown(self) -> Option<u64> {
        match self {
            Count::Shown(v) => Some(v),
            Count::Hidden { .. } => None,
        }
    }
    /// Smallest and largest value consistent with the publication.
    pub fn range(self) -> (u64, Option<u64>) {
        match self {
            Count::Shown(v) => (v, Some(v)),
            Count::Hidden { lo, hi } => (lo, hi),
        }
    }
    pub fn is_hidden(self) -> bool {
        matches!(self, Count::Hidden { .. })
    }
}

impl std::fmt::Display for Count {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Count::Shown(v) => write!(f, "{v}"),
            Count::Hidden { .. } => f.write_str(WITHHELD),
        }
    }
}

impl Serialize for Count {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Count::Shown(v) => s.serialize_u64(*v),
            Count::Hidden { .. } => s.serialize_str(WITHHELD),
        }
    }
}

/// The years a published table covers: one year, or a pooled window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Period {
    pub from: i32,
    pub to: i32,
}

impl Period {
    pub fn is_pooled(&self) -> bool {
        self.from != self.to
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_pooled() { write!(f, "{}–{}", self.from, self.to) } else { write!(f, "{}", self.from) }
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Answers to the key question at one stage, as published.
#[derive(Debug, Clone, Serialize)]
pub struct StageCells {
    pub period: Period,
    pub asked: Count,
    pub answered: Count,
    pub not_answered: Count,
    pub classified: Count,
    pub professional: Count,
    pub intermediate: Count,
    pub working_class: Count,
    pub other: Count,
    pub prefer_not_to_say: Count,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct OutcomeGroup {
    pub due: Count,
    pub achieved: Count,
}

/// One outcome measure per group, as published.
#[derive(Debug, Clone, Serialize)]
pub struct OutcomeCells {
    pub period: Period,
    pub professional: OutcomeGroup,
    pub intermediate: OutcomeGroup,
    pub working_class: OutcomeGroup,
}

/// A yes/no extra question, as published.
#[derive(Debug, Clone, Serialize)]
pub struct YesNoCells {
    pub period: Period,
    pub asked: Count,
    pub answered: Count,
    pub not_answered: Count,
    pub yes: Count,
    pub no: Count,
}

/// Everything about one employer's figures that may be published.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Publication {
    /// Tables per stage and outcome, oldest period first.
    pub stages: BTreeMap<Stage, Vec<StageCells>>,
    pub outcomes: BTreeMap<Outcome, Vec<OutcomeCells>>,
    pub extra: BTreeMap<String, Vec<YesNoCells>>,
}

/// Make the publishable tables of one employer from its raw counts, which it consumes: once
/// published, no raw count of the employer is left for a later stage to read.
pub fn publish(figures: Figures, settings: Settings) -> Publication {
    let employer = &figures;
    let mut b = Builder { ledger: Ledger::default(), t: settings.threshold };
    let stages = b.stages(employer);
    let outcomes = b.outcomes(employer);
    let extra = b.extras(employer);
    let known = engine::suppress(&b.ledger, settings);
    let count = |c: CellId| -> Count {
        let Known { hidden, lo, hi } = known[c];
        if hidden { Count::Hidden { lo, hi } } else { Count::Shown(b.ledger.cells[c].value) }
    };
    Publication {
        stages: stages.into_iter().map(|(k, v)| (k, v.into_iter().map(|t| t.publish(&count)).collect())).collect(),
        outcomes: outcomes.into_iter().map(|(k, v)| (k, v.into_iter().map(|t| t.publish(&count)).collect())).collect(),
        extra: extra.into_iter().map(|(k, v)| (k, v.into_iter().map(|t| t.publish(&count)).collect())).collect(),
    }
}

struct Builder {
    ledger: Ledger,
    t: u64,
}

/// Cell ids of a stage table: p, i, w, other, prefer not, not answered, classified, answered, asked.
#[derive(Clone, Copy)]
struct StageIds {
    period: Period,
    c: [CellId; 9],
}

impl StageIds {
    fn publish(&self, count: &impl Fn(CellId) -> Count) -> StageCells {
        let c = self.c;
        StageCells {
            period: self.period,
            professional: count(c[0]),
            intermediate: count(c[1]),
            working_class: count(c[2]),
            other: count(c[3]),
            prefer_not_to_say: count(c[4]),
            not_answered: count(c[5]),
            classified: count(c[6]),
            answered: count(c[7]),
            asked: count(c[8]),
        }
    }
}

#[derive(Clone, Copy)]
struct OutcomeIds {
    period: Period,
    /// Per group: achieved, not achieved, due.
    g: [[CellId; 3]; 3],
}

impl OutcomeIds {
    fn publish(&self, count: &impl Fn(CellId) -> Count) -> OutcomeCells {
        let grp = |g: [CellId; 3]| OutcomeGroup { achieved: count(g[0]), due: count(g[2]) };
        OutcomeCells {
            period: self.period,
            professional: grp(self.g[0]),
            intermediate: grp(self.g[1]),
            working_class: grp(self.g[2]),
        }
    }
}

#[derive(Clone, Copy)]
struct YesNoIds {
    period: Period,
    /// yes, no, not answered, answered, asked.
    c: [CellId; 5],
}

impl YesNoIds {
    fn publish(&self, count: &impl Fn(CellId) -> Count) -> YesNoCells {
        let c = self.c;
        YesNoCells {
            period: self.period,
            yes: count(c[0]),
            no: count(c[1]),
            not_answered: count(c[2]),
            answered: count(c[3]),
            asked: count(c[4]),
        }
    }
}

fn single(year: i32) -> Period {
    Period { from: year, to: year }
}

impl Builder {
    fn small(&self, v: u64) -> bool {
        v >= 1 && v < self.t
    }

    /// Publish yearly when every year can stand alone; otherwise one pooled window, so no
    /// single year can be had by subtracting a pooled figure (the toolkit: look at trends).
    fn pool<T>(&self, years: &[(i32, T)], stands_alone: impl Fn(&T) -> bool) -> bool {
        years.len() > 1 && !years.iter().all(|(_, t)| stands_alone(t))
    }

    fn stages(&mut self, e: &Figures) -> BTreeMap<Stage, Vec<StageIds>> {
        let ids: std::collections::BTreeSet<Stage> = e.years.iter().flat_map(|y| y.stages.keys().copied()).collect();
        let mut out = BTreeMap::new();
        let mut raw: BTreeMap<(i32, Stage), [CellId; 6]> = BTreeMap::new();
        for id in ids {
            let years: Vec<(i32, Answers)> =
                e.years.iter().filter_map(|y| y.stages.get(&id).map(|a| (y.year, *a))).collect();
            // Make-up and level bands are stocks: the same apprentices are counted again each
            // year, so a pooled window would count people twice. Only flows are pooled.
            let pooled = !id.is_stock()
                && self.pool(&years, |a| {
                    a.classified() >= self.t
                        && ![a.professional, a.intermediate, a.working_class].iter().any(|&v| self.small(v as u64))
                });
            let mut tables = Vec::new();
            let mut bases = Vec::new();
            for (year, a) in &years {
                let base = self.stage_base(a, !pooled);
                raw.insert((*year, id), base);
                // Inside a pooled window a single year's totals are never shown, but they
                // must still be protected from subtraction.
                let totals = self.stage_totals(single(*year), base, !pooled);
                if !pooled {
                    tables.push(totals);
                }
                bases.push(base);
            }
            if pooled {
                let pooled_base: [CellId; 6] = std::array::from_fn(|k| {
                    self.ledger.sum_cell(&bases.iter().map(|b| b[k]).collect::<Vec<_>>(), true)
                });
                let period = Period { from: years[0].0, to: years[years.len() - 1].0 };
                tables.push(self.stage_totals(period, pooled_base, true));
            }
            out.insert(id, tables);
        }
        self.level_identities(e, &raw);
        out
    }

    fn stage_base(&mut self, a: &Answers, candidate: bool) -> [CellId; 6] {
        let nr = a.asked as u64 - a.answered();
        let values = [
            a.professional as u64,
            a.intermediate as u64,
            a.working_class as u64,
            a.other as u64,
            a.prefer_not_to_say as u64,
            nr,
        ];
        values.map(|v| self.ledger.base_cell(v, candidate))
    }

    fn stage_totals(&mut self, period: Period, base: [CellId; 6], candidate: bool) -> StageIds {
        let [p, i, w, o, pn, nr] = base;
        if candidate {
            self.ledger.distribution(&[p, i, w]);
        }
        let classified = self.ledger.sum_cell(&[p, i, w], candidate);
        let answered = self.ledger.sum_cell(&[classified, o, pn], candidate);
        let asked = self.ledger.sum_cell(&[answered, nr], candidate);
        StageIds { period, c: [p, i, w, o, pn, nr, classified, answered, asked] }
    }

    /// When the level bands add up to the overall make-up, a reader can use that; so can the audit.
    fn level_identities(&mut self, e: &Figures, raw: &BTreeMap<(i32, Stage), [CellId; 6]>) {
        for y in &e.years {
            let Some(makeup) = raw.get(&(y.year, Stage::Makeup)) else { continue };
            let bands: Vec<&[CellId; 6]> = raw
                .iter()
                .filter(|((yr, id), _)| *yr == y.year && matches!(id, Stage::Level(_)))
                .map(|(_, v)| v)
                .collect();
            if bands.is_empty() {
                continue;
            }
            for k in 0..6 {
                let parts: Vec<CellId> = bands.iter().map(|b| b[k]).collect();
                let sum: u64 = parts.iter().map(|&c| self.ledger.cells[c].value).sum();
                if sum == self.ledger.cells[makeup[k]].value {
                    self.ledger.equal(&parts, &[makeup[k]]);
                }
            }
        }
    }

    fn outcomes(&mut self, e: &Figures) -> BTreeMap<Outcome, Vec<OutcomeIds>> {
        let ids: std::collections::BTreeSet<Outcome> =
            e.years.iter().flat_map(|y| y.outcomes.keys().copied()).collect();
        let mut out = BTreeMap::new();
        // Per year and measure: per group, the achieved, not-achieved and due cells.
        let mut yearly: BTreeMap<(i32, Outcome), [[CellId; 3]; 3]> = BTreeMap::new();
        for id in ids {
            let years: Vec<(i32, OutcomeTable)> =
                e.years.iter().filter_map(|y| y.outcomes.get(&id).map(|t| (y.year, *t))).collect();
            let pooled = self.pool(&years, |t| {
                [t.professional, t.intermediate, t.working_class].iter().all(|g| {
                    g.due as u64 >= self.t && !self.small(g.achieved as u64) && !self.small((g.due - g.achieved) as u64)
                })
            });
            let mut tables = Vec::new();
            let mut bases: Vec<[[CellId; 2]; 3]> = Vec::new();
            for (year, t) in &years {
                let base = [t.professional, t.intermediate, t.working_class].map(|g| {
                    let a = self.ledger.base_cell(g.achieved as u64, !pooled);
                    let n = self.ledger.base_cell((g.due - g.achieved) as u64, false);
                    [a, n]
                });
                let totals = self.outcome_totals(single(*year), base, !pooled);
                yearly.insert((*year, id), totals.g);
                if !pooled {
                    tables.push(totals);
                }
                bases.push(base);
            }
            if pooled {
                let base: [[CellId; 2]; 3] = std::array::from_fn(|g| {
                    let a = self.ledger.sum_cell(&bases.iter().map(|b| b[g][0]).collect::<Vec<_>>(), true);
                    let n = self.ledger.sum_cell(&bases.iter().map(|b| b[g][1]).collect::<Vec<_>>(), false);
                    [a, n]
                });
                let period = Period { from: years[0].0, to: years[years.len() - 1].0 };
                tables.push(self.outcome_totals(period, base, true));
            }
            out.insert(id, tables);
        }
        self.progression_relations(&yearly);
        out
    }

    /// The README states that progression counts the completers: per year and group, those due
    /// to progress are at most those who completed (all of them, where the two are equal). A
    /// reader may use that, so the audit does.
    fn progression_relations(&mut self, yearly: &BTreeMap<(i32, Outcome), [[CellId; 3]; 3]>) {
        for ((year, id), prog) in yearly {
            if *id != Outcome::Progression {
                continue;
            }
            let Some(comp) = yearly.get(&(*year, Outcome::Completion)) else { continue };
            for g in 0..3 {
                let (due, completed) = (prog[g][2], comp[g][0]);
                // Where the two are equal, a reader who takes "the completers" literally is
                // right; the audit must be as strong as that reader.
                if self.ledger.cells[due].value == self.ledger.cells[completed].value {
                    self.ledger.equal(&[due], &[completed]);
                } else {
                    self.ledger.at_most(&[due], &[completed]);
                }
            }
        }
        // A pooled progression window "2023–2025" reads as covering 2024 even when 2024 has no
        // progression figures: a reader may take that year's progression as 0 and, reading
        // "the completers" literally, its completers as 0 too. Where that is true (a group
        // with no completers that year) the audit assumes the reader knows it (the attacker
        // of tests/attacker.rs pinned a pooled completion count this way).
        let prog_years: Vec<i32> =
            yearly.keys().filter(|(_, id)| *id == Outcome::Progression).map(|(y, _)| *y).collect();
        let (Some(&first), Some(&last)) = (prog_years.iter().min(), prog_years.iter().max()) else { return };
        for ((year, id), comp) in yearly {
            if *id != Outcome::Completion || !(first..=last).contains(year) || prog_years.contains(year) {
                continue;
            }
            for group in comp {
                if self.ledger.cells[group[0]].value == 0 {
                    self.ledger.equal(&[group[0]], &[]);
                }
            }
        }
    }

    fn outcome_totals(&mut self, period: Period, base: [[CellId; 2]; 3], candidate: bool) -> OutcomeIds {
        let g = base.map(|[a, n]| {
            let due = self.ledger.sum_cell(&[a, n], candidate);
            [a, n, due]
        });
        OutcomeIds { period, g }
    }

    /// The extra questions describe the apprentices in post, a stock counted again each year,
    /// so they are published year by year and never pooled (small years are withheld).
    fn extras(&mut self, e: &Figures) -> BTreeMap<String, Vec<YesNoIds>> {
        let ids: std::collections::BTreeSet<&String> = e.years.iter().flat_map(|y| y.extra.keys()).collect();
        let mut out = BTreeMap::new();
        for id in ids {
            let tables = e
                .years
                .iter()
                .filter_map(|y| y.extra.get(id).map(|q| (y.year, *q)))
                .map(|(year, q)| {
                    let na = (q.asked - q.yes - q.no) as u64;
                    let base = [q.yes as u64, q.no as u64, na].map(|v| self.ledger.base_cell(v, true));
                    self.yes_no_totals(single(year), base, true)
                })
                .collect();
            out.insert(id.clone(), tables);
        }
        out
    }

    fn yes_no_totals(&mut self, period: Period, [y, n, na]: [CellId; 3], candidate: bool) -> YesNoIds {
        if candidate {
            self.ledger.distribution(&[y, n]);
        }
        let answered = self.ledger.sum_cell(&[y, n], candidate);
        let asked = self.ledger.sum_cell(&[answered, na], candidate);
        YesNoIds { period, c: [y, n, na, answered, asked] }
    }
}
