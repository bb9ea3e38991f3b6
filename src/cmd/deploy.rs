//! `ladder deploy`: a built site to object storage or a folder.

use crate::cli::DeployArgs;
use crate::deploy::{DeployOptions, run_cli};
use crate::site::BuildOptions;

/// `ladder deploy` from the command line; returns the exit code.
pub fn run(a: DeployArgs, quiet: bool, verbose: bool) -> i32 {
    let build = BuildOptions {
        root: a.site.root(),
        output: a.output,
        base_url: a.base_url,
        drafts: a.drafts,
        current_year: None,
        exits_after: false,
    };
    let opts = DeployOptions {
        build,
        target: a.target,
        dry_run: a.dry_run,
        cache_control: a.cache_control,
        store_options: Vec::new(),
        max_deletes: a.max_deletes.0,
    };
    run_cli(opts, quiet, verbose)
}
