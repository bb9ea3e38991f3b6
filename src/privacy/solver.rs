//! The audit that decides with a real solver: the reader's knowledge as an integer program.
//!
//! A reader knows every shown cell, every identity and stated `≤` relation between cells, that
//! counts are whole and non-negative, and that a withheld cell is at least 1 (at least 0 inside
//! a wholly withheld distribution). The possible values of a hidden count are then the values
//! it takes over the integer points of that polytope.
//!
//! The audit never trusts the solver's word on safety. A count is safe only when the audit holds
//! enough *verified* integer points (every identity and bound checked in exact arithmetic) on
//! which it takes different values: three for a small group (1 to threshold−1 people), two for
//! any other withheld cell. The true figures are the first such point; the solver (microlp,
//! branch and bound) proposes the others by maximising and minimising each count. A wrong or
//! interrupted solve can only leave a count short of witnesses, which withholds more; it can
//! never make a disclosure look safe.

use super::engine::{CellId, Ledger, Var};
use microlp::{ComparisonOp, OptimizationDirection, Problem};
use std::collections::{BTreeMap, BTreeSet};

/// Upper bound given to every unknown count: far above any real count, so it never binds
/// where a reader has a real bound, and keeps branch and bound finite where they do not.
const CAP: i32 = 10_000_000;

/// Branch-and-bound nodes allowed per solve. The programs here are tiny; the limit only keeps
/// a pathological case from stalling a build (an interrupted solve proposes no witness).
const NODE_LIMIT: u64 = 5_000;

/// How many distinct values a count must be able to take for the publication to be safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Need {
    /// Any withheld cell: it must not be pinned to one value.
    Two,
    /// A group of 1 to threshold−1 people: "one or two people" is already a disclosure.
    Three,
}

impl Need {
    fn count(self) -> usize {
        match self {
            Need::Two => 2,
            Need::Three => 3,
        }
    }
}

/// One row of the program over unknown variables: `sum(coef * x) + constant (= or ≤) 0`.
struct Row {
    terms: Vec<(usize, i64)>,
    constant: i64,
    equality: bool,
}

/// One connected part of the program: the unknowns it links and the rows over them.
struct Component {
    /// Ledger variable of each local unknown.
    vars: Vec<Var>,
    lower: Vec<i64>,
    rows: Vec<Row>,
}

/// Component audits already done for one ledger: the targets left short, keyed by the component
/// and its targets (see [`key_of`]), which with the ledger's true figures are all an audit
/// reads. Valid for one ledger only (the engine keeps one per employer).
#[derive(Default)]
pub struct Audited(rustc_hash::FxHashMap<Vec<i64>, Vec<CellId>>);

/// The cells (of `targets`) that a reader can narrow below what they need.
///
/// `lower[var]` is the reader's lower bound on each variable (1 for a withheld cell, else 0);
/// `shown[var]` the value of each published variable.
pub fn violations(ledger: &Ledger, shown: &[Option<i64>], lower: &[i64], targets: &[(CellId, Need)]) -> Vec<CellId> {
    violations_with(ledger, shown, lower, targets, &mut Audited::default())
}

/// As [`violations`], reusing (and adding to) the audits of unchanged components in `memo`.
pub fn violations_with(
    ledger: &Ledger,
    shown: &[Option<i64>],
    lower: &[i64],
    targets: &[(CellId, Need)],
    memo: &mut Audited,
) -> Vec<CellId> {
    let mut out = Vec::new();
    let parts = Parts::new(ledger, shown);
    let mut by_comp: BTreeMap<usize, Vec<(CellId, Need)>> = BTreeMap::new();
    for &(cell, need) in targets {
        let var = ledger.cells[cell].var;
        match parts.comp_of[var] {
            // A published variable, or one fixed by nothing but its own bounds.
            None if shown[var].is_some() => out.push(cell),
            // Linked to nothing: only its own bounds limit it, and they are open above.
            None => {}
            Some(k) => by_comp.entry(k).or_default().push((cell, need)),
        }
    }
    if by_comp.is_empty() {
        out.sort_unstable();
        out.dedup();
        return out;
    }
    let truth: Vec<i64> = {
        let mut t = vec![0i64; ledger.var_count];
        for c in &ledger.cells {
            t[c.var] = c.value as i64;
        }
        t
    };
    // Rows of each component, in program order.
    let mut rows_of: Vec<Vec<usize>> = vec![Vec::new(); parts.comps];
    for (r, &k) in parts.row_comp.iter().enumerate() {
        rows_of[k].push(r);
    }
    // Most components are unchanged since an earlier audit: their key is written into one
    // reused buffer and looked up, and the component itself is built only when it is new.
    let mut key = Vec::new();
    for (k, cells) in by_comp {
        parts.key_of(&rows_of[k], lower, &cells, &mut key);
        let short = match memo.0.get(key.as_slice()) {
            Some(short) => short,
            None => {
                let comp = parts.component(&rows_of[k], lower);
                let short = audit_component(ledger, &comp, &truth, &cells);
                memo.0.entry(key.clone()).or_insert(short)
            }
        };
        out.extend(short.iter().copied());
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The program after substituting every published value, split into independent parts: its
/// rows over the unknown variables, stored flat, and the part each row and unknown belongs to.
struct Parts {
    /// Every row's terms, one after another.
    terms: Vec<(Var, i64)>,
    /// Each row's end in `terms`, constant and kind (equality or `≤`).
    rows: Vec<(usize, i64, bool)>,
    /// The part of each row.
    row_comp: Vec<usize>,
    /// The part of each unknown that appears in a row.
    comp_of: Vec<Option<usize>>,
    /// How many parts.
    comps: usize,
}

impl Parts {
    fn new(ledger: &Ledger, shown: &[Option<i64>]) -> Parts {
        let n = ledger.var_count;
        let mut terms = Vec::new();
        let mut rows = Vec::new();
        let all = ledger.identities.iter().map(|r| (r, true)).chain(ledger.inequalities.iter().map(|r| (r, false)));
        for (r, equality) in all {
            let (mut constant, begin) = (0i64, terms.len());
            for &(v, k) in r {
                match shown[v] {
                    Some(x) => constant += k as i64 * x,
                    None => terms.push((v, k as i64)),
                }
            }
            if terms.len() > begin {
                rows.push((terms.len(), constant, equality));
            }
        }
        let mut parent: Vec<usize> = (0..n).collect();
        let mut begin = 0;
        for &(end, _, _) in &rows {
            for w in terms[begin..end].windows(2) {
                let (a, b) = (find(&mut parent, w[0].0), find(&mut parent, w[1].0));
                parent[a] = b;
            }
            begin = end;
        }
        // Parts numbered in the order their first row appears.
        let mut comp_of: Vec<Option<usize>> = vec![None; n];
        let mut root_comp: Vec<usize> = vec![usize::MAX; n];
        let mut row_comp = Vec::with_capacity(rows.len());
        let mut comps = 0;
        let mut begin = 0;
        for &(end, _, _) in &rows {
            let root = find(&mut parent, terms[begin].0);
            if root_comp[root] == usize::MAX {
                root_comp[root] = comps;
                comps += 1;
            }
            let k = root_comp[root];
            row_comp.push(k);
            for &(v, _) in &terms[begin..end] {
                comp_of[v] = Some(k);
            }
            begin = end;
        }
        Parts { terms, rows, row_comp, comp_of, comps }
    }

    fn row(&self, r: usize) -> (&[(Var, i64)], i64, bool) {
        let begin = if r == 0 { 0 } else { self.rows[r - 1].0 };
        let (end, constant, equality) = self.rows[r];
        (&self.terms[begin..end], constant, equality)
    }

    /// Into `key`: everything an audit of the part made of `rows` for `targets` reads, each row
    /// and the target list prefixed by its length so that no two audits share a key.
    fn key_of(&self, rows: &[usize], lower: &[i64], targets: &[(CellId, Need)], key: &mut Vec<i64>) {
        key.clear();
        key.push(targets.len() as i64);
        key.extend(targets.iter().flat_map(|&(c, need)| [c as i64, need.count() as i64]));
        for &r in rows {
            let (terms, constant, equality) = self.row(r);
            key.extend([terms.len() as i64, constant, i64::from(equality)]);
            key.extend(terms.iter().flat_map(|&(v, k)| [v as i64, k, lower[v]]));
        }
    }

    /// The part made of `rows`, its unknowns numbered in the order they first appear.
    fn component(&self, rows: &[usize], lower: &[i64]) -> Component {
        let mut local: BTreeMap<Var, usize> = BTreeMap::new();
        let mut comp = Component { vars: Vec::new(), lower: Vec::new(), rows: Vec::with_capacity(rows.len()) };
        for &r in rows {
            let (terms, constant, equality) = self.row(r);
            let terms = terms
                .iter()
                .map(|&(v, coef)| {
                    let i = *local.entry(v).or_insert_with(|| {
                        comp.vars.push(v);
                        comp.lower.push(lower[v]);
                        comp.vars.len() - 1
                    });
                    (i, coef)
                })
                .collect();
            comp.rows.push(Row { terms, constant, equality });
        }
        comp
    }
}

/// Union-find root of `x`, halving paths as it goes (shared with the engine's exact solver).
pub(super) fn find(p: &mut [usize], x: usize) -> usize {
    let mut r = x;
    while p[r] != r {
        r = p[r];
    }
    let mut y = x;
    while p[y] != r {
        let next = p[y];
        p[y] = r;
        y = next;
    }
    r
}

/// Gather witnesses for each target of one component; return the targets left short.
fn audit_component(ledger: &Ledger, comp: &Component, truth: &[i64], targets: &[(CellId, Need)]) -> Vec<CellId> {
    let index: BTreeMap<Var, usize> = comp.vars.iter().enumerate().map(|(i, &v)| (v, i)).collect();
    let start: Vec<i64> = comp.vars.iter().map(|&v| truth[v]).collect();
    let moves = kernel_moves(comp);
    let inequalities: Vec<&Row> = comp.rows.iter().filter(|r| !r.equality).collect();
    // Whether the true figures stepped `t` times along a move stay within every bound and
    // stated relation (the identities hold along a move by construction); memoised, as
    // the same steps serve many targets.
    // One slot per move and step (t = 1, -1, 2, -2).
    let mut step_ok: Vec<Option<bool>> = vec![None; moves.len() * 4];
    let mut check = |m: usize, t: i64| {
        let slot = m * 4 + usize::from(t < 0) + 2 * usize::from(t.abs() == 2);
        *step_ok[slot].get_or_insert_with(|| {
            let at = |i: usize| start[i] + t * moves.at(m, i);
            moves.support(m).all(|i| at(i) >= comp.lower[i] && at(i) <= CAP as i64)
                && inequalities.iter().all(|r| r.terms.iter().map(|&(i, k)| k * at(i)).sum::<i64>() + r.constant <= 0)
        })
    };
    // Every verified point the solver found; each target's distinct values are read off
    // them, the true figures and the steps.
    let mut points: Vec<Vec<i64>> = vec![start.clone()];
    let mut short = Vec::new();
    for &(cell, need) in targets {
        let j = index[&ledger.cells[cell].var];
        let values = |points: &[Vec<i64>]| points.iter().map(|p| p[j]).collect::<BTreeSet<i64>>();
        let mut seen = values(&points);
        // Cheap witnesses first: step from the true figures along integer directions that
        // keep every identity, as far as the bounds and relations allow.
        'moves: for (m, dj) in (0..moves.len()).map(|m| (m, moves.at(m, j))).filter(|&(_, dj)| dj != 0) {
            for t in [1, -1, 2, -2] {
                if seen.len() >= need.count() {
                    break 'moves;
                }
                let value = start[j] + t * dj;
                if !seen.contains(&value) && check(m, t) {
                    seen.insert(value);
                }
            }
        }
        if seen.len() >= need.count() {
            continue;
        }
        for dir in [OptimizationDirection::Maximize, OptimizationDirection::Minimize] {
            if let Some(p) = solve(comp, j, dir, None) {
                points.push(p);
            }
            if values(&points).len() >= need.count() {
                break;
            }
        }
        let seen = values(&points);
        if seen.len() < need.count() && seen.len() == 2 {
            // Two extremes found; a third size can only lie strictly between them.
            let (lo, hi) = (*seen.first().unwrap_or(&0), *seen.last().unwrap_or(&0));
            if hi - lo >= 2
                && let Some(p) = solve(comp, j, OptimizationDirection::Maximize, Some((lo + 1, hi - 1)))
            {
                points.push(p);
            }
        }
        if values(&points).len() < need.count() {
            short.push(cell);
        }
    }
    short
}

/// Integer directions that keep every identity of the component: a basis of the kernel of
/// its equality rows (one vector per free unknown, from the reduced row echelon form), and
/// the sums and differences of pairs of them. Only vectors that keep every identity exactly,
/// in integers, are kept, so rounding in the elimination can cost a witness, never admit a
/// false one.
/// The integer directions of a component: basis vectors, and sums and differences of two, kept
/// as references to the basis rather than written out (a component of 60 unknowns has up to 256
/// directions, and writing each out cost more than the rest of the audit).
struct Moves {
    basis: Vec<Vec<i64>>,
    /// Where each basis vector is non-zero.
    support: Vec<Vec<usize>>,
    list: Vec<Move>,
}

/// One direction: a basis vector, or the sum (`sign` 1) or difference (-1) of two.
enum Move {
    One(usize),
    Two(usize, usize, i64),
}

impl Moves {
    fn len(&self) -> usize {
        self.list.len()
    }

    /// Component `i` of direction `m`.
    fn at(&self, m: usize, i: usize) -> i64 {
        match self.list[m] {
            Move::One(a) => self.basis[a][i],
            Move::Two(a, b, sign) => self.basis[a][i] + sign * self.basis[b][i],
        }
    }

    /// Every unknown where direction `m` may be non-zero (a pair's may repeat one).
    fn support(&self, m: usize) -> impl Iterator<Item = usize> + '_ {
        let (a, b) = match self.list[m] {
            Move::One(a) => (a, None),
            Move::Two(a, b, _) => (a, Some(b)),
        };
        let second: &[usize] = b.map_or(&[], |b| &self.support[b]);
        self.support[a].iter().chain(second).copied()
    }
}

fn kernel_moves(comp: &Component) -> Moves {
    let n = comp.vars.len();
    let mut m: Vec<Vec<f64>> = comp
        .rows
        .iter()
        .filter(|r| r.equality)
        .map(|r| {
            let mut row = vec![0.0; n];
            for &(i, k) in &r.terms {
                row[i] += k as f64;
            }
            row
        })
        .collect();
    let mut pivot_of_col: Vec<Option<usize>> = vec![None; n];
    let mut rank = 0;
    for c in 0..n {
        let Some(p) = (rank..m.len()).find(|&r| m[r][c].abs() > 1e-9) else { continue };
        m.swap(rank, p);
        let pv = m[rank][c];
        for x in m[rank].iter_mut() {
            *x /= pv;
        }
        let pivot_row = std::mem::take(&mut m[rank]);
        for other in m.iter_mut().filter(|r| !r.is_empty() && r[c].abs() > 1e-12) {
            let f = other[c];
            for (x, p) in other.iter_mut().zip(&pivot_row) {
                *x -= f * p;
            }
        }
        m[rank] = pivot_row;
        pivot_of_col[c] = Some(rank);
        rank += 1;
        if rank == m.len() {
            break;
        }
    }
    let basis: Vec<Vec<i64>> = (0..n)
        .filter(|&f| pivot_of_col[f].is_none())
        .filter_map(|f| {
            let mut d = vec![0i64; n];
            d[f] = 1;
            for (c, p) in pivot_of_col.iter().enumerate() {
                if let Some(r) = p {
                    let x = -m[*r][f];
                    if (x - x.round()).abs() > 1e-9 {
                        return None;
                    }
                    d[c] = x.round() as i64;
                }
            }
            Some(d)
        })
        .collect();
    // Keep only directions that keep every identity exactly, in integers.
    let keeps = |d: &[i64]| {
        comp.rows.iter().filter(|r| r.equality).all(|r| r.terms.iter().map(|&(i, k)| k * d[i]).sum::<i64>() == 0)
    };
    let exact: Vec<bool> = basis.iter().map(|d| keeps(d)).collect();
    let mut list: Vec<Move> = (0..basis.len()).filter(|&a| exact[a]).map(Move::One).collect();
    // Pairs let two free unknowns trade, which a single basis vector cannot when one of
    // them sits at its bound. Bounded, so a large component cannot explode the list. The sum
    // or difference of two exact directions is exact (the identities are linear), so only
    // pairs with an inexact member need checking.
    if basis.len() <= 16 {
        for a in 0..basis.len() {
            for b in a + 1..basis.len() {
                for sign in [1, -1] {
                    let keeps_pair = || {
                        let d: Vec<i64> = basis[a].iter().zip(&basis[b]).map(|(x, y)| x + sign * y).collect();
                        keeps(&d)
                    };
                    if exact[a] && exact[b] || keeps_pair() {
                        list.push(Move::Two(a, b, sign));
                    }
                }
            }
        }
    }
    let support = basis.iter().map(|d| (0..d.len()).filter(|&i| d[i] != 0).collect()).collect();
    Moves { basis, support, list }
}

/// Optimise one unknown over the component's integer points; the point is returned only when
/// it checks out exactly.
fn solve(comp: &Component, j: usize, dir: OptimizationDirection, range: Option<(i64, i64)>) -> Option<Vec<i64>> {
    let weights: Vec<f64> = (0..comp.vars.len()).map(|i| if i == j { 1.0 } else { 0.0 }).collect();
    solve_weighted(comp, &weights, dir, range.map(|r| (j, r)))
}

fn solve_weighted(
    comp: &Component,
    weights: &[f64],
    dir: OptimizationDirection,
    range: Option<(usize, (i64, i64))>,
) -> Option<Vec<i64>> {
    let mut problem = Problem::new(dir);
    let vars: Vec<microlp::Variable> = (0..comp.vars.len())
        .map(|i| {
            let (lo, hi) = match range {
                Some((j, (lo, hi))) if i == j => (lo.max(comp.lower[i]), hi),
                _ => (comp.lower[i], CAP as i64),
            };
            let clamp = |x: i64| x.clamp(0, CAP as i64) as i32;
            problem.add_integer_var(weights[i], (clamp(lo), clamp(hi)))
        })
        .collect();
    for row in &comp.rows {
        let expr: Vec<(microlp::Variable, f64)> = row.terms.iter().map(|&(i, k)| (vars[i], k as f64)).collect();
        let op = if row.equality { ComparisonOp::Eq } else { ComparisonOp::Le };
        problem.add_constraint(expr.as_slice(), op, -row.constant as f64);
    }
    let mut options = microlp::SolveOptions::default();
    options.node_limit = Some(NODE_LIMIT);
    // The solver is a proposer only: a panic or an error just means no witness.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| problem.solve_with(options))).ok()?.ok()?;
    let solution = outcome.solution()?;
    let point: Vec<i64> = vars.iter().map(|&v| solution.var_value(v).round() as i64).collect();
    verify(comp, &point, range).then_some(point)
}

/// Exact check of a proposed point: bounds, identities and `≤` relations in integers.
fn verify(comp: &Component, point: &[i64], range: Option<(usize, (i64, i64))>) -> bool {
    let bounds_ok = point.iter().zip(&comp.lower).all(|(&x, &lo)| x >= lo && x <= CAP as i64);
    let range_ok = range.is_none_or(|(j, (lo, hi))| point[j] >= lo && point[j] <= hi);
    let rows_ok = comp.rows.iter().all(|r| {
        let s: i64 = r.terms.iter().map(|&(i, k)| k * point[i]).sum::<i64>() + r.constant;
        if r.equality { s == 0 } else { s <= 0 }
    });
    bounds_ok && range_ok && rows_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `total = a + b` with the total shown and both parts withheld (so each is at least 1).
    fn pair(a: u64, b: u64) -> (Ledger, Vec<Option<i64>>, Vec<i64>, [CellId; 2]) {
        let mut l = Ledger::default();
        let ca = l.base_cell(a, true);
        let cb = l.base_cell(b, true);
        let total = l.sum_cell(&[ca, cb], true);
        let mut shown = vec![None; l.var_count];
        shown[l.cells[total].var] = Some((a + b) as i64);
        let mut lower = vec![0; l.var_count];
        lower[l.cells[ca].var] = 1;
        lower[l.cells[cb].var] = 1;
        (l, shown, lower, [ca, cb])
    }

    #[test]
    fn two_withheld_ones_are_pinned() {
        let (l, shown, lower, [a, b]) = pair(1, 1);
        assert_eq!(violations(&l, &shown, &lower, &[(a, Need::Two), (b, Need::Two)]), vec![a, b]);
    }

    #[test]
    fn one_or_two_people_is_a_disclosure() {
        // a + b = 3: each is "1 or 2", two possible sizes.
        let (l, shown, lower, [a, b]) = pair(1, 2);
        assert_eq!(violations(&l, &shown, &lower, &[(a, Need::Three), (b, Need::Three)]), vec![a, b]);
        assert!(violations(&l, &shown, &lower, &[(a, Need::Two), (b, Need::Two)]).is_empty());
        // a + b = 4: 1, 2 or 3 each.
        let (l, shown, lower, [a, b]) = pair(1, 3);
        assert!(violations(&l, &shown, &lower, &[(a, Need::Three), (b, Need::Three)]).is_empty());
    }

    #[test]
    fn a_stated_relation_can_pin_a_count() {
        // due = achieved + not; due 40 shown, achieved withheld, a stated `34 <= achieved`
        // and `achieved <= 34` (progression due equal to the completers) pin the 6.
        let mut l = Ledger::default();
        let achieved = l.base_cell(34, true);
        let not = l.base_cell(6, false);
        let due = l.sum_cell(&[achieved, not], true);
        let progression_due = l.base_cell(34, true);
        l.equal(&[progression_due], &[achieved]);
        let mut shown = vec![None; l.var_count];
        shown[l.cells[due].var] = Some(40);
        shown[l.cells[progression_due].var] = Some(34);
        let mut lower = vec![0; l.var_count];
        lower[l.cells[achieved].var] = 1;
        assert_eq!(violations(&l, &shown, &lower, &[(not, Need::Three)]), vec![not]);
        // With only `progression due <= achieved`, 1 to 6 people did not complete.
        let mut l2 = Ledger::default();
        let achieved = l2.base_cell(34, true);
        let not = l2.base_cell(6, false);
        let _due = l2.sum_cell(&[achieved, not], true);
        let progression_due = l2.base_cell(34, true);
        l2.at_most(&[progression_due], &[achieved]);
        assert!(violations(&l2, &shown, &lower, &[(not, Need::Three)]).is_empty());
    }
}
