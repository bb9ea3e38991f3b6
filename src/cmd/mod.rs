//! What each command does: glue between the command line ([`crate::cli`]) and the library,
//! returning the process exit code. Problems are reported here, in one place.

mod build;
mod check;
mod deploy;
mod import;
mod new;
pub mod scaffold;
mod schema;
pub mod score;
mod serve;

use crate::cli::{Cli, Command, Format};
use crate::error::{BuildError, Diagnostic, count};
use std::io::Write;

/// Run a parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    let out = Output { quiet: cli.quiet, verbose: cli.verbose };
    match cli.command {
        Command::New(a) => new::run(a, out),
        Command::Serve(a) => serve::run(a, out),
        Command::Build(a) => build::run(a, out),
        Command::Check(a) => check::run(a, out),
        Command::Score(a) => score::run(a),
        Command::Schema(a) => schema::run(a, out),
        Command::Deploy(a) => deploy::run(a, out.quiet, out.verbose),
        Command::Import(crate::cli::ImportCommand::Responses(a)) => import::responses(a, out),
        Command::Import(crate::cli::ImportCommand::Figures(a)) => import::figures(a, out),
        Command::Template(a) => import::template(a, out),
    }
}

#[derive(Clone, Copy)]
pub struct Output {
    pub quiet: bool,
    pub verbose: bool,
}

pub(crate) fn report_error(e: &BuildError, format: Format) {
    let mut err = std::io::stderr().lock();
    match e {
        BuildError::Content(diags) => match format {
            Format::Human => {
                for d in diags {
                    let _ = writeln!(err, "{d}");
                }
                let _ =
                    writeln!(err, "error: {} found; nothing was written", count(diags.len(), "problem", "problems"));
            }
            Format::Json => {
                let _ = writeln!(
                    std::io::stdout(),
                    "{}",
                    serde_json::to_string_pretty(&json_report(diags)).unwrap_or_default()
                );
            }
        },
        BuildError::Io(e) => {
            let _ = writeln!(err, "error: {}", crate::error::plain_error(e));
        }
    }
}

pub(crate) fn json_report(diags: &[Diagnostic]) -> serde_json::Value {
    serde_json::json!({ "ok": diags.is_empty(), "problems": diags })
}
