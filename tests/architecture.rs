//! The module picture of ARCHITECTURE.md, checked: no import cycle between the top-level
//! modules of `src/`, so every arrow points one way. A cycle is reported with its modules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The top-level module a source file belongs to (`src/privacy/engine.rs` → `privacy`).
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel.components().next().unwrap().as_os_str().to_string_lossy().to_string();
    first.trim_end_matches(".rs").to_string()
}

/// Every `crate::name` a file mentions, outside comments.
fn uses(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
        // `use crate::{a, b::c}` groups.
        if let Some(i) = code.find("crate::{") {
            let inner = &code[i + "crate::{".len()..];
            for part in inner.split(',') {
                let name: String = part.trim().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Module → modules it imports, over the library's top-level modules.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in &files {
        let m = module_of(&src, f);
        if m == "main" || m == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(f).unwrap();
        let deps = g.entry(m.clone()).or_default();
        for d in uses(&text) {
            if d != m && modules.contains(&d) {
                deps.insert(d);
            }
        }
    }
    g
}

/// Strongly connected components with more than one module (Tarjan's algorithm).
fn cycles(g: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'a> {
        g: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        next: usize,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        if let Some(ws) = s.g.get(v) {
            for w in ws {
                let w = w.as_str();
                if !s.index.contains_key(w) {
                    visit(s, w);
                    let lw = s.low[w];
                    let lv = s.low[v];
                    s.low.insert(v, lv.min(lw));
                } else if s.on_stack.contains(w) {
                    let iw = s.index[w];
                    let lv = s.low[v];
                    s.low.insert(v, lv.min(iw));
                }
            }
        }
        if s.low[v] == s.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                comp.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                s.out.push(comp);
            }
        }
    }
    let mut s = State {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in g.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out
}

#[test]
fn top_level_modules_have_no_import_cycle() {
    let g = graph();
    assert!(g.len() > 5, "the source tree was not found: {g:?}");
    let found = cycles(&g);
    let detail: Vec<String> = found
        .iter()
        .map(|c| {
            let edges: Vec<String> = c
                .iter()
                .flat_map(|a| g[a].iter().filter(|b| c.contains(b)).map(move |b| format!("{a} -> {b}")))
                .collect();
            format!("{{{}}}: {}", c.join(", "), edges.join("; "))
        })
        .collect();
    assert!(found.is_empty(), "import cycles between top-level modules:\n{}", detail.join("\n"));
}

/// The checker itself must see a cycle when there is one.
#[test]
fn the_checker_finds_a_planted_cycle() {
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    g.entry("a".into()).or_default().insert("b".into());
    g.entry("b".into()).or_default().insert("c".into());
    g.entry("c".into()).or_default().insert("a".into());
    g.entry("d".into()).or_default().insert("a".into());
    assert_eq!(cycles(&g), vec![vec!["a".to_string(), "b".to_string(), "c".to_string()]]);
    assert_eq!(
        uses("use crate::{x::Y, z};\nlet q = crate::w::f(); // crate::nope"),
        ["w", "x", "z"].map(String::from).into()
    );
}

/// The layers of ARCHITECTURE.md, lowest first: a module imports only modules of lower layers
/// (or of its own layer, for the small shared helpers of layer 0).
const LAYERS: &[&[&str]] = &[
    &["error", "hash", "slug", "suggest", "progress", "options", "cache"],
    &["load"],
    &["model"],
    &["privacy", "import"],
    &["scoring"],
    &["output"],
    &["render"],
    &["site"],
    &["serve", "deploy"],
    &["cli"],
    &["cmd"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// Every import that points up the layers (or at a module missing from the table).
fn upward_arrows(g: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let mut out = Vec::new();
    for (from, tos) in g {
        let Some(lf) = layer_of(from) else {
            out.push(format!("{from} is in no layer: add it to ARCHITECTURE.md and LAYERS"));
            continue;
        };
        for to in tos {
            match layer_of(to) {
                Some(lt) if lt < lf || (lt == lf && lf == 0) => {}
                _ => out.push(format!("{from} -> {to}")),
            }
        }
    }
    out
}

#[test]
fn arrows_point_down_the_layers() {
    let g = graph();
    let up = upward_arrows(&g);
    assert!(up.is_empty(), "imports against the layers of ARCHITECTURE.md:\n{}", up.join("\n"));
}

/// The layer check must see an import that points up.
#[test]
fn the_layer_check_finds_an_upward_arrow() {
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    g.entry("model".into()).or_default().insert("load".into());
    assert!(upward_arrows(&g).is_empty());
    g.entry("load".into()).or_default().insert("render".into());
    g.entry("newcomer".into()).or_default();
    assert_eq!(
        upward_arrows(&g),
        vec!["load -> render".to_string(), "newcomer is in no layer: add it to ARCHITECTURE.md and LAYERS".to_string()]
    );
}

/// The calls that read a file's bytes, outside a file's `#[cfg(test)]` part, in files not under
/// `load/`: `(file, line, call)`.
fn reads_outside_load(src: &Path) -> Vec<(String, usize, &'static str)> {
    const READS: [&str; 4] = ["fs::read(", "fs::read_to_string(", "File::open(", ".read(true)"];
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut found = Vec::new();
    for f in files {
        if module_of(src, &f) == "load" {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (i, line) in code.lines().enumerate() {
            let line = line.split("//").next().unwrap_or("");
            for call in READS {
                if line.contains(call) {
                    found.push((f.strip_prefix(src).unwrap().display().to_string(), i + 1, call));
                }
            }
        }
    }
    found
}

/// Files are read only through `load` (its non-blocking, regular-files-only, size-limited
/// opens): every other module asks it.
#[test]
fn no_file_is_read_outside_load() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = reads_outside_load(&src);
    assert!(found.is_empty(), "files read outside src/load/: {found:?}");
}

#[test]
fn the_read_check_finds_a_planted_read() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir_all(src.join("load")).unwrap();
    std::fs::write(src.join("load/mod.rs"), "fn a() { std::fs::read(\"x\"); }\n").unwrap();
    std::fs::write(
        src.join("render.rs"),
        "fn b() {\n    let t = std::fs::read_to_string(\"y\");\n}\n#[cfg(test)]\nmod tests { fn c() { std::fs::read(\"z\"); } }\n",
    )
    .unwrap();
    assert_eq!(reads_outside_load(&src), vec![("render.rs".to_string(), 2, "fs::read_to_string(")]);
}

/// Privacy as a type: the `Employer` that scoring and rendering see has no field that holds a
/// count, and `privacy::publish` takes the counts (`Figures`) by value.
#[test]
fn employers_hold_no_count_and_publish_consumes_the_figures() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let employer = std::fs::read_to_string(src.join("model/employer.rs")).unwrap();
    let start = employer.find("pub struct Employer {").expect("Employer struct");
    let block = &employer[start..start + employer[start..].find("\n}").unwrap()];
    // Its fields, without their doc comments.
    let body: String = block.lines().filter(|l| !l.trim_start().starts_with("//")).map(|l| format!("{l}\n")).collect();
    for counts in ["Answers", "OutcomeTable", "YesNo", "Year>", "Figures"] {
        assert!(!body.contains(counts), "Employer holds `{counts}`:\n{body}");
    }
    let privacy = std::fs::read_to_string(src.join("privacy/mod.rs")).unwrap();
    assert!(privacy.contains("pub fn publish(figures: Figures,"), "publish must take Figures by value");
}
