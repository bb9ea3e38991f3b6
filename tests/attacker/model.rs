//! The reader as an integer program. Unknowns are the underlying counts of each year (a pooled
//! window's years are separate unknowns), every published figure is a linear fact about them,
//! and the solver gives the tightest range of every withheld or implicit group.

use super::parse::{Cell, Kind, Shown, Site};
use super::truth::{CELLS, EmployerTruth, GROUPS};
use good_lp::{Expression, ProblemVariables, Solution, SolverModel, Variable, microlp, variable};
use std::collections::{BTreeMap, BTreeSet};

/// One unknown: an employer's count of one group in one table and one year. Stage index: the
/// six cells of `truth::CELLS`; outcome index: 2·group (achieved) and 2·group+1 (not achieved);
/// extra index: yes, no, not answered.
pub type Base = (String, Kind, String, i32, usize);

/// Σ coef·unknown, with unknowns numbered.
type Lin = Vec<(usize, i64)>;

/// A linear fact lo ≤ Σ coef·x ≤ hi (coefficients may be fractional for rates).
#[derive(Debug, Clone)]
struct Fact {
    /// Where it was read, for reports.
    why: String,
    terms: Vec<(usize, f64)>,
    lo: f64,
    hi: f64,
}

/// The facts that rest on a reading of the format a reader may try but cannot be sure of: the
/// level bands add up to the make-up; progression's `due` equals completion's `achieved`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Assumption {
    Always,
    LevelsSum(String, i32),
    ProgressionEqual(String, i32, usize),
}

/// A group whose range is asked: a withheld cell, an implicit group (not achieved), or one
/// year's count.
#[derive(Debug, Clone)]
pub struct Target {
    pub label: String,
    pub withheld_cell: bool,
    pub truth: i64,
}

/// What the attack found about one target.
#[derive(Debug, Clone)]
pub struct Finding {
    pub label: String,
    pub withheld_cell: bool,
    pub truth: i64,
    pub min: i64,
    pub max: i64,
    /// How many sizes remain possible, counted up to 3.
    pub sizes: usize,
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    /// Published figures that are themselves small counts, or rates on a small base.
    pub published_small: Vec<String>,
    /// Solver panics or errors (must be zero).
    pub failures: Vec<String>,
    /// Components where even the facts that always hold were infeasible (a parsing or model bug).
    pub infeasible: Vec<String>,
    /// Which optional readings were dropped as infeasible.
    pub dropped: usize,
    /// Withheld cells examined.
    pub withheld: usize,
    pub solves: usize,
}

struct Program {
    vars: Vec<Base>,
    /// Each unknown's upper bound from the shown counts it is part of (a smaller search).
    upper: Vec<f64>,
    index: BTreeMap<Base, usize>,
    facts: Vec<(Assumption, Fact)>,
}

const BIG: f64 = 1_000_000.0;

fn cell_terms(c: &Cell) -> Vec<(i32, usize, i64)> {
    let idx: Vec<usize> = match c.kind {
        Kind::Stage => match c.column.as_str() {
            "asked" => (0..6).collect(),
            "answered" => (0..5).collect(),
            "classified" => (0..3).collect(),
            "professional" => vec![0],
            "intermediate" => vec![1],
            "working_class" => vec![2],
            "other" => vec![3],
            "prefer_not_to_say" => vec![4],
            "not_answered" => vec![5],
            col => panic!("unknown stage column {col}"),
        },
        Kind::Outcome => {
            let (g, part) = c.column.split_once('.').expect("group.part");
            let g = GROUPS.iter().position(|x| *x == g).expect("group") * 2;
            match part {
                "due" => vec![g, g + 1],
                "achieved" => vec![g],
                "not_achieved" => vec![g + 1],
                p => panic!("unknown outcome part {p}"),
            }
        }
        Kind::Extra => match c.column.as_str() {
            "asked" => vec![0, 1, 2],
            "answered" => vec![0, 1],
            "yes" => vec![0],
            "no" => vec![1],
            "not_answered" => vec![2],
            col => panic!("unknown extra column {col}"),
        },
    };
    (c.from..=c.to).flat_map(|y| idx.iter().map(move |i| (y, *i, 1))).collect()
}

/// The true value of one unknown.
pub fn base_truth(truth: &BTreeMap<String, EmployerTruth>, b: &Base) -> i64 {
    let (emp, kind, table, year, i) = b;
    let Some(y) = truth.get(emp).and_then(|e| e.years.get(year)) else { return 0 };
    let v = match kind {
        Kind::Stage => y.stages.get(table).map_or(0, |c| c[*i]),
        Kind::Outcome => y.outcomes.get(table).map_or(0, |g| {
            let (due, ach) = g[i / 2];
            if i % 2 == 0 { ach } else { due - ach }
        }),
        Kind::Extra => y.extra.get(table).map_or(0, |&(yes, no, na)| [yes, no, na][*i]),
    };
    v as i64
}

impl Program {
    fn var(&mut self, b: Base) -> usize {
        if let Some(i) = self.index.get(&b) {
            return *i;
        }
        self.vars.push(b.clone());
        self.index.insert(b, self.vars.len() - 1);
        self.vars.len() - 1
    }

    fn lin(&mut self, c: &Cell) -> Lin {
        let mut out: Vec<(usize, i64)> = cell_terms(c)
            .into_iter()
            .map(|(y, i, k)| (self.var((c.employer.clone(), c.kind.clone(), c.table.clone(), y, i)), k))
            .collect();
        out.sort();
        out
    }

    fn fact(&mut self, a: Assumption, why: String, terms: Vec<(usize, f64)>, lo: f64, hi: f64) {
        self.facts.push((a, Fact { why, terms, lo, hi }));
    }

    fn exists(&self, emp: &str, kind: Kind, table: &str, year: i32) -> bool {
        self.index.contains_key(&(emp.to_string(), kind, table.to_string(), year, 0))
    }
}

/// The cells withheld together when one group holds everyone: the three classified groups
/// for a group column; every answer cell for the others; yes and no for an extra question.
fn distribution(c: &Cell) -> Vec<&'static str> {
    match (&c.kind, c.column.as_str()) {
        (Kind::Stage, "professional" | "intermediate" | "working_class") => {
            vec!["professional", "intermediate", "working_class"]
        }
        (Kind::Stage, _) => {
            vec!["professional", "intermediate", "working_class", "other", "prefer_not_to_say", "not_answered"]
        }
        (Kind::Extra, _) => vec!["yes", "no"],
        (Kind::Outcome, _) => vec!["professional.achieved", "intermediate.achieved", "working_class.achieved"],
    }
}

fn as_f(l: &Lin) -> Vec<(usize, f64)> {
    l.iter().map(|&(v, k)| (v, k as f64)).collect()
}

/// Builds the reader's program for the employers in `members`; also returns each published
/// cell with its sum of unknowns.
fn program(site: &Site, members: &BTreeSet<String>) -> (Program, Vec<(Cell, Lin)>) {
    let mut p = Program { vars: Vec::new(), upper: Vec::new(), index: BTreeMap::new(), facts: Vec::new() };
    let cells = cell_facts(&mut p, site, members);
    rate_facts(&mut p, site, members);
    for l in site.linear.iter().filter(|l| l.terms.iter().all(|(c, _)| members.contains(&c.employer))) {
        let mut t = Vec::new();
        for (c, k) in &l.terms {
            t.extend(p.lin(c).into_iter().map(|(v, x)| (v, x as f64 * k)));
        }
        p.fact(Assumption::Always, l.source.clone(), t, l.lo, l.hi);
    }
    for a in site.aggregates.iter().filter(|a| a.cells.iter().all(|c| members.contains(&c.employer))) {
        let mut t = Vec::new();
        for c in &a.cells {
            t.extend(as_f(&p.lin(c)));
        }
        p.fact(Assumption::Always, format!("{}: aggregate {}", a.source, a.value), t, a.value as f64, a.value as f64);
    }
    reading_facts(&mut p);
    upper_bounds(&mut p);
    (p, cells)
}

/// Every shown count fixes its cell; a withheld cell is at least 1.
fn cell_facts(p: &mut Program, site: &Site, members: &BTreeSet<String>) -> Vec<(Cell, Lin)> {
    let mut cells = Vec::new();
    for (c, v) in site.cells.iter().filter(|(c, _)| members.contains(&c.employer)) {
        let lin = p.lin(c);
        let all_withheld = distribution(c)
            .iter()
            .all(|col| site.cells.get(&Cell { column: col.to_string(), ..c.clone() }) == Some(&Shown::Withheld));
        match v {
            Shown::Count(n) => p.fact(Assumption::Always, format!("{c} = {n}"), as_f(&lin), *n as f64, *n as f64),
            // A withheld cell is not zero (a shown 0 means zero), unless the whole distribution
            // it belongs to is withheld (where one group holds everyone, its zeros go too).
            Shown::Withheld if !all_withheld => {
                p.fact(Assumption::Always, format!("{c} withheld, so ≥ 1"), as_f(&lin), 1.0, BIG)
            }
            Shown::Withheld => {}
        }
        cells.push((c.clone(), lin));
    }
    cells
}

/// A rate on a shown base gives its numerator a whole-number interval; on a withheld base it
/// is still linear: (v−eps)·base ≤ numerator ≤ (v+eps)·base.
fn rate_facts(p: &mut Program, site: &Site, members: &BTreeSet<String>) {
    for r in site.rates.iter().filter(|r| members.contains(&r.denominator.employer)) {
        let why = format!("{}: rate {} on {}", r.source, r.value, r.denominator);
        let den = denominator(p, r);
        let mut num: Vec<(usize, f64)> = Vec::new();
        for (c, k) in &r.numerator {
            num.extend(p.lin(c).into_iter().map(|(v, x)| (v, (x * k) as f64)));
        }
        if let Some(d) = shown_denominator(site, r) {
            let (lo, hi) = (((r.value - r.eps) * d as f64).ceil(), ((r.value + r.eps) * d as f64).floor());
            p.fact(Assumption::Always, why, num, lo, hi);
            continue;
        }
        for (bound, lo, hi) in [(r.value - r.eps, 0.0, BIG * BIG), (r.value + r.eps, -BIG * BIG, 0.0)] {
            let mut t = num.clone();
            t.extend(den.iter().map(|&(v, x)| (v, -(x as f64) * bound)));
            p.fact(Assumption::Always, why.clone(), t, lo, hi);
        }
    }
}

/// A rate's denominator as a sum of unknowns: its cell less the cells it leaves out.
fn denominator(p: &mut Program, r: &super::parse::Rate) -> Lin {
    let mut d: BTreeMap<usize, i64> = p.lin(&r.denominator).into_iter().collect();
    for c in &r.less {
        for (v, k) in p.lin(c) {
            *d.entry(v).or_default() -= k;
        }
    }
    d.into_iter().filter(|&(_, k)| k != 0).collect()
}

/// The denominator's value when every cell of it is shown.
fn shown_denominator(site: &Site, r: &super::parse::Rate) -> Option<u64> {
    let Some(Shown::Count(d)) = site.cells.get(&r.denominator) else { return None };
    let mut d = *d;
    for c in &r.less {
        let Some(Shown::Count(x)) = site.cells.get(c) else { return None };
        d = d.checked_sub(*x)?;
    }
    Some(d)
}

/// Per employer and year: progression's due is at most completion's achieved (equal, as a
/// reading); the level bands add up to the make-up (a reading).
fn reading_facts(p: &mut Program) {
    let years: BTreeSet<(String, i32)> = p.vars.iter().map(|(e, _, _, y, _)| (e.clone(), *y)).collect();
    for (emp, y) in &years {
        if p.exists(emp, Kind::Outcome, "progression", *y) && p.exists(emp, Kind::Outcome, "completion", *y) {
            for (g, group) in GROUPS.iter().enumerate() {
                let key = |t: &str, i: usize| (emp.clone(), Kind::Outcome, t.to_string(), *y, i);
                let (pa, pn, ca) = (
                    p.index[&key("progression", 2 * g)],
                    p.index[&key("progression", 2 * g + 1)],
                    p.index[&key("completion", 2 * g)],
                );
                let t = vec![(pa, 1.0), (pn, 1.0), (ca, -1.0)];
                let why = format!("{emp} {y} {group}: progression due vs completion achieved");
                p.fact(Assumption::Always, why.clone(), t.clone(), -BIG, 0.0);
                p.fact(Assumption::ProgressionEqual(emp.clone(), *y, g), why, t, 0.0, 0.0);
            }
        }
        let bands: Vec<&str> = ["level_2", "level_3", "level_4_5", "level_6_7"]
            .into_iter()
            .filter(|b| p.exists(emp, Kind::Stage, b, *y))
            .collect();
        if p.exists(emp, Kind::Stage, "makeup", *y) && !bands.is_empty() {
            for i in 0..6 {
                let mut t = vec![(p.index[&(emp.clone(), Kind::Stage, "makeup".into(), *y, i)], 1.0)];
                for b in &bands {
                    t.push((p.index[&(emp.clone(), Kind::Stage, b.to_string(), *y, i)], -1.0));
                }
                p.fact(Assumption::LevelsSum(emp.clone(), *y), format!("{emp} {y}: levels add up"), t, 0.0, 0.0);
            }
        }
    }
}

/// Each unknown's upper bound from the shown sums it is part of: the same program, a smaller
/// search for the solver.
fn upper_bounds(p: &mut Program) {
    p.upper = vec![BIG; p.vars.len()];
    for (_, f) in &p.facts {
        if f.hi < BIG && f.terms.iter().all(|&(_, k)| k >= 1.0) {
            for &(v, _) in &f.terms {
                p.upper[v] = p.upper[v].min(f.hi);
            }
        }
    }
}

enum Solved {
    Values(Vec<i64>),
    Infeasible,
    Failed(String),
}

/// One integer program: optimise `objective` (or just find a point) under the chosen facts and
/// extra bounds on a target. microlp may panic on odd problems: that is caught and reported.
fn solve(
    p: &Program,
    on: &BTreeSet<Assumption>,
    objective: Option<(&Lin, bool)>,
    band: Option<(&Lin, f64, f64)>,
) -> Solved {
    let run = || {
        let mut vars = ProblemVariables::new();
        let xs: Vec<Variable> = p.upper.iter().map(|&u| vars.add(variable().integer().min(0).max(u))).collect();
        let expr = |t: &[(usize, f64)]| t.iter().fold(Expression::from(0.0), |e, &(v, k)| e + k * xs[v]);
        let obj = objective.map_or(Expression::from(0.0), |(l, _)| expr(&as_f(l)));
        let problem = if objective.is_some_and(|(_, max)| max) { vars.maximise(obj) } else { vars.minimise(obj) };
        let mut m = problem.using(microlp);
        for (a, f) in &p.facts {
            if !on.contains(a) {
                continue;
            }
            let e = expr(&f.terms);
            if f.lo == f.hi {
                m = m.with(e.eq(f.lo));
            } else {
                if f.lo > -BIG * BIG {
                    m = m.with(e.clone().geq(f.lo));
                }
                if f.hi < BIG * BIG {
                    m = m.with(e.leq(f.hi));
                }
            }
        }
        if let Some((l, lo, hi)) = band {
            let e = expr(&as_f(l));
            m = m.with(e.clone().geq(lo)).with(e.leq(hi));
        }
        match m.solve() {
            Ok(s) => Solved::Values(xs.iter().map(|x| s.value(*x).round() as i64).collect()),
            Err(good_lp::ResolutionError::Infeasible) => Solved::Infeasible,
            Err(e) => Solved::Failed(e.to_string()),
        }
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(s) => s,
        Err(_) => Solved::Failed("solver panicked".into()),
    }
}

fn eval(l: &Lin, x: &[i64]) -> i64 {
    l.iter().map(|&(v, k)| x[v] * k).sum()
}

/// Splits employers into groups linked by aggregates, so each program stays small.
fn components(site: &Site) -> Vec<BTreeSet<String>> {
    let mut comp: BTreeMap<String, usize> = site.employers.keys().enumerate().map(|(i, e)| (e.clone(), i)).collect();
    for a in &site.aggregates {
        // An aggregate of shown figures tells nothing new (its sum is checked when read); only
        // one over a withheld figure ties employers into one program.
        if a.cells.iter().all(|c| matches!(site.cells.get(c), Some(Shown::Count(_)))) {
            continue;
        }
        let ids: BTreeSet<usize> = a.cells.iter().map(|c| comp[&c.employer]).collect();
        let Some(&to) = ids.iter().next() else { continue };
        for v in comp.values_mut() {
            if ids.contains(v) {
                *v = to;
            }
        }
    }
    let mut out: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    for (e, c) in comp {
        out.entry(c).or_default().insert(e);
    }
    out.into_values().collect()
}

/// Runs the attack on a whole site; `truth` scores it.
pub fn attack(site: &Site, truth: &BTreeMap<String, EmployerTruth>) -> Outcome {
    let mut out = Outcome::default();
    let t = site.threshold as i64;
    for (c, v) in &site.cells {
        if let Shown::Count(n) = v
            && *n >= 1
            && (*n as i64) < t
        {
            out.published_small.push(format!("{c} = {n}"));
        }
    }
    out.published_small.extend(site.small_elsewhere.iter().cloned());
    for a in &site.aggregates {
        if a.value >= 1 && (a.value as i64) < t {
            out.published_small.push(format!("{}: an aggregate of {}", a.source, a.value));
        }
    }
    for comp in components(site) {
        attack_component(site, truth, &comp, &mut out);
    }
    out
}

fn attack_component(
    site: &Site,
    truth: &BTreeMap<String, EmployerTruth>,
    members: &BTreeSet<String>,
    out: &mut Outcome,
) {
    let started = std::time::Instant::now();
    let solves_before = out.solves;
    let (mut p, cells) = program(site, members);
    small_bases(site, truth, members, &mut p, out);
    let targets = targets(site, truth, &mut p, &cells, out);
    let Some(on) = readings(&p, truth, members, out) else { return };
    out.solves += 1;
    let first = match solve(&p, &on, None, None) {
        Solved::Values(x) => x,
        Solved::Infeasible => {
            out.failures.push(format!("{members:?}: the true figures fit but the solver found no point"));
            return;
        }
        Solved::Failed(e) => {
            out.failures.push(format!("{members:?}: {e}"));
            return;
        }
    };
    // Values seen in any solution: a target with three seen values needs no more solving.
    let mut seen: BTreeMap<Lin, BTreeSet<i64>> = targets.keys().map(|l| (l.clone(), BTreeSet::new())).collect();
    note(&mut seen, &first);
    for (l, target) in &targets {
        if seen[l].len() >= 3 {
            continue;
        }
        match range(&p, &on, l, &mut seen, out) {
            Ok((min, max, sizes)) => out.findings.push(Finding {
                label: target.label.clone(),
                withheld_cell: target.withheld_cell,
                truth: target.truth,
                min,
                max,
                sizes,
            }),
            Err(e) => out.failures.push(format!("{}: {e}", target.label)),
        }
    }
    if std::env::var_os("ATTACK_TRACE").is_some() {
        eprintln!(
            "  {members:?}: {} unknowns, {} facts, {} targets, {} solves, {:?}",
            p.vars.len(),
            p.facts.len(),
            targets.len(),
            out.solves - solves_before,
            started.elapsed()
        );
    }
}

/// Adds each solution's value of every target to what has been seen (three are enough).
fn note(seen: &mut BTreeMap<Lin, BTreeSet<i64>>, x: &[i64]) {
    for (l, s) in seen.iter_mut() {
        if s.len() < 3 {
            s.insert(eval(l, x));
        }
    }
}

/// A target's exact range, and how many sizes (up to 3) it can take.
fn range(
    p: &Program,
    on: &BTreeSet<Assumption>,
    l: &Lin,
    seen: &mut BTreeMap<Lin, BTreeSet<i64>>,
    out: &mut Outcome,
) -> Result<(i64, i64, usize), String> {
    let mut ends = [0i64; 2];
    for (k, max) in [(0, false), (1, true)] {
        out.solves += 1;
        match solve(p, on, Some((l, max)), None) {
            Solved::Values(x) => {
                ends[k] = eval(l, &x);
                note(seen, &x);
            }
            Solved::Infeasible => return Err("infeasible after a feasible point".into()),
            Solved::Failed(e) => return Err(e),
        }
    }
    let [min, max] = ends;
    let mut sizes = seen[l].len().max(if max > min { 2 } else { 1 });
    if sizes < 3 && max - min >= 2 {
        // Is any value strictly between the ends possible?
        out.solves += 1;
        if let Solved::Values(_) = solve(p, on, None, Some((l, (min + 1) as f64, (max - 1) as f64))) {
            sizes = 3;
        }
    }
    Ok((min, max, sizes.min(3)))
}

/// Rates published on a base under the threshold (the base's true size).
fn small_bases(
    site: &Site,
    truth: &BTreeMap<String, EmployerTruth>,
    members: &BTreeSet<String>,
    p: &mut Program,
    out: &mut Outcome,
) {
    for r in site.rates.iter().filter(|r| members.contains(&r.denominator.employer)) {
        let size: i64 = denominator(p, r).iter().map(|&(v, k)| k * base_truth(truth, &p.vars[v])).sum();
        if size < site.threshold as i64 {
            out.published_small.push(format!("{}: a rate on {} (base {size})", r.source, r.denominator));
        }
    }
}

/// Targets: withheld cells, the implicit "not achieved" of each outcome row, and every year's
/// unknown; anything equal to a shown figure is published, not inferred.
fn targets(
    site: &Site,
    truth: &BTreeMap<String, EmployerTruth>,
    p: &mut Program,
    cells: &[(Cell, Lin)],
    out: &mut Outcome,
) -> BTreeMap<Lin, Target> {
    let shown: BTreeSet<&Lin> =
        cells.iter().filter(|(c, _)| matches!(site.cells[c], Shown::Count(_))).map(|(_, l)| l).collect();
    let truth_of = |p: &Program, l: &Lin| l.iter().map(|&(v, k)| k * base_truth(truth, &p.vars[v])).sum::<i64>();
    let mut targets: BTreeMap<Lin, Target> = BTreeMap::new();
    for (c, l) in cells.iter().filter(|(c, _)| site.cells[c] == Shown::Withheld) {
        out.withheld += 1;
        let target = Target { label: c.to_string(), withheld_cell: true, truth: truth_of(p, l) };
        targets.insert(l.clone(), target);
    }
    for (c, _) in cells.iter().filter(|(c, _)| c.kind == Kind::Outcome && c.column.ends_with(".due")) {
        let implicit = Cell { column: c.column.replace(".due", ".not_achieved"), ..c.clone() };
        let l = p.lin(&implicit);
        if !shown.contains(&l) {
            let target = Target { label: implicit.to_string(), withheld_cell: false, truth: truth_of(p, &l) };
            targets.entry(l).or_insert(target);
        }
    }
    for v in 0..p.vars.len() {
        let l: Lin = vec![(v, 1)];
        if shown.contains(&l) {
            continue;
        }
        let (e, kind, table, y, i) = &p.vars[v];
        let group = match kind {
            Kind::Stage => CELLS[*i].to_string(),
            Kind::Outcome => format!("{}.{}", GROUPS[i / 2], ["achieved", "not_achieved"][i % 2]),
            Kind::Extra => ["yes", "no", "not_answered"][*i].to_string(),
        };
        let target = Target {
            label: format!("{e} {table} {y} {group} (one year)"),
            withheld_cell: false,
            truth: truth_of(p, &l),
        };
        targets.entry(l).or_insert(target);
    }
    targets
}

/// The facts to use: all that always hold, and each reading (levels add up, progression equals
/// completion) exactly where it is true of this data, the strongest reader that is never misled.
/// A fact that should always hold but does not is a bug in this model: reported, no attack.
fn readings(
    p: &Program,
    truth: &BTreeMap<String, EmployerTruth>,
    members: &BTreeSet<String>,
    out: &mut Outcome,
) -> Option<BTreeSet<Assumption>> {
    let x: Vec<f64> = p.vars.iter().map(|b| base_truth(truth, b) as f64).collect();
    let holds = |f: &Fact| {
        let v: f64 = f.terms.iter().map(|&(i, k)| k * x[i]).sum();
        v >= f.lo - 1e-6 && v <= f.hi + 1e-6
    };
    let mut on: BTreeSet<Assumption> = BTreeSet::from([Assumption::Always]);
    let mut off: BTreeSet<Assumption> = BTreeSet::new();
    for (a, f) in &p.facts {
        if holds(f) {
            on.insert(a.clone());
        } else if *a == Assumption::Always {
            out.infeasible.push(format!("{members:?}: a fact is false of the true figures: {}", f.why));
            return None;
        } else {
            off.insert(a.clone());
        }
    }
    on.retain(|a| !off.contains(a));
    out.dropped += off.len();
    Some(on)
}
