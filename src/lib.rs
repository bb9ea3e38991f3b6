//! ladder: a static-site generator for employer social-mobility scorecards and success stories.
//!
//! The pipeline, one module per stage: [`load`] (the site's files → sources and values) →
//! [`model`] (the validated site) → [`privacy`] (publishable tables) → [`scoring`] (verdicts) →
//! [`render`] (pages and other files in memory) → [`output`] (staged, then swapped in whole).
//! [`site::build`] runs them in order; [`cmd`] holds the commands. ARCHITECTURE.md has the
//! module picture.

#![forbid(unsafe_code)]

/// The most items (files, employers, pages) one piece of a parallel loop holds. Rayon cuts a
/// loop into a few large pieces, and cuts one again only when another thread takes part of it:
/// a piece no thread took runs whole on one core, and at 50,000 stories the last quarter of
/// the story pages took the last second of the build on one core while the other stood idle.
/// Small pieces let the idle core take its share to the end.
pub const PIECE: usize = 32;

pub mod cache;
pub mod cli;
pub mod cmd;
pub mod deploy;
pub mod error;
pub mod hash;
pub mod import;
pub mod load;
pub mod model;
pub mod options;
pub mod output;
pub mod privacy;
pub mod progress;
pub mod render;
pub mod scoring;
pub mod serve;
pub mod site;
pub mod slug;
pub mod suggest;
