//! `ladder schema`: the JSON Schemas of the content files, for editors. Inside a site they carry
//! its own lists (practice ids, level bands, sectors, chapters); outside one, the toolkit's.

use super::Output;
use crate::cli::SchemaArgs;
use std::path::PathBuf;

pub fn run(a: SchemaArgs, out: Output) -> i32 {
    let root = a.site.root();
    let in_site = root.join("site.yaml").is_file();
    let files = if in_site {
        match crate::model::benchmark_set_of(&root) {
            Ok(set) => crate::output::schema::files(Some(&set)),
            Err(diags) => {
                // The lists come from the site's settings and benchmark set: say what stops them.
                super::report_error(&crate::error::BuildError::Content(diags.0), crate::cli::Format::Human);
                return 1;
            }
        }
    } else {
        crate::output::schema::toolkit_files()
    };
    let dir = a.out.unwrap_or_else(|| if in_site { root.join("schemas") } else { PathBuf::from("schemas") });
    if dir.is_file() {
        eprintln!(
            "error: --out names the folder to write the schemas into, and {} is a file; give a folder's name",
            dir.display()
        );
        return 1;
    }
    let write = || -> std::io::Result<()> {
        std::fs::create_dir_all(&dir)?;
        for (name, bytes) in &files {
            std::fs::write(dir.join(name), bytes)?;
        }
        Ok(())
    };
    match write() {
        Ok(()) => {
            if !out.quiet {
                let lists = if in_site { "the site's lists" } else { "the toolkit's lists (no site.yaml found here)" };
                eprintln!(
                    "wrote {} into {}, with {lists}",
                    crate::error::count(files.len(), "schema", "schemas"),
                    dir.display()
                );
            }
            0
        }
        Err(e) => {
            eprintln!("error: cannot write schemas into {}: {}", dir.display(), crate::error::plain_io(&e));
            1
        }
    }
}
