//! The command line's types (clap derive): every command, its arguments and their help. What
//! each command does is in [`crate::cmd`].

use clap::{Args, Parser, Subcommand, ValueEnum};
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
    Deploy(DeployArgs),
    /// Bring an employer's figures in from a spreadsheet: survey responses (one row per person)
    /// or a filled-in figures template. Writes one year of content/employers/SLUG.yaml and
    /// nothing else.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Write the figures template (an .xlsx workbook) for employers who have counts rather than
    /// one row per person; fill it in and bring it in with `ladder import figures`.
    Template(TemplateArgs),
}

/// `ladder import`'s two kinds of file.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Count individual-level responses (CSV, XLSX or ODS: one row per person, with the stage,
    /// the answer to the key question, and optionally a person id, the apprenticeship level and
    /// outcomes) and write the counts. The file is read, never copied.
    Responses(ImportResponsesArgs),
    /// Bring in a filled-in figures template (see `ladder template`).
    Figures(ImportFiguresArgs),
}

#[derive(Debug, Args)]
pub struct ImportResponsesArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The export: .csv, .xlsx or .ods.
    pub file: PathBuf,
    /// The employer's short name (its file in content/employers, without .yaml).
    #[arg(long, value_parser = parse_employer)]
    pub employer: String,
    /// The reporting year the responses are for.
    #[arg(long, value_parser = parse_year, allow_negative_numbers = true)]
    pub year: i32,
    /// A mapping file (YAML) naming the columns, and answer or stage wordings beyond the
    /// toolkit's (see README, "Importing your figures").
    #[arg(long)]
    pub mapping: Option<PathBuf>,
    /// Which column holds what, e.g. --column answer="Q7 Parent job". Fields: person, stage,
    /// answer, level, functional_skills, completion, progression.
    #[arg(long = "column", value_name = "FIELD=HEADING")]
    pub columns: Vec<String>,
    /// The sheet to read (default: the first that is not empty).
    #[arg(long)]
    pub sheet: Option<String>,
    /// Show the counts and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct ImportFiguresArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The filled-in template (.xlsx or .ods).
    pub file: PathBuf,
    /// The employer's short name, when the template's About sheet does not give it.
    #[arg(long, value_parser = parse_employer)]
    pub employer: Option<String>,
    /// The reporting year, when the template's About sheet does not give it.
    #[arg(long, value_parser = parse_year, allow_negative_numbers = true)]
    pub year: Option<i32>,
    /// Show the counts and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// Where to write the workbook, e.g. figures.xlsx.
    #[arg(value_parser = parse_xlsx_name)]
    pub file: PathBuf,
    /// Replace the file if it exists (it may be a filled-in copy: by default it is kept).
    #[arg(long)]
    pub force: bool,
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
    #[arg(long, default_value_t = 8080, value_parser = parse_port, allow_negative_numbers = true)]
    pub port: u16,
    /// Address to listen on. Loopback by default: only this machine can connect.
    #[arg(long, default_value = "127.0.0.1", value_parser = parse_bind)]
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
    /// Folder to write the schemas into (default: the site's `schemas/`, or `schemas` here
    /// outside a site).
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub site: SiteArgs,
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
    #[arg(long, value_parser = parse_base_url)]
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

/// `ladder score`'s arguments.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// The employer's YAML file.
    pub file: PathBuf,
    /// The site the employer belongs to (for site.yaml and the benchmark set).
    #[arg(long)]
    pub site: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// `ladder deploy`'s command line.
#[derive(Debug, Args)]
pub struct DeployArgs {
    #[command(flatten)]
    pub site: crate::options::SiteArgs,
    /// Where to publish: s3://BUCKET/PREFIX, gs://BUCKET/PREFIX, az://CONTAINER/PREFIX or
    /// file:///FOLDER. Credentials and settings come from the usual AWS_*, GOOGLE_* and AZURE_*
    /// environment variables. For an S3-compatible store set AWS_ENDPOINT (e.g.
    /// https://minio.example.org:9000); a plain http:// endpoint is used as given on this machine
    /// (127.0.0.1, ::1, localhost) and refused for any other host unless AWS_ALLOW_HTTP=true.
    #[arg(long)]
    pub target: String,
    /// List every upload and deletion, and change nothing. A dry run fails (exit 1) whenever the
    /// real deploy would be refused, e.g. by --max-deletes.
    #[arg(long)]
    pub dry_run: bool,
    /// Cache-Control header for every uploaded file, e.g. "public, max-age=300".
    #[arg(long)]
    pub cache_control: Option<String>,
    /// The output folder that was built (default: site.yaml's output_dir).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// The --base-url the site was built with (the build must match).
    #[arg(long, value_parser = parse_base_url)]
    pub base_url: Option<String>,
    /// Whether the site was built with --drafts (the build must match).
    #[arg(long)]
    pub drafts: bool,
    /// Refuse a deploy that would delete more than N objects; -1 or `unlimited`: no limit.
    #[arg(long, value_name = "N", default_value = "256", value_parser = parse_max_deletes, allow_negative_numbers = true)]
    pub max_deletes: MaxDeletes,
}

/// `--max-deletes`: a count, or no limit.
#[derive(Debug, Clone, Copy)]
pub struct MaxDeletes(pub Option<usize>);

/// `--year`: a reporting year, in words a person reads (not "invalid digit found in string").
fn parse_year(text: &str) -> Result<i32, String> {
    let this_year = crate::site::this_year();
    let t = text.trim();
    match t.parse::<i32>() {
        Ok(y) if (1990..=this_year).contains(&y) => Ok(y),
        Ok(_) => Err(format!("give a reporting year from 1990 to {this_year}")),
        Err(_) => Err(format!("give the reporting year as a whole number of four digits, e.g. {this_year}")),
    }
}

/// `--base-url`: checked as site.yaml's `base_url` is, so that a bad one is a bad command line
/// (exit 2) rather than a problem of the site.
fn parse_base_url(text: &str) -> Result<String, String> {
    let url = crate::model::safe_url::SafeUrl::parse(text).map_err(|e| e.to_string())?;
    crate::model::config::check_base_url(&url)?;
    Ok(text.to_string())
}

/// `--employer`: an employer's short name (a folder path or a name with capitals is refused).
fn parse_employer(text: &str) -> Result<String, String> {
    if crate::slug::is_valid(text) {
        Ok(text.to_string())
    } else {
        Err("an employer's short name has lower-case letters, digits and hyphens (e.g. tyne-street-bakery): the name of its file in content/employers, without .yaml".into())
    }
}

/// `ladder template FILE`: the workbook is an .xlsx file, so its name must say so.
fn parse_xlsx_name(text: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(text);
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx")) {
        Ok(path)
    } else {
        Err("the template is an Excel workbook: give a file name ending in .xlsx (e.g. figures.xlsx)".into())
    }
}

/// `serve --port`: a port number, in words a person reads (not "invalid digit found in string").
fn parse_port(text: &str) -> Result<u16, String> {
    text.trim()
        .parse::<u16>()
        .map_err(|_| "give the port as a whole number from 0 to 65535 (e.g. 8080; 0 picks a free one)".to_string())
}

/// `serve --bind`: an address of this machine (not "invalid IP address syntax").
fn parse_bind(text: &str) -> Result<std::net::IpAddr, String> {
    text.trim().parse().map_err(|_| {
        "give an address of this machine as numbers, e.g. 127.0.0.1 (this machine only) or 0.0.0.0 (every network)"
            .to_string()
    })
}

fn parse_max_deletes(text: &str) -> Result<MaxDeletes, String> {
    let t = text.trim();
    if t == "-1" || t.eq_ignore_ascii_case("unlimited") {
        return Ok(MaxDeletes(None));
    }
    t.parse::<usize>()
        .map(|n| MaxDeletes(Some(n)))
        .map_err(|_| "give a number of deletions, 0 or more, or -1 (or `unlimited`) for no limit".to_string())
}
