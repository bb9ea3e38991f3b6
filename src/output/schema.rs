//! JSON Schemas for every content kind, generated from the Rust types so they cannot drift, and
//! completed with the site's own lists (practice ids, level bands, extra questions, sectors,
//! chapters) so an editor offers and explains every key and value the site accepts.
//! Editors point their YAML language server at them (see the README).

use crate::model::benchmarks::BenchmarkSet;
use serde_json::{Map, Value, json};

/// (file name, schema) for each content kind, with the lists of `set` (the site's benchmark set,
/// its sectors already replaced by site.yaml's when it has its own); `None` gives the types'
/// schemas alone.
pub fn all(set: Option<&BenchmarkSet>) -> Vec<(&'static str, Value)> {
    let mut employer = schema::<crate::model::employer::EmployerFile>("ladder employer file");
    let mut story = schema::<crate::model::story::StoryFront>("ladder story front matter");
    if let Some(set) = set {
        employer_lists(&mut employer, set);
        story_lists(&mut story, set);
    }
    let mut out = vec![
        ("site.schema.json", schema::<crate::model::config::SiteConfig>("ladder site.yaml")),
        ("employer.schema.json", employer),
        ("story.schema.json", story),
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

/// The object at `path` (keys from the root), when the schema has it.
fn at<'v>(v: &'v mut Value, path: &[&str]) -> Option<&'v mut Map<String, Value>> {
    path.iter().try_fold(v, |v, k| v.get_mut(*k))?.as_object_mut()
}

/// A map keyed by a fixed list: each key completed and explained, no other key allowed.
fn keyed(field: &mut Map<String, Value>, entry_ref: &str, keys: impl IntoIterator<Item = (String, String)>) {
    let properties: Map<String, Value> = keys
        .into_iter()
        .map(|(k, description)| (k, json!({ "$ref": entry_ref, "description": description })))
        .collect();
    field.remove("additionalProperties");
    field.insert("properties".into(), Value::Object(properties));
    field.insert("additionalProperties".into(), Value::Bool(false));
}

/// Practice ids, level bands, extra questions, sectors and earlier benchmark sets of the site.
fn employer_lists(v: &mut Value, set: &BenchmarkSet) {
    if let Some(practices) = at(v, &["$defs", "YearFile", "properties", "practices"]) {
        let keys = set.chapters.iter().flat_map(|c| {
            c.practices
                .iter()
                .map(move |p| (format!("{}.{}", c.id, p.id), format!("{}: {}. {}", c.title, p.title, p.summary)))
        });
        keyed(practices, "#/$defs/PracticeEntry", keys);
    }
    if let Some(levels) = at(v, &["$defs", "KeyQuestionFigures", "properties", "levels"]) {
        let keys = set.level_bands.iter().map(|b| (b.clone(), format!("Apprentices at level {b}, in the cohort.")));
        keyed(levels, "#/$defs/Answers", keys);
    }
    if let Some(extra) = at(v, &["$defs", "YearFile", "properties", "extra_questions"]) {
        let keys = set.extra_questions.iter().map(|q| (q.id.clone(), format!("{}: \"{}\"", q.label, q.question)));
        keyed(extra, "#/$defs/YesNo", keys);
    }
    if let Some(sector) = at(v, &["properties", "sector"]) {
        sector.insert("enum".into(), json!(set.sectors));
    }
    if let Some(earlier) = at(v, &["$defs", "YearFile", "properties", "benchmark_set"]) {
        let mut ids: Vec<Value> = std::iter::once(&set.id).chain(&set.earlier_sets).map(|s| json!(s)).collect();
        ids.push(Value::Null);
        earlier.insert("enum".into(), Value::Array(ids));
    }
}

/// A story's themes are the toolkit's chapters.
fn story_lists(v: &mut Value, set: &BenchmarkSet) {
    if let Some(themes) = at(v, &["properties", "themes"]) {
        let chapters: Vec<Value> =
            set.chapters.iter().map(|c| json!({ "const": c.id, "description": c.title })).collect();
        themes.insert("items".into(), json!({ "oneOf": chapters }));
    }
}

/// The schemas as files (pretty JSON, trailing newline).
pub fn files(set: Option<&BenchmarkSet>) -> Vec<(&'static str, Vec<u8>)> {
    all(set).into_iter().map(|(n, v)| (n, crate::output::data::json(&v))).collect()
}

/// The schemas a new site starts with, and `ladder schema` writes outside a site: with the lists
/// of the toolkit's benchmark set that `ladder new` copies into the site.
pub fn toolkit_files() -> Vec<(&'static str, Vec<u8>)> {
    files(BenchmarkSet::toolkit().as_ref())
}
