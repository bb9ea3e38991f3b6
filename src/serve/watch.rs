//! File watching with notify, debounced so that one save (often several events) gives one
//! rebuild. Reads are ignored: a rebuild reads every file, and must not trigger another.

use super::{State, rebuild};
use crate::site::BuildCache;
use crate::site::BuildOptions;
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use std::path::{Component, Path};
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

/// Quiet time after the last change before rebuilding.
const DEBOUNCE: Duration = Duration::from_millis(60);

/// Changes to the site's inputs (`content/`, `templates/`, `themes/`, `static/`, `site.yaml`);
/// anything else in the site folder (the output, a log written there, notes, VCS) cannot change
/// the site, and the serve's own log in the site folder would otherwise rebuild it for ever.
/// Hidden files and editor swap and backup files are left out too.
fn relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else { return false };
    let mut parts = rel.components().map(|c| match c {
        Component::Normal(n) => n.to_string_lossy().into_owned(),
        _ => String::new(),
    });
    let input = match parts.next() {
        Some(first) if crate::load::INPUT_DIRS.contains(&first.as_str()) => true,
        Some(first) => first == "site.yaml" && rel.components().count() == 1,
        None => false,
    };
    let hidden = rel.components().any(|c| crate::load::is_system_file(&c.as_os_str().to_string_lossy()));
    let name = rel.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    input && !hidden && !crate::load::is_editor_file(&name)
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
            // Wait for the burst of events from one save to end. Only changes to the inputs put
            // the rebuild off: a log written, or a file read, all the time would put it off for ever.
            let mut quiet_from = Instant::now() + DEBOUNCE;
            loop {
                let left = quiet_from.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    break;
                }
                match rx.recv_timeout(left) {
                    Ok(event) => {
                        if event.is_ok_and(|e| changes_site(&root, &e)) {
                            quiet_from = Instant::now() + DEBOUNCE;
                        }
                    }
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
        // Files Windows and Office leave behind (outside round 17b, item 7).
        assert!(!relevant(root, Path::new("/site/static/Thumbs.db")));
        assert!(!relevant(root, Path::new("/site/content/stories/x/desktop.ini")));
        assert!(!relevant(root, Path::new("/site/static/~$report.docx")));
        // Only the inputs (outside round 17e, item 6): a log or notes in the site folder are not.
        assert!(relevant(root, Path::new("/site/themes/t/templates/base.html")));
        assert!(relevant(root, Path::new("/site/static/logo.png")));
        assert!(relevant(root, Path::new("/site/templates/page.html")));
        assert!(relevant(root, Path::new("/site/content/benchmarks/set.yaml")));
        assert!(!relevant(root, Path::new("/site/serve.log")));
        assert!(!relevant(root, Path::new("/site/notes.txt")));
        assert!(!relevant(root, Path::new("/site/public/index.html")));
        assert!(!relevant(root, Path::new("/site/site.yaml/x")));
        assert!(!relevant(root, Path::new("/elsewhere/content/a.md")));
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
