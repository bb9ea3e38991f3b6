//! The suppression engine: cells over hidden base counts, primary and secondary suppression,
//! and an audit that plays the reader trying to recover a small group from what is published.
//!
//! Every published number is a sum of base counts (a "form"). The reader knows every shown
//! cell, the identities and stated `≤` relations between base counts, that counts are
//! non-negative whole numbers, and that a withheld cell is non-zero (zeros are always shown,
//! except when a whole distribution is withheld). `[c]` says only "withheld": a small group or
//! a figure that would reveal one. The rule: no withheld cell can be pinned to one value, and
//! no small group (1..threshold−1 people) can be narrowed to fewer than three possible sizes.
//! Interval propagation and exact linear solving catch the plain cases cheaply; the integer
//! program of [`super::solver`] decides the rest.

use super::solver::{self, find};

/// Index of a base count or of a cell's own variable.
pub type Var = usize;
/// Index of a cell.
pub type CellId = usize;

/// Stands for "no upper bound" in interval arithmetic. Counts are u32 and an identity has a
/// handful of terms, so finite sums stay far below 2^49 and sums of unbounded terms below 2^62:
/// i64 holds every sum without overflow, and is much cheaper than i128 in this hot loop.
const INF: i64 = 1 << 50;

#[derive(Debug, Clone)]
pub struct Cell {
    /// The variable that stands for this cell's value.
    pub var: Var,
    /// Its true value (never shown unless published).
    pub value: u64,
    /// Whether the cell would be published if safe; other cells exist only to be protected.
    pub candidate: bool,
    /// Cells of one distribution (professional, intermediate, working class) share a group id.
    pub distribution: Option<usize>,
}

/// An additive relation `total = sum(parts)`, used by the secondary-suppression pass.
#[derive(Debug, Clone)]
pub struct Line {
    pub total: CellId,
    pub parts: Vec<CellId>,
}

/// A linear identity over variables with ±1 coefficients: `sum(coef * x) = 0`.
pub type Identity = Vec<(Var, i8)>;

/// The tables of one employer as one linear system.
#[derive(Debug, Default, Clone)]
pub struct Ledger {
    pub var_count: usize,
    pub cells: Vec<Cell>,
    pub lines: Vec<Line>,
    pub identities: Vec<Identity>,
    /// Stated relations `sum(coef * x) <= 0` (progression counts at most the completers).
    pub inequalities: Vec<Identity>,
    distributions: usize,
}

/// Work remembered across the many audits of one employer's publication. The suppression loop
/// and the give-back pass audit the same ledger again after each single change, and most of its
/// independent parts are unchanged between two audits: their exact elimination and their
/// integer-program audit are pure functions of the part, so each is worked out once. Keys are
/// the parts themselves (not hashes of them), so a remembered answer is never another part's.
#[derive(Default)]
pub struct Memo {
    /// Variables pinned by one component's equalities, keyed by its rows (written one after
    /// another, each closed by `(Var::MAX, 0)`).
    eliminated: rustc_hash::FxHashMap<Vec<(Var, i8)>, Vec<Var>>,
    /// The solver audit's memory.
    pub(super) audited: solver::Audited,
    /// For each variable, the constraints (identities, then relations) it appears in.
    uses: Vec<Vec<usize>>,
}

/// What the reader knows about a cell after publication.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Known {
    pub hidden: bool,
    pub lo: u64,
    /// `None` when unbounded above.
    pub hi: Option<u64>,
}

impl Ledger {
    pub fn new_var(&mut self) -> Var {
        self.var_count += 1;
        self.var_count - 1
    }

    /// A cell that is one base count.
    pub fn base_cell(&mut self, value: u64, candidate: bool) -> CellId {
        let var = self.new_var();
        self.cells.push(Cell { var, value, candidate, distribution: None });
        self.cells.len() - 1
    }

    /// A cell whose value is the sum of other cells (a total or a pooled figure).
    pub fn sum_cell(&mut self, parts: &[CellId], candidate: bool) -> CellId {
        let var = self.new_var();
        let value = parts.iter().map(|&p| self.cells[p].value).sum();
        let mut identity: Identity = parts.iter().map(|&p| (self.cells[p].var, 1)).collect();
        identity.push((var, -1));
        self.identities.push(identity);
        self.cells.push(Cell { var, value, candidate, distribution: None });
        let id = self.cells.len() - 1;
        self.lines.push(Line { total: id, parts: parts.to_vec() });
        id
    }

    /// Mark cells as one distribution: when one holds everyone, all are withheld.
    pub fn distribution(&mut self, cells: &[CellId]) {
        let d = self.distributions;
        self.distributions += 1;
        for &c in cells {
            self.cells[c].distribution = Some(d);
        }
    }

    /// An identity the reader may assume: `sum(left) = sum(right)` over cells.
    pub fn equal(&mut self, left: &[CellId], right: &[CellId]) {
        let mut id: Identity = left.iter().map(|&c| (self.cells[c].var, 1)).collect();
        id.extend(right.iter().map(|&c| (self.cells[c].var, -1)));
        self.identities.push(id);
    }

    /// A relation the reader may assume: `sum(left) <= sum(right)` over cells.
    pub fn at_most(&mut self, left: &[CellId], right: &[CellId]) {
        let mut id: Identity = left.iter().map(|&c| (self.cells[c].var, 1)).collect();
        id.extend(right.iter().map(|&c| (self.cells[c].var, -1)));
        self.inequalities.push(id);
    }
}

/// The settings of one suppression run.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub threshold: u64,
    /// Off only in tests that show the audit catches what primary suppression alone leaks.
    pub secondary: bool,
    pub audit: Audit,
}

impl Settings {
    /// What every build uses: secondary suppression on, the solver audit (see [`Audit::from_env`]).
    pub fn new(threshold: u64) -> Settings {
        Settings { threshold, secondary: true, audit: Audit::from_env() }
    }
}

/// Which reader the audit plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audit {
    /// Interval propagation and exact linear solving, then the integer-program audit of
    /// [`super::solver`]: no withheld cell pinned, no small group narrowed below three sizes.
    Solver,
    /// Only propagation and exact solving (the audit before the solver existed). Kept so the
    /// attacker test can show what the solver audit adds; never the default.
    Legacy,
}

impl Audit {
    /// The solver audit, unless a debug build (the test suite) asks for the legacy one through
    /// `LADDER_PRIVACY_AUDIT=legacy`. Release builds ignore the variable: no setting of a
    /// published site can weaken its privacy.
    pub fn from_env() -> Audit {
        if cfg!(debug_assertions) && std::env::var("LADDER_PRIVACY_AUDIT").is_ok_and(|v| v == "legacy") {
            Audit::Legacy
        } else {
            Audit::Solver
        }
    }
}

fn small(v: u64, t: u64) -> bool {
    v >= 1 && v < t
}

/// Decide which cells to withhold, and what the reader can then know about each.
pub fn suppress(ledger: &Ledger, settings: Settings) -> Vec<Known> {
    let t = settings.threshold;
    let mut hidden: Vec<bool> = ledger.cells.iter().map(|c| !c.candidate || small(c.value, t)).collect();
    hide_whole_distributions(ledger, &mut hidden);
    // The reader's view of the current `hidden`; the audit's last view is reused for the bounds.
    let mut view: Option<Attack> = None;
    let memo = &mut Memo::default();
    if settings.secondary {
        let mut rounds = 0;
        // Cells withheld only because the solver audit asked for them.
        let mut added: Vec<CellId> = Vec::new();
        loop {
            line_pass(ledger, &mut hidden, t);
            let known = attack_with(ledger, &hidden, memo);
            let mut disclosed = disclosed_in(ledger, &known, t);
            let by_solver = disclosed.is_empty() && settings.audit == Audit::Solver;
            if by_solver {
                disclosed = solver_audit(ledger, &hidden, &known, t, memo);
            }
            if disclosed.is_empty() {
                view = Some(give_back(ledger, &mut hidden, &added, t, memo).unwrap_or(known));
                break;
            }
            rounds += 1;
            let before = hidden.clone();
            let progressed = disclosed.iter().any(|&d| hide_neighbour(ledger, &mut hidden, d));
            if by_solver {
                added.extend((0..hidden.len()).filter(|&i| hidden[i] && !before[i]));
            }
            if !progressed || rounds > 64 {
                // Last resort: withhold every non-zero cell and every distribution whole; nothing
                // then links a small group, and no zero can pin another.
                for (i, c) in ledger.cells.iter().enumerate() {
                    if c.value > 0 || c.distribution.is_some_and(|d| holds_anyone(ledger, d)) {
                        hidden[i] = true;
                    }
                }
                break;
            }
        }
    }
    let bounds = view.unwrap_or_else(|| attack_with(ledger, &hidden, memo));
    ledger
        .cells
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let (lo, hi) = bounds.var[c.var];
            if hidden[i] {
                Known { hidden: true, lo: lo.max(0) as u64, hi: (hi < INF).then_some(hi as u64) }
            } else {
                Known { hidden: false, lo: c.value, hi: Some(c.value) }
            }
        })
        .collect()
}

/// The audit withholds more one cell at a time, nearest first, so an early pick can turn out
/// unneeded once later ones are in. Show each such cell again, largest first (the most a
/// reader gains), wherever the full audit still passes without it. Afterwards no single cell
/// the solver audit added can be shown again. Returns the reader's view when anything changed.
fn give_back(ledger: &Ledger, hidden: &mut [bool], added: &[CellId], t: u64, memo: &mut Memo) -> Option<Attack> {
    let mut order = added.to_vec();
    order.sort_by_key(|&c| (std::cmp::Reverse(ledger.cells[c].value), c));
    let mut changed = false;
    for c in order {
        // A zero withheld with its whole distribution stays hidden only as long as the whole
        // distribution does: shown alone again, the rest would say "not zero" of it.
        let holds_a_hidden_zero = |dist: usize, hidden: &[bool]| {
            ledger.cells.iter().enumerate().any(|(i, o)| o.distribution == Some(dist) && hidden[i] && o.value == 0)
        };
        if ledger.cells[c].distribution.is_some_and(|d| holds_a_hidden_zero(d, hidden)) {
            continue;
        }
        hidden[c] = false;
        let known = attack_with(ledger, hidden, memo);
        if disclosed_in(ledger, &known, t).is_empty() && solver_audit(ledger, hidden, &known, t, memo).is_empty() {
            changed = true;
        } else {
            hidden[c] = true;
        }
    }
    changed.then(|| attack_with(ledger, hidden, memo))
}

/// Attribute disclosure: if one group holds everyone who answered, withhold the distribution.
fn hide_whole_distributions(ledger: &Ledger, hidden: &mut [bool]) {
    let mut groups: std::collections::BTreeMap<usize, Vec<CellId>> = Default::default();
    for (i, c) in ledger.cells.iter().enumerate() {
        if let Some(d) = c.distribution {
            groups.entry(d).or_default().push(i);
        }
    }
    for cells in groups.values() {
        let total: u64 = cells.iter().map(|&c| ledger.cells[c].value).sum();
        if total > 0 && cells.iter().any(|&c| ledger.cells[c].value == total) {
            for &c in cells {
                hidden[c] = true;
            }
        }
    }
}

/// Classic secondary suppression: a line with exactly one withheld non-zero cell gives it away
/// by subtraction, so withhold the smallest other non-zero cell of that line; repeat.
fn line_pass(ledger: &Ledger, hidden: &mut [bool], threshold: u64) {
    loop {
        // Zeros withheld with their whole distribution are as unknown to the reader as any other.
        let whole = wholly_hidden(ledger, hidden);
        let unknown = |hidden: &[bool], c: CellId| {
            hidden[c] && (ledger.cells[c].value > 0 || ledger.cells[c].distribution.is_some_and(|d| whole.contains(&d)))
        };
        let mut changed = false;
        for line in &ledger.lines {
            let members: Vec<CellId> = std::iter::once(line.total).chain(line.parts.iter().copied()).collect();
            let withheld: Vec<CellId> = members.iter().copied().filter(|&c| unknown(hidden, c)).collect();
            // A lone unpublished large count (one year inside a pooled total) needs no cover.
            let [only] = withheld[..] else { continue };
            if !ledger.cells[only].candidate && !small(ledger.cells[only].value, threshold) {
                continue;
            }
            let pick = members
                .iter()
                .filter(|&&c| !hidden[c] && ledger.cells[c].value > 0)
                .min_by_key(|&&c| (ledger.cells[c].value, c));
            if let Some(&c) = pick {
                hidden[c] = true;
                changed = true;
            }
        }
        if !changed {
            return;
        }
    }
}

/// Whether a distribution counts anyone. One of nobody is never withheld whole: its published
/// total of 0 would pin every cell of it anyway.
fn holds_anyone(ledger: &Ledger, dist: usize) -> bool {
    ledger.cells.iter().any(|c| c.distribution == Some(dist) && c.value > 0)
}

/// The distributions every cell of which is withheld, as a flag per distribution: asked for
/// by every audit, so a plain table rather than a set.
struct Whole(Vec<bool>);

impl Whole {
    fn contains(&self, d: &usize) -> bool {
        self.0.get(*d).copied().unwrap_or(false)
    }
}

fn wholly_hidden(ledger: &Ledger, hidden: &[bool]) -> Whole {
    let mut all = vec![true; ledger.distributions];
    for (i, c) in ledger.cells.iter().enumerate() {
        if let Some(d) = c.distribution {
            // A ledger built by hand (tests) may name a distribution it never counted.
            if d >= all.len() {
                all.resize(d + 1, true);
            }
            all[d] &= hidden[i];
        }
    }
    Whole(all)
}

/// Withhold one more non-zero cell related to a disclosed one: the nearest published cells,
/// first those sharing a line with it, then those linked through identities (breadth first, so
/// a pooled total or a level band several steps away can be found); false when none is left.
fn hide_neighbour(ledger: &Ledger, hidden: &mut [bool], d: CellId) -> bool {
    // A shown zero can pin a withheld one (a band's withheld 0 under a make-up's published 0).
    // A zero cannot be withheld alone (a reader knows a lone `[c]` is not zero), but it can go
    // with its whole distribution, after which any of its cells may be zero: the last choice,
    // as it withholds the most.
    let open = |c: CellId, hidden: &[bool]| {
        let cell = &ledger.cells[c];
        !hidden[c] && cell.candidate && (cell.value > 0 || cell.distribution.is_some_and(|d| holds_anyone(ledger, d)))
    };
    let smallest = |cells: &mut dyn Iterator<Item = CellId>, hidden: &[bool]| {
        cells.filter(|&c| open(c, hidden)).min_by_key(|&c| (ledger.cells[c].value == 0, ledger.cells[c].value, c))
    };
    let hide = |c: CellId, hidden: &mut [bool]| match ledger.cells[c].distribution {
        Some(dist) if ledger.cells[c].value == 0 => {
            for (i, other) in ledger.cells.iter().enumerate() {
                if other.distribution == Some(dist) {
                    hidden[i] = true;
                }
            }
        }
        _ => hidden[c] = true,
    };
    let mut in_lines = ledger
        .lines
        .iter()
        .filter(|l| l.total == d || l.parts.contains(&d))
        .flat_map(|l| std::iter::once(l.total).chain(l.parts.iter().copied()));
    if let Some(c) = smallest(&mut in_lines, hidden) {
        hide(c, hidden);
        return true;
    }
    let cell_of: std::collections::HashMap<Var, CellId> =
        ledger.cells.iter().enumerate().map(|(i, c)| (c.var, i)).collect();
    let mut seen = std::collections::HashSet::from([ledger.cells[d].var]);
    let mut frontier = vec![ledger.cells[d].var];
    for _ in 0..6 {
        let mut next = Vec::new();
        for id in &ledger.identities {
            if id.iter().any(|(v, _)| frontier.contains(v)) {
                next.extend(id.iter().map(|(v, _)| *v).filter(|v| seen.insert(*v)));
            }
        }
        let mut layer = next.iter().filter_map(|v| cell_of.get(v).copied());
        if let Some(c) = smallest(&mut layer, hidden) {
            hide(c, hidden);
            return true;
        }
        if next.is_empty() {
            return false;
        }
        frontier = next;
    }
    false
}

/// What to audit, and what the reader knows: every small group not published must keep three
/// possible sizes, every withheld cell two. Propagated bounds settle the cheap cases (they
/// are looser than the reader's, so a range already too narrow there is too narrow for
/// certain); the integer program settles the rest.
fn solver_audit(ledger: &Ledger, hidden: &[bool], known: &Attack, t: u64, memo: &mut Memo) -> Vec<CellId> {
    let whole = wholly_hidden(ledger, hidden);
    let mut shown = vec![None; ledger.var_count];
    let mut lower = vec![0i64; ledger.var_count];
    for (i, c) in ledger.cells.iter().enumerate().filter(|(_, c)| c.candidate) {
        if !hidden[i] {
            shown[c.var] = Some(c.value as i64);
        } else if !c.distribution.is_some_and(|d| whole.contains(&d)) {
            lower[c.var] = 1;
        }
    }
    let mut narrow = Vec::new();
    let mut targets = Vec::new();
    for (i, c) in ledger.cells.iter().enumerate() {
        // A small group not on show (withheld, or never published such as a year inside a pooled
        // window or those who did not complete).
        let need = if small(c.value, t) && (hidden[i] || !c.candidate) {
            solver::Need::Three
        } else if c.candidate && hidden[i] {
            solver::Need::Two
        } else {
            continue;
        };
        let (lo, hi) = known.var[c.var];
        let width = if hi >= INF / 2 { i64::MAX } else { hi - lo + 1 };
        let needed = if need == solver::Need::Three { 3 } else { 2 };
        if width < needed || known.determined[c.var] {
            narrow.push(i);
        } else {
            targets.push((i, need));
        }
    }
    if !narrow.is_empty() {
        return narrow;
    }
    solver::violations_with(ledger, &shown, &lower, &targets, &mut memo.audited)
}

/// Cells whose true value is a small group and that the reader can pin down.
pub fn disclosed_cells(ledger: &Ledger, hidden: &[bool], t: u64) -> Vec<CellId> {
    disclosed_in(ledger, &attack(ledger, hidden), t)
}

/// As [`disclosed_cells`], from a reader's view already worked out.
fn disclosed_in(ledger: &Ledger, known: &Attack, t: u64) -> Vec<CellId> {
    ledger
        .cells
        .iter()
        .enumerate()
        .filter(|(_, c)| small(c.value, t))
        .filter(|(_, c)| {
            let (lo, hi) = known.var[c.var];
            lo == hi || known.determined[c.var]
        })
        .map(|(i, _)| i)
        .collect()
}

/// The reader's knowledge: bounds per variable, and which variables are exactly determined.
pub struct Attack {
    pub var: Vec<(i64, i64)>,
    pub determined: Vec<bool>,
}

/// A constraint `lo <= sum(coef * x) <= hi` over borrowed terms.
struct Constraint<'a> {
    terms: &'a [(Var, i8)],
    lo: i64,
    hi: i64,
}

/// Play the reader: every shown cell fixes its variable, every withheld one is known to be
/// non-zero (except inside a wholly withheld distribution); then interval propagation over the
/// identities to a fixed point, then exact solving.
pub fn attack(ledger: &Ledger, hidden: &[bool]) -> Attack {
    attack_with(ledger, hidden, &mut Memo::default())
}

/// As [`attack`], remembering each component's elimination in `memo`.
fn attack_with(ledger: &Ledger, hidden: &[bool], memo: &mut Memo) -> Attack {
    let n = ledger.var_count;
    let mut b = vec![(0i64, INF); n];
    let mut fixed = vec![false; n];
    let whole = wholly_hidden(ledger, hidden);
    for (i, c) in ledger.cells.iter().enumerate().filter(|(_, c)| c.candidate) {
        if !hidden[i] {
            let v = c.value as i64;
            b[c.var] = (v, v);
            fixed[c.var] = true;
        } else {
            let lb = if c.distribution.is_some_and(|d| whole.contains(&d)) { 0 } else { 1 };
            b[c.var].0 = b[c.var].0.max(lb);
        }
    }
    let cons: Vec<Constraint<'_>> = ledger
        .identities
        .iter()
        .map(|id| Constraint { terms: id, lo: 0, hi: 0 })
        .chain(ledger.inequalities.iter().map(|id| Constraint { terms: id, lo: -INF, hi: 0 }))
        .collect();
    propagate_all(&cons, &mut b, memo);
    let determined = solve_exact(n, &ledger.identities, &fixed, memo);
    Attack { var: b, determined }
}

/// Interval propagation to a fixed point. A worklist: after the first pass only constraints
/// over a variable whose bounds just changed are looked at again (sweeping every constraint
/// until none changed cost most of the audit). Narrowing is monotone, so the fixed point is the
/// one any order reaches; the cap (as many steps as 200 full sweeps) only bounds a pathological
/// case.
fn propagate_all(cons: &[Constraint<'_>], b: &mut [(i64, i64)], memo: &mut Memo) {
    if memo.uses.len() != b.len() {
        memo.uses = vec![Vec::new(); b.len()];
        for (k, c) in cons.iter().enumerate() {
            for &(v, _) in c.terms {
                memo.uses[v].push(k);
            }
        }
    }
    let mut queued = vec![true; cons.len()];
    let mut queue: std::collections::VecDeque<usize> = (0..cons.len()).collect();
    let mut changed = Vec::new();
    let mut budget = 200 * cons.len();
    while let Some(k) = queue.pop_front() {
        queued[k] = false;
        if budget == 0 {
            break;
        }
        budget -= 1;
        propagate(&cons[k], b, &mut changed);
        for v in changed.drain(..) {
            for &other in &memo.uses[v] {
                if !queued[other] {
                    queued[other] = true;
                    queue.push_back(other);
                }
            }
        }
    }
}

fn term_range(b: &[(i64, i64)], v: Var, coef: i8) -> (i64, i64) {
    let (lo, hi) = b[v];
    if coef > 0 { (lo, hi) } else { (-hi, -lo) }
}

/// Narrow each term's bounds by the others'; the variables narrowed are added to `changed`.
fn propagate(c: &Constraint, b: &mut [(i64, i64)], changed: &mut Vec<Var>) {
    // Runs many times per employer: sums first, then each term against the others, no allocation.
    let (mut sum_lo, mut sum_hi) = (0i64, 0i64);
    for &(v, k) in c.terms {
        let (lo, hi) = term_range(b, v, k);
        sum_lo += lo;
        sum_hi += hi.min(INF);
    }
    for &(v, k) in c.terms {
        let (rlo, rhi) = term_range(b, v, k);
        let others_lo = sum_lo - rlo;
        let others_hi = sum_hi - rhi.min(INF);
        // term ∈ [c.lo − others_hi, c.hi − others_lo], meaningful only when the other side is finite.
        let t_lo = if others_hi >= INF / 2 || c.lo <= -INF / 2 { i64::MIN } else { c.lo - others_hi };
        let t_hi = if c.hi >= INF / 2 { i64::MAX } else { c.hi - others_lo };
        let (x_lo, x_hi) = if k > 0 {
            (t_lo, t_hi)
        } else {
            (if t_hi == i64::MAX { i64::MIN } else { -t_hi }, if t_lo == i64::MIN { i64::MAX } else { -t_lo })
        };
        let (lo, hi) = b[v];
        let new_lo = lo.max(x_lo.max(0));
        let new_hi = hi.min(x_hi.min(INF));
        // An empty range means the published figures are inconsistent; keep what was known.
        if (new_lo != lo || new_hi != hi) && new_lo <= new_hi {
            b[v] = (new_lo, new_hi);
            changed.push(v);
        }
    }
}

/// Which variables are fixed by the equalities alone: the shown ones, and those the identities
/// pin once the shown values are substituted (reduced row echelon form per component).
fn solve_exact(n: usize, identities: &[Identity], fixed: &[bool], memo: &mut Memo) -> Vec<bool> {
    // Substitute shown values: only unknown variables stay in the rows, stored one after
    // another with each row's end (thousands of audits per build: one allocation, not one a row).
    let mut terms: Vec<(Var, i8)> = Vec::new();
    let mut ends: Vec<usize> = Vec::new();
    for id in identities {
        let begin = terms.len();
        terms.extend(id.iter().copied().filter(|(v, _)| !fixed[*v]));
        if terms.len() > begin {
            ends.push(terms.len());
        }
    }
    let row = |r: usize| &terms[if r == 0 { 0 } else { ends[r - 1] }..ends[r]];
    // Split into independent components so each elimination stays small.
    let mut parent: Vec<usize> = (0..n).collect();
    for r in 0..ends.len() {
        for w in row(r).windows(2) {
            let (a, b) = (find(&mut parent, w[0].0), find(&mut parent, w[1].0));
            parent[a] = b;
        }
    }
    // Rows grouped by component, each component's rows in identity order.
    let mut order: Vec<(usize, usize)> = (0..ends.len()).map(|r| (find(&mut parent, row(r)[0].0), r)).collect();
    order.sort_unstable();
    let mut determined = fixed.to_vec();
    // A component's variables are exactly those of its rows, so the rows are its whole key:
    // written into one reused buffer, each row closed by a marker no variable can be.
    let mut key: Vec<(Var, i8)> = Vec::new();
    for group in order.chunk_by(|a, b| a.0 == b.0) {
        key.clear();
        for &(_, r) in group {
            key.extend_from_slice(row(r));
            key.push((Var::MAX, 0));
        }
        let pinned = match memo.eliminated.get(key.as_slice()) {
            Some(p) => p,
            None => {
                let mut vars: Vec<Var> = key.iter().map(|&(v, _)| v).filter(|&v| v != Var::MAX).collect();
                vars.sort_unstable();
                vars.dedup();
                let rows: Vec<&[(Var, i8)]> = group.iter().map(|&(_, r)| row(r)).collect();
                let pinned = eliminate(&vars, &rows);
                memo.eliminated.entry(key.clone()).or_insert(pinned)
            }
        };
        for &v in pinned.iter() {
            determined[v] = true;
        }
    }
    determined
}

fn eliminate(vars: &[Var], rows: &[&[(Var, i8)]]) -> Vec<Var> {
    // `vars` is sorted, so a column is a binary search away.
    let col =
        |v: Var| vars.binary_search(&v).unwrap_or_else(|_| unreachable!("every term's variable is in its component"));
    let w = vars.len();
    let mut m: Vec<Vec<f64>> = rows
        .iter()
        .map(|terms| {
            let mut r = vec![0.0; w];
            for &(v, k) in *terms {
                r[col(v)] += k as f64;
            }
            r
        })
        .collect();
    let mut pivots = Vec::new();
    let mut row = 0;
    for c in 0..w {
        let Some(p) = (row..m.len()).max_by(|&a, &b| m[a][c].abs().total_cmp(&m[b][c].abs())) else { break };
        if m[p][c].abs() < 1e-9 {
            continue;
        }
        m.swap(row, p);
        let pv = m[row][c];
        for x in m[row].iter_mut() {
            *x /= pv;
        }
        let pivot_row = std::mem::take(&mut m[row]);
        for other in m.iter_mut().filter(|r| !r.is_empty() && r[c].abs() > 1e-12) {
            let f = other[c];
            for (x, p) in other.iter_mut().zip(&pivot_row) {
                *x -= f * p;
            }
        }
        m[row] = pivot_row;
        pivots.push((row, c));
        row += 1;
        if row == m.len() {
            break;
        }
    }
    // A variable is fixed when its pivot row has no other free entry.
    pivots.into_iter().filter(|&(r, c)| (0..w).all(|k| k == c || m[r][k].abs() < 1e-9)).map(|(_, c)| vars[c]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// professional, intermediate, working class and their total.
    fn table(values: [u64; 3]) -> (Ledger, [CellId; 4]) {
        let mut l = Ledger::default();
        let p = l.base_cell(values[0], true);
        let i = l.base_cell(values[1], true);
        let w = l.base_cell(values[2], true);
        l.distribution(&[p, i, w]);
        let total = l.sum_cell(&[p, i, w], true);
        (l, [p, i, w, total])
    }

    const ON: Settings = Settings { threshold: 10, secondary: true, audit: Audit::Solver };
    const OFF: Settings = Settings { threshold: 10, secondary: false, audit: Audit::Solver };

    #[test]
    fn primary_only_leaks_by_subtraction() {
        let (l, _) = table([20, 15, 7]);
        let known = suppress(&l, OFF);
        let hidden: Vec<bool> = known.iter().map(|k| k.hidden).collect();
        assert!(!disclosed_cells(&l, &hidden, 10).is_empty());
    }

    #[test]
    fn secondary_hides_a_second_cell() {
        let (l, [p, i, w, total]) = table([20, 15, 7]);
        let known = suppress(&l, ON);
        assert!(known[w].hidden);
        assert!(known[i].hidden, "smallest other cell of the line is withheld");
        assert!(!known[p].hidden && !known[total].hidden);
        let hidden: Vec<bool> = known.iter().map(|k| k.hidden).collect();
        assert!(disclosed_cells(&l, &hidden, 10).is_empty());
        // the reader knows w + i = 22 with both >= 1, so w is anywhere in 1..=21
        assert_eq!(known[w].hi, Some(21));
    }

    #[test]
    fn two_small_cells_cover_each_other() {
        // w = 3 and i = 5 hidden, total 108: the reader knows w + i = 8, not either one.
        let (l, [p, i, w, total]) = table([100, 5, 3]);
        let known = suppress(&l, ON);
        let hidden: Vec<bool> = known.iter().map(|k| k.hidden).collect();
        assert!(disclosed_cells(&l, &hidden, 10).is_empty());
        assert!(known[w].hidden && known[i].hidden);
        assert!(!known[p].hidden && !known[total].hidden);
        assert_eq!((known[w].lo, known[w].hi), (1, Some(7)));
    }

    #[test]
    fn two_ones_are_not_left_solvable() {
        // w = 1 and i = 1: withheld cells are non-zero, so w + i = 2 would pin both at 1.
        let (l, [p, _, w, _]) = table([100, 1, 1]);
        let known = suppress(&l, ON);
        let hidden: Vec<bool> = known.iter().map(|k| k.hidden).collect();
        assert!(disclosed_cells(&l, &hidden, 10).is_empty());
        assert!(known[p].hidden, "a third cell must be withheld");
        assert_ne!(known[w].lo, known[w].hi.unwrap_or(u64::MAX));
    }

    #[test]
    fn one_group_holding_everyone_is_withheld() {
        let (l, [p, i, w, total]) = table([0, 0, 40]);
        let known = suppress(&l, ON);
        assert!(known[p].hidden && known[i].hidden && known[w].hidden);
        assert!(!known[total].hidden);
        assert_eq!(known[w].lo, 0);
    }

    #[test]
    fn large_cells_are_all_shown() {
        let (l, _) = table([40, 25, 35]);
        assert!(suppress(&l, ON).iter().all(|k| !k.hidden));
    }

    #[test]
    fn pooled_years_do_not_reveal_a_single_year() {
        let mut l = Ledger::default();
        let y1 = l.base_cell(4, false);
        let y2 = l.base_cell(30, true);
        let pooled = l.sum_cell(&[y1, y2], true);
        let known = suppress(&l, ON);
        // Showing both the pooled figure and year two would give year one away.
        assert!(known[pooled].hidden || known[y2].hidden);
    }

    #[test]
    fn exact_solving_finds_differences() {
        let mut l = Ledger::default();
        let a = l.base_cell(5, true);
        let b = l.base_cell(50, true);
        let _ = l.sum_cell(&[a, b], true);
        let hidden = vec![true, false, false];
        assert!(attack(&l, &hidden).determined[l.cells[a].var]);
    }
}
