//! The `ladder` binary: parse the command line and hand over to the library.

use clap::Parser;

fn main() {
    let cli = ladder::cli::Cli::parse();
    std::process::exit(ladder::cli::run(cli));
}
