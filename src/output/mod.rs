//! The last stage: files in memory → the output folder (staging and an atomic swap), and what
//! the output holds besides pages: open data (CSV and JSON), JSON Schemas of the content, the
//! guard on where a build may write, and the record that lets an unchanged site skip a build.

pub mod cards;
pub mod css;
pub mod data;
pub mod freshness;
pub mod guard;
pub mod images;
pub mod schema;
pub mod staging;
pub mod strip;

/// One file of the built site: a path relative to the output folder and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}
