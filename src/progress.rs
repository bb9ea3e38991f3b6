//! Progress for long work: a bar on a terminal, plain lines in CI or in a pipe, nothing with -q.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// Told about the stages and pages of a build.
pub trait Progress: Sync {
    fn stage(&self, _name: &str) {}
    fn pages(&self, _total: usize) {}
    fn page_done(&self) {}
    fn finish(&self) {}
}

/// Reports nothing (tests, the dev server's rebuilds).
pub struct Silent;
impl Progress for Silent {}

/// What the command line uses.
pub enum Reporter {
    Silent,
    /// One line per stage, for CI logs and pipes.
    Plain,
    Bar(ProgressBar),
}

impl Reporter {
    pub fn new(quiet: bool) -> Self {
        if quiet {
            Reporter::Silent
        } else if std::io::stderr().is_terminal() && std::env::var_os("CI").is_none() {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg:<10} [{bar:30}] {pos}/{len} pages")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            Reporter::Bar(bar)
        } else {
            Reporter::Plain
        }
    }
}

impl Progress for Reporter {
    fn stage(&self, name: &str) {
        match self {
            Reporter::Silent => {}
            Reporter::Plain => eprintln!("stage: {name}"),
            Reporter::Bar(b) => b.set_message(name.to_string()),
        }
    }

    fn pages(&self, total: usize) {
        if let Reporter::Bar(b) = self {
            b.set_length(total as u64);
        }
    }

    fn page_done(&self) {
        if let Reporter::Bar(b) = self {
            b.inc(1);
        }
    }

    fn finish(&self) {
        if let Reporter::Bar(b) = self {
            b.finish_and_clear();
        }
    }
}
