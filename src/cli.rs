//! The command line: `ladder build`, `check` and `score`. Parsing with clap derive; each
//! command is glue over the library and returns an exit code.

use crate::build::{self, BuildOptions};
use crate::cli_score::ScoreArgs;
use crate::error::{BuildError, Diagnostic};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// Static-site generator for employer social-mobility scorecards and success stories.
#[derive(Debug, Parser)]
#[command(name = "ladder", version, about)]
pub struct Cli {
    /// Print less (only errors).
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Print more (per-stage timings).
    #[arg(short, long, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new site (settings, benchmark set, an employer, a story, a page, the JSON
    /// Schemas) in DIR.
    New(NewArgs),
    /// Build the site into the output folder (default `output/`).
    Build(BuildArgs),
    /// Validate all content and templates; write nothing. For CI.
    Check(CheckArgs),
    /// Serve the site on 127.0.0.1 with live reload, rebuilding on every change.
    Serve(ServeArgs),
    /// Show one employer's scorecard, as published, in the terminal or as JSON.
    Score(ScoreArgs),
    /// Write the JSON Schemas of every content kind (for editors' YAML language servers).
    Schema(SchemaArgs),
    /// Publish the built site to S3, an S3-compatible store, Google Cloud Storage or Azure Blob,
    /// sending only what changed and deleting what the site no longer has.
    Deploy(crate::deploy::DeployArgs),
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// Folder to create (must not exist, or be empty).
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Address to listen on. Loopback by default: only this machine can connect.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Include drafts.
    #[arg(long)]
    pub drafts: bool,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Folder to write the schemas into.
    #[arg(long, default_value = "schemas")]
    pub out: PathBuf,
}

pub use crate::options::SiteArgs;

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Output folder (default: site.yaml's output_dir, normally `output`).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Override site.yaml's base_url, e.g. for a preview deploy.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include stories and pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// How to print problems.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
}

/// Run a parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    let out = Output { quiet: cli.quiet, verbose: cli.verbose };
    match cli.command {
        Command::New(a) => cmd_new(a, out),
        Command::Serve(a) => cmd_serve(a, out),
        Command::Build(a) => cmd_build(a, out),
        Command::Check(a) => cmd_check(a, out),
        Command::Score(a) => crate::cli_score::run(a),
        Command::Schema(a) => cmd_schema(a, out),
        Command::Deploy(a) => crate::deploy::cmd(a, out.quiet, out.verbose),
    }
}

#[derive(Clone, Copy)]
struct Output {
    quiet: bool,
    verbose: bool,
}

fn report_error(e: &BuildError, format: Format) {
    let mut err = std::io::stderr().lock();
    match e {
        BuildError::Content(diags) => match format {
            Format::Human => {
                for d in diags {
                    let _ = writeln!(err, "{d}");
                }
                let _ = writeln!(err, "error: {} problem(s) found; nothing was written", diags.len());
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
            let _ = writeln!(err, "error: {e:#}");
        }
    }
}

fn json_report(diags: &[Diagnostic]) -> serde_json::Value {
    serde_json::json!({ "ok": diags.is_empty(), "problems": diags })
}

fn cmd_build(a: BuildArgs, out: Output) -> i32 {
    let opts = BuildOptions {
        root: a.site.site,
        output: a.output,
        base_url: a.base_url,
        drafts: a.drafts,
        current_year: None,
    };
    let started = std::time::Instant::now();
    let progress = crate::progress::Reporter::new(out.quiet);
    match build::build_with(&opts, &progress) {
        Ok(r) => {
            if out.verbose {
                for t in &r.timings {
                    eprintln!("{t}");
                }
            }
            if !out.quiet {
                let tty = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
                let mark = if tty { "✔ " } else { "" };
                if r.up_to_date {
                    eprintln!(
                        "{mark}{} is up to date ({} pages; no input changed since the last build)",
                        r.output.display(),
                        r.pages
                    );
                    return 0;
                }
                eprintln!(
                    "{mark}built {} pages ({} employers, {} stories, {} files) into {} in {:.2}s",
                    r.pages,
                    r.employers,
                    r.stories,
                    r.files,
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

fn cmd_check(a: CheckArgs, out: Output) -> i32 {
    let opts = BuildOptions { root: a.site.site, ..BuildOptions::default() };
    match build::prepare(&opts) {
        Ok(b) => {
            match a.format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&json_report(&[])).unwrap_or_default()),
                Format::Human if !out.quiet => eprintln!(
                    "ok: {} employers, {} stories and {} pages checked; no problems",
                    b.report.employers, b.report.stories, b.report.pages
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

fn cmd_schema(a: SchemaArgs, out: Output) -> i32 {
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
                eprintln!("wrote {n} schemas into {}", a.out.display());
            }
            0
        }
        Err(e) => {
            eprintln!("error: cannot write schemas into {}: {e}", a.out.display());
            1
        }
    }
}

fn cmd_new(a: NewArgs, out: Output) -> i32 {
    match crate::scaffold::create(&a.dir) {
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

fn cmd_serve(a: ServeArgs, out: Output) -> i32 {
    let opts = crate::serve::ServeOptions {
        root: a.site.site,
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
