//! `ladder serve`: build into memory, serve over HTTP on loopback, rebuild on change (notify,
//! debounced), and reload open pages through Server-Sent Events. Broken content keeps the last
//! good build served and shows the errors in an overlay and in the terminal.

mod http;
mod watch;

use crate::error::{BuildError, Diagnostic};
use crate::progress::Silent;
use crate::site::BuildCache;
use crate::site::{BuildOptions, prepare};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use tokio::sync::broadcast;

/// What `ladder serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port; the chosen address is printed.
    pub port: u16,
    pub open: bool,
    pub drafts: bool,
    pub quiet: bool,
    pub verbose: bool,
}

/// A message to open pages.
#[derive(Debug, Clone)]
pub enum Notice {
    Reload,
    Errors(String),
}

/// The last good build and the current problems, shared by the server and the rebuild loop.
pub struct State {
    pub files: RwLock<Arc<HashMap<String, Vec<u8>>>>,
    pub errors: RwLock<Vec<Diagnostic>>,
    pub notices: broadcast::Sender<Notice>,
}

impl State {
    fn new() -> Self {
        let (notices, _) = broadcast::channel(16);
        State { files: RwLock::default(), errors: RwLock::default(), notices }
    }
}

/// Rebuild and publish the result to `state`; on failure keep serving the previous build.
pub fn rebuild(state: &State, cache: &BuildCache, opts: &BuildOptions, quiet: bool, verbose: bool) {
    let started = std::time::Instant::now();
    match prepare(opts, cache, &Silent) {
        Ok(built) => {
            let map: HashMap<String, Vec<u8>> = built.files.into_iter().map(|f| (f.path, f.bytes)).collect();
            *state.files.write().expect("state lock") = Arc::new(map);
            state.errors.write().expect("state lock").clear();
            if !quiet {
                eprintln!(
                    "rebuilt {} in {:.0} ms ({} re-rendered)",
                    crate::error::count(built.report.pages, "page", "pages"),
                    started.elapsed().as_secs_f64() * 1000.0,
                    cache.render.rendered.misses()
                );
            }
            if verbose {
                for t in &built.report.timings {
                    eprintln!("{t}");
                }
            }
            let _ = state.notices.send(Notice::Reload);
        }
        Err(e) => {
            let diags = match e {
                BuildError::Content(d) => d,
                BuildError::Io(e) => vec![Diagnostic::new(&opts.root, crate::error::plain_error(&e))],
            };
            for d in &diags {
                eprintln!("{d}");
            }
            // Before the first good build there is nothing to fall back on: every page is a page
            // of the problems until they are fixed.
            let built = !state.files.read().expect("state lock").is_empty();
            let then = if built {
                "still serving the last good build"
            } else {
                "nothing is built yet: every page shows these problems until they are fixed"
            };
            eprintln!("error: {}; {then}", crate::error::count(diags.len(), "problem", "problems"));
            let json = serde_json::to_string(&diags).unwrap_or_default();
            *state.errors.write().expect("state lock") = diags;
            let _ = state.notices.send(Notice::Errors(json));
        }
    }
}

/// How long a client may take to send a request's headers. A browser on this machine sends them
/// at once; a client that trickles them (slowloris) would otherwise hold its connection forever.
pub const HEADER_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// One connection, HTTP/1.1 (what browsers speak to a plain-http dev server). hyper is used
/// directly rather than through `axum::serve` because only its own builder can bound the time
/// for reading request headers.
async fn serve_connection(stream: tokio::net::TcpStream, app: axum::Router) {
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.timer(hyper_util::rt::TokioTimer::new()).header_read_timeout(HEADER_READ_TIMEOUT);
    let service = hyper_util::service::TowerToHyperService::new(app);
    // A client that goes away or times out ends only its own connection.
    let _ = builder.serve_connection(hyper_util::rt::TokioIo::new(stream), service).await;
}

/// Why the server could not listen, naming the port and what to do: "Address already in use
/// (os error 98)" says neither.
fn bind_problem(e: &std::io::Error, at: SocketAddr) -> anyhow::Error {
    let port = at.port();
    match e.kind() {
        std::io::ErrorKind::AddrInUse => anyhow::anyhow!(
            "port {port} is already in use on {} (another `ladder serve`, or another program); choose \
             another port with `--port {}`, or `--port 0` to take any free one",
            at.ip(),
            port.wrapping_add(1).max(1024)
        ),
        std::io::ErrorKind::PermissionDenied => anyhow::anyhow!(
            "this user may not listen on port {port} (ports below 1024 need more rights); choose \
             another with `--port 8080`, or `--port 0` to take any free one"
        ),
        std::io::ErrorKind::AddrNotAvailable => {
            anyhow::anyhow!("{} is not an address of this machine; leave `--bind` out to serve on 127.0.0.1", at.ip())
        }
        _ => anyhow::anyhow!("cannot listen on {at}: {e}"),
    }
}

/// Run the dev server until interrupted.
pub fn serve(opts: ServeOptions) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    rt.block_on(async move {
        let at = SocketAddr::new(opts.bind, opts.port);
        let listener = tokio::net::TcpListener::bind(at).await.map_err(|e| bind_problem(&e, at))?;
        let addr = listener.local_addr()?;
        let build_opts = BuildOptions {
            root: opts.root.clone(),
            output: None,
            base_url: Some(format!("http://{addr}/")),
            drafts: opts.drafts,
            current_year: None,
            exits_after: false,
        };
        let state = Arc::new(State::new());
        let cache = Arc::new(BuildCache::default());
        rebuild(&state, &cache, &build_opts, opts.quiet, opts.verbose);
        let _watcher = watch::start(state.clone(), cache.clone(), build_opts, opts.quiet, opts.verbose)?;
        let url = format!("http://{addr}/");
        eprintln!("serving {url} (watching {}; Ctrl+C to stop)", opts.root.display());
        if opts.open {
            let _ = std::process::Command::new("xdg-open").arg(&url).spawn();
        }
        let app = http::router(state, addr.ip());
        let mut stop = std::pin::pin!(tokio::signal::ctrl_c());
        loop {
            let (stream, _) = tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok(a) => a,
                    // A refused or reset connection (or too many open files) is that client's
                    // problem, not a reason to stop serving the others.
                    Err(_) => continue,
                },
                _ = &mut stop => break,
            };
            tokio::spawn(serve_connection(stream, app.clone()));
        }
        Ok(())
    })
}
