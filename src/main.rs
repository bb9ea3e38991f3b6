//! The `ladder` binary: parse the command line and hand over to the library.

use clap::Parser;

// A build allocates many short-lived strings on several threads at once; mimalloc is markedly
// faster than the system allocator there and returns memory more promptly.
// `--features sysalloc` leaves the system allocator in place, for heap profilers (heaptrack).
#[cfg(not(feature = "sysalloc"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = ladder::cli::Cli::parse();
    std::process::exit(ladder::cli::run(cli));
}
