//! ladder: a static-site generator for employer social-mobility scorecards and success stories.
//!
//! The pipeline, one module per stage: [`load`] (files → sources → values) →
//! [`model`] (validated site) → [`privacy`] (publishable tables) → [`scoring`] (judgements) →
//! [`render`] (HTML and other files in memory) → [`write`] (atomic swap into the output folder).
//! [`build::build`] runs them in order.

pub mod cache;
pub mod cli;
pub mod cmd;
pub mod deploy;
pub mod error;
pub mod hash;
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
