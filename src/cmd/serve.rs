//! `ladder serve`: the development server.

use super::Output;
use crate::cli::ServeArgs;

pub fn run(a: ServeArgs, out: Output) -> i32 {
    let opts = crate::serve::ServeOptions {
        root: a.site.root(),
        bind: a.bind,
        port: a.port,
        open: a.open,
        drafts: a.drafts,
        quiet: out.quiet,
        verbose: out.verbose,
    };
    match crate::serve::serve(opts) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e:#}");
            1
        }
    }
}
