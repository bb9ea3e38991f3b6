//! Stable content hashes, for cache keys and for checking a file did not change mid-build.

use std::hash::{DefaultHasher, Hash, Hasher};

/// A hash of several inputs. `DefaultHasher::new()` uses fixed keys, so keys are stable.
pub fn key(parts: &[&[u8]]) -> u64 {
    let mut h = DefaultHasher::new();
    for p in parts {
        p.len().hash(&mut h);
        p.hash(&mut h);
    }
    h.finish()
}
