//! JSON Schemas for every content kind, generated from the Rust types so they cannot drift.
//! Editors point their YAML language server at them (see the README).

use serde_json::Value;

/// (file name, schema) for each content kind.
pub fn all() -> Vec<(&'static str, Value)> {
    let mut out = vec![
        ("site.schema.json", schema::<crate::model::config::SiteConfig>("ladder site.yaml")),
        ("employer.schema.json", schema::<crate::model::employer::EmployerFile>("ladder employer file")),
        ("story.schema.json", schema::<crate::model::story::StoryFront>("ladder story front matter")),
        ("page.schema.json", schema::<crate::model::story::PageFront>("ladder page front matter")),
        ("benchmarks.schema.json", schema::<crate::model::benchmarks::BenchmarkSet>("ladder benchmark set")),
    ];
    out.sort_by_key(|(n, _)| *n);
    out
}

fn schema<T: schemars::JsonSchema>(title: &str) -> Value {
    let mut v = serde_json::to_value(schemars::schema_for!(T)).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.insert("title".into(), Value::String(title.into()));
    }
    v
}

/// The schemas as files (pretty JSON, trailing newline).
pub fn files() -> Vec<(&'static str, Vec<u8>)> {
    all().into_iter().map(|(n, v)| (n, crate::output::data::json(&v))).collect()
}
