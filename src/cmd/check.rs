//! `ladder check`: every problem of the site, nothing written.

use super::{Output, json_report, report_error};
use crate::cli::{CheckArgs, Format};
use crate::error::count;
use crate::site::{self, BuildOptions};

pub fn run(a: CheckArgs, out: Output) -> i32 {
    let opts = BuildOptions { root: a.site.root(), ..BuildOptions::default() };
    match site::prepare(&opts, &site::BuildCache::off(), &crate::progress::Silent) {
        Ok(b) => {
            match a.format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&json_report(&[])).unwrap_or_default()),
                Format::Human if !out.quiet => eprintln!(
                    "ok: {}, {} and {} checked; no problems",
                    count(b.report.employers, "employer", "employers"),
                    count(b.report.stories, "story", "stories"),
                    count(b.report.pages, "page", "pages")
                ),
                Format::Human => {}
            }
            0
        }
        Err(e) => {
            report_error(&e, a.format);
            1
        }
    }
}
