//! Stage 2 of the pipeline: raw text → typed values (YAML, front matter, Markdown).

pub mod front_matter;
pub mod markdown;
pub mod recover;
pub mod yaml;
