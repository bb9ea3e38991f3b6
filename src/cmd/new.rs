//! `ladder new`: a new site from the scaffold.

use super::Output;
use crate::cli::NewArgs;

pub fn run(a: NewArgs, out: Output) -> i32 {
    match super::scaffold::create(&a.dir) {
        Ok(()) => {
            if !out.quiet {
                let dir = a.dir.display();
                // Quoted for pasting into a shell when the name holds a space or another sign.
                let shown = dir.to_string();
                let plain = shown.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+,:@".contains(c));
                let cd = if plain { shown.clone() } else { format!("'{}'", shown.replace('\'', "'\\''")) };
                // `ladder new .`: "in .." read as the parent folder, and `cd .` is needless.
                if shown == "." || shown == "./" {
                    eprintln!("created a new site in this folder. Next:");
                    eprintln!("  ladder serve                # preview at http://127.0.0.1:8080/ with live reload");
                } else {
                    eprintln!("created a new site in {dir}. Next:");
                    eprintln!("  cd {cd} && ladder serve    # preview at http://127.0.0.1:8080/ with live reload");
                }
                eprintln!("  ladder build                # write the site into {dir}/output/");
            }
            0
        }
        Err(e) => {
            eprintln!("error: {}", crate::error::plain_error(&e));
            1
        }
    }
}
