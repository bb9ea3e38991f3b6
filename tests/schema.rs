//! The JSON Schemas in `schemas/` are generated from the Rust types; they must match, and every
//! example content file must validate against its schema.

mod common;
use common::*;

#[test]
fn committed_schemas_match_the_types() {
    for (name, bytes) in ladder::output::schema::files() {
        let path = repo().join("schemas").join(name);
        if std::env::var_os("UPDATE_SCHEMAS").is_some() {
            std::fs::write(&path, &bytes).unwrap();
        }
        let committed = std::fs::read(&path).unwrap_or_default();
        assert!(
            committed == bytes,
            "schemas/{name} is out of date: run `cargo run -- schema` (or UPDATE_SCHEMAS=1 cargo test)"
        );
    }
}

fn validator(name: &str) -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(&read(&repo().join("schemas").join(name))).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn yaml(text: &str) -> serde_json::Value {
    serde_saphyr::from_str(text).unwrap()
}

fn front(text: &str) -> serde_json::Value {
    let rest = text.strip_prefix("---\n").unwrap();
    yaml(&rest[..rest.find("\n---").unwrap()])
}

#[test]
fn example_content_validates_against_schemas() {
    let check = |v: &jsonschema::Validator, doc: serde_json::Value, file: &str| {
        let errors: Vec<String> = v.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{file}: {errors:?}");
    };
    check(&validator("site.schema.json"), yaml(&read(&repo().join("site.yaml"))), "site.yaml");
    let dirs = [
        ("employers", "employer.schema.json"),
        ("benchmarks", "benchmarks.schema.json"),
        ("stories", "story.schema.json"),
        ("pages", "page.schema.json"),
    ];
    for (dir, schema) in dirs {
        let v = validator(schema);
        for e in std::fs::read_dir(repo().join("content").join(dir)).unwrap().flatten() {
            let text = read(&e.path());
            let doc = if dir == "stories" || dir == "pages" { front(&text) } else { yaml(&text) };
            check(&v, doc, &e.path().display().to_string());
        }
    }
}

#[test]
fn schema_rejects_what_the_types_reject() {
    let v = validator("employer.schema.json");
    let mut doc = yaml(&read(&repo().join("content/employers/northgate-rail.yaml")));
    doc["sectr"] = serde_json::json!("typo");
    assert!(!v.is_valid(&doc), "unknown fields are refused");
    let mut doc = yaml(&read(&repo().join("content/employers/northgate-rail.yaml")));
    doc["size"] = serde_json::json!("huge");
    assert!(!v.is_valid(&doc), "size is an enumeration");
    let mut doc = yaml(&read(&repo().join("content/employers/northgate-rail.yaml")));
    doc["years"][0]["key_question"]["starts"]["asked"] = serde_json::json!(-3);
    assert!(!v.is_valid(&doc), "counts are non-negative");
    for link in [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "//evil.example/",
        "data:text/html,x",
        " https://x.org",
        "https://x.org/</script>",
        "https://x.org/\"a",
        "https://x.org/a`b",
        "https://x.org/\u{202E}txt.exe",
        "https://x\u{200B}.org/",
        "/a\u{FEFF}",
    ] {
        let mut doc = yaml(&read(&repo().join("content/employers/northgate-rail.yaml")));
        doc["website"] = serde_json::json!(link);
        assert!(!v.is_valid(&doc), "links are http(s) or site paths: {link}");
    }
}

#[test]
fn schema_rejects_a_date_not_written_yyyy_mm_dd() {
    let v = validator("story.schema.json");
    let doc = |date: &str| serde_json::json!({"title": "A", "date": date});
    assert!(v.is_valid(&doc("2025-01-01")));
    for date in ["2025-1-1", "2025-01-1", "25-01-01", "2025/01/01"] {
        assert!(!v.is_valid(&doc(date)), "{date}");
    }
}

#[test]
fn schemas_are_published_with_the_site() {
    let site = example_site();
    assert!(ladder(site.path(), &["build"]).status.success());
    for (name, bytes) in ladder::output::schema::files() {
        assert_eq!(std::fs::read(site.path().join("output/schemas").join(name)).unwrap(), bytes);
    }
}
