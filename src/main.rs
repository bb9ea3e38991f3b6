//! The `ladder` binary: parse the command line and hand over to the library.

#![forbid(unsafe_code)]

use clap::Parser;

// A build allocates many short-lived strings on several threads at once; mimalloc is markedly
// faster than the system allocator there and returns memory more promptly. Its v2 line frees
// pages 10 ms after they fall empty (v3 waits a second, and a build that frees large buffers in
// quick succession then peaks higher), which needs no option set at start, hence no `unsafe`.
// `--features sysalloc` leaves the system allocator in place, for heap profilers (heaptrack).
#[cfg(not(feature = "sysalloc"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = ladder::cli::Cli::parse();
    std::process::exit(ladder::cmd::run(cli));
}
