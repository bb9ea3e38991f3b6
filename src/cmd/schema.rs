//! `ladder schema`: the JSON Schemas of the content files, for editors.

use super::Output;
use crate::cli::SchemaArgs;

pub fn run(a: SchemaArgs, out: Output) -> i32 {
    let write = || -> std::io::Result<usize> {
        std::fs::create_dir_all(&a.out)?;
        let files = crate::output::schema::files();
        for (name, bytes) in &files {
            std::fs::write(a.out.join(name), bytes)?;
        }
        Ok(files.len())
    };
    match write() {
        Ok(n) => {
            if !out.quiet {
                eprintln!("wrote {} into {}", crate::error::count(n, "schema", "schemas"), a.out.display());
            }
            0
        }
        Err(e) => {
            eprintln!("error: cannot write schemas into {}: {e}", a.out.display());
            1
        }
    }
}
