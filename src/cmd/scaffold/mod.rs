//! `ladder new DIR`: a small working site that builds at once.

use anyhow::{Context, Result, bail};
use std::path::Path;

/// Which schema checks which files, for VS Code's YAML extension (its `yaml.schemas` setting).
const VSCODE_SETTINGS: &str = r#"{
  "yaml.schemas": {
    "./schemas/site.schema.json": ["site.yaml"],
    "./schemas/employer.schema.json": ["content/employers/*.yaml"],
    "./schemas/benchmarks.schema.json": ["content/benchmarks/*.yaml"]
  }
}
"#;

/// The files of a new site, relative to its folder. The JSON Schemas go in too (`schemas/`, as
/// `ladder schema` writes them), so the field references in site.yaml and the employer file
/// point at files the site has, and editors with a YAML language server follow the
/// `$schema=` lines at once. `.vscode/settings.json` maps the schemas onto the content folders
/// for VS Code's YAML extension, so an employer file written later is completed and checked
/// without a `$schema=` line of its own.
pub fn files(title: &str) -> Vec<(String, String)> {
    let site = format!(
        "# Site settings; field reference: schemas/site.schema.json\n# Editors: VS Code with the YAML extension (redhat.vscode-yaml) completes and explains every\n# key of these files through .vscode/settings.json; other editors follow the line below.\n# yaml-language-server: $schema=schemas/site.schema.json\ntitle: {}\ndescription: Apprenticeship scorecards and stories.\nbase_url: http://127.0.0.1:8080/\nlanguage: en-GB\ntheme: default\nanonymity_threshold: 10\nbenchmark_set: smc-apprenticeships-2021\n",
        serde_json::to_string(title).unwrap_or_default()
    );
    let mut files: Vec<(String, String)> = [
        ("site.yaml", site),
        ("content/benchmarks/smc-apprenticeships-2021.yaml", crate::model::benchmarks::TOOLKIT_YAML.to_string()),
        ("content/employers/example-apprenticeships.yaml", include_str!("employer.yaml").to_string()),
        ("content/stories/our-first-apprentice.md", include_str!("story.md").to_string()),
        ("content/pages/about.md", include_str!("about.md").to_string()),
        (".gitignore", "/output\n/.output.*\n".to_string()),
        (".vscode/settings.json", VSCODE_SETTINGS.to_string()),
        (".vscode/extensions.json", "{\n  \"recommendations\": [\"redhat.vscode-yaml\"]\n}\n".to_string()),
    ]
    .into_iter()
    .map(|(path, text)| (path.to_string(), text))
    .collect();
    for (name, bytes) in crate::output::schema::toolkit_files() {
        files.push((format!("schemas/{name}"), String::from_utf8_lossy(&bytes).into_owned()));
    }
    files
}

/// Create a site in `dir`, which must not exist or be empty.
pub fn create(dir: &Path) -> Result<()> {
    if dir.exists() && !dir.is_dir() {
        bail!("{} already exists and is a file, not a folder; choose a new folder", dir.display());
    }
    if dir.exists() && dir.read_dir().map(|mut d| d.next().is_some()).unwrap_or(true) {
        bail!("{} already exists and is not empty; choose a new folder", dir.display());
    }
    let title = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "My site".into());
    for (rel, text) in files(&title) {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}
