//! Memo of results between builds of one process (`ladder serve`), generic over what it holds:
//! each stage keeps its own memos (`model::ModelMemo`, `render::RenderMemo`, the build's
//! `BuildCache` around them), so this module names no type of the site.
//!
//! Every entry is keyed by a hash of *all* its inputs (file text, benchmark data, settings,
//! template sources, the page's full context), so a rebuild reuses exactly what cannot have
//! changed and its output equals a clean build by construction.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

pub use crate::hash::key;

/// One kind of cached value.
pub struct Memo<T> {
    map: Mutex<HashMap<u64, T>>,
    used: Mutex<HashSet<u64>>,
    misses: Mutex<usize>,
    /// Off for one-shot builds, where remembering would only cost memory.
    enabled: bool,
}

impl<T> Default for Memo<T> {
    fn default() -> Self {
        Memo { map: Mutex::default(), used: Mutex::default(), misses: Mutex::default(), enabled: true }
    }
}

impl<T> Memo<T> {
    /// A memo that remembers nothing: a one-shot build keeps nothing it will not use again.
    pub fn off() -> Self {
        Memo { enabled: false, ..Memo::default() }
    }
}

impl<T: Clone> Memo<T> {
    /// The cached value for `key`, or `make()` (remembered only if it succeeds).
    pub fn get_or<E>(&self, key: u64, make: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
        if !self.enabled {
            return make();
        }
        self.used.lock().expect("cache lock").insert(key);
        if let Some(v) = self.map.lock().expect("cache lock").get(&key) {
            return Ok(v.clone());
        }
        *self.misses.lock().expect("cache lock") += 1;
        let v = make()?;
        self.map.lock().expect("cache lock").insert(key, v.clone());
        Ok(v)
    }

    /// The cached value for `key`, or `make()` for computations that cannot fail.
    pub fn compute(&self, key: u64, make: impl FnOnce() -> T) -> T {
        let Ok(v) = self.get_or::<std::convert::Infallible>(key, || Ok(make()));
        v
    }

    /// Whether values are remembered at all (keys need not be computed when they are not).
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Forget entries the last build did not use, so memory follows the site, and reset counts.
    /// Call before each build.
    pub fn sweep(&self) {
        let used = std::mem::take(&mut *self.used.lock().expect("cache lock"));
        self.map.lock().expect("cache lock").retain(|k, _| used.contains(k));
        *self.misses.lock().expect("cache lock") = 0;
    }

    /// How many values the current build had to compute.
    pub fn misses(&self) -> usize {
        *self.misses.lock().expect("cache lock")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memo_reuses_and_sweeps() {
        let m: Memo<u32> = Memo::default();
        assert_eq!(m.get_or::<()>(1, || Ok(10)), Ok(10));
        assert_eq!(m.get_or::<()>(1, || Ok(99)), Ok(10), "cached");
        assert_eq!(m.misses(), 1);
        m.sweep();
        assert_eq!(m.get_or::<()>(2, || Ok(20)), Ok(20));
        m.sweep();
        assert_eq!(m.get_or::<()>(1, || Ok(11)), Ok(11), "unused entries were swept");
    }

    #[test]
    fn errors_are_not_cached() {
        let m: Memo<u32> = Memo::default();
        assert_eq!(m.get_or(1, || Err("bad")), Err("bad"));
        assert_eq!(m.get_or::<&str>(1, || Ok(5)), Ok(5));
    }

    #[test]
    fn keys_separate_parts() {
        assert_ne!(key(&[b"ab", b"c"]), key(&[b"a", b"bc"]));
    }
}
