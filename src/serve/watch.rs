//! Watching the site's folders and turning bursts of file events into one rebuild.

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use brief::paths::{Class, SiteRoot, SOURCE_DIRS};
use brief::Error;
use notify::event::ModifyKind;
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult};

use super::http::AppState;

/// How long the watcher waits for a burst of events to end. Editors' atomic saves (write a
/// temporary file, rename it over) arrive within a few milliseconds of each other.
const DEBOUNCE: Duration = Duration::from_millis(10);

/// How long after one batch of changes another counts as part of the same burst.
const BURST_GAP: Duration = Duration::from_millis(4);

/// Whether to colour terminal output.
pub fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Whether a changed path can affect the site: a file or folder that brief reads, not an
/// editor's temporary file. Paths go through [`SiteRoot::classify`], the one place that makes
/// them comparable, so that a root given as `.` or `site` matches the absolute paths the
/// watcher reports.
pub fn relevant(root: &SiteRoot, path: &Path) -> bool {
    root.classify(path) != Class::Ignored
}

/// Starts watching; rebuilds run on a thread of their own. The returned value stops the watcher
/// when dropped.
pub fn start(root: SiteRoot, state: Arc<AppState>) -> Result<impl Sized, Error> {
    let (tx, rx) = mpsc::channel::<Vec<PathBuf>>();
    let mut debouncer = new_debouncer(DEBOUNCE, Some(Duration::from_millis(2)), move |result: DebounceEventResult| {
        if let Ok(events) = result {
            // Reading a file is an event too (the rebuild's own reads among them): only changes count.
            let paths: Vec<PathBuf> = events
                .into_iter()
                .filter(|e| !matches!(e.event.kind, EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_))))
                .flat_map(|e| e.event.paths)
                .collect();
            if !paths.is_empty() {
                let _ = tx.send(paths);
            }
        }
    })
    .map_err(|e| Error::io("cannot watch the site's files", e))?;
    // The root itself, not recursively, so that a watched folder that is deleted and comes back
    // is noticed; the folders recursively.
    debouncer
        .watch(root.path(), RecursiveMode::NonRecursive)
        .map_err(|e| Error::io(format!("cannot watch {}", root.given().display()), e))?;
    for dir in SOURCE_DIRS {
        let _ = debouncer.watch(root.join(dir), RecursiveMode::Recursive);
    }
    let debouncer = Arc::new(std::sync::Mutex::new(debouncer));
    let keep = Arc::clone(&debouncer);
    std::thread::spawn(move || rebuild_loop(root, rx, state, debouncer));
    Ok(keep)
}

fn rebuild_loop<W: notify::Watcher, C: notify_debouncer_full::FileIdCache>(
    root: SiteRoot,
    rx: mpsc::Receiver<Vec<PathBuf>>,
    state: Arc<AppState>,
    debouncer: Arc<std::sync::Mutex<notify_debouncer_full::Debouncer<W, C>>>,
) {
    while let Ok(first) = rx.recv() {
        let mut paths: BTreeSet<PathBuf> = first.into_iter().collect();
        // The debouncer lets each file's events go once that file is quiet, so one burst over
        // many files (a checkout, a search-and-replace) arrives as batches a tick apart: wait for
        // the batches to stop, and take changes that arrived during the last rebuild too.
        while let Ok(more) = rx.recv_timeout(BURST_GAP) {
            paths.extend(more);
        }
        let changed: Vec<PathBuf> = paths.into_iter().filter(|p| relevant(&root, p)).collect();
        if changed.is_empty() {
            continue;
        }
        // A watched folder that was created (again) needs a watch of its own.
        for dir in SOURCE_DIRS {
            let path = root.join(dir);
            if changed.contains(&path) && path.is_dir() {
                if let Ok(mut d) = debouncer.lock() {
                    let _ = d.watch(&path, RecursiveMode::Recursive);
                }
            }
        }
        let mut site = state.site.lock().unwrap_or_else(|e| e.into_inner());
        let was_failing = site.error().is_some();
        let outcome = site.apply_with(&changed, &mut |change, files| super::publish_early(&state, change, files));
        super::announce(&state, &outcome, site.files(), was_failing);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_site_files_trigger_rebuilds() {
        let dir = tempfile::tempdir().unwrap();
        let root = SiteRoot::new(dir.path());
        let at = |p: &str| dir.path().join(p);
        assert!(relevant(&root, &at("content/announcements/a.md")));
        assert!(relevant(&root, &at("templates/base.html")));
        assert!(relevant(&root, &at("content")));
        assert!(!relevant(&root, &at("public/index.html")));
        assert!(!relevant(&root, &at("content/.a.md.swp")));
        assert!(!relevant(&root, &at("content/a.md~")));
        assert!(!relevant(&root, &at("static/4913")));
        assert!(!relevant(&root, Path::new("/elsewhere/content/a.md")));
    }
}
