//! `ladder build`: the site into its output folder, with a summary (or every problem).

use super::{Output, report_error};
use crate::cli::{BuildArgs, Format};
use crate::error::count;
use crate::site::{self, BuildOptions};
use std::io::IsTerminal;

pub fn run(a: BuildArgs, out: Output) -> i32 {
    let opts = BuildOptions {
        root: a.site.root(),
        output: a.output,
        base_url: a.base_url,
        drafts: a.drafts,
        current_year: None,
        exits_after: true,
    };
    let started = std::time::Instant::now();
    let progress = crate::progress::Reporter::new(out.quiet);
    match site::build(&opts, &progress) {
        Ok(r) => {
            if out.verbose {
                for t in &r.timings {
                    eprintln!("{t}");
                }
                if !r.up_to_date {
                    eprintln!("images: {} encoded, {} from cache", r.images_encoded, r.images_cached);
                    eprintln!("social cards: {} drawn, {} from cache", r.cards_drawn, r.cards_cached);
                }
            }
            if !out.quiet {
                let tty = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
                let mark = if tty { "✔ " } else { "" };
                if r.up_to_date {
                    eprintln!(
                        "{mark}{} is up to date ({}; no input changed since the last build)",
                        r.output.display(),
                        count(r.pages, "page", "pages")
                    );
                    return 0;
                }
                eprintln!(
                    "{mark}built {} ({}, {}, {}) into {} in {:.2}s",
                    count(r.pages, "page", "pages"),
                    count(r.employers, "employer", "employers"),
                    count(r.stories, "story", "stories"),
                    count(r.files, "file", "files"),
                    r.output.display(),
                    started.elapsed().as_secs_f64()
                );
            }
            0
        }
        Err(e) => {
            report_error(&e, Format::Human);
            1
        }
    }
}
