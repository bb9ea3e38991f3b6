//! File watching with notify, debounced so that one save (often several events) gives one
//! rebuild. Reads are ignored: a rebuild reads every file, and must not trigger another.

use super::{State, rebuild};
use crate::site::BuildCache;
use crate::site::BuildOptions;
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use std::path::{Component, Path};
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

/// Quiet time after the last change before rebuilding.
const DEBOUNCE: Duration = Duration::from_millis(60);

/// Changes that cannot affect the site: build output, VCS, editor swap files, hidden files.
fn relevant(root: &Path, path: &Path) -> bool {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let ignored_dir = rel.components().any(|c| match c {
        Component::Normal(n) => {
            let n = n.to_string_lossy();
            n.starts_with('.') || n == "output" || n == "target" || n == "node_modules"
        }
        _ => false,
    });
    let name = rel.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    !ignored_dir && !name.ends_with('~') && !name.ends_with(".swp") && !name.ends_with(".tmp")
}

fn changes_site(root: &Path, e: &Event) -> bool {
    !matches!(e.kind, EventKind::Access(_)) && e.paths.iter().any(|p| relevant(root, p))
}

/// Watch the site folder and rebuild on change, on a thread of its own.
pub fn start(
    state: Arc<State>,
    cache: Arc<BuildCache>,
    opts: BuildOptions,
    quiet: bool,
    verbose: bool,
) -> anyhow::Result<RecommendedWatcher> {
    let (tx, rx) = mpsc::channel::<notify::Result<Event>>();
    let mut watcher = notify::recommended_watcher(tx)?;
    let root = opts.root.canonicalize().unwrap_or_else(|_| opts.root.clone());
    watcher.watch(&root, RecursiveMode::Recursive)?;
    std::thread::spawn(move || {
        while let Ok(event) = rx.recv() {
            if !event.is_ok_and(|e| changes_site(&root, &e)) {
                continue;
            }
            // Wait for the burst of events from one save to end.
            loop {
                match rx.recv_timeout(DEBOUNCE) {
                    Ok(_) => continue,
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
            rebuild(&state, &cache, &opts, quiet, verbose);
        }
    });
    Ok(watcher)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_output_and_editor_files() {
        let root = Path::new("/site");
        assert!(relevant(root, Path::new("/site/content/stories/a.md")));
        assert!(relevant(root, Path::new("/site/site.yaml")));
        assert!(!relevant(root, Path::new("/site/output/index.html")));
        assert!(!relevant(root, Path::new("/site/.output.staging-1/x")));
        assert!(!relevant(root, Path::new("/site/content/stories/.a.md.swp")));
        assert!(!relevant(root, Path::new("/site/content/stories/a.md~")));
    }

    #[test]
    fn reads_do_not_trigger_rebuilds() {
        let root = Path::new("/site");
        let read = Event::new(EventKind::Access(notify::event::AccessKind::Open(notify::event::AccessMode::Read)))
            .add_path("/site/content/stories/a.md".into());
        assert!(!changes_site(root, &read));
        let write =
            Event::new(EventKind::Modify(notify::event::ModifyKind::Any)).add_path("/site/content/stories/a.md".into());
        assert!(changes_site(root, &write));
    }
}
