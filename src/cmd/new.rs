//! `ladder new`: a new site from the scaffold.

use super::Output;
use crate::cli::NewArgs;

pub fn run(a: NewArgs, out: Output) -> i32 {
    match super::scaffold::create(&a.dir) {
        Ok(()) => {
            if !out.quiet {
                let dir = a.dir.display();
                eprintln!("created a new site in {dir}. Next:");
                eprintln!("  cd {dir} && ladder serve    # preview at http://127.0.0.1:8080/ with live reload");
                eprintln!("  ladder build                # write the site into {dir}/output/");
            }
            0
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            1
        }
    }
}
